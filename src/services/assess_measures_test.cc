#include <cmath>

#include <gtest/gtest.h>

#include "engines/assess/pipeline.h"
#include "services/assess_test_env.h"

namespace qiangji::services::testing {
namespace {

namespace assess = engines::assess;

double M(const assess::VillageInput& v, std::string_view key) {
  const int i = assess::MeasureIndex(key);
  EXPECT_GE(i, 0) << key;
  return i < 0 ? 0 : v.measures[i];
}

class AssessMeasuresTest : public AssessTest {
 protected:
  // 骆驼湾村 (A1): a hand-built village whose every measure is worked out in the comments.
  void BuildA1() {
    // The secretary left on 2025-09-15 and nobody has followed: vacant 3 whole months on 31 Dec.
    const int64_t former = AddPerson(kVillageA1, "王守山", "19600101", "011");
    AddPost(former, kVillageA1, "party_secretary", "2021-01-01", "2025-09-15");
    // The line-up on 31 Dec 2025: ages 55, 33 and 45 (born on 31 Dec: 45 that very day).
    const int64_t deputy = AddPerson(kVillageA1, "李建国", "19700501", "013", "bachelor");
    AddPost(deputy, kVillageA1, "deputy_party_secretary", "2021-01-01");
    const int64_t director = AddPerson(kVillageA1, "张浩", "19920315", "015");
    AddPost(director, kVillageA1, "committee_director", "2021-01-01");
    AddPost(director, kVillageA1, "collective_manager", "2021-01-01");
    const int64_t member = AddPerson(kVillageA1, "刘秀英", "19801231", "022", "junior_secondary");
    AddPost(member, kVillageA1, "two_committee_member", "2021-01-01");
    // Reserve cadres: one current, one whose post ended, one not yet started on 31 Dec.
    const int64_t r1 =
        AddPerson(kVillageA1, "赵晨", "19980202", "017", "junior_college", "activist", "");
    AddPost(r1, kVillageA1, "reserve_cadre", "2025-03-01");
    const int64_t r2 = AddPerson(kVillageA1, "孙宇", "19970303", "019", "bachelor", "masses", "");
    AddPost(r2, kVillageA1, "reserve_cadre", "2024-01-01", "2025-06-01");
    const int64_t r3 = AddPerson(kVillageA1, "周雨", "19990404", "024", "bachelor", "masses", "");
    AddPost(r3, kVillageA1, "reserve_cadre", "2026-01-10");
    // Members on 31 Dec 2025: the six above who are members (four cadres' line-up incl. the
    // former secretary) plus a probationer admitted 2025-08-01 (born 2000) and a member admitted
    // 2023-05-01 (born 1995); one admitted 2026-02-01 does not count yet.
    AddPerson(kVillageA1, "吴佳", "20000606", "026", "bachelor", "probationary_member",
              "2025-08-01");
    AddPerson(kVillageA1, "郑磊", "19950707", "021", "senior_secondary", "member", "2023-05-01");
    AddPerson(kVillageA1, "冯婷", "20010808", "028", "bachelor", "probationary_member",
              "2026-02-01");
    AddOrg(kVillageA1, "2020-11-01", "2025-10-31");  // overdue on 31 Dec

    Rate(kVillageA1, "2024Q4", 50, 1, 1, true, 9);  // another year: ignored
    Rate(kVillageA1, "2025Q1", 80, 5, 2, true, 1);
    Rate(kVillageA1, "2025Q2", 70, 4, 0, false, 3);
    Rate(kVillageA1, "2025Q3", 90, 6, 1, true, 0);
    Find(kVillageA1, "2024-11-02", "finance", "serious", "上一年度的问题");  // ignored
    Find(kVillageA1, "2025-03-10", "organization_life", "minor", "会议记录不全");
    Find(kVillageA1, "2025-06-03", "finance", "serious", "集体资金出借未收回");
    Report(kVillageA1, 2023, 10, 20, 5, 0, true);
    Report(kVillageA1, 2024, 10, 20, 5, 0, false);
    Report(kVillageA1, 2025, 10, 20, 8, 2, false);
    Survey(kVillageA1, 2025, 100, 55);
  }
};

TEST_F(AssessMeasuresTest, HandBuiltVillage) {
  BuildA1();
  // 顾家台村 (A2): a Party organization and nothing else; 平阳村 and the community: nothing.
  AddOrg(kVillageA2, "2023-01-01", "2028-01-01");
  Report(kVillageA2, 2023, 5, 5, 0, 0, false);  // 2024 missing: the run of years breaks
  Report(kVillageA2, 2025, 5, 5, 0, 0, false);

  auto db = pool_->Acquire();
  auto inputs = GatherVillageInputs(*db, *ParseScopePrefix("130624"), 2025, D("2026-06-01"));
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  ASSERT_EQ(inputs->size(), 2u);  // villages without any record are not assessed
  const assess::VillageInput& a1 = (*inputs)[0];
  const assess::VillageInput& a2 = (*inputs)[1];
  EXPECT_EQ(a1.code, kVillageA1);
  EXPECT_EQ(a1.name, "骆驼湾村");
  EXPECT_EQ(a1.township_code, kTownA);
  EXPECT_EQ(a1.township_name, "龙泉关镇");
  ASSERT_EQ(a1.measures.size(), assess::MeasureCount());

  EXPECT_DOUBLE_EQ(M(a1, "two_committee_avg_age"), (55.0 + 33 + 45) / 3);
  EXPECT_EQ(M(a1, "cadre_under_35"), 1);
  EXPECT_EQ(M(a1, "woman_member"), 1);
  EXPECT_DOUBLE_EQ(M(a1, "college_share"), 1.0 / 3);
  EXPECT_EQ(M(a1, "secretary_vacancy_months"), 3);
  EXPECT_EQ(a1.facts.secretary_vacancy_months, 3);
  EXPECT_EQ(a1.facts.secretary_vacant_since, "2025-09-15");
  EXPECT_EQ(M(a1, "term_overdue"), 1);
  EXPECT_EQ(a1.facts.term_expiry, "2025-10-31");
  // Members: 王守山, 李建国, 张浩, 刘秀英, 吴佳 (probationer), 郑磊; under 35: 张浩, 吴佳, 郑磊.
  EXPECT_DOUBLE_EQ(M(a1, "members_under_35_share"), 3.0 / 6);
  EXPECT_EQ(M(a1, "new_members_3y"), 2);  // 吴佳 and 郑磊
  EXPECT_EQ(M(a1, "reserve_cadres"), 1);

  EXPECT_DOUBLE_EQ(M(a1, "periodic_score"), 80);
  EXPECT_EQ(M(a1, "meetings_held"), 15);
  EXPECT_EQ(M(a1, "affairs_disclosures"), 3);
  EXPECT_EQ(M(a1, "finance_disclosed_quarters"), 2);
  EXPECT_EQ(M(a1, "petitions"), 4);
  EXPECT_EQ(a1.facts.quarters_rated, 3);
  EXPECT_EQ(a1.facts.quarters_without_affairs_disclosure, std::vector<std::string>{"2025Q2"});
  EXPECT_EQ(a1.facts.quarters_without_finance_disclosure, std::vector<std::string>{"2025Q2"});

  EXPECT_EQ(M(a1, "spot_check_findings"), 1 + 10);
  EXPECT_EQ(M(a1, "serious_findings"), 1);
  EXPECT_EQ(a1.facts.serious_findings,
            std::vector<std::string>{"2025-06-03 财务管理: 集体资金出借未收回"});

  EXPECT_DOUBLE_EQ(M(a1, "duty_good_share"), 30.0 / 40);
  EXPECT_DOUBLE_EQ(M(a1, "duty_excellent_share"), 10.0 / 40);
  EXPECT_EQ(M(a1, "development_target"), 0);
  EXPECT_EQ(a1.facts.years_without_target, 2);
  EXPECT_DOUBLE_EQ(M(a1, "satisfaction_rate"), 0.55);
  EXPECT_FALSE(a1.previous_score.has_value());

  // A2: no posts, so nobody has held the secretary post this year: vacant since 1 January.
  EXPECT_EQ(M(a2, "secretary_vacancy_months"), 11);
  EXPECT_EQ(a2.facts.secretary_vacant_since, "2025-01-01");
  EXPECT_EQ(M(a2, "term_overdue"), 0);
  for (std::string_view key : {"two_committee_avg_age", "cadre_under_35", "woman_member",
                               "college_share", "members_under_35_share", "periodic_score",
                               "meetings_held", "petitions", "satisfaction_rate"})
    EXPECT_TRUE(std::isnan(M(a2, key))) << key;
  EXPECT_EQ(M(a2, "spot_check_findings"), 0);  // no finding is a clean record
  EXPECT_EQ(M(a2, "new_members_3y"), 0);
  EXPECT_EQ(a2.facts.years_without_target, 1);
}

TEST_F(AssessMeasuresTest, TheCurrentYearIsReadAsOfToday) {
  BuildA1();
  auto db = pool_->Acquire();
  auto inputs = GatherVillageInputs(*db, *ParseScopePrefix("130624100"), 2026, D("2026-06-01"));
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  ASSERT_EQ(inputs->size(), 1u);
  const assess::VillageInput& a1 = (*inputs)[0];
  // From 2025-09-15 to 2026-06-01: 8 whole months.
  EXPECT_EQ(M(a1, "secretary_vacancy_months"), 8);
  // Admitted after 2023-06-01: 吴佳 and, by now, 冯婷; 郑磊 (2023-05-01) drops out of the three
  // years. 赵晨 and 周雨 are reserve cadres.
  EXPECT_EQ(M(a1, "new_members_3y"), 2);
  EXPECT_EQ(M(a1, "reserve_cadres"), 2);
  EXPECT_TRUE(std::isnan(M(a1, "periodic_score")));  // nothing rated in 2026
  EXPECT_EQ(a1.facts.years_without_target, 0);       // no 2026 report
}

TEST_F(AssessMeasuresTest, OutsideTheRangeNothingIsRead) {
  BuildA1();
  auto db = pool_->Acquire();
  auto inputs = GatherVillageInputs(*db, *ParseScopePrefix("130624101"), 2025, D("2026-06-01"));
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  EXPECT_TRUE(inputs->empty());
  EXPECT_EQ(GatherVillageInputs(*db, DivisionRange::All(), 1999, D("2026-06-01")).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace qiangji::services::testing

// Village needs on a hand-built county: the reasons, their points and evidence from assessment
// results (latest published or final run only), petitions of the latest rated year, tags and
// posts; the priority, skills, the first-secretary flags, filters, scope and township counts.
#include <gtest/gtest.h>

#include "services/assess_test_env.h"
#include "services/dispatch.h"

namespace qiangji::services::testing {
namespace {

class NeedsTest : public AssessTest {
 protected:
  void SetUp() override {
    AssessTest::SetUp();
    if (HasFatalFailure()) return;
    dispatch_ = std::make_unique<DispatchServices>(Env{pool_.get(), secrets_.get()});
    auto set = db_->Query(
        "INSERT INTO indicator_set (key, version, name_zh, body, created_at, created_by)"
        " VALUES ('test', 1, '测试', '{}', '2024-01-01T00:00:00Z', 'test') RETURNING id",
        {});
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    set_id_ = set->at(0).Int(0);
  }
  void TearDown() override {
    dispatch_.reset();
    AssessTest::TearDown();
  }

  int64_t Run(int year, const std::string& status) {
    auto run = db_->Query(
        "INSERT INTO assess_run (scope, scope_lo, scope_hi, year, indicator_set_id, method,"
        " weighting, params, input_hash, output_hash, status, reference_date, created_at,"
        " created_by, village_count, summary, input_snapshot) VALUES ('130624', 130624000000,"
        " 130624999999, ?, ?, 'weighted_sum', 'manual', '{}', 'i', 'o', ?, '2025-01-01',"
        " '2025-01-01T00:00:00Z', 'test', 4, '{}', '{}') RETURNING id",
        {storage::Value(int64_t{year}), storage::Value(set_id_), storage::Value(status)});
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? run->at(0).Int(0) : 0;
  }

  void Result(int64_t run, int64_t village, int stars, const std::string& rating_class,
              const std::string& detail = "{}") {
    auto r = db_->Execute(
        "INSERT INTO assess_result (run_id, division_code, score, stars, band_stars,"
        " rating_class, warning, change_probability, county_rank, township_code, detail)"
        " VALUES (?, ?, 50, ?, ?, ?, 0, 0, 1, ?, ?)",
        {storage::Value(run), storage::Value(village), storage::Value(int64_t{stars}),
         storage::Value(int64_t{stars}), storage::Value(rating_class),
         storage::Value(village / 1000 * 1000), storage::Value(detail)});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  }

  void Tags(int64_t village, std::vector<std::string> tags) {
    domain::Village v;
    v.division_code = village;
    v.tags = std::move(tags);
    auto put = svc().villages.Put(system_, v);
    EXPECT_TRUE(put.ok()) << put.status().ToString();
  }

  // A1 weak-and-lax in the latest final run; A2 a key village and relocation settlement with
  // many petitions and a first secretary; B1 without a secretary and with petitions in part of
  // the latest year; the community only lifted from poverty.
  void BuildCounty() {
    const int64_t old_run = Run(2023, "final");
    Result(old_run, kVillageA1, 3, "ordinary");
    const int64_t run = Run(2024, "final");
    Result(run, kVillageA1, 1, "weak_lax",
           R"({"code":"130624100201","weak_lax":[)"
           R"({"rule":"low_satisfaction","evidence":"群众满意度55.0%，低于60%"},)"
           R"({"rule":"serious_findings","evidence":"抽查发现严重问题2项"}]})");
    Result(run, kVillageA2, 3, "ordinary");
    Result(run, kVillageB1, 4, "ordinary");
    Result(run, kCommunityA, 4, "ordinary");
    // A later draft says otherwise: drafts are not results yet.
    const int64_t draft = Run(2025, "draft");
    Result(draft, kVillageA1, 5, "model");

    Tags(kVillageA1, {"lifted_from_poverty"});
    Tags(kVillageA2, {"key_village", "relocation_settlement"});
    Tags(kCommunityA, {"lifted_from_poverty"});

    // A1: many petitions in 2024 but few in 2025, the latest year rated.
    for (const char* q : {"2024Q1", "2024Q2", "2024Q3", "2024Q4"})
      Rate(kVillageA1, q, 70, 3, 2, true, 5);
    Rate(kVillageA1, "2025Q1", 70, 3, 2, true, 1);
    // A2: 11 in the four quarters of 2025.
    for (const char* q : {"2025Q1", "2025Q2", "2025Q3"}) Rate(kVillageA2, q, 80, 3, 2, true, 3);
    Rate(kVillageA2, "2025Q4", 80, 3, 2, true, 2);
    // B1: 12 in the first two quarters of 2025.
    Rate(kVillageB1, "2024Q4", 80, 3, 2, true, 4);
    Rate(kVillageB1, "2025Q1", 80, 3, 2, true, 5);
    Rate(kVillageB1, "2025Q2", 80, 3, 2, true, 7);

    for (int64_t v : {kVillageA1, kVillageA2, kVillageB1, kCommunityA})
      AddOrg(v, "2021-01-01", "2026-01-01");
    AddPost(AddPerson(kVillageA1, "甲书记", "19700101", "011"), kVillageA1, "party_secretary",
            "2021-01-10");
    AddPost(AddPerson(kVillageA2, "乙书记", "19710101", "013"), kVillageA2, "party_secretary",
            "2021-01-10");
    AddPost(AddPerson(kVillageA2, "驻村第一书记", "19850101", "015"), kVillageA2, "first_secretary",
            "2024-03-01");
    AddPost(AddPerson(kCommunityA, "社区书记", "19720101", "017"), kCommunityA, "party_secretary",
            "2021-01-10");
    // B1's secretary left; a first secretary whose term ended does not count either.
    AddPost(AddPerson(kVillageB1, "丙书记", "19730101", "019"), kVillageB1, "party_secretary",
            "2021-01-10", "2025-06-01");
    AddPost(AddPerson(kVillageB1, "前第一书记", "19800101", "021"), kVillageB1, "first_secretary",
            "2022-03-01", "2024-03-01");
  }

  static const domain::VillageNeed* Find(const NeedsReport& r, int64_t code) {
    for (const auto& n : r.villages)
      if (n.division_code == code) return &n;
    return nullptr;
  }
  static const domain::NeedReason* Reason(const domain::VillageNeed& n, const std::string& source) {
    for (const auto& r : n.reasons)
      if (r.source == source) return &r;
    return nullptr;
  }
  static double Skill(const domain::VillageNeed& n, const std::string& skill) {
    for (const auto& [s, w] : n.skills)
      if (s == skill) return w;
    return 0;
  }

  NeedsService& needs() { return dispatch_->needs; }
  std::unique_ptr<DispatchServices> dispatch_;
  int64_t set_id_ = 0;
};

TEST_F(NeedsTest, ReasonsPointsAndEvidence) {
  BuildCounty();
  auto report = needs().List(county_, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->villages.size(), 4u);

  const domain::VillageNeed* a1 = Find(*report, kVillageA1);
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1->name, "骆驼湾村");
  EXPECT_EQ(a1->township_code, kTownA);
  EXPECT_EQ(a1->township_name, "龙泉关镇");
  ASSERT_EQ(a1->reasons.size(), 3u);
  EXPECT_EQ(a1->reasons[0].source, "weak_lax");
  EXPECT_EQ(a1->reasons[0].points, 40);
  EXPECT_EQ(a1->reasons[0].evidence,
            "2024年度考核被认定为软弱涣散（群众满意度55.0%，低于60%；抽查发现严重问题2项）");
  EXPECT_EQ(a1->reasons[1].source, "low_stars");
  EXPECT_EQ(a1->reasons[1].evidence, "2024年度考核评定为1星");
  EXPECT_EQ(a1->reasons[2].source, "lifted_from_poverty");
  EXPECT_EQ(Reason(*a1, "petitions"), nullptr) << "2025, the latest year rated, had 1 petition";
  EXPECT_EQ(a1->priority, 70);
  EXPECT_TRUE(a1->needs_first_secretary);
  EXPECT_FALSE(a1->has_first_secretary);
  // Party building: base 10 + 40 + 20; industry and e-commerce 5 each from lifted_from_poverty.
  EXPECT_DOUBLE_EQ(Skill(*a1, "party_building"), 70.0 / 80);
  EXPECT_DOUBLE_EQ(Skill(*a1, "industry"), 5.0 / 80);
  EXPECT_DOUBLE_EQ(Skill(*a1, "e_commerce"), 5.0 / 80);
  EXPECT_EQ(a1->skills[0].first, "party_building");

  const domain::VillageNeed* a2 = Find(*report, kVillageA2);
  ASSERT_NE(a2, nullptr);
  ASSERT_NE(Reason(*a2, "key_village"), nullptr);
  ASSERT_NE(Reason(*a2, "relocation_settlement"), nullptr);
  const domain::NeedReason* petitions = Reason(*a2, "petitions");
  ASSERT_NE(petitions, nullptr);
  EXPECT_EQ(petitions->evidence, "2025年信访11件");
  EXPECT_EQ(petitions->points, 15);
  EXPECT_EQ(Reason(*a2, "low_stars"), nullptr);
  EXPECT_EQ(a2->priority, 25 + 15 + 15);
  EXPECT_TRUE(a2->needs_first_secretary);
  EXPECT_TRUE(a2->has_first_secretary);
  double sum = 0;
  for (const auto& [skill, weight] : a2->skills) sum += weight;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(Skill(*a2, "law_petitions"), 15.0 / 65);
  EXPECT_DOUBLE_EQ(Skill(*a2, "planning_construction"), 15.0 / 65);
  EXPECT_DOUBLE_EQ(Skill(*a2, "industry"), 12.5 / 65);

  const domain::VillageNeed* b1 = Find(*report, kVillageB1);
  ASSERT_NE(b1, nullptr);
  ASSERT_NE(Reason(*b1, "secretary_vacant"), nullptr);
  EXPECT_EQ(Reason(*b1, "secretary_vacant")->points, 20);
  ASSERT_NE(Reason(*b1, "petitions"), nullptr);
  EXPECT_EQ(Reason(*b1, "petitions")->evidence, "2025年前2个季度信访12件");
  EXPECT_EQ(b1->priority, 35);
  EXPECT_TRUE(b1->needs_first_secretary) << "35 is at or above the default threshold of 30";
  EXPECT_FALSE(b1->has_first_secretary) << "the earlier first secretary's term ended";

  const domain::VillageNeed* community = Find(*report, kCommunityA);
  ASSERT_NE(community, nullptr);
  EXPECT_EQ(community->priority, 10);
  EXPECT_FALSE(community->needs_first_secretary);
  EXPECT_EQ(Reason(*community, "secretary_vacant"), nullptr);

  // Highest priority first.
  std::vector<int64_t> order;
  for (const auto& n : report->villages) order.push_back(n.division_code);
  EXPECT_EQ(order, (std::vector<int64_t>{kVillageA1, kVillageA2, kVillageB1, kCommunityA}));
}

TEST_F(NeedsTest, TownshipCountsAndFilters) {
  BuildCounty();
  auto report = needs().List(county_, {});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->by_township.size(), 2u);
  EXPECT_EQ(report->by_township[0].township_code, kTownA);
  EXPECT_EQ(report->by_township[0].township_name, "龙泉关镇");
  EXPECT_EQ(report->by_township[0].villages, 3);
  EXPECT_EQ(report->by_township[0].needing, 2);
  EXPECT_EQ(report->by_township[0].covered, 1);
  EXPECT_EQ(report->by_township[1].township_code, kTownB);
  EXPECT_EQ(report->by_township[1].needing, 1);
  EXPECT_EQ(report->by_township[1].covered, 0);

  NeedsQuery q;
  q.min_priority = 50;
  auto high = needs().List(county_, q);
  ASSERT_TRUE(high.ok());
  ASSERT_EQ(high->villages.size(), 2u);
  EXPECT_EQ(high->by_township.size(), 2u) << "counts ignore the filters";
  q = {};
  q.without_first_secretary = true;
  auto open = needs().List(county_, q);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->villages.size(), 3u);
  EXPECT_EQ(Find(*open, kVillageA2), nullptr);
  q = {};
  q.min_priority = 101;
  EXPECT_EQ(needs().List(county_, q).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(NeedsTest, ScopeAndUnder) {
  BuildCounty();
  auto town = needs().List(town_b_, {});
  ASSERT_TRUE(town.ok()) << town.status().ToString();
  ASSERT_EQ(town->villages.size(), 1u);
  EXPECT_EQ(town->villages[0].division_code, kVillageB1);
  ASSERT_EQ(town->by_township.size(), 1u);
  EXPECT_EQ(town->by_township[0].township_name, "平阳镇");

  NeedsQuery q;
  q.under = "130624100201";
  auto one = needs().List(county_, q);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->villages.size(), 1u);
  EXPECT_EQ(one->villages[0].township_name, "龙泉关镇") << "named though outside `under`";

  q.under = "130624100";
  EXPECT_EQ(needs().List(town_b_, q).status().code(), StatusCode::kNotFound);
  q.under = "13062x";
  EXPECT_EQ(needs().List(county_, q).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(NeedsTest, WithoutDataAVillageNeedsOnlyPartyBuildingAtNoPriority) {
  auto report = needs().List(county_, {});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->villages.size(), 4u);
  for (const auto& n : report->villages) {
    EXPECT_EQ(n.priority, 0);
    EXPECT_TRUE(n.reasons.empty()) << "no Party organization recorded: no vacancy claimed";
    ASSERT_EQ(n.skills.size(), 1u);
    EXPECT_EQ(n.skills[0].first, "party_building");
    EXPECT_EQ(n.skills[0].second, 1.0);
    EXPECT_FALSE(n.needs_first_secretary);
  }
}

}  // namespace
}  // namespace qiangji::services::testing

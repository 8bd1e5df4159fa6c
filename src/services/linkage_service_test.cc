// LinkageService and ProjectFundingService on a hand-built county, year under review 2025:
//   A1 骆驼湾村 grows every year, a manager of its own, a five-star secretary of long standing
//       (incentive, promotion, honours); its profit rises by 356,789.45 yuan, the worked example
//       of docs/linkage.md;
//   A2 顾家台村 the secretary is also director (一肩挑) and so heads the collective, since
//       1 July 2025 (exactly six months); profit rises by exactly 100,000 yuan (a tier boundary);
//   B1 平阳村 shrinks two years running, has no project, a duty report without development goals
//       and two stars (三无: adjustment);
//   龙泉关社区 files no report (not judged).
// Every figure below is worked out by hand from the rules in docs/linkage.md.
#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "services/assess_test_env.h"
#include "services/economy.h"
#include "services/linkage_json.h"

namespace qiangji::services::testing {
namespace {

constexpr int64_t kYuan = 100;  // fen
constexpr int kYear = 2025;

class LinkageTest : public AssessTest {
 protected:
  void SetUp() override {
    AssessTest::SetUp();
    if (HasFatalFailure()) return;
    auto set = db_->Query(
        "INSERT INTO indicator_set (key, version, name_zh, body, created_at, created_by)"
        " VALUES ('test', 1, '测试', '{}', '2024-01-01T00:00:00Z', 'test') RETURNING id",
        {});
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    set_id_ = set->at(0).Int(0);

    // Operating income (yuan) 2021..2025, and profits where the incentive reads them.
    Collective(kVillageA1, "A1");
    const int64_t a1[] = {150'000, 200'000, 260'000, 320'000, 700'000};
    for (int i = 0; i < 5; ++i) Put(kVillageA1, 2021 + i, a1[i] * kYuan, a1[i] * kYuan / 2);
    Put(kVillageA1, 2024, 320'000 * kYuan, 180'000 * kYuan);
    Put(kVillageA1, 2025, 700'000 * kYuan, 53'678'945);  // 536,789.45 yuan

    Collective(kVillageA2, "A2");
    const int64_t a2[] = {100'000, 110'000, 120'000, 200'000};
    for (int i = 0; i < 4; ++i) Put(kVillageA2, 2022 + i, a2[i] * kYuan, a2[i] * kYuan / 4);
    Put(kVillageA2, 2024, 120'000 * kYuan, 60'000 * kYuan);
    Put(kVillageA2, 2025, 200'000 * kYuan, 160'000 * kYuan);

    Collective(kVillageB1, "B1");
    const int64_t b1[] = {80'000, 70'000, 60'000};
    for (int i = 0; i < 3; ++i) Put(kVillageB1, 2023 + i, b1[i] * kYuan, b1[i] * kYuan / 5);

    const int64_t a1_secretary = AddPerson(kVillageA1, "甲书记", "19700101", "011");
    AddPost(a1_secretary, kVillageA1, "party_secretary", "2019-01-10");
    AddPost(AddPerson(kVillageA1, "甲经理", "19800101", "013"), kVillageA1, "collective_manager",
            "2022-03-01");
    const int64_t a2_secretary = AddPerson(kVillageA2, "乙书记", "19710101", "015");
    AddPost(a2_secretary, kVillageA2, "party_secretary", "2018-01-01");
    AddPost(a2_secretary, kVillageA2, "committee_director", "2025-07-01");
    AddPost(AddPerson(kVillageB1, "丙书记", "19720101", "017"), kVillageB1, "party_secretary",
            "2020-05-01");
    AddPost(AddPerson(kVillageB1, "丙经理", "19820101", "019"), kVillageB1, "collective_manager",
            "2025-08-01");

    const int64_t y2024 = Run(2024), y2025 = Run(2025);
    Stars(y2024, kVillageA1, 4);
    Stars(y2025, kVillageA1, 5);
    Stars(y2025, kVillageA2, 3);
    Stars(y2025, kVillageB1, 2);
    Report(kVillageB1, 2025, 1, 5, 10, 4, false);  // no development goals
    Report(kVillageA1, 2025, 20, 5, 0, 0, true);

    // B1's one project was never started nor funded: it is not a measure (yet).
    b1_project_ = Project(kVillageB1, "光伏电站收益管理", "planned", "2025-03-01", "2027-03-01");
  }

  void Exec(const std::string& sql, std::vector<storage::Value> params = {}) {
    auto r = db_->Execute(sql, params);
    ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << sql;
  }

  void Collective(int64_t village, const std::string& tag) {
    Exec(
        "INSERT INTO collective (division_code, name, kind, credit_code, member_count,"
        " created_at, updated_at) VALUES (?, ?, 'shareholding_coop', ?, 100, 'x', 'x')",
        {storage::Value(village), storage::Value("合作社" + tag),
         storage::Value("N2130624MA0LINK" + tag + "0")});
    auto id =
        db_->Query("SELECT id FROM collective WHERE division_code = ?", {storage::Value(village)});
    ASSERT_TRUE(id.ok());
    collective_[village] = id->at(0).Int(0);
  }

  // A report with all operating income as revenue and costs = income - profit (so the stored
  // derived columns are exactly these), and a subsidy that must never count.
  void Put(int64_t village, int year, int64_t income, int64_t profit) {
    const int64_t costs = income - profit, subsidy = 3'000'000;
    const int64_t surplus = income + subsidy - costs;
    Exec(
        "INSERT INTO annual_report (collective_id, division_code, year, operating_revenue,"
        " contracting_income, investment_income, subsidy_income, other_income, operating_costs,"
        " admin_expenses, other_expenses, surplus, opening_undistributed, reserve_fund,"
        " welfare_fund, member_distribution, undistributed, current_assets,"
        " agricultural_assets, long_term_investments, fixed_assets, other_assets, total_assets,"
        " liabilities, equity, operating_income, operating_profit, created_at, updated_at,"
        " updated_by) VALUES (?, ?, ?, ?, 0, 0, ?, 0, ?, 0, 0, ?, 0, 0, 0, 0, ?, 0, 0, 0, 0, 0,"
        " 0, 0, 0, ?, ?, 'x', 'x', 'test') ON CONFLICT (collective_id, year) DO UPDATE SET"
        " operating_revenue = excluded.operating_revenue, operating_costs ="
        " excluded.operating_costs, surplus = excluded.surplus, undistributed ="
        " excluded.undistributed, operating_income = excluded.operating_income,"
        " operating_profit = excluded.operating_profit",
        {storage::Value(collective_[village]), storage::Value(village),
         storage::Value(int64_t{year}), storage::Value(income), storage::Value(subsidy),
         storage::Value(costs), storage::Value(surplus), storage::Value(surplus),
         storage::Value(income), storage::Value(profit)});
  }

  int64_t Run(int year) {
    auto run = db_->Query(
        "INSERT INTO assess_run (scope, scope_lo, scope_hi, year, indicator_set_id, method,"
        " weighting, params, input_hash, output_hash, status, reference_date, created_at,"
        " created_by, village_count, summary, input_snapshot) VALUES ('130624', 130624000000,"
        " 130624999999, ?, ?, 'weighted_sum', 'manual', '{}', 'i', 'o', 'final', '2025-01-01',"
        " '2025-01-01T00:00:00Z', 'test', 4, '{}', '{}') RETURNING id",
        {storage::Value(int64_t{year}), storage::Value(set_id_)});
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? run->at(0).Int(0) : 0;
  }

  void Stars(int64_t run, int64_t village, int stars) {
    Exec(
        "INSERT INTO assess_result (run_id, division_code, score, stars, band_stars,"
        " rating_class, warning, change_probability, county_rank, township_code, detail)"
        " VALUES (?, ?, 50, ?, ?, 'ordinary', 0, 0, 1, ?, '{}')",
        {storage::Value(run), storage::Value(village), storage::Value(int64_t{stars}),
         storage::Value(int64_t{stars}), storage::Value(village / 1000 * 1000)});
  }

  int64_t Project(int64_t village, const std::string& name, const std::string& status,
                  const std::string& start, const std::string& end) {
    auto r = db_->Query(
        "INSERT INTO project (division_code, name, work_type, start_date, end_date, status,"
        " created_at, updated_at) VALUES (?, ?, 'finance', ?, ?, ?, 'x', 'x') RETURNING id",
        {storage::Value(village), storage::Value(name), storage::Value(start), storage::Value(end),
         storage::Value(status)});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->at(0).Int(0) : 0;
  }

  LinkageService& linkage() { return svc().economy.linkage; }

  static const PolicyPreview::Row& RowOf(const PolicyPreview& p, int64_t code) {
    for (const auto& r : p.rows)
      if (r.division_code == code) return r;
    ADD_FAILURE() << "no row for " << code;
    return p.rows.front();
  }

  static std::vector<const LinkageDecision*> Of(const std::vector<LinkageDecision>& list,
                                                const std::string& kind, int64_t code) {
    std::vector<const LinkageDecision*> out;
    for (const auto& d : list)
      if (d.kind == kind && d.division_code == code) out.push_back(&d);
    return out;
  }

  static bool Says(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(text) != std::string::npos; });
  }

  static std::string Fields(const Status& s) {
    std::string out;
    for (const auto& e : s.field_errors()) out += e.field + ";";
    return out;
  }

  // Everything a failed or read-only call must leave as it was.
  std::string Snapshot() {
    std::string s;
    for (const char* t :
         {"linkage_policy", "linkage_decision", "linkage_step", "audit", "project_funding"})
      s += std::to_string(Count(t)) + ",";
    auto statuses = db_->Query(
        "SELECT COALESCE(GROUP_CONCAT(id || ':' || status), '') FROM linkage_decision", {});
    if (statuses.ok()) s += statuses->at(0).Text(0);
    return s;
  }

  int64_t set_id_ = 0, b1_project_ = 0;
  std::map<int64_t, int64_t> collective_;
  const Caller admin_ = MakeCaller(domain::Role::kAdmin, "", 9);
  const Caller village_a1_ = MakeCaller(domain::Role::kVillage, "130624100201", 5);
  const Caller other_county_ = MakeCaller(domain::Role::kCounty, "130625", 6);
};

TEST_F(LinkageTest, TheDefaultPolicyUntilOneIsSaved) {
  auto p = linkage().CurrentPolicy(county_, "130624");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->is_default);
  EXPECT_EQ(p->version, 0);
  EXPECT_EQ(p->weak_threshold_fen, 10'000'000);
  ASSERT_EQ(p->incentive.tiers.size(), 4u);
  EXPECT_EQ(p->incentive.tiers[1].from_fen, 10'000'000);
  EXPECT_EQ(p->incentive.tiers[3].rate_bp, 1200);
  EXPECT_EQ(p->incentive.min_profit_fen, 5'000'000);
  EXPECT_EQ(p->incentive.cap_fen, 6'000'000);
  EXPECT_TRUE(p->incentive.marginal);
  // "" is the caller's own county; a township reads its county's policy.
  EXPECT_TRUE(linkage().CurrentPolicy(town_a_, "").ok());
  EXPECT_EQ(linkage().CurrentPolicy(other_county_, "130624").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(linkage().CurrentPolicy(county_, "1306").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(linkage().CurrentPolicy(admin_, "").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LinkageTest, SavedVersionsAreImmutableAndAudited) {
  LinkagePolicy p = DefaultLinkagePolicy("130624");
  p.incentive.cap_fen = 3'000'000;
  p.note = "2025年调整封顶";
  auto v1 = linkage().SavePolicy(county_, p);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  EXPECT_FALSE(v1->is_default);
  EXPECT_EQ(v1->created_by, county_.username);
  p.weak_threshold_fen = 5'000'000;
  auto v2 = linkage().SavePolicy(county_, p);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);

  auto current = linkage().CurrentPolicy(town_a_, "130624");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->weak_threshold_fen, 5'000'000);
  EXPECT_EQ(current->incentive.cap_fen, 3'000'000);
  auto all = linkage().Policies(county_, "130624");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].version, 2);
  EXPECT_EQ((*all)[1].weak_threshold_fen, 10'000'000) << "version 1 as it was saved";
  EXPECT_EQ(Count("audit", "action = 'linkage_policy.create'"), 2);
  // The economy report reads the saved threshold.
  auto report = svc().economy.reports.Report(county_, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->weak_threshold_fen, 5'000'000);
}

TEST_F(LinkageTest, BadPoliciesAndWrongRolesStoreNothing) {
  const std::string before = Snapshot();
  LinkagePolicy p = DefaultLinkagePolicy("130624");
  p.incentive.tiers[1].from_fen = 0;  // not above the first tier's
  p.rules.growth_years = 0;
  p.weak_threshold_fen = 0;
  auto bad = linkage().SavePolicy(county_, p);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  const std::string fields = Fields(bad.status());
  EXPECT_NE(fields.find("incentive.tiers[1].from_fen;"), std::string::npos) << fields;
  EXPECT_NE(fields.find("rules.growth_years;"), std::string::npos) << fields;
  EXPECT_NE(fields.find("weak_threshold_fen;"), std::string::npos) << fields;

  const LinkagePolicy good = DefaultLinkagePolicy("130624");
  EXPECT_EQ(linkage().SavePolicy(town_a_, good).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(linkage().SavePolicy(viewer_, good).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(linkage().SavePolicy(other_county_, good).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(linkage().Propose(town_a_, "130624", kYear).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(linkage().Propose(county_, "130624", 1999).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(LinkageTest, TheWorkedExampleAndTierBoundariesThroughThePreview) {
  const std::string before = Snapshot();
  LinkagePolicy proposed = DefaultLinkagePolicy("130624");
  auto p = linkage().Preview(county_, proposed, kYear);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rows.size(), 3u) << "the community filed no report";

  // A1: 536,789.45 - 180,000.00 = 356,789.45 yuan: 8% of 100,000 + 9% of 100,000 + 10% of
  // 100,000 + 12% of 56,789.45 = 8,000 + 9,000 + 10,000 + 6,814.734 = 33,814.73 yuan.
  const PolicyPreview::Row& a1 = RowOf(*p, kVillageA1);
  EXPECT_EQ(a1.profit_last_fen, 18'000'000);
  EXPECT_EQ(a1.profit_fen, 53'678'945);
  EXPECT_EQ(a1.bonus_proposed_fen, 3'381'473);
  EXPECT_EQ(a1.bonus_current_fen, 3'381'473);
  EXPECT_EQ(a1.manager_name, "甲经理");
  EXPECT_EQ(a1.tenure_months, 46);  // 2022-03-01 to 2026-01-01
  EXPECT_TRUE(Says(a1.lines, "增收300000.00元至356789.45元部分56789.45元，按12%计6814.73元"));
  EXPECT_TRUE(Says(a1.lines, "奖励合计33814.73元"));

  // A2: exactly 100,000 yuan: all of it in the first tier (8,000.00 yuan); the 一肩挑 secretary
  // is the manager with exactly six months as director.
  const PolicyPreview::Row& a2 = RowOf(*p, kVillageA2);
  EXPECT_EQ(a2.bonus_proposed_fen, 800'000);
  EXPECT_EQ(a2.manager_name, "乙书记");
  EXPECT_EQ(a2.tenure_months, 6);
  EXPECT_TRUE(Says(a2.lines, "一肩挑"));

  // B1: no increase; its manager of five months would not qualify either.
  const PolicyPreview::Row& b1 = RowOf(*p, kVillageB1);
  EXPECT_EQ(b1.bonus_proposed_fen, 0);
  EXPECT_TRUE(Says(b1.lines, "经营收益未增长"));
  EXPECT_TRUE(Says(b1.lines, "任职5个月，不满6个月"));
  EXPECT_EQ(p->total_proposed_fen, 3'381'473 + 800'000);
  EXPECT_EQ(p->promotion_current, 1);
  EXPECT_EQ(p->honours_current, 1);
  EXPECT_EQ(p->adjustment_current, 1);

  // Flat tiers: the whole increase at the rate of the highest tier it reaches. A2's 100,000.00
  // reaches the second tier (9%); A1's 356,789.45 the fourth (12%: 42,814.734 -> 42,814.73,
  // under the 60,000 cap).
  proposed.incentive.marginal = false;
  p = linkage().Preview(county_, proposed, kYear);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(RowOf(*p, kVillageA2).bonus_proposed_fen, 900'000);
  EXPECT_EQ(RowOf(*p, kVillageA2).bonus_current_fen, 800'000);
  EXPECT_EQ(RowOf(*p, kVillageA1).bonus_proposed_fen, 4'281'473);

  // A cap of 30,000 yuan; a seventh month required; a higher minimum profit.
  proposed = DefaultLinkagePolicy("130624");
  proposed.incentive.cap_fen = 3'000'000;
  proposed.incentive.min_tenure_months = 7;
  proposed.incentive.min_profit_fen = 53'678'946;  // one fen above A1's profit
  p = linkage().Preview(county_, proposed, kYear);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(RowOf(*p, kVillageA1).bonus_proposed_fen, 0);
  EXPECT_TRUE(Says(RowOf(*p, kVillageA1).lines, "低于起奖线536789.46元"));
  proposed.incentive.min_profit_fen = 53'678'945;  // exactly A1's profit: it qualifies
  p = linkage().Preview(county_, proposed, kYear);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(RowOf(*p, kVillageA1).bonus_proposed_fen, 3'000'000);
  EXPECT_TRUE(Says(RowOf(*p, kVillageA1).lines, "超过封顶30000.00元"));
  EXPECT_EQ(RowOf(*p, kVillageA2).bonus_proposed_fen, 0);
  EXPECT_TRUE(Says(RowOf(*p, kVillageA2).lines, "任职6个月，不满7个月"));

  // Stricter lists change the counts, not the stored lists.
  proposed = DefaultLinkagePolicy("130624");
  proposed.rules.promotion_min_stars = 6;
  proposed.rules.adjustment_min_other = 3;  // B1 has no projects, no goals, low stars: still in
  p = linkage().Preview(county_, proposed, kYear);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->promotion_proposed, 0);
  EXPECT_EQ(p->adjustment_proposed, 1);

  // A township previews its own villages only; a bad policy is a 400 naming the field.
  p = linkage().Preview(town_b_, DefaultLinkagePolicy("130624"), kYear);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->rows.size(), 1u);
  EXPECT_EQ(p->rows[0].division_code, kVillageB1);
  proposed.incentive.tiers[2].rate_bp = 10001;
  auto bad = linkage().Preview(county_, proposed, 1999);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(Fields(bad.status()).find("incentive.tiers[2].rate_bp;"), std::string::npos);
  EXPECT_NE(Fields(bad.status()).find("year;"), std::string::npos);
  EXPECT_EQ(Snapshot(), before) << "a preview stores nothing";
}

TEST_F(LinkageTest, ProposeBuildsTheListsWithReasons) {
  auto list = linkage().Propose(county_, "130624", kYear);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  // The default was saved as version 1 so the decisions can name it.
  EXPECT_EQ(Count("linkage_policy"), 1);
  ASSERT_EQ(list->size(), 5u);
  for (const LinkageDecision& d : *list) {
    EXPECT_EQ(d.status, "proposed");
    EXPECT_EQ(d.policy_version, 1);
    EXPECT_EQ(d.year, kYear);
    EXPECT_FALSE(d.reasons.empty());
    ASSERT_EQ(d.steps.size(), 1u);
    EXPECT_EQ(d.steps[0].to, "proposed");
    EXPECT_EQ(d.steps[0].by, county_.username);
  }
  // Incentives first, the larger first.
  EXPECT_EQ((*list)[0].kind, "incentive");
  EXPECT_EQ((*list)[0].division_code, kVillageA1);
  EXPECT_EQ((*list)[0].amount_fen, 3'381'473);
  EXPECT_EQ((*list)[0].person_name, "甲经理");
  EXPECT_EQ((*list)[1].amount_fen, 800'000);
  EXPECT_EQ((*list)[1].person_name, "乙书记");
  EXPECT_TRUE(Of(*list, "incentive", kVillageB1).empty());

  auto promotion = Of(*list, "promotion", kVillageA1);
  ASSERT_EQ(promotion.size(), 1u);
  EXPECT_EQ(promotion[0]->person_name, "甲书记");
  EXPECT_TRUE(Says(promotion[0]->reasons, "本年度评定5星（要求不低于4星），符合"));
  EXPECT_TRUE(Says(promotion[0]->reasons, "任职83个月"));  // 2019-01-10 to 2026-01-01
  auto honours = Of(*list, "honours", kVillageA1);
  ASSERT_EQ(honours.size(), 1u);
  EXPECT_DOUBLE_EQ(honours[0]->score, 90.0);  // growth 118.75% -> 50, five stars -> 40
  auto adjustment = Of(*list, "adjustment", kVillageB1);
  ASSERT_EQ(adjustment.size(), 1u);
  EXPECT_EQ(adjustment[0]->person_name, "丙书记");
  EXPECT_TRUE(Says(adjustment[0]->reasons, "无成效：近2年经营性收入均未增长（-12.5%、-14.3%）"));
  EXPECT_TRUE(Says(adjustment[0]->reasons, "无举措"));
  EXPECT_TRUE(Says(adjustment[0]->reasons, "无思路"));
  EXPECT_TRUE(Says(adjustment[0]->reasons, "本年度评定2星"));
  EXPECT_TRUE(Of(*list, "adjustment", kVillageA2).empty());
  EXPECT_EQ(Count("audit", "action = 'linkage_decision.propose'"), 1);

  // Townships read their own villages' decisions; a kind filter.
  auto mine = linkage().Decisions(town_b_, "", kYear, "");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].kind, "adjustment");
  auto honours_only = linkage().Decisions(county_, "130624", kYear, "honours");
  ASSERT_TRUE(honours_only.ok());
  EXPECT_EQ(honours_only->size(), 1u);
  EXPECT_EQ(linkage().Decisions(county_, "", kYear, "bonus").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(LinkageTest, EligibilityFollowsTheData) {
  // Money found for B1's project makes it a measure; goals in the duty report and three stars
  // leave "no results" alone, which is not enough for the adjustment list.
  auto funded = svc().economy.funding.Add(town_b_, {.project_id = b1_project_,
                                                    .source = "government",
                                                    .funder = "县财政衔接资金",
                                                    .amount_fen = 50'000'000,
                                                    .note = ""});
  ASSERT_TRUE(funded.ok()) << funded.status().ToString();
  auto list = linkage().Propose(county_, "130624", kYear);
  ASSERT_TRUE(list.ok());
  auto adjustment = Of(*list, "adjustment", kVillageB1);
  ASSERT_EQ(adjustment.size(), 1u);
  EXPECT_FALSE(Says(adjustment[0]->reasons, "无举措"));
  EXPECT_TRUE(Says(adjustment[0]->reasons,
                   "集体经济项目1个：光伏电站收益管理（计划中，落实资金500000.00元）"));

  Report(kVillageB1, 2025, 1, 5, 10, 4, true);
  Exec("UPDATE assess_result SET stars = 3 WHERE division_code = ?", {storage::Value(kVillageB1)});
  list = linkage().Propose(county_, "130624", kYear);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(Of(*list, "adjustment", kVillageB1).empty());

  // A2's director post one day later: five months, no incentive. Growth of A1 interrupted in
  // 2023: no promotion (three years of growth needed) but still honours.
  Exec("UPDATE post SET start_date = '2025-07-02' WHERE kind = 'committee_director'");
  Put(kVillageA1, 2023, 140'000 * kYuan, 70'000 * kYuan);
  list = linkage().Propose(county_, "130624", kYear);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(Of(*list, "incentive", kVillageA2).empty());
  EXPECT_TRUE(Of(*list, "promotion", kVillageA1).empty());
  EXPECT_EQ(Of(*list, "honours", kVillageA1).size(), 1u);
  EXPECT_EQ(Count("linkage_decision", "status = 'proposed' AND year = 2025"),
            static_cast<int64_t>(list->size()))
      << "each proposal replaces the last";
}

TEST_F(LinkageTest, ApprovalsGoTownshipThenCounty) {
  auto list = linkage().Propose(county_, "130624", kYear);
  ASSERT_TRUE(list.ok());
  const int64_t a1_incentive = Of(*list, "incentive", kVillageA1)[0]->id;
  const int64_t a2_incentive = Of(*list, "incentive", kVillageA2)[0]->id;
  const int64_t b1_adjustment = Of(*list, "adjustment", kVillageB1)[0]->id;

  // Wrong order, wrong role, wrong scope: nothing changes.
  const std::string before = Snapshot();
  auto skip = linkage().Decide(county_, a2_incentive, "county_approved", "");
  ASSERT_EQ(skip.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(skip.status().message().find("is proposed"), std::string::npos)
      << skip.status().message();
  EXPECT_EQ(linkage().Decide(town_b_, a1_incentive, "township_approved", "").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(linkage().Decide(viewer_, a1_incentive, "township_approved", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(linkage().Decide(village_a1_, a1_incentive, "township_approved", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(linkage().Decide(county_, a1_incentive, "proposed", "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(linkage().Decide(county_, b1_adjustment, "rejected", "").status().code(),
            StatusCode::kInvalidArgument)
      << "a rejection says why";
  EXPECT_EQ(linkage().Decide(county_, 999, "township_approved", "").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Snapshot(), before);

  auto t = linkage().Decide(town_a_, a1_incentive, "township_approved", "镇党委会研究同意");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->status, "township_approved");
  // The county's step is not the township's to take.
  EXPECT_EQ(linkage().Decide(town_a_, a1_incentive, "county_approved", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(linkage().Decide(town_a_, a1_incentive, "rejected", "不同意").status().code(),
            StatusCode::kPermissionDenied);
  auto c = linkage().Decide(county_, a1_incentive, "county_approved", "县委组织部审定");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->status, "county_approved");
  ASSERT_EQ(c->steps.size(), 3u);
  EXPECT_EQ(c->steps[1].from, "proposed");
  EXPECT_EQ(c->steps[1].to, "township_approved");
  EXPECT_EQ(c->steps[1].by, town_a_.username);
  EXPECT_EQ(c->steps[1].comment, "镇党委会研究同意");
  EXPECT_EQ(c->steps[2].to, "county_approved");
  EXPECT_EQ(linkage().Decide(county_, a1_incentive, "rejected", "撤回").status().code(),
            StatusCode::kFailedPrecondition)
      << "a county-approved decision is closed";

  auto r = linkage().Decide(town_b_, b1_adjustment, "rejected", "已有新项目，暂缓调整");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Count("audit", "action = 'linkage_decision.decide'"), 3);

  // Proposing again replaces what is still proposed and keeps the rest as it stands.
  auto again = linkage().Propose(county_, "130624", kYear);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 5u);
  EXPECT_EQ(Of(*again, "incentive", kVillageA1)[0]->id, a1_incentive);
  EXPECT_EQ(Of(*again, "incentive", kVillageA1)[0]->status, "county_approved");
  EXPECT_EQ(Of(*again, "adjustment", kVillageB1)[0]->status, "rejected");
  EXPECT_NE(Of(*again, "incentive", kVillageA2)[0]->id, a2_incentive);
  EXPECT_EQ(Count("linkage_step", "to_status = 'proposed'"), 5);
}

TEST_F(LinkageTest, ProjectFundingWithinScope) {
  ProjectFunding f{.project_id = b1_project_,
                   .source = "enterprise",
                   .funder = "阜平测试农业公司",
                   .amount_fen = 12'345'678,
                   .note = "入股分红"};
  auto added = svc().economy.funding.Add(county_, f);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->division_code, kVillageB1);
  auto listed = svc().economy.funding.List(town_b_, b1_project_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].amount_fen, 12'345'678);
  EXPECT_EQ(ProjectFundingJson((*listed)[0]).at("division_code").as_string(), "130624101201");

  const std::string before = Snapshot();
  ProjectFunding bad = f;
  bad.amount_fen = 0;
  bad.source = "bank";
  auto refused = svc().economy.funding.Add(county_, bad);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(refused.status()), "source;amount_fen;");
  EXPECT_EQ(svc().economy.funding.Add(town_a_, f).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(svc().economy.funding.List(town_a_, b1_project_).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(svc().economy.funding.Add(viewer_, f).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(svc().economy.funding.Remove(town_a_, b1_project_, added->id).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(svc().economy.funding.Remove(town_b_, b1_project_, added->id + 1).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Snapshot(), before);

  ASSERT_TRUE(svc().economy.funding.Remove(town_b_, b1_project_, added->id).ok());
  EXPECT_EQ(Count("project_funding"), 0);
  EXPECT_EQ(Count("audit", "action LIKE 'project_funding.%'"), 2);
}

TEST_F(LinkageTest, PolicyJsonNamesTheFieldOfABadTier) {
  auto body = json::parse(R"({"county": "130624", "incentive": {"tiers": [
      {"from_fen": 0, "rate_bp": 500}, {"from_fen": "x", "rate_bp": 800}]},
      "rules": {"growth_years": 2}, "colour": 1})");
  auto p = LinkagePolicyFromJson(body.as_object(), DefaultLinkagePolicy("130624"));
  ASSERT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(p.status()), "incentive.tiers[1].from_fen;colour;");
  body = json::parse(R"({"incentive": {"cap_fen": 0}, "rules": {"growth_years": 2}})");
  p = LinkagePolicyFromJson(body.as_object(), DefaultLinkagePolicy("130624"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->incentive.cap_fen, 0);
  EXPECT_EQ(p->incentive.tiers.size(), 4u) << "absent fields keep the default";
  EXPECT_EQ(p->rules.growth_years, 2);
  // The stored document reads back the same.
  auto again = LinkagePolicyFromJson(LinkagePolicyDocument(*p), DefaultLinkagePolicy(""));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(json::serialize(LinkagePolicyDocument(*again)),
            json::serialize(LinkagePolicyDocument(*p)));
}

}  // namespace
}  // namespace qiangji::services::testing

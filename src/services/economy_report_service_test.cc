// EconomyReportService on a small hand-made county: three collectives over five years, one
// village without reports in a year, one assisted by a confirmed enterprise pairing. Every figure
// below is worked out by hand from the definitions in docs/economy.md.
#include <cmath>

#include <gtest/gtest.h>

#include "domain/economy.h"
#include "services/economy.h"
#include "services/economy_json.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

constexpr int64_t kYuan = 100;  // fen

std::string CreditCode(const std::string& org9) {
  const std::string first17 = "N2130624" + org9;
  return first17 + domain::CreditCodeCheckChar(first17);
}

class EconomyReportTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (HasFatalFailure()) return;
    a1_ = AddCollective(kVillageA1, "MA0A1B2C1");
    a2_ = AddCollective(kVillageA2, "MA0A1B2C2");
    b1_ = AddCollective(kVillageB1, "MA0A1B2C3");
    // Operating income in yuan by year, 2021..2025 (0: no report that year).
    const struct {
      int64_t id;
      int64_t income[5];
    } incomes[] = {
        {a1_, {40'000, 60'000, 90'000, 120'000, 150'000}},  // weak, leaves weak status in 2024
        {a2_, {200'000, 210'000, 190'000, 200'000, 180'000}},
        {b1_, {0, 0, 30'000, 0, 45'000}},  // weak; no report in 2021, 2022, 2024
    };
    for (const auto& v : incomes)
      for (int y = 0; y < 5; ++y)
        if (v.income[y] != 0) Put(v.id, 2021 + y, v.income[y] * kYuan);
    // B1 is paired with an enterprise through 2025; A2's pairing ended in 2024; A1 is in a run
    // that was never confirmed.
    Exec(
        "INSERT INTO enterprise (id, county_code, name, ownership, location_code,"
        " capacity_villages, capacity_firms, created_at, updated_at) VALUES (1, 130624000000,"
        " '阜平测试农业公司', 'private', 130624100000, 3, 3, 'x', 'x')");
    Exec(
        "INSERT INTO pairing_run (id, scope, scope_lo, scope_hi, name, status, params,"
        " start_date, created_at, created_by) VALUES (1, '130624', 130624000000, 130624999999,"
        " 'r1', 'confirmed', '{}', '2022-06-01', 'x', 'x'), (2, '130624', 130624000000,"
        " 130624999999, 'r2', 'confirmed', '{}', '2024-03-01', 'x', 'x'), (3, '130624',"
        " 130624000000, 130624999999, 'r3', 'matched', '{}', '2025-01-01', 'x', 'x')");
    Exec(
        "INSERT INTO pairing (run_id, enterprise_id, division_code, kind, score, start_date,"
        " end_date) VALUES (1, 1, 130624100202, 'village', 0.5, '2022-06-01', '2024-06-01'),"
        " (2, 1, 130624101201, 'collective', 0.5, '2024-03-01', '2026-03-01'),"
        " (3, 1, 130624100201, 'village', 0.5, NULL, NULL)");
  }

  void Exec(const std::string& sql) {
    auto r = db_->Execute(sql, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  int64_t AddCollective(int64_t village, const std::string& org9) {
    domain::Collective c;
    c.division_code = village;
    c.name = "合作社" + org9;
    c.credit_code = CreditCode(org9);
    c.member_count = 100;
    auto created = svc().economy.collectives.Create(system_, c);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  // A report whose operating income is `income` (all operating revenue; a subsidy beside it that
  // must not count), with costs of a quarter of it.
  void Put(int64_t collective, int year, int64_t income) {
    domain::AnnualReport r;
    r.collective_id = collective;
    r.year = year;
    r.operating_revenue = income;
    r.subsidy_income = 5'000'000;
    r.operating_costs = income / 4;
    r.surplus = income + 5'000'000 - income / 4;
    r.undistributed = r.surplus;
    auto put = svc().economy.collectives.PutReport(system_, r);
    EXPECT_TRUE(put.ok()) << put.status().ToString();
  }

  Result<EconomyReport> Run(const Caller& caller, EconomyQuery q = {}) {
    return svc().economy.reports.Report(caller, q);
  }

  static const VillageEconomy& Village(const EconomyReport& r, int64_t code) {
    for (const VillageEconomy& v : r.villages)
      if (v.division_code == code) return v;
    ADD_FAILURE() << "no village " << code;
    return r.villages.front();
  }

  int64_t a1_ = 0, a2_ = 0, b1_ = 0;
};

TEST_F(EconomyReportTest, FiguresOfTheHandMadeCounty) {
  auto r = Run(county_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first_year, 2021);
  EXPECT_EQ(r->last_year, 2025);
  EXPECT_EQ(r->weak_threshold_fen, 10'000'000);
  ASSERT_EQ(r->total.size(), 5u);

  const auto& y2021 = r->total[0];
  EXPECT_EQ(y2021.year, 2021);
  EXPECT_EQ(y2021.villages, 3);  // the residents' committee has no collective
  EXPECT_EQ(y2021.reported, 2);
  EXPECT_EQ(y2021.weak, 1);
  EXPECT_EQ(y2021.exits, 0);
  EXPECT_EQ(y2021.bands, (std::array<int64_t, 5>{1, 0, 1, 0, 0}));
  EXPECT_EQ(y2021.total_income_fen, 240'000 * kYuan) << "subsidies never count";
  EXPECT_EQ(y2021.median_income_fen, 40'000 * kYuan) << "the lower middle of two";
  EXPECT_TRUE(std::isnan(y2021.total_growth));
  EXPECT_DOUBLE_EQ(r->total[1].total_growth, 30.0 / 240.0);
  EXPECT_EQ(r->total[1].bands, (std::array<int64_t, 5>{0, 1, 1, 0, 0}));
  EXPECT_EQ(r->total[2].weak, 2);
  EXPECT_EQ(r->total[3].reported, 2);
  EXPECT_EQ(r->total[3].exits, 1);  // A1: 90,000 -> 120,000
  EXPECT_EQ(r->total[3].weak, 0);
  const auto& y2025 = r->total[4];
  EXPECT_EQ(y2025.reported, 3);
  EXPECT_EQ(y2025.weak, 1);
  EXPECT_EQ(y2025.exits, 0) << "B1 filed nothing in 2024: no exit can be judged";
  EXPECT_EQ(y2025.bands, (std::array<int64_t, 5>{1, 0, 2, 0, 0}));
  EXPECT_EQ(y2025.total_income_fen, 375'000 * kYuan);
  EXPECT_EQ(y2025.median_income_fen, 150'000 * kYuan);
  EXPECT_DOUBLE_EQ(y2025.total_growth, (330.0 - 320.0) / 320.0) << "over villages in both years";

  ASSERT_EQ(r->townships.size(), 2u);
  EXPECT_EQ(r->townships[0].code, kTownA);
  EXPECT_EQ(r->townships[0].name, "龙泉关镇");
  EXPECT_DOUBLE_EQ(r->townships[0].growth_last, 10.0 / 320.0);
  EXPECT_EQ(r->townships[0].rank, 1);
  EXPECT_EQ(r->townships[0].years[0].villages, 2);
  EXPECT_EQ(r->townships[1].code, kTownB);
  EXPECT_TRUE(std::isnan(r->townships[1].growth_last));
  EXPECT_EQ(r->townships[1].rank, 0);

  ASSERT_EQ(r->villages.size(), 3u);
  EXPECT_EQ(r->villages[0].division_code, kVillageB1) << "weak villages first";
  const VillageEconomy& a1 = Village(*r, kVillageA1);
  EXPECT_EQ(a1.name, "骆驼湾村");
  EXPECT_EQ(a1.township_name, "龙泉关镇");
  EXPECT_FALSE(a1.weak);
  EXPECT_EQ(a1.exit_year, 2024);
  EXPECT_EQ(a1.income_fen[4], 150'000 * kYuan);
  EXPECT_EQ(a1.profit_fen[4], 150'000 * kYuan - 150'000 * kYuan / 4);
  EXPECT_TRUE(std::isnan(a1.growth[0]));
  EXPECT_DOUBLE_EQ(a1.growth[4], 0.25);
  EXPECT_NEAR(a1.cagr, std::pow(150.0 / 40.0, 0.25) - 1, 1e-12);
  EXPECT_FALSE(a1.assisted) << "a run that was never confirmed";
  const VillageEconomy& b1 = Village(*r, kVillageB1);
  EXPECT_TRUE(b1.weak);
  EXPECT_TRUE(b1.assisted);
  EXPECT_EQ(b1.exit_year, 0);
  EXPECT_EQ(b1.income_fen[3], engines::economy::kNoReport);
  EXPECT_TRUE(std::isnan(b1.growth[4]));
  EXPECT_NEAR(b1.cagr, std::sqrt(45.0 / 30.0) - 1, 1e-12) << "first and last reported years";
  EXPECT_FALSE(Village(*r, kVillageA2).assisted) << "its pairing ended in 2024";

  EXPECT_EQ(r->assisted.villages, 1);
  EXPECT_TRUE(std::isnan(r->assisted.mean_growth));
  EXPECT_DOUBLE_EQ(r->assisted.weak_share, 1.0);
  EXPECT_EQ(r->unassisted.villages, 2);
  EXPECT_DOUBLE_EQ(r->unassisted.mean_growth, (0.25 + -0.1) / 2);
  EXPECT_DOUBLE_EQ(r->unassisted.weak_share, 0.0);

  // The JSON the API and the CLI print: undefined figures are null.
  const boost::json::object j = EconomyReportJson(*r);
  EXPECT_TRUE(j.at("total").as_array()[0].as_object().at("total_growth").is_null());
  EXPECT_EQ(j.at("total").as_array()[4].as_object().at("bands").as_object().at("100k_500k"), 2);
  const boost::json::object& v0 = j.at("villages").as_array()[0].as_object();
  EXPECT_EQ(v0.at("division_code"), "130624101201");
  EXPECT_TRUE(v0.at("exit_year").is_null());
  EXPECT_TRUE(v0.at("income_fen").as_array()[3].is_null());
  EXPECT_EQ(v0.at("band"), "under_50k");
  EXPECT_EQ(j.at("years").as_array().size(), 5u);
  EXPECT_TRUE(j.at("bands").as_array()[0].as_object().at("lower_fen").is_null());
}

TEST_F(EconomyReportTest, ThresholdFromTheQueryOrTheCountyPolicy) {
  EconomyQuery q;
  q.weak_threshold_fen = 5'000'000;  // 50,000 yuan, as some provinces count
  auto r = Run(county_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total[0].weak, 1);
  EXPECT_EQ(r->total[1].exits, 1);  // A1: 40,000 -> 60,000
  EXPECT_EQ(Village(*r, kVillageA1).exit_year, 2022);

  // The county's latest linkage policy sets the default.
  Exec(
      "INSERT INTO linkage_policy (scope, version, policy, created_at, created_by) VALUES"
      " ('130624', 1, '{\"weak_threshold_fen\": 20000000}', 'x', 'x'),"
      " ('130624', 2, '{\"weak_threshold_fen\": 5000000}', 'x', 'x')");
  EXPECT_EQ(Run(county_)->weak_threshold_fen, 5'000'000);
  EXPECT_EQ(Run(town_a_)->weak_threshold_fen, 5'000'000);
  // A query across counties keeps the national default.
  EXPECT_EQ(Run(system_)->weak_threshold_fen, 10'000'000);
  q = {};
  q.under = "130624";
  EXPECT_EQ(Run(system_, q)->weak_threshold_fen, 5'000'000);
  q.weak_threshold_fen = 7'000'000;
  EXPECT_EQ(Run(system_, q)->weak_threshold_fen, 7'000'000);
}

TEST_F(EconomyReportTest, YearsAndScope) {
  EconomyQuery q;
  q.last_year = 2024;
  auto r = Run(county_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first_year, 2020);
  EXPECT_EQ(r->total.size(), 5u);
  EXPECT_EQ(r->total[0].reported, 0);
  q.first_year = 2023;
  q.last_year = 2025;
  r = Run(county_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total.size(), 3u);
  EXPECT_EQ(Village(*r, kVillageA1).exit_year, 2024);
  q.first_year = 2026;
  Status st = Run(county_, q).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field_errors().at(0).field, "first_year");
  q = {};
  q.weak_threshold_fen = 0;
  EXPECT_EQ(Run(county_, q).status().field_errors().at(0).field, "weak_threshold_fen");

  // A township sees its own villages; a village its own.
  r = Run(town_b_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->villages.size(), 1u);
  EXPECT_EQ(r->villages[0].division_code, kVillageB1);
  ASSERT_EQ(r->townships.size(), 1u);
  EXPECT_EQ(r->last_year, 2025);
  r = Run(MakeCaller(domain::Role::kVillage, "130624100202", 9));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->villages.size(), 1u);
  EXPECT_EQ(r->villages[0].division_code, kVillageA2);
  q = {};
  q.under = "130624100";
  EXPECT_EQ(Run(town_b_, q).status().code(), StatusCode::kNotFound);
  q.under = "130624100";
  r = Run(county_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->villages.size(), 2u);
}

TEST_F(EconomyReportTest, NothingFiledYetStillHasTheReportsShape) {
  Exec("DELETE FROM annual_report");
  auto r = Run(county_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->last_year, Date::TodayInChina().year() - 1);
  EXPECT_EQ(r->total.size(), 5u);
  EXPECT_EQ(r->total[4].villages, 3);
  EXPECT_EQ(r->total[4].reported, 0);
  for (const VillageEconomy& v : r->villages) EXPECT_FALSE(v.weak);
}

}  // namespace
}  // namespace qiangji::services::testing

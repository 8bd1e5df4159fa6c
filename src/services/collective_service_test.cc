// CollectiveService: collectives and their annual reports — the credit code, scope (NotFound
// outside it), who may write, totals that must add up (field errors named as the client sent
// them, nothing stored), exact derived figures, and the all-or-nothing CSV/JSON import.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "domain/economy.h"
#include "services/economy.h"
#include "services/economy_json.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

// A GB 32100 code for a village collective (registration authority N 农业, kind 2 村级集体经济
// 组织, the county's region code, a 9-character organization code) with its check character.
std::string CreditCode(const std::string& org9) {
  const std::string first17 = "N2130624" + org9;
  return first17 + domain::CreditCodeCheckChar(first17);
}

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : s.field_errors()) out.push_back(e.field);
  return out;
}

bool HasField(const Status& s, const std::string& field) {
  for (const FieldError& e : s.field_errors())
    if (e.field == field) return true;
  return false;
}

// A report whose totals add up: revenue, contracting, investment and subsidy income, operating
// costs, with the rest derived.
domain::AnnualReport Report(int64_t collective_id, int year, int64_t revenue, int64_t contracting,
                            int64_t investment, int64_t subsidy, int64_t costs) {
  domain::AnnualReport r;
  r.collective_id = collective_id;
  r.year = year;
  r.operating_revenue = revenue;
  r.contracting_income = contracting;
  r.investment_income = investment;
  r.subsidy_income = subsidy;
  r.other_income = 1'000;
  r.operating_costs = costs;
  r.admin_expenses = 2'000;
  r.other_expenses = 0;
  r.surplus = revenue + contracting + investment + subsidy + 1'000 - costs - 2'000;
  r.opening_undistributed = 5'000;
  r.reserve_fund = 300;
  r.welfare_fund = 200;
  r.member_distribution = 0;
  r.undistributed = r.surplus + 5'000 - 300 - 200;
  r.current_assets = 700'000;
  r.fixed_assets = 300'001;
  r.total_assets = 1'000'001;
  r.liabilities = 400'000;
  r.equity = 600'001;
  return r;
}

class CollectiveTest : public ServicesTest {
 protected:
  CollectiveService& collectives() { return svc().economy.collectives; }

  domain::Collective Body(int64_t village, const std::string& org9,
                          const std::string& name = "骆驼湾村股份经济合作社") {
    domain::Collective c;
    c.division_code = village;
    c.name = name;
    c.kind = "shareholding_coop";
    c.credit_code = CreditCode(org9);
    c.registered_on = *Date::FromYmd(2019, 6, 18);
    c.member_count = 612;
    c.share_classes = {{"集体股", 300}, {"人口股", 612}};
    return c;
  }

  int64_t Create(int64_t village, const std::string& org9) {
    auto c = collectives().Create(county_, Body(village, org9, "测试合作社" + org9));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? c->id : 0;
  }

  const Caller village_a1_ = MakeCaller(domain::Role::kVillage, "130624100201", 5);
};

TEST_F(CollectiveTest, CreditCodeCheckCharacterFollowsGb32100) {
  // The standard's worked pattern: weights 3^(i-1) mod 31 and check = 31 - sum mod 31.
  const std::string code = CreditCode("MA0A1B2C3");
  EXPECT_TRUE(domain::ValidateCreditCode(code).ok());
  std::string wrong = code;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  EXPECT_FALSE(domain::ValidateCreditCode(wrong).ok());
}

TEST_F(CollectiveTest, CreateReadListAndAudit) {
  auto c = collectives().Create(county_, Body(kVillageA1, "MA0A1B2C3"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_GT(c->id, 0);
  EXPECT_FALSE(c->updated_at.empty());
  auto got = collectives().Get(town_a_, c->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->credit_code, c->credit_code);
  EXPECT_EQ(got->member_count, 612);
  ASSERT_EQ(got->share_classes.size(), 2u);
  EXPECT_EQ(got->share_classes[1].name, "人口股");
  EXPECT_EQ(got->share_classes[1].shares, 612);
  EXPECT_EQ(got->registered_on->ToString(), "2019-06-18");
  auto by_village = collectives().ByVillage(village_a1_, kVillageA1);
  ASSERT_TRUE(by_village.ok()) << by_village.status().ToString();
  EXPECT_EQ(by_village->id, c->id);
  EXPECT_EQ(collectives().ByVillage(county_, kVillageA2).status().code(), StatusCode::kNotFound);

  ListQuery q;
  q.under = "130624100";
  auto page = collectives().List(county_, q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
  q.under = "130624101";
  EXPECT_EQ(collectives().List(county_, q)->total, 0);
  q.under = "";
  q.q = c->credit_code;
  EXPECT_EQ(collectives().List(county_, q)->total, 1);
  EXPECT_EQ(collectives().List(town_b_, ListQuery{})->total, 0);
  EXPECT_EQ(Count("audit", "action = 'collective.create' AND division_code = 130624100201"), 1);
}

TEST_F(CollectiveTest, BadCollectivesAreFieldErrorsAndNothingIsStored) {
  domain::Collective bad = Body(kVillageA1, "MA0A1B2C3");
  bad.credit_code[17] = bad.credit_code[17] == '0' ? '1' : '0';
  Status st = collectives().Create(county_, bad).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"credit_code"}) << st.ToString();
  EXPECT_NE(st.field_errors()[0].message.find("GB 32100"), std::string::npos);

  bad = Body(kVillageA1, "MA0A1B2C3");
  bad.credit_code = "N2130624MA0A1B2CI1";  // I is not in the code's character set
  EXPECT_EQ(Fields(collectives().Create(county_, bad).status()),
            std::vector<std::string>{"credit_code"});
  bad = Body(kVillageA1, "MA0A1B2C3");
  bad.member_count = -1;
  EXPECT_EQ(Fields(collectives().Create(county_, bad).status()),
            std::vector<std::string>{"member_count"});
  bad = Body(kTownA, "MA0A1B2C3");  // a township is not a village
  EXPECT_TRUE(HasField(collectives().Create(county_, bad).status(), "division_code"));
  bad = Body(0, "MA0A1B2C3");
  EXPECT_TRUE(HasField(collectives().Create(county_, bad).status(), "division_code"));
  EXPECT_EQ(Count("collective"), 0);
  EXPECT_EQ(Count("audit", "action LIKE 'collective.%'"), 0);
}

TEST_F(CollectiveTest, OneCollectivePerVillageAndPerCreditCode) {
  const int64_t id = Create(kVillageA1, "MA0A1B2C3");
  Status again = collectives().Create(county_, Body(kVillageA1, "MA0A1B2C4")).status();
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message().rfind("division_code:", 0), 0u) << again.message();
  Status same_code = collectives().Create(county_, Body(kVillageA2, "MA0A1B2C3")).status();
  EXPECT_EQ(same_code.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(same_code.message().rfind("credit_code:", 0), 0u) << same_code.message();
  EXPECT_NE(same_code.message().find(fmt::format("(collective {}", id)), std::string::npos);
  // A township user outside A is not told whose code it is.
  Status hidden = collectives().Create(town_b_, Body(kVillageB1, "MA0A1B2C3")).status();
  EXPECT_EQ(hidden.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(hidden.message().find("骆驼湾"), std::string::npos);
  EXPECT_EQ(hidden.message().find(fmt::format("(collective {}", id)), std::string::npos);
  EXPECT_EQ(Count("collective"), 1);
}

TEST_F(CollectiveTest, ScopeAndRoles) {
  // Outside the scope: NotFound, as for a missing village; nothing stored.
  EXPECT_EQ(collectives().Create(town_b_, Body(kVillageA1, "MA0A1B2C3")).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(collectives().Create(village_a1_, Body(kVillageA1, "MA0A1B2C3")).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(collectives().Create(viewer_, Body(kVillageA1, "MA0A1B2C3")).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("collective"), 0);
  auto c = collectives().Create(town_a_, Body(kVillageA1, "MA0A1B2C3"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(collectives().Get(town_b_, c->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(collectives().Get(town_a_, c->id + 100).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(collectives().ByVillage(town_b_, kVillageA1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(collectives().Reports(town_b_, c->id).status().code(), StatusCode::kNotFound);
  domain::Collective edit = *c;
  edit.name = "改名";
  EXPECT_EQ(collectives().Update(town_b_, edit).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(collectives().Update(village_a1_, edit).status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(collectives().Get(viewer_, c->id).ok());
}

TEST_F(CollectiveTest, UpdateKeepsTheVillageAndAudits) {
  auto c = collectives().Create(county_, Body(kVillageA1, "MA0A1B2C3"));
  ASSERT_TRUE(c.ok());
  domain::Collective edit = *c;
  edit.name = "骆驼湾村经济合作社";
  edit.kind = "economic_coop";
  edit.member_count = 640;
  edit.share_classes.clear();
  auto updated = collectives().Update(town_a_, edit);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  auto got = collectives().Get(county_, c->id);
  EXPECT_EQ(got->name, "骆驼湾村经济合作社");
  EXPECT_EQ(got->kind, "economic_coop");
  EXPECT_EQ(got->member_count, 640);
  EXPECT_TRUE(got->share_classes.empty());
  EXPECT_EQ(Count("audit", "action = 'collective.update' AND before_json LIKE '%骆驼湾村股份%'"),
            1);

  edit.division_code = kVillageA2;
  EXPECT_EQ(Fields(collectives().Update(county_, edit).status()),
            std::vector<std::string>{"division_code"});
  edit.division_code = 0;
  edit.member_count = -5;
  EXPECT_EQ(Fields(collectives().Update(county_, edit).status()),
            std::vector<std::string>{"member_count"});
  EXPECT_EQ(collectives().Get(county_, c->id)->member_count, 640);
}

TEST_F(CollectiveTest, ReportDerivedFiguresAreExactAndExcludeSubsidies) {
  const int64_t id = Create(kVillageA1, "MA0A1B2C3");
  // 经营收入 1,234,567.89; 发包及上交 234,567.01; 投资收益 -1,000.55; 补助 999,999.99.
  domain::AnnualReport r = Report(id, 2024, 123456789, 23456701, -100055, 99999999, 50000001);
  auto put = collectives().PutReport(county_, r);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->division_code, kVillageA1);
  EXPECT_EQ(domain::OperatingIncome(*put), 123456789 + 23456701 - 100055);
  EXPECT_EQ(domain::OperatingProfit(*put), 123456789 + 23456701 - 100055 - 50000001);
  const boost::json::object j = AnnualReportJson(*put);
  EXPECT_EQ(j.at("operating_income_fen").as_int64(), 146813435);
  EXPECT_EQ(j.at("operating_profit_fen").as_int64(), 96813434);
  EXPECT_EQ(j.at("subsidy_income_fen").as_int64(), 99999999);
  EXPECT_EQ(j.at("band").as_string(), "over_1m");
  // Stored derived columns agree, to the fen.
  EXPECT_EQ(Count("annual_report", "operating_income = 146813435 AND operating_profit = 96813434"),
            1);
  EXPECT_EQ(Count("audit", "action = 'annual_report.put' AND before_json IS NULL"), 1);

  // A second put of the year replaces it; the audit row keeps the before.
  r.subsidy_income += 100;
  r.surplus += 100;
  r.undistributed += 100;
  r.note = "更正补助收入";
  ASSERT_TRUE(collectives().PutReport(village_a1_, r).ok());
  ASSERT_TRUE(collectives().PutReport(county_, Report(id, 2023, 100, 0, 0, 0, 0)).ok());
  auto list = collectives().Reports(village_a1_, id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].year, 2023);
  EXPECT_EQ((*list)[1].subsidy_income, 100000099);
  EXPECT_EQ((*list)[1].note, "更正补助收入");
  EXPECT_EQ(domain::OperatingIncome((*list)[1]), 146813435) << "subsidies never count";
  EXPECT_EQ(Count("audit", "action = 'annual_report.put' AND before_json IS NOT NULL"), 1);
}

TEST_F(CollectiveTest, ReportsThatDoNotAddUpAreRefusedAndNothingIsStored) {
  const int64_t id = Create(kVillageA1, "MA0A1B2C3");
  domain::AnnualReport r = Report(id, 2024, 1000000, 0, 0, 0, 0);
  r.surplus += 1;
  Status st = collectives().PutReport(county_, r).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  // surplus is wrong; undistributed, computed from the stated surplus, still agrees.
  r.undistributed += 1;
  st = collectives().PutReport(county_, r).status();
  EXPECT_EQ(Fields(st), std::vector<std::string>{"surplus_fen"}) << st.ToString();
  EXPECT_NE(st.field_errors()[0].message.find("fen"), std::string::npos);

  r = Report(id, 2024, 1000000, 0, 0, 0, 0);
  r.total_assets += 1;
  st = collectives().PutReport(county_, r).status();
  EXPECT_TRUE(HasField(st, "total_assets_fen")) << st.ToString();
  EXPECT_TRUE(HasField(st, "equity_fen")) << st.ToString();
  r = Report(id, 2024, 1000000, 0, 0, 0, 0);
  r.subsidy_income = -1;
  EXPECT_TRUE(HasField(collectives().PutReport(county_, r).status(), "subsidy_income_fen"));
  r = Report(id, 1999, 1000000, 0, 0, 0, 0);
  EXPECT_EQ(Fields(collectives().PutReport(county_, r).status()), std::vector<std::string>{"year"});
  r = Report(id, 2024, 1000000, 0, 0, 0, 0);
  r.division_code = kVillageA2;
  EXPECT_EQ(Fields(collectives().PutReport(county_, r).status()),
            std::vector<std::string>{"division_code"});
  EXPECT_EQ(Count("annual_report"), 0);
  EXPECT_EQ(Count("audit", "action = 'annual_report.put'"), 0);
}

TEST_F(CollectiveTest, ReportsOutsideTheScopeAreNotFound) {
  const int64_t a1 = Create(kVillageA1, "MA0A1B2C3");
  const int64_t a2 = Create(kVillageA2, "MA0A1B2C4");
  EXPECT_EQ(collectives().PutReport(town_b_, Report(a1, 2024, 100, 0, 0, 0, 0)).status().code(),
            StatusCode::kNotFound);
  // A village user keeps its own books, not the neighbour's.
  EXPECT_TRUE(collectives().PutReport(village_a1_, Report(a1, 2024, 100, 0, 0, 0, 0)).ok());
  EXPECT_EQ(collectives().PutReport(village_a1_, Report(a2, 2024, 100, 0, 0, 0, 0)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(collectives().PutReport(viewer_, Report(a1, 2024, 100, 0, 0, 0, 0)).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(
      collectives().PutReport(county_, Report(a2 + 50, 2024, 100, 0, 0, 0, 0)).status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(Count("annual_report"), 1);
}

// ---- import ----

const char* kHeader =
    "division_code,year,operating_revenue,contracting_income,investment_income,subsidy_income,"
    "operating_costs,surplus,undistributed,current_assets,total_assets,equity,note\n";

// One CSV line in yuan whose totals add up: surplus = revenue + contracting + investment +
// subsidy - costs.
std::string CsvLine(int64_t village, int year, const std::string& revenue,
                    const std::string& contracting, const std::string& investment,
                    const std::string& subsidy, const std::string& costs,
                    const std::string& surplus, const std::string& assets = "1000.00") {
  return fmt::format("{:012d},{},{},{},{},{},{},{},{},{},{},{},\"备注,含逗号\"\n", village, year,
                     revenue, contracting, investment, subsidy, costs, surplus, surplus, assets,
                     assets, assets);
}

TEST_F(CollectiveTest, CsvImportIsExactInYuanAndAllOrNothing) {
  const int64_t a1 = Create(kVillageA1, "MA0A1B2C3");
  const int64_t a2 = Create(kVillageA2, "MA0A1B2C4");
  // Surplus in yuan, exactly: 12345.67 + 100.01 + 0.32 + 50000 - 2345.6 = 60100.40.
  const std::string good =
      std::string(kHeader) +
      CsvLine(kVillageA1, 2024, "12345.67", "100.01", "0.32", "50000", "2345.6", "60100.40") +
      CsvLine(kVillageA2, 2024, "80000", "0", "-1.5", "0", "0", "79998.50");
  // One bad row: nothing is stored, and the problem names rows[1] and the column.
  const std::string bad_sum =
      std::string(kHeader) +
      CsvLine(kVillageA1, 2024, "12345.67", "100.01", "0.32", "50000", "2345.6", "60100.40") +
      CsvLine(kVillageA2, 2024, "80000", "0", "-1.5", "0", "0", "79998.51");
  Status st = collectives().ImportReports(county_, "csv", bad_sum).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasField(st, "rows[1].surplus")) << st.ToString();
  EXPECT_NE(st.message().find("nothing was imported"), std::string::npos);
  EXPECT_EQ(Count("annual_report"), 0);

  const std::string third_decimal =
      std::string(kHeader) + CsvLine(kVillageA1, 2024, "12345.678", "0", "0", "0", "0", "12345.68");
  st = collectives().ImportReports(county_, "csv", third_decimal).status();
  EXPECT_EQ(Fields(st), std::vector<std::string>{"rows[0].operating_revenue"}) << st.ToString();

  const std::string no_collective = std::string(kHeader) +
                                    CsvLine(kVillageB1, 2024, "1", "0", "0", "0", "0", "1") +
                                    CsvLine(kVillageA1, 2024, "1", "0", "0", "0", "0", "1") +
                                    CsvLine(kVillageA1, 2024, "1", "0", "0", "0", "0", "1");
  st = collectives().ImportReports(county_, "csv", no_collective).status();
  EXPECT_TRUE(HasField(st, "rows[0].division_code")) << st.ToString();
  EXPECT_NE(st.field_errors()[0].message.find("no collective"), std::string::npos);
  EXPECT_TRUE(HasField(st, "rows[2].year")) << "a repeated village and year";
  EXPECT_EQ(Count("annual_report"), 0);

  // Outside the scope a village is not found, as in every other call.
  st = collectives().ImportReports(town_b_, "csv", good).status();
  EXPECT_TRUE(HasField(st, "rows[0].division_code"));
  EXPECT_NE(st.field_errors()[0].message.find("not found"), std::string::npos);
  EXPECT_EQ(Count("annual_report"), 0);

  auto stored = collectives().ImportReports(county_, "csv", good);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored, 2);
  auto list = collectives().Reports(county_, a1);
  ASSERT_EQ(list->size(), 1u);
  const domain::AnnualReport& r = (*list)[0];
  EXPECT_EQ(r.operating_revenue, 1234567);
  EXPECT_EQ(r.contracting_income, 10001);
  EXPECT_EQ(r.investment_income, 32);
  EXPECT_EQ(r.subsidy_income, 5000000);
  EXPECT_EQ(r.operating_costs, 234560);
  EXPECT_EQ(r.surplus, 6010040);
  EXPECT_EQ(r.note, "备注,含逗号");
  EXPECT_EQ(domain::OperatingIncome(r), 1234567 + 10001 + 32);
  EXPECT_EQ(collectives().Reports(county_, a2)->at(0).investment_income, -150);
  EXPECT_EQ(Count("audit", "action = 'annual_report.import' AND division_code = 130624100000"), 1);
  // Importing again replaces the same reports.
  EXPECT_EQ(*collectives().ImportReports(county_, "csv", good), 2);
  EXPECT_EQ(Count("annual_report"), 2);
}

TEST_F(CollectiveTest, JsonImportUsesFenAndTheApiFieldNames) {
  const int64_t a1 = Create(kVillageA1, "MA0A1B2C3");
  boost::json::object row = AnnualReportJson(Report(a1, 2025, 300, 0, 0, 0, 0));
  row["division_code"] = "130624100201";
  boost::json::object bad = row;
  bad["year"] = 2024;
  bad["undistributed_fen"] = 1;
  const std::string text = boost::json::serialize(boost::json::array{row, bad});
  Status st = collectives().ImportReports(village_a1_, "json", text).status();
  EXPECT_EQ(Fields(st), std::vector<std::string>{"rows[1].undistributed_fen"}) << st.ToString();
  EXPECT_EQ(Count("annual_report"), 0);
  bad = row;
  bad["year"] = 2024;
  bad["surplus"] = 1;  // the domain name is not the API's
  st = collectives()
           .ImportReports(village_a1_, "json", boost::json::serialize(boost::json::array{row, bad}))
           .status();
  EXPECT_TRUE(HasField(st, "rows[1].surplus")) << st.ToString();
  EXPECT_EQ(*collectives().ImportReports(village_a1_, "json",
                                         boost::json::serialize(boost::json::array{row})),
            1);
  EXPECT_EQ(collectives().ImportReports(county_, "xml", "x").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(collectives().ImportReports(viewer_, "json", "[]").status().code(),
            StatusCode::kPermissionDenied);
}

TEST(EconomyJsonTest, CollectiveAndReportBodiesAreReadStrictly) {
  boost::json::object body{
      {"division_code", "130624100201"},
      {"name", "合作社"},
      {"credit_code", CreditCode("MA0A1B2C3")},
      {"member_count", 10},
      {"share_classes", boost::json::array{boost::json::object{{"name", "集体股"}, {"shares", 5}}}},
      {"id", 7},
      {"updated_at", "x"}};
  auto c = CollectiveFromJson(body);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->division_code, kVillageA1);
  EXPECT_EQ(c->kind, "shareholding_coop");
  EXPECT_EQ(c->share_classes.at(0).shares, 5);
  body["member_count"] = "many";
  body["colour"] = "red";
  Status st = CollectiveFromJson(body).status();
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"member_count", "colour"}));

  boost::json::object report{{"year", 2024},
                             {"operating_revenue_fen", 12.5},
                             {"operating_income_fen", 1},
                             {"band", "over_1m"}};
  st = AnnualReportFromJson(report).status();
  EXPECT_EQ(Fields(st), std::vector<std::string>{"operating_revenue_fen"});
  report["operating_revenue_fen"] = 1250;
  auto r = AnnualReportFromJson(report);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->operating_revenue, 1250);
  EXPECT_EQ(r->subsidy_income, 0);
  EXPECT_EQ(ReportJsonField("surplus"), "surplus_fen");
  EXPECT_EQ(ReportJsonField("year"), "year");
}

}  // namespace
}  // namespace qiangji::services::testing

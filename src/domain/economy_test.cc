#include "domain/economy.h"

#include <gtest/gtest.h>

namespace qiangji::domain {
namespace {

std::string FirstField(const Status& st) {
  return st.field_errors().empty() ? "" : st.field_errors()[0].field;
}
bool HasField(const Status& st, std::string_view field) {
  for (const FieldError& e : st.field_errors())
    if (e.field == field) return true;
  return false;
}

TEST(CreditCode, WorkedExampleOfTheStandardIsRejected) {
  // GB 32100-2015's own worked example: the check character of 91350100M000100Y4 is 3, so the
  // code ending in Z is wrong and the one ending in 3 is right.
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y4"), '3');
  Status wrong = ValidateCreditCode("91350100M000100Y4Z");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(FirstField(wrong), "credit_code");
  EXPECT_NE(wrong.field_errors()[0].message.find("\"3\""), std::string::npos)
      << wrong.field_errors()[0].message;
  EXPECT_TRUE(ValidateCreditCode("91350100M000100Y43").ok());
}

TEST(CreditCode, CheckValueThirtyOneIsZero) {
  // Find a 17-character body whose weighted sum is a multiple of 31: its check is '0'.
  std::string body = "N2130624MF0000000";
  for (char c : std::string("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
    body[16] = c;
    if (CreditCodeCheckChar(body) == '0') {
      EXPECT_TRUE(ValidateCreditCode(body + "0").ok());
      return;
    }
  }
  ADD_FAILURE() << "no body with check 0 found";
}

TEST(CreditCode, LengthAndCharacterSetAreChecked) {
  EXPECT_FALSE(ValidateCreditCode("91350100M000100Y4").ok());  // 17
  Status bad_char = ValidateCreditCode("91350100M00010OY43");  // letter O
  ASSERT_FALSE(bad_char.ok());
  EXPECT_NE(bad_char.field_errors()[0].message.find("\"O\""), std::string::npos);
  EXPECT_EQ(CreditCodeCheckChar("91350100M0001I0Y4"), '\0');
  EXPECT_FALSE(ValidateCreditCode("91350100m000100y43").ok());  // lower case
}

Collective GoodCollective() {
  Collective c;
  c.division_code = 130624100201;
  c.name = "骆驼湾村股份经济合作社";
  const std::string body = "N2130624MA0000001";
  c.credit_code = body + CreditCodeCheckChar(body);
  c.member_count = 612;
  c.share_classes = {{"集体股", 200}, {"人口股", 612}};
  return c;
}

TEST(Collective, ValidOneAndEachBrokenRule) {
  EXPECT_TRUE(ValidateCollective(GoodCollective()).ok());
  Collective neg = GoodCollective();
  neg.member_count = -1;
  EXPECT_EQ(FirstField(ValidateCollective(neg)), "member_count");
  Collective code = GoodCollective();
  code.credit_code[17] = code.credit_code[17] == '1' ? '2' : '1';
  EXPECT_EQ(FirstField(ValidateCollective(code)), "credit_code");
  Collective township = GoodCollective();
  township.division_code = 130624100000;
  EXPECT_EQ(FirstField(ValidateCollective(township)), "division_code");
  Collective kind = GoodCollective();
  kind.kind = "company";
  EXPECT_EQ(FirstField(ValidateCollective(kind)), "kind");
  Collective dup = GoodCollective();
  dup.share_classes.push_back({"集体股", 1});
  EXPECT_TRUE(HasField(ValidateCollective(dup), "share_classes[2].name"));
}

// A report that adds up: 12 万 operating income, 3 万 subsidies (not operating income).
AnnualReport GoodReport() {
  AnnualReport r;
  r.year = 2025;
  r.operating_revenue = 6'000'000;
  r.contracting_income = 4'000'000;
  r.investment_income = 2'000'000;
  r.subsidy_income = 3'000'000;
  r.other_income = 500'000;
  r.operating_costs = 2'500'000;
  r.admin_expenses = 1'000'000;
  r.other_expenses = 250'001;
  r.surplus = 12'000'000 + 3'500'000 - 3'750'001;
  r.opening_undistributed = 1'000'000;
  r.reserve_fund = 2'000'000;
  r.welfare_fund = 500'000;
  r.member_distribution = 6'000'000;
  r.undistributed = r.surplus + r.opening_undistributed - 8'500'000;
  r.current_assets = 30'000'000;
  r.agricultural_assets = 5'000'000;
  r.long_term_investments = 10'000'000;
  r.fixed_assets = 50'000'000;
  r.other_assets = 1;
  r.total_assets = 95'000'001;
  r.liabilities = 20'000'000;
  r.equity = 75'000'001;
  return r;
}

TEST(AnnualReport, SubsidiesAreNeverOperatingIncome) {
  AnnualReport r = GoodReport();
  ASSERT_TRUE(ValidateAnnualReport(r).ok()) << ValidateAnnualReport(r).message();
  EXPECT_EQ(OperatingIncome(r), 12'000'000);
  EXPECT_EQ(OperatingProfit(r), 9'500'000);
  r.subsidy_income += 99'999'999;  // a large subsidy changes neither figure
  r.other_income += 1;
  EXPECT_EQ(OperatingIncome(r), 12'000'000);
  EXPECT_EQ(OperatingProfit(r), 9'500'000);
}

TEST(AnnualReport, TotalsMustAddUpToTheFen) {
  AnnualReport r = GoodReport();
  r.surplus += 1;  // one fen off
  Status st = ValidateAnnualReport(r);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(HasField(st, "surplus"));
  EXPECT_NE(st.field_errors()[0].message.find("11749999 fen"), std::string::npos)
      << st.field_errors()[0].message;
  // The off-by-one surplus also breaks the distribution identity, named too.
  EXPECT_TRUE(HasField(st, "undistributed"));

  AnnualReport assets = GoodReport();
  assets.fixed_assets -= 1;
  Status a = ValidateAnnualReport(assets);
  EXPECT_TRUE(HasField(a, "total_assets"));
  AnnualReport equity = GoodReport();
  equity.liabilities += 100;
  EXPECT_TRUE(HasField(ValidateAnnualReport(equity), "equity"));
}

TEST(AnnualReport, SignsAndRanges) {
  AnnualReport loss = GoodReport();  // an investment loss is allowed
  loss.investment_income = -2'000'000;
  loss.surplus -= 4'000'000;
  loss.undistributed -= 4'000'000;
  EXPECT_TRUE(ValidateAnnualReport(loss).ok()) << ValidateAnnualReport(loss).message();
  EXPECT_EQ(OperatingIncome(loss), 8'000'000);

  AnnualReport neg = GoodReport();
  neg.operating_costs = -1;
  EXPECT_EQ(FirstField(ValidateAnnualReport(neg)), "operating_costs");
  AnnualReport huge = GoodReport();
  huge.operating_revenue = INT64_MAX;
  EXPECT_EQ(FirstField(ValidateAnnualReport(huge)), "operating_revenue");
  AnnualReport year = GoodReport();
  year.year = 1999;
  EXPECT_EQ(FirstField(ValidateAnnualReport(year)), "year");
}

TEST(IncomeBand, BoundariesAreLowerInclusive) {
  EXPECT_EQ(kIncomeBands[IncomeBandOf(-100)].key, "under_50k");
  EXPECT_EQ(kIncomeBands[IncomeBandOf(4'999'999)].key, "under_50k");
  EXPECT_EQ(kIncomeBands[IncomeBandOf(5'000'000)].key, "50k_100k");
  EXPECT_EQ(kIncomeBands[IncomeBandOf(9'999'999)].key, "50k_100k");
  EXPECT_EQ(kIncomeBands[IncomeBandOf(10'000'000)].key, "100k_500k");
  EXPECT_EQ(kIncomeBands[IncomeBandOf(50'000'000)].key, "500k_1m");
  EXPECT_EQ(kIncomeBands[IncomeBandOf(99'999'999)].key, "500k_1m");
  EXPECT_EQ(kIncomeBands[IncomeBandOf(100'000'000)].key, "over_1m");
  EXPECT_TRUE(IsWeakEconomy(9'999'999));
  EXPECT_FALSE(IsWeakEconomy(10'000'000));
  EXPECT_FALSE(IsWeakEconomy(5'000'000, 5'000'000));
}

}  // namespace
}  // namespace qiangji::domain

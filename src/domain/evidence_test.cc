#include "domain/evidence.h"

#include <cmath>

#include <gtest/gtest.h>

namespace qiangji::domain {
namespace {

constexpr int64_t kVillageCode = 130624100201;

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const auto& e : s.field_errors()) out.push_back(e.field);
  return out;
}

TEST(Quarter, ParsesAndRejects) {
  auto q = ParseQuarter("2025Q3");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->first, 2025);
  EXPECT_EQ(q->second, 3);
  for (const char* bad :
       {"2025Q0", "2025Q5", "2025q1", "2025-Q1", "25Q1", "1999Q4", "2101Q1", ""}) {
    auto r = ParseQuarter(bad, "quarters[2]");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().field_errors()[0].field, "quarters[2]");
    }
  }
}

TEST(Severity, Weights) {
  EXPECT_EQ(SeverityWeight("minor"), 1);
  EXPECT_EQ(SeverityWeight("moderate"), 3);
  EXPECT_EQ(SeverityWeight("serious"), 10);
  EXPECT_EQ(SeverityWeight("fatal"), 0);
}

TEST(PeriodicRating, GoodAndBad) {
  PeriodicRating r{kVillageCode, "2025Q2", 86.5, 9, 3, true, 1, "按期召开", ""};
  EXPECT_TRUE(ValidatePeriodicRating(r).ok());
  r.division_code = 130624100000;  // a township
  r.period = "2025Q9";
  r.score = 101;
  r.meetings_held = -1;
  r.affairs_disclosures = 10001;
  r.petitions = -2;
  r.note = std::string(501, 'x');
  EXPECT_EQ(Fields(ValidatePeriodicRating(r)),
            (std::vector<std::string>{"division_code", "period", "score", "meetings_held",
                                      "affairs_disclosures", "petitions", "note"}));
  r = {kVillageCode, "2025Q2", std::nan(""), 0, 0, false, 0, "", ""};
  EXPECT_EQ(Fields(ValidatePeriodicRating(r)), (std::vector<std::string>{"score"}));
}

TEST(SpotCheck, GoodAndBad) {
  SpotCheck c;
  c.division_code = kVillageCode;
  c.check_date = *Date::FromYmd(2025, 6, 3);
  c.category = "finance";
  c.severity = "serious";
  c.finding = "集体资金收支未入账";
  EXPECT_TRUE(ValidateSpotCheck(c).ok());
  // 500 Chinese characters are 1500 bytes and still fine: the limit counts characters.
  std::string long_text;
  for (int i = 0; i < 500; ++i) long_text += "账";
  c.finding = long_text;
  EXPECT_TRUE(ValidateSpotCheck(c).ok());
  c.finding += "账";
  c.category = "weather";
  c.severity = "grave";
  c.check_date = Date();  // 1970: not given
  EXPECT_EQ(Fields(ValidateSpotCheck(c)),
            (std::vector<std::string>{"check_date", "category", "severity", "finding"}));
  c = SpotCheck{};
  c.division_code = kVillageCode;
  c.check_date = *Date::FromYmd(2025, 6, 3);
  EXPECT_EQ(Fields(ValidateSpotCheck(c)), (std::vector<std::string>{"finding"}));
  c.finding = "bad\xff";
  EXPECT_EQ(Fields(ValidateSpotCheck(c)), (std::vector<std::string>{"finding"}));
}

TEST(DutyReport, NeedsAVote) {
  DutyReport r{kVillageCode, 2025, 20, 15, 3, 1, true, ""};
  EXPECT_TRUE(ValidateDutyReport(r).ok());
  r.excellent = r.competent = r.basic = r.incompetent = 0;
  EXPECT_EQ(Fields(ValidateDutyReport(r)), (std::vector<std::string>{"votes"}));
  r.year = 1999;
  r.basic = -1;
  EXPECT_EQ(Fields(ValidateDutyReport(r)), (std::vector<std::string>{"year", "basic"}));
}

TEST(SatisfactionSurvey, RateAndBounds) {
  SatisfactionSurvey s{kVillageCode, 2025, 200, 170, ""};
  EXPECT_TRUE(ValidateSatisfactionSurvey(s).ok());
  EXPECT_DOUBLE_EQ(s.Rate(), 0.85);
  s.satisfied = 201;
  EXPECT_EQ(Fields(ValidateSatisfactionSurvey(s)), (std::vector<std::string>{"satisfied"}));
  s = {kVillageCode, 2101, 0, 0, ""};
  EXPECT_EQ(Fields(ValidateSatisfactionSurvey(s)), (std::vector<std::string>{"year", "responses"}));
  EXPECT_EQ(s.Rate(), 0);
}

}  // namespace
}  // namespace qiangji::domain

#include "engines/economy/aggregate.h"

#include <cmath>

#include <gtest/gtest.h>

namespace qiangji::engines::economy {
namespace {


int64_t Yuan(int64_t yuan) { return yuan * 100; }

// Three villages in two townships over three years.
EconomyPanel SmallPanel() {
  EconomyPanel p;
  p.first_year = 2023;
  p.years = 3;
  p.townships = 2;
  p.township_of = {0, 0, 1};
  p.income = {
      Yuan(80'000),  Yuan(120'000), Yuan(150'000),     // v0: weak, exits in 2024
      Yuan(40'000),  kNoReport,     Yuan(60'000),      // v1: no 2024 report
      Yuan(600'000), Yuan(300'000), Yuan(1'200'000),   // v2
  };
  return p;
}

TEST(EconomyAggregate, BandsWeakAndExitsPerYear) {
  const EconomyPanel p = SmallPanel();
  ASSERT_TRUE(ValidatePanel(p).ok());
  const EconomyAggregates a = Aggregate(p, {});
  ASSERT_EQ(a.total.size(), 3u);
  EXPECT_EQ(a.total[0].year, 2023);
  EXPECT_EQ(a.total[0].reported, 3);
  EXPECT_EQ(a.total[0].weak, 2);  // 80k and 40k
  EXPECT_EQ(a.total[0].bands[0], 1);  // 40k
  EXPECT_EQ(a.total[0].bands[1], 1);  // 80k
  EXPECT_EQ(a.total[0].bands[3], 1);  // 600k
  EXPECT_EQ(a.total[1].reported, 2);
  EXPECT_EQ(a.total[1].weak, 0);
  EXPECT_EQ(a.total[1].exits, 1);  // v0; v1 did not report, so it neither exits nor stays
  EXPECT_EQ(a.total[2].exits, 0);  // v1 has no 2024 report to compare with
  EXPECT_EQ(a.total[2].bands[4], 1);  // 1.2m
  EXPECT_EQ(a.exit_year[0], 2024);
  EXPECT_EQ(a.exit_year[1], 0);
  // Township 0 has v0 and v1, township 1 has v2.
  EXPECT_EQ(a.township[0][0].weak, 2);
  EXPECT_EQ(a.township[1][0].weak, 0);
  EXPECT_EQ(a.township[0][1].exits, 1);
}

TEST(EconomyAggregate, TotalsMediansAndGrowth) {
  const EconomyAggregates a = Aggregate(SmallPanel(), {});
  EXPECT_EQ(a.total[0].total_income_fen, Yuan(720'000));
  EXPECT_EQ(a.total[0].median_income_fen, Yuan(80'000));
  EXPECT_EQ(a.total[1].median_income_fen, Yuan(120'000));  // lower middle of two
  EXPECT_TRUE(std::isnan(a.total[0].total_growth));
  // 2024 vs 2023 over villages reported both years (v0, v2): 420k vs 680k.
  EXPECT_NEAR(a.total[1].total_growth, (420'000.0 - 680'000.0) / 680'000.0, 1e-12);
  EXPECT_NEAR(a.growth[0 * 3 + 1], 0.5, 1e-12);
  EXPECT_TRUE(std::isnan(a.growth[1 * 3 + 1]));  // no report
  EXPECT_TRUE(std::isnan(a.growth[1 * 3 + 2]));  // no previous report
  EXPECT_NEAR(a.growth[2 * 3 + 2], 3.0, 1e-12);
  // CAGR from the first to the last reported year.
  EXPECT_NEAR(a.cagr[0], std::sqrt(150.0 / 80.0) - 1, 1e-12);
  EXPECT_NEAR(a.cagr[1], std::sqrt(60.0 / 40.0) - 1, 1e-12);
  EXPECT_NEAR(a.cagr[2], std::sqrt(2.0) - 1, 1e-12);
}

TEST(EconomyAggregate, ThresholdIsConfigurableAndStrict) {
  EconomyPanel p = SmallPanel();
  p.income[0] = Yuan(50'000);  // exactly the lower threshold: not weak under 50,000
  AggregateOptions fifty;
  fifty.weak_threshold_fen = Yuan(50'000);
  EXPECT_EQ(Aggregate(p, fifty).total[0].weak, 1);  // only v1 (40k)
  EXPECT_EQ(Aggregate(p, {}).total[0].weak, 2);
}

TEST(EconomyAggregate, ZeroOrNegativeBaseHasNoGrowth) {
  EconomyPanel p;
  p.first_year = 2024;
  p.years = 2;
  p.townships = 1;
  p.township_of = {0, 0};
  p.income = {0, Yuan(10), Yuan(-5), Yuan(10)};
  const EconomyAggregates a = Aggregate(p, {});
  EXPECT_TRUE(std::isnan(a.growth[1]));
  EXPECT_TRUE(std::isnan(a.growth[3]));
  EXPECT_TRUE(std::isnan(a.cagr[0]));
  EXPECT_TRUE(std::isnan(a.cagr[1]));
}

TEST(EconomyAggregate, BadPanelIsRefused) {
  EconomyPanel p = SmallPanel();
  p.income.pop_back();
  EXPECT_EQ(ValidatePanel(p).field_errors()[0].field, "income");
  p = SmallPanel();
  p.township_of[2] = 2;
  EXPECT_EQ(ValidatePanel(p).field_errors()[0].field, "township_of[2]");
}

}  // namespace
}  // namespace qiangji::engines::economy

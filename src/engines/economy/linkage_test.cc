#include "engines/economy/linkage.h"

#include <gtest/gtest.h>

namespace qiangji::engines::economy {
namespace {

int64_t Yuan(int64_t yuan) { return yuan * 100; }

// A county's tiers: 5% of the first 100,000 yuan of increase, 8% of the next 400,000, 10% above.
IncentivePolicy County() {
  IncentivePolicy p;
  p.tiers = {{0, 500}, {Yuan(100'000), 800}, {Yuan(500'000), 1000}};
  p.min_profit_fen = Yuan(50'000);
  p.min_tenure_months = 6;
  p.cap_fen = Yuan(60'000);
  return p;
}

TEST(Incentive, MarginalTiersExactToTheFen) {
  ASSERT_TRUE(ValidateIncentivePolicy(County()).ok());
  // Increase 150,000.01 yuan: 100,000 x 5% + 50,000.01 x 8% = 5,000 + 4,000.0008 -> 9,000.00.
  const IncentiveResult r = ComputeIncentive(County(), Yuan(100'000), Yuan(250'000) + 1, 12);
  ASSERT_TRUE(r.eligible);
  EXPECT_EQ(r.increase_fen, Yuan(150'000) + 1);
  ASSERT_EQ(r.slices.size(), 2u);
  EXPECT_EQ(r.slices[1].to_fen, Yuan(150'000) + 1);
  EXPECT_EQ(r.bonus_fen, Yuan(9'000));
}

TEST(Incentive, TierBoundaryBelongsToTheUpperTier) {
  IncentivePolicy flat = County();
  flat.marginal = false;
  // Exactly 100,000 yuan of increase reaches the second tier: 8% of all of it.
  EXPECT_EQ(ComputeIncentive(flat, Yuan(100'000), Yuan(200'000), 12).bonus_fen, Yuan(8'000));
  // One fen less stays in the first: 5%.
  // (10,000,000 - 1) fen x 5% = 499,999.95 fen -> 500,000 fen (5,000.00 yuan) half up.
  EXPECT_EQ(ComputeIncentive(flat, Yuan(100'000), Yuan(200'000) - 1, 12).bonus_fen, Yuan(5'000));
  // Marginal: exactly at the boundary the second slice is empty.
  const IncentiveResult m = ComputeIncentive(County(), Yuan(100'000), Yuan(200'000), 12);
  EXPECT_EQ(m.slices.size(), 1u);
  EXPECT_EQ(m.bonus_fen, Yuan(5'000));
}

TEST(Incentive, HalfUpRounding) {
  IncentivePolicy p;
  p.tiers = {{0, 5}};  // 0.05%
  p.min_profit_fen = 0;
  p.min_tenure_months = 0;
  // 1,000 fen x 5 bp = 0.5 fen -> 1 fen; 999 fen -> 0.4995 -> 0.
  EXPECT_EQ(ComputeIncentive(p, 0, 1000, 0).bonus_fen, 1);
  EXPECT_EQ(ComputeIncentive(p, 0, 999, 0).bonus_fen, 0);
}

TEST(Incentive, MinimumProfitTenureAndCap) {
  const IncentiveResult low = ComputeIncentive(County(), Yuan(10'000), Yuan(49'999), 24);
  EXPECT_FALSE(low.eligible);
  EXPECT_EQ(low.bonus_fen, 0);
  const IncentiveResult young = ComputeIncentive(County(), Yuan(100'000), Yuan(300'000), 5);
  EXPECT_FALSE(young.eligible);
  EXPECT_NE(young.lines.back().find("不满6个月"), std::string::npos);
  EXPECT_TRUE(ComputeIncentive(County(), Yuan(100'000), Yuan(300'000), 6).eligible);
  const IncentiveResult fall = ComputeIncentive(County(), Yuan(300'000), Yuan(200'000), 24);
  EXPECT_FALSE(fall.eligible);
  // 1,000,000 increase: 5,000 + 32,000 + 50,000 = 87,000 > cap 60,000.
  const IncentiveResult big = ComputeIncentive(County(), Yuan(100'000), Yuan(1'100'000), 24);
  EXPECT_EQ(big.uncapped_fen, Yuan(87'000));
  EXPECT_EQ(big.bonus_fen, Yuan(60'000));
  EXPECT_TRUE(big.capped);
}

TEST(Incentive, PolicyErrorsNameTheField) {
  IncentivePolicy p = County();
  p.tiers[1].from_fen = 0;
  EXPECT_EQ(ValidateIncentivePolicy(p).field_errors()[0].field, "tiers[1].from_fen");
  p = County();
  p.tiers[2].rate_bp = 10001;
  EXPECT_EQ(ValidateIncentivePolicy(p).field_errors()[0].field, "tiers[2].rate_bp");
  p = County();
  p.cap_fen = -1;
  EXPECT_EQ(ValidateIncentivePolicy(p).field_errors()[0].field, "cap_fen");
}

LinkageFacts Good() {
  LinkageFacts f;
  f.growth = {0.1, 0.2, 0.15};
  f.stars = 5;
  f.tenure_months = 48;
  f.projects = 2;
  return f;
}

TEST(Linkage, PromotionNeedsEveryRule) {
  const LinkageRules rules;
  EXPECT_TRUE(JudgeLinkage(rules, Good()).promotion_eligible);
  LinkageFacts dip = Good();
  dip.growth[0] = 0.0;  // must be above 0 every year
  EXPECT_FALSE(JudgeLinkage(rules, dip).promotion_eligible);
  LinkageFacts short_history = Good();
  short_history.growth = {0.2, 0.2};
  EXPECT_FALSE(JudgeLinkage(rules, short_history).promotion_eligible);
  LinkageFacts stars = Good();
  stars.stars = 3;
  const LinkageVerdict v = JudgeLinkage(rules, stars);
  EXPECT_FALSE(v.promotion_eligible);
  EXPECT_NE(v.promotion_lines[1].find("不符合"), std::string::npos);
  LinkageFacts tenure = Good();
  tenure.tenure_months = 35;
  EXPECT_FALSE(JudgeLinkage(rules, tenure).promotion_eligible);
}

TEST(Linkage, HonoursScoreRanks) {
  const LinkageRules rules;
  LinkageFacts a = Good();
  LinkageFacts b = Good();
  b.growth.back() = 0.5;
  b.left_weak = true;
  const LinkageVerdict va = JudgeLinkage(rules, a), vb = JudgeLinkage(rules, b);
  EXPECT_TRUE(va.honours);
  EXPECT_TRUE(vb.honours);
  EXPECT_GT(vb.honours_score, va.honours_score);
  EXPECT_NEAR(va.honours_score, 0.15 * 50 + 40, 1e-9);
  LinkageFacts flat = Good();
  flat.growth.back() = 0;
  EXPECT_FALSE(JudgeLinkage(rules, flat).honours);
}

TEST(Linkage, AdjustmentNeedsNoResultsAndEvidence) {
  const LinkageRules rules;  // 2 years without growth + 1 other
  LinkageFacts f;
  f.growth = {0.1, -0.05, std::nullopt};
  f.stars = 2;
  f.projects = 1;
  const LinkageVerdict v = JudgeLinkage(rules, f);
  EXPECT_TRUE(v.adjustment);
  EXPECT_NE(v.adjustment_lines[0].find("无成效"), std::string::npos);
  LinkageFacts grew = f;
  grew.growth.back() = 0.01;
  EXPECT_FALSE(JudgeLinkage(rules, grew).adjustment);
  LinkageFacts only_results = f;
  only_results.stars = 3;  // no other condition
  EXPECT_FALSE(JudgeLinkage(rules, only_results).adjustment);
  only_results.development_goals = false;
  EXPECT_TRUE(JudgeLinkage(rules, only_results).adjustment);
}

}  // namespace
}  // namespace qiangji::engines::economy

#include "engines/assess/sensitivity.h"

#include <gtest/gtest.h>

namespace qiangji::engines::assess {
namespace {

// Two equally weighted indicators on fixed 0..1 bounds; two stars from 50 up.
// "edge" scores exactly 50 = 100 * w1, so it stays two stars only while w1 >= w2: half the time.
// "top" (100) and "mid" (60 = 100 * (0.6 w1 + 0.6 w2)) never move.
Problem EdgeProblem() {
  auto ind = [](std::string key) {
    return Indicator{
        std::move(key), Direction::kBenefit, Normalisation::kMinMaxFixed, 0, 1, 0, 0.5};
  };
  return {{ind("x"), ind("y")}, {"edge", "top", "mid"}, {1, 0, 1, 1, 0.6, 0.6}};
}
const StarBands kBands{BandMethod::kThresholds, {50}, {}};

TEST(SplitMix64, PublishedFirstOutput) {
  // The first output for seed 0 in Vigna's reference implementation.
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xe220a8397b1dcdafULL);
  SplitMix64 unit(0);
  EXPECT_EQ(unit.Unit(), static_cast<double>(0xe220a8397b1dcdafULL >> 11) * 0x1.0p-53);
}

TEST(WeightSensitivity, OnlyTheVillageAtACutMoves) {
  SensitivityOptions s{42, 2000, 0.10, 0.05};
  auto r = WeightSensitivity(EdgeProblem(), {}, kBands, {}, {}, s);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->base_stars, (std::vector<int>{2, 2, 2}));
  EXPECT_GT(r->change_probability[0], 0.45);
  EXPECT_LT(r->change_probability[0], 0.55);
  EXPECT_EQ(r->changes[1], 0);
  EXPECT_EQ(r->changes[2], 0);
  EXPECT_DOUBLE_EQ(r->stable_share, 2.0 / 3);
  EXPECT_NEAR(r->mean_unchanged_share, 1 - r->change_probability[0] / 3, 1e-12);
}

TEST(WeightSensitivity, SameSeedSameAnswerOtherSeedOtherDraws) {
  SensitivityOptions s{7, 500, 0.10, 0.05};
  auto a = WeightSensitivity(EdgeProblem(), {}, kBands, {}, {}, s);
  auto b = WeightSensitivity(EdgeProblem(), {}, kBands, {}, {}, s);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->changes, b->changes);
  EXPECT_EQ(a->mean_unchanged_share, b->mean_unchanged_share);
  s.seed = 8;
  auto c = WeightSensitivity(EdgeProblem(), {}, kBands, {}, {}, s);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->changes[0], c->changes[0]);
}

TEST(WeightSensitivity, NoSpreadNoChangeAndVetoesHold) {
  auto none = WeightSensitivity(EdgeProblem(), {}, kBands, {}, {}, {1, 100, 0.0, 0.05});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->changes, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(none->stable_share, 1.0);
  // A veto capping "edge" at one star makes it stable whatever the weights do.
  std::vector<VillageFlags> flags(3);
  flags[0].vetoes = {{"financial_affairs_not_disclosed", 1}};
  auto capped = WeightSensitivity(EdgeProblem(), {}, kBands, flags, {}, {3, 500, 0.10, 0.05});
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->base_stars[0], 1);
  EXPECT_EQ(capped->changes[0], 0);
  EXPECT_EQ(capped->stable_share, 1.0);
}

TEST(WeightSensitivity, RejectsBadOptions) {
  EXPECT_FALSE(WeightSensitivity(EdgeProblem(), {}, kBands, {}, {}, {1, 0, 0.1, 0.05}).ok());
  EXPECT_FALSE(WeightSensitivity(EdgeProblem(), {}, kBands, {}, {}, {1, 10, 1.0, 0.05}).ok());
  Problem bad = EdgeProblem();
  bad.indicators[0].weight = 0.9;
  auto r = WeightSensitivity(bad, {}, kBands, {}, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].field, "indicators");
}

}  // namespace
}  // namespace qiangji::engines::assess

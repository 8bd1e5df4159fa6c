#include "engines/assess/explain.h"

#include <gtest/gtest.h>

#include "engines/assess/stars.h"

namespace qiangji::engines::assess {
namespace {

TEST(Standings, CompetitionRankAndPercentile) {
  const double scores[] = {90, 80, 80, 70};
  const std::vector<Standing> s = Standings(scores);
  EXPECT_EQ(s[0].rank, 1);
  EXPECT_EQ(s[1].rank, 2);
  EXPECT_EQ(s[2].rank, 2);
  EXPECT_EQ(s[3].rank, 4);
  EXPECT_EQ(s[0].percentile, 100);
  EXPECT_DOUBLE_EQ(s[1].percentile, 100.0 / 3);
  EXPECT_EQ(s[3].percentile, 0);
  const double one[] = {42};
  EXPECT_EQ(Standings(one)[0].percentile, 100);
}

TEST(ColumnMedians, OddAndEvenGroups) {
  // 4 villages x 2 indicators.
  const double s[] = {0.1, 1.0, 0.4, 0.0, 0.3, 0.5, 0.9, 0.2};
  const size_t odd[] = {0, 1, 2};
  EXPECT_EQ(ColumnMedians(s, 2, odd), (std::vector<double>{0.3, 0.5}));
  const size_t all[] = {0, 1, 2, 3};
  const std::vector<double> even = ColumnMedians(s, 2, all);
  EXPECT_DOUBLE_EQ(even[0], 0.35);
  EXPECT_DOUBLE_EQ(even[1], 0.35);
}

TEST(LargestGaps, InScorePointsWorstFirst) {
  const double row[] = {0.2, 0.9, 0.5};
  const double medians[] = {0.6, 0.5, 0.6};
  const double weights[] = {0.5, 0.3, 0.2};
  const std::vector<IndicatorGap> gaps = LargestGaps(row, medians, weights, 5);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].indicator, 0u);
  EXPECT_DOUBLE_EQ(gaps[0].points, -20);
  EXPECT_EQ(gaps[1].indicator, 2u);
  EXPECT_NEAR(gaps[1].points, -2, 1e-12);
  EXPECT_EQ(LargestGaps(row, medians, weights, 1).size(), 1u);
}

TEST(SmallestLifts, HandComputedInRawUnits) {
  // v2: 6 of 12 meetings (0.5, weight 0.6) and 5 petitions on data 0..10 (cost, 0.5, weight 0.4):
  // score 50. Reaching 60 needs 10 points: meetings +10/60 -> 0.6667 = 8 meetings, or
  // petitions +10/40 -> 0.75 = 2.5 petitions. Meetings is the smaller change.
  Problem p{{{"meetings", Direction::kBenefit, Normalisation::kMinMaxFixed, 0, 12, 0, 0.6},
             {"petitions", Direction::kCost, Normalisation::kMinMaxData, 0, 0, 0, 0.4}},
            {"v1", "v2", "v3"},
            {12, 0, 6, 5, 3, 10}};
  auto scored = Score(p, {});
  ASSERT_TRUE(scored.ok());
  auto cuts = BandCuts(scored->scores, {BandMethod::kThresholds, {60, 90}, {}});
  ASSERT_TRUE(cuts.ok());
  const std::vector<StarLift> lifts = SmallestLifts(p, scored->normalised, 1, 50, (*cuts)[0]);
  ASSERT_EQ(lifts.size(), 2u);
  EXPECT_EQ(lifts[0].indicator, 0u);
  EXPECT_NEAR(lifts[0].normalised_to, 2.0 / 3, 1e-12);
  EXPECT_EQ(lifts[0].value_from, 6);
  EXPECT_NEAR(lifts[0].value_to, 8, 1e-12);
  EXPECT_EQ(lifts[1].indicator, 1u);
  EXPECT_NEAR(lifts[1].value_to, 2.5, 1e-12);

  // 40 points is beyond any one indicator; a score at the cut needs nothing.
  EXPECT_TRUE(SmallestLifts(p, scored->normalised, 1, 50, 90).empty());
  EXPECT_TRUE(SmallestLifts(p, scored->normalised, 0, 100, 90).empty());
}

}  // namespace
}  // namespace qiangji::engines::assess

#include "engines/assess/tiers.h"

#include <gtest/gtest.h>

namespace qiangji::engines::assess {
namespace {

TEST(WarnAgainstPrevious, ByPointsOrByStar) {
  const WarningRule rule{10, 1};
  auto points = WarnAgainstPrevious(85, 4, 75, 4, rule);  // exactly 10 points
  ASSERT_TRUE(points.has_value());
  EXPECT_TRUE(points->by_score);
  EXPECT_FALSE(points->by_star);
  EXPECT_EQ(points->points_lost, 10);
  auto star = WarnAgainstPrevious(80.5, 4, 79.5, 3, rule);  // one point, but a star
  ASSERT_TRUE(star.has_value());
  EXPECT_TRUE(star->by_star);
  EXPECT_FALSE(star->by_score);
  EXPECT_FALSE(WarnAgainstPrevious(80, 4, 71, 4, rule).has_value());
  EXPECT_FALSE(WarnAgainstPrevious(70, 3, 90, 5, rule).has_value());
  EXPECT_FALSE(WarnAgainstPrevious(80.5, 4, 79.5, 3, {10, 0}).has_value());
}

TEST(SplitBothEnds, TopBottomAndDistanceToNextStar) {
  const StarBands bands{BandMethod::kThresholds, {60, 70, 80, 90}, {}};
  const double scores[] = {95, 55, 78, 62, 88, 85};
  std::vector<VillageFlags> flags(6);
  flags[5].weak_lax = {{"petitions", "12 petitions in 2025"}};
  auto ratings = Rate(scores, bands, flags, {});
  auto cuts = BandCuts(scores, bands);
  ASSERT_TRUE(ratings.ok() && cuts.ok());
  const BothEnds ends = SplitBothEnds(scores, *ratings, *cuts);
  EXPECT_EQ(ends.top, (std::vector<size_t>{0}));
  EXPECT_EQ(ends.bottom, (std::vector<size_t>{1, 5}));
  // 88 needs 2 points for five stars, 78 needs 2 for four, 62 needs 8 for three.
  ASSERT_EQ(ends.middle.size(), 3u);
  EXPECT_EQ(ends.middle[0].index, 2u);
  EXPECT_DOUBLE_EQ(ends.middle[0].points_to_next_star, 2);
  EXPECT_EQ(ends.middle[1].index, 4u);
  EXPECT_EQ(ends.middle[2].index, 3u);
  EXPECT_DOUBLE_EQ(ends.middle[2].points_to_next_star, 8);
}

}  // namespace
}  // namespace qiangji::engines::assess

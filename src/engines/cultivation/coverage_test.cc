#include "engines/cultivation/coverage.h"

#include <vector>

#include <gtest/gtest.h>

namespace qiangji::engines::cultivation {
namespace {

TEST(CoverageTest, CountsAndShares) {
  std::vector<CadreHours> cadres = {{32, 32}, {31.5, 32}, {0, 32}, {40, 24}, {0, 0}};
  CoverageCounts c = ComputeCoverage(cadres);
  EXPECT_EQ(c.cadres, 5);
  EXPECT_EQ(c.trained, 3);  // the two with no hours are not trained
  EXPECT_EQ(c.met, 3);      // 32 of 32, 40 of 24, and 0 of a zero requirement
  EXPECT_DOUBLE_EQ(c.hours, 103.5);
  EXPECT_DOUBLE_EQ(c.coverage, 0.6);
  EXPECT_DOUBLE_EQ(c.met_share, 0.6);
}

TEST(CoverageTest, NoCadresIsZeroNotNaN) {
  CoverageCounts c = ComputeCoverage({});
  EXPECT_EQ(c.cadres, 0);
  EXPECT_EQ(c.coverage, 0);
  EXPECT_EQ(c.met_share, 0);
}

TEST(CoverageTest, HalvesAddUpExactly) {
  EXPECT_TRUE(MetRequirement({0.1 + 0.2 + 31.7, 32}));
  EXPECT_FALSE(MetRequirement({31.5, 32}));
}

}  // namespace
}  // namespace qiangji::engines::cultivation

#include "engines/match/stability.h"

#include <gtest/gtest.h>

#include <vector>

#include "engines/match/test_markets.h"

namespace qiangji::engines::match {
namespace {

using testing::Cyclic3x3;
using testing::Strict;

TEST(StabilityTest, AllThreeStableMatchingsOfTheCyclicMarketPass) {
  const Market m = Cyclic3x3();
  for (const Assignment& a : {Assignment{0, 1, 2}, Assignment{2, 0, 1}, Assignment{1, 2, 0}}) {
    const auto cert = CheckStability(m, a);
    EXPECT_TRUE(cert.stable());
    EXPECT_EQ(cert.checked_pairs, 9);
  }
}

TEST(StabilityTest, FindsTheOneBlockingPairOfAHandMadeMatching) {
  // Zhang-Dongcun, Wang-Nancun, Li-Xicun: Li prefers Dongcun to Xicun, and Dongcun prefers Li
  // to Zhang; every other pair has one side content.
  const auto cert = CheckStability(Cyclic3x3(), Assignment{0, 2, 1});
  EXPECT_EQ(cert.blocking_pairs, 1);
  EXPECT_EQ(cert.violations, 0);
  EXPECT_EQ(cert.blocking_examples, (std::vector<BlockingPair>{{2, 0}}));
  EXPECT_FALSE(cert.stable());
}

TEST(StabilityTest, EmptyMatchingIsBlockedByEveryMutuallyAcceptablePair) {
  const auto cert = CheckStability(Cyclic3x3(), Assignment{-1, -1, -1});
  EXPECT_EQ(cert.blocking_pairs, 9);
}

TEST(StabilityTest, AVillageWithAnEmptySeatBlocksWithAnyoneWhoWantsIt) {
  Market m;
  m.person_prefs = {Strict({0, 1}), Strict({1})};
  m.village_prefs = {Strict({0}), Strict({1, 0})};
  m.capacity = {1, 2};
  // Person 0 sits at her second choice while her first choice has a free seat.
  const auto cert = CheckStability(m, Assignment{1, 1});
  EXPECT_EQ(cert.blocking_examples, (std::vector<BlockingPair>{{0, 0}}));
}

TEST(StabilityTest, IndifferenceIsNotABlock) {
  Market m;
  m.person_prefs = {RankList{{{0, 1}}}, Strict({0})};
  m.village_prefs = {RankList{{{0, 1}}}, Strict({0})};
  m.capacity = {1, 1};
  // Person 0 likes both villages equally; village 0 likes both people equally.
  EXPECT_TRUE(CheckStability(m, Assignment{1, 0}).stable());
}

TEST(StabilityTest, ExcludedPairsNeverBlockButAreViolationsWhenMatched) {
  Market m = Cyclic3x3();
  m.exclusions = {{2, 0, "home county"}};
  EXPECT_TRUE(
      CheckStability(m, Assignment{0, 2, 1}).stable());  // the only blocking pair is excluded
  const auto cert = CheckStability(m, Assignment{1, 2, 0});
  EXPECT_EQ(cert.violations, 1);
  EXPECT_EQ(cert.violation_notes[0], "person 2 at village 0: the pair is excluded");
}

TEST(StabilityTest, CountsCapacityAndListViolations) {
  Market m;
  m.person_prefs = {Strict({0}), Strict({0}), Strict({})};
  m.village_prefs = {Strict({0, 1})};
  m.capacity = {1};
  const auto over = CheckStability(m, Assignment{0, 0, -1});
  EXPECT_EQ(over.violations, 1);
  EXPECT_EQ(over.violation_notes[0], "village 0 holds 2 for 1 seats");
  EXPECT_EQ(CheckStability(m, Assignment{-1, -1, 0}).violations, 1);  // unlisted pair
  EXPECT_EQ(CheckStability(m, Assignment{-1, -1, 7}).violations, 1);  // no such village
  EXPECT_EQ(CheckStability(m, Assignment{0}).violations, 1);          // wrong size
}

TEST(StabilityTest, AVillageHoldingSomeoneItDidNotListPrefersAnyListedCandidate) {
  Market m;
  m.person_prefs = {Strict({0}), Strict({0})};
  m.village_prefs = {Strict({0})};
  m.capacity = {1};
  const auto cert = CheckStability(m, Assignment{-1, 0});
  EXPECT_EQ(cert.violations, 1);
  EXPECT_EQ(cert.blocking_examples, (std::vector<BlockingPair>{{0, 0}}));
}

}  // namespace
}  // namespace qiangji::engines::match

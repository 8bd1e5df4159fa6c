#include "engines/match/deferred_acceptance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "engines/match/stability.h"
#include "engines/match/test_markets.h"

namespace qiangji::engines::match {
namespace {

using testing::Cyclic3x3;
using testing::ForEachAssignment;
using testing::RandomMarket;
using testing::RandomSpec;
using testing::Strict;

DeferredAcceptanceResult Solve(const Market& m, ProposingSide side, uint64_t seed = 1) {
  auto r = DeferredAcceptance(m, {side, seed});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return *r;
}

TEST(DeferredAcceptanceTest, CyclicMarketGivesEachProposingSideItsFirstChoices) {
  const Market m = Cyclic3x3();
  EXPECT_EQ(Solve(m, ProposingSide::kPeople).village_of, (Assignment{0, 1, 2}));
  // Villages' first choices: Dongcun->Wang, Xicun->Li, Nancun->Zhang.
  EXPECT_EQ(Solve(m, ProposingSide::kVillages).village_of, (Assignment{2, 0, 1}));
}

TEST(DeferredAcceptanceTest, VillagesKeepTheirBestProposersUpToCapacity) {
  Market m;
  m.person_prefs = {Strict({0}), Strict({0}), Strict({0}), Strict({0, 1})};
  m.village_prefs = {Strict({3, 1, 0, 2}), Strict({3})};
  m.capacity = {2, 1};
  for (ProposingSide side : {ProposingSide::kPeople, ProposingSide::kVillages}) {
    const auto r = Solve(m, side);
    EXPECT_EQ(r.village_of, (Assignment{-1, 0, -1, 0}));
    EXPECT_EQ(r.people_of[0], (std::vector<int>{3, 1}));
    ASSERT_EQ(r.unmatched_people.size(), 2u);
    EXPECT_EQ(r.unmatched_people[0].reason, UnmatchedReason::kOutranked);
    EXPECT_EQ(r.unmatched_people[0].text,
              "every acceptable village filled its seats with candidates it ranked higher");
    ASSERT_EQ(r.open_seats.size(), 1u);
    EXPECT_EQ(r.open_seats[0].village, 1);
    EXPECT_EQ(r.open_seats[0].reason, UnmatchedReason::kOutranked);
  }
}

// The proposer-optimal theorem, checked by enumerating every stable matching of small markets:
// people proposing gives each person her best stable partner, villages proposing her worst.
TEST(DeferredAcceptanceTest, MatchesBruteForceBestAndWorstStableMatchings) {
  RandomSpec spec{.people = 5, .villages = 3, .max_capacity = 2, .list_permille = 800};
  int with_several = 0;
  for (uint64_t seed = 1; seed <= 120; ++seed) {
    const Market m = RandomMarket(seed, spec);
    auto rank = [&](int p, int v) {
      if (v < 0) return INT_MAX;
      const auto& tiers = m.person_prefs[static_cast<size_t>(p)].tiers;
      for (size_t t = 0; t < tiers.size(); ++t) {
        if (tiers[t][0] == v) return static_cast<int>(t);
      }
      return INT_MAX - 1;
    };
    std::vector<int> best(5, INT_MAX);
    std::vector<int> worst(5, -1);
    int stable_count = 0;
    ForEachAssignment(m, [&](const Assignment& a) {
      if (!CheckStability(m, a).stable()) return;
      ++stable_count;
      for (int p = 0; p < 5; ++p) {
        best[static_cast<size_t>(p)] =
            std::min(best[static_cast<size_t>(p)], rank(p, a[static_cast<size_t>(p)]));
        worst[static_cast<size_t>(p)] =
            std::max(worst[static_cast<size_t>(p)], rank(p, a[static_cast<size_t>(p)]));
      }
    });
    ASSERT_GE(stable_count, 1) << "seed " << seed;
    if (stable_count > 1) ++with_several;
    const auto people = Solve(m, ProposingSide::kPeople);
    const auto villages = Solve(m, ProposingSide::kVillages);
    for (int p = 0; p < 5; ++p) {
      EXPECT_EQ(rank(p, people.village_of[static_cast<size_t>(p)]), best[static_cast<size_t>(p)])
          << "seed " << seed << " person " << p;
      EXPECT_EQ(rank(p, villages.village_of[static_cast<size_t>(p)]), worst[static_cast<size_t>(p)])
          << "seed " << seed << " person " << p;
    }
  }
  EXPECT_GT(with_several, 0);  // the test did meet markets where the two sides disagree
}

TEST(DeferredAcceptanceTest, RandomMarketsWithTiesAndExclusionsAreStable) {
  RandomSpec spec{.people = 40,
                  .villages = 15,
                  .max_capacity = 3,
                  .list_permille = 400,
                  .tie_permille = 300,
                  .exclusion_permille = 50};
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const Market m = RandomMarket(seed, spec);
    for (ProposingSide side : {ProposingSide::kPeople, ProposingSide::kVillages}) {
      const auto r = Solve(m, side, seed);
      const auto cert = CheckStability(m, r.village_of);
      ASSERT_EQ(cert.blocking_pairs, 0) << "seed " << seed;
      ASSERT_EQ(cert.violations, 0) << "seed " << seed;
      ASSERT_GT(cert.checked_pairs, 0);
      // Also stable for the lottery-broken strict lists the solver ran on.
      Market strict = m;
      for (int p = 0; p < m.person_count(); ++p)
        strict.person_prefs[static_cast<size_t>(p)] =
            Strict(r.strict.person_order[static_cast<size_t>(p)]);
      for (int v = 0; v < m.village_count(); ++v)
        strict.village_prefs[static_cast<size_t>(v)] =
            Strict(r.strict.village_order[static_cast<size_t>(v)]);
      ASSERT_TRUE(CheckStability(strict, r.village_of).stable()) << "seed " << seed;
    }
  }
}

TEST(DeferredAcceptanceTest, ExcludedPairIsNeverMatchedEvenWhenBothRankItFirst) {
  Market m;
  m.person_prefs = {Strict({0, 1})};
  m.village_prefs = {Strict({0}), Strict({0})};
  m.capacity = {1, 1};
  m.exclusions = {{0, 0, "home county"}};
  const auto r = Solve(m, ProposingSide::kPeople);
  EXPECT_EQ(r.village_of, (Assignment{1}));
  EXPECT_EQ(r.strict.person_order[0], (std::vector<int>{1}));
  ASSERT_EQ(r.open_seats.size(), 1u);
  EXPECT_EQ(r.open_seats[0].reason, UnmatchedReason::kNoAcceptablePartner);
  EXPECT_EQ(r.open_seats[0].text, "no acceptable candidate");
}

TEST(DeferredAcceptanceTest, PersonWithNoAcceptableVillageIsListedWithThatReason) {
  Market m;
  m.person_prefs = {Strict({0}), Strict({})};
  m.village_prefs = {Strict({1})};  // lists only person 1, who does not list it
  m.capacity = {1};
  const auto r = Solve(m, ProposingSide::kPeople);
  EXPECT_EQ(r.village_of, (Assignment{-1, -1}));
  ASSERT_EQ(r.unmatched_people.size(), 2u);
  EXPECT_EQ(r.unmatched_people[0].reason, UnmatchedReason::kNoAcceptablePartner);
  EXPECT_EQ(r.unmatched_people[0].text, "no acceptable village");
}

TEST(DeferredAcceptanceTest, OneSeededLotteryBreaksTiesTheSameWayEveryTime) {
  // One seat, two people the village ranks equally: the smaller lottery number wins.
  Market m;
  m.person_prefs = {Strict({0}), Strict({0})};
  m.village_prefs = {RankList{{{0, 1}}}};
  m.capacity = {1};
  bool person0_won = false;
  bool person1_won = false;
  for (uint64_t seed = 0; seed < 16; ++seed) {
    const auto r = Solve(m, ProposingSide::kPeople, seed);
    const int winner = r.person_lottery[0] < r.person_lottery[1] ? 0 : 1;
    EXPECT_EQ(r.village_of[static_cast<size_t>(winner)], 0);
    EXPECT_EQ(r.village_of[static_cast<size_t>(1 - winner)], -1);
    (winner == 0 ? person0_won : person1_won) = true;
    EXPECT_EQ(Solve(m, ProposingSide::kPeople, seed).village_of, r.village_of);
    EXPECT_EQ(Solve(m, ProposingSide::kVillages, seed).village_of, r.village_of);
  }
  EXPECT_TRUE(person0_won && person1_won);
}

TEST(DeferredAcceptanceTest, LotteryIsAPermutationPerSide) {
  const Market m = RandomMarket(7, RandomSpec{.people = 30, .villages = 9});
  const auto r = Solve(m, ProposingSide::kPeople, 42);
  std::vector<int> sorted = r.person_lottery;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 30; ++i) EXPECT_EQ(sorted[static_cast<size_t>(i)], i);
  EXPECT_EQ(r.village_lottery.size(), 9u);
}

TEST(DeferredAcceptanceTest, ZeroCapacityVillageTakesNobody) {
  Market m;
  m.person_prefs = {Strict({0, 1})};
  m.village_prefs = {Strict({0}), Strict({0})};
  m.capacity = {0, 1};
  EXPECT_EQ(Solve(m, ProposingSide::kPeople).village_of, (Assignment{1}));
  EXPECT_EQ(Solve(m, ProposingSide::kVillages).village_of, (Assignment{1}));
}

TEST(DeferredAcceptanceTest, BadInputIsRefusedWithFieldErrors) {
  Market m;
  m.person_prefs = {RankList{{{0}, {0}}}};  // village 0 twice
  m.village_prefs = {Strict({5})};          // unknown person
  m.capacity = {-1};
  auto r = DeferredAcceptance(m, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& e : r.status().field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"capacity[0]", "person_prefs[0].tiers[1]",
                                              "village_prefs[0].tiers[0]"}));
}

}  // namespace
}  // namespace qiangji::engines::match

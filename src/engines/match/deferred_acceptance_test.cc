#include "engines/match/deferred_acceptance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <random>
#include <string>
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

// The definition, written plainly: strict lists by scanning both sides' tiers, ties broken by
// the partners' lottery numbers, and textbook deferred acceptance with a queue.
struct Reference {
  std::vector<std::vector<int>> person_order, village_order;
  Assignment village_of;
  std::vector<std::vector<int>> people_of;
  int64_t proposals = 0;
};

Reference ReferenceSolve(const Market& m, ProposingSide side,
                         const std::vector<int>& person_lottery,
                         const std::vector<int>& village_lottery) {
  const size_t n = static_cast<size_t>(m.person_count());
  const size_t k = static_cast<size_t>(m.village_count());
  // Dense tables, person-major: fine at test sizes.
  std::vector<char> person_lists(n * k, 0), village_lists(n * k, 0), excluded(n * k, 0);
  for (size_t p = 0; p < n; ++p) {
    for (const auto& tier : m.person_prefs[p].tiers) {
      for (int v : tier) person_lists[p * k + static_cast<size_t>(v)] = 1;
    }
  }
  for (size_t v = 0; v < k; ++v) {
    for (const auto& tier : m.village_prefs[v].tiers) {
      for (int p : tier) village_lists[static_cast<size_t>(p) * k + v] = 1;
    }
  }
  for (const Exclusion& e : m.exclusions)
    excluded[static_cast<size_t>(e.person) * k + static_cast<size_t>(e.village)] = 1;
  auto acceptable = [&](size_t p, size_t v) {
    return person_lists[p * k + v] && village_lists[p * k + v] && !excluded[p * k + v];
  };
  Reference r;
  r.person_order.resize(n);
  r.village_order.resize(k);
  for (size_t p = 0; p < n; ++p) {
    for (const auto& tier : m.person_prefs[p].tiers) {
      std::vector<int> kept;
      for (int v : tier) {
        if (acceptable(p, static_cast<size_t>(v))) kept.push_back(v);
      }
      std::sort(kept.begin(), kept.end(), [&](int x, int y) {
        return village_lottery[static_cast<size_t>(x)] < village_lottery[static_cast<size_t>(y)];
      });
      for (int v : kept) r.person_order[p].push_back(v);
    }
  }
  for (size_t v = 0; v < k; ++v) {
    for (const auto& tier : m.village_prefs[v].tiers) {
      std::vector<int> kept;
      for (int p : tier) {
        if (acceptable(static_cast<size_t>(p), v)) kept.push_back(p);
      }
      std::sort(kept.begin(), kept.end(), [&](int x, int y) {
        return person_lottery[static_cast<size_t>(x)] < person_lottery[static_cast<size_t>(y)];
      });
      for (int p : kept) r.village_order[v].push_back(p);
    }
  }
  // rank_in_village[p * k + v]: p's position in v's strict list; likewise for people.
  std::vector<int> rank_in_village(n * k, INT_MAX), rank_in_person(n * k, INT_MAX);
  for (size_t v = 0; v < k; ++v) {
    for (size_t i = 0; i < r.village_order[v].size(); ++i)
      rank_in_village[static_cast<size_t>(r.village_order[v][i]) * k + v] = static_cast<int>(i);
  }
  for (size_t p = 0; p < n; ++p) {
    for (size_t i = 0; i < r.person_order[p].size(); ++i)
      rank_in_person[p * k + static_cast<size_t>(r.person_order[p][i])] = static_cast<int>(i);
  }
  r.village_of.assign(n, -1);
  r.people_of.assign(k, {});
  if (side == ProposingSide::kPeople) {
    std::vector<size_t> next(n, 0);
    std::vector<size_t> free_people;
    for (size_t p = n; p-- > 0;) free_people.push_back(p);
    while (!free_people.empty()) {
      const size_t p = free_people.back();
      free_people.pop_back();
      const auto& mine = r.person_order[p];
      if (next[p] == mine.size()) continue;
      const size_t v = static_cast<size_t>(mine[next[p]++]);
      ++r.proposals;
      auto& held = r.people_of[v];
      held.push_back(static_cast<int>(p));
      std::sort(held.begin(), held.end(), [&](int x, int y) {
        return rank_in_village[static_cast<size_t>(x) * k + v] <
               rank_in_village[static_cast<size_t>(y) * k + v];
      });
      r.village_of[p] = static_cast<int>(v);
      if (static_cast<int>(held.size()) > m.capacity[v]) {
        const int out = held.back();
        held.pop_back();
        r.village_of[static_cast<size_t>(out)] = -1;
        free_people.push_back(static_cast<size_t>(out));
      }
    }
  } else {
    std::vector<size_t> next(k, 0);
    bool moved = true;
    while (moved) {
      moved = false;
      for (size_t v = 0; v < k; ++v) {
        const auto& mine = r.village_order[v];
        auto& held = r.people_of[v];
        while (static_cast<int>(held.size()) < m.capacity[v] && next[v] < mine.size()) {
          const size_t p = static_cast<size_t>(mine[next[v]++]);
          ++r.proposals;
          moved = true;
          const int current = r.village_of[p];
          if (current >= 0 &&
              rank_in_person[p * k + static_cast<size_t>(current)] < rank_in_person[p * k + v]) {
            continue;
          }
          if (current >= 0) {
            auto& there = r.people_of[static_cast<size_t>(current)];
            there.erase(std::find(there.begin(), there.end(), static_cast<int>(p)));
          }
          r.village_of[p] = static_cast<int>(v);
          held.push_back(static_cast<int>(p));
        }
      }
    }
    for (size_t v = 0; v < k; ++v) {
      std::sort(r.people_of[v].begin(), r.people_of[v].end(), [&](int x, int y) {
        return rank_in_village[static_cast<size_t>(x) * k + v] <
               rank_in_village[static_cast<size_t>(y) * k + v];
      });
    }
  }
  return r;
}

std::vector<std::vector<int>> Lists(const ListTable& t) {
  std::vector<std::vector<int>> out;
  for (size_t a = 0; a < t.size(); ++a) out.push_back(t[a]);
  return out;
}

void ExpectSameAsReference(const Market& m, uint64_t seed, const std::string& what) {
  for (ProposingSide side : {ProposingSide::kPeople, ProposingSide::kVillages}) {
    const auto r = Solve(m, side, seed);
    const Reference ref = ReferenceSolve(m, side, r.person_lottery, r.village_lottery);
    const std::string where = what + (side == ProposingSide::kPeople ? ", people" : ", villages");
    ASSERT_EQ(Lists(r.strict.person_order), ref.person_order) << where;
    ASSERT_EQ(Lists(r.strict.village_order), ref.village_order) << where;
    ASSERT_EQ(r.village_of, ref.village_of) << where;
    ASSERT_EQ(r.people_of, ref.people_of) << where;
    // People proposing: each proposes down to her seat whatever the order, so the count is
    // fixed. Villages proposing: the same holds for the reference's order of rounds.
    EXPECT_EQ(r.proposals, ref.proposals) << where;
    DeferredAcceptanceResult ties;
    BreakTies(m, seed, ties);
    ASSERT_EQ(Lists(ties.strict.person_order), ref.person_order) << where;
    ASSERT_EQ(ties.person_lottery, r.person_lottery) << where;
    ASSERT_EQ(ties.village_lottery, r.village_lottery) << where;
  }
}

TEST(DeferredAcceptanceTest, EqualsThePlainDefinitionOnRandomMarkets) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    RandomSpec spec{.people = 1 + static_cast<int>(seed % 37),
                    .villages = 1 + static_cast<int>(seed % 11),
                    .max_capacity = static_cast<int>(seed % 4),
                    .list_permille = 150 + static_cast<int>(seed * 37 % 800),
                    .tie_permille = seed % 3 == 0 ? 0 : static_cast<int>(seed * 53 % 700),
                    .exclusion_permille = seed % 4 == 0 ? 0 : static_cast<int>(seed % 150)};
    Market m = RandomMarket(seed, spec);
    if (seed % 5 == 0) {
      m.person_prefs[0].tiers.emplace_back();  // empty tiers are allowed and change nothing
      m.village_prefs[0].tiers.emplace_back();
    }
    ExpectSameAsReference(m, seed * 7919, "seed " + std::to_string(seed));
  }
}

// More people than one block of the solver's transpose (2,048), listed by a few villages each.
TEST(DeferredAcceptanceTest, EqualsThePlainDefinitionAcrossManyBlocksOfPeople) {
  RandomSpec spec{.people = 5000,
                  .villages = 12,
                  .max_capacity = 60,
                  .list_permille = 300,
                  .tie_permille = 200,
                  .exclusion_permille = 30};
  ExpectSameAsReference(RandomMarket(11, spec), 3, "5000 people");
  spec.tie_permille = 0;
  spec.exclusion_permille = 0;
  spec.list_permille = 500;
  ExpectSameAsReference(RandomMarket(12, spec), 4, "5000 people, strict lists");
}

// A market past both two-thread thresholds (a million list entries, 65,536 free people in the
// first round): 80,000 people each list 14 of 4,000 villages; villages rank whoever listed
// them, with ties; a few pairs are excluded.
Market LargeSparseMarket(uint64_t seed) {
  std::mt19937_64 rng(seed);
  constexpr int kPeople = 80'000, kVillages = 4'000, kListed = 14;
  Market m;
  std::vector<std::vector<int>> listed_by(kVillages);
  for (int p = 0; p < kPeople; ++p) {
    std::vector<int> mine;
    while (static_cast<int>(mine.size()) < kListed) {
      const int v = static_cast<int>(rng() % kVillages);
      if (std::find(mine.begin(), mine.end(), v) == mine.end()) mine.push_back(v);
    }
    RankList list;
    for (int v : mine) {
      if (list.tiers.empty() || rng() % 10 != 0) {
        list.tiers.push_back({v});
      } else {
        list.tiers.AddToLastTier(v);
      }
      listed_by[static_cast<size_t>(v)].push_back(p);
      if (rng() % 500 == 0) m.exclusions.push_back({p, v, "rule"});
    }
    m.person_prefs.push_back(std::move(list));
  }
  for (auto& people : listed_by) {
    for (size_t i = people.size(); i > 1; --i) std::swap(people[i - 1], people[rng() % i]);
    RankList list;
    for (int p : people) {
      if (list.tiers.empty() || rng() % 5 != 0) {
        list.tiers.push_back({p});
      } else {
        list.tiers.AddToLastTier(p);
      }
    }
    m.village_prefs.push_back(std::move(list));
    m.capacity.push_back(static_cast<int>(rng() % 25));
  }
  return m;
}

TEST(DeferredAcceptanceTest, TwoThreadsGiveExactlyTheOneThreadResult) {
  const Market m = LargeSparseMarket(5);
  for (ProposingSide side : {ProposingSide::kPeople, ProposingSide::kVillages}) {
    const std::string where = side == ProposingSide::kPeople ? "people" : "villages";
    auto one = DeferredAcceptance(m, {side, 17, 1});
    auto two = DeferredAcceptance(m, {side, 17, 2});
    ASSERT_TRUE(one.ok() && two.ok()) << where;
    ASSERT_EQ(Lists(two->strict.person_order), Lists(one->strict.person_order)) << where;
    ASSERT_EQ(Lists(two->strict.village_order), Lists(one->strict.village_order)) << where;
    ASSERT_EQ(two->village_of, one->village_of) << where;
    ASSERT_EQ(two->people_of, one->people_of) << where;
    EXPECT_EQ(two->proposals, one->proposals) << where;
    ASSERT_EQ(two->unmatched_people.size(), one->unmatched_people.size()) << where;
    for (size_t i = 0; i < one->unmatched_people.size(); ++i) {
      EXPECT_EQ(two->unmatched_people[i].person, one->unmatched_people[i].person) << where;
      EXPECT_EQ(two->unmatched_people[i].text, one->unmatched_people[i].text) << where;
    }
    ASSERT_EQ(two->open_seats.size(), one->open_seats.size()) << where;
    for (size_t i = 0; i < one->open_seats.size(); ++i) {
      EXPECT_EQ(two->open_seats[i].village, one->open_seats[i].village) << where;
      EXPECT_EQ(two->open_seats[i].seats_left, one->open_seats[i].seats_left) << where;
    }
    EXPECT_GT(
        std::count_if(two->village_of.begin(), two->village_of.end(), [](int v) { return v >= 0; }),
        40'000)
        << where;
    const StabilityCertificate cert = CheckStability(m, two->village_of);
    EXPECT_EQ(cert.blocking_pairs, 0) << where;
    EXPECT_EQ(cert.violations, 0) << where;
  }
}

TEST(DeferredAcceptanceTest, RefusesAVillageThatListsSomeoneTwice) {
  Market m;
  m.person_prefs = {Strict({0}), Strict({0})};
  m.village_prefs = {RankList{{{1}, {0, 1}}}};
  m.capacity = {1};
  auto r = DeferredAcceptance(m, {});
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().field_errors().size(), 1u);
  EXPECT_EQ(r.status().field_errors()[0].field, "village_prefs[0].tiers[1]");
  EXPECT_EQ(r.status().field_errors()[0].message, "ranks person 1 twice");
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

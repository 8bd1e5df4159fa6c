#include "engines/match/optimal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "engines/match/deferred_acceptance.h"
#include "engines/match/test_markets.h"

namespace qiangji::engines::match {
namespace {

using testing::ForEachAssignment;
using testing::RandomMarket;
using testing::RandomSpec;
using testing::Strict;

std::vector<FitArc> RandomFits(const Market& m, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<FitArc> fits;
  for (int p = 0; p < m.person_count(); ++p) {
    for (int v = 0; v < m.village_count(); ++v) {
      if (rng() % 4 == 0) continue;  // no fit known: the pair adds nothing
      fits.push_back({p, v, static_cast<double>(rng() % 10000) / 1000.0});
    }
  }
  return fits;
}

TEST(OptimalFitTest, EqualsBruteForceOnSmallRandomMarkets) {
  RandomSpec spec{.people = 6,
                  .villages = 3,
                  .max_capacity = 2,
                  .list_permille = 750,
                  .exclusion_permille = 100};
  int positive = 0;
  int stable_below_optimum = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const Market m = RandomMarket(seed, spec);
    const auto fits = RandomFits(m, seed * 31);
    std::set<std::pair<int, int>> allowed;
    for (int p = 0; p < m.person_count(); ++p) {
      for (const auto& tier : m.person_prefs[static_cast<size_t>(p)].tiers) {
        for (int v : tier) {
          for (const auto& vt : m.village_prefs[static_cast<size_t>(v)].tiers) {
            if (std::find(vt.begin(), vt.end(), p) != vt.end()) allowed.insert({p, v});
          }
        }
      }
    }
    for (const Exclusion& e : m.exclusions) allowed.erase({e.person, e.village});
    int64_t best = 0;
    ForEachAssignment(m, [&](const Assignment& a) {
      for (int p = 0; p < m.person_count(); ++p) {
        const int v = a[static_cast<size_t>(p)];
        if (v >= 0 && !allowed.count({p, v})) return;
      }
      best = std::max(best, TotalScaledFit(fits, a));
    });
    auto r = OptimalFit(m, fits);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->total_scaled, best) << "seed " << seed;
    EXPECT_EQ(TotalScaledFit(fits, r->village_of), r->total_scaled);
    std::vector<int> taken(static_cast<size_t>(m.village_count()), 0);
    for (int p = 0; p < m.person_count(); ++p) {
      const int v = r->village_of[static_cast<size_t>(p)];
      if (v < 0) continue;
      EXPECT_TRUE(allowed.count({p, v})) << "seed " << seed;
      ++taken[static_cast<size_t>(v)];
    }
    for (int v = 0; v < m.village_count(); ++v) {
      EXPECT_LE(taken[static_cast<size_t>(v)], m.capacity[static_cast<size_t>(v)]);
    }
    // The stable result can never beat the optimum.
    auto da = DeferredAcceptance(m, {ProposingSide::kPeople, seed});
    ASSERT_TRUE(da.ok());
    const auto price = ComparePriceOfStability(fits, da->village_of, *r);
    EXPECT_LE(price.stable_scaled, price.optimal_scaled);
    EXPECT_LE(price.ratio, 1.0);
    if (best > 0) ++positive;
    if (price.stable_scaled < price.optimal_scaled) ++stable_below_optimum;
  }
  EXPECT_GT(positive, 100);  // the instances are not trivially empty
  EXPECT_GT(stable_below_optimum, 10);
}

TEST(OptimalFitTest, PriceOfStabilityOfAMarketWhereMutualFirstChoicesFitBadly) {
  Market m;
  m.person_prefs = {Strict({0, 1}), Strict({0, 1})};
  m.village_prefs = {Strict({0, 1}), Strict({0, 1})};
  m.capacity = {1, 1};
  const std::vector<FitArc> fits = {{0, 0, 1}, {0, 1, 10}, {1, 0, 10}, {1, 1, 1}};
  auto da = DeferredAcceptance(m, {});
  ASSERT_TRUE(da.ok());
  EXPECT_EQ(da->village_of, (Assignment{0, 1}));
  auto opt = OptimalFit(m, fits);
  ASSERT_TRUE(opt.ok());
  EXPECT_EQ(opt->village_of, (Assignment{1, 0}));
  EXPECT_DOUBLE_EQ(opt->total_fit, 20.0);
  const auto price = ComparePriceOfStability(fits, da->village_of, *opt);
  EXPECT_EQ(price.stable_scaled, 2000);
  EXPECT_EQ(price.optimal_scaled, 20000);
  EXPECT_DOUBLE_EQ(price.ratio, 0.1);
}

TEST(OptimalFitTest, WithoutListsFitAloneDecidesButExclusionsAndSeatsStillHold) {
  Market m;
  m.person_prefs.resize(3);
  m.village_prefs.resize(1);
  m.capacity = {2};
  m.exclusions = {{0, 0, "home county"}};
  const std::vector<FitArc> fits = {{0, 0, 9}, {1, 0, 2}, {2, 0, 3}};
  auto listed = OptimalFit(m, fits);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->village_of, (Assignment{-1, -1, -1}));  // nobody listed anybody
  auto r = OptimalFit(m, fits, {.require_mutually_listed = false});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->village_of, (Assignment{-1, 0, 0}));
  EXPECT_EQ(r->total_scaled, 5000);
}

TEST(OptimalFitTest, NobodyIsPlacedWhereTheFitIsZero) {
  Market m;
  m.person_prefs = {Strict({0})};
  m.village_prefs = {Strict({0})};
  m.capacity = {1};
  auto r = OptimalFit(m, {{0, 0, 0.0}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->village_of, (Assignment{-1}));
  const auto price = ComparePriceOfStability({{0, 0, 0.0}}, Assignment{0}, *r);
  EXPECT_DOUBLE_EQ(price.ratio, 1.0);
}

TEST(OptimalFitTest, BadFitsAreRefusedWithFieldErrors) {
  Market m;
  m.person_prefs = {Strict({0})};
  m.village_prefs = {Strict({0})};
  m.capacity = {1};
  auto r = OptimalFit(m, {{0, 0, 1}, {0, 0, 2}, {3, 0, 1}, {0, 0, -1}});
  ASSERT_FALSE(r.ok());
  std::vector<std::string> fields;
  for (const auto& e : r.status().field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"fits[1]", "fits[2]", "fits[3]"}));
}

}  // namespace
}  // namespace qiangji::engines::match

#include "engines/match/assignment.h"

#include <gtest/gtest.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "engines/match/optimal.h"
#include "engines/match/test_markets.h"

namespace qiangji::engines::match {
namespace {

// The reference: LEMON's NetworkSimplex on source -> row -> column -> sink plus a bypass arc,
// the model OptimalFit uses for villages with several seats.
int64_t LemonOptimum(int rows, int cols, const std::vector<WeightedArc>& arcs) {
  using Graph = lemon::SmartDigraph;
  Graph g;
  const Graph::Node s = g.addNode();
  const Graph::Node t = g.addNode();
  std::vector<Graph::Node> r;
  std::vector<Graph::Node> c;
  for (int i = 0; i < rows; ++i) r.push_back(g.addNode());
  for (int j = 0; j < cols; ++j) c.push_back(g.addNode());
  Graph::ArcMap<int64_t> upper(g);
  Graph::ArcMap<int64_t> cost(g);
  auto add = [&](Graph::Node a, Graph::Node b, int64_t cap, int64_t w) {
    const Graph::Arc arc = g.addArc(a, b);
    upper[arc] = cap;
    cost[arc] = w;
  };
  for (int i = 0; i < rows; ++i) add(s, r[static_cast<size_t>(i)], 1, 0);
  for (int j = 0; j < cols; ++j) add(c[static_cast<size_t>(j)], t, 1, 0);
  add(s, t, rows, 0);
  for (const WeightedArc& a : arcs) {
    if (a.weight > 0)
      add(r[static_cast<size_t>(a.row)], c[static_cast<size_t>(a.col)], 1, -a.weight);
  }
  lemon::NetworkSimplex<Graph, int64_t, int64_t> ns(g);
  ns.upperMap(upper).costMap(cost).stSupply(s, t, rows);
  EXPECT_TRUE(ns.run() == (lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL));
  return -ns.totalCost<int64_t>();
}

// Every row's column is one of its arcs with positive weight, no column is used twice, and
// the reported totals add up. Returns the total recomputed from the arcs.
int64_t CheckMatching(int rows, int cols, const std::vector<WeightedArc>& arcs,
                      const WeightedMatching& m) {
  EXPECT_EQ(m.col_of_row.size(), static_cast<size_t>(rows));
  std::vector<int64_t> best(static_cast<size_t>(rows) * static_cast<size_t>(cols), 0);
  for (const WeightedArc& a : arcs) {
    int64_t& b = best[static_cast<size_t>(a.row) * static_cast<size_t>(cols) +
                      static_cast<size_t>(a.col)];
    b = std::max(b, a.weight);
  }
  std::vector<int> used(static_cast<size_t>(cols), 0);
  int64_t total = 0;
  int matched = 0;
  for (int i = 0; i < rows; ++i) {
    const int j = m.col_of_row[static_cast<size_t>(i)];
    if (j < 0) continue;
    EXPECT_LT(j, cols);
    EXPECT_EQ(used[static_cast<size_t>(j)]++, 0) << "column " << j << " used twice";
    const int64_t w = best[static_cast<size_t>(i) * static_cast<size_t>(cols) +
                           static_cast<size_t>(j)];
    EXPECT_GT(w, 0) << "row " << i << " placed on column " << j << " without a positive arc";
    total += w;
    ++matched;
  }
  EXPECT_EQ(total, m.total_weight);
  EXPECT_EQ(matched, m.matched);
  return total;
}

struct Spec {
  int rows;
  int cols;
  int arcs_per_row_max;  // each row gets 0..this many arcs (may repeat a column)
  int64_t max_weight;    // weights drawn from [-2, max_weight]: zero and negative included
};

std::vector<WeightedArc> RandomArcs(std::mt19937_64& rng, const Spec& s) {
  std::vector<WeightedArc> arcs;
  for (int i = 0; i < s.rows; ++i) {
    const int k = static_cast<int>(rng() % static_cast<uint64_t>(s.arcs_per_row_max + 1));
    for (int a = 0; a < k && s.cols > 0; ++a) {
      arcs.push_back({i, static_cast<int>(rng() % static_cast<uint64_t>(s.cols)),
                      static_cast<int64_t>(rng() % static_cast<uint64_t>(s.max_weight + 3)) - 2});
    }
  }
  return arcs;
}

int64_t BruteForce(int rows, int cols, const std::vector<WeightedArc>& arcs) {
  std::vector<int64_t> best(static_cast<size_t>(rows) * static_cast<size_t>(cols), 0);
  for (const WeightedArc& a : arcs) {
    int64_t& b = best[static_cast<size_t>(a.row) * static_cast<size_t>(cols) +
                      static_cast<size_t>(a.col)];
    b = std::max(b, a.weight);
  }
  std::vector<bool> used(static_cast<size_t>(cols), false);
  std::function<int64_t(int)> go = [&](int i) -> int64_t {
    if (i == rows) return 0;
    int64_t result = go(i + 1);  // row i unmatched
    for (int j = 0; j < cols; ++j) {
      const int64_t w = best[static_cast<size_t>(i) * static_cast<size_t>(cols) +
                             static_cast<size_t>(j)];
      if (used[static_cast<size_t>(j)] || w <= 0) continue;
      used[static_cast<size_t>(j)] = true;
      result = std::max(result, w + go(i + 1));
      used[static_cast<size_t>(j)] = false;
    }
    return result;
  };
  return go(0);
}

TEST(MaxWeightMatchingTest, EqualsBruteForceOnTinyInstances) {
  std::mt19937_64 rng(11);
  int nonzero = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Spec s{1 + static_cast<int>(rng() % 6), 1 + static_cast<int>(rng() % 6),
                 static_cast<int>(rng() % 5), trial % 3 == 0 ? 3 : 40};
    const auto arcs = RandomArcs(rng, s);
    auto r = MaxWeightMatching(s.rows, s.cols, arcs);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const int64_t expected = BruteForce(s.rows, s.cols, arcs);
    ASSERT_EQ(r->total_weight, expected) << "trial " << trial;
    CheckMatching(s.rows, s.cols, arcs, *r);
    if (expected > 0) ++nonzero;
  }
  EXPECT_GT(nonzero, 250);
}

// Small and medium instances of every shape: square, more rows, more columns, empty rows and
// columns, ties (weights from a tiny range), parallel arcs, zero and negative weights, and
// dense rows that force long augmenting paths.
TEST(MaxWeightMatchingTest, EqualsLemonNetworkSimplexOnRandomInstances) {
  std::mt19937_64 rng(2024);
  const std::vector<Spec> shapes = {
      {8, 8, 3, 5},       {20, 20, 6, 100},    {30, 10, 4, 50},     {10, 30, 8, 50},
      {50, 50, 2, 1000},  {60, 40, 20, 3},     {100, 100, 10, 1},   {150, 120, 5, 1000000},
      {200, 200, 30, 30}, {400, 300, 12, 500}, {300, 500, 12, 500}, {1000, 1000, 8, 10000},
  };
  int cases = 0;
  for (const Spec& s : shapes) {
    for (int rep = 0; rep < 25; ++rep) {
      const auto arcs = RandomArcs(rng, s);
      auto r = MaxWeightMatching(s.rows, s.cols, arcs);
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r->total_weight, LemonOptimum(s.rows, s.cols, arcs))
          << s.rows << "x" << s.cols << " rep " << rep;
      CheckMatching(s.rows, s.cols, arcs, *r);
      ++cases;
    }
  }
  EXPECT_EQ(cases, 300);
}

// Correlated weights (a common column quality plus noise): everyone wants the same columns,
// the case where the row reduction's price wars hand over to the Dijkstra searches.
TEST(MaxWeightMatchingTest, EqualsLemonWhenEveryoneWantsTheSameColumns) {
  std::mt19937_64 rng(99);
  int64_t searches = 0;
  for (int rep = 0; rep < 20; ++rep) {
    const int rows = 300;
    const int cols = 200 + rep * 10;
    std::vector<int64_t> quality(static_cast<size_t>(cols));
    for (auto& q : quality) q = static_cast<int64_t>(rng() % 1000);
    std::vector<WeightedArc> arcs;
    for (int i = 0; i < rows; ++i) {
      std::set<int> chosen;
      while (chosen.size() < 15) chosen.insert(static_cast<int>(rng() % static_cast<uint64_t>(cols)));
      for (int j : chosen) {
        arcs.push_back({i, j, 1 + quality[static_cast<size_t>(j)] +
                                  static_cast<int64_t>(rng() % 50)});
      }
    }
    auto r = MaxWeightMatching(rows, cols, arcs);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->total_weight, LemonOptimum(rows, cols, arcs)) << "rep " << rep;
    CheckMatching(rows, cols, arcs, *r);
    searches += r->searches;
  }
  EXPECT_GT(searches, 100);  // the Dijkstra phase, not only the row reduction, was exercised
}

TEST(MaxWeightMatchingTest, EdgeCases) {
  // Nothing at all.
  auto empty = MaxWeightMatching(0, 0, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->col_of_row.empty());
  EXPECT_EQ(empty->total_weight, 0);
  // Rows without arcs, a single arc, and an arc of weight 0 that must not be used.
  const std::vector<WeightedArc> arcs = {{1, 2, 7}, {2, 0, 0}};
  auto r = MaxWeightMatching(3, 3, arcs);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->col_of_row, (std::vector<int>{-1, 2, -1}));
  EXPECT_EQ(r->total_weight, 7);
  // Two columns, three rows: the middle row is left out (10 + 10 beats 6 + 10).
  const std::vector<WeightedArc> star = {{0, 0, 10}, {1, 0, 6}, {1, 1, 6}, {2, 1, 10}};
  auto s = MaxWeightMatching(3, 2, star);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->col_of_row, (std::vector<int>{0, -1, 1}));
  EXPECT_EQ(s->total_weight, 20);
  // A pair given twice counts its better weight.
  auto twice = MaxWeightMatching(1, 1, std::vector<WeightedArc>{{0, 0, 3}, {0, 0, 9}});
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->total_weight, 9);
}

TEST(MaxWeightMatchingTest, BadInputIsRefusedWithFieldErrors) {
  const std::vector<WeightedArc> arcs = {{0, 0, 1}, {2, 0, 1}, {0, 5, 1}, {0, 0, kMaxArcWeight + 1}};
  auto r = MaxWeightMatching(2, 2, arcs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& e : r.status().field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"arcs[1]", "arcs[2]", "arcs[3]"}));
  EXPECT_FALSE(MaxWeightMatching(-1, 2, {}).ok());
}

// OptimalFit with one seat per village goes through this solver; with more seats, through
// LEMON. Both must give the optimum of the same flow model, so compare them against LEMON.
TEST(MaxWeightMatchingTest, OptimalFitWithSingleSeatsEqualsLemon) {
  testing::RandomSpec spec{.people = 40,
                           .villages = 30,
                           .max_capacity = 1,
                           .list_permille = 300,
                           .tie_permille = 200,
                           .exclusion_permille = 40};
  std::mt19937_64 rng(5);
  int single_seat_markets = 0;
  for (uint64_t seed = 1; seed <= 120; ++seed) {
    Market m = testing::RandomMarket(seed, spec);
    if (seed % 2 == 0) std::fill(m.capacity.begin(), m.capacity.end(), 1);
    std::vector<FitArc> fits;
    for (int p = 0; p < m.person_count(); ++p) {
      for (int v = 0; v < m.village_count(); ++v) {
        if (rng() % 3 == 0) fits.push_back({p, v, static_cast<double>(rng() % 5000) / 1000.0});
      }
    }
    for (bool listed : {true, false}) {
      auto r = OptimalFit(m, fits, {.require_mutually_listed = listed});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      // The same allowed pairs, solved by LEMON directly (capacity 0 drops the village).
      std::set<std::pair<int, int>> excluded;
      for (const Exclusion& e : m.exclusions) excluded.insert({e.person, e.village});
      auto lists = [](const RankList& l, int x) {
        for (const auto& t : l.tiers) {
          if (std::find(t.begin(), t.end(), x) != t.end()) return true;
        }
        return false;
      };
      std::vector<WeightedArc> arcs;
      for (const FitArc& f : fits) {
        if (excluded.count({f.person, f.village})) continue;
        if (m.capacity[static_cast<size_t>(f.village)] == 0) continue;
        if (listed && (!lists(m.person_prefs[static_cast<size_t>(f.person)], f.village) ||
                       !lists(m.village_prefs[static_cast<size_t>(f.village)], f.person))) {
          continue;
        }
        arcs.push_back({f.person, f.village, ScaleFit(f.fit)});
      }
      EXPECT_EQ(r->total_scaled, LemonOptimum(m.person_count(), m.village_count(), arcs))
          << "seed " << seed;
      EXPECT_EQ(TotalScaledFit(fits, r->village_of), r->total_scaled);
      std::vector<int> taken(static_cast<size_t>(m.village_count()), 0);
      for (int p = 0; p < m.person_count(); ++p) {
        const int v = r->village_of[static_cast<size_t>(p)];
        if (v < 0) continue;
        EXPECT_FALSE(excluded.count({p, v}));
        EXPECT_LE(++taken[static_cast<size_t>(v)], m.capacity[static_cast<size_t>(v)]);
      }
    }
    ++single_seat_markets;
  }
  EXPECT_EQ(single_seat_markets, 120);
}

}  // namespace
}  // namespace qiangji::engines::match

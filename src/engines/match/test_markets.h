// Instances shared by this folder's tests: the classic cyclic 3x3 market, seeded random markets
// and brute-force enumeration of every feasible assignment of a small market.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "engines/match/market.h"

namespace qiangji::engines::match::testing {

inline RankList Strict(std::vector<int> order) {
  RankList list;
  for (int x : order) list.tiers.push_back({x});
  return list;
}

// Three people, three one-seat villages, each side's first choices cycling against the other's
// (Gale and Shapley 1962; Knuth, "Mariages stables", 1976). Three stable matchings: people
// first choices (people-optimal), villages' first choices (village-optimal), and everyone's
// second choice.
inline Market Cyclic3x3() {
  Market m;
  m.person_names = {"Zhang", "Wang", "Li"};
  m.village_names = {"Dongcun", "Xicun", "Nancun"};
  m.person_prefs = {Strict({0, 1, 2}), Strict({1, 2, 0}), Strict({2, 0, 1})};
  m.village_prefs = {Strict({1, 2, 0}), Strict({2, 0, 1}), Strict({0, 1, 2})};
  m.capacity = {1, 1, 1};
  return m;
}

struct RandomSpec {
  int people = 8;
  int villages = 4;
  int max_capacity = 2;
  int list_permille = 700;     // chance each agent lists each other one
  int tie_permille = 0;        // chance the next listed agent joins the current tier
  int exclusion_permille = 0;  // chance each pair is excluded
};

inline Market RandomMarket(uint64_t seed, const RandomSpec& spec) {
  std::mt19937_64 rng(seed);  // mt19937_64's sequence is fixed by the standard
  auto chance = [&rng](int permille) { return static_cast<int>(rng() % 1000) < permille; };
  auto ranked = [&](int count) {
    std::vector<int> order;
    for (int i = 0; i < count; ++i) {
      if (chance(spec.list_permille)) order.push_back(i);
    }
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    RankList list;
    for (int x : order) {
      if (list.tiers.empty() || !chance(spec.tie_permille)) {
        list.tiers.push_back({x});
      } else {
        list.tiers.AddToLastTier(x);
      }
    }
    return list;
  };
  Market m;
  for (int p = 0; p < spec.people; ++p) m.person_prefs.push_back(ranked(spec.villages));
  for (int v = 0; v < spec.villages; ++v) {
    m.village_prefs.push_back(ranked(spec.people));
    m.capacity.push_back(static_cast<int>(rng() % static_cast<uint64_t>(spec.max_capacity + 1)));
  }
  for (int p = 0; p < spec.people; ++p) {
    for (int v = 0; v < spec.villages; ++v) {
      if (chance(spec.exclusion_permille)) m.exclusions.push_back({p, v, "rule"});
    }
  }
  return m;
}

// Calls `visit` with every assignment that respects capacities (ignoring lists and exclusions).
inline void ForEachAssignment(const Market& m,
                              const std::function<void(const Assignment&)>& visit) {
  Assignment a(static_cast<size_t>(m.person_count()), -1);
  std::vector<int> left = m.capacity;
  std::function<void(int)> place = [&](int p) {
    if (p == m.person_count()) {
      visit(a);
      return;
    }
    a[static_cast<size_t>(p)] = -1;
    place(p + 1);
    for (int v = 0; v < m.village_count(); ++v) {
      if (left[static_cast<size_t>(v)] == 0) continue;
      --left[static_cast<size_t>(v)];
      a[static_cast<size_t>(p)] = v;
      place(p + 1);
      a[static_cast<size_t>(p)] = -1;
      ++left[static_cast<size_t>(v)];
    }
  };
  place(0);
}

}  // namespace qiangji::engines::match::testing

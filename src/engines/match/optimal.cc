#include "engines/match/optimal.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engines/match/assignment.h"

namespace qiangji::engines::match {
namespace {

uint64_t Key(int a, int b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

}  // namespace

int64_t ScaleFit(double fit) { return std::llround(fit * static_cast<double>(kFitScale)); }

Result<OptimalResult> OptimalFit(const Market& market, const std::vector<FitArc>& fits,
                                 const OptimalOptions& options) {
  QJ_RETURN_IF_ERROR(ValidateMarket(market));
  const int people = market.person_count();
  const int villages = market.village_count();
  FieldErrors errors;
  std::unordered_set<uint64_t> seen;
  for (size_t i = 0; i < fits.size(); ++i) {
    const FitArc& a = fits[i];
    const std::string field = "fits[" + std::to_string(i) + "]";
    if (a.person < 0 || a.person >= people || a.village < 0 || a.village >= villages) {
      errors.Add(field, "names an unknown person or village");
    } else if (!std::isfinite(a.fit) || a.fit < 0 || a.fit > kMaxFit) {
      errors.Add(field, "fit must be between 0 and 1e9");
    } else if (!seen.insert(Key(a.person, a.village)).second) {
      errors.Add(field, "gives the same pair twice");
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());

  std::unordered_set<uint64_t> excluded;
  for (const Exclusion& e : market.exclusions) excluded.insert(Key(e.person, e.village));
  std::unordered_set<uint64_t> person_listed;
  std::unordered_set<uint64_t> village_listed;
  if (options.require_mutually_listed) {
    for (int p = 0; p < people; ++p) {
      for (const auto& tier : market.person_prefs[static_cast<size_t>(p)].tiers) {
        for (int v : tier) person_listed.insert(Key(p, v));
      }
    }
    for (int v = 0; v < villages; ++v) {
      for (const auto& tier : market.village_prefs[static_cast<size_t>(v)].tiers) {
        for (int p : tier) village_listed.insert(Key(p, v));
      }
    }
  }

  // One seat per village: the 1:1 shortest-augmenting-path solver (assignment.h), several
  // times faster than the flow; the same arcs and the same optimum.
  const bool single_seats = std::all_of(market.capacity.begin(), market.capacity.end(),
                                        [](int c) { return c <= 1; });
  if (single_seats) {
    std::vector<WeightedArc> arcs;
    for (const FitArc& a : fits) {
      const int64_t scaled = ScaleFit(a.fit);
      const uint64_t key = Key(a.person, a.village);
      if (scaled <= 0 || excluded.count(key) ||
          market.capacity[static_cast<size_t>(a.village)] == 0) {
        continue;
      }
      if (options.require_mutually_listed &&
          (!person_listed.count(key) || !village_listed.count(key))) {
        continue;
      }
      arcs.push_back({a.person, a.village, scaled});
    }
    QJ_ASSIGN_OR_RETURN(WeightedMatching matching, MaxWeightMatching(people, villages, arcs));
    OptimalResult out;
    out.village_of = std::move(matching.col_of_row);
    out.total_scaled = matching.total_weight;
    out.total_fit = static_cast<double>(out.total_scaled) / static_cast<double>(kFitScale);
    return out;
  }

  using Graph = lemon::SmartDigraph;
  Graph g;
  const Graph::Node source = g.addNode();
  const Graph::Node sink = g.addNode();
  std::vector<Graph::Node> person_node;
  std::vector<Graph::Node> village_node;
  for (int p = 0; p < people; ++p) person_node.push_back(g.addNode());
  for (int v = 0; v < villages; ++v) village_node.push_back(g.addNode());
  Graph::ArcMap<int64_t> upper(g);
  Graph::ArcMap<int64_t> cost(g);
  auto add = [&](Graph::Node from, Graph::Node to, int64_t cap, int64_t c) {
    const Graph::Arc arc = g.addArc(from, to);
    upper[arc] = cap;
    cost[arc] = c;
    return arc;
  };
  for (int p = 0; p < people; ++p) add(source, person_node[static_cast<size_t>(p)], 1, 0);
  for (int v = 0; v < villages; ++v) {
    add(village_node[static_cast<size_t>(v)], sink, market.capacity[static_cast<size_t>(v)], 0);
  }
  add(source, sink, people, 0);  // the unplaced
  std::vector<std::pair<Graph::Arc, const FitArc*>> pair_arcs;
  for (const FitArc& a : fits) {
    const int64_t scaled = ScaleFit(a.fit);
    const uint64_t key = Key(a.person, a.village);
    if (scaled <= 0 || excluded.count(key)) continue;
    if (options.require_mutually_listed &&
        (!person_listed.count(key) || !village_listed.count(key))) {
      continue;
    }
    pair_arcs.emplace_back(add(person_node[static_cast<size_t>(a.person)],
                               village_node[static_cast<size_t>(a.village)], 1, -scaled),
                           &a);
  }

  lemon::NetworkSimplex<Graph, int64_t, int64_t> simplex(g);
  simplex.upperMap(upper).costMap(cost).stSupply(source, sink, people);
  if (simplex.run() != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL) {
    return Status::Internal("min-cost flow found no optimum");  // the bypass arc makes it feasible
  }
  OptimalResult out;
  out.village_of.assign(static_cast<size_t>(people), -1);
  for (const auto& [arc, fit] : pair_arcs) {
    if (simplex.flow(arc) > 0) {
      out.village_of[static_cast<size_t>(fit->person)] = fit->village;
      out.total_scaled += ScaleFit(fit->fit);
    }
  }
  out.total_fit = static_cast<double>(out.total_scaled) / static_cast<double>(kFitScale);
  return out;
}

int64_t TotalScaledFit(const std::vector<FitArc>& fits, const Assignment& village_of) {
  int64_t total = 0;
  for (const FitArc& a : fits) {
    if (a.person >= 0 && static_cast<size_t>(a.person) < village_of.size() &&
        village_of[static_cast<size_t>(a.person)] == a.village) {
      total += ScaleFit(a.fit);
    }
  }
  return total;
}

PriceOfStability ComparePriceOfStability(const std::vector<FitArc>& fits, const Assignment& stable,
                                         const OptimalResult& optimum) {
  PriceOfStability out;
  out.stable_scaled = TotalScaledFit(fits, stable);
  out.optimal_scaled = optimum.total_scaled;
  if (out.optimal_scaled > 0) {
    out.ratio = static_cast<double>(out.stable_scaled) / static_cast<double>(out.optimal_scaled);
  }
  return out;
}

}  // namespace qiangji::engines::match

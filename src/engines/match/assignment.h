// A specialised solver for the 1:1 case of optimal fit: the maximum-weight matching of a sparse
// bipartite graph, of any cardinality (a row or column may stay unmatched; an arc of weight 0
// or less is never used). This is what OptimalFit solves when every village has one seat, and
// it is several times faster there than the general min-cost flow.
//
// Algorithm: shortest augmenting paths with column potentials, after R. Jonker and
// A. Volgenant, "A shortest augmenting path algorithm for dense and sparse linear assignment
// problems", Computing 38 (1987) 325-340: their augmenting row reduction (an auction-like
// start that settles most rows in O(degree)), then one Dijkstra search per row still free, on
// CSR arrays. "Unmatched" is an implicit zero-cost column private to each row, which makes the
// rectangular, incomplete problem an ordinary row-complete assignment; potentials of free
// columns stay 0, so the result is optimal by complementary slackness (see assignment.cc).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::match {

struct WeightedArc {
  int row = 0;
  int col = 0;
  int64_t weight = 0;  // arcs with weight <= 0 are ignored; a pair given twice counts its best
};

// Weights are bounded so that potentials and path lengths stay far inside int64.
inline constexpr int64_t kMaxArcWeight = int64_t{1} << 40;

struct WeightedMatching {
  std::vector<int> col_of_row;  // per row, -1 when unmatched
  int64_t total_weight = 0;
  int matched = 0;
  // Work done, for benchmarks: rows settled by the row reduction, Dijkstra searches run.
  int64_t reduction_steps = 0;
  int64_t searches = 0;
};

// Field errors for negative sizes, arcs naming an unknown row or column, or a weight above
// kMaxArcWeight.
Result<WeightedMatching> MaxWeightMatching(int rows, int cols, std::span<const WeightedArc> arcs);

}  // namespace qiangji::engines::match

// Maximum-weight bipartite matching by shortest augmenting paths (Jonker and Volgenant 1987).
//
// The problem is turned into a minimum-cost assignment in which every row must be assigned:
// an arc (i, j) of weight w costs -w, and each row i has a private "unmatched" column of cost
// 0 that no other row can reach. Its dual is: maximise sum(u) + sum(v) subject to
// u_i + v_j <= c_ij and v_j <= 0, and a solution is optimal when every row is assigned, every
// assigned arc is tight, and every free column has v_j = 0. The solver keeps three invariants:
//   1. v_j <= 0 for every column, and v_j = 0 while column j is free (potentials only ever
//      decrease, and only on columns that are, and therefore stay, assigned: an augmenting path
//      never frees a column);
//   2. each assigned row holds a column of least reduced cost c_ij - v_j among its arcs and its
//      private column (cost 0, potential 0, never stored);
//   3. a column, once assigned, stays assigned.
// So when the last row is placed the matching is optimal. Both phases keep them:
//   - augmenting row reduction: a free row takes its best column j1 and lowers v_j1 by the gap
//     to its second best (so it is indifferent and others like j1 less); the row it displaces
//     becomes free. It is an auction; JV's two passes, and a step budget, bound the work;
//   - augmentation: for each row still free, Dijkstra over reduced costs (all >= 0 past the
//     first layer by invariant 2) to the nearest free column, which may be the private column
//     of the free row or of any row on the way; then the textbook potential update
//     v_k += d_k - d_min on the columns scanned, and a flip of the path.
#include "engines/match/assignment.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace qiangji::engines::match {
namespace {

constexpr int kOwnColumn = -1;  // the row sits on its private column: unmatched
constexpr int kFree = -2;       // the row still has to be placed
constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;

class SparseAssignment {
 public:
  SparseAssignment(int rows, int cols, std::span<const WeightedArc> arcs)
      : n_(rows), m_(cols), first_(static_cast<size_t>(rows) + 1, 0) {
    for (const WeightedArc& a : arcs) {
      if (a.weight > 0) ++first_[static_cast<size_t>(a.row) + 1];
    }
    for (int i = 0; i < n_; ++i) first_[Z(i) + 1] += first_[Z(i)];
    col_.resize(static_cast<size_t>(first_.back()));
    cost_.resize(col_.size());
    std::vector<int> fill(first_.begin(), first_.end() - 1);
    for (const WeightedArc& a : arcs) {
      if (a.weight <= 0) continue;
      const int at = fill[Z(a.row)]++;
      col_[Z(at)] = a.col;
      cost_[Z(at)] = -a.weight;
    }
    v_.assign(Z(m_), 0);
    owner_.assign(Z(m_), -1);
    col_of_.assign(Z(n_), kFree);
    held_cost_.assign(Z(n_), 0);
  }

  WeightedMatching Solve() {
    std::vector<int> free_rows;
    free_rows.reserve(Z(n_));
    for (int i = n_ - 1; i >= 0; --i) {
      if (first_[Z(i)] == first_[Z(i) + 1]) {
        col_of_[Z(i)] = kOwnColumn;  // no arc: nothing to decide
      } else {
        free_rows.push_back(i);
      }
    }
    std::reverse(free_rows.begin(), free_rows.end());
    WeightedMatching out;
    out.reduction_steps = ReduceRows(free_rows, 8 * static_cast<int64_t>(n_) + 16);
    if (!free_rows.empty()) {
      dist_.assign(Z(m_), 0);
      pred_.assign(Z(m_), -1);
      seen_.assign(Z(m_), 0);
      done_.assign(Z(m_), 0);
    }
    for (int f : free_rows) Augment(f);
    out.searches = static_cast<int64_t>(free_rows.size());
    out.col_of_row.assign(Z(n_), -1);
    for (int i = 0; i < n_; ++i) {
      const int j = col_of_[Z(i)];
      if (j < 0) continue;
      out.col_of_row[Z(i)] = j;
      out.total_weight -= held_cost_[Z(i)];
      ++out.matched;
    }
    return out;
  }

 private:
  static size_t Z(int i) { return static_cast<size_t>(i); }

  void Take(int row, int col, int64_t cost) {
    col_of_[Z(row)] = col;
    owner_[Z(col)] = row;
    held_cost_[Z(row)] = cost;
  }

  // JV's augmenting row reduction, two passes over the free rows. A row displaced after a
  // strict price cut is handled at once (it is likely to settle); after a tie it waits for the
  // next pass. Returns the steps taken; the rows left in `free_rows` go to Augment.
  int64_t ReduceRows(std::vector<int>& free_rows, int64_t budget) {
    int64_t steps = 0;
    for (int pass = 0; pass < 2 && !free_rows.empty(); ++pass) {
      size_t k = 0;
      size_t kept = 0;
      const size_t count = free_rows.size();
      while (k < count) {
        if (steps >= budget) {
          while (k < count) free_rows[kept++] = free_rows[k++];
          break;
        }
        ++steps;
        const int i = free_rows[k++];
        // Best and second-best reduced cost; the private column competes at 0 and wins ties.
        int64_t u1 = 0;
        int64_t u2 = kInf;
        int j1 = kOwnColumn;
        int j2 = kOwnColumn;
        int64_t c1 = 0;
        int64_t c2 = 0;
        for (int a = first_[Z(i)]; a < first_[Z(i) + 1]; ++a) {
          const int j = col_[Z(a)];
          const int64_t h = cost_[Z(a)] - v_[Z(j)];
          if (h < u1) {
            u2 = u1, j2 = j1, c2 = c1;
            u1 = h, j1 = j, c1 = cost_[Z(a)];
          } else if (h < u2) {
            u2 = h, j2 = j, c2 = cost_[Z(a)];
          }
        }
        if (j1 == kOwnColumn) {  // no arc beats staying unmatched
          col_of_[Z(i)] = kOwnColumn;
          continue;
        }
        // j1 is a real column, so u1 < 0 and u2 <= 0 (the private column is at worst second).
        int displaced = owner_[Z(j1)];
        int64_t cost = c1;
        if (u1 < u2) {
          v_[Z(j1)] -= u2 - u1;
        } else if (displaced >= 0) {  // a tie: take the other best column instead
          j1 = j2;
          cost = c2;
          displaced = j1 >= 0 ? owner_[Z(j1)] : -1;
        }
        if (j1 == kOwnColumn) {
          col_of_[Z(i)] = kOwnColumn;
          continue;
        }
        Take(i, j1, cost);
        if (displaced >= 0) {
          col_of_[Z(displaced)] = kFree;
          if (u1 < u2) {
            free_rows[--k] = displaced;
          } else {
            free_rows[kept++] = displaced;
          }
        }
      }
      free_rows.resize(kept);
    }
    return steps;
  }

  // Dijkstra from free row f to the nearest free column over reduced costs, then the potential
  // update and the flip of the path. The private column of every row reached is a candidate
  // end (that row then gives up its column and stays unmatched).
  void Augment(int f) {
    ++search_;
    heap_.clear();
    scanned_.clear();
    auto relax = [&](int row, int64_t base) {
      for (int a = first_[Z(row)]; a < first_[Z(row) + 1]; ++a) {
        const int k = col_[Z(a)];
        if (done_[Z(k)] == search_) continue;
        const int64_t nd = base + cost_[Z(a)] - v_[Z(k)];
        if (seen_[Z(k)] != search_ || nd < dist_[Z(k)]) {
          seen_[Z(k)] = search_;
          dist_[Z(k)] = nd;
          pred_[Z(k)] = row;
          heap_.emplace_back(nd, k);
          std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
        }
      }
    };
    int64_t best_own = 0;  // f's own private column: cost 0, potential 0
    int best_own_row = f;
    int end_col = -1;
    int64_t d_min = 0;
    relax(f, 0);
    while (true) {
      // Drop stale heap entries (lazy decrease-key).
      while (!heap_.empty() && (done_[Z(heap_.front().second)] == search_ ||
                                heap_.front().first != dist_[Z(heap_.front().second)])) {
        std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
        heap_.pop_back();
      }
      if (heap_.empty() || heap_.front().first >= best_own) {
        d_min = best_own;
        break;
      }
      const auto [d, j] = heap_.front();
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
      heap_.pop_back();
      if (owner_[Z(j)] < 0) {
        end_col = j;
        d_min = d;
        break;
      }
      done_[Z(j)] = search_;
      scanned_.push_back(j);
      const int i = owner_[Z(j)];
      const int64_t base = d - (held_cost_[Z(i)] - v_[Z(j)]);  // d minus i's reduced cost, >= d
      if (base < best_own) {  // i could give up j and stay unmatched
        best_own = base;
        best_own_row = i;
      }
      relax(i, base);
    }
    for (int k : scanned_) v_[Z(k)] += dist_[Z(k)] - d_min;

    int j = end_col;
    if (end_col < 0) {  // ends on best_own_row's private column
      j = col_of_[Z(best_own_row)];
      col_of_[Z(best_own_row)] = kOwnColumn;
      if (best_own_row == f) return;
    }
    while (true) {
      const int i = pred_[Z(j)];
      // The arc cost of (i, j): found from i's row (rows are short; this runs once per step).
      int64_t cost = kInf;
      for (int a = first_[Z(i)]; a < first_[Z(i) + 1]; ++a) {
        if (col_[Z(a)] == j) cost = std::min(cost, cost_[Z(a)]);
      }
      const int previous = col_of_[Z(i)];
      Take(i, j, cost);
      if (i == f) break;
      j = previous;
    }
  }

  int n_;
  int m_;
  std::vector<int> first_;  // CSR: arcs of row i are [first_[i], first_[i+1])
  std::vector<int> col_;
  std::vector<int64_t> cost_;  // -weight
  std::vector<int64_t> v_;     // column potentials
  std::vector<int> owner_;     // row holding each column, -1 when free
  std::vector<int> col_of_;    // column held by each row, kOwnColumn or kFree
  std::vector<int64_t> held_cost_;
  // Dijkstra scratch, reused across searches; stamps avoid clearing.
  std::vector<int64_t> dist_;
  std::vector<int> pred_;
  std::vector<int> seen_;
  std::vector<int> done_;
  std::vector<std::pair<int64_t, int>> heap_;
  std::vector<int> scanned_;
  int search_ = 0;
};

}  // namespace

Result<WeightedMatching> MaxWeightMatching(int rows, int cols, std::span<const WeightedArc> arcs) {
  FieldErrors errors;
  if (rows < 0) errors.Add("rows", "must not be negative");
  if (cols < 0) errors.Add("cols", "must not be negative");
  for (size_t i = 0; i < arcs.size(); ++i) {
    const WeightedArc& a = arcs[i];
    if (a.row < 0 || a.row >= rows || a.col < 0 || a.col >= cols) {
      errors.Add("arcs[" + std::to_string(i) + "]", "names an unknown row or column");
    } else if (a.weight > kMaxArcWeight) {
      errors.Add("arcs[" + std::to_string(i) + "]", "weight above 2^40");
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return SparseAssignment(rows, cols, arcs).Solve();
}

}  // namespace qiangji::engines::match

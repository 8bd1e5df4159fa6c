// Optimal-fit mode: the matching with the largest total fit under the same capacities and
// exclusions, ignoring preferences' stability. Solved exactly as a min-cost flow with LEMON's
// NetworkSimplex: source -> person (1 seat) -> village (fit as negative cost) -> sink
// (capacity seats), plus a free source -> sink arc so nobody has to be placed at a loss.
// When every village has at most one seat the same arcs go to the 1:1 solver in assignment.h
// instead (same optimum; an optimal matching, which may differ where optima tie).
//
// Fits are scaled to integers (kFitScale steps per unit) so the optimum is exact and equal to
// any other exact solver's; totals are reported in both scaled and plain form.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "engines/match/market.h"

namespace qiangji::engines::match {

inline constexpr int64_t kFitScale = 1000;  // fits are kept to 0.001
inline constexpr double kMaxFit = 1e9;

struct FitArc {
  int person = 0;
  int village = 0;
  double fit = 0;  // >= 0; how well the person suits the village (needs x skills x priority)
};

struct OptimalOptions {
  // True: only pairs both sides listed may be matched, as in deferred acceptance.
  bool require_mutually_listed = true;
};

struct OptimalResult {
  Assignment village_of;
  int64_t total_scaled = 0;  // sum of round(fit * kFitScale) over matched pairs
  double total_fit = 0;
};

int64_t ScaleFit(double fit);

// Field errors for unknown indices, a pair given twice, or a fit outside [0, kMaxFit].
Result<OptimalResult> OptimalFit(const Market& market, const std::vector<FitArc>& fits,
                                 const OptimalOptions& options = {});

// Total scaled fit of any assignment; pairs without a fit arc count 0.
int64_t TotalScaledFit(const std::vector<FitArc>& fits, const Assignment& village_of);

struct PriceOfStability {
  int64_t stable_scaled = 0;
  int64_t optimal_scaled = 0;
  double ratio = 1;  // stable / optimum; 1 when the optimum is 0
};

PriceOfStability ComparePriceOfStability(const std::vector<FitArc>& fits, const Assignment& stable,
                                         const OptimalResult& optimum);

}  // namespace qiangji::engines::match

// Pieces of a village's explanation: its standing in a group (county or township), where it lags
// the group median most, and the smallest single-indicator change that lifts it one star. All in
// the weighted-sum model, where a score is the plain sum of 100 * w * s contributions.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "engines/assess/score.h"

namespace qiangji::engines::assess {

// Competition ranking ("1224"): rank = 1 + villages with a strictly higher score. Percentile =
// 100 x (villages with a strictly lower score) / (n - 1): the best is 100, the worst 0; a group of
// one is 100.
struct Standing {
  int rank = 0;
  double percentile = 0;
};
std::vector<Standing> Standings(std::span<const double> scores);

// Median of each indicator's normalised value over the given rows (mean of the two middle ones
// for an even count). `normalised` is row-major with `indicators` columns. rows non-empty.
std::vector<double> ColumnMedians(std::span<const double> normalised, size_t indicators,
                                  std::span<const size_t> rows);

struct IndicatorGap {
  size_t indicator = 0;
  double gap = 0;     // normalised value minus the median, in -1..1
  double points = 0;  // the same in score points: 100 * w * gap
};
// The `count` indicators where the row lags the medians most (most negative points first; ties
// by indicator order). Only gaps below zero are listed.
std::vector<IndicatorGap> LargestGaps(std::span<const double> row, std::span<const double> medians,
                                      std::span<const double> weights, size_t count);

struct StarLift {
  size_t indicator = 0;
  double normalised_from = 0;
  double normalised_to = 0;  // the value on the 0..1 scale that reaches the next cut
  double value_from = 0;
  double value_to = 0;  // the same in the indicator's own unit
};
// For village `row` of a valid weighted-sum problem whose score is `score`, the single-indicator
// changes that raise it to `next_cut` (the next band's minimum, see BandCuts), smallest change
// on the 0..1 scale first. Empty when the score already reaches the cut, or no one indicator can
// close the gap alone. Raw values are mapped back through the indicator's normalisation with
// its bounds held fixed (for data-based min-max and z-score: this run's min, max, mean and sd).
std::vector<StarLift> SmallestLifts(const Problem& problem, std::span<const double> normalised,
                                    size_t row, double score, double next_cut);

}  // namespace qiangji::engines::assess

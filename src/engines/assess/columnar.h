// The column-major path of score.h, for runs from a county up to the whole country (487,144
// villages): one pass per indicator column, no per-village allocation, optionally two threads.
// Its normalised values and scores equal score.h's bit for bit on the same problem (tested):
// every per-village sum still runs indicator by indicator in indicator order, every
// per-indicator sum village by village in village order; threads split whole columns
// (statistics, normalisation, entropy) or whole blocks of villages (aggregation), never one
// sum. Entropy weights differ from weights.h's by rounding only (see ColumnEntropyWeights).
//
// It also handles missing values, which score.h does not: a NaN cell is missing. Statistics of
// the data-based normalisations (min-max on the data, z-score) use the present values only; a
// missing cell takes its indicator's `missing_value` when there is one (normalised by the same
// rule, clamped to 0..1), or else the worst end: normalised 0, and for TOPSIS on raw values
// (vector normalisation) and entropy the column's worst present value (its minimum for a
// benefit indicator, maximum for a cost one). A data-based indicator with no present value at
// all normalises every village to 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "engines/assess/score.h"
#include "engines/assess/stars.h"

namespace qiangji::engines::assess {

struct ColumnarProblem {
  std::vector<Indicator> indicators;  // weights are passed separately to ColumnScores
  // Empty, or one per indicator: the value a missing cell takes.
  std::vector<std::optional<double>> missing_values;
  size_t alternatives = 0;
  // Column-major, alternatives x indicators: values[j * alternatives + i]; NaN = missing. Not
  // owned: the caller keeps it alive while the problem is used.
  std::span<const double> values;
};

// Statistics of one column over its present (non-NaN) values.
struct ColumnStats {
  size_t present = 0;
  double lo = 0, hi = 0;    // min and max
  double mean = 0, sd = 0;  // population sd, as in NormaliseValues
};

struct PreparedColumns {
  std::vector<ColumnStats> stats;  // one per indicator
  // Column-major raw values as scored: present values, defaults, and the worst present value
  // for a missing cell without a default. Empty when nothing is missing (then `values`).
  std::vector<double> scored;
  std::vector<double> normalised;  // column-major, 0..1, direction applied
  size_t missing_cells = 0;

  std::span<const double> Scored(const ColumnarProblem& p) const {
    return scored.empty() ? p.values : std::span<const double>(scored);
  }
};

// Bounds that fit each normalisation (as ValidateProblem), sizes, no infinite values. Weights
// are not checked here; ColumnScores takes them as given (non-negative, positive sum).
Status ValidateColumnar(const ColumnarProblem& problem, const ScoreOptions& options);

// Statistics and normalisation, column by column; `threads` 1 or 2 (split by columns).
PreparedColumns PrepareColumns(const ColumnarProblem& problem, int threads = 1);
// The same into `out`, reusing its buffers: at national scale, allocating and first touching
// 156 MB of normalised values costs more than computing them (page faults on a VM).
void PrepareColumns(const ColumnarProblem& problem, PreparedColumns& out, int threads = 1);

// EntropyWeights (weights.h) over a column-major matrix of finite values: the same rules, with
// sums in eight fixed lanes and fdlibm's logarithm written out (vectorised), so the weights
// agree with EntropyWeights to rounding (1e-12 or better: 1 - e cancels digits), are the same
// for 1 or 2 threads and on every machine, and a constant indicator still gets exactly 0.
std::vector<double> ColumnEntropyWeights(size_t alternatives, size_t indicators,
                                         std::span<const double> column_major, int threads = 1);

// ScoresFromNormalised (score.h) on prepared columns, bit for bit. `weights` one per indicator.
std::vector<double> ColumnScores(const ColumnarProblem& problem, const PreparedColumns& prepared,
                                 const ScoreOptions& options, std::span<const double> weights,
                                 int threads = 1);

// BandCuts and BandStars (stars.h), with the same results; quotas select their cuts in linear
// time instead of sorting every score.
Result<std::vector<double>> FastBandCuts(std::span<const double> scores, const StarBands& bands);
Result<std::vector<int>> FastBandStars(std::span<const double> scores, const StarBands& bands);

}  // namespace qiangji::engines::assess

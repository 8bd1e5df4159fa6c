// Scores of alternatives (villages) over weighted indicators: per-indicator normalisation to
// 0..1, then a weighted sum on 0..100 or TOPSIS closeness x 100. Bit-for-bit reproducible: every
// sum runs in one fixed order (indicator by indicator, village by village, no parallel
// reduction), and the canonical inputs and outputs are hashed with 64-bit FNV-1a so that a
// rerun can prove it reproduced a run. Formulas and edge cases: docs/assessment-methods.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::assess {

enum class Direction { kBenefit, kCost };  // more is better / less is better

enum class Normalisation {
  kMinMaxFixed,  // (x - lower) / (upper - lower) on fixed reference bounds, clamped to 0..1
  kMinMaxData,   // the same on this run's minimum and maximum; a constant indicator gives 1
  kTarget,       // 1 at or beyond `target`, falling linearly to 0 at the far bound
  kZScore,       // 0.5 + z / 6 clamped to 0..1 (mean at 0.5, +-3 sd span); sd 0 gives 0.5
};

struct Indicator {
  std::string key;
  Direction direction = Direction::kBenefit;
  Normalisation normalisation = Normalisation::kMinMaxData;
  // kMinMaxFixed uses both bounds; kTarget uses `lower` (benefit) or `upper` (cost) as the point
  // that scores 0 and `target` as the point that scores 1.
  double lower = 0;
  double upper = 0;
  double target = 0;
  double weight = 0;
};

// Villages x indicators. `values` is row-major: values[i * indicators.size() + j].
struct Problem {
  std::vector<Indicator> indicators;
  std::vector<std::string> alternatives;  // ids, in row order
  std::vector<double> values;
};

enum class Method { kWeightedSum, kTopsis };

enum class TopsisNormalisation {
  kVector,  // r = x / sqrt(sum x^2) on raw values; direction picks the ideal (max or min)
  kMinMax,  // r = the indicator's own 0..1 normalisation above (direction already applied)
};

struct ScoreOptions {
  Method method = Method::kWeightedSum;
  TopsisNormalisation topsis_normalisation = TopsisNormalisation::kMinMax;
  // TOPSIS with the ideal at 1 and the anti-ideal at 0 of every indicator's normalised scale,
  // not at this run's best and worst, so that a score means the same from year to year. Needs
  // kMinMax and data-independent normalisations (kMinMaxFixed, kTarget); others are rejected.
  bool fixed_ideals = false;
};

struct ScoreResult {
  std::vector<double> scores;  // 0..100, one per alternative, in row order
  // Per alternative x indicator, row-major: the normalised value (0..1, direction applied) and,
  // for the weighted sum, its contribution 100 * w * s (empty for TOPSIS).
  std::vector<double> normalised;
  std::vector<double> contributions;
  uint64_t input_hash = 0;   // of the canonical problem and options
  uint64_t output_hash = 0;  // of the scores
};

// Validates the problem (field errors name "indicators[j].<field>", "alternatives[i]",
// "values[i][j]"): finite values, unique non-empty keys and ids, bounds that make sense for the
// chosen normalisation, weights non-negative and summing to 1 within 1e-6.
Status ValidateProblem(const Problem& problem, const ScoreOptions& options);

Result<ScoreResult> Score(const Problem& problem, const ScoreOptions& options);

// The 0..1 normalised matrix (direction applied) of a valid problem; row-major.
std::vector<double> NormaliseValues(const Problem& problem);

// Scores from a prepared matrix and a weight vector, without validation or hashing: the inner
// loop of Score, reused by the sensitivity analysis. `normalised` is NormaliseValues(problem).
std::vector<double> ScoresFromNormalised(const Problem& problem, const ScoreOptions& options,
                                         std::span<const double> normalised,
                                         std::span<const double> weights);

// 64-bit FNV-1a over typed, length-prefixed fields. Doubles are hashed by their IEEE-754 bits
// (with -0 folded into +0), so equal hashes mean bit-identical numbers.
class Fnv1a64 {
 public:
  void AddBytes(const void* data, size_t size);
  void AddU64(uint64_t v);
  void AddDouble(double v);
  void AddString(std::string_view s);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

// 16 lowercase hex digits.
std::string HashHex(uint64_t hash);

}  // namespace qiangji::engines::assess

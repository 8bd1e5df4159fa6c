// Robustness of star ratings to the weights: a seeded Monte Carlo that multiplies every weight by
// (1 + spread * u), u uniform in [-1, 1), renormalises, rescores and re-rates. The generator is
// written out (splitmix64) and uniforms are built from its bits, never from std distributions,
// whose output differs between standard libraries; a seed therefore gives the same answer on
// every machine.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "engines/assess/score.h"
#include "engines/assess/stars.h"
#include "engines/rng.h"

namespace qiangji::engines::assess {

// splitmix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014), as published by S. Vigna.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return engines::SplitMix64(state_); }
  // Uniform in [0, 1) from the top 53 bits: exact multiples of 2^-53.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

struct SensitivityOptions {
  uint64_t seed = 1;
  int draws = 1000;      // 1 .. 1,000,000
  double spread = 0.10;  // +-10% of each weight; 0 <= spread < 1
  double stable_threshold =
      0.05;  // a village is "stable" when its star changes this rarely or less
};

struct SensitivityResult {
  std::vector<int> base_stars;             // final stars (after vetoes) with the weights as given
  std::vector<int> changes;                // draws in which the star differed from base_stars
  std::vector<double> change_probability;  // changes / draws
  // Share of villages whose change probability is at most stable_threshold.
  double stable_share = 0;
  // Mean over draws of the share of villages whose star did not change.
  double mean_unchanged_share = 0;
};

// Draw d perturbs indicator j with the (d * k + j)-th uniform of the generator, in that order.
// Normalisation is weight-free, so it runs once; each draw reruns only the aggregation and bands.
Result<SensitivityResult> WeightSensitivity(const Problem& problem, const ScoreOptions& options,
                                            const StarBands& bands,
                                            std::span<const VillageFlags> flags,
                                            const ClassRules& rules,
                                            const SensitivityOptions& sensitivity);

// The same on a prepared normalised matrix (row-major, 0..1, direction applied), for callers
// whose normalisation is not NormaliseValues(problem): the run pipeline leaves missing values
// out of the data-based statistics. `problem` still gives the directions, the weights and, for
// TOPSIS with vector normalisation, the raw values.
Result<SensitivityResult> WeightSensitivity(const Problem& problem, const ScoreOptions& options,
                                            std::span<const double> normalised,
                                            const StarBands& bands,
                                            std::span<const VillageFlags> flags,
                                            const ClassRules& rules,
                                            const SensitivityOptions& sensitivity);

}  // namespace qiangji::engines::assess

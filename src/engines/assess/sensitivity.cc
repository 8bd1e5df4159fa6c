#include "engines/assess/sensitivity.h"

#include <cmath>

#include <fmt/format.h>

namespace qiangji::engines::assess {
namespace {

constexpr int kMaxDraws = 1000000;

std::vector<int> FinalStars(const std::vector<Rating>& ratings) {
  std::vector<int> stars(ratings.size());
  for (size_t i = 0; i < ratings.size(); ++i) stars[i] = ratings[i].stars;
  return stars;
}

}  // namespace

Result<SensitivityResult> WeightSensitivity(const Problem& problem, const ScoreOptions& options,
                                            const StarBands& bands,
                                            std::span<const VillageFlags> flags,
                                            const ClassRules& rules, const SensitivityOptions& s) {
  QJ_RETURN_IF_ERROR(ValidateProblem(problem, options));
  return WeightSensitivity(problem, options, NormaliseValues(problem), bands, flags, rules, s);
}

Result<SensitivityResult> WeightSensitivity(const Problem& problem, const ScoreOptions& options,
                                            std::span<const double> normalised,
                                            const StarBands& bands,
                                            std::span<const VillageFlags> flags,
                                            const ClassRules& rules, const SensitivityOptions& s) {
  FieldErrors errors;
  if (s.draws < 1 || s.draws > kMaxDraws) errors.Add("draws", "must be between 1 and 1000000");
  if (!(s.spread >= 0 && s.spread < 1)) errors.Add("spread", "must be at least 0 and below 1");
  if (!(s.stable_threshold >= 0 && s.stable_threshold <= 1)) {
    errors.Add("stable_threshold", "must be between 0 and 1");
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_RETURN_IF_ERROR(ValidateProblem(problem, options));

  const size_t k = problem.indicators.size(), m = problem.alternatives.size();
  if (normalised.size() != m * k) {
    return Status::InvalidField("normalised", fmt::format("{} values for {} x {}",
                                                          normalised.size(), m, k));
  }
  std::vector<double> base_weights(k);
  for (size_t j = 0; j < k; ++j) base_weights[j] = problem.indicators[j].weight;

  SensitivityResult out;
  {
    const std::vector<double> scores =
        ScoresFromNormalised(problem, options, normalised, base_weights);
    QJ_ASSIGN_OR_RETURN(std::vector<Rating> ratings, Rate(scores, bands, flags, rules));
    out.base_stars = FinalStars(ratings);
  }
  out.changes.assign(m, 0);

  SplitMix64 rng(s.seed);
  std::vector<double> w(k);
  double unchanged_sum = 0;
  for (int d = 0; d < s.draws; ++d) {
    // spread < 1 keeps every factor positive, so the weights still sum to more than 0.
    for (size_t j = 0; j < k; ++j) w[j] = base_weights[j] * (1 + s.spread * (2 * rng.Unit() - 1));
    const std::vector<double> scores = ScoresFromNormalised(problem, options, normalised, w);
    QJ_ASSIGN_OR_RETURN(std::vector<Rating> ratings, Rate(scores, bands, flags, rules));
    size_t unchanged = 0;
    for (size_t i = 0; i < m; ++i) {
      if (ratings[i].stars != out.base_stars[i]) {
        ++out.changes[i];
      } else {
        ++unchanged;
      }
    }
    unchanged_sum += static_cast<double>(unchanged) / m;
  }
  out.change_probability.resize(m);
  size_t stable = 0;
  for (size_t i = 0; i < m; ++i) {
    out.change_probability[i] = static_cast<double>(out.changes[i]) / s.draws;
    if (out.change_probability[i] <= s.stable_threshold) ++stable;
  }
  out.stable_share = static_cast<double>(stable) / m;
  out.mean_unchanged_share = unchanged_sum / s.draws;
  return out;
}

}  // namespace qiangji::engines::assess

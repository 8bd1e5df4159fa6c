#include "engines/assess/weights.h"

#include <cmath>
#include <cstddef>

#include <fmt/format.h>

namespace qiangji::engines::assess {
namespace {

constexpr double kRandomIndex[kSaatyRandomIndexMaxN] = {
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59};

// Power iteration stops when no component moves more than this, or after kMaxIterations.
constexpr double kPowerTolerance = 1e-13;
constexpr int kMaxIterations = 1000;

}  // namespace

double SaatyRandomIndex(int n) {
  if (n < 1 || n > kSaatyRandomIndexMaxN) return -1;
  return kRandomIndex[n - 1];
}

Result<AhpResult> Ahp(const PairwiseMatrix& matrix, double reciprocal_tolerance) {
  QJ_ASSIGN_OR_RETURN(AhpResult out, AhpUnchecked(matrix, reciprocal_tolerance));
  if (out.cr >= kMaxConsistencyRatio) {
    return Status::FailedPrecondition(fmt::format(
        "matrix {} is inconsistent: CR = {:.4f} (lambda_max = {:.4f}, CI = {:.4f}, RI = {:.2f}); "
        "CR must be below {:.2f}",
        matrix.name, out.cr, out.lambda_max, out.ci, out.ri, kMaxConsistencyRatio));
  }
  return out;
}

Result<AhpResult> AhpUnchecked(const PairwiseMatrix& matrix, double reciprocal_tolerance) {
  const int n = matrix.n;
  const std::string& name = matrix.name;
  if (n < 1)
    return Status::InvalidField("n", fmt::format("matrix {}: size must be at least 1", name));
  if (n > kSaatyRandomIndexMaxN) {
    return Status::InvalidField(
        "n", fmt::format("matrix {}: size {} is beyond Saaty's random-index table (at most {})",
                         name, n, kSaatyRandomIndexMaxN));
  }
  if (matrix.a.size() != static_cast<size_t>(n) * n) {
    return Status::InvalidField(
        "a", fmt::format("matrix {}: {} entries given, a {}x{} matrix needs {}", name,
                         matrix.a.size(), n, n, n * n));
  }
  FieldErrors errors;
  auto at = [&](int i, int j) { return matrix.a[static_cast<size_t>(i) * n + j]; };
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double v = at(i, j);
      const std::string field = fmt::format("a[{}][{}]", i, j);
      if (!std::isfinite(v) || v <= 0) {
        errors.Add(field, fmt::format("matrix {}: entries must be positive numbers", name));
      } else if (i == j && std::fabs(v - 1) > reciprocal_tolerance) {
        errors.Add(field, fmt::format("matrix {}: the diagonal must be 1", name));
      } else if (j > i && std::isfinite(at(j, i)) && at(j, i) > 0 &&
                 std::fabs(v * at(j, i) - 1) > reciprocal_tolerance) {
        errors.Add(field, fmt::format("matrix {}: a[{}][{}] = {} is not the reciprocal of "
                                      "a[{}][{}] = {}",
                                      name, j, i, at(j, i), i, j, v));
      }
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());

  AhpResult out;
  std::vector<double> w(n, 1.0 / n), next(n);
  for (out.iterations = 1; out.iterations <= kMaxIterations; ++out.iterations) {
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      double row = 0;
      for (int j = 0; j < n; ++j) row += at(i, j) * w[j];
      next[i] = row;
      sum += row;
    }
    double moved = 0;
    for (int i = 0; i < n; ++i) {
      next[i] /= sum;
      moved = std::fmax(moved, std::fabs(next[i] - w[i]));
    }
    w.swap(next);
    if (moved < kPowerTolerance) break;
  }
  if (out.iterations > kMaxIterations) out.iterations = kMaxIterations;
  // lambda_max as the mean of (A w)_i / w_i, which equals the eigenvalue at convergence.
  double lambda = 0;
  for (int i = 0; i < n; ++i) {
    double row = 0;
    for (int j = 0; j < n; ++j) row += at(i, j) * w[j];
    lambda += row / w[i];
  }
  out.lambda_max = lambda / n;
  out.ri = SaatyRandomIndex(n);
  if (n > 2) {
    // For a reciprocal positive matrix lambda_max >= n; a value just below n comes only from
    // reciprocals typed with rounding (0.333333 for 1/3) and is reported as perfect consistency.
    out.ci = std::fmax(0.0, (out.lambda_max - n) / (n - 1));
    out.cr = out.ci / out.ri;
  }
  out.weights = std::move(w);
  return out;
}

Result<std::vector<double>> EntropyWeights(int alternatives, int indicators,
                                           std::span<const double> values) {
  const int m = alternatives, k = indicators;
  if (m < 1) return Status::InvalidField("alternatives", "at least one alternative is needed");
  if (k < 1) return Status::InvalidField("indicators", "at least one indicator is needed");
  if (values.size() != static_cast<size_t>(m) * k) {
    return Status::InvalidField(
        "values", fmt::format("{} values given, {} x {} needs {}", values.size(), m, k, m * k));
  }
  FieldErrors errors;
  for (size_t idx = 0; idx < values.size(); ++idx) {
    if (!std::isfinite(values[idx])) {
      errors.Add(fmt::format("values[{}][{}]", idx / k, idx % k), "must be a finite number");
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());

  auto x = [&](int i, int j) { return values[static_cast<size_t>(i) * k + j]; };
  std::vector<double> d(k, 0.0);
  double d_sum = 0;
  const double ln_m = std::log(static_cast<double>(m));
  for (int j = 0; j < k; ++j) {
    double lo = x(0, j), hi = x(0, j);
    for (int i = 1; i < m; ++i) {
      lo = std::fmin(lo, x(i, j));
      hi = std::fmax(hi, x(i, j));
    }
    if (hi == lo) continue;  // constant: entropy 1, d = 0
    const double shift = lo < 0 ? lo : 0;
    double sum = 0;
    for (int i = 0; i < m; ++i) sum += x(i, j) - shift;
    double h = 0;
    for (int i = 0; i < m; ++i) {
      const double p = (x(i, j) - shift) / sum;
      if (p > 0) h -= p * std::log(p);
    }
    // Rounding can put e a hair above 1 for a nearly uniform column; never a negative weight.
    d[j] = std::fmax(0.0, 1.0 - h / ln_m);
    d_sum += d[j];
  }
  std::vector<double> w(k);
  for (int j = 0; j < k; ++j) w[j] = d_sum > 0 ? d[j] / d_sum : 1.0 / k;
  return w;
}

Status ValidateWeights(std::span<const double> weights, double tolerance) {
  FieldErrors errors;
  if (weights.empty()) errors.Add("weights", "at least one weight is needed");
  double sum = 0;
  for (size_t j = 0; j < weights.size(); ++j) {
    if (!std::isfinite(weights[j]) || weights[j] < 0) {
      errors.Add(fmt::format("weights[{}]", j), "must be a non-negative number");
    } else {
      sum += weights[j];
    }
  }
  if (errors.empty() && std::fabs(sum - 1) > tolerance) {
    errors.Add("weights", fmt::format("weights sum to {}, not 1", sum));
  }
  return errors.ToStatus();
}

Result<std::vector<double>> BlendWeights(std::span<const double> subjective,
                                         std::span<const double> objective, double alpha,
                                         BlendRule rule) {
  FieldErrors errors;
  if (subjective.size() != objective.size() || subjective.empty()) {
    errors.Add("objective", fmt::format("{} subjective and {} objective weights: they must be "
                                        "the same non-empty set of indicators",
                                        subjective.size(), objective.size()));
  }
  if (!(alpha >= 0 && alpha <= 1)) errors.Add("alpha", "must be between 0 and 1");
  for (size_t j = 0; j < subjective.size(); ++j) {
    if (!std::isfinite(subjective[j]) || subjective[j] < 0) {
      errors.Add(fmt::format("subjective[{}]", j), "must be a non-negative number");
    }
  }
  for (size_t j = 0; j < objective.size(); ++j) {
    if (!std::isfinite(objective[j]) || objective[j] < 0) {
      errors.Add(fmt::format("objective[{}]", j), "must be a non-negative number");
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());

  const size_t k = subjective.size();
  std::vector<double> w(k);
  double sum = 0;
  for (size_t j = 0; j < k; ++j) {
    w[j] = rule == BlendRule::kAdditive ? alpha * subjective[j] + (1 - alpha) * objective[j]
                                        : subjective[j] * objective[j];
    sum += w[j];
  }
  if (!(sum > 0)) {
    return Status::InvalidField("objective", "the blended weights are all zero");
  }
  for (double& v : w) v /= sum;
  return w;
}

}  // namespace qiangji::engines::assess

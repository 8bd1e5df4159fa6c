// Indicator weights: AHP from pairwise comparison matrices (Saaty), entropy weights from the data,
// and a stated blend of the two. Rules for edge cases (CR, zeros, negatives, constant indicators)
// are in docs/assessment-methods.md; every function here is pure and deterministic.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::assess {

// Saaty's random consistency index RI for n = 1..15 (T. L. Saaty, The Analytic Hierarchy Process,
// 1980; the values as commonly cited): 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
// 1.51, 1.48, 1.56, 1.57, 1.59.
inline constexpr int kSaatyRandomIndexMaxN = 15;
// RI for an n x n matrix; -1 when n is outside 1..15 (no published value to divide by).
double SaatyRandomIndex(int n);

// Matrices with CR at or above this are rejected (Saaty's 10% rule).
inline constexpr double kMaxConsistencyRatio = 0.10;

// A pairwise comparison matrix, row-major: a[i*n + j] = how much more important i is than j.
struct PairwiseMatrix {
  std::string name;  // named in errors, e.g. "dimensions" or "team_operation"
  int n = 0;
  std::vector<double> a;
};

struct AhpResult {
  std::vector<double> weights;  // principal eigenvector, sums to 1
  double lambda_max = 0;
  double ci = 0;  // (lambda_max - n) / (n - 1); 0 for n <= 2
  double ri = 0;  // SaatyRandomIndex(n)
  double cr = 0;  // ci / ri; 0 for n <= 2 (every 1x1 or 2x2 reciprocal matrix is consistent)
  int iterations = 0;
};

// Validates the matrix (square, finite, positive, unit diagonal, a[j][i] * a[i][j] = 1 within
// `reciprocal_tolerance`, so that 0.33 for 1/3 is accepted), then runs power iteration from the
// uniform vector. InvalidArgument on a malformed matrix or n > 15; FailedPrecondition naming the
// matrix and its CR when CR >= 0.10.
Result<AhpResult> Ahp(const PairwiseMatrix& matrix, double reciprocal_tolerance = 0.02);

// The same validation and arithmetic without the CR rejection, for an editor's live CR: the
// caller decides what to do with a CR at or above kMaxConsistencyRatio.
Result<AhpResult> AhpUnchecked(const PairwiseMatrix& matrix, double reciprocal_tolerance = 0.02);

// Entropy weights over an alternatives x indicators matrix (row-major, rows = alternatives).
// Rules: an indicator with a negative value is shifted by its minimum (x - min); p = x / sum;
// 0 * ln 0 = 0; a constant indicator (max == min, or a single alternative) has entropy exactly 1
// and weight 0; when every indicator is constant the weights are equal (1/k).
Result<std::vector<double>> EntropyWeights(int alternatives, int indicators,
                                           std::span<const double> values);

// Manual weights: finite, non-negative, summing to 1 within `tolerance`. Field errors name
// "weights[j]" (or "weights" for the sum).
Status ValidateWeights(std::span<const double> weights, double tolerance = 1e-6);

enum class BlendRule {
  kAdditive,        // w = alpha * subjective + (1 - alpha) * objective, renormalised
  kMultiplicative,  // w = subjective * objective / sum(subjective * objective)
};

// Combines subjective (e.g. AHP) and objective (e.g. entropy) weights of the same indicators.
// alpha in [0, 1] is used by the additive rule only. InvalidArgument on mismatched lengths,
// negative weights, or a multiplicative blend whose products are all zero.
Result<std::vector<double>> BlendWeights(std::span<const double> subjective,
                                         std::span<const double> objective, double alpha,
                                         BlendRule rule = BlendRule::kAdditive);

}  // namespace qiangji::engines::assess

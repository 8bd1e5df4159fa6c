#include "engines/assess/explain.h"

#include <algorithm>
#include <cmath>

namespace qiangji::engines::assess {
namespace {

// The raw value whose normalised value is `s`, the inverse of NormaliseValues for column j.
double RawValue(const Problem& p, size_t j, double s) {
  const Indicator& ind = p.indicators[j];
  const size_t k = p.indicators.size(), m = p.alternatives.size();
  const bool benefit = ind.direction == Direction::kBenefit;
  switch (ind.normalisation) {
    case Normalisation::kMinMaxFixed:
      return benefit ? ind.lower + s * (ind.upper - ind.lower)
                     : ind.upper - s * (ind.upper - ind.lower);
    case Normalisation::kTarget:
      return benefit ? ind.lower + s * (ind.target - ind.lower)
                     : ind.upper - s * (ind.upper - ind.target);
    case Normalisation::kMinMaxData: {
      double lo = p.values[j], hi = p.values[j];
      for (size_t i = 1; i < m; ++i) {
        lo = std::fmin(lo, p.values[i * k + j]);
        hi = std::fmax(hi, p.values[i * k + j]);
      }
      return benefit ? lo + s * (hi - lo) : hi - s * (hi - lo);
    }
    case Normalisation::kZScore: {
      double sum = 0;
      for (size_t i = 0; i < m; ++i) sum += p.values[i * k + j];
      const double mean = sum / m;
      double ss = 0;
      for (size_t i = 0; i < m; ++i) {
        ss += (p.values[i * k + j] - mean) * (p.values[i * k + j] - mean);
      }
      const double z = (s - 0.5) * 6;
      return mean + (benefit ? z : -z) * std::sqrt(ss / m);
    }
  }
  return s;
}

}  // namespace

std::vector<Standing> Standings(std::span<const double> scores) {
  const size_t n = scores.size();
  std::vector<Standing> out(n);
  for (size_t i = 0; i < n; ++i) {
    size_t higher = 0, lower = 0;
    for (size_t o = 0; o < n; ++o) {
      higher += scores[o] > scores[i];
      lower += scores[o] < scores[i];
    }
    out[i].rank = static_cast<int>(higher) + 1;
    out[i].percentile = n == 1 ? 100 : 100.0 * static_cast<double>(lower) / (n - 1);
  }
  return out;
}

std::vector<double> ColumnMedians(std::span<const double> normalised, size_t indicators,
                                  std::span<const size_t> rows) {
  std::vector<double> medians(indicators, 0);
  std::vector<double> column(rows.size());
  for (size_t j = 0; j < indicators; ++j) {
    for (size_t r = 0; r < rows.size(); ++r) column[r] = normalised[rows[r] * indicators + j];
    std::sort(column.begin(), column.end());
    const size_t n = column.size();
    if (n == 0) continue;
    medians[j] = n % 2 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
  }
  return medians;
}

std::vector<IndicatorGap> LargestGaps(std::span<const double> row, std::span<const double> medians,
                                      std::span<const double> weights, size_t count) {
  std::vector<IndicatorGap> gaps;
  for (size_t j = 0; j < row.size(); ++j) {
    const double gap = row[j] - medians[j];
    const double points = 100 * weights[j] * gap;
    if (points < 0) gaps.push_back({j, gap, points});
  }
  std::stable_sort(gaps.begin(), gaps.end(), [](const IndicatorGap& a, const IndicatorGap& b) {
    return a.points < b.points;
  });
  if (gaps.size() > count) gaps.resize(count);
  return gaps;
}

std::vector<StarLift> SmallestLifts(const Problem& problem, std::span<const double> normalised,
                                    size_t row, double score, double next_cut) {
  std::vector<StarLift> lifts;
  const double needed = next_cut - score;
  if (!(needed > 0) || !std::isfinite(needed)) return lifts;
  const size_t k = problem.indicators.size();
  double weight_sum = 0;
  for (const Indicator& ind : problem.indicators) weight_sum += ind.weight;
  for (size_t j = 0; j < k; ++j) {
    const double w = problem.indicators[j].weight / weight_sum;
    if (!(w > 0)) continue;
    const double from = normalised[row * k + j];
    const double to = from + needed / (100 * w);
    if (to > 1) continue;  // this indicator alone cannot close the gap
    lifts.push_back({j, from, to, problem.values[row * k + j], RawValue(problem, j, to)});
  }
  std::stable_sort(lifts.begin(), lifts.end(), [](const StarLift& a, const StarLift& b) {
    return a.normalised_to - a.normalised_from < b.normalised_to - b.normalised_from;
  });
  return lifts;
}

}  // namespace qiangji::engines::assess

#include "engines/economy/aggregate.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "domain/economy.h"

namespace qiangji::engines::economy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The lower middle of `values` (reordered), 0 when empty.
int64_t LowerMedian(std::vector<int64_t>& values) {
  if (values.empty()) return 0;
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

// Running sums of one group for one year (township or total).
struct Accumulator {
  YearFigures figures;
  int64_t both_prev = 0;  // totals over villages reported this year and the previous one
  int64_t both_cur = 0;

  void Finish(bool first_year) {
    figures.total_growth = (first_year || both_prev == 0)
                               ? kNaN
                               : static_cast<double>(both_cur - both_prev) /
                                     static_cast<double>(both_prev);
  }
};

}  // namespace

Status ValidatePanel(const EconomyPanel& p) {
  if (p.years < 1 || p.years > 100)
    return Status::InvalidField("years", "must be between 1 and 100");
  if (p.townships < 0) return Status::InvalidField("townships", "must not be negative");
  if (static_cast<int64_t>(p.income.size()) != p.villages() * p.years)
    return Status::InvalidField(
        "income", fmt::format("has {} entries; {} villages x {} years need {}", p.income.size(),
                              p.villages(), p.years, p.villages() * p.years));
  for (int64_t v = 0; v < p.villages(); ++v) {
    if (p.township_of[v] < 0 || p.township_of[v] >= p.townships)
      return Status::InvalidField(fmt::format("township_of[{}]", v),
                                  fmt::format("must be an index below {}", p.townships));
  }
  return Status::Ok();
}

EconomyAggregates Aggregate(const EconomyPanel& p, const AggregateOptions& options) {
  const int64_t n = p.villages();
  const int years = p.years;
  const int64_t threshold = options.weak_threshold_fen;
  EconomyAggregates out;
  out.total.resize(years);
  out.township.assign(p.townships, std::vector<YearFigures>(years));
  if (options.village_detail) {
    out.growth.assign(static_cast<size_t>(n * years), kNaN);
    out.cagr.assign(static_cast<size_t>(n), kNaN);
    out.exit_year.assign(static_cast<size_t>(n), 0);
  }

  // Villages grouped by township once (counting sort), for the townships' medians.
  std::vector<int64_t> start(static_cast<size_t>(p.townships) + 1, 0);
  for (int64_t v = 0; v < n; ++v) ++start[p.township_of[v] + 1];
  for (int t = 0; t < p.townships; ++t) start[t + 1] += start[t];
  std::vector<int64_t> by_township(static_cast<size_t>(n));
  {
    std::vector<int64_t> next(start.begin(), start.end() - 1);
    for (int64_t v = 0; v < n; ++v) by_township[next[p.township_of[v]]++] = v;
  }

  std::vector<Accumulator> town(static_cast<size_t>(p.townships));
  std::vector<int64_t> incomes;  // reported incomes of one group, for a median
  incomes.reserve(static_cast<size_t>(n));
  for (int y = 0; y < years; ++y) {
    Accumulator total;
    for (Accumulator& a : town) a = Accumulator{};
    for (int64_t v = 0; v < n; ++v) {
      Accumulator& t = town[p.township_of[v]];
      ++total.figures.villages;
      ++t.figures.villages;
      const int64_t cur = p.At(v, y);
      if (cur == kNoReport) continue;
      const int band = domain::IncomeBandOf(cur);
      const bool weak = cur < threshold;
      for (Accumulator* a : {&total, &t}) {
        ++a->figures.reported;
        ++a->figures.bands[band];
        a->figures.weak += weak;
        a->figures.total_income_fen += cur;
      }
      if (y == 0) continue;
      const int64_t prev = p.At(v, y - 1);
      if (prev == kNoReport) continue;
      for (Accumulator* a : {&total, &t}) {
        a->both_prev += prev;
        a->both_cur += cur;
      }
      if (prev < threshold && !weak) {
        ++total.figures.exits;
        ++t.figures.exits;
        if (options.village_detail && out.exit_year[v] == 0) out.exit_year[v] = p.first_year + y;
      }
      if (options.village_detail && prev > 0)
        out.growth[v * years + y] =
            static_cast<double>(cur - prev) / static_cast<double>(prev);
    }
    incomes.clear();
    for (int64_t v = 0; v < n; ++v)
      if (p.At(v, y) != kNoReport) incomes.push_back(p.At(v, y));
    total.figures.median_income_fen = LowerMedian(incomes);
    total.figures.year = p.first_year + y;
    total.Finish(y == 0);
    out.total[y] = total.figures;
    for (int t = 0; t < p.townships; ++t) {
      incomes.clear();
      for (int64_t i = start[t]; i < start[t + 1]; ++i)
        if (p.At(by_township[i], y) != kNoReport) incomes.push_back(p.At(by_township[i], y));
      town[t].figures.median_income_fen = LowerMedian(incomes);
      town[t].figures.year = p.first_year + y;
      town[t].Finish(y == 0);
      out.township[t][y] = town[t].figures;
    }
  }

  if (options.village_detail) {
    for (int64_t v = 0; v < n; ++v) {
      int first = -1, last = -1;
      for (int y = 0; y < years; ++y) {
        if (p.At(v, y) == kNoReport) continue;
        if (first < 0) first = y;
        last = y;
      }
      if (first < 0 || last == first) continue;
      const int64_t a = p.At(v, first), b = p.At(v, last);
      if (a <= 0 || b <= 0) continue;
      out.cagr[v] = std::pow(static_cast<double>(b) / static_cast<double>(a),
                             1.0 / static_cast<double>(last - first)) -
                    1.0;
    }
  }
  return out;
}

}  // namespace qiangji::engines::economy

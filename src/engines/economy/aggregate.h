// The collective economy's statistics over a panel of villages and consecutive years: income
// bands, weak-economy villages and exits from weak status (消薄), year-on-year growth and CAGR,
// per township and for the whole panel (a county, a province or the nation). Columnar in and out
// so the national panel (487,144 villages x 5 years) runs in one pass per year
// (bench/bench_economy.cc); definitions in docs/economy.md and domain/economy.h.
//
//   weak(v, y)   = income(v, y) < weak_threshold (a village without a report that year is
//                  neither weak nor strong: it is counted as unreported)
//   exit(v, y)   = weak(v, y-1) and reported(v, y) and not weak(v, y)
//   growth(v, y) = (income(v, y) - income(v, y-1)) / income(v, y-1), defined only when both
//                  years are reported and income(v, y-1) > 0
//   cagr(v)      = (income(v, last) / income(v, first))^(1 / (last - first)) - 1 over the first
//                  and last reported years, defined when they differ and both incomes are > 0
//
// Medians are of the reported villages' incomes, the lower middle for an even count (an exact
// fen amount, never an average of two).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::economy {

inline constexpr int64_t kNoReport = std::numeric_limits<int64_t>::min();
inline constexpr int kBandCount = 5;  // domain::kIncomeBands

struct EconomyPanel {
  int first_year = 0;
  int years = 0;
  int townships = 0;                 // township indices are 0..townships-1
  std::vector<int32_t> township_of;  // per village
  // Operating income in fen, village-major: income[v * years + (y - first_year)]; kNoReport when
  // the village filed no report that year.
  std::vector<int64_t> income;

  int64_t villages() const { return static_cast<int64_t>(township_of.size()); }
  int64_t At(int64_t village, int year_index) const { return income[village * years + year_index]; }
};

struct AggregateOptions {
  int64_t weak_threshold_fen = 10'000'000;  // 100,000 yuan
  bool village_detail = true;  // fill growth, cagr and exit_year per village
};

struct YearFigures {
  int year = 0;
  int64_t villages = 0;  // in the group
  int64_t reported = 0;
  std::array<int64_t, kBandCount> bands{};  // reported villages per domain::kIncomeBands band
  int64_t weak = 0;
  int64_t exits = 0;     // villages that left weak status this year
  int64_t total_income_fen = 0;
  int64_t median_income_fen = 0;  // 0 when nothing was reported
  double total_growth = 0;  // (total - previous total) / previous total over villages reported
                            // both years; NaN for the first year or a zero previous total
};

struct EconomyAggregates {
  std::vector<YearFigures> total;                     // one per year
  std::vector<std::vector<YearFigures>> township;     // [township][year]
  // Village detail (when asked): growth[v * years + y] (NaN when undefined; y = 0 always NaN),
  // cagr[v] (NaN when undefined), exit_year[v] = the first year it left weak status (0: none).
  std::vector<double> growth;
  std::vector<double> cagr;
  std::vector<int32_t> exit_year;
};

// InvalidArgument when the panel's sizes disagree or a township index is out of range.
Status ValidatePanel(const EconomyPanel& panel);

EconomyAggregates Aggregate(const EconomyPanel& panel, const AggregateOptions& options);

}  // namespace qiangji::engines::economy

// 双挂钩 as rules on plain figures: a collective manager's incentive from the increase in
// operating profit (tiers, a minimum profit, a minimum tenure, a cap), and the three lists that
// tie a village's results to its cadres — promotion eligibility, the honours shortlist and the
// adjustment list for "no ideas, no measures, no results" (三无). Every result carries the lines
// that explain it, in zh-CN, with the figures it used. Policies are versioned by services; the
// engine only computes (docs/linkage.md gives a worked example).
//
// Incentive, in fen, exactly:
//   increase = profit(this year) - profit(last year)
//   eligible when profit(this year) >= min_profit, increase > 0 and tenure >= min_tenure_months
//   marginal tiers (超额累进): each slice of the increase between a tier's `from` and the next
//       tier's `from` earns that tier's rate; flat tiers: the whole increase earns the rate of the
//       highest tier whose `from` it reaches
//   bonus = min(cap, round_half_up(sum of slice x rate_bp / 10000))   (cap 0: no cap)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::economy {

struct IncentiveTier {
  int64_t from_fen = 0;  // the increase from which this tier applies; the first tier's is 0
  int rate_bp = 0;       // basis points (1/100 of a percent), 0..10000
};

struct IncentivePolicy {
  std::vector<IncentiveTier> tiers;  // 1..10, from_fen strictly ascending, the first 0
  bool marginal = true;
  int64_t min_profit_fen = 0;        // this year's operating profit must reach it
  int min_tenure_months = 6;         // months in post by the year's end
  int64_t cap_fen = 0;               // 0: no cap
};
// Field errors named "tiers[i].from_fen", "tiers[i].rate_bp", "cap_fen", ...
Status ValidateIncentivePolicy(const IncentivePolicy& policy);

struct IncentiveSlice {
  int64_t from_fen = 0, to_fen = 0;  // the part of the increase in this tier
  int rate_bp = 0;
};

struct IncentiveResult {
  bool eligible = false;
  int64_t increase_fen = 0;
  int64_t uncapped_fen = 0;
  int64_t bonus_fen = 0;
  bool capped = false;
  std::vector<IncentiveSlice> slices;
  std::vector<std::string> lines;  // why, with the figures (zh-CN)
};

IncentiveResult ComputeIncentive(const IncentivePolicy& policy, int64_t profit_last_fen,
                                 int64_t profit_this_fen, int tenure_months);

// ---- promotion, honours, adjustment ----------------------------------------------------------

// What the lists read about one village and its cadre for the year under review. Growth is of
// operating income; nullopt where undefined (no report, or last year's income <= 0).
struct LinkageFacts {
  std::vector<std::optional<double>> growth;  // the last years, oldest first, ending this year
  std::optional<int> stars;                   // this year's assessment, if published
  std::optional<int> stars_last;
  int tenure_months = 0;                      // the cadre's months in post
  int projects = 0;                           // collective projects in the review window
  bool development_goals = true;              // the duty report names development goals
  bool left_weak = false;                     // the village left weak-economy status this year
  bool weak_economy = false;                  // still weak this year
};

struct LinkageRules {
  // Promotion eligibility (提拔使用): growth > min_growth in each of the last growth_years years,
  // stars >= promotion_min_stars, tenure >= promotion_min_tenure_months.
  int growth_years = 3;
  double min_growth = 0.0;
  int promotion_min_stars = 4;
  int promotion_min_tenure_months = 36;
  // Honours (评优评先, 两代表一委员): stars >= honours_min_stars and growth this year > 0; ranked
  // by the score below.
  int honours_min_stars = 4;
  // Adjustment (调整): "no results" = no growth (<= 0 or undefined) in each of the last
  // no_growth_years years; "no measures" = no projects; "no ideas" = no development goals in the
  // duty report; low stars = stars <= adjustment_max_stars. Listed when "no results" holds and
  // at least adjustment_min_other of the other three do.
  int no_growth_years = 2;
  int adjustment_max_stars = 2;
  int adjustment_min_other = 1;
};
Status ValidateLinkageRules(const LinkageRules& rules);

struct LinkageVerdict {
  bool promotion_eligible = false;
  bool honours = false;
  double honours_score = 0;  // 0..100: growth this year, stars, leaving weak status
  bool adjustment = false;
  std::vector<std::string> promotion_lines, honours_lines, adjustment_lines;  // zh-CN, with figures
};

LinkageVerdict JudgeLinkage(const LinkageRules& rules, const LinkageFacts& facts);

}  // namespace qiangji::engines::economy

// The village collective economy (issue 5) as plain data: each village's collective economic
// organization (农村集体经济组织) and its annual report — the income-distribution table
// (收益及收益分配表) and the balance-sheet totals — with the invariants a report must keep and
// the derived figures the county's statistics use. Money is integer fen throughout
// (docs/glossary.md: *_fen), so every total adds up exactly.
//
// Definitions (docs/economy.md; the Ministry of Agriculture and Rural Affairs' statistical
// practice for 村级集体经济组织):
//   operating income (经营性收入) = operating revenue (经营收入) + contracting and remitted income
//       (发包及上交收入) + investment income (投资收益); subsidies (补助收入) and other income are
//       never part of it.
//   operating profit (经营收益) = operating income - operating costs (经营支出).
//   the year's surplus (本年收益) = all income - operating costs - administrative expenses -
//       other expenses.
//   undistributed surplus at year end (年末未分配收益) = surplus + undistributed at the start of
//       the year - reserve and public-welfare fund - welfare fund - distribution to members.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"

namespace qiangji::domain {

// ---- unified social credit code (GB 32100-2015) ---------------------------------------------

// The check character (position 18) of the first 17 characters, or '\0' when one of them is not
// in the code's character set (digits and capitals without I, O, S, V, Z).
char CreditCodeCheckChar(std::string_view first17);
// 18 characters from the set, the last equal to the check character. InvalidArgument on `field`
// naming what is wrong (length, a character, or the expected check character).
Status ValidateCreditCode(std::string_view code, std::string_view field = "credit_code");

// ---- the collective -------------------------------------------------------------------------

inline constexpr std::string_view kCollectiveKinds[] = {
    "shareholding_coop",  // 股份经济合作社
    "economic_coop",      // 经济合作社
    "economic_union",     // 经济联合社
    "other",
};

// One class of shares in a shareholding co-op's structure (股权设置), e.g. 集体股, 人口股, 劳龄股.
struct ShareClass {
  std::string name;    // 1..20 characters, unique within the collective
  int64_t shares = 0;  // >= 0
};

struct Collective {
  int64_t id = 0;
  int64_t division_code = 0;  // the village (12-digit value)
  std::string name;           // 1..60 characters, e.g. "骆驼湾村股份经济合作社"
  std::string kind = "shareholding_coop";  // kCollectiveKinds
  std::string credit_code;    // GB 32100; required
  std::optional<Date> registered_on;  // not in the future
  int64_t member_count = 0;   // >= 0
  std::vector<ShareClass> share_classes;  // 0..10 classes
  std::string updated_at;
};
Status ValidateCollective(const Collective& c);

// ---- the annual report ----------------------------------------------------------------------

struct AnnualReport {
  int64_t collective_id = 0;
  int64_t division_code = 0;  // the collective's village
  int year = 0;               // 2000..2100
  // Income (fen). Investment income may be a loss (negative); the rest are >= 0.
  int64_t operating_revenue = 0;    // 经营收入
  int64_t contracting_income = 0;   // 发包及上交收入
  int64_t investment_income = 0;    // 投资收益
  int64_t subsidy_income = 0;       // 补助收入
  int64_t other_income = 0;         // 其他收入
  // Costs (fen, >= 0).
  int64_t operating_costs = 0;      // 经营支出
  int64_t admin_expenses = 0;       // 管理费用
  int64_t other_expenses = 0;       // 其他支出
  // Distribution (fen). surplus and the undistributed amounts may be negative.
  int64_t surplus = 0;                // 本年收益
  int64_t opening_undistributed = 0;  // 年初未分配收益
  int64_t reserve_fund = 0;           // 提取公积公益金, >= 0
  int64_t welfare_fund = 0;           // 提取应付福利费, >= 0
  int64_t member_distribution = 0;    // 分配给成员 (农户分配), >= 0
  int64_t undistributed = 0;          // 年末未分配收益
  // Balance-sheet totals at year end (fen). Asset classes and liabilities >= 0.
  int64_t current_assets = 0;         // 流动资产
  int64_t agricultural_assets = 0;    // 农业资产
  int64_t long_term_investments = 0;  // 长期投资
  int64_t fixed_assets = 0;           // 固定资产
  int64_t other_assets = 0;           // 其他资产 (无形资产等)
  int64_t total_assets = 0;           // 资产总计 = the classes' sum
  int64_t liabilities = 0;            // 负债合计
  int64_t equity = 0;                 // 所有者权益合计; total_assets = liabilities + equity
  std::string note;                   // 0..500 characters
  std::string updated_at;
};

// Every rule above, each broken one a field error naming the field and the figure it should be,
// e.g. surplus: "must equal income minus costs: 123456.78 yuan (12345678 fen)". Amounts are
// bounded by ±10^15 fen so no sum can overflow.
Status ValidateAnnualReport(const AnnualReport& r);

int64_t OperatingIncome(const AnnualReport& r);  // fen; subsidies and other income excluded
int64_t OperatingProfit(const AnnualReport& r);  // operating income - operating costs
int64_t TotalIncome(const AnnualReport& r);
int64_t TotalCosts(const AnnualReport& r);

// ---- statistical bands of operating income --------------------------------------------------

// The bands of the national statistics, each [lower, upper) in yuan: under 50,000;
// 50,000-100,000; 100,000-500,000; 500,000-1,000,000; 1,000,000 and over.
struct IncomeBand {
  std::string_view key;     // "under_50k", "50k_100k", "100k_500k", "500k_1m", "over_1m"
  int64_t lower_fen = 0;    // inclusive
  int64_t upper_fen = 0;    // exclusive; 0 for the top band
};
inline constexpr std::array<IncomeBand, 5> kIncomeBands = {{
    {"under_50k", INT64_MIN, 5'000'000},
    {"50k_100k", 5'000'000, 10'000'000},
    {"100k_500k", 10'000'000, 50'000'000},
    {"500k_1m", 50'000'000, 100'000'000},
    {"over_1m", 100'000'000, 0},
}};
// Index into kIncomeBands of an operating income in fen.
int IncomeBandOf(int64_t operating_income_fen);

// A weak-economy village (集体经济薄弱村): operating income below the threshold, 100,000 yuan by
// default (some provinces use 50,000).
inline constexpr int64_t kDefaultWeakThresholdFen = 10'000'000;
inline bool IsWeakEconomy(int64_t operating_income_fen,
                          int64_t threshold_fen = kDefaultWeakThresholdFen) {
  return operating_income_fen < threshold_fen;
}

}  // namespace qiangji::domain

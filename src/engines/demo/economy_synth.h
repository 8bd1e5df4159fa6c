// Synthetic collective-economy ledgers for a demo county, and the same model at national scale
// for the benchmark. Pure computation: divisions (or a size) and a seed in, domain records (or a
// columnar panel) out, identical on every machine (engines/rng.h; only +, -, *, / and sqrt on
// doubles, which IEEE 754 rounds the same everywhere).
//
// Calibration of the first year's operating-income bands (domain::kIncomeBands), in basis points
// of villages (docs/economy-demo-calibration.md has the derivation):
//   under 50,000 yuan     5770  national figure: "2019年，全国仍有57.7%的村集体经济组织是没有收益
//                               或者收益低于5万元的'空壳村'" — 陈雪原, 王哲, 周雨晴, 翁凝,
//                               《村集体经济的收敛性分析——基于北京郊区40个村庄的长时段观察
//                               (1978—2018年)》, 2023, https://m.fx361.cc/news/2023/0302/21564268.html
//   50,000-100,000        1533  the remaining 42.3% split in the proportions of the only complete
//   100,000-500,000       2462  published band table found: 安庆市 2018, 1,446 administrative
//   500,000-1,000,000      194  villages, 国家统计局安庆调查队 (安庆新闻网 via 新浪安徽,
//   1,000,000 and over      41  2019-07-12, http://ah.sina.com.cn/news/2019-07-12/detail-ihytcerm3176673.shtml):
//                               经营性收入 5万-10万 26.69%, 10万-30万 35.27%, 30万-50万 7.59%
//                               (by difference), 50万以上 4.1%; the 50万以上 share is split at
//                               100万 by a lognormal fitted to that table (sigma 0.97: 17.3% of
//                               it lies above 100万).
// No national table of all five bands, and no second national year, was found in the reference
// text available, so the later years follow a stated growth model rather than a published trend
// (below). The shares are an option, so a county with the 中国农村政策与改革统计年报 table at hand
// can pass its own.
//
// The growth model, per village (all figures are modelling choices, not statistics):
//   - a start income drawn from the band shares, within a band close to log-uniform; a quarter of
//     the under-50,000 band has no operating income at all (the published figure merges "no
//     income" and "under 50,000");
//   - each later year income x (1 + g), g = drift + noise * N(0, 1) (N: Irwin-Hall of four
//     uniforms, scaled to variance 1), g >= -0.6; a village without operating income starts some
//     (5,000-60,000 yuan) with probability 1/4 a year;
//   - storylines: steady (drift 5% +- 4%, noise 12%), growing (15% of villages: drift 18% +- 5%,
//     noise 10%), leaves weak status (消薄: 30% of the villages weak in the first year; a new
//     project lifts income to 1.05-1.65x the weak threshold in one year and it stays above),
//     declining (4%: drift -10% +- 4%, and in one year a lease or contract ends, x 0.35-0.65).
//   - some steady or growing villages miss one year's report (never the first): 1% of all
//     villages in the demo, 1% of the steady and growing ones (0.8% of all) in the panel.
//   Subsidies (补助收入) are drawn apart from operating income, vary by year (x 0.8-1.3, and a
//   project grant of 200,000-800,000 yuan in about one year of five) and never enter it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "domain/economy.h"
#include "domain/records.h"
#include "engines/economy/aggregate.h"

namespace qiangji::engines::demo {

// The first year's share of villages in each domain::kIncomeBands band, in basis points (sum
// 10,000); see the file comment for the sources.
inline constexpr std::array<int, 5> kCalibratedBandShares = {5770, 1533, 2462, 194, 41};

enum class EconomyStoryline {
  kSteady,      // modest growth, give or take
  kGrowing,     // strong growth every year
  kLeavesWeak,  // weak in the first year, lifted above the threshold by a project in one year
  kDeclining,   // shrinking, with a sharp drop in one year (may fall into weak status)
};
std::string_view EconomyStorylineName(EconomyStoryline s);  // "steady", "growing", ...

struct EconomySynthOptions {
  uint64_t seed = 2026;
  int first_year = 2021;  // first_year .. first_year + years - 1, within 2000..2100
  int years = 5;          // 1..50; storylines with an event need 2 or more
  std::array<int, 5> band_shares = kCalibratedBandShares;  // first year, basis points
  int64_t weak_threshold_fen = domain::kDefaultWeakThresholdFen;
  bool missing_reports = true;  // some villages miss one year's report (see above)
};

// What happened to one village, for tests and demo explanations.
struct EconomyStory {
  int64_t division_code = 0;
  EconomyStoryline story = EconomyStoryline::kSteady;
  int event_year = 0;    // the year of the exit (leaves weak) or of the drop (declining); 0: none
  int missing_year = 0;  // the year without a report; 0: none
  // Operating income (fen) each year, including a missing year's (never filed).
  std::vector<int64_t> operating_income;
};

struct DemoEconomy {
  // One collective economic organization per villagers' committee, in division-code order; ids
  // unset, codes valid by GB 32100 and ValidateCollective.
  std::vector<domain::Collective> collectives;
  // Annual reports by village then year (collective_id unset), each valid by
  // domain::ValidateAnnualReport; OperatingIncome(report) is the story's figure for that year.
  // Each year's opening undistributed surplus is the previous year's closing one.
  std::vector<domain::AnnualReport> reports;
  std::vector<EconomyStory> stories;  // one per collective, same order
};

// Ledgers for every villagers' committee (last three digits 200-399) among `divisions`; other
// entries are ignored. Storylines are drawn from one county stream in exact numbers (at least
// three villages leave weak status and two decline when the county has enough villages); each
// village's figures come from its own stream, seeded by (seed, code), so one village does not
// change when another is added.
DemoEconomy SynthesizeEconomy(std::span<const domain::Division> divisions,
                              const EconomySynthOptions& options);

struct EconomyPanelOptions {
  EconomySynthOptions model;  // seed, years, shares, threshold, missing reports
  int64_t villages = 487'144;  // the nation's villagers' committees (docs/architecture.md)
  int townships = 38'000;      // township-level units with villagers' committees, roughly
};

// The same model at national scale as a columnar panel (operating income only, kNoReport for a
// missing report), for bench/bench_economy.cc. Storylines are drawn per village with the
// demo's proportions. Townships get 0.5-1.5x the average number of villages, villages numbered
// township by township. Every township has at least one village when villages >= 3 x townships.
economy::EconomyPanel SynthesizeEconomyPanel(const EconomyPanelOptions& options);

}  // namespace qiangji::engines::demo

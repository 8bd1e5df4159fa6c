#include "engines/economy/linkage.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/money.h"

namespace qiangji::engines::economy {
namespace {

constexpr int64_t kMaxFen = 1'000'000'000'000'000;  // 10^13 yuan, as domain/economy.h

std::string Yuan(int64_t fen) { return Money::FromFen(fen).ToString() + "元"; }
std::string Percent(int bp) { return fmt::format("{}%", bp / 100.0); }
std::string Growth(double g) { return fmt::format("{:.1f}%", g * 100); }

// slice x rate / 10000, kept in units of fen x bp so the sum rounds once.
using Wide = __int128;

}  // namespace

Status ValidateIncentivePolicy(const IncentivePolicy& p) {
  FieldErrors errors;
  if (p.tiers.empty() || p.tiers.size() > 10) errors.Add("tiers", "name 1 to 10 tiers");
  for (size_t i = 0; i < p.tiers.size(); ++i) {
    const IncentiveTier& t = p.tiers[i];
    const std::string at = fmt::format("tiers[{}]", i);
    if (i == 0 && t.from_fen != 0) errors.Add(at + ".from_fen", "the first tier must start at 0");
    if (i > 0 && t.from_fen <= p.tiers[i - 1].from_fen)
      errors.Add(at + ".from_fen", "must be above the previous tier's");
    if (t.from_fen < 0 || t.from_fen > kMaxFen) errors.Add(at + ".from_fen", "is out of range");
    if (t.rate_bp < 0 || t.rate_bp > 10000)
      errors.Add(at + ".rate_bp", "must be between 0 and 10000 basis points (0-100%)");
  }
  if (p.min_profit_fen < -kMaxFen || p.min_profit_fen > kMaxFen)
    errors.Add("min_profit_fen", "is out of range");
  if (p.min_tenure_months < 0 || p.min_tenure_months > 120)
    errors.Add("min_tenure_months", "must be between 0 and 120");
  if (p.cap_fen < 0 || p.cap_fen > kMaxFen)
    errors.Add("cap_fen", "must be between 0 (no cap) and 10^13 yuan");
  return errors.ToStatus();
}

IncentiveResult ComputeIncentive(const IncentivePolicy& p, int64_t last, int64_t now,
                                 int tenure_months) {
  IncentiveResult r;
  r.increase_fen = now - last;
  r.lines.push_back(fmt::format("经营收益{}，上年{}，增加{}", Yuan(now), Yuan(last),
                                Yuan(r.increase_fen)));
  bool ok = true;
  if (now < p.min_profit_fen) {
    r.lines.push_back(fmt::format("经营收益{}低于起奖线{}，不予奖励", Yuan(now),
                                  Yuan(p.min_profit_fen)));
    ok = false;
  }
  if (r.increase_fen <= 0) {
    r.lines.push_back("经营收益未增长，不予奖励");
    ok = false;
  }
  if (tenure_months < p.min_tenure_months) {
    r.lines.push_back(fmt::format("任职{}个月，不满{}个月，不予奖励", tenure_months,
                                  p.min_tenure_months));
    ok = false;
  }
  if (!ok || p.tiers.empty()) return r;
  r.eligible = true;

  Wide units = 0;  // fen x bp
  if (p.marginal) {
    for (size_t i = 0; i < p.tiers.size(); ++i) {
      const int64_t lo = p.tiers[i].from_fen;
      if (r.increase_fen <= lo) break;
      const int64_t hi = i + 1 < p.tiers.size() ? std::min(p.tiers[i + 1].from_fen, r.increase_fen)
                                                : r.increase_fen;
      r.slices.push_back({lo, hi, p.tiers[i].rate_bp});
      units += static_cast<Wide>(hi - lo) * p.tiers[i].rate_bp;
      r.lines.push_back(fmt::format("增收{}至{}部分{}，按{}计{}", Yuan(lo), Yuan(hi),
                                    Yuan(hi - lo), Percent(p.tiers[i].rate_bp),
                                    Money::FromFen(static_cast<int64_t>(
                                        (static_cast<Wide>(hi - lo) * p.tiers[i].rate_bp + 5000) /
                                        10000)).ToString() + "元"));
    }
  } else {
    size_t k = 0;
    for (size_t i = 0; i < p.tiers.size(); ++i)
      if (r.increase_fen >= p.tiers[i].from_fen) k = i;
    r.slices.push_back({0, r.increase_fen, p.tiers[k].rate_bp});
    units = static_cast<Wide>(r.increase_fen) * p.tiers[k].rate_bp;
    r.lines.push_back(fmt::format("增收{}达到第{}档（{}起），全额按{}计", Yuan(r.increase_fen),
                                  k + 1, Yuan(p.tiers[k].from_fen), Percent(p.tiers[k].rate_bp)));
  }
  r.uncapped_fen = static_cast<int64_t>((units + 5000) / 10000);  // half up to the fen
  r.bonus_fen = r.uncapped_fen;
  if (p.cap_fen > 0 && r.bonus_fen > p.cap_fen) {
    r.bonus_fen = p.cap_fen;
    r.capped = true;
    r.lines.push_back(fmt::format("合计{}，超过封顶{}，按封顶发放", Yuan(r.uncapped_fen),
                                  Yuan(p.cap_fen)));
  } else {
    r.lines.push_back(fmt::format("奖励合计{}", Yuan(r.bonus_fen)));
  }
  return r;
}

Status ValidateLinkageRules(const LinkageRules& r) {
  FieldErrors errors;
  if (r.growth_years < 1 || r.growth_years > 10)
    errors.Add("growth_years", "must be between 1 and 10");
  if (!std::isfinite(r.min_growth) || r.min_growth < -1 || r.min_growth > 10)
    errors.Add("min_growth", "must be a ratio between -1 and 10");
  for (auto [field, stars] : {std::pair{"promotion_min_stars", r.promotion_min_stars},
                              std::pair{"honours_min_stars", r.honours_min_stars},
                              std::pair{"adjustment_max_stars", r.adjustment_max_stars}})
    if (stars < 0 || stars > 10) errors.Add(field, "must be between 0 and 10 stars");
  if (r.promotion_min_tenure_months < 0 || r.promotion_min_tenure_months > 240)
    errors.Add("promotion_min_tenure_months", "must be between 0 and 240");
  if (r.no_growth_years < 1 || r.no_growth_years > 10)
    errors.Add("no_growth_years", "must be between 1 and 10");
  if (r.adjustment_min_other < 0 || r.adjustment_min_other > 3)
    errors.Add("adjustment_min_other", "must be between 0 and 3");
  return errors.ToStatus();
}

LinkageVerdict JudgeLinkage(const LinkageRules& rules, const LinkageFacts& f) {
  LinkageVerdict v;
  const int n = static_cast<int>(f.growth.size());
  const std::optional<double> growth_now = n > 0 ? f.growth[n - 1] : std::nullopt;
  auto last_years = [&](int k) {
    std::vector<std::optional<double>> out;
    for (int i = std::max(0, n - k); i < n; ++i) out.push_back(f.growth[i]);
    return out;
  };

  // Promotion: every rule must hold; each line says which held and which did not.
  {
    const auto window = last_years(rules.growth_years);
    bool sustained = static_cast<int>(window.size()) == rules.growth_years;
    std::string figures;
    for (const auto& g : window) {
      figures += (figures.empty() ? "" : "、") + (g ? Growth(*g) : std::string("无数据"));
      if (!g || *g <= rules.min_growth) sustained = false;
    }
    v.promotion_lines.push_back(fmt::format("近{}年经营性收入增长：{}（要求每年高于{}）{}",
                                            rules.growth_years, figures.empty() ? "无数据" : figures,
                                            Growth(rules.min_growth), sustained ? "，符合" : "，不符合"));
    const bool stars_ok = f.stars && *f.stars >= rules.promotion_min_stars;
    v.promotion_lines.push_back(
        f.stars ? fmt::format("本年度评定{}星（要求不低于{}星）{}", *f.stars,
                              rules.promotion_min_stars, stars_ok ? "，符合" : "，不符合")
                : std::string("本年度尚无星级评定，不符合"));
    const bool tenure_ok = f.tenure_months >= rules.promotion_min_tenure_months;
    v.promotion_lines.push_back(fmt::format("任职{}个月（要求不少于{}个月）{}", f.tenure_months,
                                            rules.promotion_min_tenure_months,
                                            tenure_ok ? "，符合" : "，不符合"));
    v.promotion_eligible = sustained && stars_ok && tenure_ok;
  }

  // Honours: stars and growth this year; the score ranks the shortlist.
  {
    const bool stars_ok = f.stars && *f.stars >= rules.honours_min_stars;
    const bool grew = growth_now && *growth_now > 0;
    v.honours = stars_ok && grew;
    const double growth_part = grew ? std::min(*growth_now, 1.0) * 50 : 0;  // 100% growth = 50
    const double stars_part = f.stars ? std::min(*f.stars, 5) * 8.0 : 0;   // 5 stars = 40
    const double exit_part = f.left_weak ? 10 : 0;
    v.honours_score = growth_part + stars_part + exit_part;
    v.honours_lines.push_back(grew ? fmt::format("本年经营性收入增长{}", Growth(*growth_now))
                                   : std::string("本年经营性收入未增长"));
    v.honours_lines.push_back(f.stars ? fmt::format("本年度评定{}星", *f.stars)
                                      : std::string("本年度尚无星级评定"));
    if (f.left_weak) v.honours_lines.push_back("本年实现集体经济薄弱村“消薄”");
    v.honours_lines.push_back(fmt::format("综合得分{:.1f}（增长{:.1f} + 星级{:.1f} + 消薄{:.0f}）",
                                          v.honours_score, growth_part, stars_part, exit_part));
  }

  // Adjustment: "no results" plus enough of the others, each with its evidence.
  {
    const auto window = last_years(rules.no_growth_years);
    bool no_results = static_cast<int>(window.size()) == rules.no_growth_years;
    std::string figures;
    for (const auto& g : window) {
      figures += (figures.empty() ? "" : "、") + (g ? Growth(*g) : std::string("无数据"));
      if (g && *g > 0) no_results = false;
    }
    int others = 0;
    if (no_results)
      v.adjustment_lines.push_back(
          fmt::format("无成效：近{}年经营性收入均未增长（{}）", rules.no_growth_years, figures));
    if (f.projects == 0) {
      ++others;
      v.adjustment_lines.push_back("无举措：考察期内没有集体经济项目");
    }
    if (!f.development_goals) {
      ++others;
      v.adjustment_lines.push_back("无思路：年度述职未提出发展目标");
    }
    if (f.stars && *f.stars <= rules.adjustment_max_stars) {
      ++others;
      v.adjustment_lines.push_back(fmt::format("本年度评定{}星，不高于{}星", *f.stars,
                                               rules.adjustment_max_stars));
    }
    v.adjustment = no_results && others >= rules.adjustment_min_other;
    if (!no_results) v.adjustment_lines.insert(v.adjustment_lines.begin(), "近年经营性收入有增长，不列入调整");
  }
  return v;
}

}  // namespace qiangji::engines::economy

// How the demo's collective-economy ledgers are made (the calibration and the growth model are in
// economy_synth.h and docs/economy-demo-calibration.md). A village's operating income path comes
// first, from its own stream; the ledger is then built around it so that every identity of
// domain::ValidateAnnualReport holds to the fen:
//   - operating income is split into operating revenue, contracting income and investment income
//     by the village's mix (mostly contracting and rents, some business, some dividends from
//     stakes; a few stakes lose money, a negative investment income);
//   - subsidies: a base of 80,000-250,000 yuan (村级组织运转经费 and the like) x 0.8-1.3 each
//     year, and in about one year of five a project grant of 200,000-800,000 yuan, taken as
//     subsidy income (so into the surplus) and spent on fixed assets;
//   - operating costs 40-85% of operating revenue and up to 5% of contracting income;
//     administrative expenses 60-95% of the subsidy base plus 2-8% of operating income plus
//     10,000-40,000 yuan; other income and other expenses small;
//   - surplus by the table; reserve 10-30% and welfare 0-10% of a positive surplus; shareholding
//     co-ops with operating income of 300,000 yuan or more distribute 20-60% of what is
//     available; the rest is carried to the next year's opening undistributed surplus;
//   - balance sheet: fixed assets depreciating 2-4% a year plus grants, long-term investments
//     (large for dividend villages), agricultural and other assets; equity = capital + reserves
//     + undistributed; liabilities 5-30% of non-current assets at least, current assets what
//     makes total assets = liabilities + equity.
#include "engines/demo/economy_synth.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include <fmt/format.h>

#include "engines/rng.h"

namespace qiangji::engines::demo {
namespace {

constexpr uint64_t kIncomeStream = 0xEC0B0001u;     // a village's income path
constexpr uint64_t kLedgerStream = 0xEC0B0002u;     // a village's ledger around it
constexpr uint64_t kCountyStream = 0xEC0B0003u;     // storylines, drawn for the whole county
constexpr uint64_t kTownshipStream = 0xEC0B0004u;   // township sizes of the national panel
constexpr int64_t kYuan = 100;                      // fen

// Proportions of the storylines (permille), shared by the demo and the national panel.
constexpr int kLeavesWeakPermille = 300;  // of the villages weak in the first year
constexpr int kDecliningPermille = 40;    // of all villages
constexpr int kGrowingPermille = 150;     // of all villages
constexpr int kMissingPermille = 10;      // of all villages

// Approximately N(0, 1): the sum of four uniforms, centred and scaled to variance 1 (Irwin-Hall),
// so that no transcendental function (whose last bit differs between libraries) is needed.
double Normal(Rng& rng) {
  const double s = rng.Unit() + rng.Unit() + rng.Unit() + rng.Unit() - 2.0;
  return s * 1.7320508075688772;  // sqrt(12 / 4)
}

// x * permille / 1000, exact integer arithmetic (|x| < 10^15).
int64_t Permille(int64_t x, int64_t permille) { return x * permille / 1000; }

// A fen amount in [lo, hi), spread close to log-uniform (more villages near the lower bound).
int64_t InRange(Rng& rng, int64_t lo, int64_t hi) {
  const double u = rng.Unit();
  const double spread = u * (1.0 + u) / 2.0;
  const int64_t x = lo + static_cast<int64_t>(static_cast<double>(hi - lo) * spread);
  return std::min(x, hi - 1);
}

int64_t StartIncome(Rng& rng, const std::array<int, 5>& shares) {
  switch (rng.Pick(shares)) {
    case 0:
      if (rng.Below(4) == 0) return 0;  // no operating income at all
      return InRange(rng, 1'000 * kYuan, 50'000 * kYuan);
    case 1:
      return InRange(rng, 50'000 * kYuan, 100'000 * kYuan);
    case 2:
      return InRange(rng, 100'000 * kYuan, 500'000 * kYuan);
    case 3:
      return InRange(rng, 500'000 * kYuan, 1'000'000 * kYuan);
    default: {
      // Pareto with exponent 2 above 1,000,000 yuan, capped at 30 times that.
      const double u = 1.0 / 900.0 + (1.0 - 1.0 / 900.0) * rng.Unit();
      return static_cast<int64_t>(1'000'000.0 * kYuan / std::sqrt(u));
    }
  }
}

int64_t RoundFen(double fen) { return fen <= 0 ? 0 : static_cast<int64_t>(fen + 0.5); }

struct Path {
  EconomyStoryline story = EconomyStoryline::kSteady;
  int event = 0;  // year index of the storyline's event, 1..years-1; 0: none
};

// Fills income[1..years-1] from income[0] along the storyline.
void Grow(Rng& rng, const Path& path, int64_t threshold, int years, int64_t* income) {
  double drift = 0.05 + 0.04 * Normal(rng);
  double noise = 0.12;
  if (path.story == EconomyStoryline::kGrowing) {
    drift = 0.18 + 0.05 * Normal(rng);
    noise = 0.10;
  } else if (path.story == EconomyStoryline::kDeclining) {
    drift = -0.10 + 0.04 * Normal(rng);
    noise = 0.08;
  }
  const double t = static_cast<double>(threshold);
  for (int y = 1; y < years; ++y) {
    const int64_t prev = income[y - 1];
    double next = 0;
    if (prev == 0) {
      // A first lease, service contract or stake starts with probability 1/4 a year.
      if (rng.Below(4) == 0) next = static_cast<double>(InRange(rng, 5'000 * kYuan, 60'000 * kYuan));
    } else {
      const double g = std::max(-0.6, drift + noise * Normal(rng));
      next = static_cast<double>(prev) * (1.0 + g);
    }
    if (path.story == EconomyStoryline::kDeclining && y == path.event)
      next *= 0.35 + 0.3 * rng.Unit();  // a lease or contract ends
    if (path.story == EconomyStoryline::kLeavesWeak) {
      if (y < path.event) {
        next = std::min(next, 0.97 * t);  // still weak
      } else if (y == path.event) {
        next = std::max(next, t * (1.05 + 0.6 * rng.Unit()));  // a new project pays
      } else {
        next = std::max(next, 1.01 * t);  // and keeps paying
      }
    }
    income[y] = RoundFen(next);
  }
}

// The storyline of a village of the national panel, drawn from its own stream.
Path DrawPath(Rng& rng, bool weak_at_start, int years) {
  Path p;
  if (years < 2) return p;
  const int event = 1 + static_cast<int>(rng.Below(static_cast<uint64_t>(years - 1)));
  if (weak_at_start && rng.Permille(kLeavesWeakPermille)) {
    p = {EconomyStoryline::kLeavesWeak, event};
  } else {
    const int r = static_cast<int>(rng.Below(1000));
    if (r < kDecliningPermille) {
      p = {EconomyStoryline::kDeclining, event};
    } else if (r < kDecliningPermille + kGrowingPermille) {
      p.story = EconomyStoryline::kGrowing;
    }
  }
  return p;
}

// `count` distinct entries of `from` not in `taken`, drawn from `rng`; adds them to `taken`.
std::vector<int64_t> Draw(Rng& rng, const std::vector<int64_t>& from, std::set<int64_t>& taken,
                          size_t count) {
  std::vector<int64_t> candidates;
  for (int64_t c : from)
    if (!taken.count(c)) candidates.push_back(c);
  rng.Shuffle(candidates);
  candidates.resize(std::min(count, candidates.size()));
  std::sort(candidates.begin(), candidates.end());
  taken.insert(candidates.begin(), candidates.end());
  return candidates;
}

// ---- the collective -------------------------------------------------------------------------

// GB 11714-1997 check character of an 8-digit organization code.
char OrgCodeCheck(std::string_view digits8) {
  constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += (digits8[i] - '0') * kWeights[i];
  const int c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : static_cast<char>('0' + c);
}

// A unified social credit code for a village-level collective economic organization: "N"
// (registered with the agriculture and rural affairs department), "2" (village level), the
// county's six digits, a nine-character organization code (GB 11714, unique within the county
// since it carries the village's own six digits) and the GB 32100 check character.
std::string CreditCode(int64_t village_code, Rng& rng) {
  const std::string org = fmt::format("5{}{:06}", rng.Below(10), village_code % 1'000'000);
  std::string code = fmt::format("N2{:06}{}{}", village_code / 1'000'000, org, OrgCodeCheck(org));
  code += domain::CreditCodeCheckChar(code);
  return code;
}

domain::Collective MakeCollective(const domain::Division& village, uint64_t seed) {
  Rng rng(MixSeed(MixSeed(seed, kLedgerStream), static_cast<uint64_t>(village.code) ^ 0xC011u));
  domain::Collective c;
  c.division_code = village.code;
  const size_t kind = rng.Pick(std::array<int, 3>{80, 15, 5});
  c.kind = std::string(domain::kCollectiveKinds[kind]);
  c.name = village.name + (kind == 0 ? "股份经济合作社" : kind == 1 ? "经济合作社" : "经济联合社");
  c.credit_code = CreditCode(village.code, rng);
  const int year = static_cast<int>(rng.Between(2018, 2021));  // the property-rights reform
  const int month = static_cast<int>(rng.Between(1, 12));
  c.registered_on =
      Date::FromYmd(year, month, static_cast<int>(rng.Between(1, DaysInMonth(year, month)))).value();
  c.member_count = rng.Between(300, 3000);
  if (kind == 0) {
    // Shares per member: population shares for all, labour-age shares for most, and a collective
    // share kept by some villages.
    c.share_classes.push_back({"人口股", c.member_count * rng.Between(1, 2)});
    if (rng.Permille(700)) c.share_classes.push_back({"劳龄股", c.member_count * rng.Between(1, 3) / 2});
    if (rng.Permille(300)) c.share_classes.push_back({"集体股", c.member_count * rng.Between(1, 4) / 10});
  }
  return c;
}

// ---- the ledger -----------------------------------------------------------------------------

enum class Mix { kContracting, kBusiness, kDividends };

struct Ledger {
  Mix mix = Mix::kContracting;
  bool shareholding = true;
  int64_t subsidy_base = 0;
  int64_t cost_permille = 0;   // operating costs per operating revenue
  int64_t admin_permille = 0;  // administrative expenses per subsidy base
  int64_t capital = 0;         // 资本 and capital reserves from before the first year
  int64_t reserves = 0;        // 公积公益金 accumulated since
  int64_t undistributed = 0;   // at the end of the last year
  int64_t fixed = 0;
  int64_t long_term = 0;
  int64_t agricultural = 0;
  int64_t other = 0;
};

Ledger StartLedger(Rng& rng, int64_t first_income, bool shareholding) {
  Ledger l;
  l.mix = static_cast<Mix>(rng.Pick(std::array<int, 3>{55, 25, 20}));
  l.shareholding = shareholding;
  l.subsidy_base = rng.Between(80'000, 250'000) * kYuan;
  l.cost_permille = rng.Between(400, 850);
  l.admin_permille = rng.Between(600, 950);
  l.fixed = rng.Between(500'000, 8'000'000) * kYuan;
  l.long_term = l.mix == Mix::kDividends ? first_income * rng.Between(8, 15)
                                          : rng.Between(0, 200'000) * kYuan;
  l.agricultural = rng.Between(0, 300'000) * kYuan;
  l.other = rng.Between(0, 100'000) * kYuan;
  l.capital = Permille(l.fixed + l.long_term + l.agricultural, rng.Between(600, 1000));
  l.undistributed = rng.Between(-50'000, 200'000) * kYuan;
  return l;
}

std::string_view NoteFor(const EconomyStory& s, int y, bool grant) {
  if (s.event_year == y && s.story == EconomyStoryline::kLeavesWeak)
    return "新建项目投产，经营性收入突破薄弱村标准";
  if (s.event_year == y && s.story == EconomyStoryline::kDeclining)
    return "主要租赁或经营合同到期未续，经营性收入明显下降";
  if (grant) return "获上级扶持壮大村级集体经济项目资金，形成固定资产";
  return "";
}

// The report of year index y, advancing the ledger (also for a year that is not filed).
domain::AnnualReport NextReport(Rng& rng, Ledger& l, const EconomyStory& s, int first_year, int y) {
  domain::AnnualReport r;
  r.division_code = s.division_code;
  r.year = first_year + y;
  const int64_t income = s.operating_income[static_cast<size_t>(y)];

  // Operating income by source: investment first, contracting out of the rest.
  int64_t investment = 0;
  int64_t contracting = 0;
  switch (l.mix) {
    case Mix::kContracting:
      investment = Permille(income, rng.Between(0, 100));
      contracting = Permille(income - investment, rng.Between(700, 950));
      break;
    case Mix::kBusiness:
      investment = Permille(income, rng.Between(0, 50));
      contracting = Permille(income - investment, rng.Between(100, 300));
      break;
    case Mix::kDividends:
      investment = Permille(income, rng.Between(500, 900));
      contracting = Permille(income - investment, rng.Between(0, 600));
      break;
  }
  if (rng.Below(40) == 0 && income > 0) investment = -Permille(income, rng.Between(20, 100));
  r.investment_income = investment;
  r.contracting_income = contracting;
  r.operating_revenue = income - contracting - investment;  // >= 0: a loss raises revenue

  const bool grant = rng.Below(5) == 0;
  const int64_t project = grant ? rng.Between(200'000, 800'000) * kYuan : 0;
  r.subsidy_income = Permille(l.subsidy_base, rng.Between(800, 1300)) + project;
  r.other_income = rng.Between(0, 20'000) * kYuan + Permille(income, rng.Between(0, 30));
  r.operating_costs = Permille(r.operating_revenue, l.cost_permille + rng.Between(-50, 50)) +
                      Permille(contracting, rng.Between(0, 50));
  r.admin_expenses = Permille(l.subsidy_base, l.admin_permille) + Permille(income, rng.Between(20, 80)) +
                     rng.Between(10'000, 40'000) * kYuan;
  r.other_expenses = rng.Between(0, 15'000) * kYuan + Permille(income, rng.Between(0, 20));
  r.surplus = domain::TotalIncome(r) - domain::TotalCosts(r);

  r.opening_undistributed = l.undistributed;
  if (r.surplus > 0) {
    r.reserve_fund = Permille(r.surplus, rng.Between(100, 300));
    r.welfare_fund = Permille(r.surplus, rng.Between(0, 100));
  }
  const int64_t available = r.surplus + r.opening_undistributed - r.reserve_fund - r.welfare_fund;
  if (l.shareholding && available > 0 && income >= 300'000 * kYuan)
    r.member_distribution = Permille(available, rng.Between(200, 600));
  r.undistributed = available - r.member_distribution;

  // Balance sheet at year end.
  l.fixed = l.fixed - Permille(l.fixed, rng.Between(20, 40)) + project;
  l.long_term = Permille(l.long_term, rng.Between(950, 1100));
  l.agricultural = Permille(l.agricultural, rng.Between(900, 1100));
  l.other = Permille(l.other, rng.Between(900, 1100));
  l.reserves += r.reserve_fund;
  l.undistributed = r.undistributed;
  r.fixed_assets = l.fixed;
  r.long_term_investments = l.long_term;
  r.agricultural_assets = l.agricultural;
  r.other_assets = l.other;
  r.equity = l.capital + l.reserves + l.undistributed;
  const int64_t non_current = r.fixed_assets + r.long_term_investments + r.agricultural_assets +
                              r.other_assets;
  const int64_t cash = Permille(income, rng.Between(100, 400)) + rng.Between(50'000, 500'000) * kYuan;
  const int64_t min_liabilities = Permille(non_current, rng.Between(50, 300));
  r.current_assets = std::max(cash, r.equity + min_liabilities - non_current);
  r.total_assets = non_current + r.current_assets;
  r.liabilities = r.total_assets - r.equity;
  r.note = std::string(NoteFor(s, r.year, grant));
  return r;
}

}  // namespace

std::string_view EconomyStorylineName(EconomyStoryline s) {
  switch (s) {
    case EconomyStoryline::kSteady:
      return "steady";
    case EconomyStoryline::kGrowing:
      return "growing";
    case EconomyStoryline::kLeavesWeak:
      return "leaves_weak";
    case EconomyStoryline::kDeclining:
      return "declining";
  }
  return "steady";
}

DemoEconomy SynthesizeEconomy(std::span<const domain::Division> divisions,
                              const EconomySynthOptions& options) {
  DemoEconomy out;
  std::vector<const domain::Division*> villages;
  for (const auto& d : divisions) {
    if (d.level != DivisionLevel::kVillage) continue;
    const int64_t unit = d.code % 1000;
    if (unit >= 200 && unit <= 399) villages.push_back(&d);
  }
  std::sort(villages.begin(), villages.end(),
            [](const domain::Division* a, const domain::Division* b) { return a->code < b->code; });
  const int years = options.years;
  if (villages.empty() || years < 1) return out;
  const size_t n = villages.size();
  const int64_t threshold = options.weak_threshold_fen;

  // ---- each village's first year, from its own stream
  std::vector<Rng> income_rng;
  income_rng.reserve(n);
  std::vector<int64_t> codes, weak;
  out.stories.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t code = villages[i]->code;
    income_rng.emplace_back(MixSeed(MixSeed(options.seed, kIncomeStream), static_cast<uint64_t>(code)));
    EconomyStory& s = out.stories[i];
    s.division_code = code;
    s.operating_income.assign(static_cast<size_t>(years), 0);
    s.operating_income[0] = StartIncome(income_rng[i], options.band_shares);
    codes.push_back(code);
    if (s.operating_income[0] < threshold) weak.push_back(code);
  }

  // ---- storylines and missing reports, from one county stream, in exact numbers
  Rng county(MixSeed(options.seed, kCountyStream));
  std::set<int64_t> taken;
  std::vector<int64_t> leaves, declining, growing, missing;
  if (years >= 2) {
    leaves = Draw(county, weak, taken,
                  std::max<size_t>(3, (weak.size() * kLeavesWeakPermille + 500) / 1000));
    declining = Draw(county, codes, taken, std::max<size_t>(2, (n * kDecliningPermille + 500) / 1000));
    growing = Draw(county, codes, taken, (n * kGrowingPermille + 500) / 1000);
    if (options.missing_reports) {
      std::set<int64_t> eventful(leaves.begin(), leaves.end());
      eventful.insert(declining.begin(), declining.end());
      missing = Draw(county, codes, eventful, std::max<size_t>(1, (n * kMissingPermille + 500) / 1000));
    }
  }
  auto has = [](const std::vector<int64_t>& v, int64_t c) {
    return std::binary_search(v.begin(), v.end(), c);
  };

  for (size_t i = 0; i < n; ++i) {
    EconomyStory& s = out.stories[i];
    const int64_t code = s.division_code;
    Path path;
    if (has(leaves, code)) path.story = EconomyStoryline::kLeavesWeak;
    if (has(declining, code)) path.story = EconomyStoryline::kDeclining;
    if (has(growing, code)) path.story = EconomyStoryline::kGrowing;
    if (path.story == EconomyStoryline::kLeavesWeak || path.story == EconomyStoryline::kDeclining)
      path.event = 1 + static_cast<int>(county.Below(static_cast<uint64_t>(years - 1)));
    s.story = path.story;
    s.event_year = path.event > 0 ? options.first_year + path.event : 0;
    if (has(missing, code))
      s.missing_year = options.first_year + 1 + static_cast<int>(county.Below(static_cast<uint64_t>(years - 1)));
    Grow(income_rng[i], path, threshold, years, s.operating_income.data());

    // ---- the collective and its ledgers, from the village's ledger stream
    out.collectives.push_back(MakeCollective(*villages[i], options.seed));
    Rng ledger_rng(MixSeed(MixSeed(options.seed, kLedgerStream), static_cast<uint64_t>(code)));
    Ledger ledger = StartLedger(ledger_rng, s.operating_income[0],
                                out.collectives.back().kind == "shareholding_coop");
    for (int y = 0; y < years; ++y) {
      domain::AnnualReport r = NextReport(ledger_rng, ledger, s, options.first_year, y);
      if (r.year != s.missing_year) out.reports.push_back(std::move(r));
    }
  }
  return out;
}

economy::EconomyPanel SynthesizeEconomyPanel(const EconomyPanelOptions& options) {
  economy::EconomyPanel p;
  const EconomySynthOptions& m = options.model;
  p.first_year = m.first_year;
  p.years = m.years;
  p.townships = options.townships;
  const int64_t n = options.villages;
  if (n <= 0 || m.years < 1 || options.townships < 1) {
    p.townships = std::max(0, options.townships);
    return p;
  }

  // Township sizes: weights 0.5-1.5, villages numbered township by township.
  Rng towns(MixSeed(m.seed, kTownshipStream));
  std::vector<int64_t> cumulative(static_cast<size_t>(options.townships) + 1, 0);
  for (int t = 0; t < options.townships; ++t)
    cumulative[t + 1] = cumulative[t] + towns.Between(500, 1500);
  p.township_of.resize(static_cast<size_t>(n));
  for (int t = 0; t < options.townships; ++t) {
    const int64_t begin = n * cumulative[t] / cumulative.back();
    const int64_t end = n * cumulative[t + 1] / cumulative.back();
    std::fill(p.township_of.begin() + begin, p.township_of.begin() + end, t);
  }

  const int years = m.years;
  p.income.assign(static_cast<size_t>(n * years), 0);
  const uint64_t stream = MixSeed(m.seed, kIncomeStream);
  for (int64_t v = 0; v < n; ++v) {
    Rng rng(MixSeed(stream, static_cast<uint64_t>(v)));
    int64_t* income = p.income.data() + v * years;
    income[0] = StartIncome(rng, m.band_shares);
    const Path path = DrawPath(rng, income[0] < m.weak_threshold_fen, years);
    Grow(rng, path, m.weak_threshold_fen, years, income);
    if (m.missing_reports && years >= 2 && rng.Permille(kMissingPermille) &&
        (path.story == EconomyStoryline::kSteady || path.story == EconomyStoryline::kGrowing))
      income[1 + rng.Below(static_cast<uint64_t>(years - 1))] = economy::kNoReport;
  }
  return p;
}

}  // namespace qiangji::engines::demo

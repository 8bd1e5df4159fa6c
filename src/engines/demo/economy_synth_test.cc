#include "engines/demo/economy_synth.h"

#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace qiangji::engines::demo {
namespace {

using domain::Division;

// A county of `townships` townships with `per_township` villagers' committees and two residents'
// committees each, and a development zone (a village-level unit 400+): neither of the last two
// gets a collective.
std::vector<Division> County(int townships, int per_township) {
  std::vector<Division> out;
  out.push_back({130624000000, DivisionLevel::kCounty, "阜平县", 130600000000});
  for (int t = 0; t < townships; ++t) {
    const int64_t town = 130624100000 + t * 1000;
    out.push_back({town, DivisionLevel::kTownship, fmt::format("镇{}", t), 130624000000});
    for (int v = 1; v <= 2; ++v)
      out.push_back({town + v, DivisionLevel::kVillage, fmt::format("社区{}", v), town});
    for (int v = 200; v < 200 + per_township; ++v)
      out.push_back({town + v, DivisionLevel::kVillage, fmt::format("{}村", v), town});
  }
  out.push_back({130624100400, DivisionLevel::kVillage, "开发区", 130624100000});
  return out;
}

std::string Dump(const DemoEconomy& e) {
  std::string s;
  for (const auto& c : e.collectives)
    s += fmt::format("C{} {} {} {} {} {} {}\n", c.division_code, c.name, c.kind, c.credit_code,
                     c.registered_on->ToString(), c.member_count, c.share_classes.size());
  for (const auto& r : e.reports)
    s += fmt::format("R{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}\n", r.division_code, r.year,
                     r.operating_revenue, r.contracting_income, r.investment_income,
                     r.subsidy_income, r.other_income, r.operating_costs, r.admin_expenses,
                     r.other_expenses, r.surplus, r.member_distribution, r.undistributed,
                     r.total_assets, r.liabilities, r.note);
  for (const auto& st : e.stories)
    s += fmt::format("S{} {} {} {}\n", st.division_code, EconomyStorylineName(st.story),
                     st.event_year, st.missing_year);
  return s;
}

// The demo's operating incomes as a panel (townships by the code's township digits).
economy::EconomyPanel PanelOf(const DemoEconomy& e, int first_year, int years) {
  economy::EconomyPanel p;
  p.first_year = first_year;
  p.years = years;
  std::map<int64_t, int> town;
  std::map<int64_t, int64_t> index;
  for (const auto& s : e.stories) {
    const int64_t t = s.division_code / 1000;
    if (!town.count(t)) town[t] = static_cast<int>(town.size());
    index[s.division_code] = static_cast<int64_t>(p.township_of.size());
    p.township_of.push_back(town[t]);
  }
  p.townships = static_cast<int>(town.size());
  p.income.assign(p.township_of.size() * static_cast<size_t>(years), economy::kNoReport);
  for (const auto& r : e.reports)
    p.income[index[r.division_code] * years + (r.year - first_year)] = domain::OperatingIncome(r);
  return p;
}

// Binomial tolerance: the first year's band of each village is drawn with Rng::Pick from the
// shares and nothing later changes it (no first-year report is ever missing), so a band's count
// is Binomial(n, p). Four standard deviations fail with probability below 1e-4 per band.
void ExpectShares(const std::array<int64_t, 5>& counts, int64_t n) {
  for (size_t b = 0; b < 5; ++b) {
    const double p = kCalibratedBandShares[b] / 10000.0;
    const double got = static_cast<double>(counts[b]) / static_cast<double>(n);
    const double tolerance = 4 * std::sqrt(p * (1 - p) / static_cast<double>(n));
    EXPECT_NEAR(got, p, tolerance) << "band " << domain::kIncomeBands[b].key << " over " << n;
  }
}

TEST(EconomySynthTest, CalibratedSharesAddUp) {
  int sum = 0;
  for (int s : kCalibratedBandShares) sum += s;
  EXPECT_EQ(sum, 10000);
  // The national figure: 57.7% of villages under 50,000 yuan (2019).
  EXPECT_EQ(kCalibratedBandShares[0], 5770);
}

TEST(EconomySynthTest, SameSeedSameLedgersOtherSeedOther) {
  const auto county = County(6, 30);
  const EconomySynthOptions options;
  const std::string first = Dump(SynthesizeEconomy(county, options));
  EXPECT_EQ(Dump(SynthesizeEconomy(county, options)), first);
  EconomySynthOptions other;
  other.seed = 7;
  EXPECT_NE(Dump(SynthesizeEconomy(county, other)), first);
}

TEST(EconomySynthTest, AVillageDoesNotChangeWhenAnotherIsAdded) {
  const auto small = County(2, 30);
  auto larger = small;
  larger.push_back({130624100299, DivisionLevel::kVillage, "新村", 130624100000});
  const DemoEconomy a = SynthesizeEconomy(small, {});
  const DemoEconomy b = SynthesizeEconomy(larger, {});
  // Incomes of the first year and the ledgers' collectives come from each village's own stream.
  std::map<int64_t, int64_t> first;
  for (const auto& s : a.stories) first[s.division_code] = s.operating_income[0];
  int compared = 0;
  for (const auto& s : b.stories) {
    if (!first.count(s.division_code)) continue;
    EXPECT_EQ(first[s.division_code], s.operating_income[0]);
    ++compared;
  }
  EXPECT_EQ(compared, 60);
  for (size_t i = 0; i < a.collectives.size(); ++i) {
    const auto& c = a.collectives[i];
    auto it = std::find_if(b.collectives.begin(), b.collectives.end(),
                           [&](const auto& x) { return x.division_code == c.division_code; });
    ASSERT_NE(it, b.collectives.end());
    EXPECT_EQ(it->credit_code, c.credit_code);
    EXPECT_EQ(it->name, c.name);
  }
}

TEST(EconomySynthTest, EveryRecordIsValidAndComplete) {
  const auto county = County(6, 30);
  EconomySynthOptions options;
  const DemoEconomy e = SynthesizeEconomy(county, options);
  const size_t villages = 6 * 30;
  ASSERT_EQ(e.collectives.size(), villages);
  ASSERT_EQ(e.stories.size(), villages);
  std::set<std::string> codes;
  for (const auto& c : e.collectives) {
    EXPECT_TRUE(domain::ValidateCollective(c).ok()) << c.name << " " << c.credit_code;
    EXPECT_GE(c.division_code % 1000, 200);  // villagers' committees only
    EXPECT_LE(c.division_code % 1000, 399);
    EXPECT_TRUE(codes.insert(c.credit_code).second) << c.credit_code;
    EXPECT_EQ(c.credit_code.substr(0, 8), "N2130624");  // village collective, the county's code
  }
  size_t missing = 0;
  for (const auto& s : e.stories) {
    if (s.missing_year == 0) continue;
    ++missing;
    EXPECT_GT(s.missing_year, options.first_year);  // the first year is always filed
    EXPECT_LT(s.missing_year, options.first_year + options.years);
  }
  EXPECT_GE(missing, 1u);
  EXPECT_EQ(e.reports.size(), villages * 5 - missing);
  for (const auto& r : e.reports) {
    const Status st = domain::ValidateAnnualReport(r);
    EXPECT_TRUE(st.ok()) << r.division_code << " " << r.year << ": " << st.ToString();
    EXPECT_GE(r.year, 2021);
    EXPECT_LE(r.year, 2025);
  }
  // One report per village and year, none for the missing year.
  std::set<std::pair<int64_t, int>> seen;
  std::map<int64_t, int> missing_of;
  for (const auto& s : e.stories) missing_of[s.division_code] = s.missing_year;
  for (const auto& r : e.reports) {
    EXPECT_TRUE(seen.insert({r.division_code, r.year}).second);
    EXPECT_NE(r.year, missing_of[r.division_code]);
  }
}

TEST(EconomySynthTest, IdentitiesHoldAtScale) {
  // Many villages and ten years, so the rare branches (investment losses, grants, no income,
  // negative surplus, distributions) all occur; every identity must hold to the fen.
  EconomySynthOptions options;
  options.years = 10;
  options.first_year = 2016;
  const DemoEconomy e = SynthesizeEconomy(County(20, 100), options);
  int losses = 0, grants = 0, negative_surplus = 0, distributions = 0, zero_income = 0;
  for (const auto& r : e.reports) {
    ASSERT_TRUE(domain::ValidateAnnualReport(r).ok()) << r.division_code << " " << r.year;
    losses += r.investment_income < 0;
    grants += !r.note.empty() && r.note.find("项目资金") != std::string::npos;
    negative_surplus += r.surplus < 0;
    distributions += r.member_distribution > 0;
    zero_income += domain::OperatingIncome(r) == 0;
  }
  EXPECT_GT(losses, 0);
  EXPECT_GT(grants, 0);
  EXPECT_GT(negative_surplus, 0);
  EXPECT_GT(distributions, 0);
  EXPECT_GT(zero_income, 0);
}

TEST(EconomySynthTest, SubsidiesVaryAndNeverCountAsOperatingIncome) {
  const auto county = County(10, 40);
  const EconomySynthOptions options;
  const DemoEconomy e = SynthesizeEconomy(county, options);
  std::map<int64_t, const EconomyStory*> story;
  for (const auto& s : e.stories) story[s.division_code] = &s;
  std::map<int64_t, std::set<int64_t>> subsidies;
  int lifted_only_by_subsidy = 0;
  for (const auto& r : e.reports) {
    const EconomyStory& s = *story[r.division_code];
    EXPECT_EQ(domain::OperatingIncome(r), s.operating_income[r.year - options.first_year]);
    EXPECT_GT(r.subsidy_income, 0);
    subsidies[r.division_code].insert(r.subsidy_income);
    // Counting the subsidy would move a weak village out of weak status: it must not.
    if (domain::IsWeakEconomy(domain::OperatingIncome(r)) &&
        !domain::IsWeakEconomy(domain::OperatingIncome(r) + r.subsidy_income))
      ++lifted_only_by_subsidy;
  }
  EXPECT_GT(lifted_only_by_subsidy, 100);
  size_t varying = 0;
  for (const auto& [code, values] : subsidies) varying += values.size() > 1;
  EXPECT_EQ(varying, subsidies.size());
}

TEST(EconomySynthTest, LedgersCarryOverFromYearToYear) {
  const DemoEconomy e = SynthesizeEconomy(County(6, 30), {});
  int checked = 0;
  for (size_t i = 1; i < e.reports.size(); ++i) {
    const auto& prev = e.reports[i - 1];
    const auto& cur = e.reports[i];
    if (prev.division_code != cur.division_code || prev.year + 1 != cur.year) continue;
    EXPECT_EQ(cur.opening_undistributed, prev.undistributed) << cur.division_code << " " << cur.year;
    ++checked;
  }
  EXPECT_GT(checked, 6 * 30 * 3);
}

TEST(EconomySynthTest, StorylinesShowInTheLedgers) {
  const EconomySynthOptions options;
  const DemoEconomy e = SynthesizeEconomy(County(6, 30), options);
  const economy::EconomyPanel panel = PanelOf(e, options.first_year, options.years);
  ASSERT_TRUE(economy::ValidatePanel(panel).ok());
  const economy::EconomyAggregates a = economy::Aggregate(panel, {});
  std::map<EconomyStoryline, int> count;
  for (size_t v = 0; v < e.stories.size(); ++v) {
    const EconomyStory& s = e.stories[v];
    ++count[s.story];
    const auto& x = s.operating_income;
    if (s.story == EconomyStoryline::kLeavesWeak) {
      // Weak until the project year, then out of weak status for good: 消薄 in that year.
      const int k = s.event_year - options.first_year;
      ASSERT_GE(k, 1);
      for (int y = 0; y < options.years; ++y)
        EXPECT_EQ(domain::IsWeakEconomy(x[y]), y < k) << s.division_code << " " << y;
      EXPECT_EQ(a.exit_year[v], s.event_year);
      EXPECT_EQ(s.missing_year, 0);
    }
    if (s.story == EconomyStoryline::kDeclining) {
      const int k = s.event_year - options.first_year;
      ASSERT_GE(k, 1);
      if (x[k - 1] > 0) {
        EXPECT_LT(x[k], x[k - 1]) << s.division_code;
      }
      EXPECT_EQ(s.missing_year, 0);
    }
  }
  EXPECT_GE(count[EconomyStoryline::kLeavesWeak], 3);
  EXPECT_GE(count[EconomyStoryline::kDeclining], 2);
  EXPECT_GE(count[EconomyStoryline::kGrowing], 20);  // 15% of 180
  // The exit year's report explains itself.
  bool explained = false;
  for (const auto& r : e.reports)
    explained |= r.note.find("突破薄弱村标准") != std::string::npos;
  EXPECT_TRUE(explained);
}

TEST(EconomySynthTest, DemoBandSharesMatchTheCalibration) {
  const EconomySynthOptions options;
  const DemoEconomy e = SynthesizeEconomy(County(40, 150), options);  // 6,000 villages
  std::array<int64_t, 5> counts{};
  int64_t n = 0;
  for (const auto& r : e.reports) {
    if (r.year != options.first_year) continue;
    ++counts[domain::IncomeBandOf(domain::OperatingIncome(r))];
    ++n;
  }
  ASSERT_EQ(n, 6000);
  ExpectShares(counts, n);
}

TEST(EconomySynthTest, PanelBandSharesMatchTheCalibration) {
  EconomyPanelOptions options;
  options.villages = 200'000;
  options.townships = 15'000;
  const economy::EconomyPanel p = SynthesizeEconomyPanel(options);
  std::array<int64_t, 5> counts{};
  for (int64_t v = 0; v < p.villages(); ++v) {
    ASSERT_NE(p.At(v, 0), economy::kNoReport);
    ++counts[domain::IncomeBandOf(p.At(v, 0))];
  }
  ExpectShares(counts, p.villages());
}

TEST(EconomySynthTest, WeakVillagesDecreaseYearByYear) {
  EconomyPanelOptions options;
  options.villages = 100'000;
  options.townships = 8'000;
  const economy::EconomyPanel p = SynthesizeEconomyPanel(options);
  ASSERT_TRUE(economy::ValidatePanel(p).ok());
  const economy::EconomyAggregates a = economy::Aggregate(p, {});
  int64_t entries = 0;  // villages falling into weak status: the declining storyline
  for (int64_t v = 0; v < p.villages(); ++v)
    for (int y = 1; y < p.years; ++y)
      entries += p.At(v, y - 1) != economy::kNoReport && p.At(v, y) != economy::kNoReport &&
                 p.At(v, y - 1) >= domain::kDefaultWeakThresholdFen &&
                 p.At(v, y) < domain::kDefaultWeakThresholdFen;
  EXPECT_GT(entries, 0);
  for (int y = 1; y < p.years; ++y) {
    const auto& prev = a.total[y - 1];
    const auto& cur = a.total[y];
    // Shares of the reported villages, since about 1 in 400 misses a given year.
    const double weak_prev = static_cast<double>(prev.weak) / static_cast<double>(prev.reported);
    const double weak_cur = static_cast<double>(cur.weak) / static_cast<double>(cur.reported);
    EXPECT_LT(cur.weak, prev.weak) << cur.year;
    EXPECT_LT(weak_cur, weak_prev) << cur.year;
    EXPECT_LT(cur.bands[0], prev.bands[0]) << cur.year;
    EXPECT_GT(cur.exits, 0) << cur.year;
    EXPECT_GT(cur.median_income_fen, prev.median_income_fen) << cur.year;
    EXPECT_GT(cur.total_growth, 0) << cur.year;
  }
}

TEST(EconomySynthTest, PanelShapeAndDeterminism) {
  EconomyPanelOptions options;
  options.villages = 30'000;
  options.townships = 2'400;
  const economy::EconomyPanel p = SynthesizeEconomyPanel(options);
  ASSERT_TRUE(economy::ValidatePanel(p).ok());
  EXPECT_EQ(p.first_year, 2021);
  EXPECT_EQ(p.years, 5);
  ASSERT_EQ(p.villages(), 30'000);
  std::vector<int64_t> size(2'400, 0);
  for (int64_t v = 0; v < p.villages(); ++v) {
    ++size[p.township_of[v]];
    if (v > 0) {
      EXPECT_LE(p.township_of[v - 1], p.township_of[v]);
    }
  }
  for (int64_t s : size) {
    EXPECT_GE(s, 6);  // 0.5-1.5x the average of 12.5
    EXPECT_LE(s, 20);
  }
  int64_t missing = 0;
  for (int64_t v = 0; v < p.villages(); ++v) {
    int in_village = 0;
    for (int y = 0; y < p.years; ++y) in_village += p.At(v, y) == economy::kNoReport;
    EXPECT_LE(in_village, 1);
    missing += in_village;
  }
  EXPECT_GT(missing, 30'000 * 4 / 1000);  // about 1% of the steady and growing villages
  EXPECT_LT(missing, 30'000 * 12 / 1000);
  EXPECT_EQ(SynthesizeEconomyPanel(options).income, p.income);
  options.model.seed = 9;
  EXPECT_NE(SynthesizeEconomyPanel(options).income, p.income);
}

}  // namespace
}  // namespace qiangji::engines::demo

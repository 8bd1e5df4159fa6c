// How the demo's assessment evidence is made. Each village has a storyline (drawn from one
// county stream) and, per year, a latent level q in [0, 1] that the storyline sets; every piece
// of evidence of that year is drawn around q from the village's own stream, seeded by (seed,
// code, year), so one village does not change when another is added. The mappings below are
// plausible for mountain villages, not statistics (docs/demo.md):
//   quarterly rating 55 + 42q points (±3); meetings 1 + 6q a quarter (三会一课: a branch
//   committee meeting a month, a members' meeting and a lesson a quarter); village affairs
//   disclosed 1-3 times and finances every quarter; petitions 0-2 a quarter, more when q is
//   low; 0-2 spot-check findings a year, minor or moderate; a duty-report panel of 25-45 (the
//   same people each year, give or take two) with 10% + 60q rating 优秀 and 3% + 30%(1 - q)
//   基本称职; 60-150 surveyed households with 64% + 32q satisfied. Year-to-year jitter is kept
//   small so that steady villages stay put and the warnings come from the storylines.
// Only weak-and-lax villages, in the last year, break the rules the default set checks.
#include "engines/demo/assess_synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "engines/rng.h"

namespace qiangji::engines::demo {
namespace {

constexpr uint64_t kStream = 0xA55E55EDu;  // keeps these draws apart from the records' streams

double Clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

double Between(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.Unit(); }

Date RandomDay(Rng& rng, int year, int first_month = 1, int last_month = 12) {
  const int month = static_cast<int>(rng.Between(first_month, last_month));
  return Date::FromYmd(year, month, static_cast<int>(rng.Between(1, DaysInMonth(year, month))))
      .value();
}

struct FindingText {
  std::string_view category;
  std::string_view text;
};

constexpr std::array<FindingText, 16> kMinorFindings = {{
    {"organization_life", "三会一课记录不全，部分支委会会议缺少会议记录"},
    {"organization_life", "主题党日活动签到表与会议记录人数不一致"},
    {"organization_life", "党员学习笔记内容简单，个别党员未参加集中学习"},
    {"team_building", "两委成员分工未上墙公示"},
    {"team_building", "后备干部培养台账更新不及时"},
    {"affairs_disclosure", "村务公开栏内容未按季度更新"},
    {"affairs_disclosure", "惠民政策落实情况公开内容不够具体"},
    {"finance", "个别报销凭证缺少经手人签字"},
    {"finance", "村级财务收支明细公开不够详细"},
    {"petitions", "群众来访登记簿记录不完整"},
    {"petitions", "矛盾纠纷排查台账未按月更新"},
    {"discipline", "村干部坐班值班记录不全"},
    {"discipline", "便民服务站工作日志缺记"},
    {"other", "村级组织活动场所物品摆放杂乱，制度牌缺失"},
    {"other", "党员积分管理未按月公示"},
    {"other", "村级档案资料归档不及时"},
}};

constexpr std::array<FindingText, 8> kModerateFindings = {{
    {"organization_life", "连续两个月未召开支委会，组织生活不经常"},
    {"team_building", "两委班子成员之间配合不够，个别委员长期不参加村务"},
    {"affairs_disclosure", "集体资产发包情况未公开"},
    {"finance", "集体资产台账与实物不符，部分资产未入账"},
    {"finance", "村级工程项目未按规定履行四议两公开程序"},
    {"petitions", "群众反映的宅基地问题办理超期未回复"},
    {"discipline", "村干部落实坐班值班制度不到位，群众办事找不到人"},
    {"other", "驻村工作队与村两委工作衔接不畅，重点工作推进缓慢"},
}};

constexpr std::array<FindingText, 4> kSeriousFindings = {{
    {"finance", "集体资金未经村民代表会议决议出借他人，至今未收回"},
    {"petitions", "土地流转补偿款分配纠纷引发群众集体上访"},
    {"discipline", "村干部在低保评定中优亲厚友"},
    {"affairs_disclosure", "扶贫项目资产收益分配全年未公开"},
}};

// Which weak-and-lax signs a weak village shows in the last year: each shows three, in turn.
struct WeakSigns {
  bool low_satisfaction = false;
  bool concentrated_petitions = false;
  bool serious_finding = false;
  bool not_disclosed = false;
  bool no_target = false;
};
WeakSigns SignsOf(size_t i) {
  switch (i % 3) {
    case 0:
      return {true, true, true, false, false};
    case 1:
      return {true, false, false, true, true};
    default:
      return {false, true, true, false, true};
  }
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

}  // namespace

std::string_view StorylineName(Storyline s) {
  switch (s) {
    case Storyline::kSteady:
      return "steady";
    case Storyline::kImproving:
      return "improving";
    case Storyline::kDeclining:
      return "declining";
    case Storyline::kWeakLax:
      return "weak_lax";
    case Storyline::kModel:
      return "model";
  }
  return "steady";
}

AssessEvidence SynthesizeAssessEvidence(std::span<const domain::Division> divisions,
                                        const AssessSynthOptions& options) {
  AssessEvidence out;
  std::vector<int64_t> committees, rural;
  for (const auto& d : divisions) {
    if (d.level != DivisionLevel::kVillage) continue;
    const int64_t unit = d.code % 1000;
    if (unit < 1 || unit > 399) continue;
    committees.push_back(d.code);
    if (unit >= 200) rural.push_back(d.code);
  }
  std::sort(committees.begin(), committees.end());
  std::sort(rural.begin(), rural.end());
  if (committees.empty() || options.years.empty()) return out;

  // ---- storylines, from one county stream
  Rng county(MixSeed(options.seed, kStream));
  std::set<int64_t> taken;
  std::vector<int64_t> declining;
  for (int64_t c : options.troubled) {
    if (std::binary_search(committees.begin(), committees.end(), c) && taken.insert(c).second)
      declining.push_back(c);
  }
  const size_t n = committees.size();
  const std::vector<int64_t> weak = Draw(county, rural, taken, std::max<size_t>(3, n * 15 / 1000));
  const std::vector<int64_t> model = Draw(county, rural, taken, std::max<size_t>(3, n * 4 / 100));
  // Troubled villages decline, and at least two others with them.
  const size_t want_declining = std::max<size_t>(3, n * 5 / 100);
  const size_t more_declining =
      std::max<size_t>(2, want_declining - std::min(want_declining, declining.size()));
  for (int64_t c : Draw(county, committees, taken, more_declining)) declining.push_back(c);
  std::sort(declining.begin(), declining.end());
  const std::vector<int64_t> improving =
      Draw(county, committees, taken, std::max<size_t>(4, n * 10 / 100));
  auto has = [](const std::vector<int64_t>& v, int64_t c) {
    return std::binary_search(v.begin(), v.end(), c);
  };

  const size_t years = options.years.size();
  const size_t last = years - 1;
  size_t weak_index = 0;
  for (int64_t code : committees) {
    const Storyline story = has(weak, code)        ? Storyline::kWeakLax
                            : has(model, code)     ? Storyline::kModel
                            : has(declining, code) ? Storyline::kDeclining
                            : has(improving, code) ? Storyline::kImproving
                                                   : Storyline::kSteady;
    out.storylines.emplace_back(code, story);
    const size_t weak_no = story == Storyline::kWeakLax ? weak_index++ : 0;
    const WeakSigns signs = story == Storyline::kWeakLax ? SignsOf(weak_no) : WeakSigns{};

    // ---- the level of each year
    Rng level_rng(MixSeed(MixSeed(options.seed, kStream), static_cast<uint64_t>(code)));
    std::vector<double> q(years);
    const double base = Between(level_rng, 0.3, 0.75);
    const double start = Between(level_rng, 0.25, 0.45);
    const double step = Between(level_rng, 0.13, 0.2);
    const double high = Between(level_rng, 0.6, 0.85);
    const double drop = Between(level_rng, 0.3, 0.4);
    // The same evaluators sit on the duty-report panel from year to year, give or take two.
    const int64_t panel = level_rng.Between(25, 45);
    for (size_t t = 0; t < years; ++t) {
      const double noise = (level_rng.Unit() - 0.5) * 0.04;
      switch (story) {
        case Storyline::kSteady:
          q[t] = base + noise;
          break;
        case Storyline::kImproving:
          q[t] = start + step * static_cast<double>(t) + noise / 2;
          break;
        case Storyline::kDeclining:
          q[t] = t == last ? high - drop : high - 0.03 * static_cast<double>(t) + noise / 2;
          break;
        case Storyline::kWeakLax:
          q[t] = t == last       ? Between(level_rng, 0.05, 0.15)
                 : t + 1 == last ? Between(level_rng, 0.2, 0.3)
                                 : Between(level_rng, 0.35, 0.5);
          break;
        case Storyline::kModel:
          q[t] = Between(level_rng, 0.94, 1.0);
          break;
      }
      q[t] = Clamp01(q[t]);
    }

    bool target_last_year = true;
    for (size_t t = 0; t < years; ++t) {
      const int year = options.years[t];
      const double level = q[t];
      const bool weak_year = story == Storyline::kWeakLax && t == last;
      const bool sliding = story == Storyline::kWeakLax && t + 1 == last;
      const bool bad_year = story == Storyline::kDeclining && t == last;
      Rng rng(MixSeed(MixSeed(MixSeed(options.seed, kStream), static_cast<uint64_t>(code)),
                      static_cast<uint64_t>(year)));

      // ---- quarterly ratings
      const int64_t silent_quarter = rng.Between(1, 4);         // weak: affairs not disclosed
      const int64_t closed_quarter = 1 + (silent_quarter % 4);  // weak: finances not disclosed
      for (int quarter = 1; quarter <= 4; ++quarter) {
        domain::PeriodicRating r;
        r.division_code = code;
        r.period = fmt::format("{}Q{}", year, quarter);
        r.score = std::round((55 + 42 * level + Between(rng, -3, 3)) * 2) / 2;
        r.score = std::min(100.0, std::max(0.0, r.score));
        r.meetings_held = std::max<int64_t>(
            1, std::llround(1 + 6 * level) + (rng.Permille(250) ? rng.Between(-1, 1) : 0));
        r.affairs_disclosures = rng.Between(1, level > 0.5 ? 3 : 2);
        r.finance_disclosed = true;
        if (weak_year && signs.not_disclosed) {
          if (quarter == silent_quarter) r.affairs_disclosures = 0;
          if (quarter == closed_quarter) r.finance_disclosed = false;
        }
        if (weak_year && signs.concentrated_petitions) {
          r.petitions = rng.Between(3, 5);
          r.note = "信访集中：土地流转和低保评定问题反复上访";
        } else if (bad_year || sliding) {
          r.petitions = rng.Between(1, 2);
        } else {
          const int lots = static_cast<int>(std::llround(10 * (1 - level)));
          r.petitions =
              static_cast<int64_t>(rng.Pick(std::array{10 + (10 - lots) * 2, 4 + lots, lots / 2}));
        }
        out.ratings.push_back(std::move(r));
      }

      // ---- spot-check findings, in date order
      std::vector<domain::SpotCheck> findings;
      auto finding = [&](const FindingText& f, std::string_view severity) {
        domain::SpotCheck c;
        c.division_code = code;
        c.check_date = RandomDay(rng, year, 3, 11);
        c.category = std::string(f.category);
        c.severity = std::string(severity);
        c.finding = std::string(f.text);
        c.rectified = t < last || rng.Permille(severity == "serious" ? 300 : 700);
        findings.push_back(std::move(c));
      };
      const int clean = static_cast<int>(450 + 500 * level);
      const int n_findings = rng.Permille(clean) ? 0 : static_cast<int>(rng.Between(1, 2));
      for (int i = 0; i < n_findings; ++i) {
        if (rng.Permille(level < 0.4 ? 500 : 250)) {
          finding(kModerateFindings[rng.Below(kModerateFindings.size())], "moderate");
        } else {
          finding(kMinorFindings[rng.Below(kMinorFindings.size())], "minor");
        }
      }
      if (bad_year) finding(kModerateFindings[rng.Below(kModerateFindings.size())], "moderate");
      if (weak_year) {
        finding(kModerateFindings[rng.Below(kModerateFindings.size())], "moderate");
        if (signs.serious_finding)
          finding(kSeriousFindings[weak_no % kSeriousFindings.size()], "serious");
      }
      std::stable_sort(findings.begin(), findings.end(),
                       [](const auto& a, const auto& b) { return a.check_date < b.check_date; });
      for (auto& f : findings) out.spot_checks.push_back(std::move(f));

      // ---- the duty report
      domain::DutyReport d;
      d.division_code = code;
      d.year = year;
      const int64_t voters = panel + rng.Between(-2, 2);
      const double p_excellent = 0.1 + 0.6 * level;
      const double p_basic = 0.03 + 0.3 * (1 - level);
      const double p_incompetent = level < 0.4 ? 0.02 + 0.08 * (0.4 - level) / 0.4 : 0.0;
      auto jitter = [&] { return rng.Permille(300) ? rng.Between(-1, 1) : 0; };
      d.excellent = std::max<int64_t>(0, std::llround(voters * p_excellent) + jitter());
      d.basic = std::max<int64_t>(0, std::llround(voters * p_basic) + jitter());
      d.incompetent = std::llround(voters * p_incompetent);
      d.competent = std::max<int64_t>(0, voters - d.excellent - d.basic - d.incompetent);
      if (story == Storyline::kWeakLax && signs.no_target && (weak_year || sliding)) {
        d.development_target = false;
      } else {
        // An ordinary village may miss a target in one year, never two running.
        d.development_target = !(target_last_year && level < 0.45 && rng.Permille(30));
      }
      target_last_year = d.development_target;
      out.duty_reports.push_back(d);

      // ---- the satisfaction survey
      domain::SatisfactionSurvey s;
      s.division_code = code;
      s.year = year;
      s.responses = rng.Between(60, 150);
      double rate = 0.64 + 0.32 * level + Between(rng, -0.02, 0.02);
      if (weak_year && signs.low_satisfaction) rate = Between(rng, 0.45, 0.57);
      if (sliding) rate = std::min(rate, Between(rng, 0.62, 0.68));
      s.satisfied = std::min<int64_t>(
          s.responses, std::llround(static_cast<double>(s.responses) * std::min(rate, 0.99)));
      out.surveys.push_back(s);
    }
  }
  return out;
}

}  // namespace qiangji::engines::demo

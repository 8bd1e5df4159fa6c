// One assessment run, from an indicator set and village inputs to every result the services
// store and show. The order of the steps, and every rule below, is in
// docs/assessment-methods.md section 7:
//   values (missing -> the indicator's default or the worst end) -> column statistics over the
//   present values -> normalisation -> weights (manual / AHP / entropy on the values as scored /
//   blend) -> scores (weighted sum or TOPSIS) -> band cuts -> weak-and-lax rules and vetoes ->
//   stars and classes -> standings, township medians, gaps, lifts -> warnings -> both ends ->
//   sensitivity -> hashes.
// Normalisation and aggregation run on engines/assess/columnar.h, whose results equal score.h's
// bit for bit; explanations reuse explain.h and tiers.h.
#include "engines/assess/pipeline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/date.h"
#include "common/division_code.h"
#include "domain/evidence.h"
#include "engines/assess/columnar.h"
#include "engines/assess/explain.h"
#include "engines/assess/score.h"
#include "engines/assess/sensitivity.h"
#include "engines/assess/stars.h"
#include "engines/assess/tiers.h"

namespace qiangji::engines::assess {
namespace {

using domain::IndicatorDef;
using domain::IndicatorSet;
using domain::kAssessDimensions;

constexpr size_t kDimensions = std::size(kAssessDimensions);
constexpr size_t kExplainCount = 3;  // gaps and lifts listed per village
constexpr size_t kMaxVillages = 1'000'000;
constexpr std::string_view kCountyName = "全县";

int DimensionIndex(std::string_view key) {
  for (size_t d = 0; d < kDimensions; ++d) {
    if (kAssessDimensions[d] == key) return static_cast<int>(d);
  }
  return -1;
}

Normalisation ParseNormalisation(std::string_view n) {
  if (n == "minmax_data") return Normalisation::kMinMaxData;
  if (n == "target") return Normalisation::kTarget;
  if (n == "zscore") return Normalisation::kZScore;
  return Normalisation::kMinMaxFixed;
}

ScoreOptions OptionsOf(const domain::ScoringDef& s) {
  ScoreOptions o;
  o.method = s.method == "topsis" ? Method::kTopsis : Method::kWeightedSum;
  o.topsis_normalisation = s.topsis_normalisation == "vector" ? TopsisNormalisation::kVector
                                                              : TopsisNormalisation::kMinMax;
  o.fixed_ideals = o.method == Method::kTopsis && s.fixed_ideals;
  return o;
}

StarBands BandsOf(const domain::BandsDef& b) {
  StarBands out;
  out.method = b.method == "quotas" ? BandMethod::kQuotas : BandMethod::kThresholds;
  out.thresholds = b.thresholds;
  out.top_shares = b.top_shares;
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// ---- input checks ------------------------------------------------------------------------

void CheckIsoDate(FieldErrors& errors, const std::string& field, const std::string& value) {
  if (!value.empty() && !Date::Parse(value, field).ok()) {
    errors.Add(field, "must be an ISO date (YYYY-MM-DD)");
  }
}

void CheckQuarters(FieldErrors& errors, const std::string& field,
                   const std::vector<std::string>& quarters) {
  for (size_t q = 0; q < quarters.size(); ++q) {
    const std::string at = fmt::format("{}[{}]", field, q);
    if (auto parsed = domain::ParseQuarter(quarters[q], at); !parsed.ok()) {
      errors.Add(at, parsed.status().field_errors()[0].message);
    }
  }
}

Status ValidateInput(const RunInput& input) {
  FieldErrors errors;
  if (input.year < 2000 || input.year > 2100) errors.Add("year", "must be from 2000 to 2100");
  if (input.villages.empty()) errors.Add("villages", "at least one village is needed");
  if (input.villages.size() > kMaxVillages) {
    errors.Add("villages", fmt::format("at most {} villages", kMaxVillages));
  }
  const size_t measures = MeasureCount();
  std::set<int64_t> codes;
  for (size_t i = 0; i < input.villages.size(); ++i) {
    const VillageInput& v = input.villages[i];
    const std::string at = fmt::format("villages[{}]", i);
    auto code = DivisionCode::FromInt(v.code);
    if (!code.ok() || code->level() != DivisionLevel::kVillage) {
      errors.Add(at + ".code", "must be a 12-digit village-level division code");
    } else if (!codes.insert(v.code).second) {
      errors.Add(at + ".code", fmt::format("village {} appears twice", v.code));
    }
    if (v.township_code != 0 && v.township_code != v.code / 1000 * 1000) {
      errors.Add(at + ".township_code", "must be the village's township (its code's parent)");
    }
    if (v.measures.size() != measures) {
      errors.Add(at + ".measures",
                 fmt::format("{} values given, the catalogue has {}", v.measures.size(), measures));
    } else {
      for (size_t j = 0; j < measures; ++j) {
        if (std::isinf(v.measures[j])) {
          errors.Add(
              fmt::format("{}.measures[{}]", at, j),
              fmt::format("{}: must be a finite number or missing", domain::kMeasures[j].key));
        }
      }
    }
    if (v.previous_score && !(*v.previous_score >= 0 && *v.previous_score <= 100)) {
      errors.Add(at + ".previous_score", "must be a score from 0 to 100");
    }
    if (v.previous_stars && (*v.previous_stars < 1 || *v.previous_stars > 10)) {
      errors.Add(at + ".previous_stars", "must be from 1 to 10");
    }
    const VillageFacts& f = v.facts;
    if (f.secretary_vacancy_months < 0 || f.secretary_vacancy_months > 1200) {
      errors.Add(at + ".facts.secretary_vacancy_months", "must be from 0 to 1200");
    }
    if (f.years_without_target < 0 || f.years_without_target > 100) {
      errors.Add(at + ".facts.years_without_target", "must be from 0 to 100");
    }
    if (f.quarters_rated < 0 || f.quarters_rated > 4) {
      errors.Add(at + ".facts.quarters_rated", "must be from 0 to 4");
    }
    CheckIsoDate(errors, at + ".facts.secretary_vacant_since", f.secretary_vacant_since);
    CheckIsoDate(errors, at + ".facts.term_expiry", f.term_expiry);
    CheckQuarters(errors, at + ".facts.quarters_without_affairs_disclosure",
                  f.quarters_without_affairs_disclosure);
    CheckQuarters(errors, at + ".facts.quarters_without_finance_disclosure",
                  f.quarters_without_finance_disclosure);
  }
  return errors.ToStatus();
}

// ---- weights -----------------------------------------------------------------------------

const domain::AhpMatrixDef* FindMatrix(const IndicatorSet& set, std::string_view name) {
  for (const auto& m : set.weighting.ahp) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

Result<AhpResult> RunAhp(const domain::AhpMatrixDef& def, std::vector<MatrixReport>& reports) {
  PairwiseMatrix pm{def.name, static_cast<int>(def.items.size()), def.a};
  QJ_ASSIGN_OR_RETURN(AhpResult r, Ahp(pm));
  reports.push_back({def.name, def.items, r.weights, r.lambda_max, r.ci, r.ri, r.cr});
  return r;
}

std::vector<double> ManualWeights(const IndicatorSet& set, std::span<const int> dim_of) {
  std::vector<double> w(set.indicators.size());
  for (size_t j = 0; j < w.size(); ++j) {
    w[j] = set.dimensions[dim_of[j]].weight * set.indicators[j].weight;
  }
  return w;
}

// Dimension weights from the "dimensions" matrix times within-dimension weights from each
// dimension's matrix (1 for a dimension's only indicator).
Result<std::vector<double>> AhpWeights(const IndicatorSet& set, std::span<const int> dim_of,
                                       std::vector<MatrixReport>& reports) {
  const size_t k = set.indicators.size();
  const domain::AhpMatrixDef* dims = FindMatrix(set, "dimensions");
  if (dims == nullptr) return Status::InvalidField("weighting.ahp", "no \"dimensions\" matrix");
  QJ_ASSIGN_OR_RETURN(AhpResult top, RunAhp(*dims, reports));
  std::vector<double> dim_weight(kDimensions, 0);
  for (size_t i = 0; i < dims->items.size(); ++i) {
    if (const int d = DimensionIndex(dims->items[i]); d >= 0) dim_weight[d] = top.weights[i];
  }
  std::vector<double> within(k, 1.0);
  for (size_t d = 0; d < kDimensions; ++d) {
    size_t count = 0;
    for (size_t j = 0; j < k; ++j) count += dim_of[j] == static_cast<int>(d);
    if (count < 2) continue;
    const domain::AhpMatrixDef* def = FindMatrix(set, kAssessDimensions[d]);
    if (def == nullptr) {
      return Status::InvalidField(
          "weighting.ahp", fmt::format("no matrix for dimension '{}'", kAssessDimensions[d]));
    }
    QJ_ASSIGN_OR_RETURN(AhpResult r, RunAhp(*def, reports));
    for (size_t i = 0; i < def->items.size(); ++i) {
      for (size_t j = 0; j < k; ++j) {
        if (set.indicators[j].key == def->items[i]) within[j] = r.weights[i];
      }
    }
  }
  std::vector<double> w(k);
  for (size_t j = 0; j < k; ++j) w[j] = dim_weight[dim_of[j]] * within[j];
  return w;
}

// ---- weak-and-lax rules and vetoes -------------------------------------------------------

std::string Number(double v) { return fmt::format("{:g}", v); }

std::string TargetYears(int year, int n) {
  if (n == 1) return fmt::format("{}年述职未提出发展目标", year);
  if (n <= 3) {
    std::vector<std::string> years;
    for (int y = year - n + 1; y <= year; ++y) years.push_back(std::to_string(y));
    return Join(years, "、") + "年述职均未提出发展目标";
  }
  return fmt::format("{}至{}年连续{}年述职均未提出发展目标", year - n + 1, year, n);
}

// The weak-and-lax triggers of one village, each quoting its facts. `last` says whether the
// village holds the run's lowest score, `tied` how many others share it.
std::vector<WeakLaxTrigger> WeakLaxTriggers(const domain::WeakLaxDef& rules, const VillageInput& v,
                                            int year, double score, bool last, size_t tied) {
  std::vector<WeakLaxTrigger> out;
  const VillageFacts& f = v.facts;
  if (rules.secretary_vacant_months > 0 &&
      f.secretary_vacancy_months > rules.secretary_vacant_months) {
    const std::string since =
        f.secretary_vacant_since.empty() ? "" : "自" + f.secretary_vacant_since + "起";
    out.push_back({"secretary_vacant",
                   fmt::format("书记岗位{}空缺{}个月，超过{}个月", since,
                               f.secretary_vacancy_months, rules.secretary_vacant_months)});
  }
  if (rules.no_development_target_years > 0 &&
      f.years_without_target >= rules.no_development_target_years) {
    out.push_back({"no_development_target", TargetYears(year, f.years_without_target)});
  }
  if (last) {
    out.push_back({"last_in_county",
                   tied == 0 ? fmt::format("得分{:.1f}，全县最低", score)
                             : fmt::format("得分{:.1f}，与另{}个村并列全县最低", score, tied)});
  }
  const double satisfaction = v.measures[MeasureIndex("satisfaction_rate")];
  if (rules.satisfaction_below > 0 && !std::isnan(satisfaction) &&
      satisfaction < rules.satisfaction_below) {
    out.push_back({"low_satisfaction", fmt::format("群众满意度{:.1f}%，低于{}%", satisfaction * 100,
                                                   Number(rules.satisfaction_below * 100))});
  }
  const double petitions = v.measures[MeasureIndex("petitions")];
  if (rules.petitions_at_least > 0 && !std::isnan(petitions) &&
      petitions >= rules.petitions_at_least) {
    out.push_back(
        {"concentrated_petitions",
         fmt::format("全年信访{}件，达到{}件", Number(petitions), rules.petitions_at_least)});
  }
  if (rules.not_disclosed) {
    std::vector<std::string> parts;
    if (!f.quarters_without_affairs_disclosure.empty()) {
      parts.push_back(Join(f.quarters_without_affairs_disclosure, "、") + "未公开村务");
    }
    if (!f.quarters_without_finance_disclosure.empty()) {
      parts.push_back(Join(f.quarters_without_finance_disclosure, "、") + "未公开财务");
    }
    if (!parts.empty()) out.push_back({"not_disclosed", Join(parts, "；")});
  }
  return out;
}

std::vector<RuleHit> Vetoes(const IndicatorSet& set, const VillageInput& v,
                            const std::vector<WeakLaxTrigger>& triggers, std::vector<Veto>& fired) {
  std::vector<RuleHit> hits;
  const VillageFacts& f = v.facts;
  for (const domain::VetoDef& def : set.vetoes) {
    std::string evidence;
    if (def.rule == "serious_finding" && !f.serious_findings.empty()) {
      evidence = fmt::format("抽查发现严重问题{}项：{}", f.serious_findings.size(),
                             Join(f.serious_findings, "；"));
    } else if (def.rule == "weak_lax" && !triggers.empty()) {
      std::vector<std::string> parts;
      for (const WeakLaxTrigger& t : triggers) parts.push_back(t.evidence);
      evidence = "软弱涣散：" + Join(parts, "；");
    } else if (def.rule == "term_overdue" && !f.term_expiry.empty()) {
      evidence = fmt::format("班子任期{}届满，逾期未换届", f.term_expiry);
    }
    if (evidence.empty()) continue;
    hits.push_back({def.rule, std::move(evidence)});
    fired.push_back({def.rule, def.max_stars});
  }
  return hits;
}

// ---- explanations ------------------------------------------------------------------------

// Competition ranks and percentiles exactly as Standings (explain.h), in O(n log n).
std::vector<Standing> GroupStandings(std::span<const double> scores) {
  const size_t n = scores.size();
  std::vector<double> sorted(scores.begin(), scores.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<Standing> out(n);
  for (size_t i = 0; i < n; ++i) {
    const auto lower = static_cast<size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), scores[i]) - sorted.begin());
    const auto not_higher = static_cast<size_t>(
        std::upper_bound(sorted.begin(), sorted.end(), scores[i]) - sorted.begin());
    out[i].rank = static_cast<int>(n - not_higher) + 1;
    out[i].percentile = n == 1 ? 100 : 100.0 * static_cast<double>(lower) / (n - 1);
  }
  return out;
}

// The indicator as SmallestLifts should map it back to raw values: a data-based normalisation
// becomes the fixed bounds it amounts to in this run (min-max on [min, max] of the present
// values; z-score on [mean - 3 sd, mean + 3 sd]), so that one village's row suffices.
Indicator LiftIndicator(Indicator ind, const ColumnStats& st) {
  if (ind.normalisation == Normalisation::kMinMaxData) {
    ind.normalisation = Normalisation::kMinMaxFixed;
    ind.lower = st.lo;
    ind.upper = st.hi;
  } else if (ind.normalisation == Normalisation::kZScore) {
    ind.normalisation = Normalisation::kMinMaxFixed;
    ind.lower = st.mean - 3 * st.sd;
    ind.upper = st.mean + 3 * st.sd;
  }
  return ind;
}

// ---- hashes ------------------------------------------------------------------------------

void HashOptional(Fnv1a64& h, const std::optional<double>& v) {
  h.AddU64(v.has_value());
  if (v) h.AddDouble(*v);
}

void HashStrings(Fnv1a64& h, const std::vector<std::string>& v) {
  h.AddU64(v.size());
  for (const std::string& s : v) h.AddString(s);
}

void HashDoubles(Fnv1a64& h, std::span<const double> v) {
  h.AddU64(v.size());
  for (double x : v) h.AddDouble(x);
}

// Every field of the set that changes a result; labels, names and notes do not.
void HashSet(Fnv1a64& h, const IndicatorSet& s) {
  h.AddU64(s.dimensions.size());
  for (const auto& d : s.dimensions) {
    h.AddString(d.key);
    h.AddDouble(d.weight);
  }
  h.AddU64(s.indicators.size());
  for (const IndicatorDef& i : s.indicators) {
    for (const std::string* f :
         {&i.key, &i.measure, &i.dimension, &i.direction, &i.normalisation}) {
      h.AddString(*f);
    }
    h.AddDouble(i.lower);
    h.AddDouble(i.upper);
    h.AddDouble(i.target);
    h.AddDouble(i.weight);
    HashOptional(h, i.missing_value);
  }
  const auto& w = s.weighting;
  h.AddString(w.method);
  h.AddString(w.subjective);
  h.AddDouble(w.alpha);
  h.AddString(w.blend_rule);
  h.AddU64(w.ahp.size());
  for (const auto& m : w.ahp) {
    h.AddString(m.name);
    HashStrings(h, m.items);
    HashDoubles(h, m.a);
  }
  h.AddString(s.scoring.method);
  h.AddString(s.scoring.topsis_normalisation);
  h.AddU64(s.scoring.fixed_ideals);
  h.AddString(s.bands.method);
  HashDoubles(h, s.bands.thresholds);
  HashDoubles(h, s.bands.top_shares);
  h.AddU64(s.vetoes.size());
  for (const auto& v : s.vetoes) {
    h.AddString(v.rule);
    h.AddU64(static_cast<uint64_t>(v.max_stars));
  }
  const auto& wl = s.weak_lax;
  for (int v : {wl.secretary_vacant_months, wl.no_development_target_years, wl.petitions_at_least,
                wl.weak_lax_max_stars, static_cast<int>(wl.last_in_county),
                static_cast<int>(wl.not_disclosed), s.classes.model_min_stars, s.warning.star_drop,
                s.sensitivity.draws}) {
    h.AddU64(static_cast<uint64_t>(v));
  }
  h.AddDouble(wl.satisfaction_below);
  h.AddDouble(s.warning.score_drop);
  h.AddU64(s.sensitivity.seed);
  h.AddDouble(s.sensitivity.spread);
  h.AddDouble(s.sensitivity.stable_threshold);
}

uint64_t InputHash(const RunInput& in) {
  Fnv1a64 h;
  h.AddString("qiangji.assess.run.input.v1");
  HashSet(h, in.set);
  h.AddU64(static_cast<uint64_t>(in.year));
  h.AddU64(in.sensitivity);
  h.AddU64(in.villages.size());
  for (const VillageInput& v : in.villages) {
    h.AddU64(static_cast<uint64_t>(v.code));
    h.AddU64(static_cast<uint64_t>(v.township_code));
    // NaN (missing) hashes by its bits like any value; the pipeline only ever tests isnan.
    // Measures appended to the catalogue after the first 20 (cultivation, issue 6) join the hash
    // only when present, so runs stored before they existed verify with the same input hash.
    constexpr size_t kMeasuresV1 = 20;
    const std::span<const double> all(v.measures);
    HashDoubles(h, all.first(std::min(all.size(), kMeasuresV1)));
    for (size_t k = kMeasuresV1; k < all.size(); ++k) {
      if (std::isnan(all[k])) continue;
      h.AddU64(k);
      h.AddDouble(all[k]);
    }
    const VillageFacts& f = v.facts;
    h.AddString(f.secretary_vacant_since);
    h.AddU64(static_cast<uint64_t>(f.secretary_vacancy_months));
    h.AddU64(static_cast<uint64_t>(f.years_without_target));
    h.AddU64(static_cast<uint64_t>(f.quarters_rated));
    HashStrings(h, f.quarters_without_affairs_disclosure);
    HashStrings(h, f.quarters_without_finance_disclosure);
    HashStrings(h, f.serious_findings);
    h.AddString(f.term_expiry);
    HashOptional(h, v.previous_score);
    h.AddU64(v.previous_stars.has_value());
    if (v.previous_stars) h.AddU64(static_cast<uint64_t>(*v.previous_stars));
  }
  return h.value();
}

uint64_t OutputHash(const RunOutput& out) {
  Fnv1a64 h;
  h.AddString("qiangji.assess.run.output.v1");
  HashDoubles(h, out.weights);
  HashDoubles(h, out.cuts);
  h.AddU64(out.villages.size());
  for (const VillageResult& v : out.villages) {
    h.AddU64(static_cast<uint64_t>(v.code));
    h.AddDouble(v.score);
    h.AddU64(static_cast<uint64_t>(v.band_stars));
    h.AddU64(static_cast<uint64_t>(v.stars));
    h.AddString(v.rating_class);
    HashStrings(h, v.capped_by);
    h.AddU64(v.weak_lax.size());
    for (const RuleHit& r : v.weak_lax) h.AddString(r.rule);
    h.AddU64(v.vetoes.size());
    for (const RuleHit& r : v.vetoes) h.AddString(r.rule);
    h.AddU64(v.warning);
  }
  return h.value();
}

}  // namespace

size_t MeasureCount() { return std::size(domain::kMeasures); }

int MeasureIndex(std::string_view key) {
  for (size_t i = 0; i < std::size(domain::kMeasures); ++i) {
    if (domain::kMeasures[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

Result<AhpCheck> CheckAhpMatrix(const domain::AhpMatrixDef& matrix) {
  if (matrix.items.empty()) return Status::InvalidField("items", "at least one item is needed");
  PairwiseMatrix pm{matrix.name, static_cast<int>(matrix.items.size()), matrix.a};
  QJ_ASSIGN_OR_RETURN(AhpResult r, AhpUnchecked(pm));
  const bool acceptable = r.cr < kMaxConsistencyRatio;
  return AhpCheck{std::move(r), acceptable};
}

Result<RunOutput> RunAssessment(const RunInput& input) {
  const IndicatorSet& set = input.set;
  QJ_RETURN_IF_ERROR(domain::ValidateIndicatorSet(set));
  QJ_RETURN_IF_ERROR(ValidateInput(input));
  const size_t k = set.indicators.size(), m = input.villages.size();
  const ScoreOptions options = OptionsOf(set.scoring);
  const StarBands bands = BandsOf(set.bands);
  const bool weighted_sum = options.method == Method::kWeightedSum;

  // Values, column-major; NaN = missing.
  std::vector<int> dim_of(k);
  ColumnarProblem cp;
  cp.alternatives = m;
  for (size_t j = 0; j < k; ++j) {
    const IndicatorDef& def = set.indicators[j];
    dim_of[j] = DimensionIndex(def.dimension);
    Indicator ind;
    ind.key = def.key;
    ind.direction = def.direction == "cost" ? Direction::kCost : Direction::kBenefit;
    ind.normalisation = ParseNormalisation(def.normalisation);
    ind.lower = def.lower;
    ind.upper = def.upper;
    ind.target = def.target;
    cp.indicators.push_back(std::move(ind));
    cp.missing_values.push_back(def.missing_value);
  }
  std::vector<double> values(m * k);
  for (size_t j = 0; j < k; ++j) {
    const int measure = MeasureIndex(set.indicators[j].measure);
    for (size_t i = 0; i < m; ++i) values[j * m + i] = input.villages[i].measures[measure];
  }
  cp.values = values;
  QJ_RETURN_IF_ERROR(ValidateColumnar(cp, options));
  const PreparedColumns prep = PrepareColumns(cp);
  const std::span<const double> scored = prep.Scored(cp);

  // Weights.
  RunOutput out;
  for (const IndicatorDef& def : set.indicators) out.indicator_keys.push_back(def.key);
  const auto& wt = set.weighting;
  std::vector<double> weights;
  const bool needs_entropy = wt.method == "entropy" || wt.method == "blend";
  if (needs_entropy) out.entropy_weights = ColumnEntropyWeights(m, k, scored);
  if (wt.method == "entropy") {
    weights = out.entropy_weights;
  } else {
    const bool ahp = wt.method == "ahp" || (wt.method == "blend" && wt.subjective == "ahp");
    if (ahp) {
      QJ_ASSIGN_OR_RETURN(weights, AhpWeights(set, dim_of, out.ahp));
    } else {
      weights = ManualWeights(set, dim_of);
    }
    if (wt.method == "blend") {
      QJ_ASSIGN_OR_RETURN(
          weights, BlendWeights(weights, out.entropy_weights, wt.alpha,
                                wt.blend_rule == "multiplicative" ? BlendRule::kMultiplicative
                                                                  : BlendRule::kAdditive));
    }
  }
  // Final weights sum to 1 (AHP weights of a dimension without indicators drop out).
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  if (!(weight_sum > 0)) {
    return Status::FailedPrecondition("every indicator has weight 0: there is nothing to score");
  }
  for (double& w : weights) w /= weight_sum;
  out.weights = weights;
  out.dimension_weights.assign(kDimensions, 0);
  for (size_t j = 0; j < k; ++j) out.dimension_weights[dim_of[j]] += weights[j];
  // The weights the aggregation uses (divided by their sum once more, as score.cc does).
  std::vector<double> unit(weights);
  {
    double sum = 0;
    for (double w : unit) sum += w;
    for (double& w : unit) w /= sum;
  }

  // Scores and bands.
  const std::vector<double> scores = ColumnScores(cp, prep, options, weights);
  QJ_ASSIGN_OR_RETURN(out.cuts, FastBandCuts(scores, bands));
  const int max_stars = MaxStars(bands);

  // Weak-and-lax rules and vetoes, then stars and classes.
  const double lowest = *std::min_element(scores.begin(), scores.end());
  const auto at_lowest = static_cast<size_t>(std::count(scores.begin(), scores.end(), lowest));
  const bool last_applies = set.weak_lax.last_in_county && m > 1 && at_lowest < m;
  std::vector<VillageFlags> flags(m);
  std::vector<std::vector<RuleHit>> veto_hits(m);
  for (size_t i = 0; i < m; ++i) {
    const bool last = last_applies && scores[i] == lowest;
    flags[i].weak_lax = WeakLaxTriggers(set.weak_lax, input.villages[i], input.year, scores[i],
                                        last, at_lowest - 1);
    veto_hits[i] = Vetoes(set, input.villages[i], flags[i].weak_lax, flags[i].vetoes);
  }
  const ClassRules class_rules{set.classes.model_min_stars, set.weak_lax.weak_lax_max_stars};
  QJ_ASSIGN_OR_RETURN(const std::vector<Rating> ratings, Rate(scores, bands, flags, class_rules));

  // Row-major normalised values, for the explanation functions.
  std::vector<double> normalised(m * k);
  for (size_t j = 0; j < k; ++j) {
    for (size_t i = 0; i < m; ++i) normalised[i * k + j] = prep.normalised[j * m + i];
  }

  // Townships, by code.
  std::map<int64_t, std::vector<size_t>> townships;
  for (size_t i = 0; i < m; ++i) {
    const VillageInput& v = input.villages[i];
    townships[v.township_code != 0 ? v.township_code : v.code / 1000 * 1000].push_back(i);
  }

  out.villages.resize(m);
  out.star_counts.assign(max_stars + 1, 0);
  const std::vector<Standing> county = GroupStandings(scores);
  std::vector<Indicator> lift_indicators(k);
  for (size_t j = 0; j < k; ++j) {
    lift_indicators[j] = LiftIndicator(cp.indicators[j], prep.stats[j]);
    lift_indicators[j].weight = weights[j];
  }
  for (const auto& [code, rows] : townships) {
    std::vector<double> group_scores(rows.size()), group_rows(rows.size() * k);
    for (size_t r = 0; r < rows.size(); ++r) {
      group_scores[r] = scores[rows[r]];
      std::copy_n(normalised.begin() + rows[r] * k, k, group_rows.begin() + r * k);
    }
    std::vector<size_t> all(rows.size());
    for (size_t r = 0; r < all.size(); ++r) all[r] = r;
    const std::vector<double> medians = ColumnMedians(group_rows, k, all);
    const std::vector<Standing> standing = GroupStandings(group_scores);
    for (size_t r = 0; r < rows.size(); ++r) {
      const size_t i = rows[r];
      VillageResult& res = out.villages[i];
      res.township_rank = standing[r].rank;
      res.township_percentile = standing[r].percentile;
      const std::span<const double> row(normalised.data() + i * k, k);
      for (const IndicatorGap& g : LargestGaps(row, medians, unit, kExplainCount)) {
        res.gaps.push_back({set.indicators[g.indicator].key, g.gap, g.points});
      }
      res.lines.resize(k);
      for (size_t j = 0; j < k; ++j) res.lines[j].township_median = medians[j];
    }
  }

  for (size_t i = 0; i < m; ++i) {
    const VillageInput& v = input.villages[i];
    const Rating& rating = ratings[i];
    VillageResult& res = out.villages[i];
    res.code = v.code;
    res.score = scores[i];
    res.dimension_scores.assign(kDimensions, 0);
    for (size_t j = 0; j < k; ++j) {
      IndicatorLine& line = res.lines[j];
      const double raw = values[j * m + i];
      line.missing = std::isnan(raw);
      line.value = line.missing && cp.missing_values[j] ? *cp.missing_values[j] : raw;
      line.normalised = normalised[i * k + j];
      const double points = 100 * unit[j] * line.normalised;
      line.contribution = weighted_sum ? points : 0;
      res.dimension_scores[dim_of[j]] += points;
    }
    res.band_stars = rating.band_stars;
    res.stars = rating.stars;
    res.capped_by = rating.capped_by;
    res.rating_class = std::string(RatingClassKey(rating.rating_class));
    for (const WeakLaxTrigger& t : flags[i].weak_lax) res.weak_lax.push_back({t.rule, t.evidence});
    if (rating.stars <= set.weak_lax.weak_lax_max_stars) {
      std::string evidence =
          fmt::format("评定{}星，不高于{}星", rating.stars, set.weak_lax.weak_lax_max_stars);
      if (!rating.capped_by.empty())
        evidence += "（一票否决：" + Join(rating.capped_by, "、") + "）";
      res.weak_lax.push_back({"low_stars", std::move(evidence)});
    }
    res.vetoes = std::move(veto_hits[i]);
    res.county_rank = county[i].rank;
    res.county_percentile = county[i].percentile;

    // The next band above the score's own band, and the single changes that reach it.
    if (rating.band_stars < max_stars) {
      const double cut = out.cuts[rating.band_stars - 1];
      if (std::isfinite(cut)) {
        res.next_star_cut = cut;
        res.points_to_next_star = std::max(0.0, cut - scores[i]);
        if (weighted_sum) {
          Problem one;
          one.indicators = lift_indicators;
          one.alternatives = {"village"};
          one.values.resize(k);
          for (size_t j = 0; j < k; ++j) {
            const Indicator& ind = lift_indicators[j];
            const bool benefit = ind.direction == Direction::kBenefit;
            // A cell missing without a default stands at the scale's worst end.
            one.values[j] = std::isnan(res.lines[j].value) ? (benefit ? ind.lower : ind.upper)
                                                           : res.lines[j].value;
          }
          const std::span<const double> row(normalised.data() + i * k, k);
          std::vector<StarLift> lifts = SmallestLifts(one, row, 0, scores[i], cut);
          for (size_t l = 0; l < lifts.size() && l < kExplainCount; ++l) {
            res.lifts.push_back({set.indicators[lifts[l].indicator].key, lifts[l].value_from,
                                 lifts[l].value_to, lifts[l].normalised_from,
                                 lifts[l].normalised_to});
          }
        }
      }
    }

    if (v.previous_score || v.previous_stars) {
      const WarningRule rule{set.warning.score_drop, set.warning.star_drop};
      const auto w = WarnAgainstPrevious(v.previous_score.value_or(scores[i]),
                                         v.previous_stars.value_or(rating.stars), scores[i],
                                         rating.stars, rule);
      if (w) {
        res.warning = true;
        res.points_lost = w->points_lost;
        res.stars_lost = w->stars_lost;
      }
    }
    ++out.star_counts[rating.stars];
    out.model_count += rating.rating_class == RatingClass::kModel;
    out.weak_lax_count += rating.rating_class == RatingClass::kWeakLax;
    out.warning_count += res.warning;
  }

  // Both ends: the whole run, then each township.
  auto ends = [&](int64_t code, std::string name, const std::vector<size_t>& rows) {
    std::vector<double> s(rows.size());
    std::vector<Rating> r(rows.size());
    for (size_t x = 0; x < rows.size(); ++x) {
      s[x] = scores[rows[x]];
      r[x] = ratings[rows[x]];
    }
    const BothEnds split = SplitBothEnds(s, r, out.cuts);
    GroupEnds g;
    g.code = code;
    g.name = std::move(name);
    for (size_t x : split.top) g.top.push_back(input.villages[rows[x]].code);
    for (size_t x : split.bottom) g.bottom.push_back(input.villages[rows[x]].code);
    for (const MiddleVillage& mv : split.middle) {
      g.middle.push_back({input.villages[rows[mv.index]].code, mv.points_to_next_star});
    }
    out.both_ends.push_back(std::move(g));
  };
  {
    std::vector<size_t> all(m);
    for (size_t i = 0; i < m; ++i) all[i] = i;
    ends(0, std::string(kCountyName), all);
  }
  for (const auto& [code, rows] : townships) {
    ends(code, input.villages[rows.front()].township_name, rows);
  }

  // Sensitivity of the stars to the weights, on the same normalised values.
  if (input.sensitivity) {
    Problem problem;
    problem.indicators = cp.indicators;
    for (size_t j = 0; j < k; ++j) problem.indicators[j].weight = weights[j];
    problem.alternatives.reserve(m);
    for (const VillageInput& v : input.villages)
      problem.alternatives.push_back(std::to_string(v.code));
    problem.values.resize(m * k);
    for (size_t j = 0; j < k; ++j) {
      for (size_t i = 0; i < m; ++i) problem.values[i * k + j] = scored[j * m + i];
    }
    SensitivityOptions so;
    so.seed = set.sensitivity.seed;
    so.draws = set.sensitivity.draws;
    so.spread = set.sensitivity.spread;
    so.stable_threshold = set.sensitivity.stable_threshold;
    QJ_ASSIGN_OR_RETURN(
        const SensitivityResult sens,
        WeightSensitivity(problem, options, normalised, bands, flags, class_rules, so));
    for (size_t i = 0; i < m; ++i) out.villages[i].change_probability = sens.change_probability[i];
    out.stable_share = sens.stable_share;
    out.mean_unchanged_share = sens.mean_unchanged_share;
  }

  out.input_hash = HashHex(InputHash(input));
  out.output_hash = HashHex(OutputHash(out));
  return out;
}

}  // namespace qiangji::engines::assess

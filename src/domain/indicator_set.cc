// Structural checks of an indicator set. Every broken rule becomes one field error named by its
// JSON path ("indicators[3].measure", "weighting.ahp[0].a[2][1]"), so an editor can mark them
// all at once. Consistency ratios are the engine's (engines/assess/pipeline.h): it names the
// matrix and its CR when it rejects one.
#include "domain/indicator_set.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "domain/text.h"

namespace qiangji::domain {
namespace {

constexpr double kWeightTolerance = 1e-6;
constexpr double kReciprocalTolerance = 0.02;  // the same as engines/assess Ahp()
constexpr size_t kMaxIndicators = 200;
constexpr size_t kMaxAhpItems = 15;  // Saaty's random-index table ends at 15
constexpr size_t kMaxBands = 9;      // at most 10 stars

bool IsIndicatorKey(std::string_view key) {
  if (key.empty() || key.size() > 40) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Set keys may also use '-' ("village-default").
bool IsSetKey(std::string_view key) {
  if (key.empty() || key.size() > 60) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

int DimensionIndex(std::string_view key) {
  for (size_t d = 0; d < std::size(kAssessDimensions); ++d) {
    if (kAssessDimensions[d] == key) return static_cast<int>(d);
  }
  return -1;
}

template <typename T>
bool OneOf(std::string_view value, std::initializer_list<T> options) {
  return std::find(options.begin(), options.end(), value) != options.end();
}

bool Finite(double v) { return std::isfinite(v); }

int MaxStarsOf(const BandsDef& b) {
  return 1 + static_cast<int>(b.method == "quotas" ? b.top_shares.size() : b.thresholds.size());
}

void CheckIndicator(FieldErrors& errors, const IndicatorDef& ind, size_t i, bool fixed_ideals) {
  const std::string at = fmt::format("indicators[{}]", i);
  if (!IsIndicatorKey(ind.key)) {
    errors.Add(at + ".key", "must be 1 to 40 characters of a-z, 0-9 and _");
  }
  if (FindMeasure(ind.measure) == nullptr) {
    errors.Add(at + ".measure", fmt::format("unknown measure '{}'", ind.measure));
  }
  if (DimensionIndex(ind.dimension) < 0) {
    errors.Add(at + ".dimension", fmt::format("unknown dimension '{}'", ind.dimension));
  }
  CheckText(errors, at + ".label_zh", ind.label_zh, true, 100);
  CheckText(errors, at + ".label_en", ind.label_en, false, 100);
  CheckText(errors, at + ".unit", ind.unit, false, 20);
  CheckText(errors, at + ".rationale_zh", ind.rationale_zh, false, 1000);
  const bool benefit = ind.direction == "benefit";
  if (!benefit && ind.direction != "cost") {
    errors.Add(at + ".direction", "must be \"benefit\" or \"cost\"");
  }
  const std::string& n = ind.normalisation;
  if (n == "minmax_fixed") {
    if (!Finite(ind.lower) || !Finite(ind.upper) || !(ind.upper > ind.lower)) {
      errors.Add(at + ".upper", "fixed bounds need finite lower < upper");
    }
  } else if (n == "target") {
    if (benefit && !(Finite(ind.lower) && Finite(ind.target) && ind.target > ind.lower)) {
      errors.Add(at + ".target", "a benefit target must lie above the lower bound");
    }
    if (!benefit && !(Finite(ind.upper) && Finite(ind.target) && ind.target < ind.upper)) {
      errors.Add(at + ".target", "a cost target must lie below the upper bound");
    }
  } else if (n != "minmax_data" && n != "zscore") {
    errors.Add(at + ".normalisation",
               "must be \"minmax_fixed\", \"minmax_data\", \"target\" or \"zscore\"");
  }
  if (fixed_ideals && (n == "minmax_data" || n == "zscore")) {
    errors.Add(at + ".normalisation",
               "TOPSIS with fixed reference ideals needs fixed bounds or a target, or scores "
               "would not be comparable between years");
  }
  if (!Finite(ind.weight) || ind.weight < 0 || ind.weight > 1) {
    errors.Add(at + ".weight", "must be a number from 0 to 1");
  }
  if (ind.missing_value && !Finite(*ind.missing_value)) {
    errors.Add(at + ".missing_value", "must be a finite number");
  }
}

// One pairwise matrix: square over its items, positive, unit diagonal, reciprocal.
void CheckMatrix(FieldErrors& errors, const AhpMatrixDef& m, size_t index) {
  const std::string at = fmt::format("weighting.ahp[{}]", index);
  const size_t n = m.items.size();
  if (n == 0 || n > kMaxAhpItems) {
    errors.Add(at + ".items", fmt::format("must list 1 to {} items", kMaxAhpItems));
    return;
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < n; ++i) {
    if (!seen.insert(m.items[i]).second) {
      errors.Add(fmt::format("{}.items[{}]", at, i), fmt::format("'{}' is repeated", m.items[i]));
    }
  }
  if (m.a.size() != n * n) {
    errors.Add(at + ".a",
               fmt::format("{} entries given, a {}x{} matrix needs {}", m.a.size(), n, n, n * n));
    return;
  }
  auto a = [&](size_t i, size_t j) { return m.a[i * n + j]; };
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const std::string field = fmt::format("{}.a[{}][{}]", at, i, j);
      const double v = a(i, j);
      if (!Finite(v) || v <= 0) {
        errors.Add(field, "must be a positive number");
      } else if (i == j && std::fabs(v - 1) > kReciprocalTolerance) {
        errors.Add(field, "the diagonal must be 1");
      } else if (i > j && Finite(a(j, i)) && a(j, i) > 0 &&
                 std::fabs(v * a(j, i) - 1) > kReciprocalTolerance) {
        errors.Add(field,
                   fmt::format("{} is not the reciprocal of a[{}][{}] = {}", v, j, i, a(j, i)));
      }
    }
  }
}

// The matrices AHP needs: "dimensions" over the five dimensions, and one per dimension with two
// or more indicators over exactly its indicators. A matrix for a dimension with one indicator
// is allowed (it can only be [1]); any other name is an error.
void CheckAhpCoverage(FieldErrors& errors, const IndicatorSet& set, bool required) {
  std::vector<std::vector<std::string_view>> by_dimension(std::size(kAssessDimensions));
  for (const IndicatorDef& ind : set.indicators) {
    const int d = DimensionIndex(ind.dimension);
    if (d >= 0) by_dimension[d].push_back(ind.key);
  }
  std::map<std::string_view, size_t> matrices;
  for (size_t m = 0; m < set.weighting.ahp.size(); ++m) {
    const AhpMatrixDef& def = set.weighting.ahp[m];
    const std::string at = fmt::format("weighting.ahp[{}]", m);
    if (!matrices.emplace(def.name, m).second) {
      errors.Add(at + ".name", fmt::format("matrix '{}' is given twice", def.name));
      continue;
    }
    std::vector<std::string_view> expected;
    if (def.name == "dimensions") {
      expected.assign(std::begin(kAssessDimensions), std::end(kAssessDimensions));
    } else if (const int d = DimensionIndex(def.name); d >= 0) {
      expected = by_dimension[d];
      if (expected.empty()) {
        errors.Add(at + ".name", fmt::format("dimension '{}' has no indicators", def.name));
        continue;
      }
    } else {
      errors.Add(at + ".name",
                 fmt::format("'{}' is neither \"dimensions\" nor a dimension key", def.name));
      continue;
    }
    std::vector<std::string_view> given(def.items.begin(), def.items.end());
    std::sort(expected.begin(), expected.end());
    std::sort(given.begin(), given.end());
    if (given != expected) {
      errors.Add(at + ".items",
                 def.name == "dimensions"
                     ? std::string("must list the five dimension keys")
                     : fmt::format("must list exactly the indicators of dimension '{}'", def.name));
    }
  }
  if (!required) return;
  if (!matrices.count("dimensions")) {
    errors.Add("weighting.ahp", "AHP weighting needs a \"dimensions\" matrix");
  }
  for (size_t d = 0; d < by_dimension.size(); ++d) {
    if (by_dimension[d].size() >= 2 && !matrices.count(kAssessDimensions[d])) {
      errors.Add("weighting.ahp", fmt::format("AHP weighting needs a matrix for dimension '{}'",
                                              kAssessDimensions[d]));
    }
  }
}

void CheckRange(FieldErrors& errors, const char* field, double v, double lo, double hi) {
  if (!Finite(v) || v < lo || v > hi) {
    errors.Add(field, fmt::format("must be from {} to {}", lo, hi));
  }
}

}  // namespace

const MeasureInfo* FindMeasure(std::string_view key) {
  for (const MeasureInfo& m : kMeasures) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

Status ValidateIndicatorSet(const IndicatorSet& set) {
  FieldErrors errors;
  if (!IsSetKey(set.key)) errors.Add("key", "must be 1 to 60 characters of a-z, 0-9, _ and -");
  if (set.version < 1) errors.Add("version", "must be at least 1");
  CheckText(errors, "name_zh", set.name_zh, true, 100);
  CheckText(errors, "name_en", set.name_en, false, 100);
  CheckText(errors, "note", set.note, false, 1000);

  const WeightingDef& wt = set.weighting;
  const bool blend = wt.method == "blend";
  if (!OneOf(wt.method, {"manual", "ahp", "entropy", "blend"})) {
    errors.Add("weighting.method", "must be \"manual\", \"ahp\", \"entropy\" or \"blend\"");
  }
  if (blend && !OneOf(wt.subjective, {"manual", "ahp"})) {
    errors.Add("weighting.subjective", "must be \"manual\" or \"ahp\"");
  }
  if (blend) CheckRange(errors, "weighting.alpha", wt.alpha, 0, 1);
  if (blend && !OneOf(wt.blend_rule, {"additive", "multiplicative"})) {
    errors.Add("weighting.blend_rule", "must be \"additive\" or \"multiplicative\"");
  }
  const bool uses_manual = wt.method == "manual" || (blend && wt.subjective == "manual");
  const bool uses_ahp = wt.method == "ahp" || (blend && wt.subjective == "ahp");

  const ScoringDef& sc = set.scoring;
  const bool topsis = sc.method == "topsis";
  if (!topsis && sc.method != "weighted_sum") {
    errors.Add("scoring.method", "must be \"weighted_sum\" or \"topsis\"");
  }
  if (!OneOf(sc.topsis_normalisation, {"minmax", "vector"})) {
    errors.Add("scoring.topsis_normalisation", "must be \"minmax\" or \"vector\"");
  }
  const bool fixed_ideals = topsis && sc.fixed_ideals;
  if (fixed_ideals && sc.topsis_normalisation != "minmax") {
    errors.Add("scoring.fixed_ideals",
               "fixed reference ideals apply to TOPSIS with min-max normalisation");
  }

  // Dimensions: all five, in order.
  if (set.dimensions.size() != std::size(kAssessDimensions)) {
    errors.Add("dimensions", fmt::format("must list the {} dimensions, {} given",
                                         std::size(kAssessDimensions), set.dimensions.size()));
  }
  std::vector<size_t> indicators_in(std::size(kAssessDimensions), 0);
  for (const IndicatorDef& ind : set.indicators) {
    if (const int d = DimensionIndex(ind.dimension); d >= 0) ++indicators_in[d];
  }
  double dimension_sum = 0;
  bool dimension_weights_ok = true;
  for (size_t d = 0; d < set.dimensions.size(); ++d) {
    const DimensionDef& dim = set.dimensions[d];
    const std::string at = fmt::format("dimensions[{}]", d);
    if (d >= std::size(kAssessDimensions) || dim.key != kAssessDimensions[d]) {
      errors.Add(at + ".key", d < std::size(kAssessDimensions)
                                  ? fmt::format("must be '{}' (the five dimensions in order)",
                                                kAssessDimensions[d])
                                  : std::string("there are only five dimensions"));
      dimension_weights_ok = false;
      continue;
    }
    if (!Finite(dim.weight) || dim.weight < 0 || dim.weight > 1) {
      errors.Add(at + ".weight", "must be a number from 0 to 1");
      dimension_weights_ok = false;
      continue;
    }
    dimension_sum += dim.weight;
    if (uses_manual && indicators_in[d] == 0 && dim.weight != 0) {
      errors.Add(at + ".weight", fmt::format("dimension '{}' has no indicators, so its weight "
                                             "must be 0",
                                             dim.key));
    }
  }
  if (uses_manual && dimension_weights_ok &&
      set.dimensions.size() == std::size(kAssessDimensions) &&
      std::fabs(dimension_sum - 1) > kWeightTolerance) {
    errors.Add("dimensions", fmt::format("dimension weights sum to {}, not 1", dimension_sum));
  }

  // Indicators.
  if (set.indicators.empty()) errors.Add("indicators", "at least one indicator is needed");
  if (set.indicators.size() > kMaxIndicators) {
    errors.Add("indicators", fmt::format("at most {} indicators", kMaxIndicators));
  }
  std::set<std::string_view> keys;
  std::vector<double> indicator_sums(std::size(kAssessDimensions), 0);
  bool indicator_weights_ok = true;
  for (size_t i = 0; i < set.indicators.size(); ++i) {
    const IndicatorDef& ind = set.indicators[i];
    CheckIndicator(errors, ind, i, fixed_ideals);
    if (IsIndicatorKey(ind.key) && !keys.insert(ind.key).second) {
      errors.Add(fmt::format("indicators[{}].key", i),
                 fmt::format("indicator '{}' appears twice", ind.key));
    }
    const int d = DimensionIndex(ind.dimension);
    if (!Finite(ind.weight) || ind.weight < 0 || ind.weight > 1 || d < 0) {
      indicator_weights_ok = false;
    } else {
      indicator_sums[d] += ind.weight;
    }
  }
  if (uses_manual && indicator_weights_ok) {
    for (size_t d = 0; d < indicators_in.size(); ++d) {
      if (indicators_in[d] > 0 && std::fabs(indicator_sums[d] - 1) > kWeightTolerance) {
        errors.Add("indicators", fmt::format("weights of the '{}' indicators sum to {}, not 1",
                                             kAssessDimensions[d], indicator_sums[d]));
      }
    }
  }

  // AHP matrices: checked whenever given; required when AHP weights are used.
  for (size_t m = 0; m < wt.ahp.size(); ++m) CheckMatrix(errors, wt.ahp[m], m);
  CheckAhpCoverage(errors, set, uses_ahp);

  // Bands.
  const BandsDef& bands = set.bands;
  if (bands.method == "thresholds") {
    if (bands.thresholds.empty() || bands.thresholds.size() > kMaxBands) {
      errors.Add("bands.thresholds", fmt::format("must list 1 to {} thresholds", kMaxBands));
    }
    for (size_t b = 0; b < bands.thresholds.size(); ++b) {
      const double t = bands.thresholds[b];
      if (!Finite(t) || t < 0 || t > 100) {
        errors.Add(fmt::format("bands.thresholds[{}]", b), "must be a score from 0 to 100");
      } else if (b > 0 && !(t > bands.thresholds[b - 1])) {
        errors.Add("bands.thresholds", "thresholds must rise strictly");
      }
    }
  } else if (bands.method == "quotas") {
    if (bands.top_shares.empty() || bands.top_shares.size() > kMaxBands) {
      errors.Add("bands.top_shares", fmt::format("must list 1 to {} shares", kMaxBands));
    }
    double total = 0;
    for (size_t b = 0; b < bands.top_shares.size(); ++b) {
      const double s = bands.top_shares[b];
      if (!Finite(s) || s <= 0 || s > 1) {
        errors.Add(fmt::format("bands.top_shares[{}]", b), "must be a share in (0, 1]");
      } else {
        total += s;
      }
    }
    if (total > 1 + 1e-9) {
      errors.Add("bands.top_shares", fmt::format("shares add up to {}, over 1", total));
    }
  } else {
    errors.Add("bands.method", "must be \"thresholds\" or \"quotas\"");
  }
  const int max_stars = MaxStarsOf(bands);

  // Vetoes.
  std::set<std::string_view> veto_rules;
  for (size_t v = 0; v < set.vetoes.size(); ++v) {
    const VetoDef& veto = set.vetoes[v];
    const std::string at = fmt::format("vetoes[{}]", v);
    if (!OneOf(veto.rule, {"serious_finding", "weak_lax", "term_overdue"})) {
      errors.Add(at + ".rule", fmt::format("unknown veto rule '{}'", veto.rule));
    } else if (!veto_rules.insert(veto.rule).second) {
      errors.Add(at + ".rule", fmt::format("rule '{}' is listed twice", veto.rule));
    }
    if (veto.max_stars < 1 || veto.max_stars > max_stars) {
      errors.Add(at + ".max_stars", fmt::format("must be from 1 to {}", max_stars));
    }
  }

  // Weak-and-lax criteria, classes, warnings, sensitivity, notice.
  const WeakLaxDef& wl = set.weak_lax;
  CheckRange(errors, "weak_lax.secretary_vacant_months", wl.secretary_vacant_months, 0, 120);
  CheckRange(errors, "weak_lax.no_development_target_years", wl.no_development_target_years, 0, 20);
  CheckRange(errors, "weak_lax.satisfaction_below", wl.satisfaction_below, 0, 1);
  CheckRange(errors, "weak_lax.petitions_at_least", wl.petitions_at_least, 0, 10000);
  CheckRange(errors, "weak_lax.weak_lax_max_stars", wl.weak_lax_max_stars, 0, max_stars);
  CheckRange(errors, "classes.model_min_stars", set.classes.model_min_stars, 1, max_stars);
  if (set.classes.model_min_stars <= wl.weak_lax_max_stars) {
    errors.Add("classes.model_min_stars", "must be above weak_lax.weak_lax_max_stars");
  }
  CheckRange(errors, "warning.score_drop", set.warning.score_drop, 0, 100);
  CheckRange(errors, "warning.star_drop", set.warning.star_drop, 0, max_stars);
  CheckRange(errors, "sensitivity.draws", set.sensitivity.draws, 1, 100000);
  if (!(set.sensitivity.spread >= 0 && set.sensitivity.spread < 1)) {
    errors.Add("sensitivity.spread", "must be at least 0 and below 1");
  }
  CheckRange(errors, "sensitivity.stable_threshold", set.sensitivity.stable_threshold, 0, 1);
  CheckRange(errors, "notice_days", set.notice_days, 0, 30);
  return errors.ToStatus();
}

}  // namespace qiangji::domain

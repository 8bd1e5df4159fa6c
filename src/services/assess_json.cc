// JSON of the assessment (see assess_json.h). Readers are strict: a wrong type is a field error
// naming the JSON path, never a silent 0, and the sections of an indicator set and of a problem
// file reject unknown fields, so that a typo ("wieght") is reported instead of falling back to
// a default. Evidence objects ignore unknown fields like the API's records (a client may echo
// back read-only fields); bulk import checks its columns itself.
#include "services/assess_json.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>

#include "common/division_code.h"
#include "services/internal.h"
#include "services/json_reader.h"
#include "services/record_json.h"

namespace qiangji::services {

namespace {

namespace assess = engines::assess;

// ---- reading ----

// "weighting." + "alpha"; a path of "" names the whole value.
std::string Join(std::string_view prefix, std::string_view key) {
  return std::string(prefix) + std::string(key);
}

// The prefix without its trailing '.', for errors about the object itself ("body" at the top).
std::string Self(std::string_view prefix) {
  if (prefix.empty()) return "body";
  if (prefix.back() == '.') prefix.remove_suffix(1);
  return std::string(prefix);
}

using json_read::AsInt;
using json_read::AsNumber;

// The shared reader (json_reader.h) with the assessment's dates and division codes.
class Reader : public json_read::Reader {
 public:
  using json_read::Reader::GetDate;
  using json_read::Reader::Reader;

  // A date is first a string: a number is "must be a string".
  void GetDate(std::string_view key, Date& out, bool required = false) {
    std::string text;
    const size_t before = errors().errors().size();
    Get(key, text, required);
    if (errors().errors().size() != before || !Find(key)) return;
    Result<Date> d = Date::Parse(text, Path(key));
    if (!d.ok()) return Error(key, fmt::format("\"{}\" must be a date YYYY-MM-DD", text));
    out = *d;
  }
  // A 12-digit division code, as a string (the API's form) or, leniently, an integer.
  void GetCode(std::string_view key, int64_t& out, bool required = false) {
    const json::value* v = Find(key, required);
    if (!v) return;
    std::string text;
    if (v->is_string()) {
      text = std::string(v->get_string());
    } else if (std::optional<int64_t> i = AsInt(*v)) {
      text = std::to_string(*i);
    } else {
      return Error(key, "must be a string of 12 digits");
    }
    if (text.size() != 12) return Error(key, fmt::format("\"{}\" must have 12 digits", text));
    Result<DivisionCode> code = DivisionCode::Parse(text);
    if (!code.ok()) {
      const Status& s = code.status();
      return Error(key, s.field_errors().empty() ? s.message() : s.field_errors()[0].message);
    }
    out = code->value();
  }
};

// Adds a validation status's field errors under `prefix`; other statuses become one error on
// the object itself.
void AddErrors(FieldErrors& errors, const Status& s, std::string_view prefix) {
  if (s.ok()) return;
  if (s.field_errors().empty()) {
    errors.Add(Self(prefix), s.message());
    return;
  }
  for (const FieldError& e : s.field_errors()) errors.Add(Join(prefix, e.field), e.message);
}

Status Prefixed(const Status& s, std::string_view prefix) {
  if (s.ok() || prefix.empty() || s.code() != StatusCode::kInvalidArgument) return s;
  FieldErrors errors;
  AddErrors(errors, s, prefix);
  return errors.ToStatus();
}

// ---- exact parsing ----

// Boost.JSON's DOM handler (boost/json/detail/handler.hpp) with one change: a decimal is read
// from its text with std::from_chars, which gives the nearest double; Boost 1.81 itself may
// land one unit in the last place away, so 0.9199999999999999 would not read back as written.
struct ExactHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();
  using ec_t = boost::system::error_code;

  json::value_stack st;
  std::string number;  // the text of the number being read, when it spans several parts

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t n, ec_t&) {
    st.push_object(n);
    return true;
  }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t n, ec_t&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, ec_t&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, ec_t&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, ec_t&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, ec_t&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, ec_t&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, ec_t&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, ec_t&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, ec_t&) {
    number.append(s.data(), s.size());
    double exact = 0;
    auto [end, err] = std::from_chars(number.data(), number.data() + number.size(), exact);
    st.push_double(err == std::errc() && end == number.data() + number.size() ? exact : d);
    number.clear();
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(ec_t&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, ec_t&) { return true; }
  bool on_comment(json::string_view, ec_t&) { return true; }
};

// ---- writing ----

// NaN and infinities have no JSON form: null.
json::value Num(double d) {
  if (!std::isfinite(d)) return nullptr;
  return d;
}

template <typename T>
json::value OptNum(const std::optional<T>& v) {
  if (!v) return nullptr;
  if constexpr (std::is_floating_point_v<T>) return Num(*v);
  return *v;
}

json::array Numbers(const std::vector<double>& values) {
  json::array a;
  a.reserve(values.size());
  for (double d : values) a.push_back(Num(d));
  return a;
}

template <typename T>
json::array Ints(const std::vector<T>& values) {
  json::array a;
  a.reserve(values.size());
  for (T v : values) a.emplace_back(static_cast<int64_t>(v));
  return a;
}

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  a.reserve(items.size());
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

json::array Codes(const std::vector<int64_t>& codes) {
  json::array a;
  a.reserve(codes.size());
  for (int64_t c : codes) a.push_back(DivisionCodeJson(c));
  return a;
}

// Values keyed by the five dimensions, in their order.
json::object ByDimension(const std::vector<double>& values) {
  json::object o;
  for (size_t i = 0; i < values.size() && i < std::size(domain::kAssessDimensions); ++i)
    o[domain::kAssessDimensions[i]] = Num(values[i]);
  return o;
}

// ---- indicator sets ----

json::object IndicatorDefJson(const domain::IndicatorDef& d) {
  return {{"key", d.key},
          {"measure", d.measure},
          {"dimension", d.dimension},
          {"label_zh", d.label_zh},
          {"label_en", d.label_en},
          {"direction", d.direction},
          {"unit", d.unit},
          {"normalisation", d.normalisation},
          {"lower", Num(d.lower)},
          {"upper", Num(d.upper)},
          {"target", Num(d.target)},
          {"weight", Num(d.weight)},
          {"missing_value", OptNum(d.missing_value)},
          {"rationale_zh", d.rationale_zh}};
}

json::object AhpMatrixJson(const domain::AhpMatrixDef& m) {
  json::array rows;
  const size_t n = m.items.size();
  if (n > 0 && m.a.size() == n * n) {
    for (size_t i = 0; i < n; ++i) {
      json::array row;
      for (size_t j = 0; j < n; ++j) row.push_back(Num(m.a[i * n + j]));
      rows.push_back(std::move(row));
    }
  } else {
    rows.push_back(Numbers(m.a));  // malformed: kept as one row so nothing is lost
  }
  return {{"name", m.name}, {"items", Strings(m.items)}, {"a", std::move(rows)}};
}

// {name, items, a: [[...], ...]}: rows must match the items, one entry per item each.
domain::AhpMatrixDef ParseAhpMatrix(const json::value& v, const std::string& prefix,
                                    FieldErrors& errors) {
  domain::AhpMatrixDef m;
  if (!v.is_object()) {
    errors.Add(Self(prefix), "must be an object {name, items, a}");
    return m;
  }
  Reader r(v.get_object(), prefix, errors);
  r.RejectUnknown({"name", "items", "a"});
  r.Get("name", m.name, true);
  const size_t before_items = errors.errors().size();
  r.Get("items", m.items, true);
  const json::array* rows = r.Array("a", true);
  // The rows are counted against the items: not when the items did not read.
  if (!rows || errors.errors().size() != before_items) return m;
  const size_t n = m.items.size();
  if (rows->size() != n) {
    r.Error("a", fmt::format("must have {} rows, one per item", n));
    return m;
  }
  m.a.reserve(n * n);
  for (size_t i = 0; i < n; ++i) {
    const std::string row_path = fmt::format("{}a[{}]", prefix, i);
    if (!(*rows)[i].is_array() || (*rows)[i].get_array().size() != n) {
      errors.Add(row_path, fmt::format("must be an array of {} numbers", n));
      continue;
    }
    const json::array& row = (*rows)[i].get_array();
    for (size_t j = 0; j < n; ++j) {
      std::optional<double> d = AsNumber(row[j]);
      if (!d || !std::isfinite(*d)) {
        errors.Add(fmt::format("{}[{}]", row_path, j), "must be a finite number");
        d = 0;
      }
      m.a.push_back(*d);
    }
  }
  return m;
}

domain::IndicatorDef ParseIndicator(const json::value& v, const std::string& prefix,
                                    FieldErrors& errors) {
  domain::IndicatorDef d;
  if (!v.is_object()) {
    errors.Add(Self(prefix), "must be an object");
    return d;
  }
  Reader r(v.get_object(), prefix, errors);
  r.RejectUnknown({"key", "measure", "dimension", "label_zh", "label_en", "direction", "unit",
                   "normalisation", "lower", "upper", "target", "weight", "missing_value",
                   "rationale_zh"});
  r.Get("key", d.key, true);
  r.Get("measure", d.measure, true);
  r.Get("dimension", d.dimension, true);
  r.Get("label_zh", d.label_zh, true);
  r.Get("label_en", d.label_en);
  r.Get("direction", d.direction);
  r.Get("unit", d.unit);
  r.Get("normalisation", d.normalisation);
  r.Get("lower", d.lower);
  r.Get("upper", d.upper);
  r.Get("target", d.target);
  r.Get("weight", d.weight);
  r.Get("missing_value", d.missing_value);
  r.Get("rationale_zh", d.rationale_zh);
  if (d.unit.empty()) {
    if (const domain::MeasureInfo* m = domain::FindMeasure(d.measure))
      d.unit = std::string(m->unit);
  }
  return d;
}

// Every field except the storage ones, defaults where absent; no validation.
domain::IndicatorSet ParseSet(const json::value& v, const std::string& prefix,
                              FieldErrors& errors) {
  domain::IndicatorSet set;
  if (!v.is_object()) {
    errors.Add(Self(prefix), "must be a JSON object (an indicator set)");
    return set;
  }
  Reader r(v.get_object(), prefix, errors);
  r.RejectUnknown({"id", "key", "version", "name_zh", "name_en", "note", "dimensions", "indicators",
                   "weighting", "scoring", "bands", "vetoes", "weak_lax", "classes", "warning",
                   "sensitivity", "notice_days", "created_at", "created_by"});
  r.Get("key", set.key, true);
  r.Get("name_zh", set.name_zh, true);
  r.Get("name_en", set.name_en);
  r.Get("note", set.note);
  if (const json::array* dims = r.Array("dimensions", true)) {
    for (size_t i = 0; i < dims->size(); ++i) {
      const std::string p = fmt::format("{}dimensions[{}].", prefix, i);
      domain::DimensionDef d;
      if (!(*dims)[i].is_object()) {
        errors.Add(Self(p), "must be an object {key, weight}");
        continue;
      }
      Reader dr((*dims)[i].get_object(), p, errors);
      dr.RejectUnknown({"key", "weight"});
      dr.Get("key", d.key, true);
      dr.Get("weight", d.weight);
      set.dimensions.push_back(std::move(d));
    }
  }
  if (const json::array* inds = r.Array("indicators", true)) {
    for (size_t i = 0; i < inds->size(); ++i)
      set.indicators.push_back(
          ParseIndicator((*inds)[i], fmt::format("{}indicators[{}].", prefix, i), errors));
  }
  if (const json::object* w = r.Object("weighting")) {
    Reader wr(*w, prefix + "weighting.", errors);
    wr.RejectUnknown({"method", "subjective", "alpha", "blend_rule", "ahp"});
    wr.Get("method", set.weighting.method);
    wr.Get("subjective", set.weighting.subjective);
    wr.Get("alpha", set.weighting.alpha);
    wr.Get("blend_rule", set.weighting.blend_rule);
    if (const json::array* ahp = wr.Array("ahp")) {
      for (size_t i = 0; i < ahp->size(); ++i)
        set.weighting.ahp.push_back(
            ParseAhpMatrix((*ahp)[i], fmt::format("{}weighting.ahp[{}].", prefix, i), errors));
    }
  }
  if (const json::object* s = r.Object("scoring")) {
    Reader sr(*s, prefix + "scoring.", errors);
    sr.RejectUnknown({"method", "topsis_normalisation", "fixed_ideals"});
    sr.Get("method", set.scoring.method);
    sr.Get("topsis_normalisation", set.scoring.topsis_normalisation);
    sr.Get("fixed_ideals", set.scoring.fixed_ideals);
  }
  if (const json::object* b = r.Object("bands")) {
    Reader br(*b, prefix + "bands.", errors);
    br.RejectUnknown({"method", "thresholds", "top_shares"});
    br.Get("method", set.bands.method);
    br.Get("thresholds", set.bands.thresholds);
    br.Get("top_shares", set.bands.top_shares);
  }
  if (const json::array* vetoes = r.Array("vetoes")) {
    for (size_t i = 0; i < vetoes->size(); ++i) {
      const std::string p = fmt::format("{}vetoes[{}].", prefix, i);
      domain::VetoDef veto;
      if (!(*vetoes)[i].is_object()) {
        errors.Add(Self(p), "must be an object {rule, max_stars}");
        continue;
      }
      Reader vr((*vetoes)[i].get_object(), p, errors);
      vr.RejectUnknown({"rule", "max_stars"});
      vr.Get("rule", veto.rule, true);
      vr.Get("max_stars", veto.max_stars);
      set.vetoes.push_back(std::move(veto));
    }
  }
  if (const json::object* wl = r.Object("weak_lax")) {
    Reader lr(*wl, prefix + "weak_lax.", errors);
    lr.RejectUnknown({"secretary_vacant_months", "no_development_target_years", "last_in_county",
                      "satisfaction_below", "petitions_at_least", "not_disclosed",
                      "weak_lax_max_stars"});
    lr.Get("secretary_vacant_months", set.weak_lax.secretary_vacant_months);
    lr.Get("no_development_target_years", set.weak_lax.no_development_target_years);
    lr.Get("last_in_county", set.weak_lax.last_in_county);
    lr.Get("satisfaction_below", set.weak_lax.satisfaction_below);
    lr.Get("petitions_at_least", set.weak_lax.petitions_at_least);
    lr.Get("not_disclosed", set.weak_lax.not_disclosed);
    lr.Get("weak_lax_max_stars", set.weak_lax.weak_lax_max_stars);
  }
  if (const json::object* c = r.Object("classes")) {
    Reader cr(*c, prefix + "classes.", errors);
    cr.RejectUnknown({"model_min_stars"});
    cr.Get("model_min_stars", set.classes.model_min_stars);
  }
  if (const json::object* w = r.Object("warning")) {
    Reader wr(*w, prefix + "warning.", errors);
    wr.RejectUnknown({"score_drop", "star_drop"});
    wr.Get("score_drop", set.warning.score_drop);
    wr.Get("star_drop", set.warning.star_drop);
  }
  if (const json::object* s = r.Object("sensitivity")) {
    Reader sr(*s, prefix + "sensitivity.", errors);
    sr.RejectUnknown({"seed", "draws", "spread", "stable_threshold"});
    sr.Get("seed", set.sensitivity.seed);
    sr.Get("draws", set.sensitivity.draws);
    sr.Get("spread", set.sensitivity.spread);
    sr.Get("stable_threshold", set.sensitivity.stable_threshold);
  }
  r.Get("notice_days", set.notice_days);
  return set;
}

Result<domain::IndicatorSet> ParseAndValidateSet(const json::value& v, const std::string& prefix) {
  FieldErrors errors;
  domain::IndicatorSet set = ParseSet(v, prefix, errors);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_RETURN_IF_ERROR(Prefixed(domain::ValidateIndicatorSet(set), prefix));
  return set;
}

// ---- results ----

json::object MatrixReportJson(const assess::MatrixReport& m) {
  return {{"name", m.name},
          {"items", Strings(m.items)},
          {"weights", Numbers(m.weights)},
          {"lambda_max", Num(m.lambda_max)},
          {"ci", Num(m.ci)},
          {"ri", Num(m.ri)},
          {"cr", Num(m.cr)}};
}

json::array RuleHitsJson(const std::vector<assess::RuleHit>& hits) {
  json::array a;
  for (const auto& h : hits) a.push_back(json::object{{"rule", h.rule}, {"evidence", h.evidence}});
  return a;
}

// `keys` (the set's indicator keys, in line order) names each line when given.
json::object VillageResultJsonImpl(const assess::VillageResult& r, bool detail,
                                   const std::vector<std::string>* keys) {
  json::object o{{"code", DivisionCodeJson(r.code)},
                 {"score", Num(r.score)},
                 {"dimension_scores", ByDimension(r.dimension_scores)},
                 {"band_stars", r.band_stars},
                 {"stars", r.stars},
                 {"capped_by", Strings(r.capped_by)},
                 {"rating_class", r.rating_class},
                 {"weak_lax", RuleHitsJson(r.weak_lax)},
                 {"vetoes", RuleHitsJson(r.vetoes)},
                 {"county_rank", r.county_rank},
                 {"county_percentile", Num(r.county_percentile)},
                 {"township_rank", r.township_rank},
                 {"township_percentile", Num(r.township_percentile)},
                 {"next_star_cut", OptNum(r.next_star_cut)},
                 {"points_to_next_star", Num(r.points_to_next_star)},
                 {"warning", r.warning},
                 {"points_lost", Num(r.points_lost)},
                 {"stars_lost", r.stars_lost},
                 {"change_probability", Num(r.change_probability)}};
  if (!detail) return o;
  json::array lines;
  for (size_t i = 0; i < r.lines.size(); ++i) {
    const assess::IndicatorLine& l = r.lines[i];
    json::object line;
    if (keys && i < keys->size()) line["indicator"] = (*keys)[i];
    line["value"] = Num(l.value);
    line["missing"] = l.missing;
    line["normalised"] = Num(l.normalised);
    line["contribution"] = Num(l.contribution);
    line["township_median"] = Num(l.township_median);
    lines.push_back(std::move(line));
  }
  json::array gaps;
  for (const auto& g : r.gaps)
    gaps.push_back(
        json::object{{"indicator", g.indicator}, {"gap", Num(g.gap)}, {"points", Num(g.points)}});
  json::array lifts;
  for (const auto& l : r.lifts)
    lifts.push_back(json::object{{"indicator", l.indicator},
                                 {"value_from", Num(l.value_from)},
                                 {"value_to", Num(l.value_to)},
                                 {"normalised_from", Num(l.normalised_from)},
                                 {"normalised_to", Num(l.normalised_to)}});
  o["lines"] = std::move(lines);
  o["gaps"] = std::move(gaps);
  o["lifts"] = std::move(lifts);
  return o;
}

json::object RunVillageJsonImpl(const RunVillage& v, bool detail,
                                const std::vector<std::string>* keys) {
  json::object result = VillageResultJsonImpl(v.result, detail, keys);
  json::object o{{"code", DivisionCodeJson(v.result.code)},
                 {"name", v.name},
                 {"township_code", DivisionCodeJson(v.township_code)},
                 {"township_name", v.township_name}};
  for (auto& kv : result) {
    if (kv.key() != "code") o[kv.key()] = std::move(kv.value());
  }
  if (v.run_id != 0) {
    o["year"] = v.year;
    o["run_id"] = v.run_id;
  }
  return o;
}

json::object FactsJson(const assess::VillageFacts& f) {
  return {{"secretary_vacant_since", f.secretary_vacant_since},
          {"secretary_vacancy_months", f.secretary_vacancy_months},
          {"years_without_target", f.years_without_target},
          {"quarters_rated", f.quarters_rated},
          {"quarters_without_affairs_disclosure", Strings(f.quarters_without_affairs_disclosure)},
          {"quarters_without_finance_disclosure", Strings(f.quarters_without_finance_disclosure)},
          {"serious_findings", Strings(f.serious_findings)},
          {"term_expiry", f.term_expiry}};
}

assess::VillageFacts ParseFacts(const json::object& o, const std::string& prefix,
                                FieldErrors& errors) {
  assess::VillageFacts f;
  Reader r(o, prefix, errors);
  r.RejectUnknown({"secretary_vacant_since", "secretary_vacancy_months", "years_without_target",
                   "quarters_rated", "quarters_without_affairs_disclosure",
                   "quarters_without_finance_disclosure", "serious_findings", "term_expiry"});
  r.Get("secretary_vacant_since", f.secretary_vacant_since);
  r.Get("secretary_vacancy_months", f.secretary_vacancy_months);
  r.Get("years_without_target", f.years_without_target);
  r.Get("quarters_rated", f.quarters_rated);
  r.Get("quarters_without_affairs_disclosure", f.quarters_without_affairs_disclosure);
  r.Get("quarters_without_finance_disclosure", f.quarters_without_finance_disclosure);
  r.Get("serious_findings", f.serious_findings);
  r.Get("term_expiry", f.term_expiry);
  return f;
}

// Dimension labels for the catalogue (docs/glossary.md).
struct Label {
  std::string_view key, zh, en;
};
constexpr Label kDimensionLabels[] = {
    {"team_operation", "班子运行", "Team operation"},
    {"capability", "工作能力", "Capability"},
    {"morale", "精神状态", "Morale"},
    {"public_response", "群众反映", "Public response"},
    {"conflicts", "矛盾问题", "Conflicts and problems"},
};
constexpr Label kSourceLabels[] = {
    {"periodic_rating", "定期评星", "Periodic rating"},
    {"spot_check", "随机抽查", "Spot check"},
    {"duty_report", "年度述职评议", "Annual duty report"},
    {"satisfaction_survey", "群众满意度测评", "Satisfaction survey"},
    {"records", "基础数据（自动计算）", "Records (computed)"},
};

json::array LabelsJson(std::span<const Label> labels) {
  json::array a;
  for (const Label& l : labels)
    a.push_back(json::object{{"key", l.key}, {"label_zh", l.zh}, {"label_en", l.en}});
  return a;
}

json::array Vocabulary(std::initializer_list<std::string_view> words) {
  json::array a;
  for (std::string_view w : words) a.emplace_back(w);
  return a;
}

}  // namespace

Result<json::value> ParseJsonExact(std::string_view text, std::string_view field) {
  json::parse_options options;
  options.max_depth = 64;
  json::basic_parser<ExactHandler> parser(options);
  parser.handler().st.reset();
  boost::system::error_code ec;
  const size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && text.find_first_not_of(" \t\r\n", consumed) != std::string_view::npos)
    ec = json::error::extra_data;
  if (ec)
    return Status::InvalidField(
        std::string(field), fmt::format("malformed JSON at byte {}: {}", consumed, ec.message()));
  return parser.handler().st.release();
}

// ---- indicator sets ----

Result<domain::IndicatorSet> IndicatorSetFromJson(const json::value& v) {
  return ParseAndValidateSet(v, "");
}

namespace internal {
Result<domain::IndicatorSet> IndicatorSetFromJsonUnchecked(const json::value& v) {
  FieldErrors errors;
  domain::IndicatorSet set = ParseSet(v, "", errors);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return set;
}
}  // namespace internal

json::object IndicatorSetJson(const domain::IndicatorSet& set) {
  json::array dimensions;
  for (const auto& d : set.dimensions)
    dimensions.push_back(json::object{{"key", d.key}, {"weight", Num(d.weight)}});
  json::array indicators;
  for (const auto& d : set.indicators) indicators.push_back(IndicatorDefJson(d));
  json::array ahp;
  for (const auto& m : set.weighting.ahp) ahp.push_back(AhpMatrixJson(m));
  json::array vetoes;
  for (const auto& v : set.vetoes)
    vetoes.push_back(json::object{{"rule", v.rule}, {"max_stars", v.max_stars}});
  const domain::WeakLaxDef& wl = set.weak_lax;
  return {
      {"id", set.id},
      {"key", set.key},
      {"version", set.version},
      {"name_zh", set.name_zh},
      {"name_en", set.name_en},
      {"note", set.note},
      {"dimensions", std::move(dimensions)},
      {"indicators", std::move(indicators)},
      {"weighting", json::object{{"method", set.weighting.method},
                                 {"subjective", set.weighting.subjective},
                                 {"alpha", Num(set.weighting.alpha)},
                                 {"blend_rule", set.weighting.blend_rule},
                                 {"ahp", std::move(ahp)}}},
      {"scoring", json::object{{"method", set.scoring.method},
                               {"topsis_normalisation", set.scoring.topsis_normalisation},
                               {"fixed_ideals", set.scoring.fixed_ideals}}},
      {"bands", json::object{{"method", set.bands.method},
                             {"thresholds", Numbers(set.bands.thresholds)},
                             {"top_shares", Numbers(set.bands.top_shares)}}},
      {"vetoes", std::move(vetoes)},
      {"weak_lax", json::object{{"secretary_vacant_months", wl.secretary_vacant_months},
                                {"no_development_target_years", wl.no_development_target_years},
                                {"last_in_county", wl.last_in_county},
                                {"satisfaction_below", Num(wl.satisfaction_below)},
                                {"petitions_at_least", wl.petitions_at_least},
                                {"not_disclosed", wl.not_disclosed},
                                {"weak_lax_max_stars", wl.weak_lax_max_stars}}},
      {"classes", json::object{{"model_min_stars", set.classes.model_min_stars}}},
      {"warning", json::object{{"score_drop", Num(set.warning.score_drop)},
                               {"star_drop", set.warning.star_drop}}},
      {"sensitivity", json::object{{"seed", set.sensitivity.seed},
                                   {"draws", set.sensitivity.draws},
                                   {"spread", Num(set.sensitivity.spread)},
                                   {"stable_threshold", Num(set.sensitivity.stable_threshold)}}},
      {"notice_days", set.notice_days},
      {"created_at", TextOrNull(set.created_at)},
      {"created_by", TextOrNull(set.created_by)},
  };
}

json::object IndicatorSetSummaryJson(const IndicatorSetSummary& s) {
  return {{"id", s.id},
          {"key", s.key},
          {"version", s.version},
          {"name_zh", s.name_zh},
          {"name_en", s.name_en},
          {"note", s.note},
          {"created_at", TextOrNull(s.created_at)},
          {"created_by", TextOrNull(s.created_by)},
          {"indicator_count", s.indicator_count},
          {"latest", s.latest},
          {"run_count", s.run_count}};
}

Result<domain::AhpMatrixDef> AhpMatrixFromJson(const json::value& v) {
  FieldErrors errors;
  domain::AhpMatrixDef m = ParseAhpMatrix(v, "", errors);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return m;
}

json::object AhpCheckJson(const assess::AhpCheck& check) {
  const assess::AhpResult& r = check.result;
  return {{"weights", Numbers(r.weights)},
          {"lambda_max", Num(r.lambda_max)},
          {"ci", Num(r.ci)},
          {"ri", Num(r.ri)},
          {"cr", Num(r.cr)},
          {"iterations", r.iterations},
          {"acceptable", check.acceptable},
          {"max_cr", assess::kMaxConsistencyRatio}};
}

json::object MeasureCatalogueJson() {
  json::array measures;
  for (const domain::MeasureInfo& m : domain::kMeasures)
    measures.push_back(json::object{{"key", m.key},
                                    {"source", m.source},
                                    {"unit", m.unit},
                                    {"label_zh", m.label_zh},
                                    {"label_en", m.label_en}});
  json::array categories;
  for (std::string_view c : domain::kFindingCategories) categories.emplace_back(c);
  json::array severities;
  for (std::string_view s : domain::kFindingSeverities) severities.emplace_back(s);
  return {{"dimensions", LabelsJson(kDimensionLabels)},
          {"sources", LabelsJson(kSourceLabels)},
          {"measures", std::move(measures)},
          {"directions", Vocabulary({"benefit", "cost"})},
          {"normalisations", Vocabulary({"minmax_fixed", "minmax_data", "target", "zscore"})},
          {"weighting_methods", Vocabulary({"manual", "ahp", "entropy", "blend"})},
          {"blend_rules", Vocabulary({"additive", "multiplicative"})},
          {"scoring_methods", Vocabulary({"weighted_sum", "topsis"})},
          {"topsis_normalisations", Vocabulary({"minmax", "vector"})},
          {"band_methods", Vocabulary({"thresholds", "quotas"})},
          {"veto_rules", Vocabulary({"serious_finding", "weak_lax", "term_overdue"})},
          {"finding_categories", std::move(categories)},
          {"severities", std::move(severities)},
          {"max_cr", assess::kMaxConsistencyRatio}};
}

// ---- evidence ----

Result<domain::PeriodicRating> PeriodicRatingFromJson(const json::object& o,
                                                      std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  domain::PeriodicRating p;
  r.GetCode("division_code", p.division_code, true);
  r.Get("period", p.period, true);
  r.Get("score", p.score, true);
  r.Get("meetings_held", p.meetings_held);
  r.Get("affairs_disclosures", p.affairs_disclosures);
  r.Get("finance_disclosed", p.finance_disclosed);
  r.Get("petitions", p.petitions);
  r.Get("note", p.note);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return p;
}

json::object PeriodicRatingJson(const domain::PeriodicRating& r) {
  return {{"division_code", DivisionCodeJson(r.division_code)},
          {"period", r.period},
          {"score", Num(r.score)},
          {"meetings_held", r.meetings_held},
          {"affairs_disclosures", r.affairs_disclosures},
          {"finance_disclosed", r.finance_disclosed},
          {"petitions", r.petitions},
          {"note", r.note},
          {"updated_at", TextOrNull(r.updated_at)}};
}

Result<domain::SpotCheck> SpotCheckFromJson(const json::object& o, std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  domain::SpotCheck c;
  r.Get("id", c.id);
  r.GetCode("division_code", c.division_code, true);
  r.GetDate("check_date", c.check_date, true);
  r.Get("category", c.category);
  r.Get("severity", c.severity, true);
  r.Get("finding", c.finding, true);
  r.Get("rectified", c.rectified);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return c;
}

json::object SpotCheckJson(const domain::SpotCheck& c) {
  return {{"id", c.id},
          {"division_code", DivisionCodeJson(c.division_code)},
          {"check_date", c.check_date.ToString()},
          {"category", c.category},
          {"severity", c.severity},
          {"finding", c.finding},
          {"rectified", c.rectified},
          {"updated_at", TextOrNull(c.updated_at)}};
}

Result<domain::DutyReport> DutyReportFromJson(const json::object& o,
                                              std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  domain::DutyReport d;
  r.GetCode("division_code", d.division_code, true);
  r.Get("year", d.year, true);
  r.Get("excellent", d.excellent);
  r.Get("competent", d.competent);
  r.Get("basic", d.basic);
  r.Get("incompetent", d.incompetent);
  r.Get("development_target", d.development_target);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return d;
}

json::object DutyReportJson(const domain::DutyReport& r) {
  return {{"division_code", DivisionCodeJson(r.division_code)},
          {"year", r.year},
          {"excellent", r.excellent},
          {"competent", r.competent},
          {"basic", r.basic},
          {"incompetent", r.incompetent},
          {"development_target", r.development_target},
          {"updated_at", TextOrNull(r.updated_at)}};
}

Result<domain::SatisfactionSurvey> SurveyFromJson(const json::object& o,
                                                  std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  domain::SatisfactionSurvey s;
  r.GetCode("division_code", s.division_code, true);
  r.Get("year", s.year, true);
  r.Get("responses", s.responses, true);
  r.Get("satisfied", s.satisfied, true);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return s;
}

json::object SurveyJson(const domain::SatisfactionSurvey& s) {
  return {{"division_code", DivisionCodeJson(s.division_code)},
          {"year", s.year},
          {"responses", s.responses},
          {"satisfied", s.satisfied},
          {"rate", Num(s.Rate())},
          {"updated_at", TextOrNull(s.updated_at)}};
}

json::object ImportReportJson(const ImportReport& r) {
  return {{"kind", r.kind}, {"rows", r.rows}, {"inserted", r.inserted}, {"updated", r.updated}};
}

// ---- runs and results ----

json::object RunSummaryJson(const RunSummary& r) {
  json::value params = nullptr;
  if (!r.params_json.empty()) {
    Result<json::value> parsed = ParseJsonExact(r.params_json);
    if (parsed.ok()) params = std::move(*parsed);
  }
  return {{"id", r.id},
          {"scope", r.scope},
          {"scope_name", r.scope_name},
          {"year", r.year},
          {"indicator_set_id", r.indicator_set_id},
          {"indicator_set_key", r.indicator_set_key},
          {"indicator_set_version", r.indicator_set_version},
          {"method", r.method},
          {"weighting", r.weighting},
          {"params", std::move(params)},
          {"input_hash", r.input_hash},
          {"output_hash", r.output_hash},
          {"status", r.status},
          {"created_at", TextOrNull(r.created_at)},
          {"created_by", TextOrNull(r.created_by)},
          {"published_at", TextOrNull(r.published_at)},
          {"notice_until", TextOrNull(r.notice_until)},
          {"finalized_at", TextOrNull(r.finalized_at)},
          {"village_count", r.village_count},
          {"star_counts", Ints(r.star_counts)},
          {"model_count", r.model_count},
          {"weak_lax_count", r.weak_lax_count},
          {"warning_count", r.warning_count},
          {"stable_share", Num(r.stable_share)},
          {"open_appeals", r.open_appeals}};
}

json::object RunVillageJson(const RunVillage& v, bool detail) {
  return RunVillageJsonImpl(v, detail, nullptr);
}

json::object RunExplanationJson(const RunExplanation& e) {
  std::vector<std::string> keys;
  json::array indicators;
  for (const auto& d : e.indicators) {
    keys.push_back(d.key);
    indicators.push_back(IndicatorDefJson(d));
  }
  json::array history;
  for (const auto& h : e.history) history.push_back(RunVillageJsonImpl(h, false, nullptr));
  return {{"run", RunSummaryJson(e.run)},
          {"village", RunVillageJsonImpl(e.village, true, &keys)},
          {"indicators", std::move(indicators)},
          {"weights", Numbers(e.weights)},
          {"history", std::move(history)}};
}

namespace {
json::object GroupEndsJson(const assess::GroupEnds& g) {
  json::array middle;
  for (const auto& m : g.middle)
    middle.push_back(json::object{{"code", DivisionCodeJson(m.code)},
                                  {"points_to_next_star", Num(m.points_to_next_star)}});
  return {{"code", DivisionCodeJson(g.code)},
          {"name", g.name},
          {"top", Codes(g.top)},
          {"bottom", Codes(g.bottom)},
          {"middle", std::move(middle)}};
}
}  // namespace

json::object BothEndsJson(const BothEndsReport& r) {
  json::array groups;
  for (const auto& g : r.groups) groups.push_back(GroupEndsJson(g));
  json::object names;
  for (const auto& [code, name] : r.names) names[fmt::format("{:012d}", code)] = name;
  return {
      {"run", RunSummaryJson(r.run)}, {"groups", std::move(groups)}, {"names", std::move(names)}};
}

json::object TrendPointJson(const TrendPoint& p) {
  return {{"year", p.year},
          {"run_id", p.run_id},
          {"status", p.status},
          {"star_counts", Ints(p.star_counts)},
          {"model_count", p.model_count},
          {"weak_lax_count", p.weak_lax_count},
          {"mean_score", Num(p.mean_score)}};
}

json::object AppealJson(const Appeal& a) {
  return {{"id", a.id},
          {"run_id", a.run_id},
          {"division_code", DivisionCodeJson(a.division_code)},
          {"village_name", a.village_name},
          {"reason", a.reason},
          {"status", a.status},
          {"decision", TextOrNull(a.decision)},
          {"lodged_by", a.lodged_by},
          {"lodged_at", TextOrNull(a.lodged_at)},
          {"decided_by", TextOrNull(a.decided_by)},
          {"decided_at", TextOrNull(a.decided_at)}};
}

// ---- engine level ----

Result<assess::VillageInput> VillageInputFromJson(const json::value& v,
                                                  std::string_view field_prefix) {
  const std::string prefix(field_prefix);
  if (!v.is_object()) return Status::InvalidField(Self(prefix), "must be an object");
  FieldErrors errors;
  Reader r(v.get_object(), prefix, errors);
  r.RejectUnknown({"code", "name", "township_code", "township_name", "measures", "facts",
                   "previous_score", "previous_stars"});
  assess::VillageInput in;
  r.GetCode("code", in.code, true);
  r.Get("name", in.name);
  r.GetCode("township_code", in.township_code);
  r.Get("township_name", in.township_name);
  if (in.code != 0) {
    auto code = DivisionCode::FromInt(in.code);
    if (code.ok() && code->level() != DivisionLevel::kVillage)
      r.Error("code", fmt::format("{:012d} is not a village-level code", in.code));
    // The township is the village's parent: the first nine digits.
    if (in.township_code == 0) in.township_code = in.code / 1000 * 1000;
  }
  in.measures.assign(assess::MeasureCount(), std::numeric_limits<double>::quiet_NaN());
  if (const json::object* m = r.Object("measures")) {
    for (const auto& kv : *m) {
      const std::string path = fmt::format("{}measures.{}", prefix, std::string_view(kv.key()));
      const int index = assess::MeasureIndex(kv.key());
      if (index < 0) {
        errors.Add(path, "unknown measure (see the measure catalogue)");
        continue;
      }
      if (kv.value().is_null()) continue;  // missing, as if absent
      std::optional<double> d = AsNumber(kv.value());
      if (!d || !std::isfinite(*d)) {
        errors.Add(path, "must be a finite number or null");
        continue;
      }
      in.measures[index] = *d;
    }
  }
  if (const json::object* f = r.Object("facts"))
    in.facts = ParseFacts(*f, prefix + "facts.", errors);
  r.Get("previous_score", in.previous_score);
  r.Get("previous_stars", in.previous_stars);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return in;
}

json::object VillageInputJson(const assess::VillageInput& in) {
  json::object measures;
  for (size_t i = 0; i < in.measures.size() && i < std::size(domain::kMeasures); ++i) {
    if (std::isfinite(in.measures[i])) measures[domain::kMeasures[i].key] = in.measures[i];
  }
  return {{"code", DivisionCodeJson(in.code)},
          {"name", in.name},
          {"township_code", DivisionCodeJson(in.township_code)},
          {"township_name", in.township_name},
          {"measures", std::move(measures)},
          {"facts", FactsJson(in.facts)},
          {"previous_score", OptNum(in.previous_score)},
          {"previous_stars", OptNum(in.previous_stars)}};
}

json::object VillageResultJson(const assess::VillageResult& r, bool detail) {
  return VillageResultJsonImpl(r, detail, nullptr);
}

json::object RunOutputJson(const assess::RunOutput& out) {
  json::array ahp;
  for (const auto& m : out.ahp) ahp.push_back(MatrixReportJson(m));
  json::array villages;
  villages.reserve(out.villages.size());
  for (const auto& v : out.villages)
    villages.push_back(VillageResultJsonImpl(v, true, &out.indicator_keys));
  json::array ends;
  for (const auto& g : out.both_ends) ends.push_back(GroupEndsJson(g));
  return {{"indicator_keys", Strings(out.indicator_keys)},
          {"weights", Numbers(out.weights)},
          {"dimension_weights", ByDimension(out.dimension_weights)},
          {"ahp", std::move(ahp)},
          {"entropy_weights", Numbers(out.entropy_weights)},
          {"cuts", Numbers(out.cuts)},
          {"star_counts", Ints(out.star_counts)},
          {"model_count", out.model_count},
          {"weak_lax_count", out.weak_lax_count},
          {"warning_count", out.warning_count},
          {"stable_share", Num(out.stable_share)},
          {"mean_unchanged_share", Num(out.mean_unchanged_share)},
          {"input_hash", out.input_hash},
          {"output_hash", out.output_hash},
          {"both_ends", std::move(ends)},
          {"villages", std::move(villages)}};
}

// ---- the problem file ----

Result<assess::RunInput> ProblemFromJson(const json::value& v) {
  if (!v.is_object())
    return Status::InvalidField("body", "must be a JSON object {indicator_set, year, villages}");
  FieldErrors errors;
  Reader r(v.get_object(), "", errors);
  r.RejectUnknown({"indicator_set", "year", "sensitivity", "villages"});
  assess::RunInput in;
  // The set inline, or the name of the shipped default.
  if (const json::value* set = r.Find("indicator_set", true)) {
    if (set->is_string()) {
      Result<domain::IndicatorSet> def = DefaultIndicatorSet();
      if (!def.ok()) return def.status();
      if (set->get_string() != def->key)
        r.Error("indicator_set",
                fmt::format("must be an indicator set object or \"{}\"", def->key));
      else
        in.set = std::move(*def);
    } else {
      const size_t before = errors.errors().size();
      domain::IndicatorSet parsed = ParseSet(*set, "indicator_set.", errors);
      if (errors.errors().size() == before)
        AddErrors(errors, domain::ValidateIndicatorSet(parsed), "indicator_set.");
      in.set = std::move(parsed);
    }
  }
  const size_t before_year = errors.errors().size();
  r.Get("year", in.year, true);
  if (errors.errors().size() == before_year && (in.year < 2000 || in.year > 2100))
    r.Error("year", "must be between 2000 and 2100");
  r.Get("sensitivity", in.sensitivity);
  if (const json::array* villages = r.Array("villages", true)) {
    if (villages->empty()) r.Error("villages", "must hold at least one village");
    std::unordered_map<int64_t, size_t> seen;
    for (size_t i = 0; i < villages->size(); ++i) {
      const std::string prefix = fmt::format("villages[{}].", i);
      Result<assess::VillageInput> village = VillageInputFromJson((*villages)[i], prefix);
      if (!village.ok()) {
        AddErrors(errors, village.status(), "");
        continue;
      }
      auto [it, fresh] = seen.emplace(village->code, i);
      if (!fresh) errors.Add(prefix + "code", fmt::format("duplicates villages[{}]", it->second));
      in.villages.push_back(std::move(*village));
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return in;
}

json::object ProblemJson(const assess::RunInput& in) {
  json::array villages;
  villages.reserve(in.villages.size());
  for (const auto& v : in.villages) villages.push_back(VillageInputJson(v));
  json::object set = IndicatorSetJson(in.set);
  // Storage fields mean nothing in a standalone file.
  set.erase("id");
  set.erase("created_at");
  set.erase("created_by");
  return {{"indicator_set", std::move(set)},
          {"year", in.year},
          {"sensitivity", in.sensitivity},
          {"villages", std::move(villages)}};
}

}  // namespace qiangji::services

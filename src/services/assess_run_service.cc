// Assessment runs: gather the measures of a scope's villages (assess_measures.cc), run the
// pipeline, store the run with its input snapshot and hashes, then publish it for the public
// notice (公示), take appeals during the notice, and make it final once the notice is over and
// every appeal is decided.
//
// Visibility: a run is visible to a caller whose scope overlaps the run's scope; its results,
// appeals, both-ends lists and trend are cut to the caller's scope (a township sees its own
// villages of a county run). Changing a run (start, publish, finalize, delete, decide an appeal)
// takes county staff or an administrator whose scope covers the whole run.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "engines/assess/pipeline.h"
#include "services/assess.h"
#include "services/assess_internal.h"
#include "services/assess_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace internal {
namespace {

namespace assess = engines::assess;

constexpr std::string_view kDefaultSetKey = "village-default";
constexpr size_t kMaxTextChars = 2000;  // appeal reasons and decisions

// ---- JSON helpers for what this file stores itself (summary, params) and reads back ----------

json::value Num(double x) { return std::isfinite(x) ? json::value(x) : json::value(nullptr); }

double NumOf(const json::value* v) {
  if (v == nullptr || v->is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::numeric_limits<double>::quiet_NaN();
}
double NumOr(const json::object& o, std::string_view key, double fallback = 0) {
  const double x = NumOf(o.if_contains(key));
  return std::isnan(x) ? fallback : x;
}
int64_t IntOf(const json::value* v) {
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  if (v->is_string()) {  // division codes are written as 12-digit strings
    int64_t x = 0;
    for (char c : v->get_string()) {
      if (c < '0' || c > '9') return 0;
      x = x * 10 + (c - '0');
    }
    return x;
  }
  return 0;
}
int64_t IntOr(const json::object& o, std::string_view key) { return IntOf(o.if_contains(key)); }
std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
bool BoolOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}
const json::array& ArrayOf(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? v->get_array() : kEmpty;
}
std::vector<double> Doubles(const json::object& o, std::string_view key) {
  std::vector<double> out;
  for (const auto& x : ArrayOf(o, key)) out.push_back(NumOf(&x));
  return out;
}
std::vector<int64_t> Ints(const json::object& o, std::string_view key) {
  std::vector<int64_t> out;
  for (const auto& x : ArrayOf(o, key)) out.push_back(IntOf(&x));
  return out;
}
template <typename T>
json::array ArrayJson(const std::vector<T>& items) {
  json::array a;
  for (const auto& x : items) {
    if constexpr (std::is_floating_point_v<T>) {
      a.push_back(Num(x));
    } else {
      a.emplace_back(x);
    }
  }
  return a;
}
json::object ParseObject(std::string_view text) {
  Result<json::value> v = ParseJsonExact(text);
  return v.ok() && v->is_object() ? v->get_object() : json::object();
}

// A stored result (VillageResultJson with detail) back into the engine's struct.
assess::VillageResult VillageResultFromStored(const json::object& o) {
  assess::VillageResult r;
  r.code = IntOr(o, "code");
  r.score = NumOr(o, "score");
  // An object keyed by dimension, in kAssessDimensions order (an array is read as it stands).
  if (const json::value* dims = o.if_contains("dimension_scores"); dims && dims->is_object()) {
    for (std::string_view key : domain::kAssessDimensions)
      r.dimension_scores.push_back(NumOf(dims->get_object().if_contains(key)));
  } else {
    r.dimension_scores = Doubles(o, "dimension_scores");
  }
  for (const auto& v : ArrayOf(o, "lines")) {
    if (!v.is_object()) continue;
    const json::object& l = v.get_object();
    assess::IndicatorLine line;
    line.value = NumOf(l.if_contains("value"));
    line.missing = BoolOf(l, "missing");
    line.normalised = NumOr(l, "normalised");
    line.contribution = NumOr(l, "contribution");
    line.township_median = NumOr(l, "township_median");
    r.lines.push_back(line);
  }
  r.band_stars = static_cast<int>(IntOr(o, "band_stars"));
  r.stars = static_cast<int>(IntOr(o, "stars"));
  for (const auto& v : ArrayOf(o, "capped_by"))
    if (v.is_string()) r.capped_by.emplace_back(v.get_string());
  r.rating_class = TextOf(o, "rating_class");
  auto hits = [&](std::string_view key) {
    std::vector<assess::RuleHit> out;
    for (const auto& v : ArrayOf(o, key)) {
      if (!v.is_object()) continue;
      out.push_back({TextOf(v.get_object(), "rule"), TextOf(v.get_object(), "evidence")});
    }
    return out;
  };
  r.weak_lax = hits("weak_lax");
  r.vetoes = hits("vetoes");
  r.county_rank = static_cast<int>(IntOr(o, "county_rank"));
  r.county_percentile = NumOr(o, "county_percentile");
  r.township_rank = static_cast<int>(IntOr(o, "township_rank"));
  r.township_percentile = NumOr(o, "township_percentile");
  for (const auto& v : ArrayOf(o, "gaps")) {
    if (!v.is_object()) continue;
    const json::object& g = v.get_object();
    r.gaps.push_back({TextOf(g, "indicator"), NumOr(g, "gap"), NumOr(g, "points")});
  }
  for (const auto& v : ArrayOf(o, "lifts")) {
    if (!v.is_object()) continue;
    const json::object& l = v.get_object();
    r.lifts.push_back({TextOf(l, "indicator"), NumOr(l, "value_from"), NumOr(l, "value_to"),
                       NumOr(l, "normalised_from"), NumOr(l, "normalised_to")});
  }
  const double cut = NumOf(o.if_contains("next_star_cut"));
  if (!std::isnan(cut)) r.next_star_cut = cut;
  r.points_to_next_star = NumOr(o, "points_to_next_star");
  r.warning = BoolOf(o, "warning");
  r.points_lost = NumOr(o, "points_lost");
  r.stars_lost = static_cast<int>(IntOr(o, "stars_lost"));
  r.change_probability = NumOr(o, "change_probability");
  return r;
}

// What a run keeps of the engine's output besides the per-village rows.
json::object SummaryJson(const assess::RunOutput& out) {
  json::array ahp;
  for (const auto& m : out.ahp) {
    ahp.push_back(json::object{{"name", m.name},
                               {"items", ArrayJson(m.items)},
                               {"weights", ArrayJson(m.weights)},
                               {"lambda_max", Num(m.lambda_max)},
                               {"ci", Num(m.ci)},
                               {"ri", Num(m.ri)},
                               {"cr", Num(m.cr)}});
  }
  json::array ends;
  for (const auto& g : out.both_ends) {
    json::array middle;
    for (const auto& m : g.middle)
      middle.push_back(
          json::object{{"code", m.code}, {"points_to_next_star", Num(m.points_to_next_star)}});
    ends.push_back(json::object{{"code", g.code},
                                {"name", g.name},
                                {"top", ArrayJson(g.top)},
                                {"bottom", ArrayJson(g.bottom)},
                                {"middle", std::move(middle)}});
  }
  return {{"star_counts", ArrayJson(out.star_counts)},
          {"model_count", out.model_count},
          {"weak_lax_count", out.weak_lax_count},
          {"warning_count", out.warning_count},
          {"stable_share", Num(out.stable_share)},
          {"mean_unchanged_share", Num(out.mean_unchanged_share)},
          {"indicator_keys", ArrayJson(out.indicator_keys)},
          {"weights", ArrayJson(out.weights)},
          {"dimension_weights", ArrayJson(out.dimension_weights)},
          {"entropy_weights", ArrayJson(out.entropy_weights)},
          {"ahp", std::move(ahp)},
          {"cuts", ArrayJson(out.cuts)},
          {"both_ends", std::move(ends)}};
}

std::vector<assess::GroupEnds> BothEndsFromSummary(const json::object& summary) {
  std::vector<assess::GroupEnds> out;
  for (const auto& v : ArrayOf(summary, "both_ends")) {
    if (!v.is_object()) continue;
    const json::object& g = v.get_object();
    assess::GroupEnds e;
    e.code = IntOr(g, "code");
    e.name = TextOf(g, "name");
    e.top = Ints(g, "top");
    e.bottom = Ints(g, "bottom");
    for (const auto& m : ArrayOf(g, "middle")) {
      if (!m.is_object()) continue;
      e.middle.push_back(
          {IntOr(m.get_object(), "code"), NumOr(m.get_object(), "points_to_next_star")});
    }
    out.push_back(std::move(e));
  }
  return out;
}

// The set's weighting, scoring, bands and rules as used, plus what this run added.
json::object ParamsJson(const domain::IndicatorSet& set, bool sensitivity, const Date& reference) {
  json::object whole = IndicatorSetJson(set);
  json::object params;
  for (std::string_view key : {"weighting", "scoring", "bands", "vetoes", "weak_lax", "classes",
                               "warning", "sensitivity", "notice_days"}) {
    if (const json::value* v = whole.if_contains(key)) params[key] = *v;
  }
  params["sensitivity_run"] = sensitivity;
  params["reference_date"] = reference.ToString();
  return params;
}

// A stored input snapshot back into the run's input, with the stored set's identity (which the
// problem-file JSON does not carry).
Result<assess::RunInput> InputFromSnapshot(std::string_view snapshot,
                                           const domain::IndicatorSet& set) {
  Result<json::value> parsed = ParseJsonExact(snapshot, "input_snapshot");
  if (!parsed.ok()) return Status::Internal("the run's input snapshot is not JSON");
  auto input = ProblemFromJson(*parsed);
  if (!input.ok())
    return Status::Internal(
        fmt::format("the run's input snapshot does not load: {}", input.status().ToString()));
  input->set.id = set.id;
  input->set.key = set.key;
  input->set.version = set.version;
  input->set.name_zh = set.name_zh;
  input->set.name_en = set.name_en;
  input->set.note = set.note;
  input->set.created_at = set.created_at;
  input->set.created_by = set.created_by;
  return input;
}

// ---- rows -----------------------------------------------------------------------------------

struct RunRow {
  RunSummary summary;
  DivisionRange range;
  json::object summary_json;
};

constexpr std::string_view kRunSelect =
    "SELECT r.id, r.scope, r.scope_lo, r.scope_hi, r.year, r.indicator_set_id,"
    " COALESCE(i.key, ''), COALESCE(i.version, 0), r.method, r.weighting, r.params,"
    " r.input_hash, r.output_hash, r.status, r.created_at, r.created_by, r.published_at,"
    " r.notice_until, r.finalized_at, r.village_count, r.summary, COALESCE(d.name, ''),"
    " (SELECT COUNT(*) FROM assess_appeal a WHERE a.run_id = r.id AND a.status = 'pending'"
    " AND a.division_code BETWEEN ? AND ?)"
    " FROM assess_run r LEFT JOIN indicator_set i ON i.id = r.indicator_set_id"
    " LEFT JOIN division d ON d.code = r.scope_lo";

RunRow RunFromRow(const Row& r) {
  RunRow out;
  RunSummary& s = out.summary;
  s.id = r.Int(0);
  s.scope = r.Text(1);
  out.range = DivisionRange{r.Int(2), r.Int(3)};
  s.year = static_cast<int>(r.Int(4));
  s.indicator_set_id = r.Int(5);
  s.indicator_set_key = r.Text(6);
  s.indicator_set_version = static_cast<int>(r.Int(7));
  s.method = r.Text(8);
  s.weighting = r.Text(9);
  s.params_json = r.Text(10);
  s.input_hash = r.Text(11);
  s.output_hash = r.Text(12);
  s.status = r.Text(13);
  s.created_at = r.Text(14);
  s.created_by = r.Text(15);
  s.published_at = r.Text(16);
  s.notice_until = r.Text(17);
  s.finalized_at = r.Text(18);
  s.village_count = r.Int(19);
  out.summary_json = ParseObject(r.Text(20));
  s.scope_name = r.Text(21);
  s.open_appeals = r.Int(22);
  s.star_counts = Ints(out.summary_json, "star_counts");
  s.model_count = IntOr(out.summary_json, "model_count");
  s.weak_lax_count = IntOr(out.summary_json, "weak_lax_count");
  s.warning_count = IntOr(out.summary_json, "warning_count");
  s.stable_share = NumOr(out.summary_json, "stable_share", 1);
  return out;
}

bool Overlaps(const DivisionRange& a, const DivisionRange& b) { return !a.Intersect(b).empty(); }

// A run the caller may see: its scope overlaps the caller's. NotFound otherwise, like a
// missing one.
Result<RunRow> LoadRun(Database& db, const Caller& caller, int64_t run_id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kRunSelect) + " WHERE r.id = ?",
                               {Value(caller.scope.lo), Value(caller.scope.hi), Value(run_id)}));
  if (rows.empty()) return Status::NotFound(fmt::format("run {} not found", run_id));
  RunRow run = RunFromRow(rows[0]);
  if (!Overlaps(run.range, caller.scope))
    return Status::NotFound(fmt::format("run {} not found", run_id));
  return run;
}

Status RequireCounty(const Caller& caller, std::string_view what) {
  if (caller.role == domain::Role::kCounty || caller.role == domain::Role::kAdmin)
    return Status::Ok();
  return Status::PermissionDenied(
      fmt::format("only county staff or an administrator may {}", what));
}

// A run the caller may change: visible, and wholly inside the caller's scope.
Result<RunRow> LoadRunForChange(Database& db, const Caller& caller, int64_t run_id,
                                std::string_view what) {
  QJ_RETURN_IF_ERROR(RequireCounty(caller, what));
  QJ_ASSIGN_OR_RETURN(RunRow run, LoadRun(db, caller, run_id));
  if (!caller.scope.Covers(run.range))
    return Status::PermissionDenied(fmt::format("run {} covers {} ({}), beyond your scope", run_id,
                                                run.summary.scope_name, run.summary.scope));
  return run;
}

json::object RunAuditJson(const RunSummary& s) {
  return {{"id", s.id},
          {"scope", s.scope},
          {"year", s.year},
          {"indicator_set_id", s.indicator_set_id},
          {"status", s.status},
          {"input_hash", s.input_hash},
          {"output_hash", s.output_hash},
          {"village_count", s.village_count},
          {"notice_until", TextOrNull(s.notice_until)}};
}

Status AuditRun(Database& db, const Caller& caller, std::string action, const RunRow& run,
                std::optional<json::object> before, std::optional<json::object> after) {
  AuditRecord a;
  a.action = std::move(action);
  a.object = fmt::format("assess_run/{}", run.summary.id);
  a.division_code = run.range.lo;
  a.before = std::move(before);
  a.after = std::move(after);
  return WriteAudit(db, caller, a);
}

// UTF-8 characters, not bytes.
size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Trim(std::string s) {
  const auto space = [](unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  while (!s.empty() && space(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  return s.substr(i);
}

Status CheckText(std::string_view field, const std::string& text) {
  if (text.empty()) return Status::InvalidField(std::string(field), "is required");
  if (CharCount(text) > kMaxTextChars)
    return Status::InvalidField(std::string(field),
                                fmt::format("must be at most {} characters", kMaxTextChars));
  return Status::Ok();
}

// ---- appeals --------------------------------------------------------------------------------

constexpr std::string_view kAppealSelect =
    "SELECT a.id, a.run_id, a.division_code, COALESCE(d.name, ''), a.reason, a.status,"
    " a.decision, a.lodged_by, a.lodged_at, a.decided_by, a.decided_at"
    " FROM assess_appeal a LEFT JOIN division d ON d.code = a.division_code";

Appeal AppealFromRow(const Row& r) {
  Appeal a;
  a.id = r.Int(0);
  a.run_id = r.Int(1);
  a.division_code = r.Int(2);
  a.village_name = r.Text(3);
  a.reason = r.Text(4);
  a.status = r.Text(5);
  a.decision = r.Text(6);
  a.lodged_by = r.Text(7);
  a.lodged_at = r.Text(8);
  a.decided_by = r.Text(9);
  a.decided_at = r.Text(10);
  return a;
}

Result<Appeal> LoadAppeal(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kAppealSelect) + " WHERE a.id = ?", {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(2)))
    return Status::NotFound(fmt::format("appeal {} not found", id));
  return AppealFromRow(rows[0]);
}

json::object AppealAuditJson(const Appeal& a) {
  return {{"id", a.id},
          {"run_id", a.run_id},
          {"division_code", DivisionCodeJson(a.division_code)},
          {"status", a.status},
          {"reason", a.reason},
          {"decision", TextOrNull(a.decision)}};
}

// ---- results --------------------------------------------------------------------------------

constexpr std::string_view kResultFrom =
    " FROM assess_result a JOIN division d ON d.code = a.division_code"
    " LEFT JOIN division t ON t.code = a.township_code";

RunVillage VillageFromRow(const Row& r) {
  RunVillage v;
  v.result = VillageResultFromStored(ParseObject(r.Text(0)));
  v.name = r.Text(1);
  v.township_code = r.Int(2);
  v.township_name = r.Text(3);
  return v;
}

constexpr std::string_view kResultSelect =
    "SELECT a.detail, d.name, a.township_code, COALESCE(t.name, '')";

}  // namespace

Clock SystemClock() { return {Date::TodayInChina(), NowUtc()}; }

Clock ClockAt(const Date& day) { return {day, fmt::format("{}T01:00:00Z", day.ToString())}; }

Result<RunSummary> StartRun(Database& db, const Caller& caller, const RunRequest& request,
                            const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireCounty(caller, "start an assessment run"));
  FieldErrors errors;
  if (request.year < 2000 || request.year > 2100) {
    errors.Add("year", "must be 2000..2100");
  } else if (request.year > clock.today.year()) {
    errors.Add("year", fmt::format("{} is in the future", request.year));
  }
  DivisionRange range;
  if (request.scope.empty()) {
    errors.Add("scope", "is required: the county's 6 digits, or a wider prefix");
  } else if (auto parsed = ParseScopePrefix(request.scope); !parsed.ok()) {
    errors.Add("scope", parsed.status().field_errors().empty()
                            ? parsed.status().message()
                            : parsed.status().field_errors()[0].message);
  } else if (request.scope.size() > 6) {
    errors.Add("scope",
               "a run covers a county (6 digits) or a wider area, not a township or village");
  } else {
    range = *parsed;
  }
  if (request.indicator_set_id < 0)
    errors.Add("indicator_set_id", "must be 0 (the default) or a set id");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  const std::string what = fmt::format("division {} not found", request.scope);
  if (!caller.scope.Covers(range)) return Status::NotFound(what);

  std::optional<RunSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto found,
                        db.Query("SELECT 1 FROM division WHERE code = ?", {Value(range.lo)}));
    if (found.empty()) return Status::NotFound(what);

    domain::IndicatorSet set;
    if (request.indicator_set_id == 0) {
      auto latest = LoadLatestIndicatorSet(db, kDefaultSetKey);
      if (!latest.ok() && latest.status().code() == StatusCode::kNotFound) {
        QJ_RETURN_IF_ERROR(EnsureDefaultIndicatorSet(db));
        latest = LoadLatestIndicatorSet(db, kDefaultSetKey);
      }
      QJ_ASSIGN_OR_RETURN(set, std::move(latest));
    } else {
      auto loaded = LoadIndicatorSet(db, request.indicator_set_id);
      if (!loaded.ok() && loaded.status().code() == StatusCode::kNotFound)
        return Status::InvalidField("indicator_set_id",
                                    fmt::format("no indicator set {}", request.indicator_set_id));
      QJ_ASSIGN_OR_RETURN(set, std::move(loaded));
    }

    Date reference = *Date::FromYmd(request.year, 12, 31);
    if (clock.today < reference) reference = clock.today;
    assess::RunInput gathered;
    gathered.set = set;
    gathered.year = request.year;
    gathered.sensitivity = request.sensitivity;
    QJ_ASSIGN_OR_RETURN(gathered.villages,
                        GatherVillageInputs(db, range, request.year, clock.today));
    if (gathered.villages.empty())
      return Status::FailedPrecondition(
          fmt::format("no village under {} has a Party organization, posts or evidence for {}",
                      request.scope, request.year));
    // The run is computed from its own snapshot exactly as Verify (and `assess solve` on an
    // exported snapshot) will read it back, so the stored hashes reproduce by construction.
    // ParseJsonExact reads every double back bit for bit (Boost.JSON 1.81's own parser may be
    // one unit in the last place off).
    const std::string snapshot = json::serialize(ProblemJson(gathered));
    QJ_ASSIGN_OR_RETURN(assess::RunInput input, InputFromSnapshot(snapshot, set));
    QJ_ASSIGN_OR_RETURN(assess::RunOutput output, assess::RunAssessment(input));

    const json::object summary = SummaryJson(output);
    QJ_ASSIGN_OR_RETURN(
        auto inserted,
        db.Query(
            "INSERT INTO assess_run (scope, scope_lo, scope_hi, year, indicator_set_id,"
            " method, weighting, params, input_hash, output_hash, status, reference_date,"
            " created_at, created_by, village_count, summary, input_snapshot)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?) RETURNING id",
            {Value(request.scope), Value(range.lo), Value(range.hi), Value(int64_t{request.year}),
             Value(set.id), Value(set.scoring.method), Value(set.weighting.method),
             Value(json::serialize(ParamsJson(set, request.sensitivity, reference))),
             Value(output.input_hash), Value(output.output_hash), Value(reference.ToString()),
             Value(clock.now), Value(caller.username),
             Value(static_cast<int64_t>(output.villages.size())), Value(json::serialize(summary)),
             Value(snapshot)}));
    const int64_t run_id = inserted.at(0).Int(0);

    QJ_ASSIGN_OR_RETURN(
        auto insert,
        db.Prepare("INSERT INTO assess_result (run_id, division_code, score, stars, band_stars,"
                   " rating_class, warning, change_probability, county_rank, township_code,"
                   " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (size_t i = 0; i < output.villages.size(); ++i) {
      const assess::VillageResult& r = output.villages[i];
      const Value row[] = {Value(run_id),
                           Value(r.code),
                           Value(r.score),
                           Value(int64_t{r.stars}),
                           Value(int64_t{r.band_stars}),
                           Value(r.rating_class),
                           Value(int64_t{r.warning ? 1 : 0}),
                           Value(r.change_probability),
                           Value(int64_t{r.county_rank}),
                           Value(input.villages[i].township_code),
                           Value(json::serialize(VillageResultJson(r, true)))};
      QJ_RETURN_IF_ERROR(insert->Execute(row).status());
    }
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRun(db, caller, run_id));
    QJ_RETURN_IF_ERROR(
        AuditRun(db, caller, "assess_run.start", run, std::nullopt, RunAuditJson(run.summary)));
    out = std::move(run.summary);
    return Status::Ok();
  }));
  return *out;
}

Result<RunSummary> PublishRun(Database& db, const Caller& caller, int64_t run_id,
                              const Clock& clock) {
  std::optional<RunSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRunForChange(db, caller, run_id, "publish a run"));
    if (run.summary.status != "draft")
      return Status::FailedPrecondition(fmt::format(
          "run {} is {}, not a draft; only a draft can be published", run_id, run.summary.status));
    const json::object params = ParseObject(run.summary.params_json);
    const int64_t notice_days = IntOr(params, "notice_days");
    const std::string until = clock.today.AddDays(notice_days).ToString();
    QJ_RETURN_IF_ERROR(db.Execute("UPDATE assess_run SET status = 'published', published_at = ?,"
                                  " notice_until = ? WHERE id = ?",
                                  {Value(clock.now), Value(until), Value(run_id)})
                           .status());
    QJ_ASSIGN_OR_RETURN(RunRow after, LoadRun(db, caller, run_id));
    QJ_RETURN_IF_ERROR(AuditRun(db, caller, "assess_run.publish", after, RunAuditJson(run.summary),
                                RunAuditJson(after.summary)));
    out = std::move(after.summary);
    return Status::Ok();
  }));
  return *out;
}

Result<RunSummary> FinalizeRun(Database& db, const Caller& caller, int64_t run_id,
                               const Clock& clock) {
  std::optional<RunSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRunForChange(db, caller, run_id, "finalize a run"));
    if (run.summary.status != "published")
      return Status::FailedPrecondition(fmt::format(
          "run {} is {}; only a published run can be made final", run_id, run.summary.status));
    std::vector<std::string> missing;
    if (clock.today.ToString() <= run.summary.notice_until)
      missing.push_back(fmt::format("the public notice runs until {}", run.summary.notice_until));
    QJ_ASSIGN_OR_RETURN(Row pending,
                        db.QueryOne("SELECT COUNT(*) FROM assess_appeal WHERE run_id = ? AND"
                                    " status = 'pending'",
                                    {Value(run_id)}, "count"));
    if (pending.Int(0) > 0)
      missing.push_back(fmt::format("{} appeal(s) are still pending a decision", pending.Int(0)));
    if (!missing.empty()) {
      std::string reasons;
      for (const auto& m : missing) reasons += (reasons.empty() ? "" : "; ") + m;
      return Status::FailedPrecondition(
          fmt::format("run {} cannot be made final yet: {}", run_id, reasons));
    }
    QJ_RETURN_IF_ERROR(db.Execute("UPDATE assess_run SET status = 'final', finalized_at = ?"
                                  " WHERE id = ?",
                                  {Value(clock.now), Value(run_id)})
                           .status());
    QJ_ASSIGN_OR_RETURN(RunRow after, LoadRun(db, caller, run_id));
    QJ_RETURN_IF_ERROR(AuditRun(db, caller, "assess_run.finalize", after, RunAuditJson(run.summary),
                                RunAuditJson(after.summary)));
    out = std::move(after.summary);
    return Status::Ok();
  }));
  return *out;
}

Result<Appeal> LodgeRunAppeal(Database& db, const Caller& caller, int64_t run_id,
                              int64_t village_code, std::string reason, const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  const std::string village = fmt::format("village {:012d}", village_code);
  if (!caller.InScope(village_code)) return Status::NotFound(village + " not found");
  reason = Trim(std::move(reason));
  QJ_RETURN_IF_ERROR(CheckText("reason", reason));
  std::optional<Appeal> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRun(db, caller, run_id));
    QJ_ASSIGN_OR_RETURN(auto result, db.Query("SELECT 1 FROM assess_result WHERE run_id = ? AND"
                                              " division_code = ?",
                                              {Value(run_id), Value(village_code)}));
    if (result.empty())
      return Status::NotFound(fmt::format("{} has no result in run {}", village, run_id));
    if (run.summary.status != "published")
      return Status::FailedPrecondition(
          fmt::format("run {} is {}: appeals are taken only while a run is on public notice",
                      run_id, run.summary.status));
    if (clock.today.ToString() > run.summary.notice_until)
      return Status::FailedPrecondition(
          fmt::format("the public notice of run {} ended on {}; appeals are no longer taken",
                      run_id, run.summary.notice_until));
    QJ_ASSIGN_OR_RETURN(auto pending, db.Query("SELECT id FROM assess_appeal WHERE run_id = ? AND"
                                               " division_code = ? AND status = 'pending'",
                                               {Value(run_id), Value(village_code)}));
    if (!pending.empty())
      return Status::AlreadyExists(
          fmt::format("{} already has a pending appeal (appeal {}) against run {}", village,
                      pending[0].Int(0), run_id));
    QJ_ASSIGN_OR_RETURN(
        auto inserted,
        db.Query("INSERT INTO assess_appeal (run_id, division_code, reason, status, lodged_by,"
                 " lodged_at) VALUES (?, ?, ?, 'pending', ?, ?) RETURNING id",
                 {Value(run_id), Value(village_code), Value(reason), Value(caller.username),
                  Value(clock.now)}));
    QJ_ASSIGN_OR_RETURN(out, LoadAppeal(db, caller, inserted.at(0).Int(0)));
    AuditRecord a;
    a.action = "assess_appeal.lodge";
    a.object = fmt::format("assess_appeal/{}", out->id);
    a.division_code = village_code;
    a.after = AppealAuditJson(*out);
    return WriteAudit(db, caller, a);
  }));
  return *out;
}

Result<Appeal> DecideRunAppeal(Database& db, const Caller& caller, int64_t appeal_id,
                               std::string_view status, std::string decision, const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireCounty(caller, "decide an appeal"));
  FieldErrors errors;
  if (status != "upheld" && status != "rejected")
    errors.Add("status", "must be \"upheld\" or \"rejected\"");
  decision = Trim(std::move(decision));
  if (Status st = CheckText("decision", decision); !st.ok())
    errors.Add("decision", st.field_errors()[0].message);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  std::optional<Appeal> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Appeal before, LoadAppeal(db, caller, appeal_id));
    QJ_RETURN_IF_ERROR(LoadRun(db, caller, before.run_id).status());
    if (before.status != "pending")
      return Status::FailedPrecondition(
          fmt::format("appeal {} was already decided ({})", appeal_id, before.status));
    QJ_RETURN_IF_ERROR(db.Execute("UPDATE assess_appeal SET status = ?, decision = ?,"
                                  " decided_by = ?, decided_at = ? WHERE id = ?",
                                  {Value(std::string(status)), Value(decision),
                                   Value(caller.username), Value(clock.now), Value(appeal_id)})
                           .status());
    QJ_ASSIGN_OR_RETURN(out, LoadAppeal(db, caller, appeal_id));
    AuditRecord a;
    a.action = "assess_appeal.decide";
    a.object = fmt::format("assess_appeal/{}", appeal_id);
    a.division_code = before.division_code;
    a.before = AppealAuditJson(before);
    a.after = AppealAuditJson(*out);
    return WriteAudit(db, caller, a);
  }));
  return *out;
}

}  // namespace internal

using namespace internal;
namespace assess = engines::assess;

Result<RunSummary> AssessRunService::Start(const Caller& caller, const RunRequest& request) {
  auto db = env_.pool->Acquire();
  return StartRun(*db, caller, request, SystemClock());
}

Result<std::vector<RunSummary>> AssessRunService::List(const Caller& caller, int year) {
  if (year != 0 && (year < 2000 || year > 2100))
    return Status::InvalidField("year", "must be 2000..2100, or 0 for every year");
  std::string where = " WHERE r.scope_lo <= ? AND r.scope_hi >= ?";
  std::vector<Value> params = {Value(caller.scope.lo), Value(caller.scope.hi),
                               Value(caller.scope.hi), Value(caller.scope.lo)};
  if (year != 0) {
    where += " AND r.year = ?";
    params.emplace_back(int64_t{year});
  }
  auto db = env_.pool->Acquire();
  std::vector<RunSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query(std::string(kRunSelect) + where + " ORDER BY r.year DESC, r.id DESC", params));
    for (const auto& r : rows) out.push_back(RunFromRow(r).summary);
    return Status::Ok();
  }));
  return out;
}

Result<RunSummary> AssessRunService::Get(const Caller& caller, int64_t run_id) {
  auto db = env_.pool->Acquire();
  QJ_ASSIGN_OR_RETURN(RunRow run, LoadRun(*db, caller, run_id));
  return run.summary;
}

Result<Page<RunVillage>> AssessRunService::Results(const Caller& caller, int64_t run_id,
                                                   const ResultQuery& q) {
  FieldErrors errors;
  if (q.page < 1) errors.Add("page", "must be 1 or more");
  if (q.page_size < 1 || q.page_size > 500) errors.Add("page_size", "must be 1..500");
  if (q.stars < 0 || q.stars > 10) errors.Add("stars", "must be 0 (any) or a star count");
  if (!q.rating_class.empty() && q.rating_class != "model" && q.rating_class != "ordinary" &&
      q.rating_class != "weak_lax")
    errors.Add("rating_class", "must be model, ordinary or weak_lax");
  if (q.sort != "rank" && q.sort != "code" && q.sort != "change_probability")
    errors.Add("sort", "must be rank, code or change_probability");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_ASSIGN_OR_RETURN(DivisionRange scoped, ScopedRange(caller, q.under));

  Page<RunVillage> page;
  page.page = q.page;
  page.page_size = q.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRun(*db, caller, run_id));
    const DivisionRange range = scoped.Intersect(run.range);
    if (range.empty()) return Status::Ok();
    std::string where = " WHERE a.run_id = ? AND a.division_code BETWEEN ? AND ?";
    std::vector<Value> params = {Value(run_id), Value(range.lo), Value(range.hi)};
    if (q.stars != 0) {
      where += " AND a.stars = ?";
      params.emplace_back(int64_t{q.stars});
    }
    if (!q.rating_class.empty()) {
      where += " AND a.rating_class = ?";
      params.emplace_back(q.rating_class);
    }
    if (q.warnings_only) where += " AND a.warning = 1";
    if (!q.q.empty()) {
      where += " AND d.name LIKE ? ESCAPE '\\'";
      params.emplace_back(LikePattern(q.q));
    }
    QJ_ASSIGN_OR_RETURN(
        Row count,
        db->QueryOne("SELECT COUNT(*)" + std::string(kResultFrom) + where, params, "count"));
    page.total = count.Int(0);
    const std::string order = q.sort == "code"   ? " ORDER BY a.division_code"
                              : q.sort == "rank" ? " ORDER BY a.county_rank, a.division_code"
                                                 : " ORDER BY a.change_probability DESC,"
                                                   " a.county_rank, a.division_code";
    params.emplace_back(q.page_size);
    params.emplace_back((q.page - 1) * q.page_size);
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kResultSelect) + std::string(kResultFrom) +
                                                 where + order + " LIMIT ? OFFSET ?",
                                             params));
    for (const auto& r : rows) page.items.push_back(VillageFromRow(r));
    return Status::Ok();
  }));
  return page;
}

Result<RunExplanation> AssessRunService::Explain(const Caller& caller, int64_t run_id,
                                                 int64_t village_code) {
  const std::string village = fmt::format("village {:012d}", village_code);
  if (!caller.InScope(village_code)) return Status::NotFound(village + " not found");
  RunExplanation e;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRun(*db, caller, run_id));
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kResultSelect) + std::string(kResultFrom) +
                                                 " WHERE a.run_id = ? AND a.division_code = ?",
                                             {Value(run_id), Value(village_code)}));
    if (rows.empty())
      return Status::NotFound(fmt::format("{} has no result in run {}", village, run_id));
    e.run = run.summary;
    e.village = VillageFromRow(rows[0]);
    QJ_ASSIGN_OR_RETURN(domain::IndicatorSet set,
                        LoadIndicatorSet(*db, run.summary.indicator_set_id));
    e.indicators = set.indicators;
    e.weights = Doubles(run.summary_json, "weights");
    // The village in earlier published or final runs: the latest run of each earlier year.
    QJ_ASSIGN_OR_RETURN(
        auto history,
        db->Query(std::string(kResultSelect) + ", r.year, r.id" + std::string(kResultFrom) +
                      " JOIN assess_run r ON r.id = a.run_id WHERE a.division_code = ? AND"
                      " r.status IN ('published', 'final') AND r.year < ?"
                      " ORDER BY r.year, r.id",
                  {Value(village_code), Value(int64_t{run.summary.year})}));
    int64_t last_year = -1;
    for (const auto& r : history) {
      RunVillage v = VillageFromRow(r);
      v.year = static_cast<int>(r.Int(4));
      v.run_id = r.Int(5);
      if (r.Int(4) == last_year) {
        e.history.back() = std::move(v);  // a later run of the same year replaces it
      } else {
        e.history.push_back(std::move(v));
      }
      last_year = r.Int(4);
    }
    return Status::Ok();
  }));
  return e;
}

Result<BothEndsReport> AssessRunService::BothEnds(const Caller& caller, int64_t run_id,
                                                  std::string_view under) {
  QJ_ASSIGN_OR_RETURN(DivisionRange scoped, ScopedRange(caller, under));
  BothEndsReport report;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRun(*db, caller, run_id));
    report.run = run.summary;
    const DivisionRange range = scoped.Intersect(run.range);
    if (range.empty()) return Status::Ok();
    auto keep = [&](std::vector<int64_t>& codes) {
      std::erase_if(codes, [&](int64_t c) { return !range.Contains(c); });
    };
    for (assess::GroupEnds& g : BothEndsFromSummary(run.summary_json)) {
      // Township groups that overlap the range, and the county group, each cut to the villages
      // the caller may see ("of the county's top tier, these are yours").
      if (g.code != 0 && range.Intersect(DivisionRange{g.code, g.code + 999}).empty()) continue;
      keep(g.top);
      keep(g.bottom);
      std::erase_if(g.middle, [&](const auto& m) { return !range.Contains(m.code); });
      if (g.code == 0 && g.name.empty()) g.name = run.summary.scope_name;
      report.groups.push_back(std::move(g));
    }
    QJ_ASSIGN_OR_RETURN(auto names, db->Query("SELECT code, name FROM division WHERE code BETWEEN"
                                              " ? AND ? AND level IN ('township', 'village')"
                                              " ORDER BY code",
                                              {Value(range.lo / 1000 * 1000), Value(range.hi)}));
    std::map<int64_t, std::string> by_code;
    for (const auto& r : names) by_code[r.Int(0)] = r.Text(1);
    std::map<int64_t, std::string> wanted;
    for (const auto& g : report.groups) {
      if (g.code != 0 && by_code.count(g.code)) wanted[g.code] = by_code[g.code];
      for (const auto* list : {&g.top, &g.bottom})
        for (int64_t c : *list)
          if (by_code.count(c)) wanted[c] = by_code[c];
      for (const auto& m : g.middle)
        if (by_code.count(m.code)) wanted[m.code] = by_code[m.code];
    }
    report.names.assign(wanted.begin(), wanted.end());
    return Status::Ok();
  }));
  return report;
}

Result<std::vector<TrendPoint>> AssessRunService::Trend(const Caller& caller,
                                                        std::string_view under) {
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  std::vector<TrendPoint> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto runs,
                        db->Query("SELECT id, year, status, summary FROM assess_run"
                                  " WHERE status IN ('published', 'final') AND scope_lo <= ?"
                                  " AND scope_hi >= ? ORDER BY year, id",
                                  {Value(range.hi), Value(range.lo)}));
    // The latest run of each year.
    std::map<int, const Row*> latest;
    for (const auto& r : runs) latest[static_cast<int>(r.Int(1))] = &r;
    for (const auto& [year, row] : latest) {
      TrendPoint p;
      p.year = year;
      p.run_id = row->Int(0);
      p.status = row->Text(2);
      p.star_counts.assign(Ints(ParseObject(row->Text(3)), "star_counts").size(), 0);
      QJ_ASSIGN_OR_RETURN(auto counts,
                          db->Query("SELECT stars, rating_class, COUNT(*), SUM(score)"
                                    " FROM assess_result WHERE run_id = ? AND division_code"
                                    " BETWEEN ? AND ? GROUP BY stars, rating_class"
                                    " ORDER BY stars, rating_class",
                                    {Value(p.run_id), Value(range.lo), Value(range.hi)}));
      int64_t villages = 0;
      double score_sum = 0;
      for (const auto& c : counts) {
        const size_t stars = static_cast<size_t>(std::max<int64_t>(c.Int(0), 0));
        if (stars >= p.star_counts.size()) p.star_counts.resize(stars + 1, 0);
        p.star_counts[stars] += c.Int(2);
        if (c.Text(1) == "model") p.model_count += c.Int(2);
        if (c.Text(1) == "weak_lax") p.weak_lax_count += c.Int(2);
        villages += c.Int(2);
        score_sum += c.Real(3);
      }
      if (villages == 0) continue;  // the run has none of the caller's villages
      p.mean_score = score_sum / static_cast<double>(villages);
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

Result<RunSummary> AssessRunService::Verify(const Caller& caller, int64_t run_id) {
  auto db = env_.pool->Acquire();
  RunRow run;
  std::string snapshot;
  domain::IndicatorSet set;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(run, LoadRun(*db, caller, run_id));
    QJ_ASSIGN_OR_RETURN(Row r, db->QueryOne("SELECT input_snapshot FROM assess_run WHERE id = ?",
                                            {Value(run_id)}, "run"));
    snapshot = r.Text(0);
    QJ_ASSIGN_OR_RETURN(set, LoadIndicatorSet(*db, run.summary.indicator_set_id));
    return Status::Ok();
  }));
  auto input = InputFromSnapshot(snapshot, set);
  if (!input.ok())
    return Status::Internal(fmt::format("run {}: {}", run_id, input.status().message()));
  auto output = assess::RunAssessment(*input);
  if (!output.ok())
    return Status::Internal(
        fmt::format("run {}: recomputing failed: {}", run_id, output.status().ToString()));
  if (output->input_hash != run.summary.input_hash ||
      output->output_hash != run.summary.output_hash)
    // A conflict between what is stored and what the data gives, not a server fault: the
    // answer names both pairs of hashes so the user can report them.
    return Status::FailedPrecondition(fmt::format(
        "run {} does not reproduce: stored input {} output {}, recomputed input {} output {}",
        run_id, run.summary.input_hash, run.summary.output_hash, output->input_hash,
        output->output_hash));
  return run.summary;
}

Result<RunSummary> AssessRunService::Publish(const Caller& caller, int64_t run_id) {
  auto db = env_.pool->Acquire();
  return PublishRun(*db, caller, run_id, SystemClock());
}

Result<RunSummary> AssessRunService::Finalize(const Caller& caller, int64_t run_id) {
  auto db = env_.pool->Acquire();
  return FinalizeRun(*db, caller, run_id, SystemClock());
}

Status AssessRunService::Delete(const Caller& caller, int64_t run_id) {
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow run, LoadRunForChange(*db, caller, run_id, "delete a run"));
    if (run.summary.status != "draft")
      return Status::FailedPrecondition(
          fmt::format("run {} is {}: a published run stays on record; only drafts can be deleted",
                      run_id, run.summary.status));
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM assess_appeal WHERE run_id = ?", {Value(run_id)}).status());
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM assess_result WHERE run_id = ?", {Value(run_id)}).status());
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM assess_run WHERE id = ?", {Value(run_id)}).status());
    return AuditRun(*db, caller, "assess_run.delete", run, RunAuditJson(run.summary), std::nullopt);
  });
}

Result<Appeal> AssessRunService::LodgeAppeal(const Caller& caller, int64_t run_id,
                                             int64_t village_code, std::string reason) {
  auto db = env_.pool->Acquire();
  return LodgeRunAppeal(*db, caller, run_id, village_code, std::move(reason), SystemClock());
}

Result<std::vector<Appeal>> AssessRunService::ListAppeals(const Caller& caller, int64_t run_id,
                                                          std::string_view status) {
  if (!status.empty() && status != "pending" && status != "upheld" && status != "rejected")
    return Status::InvalidField("status", "must be pending, upheld or rejected");
  std::string where = " WHERE a.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(caller.scope.lo), Value(caller.scope.hi)};
  if (run_id != 0) {
    where += " AND a.run_id = ?";
    params.emplace_back(run_id);
  }
  if (!status.empty()) {
    where += " AND a.status = ?";
    params.emplace_back(std::string(status));
  }
  auto db = env_.pool->Acquire();
  std::vector<Appeal> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    if (run_id != 0) QJ_RETURN_IF_ERROR(LoadRun(*db, caller, run_id).status());
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query(std::string(kAppealSelect) + where +
                                      " ORDER BY CASE a.status WHEN 'pending' THEN 0 ELSE 1 END,"
                                      " a.id DESC",
                                  params));
    for (const auto& r : rows) out.push_back(AppealFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<Appeal> AssessRunService::DecideAppeal(const Caller& caller, int64_t appeal_id,
                                              std::string_view status, std::string decision) {
  auto db = env_.pool->Acquire();
  return DecideRunAppeal(*db, caller, appeal_id, status, std::move(decision), SystemClock());
}

}  // namespace qiangji::services

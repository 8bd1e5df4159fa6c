// Pairing runs (企到村 / 企到企): draft -> matched -> confirmed.
//
// Creating a run snapshots its targets from the county's needs (NeedsService's computation, as
// of the creation day): every village-level unit whose priority reaches params.min_priority,
// once per kind in params.kinds — "village" for every unit, "collective" only for villagers'
// committees (村民委员会), which hold the collective economic organization. A village already
// paired of a kind on the run's start date (a confirmed pairing of another run in force then)
// is left out of that kind. Each target keeps the village's words (main_industries), the
// industries read from them by the keyword table (domain/enterprise.h), and its need with the
// reasons and priority. While the run is not confirmed the county may set a target's industries
// (derived = false), read them again, or drop and restore the target; a change to a matched run
// returns it to draft and clears its result.
//
// Running builds one engines/match/pairing.h problem from the included targets and the county's
// available enterprises, their capacities less what confirmed pairings of other runs in force on
// the start date hold, solves it (coverage first, then total score), stores the pairs with their
// score breakdown and reasons, and the rest of the result (unpaired with reasons, each
// enterprise's use, totals, input and output hashes) in pairing_run.result. Confirming checks
// that nothing confirmed since takes the same village and kind or overfills an enterprise, and
// dates every pair from the run's start date for two years.
//
// Visibility follows dispatch rounds: a run is visible when its county overlaps the caller's
// scope; targets and results are cut to the caller's scope. Changing a run takes county staff or
// an administrator covering its whole county.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "engines/match/pairing.h"
#include "services/dispatch_json.h"
#include "services/dispatch_pool_internal.h"
#include "services/internal.h"
#include "services/pairing.h"
#include "services/pairing_internal.h"
#include "services/pairing_json.h"

namespace qiangji::services {
namespace internal {
namespace {

namespace match = engines::match;

struct RunRow {
  domain::PairingRun run;
  DivisionRange range;
  std::string result_json;
};

constexpr std::string_view kRunSelect =
    "SELECT id, scope, scope_lo, scope_hi, name, status, params, start_date, created_at,"
    " created_by, matched_at, confirmed_at, result FROM pairing_run";

// The order targets and pairs are listed in: by village, the village before its collective.
constexpr std::string_view kKindOrder = "CASE kind WHEN 'village' THEN 0 ELSE 1 END";

json::object ParseObject(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? v.get_object() : json::object();
}

const json::value* Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

double NumOr(const json::object& o, std::string_view key, double fallback) {
  const json::value* v = Field(o, key);
  if (!v) return fallback;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return fallback;
}

std::vector<std::string> StringsOf(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* v = Field(o, key); v && v->is_array())
    for (const json::value& x : v->get_array())
      if (x.is_string()) out.emplace_back(x.get_string());
  return out;
}

std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Stored params, written by PairingParamsJson; defaults for anything missing.
domain::PairingParams ParamsFromJson(const json::object& o) {
  domain::PairingParams p;
  if (const json::value* w = Field(o, "weights"); w && w->is_object()) {
    const json::object& x = w->get_object();
    p.weights.industry = NumOr(x, "industry", p.weights.industry);
    p.weights.area = NumOr(x, "area", p.weights.area);
    p.weights.priority = NumOr(x, "priority", p.weights.priority);
  }
  if (const json::value* r = Field(o, "rules"); r && r->is_object()) {
    const json::value* req = Field(r->get_object(), "require_industry_overlap");
    if (req && req->is_bool()) p.rules.require_industry_overlap = req->get_bool();
  }
  p.min_priority = NumOr(o, "min_priority", p.min_priority);
  if (Field(o, "kinds")) p.kinds = StringsOf(o, "kinds");
  return p;
}

RunRow RunFromRow(const Row& r) {
  RunRow out;
  domain::PairingRun& d = out.run;
  d.id = r.Int(0);
  d.scope = r.Text(1);
  out.range = DivisionRange{r.Int(2), r.Int(3)};
  d.name = r.Text(4);
  d.status = r.Text(5);
  d.params = ParamsFromJson(ParseObject(r.Text(6)));
  if (auto start = Date::Parse(r.Text(7)); start.ok()) d.start_date = *start;
  d.created_at = r.Text(8);
  d.created_by = r.Text(9);
  d.matched_at = r.Text(10);
  d.confirmed_at = r.Text(11);
  out.result_json = r.Text(12);
  return out;
}

std::string NotFoundText(int64_t id) { return fmt::format("pairing run {} not found", id); }

Result<RunRow> LoadRun(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query(std::string(kRunSelect) + " WHERE id = ?", {Value(id)}));
  if (rows.empty()) return Status::NotFound(NotFoundText(id));
  RunRow row = RunFromRow(rows[0]);
  if (row.range.Intersect(caller.scope).empty()) return Status::NotFound(NotFoundText(id));
  return row;
}

bool IsCountyStaff(const Caller& caller) {
  return caller.role == domain::Role::kCounty || caller.role == domain::Role::kAdmin;
}

Status RequireCounty(const Caller& caller, std::string_view what) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (IsCountyStaff(caller)) return Status::Ok();
  return Status::PermissionDenied(
      fmt::format("only county staff or an administrator may {}", what));
}

Result<RunRow> LoadRunForChange(Database& db, const Caller& caller, int64_t id,
                                std::string_view what) {
  QJ_RETURN_IF_ERROR(RequireCounty(caller, what));
  QJ_ASSIGN_OR_RETURN(RunRow row, LoadRun(db, caller, id));
  if (!caller.scope.Covers(row.range))
    return Status::PermissionDenied(
        fmt::format("pairing run {} covers {}, beyond your scope", id, row.run.scope));
  return row;
}

Status RequireStatus(const RunRow& row, std::initializer_list<std::string_view> allowed,
                     std::string_view what) {
  for (std::string_view s : allowed)
    if (row.run.status == s) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("pairing run {} is {}: cannot {}", row.run.id, row.run.status, what));
}

json::object RunAuditJson(const domain::PairingRun& r) {
  json::object o = PairingRunJson(r);
  o.erase("created_at");
  return o;
}

Status Audit(Database& db, const Caller& caller, std::string action, const RunRow& row,
             std::optional<json::object> before, std::optional<json::object> after) {
  AuditRecord a;
  a.action = std::move(action);
  a.object = fmt::format("pairing_run/{}", row.run.id);
  a.division_code = row.range.lo;
  a.before = std::move(before);
  a.after = std::move(after);
  return WriteAudit(db, caller, a);
}

// The largest need reason in words, for the priority reason ("软弱涣散村（优先度72）").
std::string PriorityLabel(const domain::VillageNeed& n) {
  if (n.reasons.empty()) return "";
  const std::string& s = n.reasons.front().source;
  if (s == "weak_lax") return "软弱涣散村";
  if (s == "key_village") return "重点村";
  if (s == "low_stars") return "星级评定靠后村";
  if (s == "petitions") return "信访突出村";
  if (s == "relocation_settlement") return "易地扶贫搬迁安置点";
  if (s == "lifted_from_poverty") return "脱贫村";
  if (s == "secretary_vacant") return "书记空缺村";
  return "";
}

// ---- targets ----

constexpr std::string_view kTargetSelect =
    "SELECT division_code, kind, industries, derived, included, priority, need FROM pairing_target";

PairingTargetView TargetFromRow(int64_t run_id, const Row& r) {
  PairingTargetView v;
  domain::PairingTarget& t = v.target;
  t.run_id = run_id;
  t.division_code = r.Int(0);
  t.kind = r.Text(1);
  t.industries = ParseStringArray(r.Text(2));
  t.derived = r.Int(3) != 0;
  t.included = r.Int(4) != 0;
  t.priority = r.Real(5);
  const json::object need = ParseObject(r.Text(6));
  const domain::VillageNeed n = VillageNeedFromJson(need);
  t.name = n.name;
  t.township_code = n.township_code;
  t.township_name = n.township_name;
  t.main_industries = StringsOf(need, "main_industries");
  t.priority_label = TextOf(need, "priority_label");
  v.reasons = n.reasons;
  if (t.derived) v.matches = domain::MatchIndustries(t.main_industries);
  return v;
}

Result<std::vector<PairingTargetView>> LoadTargets(Database& db, int64_t run_id,
                                                   bool included_only) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query(std::string(kTargetSelect) + " WHERE run_id = ?" +
                                              (included_only ? " AND included = 1" : "") +
                                              " ORDER BY division_code, " + std::string(kKindOrder),
                                          {Value(run_id)}));
  std::vector<PairingTargetView> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(TargetFromRow(run_id, r));
  return out;
}

// Confirmed pairings of other runs in force on `day`: (village, kind) -> a description.
struct InForce {
  std::map<std::pair<int64_t, std::string>, std::string> taken;  // zh-CN: with whom, when
  std::map<std::pair<int64_t, std::string>, int> held;           // (enterprise, kind) -> count
};

Result<InForce> PairingsInForce(Database& db, const DivisionRange& range, const Date& day,
                                int64_t except_run) {
  const std::string d = day.ToString();
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT p.division_code, p.kind, p.enterprise_id, e.name, p.start_date, p.end_date"
               " FROM pairing p JOIN pairing_run r ON r.id = p.run_id"
               " JOIN enterprise e ON e.id = p.enterprise_id"
               " WHERE r.status = 'confirmed' AND r.id <> ? AND p.division_code BETWEEN ? AND ?"
               " AND p.start_date <= ? AND p.end_date > ?",
               {Value(except_run), Value(range.lo), Value(range.hi), Value(d), Value(d)}));
  InForce out;
  for (const Row& r : rows) {
    out.taken[{r.Int(0), r.Text(1)}] =
        fmt::format("已与{}结对（{}至{}）", r.Text(3), r.Text(4), r.Text(5));
  }
  // Enterprises are held wherever their villages are: count them without the range.
  QJ_ASSIGN_OR_RETURN(auto held, db.Query("SELECT p.enterprise_id, p.kind, COUNT(*) FROM pairing p"
                                          " JOIN pairing_run r ON r.id = p.run_id"
                                          " WHERE r.status = 'confirmed' AND r.id <> ?"
                                          " AND p.start_date <= ? AND p.end_date > ?"
                                          " GROUP BY p.enterprise_id, p.kind",
                                          {Value(except_run), Value(d), Value(d)}));
  for (const Row& r : held) out.held[{r.Int(0), r.Text(1)}] = static_cast<int>(r.Int(2));
  return out;
}

// ---- results ----

Result<PairingRunResult> LoadResult(Database& db, const Caller& caller, const RunRow& row) {
  PairingRunResult r;
  r.run = row.run;
  ReadStoredPairingResult(ParseObject(row.result_json), r);
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT p.enterprise_id, p.division_code, p.kind, p.score, p.breakdown, p.reasons,"
               " p.start_date, p.end_date, e.name, e.ownership, COALESCE(d.name, ''),"
               " COALESCE(t.name, ''), COALESCE(pt.priority, 0)"
               " FROM pairing p JOIN enterprise e ON e.id = p.enterprise_id"
               " LEFT JOIN division d ON d.code = p.division_code"
               " LEFT JOIN division t ON t.code = d.parent_code"
               " LEFT JOIN pairing_target pt ON pt.run_id = p.run_id"
               " AND pt.division_code = p.division_code AND pt.kind = p.kind"
               " WHERE p.run_id = ? ORDER BY p.division_code,"
               " CASE p.kind WHEN 'village' THEN 0 ELSE 1 END",
               {Value(row.run.id)}));
  for (const Row& x : rows) {
    if (!caller.InScope(x.Int(1))) continue;
    PairView p;
    p.pairing.run_id = row.run.id;
    p.pairing.enterprise_id = x.Int(0);
    p.pairing.division_code = x.Int(1);
    p.pairing.kind = x.Text(2);
    p.pairing.score = x.Real(3);
    ReadPairBreakdown(ParseObject(x.Text(4)), p);
    p.pairing.reasons = ParseStringArray(x.Text(5));
    p.pairing.start_date = OptDate(x, 6);
    p.pairing.end_date = OptDate(x, 7);
    p.enterprise_name = x.Text(8);
    p.ownership = x.Text(9);
    p.village_name = x.Text(10);
    p.township_name = x.Text(11);
    p.priority = x.Real(12);
    r.pairs.push_back(std::move(p));
  }
  if (!caller.scope.Covers(row.range))
    std::erase_if(r.unpaired,
                  [&](const UnpairedView& u) { return !caller.InScope(u.division_code); });
  return r;
}

Status WriteTarget(Database& db, int64_t run_id, const domain::PairingTarget& t) {
  return db
      .Execute(
          "UPDATE pairing_target SET industries = ?, derived = ?, included = ?"
          " WHERE run_id = ? AND division_code = ? AND kind = ?",
          {Value(StringArrayJson(t.industries)), Value(int64_t{t.derived}),
           Value(int64_t{t.included}), Value(run_id), Value(t.division_code), Value(t.kind)})
      .status();
}

// A matched run whose targets change goes back to draft: its pairs no longer answer them.
Status BackToDraft(Database& db, RunRow& row) {
  if (row.run.status != "matched") return Status::Ok();
  QJ_RETURN_IF_ERROR(
      db.Execute("DELETE FROM pairing WHERE run_id = ?", {Value(row.run.id)}).status());
  QJ_RETURN_IF_ERROR(db.Execute("UPDATE pairing_run SET status = 'draft', matched_at = NULL,"
                                " result = NULL WHERE id = ?",
                                {Value(row.run.id)})
                         .status());
  row.run.status = "draft";
  row.run.matched_at.clear();
  return Status::Ok();
}

Result<std::map<std::string, std::string>> AreaNames(Database& db,
                                                     const std::vector<domain::Enterprise>& list) {
  std::set<std::string> prefixes;
  for (const domain::Enterprise& e : list)
    for (const std::string& a : e.preferred_areas) prefixes.insert(a);
  std::map<std::string, std::string> out;
  for (const std::string& prefix : prefixes) {
    auto code = DivisionCode::Parse(prefix);
    if (!code.ok()) continue;
    QJ_ASSIGN_OR_RETURN(
        auto rows, db.Query("SELECT name FROM division WHERE code = ?", {Value(code->value())}));
    if (!rows.empty()) out[prefix] = rows[0].Text(0);
  }
  return out;
}

Result<PairingRunSummary> Summary(Database& db, const RunRow& row) {
  PairingRunSummary s;
  s.run = row.run;
  QJ_ASSIGN_OR_RETURN(
      auto counts, db.Query("SELECT (SELECT COUNT(*) FROM pairing_target WHERE run_id = ?"
                            " AND included = 1), (SELECT COUNT(*) FROM pairing WHERE run_id = ?)",
                            {Value(row.run.id), Value(row.run.id)}));
  s.targets = counts.at(0).Int(0);
  s.pairs = counts.at(0).Int(1);
  return s;
}

}  // namespace

// ---- the state changes, at a clock ----

Result<PairingRunSummary> CreatePairingRun(Env env, const Caller& caller, domain::PairingRun run,
                                           const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireCounty(caller, "create a pairing run"));
  if (run.scope.empty()) {
    if (caller.scope_prefix.size() != 6)
      return Status::InvalidField("scope", "is required: the county's 6 digits");
    run.scope = caller.scope_prefix;
  }
  run.id = 0;
  run.status = "draft";
  run.created_at = clock.now;
  run.created_by = caller.username;
  run.matched_at.clear();
  run.confirmed_at.clear();
  QJ_RETURN_IF_ERROR(domain::ValidatePairingRun(run));
  auto parsed = ParseScopePrefix(run.scope);
  if (!parsed.ok())
    return Status::InvalidField("scope", "must be a county's 6 digits, e.g. 130624");
  const DivisionRange range = *parsed;
  const std::string what = fmt::format("division {} not found", run.scope);
  if (!caller.scope.Covers(range)) return Status::NotFound(what);
  auto db = env.pool->Acquire();
  std::optional<PairingRunSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto found,
                        db->Query("SELECT 1 FROM division WHERE code = ?", {Value(range.lo)}));
    if (found.empty()) return Status::NotFound(what);
    QJ_ASSIGN_OR_RETURN(std::vector<domain::VillageNeed> needs,
                        ComputeNeeds(*db, range, clock.today));
    std::map<int64_t, std::vector<std::string>> words;
    QJ_ASSIGN_OR_RETURN(auto villages,
                        db->Query("SELECT division_code, main_industries FROM village"
                                  " WHERE division_code BETWEEN ? AND ?",
                                  {Value(range.lo), Value(range.hi)}));
    for (const Row& r : villages) words[r.Int(0)] = ParseStringArray(r.Text(1));
    QJ_ASSIGN_OR_RETURN(InForce in_force, PairingsInForce(*db, range, run.start_date, 0));

    QJ_ASSIGN_OR_RETURN(
        auto inserted,
        db->Query("INSERT INTO pairing_run (scope, scope_lo, scope_hi, name, status, params,"
                  " start_date, created_at, created_by) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?)"
                  " RETURNING id",
                  {Value(run.scope), Value(range.lo), Value(range.hi), Value(run.name),
                   Value(json::serialize(PairingParamsJson(run.params))),
                   Value(run.start_date.ToString()), Value(clock.now), Value(caller.username)}));
    run.id = inserted.at(0).Int(0);
    QJ_ASSIGN_OR_RETURN(auto insert,
                        db->Prepare("INSERT INTO pairing_target (run_id, division_code, kind,"
                                    " industries, derived, included, priority, need)"
                                    " VALUES (?, ?, ?, ?, 1, 1, ?, ?)"));
    int64_t targets = 0;
    int64_t skipped_paired = 0;
    for (const domain::VillageNeed& n : needs) {
      if (n.priority < run.params.min_priority) continue;
      auto code = DivisionCode::FromInt(n.division_code);
      const std::vector<std::string>& mine = words[n.division_code];
      json::object need = VillageNeedJson(n);
      json::array main;
      for (const std::string& w : mine) main.emplace_back(w);
      need["main_industries"] = std::move(main);
      need["priority_label"] = PriorityLabel(n);
      const std::string need_text = json::serialize(need);
      const std::string industries = StringArrayJson(domain::DeriveIndustries(mine));
      for (const std::string& kind : run.params.kinds) {
        if (kind == "collective" && !(code.ok() && code->IsVillagersCommittee())) continue;
        if (in_force.taken.count({n.division_code, kind})) {
          ++skipped_paired;
          continue;
        }
        const Value values[] = {Value(run.id),
                                Value(n.division_code),
                                Value(kind),
                                Value(industries),
                                Value(std::clamp(n.priority, 0.0, 100.0)),
                                Value(need_text)};
        QJ_RETURN_IF_ERROR(insert->Execute(values).status());
        ++targets;
      }
    }
    if (targets == 0)
      return Status::FailedPrecondition(
          fmt::format("no village under {} reaches priority {} without a pairing in force on {}",
                      run.scope, run.params.min_priority, run.start_date.ToString()));
    RunRow row{run, range, ""};
    json::object after = RunAuditJson(run);
    after["targets"] = targets;
    after["already_paired"] = skipped_paired;
    QJ_RETURN_IF_ERROR(Audit(*db, caller, "pairing_run.create", row, std::nullopt, after));
    QJ_ASSIGN_OR_RETURN(PairingRunSummary s, Summary(*db, row));
    out = std::move(s);
    return Status::Ok();
  }));
  return *out;
}

Result<PairingTargetView> PutPairingTarget(Env env, const Caller& caller, TargetChange change,
                                           const Clock& clock) {
  if (!domain::Contains(domain::kPairingKinds, change.kind))
    return Status::InvalidField("kind", "must be village or collective");
  if (change.industries) QJ_RETURN_IF_ERROR(domain::ValidateTargetIndustries(*change.industries));
  auto db = env.pool->Acquire();
  std::optional<PairingTargetView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow row,
                        LoadRunForChange(*db, caller, change.run_id, "change a pairing target"));
    const std::string missing = fmt::format("village {:012d} is not a {} target of pairing run {}",
                                            change.division_code, change.kind, change.run_id);
    if (!caller.InScope(change.division_code)) return Status::NotFound(missing);
    QJ_RETURN_IF_ERROR(
        RequireStatus(row, {"draft", "matched"}, "change its targets (only before confirmation)"));
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query(std::string(kTargetSelect) + " WHERE run_id = ? AND division_code = ?"
                                               " AND kind = ?",
                  {Value(change.run_id), Value(change.division_code), Value(change.kind)}));
    if (rows.empty()) return Status::NotFound(missing);
    PairingTargetView view = TargetFromRow(change.run_id, rows[0]);
    const json::object before = PairingTargetJson(view);
    domain::PairingTarget& t = view.target;
    if (change.industries) {
      t.industries = *change.industries;
      t.derived = false;
    } else if (change.reset_industries) {
      t.industries = domain::DeriveIndustries(t.main_industries);
      t.derived = true;
    }
    if (change.included) t.included = *change.included;
    view.matches = t.derived ? domain::MatchIndustries(t.main_industries)
                             : std::vector<domain::IndustryMatch>{};
    QJ_RETURN_IF_ERROR(WriteTarget(*db, change.run_id, t));
    const std::string was = row.run.status;
    QJ_RETURN_IF_ERROR(BackToDraft(*db, row));
    AuditRecord a;
    a.action = "pairing_target.put";
    a.object =
        fmt::format("pairing_run/{}/{:012d}/{}", change.run_id, change.division_code, change.kind);
    a.division_code = change.division_code;
    a.before = before;
    json::object after = PairingTargetJson(view);
    if (was != row.run.status) after["run_status"] = row.run.status;
    a.after = std::move(after);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    out = std::move(view);
    return Status::Ok();
  }));
  (void)clock;
  return *out;
}

Result<PairingRunResult> RunPairing(Env env, const Caller& caller, int64_t id, const Clock& clock) {
  auto db = env.pool->Acquire();
  std::optional<PairingRunResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow row, LoadRunForChange(*db, caller, id, "run a pairing run"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"draft", "matched"}, "run it"));
    const domain::PairingRun& run = row.run;
    QJ_ASSIGN_OR_RETURN(std::vector<PairingTargetView> targets, LoadTargets(*db, id, true));
    QJ_ASSIGN_OR_RETURN(InForce in_force, PairingsInForce(*db, row.range, run.start_date, id));
    QJ_ASSIGN_OR_RETURN(std::vector<domain::Enterprise> enterprises,
                        LoadEnterprises(*db, nullptr, row.range.lo, true));

    match::PairingProblem p;
    p.weights = {run.params.weights.industry, run.params.weights.area, run.params.weights.priority};
    p.rules.require_industry_overlap = run.params.rules.require_industry_overlap;
    QJ_ASSIGN_OR_RETURN(p.area_names, AreaNames(*db, enterprises));
    PairingRunResult r;
    r.run = run;
    for (const domain::Enterprise& e : enterprises) {
      EnterpriseUseView use;
      use.enterprise_id = e.id;
      use.name = e.name;
      use.capacity_villages = e.capacity_villages;
      use.capacity_firms = e.capacity_firms;
      auto held = [&](std::string_view kind) {
        auto it = in_force.held.find({e.id, std::string(kind)});
        return it == in_force.held.end() ? 0 : it->second;
      };
      use.held_villages = held("village");
      use.held_firms = held("collective");
      match::PairingEnterprise x;
      x.id = std::to_string(e.id);
      x.name = e.name;
      x.industries = e.industries;
      x.location_code = e.location_code;
      x.preferred_areas = e.preferred_areas;
      x.capacity_villages = std::max(0, e.capacity_villages - use.held_villages);
      x.capacity_firms = std::max(0, e.capacity_firms - use.held_firms);
      x.available = e.available;
      p.enterprises.push_back(std::move(x));
      r.enterprises.push_back(std::move(use));
    }
    std::vector<const domain::PairingTarget*> solved;  // p.targets[j] is *solved[j]
    for (const PairingTargetView& v : targets) {
      const domain::PairingTarget& t = v.target;
      if (auto it = in_force.taken.find({t.division_code, t.kind}); it != in_force.taken.end()) {
        r.unpaired.push_back(
            {t.division_code, t.kind, t.name, t.priority, "already_paired", it->second, {}});
        continue;
      }
      match::PairingTarget x;
      x.code = t.division_code;
      x.name = t.name;
      x.kind =
          t.kind == "collective" ? match::PairingKind::kCollective : match::PairingKind::kVillage;
      x.industries = t.industries;
      for (const domain::IndustryMatch& m : v.matches) x.industry_sources[m.industry] = m.text;
      x.priority = std::clamp(t.priority, 0.0, 100.0);
      x.priority_label = t.priority_label;
      p.targets.push_back(std::move(x));
      solved.push_back(&t);
    }
    QJ_ASSIGN_OR_RETURN(match::PairingResult result, match::SolvePairing(p));

    QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM pairing WHERE run_id = ?", {Value(id)}).status());
    QJ_ASSIGN_OR_RETURN(
        auto put, db->Prepare("INSERT INTO pairing (run_id, enterprise_id, division_code,"
                              " kind, score, breakdown, reasons) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (const match::PairingPair& x : result.pairs) {
      const domain::PairingTarget& t = *solved[static_cast<size_t>(x.target)];
      const domain::Enterprise& e = enterprises[static_cast<size_t>(x.enterprise)];
      PairView v;
      v.overlap = x.score.overlap;
      v.proximity = x.score.proximity;
      v.priority_share = x.score.priority;
      v.industry_term = p.weights.industry * x.score.overlap;
      v.area_term = p.weights.area * x.score.proximity;
      v.priority_term = p.weights.priority * x.score.priority;
      v.relation = std::string(match::AreaRelationName(x.score.relation));
      v.preferred_area = x.score.preferred_area;
      v.common = x.score.common;
      const double score =
          static_cast<double>(x.score.scaled) / static_cast<double>(match::kPairingScoreScale);
      const Value values[] = {Value(id),
                              Value(e.id),
                              Value(t.division_code),
                              Value(t.kind),
                              Value(score),
                              Value(json::serialize(PairBreakdownJson(v))),
                              Value(StringArrayJson(x.reasons))};
      QJ_RETURN_IF_ERROR(put->Execute(values).status());
      EnterpriseUseView& use = r.enterprises[static_cast<size_t>(x.enterprise)];
      (t.kind == "collective" ? use.used_firms : use.used_villages) += 1;
    }
    for (const match::PairingUnpaired& u : result.unpaired) {
      const domain::PairingTarget& t = *solved[static_cast<size_t>(u.target)];
      UnpairedView view{t.division_code,
                        t.kind,
                        t.name,
                        t.priority,
                        std::string(match::UnpairedReasonName(u.reason)),
                        u.text,
                        {}};
      for (int c : u.candidates) view.candidates.push_back(enterprises[static_cast<size_t>(c)].id);
      r.unpaired.push_back(std::move(view));
    }
    // Highest priority first: the villages most in need of a pairing they did not get.
    std::sort(r.unpaired.begin(), r.unpaired.end(),
              [](const UnpairedView& a, const UnpairedView& b) {
                if (a.priority != b.priority) return a.priority > b.priority;
                if (a.division_code != b.division_code) return a.division_code < b.division_code;
                return a.kind > b.kind;  // "village" before "collective"
              });
    r.targets = static_cast<int64_t>(targets.size());
    r.covered = result.covered;
    r.allowed_pairs = result.allowed_pairs;
    r.total_score =
        static_cast<double>(result.total_scaled) / static_cast<double>(match::kPairingScoreScale);
    r.input_hash = result.input_hash;
    r.output_hash = result.output_hash;

    QJ_RETURN_IF_ERROR(db->Execute("UPDATE pairing_run SET status = 'matched', matched_at = ?,"
                                   " result = ? WHERE id = ?",
                                   {Value(clock.now),
                                    Value(json::serialize(StoredPairingResultJson(r))), Value(id)})
                           .status());
    const json::object before = RunAuditJson(row.run);
    row.run.status = "matched";
    row.run.matched_at = clock.now;
    json::object after = RunAuditJson(row.run);
    after["pairs"] = r.covered;
    after["unpaired"] = static_cast<int64_t>(r.unpaired.size());
    after["input_hash"] = r.input_hash;
    after["output_hash"] = r.output_hash;
    QJ_RETURN_IF_ERROR(Audit(*db, caller, "pairing_run.run", row, before, after));
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query(std::string(kRunSelect) + " WHERE id = ?", {Value(id)}));
    const RunRow stored = RunFromRow(rows.at(0));
    QJ_ASSIGN_OR_RETURN(PairingRunResult loaded, LoadResult(*db, caller, stored));
    out = std::move(loaded);
    return Status::Ok();
  }));
  return *out;
}

Result<PairingRunResult> ConfirmPairingRun(Env env, const Caller& caller, int64_t id,
                                           const Clock& clock) {
  auto db = env.pool->Acquire();
  std::optional<PairingRunResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow row, LoadRunForChange(*db, caller, id, "confirm a pairing run"));
    QJ_RETURN_IF_ERROR(
        RequireStatus(row, {"matched"}, "confirm it (only a matched run is confirmed)"));
    const Date start = row.run.start_date;
    const Date end = start.AddMonths(domain::kPairingTermMonths);
    QJ_ASSIGN_OR_RETURN(InForce in_force, PairingsInForce(*db, row.range, start, id));
    QJ_ASSIGN_OR_RETURN(auto pairs,
                        db->Query("SELECT p.enterprise_id, p.division_code, p.kind, e.name,"
                                  " e.capacity_villages, e.capacity_firms, e.available"
                                  " FROM pairing p JOIN enterprise e ON e.id = p.enterprise_id"
                                  " WHERE p.run_id = ? ORDER BY p.division_code, p.kind",
                                  {Value(id)}));
    // Since the run, another run may have been confirmed, or an enterprise changed.
    std::map<std::pair<int64_t, std::string>, int> adding;
    json::array confirmed;
    for (const Row& x : pairs) {
      const int64_t enterprise = x.Int(0);
      const int64_t village = x.Int(1);
      const std::string kind = x.Text(2);
      if (auto it = in_force.taken.find({village, kind}); it != in_force.taken.end())
        return Status::FailedPrecondition(
            fmt::format("village {:012d} ({}) {} on {}: run the pairing again", village,
                        domain::PairingKindNameZh(kind), it->second, start.ToString()));
      if (x.Int(6) == 0)
        return Status::FailedPrecondition(
            fmt::format("enterprise {} ({}) is no longer available: run the pairing again",
                        enterprise, x.Text(3)));
      const int capacity = static_cast<int>(kind == "collective" ? x.Int(5) : x.Int(4));
      const int held =
          in_force.held.count({enterprise, kind}) ? in_force.held[{enterprise, kind}] : 0;
      if (held + ++adding[{enterprise, kind}] > capacity)
        return Status::FailedPrecondition(fmt::format(
            "enterprise {} ({}) would exceed its {} capacity of {}: run the pairing again",
            enterprise, x.Text(3), domain::PairingKindNameZh(kind), capacity));
      confirmed.push_back(json::object{{"enterprise_id", enterprise},
                                       {"division_code", DivisionCodeJson(village)},
                                       {"kind", kind}});
    }
    QJ_RETURN_IF_ERROR(
        db->Execute("UPDATE pairing SET start_date = ?, end_date = ? WHERE run_id = ?",
                    {Value(start.ToString()), Value(end.ToString()), Value(id)})
            .status());
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE pairing_run SET status = 'confirmed', confirmed_at = ?"
                                   " WHERE id = ?",
                                   {Value(clock.now), Value(id)})
                           .status());
    const json::object before = RunAuditJson(row.run);
    row.run.status = "confirmed";
    row.run.confirmed_at = clock.now;
    json::object after = RunAuditJson(row.run);
    after["start_date"] = start.ToString();
    after["end_date"] = end.ToString();
    after["pairings"] = std::move(confirmed);
    QJ_RETURN_IF_ERROR(Audit(*db, caller, "pairing_run.confirm", row, before, after));
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query(std::string(kRunSelect) + " WHERE id = ?", {Value(id)}));
    QJ_ASSIGN_OR_RETURN(PairingRunResult loaded, LoadResult(*db, caller, RunFromRow(rows.at(0))));
    out = std::move(loaded);
    return Status::Ok();
  }));
  return *out;
}

}  // namespace internal

using namespace internal;

Result<PairingRunSummary> PairingService::Create(const Caller& caller, domain::PairingRun run) {
  return CreatePairingRun(env_, caller, std::move(run), SystemClock());
}

Result<std::vector<PairingRunSummary>> PairingService::List(const Caller& caller) {
  auto db = env_.pool->Acquire();
  std::vector<PairingRunSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query(std::string(kRunSelect) +
                                      " WHERE scope_lo <= ? AND scope_hi >= ? ORDER BY id DESC",
                                  {Value(caller.scope.hi), Value(caller.scope.lo)}));
    for (const Row& r : rows) {
      QJ_ASSIGN_OR_RETURN(PairingRunSummary s, Summary(*db, RunFromRow(r)));
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

Result<PairingRunSummary> PairingService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::optional<PairingRunSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow row, LoadRun(*db, caller, id));
    QJ_ASSIGN_OR_RETURN(PairingRunSummary s, Summary(*db, row));
    out = std::move(s);
    return Status::Ok();
  }));
  return *out;
}

Status PairingService::Delete(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow row, LoadRunForChange(*db, caller, id, "delete a pairing run"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"draft"}, "delete it (only drafts are deleted)"));
    QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM pairing_run WHERE id = ?", {Value(id)}).status());
    return Audit(*db, caller, "pairing_run.delete", row, RunAuditJson(row.run), std::nullopt);
  });
}

Result<std::vector<PairingTargetView>> PairingService::Targets(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::vector<PairingTargetView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow row, LoadRun(*db, caller, id));
    QJ_ASSIGN_OR_RETURN(std::vector<PairingTargetView> all, LoadTargets(*db, id, false));
    for (PairingTargetView& v : all)
      if (caller.InScope(v.target.division_code)) out.push_back(std::move(v));
    return Status::Ok();
  }));
  return out;
}

Result<PairingTargetView> PairingService::PutTarget(const Caller& caller, TargetChange change) {
  return PutPairingTarget(env_, caller, std::move(change), SystemClock());
}

Result<PairingRunResult> PairingService::Run(const Caller& caller, int64_t id) {
  return RunPairing(env_, caller, id, SystemClock());
}

Result<PairingRunResult> PairingService::GetResult(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::optional<PairingRunResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RunRow row, LoadRun(*db, caller, id));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"matched", "confirmed"}, "show a result before a run"));
    QJ_ASSIGN_OR_RETURN(PairingRunResult r, LoadResult(*db, caller, row));
    out = std::move(r);
    return Status::Ok();
  }));
  return *out;
}

Result<PairingRunResult> PairingService::Confirm(const Caller& caller, int64_t id) {
  return ConfirmPairingRun(env_, caller, id, SystemClock());
}

Result<std::vector<PairingRecord>> PairingService::Pairings(const Caller& caller,
                                                            const PairingQuery& q) {
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  const std::string today = Date::TodayInChina().ToString();
  std::string sql =
      "SELECT p.run_id, r.name, p.enterprise_id, e.name, e.ownership, e.industries,"
      " p.division_code, COALESCE(d.name, ''), COALESCE(t.name, ''), p.kind, p.score, p.reasons,"
      " p.start_date, p.end_date, (p.start_date <= ? AND p.end_date > ?)"
      " FROM pairing p JOIN pairing_run r ON r.id = p.run_id"
      " JOIN enterprise e ON e.id = p.enterprise_id"
      " LEFT JOIN division d ON d.code = p.division_code"
      " LEFT JOIN division t ON t.code = d.parent_code"
      " WHERE r.status = 'confirmed' AND p.start_date IS NOT NULL"
      " AND p.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(today), Value(today), Value(range.lo), Value(range.hi)};
  if (q.current_only) {
    sql += " AND p.start_date <= ? AND p.end_date > ?";
    params.emplace_back(today);
    params.emplace_back(today);
  }
  sql +=
      " ORDER BY p.division_code, CASE p.kind WHEN 'village' THEN 0 ELSE 1 END,"
      " p.start_date DESC";
  auto db = env_.pool->Acquire();
  std::vector<PairingRecord> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(sql, params));
    for (const Row& x : rows) {
      PairingRecord r;
      r.pairing.run_id = x.Int(0);
      r.run_name = x.Text(1);
      r.pairing.enterprise_id = x.Int(2);
      r.enterprise_name = x.Text(3);
      r.ownership = x.Text(4);
      r.enterprise_industries = ParseStringArray(x.Text(5));
      r.pairing.division_code = x.Int(6);
      r.village_name = x.Text(7);
      r.township_name = x.Text(8);
      r.pairing.kind = x.Text(9);
      r.pairing.score = x.Real(10);
      r.pairing.reasons = ParseStringArray(x.Text(11));
      r.pairing.start_date = OptDate(x, 12);
      r.pairing.end_date = OptDate(x, 13);
      r.current = x.Int(14) != 0;
      out.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace qiangji::services

// Dispatch rounds (双选派): draft -> preferences_open -> matched -> confirmed, for every role of
// domain::kDispatchRoles (docs/dispatch.md §4).
//
// A round's receivers are villages (first secretary, resident instructor, advisor), circuits
// (巡回: one work type in one township, several villages per instructor) or projects (跟踪: one
// long project from its start to its end). Opening snapshots them with the pool members of the
// role's kind (dispatch_round_open.cc); lists are entered while preferences are open (and may
// still be changed after a match, to be run again); running builds one
// engines::match::DispatchProblem and solves it (dispatch_round_run.cc); confirming turns each
// assignment into posts of the role's kind (dispatch_round_confirm.cc).
//
// This file holds what they share: round rows, participants, lists, the stored result, terms,
// and the service's methods.
//
// Visibility follows assessment runs: a round is visible when its scope overlaps the caller's;
// receivers, results and terms are cut to the caller's scope (a circuit or project is in scope
// when one of its villages is). Changing a round takes county staff or an administrator
// covering the whole round; a township enters its own receivers' lists.
#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/dispatch_pool_internal.h"
#include "services/dispatch_round_internal.h"
#include "services/internal.h"
#include "services/table_import.h"

namespace qiangji::services {
namespace internal {
namespace {

// ---- JSON fields, leniently ----

const json::value* Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}
double NumOf(const json::object& o, std::string_view key, double fallback = 0) {
  const json::value* v = Field(o, key);
  if (!v) return fallback;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return fallback;
}
int64_t IntOf(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  if (v->is_string()) {
    int64_t x = 0;
    for (char c : v->get_string()) {
      if (c < '0' || c > '9') return 0;
      x = x * 10 + (c - '0');
    }
    return x;
  }
  return 0;
}
std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
const json::array& ArrayOf(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = Field(o, key);
  return v && v->is_array() ? v->get_array() : kEmpty;
}
json::object ParseObject(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? v.get_object() : json::object();
}

domain::RoundRules RulesFromJson(const json::object& o) {
  domain::RoundRules r;
  if (const json::value* v = Field(o, "avoid_home_county"); v && v->is_bool())
    r.avoid_home_county = v->get_bool();
  r.max_per_unit_per_township =
      static_cast<int>(Field(o, "max_per_unit_per_township") ? IntOf(o, "max_per_unit_per_township")
                                                             : r.max_per_unit_per_township);
  r.min_priority = NumOf(o, "min_priority", r.min_priority);
  if (Field(o, "circuit_capacity"))
    r.circuit_capacity = static_cast<int>(IntOf(o, "circuit_capacity"));
  return r;
}

constexpr std::string_view kRoundSelect =
    "SELECT id, scope, scope_lo, scope_hi, role, name, status, mode, proposing, seed, rules,"
    " start_date, created_at, created_by, matched_at, confirmed_at, result FROM dispatch_round";

RoundRow RoundFromRow(const Row& r) {
  RoundRow out;
  domain::DispatchRound& d = out.round;
  d.id = r.Int(0);
  d.scope = r.Text(1);
  out.range = DivisionRange{r.Int(2), r.Int(3)};
  d.role = r.Text(4);
  d.name = r.Text(5);
  d.status = r.Text(6);
  d.mode = r.Text(7);
  d.proposing = r.Text(8);
  d.seed = static_cast<uint64_t>(r.Int(9));
  d.rules = RulesFromJson(ParseObject(r.Text(10)));
  if (auto start = Date::Parse(r.Text(11)); start.ok()) d.start_date = *start;
  d.created_at = r.Text(12);
  d.created_by = r.Text(13);
  d.matched_at = r.Text(14);
  d.confirmed_at = r.Text(15);
  out.result_json = r.Text(16);
  return out;
}

bool Overlaps(const DivisionRange& a, const DivisionRange& b) { return !a.Intersect(b).empty(); }

std::string NotFoundText(int64_t id) { return fmt::format("dispatch round {} not found", id); }

Status RequireCounty(const Caller& caller, std::string_view what) {
  if (IsCountyStaff(caller)) return Status::Ok();
  return Status::PermissionDenied(
      fmt::format("only county staff or an administrator may {}", what));
}

// ---- receivers ----

Result<std::vector<Receiver>> LoadReceivers(Database& db, const RoundRow& row) {
  std::vector<Receiver> out;
  const std::string_view kind = ReceiverKind(row.round.role);
  const int64_t id = row.round.id;
  if (kind == "village") {
    QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT division_code, seats, need FROM round_village"
                                            " WHERE round_id = ? ORDER BY division_code",
                                            {Value(id)}));
    for (const Row& r : rows) {
      Receiver v;
      v.need = VillageNeedFromJson(ParseObject(r.Text(2)));
      v.need.division_code = r.Int(0);
      v.id = v.division = r.Int(0);
      v.name = v.need.name;
      v.seats = static_cast<int>(r.Int(1));
      v.villages = {v.id};
      out.push_back(std::move(v));
    }
  } else if (kind == "circuit") {
    QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT id, division_code, work_type, villages, seats,"
                                            " need FROM round_unit WHERE round_id = ? ORDER BY id",
                                            {Value(id)}));
    for (const Row& r : rows) {
      Receiver v;
      v.kind = "circuit";
      v.id = r.Int(0);
      v.division = r.Int(1);
      v.work_type = r.Text(2);
      v.villages = ParseIdArray(r.Text(3));
      v.seats = static_cast<int>(r.Int(4));
      const json::object need = ParseObject(r.Text(5));
      v.need = VillageNeedFromJson(need);
      v.need.division_code = v.division;
      for (const json::value& x : ArrayOf(need, "villages"))
        if (x.is_object()) v.village_needs.push_back(VillageNeedFromJson(x.get_object()));
      v.name = v.need.name.empty() ? CircuitName(v.need.township_name, v.work_type) : v.need.name;
      out.push_back(std::move(v));
    }
  } else {
    QJ_ASSIGN_OR_RETURN(
        auto rows, db.Query("SELECT rp.project_id, rp.division_code, rp.need, p.name, p.work_type,"
                            " p.start_date, p.end_date, p.status, p.description, p.updated_at"
                            " FROM round_project rp JOIN project p ON p.id = rp.project_id"
                            " WHERE rp.round_id = ? ORDER BY rp.project_id",
                            {Value(id)}));
    for (const Row& r : rows) {
      Receiver v;
      v.kind = "project";
      v.id = r.Int(0);
      v.division = r.Int(1);
      v.need = VillageNeedFromJson(ParseObject(r.Text(2)));
      v.need.division_code = v.division;
      domain::Project p;
      p.id = v.id;
      p.division_code = v.division;
      p.name = r.Text(3);
      p.work_type = r.Text(4);
      p.start_date = RequiredDate(r, 5);
      p.end_date = RequiredDate(r, 6);
      p.status = r.Text(7);
      p.description = r.Text(8);
      p.updated_at = r.Text(9);
      p.village_name = v.need.name;
      p.township_code = v.need.township_code;
      p.township_name = v.need.township_name;
      v.work_type = p.work_type;
      v.name = ProjectReceiverName(p.name, v.need.name);
      v.villages = {v.division};
      v.project = std::move(p);
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::string ReceiverText(std::string_view kind, int64_t id) {
  if (kind == "circuit") return fmt::format("circuit {}", id);
  if (kind == "project") return fmt::format("project {}", id);
  return fmt::format("village {:012d}", id);
}

// ---- results ----

void ReadStoredResult(const std::string& text, RoundResult& r) {
  const json::object o = ParseObject(text);
  for (const json::value& x : ArrayOf(o, "unmatched")) {
    if (!x.is_object()) continue;
    const json::object& u = x.get_object();
    r.unmatched.push_back(
        {TextOf(u, "side"), IntOf(u, "id"), TextOf(u, "name"), TextOf(u, "reason")});
  }
  for (const json::value& x : ArrayOf(o, "uncovered")) {
    if (!x.is_object()) continue;
    const json::object& u = x.get_object();
    r.uncovered.push_back({IntOf(u, "division_code"), TextOf(u, "name"), IntOf(u, "unit_id"),
                           TextOf(u, "unit_name"), TextOf(u, "reason")});
  }
  for (const json::value& x : ArrayOf(o, "explanations")) {
    if (!x.is_object()) continue;
    const json::object& e = x.get_object();
    RoundResult::Explanation ex{TextOf(e, "side"), IntOf(e, "id"), {}};
    for (const json::value& line : ArrayOf(e, "lines"))
      if (line.is_string()) ex.lines.emplace_back(line.get_string());
    r.explanations.push_back(std::move(ex));
  }
  if (const json::value* c = Field(o, "certificate"); c && c->is_object()) {
    r.blocking_pairs = IntOf(c->get_object(), "blocking_pairs");
    r.checked_pairs = IntOf(c->get_object(), "checked_pairs");
  }
  if (const json::value* t = Field(o, "totals"); t && t->is_object()) {
    const json::object& totals = t->get_object();
    r.total_fit = NumOf(totals, "total_fit");
    r.optimal_fit = NumOf(totals, "optimal_fit");
    r.price_of_stability = NumOf(totals, "price_of_stability");
    r.derived_cadre_lists = IntOf(totals, "derived_cadre_lists");
    r.derived_village_lists = IntOf(totals, "derived_village_lists");
  }
  r.input_hash = TextOf(o, "input_hash");
  r.output_hash = TextOf(o, "output_hash");
}

}  // namespace

// ---- shared (dispatch_round_internal.h) ----

Result<RoundRow> LoadRound(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kRoundSelect) + " WHERE id = ?", {Value(id)}));
  if (rows.empty()) return Status::NotFound(NotFoundText(id));
  RoundRow row = RoundFromRow(rows[0]);
  if (!Overlaps(row.range, caller.scope)) return Status::NotFound(NotFoundText(id));
  return row;
}

bool IsCountyStaff(const Caller& caller) {
  return caller.role == domain::Role::kCounty || caller.role == domain::Role::kAdmin;
}

Result<RoundRow> LoadRoundForChange(Database& db, const Caller& caller, int64_t id,
                                    std::string_view what) {
  QJ_RETURN_IF_ERROR(RequireCounty(caller, what));
  QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(db, caller, id));
  if (!caller.scope.Covers(row.range))
    return Status::PermissionDenied(
        fmt::format("dispatch round {} covers {}, beyond your scope", id, row.round.scope));
  return row;
}

Status RequireStatus(const RoundRow& row, std::initializer_list<std::string_view> allowed,
                     std::string_view what) {
  for (std::string_view s : allowed)
    if (row.round.status == s) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("dispatch round {} is {}: cannot {}", row.round.id, row.round.status, what));
}

json::object RoundAuditJson(const domain::DispatchRound& r) {
  json::object o = RoundJson(r);
  o.erase("created_at");
  return o;
}

Status AuditRound(Database& db, const Caller& caller, std::string action, const RoundRow& row,
                  std::optional<json::object> before, std::optional<json::object> after) {
  AuditRecord a;
  a.action = std::move(action);
  a.object = fmt::format("dispatch_round/{}", row.round.id);
  a.division_code = row.range.lo;
  a.before = std::move(before);
  a.after = std::move(after);
  return WriteAudit(db, caller, a);
}

CadreRow CadreFromRow(const Row& r, const Secrets* secrets) {
  CadreRow out;
  domain::Cadre& c = out.cadre;
  c.id = r.Int(0);
  c.county_code = r.Int(1);
  c.name = r.Text(2);
  c.sex = r.Text(3) == "female" ? domain::Sex::kFemale : domain::Sex::kMale;
  c.birth_date = OptDate(r, 4);
  if (secrets != nullptr) {
    if (auto id = secrets->Decrypt(r.BlobBytes(5)); id.ok()) c.id_number = *id;
    if (!r.IsNull(6))
      if (auto phone = secrets->Decrypt(r.BlobBytes(6)); phone.ok()) c.phone = *phone;
  }
  out.phone_enc = r.BlobBytes(6);
  c.sending_unit = r.Text(7);
  c.unit_kind = r.Text(8);
  c.skills = ParseStringArray(r.Text(9));
  c.home_code = r.Int(10);
  c.available = r.Int(11) != 0;
  c.term_months = static_cast<int>(r.Int(12));
  c.note = r.Text(13);
  c.person_id = r.Int(14);
  c.updated_at = r.Text(15);
  out.id_number_hash = r.Text(16);
  c.kind = r.Text(17);
  c.residence = r.Text(18);
  return out;
}

std::string_view ReceiverKind(std::string_view role) { return ReceiverKindOfRole(role); }

std::string_view ReceiverNounZh(std::string_view kind) {
  if (kind == "circuit") return "巡回组";
  if (kind == "project") return "项目";
  return "村";
}

std::string WorkTypeZh(std::string_view work_type) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"party_building", "党建"},
      {"industry", "产业发展"},
      {"agronomy", "农业技术"},
      {"law_petitions", "法治与信访"},
      {"planning_construction", "规划建设"},
      {"finance", "财务与集体经济管理"},
      {"e_commerce", "电商"},
      {"governance", "基层治理"},
      {"health", "医疗卫生"},
      {"education", "教育"},
  };
  for (const auto& [key, name] : kNames)
    if (key == work_type) return std::string(name);
  return std::string(work_type);
}

std::string CircuitName(std::string_view township_name, std::string_view work_type) {
  return fmt::format("{}·{}巡回组", township_name, WorkTypeZh(work_type));
}

std::string ProjectReceiverName(std::string_view project_name, std::string_view village_name) {
  // The registry's "石猴村村民委员会" reads "石猴村" here, "XX社区居民委员会" "XX社区".
  for (std::string_view suffix : {std::string_view("村民委员会"), std::string_view("居民委员会")}) {
    if (village_name.size() > suffix.size() && village_name.ends_with(suffix)) {
      village_name.remove_suffix(suffix.size());
      break;
    }
  }
  if (village_name.empty()) return std::string(project_name);
  return fmt::format("{}（{}）", project_name, village_name);
}

Result<Participants> LoadParticipants(Database& db, const RoundRow& row, const Secrets* secrets) {
  Participants p;
  const int64_t round_id = row.round.id;
  p.kind = std::string(ReceiverKind(row.round.role));
  QJ_ASSIGN_OR_RETURN(
      auto cadres, db.Query(std::string(kCadreSelect) + " JOIN round_cadre rc ON rc.cadre_id = c.id"
                                                        " WHERE rc.round_id = ? ORDER BY c.id",
                            {Value(round_id)}));
  for (const Row& r : cadres) {
    p.cadre_index[r.Int(0)] = p.cadres.size();
    p.cadres.push_back(CadreFromRow(r, secrets));
  }
  QJ_ASSIGN_OR_RETURN(p.receivers, LoadReceivers(db, row));
  for (size_t j = 0; j < p.receivers.size(); ++j) p.receiver_index[p.receivers[j].id] = j;
  QJ_ASSIGN_OR_RETURN(auto prefs,
                      db.Query("SELECT side, owner, tiers, derived, updated_at FROM preference"
                               " WHERE round_id = ? ORDER BY side, owner",
                               {Value(round_id)}));
  for (const Row& r : prefs) {
    domain::Preference pref;
    pref.round_id = round_id;
    pref.side = r.Text(0);
    pref.owner = r.Int(1);
    boost::system::error_code ec;
    json::value tiers = json::parse(r.Text(2), ec);
    if (!ec && tiers.is_array()) {
      for (const json::value& t : tiers.get_array()) {
        std::vector<int64_t> ids;
        if (t.is_array())
          for (const json::value& x : t.get_array())
            if (x.is_int64()) ids.push_back(x.get_int64());
        pref.tiers.push_back(std::move(ids));
      }
    }
    pref.derived = r.Int(3) != 0;
    pref.updated_at = r.Text(4);
    p.prefs[{pref.side, pref.owner}] = std::move(pref);
  }
  return p;
}

bool ReceiverInScope(const Caller& caller, const Receiver& r) {
  for (int64_t v : r.villages)
    if (caller.InScope(v)) return true;
  return caller.InScope(r.division);
}

std::string TiersText(const std::vector<std::vector<int64_t>>& tiers) {
  json::array a;
  for (const auto& tier : tiers) {
    json::array t;
    for (int64_t id : tier) t.emplace_back(id);
    a.push_back(std::move(t));
  }
  return json::serialize(a);
}

std::vector<int64_t> ParseIdArray(std::string_view text) {
  std::vector<int64_t> out;
  if (text.empty()) return out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& x : v.get_array()) {
    if (x.is_int64()) out.push_back(x.get_int64());
    if (x.is_uint64()) out.push_back(static_cast<int64_t>(x.get_uint64()));
  }
  return out;
}

std::string IdArrayText(const std::vector<int64_t>& ids) {
  json::array a;
  for (int64_t id : ids) a.emplace_back(id);
  return json::serialize(a);
}

bool HomeCountyClash(const domain::DispatchRound& round, const domain::Cadre& c, int64_t place) {
  return round.rules.avoid_home_county && c.kind != "worthy" && c.home_code > 0 &&
         c.home_code / 1'000'000 == place / 1'000'000;
}

json::object StoredResultJson(const RoundResult& r, int64_t violations, int solves,
                              int64_t exclusions) {
  json::object o = RoundResultJson(r);
  o.erase("round");
  o.erase("assignments");
  o["certificate"].as_object()["violations"] = violations;
  o["solves"] = solves;
  o["exclusions"] = exclusions;
  return o;
}

Result<RoundResult> LoadResult(Database& db, const Caller& caller, const RoundRow& row) {
  RoundResult r;
  r.round = row.round;
  ReadStoredResult(row.result_json, r);
  const bool whole = caller.scope.Covers(row.range);
  const std::string_view kind = ReceiverKind(row.round.role);
  QJ_ASSIGN_OR_RETURN(std::vector<Receiver> receivers, LoadReceivers(db, row));
  std::map<int64_t, const Receiver*> receiver_of;
  for (const Receiver& v : receivers) receiver_of[v.id] = &v;
  // Names of the villages a circuit's instructors cover, from the snapshot.
  std::map<int64_t, std::string> village_name;
  for (const Receiver& v : receivers)
    for (const domain::VillageNeed& n : v.village_needs) village_name[n.division_code] = n.name;

  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT a.cadre_id, a.division_code, a.fit, a.cadre_rank, a.village_rank,"
               " a.start_date, a.end_date, a.post_id, c.name, COALESCE(d.name, ''), a.unit_id,"
               " a.villages, a.post_ids"
               " FROM assignment a JOIN cadre c ON c.id = a.cadre_id"
               " LEFT JOIN division d ON d.code = a.division_code"
               " WHERE a.round_id = ? ORDER BY a.division_code, a.cadre_id",
               {Value(row.round.id)}));
  std::set<int64_t> visible_cadres;
  std::set<int64_t> named_units;
  for (const Row& x : rows) {
    domain::Assignment a;
    a.round_id = row.round.id;
    a.cadre_id = x.Int(0);
    a.division_code = x.Int(1);
    a.fit = x.Real(2);
    a.cadre_rank = static_cast<int>(x.Int(3));
    a.village_rank = static_cast<int>(x.Int(4));
    a.start_date = OptDate(x, 5);
    a.end_date = OptDate(x, 6);
    a.post_id = x.Int(7);
    a.unit_id = x.IsNull(10) ? 0 : x.Int(10);
    a.villages = ParseIdArray(x.Text(11));
    if (a.villages.empty() && kind != "circuit") a.villages = {a.division_code};
    a.post_ids = ParseIdArray(x.Text(12));
    if (a.post_ids.empty() && a.post_id > 0) a.post_ids = {a.post_id};
    bool in_scope = caller.InScope(a.division_code);
    for (int64_t v : a.villages) in_scope = in_scope || caller.InScope(v);
    if (!in_scope) continue;
    r.cadre_names.emplace_back(a.cadre_id, x.Text(8));
    r.village_names.emplace_back(a.division_code, x.Text(9));
    for (int64_t v : a.villages) {
      if (v == a.division_code) continue;
      auto it = village_name.find(v);
      r.village_names.emplace_back(v, it == village_name.end() ? std::string() : it->second);
    }
    if (a.unit_id != 0 && named_units.insert(a.unit_id).second) {
      auto it = receiver_of.find(a.unit_id);
      r.unit_names.emplace_back(a.unit_id,
                                it == receiver_of.end() ? std::string() : it->second->name);
    }
    visible_cadres.insert(a.cadre_id);
    r.assignments.push_back(std::move(a));
  }
  if (!whole) {
    auto keep = [&](const std::string& side, int64_t id) {
      if (side != "village") return visible_cadres.count(id) > 0;
      auto it = receiver_of.find(id);
      return it == receiver_of.end() ? caller.InScope(id) : ReceiverInScope(caller, *it->second);
    };
    std::erase_if(r.unmatched, [&](const Unmatched& u) { return !keep(u.side, u.id); });
    std::erase_if(r.explanations,
                  [&](const RoundResult::Explanation& e) { return !keep(e.side, e.id); });
    std::erase_if(r.uncovered, [&](const RoundResult::Uncovered& u) {
      return !caller.InScope(u.division_code);
    });
  }
  return r;
}

// ---- the state changes, at a clock ----

Result<domain::DispatchRound> CreateRound(Env env, const Caller& caller,
                                          domain::DispatchRound round, const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireCounty(caller, "create a dispatch round"));
  if (round.scope.empty()) {
    if (caller.scope_prefix.size() != 6)
      return Status::InvalidField("scope", "is required: the county's 6 digits");
    round.scope = caller.scope_prefix;
  }
  round.id = 0;
  round.status = "draft";
  round.created_at = clock.now;
  round.created_by = caller.username;
  round.matched_at.clear();
  round.confirmed_at.clear();
  QJ_RETURN_IF_ERROR(domain::ValidateRound(round));
  auto parsed = ParseScopePrefix(round.scope);
  if (!parsed.ok() || round.scope.size() != 6)
    return Status::InvalidField("scope", "must be a county's 6 digits, e.g. 130624");
  const DivisionRange range = *parsed;
  const std::string what = fmt::format("division {} not found", round.scope);
  if (!caller.scope.Covers(range)) return Status::NotFound(what);
  auto db = env.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto found,
                        db->Query("SELECT 1 FROM division WHERE code = ?", {Value(range.lo)}));
    if (found.empty()) return Status::NotFound(what);
    QJ_ASSIGN_OR_RETURN(
        auto inserted,
        db->Query("INSERT INTO dispatch_round (scope, scope_lo, scope_hi, role, name, status, mode,"
                  " proposing, seed, rules, start_date, created_at, created_by)"
                  " VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {Value(round.scope), Value(range.lo), Value(range.hi), Value(round.role),
                   Value(round.name), Value(round.mode), Value(round.proposing),
                   Value(static_cast<int64_t>(round.seed)),
                   Value(json::serialize(RoundRulesJson(round.rules))),
                   Value(round.start_date.ToString()), Value(clock.now), Value(caller.username)}));
    round.id = inserted.at(0).Int(0);
    RoundRow row{round, range, ""};
    return AuditRound(*db, caller, "dispatch_round.create", row, std::nullopt,
                      RoundAuditJson(round));
  }));
  return round;
}

namespace {

// Checks one list against the round's participants and rules and stores it (an empty list
// withdraws a submitted one), with its audit row, inside the caller's write transaction.
// InvalidArgument naming "owner" or "tiers[i][j]"; PermissionDenied / NotFound / FailedPrecondition
// as PutPreference.
Status StorePreference(Database& db, const Caller& caller, const RoundRow& row,
                       const Participants& parts, domain::Preference& pref, const Clock& clock) {
  const std::string& kind = parts.kind;
  const bool county = IsCountyStaff(caller) && caller.scope.Covers(row.range);
  if (pref.side == "cadre" && !county)
    return Status::PermissionDenied("only county staff or an administrator enter a cadre's list");
  const Receiver* owner_receiver = nullptr;
  if (pref.side == "village") {
    // A village is named by its code; a circuit or project by its id, in scope through its
    // villages (an unknown id is a field error below).
    owner_receiver = parts.FindReceiver(pref.owner);
    const int64_t place = kind == "village" ? pref.owner
                          : owner_receiver  ? owner_receiver->division
                                            : 0;
    if (place != 0 &&
        !(owner_receiver ? ReceiverInScope(caller, *owner_receiver) : caller.InScope(place)))
      return Status::NotFound(fmt::format("{} not found", ReceiverText(kind, pref.owner)));
    if (!county && caller.role != domain::Role::kTownship)
      return Status::PermissionDenied(
          "a village's list is entered by its township, county staff or an administrator");
  }
  QJ_RETURN_IF_ERROR(RequireStatus(row, {"preferences_open", "matched"},
                                   "change lists (they are open from opening to confirmation)"));
  const bool cadre_side = pref.side == "cadre";
  const CadreRow* owner_cadre = nullptr;
  if (cadre_side) {
    auto it = parts.cadre_index.find(pref.owner);
    if (it == parts.cadre_index.end())
      return Status::InvalidField(
          "owner",
          fmt::format("cadre {} is not a participant of round {}", pref.owner, row.round.id));
    owner_cadre = &parts.cadres[it->second];
  } else if (owner_receiver == nullptr) {
    return Status::InvalidField("owner",
                                fmt::format("{} is not a participant of round {}",
                                            ReceiverText(kind, pref.owner), row.round.id));
  }
  // A circuit takes only instructors who bring its work type.
  auto lacks_work_type = [&](const domain::Cadre& c, const Receiver& v) {
    return kind == "circuit" &&
           std::find(c.skills.begin(), c.skills.end(), v.work_type) == c.skills.end();
  };
  FieldErrors errors;
  std::map<int64_t, std::string> seen;  // id -> where it was first ranked
  for (size_t i = 0; i < pref.tiers.size(); ++i) {
    if (pref.tiers[i].empty()) errors.Add(fmt::format("tiers[{}]", i), "must not be empty");
    for (size_t j = 0; j < pref.tiers[i].size(); ++j) {
      const int64_t x = pref.tiers[i][j];
      const std::string field = fmt::format("tiers[{}][{}]", i, j);
      if (cadre_side) {
        const Receiver* v = parts.FindReceiver(x);
        if (v == nullptr) {
          errors.Add(field,
                     fmt::format("{} is not a participant of this round", ReceiverText(kind, x)));
          continue;
        }
        if (HomeCountyClash(row.round, owner_cadre->cadre, v->division)) {
          errors.Add(field,
                     kind == "village"
                         ? fmt::format("{} ({:012d}) is in the home county of {}: excluded by"
                                       " the avoidance rule (任职回避)",
                                       v->name, x, owner_cadre->cadre.name)
                         : fmt::format("{} is in the home county of {}: excluded by the"
                                       " avoidance rule (任职回避)",
                                       v->name, owner_cadre->cadre.name));
          continue;
        }
        if (lacks_work_type(owner_cadre->cadre, *v)) {
          errors.Add(field, fmt::format("{} does not bring {} ({}), the work type of {}",
                                        owner_cadre->cadre.name, WorkTypeZh(v->work_type),
                                        v->work_type, v->name));
          continue;
        }
      } else {
        auto it = parts.cadre_index.find(x);
        if (it == parts.cadre_index.end()) {
          errors.Add(field, fmt::format("cadre {} is not a participant of this round", x));
          continue;
        }
        const domain::Cadre& c = parts.cadres[it->second].cadre;
        if (HomeCountyClash(row.round, c, owner_receiver->division)) {
          errors.Add(field, fmt::format("{} (cadre {}) has this {}'s county as home county:"
                                        " excluded by the avoidance rule (任职回避)",
                                        c.name, x, kind));
          continue;
        }
        if (lacks_work_type(c, *owner_receiver)) {
          errors.Add(field, fmt::format("{} (cadre {}) does not bring {} ({}), this circuit's"
                                        " work type",
                                        c.name, x, WorkTypeZh(owner_receiver->work_type),
                                        owner_receiver->work_type));
          continue;
        }
      }
      auto [at, fresh] = seen.emplace(x, field);
      if (!fresh)
        errors.Add(field, fmt::format("ranks {} twice (first at {})",
                                      cadre_side && kind == "village" ? fmt::format("{:012d}", x)
                                                                      : std::to_string(x),
                                      at->second));
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());

  std::optional<json::object> before;
  if (auto it = parts.prefs.find({pref.side, pref.owner}); it != parts.prefs.end())
    before = PreferenceJson(it->second, kind);
  AuditRecord a;
  a.action = "dispatch_preference.put";
  a.object = fmt::format("dispatch_round/{}/{}/{}", row.round.id, pref.side, pref.owner);
  a.division_code = cadre_side ? row.range.lo : owner_receiver->division;
  a.before = before;
  pref.derived = false;
  pref.updated_at = clock.now;
  if (pref.tiers.empty()) {
    // An empty list withdraws the submitted one: the list is derived from fit at the run.
    QJ_RETURN_IF_ERROR(db.Execute("DELETE FROM preference WHERE round_id = ? AND side = ?"
                                   " AND owner = ?",
                                   {Value(pref.round_id), Value(pref.side), Value(pref.owner)})
                           .status());
    a.action = "dispatch_preference.withdraw";
  } else {
    QJ_RETURN_IF_ERROR(
        db.Execute(
              "INSERT INTO preference (round_id, side, owner, tiers, derived, updated_at,"
              " updated_by) VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (round_id, side, owner)"
              " DO UPDATE SET tiers = excluded.tiers, derived = 0,"
              " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
              {Value(pref.round_id), Value(pref.side), Value(pref.owner),
               Value(TiersText(pref.tiers)), Value(clock.now), Value(caller.username)})
            .status());
    a.after = PreferenceJson(pref, kind);
  }
  return WriteAudit(db, caller, a);
}

// "tiers[3][1]" -> {3, 1}; nullopt for any other field.
std::optional<std::pair<size_t, size_t>> TierEntry(std::string_view field) {
  size_t i = 0, j = 0;
  if (std::sscanf(std::string(field).c_str(), "tiers[%zu][%zu]", &i, &j) != 2) return std::nullopt;
  if (field != fmt::format("tiers[{}][{}]", i, j)) return std::nullopt;
  return std::pair{i, j};
}

}  // namespace

Result<domain::Preference> PutRoundPreference(Env env, const Caller& caller,
                                              domain::Preference pref, const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (pref.side != "cadre" && pref.side != "village")
    return Status::InvalidField("side", "must be \"cadre\" or \"village\"");
  auto db = env.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(*db, caller, pref.round_id));
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, row, env.secrets));
    return StorePreference(*db, caller, row, parts, pref, clock);
  }));
  return pref;
}

Result<PreferenceImportReport> ImportRoundPreferences(Env env, const Caller& caller,
                                                      int64_t round_id, std::string_view format,
                                                      std::string_view raw, const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (format != "csv" && format != "json")
    return Status::InvalidField("format", "must be csv or json");
  QJ_ASSIGN_OR_RETURN(std::string text, DecodeUploadText(raw));
  const json::object like{{"side", ""}, {"owner", ""}, {"rank", 0}, {"member", ""}};
  TableRows input;
  if (format == "csv") {
    QJ_ASSIGN_OR_RETURN(input, ReadCsvRows(text, like));
  } else {
    QJ_ASSIGN_OR_RETURN(input, ReadJsonRows(text, like));
  }
  if (input.rows.empty()) return Status::InvalidField("rows", "the file holds no rows");
  if (input.rows.size() > static_cast<size_t>(kMaxImportRows))
    return Status::InvalidField("rows", fmt::format("at most {} rows", kMaxImportRows));

  // Each row: side, owner, rank (1 = first; equal ranks are a tie) and one member of the list.
  std::vector<FieldError> errors;
  size_t bad_rows = 0;
  auto id_of = [](const json::value* v) -> std::optional<int64_t> {
    if (v == nullptr) return std::nullopt;
    if (v->is_int64() && v->get_int64() > 0) return v->get_int64();
    if (!v->is_string()) return std::nullopt;
    const std::string t(v->get_string());
    int64_t x = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || x <= 0) return std::nullopt;
    return x;
  };
  struct Entry {
    int64_t rank = 0;
    int64_t member = 0;
    size_t row = 0;
  };
  std::map<std::pair<std::string, int64_t>, std::vector<Entry>> lists;
  for (size_t r = 0; r < input.rows.size(); ++r) {
    const json::object& o = input.rows[r];
    const size_t before = errors.size();
    auto fail = [&](std::string_view key, std::string message) {
      errors.push_back({fmt::format("rows[{}].{}", r, key), std::move(message)});
    };
    const json::value* side = o.if_contains("side");
    std::string side_text = side && side->is_string() ? std::string(side->get_string()) : "";
    if (side_text != "cadre" && side_text != "village")
      fail("side", "must be cadre (a cadre's list of receivers) or village (a receiver's list of cadres)");
    const std::optional<int64_t> owner = id_of(o.if_contains("owner"));
    if (!owner) fail("owner", "must be a cadre id, a 12-digit village code, or a circuit or project id");
    const json::value* rank_v = o.if_contains("rank");
    int64_t rank = 0;
    if (rank_v && rank_v->is_int64()) rank = rank_v->get_int64();
    if (rank_v && rank_v->is_double() && rank_v->get_double() == static_cast<double>(static_cast<int64_t>(rank_v->get_double())))
      rank = static_cast<int64_t>(rank_v->get_double());
    if (rank < 1 || rank > 1000) fail("rank", "must be a whole number from 1 (first choice) to 1000");
    const std::optional<int64_t> member = id_of(o.if_contains("member"));
    if (!member) fail("member", "must be the id or 12-digit code of the other side's participant");
    if (errors.size() != before) {
      ++bad_rows;
      continue;
    }
    lists[{side_text, *owner}].push_back({rank, *member, r});
  }
  if (!errors.empty()) return ImportErrors(errors, bad_rows, input.rows.size());

  PreferenceImportReport report;
  report.rows = static_cast<int64_t>(input.rows.size());
  auto db = env.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(*db, caller, round_id));
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, row, env.secrets));
    std::set<size_t> bad;
    for (auto& [key, entries] : lists) {
      std::stable_sort(entries.begin(), entries.end(),
                       [](const Entry& a, const Entry& b) { return a.rank < b.rank; });
      domain::Preference pref;
      pref.round_id = round_id;
      pref.side = key.first;
      pref.owner = key.second;
      std::vector<std::vector<size_t>> rows_of;  // tiers[i][j] -> its row
      for (size_t k = 0; k < entries.size(); ++k) {
        if (k == 0 || entries[k].rank != entries[k - 1].rank) {
          pref.tiers.emplace_back();
          rows_of.emplace_back();
        }
        pref.tiers.back().push_back(entries[k].member);
        rows_of.back().push_back(entries[k].row);
      }
      Status st = StorePreference(*db, caller, row, parts, pref, clock);
      if (st.ok()) {
        ++report.lists;
        continue;
      }
      if (st.code() != StatusCode::kInvalidArgument) return st;
      const size_t first = entries.front().row;
      for (const FieldError& e : st.field_errors()) {
        if (auto ij = TierEntry(e.field)) {
          const size_t r = rows_of[ij->first][ij->second];
          errors.push_back({fmt::format("rows[{}].member", r), e.message});
          bad.insert(r);
        } else {
          errors.push_back({fmt::format("rows[{}].{}", first, e.field), e.message});
          bad.insert(first);
        }
      }
      if (st.field_errors().empty()) {
        errors.push_back({fmt::format("rows[{}]", first), st.message()});
        bad.insert(first);
      }
    }
    if (!errors.empty()) {
      std::stable_sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
        auto row_of = [](const std::string& f) { return std::atoll(f.c_str() + 5); };
        return row_of(a.field) < row_of(b.field);
      });
      return ImportErrors(errors, bad.size(), input.rows.size());
    }
    return Status::Ok();
  }));
  return report;
}

Result<std::vector<FirstSecretaryTerm>> FirstSecretaryTerms(Env env, const Caller& caller, int days,
                                                            const Date& today) {
  if (days < 0 || days > 3660) return Status::InvalidField("days", "must be 0..3660");
  auto db = env.pool->Acquire();
  std::vector<FirstSecretaryTerm> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    // The round behind each post: a post is an assignment's (first) post or one of a circuit
    // assignment's posts. Read per round touching the scope, not per post.
    QJ_ASSIGN_OR_RETURN(
        auto made, db->Query("SELECT a.round_id, a.post_id, a.post_ids FROM assignment a"
                             " JOIN dispatch_round r ON r.id = a.round_id"
                             " WHERE a.post_id IS NOT NULL AND r.scope_lo <= ? AND r.scope_hi >= ?",
                             {Value(caller.scope.hi), Value(caller.scope.lo)}));
    std::map<int64_t, int64_t> round_of;  // post -> the earliest round naming it
    auto note = [&](int64_t post, int64_t round) {
      auto [it, fresh] = round_of.emplace(post, round);
      if (!fresh) it->second = std::min(it->second, round);
    };
    for (const Row& r : made) {
      note(r.Int(1), r.Int(0));
      for (int64_t post : ParseIdArray(r.Text(2))) note(post, r.Int(0));
    }
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("SELECT s.id, s.division_code, COALESCE(d.name, ''), p.name, s.kind,"
                  " s.start_date, s.end_date FROM post s JOIN person p ON p.id = s.person_id"
                  " LEFT JOIN division d ON d.code = s.division_code"
                  " WHERE s.kind IN ('first_secretary', 'instructor', 'advisor')"
                  " AND s.division_code BETWEEN ? AND ?"
                  " ORDER BY s.start_date DESC, s.id DESC",
                  {Value(caller.scope.lo), Value(caller.scope.hi)}));
    for (const Row& r : rows) {
      FirstSecretaryTerm t;
      t.post_id = r.Int(0);
      t.division_code = r.Int(1);
      t.village_name = r.Text(2);
      t.person_name = r.Text(3);
      t.post_kind = r.Text(4);
      if (auto it = round_of.find(t.post_id); it != round_of.end()) t.round_id = it->second;
      t.start_date = RequiredDate(r, 5);
      t.end_date = OptDate(r, 6);
      t.current = t.start_date <= today && (!t.end_date || *t.end_date > today);
      if (t.current && t.end_date) {
        t.days_left = t.end_date->DaysSinceEpoch() - today.DaysSinceEpoch();
        t.ending_soon = t.days_left <= days;
      }
      out.push_back(std::move(t));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace internal

using namespace internal;

Result<domain::DispatchRound> DispatchRoundService::Create(const Caller& caller,
                                                           domain::DispatchRound round) {
  return CreateRound(env_, caller, std::move(round), SystemClock());
}

Result<std::vector<domain::DispatchRound>> DispatchRoundService::List(const Caller& caller) {
  auto db = env_.pool->Acquire();
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db->Query(std::string(kRoundSelect) +
                                    " WHERE scope_lo <= ? AND scope_hi >= ? ORDER BY id DESC",
                                {Value(caller.scope.hi), Value(caller.scope.lo)}));
  std::vector<domain::DispatchRound> out;
  for (const Row& r : rows) out.push_back(RoundFromRow(r).round);
  return out;
}

Result<domain::DispatchRound> DispatchRoundService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(*db, caller, id));
  return row.round;
}

Status DispatchRoundService::Delete(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row,
                        LoadRoundForChange(*db, caller, id, "delete a dispatch round"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"draft"}, "delete it (only drafts are deleted)"));
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM dispatch_round WHERE id = ?", {Value(id)}).status());
    return AuditRound(*db, caller, "dispatch_round.delete", row, RoundAuditJson(row.round),
                      std::nullopt);
  });
}

Result<domain::DispatchRound> DispatchRoundService::Open(const Caller& caller, int64_t id) {
  return OpenRound(env_, caller, id, SystemClock());
}

Result<std::vector<RoundCadre>> DispatchRoundService::Cadres(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::vector<RoundCadre> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(*db, caller, id));
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, row, env_.secrets));
    for (const CadreRow& c : parts.cadres) {
      RoundCadre rc;
      rc.cadre = MaskedCadre(c.cadre);
      rc.receivers = parts.kind;
      if (auto it = parts.prefs.find({"cadre", c.cadre.id}); it != parts.prefs.end())
        rc.preference = it->second;
      out.push_back(std::move(rc));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<RoundVillage>> DispatchRoundService::Villages(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::vector<RoundVillage> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(*db, caller, id));
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, row, nullptr));
    for (const Receiver& v : parts.receivers) {
      if (!ReceiverInScope(caller, v)) continue;
      RoundVillage rv;
      rv.need = v.need;
      rv.seats = v.seats;
      rv.kind = v.kind;
      rv.id = v.id;
      rv.name = v.name;
      rv.work_type = v.work_type;
      rv.villages = v.villages;
      rv.project = v.project;
      rv.village_needs = v.village_needs;
      if (v.kind != "circuit") rv.village_needs = {v.need};
      if (auto it = parts.prefs.find({"village", v.id}); it != parts.prefs.end())
        rv.preference = it->second;
      out.push_back(std::move(rv));
    }
    return Status::Ok();
  }));
  return out;
}

Result<domain::Preference> DispatchRoundService::PutPreference(const Caller& caller,
                                                               domain::Preference pref) {
  return PutRoundPreference(env_, caller, std::move(pref), SystemClock());
}

Result<PreferenceImportReport> DispatchRoundService::ImportPreferences(const Caller& caller,
                                                                      int64_t id,
                                                                      std::string_view format,
                                                                      std::string_view raw) {
  return ImportRoundPreferences(env_, caller, id, format, raw, SystemClock());
}

Result<RoundResult> DispatchRoundService::Run(const Caller& caller, int64_t id) {
  return RunRound(env_, caller, id, SystemClock());
}

Result<RoundResult> DispatchRoundService::GetResult(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::optional<RoundResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(*db, caller, id));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"matched", "confirmed"}, "show a result before a run"));
    QJ_ASSIGN_OR_RETURN(RoundResult r, LoadResult(*db, caller, row));
    out = std::move(r);
    return Status::Ok();
  }));
  return *out;
}

Result<RoundResult> DispatchRoundService::Confirm(const Caller& caller, int64_t id) {
  return ConfirmRound(env_, caller, id, SystemClock());
}

Result<std::vector<FirstSecretaryTerm>> DispatchRoundService::Terms(const Caller& caller,
                                                                    int days) {
  return FirstSecretaryTerms(env_, caller, days, Date::TodayInChina());
}

}  // namespace qiangji::services

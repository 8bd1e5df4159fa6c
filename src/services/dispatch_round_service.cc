// Dispatch rounds (双选派): draft -> preferences_open -> matched -> confirmed.
//
// Opening snapshots the participants: the county's available cadres and the villages that need
// a first secretary and have none (NeedsService: a weak-and-lax or key village, or a priority at
// or above the round's min_priority), one seat each. Lists are entered while preferences are open
// (and may still be changed after a match, to be run again). Running builds one
// engines::match::DispatchProblem and solves it with SolveDispatch (engines/match/fit.h):
// missing lists are derived from fit and stored marked derived, the home-county and
// sending-unit rules become hard exclusions, deferred acceptance (or the optimal fit) gives the
// matching, and the independent checker its certificate. Confirming turns each assignment into a
// first_secretary post from the round's start date for the cadre's term.
//
// Fit in the database's words: a cadre's skills are levels 1 for the first (main) skill and 0.8
// for the others; a village's needs are its need skills' weights; priority scales fit by
// 1 + priority / 100. Both sides speak domain::kWorkSkills, which the engine uses as is.
//
// Visibility follows assessment runs: a round is visible when its scope overlaps the caller's;
// villages, results and terms are cut to the caller's scope. Changing a round takes county staff
// or an administrator covering the whole round; a township enters its own villages' lists.
#include <algorithm>
#include <unordered_set>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "engines/match/fit.h"
#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/dispatch_pool_internal.h"
#include "services/dispatch_round_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace internal {
namespace {

namespace match = engines::match;

constexpr double kSecondarySkillLevel = 0.8;

// ---- rows ----

struct RoundRow {
  domain::DispatchRound round;
  DivisionRange range;
  std::string result_json;
};

constexpr std::string_view kRoundSelect =
    "SELECT id, scope, scope_lo, scope_hi, role, name, status, mode, proposing, seed, rules,"
    " start_date, created_at, created_by, matched_at, confirmed_at, result FROM dispatch_round";

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
  return r;
}

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

Result<RoundRow> LoadRound(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query(std::string(kRoundSelect) + " WHERE id = ?", {Value(id)}));
  if (rows.empty()) return Status::NotFound(NotFoundText(id));
  RoundRow row = RoundFromRow(rows[0]);
  if (!Overlaps(row.range, caller.scope)) return Status::NotFound(NotFoundText(id));
  return row;
}

bool IsCountyStaff(const Caller& caller) {
  return caller.role == domain::Role::kCounty || caller.role == domain::Role::kAdmin;
}

Status RequireCounty(const Caller& caller, std::string_view what) {
  if (IsCountyStaff(caller)) return Status::Ok();
  return Status::PermissionDenied(
      fmt::format("only county staff or an administrator may {}", what));
}

// A round the caller may change: visible, and wholly inside the caller's scope.
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
  return Status::FailedPrecondition(fmt::format("dispatch round {} is {}: cannot {}",
                                                row.round.id, row.round.status, what));
}

json::object RoundAuditJson(const domain::DispatchRound& r) {
  json::object o = RoundJson(r);
  o.erase("created_at");
  return o;
}

Status Audit(Database& db, const Caller& caller, std::string action, const RoundRow& row,
             std::optional<json::object> before, std::optional<json::object> after) {
  AuditRecord a;
  a.action = std::move(action);
  a.object = fmt::format("dispatch_round/{}", row.round.id);
  a.division_code = row.range.lo;
  a.before = std::move(before);
  a.after = std::move(after);
  return WriteAudit(db, caller, a);
}

// ---- cadres ----

constexpr std::string_view kCadreSelect =
    "SELECT c.id, c.county_code, c.name, c.sex, c.birth_date, c.id_number_enc, c.phone_enc,"
    " c.sending_unit, c.unit_kind, c.skills, c.home_code, c.available, c.term_months, c.note,"
    " c.person_id, c.updated_at, c.id_number_hash FROM cadre c";

struct CadreRow {
  domain::Cadre cadre;  // id_number and phone plain
  std::string id_number_hash;
  std::string phone_enc;
};

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
  return out;
}

domain::Cadre Masked(domain::Cadre c) {
  c.id_number = MaskIdNumber(c.id_number);
  c.phone = MaskPhone(c.phone);
  return c;
}

// ---- participants ----

struct Participants {
  std::vector<CadreRow> cadres;  // by id
  struct Village {
    domain::VillageNeed need;
    int seats = 1;
  };
  std::vector<Village> villages;  // by code
  std::map<int64_t, size_t> cadre_index;
  std::map<int64_t, size_t> village_index;
  std::map<std::pair<std::string, int64_t>, domain::Preference> prefs;  // (side, owner)
};

Result<Participants> LoadParticipants(Database& db, int64_t round_id, const Secrets* secrets) {
  Participants p;
  QJ_ASSIGN_OR_RETURN(auto cadres,
                      db.Query(std::string(kCadreSelect) +
                                   " JOIN round_cadre rc ON rc.cadre_id = c.id"
                                   " WHERE rc.round_id = ? ORDER BY c.id",
                               {Value(round_id)}));
  for (const Row& r : cadres) {
    p.cadre_index[r.Int(0)] = p.cadres.size();
    p.cadres.push_back(CadreFromRow(r, secrets));
  }
  QJ_ASSIGN_OR_RETURN(auto villages,
                      db.Query("SELECT division_code, seats, need FROM round_village"
                               " WHERE round_id = ? ORDER BY division_code",
                               {Value(round_id)}));
  for (const Row& r : villages) {
    Participants::Village v;
    v.need = VillageNeedFromJson(ParseObject(r.Text(2)));
    v.need.division_code = r.Int(0);
    v.seats = static_cast<int>(r.Int(1));
    p.village_index[r.Int(0)] = p.villages.size();
    p.villages.push_back(std::move(v));
  }
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

std::string TiersText(const std::vector<std::vector<int64_t>>& tiers) {
  json::array a;
  for (const auto& tier : tiers) {
    json::array t;
    for (int64_t id : tier) t.emplace_back(id);
    a.push_back(std::move(t));
  }
  return json::serialize(a);
}

bool HomeCountyClash(const domain::DispatchRound& round, const domain::Cadre& c, int64_t village) {
  return round.rules.avoid_home_county && c.home_code > 0 &&
         c.home_code / 1'000'000 == village / 1'000'000;
}

// ---- the problem ----

void AddSkill(std::vector<std::pair<std::string, double>>& items, const std::string& skill,
              double weight) {
  auto add = [&](const std::string& key, double w) {
    for (auto& [k, x] : items) {
      if (k == key) {
        x = std::max(x, w);
        return;
      }
    }
    items.emplace_back(key, w);
  };
  if (match::IsWorkType(skill)) add(skill, weight);
}

match::DispatchProblem BuildProblem(const domain::DispatchRound& round, const Participants& parts) {
  match::DispatchProblem p;
  p.mode = round.mode == "optimal" ? match::DispatchMode::kOptimal : match::DispatchMode::kStable;
  p.proposing = round.proposing == "villages" ? match::ProposingSide::kVillages
                                              : match::ProposingSide::kPeople;
  p.seed = round.seed;
  for (const CadreRow& row : parts.cadres) {
    const domain::Cadre& c = row.cadre;
    match::DispatchPerson x;
    x.id = std::to_string(c.id);
    x.name = c.name;
    x.kind = match::PersonKind::kCadre;
    for (size_t i = 0; i < c.skills.size(); ++i)
      AddSkill(x.skills, c.skills[i], i == 0 ? 1.0 : kSecondarySkillLevel);
    x.home_code = c.home_code;
    x.unit = c.sending_unit;
    x.unit_kind = c.unit_kind;
    x.available = c.available;
    p.people.push_back(std::move(x));
  }
  for (const Participants::Village& v : parts.villages) {
    match::DispatchVillage x;
    x.id = fmt::format("{:012d}", v.need.division_code);
    x.name = v.need.name;
    x.code = v.need.division_code;
    x.township_code = v.need.township_code;
    x.seats = v.seats;
    for (const auto& [skill, weight] : v.need.skills) AddSkill(x.needs, skill, weight);
    x.priority = std::clamp(v.need.priority, 0.0, 100.0);
    p.villages.push_back(std::move(x));
  }
  auto list = [&](const std::string& side, int64_t owner, const std::map<int64_t, size_t>& other)
      -> std::optional<match::RankList> {
    auto it = parts.prefs.find({side, owner});
    if (it == parts.prefs.end() || it->second.derived) return std::nullopt;
    match::RankList l;
    for (const auto& tier : it->second.tiers) {
      std::vector<int> t;
      for (int64_t id : tier)
        if (auto o = other.find(id); o != other.end()) t.push_back(static_cast<int>(o->second));
      if (!t.empty()) l.tiers.push_back(std::move(t));
    }
    return l;
  };
  for (const CadreRow& row : parts.cadres)
    p.person_prefs.push_back(list("cadre", row.cadre.id, parts.village_index));
  for (const Participants::Village& v : parts.villages)
    p.village_prefs.push_back(list("village", v.need.division_code, parts.cadre_index));
  p.rules.avoid_home_county = round.rules.avoid_home_county;
  p.rules.max_per_unit_per_township = round.rules.max_per_unit_per_township;
  p.rules.priority_weight = 1.0;
  return p;
}

int TierOf(const match::RankList& list, int who) {
  for (size_t t = 0; t < list.tiers.size(); ++t)
    if (std::find(list.tiers[t].begin(), list.tiers[t].end(), who) != list.tiers[t].end())
      return static_cast<int>(t);
  return -1;
}

std::string JoinZh(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? "、" : "") + names[i];
  return out;
}

std::string ExclusionZh(const match::DispatchResult& r, int person, int village) {
  for (size_t i = 0; i < r.market.exclusions.size(); ++i) {
    const match::Exclusion& e = r.market.exclusions[i];
    if (e.person != person || e.village != village) continue;
    switch (r.exclusion_source[i]) {
      case match::ExclusionSource::kHomeCounty: return "任职回避";
      case match::ExclusionSource::kUnitCap: return "同一派出单位在该乡镇已达上限";
      case match::ExclusionSource::kUnavailable: return "本轮不可派";
      default: return "排除规则";
    }
  }
  return "";
}

// One zh-CN sentence per cadre: where he goes and which of his higher choices went to
// candidates that village ranked above him (or equal, drawn ahead in the lottery).
std::string CadreLineZh(const match::DispatchResult& r, const std::vector<std::vector<int>>& seated,
                        int p, const std::string& unmatched_reason) {
  const match::Market& m = r.market;
  const match::RankList& mine = m.person_prefs[static_cast<size_t>(p)];
  const int seat = r.assignment[static_cast<size_t>(p)];
  const int my_tier = seat >= 0 ? TierOf(mine, seat) : static_cast<int>(mine.tiers.size());
  std::vector<std::string> outranked, lottery, excluded, unlisted;
  for (int t = 0; t < my_tier && t < static_cast<int>(mine.tiers.size()); ++t) {
    for (int v : mine.tiers[static_cast<size_t>(t)]) {
      const std::string name = match::VillageName(m, v);
      if (std::string why = ExclusionZh(r, p, v); !why.empty()) {
        excluded.push_back(name + "（" + why + "）");
        continue;
      }
      const match::RankList& theirs = m.village_prefs[static_cast<size_t>(v)];
      const int me_there = TierOf(theirs, p);
      if (me_there < 0) {
        unlisted.push_back(name);
        continue;
      }
      bool all_higher = true, any_equal = false;
      for (int q : seated[static_cast<size_t>(v)]) {
        const int tq = TierOf(theirs, q);
        all_higher = all_higher && tq >= 0 && tq < me_there;
        any_equal = any_equal || tq == me_there;
      }
      if (any_equal) {
        lottery.push_back(name);
      } else if (all_higher) {
        outranked.push_back(name);
      }
    }
  }
  std::string text;
  if (seat >= 0) {
    text = fmt::format("分配至{}（您的第{}志愿）。", match::VillageName(m, seat), my_tier + 1);
  } else {
    text = "本轮未分配：" + unmatched_reason + "。";
  }
  if (!outranked.empty())
    text += fmt::format("排在前面的{}已由该村排序更靠前的人选占满。", JoinZh(outranked));
  if (!lottery.empty())
    text += fmt::format("{}将您与其所取人选列为同档，抽签在后。", JoinZh(lottery));
  if (!excluded.empty()) text += fmt::format("{}按规则不可派。", JoinZh(excluded));
  if (!unlisted.empty()) text += fmt::format("{}未将您列入志愿。", JoinZh(unlisted));
  return text;
}

std::string VillageLineZh(const match::DispatchResult& r, const std::vector<std::vector<int>>& seated,
                          int v, const std::string& open_reason) {
  const match::Market& m = r.market;
  const match::RankList& mine = m.village_prefs[static_cast<size_t>(v)];
  std::vector<std::string> names;
  for (int q : seated[static_cast<size_t>(v)]) {
    const int t = TierOf(mine, q);
    names.push_back(t >= 0 ? fmt::format("{}（本村第{}志愿）", match::PersonName(m, q), t + 1)
                           : match::PersonName(m, q));
  }
  const int left = m.capacity[static_cast<size_t>(v)] - static_cast<int>(names.size());
  std::string text =
      names.empty() ? "本轮未派到人选：" + open_reason + "。" : fmt::format("选派{}。", JoinZh(names));
  // Higher choices who went to a village they ranked above this one.
  int worst = -1;
  for (int q : seated[static_cast<size_t>(v)]) worst = std::max(worst, TierOf(mine, q));
  if (names.empty()) worst = static_cast<int>(mine.tiers.size());
  std::vector<std::string> went;
  for (int t = 0; t < worst && t < static_cast<int>(mine.tiers.size()); ++t) {
    for (int q : mine.tiers[static_cast<size_t>(t)]) {
      const int w = r.assignment[static_cast<size_t>(q)];
      if (w < 0 || w == v) continue;
      const match::RankList& theirs = m.person_prefs[static_cast<size_t>(q)];
      const int tw = TierOf(theirs, w), tv = TierOf(theirs, v);
      if (tw >= 0 && (tv < 0 || tw < tv)) went.push_back(match::PersonName(m, q));
    }
  }
  if (!went.empty()) text += fmt::format("更靠前的人选{}去了其更想去的村。", JoinZh(went));
  if (left > 0 && !names.empty()) text += fmt::format("尚余{}个名额。", left);
  return text;
}

std::string UnmatchedCadreZh(const match::UnmatchedPerson& u, bool optimal) {
  if (u.reason == match::UnmatchedReason::kNoAcceptablePartner)
    return "没有可接受的村：所列的村均未将其列入志愿，或按回避等规则不可派";
  if (optimal) return "在总适配度最优的方案中，所列可接受的村的名额给了其他人选";
  return "所列可接受的村均已由其更优先的人选占满";
}

std::string OpenSeatZh(const match::OpenSeats& s, bool optimal) {
  if (s.reason == match::UnmatchedReason::kNoAcceptablePartner)
    return fmt::format("没有可接受的人选（空缺{}个名额）", s.seats_left);
  if (optimal)
    return fmt::format("在总适配度最优的方案中，可接受的人选去了其他村（空缺{}个名额）",
                       s.seats_left);
  return fmt::format("可接受的人选均去了其更想去的村（空缺{}个名额）", s.seats_left);
}

// What the round keeps of a solve besides the assignments.
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

void ReadStoredResult(const std::string& text, RoundResult& r) {
  const json::object o = ParseObject(text);
  for (const json::value& x : ArrayOf(o, "unmatched")) {
    if (!x.is_object()) continue;
    const json::object& u = x.get_object();
    r.unmatched.push_back({TextOf(u, "side"), IntOf(u, "id"), TextOf(u, "name"), TextOf(u, "reason")});
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

// The stored result cut to the caller's scope: assignments and village entries in scope, and
// the cadres sent there (county staff see everything).
Result<RoundResult> LoadResult(Database& db, const Caller& caller, const RoundRow& row) {
  RoundResult r;
  r.round = row.round;
  ReadStoredResult(row.result_json, r);
  const bool whole = caller.scope.Covers(row.range);
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT a.cadre_id, a.division_code, a.fit, a.cadre_rank, a.village_rank,"
               " a.start_date, a.end_date, a.post_id, c.name, COALESCE(d.name, '')"
               " FROM assignment a JOIN cadre c ON c.id = a.cadre_id"
               " LEFT JOIN division d ON d.code = a.division_code"
               " WHERE a.round_id = ? ORDER BY a.division_code, a.cadre_id",
               {Value(row.round.id)}));
  std::set<int64_t> visible_cadres;
  for (const Row& x : rows) {
    if (!caller.InScope(x.Int(1))) continue;
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
    r.cadre_names.emplace_back(a.cadre_id, x.Text(8));
    r.village_names.emplace_back(a.division_code, x.Text(9));
    visible_cadres.insert(a.cadre_id);
    r.assignments.push_back(a);
  }
  if (!whole) {
    auto keep = [&](const std::string& side, int64_t id) {
      return side == "village" ? caller.InScope(id) : visible_cadres.count(id) > 0;
    };
    std::erase_if(r.unmatched, [&](const Unmatched& u) { return !keep(u.side, u.id); });
    std::erase_if(r.explanations,
                  [&](const RoundResult::Explanation& e) { return !keep(e.side, e.id); });
  }
  return r;
}

}  // namespace

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
    QJ_ASSIGN_OR_RETURN(auto found, db->Query("SELECT 1 FROM division WHERE code = ?", {Value(range.lo)}));
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
    return Audit(*db, caller, "dispatch_round.create", row, std::nullopt, RoundAuditJson(round));
  }));
  return round;
}

Result<domain::DispatchRound> OpenRound(Env env, const Caller& caller, int64_t id,
                                        const Clock& clock) {
  RoundRow row;
  auto db = env.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(row, LoadRoundForChange(*db, caller, id, "open a dispatch round"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"draft"}, "open it (only a draft opens)"));
    // Villages that need a first secretary and will have none on the start date: the seed's
    // rule (every weak-and-lax and every key village) or a priority at the round's threshold.
    QJ_ASSIGN_OR_RETURN(std::vector<domain::VillageNeed> needs,
                        ComputeNeeds(*db, row.range, clock.today));
    // Covered means a first secretary in post on the round's start date: one whose term ends
    // before it is due for rotation (轮换), and his village takes part again.
    const std::string start = row.round.start_date.ToString();
    QJ_ASSIGN_OR_RETURN(
        auto covered_rows,
        db->Query("SELECT DISTINCT division_code FROM post WHERE kind = 'first_secretary'"
                  " AND division_code BETWEEN ? AND ? AND start_date <= ?"
                  " AND (end_date IS NULL OR end_date > ?)",
                  {Value(row.range.lo), Value(row.range.hi), Value(start), Value(start)}));
    std::unordered_set<int64_t> covered;
    for (const auto& r : covered_rows) covered.insert(r.Int(0));
    std::vector<domain::VillageNeed> wanted;
    for (domain::VillageNeed& n : needs) {
      if (covered.count(n.division_code)) continue;
      bool rule = false;
      for (const domain::NeedReason& r : n.reasons)
        rule = rule || r.source == "weak_lax" || r.source == "key_village";
      if (rule || n.priority >= row.round.rules.min_priority) wanted.push_back(std::move(n));
    }
    if (wanted.empty())
      return Status::FailedPrecondition(fmt::format(
          "no village under {} needs a first secretary without having one", row.round.scope));
    QJ_ASSIGN_OR_RETURN(
        int64_t added,
        db->Execute("INSERT INTO round_cadre (round_id, cadre_id) SELECT ?, id FROM cadre"
                    " WHERE county_code = ? AND available = 1",
                    {Value(id), Value(row.range.lo)}));
    if (added == 0)
      return Status::FailedPrecondition(
          fmt::format("the cadre pool of {} has no available cadre", row.round.scope));
    QJ_ASSIGN_OR_RETURN(auto insert, db->Prepare("INSERT INTO round_village (round_id,"
                                                 " division_code, seats, need) VALUES (?, ?, 1, ?)"));
    for (const domain::VillageNeed& n : wanted) {
      const Value values[] = {Value(id), Value(n.division_code),
                              Value(json::serialize(VillageNeedJson(n)))};
      QJ_RETURN_IF_ERROR(insert->Execute(values).status());
    }
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE dispatch_round SET status = 'preferences_open',"
                                   " opened_at = ? WHERE id = ?",
                                   {Value(clock.now), Value(id)})
                           .status());
    const json::object before = RoundAuditJson(row.round);
    row.round.status = "preferences_open";
    json::object after = RoundAuditJson(row.round);
    after["cadres"] = added;
    after["villages"] = static_cast<int64_t>(wanted.size());
    return Audit(*db, caller, "dispatch_round.open", row, before, after);
  }));
  return row.round;
}

Result<domain::Preference> PutRoundPreference(Env env, const Caller& caller,
                                              domain::Preference pref, const Clock& clock) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (pref.side != "cadre" && pref.side != "village")
    return Status::InvalidField("side", "must be \"cadre\" or \"village\"");
  auto db = env.pool->Acquire();
  std::optional<domain::Preference> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRound(*db, caller, pref.round_id));
    const bool county = IsCountyStaff(caller) && caller.scope.Covers(row.range);
    if (pref.side == "cadre" && !county)
      return Status::PermissionDenied(
          "only county staff or an administrator enter a cadre's list");
    if (pref.side == "village") {
      if (!caller.InScope(pref.owner))
        return Status::NotFound(fmt::format("village {:012d} not found", pref.owner));
      if (!county && caller.role != domain::Role::kTownship)
        return Status::PermissionDenied(
            "a village's list is entered by its township, county staff or an administrator");
    }
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"preferences_open", "matched"},
                                     "change lists (they are open from opening to confirmation)"));
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, row.round.id, env.secrets));
    const bool cadre_side = pref.side == "cadre";
    const CadreRow* owner_cadre = nullptr;
    if (cadre_side) {
      auto it = parts.cadre_index.find(pref.owner);
      if (it == parts.cadre_index.end())
        return Status::InvalidField(
            "owner", fmt::format("cadre {} is not a participant of round {}", pref.owner, row.round.id));
      owner_cadre = &parts.cadres[it->second];
    } else if (!parts.village_index.count(pref.owner)) {
      return Status::InvalidField("owner", fmt::format("village {:012d} is not a participant of round {}",
                                                       pref.owner, row.round.id));
    }
    FieldErrors errors;
    std::map<int64_t, std::string> seen;  // id -> where it was first ranked
    for (size_t i = 0; i < pref.tiers.size(); ++i) {
      if (pref.tiers[i].empty()) errors.Add(fmt::format("tiers[{}]", i), "must not be empty");
      for (size_t j = 0; j < pref.tiers[i].size(); ++j) {
        const int64_t x = pref.tiers[i][j];
        const std::string field = fmt::format("tiers[{}][{}]", i, j);
        if (cadre_side) {
          auto it = parts.village_index.find(x);
          if (it == parts.village_index.end()) {
            errors.Add(field, fmt::format("village {:012d} is not a participant of this round", x));
            continue;
          }
          if (HomeCountyClash(row.round, owner_cadre->cadre, x)) {
            errors.Add(field, fmt::format("{} ({:012d}) is in the home county of {}: excluded by"
                                          " the avoidance rule (任职回避)",
                                          parts.villages[it->second].need.name, x,
                                          owner_cadre->cadre.name));
            continue;
          }
        } else {
          auto it = parts.cadre_index.find(x);
          if (it == parts.cadre_index.end()) {
            errors.Add(field, fmt::format("cadre {} is not a participant of this round", x));
            continue;
          }
          if (HomeCountyClash(row.round, parts.cadres[it->second].cadre, pref.owner)) {
            errors.Add(field, fmt::format("{} (cadre {}) has this village's county as home county:"
                                          " excluded by the avoidance rule (任职回避)",
                                          parts.cadres[it->second].cadre.name, x));
            continue;
          }
        }
        auto [at, fresh] = seen.emplace(x, field);
        if (!fresh) errors.Add(field, fmt::format("ranks {} twice (first at {})",
                                                  cadre_side ? fmt::format("{:012d}", x)
                                                             : std::to_string(x),
                                                  at->second));
      }
    }
    QJ_RETURN_IF_ERROR(errors.ToStatus());

    std::optional<json::object> before;
    if (auto it = parts.prefs.find({pref.side, pref.owner}); it != parts.prefs.end())
      before = PreferenceJson(it->second);
    AuditRecord a;
    a.action = "dispatch_preference.put";
    a.object = fmt::format("dispatch_round/{}/{}/{}", row.round.id, pref.side, pref.owner);
    a.division_code = cadre_side ? row.range.lo : pref.owner;
    a.before = before;
    pref.derived = false;
    pref.updated_at = clock.now;
    if (pref.tiers.empty()) {
      // An empty list withdraws the submitted one: the list is derived from fit at the run.
      QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM preference WHERE round_id = ? AND side = ?"
                                     " AND owner = ?",
                                     {Value(pref.round_id), Value(pref.side), Value(pref.owner)})
                             .status());
      a.action = "dispatch_preference.withdraw";
    } else {
      QJ_RETURN_IF_ERROR(
          db->Execute("INSERT INTO preference (round_id, side, owner, tiers, derived, updated_at,"
                      " updated_by) VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (round_id, side, owner)"
                      " DO UPDATE SET tiers = excluded.tiers, derived = 0,"
                      " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                      {Value(pref.round_id), Value(pref.side), Value(pref.owner),
                       Value(TiersText(pref.tiers)), Value(clock.now), Value(caller.username)})
              .status());
      a.after = PreferenceJson(pref);
    }
    out = pref;
    return WriteAudit(*db, caller, a);
  }));
  return *out;
}

Result<RoundResult> RunRound(Env env, const Caller& caller, int64_t id, const Clock& clock) {
  auto db = env.pool->Acquire();
  std::optional<RoundResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRoundForChange(*db, caller, id, "run a dispatch round"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"preferences_open", "matched"}, "run it"));
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, id, env.secrets));
    const match::DispatchProblem problem = BuildProblem(row.round, parts);
    QJ_ASSIGN_OR_RETURN(match::DispatchResult solved, match::SolveDispatch(problem));
    const bool optimal = problem.mode == match::DispatchMode::kOptimal;
    const size_t n = parts.cadres.size();
    const size_t m = parts.villages.size();

    // The optimum under the same lists and exclusions, for the price of stability.
    std::vector<match::FitArc> arcs;
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < m; ++j)
        if (solved.fit[i * m + j] > 0)
          arcs.push_back({static_cast<int>(i), static_cast<int>(j), solved.fit[i * m + j]});
    match::PriceOfStability price;
    if (solved.price) {
      price = *solved.price;
    } else {
      QJ_ASSIGN_OR_RETURN(match::OptimalResult best, match::OptimalFit(solved.market, arcs));
      price = match::ComparePriceOfStability(arcs, solved.stable.village_of, best);
    }

    RoundResult r;
    r.round = row.round;
    r.blocking_pairs = solved.certificate.blocking_pairs;
    r.checked_pairs = solved.certificate.checked_pairs;
    r.total_fit = solved.total_fit;
    r.optimal_fit = static_cast<double>(price.optimal_scaled) / match::kFitScale;
    r.price_of_stability =
        price.optimal_scaled == 0 ? 0 : 1 - static_cast<double>(price.stable_scaled) /
                                                static_cast<double>(price.optimal_scaled);
    r.input_hash = solved.input_hash;
    r.output_hash = solved.output_hash;

    // Derived lists are stored for display, marked derived; a rerun derives them afresh.
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM preference WHERE round_id = ? AND derived = 1", {Value(id)})
            .status());
    QJ_ASSIGN_OR_RETURN(auto put_pref,
                        db->Prepare("INSERT INTO preference (round_id, side, owner, tiers, derived,"
                                    " updated_at, updated_by) VALUES (?, ?, ?, ?, 1, ?, ?)"));
    auto store_derived = [&](std::string_view side, int64_t owner, const match::RankList& list,
                             auto&& id_of) -> Status {
      std::vector<std::vector<int64_t>> tiers;
      for (const auto& tier : list.tiers) {
        tiers.emplace_back();
        for (int x : tier) tiers.back().push_back(id_of(x));
      }
      const Value values[] = {Value(id), Value(std::string(side)), Value(owner),
                              Value(TiersText(tiers)), Value(clock.now), Value(std::string("derived"))};
      return put_pref->Execute(values).status();
    };
    auto village_code = [&](int j) { return parts.villages[static_cast<size_t>(j)].need.division_code; };
    auto cadre_id = [&](int i) { return parts.cadres[static_cast<size_t>(i)].cadre.id; };
    for (size_t i = 0; i < n; ++i) {
      if (!solved.person_derived[i]) continue;
      ++r.derived_cadre_lists;
      QJ_RETURN_IF_ERROR(store_derived("cadre", cadre_id(static_cast<int>(i)),
                                       solved.market.person_prefs[i], village_code));
    }
    for (size_t j = 0; j < m; ++j) {
      if (!solved.village_derived[j]) continue;
      ++r.derived_village_lists;
      QJ_RETURN_IF_ERROR(store_derived("village", village_code(static_cast<int>(j)),
                                       solved.market.village_prefs[j], cadre_id));
    }

    // Assignments.
    QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM assignment WHERE round_id = ?", {Value(id)}).status());
    QJ_ASSIGN_OR_RETURN(auto put_assignment,
                        db->Prepare("INSERT INTO assignment (round_id, cadre_id, division_code, fit,"
                                    " cadre_rank, village_rank) VALUES (?, ?, ?, ?, ?, ?)"));
    std::vector<std::vector<int>> seated(m);
    for (size_t i = 0; i < n; ++i) {
      const int v = solved.assignment[i];
      if (v < 0) continue;
      seated[static_cast<size_t>(v)].push_back(static_cast<int>(i));
      domain::Assignment a;
      a.round_id = id;
      a.cadre_id = cadre_id(static_cast<int>(i));
      a.division_code = village_code(v);
      a.fit = std::round(solved.fit[i * m + static_cast<size_t>(v)] * match::kFitScale) /
              match::kFitScale;
      a.cadre_rank = TierOf(solved.market.person_prefs[i], v) + 1;
      a.village_rank = TierOf(solved.market.village_prefs[static_cast<size_t>(v)],
                              static_cast<int>(i)) + 1;
      const Value values[] = {Value(id), Value(a.cadre_id), Value(a.division_code), Value(a.fit),
                              Value(int64_t{a.cadre_rank}), Value(int64_t{a.village_rank})};
      QJ_RETURN_IF_ERROR(put_assignment->Execute(values).status());
      r.assignments.push_back(a);
      r.cadre_names.emplace_back(a.cadre_id, parts.cadres[i].cadre.name);
      r.village_names.emplace_back(a.division_code,
                                   parts.villages[static_cast<size_t>(v)].need.name);
    }
    std::sort(r.assignments.begin(), r.assignments.end(), [](const auto& a, const auto& b) {
      return std::pair(a.division_code, a.cadre_id) < std::pair(b.division_code, b.cadre_id);
    });

    std::vector<std::string> person_reason(n), village_reason(m);
    for (const match::UnmatchedPerson& u : solved.unmatched_people) {
      const domain::Cadre& c = parts.cadres[static_cast<size_t>(u.person)].cadre;
      person_reason[static_cast<size_t>(u.person)] = UnmatchedCadreZh(u, optimal);
      r.unmatched.push_back({"cadre", c.id, c.name, person_reason[static_cast<size_t>(u.person)]});
    }
    for (const match::OpenSeats& s : solved.open_seats) {
      const domain::VillageNeed& v = parts.villages[static_cast<size_t>(s.village)].need;
      village_reason[static_cast<size_t>(s.village)] = OpenSeatZh(s, optimal);
      r.unmatched.push_back(
          {"village", v.division_code, v.name, village_reason[static_cast<size_t>(s.village)]});
    }
    // Each participant: a zh-CN sentence, then the engine's checked explanation.
    for (size_t i = 0; i < n; ++i) {
      r.explanations.push_back(
          {"cadre", cadre_id(static_cast<int>(i)),
           {CadreLineZh(solved, seated, static_cast<int>(i), person_reason[i]),
            solved.explanations.people[i]}});
    }
    for (size_t j = 0; j < m; ++j) {
      r.explanations.push_back(
          {"village", village_code(static_cast<int>(j)),
           {VillageLineZh(solved, seated, static_cast<int>(j), village_reason[j]),
            solved.explanations.villages[j]}});
    }

    const json::object stored =
        StoredResultJson(r, solved.certificate.violations, solved.rounds,
                         static_cast<int64_t>(solved.market.exclusions.size()));
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE dispatch_round SET status = 'matched', matched_at = ?,"
                                   " result = ? WHERE id = ?",
                                   {Value(clock.now), Value(json::serialize(stored)), Value(id)})
                           .status());
    const json::object before = RoundAuditJson(row.round);
    row.round.status = "matched";
    row.round.matched_at = clock.now;
    r.round = row.round;
    json::object after = RoundAuditJson(row.round);
    after["assignments"] = static_cast<int64_t>(r.assignments.size());
    after["blocking_pairs"] = r.blocking_pairs;
    after["input_hash"] = r.input_hash;
    after["output_hash"] = r.output_hash;
    QJ_RETURN_IF_ERROR(Audit(*db, caller, "dispatch_round.run", row, before, after));
    out = std::move(r);
    return Status::Ok();
  }));
  return *out;
}

Result<RoundResult> ConfirmRound(Env env, const Caller& caller, int64_t id, const Clock& clock) {
  if (env.secrets == nullptr) return Status::Internal("no key for personal data is loaded");
  const Secrets& secrets = *env.secrets;
  auto db = env.pool->Acquire();
  std::optional<RoundResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRoundForChange(*db, caller, id, "confirm a dispatch round"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"matched"}, "confirm it (only a matched round is confirmed)"));
    QJ_ASSIGN_OR_RETURN(auto assignments,
                        db->Query("SELECT cadre_id, division_code FROM assignment WHERE round_id = ?"
                                  " ORDER BY division_code, cadre_id",
                                  {Value(id)}));
    const Date start = row.round.start_date;
    for (const Row& a : assignments) {
      const int64_t cadre_id = a.Int(0);
      const int64_t village = a.Int(1);
      QJ_ASSIGN_OR_RETURN(Row found, db->QueryOne(std::string(kCadreSelect) + " WHERE c.id = ?",
                                                  {Value(cadre_id)}, fmt::format("cadre {}", cadre_id)));
      const CadreRow cadre = CadreFromRow(found, &secrets);
      const domain::Cadre& c = cadre.cadre;
      if (c.id_number.empty())
        return Status::Internal(fmt::format("the ID number of cadre {} cannot be read", cadre_id));
      // A village that got a first secretary by hand since the round opened keeps him.
      QJ_ASSIGN_OR_RETURN(auto current,
                          db->Query("SELECT COUNT(*) FROM post s WHERE s.division_code = ? AND"
                                    " s.kind = 'first_secretary' AND s.start_date <= ? AND"
                                    " (s.end_date IS NULL OR s.end_date > ?)",
                                    {Value(village), Value(start.ToString()), Value(start.ToString())}));
      if (current.at(0).Int(0) > 0)
        return Status::FailedPrecondition(fmt::format(
            "village {:012d} already has a first secretary on {}: rerun the round without it",
            village, start.ToString()));

      int64_t person_id = 0;
      QJ_ASSIGN_OR_RETURN(auto people, db->Query("SELECT id FROM person WHERE id_number_hash = ?",
                                                 {Value(cadre.id_number_hash)}));
      if (!people.empty()) {
        person_id = people[0].Int(0);
      } else {
        // The cadre becomes a person of the village he is sent to (a Party member).
        QJ_ASSIGN_OR_RETURN(
            auto inserted,
            db->Query("INSERT INTO person (division_code, name, sex, ethnicity, birth_date,"
                      " id_number_enc, id_number_hash, phone_enc, native_place, education,"
                      " party_status, party_join_date, created_at, updated_at)"
                      " VALUES (?, ?, ?, '', ?, ?, ?, ?, '', '', 'member', NULL, ?, ?) RETURNING id",
                      {Value(village), Value(c.name), Value(std::string(domain::SexName(c.sex))),
                       DateValue(c.birth_date), Value(storage::Blob{secrets.Encrypt(c.id_number)}),
                       Value(cadre.id_number_hash),
                       c.phone.empty() ? Value(Null{}) : Value(storage::Blob{secrets.Encrypt(c.phone)}),
                       Value(clock.now), Value(clock.now)}));
        person_id = inserted.at(0).Int(0);
        AuditRecord pa;
        pa.action = "person.create";
        pa.object = fmt::format("person/{}", person_id);
        pa.division_code = village;
        pa.after = json::object{{"id", person_id},
                                {"division_code", DivisionCodeJson(village)},
                                {"name", c.name},
                                {"id_number", MaskIdNumber(c.id_number)},
                                {"party_status", "member"},
                                {"source", fmt::format("dispatch_round/{}", id)}};
        QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, pa));
      }
      const Date end = start.AddMonths(c.term_months);
      QJ_ASSIGN_OR_RETURN(
          auto post,
          db->Query("INSERT INTO post (person_id, division_code, kind, start_date, end_date,"
                    " created_at, updated_at) VALUES (?, ?, 'first_secretary', ?, ?, ?, ?)"
                    " RETURNING id",
                    {Value(person_id), Value(village), Value(start.ToString()),
                     Value(end.ToString()), Value(clock.now), Value(clock.now)}));
      const int64_t post_id = post.at(0).Int(0);
      AuditRecord pa;
      pa.action = "post.create";
      pa.object = fmt::format("post/{}", post_id);
      pa.division_code = village;
      pa.after = json::object{{"id", post_id},
                              {"person_id", person_id},
                              {"division_code", DivisionCodeJson(village)},
                              {"kind", "first_secretary"},
                              {"start_date", start.ToString()},
                              {"end_date", end.ToString()},
                              {"source", fmt::format("dispatch_round/{}", id)}};
      QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, pa));
      QJ_RETURN_IF_ERROR(db->Execute("UPDATE assignment SET start_date = ?, end_date = ?, post_id = ?"
                                     " WHERE round_id = ? AND cadre_id = ?",
                                     {Value(start.ToString()), Value(end.ToString()),
                                      Value(post_id), Value(id), Value(cadre_id)})
                             .status());
      QJ_RETURN_IF_ERROR(db->Execute("UPDATE cadre SET person_id = ?, available = 0, updated_at = ?"
                                     " WHERE id = ?",
                                     {Value(person_id), Value(clock.now), Value(cadre_id)})
                             .status());
    }
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE dispatch_round SET status = 'confirmed', confirmed_at = ?"
                                   " WHERE id = ?",
                                   {Value(clock.now), Value(id)})
                           .status());
    const json::object before = RoundAuditJson(row.round);
    row.round.status = "confirmed";
    row.round.confirmed_at = clock.now;
    json::object after = RoundAuditJson(row.round);
    after["posts"] = static_cast<int64_t>(assignments.size());
    QJ_RETURN_IF_ERROR(Audit(*db, caller, "dispatch_round.confirm", row, before, after));
    QJ_ASSIGN_OR_RETURN(RoundResult r, LoadResult(*db, caller, row));
    out = std::move(r);
    return Status::Ok();
  }));
  return *out;
}

Result<std::vector<FirstSecretaryTerm>> FirstSecretaryTerms(Env env, const Caller& caller, int days,
                                                            const Date& today) {
  if (days < 0 || days > 3660) return Status::InvalidField("days", "must be 0..3660");
  auto db = env.pool->Acquire();
  std::vector<FirstSecretaryTerm> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("SELECT s.id, s.division_code, COALESCE(d.name, ''), p.name,"
                  " (SELECT MIN(a.round_id) FROM assignment a WHERE a.post_id = s.id),"
                  " s.start_date, s.end_date FROM post s JOIN person p ON p.id = s.person_id"
                  " LEFT JOIN division d ON d.code = s.division_code"
                  " WHERE s.kind = 'first_secretary' AND s.division_code BETWEEN ? AND ?"
                  " ORDER BY s.start_date DESC, s.id DESC",
                  {Value(caller.scope.lo), Value(caller.scope.hi)}));
    for (const Row& r : rows) {
      FirstSecretaryTerm t;
      t.post_id = r.Int(0);
      t.division_code = r.Int(1);
      t.village_name = r.Text(2);
      t.person_name = r.Text(3);
      t.round_id = r.Int(4);
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
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRoundForChange(*db, caller, id, "delete a dispatch round"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"draft"}, "delete it (only drafts are deleted)"));
    QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM dispatch_round WHERE id = ?", {Value(id)}).status());
    return Audit(*db, caller, "dispatch_round.delete", row, RoundAuditJson(row.round), std::nullopt);
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
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, id, env_.secrets));
    for (const CadreRow& c : parts.cadres) {
      RoundCadre rc;
      rc.cadre = Masked(c.cadre);
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
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, id, nullptr));
    for (const Participants::Village& v : parts.villages) {
      if (!caller.InScope(v.need.division_code)) continue;
      RoundVillage rv;
      rv.need = v.need;
      rv.seats = v.seats;
      if (auto it = parts.prefs.find({"village", v.need.division_code}); it != parts.prefs.end())
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

Result<std::vector<FirstSecretaryTerm>> DispatchRoundService::Terms(const Caller& caller, int days) {
  return FirstSecretaryTerms(env_, caller, days, Date::TodayInChina());
}

}  // namespace qiangji::services

#include "services/dispatch_json.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "common/division_code.h"
#include "services/base.h"
#include "services/json_reader.h"
#include "services/project_json.h"
#include "services/record_json.h"

namespace qiangji::services {
namespace {

json::value Num(double d) {
  if (!std::isfinite(d)) return nullptr;
  return d;
}

using json_read::AsInt;
using json_read::AsNumber;

// A 12-digit division code written as a string (the API's form) or, leniently, an integer.
// The message on failure, or the code.
Result<int64_t> CodeOf(const json::value& v) {
  std::string text;
  if (v.is_string()) {
    text = std::string(v.get_string());
  } else if (std::optional<int64_t> i = AsInt(v)) {
    text = fmt::format("{:012d}", *i);
  } else {
    return Status::InvalidArgument("must be a string of 12 digits");
  }
  if (text.size() != 12) return Status::InvalidArgument(fmt::format("\"{}\" must have 12 digits", text));
  Result<DivisionCode> code = DivisionCode::Parse(text);
  if (!code.ok()) {
    const Status& s = code.status();
    return Status::InvalidArgument(s.field_errors().empty() ? s.message()
                                                            : s.field_errors()[0].message);
  }
  return code->value();
}

// The shared reader (json_reader.h) in dispatch's wording, with dispatch's division codes.
class Reader : public json_read::Reader {
 public:
  Reader(const json::object& o, std::string prefix, FieldErrors& errors)
      : json_read::Reader(o, std::move(prefix), errors, json_read::kTerseWording) {}

  void GetCode(std::string_view key, int64_t& out, bool required = false) {
    const json::value* v = Find(key, required);
    if (!v) return;
    Result<int64_t> code = CodeOf(*v);
    if (!code.ok()) return Error(key, code.status().message());
    out = *code;
  }
};

constexpr std::string_view kModes[] = {"stable", "optimal"};
constexpr std::string_view kProposing[] = {"people", "villages"};
constexpr std::string_view kSides[] = {"cadre", "village"};

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

// A participant's id: cadre ids are numbers, village codes 12-digit strings, circuit and
// project ids numbers.
json::value ParticipantId(std::string_view side, int64_t id, std::string_view receivers = "village") {
  if (side == "village" && receivers == "village") return DivisionCodeJson(id);
  return id;
}

double TextDouble(const json::value* v) {
  if (v == nullptr) return 0;
  std::optional<double> d = AsNumber(*v);
  return d ? *d : 0;
}
std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
int64_t CodeOr0(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return 0;
  Result<int64_t> c = CodeOf(*v);
  return c.ok() ? *c : 0;
}

}  // namespace

// ---- cadres ----

json::object CadreJson(const domain::Cadre& c) {
  return {{"id", c.id},
          {"county_code", DivisionCodeJson(c.county_code)},
          {"kind", c.kind},
          {"name", c.name},
          {"sex", domain::SexName(c.sex)},
          {"birth_date", DateJson(c.birth_date)},
          {"id_number", MaskIdNumber(c.id_number)},
          {"phone", TextOrNull(MaskPhone(c.phone))},
          {"sending_unit", c.sending_unit},
          {"unit_kind", c.unit_kind},
          {"skills", Strings(c.skills)},
          {"home_code", DivisionCodeJson(c.home_code)},
          {"residence", c.residence},
          {"available", c.available},
          {"term_months", c.term_months},
          {"note", c.note},
          {"person_id", c.person_id == 0 ? json::value(nullptr) : json::value(c.person_id)},
          {"updated_at", TextOrNull(c.updated_at)}};
}

Result<domain::Cadre> CadreFromJson(const json::object& o, std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  r.RejectUnknown({"id", "county_code", "kind", "name", "sex", "birth_date", "id_number",
                   "phone", "sending_unit", "unit_kind", "skills", "home_code", "residence",
                   "available", "term_months", "note", "person_id", "updated_at"});
  domain::Cadre c;
  r.Get("kind", c.kind);
  r.Get("name", c.name, true);
  if (const json::value* v = r.Find("sex", true)) {
    if (!v->is_string()) {
      r.Error("sex", "must be \"male\" or \"female\"");
    } else if (Result<domain::Sex> sex = domain::ParseSex(std::string(v->get_string()), r.Path("sex"));
               sex.ok()) {
      c.sex = *sex;
    } else {
      r.Error("sex", "must be \"male\" or \"female\"");
    }
  }
  r.GetDate("birth_date", c.birth_date);
  r.Get("id_number", c.id_number, true);
  r.Get("phone", c.phone);
  r.Get("sending_unit", c.sending_unit, true);
  r.Get("unit_kind", c.unit_kind);
  r.Get("skills", c.skills);
  r.GetCode("home_code", c.home_code, true);
  r.Get("residence", c.residence);
  r.Get("available", c.available);
  r.Get("term_months", c.term_months);
  r.Get("note", c.note);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  if (Status s = domain::ValidateCadre(c); !s.ok()) {
    // An edit sends back the masked ID number and phone it was shown; the pool service keeps
    // the stored values for those and validates the whole record again, so here the masked
    // fields (and the sex and birth date checked against the ID number) are left to it.
    const bool id_masked = c.id_number.find('*') != std::string::npos;
    const bool phone_masked = c.phone.find('*') != std::string::npos;
    FieldErrors kept;
    for (const FieldError& e : s.field_errors()) {
      if (id_masked && (e.field == "id_number" || e.field == "sex" || e.field == "birth_date"))
        continue;
      if (phone_masked && e.field == "phone") continue;
      kept.Add(std::string(field_prefix) + e.field, e.message);
    }
    if (s.field_errors().empty()) return s;
    QJ_RETURN_IF_ERROR(kept.ToStatus());
  }
  return c;
}

// ---- needs ----

json::object VillageNeedJson(const domain::VillageNeed& n) {
  json::array reasons;
  for (const domain::NeedReason& r : n.reasons)
    reasons.push_back(json::object{{"source", r.source}, {"evidence", r.evidence}, {"points", Num(r.points)}});
  json::array skills;
  for (const auto& [skill, weight] : n.skills)
    skills.push_back(json::object{{"skill", skill}, {"weight", Num(weight)}});
  return {{"division_code", DivisionCodeJson(n.division_code)},
          {"name", n.name},
          {"township_code", DivisionCodeJson(n.township_code)},
          {"township_name", n.township_name},
          {"priority", Num(n.priority)},
          {"reasons", std::move(reasons)},
          {"skills", std::move(skills)},
          {"needs_first_secretary", n.needs_first_secretary},
          {"has_first_secretary", n.has_first_secretary}};
}

domain::VillageNeed VillageNeedFromJson(const json::object& o) {
  domain::VillageNeed n;
  n.division_code = CodeOr0(o, "division_code");
  n.name = TextOf(o, "name");
  n.township_code = CodeOr0(o, "township_code");
  n.township_name = TextOf(o, "township_name");
  n.priority = TextDouble(o.if_contains("priority"));
  if (const json::value* v = o.if_contains("reasons"); v && v->is_array()) {
    for (const json::value& x : v->get_array()) {
      if (!x.is_object()) continue;
      const json::object& r = x.get_object();
      n.reasons.push_back({TextOf(r, "source"), TextOf(r, "evidence"), TextDouble(r.if_contains("points"))});
    }
  }
  if (const json::value* v = o.if_contains("skills"); v && v->is_array()) {
    for (const json::value& x : v->get_array()) {
      if (!x.is_object()) continue;
      const json::object& s = x.get_object();
      n.skills.emplace_back(TextOf(s, "skill"), TextDouble(s.if_contains("weight")));
    }
  }
  const json::value* need = o.if_contains("needs_first_secretary");
  n.needs_first_secretary = need && need->is_bool() && need->get_bool();
  const json::value* has = o.if_contains("has_first_secretary");
  n.has_first_secretary = has && has->is_bool() && has->get_bool();
  return n;
}

json::object NeedsReportJson(const NeedsReport& r) {
  json::array villages;
  for (const auto& v : r.villages) {
    json::object o = VillageNeedJson(v);
    json::array posts;
    for (const domain::NeededPost& p : v.posts) {
      json::object post{{"role", p.role}, {"work_type", p.work_type}};
      if (p.project_id != 0) {
        post["project_id"] = p.project_id;
        post["project_name"] = p.project_name;
      }
      posts.push_back(std::move(post));
    }
    o["posts"] = std::move(posts);
    villages.push_back(std::move(o));
  }
  json::array towns;
  for (const NeedsByTownship& t : r.by_township) {
    towns.push_back(json::object{{"township_code", DivisionCodeJson(t.township_code)},
                                 {"township_name", t.township_name},
                                 {"villages", t.villages},
                                 {"needing", t.needing},
                                 {"covered", t.covered}});
  }
  return {{"villages", std::move(villages)}, {"by_township", std::move(towns)}};
}

// ---- rounds ----

json::object RoundRulesJson(const domain::RoundRules& r) {
  return {{"avoid_home_county", r.avoid_home_county},
          {"max_per_unit_per_township", r.max_per_unit_per_township},
          {"min_priority", Num(r.min_priority)},
          {"circuit_capacity", r.circuit_capacity}};
}

json::object RoundJson(const domain::DispatchRound& r) {
  return {{"id", r.id},
          {"scope", r.scope},
          {"role", r.role},
          {"name", r.name},
          {"status", r.status},
          {"mode", r.mode},
          {"proposing", r.proposing},
          {"seed", r.seed},
          {"rules", RoundRulesJson(r.rules)},
          {"start_date", r.start_date.ToString()},
          {"created_at", TextOrNull(r.created_at)},
          {"created_by", TextOrNull(r.created_by)},
          {"matched_at", TextOrNull(r.matched_at)},
          {"confirmed_at", TextOrNull(r.confirmed_at)}};
}

Result<domain::DispatchRound> RoundFromJson(const json::object& o) {
  FieldErrors errors;
  Reader r(o, "", errors);
  // The fields RoundJson writes are accepted so that a round read back can be sent again.
  r.RejectUnknown({"id", "scope", "role", "name", "status", "mode", "proposing", "seed", "rules",
                   "start_date", "created_at", "created_by", "matched_at", "confirmed_at"});
  domain::DispatchRound round;
  r.Get("scope", round.scope);
  r.GetEnum("role", round.role, domain::kDispatchRoles);
  r.Get("name", round.name, true);
  r.GetEnum("mode", round.mode, kModes);
  r.GetEnum("proposing", round.proposing, kProposing);
  r.Get("seed", round.seed);
  std::optional<Date> start;
  r.GetDate("start_date", start, true);
  if (start) round.start_date = *start;
  if (const json::value* v = r.Find("rules")) {
    if (!v->is_object()) {
      r.Error("rules", "must be an object");
    } else {
      Reader rules(v->get_object(), "rules.", errors);
      rules.RejectUnknown({"avoid_home_county", "max_per_unit_per_township", "min_priority",
                           "circuit_capacity"});
      rules.Get("avoid_home_county", round.rules.avoid_home_county);
      rules.Get("max_per_unit_per_township", round.rules.max_per_unit_per_township);
      rules.Get("min_priority", round.rules.min_priority);
      rules.Get("circuit_capacity", round.rules.circuit_capacity);
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return round;
}

// ---- preferences ----

std::string_view ReceiverKindOfRole(std::string_view role) {
  if (role == "instructor_circuit") return "circuit";
  if (role == "instructor_tracking") return "project";
  return "village";
}

json::object PreferenceJson(const domain::Preference& p, std::string_view receivers) {
  // The owner is of p.side; the ids in the tiers are of the other side.
  const std::string_view other = p.side == "cadre" ? "village" : "cadre";
  json::array tiers;
  for (const auto& tier : p.tiers) {
    json::array t;
    for (int64_t id : tier) t.push_back(ParticipantId(other, id, receivers));
    tiers.push_back(std::move(t));
  }
  return {{"round_id", p.round_id},
          {"side", p.side},
          {"owner", ParticipantId(p.side, p.owner, receivers)},
          {"tiers", std::move(tiers)},
          {"derived", p.derived},
          {"updated_at", TextOrNull(p.updated_at)}};
}

Result<domain::Preference> PreferenceFromJson(const json::object& o, int64_t round_id,
                                              std::string_view receivers) {
  FieldErrors errors;
  Reader r(o, "", errors);
  r.RejectUnknown({"round_id", "side", "owner", "tiers", "derived", "updated_at"});
  domain::Preference p;
  p.round_id = round_id;
  if (!r.Find("side", true)) return errors.ToStatus();
  r.GetEnum("side", p.side, kSides);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  const bool village_side = p.side == "village";
  // Circuits and projects are named by their ids, like cadres; villages by their codes.
  const bool coded = receivers == "village";
  const std::string unit_text = receivers == "circuit" ? "a circuit id (a positive integer)"
                                                       : "a project id (a positive integer)";
  // A cadre id: a positive integer (a numeric string is accepted too, as CSV gives it).
  auto cadre_id = [](const json::value& v) -> std::optional<int64_t> {
    std::optional<int64_t> id = AsInt(v);
    if (!id && v.is_string()) {
      const std::string text(v.get_string());
      if (!text.empty() && text.size() <= 15 &&
          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        id = std::stoll(text);
    }
    if (id && *id > 0) return id;
    return std::nullopt;
  };
  if (const json::value* v = r.Find("owner", true)) {
    if (village_side && !coded) {
      if (std::optional<int64_t> id = cadre_id(*v)) {
        p.owner = *id;
      } else {
        r.Error("owner", "must be " + unit_text);
      }
    } else if (village_side) {
      Result<int64_t> code = CodeOf(*v);
      if (code.ok()) {
        p.owner = *code;
      } else {
        r.Error("owner", code.status().message());
      }
    } else if (std::optional<int64_t> id = cadre_id(*v)) {
      p.owner = *id;
    } else {
      r.Error("owner", "must be a cadre id (a positive integer)");
    }
  }
  if (const json::value* v = r.Find("tiers", true)) {
    if (!v->is_array()) {
      r.Error("tiers", "must be an array of tiers (arrays of ids), best first");
    } else {
      const json::array& tiers = v->get_array();
      for (size_t i = 0; i < tiers.size(); ++i) {
        // A lone id stands for a tier of one.
        json::array single;
        const json::array* tier = nullptr;
        if (tiers[i].is_array()) {
          tier = &tiers[i].get_array();
        } else {
          single.push_back(tiers[i]);
          tier = &single;
        }
        if (tier->empty()) {
          errors.Add(fmt::format("tiers[{}]", i), "must not be empty");
          continue;
        }
        std::vector<int64_t> ids;
        for (size_t j = 0; j < tier->size(); ++j) {
          const std::string field = fmt::format("tiers[{}][{}]", i, j);
          const json::value& x = (*tier)[j];
          if (village_side) {
            if (std::optional<int64_t> id = cadre_id(x)) {
              ids.push_back(*id);
            } else {
              errors.Add(field, "must be a cadre id (a positive integer)");
            }
          } else if (!coded) {
            if (std::optional<int64_t> id = cadre_id(x)) {
              ids.push_back(*id);
            } else {
              errors.Add(field, "must be " + unit_text);
            }
          } else {
            Result<int64_t> code = CodeOf(x);
            if (code.ok()) {
              ids.push_back(*code);
            } else {
              errors.Add(field, "must be a village code: " + code.status().message());
            }
          }
        }
        p.tiers.push_back(std::move(ids));
      }
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return p;
}

// ---- participants ----

json::object RoundCadreJson(const RoundCadre& c) {
  json::object o = CadreJson(c.cadre);
  o["preference"] = c.preference ? json::value(PreferenceJson(*c.preference, c.receivers))
                                 : json::value(nullptr);
  return o;
}

json::object RoundVillageJson(const RoundVillage& v) {
  json::object o = VillageNeedJson(v.need);
  o["seats"] = v.seats;
  o["preference"] =
      v.preference ? json::value(PreferenceJson(*v.preference, v.kind)) : json::value(nullptr);
  o["kind"] = v.kind;
  o["id"] = ParticipantId("village", v.id, v.kind);
  if (!v.name.empty()) o["name"] = v.name;
  o["work_type"] = v.work_type.empty() ? json::value(nullptr) : json::value(v.work_type);
  json::array villages;
  if (!v.village_needs.empty()) {
    for (const domain::VillageNeed& n : v.village_needs)
      villages.push_back(json::object{{"division_code", DivisionCodeJson(n.division_code)},
                                      {"name", n.name},
                                      {"priority", Num(n.priority)}});
  } else {
    for (int64_t code : v.villages)
      villages.push_back(json::object{{"division_code", DivisionCodeJson(code)},
                                      {"name", code == v.need.division_code ? v.need.name : ""},
                                      {"priority", Num(v.need.priority)}});
  }
  o["villages"] = std::move(villages);
  o["project"] = v.project ? json::value(ProjectJson(*v.project)) : json::value(nullptr);
  return o;
}

// ---- results ----

json::object RoundResultJson(const RoundResult& r) {
  auto name_of = [](const std::vector<std::pair<int64_t, std::string>>& names, int64_t id) {
    for (const auto& [k, name] : names)
      if (k == id) return name;
    return std::string();
  };
  const std::string_view receivers = ReceiverKindOfRole(r.round.role);
  json::array assignments;
  for (const domain::Assignment& a : r.assignments) {
    json::array villages;
    for (int64_t code : a.villages)
      villages.push_back(json::object{{"division_code", DivisionCodeJson(code)},
                                      {"name", name_of(r.village_names, code)}});
    json::array post_ids;
    for (int64_t id : a.post_ids) post_ids.emplace_back(id);
    assignments.push_back(json::object{
        {"cadre_id", a.cadre_id},
        {"cadre_name", name_of(r.cadre_names, a.cadre_id)},
        {"division_code", DivisionCodeJson(a.division_code)},
        {"village_name", name_of(r.village_names, a.division_code)},
        {"unit_id", a.unit_id == 0 ? json::value(nullptr) : json::value(a.unit_id)},
        {"unit_name", a.unit_id == 0 ? json::value(nullptr)
                                     : json::value(name_of(r.unit_names, a.unit_id))},
        {"villages", std::move(villages)},
        {"fit", Num(a.fit)},
        {"cadre_rank", a.cadre_rank},
        {"village_rank", a.village_rank},
        {"start_date", DateJson(a.start_date)},
        {"end_date", DateJson(a.end_date)},
        {"post_id", a.post_id == 0 ? json::value(nullptr) : json::value(a.post_id)},
        {"post_ids", std::move(post_ids)}});
  }
  json::array unmatched;
  for (const Unmatched& u : r.unmatched) {
    unmatched.push_back(json::object{{"side", u.side},
                                     {"id", ParticipantId(u.side, u.id, receivers)},
                                     {"name", u.name},
                                     {"reason", u.reason}});
  }
  json::array explanations;
  for (const RoundResult::Explanation& e : r.explanations) {
    explanations.push_back(json::object{
        {"side", e.side},
        {"id", ParticipantId(e.side, e.id, receivers)},
        {"lines", Strings(e.lines)}});
  }
  json::array uncovered;
  for (const RoundResult::Uncovered& u : r.uncovered) {
    uncovered.push_back(json::object{{"division_code", DivisionCodeJson(u.division_code)},
                                     {"name", u.name},
                                     {"unit_id", u.unit_id},
                                     {"unit_name", u.unit_name},
                                     {"reason", u.reason}});
  }
  return {{"round", RoundJson(r.round)},
          {"assignments", std::move(assignments)},
          {"unmatched", std::move(unmatched)},
          {"uncovered", std::move(uncovered)},
          {"explanations", std::move(explanations)},
          {"certificate", json::object{{"stable", r.blocking_pairs == 0},
                                       {"blocking_pairs", r.blocking_pairs},
                                       {"checked_pairs", r.checked_pairs}}},
          {"totals", json::object{{"assignments", static_cast<int64_t>(r.assignments.size())},
                                  {"total_fit", Num(r.total_fit)},
                                  {"optimal_fit", Num(r.optimal_fit)},
                                  {"price_of_stability", Num(r.price_of_stability)},
                                  {"derived_cadre_lists", r.derived_cadre_lists},
                                  {"derived_village_lists", r.derived_village_lists}}},
          {"input_hash", r.input_hash},
          {"output_hash", r.output_hash}};
}

// ---- terms ----

json::object FirstSecretaryTermJson(const FirstSecretaryTerm& t) {
  return {{"post_kind", t.post_kind},
          {"post_id", t.post_id},
          {"division_code", DivisionCodeJson(t.division_code)},
          {"village_name", t.village_name},
          {"person_name", t.person_name},
          {"round_id", t.round_id == 0 ? json::value(nullptr) : json::value(t.round_id)},
          {"start_date", t.start_date.ToString()},
          {"end_date", DateJson(t.end_date)},
          {"current", t.current},
          {"ending_soon", t.ending_soon},
          {"days_left", t.days_left}};
}

}  // namespace qiangji::services

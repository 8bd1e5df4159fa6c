// JSON of a dispatch problem and its result (see match_json.h, docs/match-solve.md). The reader
// is strict in the way assess_json.cc is: a wrong type is a field error, never a silent default,
// and unknown fields are errors so that a typo ("seat") is reported rather than ignored. Ids are
// resolved once, into indices; every later message names the JSON path the user wrote.
#include "services/match_json.h"

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/division_code.h"
#include "services/json_reader.h"
#include "services/record_json.h"

namespace qiangji::services {

namespace {

namespace match = engines::match;

using json_read::AsInt;
using json_read::AsNumber;

// The shared reader (json_reader.h) in the problem file's wording, with its choices and codes.
class Reader : public json_read::Reader {
 public:
  Reader(const json::object& o, std::string prefix, FieldErrors& errors)
      : json_read::Reader(o, std::move(prefix), errors, json_read::kTerseWording) {}

  // One of `words`; returns the index, or -1 when absent or wrong (with an error).
  int Choice(std::string_view key, std::initializer_list<std::string_view> words) {
    const json::value* v = Find(key);
    if (!v) return -1;
    int i = 0;
    std::string list;
    for (std::string_view w : words) {
      if (v->is_string() && v->get_string() == w) return i;
      list += fmt::format("{}\"{}\"", i ? " or " : "", w);
      ++i;
    }
    Error(key, "must be " + list);
    return -1;
  }
  // A division code as a string of significant digits (or an integer); `level` when given.
  void GetCode(std::string_view key, int64_t& out, std::optional<DivisionLevel> level) {
    const json::value* v = Find(key);
    if (!v) return;
    std::string text;
    if (v->is_string()) {
      text = std::string(v->get_string());
    } else if (std::optional<int64_t> i = AsInt(*v)) {
      text = std::to_string(*i);
    } else {
      return Error(key, "must be a string of digits (a division code)");
    }
    Result<DivisionCode> code = DivisionCode::Parse(text);
    if (!code.ok()) {
      const Status& s = code.status();
      return Error(
          key, fmt::format("\"{}\": {}", text,
                           s.field_errors().empty() ? s.message() : s.field_errors()[0].message));
    }
    if (level && code->level() != *level)
      return Error(key,
                   fmt::format("\"{}\" is not a {}-level code", text, DivisionLevelName(*level)));
    out = code->value();
  }
};

// Work type -> number, from an object; or, for skills, an array of names (each level 1).
std::vector<std::pair<std::string, double>> ParseWeights(const json::value& v,
                                                         const std::string& path,
                                                         bool array_allowed, FieldErrors& errors) {
  std::vector<std::pair<std::string, double>> out;
  if (array_allowed && v.is_array()) {
    const json::array& a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string()) {
        errors.Add(fmt::format("{}[{}]", path, i), "must be a work type");
        continue;
      }
      out.emplace_back(std::string(a[i].get_string()), 1.0);
    }
    return out;
  }
  if (!v.is_object()) {
    errors.Add(path, array_allowed
                         ? "must be an array of work types or an object {work type: level}"
                         : "must be an object {work type: weight}");
    return out;
  }
  for (const auto& kv : v.get_object()) {
    const std::optional<double> d = AsNumber(kv.value());
    if (!d || !std::isfinite(*d)) {
      errors.Add(fmt::format("{}.{}", path, std::string_view(kv.key())), "must be a number");
      continue;
    }
    out.emplace_back(std::string(kv.key()), *d);
  }
  return out;
}

// person_prefs / village_prefs: {"<id>": [["v1"], ["v2", "v3"]]}, tiers best first; a tier may
// be written as a bare id for a tier of one.
std::vector<std::optional<match::RankList>> ParsePrefs(
    const json::object* o, const std::string& side, const char* own_kind, const char* other_kind,
    const std::unordered_map<std::string, int>& own,
    const std::unordered_map<std::string, int>& other, FieldErrors& errors) {
  std::vector<std::optional<match::RankList>> lists(own.size());
  if (!o) return lists;
  for (const auto& kv : *o) {
    const std::string id(kv.key());
    const std::string path = side + "." + id;
    auto agent = own.find(id);
    if (agent == own.end()) {
      errors.Add(path, fmt::format("unknown {} '{}'", own_kind, id));
      continue;
    }
    if (!kv.value().is_array()) {
      errors.Add(path, "must be an array of tiers, e.g. [[\"a\"], [\"b\", \"c\"]]");
      continue;
    }
    match::RankList list;
    std::map<int, std::string> first_at;  // other index -> "[t][k]" where it was first ranked
    const json::array& tiers = kv.value().get_array();
    for (size_t t = 0; t < tiers.size(); ++t) {
      const std::string tier_path = fmt::format("{}[{}]", path, t);
      std::vector<std::pair<const json::value*, std::string>> items;  // (value, path, position)
      if (tiers[t].is_array()) {
        const json::array& a = tiers[t].get_array();
        if (a.empty()) errors.Add(tier_path, "an empty tier; leave it out");
        for (size_t k = 0; k < a.size(); ++k)
          items.emplace_back(&a[k], fmt::format("[{}][{}]", t, k));
      } else {
        items.emplace_back(&tiers[t], fmt::format("[{}]", t));
      }
      std::vector<int> tier;
      for (const auto& [value, where] : items) {
        const std::string item_path = path + where;
        if (!value->is_string()) {
          errors.Add(item_path, fmt::format("must be a {} id", other_kind));
          continue;
        }
        const std::string name(value->get_string());
        auto b = other.find(name);
        if (b == other.end()) {
          errors.Add(item_path, fmt::format("unknown {} '{}'", other_kind, name));
          continue;
        }
        auto [it, fresh] = first_at.emplace(b->second, where);
        if (!fresh) {
          errors.Add(item_path, fmt::format("ranks '{}' again (first at {})", name, it->second));
          continue;
        }
        tier.push_back(b->second);
      }
      if (!tier.empty()) list.tiers.push_back(std::move(tier));
    }
    lists[static_cast<size_t>(agent->second)] = std::move(list);
  }
  return lists;
}

// Resolves {person, village} ids of one array entry into indices (-1 when unknown, with an error).
std::pair<int, int> PairOf(Reader& r, const std::unordered_map<std::string, int>& people,
                           const std::unordered_map<std::string, int>& villages) {
  std::string person, village;
  r.Get("person", person, true);
  r.Get("village", village, true);
  int p = -1, v = -1;
  if (!person.empty()) {
    auto it = people.find(person);
    if (it == people.end())
      r.Error("person", fmt::format("unknown person '{}'", person));
    else
      p = it->second;
  }
  if (!village.empty()) {
    auto it = villages.find(village);
    if (it == villages.end())
      r.Error("village", fmt::format("unknown village '{}'", village));
    else
      v = it->second;
  }
  return {p, v};
}

// ---- writing ----

// Fits are shown to 6 decimals (the hashes cover the exact values).
json::value Fit(double x) { return std::round(x * 1e6) / 1e6; }

json::array Ids(const std::vector<int>& indices, const std::vector<std::string>& ids) {
  json::array a;
  for (int i : indices) a.emplace_back(ids[static_cast<size_t>(i)]);
  return a;
}

json::array ListJson(const match::RankList& list, const std::vector<std::string>& ids) {
  json::array tiers;
  for (const auto& tier : list.tiers) tiers.push_back(Ids(tier, ids));
  return tiers;
}

// 1-based tier of `who` in a list, or null when unlisted.
json::value Choice(const match::RankList& list, int who) {
  for (size_t t = 0; t < list.tiers.size(); ++t) {
    for (int x : list.tiers[t]) {
      if (x == who) return static_cast<int64_t>(t + 1);
    }
  }
  return nullptr;
}

std::string_view ReasonName(match::UnmatchedReason reason, match::DispatchMode mode) {
  if (reason == match::UnmatchedReason::kNoAcceptablePartner) return "no_acceptable_partner";
  return mode == match::DispatchMode::kOptimal ? "left_by_optimum" : "outranked";
}

void ParseListsAndPairs(Reader& r, match::DispatchProblem& p,
                        const std::unordered_map<std::string, int>& person_index,
                        const std::unordered_map<std::string, int>& village_index,
                        FieldErrors& errors);
void ParseRules(Reader& r, match::DispatchProblem& p, FieldErrors& errors);

}  // namespace

Result<match::DispatchProblem> MatchProblemFromJson(const json::value& v) {
  if (!v.is_object())
    return Status::InvalidField("body", "must be a JSON object {people, villages, ...}");
  FieldErrors errors;
  Reader r(v.get_object(), "", errors);
  r.RejectUnknown({"mode", "proposing", "seed", "people", "villages", "person_prefs",
                   "village_prefs", "fit", "exclusions", "rules", "note"});
  match::DispatchProblem p;
  if (r.Choice("mode", {"stable", "optimal"}) == 1) p.mode = match::DispatchMode::kOptimal;
  if (r.Choice("proposing", {"people", "villages"}) == 1)
    p.proposing = match::ProposingSide::kVillages;
  r.Get("seed", p.seed);

  std::unordered_map<std::string, int> person_index;
  if (const json::array* people = r.Array("people", true)) {
    for (size_t i = 0; i < people->size(); ++i) {
      const std::string prefix = fmt::format("people[{}].", i);
      match::DispatchPerson x;
      if (!(*people)[i].is_object()) {
        errors.Add(prefix.substr(0, prefix.size() - 1), "must be an object");
        p.people.push_back(std::move(x));
        continue;
      }
      Reader pr((*people)[i].get_object(), prefix, errors);
      pr.RejectUnknown({"id", "name", "kind", "skills", "home_code", "unit", "unit_kind",
                        "available", "capacity"});
      pr.Get("id", x.id, true);
      pr.Get("name", x.name);
      if (pr.Choice("kind", {"cadre", "local_worthy"}) == 1)
        x.kind = match::PersonKind::kLocalWorthy;
      if (const json::value* skills = pr.Find("skills"))
        x.skills = ParseWeights(*skills, prefix + "skills", true, errors);
      pr.GetCode("home_code", x.home_code, std::nullopt);
      pr.Get("unit", x.unit);
      pr.Get("unit_kind", x.unit_kind);
      pr.Get("available", x.available);
      int capacity = 1;
      pr.Get("capacity", capacity);
      if (capacity < 0) {
        pr.Error("capacity", "must not be negative");
      } else if (capacity > 1) {
        pr.Error("capacity",
                 "a person takes one village (circuit posts of several villages are "
                 "not solved by match solve)");
      } else if (capacity == 0) {
        x.available = false;
      }
      if (!x.id.empty() && !person_index.emplace(x.id, static_cast<int>(i)).second)
        pr.Error("id", fmt::format("duplicates another person's id '{}'", x.id));
      p.people.push_back(std::move(x));
    }
  }

  std::unordered_map<std::string, int> village_index;
  if (const json::array* villages = r.Array("villages", true)) {
    for (size_t j = 0; j < villages->size(); ++j) {
      const std::string prefix = fmt::format("villages[{}].", j);
      match::DispatchVillage x;
      if (!(*villages)[j].is_object()) {
        errors.Add(prefix.substr(0, prefix.size() - 1), "must be an object");
        p.villages.push_back(std::move(x));
        continue;
      }
      Reader vr((*villages)[j].get_object(), prefix, errors);
      vr.RejectUnknown({"id", "code", "name", "township_code", "seats", "needs", "priority"});
      vr.Get("id", x.id);
      vr.Get("name", x.name);
      vr.GetCode("code", x.code, DivisionLevel::kVillage);
      vr.GetCode("township_code", x.township_code, DivisionLevel::kTownship);
      if (x.id.empty() && x.code != 0) x.id = fmt::format("{:012d}", x.code);
      if (x.id.empty() && !vr.Find("id") && !vr.Find("code"))
        vr.Error("id", "is required (or give code)");
      vr.Get("seats", x.seats);
      if (const json::value* needs = vr.Find("needs"))
        x.needs = ParseWeights(*needs, prefix + "needs", false, errors);
      vr.Get("priority", x.priority);
      if (!x.id.empty() && !village_index.emplace(x.id, static_cast<int>(j)).second)
        vr.Error("id", fmt::format("duplicates another village's id '{}'", x.id));
      p.villages.push_back(std::move(x));
    }
  }
  // Lists and pairs name ids; with a missing or duplicate id they would only add noise.
  const bool ids_ok =
      person_index.size() == p.people.size() && village_index.size() == p.villages.size();
  if (ids_ok) ParseListsAndPairs(r, p, person_index, village_index, errors);
  ParseRules(r, p, errors);
  std::string note;
  r.Get("note", note);  // for people reading the file; not part of the problem

  // The engine's own checks (seats, work types, ranges) on what was read, reported with the
  // rest. When reading failed, its index-based paths for lists and pairs could point at the
  // wrong entry, so those are left to the reader's own errors; one error per field is enough.
  p.person_prefs.resize(p.people.size());
  p.village_prefs.resize(p.villages.size());
  const bool read_failed = !errors.empty();
  const Status checked = match::ValidateDispatch(p);
  for (const FieldError& e : checked.field_errors()) {
    const std::string_view f = e.field;
    if (read_failed && (f.starts_with("person_prefs") || f.starts_with("village_prefs") ||
                        f.starts_with("fit[") || f.starts_with("exclusions[")))
      continue;
    bool seen = false;
    for (const FieldError& x : errors.errors()) seen = seen || x.field == e.field;
    if (!seen) errors.Add(e.field, e.message);
  }
  if (!errors.empty()) return errors.ToStatus();
  return p;
}

namespace {

void ParseListsAndPairs(Reader& r, match::DispatchProblem& p,
                        const std::unordered_map<std::string, int>& person_index,
                        const std::unordered_map<std::string, int>& village_index,
                        FieldErrors& errors) {
  p.person_prefs = ParsePrefs(r.Object("person_prefs"), "person_prefs", "person", "village",
                              person_index, village_index, errors);
  p.village_prefs = ParsePrefs(r.Object("village_prefs"), "village_prefs", "village", "person",
                               village_index, person_index, errors);

  if (const json::array* fits = r.Array("fit")) {
    for (size_t i = 0; i < fits->size(); ++i) {
      const std::string prefix = fmt::format("fit[{}].", i);
      if (!(*fits)[i].is_object()) {
        errors.Add(prefix.substr(0, prefix.size() - 1), "must be an object {person, village, fit}");
        continue;
      }
      Reader fr((*fits)[i].get_object(), prefix, errors);
      fr.RejectUnknown({"person", "village", "fit"});
      const auto [person, village] = PairOf(fr, person_index, village_index);
      double fit = 0;
      if (!fr.Find("fit", true)) continue;
      fr.Get("fit", fit);
      if (fit < 0 || fit > 1e6) fr.Error("fit", "must be a number between 0 and 1000000");
      if (person >= 0 && village >= 0) p.explicit_fits.push_back({person, village, fit});
    }
  }
  if (const json::array* exclusions = r.Array("exclusions")) {
    for (size_t i = 0; i < exclusions->size(); ++i) {
      const std::string prefix = fmt::format("exclusions[{}].", i);
      if (!(*exclusions)[i].is_object()) {
        errors.Add(prefix.substr(0, prefix.size() - 1),
                   "must be an object {person, village, reason}");
        continue;
      }
      Reader er((*exclusions)[i].get_object(), prefix, errors);
      er.RejectUnknown({"person", "village", "reason"});
      const auto [person, village] = PairOf(er, person_index, village_index);
      std::string reason;
      er.Get("reason", reason);
      if (person >= 0 && village >= 0) p.exclusions.push_back({person, village, reason});
    }
  }
}

void ParseRules(Reader& r, match::DispatchProblem& p, FieldErrors& errors) {
  if (const json::object* rules = r.Object("rules")) {
    Reader rr(*rules, "rules.", errors);
    rr.RejectUnknown({"avoid_home_county", "priority_weight", "hometown_bonus",
                      "max_per_unit_per_township", "unit_kind_exclusions"});
    rr.Get("avoid_home_county", p.rules.avoid_home_county);
    rr.Get("priority_weight", p.rules.priority_weight);
    if (const json::object* bonus = rr.Object("hometown_bonus")) {
      Reader br(*bonus, "rules.hometown_bonus.", errors);
      br.RejectUnknown({"village", "township", "county"});
      br.Get("village", p.rules.hometown_bonus.village);
      br.Get("township", p.rules.hometown_bonus.township);
      br.Get("county", p.rules.hometown_bonus.county);
    }
    rr.Get("max_per_unit_per_township", p.rules.max_per_unit_per_township);
    if (const json::array* kinds = rr.Array("unit_kind_exclusions")) {
      for (size_t i = 0; i < kinds->size(); ++i) {
        const std::string prefix = fmt::format("rules.unit_kind_exclusions[{}].", i);
        if (!(*kinds)[i].is_object()) {
          errors.Add(prefix.substr(0, prefix.size() - 1),
                     "must be an object {unit_kind, under, reason}");
          continue;
        }
        Reader ur((*kinds)[i].get_object(), prefix, errors);
        ur.RejectUnknown({"unit_kind", "under", "reason"});
        match::UnitKindExclusion u;
        ur.Get("unit_kind", u.unit_kind, true);
        ur.Get("under", u.under);
        ur.Get("reason", u.reason);
        p.rules.unit_kind_exclusions.push_back(std::move(u));
      }
    }
  }
}

}  // namespace

json::object MatchResultJson(const match::DispatchProblem& problem,
                             const match::DispatchResult& r) {
  const match::Market& market = r.market;
  const size_t n = problem.people.size();
  const size_t m = problem.villages.size();
  std::vector<std::string> person_ids, village_ids;
  for (const auto& x : problem.people) person_ids.push_back(x.id);
  for (const auto& v : problem.villages) village_ids.push_back(v.id);
  auto fit_of = [&](size_t i, int v) { return r.fit[i * m + static_cast<size_t>(v)]; };

  json::array assignments;
  std::vector<std::vector<int>> seated(m);
  for (size_t i = 0; i < n; ++i) {
    const int v = r.assignment[i];
    if (v < 0) continue;
    seated[static_cast<size_t>(v)].push_back(static_cast<int>(i));
    assignments.push_back(
        json::object{{"person", person_ids[i]},
                     {"person_name", market.person_names[i]},
                     {"village", village_ids[static_cast<size_t>(v)]},
                     {"village_name", market.village_names[static_cast<size_t>(v)]},
                     {"fit", Fit(fit_of(i, v))},
                     {"person_choice", Choice(market.person_prefs[i], v)},
                     {"village_choice",
                      Choice(market.village_prefs[static_cast<size_t>(v)], static_cast<int>(i))}});
  }

  json::array unmatched_people;
  for (const auto& u : r.unmatched_people) {
    const size_t i = static_cast<size_t>(u.person);
    unmatched_people.push_back(json::object{{"person", person_ids[i]},
                                            {"name", market.person_names[i]},
                                            {"reason", ReasonName(u.reason, problem.mode)},
                                            {"text", u.text}});
  }
  json::array open_seats;
  for (const auto& o : r.open_seats) {
    const size_t j = static_cast<size_t>(o.village);
    open_seats.push_back(json::object{{"village", village_ids[j]},
                                      {"name", market.village_names[j]},
                                      {"seats_left", o.seats_left},
                                      {"reason", ReasonName(o.reason, problem.mode)},
                                      {"text", o.text}});
  }

  json::array derived_people, derived_villages;
  json::array people;
  for (size_t i = 0; i < n; ++i) {
    if (r.person_derived[i]) derived_people.emplace_back(person_ids[i]);
    const int v = r.assignment[i];
    people.push_back(json::object{
        {"id", person_ids[i]},
        {"name", market.person_names[i]},
        {"village", v >= 0 ? json::value(village_ids[static_cast<size_t>(v)]) : nullptr},
        {"fit", v >= 0 ? Fit(fit_of(i, v)) : nullptr},
        {"list_derived", static_cast<bool>(r.person_derived[i])},
        {"list", ListJson(market.person_prefs[i], village_ids)},
        {"lottery", r.stable.person_lottery[i]},
        {"explanation", r.explanations.people[i]}});
  }
  json::array villages;
  for (size_t j = 0; j < m; ++j) {
    if (r.village_derived[j]) derived_villages.emplace_back(village_ids[j]);
    const auto& v = problem.villages[j];
    villages.push_back(json::object{{"id", village_ids[j]},
                                    {"name", market.village_names[j]},
                                    {"code", DivisionCodeJson(v.code)},
                                    {"seats", v.seats},
                                    {"priority", v.priority},
                                    {"matched", Ids(seated[j], person_ids)},
                                    {"list_derived", static_cast<bool>(r.village_derived[j])},
                                    {"list", ListJson(market.village_prefs[j], person_ids)},
                                    {"lottery", r.stable.village_lottery[j]},
                                    {"explanation", r.explanations.villages[j]}});
  }

  json::array exclusions;
  for (size_t k = 0; k < market.exclusions.size(); ++k) {
    const auto& e = market.exclusions[k];
    exclusions.push_back(json::object{{"person", person_ids[static_cast<size_t>(e.person)]},
                                      {"village", village_ids[static_cast<size_t>(e.village)]},
                                      {"rule", match::ExclusionSourceName(r.exclusion_source[k])},
                                      {"reason", e.reason}});
  }

  const match::StabilityCertificate& c = r.certificate;
  json::array examples;
  for (const auto& b : c.blocking_examples) {
    examples.push_back(json::object{{"person", person_ids[static_cast<size_t>(b.person)]},
                                    {"village", village_ids[static_cast<size_t>(b.village)]}});
  }
  json::array notes;
  for (const auto& s : c.violation_notes) notes.emplace_back(s);
  json::object certificate{{"stable", c.stable()},
                           {"blocking_pairs", c.blocking_pairs},
                           {"violations", c.violations},
                           {"checked_pairs", c.checked_pairs},
                           {"blocking_examples", std::move(examples)},
                           {"violation_notes", std::move(notes)}};

  json::value price = nullptr;
  if (r.price) {
    const double scale = static_cast<double>(match::kFitScale);
    price =
        json::object{{"stable_total_fit", static_cast<double>(r.price->stable_scaled) / scale},
                     {"optimal_total_fit", static_cast<double>(r.price->optimal_scaled) / scale},
                     {"ratio", Fit(r.price->ratio)}};
  }

  return {
      {"mode", problem.mode == match::DispatchMode::kOptimal ? "optimal" : "stable"},
      {"proposing", problem.proposing == match::ProposingSide::kVillages ? "villages" : "people"},
      {"seed", problem.seed},
      {"input_hash", r.input_hash},
      {"output_hash", r.output_hash},
      {"certificate", std::move(certificate)},
      {"total_fit", r.total_fit},
      {"price_of_stability", std::move(price)},
      {"rounds", r.rounds},
      {"derived", json::object{{"person_prefs", std::move(derived_people)},
                               {"village_prefs", std::move(derived_villages)}}},
      {"assignments", std::move(assignments)},
      {"unmatched",
       json::object{{"people", std::move(unmatched_people)}, {"villages", std::move(open_seats)}}},
      {"people", std::move(people)},
      {"villages", std::move(villages)},
      {"exclusions", std::move(exclusions)}};
}

}  // namespace qiangji::services

#include "services/pairing_json.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "common/division_code.h"
#include "services/base.h"
#include "services/json_reader.h"
#include "services/record_json.h"

namespace qiangji::services {
namespace {

json::value Num(double d) {
  if (!std::isfinite(d)) return nullptr;
  return d;
}

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

using json_read::AsInt;
using json_read::AsNumber;

// The shared reader (json_reader.h) in pairing's wording, with division codes of any level.
class Reader : public json_read::Reader {
 public:
  Reader(const json::object& o, std::string prefix, FieldErrors& errors)
      : json_read::Reader(o, std::move(prefix), errors, json_read::kTerseWording) {}

  // A division code of any level: 12 digits, or its significant digits (2/4/6/9), as a string
  // or a number.
  void GetCode(std::string_view key, int64_t& out, bool required = false) {
    const json::value* v = Find(key, required);
    if (!v) return;
    std::string text;
    if (v->is_string()) {
      text = std::string(v->get_string());
    } else if (std::optional<int64_t> i = AsInt(*v); i && *i > 0) {
      text = std::to_string(*i);
      if (text.size() < 12 && text.size() > 9) text = fmt::format("{:012d}", *i);
    } else {
      return Error(key, "must be a division code such as \"130624000000\" or \"130624\"");
    }
    Result<DivisionCode> code = DivisionCode::Parse(text);
    if (!code.ok()) {
      const Status& s = code.status();
      return Error(key, s.field_errors().empty() ? s.message() : s.field_errors()[0].message);
    }
    out = code->value();
  }
};

// Adds a field error unless that field (or an entry of it, "industries[0]" for "industries") is
// named already: a value that did not read is not also reported as missing.
void AddUnlessNamed(FieldErrors& errors, const std::string& field, const std::string& message) {
  for (const FieldError& e : errors.errors()) {
    if (e.field == field) return;
    if (e.field.size() > field.size() && e.field.compare(0, field.size(), field) == 0 &&
        e.field[field.size()] == '[')
      return;
  }
  errors.Add(field, message);
}

// Lenient readers for what the service stored itself.
const json::value* Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}
double NumOf(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (!v) return 0;
  std::optional<double> d = AsNumber(*v);
  return d ? *d : 0;
}
int64_t IntOf(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (!v) return 0;
  if (v->is_string()) {
    auto code = DivisionCode::Parse(std::string(v->get_string()));
    return code.ok() ? code->value() : 0;
  }
  std::optional<int64_t> i = AsInt(*v);
  return i ? *i : 0;
}
std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
std::vector<std::string> StringsOf(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* v = Field(o, key); v && v->is_array())
    for (const json::value& x : v->get_array())
      if (x.is_string()) out.emplace_back(x.get_string());
  return out;
}
const json::array& ArrayOf(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = Field(o, key);
  return v && v->is_array() ? v->get_array() : kEmpty;
}

}  // namespace

// ---- enterprises ----

json::object EnterpriseJson(const domain::Enterprise& e) {
  return {{"id", e.id},
          {"county_code", DivisionCodeJson(e.county_code)},
          {"name", e.name},
          {"ownership", e.ownership},
          {"industries", Strings(e.industries)},
          {"location_code", DivisionCodeJson(e.location_code)},
          {"preferred_areas", Strings(e.preferred_areas)},
          {"capacity_villages", e.capacity_villages},
          {"capacity_firms", e.capacity_firms},
          {"contact_name", e.contact_name},
          {"contact_phone", TextOrNull(MaskPhone(e.contact_phone))},
          {"available", e.available},
          {"note", e.note},
          {"updated_at", TextOrNull(e.updated_at)}};
}

Result<domain::Enterprise> EnterpriseFromJson(const json::object& o,
                                              std::string_view field_prefix) {
  FieldErrors errors;
  Reader r(o, std::string(field_prefix), errors);
  r.RejectUnknown({"id", "county_code", "name", "ownership", "industries", "location_code",
                   "preferred_areas", "capacity_villages", "capacity_firms", "contact_name",
                   "contact_phone", "available", "note", "updated_at"});
  domain::Enterprise e;
  r.Get("name", e.name, true);
  r.GetEnum("ownership", e.ownership, domain::kOwnerships);
  if (r.Find("industries", true)) r.Get("industries", e.industries);
  r.GetCode("location_code", e.location_code, true);
  r.Get("preferred_areas", e.preferred_areas);
  r.Get("capacity_villages", e.capacity_villages);
  r.Get("capacity_firms", e.capacity_firms);
  r.Get("contact_name", e.contact_name);
  r.Get("contact_phone", e.contact_phone);
  r.Get("available", e.available);
  r.Get("note", e.note);
  // Every broken rule at once: the record's rules for the fields that did read.
  if (Status s = domain::ValidateEnterprise(e); !s.ok()) {
    // A masked phone is what an edit was shown; the service keeps the stored one for it.
    const bool phone_masked = e.contact_phone.find('*') != std::string::npos;
    for (const FieldError& f : s.field_errors()) {
      if (phone_masked && f.field == "contact_phone") continue;
      AddUnlessNamed(errors, std::string(field_prefix) + f.field, f.message);
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return e;
}

// ---- runs ----

json::object PairingParamsJson(const domain::PairingParams& p) {
  return {{"weights", json::object{{"industry", Num(p.weights.industry)},
                                   {"area", Num(p.weights.area)},
                                   {"priority", Num(p.weights.priority)}}},
          {"rules", json::object{{"require_industry_overlap", p.rules.require_industry_overlap}}},
          {"min_priority", Num(p.min_priority)},
          {"kinds", Strings(p.kinds)}};
}

json::object PairingRunJson(const domain::PairingRun& r) {
  return {{"id", r.id},
          {"scope", r.scope},
          {"name", r.name},
          {"status", r.status},
          {"params", PairingParamsJson(r.params)},
          {"start_date", r.start_date.ToString()},
          {"created_at", TextOrNull(r.created_at)},
          {"created_by", TextOrNull(r.created_by)},
          {"matched_at", TextOrNull(r.matched_at)},
          {"confirmed_at", TextOrNull(r.confirmed_at)}};
}

Result<domain::PairingRun> PairingRunFromJson(const json::object& o) {
  FieldErrors errors;
  Reader r(o, "", errors);
  // What PairingRunJson (and the summary) writes is accepted, so a run read back can be sent again.
  r.RejectUnknown({"id", "scope", "name", "status", "params", "start_date", "created_at",
                   "created_by", "matched_at", "confirmed_at", "targets", "pairs"});
  domain::PairingRun run;
  r.Get("scope", run.scope);
  r.Get("name", run.name, true);
  std::optional<Date> start;
  r.GetDate("start_date", start, true);
  if (start) run.start_date = *start;
  if (const json::value* v = r.Find("params")) {
    if (!v->is_object()) {
      r.Error("params", "must be an object");
    } else {
      const json::object& po = v->get_object();
      Reader p(po, "params.", errors);
      p.RejectUnknown({"weights", "rules", "min_priority", "kinds"});
      p.Get("min_priority", run.params.min_priority);
      p.Get("kinds", run.params.kinds);
      if (const json::value* w = p.Find("weights")) {
        if (!w->is_object()) {
          p.Error("weights", "must be an object");
        } else {
          Reader wr(w->get_object(), "params.weights.", errors);
          wr.RejectUnknown({"industry", "area", "priority"});
          wr.Get("industry", run.params.weights.industry);
          wr.Get("area", run.params.weights.area);
          wr.Get("priority", run.params.weights.priority);
        }
      }
      if (const json::value* rules = p.Find("rules")) {
        if (!rules->is_object()) {
          p.Error("rules", "must be an object");
        } else {
          Reader rr(rules->get_object(), "params.rules.", errors);
          rr.RejectUnknown({"require_industry_overlap"});
          rr.Get("require_industry_overlap", run.params.rules.require_industry_overlap);
        }
      }
    }
  }
  // The run's own rules too, so a form sees every problem at once; the scope may be left to the
  // service (the caller's county).
  domain::PairingRun check = run;
  if (check.scope.empty()) check.scope = "110101";
  if (Status s = domain::ValidatePairingRun(check); !s.ok())
    for (const FieldError& f : s.field_errors()) AddUnlessNamed(errors, f.field, f.message);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return run;
}

json::object PairingRunSummaryJson(const PairingRunSummary& s) {
  json::object o = PairingRunJson(s.run);
  o["targets"] = s.targets;
  o["pairs"] = s.pairs;
  return o;
}

// ---- targets ----

json::object PairingTargetJson(const PairingTargetView& v) {
  const domain::PairingTarget& t = v.target;
  json::array matches;
  for (const domain::IndustryMatch& m : v.matches)
    matches.push_back(json::object{{"text", m.text}, {"industry", m.industry}});
  json::array reasons;
  for (const domain::NeedReason& r : v.reasons)
    reasons.push_back(
        json::object{{"source", r.source}, {"evidence", r.evidence}, {"points", Num(r.points)}});
  return {{"run_id", t.run_id},
          {"division_code", DivisionCodeJson(t.division_code)},
          {"kind", t.kind},
          {"name", t.name},
          {"township_code", DivisionCodeJson(t.township_code)},
          {"township_name", t.township_name},
          {"industries", Strings(t.industries)},
          {"derived", t.derived},
          {"main_industries", Strings(t.main_industries)},
          {"matches", std::move(matches)},
          {"priority", Num(t.priority)},
          {"priority_label", t.priority_label},
          {"included", t.included},
          {"reasons", std::move(reasons)}};
}

Result<TargetChange> TargetChangeFromJson(const json::object& o) {
  FieldErrors errors;
  Reader r(o, "", errors);
  // A target read back may be sent again: the fields it shows but the county does not set are
  // accepted and ignored.
  r.RejectUnknown({"industries", "included", "run_id", "division_code", "kind", "name",
                   "township_code", "township_name", "derived", "main_industries", "matches",
                   "priority", "priority_label", "reasons"});
  TargetChange c;
  if (const json::value* v = o.if_contains("industries")) {
    if (v->is_null()) {
      c.reset_industries = true;
    } else {
      std::vector<std::string> industries;
      r.Get("industries", industries);
      c.industries = std::move(industries);
    }
  }
  if (r.Find("included")) {
    bool included = true;
    r.Get("included", included);
    c.included = included;
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  if (c.industries) QJ_RETURN_IF_ERROR(domain::ValidateTargetIndustries(*c.industries));
  if (!c.industries && !c.reset_industries && !c.included)
    return Status::InvalidField("industries", "give industries (or null) or included");
  return c;
}

// ---- results ----

json::object PairBreakdownJson(const PairView& p) {
  return {{"overlap", Num(p.overlap)},
          {"proximity", Num(p.proximity)},
          {"priority", Num(p.priority_share)},
          {"industry_term", Num(p.industry_term)},
          {"area_term", Num(p.area_term)},
          {"priority_term", Num(p.priority_term)},
          {"relation", p.relation},
          {"preferred_area", TextOrNull(p.preferred_area)},
          {"common", Strings(p.common)}};
}

void ReadPairBreakdown(const json::object& o, PairView& p) {
  p.overlap = NumOf(o, "overlap");
  p.proximity = NumOf(o, "proximity");
  p.priority_share = NumOf(o, "priority");
  p.industry_term = NumOf(o, "industry_term");
  p.area_term = NumOf(o, "area_term");
  p.priority_term = NumOf(o, "priority_term");
  p.relation = TextOf(o, "relation");
  p.preferred_area = TextOf(o, "preferred_area");
  p.common = StringsOf(o, "common");
}

namespace {

json::object PairJson(const PairView& p) {
  const domain::Pairing& x = p.pairing;
  return {{"enterprise_id", x.enterprise_id},
          {"enterprise_name", p.enterprise_name},
          {"ownership", p.ownership},
          {"division_code", DivisionCodeJson(x.division_code)},
          {"village_name", p.village_name},
          {"township_name", p.township_name},
          {"kind", x.kind},
          {"priority", Num(p.priority)},
          {"score", Num(x.score)},
          {"breakdown", PairBreakdownJson(p)},
          {"reasons", Strings(x.reasons)},
          {"start_date", DateJson(x.start_date)},
          {"end_date", DateJson(x.end_date)}};
}

json::object UnpairedJson(const UnpairedView& u) {
  json::array candidates;
  for (int64_t id : u.candidates) candidates.push_back(id);
  return {{"division_code", DivisionCodeJson(u.division_code)},
          {"kind", u.kind},
          {"name", u.name},
          {"priority", Num(u.priority)},
          {"reason", u.reason},
          {"text", u.text},
          {"candidates", std::move(candidates)}};
}

json::object UseJson(const EnterpriseUseView& e) {
  return {{"enterprise_id", e.enterprise_id},         {"name", e.name},
          {"capacity_villages", e.capacity_villages}, {"capacity_firms", e.capacity_firms},
          {"held_villages", e.held_villages},         {"held_firms", e.held_firms},
          {"used_villages", e.used_villages},         {"used_firms", e.used_firms}};
}

}  // namespace

json::object StoredPairingResultJson(const PairingRunResult& r) {
  json::array unpaired;
  for (const UnpairedView& u : r.unpaired) unpaired.push_back(UnpairedJson(u));
  json::array enterprises;
  for (const EnterpriseUseView& e : r.enterprises) enterprises.push_back(UseJson(e));
  return {{"unpaired", std::move(unpaired)},
          {"enterprises", std::move(enterprises)},
          {"totals", json::object{{"targets", r.targets},
                                  {"covered", r.covered},
                                  {"unpaired", static_cast<int64_t>(r.unpaired.size())},
                                  {"allowed_pairs", r.allowed_pairs},
                                  {"total_score", Num(r.total_score)}}},
          {"input_hash", r.input_hash},
          {"output_hash", r.output_hash}};
}

void ReadStoredPairingResult(const json::object& o, PairingRunResult& r) {
  r.unpaired.clear();
  for (const json::value& v : ArrayOf(o, "unpaired")) {
    if (!v.is_object()) continue;
    const json::object& x = v.get_object();
    UnpairedView u;
    u.division_code = IntOf(x, "division_code");
    u.kind = TextOf(x, "kind");
    u.name = TextOf(x, "name");
    u.priority = NumOf(x, "priority");
    u.reason = TextOf(x, "reason");
    u.text = TextOf(x, "text");
    for (const json::value& c : ArrayOf(x, "candidates"))
      if (std::optional<int64_t> id = AsInt(c)) u.candidates.push_back(*id);
    r.unpaired.push_back(std::move(u));
  }
  r.enterprises.clear();
  for (const json::value& v : ArrayOf(o, "enterprises")) {
    if (!v.is_object()) continue;
    const json::object& x = v.get_object();
    EnterpriseUseView e;
    e.enterprise_id = IntOf(x, "enterprise_id");
    e.name = TextOf(x, "name");
    e.capacity_villages = static_cast<int>(IntOf(x, "capacity_villages"));
    e.capacity_firms = static_cast<int>(IntOf(x, "capacity_firms"));
    e.held_villages = static_cast<int>(IntOf(x, "held_villages"));
    e.held_firms = static_cast<int>(IntOf(x, "held_firms"));
    e.used_villages = static_cast<int>(IntOf(x, "used_villages"));
    e.used_firms = static_cast<int>(IntOf(x, "used_firms"));
    r.enterprises.push_back(std::move(e));
  }
  if (const json::value* t = Field(o, "totals"); t && t->is_object()) {
    const json::object& x = t->get_object();
    r.targets = IntOf(x, "targets");
    r.covered = IntOf(x, "covered");
    r.allowed_pairs = IntOf(x, "allowed_pairs");
    r.total_score = NumOf(x, "total_score");
  }
  r.input_hash = TextOf(o, "input_hash");
  r.output_hash = TextOf(o, "output_hash");
}

json::object PairingRunResultJson(const PairingRunResult& r) {
  json::object o = StoredPairingResultJson(r);
  json::array pairs;
  for (const PairView& p : r.pairs) pairs.push_back(PairJson(p));
  json::object out;
  out["run"] = PairingRunJson(r.run);
  out["pairs"] = std::move(pairs);
  for (auto& kv : o) out[kv.key()] = std::move(kv.value());
  return out;
}

json::object PairingRecordJson(const PairingRecord& r) {
  const domain::Pairing& x = r.pairing;
  return {{"run_id", x.run_id},
          {"run_name", r.run_name},
          {"enterprise_id", x.enterprise_id},
          {"enterprise_name", r.enterprise_name},
          {"ownership", r.ownership},
          {"enterprise_industries", Strings(r.enterprise_industries)},
          {"division_code", DivisionCodeJson(x.division_code)},
          {"village_name", r.village_name},
          {"township_name", r.township_name},
          {"kind", x.kind},
          {"score", Num(x.score)},
          {"reasons", Strings(x.reasons)},
          {"start_date", DateJson(x.start_date)},
          {"end_date", DateJson(x.end_date)},
          {"current", r.current}};
}

}  // namespace qiangji::services

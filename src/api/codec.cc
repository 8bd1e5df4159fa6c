#include "api/codec.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "common/division_code.h"
#include "services/assess_json.h"

namespace qiangji::api {

namespace json = boost::json;

Result<json::object> ParseJsonObject(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Status::InvalidField("body", "a JSON object is required");
  // Numbers are read back exactly (bit for bit), so a value sent is the value stored and hashed.
  QJ_ASSIGN_OR_RETURN(json::value v, services::ParseJsonExact(body, "body"));
  if (!v.is_object()) return Status::InvalidField("body", "must be a JSON object");
  return std::move(v.as_object());
}

// ---- FieldReader ----

bool FieldReader::Has(std::string_view key) const {
  const json::value* v = object_.if_contains(key);
  return v && !v->is_null();
}

const json::value* FieldReader::Find(std::string_view key, bool required) {
  const json::value* v = object_.if_contains(key);
  if (v && !v->is_null()) return v;
  if (required) errors_.Add(std::string(key), "is required");
  return nullptr;
}

std::optional<std::string> FieldReader::String(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    errors_.Add(std::string(key), "must be a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

namespace {

// An integer from a JSON number: int64, a uint64 that fits, or a double with no fraction.
std::optional<int64_t> AsInt(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0)
      return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> FieldReader::Int(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  std::optional<int64_t> i = AsInt(*v);
  if (!i) errors_.Add(std::string(key), "must be an integer");
  return i;
}

std::optional<double> FieldReader::Number(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  double d = 0;
  if (v->is_double()) {
    d = v->get_double();
  } else if (v->is_int64()) {
    d = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->get_uint64());
  } else {
    errors_.Add(std::string(key), "must be a number");
    return std::nullopt;
  }
  if (!std::isfinite(d)) {
    errors_.Add(std::string(key), "must be a finite number");
    return std::nullopt;
  }
  return d;
}

std::optional<bool> FieldReader::Bool(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    errors_.Add(std::string(key), "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<Date> FieldReader::DateField(std::string_view key, bool required) {
  std::optional<std::string> text = String(key, required);
  if (!text) return std::nullopt;
  Result<Date> d = Date::Parse(*text, key);
  if (!d.ok()) {
    for (const FieldError& e : d.status().field_errors()) errors_.Add(e.field, e.message);
    if (d.status().field_errors().empty()) errors_.Add(std::string(key), "must be YYYY-MM-DD");
    return std::nullopt;
  }
  return *d;
}

std::optional<int64_t> FieldReader::DivisionCodeField(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    errors_.Add(std::string(key), "must be a string of 12 digits");
    return std::nullopt;
  }
  std::string_view text = v->get_string();
  if (text.size() != 12) {
    errors_.Add(std::string(key), fmt::format("\"{}\" must have 12 digits", text));
    return std::nullopt;
  }
  Result<DivisionCode> code = DivisionCode::Parse(text);
  if (!code.ok()) {
    errors_.Add(std::string(key), code.status().field_errors().empty()
                                      ? code.status().message()
                                      : code.status().field_errors().front().message);
    return std::nullopt;
  }
  return code->value();
}

std::optional<std::vector<std::string>> FieldReader::StringArray(std::string_view key,
                                                                 bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    errors_.Add(std::string(key), "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  const json::array& a = v->get_array();
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) {
      errors_.Add(fmt::format("{}[{}]", key, i), "must be a string");
      ok = false;
      continue;
    }
    out.emplace_back(a[i].get_string());
  }
  if (!ok) return std::nullopt;
  return out;
}

// ---- records in ----

Result<LoginForm> LoginFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  LoginForm form;
  form.username = r.String("username", true).value_or("");
  form.password = r.String("password", true).value_or("");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return form;
}

Result<domain::Village> VillageFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::Village v;
  v.division_code = r.DivisionCodeField("division_code").value_or(0);
  v.households = r.Int("households");
  v.population = r.Int("population");
  v.area_km2 = r.Number("area_km2");
  v.main_industries = r.StringArray("main_industries").value_or(std::vector<std::string>{});
  v.tags = r.StringArray("tags").value_or(std::vector<std::string>{});
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return v;
}

Result<domain::PartyOrg> PartyOrgFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::PartyOrg org;
  org.division_code = r.DivisionCodeField("division_code", true).value_or(0);
  if (std::optional<std::string> kind = r.String("kind", true)) {
    Result<domain::PartyOrgKind> k = domain::ParsePartyOrgKind(*kind, "kind");
    if (k.ok()) {
      org.kind = *k;
    } else {
      errors.Add("kind", "must be committee, general_branch or branch");
    }
  }
  org.name = r.String("name").value_or("");
  org.secretary_person_id = r.Int("secretary_person_id");
  org.member_count = r.Int("member_count").value_or(0);
  org.probationary_member_count = r.Int("probationary_member_count").value_or(0);
  org.founded_on = r.DateField("founded_on");
  org.term_start = r.DateField("term_start");
  org.term_expiry = r.DateField("term_expiry");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return org;
}

Result<domain::Person> PersonFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::Person p;
  p.name = r.String("name").value_or("");
  if (std::optional<std::string> sex = r.String("sex", true)) {
    Result<domain::Sex> s = domain::ParseSex(*sex, "sex");
    if (s.ok()) {
      p.sex = *s;
    } else {
      errors.Add("sex", "must be male or female");
    }
  }
  p.ethnicity = r.String("ethnicity").value_or("");
  p.birth_date = r.DateField("birth_date");
  p.id_number = r.String("id_number").value_or("");
  p.phone = r.String("phone").value_or("");
  p.native_place = r.String("native_place").value_or("");
  p.education = r.String("education").value_or("");
  p.party_status = r.String("party_status").value_or("");
  p.party_join_date = r.DateField("party_join_date");
  p.division_code = r.DivisionCodeField("division_code", true).value_or(0);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return p;
}

Result<domain::Post> PostFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::Post p;
  p.person_id = r.Int("person_id", true).value_or(0);
  p.division_code = r.DivisionCodeField("division_code", true).value_or(0);
  p.kind = r.String("kind", true).value_or("");
  if (std::optional<Date> start = r.DateField("start_date", true)) p.start_date = *start;
  p.end_date = r.DateField("end_date");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return p;
}

// ---- out ----

namespace {

void WriteJson(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        WriteJson(item, out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        WriteJson(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      const double d = v.get_double();
      // JSON has no NaN or infinity; null is what a reader can take.
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      out += fmt::format("{}", d);  // shortest round-trip form
      return;
    }
    default:
      out += json::serialize(v);
  }
}

}  // namespace

std::string ToJsonText(const json::value& v) {
  std::string out;
  WriteJson(v, out);
  return out;
}

namespace {

json::value OptString(std::string_view s) {
  if (s.empty()) return nullptr;
  return json::string(s);
}

template <typename T>
json::value OptNumber(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

json::array StringsJson(const std::vector<std::string>& list) {
  json::array out;
  for (const std::string& s : list) out.emplace_back(s);
  return out;
}

json::array CountsJson(const std::vector<services::CountBy>& list) {
  json::array out;
  for (const services::CountBy& c : list)
    out.push_back(json::object{{"key", c.key}, {"label", c.label}, {"count", c.count}});
  return out;
}

// Audit before/after are stored as JSON text; hand them out as JSON, or as text if not JSON.
json::value EmbeddedJson(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return json::string(text);
  return v;
}

}  // namespace

json::object SessionJson(const services::Session& s) {
  return {{"user", UserJson(s.user)},
          {"csrf_token", s.csrf_token},
          {"expires_at", FormatUtc(s.expires_at)}};
}

json::object DivisionJson(const domain::Division& d) {
  return {{"code", CodeJson(d.code)},
          {"name", d.name},
          {"level", DivisionLevelName(d.level)},
          {"parent_code", CodeJson(d.parent_code)}};
}

json::object DivisionNodeJson(const services::DivisionNode& n) {
  json::object o = DivisionJson(n.division);
  o["child_count"] = n.child_count;
  return o;
}

json::object VillageSummaryJson(const services::VillageSummary& s) {
  json::object o = DivisionJson(s.division);
  o["township_name"] = OptString(s.township_name);
  o["is_villagers_committee"] = s.is_villagers_committee;
  o["village"] = s.village ? json::value(VillageJson(*s.village)) : json::value(nullptr);
  o["secretary_name"] = OptString(s.secretary_name);
  o["member_count"] = s.member_count;
  return o;
}

json::object VillageDetailJson(const services::VillageDetail& d) {
  json::object o = VillageSummaryJson(d.summary);
  json::array orgs;
  for (const domain::PartyOrg& org : d.party_orgs) orgs.push_back(PartyOrgJson(org));
  o["party_orgs"] = std::move(orgs);
  json::array posts;
  for (const services::PostView& p : d.two_committees) posts.push_back(PostJson(p));
  o["two_committees"] = std::move(posts);
  json::array sent;
  for (const services::PostView& p : d.sent) sent.push_back(PostJson(p));
  o["sent"] = std::move(sent);
  o["vacant_posts"] = StringsJson(d.vacant_posts);
  return o;
}

json::object PersonJson(const services::PersonView& v) {
  json::object o = services::PersonJson(v.person);
  o["age"] = v.age ? json::value(*v.age) : json::value(nullptr);
  o["revealed"] = v.revealed;
  o["division_name"] = services::TextOrNull(v.division_name);
  return o;
}

json::object PostJson(const services::PostView& v) {
  json::object o = services::PostJson(v.post);
  o["person_name"] = v.person_name;
  o["division_name"] = services::TextOrNull(v.division_name);
  return o;
}

json::object OverviewJson(const services::Overview& o) {
  return {{"townships", o.townships},
          {"villages", o.villages},
          {"villagers_committees", o.villagers_committees},
          {"people", o.people},
          {"members", o.members},
          {"villages_by_township", CountsJson(o.villages_by_township)},
          {"members_by_township", CountsJson(o.members_by_township)},
          {"members_by_age_band", CountsJson(o.members_by_age_band)},
          {"members_by_education", CountsJson(o.members_by_education)},
          {"vacant_posts", CountsJson(o.vacant_posts)},
          {"terms_expiring_90d", o.terms_expiring_90d},
          {"terms_expired", o.terms_expired}};
}

json::object AuditEntryJson(const services::AuditEntry& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"username", e.username},
          {"action", e.action},
          {"object", OptString(e.object)},
          {"division_code", CodeJson(e.division_code)},
          {"before", EmbeddedJson(e.before_json)},
          {"after", EmbeddedJson(e.after_json)},
          {"client_ip", OptString(e.client_ip)}};
}

json::object MetaJson(const services::Meta& m, std::string_view version) {
  return {{"name", "qiangji"},
          {"version", version},
          {"demo", m.demo},
          {"demo_county", OptString(m.demo_county)},
          {"schema_version", m.schema_version}};
}

}  // namespace qiangji::api

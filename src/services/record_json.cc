#include "services/record_json.h"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

namespace qiangji::services {

namespace json = boost::json;

namespace {

template <typename T>
json::value OrNull(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

}  // namespace

json::value DivisionCodeJson(int64_t code) {
  if (code == 0) return nullptr;
  return json::string(fmt::format("{:012d}", code));
}

json::value DateJson(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return json::string(d->ToString());
}

json::value TextOrNull(std::string_view text) {
  if (text.empty()) return nullptr;
  return json::string(text);
}

json::object VillageJson(const domain::Village& v) {
  return {{"division_code", DivisionCodeJson(v.division_code)},
          {"households", OrNull(v.households)},
          {"population", OrNull(v.population)},
          {"area_km2", OrNull(v.area_km2)},
          {"main_industries", Strings(v.main_industries)},
          {"tags", Strings(v.tags)},
          {"updated_at", TextOrNull(v.updated_at)}};
}

json::object PartyOrgJson(const domain::PartyOrg& o) {
  return {{"id", o.id},
          {"division_code", DivisionCodeJson(o.division_code)},
          {"kind", domain::PartyOrgKindName(o.kind)},
          {"name", o.name},
          {"secretary_person_id", OrNull(o.secretary_person_id)},
          {"member_count", o.member_count},
          {"probationary_member_count", o.probationary_member_count},
          {"founded_on", DateJson(o.founded_on)},
          {"term_start", DateJson(o.term_start)},
          {"term_expiry", DateJson(o.term_expiry)}};
}

json::object PersonJson(const domain::Person& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"sex", domain::SexName(p.sex)},
          {"ethnicity", TextOrNull(p.ethnicity)},
          {"birth_date", DateJson(p.birth_date)},
          {"id_number", TextOrNull(p.id_number)},
          {"phone", TextOrNull(p.phone)},
          {"native_place", TextOrNull(p.native_place)},
          {"education", TextOrNull(p.education)},
          {"party_status", TextOrNull(p.party_status)},
          {"party_join_date", DateJson(p.party_join_date)},
          {"division_code", DivisionCodeJson(p.division_code)}};
}

json::object PostJson(const domain::Post& p) {
  return {{"id", p.id},
          {"person_id", p.person_id},
          {"division_code", DivisionCodeJson(p.division_code)},
          {"kind", p.kind},
          {"start_date", p.start_date.ToString()},
          {"end_date", DateJson(p.end_date)}};
}

json::object UserJson(const domain::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", domain::RoleName(u.role)},
          {"scope", u.scope},
          {"disabled", u.disabled},
          {"created_at", TextOrNull(u.created_at)}};
}

}  // namespace qiangji::services

// Invariants of the foundation's records. Each Validate* collects every broken rule as a field
// error named by the JSON field the caller sent, so a form can mark all of them at once.
#include "domain/records.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "domain/id_number.h"
#include "domain/text.h"

namespace qiangji::domain {
namespace {

void CheckVillageCode(FieldErrors& errors, int64_t code, std::string_view field) {
  auto parsed = DivisionCode::FromInt(code);
  if (!parsed.ok()) {
    errors.Add(std::string(field), parsed.status().field_errors()[0].message);
  } else if (parsed->level() != DivisionLevel::kVillage) {
    errors.Add(std::string(field), "must be a village-level division (12 significant digits)");
  }
}

void CheckNotFuture(FieldErrors& errors, const std::optional<Date>& d, std::string_view field,
                    const Date& today) {
  if (d && *d > today) errors.Add(std::string(field), "must not be in the future");
}

}  // namespace

bool Contains(std::span<const std::string_view> vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

// ---- village -------------------------------------------------------------------------------

Status ValidateVillage(const Village& v) {
  FieldErrors errors;
  CheckVillageCode(errors, v.division_code, "division_code");
  if (v.households && (*v.households < 0 || *v.households > 1'000'000))
    errors.Add("households", "must be between 0 and 1000000");
  if (v.population && (*v.population < 0 || *v.population > 10'000'000))
    errors.Add("population", "must be between 0 and 10000000");
  if (v.households && v.population && *v.households > 0 && *v.population > 0 &&
      *v.households > *v.population)
    errors.Add("households", "must not exceed population");
  if (v.area_km2 && (!std::isfinite(*v.area_km2) || *v.area_km2 <= 0 || *v.area_km2 > 100'000))
    errors.Add("area_km2", "must be a positive number of square kilometres, at most 100000");
  if (v.main_industries.size() > 20) errors.Add("main_industries", "at most 20 entries");
  std::set<std::string_view> seen_industries;
  for (size_t i = 0; i < v.main_industries.size(); ++i) {
    std::string field = fmt::format("main_industries[{}]", i);
    CheckText(errors, field, v.main_industries[i], true, 50);
    if (!seen_industries.insert(v.main_industries[i]).second) errors.Add(field, "is repeated");
  }
  std::set<std::string_view> seen_tags;
  for (size_t i = 0; i < v.tags.size(); ++i) {
    std::string field = fmt::format("tags[{}]", i);
    if (!Contains(kVillageTags, v.tags[i])) {
      errors.Add(field, fmt::format("\"{}\" is not a village tag", v.tags[i]));
    } else if (!seen_tags.insert(v.tags[i]).second) {
      errors.Add(field, "is repeated");
    }
  }
  return errors.ToStatus();
}

// ---- party organization ----------------------------------------------------------------------

std::string_view PartyOrgKindName(PartyOrgKind k) {
  switch (k) {
    case PartyOrgKind::kCommittee:
      return "committee";
    case PartyOrgKind::kGeneralBranch:
      return "general_branch";
    case PartyOrgKind::kBranch:
      return "branch";
  }
  return "branch";
}

Result<PartyOrgKind> ParsePartyOrgKind(std::string_view s, std::string_view field) {
  for (auto k : {PartyOrgKind::kCommittee, PartyOrgKind::kGeneralBranch, PartyOrgKind::kBranch}) {
    if (PartyOrgKindName(k) == s) return k;
  }
  return Status::InvalidField(std::string(field), "must be committee, general_branch or branch");
}

Status ValidatePartyOrg(const PartyOrg& o) {
  FieldErrors errors;
  const Date today = Date::TodayInChina();
  auto code = DivisionCode::FromInt(o.division_code);
  if (!code.ok()) {
    errors.Add("division_code", code.status().field_errors()[0].message);
  } else if (code->level() != DivisionLevel::kVillage &&
             code->level() != DivisionLevel::kTownship) {
    errors.Add("division_code", "must be a township or village-level division");
  }
  CheckText(errors, "name", o.name, true, 100);
  if (o.secretary_person_id && *o.secretary_person_id <= 0)
    errors.Add("secretary_person_id", "must be a person id");
  if (o.member_count < 0 || o.member_count > 1'000'000)
    errors.Add("member_count", "must be between 0 and 1000000");
  if (o.probationary_member_count < 0 || o.probationary_member_count > 1'000'000)
    errors.Add("probationary_member_count", "must be between 0 and 1000000");
  CheckNotFuture(errors, o.founded_on, "founded_on", today);
  CheckNotFuture(errors, o.term_start, "term_start", today);
  if (o.term_start && o.term_expiry && *o.term_expiry <= *o.term_start)
    errors.Add("term_expiry", "must be after term_start");
  if (o.founded_on && o.term_start && *o.term_start < *o.founded_on)
    errors.Add("term_start", "must not be before founded_on");
  return errors.ToStatus();
}

// ---- person --------------------------------------------------------------------------------

std::string_view SexName(Sex s) { return s == Sex::kFemale ? "female" : "male"; }

Result<Sex> ParseSex(std::string_view s, std::string_view field) {
  if (s == "male") return Sex::kMale;
  if (s == "female") return Sex::kFemale;
  return Status::InvalidField(std::string(field), "must be male or female");
}

Status ValidatePerson(const Person& p) {
  FieldErrors errors;
  const Date today = Date::TodayInChina();
  CheckText(errors, "name", p.name, true, 50);
  CheckText(errors, "ethnicity", p.ethnicity, false, 20);
  CheckText(errors, "native_place", p.native_place, false, 100);
  CheckVillageCode(errors, p.division_code, "division_code");

  CheckNotFuture(errors, p.birth_date, "birth_date", today);
  if (p.id_number.empty()) {
    errors.Add("id_number", "is required");
  } else {
    auto facts = ParseIdNumber(p.id_number, "id_number", today);
    if (!facts.ok()) {
      errors.Add("id_number", facts.status().field_errors()[0].message);
    } else {
      // The ID number is authoritative: a record that contradicts it is a typo somewhere.
      if (p.birth_date && *p.birth_date != facts->birth_date)
        errors.Add("birth_date",
                   fmt::format("does not match the ID number ({})", facts->birth_date.ToString()));
      if (p.sex != facts->sex)
        errors.Add("sex", fmt::format("does not match the ID number ({})", SexName(facts->sex)));
    }
  }
  if (!p.phone.empty() && !ValidMobile(p.phone))
    errors.Add("phone", "must be an 11-digit mobile number starting with 13-19");
  if (!p.education.empty() && !Contains(kEducationLevels, p.education))
    errors.Add("education", fmt::format("\"{}\" is not an education level", p.education));

  const bool in_party = p.party_status == "member" || p.party_status == "probationary_member";
  if (p.party_status.empty()) {
    errors.Add("party_status", "is required");
  } else if (!Contains(kPartyStatuses, p.party_status)) {
    errors.Add("party_status", fmt::format("\"{}\" is not a Party status", p.party_status));
  } else if (in_party && !p.party_join_date) {
    errors.Add("party_join_date", "is required for members and probationary members");
  } else if (!in_party && p.party_join_date) {
    errors.Add("party_join_date", "must be empty unless the person is a member");
  }
  if (p.party_join_date) {
    CheckNotFuture(errors, p.party_join_date, "party_join_date", today);
    // The Party constitution admits members from the age of 18.
    if (p.birth_date && p.party_join_date->YearsSince(*p.birth_date) < 18)
      errors.Add("party_join_date", "must be on or after the person's 18th birthday");
  }
  return errors.ToStatus();
}

// ---- post ----------------------------------------------------------------------------------

bool IsTwoCommitteePost(std::string_view kind) {
  return kind == "party_secretary" || kind == "deputy_party_secretary" ||
         kind == "committee_director" || kind == "two_committee_member";
}

Status ValidatePost(const Post& p) {
  FieldErrors errors;
  if (p.person_id <= 0) errors.Add("person_id", "is required");
  CheckVillageCode(errors, p.division_code, "division_code");
  if (p.kind.empty()) {
    errors.Add("kind", "is required");
  } else if (!Contains(kPostKinds, p.kind)) {
    errors.Add("kind", fmt::format("\"{}\" is not a post kind", p.kind));
  }
  if (p.end_date && *p.end_date < p.start_date)
    errors.Add("end_date", "must not be before start_date");
  return errors.ToStatus();
}

// ---- user ----------------------------------------------------------------------------------

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kCounty:
      return "county";
    case Role::kTownship:
      return "township";
    case Role::kVillage:
      return "village";
    case Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

Result<Role> ParseRole(std::string_view s, std::string_view field) {
  for (auto r : {Role::kAdmin, Role::kCounty, Role::kTownship, Role::kVillage, Role::kViewer}) {
    if (RoleName(r) == s) return r;
  }
  return Status::InvalidField(std::string(field),
                              "must be admin, county, township, village or viewer");
}

Status ValidateUser(const User& u) {
  FieldErrors errors;
  const bool name_ok = u.username.size() >= 3 && u.username.size() <= 32 &&
                       std::all_of(u.username.begin(), u.username.end(),
                                   [](char c) {
                                     return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                            c == '_' || c == '.' || c == '-';
                                   }) &&
                       u.username[0] >= 'a' && u.username[0] <= 'z';
  if (!name_ok)
    errors.Add("username",
               "must be 3-32 characters of a-z, 0-9, '_', '.' or '-', starting with a letter");
  CheckText(errors, "display_name", u.display_name, false, 50);
  auto range = ParseScopePrefix(u.scope);
  if (!range.ok()) {
    errors.Add("scope", range.status().field_errors()[0].message);
  } else {
    const size_t n = u.scope.size();
    switch (u.role) {
      case Role::kAdmin:
      case Role::kViewer:
        break;
      case Role::kCounty:
        if (n != 2 && n != 4 && n != 6)
          errors.Add("scope", "a county user needs a county (6-digit) or wider, non-empty scope");
        break;
      case Role::kTownship:
        if (n != 9) errors.Add("scope", "a township user needs a 9-digit township scope");
        break;
      case Role::kVillage:
        if (n != 12) errors.Add("scope", "a village user needs a 12-digit village scope");
        break;
    }
  }
  return errors.ToStatus();
}

}  // namespace qiangji::domain

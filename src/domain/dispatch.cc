// Invariants of dispatch records: a cadre of the pool and a dispatch round. Like records.cc, each
// Validate* collects every broken rule as a field error named by the JSON field.
#include "domain/dispatch.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "domain/id_number.h"
#include "domain/text.h"

namespace qiangji::domain {

Status ValidateCadre(const Cadre& c) {
  FieldErrors errors;
  const Date today = Date::TodayInChina();
  if (!Contains(kPoolKinds, c.kind))
    errors.Add("kind", fmt::format("\"{}\" is not one of {}", c.kind, Listing(kPoolKinds)));
  CheckText(errors, "name", c.name, true, 40);
  if (c.id_number.empty()) {
    errors.Add("id_number", "is required");
  } else {
    auto facts = ParseIdNumber(c.id_number, "id_number", today);
    if (!facts.ok()) {
      errors.Add("id_number", facts.status().field_errors()[0].message);
    } else {
      // The ID number is authoritative: a record that contradicts it is a typo somewhere.
      if (c.birth_date && *c.birth_date != facts->birth_date)
        errors.Add("birth_date",
                   fmt::format("does not match the ID number ({})", facts->birth_date.ToString()));
      if (c.sex != facts->sex)
        errors.Add("sex", fmt::format("does not match the ID number ({})", SexName(facts->sex)));
    }
  }
  if (c.birth_date && *c.birth_date > today) errors.Add("birth_date", "must not be in the future");
  if (!c.phone.empty() && !ValidMobile(c.phone))
    errors.Add("phone", "must be an 11-digit mobile number starting with 13-19");
  CheckText(errors, "sending_unit", c.sending_unit, true, 80);
  if (!Contains(kUnitKinds, c.unit_kind))
    errors.Add("unit_kind",
               fmt::format("\"{}\" is not one of {}", c.unit_kind, Listing(kUnitKinds)));
  if (c.skills.empty()) {
    errors.Add("skills", "name at least one skill");
  } else if (c.skills.size() > 5) {
    errors.Add("skills", "name at most 5 skills");
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < c.skills.size(); ++i) {
    const std::string field = fmt::format("skills[{}]", i);
    if (!Contains(kWorkSkills, c.skills[i])) {
      errors.Add(field, fmt::format("\"{}\" is not one of {}", c.skills[i], Listing(kWorkSkills)));
    } else if (!seen.insert(c.skills[i]).second) {
      errors.Add(field, "is repeated");
    }
  }
  // Any level will do (a home may be known only to its county), but it must be a code.
  if (c.home_code == 0) {
    errors.Add("home_code", "is required (the division code of the cadre's home)");
  } else if (auto home = DivisionCode::FromInt(c.home_code); !home.ok()) {
    errors.Add("home_code", home.status().field_errors().empty()
                                ? home.status().message()
                                : home.status().field_errors()[0].message);
  }
  CheckText(errors, "residence", c.residence, false, 40);
  if (c.term_months < 6 || c.term_months > 60)
    errors.Add("term_months", "must be between 6 and 60 months");
  CheckText(errors, "note", c.note, false, 500, true);
  return errors.ToStatus();
}

std::string_view PostKindOfRole(std::string_view role) {
  if (role == "first_secretary") return "first_secretary";
  if (role == "advisor") return "advisor";
  return "instructor";
}

std::string_view PoolKindOfRole(std::string_view role) {
  return role == "advisor" ? "worthy" : "cadre";
}

Status ValidateProject(const Project& p) {
  FieldErrors errors;
  if (auto code = DivisionCode::FromInt(p.division_code);
      !code.ok() || code->level() != DivisionLevel::kVillage)
    errors.Add("division_code", "must be a 12-digit village code");
  CheckText(errors, "name", p.name, true, 60);
  if (!Contains(kWorkSkills, p.work_type))
    errors.Add("work_type",
               fmt::format("\"{}\" is not one of {}", p.work_type, Listing(kWorkSkills)));
  if (!(p.start_date < p.end_date)) errors.Add("end_date", "must be after start_date");
  if (!Contains(kProjectStatuses, p.status))
    errors.Add("status",
               fmt::format("\"{}\" is not one of {}", p.status, Listing(kProjectStatuses)));
  CheckText(errors, "description", p.description, false, 500, true);
  return errors.ToStatus();
}

Status ValidateRound(const DispatchRound& r) {
  FieldErrors errors;
  if (!Contains(kDispatchRoles, r.role))
    errors.Add("role", fmt::format("\"{}\" is not one of {}", r.role, Listing(kDispatchRoles)));
  CheckText(errors, "name", r.name, true, 80);
  if (!Contains(kRoundStatuses, r.status))
    errors.Add("status", fmt::format("\"{}\" is not one of {}", r.status, Listing(kRoundStatuses)));
  if (r.mode != "stable" && r.mode != "optimal")
    errors.Add("mode", fmt::format("\"{}\" must be stable or optimal", r.mode));
  if (r.proposing != "people" && r.proposing != "villages")
    errors.Add("proposing", fmt::format("\"{}\" must be people or villages", r.proposing));
  // A round is run for one county's pool and villages.
  auto scope = DivisionCode::Parse(r.scope);
  if (r.scope.size() != 6 || !scope.ok() || scope->level() != DivisionLevel::kCounty)
    errors.Add("scope",
               fmt::format("\"{}\" must be a 6-digit county code such as 130624", r.scope));
  if (r.rules.max_per_unit_per_township < 0 || r.rules.max_per_unit_per_township > 20)
    errors.Add("rules.max_per_unit_per_township", "must be between 0 (no limit) and 20");
  if (!std::isfinite(r.rules.min_priority) || r.rules.min_priority < 0 ||
      r.rules.min_priority > 100)
    errors.Add("rules.min_priority", "must be between 0 and 100");
  if (r.rules.circuit_capacity < 1 || r.rules.circuit_capacity > 20)
    errors.Add("rules.circuit_capacity", "must be between 1 and 20 villages");
  return errors.ToStatus();
}

}  // namespace qiangji::domain

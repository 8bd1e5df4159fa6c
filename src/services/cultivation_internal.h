// Helpers shared by the cultivation services (talent_service.cc, membership_service.cc, ...),
// and the hook through which the assessment reads the team-health measures
// (services/assess_measures.cc). Not for api/ or cli/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/division_code.h"
#include "domain/cultivation.h"
#include "engines/assess/pipeline.h"
#include "engines/cultivation/team_health.h"
#include "services/caller.h"
#include "services/cultivation.h"
#include "storage/database.h"

namespace qiangji::services::cultivation_internal {

// What cultivation needs of a person record (no personal data beyond the name).
struct PersonBasics {
  int64_t id = 0;
  int64_t division_code = 0;
  std::string name;
  std::string sex;
  std::optional<Date> birth_date;
  std::string education;
  std::string party_status;
  std::optional<Date> party_join_date;
  std::string division_name;
};
// NotFound when missing or outside the caller's scope ("person N not found").
Result<PersonBasics> LoadPerson(storage::Database& db, const Caller& caller, int64_t id,
                                std::string_view field = "person");

// Kinds of the posts the person holds on `day` (any village).
Result<std::vector<std::string>> CurrentPostKinds(storage::Database& db, int64_t person_id,
                                                  const Date& day);

Result<domain::MembershipState> LoadMembershipState(storage::Database& db,
                                                    const PersonBasics& person);

// The settings in force for a division prefix or village code (the longest stored prefix).
Result<CultivationSettings> EffectiveSettings(storage::Database& db, std::string_view code);
// All stored settings, for resolving many villages at once.
struct SettingsTable {
  std::vector<CultivationSettings> rows;  // longest scope first
  CultivationSettings For(int64_t village_code) const;
};
Result<SettingsTable> LoadSettings(storage::Database& db);

// The team-health inputs of every village-level unit in `range` that has a two-committee post,
// a reserve cadre or a Party organization, as of `day`, in code order.
struct TeamInputs {
  std::vector<engines::cultivation::TeamInput> inputs;
  std::vector<std::string> names;          // village names
  std::vector<std::string> township_names;
  // Person ids of each village's two-committee members (same order as inputs[i].members).
  std::vector<std::vector<int64_t>> member_ids;
};
Result<TeamInputs> GatherTeamInputs(storage::Database& db, DivisionRange range, const Date& day,
                                    const SettingsTable& settings);

// Credited training hours per person for courses starting in `year`, people in `range`.
Result<std::vector<std::pair<int64_t, double>>> HoursByPerson(storage::Database& db,
                                                              DivisionRange range, int year);

// Assessment hook: fills the cultivation measures of domain::kMeasures
// (two_committee_under_45_share, wealth_leader_share, reserve_shortfall, training_met_share) for
// the gathered villages, as of `ref` and for the year of `ref`.
Status GatherCultivationMeasures(storage::Database& db, DivisionRange range, const Date& ref,
                                 std::vector<engines::assess::VillageInput>& villages);

std::string Prefix12(std::string_view prefix);  // "130624" -> "130624000000"

}  // namespace qiangji::services::cultivation_internal

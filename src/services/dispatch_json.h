// JSON of dispatch (双选派): the cadre pool, village needs, rounds, preferences, results and
// first-secretary terms, in the API's field names (the struct field names, docs/dispatch.md).
// Division codes are 12-digit strings; cadre ids are numbers. Personal data: CadreJson and
// RoundCadreJson mask id_number and phone (services already return them masked; masking again
// is harmless); CadreFromJson takes them plain. Parsers never throw: wrong types, unknown enum
// values and unknown fields are field errors naming the JSON path.
#pragma once

#include <boost/json.hpp>

#include "common/status.h"
#include "domain/dispatch.h"
#include "services/dispatch.h"

namespace qiangji::services {

namespace json = boost::json;

// Cadres: {id, county_code, name, sex, birth_date, id_number (masked), phone (masked),
// sending_unit, unit_kind, skills: [..], home_code, available, term_months, note, person_id,
// updated_at}. FromJson: id/county_code/person_id/updated_at are ignored (the service sets
// them); missing optional fields keep the domain defaults; runs domain::ValidateCadre.
json::object CadreJson(const domain::Cadre& c);
Result<domain::Cadre> CadreFromJson(const json::object& o, std::string_view field_prefix = "");

// Needs: {division_code, name, township_code, township_name, priority, reasons: [{source,
// evidence, points}], skills: [{skill, weight}], needs_first_secretary, has_first_secretary}.
json::object VillageNeedJson(const domain::VillageNeed& n);
// The inverse, for snapshots stored by the service (round_village.need): lenient, never fails
// on absent fields.
domain::VillageNeed VillageNeedFromJson(const json::object& o);
// {villages: [VillageNeedJson], by_township: [{township_code, township_name, villages,
// needing, covered}]}
json::object NeedsReportJson(const NeedsReport& r);

// Rounds: {id, scope, role, name, status, mode, proposing, seed, rules: {avoid_home_county,
// max_per_unit_per_township, min_priority}, start_date, created_at, created_by, matched_at,
// confirmed_at}. RoundFromJson (for Create): name, start_date required; role, mode, proposing,
// seed, rules, scope optional (scope "" = the caller's county); status etc. ignored.
json::object RoundJson(const domain::DispatchRound& r);
Result<domain::DispatchRound> RoundFromJson(const json::object& o);
json::object RoundRulesJson(const domain::RoundRules& r);

// Preferences: {round_id, side, owner, tiers: [[..]], derived, updated_at}. owner and the ids in
// tiers are numbers for cadres and 12-digit strings for villages (a number is accepted too).
// PreferenceFromJson reads {side, owner, tiers}; round_id comes from the path (argument).
json::object PreferenceJson(const domain::Preference& p);
Result<domain::Preference> PreferenceFromJson(const json::object& o, int64_t round_id);

// Participants: RoundCadreJson = CadreJson + {preference: PreferenceJson | null};
// RoundVillageJson = VillageNeedJson + {seats, preference: PreferenceJson | null}.
json::object RoundCadreJson(const RoundCadre& c);
json::object RoundVillageJson(const RoundVillage& v);

// Result: {round: RoundJson, assignments: [{cadre_id, cadre_name, division_code, village_name,
// fit, cadre_rank, village_rank, start_date, end_date, post_id}], unmatched: [{side, id, name,
// reason}], explanations: [{side, id, lines: [..]}], certificate: {stable, blocking_pairs,
// checked_pairs}, totals: {assignments, total_fit, optimal_fit, price_of_stability,
// derived_cadre_lists, derived_village_lists}, input_hash, output_hash}. Ids of side "village"
// are 12-digit strings, of side "cadre" numbers.
json::object RoundResultJson(const RoundResult& r);

// Terms: {post_id, division_code, village_name, person_name, round_id (null when entered by
// hand), start_date, end_date, current, ending_soon, days_left}.
json::object FirstSecretaryTermJson(const FirstSecretaryTerm& t);

}  // namespace qiangji::services

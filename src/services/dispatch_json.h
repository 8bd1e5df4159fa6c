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

// Cadres: {id, county_code, kind ("cadre" | "worthy"), name, sex, birth_date, id_number
// (masked), phone (masked), sending_unit, unit_kind, skills: [..], home_code, residence,
// available, term_months, note, person_id, updated_at}. For a worthy (乡贤) home_code is the
// hometown and sending_unit where he works now; kind defaults to "cadre". FromJson: id/county_code/person_id/updated_at are ignored (the service sets
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
// max_per_unit_per_township, min_priority, circuit_capacity}, start_date, created_at, created_by,
// matched_at, confirmed_at}. RoundFromJson (for Create): name, start_date required; role, mode, proposing,
// seed, rules, scope optional (scope "" = the caller's county); status etc. ignored.
json::object RoundJson(const domain::DispatchRound& r);
Result<domain::DispatchRound> RoundFromJson(const json::object& o);
json::object RoundRulesJson(const domain::RoundRules& r);

// What a round of `role` has as receivers: "village" (first secretary, resident instructor,
// advisor), "circuit" (instructor_circuit) or "project" (instructor_tracking).
std::string_view ReceiverKindOfRole(std::string_view role);

// Preferences: {round_id, side, owner, tiers: [[..]], derived, updated_at}. owner and the ids in
// tiers are numbers for cadres, 12-digit strings for villages (a number is accepted too), and
// numbers (ids) for circuits and projects; `receivers` says which the round's receivers are.
// PreferenceFromJson reads {side, owner, tiers}; round_id comes from the path (argument).
json::object PreferenceJson(const domain::Preference& p, std::string_view receivers = "village");
Result<domain::Preference> PreferenceFromJson(const json::object& o, int64_t round_id,
                                              std::string_view receivers = "village");

// Participants: RoundCadreJson = CadreJson + {preference: PreferenceJson | null};
// RoundVillageJson = VillageNeedJson + {seats, preference: PreferenceJson | null, kind, id (a
// village's 12-digit code, a circuit's or project's id), name (circuit "龙泉关镇·产业发展巡回组",
// project "<name>（<village>）"), work_type (null for villages), villages: [{division_code,
// name, priority}] (a circuit's villages; a village or project: its village), project:
// ProjectJson | null}.
json::object RoundCadreJson(const RoundCadre& c);
json::object RoundVillageJson(const RoundVillage& v);

// Result: {round: RoundJson, assignments: [{cadre_id, cadre_name, division_code, village_name,
// unit_id, unit_name, villages: [{division_code, name}], fit, cadre_rank, village_rank,
// start_date, end_date, post_id, post_ids}], unmatched: [{side, id, name, reason}],
// uncovered: [{division_code, name, unit_id, unit_name, reason}], explanations: [{side, id,
// lines: [..]}], certificate: {stable, blocking_pairs, checked_pairs}, totals: {assignments,
// total_fit, optimal_fit, price_of_stability, derived_cadre_lists, derived_village_lists},
// input_hash, output_hash}. Ids of side "village" are 12-digit strings (villages) or numbers
// (circuits, projects), of side "cadre" numbers. A circuit assignment's division_code is the
// township, unit_id the circuit and villages its share; a project's unit_id is the project.
json::object RoundResultJson(const RoundResult& r);

// Terms: {post_kind, post_id, division_code, village_name, person_name, round_id (null when
// entered by hand), start_date, end_date, current, ending_soon, days_left}.
json::object FirstSecretaryTermJson(const FirstSecretaryTerm& t);

}  // namespace qiangji::services

// JSON of enterprise pairing (企到村 / 企到企): enterprises, pairing runs, targets, results and
// pairings, in the API's field names (the struct field names; docs/enterprise-pairing.md).
// Division codes are 12-digit strings; ids are numbers. The contact phone is masked on the way
// out (EnterpriseJson masks again, harmlessly) and taken plain on the way in. Parsers never throw:
// wrong types, unknown enum values and unknown fields are field errors naming the JSON path.
#pragma once

#include <boost/json.hpp>

#include "common/status.h"
#include "domain/enterprise.h"
#include "services/pairing.h"

namespace qiangji::services {

namespace json = boost::json;

// {id, county_code, name, ownership, industries: [..], location_code, preferred_areas: [..],
// capacity_villages, capacity_firms, contact_name, contact_phone (masked), available, note,
// updated_at}. FromJson: id/county_code/updated_at are ignored (the service sets them);
// location_code may be written short ("130624"); runs domain::ValidateEnterprise, except on a
// masked contact_phone (an edit sending back what it was shown), which the service resolves.
json::object EnterpriseJson(const domain::Enterprise& e);
Result<domain::Enterprise> EnterpriseFromJson(const json::object& o,
                                              std::string_view field_prefix = "");

// {weights: {industry, area, priority}, rules: {require_industry_overlap}, min_priority, kinds}
json::object PairingParamsJson(const domain::PairingParams& p);
// {id, scope, name, status, params, start_date, created_at, created_by, matched_at,
// confirmed_at}. FromJson (for Create): name and start_date required; scope ("" = the caller's
// county) and params optional (missing members keep their defaults); the rest is ignored.
json::object PairingRunJson(const domain::PairingRun& r);
Result<domain::PairingRun> PairingRunFromJson(const json::object& o);
// PairingRunJson + {targets, pairs}
json::object PairingRunSummaryJson(const PairingRunSummary& s);

// {run_id, division_code, kind, name, township_code, township_name, industries, derived,
// main_industries, matches: [{text, industry}], priority, priority_label, included,
// reasons: [{source, evidence, points}]}
json::object PairingTargetJson(const PairingTargetView& v);
// {industries: [..] | null (null: read them from the village's words again), included}; the
// path gives run, village and kind.
Result<TargetChange> TargetChangeFromJson(const json::object& o);

// {run, pairs: [{enterprise_id, enterprise_name, ownership, division_code, village_name,
// township_name, kind, priority, score, breakdown: {overlap, proximity, priority, industry_term,
// area_term, priority_term, relation, preferred_area, common}, reasons, start_date, end_date}],
// unpaired: [{division_code, kind, name, priority, reason, text, candidates}], enterprises:
// [{enterprise_id, name, capacity_villages, capacity_firms, held_villages, held_firms,
// used_villages, used_firms}], totals: {targets, covered, unpaired, allowed_pairs, total_score},
// input_hash, output_hash}
json::object PairingRunResultJson(const PairingRunResult& r);
// What a run stores in pairing_run.result (the above without run and pairs), read back into r.
json::object StoredPairingResultJson(const PairingRunResult& r);
void ReadStoredPairingResult(const json::object& o, PairingRunResult& r);
// A pair's breakdown as stored in pairing.breakdown, and back.
json::object PairBreakdownJson(const PairView& p);
void ReadPairBreakdown(const json::object& o, PairView& p);

// {run_id, run_name, enterprise_id, enterprise_name, ownership, enterprise_industries,
// division_code, village_name, township_name, kind, score, reasons, start_date, end_date, current}
json::object PairingRecordJson(const PairingRecord& r);

}  // namespace qiangji::services

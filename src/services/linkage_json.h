// JSON of 双挂钩 linkage (issue 5; docs/linkage.md "API"): policies, the incentive calculator's
// preview, the decisions of the lists with their approval steps, project funding and equity
// incentives — in the API's field names, shared by the API, the CLI, the audit log and the
// stored policy document.
// Division codes are 12-digit strings; money is an integer count of fen in fields ending in
// "_fen"; rates are basis points ("rate_bp": 800 = 8%). Parsers never throw: wrong types and
// unknown keys are field errors naming the JSON path ("incentive.tiers[1].from_fen"); the
// engine's own rules (ValidateIncentivePolicy, ValidateLinkageRules) are the service's to apply.
#pragma once

#include <boost/json.hpp>

#include "common/status.h"
#include "engines/economy/linkage.h"
#include "services/economy.h"

namespace qiangji::services {

namespace json = boost::json;

// {tiers: [{from_fen, rate_bp}], marginal, min_profit_fen, min_tenure_months, cap_fen}
json::object IncentivePolicyJson(const engines::economy::IncentivePolicy& p);
// {growth_years, min_growth, promotion_min_stars, promotion_min_tenure_months,
// honours_min_stars, no_growth_years, adjustment_max_stars, adjustment_min_other}
json::object LinkageRulesJson(const engines::economy::LinkageRules& r);

// The API's policy: {id (null for the unsaved default), county, version (0 for the default),
// is_default, weak_threshold_fen, incentive, rules, note, created_at, created_by}.
json::object LinkagePolicyJson(const LinkagePolicy& p);
// What linkage_policy.policy stores: {weak_threshold_fen, incentive, rules}. The economy report
// reads weak_threshold_fen from it (economy_internal.h).
json::object LinkagePolicyDocument(const LinkagePolicy& p);

// A save or preview body (or a stored document): county (6 digits), weak_threshold_fen,
// incentive {...}, rules {...}, note. Every absent field keeps `base`'s value (the documented
// default), so a body may name only what it changes; an absent incentive.tiers keeps the base
// tiers whole. id, version, is_default, created_at and created_by are ignored; other unknown
// keys are errors.
Result<LinkagePolicy> LinkagePolicyFromJson(const json::object& o, const LinkagePolicy& base);

// {id, policy_id, policy_version, year, kind, division_code, village_name, person_id (null when
// none), person_name, amount_fen, score, reasons: [..], status, steps: [{from (null for the
// proposal), to, comment, at, by}]}
json::object LinkageDecisionJson(const LinkageDecision& d);

// {year, rows: [{division_code, village_name, profit_last_fen (null when last year has no
// report), profit_fen, increase_fen (null likewise), manager_id (null when none), manager_name,
// tenure_months, bonus_current_fen, bonus_proposed_fen, lines}], total_current_fen,
// total_proposed_fen, promotion_current, promotion_proposed, honours_current, honours_proposed,
// adjustment_current, adjustment_proposed}
json::object PolicyPreviewJson(const PolicyPreview& p);

// {id, project_id, division_code, source, funder, amount_fen, note}
json::object ProjectFundingJson(const ProjectFunding& f);
// A body: source, amount_fen required; funder, note optional. id, project_id and division_code
// are ignored (the path and the service set them); other keys are errors.
Result<ProjectFunding> ProjectFundingFromJson(const json::object& o);

// {id, collective_id, division_code, person_id, person_name, shares, granted_on, conditions}
json::object EquityIncentiveJson(const EquityIncentive& e);
// A body: person_id, shares, granted_on (YYYY-MM-DD) required; conditions optional. id,
// collective_id, division_code and person_name are ignored (the path and the service set them);
// other keys are errors.
Result<EquityIncentive> EquityIncentiveFromJson(const json::object& o);

}  // namespace qiangji::services

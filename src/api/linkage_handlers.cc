// 双挂钩 linkage routes (issue 5 point 4; docs/linkage.md "API"): a county's versioned policy,
// the incentive calculator's preview (stores nothing), the year's lists as decisions with their
// reasons, the approval steps (proposed -> township_approved -> county_approved, or rejected),
// project funding (跑项目、找资金) and shareholding co-ops' equity incentives (股权激励). Like economy_handlers.cc, a handler is parse -> one
// service call -> serialize, and every JSON shape comes from services/linkage_json.h (shared with
// the CLI and the audit log).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "api/handler_util.h"
#include "api/openapi.h"
#include "api/problem.h"
#include "api/query.h"
#include "services/economy.h"
#include "services/linkage_json.h"

namespace qiangji::api {

namespace json = boost::json;

namespace {

HttpResponse Fail(const Status& st) { return ProblemFromStatus(st); }

// The first message of a status, for collecting several parameters' errors into one.
std::string FirstMessage(const Status& st) {
  return st.field_errors().empty() ? st.message() : st.field_errors().front().message;
}

// An integer year in a body; absent -> `required` error.
std::optional<int> BodyYear(const json::object& body, FieldErrors& errors) {
  const json::value* v = body.if_contains("year");
  if (v == nullptr || v->is_null()) {
    errors.Add("year", "is required");
    return std::nullopt;
  }
  if (!v->is_int64() || v->get_int64() < 2000 || v->get_int64() > 2100) {
    errors.Add("year", "must be a year from 2000 to 2100");
    return std::nullopt;
  }
  return static_cast<int>(v->get_int64());
}

// An optional string in a body.
std::string BodyText(const json::object& body, std::string_view key, FieldErrors& errors,
                     bool required = false) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) errors.Add(std::string(key), "is required");
    return "";
  }
  if (!v->is_string()) {
    errors.Add(std::string(key), "must be a string");
    return "";
  }
  return std::string(v->get_string());
}

void RejectUnknown(const json::object& body, std::initializer_list<std::string_view> known,
                   FieldErrors& errors) {
  for (const auto& kv : body) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || kv.key() == k;
    if (!ok) errors.Add(std::string(kv.key()), "unknown field");
  }
}

std::string CountyParam(const RequestContext& ctx) { return ctx.query.Get("county").value_or(""); }

json::object PolicyList(const std::vector<services::LinkagePolicy>& list) {
  return ItemsJson(list, services::LinkagePolicyJson);
}

json::object DecisionList(const std::vector<services::LinkageDecision>& list) {
  return ItemsJson(list, services::LinkageDecisionJson);
}

// ---- policies ----

HttpResponse GetPolicy(RequestContext& ctx) {
  return Reply(ctx.services.economy.linkage.CurrentPolicy(ctx.caller, CountyParam(ctx)),
               services::LinkagePolicyJson);
}

HttpResponse ListPolicies(RequestContext& ctx) {
  return Reply(ctx.services.economy.linkage.Policies(ctx.caller, CountyParam(ctx)), PolicyList);
}

HttpResponse SavePolicy(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto policy = services::LinkagePolicyFromJson(*body, services::DefaultLinkagePolicy(""));
  if (!policy.ok()) return Fail(policy.status());
  return Reply(ctx.services.economy.linkage.SavePolicy(ctx.caller, std::move(*policy)),
               services::LinkagePolicyJson, 201);
}

// The body is a policy as for saving, plus the year to preview it on.
HttpResponse PreviewPolicy(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  FieldErrors errors;
  // A missing year is left to the service (0), which reports it beside the policy's own rules.
  int year = 0;
  if (const json::value* v = body->if_contains("year"); v && !v->is_null()) {
    if (v->is_int64() && v->get_int64() >= 0 && v->get_int64() <= 9999)
      year = static_cast<int>(v->get_int64());
    else
      errors.Add("year", "must be a year from 2000 to 2100");
  }
  body->erase("year");
  auto policy = services::LinkagePolicyFromJson(*body, services::DefaultLinkagePolicy(""));
  if (!policy.ok())
    for (const FieldError& e : policy.status().field_errors()) errors.Add(e.field, e.message);
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.economy.linkage.Preview(ctx.caller, *policy, year),
               services::PolicyPreviewJson);
}

// ---- decisions ----

HttpResponse ProposeDecisions(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  FieldErrors errors;
  const std::string county = BodyText(*body, "county", errors);
  std::optional<int> year = BodyYear(*body, errors);
  RejectUnknown(*body, {"county", "year"}, errors);
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.economy.linkage.Propose(ctx.caller, county, *year), DecisionList);
}

HttpResponse ListDecisions(RequestContext& ctx) {
  FieldErrors errors;
  std::string under;
  if (auto u = ctx.query.DivisionPrefix("under"); !u.ok()) {
    errors.Add("under", FirstMessage(u.status()));
  } else {
    under = *u;
  }
  int year = 0;
  if (auto y = ctx.query.Int("year", 2000, 2100); !y.ok()) {
    errors.Add("year", FirstMessage(y.status()));
  } else if (*y) {
    year = static_cast<int>(**y);
  }
  const std::string kind = ctx.query.Get("kind").value_or("");
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.economy.linkage.Decisions(ctx.caller, under, year, kind), DecisionList);
}

HttpResponse DecideDecision(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  FieldErrors errors;
  const std::string to = BodyText(*body, "to", errors, true);
  const std::string comment = BodyText(*body, "comment", errors);
  RejectUnknown(*body, {"to", "comment"}, errors);
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.economy.linkage.Decide(ctx.caller, *id, to, comment),
               services::LinkageDecisionJson);
}

// ---- project funding ----

HttpResponse ListFunding(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.economy.funding.List(ctx.caller, *id),
               [](const std::vector<services::ProjectFunding>& list) {
                 return ItemsJson(list, services::ProjectFundingJson);
               });
}

HttpResponse AddFunding(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = CheckBodyId(*body, "project_id", *id); !st.ok()) return Fail(st);
  auto funding = services::ProjectFundingFromJson(*body);
  if (!funding.ok()) return Fail(funding.status());
  funding->project_id = *id;
  auto added = ctx.services.economy.funding.Add(ctx.caller, std::move(*funding));
  if (!added.ok()) return Fail(added.status());
  return Created(services::ProjectFundingJson(*added),
                 fmt::format("/api/v1/projects/{}/funding/{}", *id, added->id));
}

HttpResponse RemoveFunding(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto funding_id = IdParam(ctx, "funding_id");
  if (!funding_id.ok()) return Fail(funding_id.status());
  Status st = ctx.services.economy.funding.Remove(ctx.caller, *id, *funding_id);
  if (!st.ok()) return Fail(st);
  return NoContent();
}

// ---- equity incentives ----

HttpResponse ListEquity(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.economy.equity.List(ctx.caller, *id),
               [](const std::vector<services::EquityIncentive>& list) {
                 return ItemsJson(list, services::EquityIncentiveJson);
               });
}

HttpResponse GrantEquity(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = CheckBodyId(*body, "collective_id", *id); !st.ok()) return Fail(st);
  auto grant = services::EquityIncentiveFromJson(*body);
  if (!grant.ok()) return Fail(grant.status());
  grant->collective_id = *id;
  auto granted = ctx.services.economy.equity.Grant(ctx.caller, std::move(*grant));
  if (!granted.ok()) return Fail(granted.status());
  return Created(services::EquityIncentiveJson(*granted),
                 fmt::format("/api/v1/collectives/{}/equity-incentives/{}", *id, granted->id));
}

HttpResponse RevokeEquity(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto grant_id = IdParam(ctx, "grant_id");
  if (!grant_id.ok()) return Fail(grant_id.status());
  Status st = ctx.services.economy.equity.Revoke(ctx.caller, *id, *grant_id);
  if (!st.ok()) return Fail(st);
  return NoContent();
}

const ParamDoc kCounty{"county", "string",
                       "the county's 6-digit code, e.g. 130624 (default: the caller's county)"};
const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624100"};
const ParamDoc kYear{"year", "integer", "the year under review (default: every year)"};
const ParamDoc kKind{"kind", "string", "incentive, promotion, honours or adjustment"};

}  // namespace

std::vector<Route> LinkageRoutes() {
  using A = Access;
  // clang-format off
  return {
      {"GET", "/api/v1/linkage/policy", A::kSession, GetPolicy,
       "A county's current linkage policy (the documented default when none is saved)",
       "linkage", {kCounty}, "", 200, "LinkagePolicy"},
      {"GET", "/api/v1/linkage/policies", A::kSession, ListPolicies,
       "Every saved version of a county's linkage policy, newest first", "linkage", {kCounty},
       "", 200, "LinkagePolicyList"},
      {"POST", "/api/v1/linkage/policies", A::kSession, SavePolicy,
       "Save the county's next policy version (county staff, admin); absent fields take the "
       "default", "linkage", {}, "LinkagePolicy", 201, "LinkagePolicy"},
      {"POST", "/api/v1/linkage/preview", A::kSession, PreviewPolicy,
       "Preview a policy on a year's data against the current one; stores nothing", "linkage",
       {}, "LinkagePreviewRequest", 200, "PolicyPreview"},
      {"POST", "/api/v1/linkage/decisions/propose", A::kSession, ProposeDecisions,
       "Compute the year's lists under the current policy and store them as proposed (county "
       "staff, admin); approved and rejected decisions are kept", "linkage", {},
       "LinkageProposeRequest", 200, "LinkageDecisionList"},
      {"GET", "/api/v1/linkage/decisions", A::kSession, ListDecisions,
       "Linkage decisions in scope with their reasons and steps", "linkage",
       {kUnder, kYear, kKind}, "", 200, "LinkageDecisionList"},
      {"POST", "/api/v1/linkage/decisions/{id}/decide", A::kSession, DecideDecision,
       "Move a decision: proposed -> township_approved -> county_approved, or to rejected",
       "linkage", {}, "LinkageDecideRequest", 200, "LinkageDecision"},
      {"GET", "/api/v1/projects/{id}/funding", A::kSession, ListFunding,
       "A project's funding sources", "linkage", {}, "", 200, "ProjectFundingList"},
      {"POST", "/api/v1/projects/{id}/funding", A::kSession, AddFunding,
       "Add a funding source to a project (county, township, admin)", "linkage", {},
       "ProjectFunding", 201, "ProjectFunding"},
      {"DELETE", "/api/v1/projects/{id}/funding/{funding_id}", A::kSession, RemoveFunding,
       "Remove a funding source of a project (county, township, admin)", "linkage", {}, "", 204,
       ""},
      {"GET", "/api/v1/collectives/{id}/equity-incentives", A::kSession, ListEquity,
       "A shareholding co-op's equity incentives (股权激励), newest first", "linkage", {}, "",
       200, "EquityIncentiveList"},
      {"POST", "/api/v1/collectives/{id}/equity-incentives", A::kSession, GrantEquity,
       "Grant shares of a shareholding co-op to a person of its village (county, township, "
       "admin); 409 for another kind of collective", "linkage", {}, "EquityIncentive", 201,
       "EquityIncentive"},
      {"DELETE", "/api/v1/collectives/{id}/equity-incentives/{grant_id}", A::kSession,
       RevokeEquity, "Revoke an equity incentive (county, township, admin)", "linkage", {}, "",
       204, ""},
  };
  // clang-format on
}

// The component schemas of the routes above (merged into the OpenAPI document by openapi.cc).
std::string_view LinkageSchemasJson() {
  return R"json({
  "IncentivePolicy": {"type": "object",
    "description": "bonus = min(cap, round half up(sum of slice x rate)); docs/linkage.md",
    "properties": {
    "tiers": {"type": "array", "minItems": 1, "maxItems": 10, "items": {"type": "object",
      "required": ["from_fen", "rate_bp"], "properties": {
        "from_fen": {"type": "integer", "minimum": 0,
          "description": "the increase from which the tier applies; the first is 0, then ascending"},
        "rate_bp": {"type": "integer", "minimum": 0, "maximum": 10000,
          "description": "basis points: 800 = 8%"}}}},
    "marginal": {"type": "boolean",
      "description": "true: each slice at its tier's rate (超额累进); false: the whole increase at the rate of the highest tier reached"},
    "min_profit_fen": {"type": "integer", "description": "this year's operating profit must reach it"},
    "min_tenure_months": {"type": "integer", "minimum": 0, "maximum": 120},
    "cap_fen": {"type": "integer", "minimum": 0, "description": "0: no cap"}}},
  "LinkageRules": {"type": "object", "properties": {
    "growth_years": {"type": "integer", "minimum": 1, "maximum": 10},
    "min_growth": {"type": "number", "minimum": -1, "maximum": 10},
    "promotion_min_stars": {"type": "integer", "minimum": 0, "maximum": 10},
    "promotion_min_tenure_months": {"type": "integer", "minimum": 0, "maximum": 240},
    "honours_min_stars": {"type": "integer", "minimum": 0, "maximum": 10},
    "no_growth_years": {"type": "integer", "minimum": 1, "maximum": 10},
    "adjustment_max_stars": {"type": "integer", "minimum": 0, "maximum": 10},
    "adjustment_min_other": {"type": "integer", "minimum": 0, "maximum": 3}}},
  "LinkagePolicy": {"type": "object", "properties": {
    "id": {"type": "integer", "nullable": true, "readOnly": true},
    "county": {"type": "string", "pattern": "^[0-9]{6}$"},
    "version": {"type": "integer", "readOnly": true, "description": "0 for the unsaved default"},
    "is_default": {"type": "boolean", "readOnly": true},
    "weak_threshold_fen": {"type": "integer", "minimum": 1},
    "incentive": {"$ref": "#/components/schemas/IncentivePolicy"},
    "rules": {"$ref": "#/components/schemas/LinkageRules"},
    "note": {"type": "string", "maxLength": 500},
    "created_at": {"type": "string", "nullable": true, "readOnly": true},
    "created_by": {"type": "string", "nullable": true, "readOnly": true}}},
  "LinkagePolicyList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/LinkagePolicy"}}}},
  "LinkagePreviewRequest": {"allOf": [{"$ref": "#/components/schemas/LinkagePolicy"},
    {"type": "object", "required": ["year"], "properties": {
      "year": {"type": "integer", "minimum": 2000, "maximum": 2100}}}]},
  "PolicyPreview": {"type": "object", "properties": {
    "year": {"type": "integer"},
    "rows": {"type": "array", "items": {"type": "object", "properties": {
      "division_code": {"$ref": "#/components/schemas/DivisionCode"},
      "village_name": {"type": "string"},
      "profit_last_fen": {"type": "integer", "nullable": true},
      "profit_fen": {"type": "integer"},
      "increase_fen": {"type": "integer", "nullable": true},
      "manager_id": {"type": "integer", "nullable": true},
      "manager_name": {"type": "string"},
      "tenure_months": {"type": "integer"},
      "bonus_current_fen": {"type": "integer"},
      "bonus_proposed_fen": {"type": "integer"},
      "lines": {"type": "array", "items": {"type": "string"}}}}},
    "total_current_fen": {"type": "integer"}, "total_proposed_fen": {"type": "integer"},
    "promotion_current": {"type": "integer"}, "promotion_proposed": {"type": "integer"},
    "honours_current": {"type": "integer"}, "honours_proposed": {"type": "integer"},
    "adjustment_current": {"type": "integer"}, "adjustment_proposed": {"type": "integer"}}},
  "LinkageProposeRequest": {"type": "object", "required": ["year"], "properties": {
    "county": {"type": "string", "pattern": "^[0-9]{6}$"},
    "year": {"type": "integer", "minimum": 2000, "maximum": 2100}}},
  "LinkageDecideRequest": {"type": "object", "required": ["to"], "properties": {
    "to": {"type": "string", "enum": ["township_approved", "county_approved", "rejected"]},
    "comment": {"type": "string", "maxLength": 500,
                "description": "required when rejecting"}}},
  "LinkageDecision": {"type": "object", "properties": {
    "id": {"type": "integer"}, "policy_id": {"type": "integer"},
    "policy_version": {"type": "integer"}, "year": {"type": "integer"},
    "kind": {"type": "string", "enum": ["incentive", "promotion", "honours", "adjustment"]},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "village_name": {"type": "string"},
    "person_id": {"type": "integer", "nullable": true}, "person_name": {"type": "string"},
    "amount_fen": {"type": "integer"}, "score": {"type": "number"},
    "reasons": {"type": "array", "items": {"type": "string"}},
    "status": {"type": "string",
               "enum": ["proposed", "township_approved", "county_approved", "rejected"]},
    "steps": {"type": "array", "items": {"type": "object", "properties": {
      "from": {"type": "string", "nullable": true}, "to": {"type": "string"},
      "comment": {"type": "string"}, "at": {"type": "string"}, "by": {"type": "string"}}}}}},
  "LinkageDecisionList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/LinkageDecision"}}}},
  "ProjectFunding": {"type": "object", "required": ["source", "amount_fen"], "properties": {
    "id": {"type": "integer", "readOnly": true},
    "project_id": {"type": "integer", "readOnly": true},
    "division_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}], "readOnly": true},
    "source": {"type": "string", "enum": ["government", "enterprise", "collective", "other"]},
    "funder": {"type": "string", "maxLength": 100},
    "amount_fen": {"type": "integer", "minimum": 1},
    "note": {"type": "string", "maxLength": 500}}},
  "ProjectFundingList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/ProjectFunding"}}}},
  "EquityIncentive": {"type": "object", "required": ["person_id", "shares", "granted_on"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "collective_id": {"type": "integer", "readOnly": true},
    "division_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}], "readOnly": true},
    "person_id": {"type": "integer", "description": "a person of the collective's village"},
    "person_name": {"type": "string", "readOnly": true},
    "shares": {"type": "integer", "minimum": 1, "maximum": 1000000000},
    "granted_on": {"type": "string", "format": "date", "description": "not in the future"},
    "conditions": {"type": "string", "maxLength": 500,
                   "description": "e.g. vesting on an operating-income target"}}},
  "EquityIncentiveList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/EquityIncentive"}}}}
})json";
}

}  // namespace qiangji::api

// Enterprise pairing routes (企到村 / 企到企, issue 4 point 6): the county's enterprise register
// and pairing runs (draft -> matched -> confirmed) with their targets, results and the pairings
// in force. Like dispatch_handlers.cc, a handler is parse -> one service call -> serialize, and
// every JSON shape comes from services/pairing_json.h (shared with the CLI and the audit log).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "api/handler_util.h"
#include "api/openapi.h"
#include "api/problem.h"
#include "api/query.h"
#include "domain/enterprise.h"
#include "services/pairing.h"
#include "services/pairing_json.h"

namespace qiangji::api {

namespace json = boost::json;

namespace {

using services::PairingService;

// ---- the register ----

Result<services::EnterpriseQuery> ParseEnterpriseQuery(const QueryParams& params) {
  QJ_ASSIGN_OR_RETURN(services::ListQuery list, ParseListQuery(params));
  services::EnterpriseQuery q;
  q.q = list.q;
  q.page = list.page;
  q.page_size = params.Get("page_size") ? list.page_size : 100;
  FieldErrors errors;
  q.industry = params.Get("industry").value_or("");
  if (!q.industry.empty() && !domain::Contains(domain::kIndustries, q.industry))
    errors.Add("industry",
               "must be one of the industries (planting_breeding, food_processing, ...)");
  q.ownership = params.Get("ownership").value_or("");
  if (!q.ownership.empty() && !domain::Contains(domain::kOwnerships, q.ownership))
    errors.Add("ownership", "must be state, private, collective or foreign");
  if (params.Get("available")) {
    auto available = params.Bool("available", true);
    if (!available.ok()) {
      errors.Add("available", available.status().field_errors().front().message);
    } else {
      q.available = *available;
    }
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return q;
}

HttpResponse ListEnterprises(RequestContext& ctx) {
  auto q = ParseEnterpriseQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(ctx.services.pairing.enterprises.List(ctx.caller, *q),
               [](const services::Page<domain::Enterprise>& p) {
                 return PageJson(p, services::EnterpriseJson);
               });
}

// A new enterprise must carry its contact's full number: a mask (from a form that only saw the
// masked value) is kept on update only.
Result<domain::Enterprise> NewEnterpriseFromJson(const json::object& body) {
  auto e = services::EnterpriseFromJson(body);
  if (e.ok() && e->contact_phone.find('*') != std::string::npos)
    return Status::InvalidField("contact_phone", "must be the full number, not a mask");
  return e;
}

HttpResponse CreateEnterprise(RequestContext& ctx) {
  auto& register_ = ctx.services.pairing.enterprises;
  return CreateRecord(
      ctx, NewEnterpriseFromJson,
      [&](const services::Caller& c, domain::Enterprise r) {
        return register_.Create(c, std::move(r));
      },
      services::EnterpriseJson, "/api/v1/enterprises");
}

HttpResponse GetEnterprise(RequestContext& ctx) {
  auto& register_ = ctx.services.pairing.enterprises;
  return GetRecord(
      ctx, [&](const services::Caller& c, int64_t id) { return register_.Get(c, id); },
      services::EnterpriseJson);
}

HttpResponse UpdateEnterprise(RequestContext& ctx) {
  auto& register_ = ctx.services.pairing.enterprises;
  return UpdateRecord(
      ctx, [](const json::object& o) { return services::EnterpriseFromJson(o); },
      [&](const services::Caller& c, domain::Enterprise r) {
        return register_.Update(c, std::move(r));
      },
      services::EnterpriseJson);
}

// The body is the file itself (a JSON array or CSV text); all or nothing.
HttpResponse ImportEnterprises(RequestContext& ctx) {
  auto format = ImportFormat(ctx);
  if (!format.ok()) return Fail(format.status());
  return Reply(ctx.services.pairing.enterprises.Import(ctx.caller, *format, ctx.request.body),
               [](int64_t created) {
                 return json::object{{"created", created}};
               });
}

// The vocabularies and the keyword table, for forms and for explaining derived industries.
HttpResponse Vocabulary(RequestContext& ctx) {
  json::array industries;
  for (std::string_view i : domain::kIndustries)
    industries.push_back(json::object{{"id", i}, {"name_zh", domain::IndustryNameZh(i)}});
  json::array ownerships;
  for (std::string_view o : domain::kOwnerships)
    ownerships.push_back(json::object{{"id", o}, {"name_zh", domain::OwnershipNameZh(o)}});
  json::array keywords;
  for (const domain::IndustryKeyword& k : domain::IndustryKeywords())
    keywords.push_back(json::object{{"word", k.word}, {"industry", k.industry}});
  return Json(200, json::object{{"industries", std::move(industries)},
                                {"ownerships", std::move(ownerships)},
                                {"keywords", std::move(keywords)}});
}

// ---- runs ----

HttpResponse ListRuns(RequestContext& ctx) {
  return Reply(ctx.services.pairing.runs.List(ctx.caller),
               [](const std::vector<services::PairingRunSummary>& list) {
                 return ItemsJson(list, services::PairingRunSummaryJson);
               });
}

HttpResponse CreateRun(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto run = services::PairingRunFromJson(*body);
  if (!run.ok()) return Fail(run.status());
  auto created = ctx.services.pairing.runs.Create(ctx.caller, std::move(*run));
  if (!created.ok()) return Fail(created.status());
  return Created(services::PairingRunSummaryJson(*created),
                 fmt::format("/api/v1/pairing/runs/{}", created->run.id));
}

HttpResponse GetRun(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.pairing.runs.Get(ctx.caller, *id), services::PairingRunSummaryJson);
}

HttpResponse DeleteRun(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  Status st = ctx.services.pairing.runs.Delete(ctx.caller, *id);
  if (!st.ok()) return Fail(st);
  return NoContent();
}

HttpResponse ListTargets(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.pairing.runs.Targets(ctx.caller, *id),
               [](const std::vector<services::PairingTargetView>& list) {
                 return ItemsJson(list, services::PairingTargetJson);
               });
}

// PUT /pairing/runs/{id}/targets/{code}/{kind}: the path names the target.
HttpResponse PutTarget(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return Fail(code.status());
  std::string kind(ctx.Param("kind"));
  if (!domain::Contains(domain::kPairingKinds, kind))
    return Fail(Status::InvalidField("kind", "must be village or collective"));
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto change = services::TargetChangeFromJson(*body);
  if (!change.ok()) return Fail(change.status());
  change->run_id = *id;
  change->division_code = code->value();
  change->kind = kind;
  return Reply(ctx.services.pairing.runs.PutTarget(ctx.caller, std::move(*change)),
               services::PairingTargetJson);
}

// run / confirm / result: one call on one run, answered with its result.
template <Result<services::PairingRunResult> (PairingService::*Op)(const services::Caller&,
                                                                   int64_t)>
HttpResponse ResultAction(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply((ctx.services.pairing.runs.*Op)(ctx.caller, *id), services::PairingRunResultJson);
}

HttpResponse ListPairings(RequestContext& ctx) {
  FieldErrors errors;
  services::PairingQuery q;
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) {
    errors.Add("under", under.status().field_errors().front().message);
  } else {
    q.under = *under;
  }
  auto current = ctx.query.Bool("current", true);
  if (!current.ok()) {
    errors.Add("current", current.status().field_errors().front().message);
  } else {
    q.current_only = *current;
  }
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.pairing.runs.Pairings(ctx.caller, q),
               [](const std::vector<services::PairingRecord>& list) {
                 return ItemsJson(list, services::PairingRecordJson);
               });
}

const ParamDoc kText{"q", "string", "name contains"};
const ParamDoc kIndustry{"industry", "string", "only enterprises in this industry, e.g. energy"};
const ParamDoc kOwnership{"ownership", "string", "state, private, collective or foreign"};
const ParamDoc kAvailable{"available", "boolean", "only available (true) or unavailable ones"};
const ParamDoc kPage{"page", "integer", "1-based page number (default 1)"};
const ParamDoc kPageSize100{"page_size", "integer", "items per page, 1-500 (default 100)"};
const ParamDoc kFormat{"format", "string", "json (an array of objects, default) or csv"};
const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624100201"};
const ParamDoc kCurrent{"current", "boolean",
                        "only pairings in force today (default true); false adds ended ones"};

}  // namespace

std::vector<Route> PairingRoutes() {
  using A = Access;
  using R = PairingService;
  // clang-format off
  return {
      {"GET", "/api/v1/enterprises", A::kSession, ListEnterprises,
       "The county's enterprise register (contact phones masked)", "pairing-enterprises",
       {kText, kIndustry, kOwnership, kAvailable, kPage, kPageSize100}, "", 200, "EnterprisePage"},
      {"POST", "/api/v1/enterprises", A::kSession, CreateEnterprise,
       "Add an enterprise to the register (county/admin)", "pairing-enterprises", {},
       "Enterprise", 201, "Enterprise"},
      {"POST", "/api/v1/enterprises/import", A::kSession, ImportEnterprises,
       "Bulk import of enterprises; the body is the file (JSON array or CSV); all or nothing",
       "pairing-enterprises", {kFormat}, "", 200, "EnterpriseImportReport"},
      {"GET", "/api/v1/enterprises/{id}", A::kSession, GetEnterprise,
       "One enterprise of the register", "pairing-enterprises", {}, "", 200, "Enterprise"},
      {"PUT", "/api/v1/enterprises/{id}", A::kSession, UpdateEnterprise,
       "Replace an enterprise's record (county/admin; a masked phone keeps the stored one)",
       "pairing-enterprises", {}, "Enterprise", 200, "Enterprise"},
      {"GET", "/api/v1/pairing/vocabulary", A::kSession, Vocabulary,
       "Industries, ownerships and the keyword table that reads villages' main industries",
       "pairing", {}, "", 200, "PairingVocabulary"},
      {"GET", "/api/v1/pairing/runs", A::kSession, ListRuns,
       "Pairing runs in scope, newest first", "pairing", {}, "", 200, "PairingRunList"},
      {"POST", "/api/v1/pairing/runs", A::kSession, CreateRun,
       "Create a pairing run as a draft and snapshot its targets (county/admin)", "pairing", {},
       "PairingRun", 201, "PairingRun"},
      {"GET", "/api/v1/pairing/runs/{id}", A::kSession, GetRun,
       "One pairing run with its counts", "pairing", {}, "", 200, "PairingRun"},
      {"DELETE", "/api/v1/pairing/runs/{id}", A::kSession, DeleteRun,
       "Delete a draft pairing run", "pairing", {}, "", 204, ""},
      {"GET", "/api/v1/pairing/runs/{id}/targets", A::kSession, ListTargets,
       "The run's targets in scope: industries (derived or set), priority and need reasons",
       "pairing", {}, "", 200, "PairingTargetList"},
      {"PUT", "/api/v1/pairing/runs/{id}/targets/{code}/{kind}", A::kSession, PutTarget,
       "Set a target's industries (null: derive again) or drop/restore it before confirmation",
       "pairing", {}, "PairingTargetChange", 200, "PairingTarget"},
      {"POST", "/api/v1/pairing/runs/{id}/run", A::kSession, ResultAction<&R::Run>,
       "Pair enterprises with the targets (coverage first, then total score); rerun while matched",
       "pairing", {}, "", 200, "PairingResult"},
      {"POST", "/api/v1/pairing/runs/{id}/confirm", A::kSession, ResultAction<&R::Confirm>,
       "Confirm a matched run: its pairings start on the run's start date for two years",
       "pairing", {}, "", 200, "PairingResult"},
      {"GET", "/api/v1/pairing/runs/{id}/result", A::kSession, ResultAction<&R::GetResult>,
       "The stored result with score breakdowns, reasons and the unpaired", "pairing", {}, "",
       200, "PairingResult"},
      {"GET", "/api/v1/pairing/pairings", A::kSession, ListPairings,
       "Confirmed pairings under a division (in force today by default)", "pairing",
       {kUnder, kCurrent}, "", 200, "PairingRecordList"},
  };
  // clang-format on
}

// The component schemas of the routes above (merged into the OpenAPI document by openapi.cc).
std::string_view PairingSchemasJson() {
  return R"json({
  "Industry": {"type": "string", "enum": ["planting_breeding", "food_processing",
    "rural_tourism", "e_commerce_logistics", "construction_materials", "manufacturing", "energy",
    "finance", "health_care", "culture_creative", "trade_services"]},
  "Enterprise": {"type": "object", "required": ["name", "industries", "location_code"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "county_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}], "readOnly": true},
    "name": {"type": "string", "minLength": 1, "maxLength": 60},
    "ownership": {"type": "string", "enum": ["state", "private", "collective", "foreign"]},
    "industries": {"type": "array", "minItems": 1, "maxItems": 5,
                   "items": {"$ref": "#/components/schemas/Industry"}},
    "location_code": {"type": "string", "description": "division code of any level; a prefix is accepted on the way in"},
    "preferred_areas": {"type": "array", "maxItems": 5,
                        "items": {"type": "string", "pattern": "^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9})$"}},
    "capacity_villages": {"type": "integer", "minimum": 0, "maximum": 20},
    "capacity_firms": {"type": "integer", "minimum": 0, "maximum": 20},
    "contact_name": {"type": "string", "maxLength": 40},
    "contact_phone": {"type": "string", "nullable": true,
                      "description": "11-digit mobile, masked on the way out"},
    "available": {"type": "boolean"},
    "note": {"type": "string", "maxLength": 500},
    "updated_at": {"type": "string", "nullable": true, "readOnly": true}}},
  "EnterprisePage": {"type": "object", "required": ["items", "total", "page", "page_size"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Enterprise"}},
      "total": {"type": "integer"}, "page": {"type": "integer"}, "page_size": {"type": "integer"}}},
  "EnterpriseImportReport": {"type": "object", "properties": {"created": {"type": "integer"}}},
  "PairingVocabulary": {"type": "object", "properties": {
    "industries": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"$ref": "#/components/schemas/Industry"}, "name_zh": {"type": "string"}}}},
    "ownerships": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "string"}, "name_zh": {"type": "string"}}}},
    "keywords": {"type": "array", "items": {"type": "object", "properties": {
      "word": {"type": "string"}, "industry": {"$ref": "#/components/schemas/Industry"}}}}}},
  "PairingParams": {"type": "object", "properties": {
    "weights": {"type": "object", "properties": {
      "industry": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.5},
      "area": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.3},
      "priority": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.2}}},
    "rules": {"type": "object", "properties": {
      "require_industry_overlap": {"type": "boolean", "default": true}}},
    "min_priority": {"type": "number", "minimum": 0, "maximum": 100, "default": 30},
    "kinds": {"type": "array", "items": {"type": "string", "enum": ["village", "collective"]}}}},
  "PairingRun": {"type": "object", "required": ["name", "start_date"], "properties": {
    "id": {"type": "integer", "readOnly": true},
    "scope": {"type": "string", "pattern": "^[0-9]{6}$",
              "description": "county prefix; default the caller's county"},
    "name": {"type": "string", "minLength": 1, "maxLength": 80},
    "status": {"type": "string", "readOnly": true, "enum": ["draft", "matched", "confirmed"]},
    "params": {"$ref": "#/components/schemas/PairingParams"},
    "start_date": {"type": "string", "format": "date"},
    "created_at": {"type": "string", "readOnly": true},
    "created_by": {"type": "string", "readOnly": true},
    "matched_at": {"type": "string", "nullable": true, "readOnly": true},
    "confirmed_at": {"type": "string", "nullable": true, "readOnly": true},
    "targets": {"type": "integer", "readOnly": true},
    "pairs": {"type": "integer", "readOnly": true}}},
  "PairingRunList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/PairingRun"}}}},
  "PairingTarget": {"type": "object", "properties": {
    "run_id": {"type": "integer"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "kind": {"type": "string", "enum": ["village", "collective"]},
    "name": {"type": "string"},
    "township_code": {"$ref": "#/components/schemas/DivisionCode"},
    "township_name": {"type": "string"},
    "industries": {"type": "array", "items": {"$ref": "#/components/schemas/Industry"}},
    "derived": {"type": "boolean", "description": "read from main_industries (推导)"},
    "main_industries": {"type": "array", "items": {"type": "string"}},
    "matches": {"type": "array", "items": {"type": "object", "properties": {
      "text": {"type": "string"}, "industry": {"$ref": "#/components/schemas/Industry"}}}},
    "priority": {"type": "number"}, "priority_label": {"type": "string"},
    "included": {"type": "boolean"},
    "reasons": {"type": "array", "items": {"$ref": "#/components/schemas/NeedReason"}}}},
  "PairingTargetList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/PairingTarget"}}}},
  "PairingTargetChange": {"type": "object", "properties": {
    "industries": {"type": "array", "nullable": true, "maxItems": 5,
                   "items": {"$ref": "#/components/schemas/Industry"},
                   "description": "null: read them from the village's words again"},
    "included": {"type": "boolean"}}},
  "PairingPair": {"type": "object", "properties": {
    "enterprise_id": {"type": "integer"}, "enterprise_name": {"type": "string"},
    "ownership": {"type": "string"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "village_name": {"type": "string"}, "township_name": {"type": "string"},
    "kind": {"type": "string", "enum": ["village", "collective"]},
    "priority": {"type": "number"}, "score": {"type": "number"},
    "breakdown": {"type": "object", "properties": {
      "overlap": {"type": "number"}, "proximity": {"type": "number"},
      "priority": {"type": "number"}, "industry_term": {"type": "number"},
      "area_term": {"type": "number"}, "priority_term": {"type": "number"},
      "relation": {"type": "string", "enum": ["township", "county", "prefecture", "province", "none"]},
      "preferred_area": {"type": "string", "nullable": true},
      "common": {"type": "array", "items": {"$ref": "#/components/schemas/Industry"}}}},
    "reasons": {"type": "array", "items": {"type": "string"}},
    "start_date": {"type": "string", "format": "date", "nullable": true},
    "end_date": {"type": "string", "format": "date", "nullable": true}}},
  "PairingResult": {"type": "object", "properties": {
    "run": {"$ref": "#/components/schemas/PairingRun"},
    "pairs": {"type": "array", "items": {"$ref": "#/components/schemas/PairingPair"}},
    "unpaired": {"type": "array", "items": {"type": "object", "properties": {
      "division_code": {"$ref": "#/components/schemas/DivisionCode"},
      "kind": {"type": "string", "enum": ["village", "collective"]},
      "name": {"type": "string"}, "priority": {"type": "number"},
      "reason": {"type": "string", "enum": ["no_enterprise", "no_industry", "no_industry_match",
        "capacity_used", "already_paired"]},
      "text": {"type": "string"},
      "candidates": {"type": "array", "items": {"type": "integer"}}}}},
    "enterprises": {"type": "array", "items": {"type": "object", "properties": {
      "enterprise_id": {"type": "integer"}, "name": {"type": "string"},
      "capacity_villages": {"type": "integer"}, "capacity_firms": {"type": "integer"},
      "held_villages": {"type": "integer"}, "held_firms": {"type": "integer"},
      "used_villages": {"type": "integer"}, "used_firms": {"type": "integer"}}}},
    "totals": {"type": "object", "properties": {
      "targets": {"type": "integer"}, "covered": {"type": "integer"},
      "unpaired": {"type": "integer"}, "allowed_pairs": {"type": "integer"},
      "total_score": {"type": "number"}}},
    "input_hash": {"type": "string"}, "output_hash": {"type": "string"}}},
  "PairingRecord": {"type": "object", "properties": {
    "run_id": {"type": "integer"}, "run_name": {"type": "string"},
    "enterprise_id": {"type": "integer"}, "enterprise_name": {"type": "string"},
    "ownership": {"type": "string"},
    "enterprise_industries": {"type": "array", "items": {"$ref": "#/components/schemas/Industry"}},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "village_name": {"type": "string"}, "township_name": {"type": "string"},
    "kind": {"type": "string", "enum": ["village", "collective"]},
    "score": {"type": "number"}, "reasons": {"type": "array", "items": {"type": "string"}},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date"},
    "current": {"type": "boolean"}}},
  "PairingRecordList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/PairingRecord"}}}}
})json";
}

}  // namespace qiangji::api

// Collective economy routes (issue 5; docs/economy.md "API"): each village's collective, its
// annual reports (one at a time, or all or nothing from a JSON or CSV file), and the economy
// report (bands over years, weak villages and exits, growth by township, assisted against
// unassisted villages). Like dispatch_handlers.cc, a handler is parse -> one service call ->
// serialize, and every JSON shape comes from services/economy_json.h (shared with the CLI and the
// audit log).
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
#include "domain/economy.h"
#include "services/economy.h"
#include "services/economy_json.h"

namespace qiangji::api {

namespace json = boost::json;

namespace {

HttpResponse Fail(const Status& st) { return ProblemFromStatus(st); }

// ---- collectives ----

HttpResponse ListCollectives(RequestContext& ctx) {
  auto q = ParseListQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(ctx.services.economy.collectives.List(ctx.caller, *q),
               [](const services::Page<domain::Collective>& p) {
                 return PageJson(p, services::CollectiveJson);
               });
}

HttpResponse CreateCollective(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto c = services::CollectiveFromJson(*body);
  if (!c.ok()) return Fail(c.status());
  auto created = ctx.services.economy.collectives.Create(ctx.caller, std::move(*c));
  if (!created.ok()) return Fail(created.status());
  return Created(services::CollectiveJson(*created),
                 fmt::format("/api/v1/collectives/{}", created->id));
}

HttpResponse GetCollective(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.economy.collectives.Get(ctx.caller, *id), services::CollectiveJson);
}

HttpResponse UpdateCollective(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return Fail(st);
  auto c = services::CollectiveFromJson(*body);
  if (!c.ok()) return Fail(c.status());
  c->id = *id;
  return Reply(ctx.services.economy.collectives.Update(ctx.caller, std::move(*c)),
               services::CollectiveJson);
}

HttpResponse VillageCollective(RequestContext& ctx) {
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return Fail(code.status());
  return Reply(ctx.services.economy.collectives.ByVillage(ctx.caller, code->value()),
               services::CollectiveJson);
}

// ---- annual reports ----

HttpResponse ListReports(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.economy.collectives.Reports(ctx.caller, *id),
               [](const std::vector<domain::AnnualReport>& list) {
                 return ItemsJson(list, services::AnnualReportJson);
               });
}

// PUT /collectives/{id}/reports/{year}: the path names the report; a year or collective_id in
// the body must agree with it.
HttpResponse PutReport(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  std::string_view year_text = ctx.Param("year");
  int year = 0;
  auto [end, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
  if (year_text.empty() || ec != std::errc() || end != year_text.data() + year_text.size() ||
      year < 2000 || year > 2100)
    return Fail(Status::InvalidField("year", "must be a year from 2000 to 2100"));
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = CheckBodyId(*body, "collective_id", *id); !st.ok()) return Fail(st);
  if (const json::value* y = body->if_contains("year"); y && !y->is_null()) {
    if (!(y->is_int64() && y->get_int64() == year))
      return Fail(Status::InvalidField("year", "must match the year in the path"));
  } else {
    (*body)["year"] = year;
  }
  auto report = services::AnnualReportFromJson(*body);
  if (!report.ok()) return Fail(report.status());
  report->collective_id = *id;
  return Reply(ctx.services.economy.collectives.PutReport(ctx.caller, std::move(*report)),
               services::AnnualReportJson);
}

// The body is the file itself (a JSON array or CSV text); all or nothing.
HttpResponse ImportReports(RequestContext& ctx) {
  std::string format = ctx.query.Get("format").value_or("json");
  if (format != "json" && format != "csv")
    return Fail(Status::InvalidField("format", "must be json or csv"));
  if (ctx.request.body.empty()) return Fail(Status::InvalidField("body", "is empty"));
  return Reply(ctx.services.economy.collectives.ImportReports(ctx.caller, format, ctx.request.body),
               [](int64_t stored) {
                 return json::object{{"stored", stored}};
               });
}

// ---- the economy report ----

HttpResponse GetEconomyReport(RequestContext& ctx) {
  FieldErrors errors;
  services::EconomyQuery q;
  const auto note = [&](std::string_view field, const Status& st) {
    errors.Add(std::string(field),
               st.field_errors().empty() ? st.message() : st.field_errors().front().message);
  };
  if (auto under = ctx.query.DivisionPrefix("under"); !under.ok()) {
    note("under", under.status());
  } else {
    q.under = *under;
  }
  for (auto [field, out] : {std::pair<std::string_view, int*>{"first_year", &q.first_year},
                            {"last_year", &q.last_year}}) {
    auto y = ctx.query.Int(field, 2000, 2100);
    if (!y.ok()) {
      note(field, y.status());
    } else if (*y) {
      *out = static_cast<int>(**y);
    }
  }
  if (auto t = ctx.query.Int("weak_threshold_fen", 1, 1'000'000'000'000'000); !t.ok()) {
    note("weak_threshold_fen", t.status());
  } else {
    q.weak_threshold_fen = *t;
  }
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.economy.reports.Report(ctx.caller, q), services::EconomyReportJson);
}

// ---- the table ----

const ParamDoc kPage{"page", "integer", "1-based page number (default 1)"};
const ParamDoc kPageSize{"page_size", "integer", "items per page, 1-500 (default 50)"};
const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624100"};
const ParamDoc kText{"q", "string", "name contains, or the exact credit code"};
const ParamDoc kFormat{"format", "string",
                       "json (an array of reports, amounts in fen, default) or csv (amounts in "
                       "yuan)"};
const ParamDoc kFirstYear{"first_year", "integer", "first year (default: last_year - 4)"};
const ParamDoc kLastYear{"last_year", "integer",
                         "last year (default: the latest year with reports in scope)"};
const ParamDoc kWeakThreshold{"weak_threshold_fen", "integer",
                              "weak-economy threshold in fen (default: the county's linkage "
                              "policy, else 10000000 = 100,000 yuan)"};

}  // namespace

std::vector<Route> EconomyRoutes() {
  using A = Access;
  // clang-format off
  return {
      {"GET", "/api/v1/collectives", A::kSession, ListCollectives,
       "Village collective economic organizations in scope", "economy",
       {kPage, kPageSize, kUnder, kText}, "", 200, "CollectivePage"},
      {"POST", "/api/v1/collectives", A::kSession, CreateCollective,
       "Register a village's collective (county, township, admin; GB 32100 credit code)",
       "economy", {}, "Collective", 201, "Collective"},
      {"GET", "/api/v1/collectives/{id}", A::kSession, GetCollective,
       "One collective", "economy", {}, "", 200, "Collective"},
      {"PUT", "/api/v1/collectives/{id}", A::kSession, UpdateCollective,
       "Replace a collective's registration (county, township, admin)", "economy", {},
       "Collective", 200, "Collective"},
      {"GET", "/api/v1/villages/{code}/collective", A::kSession, VillageCollective,
       "The collective of a village (404 when none is registered)", "economy", {}, "", 200,
       "Collective"},
      {"GET", "/api/v1/collectives/{id}/reports", A::kSession, ListReports,
       "A collective's annual reports, oldest first, with derived figures", "economy", {}, "",
       200, "AnnualReportList"},
      {"PUT", "/api/v1/collectives/{id}/reports/{year}", A::kSession, PutReport,
       "Create or replace a year's annual report (totals must add up; amounts in fen)",
       "economy", {}, "AnnualReport", 200, "AnnualReport"},
      {"POST", "/api/v1/economy/reports/import", A::kSession, ImportReports,
       "Bulk import of annual reports; the body is the file (JSON array or CSV); all or nothing",
       "economy", {kFormat}, "", 200, "ReportImportReport"},
      {"GET", "/api/v1/economy/report", A::kSession, GetEconomyReport,
       "Bands, weak villages, exits, growth by township, assisted against unassisted villages",
       "economy", {kUnder, kFirstYear, kLastYear, kWeakThreshold}, "", 200, "EconomyReport"},
  };
  // clang-format on
}

// The component schemas of the routes above (merged into the OpenAPI document by openapi.cc).
std::string_view EconomySchemasJson() {
  return R"json({
  "Collective": {"type": "object", "required": ["division_code", "name", "credit_code"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "name": {"type": "string", "minLength": 1, "maxLength": 60},
    "kind": {"type": "string", "enum": ["shareholding_coop", "economic_coop", "economic_union",
                                        "other"], "default": "shareholding_coop"},
    "credit_code": {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$",
                    "description": "unified social credit code, GB 32100-2015 check character"},
    "registered_on": {"type": "string", "format": "date", "nullable": true},
    "member_count": {"type": "integer", "minimum": 0, "maximum": 1000000},
    "share_classes": {"type": "array", "maxItems": 10, "items": {"type": "object",
      "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 20},
                     "shares": {"type": "integer", "minimum": 0}}}},
    "updated_at": {"type": "string", "nullable": true, "readOnly": true}}},
  "CollectivePage": {"type": "object", "required": ["items", "total", "page", "page_size"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Collective"}},
      "total": {"type": "integer"}, "page": {"type": "integer"}, "page_size": {"type": "integer"}}},
  "AnnualReport": {"type": "object", "required": ["year"],
    "description": "amounts are integers of fen; an absent amount is 0",
    "properties": {
    "collective_id": {"type": "integer", "readOnly": true},
    "division_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}], "readOnly": true},
    "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
    "operating_revenue_fen": {"type": "integer", "minimum": 0},
    "contracting_income_fen": {"type": "integer", "minimum": 0},
    "investment_income_fen": {"type": "integer"},
    "subsidy_income_fen": {"type": "integer", "minimum": 0},
    "other_income_fen": {"type": "integer", "minimum": 0},
    "operating_costs_fen": {"type": "integer", "minimum": 0},
    "admin_expenses_fen": {"type": "integer", "minimum": 0},
    "other_expenses_fen": {"type": "integer", "minimum": 0},
    "surplus_fen": {"type": "integer", "description": "all income - all costs"},
    "opening_undistributed_fen": {"type": "integer"},
    "reserve_fund_fen": {"type": "integer", "minimum": 0},
    "welfare_fund_fen": {"type": "integer", "minimum": 0},
    "member_distribution_fen": {"type": "integer", "minimum": 0},
    "undistributed_fen": {"type": "integer",
      "description": "surplus + opening undistributed - reserve - welfare - distribution"},
    "current_assets_fen": {"type": "integer", "minimum": 0},
    "agricultural_assets_fen": {"type": "integer", "minimum": 0},
    "long_term_investments_fen": {"type": "integer", "minimum": 0},
    "fixed_assets_fen": {"type": "integer", "minimum": 0},
    "other_assets_fen": {"type": "integer", "minimum": 0},
    "total_assets_fen": {"type": "integer", "minimum": 0,
      "description": "the asset classes' sum = liabilities + equity"},
    "liabilities_fen": {"type": "integer", "minimum": 0},
    "equity_fen": {"type": "integer"},
    "note": {"type": "string", "maxLength": 500},
    "updated_at": {"type": "string", "nullable": true, "readOnly": true},
    "operating_income_fen": {"type": "integer", "readOnly": true,
      "description": "operating revenue + contracting income + investment income (subsidies excluded)"},
    "operating_profit_fen": {"type": "integer", "readOnly": true},
    "total_income_fen": {"type": "integer", "readOnly": true},
    "total_costs_fen": {"type": "integer", "readOnly": true},
    "band": {"$ref": "#/components/schemas/IncomeBand"}}},
  "AnnualReportList": {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/AnnualReport"}}}},
  "ReportImportReport": {"type": "object", "properties": {"stored": {"type": "integer"}}},
  "IncomeBand": {"type": "string",
                 "enum": ["under_50k", "50k_100k", "100k_500k", "500k_1m", "over_1m"]},
  "YearFigures": {"type": "object", "properties": {
    "year": {"type": "integer"}, "villages": {"type": "integer"},
    "reported": {"type": "integer"},
    "bands": {"type": "object", "additionalProperties": {"type": "integer"},
              "description": "reported villages per band key"},
    "weak": {"type": "integer"}, "exits": {"type": "integer"},
    "total_income_fen": {"type": "integer"}, "median_income_fen": {"type": "integer"},
    "total_growth": {"type": "number", "nullable": true}}},
  "EconomyGroup": {"type": "object", "properties": {
    "villages": {"type": "integer"},
    "mean_growth": {"type": "number", "nullable": true},
    "weak_share": {"type": "number", "nullable": true}}},
  "EconomyReport": {"type": "object", "properties": {
    "first_year": {"type": "integer"}, "last_year": {"type": "integer"},
    "years": {"type": "array", "items": {"type": "integer"}},
    "weak_threshold_fen": {"type": "integer"},
    "bands": {"type": "array", "items": {"type": "object", "properties": {
      "key": {"$ref": "#/components/schemas/IncomeBand"},
      "lower_fen": {"type": "integer", "nullable": true},
      "upper_fen": {"type": "integer", "nullable": true}}}},
    "total": {"type": "array", "items": {"$ref": "#/components/schemas/YearFigures"}},
    "townships": {"type": "array", "items": {"type": "object", "properties": {
      "code": {"$ref": "#/components/schemas/DivisionCode"}, "name": {"type": "string"},
      "years": {"type": "array", "items": {"$ref": "#/components/schemas/YearFigures"}},
      "growth_last": {"type": "number", "nullable": true},
      "rank": {"type": "integer", "description": "1 = highest growth_last; 0 when undefined"}}}},
    "villages": {"type": "array", "items": {"type": "object", "properties": {
      "division_code": {"$ref": "#/components/schemas/DivisionCode"},
      "name": {"type": "string"},
      "township_code": {"$ref": "#/components/schemas/DivisionCode"},
      "township_name": {"type": "string"},
      "income_fen": {"type": "array", "items": {"type": "integer", "nullable": true}},
      "profit_fen": {"type": "array", "items": {"type": "integer", "nullable": true}},
      "growth": {"type": "array", "items": {"type": "number", "nullable": true}},
      "cagr": {"type": "number", "nullable": true},
      "band": {"allOf": [{"$ref": "#/components/schemas/IncomeBand"}], "nullable": true},
      "weak": {"type": "boolean"},
      "exit_year": {"type": "integer", "nullable": true},
      "assisted": {"type": "boolean"}}}},
    "assisted": {"$ref": "#/components/schemas/EconomyGroup"},
    "unassisted": {"$ref": "#/components/schemas/EconomyGroup"}}}
})json";
}

}  // namespace qiangji::api

// The assessment's routes (issue 3): indicator sets, evidence from the four sources, runs and
// their reports, publication and appeals. Like handlers.cc, a handler is parse -> one service
// call -> serialize; every JSON shape comes from services/assess_json.h, so the API, the audit
// log, bulk import and `qiangji assess solve` share one format.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "api/handler_util.h"
#include "api/problem.h"
#include "api/query.h"
#include "domain/evidence.h"
#include "services/assess.h"
#include "services/assess_json.h"

namespace qiangji::api {

namespace json = boost::json;

namespace {

using services::AssessRunService;


template <typename T, typename F>
json::object ListJson(const std::vector<T>& list, F&& item) {
  return ItemsJson(list, std::forward<F>(item));
}

// page, page_size (default 100 here), under and year of the evidence lists.
Result<services::EvidenceQuery> ParseEvidenceQuery(const QueryParams& params) {
  QJ_ASSIGN_OR_RETURN(services::ListQuery list, ParseListQuery(params));
  services::EvidenceQuery q;
  q.under = list.under;
  q.page = list.page;
  q.page_size = params.Get("page_size") ? list.page_size : 100;
  QJ_ASSIGN_OR_RETURN(std::optional<int64_t> year, params.Int("year", 2000, 2100));
  q.year = year ? static_cast<int>(*year) : 0;
  return q;
}

// {year} of the annual evidence paths: 2000..2100.
Result<int> YearParam(const RequestContext& ctx) {
  std::string_view text = ctx.Param("year");
  int year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || year < 2000 ||
      year > 2100)
    return Status::InvalidField("year", "must be a year from 2000 to 2100");
  return year;
}

// A PUT keyed by its path: fields the body leaves out are taken from the path; fields it gives
// must agree with the path (the path wins, a disagreement is a 400 naming the field).
Status FillFromPath(json::object& body, std::string_view key, const json::value& from_path) {
  json::value* v = body.if_contains(key);
  if (!v || v->is_null()) {
    body[key] = from_path;
    return Status::Ok();
  }
  if (*v == from_path) return Status::Ok();
  // A division code may come as a number (the JSON readers accept it leniently).
  if (v->is_int64() && from_path.is_string() &&
      fmt::format("{:012d}", v->get_int64()) == std::string_view(from_path.get_string()))
    return Status::Ok();
  // Numbers may come as 2025 or 2025.0; strings must match exactly.
  if (v->is_number() && from_path.is_number()) {
    boost::system::error_code ec;
    if (v->to_number<double>(ec) == from_path.to_number<double>(ec) && !ec) return Status::Ok();
  }
  return Status::InvalidField(std::string(key), "must match the path");
}

// ---- catalogue and indicator sets ----

HttpResponse GetMeasures(RequestContext& ctx) { return Json(200, services::MeasureCatalogueJson()); }

HttpResponse ListIndicatorSets(RequestContext& ctx) {
  return Reply(ctx.services.assess.sets.List(ctx.caller),
               [](const std::vector<services::IndicatorSetSummary>& list) {
                 return ListJson(list, services::IndicatorSetSummaryJson);
               });
}

HttpResponse CreateIndicatorSet(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto set = services::IndicatorSetFromJson(json::value(std::move(*body)));
  if (!set.ok()) return Fail(set.status());
  auto created = ctx.services.assess.sets.Create(ctx.caller, std::move(*set));
  if (!created.ok()) return Fail(created.status());
  return Created(services::IndicatorSetJson(*created),
                 fmt::format("/api/v1/assess/indicator-sets/{}", created->id));
}

HttpResponse GetIndicatorSet(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.assess.sets.Get(ctx.caller, *id), services::IndicatorSetJson);
}

HttpResponse GetDefaultIndicatorSet(RequestContext& ctx) {
  return Reply(services::DefaultIndicatorSet(), services::IndicatorSetJson);
}

HttpResponse CheckAhp(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto matrix = services::AhpMatrixFromJson(json::value(std::move(*body)));
  if (!matrix.ok()) return Fail(matrix.status());
  return Reply(ctx.services.assess.sets.CheckAhp(*matrix), services::AhpCheckJson);
}

// ---- evidence ----

template <typename T>
using EvidencePage = services::Page<T>;

HttpResponse ListPeriodicRatings(RequestContext& ctx) {
  auto q = ParseEvidenceQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(ctx.services.assess.evidence.ListPeriodicRatings(ctx.caller, *q),
               [](const EvidencePage<domain::PeriodicRating>& p) {
                 return PageJson(p, services::PeriodicRatingJson);
               });
}

HttpResponse PutPeriodicRating(RequestContext& ctx) {
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return Fail(code.status());
  std::string period(ctx.Param("period"));
  if (auto quarter = domain::ParseQuarter(period, "period"); !quarter.ok())
    return Fail(quarter.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = FillFromPath(*body, "division_code", json::value(code->ToString())); !st.ok())
    return Fail(st);
  if (Status st = FillFromPath(*body, "period", json::value(period)); !st.ok()) return Fail(st);
  auto rating = services::PeriodicRatingFromJson(*body);
  if (!rating.ok()) return Fail(rating.status());
  return Reply(ctx.services.assess.evidence.PutPeriodicRating(ctx.caller, std::move(*rating)),
               services::PeriodicRatingJson);
}

HttpResponse ListSpotChecks(RequestContext& ctx) {
  auto q = ParseEvidenceQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(ctx.services.assess.evidence.ListSpotChecks(ctx.caller, *q),
               [](const EvidencePage<domain::SpotCheck>& p) {
                 return PageJson(p, services::SpotCheckJson);
               });
}

HttpResponse CreateSpotCheck(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto check = services::SpotCheckFromJson(*body);
  if (!check.ok()) return Fail(check.status());
  check->id = 0;
  auto created = ctx.services.assess.evidence.CreateSpotCheck(ctx.caller, std::move(*check));
  if (!created.ok()) return Fail(created.status());
  return Created(services::SpotCheckJson(*created),
                 fmt::format("/api/v1/assess/spot-checks/{}", created->id));
}

HttpResponse UpdateSpotCheck(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return Fail(st);
  auto check = services::SpotCheckFromJson(*body);
  if (!check.ok()) return Fail(check.status());
  check->id = *id;
  return Reply(ctx.services.assess.evidence.UpdateSpotCheck(ctx.caller, std::move(*check)),
               services::SpotCheckJson);
}

HttpResponse DeleteSpotCheck(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  Status st = ctx.services.assess.evidence.DeleteSpotCheck(ctx.caller, *id);
  if (!st.ok()) return Fail(st);
  return NoContent();
}

HttpResponse ListDutyReports(RequestContext& ctx) {
  auto q = ParseEvidenceQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(ctx.services.assess.evidence.ListDutyReports(ctx.caller, *q),
               [](const EvidencePage<domain::DutyReport>& p) {
                 return PageJson(p, services::DutyReportJson);
               });
}

// PUT /villages/{code}/<kind>/{year}: one yearly record (duty report, survey) keyed by the path;
// fields the body leaves out come from the path, fields that disagree with it are a 400.
template <typename T, typename Parse, typename Store, typename ToJson>
HttpResponse PutYearly(RequestContext& ctx, Parse parse, Store store, ToJson to_json) {
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return Fail(code.status());
  auto year = YearParam(ctx);
  if (!year.ok()) return Fail(year.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = FillFromPath(*body, "division_code", json::value(code->ToString())); !st.ok())
    return Fail(st);
  if (Status st = FillFromPath(*body, "year", json::value(*year)); !st.ok()) return Fail(st);
  Result<T> record = parse(*body, "");
  if (!record.ok()) return Fail(record.status());
  return Reply(store(std::move(*record)), to_json);
}

HttpResponse PutDutyReport(RequestContext& ctx) {
  return PutYearly<domain::DutyReport>(
      ctx, services::DutyReportFromJson,
      [&](domain::DutyReport r) {
        return ctx.services.assess.evidence.PutDutyReport(ctx.caller, std::move(r));
      },
      services::DutyReportJson);
}

HttpResponse ListSurveys(RequestContext& ctx) {
  auto q = ParseEvidenceQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(ctx.services.assess.evidence.ListSurveys(ctx.caller, *q),
               [](const EvidencePage<domain::SatisfactionSurvey>& p) {
                 return PageJson(p, services::SurveyJson);
               });
}

HttpResponse PutSurvey(RequestContext& ctx) {
  return PutYearly<domain::SatisfactionSurvey>(
      ctx, services::SurveyFromJson,
      [&](domain::SatisfactionSurvey s) {
        return ctx.services.assess.evidence.PutSurvey(ctx.caller, std::move(s));
      },
      services::SurveyJson);
}

// The body is the file itself (a JSON array or CSV text), not a JSON object.
HttpResponse ImportEvidence(RequestContext& ctx) {
  std::string_view kind = ctx.Param("kind");
  bool known = false;
  for (std::string_view k : services::kEvidenceKinds) known = known || k == kind;
  if (!known)
    return Fail(Status::InvalidField(
        "kind", "must be periodic-ratings, spot-checks, duty-reports or satisfaction-surveys"));
  std::string format = ctx.query.Get("format").value_or("json");
  if (format != "json" && format != "csv")
    return Fail(Status::InvalidField("format", "must be json or csv"));
  if (ctx.request.body.empty()) return Fail(Status::InvalidField("body", "is empty"));
  return Reply(
      ctx.services.assess.evidence.Import(ctx.caller, kind, format, ctx.request.body),
      services::ImportReportJson);
}

// ---- runs ----

Result<services::RunRequest> RunRequestFromJson(const json::object& body,
                                                const services::Caller& caller) {
  FieldErrors errors;
  FieldReader r(body, errors);
  services::RunRequest req;
  auto scope = r.String("scope");
  auto year = r.Int("year", true);
  auto set_id = r.Int("indicator_set_id");
  auto sensitivity = r.Bool("sensitivity");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  // Without a scope, the caller's own (a county user's county).
  req.scope = scope ? *scope : caller.scope_prefix;
  if (*year < 2000 || *year > 2100) errors.Add("year", "must be a year from 2000 to 2100");
  if (set_id && *set_id < 0) errors.Add("indicator_set_id", "must be a positive integer");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  req.year = static_cast<int>(*year);
  req.indicator_set_id = set_id.value_or(0);
  req.sensitivity = sensitivity.value_or(true);
  return req;
}

HttpResponse ListRuns(RequestContext& ctx) {
  auto year = ctx.query.Int("year", 2000, 2100);
  if (!year.ok()) return Fail(year.status());
  return Reply(ctx.services.assess.runs.List(ctx.caller, year->value_or(0)),
               [](const std::vector<services::RunSummary>& list) {
                 return ListJson(list, services::RunSummaryJson);
               });
}

HttpResponse StartRun(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto req = RunRequestFromJson(*body, ctx.caller);
  if (!req.ok()) return Fail(req.status());
  auto run = ctx.services.assess.runs.Start(ctx.caller, *req);
  if (!run.ok()) return Fail(run.status());
  return Created(services::RunSummaryJson(*run), fmt::format("/api/v1/assess/runs/{}", run->id));
}

HttpResponse GetRun(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.assess.runs.Get(ctx.caller, *id), services::RunSummaryJson);
}

HttpResponse DeleteRun(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  Status st = ctx.services.assess.runs.Delete(ctx.caller, *id);
  if (!st.ok()) return Fail(st);
  return NoContent();
}

constexpr std::array<std::string_view, 3> kClasses = {"model", "ordinary", "weak_lax"};
constexpr std::array<std::string_view, 3> kSorts = {"rank", "code", "change_probability"};

Result<services::ResultQuery> ParseResultQuery(const QueryParams& params) {
  QJ_ASSIGN_OR_RETURN(services::ListQuery list, ParseListQuery(params));
  services::ResultQuery q;
  q.under = list.under;
  q.q = list.q;
  q.page = list.page;
  q.page_size = params.Get("page_size") ? list.page_size : 100;
  FieldErrors errors;
  auto stars = params.Int("stars", 1, 5);
  if (!stars.ok()) {
    errors.Add("stars", stars.status().field_errors().front().message);
  } else if (*stars) {
    q.stars = static_cast<int>(**stars);
  }
  q.rating_class = params.Get("class").value_or("");
  if (!q.rating_class.empty() &&
      std::find(kClasses.begin(), kClasses.end(), q.rating_class) == kClasses.end())
    errors.Add("class", "must be model, ordinary or weak_lax");
  auto warnings = params.Bool("warnings", false);
  if (!warnings.ok()) {
    errors.Add("warnings", warnings.status().field_errors().front().message);
  } else {
    q.warnings_only = *warnings;
  }
  q.sort = params.Get("sort").value_or("rank");
  if (std::find(kSorts.begin(), kSorts.end(), q.sort) == kSorts.end())
    errors.Add("sort", "must be rank, code or change_probability");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return q;
}

HttpResponse RunResults(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto q = ParseResultQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(ctx.services.assess.runs.Results(ctx.caller, *id, *q),
               [](const services::Page<services::RunVillage>& p) {
                 return PageJson(p, [](const services::RunVillage& v) {
                   return services::RunVillageJson(v, /*detail=*/false);
                 });
               });
}

HttpResponse ExplainVillage(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return Fail(code.status());
  return Reply(ctx.services.assess.runs.Explain(ctx.caller, *id, code->value()),
               services::RunExplanationJson);
}

HttpResponse BothEnds(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Fail(under.status());
  return Reply(ctx.services.assess.runs.BothEnds(ctx.caller, *id, *under), services::BothEndsJson);
}

// publish / finalize / verify: one state change (or check) of a run, answering the run.
template <Result<services::RunSummary> (AssessRunService::*Op)(const services::Caller&, int64_t)>
HttpResponse RunAction(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply((ctx.services.assess.runs.*Op)(ctx.caller, *id), services::RunSummaryJson);
}

HttpResponse Trend(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Fail(under.status());
  return Reply(ctx.services.assess.runs.Trend(ctx.caller, *under),
               [](const std::vector<services::TrendPoint>& list) {
                 return ListJson(list, services::TrendPointJson);
               });
}

// ---- appeals ----

constexpr std::array<std::string_view, 3> kAppealStatuses = {"pending", "upheld", "rejected"};

HttpResponse ListAppeals(RequestContext& ctx) {
  auto run = ctx.query.Int("run", 1, INT64_MAX);
  if (!run.ok()) return Fail(run.status());
  std::string status = ctx.query.Get("status").value_or("");
  if (!status.empty() &&
      std::find(kAppealStatuses.begin(), kAppealStatuses.end(), status) == kAppealStatuses.end())
    return Fail(Status::InvalidField("status", "must be pending, upheld or rejected"));
  return Reply(ctx.services.assess.runs.ListAppeals(ctx.caller, run->value_or(0), status),
               [](const std::vector<services::Appeal>& list) {
                 return ListJson(list, services::AppealJson);
               });
}

// One appeal, found among those the caller may see (a county has a handful per year).
HttpResponse GetAppeal(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto all = ctx.services.assess.runs.ListAppeals(ctx.caller, 0, "");
  if (!all.ok()) return Fail(all.status());
  for (const services::Appeal& a : *all)
    if (a.id == *id) return Json(200, services::AppealJson(a));
  return Fail(Status::NotFound(fmt::format("appeal {} not found", *id)));
}

HttpResponse LodgeAppeal(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  FieldErrors errors;
  FieldReader r(*body, errors);
  auto village = r.DivisionCodeField("division_code", true);
  auto reason = r.String("reason", true);
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  auto appeal = ctx.services.assess.runs.LodgeAppeal(ctx.caller, *id, *village, *reason);
  if (!appeal.ok()) return Fail(appeal.status());
  return Created(services::AppealJson(*appeal),
                 fmt::format("/api/v1/assess/appeals/{}", appeal->id));
}

HttpResponse DecideAppeal(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  FieldErrors errors;
  FieldReader r(*body, errors);
  auto status = r.String("status", true);
  auto decision = r.String("decision");
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  if (*status != "upheld" && *status != "rejected")
    return Fail(Status::InvalidField("status", "must be upheld or rejected"));
  return Reply(
      ctx.services.assess.runs.DecideAppeal(ctx.caller, *id, *status, decision.value_or("")),
      services::AppealJson);
}

// ---- the table ----

const ParamDoc kPage{"page", "integer", "1-based page number (default 1)"};
const ParamDoc kPageSize100{"page_size", "integer", "items per page, 1-500 (default 100)"};
const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624100"};
const ParamDoc kYear{"year", "integer", "the assessment year, e.g. 2025 (default: every year)"};
const ParamDoc kFormat{"format", "string", "json (an array of objects, default) or csv"};
const ParamDoc kStars{"stars", "integer", "only villages with this many stars (1-5)"};
const ParamDoc kClass{"class", "string", "model | ordinary | weak_lax"};
const ParamDoc kWarnings{"warnings", "boolean", "only villages with an early warning"};
const ParamDoc kText{"q", "string", "village name contains"};
const ParamDoc kSort{"sort", "string", "rank (default) | code | change_probability"};
const ParamDoc kRun{"run", "integer", "only appeals against this run"};
const ParamDoc kAppealStatus{"status", "string", "pending | upheld | rejected"};

}  // namespace

std::vector<Route> AssessRoutes() {
  using A = Access;
  const std::vector<ParamDoc> evidence_list{kUnder, kYear, kPage, kPageSize100};
  // clang-format off
  return {
      {"GET", "/api/v1/assess/measures", A::kSession, GetMeasures,
       "The measures an indicator can score, with the dimensions and evidence sources", "assess",
       {}, "", 200, "MeasureCatalogue"},
      {"GET", "/api/v1/assess/indicator-sets", A::kSession, ListIndicatorSets,
       "Every version of every indicator set", "assess", {}, "", 200, "IndicatorSetSummaryList"},
      {"POST", "/api/v1/assess/indicator-sets", A::kSession, CreateIndicatorSet,
       "Store a set as the next version of its key (county/admin); CR >= 0.10 is a 409",
       "assess", {}, "IndicatorSet", 201, "IndicatorSet"},
      {"GET", "/api/v1/assess/indicator-sets/{id}", A::kSession, GetIndicatorSet,
       "One indicator set version", "assess", {}, "", 200, "IndicatorSet"},
      {"GET", "/api/v1/assess/default-indicator-set", A::kSession, GetDefaultIndicatorSet,
       "The default set as shipped (for the editor's reset)", "assess", {}, "", 200,
       "IndicatorSet"},
      {"POST", "/api/v1/assess/ahp-check", A::kSession, CheckAhp,
       "Weights and consistency of one pairwise matrix (no storage)", "assess", {}, "AhpMatrix",
       200, "AhpCheck"},
      {"GET", "/api/v1/assess/periodic-ratings", A::kSession, ListPeriodicRatings,
       "Quarterly ratings in scope", "assess-evidence", evidence_list, "", 200,
       "PeriodicRatingPage"},
      {"PUT", "/api/v1/villages/{code}/periodic-ratings/{period}", A::kSession, PutPeriodicRating,
       "Create or replace one quarter's rating of a village", "assess-evidence", {},
       "PeriodicRating", 200, "PeriodicRating"},
      {"GET", "/api/v1/assess/spot-checks", A::kSession, ListSpotChecks,
       "Spot-check findings in scope", "assess-evidence", evidence_list, "", 200,
       "SpotCheckPage"},
      {"POST", "/api/v1/assess/spot-checks", A::kSession, CreateSpotCheck,
       "Record a spot-check finding", "assess-evidence", {}, "SpotCheck", 201, "SpotCheck"},
      {"PUT", "/api/v1/assess/spot-checks/{id}", A::kSession, UpdateSpotCheck,
       "Replace a spot-check finding (e.g. mark it rectified)", "assess-evidence", {},
       "SpotCheck", 200, "SpotCheck"},
      {"DELETE", "/api/v1/assess/spot-checks/{id}", A::kSession, DeleteSpotCheck,
       "Delete a spot-check finding", "assess-evidence", {}, "", 204, ""},
      {"GET", "/api/v1/assess/duty-reports", A::kSession, ListDutyReports,
       "Annual duty-report evaluations in scope", "assess-evidence", evidence_list, "", 200,
       "DutyReportPage"},
      {"PUT", "/api/v1/villages/{code}/duty-reports/{year}", A::kSession, PutDutyReport,
       "Create or replace a village's duty-report evaluation of a year", "assess-evidence", {},
       "DutyReport", 200, "DutyReport"},
      {"GET", "/api/v1/assess/satisfaction-surveys", A::kSession, ListSurveys,
       "Satisfaction surveys in scope", "assess-evidence", evidence_list, "", 200,
       "SatisfactionSurveyPage"},
      {"PUT", "/api/v1/villages/{code}/satisfaction-surveys/{year}", A::kSession, PutSurvey,
       "Create or replace a village's satisfaction survey of a year", "assess-evidence", {},
       "SatisfactionSurvey", 200, "SatisfactionSurvey"},
      {"POST", "/api/v1/assess/evidence/{kind}/import", A::kSession, ImportEvidence,
       "Bulk import of one kind of evidence; the body is the file (JSON array or CSV); all or "
       "nothing", "assess-evidence", {kFormat}, "", 200, "ImportReport"},
      {"GET", "/api/v1/assess/runs", A::kSession, ListRuns,
       "Assessment runs in scope, newest first", "assess-runs", {kYear}, "", 200,
       "RunSummaryList"},
      {"POST", "/api/v1/assess/runs", A::kSession, StartRun,
       "Run an assessment on the database (county/admin); stored as a draft", "assess-runs", {},
       "RunRequest", 201, "RunSummary"},
      {"GET", "/api/v1/assess/runs/{id}", A::kSession, GetRun,
       "One run with its hashes and counts", "assess-runs", {}, "", 200, "RunSummary"},
      {"DELETE", "/api/v1/assess/runs/{id}", A::kSession, DeleteRun,
       "Delete a draft run", "assess-runs", {}, "", 204, ""},
      {"GET", "/api/v1/assess/runs/{id}/results", A::kSession, RunResults,
       "The run's village results, filtered and paged", "assess-runs",
       {kUnder, kStars, kClass, kWarnings, kText, kSort, kPage, kPageSize100}, "", 200,
       "RunVillagePage"},
      {"GET", "/api/v1/assess/runs/{id}/villages/{code}", A::kSession, ExplainVillage,
       "One village's result explained: lines, gaps, lifts, ranks, history", "assess-runs", {},
       "", 200, "RunExplanation"},
      {"GET", "/api/v1/assess/runs/{id}/both-ends", A::kSession, BothEnds,
       "Top and bottom tiers and the middle's distance to the next star, per township",
       "assess-runs", {kUnder}, "", 200, "BothEnds"},
      {"POST", "/api/v1/assess/runs/{id}/publish", A::kSession,
       RunAction<&AssessRunService::Publish>,
       "Publish a draft for its public-notice period (公示)", "assess-runs", {}, "", 200,
       "RunSummary"},
      {"POST", "/api/v1/assess/runs/{id}/finalize", A::kSession,
       RunAction<&AssessRunService::Finalize>,
       "Make a published run final once the notice is over and every appeal decided",
       "assess-runs", {}, "", 200, "RunSummary"},
      {"POST", "/api/v1/assess/runs/{id}/verify", A::kSession,
       RunAction<&AssessRunService::Verify>,
       "Recompute the run from its input snapshot and compare both hashes", "assess-runs", {},
       "", 200, "RunSummary"},
      {"GET", "/api/v1/assess/trend", A::kSession, Trend,
       "Published and final runs, one per year: stars, classes, mean score", "assess-runs",
       {kUnder}, "", 200, "TrendPointList"},
      {"GET", "/api/v1/assess/appeals", A::kSession, ListAppeals,
       "Appeals in scope", "assess-appeals", {kRun, kAppealStatus}, "", 200, "AppealList"},
      {"GET", "/api/v1/assess/appeals/{id}", A::kSession, GetAppeal,
       "One appeal", "assess-appeals", {}, "", 200, "Appeal"},
      {"POST", "/api/v1/assess/runs/{id}/appeals", A::kSession, LodgeAppeal,
       "Lodge an appeal for a village during the notice period", "assess-appeals", {},
       "AppealRequest", 201, "Appeal"},
      {"POST", "/api/v1/assess/appeals/{id}/decision", A::kSession, DecideAppeal,
       "Record the county's decision on an appeal", "assess-appeals", {}, "AppealDecision", 200,
       "Appeal"},
  };
  // clang-format on
}

}  // namespace qiangji::api

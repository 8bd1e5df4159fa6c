// Dispatch routes (双选派, issue 4): village needs, the county's cadre pool, and rounds of every
// role (draft -> preferences_open -> matched -> confirmed) with their preferences, results and
// the terms they start. Like assess_handlers.cc, a handler is parse -> one service call ->
// serialize, and every JSON shape comes from services/dispatch_json.h (shared with the CLI).
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "api/handler_util.h"
#include "api/problem.h"
#include "api/query.h"
#include "domain/dispatch.h"
#include "services/dispatch.h"
#include "services/dispatch_json.h"

namespace qiangji::api {

namespace json = boost::json;

namespace {

using services::DispatchRoundService;

template <typename T, typename F>
json::object ListJson(const std::vector<T>& list, F&& item) {
  return ItemsJson(list, std::forward<F>(item));
}

bool IsSkill(std::string_view s) {
  return std::find(std::begin(domain::kWorkSkills), std::end(domain::kWorkSkills), s) !=
         std::end(domain::kWorkSkills);
}

// A decimal query parameter within [min, max]; absent -> nullopt.
Result<std::optional<double>> NumberParam(const QueryParams& params, std::string_view name,
                                          double min, double max) {
  std::optional<std::string> text = params.Get(name);
  if (!text || text->empty()) return std::optional<double>();
  double v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max)
    return Status::InvalidField(std::string(name),
                                fmt::format("must be a number from {} to {}", min, max));
  return std::optional<double>(v);
}

// ---- needs ----

HttpResponse ListNeeds(RequestContext& ctx) {
  FieldErrors errors;
  services::NeedsQuery q;
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) {
    errors.Add("under", under.status().field_errors().front().message);
  } else {
    q.under = *under;
  }
  auto min_priority = NumberParam(ctx.query, "min_priority", 0, 100);
  if (!min_priority.ok()) {
    errors.Add("min_priority", min_priority.status().field_errors().front().message);
  } else {
    q.min_priority = min_priority->value_or(0);
  }
  auto without = ctx.query.Bool("without_first_secretary", false);
  if (!without.ok()) {
    errors.Add("without_first_secretary", without.status().field_errors().front().message);
  } else {
    q.without_first_secretary = *without;
  }
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.dispatch.needs.List(ctx.caller, q), services::NeedsReportJson);
}

// ---- the cadre pool ----

Result<services::CadreQuery> ParseCadreQuery(const QueryParams& params) {
  QJ_ASSIGN_OR_RETURN(services::ListQuery list, ParseListQuery(params));
  services::CadreQuery q;
  q.q = list.q;
  q.page = list.page;
  q.page_size = params.Get("page_size") ? list.page_size : 100;
  FieldErrors errors;
  q.kind = params.Get("kind").value_or("");
  if (!q.kind.empty() && !domain::Contains(domain::kPoolKinds, q.kind))
    errors.Add("kind", "must be cadre or worthy");
  q.skill = params.Get("skill").value_or("");
  if (!q.skill.empty() && !IsSkill(q.skill))
    errors.Add("skill", "must be one of the work skills (party_building, industry, ...)");
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

HttpResponse ListCadres(RequestContext& ctx) {
  auto q = ParseCadreQuery(ctx.query);
  if (!q.ok()) return Fail(q.status());
  return Reply(
      ctx.services.dispatch.pool.List(ctx.caller, *q),
      [](const services::Page<domain::Cadre>& p) { return PageJson(p, services::CadreJson); });
}

HttpResponse CreateCadre(RequestContext& ctx) {
  auto& pool = ctx.services.dispatch.pool;
  return CreateRecord(
      ctx, [](const json::object& o) { return services::CadreFromJson(o); },
      [&](const services::Caller& c, domain::Cadre r) { return pool.Create(c, std::move(r)); },
      services::CadreJson, "/api/v1/dispatch/cadres");
}

HttpResponse GetCadre(RequestContext& ctx) {
  auto& pool = ctx.services.dispatch.pool;
  return GetRecord(
      ctx, [&](const services::Caller& c, int64_t id) { return pool.Get(c, id); },
      services::CadreJson);
}

HttpResponse UpdateCadre(RequestContext& ctx) {
  auto& pool = ctx.services.dispatch.pool;
  return UpdateRecord(
      ctx, [](const json::object& o) { return services::CadreFromJson(o); },
      [&](const services::Caller& c, domain::Cadre r) { return pool.Update(c, std::move(r)); },
      services::CadreJson);
}

// The body is the file itself (a JSON array or CSV text), not a JSON object; all or nothing.
HttpResponse ImportCadres(RequestContext& ctx) {
  std::string kind = ctx.query.Get("kind").value_or("cadre");
  if (!domain::Contains(domain::kPoolKinds, kind))
    return Fail(Status::InvalidField("kind", "must be cadre or worthy"));
  auto format = ImportFormat(ctx);
  if (!format.ok()) return Fail(format.status());
  return Reply(ctx.services.dispatch.pool.Import(ctx.caller, *format, ctx.request.body, kind),
               [](int64_t created) {
                 return json::object{{"created", created}};
               });
}

// ---- rounds ----

HttpResponse ListRounds(RequestContext& ctx) {
  return Reply(ctx.services.dispatch.rounds.List(ctx.caller),
               [](const std::vector<domain::DispatchRound>& list) {
                 return ListJson(list, services::RoundJson);
               });
}

HttpResponse CreateRound(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto round = services::RoundFromJson(*body);
  if (!round.ok()) return Fail(round.status());
  round->id = 0;
  auto created = ctx.services.dispatch.rounds.Create(ctx.caller, std::move(*round));
  if (!created.ok()) return Fail(created.status());
  return Created(services::RoundJson(*created),
                 fmt::format("/api/v1/dispatch/rounds/{}", created->id));
}

HttpResponse GetRound(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.dispatch.rounds.Get(ctx.caller, *id), services::RoundJson);
}

HttpResponse DeleteRound(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  Status st = ctx.services.dispatch.rounds.Delete(ctx.caller, *id);
  if (!st.ok()) return Fail(st);
  return NoContent();
}

HttpResponse OpenRound(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.dispatch.rounds.Open(ctx.caller, *id), services::RoundJson);
}

// run / confirm / result: one call on one round, answered with the round's result.
template <Result<services::RoundResult> (DispatchRoundService::*Op)(const services::Caller&,
                                                                    int64_t)>
HttpResponse ResultAction(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply((ctx.services.dispatch.rounds.*Op)(ctx.caller, *id), services::RoundResultJson);
}

HttpResponse RoundCadres(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.dispatch.rounds.Cadres(ctx.caller, *id),
               [](const std::vector<services::RoundCadre>& list) {
                 return ListJson(list, services::RoundCadreJson);
               });
}

HttpResponse RoundVillages(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.dispatch.rounds.Villages(ctx.caller, *id),
               [](const std::vector<services::RoundVillage>& list) {
                 return ListJson(list, services::RoundVillageJson);
               });
}

// A PUT keyed by its path: a field the body leaves out comes from the path; one it gives must
// agree with the path (the path wins; a disagreement is a 400 naming the field).
Status FillFromPath(json::object& body, std::string_view key, const json::value& from_path) {
  json::value* v = body.if_contains(key);
  if (!v || v->is_null()) {
    body[key] = from_path;
    return Status::Ok();
  }
  if (*v == from_path) return Status::Ok();
  // A village may be named by its code as a number, a cadre by its id as a string.
  if (v->is_int64() && from_path.is_string() &&
      fmt::format("{:012d}", v->get_int64()) == std::string_view(from_path.get_string()))
    return Status::Ok();
  if (v->is_string() && from_path.is_int64() &&
      std::string_view(v->get_string()) == std::to_string(from_path.get_int64()))
    return Status::Ok();
  return Status::InvalidField(std::string(key), "must match the path");
}

// POST /dispatch/rounds/{id}/preferences/import?format=csv|json: the body is the table itself.
HttpResponse ImportPreferences(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto format = ImportFormat(ctx);
  if (!format.ok()) return Fail(format.status());
  return Reply(
      ctx.services.dispatch.rounds.ImportPreferences(ctx.caller, *id, *format, ctx.request.body),
      [](const services::PreferenceImportReport& r) {
        return json::object{{"lists", r.lists}, {"rows", r.rows}};
      });
}

// PUT /dispatch/rounds/{id}/preferences/{side}/{owner}: {owner} is a cadre id (side cadre) or
// the receiver (side village): a village's 12-digit code, or a circuit's or project's id in
// circuit and tracking rounds.
HttpResponse PutPreference(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  std::string_view side = ctx.Param("side");
  if (side != "cadre" && side != "village")
    return Fail(Status::InvalidField("side", "must be cadre or village"));
  // The round says what its receivers are (and answers 404 outside the caller's scope).
  auto round = ctx.services.dispatch.rounds.Get(ctx.caller, *id);
  if (!round.ok()) return Fail(round.status());
  const std::string receivers(services::ReceiverKindOfRole(round->role));
  json::value owner;
  if (side == "cadre" || receivers != "village") {
    auto number = IdParam(ctx, "owner");
    if (!number.ok()) return Fail(number.status());
    owner = *number;
  } else {
    auto code = DivisionCode::Parse(ctx.Param("owner"));
    if (!code.ok() || code->level() != DivisionLevel::kVillage)
      return Fail(Status::InvalidField("owner", "must be the 12-digit code of a village"));
    owner = json::value(code->ToString());
  }
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = FillFromPath(*body, "side", json::value(side)); !st.ok()) return Fail(st);
  if (Status st = FillFromPath(*body, "owner", owner); !st.ok()) return Fail(st);
  auto pref = services::PreferenceFromJson(*body, *id, receivers);
  if (!pref.ok()) return Fail(pref.status());
  return Reply(
      ctx.services.dispatch.rounds.PutPreference(ctx.caller, std::move(*pref)),
      [&receivers](const domain::Preference& p) { return services::PreferenceJson(p, receivers); });
}

// ---- terms ----

HttpResponse ListTerms(RequestContext& ctx) {
  auto days = ctx.query.Int("days", 0, 3660);
  if (!days.ok()) return Fail(days.status());
  return Reply(ctx.services.dispatch.rounds.Terms(ctx.caller, static_cast<int>(days->value_or(90))),
               [](const std::vector<services::FirstSecretaryTerm>& list) {
                 return ListJson(list, services::FirstSecretaryTermJson);
               });
}

// ---- the table ----

const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624100"};
const ParamDoc kMinPriority{"min_priority", "number",
                            "only villages with at least this priority (0-100)"};
const ParamDoc kWithoutFs{"without_first_secretary", "boolean",
                          "only villages with no current first secretary"};
const ParamDoc kPoolKind{"kind", "string", "cadre (干部) or worthy (乡贤); default both"};
const ParamDoc kImportKind{"kind", "string",
                           "the kind of rows without a kind column: cadre (default) or worthy"};
const ParamDoc kText{"q", "string", "name or sending unit contains"};
const ParamDoc kSkill{"skill", "string", "only cadres with this skill, e.g. agronomy"};
const ParamDoc kAvailable{"available", "boolean", "only available (true) or unavailable cadres"};
const ParamDoc kPage{"page", "integer", "1-based page number (default 1)"};
const ParamDoc kPageSize100{"page_size", "integer", "items per page, 1-500 (default 100)"};
const ParamDoc kFormat{"format", "string", "json (an array of objects, default) or csv"};
const ParamDoc kDays{"days", "integer", "flag terms ending within this many days (default 90)"};

}  // namespace

std::vector<Route> DispatchRoutes() {
  using A = Access;
  using R = DispatchRoundService;
  // clang-format off
  return {
      {"GET", "/api/v1/dispatch/needs", A::kSession, ListNeeds,
       "Each village's needs with reasons and priority, highest first, and totals by township",
       "dispatch", {kUnder, kMinPriority, kWithoutFs}, "", 200, "NeedsReport"},
      {"GET", "/api/v1/dispatch/cadres", A::kSession, ListCadres,
       "The county's pool of cadres and local worthies (masked)", "dispatch-pool",
       {kPoolKind, kText, kSkill, kAvailable, kPage, kPageSize100}, "", 200, "CadrePage"},
      {"POST", "/api/v1/dispatch/cadres", A::kSession, CreateCadre,
       "Add a cadre to the pool (county/admin; plain id_number in, masked out)", "dispatch-pool",
       {}, "Cadre", 201, "Cadre"},
      {"POST", "/api/v1/dispatch/cadres/import", A::kSession, ImportCadres,
       "Bulk import of cadres; the body is the file (JSON array or CSV); all or nothing",
       "dispatch-pool", {kFormat, kImportKind}, "", 200, "CadreImportReport"},
      {"GET", "/api/v1/dispatch/cadres/{id}", A::kSession, GetCadre,
       "One cadre of the pool (masked)", "dispatch-pool", {}, "", 200, "Cadre"},
      {"PUT", "/api/v1/dispatch/cadres/{id}", A::kSession, UpdateCadre,
       "Replace a cadre's record (county/admin)", "dispatch-pool", {}, "Cadre", 200, "Cadre"},
      {"GET", "/api/v1/dispatch/rounds", A::kSession, ListRounds,
       "Dispatch rounds in scope, newest first", "dispatch-rounds", {}, "", 200,
       "DispatchRoundList"},
      {"POST", "/api/v1/dispatch/rounds", A::kSession, CreateRound,
       "Create a round as a draft (county/admin)", "dispatch-rounds", {}, "DispatchRound", 201,
       "DispatchRound"},
      {"GET", "/api/v1/dispatch/rounds/{id}", A::kSession, GetRound,
       "One round", "dispatch-rounds", {}, "", 200, "DispatchRound"},
      {"DELETE", "/api/v1/dispatch/rounds/{id}", A::kSession, DeleteRound,
       "Delete a draft round", "dispatch-rounds", {}, "", 204, ""},
      {"POST", "/api/v1/dispatch/rounds/{id}/open", A::kSession, OpenRound,
       "Open a draft for preferences: snapshot its people and receivers (villages, circuits or"
       " projects, by role)",
       "dispatch-rounds", {}, "", 200, "DispatchRound"},
      {"POST", "/api/v1/dispatch/rounds/{id}/run", A::kSession, ResultAction<&R::Run>,
       "Match the round (derive missing lists, solve, certify stability); rerun while matched",
       "dispatch-rounds", {}, "", 200, "RoundResult"},
      {"POST", "/api/v1/dispatch/rounds/{id}/confirm", A::kSession, ResultAction<&R::Confirm>,
       "Confirm a matched round: appoint posts of the role's kind (first secretary, instructor,"
       " advisor) with start and end dates",
       "dispatch-rounds", {}, "", 200, "RoundResult"},
      {"GET", "/api/v1/dispatch/rounds/{id}/result", A::kSession, ResultAction<&R::GetResult>,
       "The stored result with certificate, explanations and unmatched reasons",
       "dispatch-rounds", {}, "", 200, "RoundResult"},
      {"GET", "/api/v1/dispatch/rounds/{id}/cadres", A::kSession, RoundCadres,
       "The round's cadres with their lists", "dispatch-rounds", {}, "", 200, "RoundCadreList"},
      {"GET", "/api/v1/dispatch/rounds/{id}/villages", A::kSession, RoundVillages,
       "The round's receivers in scope (villages, circuits or projects) with needs, seats and"
       " lists", "dispatch-rounds", {},
       "", 200, "RoundVillageList"},
      {"POST", "/api/v1/dispatch/rounds/{id}/preferences/import", A::kSession,
       ImportPreferences,
       "Many ranked lists at once: a CSV or JSON table of side, owner, rank, member; each list"
       " in it replaces that owner's list; all or nothing",
       "dispatch-rounds", {kFormat}, "", 200, "PreferenceImportReport"},
      {"PUT", "/api/v1/dispatch/rounds/{id}/preferences/{side}/{owner}", A::kSession,
       PutPreference,
       "Submit one participant's ranked list (tiers, best first) while preferences are open",
       "dispatch-rounds", {}, "PreferenceRequest", 200, "Preference"},
      {"GET", "/api/v1/dispatch/terms", A::kSession, ListTerms,
       "Sent posts in scope (first secretaries, instructors, advisors), newest first, flagged"
       " when ending soon", "dispatch",
       {kDays}, "", 200, "FirstSecretaryTermList"},
  };
  // clang-format on
}

}  // namespace qiangji::api

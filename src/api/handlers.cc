// The route table and its handlers. A handler is parse -> one service call -> serialize; the
// checks every route shares (session, CSRF, 404/405) happen once, in Api::HandleApi, driven by
// the table's Access column.
#include <charconv>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "api/api.h"
#include "api/codec.h"
#include "api/handler_util.h"
#include "api/openapi.h"
#include "api/problem.h"
#include "api/query.h"

#ifndef QIANGJI_VERSION
#define QIANGJI_VERSION "0.0.0"
#endif

namespace qiangji::api {

namespace json = boost::json;

namespace {

// ---- meta and auth ----

HttpResponse GetMeta(RequestContext& ctx) {
  return Reply(ctx.services.meta.Get(),
               [](const services::Meta& m) { return MetaJson(m, ApiVersion()); });
}

HttpResponse GetOpenApi(RequestContext& ctx) {
  HttpResponse res;
  res.body = ctx.openapi;
  return res;
}

HttpResponse Login(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  auto form = LoginFromJson(*body);
  if (!form.ok()) return ProblemFromStatus(form.status());
  auto session = ctx.services.auth.Login(form->username, form->password, ctx.request.client_ip);
  if (!session.ok()) return ProblemFromStatus(session.status());
  HttpResponse res = Json(200, SessionJson(*session));
  res.AddHeader("Set-Cookie", SessionCookie(session->token,
                                            std::max<int64_t>(0, session->expires_at - UnixNow())));
  return res;
}

HttpResponse Logout(RequestContext& ctx) {
  Status st = ctx.services.auth.Logout(ctx.session->token);
  if (!st.ok()) return ProblemFromStatus(st);
  HttpResponse res = NoContent();
  res.AddHeader("Set-Cookie", ClearedSessionCookie());
  return res;
}

HttpResponse Me(RequestContext& ctx) { return Json(200, SessionJson(*ctx.session)); }

// ---- divisions and villages ----

HttpResponse ListDivisions(RequestContext& ctx) {
  auto parent = ctx.query.DivisionPrefix("parent");
  if (!parent.ok()) return ProblemFromStatus(parent.status());
  return Reply(ctx.services.divisions.Children(ctx.caller, *parent),
               [](const std::vector<services::DivisionNode>& nodes) {
                 return ItemsJson(nodes, DivisionNodeJson);
               });
}

HttpResponse GetDivision(RequestContext& ctx) {
  auto code = CodeParam(ctx, false);
  if (!code.ok()) return ProblemFromStatus(code.status());
  return Reply(ctx.services.divisions.Get(ctx.caller, code->ToString()), DivisionJson);
}

HttpResponse ListVillages(RequestContext& ctx) {
  auto q = ParseListQuery(ctx.query);
  if (!q.ok()) return ProblemFromStatus(q.status());
  return Reply(ctx.services.villages.List(ctx.caller, *q),
               [](const services::Page<services::VillageSummary>& p) {
                 return PageJson(p, VillageSummaryJson);
               });
}

HttpResponse GetVillage(RequestContext& ctx) {
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return ProblemFromStatus(code.status());
  return Reply(ctx.services.villages.Get(ctx.caller, code->ToString()), VillageDetailJson);
}

HttpResponse PutVillage(RequestContext& ctx) {
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return ProblemFromStatus(code.status());
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  auto village = VillageFromJson(*body);
  if (!village.ok()) return ProblemFromStatus(village.status());
  if (village->division_code != 0 && village->division_code != code->value())
    return ProblemFromStatus(
        Status::InvalidField("division_code", "must match the code in the path"));
  village->division_code = code->value();
  return Reply(ctx.services.villages.Put(ctx.caller, std::move(*village)), VillageJson);
}

HttpResponse TwoCommittees(RequestContext& ctx) {
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return ProblemFromStatus(code.status());
  return Reply(
      ctx.services.posts.TwoCommittees(ctx.caller, code->ToString()),
      [](const std::vector<services::PostView>& posts) { return ItemsJson(posts, PostJson); });
}

// ---- party organizations ----

HttpResponse ListPartyOrgs(RequestContext& ctx) {
  auto q = ParseListQuery(ctx.query);
  if (!q.ok()) return ProblemFromStatus(q.status());
  return Reply(ctx.services.party_orgs.List(ctx.caller, *q),
               [](const services::Page<domain::PartyOrg>& p) { return PageJson(p, PartyOrgJson); });
}

HttpResponse CreatePartyOrg(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  auto org = PartyOrgFromJson(*body);
  if (!org.ok()) return ProblemFromStatus(org.status());
  org->id = 0;
  auto created = ctx.services.party_orgs.Create(ctx.caller, std::move(*org));
  if (!created.ok()) return ProblemFromStatus(created.status());
  return Created(PartyOrgJson(*created), fmt::format("/api/v1/party-orgs/{}", created->id));
}

HttpResponse GetPartyOrg(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  return Reply(ctx.services.party_orgs.Get(ctx.caller, *id), PartyOrgJson);
}

HttpResponse UpdatePartyOrg(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return ProblemFromStatus(st);
  auto org = PartyOrgFromJson(*body);
  if (!org.ok()) return ProblemFromStatus(org.status());
  org->id = *id;
  return Reply(ctx.services.party_orgs.Update(ctx.caller, std::move(*org)), PartyOrgJson);
}

HttpResponse DeletePartyOrg(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  Status st = ctx.services.party_orgs.Delete(ctx.caller, *id);
  if (!st.ok()) return ProblemFromStatus(st);
  return NoContent();
}

// ---- people ----

HttpResponse ListPeople(RequestContext& ctx) {
  auto q = ParseListQuery(ctx.query);
  if (!q.ok()) return ProblemFromStatus(q.status());
  return Reply(
      ctx.services.people.List(ctx.caller, *q),
      [](const services::Page<services::PersonView>& p) { return PageJson(p, PersonJson); });
}

HttpResponse CreatePerson(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  auto person = PersonFromJson(*body);
  if (!person.ok()) return ProblemFromStatus(person.status());
  person->id = 0;
  auto created = ctx.services.people.Create(ctx.caller, std::move(*person));
  if (!created.ok()) return ProblemFromStatus(created.status());
  return Created(PersonJson(*created), fmt::format("/api/v1/people/{}", created->person.id));
}

HttpResponse GetPerson(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  auto reveal = ctx.query.Bool("reveal", false);
  if (!reveal.ok()) return ProblemFromStatus(reveal.status());
  return Reply(ctx.services.people.Get(ctx.caller, *id, *reveal), PersonJson);
}

HttpResponse UpdatePerson(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return ProblemFromStatus(st);
  auto person = PersonFromJson(*body);
  if (!person.ok()) return ProblemFromStatus(person.status());
  person->id = *id;
  return Reply(ctx.services.people.Update(ctx.caller, std::move(*person)), PersonJson);
}

HttpResponse PersonPosts(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  return Reply(
      ctx.services.people.PostHistory(ctx.caller, *id),
      [](const std::vector<services::PostView>& posts) { return ItemsJson(posts, PostJson); });
}

// ---- posts ----

HttpResponse ListPosts(RequestContext& ctx) {
  services::PostQuery q;
  auto list = ParseListQuery(ctx.query);
  if (!list.ok()) return ProblemFromStatus(list.status());
  q.list = *list;
  q.kind = ctx.query.Get("kind").value_or("");
  if (!q.kind.empty() && !domain::Contains(domain::kPostKinds, q.kind))
    return ProblemFromStatus(Status::InvalidField("kind", "is not a post kind"));
  auto current = ctx.query.Bool("current", false);
  if (!current.ok()) return ProblemFromStatus(current.status());
  q.current_only = *current;
  return Reply(ctx.services.posts.List(ctx.caller, q),
               [](const services::Page<services::PostView>& p) { return PageJson(p, PostJson); });
}

HttpResponse GetPost(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  return Reply(ctx.services.posts.Get(ctx.caller, *id), PostJson);
}

HttpResponse CreatePost(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  auto post = PostFromJson(*body);
  if (!post.ok()) return ProblemFromStatus(post.status());
  post->id = 0;
  auto created = ctx.services.posts.Create(ctx.caller, std::move(*post));
  if (!created.ok()) return ProblemFromStatus(created.status());
  return Created(PostJson(*created), fmt::format("/api/v1/posts/{}", created->post.id));
}

HttpResponse UpdatePost(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return ProblemFromStatus(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return ProblemFromStatus(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return ProblemFromStatus(st);
  auto post = PostFromJson(*body);
  if (!post.ok()) return ProblemFromStatus(post.status());
  post->id = *id;
  return Reply(ctx.services.posts.Update(ctx.caller, std::move(*post)), PostJson);
}

// ---- overview and audit ----

HttpResponse GetOverview(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return ProblemFromStatus(under.status());
  return Reply(ctx.services.overview.Get(ctx.caller, *under), OverviewJson);
}

HttpResponse ListAudit(RequestContext& ctx) {
  services::AuditQuery q;
  auto list = ParseListQuery(ctx.query);
  if (!list.ok()) return ProblemFromStatus(list.status());
  q.list = *list;
  q.action = ctx.query.Get("action").value_or("");
  q.username = ctx.query.Get("username").value_or("");
  return Reply(
      ctx.services.audit.List(ctx.caller, q),
      [](const services::Page<services::AuditEntry>& p) { return PageJson(p, AuditEntryJson); });
}

// ---- the table ----

const ParamDoc kPage{"page", "integer", "1-based page number (default 1)"};
const ParamDoc kPageSize{"page_size", "integer", "items per page, 1-500 (default 50)"};
const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624"};
const ParamDoc kText{"q", "string", "text search"};
const ParamDoc kParent{"parent", "string", "division prefix whose children to list"};
const ParamDoc kReveal{"reveal", "boolean", "show the full ID number and phone (audited)"};
const ParamDoc kKind{"kind", "string", "post kind, e.g. party_secretary"};
const ParamDoc kCurrent{"current", "boolean", "only posts without an end date"};
const ParamDoc kAction{"action", "string", "e.g. person.create"};
const ParamDoc kUsername{"username", "string", "who did it"};

std::vector<ParamDoc> ListParams(std::initializer_list<ParamDoc> more = {}) {
  std::vector<ParamDoc> out{kPage, kPageSize, kUnder, kText};
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

std::vector<Route> BuildRoutes() {
  using A = Access;
  // {method, pattern, access, handler,
  //  summary, tag,
  //  query parameters, request schema, success status, response schema}
  // clang-format off
  std::vector<Route> routes = {
      {"GET", "/api/v1/meta", A::kPublic, GetMeta,
       "Product name, version and demo flag", "meta", {}, "", 200, "Meta"},
      {"GET", "/api/v1/openapi.json", A::kPublic, GetOpenApi,
       "This OpenAPI document", "meta", {}, "", 200, ""},
      {"POST", "/api/v1/auth/login", A::kLogin, Login,
       "Sign in; sets the qj_session cookie and returns the CSRF token", "auth",
       {}, "LoginRequest", 200, "SessionInfo"},
      {"POST", "/api/v1/auth/logout", A::kSession, Logout,
       "End the session and clear the cookie", "auth", {}, "", 204, ""},
      {"GET", "/api/v1/auth/me", A::kSession, Me,
       "The signed-in user and the CSRF token", "auth", {}, "", 200, "SessionInfo"},
      {"GET", "/api/v1/divisions", A::kSession, ListDivisions,
       "Children of a division (the caller's scope roots when no parent)", "divisions",
       {kParent}, "", 200, "DivisionNodeList"},
      {"GET", "/api/v1/divisions/{code}", A::kSession, GetDivision,
       "One division", "divisions", {}, "", 200, "Division"},
      {"GET", "/api/v1/villages", A::kSession, ListVillages,
       "Village-level units in scope", "villages", ListParams(), "", 200, "VillageSummaryPage"},
      {"GET", "/api/v1/villages/{code}", A::kSession, GetVillage,
       "A village with its Party organizations, two committees and vacancies", "villages",
       {}, "", 200, "VillageDetail"},
      {"PUT", "/api/v1/villages/{code}", A::kSession, PutVillage,
       "Create or replace a village's attributes", "villages", {}, "Village", 200, "Village"},
      {"GET", "/api/v1/villages/{code}/two-committees", A::kSession, TwoCommittees,
       "The current two-committee line-up of a village", "villages", {}, "", 200, "PostList"},
      {"GET", "/api/v1/party-orgs", A::kSession, ListPartyOrgs,
       "Party organizations in scope", "party-orgs", ListParams(), "", 200, "PartyOrgPage"},
      {"POST", "/api/v1/party-orgs", A::kSession, CreatePartyOrg,
       "Create a Party organization", "party-orgs", {}, "PartyOrg", 201, "PartyOrg"},
      {"GET", "/api/v1/party-orgs/{id}", A::kSession, GetPartyOrg,
       "One Party organization", "party-orgs", {}, "", 200, "PartyOrg"},
      {"PUT", "/api/v1/party-orgs/{id}", A::kSession, UpdatePartyOrg,
       "Replace a Party organization", "party-orgs", {}, "PartyOrg", 200, "PartyOrg"},
      {"DELETE", "/api/v1/party-orgs/{id}", A::kSession, DeletePartyOrg,
       "Delete a Party organization", "party-orgs", {}, "", 204, ""},
      {"GET", "/api/v1/people", A::kSession, ListPeople,
       "People in scope (masked); q matches a name or an exact ID number", "people",
       ListParams(), "", 200, "PersonPage"},
      {"POST", "/api/v1/people", A::kSession, CreatePerson,
       "Create a person (plain id_number in, masked out)", "people", {}, "Person", 201, "Person"},
      {"GET", "/api/v1/people/{id}", A::kSession, GetPerson,
       "One person; reveal=true (admin, county) shows full ID number and phone, audited", "people",
       {kReveal}, "", 200, "Person"},
      {"PUT", "/api/v1/people/{id}", A::kSession, UpdatePerson,
       "Replace a person's record (a masked id_number or phone keeps the stored one)", "people",
       {}, "Person", 200, "Person"},
      {"GET", "/api/v1/people/{id}/posts", A::kSession, PersonPosts,
       "A person's post history, newest first", "people", {}, "", 200, "PostList"},
      {"GET", "/api/v1/posts", A::kSession, ListPosts,
       "Posts in scope", "posts",
       ListParams({kKind, kCurrent}), "", 200, "PostPage"},
      {"POST", "/api/v1/posts", A::kSession, CreatePost,
       "Appoint a person to a post", "posts", {}, "Post", 201, "Post"},
      {"GET", "/api/v1/posts/{id}", A::kSession, GetPost,
       "One post", "posts", {}, "", 200, "Post"},
      {"PUT", "/api/v1/posts/{id}", A::kSession, UpdatePost,
       "Change a post (e.g. set end_date)", "posts", {}, "Post", 200, "Post"},
      {"GET", "/api/v1/overview", A::kSession, GetOverview,
       "Dashboard figures for a division", "overview", {kUnder}, "", 200, "Overview"},
      {"GET", "/api/v1/audit", A::kSession, ListAudit,
       "The audit log (admin only)", "audit",
       ListParams({kAction, kUsername}), "", 200, "AuditEntryPage"},
  };
  // clang-format on
  std::vector<Route> assess = AssessRoutes();  // assess_handlers.cc
  routes.insert(routes.end(), assess.begin(), assess.end());
  std::vector<Route> dispatch = DispatchRoutes();  // dispatch_handlers.cc
  routes.insert(routes.end(), dispatch.begin(), dispatch.end());
  std::vector<Route> pairing = PairingRoutes();  // pairing_handlers.cc
  routes.insert(routes.end(), pairing.begin(), pairing.end());
  std::vector<Route> projects = ProjectRoutes();  // project_handlers.cc
  routes.insert(routes.end(), projects.begin(), projects.end());
  std::vector<Route> economy = EconomyRoutes();  // economy_handlers.cc
  routes.insert(routes.end(), economy.begin(), economy.end());
  std::vector<Route> linkage = LinkageRoutes();  // linkage_handlers.cc
  routes.insert(routes.end(), linkage.begin(), linkage.end());
  std::vector<Route> cultivation = CultivationRoutes();  // cultivation_handlers.cc
  routes.insert(routes.end(), cultivation.begin(), cultivation.end());
  return routes;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::span<const Route> ApiRoutes() {
  static const std::vector<Route> routes = BuildRoutes();
  return routes;
}

std::string_view ApiVersion() { return QIANGJI_VERSION; }

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string_view value = pair.substr(eq + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return {};
}

std::string SessionCookie(std::string_view token, int64_t max_age_seconds) {
  return fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}", kSessionCookie, token,
                     max_age_seconds);
}

std::string ClearedSessionCookie() {
  return fmt::format("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0", kSessionCookie);
}

Api::Api(services::Services& services, ApiOptions options)
    : services_(services),
      options_(std::move(options)),
      static_files_(options_.web_dir),
      openapi_(json::serialize(BuildOpenApi(ApiRoutes(), ApiVersion()))) {}

HttpResponse Api::Handle(const HttpRequest& request) const {
  try {
    std::string_view path = request.Path();
    HttpResponse res;
    if (path.starts_with(kApiPrefix) || path == "/api") {
      res = HandleApi(request);
      res.AddHeader("Cache-Control", "no-store");
    } else {
      res = static_files_.Serve(request.method, path);
    }
    return res;
  } catch (const std::exception& e) {
    return ProblemFromStatus(Status::Internal(fmt::format("unhandled exception: {}", e.what())));
  } catch (...) {
    return ProblemFromStatus(Status::Internal("unhandled exception"));
  }
}

HttpResponse Api::HandleApi(const HttpRequest& request) const {
  RouteMatch match = MatchRoute(ApiRoutes(), request.method, request.Path());
  if (!match.route) {
    if (match.allowed.empty()) {
      return Problem(404, "not-found", "Not found",
                     fmt::format("no route for {}", std::string(request.Path())));
    }
    HttpResponse res = Problem(405, "method-not-allowed", "Method not allowed",
                               fmt::format("{} is not allowed here", request.method));
    std::string allow;
    for (std::string_view m : match.allowed) allow += (allow.empty() ? "" : ", ") + std::string(m);
    res.AddHeader("Allow", allow);
    return res;
  }
  // Who is asking comes first: without a session nothing else about the request is judged.
  const Route& route = *match.route;
  // Public routes get a caller that may see and do nothing, never the all-powerful default.
  services::Caller caller;
  caller.username = "anonymous";
  caller.role = domain::Role::kViewer;
  caller.scope = DivisionRange{1, 0};
  caller.scope_prefix = "-";
  std::optional<services::Session> session;
  if (route.access == Access::kSession) {
    const std::string token = CookieValue(request.cookie, kSessionCookie);
    if (token.empty()) return ProblemFromStatus(Status::Unauthenticated("sign in first"));
    auto auth = services_.auth.Authenticate(token);
    if (!auth.ok()) {
      HttpResponse res = ProblemFromStatus(auth.status());
      if (auth.status().code() == StatusCode::kUnauthenticated)
        res.AddHeader("Set-Cookie", ClearedSessionCookie());
      return res;
    }
    caller = std::move(auth->first);
    session = std::move(auth->second);
    if (IsWriteMethod(request.method) &&
        (request.csrf_token.empty() ||
         !ConstantTimeEquals(request.csrf_token, session->csrf_token))) {
      return Problem(403, "csrf", "CSRF token missing or wrong",
                     "send the session's csrf_token in the X-CSRF-Token header");
    }
  }
  caller.client_ip = request.client_ip;
  auto query = QueryParams::Parse(request.Query());
  if (!query.ok()) return ProblemFromStatus(query.status());
  RequestContext ctx{services_, request,           match.params,      *query,
                     openapi_,  std::move(caller), std::move(session)};
  return route.handler(ctx);
}

}  // namespace qiangji::api

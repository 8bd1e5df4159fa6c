// Village project routes (issue 4 point 5: the long projects a tracking instructor follows).
// parse -> one ProjectService call -> serialize; the JSON shape is services/project_json.h.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "api/handler_util.h"
#include "api/problem.h"
#include "api/query.h"
#include "domain/dispatch.h"
#include "services/dispatch.h"
#include "services/project_json.h"

namespace qiangji::api {

namespace json = boost::json;

namespace {

json::object ProjectListJson(const std::vector<domain::Project>& list) {
  return ItemsJson(list, services::ProjectJson);
}

HttpResponse ListProjects(RequestContext& ctx) {
  FieldErrors errors;
  services::ProjectQuery q;
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) {
    errors.Add("under", under.status().field_errors().front().message);
  } else {
    q.under = *under;
  }
  q.status = ctx.query.Get("status").value_or("");
  if (!q.status.empty() && !domain::Contains(domain::kProjectStatuses, q.status))
    errors.Add("status", "must be planned, underway, done or stopped");
  q.work_type = ctx.query.Get("work_type").value_or("");
  if (!q.work_type.empty() && !domain::Contains(domain::kWorkSkills, q.work_type))
    errors.Add("work_type", "must be one of the work types (party_building, industry, ...)");
  if (Status st = errors.ToStatus(); !st.ok()) return Fail(st);
  return Reply(ctx.services.dispatch.projects.List(ctx.caller, q), ProjectListJson);
}

HttpResponse CreateProject(RequestContext& ctx) {
  auto& projects = ctx.services.dispatch.projects;
  return CreateRecord(
      ctx, services::ProjectFromJson,
      [&](const services::Caller& c, domain::Project r) {
        return projects.Create(c, std::move(r));
      },
      services::ProjectJson, "/api/v1/projects");
}

HttpResponse GetProject(RequestContext& ctx) {
  auto& projects = ctx.services.dispatch.projects;
  return GetRecord(
      ctx, [&](const services::Caller& c, int64_t id) { return projects.Get(c, id); },
      services::ProjectJson);
}

HttpResponse UpdateProject(RequestContext& ctx) {
  auto& projects = ctx.services.dispatch.projects;
  return UpdateRecord(
      ctx, services::ProjectFromJson,
      [&](const services::Caller& c, domain::Project r) {
        return projects.Update(c, std::move(r));
      },
      services::ProjectJson);
}

const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624100"};
const ParamDoc kStatus{"status", "string", "planned, underway, done or stopped"};
const ParamDoc kWorkType{"work_type", "string", "only projects of this work type, e.g. industry"};

}  // namespace

std::vector<Route> ProjectRoutes() {
  using A = Access;
  // clang-format off
  return {
      {"GET", "/api/v1/projects", A::kSession, ListProjects,
       "Village projects in scope (tracking instructors follow one from start to end)",
       "projects", {kUnder, kStatus, kWorkType}, "", 200, "ProjectList"},
      {"POST", "/api/v1/projects", A::kSession, CreateProject,
       "Add a village's project (county, township, admin; the village in scope)", "projects",
       {}, "Project", 201, "Project"},
      {"GET", "/api/v1/projects/{id}", A::kSession, GetProject,
       "One project", "projects", {}, "", 200, "Project"},
      {"PUT", "/api/v1/projects/{id}", A::kSession, UpdateProject,
       "Replace a project's record (county, township, admin)", "projects", {}, "Project", 200,
       "Project"},
  };
  // clang-format on
}

}  // namespace qiangji::api

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

HttpResponse Fail(const Status& st) { return ProblemFromStatus(st); }

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
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto project = services::ProjectFromJson(*body);
  if (!project.ok()) return Fail(project.status());
  auto created = ctx.services.dispatch.projects.Create(ctx.caller, std::move(*project));
  if (!created.ok()) return Fail(created.status());
  return Created(services::ProjectJson(*created), fmt::format("/api/v1/projects/{}", created->id));
}

HttpResponse GetProject(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(ctx.services.dispatch.projects.Get(ctx.caller, *id), services::ProjectJson);
}

HttpResponse UpdateProject(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return Fail(st);
  auto project = services::ProjectFromJson(*body);
  if (!project.ok()) return Fail(project.status());
  project->id = *id;
  return Reply(ctx.services.dispatch.projects.Update(ctx.caller, std::move(*project)),
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

// Village projects (construction, industry, revitalization) that a tracking instructor follows
// from start to end (跟踪指导, issue 4 point 5). A project belongs to one village-level division:
// everyone whose scope holds the village reads it; county, township and admin users create and
// edit it within their scope (village staff and viewers read only). A project outside the
// caller's scope answers NotFound exactly like a missing one. Every write is one transaction
// with its audit row (before/after in the API's shape).
//
// Once a tracking round has taken a project up (round_project), its village is fixed: the round
// snapshotted the village's need, and its assignment names the village.
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "services/dispatch.h"
#include "services/internal.h"
#include "services/project_json.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kProjectSelect =
    "SELECT p.id, p.division_code, p.name, p.work_type, p.start_date, p.end_date, p.status,"
    " p.description, p.updated_at, d.name, t.code, t.name"
    " FROM project p JOIN division d ON d.code = p.division_code"
    " LEFT JOIN division t ON t.code = d.parent_code";

domain::Project ProjectFromRow(const Row& r) {
  domain::Project p;
  p.id = r.Int(0);
  p.division_code = r.Int(1);
  p.name = r.Text(2);
  p.work_type = r.Text(3);
  p.start_date = RequiredDate(r, 4);
  p.end_date = RequiredDate(r, 5);
  p.status = r.Text(6);
  p.description = r.Text(7);
  p.updated_at = r.Text(8);
  p.village_name = r.Text(9);
  p.township_code = r.IsNull(10) ? 0 : r.Int(10);
  p.township_name = r.IsNull(11) ? "" : r.Text(11);
  return p;
}

std::string Missing(int64_t id) { return fmt::format("project {} not found", id); }

Status RequireProjectWriter(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role == domain::Role::kVillage)
    return Status::PermissionDenied("only county, township and admin users manage projects");
  return Status::Ok();
}

// The project by id, NotFound when absent or its village is outside the caller's scope.
Result<domain::Project> LoadInScope(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kProjectSelect) + " WHERE p.id = ?", {Value(id)}));
  if (rows.empty()) return Status::NotFound(Missing(id));
  domain::Project p = ProjectFromRow(rows[0]);
  if (!caller.InScope(p.division_code)) return Status::NotFound(Missing(id));
  return p;
}

// The project's village: registered, in scope (NotFound otherwise) and village-level. Fills the
// display names.
Status CheckVillage(Database& db, const Caller& caller, domain::Project& p) {
  QJ_ASSIGN_OR_RETURN(domain::Division village,
                      DivisionInScope(db, caller, p.division_code,
                                      fmt::format("village {:012d}", p.division_code)));
  if (village.level != DivisionLevel::kVillage)
    return Status::InvalidField(
        "division_code", fmt::format("{:012d} ({}) is not a village", village.code, village.name));
  p.village_name = village.name;
  p.township_code = village.parent_code;
  p.township_name.clear();
  if (village.parent_code != 0) {
    auto township = LoadDivision(db, village.parent_code);
    if (township.ok()) p.township_name = township->name;
  }
  return Status::Ok();
}

Status ValidateQuery(const ProjectQuery& q) {
  FieldErrors errors;
  if (!q.status.empty() && !domain::Contains(domain::kProjectStatuses, q.status))
    errors.Add("status",
               fmt::format("\"{}\" must be planned, underway, done or stopped", q.status));
  if (!q.work_type.empty() && !domain::Contains(domain::kWorkSkills, q.work_type))
    errors.Add("work_type", fmt::format("\"{}\" is not a work type", q.work_type));
  return errors.ToStatus();
}

}  // namespace

Result<std::vector<domain::Project>> ProjectService::List(const Caller& caller,
                                                          const ProjectQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateQuery(q));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  std::string where = " WHERE p.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (!q.status.empty()) {
    where += " AND p.status = ?";
    params.emplace_back(q.status);
  }
  if (!q.work_type.empty()) {
    where += " AND p.work_type = ?";
    params.emplace_back(q.work_type);
  }
  std::vector<domain::Project> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kProjectSelect) + where +
                                                 " ORDER BY p.division_code, p.start_date, p.id",
                                             params));
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(ProjectFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<domain::Project> ProjectService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::optional<domain::Project> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, LoadInScope(*db, caller, id));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Project> ProjectService::Create(const Caller& caller, domain::Project project) {
  QJ_RETURN_IF_ERROR(RequireProjectWriter(caller));
  project.id = 0;
  QJ_RETURN_IF_ERROR(domain::ValidateProject(project));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckVillage(*db, caller, project));
    const std::string now = NowUtc();
    QJ_ASSIGN_OR_RETURN(
        auto inserted,
        db->Query("INSERT INTO project (division_code, name, work_type, start_date, end_date,"
                  " status, description, created_at, updated_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {Value(project.division_code), Value(project.name), Value(project.work_type),
                   Value(project.start_date.ToString()), Value(project.end_date.ToString()),
                   Value(project.status), Value(project.description), Value(now), Value(now)}));
    project.id = inserted.at(0).Int(0);
    project.updated_at = now;
    AuditRecord a;
    a.action = "project.create";
    a.object = fmt::format("project/{}", project.id);
    a.division_code = project.division_code;
    a.after = ProjectJson(project);
    return WriteAudit(*db, caller, a);
  }));
  return project;
}

Result<domain::Project> ProjectService::Update(const Caller& caller, domain::Project project) {
  QJ_RETURN_IF_ERROR(RequireProjectWriter(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateProject(project));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::Project before, LoadInScope(*db, caller, project.id));
    QJ_RETURN_IF_ERROR(CheckVillage(*db, caller, project));
    if (project.division_code != before.division_code) {
      QJ_ASSIGN_OR_RETURN(Row rounds,
                          db->QueryOne("SELECT COUNT(*) FROM round_project WHERE project_id = ?",
                                       {Value(project.id)}, "count"));
      if (rounds.Int(0) > 0)
        return Status::FailedPrecondition(
            "division_code: a tracking round has taken this project up; its village stays");
    }
    const std::string now = NowUtc();
    QJ_RETURN_IF_ERROR(
        db->Execute(
              "UPDATE project SET division_code = ?, name = ?, work_type = ?,"
              " start_date = ?, end_date = ?, status = ?, description = ?, updated_at = ?"
              " WHERE id = ?",
              {Value(project.division_code), Value(project.name), Value(project.work_type),
               Value(project.start_date.ToString()), Value(project.end_date.ToString()),
               Value(project.status), Value(project.description), Value(now), Value(project.id)})
            .status());
    project.updated_at = now;
    AuditRecord a;
    a.action = "project.update";
    a.object = fmt::format("project/{}", project.id);
    a.division_code = project.division_code;
    a.before = ProjectJson(before);
    a.after = ProjectJson(project);
    return WriteAudit(*db, caller, a);
  }));
  return project;
}

}  // namespace qiangji::services

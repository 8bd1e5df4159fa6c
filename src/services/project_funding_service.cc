// Where a collective project's money comes from (跑项目、找资金, issue 5 point 5): rows of
// project_funding under a project (the project table, 007). The project's village fixes the
// scope: everyone whose scope holds it reads the rows; county, township and admin users add and
// remove them (village staff and viewers read only); a project outside the scope is NotFound
// exactly like a missing one. The linkage lists count funded projects as "measures"
// (linkage_service.cc). Every write is one transaction with its audit row.
#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "domain/text.h"
#include "services/economy.h"
#include "services/internal.h"
#include "services/linkage_json.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr int64_t kMaxFen = 1'000'000'000'000'000;  // 10^13 yuan, as domain/economy.h

std::string ProjectMissing(int64_t id) { return fmt::format("project {} not found", id); }

Status RequireFundingWriter(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role == domain::Role::kVillage)
    return Status::PermissionDenied("only county, township and admin users record project funding");
  return Status::Ok();
}

// The project's village when the project exists inside the caller's scope; NotFound otherwise.
Result<int64_t> ProjectVillage(Database& db, const Caller& caller, int64_t project_id) {
  QJ_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT division_code FROM project WHERE id = ?", {Value(project_id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(0)))
    return Status::NotFound(ProjectMissing(project_id));
  return rows[0].Int(0);
}

Status ValidateFunding(const ProjectFunding& f) {
  FieldErrors errors;
  if (std::find(std::begin(kFundingSources), std::end(kFundingSources), f.source) ==
      std::end(kFundingSources))
    errors.Add("source",
               fmt::format("\"{}\" must be government, enterprise, collective or other", f.source));
  domain::CheckText(errors, "funder", f.funder, false, 100);
  if (f.amount_fen <= 0 || f.amount_fen > kMaxFen)
    errors.Add("amount_fen", "must be above 0 and at most 10^13 yuan (in fen)");
  domain::CheckText(errors, "note", f.note, false, 500, true);
  return errors.ToStatus();
}

ProjectFunding FundingFromRow(const Row& r) {
  ProjectFunding f;
  f.id = r.Int(0);
  f.project_id = r.Int(1);
  f.division_code = r.Int(2);
  f.source = r.Text(3);
  f.funder = r.Text(4);
  f.amount_fen = r.Int(5);
  f.note = r.Text(6);
  return f;
}

constexpr std::string_view kFundingSelect =
    "SELECT id, project_id, division_code, source, funder, amount_fen, note FROM project_funding";

}  // namespace

Result<std::vector<ProjectFunding>> ProjectFundingService::List(const Caller& caller,
                                                                int64_t project_id) {
  std::vector<ProjectFunding> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(ProjectVillage(*db, caller, project_id).status());
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query(std::string(kFundingSelect) + " WHERE project_id = ? ORDER BY id",
                                  {Value(project_id)}));
    for (const Row& r : rows) out.push_back(FundingFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<ProjectFunding> ProjectFundingService::Add(const Caller& caller, ProjectFunding funding) {
  QJ_RETURN_IF_ERROR(RequireFundingWriter(caller));
  funding.id = 0;
  QJ_RETURN_IF_ERROR(ValidateFunding(funding));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(funding.division_code, ProjectVillage(*db, caller, funding.project_id));
    QJ_ASSIGN_OR_RETURN(
        auto inserted,
        db->Query("INSERT INTO project_funding (project_id, division_code, source, funder,"
                  " amount_fen, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                  {Value(funding.project_id), Value(funding.division_code), Value(funding.source),
                   Value(funding.funder), Value(funding.amount_fen), Value(funding.note)}));
    funding.id = inserted.at(0).Int(0);
    AuditRecord a;
    a.action = "project_funding.create";
    a.object = fmt::format("project/{}/funding/{}", funding.project_id, funding.id);
    a.division_code = funding.division_code;
    a.after = ProjectFundingJson(funding);
    return WriteAudit(*db, caller, a);
  }));
  return funding;
}

Status ProjectFundingService::Remove(const Caller& caller, int64_t project_id, int64_t funding_id) {
  QJ_RETURN_IF_ERROR(RequireFundingWriter(caller));
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(ProjectVillage(*db, caller, project_id).status());
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query(std::string(kFundingSelect) + " WHERE id = ? AND project_id = ?",
                                  {Value(funding_id), Value(project_id)}));
    if (rows.empty())
      return Status::NotFound(
          fmt::format("funding {} of project {} not found", funding_id, project_id));
    const ProjectFunding before = FundingFromRow(rows[0]);
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM project_funding WHERE id = ?", {Value(funding_id)}).status());
    AuditRecord a;
    a.action = "project_funding.delete";
    a.object = fmt::format("project/{}/funding/{}", project_id, funding_id);
    a.division_code = before.division_code;
    a.before = ProjectFundingJson(before);
    return WriteAudit(*db, caller, a);
  });
}

}  // namespace qiangji::services

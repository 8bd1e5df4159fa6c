// The audit log (read side; rows are written by every other service through WriteAudit) and
// the database's settings.
#include <fmt/format.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

}  // namespace

Result<Page<AuditEntry>> AuditService::List(const Caller& caller, const AuditQuery& q) {
  QJ_RETURN_IF_ERROR(RequireAdmin(caller));
  QJ_RETURN_IF_ERROR(ValidateListQuery(q.list));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.list.under));
  std::string where = " WHERE 1 = 1";
  std::vector<Value> params;
  // Rows about users and sign-ins carry no division; they belong to the whole-country view.
  if (!(range == DivisionRange::All())) {
    where += " AND division_code BETWEEN ? AND ?";
    params.emplace_back(range.lo);
    params.emplace_back(range.hi);
  }
  if (!q.action.empty()) {
    where += " AND action = ?";
    params.emplace_back(q.action);
  }
  if (!q.username.empty()) {
    where += " AND username = ?";
    params.emplace_back(q.username);
  }
  if (!q.list.q.empty()) {
    where += " AND (object LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\')";
    params.emplace_back(LikePattern(q.list.q));
    params.emplace_back(LikePattern(q.list.q));
  }
  Page<AuditEntry> page;
  page.page = q.list.page;
  page.page_size = q.list.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count,
                        db->QueryOne("SELECT COUNT(*) FROM audit" + where, params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.list.page_size);
    params.emplace_back(Offset(q.list));
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query("SELECT id, at, username, action, object, division_code,"
                                  " before_json, after_json, client_ip FROM audit" +
                                      where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                                  params));
    for (const auto& r : rows) {
      AuditEntry e;
      e.id = r.Int(0);
      e.at = r.Text(1);
      e.username = r.Text(2);
      e.action = r.Text(3);
      e.object = r.Text(4);
      e.division_code = r.Int(5);
      e.before_json = r.Text(6);
      e.after_json = r.Text(7);
      e.client_ip = r.Text(8);
      page.items.push_back(std::move(e));
    }
    return Status::Ok();
  }));
  return page;
}

Result<Meta> MetaService::Get() {
  auto db = env_.pool->Acquire();
  Meta meta;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query("SELECT key, value FROM meta WHERE key IN"
                                             " ('demo', 'demo_county')",
                                             {}));
    for (const auto& r : rows) {
      const std::string key = r.Text(0), value = r.Text(1);
      if (key == "demo") meta.demo = value == "1" || value == "true";
      if (key == "demo_county") meta.demo_county = value;
    }
    QJ_ASSIGN_OR_RETURN(Row v, db->QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_version",
                                            std::span<const Value>{}, "schema version"));
    meta.schema_version = static_cast<int>(v.Int(0));
    return Status::Ok();
  }));
  return meta;
}

}  // namespace qiangji::services

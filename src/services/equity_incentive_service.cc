// Equity incentives of shareholding co-ops (股权激励, issue 5 point 4): rows of equity_incentive
// (009) under a collective. The collective's village fixes the scope: everyone whose scope holds
// it reads the grants; county, township and admin users grant and revoke (village staff and
// viewers read only); a collective outside the scope is NotFound exactly like a missing one.
// Only a collective of kind shareholding_coop issues shares, so only it takes grants; the person
// must be of the collective's village. Every write is one transaction with its audit row.
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

constexpr int64_t kMaxShares = 1'000'000'000;

Status RequireEquityWriter(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role == domain::Role::kVillage)
    return Status::PermissionDenied(
        "only county, township and admin users record equity incentives");
  return Status::Ok();
}

struct CollectiveRef {
  int64_t division_code = 0;
  std::string kind;
};

// The collective's village and kind when it exists inside the caller's scope; NotFound otherwise.
Result<CollectiveRef> CollectiveInScope(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT division_code, kind FROM collective WHERE id = ?",
                                          {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(0)))
    return Status::NotFound(fmt::format("collective {} not found", id));
  return CollectiveRef{rows[0].Int(0), rows[0].Text(1)};
}

// The rules that need no database: shares, date, conditions.
void ValidateGrant(const EquityIncentive& e, FieldErrors& errors) {
  if (e.person_id <= 0) errors.Add("person_id", "is required");
  if (e.shares < 1 || e.shares > kMaxShares)
    errors.Add("shares", "must be a whole number of shares from 1 to 1,000,000,000");
  const Date today = Date::TodayInChina();
  if (e.granted_on > today)
    errors.Add("granted_on",
               fmt::format("{} is in the future (today is {})", e.granted_on.ToString(),
                           today.ToString()));
  domain::CheckText(errors, "conditions", e.conditions, false, 500, true);
}

EquityIncentive GrantFromRow(const Row& r) {
  EquityIncentive e;
  e.id = r.Int(0);
  e.collective_id = r.Int(1);
  e.division_code = r.Int(2);
  e.person_id = r.Int(3);
  e.person_name = r.Text(4);
  e.shares = r.Int(5);
  if (auto d = Date::Parse(r.Text(6)); d.ok()) e.granted_on = *d;
  e.conditions = r.Text(7);
  return e;
}

constexpr std::string_view kGrantSelect =
    "SELECT g.id, g.collective_id, g.division_code, g.person_id, p.name, g.shares, g.granted_on,"
    " g.conditions FROM equity_incentive g JOIN person p ON p.id = g.person_id";

}  // namespace

Result<std::vector<EquityIncentive>> EquityIncentiveService::List(const Caller& caller,
                                                                  int64_t collective_id) {
  std::vector<EquityIncentive> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CollectiveInScope(*db, caller, collective_id).status());
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query(std::string(kGrantSelect) +
                      " WHERE g.collective_id = ? ORDER BY g.granted_on DESC, g.id DESC",
                  {Value(collective_id)}));
    for (const Row& r : rows) out.push_back(GrantFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<EquityIncentive> EquityIncentiveService::Grant(const Caller& caller,
                                                      EquityIncentive grant) {
  QJ_RETURN_IF_ERROR(RequireEquityWriter(caller));
  grant.id = 0;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(CollectiveRef c, CollectiveInScope(*db, caller, grant.collective_id));
    if (c.kind != "shareholding_coop")
      return Status::FailedPrecondition(fmt::format(
          "collective {} is of kind {}: only a shareholding co-op (shareholding_coop) issues "
          "shares and takes equity incentives",
          grant.collective_id, c.kind));
    grant.division_code = c.division_code;
    FieldErrors errors;
    ValidateGrant(grant, errors);
    if (grant.person_id > 0) {
      QJ_ASSIGN_OR_RETURN(auto person,
                          db->Query("SELECT division_code, name FROM person WHERE id = ?",
                                    {Value(grant.person_id)}));
      if (person.empty() || !caller.InScope(person[0].Int(0)))
        errors.Add("person_id", fmt::format("person {} not found", grant.person_id));
      else if (person[0].Int(0) != c.division_code)
        errors.Add("person_id", fmt::format("person {} is not of the collective's village {}",
                                            grant.person_id, c.division_code));
      else
        grant.person_name = person[0].Text(1);
    }
    QJ_RETURN_IF_ERROR(errors.ToStatus());
    QJ_ASSIGN_OR_RETURN(
        auto inserted,
        db->Query("INSERT INTO equity_incentive (collective_id, division_code, person_id, shares,"
                  " granted_on, conditions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {Value(grant.collective_id), Value(grant.division_code), Value(grant.person_id),
                   Value(grant.shares), Value(grant.granted_on.ToString()),
                   Value(grant.conditions), Value(NowUtc())}));
    grant.id = inserted.at(0).Int(0);
    AuditRecord a;
    a.action = "equity_incentive.create";
    a.object = fmt::format("collective/{}/equity-incentive/{}", grant.collective_id, grant.id);
    a.division_code = grant.division_code;
    a.after = EquityIncentiveJson(grant);
    return WriteAudit(*db, caller, a);
  }));
  return grant;
}

Status EquityIncentiveService::Revoke(const Caller& caller, int64_t collective_id, int64_t id) {
  QJ_RETURN_IF_ERROR(RequireEquityWriter(caller));
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CollectiveInScope(*db, caller, collective_id).status());
    QJ_ASSIGN_OR_RETURN(
        auto rows, db->Query(std::string(kGrantSelect) + " WHERE g.id = ? AND g.collective_id = ?",
                             {Value(id), Value(collective_id)}));
    if (rows.empty())
      return Status::NotFound(
          fmt::format("equity incentive {} of collective {} not found", id, collective_id));
    const EquityIncentive before = GrantFromRow(rows[0]);
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM equity_incentive WHERE id = ?", {Value(id)}).status());
    AuditRecord a;
    a.action = "equity_incentive.delete";
    a.object = fmt::format("collective/{}/equity-incentive/{}", collective_id, id);
    a.division_code = before.division_code;
    a.before = EquityIncentiveJson(before);
    return WriteAudit(*db, caller, a);
  });
}

}  // namespace qiangji::services

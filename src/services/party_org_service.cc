// Grassroots Party organizations (党委 / 党总支 / 党支部) of villages and townships.
#include <fmt/format.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kOrgSelect =
    "SELECT id, division_code, kind, name, secretary_person_id, member_count,"
    " probationary_member_count, founded_on, term_start, term_expiry FROM party_org";

domain::PartyOrg OrgFromRow(const Row& r) {
  domain::PartyOrg o;
  o.id = r.Int(0);
  o.division_code = r.Int(1);
  auto kind = domain::ParsePartyOrgKind(r.Text(2));
  o.kind = kind.ok() ? *kind : domain::PartyOrgKind::kBranch;
  o.name = r.Text(3);
  o.secretary_person_id = r.OptInt(4);
  o.member_count = r.Int(5);
  o.probationary_member_count = r.Int(6);
  o.founded_on = OptDate(r, 7);
  o.term_start = OptDate(r, 8);
  o.term_expiry = OptDate(r, 9);
  return o;
}

std::string What(int64_t id) { return fmt::format("party organization {}", id); }

// The organization `id`, NotFound when missing or outside the caller's scope.
Result<domain::PartyOrg> LoadOrg(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query(std::string(kOrgSelect) + " WHERE id = ?", {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(1)))
    return Status::NotFound(What(id) + " not found");
  return OrgFromRow(rows[0]);
}

// The division must be a registry division in scope; the secretary a person in scope who
// belongs under that division.
Status CheckReferences(Database& db, const Caller& caller, const domain::PartyOrg& o) {
  QJ_ASSIGN_OR_RETURN(domain::Division d,
                      DivisionInScope(db, caller, o.division_code,
                                      fmt::format("division {:012d}", o.division_code)));
  if (!o.secretary_person_id) return Status::Ok();
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT division_code FROM person WHERE id = ?",
                                          {Value(*o.secretary_person_id)}));
  auto code = DivisionCode::FromInt(d.code);
  if (rows.empty() || !caller.InScope(rows[0].Int(0)) || !code.ok() ||
      !code->Contains(*DivisionCode::FromInt(rows[0].Int(0))))
    return Status::InvalidField("secretary_person_id",
                                "no such person in the organization's division");
  return Status::Ok();
}

std::vector<Value> OrgValues(const domain::PartyOrg& o) {
  return {Value(o.division_code),  Value(std::string(domain::PartyOrgKindName(o.kind))),
          Value(o.name),           storage::OrNull(o.secretary_person_id),
          Value(o.member_count),   Value(o.probationary_member_count),
          DateValue(o.founded_on), DateValue(o.term_start),
          DateValue(o.term_expiry)};
}

}  // namespace

namespace internal {

Result<std::vector<domain::PartyOrg>> PartyOrgsOfDivision(Database& db, int64_t code) {
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query(std::string(kOrgSelect) + " WHERE division_code = ? ORDER BY id", {Value(code)}));
  std::vector<domain::PartyOrg> out;
  for (const auto& r : rows) out.push_back(OrgFromRow(r));
  return out;
}

}  // namespace internal

Result<Page<domain::PartyOrg>> PartyOrgService::List(const Caller& caller, const ListQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateListQuery(q));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  std::string where = " WHERE division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (!q.q.empty()) {
    where += " AND name LIKE ? ESCAPE '\\'";
    params.emplace_back(LikePattern(q.q));
  }
  Page<domain::PartyOrg> page;
  page.page = q.page;
  page.page_size = q.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count,
                        db->QueryOne("SELECT COUNT(*) FROM party_org" + where, params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.page_size);
    params.emplace_back(Offset(q));
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kOrgSelect) + where +
                                                 " ORDER BY division_code, id LIMIT ? OFFSET ?",
                                             params));
    for (const auto& r : rows) page.items.push_back(OrgFromRow(r));
    return Status::Ok();
  }));
  return page;
}

Result<domain::PartyOrg> PartyOrgService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::optional<domain::PartyOrg> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, LoadOrg(*db, caller, id));
    return Status::Ok();
  }));
  return *out;
}

Result<domain::PartyOrg> PartyOrgService::Create(const Caller& caller, domain::PartyOrg org) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  org.id = 0;
  if (!caller.InScope(org.division_code))
    return Status::NotFound(fmt::format("division {:012d} not found", org.division_code));
  QJ_RETURN_IF_ERROR(domain::ValidatePartyOrg(org));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckReferences(*db, caller, org));
    std::vector<Value> values = OrgValues(org);
    const std::string now = NowUtc();
    values.emplace_back(now);
    values.emplace_back(now);
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("INSERT INTO party_org (division_code, kind, name, secretary_person_id,"
                  " member_count, probationary_member_count, founded_on, term_start, term_expiry,"
                  " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  values));
    org.id = rows.at(0).Int(0);
    AuditRecord a;
    a.action = "party_org.create";
    a.object = fmt::format("party_org/{}", org.id);
    a.division_code = org.division_code;
    a.after = PartyOrgJson(org);
    return WriteAudit(*db, caller, a);
  }));
  return org;
}

Result<domain::PartyOrg> PartyOrgService::Update(const Caller& caller, domain::PartyOrg org) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::PartyOrg before, LoadOrg(*db, caller, org.id));
    if (!caller.InScope(org.division_code))
      return Status::NotFound(fmt::format("division {:012d} not found", org.division_code));
    QJ_RETURN_IF_ERROR(domain::ValidatePartyOrg(org));
    QJ_RETURN_IF_ERROR(CheckReferences(*db, caller, org));
    std::vector<Value> values = OrgValues(org);
    values.emplace_back(NowUtc());
    values.emplace_back(org.id);
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE party_org SET division_code = ?, kind = ?, name = ?,"
                                   " secretary_person_id = ?, member_count = ?,"
                                   " probationary_member_count = ?, founded_on = ?,"
                                   " term_start = ?, term_expiry = ?, updated_at = ?"
                                   " WHERE id = ?",
                                   values)
                           .status());
    AuditRecord a;
    a.action = "party_org.update";
    a.object = fmt::format("party_org/{}", org.id);
    a.division_code = org.division_code;
    a.before = PartyOrgJson(before);
    a.after = PartyOrgJson(org);
    return WriteAudit(*db, caller, a);
  }));
  return org;
}

Status PartyOrgService::Delete(const Caller& caller, int64_t id) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::PartyOrg before, LoadOrg(*db, caller, id));
    QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM party_org WHERE id = ?", {Value(id)}).status());
    AuditRecord a;
    a.action = "party_org.delete";
    a.object = fmt::format("party_org/{}", id);
    a.division_code = before.division_code;
    a.before = PartyOrgJson(before);
    return WriteAudit(*db, caller, a);
  });
}

}  // namespace qiangji::services

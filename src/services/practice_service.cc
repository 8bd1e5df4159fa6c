// Practice (实践锻炼): secondments (挂职) of village cadres and talent to enterprises, parks and new
// economic organizations, and mentoring pairs (结对帮带) of resident staff with village cadres.
// Both people of a pair must be in the caller's scope; the pair belongs to the mentee's village.
#include <fmt/format.h>

#include "services/cultivation.h"
#include "services/cultivation_internal.h"
#include "services/cultivation_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
using cultivation_internal::LoadPerson;

constexpr std::string_view kSecondmentSelect =
    "SELECT s.id, s.person_id, s.division_code, s.host_kind, s.host, s.start_date, s.end_date,"
    " s.goals, p.name, COALESCE(d.name, '') FROM secondment s JOIN person p ON p.id = s.person_id"
    " LEFT JOIN division d ON d.code = s.division_code";

constexpr std::string_view kMentoringSelect =
    "SELECT m.id, m.mentor_person_id, m.mentee_person_id, m.division_code, m.goals,"
    " m.start_date, m.end_date, a.name, b.name, COALESCE(d.name, '') FROM mentoring m"
    " JOIN person a ON a.id = m.mentor_person_id JOIN person b ON b.id = m.mentee_person_id"
    " LEFT JOIN division d ON d.code = m.division_code";

SecondmentView SecondmentFromRow(const Row& r) {
  SecondmentView v;
  auto& s = v.secondment;
  s.id = r.Int(0);
  s.person_id = r.Int(1);
  s.division_code = r.Int(2);
  s.host_kind = r.Text(3);
  s.host = r.Text(4);
  s.start_date = RequiredDate(r, 5);
  s.end_date = OptDate(r, 6);
  s.goals = r.Text(7);
  v.name = r.Text(8);
  v.division_name = r.Text(9);
  return v;
}

MentoringView MentoringFromRow(const Row& r) {
  MentoringView v;
  auto& m = v.mentoring;
  m.id = r.Int(0);
  m.mentor_person_id = r.Int(1);
  m.mentee_person_id = r.Int(2);
  m.division_code = r.Int(3);
  m.goals = r.Text(4);
  m.start_date = RequiredDate(r, 5);
  m.end_date = OptDate(r, 6);
  v.mentor_name = r.Text(7);
  v.mentee_name = r.Text(8);
  v.division_name = r.Text(9);
  return v;
}

Result<SecondmentView> LoadSecondment(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kSecondmentSelect) + " WHERE s.id = ?", {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(2)))
    return Status::NotFound(fmt::format("secondment {} not found", id));
  return SecondmentFromRow(rows[0]);
}

Result<MentoringView> LoadMentoring(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kMentoringSelect) + " WHERE m.id = ?", {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(3)))
    return Status::NotFound(fmt::format("mentoring pair {} not found", id));
  return MentoringFromRow(rows[0]);
}

}  // namespace

Result<std::vector<SecondmentView>> PracticeService::Secondments(const Caller& caller,
                                                                 std::string_view under) {
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  auto db = env_.pool->Acquire();
  std::vector<SecondmentView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kSecondmentSelect) +
                                                 " WHERE s.division_code BETWEEN ? AND ?"
                                                 " ORDER BY s.start_date DESC, s.id",
                                             {Value(range.lo), Value(range.hi)}));
    for (const auto& r : rows) out.push_back(SecondmentFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<SecondmentView> PracticeService::CreateSecondment(const Caller& caller,
                                                         domain::Secondment s) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateSecondment(s));
  auto db = env_.pool->Acquire();
  std::optional<SecondmentView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto p, LoadPerson(*db, caller, s.person_id));
    s.division_code = p.division_code;
    const std::string now = NowUtc();
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("INSERT INTO secondment (person_id, division_code, host_kind, host, start_date,"
                  " end_date, goals, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  " RETURNING id",
                  {Value(s.person_id), Value(s.division_code), Value(s.host_kind), Value(s.host),
                   Value(s.start_date.ToString()), DateValue(s.end_date), Value(s.goals),
                   Value(now), Value(now)}));
    s.id = rows.at(0).Int(0);
    AuditRecord a;
    a.action = "secondment.create";
    a.object = fmt::format("secondment/{}", s.id);
    a.division_code = s.division_code;
    a.after = SecondmentJson(s);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadSecondment(*db, caller, s.id));
    return Status::Ok();
  }));
  return *out;
}

Result<SecondmentView> PracticeService::UpdateSecondment(const Caller& caller,
                                                         domain::Secondment s) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  auto db = env_.pool->Acquire();
  std::optional<SecondmentView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(SecondmentView before, LoadSecondment(*db, caller, s.id));
    s.person_id = before.secondment.person_id;
    s.division_code = before.secondment.division_code;
    QJ_RETURN_IF_ERROR(domain::ValidateSecondment(s));
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE secondment SET host_kind = ?, host = ?,"
                                   " start_date = ?, end_date = ?, goals = ?, updated_at = ?"
                                   " WHERE id = ?",
                                   {Value(s.host_kind), Value(s.host),
                                    Value(s.start_date.ToString()), DateValue(s.end_date),
                                    Value(s.goals), Value(NowUtc()), Value(s.id)})
                           .status());
    AuditRecord a;
    a.action = "secondment.update";
    a.object = fmt::format("secondment/{}", s.id);
    a.division_code = s.division_code;
    a.before = SecondmentJson(before.secondment);
    a.after = SecondmentJson(s);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadSecondment(*db, caller, s.id));
    return Status::Ok();
  }));
  return *out;
}

Result<std::vector<MentoringView>> PracticeService::MentoringPairs(const Caller& caller,
                                                                   std::string_view under) {
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  auto db = env_.pool->Acquire();
  std::vector<MentoringView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kMentoringSelect) +
                                                 " WHERE m.division_code BETWEEN ? AND ?"
                                                 " ORDER BY m.start_date DESC, m.id",
                                             {Value(range.lo), Value(range.hi)}));
    for (const auto& r : rows) out.push_back(MentoringFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<MentoringView> PracticeService::CreateMentoring(const Caller& caller, domain::Mentoring m) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateMentoring(m));
  auto db = env_.pool->Acquire();
  std::optional<MentoringView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(LoadPerson(*db, caller, m.mentor_person_id, "mentor person").status());
    QJ_ASSIGN_OR_RETURN(auto mentee, LoadPerson(*db, caller, m.mentee_person_id, "mentee person"));
    m.division_code = mentee.division_code;
    const std::string now = NowUtc();
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("INSERT INTO mentoring (mentor_person_id, mentee_person_id, division_code,"
                  " goals, start_date, end_date, created_at, updated_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {Value(m.mentor_person_id), Value(m.mentee_person_id), Value(m.division_code),
                   Value(m.goals), Value(m.start_date.ToString()), DateValue(m.end_date),
                   Value(now), Value(now)}));
    m.id = rows.at(0).Int(0);
    AuditRecord a;
    a.action = "mentoring.create";
    a.object = fmt::format("mentoring/{}", m.id);
    a.division_code = m.division_code;
    a.after = MentoringJson(m);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadMentoring(*db, caller, m.id));
    return Status::Ok();
  }));
  return *out;
}

Result<MentoringView> PracticeService::UpdateMentoring(const Caller& caller, domain::Mentoring m) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  auto db = env_.pool->Acquire();
  std::optional<MentoringView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(MentoringView before, LoadMentoring(*db, caller, m.id));
    m.mentor_person_id = before.mentoring.mentor_person_id;
    m.mentee_person_id = before.mentoring.mentee_person_id;
    m.division_code = before.mentoring.division_code;
    QJ_RETURN_IF_ERROR(domain::ValidateMentoring(m));
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE mentoring SET goals = ?, start_date = ?, end_date = ?,"
                                   " updated_at = ? WHERE id = ?",
                                   {Value(m.goals), Value(m.start_date.ToString()),
                                    DateValue(m.end_date), Value(NowUtc()), Value(m.id)})
                           .status());
    AuditRecord a;
    a.action = "mentoring.update";
    a.object = fmt::format("mentoring/{}", m.id);
    a.division_code = m.division_code;
    a.before = MentoringJson(before.mentoring);
    a.after = MentoringJson(m);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadMentoring(*db, caller, m.id));
    return Status::Ok();
  }));
  return *out;
}

}  // namespace qiangji::services

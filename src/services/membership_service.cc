// The membership pipeline (发展党员): steps checked against the member-development rules
// (domain::CheckMembershipStep), history, funnels per branch, township and county, and the due
// and overdue reminders of the two timed rules (activist a year; probation a year).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "services/cultivation.h"
#include "services/cultivation_internal.h"
#include "services/cultivation_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
using cultivation_internal::LoadMembershipState;
using cultivation_internal::LoadPerson;
using cultivation_internal::PersonBasics;

constexpr int kUpcomingDays = 30;  // a reminder shows this many days before the due date
constexpr int kOverdueDays = 90;   // and is overdue this many days after it

MembershipHistory HistoryOf(const PersonBasics& p, const domain::MembershipState& st) {
  MembershipHistory h;
  h.person_id = p.id;
  h.name = p.name;
  h.division_code = p.division_code;
  h.division_name = p.division_name;
  h.current_stage = domain::CurrentStage(st);
  h.steps = st.steps;
  const int i = domain::MembershipStageIndex(h.current_stage);
  if (i + 1 < static_cast<int>(std::size(domain::kMembershipStages)))
    h.next_stage = std::string(domain::kMembershipStages[i + 1]);
  if (h.current_stage == "activist") h.next_eligible_on = domain::ActivistEligibleOn(st);
  if (h.current_stage == "probationary_member") h.next_eligible_on = domain::ProbationEnds(st);
  return h;
}

}  // namespace

Result<MembershipHistory> MembershipService::History(const Caller& caller, int64_t person_id) {
  auto db = env_.pool->Acquire();
  std::optional<MembershipHistory> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(PersonBasics p, LoadPerson(*db, caller, person_id));
    QJ_ASSIGN_OR_RETURN(auto st, LoadMembershipState(*db, p));
    out = HistoryOf(p, st);
    return Status::Ok();
  }));
  return *out;
}

Result<MembershipHistory> MembershipService::AddStep(const Caller& caller,
                                                     domain::MembershipStep step) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateMembershipStep(step));
  auto db = env_.pool->Acquire();
  std::optional<MembershipHistory> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(PersonBasics p, LoadPerson(*db, caller, step.person_id));
    QJ_ASSIGN_OR_RETURN(auto st, LoadMembershipState(*db, p));
    if (auto broken = domain::CheckMembershipStep(st, step, Date::TodayInChina()))
      return domain::RuleStatus(*broken);
    step.division_code = p.division_code;
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("INSERT INTO membership_step (person_id, division_code, stage, step_date,"
                  " months, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                  " RETURNING id",
                  {Value(p.id), Value(p.division_code), Value(step.stage),
                   Value(step.date.ToString()), Value(int64_t{step.months}), Value(step.note),
                   Value(NowUtc()), Value(caller.username)}));
    step.id = rows.at(0).Int(0);
    const std::string before_status = p.party_status;
    if (step.stage != domain::kProbationExtended) {
      // The person record follows: party_status, and 入党时间 on probationary admission.
      std::optional<Date> join = p.party_join_date;
      if (step.stage == "probationary_member") join = step.date;
      if (domain::MembershipStageIndex(step.stage) < 3) join.reset();
      QJ_RETURN_IF_ERROR(db->Execute("UPDATE person SET party_status = ?, party_join_date = ?,"
                                     " updated_at = ? WHERE id = ?",
                                     {Value(step.stage), DateValue(join), Value(NowUtc()),
                                      Value(p.id)})
                             .status());
      p.party_status = step.stage;
      p.party_join_date = join;
    }
    st.steps.push_back(step);
    st.party_status = p.party_status;
    AuditRecord a;
    a.action = "membership.step";
    a.object = fmt::format("person/{}", p.id);
    a.division_code = p.division_code;
    a.before = json::object{{"party_status", before_status}};
    a.after = MembershipStepJson(step);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    out = HistoryOf(p, st);
    return Status::Ok();
  }));
  return *out;
}

Result<Funnel> MembershipService::FunnelCounts(const Caller& caller, std::string_view under,
                                               std::string_view level) {
  int digits = 0;
  if (level == "village" || level == "branch") digits = 12;
  if (level == "township") digits = 9;
  if (level == "county") digits = 6;
  if (digits == 0) return Status::InvalidField("level", "must be village, township or county");
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  const int64_t divisor = digits == 12 ? 1 : digits == 9 ? 1000 : 1000000;
  auto db = env_.pool->Acquire();
  Funnel f;
  f.level = digits == 12 ? "village" : std::string(level);
  const size_t stages = std::size(domain::kMembershipStages);
  f.totals.assign(stages, 0);
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    // Stages before full membership: the person records. Full members: those whose recorded
    // pipeline ends in a 'member' step (the funnel's output, not every member of the village).
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("SELECT p.division_code / ?, p.party_status, COUNT(*) FROM person p"
                  " WHERE p.division_code BETWEEN ? AND ? AND (p.party_status IN ('applicant',"
                  " 'activist', 'development_target', 'probationary_member') OR"
                  " (p.party_status = 'member' AND EXISTS (SELECT 1 FROM membership_step m"
                  " WHERE m.person_id = p.id AND m.stage = 'member')))"
                  " GROUP BY 1, 2 ORDER BY 1",
                  {Value(divisor), Value(range.lo), Value(range.hi)}));
    std::map<int64_t, size_t> index;
    for (const auto& r : rows) {
      const int64_t key = r.Int(0);
      auto [it, fresh] = index.try_emplace(key, f.groups.size());
      if (fresh) {
        FunnelGroup g;
        g.code = fmt::format("{:0{}d}", key, digits);
        g.counts.assign(stages, 0);
        f.groups.push_back(std::move(g));
      }
      const int s = domain::MembershipStageIndex(r.Text(1));
      if (s < 0) continue;
      f.groups[it->second].counts[s] += r.Int(2);
      f.totals[s] += r.Int(2);
    }
    for (auto& g : f.groups) {
      QJ_ASSIGN_OR_RETURN(auto names, db->Query("SELECT name FROM division WHERE code = ?",
                                                {Value(std::stoll(cultivation_internal::Prefix12(
                                                    g.code)))}));
      if (!names.empty()) g.name = names[0].Text(0);
    }
    return Status::Ok();
  }));
  return f;
}

Result<std::vector<Reminder>> MembershipService::Reminders(const Caller& caller,
                                                           std::string_view under) {
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  const Date today = Date::TodayInChina();
  auto db = env_.pool->Acquire();
  std::vector<Reminder> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    // Every step of the people now at a timed stage, folded per person.
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("SELECT p.id, p.name, p.division_code, COALESCE(d.name, ''), p.party_status,"
                  " m.stage, m.step_date, m.months FROM person p"
                  " JOIN membership_step m ON m.person_id = p.id"
                  " LEFT JOIN division d ON d.code = p.division_code"
                  " WHERE p.division_code BETWEEN ? AND ?"
                  " AND p.party_status IN ('activist', 'probationary_member')"
                  " ORDER BY p.id, m.step_date, m.id",
                  {Value(range.lo), Value(range.hi)}));
    size_t i = 0;
    while (i < rows.size()) {
      const int64_t id = rows[i].Int(0);
      domain::MembershipState st;
      st.party_status = rows[i].Text(4);
      Reminder r;
      r.person_id = id;
      r.name = rows[i].Text(1);
      r.division_code = rows[i].Int(2);
      r.division_name = rows[i].Text(3);
      for (; i < rows.size() && rows[i].Int(0) == id; ++i) {
        domain::MembershipStep s;
        s.stage = rows[i].Text(5);
        s.date = RequiredDate(rows[i], 6);
        s.months = static_cast<int>(rows[i].Int(7));
        st.steps.push_back(std::move(s));
      }
      r.stage = domain::CurrentStage(st);
      std::optional<Date> due;
      if (r.stage == "activist") {
        due = domain::ActivistEligibleOn(st);
        r.kind = "development_target_due";
      } else if (r.stage == "probationary_member") {
        due = domain::ProbationEnds(st);
        r.kind = "probation_ending";
      }
      if (!due) continue;
      r.since = *domain::StageReachedOn(st, r.stage);
      r.due_on = *due;
      r.days = due->DaysSinceEpoch() - today.DaysSinceEpoch();
      if (r.days > kUpcomingDays) continue;
      r.status = r.days > 0 ? "upcoming" : r.days >= -kOverdueDays ? "due" : "overdue";
      out.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  std::sort(out.begin(), out.end(), [](const Reminder& a, const Reminder& b) {
    return a.days != b.days ? a.days < b.days : a.person_id < b.person_id;
  });
  return out;
}

}  // namespace qiangji::services

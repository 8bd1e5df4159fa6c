// The cadre pipeline (talent → reserve cadre → two-committee member → secretary; Party-member
// wealth leaders → collective managers). Each step is checked (domain::CheckCadreStep) and opens
// the matching post in the person's village, ending the post below it, so the village's line-up,
// the team health and the assessment all read the same posts.
#include <fmt/format.h>

#include "services/cultivation.h"
#include "services/cultivation_internal.h"
#include "services/cultivation_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
using cultivation_internal::LoadPerson;
using cultivation_internal::PersonBasics;

Result<std::vector<domain::CadreStep>> LoadSteps(Database& db, int64_t person_id) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT id, division_code, stage, step_date, note"
                                          " FROM cadre_step WHERE person_id = ?"
                                          " ORDER BY step_date, id",
                                          {Value(person_id)}));
  std::vector<domain::CadreStep> out;
  for (const auto& r : rows) {
    domain::CadreStep s;
    s.id = r.Int(0);
    s.person_id = person_id;
    s.division_code = r.Int(1);
    s.stage = r.Text(2);
    s.date = RequiredDate(r, 3);
    s.note = r.Text(4);
    out.push_back(std::move(s));
  }
  return out;
}

// Ends the person's current post of `kind` in the village on `day` (the first day without it).
Status EndPost(Database& db, int64_t person_id, int64_t village, std::string_view kind,
               const Date& day) {
  const std::string d = day.ToString();
  return db
      .Execute("UPDATE post SET end_date = ?, updated_at = ? WHERE person_id = ?"
               " AND division_code = ? AND kind = ? AND start_date <= ?"
               " AND (end_date IS NULL OR end_date > ?)",
               {Value(d), Value(NowUtc()), Value(person_id), Value(village),
                Value(std::string(kind)), Value(d), Value(d)})
      .status();
}

}  // namespace

Result<CadreHistory> CadrePipelineService::History(const Caller& caller, int64_t person_id) {
  auto db = env_.pool->Acquire();
  CadreHistory h;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(PersonBasics p, LoadPerson(*db, caller, person_id));
    h.person_id = p.id;
    h.name = p.name;
    h.division_code = p.division_code;
    h.division_name = p.division_name;
    QJ_ASSIGN_OR_RETURN(h.steps, LoadSteps(*db, p.id));
    QJ_ASSIGN_OR_RETURN(h.current_posts, cultivation_internal::CurrentPostKinds(
                                             *db, p.id, Date::TodayInChina()));
    return Status::Ok();
  }));
  return h;
}

Result<CadreHistory> CadrePipelineService::AddStep(const Caller& caller, domain::CadreStep step) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateCadreStep(step));
  auto db = env_.pool->Acquire();
  CadreHistory h;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(PersonBasics p, LoadPerson(*db, caller, step.person_id));
    const Date today = Date::TodayInChina();
    const std::string day = step.date.ToString();
    domain::CadreState st;
    st.party_status = p.party_status;
    QJ_ASSIGN_OR_RETURN(auto talent, db->Query("SELECT source FROM talent WHERE person_id = ?"
                                               " AND status <> 'left'",
                                               {Value(p.id)}));
    st.in_talent_pool = !talent.empty();
    if (st.in_talent_pool) st.talent_source = talent[0].Text(0);
    // Posts held in the person's village on the step's date.
    QJ_ASSIGN_OR_RETURN(auto held, db->Query("SELECT DISTINCT s.kind FROM post s"
                                             " WHERE s.person_id = ? AND s.division_code = ? AND " +
                                                 std::string(kCurrentPost),
                                             {Value(p.id), Value(p.division_code), Value(day),
                                              Value(day)}));
    for (const auto& r : held) st.held_posts.push_back(r.Text(0));
    QJ_ASSIGN_OR_RETURN(auto secretary,
                        db->Query("SELECT 1 FROM post s WHERE s.division_code = ?"
                                  " AND s.kind = 'party_secretary' AND s.person_id <> ? AND"
                                  " (s.end_date IS NULL OR s.end_date > ?)",
                                  {Value(p.division_code), Value(p.id), Value(day)}));
    st.village_has_secretary = !secretary.empty();
    QJ_ASSIGN_OR_RETURN(auto last, db->Query("SELECT MAX(step_date) FROM cadre_step"
                                             " WHERE person_id = ?",
                                             {Value(p.id)}));
    if (!last.empty() && !last[0].IsNull(0)) st.last_step_date = RequiredDate(last[0], 0);
    if (auto broken = domain::CheckCadreStep(st, step, today)) return domain::RuleStatus(*broken);

    // Moving up ends the post below it.
    if (step.stage == "two_committee_member")
      QJ_RETURN_IF_ERROR(EndPost(*db, p.id, p.division_code, "reserve_cadre", step.date));
    if (step.stage == "party_secretary")
      QJ_RETURN_IF_ERROR(EndPost(*db, p.id, p.division_code, "two_committee_member", step.date));
    const std::string now = NowUtc();
    QJ_ASSIGN_OR_RETURN(auto post,
                        db->Query("INSERT INTO post (person_id, division_code, kind, start_date,"
                                  " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                                  " RETURNING id",
                                  {Value(p.id), Value(p.division_code), Value(step.stage),
                                   Value(day), Value(now), Value(now)}));
    const int64_t post_id = post.at(0).Int(0);
    step.division_code = p.division_code;
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("INSERT INTO cadre_step (person_id, division_code, stage, step_date, post_id,"
                  " note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {Value(p.id), Value(p.division_code), Value(step.stage), Value(day),
                   Value(post_id), Value(step.note), Value(now), Value(caller.username)}));
    step.id = rows.at(0).Int(0);
    AuditRecord a;
    a.action = "cadre_pipeline.step";
    a.object = fmt::format("person/{}", p.id);
    a.division_code = p.division_code;
    json::object after = CadreStepJson(step);
    after["post_id"] = post_id;
    a.after = std::move(after);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    h.person_id = p.id;
    h.name = p.name;
    h.division_code = p.division_code;
    h.division_name = p.division_name;
    QJ_ASSIGN_OR_RETURN(h.steps, LoadSteps(*db, p.id));
    QJ_ASSIGN_OR_RETURN(h.current_posts,
                        cultivation_internal::CurrentPostKinds(*db, p.id, today));
    return Status::Ok();
  }));
  return h;
}

}  // namespace qiangji::services

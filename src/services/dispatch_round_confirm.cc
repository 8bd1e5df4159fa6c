// Confirming a round (matched -> confirmed): every assignment becomes posts of the role's kind
// (domain::PostKindOfRole: first_secretary, instructor or advisor).
//
//   villages (first secretary, resident instructor, advisor): one post in the village from the
//     round's start date to start + the person's term (the first day without the post);
//   circuits: one instructor post in each village of the instructor's share, same dates;
//   projects: one instructor post in the project's village from the later of the round's start
//     and the project's start to the project's planned end.
//
// The person is found by ID number, or created in the (first) village from the pool's record: a
// cadre as a Party member, a local worthy as a member of the masses (his record can be edited);
// the pool member becomes unavailable. A receiver that got its post by hand since the round
// opened, a person sent by another round since, or a project no longer open, stops the
// confirmation (FailedPrecondition): the county reruns the round first.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/dispatch_round_internal.h"
#include "services/internal.h"

namespace qiangji::services::internal {
namespace {

// Posts of `kind` in office in `village` on `day`.
Result<int64_t> PostsInOffice(Database& db, int64_t village, std::string_view kind,
                              const Date& day) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query("SELECT COUNT(*) FROM post s WHERE s.division_code = ? AND"
                               " s.kind = ? AND s.start_date <= ? AND"
                               " (s.end_date IS NULL OR s.end_date > ?)",
                               {Value(village), Value(std::string(kind)), Value(day.ToString()),
                                Value(day.ToString())}));
  return rows.at(0).Int(0);
}

std::string_view PostNameZh(std::string_view kind) {
  if (kind == "first_secretary") return "第一书记";
  if (kind == "advisor") return "发展顾问";
  return "指导员";
}

}  // namespace

Result<RoundResult> ConfirmRound(Env env, const Caller& caller, int64_t id, const Clock& clock) {
  if (env.secrets == nullptr) return Status::Internal("no key for personal data is loaded");
  const Secrets& secrets = *env.secrets;
  auto db = env.pool->Acquire();
  std::optional<RoundResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row,
                        LoadRoundForChange(*db, caller, id, "confirm a dispatch round"));
    QJ_RETURN_IF_ERROR(
        RequireStatus(row, {"matched"}, "confirm it (only a matched round is confirmed)"));
    const std::string& role = row.round.role;
    const std::string kind(domain::PostKindOfRole(role));
    QJ_ASSIGN_OR_RETURN(
        auto assignments,
        db->Query("SELECT cadre_id, division_code, unit_id, villages FROM assignment"
                  " WHERE round_id = ? ORDER BY division_code, cadre_id",
                  {Value(id)}));
    int64_t posts = 0;
    for (const Row& a : assignments) {
      const int64_t cadre_id = a.Int(0);
      const int64_t division = a.Int(1);
      const int64_t unit_id = a.IsNull(2) ? 0 : a.Int(2);
      std::vector<int64_t> villages = ParseIdArray(a.Text(3));
      if (villages.empty() && role != "instructor_circuit") villages = {division};
      QJ_ASSIGN_OR_RETURN(
          Row found, db->QueryOne(std::string(kCadreSelect) + " WHERE c.id = ?", {Value(cadre_id)},
                                  fmt::format("cadre {}", cadre_id)));
      const CadreRow cadre = CadreFromRow(found, &secrets);
      const domain::Cadre& c = cadre.cadre;
      if (c.id_number.empty())
        return Status::Internal(fmt::format("the ID number of cadre {} cannot be read", cadre_id));
      if (!c.available)
        return Status::FailedPrecondition(fmt::format(
            "{} (cadre {}) is no longer available (sent by another round since): rerun the round",
            c.name, cadre_id));

      Date start = row.round.start_date;
      Date end = start.AddMonths(c.term_months);
      if (role == "instructor_tracking") {
        // A tracking instructor follows the project from its start (or the round's) to its end.
        QJ_ASSIGN_OR_RETURN(auto project,
                            db->Query("SELECT start_date, end_date, status, name FROM project"
                                      " WHERE id = ?",
                                      {Value(unit_id)}));
        if (project.empty())
          return Status::FailedPrecondition(fmt::format("project {} no longer exists", unit_id));
        const Date project_start = RequiredDate(project[0], 0);
        end = RequiredDate(project[0], 1);
        const std::string status = project[0].Text(2);
        if (status != "planned" && status != "underway")
          return Status::FailedPrecondition(
              fmt::format("project {} ({}) is {} now: rerun the round without it", unit_id,
                          project[0].Text(3), status));
        start = std::max(start, project_start);
        if (!(start < end))
          return Status::FailedPrecondition(
              fmt::format("project {} ({}) ends on {}, before the round's start", unit_id,
                          project[0].Text(3), end.ToString()));
        QJ_ASSIGN_OR_RETURN(
            auto followed,
            db->Query("SELECT COUNT(*) FROM assignment x JOIN dispatch_round r ON r.id = x.round_id"
                      " WHERE r.role = 'instructor_tracking' AND r.status = 'confirmed'"
                      " AND x.unit_id = ? AND x.end_date > ?",
                      {Value(unit_id), Value(start.ToString())}));
        if (followed.at(0).Int(0) > 0)
          return Status::FailedPrecondition(fmt::format(
              "project {} ({}) already has a tracking instructor on {}: rerun the round without it",
              unit_id, project[0].Text(3), start.ToString()));
      }
      // A receiver that got its post by hand since the round opened keeps it.
      for (int64_t village : villages) {
        QJ_ASSIGN_OR_RETURN(int64_t current, PostsInOffice(*db, village, kind, start));
        if (role == "instructor_resident") {
          QJ_ASSIGN_OR_RETURN(int64_t fs, PostsInOffice(*db, village, "first_secretary", start));
          current += fs;
        }
        if (role == "instructor_tracking") current = 0;  // a project's instructor comes beside
        if (current > 0)
          return Status::FailedPrecondition(
              role == "first_secretary"
                  ? fmt::format("village {:012d} already has a first secretary on {}: rerun the"
                                " round without it",
                                village, start.ToString())
                  : fmt::format(
                        "village {:012d} already has a {} ({}) on {}: rerun the round"
                        " without it",
                        village,
                        role == "instructor_resident" ? "first secretary or instructor" : kind,
                        PostNameZh(kind), start.ToString()));
      }
      if (villages.empty()) continue;  // cannot happen: a matched circuit instructor covers one

      int64_t person_id = 0;
      QJ_ASSIGN_OR_RETURN(auto people, db->Query("SELECT id FROM person WHERE id_number_hash = ?",
                                                 {Value(cadre.id_number_hash)}));
      const int64_t home = villages.front();
      if (!people.empty()) {
        person_id = people[0].Int(0);
      } else {
        // The person joins the (first) village he is sent to: a cadre as a Party member, a
        // worthy as one of the masses until his record says otherwise.
        const std::string party_status = c.kind == "worthy" ? "masses" : "member";
        QJ_ASSIGN_OR_RETURN(
            auto inserted,
            db->Query(
                "INSERT INTO person (division_code, name, sex, ethnicity, birth_date,"
                " id_number_enc, id_number_hash, phone_enc, native_place, education,"
                " party_status, party_join_date, created_at, updated_at)"
                " VALUES (?, ?, ?, '', ?, ?, ?, ?, '', '', ?, NULL, ?, ?) RETURNING id",
                {Value(home), Value(c.name), Value(std::string(domain::SexName(c.sex))),
                 DateValue(c.birth_date), Value(storage::Blob{secrets.Encrypt(c.id_number)}),
                 Value(cadre.id_number_hash),
                 c.phone.empty() ? Value(Null{}) : Value(storage::Blob{secrets.Encrypt(c.phone)}),
                 Value(party_status), Value(clock.now), Value(clock.now)}));
        person_id = inserted.at(0).Int(0);
        AuditRecord pa;
        pa.action = "person.create";
        pa.object = fmt::format("person/{}", person_id);
        pa.division_code = home;
        pa.after = json::object{{"id", person_id},
                                {"division_code", DivisionCodeJson(home)},
                                {"name", c.name},
                                {"id_number", MaskIdNumber(c.id_number)},
                                {"party_status", party_status},
                                {"source", fmt::format("dispatch_round/{}", id)}};
        QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, pa));
      }
      std::vector<int64_t> post_ids;
      for (int64_t village : villages) {
        QJ_ASSIGN_OR_RETURN(
            auto post,
            db->Query("INSERT INTO post (person_id, division_code, kind, start_date, end_date,"
                      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      {Value(person_id), Value(village), Value(kind), Value(start.ToString()),
                       Value(end.ToString()), Value(clock.now), Value(clock.now)}));
        const int64_t post_id = post.at(0).Int(0);
        post_ids.push_back(post_id);
        AuditRecord pa;
        pa.action = "post.create";
        pa.object = fmt::format("post/{}", post_id);
        pa.division_code = village;
        pa.after = json::object{{"id", post_id},
                                {"person_id", person_id},
                                {"division_code", DivisionCodeJson(village)},
                                {"kind", kind},
                                {"start_date", start.ToString()},
                                {"end_date", end.ToString()},
                                {"source", fmt::format("dispatch_round/{}", id)}};
        QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, pa));
      }
      posts += static_cast<int64_t>(post_ids.size());
      QJ_RETURN_IF_ERROR(
          db->Execute("UPDATE assignment SET start_date = ?, end_date = ?, post_id = ?,"
                      " post_ids = ? WHERE round_id = ? AND cadre_id = ?",
                      {Value(start.ToString()), Value(end.ToString()), Value(post_ids.front()),
                       Value(IdArrayText(post_ids)), Value(id), Value(cadre_id)})
              .status());
      QJ_RETURN_IF_ERROR(db->Execute("UPDATE cadre SET person_id = ?, available = 0, updated_at = ?"
                                     " WHERE id = ?",
                                     {Value(person_id), Value(clock.now), Value(cadre_id)})
                             .status());
    }
    QJ_RETURN_IF_ERROR(
        db->Execute("UPDATE dispatch_round SET status = 'confirmed', confirmed_at = ?"
                    " WHERE id = ?",
                    {Value(clock.now), Value(id)})
            .status());
    const json::object before = RoundAuditJson(row.round);
    row.round.status = "confirmed";
    row.round.confirmed_at = clock.now;
    json::object after = RoundAuditJson(row.round);
    after["posts"] = posts;
    QJ_RETURN_IF_ERROR(AuditRound(*db, caller, "dispatch_round.confirm", row, before, after));
    QJ_ASSIGN_OR_RETURN(RoundResult r, LoadResult(*db, caller, row));
    out = std::move(r);
    return Status::Ok();
  }));
  return *out;
}

}  // namespace qiangji::services::internal

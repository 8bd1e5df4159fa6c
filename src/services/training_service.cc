// Training: courses organized by the county or a township, attendance and completion, and the
// coverage of cadres (two-committee members and reserve cadres) against the annual hours
// required (cultivation_setting). A course is visible to callers whose scope holds the organizer
// and to those under it (a county course to every township); attendance rows only for people in
// the caller's scope.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "engines/cultivation/coverage.h"
#include "services/cultivation.h"
#include "services/cultivation_internal.h"
#include "services/cultivation_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
using cultivation_internal::LoadPerson;

constexpr std::string_view kCourseSelect =
    "SELECT c.id, c.division_code, c.title, c.kind, c.mode, c.direction, c.topics, c.hours,"
    " c.start_date, c.end_date, c.place, c.note, COALESCE(d.name, '') FROM course c"
    " LEFT JOIN division d ON d.code = c.division_code";

CourseView CourseFromRow(const Row& r) {
  CourseView v;
  domain::Course& c = v.course;
  c.id = r.Int(0);
  c.division_code = r.Int(1);
  c.title = r.Text(2);
  c.kind = r.Text(3);
  c.mode = r.Text(4);
  c.direction = r.Text(5);
  c.topics = ParseStringArray(r.Text(6));
  c.hours = r.Real(7);
  c.start_date = RequiredDate(r, 8);
  c.end_date = RequiredDate(r, 9);
  c.place = r.Text(10);
  c.note = r.Text(11);
  v.division_name = r.Text(12);
  return v;
}

// Organizers a caller under `prefix` sees besides those inside the range: the county and the
// township above it.
std::vector<int64_t> AncestorOrganizers(std::string_view prefix) {
  std::vector<int64_t> out;
  if (prefix.size() > 6)
    out.push_back(std::stoll(cultivation_internal::Prefix12(prefix.substr(0, 6))));
  if (prefix.size() > 9)
    out.push_back(std::stoll(cultivation_internal::Prefix12(prefix.substr(0, 9))));
  return out;
}

bool Visible(const Caller& caller, int64_t organizer) {
  if (caller.InScope(organizer)) return true;
  for (int64_t a : AncestorOrganizers(caller.scope_prefix)) {
    if (a == organizer) return true;
  }
  return false;
}

Result<CourseDetail> LoadCourse(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kCourseSelect) + " WHERE c.id = ?", {Value(id)}));
  if (rows.empty() || !Visible(caller, rows[0].Int(1)))
    return Status::NotFound(fmt::format("course {} not found", id));
  CourseDetail d;
  d.view = CourseFromRow(rows[0]);
  QJ_ASSIGN_OR_RETURN(
      auto att, db.Query("SELECT a.person_id, a.division_code, a.attended, a.completed, a.hours,"
                         " p.name, COALESCE(dv.name, '') FROM attendance a"
                         " JOIN person p ON p.id = a.person_id"
                         " LEFT JOIN division dv ON dv.code = a.division_code"
                         " WHERE a.course_id = ? AND a.division_code BETWEEN ? AND ?"
                         " ORDER BY a.division_code, p.name, a.person_id",
                         {Value(id), Value(caller.scope.lo), Value(caller.scope.hi)}));
  for (const auto& r : att) {
    AttendanceView v;
    v.attendance.course_id = id;
    v.attendance.person_id = r.Int(0);
    v.attendance.division_code = r.Int(1);
    v.attendance.attended = r.Int(2) != 0;
    v.attendance.completed = r.Int(3) != 0;
    v.attendance.hours = r.Real(4);
    v.credited_hours = r.Real(4);
    v.name = r.Text(5);
    v.division_name = r.Text(6);
    d.view.attendees += v.attendance.attended;
    d.view.completed += v.attendance.completed;
    d.attendance.push_back(std::move(v));
  }
  return d;
}

// The organizer must be a county or township in the caller's scope.
Status CheckOrganizer(Database& db, const Caller& caller, int64_t code) {
  const std::string prefix = OrganizerPrefix(code);
  if (prefix.size() != 6 && prefix.size() != 9)
    return Status::InvalidField("division_code", "the organizer is a county (6 digits) or a"
                                                 " township (9 digits)");
  return DivisionInScope(db, caller, code, fmt::format("division {}", prefix)).status();
}

Status WriteCourse(Database& db, domain::Course& c, bool insert) {
  const std::string now = NowUtc();
  if (insert) {
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db.Query("INSERT INTO course (division_code, title, kind, mode, direction, topics, hours,"
                 " start_date, end_date, place, note, created_at, updated_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {Value(c.division_code), Value(c.title), Value(c.kind), Value(c.mode),
                  Value(c.direction), Value(StringArrayJson(c.topics)), Value(c.hours),
                  Value(c.start_date.ToString()), Value(c.end_date.ToString()), Value(c.place),
                  Value(c.note), Value(now), Value(now)}));
    c.id = rows.at(0).Int(0);
    return Status::Ok();
  }
  return db
      .Execute("UPDATE course SET division_code = ?, title = ?, kind = ?, mode = ?,"
               " direction = ?, topics = ?, hours = ?, start_date = ?, end_date = ?, place = ?,"
               " note = ?, updated_at = ? WHERE id = ?",
               {Value(c.division_code), Value(c.title), Value(c.kind), Value(c.mode),
                Value(c.direction), Value(StringArrayJson(c.topics)), Value(c.hours),
                Value(c.start_date.ToString()), Value(c.end_date.ToString()), Value(c.place),
                Value(c.note), Value(now), Value(c.id)})
      .status();
}

}  // namespace

Result<std::vector<CourseView>> TrainingService::List(const Caller& caller, const CourseQuery& q) {
  FieldErrors errors;
  if (q.year != 0 && (q.year < 2000 || q.year > 2100)) errors.Add("year", "must be 2000..2100");
  if (!q.kind.empty() && !domain::Contains(domain::kCourseKinds, q.kind))
    errors.Add("kind", "must be pre_job, on_job or professional");
  if (!q.topic.empty() && !domain::Contains(domain::kCourseTopics, q.topic))
    errors.Add("topic", "is not a course topic");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  const std::string prefix = q.under.size() > caller.scope_prefix.size()
                                 ? std::string(q.under)
                                 : caller.scope_prefix;
  std::string where = " WHERE (c.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  for (int64_t a : AncestorOrganizers(prefix)) {
    where += " OR c.division_code = ?";
    params.emplace_back(a);
  }
  where += ")";
  if (q.year != 0) {
    where += " AND c.start_date BETWEEN ? AND ?";
    params.emplace_back(fmt::format("{:04d}-01-01", q.year));
    params.emplace_back(fmt::format("{:04d}-12-31", q.year));
  }
  if (!q.kind.empty()) {
    where += " AND c.kind = ?";
    params.emplace_back(q.kind);
  }
  if (!q.topic.empty()) {
    where += " AND EXISTS (SELECT 1 FROM json_each(c.topics) j WHERE j.value = ?)";
    params.emplace_back(q.topic);
  }
  auto db = env_.pool->Acquire();
  std::vector<CourseView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kCourseSelect) + where +
                                                 " ORDER BY c.start_date, c.id",
                                             params));
    QJ_ASSIGN_OR_RETURN(auto counts,
                        db->Query("SELECT course_id, SUM(attended), SUM(completed) FROM"
                                  " attendance WHERE division_code BETWEEN ? AND ?"
                                  " GROUP BY course_id",
                                  {Value(range.lo), Value(range.hi)}));
    std::map<int64_t, std::pair<int64_t, int64_t>> by_course;
    for (const auto& r : counts) by_course[r.Int(0)] = {r.Int(1), r.Int(2)};
    for (const auto& r : rows) {
      CourseView v = CourseFromRow(r);
      if (auto it = by_course.find(v.course.id); it != by_course.end()) {
        v.attendees = it->second.first;
        v.completed = it->second.second;
      }
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<CourseDetail> TrainingService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::optional<CourseDetail> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, LoadCourse(*db, caller, id));
    return Status::Ok();
  }));
  return *out;
}

Result<CourseDetail> TrainingService::Create(const Caller& caller, domain::Course course) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateCourse(course));
  auto db = env_.pool->Acquire();
  std::optional<CourseDetail> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckOrganizer(*db, caller, course.division_code));
    QJ_RETURN_IF_ERROR(WriteCourse(*db, course, true));
    AuditRecord a;
    a.action = "course.create";
    a.object = fmt::format("course/{}", course.id);
    a.division_code = course.division_code;
    a.after = CourseJson(course);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadCourse(*db, caller, course.id));
    return Status::Ok();
  }));
  return *out;
}

Result<CourseDetail> TrainingService::Update(const Caller& caller, domain::Course course) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateCourse(course));
  auto db = env_.pool->Acquire();
  std::optional<CourseDetail> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(CourseDetail before, LoadCourse(*db, caller, course.id));
    // Only the organizer's side may change a course: a township sees county courses, but does
    // not edit them.
    if (!caller.InScope(before.view.course.division_code))
      return Status::PermissionDenied("only the organizer of a course may change it");
    QJ_RETURN_IF_ERROR(CheckOrganizer(*db, caller, course.division_code));
    QJ_RETURN_IF_ERROR(WriteCourse(*db, course, false));
    AuditRecord a;
    a.action = "course.update";
    a.object = fmt::format("course/{}", course.id);
    a.division_code = course.division_code;
    a.before = CourseJson(before.view.course);
    a.after = CourseJson(course);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadCourse(*db, caller, course.id));
    return Status::Ok();
  }));
  return *out;
}

Result<CourseDetail> TrainingService::SetAttendance(const Caller& caller, int64_t course_id,
                                                    std::vector<domain::Attendance> list) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (list.empty()) return Status::InvalidField("attendance", "list at least one person");
  if (list.size() > 2000) return Status::InvalidField("attendance", "at most 2000 people at once");
  auto db = env_.pool->Acquire();
  std::optional<CourseDetail> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(CourseDetail course, LoadCourse(*db, caller, course_id));
    const double hours = course.view.course.hours;
    FieldErrors errors;
    std::map<int64_t, size_t> seen;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("attendance[{}]", i);
      domain::ValidateAttendance(errors, at, list[i], hours);
      if (list[i].person_id > 0 && !seen.emplace(list[i].person_id, i).second)
        errors.Add(at + ".person_id", "is listed twice");
    }
    QJ_RETURN_IF_ERROR(errors.ToStatus());
    json::array after;
    for (size_t i = 0; i < list.size(); ++i) {
      domain::Attendance& a = list[i];
      QJ_ASSIGN_OR_RETURN(auto p, LoadPerson(*db, caller, a.person_id,
                                             fmt::format("attendance[{}]: person", i)));
      a.course_id = course_id;
      a.division_code = p.division_code;
      const double credited = domain::CreditedHours(a, hours);
      QJ_RETURN_IF_ERROR(
          db->Execute("INSERT INTO attendance (course_id, person_id, division_code, attended,"
                      " completed, hours) VALUES (?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (course_id, person_id) DO UPDATE SET"
                      " division_code = excluded.division_code, attended = excluded.attended,"
                      " completed = excluded.completed, hours = excluded.hours",
                      {Value(course_id), Value(a.person_id), Value(a.division_code),
                       Value(int64_t{a.attended}), Value(int64_t{a.completed}), Value(credited)})
              .status());
      a.hours = credited;
      after.push_back(AttendanceJson(a));
    }
    AuditRecord rec;
    rec.action = "course.attendance";
    rec.object = fmt::format("course/{}", course_id);
    rec.division_code = course.view.course.division_code;
    rec.after = json::object{{"attendance", std::move(after)}};
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, rec));
    QJ_ASSIGN_OR_RETURN(out, LoadCourse(*db, caller, course_id));
    return Status::Ok();
  }));
  return *out;
}

Result<CoverageReport> TrainingService::Coverage(const Caller& caller, std::string_view under,
                                                 int year) {
  if (year < 2000 || year > 2100) return Status::InvalidField("year", "must be 2000..2100");
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  const Date today = Date::TodayInChina();
  Date ref = *Date::FromYmd(year, 12, 31);
  if (today < ref) ref = today;
  const std::string d = ref.ToString();
  auto db = env_.pool->Acquire();
  CoverageReport rep;
  rep.year = year;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto settings, cultivation_internal::LoadSettings(*db));
    QJ_ASSIGN_OR_RETURN(auto effective, cultivation_internal::EffectiveSettings(
                                            *db, under.empty() ? caller.scope_prefix : under));
    rep.required_hours = effective.annual_hours;
    // The cadres on the reference day, with their main post.
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("SELECT s.person_id, s.division_code, s.kind, p.name FROM post s"
                  " JOIN person p ON p.id = s.person_id"
                  " WHERE s.division_code BETWEEN ? AND ? AND " +
                      std::string(kCurrentPost) +
                      " AND s.kind IN ('party_secretary', 'deputy_party_secretary',"
                      " 'committee_director', 'two_committee_member', 'reserve_cadre')"
                      " ORDER BY s.division_code, p.name, s.person_id",
                  {Value(range.lo), Value(range.hi), Value(d), Value(d)}));
    auto rank = [](std::string_view kind) {
      constexpr std::string_view order[] = {"party_secretary", "committee_director",
                                            "deputy_party_secretary", "two_committee_member",
                                            "reserve_cadre"};
      for (size_t i = 0; i < std::size(order); ++i) {
        if (order[i] == kind) return i;
      }
      return std::size(order);
    };
    std::map<int64_t, CoveragePerson> people;
    std::vector<int64_t> order;
    for (const auto& r : rows) {
      auto [it, fresh] = people.try_emplace(r.Int(0));
      CoveragePerson& p = it->second;
      if (fresh) {
        order.push_back(r.Int(0));
        p.person_id = r.Int(0);
        p.division_code = r.Int(1);
        p.name = r.Text(3);
        p.post = r.Text(2);
        p.required = settings.For(p.division_code).annual_hours;
      } else if (rank(r.Text(2)) < rank(p.post)) {
        p.post = r.Text(2);
      }
    }
    QJ_ASSIGN_OR_RETURN(auto hours, cultivation_internal::HoursByPerson(*db, range, year));
    for (const auto& [id, h] : hours) {
      if (auto it = people.find(id); it != people.end()) it->second.hours = h;
    }
    std::vector<engines::cultivation::CadreHours> all;
    std::map<int64_t, std::vector<engines::cultivation::CadreHours>> by_township;
    for (int64_t id : order) {
      CoveragePerson& p = people[id];
      engines::cultivation::CadreHours c{p.hours, p.required};
      p.met = engines::cultivation::MetRequirement(c);
      all.push_back(c);
      by_township[p.division_code / 1000].push_back(c);
      rep.people.push_back(p);
    }
    const auto totals = engines::cultivation::ComputeCoverage(all);
    rep.cadres = totals.cadres;
    rep.trained = totals.trained;
    rep.met = totals.met;
    rep.coverage = totals.coverage;
    rep.met_share = totals.met_share;
    rep.hours = totals.hours;
    for (const auto& [township, list] : by_township) {
      const auto t = engines::cultivation::ComputeCoverage(list);
      CoverageGroup g;
      g.code = fmt::format("{:09d}", township);
      QJ_ASSIGN_OR_RETURN(auto names, db->Query("SELECT name FROM division WHERE code = ?",
                                                {Value(township * 1000)}));
      if (!names.empty()) g.name = names[0].Text(0);
      g.cadres = t.cadres;
      g.trained = t.trained;
      g.met = t.met;
      g.hours = t.hours;
      rep.by_township.push_back(std::move(g));
    }
    std::stable_sort(rep.people.begin(), rep.people.end(),
                     [](const CoveragePerson& a, const CoveragePerson& b) { return !a.met && b.met; });
    // Hours by kind and topic, over everyone's attendance in the range.
    QJ_ASSIGN_OR_RETURN(
        auto att, db->Query("SELECT a.hours, c.kind, c.topics FROM attendance a JOIN course c"
                            " ON c.id = a.course_id WHERE a.division_code BETWEEN ? AND ?"
                            " AND c.start_date BETWEEN ? AND ?",
                            {Value(range.lo), Value(range.hi),
                             Value(fmt::format("{:04d}-01-01", year)),
                             Value(fmt::format("{:04d}-12-31", year))}));
    std::map<std::string, double> kinds, topics;
    for (auto k : domain::kCourseKinds) kinds[std::string(k)] = 0;
    for (auto t : domain::kCourseTopics) topics[std::string(t)] = 0;
    for (const auto& r : att) {
      kinds[r.Text(1)] += r.Real(0);
      for (const auto& t : ParseStringArray(r.Text(2))) topics[t] += r.Real(0);
    }
    for (auto k : domain::kCourseKinds) rep.hours_by_kind.emplace_back(k, kinds[std::string(k)]);
    for (auto t : domain::kCourseTopics)
      rep.hours_by_topic.emplace_back(t, topics[std::string(t)]);
    return Status::Ok();
  }));
  return rep;
}

}  // namespace qiangji::services

// Team health per village (engines/cultivation/team_health.h on the posts, people, talent and
// Party organizations of a range), the cultivation settings (reserve target, annual training
// hours) and a person's cultivation timeline.
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

std::string Hours(double h) { return fmt::format("{:g} 学时", h); }

}  // namespace

Result<VillageTeamHealth> TeamHealthService::Village(const Caller& caller, std::string_view code) {
  auto parsed = DivisionCode::Parse(code);
  if (!parsed.ok() || parsed->level() != DivisionLevel::kVillage)
    return Status::InvalidField("code", "must be the 12-digit code of a village-level unit");
  const Date today = Date::TodayInChina();
  auto db = env_.pool->Acquire();
  VillageTeamHealth out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::Division d,
                        DivisionInScope(*db, caller, parsed->value(),
                                        fmt::format("village {}", parsed->ToString())));
    QJ_ASSIGN_OR_RETURN(auto settings, cultivation_internal::LoadSettings(*db));
    const DivisionRange one{parsed->value(), parsed->value()};
    QJ_ASSIGN_OR_RETURN(auto teams,
                        cultivation_internal::GatherTeamInputs(*db, one, today, settings));
    engines::cultivation::TeamInput in;
    in.division_code = parsed->value();
    in.reserve_target = settings.For(in.division_code).reserve_target;
    std::vector<int64_t> members;
    if (!teams.inputs.empty()) {
      in = teams.inputs[0];
      members = teams.member_ids[0];
    }
    out.code = parsed->ToString();
    out.name = d.name;
    if (d.parent_code) {
      auto township = LoadDivision(*db, d.parent_code);
      if (township.ok()) out.township_name = township->name;
    }
    out.health = engines::cultivation::ComputeTeamHealth(in, today);
    out.annual_hours = settings.For(in.division_code).annual_hours;
    QJ_ASSIGN_OR_RETURN(auto hours, cultivation_internal::HoursByPerson(*db, one, today.year()));
    std::map<int64_t, double> by(hours.begin(), hours.end());
    for (int64_t id : members) {
      out.training_required_met += engines::cultivation::MetRequirement(
          {by.count(id) ? by[id] : 0.0, out.annual_hours});
    }
    return Status::Ok();
  }));
  return out;
}

Result<TeamHealthReport> TeamHealthService::Under(const Caller& caller, std::string_view under) {
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  const Date today = Date::TodayInChina();
  auto db = env_.pool->Acquire();
  TeamHealthReport rep;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto settings, cultivation_internal::LoadSettings(*db));
    QJ_ASSIGN_OR_RETURN(auto teams,
                        cultivation_internal::GatherTeamInputs(*db, range, today, settings));
    QJ_ASSIGN_OR_RETURN(auto hours, cultivation_internal::HoursByPerson(*db, range, today.year()));
    std::map<int64_t, double> by(hours.begin(), hours.end());
    std::vector<engines::cultivation::TeamHealth> health;
    for (size_t i = 0; i < teams.inputs.size(); ++i) {
      VillageTeamHealth v;
      v.code = fmt::format("{:012d}", teams.inputs[i].division_code);
      v.name = teams.names[i];
      v.township_name = teams.township_names[i];
      v.health = engines::cultivation::ComputeTeamHealth(teams.inputs[i], today);
      v.annual_hours = settings.For(teams.inputs[i].division_code).annual_hours;
      for (int64_t id : teams.member_ids[i]) {
        v.training_required_met += engines::cultivation::MetRequirement(
            {by.count(id) ? by[id] : 0.0, v.annual_hours});
      }
      health.push_back(v.health);
      rep.villages.push_back(std::move(v));
    }
    rep.summary = engines::cultivation::Summarize(teams.inputs, health, today);
    return Status::Ok();
  }));
  return rep;
}

Result<CultivationSettings> TeamHealthService::Settings(const Caller& caller,
                                                        std::string_view under) {
  QJ_RETURN_IF_ERROR(ScopedRange(caller, under).status());
  auto db = env_.pool->Acquire();
  CultivationSettings out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, cultivation_internal::EffectiveSettings(
                                 *db, under.empty() ? caller.scope_prefix : under));
    return Status::Ok();
  }));
  return out;
}

Result<CultivationSettings> TeamHealthService::PutSettings(const Caller& caller,
                                                           CultivationSettings s) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  FieldErrors errors;
  const size_t n = s.scope.size();
  auto range = ParseScopePrefix(s.scope);
  if ((n != 6 && n != 9 && n != 12) || !range.ok())
    errors.Add("scope", "must be a county (6 digits), township (9) or village (12) code");
  if (s.reserve_target < 0 || s.reserve_target > 20)
    errors.Add("reserve_target", "must be 0 to 20");
  if (!(s.annual_hours >= 0 && s.annual_hours <= 500))
    errors.Add("annual_hours", "must be 0 to 500 hours");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  if (!caller.scope.Covers(*range))
    return Status::NotFound(fmt::format("division {} not found", s.scope));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(DivisionInScope(*db, caller,
                                       std::stoll(cultivation_internal::Prefix12(s.scope)),
                                       fmt::format("division {}", s.scope))
                           .status());
    QJ_ASSIGN_OR_RETURN(auto before, cultivation_internal::EffectiveSettings(*db, s.scope));
    QJ_RETURN_IF_ERROR(db->Execute("INSERT INTO cultivation_setting (scope, reserve_target,"
                                   " annual_hours, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)"
                                   " ON CONFLICT (scope) DO UPDATE SET"
                                   " reserve_target = excluded.reserve_target,"
                                   " annual_hours = excluded.annual_hours,"
                                   " updated_at = excluded.updated_at,"
                                   " updated_by = excluded.updated_by",
                                   {Value(s.scope), Value(s.reserve_target), Value(s.annual_hours),
                                    Value(NowUtc()), Value(caller.username)})
                           .status());
    AuditRecord a;
    a.action = "cultivation.settings";
    a.object = fmt::format("cultivation_setting/{}", s.scope);
    a.division_code = std::stoll(cultivation_internal::Prefix12(s.scope));
    a.before = SettingsJson(before);
    a.after = SettingsJson(s);
    return WriteAudit(*db, caller, a);
  }));
  return s;
}

Result<PersonTimeline> TeamHealthService::Timeline(const Caller& caller, int64_t person_id) {
  auto db = env_.pool->Acquire();
  PersonTimeline t;
  int64_t talent_id = 0;
  const Date today = Date::TodayInChina();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto p, LoadPerson(*db, caller, person_id));
    t.person_id = p.id;
    t.name = p.name;
    t.division_code = p.division_code;
    t.division_name = p.division_name;
    QJ_ASSIGN_OR_RETURN(auto state, cultivation_internal::LoadMembershipState(*db, p));
    t.membership_stage = domain::CurrentStage(state);
    for (const auto& s : state.steps) {
      t.entries.push_back({s.date, "membership", s.stage,
                           s.stage == domain::kProbationExtended
                               ? fmt::format("{} 个月; {}", s.months, s.note)
                               : s.note,
                           s.id});
    }
    QJ_ASSIGN_OR_RETURN(auto talent, db->Query("SELECT id, entered_on, source FROM talent"
                                               " WHERE person_id = ?",
                                               {Value(p.id)}));
    if (!talent.empty()) {
      talent_id = talent[0].Int(0);
      if (auto on = OptDate(talent[0], 1))
        t.entries.push_back({*on, "talent", talent[0].Text(2), "", talent_id});
    }
    QJ_ASSIGN_OR_RETURN(auto cadre, db->Query("SELECT id, stage, step_date, note FROM cadre_step"
                                              " WHERE person_id = ?",
                                              {Value(p.id)}));
    for (const auto& r : cadre)
      t.entries.push_back({RequiredDate(r, 2), "cadre", r.Text(1), r.Text(3), r.Int(0)});
    // Posts in the caller's scope (as PersonService::PostHistory).
    QJ_ASSIGN_OR_RETURN(auto posts, db->Query("SELECT id, kind, start_date, end_date FROM post"
                                              " WHERE person_id = ? AND division_code"
                                              " BETWEEN ? AND ?",
                                              {Value(p.id), Value(caller.scope.lo),
                                               Value(caller.scope.hi)}));
    for (const auto& r : posts) {
      t.entries.push_back({RequiredDate(r, 2), "post_start", r.Text(1), "", r.Int(0)});
      if (auto end = OptDate(r, 3); end && *end <= today)
        t.entries.push_back({*end, "post_end", r.Text(1), "", r.Int(0)});
    }
    QJ_ASSIGN_OR_RETURN(auto att, db->Query("SELECT c.id, c.title, c.start_date, a.hours,"
                                            " a.completed, a.attended FROM attendance a"
                                            " JOIN course c ON c.id = a.course_id"
                                            " WHERE a.person_id = ?",
                                            {Value(p.id)}));
    for (const auto& r : att) {
      const Date on = RequiredDate(r, 2);
      const std::string state_text =
          r.Int(5) == 0 ? "缺席" : r.Int(4) != 0 ? "已结业" : "参训";
      t.entries.push_back(
          {on, "training", r.Text(1), fmt::format("{}; {}", state_text, Hours(r.Real(3))),
           r.Int(0)});
      if (on.year() == today.year()) t.hours_this_year += r.Real(3);
    }
    QJ_ASSIGN_OR_RETURN(auto sec, db->Query("SELECT id, host, start_date, goals FROM secondment"
                                            " WHERE person_id = ?",
                                            {Value(p.id)}));
    for (const auto& r : sec)
      t.entries.push_back({RequiredDate(r, 2), "secondment", r.Text(1), r.Text(3), r.Int(0)});
    QJ_ASSIGN_OR_RETURN(
        auto men, db->Query("SELECT m.id, m.start_date, m.goals, a.name, b.name,"
                            " m.mentor_person_id FROM mentoring m"
                            " JOIN person a ON a.id = m.mentor_person_id"
                            " JOIN person b ON b.id = m.mentee_person_id"
                            " WHERE m.mentor_person_id = ? OR m.mentee_person_id = ?",
                            {Value(p.id), Value(p.id)}));
    for (const auto& r : men) {
      const bool mentor = r.Int(5) == p.id;
      t.entries.push_back({RequiredDate(r, 1), "mentoring",
                           mentor ? fmt::format("帮带 {}", r.Text(4))
                                  : fmt::format("由 {} 帮带", r.Text(3)),
                           r.Text(2), r.Int(0)});
    }
    return Status::Ok();
  }));
  std::stable_sort(t.entries.begin(), t.entries.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.date < b.date; });
  if (talent_id != 0) {
    QJ_ASSIGN_OR_RETURN(TalentView v, TalentService(env_).Get(caller, talent_id));
    t.talent = std::move(v);
  }
  return t;
}

}  // namespace qiangji::services

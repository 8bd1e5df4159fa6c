#include "services/cultivation_json.h"

#include <cmath>

#include <fmt/format.h>

#include "services/record_json.h"

namespace qiangji::services {

namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

json::value OptNumber(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

json::value OptInt(const std::optional<int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

json::object StageCounts(const std::vector<int64_t>& counts) {
  json::object o;
  for (size_t i = 0; i < std::size(domain::kMembershipStages) && i < counts.size(); ++i)
    o[domain::kMembershipStages[i]] = counts[i];
  return o;
}

}  // namespace

std::string OrganizerPrefix(int64_t code) {
  const std::string s = fmt::format("{:012d}", code);
  if (s.substr(6) == "000000") return s.substr(0, 6);
  if (s.substr(9) == "000") return s.substr(0, 9);
  return s;
}

json::object TalentJson(const domain::Talent& t) {
  return {{"id", t.id},
          {"person_id", t.person_id},
          {"division_code", DivisionCodeJson(t.division_code)},
          {"source", t.source},
          {"channel", t.channel},
          {"nominator", t.nominator},
          {"ability_rating", t.ability_rating},
          {"skills", Strings(t.skills)},
          {"status", t.status},
          {"entered_on", DateJson(t.entered_on)},
          {"note", t.note}};
}

json::object TalentViewJson(const TalentView& v) {
  json::object o = TalentJson(v.talent);
  o["name"] = v.name;
  o["sex"] = v.sex;
  o["birth_date"] = DateJson(v.birth_date);
  o["age"] = v.age ? json::value(*v.age) : json::value(nullptr);
  o["id_number"] = v.id_number;
  o["education"] = v.education;
  o["party_status"] = v.party_status;
  o["division_name"] = v.division_name;
  o["current_posts"] = Strings(v.current_posts);
  return o;
}

json::object DuplicateCheckJson(const DuplicateCheck& d) {
  json::object o{{"exists", d.exists}, {"in_scope", d.in_scope}};
  if (d.in_scope) {
    o["person_id"] = d.person_id;
    o["talent_id"] = d.talent_id ? json::value(d.talent_id) : json::value(nullptr);
    o["name"] = d.name;
  }
  return o;
}

json::object MembershipStepJson(const domain::MembershipStep& s) {
  json::object o{{"id", s.id},
                 {"person_id", s.person_id},
                 {"division_code", DivisionCodeJson(s.division_code)},
                 {"stage", s.stage},
                 {"date", s.date.ToString()},
                 {"note", s.note}};
  if (s.stage == domain::kProbationExtended) o["months"] = s.months;
  return o;
}

json::object MembershipHistoryJson(const MembershipHistory& h) {
  json::array steps;
  for (const auto& s : h.steps) steps.push_back(MembershipStepJson(s));
  return {{"person_id", h.person_id},
          {"name", h.name},
          {"division_code", DivisionCodeJson(h.division_code)},
          {"division_name", h.division_name},
          {"current_stage", h.current_stage},
          {"next_stage", TextOrNull(h.next_stage)},
          {"next_eligible_on", DateJson(h.next_eligible_on)},
          {"steps", std::move(steps)}};
}

json::object FunnelJson(const Funnel& f) {
  json::array groups;
  for (const auto& g : f.groups)
    groups.push_back({{"code", g.code}, {"name", g.name}, {"counts", StageCounts(g.counts)}});
  json::array stages;
  for (auto s : domain::kMembershipStages) stages.emplace_back(s);
  return {{"level", f.level},
          {"stages", std::move(stages)},
          {"groups", std::move(groups)},
          {"totals", StageCounts(f.totals)}};
}

json::object ReminderJson(const Reminder& r) {
  return {{"person_id", r.person_id},
          {"name", r.name},
          {"division_code", DivisionCodeJson(r.division_code)},
          {"division_name", r.division_name},
          {"kind", r.kind},
          {"stage", r.stage},
          {"since", r.since.ToString()},
          {"due_on", r.due_on.ToString()},
          {"status", r.status},
          {"days", r.days}};
}

json::object CadreStepJson(const domain::CadreStep& s) {
  return {{"id", s.id},
          {"person_id", s.person_id},
          {"division_code", DivisionCodeJson(s.division_code)},
          {"stage", s.stage},
          {"date", s.date.ToString()},
          {"note", s.note}};
}

json::object CadreHistoryJson(const CadreHistory& h) {
  json::array steps;
  for (const auto& s : h.steps) steps.push_back(CadreStepJson(s));
  return {{"person_id", h.person_id},
          {"name", h.name},
          {"division_code", DivisionCodeJson(h.division_code)},
          {"division_name", h.division_name},
          {"current_posts", Strings(h.current_posts)},
          {"steps", std::move(steps)}};
}

json::object CourseJson(const domain::Course& c) {
  return {{"id", c.id},
          {"division_code", OrganizerPrefix(c.division_code)},
          {"title", c.title},
          {"kind", c.kind},
          {"mode", c.mode},
          {"direction", c.direction},
          {"topics", Strings(c.topics)},
          {"hours", c.hours},
          {"start_date", c.start_date.ToString()},
          {"end_date", c.end_date.ToString()},
          {"place", c.place},
          {"note", c.note}};
}

json::object CourseViewJson(const CourseView& v) {
  json::object o = CourseJson(v.course);
  o["division_name"] = v.division_name;
  o["attendees"] = v.attendees;
  o["completed"] = v.completed;
  return o;
}

json::object AttendanceJson(const domain::Attendance& a) {
  return {{"course_id", a.course_id},
          {"person_id", a.person_id},
          {"division_code", DivisionCodeJson(a.division_code)},
          {"attended", a.attended},
          {"completed", a.completed},
          {"hours", OptNumber(a.hours)}};
}

json::object CourseDetailJson(const CourseDetail& d) {
  json::object o = CourseViewJson(d.view);
  json::array list;
  for (const auto& a : d.attendance) {
    json::object row = AttendanceJson(a.attendance);
    row["name"] = a.name;
    row["division_name"] = a.division_name;
    row["credited_hours"] = a.credited_hours;
    list.push_back(std::move(row));
  }
  o["attendance"] = std::move(list);
  return o;
}

json::object CoverageJson(const CoverageReport& r) {
  json::array groups;
  for (const auto& g : r.by_township)
    groups.push_back({{"code", g.code},
                      {"name", g.name},
                      {"cadres", g.cadres},
                      {"trained", g.trained},
                      {"met", g.met},
                      {"hours", g.hours}});
  json::object by_kind, by_topic;
  for (const auto& [k, h] : r.hours_by_kind) by_kind[k] = h;
  for (const auto& [k, h] : r.hours_by_topic) by_topic[k] = h;
  json::array people;
  for (const auto& p : r.people)
    people.push_back({{"person_id", p.person_id},
                      {"name", p.name},
                      {"division_code", DivisionCodeJson(p.division_code)},
                      {"post", p.post},
                      {"hours", p.hours},
                      {"required", p.required},
                      {"met", p.met}});
  return {{"year", r.year},
          {"required_hours", r.required_hours},
          {"cadres", r.cadres},
          {"trained", r.trained},
          {"met", r.met},
          {"coverage", r.coverage},
          {"met_share", r.met_share},
          {"hours", r.hours},
          {"by_township", std::move(groups)},
          {"hours_by_kind", std::move(by_kind)},
          {"hours_by_topic", std::move(by_topic)},
          {"people", std::move(people)}};
}

json::object SecondmentJson(const domain::Secondment& s) {
  return {{"id", s.id},
          {"person_id", s.person_id},
          {"division_code", DivisionCodeJson(s.division_code)},
          {"host_kind", s.host_kind},
          {"host", s.host},
          {"start_date", s.start_date.ToString()},
          {"end_date", DateJson(s.end_date)},
          {"goals", s.goals}};
}

json::object SecondmentViewJson(const SecondmentView& v) {
  json::object o = SecondmentJson(v.secondment);
  o["name"] = v.name;
  o["division_name"] = v.division_name;
  return o;
}

json::object MentoringJson(const domain::Mentoring& m) {
  return {{"id", m.id},
          {"mentor_person_id", m.mentor_person_id},
          {"mentee_person_id", m.mentee_person_id},
          {"division_code", DivisionCodeJson(m.division_code)},
          {"goals", m.goals},
          {"start_date", m.start_date.ToString()},
          {"end_date", DateJson(m.end_date)}};
}

json::object MentoringViewJson(const MentoringView& v) {
  json::object o = MentoringJson(v.mentoring);
  o["mentor_name"] = v.mentor_name;
  o["mentee_name"] = v.mentee_name;
  o["division_name"] = v.division_name;
  return o;
}

json::object TeamHealthJson(const engines::cultivation::TeamHealth& h) {
  json::object education;
  for (const auto& [level, n] : h.education) education[level] = n;
  return {{"member_count", h.member_count},
          {"average_age", OptNumber(h.average_age)},
          {"share_under_35", OptNumber(h.share_under_35)},
          {"share_under_45", OptNumber(h.share_under_45)},
          {"women", h.women},
          {"women_share", OptNumber(h.women_share)},
          {"education", std::move(education)},
          {"college_share", OptNumber(h.college_share)},
          {"wealth_leaders", h.wealth_leaders},
          {"wealth_leader_share", OptNumber(h.wealth_leader_share)},
          {"reserve_count", h.reserve_count},
          {"reserve_target", h.reserve_target},
          {"reserve_shortfall", h.reserve_shortfall},
          {"secretary_vacancy_days", OptInt(h.secretary_vacancy_days)},
          {"director_vacancy_days", OptInt(h.director_vacancy_days)},
          {"term_expiry", DateJson(h.term_expiry)},
          {"days_to_term_expiry", OptInt(h.days_to_term_expiry)},
          {"term_status", h.term_status},
          {"concurrent_posts", h.concurrent_posts}};
}

json::object VillageTeamHealthJson(const VillageTeamHealth& v) {
  json::object o = TeamHealthJson(v.health);
  o["code"] = v.code;
  o["name"] = v.name;
  o["township_name"] = v.township_name;
  o["training_required_met"] = v.training_required_met;
  o["annual_hours"] = v.annual_hours;
  return o;
}

json::object TeamHealthReportJson(const TeamHealthReport& r) {
  const auto& s = r.summary;
  json::array villages;
  for (const auto& v : r.villages) villages.push_back(VillageTeamHealthJson(v));
  return {{"summary",
           {{"villages", s.villages},
            {"members", s.members},
            {"average_age", OptNumber(s.average_age)},
            {"share_under_35", OptNumber(s.share_under_35)},
            {"share_under_45", OptNumber(s.share_under_45)},
            {"women_share", OptNumber(s.women_share)},
            {"college_share", OptNumber(s.college_share)},
            {"wealth_leader_share", OptNumber(s.wealth_leader_share)},
            {"reserve_count", s.reserve_count},
            {"villages_short_of_reserves", s.villages_short_of_reserves},
            {"secretary_vacant", s.secretary_vacant},
            {"director_vacant", s.director_vacant},
            {"terms_expired", s.terms_expired},
            {"terms_expiring", s.terms_expiring},
            {"concurrent_full", s.concurrent_full},
            {"concurrent_partial", s.concurrent_partial}}},
          {"villages", std::move(villages)}};
}

json::object SettingsJson(const CultivationSettings& s) {
  return {{"scope", s.scope}, {"reserve_target", s.reserve_target},
          {"annual_hours", s.annual_hours}};
}

json::object TimelineJson(const PersonTimeline& t) {
  json::array entries;
  for (const auto& e : t.entries)
    entries.push_back({{"date", e.date.ToString()},
                       {"kind", e.kind},
                       {"title", e.title},
                       {"detail", e.detail},
                       {"ref_id", e.ref_id}});
  return {{"person_id", t.person_id},
          {"name", t.name},
          {"division_code", DivisionCodeJson(t.division_code)},
          {"division_name", t.division_name},
          {"talent", t.talent ? json::value(TalentViewJson(*t.talent)) : json::value(nullptr)},
          {"membership_stage", t.membership_stage},
          {"hours_this_year", t.hours_this_year},
          {"entries", std::move(entries)}};
}

}  // namespace qiangji::services

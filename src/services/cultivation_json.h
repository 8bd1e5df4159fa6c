// JSON of cultivation (docs/cultivation.md): the API's answers and the audit snapshots use the
// same functions. Personal data arrives already masked.
#pragma once

#include <boost/json.hpp>

#include "domain/cultivation.h"
#include "services/cultivation.h"

namespace qiangji::services {

boost::json::object TalentJson(const domain::Talent& t);
boost::json::object TalentViewJson(const TalentView& v);
boost::json::object DuplicateCheckJson(const DuplicateCheck& d);
boost::json::object MembershipStepJson(const domain::MembershipStep& s);
boost::json::object MembershipHistoryJson(const MembershipHistory& h);
boost::json::object FunnelJson(const Funnel& f);
boost::json::object ReminderJson(const Reminder& r);
boost::json::object CadreStepJson(const domain::CadreStep& s);
boost::json::object CadreHistoryJson(const CadreHistory& h);
boost::json::object CourseJson(const domain::Course& c);
boost::json::object CourseViewJson(const CourseView& v);
boost::json::object CourseDetailJson(const CourseDetail& d);
boost::json::object AttendanceJson(const domain::Attendance& a);
boost::json::object CoverageJson(const CoverageReport& r);
boost::json::object SecondmentJson(const domain::Secondment& s);
boost::json::object SecondmentViewJson(const SecondmentView& v);
boost::json::object MentoringJson(const domain::Mentoring& m);
boost::json::object MentoringViewJson(const MentoringView& v);
boost::json::object TeamHealthJson(const engines::cultivation::TeamHealth& h);
boost::json::object VillageTeamHealthJson(const VillageTeamHealth& v);
boost::json::object TeamHealthReportJson(const TeamHealthReport& r);
boost::json::object SettingsJson(const CultivationSettings& s);
boost::json::object TimelineJson(const PersonTimeline& t);

// "130624" for a county code, "130624100" for a township, 12 digits for a village: the shortest
// prefix a 12-digit value stands for (a course organizer, a settings scope).
std::string OrganizerPrefix(int64_t code);

}  // namespace qiangji::services

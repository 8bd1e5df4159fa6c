// Cultivation (双培养, issue 6; docs/cultivation.md): the talent pool on the person records, the
// membership and cadre pipelines with their rules, training courses and attendance with
// coverage, practice (secondments, mentoring pairs), each village team's health, funnels and
// reminders. Every write is one transaction with its audit row; scope as everywhere (NotFound
// outside it); a broken pipeline rule is FailedPrecondition "rule <name>: ..." (409) and changes
// nothing; bad input is InvalidArgument with field errors (400).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/cultivation.h"
#include "domain/records.h"
#include "engines/cultivation/team_health.h"
#include "services/base.h"
#include "services/caller.h"

namespace qiangji::services {

// ---- talent pool ---------------------------------------------------------------------------

struct TalentView {
  domain::Talent talent;
  // From the person record (ID number masked).
  std::string name;
  std::string sex;
  std::optional<Date> birth_date;
  std::optional<int> age;
  std::string id_number;
  std::string education;
  std::string party_status;
  std::string division_name;
  std::vector<std::string> current_posts;  // post kinds held today in the village
};

struct TalentQuery {
  ListQuery list;          // under, q (name, or an exact ID number through its hash), paging
  std::string source;      // "" = any
  std::string channel;     // "" = any
  std::string status;      // "" = any
  std::string party_status;  // "" = any
  std::optional<int> min_rating;
};

// A duplicate check by ID number across the whole database (not only the caller's scope).
struct DuplicateCheck {
  bool exists = false;      // a person with this ID number is recorded somewhere
  bool in_scope = false;    // ... within the caller's scope (then the ids are given)
  int64_t person_id = 0;
  int64_t talent_id = 0;    // 0 when that person is not in the pool
  std::string name;         // only when in scope
};

class TalentService {
 public:
  explicit TalentService(Env env) : env_(env) {}
  Result<Page<TalentView>> List(const Caller& caller, const TalentQuery& q);
  Result<TalentView> Get(const Caller& caller, int64_t id);
  // Adds a person to the pool: talent.person_id names an existing person in scope, or `person`
  // (with talent.person_id 0) is created first, in the same transaction. A person already in the
  // pool, or an ID number already recorded anywhere, is AlreadyExists (409) naming the field.
  Result<TalentView> Create(const Caller& caller, domain::Talent talent,
                            std::optional<domain::Person> person = std::nullopt);
  Result<TalentView> Update(const Caller& caller, domain::Talent talent);  // by talent.id
  Result<DuplicateCheck> CheckDuplicate(const Caller& caller, std::string_view id_number);

 private:
  Env env_;
};

// ---- membership pipeline ---------------------------------------------------------------------

struct MembershipHistory {
  int64_t person_id = 0;
  std::string name;
  int64_t division_code = 0;
  std::string division_name;
  std::string current_stage;  // kMembershipStages or "masses"
  std::vector<domain::MembershipStep> steps;  // oldest first
  std::string next_stage;                     // "" when a full member
  std::optional<Date> next_eligible_on;       // when a timed rule applies (activist, probation)
};

struct FunnelGroup {
  std::string code;  // 6, 9 or 12 digits per level
  std::string name;
  std::vector<int64_t> counts;  // one per domain::kMembershipStages
};
struct Funnel {
  std::string level;  // "village" (branch), "township" or "county"
  std::vector<FunnelGroup> groups;
  std::vector<int64_t> totals;  // one per stage
};

struct Reminder {
  int64_t person_id = 0;
  std::string name;
  int64_t division_code = 0;
  std::string division_name;
  std::string kind;  // "development_target_due" (activist a year) | "probation_ending"
  std::string stage;       // the current stage
  Date since;              // when the stage was reached
  Date due_on;             // first day of the next step
  std::string status;      // "upcoming" (within 30 days), "due", "overdue" (over 90 days past)
  int64_t days = 0;        // days until due (negative once past)
};

class MembershipService {
 public:
  explicit MembershipService(Env env) : env_(env) {}
  Result<MembershipHistory> History(const Caller& caller, int64_t person_id);
  // Checks the step against the rules (domain::CheckMembershipStep) and records it; the
  // person's party_status follows (party_join_date is set on probationary admission).
  Result<MembershipHistory> AddStep(const Caller& caller, domain::MembershipStep step);
  // level: "village", "township" or "county".
  Result<Funnel> FunnelCounts(const Caller& caller, std::string_view under,
                              std::string_view level);
  Result<std::vector<Reminder>> Reminders(const Caller& caller, std::string_view under);

 private:
  Env env_;
};

// ---- cadre pipeline ------------------------------------------------------------------------

struct CadreHistory {
  int64_t person_id = 0;
  std::string name;
  int64_t division_code = 0;
  std::string division_name;
  std::vector<domain::CadreStep> steps;
  std::vector<std::string> current_posts;
};

class CadrePipelineService {
 public:
  explicit CadrePipelineService(Env env) : env_(env) {}
  Result<CadreHistory> History(const Caller& caller, int64_t person_id);
  // Checks domain::CheckCadreStep and records the step with the post it opens (reserve_cadre,
  // two_committee_member, party_secretary, collective_manager); moving up ends the post below.
  Result<CadreHistory> AddStep(const Caller& caller, domain::CadreStep step);

 private:
  Env env_;
};

// ---- training -------------------------------------------------------------------------------

struct CourseView {
  domain::Course course;
  std::string division_name;
  int64_t attendees = 0;   // attended, among people in the caller's scope
  int64_t completed = 0;
};
struct AttendanceView {
  domain::Attendance attendance;
  std::string name;
  std::string division_name;
  double credited_hours = 0;
};
struct CourseDetail {
  CourseView view;
  std::vector<AttendanceView> attendance;  // people in the caller's scope only
};
struct CourseQuery {
  std::string under;  // organizer prefix within the scope; "" = all visible
  int year = 0;       // start_date in this year; 0 = any
  std::string kind;
  std::string topic;
};

struct CoveragePerson {
  int64_t person_id = 0;
  std::string name;
  int64_t division_code = 0;
  std::string post;  // the person's main current post kind
  double hours = 0;
  double required = 0;
  bool met = false;
};
struct CoverageGroup {
  std::string code;  // township (9 digits)
  std::string name;
  int64_t cadres = 0, trained = 0, met = 0;
  double hours = 0;
};
struct CoverageReport {
  int year = 0;
  double required_hours = 0;  // the requirement under `under` (people may differ by village)
  int64_t cadres = 0;         // current two-committee members and reserve cadres
  int64_t trained = 0;        // with any credited hours in the year
  int64_t met = 0;            // with at least the required hours
  double coverage = 0;        // trained / cadres (0 when no cadres)
  double met_share = 0;       // met / cadres
  double hours = 0;           // total credited
  std::vector<CoverageGroup> by_township;
  std::vector<std::pair<std::string, double>> hours_by_kind;   // pre_job, on_job, professional
  std::vector<std::pair<std::string, double>> hours_by_topic;  // course hours per topic
  std::vector<CoveragePerson> people;  // cadres short of the requirement first
};

class TrainingService {
 public:
  explicit TrainingService(Env env) : env_(env) {}
  Result<std::vector<CourseView>> List(const Caller& caller, const CourseQuery& q);
  Result<CourseDetail> Get(const Caller& caller, int64_t id);
  Result<CourseDetail> Create(const Caller& caller, domain::Course course);
  Result<CourseDetail> Update(const Caller& caller, domain::Course course);
  // Records (replaces) the listed people's attendance of a course, all or nothing.
  Result<CourseDetail> SetAttendance(const Caller& caller, int64_t course_id,
                                     std::vector<domain::Attendance> list);
  Result<CoverageReport> Coverage(const Caller& caller, std::string_view under, int year);

 private:
  Env env_;
};

// ---- practice -------------------------------------------------------------------------------

struct SecondmentView {
  domain::Secondment secondment;
  std::string name;
  std::string division_name;
};
struct MentoringView {
  domain::Mentoring mentoring;
  std::string mentor_name;
  std::string mentee_name;
  std::string division_name;
};

class PracticeService {
 public:
  explicit PracticeService(Env env) : env_(env) {}
  Result<std::vector<SecondmentView>> Secondments(const Caller& caller, std::string_view under);
  Result<SecondmentView> CreateSecondment(const Caller& caller, domain::Secondment s);
  Result<SecondmentView> UpdateSecondment(const Caller& caller, domain::Secondment s);
  Result<std::vector<MentoringView>> MentoringPairs(const Caller& caller, std::string_view under);
  Result<MentoringView> CreateMentoring(const Caller& caller, domain::Mentoring m);
  Result<MentoringView> UpdateMentoring(const Caller& caller, domain::Mentoring m);

 private:
  Env env_;
};

// ---- team health, settings, timeline ----------------------------------------------------------

struct CultivationSettings {
  std::string scope;  // the prefix the values were set under ("" = the defaults)
  int64_t reserve_target = 2;
  double annual_hours = 32;
};
inline constexpr int64_t kDefaultReserveTarget = 2;
inline constexpr double kDefaultAnnualHours = 32;

struct VillageTeamHealth {
  std::string code;
  std::string name;
  std::string township_name;
  engines::cultivation::TeamHealth health;
  int64_t training_required_met = 0;  // two-committee members meeting this year's hours
  double annual_hours = 0;
};
struct TeamHealthReport {
  engines::cultivation::TeamHealthSummary summary;
  std::vector<VillageTeamHealth> villages;  // villagers' and residents' committees with a team
};

struct TimelineEntry {
  Date date;
  std::string kind;    // "membership", "cadre", "post_start", "post_end", "training",
                       // "secondment", "mentoring"
  std::string title;   // stage / post kind / course title / host
  std::string detail;  // note, goals, hours...
  int64_t ref_id = 0;  // step, post, course, secondment or mentoring id
};
struct PersonTimeline {
  int64_t person_id = 0;
  std::string name;
  int64_t division_code = 0;
  std::string division_name;
  std::optional<TalentView> talent;
  std::string membership_stage;
  std::vector<TimelineEntry> entries;  // oldest first
  double hours_this_year = 0;
};

class TeamHealthService {
 public:
  explicit TeamHealthService(Env env) : env_(env) {}
  Result<VillageTeamHealth> Village(const Caller& caller, std::string_view code);
  Result<TeamHealthReport> Under(const Caller& caller, std::string_view under);
  // The settings that apply under a prefix (the longest stored prefix of it, else defaults).
  Result<CultivationSettings> Settings(const Caller& caller, std::string_view under);
  // Stores the values for `settings.scope` (a prefix within the caller's scope; 6, 9 or 12 digits).
  Result<CultivationSettings> PutSettings(const Caller& caller, CultivationSettings settings);
  Result<PersonTimeline> Timeline(const Caller& caller, int64_t person_id);

 private:
  Env env_;
};

struct CultivationServices {
  explicit CultivationServices(Env env)
      : talent(env), membership(env), cadres(env), training(env), practice(env), health(env) {}
  TalentService talent;
  MembershipService membership;
  CadrePipelineService cadres;
  TrainingService training;
  PracticeService practice;
  TeamHealthService health;
};

}  // namespace qiangji::services

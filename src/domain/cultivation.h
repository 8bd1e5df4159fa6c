// Cultivation (双培养) as plain data: the talent pool, the membership pipeline (入党申请人 →
// 入党积极分子 → 发展对象 → 预备党员 → 正式党员) with the member-development rules, the cadre
// pipeline (talent → reserve cadre → two-committee member → secretary; Party-member wealth
// leaders → collective managers), training courses with attendance, and practice (secondments,
// mentoring pairs). Invariants and rule checks only, no I/O; services/cultivation.h stores them.
// Each rule and its source: docs/cultivation.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"

namespace qiangji::domain {

// ---- talent pool -------------------------------------------------------------------------

inline constexpr std::string_view kTalentSources[] = {
    "returnee_graduate",  // 回乡大学生
    "returnee_worker",    // 返乡农民工
    "veteran",            // 复转军人
    "wealth_leader",      // 致富能人
    "coop_chair",         // 农民专业合作社理事长
};
inline constexpr std::string_view kNominationChannels[] = {
    "org_nomination",   // 组织推荐
    "mass_nomination",  // 群众举荐
    "self_nomination",  // 个人自荐
};
inline constexpr std::string_view kTalentStatuses[] = {
    "active",    // 在库培养
    "paused",    // 暂缓
    "left",      // 已出库 (moved away, declined, ...)
};

// One person of the talent pool. The personal data (name, ID number, birth date, sex,
// education) stays in the person record; this is what cultivation adds to it.
struct Talent {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t division_code = 0;  // the person's village (copied from the person on write)
  std::string source;         // kTalentSources
  std::string channel;        // kNominationChannels
  std::string nominator;      // who nominated: an organization, a person; "" for self
  int ability_rating = 3;     // 双带能力 1..5 (leads themselves / others to prosperity)
  std::vector<std::string> skills;  // free words, 1..20 characters each, at most 10
  std::string status = "active";    // kTalentStatuses
  std::optional<Date> entered_on;   // date taken into the pool
  std::string note;
};
// Field errors for the talent's own fields (not the person's).
Status ValidateTalent(const Talent& t);

// ---- rules --------------------------------------------------------------------------------

// A broken rule: `rule` is a stable identifier (docs/cultivation.md), `message` a sentence.
struct RuleBreak {
  std::string rule;
  std::string message;
};
// FailedPrecondition "rule <rule>: <message>", what the API answers with 409.
Status RuleStatus(const RuleBreak& b);

// ---- membership pipeline -------------------------------------------------------------------

inline constexpr std::string_view kMembershipStages[] = {
    "applicant", "activist", "development_target", "probationary_member", "member",
};
// Index in kMembershipStages, -1 when not a stage.
int MembershipStageIndex(std::string_view stage);

// One recorded step. `stage` is the stage reached on `date`; "probation_extended" records an
// extension of the probation (then `months` says by how much).
inline constexpr std::string_view kProbationExtended = "probation_extended";
struct MembershipStep {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t division_code = 0;
  std::string stage;  // kMembershipStages or kProbationExtended
  Date date;
  int months = 0;     // extension months (6..12), only for kProbationExtended
  std::string note;
};
Status ValidateMembershipStep(const MembershipStep& s);  // field errors: stage, date, months, note

// Rule identifiers.
inline constexpr std::string_view kRuleNoSkipping = "no_skipping";
inline constexpr std::string_view kRuleDateNotFuture = "date_not_future";
inline constexpr std::string_view kRuleDateOrder = "date_order";
inline constexpr std::string_view kRuleApplicantAge18 = "applicant_age_18";
inline constexpr std::string_view kRuleActivistOneYear = "activist_one_year";
inline constexpr std::string_view kRuleProbationOneYear = "probation_one_year";
inline constexpr std::string_view kRuleProbationExtendOnce = "probation_extend_once";

// Where a person stands: the steps so far (oldest first) and what the person record says.
struct MembershipState {
  std::vector<MembershipStep> steps;
  std::string party_status;  // person.party_status (kPartyStatuses)
  std::optional<Date> birth_date;
};

// The current stage: the last stage step, or the person's party_status when no step is recorded
// ("masses" = not in the pipeline).
std::string CurrentStage(const MembershipState& state);
// The date the current stage was reached (from the steps), empty when unrecorded.
std::optional<Date> StageReachedOn(const MembershipState& state, std::string_view stage);
// The first day a probationary member may become a full member: one year after the probation
// began, plus an extension when one was recorded. Empty when not on probation with a date.
std::optional<Date> ProbationEnds(const MembershipState& state);
// The first day an activist may become a development target (one year after becoming activist).
std::optional<Date> ActivistEligibleOn(const MembershipState& state);

// Checks one new step against the rules; nullopt when it may be recorded. A first recorded step
// may restate the person's current stage (recording when it was reached) instead of advancing.
std::optional<RuleBreak> CheckMembershipStep(const MembershipState& state,
                                             const MembershipStep& next, const Date& today);

// ---- cadre pipeline ------------------------------------------------------------------------

inline constexpr std::string_view kCadreStages[] = {
    "reserve_cadre",         // 后备干部
    "two_committee_member",  // 两委委员
    "party_secretary",       // 村党组织书记
    "collective_manager",    // 集体经济组织负责人 (Party-member wealth leaders)
};
inline constexpr std::string_view kRuleCadreOrder = "cadre_order";
inline constexpr std::string_view kRuleManagerMemberWealthLeader = "manager_member_wealth_leader";
inline constexpr std::string_view kRuleOneSecretary = "one_secretary";
inline constexpr std::string_view kRuleAlreadyHeld = "already_held";

struct CadreStep {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t division_code = 0;
  std::string stage;  // kCadreStages
  Date date;
  std::string note;
};
Status ValidateCadreStep(const CadreStep& s);

struct CadreState {
  bool in_talent_pool = false;
  std::string talent_source;            // kTalentSources, "" when not in the pool
  std::string party_status;             // person's
  std::vector<std::string> held_posts;  // current post kinds of the person in the village
  bool village_has_secretary = false;   // someone else holds party_secretary now
  std::optional<Date> last_step_date;
};
// talent → reserve_cadre → two_committee_member → party_secretary, no step skipped (a current
// deputy secretary or committee director counts as a two-committee member); collective_manager
// only for full or probationary members who are wealth leaders or co-op chairs in the pool.
std::optional<RuleBreak> CheckCadreStep(const CadreState& state, const CadreStep& next,
                                        const Date& today);

// ---- training -------------------------------------------------------------------------------

inline constexpr std::string_view kCourseKinds[] = {"pre_job", "on_job", "professional"};
inline constexpr std::string_view kCourseModes[] = {
    "expert_lecture",  // 专家授课
    "seminar",         // 专题研讨
    "field_study",     // 现场教学 / 观摩
    "online",          // 线上
    "offline",         // 线下
};
inline constexpr std::string_view kCourseDirections[] = {
    "bring_in",  // 请进来
    "go_out",    // 走出去
};
inline constexpr std::string_view kCourseTopics[] = {
    "market_economy",        // 市场经济
    "practical_technology",  // 实用技术
    "policy_law",            // 政策法规
    "management",            // 经营管理
};

struct Course {
  int64_t id = 0;
  int64_t division_code = 0;  // organizer: county (6 digits as a 12-digit value) or township
  std::string title;
  std::string kind;       // kCourseKinds
  std::string mode;       // kCourseModes
  std::string direction;  // kCourseDirections
  std::vector<std::string> topics;  // kCourseTopics, 1..4, no repeats
  double hours = 0;                 // class hours (学时), 0.5 .. 500, in halves
  Date start_date;
  Date end_date;
  std::string place;
  std::string note;
};
Status ValidateCourse(const Course& c);

struct Attendance {
  int64_t course_id = 0;
  int64_t person_id = 0;
  int64_t division_code = 0;  // the person's village
  bool attended = true;
  bool completed = false;  // 结业: completed counts towards annual hours
  std::optional<double> hours;  // hours credited; default the course's hours when completed
};
// Field errors under `field` ("attendance[2]"); hours within 0..course hours.
void ValidateAttendance(FieldErrors& errors, std::string_view field, const Attendance& a,
                        double course_hours);
// Hours credited: the given hours, else the course's when completed, else 0.
double CreditedHours(const Attendance& a, double course_hours);

// ---- practice --------------------------------------------------------------------------------

inline constexpr std::string_view kHostKinds[] = {"enterprise", "park", "new_org"};

struct Secondment {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t division_code = 0;  // the person's village
  std::string host_kind;      // kHostKinds
  std::string host;           // host organization name
  Date start_date;
  std::optional<Date> end_date;  // empty while under way
  std::string goals;
};
Status ValidateSecondment(const Secondment& s);

struct Mentoring {
  int64_t id = 0;
  int64_t mentor_person_id = 0;  // resident staff (first secretary, instructor, township cadre)
  int64_t mentee_person_id = 0;  // a village cadre
  int64_t division_code = 0;     // the mentee's village
  std::string goals;
  Date start_date;
  std::optional<Date> end_date;
};
Status ValidateMentoring(const Mentoring& m);

}  // namespace qiangji::domain

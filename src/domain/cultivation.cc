// Invariants and rule checks of cultivation (双培养). Validate* collect field errors named by the
// JSON field; Check* return the first broken pipeline rule by its identifier. Sources of the
// rules: docs/cultivation.md.
#include "domain/cultivation.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "domain/records.h"
#include "domain/text.h"

namespace qiangji::domain {
namespace {

void CheckVocabulary(FieldErrors& errors, std::string_view field,
                     std::span<const std::string_view> vocabulary, std::string_view value) {
  if (!Contains(vocabulary, value))
    errors.Add(std::string(field),
               fmt::format("\"{}\" is not one of {}", value, Listing(vocabulary)));
}

void CheckNotFuture(FieldErrors& errors, std::string_view field, const Date& d) {
  if (d > Date::TodayInChina()) errors.Add(std::string(field), "must not be in the future");
}

void CheckPeriod(FieldErrors& errors, const Date& start, const std::optional<Date>& end) {
  if (end && *end < start) errors.Add("end_date", "must not be before start_date");
}

RuleBreak Break(std::string_view rule, std::string message) {
  return RuleBreak{std::string(rule), std::move(message)};
}

bool IsMember(std::string_view party_status) {
  return party_status == "member" || party_status == "probationary_member";
}

bool Holds(const CadreState& s, std::string_view kind) {
  return std::find(s.held_posts.begin(), s.held_posts.end(), kind) != s.held_posts.end();
}

}  // namespace

Status ValidateTalent(const Talent& t) {
  FieldErrors errors;
  if (t.person_id <= 0) errors.Add("person_id", "is required");
  CheckVocabulary(errors, "source", kTalentSources, t.source);
  CheckVocabulary(errors, "channel", kNominationChannels, t.channel);
  CheckText(errors, "nominator", t.nominator, t.channel != "self_nomination", 60);
  if (t.ability_rating < 1 || t.ability_rating > 5)
    errors.Add("ability_rating", "must be a whole number from 1 to 5");
  if (t.skills.size() > 10) errors.Add("skills", "at most 10 skills");
  std::set<std::string> seen;
  for (size_t i = 0; i < t.skills.size(); ++i) {
    const std::string at = fmt::format("skills[{}]", i);
    CheckText(errors, at, t.skills[i], true, 20);
    if (!seen.insert(t.skills[i]).second) errors.Add(at, "is listed twice");
  }
  CheckVocabulary(errors, "status", kTalentStatuses, t.status);
  if (t.entered_on) CheckNotFuture(errors, "entered_on", *t.entered_on);
  CheckText(errors, "note", t.note, false, 500, true);
  return errors.ToStatus();
}

Status RuleStatus(const RuleBreak& b) {
  return Status::FailedPrecondition(fmt::format("rule {}: {}", b.rule, b.message));
}

int MembershipStageIndex(std::string_view stage) {
  for (size_t i = 0; i < std::size(kMembershipStages); ++i) {
    if (kMembershipStages[i] == stage) return static_cast<int>(i);
  }
  return -1;
}

Status ValidateMembershipStep(const MembershipStep& s) {
  FieldErrors errors;
  const bool extension = s.stage == kProbationExtended;
  if (!extension && MembershipStageIndex(s.stage) < 0)
    errors.Add("stage", fmt::format("\"{}\" is not one of {}, probation_extended", s.stage,
                                    Listing(kMembershipStages)));
  if (extension && (s.months < 6 || s.months > 12))
    errors.Add("months", "an extension of the probation is 6 to 12 months");
  if (!extension && s.months != 0) errors.Add("months", "only a probation extension has months");
  CheckText(errors, "note", s.note, false, 500, true);
  return errors.ToStatus();
}

std::string CurrentStage(const MembershipState& state) {
  for (auto it = state.steps.rbegin(); it != state.steps.rend(); ++it) {
    if (MembershipStageIndex(it->stage) >= 0) return it->stage;
  }
  if (MembershipStageIndex(state.party_status) >= 0) return state.party_status;
  return "masses";
}

std::optional<Date> StageReachedOn(const MembershipState& state, std::string_view stage) {
  for (auto it = state.steps.rbegin(); it != state.steps.rend(); ++it) {
    if (it->stage == stage) return it->date;
  }
  return std::nullopt;
}

std::optional<Date> ProbationEnds(const MembershipState& state) {
  if (CurrentStage(state) != "probationary_member") return std::nullopt;
  std::optional<Date> began = StageReachedOn(state, "probationary_member");
  if (!began) return std::nullopt;
  int months = 12;
  for (const MembershipStep& s : state.steps) {
    if (s.stage == kProbationExtended && s.date >= *began) months += s.months;
  }
  return began->AddMonths(months);
}

std::optional<Date> ActivistEligibleOn(const MembershipState& state) {
  if (CurrentStage(state) != "activist") return std::nullopt;
  std::optional<Date> since = StageReachedOn(state, "activist");
  if (!since) return std::nullopt;
  return since->AddMonths(12);
}

std::optional<RuleBreak> CheckMembershipStep(const MembershipState& state,
                                             const MembershipStep& next, const Date& today) {
  if (next.date > today)
    return Break(kRuleDateNotFuture,
                 fmt::format("the step's date {} is in the future", next.date.ToString()));
  if (!state.steps.empty() && next.date < state.steps.back().date)
    return Break(kRuleDateOrder, fmt::format("the step's date {} is before the last step ({})",
                                             next.date.ToString(),
                                             state.steps.back().date.ToString()));
  const std::string current = CurrentStage(state);
  if (next.stage == kProbationExtended) {
    if (current != "probationary_member")
      return Break(kRuleNoSkipping, "only a probationary member's probation can be extended");
    std::optional<Date> began = StageReachedOn(state, "probationary_member");
    for (const MembershipStep& s : state.steps) {
      if (s.stage == kProbationExtended && (!began || s.date >= *began))
        return Break(kRuleProbationExtendOnce,
                     "the probation may be extended once only, and it was extended on " +
                         s.date.ToString());
    }
    return std::nullopt;
  }
  const int to = MembershipStageIndex(next.stage);
  const int from = MembershipStageIndex(current);  // -1 for masses
  const bool restate = state.steps.empty() && to == from && from >= 0;
  if (!restate && to != from + 1) {
    const std::string expected =
        from + 1 < static_cast<int>(std::size(kMembershipStages))
            ? std::string(kMembershipStages[from + 1])
            : std::string("none (already a full member)");
    return Break(kRuleNoSkipping,
                 fmt::format("from {} the next stage is {}, not {}", current, expected,
                             next.stage));
  }
  if (next.stage == "applicant") {
    if (!state.birth_date)
      return Break(kRuleApplicantAge18, "the applicant's birth date is not recorded");
    const int age = next.date.YearsSince(*state.birth_date);
    if (age < 18)
      return Break(kRuleApplicantAge18,
                   fmt::format("an applicant must be at least 18 when applying; on {} the person"
                               " was {}",
                               next.date.ToString(), age));
  }
  if (restate) return std::nullopt;
  if (next.stage == "development_target") {
    std::optional<Date> since = StageReachedOn(state, "activist");
    if (!since)
      return Break(kRuleActivistOneYear,
                   "the date the person became an activist is not recorded, so one year of"
                   " cultivation cannot be shown");
    const Date eligible = since->AddMonths(12);
    if (next.date < eligible)
      return Break(kRuleActivistOneYear,
                   fmt::format("an activist needs at least one year of cultivation before becoming"
                               " a development target: activist since {}, eligible from {}",
                               since->ToString(), eligible.ToString()));
  }
  if (next.stage == "member") {
    std::optional<Date> ends = ProbationEnds(state);
    if (!ends)
      return Break(kRuleProbationOneYear,
                   "the start of the probation is not recorded, so the one-year probation cannot"
                   " be shown");
    if (next.date < *ends)
      return Break(kRuleProbationOneYear,
                   fmt::format("the probation lasts one year (plus any extension): it ends on {}",
                               ends->ToString()));
  }
  return std::nullopt;
}

Status ValidateCadreStep(const CadreStep& s) {
  FieldErrors errors;
  CheckVocabulary(errors, "stage", kCadreStages, s.stage);
  CheckText(errors, "note", s.note, false, 500, true);
  return errors.ToStatus();
}

std::optional<RuleBreak> CheckCadreStep(const CadreState& state, const CadreStep& next,
                                        const Date& today) {
  if (next.date > today)
    return Break(kRuleDateNotFuture,
                 fmt::format("the step's date {} is in the future", next.date.ToString()));
  if (state.last_step_date && next.date < *state.last_step_date)
    return Break(kRuleDateOrder, fmt::format("the step's date {} is before the last step ({})",
                                             next.date.ToString(),
                                             state.last_step_date->ToString()));
  if (Holds(state, next.stage))
    return Break(kRuleAlreadyHeld, fmt::format("the person already holds {}", next.stage));
  if (next.stage == "reserve_cadre") {
    if (!state.in_talent_pool)
      return Break(kRuleCadreOrder, "only people in the talent pool become reserve cadres");
  } else if (next.stage == "two_committee_member") {
    if (!Holds(state, "reserve_cadre"))
      return Break(kRuleCadreOrder,
                   "a two-committee member comes from the reserve cadres: make the person a"
                   " reserve cadre first");
  } else if (next.stage == "party_secretary") {
    if (!Holds(state, "two_committee_member") && !Holds(state, "deputy_party_secretary") &&
        !Holds(state, "committee_director"))
      return Break(kRuleCadreOrder,
                   "a secretary comes from the two committees: the person holds no two-committee"
                   " post");
    if (state.village_has_secretary)
      return Break(kRuleOneSecretary,
                   "the village already has a party secretary; end that post first");
  } else if (next.stage == "collective_manager") {
    const bool leader =
        state.talent_source == "wealth_leader" || state.talent_source == "coop_chair";
    if (!IsMember(state.party_status) || !state.in_talent_pool || !leader)
      return Break(kRuleManagerMemberWealthLeader,
                   "collective managers are chosen from Party members who are wealth leaders or"
                   " co-op chairs in the talent pool");
  }
  return std::nullopt;
}

Status ValidateCourse(const Course& c) {
  FieldErrors errors;
  CheckText(errors, "title", c.title, true, 100);
  CheckVocabulary(errors, "kind", kCourseKinds, c.kind);
  CheckVocabulary(errors, "mode", kCourseModes, c.mode);
  CheckVocabulary(errors, "direction", kCourseDirections, c.direction);
  if (c.topics.empty() || c.topics.size() > std::size(kCourseTopics))
    errors.Add("topics", fmt::format("list 1 to {} of {}", std::size(kCourseTopics),
                                     Listing(kCourseTopics)));
  std::set<std::string> seen;
  for (size_t i = 0; i < c.topics.size(); ++i) {
    const std::string at = fmt::format("topics[{}]", i);
    CheckVocabulary(errors, at, kCourseTopics, c.topics[i]);
    if (!seen.insert(c.topics[i]).second) errors.Add(at, "is listed twice");
  }
  if (!std::isfinite(c.hours) || c.hours < 0.5 || c.hours > 500 ||
      std::fmod(c.hours * 2, 1.0) != 0)
    errors.Add("hours", "must be 0.5 to 500 class hours, in halves");
  if (c.end_date < c.start_date) errors.Add("end_date", "must not be before start_date");
  if ((c.end_date.DaysSinceEpoch() - c.start_date.DaysSinceEpoch()) > 366)
    errors.Add("end_date", "a course lasts at most a year");
  CheckText(errors, "place", c.place, false, 100);
  CheckText(errors, "note", c.note, false, 500, true);
  return errors.ToStatus();
}

void ValidateAttendance(FieldErrors& errors, std::string_view field, const Attendance& a,
                        double course_hours) {
  if (a.person_id <= 0) errors.Add(fmt::format("{}.person_id", field), "is required");
  if (a.completed && !a.attended)
    errors.Add(fmt::format("{}.completed", field), "only someone who attended can complete");
  if (a.hours) {
    if (!std::isfinite(*a.hours) || *a.hours < 0 || *a.hours > course_hours)
      errors.Add(fmt::format("{}.hours", field),
                 fmt::format("must be 0 to the course's {} hours", course_hours));
    else if (!a.attended && *a.hours > 0)
      errors.Add(fmt::format("{}.hours", field), "someone absent is credited no hours");
  }
}

double CreditedHours(const Attendance& a, double course_hours) {
  if (!a.attended) return 0;
  if (a.hours) return *a.hours;
  return a.completed ? course_hours : 0;
}

Status ValidateSecondment(const Secondment& s) {
  FieldErrors errors;
  if (s.person_id <= 0) errors.Add("person_id", "is required");
  CheckVocabulary(errors, "host_kind", kHostKinds, s.host_kind);
  CheckText(errors, "host", s.host, true, 100);
  CheckNotFuture(errors, "start_date", s.start_date);
  CheckPeriod(errors, s.start_date, s.end_date);
  CheckText(errors, "goals", s.goals, false, 500, true);
  return errors.ToStatus();
}

Status ValidateMentoring(const Mentoring& m) {
  FieldErrors errors;
  if (m.mentor_person_id <= 0) errors.Add("mentor_person_id", "is required");
  if (m.mentee_person_id <= 0) errors.Add("mentee_person_id", "is required");
  if (m.mentor_person_id > 0 && m.mentor_person_id == m.mentee_person_id)
    errors.Add("mentee_person_id", "a person cannot mentor themselves");
  CheckText(errors, "goals", m.goals, true, 500, true);
  CheckNotFuture(errors, "start_date", m.start_date);
  CheckPeriod(errors, m.start_date, m.end_date);
  return errors.ToStatus();
}

}  // namespace qiangji::domain

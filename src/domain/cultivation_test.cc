#include "domain/cultivation.h"

#include <gtest/gtest.h>

namespace qiangji::domain {
namespace {

Date D(std::string_view s) { return *Date::Parse(s); }

MembershipStep Step(std::string stage, std::string_view date, int months = 0) {
  MembershipStep s;
  s.stage = std::move(stage);
  s.date = D(date);
  s.months = months;
  return s;
}

MembershipState State(std::vector<MembershipStep> steps, std::string status = "masses",
                      std::string_view birth = "1990-05-10") {
  MembershipState st;
  st.steps = std::move(steps);
  st.party_status = std::move(status);
  st.birth_date = D(birth);
  return st;
}

std::string RuleOf(const std::optional<RuleBreak>& b) { return b ? b->rule : "kept"; }

const Date kToday = D("2026-06-30");

TEST(CultivationTest, ApplicantMustBe18WhenApplying) {
  MembershipState young = State({}, "masses", "2008-07-01");
  EXPECT_EQ(RuleOf(CheckMembershipStep(young, Step("applicant", "2026-06-30"), kToday)),
            "applicant_age_18");
  MembershipState adult = State({}, "masses", "2008-06-30");  // 18 on the day
  EXPECT_EQ(RuleOf(CheckMembershipStep(adult, Step("applicant", "2026-06-30"), kToday)), "kept");
  // Restating an applicant stage recorded without a date is checked the same way.
  MembershipState restated = State({}, "applicant", "2008-07-01");
  EXPECT_EQ(RuleOf(CheckMembershipStep(restated, Step("applicant", "2026-06-01"), kToday)),
            "applicant_age_18");
}

TEST(CultivationTest, NoStageIsSkippedOrRepeated) {
  MembershipState st = State({Step("applicant", "2024-01-10")}, "applicant");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("development_target", "2025-03-01"), kToday)),
            "no_skipping");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("applicant", "2025-03-01"), kToday)),
            "no_skipping");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("activist", "2024-03-01"), kToday)), "kept");
  MembershipState masses = State({});
  EXPECT_EQ(RuleOf(CheckMembershipStep(masses, Step("activist", "2024-03-01"), kToday)),
            "no_skipping");
  auto b = CheckMembershipStep(st, Step("member", "2025-03-01"), kToday);
  ASSERT_TRUE(b);
  EXPECT_NE(b->message.find("activist"), std::string::npos) << b->message;
}

TEST(CultivationTest, DatesAreNotInTheFutureNorBeforeTheLastStep) {
  MembershipState st = State({Step("applicant", "2024-01-10")}, "applicant");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("activist", "2026-07-01"), kToday)),
            "date_not_future");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("activist", "2024-01-09"), kToday)),
            "date_order");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("activist", "2024-01-10"), kToday)), "kept");
}

TEST(CultivationTest, OneYearAsActivistBeforeDevelopmentTarget) {
  MembershipState st = State({Step("applicant", "2023-01-10"), Step("activist", "2024-02-29")},
                             "activist");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("development_target", "2025-02-27"), kToday)),
            "activist_one_year");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("development_target", "2025-02-28"), kToday)),
            "kept");
  EXPECT_EQ(ActivistEligibleOn(st), D("2025-02-28"));
  // An activist whose date was never recorded cannot show the year.
  MembershipState undated = State({}, "activist");
  EXPECT_EQ(RuleOf(CheckMembershipStep(undated, Step("development_target", "2026-01-01"), kToday)),
            "activist_one_year");
}

TEST(CultivationTest, OneYearProbationAndOneExtension) {
  std::vector<MembershipStep> steps = {Step("applicant", "2022-01-10"),
                                       Step("activist", "2022-03-01"),
                                       Step("development_target", "2023-03-01"),
                                       Step("probationary_member", "2024-05-01")};
  MembershipState st = State(steps, "probationary_member");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("member", "2025-04-30"), kToday)),
            "probation_one_year");
  EXPECT_EQ(RuleOf(CheckMembershipStep(st, Step("member", "2025-05-01"), kToday)), "kept");
  // Extended by 6 months: full membership from 2025-11-01.
  steps.push_back(Step("probation_extended", "2025-05-01", 6));
  MembershipState ext = State(steps, "probationary_member");
  EXPECT_EQ(ProbationEnds(ext), D("2025-11-01"));
  EXPECT_EQ(RuleOf(CheckMembershipStep(ext, Step("member", "2025-10-31"), kToday)),
            "probation_one_year");
  EXPECT_EQ(RuleOf(CheckMembershipStep(ext, Step("member", "2025-11-01"), kToday)), "kept");
  EXPECT_EQ(RuleOf(CheckMembershipStep(ext, Step("probation_extended", "2025-11-01", 6), kToday)),
            "probation_extend_once");
  MembershipState activist = State({Step("activist", "2024-01-01")}, "activist");
  EXPECT_EQ(RuleOf(CheckMembershipStep(activist, Step("probation_extended", "2025-01-01", 6),
                                       kToday)),
            "no_skipping");
}

TEST(CultivationTest, StepFieldsAreValidated) {
  EXPECT_FALSE(ValidateMembershipStep(Step("founder", "2025-01-01")).ok());
  EXPECT_FALSE(ValidateMembershipStep(Step("probation_extended", "2025-01-01", 13)).ok());
  EXPECT_FALSE(ValidateMembershipStep(Step("activist", "2025-01-01", 6)).ok());
  EXPECT_TRUE(ValidateMembershipStep(Step("probation_extended", "2025-01-01", 12)).ok());
  EXPECT_EQ(RuleStatus({"activist_one_year", "x"}).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleStatus({"activist_one_year", "x"}).message(), "rule activist_one_year: x");
}

CadreStep Cadre(std::string stage, std::string_view date) {
  CadreStep s;
  s.stage = std::move(stage);
  s.date = D(date);
  return s;
}

TEST(CultivationTest, CadrePipelineKeepsItsOrder) {
  CadreState st;
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("reserve_cadre", "2025-01-01"), kToday)),
            "cadre_order");
  st.in_talent_pool = true;
  st.talent_source = "veteran";
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("reserve_cadre", "2025-01-01"), kToday)), "kept");
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("two_committee_member", "2025-01-01"), kToday)),
            "cadre_order");
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("party_secretary", "2025-01-01"), kToday)),
            "cadre_order");
  st.held_posts = {"reserve_cadre"};
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("reserve_cadre", "2025-01-01"), kToday)),
            "already_held");
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("two_committee_member", "2025-01-01"), kToday)),
            "kept");
  st.held_posts = {"two_committee_member"};
  st.village_has_secretary = true;
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("party_secretary", "2025-01-01"), kToday)),
            "one_secretary");
  st.village_has_secretary = false;
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("party_secretary", "2025-01-01"), kToday)), "kept");
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("party_secretary", "2027-01-01"), kToday)),
            "date_not_future");
  st.last_step_date = D("2025-06-01");
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("party_secretary", "2025-01-01"), kToday)),
            "date_order");
}

TEST(CultivationTest, CollectiveManagersAreMemberWealthLeaders) {
  CadreState st;
  st.in_talent_pool = true;
  st.talent_source = "wealth_leader";
  st.party_status = "activist";
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("collective_manager", "2025-01-01"), kToday)),
            "manager_member_wealth_leader");
  st.party_status = "member";
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("collective_manager", "2025-01-01"), kToday)), "kept");
  st.talent_source = "veteran";
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("collective_manager", "2025-01-01"), kToday)),
            "manager_member_wealth_leader");
  st.talent_source = "coop_chair";
  EXPECT_EQ(RuleOf(CheckCadreStep(st, Cadre("collective_manager", "2025-01-01"), kToday)), "kept");
}

TEST(CultivationTest, TalentFields) {
  Talent t;
  t.person_id = 1;
  t.source = "wealth_leader";
  t.channel = "mass_nomination";
  t.nominator = "村民代表会议";
  t.skills = {"食用菌种植", "电商"};
  EXPECT_TRUE(ValidateTalent(t).ok());
  t.nominator = "";
  Status s = ValidateTalent(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "nominator");
  t.channel = "self_nomination";  // no nominator needed for a self-nomination
  EXPECT_TRUE(ValidateTalent(t).ok());
  t.source = "tycoon";
  t.ability_rating = 6;
  t.skills = {"电商", "电商"};
  s = ValidateTalent(t);
  ASSERT_EQ(s.field_errors().size(), 3u);
  EXPECT_EQ(s.field_errors()[0].field, "source");
  EXPECT_EQ(s.field_errors()[1].field, "ability_rating");
  EXPECT_EQ(s.field_errors()[2].field, "skills[1]");
}

TEST(CultivationTest, CourseAndAttendance) {
  Course c;
  c.title = "村党组织书记产业发展专题培训班";
  c.kind = "on_job";
  c.mode = "field_study";
  c.direction = "go_out";
  c.topics = {"market_economy", "management"};
  c.hours = 24;
  c.start_date = D("2026-04-01");
  c.end_date = D("2026-04-03");
  EXPECT_TRUE(ValidateCourse(c).ok());
  c.hours = 2.25;
  c.topics = {"cooking"};
  c.end_date = D("2026-03-01");
  Status s = ValidateCourse(c);
  ASSERT_EQ(s.field_errors().size(), 3u);
  EXPECT_EQ(s.field_errors()[0].field, "topics[0]");
  EXPECT_EQ(s.field_errors()[1].field, "hours");
  EXPECT_EQ(s.field_errors()[2].field, "end_date");

  Attendance a;
  a.person_id = 3;
  a.completed = true;
  EXPECT_EQ(CreditedHours(a, 24), 24);
  a.hours = 16;
  EXPECT_EQ(CreditedHours(a, 24), 16);
  a.completed = false;
  a.hours.reset();
  EXPECT_EQ(CreditedHours(a, 24), 0);
  a.attended = false;
  a.completed = true;
  FieldErrors errors;
  ValidateAttendance(errors, "attendance[0]", a, 24);
  ASSERT_EQ(errors.errors().size(), 1u);
  EXPECT_EQ(errors.errors()[0].field, "attendance[0].completed");
  Attendance over;
  over.person_id = 3;
  over.hours = 30;
  FieldErrors e2;
  ValidateAttendance(e2, "attendance[1]", over, 24);
  ASSERT_EQ(e2.errors().size(), 1u);
  EXPECT_EQ(e2.errors()[0].field, "attendance[1].hours");
}

TEST(CultivationTest, PracticeRecords) {
  Secondment s;
  s.person_id = 1;
  s.host_kind = "park";
  s.host = "阜平县现代农业园区";
  s.start_date = D("2025-03-01");
  s.end_date = D("2025-09-01");
  EXPECT_TRUE(ValidateSecondment(s).ok());
  s.host_kind = "bank";
  s.end_date = D("2025-01-01");
  EXPECT_EQ(ValidateSecondment(s).field_errors().size(), 2u);
  Mentoring m;
  m.mentor_person_id = 4;
  m.mentee_person_id = 4;
  m.goals = "带出一个合作社";
  m.start_date = D("2025-03-01");
  Status st = ValidateMentoring(m);
  ASSERT_EQ(st.field_errors().size(), 1u);
  EXPECT_EQ(st.field_errors()[0].field, "mentee_person_id");
}

}  // namespace
}  // namespace qiangji::domain

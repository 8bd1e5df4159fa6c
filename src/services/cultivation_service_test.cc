#include <fmt/format.h>
#include <gtest/gtest.h>

#include "engines/assess/pipeline.h"
#include "services/assess.h"
#include "services/cultivation.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

class CultivationServiceTest : public ServicesTest {
 protected:
  CultivationServices& cv() { return svc().cultivation; }

  // A person of `village`, masses, born `years` ago (+ `days`).
  int64_t AddPerson(int64_t village, const std::string& name, int years, const std::string& seq,
                    domain::Sex sex = domain::Sex::kMale) {
    const Date birth = today_.AddMonths(-12 * years).AddDays(-10);
    char ymd[9];
    std::snprintf(ymd, sizeof ymd, "%04d%02d%02d", birth.year(), birth.month(), birth.day());
    domain::Person p = Person(village, name, IdNumber(ymd, seq), sex);
    p.party_status = "masses";
    p.party_join_date.reset();
    auto v = svc().people.Create(system_, p);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->person.id : 0;
  }

  domain::Talent Talent(int64_t person_id, std::string source = "wealth_leader") {
    domain::Talent t;
    t.person_id = person_id;
    t.source = std::move(source);
    t.channel = "mass_nomination";
    t.nominator = "村民代表会议";
    t.ability_rating = 4;
    t.skills = {"食用菌"};
    return t;
  }

  Status Step(const Caller& c, int64_t person, const std::string& stage, const Date& d,
              int months = 0) {
    domain::MembershipStep s;
    s.person_id = person;
    s.stage = stage;
    s.date = d;
    s.months = months;
    return cv().membership.AddStep(c, s).status();
  }

  Status Cadre(const Caller& c, int64_t person, const std::string& stage, const Date& d) {
    domain::CadreStep s;
    s.person_id = person;
    s.stage = stage;
    s.date = d;
    return cv().cadres.AddStep(c, s).status();
  }

  static void ExpectRule(const Status& s, std::string_view rule) {
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_NE(s.message().find(fmt::format("rule {}:", rule)), std::string::npos) << s.message();
  }

  const Date today_ = Date::TodayInChina();
};

TEST_F(CultivationServiceTest, TalentBuildsOnPeopleAndRefusesDuplicates) {
  const int64_t a = AddPerson(kVillageA1, "张三", 30, "011");
  auto created = cv().talent.Create(town_a_, Talent(a));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->name, "张三");
  EXPECT_NE(created->id_number.find('*'), std::string::npos);  // masked
  EXPECT_EQ(Count("talent"), 1);
  // The same person again.
  auto again = cv().talent.Create(county_, Talent(a));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  // A new person whose ID number is already recorded: refused, wherever the holder lives.
  const int64_t b = AddPerson(kVillageB1, "李四", 40, "021");
  auto holder = svc().people.Get(system_, b, true);
  ASSERT_TRUE(holder.ok());
  domain::Person copy = holder->person;
  copy.id = 0;
  copy.division_code = kVillageA2;
  copy.name = "李四四";
  domain::Talent t = Talent(0);
  auto dup = cv().talent.Create(town_a_, t, copy);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message().find("李四"), std::string::npos);  // outside: no name
  EXPECT_EQ(Count("person"), 2);
  auto check = cv().talent.CheckDuplicate(town_a_, copy.id_number);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->exists);
  EXPECT_FALSE(check->in_scope);
  EXPECT_EQ(check->person_id, 0);
  // A new person with a fresh number is created with the talent in one go.
  domain::Person fresh = Person(kVillageA2, "王五", IdNumber("19950101", "031"));
  fresh.party_status = "masses";
  fresh.party_join_date.reset();
  auto both = cv().talent.Create(town_a_, Talent(0, "returnee_graduate"), fresh);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(Count("person"), 3);
  EXPECT_EQ(Count("audit", "action = 'talent.create'"), 2);
  // Scope: township B neither sees A's talent nor adds A's people.
  EXPECT_EQ(cv().talent.Get(town_b_, created->talent.id).status().code(), StatusCode::kNotFound);
  const int64_t c = AddPerson(kVillageA1, "赵六", 35, "041");
  EXPECT_EQ(cv().talent.Create(town_b_, Talent(c)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(cv().talent.Create(viewer_, Talent(c)).status().code(),
            StatusCode::kPermissionDenied);
  auto list = cv().talent.List(town_b_, TalentQuery{});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 0);
  TalentQuery q;
  q.source = "wealth_leader";
  auto county_list = cv().talent.List(county_, q);
  ASSERT_TRUE(county_list.ok());
  EXPECT_EQ(county_list->total, 1);
  // Bad input: field errors, nothing stored.
  domain::Talent bad = Talent(c);
  bad.ability_rating = 9;
  auto refused = cv().talent.Create(town_a_, bad);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field_errors()[0].field, "ability_rating");
  EXPECT_EQ(Count("talent"), 2);
}

TEST_F(CultivationServiceTest, MembershipRulesKeptAndBroken) {
  const int64_t p = AddPerson(kVillageA1, "刘七", 30, "051");
  const Date start = today_.AddMonths(-36);
  // Under 18 at application: refused, nothing changed.
  const int64_t young = AddPerson(kVillageA1, "小明", 17, "061");
  ExpectRule(Step(town_a_, young, "applicant", today_), "applicant_age_18");
  EXPECT_EQ(Count("membership_step"), 0);

  ASSERT_TRUE(Step(town_a_, p, "applicant", start).ok());
  ExpectRule(Step(town_a_, p, "development_target", start.AddDays(10)), "no_skipping");
  ExpectRule(Step(town_a_, p, "activist", today_.AddDays(1)), "date_not_future");
  ExpectRule(Step(town_a_, p, "activist", start.AddDays(-1)), "date_order");
  const Date activist = start.AddDays(30);
  ASSERT_TRUE(Step(town_a_, p, "activist", activist).ok());
  ExpectRule(Step(town_a_, p, "development_target", activist.AddMonths(12).AddDays(-1)),
             "activist_one_year");
  EXPECT_EQ(Count("membership_step", "person_id = " + std::to_string(p)), 2);
  ASSERT_TRUE(Step(town_a_, p, "development_target", activist.AddMonths(12)).ok());
  const Date probation = activist.AddMonths(13);
  ASSERT_TRUE(Step(town_a_, p, "probationary_member", probation).ok());
  auto person = svc().people.Get(system_, p);
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->person.party_status, "probationary_member");
  EXPECT_EQ(person->person.party_join_date, probation);
  ExpectRule(Step(town_a_, p, "member", probation.AddMonths(12).AddDays(-1)),
             "probation_one_year");
  ASSERT_TRUE(Step(town_a_, p, "probation_extended", probation.AddMonths(12), 6).ok());
  ExpectRule(Step(town_a_, p, "probation_extended", probation.AddMonths(12), 6),
             "probation_extend_once");
  ExpectRule(Step(town_a_, p, "member", probation.AddMonths(17)), "probation_one_year");
  ASSERT_TRUE(Step(town_a_, p, "member", probation.AddMonths(18)).ok());
  auto history = cv().membership.History(county_, p);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->current_stage, "member");
  EXPECT_EQ(history->steps.size(), 6u);
  EXPECT_EQ(Count("audit", "action = 'membership.step'"), 6);
  // Township B cannot see or write A's people.
  EXPECT_EQ(cv().membership.History(town_b_, p).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Step(town_b_, young, "applicant", today_).code(), StatusCode::kNotFound);
}

TEST_F(CultivationServiceTest, RemindersAndFunnel) {
  const int64_t due = AddPerson(kVillageA1, "甲", 30, "071");
  ASSERT_TRUE(Step(county_, due, "applicant", today_.AddMonths(-20)).ok());
  ASSERT_TRUE(Step(county_, due, "activist", today_.AddMonths(-13)).ok());  // due a month ago
  const int64_t overdue = AddPerson(kVillageA2, "乙", 30, "081");
  ASSERT_TRUE(Step(county_, overdue, "applicant", today_.AddMonths(-40)).ok());
  ASSERT_TRUE(Step(county_, overdue, "activist", today_.AddMonths(-39)).ok());
  ASSERT_TRUE(Step(county_, overdue, "development_target", today_.AddMonths(-26)).ok());
  ASSERT_TRUE(Step(county_, overdue, "probationary_member", today_.AddMonths(-17)).ok());
  const int64_t fresh = AddPerson(kVillageB1, "丙", 30, "091");
  ASSERT_TRUE(Step(county_, fresh, "applicant", today_.AddMonths(-2)).ok());
  ASSERT_TRUE(Step(county_, fresh, "activist", today_.AddMonths(-1)).ok());  // not due yet

  auto reminders = cv().membership.Reminders(county_, "");
  ASSERT_TRUE(reminders.ok());
  ASSERT_EQ(reminders->size(), 2u);
  EXPECT_EQ((*reminders)[0].person_id, overdue);  // most overdue first
  EXPECT_EQ((*reminders)[0].kind, "probation_ending");
  EXPECT_EQ((*reminders)[0].status, "overdue");
  EXPECT_EQ((*reminders)[1].person_id, due);
  EXPECT_EQ((*reminders)[1].kind, "development_target_due");
  EXPECT_EQ((*reminders)[1].status, "due");
  auto b_only = cv().membership.Reminders(town_b_, "");
  ASSERT_TRUE(b_only.ok());
  EXPECT_TRUE(b_only->empty());

  auto funnel = cv().membership.FunnelCounts(county_, "", "township");
  ASSERT_TRUE(funnel.ok()) << funnel.status().ToString();
  ASSERT_EQ(funnel->groups.size(), 2u);
  EXPECT_EQ(funnel->groups[0].code, "130624100");
  EXPECT_EQ(funnel->groups[0].name, "龙泉关镇");
  EXPECT_EQ(funnel->groups[0].counts[1], 1);  // activist
  EXPECT_EQ(funnel->groups[0].counts[3], 1);  // probationary
  EXPECT_EQ(funnel->totals[1], 2);
  auto villages = cv().membership.FunnelCounts(town_a_, "", "village");
  ASSERT_TRUE(villages.ok());
  EXPECT_EQ(villages->groups.size(), 2u);
  EXPECT_EQ(cv().membership.FunnelCounts(county_, "", "province").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CultivationServiceTest, CadrePipelineOpensPostsAndFeedsTeamHealth) {
  const int64_t p = AddPerson(kVillageA1, "钱八", 32, "101");
  ExpectRule(Cadre(town_a_, p, "reserve_cadre", today_.AddMonths(-30)), "cadre_order");
  ASSERT_TRUE(cv().talent.Create(town_a_, Talent(p)).ok());
  ExpectRule(Cadre(town_a_, p, "two_committee_member", today_.AddMonths(-30)), "cadre_order");
  ASSERT_TRUE(Cadre(town_a_, p, "reserve_cadre", today_.AddMonths(-30)).ok());
  auto health = cv().health.Village(county_, "130624100201");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->health.reserve_count, 1);
  EXPECT_EQ(health->health.reserve_shortfall, 1);  // default target 2
  ASSERT_TRUE(Cadre(town_a_, p, "two_committee_member", today_.AddMonths(-20)).ok());
  // Another secretary holds the post: refused until it ends.
  const int64_t s = AddPerson(kVillageA1, "孙九", 50, "111");
  domain::Post sec;
  sec.person_id = s;
  sec.division_code = kVillageA1;
  sec.kind = "party_secretary";
  sec.start_date = today_.AddMonths(-40);
  auto sec_post = svc().posts.Create(system_, sec);
  ASSERT_TRUE(sec_post.ok()) << sec_post.status().ToString();
  ExpectRule(Cadre(town_a_, p, "party_secretary", today_.AddMonths(-1)), "one_secretary");
  domain::Post ended = sec_post->post;
  ended.end_date = today_.AddMonths(-2);
  ASSERT_TRUE(svc().posts.Update(system_, ended).ok());
  ASSERT_TRUE(Cadre(town_a_, p, "party_secretary", today_.AddMonths(-1)).ok());
  auto history = cv().cadres.History(county_, p);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->steps.size(), 3u);
  EXPECT_EQ(history->current_posts, std::vector<std::string>{"party_secretary"});
  // Collective manager: a wealth leader, but not yet a member.
  ExpectRule(Cadre(town_a_, p, "collective_manager", today_), "manager_member_wealth_leader");

  health = cv().health.Village(county_, "130624100201");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->health.member_count, 1);
  EXPECT_EQ(health->health.reserve_count, 0);
  EXPECT_EQ(health->health.wealth_leaders, 1);
  EXPECT_EQ(health->health.concurrent_posts, "none");
  EXPECT_FALSE(health->health.secretary_vacancy_days.has_value());
  // Settings: a village target of 3.
  CultivationSettings set{"130624100201", 3, 40};
  ASSERT_TRUE(cv().health.PutSettings(town_a_, set).ok());
  EXPECT_EQ(cv().health.PutSettings(town_b_, set).status().code(), StatusCode::kNotFound);
  health = cv().health.Village(county_, "130624100201");
  EXPECT_EQ(health->health.reserve_target, 3);
  EXPECT_EQ(health->health.reserve_shortfall, 3);
  EXPECT_EQ(cv().health.Village(town_b_, "130624100201").status().code(), StatusCode::kNotFound);

  // The assessment reads the same figures as measures.
  auto db = pool_->Acquire();
  auto inputs = GatherVillageInputs(*db, *ParseScopePrefix("130624"), today_.year(), today_);
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  const int shortfall = engines::assess::MeasureIndex("reserve_shortfall");
  const int leaders = engines::assess::MeasureIndex("wealth_leader_share");
  bool found = false;
  for (const auto& v : *inputs) {
    if (v.code != kVillageA1) continue;
    found = true;
    EXPECT_EQ(v.measures[shortfall], 3);
    EXPECT_EQ(v.measures[leaders], 1.0);
  }
  EXPECT_TRUE(found);
}

TEST_F(CultivationServiceTest, TrainingCoverage) {
  const int64_t a = AddPerson(kVillageA1, "周一", 40, "121");
  const int64_t b = AddPerson(kVillageA2, "吴二", 45, "131");
  const int64_t c = AddPerson(kVillageB1, "郑三", 50, "141");
  for (auto [id, village] : {std::pair{a, kVillageA1}, {b, kVillageA2}, {c, kVillageB1}}) {
    domain::Post post;
    post.person_id = id;
    post.division_code = village;
    post.kind = "two_committee_member";
    post.start_date = today_.AddMonths(-24);
    ASSERT_TRUE(svc().posts.Create(system_, post).ok());
  }
  domain::Course course;
  course.division_code = kCounty;
  course.title = "村干部产业发展培训班";
  course.kind = "on_job";
  course.mode = "expert_lecture";
  course.direction = "bring_in";
  course.topics = {"market_economy", "management"};
  course.hours = 32;
  course.start_date = *Date::FromYmd(today_.year(), 1, 2);
  course.end_date = course.start_date.AddDays(3);
  // A township cannot organize a county course.
  EXPECT_EQ(cv().training.Create(town_a_, course).status().code(), StatusCode::kNotFound);
  auto created = cv().training.Create(county_, course);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const int64_t id = created->view.course.id;
  // Township A sees the county's course and records its own people only.
  domain::Attendance full{id, a, 0, true, true, std::nullopt};
  domain::Attendance part{id, b, 0, true, false, 16.0};
  domain::Attendance other{id, c, 0, true, true, std::nullopt};
  EXPECT_EQ(cv().training.SetAttendance(town_a_, id, {full, other}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Count("attendance"), 0);  // all or nothing
  domain::Attendance bad = part;
  bad.hours = 40;
  auto refused = cv().training.SetAttendance(town_a_, id, {full, bad});
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field_errors()[0].field, "attendance[1].hours");
  auto recorded = cv().training.SetAttendance(town_a_, id, {full, part});
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->attendance.size(), 2u);
  EXPECT_EQ(recorded->view.completed, 1);
  auto seen_by_b = cv().training.Get(town_b_, id);
  ASSERT_TRUE(seen_by_b.ok());
  EXPECT_TRUE(seen_by_b->attendance.empty());

  auto cov = cv().training.Coverage(county_, "", today_.year());
  ASSERT_TRUE(cov.ok()) << cov.status().ToString();
  EXPECT_EQ(cov->cadres, 3);
  EXPECT_EQ(cov->trained, 2);
  EXPECT_EQ(cov->met, 1);  // 32 of 32; 16 of 32 falls short; none for 郑三
  EXPECT_DOUBLE_EQ(cov->coverage, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(cov->hours, 48);
  ASSERT_EQ(cov->by_township.size(), 2u);
  EXPECT_EQ(cov->by_township[0].trained, 2);
  EXPECT_EQ(cov->by_township[1].trained, 0);
  EXPECT_FALSE(cov->people.front().met);  // short first
  auto a_only = cv().training.Coverage(town_a_, "", today_.year());
  ASSERT_TRUE(a_only.ok());
  EXPECT_EQ(a_only->cadres, 2);
  EXPECT_DOUBLE_EQ(a_only->met_share, 0.5);

  // Timeline of 周一 shows the course.
  auto t = cv().health.Timeline(town_a_, a);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_DOUBLE_EQ(t->hours_this_year, 32);
  bool training = false;
  for (const auto& e : t->entries) training |= e.kind == "training";
  EXPECT_TRUE(training);
  EXPECT_EQ(cv().health.Timeline(town_b_, a).status().code(), StatusCode::kNotFound);
}

TEST_F(CultivationServiceTest, Practice) {
  const int64_t mentor = AddPerson(kVillageA1, "第一书记", 38, "151");
  const int64_t mentee = AddPerson(kVillageA1, "年轻干部", 28, "161");
  const int64_t far = AddPerson(kVillageB1, "外镇", 28, "171");
  domain::Secondment s;
  s.person_id = mentee;
  s.host_kind = "enterprise";
  s.host = "阜平县食用菌产业公司";
  s.start_date = today_.AddMonths(-3);
  ASSERT_TRUE(cv().practice.CreateSecondment(town_a_, s).ok());
  s.person_id = far;
  EXPECT_EQ(cv().practice.CreateSecondment(town_a_, s).status().code(), StatusCode::kNotFound);
  domain::Mentoring m;
  m.mentor_person_id = mentor;
  m.mentee_person_id = mentee;
  m.goals = "一年内独立组织一次村民代表会议";
  m.start_date = today_.AddMonths(-2);
  auto pair = cv().practice.CreateMentoring(town_a_, m);
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  EXPECT_EQ(pair->mentor_name, "第一书记");
  m.mentee_person_id = far;
  EXPECT_EQ(cv().practice.CreateMentoring(town_a_, m).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("mentoring"), 1);
  auto list = cv().practice.MentoringPairs(town_b_, "");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_EQ(cv().practice.Secondments(county_, "")->size(), 1u);
}

}  // namespace
}  // namespace qiangji::services::testing

#include "engines/cultivation/team_health.h"

#include <gtest/gtest.h>

namespace qiangji::engines::cultivation {
namespace {

Date D(std::string_view s) { return *Date::Parse(s); }

TeamMember Member(std::string_view birth, bool female, std::string education,
                  bool wealth_leader = false) {
  TeamMember m;
  m.birth_date = D(birth);
  m.female = female;
  m.education = std::move(education);
  m.wealth_leader = wealth_leader;
  return m;
}

const Date kToday = D("2026-06-30");

TEST(TeamHealthTest, Arithmetic) {
  TeamInput in;
  in.division_code = 130624100201;
  in.members = {Member("1996-07-01", true, "bachelor", true),    // 29
                Member("1986-06-30", false, "senior_secondary"),  // 40
                Member("1971-01-01", false, "junior_secondary", true),  // 55
                Member("1961-06-30", true, "")};                  // 65
  in.members[1].secretary = true;
  in.members[1].director = true;
  in.reserve_count = 1;
  in.reserve_target = 2;
  in.secretary_held = true;
  in.director_held = true;
  in.term_expiry = D("2026-08-01");
  TeamHealth h = ComputeTeamHealth(in, kToday);
  EXPECT_EQ(h.member_count, 4);
  ASSERT_TRUE(h.average_age);
  EXPECT_DOUBLE_EQ(*h.average_age, (29 + 40 + 55 + 65) / 4.0);
  EXPECT_DOUBLE_EQ(*h.share_under_35, 0.25);
  EXPECT_DOUBLE_EQ(*h.share_under_45, 0.5);
  EXPECT_EQ(h.women, 2);
  EXPECT_DOUBLE_EQ(*h.women_share, 0.5);
  EXPECT_DOUBLE_EQ(*h.college_share, 1.0 / 3.0);  // over the three with a known education
  EXPECT_DOUBLE_EQ(*h.wealth_leader_share, 0.5);
  EXPECT_EQ(h.reserve_shortfall, 1);
  EXPECT_FALSE(h.secretary_vacancy_days);
  EXPECT_EQ(h.term_status, "expiring");
  EXPECT_EQ(*h.days_to_term_expiry, 32);
  EXPECT_EQ(h.concurrent_posts, "partial");
  int64_t bachelor = -1;
  for (const auto& [level, n] : h.education) {
    if (level == "bachelor") bachelor = n;
  }
  EXPECT_EQ(bachelor, 1);
}

TEST(TeamHealthTest, VacanciesAndEmptyTeams) {
  TeamInput in;
  in.reserve_target = 2;
  in.reserve_count = 3;
  in.secretary_vacant_since = D("2026-03-30");
  in.director_held = false;
  in.term_expiry = D("2026-01-01");
  TeamHealth h = ComputeTeamHealth(in, kToday);
  EXPECT_EQ(h.member_count, 0);
  EXPECT_FALSE(h.average_age);
  EXPECT_FALSE(h.women_share);
  EXPECT_EQ(h.reserve_shortfall, 0);
  EXPECT_EQ(*h.secretary_vacancy_days, 92);
  EXPECT_EQ(*h.director_vacancy_days, -1);  // vacant, no date recorded
  EXPECT_EQ(h.term_status, "expired");
  EXPECT_EQ(h.concurrent_posts, "vacant");
}

TEST(TeamHealthTest, SummaryRecomputesSharesOverAllMembers) {
  TeamInput a, b;
  a.members = {Member("1996-07-01", true, "bachelor")};
  a.members[0].secretary = a.members[0].director = a.members[0].collective_manager = true;
  a.secretary_held = a.director_held = true;
  a.reserve_target = 2;
  b.members = {Member("1966-01-01", false, "primary"), Member("1970-01-01", false, "primary"),
               Member("1980-01-01", false, "primary")};
  b.reserve_count = 2;
  b.reserve_target = 2;
  std::vector<TeamInput> inputs = {a, b};
  std::vector<TeamHealth> health = {ComputeTeamHealth(a, kToday), ComputeTeamHealth(b, kToday)};
  EXPECT_EQ(health[0].concurrent_posts, "full");
  TeamHealthSummary s = Summarize(inputs, health, kToday);
  EXPECT_EQ(s.villages, 2);
  EXPECT_EQ(s.members, 4);
  EXPECT_DOUBLE_EQ(*s.women_share, 0.25);  // not the mean of 1.0 and 0.0
  EXPECT_DOUBLE_EQ(*s.share_under_35, 0.25);
  EXPECT_EQ(s.villages_short_of_reserves, 1);
  EXPECT_EQ(s.reserve_count, 2);
  EXPECT_EQ(s.secretary_vacant, 1);
  EXPECT_EQ(s.concurrent_full, 1);
}

}  // namespace
}  // namespace qiangji::engines::cultivation

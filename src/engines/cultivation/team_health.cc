#include "engines/cultivation/team_health.h"

#include <algorithm>

#include "domain/records.h"

namespace qiangji::engines::cultivation {
namespace {

bool IsCollege(std::string_view education) {
  return education == "junior_college" || education == "bachelor" || education == "postgraduate";
}

std::optional<double> Share(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<int64_t> VacancyDays(bool held, const std::optional<Date>& since, const Date& today) {
  if (held) return std::nullopt;
  if (!since) return int64_t{-1};
  return std::max<int64_t>(today.DaysSinceEpoch() - since->DaysSinceEpoch(), 0);
}

}  // namespace

TeamHealth ComputeTeamHealth(const TeamInput& in, const Date& today) {
  TeamHealth h;
  h.division_code = in.division_code;
  h.member_count = static_cast<int64_t>(in.members.size());
  int64_t aged = 0, age_sum = 0, under35 = 0, under45 = 0, college = 0, educated = 0;
  for (std::string_view level : domain::kEducationLevels) h.education.emplace_back(level, 0);
  const TeamMember* secretary = nullptr;
  for (const TeamMember& m : in.members) {
    if (m.birth_date) {
      const int age = today.YearsSince(*m.birth_date);
      ++aged;
      age_sum += age;
      under35 += age < 35;
      under45 += age < 45;
    }
    h.women += m.female;
    h.wealth_leaders += m.wealth_leader;
    if (!m.education.empty()) {
      ++educated;
      college += IsCollege(m.education);
      for (auto& [level, n] : h.education) {
        if (level == m.education) ++n;
      }
    }
    if (m.secretary) secretary = &m;
  }
  if (aged > 0) {
    h.average_age = static_cast<double>(age_sum) / static_cast<double>(aged);
    h.share_under_35 = Share(under35, aged);
    h.share_under_45 = Share(under45, aged);
  }
  h.women_share = Share(h.women, h.member_count);
  h.college_share = Share(college, educated);
  h.wealth_leader_share = Share(h.wealth_leaders, h.member_count);
  h.reserve_count = in.reserve_count;
  h.reserve_target = in.reserve_target;
  h.reserve_shortfall = std::max<int64_t>(in.reserve_target - in.reserve_count, 0);
  h.secretary_vacancy_days = VacancyDays(in.secretary_held, in.secretary_vacant_since, today);
  h.director_vacancy_days = VacancyDays(in.director_held, in.director_vacant_since, today);
  h.term_expiry = in.term_expiry;
  if (!in.term_expiry) {
    h.term_status = "unknown";
  } else {
    const int64_t days = in.term_expiry->DaysSinceEpoch() - today.DaysSinceEpoch();
    h.days_to_term_expiry = days;
    h.term_status = days < 0 ? "expired" : days < 90 ? "expiring" : "current";
  }
  if (secretary == nullptr) {
    h.concurrent_posts = "vacant";
  } else if (secretary->director) {
    h.concurrent_posts = secretary->collective_manager ? "full" : "partial";
  } else {
    h.concurrent_posts = "none";
  }
  return h;
}

TeamHealthSummary Summarize(std::span<const TeamInput> inputs, std::span<const TeamHealth> health,
                            const Date& today) {
  TeamHealthSummary s;
  s.villages = static_cast<int64_t>(health.size());
  int64_t aged = 0, age_sum = 0, under35 = 0, under45 = 0, women = 0, college = 0, educated = 0,
          leaders = 0;
  for (const TeamInput& in : inputs) {
    for (const TeamMember& m : in.members) {
      ++s.members;
      if (m.birth_date) {
        const int age = today.YearsSince(*m.birth_date);
        ++aged;
        age_sum += age;
        under35 += age < 35;
        under45 += age < 45;
      }
      women += m.female;
      leaders += m.wealth_leader;
      if (!m.education.empty()) {
        ++educated;
        college += IsCollege(m.education);
      }
    }
  }
  if (aged > 0) {
    s.average_age = static_cast<double>(age_sum) / static_cast<double>(aged);
    s.share_under_35 = Share(under35, aged);
    s.share_under_45 = Share(under45, aged);
  }
  s.women_share = Share(women, s.members);
  s.college_share = Share(college, educated);
  s.wealth_leader_share = Share(leaders, s.members);
  for (const TeamHealth& h : health) {
    s.reserve_count += h.reserve_count;
    s.villages_short_of_reserves += h.reserve_shortfall > 0;
    s.secretary_vacant += h.secretary_vacancy_days.has_value();
    s.director_vacant += h.director_vacancy_days.has_value();
    s.terms_expired += h.term_status == "expired";
    s.terms_expiring += h.term_status == "expiring";
    s.concurrent_full += h.concurrent_posts == "full";
    s.concurrent_partial += h.concurrent_posts == "partial";
  }
  return s;
}

}  // namespace qiangji::engines::cultivation

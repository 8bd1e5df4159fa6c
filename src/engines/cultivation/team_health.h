// The health of one village's team (村"两委"班子) for cultivation and the assessment: ages,
// young members, women, education, wealth leaders among the members, reserve cadres against the
// target, how long the secretary and director posts have been vacant, when the term expires and
// whether the secretary holds the posts concurrently (一肩挑). Pure: plain inputs, `today` passed
// in. Definitions: docs/cultivation.md ("Team health").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/date.h"

namespace qiangji::engines::cultivation {

// One person on the two committees today (counted once however many posts they hold).
struct TeamMember {
  std::optional<Date> birth_date;
  bool female = false;
  std::string education;       // domain::kEducationLevels, "" when unknown
  bool wealth_leader = false;  // in the talent pool as a wealth leader or co-op chair
  bool secretary = false;      // holds party_secretary now
  bool director = false;       // holds committee_director now
  bool collective_manager = false;
};

struct TeamInput {
  int64_t division_code = 0;
  std::vector<TeamMember> members;
  int64_t reserve_count = 0;   // current reserve cadres
  int64_t reserve_target = 2;  // the configured target
  // When the post became vacant (the day the last holder's post ended, or when no holder was
  // ever recorded, empty); only read when nobody holds it now.
  bool secretary_held = false;
  std::optional<Date> secretary_vacant_since;
  bool director_held = false;
  std::optional<Date> director_vacant_since;
  std::optional<Date> term_expiry;  // the earliest term expiry of the village's Party organizations
};

struct TeamHealth {
  int64_t division_code = 0;
  int64_t member_count = 0;
  std::optional<double> average_age;  // over members with a birth date
  std::optional<double> share_under_35;
  std::optional<double> share_under_45;
  int64_t women = 0;
  std::optional<double> women_share;
  std::vector<std::pair<std::string, int64_t>> education;  // level -> members, levels in order
  std::optional<double> college_share;                     // junior college or higher
  int64_t wealth_leaders = 0;
  std::optional<double> wealth_leader_share;
  int64_t reserve_count = 0;
  int64_t reserve_target = 0;
  int64_t reserve_shortfall = 0;  // max(target - count, 0)
  // Days vacant as of today; nullopt when held; -1 when vacant with no recorded date.
  std::optional<int64_t> secretary_vacancy_days;
  std::optional<int64_t> director_vacancy_days;
  std::optional<Date> term_expiry;
  std::optional<int64_t> days_to_term_expiry;  // negative once expired
  std::string term_status;  // "unknown", "current", "expiring" (within 90 days), "expired"
  // "full" (secretary = director = collective manager), "partial" (secretary = director),
  // "none" (the posts are held by different people), "vacant" (no secretary).
  std::string concurrent_posts;
};

TeamHealth ComputeTeamHealth(const TeamInput& in, const Date& today);

// Sums over many villages (a township or county card): counts add, shares are recomputed over
// all members, reserve shortfall is the number of villages short of their target.
struct TeamHealthSummary {
  int64_t villages = 0;
  int64_t members = 0;
  std::optional<double> average_age;
  std::optional<double> share_under_35;
  std::optional<double> share_under_45;
  std::optional<double> women_share;
  std::optional<double> college_share;
  std::optional<double> wealth_leader_share;
  int64_t reserve_count = 0;
  int64_t villages_short_of_reserves = 0;
  int64_t secretary_vacant = 0;
  int64_t director_vacant = 0;
  int64_t terms_expired = 0;
  int64_t terms_expiring = 0;
  int64_t concurrent_full = 0;
  int64_t concurrent_partial = 0;
};
TeamHealthSummary Summarize(std::span<const TeamInput> inputs, std::span<const TeamHealth> health,
                            const Date& today);

}  // namespace qiangji::engines::cultivation

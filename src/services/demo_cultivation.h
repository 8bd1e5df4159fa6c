// The demo county's cultivation (双培养) records, part of BuildDemo after the dispatch rounds:
// a talent pool of synthetic people across every source and nomination channel, membership
// pipelines at every stage (some activists and probationary members past their due date, so the
// reminders show due and overdue steps), cadre pipelines (reserve cadres in about half of the
// villages, so the others are short of the target of 2; some reserves already on the two
// committees), county and township courses over last year and this one with attendance, and
// secondments and mentoring pairs. Through the cultivation services as the system caller
// (validated, rule-checked, audited). Not for api/ or cli/.
#pragma once

#include <cstdint>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "services/base.h"

namespace qiangji::services {

struct DemoCultivation {
  int64_t talent = 0;
  int64_t membership_steps = 0;
  int64_t cadre_steps = 0;
  int64_t courses = 0;
  int64_t attendance = 0;
  int64_t secondments = 0;
  int64_t mentoring_pairs = 0;
};

// Deterministic in (seed, today) for a given demo county. Only synthetic people are created.
Result<DemoCultivation> BuildDemoCultivation(Env env, const std::string& county, uint64_t seed,
                                             const Date& today);

}  // namespace qiangji::services

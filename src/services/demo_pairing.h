// The demo county's enterprise pairing (企到村 / 企到企): a register of sixteen synthetic
// enterprises fitting the county's villages (a few state-owned, most private, a few from the
// prefecture city), last year's pairing run confirmed (its pairings in force today), and this
// year's run created as a draft for a county user to run. Part of BuildDemo, after the dispatch
// rounds; not for api/ or cli/.
#pragma once

#include <cstdint>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "services/base.h"

namespace qiangji::services {

struct DemoPairing {
  int64_t enterprises = 0;    // in the register
  int64_t confirmed_run = 0;  // last year's run (0 when no village qualified)
  int64_t pairings = 0;       // its pairings, in force today
  int64_t draft_run = 0;      // this year's draft (0 when no village is left to pair)
  int64_t draft_targets = 0;
};

// On the demo database with its villages, needs and the county_admin user in place (env.pool may
// hold one connection; no lease may be held by the caller). Names are invented from the county's
// and prefecture's names ("阜平县山珍食用菌开发有限公司"); contacts are synthetic. Last year's
// run starts on 1 April of last year, was created a month before, narrowed by the county to
// about 60% of the enterprises' capacity (the rest dropped), run and confirmed before its start;
// this year's draft starts on the first day of next month.
Result<DemoPairing> BuildDemoPairing(Env env, const std::string& county_prefix, const Date& today);

}  // namespace qiangji::services

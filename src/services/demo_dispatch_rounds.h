// The demo county's dispatch rounds (双选派): last term's round, confirmed, whose first
// secretaries are in post now (some ending within 90 days of the build day), and this year's
// round open for preferences with about half the lists entered, ready for a county user to run.
// Part of BuildDemo, after the cadre pool; not for api/ or cli/.
#pragma once

#include <cstdint>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "services/base.h"

namespace qiangji::services {

struct DemoDispatchRounds {
  int64_t confirmed_round = 0;  // 0 when the pool was empty
  int64_t open_round = 0;       // 0 when no village was left without a first secretary
  int64_t posts = 0;            // first_secretary posts appointed by the confirmed round
  int64_t lists_entered = 0;    // lists submitted in the open round (the rest derive at the run)
};

// On the demo database with its cadre pool in place (env.pool may hold one connection; no lease
// may be held by the caller). Last term's round starts 24 months minus 16 days before `today`,
// so its 24-month terms end 16 days after it; it is created, opened, run and confirmed in the
// month before its start. This year's round is created and opened on `today` and starts on the
// first day of the third month after it.
Result<DemoDispatchRounds> BuildDemoDispatchRounds(Env env, const std::string& county_prefix,
                                                   const Date& today);

}  // namespace qiangji::services

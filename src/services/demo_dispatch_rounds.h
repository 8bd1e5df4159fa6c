// The demo county's dispatch rounds (双选派), one or more of every role, so that the UI shows
// each mode and villages show first secretaries, instructors and advisors in post:
//   - last term's first-secretary round, confirmed, whose first secretaries are in post now (some
//     ending within 90 days of the build day), and this year's, open for preferences with about
//     half the lists entered, ready for a county user to run;
//   - a confirmed local-worthy (乡贤) advisor round ten months ago for the neediest villages, and
//     this year's advisor round, matched (lists derived, hometowns first) but not confirmed;
//   - a confirmed resident-instructor round eight months ago and a confirmed circuit-instructor
//     round (four villages per instructor) five months ago, staffed by the county's own cadres
//     (each receiver's list names them; circuits take outside cadres after them), so some
//     villages are left without an instructor;
//   - a tracking-instructor round over the village projects, open for preferences.
// A round with nobody to send or nowhere to send them is skipped (its draft deleted). Part of
// BuildDemo, after the cadre pool and the projects; not for api/ or cli/.
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
  // The other roles' rounds (0 when skipped) and the posts they appointed.
  int64_t advisor_confirmed_round = 0;
  int64_t resident_round = 0;  // confirmed
  int64_t circuit_round = 0;   // confirmed
  int64_t tracking_round = 0;  // preferences_open
  int64_t advisor_round = 0;   // matched
  int64_t instructor_posts = 0;
  int64_t advisor_posts = 0;
};

// On the demo database with its cadre pool in place (env.pool may hold one connection; no lease
// may be held by the caller). Last term's first-secretary round starts 24 months minus 16 days
// before `today`, so its 24-month terms end 16 days after it; the advisor, resident and circuit
// rounds start on the first day of the month 10, 8 and 5 months before `today`. Each confirmed
// round is created, opened, run and confirmed in the month before its start. This year's
// first-secretary and tracking rounds are created and opened on `today` and start on the first
// day of the third month after it; this year's advisor round is run on `today` and starts on
// the first day of the next month.
Result<DemoDispatchRounds> BuildDemoDispatchRounds(Env env, const std::string& county_prefix,
                                                   const Date& today);

}  // namespace qiangji::services

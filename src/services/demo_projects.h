// The demo county's village projects (construction, industry, revitalization), the long projects
// tracking instructors follow from start to end. Part of BuildDemo, after the cadre pool and
// before the dispatch rounds; not for api/ or cli/.
#pragma once

#include <cstdint>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "services/base.h"

namespace qiangji::services {

// Writes about 20 synthetic projects in the villagers' committees of `county` (6 digits) that
// need help most (NeedsService's priority), one per village, each of a work type the village
// needs: about half underway, a third planned to start within half a year, the rest done; each
// one to three years long around `today`. Through ProjectService as the system caller (validated,
// one audit row each). Returns how many were written. Deterministic in (seed, today).
Result<int64_t> BuildDemoProjects(Env env, const std::string& county, uint64_t seed,
                                  const Date& today);

}  // namespace qiangji::services

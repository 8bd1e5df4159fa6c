// The dispatch round service's state changes at a given day and time (the Clock seam of
// assess_internal.h). DispatchRoundService calls them with the system clock; the demo builder
// replays last year's round at its dates and tests step through a round on fixed days. Each
// takes its own connections from env.pool (one at a time, so a pool of one connection works),
// runs its write in one transaction and writes the audit rows of the method of the same name.
// Not for api/ or cli/.
#pragma once

#include <cstdint>
#include <vector>

#include "services/assess_internal.h"
#include "services/dispatch.h"

namespace qiangji::services::internal {

Result<domain::DispatchRound> CreateRound(Env env, const Caller& caller,
                                          domain::DispatchRound round, const Clock& clock);
Result<domain::DispatchRound> OpenRound(Env env, const Caller& caller, int64_t id,
                                        const Clock& clock);
Result<domain::Preference> PutRoundPreference(Env env, const Caller& caller,
                                              domain::Preference pref, const Clock& clock);
Result<RoundResult> RunRound(Env env, const Caller& caller, int64_t id, const Clock& clock);
Result<RoundResult> ConfirmRound(Env env, const Caller& caller, int64_t id, const Clock& clock);
Result<std::vector<FirstSecretaryTerm>> FirstSecretaryTerms(Env env, const Caller& caller,
                                                            int days, const Date& today);

}  // namespace qiangji::services::internal

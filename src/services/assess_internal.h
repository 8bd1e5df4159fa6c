// The run service's state changes at a given day and time, inside the caller's connection.
// AssessRunService calls them with the system clock; the demo builder replays three years of
// runs at their historical dates (a 2023 run published in January 2024 and final after its
// notice), and tests step past a notice period without waiting for it. Not for api/ or cli/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/status.h"
#include "services/assess.h"
#include "storage/database.h"

namespace qiangji::services::internal {

struct Clock {
  Date today;       // the civil day in Asia/Shanghai: notice periods, future years
  std::string now;  // UTC ISO timestamp written to created_at, published_at...
};
Clock SystemClock();
// `day` at 09:00 Beijing time (01:00 UTC).
Clock ClockAt(const Date& day);

// Each runs in one transaction on `db` (a savepoint when one is open), with the rules and audit
// rows of the AssessRunService method of the same name.
Result<RunSummary> StartRun(storage::Database& db, const Caller& caller, const RunRequest& request,
                            const Clock& clock);
Result<RunSummary> PublishRun(storage::Database& db, const Caller& caller, int64_t run_id,
                              const Clock& clock);
Result<RunSummary> FinalizeRun(storage::Database& db, const Caller& caller, int64_t run_id,
                               const Clock& clock);
Result<Appeal> LodgeRunAppeal(storage::Database& db, const Caller& caller, int64_t run_id,
                              int64_t village_code, std::string reason, const Clock& clock);
Result<Appeal> DecideRunAppeal(storage::Database& db, const Caller& caller, int64_t appeal_id,
                               std::string_view status, std::string decision, const Clock& clock);

}  // namespace qiangji::services::internal

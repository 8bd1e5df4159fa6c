// The demo county's assessment: three years of synthetic evidence (engines/demo/assess_synth.h)
// and the runs a county would have made of them. Part of BuildDemo; not for api/ or cli/.
#pragma once

#include <cstdint>
#include <span>

#include "common/date.h"
#include "common/status.h"
#include "domain/records.h"
#include "engines/demo/synth.h"
#include "services/demo.h"
#include "storage/database.h"

namespace qiangji::services {

// On a database holding the demo county's divisions, records and users: stores the default
// indicator set (when absent), writes the evidence of the three years before `today`'s year in
// one transaction, then replays the county's runs at their dates: each earlier year started,
// published and finalized in the following January (with one appeal lodged and rejected during
// the middle year's notice), the last year started and published on `today` with its notice
// running and one appeal pending from the first township. Fills report.assess_runs,
// evidence_records and appeals_pending.
Status BuildDemoAssessment(storage::Database& db, std::span<const domain::Division> divisions,
                           const engines::demo::DemoCounty& county, uint64_t seed,
                           const Date& today, DemoReport& report);

}  // namespace qiangji::services

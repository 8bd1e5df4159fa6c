// The demo county's cadre pool for dispatch (engines/demo/dispatch_synth.h), sized from the
// county's needs. Part of BuildDemo, after the assessment and before the dispatch rounds
// (demo_dispatch_rounds.h); not for api/ or cli/.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "domain/records.h"
#include "services/base.h"
#include "services/demo.h"
#include "storage/database.h"

namespace qiangji::services {

// On a database holding the demo county's divisions, records and (when built) assessment: counts
// the villages that need a first secretary (NeedsService's rule), synthesises a pool large
// enough for cadres from outside the county to cover them with a quarter to spare (60 at
// least), homes outside the county drawn from the prefecture's counties in
// `dist_dir`/areas.csv, and writes it in one transaction with one audit row (cadre.import).
// The same import adds 30 local worthies (乡贤, kind "worthy"): natives of the county's villages
// (home_code = the hometown village) who run firms elsewhere, shops or co-ops at home, or have
// retired, living in big cities, the prefecture's city or the county. Sets report.cadres and
// report.worthies.
Status BuildDemoCadrePool(storage::Database& db, const Secrets& secrets,
                          std::span<const domain::Division> divisions, const std::string& dist_dir,
                          uint64_t seed, const Date& today, DemoReport& report);

}  // namespace qiangji::services

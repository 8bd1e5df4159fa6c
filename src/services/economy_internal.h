// Internal helpers shared by the collective-economy services (collective_service.cc,
// economy_report_service.cc and the linkage service). Not for other layers.
#pragma once

#include <cstdint>

#include "common/division_code.h"
#include "common/status.h"
#include "storage/database.h"

namespace qiangji::services::internal {

// The weak-economy threshold (fen) of the county whose villages `range` covers: the field
// "weak_threshold_fen" (an integer > 0) of the county's latest linkage_policy version, when the
// range lies inside one county and that county has saved a policy with the field; otherwise
// domain::kDefaultWeakThresholdFen (100,000 yuan). The linkage service owns the policy's JSON;
// this reads only that one field, so the report follows a saved policy at once.
Result<int64_t> CountyWeakThresholdFen(storage::Database& db, const DivisionRange& range);

// The code that names everything `lo..hi` lies in: a village, its township, its county, its
// prefecture or province, or 0 when the codes span provinces (for an audit row's division).
int64_t CommonDivision(int64_t lo, int64_t hi);

}  // namespace qiangji::services::internal

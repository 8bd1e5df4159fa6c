// JSON of village projects (the long projects a tracking instructor follows, issue 4 point 5), in
// the API's field names; shared by the API, the audit snapshots and the demo. Division codes are
// 12-digit strings, dates ISO. The parser never throws: wrong types, unknown fields and what
// domain::ValidateProject refuses are field errors naming the field.
#pragma once

#include <boost/json.hpp>

#include "common/status.h"
#include "domain/dispatch.h"

namespace qiangji::services {

// {id, division_code, village_name, township_code, township_name, name, work_type, start_date,
// end_date, status, description, updated_at}. The names are the registry's (display only).
boost::json::object ProjectJson(const domain::Project& p);

// A create or update body: division_code (the village), name, work_type, start_date and
// end_date required; status (default "planned") and description optional. id, updated_at and
// the display names are ignored (the path and the service set them); other keys are errors.
Result<domain::Project> ProjectFromJson(const boost::json::object& o);

}  // namespace qiangji::services

// JSON of the domain records, in the API's field names. The audit log's before/after snapshots
// and the API's answers are built from these same functions, so the two never drift apart.
// Personal data is written as given: callers mask it first.
#pragma once

#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/date.h"
#include "domain/records.h"

namespace qiangji::services {

boost::json::value DivisionCodeJson(int64_t code);  // "130624100201", or null for 0
boost::json::value DateJson(const std::optional<Date>& date);
boost::json::value TextOrNull(std::string_view text);  // null for ""

boost::json::object VillageJson(const domain::Village& v);
boost::json::object PartyOrgJson(const domain::PartyOrg& o);
boost::json::object PersonJson(const domain::Person& p);
boost::json::object PostJson(const domain::Post& p);
boost::json::object UserJson(const domain::User& u);  // never a password hash

}  // namespace qiangji::services

// JSON <-> the records and views of services.h, in the shapes docs/api.md fixes. Reading is
// strict about types (a string where a number belongs is a field error naming that field) and
// lenient about extra fields (read-only ones such as "id" or "age" that a client echoes back
// are ignored). Division codes travel as 12-digit strings; absent optional values as null.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/date.h"
#include "common/status.h"
#include "domain/records.h"
#include "services/record_json.h"
#include "services/services.h"

namespace qiangji::api {

// The request body as one JSON object. Empty, malformed (the message names the byte offset and
// the problem), too deeply nested, or not an object: InvalidArgument on field "body".
Result<boost::json::object> ParseJsonObject(std::string_view body);

// JSON text of a value, as Boost.JSON writes it except for decimals: Boost 1.81 writes 7.08 as
// "7.08E0"; this writes the shortest text that reads back to the same double ("7.08").
std::string ToJsonText(const boost::json::value& v);

// Reads typed fields of one object, collecting a field error for each missing or mistyped one.
// Absent and null are the same ("no value"); `required` turns them into "is required".
class FieldReader {
 public:
  FieldReader(const boost::json::object& object, FieldErrors& errors)
      : object_(object), errors_(errors) {}

  bool Has(std::string_view key) const;  // present and not null
  std::optional<std::string> String(std::string_view key, bool required = false);
  std::optional<int64_t> Int(std::string_view key, bool required = false);
  std::optional<double> Number(std::string_view key, bool required = false);
  std::optional<bool> Bool(std::string_view key, bool required = false);
  std::optional<Date> DateField(std::string_view key, bool required = false);
  // A 12-digit division code string.
  std::optional<int64_t> DivisionCodeField(std::string_view key, bool required = false);
  std::optional<std::vector<std::string>> StringArray(std::string_view key, bool required = false);

 private:
  const boost::json::value* Find(std::string_view key, bool required);
  const boost::json::object& object_;
  FieldErrors& errors_;
};

struct LoginForm {
  std::string username;
  std::string password;
};
Result<LoginForm> LoginFromJson(const boost::json::object& o);
Result<domain::Village> VillageFromJson(const boost::json::object& o);
Result<domain::PartyOrg> PartyOrgFromJson(const boost::json::object& o);
Result<domain::Person> PersonFromJson(const boost::json::object& o);
Result<domain::Post> PostFromJson(const boost::json::object& o);

// ---- out ----
// The records' own JSON comes from services/record_json.h, shared with the audit log.
inline boost::json::value CodeJson(int64_t code) { return services::DivisionCodeJson(code); }
using services::DateJson;
using services::PartyOrgJson;
using services::UserJson;
using services::VillageJson;
boost::json::object SessionJson(const services::Session& s);  // {user, csrf_token, expires_at}
boost::json::object DivisionJson(const domain::Division& d);
boost::json::object DivisionNodeJson(const services::DivisionNode& n);
boost::json::object VillageSummaryJson(const services::VillageSummary& s);
boost::json::object VillageDetailJson(const services::VillageDetail& d);
boost::json::object PersonJson(const services::PersonView& p);
boost::json::object PostJson(const services::PostView& p);
boost::json::object OverviewJson(const services::Overview& o);
boost::json::object AuditEntryJson(const services::AuditEntry& e);
boost::json::object MetaJson(const services::Meta& m, std::string_view version);

// {"items": [...], "total", "page", "page_size"}
template <typename T, typename F>
boost::json::object PageJson(const services::Page<T>& page, F&& item) {
  boost::json::array items;
  items.reserve(page.items.size());
  for (const T& t : page.items) items.push_back(item(t));
  return {{"items", std::move(items)},
          {"total", page.total},
          {"page", page.page},
          {"page_size", page.page_size}};
}

// {"items": [...]} for unpaged lists.
template <typename T, typename F>
boost::json::object ItemsJson(const std::vector<T>& list, F&& item) {
  boost::json::array items;
  items.reserve(list.size());
  for (const T& t : list) items.push_back(item(t));
  return {{"items", std::move(items)}};
}

}  // namespace qiangji::api

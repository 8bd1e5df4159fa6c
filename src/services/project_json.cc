#include "services/project_json.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/division_code.h"
#include "services/record_json.h"

namespace qiangji::services {

namespace json = boost::json;

namespace {

constexpr std::string_view kKnownKeys[] = {
    "id",        "division_code", "village_name", "township_code", "township_name", "name",
    "work_type", "start_date",    "end_date",     "status",        "description",   "updated_at"};

const json::value* Find(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

std::optional<std::string> Text(const json::object& o, std::string_view key, bool required,
                                FieldErrors& errors) {
  const json::value* v = Find(o, key);
  if (!v) {
    if (required) errors.Add(std::string(key), "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    errors.Add(std::string(key), "must be a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<Date> DateField(const json::object& o, std::string_view key, FieldErrors& errors) {
  std::optional<std::string> text = Text(o, key, true, errors);
  if (!text) return std::nullopt;
  Result<Date> d = Date::Parse(*text, key);
  if (!d.ok()) {
    errors.Add(std::string(key), fmt::format("\"{}\" must be a date YYYY-MM-DD", *text));
    return std::nullopt;
  }
  return *d;
}

// The village's 12-digit code as a string (the API's form) or, leniently, an integer. Whether
// it is a village-level code is domain::ValidateProject's to say.
std::optional<int64_t> Code(const json::object& o, std::string_view key, FieldErrors& errors) {
  const json::value* v = Find(o, key);
  if (!v) {
    errors.Add(std::string(key), "is required");
    return std::nullopt;
  }
  Result<DivisionCode> code = Status::InvalidArgument("");
  if (v->is_string()) {
    code = DivisionCode::Parse(std::string(v->get_string()));
  } else if (v->is_int64()) {
    code = DivisionCode::FromInt(v->get_int64());
  } else {
    errors.Add(std::string(key), "must be a 12-digit village code string");
    return std::nullopt;
  }
  if (!code.ok()) {
    errors.Add(std::string(key), "must be a 12-digit village code");
    return std::nullopt;
  }
  return code->value();
}

}  // namespace

json::object ProjectJson(const domain::Project& p) {
  return {{"id", p.id},
          {"division_code", DivisionCodeJson(p.division_code)},
          {"village_name", p.village_name},
          {"township_code", DivisionCodeJson(p.township_code)},
          {"township_name", p.township_name},
          {"name", p.name},
          {"work_type", p.work_type},
          {"start_date", p.start_date.ToString()},
          {"end_date", p.end_date.ToString()},
          {"status", p.status},
          {"description", p.description},
          {"updated_at", TextOrNull(p.updated_at)}};
}

Result<domain::Project> ProjectFromJson(const json::object& o) {
  FieldErrors errors;
  for (const auto& kv : o) {
    if (std::find(std::begin(kKnownKeys), std::end(kKnownKeys), std::string_view(kv.key())) ==
        std::end(kKnownKeys))
      errors.Add(std::string(kv.key()), "unknown field");
  }
  domain::Project p;
  if (std::optional<int64_t> code = Code(o, "division_code", errors)) p.division_code = *code;
  if (auto name = Text(o, "name", true, errors)) p.name = *name;
  if (auto work_type = Text(o, "work_type", true, errors)) p.work_type = *work_type;
  std::optional<Date> start = DateField(o, "start_date", errors);
  std::optional<Date> end = DateField(o, "end_date", errors);
  if (start) p.start_date = *start;
  if (end) p.end_date = *end;
  if (auto status = Text(o, "status", false, errors)) p.status = *status;
  if (auto description = Text(o, "description", false, errors)) p.description = *description;
  Status validated = domain::ValidateProject(p);
  // Report what validation finds about the fields that did parse, beside the parse errors; the
  // date order only when both dates are there.
  for (const FieldError& e : validated.field_errors()) {
    bool parsed_badly = false;
    for (const FieldError& prior : errors.errors()) parsed_badly |= prior.field == e.field;
    if (parsed_badly) continue;
    if (e.field == "end_date" && (!start || !end)) continue;
    if (e.field == "division_code" && !Find(o, "division_code")) continue;
    errors.Add(e.field, e.message);
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return p;
}

}  // namespace qiangji::services

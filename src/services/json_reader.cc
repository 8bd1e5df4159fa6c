#include "services/json_reader.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace qiangji::services::json_read {

std::optional<int64_t> AsInt(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double()) {  // 1e3 is an integer written as a double; 12.5 is not
    const double d = v.get_double();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0)
      return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> AsNumber(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

bool In(std::span<const std::string_view> list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

const json::value* Reader::Find(std::string_view key, bool required) {
  const json::value* v = o_.if_contains(key);
  if (v && !v->is_null()) return v;
  if (required) Error(key, "is required");
  return nullptr;
}

void Reader::Get(std::string_view key, std::string& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  if (!v->is_string()) return Error(key, "must be a string");
  out = std::string(v->get_string());
}

void Reader::Get(std::string_view key, double& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  const std::optional<double> d = AsNumber(*v);
  if (!d) return Error(key, std::string(wording_.not_a_number));
  if (!std::isfinite(*d)) return Error(key, "must be a finite number");
  out = *d;
}

void Reader::Get(std::string_view key, std::optional<double>& out, bool required) {
  if (!Find(key, required)) return;
  double d = 0;
  const size_t before = errors_.errors().size();
  Get(key, d);
  if (NoErrorsSince(before)) out = d;
}

void Reader::Get(std::string_view key, int64_t& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  const std::optional<int64_t> i = AsInt(*v);
  if (!i) return Error(key, "must be an integer");
  out = *i;
}

void Reader::Get(std::string_view key, int& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  const std::optional<int64_t> i = AsInt(*v);
  if (!i) return Error(key, "must be an integer");
  if (*i < std::numeric_limits<int>::min() || *i > std::numeric_limits<int>::max())
    return Error(key, std::string(wording_.int_out_of_range));
  out = static_cast<int>(*i);
}

void Reader::Get(std::string_view key, std::optional<int>& out, bool required) {
  if (!Find(key, required)) return;
  int i = 0;
  const size_t before = errors_.errors().size();
  Get(key, i);
  if (NoErrorsSince(before)) out = i;
}

void Reader::Get(std::string_view key, uint64_t& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  if (v->is_uint64()) {
    out = v->get_uint64();
    return;
  }
  const std::optional<int64_t> i = AsInt(*v);
  if (!i || *i < 0) return Error(key, "must be a non-negative integer");
  out = static_cast<uint64_t>(*i);
}

void Reader::Get(std::string_view key, bool& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  if (!v->is_bool()) return Error(key, "must be true or false");
  out = v->get_bool();
}

void Reader::Get(std::string_view key, std::vector<std::string>& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  if (!v->is_array()) return Error(key, "must be an array of strings");
  std::vector<std::string> items;
  const json::array& a = v->get_array();
  const size_t before = errors_.errors().size();
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) {
      errors_.Add(fmt::format("{}[{}]", Path(key), i), "must be a string");
      continue;
    }
    items.emplace_back(a[i].get_string());
  }
  if (NoErrorsSince(before)) out = std::move(items);
}

void Reader::Get(std::string_view key, std::vector<double>& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  if (!v->is_array()) return Error(key, "must be an array of numbers");
  std::vector<double> items;
  const json::array& a = v->get_array();
  const size_t before = errors_.errors().size();
  for (size_t i = 0; i < a.size(); ++i) {
    const std::optional<double> d = AsNumber(a[i]);
    if (!d || !std::isfinite(*d)) {
      errors_.Add(fmt::format("{}[{}]", Path(key), i), "must be a finite number");
      continue;
    }
    items.push_back(*d);
  }
  if (NoErrorsSince(before)) out = std::move(items);
}

void Reader::GetDate(std::string_view key, std::optional<Date>& out, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  if (!v->is_string()) return Error(key, "must be a date YYYY-MM-DD");
  const std::string text(v->get_string());
  Result<Date> d = Date::Parse(text, Path(key));
  if (!d.ok()) return Error(key, fmt::format("\"{}\" must be a date YYYY-MM-DD", text));
  out = *d;
}

void Reader::GetEnum(std::string_view key, std::string& out,
                     std::span<const std::string_view> allowed, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  if (!v->is_string()) return Error(key, "must be a string");
  std::string text(v->get_string());
  if (!In(allowed, text)) {
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return Error(key, fmt::format("\"{}\" is not one of {}", text, list));
  }
  out = std::move(text);
}

void Reader::GetInt(std::string_view key, int64_t& out, std::string_view what, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  const std::optional<int64_t> i = AsInt(*v);
  if (!i) return Error(key, fmt::format("must be {}", what));
  out = *i;
}

void Reader::GetInt(std::string_view key, int& out, std::string_view what, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return;
  const std::optional<int64_t> i = AsInt(*v);
  if (!i || *i < std::numeric_limits<int>::min() || *i > std::numeric_limits<int>::max())
    return Error(key, fmt::format("must be {}", what));
  out = static_cast<int>(*i);
}

const json::object* Reader::Object(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    Error(key, "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

const json::array* Reader::Array(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    Error(key, "must be an array");
    return nullptr;
  }
  return &v->get_array();
}

void Reader::RejectUnknown(std::span<const std::string_view> known,
                           std::span<const std::string_view> ignored) {
  RejectUnknown(known, ignored, nullptr);
}

void Reader::RejectUnknown(std::span<const std::string_view> known,
                           std::span<const std::string_view> ignored,
                           bool (*also_known)(std::string_view)) {
  for (const auto& kv : o_) {
    const std::string_view k = kv.key();
    if (In(known, k) || In(ignored, k) || (also_known && also_known(k))) continue;
    Error(k, "unknown field");
  }
}

}  // namespace qiangji::services::json_read

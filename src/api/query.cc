#include "api/query.h"

#include <charconv>

#include <fmt/format.h>

#include "common/division_code.h"

namespace qiangji::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

Result<QueryParams> QueryParams::Parse(std::string_view query) {
  QueryParams out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name, value;
    if (!PercentDecode(pair.substr(0, eq), name, true))
      return Status::InvalidField("query", "malformed percent-encoding in a parameter name");
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), value, true))
      return Status::InvalidField(name, "malformed percent-encoding");
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
      return Status::InvalidField(name.find('\0') != std::string::npos ? "query" : name,
                                  "must not contain NUL characters");
    out.params_.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  for (auto it = params_.rbegin(); it != params_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

Result<std::optional<int64_t>> QueryParams::Int(std::string_view name, int64_t min,
                                                int64_t max) const {
  std::optional<std::string> text = Get(name);
  if (!text) return std::optional<int64_t>();
  int64_t v = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (text->empty() || ec != std::errc() || ptr != end || v < min || v > max)
    return Status::InvalidField(std::string(name),
                                fmt::format("must be an integer from {} to {}", min, max));
  return std::optional<int64_t>(v);
}

Result<bool> QueryParams::Bool(std::string_view name, bool fallback) const {
  std::optional<std::string> text = Get(name);
  if (!text) return fallback;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  return Status::InvalidField(std::string(name), "must be true or false");
}

Result<std::string> QueryParams::DivisionPrefix(std::string_view name) const {
  std::optional<std::string> text = Get(name);
  if (!text || text->empty()) return std::string();
  auto code = DivisionCode::Parse(*text);
  if (!code.ok())
    return Status::InvalidField(std::string(name), code.status().field_errors().front().message);
  // "130624000000" narrows like "130624": use the significant digits.
  return code->Prefix();
}

Result<services::ListQuery> ParseListQuery(const QueryParams& params) {
  services::ListQuery q;
  FieldErrors errors;
  auto page = params.Int("page", 1, kMaxPage);
  if (!page.ok()) {
    errors.Add("page", page.status().field_errors().front().message);
  } else if (*page) {
    q.page = **page;
  }
  auto size = params.Int("page_size", 1, kMaxPageSize);
  if (!size.ok()) {
    errors.Add("page_size", size.status().field_errors().front().message);
  } else if (*size) {
    q.page_size = **size;
  }
  auto under = params.DivisionPrefix("under");
  if (!under.ok()) {
    errors.Add("under", under.status().field_errors().front().message);
  } else {
    q.under = *under;
  }
  q.q = params.Get("q").value_or("");
  if (Utf8Length(q.q) > kMaxSearchLength)
    errors.Add("q", fmt::format("must be at most {} characters", kMaxSearchLength));
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return q;
}

}  // namespace qiangji::api

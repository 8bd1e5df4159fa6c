#include "domain/text.h"

#include <algorithm>

#include <fmt/format.h>

namespace qiangji::domain {

int64_t TextLength(std::string_view s, bool allow_line_breaks) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xE  ? 3
                       : (c >> 3) == 0x1E ? 4
                                          : 0;
    if (len == 0 || i + len > s.size()) return -1;
    if (len == 1 && ((c < 0x20 && !(allow_line_breaks && c == '\n')) || c == 0x7F)) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    }
    // Overlong encodings and surrogates.
    if (len == 2 && c < 0xC2) return -1;
    const auto c1 = static_cast<unsigned char>(s[i + 1 < s.size() ? i + 1 : i]);
    if (len == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))) return -1;
    if (len == 4 && ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90))) return -1;
    i += len;
    ++n;
  }
  return n;
}

void CheckText(FieldErrors& errors, std::string_view field, std::string_view value, bool required,
               int64_t max, bool allow_line_breaks) {
  if (value.empty()) {
    if (required) errors.Add(std::string(field), "is required");
    return;
  }
  const int64_t n = TextLength(value, allow_line_breaks);
  if (n < 0) {
    errors.Add(std::string(field), "must be UTF-8 text without control characters");
  } else if (n > max) {
    errors.Add(std::string(field), fmt::format("must be at most {} characters", max));
  } else if (value.front() == ' ' || value.back() == ' ') {
    errors.Add(std::string(field), "must not start or end with a space");
  }
}

bool ValidMobile(std::string_view p) {
  if (p.size() != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9') return false;
  return std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Listing(std::span<const std::string_view> vocabulary) {
  std::string out;
  for (std::string_view v : vocabulary) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

}  // namespace qiangji::domain

#include "common/money.h"

#include <limits>

#include <fmt/format.h>

namespace qiangji {

Result<Money> Money::Parse(std::string_view text, std::string_view field) {
  auto fail = [&](std::string_view why) {
    return Status::InvalidField(std::string(field), fmt::format("\"{}\" {}", text, why));
  };
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return fail("is not an amount");
  const size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty()) return fail("needs digits before the decimal point");
  if (dot != std::string_view::npos && frac.empty())
    return fail("needs digits after the decimal point");
  if (frac.size() > 2) return fail("has more than two decimals (fen is the smallest unit)");

  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t yuan = 0;
  int group = 0;  // digits since the last comma, or -1 before any comma
  bool seen_comma = false;
  for (size_t i = 0; i < whole.size(); ++i) {
    char c = whole[i];
    if (c == ',') {
      if (i == 0 || (seen_comma && group != 3) || (!seen_comma && group > 3))
        return fail("has misplaced commas");
      seen_comma = true;
      group = 0;
      continue;
    }
    if (c < '0' || c > '9') return fail("is not an amount");
    const int digit = c - '0';
    if (yuan > (kMax / 100 - digit) / 10) return fail("is too large");
    yuan = yuan * 10 + digit;
    ++group;
  }
  if (seen_comma && group != 3) return fail("has misplaced commas");
  int64_t cents = 0;
  for (size_t i = 0; i < 2; ++i) {
    cents *= 10;
    if (i < frac.size()) {
      if (frac[i] < '0' || frac[i] > '9') return fail("is not an amount");
      cents += frac[i] - '0';
    }
  }
  if (yuan > (kMax - cents) / 100) return fail("is too large");
  int64_t fen = yuan * 100 + cents;
  return Money(negative ? -fen : fen);
}

std::string Money::ToString() const {
  const bool negative = fen_ < 0;
  // Work in unsigned so INT64_MIN's magnitude does not overflow.
  uint64_t mag = negative ? 0 - static_cast<uint64_t>(fen_) : static_cast<uint64_t>(fen_);
  return fmt::format("{}{}.{:02d}", negative ? "-" : "", mag / 100, mag % 100);
}

}  // namespace qiangji

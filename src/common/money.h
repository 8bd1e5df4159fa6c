// Money: an exact count of fen (0.01 yuan) in int64. Never a float: "12.34" parses to 1234 fen
// exactly, and a third decimal is an error rather than a silent rounding.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace qiangji {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromFen(int64_t fen) { return Money(fen); }
  // "12.34", "-5", "0.5", "1,234.56" (grouping commas allowed between groups of three).
  // At most two decimals; overflow and anything else is InvalidArgument on `field`.
  static Result<Money> Parse(std::string_view text, std::string_view field = "amount");

  constexpr int64_t fen() const { return fen_; }
  std::string ToString() const;  // "1234.56", "-0.05"; no grouping

  constexpr auto operator<=>(const Money&) const = default;
  constexpr Money operator+(Money o) const { return Money(fen_ + o.fen_); }
  constexpr Money operator-(Money o) const { return Money(fen_ - o.fen_); }

 private:
  constexpr explicit Money(int64_t fen) : fen_(fen) {}
  int64_t fen_ = 0;
};

}  // namespace qiangji

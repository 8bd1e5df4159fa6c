// DivisionCode: the 12-digit statistical division code of the National Bureau of Statistics
// (统计用区划代码): 2 digits province, 2 prefecture, 2 county, 3 township, 3 village.
// A code of a higher level ends in zeros, and is written short by its significant digits
// ("130624" for 阜平县); everything under it shares that prefix, so "everything under" is one
// integer range, [130624000000, 130624999999], which every store can index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace qiangji {

enum class DivisionLevel {
  kProvince = 1,
  kPrefecture = 2,
  kCounty = 3,
  kTownship = 4,
  kVillage = 5
};

std::string_view DivisionLevelName(DivisionLevel level);  // "province" ... "village"
Result<DivisionLevel> ParseDivisionLevel(std::string_view name);
// Significant digits of a code at this level: 2, 4, 6, 9, 12.
int DivisionLevelDigits(DivisionLevel level);

// An inclusive range of 12-digit codes: the codes under one division, or a user's scope.
struct DivisionRange {
  int64_t lo = 0;
  int64_t hi = 999'999'999'999;

  static DivisionRange All() { return {}; }
  bool Contains(int64_t code) const { return code >= lo && code <= hi; }
  bool Covers(const DivisionRange& other) const { return other.lo >= lo && other.hi <= hi; }
  // The narrower of two ranges; empty (lo > hi) when they do not overlap.
  DivisionRange Intersect(const DivisionRange& other) const;
  bool empty() const { return lo > hi; }
  bool operator==(const DivisionRange&) const = default;
};

class DivisionCode {
 public:
  // Accepts 2, 4, 6, 9 or 12 digits ("13", "1306", "130624", "130624100", "130624100201") or a
  // 12-digit code padded with zeros. Rejects other lengths, non-digits, an unknown province,
  // and codes whose zero parts are in the wrong place (e.g. 130600100000: no county).
  static Result<DivisionCode> Parse(std::string_view text);
  static Result<DivisionCode> FromInt(int64_t value);

  int64_t value() const { return value_; }
  DivisionLevel level() const { return level_; }
  std::string ToString() const;  // always 12 digits
  std::string Prefix() const;    // the significant digits: "130624" for a county
  std::optional<DivisionCode> Parent() const;
  DivisionRange Under() const;  // this code and everything below it
  bool Contains(const DivisionCode& other) const { return Under().Contains(other.value_); }
  // Village level with last three digits 200-399: a villagers' committee (村民委员会);
  // 001-199 is a residents' committee (居民委员会).
  bool IsVillagersCommittee() const;

  bool operator==(const DivisionCode&) const = default;
  auto operator<=>(const DivisionCode& o) const { return value_ <=> o.value_; }

 private:
  DivisionCode(int64_t value, DivisionLevel level) : value_(value), level_(level) {}
  int64_t value_;
  DivisionLevel level_;
};

// A scope prefix as users write it: "" (the whole country) or the significant digits of a code.
Result<DivisionRange> ParseScopePrefix(std::string_view prefix);

}  // namespace qiangji

#include "common/division_code.h"

#include <algorithm>

#include <fmt/format.h>

namespace qiangji {
namespace {

constexpr int64_t kPow10[] = {1,
                              10,
                              100,
                              1'000,
                              10'000,
                              100'000,
                              1'000'000,
                              10'000'000,
                              100'000'000,
                              1'000'000'000,
                              10'000'000'000,
                              100'000'000'000,
                              1'000'000'000'000};

// Province codes in the NBS scheme (GB/T 2260): 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71,
// 81, 82.
bool KnownProvince(int p) {
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         p == 81 || p == 82;
}

}  // namespace

std::string_view DivisionLevelName(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::kProvince:
      return "province";
    case DivisionLevel::kPrefecture:
      return "prefecture";
    case DivisionLevel::kCounty:
      return "county";
    case DivisionLevel::kTownship:
      return "township";
    case DivisionLevel::kVillage:
      return "village";
  }
  return "unknown";
}

Result<DivisionLevel> ParseDivisionLevel(std::string_view name) {
  for (auto l : {DivisionLevel::kProvince, DivisionLevel::kPrefecture, DivisionLevel::kCounty,
                 DivisionLevel::kTownship, DivisionLevel::kVillage}) {
    if (DivisionLevelName(l) == name) return l;
  }
  return Status::InvalidField("level", "must be province, prefecture, county, township or village");
}

int DivisionLevelDigits(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::kProvince:
      return 2;
    case DivisionLevel::kPrefecture:
      return 4;
    case DivisionLevel::kCounty:
      return 6;
    case DivisionLevel::kTownship:
      return 9;
    case DivisionLevel::kVillage:
      return 12;
  }
  return 12;
}

DivisionRange DivisionRange::Intersect(const DivisionRange& o) const {
  return {std::max(lo, o.lo), std::min(hi, o.hi)};
}

Result<DivisionCode> DivisionCode::FromInt(int64_t v) {
  if (v < 100'000'000'000 || v > 999'999'999'999)
    return Status::InvalidField("division_code", fmt::format("{} is not a 12-digit code", v));
  int province = static_cast<int>(v / kPow10[10]);
  int prefecture = static_cast<int>(v / kPow10[8] % 100);
  int county = static_cast<int>(v / kPow10[6] % 100);
  int township = static_cast<int>(v / kPow10[3] % 1000);
  int village = static_cast<int>(v % 1000);
  if (!KnownProvince(province))
    return Status::InvalidField("division_code",
                                fmt::format("{:012d}: {:02d} is not a province code", v, province));
  // A lower part needs every higher part, with one exception: prefecture-level cities without
  // counties (东莞 4419, 中山 4420, 儋州 4604) put townships directly under the prefecture, with
  // county part 00, e.g. 441900003000.
  const auto bad = [&](std::string_view why) {
    return Status::InvalidField("division_code", fmt::format("{:012d}: {}", v, why));
  };
  if (village != 0 && township == 0) return bad("a village part needs a township part");
  if (township != 0 && prefecture == 0) return bad("a township part needs a prefecture part");
  if (county != 0 && prefecture == 0) return bad("a county part needs a prefecture part");
  int level = village ? 5 : township ? 4 : county ? 3 : prefecture ? 2 : 1;
  return DivisionCode(v, static_cast<DivisionLevel>(level));
}

Result<DivisionCode> DivisionCode::Parse(std::string_view text) {
  const size_t n = text.size();
  if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)
    return Status::InvalidField("division_code",
                                fmt::format("\"{}\" must have 2, 4, 6, 9 or 12 digits", text));
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return Status::InvalidField("division_code", fmt::format("\"{}\" must be digits only", text));
    v = v * 10 + (c - '0');
  }
  v *= kPow10[12 - n];
  QJ_ASSIGN_OR_RETURN(DivisionCode code, FromInt(v));
  if (n < 12 && DivisionLevelDigits(code.level()) != static_cast<int>(n))
    return Status::InvalidField(
        "division_code",
        fmt::format("\"{}\" ends in zeros that its length says are significant", text));
  return code;
}

std::string DivisionCode::ToString() const { return fmt::format("{:012d}", value_); }

std::string DivisionCode::Prefix() const {
  return ToString().substr(0, DivisionLevelDigits(level_));
}

std::optional<DivisionCode> DivisionCode::Parent() const {
  if (level_ == DivisionLevel::kProvince) return std::nullopt;
  auto parent_level = static_cast<DivisionLevel>(static_cast<int>(level_) - 1);
  int64_t unit = kPow10[12 - DivisionLevelDigits(parent_level)];
  // A township of a city without counties (county part 00) hangs from the prefecture.
  if (parent_level == DivisionLevel::kCounty && value_ / kPow10[6] % 100 == 0) {
    parent_level = DivisionLevel::kPrefecture;
    unit = kPow10[8];
  }
  return DivisionCode(value_ / unit * unit, parent_level);
}

DivisionRange DivisionCode::Under() const {
  int64_t unit = kPow10[12 - DivisionLevelDigits(level_)];
  return {value_, value_ + unit - 1};
}

bool DivisionCode::IsVillagersCommittee() const {
  int last = static_cast<int>(value_ % 1000);
  return level_ == DivisionLevel::kVillage && last >= 200 && last <= 399;
}

Result<DivisionRange> ParseScopePrefix(std::string_view prefix) {
  if (prefix.empty()) return DivisionRange::All();
  auto code = DivisionCode::Parse(prefix);
  if (!code.ok()) return Status::InvalidField("scope", code.status().field_errors()[0].message);
  if (DivisionLevelDigits(code->level()) != static_cast<int>(prefix.size()))
    return Status::InvalidField("scope",
                                fmt::format("\"{}\" is not the prefix of one division", prefix));
  return code->Under();
}

}  // namespace qiangji

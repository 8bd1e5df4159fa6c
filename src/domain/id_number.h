// Citizen identity numbers (公民身份号码) as defined by GB 11643-1999:
//
//   RRRRRR YYYYMMDD SSS C
//   region birth    seq check
//
// - region: the 6-digit administrative code of the place of first registration (GB/T 2260).
//   Old codes stay valid after boundary changes, so only its shape is checked: a known province
//   and a non-zero prefecture part.
// - birth: a real calendar date, not in the future.
// - seq: odd for men, even for women.
// - check: ISO 7064 MOD 11-2 over the first 17 digits; the value 10 is written 'X'.
//
// A lower-case 'x' is accepted and normalised to 'X', so the same person always hashes alike.
#pragma once

#include <string>
#include <string_view>

#include "common/date.h"
#include "common/status.h"
#include "domain/records.h"

namespace qiangji::domain {

inline constexpr size_t kIdNumberLength = 18;

// What an ID number says about its holder.
struct IdNumberFacts {
  int region = 0;  // 6-digit region code
  Date birth_date;
  Sex sex = Sex::kMale;
};

// The check character ('0'-'9' or 'X') for 17 leading digits. `first17` must be 17 digits.
char IdNumberCheckChar(std::string_view first17);

// Validates `text` against every rule above and returns it normalised (upper-case 'X').
// Errors are InvalidArgument on `field`, with a message that says which rule failed.
// `today` is the reference for "not in the future" (Asia/Shanghai today by default).
Result<std::string> NormalizeIdNumber(std::string_view text, std::string_view field = "id_number");
Result<std::string> NormalizeIdNumber(std::string_view text, std::string_view field, Date today);

// Validates like NormalizeIdNumber and derives the holder's region, birth date and sex.
Result<IdNumberFacts> ParseIdNumber(std::string_view text, std::string_view field = "id_number");
Result<IdNumberFacts> ParseIdNumber(std::string_view text, std::string_view field, Date today);

}  // namespace qiangji::domain

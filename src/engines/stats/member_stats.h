// Pure figures for the county overview dashboard: age bands, vocabulary-ordered counts and the
// state of Party organizations' terms (换届). Plain data in, plain data out, so the same code
// serves one village or a whole province and is tested without a database.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"

namespace qiangji::engines::stats {

// The age bands of member statistics: <35, 35-44, 45-54, 55-64, 65+ (age on `today`).
enum class AgeBand { kUnder35, k35To44, k45To54, k55To64, k65AndOver };
inline constexpr int kAgeBandCount = 5;
inline constexpr AgeBand kAgeBands[kAgeBandCount] = {
    AgeBand::kUnder35, AgeBand::k35To44, AgeBand::k45To54, AgeBand::k55To64, AgeBand::k65AndOver};

AgeBand AgeBandOf(int age);
std::string_view AgeBandKey(AgeBand band);    // "under_35", "35_44", "45_54", "55_64", "65_plus"
std::string_view AgeBandLabel(AgeBand band);  // "<35", "35-44", "45-54", "55-64", "65+"

// How many people share one birth date (what a GROUP BY birth_date returns).
struct BirthDateCount {
  Date birth_date;
  int64_t count = 0;
};
// Counts per band, indexed by static_cast<int>(AgeBand).
std::array<int64_t, kAgeBandCount> CountByAgeBand(std::span<const BirthDateCount> people,
                                                  const Date& today);

struct KeyCount {
  std::string key;
  int64_t count = 0;
  bool operator==(const KeyCount&) const = default;
};
// One entry per vocabulary word in vocabulary order (zeros included), so charts keep a stable
// axis; counts under any other key (including "") are summed into `other_key`, listed last and
// only when non-zero.
std::vector<KeyCount> OrderByVocabulary(std::span<const KeyCount> counts,
                                        std::span<const std::string_view> vocabulary,
                                        std::string_view other_key = "unknown");

// Where a Party organization's term stands on `today`: expired once the expiry date has passed,
// expiring when it falls within the next `window_days` days (today included).
enum class TermState { kUnknown, kCurrent, kExpiringSoon, kExpired };
TermState TermStateOf(const std::optional<Date>& term_expiry, const Date& today,
                      int window_days = 90);

struct TermCounts {
  int64_t expiring = 0;
  int64_t expired = 0;
};
// `expiries` as a GROUP BY term_expiry returns them (dates with their counts).
struct ExpiryCount {
  Date term_expiry;
  int64_t count = 0;
};
TermCounts CountTerms(std::span<const ExpiryCount> expiries, const Date& today,
                      int window_days = 90);

}  // namespace qiangji::engines::stats

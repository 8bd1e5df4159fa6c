#include "engines/stats/member_stats.h"

#include <map>

namespace qiangji::engines::stats {

AgeBand AgeBandOf(int age) {
  if (age < 35) return AgeBand::kUnder35;
  if (age < 45) return AgeBand::k35To44;
  if (age < 55) return AgeBand::k45To54;
  if (age < 65) return AgeBand::k55To64;
  return AgeBand::k65AndOver;
}

std::string_view AgeBandKey(AgeBand band) {
  switch (band) {
    case AgeBand::kUnder35:
      return "under_35";
    case AgeBand::k35To44:
      return "35_44";
    case AgeBand::k45To54:
      return "45_54";
    case AgeBand::k55To64:
      return "55_64";
    case AgeBand::k65AndOver:
      return "65_plus";
  }
  return "65_plus";
}

std::string_view AgeBandLabel(AgeBand band) {
  switch (band) {
    case AgeBand::kUnder35:
      return "<35";
    case AgeBand::k35To44:
      return "35-44";
    case AgeBand::k45To54:
      return "45-54";
    case AgeBand::k55To64:
      return "55-64";
    case AgeBand::k65AndOver:
      return "65+";
  }
  return "65+";
}

std::array<int64_t, kAgeBandCount> CountByAgeBand(std::span<const BirthDateCount> people,
                                                  const Date& today) {
  std::array<int64_t, kAgeBandCount> out{};
  for (const auto& p : people) {
    out[static_cast<int>(AgeBandOf(today.YearsSince(p.birth_date)))] += p.count;
  }
  return out;
}

std::vector<KeyCount> OrderByVocabulary(std::span<const KeyCount> counts,
                                        std::span<const std::string_view> vocabulary,
                                        std::string_view other_key) {
  std::map<std::string_view, int64_t> by_key;
  for (const auto& c : counts) by_key[c.key] += c.count;
  std::vector<KeyCount> out;
  out.reserve(vocabulary.size() + 1);
  for (auto word : vocabulary) {
    auto it = by_key.find(word);
    out.push_back({std::string(word), it == by_key.end() ? 0 : it->second});
    if (it != by_key.end()) by_key.erase(it);
  }
  int64_t other = 0;
  for (const auto& [key, count] : by_key) other += count;
  if (other > 0) out.push_back({std::string(other_key), other});
  return out;
}

TermState TermStateOf(const std::optional<Date>& term_expiry, const Date& today, int window_days) {
  if (!term_expiry) return TermState::kUnknown;
  if (*term_expiry < today) return TermState::kExpired;
  if (*term_expiry <= today.AddDays(window_days)) return TermState::kExpiringSoon;
  return TermState::kCurrent;
}

TermCounts CountTerms(std::span<const ExpiryCount> expiries, const Date& today, int window_days) {
  TermCounts out;
  for (const auto& e : expiries) {
    switch (TermStateOf(e.term_expiry, today, window_days)) {
      case TermState::kExpired:
        out.expired += e.count;
        break;
      case TermState::kExpiringSoon:
        out.expiring += e.count;
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace qiangji::engines::stats

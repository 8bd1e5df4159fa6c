#include "domain/id_number.h"

#include <fmt/format.h>

namespace qiangji::domain {
namespace {

// ISO 7064 MOD 11-2 weights: 2^(17-i) mod 11 for positions 0..16.
constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
// Check character for (sum of weighted digits) mod 11.
constexpr char kCheckChars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

// Mainland provinces that issue ID numbers (GB/T 2260 first two digits).
bool IssuingProvince(int p) {
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65);
}

// Residence permits of Hong Kong, Macao and Taiwan residents carry 810000, 820000 and 830000.
bool ValidRegion(int region) {
  if (region == 810000 || region == 820000 || region == 830000) return true;
  return IssuingProvince(region / 10000) && region / 100 % 100 != 0;
}

int Digits(std::string_view s, size_t from, size_t n) {
  int v = 0;
  for (size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

char IdNumberCheckChar(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

Result<IdNumberFacts> ParseIdNumber(std::string_view text, std::string_view field, Date today) {
  auto fail = [&](std::string message) {
    return Status::InvalidField(std::string(field), std::move(message));
  };
  if (text.size() != kIdNumberLength)
    return fail(fmt::format("must have 18 characters, not {}", text.size()));
  for (size_t i = 0; i < 17; ++i) {
    if (text[i] < '0' || text[i] > '9') return fail("the first 17 characters must be digits");
  }
  char last = text[17];
  if (last == 'x') last = 'X';
  if (!(last >= '0' && last <= '9') && last != 'X')
    return fail("the last character must be a digit or X");

  IdNumberFacts facts;
  facts.region = Digits(text, 0, 6);
  if (!ValidRegion(facts.region))
    return fail(fmt::format("{:06d} is not a region code", facts.region));

  int y = Digits(text, 6, 4), m = Digits(text, 10, 2), d = Digits(text, 12, 2);
  auto birth = Date::FromYmd(y, m, d, field);
  if (!birth.ok()) return fail(fmt::format("{:04d}{:02d}{:02d} is not a birth date", y, m, d));
  if (*birth > today) return fail(fmt::format("birth date {} is in the future", birth->ToString()));
  facts.birth_date = *birth;

  char expected = IdNumberCheckChar(text.substr(0, 17));
  if (expected != last) return fail("check digit is wrong");

  facts.sex = (text[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  return facts;
}

Result<IdNumberFacts> ParseIdNumber(std::string_view text, std::string_view field) {
  return ParseIdNumber(text, field, Date::TodayInChina());
}

Result<std::string> NormalizeIdNumber(std::string_view text, std::string_view field, Date today) {
  auto facts = ParseIdNumber(text, field, today);
  if (!facts.ok()) return facts.status();
  std::string out(text);
  if (out[17] == 'x') out[17] = 'X';
  return out;
}

Result<std::string> NormalizeIdNumber(std::string_view text, std::string_view field) {
  return NormalizeIdNumber(text, field, Date::TodayInChina());
}

}  // namespace qiangji::domain

#include "common/date.h"

#include <chrono>

#include <fmt/format.h>

namespace qiangji {

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

Result<Date> Date::FromYmd(int y, int m, int d, std::string_view field) {
  if (y < 1900 || y > 2199)
    return Status::InvalidField(std::string(field),
                                fmt::format("year {} is out of range 1900-2199", y));
  if (m < 1 || m > 12)
    return Status::InvalidField(std::string(field), fmt::format("month {} does not exist", m));
  if (d < 1 || d > DaysInMonth(y, m))
    return Status::InvalidField(std::string(field),
                                fmt::format("{:04d}-{:02d} has no day {}", y, m, d));
  return Date(y, m, d);
}

Result<Date> Date::Parse(std::string_view t, std::string_view field) {
  auto digits = [&](size_t from, size_t n, int* out) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, m, d;
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !digits(0, 4, &y) || !digits(5, 2, &m) ||
      !digits(8, 2, &d))
    return Status::InvalidField(std::string(field),
                                fmt::format("\"{}\" is not a date of the form YYYY-MM-DD", t));
  return FromYmd(y, m, d, field);
}

// Days from civil and back: the proleptic Gregorian arithmetic of eras of 400 years
// (146,097 days), as described in H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
int64_t Date::DaysSinceEpoch() const {
  const int y = year_ - (month_ <= 2);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (month_ + (month_ > 2 ? -3 : 9)) + 2) / 5 + day_ - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date Date::FromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  return Date(y, m, d);
}

Date Date::TodayInChina() {
  constexpr int64_t kChinaOffset = 8 * 3600;
  return FromDays((UnixNow() + kChinaOffset) / 86400);
}

std::string Date::ToString() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year_, month_, day_);
}

Date Date::AddMonths(int months) const {
  int total = year_ * 12 + (month_ - 1) + months;
  int y = total / 12;
  int m = total % 12 + 1;
  int d = std::min(day_, DaysInMonth(y, m));
  return Date(y, m, d);
}

int Date::YearsSince(const Date& from) const {
  int years = year_ - from.year_;
  if (month_ < from.month_ || (month_ == from.month_ && day_ < from.day_)) --years;
  return years;
}

int64_t UnixNow() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatUtc(int64_t s) {
  Date d = Date::FromDays(s >= 0 ? s / 86400 : (s - 86399) / 86400);
  int64_t rem = s - d.DaysSinceEpoch() * 86400;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", d.ToString(), rem / 3600, rem / 60 % 60, rem % 60);
}

}  // namespace qiangji

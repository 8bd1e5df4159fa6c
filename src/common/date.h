// Civil dates (ISO 8601 "2026-11-29") and UTC timestamps. Dates are stored as ISO text; times
// are stored in UTC and shown in Asia/Shanghai (UTC+8 all year: China has no daylight saving).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace qiangji {

class Date {
 public:
  constexpr Date() = default;
  // Strict "YYYY-MM-DD", year 1900-2199, a real calendar day. Errors name `field`.
  static Result<Date> Parse(std::string_view text, std::string_view field = "date");
  static Result<Date> FromYmd(int year, int month, int day, std::string_view field = "date");
  static Date FromDays(int64_t days_since_epoch);  // 1970-01-01 is day 0
  static Date TodayInChina();                      // Asia/Shanghai

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  int64_t DaysSinceEpoch() const;
  std::string ToString() const;
  Date AddDays(int64_t days) const { return FromDays(DaysSinceEpoch() + days); }
  // Same day n months later; the 31st becomes the month's last day when it has fewer.
  Date AddMonths(int months) const;
  // Whole years from `from` to this date (age on this date of someone born on `from`).
  int YearsSince(const Date& from) const;

  auto operator<=>(const Date&) const = default;

 private:
  constexpr Date(int y, int m, int d) : year_(y), month_(m), day_(d) {}
  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// Seconds since the Unix epoch, now.
int64_t UnixNow();
// "2026-11-29T10:30:00Z"
std::string FormatUtc(int64_t unix_seconds);

}  // namespace qiangji

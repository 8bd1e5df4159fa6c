#include "common/date.h"

#include <gtest/gtest.h>

namespace qiangji {
namespace {

TEST(Date, ParsesStrictIso) {
  auto d = *Date::Parse("2024-02-29");
  EXPECT_EQ(d.year(), 2024);
  EXPECT_EQ(d.ToString(), "2024-02-29");
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-04-31",
                          "1899-12-31", "abcd-ef-gh", ""}) {
    auto r = Date::Parse(bad, "birth_date");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().field_errors()[0].field, "birth_date");
    }
  }
}

TEST(Date, DaysRoundTrip) {
  EXPECT_EQ(Date::Parse("1970-01-01")->DaysSinceEpoch(), 0);
  EXPECT_EQ(Date::Parse("2000-03-01")->DaysSinceEpoch(), 11017);
  for (int64_t z = -25567; z < 60000; z += 37) EXPECT_EQ(Date::FromDays(z).DaysSinceEpoch(), z);
}

TEST(Date, MonthsAndYears) {
  EXPECT_EQ(Date::Parse("2024-01-31")->AddMonths(1).ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("2024-11-30")->AddMonths(3).ToString(), "2025-02-28");
  EXPECT_EQ(Date::Parse("2024-05-01")->AddMonths(-5).ToString(), "2023-12-01");
  auto birth = *Date::Parse("2008-11-30");
  EXPECT_EQ(Date::Parse("2026-11-29")->YearsSince(birth), 17);
  EXPECT_EQ(Date::Parse("2026-11-30")->YearsSince(birth), 18);
}

TEST(Date, FormatsUtc) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1764412200), "2025-11-29T10:30:00Z");
}

}  // namespace
}  // namespace qiangji

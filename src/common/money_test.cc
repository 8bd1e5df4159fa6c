#include "common/money.h"

#include <gtest/gtest.h>

namespace qiangji {
namespace {

TEST(Money, ParsesExactly) {
  EXPECT_EQ(Money::Parse("12.34")->fen(), 1234);
  EXPECT_EQ(Money::Parse("0.1")->fen(), 10);
  EXPECT_EQ(Money::Parse("-5")->fen(), -500);
  EXPECT_EQ(Money::Parse("1,234,567.89")->fen(), 123456789);
  // 0.29 is not representable as a double; parsing must not go through one.
  EXPECT_EQ(Money::Parse("0.29")->fen(), 29);
  EXPECT_EQ(Money::Parse("92233720368547758.07")->fen(), 9223372036854775807);
}

TEST(Money, RejectsWhatItCannotHoldExactly) {
  for (const char* bad : {"", "-", "1.234", "1.", ".5", "abc", "1,23", "12,345,67", ",123", "1e5",
                          "92233720368547758.08", "99999999999999999999"}) {
    auto r = Money::Parse(bad, "operating_revenue");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().field_errors()[0].field, "operating_revenue");
    }
  }
}

TEST(Money, FormatsRoundTrip) {
  EXPECT_EQ(Money::FromFen(123456).ToString(), "1234.56");
  EXPECT_EQ(Money::FromFen(-5).ToString(), "-0.05");
  EXPECT_EQ(Money::FromFen(0).ToString(), "0.00");
  EXPECT_EQ(Money::Parse(Money::FromFen(-987654321).ToString())->fen(), -987654321);
  EXPECT_EQ((Money::FromFen(5) + Money::FromFen(7)).fen(), 12);
}

}  // namespace
}  // namespace qiangji

#include "domain/id_number.h"

#include <gtest/gtest.h>

namespace qiangji::domain {
namespace {

const Date kToday = *Date::FromYmd(2026, 11, 29);

// Builds a valid number from 17 leading digits by appending the check character.
std::string WithCheck(std::string first17) {
  first17 += IdNumberCheckChar(first17);
  return first17;
}

std::string FieldOf(const Status& s) {
  return s.field_errors().empty() ? "" : s.field_errors()[0].field;
}

TEST(IdNumber, KnownCheckCharacters) {
  // The worked example of GB 11643-1999 (11010519491231002X) and common published samples.
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberCheckChar("44052418800101001"), '4');
  EXPECT_EQ(IdNumberCheckChar("13062419800101001"), '6');
  EXPECT_TRUE(NormalizeIdNumber("11010519491231002X", "id_number", kToday).ok());
  EXPECT_TRUE(NormalizeIdNumber("440524188001010014", "id_number", kToday).ok() == false)
      << "1880 is before 1900";
}

TEST(IdNumber, DerivesBirthDateAndSex) {
  auto man = ParseIdNumber(WithCheck("13062419850315003"), "id_number", kToday);
  ASSERT_TRUE(man.ok()) << man.status().ToString();
  EXPECT_EQ(man->region, 130624);
  EXPECT_EQ(man->birth_date, *Date::FromYmd(1985, 3, 15));
  EXPECT_EQ(man->sex, Sex::kMale);  // 17th digit 3 is odd

  auto woman = ParseIdNumber(WithCheck("13062419900229004"), "id_number", kToday);
  EXPECT_FALSE(woman.ok()) << "1990 has no 29 February";
  woman = ParseIdNumber(WithCheck("13062419920229004"), "id_number", kToday);
  ASSERT_TRUE(woman.ok()) << woman.status().ToString();
  EXPECT_EQ(woman->birth_date, *Date::FromYmd(1992, 2, 29));
  EXPECT_EQ(woman->sex, Sex::kFemale);  // 17th digit 4 is even
}

TEST(IdNumber, LowerCaseXIsNormalised) {
  auto r = NormalizeIdNumber("11010519491231002x", "id_number", kToday);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "11010519491231002X");
}

TEST(IdNumber, EveryBrokenRuleIsNamed) {
  const std::string good = WithCheck("13062419850315003");
  ASSERT_TRUE(NormalizeIdNumber(good, "id_number", kToday).ok());

  struct Case {
    std::string text;
    std::string why;
  };
  std::string wrong_check = good;
  wrong_check[17] = wrong_check[17] == '0' ? '1' : '0';
  const Case cases[] = {
      {"", "empty"},
      {good.substr(0, 17), "17 characters"},
      {good + "1", "19 characters"},
      {"1306241985031500"
       "A"
       "X",
       "letter among the first 17"},
      {good.substr(0, 17) + "Y", "last character not a digit or X"},
      {wrong_check, "wrong check digit"},
      {WithCheck("99062419850315003"), "unknown province 99"},
      {WithCheck("13002419850315003"), "prefecture part 00"},
      {WithCheck("13062419851315003"), "month 13"},
      {WithCheck("13062419850431003"), "31 April"},
      {WithCheck("13062418990101003"), "year before 1900"},
      {WithCheck("13062420261130003"), "born tomorrow"},
  };
  for (const auto& c : cases) {
    auto r = NormalizeIdNumber(c.text, "people[2].id_number", kToday);
    EXPECT_FALSE(r.ok()) << c.why;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.why;
      EXPECT_EQ(FieldOf(r.status()), "people[2].id_number") << c.why;
    }
  }
}

TEST(IdNumber, CheckDigitErrorSaysSo) {
  std::string bad = WithCheck("13062419850315003");
  bad[17] = bad[17] == '9' ? '8' : '9';
  auto r = NormalizeIdNumber(bad, "id_number", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].message, "check digit is wrong");
}

TEST(IdNumber, BornTodayIsAllowed) {
  EXPECT_TRUE(NormalizeIdNumber(WithCheck("13062420261129003"), "id_number", kToday).ok());
}

TEST(IdNumber, ResidencePermitRegionsOfHongKongMacaoTaiwan) {
  for (const char* region : {"810000", "820000", "830000"}) {
    std::string id = WithCheck(std::string(region) + "19900101001");
    EXPECT_TRUE(NormalizeIdNumber(id, "id_number", kToday).ok()) << id;
  }
  EXPECT_FALSE(NormalizeIdNumber(WithCheck("84000019900101001"), "id_number", kToday).ok());
}

TEST(IdNumber, EveryCheckCharacterRoundTrips) {
  // Varying the sequence number reaches all eleven check characters; each one validates, and any
  // other last character fails.
  std::string seen;
  for (int seq = 0; seq < 60; ++seq) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%03d", seq);
    std::string id = WithCheck(std::string("13062419850315") + buf);
    if (seen.find(id[17]) == std::string::npos) seen += id[17];
    EXPECT_TRUE(ParseIdNumber(id, "id_number", kToday).ok()) << id;
    std::string other = id;
    other[17] = id[17] == 'X' ? '0' : 'X';
    EXPECT_FALSE(ParseIdNumber(other, "id_number", kToday).ok()) << other;
  }
  EXPECT_EQ(seen.size(), 11u);
}

}  // namespace
}  // namespace qiangji::domain

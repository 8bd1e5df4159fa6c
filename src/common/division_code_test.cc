#include "common/division_code.h"

#include <gtest/gtest.h>

namespace qiangji {
namespace {

TEST(DivisionCode, ParsesEveryLevel) {
  EXPECT_EQ(DivisionCode::Parse("13")->level(), DivisionLevel::kProvince);
  EXPECT_EQ(DivisionCode::Parse("1306")->level(), DivisionLevel::kPrefecture);
  EXPECT_EQ(DivisionCode::Parse("130624")->level(), DivisionLevel::kCounty);
  EXPECT_EQ(DivisionCode::Parse("130624100")->level(), DivisionLevel::kTownship);
  EXPECT_EQ(DivisionCode::Parse("130624100201")->level(), DivisionLevel::kVillage);
  EXPECT_EQ(DivisionCode::Parse("130624000000")->level(), DivisionLevel::kCounty);
}

TEST(DivisionCode, RejectsMalformed) {
  for (const char* bad :
       {"", "1", "13062", "1306241002011", "13062410020a", "990624100201", "130624000201",
        "1306"
        "00"}) {
    auto r = DivisionCode::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      ASSERT_EQ(r.status().field_errors().size(), 1u);
      EXPECT_EQ(r.status().field_errors()[0].field, "division_code");
    }
  }
}

TEST(DivisionCode, CitiesWithoutCountiesHaveTownshipsUnderThePrefecture) {
  // 东莞市 (4419) has no counties: its townships carry county part 00.
  auto town = *DivisionCode::Parse("441900003");
  EXPECT_EQ(town.level(), DivisionLevel::kTownship);
  EXPECT_EQ(town.Parent()->Prefix(), "4419");
  EXPECT_EQ(town.Parent()->level(), DivisionLevel::kPrefecture);
  auto village = *DivisionCode::Parse("441900003001");
  EXPECT_EQ(village.Parent()->value(), town.value());
  EXPECT_TRUE(DivisionCode::Parse("4419")->Contains(village));
  EXPECT_FALSE(DivisionCode::Parse("441900").ok());        // no such county
  EXPECT_FALSE(DivisionCode::Parse("440000003001").ok());  // a township needs a prefecture
}

TEST(DivisionCode, ParentAndPrefix) {
  auto v = *DivisionCode::Parse("130624100201");
  EXPECT_EQ(v.ToString(), "130624100201");
  EXPECT_EQ(v.Parent()->Prefix(), "130624100");
  EXPECT_EQ(v.Parent()->Parent()->Prefix(), "130624");
  EXPECT_EQ(v.Parent()->Parent()->Parent()->Prefix(), "1306");
  EXPECT_EQ(v.Parent()->Parent()->Parent()->Parent()->Prefix(), "13");
  EXPECT_FALSE(DivisionCode::Parse("13")->Parent().has_value());
}

TEST(DivisionCode, UnderIsThePrefixRange) {
  auto county = *DivisionCode::Parse("130624");
  EXPECT_EQ(county.Under().lo, 130624000000);
  EXPECT_EQ(county.Under().hi, 130624999999);
  EXPECT_TRUE(county.Contains(*DivisionCode::Parse("130624100201")));
  EXPECT_FALSE(county.Contains(*DivisionCode::Parse("130625100201")));
  auto village = *DivisionCode::Parse("130624100201");
  EXPECT_EQ(village.Under().lo, village.Under().hi);
}

TEST(DivisionCode, VillagersCommitteeByLastThreeDigits) {
  EXPECT_TRUE(DivisionCode::Parse("130624100200")->IsVillagersCommittee());
  EXPECT_TRUE(DivisionCode::Parse("130624100399")->IsVillagersCommittee());
  EXPECT_FALSE(DivisionCode::Parse("130624100199")->IsVillagersCommittee());
  EXPECT_FALSE(DivisionCode::Parse("130624100400")->IsVillagersCommittee());
  EXPECT_FALSE(DivisionCode::Parse("130624100")->IsVillagersCommittee());
}

TEST(ScopePrefix, EmptyIsEverythingAndPrefixesMustBeWhole) {
  EXPECT_EQ(*ParseScopePrefix(""), DivisionRange::All());
  EXPECT_EQ(ParseScopePrefix("130624100")->lo, 130624100000);
  EXPECT_EQ(ParseScopePrefix("130624100")->hi, 130624100999);
  EXPECT_FALSE(ParseScopePrefix("130600").ok());
  EXPECT_FALSE(ParseScopePrefix("1306241").ok());
}

TEST(DivisionRange, Intersect) {
  auto a = *ParseScopePrefix("130624");
  auto b = *ParseScopePrefix("130624100");
  EXPECT_EQ(a.Intersect(b), b);
  EXPECT_TRUE(a.Covers(b));
  EXPECT_FALSE(b.Covers(a));
  EXPECT_TRUE(b.Intersect(*ParseScopePrefix("130625")).empty());
}

}  // namespace
}  // namespace qiangji

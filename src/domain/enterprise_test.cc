#include "domain/enterprise.h"

#include <set>

#include <gtest/gtest.h>

namespace qiangji::domain {
namespace {

bool Names(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors())
    if (e.field == field) return true;
  return false;
}

Enterprise Good() {
  Enterprise e;
  e.county_code = 130624000000;
  e.name = "阜平县山果食品有限公司";
  e.ownership = "private";
  e.industries = {"food_processing", "e_commerce_logistics"};
  e.location_code = 130624100000;
  e.preferred_areas = {"130624100", "1306"};
  e.capacity_villages = 3;
  e.capacity_firms = 1;
  e.contact_name = "王经理";
  e.contact_phone = "13903120001";
  return e;
}

TEST(Enterprise, GoodOneIsValid) { EXPECT_TRUE(ValidateEnterprise(Good()).ok()); }

TEST(Enterprise, OptionalFieldsMayBeEmpty) {
  Enterprise e = Good();
  e.preferred_areas.clear();
  e.contact_name.clear();
  e.contact_phone.clear();
  e.note.clear();
  e.capacity_firms = 0;
  EXPECT_TRUE(ValidateEnterprise(e).ok());
}

TEST(Enterprise, NameIsRequiredAndAtMostSixtyCharacters) {
  Enterprise e = Good();
  e.name.clear();
  EXPECT_TRUE(Names(ValidateEnterprise(e), "name"));
  for (int i = 0; i < 60; ++i) e.name += "企";
  EXPECT_TRUE(ValidateEnterprise(e).ok());
  e.name += "企";
  EXPECT_TRUE(Names(ValidateEnterprise(e), "name"));
  e.name = " 阜平县某公司";
  EXPECT_TRUE(Names(ValidateEnterprise(e), "name"));
}

TEST(Enterprise, OwnershipIsClosed) {
  Enterprise e = Good();
  e.ownership = "joint_venture";
  EXPECT_TRUE(Names(ValidateEnterprise(e), "ownership"));
  for (std::string_view o : kOwnerships) {
    e.ownership = std::string(o);
    EXPECT_TRUE(ValidateEnterprise(e).ok()) << o;
  }
}

TEST(Enterprise, IndustriesAreOneToFiveKnownWithoutRepeats) {
  Enterprise e = Good();
  e.industries.clear();
  EXPECT_TRUE(Names(ValidateEnterprise(e), "industries"));
  e.industries = {"food_processing", "mining"};
  Status s = ValidateEnterprise(e);
  EXPECT_TRUE(Names(s, "industries[1]"));
  EXPECT_FALSE(Names(s, "industries[0]"));
  e.industries = {"energy", "energy"};
  EXPECT_TRUE(Names(ValidateEnterprise(e), "industries[1]"));
  e.industries = {"energy",           "finance",        "health_care",
                  "culture_creative", "trade_services", "manufacturing"};
  EXPECT_TRUE(Names(ValidateEnterprise(e), "industries"));
}

TEST(Enterprise, CapacitiesAreZeroToTwenty) {
  Enterprise e = Good();
  e.capacity_villages = -1;
  e.capacity_firms = 21;
  Status s = ValidateEnterprise(e);
  EXPECT_TRUE(Names(s, "capacity_villages"));
  EXPECT_TRUE(Names(s, "capacity_firms"));
  e.capacity_villages = 20;
  e.capacity_firms = 0;
  EXPECT_TRUE(ValidateEnterprise(e).ok());
  EXPECT_EQ(CapacityOf(e, "village"), 20);
  EXPECT_EQ(CapacityOf(e, "collective"), 0);
}

TEST(Enterprise, LocationIsADivisionCodeOfAnyLevel) {
  Enterprise e = Good();
  e.location_code = 0;
  EXPECT_TRUE(Names(ValidateEnterprise(e), "location_code"));
  e.location_code = 130600000000;  // a prefecture city's firm
  EXPECT_TRUE(ValidateEnterprise(e).ok());
  e.location_code = 130624100201;
  EXPECT_TRUE(ValidateEnterprise(e).ok());
  e.location_code = 990624000000;  // no such province
  EXPECT_TRUE(Names(ValidateEnterprise(e), "location_code"));
}

TEST(Enterprise, PreferredAreasArePrefixesWrittenShort) {
  Enterprise e = Good();
  e.preferred_areas = {"13", "1306", "130624", "130624100"};
  EXPECT_TRUE(ValidateEnterprise(e).ok());
  e.preferred_areas = {"130624100201"};  // a village: not an area
  EXPECT_TRUE(Names(ValidateEnterprise(e), "preferred_areas[0]"));
  e.preferred_areas = {"130600"};  // the prefecture written long
  EXPECT_TRUE(Names(ValidateEnterprise(e), "preferred_areas[0]"));
  e.preferred_areas = {"13062x"};
  EXPECT_TRUE(Names(ValidateEnterprise(e), "preferred_areas[0]"));
  e.preferred_areas = {"130624", "130624"};
  EXPECT_TRUE(Names(ValidateEnterprise(e), "preferred_areas[1]"));
  e.preferred_areas = {"13", "1306", "130624", "130624100", "130624101", "130625"};
  EXPECT_TRUE(Names(ValidateEnterprise(e), "preferred_areas"));
}

TEST(Enterprise, ContactPhoneIsAMobileNumber) {
  Enterprise e = Good();
  e.contact_phone = "0312-1234567";
  EXPECT_TRUE(Names(ValidateEnterprise(e), "contact_phone"));
  e.contact_phone = "12903120001";
  EXPECT_TRUE(Names(ValidateEnterprise(e), "contact_phone"));
}

TEST(Enterprise, EveryBrokenRuleIsReportedAtOnce) {
  Enterprise e;
  e.ownership = "x";
  e.capacity_villages = 99;
  Status s = ValidateEnterprise(e);
  EXPECT_TRUE(Names(s, "name"));
  EXPECT_TRUE(Names(s, "ownership"));
  EXPECT_TRUE(Names(s, "industries"));
  EXPECT_TRUE(Names(s, "location_code"));
  EXPECT_TRUE(Names(s, "capacity_villages"));
}

TEST(Keywords, EveryRowNamesAKnownIndustry) {
  for (const IndustryKeyword& k : IndustryKeywords()) {
    EXPECT_TRUE(Contains(kIndustries, k.industry)) << k.word << " -> " << k.industry;
    EXPECT_FALSE(k.word.empty());
  }
  for (std::string_view i : kIndustries) EXPECT_NE(IndustryNameZh(i), i) << i;
}

TEST(Keywords, DemoVillageIndustriesAllMapToSomething) {
  // The words the demo county's villages use (engines/demo/synth.cc).
  for (const char* word : {"食用菌", "核桃", "大枣", "苹果", "中药材", "乡村旅游", "肉牛养殖",
                           "肉羊养殖", "蛋鸡养殖", "光伏发电", "劳务输出", "板栗", "小杂粮",
                           "红色旅游", "社区工厂", "物业服务", "家政服务", "电商"}) {
    const std::vector<std::string> words = {word};
    EXPECT_FALSE(DeriveIndustries(words).empty()) << word;
  }
}

TEST(Keywords, DeriveReadsEntriesIntoTheVocabularyInItsOrder) {
  const std::vector<std::string> words = {"乡村旅游", "食用菌", "光伏发电", "无此产业"};
  EXPECT_EQ(DeriveIndustries(words),
            (std::vector<std::string>{"planting_breeding", "food_processing", "rural_tourism",
                                      "energy"}));
  const std::vector<std::string> none = {"其他"};
  EXPECT_TRUE(DeriveIndustries(none).empty());
  EXPECT_TRUE(DeriveIndustries(std::vector<std::string>{}).empty());
}

TEST(Keywords, MatchNamesTheEntryThatFirstGaveEachIndustry) {
  const std::vector<std::string> words = {"肉牛养殖", "食用菌", "红色旅游"};
  const std::vector<IndustryMatch> m = MatchIndustries(words);
  auto source = [&](std::string_view industry) {
    for (const IndustryMatch& x : m)
      if (x.industry == industry) return x.text;
    return std::string();
  };
  EXPECT_EQ(source("planting_breeding"), "肉牛养殖");
  EXPECT_EQ(source("food_processing"), "肉牛养殖");  // 养殖 names processing too
  EXPECT_EQ(source("rural_tourism"), "红色旅游");
  EXPECT_EQ(source("culture_creative"), "红色旅游");
  EXPECT_EQ(source("energy"), "");
  // Each industry once.
  std::set<std::string> seen;
  for (const IndustryMatch& x : m) EXPECT_TRUE(seen.insert(x.industry).second) << x.industry;
}

PairingRun GoodRun() {
  PairingRun r;
  r.scope = "130624";
  r.name = "2026年企业结对帮扶";
  r.start_date = *Date::FromYmd(2026, 7, 1);
  return r;
}

TEST(PairingRun, GoodOneIsValid) { EXPECT_TRUE(ValidatePairingRun(GoodRun()).ok()); }

TEST(PairingRun, WeightsAreZeroToOneAndNotAllZero) {
  PairingRun r = GoodRun();
  r.params.weights.industry = -0.1;
  r.params.weights.area = 1.5;
  Status s = ValidatePairingRun(r);
  EXPECT_TRUE(Names(s, "params.weights.industry"));
  EXPECT_TRUE(Names(s, "params.weights.area"));
  r.params.weights = {0, 0, 0};
  EXPECT_TRUE(Names(ValidatePairingRun(r), "params.weights"));
  r.params.weights = {0, 0, 1};
  EXPECT_TRUE(ValidatePairingRun(r).ok());
}

TEST(PairingRun, ScopeMinPriorityAndKinds) {
  PairingRun r = GoodRun();
  r.scope = "1306";
  r.params.min_priority = 101;
  r.params.kinds = {"village", "village"};
  Status s = ValidatePairingRun(r);
  EXPECT_TRUE(Names(s, "scope"));
  EXPECT_TRUE(Names(s, "params.min_priority"));
  EXPECT_TRUE(Names(s, "params.kinds[1]"));
  r = GoodRun();
  r.params.kinds = {};
  EXPECT_TRUE(Names(ValidatePairingRun(r), "params.kinds"));
  r.params.kinds = {"firm"};
  EXPECT_TRUE(Names(ValidatePairingRun(r), "params.kinds[0]"));
  r.params.kinds = {"collective"};
  EXPECT_TRUE(ValidatePairingRun(r).ok());
}

TEST(PairingTarget, IndustriesMayBeEmptyButKnownAndUnrepeated) {
  EXPECT_TRUE(ValidateTargetIndustries(std::vector<std::string>{}).ok());
  EXPECT_TRUE(
      Names(ValidateTargetIndustries(std::vector<std::string>{"energy", "x"}), "industries[1]"));
  EXPECT_TRUE(Names(ValidateTargetIndustries(std::vector<std::string>{"energy", "energy"}),
                    "industries[1]"));
}

}  // namespace
}  // namespace qiangji::domain

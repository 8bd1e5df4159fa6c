#include "domain/records.h"

#include <gtest/gtest.h>

namespace qiangji::domain {
namespace {

constexpr int64_t kVillageCode = 130624100201;  // a villagers' committee of 阜平县

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const auto& e : s.field_errors()) out.push_back(e.field);
  return out;
}

bool Names(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors()) {
    if (e.field == field) return true;
  }
  return false;
}

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// ---- village ----

Village GoodVillage() {
  Village v;
  v.division_code = kVillageCode;
  v.households = 230;
  v.population = 812;
  v.area_km2 = 12.5;
  v.main_industries = {"食用菌", "核桃"};
  v.tags = {"key_village", "lifted_from_poverty"};
  return v;
}

TEST(Village, GoodOneIsValid) { EXPECT_TRUE(ValidateVillage(GoodVillage()).ok()); }

TEST(Village, UnknownOrRepeatedTagIsNamedByIndex) {
  Village v = GoodVillage();
  v.tags = {"key_village", "rich_village", "key_village"};
  Status s = ValidateVillage(v);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"tags[1]", "tags[2]"}));
}

TEST(Village, NumbersAndCodeAreChecked) {
  Village v = GoodVillage();
  v.division_code = 130624100000;  // a township, not a village
  v.households = -1;
  v.population = -5;
  v.area_km2 = 0;
  Status s = ValidateVillage(v);
  EXPECT_EQ(Fields(s),
            (std::vector<std::string>{"division_code", "households", "population", "area_km2"}));
}

TEST(Village, MoreHouseholdsThanPeopleIsRejected) {
  Village v = GoodVillage();
  v.households = 900;
  EXPECT_TRUE(Names(ValidateVillage(v), "households"));
}

TEST(Village, IndustriesMustBeCleanText) {
  Village v = GoodVillage();
  v.main_industries = {"核桃", "", " 养殖", std::string("a\x01", 2), std::string("\xff\xfe", 2)};
  EXPECT_EQ(Fields(ValidateVillage(v)),
            (std::vector<std::string>{"main_industries[1]", "main_industries[2]",
                                      "main_industries[3]", "main_industries[4]"}));
}

// ---- party organization ----

PartyOrg GoodOrg() {
  PartyOrg o;
  o.division_code = kVillageCode;
  o.kind = PartyOrgKind::kBranch;
  o.name = "中共阜平县龙泉关镇骆驼湾村支部委员会";
  o.member_count = 31;
  o.probationary_member_count = 2;
  o.founded_on = D(1952, 7, 1);
  o.term_start = D(2021, 1, 10);
  o.term_expiry = D(2026, 1, 10);
  return o;
}

TEST(PartyOrg, GoodOneIsValid) { EXPECT_TRUE(ValidatePartyOrg(GoodOrg()).ok()); }

TEST(PartyOrg, KindNamesRoundTrip) {
  for (auto k : {PartyOrgKind::kCommittee, PartyOrgKind::kGeneralBranch, PartyOrgKind::kBranch})
    EXPECT_EQ(*ParsePartyOrgKind(PartyOrgKindName(k)), k);
  auto bad = ParsePartyOrgKind("cell", "org.kind");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.status()), (std::vector<std::string>{"org.kind"}));
}

TEST(PartyOrg, TownshipCommitteeIsAllowedCountyIsNot) {
  PartyOrg o = GoodOrg();
  o.division_code = 130624100000;
  o.kind = PartyOrgKind::kCommittee;
  EXPECT_TRUE(ValidatePartyOrg(o).ok());
  o.division_code = 130624000000;
  EXPECT_TRUE(Names(ValidatePartyOrg(o), "division_code"));
}

TEST(PartyOrg, TermMustEndAfterItStarts) {
  PartyOrg o = GoodOrg();
  o.term_expiry = o.term_start;
  EXPECT_EQ(Fields(ValidatePartyOrg(o)), (std::vector<std::string>{"term_expiry"}));
}

TEST(PartyOrg, NameCountsAndDatesAreChecked) {
  PartyOrg o = GoodOrg();
  o.name = "";
  o.member_count = -1;
  o.probationary_member_count = -2;
  o.founded_on = Date::TodayInChina().AddDays(1);
  Status s = ValidatePartyOrg(o);
  EXPECT_TRUE(Names(s, "name"));
  EXPECT_TRUE(Names(s, "member_count"));
  EXPECT_TRUE(Names(s, "probationary_member_count"));
  EXPECT_TRUE(Names(s, "founded_on"));
  EXPECT_TRUE(Names(s, "term_start")) << "term starts before the org was founded";
}

// ---- person ----

Person GoodPerson() {
  Person p;
  p.name = "张建国";
  p.sex = Sex::kMale;
  p.ethnicity = "汉族";
  p.birth_date = D(1985, 3, 15);
  p.id_number = "130624198503150035";
  p.phone = "13812345678";
  p.native_place = "河北阜平";
  p.education = "senior_secondary";
  p.party_status = "member";
  p.party_join_date = D(2010, 7, 1);
  p.division_code = kVillageCode;
  return p;
}

TEST(Person, GoodOneIsValid) {
  Status s = ValidatePerson(GoodPerson());
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(Person, BadIdNumberNamesTheField) {
  Person p = GoodPerson();
  p.id_number = "130624198503150036";
  Status s = ValidatePerson(p);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"id_number"}));
  EXPECT_EQ(s.field_errors()[0].message, "check digit is wrong");
  p.id_number = "";
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"id_number"}));
}

TEST(Person, BirthDateAndSexMustAgreeWithIdNumber) {
  Person p = GoodPerson();
  p.birth_date = D(1985, 3, 16);
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"birth_date"}));
  p = GoodPerson();
  p.sex = Sex::kFemale;
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"sex"}));
  p = GoodPerson();
  p.birth_date.reset();  // absent is fine: the ID number says it
  EXPECT_TRUE(ValidatePerson(p).ok());
}

TEST(Person, PhoneEducationStatusVillage) {
  Person p = GoodPerson();
  p.phone = "12812345678";
  p.education = "phd";
  p.party_status = "leader";
  p.division_code = 130624100000;
  EXPECT_EQ(Fields(ValidatePerson(p)),
            (std::vector<std::string>{"division_code", "phone", "education", "party_status"}));
  p = GoodPerson();
  p.phone = "";
  p.education = "";
  EXPECT_TRUE(ValidatePerson(p).ok()) << "phone and education are optional";
}

TEST(Person, JoinDateFollowsPartyStatus) {
  Person p = GoodPerson();
  p.party_join_date.reset();
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"party_join_date"}));
  p.party_status = "probationary_member";
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"party_join_date"}));
  p.party_status = "activist";
  EXPECT_TRUE(ValidatePerson(p).ok());
  p.party_join_date = D(2010, 7, 1);
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"party_join_date"}));
}

TEST(Person, JoinedBeforeEighteenIsRejected) {
  Person p = GoodPerson();
  p.party_join_date = D(2003, 3, 14);  // one day short of 18
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"party_join_date"}));
  p.party_join_date = D(2003, 3, 15);
  EXPECT_TRUE(ValidatePerson(p).ok());
}

TEST(Person, NameIsRequiredAndBounded) {
  Person p = GoodPerson();
  p.name = "";
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"name"}));
  p.name = std::string(51 * 3, 'a');
  EXPECT_EQ(Fields(ValidatePerson(p)), (std::vector<std::string>{"name"}));
  p.name = "";
  for (int i = 0; i < 50; ++i) p.name += "张";  // 50 characters, 150 bytes
  EXPECT_TRUE(ValidatePerson(p).ok());
}

TEST(Person, SexNamesRoundTrip) {
  EXPECT_EQ(*ParseSex("male"), Sex::kMale);
  EXPECT_EQ(*ParseSex("female"), Sex::kFemale);
  EXPECT_EQ(SexName(Sex::kFemale), "female");
  EXPECT_FALSE(ParseSex("M").ok());
}

// ---- post ----

TEST(Post, KindsAndDates) {
  Post p;
  p.person_id = 7;
  p.division_code = kVillageCode;
  p.kind = "party_secretary";
  p.start_date = D(2021, 1, 10);
  EXPECT_TRUE(ValidatePost(p).ok());
  p.end_date = D(2021, 1, 9);
  p.kind = "mayor";
  p.person_id = 0;
  EXPECT_EQ(Fields(ValidatePost(p)), (std::vector<std::string>{"person_id", "kind", "end_date"}));
}

TEST(Post, TwoCommitteePosts) {
  EXPECT_TRUE(IsTwoCommitteePost("party_secretary"));
  EXPECT_TRUE(IsTwoCommitteePost("deputy_party_secretary"));
  EXPECT_TRUE(IsTwoCommitteePost("committee_director"));
  EXPECT_TRUE(IsTwoCommitteePost("two_committee_member"));
  EXPECT_FALSE(IsTwoCommitteePost("first_secretary"));
  EXPECT_FALSE(IsTwoCommitteePost("reserve_cadre"));
  EXPECT_FALSE(IsTwoCommitteePost("collective_manager"));
}

// ---- user ----

TEST(User, RoleAndScopeMustAgree) {
  User u;
  u.username = "fuping_zzb";
  struct Case {
    Role role;
    const char* scope;
    bool ok;
  };
  const Case cases[] = {
      {Role::kAdmin, "", true},
      {Role::kAdmin, "130624", true},
      {Role::kCounty, "130624", true},
      {Role::kCounty, "13", true},
      {Role::kCounty, "", false},
      {Role::kCounty, "130624100", false},
      {Role::kTownship, "130624100", true},
      {Role::kTownship, "130624", false},
      {Role::kVillage, "130624100201", true},
      {Role::kVillage, "130624100", false},
      {Role::kViewer, "", true},
      {Role::kViewer, "130624100", true},
      {Role::kAdmin, "1306241", false},
      {Role::kViewer, "990000", false},
  };
  for (const auto& c : cases) {
    u.role = c.role;
    u.scope = c.scope;
    Status s = ValidateUser(u);
    EXPECT_EQ(s.ok(), c.ok) << RoleName(c.role) << " " << c.scope << " " << s.ToString();
    if (!s.ok()) {
      EXPECT_EQ(Fields(s), (std::vector<std::string>{"scope"}));
    }
  }
}

TEST(User, UsernameShape) {
  User u;
  u.role = Role::kAdmin;
  for (const char* good : {"admin", "li.ming", "zhang-3", "a_b"}) {
    u.username = good;
    EXPECT_TRUE(ValidateUser(u).ok()) << good;
  }
  for (const char* bad : {"", "ab", "Admin", "3abc", "张三", "a b c", "abc;drop"}) {
    u.username = bad;
    EXPECT_EQ(Fields(ValidateUser(u)), (std::vector<std::string>{"username"})) << bad;
  }
}

TEST(User, RoleNamesRoundTrip) {
  for (auto r : {Role::kAdmin, Role::kCounty, Role::kTownship, Role::kVillage, Role::kViewer})
    EXPECT_EQ(*ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root").ok());
}

TEST(Vocabulary, Contains) {
  EXPECT_TRUE(Contains(kVillageTags, "border_village"));
  EXPECT_FALSE(Contains(kVillageTags, "Border_village"));
  EXPECT_TRUE(Contains(kEducationLevels, "postgraduate"));
  EXPECT_TRUE(Contains(kPartyStatuses, "development_target"));
  EXPECT_TRUE(Contains(kPostKinds, "instructor"));
}

}  // namespace
}  // namespace qiangji::domain

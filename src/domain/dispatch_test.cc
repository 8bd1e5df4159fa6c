#include "domain/dispatch.h"

#include <gtest/gtest.h>

#include "domain/id_number.h"

namespace qiangji::domain {
namespace {

bool Names(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors())
    if (e.field == field) return true;
  return false;
}

// A man born 1985-03-12, registered in 莲池区 (保定).
std::string Id(const std::string& region = "130606", const std::string& seq = "013") {
  std::string first17 = region + "19850312" + seq;
  return first17 + IdNumberCheckChar(first17);
}

Cadre GoodCadre() {
  Cadre c;
  c.county_code = 130624000000;
  c.name = "张志远";
  c.sex = Sex::kMale;
  c.birth_date = *Date::FromYmd(1985, 3, 12);
  c.id_number = Id();
  c.phone = "13903120001";
  c.sending_unit = "保定市财政局";
  c.unit_kind = "party_agency";
  c.skills = {"finance", "party_building"};
  c.home_code = 130606000000;
  c.term_months = 24;
  return c;
}

TEST(Cadre, GoodOneIsValid) { EXPECT_TRUE(ValidateCadre(GoodCadre()).ok()); }

TEST(Cadre, PhoneAndNoteAndBirthDateAreOptional) {
  Cadre c = GoodCadre();
  c.phone.clear();
  c.birth_date.reset();
  c.note.clear();
  EXPECT_TRUE(ValidateCadre(c).ok());
}

TEST(Cadre, NameLengthCountsCharacters) {
  Cadre c = GoodCadre();
  c.name.clear();
  for (int i = 0; i < 40; ++i) c.name += "张";
  EXPECT_TRUE(ValidateCadre(c).ok());  // 40 characters, 120 bytes
  c.name += "张";
  EXPECT_TRUE(Names(ValidateCadre(c), "name"));
  c.name = "";
  EXPECT_TRUE(Names(ValidateCadre(c), "name"));
}

TEST(Cadre, IdNumberMustBeValidAndAgreeWithSexAndBirthDate) {
  Cadre c = GoodCadre();
  c.id_number = c.id_number.substr(0, 17) + (c.id_number.back() == '0' ? "1" : "0");
  EXPECT_TRUE(Names(ValidateCadre(c), "id_number"));
  c = GoodCadre();
  c.id_number.clear();
  EXPECT_TRUE(Names(ValidateCadre(c), "id_number"));
  c = GoodCadre();
  c.sex = Sex::kFemale;
  EXPECT_TRUE(Names(ValidateCadre(c), "sex"));
  c = GoodCadre();
  c.birth_date = *Date::FromYmd(1985, 3, 13);
  EXPECT_TRUE(Names(ValidateCadre(c), "birth_date"));
}

TEST(Cadre, PhoneMustBeAMobileNumber) {
  Cadre c = GoodCadre();
  c.phone = "0312123456";
  EXPECT_TRUE(Names(ValidateCadre(c), "phone"));
  c.phone = "12903120001";
  EXPECT_TRUE(Names(ValidateCadre(c), "phone"));
}

TEST(Cadre, SendingUnitAndKind) {
  Cadre c = GoodCadre();
  c.sending_unit = "";
  c.unit_kind = "ministry";
  Status s = ValidateCadre(c);
  EXPECT_TRUE(Names(s, "sending_unit"));
  EXPECT_TRUE(Names(s, "unit_kind"));
  c = GoodCadre();
  c.sending_unit.clear();
  for (int i = 0; i < 81; ++i) c.sending_unit += "局";
  EXPECT_TRUE(Names(ValidateCadre(c), "sending_unit"));
  for (std::string_view kind : kUnitKinds) {
    c = GoodCadre();
    c.unit_kind = std::string(kind);
    EXPECT_TRUE(ValidateCadre(c).ok()) << kind;
  }
}

TEST(Cadre, SkillsOneToFiveFromTheVocabularyWithoutRepeats) {
  Cadre c = GoodCadre();
  c.skills.clear();
  EXPECT_TRUE(Names(ValidateCadre(c), "skills"));
  c.skills = {"party_building", "industry", "agronomy", "law_petitions", "finance", "e_commerce"};
  EXPECT_TRUE(Names(ValidateCadre(c), "skills"));
  c.skills = {"party_building", "cooking"};
  EXPECT_TRUE(Names(ValidateCadre(c), "skills[1]"));
  c.skills = {"industry", "finance", "industry"};
  EXPECT_TRUE(Names(ValidateCadre(c), "skills[2]"));
  EXPECT_FALSE(Names(ValidateCadre(c), "skills[0]"));
}

TEST(Cadre, HomeCodeIsADivisionCodeOfAnyLevel) {
  Cadre c = GoodCadre();
  for (int64_t home : {int64_t{130000000000}, int64_t{130600000000}, int64_t{130624000000},
                       int64_t{130624100000}, int64_t{130624100201}}) {
    c.home_code = home;
    EXPECT_TRUE(ValidateCadre(c).ok()) << home;
  }
  c.home_code = 0;
  EXPECT_TRUE(Names(ValidateCadre(c), "home_code"));
  c.home_code = 990624000000;  // no such province
  EXPECT_TRUE(Names(ValidateCadre(c), "home_code"));
  c.home_code = 130024000000;  // a county part without a prefecture part
  EXPECT_TRUE(Names(ValidateCadre(c), "home_code"));
}

TEST(Cadre, TermBetweenSixMonthsAndFiveYears) {
  Cadre c = GoodCadre();
  c.term_months = 6;
  EXPECT_TRUE(ValidateCadre(c).ok());
  c.term_months = 60;
  EXPECT_TRUE(ValidateCadre(c).ok());
  c.term_months = 5;
  EXPECT_TRUE(Names(ValidateCadre(c), "term_months"));
  c.term_months = 61;
  EXPECT_TRUE(Names(ValidateCadre(c), "term_months"));
}

TEST(Cadre, NoteUpTo500CharactersOverLines) {
  Cadre c = GoodCadre();
  c.note = "擅长产业规划\n曾驻村两年";
  EXPECT_TRUE(ValidateCadre(c).ok());
  c.note = std::string(501, 'a');
  EXPECT_TRUE(Names(ValidateCadre(c), "note"));
}

TEST(Cadre, EveryBrokenRuleIsReported) {
  Cadre c;
  c.unit_kind = "x";
  c.term_months = 0;
  Status s = ValidateCadre(c);
  for (const char* f :
       {"name", "id_number", "sending_unit", "unit_kind", "skills", "home_code", "term_months"})
    EXPECT_TRUE(Names(s, f)) << f;
}

DispatchRound GoodRound() {
  DispatchRound r;
  r.scope = "130624";
  r.name = "2026年第一书记选派";
  r.start_date = *Date::FromYmd(2026, 3, 1);
  return r;
}

TEST(Round, GoodOneIsValid) {
  EXPECT_TRUE(ValidateRound(GoodRound()).ok());
  DispatchRound r = GoodRound();
  r.mode = "optimal";
  r.proposing = "villages";
  r.status = "confirmed";
  r.role = "instructor_circuit";
  r.rules.max_per_unit_per_township = 0;
  r.rules.min_priority = 100;
  EXPECT_TRUE(ValidateRound(r).ok());
}

TEST(Round, VocabulariesAreClosed) {
  DispatchRound r = GoodRound();
  r.role = "mayor";
  r.status = "open";
  r.mode = "greedy";
  r.proposing = "both";
  Status s = ValidateRound(r);
  for (const char* f : {"role", "status", "mode", "proposing"}) EXPECT_TRUE(Names(s, f)) << f;
}

TEST(Round, NameIsRequiredAndShort) {
  DispatchRound r = GoodRound();
  r.name = "";
  EXPECT_TRUE(Names(ValidateRound(r), "name"));
  r.name = std::string(81, 'a');
  EXPECT_TRUE(Names(ValidateRound(r), "name"));
}

TEST(Round, ScopeIsACountyPrefix) {
  DispatchRound r = GoodRound();
  for (const char* bad : {"", "13", "1306", "130624100", "130600", "990624", "13062a"}) {
    r.scope = bad;
    EXPECT_TRUE(Names(ValidateRound(r), "scope")) << bad;
  }
}

TEST(Round, RuleRanges) {
  DispatchRound r = GoodRound();
  r.rules.max_per_unit_per_township = -1;
  r.rules.min_priority = 100.5;
  Status s = ValidateRound(r);
  EXPECT_TRUE(Names(s, "rules.max_per_unit_per_township"));
  EXPECT_TRUE(Names(s, "rules.min_priority"));
  r = GoodRound();
  r.rules.max_per_unit_per_township = 21;
  r.rules.min_priority = -1;
  s = ValidateRound(r);
  EXPECT_TRUE(Names(s, "rules.max_per_unit_per_township"));
  EXPECT_TRUE(Names(s, "rules.min_priority"));
}

}  // namespace
}  // namespace qiangji::domain

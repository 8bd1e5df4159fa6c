#include "api/codec.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace qiangji::api {
namespace {

namespace json = boost::json;

std::vector<std::string> Fields(const Status& st) {
  std::vector<std::string> out;
  for (const FieldError& e : st.field_errors()) out.push_back(e.field);
  return out;
}

std::string FirstMessage(const Status& st) {
  return st.field_errors().empty() ? "" : st.field_errors().front().message;
}

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

TEST(ParseJsonObjectTest, AcceptsAnObject) {
  auto o = ParseJsonObject(R"( {"a": 1} )");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->at("a"), 1);
}

TEST(ParseJsonObjectTest, RejectsWithFieldBodyAndAReason) {
  struct Case {
    std::string body;
    std::string message_part;
  } cases[] = {
      {"", "a JSON object is required"},
      {"  \n", "a JSON object is required"},
      {"{\"name\": ", "malformed JSON at byte 9"},
      {"{\"name\" \"x\"}", "malformed JSON at byte 8"},
      {"{\"a\":1} trailing", "malformed JSON at byte 8"},
      {"{\"a\":1}{}", "malformed JSON"},
      {"[1, 2]", "must be a JSON object"},
      {"\"text\"", "must be a JSON object"},
      {"null", "must be a JSON object"},
      {std::string(100, '[') + std::string(100, ']'), "malformed JSON"},  // too deep
      {"{\"a\": \"\xff\"}", "malformed JSON"},                            // not UTF-8
      {"{\"a\": NaN}", "malformed JSON"},
  };
  for (const Case& c : cases) {
    auto o = ParseJsonObject(c.body);
    ASSERT_FALSE(o.ok()) << c.body;
    EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Fields(o.status()), std::vector<std::string>{"body"}) << c.body;
    EXPECT_NE(FirstMessage(o.status()).find(c.message_part), std::string::npos)
        << c.body << " -> " << FirstMessage(o.status());
  }
}

TEST(FieldReaderTest, WrongTypesNameTheField) {
  FieldErrors errors;
  json::object o = Obj(R"({"s": 1, "i": "2", "f": 1.5, "n": "x", "b": 1, "d": 20240101,
                           "a": "x", "arr": ["ok", 2], "big": 1e300,
                           "huge": 18446744073709551615})");
  FieldReader r(o, errors);
  EXPECT_EQ(r.String("s"), std::nullopt);
  EXPECT_EQ(r.Int("i"), std::nullopt);
  EXPECT_EQ(r.Int("f"), std::nullopt);
  EXPECT_EQ(r.Number("n"), std::nullopt);
  EXPECT_EQ(r.Bool("b"), std::nullopt);
  EXPECT_EQ(r.DateField("d"), std::nullopt);
  EXPECT_EQ(r.StringArray("a"), std::nullopt);
  EXPECT_EQ(r.StringArray("arr"), std::nullopt);
  EXPECT_EQ(r.Int("big"), std::nullopt);
  EXPECT_EQ(r.Int("huge"), std::nullopt);
  EXPECT_EQ(Fields(errors.ToStatus()),
            (std::vector<std::string>{"s", "i", "f", "n", "b", "d", "a", "arr[1]", "big", "huge"}));
}

TEST(FieldReaderTest, NullAndAbsentAreNoValueUnlessRequired) {
  FieldErrors errors;
  json::object o = Obj(R"({"x": null, "n": 3, "whole": 4.0, "area": 12})");
  FieldReader r(o, errors);
  EXPECT_EQ(r.String("x"), std::nullopt);
  EXPECT_EQ(r.Int("missing"), std::nullopt);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(r.Int("n"), 3);
  EXPECT_EQ(r.Int("whole"), 4);
  EXPECT_EQ(r.Number("area"), 12.0);
  EXPECT_EQ(r.String("x", true), std::nullopt);
  EXPECT_EQ(Fields(errors.ToStatus()), std::vector<std::string>{"x"});
  EXPECT_EQ(errors.errors().front().message, "is required");
}

TEST(FieldReaderTest, DivisionCodesAreTwelveDigitStrings) {
  FieldErrors errors;
  json::object o = Obj(R"({"ok": "130624100201", "num": 130624100201, "short": "130624",
                           "bad": "990624100201", "zeros": "130624000201"})");
  FieldReader r(o, errors);
  EXPECT_EQ(r.DivisionCodeField("ok"), 130624100201);
  EXPECT_EQ(r.DivisionCodeField("num"), std::nullopt);
  EXPECT_EQ(r.DivisionCodeField("short"), std::nullopt);
  EXPECT_EQ(r.DivisionCodeField("bad"), std::nullopt);
  EXPECT_EQ(r.DivisionCodeField("zeros"), std::nullopt);
  EXPECT_EQ(Fields(errors.ToStatus()), (std::vector<std::string>{"num", "short", "bad", "zeros"}));
}

TEST(RecordsFromJsonTest, PersonReadsEveryField) {
  auto p = PersonFromJson(Obj(R"({
    "id": 99, "age": 50, "revealed": false, "name": "李秀英", "sex": "female", "ethnicity": "汉族",
    "birth_date": "1975-03-08", "id_number": "130624197503080025", "phone": "13812345678",
    "native_place": "河北阜平", "education": "bachelor", "party_status": "member",
    "party_join_date": "2001-07-01", "division_code": "130624100201"})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->name, "李秀英");
  EXPECT_EQ(p->sex, domain::Sex::kFemale);
  EXPECT_EQ(p->birth_date->ToString(), "1975-03-08");
  EXPECT_EQ(p->id_number, "130624197503080025");
  EXPECT_EQ(p->party_join_date->ToString(), "2001-07-01");
  EXPECT_EQ(p->division_code, 130624100201);
  EXPECT_EQ(p->id, 0);  // ids come from the path, never the body
}

TEST(RecordsFromJsonTest, PersonReportsEveryBadField) {
  auto p = PersonFromJson(Obj(R"({"name": 5, "sex": "x", "birth_date": "1975-02-30",
                                  "division_code": 130624100201})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(p.status()),
            (std::vector<std::string>{"name", "sex", "birth_date", "division_code"}));
}

TEST(RecordsFromJsonTest, PartyOrgNeedsKindAndDivision) {
  auto o = PartyOrgFromJson(Obj(R"({"name": "支部"})"));
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(Fields(o.status()), (std::vector<std::string>{"division_code", "kind"}));
  auto ok = PartyOrgFromJson(Obj(R"({"division_code": "130624100201", "kind": "general_branch",
    "name": "党总支", "member_count": 31, "term_expiry": "2026-12-31",
    "secretary_person_id": null})"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->kind, domain::PartyOrgKind::kGeneralBranch);
  EXPECT_EQ(ok->member_count, 31);
  EXPECT_EQ(ok->secretary_person_id, std::nullopt);
  EXPECT_EQ(ok->term_expiry->ToString(), "2026-12-31");
}

TEST(RecordsFromJsonTest, PostAndVillageTypes) {
  auto post = PostFromJson(Obj(R"({"person_id": "7", "division_code": "130624100201",
                                   "kind": "party_secretary"})"));
  ASSERT_FALSE(post.ok());
  EXPECT_EQ(Fields(post.status()), (std::vector<std::string>{"person_id", "start_date"}));
  auto village = VillageFromJson(Obj(R"({"households": 120.5, "tags": "key_village",
                                         "area_km2": "3"})"));
  ASSERT_FALSE(village.ok());
  EXPECT_EQ(Fields(village.status()), (std::vector<std::string>{"households", "area_km2", "tags"}));
  auto good = VillageFromJson(Obj(R"({"households": 120, "population": 410, "area_km2": 12.5,
    "main_industries": ["核桃"], "tags": ["key_village"], "updated_at": "ignored"})"));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->households, 120);
  EXPECT_EQ(good->area_km2, 12.5);
  EXPECT_EQ(good->main_industries, std::vector<std::string>{"核桃"});
}

TEST(RecordsToJsonTest, PersonShapeWithNulls) {
  services::PersonView v;
  v.person.id = 3;
  v.person.name = "王强";
  v.person.id_number = "130***********1234";
  v.person.division_code = 130624100201;
  v.person.party_status = "member";
  v.age = 41;
  json::object o = PersonJson(v);
  EXPECT_EQ(o.at("id"), 3);
  EXPECT_EQ(o.at("sex"), "male");
  EXPECT_EQ(o.at("id_number"), "130***********1234");
  EXPECT_TRUE(o.at("phone").is_null());
  EXPECT_TRUE(o.at("birth_date").is_null());
  EXPECT_EQ(o.at("age"), 41);
  EXPECT_EQ(o.at("revealed"), false);
  EXPECT_EQ(o.at("division_code"), "130624100201");
  for (std::string_view key : {"id", "name", "sex", "ethnicity", "birth_date", "age", "id_number",
                               "phone", "revealed", "native_place", "education", "party_status",
                               "party_join_date", "division_code", "division_name"})
    EXPECT_TRUE(o.contains(key)) << key;
  EXPECT_EQ(o.size(), 15u);
}

TEST(RecordsToJsonTest, CodesAndPages) {
  EXPECT_EQ(CodeJson(130624000000), "130624000000");
  EXPECT_TRUE(CodeJson(0).is_null());
  services::Page<domain::PartyOrg> page;
  page.items.resize(2);
  page.total = 12;
  page.page = 2;
  page.page_size = 2;
  json::object o = PageJson(page, PartyOrgJson);
  EXPECT_EQ(o.at("items").as_array().size(), 2u);
  EXPECT_EQ(o.at("total"), 12);
  EXPECT_EQ(o.at("page"), 2);
  EXPECT_EQ(o.at("page_size"), 2);
  EXPECT_EQ(o.at("items").as_array()[0].at("kind"), "branch");
}

TEST(RecordsToJsonTest, AuditEmbedsBeforeAndAfterAsJson) {
  services::AuditEntry e;
  e.id = 1;
  e.action = "person.update";
  e.before_json = R"({"name":"甲"})";
  e.after_json = "";
  e.division_code = 130624100201;
  json::object o = AuditEntryJson(e);
  EXPECT_EQ(o.at("before").at("name"), "甲");
  EXPECT_TRUE(o.at("after").is_null());
  EXPECT_EQ(o.at("division_code"), "130624100201");
}

}  // namespace
}  // namespace qiangji::api

namespace qiangji::api {
namespace {

TEST(ToJsonTextTest, WritesDecimalsPlainlyAndEverythingElseAsBoost) {
  json::value v = json::parse(
      R"({"area_km2": 7.08, "tiny": 0.001, "n": 42, "neg": -3, "s": "阜平\"县\n", "a": [1.5, null, true]})");
  std::string text = ToJsonText(v);
  EXPECT_EQ(text,
            "{\"area_km2\":7.08,\"tiny\":0.001,\"n\":42,\"neg\":-3,\"s\":\"阜平\\\"县\\n\","
            "\"a\":[1.5,null,true]}");
  EXPECT_EQ(json::parse(text), v);  // reads back to the same value
}

}  // namespace
}  // namespace qiangji::api

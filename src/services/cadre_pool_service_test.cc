// The cadre pool: who reads and who manages it, personal data encrypted and masked, duplicate ID
// numbers per county, and the all-or-nothing JSON/CSV import (UTF-8 and GB18030).
#include <iconv.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "services/dispatch.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

constexpr int64_t kOtherCounty = 130606000000;  // 莲池区, a district of 保定

// A valid ID number registered in `region` (6 digits) with sequence `seq3`.
std::string IdIn(const std::string& region, const std::string& yyyymmdd, const std::string& seq3) {
  std::string first17 = region + yyyymmdd + seq3;
  return first17 + domain::IdNumberCheckChar(first17);
}

std::string Gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(utf8.data());
  size_t src_left = utf8.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

bool Names(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors())
    if (e.field == field) return true;
  return false;
}

class CadrePoolTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(db_->Execute("INSERT INTO division (code, level, name, parent_code)"
                             " VALUES (?, 'county', '莲池区', 130600000000)",
                             {storage::Value(kOtherCounty)})
                    .ok());
    dispatch_ = std::make_unique<DispatchServices>(Env{pool_.get(), secrets_.get()});
  }
  void TearDown() override {
    dispatch_.reset();
    ServicesTest::TearDown();
  }
  CadrePoolService& pool() { return dispatch_->pool; }

  static domain::Cadre Cadre(const std::string& name, const std::string& id,
                             std::vector<std::string> skills = {"party_building", "industry"}) {
    domain::Cadre c;
    c.name = name;
    c.id_number = id;
    auto facts = domain::ParseIdNumber(id);
    if (facts.ok()) c.sex = facts->sex;
    c.phone = "13903121234";
    c.sending_unit = "保定市农业农村局";
    c.unit_kind = "party_agency";
    c.skills = std::move(skills);
    c.home_code = 130606000000;
    return c;
  }

  std::unique_ptr<DispatchServices> dispatch_;
  const Caller admin_ = MakeCaller(domain::Role::kAdmin, "", 9);
  const Caller other_county_ = MakeCaller(domain::Role::kCounty, "130606", 10);
  const Caller prefecture_ = MakeCaller(domain::Role::kCounty, "1306", 11);
};

const std::string kId1 = IdIn("130606", "19860514", "031");  // a man
const std::string kId2 = IdIn("130602", "19900302", "042");  // a woman

TEST_F(CadrePoolTest, CreateJoinsTheCallersCountyEncryptedMaskedAndAudited) {
  auto created = pool().Create(county_, Cadre("李建国", kId1));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->county_code, kCounty);
  EXPECT_EQ(created->id_number, "130***********" + kId1.substr(14));
  EXPECT_EQ(created->phone, "139****1234");
  EXPECT_EQ(created->birth_date, Date::FromYmd(1986, 5, 14).value()) << "from the ID number";
  EXPECT_EQ(created->term_months, 24);
  EXPECT_FALSE(created->updated_at.empty());

  // At rest: neither the ID number nor the phone in plain text anywhere in the file.
  const std::string bytes = FileBytes();
  EXPECT_EQ(bytes.find(kId1), std::string::npos);
  EXPECT_EQ(bytes.find("13903121234"), std::string::npos);

  ASSERT_EQ(Count("audit", "action = 'cadre.create'"), 1);
  auto audit = db_->Query(
      "SELECT after_json, division_code, object FROM audit"
      " WHERE action = 'cadre.create'",
      {});
  ASSERT_TRUE(audit.ok());
  const std::string after = audit->at(0).Text(0);
  EXPECT_EQ(after.find(kId1), std::string::npos);
  EXPECT_NE(after.find("李建国"), std::string::npos);
  EXPECT_EQ(audit->at(0).Int(1), kCounty);
  EXPECT_EQ(audit->at(0).Text(2), "cadre/" + std::to_string(created->id));

  auto got = pool().Get(county_, created->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id_number, created->id_number);
  EXPECT_EQ(got->skills, (std::vector<std::string>{"party_building", "industry"}));
  EXPECT_EQ(got->home_code, 130606000000);
}

TEST_F(CadrePoolTest, TownshipAndPrefectureUsersReadTheirCountysPoolOthersDoNot) {
  auto created = pool().Create(county_, Cadre("李建国", kId1));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  for (const Caller* reader : {&town_a_, &town_b_, &viewer_, &prefecture_, &admin_}) {
    auto got = pool().Get(*reader, created->id);
    EXPECT_TRUE(got.ok()) << reader->username << ": " << got.status().ToString();
    auto list = pool().List(*reader, {});
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(list->total, 1) << reader->username;
  }
  auto hidden = pool().Get(other_county_, created->id);
  EXPECT_EQ(hidden.status().code(), StatusCode::kNotFound);
  auto none = pool().List(other_county_, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
  EXPECT_EQ(pool().Get(county_, created->id + 100).status().code(), StatusCode::kNotFound);
}

TEST_F(CadrePoolTest, OnlyCountyAndAdminUsersWrite) {
  const int64_t audits = Count("audit");
  for (const Caller* writer : {&town_a_, &viewer_}) {
    EXPECT_EQ(pool().Create(*writer, Cadre("李建国", kId1)).status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(pool().Import(*writer, "json", "[]").status().code(), StatusCode::kPermissionDenied);
  }
  auto created = pool().Create(county_, Cadre("李建国", kId1));
  ASSERT_TRUE(created.ok());
  domain::Cadre edit = *created;
  edit.note = "改";
  EXPECT_EQ(pool().Update(town_a_, edit).status().code(), StatusCode::kPermissionDenied);
  // Another county's user cannot even see it.
  EXPECT_EQ(pool().Update(other_county_, edit).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("cadre"), 1);
  EXPECT_EQ(Count("audit"), audits + 1);
}

TEST_F(CadrePoolTest, AdminNamesTheCounty) {
  auto missing = pool().Create(admin_, Cadre("李建国", kId1));
  EXPECT_TRUE(Names(missing.status(), "county_code")) << missing.status().ToString();
  domain::Cadre c = Cadre("李建国", kId1);
  c.county_code = 130624100000;  // a township, not a county
  EXPECT_TRUE(Names(pool().Create(admin_, c).status(), "county_code"));
  c.county_code = kOtherCounty;
  auto created = pool().Create(admin_, c);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->county_code, kOtherCounty);
  // A county user cannot put a cadre into another county's pool.
  EXPECT_EQ(pool().Create(county_, c).status().code(), StatusCode::kNotFound);
}

TEST_F(CadrePoolTest, AnIdNumberIsOncePerCountyPool) {
  ASSERT_TRUE(pool().Create(county_, Cadre("李建国", kId1)).ok());
  auto again = pool().Create(county_, Cadre("李建国", kId1));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message().rfind("id_number", 0), 0u) << again.status().message();
  // A lower-case x is the same ID number.
  std::string upper;
  for (int seq = 11; upper.empty() || upper.back() != 'X'; seq += 2)
    upper = IdIn("130606", "19860514", fmt::format("{:03d}", seq));
  ASSERT_TRUE(pool().Create(county_, Cadre("王", upper)).ok());
  std::string lower = upper;
  lower.back() = 'x';
  EXPECT_EQ(pool().Create(county_, Cadre("王", lower)).status().code(), StatusCode::kAlreadyExists);
  // Another county's pool may hold the same person.
  EXPECT_TRUE(pool().Create(other_county_, Cadre("李建国", kId1)).ok());
}

TEST_F(CadrePoolTest, InvalidCadreIsRefusedWithFieldErrorsAndNothingStored) {
  domain::Cadre c = Cadre("", "130606198605140312");
  c.skills = {"party_building", "party_building"};
  c.unit_kind = "ministry";
  c.term_months = 3;
  auto bad = pool().Create(county_, c);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  for (const char* f : {"name", "id_number", "skills[1]", "unit_kind", "term_months"})
    EXPECT_TRUE(Names(bad.status(), f)) << f << ": " << bad.status().ToString();
  EXPECT_EQ(Count("cadre"), 0);
  EXPECT_EQ(Count("audit"), 0);
}

TEST_F(CadrePoolTest, UpdateKeepsMaskedValuesAndAuditsBothSnapshots) {
  auto created = pool().Create(county_, Cadre("李建国", kId1));
  ASSERT_TRUE(created.ok());
  domain::Cadre edit = *created;  // masked ID number and phone, as a form shows them
  edit.available = false;
  edit.skills = {"finance"};
  edit.term_months = 36;
  edit.county_code = kOtherCounty;  // ignored: a cadre stays in his pool
  auto updated = pool().Update(county_, edit);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_FALSE(updated->available);
  EXPECT_EQ(updated->county_code, kCounty);
  // The stored ID number is unchanged: the same one is still a duplicate.
  EXPECT_EQ(pool().Create(county_, Cadre("李建国", kId1)).status().code(),
            StatusCode::kAlreadyExists);
  auto audit =
      db_->Query("SELECT before_json, after_json FROM audit WHERE action = 'cadre.update'", {});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_NE(audit->at(0).Text(0).find("\"available\":true"), std::string::npos);
  EXPECT_NE(audit->at(0).Text(1).find("\"available\":false"), std::string::npos);
  EXPECT_EQ(audit->at(0).Text(1).find(kId1), std::string::npos);

  // Changing to an ID number another cadre of the pool holds is refused.
  auto second = pool().Create(county_, Cadre("赵敏", kId2));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  domain::Cadre clash = *second;
  clash.id_number = kId1;
  clash.sex = domain::Sex::kMale;
  clash.birth_date.reset();
  EXPECT_EQ(pool().Update(county_, clash).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(CadrePoolTest, ListFiltersByTextSkillAndAvailability) {
  domain::Cadre a = Cadre("李建国", kId1, {"party_building", "industry"});
  domain::Cadre b = Cadre("赵敏", kId2, {"law_petitions"});
  b.sending_unit = "河北农业大学";
  b.unit_kind = "university";
  b.available = false;
  ASSERT_TRUE(pool().Create(county_, a).ok());
  ASSERT_TRUE(pool().Create(county_, b).ok());
  CadreQuery q;
  q.q = "农业大学";
  EXPECT_EQ(pool().List(county_, q)->total, 1);
  q = {};
  q.skill = "industry";
  auto by_skill = pool().List(county_, q);
  ASSERT_TRUE(by_skill.ok());
  ASSERT_EQ(by_skill->total, 1);
  EXPECT_EQ(by_skill->items[0].name, "李建国");
  q = {};
  q.available = false;
  auto off = pool().List(county_, q);
  ASSERT_EQ(off->total, 1);
  EXPECT_EQ(off->items[0].name, "赵敏");
  EXPECT_EQ(off->items[0].phone, "139****1234");
  q = {};
  q.skill = "cooking";
  EXPECT_TRUE(Names(pool().List(county_, q).status(), "skill"));
}

TEST_F(CadrePoolTest, JsonImportCreatesAllInOneAuditRow) {
  const std::string text = R"([
    {"name": "李建国", "sex": "male", "id_number": ")" +
                           kId1 + R"(", "phone": "13903121234",
     "sending_unit": "保定市农业农村局", "unit_kind": "party_agency",
     "skills": ["agronomy", "industry"], "home_code": "130606000000"},
    {"name": "赵敏", "id_number": ")" +
                           kId2 + R"(", "sending_unit": "河北农业大学",
     "unit_kind": "university", "skills": ["e_commerce"], "home_code": "130602",
     "term_months": 36, "available": false}
  ])";
  auto n = pool().Import(county_, "json", text);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(Count("cadre", "county_code = 130624000000"), 2);
  EXPECT_EQ(Count("cadre", "sex = 'female' AND term_months = 36 AND available = 0"), 1);
  EXPECT_EQ(Count("audit", "action = 'cadre.import'"), 1);
  EXPECT_EQ(Count("audit"), 1);
  auto audit = db_->Query("SELECT after_json FROM audit WHERE action = 'cadre.import'", {});
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->at(0).Text(0).find(kId1), std::string::npos);
  EXPECT_NE(audit->at(0).Text(0).find("赵敏"), std::string::npos);
  EXPECT_EQ(FileBytes().find(kId2), std::string::npos);
}

TEST_F(CadrePoolTest, BadRowsAreAllReportedAndNothingIsStored) {
  ASSERT_TRUE(pool().Create(county_, Cadre("李建国", kId1)).ok());
  const int64_t audits = Count("audit");
  const std::string good2 = IdIn("130602", "19920101", "051");
  std::string bad_check = IdIn("130602", "19920101", "053");
  bad_check.back() = bad_check.back() == '0' ? '1' : '0';
  const std::string text = R"([
    {"name": "张三", "id_number": ")" +
                           good2 + R"(", "sending_unit": "保定银行",
     "unit_kind": "financial", "skills": ["finance"], "home_code": "130602000000"},
    {"name": "李四", "id_number": ")" +
                           bad_check + R"(", "sending_unit": "保定银行",
     "unit_kind": "financial", "skills": ["finance"], "home_code": "130602000000"},
    {"name": "王五", "id_number": ")" +
                           IdIn("130602", "19930101", "071") + R"(",
     "sending_unit": "保定银行", "unit_kind": "bank", "skills": ["cooking"],
     "home_code": "130602000000"},
    {"name": "张三", "id_number": ")" +
                           good2 + R"(", "sending_unit": "保定银行",
     "unit_kind": "financial", "skills": ["finance"], "home_code": "130602000000"},
    {"name": "李建国", "id_number": ")" +
                           kId1 + R"(", "sending_unit": "保定银行",
     "unit_kind": "financial", "skills": ["finance"], "home_code": "130602000000"}
  ])";
  auto n = pool().Import(county_, "json", text);
  ASSERT_EQ(n.status().code(), StatusCode::kInvalidArgument) << n.status().ToString();
  const Status& s = n.status();
  EXPECT_FALSE(Names(s, "rows[0].id_number"));
  EXPECT_TRUE(Names(s, "rows[1].id_number")) << s.ToString();
  EXPECT_TRUE(Names(s, "rows[2].unit_kind"));
  EXPECT_TRUE(Names(s, "rows[2].skills[0]"));
  EXPECT_TRUE(Names(s, "rows[3].id_number")) << "repeats rows[0]";
  EXPECT_TRUE(Names(s, "rows[4].id_number")) << "already in the pool";
  EXPECT_NE(s.message().find("nothing was imported"), std::string::npos);
  EXPECT_EQ(Count("cadre"), 1);
  EXPECT_EQ(Count("audit"), audits);

  // Unknown fields and malformed text are refused too.
  EXPECT_TRUE(Names(pool().Import(county_, "json", R"([{"nmae": "x"}])").status(), "rows[0].nmae"));
  EXPECT_TRUE(Names(pool().Import(county_, "json", "{").status(), "text"));
  EXPECT_TRUE(Names(pool().Import(county_, "xml", "<a/>").status(), "format"));
  EXPECT_TRUE(Names(pool().Import(county_, "json", "[]").status(), "rows"));
  EXPECT_EQ(Count("cadre"), 1);
}

TEST_F(CadrePoolTest, AdminImportsNameTheCountyPerRow) {
  const std::string row = R"("sending_unit": "保定银行", "unit_kind": "financial",
     "skills": ["finance"], "home_code": "130602")";
  const std::string text = R"([{"name": "李建国", "id_number": ")" + kId1 +
                           R"(", "county_code": "130606", )" + row + R"(},
    {"name": "赵敏", "id_number": ")" +
                           kId2 + R"(", )" + row + R"(}])";
  auto n = pool().Import(admin_, "json", text);
  ASSERT_EQ(n.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(Names(n.status(), "rows[0].county_code"));
  EXPECT_TRUE(Names(n.status(), "rows[1].county_code")) << n.status().ToString();
  EXPECT_EQ(Count("cadre"), 0);
  // A county user may not name another county.
  const std::string other = R"([{"name": "李建国", "id_number": ")" + kId1 +
                            R"(", "county_code": "130606", )" + row + R"(}])";
  EXPECT_TRUE(Names(pool().Import(county_, "json", other).status(), "rows[0].county_code"));
  auto ok = pool().Import(admin_, "json", other);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(Count("cadre", "county_code = 130606000000"), 1);
}

const char kCsv[] =
    "name,id_number,phone,sending_unit,unit_kind,skills,home_code,term_months,note\n"
    "李建国,{id1},13903121234,保定市农业农村局,party_agency,agronomy;industry,130606,24,\n"
    "赵敏,{id2},,\"河北农业大学（经济管理学院）\",university,e_commerce；finance,130602,36,"
    "\"擅长电商, 直播带货\"\n";

std::string CsvText() {
  std::string t = kCsv;
  t.replace(t.find("{id1}"), 5, kId1);
  t.replace(t.find("{id2}"), 5, kId2);
  return t;
}

TEST_F(CadrePoolTest, CsvImportSplitsSkillsPadsHomeCodesAndTakesSexFromTheIdNumber) {
  auto n = pool().Import(county_, "csv", CsvText());
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  CadreQuery q;
  q.q = "赵敏";
  auto list = pool().List(county_, q);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  const domain::Cadre& c = list->items[0];
  EXPECT_EQ(c.sex, domain::Sex::kFemale);
  EXPECT_EQ(c.skills, (std::vector<std::string>{"e_commerce", "finance"}));
  EXPECT_EQ(c.home_code, 130602000000);
  EXPECT_EQ(c.sending_unit, "河北农业大学（经济管理学院）");
  EXPECT_EQ(c.note, "擅长电商, 直播带货");
  EXPECT_EQ(c.term_months, 36);
  EXPECT_TRUE(c.phone.empty());
}

TEST_F(CadrePoolTest, CsvImportReadsGb18030) {
  auto n = pool().Import(county_, "csv", Gb18030(CsvText()));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  CadreQuery q;
  q.q = "农业农村局";
  auto list = pool().List(county_, q);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0].name, "李建国");
}

TEST_F(CadrePoolTest, CsvErrorsNameRowAndLine) {
  std::string text = CsvText();
  text.replace(text.find("party_agency"), 12, "ministry");
  auto n = pool().Import(county_, "csv", text);
  ASSERT_EQ(n.status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(Names(n.status(), "rows[0].unit_kind")) << n.status().ToString();
  EXPECT_NE(n.status().field_errors()[0].message.find("(line 2)"), std::string::npos);
  EXPECT_TRUE(Names(pool().Import(county_, "csv", "name,colour\n张三,red\n").status(), "columns"));
  EXPECT_EQ(Count("cadre"), 0);
}

// Local worthies (乡贤) share the pool: the same rules, a kind, and where they live now.
TEST_F(CadrePoolTest, WorthiesAreStoredWithKindAndResidenceAndListedByKind) {
  ASSERT_TRUE(pool().Create(county_, Cadre("李建国", kId1)).ok());
  domain::Cadre w = Cadre("赵敏", kId2, {"e_commerce", "industry"});
  w.kind = "worthy";
  w.sending_unit = "深圳市优品电子商务有限公司";
  w.unit_kind = "private_enterprise";
  w.home_code = kVillageA1;  // hometown: 骆驼湾村
  w.residence = "广东省深圳市";
  auto created = pool().Create(county_, w);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->kind, "worthy");
  EXPECT_EQ(Count("cadre", "kind = 'worthy' AND residence = '广东省深圳市'"
                           " AND unit_kind = 'private_enterprise'"),
            1);
  auto got = pool().Get(town_a_, created->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->kind, "worthy");
  EXPECT_EQ(got->residence, "广东省深圳市");
  EXPECT_EQ(got->home_code, kVillageA1);
  EXPECT_EQ(got->id_number, "130***********" + kId2.substr(14)) << "masked like a cadre's";

  CadreQuery q;
  q.kind = "worthy";
  auto worthies = pool().List(county_, q);
  ASSERT_TRUE(worthies.ok());
  ASSERT_EQ(worthies->total, 1);
  EXPECT_EQ(worthies->items[0].name, "赵敏");
  q.kind = "cadre";
  auto cadres = pool().List(county_, q);
  ASSERT_TRUE(cadres.ok());
  ASSERT_EQ(cadres->total, 1);
  EXPECT_EQ(cadres->items[0].name, "李建国");
  EXPECT_EQ(cadres->items[0].kind, "cadre") << "the default kind";
  EXPECT_EQ(pool().List(county_, {})->total, 2);
  q.kind = "expert";
  EXPECT_TRUE(Names(pool().List(county_, q).status(), "kind"));

  // The audit snapshot carries the kind and residence, never the ID number.
  auto audit = db_->Query("SELECT after_json FROM audit WHERE object = ?",
                          {storage::Value("cadre/" + std::to_string(created->id))});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_NE(audit->at(0).Text(0).find("\"kind\":\"worthy\""), std::string::npos);
  EXPECT_NE(audit->at(0).Text(0).find("广东省深圳市"), std::string::npos);
  EXPECT_EQ(audit->at(0).Text(0).find(kId2), std::string::npos);

  // An edit may move him back home and correct the kind.
  domain::Cadre edit = *got;
  edit.residence = "阜平县城";
  edit.kind = "cadre";
  auto updated = pool().Update(county_, edit);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(Count("cadre", "kind = 'cadre' AND residence = '阜平县城'"), 1);
}

TEST_F(CadrePoolTest, BadKindResidenceOrUnitKindIsRefusedAndNothingStored) {
  domain::Cadre w = Cadre("赵敏", kId2);
  w.kind = "expert";
  w.residence = std::string(41, 'x');  // at most 40 characters
  w.unit_kind = "ngo";
  auto bad = pool().Create(county_, w);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  for (const char* f : {"kind", "residence", "unit_kind"})
    EXPECT_TRUE(Names(bad.status(), f)) << f << ": " << bad.status().ToString();
  EXPECT_EQ(Count("cadre"), 0);
  EXPECT_EQ(Count("audit"), 0);
  // The new unit kinds are accepted.
  for (const char* unit : {"private_enterprise", "self_employed"}) {
    domain::Cadre ok = Cadre(unit, unit == std::string("self_employed") ? kId1 : kId2);
    ok.kind = "worthy";
    ok.unit_kind = unit;
    ok.residence = "北京市朝阳区";
    EXPECT_TRUE(pool().Create(county_, ok).ok()) << unit;
  }
}

TEST_F(CadrePoolTest, ImportTakesKindAndResidenceColumnsWithADefaultKind) {
  const std::string csv =
      "kind,name,id_number,sending_unit,unit_kind,skills,home_code,residence\n"
      "worthy,赵敏," + kId2 + ",阜平县惠民农资店,self_employed,agronomy,130624100201,阜平县城\n"
      ",李建国," + kId1 + ",保定市农业农村局,party_agency,industry,130606,\n";
  auto n = pool().Import(county_, "csv", csv);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(Count("cadre", "kind = 'worthy' AND name = '赵敏' AND residence = '阜平县城'"), 1);
  EXPECT_EQ(Count("cadre", "kind = 'cadre' AND name = '李建国' AND residence = ''"), 1)
      << "a row without a kind is a cadre by default";

  // With default kind worthy, rows without a kind are worthies.
  const std::string id3 = IdIn("130624", "19700101", "011");
  const std::string json = R"([{"name": "王五", "id_number": ")" + id3 +
                           R"(", "sending_unit": "北京某科技有限公司",
     "unit_kind": "private_enterprise", "skills": ["e_commerce"], "home_code": "130624101201",
     "residence": "北京市海淀区"}])";
  auto w = pool().Import(county_, "json", json, "worthy");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(Count("cadre", "kind = 'worthy' AND name = '王五' AND residence = '北京市海淀区'"), 1);

  // A bad kind or an over-long residence names its row; nothing of the file is stored.
  const std::string id4 = IdIn("130624", "19710101", "013");
  const std::string id5 = IdIn("130624", "19720101", "015");
  const std::string bad = "kind,name,id_number,sending_unit,unit_kind,skills,home_code,residence\n"
                          "sage,甲," + id4 + ",某店,self_employed,agronomy,130624,\n"
                          "worthy,乙," + id5 + ",某店,self_employed,agronomy,130624," +
                          std::string(41, 'x') + "\n";
  const int64_t before = Count("cadre");
  auto refused = pool().Import(county_, "csv", bad);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(refused.status(), "rows[0].kind")) << refused.status().ToString();
  EXPECT_TRUE(Names(refused.status(), "rows[1].residence")) << refused.status().ToString();
  EXPECT_EQ(Count("cadre"), before);
  EXPECT_TRUE(Names(pool().Import(county_, "json", json, "sage").status(), "kind"));
  EXPECT_EQ(Count("cadre"), before);
}

}  // namespace
}  // namespace qiangji::services::testing

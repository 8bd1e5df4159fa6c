// Upgrading a database that holds dispatch data across 007_dispatch_roles, which rebuilds the
// cadre and dispatch_round tables (SQLite cannot alter a CHECK) with foreign keys off. A county
// upgrading qiangji must keep every row, and the child tables (round_cadre, round_village,
// preference, assignment) must still reference the rebuilt parents with foreign keys enforced.
#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "storage/database.h"
#include "storage/migrations.h"

namespace qiangji::storage {
namespace {

namespace fs = std::filesystem;

constexpr int kRolesMigration = 7;  // 007_dispatch_roles

class MigrateUpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("qiangji_migrate_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = OpenDatabase({.url = (dir_ / "old.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  // Applies the compiled SQLite migrations up to `last` the way an older qiangji did: each in a
  // transaction with its schema_version row.
  void ApplyUpTo(int last) {
    ASSERT_TRUE(db_->ExecuteScript("CREATE TABLE IF NOT EXISTS schema_version ("
                                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                                   " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
                    .ok());
    int applied = 0;
    for (const MigrationSource& m : CompiledMigrations()) {
      if (m.dialect != "sqlite" || m.version > last) continue;
      Status st = InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
        QJ_RETURN_IF_ERROR(db_->ExecuteScript(m.sql));
        return db_
            ->Execute("INSERT INTO schema_version (version, name) VALUES (?, ?)",
                      {Value(int64_t{m.version}), Value(std::string(m.name))})
            .status();
      });
      ASSERT_TRUE(st.ok()) << m.version << " " << m.name << ": " << st.ToString();
      ++applied;
    }
    ASSERT_EQ(applied, last);
  }

  void Exec(const std::string& sql) {
    auto st = db_->ExecuteScript(sql);
    ASSERT_TRUE(st.ok()) << st.ToString() << "\n" << sql;
  }

  int64_t Count(const std::string& table, const std::string& where = "") {
    auto rows =
        db_->Query("SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where), {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->at(0).Int(0) : -1;
  }

  // (parent table, from column) of each foreign key of `table`.
  std::vector<std::pair<std::string, std::string>> ForeignKeys(const std::string& table) {
    std::vector<std::pair<std::string, std::string>> out;
    auto rows = db_->Query("PRAGMA foreign_key_list(" + table + ")", {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return out;
    for (const Row& r : *rows) out.emplace_back(r.Text(2), r.Text(3));
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Database> db_;
};

using Fk = std::pair<std::string, std::string>;

TEST_F(MigrateUpgradeTest, RolesMigrationKeepsDispatchRowsAndTheirForeignKeys) {
  ApplyUpTo(kRolesMigration - 1);
  // A county with two villages, a cadre confirmed as first secretary in one of them by a round.
  Exec(R"(
    INSERT INTO division (code, level, name, parent_code) VALUES
      (130000000000, 'province', '河北省', NULL),
      (130600000000, 'prefecture', '保定市', 130000000000),
      (130624000000, 'county', '阜平县', 130600000000),
      (130624100000, 'township', '龙泉关镇', 130624000000),
      (130624100201, 'village', '骆驼湾村', 130624100000),
      (130624100202, 'village', '顾家台村', 130624100000);
    INSERT INTO person (id, division_code, name, sex, id_number_enc, id_number_hash,
                        party_status, created_at, updated_at)
      VALUES (5, 130624100201, '李建国', 'male', X'0102', 'hash-person', 'member',
              '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    INSERT INTO post (id, person_id, division_code, kind, start_date, end_date, created_at,
                      updated_at)
      VALUES (9, 5, 130624100201, 'first_secretary', '2025-03-01', '2027-03-01',
              '2025-03-01T00:00:00Z', '2025-03-01T00:00:00Z');
    INSERT INTO cadre (id, county_code, name, sex, birth_date, id_number_enc, id_number_hash,
                       phone_enc, sending_unit, unit_kind, skills, home_code, available,
                       term_months, note, person_id, created_at, updated_at)
      VALUES (3, 130624000000, '李建国', 'male', '1986-05-14', X'A1B2C3', 'hash-cadre-3',
              X'D4E5', '保定市农业农村局', 'university', '["industry","agronomy"]', 130606000000,
              0, 36, '已派驻', 5, '2025-01-02T00:00:00Z', '2025-03-01T00:00:00Z'),
             (4, 130624000000, '赵敏', 'female', NULL, X'B1', 'hash-cadre-4', NULL, '河北银行',
              'financial', '["finance"]', 130602000000, 1, 24, '', NULL,
              '2025-01-02T00:00:00Z', '2025-01-02T00:00:00Z');
    INSERT INTO dispatch_round (id, scope, scope_lo, scope_hi, role, name, status, mode,
                                proposing, seed, rules, start_date, created_at, created_by,
                                opened_at, matched_at, confirmed_at, result)
      VALUES (1, '130624', 130624000000, 130624999999, 'first_secretary', '2025年第一书记选派',
              'confirmed', 'optimal', 'villages', -7, '{"min_priority":30}', '2025-03-01',
              '2025-01-05T00:00:00Z', 'county_admin', '2025-01-06T00:00:00Z',
              '2025-01-07T00:00:00Z', '2025-01-08T00:00:00Z', '{"certificate":{}}');
    INSERT INTO round_cadre (round_id, cadre_id) VALUES (1, 3), (1, 4);
    INSERT INTO round_village (round_id, division_code, seats, need)
      VALUES (1, 130624100201, 1, '{"priority":80}'), (1, 130624100202, 1, '{}');
    INSERT INTO preference (round_id, side, owner, tiers, derived, updated_at, updated_by)
      VALUES (1, 'cadre', 3, '[[130624100201],[130624100202]]', 0, '2025-01-06T00:00:00Z', 'x'),
             (1, 'village', 130624100201, '[[3],[4]]', 1, '2025-01-07T00:00:00Z', 'x');
    INSERT INTO assignment (round_id, cadre_id, division_code, fit, cadre_rank, village_rank,
                            start_date, end_date, post_id)
      VALUES (1, 3, 130624100201, 0.75, 1, 1, '2025-03-01', '2027-03-01', 9);
  )");

  auto version = Migrate(*db_);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, LatestSchemaVersion("sqlite"));
  EXPECT_GE(*version, kRolesMigration);
  EXPECT_EQ(Count("schema_version", "version = 7 AND name = 'dispatch_roles'"), 1);

  // Every row kept, field for field; the old cadres are cadres.
  EXPECT_EQ(Count("division"), 6);
  EXPECT_EQ(Count("cadre"), 2);
  EXPECT_EQ(Count("cadre", "kind = 'cadre' AND residence = ''"), 2);
  auto cadre = db_->Query(
      "SELECT name, sex, birth_date, id_number_enc, id_number_hash, phone_enc, sending_unit,"
      " unit_kind, skills, home_code, available, term_months, note, person_id, created_at,"
      " updated_at FROM cadre WHERE id = 3",
      {});
  ASSERT_TRUE(cadre.ok()) << cadre.status().ToString();
  ASSERT_EQ(cadre->size(), 1u);
  const Row& c = cadre->at(0);
  EXPECT_EQ(c.Text(0), "李建国");
  EXPECT_EQ(c.Text(1), "male");
  EXPECT_EQ(c.Text(2), "1986-05-14");
  EXPECT_EQ(c.BlobBytes(3), std::string("\xA1\xB2\xC3"));
  EXPECT_EQ(c.Text(4), "hash-cadre-3");
  EXPECT_EQ(c.BlobBytes(5), std::string("\xD4\xE5"));
  EXPECT_EQ(c.Text(6), "保定市农业农村局");
  EXPECT_EQ(c.Text(7), "university");
  EXPECT_EQ(c.Text(8), R"(["industry","agronomy"])");
  EXPECT_EQ(c.Int(9), 130606000000);
  EXPECT_EQ(c.Int(10), 0);
  EXPECT_EQ(c.Int(11), 36);
  EXPECT_EQ(c.Text(12), "已派驻");
  EXPECT_EQ(c.Int(13), 5);
  EXPECT_EQ(c.Text(14), "2025-01-02T00:00:00Z");
  EXPECT_EQ(c.Text(15), "2025-03-01T00:00:00Z");
  EXPECT_EQ(Count("cadre",
                  "id = 4 AND birth_date IS NULL AND phone_enc IS NULL"
                  " AND person_id IS NULL"),
            1);

  auto round = db_->Query(
      "SELECT scope, scope_lo, scope_hi, role, name, status, mode, proposing, seed, rules,"
      " start_date, created_by, opened_at, matched_at, confirmed_at, result"
      " FROM dispatch_round WHERE id = 1",
      {});
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  ASSERT_EQ(round->size(), 1u);
  const Row& r = round->at(0);
  EXPECT_EQ(r.Text(0), "130624");
  EXPECT_EQ(r.Int(1), 130624000000);
  EXPECT_EQ(r.Int(2), 130624999999);
  EXPECT_EQ(r.Text(3), "first_secretary");
  EXPECT_EQ(r.Text(4), "2025年第一书记选派");
  EXPECT_EQ(r.Text(5), "confirmed");
  EXPECT_EQ(r.Text(6), "optimal");
  EXPECT_EQ(r.Text(7), "villages");
  EXPECT_EQ(r.Int(8), -7) << "the seed bit for bit";
  EXPECT_EQ(r.Text(9), R"({"min_priority":30})");
  EXPECT_EQ(r.Text(10), "2025-03-01");
  EXPECT_EQ(r.Text(11), "county_admin");
  EXPECT_EQ(r.Text(12), "2025-01-06T00:00:00Z");
  EXPECT_EQ(r.Text(13), "2025-01-07T00:00:00Z");
  EXPECT_EQ(r.Text(14), "2025-01-08T00:00:00Z");
  EXPECT_EQ(r.Text(15), R"({"certificate":{}})");

  EXPECT_EQ(Count("round_cadre"), 2);
  EXPECT_EQ(Count("round_village", "round_id = 1 AND need = '{\"priority\":80}'"), 1);
  EXPECT_EQ(Count("round_village"), 2);
  EXPECT_EQ(Count("preference",
                  "side = 'cadre' AND owner = 3"
                  " AND tiers = '[[130624100201],[130624100202]]' AND derived = 0"),
            1);
  EXPECT_EQ(Count("preference", "side = 'village' AND owner = 130624100201 AND derived = 1"), 1);
  // Assignments keep their values and gain the new columns with their defaults.
  EXPECT_EQ(Count("assignment",
                  "round_id = 1 AND cadre_id = 3 AND division_code = 130624100201"
                  " AND fit = 0.75 AND start_date = '2025-03-01'"
                  " AND end_date = '2027-03-01' AND post_id = 9"
                  " AND unit_id IS NULL AND villages = '[]' AND post_ids = '[]'"),
            1);
  EXPECT_EQ(Count("person"), 1);
  EXPECT_EQ(Count("post"), 1);

  // Foreign keys are on again and still hold, and the children reference the rebuilt parents.
  EXPECT_EQ(db_->QueryOne("PRAGMA foreign_keys", {}, "fk")->Int(0), 1);
  auto broken = db_->Query("PRAGMA foreign_key_check", {});
  ASSERT_TRUE(broken.ok());
  EXPECT_TRUE(broken->empty());
  EXPECT_EQ(ForeignKeys("round_cadre"),
            (std::vector<Fk>{{"cadre", "cadre_id"}, {"dispatch_round", "round_id"}}));
  EXPECT_EQ(ForeignKeys("round_village"),
            (std::vector<Fk>{{"dispatch_round", "round_id"}, {"division", "division_code"}}));
  EXPECT_EQ(ForeignKeys("preference"), (std::vector<Fk>{{"dispatch_round", "round_id"}}));
  EXPECT_EQ(ForeignKeys("assignment"), (std::vector<Fk>{{"cadre", "cadre_id"},
                                                        {"dispatch_round", "round_id"},
                                                        {"division", "division_code"},
                                                        {"post", "post_id"}}));
  EXPECT_EQ(ForeignKeys("cadre"), (std::vector<Fk>{{"person", "person_id"}}));

  // Enforced: a dangling round or cadre is refused, and so is deleting a referenced cadre.
  auto dangling_round =
      db_->Execute("INSERT INTO round_cadre (round_id, cadre_id) VALUES (2, 4)", {});
  EXPECT_EQ(dangling_round.status().code(), StatusCode::kFailedPrecondition)
      << dangling_round.status().ToString();
  auto dangling_cadre =
      db_->Execute("INSERT INTO round_cadre (round_id, cadre_id) VALUES (1, 99)", {});
  EXPECT_EQ(dangling_cadre.status().code(), StatusCode::kFailedPrecondition);
  auto dangling_pref = db_->Execute(
      "INSERT INTO preference (round_id, side, owner, tiers, updated_at, updated_by)"
      " VALUES (2, 'cadre', 4, '[]', 'now', 'x')",
      {});
  EXPECT_EQ(dangling_pref.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(db_->Execute("DELETE FROM cadre WHERE id = 3", {}).ok());
  EXPECT_EQ(Count("cadre"), 2);
  // And the round's ON DELETE CASCADE reaches its children through the rebuilt table.
  ASSERT_TRUE(db_->Execute("DELETE FROM dispatch_round WHERE id = 1", {}).ok());
  EXPECT_EQ(Count("round_cadre"), 0);
  EXPECT_EQ(Count("round_village"), 0);
  EXPECT_EQ(Count("preference"), 0);
  EXPECT_EQ(Count("assignment"), 0);

  // The new CHECKs are in force: a worthy may be stored, an unknown kind may not.
  EXPECT_TRUE(db_->Execute("UPDATE cadre SET kind = 'worthy', unit_kind = 'self_employed',"
                           " residence = '广东省深圳市' WHERE id = 4",
                           {})
                  .ok());
  EXPECT_FALSE(db_->Execute("UPDATE cadre SET kind = 'expert' WHERE id = 4", {}).ok());
  EXPECT_TRUE(
      db_->Execute("UPDATE cadre SET unit_kind = 'private_enterprise' WHERE id = 4", {}).ok());
}

}  // namespace
}  // namespace qiangji::storage

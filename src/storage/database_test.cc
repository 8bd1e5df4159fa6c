// The storage contract, run against every driver in Drivers(). A PostgreSQL driver joins by adding
// an entry there (and its DDL to TestSchema); the tests themselves use only portable SQL.
#include "storage/database.h"

#include <atomic>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

namespace qiangji::storage {
namespace {

namespace fs = std::filesystem;

struct Driver {
  std::string name;
  // Options that open a fresh, empty database inside `dir`.
  std::function<OpenOptions(const fs::path& dir)> fresh;
};

std::vector<Driver> Drivers() {
  return {
      {"sqlite",
       [](const fs::path& dir) { return OpenOptions{.url = (dir / "test.db").string()}; }},
  };
}

std::vector<std::string> DriverNames() {
  std::vector<std::string> names;
  for (const auto& d : Drivers()) names.push_back(d.name);
  return names;
}

// Tables the tests use; dialect-specific DDL only.
std::string TestSchema(std::string_view dialect) {
  if (dialect == "sqlite")
    return R"(
      CREATE TABLE item (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB,
                         tag TEXT UNIQUE) STRICT;
      CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;
      CREATE TABLE child (id INTEGER PRIMARY KEY,
                          parent_id INTEGER NOT NULL REFERENCES parent (id)) STRICT;
    )";
  return "";
}

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string leaf = std::string(info->name());
    for (char& c : leaf)
      if (c == '/') c = '_';
    dir_ = fs::temp_directory_path() / ("qiangji_storage_" + std::to_string(getpid()) + "_" + leaf);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& d : Drivers())
      if (d.name == GetParam()) options_ = d.fresh(dir_);
    auto db = OpenDatabase(options_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->ExecuteScript(TestSchema(db_->Dialect())).ok());
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  int64_t Count(std::string_view table) {
    auto rows = db_->Query(std::string("SELECT COUNT(*) FROM ") + std::string(table), {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->at(0).Int(0) : -1;
  }

  fs::path dir_;
  OpenOptions options_;
  std::unique_ptr<Database> db_;
};

TEST_P(StorageTest, ValuesRoundTrip) {
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const std::string text = "阜平县 \"quoted\" 'single' \\ 100%";
  const std::string bytes("\0\x01\xff\x7f", 4);
  ASSERT_TRUE(db_->Execute("INSERT INTO item (id, i, r, s, b) VALUES (?, ?, ?, ?, ?)",
                           {int64_t{1}, kMin, 0.1, text, Blob{bytes}})
                  .ok());
  ASSERT_TRUE(
      db_->Execute("INSERT INTO item (id, i, s) VALUES (?, ?, ?)", {int64_t{2}, kMax, ""}).ok());

  auto rows = db_->Query("SELECT i, r, s, b FROM item WHERE id = ?", {int64_t{1}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const Row& row = rows->at(0);
  EXPECT_EQ(row.Int(0), kMin);
  EXPECT_EQ(row.Real(1), 0.1);
  EXPECT_EQ(row.Text(2), text);
  EXPECT_EQ(row.BlobBytes(3), bytes);
  EXPECT_EQ(row.at(3), Value(Blob{bytes}));

  auto second = db_->QueryOne("SELECT i, s, r FROM item WHERE id = ?", {int64_t{2}}, "item 2");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->Int(0), kMax);
  // An empty string is a value, not NULL.
  EXPECT_FALSE(second->IsNull(1));
  EXPECT_EQ(second->OptText(1), std::optional<std::string>(""));
  EXPECT_TRUE(second->IsNull(2));
  // Integers widen to Real, numbers format as Text.
  EXPECT_EQ(second->Real(0), static_cast<double>(kMax));
  EXPECT_EQ(second->Text(0), std::to_string(kMax));
}

TEST_P(StorageTest, NullsReadAsNullAndDefaults) {
  ASSERT_TRUE(
      db_->Execute("INSERT INTO item (id, i, r, s, b) VALUES (?, ?, ?, ?, ?)",
                   {int64_t{7}, Null{}, Null{}, OrNull(std::optional<std::string>()), Null{}})
          .ok());
  auto row = db_->QueryOne("SELECT i, r, s, b FROM item WHERE id = ?", {int64_t{7}}, "item");
  ASSERT_TRUE(row.ok());
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(row->IsNull(i)) << i;
  EXPECT_EQ(row->Int(0), 0);
  EXPECT_EQ(row->OptInt(0), std::nullopt);
  EXPECT_EQ(row->Real(1), 0.0);
  EXPECT_EQ(row->Text(2), "");
  EXPECT_EQ(row->OptText(2), std::nullopt);
  EXPECT_EQ(row->BlobBytes(3), "");

  // Binding NULL in a comparison matches nothing; IS NULL does.
  auto none = db_->Query("SELECT id FROM item WHERE i = ?", {Null{}});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(db_->Query("SELECT id FROM item WHERE i IS NULL", {})->size(), 1u);
}

TEST_P(StorageTest, InsertReturningGivesTheNewRow) {
  auto first = db_->Query("INSERT INTO item (s) VALUES (?) RETURNING id, s", {"a"});
  auto second = db_->Query("INSERT INTO item (s) VALUES (?) RETURNING id, s", {"b"});
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->at(0).Text(1), "a");
  EXPECT_GT(second->at(0).Int(0), first->at(0).Int(0));
  auto back = db_->QueryOne("SELECT s FROM item WHERE id = ?", {second->at(0).Int(0)}, "item");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Text(0), "b");
}

TEST_P(StorageTest, ExecuteCountsChangedRows) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(db_->Execute("INSERT INTO item (i) VALUES (?)", {int64_t{i}}).ok());
  auto changed = db_->Execute("UPDATE item SET s = ? WHERE i >= ?", {"x", int64_t{2}});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 3);
  EXPECT_EQ(*db_->Execute("DELETE FROM item WHERE i > ?", {int64_t{100}}), 0);
}

TEST_P(StorageTest, QueryOneSaysWhatWasNotFound) {
  auto row = db_->QueryOne("SELECT id FROM item WHERE id = ?", {int64_t{42}}, "item 42");
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().code(), StatusCode::kNotFound);
  EXPECT_NE(row.status().message().find("item 42"), std::string::npos);
}

TEST_P(StorageTest, BadSqlAndWrongParameterCountAreErrorsNotCrashes) {
  EXPECT_EQ(db_->Query("SELEC nonsense", {}).status().code(), StatusCode::kInternal);
  EXPECT_EQ(db_->Execute("INSERT INTO item (i, s) VALUES (?, ?)", {int64_t{1}}).status().code(),
            StatusCode::kInternal);
  EXPECT_EQ(Count("item"), 0);
  // Two statements in one Execute would silently drop the second; it is refused instead.
  EXPECT_FALSE(db_->Execute("INSERT INTO item (i) VALUES (1); DELETE FROM item", {}).ok());
  EXPECT_EQ(Count("item"), 0);
}

TEST_P(StorageTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(db_->Execute("INSERT INTO item (tag) VALUES (?)", {"t"}).ok());
  auto again = db_->Execute("INSERT INTO item (tag) VALUES (?)", {"t"});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST_P(StorageTest, ForeignKeysAreEnforced) {
  auto orphan = db_->Execute("INSERT INTO child (parent_id) VALUES (?)", {int64_t{99}});
  EXPECT_EQ(orphan.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(db_->Execute("INSERT INTO parent (id, name) VALUES (?, ?)", {int64_t{1}, "p"}).ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO child (parent_id) VALUES (?)", {int64_t{1}}).ok());
  // A parent with children cannot go.
  EXPECT_EQ(db_->Execute("DELETE FROM parent WHERE id = ?", {int64_t{1}}).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("parent"), 1);
}

TEST_P(StorageTest, ColumnTypesAndChecksAreEnforced) {
  ASSERT_TRUE(Migrate(*db_).ok());
  // A STRICT INTEGER column refuses text that is not a number (plain SQLite would store it).
  auto text_code = db_->Execute("INSERT INTO division (code, level, name) VALUES (?, ?, ?)",
                                {"abc", "province", "x"});
  EXPECT_EQ(text_code.status().code(), StatusCode::kInvalidArgument);
  auto text_int = db_->Execute("INSERT INTO item (i) VALUES (?)", {"not a number"});
  EXPECT_EQ(text_int.status().code(), StatusCode::kInvalidArgument);
  auto bad_level = db_->Execute("INSERT INTO division (code, level, name) VALUES (?, ?, ?)",
                                {int64_t{130000000000}, "city", "x"});
  EXPECT_EQ(bad_level.status().code(), StatusCode::kInvalidArgument);
  auto no_name = db_->Execute("INSERT INTO division (code, level, name) VALUES (?, ?, ?)",
                              {int64_t{130000000000}, "province", Null{}});
  EXPECT_EQ(no_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("division"), 0);
}

TEST_P(StorageTest, FailedTransactionChangesNothing) {
  ASSERT_TRUE(db_->Execute("INSERT INTO item (tag) VALUES (?)", {"taken"}).ok());
  Status status = InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(db_->Execute("INSERT INTO item (tag) VALUES (?)", {"new"}).status());
    QJ_RETURN_IF_ERROR(db_->Execute("UPDATE item SET s = ?", {"changed"}).status());
    // The third statement fails: the two before it must be undone.
    return db_->Execute("INSERT INTO item (tag) VALUES (?)", {"taken"}).status();
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(db_->TransactionOpen());
  EXPECT_EQ(Count("item"), 1);
  EXPECT_EQ(db_->Query("SELECT id FROM item WHERE s IS NOT NULL", {})->size(), 0u);
}

TEST_P(StorageTest, InTransactionCommitsOrRollsBackOnAnError) {
  Status ok = InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
    return db_->Execute("INSERT INTO item (s) VALUES (?)", {"kept"}).status();
  });
  EXPECT_TRUE(ok.ok());
  Status refused = InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(db_->Execute("INSERT INTO item (s) VALUES (?)", {"dropped"}).status());
    return Status::InvalidField("name", "is required");
  });
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.field_errors().at(0).field, "name");  // the body's error comes back as is
  Status thrown = InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
    (void)db_->Execute("INSERT INTO item (s) VALUES (?)", {"thrown"});
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), StatusCode::kInternal);
  auto rows = db_->Query("SELECT s FROM item ORDER BY id", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).Text(0), "kept");
  EXPECT_FALSE(db_->TransactionOpen());
}

TEST_P(StorageTest, NestedTransactionRollsBackOnlyItsOwnPart) {
  Status outer = InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(db_->Execute("INSERT INTO item (s) VALUES (?)", {"outer"}).status());
    Status inner = InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
      QJ_RETURN_IF_ERROR(db_->Execute("INSERT INTO item (s) VALUES (?)", {"inner"}).status());
      return Status::FailedPrecondition("inner gives up");
    });
    EXPECT_EQ(inner.code(), StatusCode::kFailedPrecondition);
    EXPECT_TRUE(db_->TransactionOpen());
    return db_->Execute("INSERT INTO item (s) VALUES (?)", {"outer again"}).status();
  });
  ASSERT_TRUE(outer.ok()) << outer.ToString();
  auto rows = db_->Query("SELECT s FROM item ORDER BY id", {});
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->at(0).Text(0), "outer");
  EXPECT_EQ(rows->at(1).Text(0), "outer again");
}

TEST_P(StorageTest, PreparedStatementRunsInABulkLoop) {
  auto stmt = db_->Prepare("INSERT INTO item (i, s) VALUES (?, ?)");
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  ASSERT_TRUE(InTransaction(*db_, TxMode::kWrite, [&]() -> Status {
                for (int64_t i = 0; i < 1000; ++i) {
                  Value params[] = {i, std::to_string(i)};
                  QJ_ASSIGN_OR_RETURN(int64_t n, (*stmt)->Execute(params));
                  if (n != 1) return Status::Internal("one row per insert expected");
                }
                return Status::Ok();
              }).ok());
  EXPECT_EQ(Count("item"), 1000);
  auto sum = db_->QueryOne("SELECT SUM(i) FROM item", {}, "sum");
  EXPECT_EQ(sum->Int(0), 999 * 1000 / 2);
}

TEST_P(StorageTest, MigrateIsIdempotent) {
  auto first = Migrate(*db_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, LatestSchemaVersion(db_->Dialect()));
  EXPECT_GE(*first, 1);
  auto second = Migrate(*db_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  // One schema_version row per migration, each applied once.
  auto versions = db_->Query("SELECT version, name FROM schema_version ORDER BY version", {});
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(static_cast<int>(versions->size()), *first);
  EXPECT_EQ(versions->at(0).Int(0), 1);
  EXPECT_EQ(versions->at(0).Text(1), "core");
  // The core tables are there and usable.
  ASSERT_TRUE(db_->Execute("INSERT INTO meta (key, value) VALUES (?, ?)", {"k", "v"}).ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO division (code, level, name) VALUES (?, ?, ?)",
                           {int64_t{130000000000}, "province", "河北省"})
                  .ok());
  EXPECT_TRUE(Migrate(*db_).ok());
  EXPECT_EQ(Count("division"), 1);
}

TEST_P(StorageTest, MigrateRefusesADatabaseNewerThanTheProgram) {
  ASSERT_TRUE(Migrate(*db_).ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO schema_version (version, name) VALUES (?, ?)",
                           {int64_t{LatestSchemaVersion(db_->Dialect()) + 1}, "future"})
                  .ok());
  auto result = Migrate(*db_);
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(StorageTest, PoolHandsOutAndTakesBackConnectionsAcrossThreads) {
  ASSERT_TRUE(Migrate(*db_).ok());
  constexpr int kPoolSize = 3, kThreads = 6, kWritesEach = 40;
  auto pool = ConnectionPool::Open(options_, kPoolSize);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  std::atomic<int> in_use{0}, max_in_use{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        auto lease = (*pool)->Acquire();
        int now = ++in_use;
        int seen = max_in_use.load();
        while (now > seen && !max_in_use.compare_exchange_weak(seen, now)) {
        }
        Status st = InTransaction(*lease, TxMode::kWrite, [&]() -> Status {
          return lease
              ->Execute("INSERT INTO item (i, s) VALUES (?, ?)", {int64_t{t}, std::to_string(i)})
              .status();
        });
        if (!st.ok()) ++failures;
        --in_use;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(max_in_use.load(), kPoolSize);
  EXPECT_EQ(Count("item"), kThreads * kWritesEach);

  // Every connection came back: all can be held at once, and each sees the committed rows.
  std::vector<ConnectionPool::Lease> all;
  for (int i = 0; i < kPoolSize; ++i) all.push_back((*pool)->Acquire());
  for (auto& lease : all)
    EXPECT_EQ(lease->QueryOne("SELECT COUNT(*) FROM item", {}, "count")->Int(0),
              kThreads * kWritesEach);
}

TEST_P(StorageTest, PoolRollsBackWhatALeaseLeftOpen) {
  auto pool = ConnectionPool::Open(options_, 1);
  ASSERT_TRUE(pool.ok());
  {
    auto lease = (*pool)->Acquire();
    ASSERT_TRUE(lease->Begin(TxMode::kWrite).ok());
    ASSERT_TRUE(lease->Execute("INSERT INTO item (s) VALUES (?)", {"abandoned"}).ok());
  }
  auto lease = (*pool)->Acquire();
  EXPECT_FALSE(lease->TransactionOpen());
  EXPECT_EQ(lease->QueryOne("SELECT COUNT(*) FROM item", {}, "count")->Int(0), 0);
}

TEST_P(StorageTest, FileDatabaseIsInWalModeWithForeignKeysOn) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "SQLite pragmas";
  EXPECT_EQ(db_->QueryOne("PRAGMA journal_mode", {}, "mode")->Text(0), "wal");
  EXPECT_EQ(db_->QueryOne("PRAGMA foreign_keys", {}, "fk")->Int(0), 1);
  EXPECT_EQ(db_->QueryOne("PRAGMA synchronous", {}, "sync")->Int(0), 1);  // NORMAL
  ASSERT_TRUE(db_->Execute("INSERT INTO item (s) VALUES (?)", {"x"}).ok());
  EXPECT_TRUE(fs::exists(options_.url + "-wal"));
  // A second connection to the same file reads the committed row while the first stays open.
  auto other = OpenDatabase(options_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->QueryOne("SELECT COUNT(*) FROM item", {}, "count")->Int(0), 1);
}

TEST(OpenDatabaseTest, RefusesUrlsItCannotServe) {
  EXPECT_EQ(OpenDatabase({.url = "postgresql://localhost/qiangji"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenDatabase({.url = ""}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConnectionPool::Open({.url = ":memory:"}, 2).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(OpenDatabase({.url = "/nonexistent-dir/x/qiangji.db"}).ok());
}

INSTANTIATE_TEST_SUITE_P(Drivers, StorageTest, ::testing::ValuesIn(DriverNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace qiangji::storage

// Migrations: migrations/<dialect>/NNN_name.sql, applied in number order, each in its own
// transaction together with its schema_version row, so a failed migration leaves the database at
// the previous version. The version is re-read inside the write transaction, so two processes
// starting at once apply each migration once.
//
// A migration that rebuilds a table (SQLite cannot alter a CHECK constraint) starts with the line
// `-- qiangji: foreign_keys off`. It then runs the way SQLite's documentation prescribes for
// "other kinds of table schema changes": foreign keys off around the transaction (a DROP would
// otherwise cascade into the children, and a RENAME rewrite their references), and
// `PRAGMA foreign_key_check` must come back empty before the transaction commits.
#include <algorithm>

#include <fmt/format.h>

#include "storage/database.h"
#include "storage/migrations.h"

namespace qiangji::storage {
namespace {

constexpr std::string_view kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)";

Result<int> CurrentVersion(Database& db) {
  QJ_ASSIGN_OR_RETURN(Row row, db.QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_version",
                                           std::span<const Value>{}, "schema version"));
  return static_cast<int>(row.Int(0));
}

constexpr std::string_view kForeignKeysOff = "-- qiangji: foreign_keys off";

bool WantsForeignKeysOff(const MigrationSource& m) {
  return m.dialect == "sqlite" && m.sql.substr(0, kForeignKeysOff.size()) == kForeignKeysOff;
}

}  // namespace

int LatestSchemaVersion(std::string_view dialect) {
  int latest = 0;
  for (const MigrationSource& m : CompiledMigrations())
    if (m.dialect == dialect) latest = std::max(latest, m.version);
  return latest;
}

int LatestSchemaVersion() { return LatestSchemaVersion("sqlite"); }

Result<int> Migrate(Database& db) {
  std::vector<MigrationSource> pending;
  for (const MigrationSource& m : CompiledMigrations())
    if (m.dialect == db.Dialect()) pending.push_back(m);
  std::sort(pending.begin(), pending.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < pending.size(); ++i) {
    if (pending[i].version == pending[i - 1].version)
      return Status::Internal(
          fmt::format("two {} migrations are numbered {}", db.Dialect(), pending[i].version));
  }
  const int latest = LatestSchemaVersion(db.Dialect());

  QJ_RETURN_IF_ERROR(db.ExecuteScript(kCreateSchemaVersion));
  QJ_ASSIGN_OR_RETURN(int version, CurrentVersion(db));
  if (version > latest)
    return Status::FailedPrecondition(fmt::format(
        "the database is at schema version {}, newer than this program knows ({}); upgrade qiangji",
        version, latest));

  for (const MigrationSource& m : pending) {
    if (m.version <= version) continue;
    const bool fk_off = WantsForeignKeysOff(m);
    if (fk_off) QJ_RETURN_IF_ERROR(db.ExecuteScript("PRAGMA foreign_keys = OFF"));
    Status st = InTransaction(db, TxMode::kWrite, [&]() -> Status {
      QJ_ASSIGN_OR_RETURN(int now, CurrentVersion(db));
      if (now >= m.version) return Status::Ok();  // another process got here first
      Status applied = db.ExecuteScript(m.sql);
      if (!applied.ok())
        return Status::Internal(
            fmt::format("migration {:03d}_{} failed: {}", m.version, m.name, applied.message()));
      if (fk_off) {
        QJ_ASSIGN_OR_RETURN(std::vector<Row> broken,
                            db.Query("PRAGMA foreign_key_check", std::span<const Value>{}));
        if (!broken.empty())
          return Status::Internal(fmt::format(
              "migration {:03d}_{} left {} rows whose foreign keys do not hold", m.version,
              m.name, broken.size()));
      }
      return db
          .Execute("INSERT INTO schema_version (version, name) VALUES (?, ?)",
                   {Value(int64_t{m.version}), Value(std::string(m.name))})
          .status();
    });
    if (fk_off) {
      Status on = db.ExecuteScript("PRAGMA foreign_keys = ON");
      if (st.ok() && !on.ok()) st = on;
    }
    QJ_RETURN_IF_ERROR(st);
    version = m.version;
  }
  return CurrentVersion(db);
}

}  // namespace qiangji::storage

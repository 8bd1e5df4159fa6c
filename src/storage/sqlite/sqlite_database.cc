// SQLite driver. Statements passed to Execute/Query are prepared once and kept in a per-connection
// cache keyed by their SQL text (services use constant SQL, so the cache stays small); Prepare()
// hands out an uncached statement for bulk loops. Constraint failures map to Status codes that
// services can act on: UNIQUE/PRIMARY KEY -> AlreadyExists, FOREIGN KEY -> FailedPrecondition,
// CHECK/NOT NULL/STRICT type mismatch -> InvalidArgument; anything else is Internal.
#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include <fmt/format.h>

namespace qiangji::storage::sqlite {
namespace {

constexpr size_t kStatementCacheLimit = 256;

Status ErrorStatus(sqlite3* db, int rc, std::string_view context) {
  const char* detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = fmt::format("{}: {}", context, detail);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return Status::AlreadyExists(std::move(message));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Status::FailedPrecondition(std::move(message));
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_DATATYPE:
    case SQLITE_MISMATCH:  // text for an INTEGER PRIMARY KEY
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

// Shortens SQL for error messages.
std::string_view Head(std::string_view sql) { return sql.substr(0, 120); }

Status Bind(sqlite3* db, sqlite3_stmt* stmt, std::span<const Value> params) {
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size()))
    return Status::Internal(fmt::format("statement wants {} parameters, got {}: {}", expected,
                                        params.size(), Head(sqlite3_sql(stmt))));
  for (int i = 0; i < expected; ++i) {
    const Value& v = params[i];
    int rc = SQLITE_OK;
    // SQLITE_STATIC: the values outlive the step; bindings are cleared before the call returns.
    if (std::holds_alternative<Null>(v)) {
      rc = sqlite3_bind_null(stmt, i + 1);
    } else if (auto* x = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i + 1, *x);
    } else if (auto* x = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i + 1, *x);
    } else if (auto* x = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt, i + 1, x->data(), x->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (auto* x = std::get_if<Blob>(&v)) {
      rc = x->bytes.empty()
               ? sqlite3_bind_zeroblob(stmt, i + 1, 0)
               : sqlite3_bind_blob64(stmt, i + 1, x->bytes.data(), x->bytes.size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) return ErrorStatus(db, rc, "bind");
  }
  return Status::Ok();
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(stmt, i);
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(p, sqlite3_column_bytes(stmt, i));
    }
    case SQLITE_BLOB: {
      auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      int n = sqlite3_column_bytes(stmt, i);
      return Blob{p ? std::string(p, n) : std::string()};
    }
    default:
      return Null{};
  }
}

// Steps `stmt` to the end, collecting rows when `rows` is given. Always resets the statement and
// clears its bindings, so a cached statement never holds a lock or a dangling pointer.
Status Run(sqlite3* db, sqlite3_stmt* stmt, std::span<const Value> params, std::vector<Row>* rows) {
  Status status = Bind(db, stmt, params);
  if (status.ok()) {
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc == SQLITE_ROW) {
        if (!rows) continue;
        std::vector<Value> values;
        values.reserve(columns);
        for (int i = 0; i < columns; ++i) values.push_back(ColumnValue(stmt, i));
        rows->emplace_back(std::move(values));
        continue;
      }
      status = ErrorStatus(db, sqlite3_extended_errcode(db), Head(sqlite3_sql(stmt)));
      break;
    }
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return status;
}

class SqliteStatement : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  Result<int64_t> Execute(std::span<const Value> params) override {
    QJ_RETURN_IF_ERROR(Run(db_, stmt_, params, nullptr));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  ~SqliteDatabase() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  using Database::Execute;
  using Database::Query;

  std::string_view Dialect() const override { return "sqlite"; }

  Result<int64_t> Execute(std::string_view sql, std::span<const Value> params) override {
    QJ_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Cached(sql));
    QJ_RETURN_IF_ERROR(Run(db_, stmt, params, nullptr));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Result<std::vector<Row>> Query(std::string_view sql, std::span<const Value> params) override {
    QJ_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Cached(sql));
    std::vector<Row> rows;
    QJ_RETURN_IF_ERROR(Run(db_, stmt, params, &rows));
    return rows;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);  // sqlite3_exec wants a terminated string
    char* error = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return Status::Ok();
    sqlite3_free(error);
    return ErrorStatus(db_, sqlite3_extended_errcode(db_), "script");
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    QJ_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Compile(sql));
    return std::unique_ptr<Statement>(new SqliteStatement(db_, stmt));
  }

  Status Begin(TxMode mode) override {
    if (depth_ > 0) {
      QJ_RETURN_IF_ERROR(Exec(fmt::format("SAVEPOINT qj_sp{}", depth_)));
    } else {
      QJ_RETURN_IF_ERROR(Exec(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN"));
    }
    ++depth_;
    return Status::Ok();
  }

  Status Commit() override {
    if (depth_ == 0) return Status::Internal("commit without a transaction");
    if (depth_ > 1) {
      QJ_RETURN_IF_ERROR(Exec(fmt::format("RELEASE qj_sp{}", depth_ - 1)));
    } else {
      QJ_RETURN_IF_ERROR(Exec("COMMIT"));
    }
    --depth_;
    return Status::Ok();
  }

  Status Rollback() override {
    if (depth_ == 0) return Status::Ok();
    --depth_;
    if (depth_ > 0) return Exec(fmt::format("ROLLBACK TO qj_sp{0}; RELEASE qj_sp{0}", depth_));
    // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
    if (sqlite3_get_autocommit(db_)) return Status::Ok();
    return Exec("ROLLBACK");
  }

  bool TransactionOpen() const override { return depth_ > 0; }

  Status Exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return Status::Ok();
    Status status = ErrorStatus(db_, sqlite3_extended_errcode(db_), sql);
    sqlite3_free(error);
    return status;
  }

 private:
  Result<sqlite3_stmt*> Compile(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return ErrorStatus(db_, rc, fmt::format("prepare {}", Head(sql)));
    if (!stmt) return Status::Internal(fmt::format("no statement in: {}", Head(sql)));
    for (const char* p = tail; p && p < sql.data() + sql.size(); ++p) {
      if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') {
        sqlite3_finalize(stmt);
        return Status::Internal(
            fmt::format("one statement at a time (use ExecuteScript): {}", Head(sql)));
      }
    }
    return stmt;
  }

  Result<sqlite3_stmt*> Cached(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) return it->second;
    QJ_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Compile(sql));
    if (cache_.size() >= kStatementCacheLimit) {
      // Generated SQL would grow the cache without bound; start over rather than track use.
      for (auto& [text, old] : cache_) sqlite3_finalize(old);
      cache_.clear();
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  sqlite3* db_;
  int depth_ = 0;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const OpenOptions& options) {
  const bool memory = options.url == ":memory:";
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(options.url.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return Status::Internal(fmt::format("cannot open database {}: {}", options.url, detail));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  auto db = std::make_unique<SqliteDatabase>(raw);

  // journal_mode answers with the mode in force; a file that cannot do WAL is an error rather
  // than a silently weaker database.
  if (!memory && !options.read_only) {
    QJ_ASSIGN_OR_RETURN(std::vector<Row> mode, db->Query("PRAGMA journal_mode = WAL", {}));
    if (mode.empty() || mode[0].Text(0) != "wal")
      return Status::Internal(fmt::format("cannot switch {} to WAL journal mode", options.url));
  }
  QJ_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  QJ_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL"));
  QJ_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store = MEMORY"));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace qiangji::storage::sqlite

// The store seam: a small SQL interface that the SQLite driver implements now and a PostgreSQL
// driver can implement later without touching services.
//
// Portable SQL rules (what both drivers accept):
//   - placeholders are `?`, numbered left to right; the PostgreSQL driver rewrites them to $n;
//   - INTEGER / TEXT / REAL / BLOB columns, `INSERT ... RETURNING id`, `ON CONFLICT ... DO
//     UPDATE`, `LIMIT ? OFFSET ?`, CURRENT_TIMESTAMP; no SQLite-only functions in services;
//   - dialect-specific DDL lives only in migrations/<driver>/.
// Thread safety: a Database (one connection) is used by one thread at a time; a ConnectionPool
// hands connections out to threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace qiangji::storage {

struct Null {
  bool operator==(const Null&) const = default;
};
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};
// One SQL value. Text is UTF-8.
using Value = std::variant<Null, int64_t, double, std::string, Blob>;

// Helpers for optional fields.
template <typename T>
Value OrNull(const std::optional<T>& v) {
  return v ? Value(*v) : Value(Null{});
}

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<Null>(values_.at(i)); }
  int64_t Int(size_t i) const;            // 0 for NULL
  double Real(size_t i) const;            // 0.0 for NULL; integers widen
  std::string Text(size_t i) const;       // "" for NULL; numbers are formatted
  std::string BlobBytes(size_t i) const;  // "" for NULL
  std::optional<int64_t> OptInt(size_t i) const;
  std::optional<std::string> OptText(size_t i) const;
  const Value& at(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

// A prepared statement for bulk work (import loops). Bind, Step, Reset. It must not outlive the
// Database that prepared it.
class Statement {
 public:
  virtual ~Statement() = default;
  // Runs the statement with `params`; returns the number of rows it changed.
  virtual Result<int64_t> Execute(std::span<const Value> params) = 0;
};

enum class TxMode { kRead, kWrite };

class Database {
 public:
  virtual ~Database() = default;

  virtual std::string_view Dialect() const = 0;  // "sqlite" or "postgresql"

  // Runs one statement; returns the number of rows it changed.
  virtual Result<int64_t> Execute(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs one statement and returns its rows (also for INSERT ... RETURNING).
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         std::span<const Value> params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;

  // Transactions. kWrite takes the write lock up front (SQLite: BEGIN IMMEDIATE) so that two
  // writers never deadlock upgrading a read lock.
  // A Begin inside an open transaction opens a savepoint, and its Commit/Rollback release or
  // roll back only that savepoint, so a use case may call another inside its transaction.
  virtual Status Begin(TxMode mode) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // True between Begin and its matching Commit/Rollback.
  virtual bool TransactionOpen() const = 0;

  // Convenience: the first row, or NotFound(what) when there is none.
  Result<Row> QueryOne(std::string_view sql, std::span<const Value> params, std::string_view what);
  Result<Row> QueryOne(std::string_view sql, std::initializer_list<Value> params,
                       std::string_view what) {
    return QueryOne(sql, std::span<const Value>(params.begin(), params.size()), what);
  }
  Result<std::vector<Row>> Query(std::string_view sql, std::initializer_list<Value> params) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<int64_t> Execute(std::string_view sql, std::initializer_list<Value> params) {
    return Execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

// Runs `body` in one transaction: commits when it returns ok, rolls back otherwise (and on
// exceptions). Every service write goes through this, so a failed write changes nothing.
Status InTransaction(Database& db, TxMode mode, const std::function<Status()>& body);

struct OpenOptions {
  // For SQLite: a file path (created if missing). ":memory:" gives a private in-memory DB (so a
  // pool of ":memory:" connections may hold only one).
  // For PostgreSQL (later): a postgresql:// URL.
  std::string url;
  bool read_only = false;
  int busy_timeout_ms = 5000;  // SQLite: how long a writer waits for the lock
};

// Opens one connection with the driver chosen by the URL. SQLite connections get WAL,
// foreign_keys=ON, synchronous=NORMAL and the busy timeout.
Result<std::unique_ptr<Database>> OpenDatabase(const OpenOptions& options);

// Applies the numbered migrations (migrations/<dialect>/NNN_name.sql, compiled into the binary)
// that are newer than schema_version, each in its own transaction. Idempotent.
// Returns the schema version after the run.
Result<int> Migrate(Database& db);
// The newest migration number compiled in (for SQLite; for the given dialect).
int LatestSchemaVersion();
int LatestSchemaVersion(std::string_view dialect);

// A fixed-size pool of connections to one database, for the HTTP server's threads.
class ConnectionPool {
 public:
  static Result<std::unique_ptr<ConnectionPool>> Open(const OpenOptions& options, int size);

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Database& operator*() { return *db_; }
    Database* operator->() { return db_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };
  // Blocks until a connection is free. A lease handed back with a transaction still open is
  // rolled back first. The pool must outlive its leases.
  Lease Acquire();
  int size() const { return size_; }

 private:
  friend class Lease;
  void Release(std::unique_ptr<Database> db);
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Database>> free_;
  int size_ = 0;
};

}  // namespace qiangji::storage

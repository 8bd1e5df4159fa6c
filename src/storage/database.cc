#include "storage/database.h"

#include <exception>

#include <fmt/format.h>

#include "storage/sqlite/sqlite_database.h"

namespace qiangji::storage {

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* x = std::get_if<int64_t>(&v)) return *x;
  if (auto* x = std::get_if<double>(&v)) return static_cast<int64_t>(*x);
  if (auto* x = std::get_if<std::string>(&v)) {
    try {
      return std::stoll(*x);
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* x = std::get_if<double>(&v)) return *x;
  if (auto* x = std::get_if<int64_t>(&v)) return static_cast<double>(*x);
  if (auto* x = std::get_if<std::string>(&v)) {
    try {
      return std::stod(*x);
    } catch (const std::exception&) {
      return 0.0;
    }
  }
  return 0.0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* x = std::get_if<std::string>(&v)) return *x;
  if (auto* x = std::get_if<int64_t>(&v)) return std::to_string(*x);
  if (auto* x = std::get_if<double>(&v)) return fmt::format("{}", *x);
  if (auto* x = std::get_if<Blob>(&v)) return x->bytes;
  return "";
}

std::string Row::BlobBytes(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* x = std::get_if<Blob>(&v)) return x->bytes;
  if (auto* x = std::get_if<std::string>(&v)) return *x;
  return "";
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<Row> Database::QueryOne(std::string_view sql, std::span<const Value> params,
                               std::string_view what) {
  QJ_ASSIGN_OR_RETURN(std::vector<Row> rows, Query(sql, params));
  if (rows.empty()) return Status::NotFound(fmt::format("{} not found", what));
  return std::move(rows.front());
}

Status InTransaction(Database& db, TxMode mode, const std::function<Status()>& body) {
  QJ_RETURN_IF_ERROR(db.Begin(mode));
  Status status;
  try {
    status = body();
  } catch (const std::exception& e) {
    // Exceptions do not cross layers: the write is undone and reported as a bug.
    status = Status::Internal(fmt::format("exception in transaction: {}", e.what()));
  } catch (...) {
    status = Status::Internal("unknown exception in transaction");
  }
  if (!status.ok()) {
    (void)db.Rollback();  // the body's error is the one worth reporting
    return status;
  }
  Status commit = db.Commit();
  if (!commit.ok()) (void)db.Rollback();
  return commit;
}

Result<std::unique_ptr<Database>> OpenDatabase(const OpenOptions& options) {
  std::string_view url = options.url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
    return Status::InvalidField("db",
                                "PostgreSQL is not supported by this build yet; use a SQLite file");
  if (url.empty()) return Status::InvalidField("db", "a database file is required");
  return sqlite::OpenSqlite(options);
}

// ---- ConnectionPool ----------------------------------------------------------------------

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(const OpenOptions& options, int size) {
  if (size < 1) return Status::InvalidField("pool_size", "must be at least 1");
  if (options.url == ":memory:" && size > 1)
    return Status::InvalidField("pool_size",
                                "an in-memory database is private to one connection; use 1");
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool());
  for (int i = 0; i < size; ++i) {
    QJ_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, OpenDatabase(options));
    pool->free_.push_back(std::move(db));
  }
  pool->size_ = size;
  return pool;
}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !free_.empty(); });
  std::unique_ptr<Database> db = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(db));
}

void ConnectionPool::Release(std::unique_ptr<Database> db) {
  if (!db) return;
  // A connection goes back clean: whatever its last user left open is undone.
  while (db->TransactionOpen()) {
    if (!db->Rollback().ok()) break;
  }
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(db));
  }
  cv_.notify_one();
}

ConnectionPool::Lease::~Lease() {
  if (pool_ && db_) pool_->Release(std::move(db_));
}

}  // namespace qiangji::storage

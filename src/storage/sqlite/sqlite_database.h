// The SQLite driver of storage::Database (SQLite 3.40 C API).
#pragma once

#include <memory>

#include "storage/database.h"

namespace qiangji::storage::sqlite {

// Opens a file (created if missing) or ":memory:" with WAL (files only), foreign_keys=ON,
// synchronous=NORMAL and options.busy_timeout_ms. Connections are in SQLite's multi-thread
// mode: one thread at a time per connection, as Database promises.
Result<std::unique_ptr<Database>> OpenSqlite(const OpenOptions& options);

}  // namespace qiangji::storage::sqlite

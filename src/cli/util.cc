// Helpers shared by the subcommands.
#include <iostream>

#include "cli/commands.h"

namespace qiangji::cli {

Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const GlobalOptions& global) {
  QJ_ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> db,
                      storage::OpenDatabase({.url = global.db}));
  QJ_ASSIGN_OR_RETURN(int version, storage::Migrate(*db));
  (void)version;
  return db;
}

Result<ServiceStore> OpenServices(const GlobalOptions& global) {
  { QJ_ASSIGN_OR_RETURN(auto db, OpenAndMigrate(global)); }
  ServiceStore s;
  QJ_ASSIGN_OR_RETURN(s.pool, storage::ConnectionPool::Open({.url = global.db}, 1));
  QJ_ASSIGN_OR_RETURN(services::Secrets secrets, services::Secrets::LoadOrCreate(global.KeyFile()));
  s.secrets = std::make_unique<services::Secrets>(std::move(secrets));
  s.services = std::make_unique<services::Services>(services::Env{s.pool.get(), s.secrets.get()});
  return s;
}

int Fail(const Status& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  const auto& errors = status.field_errors();
  // A single field error is already the message ("under: must be ..."); list only several.
  const bool said =
      errors.size() == 1 && status.message() == errors[0].field + ": " + errors[0].message;
  if (!said)
    for (const FieldError& e : errors) std::cerr << "  " << e.field << ": " << e.message << "\n";
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace qiangji::cli

// Internal: the migrations compiled into the library (generated from migrations/*/*.sql by
// embed_migrations.cmake). Read by migrate.cc; not part of the storage interface.
#pragma once

#include <span>
#include <string_view>

namespace qiangji::storage {

struct MigrationSource {
  std::string_view dialect;  // folder name: "sqlite", later "postgresql"
  int version;               // NNN of NNN_name.sql
  std::string_view name;
  std::string_view sql;
};

// In file-name order (dialect, then version).
std::span<const MigrationSource> CompiledMigrations();

}  // namespace qiangji::storage

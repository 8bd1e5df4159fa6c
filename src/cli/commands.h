// The subcommands of `qiangji`, one file each (cmd_<name>.cc). main.cc only wires them up.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "common/status.h"
#include "services/services.h"
#include "storage/database.h"

namespace qiangji::cli {

struct GlobalOptions {
  std::string db = "qiangji.db";  // SQLite file (or, later, a postgresql:// URL)
  std::string key_file;           // default: <db>.key beside the database
  std::string KeyFile() const { return key_file.empty() ? db + ".key" : key_file; }
};

// Opens the database and applies pending migrations.
Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const GlobalOptions& global);
// The services over the database named by --db (migrated), with the key for personal data
// beside it (created when missing, as `serve` does). Everything lives on the heap because Env
// points at the pool and the key while the store is moved around.
struct ServiceStore {
  std::unique_ptr<storage::ConnectionPool> pool;
  std::unique_ptr<services::Secrets> secrets;
  std::unique_ptr<services::Services> services;
};
Result<ServiceStore> OpenServices(const GlobalOptions& global);

// A whole file as text; InvalidArgument naming `field` when it cannot be read.
Result<std::string> ReadTextFile(const std::string& path, std::string_view field);
// JSON laid out for people (the `solve` outputs): objects one member a line; arrays of plain
// values, and rank lists (arrays of tiers of ids), on one line.
void WritePrettyJson(std::ostream& out, const boost::json::value& v, int indent = 0);

// Prints "error: <status>" (and field errors) to stderr; returns the process exit code (1, or 2
// for invalid input).
int Fail(const Status& status);

void AddInitCommand(CLI::App& app, GlobalOptions& global);    // cmd_init.cc
void AddImportCommand(CLI::App& app, GlobalOptions& global);  // cmd_import.cc
void AddDemoCommand(CLI::App& app, GlobalOptions& global);    // cmd_demo.cc
void AddServeCommand(CLI::App& app, GlobalOptions& global);   // cmd_serve.cc
void AddUserCommand(CLI::App& app, GlobalOptions& global);    // cmd_user.cc
void AddAssessCommand(CLI::App& app, GlobalOptions& global);  // cmd_assess.cc
void AddMatchCommand(CLI::App& app, GlobalOptions& global);   // cmd_match.cc
void AddDispatchCommand(CLI::App& app, GlobalOptions& global);  // cmd_dispatch.cc
void AddPairingCommand(CLI::App& app, GlobalOptions& global);  // cmd_pairing.cc
void AddEconomyCommand(CLI::App& app, GlobalOptions& global);  // cmd_economy.cc
void AddLinkageCommand(CLI::App& app, GlobalOptions& global);  // cmd_linkage.cc
void AddCultivationCommand(CLI::App& app, GlobalOptions& global);  // cmd_cultivation.cc

}  // namespace qiangji::cli

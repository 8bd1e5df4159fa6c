// qiangji init: creates the database (or brings an existing one to the current schema) and the
// key file for personal data beside it, and stores the default indicator set of the assessment.
// Safe to run again: nothing existing is overwritten.
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "services/services.h"

namespace qiangji::cli {

void AddInitCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("init", "create or upgrade the database and its key file");
  cmd->callback([&global] {
    auto db = OpenAndMigrate(global);
    if (!db.ok()) throw CLI::RuntimeError(Fail(db.status()));
    auto version = (*db)->QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_version", {},
                                   "schema version");
    if (!version.ok()) throw CLI::RuntimeError(Fail(version.status()));
    // A fresh database can run an assessment at once: the shipped default indicator set.
    if (Status st = services::EnsureDefaultIndicatorSet(**db); !st.ok())
      throw CLI::RuntimeError(Fail(st));
    auto secrets = services::Secrets::LoadOrCreate(global.KeyFile());
    if (!secrets.ok()) throw CLI::RuntimeError(Fail(secrets.status()));
    std::cout << fmt::format("database {} at schema version {}\n", global.db, version->Int(0));
    std::cout << fmt::format("key file {} (keep it: personal data cannot be read without it)\n",
                             global.KeyFile());
  });
}

}  // namespace qiangji::cli

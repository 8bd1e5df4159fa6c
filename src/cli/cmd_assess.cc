// qiangji assess run --period 2025 [--scope 130624] [--set ID] [--no-sensitivity]
// qiangji assess solve problem.json [-o result.json]
// qiangji assess list [--period 2025]
// qiangji assess verify --run ID | publish --run ID | finalize --run ID
// qiangji assess import --kind spot-checks --file x.csv [--format csv|json]
// The yearly classified assessment (issue 3). `solve` needs no database: it reads a standalone
// problem file (docs/assess-solve.md) and writes the result JSON. The others act on the database
// as the system caller (an administrator), like `qiangji user`. Exit code 2 for bad input.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "cli/commands.h"
#include "engines/assess/pipeline.h"
#include "services/assess.h"
#include "services/assess_json.h"
#include "services/services.h"

namespace qiangji::cli {
namespace {

namespace json = boost::json;

struct AssessArgs {
  int period = 0;
  std::string scope;
  int64_t set_id = 0;
  bool no_sensitivity = false;
  std::string problem;
  std::string output;
  int64_t run_id = 0;
  std::string kind;
  std::string file;
  std::string format;
};

// `qiangji assess solve`: bad input (unreadable file, malformed JSON, a field error, an AHP
// matrix with CR >= 0.10) exits 2 with the field path; anything else 1.
int Solve(const AssessArgs& args) {
  auto text = ReadTextFile(args.problem, "problem");
  if (!text.ok()) return Fail(text.status());
  // Numbers read exactly: a problem written by ProblemJson (a run's snapshot) solves to the
  // run's own hashes.
  auto doc = services::ParseJsonExact(*text, "problem");
  if (!doc.ok())
    return Fail(Status::InvalidField(
        "problem", fmt::format("{} is not valid JSON: {}", args.problem,
                               doc.status().field_errors().front().message)));
  auto input = services::ProblemFromJson(*doc);
  if (!input.ok()) return Fail(input.status());
  auto output = engines::assess::RunAssessment(*input);
  if (!output.ok()) {
    const int code = Fail(output.status());
    return output.status().code() == StatusCode::kFailedPrecondition ? 2 : code;
  }
  std::ostringstream pretty;
  WritePrettyJson(pretty, services::RunOutputJson(*output), 0);
  pretty << "\n";
  if (args.output.empty() || args.output == "-") {
    std::cout << pretty.str();
    return 0;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  out << pretty.str();
  out.close();
  if (!out) return Fail(Status::Internal(fmt::format("cannot write {}", args.output)));
  const auto& o = *output;
  std::cerr << fmt::format("{} villages -> {}; input hash {}, output hash {}\n",
                           o.villages.size(), args.output, o.input_hash, o.output_hash);
  return 0;
}

// Without --scope: the demo's county, or the one county the database holds.
Result<std::string> DefaultScope(services::Services& sv) {
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
  return Status::InvalidField("scope",
                              "the database holds several counties (or none): pass --scope");
}

std::string Stars(const std::vector<int64_t>& counts) {
  std::string out;
  for (size_t s = counts.size(); s-- > 1;) {
    out += fmt::format("{}{}★ {}", out.empty() ? "" : "  ", s, counts[s]);
  }
  return out.empty() ? "-" : out;
}

void PrintRun(const services::RunSummary& r) {
  fmt::print("run {}: {} {} {} ({}), indicator set {} v{} ({}, {})\n", r.id, r.year,
             r.scope_name, r.scope, r.status, r.indicator_set_key, r.indicator_set_version,
             r.weighting, r.method);
  fmt::print("  villages        {}\n", r.village_count);
  fmt::print("  stars           {}\n", Stars(r.star_counts));
  fmt::print("  model {}, weak-and-lax {}, early warnings {}\n", r.model_count, r.weak_lax_count,
             r.warning_count);
  fmt::print("  stable ratings  {:.1f}%\n", 100 * r.stable_share);
  fmt::print("  input hash      {}\n  output hash     {}\n", r.input_hash, r.output_hash);
  if (!r.published_at.empty())
    fmt::print("  published {}, notice until {}\n", r.published_at, r.notice_until);
  if (!r.finalized_at.empty()) fmt::print("  final since {}\n", r.finalized_at);
  if (r.open_appeals > 0) fmt::print("  open appeals    {}\n", r.open_appeals);
}

int RunOnDatabase(const GlobalOptions& global, const AssessArgs& args) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  services::Services& sv = *store->services;
  services::RunRequest req;
  req.year = args.period;
  req.indicator_set_id = args.set_id;
  req.sensitivity = !args.no_sensitivity;
  if (args.scope.empty()) {
    auto scope = DefaultScope(sv);
    if (!scope.ok()) return Fail(scope.status());
    req.scope = *scope;
  } else {
    req.scope = args.scope;
  }
  auto run = sv.assess.runs.Start(services::Caller::System(), req);
  if (!run.ok()) return Fail(run.status());
  PrintRun(*run);
  fmt::print("Publish it for its notice period with: qiangji --db {} assess publish --run {}\n",
             global.db, run->id);
  return 0;
}

int List(const GlobalOptions& global, const AssessArgs& args) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto runs = store->services->assess.runs.List(services::Caller::System(), args.period);
  if (!runs.ok()) return Fail(runs.status());
  fmt::print("{:>5} {:>4} {:<8} {:<9} {:<22} {:>8}  {:<30} {:<16} {}\n", "id", "year", "scope",
             "status", "indicator set", "villages", "stars (5..1)", "input hash", "output hash");
  for (const auto& r : *runs) {
    std::string stars;
    for (size_t s = r.star_counts.size(); s-- > 1;)
      stars += fmt::format("{}{}", stars.empty() ? "" : "/", r.star_counts[s]);
    fmt::print("{:>5} {:>4} {:<8} {:<9} {:<22} {:>8}  {:<30} {:<16} {}\n", r.id, r.year, r.scope,
               r.status, fmt::format("{} v{}", r.indicator_set_key, r.indicator_set_version),
               r.village_count, stars, r.input_hash, r.output_hash);
  }
  if (runs->empty()) fmt::print("(no runs yet: qiangji assess run --period YEAR)\n");
  return 0;
}

// verify / publish / finalize: one call on one run, then the run as it now is.
template <typename F>
int OnRun(const GlobalOptions& global, F&& op, std::string_view done) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  Result<services::RunSummary> run = op(store->services->assess.runs);
  if (!run.ok()) return Fail(run.status());
  PrintRun(*run);
  fmt::print("{}\n", done);
  return 0;
}

int Import(const GlobalOptions& global, const AssessArgs& args) {
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
  auto report = store->services->assess.evidence.Import(services::Caller::System(), args.kind,
                                                        format, *text);
  if (!report.ok()) return Fail(report.status());
  fmt::print("imported {} rows of {} from {}: {} new, {} replaced\n", report->rows, report->kind,
             args.file, report->inserted, report->updated);
  return 0;
}

void Check(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddAssessCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<AssessArgs>();
  CLI::App* cmd =
      app.add_subcommand("assess", "classified assessment and star rating (分类考核评星定级)");
  cmd->require_subcommand(1);

  CLI::App* run = cmd->add_subcommand("run", "run an assessment of a county on the database");
  run->add_option("--period", args->period, "the assessment year, e.g. 2025")
      ->required()
      ->check(CLI::Range(2000, 2100));
  run->add_option("--scope", args->scope,
                  "county code (default: the demo county, or the database's only county)");
  run->add_option("--set", args->set_id, "indicator set id (default: latest village-default)");
  run->add_flag("--no-sensitivity", args->no_sensitivity, "skip the weight-sensitivity draws");
  run->callback([&global, args] { Check(RunOnDatabase(global, *args)); });

  CLI::App* solve =
      cmd->add_subcommand("solve", "assess a standalone problem file (docs/assess-solve.md)");
  solve->add_option("problem", args->problem, "problem JSON file")->required();
  solve->add_option("-o,--output", args->output, "result JSON file (default: standard output)");
  solve->callback([args] { Check(Solve(*args)); });

  CLI::App* list = cmd->add_subcommand("list", "list the runs");
  list->add_option("--period", args->period, "only runs of this year");
  list->callback([&global, args] { Check(List(global, *args)); });

  CLI::App* verify =
      cmd->add_subcommand("verify", "recompute a run from its snapshot and compare the hashes");
  verify->add_option("--run", args->run_id, "run id")->required();
  verify->callback([&global, args] {
    Check(OnRun(
        global,
        [&](services::AssessRunService& runs) {
          return runs.Verify(services::Caller::System(), args->run_id);
        },
        "verified: the recomputed input and output hashes are the stored ones"));
  });

  CLI::App* publish =
      cmd->add_subcommand("publish", "publish a draft run for its public-notice period (公示)");
  publish->add_option("--run", args->run_id, "run id")->required();
  publish->callback([&global, args] {
    Check(OnRun(
        global,
        [&](services::AssessRunService& runs) {
          return runs.Publish(services::Caller::System(), args->run_id);
        },
        "published"));
  });

  CLI::App* finalize = cmd->add_subcommand(
      "finalize", "make a published run final (notice over, every appeal decided)");
  finalize->add_option("--run", args->run_id, "run id")->required();
  finalize->callback([&global, args] {
    Check(OnRun(
        global,
        [&](services::AssessRunService& runs) {
          return runs.Finalize(services::Caller::System(), args->run_id);
        },
        "final"));
  });

  CLI::App* import = cmd->add_subcommand(
      "import", "bulk import of one kind of evidence from a CSV or JSON file (all or nothing)");
  import->add_option("--kind", args->kind, "evidence kind")
      ->required()
      ->check(CLI::IsMember(
          {"periodic-ratings", "spot-checks", "duty-reports", "satisfaction-surveys"}));
  import->add_option("--file", args->file, "the file")->required();
  import->add_option("--format", args->format, "csv or json (default: from the file's extension)")
      ->check(CLI::IsMember({"csv", "json"}));
  import->callback([&global, args] { Check(Import(global, *args)); });
}

}  // namespace qiangji::cli

// qiangji match solve problem.json [-o result.json]
// Dispatch by two-way selection (双选派, issue 4) on a standalone problem file
// (docs/match-solve.md): no database. Exit code 2 for bad input (unreadable file, malformed JSON,
// any field error, each named by its JSON path), 1 for anything else.
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "cli/commands.h"
#include "engines/match/fit.h"
#include "services/assess_json.h"
#include "services/match_json.h"

namespace qiangji::cli {
namespace {

namespace json = boost::json;

struct MatchArgs {
  std::string problem;
  std::string output;
};

int Solve(const MatchArgs& args) {
  auto text = ReadTextFile(args.problem, "problem");
  if (!text.ok()) return Fail(text.status());
  auto doc = services::ParseJsonExact(*text, "problem");
  if (!doc.ok())
    return Fail(
        Status::InvalidField("problem", fmt::format("{} is not valid JSON: {}", args.problem,
                                                    doc.status().field_errors().front().message)));
  auto problem = services::MatchProblemFromJson(*doc);
  if (!problem.ok()) return Fail(problem.status());
  auto result = engines::match::SolveDispatch(*problem);
  if (!result.ok()) return Fail(result.status());
  std::ostringstream pretty;
  WritePrettyJson(pretty, services::MatchResultJson(*problem, *result), 0);
  pretty << "\n";
  if (args.output.empty() || args.output == "-") {
    std::cout << pretty.str();
    return 0;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  out << pretty.str();
  out.close();
  if (!out) return Fail(Status::Internal(fmt::format("cannot write {}", args.output)));
  const auto& r = *result;
  int matched = 0;
  for (int v : r.assignment) matched += v >= 0 ? 1 : 0;
  std::cerr << fmt::format(
      "{} of {} people matched -> {}; blocking pairs {} of {} checked; input hash {}, output hash "
      "{}\n",
      matched, r.assignment.size(), args.output, r.certificate.blocking_pairs,
      r.certificate.checked_pairs, r.input_hash, r.output_hash);
  return 0;
}

void Check(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddMatchCommand(CLI::App& app, GlobalOptions& /*global*/) {
  auto args = std::make_shared<MatchArgs>();
  CLI::App* cmd = app.add_subcommand("match", "dispatch by two-way selection (双选派)");
  cmd->require_subcommand(1);
  CLI::App* solve = cmd->add_subcommand(
      "solve", "match people and villages from a standalone problem file (docs/match-solve.md)");
  solve->add_option("problem", args->problem, "problem JSON file")->required();
  solve->add_option("-o,--output", args->output, "result JSON file (default: standard output)");
  solve->callback([args] { Check(Solve(*args)); });
}

}  // namespace qiangji::cli

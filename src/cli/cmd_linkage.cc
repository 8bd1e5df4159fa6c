// qiangji linkage propose --county 130624 --year 2025
// qiangji linkage list --year 2025 [--kind incentive|promotion|honours|adjustment] [--under P]
// 双挂钩 linkage (issue 5; docs/linkage.md) on the database, as the system caller (an
// administrator) like `qiangji economy`. `propose` computes the year's lists under the county's
// current policy (saving the documented default as version 1 when none is saved) and stores them
// as proposed decisions, keeping those already approved or rejected; it prints one line per list
// and the JSON of the decisions. `list` prints the decisions with their reasons and steps as
// JSON ({items: [..]}, the API's shape). Exit code 2 for bad input.
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.h"
#include "common/money.h"
#include "services/economy.h"
#include "services/linkage_json.h"
#include "services/services.h"

namespace qiangji::cli {
namespace {

struct LinkageArgs {
  std::string county;
  int year = 0;
  std::string kind;
  std::string under;
};

boost::json::object ItemsOf(const std::vector<services::LinkageDecision>& list) {
  boost::json::array items;
  for (const services::LinkageDecision& d : list) items.push_back(services::LinkageDecisionJson(d));
  return {{"items", std::move(items)}};
}

int Propose(const GlobalOptions& global, const LinkageArgs& args) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto list =
      store->services->economy.linkage.Propose(services::Caller::System(), args.county, args.year);
  if (!list.ok()) return Fail(list.status());
  std::map<std::string, std::map<std::string, int64_t>> counts;  // kind -> status -> n
  int64_t incentive_fen = 0;
  int version = 0;
  for (const services::LinkageDecision& d : *list) {
    ++counts[d.kind][d.status];
    if (d.kind == "incentive" && d.status != "rejected") incentive_fen += d.amount_fen;
    if (d.status == "proposed") version = d.policy_version;
  }
  std::cerr << fmt::format("linkage lists of {} for {}{}:\n", args.county, args.year,
                           version ? fmt::format(" (policy version {})", version) : "");
  for (std::string_view kind : {"incentive", "promotion", "honours", "adjustment"}) {
    std::string line;
    for (const auto& [status, n] : counts[std::string(kind)])
      line += fmt::format("{}{} {}", line.empty() ? "" : ", ", n, status);
    std::cerr << fmt::format("  {:<10} {}\n", kind, line.empty() ? "none" : line);
  }
  std::cerr << fmt::format("  incentives total {} yuan (not rejected)\n",
                           Money::FromFen(incentive_fen).ToString());
  WritePrettyJson(std::cout, ItemsOf(*list));
  std::cout << "\n";
  return 0;
}

int List(const GlobalOptions& global, const LinkageArgs& args) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto list = store->services->economy.linkage.Decisions(services::Caller::System(), args.under,
                                                         args.year, args.kind);
  if (!list.ok()) return Fail(list.status());
  WritePrettyJson(std::cout, ItemsOf(*list));
  std::cout << "\n";
  return 0;
}

void Check(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddLinkageCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<LinkageArgs>();
  CLI::App* cmd = app.add_subcommand(
      "linkage", "双挂钩: incentives, promotion, honours and adjustment lists of a county");
  cmd->require_subcommand(1);

  CLI::App* propose = cmd->add_subcommand(
      "propose", "compute the year's lists under the county's policy and store them as proposed");
  propose->add_option("--county", args->county, "the county's 6-digit code, e.g. 130624")
      ->required();
  propose->add_option("--year", args->year, "the year under review")
      ->required()
      ->check(CLI::Range(2000, 2100));
  propose->callback([&global, args] { Check(Propose(global, *args)); });

  CLI::App* list = cmd->add_subcommand("list", "print the decisions with reasons and steps");
  list->add_option("--year", args->year, "the year under review")
      ->required()
      ->check(CLI::Range(2000, 2100));
  list->add_option("--kind", args->kind, "incentive, promotion, honours or adjustment")
      ->check(CLI::IsMember({"incentive", "promotion", "honours", "adjustment"}));
  list->add_option("--under", args->under, "division prefix to narrow to, e.g. 130624100");
  list->callback([&global, args] { Check(List(global, *args)); });
}

}  // namespace qiangji::cli

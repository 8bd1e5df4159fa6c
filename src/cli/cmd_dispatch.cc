// qiangji dispatch list
// qiangji dispatch needs [--under 130624100] [--top 20]
// qiangji dispatch import-cadres --file cadres.csv [--format csv|json] [--county 130624]
//                                [--kind cadre|worthy]
// qiangji dispatch open --round ID | run --round ID [--json] | confirm --round ID
// Dispatch (双选派, issue 4) on the database, as the system caller (an administrator) like
// `qiangji assess`: rounds of every role (first secretaries, resident, circuit and tracking
// instructors, advisors), whatever their receivers (villages, circuits, projects). `run` prints what a county reviews before confirming:
// the stability certificate (blocking pairs counted by the independent checker), total fit
// against the optimum (the price of stability), who is left unmatched and why, and the hashes.
// Exit code 2 for bad input.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "cli/commands.h"
#include "common/division_code.h"
#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/services.h"

namespace qiangji::cli {
namespace {

struct DispatchArgs {
  int64_t round_id = 0;
  std::string under;
  int top = 20;
  std::string file;
  std::string format;
  std::string county;
  std::string kind = "cadre";  // import-cadres: the kind of rows without a kind column
  bool json = false;
};

std::string Code(int64_t code) {
  auto c = DivisionCode::FromInt(code);
  return c.ok() ? c->ToString() : std::to_string(code);
}

void PrintRound(const domain::DispatchRound& r) {
  fmt::print("round {}: {} ({}), scope {}, role {}, mode {}, proposing {}, seed {}\n", r.id,
             r.name, r.status, r.scope, r.role, r.mode, r.proposing, r.seed);
  fmt::print("  start date {}; avoid home county {}, at most {} per unit per township, "
             "min priority {:.0f}\n",
             r.start_date.ToString(), r.rules.avoid_home_county ? "yes" : "no",
             r.rules.max_per_unit_per_township, r.rules.min_priority);
  if (r.role == "instructor_circuit")
    fmt::print("  circuit capacity {} villages per instructor\n", r.rules.circuit_capacity);
}

// A receiver's id as users read it: a village's code, a circuit's or project's id.
std::string ReceiverId(const domain::DispatchRound& round, int64_t id) {
  const std::string_view kind = services::ReceiverKindOfRole(round.role);
  if (kind == "village") return Code(id);
  return fmt::format("{} {}", kind, id);
}

void PrintResult(const services::RoundResult& r) {
  PrintRound(r.round);
  fmt::print("  matched         {}\n", r.assignments.size());
  fmt::print("  stability       {} blocking pairs of {} checked ({})\n", r.blocking_pairs,
             r.checked_pairs, r.blocking_pairs == 0 ? "stable" : "NOT STABLE");
  fmt::print("  total fit       {:.3f} (optimal {:.3f}, price of stability {:.1f}%)\n",
             r.total_fit, r.optimal_fit, 100 * r.price_of_stability);
  const std::string_view kind = services::ReceiverKindOfRole(r.round.role);
  fmt::print("  derived lists   {} {}, {} {}\n", r.derived_cadre_lists,
             r.round.role == "advisor" ? "local worthies" : "cadres", r.derived_village_lists,
             kind == "circuit" ? "circuits" : kind == "project" ? "projects" : "villages");
  fmt::print("  input hash      {}\n  output hash     {}\n", r.input_hash, r.output_hash);
  auto name_of = [](const std::vector<std::pair<int64_t, std::string>>& names, int64_t id) {
    for (const auto& [k, v] : names)
      if (k == id) return v;
    return std::string();
  };
  if (!r.assignments.empty()) fmt::print("assignments:\n");
  for (const domain::Assignment& a : r.assignments) {
    if (a.unit_id != 0) {
      fmt::print("  {} ({}) -> {} {}  fit {:.3f}, ranks {}/{}", name_of(r.cadre_names, a.cadre_id),
                 a.cadre_id, ReceiverId(r.round, a.unit_id), name_of(r.unit_names, a.unit_id),
                 a.fit, a.cadre_rank, a.village_rank);
    } else {
      fmt::print("  {} ({}) -> {} {}  fit {:.3f}, ranks {}/{}", name_of(r.cadre_names, a.cadre_id),
                 a.cadre_id, Code(a.division_code), name_of(r.village_names, a.division_code),
                 a.fit, a.cadre_rank, a.village_rank);
    }
    if (a.start_date)
      fmt::print("  {} .. {}", a.start_date->ToString(),
                 a.end_date ? a.end_date->ToString() : std::string("?"));
    if (!a.post_ids.empty() && a.post_ids.size() > 1) {
      fmt::print("  posts");
      for (int64_t id : a.post_ids) fmt::print(" {}", id);
    } else if (a.post_id > 0) {
      fmt::print("  post {}", a.post_id);
    }
    fmt::print("\n");
    if (r.round.role == "instructor_circuit") {
      std::string covers;
      for (int64_t v : a.villages)
        covers += fmt::format("{}{} {}", covers.empty() ? "" : ", ", Code(v), name_of(r.village_names, v));
      fmt::print("      covers {}\n", covers);
    }
  }
  if (!r.unmatched.empty()) fmt::print("unmatched ({}):\n", r.unmatched.size());
  for (const services::Unmatched& u : r.unmatched)
    fmt::print("  {} {} {}: {}\n", u.side,
               u.side == "village" ? ReceiverId(r.round, u.id) : std::to_string(u.id), u.name,
               u.reason);
  if (!r.uncovered.empty()) fmt::print("uncovered villages ({}):\n", r.uncovered.size());
  for (const services::RoundResult::Uncovered& u : r.uncovered)
    fmt::print("  {} {} ({}): {}\n", Code(u.division_code), u.name, u.unit_name, u.reason);
}

int List(const GlobalOptions& global) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto rounds = store->services->dispatch.rounds.List(services::Caller::System());
  if (!rounds.ok()) return Fail(rounds.status());
  fmt::print("{:>5} {:<8} {:<16} {:<19} {:<8} {:<9} {:<10} {}\n", "id", "scope", "status", "role",
             "mode", "proposing", "start", "name");
  for (const domain::DispatchRound& r : *rounds)
    fmt::print("{:>5} {:<8} {:<16} {:<19} {:<8} {:<9} {:<10} {}\n", r.id, r.scope, r.status,
               r.role, r.mode, r.proposing, r.start_date.ToString(), r.name);
  if (rounds->empty()) fmt::print("(no rounds yet)\n");
  return 0;
}

int Needs(const GlobalOptions& global, const DispatchArgs& args) {
  services::NeedsQuery q;
  if (!args.under.empty()) {
    auto code = DivisionCode::Parse(args.under);
    if (!code.ok())
      return Fail(Status::InvalidField("under", code.status().field_errors().empty()
                                                    ? code.status().message()
                                                    : code.status().field_errors()[0].message));
    q.under = code->Prefix();
  }
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto report = store->services->dispatch.needs.List(services::Caller::System(), q);
  if (!report.ok()) return Fail(report.status());
  int64_t needing = 0, covered = 0;
  for (const auto& t : report->by_township) {
    needing += t.needing;
    covered += t.covered;
  }
  fmt::print("{} villages, {} need a first secretary, {} of them have one\n",
             report->villages.size(), needing, covered);
  const size_t top = std::min(report->villages.size(), static_cast<size_t>(std::max(args.top, 0)));
  for (size_t i = 0; i < top; ++i) {
    const domain::VillageNeed& n = report->villages[i];
    fmt::print("{:>3}. {} {} {} priority {:.1f}{}{}\n", i + 1, Code(n.division_code),
               n.township_name, n.name, n.priority, n.needs_first_secretary ? ", needs one" : "",
               n.has_first_secretary ? ", has one" : "");
    for (const domain::NeedReason& r : n.reasons)
      fmt::print("       +{:.1f} {}: {}\n", r.points, r.source, r.evidence);
    std::string posts;
    for (const domain::NeededPost& p : n.posts) {
      posts += (posts.empty() ? "" : ", ") + p.role;
      if (!p.work_type.empty()) posts += ":" + p.work_type;
      if (p.project_id != 0) posts += fmt::format(" (project {} {})", p.project_id, p.project_name);
    }
    if (!posts.empty()) fmt::print("       posts needed: {}\n", posts);
  }
  if (!report->by_township.empty()) fmt::print("by township (villages / needing / covered):\n");
  for (const auto& t : report->by_township)
    fmt::print("  {} {}  {} / {} / {}\n", Code(t.township_code), t.township_name, t.villages,
               t.needing, t.covered);
  return 0;
}

// Without --county: the demo's county, or the one county the database holds (as `assess run`).
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

// The system caller narrowed to one county, so that rows without a county_code join its pool.
Result<services::Caller> CountyCaller(services::Services& sv, const std::string& given) {
  std::string county = given;
  if (county.empty()) {
    QJ_ASSIGN_OR_RETURN(county, DefaultCounty(sv));
  }
  auto range = ParseScopePrefix(county);
  if (county.size() != 6 || !range.ok())
    return Status::InvalidField("county", "must be a county's 6 digits, e.g. 130624");
  services::Caller caller = services::Caller::System();
  caller.scope_prefix = county;
  caller.scope = *range;
  return caller;
}

int ImportCadres(const GlobalOptions& global, const DispatchArgs& args) {
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
  auto caller = CountyCaller(*store->services, args.county);
  if (!caller.ok()) return Fail(caller.status());
  auto created = store->services->dispatch.pool.Import(*caller, format, text.str(), args.kind);
  if (!created.ok()) return Fail(created.status());
  fmt::print("imported {} cadres into the pool of {} from {}\n", *created, caller->scope_prefix,
             args.file);
  return 0;
}

int OpenRound(const GlobalOptions& global, const DispatchArgs& args) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  services::DispatchRoundService& rounds = store->services->dispatch.rounds;
  auto round = rounds.Open(services::Caller::System(), args.round_id);
  if (!round.ok()) return Fail(round.status());
  PrintRound(*round);
  auto cadres = rounds.Cadres(services::Caller::System(), args.round_id);
  auto villages = rounds.Villages(services::Caller::System(), args.round_id);
  if (cadres.ok() && villages.ok()) {
    const std::string_view kind = services::ReceiverKindOfRole(round->role);
    fmt::print("  participants    {} {}, {} {}\n", cadres->size(),
               round->role == "advisor" ? "local worthies" : "cadres", villages->size(),
               kind == "circuit" ? "circuits" : kind == "project" ? "projects" : "villages");
  }
  fmt::print("preferences are open; match with: qiangji --db {} dispatch run --round {}\n",
             global.db, round->id);
  return 0;
}

// run / confirm: one call on one round, then its result.
template <typename F>
int OnResult(const GlobalOptions& global, const DispatchArgs& args, F&& op,
             std::string_view done) {
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  Result<services::RoundResult> result = op(store->services->dispatch.rounds);
  if (!result.ok()) return Fail(result.status());
  if (args.json) {
    std::cout << api::ToJsonText(services::RoundResultJson(*result)) << "\n";
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

void AddDispatchCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<DispatchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "dispatch",
      "dispatch of first secretaries, instructors and advisors by two-way selection (双选派)");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "list the dispatch rounds");
  list->callback([&global] { Check(List(global)); });

  CLI::App* needs =
      cmd->add_subcommand("needs", "villages' needs with their reasons, highest priority first");
  needs->add_option("--under", args->under, "division prefix to narrow to, e.g. 130624100");
  needs->add_option("--top", args->top, "how many villages to show (default 20)")
      ->check(CLI::Range(0, 100000));
  needs->callback([&global, args] { Check(Needs(global, *args)); });

  CLI::App* import = cmd->add_subcommand(
      "import-cadres", "add cadres to the pool from a CSV or JSON file (all or nothing)");
  import->add_option("--file", args->file, "the file")->required();
  import->add_option("--format", args->format, "csv or json (default: from the file's extension)")
      ->check(CLI::IsMember({"csv", "json"}));
  import->add_option("--county", args->county,
                     "the pool's county for rows without county_code (default: the demo county, "
                     "or the database's only county)");
  import->add_option("--kind", args->kind,
                     "cadre (default) or worthy (乡贤): the kind of rows without a kind column")
      ->check(CLI::IsMember({"cadre", "worthy"}));
  import->callback([&global, args] { Check(ImportCadres(global, *args)); });

  CLI::App* open = cmd->add_subcommand(
      "open", "open a draft round for preferences (snapshots cadres and villages)");
  open->add_option("--round", args->round_id, "round id")->required();
  open->callback([&global, args] { Check(OpenRound(global, *args)); });

  CLI::App* run = cmd->add_subcommand(
      "run", "match a round and print its stability certificate, fit and unmatched");
  run->add_option("--round", args->round_id, "round id")->required();
  run->add_flag("--json", args->json, "print the result as JSON (the API's RoundResult)");
  run->callback([&global, args] {
    Check(OnResult(
        global, *args,
        [&](services::DispatchRoundService& rounds) {
          return rounds.Run(services::Caller::System(), args->round_id);
        },
        fmt::format("Confirm it with: qiangji --db {} dispatch confirm --round {}", global.db,
                    args->round_id)));
  });

  CLI::App* confirm = cmd->add_subcommand(
      "confirm", "confirm a matched round: appoint its posts (first secretaries, instructors or "
                 "advisors) with their terms");
  confirm->add_option("--round", args->round_id, "round id")->required();
  confirm->add_flag("--json", args->json, "print the result as JSON (the API's RoundResult)");
  confirm->callback([&global, args] {
    Check(OnResult(
        global, *args,
        [&](services::DispatchRoundService& rounds) {
          return rounds.Confirm(services::Caller::System(), args->round_id);
        },
        "confirmed"));
  });
}

}  // namespace qiangji::cli

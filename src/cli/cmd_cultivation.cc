// qiangji cultivation funnel [--division CODE] [--level village|township|county]
// qiangji cultivation health --village CODE | --division CODE
// qiangji cultivation reminders [--division CODE]
// qiangji cultivation coverage [--division CODE] [--year N]
// Cultivation (双培养, issue 6; docs/cultivation.md) on the database as the system caller, like
// `qiangji economy`: each prints the API's JSON for the same question. Exit code 2 for bad input.
#include <iostream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.h"
#include "common/division_code.h"
#include "services/cultivation.h"
#include "services/cultivation_json.h"
#include "services/services.h"

namespace qiangji::cli {
namespace {

struct CultivationArgs {
  std::string division;
  std::string village;
  std::string level = "township";
  int year = 0;
};

Status CheckDivision(const std::string& code, std::string_view field) {
  if (code.empty()) return Status::Ok();
  auto range = ParseScopePrefix(code);
  if (range.ok()) return Status::Ok();
  return Status::InvalidField(std::string(field), range.status().field_errors().empty()
                                                      ? range.status().message()
                                                      : range.status().field_errors()[0].message);
}

int Print(const boost::json::value& v) {
  WritePrettyJson(std::cout, v);
  std::cout << "\n";
  return 0;
}

template <typename T, typename F>
int Run(const GlobalOptions& global, const CultivationArgs& args, T&& call, F&& to_json) {
  if (Status st = CheckDivision(args.division, "division"); !st.ok()) return Fail(st);
  auto store = OpenServices(global);
  if (!store.ok()) return Fail(store.status());
  auto result = call(store->services->cultivation, services::Caller::System());
  if (!result.ok()) return Fail(result.status());
  return Print(to_json(*result));
}

void Check(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddCultivationCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<CultivationArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cultivation", "双培养: membership funnel, reminders, team health and training coverage");
  cmd->require_subcommand(1);

  CLI::App* funnel =
      cmd->add_subcommand("funnel", "print the membership funnel as JSON (stages per group)");
  funnel->add_option("--division", args->division, "division prefix, e.g. 130624 (default: all)");
  funnel->add_option("--level", args->level, "group by village, township (default) or county")
      ->check(CLI::IsMember({"village", "township", "county"}));
  funnel->callback([&global, args] {
    Check(Run(
        global, *args,
        [&](services::CultivationServices& s, const services::Caller& c) {
          return s.membership.FunnelCounts(c, args->division, args->level);
        },
        services::FunnelJson));
  });

  CLI::App* health = cmd->add_subcommand(
      "health", "print a village's team health (--village) or every village's (--division)");
  health->add_option("--village", args->village, "12-digit village code");
  health->add_option("--division", args->division, "division prefix, e.g. 130624100");
  health->callback([&global, args] {
    if (!args->village.empty()) {
      Check(Run(
          global, *args,
          [&](services::CultivationServices& s, const services::Caller& c) {
            return s.health.Village(c, args->village);
          },
          services::VillageTeamHealthJson));
      return;
    }
    Check(Run(
        global, *args,
        [&](services::CultivationServices& s, const services::Caller& c) {
          return s.health.Under(c, args->division);
        },
        services::TeamHealthReportJson));
  });

  CLI::App* reminders = cmd->add_subcommand(
      "reminders", "print due and overdue membership steps (activist a year, probation ending)");
  reminders->add_option("--division", args->division, "division prefix (default: all)");
  reminders->callback([&global, args] {
    Check(Run(
        global, *args,
        [&](services::CultivationServices& s, const services::Caller& c) {
          return s.membership.Reminders(c, args->division);
        },
        [](const std::vector<services::Reminder>& list) {
          boost::json::array items;
          for (const auto& r : list) items.push_back(services::ReminderJson(r));
          return boost::json::value(boost::json::object{{"items", std::move(items)}});
        }));
  });

  CLI::App* coverage = cmd->add_subcommand(
      "coverage", "print training coverage of cadres against the annual hours required");
  coverage->add_option("--division", args->division, "division prefix (default: all)");
  coverage->add_option("--year", args->year, "calendar year (default: this year)")
      ->check(CLI::Range(2000, 2100));
  coverage->callback([&global, args] {
    Check(Run(
        global, *args,
        [&](services::CultivationServices& s, const services::Caller& c) {
          return s.training.Coverage(
              c, args->division, args->year != 0 ? args->year : Date::TodayInChina().year());
        },
        services::CoverageJson));
  });
}

}  // namespace qiangji::cli

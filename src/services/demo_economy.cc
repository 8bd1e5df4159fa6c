// Demo collective economy and linkage. The ledgers are engines/demo/economy_synth's (calibrated
// band shares, storylines: steady, growing, leaving weak status, declining); this file only
// writes them, and what a county would do with them, through the services at the demo's county
// user: register the collectives, file the reports, save the policy, record where some projects'
// money came from, propose the year's lists and approve part of them. All invented; the UI's
// demo banner says so.
#include "services/demo_economy.h"

#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engines/demo/economy_synth.h"
#include "engines/rng.h"
#include "services/economy.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using storage::Value;

constexpr int kYears = 5;

// "白河村村民委员会" -> "白河村": a collective is named after the village, not its committee.
std::string VillageShortName(const std::string& name) {
  constexpr std::string_view kCommittee = "村民委员会";
  constexpr std::string_view kCommitteeShort = "村委会";
  for (std::string_view suffix : {kCommittee, kCommitteeShort})
    if (name.size() > suffix.size() + 3 && name.ends_with(suffix))
      return name.substr(0, name.size() - suffix.size());
  return name;
}

Caller UserCaller(const storage::Row& r) {
  Caller c;
  c.user_id = r.Int(0);
  c.username = r.Text(1);
  c.role = r.Text(2) == "township" ? domain::Role::kTownship : domain::Role::kCounty;
  c.scope_prefix = r.Text(3);
  auto range = ParseScopePrefix(c.scope_prefix);
  if (range.ok()) c.scope = *range;
  return c;
}

struct Funder {
  std::string_view source;
  std::string_view funder;
  int64_t lo_yuan, hi_yuan;
  std::string_view note;
};

// clang-format off
constexpr Funder kGovernment[] = {
    {"government", "县财政衔接推进乡村振兴补助资金", 300'000, 1'500'000, "列入县级项目库，分两期拨付"},
    {"government", "省级扶持壮大村级集体经济试点资金", 500'000, 1'000'000, "试点村，按进度拨付"},
    {"government", "高标准农田建设专项资金", 400'000, 1'200'000, ""},
};
constexpr Funder kCollective[] = {
    {"collective", "村集体经济组织自筹", 50'000, 200'000, "经成员代表大会表决"},
};
// clang-format on

}  // namespace

Result<DemoEconomyReport> BuildDemoEconomy(Env env, const std::string& county, uint64_t seed,
                                           const Date& today) {
  DemoEconomyReport out;
  QJ_ASSIGN_OR_RETURN(const DivisionRange range, ParseScopePrefix(county));
  std::vector<domain::Division> divisions;
  std::optional<Caller> staff, town;
  std::vector<int64_t> projects;  // the demo's village projects, by id
  std::vector<std::string> enterprises;
  {
    auto db = env.pool->Acquire();
    QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
      QJ_ASSIGN_OR_RETURN(
          auto rows,
          db->Query(fmt::format("SELECT {} FROM division WHERE code BETWEEN ? AND ? ORDER BY code",
                                internal::kDivisionColumns),
                    {Value(range.lo), Value(range.hi)}));
      for (const auto& row : rows) divisions.push_back(internal::DivisionFromRow(row, 0));
      QJ_ASSIGN_OR_RETURN(auto users,
                          db->Query("SELECT id, username, role, scope FROM app_user"
                                    " WHERE role IN ('county', 'township') AND disabled = 0"
                                    " ORDER BY id",
                                    {}));
      for (const auto& u : users) {
        if (u.Text(2) == "county" && u.Text(3) == county && !staff) staff = UserCaller(u);
        if (u.Text(2) == "township" && u.Text(3).starts_with(county) && !town) town = UserCaller(u);
      }
      QJ_ASSIGN_OR_RETURN(auto rows2, db->Query("SELECT id FROM project WHERE division_code"
                                                " BETWEEN ? AND ? ORDER BY id",
                                                {Value(range.lo), Value(range.hi)}));
      for (const auto& r : rows2) projects.push_back(r.Int(0));
      QJ_ASSIGN_OR_RETURN(auto firms, db->Query("SELECT name FROM enterprise WHERE county_code = ?"
                                                " ORDER BY id",
                                                {Value(range.lo)}));
      for (const auto& r : firms) enterprises.push_back(r.Text(0));
      return Status::Ok();
    }));
  }
  // Without the demo's county user (a partial demo), the system writes everything.
  const Caller writer = staff.value_or(Caller::System());

  // ---- collectives and five years of reports
  engines::demo::EconomySynthOptions synth;
  synth.seed = seed;
  synth.first_year = today.year() - kYears;
  synth.years = kYears;
  engines::demo::DemoEconomy economy = engines::demo::SynthesizeEconomy(divisions, synth);
  out.first_year = synth.first_year;
  out.last_year = synth.first_year + kYears - 1;
  EconomyServices services(env);
  std::map<int64_t, int64_t> collective_of;  // village -> collective id
  std::map<int64_t, std::string> village_names;
  for (const auto& d : divisions) village_names[d.code] = d.name;
  for (domain::Collective c : economy.collectives) {
    const std::string& village = village_names[c.division_code];
    const std::string short_name = VillageShortName(village);
    if (short_name != village && c.name.starts_with(village))
      c.name = short_name + c.name.substr(village.size());
    QJ_ASSIGN_OR_RETURN(domain::Collective stored, services.collectives.Create(writer, c));
    collective_of[stored.division_code] = stored.id;
    ++out.collectives;
  }
  for (domain::AnnualReport r : economy.reports) {
    r.collective_id = collective_of.at(r.division_code);
    QJ_RETURN_IF_ERROR(services.collectives.PutReport(writer, std::move(r)).status());
    ++out.reports;
  }
  if (out.collectives == 0) return out;  // no villagers' committees: nothing to link

  // ---- the policy: the documented default, saved as version 1 with the county's note
  LinkagePolicy policy = DefaultLinkagePolicy(county);
  policy.note = fmt::format("按县委组织部{}年“双挂钩”实施办法（演示）", out.last_year);
  QJ_ASSIGN_OR_RETURN(LinkagePolicy saved, services.linkage.SavePolicy(writer, policy));
  out.policy_version = saved.version;

  // ---- funding: two projects in three found money (government, often with an enterprise or
  // the collective's own share); the rest still look for it.
  engines::Rng rng(engines::MixSeed(seed, 0x66756e64696e67ULL));  // "funding"
  for (size_t i = 0; i < projects.size(); ++i) {
    if (i % 3 == 2) continue;
    std::vector<ProjectFunding> rows;
    const Funder& g = kGovernment[rng.Below(std::size(kGovernment))];
    rows.push_back({0, projects[i], 0, std::string(g.source), std::string(g.funder),
                    rng.Between(g.lo_yuan / 10'000, g.hi_yuan / 10'000) * 1'000'000,
                    std::string(g.note)});
    if (!enterprises.empty() && rng.Permille(500))
      rows.push_back({0, projects[i], 0, "enterprise",
                      enterprises[rng.Below(enterprises.size())],
                      rng.Between(10, 50) * 1'000'000, "企到村结对帮扶投入"});
    if (rng.Permille(400)) {
      const Funder& c = kCollective[0];
      rows.push_back({0, projects[i], 0, std::string(c.source), std::string(c.funder),
                      rng.Between(c.lo_yuan / 10'000, c.hi_yuan / 10'000) * 1'000'000,
                      std::string(c.note)});
    }
    for (ProjectFunding& f : rows)
      QJ_RETURN_IF_ERROR(services.funding.Add(writer, std::move(f)).status());
    ++out.funded_projects;
  }

  // ---- the year's lists, proposed; of each kind, one in three stays proposed, one in three is
  // approved by the township, one in three by the township and then the county.
  QJ_ASSIGN_OR_RETURN(std::vector<LinkageDecision> decisions,
                      services.linkage.Propose(writer, county, out.last_year));
  std::map<std::string, int> seen;
  for (const LinkageDecision& d : decisions) {
    ++out.decisions;
    const int n = seen[d.kind]++;
    if (d.status != "proposed" || n % 3 == 0) continue;
    const Caller& township =
        town && town->InScope(d.division_code) ? *town : writer;  // the county may act for it
    QJ_RETURN_IF_ERROR(services.linkage
                           .Decide(township, d.id, "township_approved",
                                   "经乡镇党委会议研究，同意上报（演示）")
                           .status());
    if (n % 3 == 1) {
      ++out.township_approved;
      continue;
    }
    QJ_RETURN_IF_ERROR(
        services.linkage.Decide(writer, d.id, "county_approved", "经县委组织部部务会审定（演示）")
            .status());
    ++out.county_approved;
  }
  return out;
}

}  // namespace qiangji::services

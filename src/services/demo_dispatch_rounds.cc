// The demo's dispatch rounds go through the round service's own functions
// (dispatch_round_internal.h) at the dates a county would have used, so their audit rows, derived
// lists, certificates and posts read like a real history. The lists entered in this year's round
// are plain choices a cadre or a township would make: villages needing what the cadre brings,
// highest priority first; cadres bringing what the village needs most.
#include "services/demo_dispatch_rounds.h"

#include <algorithm>

#include <fmt/format.h>

#include "services/dispatch.h"
#include "services/dispatch_round_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr size_t kListLength = 3;

bool Brings(const domain::Cadre& c, const std::string& skill) {
  return std::find(c.skills.begin(), c.skills.end(), skill) != c.skills.end();
}

bool HomeClash(const domain::Cadre& c, int64_t village) {
  return c.home_code / 1'000'000 == village / 1'000'000;
}

}  // namespace

Result<DemoDispatchRounds> BuildDemoDispatchRounds(Env env, const std::string& county_prefix,
                                                   const Date& today) {
  DemoDispatchRounds out;
  Caller staff;
  staff.username = "county_admin";
  staff.role = domain::Role::kCounty;
  staff.scope_prefix = county_prefix;
  QJ_ASSIGN_OR_RETURN(staff.scope, ParseScopePrefix(county_prefix));
  {
    auto db = env.pool->Acquire();
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query("SELECT id FROM app_user WHERE username = ?",
                                             {Value(staff.username)}));
    if (!rows.empty()) staff.user_id = rows[0].Int(0);
    QJ_ASSIGN_OR_RETURN(auto pool, db->Query("SELECT COUNT(*) FROM cadre WHERE county_code = ?",
                                             {Value(staff.scope.lo)}));
    if (pool.at(0).Int(0) == 0) return out;  // no pool: no rounds
  }
  DispatchRoundService rounds(env);
  auto is_empty = [](const Status& s) { return s.code() == StatusCode::kFailedPrecondition; };

  // Last term's round: confirmed a fortnight before its start.
  const Date last_start = today.AddDays(16).AddMonths(-24);
  domain::DispatchRound last;
  last.name = fmt::format("{}年第一书记选派", last_start.year());
  last.start_date = last_start;
  last.seed = 20'240'000 + static_cast<uint64_t>(last_start.year());
  QJ_ASSIGN_OR_RETURN(last, CreateRound(env, staff, last, ClockAt(last_start.AddDays(-30))));
  auto opened = OpenRound(env, staff, last.id, ClockAt(last_start.AddDays(-28)));
  if (!opened.ok() && is_empty(opened.status())) {  // no village in need: nothing to show
    QJ_RETURN_IF_ERROR(rounds.Delete(staff, last.id));
    return out;
  }
  QJ_RETURN_IF_ERROR(opened.status());
  QJ_RETURN_IF_ERROR(RunRound(env, staff, last.id, ClockAt(last_start.AddDays(-20))).status());
  QJ_ASSIGN_OR_RETURN(RoundResult confirmed,
                      ConfirmRound(env, staff, last.id, ClockAt(last_start.AddDays(-14))));
  out.confirmed_round = last.id;
  out.posts = static_cast<int64_t>(confirmed.assignments.size());

  // This year's round: open today, about half the lists entered.
  domain::DispatchRound next;
  next.name = fmt::format("{}年第一书记选派", today.year());
  next.start_date = *Date::FromYmd(today.year(), today.month(), 1);
  next.start_date = next.start_date.AddMonths(3);
  next.seed = 20'260'000 + static_cast<uint64_t>(today.year());
  QJ_ASSIGN_OR_RETURN(next, CreateRound(env, staff, next, ClockAt(today)));
  auto open = OpenRound(env, staff, next.id, ClockAt(today));
  if (!open.ok() && is_empty(open.status())) {
    QJ_RETURN_IF_ERROR(rounds.Delete(staff, next.id));
    return out;
  }
  QJ_RETURN_IF_ERROR(open.status());
  out.open_round = next.id;

  QJ_ASSIGN_OR_RETURN(std::vector<RoundCadre> cadres, rounds.Cadres(staff, next.id));
  QJ_ASSIGN_OR_RETURN(std::vector<RoundVillage> villages, rounds.Villages(staff, next.id));
  const Clock clock = ClockAt(today);
  for (size_t i = 0; i < cadres.size(); i += 2) {
    const domain::Cadre& c = cadres[i].cadre;
    std::vector<const RoundVillage*> fitting;
    for (const RoundVillage& v : villages) {
      if (HomeClash(c, v.need.division_code)) continue;
      const bool needed = std::any_of(v.need.skills.begin(), v.need.skills.end(),
                                      [&](const auto& s) { return s.second > 0 && Brings(c, s.first); });
      if (needed) fitting.push_back(&v);
    }
    std::stable_sort(fitting.begin(), fitting.end(), [](const RoundVillage* a, const RoundVillage* b) {
      return a->need.priority > b->need.priority;
    });
    if (fitting.size() > kListLength) fitting.resize(kListLength);
    if (fitting.empty()) continue;
    domain::Preference p;
    p.round_id = next.id;
    p.side = "cadre";
    p.owner = c.id;
    for (const RoundVillage* v : fitting) p.tiers.push_back({v->need.division_code});
    QJ_RETURN_IF_ERROR(PutRoundPreference(env, staff, p, clock).status());
    ++out.lists_entered;
  }
  for (size_t j = 0; j < villages.size(); j += 2) {
    const RoundVillage& v = villages[j];
    if (v.need.skills.empty()) continue;
    const auto top = std::max_element(v.need.skills.begin(), v.need.skills.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    std::vector<const domain::Cadre*> fitting;
    for (const RoundCadre& rc : cadres) {
      if (!HomeClash(rc.cadre, v.need.division_code) && Brings(rc.cadre, top->first))
        fitting.push_back(&rc.cadre);
    }
    if (fitting.size() > kListLength) fitting.resize(kListLength);
    if (fitting.empty()) continue;
    domain::Preference p;
    p.round_id = next.id;
    p.side = "village";
    p.owner = v.need.division_code;
    for (const domain::Cadre* c : fitting) p.tiers.push_back({c->id});
    QJ_RETURN_IF_ERROR(PutRoundPreference(env, staff, p, clock).status());
    ++out.lists_entered;
  }
  return out;
}

}  // namespace qiangji::services

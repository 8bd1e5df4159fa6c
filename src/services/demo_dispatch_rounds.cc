// The demo's dispatch rounds go through the round service's own functions
// (dispatch_round_internal.h) at the dates a county would have used, so their audit rows, derived
// lists, certificates and posts read like a real history. The lists entered are plain choices a
// cadre, a township or the county would make: villages needing what the cadre brings, highest
// priority first; cadres bringing what the receiver needs most. Instructors are mostly the
// county's own cadres (县直机关干部), whom the avoidance rule keeps from being first secretaries
// at home: the instructor rounds waive the rule and every receiver's list names them (a circuit
// short of them takes cadres from outside after them).
#include "services/demo_dispatch_rounds.h"

#include <algorithm>
#include <optional>

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

Date FirstOfMonth(const Date& d) { return *Date::FromYmd(d.year(), d.month(), 1); }

// Cadres bringing `skills` (most needed first): a main skill that is the first need ranks
// first, then a secondary one, then the next need; equal ones by id. At most `limit`.
std::vector<int64_t> Bringing(const std::vector<RoundCadre>& cadres,
                              const std::vector<std::string>& skills, size_t limit,
                              bool (*eligible)(const domain::Cadre&, int64_t), int64_t place) {
  std::vector<std::pair<size_t, int64_t>> scored;
  for (const RoundCadre& rc : cadres) {
    const domain::Cadre& c = rc.cadre;
    if (!eligible(c, place)) continue;
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < skills.size(); ++k) {
      for (size_t s = 0; s < c.skills.size(); ++s)
        if (c.skills[s] == skills[k]) best = std::min(best, 2 * k + (s == 0 ? 0 : 1));
    }
    if (best != SIZE_MAX) scored.emplace_back(best, c.id);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<int64_t> out;
  for (const auto& [score, id] : scored) {
    if (out.size() == limit) break;
    out.push_back(id);
  }
  return out;
}

bool LocalCadre(const domain::Cadre& c, int64_t place) { return HomeClash(c, place); }
bool OutsideCadre(const domain::Cadre& c, int64_t place) { return !HomeClash(c, place); }

domain::Preference VillageList(int64_t round, int64_t owner, const std::vector<int64_t>& cadres) {
  domain::Preference p;
  p.round_id = round;
  p.side = "village";
  p.owner = owner;
  for (int64_t c : cadres) p.tiers.push_back({c});
  return p;
}

class Replay {
 public:
  Replay(Env env, Caller staff) : env_(env), staff_(std::move(staff)), rounds_(env) {}

  // Creates the round on `created` and opens it on `opened`; 0 (the draft deleted) when it has
  // nobody to send or nowhere to send them.
  Result<int64_t> Start(domain::DispatchRound round, const Date& created, const Date& opened) {
    QJ_ASSIGN_OR_RETURN(round, CreateRound(env_, staff_, round, ClockAt(created)));
    auto open = OpenRound(env_, staff_, round.id, ClockAt(opened));
    if (!open.ok() && open.status().code() == StatusCode::kFailedPrecondition) {
      QJ_RETURN_IF_ERROR(rounds_.Delete(staff_, round.id));
      return int64_t{0};
    }
    QJ_RETURN_IF_ERROR(open.status());
    return round.id;
  }

  Result<RoundResult> RunAndConfirm(int64_t id, const Date& start) {
    QJ_RETURN_IF_ERROR(RunRound(env_, staff_, id, ClockAt(start.AddDays(-20))).status());
    return ConfirmRound(env_, staff_, id, ClockAt(start.AddDays(-14)));
  }

  Status Put(const domain::Preference& p, const Date& day) {
    return PutRoundPreference(env_, staff_, p, ClockAt(day)).status();
  }

  DispatchRoundService& rounds() { return rounds_; }
  const Caller& staff() const { return staff_; }

 private:
  Env env_;
  Caller staff_;
  DispatchRoundService rounds_;
};

// Posts a confirmed round appointed (a circuit instructor holds one per village).
int64_t PostsOf(const RoundResult& r) {
  int64_t n = 0;
  for (const domain::Assignment& a : r.assignments)
    n += a.post_ids.empty() ? (a.post_id > 0 ? 1 : 0) : static_cast<int64_t>(a.post_ids.size());
  return n;
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
  Replay replay(env, staff);
  DispatchRoundService& rounds = replay.rounds();

  // Last term's first secretaries: confirmed a fortnight before their start.
  const Date last_start = today.AddDays(16).AddMonths(-24);
  {
    domain::DispatchRound last;
    last.name = fmt::format("{}年第一书记选派", last_start.year());
    last.start_date = last_start;
    last.seed = 20'240'000 + static_cast<uint64_t>(last_start.year());
    QJ_ASSIGN_OR_RETURN(out.confirmed_round,
                        replay.Start(last, last_start.AddDays(-30), last_start.AddDays(-28)));
    if (out.confirmed_round != 0) {
      QJ_ASSIGN_OR_RETURN(RoundResult confirmed,
                          replay.RunAndConfirm(out.confirmed_round, last_start));
      out.posts = static_cast<int64_t>(confirmed.assignments.size());
    }
  }

  // Local worthies as advisors to the neediest villages, ten months ago (lists derived: each
  // worthy's hometown comes first).
  {
    const Date start = FirstOfMonth(today).AddMonths(-10);
    domain::DispatchRound r;
    r.role = "advisor";
    r.name = fmt::format("{}年乡贤顾问选聘", start.year());
    r.start_date = start;
    r.seed = 20'250'100 + static_cast<uint64_t>(start.year());
    r.rules.min_priority = 50;
    QJ_ASSIGN_OR_RETURN(out.advisor_confirmed_round,
                        replay.Start(r, start.AddDays(-30), start.AddDays(-28)));
    if (out.advisor_confirmed_round != 0) {
      QJ_ASSIGN_OR_RETURN(RoundResult confirmed,
                          replay.RunAndConfirm(out.advisor_confirmed_round, start));
      out.advisor_posts += PostsOf(confirmed);
    }
  }

  // Resident instructors (驻村) eight months ago, and circuit instructors (巡回, four villages
  // each) five months ago: the county's own cadres, named in every receiver's list.
  const struct {
    std::string role;
    std::string name;
    int months_ago;
    double min_priority;
  } instructor_rounds[] = {
      {"instructor_resident", "驻村指导员选派", 8, 15},
      {"instructor_circuit", "巡回指导员选派", 5, 30},
  };
  for (const auto& spec : instructor_rounds) {
    const Date start = FirstOfMonth(today).AddMonths(-spec.months_ago);
    domain::DispatchRound r;
    r.role = spec.role;
    r.name = fmt::format("{}年{}", start.year(), spec.name);
    r.start_date = start;
    r.seed = 20'250'200 + static_cast<uint64_t>(spec.months_ago);
    r.rules.avoid_home_county = false;
    r.rules.max_per_unit_per_township = 2;
    r.rules.min_priority = spec.min_priority;
    r.rules.circuit_capacity = 4;
    QJ_ASSIGN_OR_RETURN(int64_t id, replay.Start(r, start.AddDays(-30), start.AddDays(-28)));
    (spec.role == "instructor_circuit" ? out.circuit_round : out.resident_round) = id;
    if (id == 0) continue;
    QJ_ASSIGN_OR_RETURN(std::vector<RoundCadre> cadres, rounds.Cadres(staff, id));
    QJ_ASSIGN_OR_RETURN(std::vector<RoundVillage> receivers, rounds.Villages(staff, id));
    for (const RoundVillage& v : receivers) {
      std::vector<std::string> skills;
      for (const auto& [skill, weight] : v.need.skills)
        if (weight > 0) skills.push_back(skill);
      if (v.kind == "circuit") skills = {v.work_type};
      // A circuit ranks every cadre with its work type (the county's own first); a village three.
      const size_t limit = v.kind == "circuit" ? cadres.size() : kListLength;
      std::vector<int64_t> listed =
          Bringing(cadres, skills, limit, LocalCadre, v.need.division_code);
      // A circuit short of local cadres with its work type takes cadres from outside after them.
      if (v.kind == "circuit" && listed.size() < limit) {
        for (int64_t c :
             Bringing(cadres, skills, limit - listed.size(), OutsideCadre, v.need.division_code))
          listed.push_back(c);
      }
      if (listed.empty()) continue;
      QJ_RETURN_IF_ERROR(replay.Put(VillageList(id, v.id, listed), start.AddDays(-25)));
    }
    QJ_ASSIGN_OR_RETURN(RoundResult confirmed, replay.RunAndConfirm(id, start));
    out.instructor_posts += PostsOf(confirmed);
  }

  // This year's first secretaries: open today, about half the lists entered.
  {
    domain::DispatchRound next;
    next.name = fmt::format("{}年第一书记选派", today.year());
    next.start_date = FirstOfMonth(today).AddMonths(3);
    next.seed = 20'260'000 + static_cast<uint64_t>(today.year());
    QJ_ASSIGN_OR_RETURN(out.open_round, replay.Start(next, today, today));
  }
  if (out.open_round != 0) {
    const int64_t id = out.open_round;
    QJ_ASSIGN_OR_RETURN(std::vector<RoundCadre> cadres, rounds.Cadres(staff, id));
    QJ_ASSIGN_OR_RETURN(std::vector<RoundVillage> villages, rounds.Villages(staff, id));
    for (size_t i = 0; i < cadres.size(); i += 2) {
      const domain::Cadre& c = cadres[i].cadre;
      std::vector<const RoundVillage*> fitting;
      for (const RoundVillage& v : villages) {
        if (HomeClash(c, v.need.division_code)) continue;
        const bool needed =
            std::any_of(v.need.skills.begin(), v.need.skills.end(),
                        [&](const auto& s) { return s.second > 0 && Brings(c, s.first); });
        if (needed) fitting.push_back(&v);
      }
      std::stable_sort(fitting.begin(), fitting.end(),
                       [](const RoundVillage* a, const RoundVillage* b) {
                         return a->need.priority > b->need.priority;
                       });
      if (fitting.size() > kListLength) fitting.resize(kListLength);
      if (fitting.empty()) continue;
      domain::Preference p;
      p.round_id = id;
      p.side = "cadre";
      p.owner = c.id;
      for (const RoundVillage* v : fitting) p.tiers.push_back({v->need.division_code});
      QJ_RETURN_IF_ERROR(replay.Put(p, today));
      ++out.lists_entered;
    }
    for (size_t j = 0; j < villages.size(); j += 2) {
      const RoundVillage& v = villages[j];
      if (v.need.skills.empty()) continue;
      const auto top =
          std::max_element(v.need.skills.begin(), v.need.skills.end(),
                           [](const auto& a, const auto& b) { return a.second < b.second; });
      std::vector<const domain::Cadre*> fitting;
      for (const RoundCadre& rc : cadres) {
        if (!HomeClash(rc.cadre, v.need.division_code) && Brings(rc.cadre, top->first))
          fitting.push_back(&rc.cadre);
      }
      if (fitting.size() > kListLength) fitting.resize(kListLength);
      if (fitting.empty()) continue;
      domain::Preference p;
      p.round_id = id;
      p.side = "village";
      p.owner = v.need.division_code;
      for (const domain::Cadre* c : fitting) p.tiers.push_back({c->id});
      QJ_RETURN_IF_ERROR(replay.Put(p, today));
      ++out.lists_entered;
    }
  }

  // Tracking instructors for the village projects: open today, every other project's list
  // entered (the county's own cadres bringing the project's work type, then others).
  {
    domain::DispatchRound r;
    r.role = "instructor_tracking";
    r.name = fmt::format("{}年项目跟踪指导员选派", today.year());
    r.start_date = FirstOfMonth(today).AddMonths(3);
    r.seed = 20'260'300 + static_cast<uint64_t>(today.year());
    r.rules.avoid_home_county = false;
    QJ_ASSIGN_OR_RETURN(out.tracking_round, replay.Start(r, today, today));
    if (out.tracking_round != 0) {
      const int64_t id = out.tracking_round;
      QJ_ASSIGN_OR_RETURN(std::vector<RoundCadre> cadres, rounds.Cadres(staff, id));
      QJ_ASSIGN_OR_RETURN(std::vector<RoundVillage> projects, rounds.Villages(staff, id));
      for (size_t j = 0; j < projects.size(); j += 2) {
        const RoundVillage& v = projects[j];
        std::vector<int64_t> fitting =
            Bringing(cadres, {v.work_type}, kListLength, LocalCadre, v.need.division_code);
        for (int64_t c : Bringing(cadres, {v.work_type}, kListLength - fitting.size(), OutsideCadre,
                                  v.need.division_code))
          fitting.push_back(c);
        if (fitting.empty()) continue;
        QJ_RETURN_IF_ERROR(replay.Put(VillageList(id, v.id, fitting), today));
      }
    }
  }

  // This year's advisors for the next villages in need: matched today, for the county to confirm.
  {
    const Date start = FirstOfMonth(today).AddMonths(1);
    domain::DispatchRound r;
    r.role = "advisor";
    r.name = fmt::format("{}年乡贤顾问选聘", today.year());
    r.start_date = start;
    r.seed = 20'260'100 + static_cast<uint64_t>(today.year());
    r.rules.min_priority = 30;
    QJ_ASSIGN_OR_RETURN(out.advisor_round, replay.Start(r, today, today));
    if (out.advisor_round != 0)
      QJ_RETURN_IF_ERROR(RunRound(env, staff, out.advisor_round, ClockAt(today)).status());
  }
  return out;
}

}  // namespace qiangji::services

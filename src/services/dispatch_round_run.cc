// Running a round (preferences_open or matched -> matched): one engines::match::DispatchProblem
// solved with SolveDispatch (engines/match/fit.h). Missing lists are derived from fit and stored
// marked derived, the home-county and sending-unit rules become hard exclusions, deferred
// acceptance (or the optimal fit) gives the matching, and the independent checker its
// certificate.
//
// Fit in the database's words: a person's skills are levels 1 for the first (main) skill and 0.8
// for the others; a receiver's needs are its need skills' weights (a circuit needs its work type
// at 1; a project its work type at 1 with its village's needs at half weight, renormalised);
// priority scales fit by 1 + priority / 100. Local worthies (advisors) are PersonKind
// kLocalWorthy: a bonus for their hometown instead of the avoidance rule, and no cap per
// sending unit (a worthy's "unit" is his employer). Both sides speak domain::kWorkSkills, which
// the engine uses as is.
//
// A circuit's villages (ascending code) are then divided among the instructors matched to it in
// contiguous chunks whose sizes differ by at most one, each at most circuit_capacity; when
// fewer instructors were matched than the circuit has seats, its lowest-priority villages are
// left uncovered and reported with a reason.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "engines/match/fit.h"
#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/dispatch_round_internal.h"
#include "services/internal.h"

namespace qiangji::services::internal {
namespace {

namespace match = engines::match;

constexpr double kSecondarySkillLevel = 0.8;

void AddSkill(std::vector<std::pair<std::string, double>>& items, const std::string& skill,
              double weight) {
  auto add = [&](const std::string& key, double w) {
    for (auto& [k, x] : items) {
      if (k == key) {
        x = std::max(x, w);
        return;
      }
    }
    items.emplace_back(key, w);
  };
  if (match::IsWorkType(skill)) add(skill, weight);
}

match::DispatchProblem BuildProblem(const domain::DispatchRound& round, const Participants& parts) {
  match::DispatchProblem p;
  p.mode = round.mode == "optimal" ? match::DispatchMode::kOptimal : match::DispatchMode::kStable;
  p.proposing = round.proposing == "villages" ? match::ProposingSide::kVillages
                                              : match::ProposingSide::kPeople;
  p.seed = round.seed;
  for (const CadreRow& row : parts.cadres) {
    const domain::Cadre& c = row.cadre;
    match::DispatchPerson x;
    x.id = std::to_string(c.id);
    x.name = c.name;
    x.kind = c.kind == "worthy" ? match::PersonKind::kLocalWorthy : match::PersonKind::kCadre;
    for (size_t i = 0; i < c.skills.size(); ++i)
      AddSkill(x.skills, c.skills[i], i == 0 ? 1.0 : kSecondarySkillLevel);
    x.home_code = c.home_code;
    x.unit = c.sending_unit;
    x.unit_kind = c.unit_kind;
    x.available = c.available;
    p.people.push_back(std::move(x));
  }
  for (const Receiver& v : parts.receivers) {
    match::DispatchVillage x;
    x.id = v.kind == "village" ? fmt::format("{:012d}", v.id) : fmt::format("{}-{}", v.kind, v.id);
    x.name = v.name;
    x.code = v.division;  // a circuit's township: the county rules still apply
    x.township_code = v.need.township_code;
    x.seats = v.seats;
    for (const auto& [skill, weight] : v.need.skills) AddSkill(x.needs, skill, weight);
    x.priority = std::clamp(v.need.priority, 0.0, 100.0);
    p.villages.push_back(std::move(x));
  }
  auto list = [&](const std::string& side, int64_t owner,
                  const std::map<int64_t, size_t>& other) -> std::optional<match::RankList> {
    auto it = parts.prefs.find({side, owner});
    if (it == parts.prefs.end() || it->second.derived) return std::nullopt;
    match::RankList l;
    for (const auto& tier : it->second.tiers) {
      std::vector<int> t;
      for (int64_t id : tier)
        if (auto o = other.find(id); o != other.end()) t.push_back(static_cast<int>(o->second));
      if (!t.empty()) l.tiers.push_back(t);
    }
    return l;
  };
  for (const CadreRow& row : parts.cadres)
    p.person_prefs.push_back(list("cadre", row.cadre.id, parts.receiver_index));
  for (const Receiver& v : parts.receivers)
    p.village_prefs.push_back(list("village", v.id, parts.cadre_index));
  p.rules.avoid_home_county = round.rules.avoid_home_county;
  p.rules.max_per_unit_per_township =
      round.role == "advisor" ? 0 : round.rules.max_per_unit_per_township;
  p.rules.priority_weight = 1.0;
  return p;
}

int TierOf(const match::RankList& list, int who) {
  for (size_t t = 0; t < list.tiers.size(); ++t) {
    const auto tier = list.tiers[t];
    if (std::find(tier.begin(), tier.end(), who) != tier.end()) return static_cast<int>(t);
  }
  return -1;
}

std::string JoinZh(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? "、" : "") + names[i];
  return out;
}

std::string ExclusionZh(const match::DispatchResult& r, int person, int village) {
  for (size_t i = 0; i < r.market.exclusions.size(); ++i) {
    const match::Exclusion& e = r.market.exclusions[i];
    if (e.person != person || e.village != village) continue;
    switch (r.exclusion_source[i]) {
      case match::ExclusionSource::kHomeCounty:
        return "任职回避";
      case match::ExclusionSource::kUnitCap:
        return "同一派出单位在该乡镇已达上限";
      case match::ExclusionSource::kUnavailable:
        return "本轮不可派";
      default:
        return "排除规则";
    }
  }
  return "";
}

// One zh-CN sentence per person: where he goes and which of his higher choices went to
// candidates that receiver ranked above him (or equal, drawn ahead in the lottery).
std::string CadreLineZh(const match::DispatchResult& r, const std::vector<std::vector<int>>& seated,
                        int p, const std::string& unmatched_reason) {
  const match::Market& m = r.market;
  const match::RankList& mine = m.person_prefs[static_cast<size_t>(p)];
  const int seat = r.assignment[static_cast<size_t>(p)];
  const int my_tier = seat >= 0 ? TierOf(mine, seat) : static_cast<int>(mine.tiers.size());
  std::vector<std::string> outranked, lottery, excluded, unlisted;
  for (int t = 0; t < my_tier && t < static_cast<int>(mine.tiers.size()); ++t) {
    for (int v : mine.tiers[static_cast<size_t>(t)]) {
      const std::string name = match::VillageName(m, v);
      if (std::string why = ExclusionZh(r, p, v); !why.empty()) {
        excluded.push_back(name + "（" + why + "）");
        continue;
      }
      const match::RankList& theirs = m.village_prefs[static_cast<size_t>(v)];
      const int me_there = TierOf(theirs, p);
      if (me_there < 0) {
        unlisted.push_back(name);
        continue;
      }
      bool all_higher = true, any_equal = false;
      for (int q : seated[static_cast<size_t>(v)]) {
        const int tq = TierOf(theirs, q);
        all_higher = all_higher && tq >= 0 && tq < me_there;
        any_equal = any_equal || tq == me_there;
      }
      if (any_equal) {
        lottery.push_back(name);
      } else if (all_higher) {
        outranked.push_back(name);
      }
    }
  }
  std::string text;
  if (seat >= 0) {
    text = fmt::format("分配至{}（您的第{}志愿）。", match::VillageName(m, seat), my_tier + 1);
  } else {
    text = "本轮未分配：" + unmatched_reason + "。";
  }
  if (!outranked.empty())
    text += fmt::format("排在前面的{}已由该村排序更靠前的人选占满。", JoinZh(outranked));
  if (!lottery.empty())
    text += fmt::format("{}将您与其所取人选列为同档，抽签在后。", JoinZh(lottery));
  if (!excluded.empty()) text += fmt::format("{}按规则不可派。", JoinZh(excluded));
  if (!unlisted.empty()) text += fmt::format("{}未将您列入志愿。", JoinZh(unlisted));
  return text;
}

std::string VillageLineZh(const match::DispatchResult& r,
                          const std::vector<std::vector<int>>& seated, int v,
                          const std::string& open_reason) {
  const match::Market& m = r.market;
  const match::RankList& mine = m.village_prefs[static_cast<size_t>(v)];
  std::vector<std::string> names;
  for (int q : seated[static_cast<size_t>(v)]) {
    const int t = TierOf(mine, q);
    names.push_back(t >= 0 ? fmt::format("{}（本村第{}志愿）", match::PersonName(m, q), t + 1)
                           : match::PersonName(m, q));
  }
  const int left = m.capacity[static_cast<size_t>(v)] - static_cast<int>(names.size());
  std::string text = names.empty() ? "本轮未派到人选：" + open_reason + "。"
                                   : fmt::format("选派{}。", JoinZh(names));
  // Higher choices who went to a receiver they ranked above this one.
  int worst = -1;
  for (int q : seated[static_cast<size_t>(v)]) worst = std::max(worst, TierOf(mine, q));
  if (names.empty()) worst = static_cast<int>(mine.tiers.size());
  std::vector<std::string> went;
  for (int t = 0; t < worst && t < static_cast<int>(mine.tiers.size()); ++t) {
    for (int q : mine.tiers[static_cast<size_t>(t)]) {
      const int w = r.assignment[static_cast<size_t>(q)];
      if (w < 0 || w == v) continue;
      const match::RankList& theirs = m.person_prefs[static_cast<size_t>(q)];
      const int tw = TierOf(theirs, w), tv = TierOf(theirs, v);
      if (tw >= 0 && (tv < 0 || tw < tv)) went.push_back(match::PersonName(m, q));
    }
  }
  if (!went.empty()) text += fmt::format("更靠前的人选{}去了其更想去的村。", JoinZh(went));
  if (left > 0 && !names.empty()) text += fmt::format("尚余{}个名额。", left);
  return text;
}

// The first-secretary wording is kept word for word; other rounds name their receivers.
std::string UnmatchedCadreZh(const match::UnmatchedPerson& u, bool optimal, std::string_view noun) {
  if (noun == "村") {
    if (u.reason == match::UnmatchedReason::kNoAcceptablePartner)
      return "没有可接受的村：所列的村均未将其列入志愿，或按回避等规则不可派";
    if (optimal) return "在总适配度最优的方案中，所列可接受的村的名额给了其他人选";
    return "所列可接受的村均已由其更优先的人选占满";
  }
  if (u.reason == match::UnmatchedReason::kNoAcceptablePartner)
    return fmt::format("没有可接受的{0}：所列的{0}均未将其列入志愿、专长不符，或按回避等规则不可派",
                       noun);
  if (optimal) return fmt::format("在总适配度最优的方案中，所列可接受的{}的名额给了其他人选", noun);
  return fmt::format("所列可接受的{}均已由其更优先的人选占满", noun);
}

std::string OpenSeatZh(const match::OpenSeats& s, bool optimal, std::string_view noun) {
  if (s.reason == match::UnmatchedReason::kNoAcceptablePartner)
    return fmt::format("没有可接受的人选（空缺{}个名额）", s.seats_left);
  if (optimal)
    return fmt::format("在总适配度最优的方案中，可接受的人选去了其他{}（空缺{}个名额）", noun,
                       s.seats_left);
  return fmt::format("可接受的人选均去了其更想去的{}（空缺{}个名额）", noun, s.seats_left);
}

// A circuit's villages divided among its instructors (see the file comment).
struct CircuitShare {
  std::vector<std::vector<int64_t>> chunks;  // one per instructor, in `instructors` order
  std::vector<int> instructors;              // person indices: the circuit's rank, then id
  std::vector<int64_t> uncovered;            // ascending
};

CircuitShare ShareCircuit(const Receiver& circuit, std::vector<int> seated,
                          const match::RankList& circuit_list, const Participants& parts,
                          int capacity) {
  CircuitShare out;
  std::stable_sort(seated.begin(), seated.end(), [&](int a, int b) {
    const int ta = TierOf(circuit_list, a), tb = TierOf(circuit_list, b);
    if (ta != tb) return ta < tb;
    return parts.cadres[static_cast<size_t>(a)].cadre.id <
           parts.cadres[static_cast<size_t>(b)].cadre.id;
  });
  const size_t n = circuit.villages.size();
  const size_t k = std::min(seated.size(), n);
  out.instructors.assign(seated.begin(), seated.begin() + static_cast<std::ptrdiff_t>(k));
  std::vector<int64_t> covered = circuit.villages;
  const size_t reach = k * static_cast<size_t>(std::max(capacity, 1));
  if (reach < n) {
    // Too few instructors: the highest-priority villages are covered (equal ones by code).
    std::map<int64_t, double> priority;
    for (const domain::VillageNeed& v : circuit.village_needs)
      priority[v.division_code] = v.priority;
    std::stable_sort(covered.begin(), covered.end(),
                     [&](int64_t a, int64_t b) { return priority[a] > priority[b]; });
    out.uncovered.assign(covered.begin() + static_cast<std::ptrdiff_t>(reach), covered.end());
    covered.resize(reach);
    std::sort(covered.begin(), covered.end());
    std::sort(out.uncovered.begin(), out.uncovered.end());
  }
  if (k == 0) return out;
  const size_t m = covered.size();
  const size_t base = m / k, extra = m % k;
  size_t at = 0;
  for (size_t i = 0; i < k; ++i) {
    const size_t size = base + (i < extra ? 1 : 0);
    out.chunks.emplace_back(covered.begin() + static_cast<std::ptrdiff_t>(at),
                            covered.begin() + static_cast<std::ptrdiff_t>(at + size));
    at += size;
  }
  return out;
}

}  // namespace

Result<RoundResult> RunRound(Env env, const Caller& caller, int64_t id, const Clock& clock) {
  auto db = env.pool->Acquire();
  std::optional<RoundResult> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(RoundRow row, LoadRoundForChange(*db, caller, id, "run a dispatch round"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"preferences_open", "matched"}, "run it"));
    QJ_ASSIGN_OR_RETURN(Participants parts, LoadParticipants(*db, row, env.secrets));
    const match::DispatchProblem problem = BuildProblem(row.round, parts);
    QJ_ASSIGN_OR_RETURN(match::DispatchResult solved, match::SolveDispatch(problem));
    const bool optimal = problem.mode == match::DispatchMode::kOptimal;
    const size_t n = parts.cadres.size();
    const size_t m = parts.receivers.size();
    const std::string_view noun = ReceiverNounZh(parts.kind);

    // The optimum under the same lists and exclusions, for the price of stability.
    std::vector<match::FitArc> arcs;
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < m; ++j)
        if (solved.fit[i * m + j] > 0)
          arcs.push_back({static_cast<int>(i), static_cast<int>(j), solved.fit[i * m + j]});
    match::PriceOfStability price;
    if (solved.price) {
      price = *solved.price;
    } else {
      QJ_ASSIGN_OR_RETURN(match::OptimalResult best, match::OptimalFit(solved.market, arcs));
      price = match::ComparePriceOfStability(arcs, solved.stable.village_of, best);
    }

    RoundResult r;
    r.round = row.round;
    r.blocking_pairs = solved.certificate.blocking_pairs;
    r.checked_pairs = solved.certificate.checked_pairs;
    r.total_fit = solved.total_fit;
    r.optimal_fit = static_cast<double>(price.optimal_scaled) / match::kFitScale;
    r.price_of_stability = price.optimal_scaled == 0
                               ? 0
                               : 1 - static_cast<double>(price.stable_scaled) /
                                         static_cast<double>(price.optimal_scaled);
    r.input_hash = solved.input_hash;
    r.output_hash = solved.output_hash;

    // Derived lists are stored for display, marked derived; a rerun derives them afresh.
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM preference WHERE round_id = ? AND derived = 1", {Value(id)})
            .status());
    QJ_ASSIGN_OR_RETURN(auto put_pref,
                        db->Prepare("INSERT INTO preference (round_id, side, owner, tiers, derived,"
                                    " updated_at, updated_by) VALUES (?, ?, ?, ?, 1, ?, ?)"));
    auto store_derived = [&](std::string_view side, int64_t owner, const match::RankList& list,
                             auto&& id_of) -> Status {
      std::vector<std::vector<int64_t>> tiers;
      for (const auto& tier : list.tiers) {
        tiers.emplace_back();
        for (int x : tier) tiers.back().push_back(id_of(x));
      }
      const Value values[] = {Value(id),        Value(std::string(side)),
                              Value(owner),     Value(TiersText(tiers)),
                              Value(clock.now), Value(std::string("derived"))};
      return put_pref->Execute(values).status();
    };
    auto receiver_id = [&](int j) { return parts.receivers[static_cast<size_t>(j)].id; };
    auto cadre_id = [&](int i) { return parts.cadres[static_cast<size_t>(i)].cadre.id; };
    for (size_t i = 0; i < n; ++i) {
      if (!solved.person_derived[i]) continue;
      ++r.derived_cadre_lists;
      QJ_RETURN_IF_ERROR(store_derived("cadre", cadre_id(static_cast<int>(i)),
                                       solved.market.person_prefs[i], receiver_id));
    }
    for (size_t j = 0; j < m; ++j) {
      if (!solved.village_derived[j]) continue;
      ++r.derived_village_lists;
      QJ_RETURN_IF_ERROR(store_derived("village", receiver_id(static_cast<int>(j)),
                                       solved.market.village_prefs[j], cadre_id));
    }

    // Who sits where; a circuit's villages divided among its instructors.
    std::vector<std::vector<int>> seated(m);
    for (size_t i = 0; i < n; ++i)
      if (solved.assignment[i] >= 0)
        seated[static_cast<size_t>(solved.assignment[i])].push_back(static_cast<int>(i));
    std::vector<std::vector<int64_t>> share(n);  // circuit: the villages person i covers
    std::vector<std::string> circuit_line(m);    // circuit: who covers what, for its explanation
    std::map<int64_t, std::string> village_name;
    for (const Receiver& v : parts.receivers)
      for (const domain::VillageNeed& x : v.village_needs) village_name[x.division_code] = x.name;
    auto names_of = [&](const std::vector<int64_t>& codes) {
      std::vector<std::string> names;
      for (int64_t c : codes) names.push_back(village_name[c]);
      return JoinZh(names);
    };
    if (parts.kind == "circuit") {
      const int capacity = row.round.rules.circuit_capacity;
      for (size_t j = 0; j < m; ++j) {
        const Receiver& v = parts.receivers[j];
        const CircuitShare s =
            ShareCircuit(v, seated[j], solved.market.village_prefs[j], parts, capacity);
        std::vector<std::string> duties;
        for (size_t k = 0; k < s.instructors.size(); ++k) {
          share[static_cast<size_t>(s.instructors[k])] = s.chunks[k];
          duties.push_back(fmt::format(
              "{}负责{}", parts.cadres[static_cast<size_t>(s.instructors[k])].cadre.name,
              names_of(s.chunks[k])));
        }
        const std::string reason =
            s.instructors.empty()
                ? fmt::format("{}未派到巡回指导员，该村本轮未覆盖", v.name)
                : fmt::format("{}只派到{}名巡回指导员（每人至多{}个村），按优先级该村本轮未覆盖",
                              v.name, s.instructors.size(), capacity);
        for (int64_t code : s.uncovered)
          r.uncovered.push_back({code, village_name[code], v.id, v.name, reason});
        if (!duties.empty()) {
          circuit_line[j] = "分工：";
          for (size_t k = 0; k < duties.size(); ++k) circuit_line[j] += (k ? "；" : "") + duties[k];
          circuit_line[j] += "。";
        }
        if (!s.uncovered.empty())
          circuit_line[j] += fmt::format("未覆盖：{}。", names_of(s.uncovered));
      }
    }

    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM assignment WHERE round_id = ?", {Value(id)}).status());
    QJ_ASSIGN_OR_RETURN(
        auto put_assignment,
        db->Prepare("INSERT INTO assignment (round_id, cadre_id, division_code, fit,"
                    " cadre_rank, village_rank, unit_id, villages)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    std::set<int64_t> named_units;
    for (size_t i = 0; i < n; ++i) {
      const int v = solved.assignment[i];
      if (v < 0) continue;
      const Receiver& receiver = parts.receivers[static_cast<size_t>(v)];
      domain::Assignment a;
      a.round_id = id;
      a.cadre_id = cadre_id(static_cast<int>(i));
      a.division_code = receiver.division;
      a.unit_id = receiver.kind == "village" ? 0 : receiver.id;
      a.villages = receiver.kind == "circuit" ? share[i] : receiver.villages;
      a.fit = std::round(solved.fit[i * m + static_cast<size_t>(v)] * match::kFitScale) /
              match::kFitScale;
      a.cadre_rank = TierOf(solved.market.person_prefs[i], v) + 1;
      a.village_rank =
          TierOf(solved.market.village_prefs[static_cast<size_t>(v)], static_cast<int>(i)) + 1;
      const Value values[] = {Value(id),
                              Value(a.cadre_id),
                              Value(a.division_code),
                              Value(a.fit),
                              Value(int64_t{a.cadre_rank}),
                              Value(int64_t{a.village_rank}),
                              a.unit_id == 0 ? Value(Null{}) : Value(a.unit_id),
                              Value(IdArrayText(a.villages))};
      QJ_RETURN_IF_ERROR(put_assignment->Execute(values).status());
      r.cadre_names.emplace_back(a.cadre_id, parts.cadres[i].cadre.name);
      r.village_names.emplace_back(a.division_code, receiver.kind == "circuit"
                                                        ? receiver.need.township_name
                                                        : receiver.need.name);
      if (receiver.kind == "circuit")
        for (int64_t code : a.villages) r.village_names.emplace_back(code, village_name[code]);
      if (a.unit_id != 0 && named_units.insert(a.unit_id).second)
        r.unit_names.emplace_back(a.unit_id, receiver.name);
      r.assignments.push_back(std::move(a));
    }
    std::sort(r.assignments.begin(), r.assignments.end(), [](const auto& a, const auto& b) {
      return std::pair(a.division_code, a.cadre_id) < std::pair(b.division_code, b.cadre_id);
    });

    std::vector<std::string> person_reason(n), village_reason(m);
    for (const match::UnmatchedPerson& u : solved.unmatched_people) {
      const domain::Cadre& c = parts.cadres[static_cast<size_t>(u.person)].cadre;
      person_reason[static_cast<size_t>(u.person)] = UnmatchedCadreZh(u, optimal, noun);
      r.unmatched.push_back({"cadre", c.id, c.name, person_reason[static_cast<size_t>(u.person)]});
    }
    for (const match::OpenSeats& s : solved.open_seats) {
      const Receiver& v = parts.receivers[static_cast<size_t>(s.village)];
      village_reason[static_cast<size_t>(s.village)] = OpenSeatZh(s, optimal, noun);
      r.unmatched.push_back(
          {"village", v.id, v.name, village_reason[static_cast<size_t>(s.village)]});
    }
    // Each participant: a zh-CN sentence, then the engine's checked explanation.
    for (size_t i = 0; i < n; ++i) {
      std::string line = CadreLineZh(solved, seated, static_cast<int>(i), person_reason[i]);
      if (!share[i].empty()) line += fmt::format("负责巡回指导{}。", names_of(share[i]));
      r.explanations.push_back(
          {"cadre", cadre_id(static_cast<int>(i)), {line, solved.explanations.people[i]}});
    }
    for (size_t j = 0; j < m; ++j) {
      r.explanations.push_back(
          {"village",
           receiver_id(static_cast<int>(j)),
           {VillageLineZh(solved, seated, static_cast<int>(j), village_reason[j]) + circuit_line[j],
            solved.explanations.villages[j]}});
    }

    const json::object stored =
        StoredResultJson(r, solved.certificate.violations, solved.rounds,
                         static_cast<int64_t>(solved.market.exclusions.size()));
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE dispatch_round SET status = 'matched', matched_at = ?,"
                                   " result = ? WHERE id = ?",
                                   {Value(clock.now), Value(json::serialize(stored)), Value(id)})
                           .status());
    const json::object before = RoundAuditJson(row.round);
    row.round.status = "matched";
    row.round.matched_at = clock.now;
    r.round = row.round;
    json::object after = RoundAuditJson(row.round);
    after["assignments"] = static_cast<int64_t>(r.assignments.size());
    after["blocking_pairs"] = r.blocking_pairs;
    after["input_hash"] = r.input_hash;
    after["output_hash"] = r.output_hash;
    if (!r.uncovered.empty()) after["uncovered"] = static_cast<int64_t>(r.uncovered.size());
    QJ_RETURN_IF_ERROR(AuditRound(*db, caller, "dispatch_round.run", row, before, after));
    out = std::move(r);
    return Status::Ok();
  }));
  return *out;
}

}  // namespace qiangji::services::internal

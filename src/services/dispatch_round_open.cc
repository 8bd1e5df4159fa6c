// Opening a round (draft -> preferences_open): the snapshot of its participants, by role
// (docs/dispatch.md §4). People: the available pool members of the role's kind (cadres, or
// local worthies for advisors). Receivers, as of the round's start date:
//
//   first_secretary      villages needing one (priority >= min_priority, or weak-and-lax, or a
//                        key village) with no first secretary in post; one seat each.
//   instructor_resident  the same rule, for villages with neither a first secretary nor an
//                        instructor in post; one seat each.
//   instructor_circuit   villages with priority >= min_priority and no instructor in post, put
//                        into the circuit (township, the village's top work type); a circuit
//                        has ceil(villages / circuit_capacity) seats and needs its work type.
//   instructor_tracking  projects of the scope, planned or underway, ending after the start,
//                        that no confirmed tracking assignment follows past the start.
//   advisor              villages with priority >= min_priority and no advisor in post.
//
// Needs are stored as they are on the day of opening, so later evidence does not move a round
// under way.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/dispatch_pool_internal.h"
#include "services/dispatch_round_internal.h"
#include "services/internal.h"

namespace qiangji::services::internal {
namespace {

int64_t TownshipOf(const domain::VillageNeed& n) {
  return n.township_code != 0 ? n.township_code : n.division_code / 1000 * 1000;
}

// A project's need: its work type at weight 1 plus the village's need skills at half weight,
// renormalised to sum 1; the project's work type first, the others largest first.
std::vector<std::pair<std::string, double>> ProjectSkills(const std::string& work_type,
                                                          const domain::VillageNeed& village) {
  std::vector<std::pair<std::string, double>> items = {{work_type, 1.0}};
  for (const auto& [k, w] : village.skills) {
    if (k == work_type) {
      items[0].second += 0.5 * w;
    } else {
      items.emplace_back(k, 0.5 * w);
    }
  }
  double total = 0;
  for (const auto& [k, w] : items) total += w;
  for (auto& [k, w] : items) w /= total;
  std::stable_sort(items.begin() + 1, items.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return items;
}

// Inserts the pool members of the role's kind; FailedPrecondition when there is none.
Result<int64_t> SnapshotPeople(Database& db, const RoundRow& row) {
  const std::string_view kind = domain::PoolKindOfRole(row.round.role);
  QJ_ASSIGN_OR_RETURN(
      int64_t added,
      db.Execute("INSERT INTO round_cadre (round_id, cadre_id) SELECT ?, id FROM cadre"
                 " WHERE county_code = ? AND available = 1 AND kind = ?",
                 {Value(row.round.id), Value(row.range.lo), Value(std::string(kind))}));
  if (added == 0) {
    if (kind == "worthy")
      return Status::FailedPrecondition(
          fmt::format("the pool of {} has no available local worthy (乡贤)", row.round.scope));
    return Status::FailedPrecondition(
        fmt::format("the cadre pool of {} has no available cadre", row.round.scope));
  }
  return added;
}

}  // namespace

Result<domain::DispatchRound> OpenRound(Env env, const Caller& caller, int64_t id,
                                        const Clock& clock) {
  RoundRow row;
  auto db = env.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(row, LoadRoundForChange(*db, caller, id, "open a dispatch round"));
    QJ_RETURN_IF_ERROR(RequireStatus(row, {"draft"}, "open it (only a draft opens)"));
    const std::string& role = row.round.role;
    const domain::RoundRules& rules = row.round.rules;
    QJ_ASSIGN_OR_RETURN(std::vector<domain::VillageNeed> needs,
                        ComputeNeeds(*db, row.range, clock.today));
    // Covered means a post in office on the round's start date: one whose term ends before it is
    // due for rotation (轮换), and his village takes part again.
    const Date start = row.round.start_date;
    json::object after_counts;

    if (role == "first_secretary" || role == "instructor_resident" || role == "advisor") {
      std::unordered_set<int64_t> covered;
      if (role == "first_secretary") {
        QJ_ASSIGN_OR_RETURN(covered, VillagesWithPost(*db, row.range, start, {"first_secretary"}));
      } else if (role == "instructor_resident") {
        QJ_ASSIGN_OR_RETURN(
            covered, VillagesWithPost(*db, row.range, start, {"first_secretary", "instructor"}));
      } else {
        QJ_ASSIGN_OR_RETURN(covered, VillagesWithPost(*db, row.range, start, {"advisor"}));
      }
      std::vector<domain::VillageNeed> wanted;
      for (domain::VillageNeed& n : needs) {
        if (covered.count(n.division_code)) continue;
        const bool rule = role != "advisor" && SeedRule(n);
        if (rule || n.priority >= rules.min_priority) wanted.push_back(std::move(n));
      }
      if (wanted.empty()) {
        if (role == "first_secretary")
          return Status::FailedPrecondition(fmt::format(
              "no village under {} needs a first secretary without having one", row.round.scope));
        if (role == "instructor_resident")
          return Status::FailedPrecondition(fmt::format(
              "no village under {} needs a resident instructor: every village at or above the"
              " threshold has a first secretary or an instructor in post on {}",
              row.round.scope, start.ToString()));
        return Status::FailedPrecondition(
            fmt::format("no village under {} with priority >= {} is without an advisor on {}",
                        row.round.scope, rules.min_priority, start.ToString()));
      }
      QJ_ASSIGN_OR_RETURN(int64_t added, SnapshotPeople(*db, row));
      QJ_ASSIGN_OR_RETURN(auto insert,
                          db->Prepare("INSERT INTO round_village (round_id,"
                                      " division_code, seats, need) VALUES (?, ?, 1, ?)"));
      for (const domain::VillageNeed& n : wanted) {
        const Value values[] = {Value(id), Value(n.division_code),
                                Value(json::serialize(VillageNeedJson(n)))};
        QJ_RETURN_IF_ERROR(insert->Execute(values).status());
      }
      after_counts["cadres"] = added;
      after_counts["villages"] = static_cast<int64_t>(wanted.size());
    } else if (role == "instructor_circuit") {
      QJ_ASSIGN_OR_RETURN(auto covered, VillagesWithPost(*db, row.range, start, {"instructor"}));
      // (township, work type in kWorkSkills order) -> its villages, ascending.
      std::map<std::pair<int64_t, size_t>, std::vector<const domain::VillageNeed*>> circuits;
      for (const domain::VillageNeed& n : needs) {
        if (covered.count(n.division_code) || n.priority < rules.min_priority) continue;
        const std::string top = TopWorkType(n);
        const size_t order = static_cast<size_t>(
            std::find(std::begin(domain::kWorkSkills), std::end(domain::kWorkSkills), top) -
            std::begin(domain::kWorkSkills));
        circuits[{TownshipOf(n), order}].push_back(&n);
      }
      if (circuits.empty())
        return Status::FailedPrecondition(
            fmt::format("no village under {} with priority >= {} is without an instructor on {}",
                        row.round.scope, rules.min_priority, start.ToString()));
      QJ_ASSIGN_OR_RETURN(int64_t added, SnapshotPeople(*db, row));
      QJ_ASSIGN_OR_RETURN(auto insert,
                          db->Prepare("INSERT INTO round_unit (round_id, division_code, work_type,"
                                      " villages, seats, need) VALUES (?, ?, ?, ?, ?, ?)"));
      int64_t villages = 0;
      for (auto& [key, members] : circuits) {
        std::sort(members.begin(), members.end(),
                  [](const auto* a, const auto* b) { return a->division_code < b->division_code; });
        const std::string work_type(domain::kWorkSkills[key.second]);
        domain::VillageNeed need;
        need.division_code = key.first;
        need.township_code = key.first;
        need.township_name = members.front()->township_name;
        need.name = CircuitName(need.township_name, work_type);
        need.skills = {{work_type, 1.0}};
        double sum = 0;
        std::vector<int64_t> codes;
        json::array village_json;
        for (const domain::VillageNeed* n : members) {
          sum += n->priority;
          codes.push_back(n->division_code);
          village_json.push_back(VillageNeedJson(*n));
        }
        need.priority = sum / static_cast<double>(members.size());
        const int64_t n = static_cast<int64_t>(members.size());
        const int64_t seats = (n + rules.circuit_capacity - 1) / rules.circuit_capacity;
        json::object stored = VillageNeedJson(need);
        stored["villages"] = std::move(village_json);
        const Value values[] = {Value(id),        Value(key.first),
                                Value(work_type), Value(IdArrayText(codes)),
                                Value(seats),     Value(json::serialize(stored))};
        QJ_RETURN_IF_ERROR(insert->Execute(values).status());
        villages += n;
      }
      after_counts["cadres"] = added;
      after_counts["circuits"] = static_cast<int64_t>(circuits.size());
      after_counts["villages"] = villages;
    } else {  // instructor_tracking
      const std::string when = start.ToString();
      QJ_ASSIGN_OR_RETURN(
          auto projects,
          db->Query("SELECT p.id, p.division_code, p.work_type FROM project p"
                    " WHERE p.division_code BETWEEN ? AND ? AND p.status IN ('planned', 'underway')"
                    " AND p.end_date > ? AND NOT EXISTS (SELECT 1 FROM assignment a"
                    "   JOIN dispatch_round r ON r.id = a.round_id"
                    "   WHERE r.role = 'instructor_tracking' AND r.status = 'confirmed'"
                    "   AND a.unit_id = p.id AND a.end_date > ?)"
                    " ORDER BY p.id",
                    {Value(row.range.lo), Value(row.range.hi), Value(when), Value(when)}));
      if (projects.empty())
        return Status::FailedPrecondition(fmt::format(
            "no project under {} is planned or underway past {} without a tracking instructor",
            row.round.scope, when));
      std::unordered_map<int64_t, const domain::VillageNeed*> need_of;
      for (const domain::VillageNeed& n : needs) need_of[n.division_code] = &n;
      QJ_ASSIGN_OR_RETURN(int64_t added, SnapshotPeople(*db, row));
      QJ_ASSIGN_OR_RETURN(auto insert,
                          db->Prepare("INSERT INTO round_project (round_id, project_id,"
                                      " division_code, need) VALUES (?, ?, ?, ?)"));
      for (const Row& p : projects) {
        const int64_t village = p.Int(1);
        domain::VillageNeed need;
        if (auto it = need_of.find(village); it != need_of.end()) need = *it->second;
        need.division_code = village;
        need.skills = ProjectSkills(p.Text(2), need);
        const Value values[] = {Value(id), Value(p.Int(0)), Value(village),
                                Value(json::serialize(VillageNeedJson(need)))};
        QJ_RETURN_IF_ERROR(insert->Execute(values).status());
      }
      after_counts["cadres"] = added;
      after_counts["projects"] = static_cast<int64_t>(projects.size());
    }

    QJ_RETURN_IF_ERROR(db->Execute("UPDATE dispatch_round SET status = 'preferences_open',"
                                   " opened_at = ? WHERE id = ?",
                                   {Value(clock.now), Value(id)})
                           .status());
    const json::object before = RoundAuditJson(row.round);
    row.round.status = "preferences_open";
    json::object after = RoundAuditJson(row.round);
    for (const auto& [k, v] : after_counts) after[k] = v;
    return AuditRound(*db, caller, "dispatch_round.open", row, before, after);
  }));
  return row.round;
}

}  // namespace qiangji::services::internal

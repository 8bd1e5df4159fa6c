// Each village's needs for dispatch (因村派人), derived from the data already kept: the latest
// published or final assessment, the latest year's petitions, the village's tags, and its
// current posts. Every reason carries points and a zh-CN sentence of evidence; the priority is
// their sum capped at 100, and the work types a village needs are weighted by the points of the
// reasons that call for them. Definitions, points and skill mapping: docs/dispatch.md section 1
// (kept in step with kReasons below).
//
// One pass of six range queries over the whole range (divisions, village tags, latest results,
// petitions by year, Party organizations, current secretary posts); none per village.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "services/dispatch.h"
#include "services/dispatch_pool_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;

// A reason: its points and the work types it calls for (the points are spread evenly over them).
struct ReasonDef {
  std::string_view source;
  double points;
  std::vector<std::string_view> skills;
};
const ReasonDef kReasons[] = {
    {"weak_lax", 40, {"party_building"}},
    {"key_village", 25, {"industry", "e_commerce"}},
    {"low_stars", 20, {"party_building"}},
    {"secretary_vacant", 20, {"party_building"}},
    {"petitions", 15, {"law_petitions"}},
    {"relocation_settlement", 15, {"planning_construction"}},
    {"lifted_from_poverty", 10, {"industry", "e_commerce"}},
};
// Every village needs some Party building from a first secretary: a base weight in points.
constexpr double kBasePartyBuilding = 10;
constexpr int kLowStars = 2;            // at most this many stars is a low rating
constexpr int64_t kManyPetitions = 10;  // petitions in a year that make a need
// The default threshold of a round (RoundRules::min_priority).
constexpr double kFirstSecretaryPriority = domain::RoundRules{}.min_priority;

const ReasonDef& Def(std::string_view source) {
  for (const ReasonDef& d : kReasons)
    if (d.source == source) return d;
  return kReasons[0];  // unreachable: every source used is listed
}

// What the queries found about one village-level unit.
struct Facts {
  std::string name;
  int64_t township_code = 0;
  std::vector<std::string> tags;
  int run_year = 0;  // 0: no published or final result
  int stars = 0;
  std::string rating_class;
  std::vector<std::string> weak_lax_triggers;
  int petition_year = 0;  // 0: no periodic ratings
  int64_t petitions = 0;
  int64_t rated_quarters = 0;
  bool has_org = false;
  bool has_secretary = false;
  bool has_first_secretary = false;
};

std::vector<std::string> Triggers(std::string_view detail) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(detail, ec);
  if (ec || !v.is_object()) return out;
  const json::value* list = v.get_object().if_contains("weak_lax");
  if (list == nullptr || !list->is_array()) return out;
  for (const json::value& hit : list->get_array()) {
    if (!hit.is_object()) continue;
    const json::value* e = hit.get_object().if_contains("evidence");
    if (e && e->is_string() && !e->get_string().empty()) out.emplace_back(e->get_string());
  }
  return out;
}

domain::VillageNeed Derive(int64_t code, const Facts& f, const std::string& township_name) {
  domain::VillageNeed n;
  n.division_code = code;
  n.name = f.name;
  n.township_code = f.township_code;
  n.township_name = township_name;
  const auto add = [&](std::string_view source, std::string evidence) {
    n.reasons.push_back({std::string(source), std::move(evidence), Def(source).points});
  };
  const bool weak_lax = f.run_year != 0 && f.rating_class == "weak_lax";
  if (weak_lax) {
    std::string evidence = fmt::format("{}年度考核被认定为软弱涣散", f.run_year);
    if (!f.weak_lax_triggers.empty()) {
      std::string joined;
      for (const std::string& t : f.weak_lax_triggers) joined += (joined.empty() ? "" : "；") + t;
      evidence += "（" + joined + "）";
    }
    add("weak_lax", std::move(evidence));
  }
  if (f.run_year != 0 && f.stars <= kLowStars)
    add("low_stars", fmt::format("{}年度考核评定为{}星", f.run_year, f.stars));
  if (f.petition_year != 0 && f.petitions >= kManyPetitions) {
    add("petitions", f.rated_quarters >= 4
                         ? fmt::format("{}年信访{}件", f.petition_year, f.petitions)
                         : fmt::format("{}年前{}个季度信访{}件", f.petition_year, f.rated_quarters,
                                       f.petitions));
  }
  const auto tagged = [&](std::string_view tag) {
    return std::find(f.tags.begin(), f.tags.end(), tag) != f.tags.end();
  };
  const bool key = tagged("key_village");
  if (key) add("key_village", "列为重点村");
  if (tagged("relocation_settlement"))
    add("relocation_settlement", "易地扶贫搬迁安置点，安置和后续扶持任务重");
  if (tagged("lifted_from_poverty")) add("lifted_from_poverty", "脱贫村，需巩固拓展脱贫攻坚成果");
  if (f.has_org && !f.has_secretary) add("secretary_vacant", "村党组织书记空缺");

  // Largest first; equal points keep the order of kReasons.
  const auto rank = [](const std::string& source) {
    for (size_t i = 0; i < std::size(kReasons); ++i)
      if (kReasons[i].source == source) return i;
    return std::size(kReasons);
  };
  std::stable_sort(n.reasons.begin(), n.reasons.end(), [&](const auto& a, const auto& b) {
    if (a.points != b.points) return a.points > b.points;
    return rank(a.source) < rank(b.source);
  });
  double sum = 0;
  std::map<std::string_view, double> skill_points = {{"party_building", kBasePartyBuilding}};
  for (const domain::NeedReason& r : n.reasons) {
    sum += r.points;
    const ReasonDef& d = Def(r.source);
    for (std::string_view s : d.skills)
      skill_points[s] += d.points / static_cast<double>(d.skills.size());
  }
  n.priority = std::min(100.0, sum);
  double total = 0;
  for (const auto& [skill, points] : skill_points) total += points;
  for (std::string_view skill : domain::kWorkSkills) {
    auto it = skill_points.find(skill);
    if (it != skill_points.end()) n.skills.emplace_back(std::string(skill), it->second / total);
  }
  std::stable_sort(n.skills.begin(), n.skills.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  n.needs_first_secretary = n.priority >= kFirstSecretaryPriority || weak_lax || key;
  n.has_first_secretary = f.has_first_secretary;
  return n;
}

}  // namespace

namespace internal {

Result<std::vector<domain::VillageNeed>> ComputeNeeds(Database& db, const DivisionRange& range,
                                                      const Date& today) {
  std::map<int64_t, Facts> villages;
  std::map<int64_t, std::string> townships;
  // The townships of the range too, for names, when the range is a single village.
  QJ_ASSIGN_OR_RETURN(auto divisions,
                      db.Query("SELECT code, level, name, parent_code FROM division"
                               " WHERE code BETWEEN ? AND ? AND level IN ('township', 'village')"
                               " ORDER BY code",
                               {Value(range.lo / 1000 * 1000), Value(range.hi)}));
  for (const Row& r : divisions) {
    const int64_t code = r.Int(0);
    if (r.Text(1) == "township") {
      townships[code] = r.Text(2);
    } else if (range.Contains(code)) {
      Facts& f = villages[code];
      f.name = r.Text(2);
      f.township_code = r.IsNull(3) ? 0 : r.Int(3);
    }
  }
  const auto facts = [&](int64_t code) -> Facts* {
    auto it = villages.find(code);
    return it == villages.end() ? nullptr : &it->second;
  };
  const std::vector<Value> span = {Value(range.lo), Value(range.hi)};

  QJ_ASSIGN_OR_RETURN(auto tags, db.Query("SELECT division_code, tags FROM village"
                                          " WHERE division_code BETWEEN ? AND ?",
                                          span));
  for (const Row& r : tags)
    if (Facts* f = facts(r.Int(0))) f->tags = ParseStringArray(r.Text(1));

  // Each village's result in the latest published or final run that rated it (by year, then
  // the later run of a year); the detail only where its triggers are quoted.
  QJ_ASSIGN_OR_RETURN(
      auto results,
      db.Query("SELECT division_code, stars, rating_class, detail, year FROM ("
               "SELECT a.division_code, a.stars, a.rating_class,"
               " CASE WHEN a.rating_class = 'weak_lax' THEN a.detail ELSE '' END AS detail,"
               " r.year, ROW_NUMBER() OVER (PARTITION BY a.division_code"
               " ORDER BY r.year DESC, r.id DESC) AS n"
               " FROM assess_result a JOIN assess_run r ON r.id = a.run_id"
               " WHERE a.division_code BETWEEN ? AND ? AND r.status IN ('published', 'final'))"
               " WHERE n = 1",
               span));
  for (const Row& r : results) {
    Facts* f = facts(r.Int(0));
    if (f == nullptr) continue;
    f->stars = static_cast<int>(r.Int(1));
    f->rating_class = r.Text(2);
    if (f->rating_class == "weak_lax") f->weak_lax_triggers = Triggers(r.Text(3));
    f->run_year = static_cast<int>(r.Int(4));
  }

  // Petitions of each village's latest year with periodic ratings (rows come year by year).
  QJ_ASSIGN_OR_RETURN(auto petitions,
                      db.Query("SELECT division_code, year, SUM(petitions), COUNT(*)"
                               " FROM periodic_rating WHERE division_code BETWEEN ? AND ?"
                               " GROUP BY division_code, year ORDER BY division_code, year",
                               span));
  for (const Row& r : petitions) {
    if (Facts* f = facts(r.Int(0))) {
      f->petition_year = static_cast<int>(r.Int(1));
      f->petitions = r.Int(2);
      f->rated_quarters = r.Int(3);
    }
  }

  QJ_ASSIGN_OR_RETURN(auto orgs, db.Query("SELECT DISTINCT division_code FROM party_org"
                                          " WHERE division_code BETWEEN ? AND ?",
                                          span));
  for (const Row& r : orgs)
    if (Facts* f = facts(r.Int(0))) f->has_org = true;

  const std::string day = today.ToString();
  QJ_ASSIGN_OR_RETURN(auto posts,
                      db.Query("SELECT DISTINCT s.division_code, s.kind FROM post s"
                               " WHERE s.division_code BETWEEN ? AND ?"
                               " AND s.kind IN ('party_secretary', 'first_secretary') AND " +
                                   std::string(kCurrentPost),
                               {Value(range.lo), Value(range.hi), Value(day), Value(day)}));
  for (const Row& r : posts) {
    Facts* f = facts(r.Int(0));
    if (f == nullptr) continue;
    (r.Text(1) == "party_secretary" ? f->has_secretary : f->has_first_secretary) = true;
  }

  std::vector<domain::VillageNeed> out;
  out.reserve(villages.size());
  for (const auto& [code, f] : villages) {
    auto t = townships.find(f.township_code);
    out.push_back(Derive(code, f, t == townships.end() ? "" : t->second));
  }
  return out;
}

Result<std::unordered_set<int64_t>> VillagesWithPost(Database& db, const DivisionRange& range,
                                                     const Date& day,
                                                     std::initializer_list<std::string_view> kinds) {
  std::string in;
  for (std::string_view k : kinds) in += fmt::format("{}'{}'", in.empty() ? "" : ", ", k);
  const std::string when = day.ToString();
  QJ_ASSIGN_OR_RETURN(
      auto rows, db.Query(fmt::format("SELECT DISTINCT division_code FROM post WHERE kind IN ({})"
                                      " AND division_code BETWEEN ? AND ? AND start_date <= ?"
                                      " AND (end_date IS NULL OR end_date > ?)",
                                      in),
                          {Value(range.lo), Value(range.hi), Value(when), Value(when)}));
  std::unordered_set<int64_t> out;
  for (const Row& r : rows) out.insert(r.Int(0));
  return out;
}

bool SeedRule(const domain::VillageNeed& n) {
  for (const domain::NeedReason& r : n.reasons)
    if (r.source == "weak_lax" || r.source == "key_village") return true;
  return false;
}

std::string TopWorkType(const domain::VillageNeed& n) {
  std::string best = "party_building";
  double weight = -1;
  for (std::string_view skill : domain::kWorkSkills) {
    for (const auto& [k, w] : n.skills) {
      if (k == skill && w > weight) {
        best = k;
        weight = w;
      }
    }
  }
  return best;
}

namespace {

// The posts each village needs today by the default round rules (docs/dispatch.md section 1):
// a first secretary where the seed's rule or the threshold calls for one and none is in post; a
// circuit instructor of its top work type at or above the threshold without an instructor; a
// tracking instructor for each planned or underway project nobody follows; an advisor at or
// above the threshold without one.
Status AddNeededPosts(Database& db, const DivisionRange& range, const Date& today,
                      std::vector<domain::VillageNeed>& needs) {
  QJ_ASSIGN_OR_RETURN(auto instructed, VillagesWithPost(db, range, today, {"instructor"}));
  QJ_ASSIGN_OR_RETURN(auto advised, VillagesWithPost(db, range, today, {"advisor"}));
  const std::string day = today.ToString();
  QJ_ASSIGN_OR_RETURN(
      auto projects,
      db.Query("SELECT p.division_code, p.id, p.name, p.work_type FROM project p"
               " WHERE p.division_code BETWEEN ? AND ? AND p.status IN ('planned', 'underway')"
               " AND p.end_date > ? AND NOT EXISTS (SELECT 1 FROM assignment a"
               "   JOIN dispatch_round r ON r.id = a.round_id"
               "   WHERE r.role = 'instructor_tracking' AND r.status = 'confirmed'"
               "   AND a.unit_id = p.id AND a.end_date > ?)"
               " ORDER BY p.division_code, p.id",
               {Value(range.lo), Value(range.hi), Value(day), Value(day)}));
  std::map<int64_t, std::vector<domain::NeededPost>> tracking;
  for (const Row& r : projects)
    tracking[r.Int(0)].push_back({"instructor_tracking", r.Text(3), r.Int(1), r.Text(2)});
  for (domain::VillageNeed& n : needs) {
    const bool over = n.priority >= kFirstSecretaryPriority;
    if (n.needs_first_secretary && !n.has_first_secretary)
      n.posts.push_back({"first_secretary", "", 0, ""});
    if (over && !instructed.count(n.division_code))
      n.posts.push_back({"instructor_circuit", TopWorkType(n), 0, ""});
    if (auto t = tracking.find(n.division_code); t != tracking.end())
      for (domain::NeededPost& p : t->second) n.posts.push_back(std::move(p));
    if (over && !advised.count(n.division_code)) n.posts.push_back({"advisor", "", 0, ""});
  }
  return Status::Ok();
}

}  // namespace

}  // namespace internal

Result<NeedsReport> NeedsService::List(const Caller& caller, const NeedsQuery& q) {
  if (!std::isfinite(q.min_priority) || q.min_priority < 0 || q.min_priority > 100)
    return Status::InvalidField("min_priority", "must be between 0 and 100");
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  std::vector<domain::VillageNeed> all;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    const Date today = Date::TodayInChina();
    QJ_ASSIGN_OR_RETURN(all, ComputeNeeds(*db, range, today));
    return AddNeededPosts(*db, range, today, all);
  }));
  NeedsReport report;
  // The townships' counts cover every village under the query, before the filters, so the
  // chart shows need against coverage whatever the list shows.
  std::map<int64_t, NeedsByTownship> towns;
  for (const domain::VillageNeed& n : all) {
    NeedsByTownship& t = towns[n.township_code];
    t.township_code = n.township_code;
    t.township_name = n.township_name;
    ++t.villages;
    t.needing += n.needs_first_secretary;
    t.covered += n.needs_first_secretary && n.has_first_secretary;
  }
  for (auto& [code, t] : towns) report.by_township.push_back(std::move(t));
  for (domain::VillageNeed& n : all) {
    if (n.priority < q.min_priority) continue;
    if (q.without_first_secretary && n.has_first_secretary) continue;
    report.villages.push_back(std::move(n));
  }
  std::stable_sort(report.villages.begin(), report.villages.end(),
                   [](const domain::VillageNeed& a, const domain::VillageNeed& b) {
                     return a.priority > b.priority;
                   });
  return report;
}

}  // namespace qiangji::services

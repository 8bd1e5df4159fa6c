// Shared reads of the cultivation services: person basics, membership state, settings, the
// team-health inputs of a range of villages in a handful of range queries, and the assessment's
// cultivation measures (docs/cultivation.md, "Reaching the assessment").
#include "services/cultivation_internal.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "domain/indicator_set.h"
#include "services/internal.h"

namespace qiangji::services::cultivation_internal {

using namespace internal;

std::string Prefix12(std::string_view prefix) {
  std::string s(prefix);
  s.resize(12, '0');
  return s;
}

Result<PersonBasics> LoadPerson(Database& db, const Caller& caller, int64_t id,
                                std::string_view field) {
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT p.id, p.division_code, p.name, p.sex, p.birth_date, p.education,"
               " p.party_status, p.party_join_date, COALESCE(d.name, '') FROM person p"
               " LEFT JOIN division d ON d.code = p.division_code WHERE p.id = ?",
               {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(1)))
    return Status::NotFound(fmt::format("{} {} not found", field, id));
  const Row& r = rows[0];
  PersonBasics p;
  p.id = r.Int(0);
  p.division_code = r.Int(1);
  p.name = r.Text(2);
  p.sex = r.Text(3);
  p.birth_date = OptDate(r, 4);
  p.education = r.Text(5);
  p.party_status = r.Text(6);
  p.party_join_date = OptDate(r, 7);
  p.division_name = r.Text(8);
  return p;
}

Result<std::vector<std::string>> CurrentPostKinds(Database& db, int64_t person_id,
                                                  const Date& day) {
  const std::string d = day.ToString();
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT DISTINCT s.kind FROM post s WHERE"
                                          " s.person_id = ? AND " +
                                              std::string(kCurrentPost) + " ORDER BY s.kind",
                                          {Value(person_id), Value(d), Value(d)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

Result<domain::MembershipState> LoadMembershipState(Database& db, const PersonBasics& person) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query("SELECT id, stage, step_date, months, note, division_code"
                               " FROM membership_step WHERE person_id = ?"
                               " ORDER BY step_date, id",
                               {Value(person.id)}));
  domain::MembershipState st;
  st.party_status = person.party_status;
  st.birth_date = person.birth_date;
  for (const auto& r : rows) {
    domain::MembershipStep s;
    s.id = r.Int(0);
    s.person_id = person.id;
    s.stage = r.Text(1);
    s.date = RequiredDate(r, 2);
    s.months = static_cast<int>(r.Int(3));
    s.note = r.Text(4);
    s.division_code = r.Int(5);
    st.steps.push_back(std::move(s));
  }
  return st;
}

CultivationSettings SettingsTable::For(int64_t village_code) const {
  const std::string code = fmt::format("{:012d}", village_code);
  for (const auto& s : rows) {
    if (code.compare(0, s.scope.size(), s.scope) == 0) return s;
  }
  return CultivationSettings{};
}

Result<SettingsTable> LoadSettings(Database& db) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT scope, reserve_target, annual_hours FROM"
                                          " cultivation_setting ORDER BY length(scope) DESC,"
                                          " scope",
                                          {}));
  SettingsTable t;
  for (const auto& r : rows) t.rows.push_back({r.Text(0), r.Int(1), r.Real(2)});
  return t;
}

Result<CultivationSettings> EffectiveSettings(Database& db, std::string_view code) {
  QJ_ASSIGN_OR_RETURN(SettingsTable t, LoadSettings(db));
  for (const auto& s : t.rows) {
    if (code.substr(0, std::min(code.size(), s.scope.size())) == s.scope &&
        code.size() >= s.scope.size())
      return s;
  }
  return CultivationSettings{};
}

Result<TeamInputs> GatherTeamInputs(Database& db, DivisionRange range, const Date& day,
                                    const SettingsTable& settings) {
  const std::string d = day.ToString();
  // The villages: every village-level unit with a post or a Party organization.
  QJ_ASSIGN_OR_RETURN(
      auto villages,
      db.Query("SELECT v.code, v.name, COALESCE(t.name, '') FROM division v"
               " LEFT JOIN division t ON t.code = v.parent_code"
               " WHERE v.level = 'village' AND v.code BETWEEN ? AND ? AND ("
               " EXISTS (SELECT 1 FROM post s WHERE s.division_code = v.code)"
               " OR EXISTS (SELECT 1 FROM party_org o WHERE o.division_code = v.code))"
               " ORDER BY v.code",
               {Value(range.lo), Value(range.hi)}));
  TeamInputs out;
  std::map<int64_t, size_t> index;
  for (const auto& r : villages) {
    index[r.Int(0)] = out.inputs.size();
    engines::cultivation::TeamInput in;
    in.division_code = r.Int(0);
    in.reserve_target = settings.For(in.division_code).reserve_target;
    out.inputs.push_back(std::move(in));
    out.names.push_back(r.Text(1));
    out.township_names.push_back(r.Text(2));
    out.member_ids.emplace_back();
  }
  // Posts of the two committees, reserve cadres and collective managers, current or ended.
  QJ_ASSIGN_OR_RETURN(
      auto posts,
      db.Query("SELECT s.division_code, s.person_id, s.kind, s.start_date, s.end_date,"
               " p.birth_date, p.sex, p.education,"
               " EXISTS (SELECT 1 FROM talent t WHERE t.person_id = p.id"
               " AND t.source IN ('wealth_leader', 'coop_chair') AND t.status <> 'left')"
               " FROM post s JOIN person p ON p.id = s.person_id"
               " WHERE s.division_code BETWEEN ? AND ? AND s.start_date <= ?"
               " AND s.kind IN ('party_secretary', 'deputy_party_secretary',"
               " 'committee_director', 'two_committee_member', 'reserve_cadre',"
               " 'collective_manager')"
               " ORDER BY s.division_code, s.person_id, s.id",
               {Value(range.lo), Value(range.hi), Value(d)}));
  std::vector<std::map<int64_t, engines::cultivation::TeamMember>> line_ups(out.inputs.size());
  std::vector<std::set<int64_t>> managers(out.inputs.size());
  std::vector<std::set<int64_t>> reserves(out.inputs.size());
  for (const auto& r : posts) {
    auto it = index.find(r.Int(0));
    if (it == index.end()) continue;
    const size_t i = it->second;
    auto& in = out.inputs[i];
    const std::string kind = r.Text(2);
    const Date start = RequiredDate(r, 3);
    const std::optional<Date> end = OptDate(r, 4);
    const bool held = start <= day && (!end || *end > day);
    const int64_t person = r.Int(1);
    if (kind == "party_secretary" || kind == "committee_director") {
      bool& is_held = kind == "party_secretary" ? in.secretary_held : in.director_held;
      std::optional<Date>& since =
          kind == "party_secretary" ? in.secretary_vacant_since : in.director_vacant_since;
      if (held) is_held = true;
      if (end && *end <= day && (!since || *end > *since)) since = end;
    }
    if (!held) continue;
    if (kind == "reserve_cadre") {
      reserves[i].insert(person);
      continue;
    }
    if (kind == "collective_manager") {
      managers[i].insert(person);
      continue;
    }
    auto [m, fresh] = line_ups[i].try_emplace(person);
    if (fresh) {
      m->second.birth_date = OptDate(r, 5);
      m->second.female = r.Text(6) == "female";
      m->second.education = r.Text(7);
      m->second.wealth_leader = r.Int(8) != 0;
    }
    if (kind == "party_secretary") m->second.secretary = true;
    if (kind == "committee_director") m->second.director = true;
  }
  for (size_t i = 0; i < out.inputs.size(); ++i) {
    auto& in = out.inputs[i];
    for (auto& [person, m] : line_ups[i]) {
      m.collective_manager = managers[i].count(person) > 0;
      in.members.push_back(m);
      out.member_ids[i].push_back(person);
    }
    in.reserve_count = static_cast<int64_t>(reserves[i].size());
    if (in.secretary_held) in.secretary_vacant_since.reset();
    if (in.director_held) in.director_vacant_since.reset();
  }
  // The earliest term expiry of each village's Party organizations.
  QJ_ASSIGN_OR_RETURN(auto terms, db.Query("SELECT division_code, MIN(term_expiry) FROM party_org"
                                           " WHERE division_code BETWEEN ? AND ?"
                                           " AND term_expiry IS NOT NULL GROUP BY division_code",
                                           {Value(range.lo), Value(range.hi)}));
  for (const auto& r : terms) {
    auto it = index.find(r.Int(0));
    if (it != index.end()) out.inputs[it->second].term_expiry = OptDate(r, 1);
  }
  return out;
}

Result<std::vector<std::pair<int64_t, double>>> HoursByPerson(Database& db, DivisionRange range,
                                                              int year) {
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT a.person_id, SUM(a.hours) FROM attendance a JOIN course c"
               " ON c.id = a.course_id WHERE a.division_code BETWEEN ? AND ?"
               " AND c.start_date BETWEEN ? AND ? GROUP BY a.person_id ORDER BY a.person_id",
               {Value(range.lo), Value(range.hi), Value(fmt::format("{:04d}-01-01", year)),
                Value(fmt::format("{:04d}-12-31", year))}));
  std::vector<std::pair<int64_t, double>> out;
  for (const auto& r : rows) out.emplace_back(r.Int(0), r.Real(1));
  return out;
}

Status GatherCultivationMeasures(Database& db, DivisionRange range, const Date& ref,
                                 std::vector<engines::assess::VillageInput>& villages) {
  const int under45 = engines::assess::MeasureIndex("two_committee_under_45_share");
  const int leaders = engines::assess::MeasureIndex("wealth_leader_share");
  const int shortfall = engines::assess::MeasureIndex("reserve_shortfall");
  const int trained = engines::assess::MeasureIndex("training_met_share");
  if (under45 < 0 || leaders < 0 || shortfall < 0 || trained < 0)
    return Status::Internal("the cultivation measures are missing from domain::kMeasures");
  QJ_ASSIGN_OR_RETURN(SettingsTable settings, LoadSettings(db));
  QJ_ASSIGN_OR_RETURN(TeamInputs teams, GatherTeamInputs(db, range, ref, settings));
  QJ_ASSIGN_OR_RETURN(auto hours, HoursByPerson(db, range, ref.year()));
  std::map<int64_t, double> hours_of(hours.begin(), hours.end());
  std::map<int64_t, size_t> team_of;
  for (size_t i = 0; i < teams.inputs.size(); ++i) team_of[teams.inputs[i].division_code] = i;
  for (auto& v : villages) {
    if (v.measures.size() < std::size(domain::kMeasures)) continue;
    auto it = team_of.find(v.code);
    const int64_t target = settings.For(v.code).reserve_target;
    if (it == team_of.end()) {
      v.measures[shortfall] = static_cast<double>(target);
      continue;
    }
    const auto& in = teams.inputs[it->second];
    const auto h = engines::cultivation::ComputeTeamHealth(in, ref);
    v.measures[shortfall] = static_cast<double>(h.reserve_shortfall);
    if (h.share_under_45) v.measures[under45] = *h.share_under_45;
    if (h.wealth_leader_share) v.measures[leaders] = *h.wealth_leader_share;
    if (!in.members.empty()) {
      const double required = settings.For(v.code).annual_hours;
      int64_t met = 0;
      for (int64_t person : teams.member_ids[it->second]) {
        auto hit = hours_of.find(person);
        met += (hit != hours_of.end() ? hit->second : 0.0) >= required;
      }
      v.measures[trained] = static_cast<double>(met) / static_cast<double>(in.members.size());
    }
  }
  return Status::Ok();
}

}  // namespace qiangji::services::cultivation_internal

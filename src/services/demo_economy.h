// The demo county's collective economy and 双挂钩 linkage (issue 5): a collective for every
// villagers' committee with five years of annual reports from engines/demo/economy_synth, the
// default linkage policy saved as version 1, funding on some of the demo's village projects, and
// the latest year's linkage decisions proposed, some approved by the township and some by the
// county. Part of BuildDemo, after the projects and the pairing (assisted villages and "measures"
// read them); not for api/ or cli/.
#pragma once

#include <cstdint>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "services/base.h"

namespace qiangji::services {

struct DemoEconomyReport {
  int64_t collectives = 0;       // registered, one per villagers' committee
  int64_t reports = 0;           // annual reports written
  int first_year = 0, last_year = 0;  // the years of the reports (today's year - 5 .. - 1)
  int policy_version = 0;        // the linkage policy saved (1 on a fresh demo)
  int64_t funded_projects = 0;   // projects given funding rows
  int64_t decisions = 0;         // linkage decisions of last_year
  int64_t township_approved = 0;  // of which left at township_approved
  int64_t county_approved = 0;    // of which county_approved
};

// On the demo database with its divisions, villages, posts, assessment runs, projects, pairing
// and the demo users in place (env.pool may hold one connection; no lease may be held by the
// caller). Everything goes through CollectiveService, ProjectFundingService and LinkageService
// as the demo's county user (the township steps of the demo township's villages as its township
// user), so each write is validated and audited. The five years end with last year
// (today.year() - 1). Deterministic in (seed, today).
Result<DemoEconomyReport> BuildDemoEconomy(Env env, const std::string& county, uint64_t seed,
                                           const Date& today);

}  // namespace qiangji::services

// Use cases of enterprise pairing (企到村 and 企到企, issue 4 point 6): the county's register of
// enterprises, and pairing runs that go draft -> matched -> confirmed. Creating a run snapshots
// its targets (villages whose need priority reaches the run's threshold, as a village and as its
// collective economic organization) with industries read from the villages' main industries;
// the county may set a target's industries or drop it while the run is not confirmed. Running
// solves engines/match/pairing.h (coverage first, then total score, a min-cost flow) and stores
// the pairs with their reasons and the unpaired with theirs; confirming dates the pairs for two
// years. Same rules as services.h: one transaction per call, scope checked here (NotFound outside
// it), field-level errors, audit rows. docs/enterprise-pairing.md.
//
// Capacity across runs: an enterprise's capacities are how many villages and collective firms
// it takes on at once. Pairings confirmed in other runs that are in force on a run's start date
// use them up (the run solves with what is left), and a village already paired of a kind on that
// date is not a target of that kind again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/dispatch.h"
#include "domain/enterprise.h"
#include "services/base.h"
#include "services/caller.h"

namespace qiangji::services {

struct EnterpriseQuery {
  std::string q;          // name contains
  std::string industry;   // "" = any; one of kIndustries
  std::string ownership;  // "" = any; one of kOwnerships
  std::optional<bool> available;
  int64_t page = 1;
  int64_t page_size = 100;
};

// A county's register; county and admin users manage it, users whose scope overlaps the county
// (its townships, villages) read it. Phones encrypted at rest, masked in views and audit rows; an
// update whose contact_phone still carries the mask keeps the stored one.
class EnterpriseService {
 public:
  explicit EnterpriseService(Env env) : env_(env) {}
  Result<Page<domain::Enterprise>> List(const Caller& caller, const EnterpriseQuery& q);
  Result<domain::Enterprise> Get(const Caller& caller, int64_t id);
  // county_code 0 = the caller's county. AlreadyExists when the name is taken in the county.
  Result<domain::Enterprise> Create(const Caller& caller, domain::Enterprise enterprise);
  Result<domain::Enterprise> Update(const Caller& caller, domain::Enterprise enterprise);  // by id
  // All-or-nothing JSON array or CSV (header = field names; industries and preferred_areas
  // separated by ';'), errors "rows[i].field". Returns the number of enterprises created.
  Result<int64_t> Import(const Caller& caller, std::string_view format, std::string_view text);

 private:
  Env env_;
};

// A run with its counts, for lists.
struct PairingRunSummary {
  domain::PairingRun run;
  int64_t targets = 0;  // included targets
  int64_t pairs = 0;    // pairs of the last run (confirmed pairings once confirmed)
};

// A target as the UI shows it: the snapshot, the need's reasons, and which of the village's
// words gave which industry (for industries read from them).
struct PairingTargetView {
  domain::PairingTarget target;
  std::vector<domain::NeedReason> reasons;
  std::vector<domain::IndustryMatch> matches;
};

// A change to one target while the run is a draft (or matched: it returns to draft).
struct TargetChange {
  int64_t run_id = 0;
  int64_t division_code = 0;
  std::string kind = "village";
  // Set: the county's industries (derived = false). Reset: read them from main_industries again.
  std::optional<std::vector<std::string>> industries;
  bool reset_industries = false;
  std::optional<bool> included;
};

// One pair of a result with its score broken down (every term before and after its weight).
struct PairView {
  domain::Pairing pairing;
  std::string enterprise_name;
  std::string ownership;
  std::string village_name;
  std::string township_name;
  double priority = 0;
  double overlap = 0, proximity = 0, priority_share = 0;       // 0..1 each
  double industry_term = 0, area_term = 0, priority_term = 0;  // weighted
  std::string relation;             // "township", "county", "prefecture", "province", "none"
  std::string preferred_area;       // the enterprise's preferred area containing the village
  std::vector<std::string> common;  // industries in common
};

struct UnpairedView {
  int64_t division_code = 0;
  std::string kind;
  std::string name;
  double priority = 0;
  std::string reason;  // "no_enterprise", "no_industry", "no_industry_match", "capacity_used",
                       // "already_paired"
  std::string text;    // zh-CN
  std::vector<int64_t> candidates;  // capacity_used: the enterprises it could have had
};

struct EnterpriseUseView {
  int64_t enterprise_id = 0;
  std::string name;
  int capacity_villages = 0, capacity_firms = 0;  // as registered
  int held_villages = 0, held_firms = 0;  // by pairings of other runs in force on the start date
  int used_villages = 0, used_firms = 0;  // by this run
};

struct PairingRunResult {
  domain::PairingRun run;
  std::vector<PairView> pairs;
  std::vector<UnpairedView> unpaired;
  std::vector<EnterpriseUseView> enterprises;
  int64_t targets = 0;  // targets solved (included, not already paired)
  int64_t covered = 0;
  int64_t allowed_pairs = 0;  // pairs the rules allow
  double total_score = 0;
  std::string input_hash, output_hash;
};

// Pairings confirmed (current ones by default) under a division: a village's page, and later the
// collective economy's comparison of assisted and unassisted villages.
struct PairingQuery {
  std::string under;         // division prefix within scope; "" = all of it
  bool current_only = true;  // in force today (start <= today < end)
};
struct PairingRecord {
  domain::Pairing pairing;
  std::string run_name;
  std::string enterprise_name;
  std::string ownership;
  std::vector<std::string> enterprise_industries;
  std::string village_name;
  std::string township_name;
  bool current = false;
};

class PairingService {
 public:
  explicit PairingService(Env env) : env_(env) {}
  // County/admin; scope within the caller's (default the caller's county). Snapshots targets;
  // FailedPrecondition when no village qualifies.
  Result<PairingRunSummary> Create(const Caller& caller, domain::PairingRun run);
  Result<std::vector<PairingRunSummary>> List(const Caller& caller);
  Result<PairingRunSummary> Get(const Caller& caller, int64_t id);
  Status Delete(const Caller& caller, int64_t id);                                   // drafts only
  Result<std::vector<PairingTargetView>> Targets(const Caller& caller, int64_t id);  // in scope
  Result<PairingTargetView> PutTarget(const Caller& caller, TargetChange change);
  // draft | matched -> matched.
  Result<PairingRunResult> Run(const Caller& caller, int64_t id);
  Result<PairingRunResult> GetResult(const Caller& caller, int64_t id);
  // matched -> confirmed: pairs start on the run's start date and end two years later.
  Result<PairingRunResult> Confirm(const Caller& caller, int64_t id);
  Result<std::vector<PairingRecord>> Pairings(const Caller& caller, const PairingQuery& q);

 private:
  Env env_;
};

struct PairingServices {
  explicit PairingServices(Env env) : enterprises(env), runs(env) {}
  EnterpriseService enterprises;
  PairingService runs;
};

}  // namespace qiangji::services

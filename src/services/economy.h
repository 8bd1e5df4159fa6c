// Use cases of the collective economy and 双挂钩 linkage (issue 5): each village's collective
// with its annual reports (API, UI, all-or-nothing CSV/JSON), the statistics the county reads
// (bands over years, weak villages, exits, growth, township aggregates, assisted against
// unassisted villages), project funding, and the linkage policy with its lists (incentives,
// promotion, honours, adjustment) that move proposed -> township_approved -> county_approved.
// Same rules as services.h: one transaction per call, scope checked here (NotFound outside it),
// field-level errors, audit rows. Money is integer fen everywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/economy.h"
#include "engines/economy/aggregate.h"
#include "engines/economy/linkage.h"
#include "services/base.h"
#include "services/caller.h"

namespace qiangji::services {

// ---- collectives and reports -----------------------------------------------------------------

// County, township and admin write within scope; village users write their own village's
// report (they keep the books) but not its collective's identity; everyone in scope reads.
class CollectiveService {
 public:
  explicit CollectiveService(Env env) : env_(env) {}
  Result<Page<domain::Collective>> List(const Caller& caller, const ListQuery& q);
  Result<domain::Collective> Get(const Caller& caller, int64_t id);
  Result<domain::Collective> ByVillage(const Caller& caller, int64_t division_code);
  Result<domain::Collective> Create(const Caller& caller, domain::Collective c);
  Result<domain::Collective> Update(const Caller& caller, domain::Collective c);  // by id

  // A year's report (replaces an existing one for that year); division_code comes from the
  // collective. InvalidArgument with field errors when a total does not add up.
  Result<domain::AnnualReport> PutReport(const Caller& caller, domain::AnnualReport report);
  Result<std::vector<domain::AnnualReport>> Reports(const Caller& caller, int64_t collective_id);
  // All-or-nothing bulk reports: JSON array or CSV (header = field names; amounts in yuan with
  // at most two decimals, e.g. "12345.67"; village by division_code), UTF-8 or GB18030. Errors
  // "rows[i].field". Returns the number of reports stored.
  Result<int64_t> ImportReports(const Caller& caller, std::string_view format,
                                std::string_view text);

 private:
  Env env_;
};

// ---- statistics ------------------------------------------------------------------------------

struct EconomyQuery {
  std::string under;           // division prefix within scope; "" = the caller's scope
  int first_year = 0;          // 0 = five years ending last_year
  int last_year = 0;           // 0 = the latest year with reports
  std::optional<int64_t> weak_threshold_fen;  // default: the county's linkage policy, else 10万
};

struct VillageEconomy {
  int64_t division_code = 0;
  std::string name;
  int64_t township_code = 0;
  std::string township_name;
  std::vector<int64_t> income_fen;  // per year of the report; engines::economy::kNoReport = none
  std::vector<int64_t> profit_fen;
  std::vector<double> growth;       // NaN where undefined
  double cagr = 0;                  // NaN where undefined
  bool weak = false;                // in the last year
  int exit_year = 0;                // 0: never left weak status in the window
  bool assisted = false;            // has a confirmed enterprise pairing (企到村/企到企)
};

struct EconomyReport {
  int first_year = 0, last_year = 0;
  int64_t weak_threshold_fen = 0;
  std::vector<engines::economy::YearFigures> total;
  struct Township {
    int64_t code = 0;
    std::string name;
    std::vector<engines::economy::YearFigures> years;
    double growth_last = 0;  // the last year's total growth (NaN when undefined)
    int rank = 0;            // by growth_last, 1 = highest
  };
  std::vector<Township> townships;
  std::vector<VillageEconomy> villages;  // weak ones first, then by name
  // Assisted (paired with an enterprise) against unassisted villages: mean growth in the last
  // year and weak share, each over villages with a defined figure.
  struct Group {
    int64_t villages = 0;
    double mean_growth = 0;
    double weak_share = 0;
  };
  Group assisted, unassisted;
};

class EconomyReportService {
 public:
  explicit EconomyReportService(Env env) : env_(env) {}
  Result<EconomyReport> Report(const Caller& caller, const EconomyQuery& q);

 private:
  Env env_;
};

// ---- linkage ---------------------------------------------------------------------------------

struct LinkagePolicy {
  int64_t id = 0;
  std::string scope;  // county prefix
  int version = 0;
  int64_t weak_threshold_fen = domain::kDefaultWeakThresholdFen;
  engines::economy::IncentivePolicy incentive;
  engines::economy::LinkageRules rules;
  std::string note;
  std::string created_at, created_by;
  bool is_default = false;  // no version saved yet: the documented default (docs/linkage.md)
};

struct LinkageDecision {
  int64_t id = 0;
  int64_t policy_id = 0;
  int policy_version = 0;
  int year = 0;
  std::string kind;  // "incentive" | "promotion" | "honours" | "adjustment"
  int64_t division_code = 0;
  std::string village_name;
  int64_t person_id = 0;  // 0: none on record
  std::string person_name;
  int64_t amount_fen = 0;
  double score = 0;
  std::vector<std::string> reasons;
  std::string status;  // proposed | township_approved | county_approved | rejected
  struct Step {
    std::string from, to, comment, at, by;
  };
  std::vector<Step> steps;
};

// A policy change previewed against a year's data before it is saved: per village, the bonus
// under the current and the proposed policy, and the lists' sizes.
struct PolicyPreview {
  int year = 0;
  struct Row {
    int64_t division_code = 0;
    std::string village_name;
    int64_t profit_last_fen = 0, profit_fen = 0;
    int64_t bonus_current_fen = 0, bonus_proposed_fen = 0;
    std::vector<std::string> lines;  // the proposed policy's explanation
    bool reported_last = true;       // false: no report last year, so no increase and no bonus
    int64_t manager_id = 0;          // the collective's manager at the year's end; 0: none
    std::string manager_name;
    int tenure_months = 0;  // the manager's months in post by the year's end
  };
  std::vector<Row> rows;
  int64_t total_current_fen = 0, total_proposed_fen = 0;
  int64_t promotion_current = 0, promotion_proposed = 0;
  int64_t honours_current = 0, honours_proposed = 0;
  int64_t adjustment_current = 0, adjustment_proposed = 0;
};

// The documented default (docs/linkage.md "The default policy") for a county that has saved no
// version: weak below 100,000 yuan of operating income; 超额累进 incentive tiers of 8% of the
// first 100,000 yuan of the increase in operating profit, 9% to 200,000, 10% to 300,000 and 12%
// above; operating profit of at least 50,000 yuan; six months in post; a cap of 60,000 yuan; the
// engine's default list rules.
LinkagePolicy DefaultLinkagePolicy(std::string_view county);

class LinkageService {
 public:
  explicit LinkageService(Env env) : env_(env) {}
  // The county's current policy (latest version; the documented default when none is saved).
  Result<LinkagePolicy> CurrentPolicy(const Caller& caller, std::string_view county);
  Result<std::vector<LinkagePolicy>> Policies(const Caller& caller, std::string_view county);
  // Computes, stores nothing.
  Result<PolicyPreview> Preview(const Caller& caller, const LinkagePolicy& proposed, int year);
  // County/admin: stores the next version (immutable). Field errors from the engine validators.
  Result<LinkagePolicy> SavePolicy(const Caller& caller, LinkagePolicy policy);
  // County/admin: computes the year's lists under the current policy for villages in scope and
  // stores them as proposed decisions (replacing proposed ones of that year; decisions already
  // approved or rejected are kept).
  Result<std::vector<LinkageDecision>> Propose(const Caller& caller, std::string_view county,
                                               int year);
  Result<std::vector<LinkageDecision>> Decisions(const Caller& caller, std::string_view under,
                                                 int year, std::string_view kind);
  // proposed -> township_approved (township user of that village's township, or county/admin);
  // township_approved -> county_approved (county/admin); either -> rejected. FailedPrecondition
  // (409) naming the status for any other move.
  Result<LinkageDecision> Decide(const Caller& caller, int64_t id, std::string_view to_status,
                                 std::string_view comment);

 private:
  Env env_;
};

// ---- project funding (跑项目、找资金) ---------------------------------------------------------

inline constexpr std::string_view kFundingSources[] = {"government", "enterprise", "collective",
                                                       "other"};

// Where a collective project's money comes from: the "measures" evidence of the linkage lists.
struct ProjectFunding {
  int64_t id = 0;
  int64_t project_id = 0;
  int64_t division_code = 0;  // the project's village (set by the service)
  std::string source;         // kFundingSources
  std::string funder;         // 0..100 characters, e.g. "县财政衔接资金"
  int64_t amount_fen = 0;     // > 0
  std::string note;           // 0..500 characters
};

// Everyone in scope reads a project's funding; county, township and admin users add and remove
// rows within their scope (village staff and viewers read only). A project outside the scope
// is NotFound. Each write is one transaction with its audit row.
class ProjectFundingService {
 public:
  explicit ProjectFundingService(Env env) : env_(env) {}
  Result<std::vector<ProjectFunding>> List(const Caller& caller, int64_t project_id);
  Result<ProjectFunding> Add(const Caller& caller, ProjectFunding funding);  // by project_id
  Status Remove(const Caller& caller, int64_t project_id, int64_t funding_id);

 private:
  Env env_;
};

// ---- equity incentives (股权激励) --------------------------------------------------------------

// Shares of a shareholding co-op granted to a person of its village, e.g. the collective's
// manager, often under a condition ("经营收益达到50万元后兑现").
struct EquityIncentive {
  int64_t id = 0;
  int64_t collective_id = 0;
  int64_t division_code = 0;  // the collective's village (set by the service)
  int64_t person_id = 0;      // a person of that village
  std::string person_name;    // read only
  int64_t shares = 0;         // 1..1,000,000,000
  Date granted_on;            // not in the future (China time)
  std::string conditions;     // 0..500 characters
};

// Everyone in scope reads a collective's grants; county, township and admin users grant and
// revoke within their scope (village staff and viewers read only). A collective outside the
// scope is NotFound; only a shareholding co-op (kind shareholding_coop) takes grants
// (FailedPrecondition otherwise). Each write is one transaction with its audit row.
class EquityIncentiveService {
 public:
  explicit EquityIncentiveService(Env env) : env_(env) {}
  Result<std::vector<EquityIncentive>> List(const Caller& caller, int64_t collective_id);
  Result<EquityIncentive> Grant(const Caller& caller, EquityIncentive grant);  // by collective_id
  Status Revoke(const Caller& caller, int64_t collective_id, int64_t id);

 private:
  Env env_;
};

struct EconomyServices {
  explicit EconomyServices(Env env)
      : collectives(env), reports(env), linkage(env), funding(env), equity(env) {}
  CollectiveService collectives;
  EconomyReportService reports;
  LinkageService linkage;
  ProjectFundingService funding;
  EquityIncentiveService equity;
};

}  // namespace qiangji::services

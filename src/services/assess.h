// Use cases of the assessment (issue 3): indicator sets (versioned), evidence from the four
// sources (single records and all-or-nothing bulk JSON/CSV), runs (gather measures from the
// database, run engines/assess/pipeline.h, store the results with hashes), publication with a
// public-notice period, appeals, and the reports the UI shows. Same rules as services.h: one
// transaction per call, scope checked here (NotFound outside it), field-level errors, audit rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/division_code.h"
#include "common/status.h"
#include "domain/evidence.h"
#include "domain/indicator_set.h"
#include "engines/assess/pipeline.h"
#include "services/base.h"
#include "services/caller.h"

namespace qiangji::services {

// ---- indicator sets ------------------------------------------------------------------------

struct IndicatorSetSummary {
  int64_t id = 0;
  std::string key;
  int version = 0;
  std::string name_zh, name_en, note;
  std::string created_at, created_by;
  int64_t indicator_count = 0;
  bool latest = false;  // the newest version of its key
  int64_t run_count = 0;
};

class IndicatorSetService {
 public:
  explicit IndicatorSetService(Env env) : env_(env) {}
  // Every version of every key, newest first within a key.
  Result<std::vector<IndicatorSetSummary>> List(const Caller& caller);
  Result<domain::IndicatorSet> Get(const Caller& caller, int64_t id);
  // The latest version of a key (NotFound when none).
  Result<domain::IndicatorSet> Latest(const Caller& caller, std::string_view key);
  // Stores `set` as the next version of set.key (version 1 when new). County or admin only.
  // Validates the structure (domain) and the AHP consistency (engine: CR >= 0.10 rejects with the
  // matrix's name and CR). Sets are immutable once stored: editing means a new version.
  Result<domain::IndicatorSet> Create(const Caller& caller, domain::IndicatorSet set);
  // Live consistency of one matrix for the editor; no storage.
  Result<engines::assess::AhpCheck> CheckAhp(const domain::AhpMatrixDef& matrix);

 private:
  Env env_;
};

// The default set for village Party organizations, as shipped (data/indicator-sets/
// village-default.json, compiled in). Migrations/init store it as "village-default" version 1.
Result<domain::IndicatorSet> DefaultIndicatorSet();
// Stores the default set when no set with its key exists yet (idempotent). Used by init/demo.
Status EnsureDefaultIndicatorSet(storage::Database& db);

// ---- evidence ------------------------------------------------------------------------------

struct EvidenceQuery {
  std::string under;  // division prefix within scope, "" = all of the scope
  int year = 0;       // 0 = every year
  int64_t page = 1;
  int64_t page_size = 100;  // 1..500
};

// Kinds for bulk import and for the API paths.
inline constexpr std::string_view kEvidenceKinds[] = {"periodic-ratings", "spot-checks",
                                                      "duty-reports", "satisfaction-surveys"};

struct ImportReport {
  std::string kind;
  int64_t rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;  // periodic ratings, duty reports and surveys are keyed by village+period
};

class EvidenceService {
 public:
  explicit EvidenceService(Env env) : env_(env) {}
  // Upserts keyed by (division_code, period) / (division_code, year). The village must be a
  // village-level division in the caller's scope (NotFound otherwise); writers only.
  Result<domain::PeriodicRating> PutPeriodicRating(const Caller& caller, domain::PeriodicRating r);
  Result<Page<domain::PeriodicRating>> ListPeriodicRatings(const Caller& caller,
                                                           const EvidenceQuery& q);
  Result<domain::SpotCheck> CreateSpotCheck(const Caller& caller, domain::SpotCheck c);
  Result<domain::SpotCheck> UpdateSpotCheck(const Caller& caller, domain::SpotCheck c);  // by id
  Status DeleteSpotCheck(const Caller& caller, int64_t id);
  Result<Page<domain::SpotCheck>> ListSpotChecks(const Caller& caller, const EvidenceQuery& q);
  Result<domain::DutyReport> PutDutyReport(const Caller& caller, domain::DutyReport r);
  Result<Page<domain::DutyReport>> ListDutyReports(const Caller& caller, const EvidenceQuery& q);
  Result<domain::SatisfactionSurvey> PutSurvey(const Caller& caller, domain::SatisfactionSurvey s);
  Result<Page<domain::SatisfactionSurvey>> ListSurveys(const Caller& caller,
                                                      const EvidenceQuery& q);
  // Bulk import of one kind. `format` is "json" (an array of objects shaped like the API's) or
  // "csv" (UTF-8 or GB18030, header row with the same field names). All or nothing: any bad row
  // answers InvalidArgument whose field errors name "rows[i].field" (i 0-based over data rows)
  // and nothing is stored. One audit row for the import.
  Result<ImportReport> Import(const Caller& caller, std::string_view kind, std::string_view format,
                              std::string_view text);

 private:
  Env env_;
};

// ---- runs ----------------------------------------------------------------------------------

// draft -> published (公示, notice_until = published day + notice_days) -> final.
inline constexpr std::string_view kRunStatuses[] = {"draft", "published", "final"};

struct RunRequest {
  std::string scope;      // the county (6 digits) or a wider prefix the caller covers
  int year = 0;           // the assessment year, e.g. 2025
  int64_t indicator_set_id = 0;  // 0 = latest "village-default"
  bool sensitivity = true;
};

struct RunSummary {
  int64_t id = 0;
  std::string scope;
  std::string scope_name;
  int year = 0;
  int64_t indicator_set_id = 0;
  std::string indicator_set_key;
  int indicator_set_version = 0;
  std::string method;       // scoring method
  std::string weighting;    // weighting method
  std::string params_json;  // the set's weighting/scoring/bands/rules as used (JSON text)
  std::string input_hash, output_hash;
  std::string status;  // kRunStatuses
  std::string created_at, created_by;
  std::string published_at, notice_until, finalized_at;  // "" until then
  int64_t village_count = 0;
  std::vector<int64_t> star_counts;  // index = stars
  int64_t model_count = 0, weak_lax_count = 0, warning_count = 0;
  double stable_share = 1;
  int64_t open_appeals = 0;
};

// One village's stored result: the engine's VillageResult plus names.
struct RunVillage {
  engines::assess::VillageResult result;
  std::string name;
  int64_t township_code = 0;
  std::string township_name;
  int year = 0;         // set in an explanation's history (which run it came from)
  int64_t run_id = 0;
};

struct ResultQuery {
  std::string under;        // narrows within the caller's scope
  int stars = 0;            // 0 = any
  std::string rating_class; // "" = any
  bool warnings_only = false;
  std::string q;            // village name contains
  std::string sort = "rank";  // "rank" | "code" | "change_probability"
  int64_t page = 1;
  int64_t page_size = 100;
};

struct RunExplanation {
  RunSummary run;
  RunVillage village;
  std::vector<domain::IndicatorDef> indicators;  // the set's, in line order
  std::vector<double> weights;                   // final per indicator
  std::vector<RunVillage> history;  // the village in earlier published/final runs, oldest first
};

struct BothEndsReport {
  RunSummary run;
  std::vector<engines::assess::GroupEnds> groups;  // filtered to the caller's scope/under
  // names for the codes in groups
  std::vector<std::pair<int64_t, std::string>> names;
};

struct TrendPoint {
  int year = 0;
  int64_t run_id = 0;
  std::string status;
  std::vector<int64_t> star_counts;
  int64_t model_count = 0, weak_lax_count = 0;
  double mean_score = 0;
};

struct Appeal {
  int64_t id = 0;
  int64_t run_id = 0;
  int64_t division_code = 0;
  std::string village_name;
  std::string reason;           // 1..2000 characters
  std::string status;           // "pending" | "upheld" | "rejected"
  std::string decision;         // the county's reasons
  std::string lodged_by, lodged_at, decided_by, decided_at;
};

class AssessRunService {
 public:
  explicit AssessRunService(Env env) : env_(env) {}
  // County or admin; scope must be within the caller's. Gathers every village-level division
  // under the scope, builds VillageInputs from the evidence and records of `year` (and the
  // previous year's published/final run for warnings), runs the pipeline and stores the run as
  // draft with its input snapshot. InvalidArgument for a bad year/scope/set, NotFound outside
  // scope.
  Result<RunSummary> Start(const Caller& caller, const RunRequest& request);
  Result<std::vector<RunSummary>> List(const Caller& caller, int year = 0);
  Result<RunSummary> Get(const Caller& caller, int64_t run_id);
  Result<Page<RunVillage>> Results(const Caller& caller, int64_t run_id, const ResultQuery& q);
  Result<RunExplanation> Explain(const Caller& caller, int64_t run_id, int64_t village_code);
  Result<BothEndsReport> BothEnds(const Caller& caller, int64_t run_id, std::string_view under);
  // Published and final runs of the caller's county, one per year (latest run of the year).
  Result<std::vector<TrendPoint>> Trend(const Caller& caller, std::string_view under);
  // Recomputes a stored run from its input snapshot and compares both hashes; Ok when equal,
  // Internal naming both hashes otherwise.
  Result<RunSummary> Verify(const Caller& caller, int64_t run_id);
  // draft -> published; notice_until = today + the set's notice_days. County/admin.
  Result<RunSummary> Publish(const Caller& caller, int64_t run_id);
  // published -> final once the notice period is over (today > notice_until) and every appeal
  // is decided; FailedPrecondition naming what is missing otherwise. County/admin.
  Result<RunSummary> Finalize(const Caller& caller, int64_t run_id);
  // Draft runs can be deleted (a published run stays on record). County/admin.
  Status Delete(const Caller& caller, int64_t run_id);

  // Appeals: lodged by a writer whose scope covers the village, only while the run is
  // published and today <= notice_until; one pending appeal per village and run.
  Result<Appeal> LodgeAppeal(const Caller& caller, int64_t run_id, int64_t village_code,
                             std::string reason);
  Result<std::vector<Appeal>> ListAppeals(const Caller& caller, int64_t run_id /* 0 = all */,
                                          std::string_view status /* "" = all */);
  // County/admin records "upheld" or "rejected" with its reasons.
  Result<Appeal> DecideAppeal(const Caller& caller, int64_t appeal_id, std::string_view status,
                              std::string decision);

 private:
  Env env_;
};

// Measures and facts of every village-level division in [range] for `year`, as the run service
// gathers them (services/assess_measures.cc). Reference date: 31 December of `year`, or
// `today` when that is earlier. Exposed for the demo builder and tests.
Result<std::vector<engines::assess::VillageInput>> GatherVillageInputs(storage::Database& db,
                                                                      DivisionRange range,
                                                                      int year, Date today);

// All the assessment services over one Env.
struct AssessServices {
  explicit AssessServices(Env env) : sets(env), evidence(env), runs(env) {}
  IndicatorSetService sets;
  EvidenceService evidence;
  AssessRunService runs;
};

}  // namespace qiangji::services

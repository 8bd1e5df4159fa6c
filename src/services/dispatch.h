// Use cases of dispatch (双选派, issue 4), first-secretary rounds end to end: the county's cadre
// pool, each village's needs derived from the data (assessment results, evidence, tags, records)
// with reasons and a priority, and rounds that go draft -> preferences_open -> matched ->
// confirmed. Matching runs engines/match (deferred acceptance or optimal fit) with the
// independent stability certificate; confirmation appoints first_secretary posts with start and
// end dates. Same rules as services.h: one transaction per call, scope checked here (NotFound
// outside it), field-level errors, audit rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/division_code.h"
#include "common/status.h"
#include "domain/dispatch.h"
#include "services/base.h"
#include "services/caller.h"

namespace qiangji::services {

struct CadreQuery {
  std::string kind;  // "" = both, "cadre", "worthy"
  std::string q;  // name or sending unit contains
  std::string skill;  // "" = any
  std::optional<bool> available;
  int64_t page = 1;
  int64_t page_size = 100;
};

// The pool belongs to a county; county and admin users manage it, township users read it.
class CadrePoolService {
 public:
  explicit CadrePoolService(Env env) : env_(env) {}
  Result<Page<domain::Cadre>> List(const Caller& caller, const CadreQuery& q);
  Result<domain::Cadre> Get(const Caller& caller, int64_t id);
  Result<domain::Cadre> Create(const Caller& caller, domain::Cadre cadre);
  Result<domain::Cadre> Update(const Caller& caller, domain::Cadre cadre);  // by id
  // All-or-nothing JSON array or CSV (header = field names; skills separated by ';'), errors
  // "rows[i].field". A row without a kind takes `default_kind` ("cadre" or "worthy"; another
  // value is an error on "kind"). Returns the number of cadres created.
  Result<int64_t> Import(const Caller& caller, std::string_view format, std::string_view text,
                         std::string_view default_kind = "cadre");

 private:
  Env env_;
};

// Needs of every village-level unit under `under` (within scope), highest priority first.
// Reasons: the latest published/final assessment run (weak-and-lax, 1-2 stars, its evidence),
// the latest year's petitions (>= 10), village tags (key_village, relocation_settlement,
// lifted_from_poverty), a vacant party secretary. Definitions and points: docs/dispatch.md.
struct NeedsQuery {
  std::string under;
  double min_priority = 0;
  bool without_first_secretary = false;  // only villages with no current first secretary
};
struct NeedsByTownship {
  int64_t township_code = 0;
  std::string township_name;
  int64_t villages = 0;
  int64_t needing = 0;  // needs_first_secretary
  int64_t covered = 0;  // needing and has_first_secretary
};
struct NeedsReport {
  std::vector<domain::VillageNeed> villages;
  std::vector<NeedsByTownship> by_township;
};
class NeedsService {
 public:
  explicit NeedsService(Env env) : env_(env) {}
  Result<NeedsReport> List(const Caller& caller, const NeedsQuery& q);

 private:
  Env env_;
};

// A participant of a round and its list as stored (names for display).
struct RoundCadre {
  domain::Cadre cadre;
  std::optional<domain::Preference> preference;
  std::string receivers = "village";  // what the ids in the list are: village, circuit, project
};
// A receiver of a round: a village (first secretary, resident instructor, advisor), a circuit
// (one work type in one township; instructor_circuit) or a project (instructor_tracking). `id`
// is what preferences and assignments name: the village code, the round_unit id, or the
// project id. `need` is the village's need (for a circuit: the township, with needs = the work
// type; for a project: its village's need with the project's work type first).
struct RoundVillage {
  domain::VillageNeed need;
  int seats = 1;
  std::optional<domain::Preference> preference;
  std::string kind = "village";  // "village" | "circuit" | "project"
  int64_t id = 0;                // village code, circuit id or project id
  std::string name;              // village name, "<township>·<work type>" or the project name
  std::string work_type;         // circuit and project: the work type
  std::vector<int64_t> villages;  // circuit: the villages it covers; project: its village
  std::optional<domain::Project> project;  // project receivers
  std::vector<domain::VillageNeed> village_needs;  // circuit: each village's need at opening
};

struct Unmatched {
  std::string side;  // "cadre" | "village"
  int64_t id = 0;    // cadre id or village code
  std::string name;
  std::string reason;  // zh-CN, e.g. "所列3个村均已由其更优先的人选占满"
};

struct RoundResult {
  domain::DispatchRound round;
  std::vector<domain::Assignment> assignments;
  std::vector<std::pair<int64_t, std::string>> cadre_names;    // for the assignments
  std::vector<std::pair<int64_t, std::string>> village_names;  // also every village covered
  std::vector<std::pair<int64_t, std::string>> unit_names;     // circuit / project receivers
  std::vector<Unmatched> unmatched;
  // Circuit rounds: villages of a circuit that no matched instructor covers (too few matched).
  struct Uncovered {
    int64_t division_code = 0;
    std::string name;
    int64_t unit_id = 0;  // the circuit
    std::string unit_name;
    std::string reason;  // zh-CN
  };
  std::vector<Uncovered> uncovered;
  // explanation per participant: ("cadre", id) / ("village", code) -> zh-CN sentences
  struct Explanation {
    std::string side;
    int64_t id = 0;
    std::vector<std::string> lines;
  };
  std::vector<Explanation> explanations;
  int64_t blocking_pairs = 0;  // the independent checker's count (0 for a stable result)
  int64_t checked_pairs = 0;
  double total_fit = 0;
  double optimal_fit = 0;        // the best possible total fit under the same rules
  double price_of_stability = 0; // 1 - total_fit / optimal_fit (0 when optimal_fit is 0)
  int64_t derived_cadre_lists = 0, derived_village_lists = 0;
  std::string input_hash, output_hash;
};

// Projects of villages in scope (a tracking instructor follows one from start to end). County,
// township and admin write within scope; everyone in scope reads. Audited.
struct ProjectQuery {
  std::string under;   // division prefix, "" = the caller's scope
  std::string status;  // "" = any
  std::string work_type;  // "" = any
};
class ProjectService {
 public:
  explicit ProjectService(Env env) : env_(env) {}
  Result<std::vector<domain::Project>> List(const Caller& caller, const ProjectQuery& q);
  Result<domain::Project> Get(const Caller& caller, int64_t id);
  Result<domain::Project> Create(const Caller& caller, domain::Project project);
  Result<domain::Project> Update(const Caller& caller, domain::Project project);  // by id

 private:
  Env env_;
};

struct FirstSecretaryTerm {  // any sent post: first secretary, instructor or advisor
  std::string post_kind = "first_secretary";  // kPostKinds
  int64_t post_id = 0;
  int64_t division_code = 0;
  std::string village_name;
  std::string person_name;
  int64_t round_id = 0;  // 0 when the post was entered by hand
  Date start_date;
  std::optional<Date> end_date;
  bool current = false;
  bool ending_soon = false;  // current and ends within `days`
  int64_t days_left = 0;
};

struct PreferenceImportReport {
  int64_t lists = 0;  // lists stored (each replaces that owner's list)
  int64_t rows = 0;
};

class DispatchRoundService {
 public:
  explicit DispatchRoundService(Env env) : env_(env) {}
  // County/admin; scope within the caller's. Status draft.
  Result<domain::DispatchRound> Create(const Caller& caller, domain::DispatchRound round);
  Result<std::vector<domain::DispatchRound>> List(const Caller& caller);
  Result<domain::DispatchRound> Get(const Caller& caller, int64_t id);
  Status Delete(const Caller& caller, int64_t id);  // drafts only
  // draft -> preferences_open: snapshots the participants (available cadres of the county;
  // villages needing a first secretary and without one, one seat each) and their needs.
  Result<domain::DispatchRound> Open(const Caller& caller, int64_t id);
  Result<std::vector<RoundCadre>> Cadres(const Caller& caller, int64_t id);
  Result<std::vector<RoundVillage>> Villages(const Caller& caller, int64_t id);  // in scope
  // While preferences_open: a cadre's list (county/admin enter it for the cadre) or a village's
  // list (its township, county or admin). InvalidArgument naming "tiers[i][j]" for an id that
  // is not a participant of the other side, a repeat, or an excluded pair.
  Result<domain::Preference> PutPreference(const Caller& caller, domain::Preference pref);
  // Many lists at once, all or nothing: a CSV (or JSON array) of rows side, owner, rank, member
  // (rank 1 = first choice; equal ranks of one owner are a tie). Each (side, owner) list in the
  // file replaces that list, checked exactly as PutPreference; errors name "rows[i].field".
  Result<PreferenceImportReport> ImportPreferences(const Caller& caller, int64_t id,
                                                   std::string_view format, std::string_view raw);
  // preferences_open (or matched, to rerun) -> matched: derives the missing lists from fit,
  // solves, checks stability independently, stores assignments and the result.
  Result<RoundResult> Run(const Caller& caller, int64_t id);
  Result<RoundResult> GetResult(const Caller& caller, int64_t id);  // the stored result
  // matched -> confirmed: each assignment becomes a first_secretary post in its village from
  // round.start_date to start + term (a person record is created in that village from the
  // cadre's data, or found by ID number); the cadre becomes unavailable. County/admin.
  Result<RoundResult> Confirm(const Caller& caller, int64_t id);
  // First-secretary posts in scope, current or ended, newest first, each flagged when it ends
  // within `days` of today (terms near expiry): the history of dispatch.
  Result<std::vector<FirstSecretaryTerm>> Terms(const Caller& caller, int days = 90);

 private:
  Env env_;
};


struct DispatchServices {
  explicit DispatchServices(Env env) : pool(env), needs(env), rounds(env), projects(env) {}
  CadrePoolService pool;
  NeedsService needs;
  DispatchRoundService rounds;
  ProjectService projects;
};

}  // namespace qiangji::services

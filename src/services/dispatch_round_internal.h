// The dispatch round service's state changes at a given day and time (the Clock seam of
// assess_internal.h). DispatchRoundService calls them with the system clock; the demo builder
// replays last year's round at its dates and tests step through a round on fixed days. Each
// takes its own connections from env.pool (one at a time, so a pool of one connection works),
// runs its write in one transaction and writes the audit rows of the method of the same name.
//
// Below them, the pieces the round service's files share (dispatch_round_service.cc: rows,
// participants, lists, results and terms; dispatch_round_open.cc: the snapshot of each role's
// receivers; dispatch_round_run.cc: the solve and its explanations; dispatch_round_confirm.cc:
// the posts). Not for api/ or cli/.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/assess_internal.h"
#include "services/dispatch.h"
#include "services/internal.h"

namespace qiangji::services::internal {

Result<domain::DispatchRound> CreateRound(Env env, const Caller& caller,
                                          domain::DispatchRound round, const Clock& clock);
Result<domain::DispatchRound> OpenRound(Env env, const Caller& caller, int64_t id,
                                        const Clock& clock);
Result<domain::Preference> PutRoundPreference(Env env, const Caller& caller,
                                              domain::Preference pref, const Clock& clock);
// Many lists at once from a table (docs/dispatch.md §3), all or nothing.
Result<PreferenceImportReport> ImportRoundPreferences(Env env, const Caller& caller,
                                                      int64_t round_id, std::string_view format,
                                                      std::string_view raw, const Clock& clock);
Result<RoundResult> RunRound(Env env, const Caller& caller, int64_t id, const Clock& clock);
Result<RoundResult> ConfirmRound(Env env, const Caller& caller, int64_t id, const Clock& clock);
// Every sent post (first secretary, instructor, advisor) in scope; the name is historical.
Result<std::vector<FirstSecretaryTerm>> FirstSecretaryTerms(Env env, const Caller& caller, int days,
                                                            const Date& today);

// ---- shared by dispatch_round_*.cc ----

struct RoundRow {
  domain::DispatchRound round;
  DivisionRange range;
  std::string result_json;
};

// Visible when the round's scope overlaps the caller's (NotFound otherwise).
Result<RoundRow> LoadRound(Database& db, const Caller& caller, int64_t id);
// Visible, county staff or an administrator, and the round wholly inside the caller's scope.
Result<RoundRow> LoadRoundForChange(Database& db, const Caller& caller, int64_t id,
                                    std::string_view what);
bool IsCountyStaff(const Caller& caller);
Status RequireStatus(const RoundRow& row, std::initializer_list<std::string_view> allowed,
                     std::string_view what);
json::object RoundAuditJson(const domain::DispatchRound& r);
// An audit row on the round ("dispatch_round/{id}", division = the round's range start).
Status AuditRound(Database& db, const Caller& caller, std::string action, const RoundRow& row,
                  std::optional<json::object> before, std::optional<json::object> after);

// A pool member as the round reads him: plain personal data (for confirmation) or none.
inline constexpr std::string_view kCadreSelect =
    "SELECT c.id, c.county_code, c.name, c.sex, c.birth_date, c.id_number_enc, c.phone_enc,"
    " c.sending_unit, c.unit_kind, c.skills, c.home_code, c.available, c.term_months, c.note,"
    " c.person_id, c.updated_at, c.id_number_hash, c.kind, c.residence FROM cadre c";
struct CadreRow {
  domain::Cadre cadre;  // id_number and phone plain (when read with the secrets)
  std::string id_number_hash;
  std::string phone_enc;
};
CadreRow CadreFromRow(const Row& r, const Secrets* secrets);

// What a round's receivers are, by its role: "village" (first secretary, resident instructor,
// advisor), "circuit" (instructor_circuit) or "project" (instructor_tracking).
std::string_view ReceiverKind(std::string_view role);
// The noun explanations use for a receiver: 村, 巡回组, 项目.
std::string_view ReceiverNounZh(std::string_view kind);
// The zh-CN label of a work type (党建, 产业发展, ...); the key itself when unknown.
std::string WorkTypeZh(std::string_view work_type);
// "龙泉关镇·产业发展巡回组"; "骆驼湾村食用菌大棚扩建项目（骆驼湾村）" (the village's name without
// a trailing 村民委员会 / 居民委员会).
std::string CircuitName(std::string_view township_name, std::string_view work_type);
std::string ProjectReceiverName(std::string_view project_name, std::string_view village_name);

// One receiver of a round as stored at opening (round_village, round_unit or round_project).
struct Receiver {
  std::string kind = "village";  // "village" | "circuit" | "project"
  int64_t id = 0;                // village code, round_unit id or project id
  std::string name;              // what explanations and the UI call it
  int64_t division = 0;          // the village; a circuit's township; a project's village
  domain::VillageNeed need;      // as at opening (circuit: {work type: 1}, mean priority)
  int seats = 1;
  std::string work_type;                           // circuit and project
  std::vector<int64_t> villages;                   // the villages it stands for, ascending
  std::vector<domain::VillageNeed> village_needs;  // circuit: each village's need at opening
  std::optional<domain::Project> project;          // project receivers
};

struct Participants {
  std::string kind = "village";     // ReceiverKind(role)
  std::vector<CadreRow> cadres;     // by id
  std::vector<Receiver> receivers;  // villages by code; circuits and projects by id
  std::map<int64_t, size_t> cadre_index;
  std::map<int64_t, size_t> receiver_index;
  std::map<std::pair<std::string, int64_t>, domain::Preference> prefs;  // (side, owner)

  const Receiver* FindReceiver(int64_t id) const {
    auto it = receiver_index.find(id);
    return it == receiver_index.end() ? nullptr : &receivers[it->second];
  }
};
Result<Participants> LoadParticipants(Database& db, const RoundRow& row, const Secrets* secrets);

// A receiver is visible to a caller whose scope holds any of its villages (or its division).
bool ReceiverInScope(const Caller& caller, const Receiver& r);

std::string TiersText(const std::vector<std::vector<int64_t>>& tiers);
std::vector<int64_t> ParseIdArray(std::string_view text);
std::string IdArrayText(const std::vector<int64_t>& ids);
// Cadres only (never worthies), when the round applies the avoidance rule.
bool HomeCountyClash(const domain::DispatchRound& round, const domain::Cadre& c, int64_t place);

// The stored result (status matched or confirmed) cut to the caller's scope.
Result<RoundResult> LoadResult(Database& db, const Caller& caller, const RoundRow& row);
// What the round keeps of a solve besides the assignments.
json::object StoredResultJson(const RoundResult& r, int64_t violations, int solves,
                              int64_t exclusions);

}  // namespace qiangji::services::internal

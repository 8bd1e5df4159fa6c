// The cadre pool and village needs inside a caller's connection, for the dispatch services
// (round snapshots, confirmation) and the demo builder. The public face is CadrePoolService and
// NeedsService (services/dispatch.h); these run on an open transaction and check no scope. Not
// for api/ or cli/.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/date.h"
#include "common/division_code.h"
#include "common/status.h"
#include "domain/dispatch.h"
#include "services/base.h"
#include "services/caller.h"
#include "storage/database.h"

namespace qiangji::services::internal {

// Needs of every village-level unit in `range` as of `today` (current posts), in division-code
// order, with reasons, priority and skills as docs/dispatch.md section 1 defines them. A handful
// of range queries, none per village.
Result<std::vector<domain::VillageNeed>> ComputeNeeds(storage::Database& db,
                                                      const DivisionRange& range,
                                                      const Date& today);

// Villages of the range holding a post of one of `kinds` on `day`.
Result<std::unordered_set<int64_t>> VillagesWithPost(storage::Database& db,
                                                     const DivisionRange& range, const Date& day,
                                                     std::initializer_list<std::string_view> kinds);
// The seed's rule: every weak-and-lax and every key village gets someone sent.
bool SeedRule(const domain::VillageNeed& n);
// The work type a village needs most: the largest weight, ties by kWorkSkills order.
std::string TopWorkType(const domain::VillageNeed& n);

// The cadres of one county's pool with plain ID numbers and phones, by id; only those available
// for the next round when `available_only`.
Result<std::vector<domain::Cadre>> LoadCadres(storage::Database& db, const Secrets& secrets,
                                              int64_t county_code, bool available_only);
// One cadre with plain personal data; NotFound when absent (no scope check).
Result<domain::Cadre> LoadCadre(storage::Database& db, const Secrets& secrets, int64_t id);
// ID number and phone masked, as every view and audit snapshot shows them.
domain::Cadre MaskedCadre(domain::Cadre c);

// Validates and inserts new cadres into the pools of their counties (county_code set, each a
// registered county) with one audit row `action` ("cadre.import") holding their masked
// snapshots; all or nothing. A repeated ID number within a county, in `cadres` or already in
// its pool, is an error "rows[i].id_number". Sets each cadre's id and updated_at.
Status InsertCadres(storage::Database& db, const Caller& caller, const Secrets& secrets,
                    std::vector<domain::Cadre>& cadres, std::string_view action,
                    std::string_view format);

}  // namespace qiangji::services::internal

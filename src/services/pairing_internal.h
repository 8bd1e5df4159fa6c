// The enterprise register and pairing runs inside the services: row mapping shared by the two
// implementation files, and the run's state changes at a given day and time (the Clock seam of
// assess_internal.h). PairingService calls them with the system clock; the demo builder replays
// last year's run at its dates. Each state change takes its own connection from env.pool and runs
// in one transaction with the audit rows of the PairingService method of the same name. Not for
// api/ or cli/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/assess_internal.h"
#include "services/pairing.h"
#include "storage/database.h"

namespace qiangji::services::internal {

// A row of `SELECT id, county_code, name, ownership, industries, location_code,
// preferred_areas, capacity_villages, capacity_firms, contact_name, contact_phone_enc,
// available, note, updated_at FROM enterprise`; the phone is decrypted only with a key.
Result<domain::Enterprise> EnterpriseFromRow(const storage::Row& r, const Secrets* secrets);
domain::Enterprise MaskedEnterprise(domain::Enterprise e);
// One county's register by id (available ones only when asked); phones only with a key.
Result<std::vector<domain::Enterprise>> LoadEnterprises(storage::Database& db,
                                                        const Secrets* secrets, int64_t county_code,
                                                        bool available_only);
// Inserts enterprises already validated (county_code set, names new) with one audit row
// `action` holding their masked snapshots; sets each id and updated_at.
Status InsertEnterprises(storage::Database& db, const Caller& caller, const Secrets& secrets,
                         std::vector<domain::Enterprise>& enterprises, std::string_view action,
                         std::string_view format, const std::string& now);

Result<PairingRunSummary> CreatePairingRun(Env env, const Caller& caller, domain::PairingRun run,
                                           const Clock& clock);
Result<PairingTargetView> PutPairingTarget(Env env, const Caller& caller, TargetChange change,
                                           const Clock& clock);
Result<PairingRunResult> RunPairing(Env env, const Caller& caller, int64_t id, const Clock& clock);
Result<PairingRunResult> ConfirmPairingRun(Env env, const Caller& caller, int64_t id,
                                           const Clock& clock);

}  // namespace qiangji::services::internal

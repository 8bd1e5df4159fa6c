// Internal helpers shared by the service implementations: scope ranges, audit rows, JSON for
// audit snapshots, row mapping. Not part of the services interface (api/ and cli/ must not
// include it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "common/division_code.h"
#include "common/status.h"
#include "domain/records.h"
#include "services/caller.h"
#include "services/record_json.h"
#include "services/services.h"
#include "storage/database.h"

namespace qiangji::services::internal {

namespace json = boost::json;
using storage::Database;
using storage::Null;
using storage::Row;
using storage::Value;

void EnsureSodium();
std::string Hex(std::string_view bytes);
// 32 random bytes as 64 hex characters.
std::string RandomToken();
// Unkeyed BLAKE2b-256 as hex: what the session table stores instead of the token.
std::string TokenHash(std::string_view token);

std::string NowUtc();
Value DateValue(const std::optional<Date>& d);
std::optional<Date> OptDate(const Row& row, size_t i);
Date RequiredDate(const Row& row, size_t i);

// PermissionDenied for read-only roles.
Status RequireWrite(const Caller& caller);
Status RequireAdmin(const Caller& caller);

// The codes a query may touch: the caller's scope narrowed to `under` (a division prefix, "" for
// all of the scope). NotFound when `under` lies outside the scope, InvalidArgument (field
// `field`) when it is malformed.
Result<DivisionRange> ScopedRange(const Caller& caller, std::string_view under,
                                  std::string_view field = "under");

// A registry division by code; NotFound when it is absent or outside the caller's scope, so
// existence does not leak. `what` names it in the message ("village 130624100201").
Result<domain::Division> DivisionInScope(Database& db, const Caller& caller, int64_t code,
                                         std::string_view what);
Result<domain::Division> LoadDivision(Database& db, int64_t code);
domain::Division DivisionFromRow(const Row& row, size_t first);  // code, level, name, parent_code
inline constexpr std::string_view kDivisionColumns = "code, level, name, parent_code";

// "%text%" with LIKE wildcards escaped; use with ESCAPE '\'.
std::string LikePattern(std::string_view text);
int64_t Offset(const ListQuery& q);

// One audit row. before/after are JSON snapshots with personal data already masked.
struct AuditRecord {
  std::string action;
  std::string object;
  int64_t division_code = 0;
  std::optional<json::object> before;
  std::optional<json::object> after;
};
Status WriteAudit(Database& db, const Caller& caller, const AuditRecord& record);

// Snapshots for the audit log: services/record_json.h (the API's shapes).
// Users: columns id, username, display_name, role, scope, disabled, created_at[, password_hash].
domain::User UserFromRow(const Row& row);
Result<std::string> HashPassword(std::string_view password);  // argon2id string

// Posts with person and division names. `where` starts with " WHERE" over aliases s (post),
// p (person), d (division) and may end with ORDER BY / LIMIT.
Result<std::vector<PostView>> QueryPostViews(Database& db, std::string_view where,
                                             const std::vector<Value>& params);
// "s.start_date <= ? AND (s.end_date IS NULL OR s.end_date > ?)": bind today twice.
inline constexpr std::string_view kCurrentPost =
    "s.start_date <= ? AND (s.end_date IS NULL OR s.end_date > ?)";
// Current two-committee posts of one village, secretary first.
Result<std::vector<PostView>> CurrentTwoCommittees(Database& db, int64_t village_code);
Result<std::vector<domain::PartyOrg>> PartyOrgsOfDivision(Database& db, int64_t code);

std::string StringArrayJson(const std::vector<std::string>& items);
std::vector<std::string> ParseStringArray(std::string_view text);

}  // namespace qiangji::services::internal

// Users: administrators (and the CLI's system caller) add, list, disable and re-password them.
// Disabling a user or changing a password ends that user's sessions at once.
#include <fmt/format.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kSelectUser =
    "SELECT id, username, display_name, role, scope, disabled, created_at FROM app_user";

void CheckPassword(FieldErrors& errors, std::string_view password) {
  // Count characters, not bytes, so a Chinese passphrase is judged by what the user typed.
  int64_t chars = 0;
  for (unsigned char c : password) chars += (c & 0xC0) != 0x80;
  if (chars < 10) errors.Add("password", "must be at least 10 characters");
  if (password.size() > 256) errors.Add("password", "must be at most 256 bytes");
}

Result<domain::User> FindUser(Database& db, std::string_view username) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query(fmt::format("{} WHERE username = ?", kSelectUser),
                                          {Value(std::string(username))}));
  if (rows.empty()) return Status::NotFound(fmt::format("user {} not found", username));
  return UserFromRow(rows.front());
}

// A scope names a division; once the registry is loaded it must be one of its divisions.
Status CheckScopeInRegistry(Database& db, FieldErrors& errors, const std::string& scope) {
  if (scope.empty()) return Status::Ok();
  auto range = ParseScopePrefix(scope);
  if (!range.ok()) return Status::Ok();  // ValidateUser reported it
  QJ_ASSIGN_OR_RETURN(auto any, db.Query("SELECT 1 FROM division LIMIT 1", {}));
  if (any.empty()) return Status::Ok();
  QJ_ASSIGN_OR_RETURN(auto found,
                      db.Query("SELECT 1 FROM division WHERE code = ?", {Value(range->lo)}));
  if (found.empty()) errors.Add("scope", fmt::format("no division {} in the registry", scope));
  return Status::Ok();
}

}  // namespace

Result<domain::User> UserService::Add(const Caller& caller, domain::User user,
                                      std::string_view password) {
  QJ_RETURN_IF_ERROR(RequireAdmin(caller));
  user.id = 0;
  user.disabled = false;
  FieldErrors errors;
  const Status valid = domain::ValidateUser(user);
  for (const auto& e : valid.field_errors()) errors.Add(e.field, e.message);
  CheckPassword(errors, password);
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckScopeInRegistry(*db, errors, user.scope));
    QJ_RETURN_IF_ERROR(errors.ToStatus());
    QJ_ASSIGN_OR_RETURN(
        auto taken, db->Query("SELECT 1 FROM app_user WHERE username = ?", {Value(user.username)}));
    if (!taken.empty())
      return Status::AlreadyExists(fmt::format("username: {} is taken", user.username));
    QJ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
    user.created_at = NowUtc();
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("INSERT INTO app_user (username, display_name, role, scope, password_hash,"
                  " disabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id",
                  {Value(user.username), Value(user.display_name),
                   Value(std::string(domain::RoleName(user.role))), Value(user.scope), Value(hash),
                   Value(user.created_at)}));
    user.id = rows.at(0).Int(0);
    AuditRecord a;
    a.action = "user.add";
    a.object = fmt::format("user/{}", user.id);
    a.after = UserJson(user);
    return WriteAudit(*db, caller, a);
  }));
  return user;
}

Result<std::vector<domain::User>> UserService::List(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireAdmin(caller));
  auto db = env_.pool->Acquire();
  std::vector<domain::User> users;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(fmt::format("{} ORDER BY username", kSelectUser), {}));
    for (const auto& r : rows) users.push_back(UserFromRow(r));
    return Status::Ok();
  }));
  return users;
}

Status UserService::Disable(const Caller& caller, std::string_view username) {
  QJ_RETURN_IF_ERROR(RequireAdmin(caller));
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::User before, FindUser(*db, username));
    if (before.id == caller.user_id)
      return Status::FailedPrecondition("you cannot disable your own account");
    domain::User after = before;
    after.disabled = true;
    QJ_RETURN_IF_ERROR(
        db->Execute("UPDATE app_user SET disabled = 1 WHERE id = ?", {Value(before.id)}).status());
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM session WHERE user_id = ?", {Value(before.id)}).status());
    AuditRecord a;
    a.action = "user.disable";
    a.object = fmt::format("user/{}", before.id);
    a.before = UserJson(before);
    a.after = UserJson(after);
    return WriteAudit(*db, caller, a);
  });
}

Status UserService::SetPassword(const Caller& caller, std::string_view username,
                                std::string_view password) {
  QJ_RETURN_IF_ERROR(RequireAdmin(caller));
  FieldErrors errors;
  CheckPassword(errors, password);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::User user, FindUser(*db, username));
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE app_user SET password_hash = ? WHERE id = ?",
                                   {Value(hash), Value(user.id)})
                           .status());
    // A new password ends old sessions and lifts a lock-out.
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM session WHERE user_id = ?", {Value(user.id)}).status());
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM login_failure WHERE username = ?", {Value(user.username)})
            .status());
    AuditRecord a;
    a.action = "user.passwd";
    a.object = fmt::format("user/{}", user.id);
    a.after = UserJson(user);  // never the hash
    return WriteAudit(*db, caller, a);
  });
}

}  // namespace qiangji::services

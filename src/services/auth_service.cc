// Sign-in, sessions and throttling.
//
// - Passwords are argon2id strings from libsodium (crypto_pwhash_str), which embed salt and cost.
// - The session cookie is 32 random bytes; the table keeps only its BLAKE2b hash, so a copy of
//   the database cannot be used to sign in. Sessions end at a fixed expiry or on logout.
// - Throttling is per user name: once `max_failures` failures fall within the window, further
//   attempts are refused without checking the password, and each refused attempt counts as a
//   failure too, so hammering keeps the lock on. Unknown names are throttled the same way, and
//   are hashed against a dummy so timing does not tell which names exist.
// - The password check runs outside any transaction (argon2id takes ~0.1 s and 64 MiB); the
//   reads before it and the writes after it are each one transaction.
#include <sodium.h>

#include <algorithm>

#include <fmt/format.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kWrongCredentials = "wrong user name or password";
constexpr std::string_view kUserColumns =
    "id, username, display_name, role, scope, disabled, created_at, password_hash";

const std::string& DummyHash() {
  static const std::string hash = [] {
    EnsureSodium();
    char out[crypto_pwhash_STRBYTES];
    std::string pw = RandomToken();
    if (crypto_pwhash_str(out, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
      return std::string();
    return std::string(out);
  }();
  return hash;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string Lower(std::string_view s) {
  std::string out(s.substr(0, 64));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

namespace internal {

// Shared with UserService.
domain::User UserFromRow(const Row& row) {
  domain::User u;
  u.id = row.Int(0);
  u.username = row.Text(1);
  u.display_name = row.Text(2);
  auto role = domain::ParseRole(row.Text(3));
  u.role = role.ok() ? *role : domain::Role::kViewer;
  u.scope = row.Text(4);
  u.disabled = row.Int(5) != 0;
  u.created_at = row.Text(6);
  return u;
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Status::Internal("out of memory while hashing the password");
  return std::string(out);
}

}  // namespace internal

Result<Session> AuthService::Login(std::string_view username_in, std::string_view password,
                                   std::string_view client_ip) {
  EnsureSodium();
  const std::string username = Lower(username_in);
  const int64_t now = UnixNow();
  const int64_t window_start = now - options_.failure_window_seconds;
  Caller who;  // for audit rows of failures: the name that was tried
  who.user_id = 0;
  who.username = username;
  who.client_ip = std::string(client_ip);

  auto db = env_.pool->Acquire();
  std::vector<int64_t> failures;
  std::optional<Row> user_row;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query("SELECT at FROM login_failure WHERE username = ? AND at > ?"
                                  " ORDER BY at",
                                  {Value(username), Value(window_start)}));
    for (const auto& r : rows) failures.push_back(r.Int(0));
    QJ_ASSIGN_OR_RETURN(
        auto users,
        db->Query(fmt::format("SELECT {} FROM app_user WHERE username = ?", kUserColumns),
                  {Value(username)}));
    if (!users.empty()) user_row = std::move(users.front());
    return Status::Ok();
  }));

  auto record_failure = [&](std::string_view reason) -> Status {
    return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
      QJ_RETURN_IF_ERROR(
          db->Execute("DELETE FROM login_failure WHERE at <= ?", {Value(window_start)}).status());
      QJ_RETURN_IF_ERROR(
          db->Execute("INSERT INTO login_failure (username, at, client_ip) VALUES (?, ?, ?)",
                      {Value(username), Value(now), Value(std::string(client_ip))})
              .status());
      AuditRecord a;
      a.action = "auth.login_failed";
      a.object = "user/" + username;
      a.after = json::object{{"reason", reason}};
      return WriteAudit(*db, who, a);
    });
  };

  const int max_failures = std::max(1, options_.max_failures);
  if (static_cast<int>(failures.size()) >= max_failures) {
    // The lock lifts when enough of the oldest failures leave the window.
    int64_t oldest_that_matters = failures[failures.size() - max_failures];
    int64_t wait =
        std::max<int64_t>(1, oldest_that_matters + options_.failure_window_seconds - now);
    QJ_RETURN_IF_ERROR(record_failure("throttled"));
    return Status::ResourceExhausted(fmt::format(
        "too many failed sign-ins for this user name; try again in {} seconds", wait + 1));
  }

  const std::string hash = user_row ? user_row->Text(7) : DummyHash();
  const bool password_ok = VerifyPassword(hash, password);
  if (!user_row || !password_ok || user_row->Int(5) != 0) {
    QJ_RETURN_IF_ERROR(record_failure(!user_row      ? "unknown user"
                                      : !password_ok ? "wrong password"
                                                     : "user disabled"));
    return Status::Unauthenticated(std::string(kWrongCredentials));
  }

  Session session;
  session.user = UserFromRow(*user_row);
  session.token = RandomToken();
  session.csrf_token = RandomToken();
  session.expires_at = now + options_.session_ttl_seconds;
  std::optional<std::string> rehash;
  if (crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                     crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    auto h = HashPassword(password);
    if (h.ok()) rehash = *h;
  }
  Caller caller;
  caller.user_id = session.user.id;
  caller.username = session.user.username;
  caller.role = session.user.role;
  caller.client_ip = std::string(client_ip);
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM login_failure WHERE username = ?", {Value(username)}).status());
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM session WHERE expires_at <= ?", {Value(now)}).status());
    QJ_RETURN_IF_ERROR(
        db->Execute(
              "INSERT INTO session (token_hash, user_id, csrf_token, created_at, expires_at,"
              " client_ip) VALUES (?, ?, ?, ?, ?, ?)",
              {Value(TokenHash(session.token)), Value(session.user.id), Value(session.csrf_token),
               Value(now), Value(session.expires_at), Value(std::string(client_ip))})
            .status());
    if (rehash) {
      QJ_RETURN_IF_ERROR(db->Execute("UPDATE app_user SET password_hash = ? WHERE id = ?",
                                     {Value(*rehash), Value(session.user.id)})
                             .status());
    }
    AuditRecord a;
    a.action = "auth.login";
    a.object = fmt::format("user/{}", session.user.id);
    return WriteAudit(*db, caller, a);
  }));
  return session;
}

Result<std::pair<Caller, Session>> AuthService::Authenticate(std::string_view token) {
  if (token.size() != 64) return Status::Unauthenticated("not signed in");
  auto db = env_.pool->Acquire();
  std::optional<Row> row;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(
        auto rows, db->Query("SELECT u.id, u.username, u.display_name, u.role, u.scope, u.disabled,"
                             " u.created_at, s.csrf_token, s.expires_at FROM session s"
                             " JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ?",
                             {Value(TokenHash(token))}));
    if (!rows.empty()) row = std::move(rows.front());
    return Status::Ok();
  }));
  if (!row) return Status::Unauthenticated("not signed in");
  if (row->Int(8) <= UnixNow()) return Status::Unauthenticated("the session has expired");
  if (row->Int(5) != 0) return Status::Unauthenticated("the user is disabled");

  Session session;
  session.user = UserFromRow(*row);
  session.token = std::string(token);
  session.csrf_token = row->Text(7);
  session.expires_at = row->Int(8);
  auto range = ParseScopePrefix(session.user.scope);
  if (!range.ok()) return Status::Internal("stored user scope is malformed");
  Caller caller;
  caller.user_id = session.user.id;
  caller.username = session.user.username;
  caller.role = session.user.role;
  caller.scope_prefix = session.user.scope;
  caller.scope = *range;
  return std::make_pair(std::move(caller), std::move(session));
}

Status AuthService::Logout(std::string_view token) {
  if (token.size() != 64) return Status::Ok();
  auto db = env_.pool->Acquire();
  const std::string hash = TokenHash(token);
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query("SELECT s.user_id, u.username, s.client_ip FROM"
                                             " session s JOIN app_user u ON u.id = s.user_id"
                                             " WHERE s.token_hash = ?",
                                             {Value(hash)}));
    if (rows.empty()) return Status::Ok();  // already ended: logging out is idempotent
    QJ_RETURN_IF_ERROR(
        db->Execute("DELETE FROM session WHERE token_hash = ?", {Value(hash)}).status());
    Caller caller;
    caller.user_id = rows[0].Int(0);
    caller.username = rows[0].Text(1);
    caller.client_ip = rows[0].Text(2);
    AuditRecord a;
    a.action = "auth.logout";
    a.object = fmt::format("user/{}", caller.user_id);
    return WriteAudit(*db, caller, a);
  });
}

}  // namespace qiangji::services

// Users, sign-in, sessions and lock-out on a real database.
#include <gtest/gtest.h>

#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

using domain::Role;

constexpr std::string_view kPassword = "correct horse battery";

class AuthTest : public ServicesTest {
 protected:
  domain::User AddUser(const std::string& name, Role role, const std::string& scope) {
    domain::User u;
    u.username = name;
    u.display_name = "测试用户";
    u.role = role;
    u.scope = scope;
    auto added = svc().users.Add(system_, u, kPassword);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : u;
  }
};

TEST_F(AuthTest, LoginGivesASessionThatCarriesRoleAndScope) {
  AddUser("town_a", Role::kTownship, "130624100");
  auto session = svc().auth.Login("town_a", kPassword, "10.0.0.7");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->token.size(), 64u);
  EXPECT_EQ(session->csrf_token.size(), 64u);
  EXPECT_NE(session->token, session->csrf_token);
  EXPECT_GT(session->expires_at, UnixNow());

  auto who = svc().auth.Authenticate(session->token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  const Caller& caller = who->first;
  EXPECT_EQ(caller.username, "town_a");
  EXPECT_EQ(caller.role, Role::kTownship);
  EXPECT_EQ(caller.scope, (DivisionRange{130624100000, 130624100999}));
  EXPECT_TRUE(caller.InScope(kVillageA1));
  EXPECT_FALSE(caller.InScope(kVillageB1));
  EXPECT_EQ(who->second.csrf_token, session->csrf_token);

  // Only a hash of the token is stored.
  EXPECT_EQ(Count("session"), 1);
  EXPECT_EQ(FileBytes().find(session->token), std::string::npos);
  EXPECT_EQ(Count("audit", "action = 'auth.login' AND client_ip = '10.0.0.7'"), 1);
}

TEST_F(AuthTest, WrongPasswordAndUnknownUserLookTheSame) {
  AddUser("county", Role::kCounty, "130624");
  auto wrong = svc().auth.Login("county", "not the password", "");
  auto unknown = svc().auth.Login("nobody", "not the password", "");
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  EXPECT_EQ(Count("audit", "action = 'auth.login_failed'"), 2);
  EXPECT_EQ(Count("session"), 0);
  EXPECT_EQ(svc().auth.Authenticate(std::string(64, 'a')).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(svc().auth.Authenticate("short").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, RepeatedFailuresLockTheNameOut) {
  AddUser("county", Role::kCounty, "130624");
  AuthService auth(Env{pool_.get(), secrets_.get()},
                   AuthOptions{.max_failures = 3, .failure_window_seconds = 600});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(auth.Login("county", "guess " + std::to_string(i), "").status().code(),
              StatusCode::kUnauthenticated);
  }
  // Now even the right password is refused until the window passes.
  auto locked = auth.Login("county", kPassword, "");
  EXPECT_EQ(locked.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(locked.status().message().find("try again in"), std::string::npos);
  EXPECT_EQ(Count("audit", "action = 'auth.login_failed' AND username = 'county'"), 4);
  // Another name is unaffected.
  AddUser("other", Role::kViewer, "130624");
  EXPECT_TRUE(auth.Login("other", kPassword, "").ok());
  // A new password from an administrator lifts the lock.
  ASSERT_TRUE(svc().users.SetPassword(system_, "county", "a brand new secret").ok());
  EXPECT_TRUE(auth.Login("county", "a brand new secret", "").ok());
  EXPECT_EQ(auth.Login("county", kPassword, "").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, SessionsExpire) {
  AddUser("county", Role::kCounty, "130624");
  AuthService short_lived(Env{pool_.get(), secrets_.get()}, AuthOptions{.session_ttl_seconds = 0});
  auto session = short_lived.Login("county", kPassword, "");
  ASSERT_TRUE(session.ok());
  auto who = short_lived.Authenticate(session->token);
  EXPECT_EQ(who.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(who.status().message(), "the session has expired");
}

TEST_F(AuthTest, LogoutEndsTheSession) {
  AddUser("county", Role::kCounty, "130624");
  auto session = svc().auth.Login("county", kPassword, "");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(svc().auth.Logout(session->token).ok());
  EXPECT_EQ(svc().auth.Authenticate(session->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Count("session"), 0);
  EXPECT_EQ(Count("audit", "action = 'auth.logout'"), 1);
  EXPECT_TRUE(svc().auth.Logout(session->token).ok()) << "logging out twice is harmless";
}

TEST_F(AuthTest, DisablingAUserEndsItsSessionsAndSignIns) {
  AddUser("town_a", Role::kTownship, "130624100");
  auto session = svc().auth.Login("town_a", kPassword, "");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(svc().users.Disable(system_, "town_a").ok());
  EXPECT_EQ(svc().auth.Authenticate(session->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(svc().auth.Login("town_a", kPassword, "").status().code(),
            StatusCode::kUnauthenticated);
  auto users = svc().users.List(system_);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_TRUE((*users)[0].disabled);
  EXPECT_EQ(Count("audit",
                  "action = 'user.disable' AND before_json LIKE '%\"disabled\":false%'"
                  " AND after_json LIKE '%\"disabled\":true%'"),
            1);
}

TEST_F(AuthTest, OnlyAdministratorsManageUsers) {
  domain::User u;
  u.username = "someone";
  u.role = Role::kViewer;
  u.scope = "130624";
  const Caller county_admin_lookalike = MakeCaller(Role::kCounty, "130624");
  EXPECT_EQ(svc().users.Add(county_admin_lookalike, u, kPassword).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(svc().users.List(county_admin_lookalike).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(svc().users.Disable(county_admin_lookalike, "someone").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(svc().users.SetPassword(county_admin_lookalike, "someone", kPassword).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("app_user"), 0);
  const Caller admin = MakeCaller(Role::kAdmin, "", 9);
  EXPECT_TRUE(svc().users.Add(admin, u, kPassword).ok());
  EXPECT_EQ(svc().users.Disable(admin, "nobody").code(), StatusCode::kNotFound);
}

TEST_F(AuthTest, UserInputIsValidated) {
  domain::User u;
  u.username = "town_x";
  u.role = Role::kTownship;
  u.scope = "130624199";  // well-formed, but no such township in the registry
  auto s = svc().users.Add(system_, u, "short").status();
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(s.field_errors().size(), 2u);
  EXPECT_EQ(s.field_errors()[0].field, "password");
  EXPECT_EQ(s.field_errors()[1].field, "scope");
  u.scope = "130624";  // a county scope for a township role
  EXPECT_EQ(svc().users.Add(system_, u, kPassword).status().field_errors().at(0).field, "scope");
  u.scope = "130624100";
  ASSERT_TRUE(svc().users.Add(system_, u, kPassword).ok());
  auto dup = svc().users.Add(system_, u, kPassword);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(dup.status().message().starts_with("username"));
  EXPECT_EQ(svc().users.SetPassword(system_, "town_x", "2short").field_errors().at(0).field,
            "password");
  EXPECT_EQ(Count("app_user"), 1);
  // The stored hash is argon2id, never the password.
  auto rows = db_->Query("SELECT password_hash FROM app_user", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->at(0).Text(0).starts_with("$argon2id$"));
  EXPECT_EQ(FileBytes().find(std::string(kPassword)), std::string::npos);
}

TEST_F(AuthTest, UserNamesAreCaseInsensitiveAtSignIn) {
  AddUser("county", Role::kCounty, "130624");
  EXPECT_TRUE(svc().auth.Login("County", kPassword, "").ok());
}

}  // namespace
}  // namespace qiangji::services::testing

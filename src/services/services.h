// The use cases of the foundation. Each method is one transaction, checks the caller's scope
// (answering NotFound for objects outside it, so existence does not leak), validates its input
// with field-level errors, and writes one audit row per change (who, when, what, before, after).
// Views returned here are what the API serialises: personal data already masked or not.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/records.h"
#include "services/assess.h"
#include "services/base.h"
#include "services/caller.h"
#include "services/cultivation.h"
#include "services/dispatch.h"
#include "services/economy.h"
#include "services/pairing.h"
#include "storage/database.h"

namespace qiangji::services {

// ---- sessions and users ----------------------------------------------------------------

struct Session {
  std::string token;       // random, 32 bytes hex: the cookie value (stored hashed)
  std::string csrf_token;  // random, 32 bytes hex: must come back in X-CSRF-Token on writes
  domain::User user;
  int64_t expires_at = 0;  // unix seconds
};

struct AuthOptions {
  int64_t session_ttl_seconds = 8 * 3600;
  int max_failures = 5;                  // failures within the window before lock-out
  int64_t failure_window_seconds = 900;  // 15 min
};

class AuthService {
 public:
  AuthService(Env env, AuthOptions options = {}) : env_(env), options_(options) {}
  // Unauthenticated for a wrong name or password (same message for both); ResourceExhausted
  // after too many failures for that user name (each further failure lengthens the wait).
  Result<Session> Login(std::string_view username, std::string_view password,
                        std::string_view client_ip);
  // The session behind a cookie token; Unauthenticated when unknown, expired or the user disabled.
  Result<std::pair<Caller, Session>> Authenticate(std::string_view token);
  Status Logout(std::string_view token);

 private:
  Env env_;
  AuthOptions options_;
};

class UserService {
 public:
  explicit UserService(Env env) : env_(env) {}
  // Admin only (or system). Password at least 10 characters. Hash: argon2id (libsodium).
  Result<domain::User> Add(const Caller& caller, domain::User user, std::string_view password);
  Result<std::vector<domain::User>> List(const Caller& caller);
  Status Disable(const Caller& caller, std::string_view username);
  Status SetPassword(const Caller& caller, std::string_view username, std::string_view password);

 private:
  Env env_;
};

// ---- divisions and records ---------------------------------------------------------------

struct DivisionNode {
  domain::Division division;
  int64_t child_count = 0;
};

class DivisionService {
 public:
  explicit DivisionService(Env env) : env_(env) {}
  // Children of `parent` (a prefix), or the caller's scope roots when parent is "".
  Result<std::vector<DivisionNode>> Children(const Caller& caller, std::string_view parent);
  Result<domain::Division> Get(const Caller& caller, std::string_view code);

 private:
  Env env_;
};

struct PostView {
  domain::Post post;
  std::string person_name;
  std::string division_name;
};

struct VillageSummary {
  domain::Division division;
  std::string township_name;
  bool is_villagers_committee = false;
  std::optional<domain::Village> village;  // attributes, when described
  std::string secretary_name;              // current party secretary, "" when vacant
  int64_t member_count = 0;                // Party members in the village's people
};

struct PersonView {
  domain::Person person;  // id_number and phone masked unless revealed
  bool revealed = false;
  std::optional<int> age;  // today, Asia/Shanghai
  std::string division_name;
};

struct VillageDetail {
  VillageSummary summary;
  std::vector<domain::PartyOrg> party_orgs;
  std::vector<PostView> two_committees;   // current line-up
  std::vector<PostView> sent;  // current first secretary, instructors and advisors sent to it
  std::vector<std::string> vacant_posts;  // party_secretary / committee_director when unfilled
};

class VillageService {
 public:
  explicit VillageService(Env env) : env_(env) {}
  Result<Page<VillageSummary>> List(const Caller& caller, const ListQuery& q);
  Result<VillageDetail> Get(const Caller& caller, std::string_view code);
  // Creates or replaces the attributes of a village-level division in scope.
  Result<domain::Village> Put(const Caller& caller, domain::Village village);

 private:
  Env env_;
};

class PartyOrgService {
 public:
  explicit PartyOrgService(Env env) : env_(env) {}
  Result<Page<domain::PartyOrg>> List(const Caller& caller, const ListQuery& q);
  Result<domain::PartyOrg> Get(const Caller& caller, int64_t id);
  Result<domain::PartyOrg> Create(const Caller& caller, domain::PartyOrg org);
  Result<domain::PartyOrg> Update(const Caller& caller, domain::PartyOrg org);  // by org.id
  Status Delete(const Caller& caller, int64_t id);

 private:
  Env env_;
};

class PersonService {
 public:
  explicit PersonService(Env env) : env_(env) {}
  Result<Page<PersonView>> List(const Caller& caller, const ListQuery& q);
  // reveal=true needs Caller::MayReveal() (else PermissionDenied) and is audited.
  Result<PersonView> Get(const Caller& caller, int64_t id, bool reveal = false);
  // ID number validated (GB 11643), unique by keyed hash (AlreadyExists names the field).
  Result<PersonView> Create(const Caller& caller, domain::Person person);
  Result<PersonView> Update(const Caller& caller, domain::Person person);  // by person.id
  Result<std::vector<PostView>> PostHistory(const Caller& caller, int64_t person_id);

 private:
  Env env_;
};

struct PostQuery {
  ListQuery list;
  std::string kind;  // "" = any
  bool current_only = false;
};

class PostService {
 public:
  explicit PostService(Env env) : env_(env) {}
  Result<Page<PostView>> List(const Caller& caller, const PostQuery& q);
  Result<PostView> Get(const Caller& caller, int64_t id);
  Result<PostView> Create(const Caller& caller, domain::Post post);
  // Sets end_date (and may correct start_date/kind).
  Result<PostView> Update(const Caller& caller, domain::Post post);
  Result<std::vector<PostView>> TwoCommittees(const Caller& caller, std::string_view village_code);

 private:
  Env env_;
};

// ---- overview, audit, meta ---------------------------------------------------------------

struct CountBy {
  std::string key;    // a code, band or category identifier
  std::string label;  // a name for display (township name; band "35-44"...)
  int64_t count = 0;
};

struct Overview {
  int64_t townships = 0;
  int64_t villages = 0;  // village-level divisions in scope
  int64_t villagers_committees = 0;
  int64_t people = 0;
  int64_t members = 0;  // full + probationary
  std::vector<CountBy> villages_by_township;
  std::vector<CountBy> members_by_township;
  std::vector<CountBy> members_by_age_band;   // <35, 35-44, 45-54, 55-64, 65+
  std::vector<CountBy> members_by_education;  // kEducationLevels
  std::vector<CountBy> vacant_posts;          // party_secretary / committee_director vacancies
  int64_t terms_expiring_90d = 0;             // party orgs whose term expires within 90 days
  int64_t terms_expired = 0;
};

class OverviewService {
 public:
  explicit OverviewService(Env env) : env_(env) {}
  Result<Overview> Get(const Caller& caller, std::string_view under);

 private:
  Env env_;
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;  // UTC ISO
  std::string username;
  std::string action;  // "person.create", "village.put", "auth.login_failed", "person.reveal" ...
  std::string object;  // "person/42"
  int64_t division_code = 0;
  std::string before_json;  // "" when none; personal data masked
  std::string after_json;
  std::string client_ip;
};

struct AuditQuery {
  ListQuery list;
  std::string action;
  std::string username;
};

class AuditService {
 public:
  explicit AuditService(Env env) : env_(env) {}
  Result<Page<AuditEntry>> List(const Caller& caller, const AuditQuery& q);  // admin only

 private:
  Env env_;
};

// Settings stored in the database: demo flag, county of the demo, schema version.
struct Meta {
  bool demo = false;
  std::string demo_county;  // prefix, when demo
  int schema_version = 0;
};

class MetaService {
 public:
  explicit MetaService(Env env) : env_(env) {}
  Result<Meta> Get();

 private:
  Env env_;
};

// All services over one Env: what the api layer and the CLI hold.
struct Services {
  explicit Services(Env env)
      : auth(env),
        users(env),
        divisions(env),
        villages(env),
        party_orgs(env),
        people(env),
        posts(env),
        overview(env),
        audit(env),
        meta(env),
        assess(env),
        dispatch(env),
        pairing(env),
        economy(env),
        cultivation(env) {}
  AuthService auth;
  UserService users;
  DivisionService divisions;
  VillageService villages;
  PartyOrgService party_orgs;
  PersonService people;
  PostService posts;
  OverviewService overview;
  AuditService audit;
  MetaService meta;
  AssessServices assess;  // assess.h
  DispatchServices dispatch;  // dispatch.h
  PairingServices pairing;  // pairing.h
  EconomyServices economy;  // economy.h
  CultivationServices cultivation;  // cultivation.h
};

}  // namespace qiangji::services

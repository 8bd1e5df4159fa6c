// The county's cadre pool (干部人才库) for dispatch. A cadre belongs to one county's pool; users
// whose scope overlaps that county read it (a township user reads its county's pool, a
// prefecture user the pools of its counties), county and admin users manage it. ID numbers and
// phones are personal data exactly as for people (person_service.cc): encrypted at rest, a keyed
// hash of the ID number beside them (one cadre per ID number and county), masked in every view
// and audit snapshot, and an update that still carries the mask keeps the stored value.
//
// Import is all or nothing (table_import.h): every row is parsed, validated and checked for a
// repeated ID number (in the file or already in the pool) first, all problems are reported as
// "rows[i].field", and only a clean file is written, in one transaction with one audit row.
// Rows only create cadres; a row whose ID number is already in the pool is an error.
//
// The pool holds two kinds of people under the same rules (issue 4, point 2): cadres sent by a
// unit (kind "cadre") and local worthies (乡贤, kind "worthy"), for whom home_code is the
// hometown, sending_unit where they work now and residence where they live now.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "domain/id_number.h"
#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/dispatch_pool_internal.h"
#include "services/internal.h"
#include "services/table_import.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr int64_t kCountyUnit = 1'000'000;  // a county's codes: [code, code + 999999]
constexpr int64_t kMaxPoolImportRows = 5'000;

constexpr std::string_view kCadreSelect =
    "SELECT id, county_code, name, sex, birth_date, id_number_enc, phone_enc, sending_unit,"
    " unit_kind, skills, home_code, available, term_months, note, person_id, updated_at, kind,"
    " residence FROM cadre";

constexpr std::string_view kDuplicateId =
    "id_number: a cadre with this ID number is already in this county's pool";

Result<const Secrets*> RequireSecrets(const Env& env) {
  if (env.secrets == nullptr) return Status::Internal("no key for personal data is loaded");
  return env.secrets;
}

Result<domain::Cadre> CadreFromRow(const Row& r, const Secrets& secrets) {
  domain::Cadre c;
  c.id = r.Int(0);
  c.county_code = r.Int(1);
  c.name = r.Text(2);
  auto sex = domain::ParseSex(r.Text(3));
  c.sex = sex.ok() ? *sex : domain::Sex::kMale;
  c.birth_date = OptDate(r, 4);
  QJ_ASSIGN_OR_RETURN(c.id_number, secrets.Decrypt(r.BlobBytes(5)));
  if (!r.IsNull(6)) {
    QJ_ASSIGN_OR_RETURN(c.phone, secrets.Decrypt(r.BlobBytes(6)));
  }
  c.sending_unit = r.Text(7);
  c.unit_kind = r.Text(8);
  c.skills = ParseStringArray(r.Text(9));
  c.home_code = r.Int(10);
  c.available = r.Int(11) != 0;
  c.term_months = static_cast<int>(r.Int(12));
  c.note = r.Text(13);
  c.person_id = r.IsNull(14) ? 0 : r.Int(14);
  c.updated_at = r.Text(15);
  c.kind = r.Text(16);
  c.residence = r.Text(17);
  return c;
}

// The county codes whose pools a caller may read: those of every county its scope overlaps.
DivisionRange ReadableCounties(const Caller& caller) {
  return {caller.scope.lo / kCountyUnit * kCountyUnit, caller.scope.hi};
}

bool MayRead(const Caller& caller, int64_t county_code) {
  return ReadableCounties(caller).Contains(county_code);
}

Status RequirePoolWriter(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role != domain::Role::kCounty && caller.role != domain::Role::kAdmin)
    return Status::PermissionDenied("only county and admin users manage the cadre pool");
  return Status::Ok();
}

// The county whose pool a new cadre joins: as given, or the caller's own county.
Result<int64_t> PoolCounty(const Caller& caller, int64_t given, const std::string& field) {
  if (given == 0) {
    if (caller.scope_prefix.size() == 6) return caller.scope.lo;
    return Status::InvalidField(field, "is required: name the county whose pool the cadre joins");
  }
  auto code = DivisionCode::FromInt(given);
  if (!code.ok() || code->level() != DivisionLevel::kCounty)
    return Status::InvalidField(field, fmt::format("{:012d} is not a county code", given));
  return given;
}

// The county must be registered and inside the caller's scope (NotFound otherwise, as for a
// missing one).
Status CheckCounty(Database& db, const Caller& caller, int64_t county_code,
                   const std::string& field) {
  QJ_ASSIGN_OR_RETURN(domain::Division d,
                      DivisionInScope(db, caller, county_code,
                                      fmt::format("county {:06d}", county_code / kCountyUnit)));
  if (d.level != DivisionLevel::kCounty)
    return Status::InvalidField(field, fmt::format("{:012d} ({}) is not a county", d.code, d.name));
  return Status::Ok();
}

// What the ID number determines: upper-case X, and the birth date when absent.
void Normalize(domain::Cadre& c) {
  if (c.id_number.size() == domain::kIdNumberLength && c.id_number.back() == 'x')
    c.id_number.back() = 'X';
  if (!c.birth_date) {
    auto facts = domain::ParseIdNumber(c.id_number);
    if (facts.ok()) c.birth_date = facts->birth_date;
  }
}

bool IsMasked(std::string_view s) { return s.find('*') != std::string_view::npos; }

Result<std::optional<int64_t>> FindByHash(Database& db, int64_t county_code,
                                          const std::string& hash) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query("SELECT id FROM cadre WHERE county_code = ? AND id_number_hash = ?",
                               {Value(county_code), Value(hash)}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

// Writes through the UNIQUE index can still collide with a concurrent insert.
Status NameDuplicate(Status s) {
  if (s.code() == StatusCode::kAlreadyExists)
    return Status::AlreadyExists(std::string(kDuplicateId));
  return s;
}

Value PhoneValue(const Secrets& secrets, const std::string& phone) {
  return phone.empty() ? Value(Null{}) : Value(storage::Blob{secrets.Encrypt(phone)});
}

Result<int64_t> Insert(Database& db, const Secrets& secrets, const domain::Cadre& c,
                       const std::string& now) {
  auto inserted = db.Query(
      "INSERT INTO cadre (county_code, kind, name, sex, birth_date, id_number_enc,"
      " id_number_hash, phone_enc, sending_unit, unit_kind, skills, home_code, residence,"
      " available, term_months, note, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {Value(c.county_code), Value(c.kind), Value(c.name),
       Value(std::string(domain::SexName(c.sex))), DateValue(c.birth_date),
       Value(storage::Blob{secrets.Encrypt(c.id_number)}), Value(secrets.LookupHash(c.id_number)),
       PhoneValue(secrets, c.phone), Value(c.sending_unit), Value(c.unit_kind),
       Value(StringArrayJson(c.skills)), Value(c.home_code), Value(c.residence),
       Value(int64_t{c.available}), Value(int64_t{c.term_months}), Value(c.note), Value(now),
       Value(now)});
  if (!inserted.ok()) return NameDuplicate(inserted.status());
  return inserted->at(0).Int(0);
}

Status ValidateCadreQuery(const CadreQuery& q) {
  FieldErrors errors;
  if (q.page < 1 || q.page > 1'000'000) errors.Add("page", "must be between 1 and 1000000");
  if (q.page_size < 1 || q.page_size > 500) errors.Add("page_size", "must be between 1 and 500");
  if (!q.kind.empty() && !domain::Contains(domain::kPoolKinds, q.kind))
    errors.Add("kind", fmt::format("\"{}\" must be cadre or worthy", q.kind));
  if (!q.skill.empty() && !domain::Contains(domain::kWorkSkills, q.skill))
    errors.Add("skill", fmt::format("\"{}\" is not a work skill", q.skill));
  return errors.ToStatus();
}

// Checks new cadres (county_code set) against each other and the pools: each county registered
// and in scope, each ID number once per county. Errors are named "rows[i].field" with `where[i]`
// appended (a CSV line); `cadres[i]` empty means the row failed earlier and is skipped.
Status CheckNew(Database& db, const Caller& caller, const Secrets& secrets,
                const std::vector<std::optional<domain::Cadre>>& cadres,
                const std::vector<std::string>& where, std::vector<FieldError>& errors,
                std::set<size_t>& bad_rows) {
  std::map<int64_t, Status> counties;
  std::map<int64_t, std::set<std::string>> pooled;  // county -> hashes already in its pool
  std::map<std::pair<int64_t, std::string>, size_t> seen;
  for (size_t i = 0; i < cadres.size(); ++i) {
    if (!cadres[i]) continue;
    const domain::Cadre& c = *cadres[i];
    const std::string prefix = fmt::format("rows[{}].", i);
    const std::string& at = where[i];
    auto county = counties.find(c.county_code);
    if (county == counties.end()) {
      county =
          counties.emplace(c.county_code, CheckCounty(db, caller, c.county_code, "county_code"))
              .first;
      if (county->second.ok()) {
        QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT id_number_hash FROM cadre"
                                                " WHERE county_code = ?",
                                                {Value(c.county_code)}));
        auto& hashes = pooled[c.county_code];
        for (const Row& r : rows) hashes.insert(r.Text(0));
      }
    }
    if (!county->second.ok()) {
      errors.push_back({prefix + "county_code", county->second.message() + at});
      bad_rows.insert(i);
      continue;
    }
    const std::string hash = secrets.LookupHash(c.id_number);
    auto [it, fresh] = seen.emplace(std::make_pair(c.county_code, hash), i);
    if (!fresh) {
      errors.push_back({prefix + "id_number",
                        fmt::format("repeats the ID number of rows[{}]{}", it->second, at)});
      bad_rows.insert(i);
    } else if (pooled[c.county_code].count(hash)) {
      errors.push_back(
          {prefix + "id_number", "a cadre with this ID number is already in the pool" + at});
      bad_rows.insert(i);
    }
  }
  return Status::Ok();
}

Status InsertChecked(Database& db, const Caller& caller, const Secrets& secrets,
                     std::vector<domain::Cadre>& cadres, std::string_view action,
                     std::string_view format) {
  const std::string now = NowUtc();
  json::array snapshots;
  std::set<int64_t> counties;
  for (domain::Cadre& c : cadres) {
    c.person_id = 0;
    QJ_ASSIGN_OR_RETURN(c.id, Insert(db, secrets, c, now));
    c.updated_at = now;
    snapshots.push_back(CadreJson(MaskedCadre(c)));
    counties.insert(c.county_code);
  }
  AuditRecord a;
  a.action = std::string(action);
  a.object = "cadre";
  // One county (the usual case) files the row under it; a multi-county import under none.
  a.division_code = counties.size() == 1 ? *counties.begin() : 0;
  a.after = json::object{{"format", format},
                         {"created", static_cast<int64_t>(cadres.size())},
                         {"cadres", std::move(snapshots)}};
  return WriteAudit(db, caller, a);
}

// A CSV or JSON row made ready for CadreFromJson: a home code written short ("130606") padded
// to 12 digits, and a missing sex taken from the ID number, which determines it. Without a
// valid ID number the sex is left to validation, which reports the ID number (a placeholder
// keeps the reader from stopping at "sex: is required" first).
void Prepare(json::object& row) {
  if (json::value* home = row.if_contains("home_code"); home && home->is_string()) {
    auto code = DivisionCode::Parse(std::string(home->get_string()));
    if (code.ok()) *home = json::string(code->ToString());
  }
  if (const json::value* sex = row.if_contains("sex"); sex == nullptr || sex->is_null()) {
    const json::value* id = row.if_contains("id_number");
    auto facts =
        id && id->is_string()
            ? domain::ParseIdNumber(std::string(id->get_string()))
            : Result<domain::IdNumberFacts>(Status::InvalidField("id_number", "is required"));
    row["sex"] = domain::SexName(facts.ok() ? facts->sex : domain::Sex::kMale);
  }
}

// The county a row names ("130624", "130624000000" or a number), 0 when it names none.
Result<int64_t> RowCounty(const json::object& row, const std::string& field) {
  const json::value* v = row.if_contains("county_code");
  if (v == nullptr || v->is_null()) return int64_t{0};
  std::string text;
  if (v->is_string()) {
    text = std::string(v->get_string());
  } else if (v->is_int64()) {
    text = fmt::format("{:012d}", v->get_int64());
  } else {
    return Status::InvalidField(field, "must be a county code such as \"130624\"");
  }
  auto code = DivisionCode::Parse(text);
  if (!code.ok() || code->level() != DivisionLevel::kCounty)
    return Status::InvalidField(field, fmt::format("\"{}\" is not a county code", text));
  return code->value();
}

// N of a field "rows[N]...".
size_t RowIndex(std::string_view field) {
  size_t n = 0;
  for (size_t i = field.find('[') + 1; i < field.size() && field[i] >= '0' && field[i] <= '9'; ++i)
    n = n * 10 + static_cast<size_t>(field[i] - '0');
  return n;
}

}  // namespace

namespace internal {

domain::Cadre MaskedCadre(domain::Cadre c) {
  c.id_number = MaskIdNumber(c.id_number);
  c.phone = MaskPhone(c.phone);
  return c;
}

Result<std::vector<domain::Cadre>> LoadCadres(Database& db, const Secrets& secrets,
                                              int64_t county_code, bool available_only) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kCadreSelect) + " WHERE county_code = ?" +
                                   (available_only ? " AND available = 1" : "") + " ORDER BY id",
                               {Value(county_code)}));
  std::vector<domain::Cadre> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    QJ_ASSIGN_OR_RETURN(domain::Cadre c, CadreFromRow(r, secrets));
    out.push_back(std::move(c));
  }
  return out;
}

Result<domain::Cadre> LoadCadre(Database& db, const Secrets& secrets, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kCadreSelect) + " WHERE id = ?", {Value(id)}));
  if (rows.empty()) return Status::NotFound(fmt::format("cadre {} not found", id));
  return CadreFromRow(rows[0], secrets);
}

Status InsertCadres(Database& db, const Caller& caller, const Secrets& secrets,
                    std::vector<domain::Cadre>& cadres, std::string_view action,
                    std::string_view format) {
  if (cadres.empty()) return Status::InvalidField("rows", "no cadres to add");
  std::vector<FieldError> errors;
  std::set<size_t> bad_rows;
  std::vector<std::optional<domain::Cadre>> checked;
  std::vector<std::string> where(cadres.size());
  for (size_t i = 0; i < cadres.size(); ++i) {
    Normalize(cadres[i]);
    if (Status s = domain::ValidateCadre(cadres[i]); !s.ok()) {
      for (const FieldError& e : s.field_errors())
        errors.push_back({fmt::format("rows[{}].{}", i, e.field), e.message});
      bad_rows.insert(i);
      checked.emplace_back();
      continue;
    }
    checked.emplace_back(cadres[i]);
  }
  QJ_RETURN_IF_ERROR(CheckNew(db, caller, secrets, checked, where, errors, bad_rows));
  if (!errors.empty()) return ImportErrors(errors, bad_rows.size(), cadres.size());
  return InsertChecked(db, caller, secrets, cadres, action, format);
}

}  // namespace internal

Result<Page<domain::Cadre>> CadrePoolService::List(const Caller& caller, const CadreQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateCadreQuery(q));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  const DivisionRange counties = ReadableCounties(caller);
  std::string where = " WHERE county_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(counties.lo), Value(counties.hi)};
  if (!q.kind.empty()) {
    where += " AND kind = ?";
    params.emplace_back(q.kind);
  }
  if (!q.q.empty()) {
    where += " AND (name LIKE ? ESCAPE '\\' OR sending_unit LIKE ? ESCAPE '\\')";
    params.emplace_back(LikePattern(q.q));
    params.emplace_back(LikePattern(q.q));
  }
  if (!q.skill.empty()) {
    // skills is a JSON array of identifiers; the quotes keep "industry" from matching a prefix.
    where += " AND skills LIKE ? ESCAPE '\\'";
    params.emplace_back(LikePattern("\"" + q.skill + "\""));
  }
  if (q.available) {
    where += " AND available = ?";
    params.emplace_back(int64_t{*q.available});
  }
  Page<domain::Cadre> page;
  page.page = q.page;
  page.page_size = q.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count,
                        db->QueryOne("SELECT COUNT(*) FROM cadre" + where, params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.page_size);
    params.emplace_back((q.page - 1) * q.page_size);
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kCadreSelect) + where +
                                                 " ORDER BY county_code, name, id"
                                                 " LIMIT ? OFFSET ?",
                                             params));
    for (const Row& r : rows) {
      QJ_ASSIGN_OR_RETURN(domain::Cadre c, CadreFromRow(r, *secrets));
      page.items.push_back(MaskedCadre(std::move(c)));
    }
    return Status::Ok();
  }));
  return page;
}

Result<domain::Cadre> CadrePoolService::Get(const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  std::optional<domain::Cadre> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::Cadre c, LoadCadre(*db, *secrets, id));
    if (!MayRead(caller, c.county_code))
      return Status::NotFound(fmt::format("cadre {} not found", id));
    out = MaskedCadre(std::move(c));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Cadre> CadrePoolService::Create(const Caller& caller, domain::Cadre cadre) {
  QJ_RETURN_IF_ERROR(RequirePoolWriter(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  cadre.id = 0;
  cadre.person_id = 0;
  QJ_ASSIGN_OR_RETURN(cadre.county_code, PoolCounty(caller, cadre.county_code, "county_code"));
  Normalize(cadre);
  QJ_RETURN_IF_ERROR(domain::ValidateCadre(cadre));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckCounty(*db, caller, cadre.county_code, "county_code"));
    QJ_ASSIGN_OR_RETURN(auto existing,
                        FindByHash(*db, cadre.county_code, secrets->LookupHash(cadre.id_number)));
    if (existing) return Status::AlreadyExists(std::string(kDuplicateId));
    const std::string now = NowUtc();
    QJ_ASSIGN_OR_RETURN(cadre.id, Insert(*db, *secrets, cadre, now));
    cadre.updated_at = now;
    AuditRecord a;
    a.action = "cadre.create";
    a.object = fmt::format("cadre/{}", cadre.id);
    a.division_code = cadre.county_code;
    a.after = CadreJson(MaskedCadre(cadre));
    return WriteAudit(*db, caller, a);
  }));
  return MaskedCadre(std::move(cadre));
}

Result<domain::Cadre> CadrePoolService::Update(const Caller& caller, domain::Cadre cadre) {
  QJ_RETURN_IF_ERROR(RequirePoolWriter(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    const std::string missing = fmt::format("cadre {} not found", cadre.id);
    auto loaded = LoadCadre(*db, *secrets, cadre.id);
    if (!loaded.ok() && loaded.status().code() == StatusCode::kNotFound)
      return Status::NotFound(missing);
    QJ_RETURN_IF_ERROR(loaded.status());
    const domain::Cadre& before = *loaded;
    // Writers manage the pools of the counties inside their scope only.
    if (!caller.InScope(before.county_code)) return Status::NotFound(missing);
    // The pool and the confirmed person stay; the rest is the caller's.
    cadre.county_code = before.county_code;
    cadre.person_id = before.person_id;
    if (cadre.id_number.empty() || IsMasked(cadre.id_number)) cadre.id_number = before.id_number;
    if (IsMasked(cadre.phone)) cadre.phone = before.phone;
    Normalize(cadre);
    QJ_RETURN_IF_ERROR(domain::ValidateCadre(cadre));
    const std::string hash = secrets->LookupHash(cadre.id_number);
    QJ_ASSIGN_OR_RETURN(auto existing, FindByHash(*db, cadre.county_code, hash));
    if (existing && *existing != cadre.id) return Status::AlreadyExists(std::string(kDuplicateId));
    const std::string now = NowUtc();
    auto updated = db->Execute(
        "UPDATE cadre SET kind = ?, name = ?, sex = ?, birth_date = ?, id_number_enc = ?,"
        " id_number_hash = ?, phone_enc = ?, sending_unit = ?, unit_kind = ?, skills = ?,"
        " home_code = ?, residence = ?, available = ?, term_months = ?, note = ?,"
        " updated_at = ? WHERE id = ?",
        {Value(cadre.kind), Value(cadre.name), Value(std::string(domain::SexName(cadre.sex))),
         DateValue(cadre.birth_date), Value(storage::Blob{secrets->Encrypt(cadre.id_number)}),
         Value(hash), PhoneValue(*secrets, cadre.phone), Value(cadre.sending_unit),
         Value(cadre.unit_kind), Value(StringArrayJson(cadre.skills)), Value(cadre.home_code),
         Value(cadre.residence), Value(int64_t{cadre.available}), Value(int64_t{cadre.term_months}),
         Value(cadre.note), Value(now), Value(cadre.id)});
    if (!updated.ok()) return NameDuplicate(updated.status());
    cadre.updated_at = now;
    AuditRecord a;
    a.action = "cadre.update";
    a.object = fmt::format("cadre/{}", cadre.id);
    a.division_code = cadre.county_code;
    a.before = CadreJson(MaskedCadre(before));
    a.after = CadreJson(MaskedCadre(cadre));
    return WriteAudit(*db, caller, a);
  }));
  return MaskedCadre(std::move(cadre));
}

Result<int64_t> CadrePoolService::Import(const Caller& caller, std::string_view format,
                                         std::string_view text, std::string_view default_kind) {
  QJ_RETURN_IF_ERROR(RequirePoolWriter(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  if (format != "json" && format != "csv")
    return Status::InvalidField("format", fmt::format("\"{}\" must be json or csv", format));
  if (!domain::Contains(domain::kPoolKinds, default_kind))
    return Status::InvalidField("kind",
                                fmt::format("\"{}\" must be cadre or worthy", default_kind));
  const json::object like = CadreJson(domain::Cadre{});
  TableRows input;
  if (format == "csv") {
    QJ_ASSIGN_OR_RETURN(input, ReadCsvRows(text, like));
  } else {
    QJ_ASSIGN_OR_RETURN(input, ReadJsonRows(text, like));
  }
  const size_t n = input.rows.size();
  if (n == 0) return Status::InvalidField("rows", "no rows to import");
  if (static_cast<int64_t>(n) > kMaxPoolImportRows)
    return Status::InvalidField("rows",
                                fmt::format("at most {} cadres per import", kMaxPoolImportRows));

  // Parse and validate every row first (no database needed), then check against the pools.
  std::vector<FieldError> errors;
  std::set<size_t> bad_rows;
  std::vector<std::optional<domain::Cadre>> parsed(n);
  std::vector<std::string> where(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string prefix = fmt::format("rows[{}].", i);
    if (!input.lines.empty()) where[i] = fmt::format(" (line {})", input.lines[i]);
    const auto add = [&](const Status& s) {
      bad_rows.insert(i);
      if (s.field_errors().empty()) {
        errors.push_back({fmt::format("rows[{}]", i), s.message() + where[i]});
        return;
      }
      for (const FieldError& e : s.field_errors()) {
        std::string field = e.field.rfind("rows[", 0) == 0 ? e.field : prefix + e.field;
        errors.push_back({std::move(field), e.message + where[i]});
      }
    };
    json::object& row = input.rows[i];
    Result<int64_t> county = RowCounty(row, prefix + "county_code");
    if (county.ok()) county = PoolCounty(caller, *county, prefix + "county_code");
    Prepare(row);
    if (const json::value* kind = row.if_contains("kind"); kind == nullptr || kind->is_null())
      row["kind"] = default_kind;
    Result<domain::Cadre> c = CadreFromJson(row, prefix);
    if (!county.ok()) add(county.status());
    if (!c.ok()) {
      add(c.status());
      continue;
    }
    if (!county.ok()) continue;
    c->county_code = *county;
    Normalize(*c);
    parsed[i] = std::move(*c);
  }

  auto db = env_.pool->Acquire();
  int64_t created = 0;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckNew(*db, caller, *secrets, parsed, where, errors, bad_rows));
    if (!errors.empty()) {
      // Parsing and pool checks each go row by row; list the problems by row.
      std::stable_sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
        return RowIndex(a.field) < RowIndex(b.field);
      });
      return ImportErrors(errors, bad_rows.size(), n);
    }
    std::vector<domain::Cadre> cadres;
    cadres.reserve(n);
    for (auto& c : parsed) cadres.push_back(std::move(*c));
    QJ_RETURN_IF_ERROR(InsertChecked(*db, caller, *secrets, cadres, "cadre.import", format));
    created = static_cast<int64_t>(cadres.size());
    return Status::Ok();
  }));
  return created;
}

}  // namespace qiangji::services

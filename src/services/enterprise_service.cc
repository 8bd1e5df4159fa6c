// The county's register of enterprises (企业库) for pairing with villages (企到村) and their
// collective firms (企到企). An enterprise belongs to one county's register; users whose scope
// overlaps that county read it (a township user reads its county's register), county and admin
// users manage it. The contact phone is personal data as a cadre's phone is
// (cadre_pool_service.cc): encrypted at rest (contact_phone_enc), masked in every view and audit
// snapshot, and an update that still carries the mask keeps the stored value. A name is unique
// within a county's register.
//
// Import is all or nothing (table_import.h): every row is parsed, validated and checked against
// the register and the other rows first, every problem is reported as "rows[i].field", and only a
// clean file is written, in one transaction with one audit row. Rows only create enterprises.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "services/internal.h"
#include "services/pairing.h"
#include "services/pairing_internal.h"
#include "services/pairing_json.h"
#include "services/table_import.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr int64_t kCountyUnit = 1'000'000;
constexpr int64_t kMaxRegisterImportRows = 5'000;

constexpr std::string_view kEnterpriseSelect =
    "SELECT id, county_code, name, ownership, industries, location_code, preferred_areas,"
    " capacity_villages, capacity_firms, contact_name, contact_phone_enc, available, note,"
    " updated_at FROM enterprise";

std::string DuplicateName(std::string_view name) {
  return fmt::format("name: an enterprise named \"{}\" is already in this county's register", name);
}

Result<const Secrets*> RequireSecrets(const Env& env) {
  if (env.secrets == nullptr) return Status::Internal("no key for personal data is loaded");
  return env.secrets;
}

// The county codes whose registers a caller may read: those of every county its scope overlaps.
DivisionRange ReadableCounties(const Caller& caller) {
  return {caller.scope.lo / kCountyUnit * kCountyUnit, caller.scope.hi};
}

Status RequireRegisterWriter(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role != domain::Role::kCounty && caller.role != domain::Role::kAdmin)
    return Status::PermissionDenied("only county and admin users manage the enterprise register");
  return Status::Ok();
}

Result<int64_t> RegisterCounty(const Caller& caller, int64_t given, const std::string& field) {
  if (given == 0) {
    if (caller.scope_prefix.size() == 6) return caller.scope.lo;
    return Status::InvalidField(field,
                                "is required: name the county whose register the enterprise joins");
  }
  auto code = DivisionCode::FromInt(given);
  if (!code.ok() || code->level() != DivisionLevel::kCounty)
    return Status::InvalidField(field, fmt::format("{:012d} is not a county code", given));
  return given;
}

Status CheckCounty(Database& db, const Caller& caller, int64_t county_code,
                   const std::string& field) {
  QJ_ASSIGN_OR_RETURN(domain::Division d,
                      DivisionInScope(db, caller, county_code,
                                      fmt::format("county {:06d}", county_code / kCountyUnit)));
  if (d.level != DivisionLevel::kCounty)
    return Status::InvalidField(field, fmt::format("{:012d} ({}) is not a county", d.code, d.name));
  return Status::Ok();
}

Value PhoneValue(const Secrets& secrets, const std::string& phone) {
  return phone.empty() ? Value(Null{}) : Value(storage::Blob{secrets.Encrypt(phone)});
}

Status NameDuplicate(Status s, std::string_view name) {
  if (s.code() == StatusCode::kAlreadyExists) return Status::AlreadyExists(DuplicateName(name));
  return s;
}

Result<std::optional<int64_t>> FindByName(Database& db, int64_t county_code,
                                          const std::string& name) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT id FROM enterprise WHERE county_code = ?"
                                          " AND name = ?",
                                          {Value(county_code), Value(name)}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

Result<int64_t> Insert(Database& db, const Secrets& secrets, const domain::Enterprise& e,
                       const std::string& now) {
  auto inserted = db.Query(
      "INSERT INTO enterprise (county_code, name, ownership, industries, location_code,"
      " preferred_areas, capacity_villages, capacity_firms, contact_name, contact_phone_enc,"
      " available, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " RETURNING id",
      {Value(e.county_code), Value(e.name), Value(e.ownership),
       Value(StringArrayJson(e.industries)), Value(e.location_code),
       Value(StringArrayJson(e.preferred_areas)), Value(int64_t{e.capacity_villages}),
       Value(int64_t{e.capacity_firms}), Value(e.contact_name),
       PhoneValue(secrets, e.contact_phone), Value(int64_t{e.available}), Value(e.note), Value(now),
       Value(now)});
  if (!inserted.ok()) return NameDuplicate(inserted.status(), e.name);
  return inserted->at(0).Int(0);
}

Status ValidateQuery(const EnterpriseQuery& q) {
  FieldErrors errors;
  if (q.page < 1 || q.page > 1'000'000) errors.Add("page", "must be between 1 and 1000000");
  if (q.page_size < 1 || q.page_size > 500) errors.Add("page_size", "must be between 1 and 500");
  if (!q.industry.empty() && !domain::Contains(domain::kIndustries, q.industry))
    errors.Add("industry", fmt::format("\"{}\" is not an industry", q.industry));
  if (!q.ownership.empty() && !domain::Contains(domain::kOwnerships, q.ownership))
    errors.Add("ownership", fmt::format("\"{}\" is not an ownership", q.ownership));
  return errors.ToStatus();
}

size_t RowIndex(std::string_view field) {
  size_t n = 0;
  for (size_t i = field.find('[') + 1; i < field.size() && field[i] >= '0' && field[i] <= '9'; ++i)
    n = n * 10 + static_cast<size_t>(field[i] - '0');
  return n;
}

// The county a row names ("130624", "130624000000" or a number), 0 when it names none.
Result<int64_t> RowCounty(json::object& row, const std::string& field) {
  json::value* v = row.if_contains("county_code");
  if (v == nullptr || v->is_null()) return int64_t{0};
  std::string text;
  if (v->is_string()) {
    text = std::string(v->get_string());
  } else if (v->is_int64()) {
    text = std::to_string(v->get_int64());
  } else {
    return Status::InvalidField(field, "must be a county code such as \"130624\"");
  }
  auto code = DivisionCode::Parse(text);
  if (!code.ok() || code->level() != DivisionLevel::kCounty)
    return Status::InvalidField(field, fmt::format("\"{}\" is not a county code", text));
  return code->value();
}

}  // namespace

namespace internal {

Result<domain::Enterprise> EnterpriseFromRow(const Row& r, const Secrets* secrets) {
  domain::Enterprise e;
  e.id = r.Int(0);
  e.county_code = r.Int(1);
  e.name = r.Text(2);
  e.ownership = r.Text(3);
  e.industries = ParseStringArray(r.Text(4));
  e.location_code = r.Int(5);
  e.preferred_areas = ParseStringArray(r.Text(6));
  e.capacity_villages = static_cast<int>(r.Int(7));
  e.capacity_firms = static_cast<int>(r.Int(8));
  e.contact_name = r.Text(9);
  if (secrets != nullptr && !r.IsNull(10)) {
    QJ_ASSIGN_OR_RETURN(e.contact_phone, secrets->Decrypt(r.BlobBytes(10)));
  }
  e.available = r.Int(11) != 0;
  e.note = r.Text(12);
  e.updated_at = r.Text(13);
  return e;
}

domain::Enterprise MaskedEnterprise(domain::Enterprise e) {
  e.contact_phone = MaskPhone(e.contact_phone);
  return e;
}

Result<std::vector<domain::Enterprise>> LoadEnterprises(Database& db, const Secrets* secrets,
                                                        int64_t county_code, bool available_only) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kEnterpriseSelect) + " WHERE county_code = ?" +
                                   (available_only ? " AND available = 1" : "") + " ORDER BY id",
                               {Value(county_code)}));
  std::vector<domain::Enterprise> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    QJ_ASSIGN_OR_RETURN(domain::Enterprise e, EnterpriseFromRow(r, secrets));
    out.push_back(std::move(e));
  }
  return out;
}

Status InsertEnterprises(Database& db, const Caller& caller, const Secrets& secrets,
                         std::vector<domain::Enterprise>& enterprises, std::string_view action,
                         std::string_view format, const std::string& now) {
  json::array snapshots;
  std::set<int64_t> counties;
  for (domain::Enterprise& e : enterprises) {
    QJ_ASSIGN_OR_RETURN(e.id, Insert(db, secrets, e, now));
    e.updated_at = now;
    snapshots.push_back(EnterpriseJson(MaskedEnterprise(e)));
    counties.insert(e.county_code);
  }
  AuditRecord a;
  a.action = std::string(action);
  a.object = "enterprise";
  a.division_code = counties.size() == 1 ? *counties.begin() : 0;
  a.after = json::object{{"format", format},
                         {"created", static_cast<int64_t>(enterprises.size())},
                         {"enterprises", std::move(snapshots)}};
  return WriteAudit(db, caller, a);
}

}  // namespace internal

Result<Page<domain::Enterprise>> EnterpriseService::List(const Caller& caller,
                                                         const EnterpriseQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateQuery(q));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  const DivisionRange counties = ReadableCounties(caller);
  std::string where = " WHERE county_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(counties.lo), Value(counties.hi)};
  if (!q.q.empty()) {
    where += " AND name LIKE ? ESCAPE '\\'";
    params.emplace_back(LikePattern(q.q));
  }
  if (!q.industry.empty()) {
    // industries is a JSON array of identifiers; the quotes keep "energy" from matching a part.
    where += " AND industries LIKE ? ESCAPE '\\'";
    params.emplace_back(LikePattern("\"" + q.industry + "\""));
  }
  if (!q.ownership.empty()) {
    where += " AND ownership = ?";
    params.emplace_back(q.ownership);
  }
  if (q.available) {
    where += " AND available = ?";
    params.emplace_back(int64_t{*q.available});
  }
  Page<domain::Enterprise> page;
  page.page = q.page;
  page.page_size = q.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count,
                        db->QueryOne("SELECT COUNT(*) FROM enterprise" + where, params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.page_size);
    params.emplace_back((q.page - 1) * q.page_size);
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kEnterpriseSelect) + where +
                                                 " ORDER BY county_code, name, id"
                                                 " LIMIT ? OFFSET ?",
                                             params));
    for (const Row& r : rows) {
      QJ_ASSIGN_OR_RETURN(domain::Enterprise e, EnterpriseFromRow(r, secrets));
      page.items.push_back(MaskedEnterprise(std::move(e)));
    }
    return Status::Ok();
  }));
  return page;
}

Result<domain::Enterprise> EnterpriseService::Get(const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  const std::string missing = fmt::format("enterprise {} not found", id);
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db->Query(std::string(kEnterpriseSelect) + " WHERE id = ?", {Value(id)}));
  if (rows.empty()) return Status::NotFound(missing);
  QJ_ASSIGN_OR_RETURN(domain::Enterprise e, EnterpriseFromRow(rows[0], secrets));
  if (!ReadableCounties(caller).Contains(e.county_code)) return Status::NotFound(missing);
  return MaskedEnterprise(std::move(e));
}

Result<domain::Enterprise> EnterpriseService::Create(const Caller& caller,
                                                     domain::Enterprise enterprise) {
  QJ_RETURN_IF_ERROR(RequireRegisterWriter(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  enterprise.id = 0;
  QJ_ASSIGN_OR_RETURN(enterprise.county_code,
                      RegisterCounty(caller, enterprise.county_code, "county_code"));
  QJ_RETURN_IF_ERROR(domain::ValidateEnterprise(enterprise));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckCounty(*db, caller, enterprise.county_code, "county_code"));
    QJ_ASSIGN_OR_RETURN(auto existing, FindByName(*db, enterprise.county_code, enterprise.name));
    if (existing) return Status::AlreadyExists(DuplicateName(enterprise.name));
    const std::string now = NowUtc();
    QJ_ASSIGN_OR_RETURN(enterprise.id, Insert(*db, *secrets, enterprise, now));
    enterprise.updated_at = now;
    AuditRecord a;
    a.action = "enterprise.create";
    a.object = fmt::format("enterprise/{}", enterprise.id);
    a.division_code = enterprise.county_code;
    a.after = EnterpriseJson(MaskedEnterprise(enterprise));
    return WriteAudit(*db, caller, a);
  }));
  return MaskedEnterprise(std::move(enterprise));
}

Result<domain::Enterprise> EnterpriseService::Update(const Caller& caller,
                                                     domain::Enterprise enterprise) {
  QJ_RETURN_IF_ERROR(RequireRegisterWriter(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    const std::string missing = fmt::format("enterprise {} not found", enterprise.id);
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kEnterpriseSelect) + " WHERE id = ?",
                                             {Value(enterprise.id)}));
    if (rows.empty()) return Status::NotFound(missing);
    QJ_ASSIGN_OR_RETURN(domain::Enterprise before, EnterpriseFromRow(rows[0], secrets));
    if (!caller.InScope(before.county_code)) return Status::NotFound(missing);
    enterprise.county_code = before.county_code;
    if (enterprise.contact_phone.find('*') != std::string::npos)
      enterprise.contact_phone = before.contact_phone;
    QJ_RETURN_IF_ERROR(domain::ValidateEnterprise(enterprise));
    QJ_ASSIGN_OR_RETURN(auto existing, FindByName(*db, enterprise.county_code, enterprise.name));
    if (existing && *existing != enterprise.id)
      return Status::AlreadyExists(DuplicateName(enterprise.name));
    const std::string now = NowUtc();
    auto updated = db->Execute(
        "UPDATE enterprise SET name = ?, ownership = ?, industries = ?, location_code = ?,"
        " preferred_areas = ?, capacity_villages = ?, capacity_firms = ?, contact_name = ?,"
        " contact_phone_enc = ?, available = ?, note = ?, updated_at = ? WHERE id = ?",
        {Value(enterprise.name), Value(enterprise.ownership),
         Value(StringArrayJson(enterprise.industries)), Value(enterprise.location_code),
         Value(StringArrayJson(enterprise.preferred_areas)),
         Value(int64_t{enterprise.capacity_villages}), Value(int64_t{enterprise.capacity_firms}),
         Value(enterprise.contact_name), PhoneValue(*secrets, enterprise.contact_phone),
         Value(int64_t{enterprise.available}), Value(enterprise.note), Value(now),
         Value(enterprise.id)});
    if (!updated.ok()) return NameDuplicate(updated.status(), enterprise.name);
    enterprise.updated_at = now;
    AuditRecord a;
    a.action = "enterprise.update";
    a.object = fmt::format("enterprise/{}", enterprise.id);
    a.division_code = enterprise.county_code;
    a.before = EnterpriseJson(MaskedEnterprise(before));
    a.after = EnterpriseJson(MaskedEnterprise(enterprise));
    return WriteAudit(*db, caller, a);
  }));
  return MaskedEnterprise(std::move(enterprise));
}

Result<int64_t> EnterpriseService::Import(const Caller& caller, std::string_view format,
                                          std::string_view text) {
  QJ_RETURN_IF_ERROR(RequireRegisterWriter(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  if (format != "json" && format != "csv")
    return Status::InvalidField("format", fmt::format("\"{}\" must be json or csv", format));
  const json::object like = EnterpriseJson(domain::Enterprise{});
  TableRows input;
  if (format == "csv") {
    QJ_ASSIGN_OR_RETURN(input, ReadCsvRows(text, like));
  } else {
    QJ_ASSIGN_OR_RETURN(input, ReadJsonRows(text, like));
  }
  const size_t n = input.rows.size();
  if (n == 0) return Status::InvalidField("rows", "no rows to import");
  if (static_cast<int64_t>(n) > kMaxRegisterImportRows)
    return Status::InvalidField(
        "rows", fmt::format("at most {} enterprises per import", kMaxRegisterImportRows));

  std::vector<FieldError> errors;
  std::set<size_t> bad_rows;
  std::vector<std::optional<domain::Enterprise>> parsed(n);
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
    if (county.ok()) county = RegisterCounty(caller, *county, prefix + "county_code");
    Result<domain::Enterprise> e = EnterpriseFromJson(row, prefix);
    if (!county.ok()) add(county.status());
    if (!e.ok()) {
      add(e.status());
      continue;
    }
    if (e->contact_phone.find('*') != std::string::npos) {
      add(Status::InvalidField(prefix + "contact_phone", "must be the full number, not a mask"));
      continue;
    }
    if (!county.ok()) continue;
    e->county_code = *county;
    parsed[i] = std::move(*e);
  }

  auto db = env_.pool->Acquire();
  int64_t created = 0;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    // Each county registered and in scope; each name new to its county and to the file.
    std::map<int64_t, Status> checked;
    std::map<std::pair<int64_t, std::string>, size_t> seen;
    for (size_t i = 0; i < n; ++i) {
      if (!parsed[i]) continue;
      const domain::Enterprise& e = *parsed[i];
      const std::string prefix = fmt::format("rows[{}].", i);
      auto it = checked.find(e.county_code);
      if (it == checked.end())
        it = checked.emplace(e.county_code, CheckCounty(*db, caller, e.county_code, "county_code"))
                 .first;
      if (!it->second.ok()) {
        errors.push_back({prefix + "county_code", it->second.message() + where[i]});
        bad_rows.insert(i);
        continue;
      }
      auto [at, fresh] = seen.emplace(std::make_pair(e.county_code, e.name), i);
      if (!fresh) {
        errors.push_back(
            {prefix + "name", fmt::format("repeats the name of rows[{}]{}", at->second, where[i])});
        bad_rows.insert(i);
        continue;
      }
      QJ_ASSIGN_OR_RETURN(auto existing, FindByName(*db, e.county_code, e.name));
      if (existing) {
        errors.push_back(
            {prefix + "name", "an enterprise of this name is already in the register" + where[i]});
        bad_rows.insert(i);
      }
    }
    if (!errors.empty()) {
      std::stable_sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
        return RowIndex(a.field) < RowIndex(b.field);
      });
      return ImportErrors(errors, bad_rows.size(), n);
    }
    std::vector<domain::Enterprise> enterprises;
    enterprises.reserve(n);
    for (auto& e : parsed) enterprises.push_back(std::move(*e));
    QJ_RETURN_IF_ERROR(InsertEnterprises(*db, caller, *secrets, enterprises, "enterprise.import",
                                         format, NowUtc()));
    created = static_cast<int64_t>(enterprises.size());
    return Status::Ok();
  }));
  return created;
}

}  // namespace qiangji::services

#include "services/internal.h"

#include <mutex>

#include <fmt/format.h>
#include <sodium.h>

namespace qiangji::services::internal {

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable randomness: nothing safe can run
  });
}

std::string Hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::string RandomToken() {
  EnsureSodium();
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  return Hex(std::string_view(reinterpret_cast<const char*>(buf), sizeof buf));
}

std::string TokenHash(std::string_view token) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string NowUtc() { return FormatUtc(UnixNow()); }

Value DateValue(const std::optional<Date>& d) { return d ? Value(d->ToString()) : Value(Null{}); }

std::optional<Date> OptDate(const Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  auto d = Date::Parse(row.Text(i));
  if (!d.ok()) return std::nullopt;
  return *d;
}

Date RequiredDate(const Row& row, size_t i) {
  auto d = OptDate(row, i);
  return d ? *d : Date();
}

Status RequireWrite(const Caller& caller) {
  if (!caller.CanWrite()) return Status::PermissionDenied("the viewer role is read-only");
  return Status::Ok();
}

Status RequireAdmin(const Caller& caller) {
  if (!caller.IsAdmin()) return Status::PermissionDenied("only an administrator may do this");
  return Status::Ok();
}

Result<DivisionRange> ScopedRange(const Caller& caller, std::string_view under,
                                  std::string_view field) {
  if (under.empty()) return caller.scope;
  auto range = ParseScopePrefix(under);
  if (!range.ok())
    return Status::InvalidField(std::string(field), range.status().field_errors()[0].message);
  DivisionRange r = caller.scope.Intersect(*range);
  if (r.empty()) return Status::NotFound(fmt::format("division {} not found", under));
  return r;
}

domain::Division DivisionFromRow(const Row& row, size_t i) {
  domain::Division d;
  d.code = row.Int(i);
  auto level = ParseDivisionLevel(row.Text(i + 1));
  d.level = level.ok() ? *level : DivisionLevel::kVillage;
  d.name = row.Text(i + 2);
  d.parent_code = row.Int(i + 3);
  return d;
}

Result<domain::Division> LoadDivision(Database& db, int64_t code) {
  QJ_ASSIGN_OR_RETURN(
      Row row, db.QueryOne(fmt::format("SELECT {} FROM division WHERE code = ?", kDivisionColumns),
                           std::initializer_list<Value>{Value(code)},
                           fmt::format("division {:012d}", code)));
  return DivisionFromRow(row, 0);
}

Result<domain::Division> DivisionInScope(Database& db, const Caller& caller, int64_t code,
                                         std::string_view what) {
  if (!caller.InScope(code)) return Status::NotFound(fmt::format("{} not found", what));
  auto d = LoadDivision(db, code);
  if (!d.ok() && d.status().code() == StatusCode::kNotFound)
    return Status::NotFound(fmt::format("{} not found", what));
  return d;
}

std::string LikePattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

int64_t Offset(const ListQuery& q) { return (q.page - 1) * q.page_size; }

Status WriteAudit(Database& db, const Caller& caller, const AuditRecord& r) {
  auto text = [](const std::optional<json::object>& o) {
    return o ? Value(json::serialize(*o)) : Value(Null{});
  };
  return db
      .Execute(
          "INSERT INTO audit (at, user_id, username, action, object, division_code, before_json,"
          " after_json, client_ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {Value(NowUtc()), Value(caller.user_id), Value(caller.username), Value(r.action),
           Value(r.object), Value(r.division_code), text(r.before), text(r.after),
           Value(caller.client_ip)})
      .status();
}

namespace {

json::value OptDateJson(const std::optional<Date>& d) {
  return d ? json::value(d->ToString()) : json::value(nullptr);
}

template <typename T>
json::value OptJson(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::array StringArray(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

std::string Code(int64_t code) { return fmt::format("{:012d}", code); }

}  // namespace

json::object VillageJson(const domain::Village& v) {
  return {{"division_code", Code(v.division_code)},
          {"households", OptJson(v.households)},
          {"population", OptJson(v.population)},
          {"area_km2", OptJson(v.area_km2)},
          {"main_industries", StringArray(v.main_industries)},
          {"tags", StringArray(v.tags)}};
}

json::object PartyOrgJson(const domain::PartyOrg& o) {
  return {{"id", o.id},
          {"division_code", Code(o.division_code)},
          {"kind", domain::PartyOrgKindName(o.kind)},
          {"name", o.name},
          {"secretary_person_id", OptJson(o.secretary_person_id)},
          {"member_count", o.member_count},
          {"probationary_member_count", o.probationary_member_count},
          {"founded_on", OptDateJson(o.founded_on)},
          {"term_start", OptDateJson(o.term_start)},
          {"term_expiry", OptDateJson(o.term_expiry)}};
}

json::object PersonJson(const domain::Person& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"sex", domain::SexName(p.sex)},
          {"ethnicity", p.ethnicity},
          {"birth_date", OptDateJson(p.birth_date)},
          {"id_number", p.id_number},
          {"phone", p.phone},
          {"native_place", p.native_place},
          {"education", p.education},
          {"party_status", p.party_status},
          {"party_join_date", OptDateJson(p.party_join_date)},
          {"division_code", Code(p.division_code)}};
}

json::object PostJson(const domain::Post& p) {
  return {{"id", p.id},
          {"person_id", p.person_id},
          {"division_code", Code(p.division_code)},
          {"kind", p.kind},
          {"start_date", p.start_date.ToString()},
          {"end_date", OptDateJson(p.end_date)}};
}

json::object UserJson(const domain::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", domain::RoleName(u.role)},
          {"scope", u.scope},
          {"disabled", u.disabled}};
}

std::string StringArrayJson(const std::vector<std::string>& items) {
  return json::serialize(StringArray(items));
}

std::vector<std::string> ParseStringArray(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace qiangji::services::internal

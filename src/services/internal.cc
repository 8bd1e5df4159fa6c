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

std::string StringArrayJson(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& item : items) a.emplace_back(item);
  return json::serialize(a);
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

// Each village's collective economic organization (农村集体经济组织) and its annual reports
// (issue 5; docs/economy.md). A collective belongs to one village-level division; everything
// about it is scoped by that village's code, so a collective or a report outside the caller's
// scope answers NotFound exactly like a missing one.
//
// Who writes: county, township and admin users register and correct collectives within their
// scope; village users keep their own collective's books (they put its annual reports) but do
// not change its registration; viewers only read. A second collective for a village, or a
// unified social credit code another collective already holds, is AlreadyExists (409) naming
// division_code or credit_code. A report's totals are checked by domain::ValidateAnnualReport;
// each broken identity is a 400 naming the JSON field (surplus_fen, undistributed_fen, ...).
//
// ImportReports is all or nothing (table_import.h): every row is read, validated and matched to
// its village's collective first; all problems are reported as "rows[i].field"; only a clean
// file is written, in one transaction with one audit row. In CSV the amounts are yuan with at
// most two decimals in columns named like the domain fields (operating_revenue = "12345.67"),
// parsed exactly by Money::Parse; in JSON they are integers of fen named *_fen, as the API.
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "common/money.h"
#include "services/economy.h"
#include "services/economy_internal.h"
#include "services/economy_json.h"
#include "services/internal.h"
#include "services/table_import.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kCollectiveSelect =
    "SELECT id, division_code, name, kind, credit_code, registered_on, member_count,"
    " share_classes, updated_at FROM collective";

std::string VillageWhat(int64_t code) { return fmt::format("village {:012d}", code); }
std::string CollectiveMissing(int64_t id) { return fmt::format("collective {} not found", id); }

Status RequireCollectiveWriter(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role == domain::Role::kVillage)
    return Status::PermissionDenied(
        "village staff keep their collective's books (annual reports); its registration is "
        "entered by township or county staff");
  return Status::Ok();
}

std::string ShareClassesJson(const std::vector<domain::ShareClass>& classes) {
  json::array a;
  for (const domain::ShareClass& s : classes)
    a.push_back(json::object{{"name", s.name}, {"shares", s.shares}});
  return json::serialize(a);
}

// Stored by this file, so read leniently: anything unreadable is no classes.
std::vector<domain::ShareClass> ParseShareClasses(const std::string& text) {
  std::vector<domain::ShareClass> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& item : v.get_array()) {
    if (!item.is_object()) continue;
    domain::ShareClass s;
    if (const json::value* n = item.get_object().if_contains("name"); n && n->is_string())
      s.name = std::string(n->get_string());
    if (const json::value* n = item.get_object().if_contains("shares"); n && n->is_int64())
      s.shares = n->get_int64();
    out.push_back(std::move(s));
  }
  return out;
}

domain::Collective CollectiveFromRow(const Row& r) {
  domain::Collective c;
  c.id = r.Int(0);
  c.division_code = r.Int(1);
  c.name = r.Text(2);
  c.kind = r.Text(3);
  c.credit_code = r.Text(4);
  c.registered_on = OptDate(r, 5);
  c.member_count = r.Int(6);
  c.share_classes = ParseShareClasses(r.Text(7));
  c.updated_at = r.Text(8);
  return c;
}

Result<std::optional<domain::Collective>> FindCollective(Database& db, std::string_view where,
                                                         const Value& key) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(fmt::format("{} WHERE {} = ?", kCollectiveSelect, where), {key}));
  if (rows.empty()) return std::optional<domain::Collective>();
  return std::optional<domain::Collective>(CollectiveFromRow(rows[0]));
}

// The collective `id` when it exists inside the caller's scope; NotFound otherwise.
Result<domain::Collective> CollectiveInScope(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto c, FindCollective(db, "id", Value(id)));
  if (!c || !caller.InScope(c->division_code)) return Status::NotFound(CollectiveMissing(id));
  return std::move(*c);
}

// The village must be a village-level division inside the caller's scope: NotFound otherwise
// (as for a code that does not exist), InvalidArgument on `field` for a township or county.
Result<domain::Division> CheckVillage(Database& db, const Caller& caller, int64_t code,
                                      const std::string& field) {
  QJ_ASSIGN_OR_RETURN(domain::Division d, DivisionInScope(db, caller, code, VillageWhat(code)));
  if (d.level != DivisionLevel::kVillage)
    return Status::InvalidField(
        field, fmt::format("{:012d} ({}) is a {}, not a village-level division", code, d.name,
                           DivisionLevelName(d.level)));
  return d;
}

// One collective per village and one per credit code; AlreadyExists naming the field. The other
// collective is named only when the caller may see it.
Status CheckUnique(Database& db, const Caller& caller, const domain::Collective& c) {
  QJ_ASSIGN_OR_RETURN(auto same_village,
                      FindCollective(db, "division_code", Value(c.division_code)));
  if (same_village && same_village->id != c.id)
    return Status::AlreadyExists(
        fmt::format("division_code: {} already has a collective (\"{}\", id {}); update that one",
                    VillageWhat(c.division_code), same_village->name, same_village->id));
  QJ_ASSIGN_OR_RETURN(auto same_code, FindCollective(db, "credit_code", Value(c.credit_code)));
  if (same_code && same_code->id != c.id) {
    if (caller.InScope(same_code->division_code))
      return Status::AlreadyExists(fmt::format(
          "credit_code: {} is already the unified social credit code of \"{}\" (collective {}, "
          "{})",
          c.credit_code, same_code->name, same_code->id, VillageWhat(same_code->division_code)));
    return Status::AlreadyExists(fmt::format(
        "credit_code: {} is already the unified social credit code of another collective",
        c.credit_code));
  }
  return Status::Ok();
}

// Writes through the UNIQUE indexes can still collide with a concurrent insert.
Status NameDuplicate(Status s) {
  if (s.code() != StatusCode::kAlreadyExists) return s;
  return Status::AlreadyExists(
      "credit_code: this village or this unified social credit code already has a collective");
}

// ---- reports ----

std::string ReportColumns() {
  std::string cols = "collective_id, division_code, year";
  for (const ReportAmount& a : ReportAmounts()) cols += fmt::format(", {}", a.name);
  return cols + ", note, updated_at";
}

domain::AnnualReport ReportFromRow(const Row& r) {
  domain::AnnualReport rep;
  rep.collective_id = r.Int(0);
  rep.division_code = r.Int(1);
  rep.year = static_cast<int>(r.Int(2));
  size_t i = 3;
  for (const ReportAmount& a : ReportAmounts()) rep.*a.member = r.Int(i++);
  rep.note = r.Text(i++);
  rep.updated_at = r.Text(i);
  return rep;
}

Result<std::optional<domain::AnnualReport>> FindReport(Database& db, int64_t collective_id,
                                                       int year) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(fmt::format("SELECT {} FROM annual_report WHERE collective_id = ?"
                                           " AND year = ?",
                                           ReportColumns()),
                               {Value(collective_id), Value(int64_t{year})}));
  if (rows.empty()) return std::optional<domain::AnnualReport>();
  return std::optional<domain::AnnualReport>(ReportFromRow(rows[0]));
}

// Inserts or replaces the collective's report for its year, with the derived columns.
Status WriteReport(Database& db, const Caller& caller, const domain::AnnualReport& r,
                   const std::string& now) {
  std::string cols = "collective_id, division_code, year", marks = "?, ?, ?", set;
  std::vector<Value> params = {Value(r.collective_id), Value(r.division_code),
                               Value(int64_t{r.year})};
  for (const ReportAmount& a : ReportAmounts()) {
    cols += fmt::format(", {}", a.name);
    marks += ", ?";
    set += fmt::format("{} = excluded.{}, ", a.name, a.name);
    params.emplace_back(r.*a.member);
  }
  cols += ", operating_income, operating_profit, note, created_at, updated_at, updated_by";
  marks += ", ?, ?, ?, ?, ?, ?";
  params.emplace_back(domain::OperatingIncome(r));
  params.emplace_back(domain::OperatingProfit(r));
  params.emplace_back(r.note);
  params.emplace_back(now);
  params.emplace_back(now);
  params.emplace_back(caller.username);
  return db
      .Execute(fmt::format("INSERT INTO annual_report ({}) VALUES ({})"
                           " ON CONFLICT (collective_id, year) DO UPDATE SET {}"
                           "operating_income = excluded.operating_income,"
                           " operating_profit = excluded.operating_profit, note = excluded.note,"
                           " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                           cols, marks, set),
               params)
      .status();
}

// The domain's field errors under the names the client used: JSON *_fen, or CSV columns.
Status RenameReportErrors(const Status& s, std::string_view prefix, bool json_names) {
  if (s.ok() || s.field_errors().empty()) return s;
  FieldErrors errors;
  for (const FieldError& e : s.field_errors())
    errors.Add(fmt::format("{}{}", prefix, json_names ? ReportJsonField(e.field) : e.field),
               e.message);
  return errors.ToStatus();
}

// The JSON of an empty CSV row: text columns for the village, the note and the amounts (yuan,
// read by Money::Parse), a number for the year.
json::object CsvReportColumns() {
  json::object like{{"division_code", ""}, {"year", 0}, {"note", ""}};
  for (const ReportAmount& a : ReportAmounts()) like[a.name] = "";
  return like;
}

// A CSV row (amounts in yuan) as the API's JSON (amounts in fen). Bad amounts are errors on the
// CSV column, `prefix` + name.
json::object CsvRowToJson(const json::object& row, const std::string& prefix, FieldErrors& errors) {
  json::object out;
  for (std::string_view key : {"division_code", "year", "note"})
    if (const json::value* v = row.if_contains(key)) out[key] = *v;
  for (const ReportAmount& a : ReportAmounts()) {
    const json::value* v = row.if_contains(a.name);
    if (v == nullptr || v->is_null()) continue;
    const std::string text = v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
    Result<Money> m = Money::Parse(text, prefix + std::string(a.name));
    if (!m.ok()) {
      errors.Add(prefix + std::string(a.name),
                 fmt::format("\"{}\" must be an amount in yuan with at most two decimals, e.g. "
                             "12345.67",
                             text));
      continue;
    }
    out[fmt::format("{}_fen", a.name)] = m->fen();
  }
  return out;
}

}  // namespace

namespace internal {

int64_t CommonDivision(int64_t lo, int64_t hi) {
  // Village, township, county, prefecture, province: the units of each level's code.
  for (int64_t unit : {int64_t{1}, int64_t{1'000}, int64_t{1'000'000}, int64_t{100'000'000},
                       int64_t{10'000'000'000}}) {
    if (lo / unit == hi / unit) return lo / unit * unit;
  }
  return 0;
}

}  // namespace internal

Result<Page<domain::Collective>> CollectiveService::List(const Caller& caller, const ListQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateListQuery(q));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  std::string where = " WHERE division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (!q.q.empty()) {
    where += " AND (name LIKE ? ESCAPE '\\' OR credit_code = ?)";
    params.emplace_back(LikePattern(q.q));
    params.emplace_back(q.q);
  }
  Page<domain::Collective> page;
  page.page = q.page;
  page.page_size = q.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count,
                        db->QueryOne("SELECT COUNT(*) FROM collective" + where, params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.page_size);
    params.emplace_back(Offset(q));
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kCollectiveSelect) + where +
                                                 " ORDER BY division_code LIMIT ? OFFSET ?",
                                             params));
    for (const Row& r : rows) page.items.push_back(CollectiveFromRow(r));
    return Status::Ok();
  }));
  return page;
}

Result<domain::Collective> CollectiveService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  std::optional<domain::Collective> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, CollectiveInScope(*db, caller, id));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Collective> CollectiveService::ByVillage(const Caller& caller,
                                                        int64_t division_code) {
  if (!caller.InScope(division_code))
    return Status::NotFound(VillageWhat(division_code) + " not found");
  auto db = env_.pool->Acquire();
  std::optional<domain::Collective> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckVillage(*db, caller, division_code, "code").status());
    QJ_ASSIGN_OR_RETURN(out, FindCollective(*db, "division_code", Value(division_code)));
    if (!out)
      return Status::NotFound(
          fmt::format("{} has no collective registered", VillageWhat(division_code)));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Collective> CollectiveService::Create(const Caller& caller, domain::Collective c) {
  QJ_RETURN_IF_ERROR(RequireCollectiveWriter(caller));
  c.id = 0;
  // A well-formed village code outside the scope is NotFound before anything is said of the
  // body, as for a missing village.
  if (auto code = DivisionCode::FromInt(c.division_code);
      code.ok() && code->level() == DivisionLevel::kVillage && !caller.InScope(c.division_code))
    return Status::NotFound(VillageWhat(c.division_code) + " not found");
  if (c.division_code == 0) {
    FieldErrors errors;
    errors.Add("division_code", "is required (the village's 12-digit code)");
    if (Status st = domain::ValidateCollective(c); !st.ok())
      for (const FieldError& e : st.field_errors())
        if (e.field != "division_code") errors.Add(e.field, e.message);
    return errors.ToStatus();
  }
  QJ_RETURN_IF_ERROR(domain::ValidateCollective(c));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckVillage(*db, caller, c.division_code, "division_code").status());
    QJ_RETURN_IF_ERROR(CheckUnique(*db, caller, c));
    const std::string now = NowUtc();
    auto inserted = db->Query(
        "INSERT INTO collective (division_code, name, kind, credit_code, registered_on,"
        " member_count, share_classes, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {Value(c.division_code), Value(c.name), Value(c.kind), Value(c.credit_code),
         DateValue(c.registered_on), Value(c.member_count),
         Value(ShareClassesJson(c.share_classes)), Value(now), Value(now)});
    if (!inserted.ok()) return NameDuplicate(inserted.status());
    c.id = inserted->at(0).Int(0);
    c.updated_at = now;
    AuditRecord a;
    a.action = "collective.create";
    a.object = fmt::format("collective/{}", c.id);
    a.division_code = c.division_code;
    a.after = CollectiveJson(c);
    return WriteAudit(*db, caller, a);
  }));
  return c;
}

Result<domain::Collective> CollectiveService::Update(const Caller& caller, domain::Collective c) {
  QJ_RETURN_IF_ERROR(RequireCollectiveWriter(caller));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::Collective before, CollectiveInScope(*db, caller, c.id));
    // A collective stays with its village; its reports are filed under that village's code.
    if (c.division_code != 0 && c.division_code != before.division_code)
      return Status::InvalidField(
          "division_code", fmt::format("a collective stays with its village ({:012d}); register "
                                       "a new one for another village",
                                       before.division_code));
    c.division_code = before.division_code;
    QJ_RETURN_IF_ERROR(domain::ValidateCollective(c));
    QJ_RETURN_IF_ERROR(CheckUnique(*db, caller, c));
    const std::string now = NowUtc();
    auto updated = db->Execute(
        "UPDATE collective SET name = ?, kind = ?, credit_code = ?, registered_on = ?,"
        " member_count = ?, share_classes = ?, updated_at = ? WHERE id = ?",
        {Value(c.name), Value(c.kind), Value(c.credit_code), DateValue(c.registered_on),
         Value(c.member_count), Value(ShareClassesJson(c.share_classes)), Value(now), Value(c.id)});
    if (!updated.ok()) return NameDuplicate(updated.status());
    c.updated_at = now;
    AuditRecord a;
    a.action = "collective.update";
    a.object = fmt::format("collective/{}", c.id);
    a.division_code = c.division_code;
    a.before = CollectiveJson(before);
    a.after = CollectiveJson(c);
    return WriteAudit(*db, caller, a);
  }));
  return c;
}

Result<domain::AnnualReport> CollectiveService::PutReport(const Caller& caller,
                                                          domain::AnnualReport report) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  auto db = env_.pool->Acquire();
  std::optional<domain::AnnualReport> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::Collective c, CollectiveInScope(*db, caller, report.collective_id));
    if (report.division_code != 0 && report.division_code != c.division_code)
      return Status::InvalidField(
          "division_code",
          fmt::format("must be the collective's village, {:012d}", c.division_code));
    report.division_code = c.division_code;
    QJ_RETURN_IF_ERROR(RenameReportErrors(domain::ValidateAnnualReport(report), "", true));
    QJ_ASSIGN_OR_RETURN(auto before, FindReport(*db, c.id, report.year));
    QJ_RETURN_IF_ERROR(WriteReport(*db, caller, report, NowUtc()));
    QJ_ASSIGN_OR_RETURN(out, FindReport(*db, c.id, report.year));
    if (!out) return Status::Internal("the annual report vanished after writing");
    AuditRecord a;
    a.action = "annual_report.put";
    a.object = fmt::format("collective/{}/reports/{}", c.id, report.year);
    a.division_code = c.division_code;
    if (before) a.before = AnnualReportJson(*before);
    a.after = AnnualReportJson(*out);
    return WriteAudit(*db, caller, a);
  }));
  return std::move(*out);
}

Result<std::vector<domain::AnnualReport>> CollectiveService::Reports(const Caller& caller,
                                                                     int64_t collective_id) {
  auto db = env_.pool->Acquire();
  std::vector<domain::AnnualReport> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CollectiveInScope(*db, caller, collective_id).status());
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(fmt::format("SELECT {} FROM annual_report WHERE"
                                                         " collective_id = ? ORDER BY year",
                                                         ReportColumns()),
                                             {Value(collective_id)}));
    for (const Row& r : rows) out.push_back(ReportFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> CollectiveService::ImportReports(const Caller& caller, std::string_view format,
                                                 std::string_view text) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (format != "json" && format != "csv")
    return Status::InvalidField("format", fmt::format("\"{}\" must be json or csv", format));
  const bool csv = format == "csv";
  TableRows input;
  if (csv) {
    QJ_ASSIGN_OR_RETURN(input, ReadCsvRows(text, CsvReportColumns()));
  } else {
    QJ_ASSIGN_OR_RETURN(input, ReadJsonRows(text, AnnualReportJson(domain::AnnualReport{})));
  }
  const size_t n = input.rows.size();
  if (n == 0) return Status::InvalidField("rows", "no rows to import");
  if (static_cast<int64_t>(n) > kMaxImportRows)
    return Status::InvalidField("rows", fmt::format("at most {} rows per import", kMaxImportRows));

  auto db = env_.pool->Acquire();
  int64_t stored = 0;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    // The collectives in scope by village, read once.
    std::unordered_map<int64_t, int64_t> collective_of;
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query("SELECT division_code, id FROM collective"
                                             " WHERE division_code BETWEEN ? AND ?",
                                             {Value(caller.scope.lo), Value(caller.scope.hi)}));
    for (const Row& r : rows) collective_of[r.Int(0)] = r.Int(1);
    std::unordered_map<int64_t, std::string> village_problem;  // cached per village

    std::vector<FieldError> errors;
    size_t bad_rows = 0;
    std::vector<domain::AnnualReport> reports;
    reports.reserve(n);
    std::map<std::pair<int64_t, int>, size_t> seen;
    for (size_t i = 0; i < n; ++i) {
      const std::string prefix = fmt::format("rows[{}].", i);
      const std::string where =
          input.lines.empty() ? "" : fmt::format(" (line {})", input.lines[i]);
      const size_t before = errors.size();
      const auto add = [&](const Status& s) {
        if (s.field_errors().empty()) {
          errors.push_back({prefix + "division_code", s.message() + where});
          return;
        }
        for (const FieldError& e : s.field_errors()) {
          std::string field = e.field.rfind("rows[", 0) == 0 ? e.field : prefix + e.field;
          errors.push_back({std::move(field), e.message + where});
        }
      };
      FieldErrors cells;
      json::object row = csv ? CsvRowToJson(input.rows[i], prefix, cells) : input.rows[i];
      if (!cells.empty()) add(cells.ToStatus());
      Result<domain::AnnualReport> r = AnnualReportFromJson(row, prefix);
      if (!r.ok()) {
        add(r.status());
      } else if (r->division_code == 0) {
        errors.push_back(
            {prefix + "division_code", "is required (the village's 12-digit code)" + where});
      } else {
        const int64_t code = r->division_code;
        auto it = collective_of.find(code);
        if (it == collective_of.end()) {
          auto cached = village_problem.find(code);
          if (cached == village_problem.end()) {
            auto village = CheckVillage(*db, caller, code, "division_code");
            std::string problem = village.ok()
                                      ? fmt::format(
                                            "{} ({}) has no collective registered; register it "
                                            "first",
                                            VillageWhat(code), village->name)
                                  : village.status().field_errors().empty()
                                      ? village.status().message()
                                      : village.status().field_errors()[0].message;
            cached = village_problem.emplace(code, std::move(problem)).first;
          }
          errors.push_back({prefix + "division_code", cached->second + where});
        } else {
          r->collective_id = it->second;
          // With a cell that did not parse, the sums would only add confusing errors.
          if (cells.empty()) {
            if (Status s = domain::ValidateAnnualReport(*r); !s.ok())
              add(RenameReportErrors(s, "", !csv));
          }
          auto [at, fresh] = seen.emplace(std::make_pair(code, r->year), i);
          if (!fresh)
            errors.push_back({prefix + "year", fmt::format("repeats rows[{}] ({:012d}, {}){}",
                                                           at->second, code, r->year, where)});
        }
      }
      if (errors.size() > before) ++bad_rows;
      if (r.ok()) reports.push_back(std::move(*r));
    }
    if (!errors.empty()) return ImportErrors(errors, bad_rows, n);

    const std::string now = NowUtc();
    int64_t inserted = 0, updated = 0;
    int64_t lo = reports.front().division_code, hi = lo;
    for (const domain::AnnualReport& r : reports) {
      QJ_ASSIGN_OR_RETURN(auto existing, FindReport(*db, r.collective_id, r.year));
      QJ_RETURN_IF_ERROR(WriteReport(*db, caller, r, now));
      ++(existing ? updated : inserted);
      lo = std::min(lo, r.division_code);
      hi = std::max(hi, r.division_code);
    }
    stored = inserted + updated;
    AuditRecord a;
    a.action = "annual_report.import";
    a.object = "annual_report";
    a.division_code = CommonDivision(lo, hi);
    a.after = json::object{{"format", format},
                           {"rows", static_cast<int64_t>(n)},
                           {"inserted", inserted},
                           {"updated", updated}};
    return WriteAudit(*db, caller, a);
  }));
  return stored;
}

}  // namespace qiangji::services

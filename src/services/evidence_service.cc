// Assessment evidence from the seed's four sources. Periodic ratings, duty reports and surveys
// are keyed by village and period (a put replaces the earlier record); spot checks are separate
// findings with ids. Evidence belongs to village-level divisions only, inside the caller's scope
// (NotFound outside it, as for a missing village). Bulk import is all or nothing: every row is
// read, validated and scope-checked first, all problems are reported together as field errors
// "rows[i].field" (the first 100), and only a clean file is written, in one transaction.
//
// CSV: a header row of field names, then one row per record (RFC 4180 quoting: a field in double
// quotes may hold commas, quotes doubled, and line breaks). Excel on Chinese Windows saves CSV as
// GB18030 (GBK), so text that is not valid UTF-8 is converted from GB18030; a UTF-8 byte-order
// mark is dropped. Booleans are true/false, 1/0 or 是/否; an empty cell is an absent value.
#include <charconv>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "services/assess.h"
#include "services/assess_json.h"
#include "services/internal.h"
#include "services/table_import.h"

namespace qiangji::services {
namespace {

using namespace internal;


Status ValidateEvidenceQuery(const EvidenceQuery& q) {
  FieldErrors errors;
  if (q.page < 1 || q.page > 1'000'000) errors.Add("page", "must be between 1 and 1000000");
  if (q.page_size < 1 || q.page_size > 500) errors.Add("page_size", "must be between 1 and 500");
  if (q.year != 0 && (q.year < 2000 || q.year > 2100))
    errors.Add("year", "must be between 2000 and 2100 (or 0 for every year)");
  return errors.ToStatus();
}

std::string VillageWhat(int64_t code) { return fmt::format("village {:012d}", code); }

// The division must be a village-level unit inside the caller's scope: NotFound otherwise (as
// for a code that does not exist), InvalidArgument on `field` for a township or county code.
Status CheckVillage(Database& db, const Caller& caller, int64_t code, const std::string& field) {
  QJ_ASSIGN_OR_RETURN(domain::Division d, DivisionInScope(db, caller, code, VillageWhat(code)));
  if (d.level != DivisionLevel::kVillage)
    return Status::InvalidField(
        field, fmt::format("{:012d} ({}) is a {}, not a village-level division", code, d.name,
                           DivisionLevelName(d.level)));
  return Status::Ok();
}

// Checks the year repeated in a period ("2025Q3") against the range the tables accept.
Result<std::pair<int, int>> Quarter(const domain::PeriodicRating& r) {
  QJ_ASSIGN_OR_RETURN(auto yq, domain::ParseQuarter(r.period, "period"));
  if (yq.first < 2000 || yq.first > 2100)
    return Status::InvalidField("period", "the year must be between 2000 and 2100");
  return yq;
}

// ---- one kind of evidence each: how it is keyed, validated, read and written ----

struct RatingKind {
  using T = domain::PeriodicRating;
  static constexpr std::string_view kKind = "periodic-ratings";
  static constexpr std::string_view kAction = "periodic_rating";
  static constexpr std::string_view kColumns =
      "division_code, period, score, meetings_held, affairs_disclosures, finance_disclosed,"
      " petitions, note, updated_at";
  static Result<T> FromJson(const json::object& o, std::string_view p) {
    return PeriodicRatingFromJson(o, p);
  }
  static json::object ToJson(const T& t) { return PeriodicRatingJson(t); }
  static Status Validate(const T& t) {
    QJ_RETURN_IF_ERROR(domain::ValidatePeriodicRating(t));
    return Quarter(t).status();
  }
  static std::string Key(const T& t) {
    return fmt::format("{:012d}/{}", t.division_code, t.period);
  }
  static T FromRow(const Row& r) {
    T t;
    t.division_code = r.Int(0);
    t.period = r.Text(1);
    t.score = r.Real(2);
    t.meetings_held = r.Int(3);
    t.affairs_disclosures = r.Int(4);
    t.finance_disclosed = r.Int(5) != 0;
    t.petitions = r.Int(6);
    t.note = r.Text(7);
    t.updated_at = r.Text(8);
    return t;
  }
  static Result<std::optional<T>> Find(Database& db, const T& t) {
    QJ_ASSIGN_OR_RETURN(auto rows, db.Query(fmt::format("SELECT {} FROM periodic_rating WHERE"
                                                        " division_code = ? AND period = ?",
                                                        kColumns),
                                            {Value(t.division_code), Value(t.period)}));
    if (rows.empty()) return std::optional<T>();
    return std::optional<T>(FromRow(rows[0]));
  }
  static Status Write(Database& db, const Caller& caller, const T& t, const std::string& now) {
    QJ_ASSIGN_OR_RETURN(auto yq, Quarter(t));
    return db
        .Execute(
            "INSERT INTO periodic_rating (division_code, period, year, quarter, score,"
            " meetings_held, affairs_disclosures, finance_disclosed, petitions, note, updated_at,"
            " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (division_code, period) DO UPDATE SET score = excluded.score,"
            " meetings_held = excluded.meetings_held,"
            " affairs_disclosures = excluded.affairs_disclosures,"
            " finance_disclosed = excluded.finance_disclosed, petitions = excluded.petitions,"
            " note = excluded.note, updated_at = excluded.updated_at,"
            " updated_by = excluded.updated_by",
            {Value(t.division_code), Value(t.period), Value(int64_t{yq.first}),
             Value(int64_t{yq.second}), Value(t.score), Value(t.meetings_held),
             Value(t.affairs_disclosures), Value(int64_t{t.finance_disclosed}), Value(t.petitions),
             Value(t.note), Value(now), Value(caller.username)})
        .status();
  }
};

struct DutyReportKind {
  using T = domain::DutyReport;
  static constexpr std::string_view kKind = "duty-reports";
  static constexpr std::string_view kAction = "duty_report";
  static constexpr std::string_view kColumns =
      "division_code, year, excellent, competent, basic, incompetent, development_target,"
      " updated_at";
  static Result<T> FromJson(const json::object& o, std::string_view p) {
    return DutyReportFromJson(o, p);
  }
  static json::object ToJson(const T& t) { return DutyReportJson(t); }
  static Status Validate(const T& t) { return domain::ValidateDutyReport(t); }
  static std::string Key(const T& t) { return fmt::format("{:012d}/{}", t.division_code, t.year); }
  static T FromRow(const Row& r) {
    T t;
    t.division_code = r.Int(0);
    t.year = static_cast<int>(r.Int(1));
    t.excellent = r.Int(2);
    t.competent = r.Int(3);
    t.basic = r.Int(4);
    t.incompetent = r.Int(5);
    t.development_target = r.Int(6) != 0;
    t.updated_at = r.Text(7);
    return t;
  }
  static Result<std::optional<T>> Find(Database& db, const T& t) {
    QJ_ASSIGN_OR_RETURN(auto rows, db.Query(fmt::format("SELECT {} FROM duty_report WHERE"
                                                        " division_code = ? AND year = ?",
                                                        kColumns),
                                            {Value(t.division_code), Value(int64_t{t.year})}));
    if (rows.empty()) return std::optional<T>();
    return std::optional<T>(FromRow(rows[0]));
  }
  static Status Write(Database& db, const Caller& caller, const T& t, const std::string& now) {
    return db
        .Execute(
            "INSERT INTO duty_report (division_code, year, excellent, competent, basic,"
            " incompetent, development_target, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (division_code, year) DO UPDATE SET excellent = excluded.excellent,"
            " competent = excluded.competent, basic = excluded.basic,"
            " incompetent = excluded.incompetent,"
            " development_target = excluded.development_target,"
            " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            {Value(t.division_code), Value(int64_t{t.year}), Value(t.excellent), Value(t.competent),
             Value(t.basic), Value(t.incompetent), Value(int64_t{t.development_target}), Value(now),
             Value(caller.username)})
        .status();
  }
};

struct SurveyKind {
  using T = domain::SatisfactionSurvey;
  static constexpr std::string_view kKind = "satisfaction-surveys";
  static constexpr std::string_view kAction = "satisfaction_survey";
  static constexpr std::string_view kColumns =
      "division_code, year, responses, satisfied, updated_at";
  static Result<T> FromJson(const json::object& o, std::string_view p) {
    return SurveyFromJson(o, p);
  }
  static json::object ToJson(const T& t) { return SurveyJson(t); }
  static Status Validate(const T& t) { return domain::ValidateSatisfactionSurvey(t); }
  static std::string Key(const T& t) { return fmt::format("{:012d}/{}", t.division_code, t.year); }
  static T FromRow(const Row& r) {
    T t;
    t.division_code = r.Int(0);
    t.year = static_cast<int>(r.Int(1));
    t.responses = r.Int(2);
    t.satisfied = r.Int(3);
    t.updated_at = r.Text(4);
    return t;
  }
  static Result<std::optional<T>> Find(Database& db, const T& t) {
    QJ_ASSIGN_OR_RETURN(auto rows, db.Query(fmt::format("SELECT {} FROM satisfaction_survey WHERE"
                                                        " division_code = ? AND year = ?",
                                                        kColumns),
                                            {Value(t.division_code), Value(int64_t{t.year})}));
    if (rows.empty()) return std::optional<T>();
    return std::optional<T>(FromRow(rows[0]));
  }
  static Status Write(Database& db, const Caller& caller, const T& t, const std::string& now) {
    return db
        .Execute(
            "INSERT INTO satisfaction_survey (division_code, year, responses, satisfied,"
            " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (division_code, year) DO UPDATE SET responses = excluded.responses,"
            " satisfied = excluded.satisfied, updated_at = excluded.updated_at,"
            " updated_by = excluded.updated_by",
            {Value(t.division_code), Value(int64_t{t.year}), Value(t.responses), Value(t.satisfied),
             Value(now), Value(caller.username)})
        .status();
  }
};

// Spot checks have ids: a new finding is inserted; one with an id updates that finding.
struct SpotCheckKind {
  using T = domain::SpotCheck;
  static constexpr std::string_view kKind = "spot-checks";
  static constexpr std::string_view kAction = "spot_check";
  static constexpr std::string_view kColumns =
      "id, division_code, check_date, category, severity, finding, rectified, updated_at";
  static Result<T> FromJson(const json::object& o, std::string_view p) {
    return SpotCheckFromJson(o, p);
  }
  static json::object ToJson(const T& t) { return SpotCheckJson(t); }
  static Status Validate(const T& t) { return domain::ValidateSpotCheck(t); }
  static std::string Key(const T& t) { return t.id == 0 ? "" : std::to_string(t.id); }
  static T FromRow(const Row& r) {
    T t;
    t.id = r.Int(0);
    t.division_code = r.Int(1);
    t.check_date = RequiredDate(r, 2);
    t.category = r.Text(3);
    t.severity = r.Text(4);
    t.finding = r.Text(5);
    t.rectified = r.Int(6) != 0;
    t.updated_at = r.Text(7);
    return t;
  }
  static Result<std::optional<T>> Find(Database& db, const T& t) {
    if (t.id == 0) return std::optional<T>();
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db.Query(fmt::format("SELECT {} FROM spot_check WHERE id = ?", kColumns), {Value(t.id)}));
    if (rows.empty()) return std::optional<T>();
    return std::optional<T>(FromRow(rows[0]));
  }
  // Returns the id written.
  static Result<int64_t> Save(Database& db, const Caller& caller, const T& t,
                              const std::string& now) {
    if (t.id != 0) {
      QJ_RETURN_IF_ERROR(
          db.Execute("UPDATE spot_check SET division_code = ?, check_date = ?,"
                     " category = ?, severity = ?, finding = ?, rectified = ?,"
                     " updated_at = ?, updated_by = ? WHERE id = ?",
                     {Value(t.division_code), Value(t.check_date.ToString()), Value(t.category),
                      Value(t.severity), Value(t.finding), Value(int64_t{t.rectified}), Value(now),
                      Value(caller.username), Value(t.id)})
              .status());
      return t.id;
    }
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db.Query("INSERT INTO spot_check (division_code, check_date, category, severity, finding,"
                 " rectified, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                 " RETURNING id",
                 {Value(t.division_code), Value(t.check_date.ToString()), Value(t.category),
                  Value(t.severity), Value(t.finding), Value(int64_t{t.rectified}), Value(now),
                  Value(caller.username)}));
    return rows.at(0).Int(0);
  }
  static Status Write(Database& db, const Caller& caller, const T& t, const std::string& now) {
    return Save(db, caller, t, now).status();
  }
};

// Evidence rates the village's own organization, and the rating affects its cadres' careers, so
// it is entered by those who assess: township, county and admin users. Village staff read it
// (and may appeal a published result); viewers only read.
Status RequireEvidenceWriter(const Caller& caller) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role == domain::Role::kVillage)
    return Status::PermissionDenied(
        "village staff may not enter assessment evidence; township or county staff enter it");
  return Status::Ok();
}

// Upserts one keyed record (ratings, duty reports, surveys) with its audit row.
template <typename K>
Result<typename K::T> Put(storage::ConnectionPool* pool, const Caller& caller, typename K::T t) {
  QJ_RETURN_IF_ERROR(RequireEvidenceWriter(caller));
  if (!caller.InScope(t.division_code))
    return Status::NotFound(VillageWhat(t.division_code) + " not found");
  QJ_RETURN_IF_ERROR(K::Validate(t));
  auto db = pool->Acquire();
  std::optional<typename K::T> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckVillage(*db, caller, t.division_code, "division_code"));
    QJ_ASSIGN_OR_RETURN(auto before, K::Find(*db, t));
    QJ_RETURN_IF_ERROR(K::Write(*db, caller, t, NowUtc()));
    QJ_ASSIGN_OR_RETURN(out, K::Find(*db, t));
    if (!out) return Status::Internal(K::Key(t) + " vanished after writing");
    AuditRecord a;
    a.action = fmt::format("{}.put", K::kAction);
    a.object = fmt::format("{}/{}", K::kAction, K::Key(t));
    a.division_code = t.division_code;
    if (before) a.before = K::ToJson(*before);
    a.after = K::ToJson(*out);
    return WriteAudit(*db, caller, a);
  }));
  return std::move(*out);
}

// One page of a kind's table under the caller's scope, optionally of one year.
template <typename K>
Result<Page<typename K::T>> List(storage::ConnectionPool* pool, const Caller& caller,
                                 const EvidenceQuery& q, std::string_view table,
                                 std::string_view order) {
  QJ_RETURN_IF_ERROR(ValidateEvidenceQuery(q));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  std::string where = " WHERE division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (q.year != 0) {
    if (table == "spot_check") {
      where += " AND check_date >= ? AND check_date <= ?";
      params.emplace_back(fmt::format("{:04d}-01-01", q.year));
      params.emplace_back(fmt::format("{:04d}-12-31", q.year));
    } else {
      where += " AND year = ?";
      params.emplace_back(int64_t{q.year});
    }
  }
  Page<typename K::T> page;
  page.page = q.page;
  page.page_size = q.page_size;
  auto db = pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(
        Row count,
        db->QueryOne(fmt::format("SELECT COUNT(*) FROM {}{}", table, where), params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.page_size);
    params.emplace_back((q.page - 1) * q.page_size);
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(fmt::format("SELECT {} FROM {}{} ORDER BY {}"
                                                         " LIMIT ? OFFSET ?",
                                                         K::kColumns, table, where, order),
                                             params));
    for (const Row& r : rows) page.items.push_back(K::FromRow(r));
    return Status::Ok();
  }));
  return page;
}

// ---- import ----
// Reading the uploaded table (JSON or CSV, UTF-8 or GB18030) is services/table_import.h.

template <typename K>
Result<ImportReport> ImportKind(Database& db, const Caller& caller, std::string_view format,
                                std::string_view text) {
  using T = typename K::T;
  const json::object like = K::ToJson(T{});
  internal::TableRows input;
  if (format == "csv") {
    QJ_ASSIGN_OR_RETURN(input, internal::ReadCsvRows(text, like));
  } else {
    QJ_ASSIGN_OR_RETURN(input, internal::ReadJsonRows(text, like));
  }
  const size_t n = input.rows.size();
  if (static_cast<int64_t>(n) > kMaxImportRows)
    return Status::InvalidField("rows", fmt::format("at most {} rows per import", kMaxImportRows));
  if (n == 0) return Status::InvalidField("rows", "no rows to import");

  // Read, validate and check every row before writing any.
  std::vector<FieldError> errors;
  size_t bad_rows = 0;
  std::vector<T> records;
  records.reserve(n);
  std::unordered_map<int64_t, Status> villages;
  std::unordered_map<std::string, size_t> keys;
  for (size_t i = 0; i < n; ++i) {
    const std::string prefix = fmt::format("rows[{}].", i);
    const std::string where = input.lines.empty() ? "" : fmt::format(" (line {})", input.lines[i]);
    const size_t before = errors.size();
    const auto add = [&](const Status& s) {
      if (s.field_errors().empty()) {
        errors.push_back({prefix + "division_code", s.message() + where});
        return;
      }
      for (const FieldError& e : s.field_errors()) {
        // Readers already prefix their fields; domain checks name bare fields.
        std::string field = e.field.rfind("rows[", 0) == 0 ? e.field : prefix + e.field;
        errors.push_back({std::move(field), e.message + where});
      }
    };
    Result<T> t = K::FromJson(input.rows[i], prefix);
    if (!t.ok()) {
      add(t.status());
    } else {
      if (Status s = K::Validate(*t); !s.ok()) add(s);
      auto cached = villages.find(t->division_code);
      if (cached == villages.end())
        cached = villages
                     .emplace(t->division_code,
                              CheckVillage(db, caller, t->division_code, "division_code"))
                     .first;
      if (!cached->second.ok()) add(cached->second);
      const std::string key = K::Key(*t);
      if (!key.empty()) {
        auto [it, fresh] = keys.emplace(key, i);
        if (!fresh)
          errors.push_back({prefix + (std::is_same_v<K, SpotCheckKind> ? "id" : "division_code"),
                            fmt::format("repeats rows[{}] ({}){}", it->second, key, where)});
      }
      // An id names an existing finding in scope, or it is an error (never a silent insert).
      if constexpr (std::is_same_v<K, SpotCheckKind>) {
        if (t->id != 0) {
          QJ_ASSIGN_OR_RETURN(auto existing, K::Find(db, *t));
          if (!existing || !caller.InScope(existing->division_code))
            errors.push_back(
                {prefix + "id", fmt::format("spot check {} not found{}", t->id, where)});
        }
      }
      records.push_back(std::move(*t));
    }
    if (errors.size() > before) ++bad_rows;
  }
  if (!errors.empty()) return ImportErrors(errors, bad_rows, n);

  ImportReport report;
  report.kind = std::string(K::kKind);
  report.rows = static_cast<int64_t>(n);
  const std::string now = NowUtc();
  for (const T& t : records) {
    QJ_ASSIGN_OR_RETURN(auto existing, K::Find(db, t));
    QJ_RETURN_IF_ERROR(K::Write(db, caller, t, now));
    ++(existing ? report.updated : report.inserted);
  }
  AuditRecord a;
  a.action = "evidence.import";
  a.object = fmt::format("evidence/{}", K::kKind);
  a.after = json::object{{"kind", report.kind},
                         {"format", format},
                         {"rows", report.rows},
                         {"inserted", report.inserted},
                         {"updated", report.updated}};
  QJ_RETURN_IF_ERROR(WriteAudit(db, caller, a));
  return report;
}

}  // namespace

Result<domain::PeriodicRating> EvidenceService::PutPeriodicRating(const Caller& caller,
                                                                  domain::PeriodicRating r) {
  return Put<RatingKind>(env_.pool, caller, std::move(r));
}

Result<Page<domain::PeriodicRating>> EvidenceService::ListPeriodicRatings(const Caller& caller,
                                                                          const EvidenceQuery& q) {
  return List<RatingKind>(env_.pool, caller, q, "periodic_rating", "division_code, period");
}

Result<domain::DutyReport> EvidenceService::PutDutyReport(const Caller& caller,
                                                          domain::DutyReport r) {
  return Put<DutyReportKind>(env_.pool, caller, std::move(r));
}

Result<Page<domain::DutyReport>> EvidenceService::ListDutyReports(const Caller& caller,
                                                                  const EvidenceQuery& q) {
  return List<DutyReportKind>(env_.pool, caller, q, "duty_report", "division_code, year");
}

Result<domain::SatisfactionSurvey> EvidenceService::PutSurvey(const Caller& caller,
                                                              domain::SatisfactionSurvey s) {
  return Put<SurveyKind>(env_.pool, caller, std::move(s));
}

Result<Page<domain::SatisfactionSurvey>> EvidenceService::ListSurveys(const Caller& caller,
                                                                      const EvidenceQuery& q) {
  return List<SurveyKind>(env_.pool, caller, q, "satisfaction_survey", "division_code, year");
}

Result<Page<domain::SpotCheck>> EvidenceService::ListSpotChecks(const Caller& caller,
                                                                const EvidenceQuery& q) {
  return List<SpotCheckKind>(env_.pool, caller, q, "spot_check", "division_code, check_date, id");
}

Result<domain::SpotCheck> EvidenceService::CreateSpotCheck(const Caller& caller,
                                                           domain::SpotCheck c) {
  QJ_RETURN_IF_ERROR(RequireEvidenceWriter(caller));
  c.id = 0;
  if (!caller.InScope(c.division_code))
    return Status::NotFound(VillageWhat(c.division_code) + " not found");
  QJ_RETURN_IF_ERROR(domain::ValidateSpotCheck(c));
  auto db = env_.pool->Acquire();
  std::optional<domain::SpotCheck> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckVillage(*db, caller, c.division_code, "division_code"));
    QJ_ASSIGN_OR_RETURN(c.id, SpotCheckKind::Save(*db, caller, c, NowUtc()));
    QJ_ASSIGN_OR_RETURN(out, SpotCheckKind::Find(*db, c));
    AuditRecord a;
    a.action = "spot_check.create";
    a.object = fmt::format("spot_check/{}", c.id);
    a.division_code = c.division_code;
    a.after = SpotCheckJson(*out);
    return WriteAudit(*db, caller, a);
  }));
  return std::move(*out);
}

Result<domain::SpotCheck> EvidenceService::UpdateSpotCheck(const Caller& caller,
                                                           domain::SpotCheck c) {
  QJ_RETURN_IF_ERROR(RequireEvidenceWriter(caller));
  auto db = env_.pool->Acquire();
  std::optional<domain::SpotCheck> out;
  const std::string what = fmt::format("spot check {} not found", c.id);
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto before, SpotCheckKind::Find(*db, c));
    if (!before || !caller.InScope(before->division_code)) return Status::NotFound(what);
    if (c.division_code == 0) c.division_code = before->division_code;
    QJ_RETURN_IF_ERROR(domain::ValidateSpotCheck(c));
    // Moving a finding to another village needs that village in scope too.
    QJ_RETURN_IF_ERROR(CheckVillage(*db, caller, c.division_code, "division_code"));
    QJ_RETURN_IF_ERROR(SpotCheckKind::Save(*db, caller, c, NowUtc()).status());
    QJ_ASSIGN_OR_RETURN(out, SpotCheckKind::Find(*db, c));
    AuditRecord a;
    a.action = "spot_check.update";
    a.object = fmt::format("spot_check/{}", c.id);
    a.division_code = c.division_code;
    a.before = SpotCheckJson(*before);
    a.after = SpotCheckJson(*out);
    return WriteAudit(*db, caller, a);
  }));
  return std::move(*out);
}

Status EvidenceService::DeleteSpotCheck(const Caller& caller, int64_t id) {
  QJ_RETURN_IF_ERROR(RequireEvidenceWriter(caller));
  auto db = env_.pool->Acquire();
  return storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    domain::SpotCheck key;
    key.id = id;
    QJ_ASSIGN_OR_RETURN(auto before, SpotCheckKind::Find(*db, key));
    if (!before || !caller.InScope(before->division_code))
      return Status::NotFound(fmt::format("spot check {} not found", id));
    QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM spot_check WHERE id = ?", {Value(id)}).status());
    AuditRecord a;
    a.action = "spot_check.delete";
    a.object = fmt::format("spot_check/{}", id);
    a.division_code = before->division_code;
    a.before = SpotCheckJson(*before);
    return WriteAudit(*db, caller, a);
  });
}

Result<ImportReport> EvidenceService::Import(const Caller& caller, std::string_view kind,
                                             std::string_view format, std::string_view text) {
  QJ_RETURN_IF_ERROR(RequireEvidenceWriter(caller));
  FieldErrors errors;
  if (!domain::Contains(kEvidenceKinds, kind))
    errors.Add("kind", fmt::format("\"{}\" is not one of periodic-ratings, spot-checks,"
                                   " duty-reports, satisfaction-surveys",
                                   kind));
  if (format != "json" && format != "csv")
    errors.Add("format", fmt::format("\"{}\" must be json or csv", format));
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  auto db = env_.pool->Acquire();
  std::optional<ImportReport> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    Result<ImportReport> r =
        kind == RatingKind::kKind       ? ImportKind<RatingKind>(*db, caller, format, text)
        : kind == SpotCheckKind::kKind  ? ImportKind<SpotCheckKind>(*db, caller, format, text)
        : kind == DutyReportKind::kKind ? ImportKind<DutyReportKind>(*db, caller, format, text)
                                        : ImportKind<SurveyKind>(*db, caller, format, text);
    if (!r.ok()) return r.status();
    out = std::move(*r);
    return Status::Ok();
  }));
  return std::move(*out);
}

}  // namespace qiangji::services

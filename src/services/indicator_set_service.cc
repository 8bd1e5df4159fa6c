// Indicator sets: versioned and immutable once stored (a run names the exact version it used, so
// a stored set never changes under it; editing stores version max + 1 of the same key). A set is
// stored only when it passes the domain's structural checks and every AHP matrix its weighting
// uses is consistent (CR < 0.10, engines/assess/weights.h). Any signed-in user may read sets;
// only county staff and administrators may store them.
#include <fmt/format.h>

#include "engines/assess/weights.h"
#include "services/assess.h"
#include "services/assess_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kSetColumns =
    "s.id, s.key, s.version, s.name_zh, s.name_en, s.note, s.body, s.created_at, s.created_by";

Status RequireSetAuthor(const Caller& caller) {
  if (caller.role == domain::Role::kAdmin || caller.role == domain::Role::kCounty)
    return Status::Ok();
  return Status::PermissionDenied("only county staff or an administrator may store indicator sets");
}

// Matrices only count when the weighting reads them: an unused matrix is kept as drafted.
bool UsesAhp(const domain::WeightingDef& w) {
  return w.method == "ahp" || (w.method == "blend" && w.subjective == "ahp");
}

Status CheckConsistency(const domain::IndicatorSet& set) {
  if (!UsesAhp(set.weighting)) return Status::Ok();
  for (size_t i = 0; i < set.weighting.ahp.size(); ++i) {
    const domain::AhpMatrixDef& m = set.weighting.ahp[i];
    auto check = engines::assess::CheckAhpMatrix(m);
    if (!check.ok()) {
      const Status& s = check.status();
      if (s.field_errors().empty()) {
        return Status::InvalidField(fmt::format("weighting.ahp[{}]", i), s.message());
      }
      FieldErrors errors;
      for (const FieldError& e : s.field_errors())
        errors.Add(fmt::format("weighting.ahp[{}].{}", i, e.field), e.message);
      return errors.ToStatus();
    }
    // Bad input like any other (400), named by the matrix's path so the editor marks the grid.
    if (!check->acceptable)
      return Status::InvalidField(
          fmt::format("weighting.ahp[{}]", i),
          fmt::format("matrix '{}' has CR {:.3f} >= {:.2f}", m.name, check->result.cr,
                      engines::assess::kMaxConsistencyRatio));
  }
  return Status::Ok();
}

// A row of kSetColumns as the set it stores; the columns win over the body's copies.
Result<domain::IndicatorSet> SetFromRow(const Row& row) {
  const int64_t id = row.Int(0);
  Result<json::value> body = ParseJsonExact(row.Text(6));
  if (!body.ok())
    return Status::Internal(
        fmt::format("indicator set {}: stored body is not JSON: {}", id, body.status().message()));
  auto set = IndicatorSetFromJsonUnchecked(*body);
  if (!set.ok())
    return Status::Internal(fmt::format("indicator set {}: stored body does not read: {}", id,
                                        set.status().ToString()));
  set->id = id;
  set->key = row.Text(1);
  set->version = static_cast<int>(row.Int(2));
  set->name_zh = row.Text(3);
  set->name_en = row.Text(4);
  set->note = row.Text(5);
  set->created_at = row.Text(7);
  set->created_by = row.Text(8);
  return std::move(*set);
}

// Stores `set` as the next version of its key, inside the caller's transaction.
Result<domain::IndicatorSet> StoreSet(Database& db, const Caller& caller,
                                      domain::IndicatorSet set) {
  QJ_ASSIGN_OR_RETURN(Row max, db.QueryOne("SELECT COALESCE(MAX(version), 0) FROM indicator_set"
                                           " WHERE key = ?",
                                           {Value(set.key)}, "max version"));
  set.id = 0;
  set.version = static_cast<int>(max.Int(0)) + 1;
  set.created_at = NowUtc();
  set.created_by = caller.username;
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("INSERT INTO indicator_set (key, version, name_zh, name_en, note, body, created_at,"
               " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {Value(set.key), Value(int64_t{set.version}), Value(set.name_zh), Value(set.name_en),
                Value(set.note), Value(json::serialize(IndicatorSetJson(set))),
                Value(set.created_at), Value(set.created_by)}));
  set.id = rows.at(0).Int(0);
  AuditRecord a;
  a.action = "indicator_set.create";
  a.object = fmt::format("indicator_set/{}", set.id);
  a.after = IndicatorSetJson(set);
  QJ_RETURN_IF_ERROR(WriteAudit(db, caller, a));
  return set;
}

// Runs live in assess_run (migration 004); a database without it has none.
Result<bool> HasTable(Database& db, std::string_view table) {
  const std::string sql =
      db.Dialect() == "sqlite"
          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?";
  QJ_ASSIGN_OR_RETURN(Row row, db.QueryOne(sql, {Value(std::string(table))}, "table"));
  return row.Int(0) > 0;
}

}  // namespace

namespace internal {

Result<domain::IndicatorSet> LoadIndicatorSet(Database& db, int64_t id) {
  QJ_ASSIGN_OR_RETURN(
      Row row,
      db.QueryOne(fmt::format("SELECT {} FROM indicator_set s WHERE s.id = ?", kSetColumns),
                  {Value(id)}, fmt::format("indicator set {} not found", id)));
  return SetFromRow(row);
}

Result<domain::IndicatorSet> LoadLatestIndicatorSet(Database& db, std::string_view key) {
  QJ_ASSIGN_OR_RETURN(
      Row row,
      db.QueryOne(fmt::format("SELECT {} FROM indicator_set s WHERE s.key = ?"
                              " ORDER BY s.version DESC LIMIT 1",
                              kSetColumns),
                  {Value(std::string(key))}, fmt::format("indicator set \"{}\" not found", key)));
  return SetFromRow(row);
}

}  // namespace internal

Result<std::vector<IndicatorSetSummary>> IndicatorSetService::List(const Caller& caller) {
  auto db = env_.pool->Acquire();
  std::vector<IndicatorSetSummary> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(bool runs, HasTable(*db, "assess_run"));
    const std::string run_count =
        runs ? "(SELECT COUNT(*) FROM assess_run r WHERE r.indicator_set_id = s.id)" : "0";
    QJ_ASSIGN_OR_RETURN(
        auto rows, db->Query(fmt::format("SELECT {}, (SELECT MAX(m.version) FROM indicator_set m"
                                         " WHERE m.key = s.key), {} FROM indicator_set s"
                                         " ORDER BY s.key, s.version DESC",
                                         kSetColumns, run_count),
                             {}));
    for (const Row& row : rows) {
      IndicatorSetSummary s;
      s.id = row.Int(0);
      s.key = row.Text(1);
      s.version = static_cast<int>(row.Int(2));
      s.name_zh = row.Text(3);
      s.name_en = row.Text(4);
      s.note = row.Text(5);
      s.created_at = row.Text(7);
      s.created_by = row.Text(8);
      s.latest = row.Int(2) == row.Int(9);
      s.run_count = row.Int(10);
      // Only the count is needed from the body: no full decode.
      boost::system::error_code ec;
      json::value body = json::parse(row.Text(6), ec);
      if (!ec && body.is_object()) {
        if (const json::value* inds = body.get_object().if_contains("indicators");
            inds && inds->is_array())
          s.indicator_count = static_cast<int64_t>(inds->get_array().size());
      }
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

Result<domain::IndicatorSet> IndicatorSetService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  return LoadIndicatorSet(*db, id);
}

Result<domain::IndicatorSet> IndicatorSetService::Latest(const Caller& caller,
                                                         std::string_view key) {
  auto db = env_.pool->Acquire();
  return LoadLatestIndicatorSet(*db, key);
}

Result<domain::IndicatorSet> IndicatorSetService::Create(const Caller& caller,
                                                         domain::IndicatorSet set) {
  QJ_RETURN_IF_ERROR(RequireSetAuthor(caller));
  QJ_RETURN_IF_ERROR(domain::ValidateIndicatorSet(set));
  QJ_RETURN_IF_ERROR(CheckConsistency(set));
  auto db = env_.pool->Acquire();
  std::optional<domain::IndicatorSet> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, StoreSet(*db, caller, std::move(set)));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<engines::assess::AhpCheck> IndicatorSetService::CheckAhp(
    const domain::AhpMatrixDef& matrix) {
  return engines::assess::CheckAhpMatrix(matrix);
}

Result<domain::IndicatorSet> DefaultIndicatorSet() {
  Result<json::value> v = ParseJsonExact(DefaultIndicatorSetText());
  if (!v.ok())
    return Status::Internal(
        fmt::format("the shipped default indicator set is not JSON: {}", v.status().message()));
  auto set = IndicatorSetFromJson(*v);
  if (!set.ok()) {
    std::string problems;
    for (const FieldError& e : set.status().field_errors())
      problems += fmt::format("; {}: {}", e.field, e.message);
    return Status::Internal(fmt::format("the shipped default indicator set is invalid: {}{}",
                                        set.status().message(), problems));
  }
  return set;
}

Status EnsureDefaultIndicatorSet(storage::Database& db) {
  QJ_ASSIGN_OR_RETURN(domain::IndicatorSet set, DefaultIndicatorSet());
  return storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count, db.QueryOne("SELECT COUNT(*) FROM indicator_set WHERE key = ?",
                                               {Value(set.key)}, "count"));
    if (count.Int(0) > 0) return Status::Ok();
    QJ_RETURN_IF_ERROR(CheckConsistency(set));
    return StoreSet(db, Caller::System(), std::move(set)).status();
  });
}

}  // namespace qiangji::services

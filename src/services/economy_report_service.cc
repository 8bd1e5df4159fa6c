// The collective economy's statistics for the villages under a division (issue 5; definitions in
// docs/economy.md and engines/economy/aggregate.h). One read transaction gathers, in four range
// queries, the villages with a registered collective under the query's prefix within the caller's
// scope, their reports' operating income and profit for the window, the pairings in force and the
// county's weak threshold; engines::economy::Aggregate computes bands, weak villages, exits and
// growth; this file ranks the townships and compares assisted with unassisted villages.
//
// The panel's villages are those with a collective: a village-level unit without one (a
// residents' committee, usually) has no books to count. A collective that filed no report in a
// year is counted in `villages` but not in `reported`, and is neither weak nor strong that year.
//
// Assisted (帮扶): a village is assisted when an enterprise pairing of either kind (企到村 with
// the village, 企到企 with its collective) from a confirmed pairing run was in force at some time
// in the report's last year: start_date <= 31 December and end_date > 1 January of that year
// (migration 008: end_date is the first day without the pairing).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "services/economy.h"
#include "services/economy_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
namespace econ = engines::economy;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kDefaultYears = 5;
constexpr int kMaxYears = 50;
constexpr int64_t kMaxThresholdFen = 1'000'000'000'000'000;  // as domain amounts: 10^13 yuan
constexpr int64_t kCountyUnit = 1'000'000;

Status ValidateEconomyQuery(const EconomyQuery& q) {
  FieldErrors errors;
  const auto year = [&](std::string_view field, int y) {
    if (y != 0 && (y < 2000 || y > 2100))
      errors.Add(std::string(field), "must be a year from 2000 to 2100 (or absent)");
  };
  year("first_year", q.first_year);
  year("last_year", q.last_year);
  if (q.first_year != 0 && q.last_year != 0 && q.first_year > q.last_year)
    errors.Add("first_year", fmt::format("must not be after last_year ({})", q.last_year));
  if (q.first_year != 0 && q.last_year != 0 && q.last_year - q.first_year + 1 > kMaxYears)
    errors.Add("first_year", fmt::format("the window is at most {} years", kMaxYears));
  if (q.weak_threshold_fen &&
      (*q.weak_threshold_fen <= 0 || *q.weak_threshold_fen > kMaxThresholdFen))
    errors.Add("weak_threshold_fen", "must be a positive amount of fen (10000000 = 100,000 yuan)");
  return errors.ToStatus();
}

struct VillageRow {
  int64_t code = 0;
  std::string name;
  int64_t township = 0;
  std::string township_name;
};

// Competition ranks by descending growth (equal growth, equal rank); 0 where undefined.
void RankTownships(std::vector<EconomyReport::Township>& townships) {
  std::vector<size_t> order;
  for (size_t i = 0; i < townships.size(); ++i)
    if (std::isfinite(townships[i].growth_last)) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return townships[a].growth_last > townships[b].growth_last;
  });
  for (size_t k = 0; k < order.size(); ++k) {
    EconomyReport::Township& t = townships[order[k]];
    t.rank = (k > 0 && townships[order[k - 1]].growth_last == t.growth_last)
                 ? townships[order[k - 1]].rank
                 : static_cast<int>(k + 1);
  }
}

// Mean last-year growth over the group's villages where it is defined; weak share over those
// that reported in the last year.
EconomyReport::Group GroupOf(const std::vector<VillageEconomy>& villages, bool assisted) {
  EconomyReport::Group g;
  double growth_sum = 0;
  int64_t with_growth = 0, reported = 0, weak = 0;
  for (const VillageEconomy& v : villages) {
    if (v.assisted != assisted) continue;
    ++g.villages;
    if (!v.growth.empty() && std::isfinite(v.growth.back())) {
      growth_sum += v.growth.back();
      ++with_growth;
    }
    if (!v.income_fen.empty() && v.income_fen.back() != econ::kNoReport) {
      ++reported;
      weak += v.weak;
    }
  }
  g.mean_growth = with_growth ? growth_sum / static_cast<double>(with_growth) : kNaN;
  g.weak_share = reported ? static_cast<double>(weak) / static_cast<double>(reported) : kNaN;
  return g;
}

}  // namespace

namespace internal {

Result<int64_t> CountyWeakThresholdFen(Database& db, const DivisionRange& range) {
  if (range.empty() || range.lo / kCountyUnit != range.hi / kCountyUnit)
    return domain::kDefaultWeakThresholdFen;
  const std::string county = fmt::format("{:06d}", range.lo / kCountyUnit);
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT policy FROM linkage_policy WHERE scope = ?"
                                          " ORDER BY version DESC LIMIT 1",
                                          {Value(county)}));
  if (rows.empty()) return domain::kDefaultWeakThresholdFen;
  boost::system::error_code ec;
  json::value policy = json::parse(rows[0].Text(0), ec);
  if (ec || !policy.is_object()) return domain::kDefaultWeakThresholdFen;
  const json::value* t = policy.get_object().if_contains("weak_threshold_fen");
  if (t && t->is_int64() && t->get_int64() > 0 && t->get_int64() <= kMaxThresholdFen)
    return t->get_int64();
  return domain::kDefaultWeakThresholdFen;
}

}  // namespace internal

Result<EconomyReport> EconomyReportService::Report(const Caller& caller, const EconomyQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateEconomyQuery(q));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  EconomyReport out;
  std::vector<VillageRow> villages;
  std::unordered_map<int64_t, size_t> index_of;  // village code -> panel index
  std::vector<int64_t> income, profit;           // village-major, as the panel
  std::set<int64_t> assisted;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    const std::vector<Value> in_range = {Value(range.lo), Value(range.hi)};
    out.last_year = q.last_year;
    if (out.last_year == 0) {
      QJ_ASSIGN_OR_RETURN(Row latest, db->QueryOne("SELECT MAX(year) FROM annual_report"
                                                   " WHERE division_code BETWEEN ? AND ?",
                                                   in_range, "latest year"));
      // Nothing filed yet: the last closed year, so the shape is the same.
      out.last_year =
          latest.IsNull(0) ? Date::TodayInChina().year() - 1 : static_cast<int>(latest.Int(0));
    }
    out.first_year =
        q.first_year != 0 ? q.first_year : std::max(2000, out.last_year - kDefaultYears + 1);
    if (out.first_year > out.last_year)
      return Status::InvalidField(
          "first_year",
          fmt::format("must not be after the last year with reports ({})", out.last_year));
    if (out.last_year - out.first_year + 1 > kMaxYears)
      return Status::InvalidField("first_year",
                                  fmt::format("the window is at most {} years", kMaxYears));
    if (q.weak_threshold_fen) {
      out.weak_threshold_fen = *q.weak_threshold_fen;
    } else {
      QJ_ASSIGN_OR_RETURN(out.weak_threshold_fen, CountyWeakThresholdFen(*db, range));
    }

    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query("SELECT c.division_code, COALESCE(v.name, ''), COALESCE(v.parent_code, 0),"
                  " COALESCE(t.name, '') FROM collective c"
                  " LEFT JOIN division v ON v.code = c.division_code"
                  " LEFT JOIN division t ON t.code = v.parent_code"
                  " WHERE c.division_code BETWEEN ? AND ? ORDER BY c.division_code",
                  in_range));
    for (const Row& r : rows) {
      index_of[r.Int(0)] = villages.size();
      villages.push_back({r.Int(0), r.Text(1), r.Int(2), r.Text(3)});
    }
    const int years = out.last_year - out.first_year + 1;
    income.assign(villages.size() * static_cast<size_t>(years), econ::kNoReport);
    profit.assign(income.size(), econ::kNoReport);
    QJ_ASSIGN_OR_RETURN(rows,
                        db->Query("SELECT division_code, year, operating_income,"
                                  " operating_profit FROM annual_report"
                                  " WHERE division_code BETWEEN ? AND ?"
                                  " AND year BETWEEN ? AND ?",
                                  {Value(range.lo), Value(range.hi), Value(int64_t{out.first_year}),
                                   Value(int64_t{out.last_year})}));
    for (const Row& r : rows) {
      auto it = index_of.find(r.Int(0));
      if (it == index_of.end()) continue;
      const size_t at =
          it->second * static_cast<size_t>(years) + static_cast<size_t>(r.Int(1) - out.first_year);
      income[at] = r.Int(2);
      profit[at] = r.Int(3);
    }
    QJ_ASSIGN_OR_RETURN(
        rows, db->Query("SELECT DISTINCT p.division_code FROM pairing p"
                        " JOIN pairing_run r ON r.id = p.run_id"
                        " WHERE r.status = 'confirmed' AND p.start_date IS NOT NULL"
                        " AND p.division_code BETWEEN ? AND ?"
                        " AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date > ?)",
                        {Value(range.lo), Value(range.hi),
                         Value(fmt::format("{:04d}-12-31", out.last_year)),
                         Value(fmt::format("{:04d}-01-01", out.last_year))}));
    for (const Row& r : rows) assisted.insert(r.Int(0));
    return Status::Ok();
  }));

  // The panel: townships indexed in code order.
  const int years = out.last_year - out.first_year + 1;
  std::map<int64_t, std::string> township_names;
  for (const VillageRow& v : villages) township_names.emplace(v.township, v.township_name);
  std::unordered_map<int64_t, int32_t> township_index;
  for (const auto& [code, name] : township_names) {
    township_index.emplace(code, static_cast<int32_t>(out.townships.size()));
    EconomyReport::Township t;
    t.code = code;
    t.name = name;
    out.townships.push_back(std::move(t));
  }
  econ::EconomyPanel panel;
  panel.first_year = out.first_year;
  panel.years = years;
  panel.townships = static_cast<int>(out.townships.size());
  panel.township_of.reserve(villages.size());
  for (const VillageRow& v : villages) panel.township_of.push_back(township_index.at(v.township));
  panel.income = income;
  QJ_RETURN_IF_ERROR(econ::ValidatePanel(panel));
  econ::AggregateOptions options;
  options.weak_threshold_fen = out.weak_threshold_fen;
  econ::EconomyAggregates agg = econ::Aggregate(panel, options);

  out.total = std::move(agg.total);
  for (size_t t = 0; t < out.townships.size(); ++t) {
    out.townships[t].years = std::move(agg.township[t]);
    out.townships[t].growth_last = out.townships[t].years.back().total_growth;
  }
  RankTownships(out.townships);
  out.villages.reserve(villages.size());
  for (size_t v = 0; v < villages.size(); ++v) {
    VillageEconomy e;
    e.division_code = villages[v].code;
    e.name = villages[v].name;
    e.township_code = villages[v].township;
    e.township_name = villages[v].township_name;
    const auto first = static_cast<std::ptrdiff_t>(v * static_cast<size_t>(years));
    e.income_fen.assign(income.begin() + first, income.begin() + first + years);
    e.profit_fen.assign(profit.begin() + first, profit.begin() + first + years);
    e.growth.assign(agg.growth.begin() + first, agg.growth.begin() + first + years);
    e.cagr = agg.cagr[v];
    e.exit_year = agg.exit_year[v];
    const int64_t last = e.income_fen.back();
    e.weak = last != econ::kNoReport && domain::IsWeakEconomy(last, out.weak_threshold_fen);
    e.assisted = assisted.count(e.division_code) > 0;
    out.villages.push_back(std::move(e));
  }
  out.assisted = GroupOf(out.villages, true);
  out.unassisted = GroupOf(out.villages, false);
  std::stable_sort(out.villages.begin(), out.villages.end(),
                   [](const VillageEconomy& a, const VillageEconomy& b) {
                     if (a.weak != b.weak) return a.weak;
                     if (a.name != b.name) return a.name < b.name;
                     return a.division_code < b.division_code;
                   });
  return out;
}

}  // namespace qiangji::services

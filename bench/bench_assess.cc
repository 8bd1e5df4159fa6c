// The assessment engine at national scale against a plain numpy implementation of the same
// computation, in one run: 487,144 villages x 40 indicators (synthetic, seeded), five
// dimensions of eight. Stages, each timed:
//   ahp        AHP weights: a 5x5 dimension matrix and five 8x8 within-dimension matrices
//   normalise  column statistics and normalisation (fixed min-max, min-max on the data, target,
//              z-score; ten indicators each, benefit and cost)
//   entropy    entropy weights over the raw values, then the additive blend 0.7 AHP + 0.3 entropy
//   wsum       weighted sum with the AHP weights
//   topsis_vec TOPSIS, vector normalisation of the raw values, blended weights
//   topsis_mm  TOPSIS on the min-max normalised values, this run's ideals, blended weights
//   bands      stars by thresholds {60,70,80,90} on the weighted sum, and by quotas
//              {10%,20%,40%,20%} on TOPSIS min-max
// Ours is engines/assess (weights.h, columnar.h) with 1 and with 2 threads; numpy's is
// bench/assess_numpy.py run by /usr/bin/python3 on the same values (written to a scratch
// file). Results are compared (scores to 1e-9, stars exactly); times are medians over reps.
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "engines/assess/columnar.h"
#include "engines/assess/stars.h"
#include "engines/assess/weights.h"
#include "engines/rng.h"

namespace {

namespace fs = std::filesystem;
namespace qa = qiangji::engines::assess;
using Clock = std::chrono::steady_clock;

constexpr size_t kDims = 5, kPerDim = 8;
constexpr double kAlpha = 0.7;
const std::vector<double> kThresholds = {60, 70, 80, 90};
const std::vector<double> kShares = {0.10, 0.20, 0.40, 0.20};
const char* kStages[] = {"ahp", "normalise", "entropy", "wsum", "topsis_vec", "topsis_mm", "bands"};

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU seconds of the whole process (both threads when two run).
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// A point in time: wall clock and process CPU.
struct Mark {
  Clock::time_point wall;
  double cpu;
};
Mark Now() { return {Clock::now(), CpuNow()}; }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Unit(qiangji::engines::Rng& rng) {
  return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
}

double Normal(qiangji::engines::Rng& rng) {
  const double u = 1 - Unit(rng), v = Unit(rng);
  return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
}

struct Instance {
  size_t m = 0, k = 0;
  std::vector<qa::Indicator> indicators;
  std::vector<double> values;                // column-major
  std::vector<qa::PairwiseMatrix> matrices;  // "dimensions" first, then one per dimension
};

// Eight kinds of indicator, as a village's evidence looks: an age, a share, meetings, a rating,
// a flag, petitions, a satisfaction rate, months vacant. Normalisations cycle so that each of
// the four is used ten times.
Instance Generate(size_t m, uint64_t seed) {
  Instance in;
  in.m = m;
  in.k = kDims * kPerDim;
  in.values.resize(in.m * in.k);
  qiangji::engines::Rng rng(seed);
  for (size_t j = 0; j < in.k; ++j) {
    qa::Indicator ind;
    ind.key = fmt::format("i{:02d}", j);
    const size_t kind = j % kPerDim;
    double* x = in.values.data() + j * m;
    switch (kind) {
      case 0:  // two-committee average age, fixed 30..60, younger is better
        ind = {ind.key, qa::Direction::kCost, qa::Normalisation::kMinMaxFixed, 30, 60, 0, 0};
        for (size_t i = 0; i < m; ++i) x[i] = std::clamp(46 + 7 * Normal(rng), 25.0, 70.0);
        break;
      case 1:  // college share, on the data
        ind = {ind.key, qa::Direction::kBenefit, qa::Normalisation::kMinMaxData, 0, 0, 0, 0};
        for (size_t i = 0; i < m; ++i) x[i] = std::pow(Unit(rng), 1.5);
        break;
      case 2:  // meetings held, target 12 a year
        ind = {ind.key, qa::Direction::kBenefit, qa::Normalisation::kTarget, 0, 0, 12, 0};
        for (size_t i = 0; i < m; ++i) x[i] = std::max(0.0, std::round(11 + 4 * Normal(rng)));
        break;
      case 3:  // periodic rating score, z-score
        ind = {ind.key, qa::Direction::kBenefit, qa::Normalisation::kZScore, 0, 0, 0, 0};
        for (size_t i = 0; i < m; ++i) x[i] = std::clamp(82 + 8 * Normal(rng), 0.0, 100.0);
        break;
      case 4:  // a flag (has a cadre under 35), fixed 0..1
        ind = {ind.key, qa::Direction::kBenefit, qa::Normalisation::kMinMaxFixed, 0, 1, 0, 0};
        for (size_t i = 0; i < m; ++i) x[i] = Unit(rng) < 0.7 ? 1 : 0;
        break;
      case 5:  // petitions, on the data, fewer is better
        ind = {ind.key, qa::Direction::kCost, qa::Normalisation::kMinMaxData, 0, 0, 0, 0};
        for (size_t i = 0; i < m; ++i) x[i] = std::floor(-2 * std::log(1 - Unit(rng)));
        break;
      case 6:  // satisfaction rate, target 0.9 from 0.5
        ind = {ind.key, qa::Direction::kBenefit, qa::Normalisation::kTarget, 0.5, 0, 0.9, 0};
        for (size_t i = 0; i < m; ++i) x[i] = 1 - 0.5 * std::pow(Unit(rng), 3);
        break;
      default:  // months the secretary post is vacant, z-score, fewer is better
        ind = {ind.key, qa::Direction::kCost, qa::Normalisation::kZScore, 0, 0, 0, 0};
        for (size_t i = 0; i < m; ++i) {
          x[i] = Unit(rng) < 0.9 ? 0 : std::floor(1 + 24 * Unit(rng));
        }
        break;
    }
    in.indicators.push_back(ind);
  }
  // Pairwise matrices from priorities, each judgement off by up to +-15% (kept reciprocal).
  auto matrix = [&](std::string name, const std::vector<double>& p) {
    const int n = static_cast<int>(p.size());
    qa::PairwiseMatrix pm{std::move(name), n, std::vector<double>(n * n, 1.0)};
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const double v = p[i] / p[j] * std::exp(0.15 * (2 * Unit(rng) - 1));
        pm.a[i * n + j] = v;
        pm.a[j * n + i] = 1 / v;
      }
    }
    return pm;
  };
  in.matrices.push_back(matrix("dimensions", {5, 3, 2, 4, 3}));
  for (size_t d = 0; d < kDims; ++d) {
    std::vector<double> p(kPerDim);
    for (size_t i = 0; i < kPerDim; ++i) p[i] = 1 + Unit(rng) * 4;
    in.matrices.push_back(matrix(fmt::format("dimension{}", d), p));
  }
  return in;
}

struct Results {
  std::vector<double> ahp, entropy, blend, wsum, topsis_vec, topsis_mm;
  std::vector<int> stars_thresholds, stars_quotas;
};

// One run of every stage; `times` gets one entry per stage. `prep` keeps its buffers between
// runs, as a service running assessments would.
Results RunOurs(const Instance& in, int threads, qa::PreparedColumns& prep,
                std::vector<double>& times, std::vector<double>& cpu) {
  Results r;
  times.assign(std::size(kStages), 0);
  cpu.assign(std::size(kStages), 0);
  auto t0 = Now();
  std::vector<double> dim_w;
  r.ahp.resize(in.k);
  {
    auto top = qa::Ahp(in.matrices[0]);
    if (!top.ok()) throw std::runtime_error(top.status().ToString());
    for (size_t d = 0; d < kDims; ++d) {
      auto within = qa::Ahp(in.matrices[1 + d]);
      if (!within.ok()) throw std::runtime_error(within.status().ToString());
      for (size_t i = 0; i < kPerDim; ++i)
        r.ahp[d * kPerDim + i] = top->weights[d] * within->weights[i];
    }
  }
  auto t1 = Now();
  qa::ColumnarProblem p;
  p.indicators = in.indicators;
  p.alternatives = in.m;
  p.values = in.values;
  qa::PrepareColumns(p, prep, threads);
  auto t2 = Now();
  r.entropy = qa::ColumnEntropyWeights(in.m, in.k, p.values, threads);
  r.blend = *qa::BlendWeights(r.ahp, r.entropy, kAlpha);
  auto t3 = Now();
  r.wsum = qa::ColumnScores(p, prep, {}, r.ahp, threads);
  auto t4 = Now();
  qa::ScoreOptions vec;
  vec.method = qa::Method::kTopsis;
  vec.topsis_normalisation = qa::TopsisNormalisation::kVector;
  r.topsis_vec = qa::ColumnScores(p, prep, vec, r.blend, threads);
  auto t5 = Now();
  qa::ScoreOptions mm;
  mm.method = qa::Method::kTopsis;
  r.topsis_mm = qa::ColumnScores(p, prep, mm, r.blend, threads);
  auto t6 = Now();
  r.stars_thresholds = *qa::FastBandStars(r.wsum, {qa::BandMethod::kThresholds, kThresholds, {}});
  r.stars_quotas = *qa::FastBandStars(r.topsis_mm, {qa::BandMethod::kQuotas, {}, kShares});
  auto t7 = Now();
  const Mark marks[] = {t0, t1, t2, t3, t4, t5, t6, t7};
  for (size_t s = 0; s < std::size(kStages); ++s) {
    times[s] = Seconds(marks[s].wall, marks[s + 1].wall);
    cpu[s] = marks[s + 1].cpu - marks[s].cpu;
  }
  return r;
}

std::string NormalisationName(qa::Normalisation n) {
  switch (n) {
    case qa::Normalisation::kMinMaxFixed:
      return "minmax_fixed";
    case qa::Normalisation::kMinMaxData:
      return "minmax_data";
    case qa::Normalisation::kTarget:
      return "target";
    case qa::Normalisation::kZScore:
      return "zscore";
  }
  return "";
}

void WriteSpec(const Instance& in, const fs::path& path, const fs::path& data, const fs::path& out,
               int reps) {
  std::ofstream f(path);
  f << fmt::format(
      "{{\"m\": {}, \"k\": {}, \"reps\": {}, \"alpha\": {}, \"data\": \"{}\", "
      "\"out\": \"{}\",\n",
      in.m, in.k, reps, kAlpha, data.string(), out.string());
  f << fmt::format("\"thresholds\": [{}], \"shares\": [{}],\n", fmt::join(kThresholds, ", "),
                   fmt::join(kShares, ", "));
  f << "\"indicators\": [\n";
  for (size_t j = 0; j < in.k; ++j) {
    const qa::Indicator& ind = in.indicators[j];
    f << fmt::format(
        "  {{\"normalisation\": \"{}\", \"benefit\": {}, \"lower\": {}, \"upper\": "
        "{}, \"target\": {}}}{}\n",
        NormalisationName(ind.normalisation),
        ind.direction == qa::Direction::kBenefit ? "true" : "false", ind.lower, ind.upper,
        ind.target, j + 1 < in.k ? "," : "");
  }
  f << "],\n\"matrices\": [\n";
  for (size_t t = 0; t < in.matrices.size(); ++t) {
    const auto& pm = in.matrices[t];
    // Round-trip precision: numpy must see exactly our matrices.
    std::vector<std::string> cells;
    for (double v : pm.a) cells.push_back(fmt::format("{:.17g}", v));
    f << fmt::format("  {{\"n\": {}, \"a\": [{}]}}{}\n", pm.n, fmt::join(cells, ", "),
                     t + 1 < in.matrices.size() ? "," : "");
  }
  f << "]}\n";
}

std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string one;
  f >> one;
  return one.empty() ? "?" : one;
}

template <typename T>
std::vector<T> ReadVector(std::ifstream& f, size_t n) {
  std::vector<T> v(n);
  f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
  return v;
}

double MaxDiff(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

size_t Mismatches(const std::vector<int>& a, const std::vector<int64_t>& b) {
  size_t n = 0;
  for (size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  size_t villages = 487144;
  int reps = 5;
  std::string python = "/usr/bin/python3";
  std::string script = QJ_SOURCE_DIR "/bench/assess_numpy.py";
  for (int a = 1; a + 1 < argc; a += 2) {
    const std::string flag = argv[a];
    if (flag == "--villages") villages = std::stoul(argv[a + 1]);
    if (flag == "--reps") reps = std::stoi(argv[a + 1]);
    if (flag == "--python") python = argv[a + 1];
    if (flag == "--script") script = argv[a + 1];
  }

  // Freed blocks up to 32 MB (scores, stars) stay in the heap for the next run instead of going
  // back to the kernel, whose page faults on this VM cost more than the arithmetic. numpy gets
  // the same settings through glibc's environment variables.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  const Instance in = Generate(villages, 20250101);
  fmt::print("instance: {} villages x {} indicators ({:.0f} MB of values), {} reps, {} cores\n",
             in.m, in.k, in.values.size() * 8 / 1e6, reps, sysconf(_SC_NPROCESSORS_ONLN));

  // Ours, 1 and 2 threads, alternating.
  std::map<int, std::vector<std::vector<double>>> stage_times;  // threads -> stage -> reps
  std::map<int, std::vector<double>> totals, cpu_totals;
  std::vector<std::vector<double>> cpu_1t(std::size(kStages));
  Results ours;
  qa::PreparedColumns prep;
  {
    std::vector<double> warm_up, warm_up_cpu;
    ours = RunOurs(in, 1, prep, warm_up, warm_up_cpu);
  }
  for (int rep = 0; rep < reps; ++rep) {
    for (int threads : {1, 2}) {
      std::vector<double> times, cpu;
      Results r = RunOurs(in, threads, prep, times, cpu);
      auto& st = stage_times[threads];
      st.resize(times.size());
      double total = 0, cpu_total = 0;
      for (size_t s = 0; s < times.size(); ++s) {
        st[s].push_back(times[s]);
        if (threads == 1) cpu_1t[s].push_back(cpu[s]);
        total += times[s];
        cpu_total += cpu[s];
      }
      totals[threads].push_back(total);
      cpu_totals[threads].push_back(cpu_total);
      if (r.wsum != ours.wsum || r.topsis_vec != ours.topsis_vec || r.topsis_mm != ours.topsis_mm ||
          r.entropy != ours.entropy) {
        fmt::print(stderr, "bench: results differ between runs or thread counts\n");
        return 1;
      }
    }
  }
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  const double our_peak_mb = self.ru_maxrss / 1024.0;

  // numpy on the same values.
  const fs::path dir = fs::temp_directory_path() / fmt::format("qj_bench_assess_{}", getpid());
  fs::create_directories(dir);
  {
    std::ofstream data(dir / "values.f64", std::ios::binary);
    data.write(reinterpret_cast<const char*>(in.values.data()),
               static_cast<std::streamsize>(in.values.size() * sizeof(double)));
  }
  WriteSpec(in, dir / "spec.json", dir / "values.f64", dir / "numpy.out", reps);
  const std::string command = fmt::format(
      "MALLOC_MMAP_THRESHOLD_={} MALLOC_TRIM_THRESHOLD_={} '{}' '{}' '{}' > '{}'", 32 << 20,
      1 << 30, python, script, (dir / "spec.json").string(), (dir / "numpy.txt").string());
  const int rc = std::system(command.c_str());
  if (rc != 0) {
    fmt::print(stderr, "bench: numpy run failed ({}): {}\n", rc, command);
    fs::remove_all(dir);
    return 1;
  }
  std::map<std::string, double> numpy;  // "stage" -> median seconds, plus "total", "peak_mb"
  {
    std::ifstream f(dir / "numpy.txt");
    std::string key;
    double value;
    while (f >> key >> value) numpy[key] = value;
  }
  Results np;
  std::vector<int64_t> np_stars_t, np_stars_q;
  {
    std::ifstream f(dir / "numpy.out", std::ios::binary);
    np.ahp = ReadVector<double>(f, in.k);
    np.entropy = ReadVector<double>(f, in.k);
    np.blend = ReadVector<double>(f, in.k);
    np.wsum = ReadVector<double>(f, in.m);
    np.topsis_vec = ReadVector<double>(f, in.m);
    np.topsis_mm = ReadVector<double>(f, in.m);
    np_stars_t = ReadVector<int64_t>(f, in.m);
    np_stars_q = ReadVector<int64_t>(f, in.m);
    if (!f) {
      fmt::print(stderr, "bench: numpy output is short\n");
      fs::remove_all(dir);
      return 1;
    }
  }
  fs::remove_all(dir);

  fmt::print("\n{:<11} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}\n", "stage", "1t_wall", "1t_cpu",
             "2t_wall", "np_wall", "np_cpu", "np/1t", "np/2t");
  auto row = [](std::string_view name, double o1, double c1, double o2, double n, double nc) {
    fmt::print("{:<11} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>7.1f} {:>7.1f}\n", name, o1,
               c1, o2, n, nc, n / o1, n / o2);
  };
  for (size_t s = 0; s < std::size(kStages); ++s) {
    const std::string stage = kStages[s];
    row(stage, Median(stage_times[1][s]) * 1e3, Median(cpu_1t[s]) * 1e3,
        Median(stage_times[2][s]) * 1e3, numpy[stage] * 1e3, numpy[stage + "_cpu"] * 1e3);
  }
  const double t1 = Median(totals[1]) * 1e3, t2 = Median(totals[2]) * 1e3;
  const double c1 = Median(cpu_totals[1]) * 1e3;
  row("total", t1, c1, t2, numpy["total"] * 1e3, numpy["total_cpu"] * 1e3);
  fmt::print(
      "\nmilliseconds, median of {} reps (total: median of the per-run totals); ratios "
      "are numpy wall / ours wall\n",
      reps);
  fmt::print(
      "peak memory (ru_maxrss): ours {:.0f} MB (process, incl. generation), numpy {:.0f} "
      "MB (process, incl. loading)\n",
      our_peak_mb, numpy["peak_mb"]);
  fmt::print(
      "goal: whole pipeline <= 300 ms of compute: 1 thread {:.0f} ms CPU ({}), 2 threads "
      "{:.0f} ms wall ({}); load average now {}\n",
      c1, c1 <= 300 ? "met" : "NOT met", t2, t2 <= 300 ? "met" : "NOT met", LoadAverage());

  // Agreement with numpy.
  const double d_ahp = MaxDiff(ours.ahp, np.ahp), d_ent = MaxDiff(ours.entropy, np.entropy);
  const double d_ws = MaxDiff(ours.wsum, np.wsum), d_tv = MaxDiff(ours.topsis_vec, np.topsis_vec);
  const double d_tm = MaxDiff(ours.topsis_mm, np.topsis_mm);
  const size_t st = Mismatches(ours.stars_thresholds, np_stars_t);
  const size_t sq = Mismatches(ours.stars_quotas, np_stars_q);
  fmt::print(
      "\nmax |ours - numpy|: ahp weights {:.1e}, entropy weights {:.1e}, wsum {:.1e}, "
      "topsis_vec {:.1e}, topsis_mm {:.1e}; star mismatches: thresholds {}, quotas {}\n",
      d_ahp, d_ent, d_ws, d_tv, d_tm, st, sq);
  std::vector<int64_t> counts(6, 0);
  for (int s : ours.stars_thresholds) ++counts[s];
  fmt::print("stars by thresholds (1..5): {} {} {} {} {}\n", counts[1], counts[2], counts[3],
             counts[4], counts[5]);
  const bool agree = d_ahp < 1e-9 && d_ent < 1e-9 && d_ws < 1e-9 && d_tv < 1e-9 && d_tm < 1e-9;
  fmt::print("agreement with numpy to 1e-9: {}\n", agree ? "yes" : "NO");
  return agree ? 0 : 1;
}

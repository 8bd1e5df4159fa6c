// GCC's -O2 cost model leaves these loops scalar; O3 vectorises them across villages. Never
// contracted into fused multiply-adds, so every result stays bit-identical to score.cc.
#pragma GCC optimize("O3", "fp-contract=off")

#include "engines/assess/columnar.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#include <fmt/format.h>

namespace qiangji::engines::assess {
namespace {

// Villages per block in the aggregation: the block's running sums stay in L1 while every
// column streams past them.
constexpr size_t kBlock = 1024;

// The column kernels, built for AVX-512, AVX2 and the baseline, picked once at load time. The
// instruction set changes only how many villages one instruction handles, never a result.
#define QJ_KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))

double Clamp01(double v) { return v < 0 ? 0 : (v > 1 ? 1 : v); }

// Minimum and maximum of the non-NaN values (NaN fails every comparison), in four independent
// lanes: min and max are exact whatever the order. {+inf, -inf} when there is none.
QJ_KERNEL void MinMax(const double* x, size_t m, double& lo_out, double& hi_out) {
  double lo[4], hi[4];
  for (int l = 0; l < 4; ++l) {
    lo[l] = std::numeric_limits<double>::infinity();
    hi[l] = -lo[l];
  }
  size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    for (int l = 0; l < 4; ++l) {
      lo[l] = x[i + l] < lo[l] ? x[i + l] : lo[l];
      hi[l] = x[i + l] > hi[l] ? x[i + l] : hi[l];
    }
  }
  for (; i < m; ++i) {
    lo[0] = x[i] < lo[0] ? x[i] : lo[0];
    hi[0] = x[i] > hi[0] ? x[i] : hi[0];
  }
  lo_out = std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3]));
  hi_out = std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]));
}

// Runs fn(begin, end) over [0, n) in one piece, or in two halves on two threads.
template <typename Fn>
void Split(size_t n, int threads, Fn fn) {
  if (threads < 2 || n < 2) {
    fn(size_t{0}, n);
    return;
  }
  const size_t half = n / 2;
  std::thread other([&] { fn(half, n); });
  fn(size_t{0}, half);
  other.join();
}

// Villages split on block boundaries, so that the blocks are the same whatever the threads.
template <typename Fn>
void SplitBlocks(size_t m, int threads, Fn fn) {
  const size_t blocks = (m + kBlock - 1) / kBlock;
  Split(blocks, threads, [&](size_t b0, size_t b1) { fn(b0 * kBlock, std::min(m, b1 * kBlock)); });
}

QJ_KERNEL size_t CountPresent(const double* x, size_t m) {
  size_t n = 0;
  for (size_t i = 0; i < m; ++i) n += x[i] == x[i];
  return n;
}

ColumnStats Statistics(const Indicator& ind, const double* x, size_t m) {
  ColumnStats st;
  st.present = CountPresent(x, m);
  if (st.present == 0) return st;
  double lo, hi;
  MinMax(x, m, lo, hi);
  st.lo = lo;
  st.hi = hi;
  if (ind.normalisation != Normalisation::kZScore) return st;
  // Sequential sums in village order, as NormaliseValues.
  double sum = 0;
  if (st.present == m) {
    for (size_t i = 0; i < m; ++i) sum += x[i];
  } else {
    for (size_t i = 0; i < m; ++i) {
      if (!std::isnan(x[i])) sum += x[i];
    }
  }
  const double mean = sum / st.present;
  double ss = 0;
  for (size_t i = 0; i < m; ++i) {
    if (!std::isnan(x[i])) ss += (x[i] - mean) * (x[i] - mean);
  }
  st.mean = mean;
  st.sd = std::sqrt(ss / st.present);
  return st;
}

// The normalised value of a present value (or a default), as NormaliseValues computes it.
double NormaliseOne(const Indicator& ind, const ColumnStats& st, double x) {
  const bool benefit = ind.direction == Direction::kBenefit;
  switch (ind.normalisation) {
    case Normalisation::kMinMaxFixed: {
      const double t = Clamp01((x - ind.lower) / (ind.upper - ind.lower));
      return benefit ? t : 1 - t;
    }
    case Normalisation::kMinMaxData: {
      if (st.hi == st.lo) return 1;
      const double t = Clamp01((x - st.lo) / (st.hi - st.lo));
      return benefit ? t : 1 - t;
    }
    case Normalisation::kTarget:
      return benefit ? Clamp01((x - ind.lower) / (ind.target - ind.lower))
                     : Clamp01((ind.upper - x) / (ind.upper - ind.target));
    case Normalisation::kZScore: {
      if (!(st.sd > 0)) return 0.5;
      const double z = (x - st.mean) / st.sd;
      return Clamp01(0.5 + (benefit ? z : -z) / 6);
    }
  }
  return 0;
}

// A complete column: the same formulas as NormaliseOne in loops the compiler can vectorise.
QJ_KERNEL void NormaliseComplete(const Indicator& ind, const ColumnStats& st, const double* x,
                                 size_t m, double* out) {
  const bool benefit = ind.direction == Direction::kBenefit;
  switch (ind.normalisation) {
    case Normalisation::kMinMaxFixed: {
      const double lo = ind.lower, span = ind.upper - ind.lower;
      if (benefit) {
        for (size_t i = 0; i < m; ++i) out[i] = Clamp01((x[i] - lo) / span);
      } else {
        for (size_t i = 0; i < m; ++i) out[i] = 1 - Clamp01((x[i] - lo) / span);
      }
      return;
    }
    case Normalisation::kMinMaxData: {
      if (st.hi == st.lo) {
        std::fill(out, out + m, 1.0);
        return;
      }
      const double lo = st.lo, span = st.hi - st.lo;
      if (benefit) {
        for (size_t i = 0; i < m; ++i) out[i] = (x[i] - lo) / span;
      } else {
        for (size_t i = 0; i < m; ++i) out[i] = 1 - (x[i] - lo) / span;
      }
      return;
    }
    case Normalisation::kTarget: {
      if (benefit) {
        const double lo = ind.lower, span = ind.target - ind.lower;
        for (size_t i = 0; i < m; ++i) out[i] = Clamp01((x[i] - lo) / span);
      } else {
        const double up = ind.upper, span = ind.upper - ind.target;
        for (size_t i = 0; i < m; ++i) out[i] = Clamp01((up - x[i]) / span);
      }
      return;
    }
    case Normalisation::kZScore: {
      if (!(st.sd > 0)) {
        std::fill(out, out + m, 0.5);
        return;
      }
      const double mean = st.mean, sd = st.sd;
      if (benefit) {
        for (size_t i = 0; i < m; ++i) out[i] = Clamp01(0.5 + ((x[i] - mean) / sd) / 6);
      } else {
        for (size_t i = 0; i < m; ++i) out[i] = Clamp01(0.5 + (-((x[i] - mean) / sd)) / 6);
      }
      return;
    }
  }
}

// Natural logarithm of a positive normal double by fdlibm's method (e_log.c, Sun 1993): x =
// 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), log(1 + f) = f - s (f - R(s^2)), s =
// f / (2 + f), R a degree-14 minimax polynomial; error under 1 ulp. Plain arithmetic and bit
// operations only, so the compiler vectorises it and every machine gives the same bits.
inline double FdlibmLog(double x) {
  constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  constexpr double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01,
                   lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01,
                   lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                   lg7 = 1.479819860511658591e-01;
  // All in unsigned 64-bit lanes (x > 0, so the sign bit is 0); k + 1023 becomes a double by
  // the 2^52 trick, since vector units lack a 64-bit integer to double conversion.
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  uint64_t hx = bits >> 32;
  const uint64_t biased = hx >> 20;
  hx &= 0x000fffff;
  const uint64_t i = (hx + 0x95f64) & 0x100000;
  const uint64_t scaled = ((hx | (i ^ 0x3ff00000)) << 32) | (bits & 0xffffffffULL);
  const uint64_t k_plus_bias = biased + (i >> 20);
  const double f = std::bit_cast<double>(scaled) - 1.0;
  const double dk = std::bit_cast<double>(0x4330000000000000ULL | k_plus_bias) - (0x1p52 + 1023.0);
  const double s = f / (2.0 + f);
  const double z = s * s, w = z * z;
  const double t1 = w * (lg2 + w * (lg4 + w * lg6));
  const double t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
  const double r = t2 + t1;
  return dk * ln2_hi - ((s * (f - r) - dk * ln2_lo) - f);
}

// p and p ln p for a block of values; the caller redoes p = 0 (0 ln 0 = 0) and subnormal p,
// which FdlibmLog does not take.
QJ_KERNEL void PLogP(const double* __restrict x, size_t n, double shift, double sum,
                     double* __restrict p_out, double* __restrict out) {
  for (size_t i = 0; i < n; ++i) {
    const double p = (x[i] - shift) / sum;
    p_out[i] = p;
    out[i] = p * FdlibmLog(p);
  }
}

// Sums in eight fixed lanes (lane l takes the elements i = l mod 8, then the lanes are added in
// order): deterministic, and as wide as one AVX-512 register.
struct LaneSum {
  double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t next = 0;  // lane of the next element
  double Total() const {
    double t = 0;
    for (double v : lane) t += v;
    return t;
  }
};

QJ_KERNEL void AddLanes(LaneSum& acc, const double* __restrict v, size_t n) {
  size_t i = 0;
  // Realign to lane 0 first, so that blocks of any length give the same lanes.
  for (; i < n && acc.next != 0; ++i, acc.next = (acc.next + 1) % 8) acc.lane[acc.next] += v[i];
  double l[8];
  for (int q = 0; q < 8; ++q) l[q] = acc.lane[q];
  for (; i + 8 <= n; i += 8) {
    for (int q = 0; q < 8; ++q) l[q] += v[i + q];
  }
  for (int q = 0; q < 8; ++q) acc.lane[q] = l[q];
  for (; i < n; ++i, acc.next = (acc.next + 1) % 8) acc.lane[acc.next] += v[i];
}

QJ_KERNEL void Shifted(const double* __restrict x, size_t n, double shift, double* __restrict out) {
  for (size_t i = 0; i < n; ++i) out[i] = x[i] - shift;
}

// 1 - e of one column, by the rules of EntropyWeights: constant -> 0; a negative minimum
// shifts the column; 0 ln 0 = 0. The sums run in eight fixed lanes and ln is FdlibmLog, so the
// result agrees with EntropyWeights to rounding (not bit for bit) and is the same on every
// machine and thread count.
double EntropyDiversity(const double* x, size_t m, double ln_m) {
  double lo, hi;
  MinMax(x, m, lo, hi);
  if (hi == lo) return 0;  // constant: entropy 1, d = 0
  const double shift = lo < 0 ? lo : 0;
  double buffer[kBlock];
  LaneSum sum;
  for (size_t b = 0; b < m; b += kBlock) {
    const size_t n = std::min(kBlock, m - b);
    Shifted(x + b, n, shift, buffer);
    AddLanes(sum, buffer, n);
  }
  const double total = sum.Total();
  LaneSum h;
  double ps[kBlock];
  for (size_t b = 0; b < m; b += kBlock) {
    const size_t n = std::min(kBlock, m - b);
    PLogP(x + b, n, shift, total, ps, buffer);
    for (size_t i = 0; i < n; ++i) {
      if (ps[i] < std::numeric_limits<double>::min()) {
        buffer[i] = ps[i] > 0 ? ps[i] * std::log(ps[i]) : 0.0;
      }
    }
    AddLanes(h, buffer, n);
  }
  return std::fmax(0.0, 1.0 + h.Total() / ln_m);
}

QJ_KERNEL void AddWeighted(double* __restrict acc, const double* __restrict col, size_t n,
                           double c) {
  for (size_t i = 0; i < n; ++i) acc[i] += c * col[i];
}

// Squared distances to the ideal and anti-ideal, v = w * s.
QJ_KERNEL void AddDistances(double* __restrict plus, double* __restrict minus,
                            const double* __restrict col, size_t n, double w, double ideal,
                            double anti) {
  for (size_t i = 0; i < n; ++i) {
    const double v = w * col[i];
    const double a = v - ideal, c = v - anti;
    plus[i] += a * a;
    minus[i] += c * c;
  }
}

// The same with v = w * (x / norm), the vector normalisation of raw values.
QJ_KERNEL void AddVectorDistances(double* __restrict plus, double* __restrict minus,
                                  const double* __restrict col, size_t n, double w, double norm,
                                  double ideal, double anti) {
  for (size_t i = 0; i < n; ++i) {
    const double v = w * (col[i] / norm);
    const double a = v - ideal, c = v - anti;
    plus[i] += a * a;
    minus[i] += c * c;
  }
}

QJ_KERNEL void Closeness(const double* __restrict plus, const double* __restrict minus,
                         double* __restrict out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const double d_plus = std::sqrt(plus[i]), d_minus = std::sqrt(minus[i]);
    // At the ideal means closeness 1, also when ideal and anti-ideal coincide.
    out[i] = d_plus == 0 ? 100 : 100 * (d_minus / (d_plus + d_minus));
  }
}

// Sum of squares of up to four columns at once: each sum runs village by village in order (as
// score.cc's), but four independent chains keep the adder busy.
QJ_KERNEL void SumSquares4(const double* const* cols, int count, size_t m, double* out) {
  double ss[4] = {0, 0, 0, 0};
  const double* c[4];
  for (int l = 0; l < 4; ++l) c[l] = cols[l < count ? l : 0];
  for (size_t i = 0; i < m; ++i) {
    for (int l = 0; l < 4; ++l) ss[l] += c[l][i] * c[l][i];
  }
  for (int l = 0; l < count; ++l) out[l] = ss[l];
}

// Stars from ascending cuts: 1 + the number of cuts the score reaches, which is the highest
// band reached since a higher band never has a lower cut.
QJ_KERNEL void StarsFromCuts(const double* __restrict scores, size_t n, const double* cuts,
                             size_t bands, int* __restrict stars) {
  for (size_t i = 0; i < n; ++i) {
    int s = 1;
    for (size_t b = 0; b < bands; ++b) s += scores[i] >= cuts[b];
    stars[i] = s;
  }
}

bool DataBased(Normalisation n) {
  return n == Normalisation::kMinMaxData || n == Normalisation::kZScore;
}

}  // namespace

Status ValidateColumnar(const ColumnarProblem& p, const ScoreOptions& o) {
  FieldErrors errors;
  const size_t k = p.indicators.size(), m = p.alternatives;
  if (k == 0) errors.Add("indicators", "at least one indicator is needed");
  if (m == 0) errors.Add("alternatives", "at least one alternative is needed");
  if (!p.missing_values.empty() && p.missing_values.size() != k) {
    errors.Add("missing_values", "one per indicator, or none");
  }
  if (p.values.size() != m * k) {
    errors.Add("values",
               fmt::format("{} values given, {} x {} needs {}", p.values.size(), m, k, m * k));
  }
  // Bounds and options exactly as ValidateProblem checks them, on a problem without values.
  Problem shape;
  shape.indicators = p.indicators;
  for (Indicator& ind : shape.indicators) ind.weight = 1.0 / static_cast<double>(k);
  shape.alternatives = {"a"};
  shape.values.assign(k, 0.0);
  const Status shape_status = ValidateProblem(shape, o);
  for (const FieldError& e : shape_status.field_errors()) {
    if (e.field != "indicators") errors.Add(e.field, e.message);  // not the weight sum
  }
  for (size_t idx = 0; idx < p.values.size() && errors.empty(); ++idx) {
    if (std::isinf(p.values[idx])) {
      errors.Add(fmt::format("values[{}][{}]", idx % m, idx / m), "must be a finite number");
    }
  }
  return errors.ToStatus();
}

PreparedColumns PrepareColumns(const ColumnarProblem& p, int threads) {
  PreparedColumns out;
  PrepareColumns(p, out, threads);
  return out;
}

void PrepareColumns(const ColumnarProblem& p, PreparedColumns& out, int threads) {
  const size_t k = p.indicators.size(), m = p.alternatives;
  out.stats.assign(k, ColumnStats{});
  out.normalised.resize(m * k);  // no fill when the size is already right
  out.scored.clear();
  out.missing_cells = 0;
  std::vector<size_t> missing(k, 0);
  Split(k, threads, [&](size_t j0, size_t j1) {
    for (size_t j = j0; j < j1; ++j) {
      const Indicator& ind = p.indicators[j];
      const double* x = p.values.data() + j * m;
      double* s = out.normalised.data() + j * m;
      const ColumnStats st = Statistics(ind, x, m);
      out.stats[j] = st;
      missing[j] = m - st.present;
      if (st.present == m) {
        NormaliseComplete(ind, st, x, m, s);
        continue;
      }
      const bool no_scale = st.present == 0 && DataBased(ind.normalisation);
      const bool has_default = !p.missing_values.empty() && p.missing_values[j].has_value();
      const double missing_s =
          has_default && !no_scale ? NormaliseOne(ind, st, *p.missing_values[j]) : 0;
      for (size_t i = 0; i < m; ++i) {
        if (no_scale) {
          s[i] = 0;
        } else if (!std::isnan(x[i])) {
          s[i] = NormaliseOne(ind, st, x[i]);
        } else {
          s[i] = missing_s;
        }
      }
    }
  });
  for (size_t j = 0; j < k; ++j) out.missing_cells += missing[j];
  if (out.missing_cells == 0) return;

  out.scored.assign(p.values.begin(), p.values.end());
  for (size_t j = 0; j < k; ++j) {
    if (missing[j] == 0) continue;
    const ColumnStats& st = out.stats[j];
    const double worst =
        st.present == 0 ? 0 : (p.indicators[j].direction == Direction::kBenefit ? st.lo : st.hi);
    const double fill =
        !p.missing_values.empty() && p.missing_values[j].has_value() ? *p.missing_values[j] : worst;
    double* x = out.scored.data() + j * m;
    for (size_t i = 0; i < m; ++i) {
      if (std::isnan(x[i])) x[i] = fill;
    }
  }
}

std::vector<double> ColumnEntropyWeights(size_t m, size_t k, std::span<const double> values,
                                         int threads) {
  std::vector<double> d(k, 0.0);
  const double ln_m = std::log(static_cast<double>(m));
  Split(k, threads, [&](size_t j0, size_t j1) {
    for (size_t j = j0; j < j1; ++j) d[j] = EntropyDiversity(values.data() + j * m, m, ln_m);
  });
  double d_sum = 0;
  for (size_t j = 0; j < k; ++j) d_sum += d[j];
  std::vector<double> w(k);
  for (size_t j = 0; j < k; ++j) w[j] = d_sum > 0 ? d[j] / d_sum : 1.0 / static_cast<double>(k);
  return w;
}

std::vector<double> ColumnScores(const ColumnarProblem& p, const PreparedColumns& prepared,
                                 const ScoreOptions& o, std::span<const double> weights,
                                 int threads) {
  const size_t k = p.indicators.size(), m = p.alternatives;
  // UnitWeights of score.cc: divided by their sum, summed in indicator order.
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  std::vector<double> w(weights.begin(), weights.end());
  for (double& v : w) v /= weight_sum;
  std::vector<double> scores(m, 0.0);
  const double* s = prepared.normalised.data();

  if (o.method == Method::kWeightedSum) {
    std::vector<double> c(k);
    for (size_t j = 0; j < k; ++j) c[j] = 100 * w[j];
    SplitBlocks(m, threads, [&](size_t i0, size_t i1) {
      for (size_t b = i0; b < i1; b += kBlock) {
        const size_t e = std::min(i1, b + kBlock);
        double* acc = scores.data() + b;
        for (size_t j = 0; j < k; ++j) AddWeighted(acc, s + j * m + b, e - b, c[j]);
      }
    });
    return scores;
  }

  // TOPSIS. Per indicator: the scale of the weighted value (w, or w / the column's norm for the
  // vector normalisation) and the ideal and anti-ideal; then distances village by village.
  const bool vector = o.topsis_normalisation == TopsisNormalisation::kVector;
  const std::span<const double> raw = prepared.Scored(p);
  std::vector<double> norm(k, 0), ideal(k), anti(k);
  Split(k, threads, [&](size_t j0, size_t j1) {
    if (vector) {
      for (size_t j = j0; j < j1; j += 4) {
        const int count = static_cast<int>(std::min<size_t>(4, j1 - j));
        const double* cols[4];
        for (int l = 0; l < count; ++l) cols[l] = raw.data() + (j + l) * m;
        double ss[4];
        SumSquares4(cols, count, m, ss);
        for (int l = 0; l < count; ++l) norm[j + l] = std::sqrt(ss[l]);
      }
    }
    for (size_t j = j0; j < j1; ++j) {
      const double* col = vector ? raw.data() + j * m : s + j * m;
      if (o.fixed_ideals) {
        ideal[j] = w[j];
        anti[j] = 0;
        continue;
      }
      const bool higher_is_better = !vector || p.indicators[j].direction == Direction::kBenefit;
      // v = w * col (or w * (col / norm)) is monotone in col, and so is its rounding: the
      // extreme v are those of the extreme values, bit for bit the column minimum and maximum
      // of v that ScoresFromNormalised takes.
      double lo, hi;
      MinMax(col, m, lo, hi);
      if (vector) {
        lo = norm[j] > 0 ? w[j] * (lo / norm[j]) : 0.0;
        hi = norm[j] > 0 ? w[j] * (hi / norm[j]) : 0.0;
      } else {
        lo = w[j] * lo;
        hi = w[j] * hi;
      }
      ideal[j] = higher_is_better ? hi : lo;
      anti[j] = higher_is_better ? lo : hi;
    }
  });
  SplitBlocks(m, threads, [&](size_t i0, size_t i1) {
    double plus[kBlock], minus[kBlock];
    for (size_t b = i0; b < i1; b += kBlock) {
      const size_t e = std::min(i1, b + kBlock), n = e - b;
      std::fill(plus, plus + n, 0.0);
      std::fill(minus, minus + n, 0.0);
      for (size_t j = 0; j < k; ++j) {
        if (!vector) {
          AddDistances(plus, minus, s + j * m + b, n, w[j], ideal[j], anti[j]);
        } else if (norm[j] > 0) {
          AddVectorDistances(plus, minus, raw.data() + j * m + b, n, w[j], norm[j], ideal[j],
                             anti[j]);
        } else {
          // An all-zero column: v = 0 for everybody.
          const double a = 0.0 - ideal[j], c = 0.0 - anti[j];
          for (size_t i = 0; i < n; ++i) {
            plus[i] += a * a;
            minus[i] += c * c;
          }
        }
      }
      Closeness(plus, minus, scores.data() + b, n);
    }
  });
  return scores;
}

Result<std::vector<double>> FastBandCuts(std::span<const double> scores, const StarBands& bands) {
  if (bands.method == BandMethod::kThresholds) return BandCuts(scores, bands);
  QJ_RETURN_IF_ERROR(ValidateBands(bands));
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!std::isfinite(scores[i])) {
      return Status::InvalidField(fmt::format("scores[{}]", i), "must be a finite number");
    }
  }
  // The cut of a band is the score of rank `count` from the top (as BandCuts, which sorts all
  // scores). Counts grow from the top band down, so each selection only searches the part
  // below the previous one.
  std::vector<double> sorted(scores.begin(), scores.end());
  const size_t n = sorted.size(), bands_above_one = bands.top_shares.size();
  std::vector<double> cuts(bands_above_one, std::numeric_limits<double>::infinity());
  double cumulative = 0;
  size_t done = 0;  // sorted[0, done) holds the `done` largest scores
  for (size_t b = 0; b < bands_above_one; ++b) {
    cumulative += bands.top_shares[b];
    const auto count = std::min(n, static_cast<size_t>(std::floor(cumulative * n + 1e-9)));
    if (count == 0) continue;
    if (count > done) {
      std::nth_element(sorted.begin() + done, sorted.begin() + (count - 1), sorted.end(),
                       std::greater<>());
      done = count;
    }
    cuts[bands_above_one - 1 - b] = sorted[count - 1];
  }
  return cuts;
}

Result<std::vector<int>> FastBandStars(std::span<const double> scores, const StarBands& bands) {
  QJ_ASSIGN_OR_RETURN(const std::vector<double> cuts, FastBandCuts(scores, bands));
  std::vector<int> stars(scores.size());
  StarsFromCuts(scores.data(), scores.size(), cuts.data(), cuts.size(), stars.data());
  return stars;
}

}  // namespace qiangji::engines::assess

#include "engines/assess/score.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <set>

#include <fmt/format.h>

namespace qiangji::engines::assess {
namespace {

constexpr double kWeightSumTolerance = 1e-6;

double Clamp01(double v) { return v < 0 ? 0 : (v > 1 ? 1 : v); }

bool DataIndependent(Normalisation n) {
  return n == Normalisation::kMinMaxFixed || n == Normalisation::kTarget;
}

// Weights divided by their sum, so that a full score is exactly the top of the scale even when
// the stored weights sum to 1 only within the tolerance.
std::vector<double> UnitWeights(std::span<const double> weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<double> out(weights.begin(), weights.end());
  for (double& w : out) w /= sum;
  return out;
}

uint64_t InputHash(const Problem& p, const ScoreOptions& o) {
  Fnv1a64 h;
  h.AddString("qiangji.assess.score.v1");
  h.AddU64(static_cast<uint64_t>(o.method));
  h.AddU64(static_cast<uint64_t>(o.topsis_normalisation));
  h.AddU64(o.fixed_ideals ? 1 : 0);
  h.AddU64(p.indicators.size());
  for (const Indicator& ind : p.indicators) {
    h.AddString(ind.key);
    h.AddU64(static_cast<uint64_t>(ind.direction));
    h.AddU64(static_cast<uint64_t>(ind.normalisation));
    h.AddDouble(ind.lower);
    h.AddDouble(ind.upper);
    h.AddDouble(ind.target);
    h.AddDouble(ind.weight);
  }
  h.AddU64(p.alternatives.size());
  for (const std::string& id : p.alternatives) h.AddString(id);
  h.AddU64(p.values.size());
  for (double v : p.values) h.AddDouble(v);
  return h.value();
}

}  // namespace

void Fnv1a64::AddBytes(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    h_ ^= bytes[i];
    h_ *= 0x100000001b3ULL;
  }
}

void Fnv1a64::AddU64(uint64_t v) {
  // Little-endian byte order whatever the host, so the hash is the same on every machine.
  unsigned char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
  AddBytes(b, 8);
}

void Fnv1a64::AddDouble(double v) { AddU64(std::bit_cast<uint64_t>(v == 0 ? 0.0 : v)); }

void Fnv1a64::AddString(std::string_view s) {
  AddU64(s.size());
  AddBytes(s.data(), s.size());
}

std::string HashHex(uint64_t hash) { return fmt::format("{:016x}", hash); }

Status ValidateProblem(const Problem& p, const ScoreOptions& o) {
  FieldErrors errors;
  const size_t k = p.indicators.size(), m = p.alternatives.size();
  if (k == 0) errors.Add("indicators", "at least one indicator is needed");
  if (m == 0) errors.Add("alternatives", "at least one alternative is needed");
  std::set<std::string, std::less<>> keys, ids;
  double weight_sum = 0;
  bool weights_ok = true;
  for (size_t j = 0; j < k; ++j) {
    const Indicator& ind = p.indicators[j];
    const std::string at = fmt::format("indicators[{}]", j);
    if (ind.key.empty()) errors.Add(at + ".key", "must not be empty");
    if (!keys.insert(ind.key).second) {
      errors.Add(at + ".key", fmt::format("indicator {} appears twice", ind.key));
    }
    if (!std::isfinite(ind.weight) || ind.weight < 0) {
      errors.Add(at + ".weight", "must be a non-negative number");
      weights_ok = false;
    } else {
      weight_sum += ind.weight;
    }
    const bool benefit = ind.direction == Direction::kBenefit;
    switch (ind.normalisation) {
      case Normalisation::kMinMaxFixed:
        if (!std::isfinite(ind.lower) || !std::isfinite(ind.upper) || !(ind.upper > ind.lower)) {
          errors.Add(at + ".upper", "fixed bounds need upper > lower");
        }
        break;
      case Normalisation::kTarget:
        if (benefit &&
            !(std::isfinite(ind.lower) && std::isfinite(ind.target) && ind.target > ind.lower)) {
          errors.Add(at + ".target", "a benefit target must lie above the lower bound");
        }
        if (!benefit &&
            !(std::isfinite(ind.upper) && std::isfinite(ind.target) && ind.target < ind.upper)) {
          errors.Add(at + ".target", "a cost target must lie below the upper bound");
        }
        break;
      case Normalisation::kMinMaxData:
      case Normalisation::kZScore:
        break;
    }
    if (o.fixed_ideals && !DataIndependent(ind.normalisation)) {
      errors.Add(at + ".normalisation",
                 "fixed reference ideals need fixed bounds or a target, or scores would not be "
                 "comparable between runs");
    }
  }
  if (weights_ok && k > 0 && std::fabs(weight_sum - 1) > kWeightSumTolerance) {
    errors.Add("indicators", fmt::format("weights sum to {}, not 1", weight_sum));
  }
  if (o.fixed_ideals &&
      (o.method != Method::kTopsis || o.topsis_normalisation != TopsisNormalisation::kMinMax)) {
    errors.Add("fixed_ideals", "fixed reference ideals apply to TOPSIS with min-max normalisation");
  }
  for (size_t i = 0; i < m; ++i) {
    const std::string& id = p.alternatives[i];
    if (id.empty()) errors.Add(fmt::format("alternatives[{}]", i), "must not be empty");
    if (!ids.insert(id).second) {
      errors.Add(fmt::format("alternatives[{}]", i), fmt::format("{} appears twice", id));
    }
  }
  if (p.values.size() != m * k) {
    errors.Add("values",
               fmt::format("{} values given, {} x {} needs {}", p.values.size(), m, k, m * k));
  } else {
    for (size_t idx = 0; idx < p.values.size(); ++idx) {
      if (!std::isfinite(p.values[idx])) {
        errors.Add(fmt::format("values[{}][{}]", idx / k, idx % k), "must be a finite number");
      }
    }
  }
  return errors.ToStatus();
}

std::vector<double> NormaliseValues(const Problem& p) {
  const size_t k = p.indicators.size(), m = p.alternatives.size();
  std::vector<double> s(m * k);
  for (size_t j = 0; j < k; ++j) {
    const Indicator& ind = p.indicators[j];
    const bool benefit = ind.direction == Direction::kBenefit;
    auto x = [&](size_t i) { return p.values[i * k + j]; };
    auto put = [&](size_t i, double v) { s[i * k + j] = v; };
    switch (ind.normalisation) {
      case Normalisation::kMinMaxFixed:
        for (size_t i = 0; i < m; ++i) {
          const double t = Clamp01((x(i) - ind.lower) / (ind.upper - ind.lower));
          put(i, benefit ? t : 1 - t);
        }
        break;
      case Normalisation::kMinMaxData: {
        double lo = x(0), hi = x(0);
        for (size_t i = 1; i < m; ++i) {
          lo = std::fmin(lo, x(i));
          hi = std::fmax(hi, x(i));
        }
        for (size_t i = 0; i < m; ++i) {
          if (hi == lo) {
            put(i, 1);  // nobody is behind anybody
            continue;
          }
          const double t = (x(i) - lo) / (hi - lo);
          put(i, benefit ? t : 1 - t);
        }
        break;
      }
      case Normalisation::kTarget:
        for (size_t i = 0; i < m; ++i) {
          put(i, benefit ? Clamp01((x(i) - ind.lower) / (ind.target - ind.lower))
                         : Clamp01((ind.upper - x(i)) / (ind.upper - ind.target)));
        }
        break;
      case Normalisation::kZScore: {
        double sum = 0;
        for (size_t i = 0; i < m; ++i) sum += x(i);
        const double mean = sum / m;
        double ss = 0;
        for (size_t i = 0; i < m; ++i) ss += (x(i) - mean) * (x(i) - mean);
        const double sd = std::sqrt(ss / m);  // population sd: the villages are all there is
        for (size_t i = 0; i < m; ++i) {
          if (!(sd > 0)) {
            put(i, 0.5);
            continue;
          }
          const double z = (x(i) - mean) / sd;
          put(i, Clamp01(0.5 + (benefit ? z : -z) / 6));
        }
        break;
      }
    }
  }
  return s;
}

std::vector<double> ScoresFromNormalised(const Problem& p, const ScoreOptions& o,
                                         std::span<const double> normalised,
                                         std::span<const double> weights) {
  const size_t k = p.indicators.size(), m = p.alternatives.size();
  const std::vector<double> w = UnitWeights(weights);
  std::vector<double> scores(m, 0.0);
  if (o.method == Method::kWeightedSum) {
    for (size_t i = 0; i < m; ++i) {
      double total = 0;
      for (size_t j = 0; j < k; ++j) total += 100 * w[j] * normalised[i * k + j];
      scores[i] = total;
    }
    return scores;
  }

  // TOPSIS: weighted matrix v, ideal and anti-ideal per indicator, Euclidean distances.
  std::vector<double> v(m * k);
  std::vector<double> ideal(k), anti(k);
  for (size_t j = 0; j < k; ++j) {
    bool higher_is_better = true;
    if (o.topsis_normalisation == TopsisNormalisation::kVector) {
      higher_is_better = p.indicators[j].direction == Direction::kBenefit;
      double ss = 0;
      for (size_t i = 0; i < m; ++i) ss += p.values[i * k + j] * p.values[i * k + j];
      const double norm = std::sqrt(ss);
      for (size_t i = 0; i < m; ++i) {
        v[i * k + j] = norm > 0 ? w[j] * (p.values[i * k + j] / norm) : 0;
      }
    } else {
      for (size_t i = 0; i < m; ++i) v[i * k + j] = w[j] * normalised[i * k + j];
    }
    if (o.fixed_ideals) {
      ideal[j] = w[j];
      anti[j] = 0;
      continue;
    }
    double lo = v[j], hi = v[j];
    for (size_t i = 1; i < m; ++i) {
      lo = std::fmin(lo, v[i * k + j]);
      hi = std::fmax(hi, v[i * k + j]);
    }
    ideal[j] = higher_is_better ? hi : lo;
    anti[j] = higher_is_better ? lo : hi;
  }
  for (size_t i = 0; i < m; ++i) {
    double plus = 0, minus = 0;
    for (size_t j = 0; j < k; ++j) {
      const double a = v[i * k + j] - ideal[j], b = v[i * k + j] - anti[j];
      plus += a * a;
      minus += b * b;
    }
    const double d_plus = std::sqrt(plus), d_minus = std::sqrt(minus);
    // At the ideal means closeness 1, also when ideal and anti-ideal coincide (no spread at all).
    scores[i] = d_plus == 0 ? 100 : 100 * (d_minus / (d_plus + d_minus));
  }
  return scores;
}

Result<ScoreResult> Score(const Problem& p, const ScoreOptions& o) {
  QJ_RETURN_IF_ERROR(ValidateProblem(p, o));
  const size_t k = p.indicators.size(), m = p.alternatives.size();
  ScoreResult out;
  out.input_hash = InputHash(p, o);
  out.normalised = NormaliseValues(p);
  std::vector<double> weights(k);
  for (size_t j = 0; j < k; ++j) weights[j] = p.indicators[j].weight;
  out.scores = ScoresFromNormalised(p, o, out.normalised, weights);
  if (o.method == Method::kWeightedSum) {
    // Same products in the same order as the score, so the row sums are the scores exactly.
    const std::vector<double> w = UnitWeights(weights);
    out.contributions.resize(m * k);
    for (size_t i = 0; i < m; ++i) {
      for (size_t j = 0; j < k; ++j)
        out.contributions[i * k + j] = 100 * w[j] * out.normalised[i * k + j];
    }
  }
  Fnv1a64 h;
  h.AddString("qiangji.assess.scores.v1");
  h.AddU64(out.scores.size());
  for (double s : out.scores) h.AddDouble(s);
  out.output_hash = h.value();
  return out;
}

}  // namespace qiangji::engines::assess

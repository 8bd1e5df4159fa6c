// The engines' one pseudo-random generator: xoshiro256** seeded through splitmix64
// (D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", 2018).
// Written out here, with integer-only helpers, because the demo data, the matching lottery and
// the sensitivity runs must come out identical on every machine and standard library;
// std::uniform_*_distribution and std::shuffle are implementation-defined.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace qiangji::engines {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One well-mixed 64-bit value from two, so that each village gets its own stream from
// (seed, division code) and does not shift when another village is added or removed.
inline uint64_t MixSeed(uint64_t seed, uint64_t salt) {
  uint64_t a = seed;
  uint64_t b = salt ^ SplitMix64(a);
  return SplitMix64(b);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& s : s_) s = SplitMix64(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), without modulo bias (rejects the short top slice). n > 0.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
      const uint64_t r = Next();
      if (r >= threshold) return r % n;
    }
  }
  // Uniform in [lo, hi], both included. lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1) from the top 53 bits: exact multiples of 2^-53.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // True with probability permille / 1000.
  bool Permille(int permille) { return static_cast<int>(Below(1000)) < permille; }
  // An index drawn with the given integer weights (at least one positive).
  size_t Pick(std::span<const int> weights) {
    int64_t total = 0;
    for (int w : weights) total += w;
    int64_t r = static_cast<int64_t>(Below(static_cast<uint64_t>(total)));
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }
  // Fisher-Yates, written out for the same reason as above (std::shuffle's draws differ).
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace qiangji::engines

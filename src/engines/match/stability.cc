#include "engines/match/stability.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace qiangji::engines::match {
namespace {

uint64_t Key(int a, int b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

// Tier of every listed pair in one flat table sorted by key (agent, partner); lower tier is
// better, absent means unlisted. One sorted array beats a hash map at half a million lists.
using TierTable = std::vector<std::pair<uint64_t, int>>;

TierTable Tiers(const std::vector<RankList>& lists) {
  TierTable tiers;
  for (size_t a = 0; a < lists.size(); ++a) {
    for (size_t t = 0; t < lists[a].tiers.size(); ++t) {
      for (int b : lists[a].tiers[t]) {
        tiers.emplace_back(Key(static_cast<int>(a), b), static_cast<int>(t));
      }
    }
  }
  std::sort(tiers.begin(), tiers.end());
  return tiers;
}

int TierOf(const TierTable& tiers, int agent, int partner) {
  const uint64_t key = Key(agent, partner);
  auto it = std::lower_bound(tiers.begin(), tiers.end(), std::make_pair(key, -1));
  return it != tiers.end() && it->first == key ? it->second : -1;
}

bool Contains(const std::vector<uint64_t>& sorted, uint64_t key) {
  return std::binary_search(sorted.begin(), sorted.end(), key);
}

}  // namespace

StabilityCertificate CheckStability(const Market& market, const Assignment& village_of) {
  StabilityCertificate cert;
  auto violation = [&cert](std::string note) {
    ++cert.violations;
    if (cert.violation_notes.size() < StabilityCertificate::kMaxExamples) {
      cert.violation_notes.push_back(std::move(note));
    }
  };
  const int people = market.person_count();
  const int villages = market.village_count();
  if (static_cast<int>(village_of.size()) != people) {
    violation("the matching has " + std::to_string(village_of.size()) + " entries for " +
              std::to_string(people) + " people");
    return cert;
  }
  const auto person_tier = Tiers(market.person_prefs);
  const auto village_tier = Tiers(market.village_prefs);
  std::vector<uint64_t> excluded;
  for (const Exclusion& e : market.exclusions) excluded.push_back(Key(e.person, e.village));
  std::sort(excluded.begin(), excluded.end());

  // Per village: seats taken and the tier of the least-preferred person it holds.
  std::vector<int> taken(static_cast<size_t>(villages), 0);
  std::vector<int> worst_tier(static_cast<size_t>(villages), -1);
  for (int p = 0; p < people; ++p) {
    const int v = village_of[static_cast<size_t>(p)];
    if (v == -1) continue;
    const std::string pair = "person " + std::to_string(p) + " at village " + std::to_string(v);
    if (v < 0 || v >= villages) {
      violation(pair + ": no such village");
      continue;
    }
    ++taken[static_cast<size_t>(v)];
    if (Contains(excluded, Key(p, v))) violation(pair + ": the pair is excluded");
    const int vt = TierOf(village_tier, v, p);
    if (TierOf(person_tier, p, v) < 0 || vt < 0) {
      violation(pair + ": not listed by both");
    }
    // An unlisted occupant is worse than anyone the village listed.
    const int rank = vt < 0 ? std::numeric_limits<int>::max() : vt;
    if (rank > worst_tier[static_cast<size_t>(v)]) worst_tier[static_cast<size_t>(v)] = rank;
  }
  for (int v = 0; v < villages; ++v) {
    const int cap = static_cast<size_t>(v) < market.capacity.size()
                        ? market.capacity[static_cast<size_t>(v)]
                        : 0;
    if (taken[static_cast<size_t>(v)] > cap) {
      violation("village " + std::to_string(v) + " holds " +
                std::to_string(taken[static_cast<size_t>(v)]) + " for " + std::to_string(cap) +
                " seats");
    }
  }

  for (int p = 0; p < people; ++p) {
    const int seat = village_of[static_cast<size_t>(p)];
    const bool seated = seat >= 0 && seat < villages;
    const int seat_tier = seated ? TierOf(person_tier, p, seat) : -1;
    for (const auto& tier : market.person_prefs[static_cast<size_t>(p)].tiers) {
      for (int v : tier) {
        if (v < 0 || v >= villages) continue;
        ++cert.checked_pairs;
        if (v == seat) continue;
        const int want = TierOf(person_tier, p, v);
        // Strictly better for p: she is unseated, or her seat is unlisted/worse.
        const bool p_wants = !seated || seat_tier < 0 || want < seat_tier;
        if (!p_wants) continue;
        const int vt = TierOf(village_tier, v, p);
        if (vt < 0 || Contains(excluded, Key(p, v))) continue;
        const int cap = static_cast<size_t>(v) < market.capacity.size()
                            ? market.capacity[static_cast<size_t>(v)]
                            : 0;
        const bool v_wants = taken[static_cast<size_t>(v)] < cap ||
                             (cap > 0 && vt < worst_tier[static_cast<size_t>(v)]);
        if (!v_wants) continue;
        ++cert.blocking_pairs;
        if (cert.blocking_examples.size() < StabilityCertificate::kMaxExamples) {
          cert.blocking_examples.push_back({p, v});
        }
      }
    }
  }
  return cert;
}

}  // namespace qiangji::engines::match

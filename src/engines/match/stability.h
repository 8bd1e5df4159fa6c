// The stability certificate: an independent check of any matching against the market as the
// agents submitted it (ties included). Written apart from the solver on purpose, sharing only
// the input types, so a bug in the solver cannot hide itself.
//
// A pair (person p, village v) blocks when both listed each other, no exclusion names it,
// p strictly prefers v to her seat (or has none), and v has an empty seat or strictly prefers p
// to one of the people it holds. With ties this is weak stability: a matching that is stable
// for lottery-broken lists has no blocking pair here either.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engines/match/market.h"

namespace qiangji::engines::match {

struct BlockingPair {
  int person = 0;
  int village = 0;
  bool operator==(const BlockingPair&) const = default;
};

struct StabilityCertificate {
  int64_t blocking_pairs = 0;
  // Over-full villages, excluded or unacceptable pairs matched, unknown villages, wrong size.
  int64_t violations = 0;
  int64_t checked_pairs = 0;                    // (person, listed village) pairs examined
  std::vector<BlockingPair> blocking_examples;  // the first kMaxExamples, in person order
  std::vector<std::string> violation_notes;     // the first kMaxExamples
  bool stable() const { return blocking_pairs == 0 && violations == 0; }

  static constexpr size_t kMaxExamples = 20;
};

// `market` should validate; indices out of range in the assignment count as violations.
StabilityCertificate CheckStability(const Market& market, const Assignment& village_of);

}  // namespace qiangji::engines::match

// One plain sentence or two per person and per village saying why the match came out as it
// did, e.g. "Your higher choices A and B were filled by candidates they ranked higher." The
// sentences are derived from the strict lists and the matching alone and are checked, not
// assumed: a claim is only made for a higher choice when it holds in the given matching.
#pragma once

#include <string>
#include <vector>

#include "engines/match/deferred_acceptance.h"
#include "engines/match/market.h"

namespace qiangji::engines::match {

struct Explanations {
  std::vector<std::string> people;    // one per person
  std::vector<std::string> villages;  // one per village
};

// "A", "A and B", "A, B and C".
std::string JoinNames(const std::vector<std::string>& names);

Explanations Explain(const Market& market, const DeferredAcceptanceResult& result);

}  // namespace qiangji::engines::match

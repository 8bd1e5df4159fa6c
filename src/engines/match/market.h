// The two-sided dispatch market (双向选择) as plain data: people (cadres, instructors, worthies)
// on one side, villages with seats on the other. Every solver, checker and explainer in this
// folder reads these types and nothing else, so each can be tested on hand-written instances.
//
// A pair (person, village) is acceptable only when both list each other and no exclusion names
// it. Lists may be incomplete and may contain ties: agents in one tier are equally good.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::match {

// One agent's ranking, best tier first; agents inside a tier are tied. Indices are into the
// other side. An agent not listed is unacceptable.
struct RankList {
  std::vector<std::vector<int>> tiers;
};

// A hard rule that a pair may never be matched, e.g. "no first secretary in the home county".
struct Exclusion {
  int person = 0;
  int village = 0;
  std::string reason;
};

struct Market {
  // Names are only for explanations; when empty, "person 3" / "village 2" is used.
  std::vector<std::string> person_names;
  std::vector<std::string> village_names;
  std::vector<RankList> person_prefs;   // one per person; ranks villages
  std::vector<RankList> village_prefs;  // one per village; ranks people
  std::vector<int> capacity;            // seats per village, one per village, >= 0
  std::vector<Exclusion> exclusions;

  int person_count() const { return static_cast<int>(person_prefs.size()); }
  int village_count() const { return static_cast<int>(village_prefs.size()); }
};

// A matching as a village per person (-1: unmatched). Each person takes at most one seat.
using Assignment = std::vector<int>;

// Field errors for indices out of range, someone ranked twice, negative capacity, or sizes that
// disagree. Solvers refuse a market that does not validate; nothing else is checked.
Status ValidateMarket(const Market& market);

std::string PersonName(const Market& market, int person);
std::string VillageName(const Market& market, int village);

}  // namespace qiangji::engines::match

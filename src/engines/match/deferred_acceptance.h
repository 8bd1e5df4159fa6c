// Many-to-one deferred acceptance (Gale and Shapley, "College admissions and the stability of
// marriage", 1962; Roth and Peranson's NRMP redesign, 1999). Either side may propose; villages
// hold up to `capacity` people. The result is stable, and optimal for (and strategy-proof for)
// the proposing side among all stable matchings of the strict lists.
//
// Ties are broken by ONE seeded lottery ("single tie-breaking", as in the New York City school
// match): every person and every village draws a number once, and an agent indifferent between
// two partners prefers the one with the smaller number. Same seed, same result, on any machine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "engines/match/market.h"

namespace qiangji::engines::match {

enum class ProposingSide { kPeople, kVillages };

struct DeferredAcceptanceOptions {
  ProposingSide proposing = ProposingSide::kPeople;  // kPeople: cadre-optimal
  uint64_t lottery_seed = 0;
  // 1, or 2 to let large markets (a million list entries or more) use a second thread for
  // the strict lists and, people proposing, the rounds of proposals. The result is the same.
  int threads = 1;
};

// One list per agent, all in one array: agent a's list is data[start[a] .. start[a + 1]).
// order[a] reads it (Indices converts to std::vector<int>).
struct ListTable {
  std::vector<int> start = {0};
  std::vector<int> data;
  size_t size() const { return start.size() - 1; }
  Indices operator[](size_t a) const {
    return Indices(data.data() + start[a], data.data() + start[a + 1]);
  }
};

// The lists the solver ran on: acceptable pairs only (both listed, not excluded), ties broken.
struct StrictLists {
  ListTable person_order;   // villages, best first
  ListTable village_order;  // people, best first
};

enum class UnmatchedReason {
  kNoAcceptablePartner,  // nobody the agent listed listed it back (or every such pair excluded)
  kOutranked,            // every acceptable partner went to someone it (or they) ranked higher
};

struct UnmatchedPerson {
  int person = 0;
  UnmatchedReason reason = UnmatchedReason::kNoAcceptablePartner;
  std::string text;
};

struct OpenSeats {
  int village = 0;
  int seats_left = 0;
  UnmatchedReason reason = UnmatchedReason::kNoAcceptablePartner;
  std::string text;
};

struct DeferredAcceptanceResult {
  Assignment village_of;                    // per person, -1 when unmatched
  std::vector<std::vector<int>> people_of;  // per village, best first by its strict list
  StrictLists strict;
  std::vector<int> person_lottery;   // the number each person drew (a permutation of 0..n-1)
  std::vector<int> village_lottery;  // the number each village drew
  std::vector<UnmatchedPerson> unmatched_people;
  std::vector<OpenSeats> open_seats;  // villages left with empty seats
  int64_t proposals = 0;
};

// Draws the lottery for `seed` and turns the market into strict lists of acceptable pairs.
// Fills strict, person_lottery and village_lottery. The market must validate.
void BreakTies(const Market& market, uint64_t seed, DeferredAcceptanceResult& out);

// InvalidArgument with field errors when the market does not validate.
Result<DeferredAcceptanceResult> DeferredAcceptance(const Market& market,
                                                    const DeferredAcceptanceOptions& options);

}  // namespace qiangji::engines::match

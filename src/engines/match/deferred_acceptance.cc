#include "engines/match/deferred_acceptance.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

#include "engines/rng.h"

namespace qiangji::engines::match {
namespace {

// The seeded lottery that breaks ties: one number per agent, drawn once (engines/rng.h).
class Lottery {
 public:
  explicit Lottery(uint64_t seed) : rng_(seed) {}
  // Numbers 0..n-1 handed out in a uniformly random order: draw[i] is agent i's number.
  std::vector<int> Draw(int n) {
    std::vector<int> draw(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) draw[static_cast<size_t>(i)] = i;
    rng_.Shuffle(draw);
    return draw;
  }

 private:
  Rng rng_;
};

// Everything the proposing loop needs, built in a few linear passes over the submitted lists
// (the old version sorted every list and binary-searched every pair; at 20 million list entries
// that dominated). Stamp arrays indexed by agent replace per-pair searches: for person p, every
// village that lists p is stamped with p, so "does v list p back" is one load.
struct Prepared {
  // Rank tables, built for the proposing side only. For person p's i-th strict choice v,
  // proposals[person_start[p] + i] is v with p's position in v's strict order; for village v's i-th
  // strict choice p, person_rank[village_start[v] + i] is v's position in p's strict order.
  struct Proposal {
    int village;
    int rank;  // the person's position in the village's strict order
  };
  std::vector<int> person_start;
  std::vector<Proposal> proposals;  // people's strict lists, flat, with the villages' ranks
  std::vector<int> village_start;
  std::vector<int> person_rank;
};

enum class RankTables { kNone, kForPeople, kForVillages };

// One side's lists copied into one flat array, read once: the submitted lists are a vector
// per tier, scattered over the heap, and every later pass reads this copy sequentially instead.
// An entry is the partner's index with kNewTier set on the first entry of each tier.
constexpr uint32_t kNewTier = 1u << 31;
struct FlatLists {
  std::vector<int> start;       // entries of agent a: [start[a], start[a+1])
  std::vector<uint32_t> entry;  // partner | kNewTier
};

// The same conditions ValidateMarket checks, without building messages: true exactly when it
// would pass. Flattens both sides on the way and counts, per person, the villages that list
// her (the sizes of the transpose).
bool QuickValid(const Market& market, FlatLists& people, FlatLists& villages,
                std::vector<int>& listed_by_count) {
  const int n = market.person_count();
  const int m = market.village_count();
  if (market.capacity.size() != market.village_prefs.size()) return false;
  for (int c : market.capacity) {
    if (c < 0) return false;
  }
  if (!market.person_names.empty() && market.person_names.size() != market.person_prefs.size())
    return false;
  if (!market.village_names.empty() &&
      market.village_names.size() != market.village_prefs.size())
    return false;
  auto flatten = [](const std::vector<RankList>& lists, int other, FlatLists& flat,
                    int* count) -> bool {
    // No sizing pass: each list's tier headers are their own heap block, and reading them
    // twice cost a third of the whole solve.
    flat.start.assign(lists.size() + 1, 0);
    flat.entry.clear();
    flat.entry.reserve(lists.size() * 8);
    std::vector<int> stamp(static_cast<size_t>(other), -1);
    for (size_t a = 0; a < lists.size(); ++a) {
      const int agent = static_cast<int>(a);
      for (const auto& tier : lists[a].tiers) {
        uint32_t flag = kNewTier;
        for (int b : tier) {
          if (b < 0 || b >= other || stamp[static_cast<size_t>(b)] == agent) return false;
          stamp[static_cast<size_t>(b)] = agent;
          if (count != nullptr) ++count[b];
          flat.entry.push_back(static_cast<uint32_t>(b) | flag);
          flag = 0;
        }
      }
      flat.start[a + 1] = static_cast<int>(flat.entry.size());
    }
    return true;
  };
  listed_by_count.assign(static_cast<size_t>(n) + 1, 0);
  if (!flatten(market.village_prefs, n, villages, listed_by_count.data() + 1)) return false;
  if (!flatten(market.person_prefs, m, people, nullptr)) return false;
  for (const Exclusion& e : market.exclusions) {
    if (e.person < 0 || e.person >= n || e.village < 0 || e.village >= m) return false;
  }
  return true;
}

// Strict lists of acceptable pairs (ties ordered by the partners' lottery numbers) and the rank
// tables, from QuickValid's output; the market must be valid.
void Prepare(const Market& market, const FlatLists& person_lists, const FlatLists& village_lists,
             std::vector<int> listed_by_count, RankTables tables, DeferredAcceptanceResult& out,
             Prepared& prep) {
  const int people = market.person_count();
  const int villages = market.village_count();
  const auto& person_lottery = out.person_lottery;
  const auto& village_lottery = out.village_lottery;
  // Transpose: for each person, the (village, entry number) pairs of the villages listing her.
  // Entry numbers index village_lists.entry.
  auto& start = listed_by_count;
  for (int p = 0; p < people; ++p) start[static_cast<size_t>(p) + 1] += start[static_cast<size_t>(p)];
  std::vector<std::pair<int, int>> listed_by(static_cast<size_t>(start.back()));
  {
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (int v = 0; v < villages; ++v) {
      for (int e = village_lists.start[static_cast<size_t>(v)];
           e < village_lists.start[static_cast<size_t>(v) + 1]; ++e) {
        const uint32_t p = village_lists.entry[static_cast<size_t>(e)] & ~kNewTier;
        listed_by[static_cast<size_t>(fill[p]++)] = {v, e};
      }
    }
  }
  // Exclusions grouped by person.
  std::vector<int> ex_start(static_cast<size_t>(people) + 1, 0);
  for (const Exclusion& e : market.exclusions) ++ex_start[static_cast<size_t>(e.person) + 1];
  for (int p = 0; p < people; ++p) ex_start[static_cast<size_t>(p) + 1] += ex_start[static_cast<size_t>(p)];
  std::vector<int> ex_village(market.exclusions.size());
  {
    std::vector<int> fill(ex_start.begin(), ex_start.end() - 1);
    for (const Exclusion& e : market.exclusions)
      ex_village[static_cast<size_t>(fill[static_cast<size_t>(e.person)]++)] = e.village;
  }

  // People's strict lists. accepted[e] = the global position (over all people's strict lists,
  // in order) of village list entry e's pair, or -1 when the pair is not acceptable.
  std::vector<int> accepted(listed_by.size(), -1);
  std::vector<int> mark(static_cast<size_t>(villages), -1);  // == p: v lists p, not excluded
  std::vector<int> entry(static_cast<size_t>(villages), 0);  // v's entry number for p
  out.strict.person_order.assign(static_cast<size_t>(people), {});
  prep.person_start.assign(static_cast<size_t>(people) + 1, 0);
  if (tables == RankTables::kForPeople) prep.proposals.reserve(listed_by.size());
  std::vector<int> order;
  int global = 0;
  for (int p = 0; p < people; ++p) {
    for (int k = start[static_cast<size_t>(p)]; k < start[static_cast<size_t>(p) + 1]; ++k) {
      const auto [v, e] = listed_by[static_cast<size_t>(k)];
      mark[static_cast<size_t>(v)] = p;
      entry[static_cast<size_t>(v)] = e;
    }
    for (int k = ex_start[static_cast<size_t>(p)]; k < ex_start[static_cast<size_t>(p) + 1]; ++k)
      mark[static_cast<size_t>(ex_village[static_cast<size_t>(k)])] = -1;
    order.clear();
    const int end = person_lists.start[static_cast<size_t>(p) + 1];
    for (int k = person_lists.start[static_cast<size_t>(p)]; k < end;) {
      const size_t first = order.size();
      do {  // one tier
        const int v = static_cast<int>(person_lists.entry[static_cast<size_t>(k)] & ~kNewTier);
        if (mark[static_cast<size_t>(v)] == p) order.push_back(v);
        ++k;
      } while (k < end && !(person_lists.entry[static_cast<size_t>(k)] & kNewTier));
      if (order.size() - first > 1) {
        std::sort(order.begin() + static_cast<std::ptrdiff_t>(first), order.end(), [&](int x, int y) {
          return village_lottery[static_cast<size_t>(x)] < village_lottery[static_cast<size_t>(y)];
        });
      }
      for (size_t i = first; i < order.size(); ++i) {
        accepted[static_cast<size_t>(entry[static_cast<size_t>(order[i])])] =
            global + static_cast<int>(i);
      }
    }
    if (tables == RankTables::kForPeople) {
      for (int v : order) prep.proposals.push_back({v, 0});
    }
    out.strict.person_order[static_cast<size_t>(p)].assign(order.begin(), order.end());
    global += static_cast<int>(order.size());
    prep.person_start[static_cast<size_t>(p) + 1] = global;
  }
  listed_by = {};

  // Villages' strict lists: their entries whose pair was accepted, ties by person lottery.
  if (tables == RankTables::kForVillages) {
    prep.village_start.assign(static_cast<size_t>(villages) + 1, 0);
    prep.person_rank.reserve(static_cast<size_t>(global));
  }
  out.strict.village_order.assign(static_cast<size_t>(villages), {});
  std::vector<std::pair<int, int>> kept;  // (person, global position), one village
  for (int v = 0; v < villages; ++v) {
    kept.clear();
    const int end = village_lists.start[static_cast<size_t>(v) + 1];
    for (int e = village_lists.start[static_cast<size_t>(v)]; e < end;) {
      const size_t first = kept.size();
      do {  // one tier
        const int g = accepted[static_cast<size_t>(e)];
        if (g >= 0) {
          kept.emplace_back(static_cast<int>(village_lists.entry[static_cast<size_t>(e)] & ~kNewTier), g);
        }
        ++e;
      } while (e < end && !(village_lists.entry[static_cast<size_t>(e)] & kNewTier));
      if (kept.size() - first > 1) {
        std::sort(kept.begin() + static_cast<std::ptrdiff_t>(first), kept.end(),
                  [&](const auto& x, const auto& y) {
                    return person_lottery[static_cast<size_t>(x.first)] <
                           person_lottery[static_cast<size_t>(y.first)];
                  });
      }
    }
    auto& strict = out.strict.village_order[static_cast<size_t>(v)];
    strict.reserve(kept.size());
    for (const auto& [p, g] : kept) {
      if (tables == RankTables::kForPeople) {
        prep.proposals[static_cast<size_t>(g)].rank = static_cast<int>(strict.size());
      } else if (tables == RankTables::kForVillages) {
        prep.person_rank.push_back(g - prep.person_start[static_cast<size_t>(p)]);
      }
      strict.push_back(p);
    }
    if (tables == RankTables::kForVillages)
      prep.village_start[static_cast<size_t>(v) + 1] = static_cast<int>(prep.person_rank.size());
  }
}

// People propose; each village keeps its best `capacity` proposers so far in a max-heap by its
// rank (the worst held on top, the one bumped). Heaps live in one flat array, a village's slice
// sized by the seats it can actually fill. Fills people_of, best first.
int64_t PeoplePropose(const Market& market, const StrictLists& strict, const Prepared& prep,
                      Assignment& village_of, std::vector<std::vector<int>>& people_of) {
  const int n = market.person_count();
  const int m = market.village_count();
  std::vector<int> heap_start(static_cast<size_t>(m) + 1, 0);
  for (int v = 0; v < m; ++v) {
    const int usable = std::min(market.capacity[static_cast<size_t>(v)],
                                static_cast<int>(strict.village_order[static_cast<size_t>(v)].size()));
    heap_start[static_cast<size_t>(v) + 1] = heap_start[static_cast<size_t>(v)] + usable;
  }
  std::vector<std::pair<int, int>> heaps(static_cast<size_t>(heap_start.back()));
  std::vector<int> heap_size(static_cast<size_t>(m), 0);
  std::vector<int> next(prep.person_start.begin(), prep.person_start.end() - 1);
  std::vector<int> free_people;
  free_people.reserve(static_cast<size_t>(n));
  for (int p = n - 1; p >= 0; --p) free_people.push_back(p);
  int64_t proposals = 0;
  while (!free_people.empty()) {
    const int p = free_people.back();
    free_people.pop_back();
    const int end = prep.person_start[static_cast<size_t>(p) + 1];
    int& i = next[static_cast<size_t>(p)];
    while (i < end) {
      const auto [v, rank] = prep.proposals[static_cast<size_t>(i++)];
      ++proposals;
      auto* heap = heaps.data() + heap_start[static_cast<size_t>(v)];
      int& size = heap_size[static_cast<size_t>(v)];
      const int cap = heap_start[static_cast<size_t>(v) + 1] - heap_start[static_cast<size_t>(v)];
      if (size < cap) {
        heap[size++] = {rank, p};
        std::push_heap(heap, heap + size);
        village_of[static_cast<size_t>(p)] = v;
        break;
      }
      if (cap > 0 && rank < heap[0].first) {
        const int bumped = heap[0].second;
        std::pop_heap(heap, heap + size);
        heap[size - 1] = {rank, p};
        std::push_heap(heap, heap + size);
        village_of[static_cast<size_t>(bumped)] = -1;
        free_people.push_back(bumped);
        village_of[static_cast<size_t>(p)] = v;
        break;
      }
    }
  }
  people_of.assign(static_cast<size_t>(m), {});
  for (int v = 0; v < m; ++v) {
    auto* heap = heaps.data() + heap_start[static_cast<size_t>(v)];
    const int size = heap_size[static_cast<size_t>(v)];
    std::sort(heap, heap + size);  // by rank: the village's own order
    auto& seated = people_of[static_cast<size_t>(v)];
    seated.reserve(static_cast<size_t>(size));
    for (int k = 0; k < size; ++k) seated.push_back(heap[k].second);
  }
  return proposals;
}

// Villages propose down their lists until their seats hold offers; a person keeps the best
// offer so far and releases the seat of the one she drops, which that village then refills.
int64_t VillagesPropose(const Market& market, const StrictLists& strict, const Prepared& prep,
                        Assignment& village_of, std::vector<std::vector<int>>& people_of) {
  const int m = market.village_count();
  std::vector<int> held_rank(static_cast<size_t>(market.person_count()), 0);
  std::vector<int> holding(static_cast<size_t>(m), 0);
  std::vector<size_t> next(static_cast<size_t>(m), 0);
  std::vector<int> active;
  for (int v = m - 1; v >= 0; --v) active.push_back(v);
  int64_t proposals = 0;
  while (!active.empty()) {
    const int v = active.back();
    active.pop_back();
    const auto& list = strict.village_order[static_cast<size_t>(v)];
    const int* ranks = prep.person_rank.data() + prep.village_start[static_cast<size_t>(v)];
    size_t& i = next[static_cast<size_t>(v)];
    while (holding[static_cast<size_t>(v)] < market.capacity[static_cast<size_t>(v)] &&
           i < list.size()) {
      const int p = list[i];
      const int rank = ranks[i++];
      ++proposals;
      int& current = village_of[static_cast<size_t>(p)];
      if (current >= 0 && held_rank[static_cast<size_t>(p)] < rank) continue;
      if (current >= 0) {
        --holding[static_cast<size_t>(current)];
        active.push_back(current);
      }
      current = v;
      held_rank[static_cast<size_t>(p)] = rank;
      ++holding[static_cast<size_t>(v)];
    }
  }
  // Seats in each village's own order.
  people_of.assign(static_cast<size_t>(m), {});
  for (int v = 0; v < m; ++v) {
    for (int p : strict.village_order[static_cast<size_t>(v)]) {
      if (village_of[static_cast<size_t>(p)] == v) people_of[static_cast<size_t>(v)].push_back(p);
    }
  }
  return proposals;
}

}  // namespace

void BreakTies(const Market& market, uint64_t seed, DeferredAcceptanceResult& out) {
  Lottery lottery(seed);
  out.person_lottery = lottery.Draw(market.person_count());
  out.village_lottery = lottery.Draw(market.village_count());
  std::vector<int> listed_by_count;
  FlatLists people;
  FlatLists villages;
  if (!QuickValid(market, people, villages, listed_by_count)) return;  // precondition broken
  Prepared unused;
  Prepare(market, people, villages, std::move(listed_by_count), RankTables::kNone, out, unused);
}

Result<DeferredAcceptanceResult> DeferredAcceptance(const Market& market,
                                                    const DeferredAcceptanceOptions& options) {
  std::vector<int> listed_by_count;
  FlatLists person_lists;
  FlatLists village_lists;
  if (!QuickValid(market, person_lists, village_lists, listed_by_count)) {
    // The slow validator writes the field errors; it fails on exactly the same markets.
    QJ_RETURN_IF_ERROR(ValidateMarket(market));
    return Status::Internal("market failed the quick check but passed validation");
  }
  DeferredAcceptanceResult out;
  Lottery lottery(options.lottery_seed);
  out.person_lottery = lottery.Draw(market.person_count());
  out.village_lottery = lottery.Draw(market.village_count());
  const bool people = options.proposing == ProposingSide::kPeople;
  Prepared prep;
  Prepare(market, person_lists, village_lists, std::move(listed_by_count),
          people ? RankTables::kForPeople : RankTables::kForVillages, out, prep);
  out.village_of.assign(static_cast<size_t>(market.person_count()), -1);
  out.proposals = people ? PeoplePropose(market, out.strict, prep, out.village_of, out.people_of)
                         : VillagesPropose(market, out.strict, prep, out.village_of, out.people_of);

  // Who is left out and why. Stability is what makes the "outranked" sentences true; the
  // independent checker in stability.h confirms it.
  for (int p = 0; p < market.person_count(); ++p) {
    if (out.village_of[static_cast<size_t>(p)] >= 0) continue;
    if (out.strict.person_order[static_cast<size_t>(p)].empty()) {
      out.unmatched_people.push_back(
          {p, UnmatchedReason::kNoAcceptablePartner, "no acceptable village"});
    } else {
      out.unmatched_people.push_back(
          {p, UnmatchedReason::kOutranked,
           "every acceptable village filled its seats with candidates it ranked higher"});
    }
  }
  for (int v = 0; v < market.village_count(); ++v) {
    const int left = market.capacity[static_cast<size_t>(v)] -
                     static_cast<int>(out.people_of[static_cast<size_t>(v)].size());
    if (left <= 0) continue;
    const auto& list = out.strict.village_order[static_cast<size_t>(v)];
    const bool any_other = list.size() > out.people_of[static_cast<size_t>(v)].size();
    if (list.empty()) {
      out.open_seats.push_back(
          {v, left, UnmatchedReason::kNoAcceptablePartner, "no acceptable candidate"});
    } else if (any_other) {
      out.open_seats.push_back(
          {v, left, UnmatchedReason::kOutranked,
           "every other acceptable candidate took a village they ranked higher"});
    } else {
      out.open_seats.push_back({v, left, UnmatchedReason::kNoAcceptablePartner,
                                "every acceptable candidate was seated here; none is left"});
    }
  }
  return out;
}

}  // namespace qiangji::engines::match

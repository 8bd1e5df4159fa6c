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

// Sorted (partner, rank) per agent in one flat array (offsets per agent), so "does a rank b,
// and how high" is a binary search and building it costs two allocations, not one per agent.
class RankIndex {
 public:
  explicit RankIndex(const std::vector<std::vector<int>>& orders) {
    offsets_.reserve(orders.size() + 1);
    offsets_.push_back(0);
    for (const auto& order : orders) {
      for (size_t r = 0; r < order.size(); ++r)
        entries_.emplace_back(order[r], static_cast<int>(r));
      Close();
    }
  }
  // Every listed partner counts, with its tier as the rank.
  explicit RankIndex(const std::vector<RankList>& lists) {
    offsets_.reserve(lists.size() + 1);
    offsets_.push_back(0);
    for (const RankList& list : lists) {
      for (size_t t = 0; t < list.tiers.size(); ++t) {
        for (int b : list.tiers[t]) entries_.emplace_back(b, static_cast<int>(t));
      }
      Close();
    }
  }
  // Rank of `partner` in agent's list, or -1 when unlisted.
  int Rank(int agent, int partner) const {
    const auto begin = entries_.begin() + Offset(agent);
    const auto end = entries_.begin() + Offset(agent + 1);
    auto it = std::lower_bound(begin, end, std::make_pair(partner, -1));
    return it != end && it->first == partner ? it->second : -1;
  }

 private:
  std::ptrdiff_t Offset(int agent) const {
    return static_cast<std::ptrdiff_t>(offsets_[static_cast<size_t>(agent)]);
  }
  // Ends the current agent's row.
  void Close() {
    std::sort(entries_.begin() + static_cast<std::ptrdiff_t>(offsets_.back()), entries_.end());
    offsets_.push_back(entries_.size());
  }
  std::vector<size_t> offsets_;
  std::vector<std::pair<int, int>> entries_;
};

// One side's strict lists: ties ordered by the partners' lottery numbers, and only partners
// that list the agent back and are not excluded kept.
std::vector<std::vector<int>> StrictOrders(
    const std::vector<RankList>& lists, const RankIndex& other_side,
    const std::vector<int>& partner_lottery,
    const std::vector<std::pair<int, int>>& excluded /* sorted (agent, partner) */) {
  std::vector<std::vector<int>> out(lists.size());
  std::vector<int> kept;
  for (size_t a = 0; a < lists.size(); ++a) {
    const int agent = static_cast<int>(a);
    for (const auto& tier : lists[a].tiers) {
      kept.clear();
      for (int b : tier) {
        if (other_side.Rank(b, agent) < 0) continue;
        if (std::binary_search(excluded.begin(), excluded.end(), std::make_pair(agent, b))) {
          continue;
        }
        kept.push_back(b);
      }
      std::sort(kept.begin(), kept.end(), [&](int x, int y) {
        return partner_lottery[static_cast<size_t>(x)] < partner_lottery[static_cast<size_t>(y)];
      });
      out[a].insert(out[a].end(), kept.begin(), kept.end());
    }
  }
  return out;
}

// People propose; each village keeps its best `capacity` proposers so far (a max-heap by its
// rank, so the worst held is on top and is the one bumped).
int64_t PeoplePropose(const Market& market, const StrictLists& strict, Assignment& village_of) {
  const int n = market.person_count();
  const RankIndex village_rank(strict.village_order);
  std::vector<std::priority_queue<std::pair<int, int>>> held(
      static_cast<size_t>(market.village_count()));
  std::vector<size_t> next(static_cast<size_t>(n), 0);
  std::vector<int> free_people;
  for (int p = n - 1; p >= 0; --p) free_people.push_back(p);
  int64_t proposals = 0;
  while (!free_people.empty()) {
    const int p = free_people.back();
    free_people.pop_back();
    const auto& list = strict.person_order[static_cast<size_t>(p)];
    size_t& i = next[static_cast<size_t>(p)];
    while (i < list.size()) {
      const int v = list[i++];
      ++proposals;
      auto& heap = held[static_cast<size_t>(v)];
      const int cap = market.capacity[static_cast<size_t>(v)];
      const int rank = village_rank.Rank(v, p);
      if (static_cast<int>(heap.size()) < cap) {
        heap.emplace(rank, p);
        village_of[static_cast<size_t>(p)] = v;
        break;
      }
      if (cap > 0 && rank < heap.top().first) {
        const int bumped = heap.top().second;
        heap.pop();
        village_of[static_cast<size_t>(bumped)] = -1;
        free_people.push_back(bumped);
        heap.emplace(rank, p);
        village_of[static_cast<size_t>(p)] = v;
        break;
      }
    }
  }
  return proposals;
}

// Villages propose down their lists until their seats hold offers; a person keeps the best
// offer so far and releases the seat of the one she drops, which that village then refills.
int64_t VillagesPropose(const Market& market, const StrictLists& strict, Assignment& village_of) {
  const int m = market.village_count();
  const RankIndex person_rank(strict.person_order);
  std::vector<int> holding(static_cast<size_t>(m), 0);
  std::vector<size_t> next(static_cast<size_t>(m), 0);
  std::vector<int> active;
  for (int v = m - 1; v >= 0; --v) active.push_back(v);
  int64_t proposals = 0;
  while (!active.empty()) {
    const int v = active.back();
    active.pop_back();
    const auto& list = strict.village_order[static_cast<size_t>(v)];
    size_t& i = next[static_cast<size_t>(v)];
    while (holding[static_cast<size_t>(v)] < market.capacity[static_cast<size_t>(v)] &&
           i < list.size()) {
      const int p = list[i++];
      ++proposals;
      int& current = village_of[static_cast<size_t>(p)];
      if (current >= 0 && person_rank.Rank(p, current) < person_rank.Rank(p, v)) continue;
      if (current >= 0) {
        --holding[static_cast<size_t>(current)];
        active.push_back(current);
      }
      current = v;
      ++holding[static_cast<size_t>(v)];
    }
  }
  return proposals;
}

}  // namespace

void BreakTies(const Market& market, uint64_t seed, DeferredAcceptanceResult& out) {
  Lottery lottery(seed);
  out.person_lottery = lottery.Draw(market.person_count());
  out.village_lottery = lottery.Draw(market.village_count());
  std::vector<std::pair<int, int>> by_person;
  std::vector<std::pair<int, int>> by_village;
  for (const Exclusion& e : market.exclusions) {
    by_person.emplace_back(e.person, e.village);
    by_village.emplace_back(e.village, e.person);
  }
  std::sort(by_person.begin(), by_person.end());
  std::sort(by_village.begin(), by_village.end());
  const RankIndex person_listed(market.person_prefs);
  const RankIndex village_listed(market.village_prefs);
  out.strict.person_order =
      StrictOrders(market.person_prefs, village_listed, out.village_lottery, by_person);
  out.strict.village_order =
      StrictOrders(market.village_prefs, person_listed, out.person_lottery, by_village);
}

Result<DeferredAcceptanceResult> DeferredAcceptance(const Market& market,
                                                    const DeferredAcceptanceOptions& options) {
  QJ_RETURN_IF_ERROR(ValidateMarket(market));
  DeferredAcceptanceResult out;
  BreakTies(market, options.lottery_seed, out);
  out.village_of.assign(static_cast<size_t>(market.person_count()), -1);
  out.proposals = options.proposing == ProposingSide::kPeople
                      ? PeoplePropose(market, out.strict, out.village_of)
                      : VillagesPropose(market, out.strict, out.village_of);

  // Seats in each village's own order, then who is left out and why. Stability is what makes
  // the "outranked" sentences true; the independent checker in stability.h confirms it.
  out.people_of.resize(static_cast<size_t>(market.village_count()));
  for (int v = 0; v < market.village_count(); ++v) {
    for (int p : out.strict.village_order[static_cast<size_t>(v)]) {
      if (out.village_of[static_cast<size_t>(p)] == v)
        out.people_of[static_cast<size_t>(v)].push_back(p);
    }
  }
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

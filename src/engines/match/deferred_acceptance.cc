#include "engines/match/deferred_acceptance.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "engines/rng.h"

// How the solver meets half a million people in a fraction of a second (bench/bench_match.cc).
// Both halves are bound by cache misses, not arithmetic, so the layout is the algorithm:
//
// Preparing. The expensive part is the join of the two sides' lists: for every pair a person
// lists, does the village list her back, and where? A village's list names people all over
// the index range, so a plain transpose writes every entry to a random cache line. Here it
// runs in two passes that stay in cache: the villages' entries are dealt into blocks of 2,048
// people (one write stream per block), then each block is sorted by person in L2 and its
// people are handled in turn with one int per village. That one pass over the people yields
// the strict lists, validation (the same verdict as ValidateMarket, which writes the messages
// when it fails) and, beside each person's choices, the place of the pair in the village's
// own lottery-broken list, which is all a village needs to compare two proposers.
//
// Proposing. See PeoplePropose: rounds of proposals dealt to blocks of villages.

namespace qiangji::engines::match {
namespace {

// The seeded lottery that breaks ties: one number per agent, drawn once (engines/rng.h).
class Lottery {
 public:
  explicit Lottery(uint64_t seed) : rng_(seed) {}
  // Numbers 0..n-1 handed out in a uniformly random order: draw[i] is agent i's number.
  // Exactly Rng::Shuffle's permutation, computed faster: Rng::Below(k) rejects r below
  // (2^64 - k) mod k, which is below k, so any r >= k is taken without that division; and the
  // positions to swap depend only on the generator, so a batch of them is drawn (and fetched
  // into cache) before the swaps are made in the same order.
  std::vector<int> Draw(int n) {
    std::vector<int> draw(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) draw[static_cast<size_t>(i)] = i;
    constexpr size_t kBatch = 16;
    size_t other[kBatch];
    for (size_t i = draw.size(); i > 1;) {
      const size_t batch = std::min(kBatch, i - 1);
      for (size_t k = 0; k < batch; ++k) {
        const uint64_t bound = i - k;
        uint64_t r = rng_.Next();
        while (r < bound && r < (0 - bound) % bound) r = rng_.Next();
        other[k] = static_cast<size_t>(r % bound);
        __builtin_prefetch(draw.data() + other[k]);
      }
      for (size_t k = 0; k < batch; ++k) std::swap(draw[i - k - 1], draw[other[k]]);
      i -= batch;
    }
    return draw;
  }

 private:
  Rng rng_;
};

constexpr int kBlockBits = 11;  // people per block of the transpose: 2,048
// Below this many list entries a second thread costs more than it saves.
constexpr size_t kTwoThreadPlaces = size_t{1} << 20;
// Every agent's list is its own heap block: asking for the one a few agents ahead hides the
// cache miss on its first entries.
constexpr size_t kAhead = 4;

// What the proposal loops read besides the strict lists.
enum class Tables { kNone, kForPeople, kForVillages };
// A person's strict choice with the place of the pair in the villages' lists laid end to end,
// each list lottery-broken: within one village a smaller place is a better candidate.
struct Choice {
  int village;
  int place;
};
struct Prepared {
  // People's strict lists again (strict.person_order's layout), with the places beside the
  // villages so that a proposal is one load; uninitialized beyond what Prepare wrote.
  std::unique_ptr<Choice[]> choices;
  // Parallel to strict.village_order.data: the village's position in the person's strict list.
  std::vector<int> person_rank;
  std::vector<int> listed;  // per village, how many people it listed
};

// A village's listing of a person, on its way to that person's block.
struct Listing {
  int person;
  int village;
  int place;
};
struct Placed {
  int village;
  int place;
};

enum class Verdict { kOk, kInvalid, kTooLarge };

// The strict lists of acceptable pairs (ties ordered by the partners' lottery numbers) and the
// tables for the proposing side. kInvalid exactly when ValidateMarket would fail.
Verdict Prepare(const Market& market, const std::vector<int>& person_lottery,
                const std::vector<int>& village_lottery, Tables tables, int threads,
                StrictLists& strict, Prepared& prep) {
  const int n = market.person_count();
  const int m = market.village_count();
  const size_t people = static_cast<size_t>(n);
  const size_t villages = static_cast<size_t>(m);
  if (market.capacity.size() != villages) return Verdict::kInvalid;
  for (int c : market.capacity) {
    if (c < 0) return Verdict::kInvalid;
  }
  if (!market.person_names.empty() && market.person_names.size() != people)
    return Verdict::kInvalid;
  if (!market.village_names.empty() && market.village_names.size() != villages)
    return Verdict::kInvalid;
  for (const Exclusion& e : market.exclusions) {
    if (e.person < 0 || e.person >= n || e.village < 0 || e.village >= m) return Verdict::kInvalid;
  }

  // Each village's list with ties broken by the person lottery, as a pointer to its entries;
  // only lists with ties are copied (and sorted).
  std::vector<const int*> vlist(villages);
  std::vector<int> base(villages + 1, 0);  // village v's places: [base[v], base[v + 1])
  prep.listed.resize(villages);
  std::vector<int> broken;
  size_t person_entries = 0;
  std::vector<std::pair<size_t, size_t>> broken_at;  // (tied village, where its copy starts)
  {
    int64_t total = 0;
    size_t tied_entries = 0;
    for (size_t v = 0; v < villages; ++v) {
      const TierList& tiers = market.village_prefs[v].tiers;
      const size_t size = tiers.entries().size();
      prep.listed[v] = static_cast<int>(size);
      total += static_cast<int64_t>(size);
      if (total >= INT_MAX) return Verdict::kTooLarge;
      base[v + 1] = static_cast<int>(total);
      if (!tiers.untied()) tied_entries += size;
    }
    for (const RankList& list : market.person_prefs) {
      person_entries += list.tiers.entries().size();
      if (person_entries >= INT_MAX) return Verdict::kTooLarge;
    }
    if (tied_entries > 0) broken.reserve(tied_entries);
    for (size_t v = 0; v < villages; ++v) {
      const TierList& tiers = market.village_prefs[v].tiers;
      if (tiers.untied()) {
        vlist[v] = tiers.entries().data();
        continue;
      }
      const size_t at = broken.size();
      broken.insert(broken.end(), tiers.entries().begin(), tiers.entries().end());
      for (int p : tiers.entries()) {
        if (p < 0 || p >= n) return Verdict::kInvalid;
      }
      for (size_t t = 0; t < tiers.size(); ++t) {
        if (tiers.tier_end(t) - tiers.tier_begin(t) < 2) continue;
        std::sort(broken.begin() + static_cast<std::ptrdiff_t>(at + tiers.tier_begin(t)),
                  broken.begin() + static_cast<std::ptrdiff_t>(at + tiers.tier_end(t)),
                  [&](int x, int y) {
                    return person_lottery[static_cast<size_t>(x)] <
                           person_lottery[static_cast<size_t>(y)];
                  });
      }
      broken_at.emplace_back(v, at);  // pointed at below, once `broken` stops moving
    }
    for (const auto& [v, at] : broken_at) vlist[v] = broken.data() + at;
  }
  const size_t places = static_cast<size_t>(base[villages]);

  // Deal every listing into its person's block (one sequential write stream per block). With
  // two threads each takes half the villages; a block holds the first half's listings, then
  // the second's: the order one thread writes.
  const size_t blocks = (people >> kBlockBits) + 1;
  const bool two = threads > 1 && places >= kTwoThreadPlaces && blocks > 1;
  const size_t village_split = two ? villages / 2 : villages;
  std::vector<int> counts[2] = {std::vector<int>(blocks, 0), std::vector<int>(two ? blocks : 0, 0)};
  auto count_range = [&](size_t v0, size_t v1, std::vector<int>& count) {
    for (size_t v = v0; v < v1; ++v) {
      if (v + kAhead < v1) __builtin_prefetch(vlist[v + kAhead]);
      const int* list = vlist[v];
      for (int j = 0, end = prep.listed[v]; j < end; ++j) {
        const int p = list[j];
        if (p < 0 || p >= n) return false;
        ++count[static_cast<size_t>(p) >> kBlockBits];
      }
    }
    return true;
  };
  bool counted[2] = {true, true};
  if (two) {
    std::thread other([&] { counted[1] = count_range(village_split, villages, counts[1]); });
    counted[0] = count_range(0, village_split, counts[0]);
    other.join();
  } else {
    counted[0] = count_range(0, villages, counts[0]);
  }
  if (!counted[0] || !counted[1]) return Verdict::kInvalid;
  std::vector<int> block_start(blocks + 1, 0);
  std::vector<int> fills[2] = {std::vector<int>(blocks), std::vector<int>(two ? blocks : 0)};
  size_t largest_block = 0;
  for (size_t b = 0; b < blocks; ++b) {
    const int in_block = counts[0][b] + (two ? counts[1][b] : 0);
    largest_block = std::max(largest_block, static_cast<size_t>(in_block));
    fills[0][b] = block_start[b];
    if (two) fills[1][b] = block_start[b] + counts[0][b];
    block_start[b + 1] = block_start[b] + in_block;
  }
  // Not value-initialized: every slot is written below, and zeroing it cost as much as filling.
  const std::unique_ptr<Listing[]> listings(new Listing[places]);
  auto deal_range = [&](size_t v0, size_t v1, std::vector<int>& fill) {
    for (size_t v = v0; v < v1; ++v) {
      if (v + kAhead < v1) __builtin_prefetch(vlist[v + kAhead]);
      const int* list = vlist[v];
      const int first = base[v];
      for (int j = 0, end = prep.listed[v]; j < end; ++j) {
        const int p = list[j];
        listings[static_cast<size_t>(fill[static_cast<size_t>(p) >> kBlockBits]++)] = {
            p, static_cast<int>(v), first + j};
      }
    }
  };
  if (two) {
    std::thread other([&] { deal_range(village_split, villages, fills[1]); });
    deal_range(0, village_split, fills[0]);
    other.join();
  } else {
    deal_range(0, villages, fills[0]);
  }

  // Exclusions grouped by person.
  std::vector<int> ex_start(people + 1, 0);
  std::vector<int> ex_village(market.exclusions.size());
  if (!market.exclusions.empty()) {
    for (const Exclusion& e : market.exclusions) ++ex_start[static_cast<size_t>(e.person) + 1];
    for (size_t p = 0; p < people; ++p) ex_start[p + 1] += ex_start[p];
    std::vector<int> fill(ex_start.begin(), ex_start.end() - 1);
    for (const Exclusion& e : market.exclusions)
      ex_village[static_cast<size_t>(fill[static_cast<size_t>(e.person)]++)] = e.village;
  }

  // The people, block by block, with one int per village that is back to kIdle after every
  // person: the place where it listed her, or what her own list made of it.
  constexpr int kIdle = -1;
  constexpr int kExcluded = -2;  // an exclusion names the pair
  constexpr int kRefused = -3;   // she named it; not an acceptable pair
  constexpr int kTaken = -4;     // she named it; an acceptable pair
  // Listings that are not acceptable pairs (rare: an unreturned listing, an exclusion), noted
  // by each thread and marked by place once they are done; the other villages' strict lists
  // are their lists as listed.
  std::vector<Placed> refused_listings[2];
  std::vector<uint64_t> refused((places + 63) / 64, 0);
  std::vector<char> has_refused(villages, 0);
  std::vector<int> rank_at;  // by place, for villages proposing
  if (tables == Tables::kForVillages) rank_at.resize(places);
  // With two threads each takes half the blocks. The second writes its strict lists from where
  // the first would end if all its people's entries were acceptable, and they move down
  // after, when some were not.
  const size_t block_split = two ? blocks / 2 : blocks;
  const size_t person_split = std::min(people, block_split << kBlockBits);
  size_t second_from = 0;
  if (two) {
    for (size_t p = 0; p < person_split; ++p)
      second_from += market.person_prefs[p].tiers.entries().size();
  }
  const size_t most = (two ? person_entries : std::min(places, person_entries)) + 1;
  std::vector<int>& order = strict.person_order.data;
  std::vector<int>& start = strict.person_order.start;
  order.resize(most);
  start.resize(people + 1);
  start[0] = 0;
  const bool want_place = tables == Tables::kForPeople;
  if (want_place) prep.choices.reset(new Choice[most]);
  int* const out_v = order.data();
  Choice* const out_c = prep.choices.get();  // null unless people propose
  int* const rank = rank_at.empty() ? nullptr : rank_at.data();
  // Blocks [b0, b1), their strict lists written from w on; false when the market does not
  // validate.
  auto run_blocks = [&](size_t b0, size_t b1, size_t& written, std::vector<Placed>& refusals) {
    // Locals, not captured references, so that the stores below cannot be taken to change them.
    size_t w = written;
    const unsigned village_count = static_cast<unsigned>(m);
    const size_t person_count = people;
    const RankList* const prefs = market.person_prefs.data();
    const int* const person_ex_start = ex_start.data();
    const int* const person_ex = ex_village.data();
    const Listing* const dealt = listings.get();
    const int* const dealt_start = block_start.data();
    int* const strict_start = start.data();
    int* const strict_v = out_v;
    Choice* const strict_c = out_c;
    int* const rank_by_place = rank;
    const bool with_place = want_place;
    std::vector<int> stamp(villages, kIdle);
    int* const mark = stamp.data();
    std::vector<Choice> tied;  // one person's acceptable choices, when she has ties
    const size_t block_size = size_t{1} << kBlockBits;
    std::vector<int> local_start(block_size + 1);
    std::vector<Placed> local(largest_block);
    for (size_t b = b0; b < b1; ++b) {
      // Sort the block's listings by person (counting sort, in cache).
      const size_t first_person = b << kBlockBits;
      const size_t block_people =
          std::min(block_size, person_count - std::min(person_count, first_person));
      std::fill(local_start.begin(), local_start.end(), 0);
      const Listing* in = dealt + dealt_start[b];
      const size_t count = static_cast<size_t>(dealt_start[b + 1] - dealt_start[b]);
      for (size_t i = 0; i < count; ++i)
        ++local_start[(static_cast<size_t>(in[i].person) & (block_size - 1)) + 1];
      for (size_t i = 0; i < block_size; ++i) local_start[i + 1] += local_start[i];
      for (size_t i = 0; i < count; ++i) {
        const size_t slot = static_cast<size_t>(
            local_start[static_cast<size_t>(in[i].person) & (block_size - 1)]++);
        local[slot] = {in[i].village, in[i].place};
      }
      // local_start[i] is now where person i's run ends (and i - 1's began).
      for (size_t i = 0; i < block_people; ++i) {
        const size_t p = first_person + i;
        const Placed* listed_from = local.data() + (i == 0 ? 0 : local_start[i - 1]);
        const Placed* listed_to = local.data() + local_start[i];
        for (const Placed* l = listed_from; l != listed_to; ++l) {
          int& s = mark[l->village];
          if (s != kIdle) return false;  // the village lists p twice
          s = l->place;
        }
        for (int k = person_ex_start[p]; k < person_ex_start[p + 1]; ++k)
          mark[person_ex[k]] = kExcluded;
        if (p + kAhead < person_count) __builtin_prefetch(prefs[p + kAhead].tiers.entries().data());
        const TierList& tiers = prefs[p].tiers;
        const std::vector<int>& entry = tiers.entries();
        const size_t own = w;
        if (tiers.one_per_tier()) {
          // No ties: the strict list is the acceptable entries in order.
          for (const int v : entry) {
            if (static_cast<unsigned>(v) >= village_count) return false;
            int& s = mark[v];
            if (s <= kRefused) return false;  // p lists v twice
            const bool ok = s >= 0;
            strict_v[w] = v;
            if (with_place) strict_c[w] = {v, s};
            if (ok && rank_by_place != nullptr) rank_by_place[s] = static_cast<int>(w - own);
            s = ok ? kTaken : kRefused;
            w += ok;
          }
        } else {
          tied.clear();
          for (size_t t = 0, tier_count = tiers.size(); t < tier_count; ++t) {
            const size_t tier_first = tied.size();
            for (size_t e = tiers.tier_begin(t), end = tiers.tier_end(t); e < end; ++e) {
              const int v = entry[e];
              if (static_cast<unsigned>(v) >= village_count) return false;
              int& s = mark[v];
              if (s <= kRefused) return false;  // p lists v twice
              if (s >= 0) tied.push_back({v, s});
              s = s >= 0 ? kTaken : kRefused;
            }
            // Equally good villages, in village lottery order.
            std::sort(tied.begin() + static_cast<std::ptrdiff_t>(tier_first), tied.end(),
                      [&](const Choice& x, const Choice& y) {
                        return village_lottery[static_cast<size_t>(x.village)] <
                               village_lottery[static_cast<size_t>(y.village)];
                      });
          }
          for (const Choice& c : tied) {
            strict_v[w] = c.village;
            if (with_place) strict_c[w] = c;
            if (rank_by_place != nullptr) rank_by_place[c.place] = static_cast<int>(w - own);
            ++w;
          }
        }
        strict_start[p + 1] = static_cast<int>(w);
        // Listings of p that did not become acceptable pairs, if any (each acceptable pair is
        // one listing); then every mark back to kIdle. Her list's villages include every
        // acceptable listing's.
        if (static_cast<size_t>(listed_to - listed_from) != w - own) {
          for (const Placed* l = listed_from; l != listed_to; ++l) {
            if (mark[l->village] != kTaken) {
              refusals.push_back(*l);
              mark[l->village] = kIdle;
            }
          }
        }
        for (const int v : entry) mark[v] = kIdle;
        for (int k = person_ex_start[p]; k < person_ex_start[p + 1]; ++k)
          mark[person_ex[k]] = kIdle;
      }
    }
    written = w;
    return true;
  };
  size_t w = 0;  // acceptable pairs so far
  if (two) {
    size_t w1 = second_from;
    bool second_ok = true;
    std::thread other(
        [&] { second_ok = run_blocks(block_split, blocks, w1, refused_listings[1]); });
    const bool first_ok = run_blocks(0, block_split, w, refused_listings[0]);
    other.join();
    if (!first_ok || !second_ok) return Verdict::kInvalid;
    if (w < second_from) {
      std::copy(out_v + second_from, out_v + w1, out_v + w);
      if (want_place) std::copy(out_c + second_from, out_c + w1, out_c + w);
      const int down = static_cast<int>(second_from - w);
      for (size_t p = person_split; p < people; ++p) start[p + 1] -= down;
    }
    w += w1 - second_from;
  } else if (!run_blocks(0, blocks, w, refused_listings[0])) {
    return Verdict::kInvalid;
  }
  for (const auto& refusals : refused_listings) {
    for (const Placed& l : refusals) {
      refused[static_cast<size_t>(l.place) >> 6] |= uint64_t{1} << (l.place & 63);
      has_refused[static_cast<size_t>(l.village)] = 1;
    }
  }
  order.resize(w);

  // Villages' strict lists: their lottery-broken lists, acceptable pairs only. Appended a
  // village at a time (never zero-filled first): most villages have no refused listing.
  std::vector<int>& vorder = strict.village_order.data;
  std::vector<int>& vstart = strict.village_order.start;
  vorder.clear();
  vorder.reserve(w);
  vstart.resize(villages + 1);
  vstart[0] = 0;
  prep.person_rank.clear();
  if (rank != nullptr) prep.person_rank.reserve(w);
  for (size_t v = 0; v < villages; ++v) {
    if (v + kAhead < villages) __builtin_prefetch(vlist[v + kAhead]);
    const int* list = vlist[v];
    const size_t first = static_cast<size_t>(base[v]);
    const size_t size = static_cast<size_t>(prep.listed[v]);
    if (!has_refused[v]) {
      vorder.insert(vorder.end(), list, list + size);
      if (rank != nullptr)
        prep.person_rank.insert(prep.person_rank.end(), rank + first, rank + first + size);
    } else {
      for (size_t j = 0; j < size; ++j) {
        const size_t g = first + j;
        if ((refused[g >> 6] >> (g & 63)) & 1) continue;
        vorder.push_back(list[j]);
        if (rank != nullptr) prep.person_rank.push_back(rank[g]);
      }
    }
    vstart[v + 1] = static_cast<int>(vorder.size());
  }
  return Verdict::kOk;
}

// A village's held candidates: a max-heap by place (the worst on top, the one to bump).
struct Held {
  int place;
  int person;
  int index;  // her proposal, into the strict lists
  int end;    // one past her last choice
};

void PushHeld(Held* heap, int size, Held x) {  // size: before the push
  int i = size;
  while (i > 0) {
    const int parent = (i - 1) / 2;
    if (heap[parent].place > x.place) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = x;
}

void ReplaceWorst(Held* heap, int size, Held x) {
  int i = 0;
  for (;;) {
    int child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1].place > heap[child].place) ++child;
    if (heap[child].place < x.place) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = x;
}

// People propose; each village keeps its best `capacity` proposers so far. Fills village_of
// and people_of, best first.
//
// Neither the outcome (the people-optimal stable matching) nor the number of proposals (each
// person proposes down to her final seat) depends on the order in which free people propose, so
// they propose in rounds laid out for the cache. In a round every free person walks down her
// list past the villages whose bar she cannot beat (bar: the place a proposal must beat, an int
// per village; final once seen, since it only moves in the village's favour) to her next real
// proposal, her choices fetched a few people ahead; the proposals are dealt into blocks of
// 2,048 villages, and each block's seats, which fit in L2, take them in turn. Bumped and
// turned-down people, appended in that order, are the next round's free people.
int64_t PeoplePropose(const Market& market, const StrictLists& strict, const Prepared& prep,
                      int threads, Assignment& village_of,
                      std::vector<std::vector<int>>& people_of) {
  constexpr int kVillageBlockBits = 11;
  constexpr size_t kWalkAhead = 16;
  constexpr size_t kTwoThreadRound = 65536;  // free people worth a second thread
  const size_t people = static_cast<size_t>(market.person_count());
  const size_t villages = static_cast<size_t>(market.village_count());
  // bar: the top of a full heap, INT_MAX while seats are free, INT_MIN without seats; apart
  // from the rest, as the walks read nothing else. cap: the seats the village can fill (its
  // capacity, at most its acceptable candidates).
  struct Seats {
    int size;
    int start;  // of its heap, in `heaps`
    int cap;
    int worst;  // with kScanSeats or fewer: where its worst held candidate is
  };
  constexpr int kScanSeats = 16;
  std::vector<int> bars(villages);
  std::vector<Seats> seats(villages);
  int total = 0;
  for (size_t v = 0; v < villages; ++v) {
    const int cap = std::min(market.capacity[v],
                             strict.village_order.start[v + 1] - strict.village_order.start[v]);
    bars[v] = cap > 0 ? INT_MAX : INT_MIN;
    seats[v] = {0, total, cap, 0};
    total += cap;
  }
  std::vector<Held> heaps(static_cast<size_t>(total));
  const Choice* choice = prep.choices.get();
  const int* start = strict.person_order.start.data();
  int* const bar = bars.data();
  Seats* const seat = seats.data();

  struct Free {
    int person;
    int from;  // her next choice, into the strict lists
    int end;
  };
  struct Proposal {
    int village;
    int place;
    int person;
    int index;
    int end;
  };
  const std::unique_ptr<Free[]> free_a(new Free[people]);
  const std::unique_ptr<Free[]> free_b(new Free[people]);
  Free* free_now = free_a.get();
  Free* free_next = free_b.get();
  for (size_t p = 0; p < people; ++p) free_now[p] = {static_cast<int>(p), start[p], start[p + 1]};
  size_t free_count = people;
  const std::unique_ptr<Proposal[]> made(new Proposal[people]);
  const std::unique_ptr<Proposal[]> dealt(new Proposal[people]);
  const size_t blocks = (villages >> kVillageBlockBits) + 1;
  std::vector<int> block_start(blocks + 1);
  // Per thread of a round: proposals per block of villages, and proposals counted.
  std::vector<int> made_in[2] = {std::vector<int>(blocks), std::vector<int>(blocks)};
  int64_t counted[2] = {0, 0};
  // Walks free people [k0, k1) to their next proposals, written from made[at] on; returns how
  // many it made.
  auto walk = [&](size_t k0, size_t k1, size_t at, int part) {
    const Choice* const choices = choice;  // locals, which the stores below cannot change
    const int* const bars_now = bar;
    const Free* const walkers = free_now;
    Proposal* const out = made.get();
    std::vector<int>& in_block = made_in[part];
    std::fill(in_block.begin(), in_block.end(), 0);
    int64_t props = 0;
    size_t count = at;
    for (size_t k = k0; k < k1; ++k) {
      if (k + kWalkAhead < k1) __builtin_prefetch(choices + walkers[k + kWalkAhead].from);
      const auto [p, from, end] = walkers[k];
      int i = from;
      while (i < end && choices[i].place >= bars_now[choices[i].village]) ++i;
      if (i == end) {
        props += end - from;  // turned down everywhere: stays unmatched
        continue;
      }
      props += i + 1 - from;
      out[count++] = {choices[i].village, choices[i].place, p, i, end};
      ++in_block[static_cast<size_t>(choices[i].village) >> kVillageBlockBits];
    }
    counted[part] = props;
    return count - at;
  };
  // The villages of blocks [b0, b1) take their proposals: hold, bump the worst held, or turn
  // down. The people let go are written from free_next[at] on; returns how many.
  auto take = [&](size_t b0, size_t b1, size_t at) {
    const Proposal* const proposed = dealt.get();  // locals, which the stores below cannot change
    int* const bars_now = bar;
    Seats* const seats_now = seat;
    Held* const held = heaps.data();
    Free* const let_go = free_next;
    size_t next_count = at;
    const size_t to = static_cast<size_t>(block_start[b1]);
    for (size_t k = static_cast<size_t>(block_start[b0]); k < to; ++k) {
      const Proposal& x = proposed[k];
      if (x.place >= bars_now[x.village]) {
        let_go[next_count++] = {x.person, x.index + 1, x.end};
        continue;
      }
      Seats& s = seats_now[x.village];
      Held* heap = held + s.start;
      const Held in{x.place, x.person, x.index, x.end};
      if (s.cap <= kScanSeats) {
        // A few seats: an unsorted array, its worst found by a branch-free scan.
        if (s.size < s.cap) {
          heap[s.size++] = in;
          if (s.size < s.cap) continue;
        } else {
          const Held out = heap[s.worst];
          heap[s.worst] = in;
          let_go[next_count++] = {out.person, out.index + 1, out.end};
        }
        int worst = 0;
        int worst_place = heap[0].place;
        for (int j = 1; j < s.size; ++j) {
          const bool worse = heap[j].place > worst_place;
          worst = worse ? j : worst;
          worst_place = worse ? heap[j].place : worst_place;
        }
        s.worst = worst;
        bars_now[x.village] = worst_place;
        continue;
      }
      if (s.size < s.cap) {
        PushHeld(heap, s.size++, in);
        if (s.size == s.cap) bars_now[x.village] = heap[0].place;
      } else {
        const Held out = heap[0];
        ReplaceWorst(heap, s.size, in);
        bars_now[x.village] = heap[0].place;
        let_go[next_count++] = {out.person, out.index + 1, out.end};
      }
    }
    return next_count - at;
  };
  int64_t proposals = 0;
  while (free_count > 0) {
    // Two threads split the free people for the walk, and the blocks of villages for taking;
    // each half lands where one thread would have put it, so the rounds are the same.
    const bool two = threads > 1 && free_count >= kTwoThreadRound;
    const size_t half = two ? free_count / 2 : free_count;
    size_t made_count[2] = {0, 0};
    if (two) {
      std::thread other([&] { made_count[1] = walk(half, free_count, half, 1); });
      made_count[0] = walk(0, half, 0, 0);
      other.join();
      proposals += counted[0] + counted[1];
      // The second half's proposals follow the first's.
      std::copy(made.get() + half, made.get() + half + made_count[1], made.get() + made_count[0]);
    } else {
      made_count[0] = walk(0, free_count, 0, 0);
      proposals += counted[0];
    }
    const size_t count = made_count[0] + made_count[1];
    // Deal them into village blocks.
    block_start[0] = 0;
    for (size_t b = 0; b < blocks; ++b)
      block_start[b + 1] = block_start[b] + made_in[0][b] + (two ? made_in[1][b] : 0);
    {
      std::vector<int>& fill = made_in[0];
      std::copy(block_start.begin(), block_start.end() - 1, fill.begin());
      for (size_t k = 0; k < count; ++k) {
        const Proposal& x = made[k];
        dealt[static_cast<size_t>(fill[static_cast<size_t>(x.village) >> kVillageBlockBits]++)] = x;
      }
    }
    size_t next_count;
    if (two) {
      // Split the blocks where half the proposals have been taken.
      size_t split = 0;
      while (split < blocks && static_cast<size_t>(block_start[split + 1]) <= count / 2) ++split;
      const size_t second_at = static_cast<size_t>(block_start[split]);
      size_t second = 0;
      std::thread other([&] { second = take(split, blocks, second_at); });
      const size_t first = take(0, split, 0);
      other.join();
      std::copy(free_next + second_at, free_next + second_at + second, free_next + first);
      next_count = first + second;
    } else {
      next_count = take(0, blocks, 0);
    }
    std::swap(free_now, free_next);
    free_count = next_count;
  }
  people_of.resize(villages);
  std::vector<uint64_t> by_place;  // one village's seated, (place, person) in one word
  for (size_t v = 0; v < villages; ++v) {
    const Held* heap = heaps.data() + seats[v].start;
    const size_t size = static_cast<size_t>(seats[v].size);
    by_place.resize(size);
    for (size_t k = 0; k < size; ++k) {
      by_place[k] =
          static_cast<uint64_t>(heap[k].place) << 32 | static_cast<uint32_t>(heap[k].person);
      village_of[static_cast<size_t>(heap[k].person)] = static_cast<int>(v);
    }
    std::sort(by_place.begin(), by_place.end());  // the village's own order
    std::vector<int>& seated = people_of[v];
    seated.resize(size);
    for (size_t k = 0; k < size; ++k) seated[k] = static_cast<int>(by_place[k] & 0xffffffffu);
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
  std::vector<int> next(strict.village_order.start.begin(), strict.village_order.start.end() - 1);
  const int* wanted = strict.village_order.data.data();
  const int* ranks = prep.person_rank.data();
  std::vector<int> active;
  for (int v = m - 1; v >= 0; --v) active.push_back(v);
  int64_t proposals = 0;
  while (!active.empty()) {
    const int v = active.back();
    active.pop_back();
    const int end = strict.village_order.start[static_cast<size_t>(v) + 1];
    int& i = next[static_cast<size_t>(v)];
    while (holding[static_cast<size_t>(v)] < market.capacity[static_cast<size_t>(v)] && i < end) {
      const int p = wanted[i];
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
  Prepared unused;
  if (Prepare(market, out.person_lottery, out.village_lottery, Tables::kNone, 1, out.strict,
              unused) != Verdict::kOk) {
    out.strict = {};  // precondition broken
  }
}

Result<DeferredAcceptanceResult> DeferredAcceptance(const Market& market,
                                                    const DeferredAcceptanceOptions& options) {
  DeferredAcceptanceResult out;
  Lottery lottery(options.lottery_seed);
  out.person_lottery = lottery.Draw(market.person_count());
  out.village_lottery = lottery.Draw(market.village_count());
  const bool people = options.proposing == ProposingSide::kPeople;
  Prepared prep;
  const int threads = options.threads > 1 ? 2 : 1;
  switch (Prepare(market, out.person_lottery, out.village_lottery,
                  people ? Tables::kForPeople : Tables::kForVillages, threads, out.strict, prep)) {
    case Verdict::kOk:
      break;
    case Verdict::kInvalid:
      // The slow validator writes the field errors; it fails on exactly the same markets.
      QJ_RETURN_IF_ERROR(ValidateMarket(market));
      return Status::Internal("market failed the quick check but passed validation");
    case Verdict::kTooLarge:
      return Status::InvalidArgument("one side's lists hold 2^31 entries or more");
  }
  out.village_of.assign(static_cast<size_t>(market.person_count()), -1);
  out.proposals =
      people ? PeoplePropose(market, out.strict, prep, threads, out.village_of, out.people_of)
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
    const size_t acceptable = out.strict.village_order[static_cast<size_t>(v)].size();
    const bool any_other = acceptable > out.people_of[static_cast<size_t>(v)].size();
    if (acceptable == 0) {
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

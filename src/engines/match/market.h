// The two-sided dispatch market (双向选择) as plain data: people (cadres, instructors, worthies)
// on one side, villages with seats on the other. Every solver, checker and explainer in this
// folder reads these types and nothing else, so each can be tested on hand-written instances.
//
// A pair (person, village) is acceptable only when both list each other and no exclusion names
// it. Lists may be incomplete and may contain ties: agents in one tier are equally good.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::match {

// A read-only run of agent indices: one tier of a list, or one agent's whole strict list.
// Converts to std::vector<int> for code written against vector-of-vector lists.
class Indices : public std::span<const int> {
 public:
  using std::span<const int>::span;
  using const_iterator = iterator;
  operator std::vector<int>() const { return {begin(), end()}; }  // NOLINT: implicit on purpose
  friend bool operator==(Indices a, Indices b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator==(Indices a, const std::vector<int>& b) { return a == Indices(b); }
};

// One agent's tiers, stored flat: every entry in order in one array, plus where each tier ends.
// Reads like a std::vector<std::vector<int>> (size, [t], range-for, push_back of a tier), but a
// list is one or two heap blocks instead of one per tier: at national scale (20 million
// entries) reading the nested form took longer than solving. A list without ties (each tier
// one agent, the common case) keeps no tier ends at all.
class TierList {
 public:
  using value_type = Indices;
  using size_type = size_t;
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Indices;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Indices;
    const_iterator() = default;
    const_iterator(const TierList* list, size_t t) : list_(list), t_(t) {}
    Indices operator*() const { return (*list_)[t_]; }
    const_iterator& operator++() {
      ++t_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++t_;
      return old;
    }
    bool operator==(const const_iterator& o) const { return t_ == o.t_; }

   private:
    const TierList* list_ = nullptr;
    size_t t_ = 0;
  };
  using iterator = const_iterator;

  TierList() = default;
  TierList(std::initializer_list<std::initializer_list<int>> tiers);

  size_t size() const { return ends_.empty() ? entries_.size() : ends_.size(); }
  bool empty() const { return size() == 0; }
  Indices operator[](size_t t) const {
    return Indices(entries_.data() + tier_begin(t), entries_.data() + tier_end(t));
  }
  Indices front() const { return (*this)[0]; }
  Indices back() const { return (*this)[size() - 1]; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  // Appends a tier (it may be empty); emplace_back() appends an empty one.
  void push_back(std::span<const int> tier);
  void push_back(std::initializer_list<int> tier) { push_back(std::span<const int>(tier)); }
  void emplace_back() { push_back(std::span<const int>()); }
  // Appends `agent` to the last tier, or as a first tier of its own when there is none.
  void AddToLastTier(int agent);
  void reserve(size_t entries) { entries_.reserve(entries); }
  void clear() {
    entries_.clear();
    ends_.clear();
  }

  // The flat form: every entry, best tier first; tier t is [tier_begin(t), tier_end(t)).
  const std::vector<int>& entries() const { return entries_; }
  size_t tier_begin(size_t t) const { return ends_.empty() ? t : (t == 0 ? 0 : ends_[t - 1]); }
  size_t tier_end(size_t t) const { return ends_.empty() ? t + 1 : ends_[t]; }
  // True when no tier holds more than one agent (no ties to break; empty tiers do not count).
  bool untied() const;
  // True when the list is stored without tier ends: tier t is exactly entries()[t].
  bool one_per_tier() const { return ends_.empty(); }

  friend bool operator==(const TierList& a, const TierList& b);
  friend bool operator==(const TierList& a, const std::vector<std::vector<int>>& b);

 private:
  void KeepEnds();  // switches to the form with explicit tier ends

  std::vector<int> entries_;
  std::vector<int> ends_;  // one past each tier's last entry; empty: one entry per tier
};

// One agent's ranking, best tier first; agents inside a tier are tied. Indices are into the
// other side. An agent not listed is unacceptable.
struct RankList {
  TierList tiers;
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

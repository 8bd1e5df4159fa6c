#include "engines/match/market.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace qiangji::engines::match {

TierList::TierList(std::initializer_list<std::initializer_list<int>> tiers) {
  for (const auto& tier : tiers) push_back(tier);
}

void TierList::KeepEnds() {
  if (!ends_.empty() || entries_.empty()) return;
  ends_.resize(entries_.size());
  for (size_t i = 0; i < ends_.size(); ++i) ends_[i] = static_cast<int>(i + 1);
}

void TierList::push_back(std::span<const int> tier) {
  // An empty list with no ends reads as zero tiers, so a first tier of any size other than one
  // needs the explicit form; so does any such tier after singletons.
  if (tier.size() != 1 || !ends_.empty()) {
    KeepEnds();
    entries_.insert(entries_.end(), tier.begin(), tier.end());
    ends_.push_back(static_cast<int>(entries_.size()));
    return;
  }
  entries_.push_back(tier[0]);
}

void TierList::AddToLastTier(int agent) {
  if (empty()) {
    push_back({agent});
    return;
  }
  KeepEnds();
  entries_.push_back(agent);
  ends_.back() = static_cast<int>(entries_.size());
}

bool TierList::untied() const {
  for (size_t t = 0; t < ends_.size(); ++t) {
    if (tier_end(t) - tier_begin(t) > 1) return false;
  }
  return true;
}

bool operator==(const TierList& a, const TierList& b) {
  if (a.size() != b.size() || a.entries_ != b.entries_) return false;
  for (size_t t = 0; t < a.size(); ++t) {
    if (a.tier_end(t) != b.tier_end(t)) return false;
  }
  return true;
}

bool operator==(const TierList& a, const std::vector<std::vector<int>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t t = 0; t < b.size(); ++t) {
    if (!(a[t] == b[t])) return false;
  }
  return true;
}

namespace {

void ValidateLists(const std::vector<RankList>& lists, const char* side, int other_count,
                   const char* other, FieldErrors& errors) {
  // Duplicates are found by sorting (index, tier) pairs: linear-ish in the list, not in the
  // size of the other side, so half a million lists stay cheap.
  std::vector<std::pair<int, size_t>> entries;
  for (size_t a = 0; a < lists.size(); ++a) {
    entries.clear();
    for (size_t t = 0; t < lists[a].tiers.size(); ++t) {
      for (int b : lists[a].tiers[t]) entries.emplace_back(b, t);
    }
    std::sort(entries.begin(), entries.end());
    std::vector<std::pair<size_t, std::string>> found;  // (tier, message), reported in tier order
    for (size_t i = 0; i < entries.size(); ++i) {
      const auto [b, t] = entries[i];
      if (b < 0 || b >= other_count) {
        found.emplace_back(t, "names unknown " + std::string(other) + " " + std::to_string(b));
      } else if (i > 0 && entries[i - 1].first == b) {
        found.emplace_back(t, "ranks " + std::string(other) + " " + std::to_string(b) + " twice");
      }
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& [t, message] : found) {
      errors.Add(std::string(side) + "[" + std::to_string(a) + "].tiers[" + std::to_string(t) + "]",
                 std::move(message));
    }
  }
}

}  // namespace

Status ValidateMarket(const Market& market) {
  FieldErrors errors;
  const int people = market.person_count();
  const int villages = market.village_count();
  if (market.capacity.size() != market.village_prefs.size()) {
    errors.Add("capacity", "needs one entry per village (" + std::to_string(villages) + ")");
  }
  for (size_t v = 0; v < market.capacity.size(); ++v) {
    if (market.capacity[v] < 0) {
      errors.Add("capacity[" + std::to_string(v) + "]", "must not be negative");
    }
  }
  if (!market.person_names.empty() && market.person_names.size() != market.person_prefs.size()) {
    errors.Add("person_names", "needs one name per person or none");
  }
  if (!market.village_names.empty() && market.village_names.size() != market.village_prefs.size()) {
    errors.Add("village_names", "needs one name per village or none");
  }
  ValidateLists(market.person_prefs, "person_prefs", villages, "village", errors);
  ValidateLists(market.village_prefs, "village_prefs", people, "person", errors);
  for (size_t i = 0; i < market.exclusions.size(); ++i) {
    const Exclusion& e = market.exclusions[i];
    if (e.person < 0 || e.person >= people || e.village < 0 || e.village >= villages) {
      errors.Add("exclusions[" + std::to_string(i) + "]", "names an unknown person or village");
    }
  }
  return errors.ToStatus();
}

std::string PersonName(const Market& market, int person) {
  if (person >= 0 && static_cast<size_t>(person) < market.person_names.size()) {
    return market.person_names[static_cast<size_t>(person)];
  }
  return "person " + std::to_string(person);
}

std::string VillageName(const Market& market, int village) {
  if (village >= 0 && static_cast<size_t>(village) < market.village_names.size()) {
    return market.village_names[static_cast<size_t>(village)];
  }
  return "village " + std::to_string(village);
}

}  // namespace qiangji::engines::match

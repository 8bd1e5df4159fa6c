#include "engines/match/explain.h"

#include <algorithm>
#include <string>
#include <vector>

namespace qiangji::engines::match {
namespace {

std::string Ordinal(size_t rank0) { return "choice #" + std::to_string(rank0 + 1); }

size_t RankIn(Indices order, int who) {
  return static_cast<size_t>(std::find(order.begin(), order.end(), who) - order.begin());
}

// The tier of `who` in a submitted list, or -1 when unlisted.
int TierIn(const RankList& list, int who) {
  for (size_t t = 0; t < list.tiers.size(); ++t) {
    const auto& tier = list.tiers[t];
    if (std::find(tier.begin(), tier.end(), who) != tier.end()) return static_cast<int>(t);
  }
  return -1;
}

// Why the agent's listed partners that never became acceptable pairs dropped out.
std::string DroppedPeopleNote(const Market& market, const StrictLists& strict, int p) {
  std::vector<std::string> excluded;
  std::vector<std::string> unlisted;
  const auto& kept = strict.person_order[static_cast<size_t>(p)];
  for (const auto& tier : market.person_prefs[static_cast<size_t>(p)].tiers) {
    for (int v : tier) {
      if (std::find(kept.begin(), kept.end(), v) != kept.end()) continue;
      std::string reason;
      for (const Exclusion& e : market.exclusions) {
        if (e.person == p && e.village == v) reason = e.reason.empty() ? "excluded" : e.reason;
      }
      if (reason.empty()) {
        unlisted.push_back(VillageName(market, v));
      } else {
        excluded.push_back(VillageName(market, v) + " (" + reason + ")");
      }
    }
  }
  std::string note;
  if (!excluded.empty()) note += " Excluded by rule: " + JoinNames(excluded) + ".";
  if (!unlisted.empty()) {
    note += " " + JoinNames(unlisted) + " did not list you.";
  }
  return note;
}

std::string ExplainPerson(const Market& market, const DeferredAcceptanceResult& r,
                          const std::vector<std::vector<int>>& seated, int p) {
  const auto& order = r.strict.person_order[static_cast<size_t>(p)];
  const int seat = r.village_of[static_cast<size_t>(p)];
  const size_t above = seat >= 0 ? RankIn(order, seat) : order.size();
  // A higher choice "filled by candidates it ranked higher": full, and everyone seated there
  // comes before p in its list. Anything else is named separately, never glossed over.
  std::vector<std::string> outranked;
  std::vector<std::string> other;
  std::vector<std::string> no_seats;
  std::vector<std::string> lottery;
  for (size_t i = 0; i < above && i < order.size(); ++i) {
    const int v = order[i];
    const auto& vorder = r.strict.village_order[static_cast<size_t>(v)];
    const auto& here = seated[static_cast<size_t>(v)];
    const size_t my_rank = RankIn(vorder, p);
    const bool full = static_cast<int>(here.size()) >= market.capacity[static_cast<size_t>(v)];
    const bool all_higher =
        std::all_of(here.begin(), here.end(), [&](int q) { return RankIn(vorder, q) < my_rank; });
    if (market.capacity[static_cast<size_t>(v)] == 0) {
      no_seats.push_back(VillageName(market, v));
    } else {
      // Ahead only by the lottery: someone seated there was in p's own tier of its list.
      const auto& vlist = market.village_prefs[static_cast<size_t>(v)];
      const bool by_lottery = std::any_of(
          here.begin(), here.end(), [&](int q) { return TierIn(vlist, q) == TierIn(vlist, p); });
      if (!full || !all_higher) {
        other.push_back(VillageName(market, v));
      } else {
        (by_lottery ? lottery : outranked).push_back(VillageName(market, v));
      }
    }
  }
  std::string text;
  if (seat >= 0) {
    text = "You were matched to " + VillageName(market, seat) + ", your " +
           (above == 0 ? std::string("first choice") : Ordinal(above)) + ".";
  } else if (order.empty()) {
    text = "You were not matched: no village you listed is an acceptable pair.";
  } else {
    text = "You were not matched.";
  }
  if (!outranked.empty()) {
    text += std::string(" Your higher ") + (outranked.size() == 1 ? "choice " : "choices ") +
            JoinNames(outranked) + (outranked.size() == 1 ? " was" : " were") +
            " filled by candidates ranked higher there.";
  }
  if (!lottery.empty()) {
    text += std::string(" ") + JoinNames(lottery) +
            (lottery.size() == 1 ? " ranked you equal with a candidate it took"
                                 : " ranked you equal with candidates they took") +
            ", who came first in the lottery.";
  }
  if (!no_seats.empty()) {
    text += " " + JoinNames(no_seats) + " offered no seats.";
  }
  if (!other.empty()) {
    text += " " + JoinNames(other) + " could still have taken you (this matching is unstable).";
  }
  return text + DroppedPeopleNote(market, r.strict, p);
}

std::string ExplainVillage(const Market& market, const DeferredAcceptanceResult& r,
                           const std::vector<std::vector<int>>& seated, int v) {
  const auto& order = r.strict.village_order[static_cast<size_t>(v)];
  const auto& here = seated[static_cast<size_t>(v)];
  const int cap = market.capacity[static_cast<size_t>(v)];
  if (cap == 0 && here.empty()) return "You offered no seats in this round.";
  std::string text;
  if (here.empty()) {
    text = order.empty() ? "No seat was filled: no candidate is an acceptable pair."
                         : "No seat was filled.";
  } else {
    std::vector<std::string> names;
    std::vector<std::string> ranks;
    for (int q : here) {
      names.push_back(PersonName(market, q));
      ranks.push_back("#" + std::to_string(RankIn(order, q) + 1));
    }
    text = "You were matched with " + JoinNames(names) + " (your " +
           (here.size() == 1 ? "choice " : "choices ") + JoinNames(ranks) + ").";
  }
  const bool full = static_cast<int>(here.size()) >= cap;
  // The candidates that mattered: above the worst one seated, or everyone when seats are empty.
  size_t limit = order.size();
  if (full && !here.empty()) {
    limit = 0;
    for (int q : here) limit = std::max(limit, RankIn(order, q));
  }
  std::vector<std::string> went_higher;
  std::vector<std::string> other;
  for (size_t i = 0; i < limit; ++i) {
    const int q = order[i];
    const int seat = r.village_of[static_cast<size_t>(q)];
    if (seat == v) continue;
    const auto& qorder = r.strict.person_order[static_cast<size_t>(q)];
    const bool higher = seat >= 0 && RankIn(qorder, seat) < RankIn(qorder, v);
    (higher ? went_higher : other).push_back(PersonName(market, q));
  }
  if (!went_higher.empty()) {
    text += std::string(" Your higher ") + (went_higher.size() == 1 ? "choice " : "choices ") +
            JoinNames(went_higher) +
            (went_higher.size() == 1 ? " took a village" : " took villages") +
            " they ranked higher.";
  }
  if (!other.empty()) {
    text += " " + JoinNames(other) + " would still have come (this matching is unstable).";
  }
  if (!full) {
    const int left = cap - static_cast<int>(here.size());
    text += " " + std::to_string(left) + (left == 1 ? " seat stays" : " seats stay") + " empty.";
  }
  return text;
}

}  // namespace

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

Explanations Explain(const Market& market, const DeferredAcceptanceResult& result) {
  std::vector<std::vector<int>> seated(static_cast<size_t>(market.village_count()));
  for (int p = 0; p < market.person_count(); ++p) {
    const int v = result.village_of[static_cast<size_t>(p)];
    if (v >= 0) seated[static_cast<size_t>(v)].push_back(p);
  }
  Explanations out;
  for (int p = 0; p < market.person_count(); ++p) {
    out.people.push_back(ExplainPerson(market, result, seated, p));
  }
  for (int v = 0; v < market.village_count(); ++v) {
    out.villages.push_back(ExplainVillage(market, result, seated, v));
  }
  return out;
}

}  // namespace qiangji::engines::match

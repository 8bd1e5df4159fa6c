#include "engines/match/fit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engines/assess/score.h"

namespace qiangji::engines::match {
namespace {

using assess::Fnv1a64;

constexpr double kMaxNeedWeight = 100;
constexpr double kMaxExplicitFit = 1e6;

std::string Idx(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

bool Finite(double x) { return std::isfinite(x); }

// County (6 digits), township (9) and the village itself, of a 12-digit code.
int64_t County(int64_t code) { return code / 1'000'000; }

int64_t TownshipOf(const DispatchVillage& v) {
  if (v.township_code != 0) return v.township_code / 1000;
  return v.code / 1000;
}

// A division prefix such as "130624101" contains a 12-digit code when the code starts with it.
bool Under(std::string_view prefix, int64_t code) {
  if (prefix.empty()) return true;
  if (code <= 0) return false;
  char digits[16];
  const int n = std::snprintf(digits, sizeof digits, "%012lld", static_cast<long long>(code));
  return n == 12 && std::string_view(digits, 12).substr(0, prefix.size()) == prefix;
}

void CheckWeights(const std::vector<std::pair<std::string, double>>& items, const std::string& base,
                  double max, FieldErrors& errors) {
  std::set<std::string> seen;
  for (const auto& [key, w] : items) {
    const std::string field = base + "." + key;
    if (!IsWorkType(key)) {
      errors.Add(field,
                 "unknown work type (see docs/match-solve.md: party_building, industry, ...)");
    } else if (!seen.insert(key).second) {
      errors.Add(field, "given twice");
    }
    if (!Finite(w) || w < 0 || w > max) {
      errors.Add(field, "must be a number between 0 and " + std::to_string(static_cast<int>(max)));
    }
  }
}

void CheckLists(const std::vector<std::optional<RankList>>& lists, const std::string& side,
                int own_count, int other_count, FieldErrors& errors) {
  if (static_cast<int>(lists.size()) != own_count) {
    errors.Add(side, "needs one entry per agent (" + std::to_string(own_count) + ")");
    return;
  }
  for (size_t a = 0; a < lists.size(); ++a) {
    if (!lists[a]) continue;
    std::set<int> seen;
    for (size_t t = 0; t < lists[a]->tiers.size(); ++t) {
      for (size_t k = 0; k < lists[a]->tiers[t].size(); ++k) {
        const int b = lists[a]->tiers[t][k];
        const std::string field =
            Idx(side, a) + "[" + std::to_string(t) + "][" + std::to_string(k) + "]";
        if (b < 0 || b >= other_count) {
          errors.Add(field, "names an unknown agent " + std::to_string(b));
        } else if (!seen.insert(b).second) {
          errors.Add(field, "ranks " + std::to_string(b) + " twice");
        }
      }
    }
  }
}

void HashItems(Fnv1a64& h, const std::vector<std::pair<std::string, double>>& items) {
  h.AddU64(items.size());
  for (const auto& [k, w] : items) {
    h.AddString(k);
    h.AddDouble(w);
  }
}

void HashLists(Fnv1a64& h, const std::vector<std::optional<RankList>>& lists) {
  h.AddU64(lists.size());
  for (const auto& list : lists) {
    h.AddU64(list ? 1 : 0);
    if (!list) continue;
    h.AddU64(list->tiers.size());
    for (const auto& tier : list->tiers) {
      h.AddU64(tier.size());
      for (int b : tier) h.AddU64(static_cast<uint64_t>(b));
    }
  }
}

// Every input that can change a result, in one fixed order.
uint64_t InputHash(const DispatchProblem& p) {
  Fnv1a64 h;
  h.AddString("qiangji.match.v1");
  h.AddU64(static_cast<uint64_t>(p.mode));
  h.AddU64(static_cast<uint64_t>(p.proposing));
  h.AddU64(p.seed);
  h.AddU64(p.people.size());
  for (const DispatchPerson& x : p.people) {
    h.AddString(x.id);
    h.AddString(x.name);
    h.AddU64(static_cast<uint64_t>(x.kind));
    HashItems(h, x.skills);
    h.AddU64(static_cast<uint64_t>(x.home_code));
    h.AddString(x.unit);
    h.AddString(x.unit_kind);
    h.AddU64(x.available ? 1 : 0);
  }
  h.AddU64(p.villages.size());
  for (const DispatchVillage& v : p.villages) {
    h.AddString(v.id);
    h.AddString(v.name);
    h.AddU64(static_cast<uint64_t>(v.code));
    h.AddU64(static_cast<uint64_t>(v.township_code));
    h.AddU64(static_cast<uint64_t>(v.seats));
    HashItems(h, v.needs);
    h.AddDouble(v.priority);
  }
  HashLists(h, p.person_prefs);
  HashLists(h, p.village_prefs);
  h.AddU64(p.explicit_fits.size());
  for (const FitArc& a : p.explicit_fits) {
    h.AddU64(static_cast<uint64_t>(a.person));
    h.AddU64(static_cast<uint64_t>(a.village));
    h.AddDouble(a.fit);
  }
  h.AddU64(p.exclusions.size());
  for (const Exclusion& e : p.exclusions) {
    h.AddU64(static_cast<uint64_t>(e.person));
    h.AddU64(static_cast<uint64_t>(e.village));
    h.AddString(e.reason);
  }
  const DispatchRules& r = p.rules;
  h.AddU64(r.avoid_home_county ? 1 : 0);
  h.AddDouble(r.priority_weight);
  h.AddDouble(r.hometown_bonus.village);
  h.AddDouble(r.hometown_bonus.township);
  h.AddDouble(r.hometown_bonus.county);
  h.AddU64(static_cast<uint64_t>(r.max_per_unit_per_township));
  h.AddU64(r.unit_kind_exclusions.size());
  for (const UnitKindExclusion& u : r.unit_kind_exclusions) {
    h.AddString(u.unit_kind);
    h.AddString(u.under);
    h.AddString(u.reason);
  }
  return h.value();
}

uint64_t OutputHash(const DispatchResult& r) {
  Fnv1a64 h;
  h.AddU64(r.assignment.size());
  for (int v : r.assignment) h.AddU64(static_cast<uint64_t>(static_cast<int64_t>(v)));
  h.AddU64(r.market.exclusions.size());
  h.AddU64(static_cast<uint64_t>(r.certificate.blocking_pairs));
  h.AddU64(static_cast<uint64_t>(r.certificate.violations));
  h.AddU64(static_cast<uint64_t>(r.certificate.checked_pairs));
  h.AddDouble(r.total_fit);
  h.AddU64(static_cast<uint64_t>(r.rounds));
  if (r.price) {
    h.AddU64(static_cast<uint64_t>(r.price->stable_scaled));
    h.AddU64(static_cast<uint64_t>(r.price->optimal_scaled));
  }
  for (const std::string& s : r.explanations.people) h.AddString(s);
  for (const std::string& s : r.explanations.villages) h.AddString(s);
  return h.value();
}

std::string TownshipText(int64_t township9) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%09lld", static_cast<long long>(township9));
  return digits;
}

// Extra people of a sending unit in a township, beyond the cap: the lowest-fit ones, each to be
// excluded from every village of that township. Returns the number of exclusions added.
int AddUnitCapExclusions(const DispatchProblem& p, const Assignment& assignment,
                         const std::vector<double>& fit, std::vector<char>& excluded,
                         Market& market, std::vector<ExclusionSource>& source) {
  const int cap = p.rules.max_per_unit_per_township;
  if (cap <= 0) return 0;
  const size_t m = p.villages.size();
  std::map<std::pair<std::string, int64_t>, std::vector<int>> groups;
  for (size_t i = 0; i < assignment.size(); ++i) {
    const int v = assignment[i];
    if (v < 0 || p.people[i].unit.empty()) continue;
    const int64_t township = TownshipOf(p.villages[static_cast<size_t>(v)]);
    if (township <= 0) continue;
    groups[{p.people[i].unit, township}].push_back(static_cast<int>(i));
  }
  int added = 0;
  for (auto& [key, members] : groups) {
    if (static_cast<int>(members.size()) <= cap) continue;
    std::stable_sort(members.begin(), members.end(), [&](int a, int b) {
      const double fa = fit[static_cast<size_t>(a) * m + static_cast<size_t>(assignment[a])];
      const double fb = fit[static_cast<size_t>(b) * m + static_cast<size_t>(assignment[b])];
      return fa > fb;
    });
    const std::string reason = "sending unit " + key.first + " already sends " +
                               std::to_string(cap) + " to township " + TownshipText(key.second);
    for (size_t k = static_cast<size_t>(cap); k < members.size(); ++k) {
      const int person = members[k];
      for (size_t v = 0; v < m; ++v) {
        if (TownshipOf(p.villages[v]) != key.second) continue;
        char& flag = excluded[static_cast<size_t>(person) * m + v];
        if (flag) continue;
        flag = 1;
        market.exclusions.push_back({person, static_cast<int>(v), reason});
        source.push_back(ExclusionSource::kUnitCap);
        ++added;
      }
    }
  }
  return added;
}

// Unmatched people and open seats of an optimal-fit assignment: the optimum, not rejection by
// better-ranked candidates, is what left them out.
void OptimalLeftovers(const Market& market, const StrictLists& strict, const Assignment& a,
                      DispatchResult& out) {
  std::vector<int> taken(static_cast<size_t>(market.village_count()), 0);
  for (int v : a) {
    if (v >= 0) ++taken[static_cast<size_t>(v)];
  }
  for (int p = 0; p < market.person_count(); ++p) {
    if (a[static_cast<size_t>(p)] >= 0) continue;
    if (strict.person_order[static_cast<size_t>(p)].empty()) {
      out.unmatched_people.push_back(
          {p, UnmatchedReason::kNoAcceptablePartner, "no acceptable village"});
    } else {
      out.unmatched_people.push_back(
          {p, UnmatchedReason::kOutranked,
           "every acceptable village's seats add more total fit with other candidates (or your "
           "fit there is 0)"});
    }
  }
  for (int v = 0; v < market.village_count(); ++v) {
    const int left = market.capacity[static_cast<size_t>(v)] - taken[static_cast<size_t>(v)];
    if (left <= 0) continue;
    if (strict.village_order[static_cast<size_t>(v)].empty()) {
      out.open_seats.push_back(
          {v, left, UnmatchedReason::kNoAcceptablePartner, "no acceptable candidate"});
    } else {
      out.open_seats.push_back({v, left, UnmatchedReason::kOutranked,
                                "every acceptable candidate adds more total fit elsewhere (or "
                                "their fit here is 0)"});
    }
  }
}

}  // namespace

bool IsWorkType(std::string_view key) {
  return std::find(std::begin(kWorkTypes), std::end(kWorkTypes), key) != std::end(kWorkTypes);
}

std::string_view ExclusionSourceName(ExclusionSource source) {
  switch (source) {
    case ExclusionSource::kGiven:
      return "given";
    case ExclusionSource::kUnavailable:
      return "unavailable";
    case ExclusionSource::kHomeCounty:
      return "home_county";
    case ExclusionSource::kUnitKind:
      return "unit_kind";
    case ExclusionSource::kUnitCap:
      return "unit_cap";
  }
  return "given";
}

double Fit(const DispatchPerson& person, const DispatchVillage& village,
           const DispatchRules& rules) {
  double skill = 0;
  for (const auto& [need, weight] : village.needs) {
    for (const auto& [have, level] : person.skills) {
      if (have == need) skill += weight * level;
    }
  }
  double hometown = 0;
  if (person.kind == PersonKind::kLocalWorthy && person.home_code > 0 && village.code > 0) {
    const HometownBonus& b = rules.hometown_bonus;
    if (person.home_code == village.code) {
      hometown = b.village;
    } else if (person.home_code / 1000 == TownshipOf(village)) {
      hometown = b.township;
    } else if (County(person.home_code) == County(village.code)) {
      hometown = b.county;
    }
  }
  return (skill + hometown) * (1 + rules.priority_weight * village.priority / 100);
}

RankList DeriveRankList(const std::vector<double>& fit_by_partner,
                        const std::vector<bool>& excluded) {
  std::vector<int> order;
  for (size_t b = 0; b < fit_by_partner.size(); ++b) {
    if (fit_by_partner[b] > 0 && !(b < excluded.size() && excluded[b]))
      order.push_back(static_cast<int>(b));
  }
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    return fit_by_partner[static_cast<size_t>(x)] > fit_by_partner[static_cast<size_t>(y)];
  });
  // A tier holds everyone within the tolerance of its first (best) member, so near-equal fits
  // never chain into one long tier.
  RankList list;
  double leader = 0;
  for (int b : order) {
    const double f = fit_by_partner[static_cast<size_t>(b)];
    if (list.tiers.empty() || leader - f > kFitTieTolerance) {
      list.tiers.push_back({b});
      leader = f;
    } else {
      list.tiers.AddToLastTier(b);
    }
  }
  return list;
}

Status ValidateDispatch(const DispatchProblem& p) {
  FieldErrors errors;
  const int n = static_cast<int>(p.people.size());
  const int m = static_cast<int>(p.villages.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < p.people.size(); ++i) {
    const DispatchPerson& x = p.people[i];
    const std::string base = Idx("people", i);
    if (x.id.empty())
      errors.Add(base + ".id", "is required");
    else if (!ids.insert(x.id).second)
      errors.Add(base + ".id", "duplicates another person's id");
    CheckWeights(x.skills, base + ".skills", 1, errors);
    if (x.home_code < 0 || x.home_code > 999'999'999'999)
      errors.Add(base + ".home_code", "must be a division code");
  }
  ids.clear();
  for (size_t j = 0; j < p.villages.size(); ++j) {
    const DispatchVillage& v = p.villages[j];
    const std::string base = Idx("villages", j);
    if (v.id.empty())
      errors.Add(base + ".id", "is required");
    else if (!ids.insert(v.id).second)
      errors.Add(base + ".id", "duplicates another village's id");
    if (v.seats < 0) errors.Add(base + ".seats", "must not be negative");
    CheckWeights(v.needs, base + ".needs", kMaxNeedWeight, errors);
    if (!Finite(v.priority) || v.priority < 0 || v.priority > 100)
      errors.Add(base + ".priority", "must be between 0 and 100");
  }
  CheckLists(p.person_prefs, "person_prefs", n, m, errors);
  CheckLists(p.village_prefs, "village_prefs", m, n, errors);
  std::set<std::pair<int, int>> pairs;
  for (size_t i = 0; i < p.explicit_fits.size(); ++i) {
    const FitArc& a = p.explicit_fits[i];
    const std::string base = Idx("fit", i);
    if (a.person < 0 || a.person >= n || a.village < 0 || a.village >= m) {
      errors.Add(base, "names an unknown person or village");
    } else if (!pairs.insert({a.person, a.village}).second) {
      errors.Add(base, "gives the same pair twice");
    }
    if (!Finite(a.fit) || a.fit < 0 || a.fit > kMaxExplicitFit)
      errors.Add(base + ".fit", "must be a number between 0 and 1000000");
  }
  for (size_t i = 0; i < p.exclusions.size(); ++i) {
    const Exclusion& e = p.exclusions[i];
    if (e.person < 0 || e.person >= n || e.village < 0 || e.village >= m)
      errors.Add(Idx("exclusions", i), "names an unknown person or village");
  }
  const DispatchRules& r = p.rules;
  if (!Finite(r.priority_weight) || r.priority_weight < 0 || r.priority_weight > 100)
    errors.Add("rules.priority_weight", "must be between 0 and 100");
  const std::pair<const char*, double> bonuses[] = {{"village", r.hometown_bonus.village},
                                                    {"township", r.hometown_bonus.township},
                                                    {"county", r.hometown_bonus.county}};
  for (const auto& [key, b] : bonuses) {
    if (!Finite(b) || b < 0 || b > 100)
      errors.Add(std::string("rules.hometown_bonus.") + key, "must be between 0 and 100");
  }
  if (r.max_per_unit_per_township < 0)
    errors.Add("rules.max_per_unit_per_township", "must not be negative (0: no limit)");
  for (size_t i = 0; i < r.unit_kind_exclusions.size(); ++i) {
    const UnitKindExclusion& u = r.unit_kind_exclusions[i];
    const std::string base = Idx("rules.unit_kind_exclusions", i);
    if (u.unit_kind.empty()) errors.Add(base + ".unit_kind", "is required");
    const size_t len = u.under.size();
    const bool digits =
        std::all_of(u.under.begin(), u.under.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || !(len == 0 || len == 2 || len == 4 || len == 6 || len == 9 || len == 12))
      errors.Add(base + ".under", "must be the 2, 4, 6, 9 or 12 significant digits of a code");
  }
  return errors.ToStatus();
}

Result<DispatchResult> SolveDispatch(const DispatchProblem& p) {
  QJ_RETURN_IF_ERROR(ValidateDispatch(p));
  const size_t n = p.people.size();
  const size_t m = p.villages.size();
  DispatchResult out;
  out.input_hash = assess::HashHex(InputHash(p));

  // Fit of every pair: the formula, then the problem's explicit arcs.
  out.fit.assign(n * m, 0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) out.fit[i * m + j] = Fit(p.people[i], p.villages[j], p.rules);
  }
  for (const FitArc& a : p.explicit_fits) {
    out.fit[static_cast<size_t>(a.person) * m + static_cast<size_t>(a.village)] = a.fit;
  }

  // Hard exclusions, one per pair (the first rule that names it gives the reason).
  Market& market = out.market;
  std::vector<char> excluded(n * m, 0);
  auto exclude = [&](size_t i, size_t j, std::string reason, ExclusionSource source) {
    char& flag = excluded[i * m + j];
    if (flag) return;
    flag = 1;
    market.exclusions.push_back({static_cast<int>(i), static_cast<int>(j), std::move(reason)});
    out.exclusion_source.push_back(source);
  };
  for (const Exclusion& e : p.exclusions) {
    exclude(static_cast<size_t>(e.person), static_cast<size_t>(e.village),
            e.reason.empty() ? "excluded" : e.reason, ExclusionSource::kGiven);
  }
  for (size_t i = 0; i < n; ++i) {
    const DispatchPerson& x = p.people[i];
    for (size_t j = 0; j < m; ++j) {
      const DispatchVillage& v = p.villages[j];
      if (!x.available) exclude(i, j, "not available this round", ExclusionSource::kUnavailable);
      if (p.rules.avoid_home_county && x.kind == PersonKind::kCadre && x.home_code > 0 &&
          v.code > 0 && County(x.home_code) == County(v.code)) {
        exclude(i, j, "home county", ExclusionSource::kHomeCounty);
      }
      for (const UnitKindExclusion& u : p.rules.unit_kind_exclusions) {
        if (x.unit_kind == u.unit_kind && Under(u.under, v.code)) {
          exclude(i, j,
                  u.reason.empty() ? "sending-unit kind " + u.unit_kind + " excluded" : u.reason,
                  ExclusionSource::kUnitKind);
        }
      }
    }
  }

  // Lists: as submitted, or derived from fit over the pairs no rule excludes.
  out.person_derived.assign(n, false);
  out.village_derived.assign(m, false);
  for (size_t i = 0; i < n; ++i) {
    market.person_names.push_back(p.people[i].name.empty() ? p.people[i].id : p.people[i].name);
    if (p.person_prefs[i]) {
      market.person_prefs.push_back(*p.person_prefs[i]);
      continue;
    }
    std::vector<double> row(out.fit.begin() + static_cast<std::ptrdiff_t>(i * m),
                            out.fit.begin() + static_cast<std::ptrdiff_t>((i + 1) * m));
    std::vector<bool> off(m);
    for (size_t j = 0; j < m; ++j) off[j] = excluded[i * m + j] != 0;
    market.person_prefs.push_back(DeriveRankList(row, off));
    out.person_derived[i] = true;
  }
  for (size_t j = 0; j < m; ++j) {
    market.village_names.push_back(p.villages[j].name.empty() ? p.villages[j].id
                                                              : p.villages[j].name);
    market.capacity.push_back(p.villages[j].seats);
    if (p.village_prefs[j]) {
      market.village_prefs.push_back(*p.village_prefs[j]);
      continue;
    }
    std::vector<double> column(n);
    std::vector<bool> off(n);
    for (size_t i = 0; i < n; ++i) {
      column[i] = out.fit[i * m + j];
      off[i] = excluded[i * m + j] != 0;
    }
    market.village_prefs.push_back(DeriveRankList(column, off));
    out.village_derived[j] = true;
  }

  std::vector<FitArc> arcs;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) {
      if (out.fit[i * m + j] > 0)
        arcs.push_back({static_cast<int>(i), static_cast<int>(j), out.fit[i * m + j]});
    }
  }

  // Solve; a sending unit over its cap in a township loses its lowest-fit extras there, and the
  // market is solved again. Exclusions only grow, so this ends within n x m rounds.
  const DeferredAcceptanceOptions da_options{p.proposing, p.seed};
  std::optional<OptimalResult> optimum;
  for (out.rounds = 1;; ++out.rounds) {
    QJ_ASSIGN_OR_RETURN(out.stable, DeferredAcceptance(market, da_options));
    int added = AddUnitCapExclusions(p, out.stable.village_of, out.fit, excluded, market,
                                     out.exclusion_source);
    if (p.mode == DispatchMode::kOptimal) {
      QJ_ASSIGN_OR_RETURN(optimum, OptimalFit(market, arcs));
      added += AddUnitCapExclusions(p, optimum->village_of, out.fit, excluded, market,
                                    out.exclusion_source);
    }
    if (added == 0) break;
  }

  if (p.mode == DispatchMode::kStable) {
    out.assignment = out.stable.village_of;
    out.explanations = Explain(market, out.stable);
    out.unmatched_people = out.stable.unmatched_people;
    out.open_seats = out.stable.open_seats;
  } else {
    out.assignment = optimum->village_of;
    DeferredAcceptanceResult as_optimal = out.stable;
    as_optimal.village_of = optimum->village_of;
    for (auto& seated : as_optimal.people_of) seated.clear();
    for (size_t i = 0; i < n; ++i) {
      if (out.assignment[i] >= 0)
        as_optimal.people_of[static_cast<size_t>(out.assignment[i])].push_back(static_cast<int>(i));
    }
    out.explanations = Explain(market, as_optimal);
    OptimalLeftovers(market, out.stable.strict, out.assignment, out);
    out.price = ComparePriceOfStability(arcs, out.stable.village_of, *optimum);
  }
  out.certificate = CheckStability(market, out.assignment);
  out.total_fit =
      static_cast<double>(TotalScaledFit(arcs, out.assignment)) / static_cast<double>(kFitScale);
  out.output_hash = assess::HashHex(OutputHash(out));
  return out;
}

}  // namespace qiangji::engines::match

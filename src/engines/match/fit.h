// Dispatch (双选派) as one problem: fit scores between people and villages, rank lists derived
// from fit where a side submitted none, the hard exclusions of dispatch practice, and the solve
// that ties them to deferred acceptance, the stability certificate and optimal fit.
//
// The fit of person p for village v (docs/match-solve.md §3):
//
//   skill_fit(p, v)   = sum over v's needs k of need_v[k] x level_p[k]   (level 0..1; absent 0)
//   hometown(p, v)    = local worthies only: bonus.village if p's home is v itself, else
//                       bonus.township if in v's township, else bonus.county if in v's county
//   priority_factor(v)= 1 + priority_weight x priority_v / 100           (priority 0..100)
//   fit(p, v)         = (skill_fit + hometown) x priority_factor
//
// an explicit fit arc in the problem replaces the formula for its pair. Hometown is a bonus for
// worthies (乡贤 serve their home place) and the opposite of the avoidance rule for cadres
// (任职回避: no first secretary in the home county).
//
// A rank list is derived from fit when its owner submitted none: partners with fit > 0 and no
// hard exclusion, best fit first, fits within kFitTieTolerance of a tier's first in one tier.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/dispatch.h"
#include "engines/match/deferred_acceptance.h"
#include "engines/match/explain.h"
#include "engines/match/market.h"
#include "engines/match/optimal.h"
#include "engines/match/stability.h"

namespace qiangji::engines::match {

inline constexpr double kFitTieTolerance = 1e-9;

// The work types a village may need and a person may bring (docs/match-solve.md §3).
inline constexpr const auto& kWorkTypes = domain::kWorkSkills;  // domain/dispatch.h
bool IsWorkType(std::string_view key);

enum class PersonKind { kCadre, kLocalWorthy };  // cadres avoid home; worthies prefer it

struct DispatchPerson {
  std::string id;
  std::string name;
  PersonKind kind = PersonKind::kCadre;
  std::vector<std::pair<std::string, double>> skills;  // work type -> level 0..1
  int64_t home_code = 0;  // 12-digit division code of the home place (0: unknown)
  std::string unit;       // sending unit (派出单位)
  std::string unit_kind;  // agency, state_enterprise, university, hospital, ...
  bool available = true;  // false: takes part in no pair this round
};

struct DispatchVillage {
  std::string id;
  std::string name;
  int64_t code = 0;           // 12-digit village code (0: unknown; no division rule applies)
  int64_t township_code = 0;  // default: code's first 9 digits
  int seats = 1;
  std::vector<std::pair<std::string, double>> needs;  // work type -> weight >= 0
  double priority = 0;                                // 0..100
};

struct HometownBonus {
  double village = 0.3;
  double township = 0.2;
  double county = 0.1;
};

// "Sending units of this kind send nobody to villages under this division", e.g. no
// university staff as first secretaries in one township this round.
struct UnitKindExclusion {
  std::string unit_kind;
  std::string under;  // significant digits of a division code; "" for every village
  std::string reason;
};

struct DispatchRules {
  bool avoid_home_county = true;  // cadres never go to villages in their home county
  double priority_weight = 1.0;   // 0: priority does not scale fit
  HometownBonus hometown_bonus;
  int max_per_unit_per_township = 0;  // 0: no limit
  std::vector<UnitKindExclusion> unit_kind_exclusions;
};

enum class DispatchMode { kStable, kOptimal };

struct DispatchProblem {
  DispatchMode mode = DispatchMode::kStable;
  ProposingSide proposing = ProposingSide::kPeople;
  uint64_t seed = 1;
  std::vector<DispatchPerson> people;
  std::vector<DispatchVillage> villages;
  // One per agent; nullopt: derive from fit. Indices into the other side.
  std::vector<std::optional<RankList>> person_prefs;
  std::vector<std::optional<RankList>> village_prefs;
  std::vector<FitArc> explicit_fits;  // replace the formula for their pairs
  std::vector<Exclusion> exclusions;  // given in the problem
  DispatchRules rules;
};

enum class ExclusionSource { kGiven, kUnavailable, kHomeCounty, kUnitKind, kUnitCap };
std::string_view ExclusionSourceName(ExclusionSource source);  // "given", "home_county", ...

struct DispatchResult {
  Market market;  // as solved: derived lists filled in, every exclusion added
  std::vector<ExclusionSource> exclusion_source;  // one per market.exclusions entry
  std::vector<double> fit;                        // people x villages, row-major
  std::vector<bool> person_derived;
  std::vector<bool> village_derived;
  DeferredAcceptanceResult stable;                // deferred acceptance on `market` (both modes)
  Assignment assignment;                          // the answer: stable.village_of, or the optimum
  StabilityCertificate certificate;               // of `assignment`, by the independent checker
  Explanations explanations;                      // of `assignment`
  std::vector<UnmatchedPerson> unmatched_people;  // of `assignment`
  std::vector<OpenSeats> open_seats;              // of `assignment`
  double total_fit = 0;                           // of `assignment`
  std::optional<PriceOfStability> price;          // optimal mode: stable vs optimum
  int rounds = 1;                                 // solves until no sending-unit cap was exceeded
  std::string input_hash;
  std::string output_hash;
};

// The formula above, without explicit arcs. Both must be valid (ValidateDispatch).
double Fit(const DispatchPerson& person, const DispatchVillage& village,
           const DispatchRules& rules);

// Best fit first; fits within kFitTieTolerance of a tier's first share the tier. Partners with
// fit <= 0 or flagged in `excluded` are left out (unacceptable).
RankList DeriveRankList(const std::vector<double>& fit_by_partner,
                        const std::vector<bool>& excluded);

// Field errors (people[i].skills.x, villages[j].seats, ...) for everything the solve relies on.
Status ValidateDispatch(const DispatchProblem& problem);

// Builds the market, solves it (deferred acceptance, and in optimal mode the min-cost flow too),
// and when a sending unit exceeds max_per_unit_per_township in some township, excludes its
// lowest-fit extra people from that township and solves again, until no cap is exceeded.
Result<DispatchResult> SolveDispatch(const DispatchProblem& problem);

}  // namespace qiangji::engines::match

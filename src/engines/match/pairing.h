// Enterprise pairing (企到村 and 企到企, issue 4 point 6): enterprises with capacities of two
// kinds, industries, a location and preferred areas, matched to targets (a village, or its
// collective economic organization) with industries and a priority. Pure computation; the
// formula and the flow model are docs/enterprise-pairing.md.
//
// Score of an allowed pair (e, t), every term in [0, 1] before its weight:
//   score = w_industry * overlap + w_area * proximity + w_priority * priority / 100
//   overlap   = |E ∩ T| / |T|; when T is empty (no industry could be read from the village)
//               the term is neutral, 0.5, and the pair is allowed only without
//               rules.require_industry_overlap.
//   proximity = 1 same township, 0.6 same county, 0.3 same prefecture, 0.1 same province, else
//               0; a preferred area of the enterprise that contains the village counts 1. The
//               location is compared only at the levels it has (a city-level firm is never "same
//               county").
// A pair is allowed when the enterprise is available, has capacity of the target's kind, and
// (with rules.require_industry_overlap) shares an industry with the target.
//
// Objective: cover as many targets as possible, then maximise the total score. Each target gets
// at most one enterprise; an enterprise takes at most its capacity of each kind. Solved exactly
// as a min-cost flow with LEMON's NetworkSimplex: source -> (enterprise, kind) with capacity ->
// target (capacity 1) -> sink, plus a free source -> sink bypass. A pair arc costs
// -(B + round(score * 1e6)), where B = (the largest scaled score) * (number of targets) + 1 makes
// one more covered target worth more than any difference in scores.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::match {

inline constexpr int64_t kPairingScoreScale = 1'000'000;  // scores are kept to 1e-6
inline constexpr double kNeutralOverlap = 0.5;            // overlap when the target has no industry
inline constexpr int kMaxPairingTargets = 200'000;  // keeps the flow's costs far from overflow

enum class PairingKind { kVillage, kCollective };  // 企到村 / 企到企
std::string_view PairingKindName(PairingKind k);   // "village" / "collective"

struct PairingEnterprise {
  std::string id;  // the caller's identifier, echoed in results
  std::string name;
  std::vector<std::string> industries;       // domain::kIndustries
  int64_t location_code = 0;                 // 12-digit value of any level; 0 = unknown
  std::vector<std::string> preferred_areas;  // division prefixes (2/4/6/9 digits)
  int capacity_villages = 0;                 // >= 0
  int capacity_firms = 0;                    // >= 0
  bool available = true;
};

struct PairingTarget {
  int64_t code = 0;  // the village's 12-digit code
  std::string name;
  PairingKind kind = PairingKind::kVillage;
  std::vector<std::string> industries;  // domain::kIndustries
  // For reasons: the village's own word behind an industry ("食用菌" for food_processing); an
  // industry without one (set by the county) is named alone.
  std::map<std::string, std::string> industry_sources;
  double priority = 0;         // 0..100
  std::string priority_label;  // the main need in words ("软弱涣散村"), may be empty
};

struct PairingWeights {
  double industry = 0.5;
  double area = 0.3;
  double priority = 0.2;
};

struct PairingRules {
  bool require_industry_overlap = true;
};

struct PairingProblem {
  std::vector<PairingEnterprise> enterprises;
  std::vector<PairingTarget> targets;
  PairingWeights weights;
  PairingRules rules;
  // Names of areas for reasons ("130624100" -> "龙泉关镇"), optional.
  std::map<std::string, std::string> area_names;
};

// Where an enterprise is, seen from a village (a preferred area is kept apart: PairScore).
enum class AreaRelation { kNone, kProvince, kPrefecture, kCounty, kTownship };
std::string_view AreaRelationName(AreaRelation r);  // "none", "province" ... "township"
double AreaProximity(AreaRelation r);               // 0, 0.1, 0.3, 0.6, 1
AreaRelation RelationOf(int64_t location_code, int64_t village_code);

struct PairScore {
  bool allowed = false;
  double overlap = 0;    // |E ∩ T| / |T|, or kNeutralOverlap when T is empty
  double proximity = 0;  // 0..1: 1 in a preferred area, else AreaProximity(relation)
  double priority = 0;   // priority / 100
  double score = 0;      // the weighted sum
  int64_t scaled = 0;    // round(score * kPairingScoreScale)
  AreaRelation relation = AreaRelation::kNone;  // of the enterprise's location
  std::string preferred_area;                   // the (first) preferred area containing the village
  std::vector<std::string> common;              // E ∩ T in the target's order
};

// The score of one pair and whether the rules allow it (capacity of the kind is not looked at).
PairScore ScorePair(const PairingProblem& p, const PairingEnterprise& e, const PairingTarget& t);

struct PairingPair {
  int enterprise = 0;  // index into problem.enterprises
  int target = 0;      // index into problem.targets
  PairScore score;
  std::vector<std::string> reasons;  // zh-CN: industry, area, priority
};

enum class UnpairedReason {
  kNoEnterprise,     // no available enterprise has capacity of this kind
  kNoIndustry,       // the target has no industry and the rules require overlap
  kNoIndustryMatch,  // no enterprise with capacity shares an industry
  kCapacityUsed,     // every enterprise it could have had is full with other targets
};
std::string_view UnpairedReasonName(UnpairedReason r);  // "no_enterprise" ...

struct PairingUnpaired {
  int target = 0;
  UnpairedReason reason = UnpairedReason::kNoEnterprise;
  std::vector<int> candidates;  // kCapacityUsed: the enterprises it was allowed with
  std::string text;             // zh-CN
};

struct EnterpriseUse {
  int villages = 0;  // targets of kind village paired with it
  int firms = 0;     // targets of kind collective
};

struct PairingResult {
  std::vector<PairingPair> pairs;         // by target index
  std::vector<PairingUnpaired> unpaired;  // by target index
  std::vector<EnterpriseUse> use;         // one per enterprise
  int64_t allowed_pairs = 0;              // arcs in the flow
  int64_t covered = 0;
  double total_score = 0;               // sum of the pairs' scores
  int64_t total_scaled = 0;             // sum of their scaled scores (exact)
  std::string input_hash, output_hash;  // 16 hex digits each (FNV-1a, as the other engines)
};

// Field errors (enterprises[i].*, targets[j].*, weights.*) for a negative capacity, an unknown
// industry, a priority outside 0..100, a weight outside 0..1 or all weights 0, a repeated
// target (same code and kind), or more than kMaxPairingTargets targets.
Status ValidatePairingProblem(const PairingProblem& p);

Result<PairingResult> SolvePairing(const PairingProblem& p);

}  // namespace qiangji::engines::match

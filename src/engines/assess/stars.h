// Star bands and classes. Bands come from absolute score thresholds or from quotas (the top 10%
// get five stars...). At a quota cut every village tied with the last one inside a band gets
// that (higher) band, so a band can hold more than its quota but never splits equal scores.
// Ties are exact equality of the computed score, which Score reproduces bit for bit. Vetoes
// (一票否决) then cap the star; classes follow from the star and from weak-and-lax triggers.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace qiangji::engines::assess {

enum class BandMethod { kThresholds, kQuotas };

struct StarBands {
  BandMethod method = BandMethod::kThresholds;
  // kThresholds: ascending minimum scores for 2, 3, ... stars; below the first is 1 star.
  // {60, 70, 80, 90} gives 1 to 5 stars, and a score of exactly 80 is 4 stars.
  std::vector<double> thresholds;
  // kQuotas: shares of all villages for the top band downwards, e.g. {0.10, 0.20, 0.40, 0.20}
  // for 5, 4, 3, 2 stars; the rest get 1 star. The cumulative count of band b is
  // floor(cumulative share x N), then widened by the tie rule.
  std::vector<double> top_shares;
};

int MaxStars(const StarBands& bands);  // 1 + thresholds or shares

Status ValidateBands(const StarBands& bands);

// The minimum score of each band from 2 stars up (index 0 = 2 stars); +infinity for an empty
// quota band. For quotas, reaching a cut is enough: the tie rule then gives the higher band.
Result<std::vector<double>> BandCuts(std::span<const double> scores, const StarBands& bands);

// Band stars (1..MaxStars) of each score, in input order.
Result<std::vector<int>> BandStars(std::span<const double> scores, const StarBands& bands);

enum class RatingClass { kModel, kOrdinary, kWeakLax };
std::string_view RatingClassKey(RatingClass c);  // "model", "ordinary", "weak_lax"

// A veto rule that fired for a village; the star is capped at `max_stars`.
struct Veto {
  std::string rule;
  int max_stars = 1;
};

// A weak-and-lax criterion that fired, with the evidence that shows it.
struct WeakLaxTrigger {
  std::string rule;
  std::string evidence;
};

struct VillageFlags {
  std::vector<Veto> vetoes;
  std::vector<WeakLaxTrigger> weak_lax;
};

struct ClassRules {
  int model_min_stars = 5;     // model needs this star or more, no veto and no weak-lax trigger
  int weak_lax_max_stars = 0;  // this star or fewer is weak-and-lax by itself; 0 = never
};

struct Rating {
  int band_stars = 0;                  // from the score alone
  int stars = 0;                       // after vetoes
  std::vector<std::string> capped_by;  // the veto rules that lowered the star
  RatingClass rating_class = RatingClass::kOrdinary;
};

// `flags` is empty (no vetoes or triggers) or one per score.
Result<std::vector<Rating>> Rate(std::span<const double> scores, const StarBands& bands,
                                 std::span<const VillageFlags> flags, const ClassRules& rules);

}  // namespace qiangji::engines::assess

#include "engines/assess/tiers.h"

#include <algorithm>

namespace qiangji::engines::assess {

std::optional<Warning> WarnAgainstPrevious(double previous_score, int previous_stars, double score,
                                           int stars, const WarningRule& rule) {
  Warning w;
  w.points_lost = previous_score - score;
  w.stars_lost = previous_stars - stars;
  w.by_score = rule.score_drop > 0 && w.points_lost >= rule.score_drop;
  w.by_star = rule.star_drop > 0 && w.stars_lost >= rule.star_drop;
  if (!w.by_score && !w.by_star) return std::nullopt;
  return w;
}

BothEnds SplitBothEnds(std::span<const double> scores, std::span<const Rating> ratings,
                       std::span<const double> cuts) {
  BothEnds out;
  int best = 0;
  for (const Rating& r : ratings) best = std::max(best, r.stars);
  for (size_t i = 0; i < ratings.size(); ++i) {
    const Rating& r = ratings[i];
    if (r.rating_class == RatingClass::kWeakLax || r.stars <= 1) {
      out.bottom.push_back(i);
    } else if (r.rating_class == RatingClass::kModel || r.stars == best) {
      out.top.push_back(i);
    } else {
      // cuts[0] is the 2-star minimum, so the next star after `stars` is cuts[stars - 1]. A
      // village held down by a veto is already past that cut: distance 0, the veto is the gap.
      const size_t next = static_cast<size_t>(r.stars) - 1;
      const double distance = next < cuts.size() ? cuts[next] - scores[i] : 0;
      out.middle.push_back({i, distance > 0 ? distance : 0});
    }
  }
  std::stable_sort(out.middle.begin(), out.middle.end(),
                   [](const MiddleVillage& a, const MiddleVillage& b) {
                     return a.points_to_next_star < b.points_to_next_star;
                   });
  return out;
}

}  // namespace qiangji::engines::assess

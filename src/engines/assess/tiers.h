// Early warning against the previous period and the "both ends" view (抓两头、带中间): who is at
// the top, who at the bottom, and how far each village in the middle is from its next star.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "engines/assess/stars.h"

namespace qiangji::engines::assess {

struct WarningRule {
  double score_drop = 10;  // warn when the score falls by at least this many points; 0 = off
  int star_drop = 1;       // warn when the star falls by at least this many stars; 0 = off
};

struct Warning {
  double points_lost = 0;  // previous score - score
  int stars_lost = 0;      // previous stars - stars
  bool by_score = false;
  bool by_star = false;
};

// A warning when either rule fires; nothing when the village held or improved.
std::optional<Warning> WarnAgainstPrevious(double previous_score, int previous_stars, double score,
                                           int stars, const WarningRule& rule);

struct MiddleVillage {
  size_t index = 0;
  double points_to_next_star = 0;  // next band's cut minus the score
};

struct BothEnds {
  std::vector<size_t> top;            // model class, or the highest star reached in the group
  std::vector<size_t> bottom;         // weak-and-lax class, or one star
  std::vector<MiddleVillage> middle;  // the rest, nearest to their next star first
};

// `scores` and `ratings` of one group (township or county), `cuts` from BandCuts on the same
// scores. Indices are into the inputs; ties in distance keep input order.
BothEnds SplitBothEnds(std::span<const double> scores, std::span<const Rating> ratings,
                       std::span<const double> cuts);

}  // namespace qiangji::engines::assess

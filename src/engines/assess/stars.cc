#include "engines/assess/stars.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace qiangji::engines::assess {

int MaxStars(const StarBands& bands) {
  return 1 + static_cast<int>(bands.method == BandMethod::kThresholds ? bands.thresholds.size()
                                                                      : bands.top_shares.size());
}

Status ValidateBands(const StarBands& bands) {
  FieldErrors errors;
  if (bands.method == BandMethod::kThresholds) {
    for (size_t b = 0; b < bands.thresholds.size(); ++b) {
      if (!std::isfinite(bands.thresholds[b])) {
        errors.Add(fmt::format("thresholds[{}]", b), "must be a number");
      } else if (b > 0 && !(bands.thresholds[b] > bands.thresholds[b - 1])) {
        errors.Add(fmt::format("thresholds[{}]", b), "thresholds must rise strictly");
      }
    }
  } else {
    double total = 0;
    for (size_t b = 0; b < bands.top_shares.size(); ++b) {
      const double s = bands.top_shares[b];
      if (!std::isfinite(s) || s < 0) {
        errors.Add(fmt::format("top_shares[{}]", b), "must be a non-negative share");
      } else {
        total += s;
      }
    }
    if (total > 1 + 1e-9)
      errors.Add("top_shares", fmt::format("shares add up to {}, over 1", total));
  }
  return errors.ToStatus();
}

Result<std::vector<double>> BandCuts(std::span<const double> scores, const StarBands& bands) {
  QJ_RETURN_IF_ERROR(ValidateBands(bands));
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!std::isfinite(scores[i])) {
      return Status::InvalidField(fmt::format("scores[{}]", i), "must be a finite number");
    }
  }
  // Minimum score of each band from 2 stars up; a band nobody reaches has +infinity.
  std::vector<double> cuts;
  if (bands.method == BandMethod::kThresholds) {
    cuts = bands.thresholds;
  } else {
    std::vector<double> sorted(scores.begin(), scores.end());
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const size_t n = sorted.size();
    const size_t bands_above_one = bands.top_shares.size();
    cuts.assign(bands_above_one, std::numeric_limits<double>::infinity());
    double cumulative = 0;
    for (size_t b = 0; b < bands_above_one; ++b) {  // b = 0 is the top band
      cumulative += bands.top_shares[b];
      // The epsilon keeps 0.29 * 100 = 28.999999999999996 from losing a village.
      const auto count = static_cast<size_t>(std::floor(cumulative * n + 1e-9));
      if (count > 0) cuts[bands_above_one - 1 - b] = sorted[std::min(count, n) - 1];
    }
  }
  return cuts;
}

Result<std::vector<int>> BandStars(std::span<const double> scores, const StarBands& bands) {
  QJ_ASSIGN_OR_RETURN(const std::vector<double> cuts, BandCuts(scores, bands));
  std::vector<int> stars(scores.size(), 1);
  for (size_t i = 0; i < scores.size(); ++i) {
    for (size_t b = cuts.size(); b-- > 0;) {
      if (scores[i] >= cuts[b]) {
        stars[i] = static_cast<int>(b) + 2;
        break;
      }
    }
  }
  return stars;
}

std::string_view RatingClassKey(RatingClass c) {
  switch (c) {
    case RatingClass::kModel:
      return "model";
    case RatingClass::kOrdinary:
      return "ordinary";
    case RatingClass::kWeakLax:
      return "weak_lax";
  }
  return "ordinary";
}

Result<std::vector<Rating>> Rate(std::span<const double> scores, const StarBands& bands,
                                 std::span<const VillageFlags> flags, const ClassRules& rules) {
  if (!flags.empty() && flags.size() != scores.size()) {
    return Status::InvalidField("flags",
                                fmt::format("{} flags for {} scores", flags.size(), scores.size()));
  }
  QJ_ASSIGN_OR_RETURN(std::vector<int> band, BandStars(scores, bands));
  std::vector<Rating> out(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    Rating& r = out[i];
    r.band_stars = r.stars = band[i];
    const VillageFlags* f = flags.empty() ? nullptr : &flags[i];
    bool vetoed = false;
    if (f) {
      for (const Veto& v : f->vetoes) {
        vetoed = true;
        if (v.max_stars < band[i]) {
          r.capped_by.push_back(v.rule);
          r.stars = std::min(r.stars, std::max(1, v.max_stars));
        }
      }
    }
    const bool triggered = f && !f->weak_lax.empty();
    if (triggered || r.stars <= rules.weak_lax_max_stars) {
      r.rating_class = RatingClass::kWeakLax;
    } else if (r.stars >= rules.model_min_stars && !vetoed) {
      r.rating_class = RatingClass::kModel;
    }
  }
  return out;
}

}  // namespace qiangji::engines::assess

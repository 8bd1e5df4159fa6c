#include "engines/cultivation/coverage.h"

namespace qiangji::engines::cultivation {

bool MetRequirement(const CadreHours& c) { return c.hours + 1e-9 >= c.required; }

CoverageCounts ComputeCoverage(std::span<const CadreHours> cadres) {
  CoverageCounts out;
  for (const CadreHours& c : cadres) {
    ++out.cadres;
    out.hours += c.hours;
    out.trained += c.hours > 0;
    out.met += MetRequirement(c);
  }
  if (out.cadres > 0) {
    out.coverage = static_cast<double>(out.trained) / static_cast<double>(out.cadres);
    out.met_share = static_cast<double>(out.met) / static_cast<double>(out.cadres);
  }
  return out;
}

}  // namespace qiangji::engines::cultivation

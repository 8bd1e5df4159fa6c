// Training coverage arithmetic: cadres, how many were trained at all in the year, how many met
// the annual hours they are required to do, and the shares. Pure.
#pragma once

#include <cstdint>
#include <span>

namespace qiangji::engines::cultivation {

struct CadreHours {
  double hours = 0;     // credited in the year
  double required = 0;  // the annual requirement for the cadre's village
};

struct CoverageCounts {
  int64_t cadres = 0;
  int64_t trained = 0;  // hours > 0
  int64_t met = 0;      // hours >= required (a requirement of 0 is met by everyone)
  double hours = 0;
  double coverage = 0;   // trained / cadres, 0 when there are no cadres
  double met_share = 0;  // met / cadres
};

CoverageCounts ComputeCoverage(std::span<const CadreHours> cadres);
// Whether one cadre met the requirement (with a tolerance for sums of halves).
bool MetRequirement(const CadreHours& c);

}  // namespace qiangji::engines::cultivation

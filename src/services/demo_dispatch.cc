// Writes the demo cadre pool through the pool's own insert path (validated, encrypted, hashed
// and audited as an import by staff would be): the synthetic cadres, and beside them the county's
// local worthies (乡贤), natives of its villages who may advise their hometowns.
#include "services/demo_dispatch.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "engines/demo/dispatch_synth.h"
#include "engines/demo/synth.h"
#include "engines/rng.h"
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

// ---- local worthies (乡贤) ----
//
// Who a county's worthies are, from county practice: natives who built firms elsewhere (farm
// produce, construction, e-commerce, finance), lawyers, and the retired — teachers, doctors and
// cadres, many of whom came back to live at home — plus shopkeepers and co-op leaders who never
// left. Each brings the work types of his line. Home is always a village of the county (his
// hometown); residence is where he lives now. All names and ID numbers are made up.

enum class Lives { kAway, kCity, kCountyTown, kHomeTownship };

struct WorthyProfile {
  std::string_view unit;       // fmt pattern: {place} city or county short name, {brand}, {n}
  std::string_view unit_kind;  // kUnitKinds
  std::array<std::string_view, 3> skills;  // the first is his main line
  int age_lo, age_hi;
  Lives lives;
  std::string_view note;
  int weight;
};

// clang-format off
constexpr WorthyProfile kWorthyProfiles[] = {
    {"{place}{brand}农业科技有限公司", "private_enterprise", {"industry", "agronomy", "finance"}, 40, 60,
     Lives::kAway, "在外创办农产品加工企业，愿带项目和订单回乡", 5},
    {"{place}{brand}电子商务有限公司", "private_enterprise", {"e_commerce", "industry"}, 28, 42,
     Lives::kAway, "经营电商公司，熟悉农产品网络销售和直播带货", 4},
    {"{place}{brand}建筑工程有限公司", "private_enterprise", {"planning_construction", "industry"}, 40, 58,
     Lives::kAway, "从事建筑施工二十余年，熟悉村内道路和房屋建设", 3},
    {"{place}{brand}投资管理有限公司", "private_enterprise", {"finance", "industry"}, 35, 52,
     Lives::kAway, "从事金融投资，可为村集体经济项目把关", 2},
    {"{place}{brand}律师事务所", "other", {"law_petitions", "governance"}, 35, 55,
     Lives::kAway, "执业律师，常年为家乡群众免费提供法律咨询", 2},
    {"{place}{brand}电商服务部", "self_employed", {"e_commerce", "agronomy"}, 26, 38,
     Lives::kCountyTown, "返乡创业，开网店销售家乡小杂粮和干果", 3},
    {"{place}{brand}农资店", "self_employed", {"agronomy", "industry"}, 35, 55,
     Lives::kHomeTownship, "经营农资二十年，懂种植技术", 2},
    {"{place}{brand}种养专业合作社", "other", {"agronomy", "industry", "finance"}, 38, 58,
     Lives::kHomeTownship, "合作社理事长，带动周边农户种植食用菌", 3},
    {"原{place}第{n}中学（已退休）", "other", {"education", "party_building", "governance"}, 60, 72,
     Lives::kCountyTown, "退休教师，热心村里的教育和乡风文明建设", 3},
    {"原{place}第{n}医院（已退休）", "other", {"health"}, 60, 72,
     Lives::kCity, "退休医生，每月回村义诊", 2},
    {"原{place}农业农村局（已退休）", "other", {"party_building", "governance", "agronomy"}, 60, 70,
     Lives::kHomeTownship, "退休干部，回村居住，常为村里调解纠纷、出谋划策", 3},
};
// clang-format on

struct Away {
  std::string_view residence;  // at most 40 characters
  std::string_view place;      // for firm names
};
constexpr Away kAwayPlaces[] = {
    {"北京市朝阳区", "北京"},     {"北京市海淀区", "北京"}, {"天津市滨海新区", "天津"},
    {"河北省石家庄市", "石家庄"}, {"广东省深圳市", "深圳"}, {"浙江省杭州市", "杭州"},
    {"上海市浦东新区", "上海"},   {"河北省廊坊市", "廊坊"},
};

constexpr std::array<std::string_view, 16> kBrands = {
    "恒泰", "鑫源", "润丰", "华禾", "聚福", "太行", "山里红", "福源",
    "兴农", "绿野", "金穗", "嘉禾", "宏达", "众诚", "盛泰",   "康源",
};
constexpr std::array<std::string_view, 20> kWorthySurnames = {
    "王", "李", "张", "刘", "赵", "杨", "陈", "高", "孙", "郭",
    "马", "贾", "韩", "田", "梁", "宋", "郑", "冯", "董", "崔",
};
constexpr std::array<std::string_view, 16> kWorthyMale = {
    "建军", "志强", "海涛", "立新", "国庆", "卫东", "永刚", "春生",
    "振华", "宏伟", "庆丰", "学文", "浩然", "子豪", "家乐", "明辉",
};
constexpr std::array<std::string_view, 12> kWorthyFemale = {
    "丽娟", "红霞", "秀英", "美玲", "艳萍", "慧敏", "晓燕", "雅静", "欣怡", "梦琪", "佳慧", "雨桐",
};
constexpr std::array<std::string_view, 6> kWorthyPhoneBlocks = {"136", "137", "158",
                                                                "159", "182", "185"};

constexpr size_t kDemoWorthies = 30;

// Strips a trailing "市" from a city's name ("保定市" -> "保定") for firm names.
std::string ShortCity(std::string name) {
  if (name.size() > 3 && name.substr(name.size() - 3) == "市") name.resize(name.size() - 3);
  return name;
}

// `kDemoWorthies` worthies whose hometowns are villagers' committees of the county, drawn so
// that no village has more than two; ID numbers distinct from `taken` (the cadres').
std::vector<domain::Cadre> SynthesizeWorthies(std::span<const domain::Division> divisions,
                                              int64_t county_code, const std::string& county_name,
                                              const std::string& city_name, uint64_t seed,
                                              const Date& today, std::set<std::string> taken) {
  engines::Rng rng(engines::MixSeed(seed, 0x7869616e677869ULL));  // "xiangxi"
  std::map<int64_t, std::string> townships;
  std::vector<const domain::Division*> villages;
  for (const domain::Division& d : divisions) {
    if (d.level == DivisionLevel::kTownship) townships[d.code] = d.name;
    if (d.level == DivisionLevel::kVillage && d.code % 1000 >= 200 && d.code % 1000 <= 399)
      villages.push_back(&d);
  }
  if (villages.empty()) return {};
  const std::string county6 = fmt::format("{:06d}", county_code / 1'000'000);
  const std::string county_short = engines::demo::PlaceShortName(county_name);
  const std::string city_short = ShortCity(city_name);
  std::vector<int> weights;
  for (const WorthyProfile& p : kWorthyProfiles) weights.push_back(p.weight);
  std::map<int64_t, int> per_village;
  std::set<std::string> phones;
  std::set<std::string> names;
  std::vector<domain::Cadre> out;
  for (size_t i = 0; i < kDemoWorthies; ++i) {
    const WorthyProfile& profile = kWorthyProfiles[rng.Pick(weights)];
    domain::Cadre c;
    c.kind = "worthy";
    c.county_code = county_code;
    const domain::Division* home = villages[rng.Below(villages.size())];
    for (int tries = 0; per_village[home->code] >= 2 && tries < 20; ++tries)
      home = villages[rng.Below(villages.size())];
    ++per_village[home->code];
    c.home_code = home->code;

    std::string place;
    switch (profile.lives) {
      case Lives::kAway: {
        const Away& away = kAwayPlaces[rng.Below(std::size(kAwayPlaces))];
        c.residence = std::string(away.residence);
        place = std::string(away.place);
        break;
      }
      case Lives::kCity:
        c.residence = city_name.empty() ? county_name + "城区" : city_name;
        place = city_short.empty() ? county_short : city_short;
        break;
      case Lives::kCountyTown:
        c.residence = county_name + "城区";
        place = county_name;
        break;
      case Lives::kHomeTownship: {
        auto t = townships.find(home->parent_code);
        c.residence = county_name + (t == townships.end() ? std::string() : t->second);
        place = county_name;
        break;
      }
    }
    // Retired cadres served the city (or the county when there is none).
    if (profile.unit.find("农业农村局") != std::string_view::npos)
      place = city_name.empty() ? county_name : city_name;
    if (profile.unit.find("中学") != std::string_view::npos) place = county_name;
    c.sending_unit = fmt::format(fmt::runtime(profile.unit), fmt::arg("place", place),
                                 fmt::arg("brand", kBrands[rng.Below(kBrands.size())]),
                                 fmt::arg("n", rng.Between(1, 3)));
    c.unit_kind = std::string(profile.unit_kind);

    const bool female = rng.Permille(250);
    c.sex = female ? domain::Sex::kFemale : domain::Sex::kMale;
    const int age = static_cast<int>(rng.Between(profile.age_lo, profile.age_hi));
    const Date birth = today.AddDays(-(age * 365 + static_cast<int>(rng.Between(30, 330))));
    c.birth_date = birth;
    // Thirty people of one county: no two share a name.
    do {
      c.name = std::string(kWorthySurnames[rng.Below(kWorthySurnames.size())]) +
               std::string(female ? kWorthyFemale[rng.Below(kWorthyFemale.size())]
                                  : kWorthyMale[rng.Below(kWorthyMale.size())]);
    } while (!names.insert(c.name).second);
    // Born in the county: its code heads the ID number.
    for (;;) {
      const int seq = female ? static_cast<int>(rng.Between(1, 499)) * 2
                             : static_cast<int>(rng.Between(0, 499)) * 2 + 1;
      std::string id = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", county6, birth.year(),
                                   birth.month(), birth.day(), seq);
      id += engines::demo::IdCheckCharacter(id);
      if (taken.insert(id).second) {
        c.id_number = std::move(id);
        break;
      }
    }
    if (rng.Permille(850)) {
      for (;;) {
        std::string phone =
            fmt::format("{}0002{:04d}", kWorthyPhoneBlocks[rng.Below(kWorthyPhoneBlocks.size())],
                        rng.Below(10000));
        if (phones.insert(phone).second) {
          c.phone = std::move(phone);
          break;
        }
      }
    }
    c.skills.emplace_back(profile.skills[0]);
    for (size_t k = 1; k < profile.skills.size(); ++k)
      if (!profile.skills[k].empty() && rng.Permille(550)) c.skills.emplace_back(profile.skills[k]);
    if (rng.Permille(150) &&
        std::find(c.skills.begin(), c.skills.end(), "party_building") == c.skills.end())
      c.skills.emplace_back("party_building");
    c.term_months = rng.Permille(300) ? 36 : 24;
    c.available = !rng.Permille(80);
    c.note = c.available ? std::string(profile.note) : "近期在外地忙于企业经营，本年度暂不担任顾问";
    out.push_back(std::move(c));
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
    report.cadres = static_cast<int64_t>(cadres.size());
    std::set<std::string> taken;
    for (const domain::Cadre& c : cadres) taken.insert(c.id_number);
    std::vector<domain::Cadre> worthies =
        SynthesizeWorthies(divisions, options.county_code, options.county_name, options.city_name,
                           seed, today, std::move(taken));
    report.worthies = static_cast<int64_t>(worthies.size());
    // One import of the whole pool: cadres and worthies under one audit row.
    std::move(worthies.begin(), worthies.end(), std::back_inserter(cadres));
    QJ_RETURN_IF_ERROR(
        internal::InsertCadres(db, Caller::System(), secrets, cadres, "cadre.import", "demo"));
    return Status::Ok();
  });
}

}  // namespace qiangji::services

// The demo cadre pool. Sending units follow county practice for first secretaries: most come
// from city and county Party and government agencies, the rest from public institutions, state
// enterprises, a university, a hospital and banks; each unit brings the work types it is known
// for (a finance bureau: finance; an agricultural university: agronomy, industry, e-commerce),
// and many cadres add party building. County-agency cadres live in the county, as do a few
// natives working in the city: about a quarter of the pool, whom the home-county avoidance rule
// keeps out of the county's villages.
#include "engines/demo/dispatch_synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "engines/demo/synth.h"
#include "engines/rng.h"

namespace qiangji::engines::demo {
namespace {

enum class Level { kCity, kCounty, kFixed };

struct Unit {
  Level level;
  std::string_view name;     // appended to the city's or county's name unless kFixed
  std::string_view generic;  // kFixed units outside 保定: appended to the city's short name
  std::string_view kind;
  std::array<std::string_view, 3> skills;  // the first is the unit's main line of work
  int weight;                              // how many cadres it sends, relatively
};

// clang-format off
constexpr Unit kUnits[] = {
    {Level::kCity, "委组织部", "", "party_agency", {"party_building"}, 3},
    {Level::kCity, "委宣传部", "", "party_agency", {"party_building", "e_commerce"}, 2},
    {Level::kCity, "发展和改革委员会", "", "party_agency", {"industry", "finance"}, 3},
    {Level::kCity, "财政局", "", "party_agency", {"finance", "party_building"}, 4},
    {Level::kCity, "农业农村局", "", "party_agency", {"agronomy", "industry"}, 6},
    {Level::kCity, "住房和城乡建设局", "", "party_agency", {"planning_construction"}, 3},
    {Level::kCity, "自然资源和规划局", "", "party_agency", {"planning_construction", "agronomy"}, 3},
    {Level::kCity, "水利局", "", "party_agency", {"planning_construction", "agronomy"}, 2},
    {Level::kCity, "司法局", "", "party_agency", {"law_petitions"}, 3},
    {Level::kCity, "信访局", "", "party_agency", {"law_petitions", "party_building"}, 2},
    {Level::kCity, "商务局", "", "party_agency", {"e_commerce", "industry"}, 3},
    {Level::kCity, "人力资源和社会保障局", "", "party_agency", {"industry", "party_building"}, 2},
    {Level::kCity, "卫生健康委员会", "", "party_agency", {"health"}, 2},
    {Level::kCity, "教育局", "", "party_agency", {"education", "party_building"}, 2},
    {Level::kCity, "农业科学院", "", "public_institution", {"agronomy", "industry"}, 4},
    {Level::kCounty, "委组织部", "", "party_agency", {"party_building"}, 2},
    {Level::kCounty, "农业农村局", "", "party_agency", {"agronomy", "industry"}, 3},
    {Level::kCounty, "财政局", "", "party_agency", {"finance"}, 2},
    {Level::kCounty, "司法局", "", "party_agency", {"law_petitions"}, 2},
    {Level::kCounty, "住房和城乡建设局", "", "party_agency", {"planning_construction"}, 1},
    {Level::kCounty, "农业技术推广中心", "", "public_institution", {"agronomy"}, 2},
    {Level::kCounty, "医院", "", "hospital", {"health"}, 1},
    {Level::kFixed, "国网保定供电公司", "供电公司", "state_enterprise", {"planning_construction", "industry"}, 3},
    {Level::kFixed, "中国移动保定分公司", "移动分公司", "state_enterprise", {"e_commerce"}, 2},
    {Level::kFixed, "中国邮政保定市分公司", "邮政分公司", "state_enterprise", {"e_commerce", "finance"}, 2},
    {Level::kFixed, "河北农业大学", "农业职业技术学院", "university", {"agronomy", "industry", "e_commerce"}, 5},
    {Level::kFixed, "河北大学", "学院", "university", {"law_petitions", "finance", "education"}, 3},
    {Level::kFixed, "保定市第一中心医院", "第一医院", "hospital", {"health"}, 2},
    {Level::kFixed, "中国农业银行保定分行", "农业银行分行", "financial", {"finance", "industry"}, 3},
    {Level::kFixed, "保定银行", "银行", "financial", {"finance"}, 2},
    {Level::kFixed, "中国农业发展银行保定市分行", "农业发展银行分行", "financial", {"finance", "industry"}, 2},
};
// clang-format on

constexpr std::array<std::string_view, 24> kSurnames = {
    "王", "李", "张", "刘", "赵", "杨", "陈", "高", "孙", "郭", "马", "贾",
    "韩", "田", "梁", "宋", "郑", "冯", "董", "崔", "闫", "孟", "周", "胡",
};
// Given names of two cohorts (born before 1985, and later), one character each.
constexpr std::array<std::string_view, 16> kMaleFirst[] = {
    {"建", "志", "海", "立", "晓", "国", "卫", "新", "永", "春", "俊", "彦", "振", "宏", "庆",
     "学"},
    {"子", "浩", "俊", "宇", "志", "嘉", "家", "明", "晨", "天", "博", "文", "一", "思", "泽",
     "鹏"},
};
constexpr std::array<std::string_view, 16> kMaleSecond[] = {
    {"军", "伟", "强", "刚", "勇", "涛", "辉", "峰", "明", "平", "东", "斌", "杰", "磊", "兵",
     "超"},
    {"轩", "宇", "豪", "杰", "博", "然", "阳", "鹏", "航", "泽", "浩", "磊", "鑫", "帅", "龙",
     "凯"},
};
constexpr std::array<std::string_view, 16> kFemaleFirst[] = {
    {"丽", "红", "晓", "海", "春", "艳", "秀", "小", "美", "燕", "亚", "雅", "彩", "利", "慧",
     "文"},
    {"欣", "梦", "思", "雨", "佳", "子", "诗", "晓", "雅", "婉", "紫", "若", "一", "可", "梓",
     "语"},
};
constexpr std::array<std::string_view, 16> kFemaleSecond[] = {
    {"娟", "红", "霞", "敏", "燕", "萍", "丽", "芳", "静", "梅", "华", "艳", "玲", "青", "莉",
     "云"},
    {"怡", "琪", "涵", "萱", "雪", "瑶", "彤", "悦", "颖", "璇", "然", "婷", "静", "娜", "倩",
     "欣"},
};

// A note a cadre of this main skill might carry.
std::string_view NoteFor(std::string_view skill) {
  if (skill == "party_building") return "曾任乡镇党委副书记，熟悉基层党组织建设";
  if (skill == "industry") return "参与过县域特色产业规划";
  if (skill == "agronomy") return "农业技术推广研究员，擅长食用菌和林果栽培";
  if (skill == "law_petitions") return "具有法律职业资格，做过信访接待工作";
  if (skill == "planning_construction") return "参与过美丽乡村建设项目";
  if (skill == "finance") return "熟悉村级集体经济财务和惠农金融产品";
  if (skill == "e_commerce") return "组织过农产品电商直播带货培训";
  return "有医疗卫生或教育帮扶经历";
}

constexpr std::array<std::string_view, 8> kPhoneBlocks = {"133", "135", "138", "139",
                                                          "150", "152", "187", "189"};

std::string UnitName(const Unit& u, const CadrePoolOptions& o, std::string_view city_short) {
  switch (u.level) {
    case Level::kCity:
      return o.city_name + std::string(u.name);
    case Level::kCounty:
      return o.county_name + std::string(u.name);
    case Level::kFixed:
      break;
  }
  // The named 保定 units are real places of work; elsewhere a generic one of the same kind.
  if (o.city_name == "保定市") return std::string(u.name);
  return std::string(city_short) + std::string(u.generic);
}

}  // namespace

size_t CadrePoolSize(size_t needing) {
  // About 71% of the pool lives outside the county and is available (3/4 x 19/20).
  const size_t covering =
      static_cast<size_t>(std::ceil(static_cast<double>(needing) * 1.25 / 0.71));
  return std::max<size_t>(60, covering);
}

std::vector<domain::Cadre> SynthesizeCadrePool(const CadrePoolOptions& o) {
  Rng rng(MixSeed(o.seed, 0x6361647265ULL));  // "cadre"
  std::string city_short = o.city_name;
  if (city_short.size() > 3 && city_short.substr(city_short.size() - 3) == "市")
    city_short.resize(city_short.size() - 3);
  const std::string county6 = fmt::format("{:06d}", o.county_code / 1'000'000);
  const int64_t prefecture = o.county_code / 100'000'000 * 100'000'000;
  std::vector<int> weights;
  for (const Unit& u : kUnits) weights.push_back(u.weight);

  std::set<std::string> ids;
  std::set<std::string> phones;
  std::vector<domain::Cadre> out;
  out.reserve(o.size);
  for (size_t i = 0; i < o.size; ++i) {
    const Unit& unit = kUnits[rng.Pick(weights)];
    domain::Cadre c;
    c.county_code = o.county_code;
    c.sending_unit = UnitName(unit, o, city_short);
    c.unit_kind = std::string(unit.kind);

    // Home: county-agency staff live in the county, and one in ten of the others are natives.
    const bool inside = unit.level == Level::kCounty || rng.Permille(100);
    if (inside) {
      c.home_code =
          o.inside_homes.empty() ? o.county_code : o.inside_homes[rng.Below(o.inside_homes.size())];
    } else {
      c.home_code =
          o.outside_homes.empty() ? prefecture : o.outside_homes[rng.Below(o.outside_homes.size())];
    }
    // Registered at birth in the home county (a prefecture-level home: its city districts).
    const std::string region = inside ? county6
                               : c.home_code % 100'000'000 == 0
                                   ? fmt::format("{:04d}02", c.home_code / 100'000'000)
                                   : fmt::format("{:06d}", c.home_code / 1'000'000);

    const bool female = rng.Permille(300);
    c.sex = female ? domain::Sex::kFemale : domain::Sex::kMale;
    const int age = static_cast<int>(rng.Between(27, 54));
    const Date birth = o.today.AddDays(-(age * 365 + static_cast<int>(rng.Between(30, 330))));
    c.birth_date = birth;
    const int cohort = birth.year() < 1985 ? 0 : 1;
    c.name = std::string(kSurnames[rng.Below(kSurnames.size())]);
    const auto& first = (female ? kFemaleFirst : kMaleFirst)[cohort];
    const auto& second = (female ? kFemaleSecond : kMaleSecond)[cohort];
    if (!rng.Permille(150)) c.name += first[rng.Below(first.size())];
    c.name += second[rng.Below(second.size())];

    for (;;) {
      const int seq = female ? static_cast<int>(rng.Between(1, 499)) * 2
                             : static_cast<int>(rng.Between(0, 499)) * 2 + 1;
      std::string id = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", region, birth.year(),
                                   birth.month(), birth.day(), seq);
      id += IdCheckCharacter(id);
      if (ids.insert(id).second) {
        c.id_number = std::move(id);
        break;
      }
    }
    if (rng.Permille(900)) {
      for (;;) {
        std::string phone = fmt::format(
            "{}0001{:04d}", kPhoneBlocks[rng.Below(kPhoneBlocks.size())], rng.Below(10000));
        if (phones.insert(phone).second) {
          c.phone = std::move(phone);
          break;
        }
      }
    }

    // Skills: the unit's main line (usually its first), sometimes its others, often party
    // building, now and then one more; at most four.
    size_t n_unit = 0;
    while (n_unit < unit.skills.size() && !unit.skills[n_unit].empty()) ++n_unit;
    const size_t main = n_unit > 1 && rng.Permille(300) ? 1 + rng.Below(n_unit - 1) : 0;
    const auto add = [&](std::string_view s) {
      if (c.skills.size() < 4 && std::find(c.skills.begin(), c.skills.end(), s) == c.skills.end())
        c.skills.emplace_back(s);
    };
    add(unit.skills[main]);
    for (size_t k = 0; k < n_unit; ++k)
      if (k != main && rng.Permille(500)) add(unit.skills[k]);
    if (rng.Permille(unit.kind == "party_agency" ? 550 : 300)) add("party_building");
    if (rng.Permille(150)) add(domain::kWorkSkills[rng.Below(std::size(domain::kWorkSkills))]);

    c.term_months = rng.Permille(150) ? 36 : 24;
    c.available = !rng.Permille(50);
    if (!c.available) {
      c.note = "借调上级机关工作，本年度不参加选派";
    } else if (rng.Permille(250)) {
      c.note = std::string(NoteFor(c.skills.front()));
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace qiangji::engines::demo

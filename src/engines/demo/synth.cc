// How a demo county is made up. Each committee (residents' or villagers') draws from its own
// random stream, seeded by (seed, division code); choices that must hold across the county
// (which committees have a vacancy, which terms are overdue) draw from one county stream. The
// shares below are plausible rural figures, not statistics of the real county: docs/demo.md.
#include "engines/demo/synth.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "engines/rng.h"

namespace qiangji::engines::demo {
namespace {

using domain::Division;
using domain::Person;
using domain::Sex;

template <typename T>
struct Choice {
  T value;
  int weight;
};

template <typename T, size_t N>
const T& PickFrom(Rng& rng, const std::array<Choice<T>, N>& choices) {
  std::array<int, N> weights;
  for (size_t i = 0; i < N; ++i) weights[i] = choices[i].weight;
  return choices[rng.Pick(weights)].value;
}

template <size_t N>
std::string_view OneOf(Rng& rng, const std::array<std::string_view, N>& items) {
  return items[rng.Below(N)];
}

struct AgeBand {
  int lo;
  int hi;
};

// Common surnames of rural north China, weighted roughly by frequency.
constexpr std::array<Choice<std::string_view>, 36> kSurnames = {{
    {"王", 90}, {"李", 85}, {"张", 80}, {"刘", 70}, {"赵", 40}, {"杨", 35}, {"陈", 30}, {"高", 28},
    {"孙", 26}, {"郭", 25}, {"马", 22}, {"贾", 18}, {"韩", 18}, {"田", 16}, {"梁", 15}, {"齐", 12},
    {"宋", 14}, {"郑", 12}, {"许", 10}, {"冯", 12}, {"于", 11}, {"董", 12}, {"任", 10}, {"吕", 9},
    {"侯", 9},  {"白", 10}, {"石", 9},  {"崔", 10}, {"史", 8},  {"闫", 10}, {"牛", 7},  {"耿", 6},
    {"范", 7},  {"孟", 8},  {"胡", 9},  {"周", 12},
}};

// Given names follow the fashions of three birth cohorts: before 1960, 1960-1984, 1985 on.
enum class Cohort { kOld, kMiddle, kYoung };

struct NamePool {
  std::array<std::string_view, 16> first;
  std::array<std::string_view, 16> second;
  int single_permille;  // share of one-character given names
};

constexpr NamePool kMaleNames[] = {
    {{"建", "国", "志", "振", "永", "德", "福", "春", "文", "树", "保", "宝", "明", "玉", "占",
      "守"},
     {"国", "华", "民", "山", "林", "生", "田", "军", "才", "祥", "发", "明", "亮", "海", "忠",
      "章"},
     60},
    {{"建", "志", "海", "红", "立", "晓", "国", "卫", "新", "军", "小", "利", "永", "春", "俊",
      "彦"},
     {"军", "伟", "强", "刚", "勇", "涛", "辉", "峰", "明", "平", "东", "斌", "杰", "磊", "兵",
      "超"},
     150},
    {{"子", "浩", "俊", "宇", "志", "嘉", "家", "明", "晨", "天", "博", "文", "一", "思", "雨",
      "泽"},
     {"轩", "宇", "豪", "杰", "博", "然", "阳", "鹏", "航", "泽", "浩", "磊", "鑫", "帅", "龙",
      "凯"},
     350},
};
constexpr NamePool kFemaleNames[] = {
    {{"秀", "桂", "玉", "淑", "凤", "素", "翠", "春", "兰", "金", "月", "银", "荣", "彩", "爱",
      "巧"},
     {"英", "兰", "珍", "芳", "荣", "梅", "花", "琴", "云", "霞", "娥", "莲", "香", "芝", "凤",
      "娟"},
     40},
    {{"丽", "红", "晓", "海", "春", "艳", "建", "秀", "小", "美", "燕", "亚", "雅", "彩", "利",
      "向"},
     {"娟", "红", "霞", "敏", "燕", "萍", "丽", "芳", "静", "梅", "华", "艳", "玲", "青", "莉",
      "云"},
     150},
    {{"欣", "梦", "思", "雨", "佳", "子", "诗", "晓", "雅", "婉", "紫", "若", "一", "可", "梓",
      "语"},
     {"怡", "琪", "涵", "萱", "雪", "瑶", "彤", "悦", "颖", "璇", "然", "婷", "静", "娜", "倩",
      "欣"},
     350},
};

constexpr std::array<Choice<std::string_view>, 4> kEthnicities = {{
    {"汉族", 988},
    {"满族", 8},
    {"回族", 3},
    {"蒙古族", 1},
}};

// Education (indexes kEducationLevels) by mix; rural members of older cohorts mostly left school
// after primary or junior secondary, younger ones much later.
enum class EduMix { kOld, kMiddle, kYoung, kCadre, kYoungCadre, kOutsider };
constexpr std::array<std::array<int, 6>, 6> kEducationWeights = {{
    {55, 33, 10, 2, 0, 0},   // born before 1960
    {12, 55, 23, 8, 2, 0},   // 1960-1984
    {2, 33, 27, 24, 13, 1},  // 1985 on
    {0, 30, 40, 22, 8, 0},   // village secretaries and directors
    {0, 12, 30, 35, 22, 1},  // reserve cadres
    {0, 0, 0, 10, 70, 20},   // first secretaries sent from county and higher organs
}};

// Mobile number blocks; the synthetic numbers are <block>0000<4 digits>, a pattern that reads
// as made up and keeps clear of most real subscribers.
constexpr std::array<std::string_view, 21> kPhoneBlocks = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "180", "185", "186", "187", "188", "189",
};

// Main industries of Taihang mountain villages (阜平: mushrooms, walnuts, jujubes, apples...).
constexpr std::array<Choice<std::string_view>, 14> kVillageIndustries = {{
    {"食用菌", 25},
    {"核桃", 12},
    {"大枣", 14},
    {"苹果", 10},
    {"中药材", 10},
    {"乡村旅游", 9},
    {"肉牛养殖", 5},
    {"肉羊养殖", 4},
    {"蛋鸡养殖", 3},
    {"光伏发电", 6},
    {"劳务输出", 8},
    {"板栗", 4},
    {"小杂粮", 4},
    {"红色旅游", 3},
}};
constexpr std::array<Choice<std::string_view>, 5> kCommunityIndustries = {{
    {"社区工厂", 35},
    {"劳务输出", 30},
    {"物业服务", 15},
    {"家政服务", 10},
    {"电商", 10},
}};

// Party member ages in rural villages skew old: many joined decades ago, the young leave.
constexpr std::array<Choice<AgeBand>, 6> kMemberAges = {{
    {{21, 35}, 10},
    {{36, 45}, 12},
    {{46, 55}, 20},
    {{56, 65}, 23},
    {{66, 75}, 21},
    {{76, 92}, 14},
}};
constexpr std::array<Choice<AgeBand>, 3> kSecretaryAges = {{
    {{32, 40}, 25},
    {{41, 50}, 40},
    {{51, 58}, 35},
}};

constexpr int64_t kDaysPerYear = 365;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::string_view s, std::string_view prefix) {
  return !prefix.empty() && s.substr(0, prefix.size()) == prefix;
}
std::string StripSuffix(std::string_view s, std::string_view suffix) {
  return std::string(EndsWith(s, suffix) ? s.substr(0, s.size() - suffix.size()) : s);
}

// "城厢村村民委员会" -> "城厢村"; "龙泉新区居民委员会" -> "龙泉新区社区".
std::string CommitteeShortName(std::string_view name, bool residents) {
  std::string s(name);
  if (EndsWith(s, "村民委员会")) {
    s = StripSuffix(s, "村民委员会");
    if (!EndsWith(s, "村")) s += "村";
  } else if (EndsWith(s, "居民委员会")) {
    s = StripSuffix(s, "居民委员会");
  } else if (EndsWith(s, "村委会")) {
    s = StripSuffix(s, "委会");
  } else if (EndsWith(s, "居委会")) {
    s = StripSuffix(s, "居委会");
  }
  if (residents && EndsWith(s, "区") && !EndsWith(s, "社区")) s += "社区";
  return s;
}

// "中共阜平县阜平镇城厢村支部委员会": county, township and committee, then the kind.
std::string PartyOrgName(std::string_view county, std::string_view township,
                         std::string_view short_name, domain::PartyOrgKind kind) {
  std::string name = "中共";
  if (!StartsWith(short_name, county)) {
    name += county;
    if (!StartsWith(short_name, township)) name += township;
  }
  name += short_name;
  switch (kind) {
    case domain::PartyOrgKind::kCommittee:
      name += "委员会";
      break;
    case domain::PartyOrgKind::kGeneralBranch:
      name += "总支部委员会";
      break;
    case domain::PartyOrgKind::kBranch:
      name += "支部委员会";
      break;
  }
  return name;
}

Date Ymd(int y, int m, int d) { return Date::FromYmd(y, m, d).value(); }

Date RandomDayInYear(Rng& rng, int year) {
  const int month = static_cast<int>(rng.Between(1, 12));
  return Ymd(year, month, static_cast<int>(rng.Between(1, DaysInMonth(year, month))));
}

// The profile of one person to make.
struct PersonSpec {
  std::string_view party_status = "member";
  AgeBand age{21, 92};
  bool member_ages = false;  // draw the age from kMemberAges instead of `age`
  int female_permille = 300;
  std::optional<EduMix> education;  // by birth cohort when empty
  bool outsider = false;            // sent from outside the county (first secretaries)
};

enum class TermClass { kExpired, kExpiringSoon, kCurrent };

class CountyBuilder {
 public:
  CountyBuilder(const SynthOptions& options, std::string county_code6)
      : options_(options), county_code6_(std::move(county_code6)) {}

  DemoCounty& out() { return out_; }

  // Makes a person of `village`, with a county-unique ID number and phone; returns its index.
  size_t AddPerson(Rng& rng, const PersonSpec& spec, int64_t village,
                   std::span<const std::string_view> local_surnames) {
    Person p;
    p.division_code = village;
    const Date& today = options_.today;

    const bool female = rng.Permille(spec.female_permille);
    p.sex = female ? Sex::kFemale : Sex::kMale;
    const AgeBand band = spec.member_ages ? PickFrom(rng, kMemberAges) : spec.age;
    const int age = static_cast<int>(rng.Between(band.lo, band.hi));
    const Date birth = RandomDayInYear(rng, today.year() - age);
    p.birth_date = birth;
    const Cohort cohort = birth.year() < 1960   ? Cohort::kOld
                          : birth.year() < 1985 ? Cohort::kMiddle
                                                : Cohort::kYoung;

    // Villages are often dominated by two or three lineages.
    std::string_view surname = rng.Permille(550) && !local_surnames.empty()
                                   ? local_surnames[rng.Below(local_surnames.size())]
                                   : PickFrom(rng, kSurnames);
    const NamePool& pool = (female ? kFemaleNames : kMaleNames)[static_cast<int>(cohort)];
    p.name = std::string(surname);
    if (rng.Permille(pool.single_permille)) {
      p.name += OneOf(rng, pool.second);
    } else {
      p.name += OneOf(rng, pool.first);
      p.name += OneOf(rng, pool.second);
    }

    p.ethnicity = std::string(PickFrom(rng, kEthnicities));
    p.id_number = NewIdNumber(rng, birth, female);
    p.phone = rng.Permille(age < 75 ? 930 : 600) ? NewPhone(rng) : "";

    const bool from_outside =
        spec.outsider || (female && age >= 25 && rng.Permille(350));  // married in
    p.native_place = from_outside && !options_.nearby_places.empty()
                         ? options_.nearby_places[rng.Below(options_.nearby_places.size())]
                         : native_place_;

    EduMix mix = spec.education.value_or(cohort == Cohort::kOld      ? EduMix::kOld
                                         : cohort == Cohort::kMiddle ? EduMix::kMiddle
                                                                     : EduMix::kYoung);
    p.education =
        std::string(domain::kEducationLevels[rng.Pick(kEducationWeights[static_cast<int>(mix)])]);

    p.party_status = std::string(spec.party_status);
    if (spec.party_status == "member") {
      p.party_join_date = MemberJoinDate(rng, birth);
    } else if (spec.party_status == "probationary_member") {
      p.party_join_date = today.AddDays(-rng.Between(15, 350));
    }
    out_.people.push_back(std::move(p));
    return out_.people.size() - 1;
  }

  void SetNativePlace(std::string place) { native_place_ = std::move(place); }

 private:
  // Full members joined as probationers at least a year and a day ago, aged 18 or more; most
  // joined in their twenties or early thirties.
  Date MemberJoinDate(Rng& rng, const Date& birth) {
    const Date& today = options_.today;
    const Date latest = today.AddDays(-rng.Between(400, 760));
    const int age_at_latest = latest.YearsSince(birth);
    const int hi = std::max(18, std::min(age_at_latest, 50));
    const int lo = std::min(hi, rng.Permille(850) ? 21 : 18);
    const int top = rng.Permille(800) ? std::min(hi, lo + 14) : hi;
    const int join_age = static_cast<int>(rng.Between(lo, top));
    Date join = birth.AddMonths(join_age * 12 + static_cast<int>(rng.Between(0, 11)));
    if (join > latest) join = latest;
    if (join < birth.AddMonths(18 * 12)) join = birth.AddMonths(18 * 12);
    return join;
  }

  // GB 11643: 6-digit region (the county), birth date, 3-digit sequence whose last digit is odd
  // for men and even for women, then the check character.
  std::string NewIdNumber(Rng& rng, const Date& birth, bool female) {
    for (;;) {
      const int seq = female ? static_cast<int>(rng.Between(1, 499)) * 2
                             : static_cast<int>(rng.Between(0, 499)) * 2 + 1;
      std::string id = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", county_code6_, birth.year(),
                                   birth.month(), birth.day(), seq);
      id += IdCheckCharacter(id);
      if (id_numbers_.insert(id).second) return id;
    }
  }

  std::string NewPhone(Rng& rng) {
    for (;;) {
      std::string phone = fmt::format("{}0000{:04d}", OneOf(rng, kPhoneBlocks), rng.Below(10000));
      if (phones_.insert(phone).second) return phone;
    }
  }

  const SynthOptions& options_;
  std::string county_code6_;
  std::string native_place_;
  std::set<std::string> id_numbers_;
  std::set<std::string> phones_;
  DemoCounty out_;
};

// `count` distinct indexes of [0, n), drawn from `rng`, in ascending order.
std::vector<size_t> Sample(Rng& rng, size_t n, size_t count) {
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  rng.Shuffle(all);
  all.resize(std::min(count, n));
  std::sort(all.begin(), all.end());
  return all;
}

bool HasIndex(const std::vector<size_t>& sorted, size_t i) {
  return std::binary_search(sorted.begin(), sorted.end(), i);
}

}  // namespace

std::string PlaceShortName(std::string_view name) {
  constexpr size_t kHanBytes = 3;  // one CJK character in UTF-8
  if (StartsWith(name, "内蒙古")) return "内蒙古";
  if (EndsWith(name, "自治区")) return std::string(name.substr(0, 2 * kHanBytes));  // 广西, 西藏...
  for (std::string_view suffix : {"自治县", "自治州", "省", "市", "县", "区", "旗", "盟"}) {
    if (EndsWith(name, suffix) && name.size() - suffix.size() >= 2 * kHanBytes)
      return std::string(name.substr(0, name.size() - suffix.size()));
  }
  return std::string(name);
}

char IdCheckCharacter(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

DemoCounty Synthesize(std::span<const Division> divisions, const SynthOptions& options) {
  std::string county_name;
  int64_t county_code = 0;
  std::map<int64_t, std::string> townships;
  std::vector<const Division*> committees;
  for (const Division& d : divisions) {
    if (d.level == DivisionLevel::kCounty) {
      county_name = d.name;
      county_code = d.code;
    } else if (d.level == DivisionLevel::kTownship) {
      townships[d.code] = d.name;
    } else if (d.level == DivisionLevel::kVillage && d.code % 1000 >= 1 && d.code % 1000 <= 399) {
      committees.push_back(&d);
    }
  }
  std::sort(committees.begin(), committees.end(),
            [](const Division* a, const Division* b) { return a->code < b->code; });
  if (county_code == 0 && !committees.empty())
    county_code = committees.front()->code / 1000000 * 1000000;

  CountyBuilder builder(options, fmt::format("{:06d}", county_code / 1000000));
  builder.SetNativePlace(options.native_place.empty() ? PlaceShortName(county_name)
                                                      : options.native_place);
  DemoCounty& out = builder.out();
  const Date& today = options.today;

  // County-wide draws: which villagers' committees are key villages or have a gap, and which
  // committees' terms are overdue or due within 90 days. At least two of each, so the demo
  // always shows them.
  std::vector<size_t> rural;  // indexes into committees of villagers' committees
  for (size_t i = 0; i < committees.size(); ++i)
    if (committees[i]->code % 1000 >= 200) rural.push_back(i);
  Rng county_rng(MixSeed(options.seed, 0));
  const size_t n_rural = rural.size();
  auto pick_rural = [&](size_t share_permille, const std::vector<size_t>& exclude) {
    std::vector<size_t> candidates;
    for (size_t i : rural)
      if (!HasIndex(exclude, i)) candidates.push_back(i);
    std::vector<size_t> picked;
    for (size_t k : Sample(county_rng, candidates.size(),
                           std::max<size_t>(2, n_rural * share_permille / 1000)))
      picked.push_back(candidates[k]);
    return picked;  // ascending, since candidates are
  };
  const std::vector<size_t> key_villages = pick_rural(120, {});
  const std::vector<size_t> secretary_vacant = pick_rural(30, {});
  const std::vector<size_t> director_vacant = pick_rural(40, secretary_vacant);
  const std::vector<size_t> without_reserve = pick_rural(50, {});
  std::vector<TermClass> term_class(committees.size(), TermClass::kCurrent);
  {
    std::vector<size_t> order(committees.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    county_rng.Shuffle(order);
    const size_t expired = std::max<size_t>(2, committees.size() * 8 / 100);
    const size_t soon = std::max<size_t>(2, committees.size() * 12 / 100);
    for (size_t k = 0; k < order.size() && k < expired + soon; ++k)
      term_class[order[k]] = k < expired ? TermClass::kExpired : TermClass::kExpiringSoon;
  }

  for (size_t ci = 0; ci < committees.size(); ++ci) {
    const Division& div = *committees[ci];
    const int64_t code = div.code;
    const bool residents = code % 1000 < 200;
    Rng rng(MixSeed(options.seed, static_cast<uint64_t>(code)));
    const std::string township = townships.count(div.parent_code) ? townships[div.parent_code] : "";

    // ---- village attributes
    domain::Village village;
    village.division_code = code;
    int64_t population;
    if (residents) {
      population = rng.Between(900, 5200);
      village.households = population * 1000 / rng.Between(2600, 3100);
      village.area_km2 = static_cast<double>(rng.Between(8, 60)) / 100.0;
    } else {
      static constexpr std::array<Choice<AgeBand>, 3> kSizes = {{
          {{250, 1400}, 80},
          {{1400, 2600}, 17},
          {{2600, 4000}, 3},
      }};
      const AgeBand size = PickFrom(rng, kSizes);
      population = rng.Between(size.lo, size.hi);
      // Many working-age villagers live away; households are small.
      village.households = population * 1000 / rng.Between(2350, 2950);
      village.area_km2 = static_cast<double>(rng.Between(180, 4200)) / 100.0;
    }
    village.population = population;
    {
      const int n_industries = residents ? static_cast<int>(rng.Between(1, 2))
                                         : static_cast<int>(rng.Pick(std::array{30, 50, 20})) + 1;
      while (static_cast<int>(village.main_industries.size()) < n_industries) {
        std::string_view pick =
            residents ? PickFrom(rng, kCommunityIndustries) : PickFrom(rng, kVillageIndustries);
        if (std::find(village.main_industries.begin(), village.main_industries.end(), pick) ==
            village.main_industries.end())
          village.main_industries.emplace_back(pick);
      }
    }
    const bool key = HasIndex(key_villages, ci);
    bool lifted = false;
    if (residents) {
      if (div.name.find("新区") != std::string::npos || div.name.find("安置") != std::string::npos)
        village.tags.emplace_back("relocation_settlement");
    } else {
      if (key) village.tags.emplace_back("key_village");
      lifted = rng.Permille(key ? 950 : 780);
      if (lifted) village.tags.emplace_back("lifted_from_poverty");
      if (rng.Permille(50)) village.tags.emplace_back("relocation_settlement");
      if (rng.Permille(300)) village.tags.emplace_back("revolutionary_base");
      if (rng.Permille(40)) village.tags.emplace_back("traditional_village");
    }
    out.villages.push_back(village);

    // ---- the Party organization: size, kind, founding, term
    const int64_t members = std::max<int64_t>(
        8, population * rng.Between(residents ? 12 : 30, residents ? 25 : 55) / 1000);
    const int64_t probationary = (members * rng.Between(0, 60) + 500) / 1000;
    // 50+ members may form a general branch, 100+ a committee (支部工作条例).
    const domain::PartyOrgKind kind =
        members + probationary >= 100  ? domain::PartyOrgKind::kCommittee
        : members + probationary >= 50 ? domain::PartyOrgKind::kGeneralBranch
                                       : domain::PartyOrgKind::kBranch;
    DemoPartyOrg org;
    org.org.division_code = code;
    org.org.kind = kind;
    org.org.name =
        PartyOrgName(county_name, township, CommitteeShortName(div.name, residents), kind);
    if (residents) {
      org.org.founded_on = RandomDayInYear(rng, static_cast<int>(rng.Between(2016, 2021)));
    } else {
      static constexpr std::array<Choice<AgeBand>, 3> kFounding = {{
          {{1938, 1949}, 55},
          {{1950, 1978}, 35},
          {{1979, 2000}, 10},
      }};
      const AgeBand years = PickFrom(rng, kFounding);
      org.org.founded_on = RandomDayInYear(rng, static_cast<int>(rng.Between(years.lo, years.hi)));
    }
    int64_t expiry_offset;
    switch (term_class[ci]) {
      case TermClass::kExpired:
        expiry_offset = rng.Between(-240, -1);
        break;
      case TermClass::kExpiringSoon:
        expiry_offset = rng.Between(0, 89);
        break;
      default:
        expiry_offset = rng.Between(95, 540);
        break;
    }
    const Date term_expiry = today.AddDays(expiry_offset);
    const Date term_start = term_expiry.AddMonths(-60);  // five-year terms
    org.org.term_start = term_start;
    org.org.term_expiry = term_expiry;
    // A young community's organization cannot predate its own founding.
    if (*org.org.founded_on > term_start)
      org.org.founded_on = term_start.AddDays(-rng.Between(30, 400));

    // ---- people and posts
    std::vector<std::string_view> lineages;
    for (int i = 0; i < 2; ++i) lineages.push_back(PickFrom(rng, kSurnames));
    int64_t members_made = 0;
    int64_t probationary_made = 0;
    std::vector<size_t> line_up;  // distinct holders of two-committee posts
    auto person = [&](const PersonSpec& spec) {
      const size_t i = builder.AddPerson(rng, spec, code, lineages);
      if (!spec.outsider && spec.party_status == "member") ++members_made;
      if (spec.party_status == "probationary_member") ++probationary_made;
      return i;
    };
    auto post = [&](size_t who, std::string_view post_kind, Date start,
                    std::optional<Date> end = std::nullopt) {
      DemoPost p;
      p.person = who;
      p.post.division_code = code;
      p.post.kind = std::string(post_kind);
      p.post.start_date = start;
      p.post.end_date = end;
      out.posts.push_back(std::move(p));
    };
    auto years_before = [](const Date& d, int years) { return d.AddMonths(-12 * years); };

    const bool no_secretary = HasIndex(secretary_vacant, ci);
    const bool no_director = HasIndex(director_vacant, ci);
    bool concurrent = false;
    if (!no_secretary) {
      PersonSpec spec;
      spec.age = PickFrom(rng, kSecretaryAges);
      spec.female_permille = 120;
      spec.education = EduMix::kCadre;
      const size_t s = person(spec);
      org.secretary = s;
      line_up.push_back(s);
      const int age = today.YearsSince(*out.people[s].birth_date);
      const int earlier = static_cast<int>(rng.Pick(std::array{60, 30, 10})) * 5;  // terms served
      const Date since = age - earlier - 5 >= 25 ? years_before(term_start, earlier) : term_start;
      post(s, "party_secretary", since);
      // 一肩挑: the secretary is elected director and heads the collective too.
      concurrent = !no_director && rng.Permille(850);
      if (concurrent) {
        post(s, "committee_director", term_start);
        post(s, "collective_manager", term_start);
      }
      if (rng.Permille(350)) {  // the predecessor, now an ordinary member
        PersonSpec prev;
        prev.age = {62, 80};
        prev.female_permille = 60;
        const size_t p = person(prev);
        post(p, "party_secretary", years_before(since, 5),
             since);  // ends the day the successor starts
      }
    } else {
      // The secretary left recently and no successor has been elected yet.
      PersonSpec prev;
      prev.age = {50, 75};
      prev.female_permille = 80;
      const size_t p = person(prev);
      post(p, "party_secretary", term_start, today.AddDays(-rng.Between(20, 200)));
    }
    if (!no_director && !concurrent) {
      PersonSpec spec;
      spec.party_status = rng.Permille(750) ? "member" : "masses";
      spec.age = {30, 60};
      spec.female_permille = 150;
      spec.education = EduMix::kCadre;
      const size_t d = person(spec);
      line_up.push_back(d);
      post(d, "committee_director", term_start);
      if (rng.Permille(500)) post(d, "collective_manager", term_start);
    } else if (no_director) {
      PersonSpec prev;
      prev.party_status = rng.Permille(700) ? "member" : "masses";
      prev.age = {45, 70};
      prev.female_permille = 100;
      const size_t p = person(prev);
      post(p, "committee_director", term_start, today.AddDays(-rng.Between(20, 200)));
    }
    const bool large = members + probationary >= 30;
    if ((large || kind != domain::PartyOrgKind::kBranch) && rng.Permille(700)) {
      PersonSpec spec;
      spec.age = {30, 58};
      spec.female_permille = 250;
      spec.education = EduMix::kCadre;
      const size_t d = person(spec);
      line_up.push_back(d);
      post(d, "deputy_party_secretary", term_start);
    }
    {
      // Two committees of 3-7; at least one woman (a standing requirement of the 换届 rules).
      const size_t target = static_cast<size_t>(large ? rng.Between(5, 7) : rng.Between(3, 5));
      bool has_woman = false;
      for (size_t i : line_up) has_woman |= out.people[i].sex == Sex::kFemale;
      while (line_up.size() < target) {
        PersonSpec spec;
        spec.party_status = rng.Permille(800) ? "member" : "masses";
        spec.age = {28, 62};
        spec.female_permille = has_woman ? 250 : 1000;
        const size_t m = person(spec);
        has_woman |= out.people[m].sex == Sex::kFemale;
        line_up.push_back(m);
        post(m, "two_committee_member", term_start);
      }
    }
    if (!HasIndex(without_reserve, ci)) {
      static constexpr std::array<Choice<std::string_view>, 5> kReserveStatus = {{
          {"member", 35},
          {"development_target", 20},
          {"activist", 25},
          {"applicant", 10},
          {"masses", 10},
      }};
      const int64_t n = large ? rng.Between(2, 3) : rng.Between(1, 2);
      for (int64_t i = 0; i < n; ++i) {
        PersonSpec spec;
        spec.party_status = PickFrom(rng, kReserveStatus);
        spec.age = {22, 38};
        spec.female_permille = 350;
        spec.education = EduMix::kYoungCadre;
        post(person(spec), "reserve_cadre", today.AddDays(-rng.Between(60, 900)));
      }
    }
    if (!residents && rng.Permille(key ? 1000 : lifted ? 280 : 80)) {
      // Sent by a county or higher organ for two years; a member of the sending unit's
      // organization, so not counted among the village's members.
      PersonSpec spec;
      spec.age = {28, 52};
      spec.female_permille = 200;
      spec.education = EduMix::kOutsider;
      spec.outsider = true;
      post(person(spec), "first_secretary", today.AddDays(-rng.Between(30, 700)));
    }
    if (!residents && rng.Permille(80)) {  // a respected native hired as development advisor
      PersonSpec spec;
      spec.party_status = rng.Permille(500) ? "member" : "masses";
      spec.age = {55, 72};
      spec.female_permille = 100;
      post(person(spec), "advisor", today.AddDays(-rng.Between(90, 1000)));
    }

    // The membership pipeline, then the probationers and the rest of the members.
    auto pipeline = [&](std::string_view status, int64_t lo, int64_t hi) {
      const int64_t n = rng.Between(lo, hi);
      for (int64_t i = 0; i < n; ++i) {
        PersonSpec spec;
        spec.party_status = status;
        spec.age = {20, 45};
        spec.female_permille = 400;
        person(spec);
      }
    };
    pipeline("development_target", 0, 2);
    pipeline("activist", 1, 3);
    pipeline("applicant", 1, 3);
    while (probationary_made < probationary) {
      PersonSpec spec;
      spec.party_status = "probationary_member";
      spec.age = {21, 40};
      spec.female_permille = 380;
      person(spec);
    }
    while (members_made < members) {
      PersonSpec spec;
      spec.member_ages = true;
      spec.female_permille = 280;
      person(spec);
    }
    org.org.member_count = members_made;
    org.org.probationary_member_count = probationary_made;
    out.party_orgs.push_back(std::move(org));
    if (no_secretary) out.secretary_vacant.push_back(code);
    if (no_director) out.director_vacant.push_back(code);
    if (HasIndex(without_reserve, ci)) out.without_reserve_cadres.push_back(code);
  }
  return std::move(out);
}

}  // namespace qiangji::engines::demo

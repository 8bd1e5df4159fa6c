// Invariants of enterprise pairing records and the keyword table that reads a village's main
// industries. Like dispatch.cc, each Validate* collects every broken rule as a field error named
// by the JSON field.
#include "domain/enterprise.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "common/division_code.h"
#include "domain/text.h"

namespace qiangji::domain {
namespace {

// CheckText, ValidMobile and Listing come from domain/text.h (shared by every validator).

// A closed-vocabulary list: between `min` and `max` entries, each known and named once.
void CheckIndustryList(FieldErrors& errors, std::string_view field,
                       std::span<const std::string> items, size_t min, size_t max) {
  if (items.size() < min) {
    errors.Add(std::string(field), "name at least one industry");
  } else if (items.size() > max) {
    errors.Add(std::string(field), fmt::format("name at most {} industries", max));
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", field, i);
    if (!Contains(kIndustries, items[i])) {
      errors.Add(at, fmt::format("\"{}\" is not one of {}", items[i], Listing(kIndustries)));
    } else if (!seen.insert(items[i]).second) {
      errors.Add(at, "is repeated");
    }
  }
}

constexpr std::pair<std::string_view, std::string_view> kIndustryNames[] = {
    {"planting_breeding", "种养殖"},
    {"food_processing", "农产品加工"},
    {"rural_tourism", "乡村旅游"},
    {"e_commerce_logistics", "电商物流"},
    {"construction_materials", "建筑建材"},
    {"manufacturing", "制造业"},
    {"energy", "新能源"},
    {"finance", "金融服务"},
    {"health_care", "医疗康养"},
    {"culture_creative", "文化创意"},
    {"trade_services", "商贸服务"},
};

// The keyword table (docs/enterprise-pairing.md "Keyword table" lists it in the same order).
// Words are matched as substrings of each main-industry entry, so "肉牛养殖" hits 养殖 and 牛.
// Crops and livestock name both growing (种养殖) and processing (农产品加工): a village of
// walnuts is helped by an orchard company and by a food processor alike.
constexpr IndustryKeyword kKeywords[] = {
    // crops, fruit, forest products
    {"食用菌", "planting_breeding"},
    {"食用菌", "food_processing"},
    {"香菇", "planting_breeding"},
    {"香菇", "food_processing"},
    {"木耳", "planting_breeding"},
    {"木耳", "food_processing"},
    {"蘑菇", "planting_breeding"},
    {"蘑菇", "food_processing"},
    {"苹果", "planting_breeding"},
    {"苹果", "food_processing"},
    {"核桃", "planting_breeding"},
    {"核桃", "food_processing"},
    {"大枣", "planting_breeding"},
    {"大枣", "food_processing"},
    {"红枣", "planting_breeding"},
    {"红枣", "food_processing"},
    {"板栗", "planting_breeding"},
    {"板栗", "food_processing"},
    {"花椒", "planting_breeding"},
    {"花椒", "food_processing"},
    {"杂粮", "planting_breeding"},
    {"杂粮", "food_processing"},
    {"粮食", "planting_breeding"},
    {"粮食", "food_processing"},
    {"玉米", "planting_breeding"},
    {"小麦", "planting_breeding"},
    {"水稻", "planting_breeding"},
    {"马铃薯", "planting_breeding"},
    {"蔬菜", "planting_breeding"},
    {"大棚", "planting_breeding"},
    {"果", "planting_breeding"},
    {"梨", "planting_breeding"},
    {"桃", "planting_breeding"},
    {"葡萄", "planting_breeding"},
    {"茶", "planting_breeding"},
    {"茶", "food_processing"},
    {"中药材", "planting_breeding"},
    {"中药材", "health_care"},
    {"药材", "planting_breeding"},
    {"药材", "health_care"},
    {"苗木", "planting_breeding"},
    {"花卉", "planting_breeding"},
    {"种植", "planting_breeding"},
    {"林", "planting_breeding"},
    // livestock, poultry, fish, bees
    {"养殖", "planting_breeding"},
    {"养殖", "food_processing"},
    {"牛", "planting_breeding"},
    {"羊", "planting_breeding"},
    {"猪", "planting_breeding"},
    {"鸡", "planting_breeding"},
    {"鸭", "planting_breeding"},
    {"鱼", "planting_breeding"},
    {"蜂", "planting_breeding"},
    {"畜牧", "planting_breeding"},
    // processing
    {"加工", "food_processing"},
    {"食品", "food_processing"},
    {"酿", "food_processing"},
    {"粉条", "food_processing"},
    // tourism
    {"旅游", "rural_tourism"},
    {"民宿", "rural_tourism"},
    {"农家乐", "rural_tourism"},
    {"采摘", "rural_tourism"},
    {"景区", "rural_tourism"},
    {"红色", "culture_creative"},
    {"红色", "rural_tourism"},
    {"研学", "culture_creative"},
    // e-commerce and logistics
    {"电商", "e_commerce_logistics"},
    {"直播", "e_commerce_logistics"},
    {"物流", "e_commerce_logistics"},
    {"快递", "e_commerce_logistics"},
    {"冷链", "e_commerce_logistics"},
    // building
    {"建材", "construction_materials"},
    {"石材", "construction_materials"},
    {"砂石", "construction_materials"},
    {"建筑", "construction_materials"},
    {"施工", "construction_materials"},
    // factories and work
    {"社区工厂", "manufacturing"},
    {"扶贫车间", "manufacturing"},
    {"工厂", "manufacturing"},
    {"车间", "manufacturing"},
    {"制造", "manufacturing"},
    {"服装", "manufacturing"},
    {"劳务", "manufacturing"},
    {"劳务", "construction_materials"},
    // energy
    {"光伏", "energy"},
    {"风电", "energy"},
    {"水电", "energy"},
    {"新能源", "energy"},
    {"沼气", "energy"},
    // finance
    {"金融", "finance"},
    {"信贷", "finance"},
    {"保险", "finance"},
    // health and care
    {"康养", "health_care"},
    {"养老", "health_care"},
    {"医疗", "health_care"},
    {"卫生", "health_care"},
    // culture and crafts
    {"文创", "culture_creative"},
    {"手工", "culture_creative"},
    {"刺绣", "culture_creative"},
    {"编织", "culture_creative"},
    {"剪纸", "culture_creative"},
    {"文化", "culture_creative"},
    // trade and services
    {"商贸", "trade_services"},
    {"超市", "trade_services"},
    {"物业", "trade_services"},
    {"家政", "trade_services"},
    {"餐饮", "trade_services"},
    {"服务", "trade_services"},
};

}  // namespace

std::string_view IndustryNameZh(std::string_view industry) {
  for (const auto& [id, name] : kIndustryNames)
    if (id == industry) return name;
  return industry;
}

std::string_view OwnershipNameZh(std::string_view ownership) {
  if (ownership == "state") return "国有企业";
  if (ownership == "private") return "民营企业";
  if (ownership == "collective") return "集体企业";
  if (ownership == "foreign") return "外资企业";
  return ownership;
}

std::string_view PairingKindNameZh(std::string_view kind) {
  if (kind == "village") return "企到村";
  if (kind == "collective") return "企到企";
  return kind;
}

int CapacityOf(const Enterprise& e, std::string_view kind) {
  return kind == "collective" ? e.capacity_firms : e.capacity_villages;
}

Status ValidateEnterprise(const Enterprise& e) {
  FieldErrors errors;
  CheckText(errors, "name", e.name, true, 60);
  if (!Contains(kOwnerships, e.ownership))
    errors.Add("ownership",
               fmt::format("\"{}\" is not one of {}", e.ownership, Listing(kOwnerships)));
  CheckIndustryList(errors, "industries", e.industries, 1, kMaxEnterpriseIndustries);
  if (e.location_code == 0) {
    errors.Add("location_code", "is required (the division code of where the enterprise is)");
  } else if (auto loc = DivisionCode::FromInt(e.location_code); !loc.ok()) {
    errors.Add("location_code", loc.status().field_errors().empty()
                                    ? loc.status().message()
                                    : loc.status().field_errors()[0].message);
  }
  if (e.preferred_areas.size() > static_cast<size_t>(kMaxPreferredAreas))
    errors.Add("preferred_areas", fmt::format("name at most {} areas", kMaxPreferredAreas));
  std::set<std::string_view> areas;
  for (size_t i = 0; i < e.preferred_areas.size(); ++i) {
    const std::string field = fmt::format("preferred_areas[{}]", i);
    const std::string& a = e.preferred_areas[i];
    auto code = DivisionCode::Parse(a);
    const bool short_form = a.size() == 2 || a.size() == 4 || a.size() == 6 || a.size() == 9;
    if (!short_form || !code.ok()) {
      errors.Add(field, fmt::format("\"{}\" must be a division prefix of 2, 4, 6 or 9 digits,"
                                    " e.g. 130624 or 130624100",
                                    a));
    } else if (code->Prefix() != a) {
      errors.Add(field, fmt::format("write \"{}\" as \"{}\"", a, code->Prefix()));
    } else if (!areas.insert(a).second) {
      errors.Add(field, "is repeated");
    }
  }
  if (e.capacity_villages < 0 || e.capacity_villages > kMaxEnterpriseCapacity)
    errors.Add("capacity_villages",
               fmt::format("must be between 0 and {} villages", kMaxEnterpriseCapacity));
  if (e.capacity_firms < 0 || e.capacity_firms > kMaxEnterpriseCapacity)
    errors.Add("capacity_firms",
               fmt::format("must be between 0 and {} collective firms", kMaxEnterpriseCapacity));
  CheckText(errors, "contact_name", e.contact_name, false, 40);
  if (!e.contact_phone.empty() && !ValidMobile(e.contact_phone))
    errors.Add("contact_phone", "must be an 11-digit mobile number starting with 13-19");
  CheckText(errors, "note", e.note, false, 500, true);
  return errors.ToStatus();
}

std::span<const IndustryKeyword> IndustryKeywords() { return kKeywords; }

std::vector<IndustryMatch> MatchIndustries(std::span<const std::string> main_industries) {
  std::vector<IndustryMatch> out;
  std::set<std::string_view> found;
  for (const std::string& entry : main_industries) {
    for (const IndustryKeyword& k : kKeywords) {
      if (entry.find(k.word) == std::string::npos) continue;
      if (!found.insert(k.industry).second) continue;
      out.push_back({entry, std::string(k.industry)});
    }
  }
  return out;
}

std::vector<std::string> DeriveIndustries(std::span<const std::string> main_industries) {
  const std::vector<IndustryMatch> matches = MatchIndustries(main_industries);
  std::vector<std::string> out;
  for (std::string_view industry : kIndustries) {
    const bool hit = std::any_of(matches.begin(), matches.end(),
                                 [&](const IndustryMatch& m) { return m.industry == industry; });
    if (hit) out.emplace_back(industry);
  }
  return out;
}

Status ValidatePairingRun(const PairingRun& r) {
  FieldErrors errors;
  CheckText(errors, "name", r.name, true, 80);
  if (!Contains(kPairingRunStatuses, r.status))
    errors.Add("status",
               fmt::format("\"{}\" is not one of {}", r.status, Listing(kPairingRunStatuses)));
  auto scope = DivisionCode::Parse(r.scope);
  if (r.scope.size() != 6 || !scope.ok() || scope->level() != DivisionLevel::kCounty)
    errors.Add("scope",
               fmt::format("\"{}\" must be a 6-digit county code such as 130624", r.scope));
  const PairingWeights& w = r.params.weights;
  const auto weight = [&](std::string_view field, double v) {
    if (!std::isfinite(v) || v < 0 || v > 1)
      errors.Add(fmt::format("params.weights.{}", field), "must be between 0 and 1");
  };
  weight("industry", w.industry);
  weight("area", w.area);
  weight("priority", w.priority);
  if (std::isfinite(w.industry + w.area + w.priority) && w.industry + w.area + w.priority <= 0)
    errors.Add("params.weights", "at least one weight must be above 0");
  if (!std::isfinite(r.params.min_priority) || r.params.min_priority < 0 ||
      r.params.min_priority > 100)
    errors.Add("params.min_priority", "must be between 0 and 100");
  if (r.params.kinds.empty()) {
    errors.Add("params.kinds", "name at least one kind (village, collective)");
  } else if (r.params.kinds.size() > 2) {
    errors.Add("params.kinds", "name village, collective or both");
  }
  std::set<std::string_view> kinds;
  for (size_t i = 0; i < r.params.kinds.size(); ++i) {
    const std::string field = fmt::format("params.kinds[{}]", i);
    if (!Contains(kPairingKinds, r.params.kinds[i])) {
      errors.Add(field, fmt::format("\"{}\" must be village or collective", r.params.kinds[i]));
    } else if (!kinds.insert(r.params.kinds[i]).second) {
      errors.Add(field, "is repeated");
    }
  }
  return errors.ToStatus();
}

Status ValidateTargetIndustries(std::span<const std::string> industries) {
  FieldErrors errors;
  CheckIndustryList(errors, "industries", industries, 0, kMaxEnterpriseIndustries);
  return errors.ToStatus();
}

}  // namespace qiangji::domain

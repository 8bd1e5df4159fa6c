// The demo's pairing goes through the pairing service's own functions (pairing_internal.h) at the
// dates a county would have used, so its audit rows, targets, results and pairings read like a
// real history. The register is written from fixed templates: industries that Taihang mountain
// villages need (mushrooms, walnuts and jujubes grown and processed, tourism, photovoltaics,
// e-commerce, community factories), named after the county, its prefecture city and its
// townships. Everything is invented; the UI's demo banner says so.
#include "services/demo_pairing.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "services/internal.h"
#include "services/pairing.h"
#include "services/pairing_internal.h"

namespace qiangji::services {
namespace {

using namespace internal;

// Where an enterprise is: a township of the county (by index), the county itself, or the
// prefecture city.
enum class Place { kTownship, kCounty, kCity };

struct Template {
  std::string_view name;  // after the county's (or city's) name
  std::string_view ownership;
  std::vector<std::string> industries;
  Place place;
  int township = 0;  // index into the county's townships, for kTownship
  bool prefers_own_township = false;
  int villages = 1;
  int firms = 0;
  std::string_view contact;
};

const std::vector<Template>& Templates() {
  static const std::vector<Template> kTemplates = {
      {"山珍食用菌开发有限公司",
       "private",
       {"planting_breeding", "food_processing"},
       Place::kTownship,
       0,
       true,
       3,
       1,
       "刘经理"},
      {"太行农产品加工有限公司",
       "private",
       {"food_processing", "e_commerce_logistics"},
       Place::kCounty,
       0,
       false,
       3,
       2,
       "张经理"},
      {"惠农电子商务有限公司",
       "private",
       {"e_commerce_logistics", "trade_services"},
       Place::kCounty,
       0,
       false,
       2,
       2,
       "李经理"},
      {"城乡建设投资集团有限公司",
       "state",
       {"construction_materials", "finance"},
       Place::kCounty,
       0,
       false,
       2,
       1,
       "赵主任"},
      {"光伏新能源有限公司", "state", {"energy"}, Place::kTownship, 1, false, 2, 2, "孙经理"},
      {"红枣核桃专业合作联社",
       "collective",
       {"planting_breeding", "food_processing"},
       Place::kTownship,
       2,
       true,
       2,
       2,
       "周理事长"},
      {"乡村旅游开发有限公司",
       "state",
       {"rural_tourism", "culture_creative"},
       Place::kTownship,
       3,
       false,
       3,
       1,
       "吴经理"},
      {"中药材种植有限公司",
       "private",
       {"planting_breeding", "health_care"},
       Place::kTownship,
       4,
       true,
       2,
       1,
       "郑经理"},
      {"康养服务有限公司",
       "private",
       {"health_care", "trade_services"},
       Place::kCounty,
       0,
       false,
       1,
       1,
       "王经理"},
      {"肉牛养殖有限公司",
       "private",
       {"planting_breeding", "food_processing"},
       Place::kTownship,
       5,
       false,
       2,
       1,
       "冯经理"},
      {"民宿文化旅游有限公司",
       "private",
       {"rural_tourism", "trade_services"},
       Place::kTownship,
       6,
       true,
       2,
       0,
       "陈经理"},
      {"服装加工有限公司", "private", {"manufacturing"}, Place::kCounty, 0, false, 2, 1, "褚经理"},
      {"建材有限公司",
       "private",
       {"construction_materials", "manufacturing"},
       Place::kTownship,
       7,
       false,
       1,
       1,
       "卫经理"},
      {"农业产业化投资集团有限公司",
       "state",
       {"food_processing", "planting_breeding", "finance"},
       Place::kCity,
       0,
       false,
       3,
       2,
       "蒋经理"},
      {"冷链物流有限公司",
       "private",
       {"e_commerce_logistics", "food_processing"},
       Place::kCity,
       0,
       false,
       2,
       1,
       "沈经理"},
      {"惠民农村金融服务有限公司",
       "private",
       {"finance", "trade_services"},
       Place::kCity,
       0,
       false,
       2,
       2,
       "韩经理"},
  };
  return kTemplates;
}

// Last year's run covers about this share of the register's capacity, so that this year's run
// has room left.
constexpr double kLastYearShare = 0.6;

}  // namespace

Result<DemoPairing> BuildDemoPairing(Env env, const std::string& county_prefix, const Date& today) {
  DemoPairing out;
  if (env.secrets == nullptr) return Status::Internal("no key for personal data is loaded");
  QJ_ASSIGN_OR_RETURN(DivisionCode county, DivisionCode::Parse(county_prefix));
  Caller staff;
  staff.username = "county_admin";
  staff.role = domain::Role::kCounty;
  staff.scope_prefix = county.Prefix();
  staff.scope = county.Under();

  std::string county_name;
  std::string city_name;
  std::vector<std::pair<int64_t, std::string>> townships;
  const DivisionCode city = county.Parent().value_or(county);
  const Date last_start = *Date::FromYmd(today.year() - 1, 4, 1);
  const Clock registered = ClockAt(last_start.AddDays(-60));
  {
    auto db = env.pool->Acquire();
    QJ_ASSIGN_OR_RETURN(auto users, db->Query("SELECT id FROM app_user WHERE username = ?",
                                              {Value(staff.username)}));
    if (!users.empty()) staff.user_id = users[0].Int(0);
    QJ_ASSIGN_OR_RETURN(auto names,
                        db->Query("SELECT code, name FROM division WHERE code IN (?, ?)",
                                  {Value(county.value()), Value(city.value())}));
    for (const Row& r : names) (r.Int(0) == county.value() ? county_name : city_name) = r.Text(1);
    if (county_name.empty()) return out;  // no registry: nothing to pair
    if (city_name.empty() || city == county) city_name = county_name;
    QJ_ASSIGN_OR_RETURN(auto towns,
                        db->Query("SELECT code, name FROM division WHERE code BETWEEN"
                                  " ? AND ? AND level = 'township' ORDER BY code",
                                  {Value(county.Under().lo), Value(county.Under().hi)}));
    for (const Row& r : towns) townships.emplace_back(r.Int(0), r.Text(1));

    std::vector<domain::Enterprise> firms;
    int serial = 0;
    for (const Template& t : Templates()) {
      domain::Enterprise e;
      e.county_code = county.value();
      e.name = std::string(t.place == Place::kCity ? city_name : county_name) + std::string(t.name);
      e.ownership = std::string(t.ownership);
      e.industries = t.industries;
      e.location_code = county.value();
      if (t.place == Place::kCity) {
        e.location_code = city.value();
        e.preferred_areas = {county.Prefix()};  // a city firm assigned to help this county
      } else if (t.place == Place::kTownship && !townships.empty()) {
        const auto& [code, name] = townships[static_cast<size_t>(t.township) % townships.size()];
        e.location_code = code;
        if (t.prefers_own_township) e.preferred_areas = {DivisionCode::FromInt(code)->Prefix()};
      }
      e.capacity_villages = t.villages;
      e.capacity_firms = t.firms;
      e.contact_name = std::string(t.contact);
      e.contact_phone = fmt::format("1390312{:04d}", 101 + serial * 37);
      e.note = "演示数据（虚构企业）";
      ++serial;
      QJ_RETURN_IF_ERROR(domain::ValidateEnterprise(e));
      firms.push_back(std::move(e));
    }
    QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
      return InsertEnterprises(*db, staff, *env.secrets, firms, "enterprise.import", "demo",
                               registered.now);
    }));
    out.enterprises = static_cast<int64_t>(firms.size());
  }
  int capacity_villages = 0, capacity_firms = 0;
  for (const Template& t : Templates()) {
    capacity_villages += t.villages;
    capacity_firms += t.firms;
  }

  // Last year's run: created a month before its start, narrowed to what the register can take
  // with room to spare, run and confirmed.
  domain::PairingRun last;
  last.scope = county.Prefix();
  last.name = fmt::format("{}年企业结对帮扶", last_start.year());
  last.start_date = last_start;
  auto created = CreatePairingRun(env, staff, last, ClockAt(last_start.AddDays(-30)));
  if (!created.ok() && created.status().code() == StatusCode::kFailedPrecondition) return out;
  QJ_RETURN_IF_ERROR(created.status());
  last = created->run;
  {
    PairingService runs(env);
    QJ_ASSIGN_OR_RETURN(std::vector<PairingTargetView> targets, runs.Targets(staff, last.id));
    std::stable_sort(targets.begin(), targets.end(),
                     [](const PairingTargetView& a, const PairingTargetView& b) {
                       return a.target.priority > b.target.priority;
                     });
    std::map<std::string, int> keep = {
        {"village", static_cast<int>(std::lround(capacity_villages * kLastYearShare))},
        {"collective", static_cast<int>(std::lround(capacity_firms * kLastYearShare))}};
    const Clock narrowed = ClockAt(last_start.AddDays(-25));
    for (const PairingTargetView& v : targets) {
      if (keep[v.target.kind]-- > 0) continue;
      TargetChange drop;
      drop.run_id = last.id;
      drop.division_code = v.target.division_code;
      drop.kind = v.target.kind;
      drop.included = false;
      QJ_RETURN_IF_ERROR(PutPairingTarget(env, staff, drop, narrowed).status());
    }
  }
  QJ_RETURN_IF_ERROR(RunPairing(env, staff, last.id, ClockAt(last_start.AddDays(-20))).status());
  QJ_ASSIGN_OR_RETURN(PairingRunResult confirmed,
                      ConfirmPairingRun(env, staff, last.id, ClockAt(last_start.AddDays(-14))));
  out.confirmed_run = last.id;
  out.pairings = static_cast<int64_t>(confirmed.pairs.size());

  // This year's draft, starting next month: the county runs it in the UI.
  domain::PairingRun next;
  next.scope = county.Prefix();
  next.name = fmt::format("{}年企业结对帮扶", today.year());
  next.start_date = Date::FromYmd(today.year(), today.month(), 1)->AddMonths(1);
  auto draft = CreatePairingRun(env, staff, next, ClockAt(today));
  if (!draft.ok() && draft.status().code() == StatusCode::kFailedPrecondition) return out;
  QJ_RETURN_IF_ERROR(draft.status());
  out.draft_run = draft->run.id;
  out.draft_targets = draft->targets;
  return out;
}

}  // namespace qiangji::services

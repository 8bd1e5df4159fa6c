// Demo village projects. Which villages get one follows the needs (the highest priority first,
// villagers' committees only); which work type follows the village's own needed skills, so a
// tracking round on the demo matches projects to cadres who bring those skills. Names and
// descriptions are typical of county revitalization plans; the figures in them are made up.
#include "services/demo_projects.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engines/rng.h"
#include "services/dispatch.h"
#include "services/dispatch_pool_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

struct Template {
  std::string_view work_type;    // kWorkSkills
  std::string_view name;         // appended to the village's name
  std::string_view description;  // fmt pattern with {n}: a size
  int n_lo, n_hi;
};

// clang-format off
constexpr Template kTemplates[] = {
    {"industry", "食用菌大棚扩建项目", "新建标准化出菇棚{n}个，配套冷库一座，带动脱贫户就近务工", 20, 60},
    {"industry", "林果采摘园建设", "改造老旧果园{n}亩，发展苹果、红枣采摘，村集体入股分红", 100, 400},
    {"industry", "中药材种植基地", "流转土地{n}亩种植黄芩、柴胡，与县内药企签订收购协议", 150, 500},
    {"industry", "乡村民宿改造提升", "利用闲置农房{n}套改造精品民宿，发展乡村旅游", 6, 20},
    {"agronomy", "高标准农田建设", "建设高标准农田{n}亩，配套机井、灌溉管网和田间道路", 300, 1200},
    {"agronomy", "设施蔬菜种植示范", "建设日光温室{n}栋，推广水肥一体化技术", 10, 40},
    {"planning_construction", "村内道路硬化工程", "硬化村内街巷{n}公里，安装路灯并完善排水", 3, 12},
    {"planning_construction", "饮水安全巩固提升工程", "新打机井一眼，更换供水管网{n}公里", 2, 8},
    {"planning_construction", "人居环境整治", "改造户厕{n}户，建设污水收集管网和垃圾收运点", 80, 300},
    {"e_commerce", "农产品电商服务站建设", "建设村级电商服务站和直播间，培训电商带头人{n}名", 10, 40},
    {"finance", "集体经济股份合作改革", "完成清产核资，量化集体资产到{n}户成员，规范收益分配", 200, 800},
    {"finance", "光伏电站收益管理", "规范村级光伏电站{n}千瓦的收益分配和公益岗位设置", 100, 400},
    {"governance", "积分制治理试点", "推行积分超市，覆盖全村{n}户，完善村规民约", 150, 600},
    {"party_building", "党群服务中心提升", "改造党群服务中心{n}平方米，规范党员活动阵地", 200, 600},
    {"health", "标准化卫生室建设", "新建村卫生室{n}平方米，配备基本诊疗设备", 80, 200},
    {"education", "留守儿童之家建设", "建设留守儿童之家，配备图书{n}册，组织志愿者课后辅导", 1000, 3000},
    {"law_petitions", "矛盾纠纷多元化解试点", "设立调解室，培养法律明白人{n}名，化解信访积案", 5, 15},
};
// clang-format on

constexpr size_t kDemoProjects = 20;

// "白河村村民委员会" -> "白河村", as plans name their projects; other names as they are.
std::string ShortVillageName(const std::string& name) {
  constexpr std::string_view kCommittee = "村民委员会";
  if (name.size() > kCommittee.size() + 3 && name.ends_with(kCommittee))
    return name.substr(0, name.size() - kCommittee.size());
  return name;
}

}  // namespace

Result<int64_t> BuildDemoProjects(Env env, const std::string& county, uint64_t seed,
                                  const Date& today) {
  QJ_ASSIGN_OR_RETURN(const DivisionRange range, ParseScopePrefix(county));
  std::vector<domain::VillageNeed> needs;
  {
    auto db = env.pool->Acquire();
    QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
      QJ_ASSIGN_OR_RETURN(needs, internal::ComputeNeeds(*db, range, today));
      return Status::Ok();
    }));
  }
  // Villagers' committees, the neediest first (code order among equals).
  std::erase_if(needs, [](const domain::VillageNeed& n) {
    const int64_t v = n.division_code % 1000;
    return v < 200 || v > 399;
  });
  std::stable_sort(needs.begin(), needs.end(),
                   [](const auto& a, const auto& b) { return a.priority > b.priority; });
  if (needs.size() > kDemoProjects) needs.resize(kDemoProjects);

  engines::Rng rng(engines::MixSeed(seed, 0x70726f6a656374ULL));  // "project"
  ProjectService projects(env);
  const Caller system = Caller::System();
  int64_t written = 0;
  for (size_t i = 0; i < needs.size(); ++i) {
    const domain::VillageNeed& need = needs[i];
    // One of the village's two most needed work types that has a template; industry otherwise.
    std::vector<const Template*> fitting;
    for (size_t k = 0; k < need.skills.size() && k < 2; ++k)
      for (const Template& t : kTemplates)
        if (t.work_type == need.skills[k].first) fitting.push_back(&t);
    if (fitting.empty())
      for (const Template& t : kTemplates)
        if (t.work_type == "industry") fitting.push_back(&t);
    const Template& t = *fitting[rng.Below(fitting.size())];

    domain::Project p;
    p.division_code = need.division_code;
    p.name = ShortVillageName(need.name) + std::string(t.name);
    p.work_type = std::string(t.work_type);
    p.description =
        fmt::format(fmt::runtime(t.description), fmt::arg("n", rng.Between(t.n_lo, t.n_hi)));
    const int months = static_cast<int>(rng.Between(12, 36));
    // Every seventh done, every third planned, the rest underway.
    if (i % 7 == 6) {
      p.status = "done";
      p.end_date = today.AddDays(-rng.Between(30, 300));
      p.start_date = p.end_date.AddMonths(-months);
    } else if (i % 3 == 1) {
      p.status = "planned";
      p.start_date = today.AddDays(rng.Between(20, 180));
      p.end_date = p.start_date.AddMonths(months);
    } else {
      p.status = "underway";
      p.start_date = today.AddDays(-rng.Between(60, 330));
      p.end_date = p.start_date.AddMonths(std::max(months, 15));
    }
    QJ_RETURN_IF_ERROR(projects.Create(system, std::move(p)).status());
    ++written;
  }
  return written;
}

}  // namespace qiangji::services

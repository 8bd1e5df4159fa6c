// Demo cultivation records (docs/cultivation.md, "Demo"). People are synthetic: names from
// common surnames and given-name characters, ID numbers built like the demo synthesiser's
// (county region, birth date, sequence with the sex parity, GB 11643 check character), and a
// number already recorded is simply drawn again (the talent service refuses duplicates).
#include "services/demo_cultivation.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engines/demo/synth.h"
#include "engines/rng.h"
#include "services/cultivation.h"
#include "services/cultivation_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::array<std::string_view, 24> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
    "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};
constexpr std::array<std::string_view, 30> kGiven = {
    "建国", "海燕", "志强", "丽娟", "晓东", "春梅", "文博", "雪莲", "国庆", "秀英",
    "振华", "小燕", "立新", "佳慧", "永亮", "红霞", "子涵", "明轩", "玉兰", "浩然",
    "俊杰", "桂芳", "晨阳", "思雨", "宏伟", "翠萍", "鹏飞", "婷婷", "长江", "慧敏"};
constexpr std::array<std::string_view, 10> kSkills = {
    "食用菌种植", "电商直播", "林果管理", "民宿经营", "农机操作",
    "养殖技术", "财务管理", "建筑施工", "中药材种植", "物流运输"};
constexpr std::array<std::string_view, 5> kSources = {"wealth_leader", "returnee_graduate",
                                                     "returnee_worker", "veteran", "coop_chair"};
constexpr std::array<std::string_view, 3> kChannels = {"org_nomination", "mass_nomination",
                                                      "self_nomination"};
constexpr std::array<std::string_view, 6> kHosts = {
    "县现代农业产业园", "县食用菌产业发展有限公司", "县电子商务公共服务中心",
    "县果品专业合作社联合社", "县文旅发展有限公司", "县农产品物流园"};

struct CourseTemplate {
  std::string_view title, kind, mode, direction;
  std::array<std::string_view, 2> topics;
  double hours;
  int month, days;
};
// clang-format off
constexpr CourseTemplate kCounty[] = {
    {"新任村干部岗前培训班", "pre_job", "offline", "bring_in", {"policy_law", "management"}, 24, 3, 3},
    {"村党组织书记产业发展专题班", "on_job", "expert_lecture", "bring_in", {"market_economy", "management"}, 16, 4, 2},
    {"农村电商与直播带货实操培训", "professional", "online", "bring_in", {"practical_technology", "market_economy"}, 12, 5, 2},
    {"集体经济发展外出考察学习", "on_job", "field_study", "go_out", {"market_economy", "management"}, 24, 6, 4},
    {"乡村振兴政策法规解读", "on_job", "seminar", "bring_in", {"policy_law", ""}, 8, 9, 1},
    {"食用菌种植技术现场教学", "professional", "field_study", "bring_in", {"practical_technology", ""}, 8, 10, 1},
};
// clang-format on

std::string Name(engines::Rng& rng) {
  return fmt::format("{}{}", kSurnames[rng.Below(kSurnames.size())],
                     kGiven[rng.Below(kGiven.size())]);
}

struct Cadre {
  int64_t person_id;
  int64_t village;
};

}  // namespace

Result<DemoCultivation> BuildDemoCultivation(Env env, const std::string& county, uint64_t seed,
                                             const Date& today) {
  CultivationServices cv(env);
  const Caller system = Caller::System();
  engines::Rng rng(engines::MixSeed(seed, 0x6375'6c74));  // "cult"
  DemoCultivation out;
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ParseScopePrefix(county));

  std::vector<int64_t> villages;
  std::vector<int64_t> townships;
  std::vector<Cadre> cadres;                 // current two-committee members and reserves
  std::vector<Cadre> first_secretaries;
  std::map<int64_t, int64_t> reserves;       // village -> current reserve cadres
  {
    auto db = env.pool->Acquire();
    QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
      QJ_ASSIGN_OR_RETURN(auto rows, db->Query("SELECT code, level FROM division WHERE code"
                                               " BETWEEN ? AND ? AND level IN ('village',"
                                               " 'township') ORDER BY code",
                                               {Value(range.lo), Value(range.hi)}));
      for (const auto& r : rows) {
        const int64_t code = r.Int(0);
        if (r.Text(1) == "township") townships.push_back(code);
        else if (code % 1000 >= 200 && code % 1000 <= 399) villages.push_back(code);
      }
      const std::string d = today.ToString();
      QJ_ASSIGN_OR_RETURN(auto posts,
                          db->Query("SELECT s.person_id, s.division_code, s.kind FROM post s"
                                    " WHERE s.division_code BETWEEN ? AND ? AND " +
                                        std::string(kCurrentPost) + " ORDER BY s.id",
                                    {Value(range.lo), Value(range.hi), Value(d), Value(d)}));
      for (const auto& r : posts) {
        const std::string kind = r.Text(2);
        if (kind == "first_secretary") first_secretaries.push_back({r.Int(0), r.Int(1)});
        if (kind == "reserve_cadre") ++reserves[r.Int(1)];
        if (domain::IsTwoCommitteePost(kind) || kind == "reserve_cadre")
          cadres.push_back({r.Int(0), r.Int(1)});
      }
      return Status::Ok();
    }));
  }
  if (villages.empty()) return out;

  // The county's defaults, stated explicitly so the settings screen shows them.
  QJ_RETURN_IF_ERROR(cv.health
                         .PutSettings(system, CultivationSettings{county, kDefaultReserveTarget,
                                                                  kDefaultAnnualHours})
                         .status());

  auto step = [&](int64_t person, std::string_view stage, const Date& d, int months = 0) {
    domain::MembershipStep s;
    s.person_id = person;
    s.stage = std::string(stage);
    s.date = d;
    s.months = months;
    auto r = cv.membership.AddStep(system, s);
    out.membership_steps += r.ok();
    return r.status();
  };
  auto cadre_step = [&](int64_t person, std::string_view stage, const Date& d) {
    domain::CadreStep s;
    s.person_id = person;
    s.stage = std::string(stage);
    s.date = d;
    auto r = cv.cadres.AddStep(system, s);
    out.cadre_steps += r.ok();
    return r.status();
  };

  // Talent: two to three per village, each source and channel in turn.
  std::vector<std::pair<int64_t, int64_t>> talent_people;  // person, village
  std::map<int64_t, std::string> source_of;
  size_t n = 0;
  for (size_t vi = 0; vi < villages.size(); ++vi) {
    const int64_t village = villages[vi];
    const int count = 2 + static_cast<int>(rng.Below(2));
    for (int k = 0; k < count; ++k, ++n) {
      const bool female = rng.Permille(350);
      const int age = static_cast<int>(rng.Between(23, 46));
      const Date birth = today.AddMonths(-12 * age).AddDays(-rng.Between(0, 360));
      domain::Person p;
      p.name = Name(rng);
      p.sex = female ? domain::Sex::kFemale : domain::Sex::kMale;
      p.ethnicity = "汉族";
      p.education = std::array<std::string_view, 4>{"senior_secondary", "junior_college",
                                                    "bachelor", "junior_secondary"}[rng.Below(4)];
      p.party_status = "masses";
      p.division_code = village;
      domain::Talent t;
      t.source = std::string(kSources[n % kSources.size()]);
      t.channel = std::string(kChannels[(n / kSources.size()) % kChannels.size()]);
      t.nominator = t.channel == "org_nomination"   ? "镇党委"
                    : t.channel == "mass_nomination" ? "村民代表会议"
                                                     : "";
      t.ability_rating = static_cast<int>(rng.Between(2, 5));
      t.skills = {std::string(kSkills[rng.Below(kSkills.size())])};
      t.entered_on = today.AddMonths(-static_cast<int>(rng.Between(40, 50)));
      for (int attempt = 0;; ++attempt) {
        const int seq = female ? static_cast<int>(rng.Between(1, 499)) * 2
                               : static_cast<int>(rng.Between(0, 499)) * 2 + 1;
        std::string id = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", county.substr(0, 6),
                                     birth.year(), birth.month(), birth.day(), seq);
        id += engines::demo::IdCheckCharacter(id);
        p.id_number = id;
        auto created = cv.talent.Create(system, t, p);
        if (created.ok()) {
          talent_people.emplace_back(created->talent.person_id, village);
          source_of[created->talent.person_id] = t.source;
          ++out.talent;
          break;
        }
        if (created.status().code() != StatusCode::kAlreadyExists || attempt > 20)
          return created.status();
      }
    }
  }

  // Membership pipelines: the stage each talent reaches cycles through a mix; dates count back
  // from today so some timed steps are overdue.
  std::vector<int64_t> members;  // full members through the pipeline
  for (size_t i = 0; i < talent_people.size(); ++i) {
    const int64_t person = talent_people[i].first;
    const int mix = static_cast<int>(i % 10);
    if (mix == 9) continue;  // not applied yet
    const int jitter = static_cast<int>(rng.Between(0, 60));
    switch (mix) {
      case 0:  // applicant, recent
        QJ_RETURN_IF_ERROR(step(person, "applicant", today.AddDays(-20 - jitter)));
        break;
      case 1:  // activist for months: not due yet
        QJ_RETURN_IF_ERROR(step(person, "applicant", today.AddMonths(-10).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(step(person, "activist", today.AddMonths(-8).AddDays(-jitter)));
        break;
      case 2:  // activist past a year: due (some overdue)
      case 3:
        QJ_RETURN_IF_ERROR(step(person, "applicant", today.AddMonths(-20).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(
            step(person, "activist", today.AddMonths(mix == 2 ? -13 : -17).AddDays(-jitter)));
        break;
      case 4:  // development target
        QJ_RETURN_IF_ERROR(step(person, "applicant", today.AddMonths(-30).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(step(person, "activist", today.AddMonths(-28).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(
            step(person, "development_target", today.AddMonths(-14).AddDays(-jitter)));
        break;
      case 5:  // probationary, probation ending soon or past (overdue for some)
      case 6: {
        const int back = mix == 5 ? 11 : 16;
        QJ_RETURN_IF_ERROR(step(person, "applicant", today.AddMonths(-back - 30)));
        QJ_RETURN_IF_ERROR(step(person, "activist", today.AddMonths(-back - 28)));
        QJ_RETURN_IF_ERROR(step(person, "development_target", today.AddMonths(-back - 14)));
        QJ_RETURN_IF_ERROR(
            step(person, "probationary_member", today.AddMonths(-back).AddDays(-jitter)));
        break;
      }
      case 7:  // probation extended once
        QJ_RETURN_IF_ERROR(step(person, "applicant", today.AddMonths(-50)));
        QJ_RETURN_IF_ERROR(step(person, "activist", today.AddMonths(-48)));
        QJ_RETURN_IF_ERROR(step(person, "development_target", today.AddMonths(-34)));
        QJ_RETURN_IF_ERROR(step(person, "probationary_member", today.AddMonths(-14)));
        QJ_RETURN_IF_ERROR(step(person, "probation_extended", today.AddMonths(-2), 6));
        break;
      case 8:  // the whole way
        QJ_RETURN_IF_ERROR(step(person, "applicant", today.AddMonths(-48).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(step(person, "activist", today.AddMonths(-46).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(
            step(person, "development_target", today.AddMonths(-33).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(
            step(person, "probationary_member", today.AddMonths(-30).AddDays(-jitter)));
        QJ_RETURN_IF_ERROR(step(person, "member", today.AddMonths(-18).AddDays(-jitter)));
        members.push_back(person);
        break;
    }
  }

  // Cadre pipelines: about half the villages bring their reserves up to the target of 2; the
  // rest stay short. A third of the new reserves already joined the two committees.
  std::map<int64_t, std::vector<int64_t>> talent_of;
  for (const auto& [person, village] : talent_people) talent_of[village].push_back(person);
  size_t vi = 0;
  for (const auto& [village, people] : talent_of) {
    if (vi++ % 2 == 1) continue;
    int64_t have = reserves.count(village) ? reserves[village] : 0;
    for (size_t k = 0; k < people.size() && have < kDefaultReserveTarget; ++k) {
      const Date when = today.AddMonths(-static_cast<int>(rng.Between(14, 30)));
      QJ_RETURN_IF_ERROR(cadre_step(people[k], "reserve_cadre", when));
      cadres.push_back({people[k], village});
      ++have;
      if (rng.Permille(330)) {
        QJ_RETURN_IF_ERROR(
            cadre_step(people[k], "two_committee_member", today.AddMonths(-rng.Between(2, 12))));
        --have;
      }
    }
  }
  // Party-member wealth leaders and co-op chairs who completed the pipeline manage collectives.
  for (int64_t person : members) {
    const std::string& source = source_of[person];
    if (source != "wealth_leader" && source != "coop_chair") continue;
    QJ_RETURN_IF_ERROR(cadre_step(person, "collective_manager", today.AddMonths(-6)));
  }

  // Courses: the county's six over last year and this one, and one per township this year; a
  // course is attended when it has started.
  std::vector<std::pair<int64_t, int64_t>> course_ids;  // id, organizer
  for (int year : {today.year() - 1, today.year()}) {
    for (const CourseTemplate& c : kCounty) {
      domain::Course course;
      course.division_code = range.lo;
      course.title = fmt::format("{}年{}", year, c.title);
      course.kind = std::string(c.kind);
      course.mode = std::string(c.mode);
      course.direction = std::string(c.direction);
      for (auto t : c.topics) {
        if (!t.empty()) course.topics.emplace_back(t);
      }
      course.hours = c.hours;
      course.start_date = *Date::FromYmd(year, c.month, 10);
      course.end_date = course.start_date.AddDays(c.days - 1);
      course.place = c.direction == "go_out" ? "浙江省安吉县" : "县委党校";
      QJ_ASSIGN_OR_RETURN(auto created, cv.training.Create(system, course));
      course_ids.emplace_back(created.view.course.id, range.lo);
      ++out.courses;
    }
  }
  for (int64_t township : townships) {
    domain::Course course;
    course.division_code = township;
    course.title = fmt::format("{}年村级后备干部能力提升班", today.year());
    course.kind = "on_job";
    course.mode = "seminar";
    course.direction = "bring_in";
    course.topics = {"management", "policy_law"};
    course.hours = 8;
    course.start_date = *Date::FromYmd(today.year(), 3, 20);
    course.end_date = course.start_date;
    course.place = "镇党群服务中心";
    QJ_ASSIGN_OR_RETURN(auto created, cv.training.Create(system, course));
    course_ids.emplace_back(created.view.course.id, township);
    ++out.courses;
  }
  std::sort(cadres.begin(), cadres.end(),
            [](const Cadre& a, const Cadre& b) { return a.person_id < b.person_id; });
  cadres.erase(std::unique(cadres.begin(), cadres.end(),
                           [](const Cadre& a, const Cadre& b) {
                             return a.person_id == b.person_id;
                           }),
               cadres.end());
  for (const auto& [id, organizer] : course_ids) {
    QJ_ASSIGN_OR_RETURN(auto course, cv.training.Get(system, id));
    if (course.view.course.start_date > today) continue;
    const std::string prefix = OrganizerPrefix(organizer);
    std::vector<domain::Attendance> list;
    for (const Cadre& c : cadres) {
      if (fmt::format("{:012d}", c.village).rfind(prefix, 0) != 0) continue;
      if (!rng.Permille(organizer == range.lo ? 550 : 800)) continue;
      domain::Attendance a;
      a.person_id = c.person_id;
      a.attended = rng.Permille(930);
      a.completed = a.attended && rng.Permille(900);
      if (a.attended && !a.completed) a.hours = course.view.course.hours / 2;
      list.push_back(a);
    }
    if (list.empty()) continue;
    QJ_RETURN_IF_ERROR(cv.training.SetAttendance(system, id, list).status());
    out.attendance += static_cast<int64_t>(list.size());
  }

  // Practice: secondments of some talent and reserves, mentoring by first secretaries.
  for (size_t i = 0; i < talent_people.size(); i += 9) {
    domain::Secondment s;
    s.person_id = talent_people[i].first;
    s.host_kind = std::array<std::string_view, 3>{"enterprise", "park", "new_org"}[i % 3];
    s.host = std::string(kHosts[(i / 9) % kHosts.size()]);
    s.start_date = today.AddMonths(-static_cast<int>(rng.Between(2, 18)));
    if (s.start_date < today.AddMonths(-8)) s.end_date = s.start_date.AddMonths(6);
    s.goals = "学习企业经营管理和市场营销，回村牵头发展一个产业项目";
    QJ_RETURN_IF_ERROR(cv.practice.CreateSecondment(system, s).status());
    ++out.secondments;
  }
  for (const Cadre& fs : first_secretaries) {
    // The youngest-looking partner: a cadre or reserve of the same village.
    for (const Cadre& c : cadres) {
      if (c.village != fs.village || c.person_id == fs.person_id) continue;
      domain::Mentoring m;
      m.mentor_person_id = fs.person_id;
      m.mentee_person_id = c.person_id;
      m.goals = "一年内独立谋划一个集体经济项目，熟练主持“三会一课”";
      m.start_date = today.AddMonths(-static_cast<int>(rng.Between(1, 10)));
      QJ_RETURN_IF_ERROR(cv.practice.CreateMentoring(system, m).status());
      ++out.mentoring_pairs;
      break;
    }
    if (out.mentoring_pairs >= 20) break;
  }
  return out;
}

}  // namespace qiangji::services

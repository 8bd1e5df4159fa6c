// Rounds of every role on a real database (docs/dispatch.md §4): resident instructors go where
// neither a first secretary nor an instructor is in post; circuits group villages by township
// and top work type and share them out in balanced contiguous chunks within the capacity, with
// the villages left over reported; tracking instructors follow a project from its (or the
// round's) start to its end; local worthies are advisors who prefer their hometown; each role's
// confirmation makes its own kind of post, and the terms list shows them all.
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/dispatch_round_internal.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

// Five more villagers' committees of 龙泉关镇 (A3..A7) besides A1 and A2, so a circuit has more
// villages than one instructor covers.
constexpr int64_t kVillageA3 = 130624100203;
constexpr int64_t kVillageA4 = 130624100204;
constexpr int64_t kVillageA5 = 130624100205;
constexpr int64_t kVillageA6 = 130624100206;
constexpr int64_t kVillageA7 = 130624100207;
constexpr int64_t kVillageA8 = 130624100208;  // relocation settlement: a planning circuit

class DispatchRolesTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (HasFatalFailure()) return;
    env_ = Env{pool_.get(), secrets_.get()};
    dispatch_ = std::make_unique<DispatchServices>(env_);
    const std::pair<int64_t, const char*> more[] = {
        {kVillageA3, "大岸底村"}, {kVillageA4, "黑崖沟村"}, {kVillageA5, "北刘庄村"},
        {kVillageA6, "南刘庄村"}, {kVillageA7, "八里沟村"}, {kVillageA8, "龙泉关村"}};
    for (const auto& [code, name] : more) {
      ASSERT_TRUE(db_->Execute("INSERT INTO division (code, level, name, parent_code)"
                               " VALUES (?, 'village', ?, ?)",
                               {storage::Value(code), storage::Value(std::string(name)),
                                storage::Value(kTownA)})
                      .ok());
    }
    // Key villages need industry most (priority 25); A1 is also lifted from poverty (35, still
    // industry first); A8 is a key village and a relocation settlement (40, planning first).
    for (int64_t code :
         {kVillageA2, kVillageA3, kVillageA4, kVillageA5, kVillageA6, kVillageA7, kVillageB1})
      Tag(code, {"key_village"});
    Tag(kVillageA1, {"key_village", "lifted_from_poverty"});
    Tag(kVillageA8, {"key_village", "relocation_settlement"});
  }
  void TearDown() override {
    dispatch_.reset();
    ServicesTest::TearDown();
  }

  void Tag(int64_t code, std::vector<std::string> tags) {
    domain::Village v;
    v.division_code = code;
    v.tags = std::move(tags);
    ASSERT_TRUE(svc().villages.Put(county_, v).ok());
  }

  int64_t AddPerson(const std::string& kind, const std::string& name, const std::string& birth,
                    const std::string& seq, const std::string& unit,
                    std::vector<std::string> skills, int64_t home, int term_months = 24) {
    domain::Cadre c;
    c.kind = kind;
    c.name = name;
    c.id_number = IdNumber(birth, seq);
    c.sex = (seq.back() - '0') % 2 ? domain::Sex::kMale : domain::Sex::kFemale;
    c.sending_unit = unit;
    c.unit_kind = kind == "worthy" ? "private_enterprise" : "party_agency";
    c.skills = std::move(skills);
    c.home_code = home;
    c.term_months = term_months;
    auto made = dispatch_->pool.Create(county_, c);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->id : 0;
  }

  static internal::Clock At(const std::string& day) {
    return internal::ClockAt(Date::Parse(day).value());
  }

  domain::DispatchRound Opened(const std::string& role, domain::RoundRules rules = {},
                               const std::string& start = "2026-03-01") {
    domain::DispatchRound r;
    r.role = role;
    r.name = "测试 " + role;
    r.start_date = Date::Parse(start).value();
    r.seed = 11;
    r.rules = rules;
    auto made = internal::CreateRound(env_, county_, r, At("2026-01-10"));
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    if (!made.ok()) return r;
    auto opened = internal::OpenRound(env_, county_, made->id, At("2026-01-11"));
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? *opened : *made;
  }

  std::vector<RoundVillage> Receivers(int64_t round) {
    auto v = dispatch_->rounds.Villages(county_, round);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : std::vector<RoundVillage>{};
  }

  int64_t AddPost(int64_t village, const std::string& kind, const std::string& seq) {
    auto person =
        svc().people.Create(system_, Person(village, "在岗" + kind, IdNumber("19800101", seq)));
    EXPECT_TRUE(person.ok()) << person.status().ToString();
    domain::Post p;
    p.person_id = person->person.id;
    p.division_code = village;
    p.kind = kind;
    p.start_date = Date::Parse("2025-01-01").value();
    auto post = svc().posts.Create(county_, p);
    EXPECT_TRUE(post.ok()) << post.status().ToString();
    return post.ok() ? post->post.id : 0;
  }

  static void ExpectFieldError(const Status& s, const std::string& field, const std::string& text) {
    ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    bool found = false;
    for (const FieldError& e : s.field_errors())
      found = found || (e.field == field && e.message.find(text) != std::string::npos);
    EXPECT_TRUE(found) << s.ToString();
  }

  Env env_;
  std::unique_ptr<DispatchServices> dispatch_;
};

TEST_F(DispatchRolesTest, ResidentInstructorsGoWhereNeitherAFirstSecretaryNorAnInstructorServes) {
  AddPost(kVillageA1, "first_secretary", "101");
  AddPost(kVillageA2, "instructor", "103");
  const int64_t cadre =
      AddPerson("cadre", "周敏", "19880315", "112", "保定市农业农村局", {"industry"}, 130602000000);
  AddPerson("worthy", "乡贤甲", "19700101", "131", "深圳某公司", {"industry"}, kVillageB1);
  domain::DispatchRound r = Opened("instructor_resident");
  ASSERT_EQ(r.status, "preferences_open");
  std::set<int64_t> codes;
  for (const RoundVillage& v : Receivers(r.id)) {
    EXPECT_EQ(v.kind, "village");
    EXPECT_EQ(v.id, v.need.division_code);
    codes.insert(v.id);
  }
  EXPECT_EQ(codes.count(kVillageA1), 0u) << "has a first secretary";
  EXPECT_EQ(codes.count(kVillageA2), 0u) << "has an instructor";
  EXPECT_EQ(codes.count(kVillageB1), 1u);
  EXPECT_EQ(codes.count(kCommunityA), 0u) << "below the threshold";
  // Cadres only: the worthy does not take part.
  auto people = dispatch_->rounds.Cadres(county_, r.id);
  ASSERT_TRUE(people.ok());
  ASSERT_EQ(people->size(), 1u);
  EXPECT_EQ(people->at(0).cadre.id, cadre);

  ASSERT_TRUE(
      dispatch_->rounds.PutPreference(county_, {r.id, "cadre", cadre, {{kVillageB1}}, false, ""})
          .ok());
  auto run = internal::RunRound(env_, county_, r.id, At("2026-02-01"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->assignments.size(), 1u);
  EXPECT_EQ(run->assignments[0].division_code, kVillageB1);
  EXPECT_EQ(run->assignments[0].unit_id, 0);
  EXPECT_EQ(run->assignments[0].villages, std::vector<int64_t>{kVillageB1});
  auto confirmed = internal::ConfirmRound(env_, county_, r.id, At("2026-02-10"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(Count("post", "kind = 'instructor' AND division_code = " + std::to_string(kVillageB1) +
                              " AND start_date = '2026-03-01' AND end_date = '2028-03-01'"),
            1);
  EXPECT_EQ(
      Count("post", "kind = 'first_secretary' AND division_code = " + std::to_string(kVillageB1)),
      0);
  EXPECT_EQ(Count("cadre", "id = " + std::to_string(cadre) + " AND available = 0"), 1);
}

TEST_F(DispatchRolesTest, CircuitsShareTheirVillagesInBalancedChunksWithinCapacity) {
  domain::RoundRules rules;
  rules.min_priority = 20;
  rules.circuit_capacity = 3;
  rules.max_per_unit_per_township = 0;
  const int64_t i1 =
      AddPerson("cadre", "甲", "19800101", "011", "单位甲", {"industry"}, 110105000000);
  const int64_t i2 =
      AddPerson("cadre", "乙", "19800101", "021", "单位乙", {"industry", "finance"}, 110105000000);
  const int64_t i3 = AddPerson("cadre", "丙", "19800101", "031", "单位丙",
                               {"e_commerce", "industry"}, 110105000000);
  const int64_t p1 = AddPerson("cadre", "丁", "19800101", "041", "单位丁",
                               {"planning_construction"}, 110105000000);
  domain::DispatchRound r = Opened("instructor_circuit", rules);
  ASSERT_EQ(r.status, "preferences_open");
  std::vector<RoundVillage> circuits = Receivers(r.id);
  // 龙泉关镇: industry (A1..A7) and planning (A8); 平阳镇: industry (B1). One township and one
  // work type each; seats ceil(villages / 3); the need is the work type alone.
  ASSERT_EQ(circuits.size(), 3u);
  std::map<std::pair<int64_t, std::string>, const RoundVillage*> by;
  for (const RoundVillage& c : circuits) {
    EXPECT_EQ(c.kind, "circuit");
    EXPECT_GT(c.id, 0);
    for (int64_t v : c.villages) EXPECT_EQ(v / 1000 * 1000, c.need.division_code) << c.name;
    EXPECT_TRUE(std::is_sorted(c.villages.begin(), c.villages.end()));
    ASSERT_EQ(c.need.skills.size(), 1u);
    EXPECT_EQ(c.need.skills[0].first, c.work_type);
    EXPECT_EQ(c.seats, static_cast<int>((c.villages.size() + 2) / 3));
    EXPECT_EQ(c.village_needs.size(), c.villages.size());
    by[{c.need.division_code, c.work_type}] = &c;
  }
  auto circuit = [&](int64_t township, const std::string& work) {
    return by[std::make_pair(township, work)];
  };
  const RoundVillage* a_industry = circuit(kTownA, "industry");
  ASSERT_NE(a_industry, nullptr);
  EXPECT_EQ(a_industry->villages,
            (std::vector<int64_t>{kVillageA1, kVillageA2, kVillageA3, kVillageA4, kVillageA5,
                                  kVillageA6, kVillageA7}));
  EXPECT_EQ(a_industry->seats, 3);
  EXPECT_EQ(a_industry->name, "龙泉关镇·产业发展巡回组");
  EXPECT_NEAR(a_industry->need.priority, (35.0 + 6 * 25) / 7, 1e-9);
  ASSERT_NE(circuit(kTownA, "planning_construction"), nullptr);
  EXPECT_EQ(circuit(kTownA, "planning_construction")->villages, std::vector<int64_t>{kVillageA8});
  ASSERT_NE(circuit(kTownB, "industry"), nullptr);

  // A list naming an unknown circuit, or an instructor without the circuit's work type, is a
  // field error; nothing is stored.
  ExpectFieldError(
      dispatch_->rounds
          .PutPreference(county_, {r.id, "cadre", i1, {{a_industry->id}, {999999}}, false, ""})
          .status(),
      "tiers[1][0]", "circuit 999999 is not a participant");
  ExpectFieldError(
      dispatch_->rounds
          .PutPreference(county_, {r.id, "village", a_industry->id, {{i1}, {p1}}, false, ""})
          .status(),
      "tiers[1][0]", "does not bring");
  EXPECT_EQ(dispatch_->rounds.PutPreference(county_, {r.id, "village", 999999, {{i1}}, false, ""})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("preference"), 0);
  // A township enters its own circuits' lists only.
  EXPECT_EQ(
      dispatch_->rounds.PutPreference(town_b_, {r.id, "village", a_industry->id, {{i1}}, false, ""})
          .status()
          .code(),
      StatusCode::kNotFound);
  ASSERT_TRUE(
      dispatch_->rounds
          .PutPreference(town_a_, {r.id, "village", a_industry->id, {{i3}, {i1, i2}}, false, ""})
          .ok());

  auto run = internal::RunRound(env_, county_, r.id, At("2026-02-01"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->blocking_pairs, 0);
  // The three industry instructors fill 龙泉关镇's three seats: chunks 3, 2, 2 in code order,
  // the circuit's first choice first.
  std::vector<const domain::Assignment*> a_share;
  for (const domain::Assignment& a : run->assignments) {
    EXPECT_LE(a.villages.size(), 3u);
    if (a.unit_id == a_industry->id) a_share.push_back(&a);
  }
  ASSERT_EQ(a_share.size(), 3u);
  std::sort(a_share.begin(), a_share.end(),
            [](const auto* x, const auto* y) { return x->villages.front() < y->villages.front(); });
  EXPECT_EQ(a_share[0]->cadre_id, i3);
  EXPECT_EQ(a_share[0]->villages, (std::vector<int64_t>{kVillageA1, kVillageA2, kVillageA3}));
  EXPECT_EQ(a_share[1]->villages, (std::vector<int64_t>{kVillageA4, kVillageA5}));
  EXPECT_EQ(a_share[2]->villages, (std::vector<int64_t>{kVillageA6, kVillageA7}));
  for (const auto* a : a_share) EXPECT_EQ(a->division_code, kTownA);
  // The planner takes 龙泉关村's planning circuit; 平阳镇's industry circuit is left with nobody.
  bool planner = false;
  for (const domain::Assignment& a : run->assignments)
    planner = planner || (a.cadre_id == p1 && a.villages == std::vector<int64_t>{kVillageA8});
  EXPECT_TRUE(planner);
  ASSERT_EQ(run->uncovered.size(), 1u);
  EXPECT_EQ(run->uncovered[0].division_code, kVillageB1);
  EXPECT_EQ(run->uncovered[0].unit_name, "平阳镇·产业发展巡回组");
  EXPECT_NE(run->uncovered[0].reason.find("未派到巡回指导员"), std::string::npos);
  bool named = false;
  for (const Unmatched& u : run->unmatched)
    named = named || (u.side == "village" && u.name == "平阳镇·产业发展巡回组");
  EXPECT_TRUE(named) << "the circuit's open seat names the circuit";
  for (const auto& e : run->explanations) {
    if (e.side == "village" && e.id == a_industry->id) {
      EXPECT_NE(e.lines[0].find("分工：丙负责骆驼湾村、顾家台村、大岸底村"), std::string::npos)
          << e.lines[0];
    }
    if (e.side == "cadre" && e.id == i3) {
      EXPECT_NE(e.lines[0].find("龙泉关镇·产业发展巡回组"), std::string::npos) << e.lines[0];
    }
  }
  // The stored result reads back the same shares and the uncovered village.
  auto stored = dispatch_->rounds.GetResult(county_, r.id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->uncovered.size(), 1u);
  for (const domain::Assignment& a : stored->assignments) {
    for (const domain::Assignment& b : run->assignments) {
      if (a.cadre_id == b.cadre_id) {
        EXPECT_EQ(a.villages, b.villages);
      }
    }
  }
  const auto json = RoundResultJson(*stored);
  EXPECT_EQ(json.at("uncovered").as_array().size(), 1u);
  const auto& first = json.at("assignments").as_array()[0].as_object();
  EXPECT_TRUE(first.at("unit_id").is_int64());
  EXPECT_FALSE(first.at("unit_name").as_string().empty());

  // Confirmation: one instructor post per village covered, the first one's id as post_id.
  auto confirmed = internal::ConfirmRound(env_, county_, r.id, At("2026-02-10"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  int64_t posts = 0;
  for (const domain::Assignment& a : confirmed->assignments) {
    ASSERT_EQ(a.post_ids.size(), a.villages.size());
    EXPECT_EQ(a.post_id, a.post_ids.front());
    posts += static_cast<int64_t>(a.post_ids.size());
  }
  EXPECT_EQ(posts, 8);
  EXPECT_EQ(Count("post", "kind = 'instructor'"), 8);
  EXPECT_EQ(Count("post", "kind = 'instructor' AND division_code = " + std::to_string(kVillageB1)),
            0);
  // The instructor is a person of his first village.
  EXPECT_EQ(Count("person p JOIN cadre c ON c.person_id = p.id",
                  "c.id = " + std::to_string(i3) +
                      " AND p.division_code = " + std::to_string(kVillageA1)),
            1);
  // Terms list every post, each with the round.
  auto terms = internal::FirstSecretaryTerms(env_, county_, 90, Date::Parse("2026-06-01").value());
  ASSERT_TRUE(terms.ok());
  ASSERT_EQ(terms->size(), 8u);
  for (const FirstSecretaryTerm& t : *terms) {
    EXPECT_EQ(t.post_kind, "instructor");
    EXPECT_EQ(t.round_id, r.id);
  }
  // A township's view of the result: its own circuits' assignments and explanations.
  auto mine = dispatch_->rounds.GetResult(town_b_, r.id);
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->assignments.empty());
  ASSERT_EQ(mine->uncovered.size(), 1u);
  for (const auto& e : mine->explanations)
    if (e.side == "village") {
      EXPECT_EQ(e.id, circuit(kTownB, "industry")->id);
    }
}

TEST_F(DispatchRolesTest, TooFewCircuitInstructorsLeaveTheLowestPriorityVillagesUncovered) {
  domain::RoundRules rules;
  rules.min_priority = 20;
  rules.circuit_capacity = 3;
  rules.max_per_unit_per_township = 0;
  AddPerson("cadre", "甲", "19800101", "011", "单位甲", {"industry"}, 110105000000);
  AddPerson("cadre", "乙", "19800101", "021", "单位乙", {"industry"}, 110105000000);
  // A2 is lifted from poverty too: with A1 the two villages of priority 35.
  Tag(kVillageA2, {"key_village", "lifted_from_poverty"});
  domain::DispatchRound r = Opened("instructor_circuit", rules);
  auto run = internal::RunRound(env_, county_, r.id, At("2026-02-01"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  std::vector<std::vector<int64_t>> shares;
  for (const domain::Assignment& a : run->assignments) shares.push_back(a.villages);
  std::sort(shares.begin(), shares.end());
  // Two instructors cover 6 of 龙泉关镇's 7 industry villages, 3 each; of the five equal ones
  // (priority 25) the last by code is left.
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_EQ(shares[0], (std::vector<int64_t>{kVillageA1, kVillageA2, kVillageA3}));
  EXPECT_EQ(shares[1], (std::vector<int64_t>{kVillageA4, kVillageA5, kVillageA6}));
  std::set<int64_t> uncovered;
  for (const auto& u : run->uncovered) {
    uncovered.insert(u.division_code);
    EXPECT_FALSE(u.reason.empty());
  }
  EXPECT_EQ(uncovered, (std::set<int64_t>{kVillageA7, kVillageA8, kVillageB1}));
  for (const auto& u : run->uncovered) {
    if (u.division_code == kVillageA7) {
      EXPECT_NE(u.reason.find("只派到2名"), std::string::npos) << u.reason;
    }
  }
}

TEST_F(DispatchRolesTest, TrackingInstructorsFollowAProjectFromItsStartToItsEnd) {
  auto project = [&](int64_t village, const std::string& name, const std::string& work,
                     const std::string& start, const std::string& end, const std::string& status) {
    auto rows = db_->Query(
        "INSERT INTO project (division_code, name, work_type, start_date, end_date, status,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '2025-01-01', '2025-01-01') RETURNING "
        "id",
        {storage::Value(village), storage::Value(name), storage::Value(work), storage::Value(start),
         storage::Value(end), storage::Value(status)});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->at(0).Int(0) : int64_t{0};
  };
  const int64_t underway = project(kVillageA1, "骆驼湾村食用菌大棚扩建项目", "industry",
                                   "2025-06-01", "2027-12-01", "underway");
  const int64_t planned = project(kVillageB1, "平阳村道路硬化工程", "planning_construction",
                                  "2026-05-01", "2028-05-01", "planned");
  project(kVillageA2, "已完工项目", "industry", "2024-01-01", "2025-12-01", "done");
  project(kVillageA3, "开工前已结束", "industry", "2025-01-01", "2026-02-01", "underway");
  const int64_t c1 =
      AddPerson("cadre", "甲", "19800101", "011", "单位甲", {"industry"}, 110105000000);
  const int64_t c2 = AddPerson("cadre", "乙", "19800101", "021", "单位乙",
                               {"planning_construction"}, 110105000000);
  domain::DispatchRound r = Opened("instructor_tracking");
  std::vector<RoundVillage> projects = Receivers(r.id);
  ASSERT_EQ(projects.size(), 2u);
  for (const RoundVillage& p : projects) {
    EXPECT_EQ(p.kind, "project");
    ASSERT_TRUE(p.project.has_value());
    EXPECT_EQ(p.id, p.project->id);
    // The project's work type first and heaviest (1 against the village's half weights).
    ASSERT_FALSE(p.need.skills.empty());
    EXPECT_EQ(p.need.skills[0].first, p.work_type);
    EXPECT_GE(p.need.skills[0].second, 1 / 1.5 - 1e-9);
    double sum = 0;
    for (const auto& [k, w] : p.need.skills) sum += w;
    EXPECT_NEAR(sum, 1, 1e-9);
  }
  EXPECT_EQ(projects[0].id, underway);
  EXPECT_EQ(projects[0].name, "骆驼湾村食用菌大棚扩建项目（骆驼湾村）");
  EXPECT_EQ(projects[1].id, planned);
  // The registry's long committee names are shortened in a project's name.
  EXPECT_EQ(internal::ProjectReceiverName("石猴村道路硬化工程", "石猴村村民委员会"),
            "石猴村道路硬化工程（石猴村）");
  EXPECT_EQ(internal::ProjectReceiverName("社区卫生室", "城关社区居民委员会"),
            "社区卫生室（城关社区）");

  auto run = internal::RunRound(env_, county_, r.id, At("2026-02-01"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->assignments.size(), 2u);
  auto confirmed = internal::ConfirmRound(env_, county_, r.id, At("2026-02-10"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  for (const domain::Assignment& a : confirmed->assignments) {
    ASSERT_TRUE(a.start_date && a.end_date);
    if (a.unit_id == underway) {
      EXPECT_EQ(a.cadre_id, c1);
      EXPECT_EQ(a.division_code, kVillageA1);
      EXPECT_EQ(a.start_date->ToString(), "2026-03-01");  // the round's start: the project began
      EXPECT_EQ(a.end_date->ToString(), "2027-12-01");    // the project's end, not a term
    } else {
      EXPECT_EQ(a.unit_id, planned);
      EXPECT_EQ(a.cadre_id, c2);
      EXPECT_EQ(a.start_date->ToString(), "2026-05-01");  // the project's later start
      EXPECT_EQ(a.end_date->ToString(), "2028-05-01");
    }
  }
  EXPECT_EQ(Count("post", "kind = 'instructor' AND division_code = " + std::to_string(kVillageA1) +
                              " AND start_date = '2026-03-01' AND end_date = '2027-12-01'"),
            1);
  // Both projects are followed now: a second round finds none.
  domain::DispatchRound again;
  again.role = "instructor_tracking";
  again.name = "再一轮";
  again.start_date = Date::Parse("2026-06-01").value();
  auto made = internal::CreateRound(env_, county_, again, At("2026-04-01"));
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(internal::OpenRound(env_, county_, made->id, At("2026-04-02")).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(DispatchRolesTest, AdvisorsAreLocalWorthiesWhoPreferTheirHometown) {
  AddPerson("cadre", "干部", "19800101", "011", "单位甲", {"industry"}, 110105000000);
  // Same skills; one is from 平阳村, the other from outside the county.
  const int64_t native = AddPerson("worthy", "平阳乡贤", "19650101", "031", "石家庄某食品公司",
                                   {"industry"}, kVillageB1, 36);
  const int64_t outsider = AddPerson("worthy", "外地乡贤", "19660101", "051", "北京某商会",
                                     {"industry"}, 110105000000, 36);
  domain::RoundRules rules;
  rules.min_priority = 20;
  domain::DispatchRound r = Opened("advisor", rules);
  ASSERT_EQ(r.status, "preferences_open");
  auto people = dispatch_->rounds.Cadres(county_, r.id);
  ASSERT_TRUE(people.ok());
  std::set<int64_t> ids;
  for (const RoundCadre& c : *people) {
    EXPECT_EQ(c.cadre.kind, "worthy");
    ids.insert(c.cadre.id);
  }
  EXPECT_EQ(ids, (std::set<int64_t>{native, outsider}));
  // No avoidance rule for worthies: the native may list his own village.
  ASSERT_TRUE(
      dispatch_->rounds.PutPreference(county_, {r.id, "village", kVillageB1, {{native}}, false, ""})
          .ok());
  ASSERT_TRUE(
      dispatch_->rounds.PutPreference(county_, {r.id, "village", kVillageB1, {}, false, ""}).ok());
  auto run = internal::RunRound(env_, county_, r.id, At("2026-02-01"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // The derived list of the native worthy puts his hometown first, though 骆驼湾村 has the
  // higher priority; the outsider's does not.
  auto cadres = dispatch_->rounds.Cadres(county_, r.id);
  ASSERT_TRUE(cadres.ok());
  for (const RoundCadre& c : *cadres) {
    ASSERT_TRUE(c.preference.has_value());
    EXPECT_TRUE(c.preference->derived);
    ASSERT_FALSE(c.preference->tiers.empty());
    if (c.cadre.id == native) {
      EXPECT_EQ(c.preference->tiers[0], std::vector<int64_t>{kVillageB1});
    }
    if (c.cadre.id == outsider) {
      EXPECT_NE(c.preference->tiers[0], std::vector<int64_t>{kVillageB1});
    }
  }
  int64_t native_village = 0;
  for (const domain::Assignment& a : run->assignments)
    if (a.cadre_id == native) native_village = a.division_code;
  EXPECT_EQ(native_village, kVillageB1);
  auto confirmed = internal::ConfirmRound(env_, county_, r.id, At("2026-02-10"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(Count("post", "kind = 'advisor' AND division_code = " + std::to_string(kVillageB1) +
                              " AND start_date = '2026-03-01' AND end_date = '2029-03-01'"),
            1);
  EXPECT_EQ(Count("post", "kind = 'advisor'"), 2);
  // A worthy joins as one of the masses (his record can say otherwise).
  EXPECT_EQ(Count("person p JOIN cadre c ON c.person_id = p.id",
                  "c.id = " + std::to_string(native) + " AND p.party_status = 'masses'"),
            1);
  // A first-secretary round draws on cadres only.
  domain::DispatchRound fs = Opened("first_secretary");
  auto fs_people = dispatch_->rounds.Cadres(county_, fs.id);
  ASSERT_TRUE(fs_people.ok());
  for (const RoundCadre& c : *fs_people) EXPECT_EQ(c.cadre.kind, "cadre");
}

TEST_F(DispatchRolesTest, EachRoleConfirmsItsOwnPostKindAndTermsListThemAll) {
  // One round of each village role, one after another, each with one person of its kind.
  AddPerson("cadre", "书记人选", "19800101", "011", "单位甲", {"party_building"}, 110105000000);
  domain::RoundRules rules;
  rules.min_priority = 20;
  struct Step {
    std::string role, post_kind;
  };
  for (const Step& step : {Step{"first_secretary", "first_secretary"},
                           Step{"instructor_resident", "instructor"}, Step{"advisor", "advisor"}}) {
    if (step.role == "instructor_resident")
      AddPerson("cadre", "驻村人选", "19800101", "021", "单位乙", {"industry"}, 110105000000);
    if (step.role == "advisor")
      AddPerson("worthy", "顾问人选", "19600101", "041", "某公司", {"industry"}, kVillageA3);
    domain::DispatchRound r = Opened(step.role, rules);
    ASSERT_EQ(r.status, "preferences_open") << step.role;
    auto run = internal::RunRound(env_, county_, r.id, At("2026-02-01"));
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    ASSERT_EQ(run->assignments.size(), 1u) << step.role;
    auto confirmed = internal::ConfirmRound(env_, county_, r.id, At("2026-02-10"));
    ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
    const int64_t post = confirmed->assignments[0].post_id;
    EXPECT_EQ(
        Count("post", "id = " + std::to_string(post) + " AND kind = '" + step.post_kind + "'"), 1)
        << step.role;
  }
  auto terms = internal::FirstSecretaryTerms(env_, county_, 90, Date::Parse("2026-06-01").value());
  ASSERT_TRUE(terms.ok());
  std::set<std::string> kinds;
  for (const FirstSecretaryTerm& t : *terms) {
    kinds.insert(t.post_kind);
    EXPECT_GT(t.round_id, 0);
    EXPECT_TRUE(t.current);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"first_secretary", "instructor", "advisor"}));
  EXPECT_EQ(FirstSecretaryTermJson(terms->at(0)).at("post_kind").as_string(),
            terms->at(0).post_kind);
}

TEST_F(DispatchRolesTest, CircuitCapacityIsValidatedAndReadFromJson) {
  auto parsed = RoundFromJson(
      boost::json::parse(
          R"({"name":"巡回","start_date":"2026-03-01","role":"instructor_circuit","rules":{"circuit_capacity":4}})")
          .as_object());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->rules.circuit_capacity, 4);
  EXPECT_EQ(RoundJson(*parsed).at("rules").at("circuit_capacity").as_int64(), 4);
  parsed->rules.circuit_capacity = 0;
  ExpectFieldError(dispatch_->rounds.Create(county_, *parsed).status(), "rules.circuit_capacity",
                   "between 1 and 20");
  EXPECT_EQ(Count("dispatch_round"), 0);
  // Preferences of circuit rounds name circuits by id.
  auto pref = PreferenceFromJson(
      boost::json::parse(R"({"side":"cadre","owner":3,"tiers":[[12],["x"]]})").as_object(), 1,
      "circuit");
  ExpectFieldError(pref.status(), "tiers[1][0]", "circuit id");
  auto good = PreferenceFromJson(
      boost::json::parse(R"({"side":"village","owner":12,"tiers":[[3]]})").as_object(), 1,
      "circuit");
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->owner, 12);
  EXPECT_TRUE(PreferenceJson(*good, "circuit").at("owner").is_int64());
}

}  // namespace
}  // namespace qiangji::services::testing

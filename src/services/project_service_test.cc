// Village projects: who reads and who writes them (scope, roles), validation with field errors
// and nothing stored, audit rows, list filters, and a project's village fixed once a tracking
// round has taken it up.
#include <gtest/gtest.h>

#include "services/dispatch.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

bool Names(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors())
    if (e.field == field) return true;
  return false;
}

class ProjectServiceTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (HasFatalFailure()) return;
    dispatch_ = std::make_unique<DispatchServices>(Env{pool_.get(), secrets_.get()});
  }
  void TearDown() override {
    dispatch_.reset();
    ServicesTest::TearDown();
  }
  ProjectService& projects() { return dispatch_->projects; }

  static domain::Project Project(int64_t village, const std::string& name,
                                 const std::string& work_type = "planning_construction",
                                 const std::string& status = "underway") {
    domain::Project p;
    p.division_code = village;
    p.name = name;
    p.work_type = work_type;
    p.start_date = *Date::FromYmd(2025, 3, 1);
    p.end_date = *Date::FromYmd(2027, 3, 1);
    p.status = status;
    p.description = "新建冷库一座，配套道路硬化";
    return p;
  }

  std::unique_ptr<DispatchServices> dispatch_;
  const Caller village_a1_ = MakeCaller(domain::Role::kVillage, "130624100201", 5);
};

TEST_F(ProjectServiceTest, CountyCreatesAProjectThatIsNamedAuditedAndReadBack) {
  auto created = projects().Create(county_, Project(kVillageA1, "骆驼湾村冷链仓储项目"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->village_name, "骆驼湾村");
  EXPECT_EQ(created->township_code, kTownA);
  EXPECT_EQ(created->township_name, "龙泉关镇");
  EXPECT_FALSE(created->updated_at.empty());
  EXPECT_EQ(Count("project",
                  "division_code = 130624100201 AND status = 'underway'"
                  " AND start_date = '2025-03-01' AND end_date = '2027-03-01'"),
            1);

  auto audit = db_->Query("SELECT action, object, division_code, after_json FROM audit", {});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->at(0).Text(0), "project.create");
  EXPECT_EQ(audit->at(0).Text(1), "project/" + std::to_string(created->id));
  EXPECT_EQ(audit->at(0).Int(2), kVillageA1);
  EXPECT_NE(audit->at(0).Text(3).find("骆驼湾村冷链仓储项目"), std::string::npos);

  auto got = projects().Get(county_, created->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "骆驼湾村冷链仓储项目");
  EXPECT_EQ(got->work_type, "planning_construction");
  EXPECT_EQ(got->end_date, *Date::FromYmd(2027, 3, 1));
  EXPECT_EQ(got->description, "新建冷库一座，配套道路硬化");
  EXPECT_EQ(got->township_name, "龙泉关镇");
  EXPECT_EQ(projects().Get(county_, created->id + 1).status().code(), StatusCode::kNotFound);
}

TEST_F(ProjectServiceTest, ScopeDecidesWhoSeesAndWhoWrites) {
  auto a1 = projects().Create(town_a_, Project(kVillageA1, "骆驼湾村民宿改造"));
  ASSERT_TRUE(a1.ok()) << a1.status().ToString();
  auto b1 = projects().Create(county_, Project(kVillageB1, "平阳村光伏电站"));
  ASSERT_TRUE(b1.ok()) << b1.status().ToString();

  // Township B neither sees A's project nor can tell it exists.
  EXPECT_EQ(projects().Get(town_b_, a1->id).status().code(), StatusCode::kNotFound);
  auto listed = projects().List(town_b_, {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).id, b1->id);
  // ... nor create or edit one there.
  const int64_t audits = Count("audit");
  EXPECT_EQ(projects().Create(town_b_, Project(kVillageA2, "顾家台村道路")).status().code(),
            StatusCode::kNotFound);
  domain::Project edit = *a1;
  edit.status = "done";
  EXPECT_EQ(projects().Update(town_b_, edit).status().code(), StatusCode::kNotFound);
  // Moving B's project into A is refused for B as for a missing village.
  domain::Project move = *b1;
  move.division_code = kVillageA1;
  EXPECT_EQ(projects().Update(town_b_, move).status().code(), StatusCode::kNotFound);

  // Village staff and viewers read, never write.
  auto village_list = projects().List(village_a1_, {});
  ASSERT_TRUE(village_list.ok());
  ASSERT_EQ(village_list->size(), 1u);
  EXPECT_TRUE(projects().Get(village_a1_, a1->id).ok());
  EXPECT_EQ(projects().Get(village_a1_, b1->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(projects().Create(village_a1_, Project(kVillageA1, "自建")).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(projects().Update(village_a1_, edit).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(projects().List(viewer_, {})->size(), 2u);
  EXPECT_EQ(projects().Create(viewer_, Project(kVillageA1, "看")).status().code(),
            StatusCode::kPermissionDenied);

  EXPECT_EQ(Count("project"), 2);
  EXPECT_EQ(Count("project", "status = 'done'"), 0);
  EXPECT_EQ(Count("audit"), audits);
}

TEST_F(ProjectServiceTest, InvalidProjectsAreRefusedWithFieldErrorsAndNothingStored) {
  domain::Project p = Project(kVillageA1, "");
  p.end_date = *Date::FromYmd(2024, 1, 1);  // before the start
  p.work_type = "tourism";
  p.status = "paused";
  auto bad = projects().Create(county_, p);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  for (const char* f : {"name", "end_date", "work_type", "status"})
    EXPECT_TRUE(Names(bad.status(), f)) << f << ": " << bad.status().ToString();

  // A township is not a village.
  auto township = projects().Create(county_, Project(kTownA, "全镇道路"));
  EXPECT_TRUE(Names(township.status(), "division_code")) << township.status().ToString();
  // An end equal to the start is no project either.
  domain::Project zero = Project(kVillageA1, "一日工程");
  zero.end_date = zero.start_date;
  EXPECT_TRUE(Names(projects().Create(county_, zero).status(), "end_date"));
  // A village code the registry does not hold answers like one outside the scope.
  EXPECT_EQ(projects().Create(county_, Project(130624100299, "无此村")).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Count("project"), 0);
  EXPECT_EQ(Count("audit"), 0);
}

TEST_F(ProjectServiceTest, UpdateReplacesTheRecordAndAuditsBothSnapshots) {
  auto created = projects().Create(county_, Project(kVillageA1, "骆驼湾村冷链仓储项目"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  domain::Project edit = *created;
  edit.status = "done";
  edit.end_date = *Date::FromYmd(2026, 6, 30);
  edit.division_code = kVillageA2;
  auto updated = projects().Update(town_a_, edit);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->village_name, "顾家台村");
  EXPECT_EQ(Count("project",
                  "status = 'done' AND end_date = '2026-06-30'"
                  " AND division_code = 130624100202"),
            1);
  auto audit =
      db_->Query("SELECT before_json, after_json FROM audit WHERE action = 'project.update'", {});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_NE(audit->at(0).Text(0).find("\"status\":\"underway\""), std::string::npos);
  EXPECT_NE(audit->at(0).Text(1).find("\"status\":\"done\""), std::string::npos);

  // An invalid edit changes nothing.
  domain::Project bad = *updated;
  bad.start_date = *Date::FromYmd(2030, 1, 1);
  EXPECT_TRUE(Names(projects().Update(county_, bad).status(), "end_date"));
  EXPECT_EQ(Count("project", "start_date = '2025-03-01'"), 1);
  domain::Project missing = *updated;
  missing.id += 100;
  EXPECT_EQ(projects().Update(county_, missing).status().code(), StatusCode::kNotFound);
}

TEST_F(ProjectServiceTest, AProjectTakenUpByATrackingRoundKeepsItsVillage) {
  auto created = projects().Create(county_, Project(kVillageA1, "骆驼湾村冷链仓储项目"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_TRUE(db_->Execute("INSERT INTO dispatch_round (id, scope, scope_lo, scope_hi, role, name,"
                           " status, mode, proposing, seed, rules, start_date, created_at,"
                           " created_by) VALUES (1, '130624', 130624000000, 130624999999,"
                           " 'instructor_tracking', '跟踪指导员选派', 'preferences_open', 'stable',"
                           " 'people', 1, '{}', '2026-01-01', '2026-01-01T00:00:00Z', 'county')",
                           {})
                  .ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO round_project (round_id, project_id, division_code, need)"
                           " VALUES (1, ?, ?, '{}')",
                           {storage::Value(created->id), storage::Value(kVillageA1)})
                  .ok());
  domain::Project move = *created;
  move.division_code = kVillageA2;
  EXPECT_EQ(projects().Update(county_, move).status().code(), StatusCode::kFailedPrecondition);
  // Other edits are still fine.
  domain::Project edit = *created;
  edit.description = "已完成主体工程";
  EXPECT_TRUE(projects().Update(county_, edit).ok());
  EXPECT_EQ(Count("project", "division_code = 130624100201 AND description = '已完成主体工程'"), 1);
}

TEST_F(ProjectServiceTest, ListFiltersByPlaceStatusAndWorkType) {
  ASSERT_TRUE(projects().Create(county_, Project(kVillageA1, "冷链", "industry", "underway")).ok());
  ASSERT_TRUE(projects()
                  .Create(county_, Project(kVillageA2, "道路", "planning_construction", "planned"))
                  .ok());
  ASSERT_TRUE(projects().Create(county_, Project(kVillageB1, "电商", "e_commerce", "done")).ok());
  ProjectQuery q;
  q.under = "130624100";
  auto town_a = projects().List(county_, q);
  ASSERT_TRUE(town_a.ok());
  ASSERT_EQ(town_a->size(), 2u);
  EXPECT_EQ(town_a->at(0).name, "冷链") << "ordered by village";
  q = {};
  q.status = "done";
  auto done = projects().List(county_, q);
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ(done->at(0).name, "电商");
  q = {};
  q.work_type = "planning_construction";
  auto roads = projects().List(county_, q);
  ASSERT_EQ(roads->size(), 1u);
  EXPECT_EQ(roads->at(0).village_name, "顾家台村");
  q = {};
  q.status = "paused";
  q.work_type = "tourism";
  auto bad = projects().List(county_, q);
  EXPECT_TRUE(Names(bad.status(), "status"));
  EXPECT_TRUE(Names(bad.status(), "work_type"));
  q = {};
  q.under = "130624101";
  EXPECT_EQ(projects().List(town_a_, q).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace qiangji::services::testing

// Indicator sets over a real SQLite file: the shipped default stored once, versions per key,
// county/admin only, and AHP consistency (CR >= 0.10 rejected naming the matrix).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "services/assess_json.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

using domain::Role;

class IndicatorSetTest : public ServicesTest {
 protected:
  IndicatorSetService& sets() { return svc().assess.sets; }

  static domain::IndicatorSet Default() {
    auto set = DefaultIndicatorSet();
    EXPECT_TRUE(set.ok()) << set.status().ToString();
    return *set;
  }

  // Index of the AHP matrix named `name` in the default set.
  static size_t MatrixIndex(const domain::IndicatorSet& set, const std::string& name) {
    for (size_t i = 0; i < set.weighting.ahp.size(); ++i)
      if (set.weighting.ahp[i].name == name) return i;
    ADD_FAILURE() << "no matrix " << name;
    return 0;
  }
};

TEST_F(IndicatorSetTest, DefaultSetIsStoredOnceAsVersionOne) {
  ASSERT_TRUE(EnsureDefaultIndicatorSet(*db_).ok());
  ASSERT_TRUE(EnsureDefaultIndicatorSet(*db_).ok());
  EXPECT_EQ(Count("indicator_set"), 1);
  EXPECT_EQ(Count("audit", "action = 'indicator_set.create' AND username = 'system'"), 1);
  auto latest = sets().Latest(county_, "village-default");
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->version, 1);
  EXPECT_EQ(latest->created_by, "system");
  EXPECT_FALSE(latest->created_at.empty());
  // Stored and read back, it is the shipped set.
  domain::IndicatorSet shipped = Default();
  json::object a = IndicatorSetJson(*latest), b = IndicatorSetJson(shipped);
  for (const char* k : {"id", "created_at", "created_by"}) {
    a.erase(k);
    b.erase(k);
  }
  EXPECT_EQ(a, b);
  // A township user may read it too: sets are not village data.
  EXPECT_TRUE(sets().Get(town_a_, latest->id).ok());
}

TEST_F(IndicatorSetTest, EditingStoresTheNextVersion) {
  ASSERT_TRUE(EnsureDefaultIndicatorSet(*db_).ok());
  domain::IndicatorSet v2 = Default();
  v2.note = "满意度权重调整";
  v2.bands.thresholds = {55, 65, 75, 85};
  v2.id = 999;      // ignored
  v2.version = 42;  // ignored
  auto created = sets().Create(county_, v2);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 2);
  EXPECT_NE(created->id, 999);
  EXPECT_EQ(created->created_by, county_.username);

  auto latest = sets().Latest(town_a_, "village-default");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->id, created->id);
  EXPECT_EQ(latest->bands.thresholds, (std::vector<double>{55, 65, 75, 85}));
  EXPECT_EQ(latest->note, "满意度权重调整");

  // A new key starts at version 1.
  domain::IndicatorSet other = Default();
  other.key = "township-pilot";
  auto pilot = sets().Create(system_, other);
  ASSERT_TRUE(pilot.ok()) << pilot.status().ToString();
  EXPECT_EQ(pilot->version, 1);

  auto list = sets().List(viewer_);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  // By key, newest first within a key.
  EXPECT_EQ((*list)[0].key, "township-pilot");
  EXPECT_EQ((*list)[1].key, "village-default");
  EXPECT_EQ((*list)[1].version, 2);
  EXPECT_TRUE((*list)[1].latest);
  EXPECT_EQ((*list)[2].version, 1);
  EXPECT_FALSE((*list)[2].latest);
  EXPECT_EQ((*list)[2].indicator_count, static_cast<int64_t>(Default().indicators.size()));
  EXPECT_EQ((*list)[1].run_count, 0);
  EXPECT_EQ(Count("audit", "action = 'indicator_set.create'"), 3);

  // Version 1 is unchanged by the edit.
  auto v1 = sets().Get(county_, (*list)[2].id);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->bands.thresholds, Default().bands.thresholds);
  EXPECT_EQ(sets().Get(county_, 12345).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(sets().Latest(county_, "nope").status().code(), StatusCode::kNotFound);
}

TEST_F(IndicatorSetTest, OnlyCountyAndAdminMayStoreSets) {
  for (const Caller* c : {&town_a_, &viewer_}) {
    auto r = sets().Create(*c, Default());
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << c->username;
  }
  const Caller village = MakeCaller(Role::kVillage, "130624100201", 9);
  EXPECT_EQ(sets().Create(village, Default()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("indicator_set"), 0);
  EXPECT_EQ(Count("audit"), 0);
}

TEST_F(IndicatorSetTest, InconsistentMatrixIsRejectedWithItsNameAndCr) {
  domain::IndicatorSet set = Default();
  const size_t i = MatrixIndex(set, "morale");
  // Reciprocal but circular: a > b > c > a.
  set.weighting.ahp[i].a = {1, 5, 1.0 / 5, 1.0 / 5, 1, 5, 5, 1.0 / 5, 1};
  auto check = sets().CheckAhp(set.weighting.ahp[i]);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_FALSE(check->acceptable);
  EXPECT_GE(check->result.cr, 0.10);

  auto r = sets().Create(county_, set);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
  EXPECT_EQ(
      r.status().message(),
      fmt::format("weighting.ahp[{}]: matrix 'morale' has CR {:.3f} >= 0.10", i, check->result.cr));
  EXPECT_EQ(Count("indicator_set"), 0);

  // The same matrix is not checked when the weighting does not use AHP.
  set.weighting.method = "entropy";
  auto entropy = sets().Create(county_, set);
  EXPECT_TRUE(entropy.ok()) << entropy.status().ToString();
}

TEST_F(IndicatorSetTest, StructuralErrorsAreFieldErrorsAndNothingIsStored) {
  domain::IndicatorSet set = Default();
  set.dimensions[0].weight += 0.2;  // dimension weights no longer sum to 1
  set.weighting.method = "manual";
  set.indicators[1].measure = "unknown_measure";
  auto r = sets().Create(county_, set);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  bool measure = false;
  for (const FieldError& e : r.status().field_errors())
    measure |= e.field == "indicators[1].measure";
  EXPECT_TRUE(measure) << r.status().ToString();
  EXPECT_EQ(Count("indicator_set"), 0);
}

}  // namespace
}  // namespace qiangji::services::testing

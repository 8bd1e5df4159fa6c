// EquityIncentiveService: grants of shares in a shareholding co-op to people of its village —
// scope (NotFound outside it), who may write, the co-op kind (409), field errors with nothing
// stored, the audit rows, and the JSON body's fields.
#include <gtest/gtest.h>

#include "services/assess_test_env.h"
#include "services/economy.h"
#include "services/linkage_json.h"

namespace qiangji::services::testing {
namespace {

class EquityIncentiveTest : public AssessTest {
 protected:
  void SetUp() override {
    AssessTest::SetUp();
    if (HasFatalFailure()) return;
    coop_ = Collective(kVillageA1, "shareholding_coop", "A");
    union_ = Collective(kVillageA2, "economic_coop", "B");
    manager_ = AddPerson(kVillageA1, "甲经理", "19800101", "013");
    outsider_ = AddPerson(kVillageB1, "丙村民", "19820101", "019");
  }

  int64_t Collective(int64_t village, const std::string& kind, const std::string& tag) {
    auto id = db_->Query(
        "INSERT INTO collective (division_code, name, kind, credit_code, member_count,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, 100, 'x', 'x') RETURNING id",
        {storage::Value(village), storage::Value("合作社" + tag), storage::Value(kind),
         storage::Value("N2130624MA0EQUI" + tag + "00")});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? id->at(0).Int(0) : 0;
  }

  EquityIncentive Grant() const {
    return EquityIncentive{.collective_id = coop_,
                           .person_id = manager_,
                           .person_name = "",
                           .shares = 20'000,
                           .granted_on = D("2025-03-01"),
                           .conditions = "经营收益达到50万元后兑现"};
  }

  static std::string Fields(const Status& s) {
    std::string out;
    for (const auto& e : s.field_errors()) out += e.field + ";";
    return out;
  }

  std::string Snapshot() {
    return std::to_string(Count("equity_incentive")) + "," + std::to_string(Count("audit"));
  }

  EquityIncentiveService& equity() { return svc().economy.equity; }

  int64_t coop_ = 0, union_ = 0, manager_ = 0, outsider_ = 0;
  const Caller admin_ = MakeCaller(domain::Role::kAdmin, "", 9);
  const Caller village_a1_ = MakeCaller(domain::Role::kVillage, "130624100201", 5);
};

TEST_F(EquityIncentiveTest, GrantListAndRevokeWithinScope) {
  auto granted = equity().Grant(town_a_, Grant());
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  EXPECT_EQ(granted->division_code, kVillageA1);
  EXPECT_EQ(granted->person_name, "甲经理");

  // Everyone whose scope holds the village reads, the village's own staff included.
  for (const Caller* reader : {&county_, &town_a_, &viewer_, &village_a1_}) {
    auto listed = equity().List(*reader, coop_);
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].shares, 20'000);
    EXPECT_EQ((*listed)[0].granted_on, D("2025-03-01"));
    EXPECT_EQ((*listed)[0].conditions, "经营收益达到50万元后兑现");
    EXPECT_EQ((*listed)[0].person_name, "甲经理");
  }
  const json::object j = EquityIncentiveJson((*equity().List(county_, coop_))[0]);
  EXPECT_EQ(j.at("division_code").as_string(), "130624100201");
  EXPECT_EQ(j.at("granted_on").as_string(), "2025-03-01");

  // Outside the scope the collective is not there at all.
  EXPECT_EQ(equity().List(town_b_, coop_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(equity().Grant(town_b_, Grant()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(equity().Revoke(town_b_, coop_, granted->id).code(), StatusCode::kNotFound);
  EXPECT_EQ(equity().Revoke(county_, coop_, granted->id + 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(equity().Revoke(county_, union_, granted->id).code(), StatusCode::kNotFound);
  EXPECT_EQ(equity().List(county_, 999'999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("equity_incentive"), 1);

  ASSERT_TRUE(equity().Revoke(county_, coop_, granted->id).ok());
  EXPECT_EQ(Count("equity_incentive"), 0);
  EXPECT_EQ(Count("audit", "action = 'equity_incentive.create'"), 1);
  EXPECT_EQ(Count("audit", "action = 'equity_incentive.delete'"), 1);
  EXPECT_TRUE(equity().List(county_, coop_)->empty());
}

TEST_F(EquityIncentiveTest, ReadOnlyRolesAndOtherKindsStoreNothing) {
  const std::string before = Snapshot();
  EXPECT_EQ(equity().Grant(village_a1_, Grant()).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(equity().Grant(viewer_, Grant()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Snapshot(), before);

  EquityIncentive other = Grant();
  other.collective_id = union_;
  other.person_id = AddPerson(kVillageA2, "乙村民", "19850101", "015");
  const std::string after_person = Snapshot();
  auto refused = equity().Grant(admin_, other);
  ASSERT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("shareholding"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(Snapshot(), after_person);
  EXPECT_EQ(Count("equity_incentive"), 0);

  auto granted = equity().Grant(admin_, Grant());
  ASSERT_TRUE(granted.ok());
  const std::string with_one = Snapshot();
  EXPECT_EQ(equity().Revoke(village_a1_, coop_, granted->id).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Snapshot(), with_one);
}

TEST_F(EquityIncentiveTest, BadGrantsNameTheirFields) {
  const std::string before = Snapshot();
  EquityIncentive bad = Grant();
  bad.shares = 0;
  bad.granted_on = Date::TodayInChina().AddDays(1);
  bad.conditions = std::string(501, 'x');
  bad.person_id = outsider_;  // of another village
  auto refused = equity().Grant(county_, bad);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(refused.status()), "shares;granted_on;conditions;person_id;");

  EquityIncentive big = Grant();
  big.shares = 1'000'000'001;
  big.person_id = 987'654;  // no such person
  EXPECT_EQ(Fields(equity().Grant(county_, big).status()), "shares;person_id;");
  EXPECT_EQ(Snapshot(), before);

  // The bounds themselves are allowed: one share, a billion, granted today, 500 characters.
  EquityIncentive edge = Grant();
  edge.shares = 1;
  edge.granted_on = Date::TodayInChina();
  edge.conditions = std::string(500, 'x');
  EXPECT_TRUE(equity().Grant(county_, edge).ok());
  edge.shares = 1'000'000'000;
  EXPECT_TRUE(equity().Grant(county_, edge).ok());
  EXPECT_EQ(Count("equity_incentive"), 2);
}

TEST_F(EquityIncentiveTest, JsonBodyNamesBadAndUnknownFields) {
  auto ok = EquityIncentiveFromJson(
      json::parse(R"({"person_id": 7, "shares": 1e3, "granted_on": "2025-01-31",)"
                  R"( "id": 99, "person_name": "x"})")
          .as_object());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->person_id, 7);
  EXPECT_EQ(ok->shares, 1000);
  EXPECT_EQ(ok->id, 0);
  EXPECT_EQ(ok->granted_on, D("2025-01-31"));

  auto bad = EquityIncentiveFromJson(
      json::parse(R"({"shares": 1.5, "granted_on": "2025-02-30", "vesting": "x"})").as_object());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.status()), "person_id;shares;granted_on;vesting;");
}

}  // namespace
}  // namespace qiangji::services::testing

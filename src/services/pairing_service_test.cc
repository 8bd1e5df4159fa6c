// Enterprise pairing on a real database: the register (who reads and writes it, the phone
// encrypted and masked, unique names, field errors with nothing stored, the all-or-nothing
// import), and pairing runs end to end (targets snapshotted from the needs with derived
// industries, the county's changes to targets, the run with its reasons and reproducible hashes,
// confirmation with dates, capacity held across runs, conflicts, scope, audit rows) and the demo.
#include <algorithm>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "services/demo_pairing.h"
#include "services/pairing.h"
#include "services/pairing_internal.h"
#include "services/pairing_json.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

constexpr int64_t kOtherCounty = 130606000000;  // 莲池区

bool Names(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors())
    if (e.field == field) return true;
  return false;
}

bool Has(const std::vector<std::string>& lines, const std::string& text) {
  return std::find(lines.begin(), lines.end(), text) != lines.end();
}

class PairingTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(db_->Execute("INSERT INTO division (code, level, name, parent_code)"
                             " VALUES (?, 'county', '莲池区', 130600000000)",
                             {storage::Value(kOtherCounty)})
                    .ok());
    env_ = Env{pool_.get(), secrets_.get()};
    pairing_ = std::make_unique<PairingServices>(env_);
    // Priorities from the tags: key village 25 + relocation settlement 15 = 40 (a target at the
    // default threshold of 30); lifted from poverty alone is 10 (not a target).
    PutVillage(kVillageA1, {"食用菌", "乡村旅游"}, {"key_village", "relocation_settlement"});
    PutVillage(kVillageA2, {"核桃"}, {"lifted_from_poverty"});
    PutVillage(kCommunityA, {"物业服务"}, {"key_village", "relocation_settlement"});
    PutVillage(kVillageB1, {"光伏发电"}, {"key_village", "relocation_settlement"});
  }
  void TearDown() override {
    pairing_.reset();
    ServicesTest::TearDown();
  }

  void PutVillage(int64_t code, std::vector<std::string> industries,
                  std::vector<std::string> tags) {
    domain::Village v;
    v.division_code = code;
    v.main_industries = std::move(industries);
    v.tags = std::move(tags);
    auto put = svc().villages.Put(county_, v);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
  }

  static domain::Enterprise Firm(const std::string& name, std::vector<std::string> industries,
                                 int villages, int firms, int64_t location) {
    domain::Enterprise e;
    e.name = name;
    e.ownership = "private";
    e.industries = std::move(industries);
    e.location_code = location;
    e.capacity_villages = villages;
    e.capacity_firms = firms;
    e.contact_name = "王经理";
    e.contact_phone = "13903120001";
    return e;
  }

  int64_t AddFirm(const domain::Enterprise& e) {
    auto made = pairing_->enterprises.Create(county_, e);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->id : 0;
  }

  static internal::Clock At(const Date& day) { return internal::ClockAt(day); }

  // A start date a month ago, so that confirmed pairings are in force today.
  static Date Start() { return Date::TodayInChina().AddMonths(-1); }

  domain::PairingRun Draft(const std::string& name = "企业结对帮扶") {
    domain::PairingRun r;
    r.name = name;
    r.start_date = Start();
    auto made = pairing_->runs.Create(county_, r);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->run : r;
  }

  const PairView* PairOf(const PairingRunResult& r, int64_t code, const std::string& kind) {
    for (const PairView& p : r.pairs)
      if (p.pairing.division_code == code && p.pairing.kind == kind) return &p;
    return nullptr;
  }
  const UnpairedView* UnpairedOf(const PairingRunResult& r, int64_t code, const std::string& kind) {
    for (const UnpairedView& u : r.unpaired)
      if (u.division_code == code && u.kind == kind) return &u;
    return nullptr;
  }

  Env env_;
  std::unique_ptr<PairingServices> pairing_;
  const Caller other_county_ = MakeCaller(domain::Role::kCounty, "130606", 10);
};

// ---- the register ----

TEST_F(PairingTest, RegisterMasksThePhoneAndKeepsItEncrypted) {
  auto made = pairing_->enterprises.Create(
      county_, Firm("阜平县山果食品有限公司", {"food_processing"}, 2, 1, kTownA));
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->county_code, kCounty);  // the caller's county
  EXPECT_EQ(made->contact_phone, "139****0001");
  EXPECT_EQ(FileBytes().find("13903120001"), std::string::npos) << "the phone is encrypted at rest";
  EXPECT_EQ(Count("audit", "action = 'enterprise.create'"), 1);
  EXPECT_EQ(Count("audit", "after_json LIKE '%13903120001%'"), 0) << "audit rows mask it too";

  // Townships read the county's register; they do not write it; viewers neither.
  auto seen = pairing_->enterprises.Get(town_a_, made->id);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(seen->contact_phone, "139****0001");
  EXPECT_EQ(pairing_->enterprises.Create(town_a_, Firm("乡镇企业", {"energy"}, 1, 0, kTownA))
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(pairing_->enterprises.Create(viewer_, Firm("只读企业", {"energy"}, 1, 0, kTownA))
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  // Another county sees nothing of it.
  EXPECT_EQ(pairing_->enterprises.Get(other_county_, made->id).status().code(),
            StatusCode::kNotFound);
  auto theirs = pairing_->enterprises.List(other_county_, {});
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->total, 0);

  // An edit sending back the masked phone keeps the stored one.
  domain::Enterprise edit = *made;
  edit.capacity_villages = 5;
  auto updated = pairing_->enterprises.Update(county_, edit);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->capacity_villages, 5);
  {
    auto conn = pool_->Acquire();
    auto plain = internal::LoadEnterprises(*conn, secrets_.get(), kCounty, false);
    ASSERT_TRUE(plain.ok());
    ASSERT_EQ(plain->size(), 1u);
    EXPECT_EQ(plain->at(0).contact_phone, "13903120001");
    EXPECT_EQ(plain->at(0).capacity_villages, 5);
  }
  EXPECT_EQ(Count("audit", "action = 'enterprise.update'"), 1);
  EXPECT_EQ(pairing_->enterprises.Update(other_county_, edit).status().code(),
            StatusCode::kNotFound);
}

TEST_F(PairingTest, RegisterRefusesBadInputAndRepeatedNamesWithoutStoring) {
  domain::Enterprise bad = Firm("", {"mining"}, -1, 21, 0);
  bad.contact_phone = "12345";
  bad.preferred_areas = {"130624100201"};
  auto r = pairing_->enterprises.Create(county_, bad);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  for (const char* f : {"name", "industries[0]", "capacity_villages", "capacity_firms",
                        "location_code", "contact_phone", "preferred_areas[0]"})
    EXPECT_TRUE(Names(r.status(), f)) << f << ": " << r.status().ToString();
  EXPECT_EQ(Count("enterprise"), 0);

  ASSERT_GT(AddFirm(Firm("阜平县某某公司", {"energy"}, 1, 0, kCounty)), 0);
  auto again =
      pairing_->enterprises.Create(county_, Firm("阜平县某某公司", {"finance"}, 1, 0, kCounty));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Count("enterprise"), 1);
  // The same name in another county's register is another enterprise.
  domain::Enterprise there = Firm("阜平县某某公司", {"finance"}, 1, 0, kOtherCounty);
  EXPECT_TRUE(pairing_->enterprises.Create(other_county_, there).ok());
}

TEST_F(PairingTest, ImportIsAllOrNothing) {
  const std::string good =
      "name,ownership,industries,location_code,preferred_areas,capacity_villages,capacity_firms,"
      "contact_name,contact_phone\n"
      "阜平县甲食品有限公司,private,food_processing;e_commerce_logistics,130624100,130624100,2,1,"
      "张三,13903120002\n"
      "保定市乙能源有限公司,state,energy,1306,130624,1,0,,\n";
  auto created = pairing_->enterprises.Import(county_, "csv", good);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(*created, 2);
  auto list = pairing_->enterprises.List(county_, {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->total, 2);
  auto named = [&](const std::string& name) {
    for (const domain::Enterprise& e : list->items)
      if (e.name == name) return e;
    ADD_FAILURE() << name << " was not imported";
    return domain::Enterprise{};
  };
  const domain::Enterprise jia = named("阜平县甲食品有限公司");
  EXPECT_EQ(jia.location_code, 130624100000);  // a prefix is padded
  EXPECT_EQ(jia.industries, (std::vector<std::string>{"food_processing", "e_commerce_logistics"}));
  EXPECT_EQ(jia.preferred_areas, std::vector<std::string>{"130624100"});
  EXPECT_EQ(jia.contact_phone, "139****0002");
  EXPECT_EQ(named("保定市乙能源有限公司").location_code, 130600000000);
  EXPECT_EQ(Count("audit", "action = 'enterprise.import'"), 1);

  // One bad row among good ones: nothing is stored, every problem named by row.
  const std::string bad =
      "name,industries,location_code,capacity_villages\n"
      "阜平县丙公司,mining,130624,1\n"
      "阜平县丁公司,energy,130624,-3\n"
      "阜平县甲食品有限公司,energy,130624,1\n"
      "阜平县戊公司,energy,130624,1\n";
  auto refused = pairing_->enterprises.Import(county_, "csv", bad);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(refused.status(), "rows[0].industries[0]")) << refused.status().ToString();
  EXPECT_TRUE(Names(refused.status(), "rows[1].capacity_villages"));
  EXPECT_TRUE(Names(refused.status(), "rows[2].name"));  // already in the register
  EXPECT_FALSE(Names(refused.status(), "rows[3].name"));
  EXPECT_EQ(Count("enterprise"), 2);

  const std::string json = R"([{"name": "阜平县己公司", "industries": ["energy"],
      "location_code": "130624000000", "capacity_villages": 1},
     {"name": "阜平县己公司", "industries": ["energy"], "location_code": "130624000000"}])";
  auto twice = pairing_->enterprises.Import(county_, "json", json);
  ASSERT_EQ(twice.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(twice.status(), "rows[1].name"));
  EXPECT_EQ(Count("enterprise"), 2);
  EXPECT_EQ(pairing_->enterprises.Import(town_a_, "csv", good).status().code(),
            StatusCode::kPermissionDenied);
}

// ---- runs ----

TEST_F(PairingTest, CreateSnapshotsTargetsWithDerivedIndustries) {
  const domain::PairingRun run = Draft();
  ASSERT_GT(run.id, 0);
  auto targets = pairing_->runs.Targets(county_, run.id);
  ASSERT_TRUE(targets.ok()) << targets.status().ToString();
  std::set<std::pair<int64_t, std::string>> keys;
  for (const PairingTargetView& v : *targets) keys.insert({v.target.division_code, v.target.kind});
  // Priority 40 villages, each as village and as its collective; the residents' committee has
  // no collective; 顾家台 (priority 10) is below the threshold.
  EXPECT_EQ(keys, (std::set<std::pair<int64_t, std::string>>{{kVillageA1, "village"},
                                                             {kVillageA1, "collective"},
                                                             {kCommunityA, "village"},
                                                             {kVillageB1, "village"},
                                                             {kVillageB1, "collective"}}));
  const auto a1_at = std::find_if(targets->begin(), targets->end(), [](const PairingTargetView& v) {
    return v.target.division_code == kVillageA1 && v.target.kind == "village";
  });
  ASSERT_NE(a1_at, targets->end());
  const PairingTargetView& a1 = *a1_at;
  EXPECT_EQ(a1.target.name, "骆驼湾村");
  EXPECT_TRUE(a1.target.derived);
  EXPECT_EQ(a1.target.industries,
            (std::vector<std::string>{"planting_breeding", "food_processing", "rural_tourism"}));
  EXPECT_EQ(a1.target.main_industries, (std::vector<std::string>{"食用菌", "乡村旅游"}));
  EXPECT_DOUBLE_EQ(a1.target.priority, 40);
  EXPECT_EQ(a1.target.priority_label, "重点村");
  EXPECT_FALSE(a1.reasons.empty());
  EXPECT_EQ(Count("audit", "action = 'pairing_run.create'"), 1);

  // Townships see their own villages' targets; they may not create runs.
  auto theirs = pairing_->runs.Targets(town_a_, run.id);
  ASSERT_TRUE(theirs.ok());
  for (const PairingTargetView& v : *theirs)
    EXPECT_EQ(v.target.division_code / 1000, kTownA / 1000);
  EXPECT_EQ(theirs->size(), 3u);
  domain::PairingRun r;
  r.name = "乡镇自建";
  r.start_date = Start();
  EXPECT_EQ(pairing_->runs.Create(town_a_, r).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(pairing_->runs.Get(other_county_, run.id).status().code(), StatusCode::kNotFound);

  // Bad params: field errors, nothing stored; no village over 90: a 409.
  r.scope = "130624";
  r.params.weights.industry = 2;
  r.params.kinds = {"firm"};
  auto bad = pairing_->runs.Create(county_, r);
  EXPECT_TRUE(Names(bad.status(), "params.weights.industry"));
  EXPECT_TRUE(Names(bad.status(), "params.kinds[0]"));
  r.params = {};
  r.params.min_priority = 90;
  EXPECT_EQ(pairing_->runs.Create(county_, r).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("pairing_run"), 1);
  EXPECT_EQ(Count("pairing_target"), 5);
}

TEST_F(PairingTest, RunPairsWithReasonsAndConfirmDatesThem) {
  const int64_t mushrooms =
      AddFirm(Firm("阜平县山珍食用菌有限公司", {"food_processing"}, 1, 1, kTownA));
  const int64_t solar = AddFirm(Firm("阜平县光伏有限公司", {"energy"}, 1, 0, kCounty));
  const domain::PairingRun run = Draft();
  auto r = pairing_->runs.Run(county_, run.id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->run.status, "matched");
  EXPECT_EQ(r->targets, 5);
  EXPECT_EQ(r->covered, 3);
  const PairView* a1 = PairOf(*r, kVillageA1, "village");
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1->pairing.enterprise_id, mushrooms);
  EXPECT_TRUE(Has(a1->pairing.reasons, "产业相符：食用菌→农产品加工"));
  EXPECT_TRUE(Has(a1->pairing.reasons, "同一乡镇"));
  EXPECT_TRUE(Has(a1->pairing.reasons, "重点村（优先度40）"));
  EXPECT_EQ(a1->relation, "township");
  EXPECT_NEAR(a1->overlap, 1.0 / 3, 1e-9);
  EXPECT_NEAR(a1->pairing.score, a1->industry_term + a1->area_term + a1->priority_term, 1e-6);
  EXPECT_NEAR(a1->pairing.score, 0.5 / 3 + 0.3 + 0.2 * 0.4, 1e-6);
  ASSERT_NE(PairOf(*r, kVillageA1, "collective"), nullptr);
  EXPECT_EQ(PairOf(*r, kVillageA1, "collective")->pairing.enterprise_id, mushrooms);
  const PairView* b1 = PairOf(*r, kVillageB1, "village");
  ASSERT_NE(b1, nullptr);
  EXPECT_EQ(b1->pairing.enterprise_id, solar);
  EXPECT_TRUE(Has(b1->pairing.reasons, "产业相符：光伏发电→新能源"));
  EXPECT_TRUE(Has(b1->pairing.reasons, "同一县"));
  // Nobody does property services; nobody with energy takes collective firms.
  const UnpairedView* community = UnpairedOf(*r, kCommunityA, "village");
  ASSERT_NE(community, nullptr);
  EXPECT_EQ(community->reason, "no_industry_match");
  EXPECT_EQ(community->text, "没有产业相符且尚有企到村名额的企业（村产业：商贸服务）");
  const UnpairedView* b1_firm = UnpairedOf(*r, kVillageB1, "collective");
  ASSERT_NE(b1_firm, nullptr);
  EXPECT_EQ(b1_firm->reason, "no_industry_match");
  ASSERT_EQ(r->enterprises.size(), 2u);
  EXPECT_EQ(r->enterprises[0].used_villages, 1);
  EXPECT_EQ(r->enterprises[0].used_firms, 1);

  // A rerun of the same input gives the same hashes; the stored result reads back equal.
  auto again = pairing_->runs.Run(county_, run.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->input_hash, r->input_hash);
  EXPECT_EQ(again->output_hash, r->output_hash);
  auto stored = pairing_->runs.GetResult(county_, run.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(json::serialize(PairingRunResultJson(*stored)),
            json::serialize(PairingRunResultJson(*again)));
  // A township sees its own villages only.
  auto town = pairing_->runs.GetResult(town_b_, run.id);
  ASSERT_TRUE(town.ok());
  for (const PairView& p : town->pairs) EXPECT_EQ(p.pairing.division_code, kVillageB1);
  for (const UnpairedView& u : town->unpaired) EXPECT_EQ(u.division_code, kVillageB1);
  EXPECT_EQ(pairing_->runs.Run(town_b_, run.id).status().code(), StatusCode::kPermissionDenied);

  auto confirmed = pairing_->runs.Confirm(county_, run.id);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(confirmed->run.status, "confirmed");
  for (const PairView& p : confirmed->pairs) {
    ASSERT_TRUE(p.pairing.start_date.has_value());
    EXPECT_EQ(*p.pairing.start_date, Start());
    EXPECT_EQ(*p.pairing.end_date, Start().AddMonths(24));
  }
  EXPECT_EQ(pairing_->runs.Confirm(county_, run.id).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(pairing_->runs.Run(county_, run.id).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(pairing_->runs.Delete(county_, run.id).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("audit", "action IN ('pairing_run.run', 'pairing_run.confirm')"), 3);

  // The village page's list: current pairings under the village, in scope only.
  auto mine = pairing_->runs.Pairings(county_, {"130624100201", true});
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine->at(0).pairing.kind, "village");
  EXPECT_EQ(mine->at(0).enterprise_name, "阜平县山珍食用菌有限公司");
  EXPECT_TRUE(mine->at(0).current);
  EXPECT_EQ(mine->at(0).village_name, "骆驼湾村");
  EXPECT_EQ(mine->at(0).township_name, "龙泉关镇");
  EXPECT_EQ(pairing_->runs.Pairings(town_b_, {"130624100201", true}).status().code(),
            StatusCode::kNotFound);
  auto all = pairing_->runs.Pairings(town_b_, {"", true});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->at(0).pairing.division_code, kVillageB1);
}

TEST_F(PairingTest, PairingsInForceHoldCapacityAndTargetsOfLaterRuns) {
  const int64_t mushrooms =
      AddFirm(Firm("阜平县山珍食用菌有限公司", {"food_processing", "energy"}, 2, 1, kTownA));
  const domain::PairingRun first = Draft("第一批");
  ASSERT_TRUE(pairing_->runs.Run(county_, first.id).ok());
  auto done = pairing_->runs.Confirm(county_, first.id);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->pairs.size(), 3u);  // two villages and one collective firm: all its capacity

  // A later run: the villages paired then are no targets of those kinds; the firm is full.
  domain::PairingRun r;
  r.name = "第二批";
  r.start_date = Start().AddMonths(6);
  r.params.min_priority = 0;
  auto second = pairing_->runs.Create(county_, r);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto targets = pairing_->runs.Targets(county_, second->run.id);
  ASSERT_TRUE(targets.ok());
  for (const PairingTargetView& v : *targets) {
    for (const PairView& p : done->pairs)
      EXPECT_FALSE(p.pairing.division_code == v.target.division_code &&
                   p.pairing.kind == v.target.kind);
  }
  auto result = pairing_->runs.Run(county_, second->run.id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->covered, 0);
  ASSERT_EQ(result->enterprises.size(), 1u);
  EXPECT_EQ(result->enterprises[0].enterprise_id, mushrooms);
  EXPECT_EQ(result->enterprises[0].held_villages, 2);
  EXPECT_EQ(result->enterprises[0].held_firms, 1);
  for (const UnpairedView& u : result->unpaired) EXPECT_EQ(u.reason, "no_enterprise") << u.text;

  // Two drafts over the same villages: the second to confirm is refused and stores nothing.
  AddFirm(Firm("阜平县新能源有限公司", {"energy", "food_processing"}, 5, 5, kCounty));
  domain::PairingRun a;
  a.name = "甲稿";
  a.start_date = Start().AddMonths(7);
  a.params.min_priority = 0;
  auto draft_a = pairing_->runs.Create(county_, a);
  a.name = "乙稿";
  auto draft_b = pairing_->runs.Create(county_, a);
  ASSERT_TRUE(draft_a.ok() && draft_b.ok());
  ASSERT_TRUE(pairing_->runs.Run(county_, draft_a->run.id).ok());
  ASSERT_TRUE(pairing_->runs.Run(county_, draft_b->run.id).ok());
  ASSERT_TRUE(pairing_->runs.Confirm(county_, draft_a->run.id).ok());
  const int64_t dated = Count("pairing", "start_date IS NOT NULL");
  auto clash = pairing_->runs.Confirm(county_, draft_b->run.id);
  EXPECT_EQ(clash.status().code(), StatusCode::kFailedPrecondition) << clash.status().ToString();
  EXPECT_EQ(Count("pairing", "start_date IS NOT NULL"), dated);
  auto b = pairing_->runs.Get(county_, draft_b->run.id);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->run.status, "matched");
  // Run again, it now leaves the villages already paired out, with that reason.
  auto rerun = pairing_->runs.Run(county_, draft_b->run.id);
  ASSERT_TRUE(rerun.ok());
  EXPECT_EQ(rerun->covered, 0);
  for (const UnpairedView& u : rerun->unpaired) {
    if (u.reason == "already_paired") {
      EXPECT_NE(u.text.find("已与"), std::string::npos);
    }
  }
  EXPECT_TRUE(std::any_of(rerun->unpaired.begin(), rerun->unpaired.end(),
                          [](const UnpairedView& u) { return u.reason == "already_paired"; }));
}

TEST_F(PairingTest, TargetChangesValidateAndReturnAMatchedRunToDraft) {
  AddFirm(Firm("阜平县物业服务有限公司", {"trade_services"}, 3, 0, kCounty));
  const domain::PairingRun run = Draft();
  TargetChange bad;
  bad.run_id = run.id;
  bad.division_code = kVillageA1;
  bad.kind = "village";
  bad.industries = std::vector<std::string>{"mining", "energy", "energy"};
  auto refused = pairing_->runs.PutTarget(county_, bad);
  EXPECT_TRUE(Names(refused.status(), "industries[0]"));
  EXPECT_TRUE(Names(refused.status(), "industries[2]"));
  TargetChange missing = bad;
  missing.industries = std::vector<std::string>{"energy"};
  missing.division_code = kVillageA2;  // below the threshold: not a target
  EXPECT_EQ(pairing_->runs.PutTarget(county_, missing).status().code(), StatusCode::kNotFound);
  missing.division_code = kVillageA1;
  EXPECT_EQ(pairing_->runs.PutTarget(town_a_, missing).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("audit", "action = 'pairing_target.put'"), 0);

  auto first = pairing_->runs.Run(county_, run.id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->covered, 1);  // the community (商贸服务)
  // The county says 骆驼湾's village needs trade services: the run returns to draft.
  TargetChange set;
  set.run_id = run.id;
  set.division_code = kVillageA1;
  set.kind = "village";
  set.industries = std::vector<std::string>{"trade_services"};
  auto changed = pairing_->runs.PutTarget(county_, set);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_FALSE(changed->target.derived);
  EXPECT_TRUE(changed->matches.empty());
  auto now = pairing_->runs.Get(county_, run.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->run.status, "draft");
  EXPECT_EQ(Count("pairing", "run_id = " + std::to_string(run.id)), 0);
  auto second = pairing_->runs.Run(county_, run.id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->covered, 2);
  const PairView* a1 = PairOf(*second, kVillageA1, "village");
  ASSERT_NE(a1, nullptr);
  EXPECT_TRUE(Has(a1->pairing.reasons, "产业相符：商贸服务"));  // set by the county: no source word

  // Dropped, it is no target; restored, it reads its industries from its words again.
  TargetChange drop = set;
  drop.industries.reset();
  drop.included = false;
  ASSERT_TRUE(pairing_->runs.PutTarget(county_, drop).ok());
  auto third = pairing_->runs.Run(county_, run.id);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(PairOf(*third, kVillageA1, "village"), nullptr);
  EXPECT_EQ(UnpairedOf(*third, kVillageA1, "village"), nullptr);
  EXPECT_EQ(third->targets, 4);
  TargetChange restore = set;
  restore.industries.reset();
  restore.reset_industries = true;
  restore.included = true;
  auto back = pairing_->runs.PutTarget(county_, restore);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->target.derived);
  EXPECT_TRUE(back->target.included);
  EXPECT_EQ(back->target.industries,
            (std::vector<std::string>{"planting_breeding", "food_processing", "rural_tourism"}));
  EXPECT_EQ(Count("audit", "action = 'pairing_target.put'"), 3);
}

TEST_F(PairingTest, DemoBuildsARegisterAConfirmedRunAndADraft) {
  // The demo builder acts as county_admin.
  domain::User u;
  u.username = "county_admin";
  u.display_name = "县委组织部";
  u.role = domain::Role::kCounty;
  u.scope = "130624";
  ASSERT_TRUE(svc().users.Add(system_, u, "county-pass-2026").ok());
  const Date today = Date::TodayInChina();
  auto demo = BuildDemoPairing(env_, "130624", today);
  ASSERT_TRUE(demo.ok()) << demo.status().ToString();
  EXPECT_EQ(demo->enterprises, 16);
  EXPECT_GT(demo->confirmed_run, 0);
  EXPECT_GT(demo->pairings, 0);
  auto list = pairing_->enterprises.List(county_, {});
  ASSERT_TRUE(list.ok());
  int state = 0, city = 0;
  for (const domain::Enterprise& e : list->items) {
    EXPECT_TRUE(domain::ValidateEnterprise(e).ok() ||
                e.contact_phone.find('*') != std::string::npos);
    state += e.ownership == "state";
    city += e.location_code == 130600000000;
    EXPECT_TRUE(e.name.rfind("阜平县", 0) == 0 || e.name.rfind("保定市", 0) == 0) << e.name;
  }
  EXPECT_GE(state, 3);
  EXPECT_LT(state, 8);
  EXPECT_GE(city, 2);
  auto current = pairing_->runs.Pairings(county_, {"", true});
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(static_cast<int64_t>(current->size()), demo->pairings);
  auto runs = pairing_->runs.List(county_);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->back().run.status, "confirmed");
  EXPECT_LT(runs->back().run.start_date, today);
}

}  // namespace
}  // namespace qiangji::services::testing

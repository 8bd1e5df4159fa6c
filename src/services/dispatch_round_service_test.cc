// Dispatch rounds end to end on a real database: the state machine, list validation, the run
// (stability certificate, capacities, exclusions, derived lists, reproducible hashes),
// confirmation into first_secretary posts, terms, and scope.
#include <map>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "services/dispatch.h"
#include "services/dispatch_json.h"
#include "services/demo_dispatch_rounds.h"
#include "services/dispatch_round_internal.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

class DispatchRoundTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (HasFatalFailure()) return;
    env_ = Env{pool_.get(), secrets_.get()};
    dispatch_ = std::make_unique<DispatchServices>(env_);
    // Three key villages need a first secretary; the residents' committee does not.
    for (int64_t code : {kVillageA1, kVillageA2, kVillageB1}) {
      domain::Village v;
      v.division_code = code;
      v.tags = {"key_village"};
      ASSERT_TRUE(svc().villages.Put(county_, v).ok());
    }
    c1_ = AddCadre("李明", "19850312", "011", "省农业农村厅", "party_agency", {"industry"},
                   110105000000);
    c2_ = AddCadre("王芳", "19900521", "022", "保定市商务局", "party_agency", {"e_commerce"},
                   130602000000);
    // Home in this very county: the avoidance rule keeps him from every village of the round.
    c3_ = AddCadre("赵强", "19880101", "033", "县农业农村局", "party_agency", {"party_building"},
                   130624100201);
    // Same sending unit as c1: at most one of them goes to a township.
    c4_ = AddCadre("陈刚", "19870707", "045", "省农业农村厅", "party_agency",
                   {"industry", "party_building"}, 110108000000);
  }
  void TearDown() override {
    dispatch_.reset();
    ServicesTest::TearDown();
  }

  int64_t AddCadre(const std::string& name, const std::string& birth, const std::string& seq,
                   const std::string& unit, const std::string& kind,
                   std::vector<std::string> skills, int64_t home) {
    domain::Cadre c;
    c.name = name;
    c.id_number = IdNumber(birth, seq);
    c.sex = (seq.back() - '0') % 2 ? domain::Sex::kMale : domain::Sex::kFemale;
    c.sending_unit = unit;
    c.unit_kind = kind;
    c.skills = std::move(skills);
    c.home_code = home;
    auto made = dispatch_->pool.Create(county_, c);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->id : 0;
  }

  static internal::Clock At(const std::string& day) {
    return internal::ClockAt(Date::Parse(day).value());
  }

  domain::DispatchRound Draft(const std::string& name = "2026年第一书记选派",
                              const std::string& start = "2026-03-01") {
    domain::DispatchRound r;
    r.name = name;
    r.start_date = Date::Parse(start).value();
    r.seed = 7;
    auto made = internal::CreateRound(env_, county_, r, At("2026-01-10"));
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? *made : r;
  }

  domain::DispatchRound Opened() {
    domain::DispatchRound r = Draft();
    auto opened = internal::OpenRound(env_, county_, r.id, At("2026-01-11"));
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? *opened : r;
  }

  static domain::Preference Pref(int64_t round, const std::string& side, int64_t owner,
                                 std::vector<std::vector<int64_t>> tiers) {
    domain::Preference p;
    p.round_id = round;
    p.side = side;
    p.owner = owner;
    p.tiers = std::move(tiers);
    return p;
  }

  // The invalid-argument status names `field` and its message contains `text`.
  static void ExpectFieldError(const Status& s, const std::string& field, const std::string& text) {
    ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    bool found = false;
    for (const FieldError& e : s.field_errors())
      found = found || (e.field == field && e.message.find(text) != std::string::npos);
    EXPECT_TRUE(found) << s.ToString();
  }

  DispatchRoundService& rounds() { return dispatch_->rounds; }

  Env env_;
  std::unique_ptr<DispatchServices> dispatch_;
  int64_t c1_ = 0, c2_ = 0, c3_ = 0, c4_ = 0;
};

TEST_F(DispatchRoundTest, StateMachine) {
  domain::DispatchRound r = Draft();
  EXPECT_EQ(r.status, "draft");
  EXPECT_EQ(r.scope, "130624");
  EXPECT_EQ(rounds().Run(county_, r.id).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rounds().Confirm(county_, r.id).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rounds().GetResult(county_, r.id).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rounds().Open(town_a_, r.id).status().code(), StatusCode::kPermissionDenied);

  auto opened = rounds().Open(county_, r.id);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->status, "preferences_open");
  EXPECT_EQ(Count("round_cadre", "round_id = " + std::to_string(r.id)), 4);
  EXPECT_EQ(Count("round_village", "round_id = " + std::to_string(r.id)), 3);  // not the community
  EXPECT_EQ(rounds().Open(county_, r.id).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rounds().Delete(county_, r.id).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rounds().Confirm(county_, r.id).status().code(), StatusCode::kFailedPrecondition);

  domain::DispatchRound other = Draft("作废的草稿");
  EXPECT_EQ(rounds().Delete(town_a_, other.id).code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(rounds().Delete(county_, other.id).ok());
  EXPECT_EQ(rounds().Get(county_, other.id).status().code(), StatusCode::kNotFound);
  auto listed = rounds().List(county_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).id, r.id);

  // Township staff may not create rounds; audit rows were written for every change.
  domain::DispatchRound mine;
  mine.name = "乡镇自建";
  mine.start_date = Date::Parse("2026-03-01").value();
  EXPECT_EQ(rounds().Create(town_a_, mine).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("audit", "action LIKE 'dispatch_round.%'"), 4);  // 2 creates, open, delete
}

TEST_F(DispatchRoundTest, PreferenceValidationStoresNothingOnError) {
  domain::DispatchRound r = Opened();
  const int64_t unknown_village = 130624101299;
  ExpectFieldError(
      rounds().PutPreference(county_, Pref(r.id, "cadre", c1_, {{kVillageA1, unknown_village}}))
          .status(),
      "tiers[0][1]", "not a participant");
  // The residents' committee is a division but not a participant.
  ExpectFieldError(
      rounds().PutPreference(county_, Pref(r.id, "cadre", c1_, {{kCommunityA}})).status(),
      "tiers[0][0]", "not a participant");
  ExpectFieldError(rounds()
                       .PutPreference(county_, Pref(r.id, "cadre", c1_,
                                                    {{kVillageA1}, {kVillageB1, kVillageA1}}))
                       .status(),
                   "tiers[1][1]", "twice");
  ExpectFieldError(
      rounds().PutPreference(county_, Pref(r.id, "cadre", c3_, {{kVillageB1}, {kVillageA1}}))
          .status(),
      "tiers[0][0]", "任职回避");
  ExpectFieldError(
      rounds().PutPreference(county_, Pref(r.id, "village", kVillageA1, {{c1_}, {c3_}})).status(),
      "tiers[1][0]", "任职回避");
  ExpectFieldError(
      rounds().PutPreference(county_, Pref(r.id, "village", kVillageA1, {{c1_, 999999}})).status(),
      "tiers[0][1]", "not a participant");
  EXPECT_EQ(rounds().PutPreference(county_, Pref(r.id, "cadre", 999999, {{kVillageA1}}))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("preference"), 0);
  EXPECT_EQ(Count("audit", "action LIKE 'dispatch_preference.%'"), 0);

  // Who may enter what: a township its own villages only, never a cadre's list.
  EXPECT_EQ(rounds().PutPreference(town_a_, Pref(r.id, "village", kVillageB1, {{c1_}})).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(rounds().PutPreference(town_a_, Pref(r.id, "cadre", c1_, {{kVillageA1}})).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(rounds().PutPreference(viewer_, Pref(r.id, "village", kVillageA1, {{c1_}})).status().code(),
            StatusCode::kPermissionDenied);
  auto put = rounds().PutPreference(town_a_, Pref(r.id, "village", kVillageA1, {{c2_, c1_}, {c4_}}));
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_FALSE(put->derived);
  EXPECT_EQ(Count("preference", "derived = 0"), 1);

  // The JSON form names the same fields.
  auto parsed = PreferenceFromJson(
      boost::json::parse(R"({"side":"cadre","owner":1,"tiers":[["130624100201"],["bad"]]})")
          .as_object(),
      r.id);
  ExpectFieldError(parsed.status(), "tiers[1][0]", "village code");
}

TEST_F(DispatchRoundTest, RunIsStableRespectsRulesAndReproduces) {
  domain::DispatchRound r = Opened();
  ASSERT_TRUE(rounds()
                  .PutPreference(county_, Pref(r.id, "cadre", c1_, {{kVillageA1}, {kVillageA2}}))
                  .ok());
  ASSERT_TRUE(
      rounds().PutPreference(county_, Pref(r.id, "village", kVillageA1, {{c2_}, {c1_, c4_}})).ok());
  auto run = internal::RunRound(env_, county_, r.id, At("2026-02-01"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->round.status, "matched");
  EXPECT_EQ(run->blocking_pairs, 0);
  EXPECT_GT(run->checked_pairs, 0);
  EXPECT_EQ(run->derived_cadre_lists, 3);
  EXPECT_EQ(run->derived_village_lists, 2);
  EXPECT_EQ(Count("preference", "derived = 1"), 5);
  EXPECT_EQ(Count("preference", "derived = 0"), 2);
  EXPECT_GT(run->total_fit, 0);
  EXPECT_GE(run->optimal_fit + 1e-9, run->total_fit);
  EXPECT_GE(run->price_of_stability, 0);

  // Capacities (one seat each), the avoidance rule and the sending-unit cap per township.
  std::map<int64_t, int> per_village;
  std::map<int64_t, int64_t> village_of;
  for (const domain::Assignment& a : run->assignments) {
    ++per_village[a.division_code];
    village_of[a.cadre_id] = a.division_code;
    EXPECT_NE(a.cadre_id, c3_);
    EXPECT_GT(a.cadre_rank, 0);
    EXPECT_GT(a.village_rank, 0);
  }
  for (const auto& [code, n] : per_village) EXPECT_EQ(n, 1) << code;
  // 李明 listed only 龙泉关镇's villages, where 陈刚 of the same unit fits better: the cap
  // keeps him out, and 骆驼湾村's seat stays empty (nobody else acceptable is left for it).
  EXPECT_EQ(run->assignments.size(), 2u);
  EXPECT_EQ(village_of.count(c1_), 0u);
  const bool c1_in_a = village_of.count(c1_) && village_of[c1_] / 1000 == kTownA / 1000;
  const bool c4_in_a = village_of.count(c4_) && village_of[c4_] / 1000 == kTownA / 1000;
  EXPECT_FALSE(c1_in_a && c4_in_a);
  std::set<int64_t> unmatched;
  for (const Unmatched& u : run->unmatched) {
    EXPECT_FALSE(u.reason.empty());
    unmatched.insert(u.id);
  }
  EXPECT_EQ(unmatched, (std::set<int64_t>{c1_, c3_, kVillageA1}));
  for (const auto& e : run->explanations) {
    if (e.side == "cadre" && e.id == c1_) {
      EXPECT_NE(e.lines[0].find("同一派出单位在该乡镇已达上限"), std::string::npos) << e.lines[0];
    }
    if (e.side == "cadre" && e.id == c3_) {
      EXPECT_NE(e.lines[0].find("没有可接受的村"), std::string::npos) << e.lines[0];
    }
  }
  EXPECT_EQ(run->explanations.size(), 7u);  // 4 cadres + 3 villages
  for (const auto& e : run->explanations) EXPECT_GE(e.lines.size(), 2u);

  // The stored result reads back the same; a rerun reproduces both hashes.
  auto stored = rounds().GetResult(county_, r.id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->input_hash, run->input_hash);
  EXPECT_EQ(stored->output_hash, run->output_hash);
  EXPECT_EQ(stored->assignments.size(), run->assignments.size());
  EXPECT_EQ(stored->unmatched.size(), run->unmatched.size());
  auto rerun = internal::RunRound(env_, county_, r.id, At("2026-02-02"));
  ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
  EXPECT_EQ(rerun->input_hash, run->input_hash);
  EXPECT_EQ(rerun->output_hash, run->output_hash);
  EXPECT_EQ(Count("preference", "derived = 1"), 5);

  // Derived lists show as derived on the participants.
  auto cadres = rounds().Cadres(county_, r.id);
  ASSERT_TRUE(cadres.ok());
  for (const RoundCadre& c : *cadres) {
    ASSERT_TRUE(c.preference.has_value());
    EXPECT_EQ(c.preference->derived, c.cadre.id != c1_);
    EXPECT_NE(c.cadre.id_number.find("****"), std::string::npos);  // masked
  }
  const auto json = RoundResultJson(*rerun);
  EXPECT_EQ(json.at("certificate").at("blocking_pairs").as_int64(), 0);
  EXPECT_TRUE(json.at("certificate").at("stable").as_bool());

  // Optimal mode on the same lists: at least the stable total.
  ASSERT_TRUE(db_->Execute("UPDATE dispatch_round SET mode = 'optimal' WHERE id = ?",
                           {storage::Value(r.id)})
                  .ok());
  auto best = internal::RunRound(env_, county_, r.id, At("2026-02-03"));
  ASSERT_TRUE(best.ok()) << best.status().ToString();
  EXPECT_NEAR(best->total_fit, best->optimal_fit, 1e-6);
  EXPECT_GE(best->total_fit + 1e-9, run->total_fit);
}

TEST_F(DispatchRoundTest, ConfirmAppointsFirstSecretaries) {
  // Wang Fang is already a person of 平阳村: confirmation finds her by ID number.
  auto existing = svc().people.Create(system_, Person(kVillageB1, "王芳", IdNumber("19900521", "022"),
                                                      domain::Sex::kFemale));
  ASSERT_TRUE(existing.ok()) << existing.status().ToString();
  const int64_t people_before = Count("person");
  // Three sending units: no cap applies, and with every pair acceptable all three are placed.
  ASSERT_TRUE(db_->Execute("UPDATE cadre SET sending_unit = '河北农业大学', unit_kind = 'university'"
                           " WHERE id = ?",
                           {storage::Value(c4_)})
                  .ok());
  domain::DispatchRound r = Opened();
  ASSERT_TRUE(internal::RunRound(env_, county_, r.id, At("2026-02-01")).ok());
  auto confirmed = internal::ConfirmRound(env_, county_, r.id, At("2026-02-10"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(confirmed->round.status, "confirmed");
  ASSERT_EQ(confirmed->assignments.size(), 3u);
  int64_t reused = 0;
  for (const domain::Assignment& a : confirmed->assignments) {
    ASSERT_TRUE(a.start_date && a.end_date);
    EXPECT_EQ(a.start_date->ToString(), "2026-03-01");
    EXPECT_EQ(a.end_date->ToString(), "2028-03-01");  // the default 24-month term
    EXPECT_GT(a.post_id, 0);
    reused += a.cadre_id == c2_;
  }
  EXPECT_EQ(Count("post", "kind = 'first_secretary' AND end_date = '2028-03-01'"), 3);
  EXPECT_EQ(Count("cadre", "available = 0 AND person_id IS NOT NULL"), 3);
  EXPECT_EQ(Count("cadre", "available = 1"), 1);  // the one the avoidance rule kept out
  EXPECT_EQ(Count("person"), people_before + 3 - reused);
  if (reused) {
    EXPECT_EQ(Count("cadre", "id = " + std::to_string(c2_) +
                                 " AND person_id = " + std::to_string(existing->person.id)),
              1);
  }
  EXPECT_EQ(internal::ConfirmRound(env_, county_, r.id, At("2026-02-11")).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("audit", "action = 'dispatch_round.confirm'"), 1);

  // Terms: current from the start date, flagged when ending within the window.
  auto early = internal::FirstSecretaryTerms(env_, county_, 90, Date::Parse("2026-06-01").value());
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  ASSERT_EQ(early->size(), 3u);
  for (const FirstSecretaryTerm& t : *early) {
    EXPECT_TRUE(t.current);
    EXPECT_FALSE(t.ending_soon);
    EXPECT_EQ(t.round_id, r.id);
  }
  auto late = internal::FirstSecretaryTerms(env_, county_, 90, Date::Parse("2028-01-15").value());
  ASSERT_TRUE(late.ok());
  for (const FirstSecretaryTerm& t : *late) {
    EXPECT_TRUE(t.ending_soon);
    EXPECT_EQ(t.days_left, 46);
  }
  auto town = internal::FirstSecretaryTerms(env_, town_b_, 90, Date::Parse("2026-06-01").value());
  ASSERT_TRUE(town.ok());
  for (const FirstSecretaryTerm& t : *town) EXPECT_EQ(t.division_code / 1000, kTownB / 1000);
  // A second round now finds the three villages covered.
  domain::DispatchRound next = Draft("2027年第一书记选派");
  EXPECT_EQ(internal::OpenRound(env_, county_, next.id, At("2026-06-01")).status().code(),
            StatusCode::kFailedPrecondition);
  // Rotation: a round starting on the day those terms end takes the villages in again.
  AddCadre("孙伟", "19860909", "057", "市发展改革委", "party_agency", {"industry"}, 130602000000);
  domain::DispatchRound rotation = Draft("2028年第一书记轮换", "2028-03-01");
  auto reopened = internal::OpenRound(env_, county_, rotation.id, At("2028-01-15"));
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto villages = rounds().Villages(county_, rotation.id);
  ASSERT_TRUE(villages.ok());
  EXPECT_EQ(villages->size(), 3u);
}

TEST_F(DispatchRoundTest, ScopeCutsVillagesAndResults) {
  domain::DispatchRound r = Opened();
  auto villages = rounds().Villages(town_a_, r.id);
  ASSERT_TRUE(villages.ok());
  ASSERT_EQ(villages->size(), 2u);
  for (const RoundVillage& v : *villages) EXPECT_EQ(v.need.township_code / 1000, kTownA / 1000);
  auto all = rounds().Villages(county_, r.id);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);

  const Caller elsewhere = MakeCaller(domain::Role::kCounty, "130625", 9);
  EXPECT_EQ(rounds().Get(elsewhere, r.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rounds().Villages(elsewhere, r.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rounds().Run(elsewhere, r.id).status().code(), StatusCode::kNotFound);
  auto listed = rounds().List(elsewhere);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());

  ASSERT_TRUE(internal::RunRound(env_, county_, r.id, At("2026-02-01")).ok());
  auto mine = rounds().GetResult(town_b_, r.id);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  for (const domain::Assignment& a : mine->assignments)
    EXPECT_EQ(a.division_code / 1000, kTownB / 1000);
  for (const auto& e : mine->explanations) {
    if (e.side == "village") {
      EXPECT_EQ(e.id / 1000, kTownB / 1000);
    }
  }
  EXPECT_EQ(rounds().Confirm(town_b_, r.id).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(DispatchRoundTest, DemoRoundsLeaveTermsEndingSoonAndAnOpenRound) {
  const Date today = Date::Parse("2026-11-29").value();
  auto made = BuildDemoDispatchRounds(env_, "130624", today);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_GT(made->confirmed_round, 0);
  ASSERT_GT(made->posts, 0);
  auto last = rounds().Get(county_, made->confirmed_round);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->status, "confirmed");
  EXPECT_EQ(last->start_date.ToString(), "2024-12-15");
  auto terms = internal::FirstSecretaryTerms(env_, county_, 90, today);
  ASSERT_TRUE(terms.ok());
  int64_t first_secretaries = 0;
  for (const FirstSecretaryTerm& t : *terms) {
    if (t.post_kind != "first_secretary") {
      // The county's own cadre left over serves as a resident instructor since eight months.
      EXPECT_EQ(t.post_kind, "instructor");
      EXPECT_EQ(t.round_id, made->resident_round);
      EXPECT_EQ(t.start_date.ToString(), "2026-03-01");
      continue;
    }
    ++first_secretaries;
    EXPECT_TRUE(t.current);
    EXPECT_TRUE(t.ending_soon);
    EXPECT_EQ(t.days_left, 16);
  }
  EXPECT_EQ(first_secretaries, made->posts);
  EXPECT_EQ(static_cast<int64_t>(terms->size()), made->posts + made->instructor_posts);
  // Nobody is needy enough for the advisor rounds (no worthies either), nor for a circuit.
  EXPECT_EQ(made->advisor_confirmed_round, 0);
  EXPECT_EQ(made->advisor_round, 0);
  EXPECT_EQ(made->circuit_round, 0);
  EXPECT_EQ(made->tracking_round, 0);  // no projects
  // The first secretaries' terms end before this year's round starts: their villages rotate.
  ASSERT_NE(made->open_round, 0);
  {
    auto next = rounds().Get(county_, made->open_round);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->status, "preferences_open");
    EXPECT_GT(made->lists_entered, 0);
    EXPECT_TRUE(rounds().Run(county_, made->open_round).ok());
  }
  EXPECT_EQ(Count("dispatch_round", "status = 'draft'"), 0);
}

}  // namespace
}  // namespace qiangji::services::testing

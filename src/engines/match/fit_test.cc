#include "engines/match/fit.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace qiangji::engines::match {
namespace {

DispatchPerson Cadre(std::string id, std::vector<std::pair<std::string, double>> skills,
                     int64_t home = 0, std::string unit = "", std::string unit_kind = "agency") {
  DispatchPerson p;
  p.id = id;
  p.name = id;
  p.skills = std::move(skills);
  p.home_code = home;
  p.unit = std::move(unit);
  p.unit_kind = std::move(unit_kind);
  return p;
}

DispatchVillage Village(std::string id, int64_t code,
                        std::vector<std::pair<std::string, double>> needs, double priority = 0,
                        int seats = 1) {
  DispatchVillage v;
  v.id = id;
  v.name = id;
  v.code = code;
  v.needs = std::move(needs);
  v.priority = priority;
  v.seats = seats;
  return v;
}

// A problem whose lists are all derived (none submitted).
DispatchProblem Derived(std::vector<DispatchPerson> people, std::vector<DispatchVillage> villages) {
  DispatchProblem p;
  p.people = std::move(people);
  p.villages = std::move(villages);
  p.person_prefs.assign(p.people.size(), std::nullopt);
  p.village_prefs.assign(p.villages.size(), std::nullopt);
  return p;
}

TEST(FitTest, SumsNeedWeightTimesSkillLevelThenScalesByPriority) {
  const DispatchRules rules;
  const auto person = Cadre("a", {{"party_building", 1.0}, {"agronomy", 0.5}});
  const auto village = Village("v", 130624100201,
                               {{"party_building", 0.6}, {"agronomy", 0.4}, {"finance", 0.2}}, 50);
  // (0.6 x 1 + 0.4 x 0.5 + 0.2 x 0) x (1 + 50 / 100) = 0.8 x 1.5
  EXPECT_DOUBLE_EQ(Fit(person, village, rules), 0.8 * 1.5);
  DispatchRules flat;
  flat.priority_weight = 0;
  EXPECT_DOUBLE_EQ(Fit(person, village, flat), 0.8);
}

TEST(FitTest, LocalWorthiesGetAHometownBonusAndCadresDoNot) {
  const DispatchRules rules;  // 0.3 village, 0.2 township, 0.1 county
  const auto village = Village("v", 130624100201, {{"industry", 1.0}});
  auto worthy = Cadre("w", {{"industry", 0.5}}, 130624100201);
  worthy.kind = PersonKind::kLocalWorthy;
  EXPECT_DOUBLE_EQ(Fit(worthy, village, rules), 0.5 + 0.3);
  worthy.home_code = 130624100205;  // same township
  EXPECT_DOUBLE_EQ(Fit(worthy, village, rules), 0.5 + 0.2);
  worthy.home_code = 130624101210;  // same county
  EXPECT_DOUBLE_EQ(Fit(worthy, village, rules), 0.5 + 0.1);
  worthy.home_code = 130625100201;  // elsewhere
  EXPECT_DOUBLE_EQ(Fit(worthy, village, rules), 0.5);
  const auto cadre = Cadre("c", {{"industry", 0.5}}, 130624100201);
  EXPECT_DOUBLE_EQ(Fit(cadre, village, rules), 0.5);
}

TEST(FitTest, DerivedListsTieWithinToleranceOfTheTierLeaderAndDropZeroAndExcluded) {
  const std::vector<double> fit = {0.5, 0.9, 0.9 + 5e-10, 0, 0.9 - 4e-10, 0.7, 0.9 - 2e-9};
  std::vector<bool> excluded(fit.size(), false);
  excluded[5] = true;
  const RankList list = DeriveRankList(fit, excluded);
  ASSERT_EQ(list.tiers.size(), 3u);
  // Leader 0.9 + 5e-10: 0.9 and 0.9 - 4e-10 are within 1e-9 of it, 0.9 - 2e-9 is not.
  EXPECT_EQ(list.tiers[0], (std::vector<int>{2, 1, 4}));
  EXPECT_EQ(list.tiers[1], (std::vector<int>{6}));
  EXPECT_EQ(list.tiers[2], (std::vector<int>{0}));
}

TEST(FitTest, HomeCountyAvoidanceExcludesCadresEvenWhenBothRankEachOtherFirst) {
  // Li is from 130624 and suits Dongcun best, which is in 130624; Wang is from 130681.
  auto p = Derived({Cadre("li", {{"party_building", 1}}, 130624100201),
                    Cadre("wang", {{"industry", 1}}, 130681100201)},
                   {Village("dongcun", 130624100202, {{"party_building", 1}, {"industry", 0.6}}),
                    Village("xicun", 130682200203, {{"party_building", 0.5}, {"industry", 0.5}})});
  p.person_prefs[0] = RankList{{{0}, {1}}};
  p.village_prefs[0] = RankList{{{0}, {1}}};
  auto r = SolveDispatch(p);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->assignment[0], 0);
  EXPECT_EQ(r->certificate.blocking_pairs, 0);
  EXPECT_EQ(r->certificate.violations, 0);
  // Only Li's home county holds one of the villages.
  std::map<std::pair<int, int>, ExclusionSource> ex;
  for (size_t i = 0; i < r->market.exclusions.size(); ++i)
    ex[{r->market.exclusions[i].person, r->market.exclusions[i].village}] = r->exclusion_source[i];
  EXPECT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex.at({0, 0}), ExclusionSource::kHomeCounty);
  EXPECT_FALSE(r->person_derived[0]);
  EXPECT_TRUE(r->person_derived[1]);
  EXPECT_FALSE(r->village_derived[0]);
  EXPECT_TRUE(r->village_derived[1]);
  EXPECT_EQ(r->assignment, (Assignment{1, 0}));
  EXPECT_NE(r->explanations.people[0].find("dongcun (home county)"), std::string::npos)
      << r->explanations.people[0];

  p.rules.avoid_home_county = false;
  r = SolveDispatch(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->assignment[0], 0);
  EXPECT_TRUE(r->market.exclusions.empty());
}

TEST(FitTest, ASendingUnitOverItsTownshipCapLosesItsLowestFitExtras) {
  // Three people of one hospital; the three villages are in one township; cap 1 per township.
  auto p = Derived(
      {Cadre("a", {{"health", 1.0}}, 0, "county hospital", "hospital"),
       Cadre("b", {{"health", 0.8}}, 0, "county hospital", "hospital"),
       Cadre("c", {{"health", 0.6}}, 0, "county hospital", "hospital"),
       Cadre("d", {{"health", 0.2}}, 0, "grain bureau", "agency")},
      {Village("v1", 130624100201, {{"health", 1}}), Village("v2", 130624100202, {{"health", 1}}),
       Village("v3", 130624100203, {{"health", 1}})});
  p.rules.max_per_unit_per_township = 1;
  auto r = SolveDispatch(p);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rounds, 2);
  EXPECT_GE(r->assignment[0], 0);  // the best-fitting one stays
  EXPECT_EQ(r->assignment[1], -1);
  EXPECT_EQ(r->assignment[2], -1);
  EXPECT_GE(r->assignment[3], 0);
  EXPECT_EQ(r->certificate.blocking_pairs, 0);
  EXPECT_EQ(r->certificate.violations, 0);
  int caps = 0;
  for (size_t i = 0; i < r->exclusion_source.size(); ++i) {
    if (r->exclusion_source[i] != ExclusionSource::kUnitCap) continue;
    ++caps;
    EXPECT_EQ(r->market.exclusions[i].reason,
              "sending unit county hospital already sends 1 to township 130624100");
  }
  EXPECT_EQ(caps, 6);  // b and c, each from three villages
}

TEST(FitTest, AUnitKindRuleExcludesItsKindUnderADivision) {
  auto p = Derived({Cadre("u", {{"education", 1}}, 0, "normal university", "university")},
                   {Village("in", 130624100201, {{"education", 1}}),
                    Village("out", 130624101201, {{"education", 0.5}})});
  p.rules.unit_kind_exclusions.push_back({"university", "130624100", ""});
  auto r = SolveDispatch(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->assignment[0], 1);
  ASSERT_EQ(r->market.exclusions.size(), 1u);
  EXPECT_EQ(r->market.exclusions[0].reason, "sending-unit kind university excluded");
  EXPECT_EQ(r->exclusion_source[0], ExclusionSource::kUnitKind);
}

TEST(FitTest, ValidationNamesTheFields) {
  auto p = Derived({Cadre("a", {{"party_bulding", 1}}), Cadre("a", {{"industry", 1.5}})},
                   {Village("v", 130624100201, {{"industry", -1}}, 120, -1)});
  p.person_prefs[0] = RankList{{{0}, {0}}};
  p.rules.max_per_unit_per_township = -2;
  const Status s = ValidateDispatch(p);
  ASSERT_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& e : s.field_errors()) fields.push_back(e.field);
  const std::vector<std::string> want = {
      "people[0].skills.party_bulding", "people[1].id",
      "people[1].skills.industry",      "villages[0].seats",
      "villages[0].needs.industry",     "villages[0].priority",
      "person_prefs[0][1][0]",          "rules.max_per_unit_per_township"};
  EXPECT_EQ(fields, want);
  EXPECT_FALSE(SolveDispatch(p).ok());
}

// Random county-sized problems: certified stable, caps and exclusions respected, the optimum at
// least the stable total, and the same seed giving the same hashes.
TEST(FitTest, RandomProblemsAreCertifiedAndRespectEveryRule) {
  std::mt19937_64 rng(20260);
  const std::vector<std::string> units = {"u0", "u1", "u2", "u3"};
  for (int round = 0; round < 60; ++round) {
    DispatchProblem p;
    const int n = 6 + static_cast<int>(rng() % 10);
    const int m = 3 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      std::vector<std::pair<std::string, double>> skills;
      for (std::string_view k : kWorkTypes) {
        if (rng() % 3 == 0) skills.emplace_back(std::string(k), (rng() % 5 + 1) / 5.0);
      }
      auto c = Cadre("p" + std::to_string(i), skills, rng() % 4 == 0 ? 130624100201 : 130681100201,
                     units[rng() % units.size()]);
      if (rng() % 5 == 0) c.kind = PersonKind::kLocalWorthy;
      c.available = rng() % 10 != 0;
      p.people.push_back(c);
    }
    for (int j = 0; j < m; ++j) {
      std::vector<std::pair<std::string, double>> needs;
      for (std::string_view k : kWorkTypes) {
        if (rng() % 3 == 0) needs.emplace_back(std::string(k), (rng() % 4 + 1) / 4.0);
      }
      const int64_t code = (rng() % 2 ? 130624100200 : 130624101200) + j;
      p.villages.push_back(Village("v" + std::to_string(j), code, needs,
                                   static_cast<double>(rng() % 101), static_cast<int>(rng() % 3)));
    }
    p.person_prefs.assign(static_cast<size_t>(n), std::nullopt);
    p.village_prefs.assign(static_cast<size_t>(m), std::nullopt);
    for (int i = 0; i < n; ++i) {
      if (rng() % 3 != 0) continue;
      RankList list;
      for (int j = 0; j < m; ++j) {
        if (rng() % 2) list.tiers.push_back({j});
      }
      p.person_prefs[static_cast<size_t>(i)] = list;
    }
    p.rules.max_per_unit_per_township = static_cast<int>(rng() % 3);
    p.proposing = rng() % 2 ? ProposingSide::kPeople : ProposingSide::kVillages;
    p.mode = rng() % 2 ? DispatchMode::kStable : DispatchMode::kOptimal;
    p.seed = rng();
    auto r = SolveDispatch(p);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->certificate.violations, 0) << round;
    if (p.mode == DispatchMode::kStable) {
      EXPECT_EQ(r->certificate.blocking_pairs, 0) << round;
    } else {
      ASSERT_TRUE(r->price.has_value());
      EXPECT_LE(r->price->stable_scaled, r->price->optimal_scaled) << round;
      EXPECT_EQ(CheckStability(r->market, r->stable.village_of).blocking_pairs, 0) << round;
    }
    // No unavailable person placed, no cadre at home, no unit over its cap in a township.
    std::map<std::pair<std::string, int64_t>, int> per_township;
    for (int i = 0; i < n; ++i) {
      const int v = r->assignment[static_cast<size_t>(i)];
      if (v < 0) continue;
      const auto& person = p.people[static_cast<size_t>(i)];
      const auto& village = p.villages[static_cast<size_t>(v)];
      EXPECT_TRUE(person.available);
      if (person.kind == PersonKind::kCadre) {
        EXPECT_NE(person.home_code / 1000000, village.code / 1000000);
      }
      ++per_township[{person.unit, village.code / 1000}];
    }
    if (p.rules.max_per_unit_per_township > 0) {
      for (const auto& [key, count] : per_township)
        EXPECT_LE(count, p.rules.max_per_unit_per_township) << round;
    }
    auto again = SolveDispatch(p);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->input_hash, r->input_hash);
    EXPECT_EQ(again->output_hash, r->output_hash);
    EXPECT_EQ(again->assignment, r->assignment);
  }
}

}  // namespace
}  // namespace qiangji::engines::match

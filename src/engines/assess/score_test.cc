#include "engines/assess/score.h"

#include <cmath>

#include <gtest/gtest.h>

namespace qiangji::engines::assess {
namespace {

Indicator Ind(std::string key, Direction d, Normalisation n, double weight, double lower = 0,
              double upper = 0, double target = 0) {
  return {std::move(key), d, n, lower, upper, target, weight};
}

// meetings: benefit, fixed 0..12; petitions: cost, on the data.
Problem MeetingsAndPetitions() {
  return {{Ind("meetings", Direction::kBenefit, Normalisation::kMinMaxFixed, 0.6, 0, 12),
           Ind("petitions", Direction::kCost, Normalisation::kMinMaxData, 0.4)},
          {"v1", "v2", "v3"},
          {12, 0, 6, 5, 3, 10}};
}

TEST(Fnv1a64, PublishedTestVectors) {
  // Vectors from the FNV reference (Fowler, Noll, Vo: draft-eastlake-fnv).
  EXPECT_EQ(Fnv1a64().value(), 0xcbf29ce484222325ULL);
  Fnv1a64 a;
  a.AddBytes("a", 1);
  EXPECT_EQ(a.value(), 0xaf63dc4c8601ec8cULL);
  Fnv1a64 foobar;
  foobar.AddBytes("foobar", 6);
  EXPECT_EQ(foobar.value(), 0x85944171f73967e8ULL);
  EXPECT_EQ(HashHex(0xaf63dc4c8601ec8cULL), "af63dc4c8601ec8c");
}

TEST(WeightedSum, HandComputedScoresAndContributions) {
  // meetings 12, 6, 3 of 12 -> 1, 0.5, 0.25; petitions 0, 5, 10 (cost, data) -> 1, 0.5, 0.
  auto r = Score(MeetingsAndPetitions(), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->scores[0], 100);
  EXPECT_DOUBLE_EQ(r->scores[1], 50);
  EXPECT_DOUBLE_EQ(r->scores[2], 15);
  EXPECT_DOUBLE_EQ(r->contributions[2 * 2 + 0], 15);
  EXPECT_DOUBLE_EQ(r->contributions[2 * 2 + 1], 0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r->contributions[i * 2] + r->contributions[i * 2 + 1], r->scores[i]);
  }
}

TEST(Normalisation, TargetAndZScore) {
  Problem p{{Ind("satisfaction", Direction::kBenefit, Normalisation::kTarget, 0.25, 60, 0, 90),
             Ind("petitions", Direction::kCost, Normalisation::kTarget, 0.25, 0, 10, 2),
             Ind("members", Direction::kBenefit, Normalisation::kZScore, 0.25),
             Ind("age", Direction::kCost, Normalisation::kZScore, 0.25)},
            {"a", "b", "c"},
            {75, 6, 2, 2, 95, 1, 4, 4, 50, 12, 6, 6}};
  const std::vector<double> s = NormaliseValues(p);
  EXPECT_DOUBLE_EQ(s[0], 0.5);  // 75 is halfway from 60 to the target 90
  EXPECT_DOUBLE_EQ(s[4], 1.0);  // beyond the target
  EXPECT_DOUBLE_EQ(s[8], 0.0);  // below the lower bound
  EXPECT_DOUBLE_EQ(s[1], 0.5);  // 6 petitions: halfway from 10 down to the target 2
  EXPECT_DOUBLE_EQ(s[5], 1.0);
  EXPECT_DOUBLE_EQ(s[9], 0.0);
  // 2, 4, 6: mean 4, population sd sqrt(8/3); z(6) = 1.2247, 0.5 + z / 6 = 0.70412.
  EXPECT_NEAR(s[10], 0.704124, 1e-6);
  EXPECT_DOUBLE_EQ(s[6], 0.5);
  EXPECT_NEAR(s[11], 1 - 0.704124, 1e-6);  // the cost twin mirrors it
}

TEST(Normalisation, ConstantIndicatorOnTheData) {
  Problem p{{Ind("x", Direction::kBenefit, Normalisation::kMinMaxData, 0.5),
             Ind("y", Direction::kBenefit, Normalisation::kZScore, 0.5)},
            {"a", "b"},
            {3, 7, 3, 7}};
  const std::vector<double> s = NormaliseValues(p);
  EXPECT_EQ(s, (std::vector<double>{1, 0.5, 1, 0.5}));
}

TEST(Topsis, VectorNormalisationHandComputed) {
  // Columns (3, 4, 0) and (4, 3, 0) both have norm 5; weights 1/2. With both benefit,
  // A1 = (0.3, 0.4): D+ = 0.1, D- = 0.5, C = 5/6.
  Problem p{{Ind("x", Direction::kBenefit, Normalisation::kMinMaxData, 0.5),
             Ind("y", Direction::kBenefit, Normalisation::kMinMaxData, 0.5)},
            {"a1", "a2", "a3"},
            {3, 4, 4, 3, 0, 0}};
  ScoreOptions o{Method::kTopsis, TopsisNormalisation::kVector, false};
  auto r = Score(p, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->scores[0], 100.0 * 5 / 6, 1e-12);
  EXPECT_NEAR(r->scores[1], 100.0 * 5 / 6, 1e-12);
  EXPECT_EQ(r->scores[2], 0);
  EXPECT_TRUE(r->contributions.empty());

  // y as a cost: ideal (0.4, 0), anti (0, 0.4).
  // A1: D+ = sqrt(0.17), D- = 0.3; A2: D+ = 0.3, D- = sqrt(0.17); A3: 0.4 and 0.4.
  p.indicators[1].direction = Direction::kCost;
  r = Score(p, o);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->scores[0], 100 * 0.3 / (std::sqrt(0.17) + 0.3), 1e-12);
  EXPECT_NEAR(r->scores[1], 100 * std::sqrt(0.17) / (std::sqrt(0.17) + 0.3), 1e-12);
  EXPECT_NEAR(r->scores[2], 50, 1e-12);
}

TEST(Topsis, ZeroColumnAndIdenticalAlternatives) {
  ScoreOptions o{Method::kTopsis, TopsisNormalisation::kVector, false};
  // A column of zeros separates nobody; the other column decides.
  Problem zero{{Ind("x", Direction::kBenefit, Normalisation::kMinMaxData, 0.5),
                Ind("none", Direction::kBenefit, Normalisation::kMinMaxData, 0.5)},
               {"a", "b"},
               {2, 0, 1, 0}};
  auto r = Score(zero, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scores[0], 100);
  EXPECT_EQ(r->scores[1], 0);
  // Identical alternatives are all at the ideal: 100 each, and never NaN.
  Problem same{
      {Ind("x", Direction::kBenefit, Normalisation::kMinMaxData, 1)}, {"a", "b", "c"}, {5, 5, 5}};
  for (TopsisNormalisation n : {TopsisNormalisation::kVector, TopsisNormalisation::kMinMax}) {
    auto s = Score(same, {Method::kTopsis, n, false});
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->scores, (std::vector<double>{100, 100, 100}));
  }
}

TEST(Topsis, FixedIdealsKeepAScoreWhenOthersChange) {
  Problem p{{Ind("x", Direction::kBenefit, Normalisation::kMinMaxFixed, 0.5, 0, 10),
             Ind("y", Direction::kBenefit, Normalisation::kMinMaxFixed, 0.5, 0, 10)},
            {"mid", "low"},
            {5, 5, 2, 2}};
  ScoreOptions fixed{Method::kTopsis, TopsisNormalisation::kMinMax, true};
  ScoreOptions data{Method::kTopsis, TopsisNormalisation::kMinMax, false};
  auto before_fixed = Score(p, fixed);
  auto before_data = Score(p, data);
  ASSERT_TRUE(before_fixed.ok() && before_data.ok());
  EXPECT_NEAR(before_fixed->scores[0], 50, 1e-12);  // equidistant from (1, 1) and (0, 0)
  EXPECT_EQ(before_data->scores[0], 100);           // the best of this run is the ideal

  p.alternatives.push_back("top");
  p.values.insert(p.values.end(), {10, 10});
  auto after_fixed = Score(p, fixed);
  auto after_data = Score(p, data);
  ASSERT_TRUE(after_fixed.ok() && after_data.ok());
  EXPECT_EQ(after_fixed->scores[0], before_fixed->scores[0]);
  EXPECT_LT(after_data->scores[0], 100);
}

TEST(Score, FixedIdealsNeedDataIndependentNormalisation) {
  Problem p = MeetingsAndPetitions();  // petitions are normalised on the data
  auto r = Score(p, {Method::kTopsis, TopsisNormalisation::kMinMax, true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].field, "indicators[1].normalisation");
  auto vector = Score(p, {Method::kTopsis, TopsisNormalisation::kVector, true});
  ASSERT_FALSE(vector.ok());
}

TEST(Score, RejectsBadProblems) {
  Problem p = MeetingsAndPetitions();
  p.indicators[1].weight = 0.3;
  auto r = Score(p, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field_errors()[0].field, "indicators");

  p = MeetingsAndPetitions();
  p.indicators[1].key = "meetings";
  EXPECT_EQ(Score(p, {}).status().field_errors()[0].field, "indicators[1].key");

  p = MeetingsAndPetitions();
  p.indicators[0].upper = 0;  // upper == lower
  EXPECT_EQ(Score(p, {}).status().field_errors()[0].field, "indicators[0].upper");

  p = MeetingsAndPetitions();
  p.values[3] = NAN;
  EXPECT_EQ(Score(p, {}).status().field_errors()[0].field, "values[1][1]");

  p = MeetingsAndPetitions();
  p.alternatives[2] = "v1";
  EXPECT_EQ(Score(p, {}).status().field_errors()[0].field, "alternatives[2]");
}

TEST(Score, ReproducibleHashes) {
  auto a = Score(MeetingsAndPetitions(), {});
  auto b = Score(MeetingsAndPetitions(), {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->input_hash, b->input_hash);
  EXPECT_EQ(a->output_hash, b->output_hash);

  // Pinned: the hashes are part of the run record, so a change of canonical form, summation
  // order or arithmetic on any platform shows up here (and needs a new "v2" tag).
  EXPECT_EQ(HashHex(a->input_hash), "79a96a1178f4c1a5");
  EXPECT_EQ(HashHex(a->output_hash), "e5b05bcfc059fb21");

  // One ulp in one input changes the input hash.
  Problem p = MeetingsAndPetitions();
  p.values[2] = std::nextafter(p.values[2], 100.0);
  auto c = Score(p, {});
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->input_hash, a->input_hash);
  EXPECT_NE(c->output_hash, a->output_hash);

  // The method is part of the input.
  auto t = Score(MeetingsAndPetitions(), {Method::kTopsis, TopsisNormalisation::kMinMax, false});
  ASSERT_TRUE(t.ok());
  EXPECT_NE(t->input_hash, a->input_hash);
}

}  // namespace
}  // namespace qiangji::engines::assess

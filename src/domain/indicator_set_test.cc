#include "domain/indicator_set.h"

#include <gtest/gtest.h>

namespace qiangji::domain {
namespace {

bool Names(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors()) {
    if (e.field == field) return true;
  }
  return false;
}

std::string Message(const Status& s, const std::string& field) {
  for (const auto& e : s.field_errors()) {
    if (e.field == field) return e.message;
  }
  return "";
}

IndicatorDef Ind(std::string key, std::string measure, std::string dimension, double weight) {
  IndicatorDef d;
  d.key = std::move(key);
  d.measure = std::move(measure);
  d.dimension = std::move(dimension);
  d.label_zh = "指标";
  d.weight = weight;
  return d;
}

// Manual weights; team_operation has two indicators, capability one, morale none.
IndicatorSet GoodSet() {
  IndicatorSet s;
  s.key = "village-default";
  s.name_zh = "村党组织分类评定";
  s.dimensions = {{"team_operation", 0.4},
                  {"capability", 0.2},
                  {"morale", 0},
                  {"public_response", 0.3},
                  {"conflicts", 0.1}};
  s.indicators = {Ind("avg_age", "two_committee_avg_age", "team_operation", 0.5),
                  Ind("vacancy", "secretary_vacancy_months", "team_operation", 0.5),
                  Ind("meetings", "meetings_held", "capability", 1),
                  Ind("satisfaction", "satisfaction_rate", "public_response", 1),
                  Ind("petitions", "petitions", "conflicts", 1)};
  s.indicators[0].direction = "cost";
  s.indicators[0].lower = 30;
  s.indicators[0].upper = 60;
  s.indicators[2].normalisation = "target";
  s.indicators[2].target = 12;
  s.indicators[4].normalisation = "minmax_data";
  s.indicators[4].direction = "cost";
  s.vetoes = {{"serious_finding", 2}, {"weak_lax", 1}};
  return s;
}

AhpMatrixDef Matrix(std::string name, std::vector<std::string> items, std::vector<double> a) {
  return {std::move(name), std::move(items), std::move(a)};
}

IndicatorSet AhpSet() {
  IndicatorSet s = GoodSet();
  s.weighting.method = "ahp";
  s.weighting.ahp = {
      Matrix("dimensions",
             {"team_operation", "capability", "morale", "public_response", "conflicts"},
             {1,   2, 3, 1,   2,                                 //
              0.5, 1, 2, 0.5, 1, 1.0 / 3, 0.5, 1, 1.0 / 3, 0.5,  //
              1,   2, 3, 1,   2,                                 //
              0.5, 1, 2, 0.5, 1}),
      Matrix("team_operation", {"vacancy", "avg_age"}, {1, 3, 0.33, 1}),
  };
  return s;
}

TEST(Measures, CatalogueLookups) {
  ASSERT_NE(FindMeasure("satisfaction_rate"), nullptr);
  EXPECT_EQ(FindMeasure("satisfaction_rate")->source, "satisfaction_survey");
  EXPECT_EQ(FindMeasure("no_such_measure"), nullptr);
  for (const MeasureInfo& m : kMeasures) {
    bool known_source = false;
    for (std::string_view s : kEvidenceSources) known_source |= s == m.source;
    EXPECT_TRUE(known_source) << m.key;
  }
}

TEST(IndicatorSet, GoodManualAndAhpSetsAreValid) {
  Status s = ValidateIndicatorSet(GoodSet());
  EXPECT_TRUE(s.ok()) << s.ToString();
  s = ValidateIndicatorSet(AhpSet());
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(IndicatorSet, UnknownMeasureAndDimensionAreNamed) {
  IndicatorSet s = GoodSet();
  s.indicators[3].measure = "happiness";
  s.indicators[1].dimension = "luck";
  Status st = ValidateIndicatorSet(s);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(st, "indicators[3].measure"), "unknown measure 'happiness'");
  EXPECT_TRUE(Names(st, "indicators[1].dimension"));
}

TEST(IndicatorSet, KeysMustBeWellFormedAndUnique) {
  IndicatorSet s = GoodSet();
  s.indicators[1].key = "avg_age";
  s.indicators[2].key = "Meetings!";
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "indicators[1].key"));
  EXPECT_TRUE(Names(st, "indicators[2].key"));
  s = GoodSet();
  s.indicators[0].key = std::string(41, 'a');
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "indicators[0].key"));
}

TEST(IndicatorSet, ManualWeightsMustSumToOne) {
  IndicatorSet s = GoodSet();
  s.dimensions[1].weight = 0.25;  // sum 1.05
  s.indicators[0].weight = 0.6;   // team_operation 1.1
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "dimensions"));
  EXPECT_NE(Message(st, "indicators").find("team_operation"), std::string::npos);
  // Within the tolerance is fine.
  s = GoodSet();
  s.indicators[0].weight = 0.5 + 4e-7;
  EXPECT_TRUE(ValidateIndicatorSet(s).ok());
}

TEST(IndicatorSet, DimensionWithoutIndicatorsNeedsWeightZero) {
  IndicatorSet s = GoodSet();
  s.dimensions[2].weight = 0.1;  // morale has no indicators
  s.dimensions[0].weight = 0.3;
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "dimensions[2].weight"));
  EXPECT_FALSE(Names(st, "dimensions"));
}

TEST(IndicatorSet, DimensionsInOrder) {
  IndicatorSet s = GoodSet();
  std::swap(s.dimensions[0], s.dimensions[1]);
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "dimensions[0].key"));
  s.dimensions.pop_back();
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "dimensions"));
}

TEST(IndicatorSet, BoundsFitTheNormalisation) {
  IndicatorSet s = GoodSet();
  s.indicators[0].upper = 30;   // not above lower
  s.indicators[2].target = -1;  // benefit target below lower 0
  s.indicators[3].normalisation = "log";
  s.indicators[4].direction = "up";
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "indicators[0].upper"));
  EXPECT_TRUE(Names(st, "indicators[2].target"));
  EXPECT_TRUE(Names(st, "indicators[3].normalisation"));
  EXPECT_TRUE(Names(st, "indicators[4].direction"));
}

TEST(IndicatorSet, AhpMatricesAreCheckedCellByCell) {
  IndicatorSet s = AhpSet();
  s.weighting.ahp[0].a[2 * 5 + 1] = 0.9;  // a[2][1] against a[1][2] = 2
  s.weighting.ahp[0].a[3 * 5 + 3] = 2;    // diagonal
  s.weighting.ahp[1].a[1] = -3;
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "weighting.ahp[0].a[2][1]")) << st.ToString();
  EXPECT_TRUE(Names(st, "weighting.ahp[0].a[3][3]"));
  EXPECT_TRUE(Names(st, "weighting.ahp[1].a[0][1]"));
  // 0.33 for 1/3 is within the 0.02 reciprocal tolerance; 0.5 is not.
  s = AhpSet();
  s.weighting.ahp[1].a = {1, 3, 0.5, 1};
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "weighting.ahp[1].a[1][0]"));
}

TEST(IndicatorSet, AhpNeedsTheRightMatricesOverTheRightItems) {
  IndicatorSet s = AhpSet();
  s.weighting.ahp.pop_back();  // team_operation has two indicators and now no matrix
  Status st = ValidateIndicatorSet(s);
  EXPECT_NE(Message(st, "weighting.ahp").find("team_operation"), std::string::npos);

  s = AhpSet();
  s.weighting.ahp[1].items = {"vacancy", "meetings"};
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "weighting.ahp[1].items"));

  s = AhpSet();
  s.weighting.ahp[0].items[4] = "luck";
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "weighting.ahp[0].items"));

  s = AhpSet();
  s.weighting.ahp.push_back(Matrix("morale", {"x"}, {1}));  // morale has no indicators
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "weighting.ahp[2].name"));

  s = AhpSet();
  s.weighting.ahp[1].a.pop_back();
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "weighting.ahp[1].a"));

  // AHP weights do not need manual sums.
  s = AhpSet();
  s.dimensions[0].weight = 0.9;
  EXPECT_TRUE(ValidateIndicatorSet(s).ok());
}

TEST(IndicatorSet, BlendWithManualChecksManualWeights) {
  IndicatorSet s = GoodSet();
  s.weighting.method = "blend";
  s.weighting.subjective = "manual";
  s.weighting.alpha = 1.5;
  s.weighting.blend_rule = "average";
  s.dimensions[0].weight = 0.5;
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "weighting.alpha"));
  EXPECT_TRUE(Names(st, "weighting.blend_rule"));
  EXPECT_TRUE(Names(st, "dimensions"));
  s = GoodSet();
  s.weighting.method = "entropy";
  s.dimensions[0].weight = 0.5;  // unused by entropy weights
  EXPECT_TRUE(ValidateIndicatorSet(s).ok());
  s.weighting.method = "magic";
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "weighting.method"));
}

TEST(IndicatorSet, FixedIdealsNeedFixedScales) {
  IndicatorSet s = GoodSet();
  s.scoring.method = "topsis";
  s.scoring.fixed_ideals = true;
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "indicators[4].normalisation"));  // minmax_data
  s.scoring.fixed_ideals = false;
  EXPECT_TRUE(ValidateIndicatorSet(s).ok());
  s.scoring.topsis_normalisation = "vector";
  s.scoring.fixed_ideals = true;
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "scoring.fixed_ideals"));
}

TEST(IndicatorSet, BandsVetoesAndLimits) {
  IndicatorSet s = GoodSet();
  s.bands.thresholds = {60, 80, 70};
  s.vetoes.push_back({"curfew", 1});
  s.vetoes.push_back({"weak_lax", 1});
  s.vetoes[0].max_stars = 6;
  s.notice_days = 31;
  s.sensitivity.spread = 1;
  s.classes.model_min_stars = 1;
  s.weak_lax.satisfaction_below = 60;  // a share, not a percentage
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "bands.thresholds"));
  EXPECT_TRUE(Names(st, "vetoes[2].rule"));
  EXPECT_TRUE(Names(st, "vetoes[3].rule"));  // listed twice
  EXPECT_TRUE(Names(st, "vetoes[0].max_stars"));
  EXPECT_TRUE(Names(st, "notice_days"));
  EXPECT_TRUE(Names(st, "sensitivity.spread"));
  EXPECT_TRUE(Names(st, "classes.model_min_stars"));
  EXPECT_TRUE(Names(st, "weak_lax.satisfaction_below"));

  s = GoodSet();
  s.bands.method = "quotas";
  s.bands.top_shares = {0.5, 0.6};
  st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "bands.top_shares"));
  EXPECT_TRUE(Names(st, "classes.model_min_stars"));  // 5 > 3 stars available
}

TEST(IndicatorSet, SetIdentityAndLabels) {
  IndicatorSet s = GoodSet();
  s.key = "Village Default";
  s.name_zh = "";
  s.indicators[0].label_zh = "";
  s.indicators[1].missing_value = std::numeric_limits<double>::infinity();
  Status st = ValidateIndicatorSet(s);
  EXPECT_TRUE(Names(st, "key"));
  EXPECT_TRUE(Names(st, "name_zh"));
  EXPECT_TRUE(Names(st, "indicators[0].label_zh"));
  EXPECT_TRUE(Names(st, "indicators[1].missing_value"));
  s = GoodSet();
  s.indicators.clear();
  s.dimensions = {{"team_operation", 1},
                  {"capability", 0},
                  {"morale", 0},
                  {"public_response", 0},
                  {"conflicts", 0}};
  EXPECT_TRUE(Names(ValidateIndicatorSet(s), "indicators"));
}

}  // namespace
}  // namespace qiangji::domain

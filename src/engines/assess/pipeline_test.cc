#include "engines/assess/pipeline.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "engines/assess/explain.h"
#include "engines/assess/score.h"

namespace qiangji::engines::assess {
namespace {

using domain::IndicatorDef;
using domain::IndicatorSet;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kT1 = 130624100000, kT2 = 130624101000;

IndicatorDef Ind(std::string key, std::string measure, std::string dimension, std::string direction,
                 double lower, double upper) {
  IndicatorDef d;
  d.key = std::move(key);
  d.measure = std::move(measure);
  d.dimension = std::move(dimension);
  d.label_zh = d.key;
  d.direction = std::move(direction);
  d.lower = lower;
  d.upper = upper;
  d.weight = 1;
  return d;
}

// Four indicators on fixed scales, one per dimension with weights 0.4, 0.2, 0.3, 0.1, so a
// score is 40 s_vacancy + 20 s_meetings + 30 s_satisfaction + 10 s_petitions.
IndicatorSet CountySet() {
  IndicatorSet s;
  s.key = "test";
  s.name_zh = "测试";
  s.dimensions = {{"team_operation", 0.4},
                  {"capability", 0.2},
                  {"morale", 0},
                  {"public_response", 0.3},
                  {"conflicts", 0.1}};
  s.indicators = {
      Ind("vacancy", "secretary_vacancy_months", "team_operation", "cost", 0, 12),
      Ind("meetings", "meetings_held", "capability", "benefit", 0, 40),
      Ind("satisfaction", "satisfaction_rate", "public_response", "benefit", 0.5, 1),
      Ind("petitions", "petitions", "conflicts", "cost", 0, 20),
  };
  s.vetoes = {{"serious_finding", 2}, {"weak_lax", 1}, {"term_overdue", 3}};
  s.sensitivity.draws = 200;
  return s;
}

VillageInput Village(int64_t code, double vacancy, double meetings, double satisfaction,
                     double petitions) {
  VillageInput v;
  v.code = code;
  v.name = "村" + std::to_string(code % 1000);
  v.township_code = code / 1000 * 1000;
  v.township_name = v.township_code == kT1 ? "城南镇" : "城北镇";
  v.measures.assign(MeasureCount(), kNaN);
  v.measures[MeasureIndex("secretary_vacancy_months")] = vacancy;
  v.measures[MeasureIndex("meetings_held")] = meetings;
  v.measures[MeasureIndex("satisfaction_rate")] = satisfaction;
  v.measures[MeasureIndex("petitions")] = petitions;
  v.facts.secretary_vacancy_months = static_cast<int>(vacancy);
  return v;
}

// Seven villages in two townships. Expected scores (by hand):
//   A 100, B 88, C 56, G 71.5 in township 1; D 94.5, E 18.67, F 80.5 in township 2.
RunInput County() {
  RunInput in;
  in.set = CountySet();
  in.year = 2025;
  VillageInput a = Village(130624100201, 0, 40, 1.0, 0);
  a.previous_score = 85;
  a.previous_stars = 4;
  VillageInput b = Village(130624100202, 0, 30, 0.9, 2);
  b.facts.term_expiry = "2025-01-15";
  b.previous_score = 90;
  b.previous_stars = 4;
  VillageInput c = Village(130624100203, 6, 20, 0.8, 4);
  c.facts.years_without_target = 2;
  c.previous_score = 70;
  c.previous_stars = 3;
  VillageInput d = Village(130624101201, 0, 36, 0.95, 1);
  d.previous_score = 95;
  d.previous_stars = 5;
  VillageInput e = Village(130624101202, 10, 10, 0.55, 12);
  e.facts.secretary_vacant_since = "2025-02-01";
  VillageInput f = Village(130624101203, 0, 28, 0.8, 3);
  f.facts.quarters_without_affairs_disclosure = {"2025Q2"};
  f.facts.serious_findings = {"2025-06-03 财务管理: 集体资金未入账"};
  VillageInput g = Village(130624100204, 0, 24, 0.7, 5);
  in.villages = {a, b, c, d, e, f, g};
  return in;
}

enum { A, B, C, D, E, F, G };

std::vector<std::string> Rules(const std::vector<RuleHit>& hits) {
  std::vector<std::string> out;
  for (const RuleHit& h : hits) out.push_back(h.rule);
  return out;
}

std::string Evidence(const std::vector<RuleHit>& hits, const std::string& rule) {
  for (const RuleHit& h : hits) {
    if (h.rule == rule) return h.evidence;
  }
  return "";
}

TEST(Pipeline, HandCheckedCounty) {
  auto r = RunAssessment(County());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RunOutput& out = *r;
  const auto& v = out.villages;

  EXPECT_EQ(out.indicator_keys,
            (std::vector<std::string>{"vacancy", "meetings", "satisfaction", "petitions"}));
  const double weights[] = {0.4, 0.2, 0.3, 0.1};
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(out.weights[j], weights[j], 1e-12);
  EXPECT_NEAR(out.dimension_weights[3], 0.3, 1e-12);
  EXPECT_EQ(out.dimension_weights[2], 0);

  const double scores[] = {100, 88, 56, 94.5, 40.0 / 6 + 5 + 3 + 4, 80.5, 71.5};
  const int band[] = {5, 4, 1, 5, 1, 4, 3};
  const int stars[] = {5, 3, 1, 5, 1, 1, 3};
  const char* classes[] = {"model",    "ordinary", "weak_lax", "model",
                           "weak_lax", "weak_lax", "ordinary"};
  for (int i = 0; i < 7; ++i) {
    SCOPED_TRACE(i);
    EXPECT_NEAR(v[i].score, scores[i], 1e-9);
    EXPECT_EQ(v[i].band_stars, band[i]);
    EXPECT_EQ(v[i].stars, stars[i]);
    EXPECT_EQ(v[i].rating_class, classes[i]);
    // Contributions add up to the score exactly, and to the dimension scores.
    double sum = 0;
    for (const IndicatorLine& l : v[i].lines) sum += l.contribution;
    EXPECT_EQ(sum, v[i].score);
    EXPECT_NEAR(v[i].dimension_scores[0] + v[i].dimension_scores[1] + v[i].dimension_scores[3] +
                    v[i].dimension_scores[4],
                v[i].score, 1e-9);
    EXPECT_EQ(v[i].dimension_scores[2], 0);
  }
  EXPECT_NEAR(v[A].dimension_scores[0], 40, 1e-9);
  EXPECT_NEAR(v[C].lines[0].normalised, 0.5, 1e-12);
  EXPECT_NEAR(v[C].lines[0].contribution, 20, 1e-9);
  EXPECT_EQ(out.cuts, (std::vector<double>{60, 70, 80, 90}));
  EXPECT_EQ(out.star_counts, (std::vector<int64_t>{0, 3, 0, 2, 0, 2}));
  EXPECT_EQ(out.model_count, 2);
  EXPECT_EQ(out.weak_lax_count, 3);

  // Weak-and-lax rules, each with its evidence.
  EXPECT_EQ(Rules(v[E].weak_lax),
            (std::vector<std::string>{"secretary_vacant", "last_in_county", "low_satisfaction",
                                      "concentrated_petitions", "low_stars"}));
  EXPECT_EQ(Evidence(v[E].weak_lax, "secretary_vacant"),
            "书记岗位自2025-02-01起空缺10个月，超过3个月");
  EXPECT_EQ(Evidence(v[E].weak_lax, "last_in_county"), "得分18.7，全县最低");
  EXPECT_EQ(Evidence(v[E].weak_lax, "low_satisfaction"), "群众满意度55.0%，低于60%");
  EXPECT_EQ(Evidence(v[E].weak_lax, "concentrated_petitions"), "全年信访12件，达到10件");
  EXPECT_EQ(Evidence(v[E].weak_lax, "low_stars"), "评定1星，不高于1星");
  EXPECT_EQ(Evidence(v[F].weak_lax, "low_stars"),
            "评定1星，不高于1星（一票否决：serious_finding、weak_lax）");
  EXPECT_EQ(Rules(v[C].weak_lax),
            (std::vector<std::string>{"secretary_vacant", "no_development_target", "low_stars"}));
  EXPECT_EQ(Evidence(v[C].weak_lax, "secretary_vacant"), "书记岗位空缺6个月，超过3个月");
  EXPECT_EQ(Evidence(v[C].weak_lax, "no_development_target"), "2024、2025年述职均未提出发展目标");
  EXPECT_EQ(Evidence(v[F].weak_lax, "not_disclosed"), "2025Q2未公开村务");
  EXPECT_TRUE(v[A].weak_lax.empty());
  EXPECT_TRUE(v[G].weak_lax.empty());

  // Vetoes: F is capped by the serious finding and by its weak-and-lax trigger; B by its term.
  EXPECT_EQ(Rules(v[F].vetoes), (std::vector<std::string>{"serious_finding", "weak_lax"}));
  EXPECT_EQ(Evidence(v[F].vetoes, "serious_finding"),
            "抽查发现严重问题1项：2025-06-03 财务管理: 集体资金未入账");
  EXPECT_EQ(Evidence(v[F].vetoes, "weak_lax"), "软弱涣散：2025Q2未公开村务");
  EXPECT_EQ(v[F].capped_by, (std::vector<std::string>{"serious_finding", "weak_lax"}));
  EXPECT_EQ(Rules(v[B].vetoes), (std::vector<std::string>{"term_overdue"}));
  EXPECT_EQ(Evidence(v[B].vetoes, "term_overdue"), "班子任期2025-01-15届满，逾期未换届");
  EXPECT_EQ(v[B].capped_by, (std::vector<std::string>{"term_overdue"}));
  // E's weak-and-lax veto fires but does not lower a 1-star band.
  EXPECT_EQ(Rules(v[E].vetoes), (std::vector<std::string>{"weak_lax"}));
  EXPECT_TRUE(v[E].capped_by.empty());

  // Warnings: B lost a star, C 14 points; A improved, D lost half a point.
  EXPECT_TRUE(v[B].warning);
  EXPECT_EQ(v[B].stars_lost, 1);
  EXPECT_NEAR(v[B].points_lost, 2, 1e-9);
  EXPECT_TRUE(v[C].warning);
  EXPECT_NEAR(v[C].points_lost, 14, 1e-9);
  EXPECT_FALSE(v[A].warning);
  EXPECT_FALSE(v[D].warning);
  EXPECT_FALSE(v[E].warning);  // no previous period
  EXPECT_EQ(out.warning_count, 2);

  // Standings: A D B F G C E county-wide; township 1 is A B G C.
  const int county_rank[] = {1, 3, 6, 2, 7, 4, 5};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(v[i].county_rank, county_rank[i]) << i;
  EXPECT_DOUBLE_EQ(v[B].county_percentile, 100.0 * 4 / 6);
  EXPECT_EQ(v[E].county_percentile, 0);
  EXPECT_EQ(v[B].township_rank, 2);
  EXPECT_DOUBLE_EQ(v[B].township_percentile, 100.0 * 2 / 3);
  EXPECT_EQ(v[D].township_rank, 1);
  // The same as Standings() in explain.h.
  std::vector<double> all_scores;
  for (const VillageResult& x : v) all_scores.push_back(x.score);
  const std::vector<Standing> reference = Standings(all_scores);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(v[i].county_rank, reference[i].rank);
    EXPECT_EQ(v[i].county_percentile, reference[i].percentile);
  }

  // Gaps of E against township 2's medians (vacancy 1, meetings 0.7, satisfaction 0.6).
  ASSERT_EQ(v[E].gaps.size(), 3u);
  EXPECT_EQ(v[E].gaps[0].indicator, "vacancy");
  EXPECT_NEAR(v[E].gaps[0].points, -40.0 * 5 / 6, 1e-9);
  EXPECT_EQ(v[E].gaps[1].indicator, "satisfaction");
  EXPECT_NEAR(v[E].gaps[1].points, -15, 1e-9);
  EXPECT_EQ(v[E].gaps[2].indicator, "meetings");
  EXPECT_NEAR(v[E].lines[1].township_median, 0.7, 1e-12);

  // Lifts: G needs 8.5 points for 4 stars, which only satisfaction can give alone.
  ASSERT_TRUE(v[G].next_star_cut.has_value());
  EXPECT_EQ(*v[G].next_star_cut, 80);
  EXPECT_NEAR(v[G].points_to_next_star, 8.5, 1e-9);
  ASSERT_EQ(v[G].lifts.size(), 1u);
  EXPECT_EQ(v[G].lifts[0].indicator, "satisfaction");
  EXPECT_NEAR(v[G].lifts[0].value_from, 0.7, 1e-12);
  EXPECT_NEAR(v[G].lifts[0].value_to, 0.5 + 0.5 * (0.4 + 8.5 / 30), 1e-9);
  // C needs 4 points: vacancy 6 -> 4.8 months, satisfaction 0.8 -> 0.8667, meetings 20 -> 28.
  ASSERT_EQ(v[C].lifts.size(), 3u);
  EXPECT_EQ(v[C].lifts[0].indicator, "vacancy");
  EXPECT_NEAR(v[C].lifts[0].value_to, 4.8, 1e-9);
  EXPECT_EQ(v[C].lifts[1].indicator, "satisfaction");
  EXPECT_EQ(v[C].lifts[2].indicator, "meetings");
  EXPECT_NEAR(v[C].lifts[2].value_to, 28, 1e-9);
  EXPECT_FALSE(v[A].next_star_cut.has_value());
  EXPECT_TRUE(v[A].lifts.empty());

  // Both ends: the county, then township 1 and township 2.
  ASSERT_EQ(out.both_ends.size(), 3u);
  const GroupEnds& county = out.both_ends[0];
  EXPECT_EQ(county.code, 0);
  EXPECT_EQ(county.top, (std::vector<int64_t>{v[A].code, v[D].code}));
  EXPECT_EQ(county.bottom, (std::vector<int64_t>{v[C].code, v[E].code, v[F].code}));
  ASSERT_EQ(county.middle.size(), 2u);
  EXPECT_EQ(county.middle[0].code, v[B].code);  // held down by a veto: distance 0
  EXPECT_EQ(county.middle[0].points_to_next_star, 0);
  EXPECT_EQ(county.middle[1].code, v[G].code);
  EXPECT_NEAR(county.middle[1].points_to_next_star, 8.5, 1e-9);
  EXPECT_EQ(out.both_ends[1].code, kT1);
  EXPECT_EQ(out.both_ends[1].name, "城南镇");
  EXPECT_EQ(out.both_ends[1].top, (std::vector<int64_t>{v[A].code}));
  EXPECT_EQ(out.both_ends[2].code, kT2);
  EXPECT_EQ(out.both_ends[2].bottom, (std::vector<int64_t>{v[E].code, v[F].code}));
  EXPECT_TRUE(out.both_ends[2].middle.empty());

  // Sensitivity: A scores 100 under any weights; probabilities are shares of 200 draws.
  EXPECT_EQ(v[A].change_probability, 0);
  for (const VillageResult& x : v) {
    EXPECT_GE(x.change_probability, 0);
    EXPECT_LE(x.change_probability, 1);
  }
  EXPECT_GT(out.stable_share, 0);
  EXPECT_LE(out.stable_share, 1);
  EXPECT_EQ(out.input_hash.size(), 16u);
  EXPECT_EQ(out.output_hash.size(), 16u);
}

TEST(Pipeline, ReproducibleHashes) {
  const RunInput in = County();
  auto first = RunAssessment(in);
  auto second = RunAssessment(in);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->input_hash, second->input_hash);
  EXPECT_EQ(first->output_hash, second->output_hash);
  for (size_t i = 0; i < in.villages.size(); ++i) {
    EXPECT_EQ(first->villages[i].score, second->villages[i].score);
    EXPECT_EQ(first->villages[i].change_probability, second->villages[i].change_probability);
  }

  RunInput changed = in;
  changed.villages[6].measures[MeasureIndex("meetings_held")] = 25;
  auto third = RunAssessment(changed);
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->input_hash, first->input_hash);
  EXPECT_NE(third->output_hash, first->output_hash);

  // A label changes no result, so neither hash.
  RunInput relabelled = in;
  relabelled.set.indicators[0].label_zh = "书记空缺";
  relabelled.set.name_zh = "另一个名字";
  auto fourth = RunAssessment(relabelled);
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->input_hash, first->input_hash);
  EXPECT_EQ(fourth->output_hash, first->output_hash);

  // A fact changes the input hash.
  RunInput fact = in;
  fact.villages[0].facts.term_expiry = "2025-03-01";
  EXPECT_NE(RunAssessment(fact)->input_hash, first->input_hash);
}

TEST(Pipeline, WeightedSumEqualsScoreOnCompleteData) {
  RunInput in = County();
  in.set.indicators[1].normalisation = "minmax_data";
  in.set.indicators[3].normalisation = "zscore";
  in.sensitivity = false;
  auto r = RunAssessment(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Problem p;
  for (size_t j = 0; j < 4; ++j) {
    const IndicatorDef& d = in.set.indicators[j];
    Indicator ind;
    ind.key = d.key;
    ind.direction = d.direction == "cost" ? Direction::kCost : Direction::kBenefit;
    ind.normalisation = j == 1   ? Normalisation::kMinMaxData
                        : j == 3 ? Normalisation::kZScore
                                 : Normalisation::kMinMaxFixed;
    ind.lower = d.lower;
    ind.upper = d.upper;
    ind.weight = r->weights[j];
    p.indicators.push_back(ind);
  }
  for (const VillageInput& v : in.villages) {
    p.alternatives.push_back(std::to_string(v.code));
    for (const IndicatorDef& d : in.set.indicators) {
      p.values.push_back(v.measures[MeasureIndex(d.measure)]);
    }
  }
  auto reference = Score(p, {});
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  for (size_t i = 0; i < in.villages.size(); ++i) {
    EXPECT_EQ(r->villages[i].score, reference->scores[i]) << i;  // bit for bit
  }
}

TEST(Pipeline, MissingValuesTakeTheWorstEndOrTheDefault) {
  RunInput in = County();
  in.sensitivity = false;
  in.set.indicators[1].normalisation = "minmax_data";             // meetings: 40 30 20 36 10 28 24
  in.villages[0].measures[MeasureIndex("meetings_held")] = kNaN;  // A: no default
  in.villages[4].measures[MeasureIndex("satisfaction_rate")] = kNaN;  // E: default below
  in.set.indicators[2].missing_value = 0.75;
  auto r = RunAssessment(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& a = r->villages[A].lines[1];
  EXPECT_TRUE(a.missing);
  EXPECT_TRUE(std::isnan(a.value));
  EXPECT_EQ(a.normalised, 0);
  // The statistics leave A's missing value out: max 36 (D), min 10 (E).
  EXPECT_EQ(r->villages[D].lines[1].normalised, 1);
  EXPECT_DOUBLE_EQ(r->villages[B].lines[1].normalised, 20.0 / 26);
  const auto& e = r->villages[E].lines[2];
  EXPECT_TRUE(e.missing);
  EXPECT_EQ(e.value, 0.75);
  EXPECT_DOUBLE_EQ(e.normalised, 0.5);
  // No satisfaction measured, so the low-satisfaction rule cannot fire.
  EXPECT_EQ(Evidence(r->villages[E].weak_lax, "low_satisfaction"), "");
  // A's lifts start from the worst end of the meetings scale (the data's minimum).
  EXPECT_EQ(r->villages[A].band_stars, 4);
  bool meetings_lift = false;
  for (const Lift& l : r->villages[A].lifts) {
    if (l.indicator == "meetings") {
      meetings_lift = true;
      EXPECT_EQ(l.value_from, 10);
    }
  }
  EXPECT_TRUE(meetings_lift);
}

// A 3x3 dimension-level matrix cannot be used: AHP needs the five dimensions. Builds an AHP
// set over the county's four indicators (one per dimension, morale empty).
IndicatorSet AhpSet(double inconsistent = 0) {
  IndicatorSet s = CountySet();
  s.weighting.method = "ahp";
  // Consistent: team 4, capability 2, morale 1, public 3... built from priorities p_i / p_j.
  const double p[] = {4, 2, 1, 3, 1};
  std::vector<double> a(25);
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) a[i * 5 + j] = p[i] / p[j];
  }
  if (inconsistent > 0) {
    a[0 * 5 + 4] = 1 / inconsistent;  // conflicts far more important than team operation...
    a[4 * 5 + 0] = inconsistent;
  }
  s.weighting.ahp = {{"dimensions",
                      {"team_operation", "capability", "morale", "public_response", "conflicts"},
                      a}};
  return s;
}

TEST(Pipeline, AhpWeightsAndRejection) {
  RunInput in = County();
  in.set = AhpSet();
  in.sensitivity = false;
  auto r = RunAssessment(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->ahp.size(), 1u);
  EXPECT_EQ(r->ahp[0].name, "dimensions");
  EXPECT_NEAR(r->ahp[0].cr, 0, 1e-9);
  // Priorities 4 2 1 3 1 of 11; morale (1/11) has no indicator and drops out: 4 2 3 1 of 10.
  EXPECT_NEAR(r->weights[0], 0.4, 1e-9);
  EXPECT_NEAR(r->weights[1], 0.2, 1e-9);
  EXPECT_NEAR(r->weights[2], 0.3, 1e-9);
  EXPECT_NEAR(r->weights[3], 0.1, 1e-9);
  EXPECT_NEAR(r->villages[G].score, 71.5, 1e-6);

  // A within-dimension matrix: two conflicts indicators, the second twice as important.
  RunInput two = in;
  IndicatorDef second = Ind("findings", "spot_check_findings", "conflicts", "cost", 0, 30);
  two.set.indicators.push_back(second);
  for (VillageInput& v : two.villages) v.measures[MeasureIndex("spot_check_findings")] = 3;
  two.set.weighting.ahp.push_back({"conflicts", {"findings", "petitions"}, {1, 2, 0.5, 1}});
  auto r2 = RunAssessment(two);
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  ASSERT_EQ(r2->ahp.size(), 2u);
  EXPECT_EQ(r2->ahp[1].name, "conflicts");
  EXPECT_NEAR(r2->weights[3], 0.1 / 3, 1e-9);  // petitions
  EXPECT_NEAR(r2->weights[4], 0.2 / 3, 1e-9);  // findings

  // CR >= 0.10: rejected, naming the matrix and its CR.
  in.set = AhpSet(9);
  auto bad = RunAssessment(in);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(bad.status().message().find("matrix dimensions"), std::string::npos);
  EXPECT_NE(bad.status().message().find("CR = "), std::string::npos);

  // The editor's check reports the same CR without rejecting.
  auto check = CheckAhpMatrix(in.set.weighting.ahp[0]);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->acceptable);
  EXPECT_GE(check->result.cr, 0.10);
  auto good = CheckAhpMatrix(AhpSet().weighting.ahp[0]);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->acceptable);
  auto malformed = CheckAhpMatrix({"x", {"a", "b"}, {1, 2, 3, 1}});
  EXPECT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
}

TEST(Pipeline, TopsisWithFixedIdealsIsComparableAcrossRuns) {
  RunInput in = County();
  in.sensitivity = false;
  in.set.scoring.method = "topsis";
  in.set.scoring.fixed_ideals = true;
  auto r = RunAssessment(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->villages[A].score, 100);  // at the ideal
  for (const VillageResult& v : r->villages) {
    EXPECT_TRUE(v.lifts.empty());
    EXPECT_EQ(v.lines[0].contribution, 0);
    double dims = 0;
    for (double d : v.dimension_scores) dims += d;
    // Dimension scores are 100 x sum(w x s): the weighted-sum reading of the same values.
    double weighted = 0;
    for (size_t j = 0; j < v.lines.size(); ++j)
      weighted += 100 * r->weights[j] * v.lines[j].normalised;
    EXPECT_NEAR(dims, weighted, 1e-9);
  }
  // Dropping the best and the worst village changes nobody else's score.
  RunInput fewer = in;
  fewer.villages = {in.villages[B], in.villages[C], in.villages[G]};
  auto r2 = RunAssessment(fewer);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->villages[0].score, r->villages[B].score);
  EXPECT_EQ(r2->villages[2].score, r->villages[G].score);
  // With this run's ideals instead, it does change.
  in.set.scoring.fixed_ideals = false;
  fewer.set.scoring.fixed_ideals = false;
  EXPECT_NE(RunAssessment(fewer)->villages[0].score, RunAssessment(in)->villages[B].score);
}

TEST(Pipeline, EntropyAndBlendWeights) {
  RunInput in = County();
  in.sensitivity = false;
  in.set.weighting.method = "entropy";
  auto entropy = RunAssessment(in);
  ASSERT_TRUE(entropy.ok()) << entropy.status().ToString();
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(entropy->weights[j], entropy->entropy_weights[j], 1e-15);

  in.set.weighting.method = "blend";
  in.set.weighting.subjective = "manual";
  in.set.weighting.alpha = 0.7;
  auto blend = RunAssessment(in);
  ASSERT_TRUE(blend.ok()) << blend.status().ToString();
  EXPECT_EQ(blend->entropy_weights, entropy->entropy_weights);
  const double manual[] = {0.4, 0.2, 0.3, 0.1};
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(blend->weights[j], 0.7 * manual[j] + 0.3 * entropy->weights[j], 1e-12);
  }
  in.set.weighting.blend_rule = "multiplicative";
  auto product = RunAssessment(in);
  ASSERT_TRUE(product.ok());
  double norm = 0;
  for (int j = 0; j < 4; ++j) norm += manual[j] * entropy->weights[j];
  EXPECT_NEAR(product->weights[0], manual[0] * entropy->weights[0] / norm, 1e-12);
}

TEST(Pipeline, QuotaBandsAndTiesAtTheBottom) {
  RunInput in = County();
  in.sensitivity = false;
  in.set.bands.method = "quotas";
  in.set.bands.top_shares = {0.3, 0.3};  // 2 villages get 3 stars, 2 more get 2 stars
  in.set.classes.model_min_stars = 3;
  in.set.vetoes.clear();
  in.set.weak_lax.weak_lax_max_stars = 0;
  in.villages[G] = Village(130624100204, 10, 10, 0.55, 12);  // ties E at the bottom
  in.villages[G].facts.secretary_vacancy_months = 0;
  auto r = RunAssessment(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->villages[A].stars, 3);
  EXPECT_EQ(r->villages[D].stars, 3);
  EXPECT_EQ(r->villages[B].stars, 2);
  EXPECT_EQ(r->villages[F].stars, 2);
  EXPECT_EQ(r->villages[C].stars, 1);
  EXPECT_EQ(Evidence(r->villages[E].weak_lax, "last_in_county"), "得分18.7，与另1个村并列全县最低");
  EXPECT_EQ(Evidence(r->villages[G].weak_lax, "last_in_county"), "得分18.7，与另1个村并列全县最低");
  EXPECT_EQ(Evidence(r->villages[C].weak_lax, "last_in_county"), "");

  // All tied: nobody is last.
  RunInput same = in;
  for (VillageInput& v : same.villages) v = Village(v.code, 0, 20, 0.8, 0);
  auto flat = RunAssessment(same);
  ASSERT_TRUE(flat.ok());
  for (const VillageResult& v : flat->villages)
    EXPECT_EQ(Evidence(v.weak_lax, "last_in_county"), "");
}

TEST(Pipeline, BadInputIsNamed) {
  RunInput in = County();
  in.year = 1999;
  in.villages[1].measures.pop_back();
  in.villages[2].code = 130624100000;  // a township
  in.villages[3].measures[0] = std::numeric_limits<double>::infinity();
  in.villages[4].facts.quarters_without_finance_disclosure = {"2025Q5"};
  in.villages[5].code = in.villages[0].code;
  auto r = RunAssessment(in);
  ASSERT_FALSE(r.ok());
  std::vector<std::string> fields;
  for (const auto& e : r.status().field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"year", "villages[1].measures", "villages[2].code",
                                              "villages[3].measures[0]",
                                              "villages[4].facts.quarters_without_finance_"
                                              "disclosure[0]",
                                              "villages[5].code", "villages[5].township_code"}));
  // A bad set is reported with the set's own paths.
  RunInput bad_set = County();
  bad_set.set.indicators[0].measure = "nope";
  auto s = RunAssessment(bad_set);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().field_errors()[0].field, "indicators[0].measure");
}

TEST(Pipeline, MeasureCatalogueIndex) {
  EXPECT_EQ(MeasureCount(), std::size(domain::kMeasures));
  EXPECT_EQ(MeasureIndex("two_committee_avg_age"), 0);
  EXPECT_EQ(domain::kMeasures[MeasureIndex("petitions")].key, "petitions");
  EXPECT_EQ(MeasureIndex("nope"), -1);
}

}  // namespace
}  // namespace qiangji::engines::assess

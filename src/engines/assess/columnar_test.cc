#include "engines/assess/columnar.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "engines/assess/weights.h"
#include "engines/rng.h"

namespace qiangji::engines::assess {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Uniform(Rng& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }

// A random row-major problem over every normalisation and direction; `fixed_only` keeps to the
// data-independent ones (for TOPSIS with fixed ideals).
Problem RandomProblem(uint64_t seed, size_t m, size_t k, bool fixed_only = false) {
  Rng rng(seed);
  Problem p;
  double weight_sum = 0;
  for (size_t j = 0; j < k; ++j) {
    Indicator ind;
    ind.key = "i" + std::to_string(j);
    ind.direction = j % 3 == 1 ? Direction::kCost : Direction::kBenefit;
    const int kind = fixed_only ? static_cast<int>(j % 2) * 2 : static_cast<int>(j % 4);
    ind.normalisation = static_cast<Normalisation>(kind);  // fixed, data, target, zscore
    ind.lower = 10;
    ind.upper = 90;
    ind.target = ind.direction == Direction::kBenefit ? 70 : 30;
    ind.weight = 0.5 + Uniform(rng);
    weight_sum += ind.weight;
    p.indicators.push_back(ind);
  }
  for (Indicator& ind : p.indicators) ind.weight /= weight_sum;
  for (size_t i = 0; i < m; ++i) p.alternatives.push_back("v" + std::to_string(i));
  p.values.resize(m * k);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < k; ++j) {
      // Some columns with negatives and repeated values, one constant column.
      double v = 100 * Uniform(rng);
      if (j == 5) v = std::floor(v / 20) - 2;
      if (j == 6) v = 42;
      p.values[i * k + j] = v;
    }
  }
  return p;
}

ColumnarProblem Columns(const Problem& p, std::vector<double>& storage) {
  const size_t k = p.indicators.size(), m = p.alternatives.size();
  storage.resize(m * k);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < k; ++j) storage[j * m + i] = p.values[i * k + j];
  }
  ColumnarProblem c;
  c.indicators = p.indicators;
  c.alternatives = m;
  c.values = storage;
  return c;
}

std::vector<double> Weights(const Problem& p) {
  std::vector<double> w;
  for (const Indicator& ind : p.indicators) w.push_back(ind.weight);
  return w;
}

// Bit-for-bit equality, element by element (EXPECT_EQ on doubles compares exactly).
void ExpectSame(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  size_t differ = 0;
  for (size_t i = 0; i < a.size(); ++i) differ += a[i] != b[i];
  EXPECT_EQ(differ, 0u);
}

TEST(Columnar, NormalisationEqualsScoreBitForBit) {
  // 2,500 villages: more than two aggregation blocks, and not a multiple of one.
  const Problem p = RandomProblem(7, 2500, 12);
  std::vector<double> storage;
  const ColumnarProblem c = Columns(p, storage);
  ASSERT_TRUE(ValidateColumnar(c, {}).ok()) << ValidateColumnar(c, {}).ToString();
  for (int threads : {1, 2}) {
    const PreparedColumns prep = PrepareColumns(c, threads);
    EXPECT_EQ(prep.missing_cells, 0u);
    EXPECT_TRUE(prep.scored.empty());
    const std::vector<double> row_major = NormaliseValues(p);
    std::vector<double> ours(row_major.size());
    for (size_t i = 0; i < c.alternatives; ++i) {
      for (size_t j = 0; j < 12; ++j) ours[i * 12 + j] = prep.normalised[j * c.alternatives + i];
    }
    ExpectSame(ours, row_major);
  }
}

TEST(Columnar, ScoresEqualScoreForEveryMethod) {
  const Problem p = RandomProblem(11, 2500, 12);
  const Problem fixed = RandomProblem(13, 2100, 8, /*fixed_only=*/true);
  std::vector<ScoreOptions> all(4);
  all[1].method = Method::kTopsis;
  all[2].method = Method::kTopsis;
  all[2].topsis_normalisation = TopsisNormalisation::kVector;
  all[3].method = Method::kTopsis;
  all[3].fixed_ideals = true;
  for (size_t o = 0; o < all.size(); ++o) {
    const Problem& problem = o == 3 ? fixed : p;
    auto reference = Score(problem, all[o]);
    ASSERT_TRUE(reference.ok()) << reference.status().ToString();
    std::vector<double> storage;
    const ColumnarProblem c = Columns(problem, storage);
    for (int threads : {1, 2}) {
      const PreparedColumns prep = PrepareColumns(c, threads);
      SCOPED_TRACE(testing::Message() << "options " << o << ", threads " << threads);
      ExpectSame(ColumnScores(c, prep, all[o], Weights(problem), threads), reference->scores);
    }
  }
}

TEST(Columnar, EntropyAgreesWithEntropyWeights) {
  // Column 5 has negatives, column 6 is constant; 2,999 villages cover partial blocks and lanes.
  const Problem p = RandomProblem(17, 2999, 9);
  std::vector<double> storage;
  const ColumnarProblem c = Columns(p, storage);
  auto reference = EntropyWeights(2999, 9, p.values);
  ASSERT_TRUE(reference.ok());
  EXPECT_EQ((*reference)[6], 0);
  const std::vector<double> ours = ColumnEntropyWeights(2999, 9, c.values, 1);
  for (size_t j = 0; j < 9; ++j) EXPECT_NEAR(ours[j], (*reference)[j], 1e-12) << j;
  EXPECT_EQ(ours[6], 0);
  ExpectSame(ColumnEntropyWeights(2999, 9, c.values, 2), ours);
  // Tiny positive values (subnormal shares) take the library logarithm, still finite.
  std::vector<double> tiny = {0, 1e-310, 1, 2, 0, 5e-324, 3, 3};
  auto tiny_reference = EntropyWeights(4, 2, std::vector<double>{0, 0, 1e-310, 5e-324, 1, 3, 2, 3});
  const std::vector<double> tiny_ours = ColumnEntropyWeights(4, 2, tiny);
  for (size_t j = 0; j < 2; ++j) EXPECT_NEAR(tiny_ours[j], (*tiny_reference)[j], 1e-12);
  // Every column constant: equal weights, as EntropyWeights.
  const std::vector<double> flat(30, 3.0);
  auto equal = EntropyWeights(10, 3, flat);
  ExpectSame(ColumnEntropyWeights(10, 3, flat), *equal);
}

TEST(Columnar, MissingValuesAreLeftOutOfTheStatistics) {
  // One data-based benefit column, one z-score cost column, one fixed column with a default,
  // one data-based column with nothing present.
  std::vector<Indicator> inds(4);
  inds[0] = {"data", Direction::kBenefit, Normalisation::kMinMaxData, 0, 0, 0, 0};
  inds[1] = {"z", Direction::kCost, Normalisation::kZScore, 0, 0, 0, 0};
  inds[2] = {"fixed", Direction::kBenefit, Normalisation::kMinMaxFixed, 0, 10, 0, 0};
  inds[3] = {"empty", Direction::kBenefit, Normalisation::kMinMaxData, 0, 0, 0, 0};
  const std::vector<double> values = {
      2,    kNaN, 6,    4,     // data: present 2, 6, 4 -> min 2, max 6
      1,    3,    kNaN, kNaN,  // z: present 1, 3 -> mean 2, sd 1
      5,    kNaN, 10,   20,    // fixed 0..10, default 7.5 (normalised 0.75)
      kNaN, kNaN, kNaN, kNaN};
  ColumnarProblem c;
  c.indicators = inds;
  c.missing_values = {std::nullopt, 2.0, 7.5, 1.0};
  c.alternatives = 4;
  c.values = values;
  ASSERT_TRUE(ValidateColumnar(c, {}).ok());
  const PreparedColumns prep = PrepareColumns(c);
  EXPECT_EQ(prep.missing_cells, 1u + 2u + 1u + 4u);
  EXPECT_EQ(prep.stats[0].present, 3u);
  EXPECT_EQ(prep.stats[0].lo, 2);
  EXPECT_EQ(prep.stats[0].hi, 6);
  EXPECT_EQ(prep.stats[1].mean, 2);
  EXPECT_EQ(prep.stats[1].sd, 1);
  const auto& s = prep.normalised;
  EXPECT_EQ(s[0], 0);
  EXPECT_EQ(s[1], 0);  // missing, no default: the worst end
  EXPECT_EQ(s[2], 1);
  EXPECT_EQ(s[3], 0.5);
  EXPECT_DOUBLE_EQ(s[4], 0.5 + 1.0 / 6);  // cost: 1 is one sd below the mean
  EXPECT_DOUBLE_EQ(s[5], 0.5 - 1.0 / 6);
  EXPECT_EQ(s[6], 0.5);                                 // the default 2 is the mean
  EXPECT_EQ(s[9], 0.75);                                // the default 7.5
  EXPECT_EQ(s[11], 1);                                  // 20 is clamped
  for (size_t i = 12; i < 16; ++i) EXPECT_EQ(s[i], 0);  // no scale at all
  // As scored (entropy, vector TOPSIS): defaults, or the worst present value.
  const auto scored = prep.Scored(c);
  EXPECT_EQ(scored[1], 2);  // benefit: the minimum present value
  EXPECT_EQ(scored[6], 2);  // the default
  EXPECT_EQ(scored[9], 7.5);
  EXPECT_EQ(scored[12], 1);  // the default, although nothing is present
}

TEST(Columnar, ValidationNamesFields) {
  std::vector<double> values = {1, 2, std::numeric_limits<double>::infinity(), 4};
  ColumnarProblem c;
  c.indicators = {{"a", Direction::kBenefit, Normalisation::kMinMaxFixed, 5, 5, 0, 0},
                  {"b", Direction::kBenefit, Normalisation::kMinMaxData, 0, 0, 0, 0}};
  c.alternatives = 2;
  c.values = values;
  Status s = ValidateColumnar(c, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "indicators[0].upper");
  c.indicators[0].upper = 6;
  s = ValidateColumnar(c, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "values[0][1]");
}

TEST(Columnar, FastBandsEqualBandStars) {
  Rng rng(5);
  std::vector<double> scores(3001);
  for (double& s : scores) s = std::floor(100 * Uniform(rng)) / 2;  // many ties
  StarBands quotas{BandMethod::kQuotas, {}, {0.1, 0.2, 0.4, 0.2}};
  StarBands thresholds{BandMethod::kThresholds, {10, 20, 30.5, 40}, {}};
  for (const StarBands& bands : {quotas, thresholds}) {
    auto cuts = BandCuts(scores, bands);
    auto fast_cuts = FastBandCuts(scores, bands);
    ASSERT_TRUE(cuts.ok() && fast_cuts.ok());
    ExpectSame(*fast_cuts, *cuts);
    EXPECT_EQ(*FastBandStars(scores, bands), *BandStars(scores, bands));
  }
  // Empty bands stay +infinity; three villages have no top 10%.
  StarBands top{BandMethod::kQuotas, {}, {0.1, 0.5}};
  const std::vector<double> three = {50, 60, 70};
  ExpectSame(*FastBandCuts(three, top), *BandCuts(three, top));
  EXPECT_TRUE(std::isinf((*FastBandCuts(three, top))[1]));
}

}  // namespace
}  // namespace qiangji::engines::assess

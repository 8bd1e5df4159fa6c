#include "engines/assess/weights.h"

#include <cmath>

#include <gtest/gtest.h>

namespace qiangji::engines::assess {
namespace {

TEST(SaatyRandomIndex, TableEdges) {
  EXPECT_EQ(SaatyRandomIndex(1), 0.0);
  EXPECT_EQ(SaatyRandomIndex(2), 0.0);
  EXPECT_EQ(SaatyRandomIndex(3), 0.58);
  EXPECT_EQ(SaatyRandomIndex(10), 1.49);
  EXPECT_EQ(SaatyRandomIndex(15), 1.59);
  EXPECT_EQ(SaatyRandomIndex(16), -1);
  EXPECT_EQ(SaatyRandomIndex(0), -1);
}

TEST(Ahp, ConsistentMatrixGivesExactRatios) {
  // Weights 4:2:1 written as ratios: the eigenvector is (4, 2, 1) / 7 and lambda_max = n.
  auto r = Ahp({"dims", 3, {1, 2, 4, 0.5, 1, 2, 0.25, 0.5, 1}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->weights[0], 4.0 / 7, 1e-12);
  EXPECT_NEAR(r->weights[1], 2.0 / 7, 1e-12);
  EXPECT_NEAR(r->weights[2], 1.0 / 7, 1e-12);
  EXPECT_NEAR(r->lambda_max, 3.0, 1e-12);
  EXPECT_NEAR(r->cr, 0.0, 1e-12);
}

TEST(Ahp, RoundedReciprocalsAreReportedAsPerfectlyConsistent) {
  // 1/3 typed as 0.333333: lambda_max lands a hair below n; CI and CR must not go negative.
  auto r = Ahp({"rounded", 3, {1, 3, 3, 0.333333, 1, 1, 0.333333, 1, 1}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(r->lambda_max, 3.0);
  EXPECT_EQ(r->ci, 0.0);
  EXPECT_EQ(r->cr, 0.0);
  EXPECT_NEAR(r->weights[0], 0.6, 1e-6);
}

TEST(Ahp, TextbookThreeByThree) {
  // The common textbook matrix [1 3 5; 1/3 1 3; 1/5 1/3 1]: w = (0.637, 0.258, 0.105),
  // lambda_max = 3.0385, CI = 0.0193, CR = 0.0193 / 0.58 = 0.0332.
  auto r = Ahp({"dims", 3, {1, 3, 5, 1.0 / 3, 1, 3, 1.0 / 5, 1.0 / 3, 1}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->weights[0], 0.63699, 1e-5);
  EXPECT_NEAR(r->weights[1], 0.25828, 1e-5);
  EXPECT_NEAR(r->weights[2], 0.10473, 1e-5);
  EXPECT_NEAR(r->lambda_max, 3.03851, 1e-5);
  EXPECT_NEAR(r->ci, 0.019256, 1e-6);
  EXPECT_NEAR(r->cr, 0.033199, 1e-6);
  EXPECT_EQ(r->ri, 0.58);
}

TEST(Ahp, FourByFourWithTwoEqualIndicators) {
  auto r = Ahp({"capability", 4, {1, 2, 4, 4, 0.5, 1, 2, 2, 0.25, 0.5, 1, 1, 0.25, 0.5, 1, 1}});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->weights[0], 0.5, 1e-12);
  EXPECT_NEAR(r->weights[3], 0.125, 1e-12);
  EXPECT_NEAR(r->lambda_max, 4.0, 1e-12);
}

TEST(Ahp, SmallMatricesAreConsistentByDefinition) {
  auto one = Ahp({"single", 1, {1}});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->weights[0], 1.0);
  EXPECT_EQ(one->cr, 0.0);
  auto two = Ahp({"pair", 2, {1, 3, 1.0 / 3, 1}});
  ASSERT_TRUE(two.ok());
  EXPECT_NEAR(two->weights[0], 0.75, 1e-12);
  EXPECT_NEAR(two->weights[1], 0.25, 1e-12);
  EXPECT_EQ(two->ci, 0.0);
  EXPECT_EQ(two->cr, 0.0);
}

TEST(Ahp, CyclicMatrixIsRejectedWithNameAndCr) {
  // 1 > 2 > 3 > 1, each by 9: lambda_max = 1 + 9 + 1/9 = 10.111, CR = 3.556 / 0.58 = 6.13.
  auto r = Ahp({"morale", 3, {1, 9, 1.0 / 9, 1.0 / 9, 1, 9, 9, 1.0 / 9, 1}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("morale"), std::string::npos);
  EXPECT_NE(r.status().message().find("CR = 6.1303"), std::string::npos) << r.status().message();
}

TEST(Ahp, RejectsMalformedMatrices) {
  auto not_reciprocal = Ahp({"dims", 3, {1, 3, 5, 0.5, 1, 3, 0.2, 1.0 / 3, 1}});
  ASSERT_FALSE(not_reciprocal.ok());
  EXPECT_EQ(not_reciprocal.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(not_reciprocal.status().field_errors().size(), 1u);
  EXPECT_EQ(not_reciprocal.status().field_errors()[0].field, "a[0][1]");

  auto negative = Ahp({"dims", 2, {1, -2, -0.5, 1}});
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  auto wrong_size = Ahp({"dims", 3, {1, 2, 0.5, 1}});
  EXPECT_EQ(wrong_size.status().field_errors()[0].field, "a");
  auto too_big = Ahp({"dims", 16, std::vector<double>(256, 1.0)});
  EXPECT_EQ(too_big.status().field_errors()[0].field, "n");
  // Rounded reciprocals as people type them are accepted.
  EXPECT_TRUE(Ahp({"dims", 2, {1, 3, 0.33, 1}}).ok());
}

TEST(EntropyWeights, HandComputedWithZerosAndAConstantColumn) {
  // Column 0 = (1, 2, 3): p = (1/6, 1/3, 1/2), e = 1.01140 / ln 3 = 0.92062, d = 0.07938.
  // Column 1 = (0, 0, 4): p = (0, 0, 1), 0 ln 0 = 0, e = 0, d = 1.
  // Column 2 is constant: e = 1, d = 0, weight 0.
  const double x[] = {1, 0, 5, 2, 0, 5, 3, 4, 5};
  auto w = EntropyWeights(3, 3, x);
  ASSERT_TRUE(w.ok());
  EXPECT_NEAR((*w)[0], 0.073542, 1e-6);
  EXPECT_NEAR((*w)[1], 0.926458, 1e-6);
  EXPECT_EQ((*w)[2], 0.0);
}

TEST(EntropyWeights, ConstantIndicatorNeverGetsTheLargestWeight) {
  // A nearly uniform column has entropy close to 1; the constant one must still rank below it.
  const double x[] = {7, 10, 7, 10.1, 7, 9.9, 7, 10};
  auto w = EntropyWeights(4, 2, x);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)[0], 0.0);
  EXPECT_EQ((*w)[1], 1.0);
}

TEST(EntropyWeights, NegativeValuesAreShiftedByTheMinimum) {
  // (-1, 0, 1) is treated as (0, 1, 2).
  const double shifted[] = {-1, 10, 0, 20, 1, 30};
  const double plain[] = {0, 10, 1, 20, 2, 30};
  auto a = EntropyWeights(3, 2, shifted);
  auto b = EntropyWeights(3, 2, plain);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NEAR((*a)[0], 0.841240, 1e-6);
}

TEST(EntropyWeights, AllConstantOrOneAlternativeGivesEqualWeights) {
  const double x[] = {3, 4, 5, 3, 4, 5};
  auto w = EntropyWeights(2, 3, x);
  ASSERT_TRUE(w.ok());
  for (double v : *w) EXPECT_EQ(v, 1.0 / 3);
  const double one_row[] = {1, 2};
  auto single = EntropyWeights(1, 2, one_row);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ((*single)[0], 0.5);
}

TEST(EntropyWeights, RejectsBadShapeAndNonFinite) {
  const double x[] = {1, 2, 3};
  EXPECT_EQ(EntropyWeights(2, 2, x).status().field_errors()[0].field, "values");
  const double nan[] = {1, std::nan("")};
  EXPECT_EQ(EntropyWeights(2, 1, nan).status().field_errors()[0].field, "values[1][0]");
}

TEST(ValidateWeights, SumAndSign) {
  const double good[] = {0.2, 0.3, 0.5};
  EXPECT_TRUE(ValidateWeights(good).ok());
  const double short_sum[] = {0.2, 0.3, 0.4};
  Status s = ValidateWeights(short_sum);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field_errors()[0].field, "weights");
  const double negative[] = {1.2, -0.2};
  EXPECT_EQ(ValidateWeights(negative).field_errors()[0].field, "weights[1]");
}

TEST(BlendWeights, AdditiveAndMultiplicative) {
  const double subj[] = {0.6, 0.3, 0.1};
  const double obj[] = {0.2, 0.2, 0.6};
  auto add = BlendWeights(subj, obj, 0.5);
  ASSERT_TRUE(add.ok());
  EXPECT_NEAR((*add)[0], 0.4, 1e-15);
  EXPECT_NEAR((*add)[1], 0.25, 1e-15);
  EXPECT_NEAR((*add)[2], 0.35, 1e-15);
  // Products 0.12, 0.06, 0.06 over 0.24.
  auto mul = BlendWeights(subj, obj, 0, BlendRule::kMultiplicative);
  ASSERT_TRUE(mul.ok());
  EXPECT_NEAR((*mul)[0], 0.5, 1e-15);
  EXPECT_NEAR((*mul)[1], 0.25, 1e-15);
  EXPECT_NEAR((*mul)[2], 0.25, 1e-15);
  // alpha = 1 is the subjective weights alone.
  auto subj_only = BlendWeights(subj, obj, 1);
  EXPECT_NEAR((*subj_only)[2], 0.1, 1e-15);

  EXPECT_FALSE(BlendWeights(subj, obj, 1.5).ok());
  const double two[] = {0.5, 0.5};
  EXPECT_FALSE(BlendWeights(subj, two, 0.5).ok());
  const double zero_a[] = {1, 0};
  const double zero_b[] = {0, 1};
  EXPECT_FALSE(BlendWeights(zero_a, zero_b, 0, BlendRule::kMultiplicative).ok());
}

}  // namespace
}  // namespace qiangji::engines::assess

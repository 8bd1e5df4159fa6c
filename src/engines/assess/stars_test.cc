#include "engines/assess/stars.h"

#include <gtest/gtest.h>

namespace qiangji::engines::assess {
namespace {

const StarBands kThresholds{BandMethod::kThresholds, {60, 70, 80, 90}, {}};
const StarBands kQuotas{BandMethod::kQuotas, {}, {0.10, 0.20, 0.40, 0.20}};

TEST(BandStars, ThresholdsIncludeTheirLowerEdge) {
  const double scores[] = {0, 59.99, 60, 79.999, 80, 90, 100};
  auto s = BandStars(scores, kThresholds);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<int>{1, 1, 2, 3, 4, 5, 5}));
  EXPECT_EQ(MaxStars(kThresholds), 5);
}

TEST(BandStars, QuotasOnDistinctScores) {
  // 10 villages: cumulative counts floor(1), floor(3), floor(7), floor(9) -> 1, 2, 4, 2, 1.
  const double scores[] = {91, 100, 92, 99, 93, 98, 94, 97, 95, 96};
  auto s = BandStars(scores, kQuotas);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<int>{1, 5, 2, 4, 2, 4, 3, 3, 3, 3}));
}

TEST(BandStars, TiesAtAQuotaCutAllTakeTheHigherBand) {
  // The top 10% of 10 is one village, but two share the best score: both get five stars. The
  // four-star band (cumulative 3) then holds only the third village.
  const double scores[] = {90, 90, 80, 70, 70, 70, 70, 70, 60, 50};
  auto s = BandStars(scores, kQuotas);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<int>{5, 5, 4, 3, 3, 3, 3, 3, 2, 1}));
  // All equal: everyone is tied with the first non-empty cut. Of 3 villages floor(0.3) and
  // floor(0.9) are 0, so five and four stars are empty and the three-star cut takes all.
  const double same[] = {50, 50, 50};
  EXPECT_EQ(*BandStars(same, kQuotas), (std::vector<int>{3, 3, 3}));
  const double ten_same[] = {50, 50, 50, 50, 50, 50, 50, 50, 50, 50};
  EXPECT_EQ(*BandStars(ten_same, kQuotas), std::vector<int>(10, 5));
}

TEST(BandCuts, QuotaCutsAreTheLastScoreInsideEachBand) {
  const double scores[] = {91, 100, 92, 99, 93, 98, 94, 97, 95, 96};
  auto cuts = BandCuts(scores, kQuotas);
  ASSERT_TRUE(cuts.ok());
  // 2 stars: 9th best (92); 3: 7th (94); 4: 3rd (98); 5: 1st (100).
  EXPECT_EQ(*cuts, (std::vector<double>{92, 94, 98, 100}));
}

TEST(BandStars, QuotaCountsSurviveFloatingPoint) {
  // 0.29 * 100 is 28.999999999999996 in binary floating point; 29 villages still get the band.
  std::vector<double> scores;
  for (int i = 0; i < 100; ++i) scores.push_back(i);
  auto s = BandStars(scores, {BandMethod::kQuotas, {}, {0.29}});
  ASSERT_TRUE(s.ok());
  int top = 0;
  for (int v : *s) top += v == 2;
  EXPECT_EQ(top, 29);
}

TEST(BandStars, RejectsBadBands) {
  const double scores[] = {1};
  EXPECT_FALSE(BandStars(scores, {BandMethod::kThresholds, {60, 60}, {}}).ok());
  EXPECT_FALSE(BandStars(scores, {BandMethod::kQuotas, {}, {0.6, 0.5}}).ok());
  EXPECT_FALSE(BandStars(scores, {BandMethod::kQuotas, {}, {-0.1}}).ok());
}

TEST(Rate, VetoCapsTheStarAndBarsModel) {
  const double scores[] = {95, 95, 95, 75};
  std::vector<VillageFlags> flags(4);
  flags[1].vetoes = {{"safety_incident", 2}};
  flags[2].vetoes = {{"minor_rule", 5}};  // fires but does not lower a five-star
  flags[3].weak_lax = {{"secretary_vacant", "secretary post vacant since 2025-01-10"}};
  auto r = Rate(scores, kThresholds, flags, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].stars, 5);
  EXPECT_EQ((*r)[0].rating_class, RatingClass::kModel);
  EXPECT_EQ((*r)[1].band_stars, 5);
  EXPECT_EQ((*r)[1].stars, 2);
  EXPECT_EQ((*r)[1].capped_by, (std::vector<std::string>{"safety_incident"}));
  EXPECT_EQ((*r)[1].rating_class, RatingClass::kOrdinary);
  EXPECT_EQ((*r)[2].stars, 5);
  EXPECT_TRUE((*r)[2].capped_by.empty());
  EXPECT_EQ((*r)[2].rating_class, RatingClass::kOrdinary);
  EXPECT_EQ((*r)[3].stars, 3);
  EXPECT_EQ((*r)[3].rating_class, RatingClass::kWeakLax);
  EXPECT_EQ(RatingClassKey((*r)[3].rating_class), "weak_lax");
}

TEST(Rate, LowStarCanMeanWeakLax) {
  const double scores[] = {50, 65};
  auto r = Rate(scores, kThresholds, {}, {5, 1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].rating_class, RatingClass::kWeakLax);
  EXPECT_EQ((*r)[1].rating_class, RatingClass::kOrdinary);
  std::vector<VillageFlags> wrong(1);
  EXPECT_FALSE(Rate(scores, kThresholds, wrong, {}).ok());
}

}  // namespace
}  // namespace qiangji::engines::assess

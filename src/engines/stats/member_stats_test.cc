#include "engines/stats/member_stats.h"

#include <gtest/gtest.h>

namespace qiangji::engines::stats {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

TEST(AgeBand, EdgesFallInTheUpperBand) {
  EXPECT_EQ(AgeBandOf(18), AgeBand::kUnder35);
  EXPECT_EQ(AgeBandOf(34), AgeBand::kUnder35);
  EXPECT_EQ(AgeBandOf(35), AgeBand::k35To44);
  EXPECT_EQ(AgeBandOf(44), AgeBand::k35To44);
  EXPECT_EQ(AgeBandOf(45), AgeBand::k45To54);
  EXPECT_EQ(AgeBandOf(55), AgeBand::k55To64);
  EXPECT_EQ(AgeBandOf(64), AgeBand::k55To64);
  EXPECT_EQ(AgeBandOf(65), AgeBand::k65AndOver);
  EXPECT_EQ(AgeBandOf(101), AgeBand::k65AndOver);
}

TEST(AgeBand, CountsUseAgeOnTheDayNotBirthYear) {
  const Date today = D(2026, 6, 15);
  const BirthDateCount people[] = {
      {D(1991, 6, 15), 2},  // 35 today: 35-44
      {D(1991, 6, 16), 3},  // 34 until tomorrow: <35
      {D(1961, 6, 16), 1},  // 64: 55-64
      {D(1961, 6, 15), 4},  // 65 today: 65+
      {D(1976, 1, 1), 5},   // 50: 45-54
  };
  auto bands = CountByAgeBand(people, today);
  EXPECT_EQ(bands[static_cast<int>(AgeBand::kUnder35)], 3);
  EXPECT_EQ(bands[static_cast<int>(AgeBand::k35To44)], 2);
  EXPECT_EQ(bands[static_cast<int>(AgeBand::k45To54)], 5);
  EXPECT_EQ(bands[static_cast<int>(AgeBand::k55To64)], 1);
  EXPECT_EQ(bands[static_cast<int>(AgeBand::k65AndOver)], 4);
}

TEST(AgeBand, KeysAndLabels) {
  EXPECT_EQ(AgeBandKey(AgeBand::kUnder35), "under_35");
  EXPECT_EQ(AgeBandLabel(AgeBand::k65AndOver), "65+");
  EXPECT_EQ(AgeBandLabel(AgeBand::k45To54), "45-54");
}

TEST(OrderByVocabulary, KeepsEveryWordInOrderAndLumpsTheRest) {
  constexpr std::string_view vocab[] = {"primary", "junior_secondary", "bachelor"};
  const KeyCount counts[] = {{"bachelor", 4}, {"", 2}, {"primary", 1}, {"phd", 3}};
  auto out = OrderByVocabulary(counts, vocab);
  EXPECT_EQ(out, (std::vector<KeyCount>{
                     {"primary", 1}, {"junior_secondary", 0}, {"bachelor", 4}, {"unknown", 5}}));
  const KeyCount only_known[] = {{"primary", 1}};
  EXPECT_EQ(OrderByVocabulary(only_known, vocab).size(), 3u) << "no 'unknown' when zero";
}

TEST(Terms, ExpiredExpiringAndCurrent) {
  const Date today = D(2026, 11, 29);
  EXPECT_EQ(TermStateOf(std::nullopt, today), TermState::kUnknown);
  EXPECT_EQ(TermStateOf(D(2026, 11, 28), today), TermState::kExpired);
  EXPECT_EQ(TermStateOf(today, today), TermState::kExpiringSoon);
  EXPECT_EQ(TermStateOf(today.AddDays(90), today), TermState::kExpiringSoon);
  EXPECT_EQ(TermStateOf(today.AddDays(91), today), TermState::kCurrent);
  const ExpiryCount expiries[] = {
      {D(2021, 1, 1), 3}, {today, 2}, {today.AddDays(30), 4}, {D(2031, 1, 1), 9}};
  TermCounts c = CountTerms(expiries, today);
  EXPECT_EQ(c.expired, 3);
  EXPECT_EQ(c.expiring, 6);
}

}  // namespace
}  // namespace qiangji::engines::stats

#include "engines/match/market.h"

#include <gtest/gtest.h>

#include <vector>

namespace qiangji::engines::match {
namespace {

TEST(TierListTest, ListWithoutTiesKeepsOneEntryPerTier) {
  TierList list;
  for (int x : {4, 2, 7}) list.push_back({x});
  ASSERT_EQ(list.size(), 3u);
  EXPECT_TRUE(list.one_per_tier());
  EXPECT_TRUE(list.untied());
  EXPECT_EQ(list.entries(), (std::vector<int>{4, 2, 7}));
  EXPECT_EQ(list[1], (std::vector<int>{2}));
  EXPECT_EQ(list, (std::vector<std::vector<int>>{{4}, {2}, {7}}));
}

TEST(TierListTest, TiesAndEmptyTiersKeepTheirPlaces) {
  TierList list;
  list.push_back({3});
  list.push_back({1, 5});
  list.emplace_back();  // an empty tier still counts: messages name tiers by index
  list.push_back({0});
  ASSERT_EQ(list.size(), 4u);
  EXPECT_FALSE(list.one_per_tier());
  EXPECT_FALSE(list.untied());
  EXPECT_EQ(list, (std::vector<std::vector<int>>{{3}, {1, 5}, {}, {0}}));
  EXPECT_EQ(list.entries(), (std::vector<int>{3, 1, 5, 0}));
  EXPECT_EQ(list.tier_begin(3), 3u);
  EXPECT_EQ(list.tier_end(3), 4u);
  std::vector<std::vector<int>> read;
  for (const auto& tier : list) read.push_back(tier);  // Indices converts to a vector
  EXPECT_EQ(read, (std::vector<std::vector<int>>{{3}, {1, 5}, {}, {0}}));
}

TEST(TierListTest, SameTiersCompareEqualWhicheverWayTheyWereBuilt) {
  TierList a;
  a.push_back({1});
  a.push_back({2});
  TierList b;
  b.emplace_back();
  b.AddToLastTier(1);
  b.emplace_back();
  b.AddToLastTier(2);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(b.untied());  // stored with tier ends, but no tier holds two
  EXPECT_EQ(a, (TierList{{1}, {2}}));
  EXPECT_FALSE(a == (TierList{{1, 2}}));
  TierList c;
  c.AddToLastTier(1);  // no tier yet: starts one
  c.AddToLastTier(2);
  EXPECT_EQ(c, (TierList{{1, 2}}));
}

TEST(MarketTest, ValidationNamesTheTierOfEachBadEntry) {
  Market m;
  m.person_prefs = {RankList{{{0}, {1, 0}}}, RankList{{{}, {9}}}};
  m.village_prefs = {RankList{{{0, 1}}}, RankList{{{-1}}}};
  m.capacity = {1, 1};
  const Status s = ValidateMarket(m);
  ASSERT_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& e : s.field_errors()) fields.push_back(e.field + ": " + e.message);
  EXPECT_EQ(fields, (std::vector<std::string>{"person_prefs[0].tiers[1]: ranks village 0 twice",
                                              "person_prefs[1].tiers[1]: names unknown village 9",
                                              "village_prefs[1].tiers[0]: names unknown person -1"}));
}

}  // namespace
}  // namespace qiangji::engines::match

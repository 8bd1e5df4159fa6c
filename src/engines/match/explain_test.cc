#include "engines/match/explain.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engines/match/test_markets.h"

namespace qiangji::engines::match {
namespace {

using testing::RandomMarket;
using testing::RandomSpec;
using testing::Strict;

TEST(ExplainTest, JoinsNamesTheWayASentenceDoes) {
  EXPECT_EQ(JoinNames({}), "");
  EXPECT_EQ(JoinNames({"A"}), "A");
  EXPECT_EQ(JoinNames({"A", "B"}), "A and B");
  EXPECT_EQ(JoinNames({"A", "B", "C"}), "A, B and C");
}

// Liu wants Dongcun, then Xicun, then Nancun; the first two fill with people they rank higher.
Market ThreeChoices() {
  Market m;
  m.person_names = {"Liu", "Chen", "Zhao"};
  m.village_names = {"Dongcun", "Xicun", "Nancun"};
  m.person_prefs = {Strict({0, 1, 2}), Strict({0}), Strict({1})};
  m.village_prefs = {Strict({1, 0}), Strict({2, 0}), Strict({0})};
  m.capacity = {1, 1, 2};
  return m;
}

TEST(ExplainTest, NamesTheHigherChoicesThatWereFilledByBetterRankedCandidates) {
  const Market m = ThreeChoices();
  auto r = DeferredAcceptance(m, {});
  ASSERT_TRUE(r.ok());
  const auto e = Explain(m, *r);
  EXPECT_EQ(e.people[0],
            "You were matched to Nancun, your choice #3. Your higher choices Dongcun and Xicun "
            "were filled by candidates ranked higher there.");
  EXPECT_EQ(e.people[1], "You were matched to Dongcun, your first choice.");
  EXPECT_EQ(e.villages[0], "You were matched with Chen (your choice #1).");
  EXPECT_EQ(e.villages[2], "You were matched with Liu (your choice #1). 1 seat stays empty.");
}

TEST(ExplainTest, UnmatchedPersonHearsAboutExclusionsAndUnreturnedLists) {
  Market m;
  m.person_names = {"Sun"};
  m.village_names = {"Dongcun", "Xicun"};
  m.person_prefs = {Strict({0, 1})};
  m.village_prefs = {Strict({0}), Strict({})};
  m.capacity = {1, 1};
  m.exclusions = {{0, 0, "home county"}};
  auto r = DeferredAcceptance(m, {});
  ASSERT_TRUE(r.ok());
  const auto e = Explain(m, *r);
  EXPECT_EQ(e.people[0],
            "You were not matched: no village you listed is an acceptable pair. Excluded by "
            "rule: Dongcun (home county). Xicun did not list you.");
  EXPECT_EQ(e.villages[1],
            "No seat was filled: no candidate is an acceptable pair. 1 seat stays empty.");
}

TEST(ExplainTest, VillageHearsWhichHigherChoicesWentElsewhere) {
  Market m;
  m.person_names = {"Liu", "Chen"};
  m.village_names = {"Dongcun", "Xicun"};
  m.person_prefs = {Strict({1, 0}), Strict({0})};
  m.village_prefs = {Strict({0, 1}), Strict({0})};
  m.capacity = {1, 1};
  auto r = DeferredAcceptance(m, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Explain(m, *r).villages[0],
            "You were matched with Chen (your choice #2). Your higher choice Liu took a village "
            "they ranked higher.");
}

TEST(ExplainTest, ATieLostInTheLotteryIsNamedAsSuch) {
  Market m;
  m.person_names = {"Liu", "Chen"};
  m.village_names = {"Dongcun", "Xicun"};
  m.person_prefs = {Strict({0, 1}), Strict({0, 1})};
  m.village_prefs = {RankList{{{0, 1}}}, Strict({0, 1})};
  m.capacity = {1, 1};
  auto r = DeferredAcceptance(m, {ProposingSide::kPeople, 3});
  ASSERT_TRUE(r.ok());
  const int loser = r->village_of[0] == 0 ? 1 : 0;
  EXPECT_EQ(Explain(m, *r).people[static_cast<size_t>(loser)],
            "You were matched to Xicun, your choice #2. Dongcun ranked you equal with a "
            "candidate it took, who came first in the lottery.");
}

TEST(ExplainTest, AVillageWithoutSeatsSaysSo) {
  Market m;
  m.person_prefs = {Strict({0})};
  m.village_prefs = {Strict({0})};
  m.capacity = {0};
  auto r = DeferredAcceptance(m, {});
  ASSERT_TRUE(r.ok());
  const auto e = Explain(m, *r);
  EXPECT_EQ(e.villages[0], "You offered no seats in this round.");
  EXPECT_EQ(e.people[0], "You were not matched. village 0 offered no seats.");
}

TEST(ExplainTest, AnUnstableMatchingIsNamedAsSuch) {
  const Market m = ThreeChoices();
  auto r = DeferredAcceptance(m, {});
  ASSERT_TRUE(r.ok());
  DeferredAcceptanceResult bad = *r;
  bad.village_of = {2, -1, 1};  // Dongcun left empty though Liu wanted it
  const auto e = Explain(m, bad);
  EXPECT_NE(e.people[0].find("Dongcun could still have taken you"), std::string::npos);
}

TEST(ExplainTest, StableResultsNeverNeedTheUnstableSentence) {
  RandomSpec spec{.people = 30,
                  .villages = 10,
                  .max_capacity = 3,
                  .list_permille = 400,
                  .tie_permille = 300,
                  .exclusion_permille = 50};
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    const Market m = RandomMarket(seed, spec);
    for (ProposingSide side : {ProposingSide::kPeople, ProposingSide::kVillages}) {
      auto r = DeferredAcceptance(m, {side, seed});
      ASSERT_TRUE(r.ok());
      const auto e = Explain(m, *r);
      ASSERT_EQ(e.people.size(), 30u);
      ASSERT_EQ(e.villages.size(), 10u);
      for (const auto& s : e.people) ASSERT_EQ(s.find("unstable"), std::string::npos) << s;
      for (const auto& s : e.villages) ASSERT_EQ(s.find("unstable"), std::string::npos) << s;
    }
  }
}

}  // namespace
}  // namespace qiangji::engines::match

#include "engines/demo/dispatch_synth.h"

#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace qiangji::engines::demo {
namespace {

CadrePoolOptions Options() {
  CadrePoolOptions o;
  o.seed = 2026;
  o.today = *Date::FromYmd(2026, 11, 29);
  o.county_code = 130624000000;
  o.county_name = "阜平县";
  o.city_name = "保定市";
  for (int t = 0; t < 13; ++t) o.inside_homes.push_back(130624100000 + t * 1000);
  for (int64_t c : {130602, 130606, 130607, 130608, 130609, 130681, 130683, 130684})
    o.outside_homes.push_back(c * 1'000'000);
  o.size = 72;
  return o;
}

std::string Dump(const std::vector<domain::Cadre>& pool) {
  std::string s;
  for (const auto& c : pool) {
    s += fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|", c.name, c.id_number, c.phone, c.sending_unit,
                     c.unit_kind, c.home_code, c.available, c.term_months, c.note);
    for (const auto& k : c.skills) s += k + ",";
    s += "\n";
  }
  return s;
}

TEST(CadrePool, EveryCadreIsValidAndTheIdNumbersAreDistinct) {
  const auto pool = SynthesizeCadrePool(Options());
  ASSERT_EQ(pool.size(), 72u);
  std::set<std::string> ids;
  for (const auto& c : pool) {
    EXPECT_TRUE(domain::ValidateCadre(c).ok())
        << c.name << " " << c.id_number << ": " << domain::ValidateCadre(c).ToString();
    EXPECT_EQ(c.county_code, 130624000000);
    EXPECT_TRUE(ids.insert(c.id_number).second) << c.id_number;
    EXPECT_EQ(c.id, 0);
  }
}

TEST(CadrePool, SameSeedSamePoolOtherSeedOtherPool) {
  EXPECT_EQ(Dump(SynthesizeCadrePool(Options())), Dump(SynthesizeCadrePool(Options())));
  CadrePoolOptions other = Options();
  other.seed = 7;
  EXPECT_NE(Dump(SynthesizeCadrePool(Options())), Dump(SynthesizeCadrePool(other)));
}

TEST(CadrePool, AboutAQuarterLiveInTheCountyAndTheirIdNumbersSayWhere) {
  const auto pool = SynthesizeCadrePool(Options());
  size_t inside = 0;
  for (const auto& c : pool) {
    const bool home_inside = c.home_code / 1'000'000 == 130624;
    inside += home_inside;
    // Natives were registered in the county, the others in their home county.
    EXPECT_EQ(c.id_number.substr(0, 6), fmt::format("{:06d}", c.home_code / 1'000'000));
    // County-agency cadres live in the county.
    if (c.sending_unit.rfind("阜平县", 0) == 0) {
      EXPECT_TRUE(home_inside) << c.sending_unit;
    }
  }
  EXPECT_GE(inside, pool.size() * 15 / 100);
  EXPECT_LE(inside, pool.size() * 35 / 100);
}

TEST(CadrePool, UnitsOfEveryKindWithFittingSkills) {
  const auto pool = SynthesizeCadrePool(Options());
  std::map<std::string, int> kinds;
  std::map<std::string, int> main_skills;
  int unavailable = 0;
  for (const auto& c : pool) {
    ++kinds[c.unit_kind];
    ++main_skills[c.skills.front()];
    unavailable += !c.available;
    if (c.sending_unit == "保定市财政局") {
      EXPECT_TRUE(c.skills.front() == "finance" || c.skills.front() == "party_building");
    }
    if (c.sending_unit == "保定市司法局") {
      EXPECT_EQ(c.skills.front(), "law_petitions");
    }
  }
  for (const char* kind : {"party_agency", "public_institution", "state_enterprise", "university",
                           "hospital", "financial"})
    EXPECT_GT(kinds[kind], 0) << kind;
  EXPECT_GT(kinds["party_agency"], static_cast<int>(pool.size()) / 3) << "agencies send most";
  EXPECT_GE(main_skills.size(), 6u) << "a spread of work types";
  EXPECT_LE(unavailable, static_cast<int>(pool.size()) / 8);
}

TEST(CadrePool, OutsideBaodingTheUnitsAreGeneric) {
  CadrePoolOptions o = Options();
  o.city_name = "石家庄市";
  o.county_name = "平山县";
  o.county_code = 130131000000;
  o.inside_homes = {130131100000};
  o.outside_homes.clear();
  for (const auto& c : SynthesizeCadrePool(o)) {
    EXPECT_EQ(c.sending_unit.find("保定"), std::string::npos) << c.sending_unit;
    EXPECT_EQ(c.sending_unit.find("河北农业大学"), std::string::npos);
    EXPECT_TRUE(domain::ValidateCadre(c).ok()) << domain::ValidateCadre(c).ToString();
    // Without known counties elsewhere, homes outside are the prefecture itself.
    if (c.home_code / 1'000'000 != 130131) {
      EXPECT_EQ(c.home_code, 130100000000);
    }
  }
}

TEST(CadrePool, SizeCoversTheNeedWithRoomToSpare) {
  EXPECT_EQ(CadrePoolSize(0), 60u);
  EXPECT_EQ(CadrePoolSize(30), 60u);
  EXPECT_GE(CadrePoolSize(60) * 71 / 100, 60u * 5 / 4);
}

}  // namespace
}  // namespace qiangji::engines::demo

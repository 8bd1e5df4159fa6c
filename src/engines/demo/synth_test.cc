#include "engines/demo/synth.h"

#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "domain/id_number.h"
#include "engines/rng.h"

namespace qiangji::engines::demo {
namespace {

using domain::Division;

// A small county shaped like 阜平: three townships, villagers' committees, two residents'
// committees and a virtual unit (code 598) that must get no records.
std::vector<Division> TestCounty() {
  std::vector<Division> d;
  d.push_back({130624000000, DivisionLevel::kCounty, "阜平县", 130600000000});
  const char* towns[] = {"阜平镇", "龙泉关镇", "平阳镇"};
  for (int t = 0; t < 3; ++t) {
    const int64_t town = 130624100000 + t * 1000;
    d.push_back({town, DivisionLevel::kTownship, towns[t], 130624000000});
    for (int v = 0; v < 25; ++v)
      d.push_back(
          {town + 200 + v, DivisionLevel::kVillage, fmt::format("东{}村村民委员会", v + 1), town});
  }
  d.push_back({130624101001, DivisionLevel::kVillage, "龙泉新区居民委员会", 130624101000});
  d.push_back({130624100001, DivisionLevel::kVillage, "阜平县社区服务中心", 130624100000});
  d.push_back({130624102598, DivisionLevel::kVillage, "虚拟生活区", 130624102000});
  return d;
}

SynthOptions Options(uint64_t seed, Date today) {
  SynthOptions o;
  o.seed = seed;
  o.today = today;
  o.native_place = "河北阜平";
  o.nearby_places = {"河北曲阳", "河北唐县", "山西五台"};
  return o;
}

Date Fixed() { return Date::FromYmd(2026, 11, 29).value(); }

std::string Fingerprint(const DemoCounty& c) {
  std::string s;
  for (const auto& p : c.people)
    s += fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}\n", p.name, domain::SexName(p.sex), p.ethnicity,
                     p.birth_date->ToString(), p.id_number, p.phone, p.native_place, p.education,
                     p.party_status);
  for (const auto& o : c.party_orgs)
    s += fmt::format("{}|{}|{}|{}|{}\n", o.org.name, o.org.member_count,
                     o.org.term_expiry->ToString(), o.secretary ? *o.secretary : 999999,
                     o.org.founded_on->ToString());
  for (const auto& p : c.posts)
    s += fmt::format("{}|{}|{}|{}\n", p.person, p.post.kind, p.post.start_date.ToString(),
                     p.post.end_date ? p.post.end_date->ToString() : "");
  for (const auto& v : c.villages)
    s += fmt::format("{}|{}|{}|{}|{}\n", v.division_code, *v.population, *v.area_km2,
                     fmt::join(v.main_industries, ","), fmt::join(v.tags, ","));
  return s;
}

TEST(DemoRng, SplitMix64MatchesTheReferenceSequence) {
  // First outputs of Vigna's splitmix64.c seeded with 1234567.
  uint64_t state = 1234567;
  EXPECT_EQ(SplitMix64(state), 6457827717110365317ULL);
  EXPECT_EQ(SplitMix64(state), 3203168211198807973ULL);
}

TEST(DemoRng, BetweenStaysInBoundsAndHitsBothEnds) {
  Rng rng(7);
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const int64_t v = rng.Between(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(DemoSynth, PlaceShortNamesReadAsInNativePlace) {
  EXPECT_EQ(PlaceShortName("河北省"), "河北");
  EXPECT_EQ(PlaceShortName("广西壮族自治区"), "广西");
  EXPECT_EQ(PlaceShortName("内蒙古自治区"), "内蒙古");
  EXPECT_EQ(PlaceShortName("北京市"), "北京");
  EXPECT_EQ(PlaceShortName("阜平县"), "阜平");
  EXPECT_EQ(PlaceShortName("唐县"), "唐县");
  EXPECT_EQ(PlaceShortName("保定市"), "保定");
}

TEST(DemoSynth, SameSeedGivesIdenticalCountyAndAnotherSeedDiffers) {
  const auto divisions = TestCounty();
  const std::string a = Fingerprint(Synthesize(divisions, Options(2026, Fixed())));
  const std::string b = Fingerprint(Synthesize(divisions, Options(2026, Fixed())));
  const std::string c = Fingerprint(Synthesize(divisions, Options(2027, Fixed())));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(DemoSynth, AVillageDoesNotChangeWhenAnotherIsRemoved) {
  auto divisions = TestCounty();
  const DemoCounty full = Synthesize(divisions, Options(2026, Fixed()));
  std::erase_if(divisions, [](const Division& d) { return d.code == 130624100205; });
  const DemoCounty less = Synthesize(divisions, Options(2026, Fixed()));
  auto village = [](const DemoCounty& c, int64_t code) {
    for (const auto& v : c.villages)
      if (v.division_code == code) return fmt::format("{}|{}", *v.population, *v.households);
    return std::string();
  };
  EXPECT_EQ(village(full, 130624102210), village(less, 130624102210));
  EXPECT_EQ(village(less, 130624100205), "");
}

TEST(DemoSynth, IdNumbersAreValidUniqueAndAgreeWithThePerson) {
  const DemoCounty c = Synthesize(TestCounty(), Options(2026, Fixed()));
  ASSERT_GT(c.people.size(), 1000u);
  std::set<std::string> ids;
  for (const auto& p : c.people) {
    auto facts = domain::ParseIdNumber(p.id_number, "id_number", Fixed());
    ASSERT_TRUE(facts.ok()) << p.id_number << ": " << facts.status().ToString();
    EXPECT_EQ(facts->region, 130624) << p.id_number;
    EXPECT_EQ(facts->birth_date, *p.birth_date) << p.id_number;
    EXPECT_EQ(facts->sex, p.sex) << p.id_number;
    EXPECT_EQ(p.id_number.back(), IdCheckCharacter(p.id_number.substr(0, 17)));
    EXPECT_TRUE(ids.insert(p.id_number).second) << "duplicate " << p.id_number;
  }
  // The check character of the standard's own example, 11010519491231002X.
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
}

TEST(DemoSynth, EveryRecordPassesTheDomainRules) {
  // Domain validation compares with the real today, so build for the real today here.
  const Date today = Date::TodayInChina();
  const DemoCounty c = Synthesize(TestCounty(), Options(99, today));
  for (const auto& v : c.villages) EXPECT_TRUE(domain::ValidateVillage(v).ok()) << v.division_code;
  for (const auto& o : c.party_orgs) {
    domain::PartyOrg org = o.org;
    if (o.secretary) org.secretary_person_id = static_cast<int64_t>(*o.secretary) + 1;
    Status s = domain::ValidatePartyOrg(org);
    EXPECT_TRUE(s.ok()) << org.name << ": " << s.ToString();
  }
  std::set<std::string> phones;
  for (const auto& p : c.people) {
    Status s = domain::ValidatePerson(p);
    EXPECT_TRUE(s.ok()) << p.name << " " << p.id_number << ": " << s.ToString();
    if (!p.phone.empty()) {
      EXPECT_TRUE(phones.insert(p.phone).second) << p.phone;
    }
  }
  for (const auto& p : c.posts) {
    domain::Post post = p.post;
    post.person_id = static_cast<int64_t>(p.person) + 1;
    Status s = domain::ValidatePost(post);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_LE(post.start_date, today);
    EXPECT_EQ(c.people[p.person].division_code, post.division_code);
  }
}

TEST(DemoSynth, MixesAreWithinPlausibleRanges) {
  const Date today = Fixed();
  const DemoCounty c = Synthesize(TestCounty(), Options(2026, today));
  int members = 0, women = 0, sixty_plus = 0, under_36 = 0, han = 0, low_education = 0;
  std::map<std::string, int> status;
  for (const auto& p : c.people) {
    ++status[p.party_status];
    if (p.party_status != "member") continue;
    ++members;
    const int age = today.YearsSince(*p.birth_date);
    women += p.sex == domain::Sex::kFemale;
    sixty_plus += age >= 60;
    under_36 += age < 36;
    han += p.ethnicity == "汉族";
    low_education += p.education == "primary" || p.education == "junior_secondary";
  }
  ASSERT_GT(members, 0);
  auto share = [&](int n) { return static_cast<double>(n) / members; };
  EXPECT_GT(share(women), 0.20);
  EXPECT_LT(share(women), 0.38);
  EXPECT_GT(share(sixty_plus), 0.30);  // rural members skew old
  EXPECT_LT(share(sixty_plus), 0.60);
  EXPECT_GT(share(under_36), 0.05);
  EXPECT_GT(share(han), 0.95);
  EXPECT_GT(share(low_education), 0.45);
  for (const char* s :
       {"applicant", "activist", "development_target", "probationary_member", "masses"})
    EXPECT_GT(status[s], 0) << s;
  EXPECT_GT(status["member"], 10 * status["probationary_member"]);

  int lifted = 0, rural = 0;
  for (const auto& v : c.villages) {
    if (v.division_code % 1000 < 200) continue;
    ++rural;
    for (const auto& t : v.tags) lifted += t == "lifted_from_poverty";
    EXPECT_GE(v.main_industries.size(), 1u);
    EXPECT_LE(*v.households, *v.population);
  }
  EXPECT_GT(lifted * 2, rural);  // most villages were lifted out of poverty
}

TEST(DemoSynth, OneOrganizationPerCommitteeWithConsistentCountsAndNames) {
  const DemoCounty c = Synthesize(TestCounty(), Options(2026, Fixed()));
  ASSERT_EQ(c.party_orgs.size(), 77u);  // 75 villagers' + 2 residents' committees, not 598
  ASSERT_EQ(c.villages.size(), 77u);
  std::set<size_t> first_secretaries;
  for (const auto& p : c.posts)
    if (p.post.kind == "first_secretary") first_secretaries.insert(p.person);
  for (const auto& o : c.party_orgs) {
    int64_t members = 0, probationary = 0;
    for (size_t i = 0; i < c.people.size(); ++i) {
      const auto& p = c.people[i];
      if (p.division_code != o.org.division_code || first_secretaries.count(i)) continue;
      members += p.party_status == "member";
      probationary += p.party_status == "probationary_member";
    }
    EXPECT_EQ(members, o.org.member_count) << o.org.name;
    EXPECT_EQ(probationary, o.org.probationary_member_count) << o.org.name;
    const int64_t total = members + probationary;
    const auto expected = total >= 100  ? domain::PartyOrgKind::kCommittee
                          : total >= 50 ? domain::PartyOrgKind::kGeneralBranch
                                        : domain::PartyOrgKind::kBranch;
    EXPECT_EQ(o.org.kind, expected) << o.org.name;
    if (o.secretary) {
      EXPECT_EQ(c.people[*o.secretary].division_code, o.org.division_code);
      EXPECT_EQ(c.people[*o.secretary].party_status, "member");
    }
  }
  std::map<int64_t, std::string> names;
  for (const auto& o : c.party_orgs) names[o.org.division_code] = o.org.name;
  EXPECT_TRUE(names[130624100203].starts_with("中共阜平县阜平镇东4村"));
  EXPECT_EQ(names[130624101001].find("中共阜平县龙泉关镇龙泉新区社区"), 0u);
  EXPECT_EQ(names[130624100001].find("中共阜平县社区服务中心"), 0u);
  for (const auto& v : c.villages) {
    if (v.division_code == 130624101001) {
      EXPECT_EQ(v.tags, std::vector<std::string>{"relocation_settlement"});
    }
  }
}

TEST(DemoSynth, SomeVacanciesAndExpiringTermsAreDeliberate) {
  const Date today = Fixed();
  const DemoCounty c = Synthesize(TestCounty(), Options(2026, today));
  ASSERT_GE(c.secretary_vacant.size(), 2u);
  ASSERT_GE(c.director_vacant.size(), 2u);
  ASSERT_GE(c.without_reserve_cadres.size(), 2u);
  // Current holders of each post kind, by village.
  std::map<std::string, std::set<int64_t>> held;
  for (const auto& p : c.posts)
    if (!p.post.end_date) held[p.post.kind].insert(p.post.division_code);
  for (int64_t code : c.secretary_vacant) EXPECT_FALSE(held["party_secretary"].count(code));
  for (int64_t code : c.director_vacant) EXPECT_FALSE(held["committee_director"].count(code));
  for (int64_t code : c.without_reserve_cadres) EXPECT_FALSE(held["reserve_cadre"].count(code));
  int with_secretary = 0, concurrent = 0, expired = 0, expiring = 0;
  for (const auto& o : c.party_orgs) {
    const int64_t code = o.org.division_code;
    with_secretary += held["party_secretary"].count(code);
    concurrent += held["party_secretary"].count(code) && o.secretary &&
                  held["committee_director"].count(code);
    EXPECT_EQ(o.secretary.has_value(), held["party_secretary"].count(code) == 1);
    const int64_t days = o.org.term_expiry->DaysSinceEpoch() - today.DaysSinceEpoch();
    expired += days < 0;
    expiring += days >= 0 && days < 90;
    EXPECT_EQ(o.org.term_start->AddMonths(60), *o.org.term_expiry);
  }
  EXPECT_EQ(with_secretary, static_cast<int>(c.party_orgs.size() - c.secretary_vacant.size()));
  EXPECT_GE(expired, 2);
  EXPECT_GE(expiring, 2);
  EXPECT_GT(concurrent * 10, with_secretary * 6);  // 一肩挑 is the norm

  // The two committees: 3 to 7 people, at least one woman.
  std::map<int64_t, std::set<size_t>> line_up;
  for (const auto& p : c.posts)
    if (!p.post.end_date && domain::IsTwoCommitteePost(p.post.kind))
      line_up[p.post.division_code].insert(p.person);
  for (const auto& [code, people] : line_up) {
    EXPECT_GE(people.size(), 3u) << code;
    EXPECT_LE(people.size(), 7u) << code;
    bool woman = false;
    for (size_t i : people) woman |= c.people[i].sex == domain::Sex::kFemale;
    EXPECT_TRUE(woman) << code;
  }
  EXPECT_GT(held["first_secretary"].size(), 0u);
}

}  // namespace
}  // namespace qiangji::engines::demo

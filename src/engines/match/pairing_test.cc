// Enterprise pairing: the score's terms, the rules that allow a pair, capacities of both kinds,
// coverage before score, the optimum against brute force on small random instances, and the
// reasons given for pairs and for targets left unpaired.
#include "engines/match/pairing.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "domain/enterprise.h"
#include "engines/rng.h"

namespace qiangji::engines::match {
namespace {

constexpr int64_t kLuotuowan = 130624100201;  // a village in 龙泉关镇, 阜平县
constexpr int64_t kGujiatai = 130624100202;   // same township
constexpr int64_t kPingyang = 130624101201;   // another township of the county

PairingEnterprise Firm(std::string id, std::vector<std::string> industries, int villages,
                       int firms = 0, int64_t location = 130624000000) {
  PairingEnterprise e;
  e.id = id;
  e.name = id;
  e.industries = std::move(industries);
  e.location_code = location;
  e.capacity_villages = villages;
  e.capacity_firms = firms;
  return e;
}

PairingTarget Target(int64_t code, std::vector<std::string> industries, double priority = 50,
                     PairingKind kind = PairingKind::kVillage) {
  PairingTarget t;
  t.code = code;
  t.name = std::to_string(code);
  t.kind = kind;
  t.industries = std::move(industries);
  t.priority = priority;
  return t;
}

bool Has(const std::vector<std::string>& lines, const std::string& text) {
  return std::find(lines.begin(), lines.end(), text) != lines.end();
}

TEST(PairingScore, ProximityFollowsTheLevelsTheLocationHas) {
  EXPECT_EQ(RelationOf(130624100000, kLuotuowan), AreaRelation::kTownship);
  EXPECT_EQ(RelationOf(130624100202, kLuotuowan), AreaRelation::kTownship);
  EXPECT_EQ(RelationOf(130624101000, kLuotuowan), AreaRelation::kCounty);
  EXPECT_EQ(RelationOf(130624000000, kLuotuowan), AreaRelation::kCounty);
  EXPECT_EQ(RelationOf(130600000000, kLuotuowan), AreaRelation::kPrefecture);  // the city
  EXPECT_EQ(RelationOf(130602000000, kLuotuowan), AreaRelation::kPrefecture);  // a district
  EXPECT_EQ(RelationOf(130100000000, kLuotuowan), AreaRelation::kProvince);
  EXPECT_EQ(RelationOf(110105000000, kLuotuowan), AreaRelation::kNone);
  EXPECT_EQ(RelationOf(0, kLuotuowan), AreaRelation::kNone);
  EXPECT_DOUBLE_EQ(AreaProximity(AreaRelation::kTownship), 1.0);
  EXPECT_DOUBLE_EQ(AreaProximity(AreaRelation::kCounty), 0.6);
  EXPECT_DOUBLE_EQ(AreaProximity(AreaRelation::kPrefecture), 0.3);
  EXPECT_DOUBLE_EQ(AreaProximity(AreaRelation::kProvince), 0.1);
  EXPECT_DOUBLE_EQ(AreaProximity(AreaRelation::kNone), 0.0);
}

TEST(PairingScore, IsTheWeightedSumOfOverlapProximityAndPriority) {
  PairingProblem p;
  const PairingEnterprise e = Firm("a", {"food_processing", "energy"}, 1, 0, 130600000000);
  const PairingTarget t = Target(kLuotuowan, {"planting_breeding", "food_processing"}, 72);
  const PairScore s = ScorePair(p, e, t);
  EXPECT_TRUE(s.allowed);
  EXPECT_DOUBLE_EQ(s.overlap, 0.5);  // one of the village's two industries
  EXPECT_DOUBLE_EQ(s.proximity, 0.3);
  EXPECT_DOUBLE_EQ(s.priority, 0.72);
  EXPECT_NEAR(s.score, 0.5 * 0.5 + 0.3 * 0.3 + 0.2 * 0.72, 1e-12);
  EXPECT_EQ(s.scaled, 484000);
  EXPECT_EQ(s.common, (std::vector<std::string>{"food_processing"}));

  // A preferred area containing the village counts as close as the same township.
  PairingEnterprise far = e;
  far.location_code = 110105000000;
  far.preferred_areas = {"130624100"};
  const PairScore near = ScorePair(p, far, t);
  EXPECT_DOUBLE_EQ(near.proximity, 1.0);
  EXPECT_EQ(near.preferred_area, "130624100");
  EXPECT_EQ(near.relation, AreaRelation::kNone);
  far.preferred_areas = {"130624101"};  // another township: no help
  EXPECT_DOUBLE_EQ(ScorePair(p, far, t).proximity, 0.0);
}

TEST(PairingScore, RulesDecideWhichPairsAreAllowed) {
  PairingProblem p;
  PairingEnterprise e = Firm("a", {"energy"}, 1);
  const PairingTarget t = Target(kLuotuowan, {"planting_breeding"});
  EXPECT_FALSE(ScorePair(p, e, t).allowed);  // no industry in common
  const PairingTarget unknown = Target(kLuotuowan, {});
  EXPECT_FALSE(ScorePair(p, e, unknown).allowed);
  p.rules.require_industry_overlap = false;
  EXPECT_TRUE(ScorePair(p, e, t).allowed);
  EXPECT_DOUBLE_EQ(ScorePair(p, e, t).overlap, 0.0);
  EXPECT_DOUBLE_EQ(ScorePair(p, e, unknown).overlap, kNeutralOverlap);
  e.available = false;
  EXPECT_FALSE(ScorePair(p, e, t).allowed);
}

TEST(Pairing, BadInputIsRefusedWithFieldErrors) {
  PairingProblem p;
  p.enterprises = {Firm("a", {"mining"}, -1)};
  p.targets = {Target(kLuotuowan, {"energy", "x"}, 120), Target(kLuotuowan, {"energy"}),
               Target(130624100000, {})};
  p.weights.area = 2;
  auto r = SolvePairing(p);
  ASSERT_FALSE(r.ok());
  std::set<std::string> fields;
  for (const FieldError& e : r.status().field_errors()) fields.insert(e.field);
  for (const char* f :
       {"enterprises[0].capacity_villages", "enterprises[0].industries[0]", "targets[0].priority",
        "targets[0].industries[1]", "targets[1]", "targets[2].code", "weights.area"})
    EXPECT_TRUE(fields.count(f)) << f;
  p = PairingProblem{};
  p.weights = {0, 0, 0};
  EXPECT_FALSE(SolvePairing(p).ok());
}

TEST(Pairing, CapacitiesOfEachKindAreRespected) {
  PairingProblem p;
  p.enterprises = {Firm("a", {"food_processing"}, 2, 1)};
  for (int64_t v : {kLuotuowan, kGujiatai, kPingyang}) {
    p.targets.push_back(Target(v, {"food_processing"}, 50, PairingKind::kVillage));
    p.targets.push_back(Target(v, {"food_processing"}, 50, PairingKind::kCollective));
  }
  auto r = SolvePairing(p);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->covered, 3);
  EXPECT_EQ(r->use[0].villages, 2);
  EXPECT_EQ(r->use[0].firms, 1);
  EXPECT_EQ(r->unpaired.size(), 3u);
  for (const PairingUnpaired& u : r->unpaired) {
    EXPECT_EQ(u.reason, UnpairedReason::kCapacityUsed);
    EXPECT_EQ(u.candidates, std::vector<int>{0});
  }
  int firms = 0;
  for (const PairingPair& x : r->pairs)
    firms += p.targets[static_cast<size_t>(x.target)].kind == PairingKind::kCollective;
  EXPECT_EQ(firms, 1);
}

TEST(Pairing, CoverageComesBeforeScore) {
  // The near firm fits target 0 far better (0.98) than anything else scores, but taking it leaves
  // target 1 (out of the province, one of four industries, priority 0) without anyone: the far
  // firm to target 0 (0.43) and the near one to target 1 (0.125) score less (0.555) and cover
  // both, which the objective puts first.
  PairingProblem p;
  p.enterprises = {Firm("near", {"food_processing", "rural_tourism"}, 1, 0, 130624100000),
                   Firm("far", {"rural_tourism"}, 1, 0, 110105000000)};
  p.targets = {Target(kLuotuowan, {"food_processing", "rural_tourism"}, 90),
               Target(120101001201, {"food_processing", "energy", "finance", "health_care"}, 0)};
  EXPECT_NEAR(ScorePair(p, p.enterprises[0], p.targets[0]).score, 0.98, 1e-12);
  EXPECT_NEAR(ScorePair(p, p.enterprises[1], p.targets[0]).score, 0.43, 1e-12);
  EXPECT_NEAR(ScorePair(p, p.enterprises[0], p.targets[1]).score, 0.125, 1e-12);
  auto r = SolvePairing(p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->covered, 2);
  EXPECT_EQ(r->pairs[0].target, 0);
  EXPECT_EQ(r->pairs[0].enterprise, 1);
  EXPECT_EQ(r->pairs[1].target, 1);
  EXPECT_EQ(r->pairs[1].enterprise, 0);
  EXPECT_EQ(r->total_scaled, 555000);
}

TEST(Pairing, AmongFullCoveragesTheHigherTotalScoreWins) {
  PairingProblem p;
  p.enterprises = {Firm("a", {"energy"}, 1, 0, 130624100000)};  // in 龙泉关镇
  p.targets = {Target(kPingyang, {"energy"}, 50), Target(kLuotuowan, {"energy"}, 50)};
  auto r = SolvePairing(p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 1u);
  EXPECT_EQ(r->pairs[0].target, 1);  // same township beats same county
  // Priority decides when all else is equal.
  p.targets = {Target(kPingyang, {"energy"}, 30), Target(kGujiatai, {"energy"}, 80)};
  p.enterprises[0].location_code = 130624000000;
  r = SolvePairing(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pairs[0].target, 1);
}

TEST(Pairing, ReasonsNameIndustryAreaAndPriority) {
  PairingProblem p;
  p.area_names["130624100"] = "龙泉关镇";
  PairingEnterprise e = Firm("山果食品", {"food_processing"}, 2, 0, 130624100000);
  PairingEnterprise city = Firm("保定公司", {"food_processing"}, 1, 0, 130600000000);
  city.preferred_areas = {"130624100"};
  p.enterprises = {e};
  PairingTarget t = Target(kLuotuowan, {"planting_breeding", "food_processing"}, 72);
  t.industry_sources = {{"planting_breeding", "食用菌"}, {"food_processing", "食用菌"}};
  t.priority_label = "软弱涣散村";
  p.targets = {t};
  auto r = SolvePairing(p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 1u);
  const auto& lines = r->pairs[0].reasons;
  EXPECT_TRUE(Has(lines, "产业相符：食用菌→农产品加工")) << lines[0];
  EXPECT_TRUE(Has(lines, "同一乡镇"));
  EXPECT_TRUE(Has(lines, "软弱涣散村（优先度72）"));

  // Set by the county: the industry alone; a preferred area by its name; no label: the number.
  p.enterprises = {city};
  p.targets[0].industry_sources.clear();
  p.targets[0].priority_label.clear();
  p.targets[0].priority = 35.4;
  r = SolvePairing(p);
  ASSERT_TRUE(r.ok());
  const auto& more = r->pairs[0].reasons;
  EXPECT_TRUE(Has(more, "产业相符：农产品加工"));
  EXPECT_TRUE(Has(more, "在企业意向帮扶区域（龙泉关镇）内"));
  EXPECT_TRUE(Has(more, "同一地市"));
  EXPECT_TRUE(Has(more, "优先度35"));

  // Without the overlap rule: said so; an unknown village industry is scored neutral.
  p.rules.require_industry_overlap = false;
  p.enterprises = {Firm("能源", {"energy"}, 2, 0, 130624000000)};
  p.targets = {Target(kLuotuowan, {"food_processing"}), Target(kGujiatai, {})};
  r = SolvePairing(p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 2u);
  EXPECT_TRUE(Has(r->pairs[0].reasons, "产业不相符（本轮不要求产业相符）"));
  EXPECT_TRUE(Has(r->pairs[0].reasons, "同一县"));
  EXPECT_TRUE(Has(r->pairs[1].reasons, "村主导产业未识别，产业得分按中性0.5计"));
}

TEST(Pairing, UnpairedTargetsSayWhy) {
  PairingProblem p;
  p.enterprises = {Firm("甲公司", {"food_processing"}, 1, 0), Firm("乙公司", {"energy"}, 0, 1)};
  p.targets = {
      Target(kLuotuowan, {"food_processing"}, 90),                              // paired
      Target(kGujiatai, {"food_processing"}, 40),                               // 甲 is full
      Target(kPingyang, {"culture_creative"}, 60),                              // nobody fits
      Target(130624101202, {}, 60),                                             // no industry
      Target(130624101203, {"food_processing"}, 60, PairingKind::kCollective),  // no firm seat fits
  };
  p.enterprises[1].capacity_firms = 0;  // no collective capacity anywhere
  auto r = SolvePairing(p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 1u);
  EXPECT_EQ(r->pairs[0].target, 0);
  ASSERT_EQ(r->unpaired.size(), 4u);
  EXPECT_EQ(r->unpaired[0].reason, UnpairedReason::kCapacityUsed);
  EXPECT_EQ(r->unpaired[0].text,
            "可结对的1家企业（甲公司）企到村名额均已用于覆盖更多村或得分更高的结对");
  EXPECT_EQ(r->unpaired[1].reason, UnpairedReason::kNoIndustryMatch);
  EXPECT_EQ(r->unpaired[1].text, "没有产业相符且尚有企到村名额的企业（村产业：文化创意）");
  EXPECT_EQ(r->unpaired[2].reason, UnpairedReason::kNoIndustry);
  EXPECT_EQ(r->unpaired[3].reason, UnpairedReason::kNoEnterprise);
  EXPECT_EQ(r->unpaired[3].text, "没有尚有企到企名额的可用企业");
}

TEST(Pairing, SameInputSameHashes) {
  PairingProblem p;
  p.enterprises = {Firm("a", {"energy"}, 1), Firm("b", {"energy", "finance"}, 2)};
  p.targets = {Target(kLuotuowan, {"energy"}), Target(kGujiatai, {"energy", "finance"}, 80)};
  auto a = SolvePairing(p);
  auto b = SolvePairing(p);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->input_hash, b->input_hash);
  EXPECT_EQ(a->output_hash, b->output_hash);
  EXPECT_EQ(a->input_hash.size(), 16u);
  p.targets[0].priority = 51;
  auto c = SolvePairing(p);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->input_hash, a->input_hash);
}

// ---- brute force ----

struct Best {
  int64_t covered = -1;
  int64_t total = 0;
};

// Every assignment of targets to an allowed enterprise with capacity left, or to none.
Best BruteForce(const PairingProblem& p) {
  const size_t n_t = p.targets.size();
  std::vector<std::vector<std::pair<int, int64_t>>> options(n_t);
  for (size_t j = 0; j < n_t; ++j) {
    for (size_t i = 0; i < p.enterprises.size(); ++i) {
      const PairScore s = ScorePair(p, p.enterprises[i], p.targets[j]);
      if (s.allowed) options[j].push_back({static_cast<int>(i), s.scaled});
    }
  }
  std::vector<int> left_v, left_f;
  for (const PairingEnterprise& e : p.enterprises) {
    left_v.push_back(e.capacity_villages);
    left_f.push_back(e.capacity_firms);
  }
  Best best;
  std::function<void(size_t, int64_t, int64_t)> go = [&](size_t j, int64_t covered, int64_t total) {
    if (j == n_t) {
      if (covered > best.covered || (covered == best.covered && total > best.total))
        best = {covered, total};
      return;
    }
    go(j + 1, covered, total);
    for (const auto& [e, scaled] : options[j]) {
      std::vector<int>& left = p.targets[j].kind == PairingKind::kCollective ? left_f : left_v;
      if (left[static_cast<size_t>(e)] <= 0) continue;
      --left[static_cast<size_t>(e)];
      go(j + 1, covered + 1, total + scaled);
      ++left[static_cast<size_t>(e)];
    }
  };
  go(0, 0, 0);
  return best;
}

PairingProblem RandomProblem(Rng& rng) {
  const std::vector<std::string> industries = {"planting_breeding", "food_processing",
                                               "rural_tourism", "energy"};
  const int64_t villages[] = {130624100201, 130624100202, 130624101201,
                              130624101202, 130625100201, 130606100201};
  const int64_t locations[] = {130624100000, 130624000000, 130600000000,
                               130100000000, 110105000000, 130625100000};
  PairingProblem p;
  p.weights = {rng.Unit(), rng.Unit(), rng.Unit()};
  if (p.weights.industry + p.weights.area + p.weights.priority <= 0) p.weights.area = 0.5;
  p.rules.require_industry_overlap = rng.Permille(700);
  const int n_e = static_cast<int>(rng.Between(1, 4));
  for (int i = 0; i < n_e; ++i) {
    PairingEnterprise e;
    e.id = e.name = "e" + std::to_string(i);
    for (const std::string& ind : industries)
      if (rng.Permille(400)) e.industries.push_back(ind);
    e.location_code = locations[rng.Below(std::size(locations))];
    if (rng.Permille(300)) e.preferred_areas = {"130624101"};
    e.capacity_villages = static_cast<int>(rng.Between(0, 2));
    e.capacity_firms = static_cast<int>(rng.Between(0, 2));
    e.available = rng.Permille(900);
    p.enterprises.push_back(std::move(e));
  }
  const int n_t = static_cast<int>(rng.Between(1, 7));
  std::set<std::pair<int64_t, int>> used;
  for (int j = 0; j < n_t; ++j) {
    PairingTarget t;
    t.code = villages[rng.Below(std::size(villages))];
    t.kind = rng.Permille(500) ? PairingKind::kVillage : PairingKind::kCollective;
    if (!used.insert({t.code, static_cast<int>(t.kind)}).second) continue;
    for (const std::string& ind : industries)
      if (rng.Permille(350)) t.industries.push_back(ind);
    t.priority = static_cast<double>(rng.Between(0, 100));
    p.targets.push_back(std::move(t));
  }
  return p;
}

TEST(Pairing, OptimumEqualsBruteForceOnSmallRandomInstances) {
  Rng rng(20260611);
  int nontrivial = 0;
  for (int round = 0; round < 400; ++round) {
    const PairingProblem p = RandomProblem(rng);
    auto r = SolvePairing(p);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const Best best = BruteForce(p);
    ASSERT_EQ(r->covered, best.covered) << "round " << round;
    ASSERT_EQ(r->total_scaled, best.total) << "round " << round;
    nontrivial += best.covered > 1;

    // The result itself keeps every rule.
    std::vector<int> used_v(p.enterprises.size()), used_f(p.enterprises.size());
    std::set<int> targets;
    int64_t total = 0;
    for (const PairingPair& x : r->pairs) {
      const PairingEnterprise& e = p.enterprises[static_cast<size_t>(x.enterprise)];
      const PairingTarget& t = p.targets[static_cast<size_t>(x.target)];
      EXPECT_TRUE(ScorePair(p, e, t).allowed);
      EXPECT_TRUE(targets.insert(x.target).second) << "a target paired twice";
      (t.kind == PairingKind::kCollective ? used_f : used_v)[static_cast<size_t>(x.enterprise)]++;
      total += x.score.scaled;
    }
    EXPECT_EQ(total, r->total_scaled);
    for (size_t i = 0; i < p.enterprises.size(); ++i) {
      EXPECT_LE(used_v[i], p.enterprises[i].capacity_villages);
      EXPECT_LE(used_f[i], p.enterprises[i].capacity_firms);
      EXPECT_EQ(used_v[i], r->use[i].villages);
      EXPECT_EQ(used_f[i], r->use[i].firms);
    }
    EXPECT_EQ(r->pairs.size() + r->unpaired.size(), p.targets.size());
    // A target left out with a candidate: every candidate is full of its kind.
    for (const PairingUnpaired& u : r->unpaired) {
      if (u.reason != UnpairedReason::kCapacityUsed) {
        EXPECT_TRUE(u.candidates.empty());
        continue;
      }
      const PairingTarget& t = p.targets[static_cast<size_t>(u.target)];
      for (int c : u.candidates) {
        const bool firm = t.kind == PairingKind::kCollective;
        EXPECT_EQ((firm ? used_f : used_v)[static_cast<size_t>(c)],
                  firm ? p.enterprises[static_cast<size_t>(c)].capacity_firms
                       : p.enterprises[static_cast<size_t>(c)].capacity_villages);
      }
    }
  }
  EXPECT_GT(nontrivial, 50);
}

}  // namespace
}  // namespace qiangji::engines::match

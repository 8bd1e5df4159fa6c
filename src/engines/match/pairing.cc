#include "engines/match/pairing.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "common/division_code.h"
#include "domain/enterprise.h"
#include "engines/assess/score.h"

namespace qiangji::engines::match {
namespace {

using assess::Fnv1a64;

constexpr int kMaxCapacity = 1'000'000;
constexpr int kMaxEnterprises = 100'000;
constexpr size_t kListedNames = 3;  // enterprises named in an unpaired reason

bool IsIndustry(std::string_view s) { return domain::Contains(domain::kIndustries, s); }

int Capacity(const PairingEnterprise& e, PairingKind k) {
  return k == PairingKind::kCollective ? e.capacity_firms : e.capacity_villages;
}

std::string KindZh(PairingKind k) {
  return std::string(domain::PairingKindNameZh(PairingKindName(k)));
}

std::string JoinZh(const std::vector<std::string>& items, std::string_view sep = "、") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? std::string(sep) : "") + items[i];
  return out;
}

std::string IndustriesZh(const std::vector<std::string>& industries) {
  std::vector<std::string> names;
  for (const std::string& i : industries) names.emplace_back(domain::IndustryNameZh(i));
  return JoinZh(names);
}

std::string AreaZh(const PairingProblem& p, const std::string& prefix) {
  auto it = p.area_names.find(prefix);
  return it == p.area_names.end() || it->second.empty() ? prefix : it->second;
}

std::vector<std::string> Reasons(const PairingProblem& p, const PairingTarget& t,
                                 const PairScore& s) {
  std::vector<std::string> out;
  if (!s.common.empty()) {
    std::vector<std::string> parts;
    for (const std::string& c : s.common) {
      auto src = t.industry_sources.find(c);
      const std::string name(domain::IndustryNameZh(c));
      parts.push_back(
          src == t.industry_sources.end() || src->second.empty() ? name : src->second + "→" + name);
    }
    out.push_back("产业相符：" + JoinZh(parts));
  } else if (t.industries.empty()) {
    out.push_back("村主导产业未识别，产业得分按中性0.5计");
  } else {
    out.push_back("产业不相符（本轮不要求产业相符）");
  }
  if (!s.preferred_area.empty())
    out.push_back(fmt::format("在企业意向帮扶区域（{}）内", AreaZh(p, s.preferred_area)));
  switch (s.relation) {
    case AreaRelation::kTownship:
      out.push_back("同一乡镇");
      break;
    case AreaRelation::kCounty:
      out.push_back("同一县");
      break;
    case AreaRelation::kPrefecture:
      out.push_back("同一地市");
      break;
    case AreaRelation::kProvince:
      out.push_back("同一省份");
      break;
    case AreaRelation::kNone:
      if (s.preferred_area.empty()) out.push_back("企业不在本省");
      break;
  }
  const long priority = std::lround(std::clamp(t.priority, 0.0, 100.0));
  out.push_back(t.priority_label.empty()
                    ? fmt::format("优先度{}", priority)
                    : fmt::format("{}（优先度{}）", t.priority_label, priority));
  return out;
}

void HashStrings(Fnv1a64& h, const std::vector<std::string>& items) {
  h.AddU64(items.size());
  for (const std::string& s : items) h.AddString(s);
}

uint64_t InputHash(const PairingProblem& p) {
  Fnv1a64 h;
  h.AddString("qiangji.pairing.v1");
  h.AddDouble(p.weights.industry);
  h.AddDouble(p.weights.area);
  h.AddDouble(p.weights.priority);
  h.AddU64(p.rules.require_industry_overlap ? 1 : 0);
  h.AddU64(p.enterprises.size());
  for (const PairingEnterprise& e : p.enterprises) {
    h.AddString(e.id);
    h.AddString(e.name);
    HashStrings(h, e.industries);
    h.AddU64(static_cast<uint64_t>(e.location_code));
    HashStrings(h, e.preferred_areas);
    h.AddU64(static_cast<uint64_t>(e.capacity_villages));
    h.AddU64(static_cast<uint64_t>(e.capacity_firms));
    h.AddU64(e.available ? 1 : 0);
  }
  h.AddU64(p.targets.size());
  for (const PairingTarget& t : p.targets) {
    h.AddU64(static_cast<uint64_t>(t.code));
    h.AddString(t.name);
    h.AddU64(static_cast<uint64_t>(t.kind));
    HashStrings(h, t.industries);
    h.AddU64(t.industry_sources.size());
    for (const auto& [k, v] : t.industry_sources) {
      h.AddString(k);
      h.AddString(v);
    }
    h.AddDouble(t.priority);
    h.AddString(t.priority_label);
  }
  h.AddU64(p.area_names.size());
  for (const auto& [k, v] : p.area_names) {
    h.AddString(k);
    h.AddString(v);
  }
  return h.value();
}

uint64_t OutputHash(const PairingResult& r) {
  Fnv1a64 h;
  h.AddU64(r.pairs.size());
  for (const PairingPair& x : r.pairs) {
    h.AddU64(static_cast<uint64_t>(x.enterprise));
    h.AddU64(static_cast<uint64_t>(x.target));
    h.AddU64(static_cast<uint64_t>(x.score.scaled));
    HashStrings(h, x.reasons);
  }
  h.AddU64(r.unpaired.size());
  for (const PairingUnpaired& u : r.unpaired) {
    h.AddU64(static_cast<uint64_t>(u.target));
    h.AddU64(static_cast<uint64_t>(u.reason));
    h.AddString(u.text);
  }
  h.AddU64(static_cast<uint64_t>(r.covered));
  h.AddU64(static_cast<uint64_t>(r.total_scaled));
  return h.value();
}

}  // namespace

std::string_view PairingKindName(PairingKind k) {
  return k == PairingKind::kCollective ? "collective" : "village";
}

std::string_view AreaRelationName(AreaRelation r) {
  switch (r) {
    case AreaRelation::kTownship:
      return "township";
    case AreaRelation::kCounty:
      return "county";
    case AreaRelation::kPrefecture:
      return "prefecture";
    case AreaRelation::kProvince:
      return "province";
    case AreaRelation::kNone:
      break;
  }
  return "none";
}

double AreaProximity(AreaRelation r) {
  switch (r) {
    case AreaRelation::kTownship:
      return 1.0;
    case AreaRelation::kCounty:
      return 0.6;
    case AreaRelation::kPrefecture:
      return 0.3;
    case AreaRelation::kProvince:
      return 0.1;
    case AreaRelation::kNone:
      break;
  }
  return 0;
}

AreaRelation RelationOf(int64_t location_code, int64_t village_code) {
  auto loc = DivisionCode::FromInt(location_code);
  if (!loc.ok()) return AreaRelation::kNone;
  const int digits = DivisionLevelDigits(loc->level());
  // Compare only the digits the location has: a city's firm is "same prefecture" at best.
  if (digits >= 9 && location_code / 1'000 == village_code / 1'000) return AreaRelation::kTownship;
  if (digits >= 6 && location_code / 1'000'000 == village_code / 1'000'000)
    return AreaRelation::kCounty;
  if (digits >= 4 && location_code / 100'000'000 == village_code / 100'000'000)
    return AreaRelation::kPrefecture;
  if (location_code / 10'000'000'000 == village_code / 10'000'000'000)
    return AreaRelation::kProvince;
  return AreaRelation::kNone;
}

std::string_view UnpairedReasonName(UnpairedReason r) {
  switch (r) {
    case UnpairedReason::kNoEnterprise:
      return "no_enterprise";
    case UnpairedReason::kNoIndustry:
      return "no_industry";
    case UnpairedReason::kNoIndustryMatch:
      return "no_industry_match";
    case UnpairedReason::kCapacityUsed:
      return "capacity_used";
  }
  return "no_enterprise";
}

PairScore ScorePair(const PairingProblem& p, const PairingEnterprise& e, const PairingTarget& t) {
  PairScore s;
  for (const std::string& i : t.industries)
    if (std::find(e.industries.begin(), e.industries.end(), i) != e.industries.end())
      s.common.push_back(i);
  s.overlap = t.industries.empty()
                  ? kNeutralOverlap
                  : static_cast<double>(s.common.size()) / static_cast<double>(t.industries.size());
  s.relation = RelationOf(e.location_code, t.code);
  const std::string village = fmt::format("{:012d}", t.code);
  for (const std::string& area : e.preferred_areas) {
    if (!area.empty() && village.rfind(area, 0) == 0) {
      s.preferred_area = area;
      break;
    }
  }
  s.proximity = s.preferred_area.empty() ? AreaProximity(s.relation) : 1.0;
  s.priority = std::clamp(t.priority, 0.0, 100.0) / 100.0;
  s.score = p.weights.industry * s.overlap + p.weights.area * s.proximity +
            p.weights.priority * s.priority;
  s.scaled = std::llround(s.score * static_cast<double>(kPairingScoreScale));
  s.allowed = e.available && (!p.rules.require_industry_overlap || !s.common.empty());
  return s;
}

Status ValidatePairingProblem(const PairingProblem& p) {
  FieldErrors errors;
  const auto weight = [&](std::string_view name, double v) {
    if (!std::isfinite(v) || v < 0 || v > 1)
      errors.Add(fmt::format("weights.{}", name), "must be between 0 and 1");
  };
  weight("industry", p.weights.industry);
  weight("area", p.weights.area);
  weight("priority", p.weights.priority);
  if (p.weights.industry + p.weights.area + p.weights.priority <= 0)
    errors.Add("weights", "at least one weight must be above 0");
  if (p.enterprises.size() > static_cast<size_t>(kMaxEnterprises))
    errors.Add("enterprises", fmt::format("at most {} enterprises", kMaxEnterprises));
  if (p.targets.size() > static_cast<size_t>(kMaxPairingTargets))
    errors.Add("targets", fmt::format("at most {} targets", kMaxPairingTargets));
  for (size_t i = 0; i < p.enterprises.size(); ++i) {
    const PairingEnterprise& e = p.enterprises[i];
    const std::string at = fmt::format("enterprises[{}].", i);
    if (e.capacity_villages < 0 || e.capacity_villages > kMaxCapacity)
      errors.Add(at + "capacity_villages", "must be between 0 and 1000000");
    if (e.capacity_firms < 0 || e.capacity_firms > kMaxCapacity)
      errors.Add(at + "capacity_firms", "must be between 0 and 1000000");
    for (size_t k = 0; k < e.industries.size(); ++k)
      if (!IsIndustry(e.industries[k]))
        errors.Add(fmt::format("{}industries[{}]", at, k),
                   fmt::format("\"{}\" is not an industry", e.industries[k]));
  }
  std::map<std::pair<int64_t, int>, size_t> seen;
  for (size_t j = 0; j < p.targets.size(); ++j) {
    const PairingTarget& t = p.targets[j];
    const std::string at = fmt::format("targets[{}]", j);
    auto code = DivisionCode::FromInt(t.code);
    if (!code.ok() || code->level() != DivisionLevel::kVillage)
      errors.Add(at + ".code", "must be a 12-digit village code");
    if (!std::isfinite(t.priority) || t.priority < 0 || t.priority > 100)
      errors.Add(at + ".priority", "must be between 0 and 100");
    for (size_t k = 0; k < t.industries.size(); ++k)
      if (!IsIndustry(t.industries[k]))
        errors.Add(fmt::format("{}.industries[{}]", at, k),
                   fmt::format("\"{}\" is not an industry", t.industries[k]));
    auto [it, fresh] = seen.emplace(std::make_pair(t.code, static_cast<int>(t.kind)), j);
    if (!fresh)
      errors.Add(at, fmt::format("repeats targets[{}] (same village and kind)", it->second));
  }
  return errors.ToStatus();
}

Result<PairingResult> SolvePairing(const PairingProblem& p) {
  QJ_RETURN_IF_ERROR(ValidatePairingProblem(p));
  const size_t n_e = p.enterprises.size();
  const size_t n_t = p.targets.size();
  PairingResult out;
  out.use.assign(n_e, {});
  out.input_hash = assess::HashHex(InputHash(p));

  // Allowed arcs with their scores; capacity of the target's kind is required too.
  struct Arc {
    int e = 0;
    int t = 0;
    PairScore score;
  };
  std::vector<Arc> arcs;
  std::vector<std::vector<int>> candidates(n_t);  // allowed enterprises per target
  int64_t max_scaled = 0;
  for (size_t j = 0; j < n_t; ++j) {
    const PairingTarget& t = p.targets[j];
    for (size_t i = 0; i < n_e; ++i) {
      const PairingEnterprise& e = p.enterprises[i];
      if (Capacity(e, t.kind) <= 0) continue;
      PairScore s = ScorePair(p, e, t);
      if (!s.allowed) continue;
      max_scaled = std::max(max_scaled, s.scaled);
      candidates[j].push_back(static_cast<int>(i));
      arcs.push_back({static_cast<int>(i), static_cast<int>(j), std::move(s)});
    }
  }
  out.allowed_pairs = static_cast<int64_t>(arcs.size());

  std::vector<int> paired_with(n_t, -1);
  std::vector<const Arc*> chosen(n_t, nullptr);
  if (!arcs.empty()) {
    using Graph = lemon::SmartDigraph;
    Graph g;
    const Graph::Node source = g.addNode();
    const Graph::Node sink = g.addNode();
    // One node per (enterprise, kind) with capacity; -1 where there is none.
    std::vector<int> kind_node(n_e * 2, -1);
    std::vector<Graph::Node> nodes;
    Graph::ArcMap<int64_t> upper(g);
    Graph::ArcMap<int64_t> cost(g);
    auto add = [&](Graph::Node from, Graph::Node to, int64_t cap, int64_t c) {
      const Graph::Arc a = g.addArc(from, to);
      upper[a] = cap;
      cost[a] = c;
      return a;
    };
    int64_t supply = 0;
    for (size_t i = 0; i < n_e; ++i) {
      for (PairingKind k : {PairingKind::kVillage, PairingKind::kCollective}) {
        const int cap = Capacity(p.enterprises[i], k);
        if (cap <= 0 || !p.enterprises[i].available) continue;
        kind_node[i * 2 + static_cast<size_t>(k)] = static_cast<int>(nodes.size());
        nodes.push_back(g.addNode());
        add(source, nodes.back(), cap, 0);
        supply += cap;
      }
    }
    std::vector<Graph::Node> target_node;
    target_node.reserve(n_t);
    for (size_t j = 0; j < n_t; ++j) {
      target_node.push_back(g.addNode());
      add(target_node.back(), sink, 1, 0);
    }
    add(source, sink, supply, 0);  // capacity left unused
    // Coverage first: one more target is worth more than all the scores together.
    const int64_t bonus = max_scaled * static_cast<int64_t>(n_t) + 1;
    std::vector<Graph::Arc> pair_arc;
    pair_arc.reserve(arcs.size());
    for (const Arc& a : arcs) {
      const int node = kind_node[static_cast<size_t>(a.e) * 2 +
                                 static_cast<size_t>(p.targets[static_cast<size_t>(a.t)].kind)];
      pair_arc.push_back(add(nodes[static_cast<size_t>(node)],
                             target_node[static_cast<size_t>(a.t)], 1, -(bonus + a.score.scaled)));
    }
    lemon::NetworkSimplex<Graph, int64_t, int64_t> simplex(g);
    simplex.upperMap(upper).costMap(cost).stSupply(source, sink, supply);
    if (simplex.run() != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL)
      return Status::Internal("min-cost flow found no optimum");  // the bypass keeps it feasible
    for (size_t k = 0; k < arcs.size(); ++k) {
      if (simplex.flow(pair_arc[k]) <= 0) continue;
      const Arc& a = arcs[k];
      paired_with[static_cast<size_t>(a.t)] = a.e;
      chosen[static_cast<size_t>(a.t)] = &a;
    }
  }

  for (size_t j = 0; j < n_t; ++j) {
    const PairingTarget& t = p.targets[j];
    if (const Arc* a = chosen[j]) {
      PairingPair pair;
      pair.enterprise = a->e;
      pair.target = static_cast<int>(j);
      pair.score = a->score;
      pair.reasons = Reasons(p, t, a->score);
      EnterpriseUse& use = out.use[static_cast<size_t>(a->e)];
      (t.kind == PairingKind::kCollective ? use.firms : use.villages) += 1;
      out.total_scaled += a->score.scaled;
      out.total_score += a->score.score;
      out.pairs.push_back(std::move(pair));
      continue;
    }
    PairingUnpaired u;
    u.target = static_cast<int>(j);
    const std::string kind = KindZh(t.kind);
    if (!candidates[j].empty()) {
      // Unpaired with a candidate means the candidate is full: a free seat would have covered
      // one more target, which the objective puts first.
      u.reason = UnpairedReason::kCapacityUsed;
      u.candidates = candidates[j];
      std::vector<std::string> names;
      for (size_t k = 0; k < candidates[j].size() && k < kListedNames; ++k)
        names.push_back(p.enterprises[static_cast<size_t>(candidates[j][k])].name);
      u.text = fmt::format("可结对的{}家企业（{}{}）{}名额均已用于覆盖更多村或得分更高的结对",
                           candidates[j].size(), JoinZh(names),
                           candidates[j].size() > kListedNames ? "等" : "", kind);
    } else {
      const bool any_capacity = std::any_of(
          p.enterprises.begin(), p.enterprises.end(),
          [&](const PairingEnterprise& e) { return e.available && Capacity(e, t.kind) > 0; });
      if (!any_capacity) {
        u.reason = UnpairedReason::kNoEnterprise;
        u.text = fmt::format("没有尚有{}名额的可用企业", kind);
      } else if (t.industries.empty()) {
        u.reason = UnpairedReason::kNoIndustry;
        u.text = "村主导产业未识别，无法按产业匹配（可在本轮为其指定产业）";
      } else {
        u.reason = UnpairedReason::kNoIndustryMatch;
        u.text = fmt::format("没有产业相符且尚有{}名额的企业（村产业：{}）", kind,
                             IndustriesZh(t.industries));
      }
    }
    out.unpaired.push_back(std::move(u));
  }
  out.covered = static_cast<int64_t>(out.pairs.size());
  out.output_hash = assess::HashHex(OutputHash(out));
  return out;
}

}  // namespace qiangji::engines::match

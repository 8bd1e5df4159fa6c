#include "services/linkage_json.h"

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "services/json_reader.h"
#include "services/record_json.h"

namespace qiangji::services {
namespace {

namespace econ = engines::economy;

// The shared reader (json_reader.h), with the rules' lenient number.
class Reader : public json_read::Reader {
 public:
  using json_read::Reader::Reader;

  // Any double (1e999 is left to the policy's range check) or an integer within int64;
  // "must be a number" otherwise.
  void GetNumber(std::string_view key, double& out) {
    const json::value* v = Find(key);
    if (!v) return;
    if (v->is_double()) {
      out = v->get_double();
    } else if (std::optional<int64_t> i = json_read::AsInt(*v)) {
      out = static_cast<double>(*i);
    } else {
      Error(key, "must be a number");
    }
  }
};

constexpr std::string_view kPolicyKeys[] = {"county", "weak_threshold_fen", "incentive", "rules",
                                            "note"};
constexpr std::string_view kPolicyIgnored[] = {"id", "version", "is_default", "created_at",
                                               "created_by"};
constexpr std::string_view kIncentiveKeys[] = {"tiers", "marginal", "min_profit_fen",
                                               "min_tenure_months", "cap_fen"};
constexpr std::string_view kTierKeys[] = {"from_fen", "rate_bp"};
constexpr std::string_view kRulesKeys[] = {
    "growth_years",      "min_growth",      "promotion_min_stars",  "promotion_min_tenure_months",
    "honours_min_stars", "no_growth_years", "adjustment_max_stars", "adjustment_min_other"};
constexpr std::string_view kFundingKeys[] = {"source", "funder", "amount_fen", "note"};
constexpr std::string_view kFundingIgnored[] = {"id", "project_id", "division_code"};
constexpr std::string_view kEquityKeys[] = {"person_id", "shares", "granted_on", "conditions"};
constexpr std::string_view kEquityIgnored[] = {"id", "collective_id", "division_code",
                                               "person_name"};

void ReadIncentive(const json::object& o, econ::IncentivePolicy& p, FieldErrors& errors) {
  Reader r(o, "incentive.", errors);
  if (const json::value* v = r.Find("tiers")) {
    if (!v->is_array()) {
      r.Error("tiers", "must be an array of {from_fen, rate_bp}");
    } else {
      p.tiers.clear();
      const json::array& a = v->get_array();
      for (size_t i = 0; i < a.size(); ++i) {
        const std::string at = fmt::format("tiers[{}]", i);
        if (!a[i].is_object()) {
          r.Error(at, "must be an object {from_fen, rate_bp}");
          continue;
        }
        Reader tier(a[i].get_object(), r.Path(at) + ".", errors);
        econ::IncentiveTier t;
        tier.GetInt("from_fen", t.from_fen, "an integer of fen", true);
        tier.GetInt("rate_bp", t.rate_bp, "an integer of basis points (800 = 8%)", true);
        tier.RejectUnknown(kTierKeys);
        p.tiers.push_back(t);
      }
    }
  }
  r.Get("marginal", p.marginal);
  r.GetInt("min_profit_fen", p.min_profit_fen, "an integer of fen");
  r.GetInt("min_tenure_months", p.min_tenure_months, "an integer of months");
  r.GetInt("cap_fen", p.cap_fen, "an integer of fen (0: no cap)");
  r.RejectUnknown(kIncentiveKeys);
}

void ReadRules(const json::object& o, econ::LinkageRules& rules, FieldErrors& errors) {
  Reader r(o, "rules.", errors);
  r.GetInt("growth_years", rules.growth_years, "an integer of years");
  r.GetNumber("min_growth", rules.min_growth);
  r.GetInt("promotion_min_stars", rules.promotion_min_stars, "an integer of stars");
  r.GetInt("promotion_min_tenure_months", rules.promotion_min_tenure_months,
           "an integer of months");
  r.GetInt("honours_min_stars", rules.honours_min_stars, "an integer of stars");
  r.GetInt("no_growth_years", rules.no_growth_years, "an integer of years");
  r.GetInt("adjustment_max_stars", rules.adjustment_max_stars, "an integer of stars");
  r.GetInt("adjustment_min_other", rules.adjustment_min_other, "an integer from 0 to 3");
  r.RejectUnknown(kRulesKeys);
}

json::value Number(double d) {
  if (!std::isfinite(d)) return nullptr;
  return d;
}

}  // namespace

json::object IncentivePolicyJson(const econ::IncentivePolicy& p) {
  json::array tiers;
  for (const econ::IncentiveTier& t : p.tiers)
    tiers.push_back(json::object{{"from_fen", t.from_fen}, {"rate_bp", t.rate_bp}});
  return {{"tiers", std::move(tiers)},
          {"marginal", p.marginal},
          {"min_profit_fen", p.min_profit_fen},
          {"min_tenure_months", p.min_tenure_months},
          {"cap_fen", p.cap_fen}};
}

json::object LinkageRulesJson(const econ::LinkageRules& r) {
  return {{"growth_years", r.growth_years},
          {"min_growth", Number(r.min_growth)},
          {"promotion_min_stars", r.promotion_min_stars},
          {"promotion_min_tenure_months", r.promotion_min_tenure_months},
          {"honours_min_stars", r.honours_min_stars},
          {"no_growth_years", r.no_growth_years},
          {"adjustment_max_stars", r.adjustment_max_stars},
          {"adjustment_min_other", r.adjustment_min_other}};
}

json::object LinkagePolicyDocument(const LinkagePolicy& p) {
  return {{"weak_threshold_fen", p.weak_threshold_fen},
          {"incentive", IncentivePolicyJson(p.incentive)},
          {"rules", LinkageRulesJson(p.rules)}};
}

json::object LinkagePolicyJson(const LinkagePolicy& p) {
  json::object o;
  o["id"] = p.id != 0 ? json::value(p.id) : json::value(nullptr);
  o["county"] = p.scope;
  o["version"] = p.version;
  o["is_default"] = p.is_default;
  o["weak_threshold_fen"] = p.weak_threshold_fen;
  o["incentive"] = IncentivePolicyJson(p.incentive);
  o["rules"] = LinkageRulesJson(p.rules);
  o["note"] = p.note;
  o["created_at"] = TextOrNull(p.created_at);
  o["created_by"] = TextOrNull(p.created_by);
  return o;
}

Result<LinkagePolicy> LinkagePolicyFromJson(const json::object& o, const LinkagePolicy& base) {
  FieldErrors errors;
  Reader r(o, "", errors);
  LinkagePolicy p = base;
  p.id = 0;
  p.version = 0;
  p.is_default = false;
  p.created_at.clear();
  p.created_by.clear();
  r.Get("county", p.scope);
  r.GetInt("weak_threshold_fen", p.weak_threshold_fen, "an integer of fen");
  if (const json::object* incentive = r.Object("incentive"))
    ReadIncentive(*incentive, p.incentive, errors);
  if (const json::object* rules = r.Object("rules")) ReadRules(*rules, p.rules, errors);
  r.Get("note", p.note);
  r.RejectUnknown(kPolicyKeys, kPolicyIgnored);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return p;
}

json::object LinkageDecisionJson(const LinkageDecision& d) {
  json::array reasons;
  for (const std::string& line : d.reasons) reasons.emplace_back(line);
  json::array steps;
  for (const LinkageDecision::Step& s : d.steps)
    steps.push_back(json::object{{"from", TextOrNull(s.from)},
                                 {"to", s.to},
                                 {"comment", s.comment},
                                 {"at", s.at},
                                 {"by", s.by}});
  json::object o;
  o["id"] = d.id;
  o["policy_id"] = d.policy_id;
  o["policy_version"] = d.policy_version;
  o["year"] = d.year;
  o["kind"] = d.kind;
  o["division_code"] = DivisionCodeJson(d.division_code);
  o["village_name"] = d.village_name;
  o["person_id"] = d.person_id != 0 ? json::value(d.person_id) : json::value(nullptr);
  o["person_name"] = d.person_name;
  o["amount_fen"] = d.amount_fen;
  o["score"] = Number(d.score);
  o["reasons"] = std::move(reasons);
  o["status"] = d.status;
  o["steps"] = std::move(steps);
  return o;
}

json::object PolicyPreviewJson(const PolicyPreview& p) {
  json::array rows;
  for (const PolicyPreview::Row& row : p.rows) {
    json::array lines;
    for (const std::string& line : row.lines) lines.emplace_back(line);
    json::object o;
    o["division_code"] = DivisionCodeJson(row.division_code);
    o["village_name"] = row.village_name;
    o["profit_last_fen"] = row.reported_last ? json::value(row.profit_last_fen) : nullptr;
    o["profit_fen"] = row.profit_fen;
    o["increase_fen"] =
        row.reported_last ? json::value(row.profit_fen - row.profit_last_fen) : nullptr;
    o["manager_id"] = row.manager_id != 0 ? json::value(row.manager_id) : nullptr;
    o["manager_name"] = row.manager_name;
    o["tenure_months"] = row.tenure_months;
    o["bonus_current_fen"] = row.bonus_current_fen;
    o["bonus_proposed_fen"] = row.bonus_proposed_fen;
    o["lines"] = std::move(lines);
    rows.push_back(std::move(o));
  }
  json::object o;
  o["year"] = p.year;
  o["rows"] = std::move(rows);
  o["total_current_fen"] = p.total_current_fen;
  o["total_proposed_fen"] = p.total_proposed_fen;
  o["promotion_current"] = p.promotion_current;
  o["promotion_proposed"] = p.promotion_proposed;
  o["honours_current"] = p.honours_current;
  o["honours_proposed"] = p.honours_proposed;
  o["adjustment_current"] = p.adjustment_current;
  o["adjustment_proposed"] = p.adjustment_proposed;
  return o;
}

json::object ProjectFundingJson(const ProjectFunding& f) {
  return {{"id", f.id},
          {"project_id", f.project_id},
          {"division_code", DivisionCodeJson(f.division_code)},
          {"source", f.source},
          {"funder", f.funder},
          {"amount_fen", f.amount_fen},
          {"note", f.note}};
}

Result<ProjectFunding> ProjectFundingFromJson(const json::object& o) {
  FieldErrors errors;
  Reader r(o, "", errors);
  ProjectFunding f;
  r.Get("source", f.source, true);
  r.Get("funder", f.funder);
  r.GetInt("amount_fen", f.amount_fen, "an integer of fen", true);
  r.Get("note", f.note);
  r.RejectUnknown(kFundingKeys, kFundingIgnored);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return f;
}

json::object EquityIncentiveJson(const EquityIncentive& e) {
  return {{"id", e.id},
          {"collective_id", e.collective_id},
          {"division_code", DivisionCodeJson(e.division_code)},
          {"person_id", e.person_id},
          {"person_name", e.person_name},
          {"shares", e.shares},
          {"granted_on", e.granted_on.ToString()},
          {"conditions", e.conditions}};
}

Result<EquityIncentive> EquityIncentiveFromJson(const json::object& o) {
  FieldErrors errors;
  Reader r(o, "", errors);
  EquityIncentive e;
  r.GetInt("person_id", e.person_id, "a person's id", true);
  r.GetInt("shares", e.shares, "an integer count of shares", true);
  std::optional<Date> granted;
  r.GetDate("granted_on", granted, true);
  if (granted) e.granted_on = *granted;
  r.Get("conditions", e.conditions);
  r.RejectUnknown(kEquityKeys, kEquityIgnored);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return e;
}

}  // namespace qiangji::services

// Enterprise pairing (企到村 and 企到企, issue 4 point 6) as plain data: the county's register of
// enterprises willing to help, the closed vocabulary of industries both sides speak, the keyword
// table that reads a village's free-text main industries into that vocabulary, and pairing runs
// with their targets and pairings. Invariants only; services store them, engines/match/pairing.h
// solves them. Rules and formulas: docs/enterprise-pairing.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/records.h"

namespace qiangji::domain {

// Ownership of an enterprise (企业性质).
inline constexpr std::string_view kOwnerships[] = {
    "state",       // 国有企业
    "private",     // 民营企业
    "collective",  // 集体企业
    "foreign",     // 外资企业
};

// Industries (产业) of enterprises and villages: one vocabulary for both sides, the matching
// engine and the UI (enum.industry.* in web/src/i18n/pairing.js).
inline constexpr std::string_view kIndustries[] = {
    "planting_breeding",       // 种养殖
    "food_processing",         // 农产品加工
    "rural_tourism",           // 乡村旅游
    "e_commerce_logistics",    // 电商物流
    "construction_materials",  // 建筑建材
    "manufacturing",           // 制造业
    "energy",                  // 新能源
    "finance",                 // 金融服务
    "health_care",             // 医疗康养
    "culture_creative",        // 文化创意
    "trade_services",          // 商贸服务
};
// The zh-CN name of an industry ("农产品加工"), or the identifier itself when unknown.
std::string_view IndustryNameZh(std::string_view industry);
std::string_view OwnershipNameZh(std::string_view ownership);

// The two kinds of pairing: an enterprise helps a village (企到村) or the village's collective
// economic organization (企到企, the collective's firm).
inline constexpr std::string_view kPairingKinds[] = {"village", "collective"};
std::string_view PairingKindNameZh(std::string_view kind);  // "企到村" / "企到企"

inline constexpr int kMaxEnterpriseCapacity = 20;
inline constexpr int kMaxPreferredAreas = 5;
inline constexpr int kMaxEnterpriseIndustries = 5;

// An enterprise in a county's register (企业库). The contact phone is personal data like a
// cadre's: plain only on the way in, encrypted at rest (services), masked on the way out.
struct Enterprise {
  int64_t id = 0;
  int64_t county_code = 0;  // the register's county (12-digit value of its 6-digit prefix)
  std::string name;         // 1..60 characters, unique in the county's register
  std::string ownership = "private";    // kOwnerships
  std::vector<std::string> industries;  // kIndustries, 1..5, no repeats
  // Where it is (12-digit value of any level: a prefecture city's firm may be known only by the
  // city). The proximity score compares it with the village's code.
  int64_t location_code = 0;
  // Areas it prefers to help (0..5 division prefixes of 2, 4, 6 or 9 digits, e.g. "130624100"):
  // a village under one counts as close as the same township.
  std::vector<std::string> preferred_areas;
  int capacity_villages = 1;  // 0..20 villages it can take on at once (企到村)
  int capacity_firms = 0;     // 0..20 collective firms it can take on at once (企到企)
  std::string contact_name;   // 0..40 characters
  std::string contact_phone;  // optional 11-digit mobile; masked in views
  bool available = true;      // takes part in the next pairing run
  std::string note;           // 0..500 characters
  std::string updated_at;
};
Status ValidateEnterprise(const Enterprise& e);
// The capacity of one kind ("village" or "collective").
int CapacityOf(const Enterprise& e, std::string_view kind);

// ---- a village's industries, read from its free-text main industries ----

// One row of the keyword table: a word that, found inside a village's main-industry entry,
// names an industry. A word may name two industries (食用菌: grown and processed), so an
// enterprise in either fits. The table is documented in docs/enterprise-pairing.md.
struct IndustryKeyword {
  std::string_view word;
  std::string_view industry;
};
std::span<const IndustryKeyword> IndustryKeywords();

// What one entry of main_industries contributed: the entry as written ("肉牛养殖") and an
// industry it names ("planting_breeding").
struct IndustryMatch {
  std::string text;
  std::string industry;
};
// Every (entry, industry) found, entries in their order, each industry once (the first entry
// that names it wins); entries that name nothing are skipped.
std::vector<IndustryMatch> MatchIndustries(std::span<const std::string> main_industries);
// The industries alone, in kIndustries order.
std::vector<std::string> DeriveIndustries(std::span<const std::string> main_industries);

// ---- pairing runs ----

inline constexpr std::string_view kPairingRunStatuses[] = {"draft", "matched", "confirmed"};

// How a run scores and filters pairs (docs/enterprise-pairing.md "Score").
struct PairingWeights {
  double industry = 0.5;  // x industry overlap |E ∩ T| / |T|
  double area = 0.3;      // x proximity (same township 1 ... same province 0.1)
  double priority = 0.2;  // x the target's priority / 100
};
struct PairingRules {
  // A pair needs at least one industry in common; off, any available enterprise may be paired.
  bool require_industry_overlap = true;
};
struct PairingParams {
  PairingWeights weights;
  PairingRules rules;
  double min_priority = 30;  // villages below this priority are not targets
  std::vector<std::string> kinds = {"village", "collective"};  // kPairingKinds, 1..2
};

struct PairingRun {
  int64_t id = 0;
  std::string scope;             // county prefix (6 digits)
  std::string name;              // 1..80 characters, e.g. "2026年企业结对帮扶"
  std::string status = "draft";  // kPairingRunStatuses
  PairingParams params;
  Date start_date;  // of the confirmed pairings, which run two years
  std::string created_at, created_by, matched_at, confirmed_at;
};
Status ValidatePairingRun(const PairingRun& r);
inline constexpr int kPairingTermMonths = 24;

// One target of a run: a village (企到村) or its collective economic organization (企到企),
// snapshotted when the run is created, with the village's need as it was then.
struct PairingTarget {
  int64_t run_id = 0;
  int64_t division_code = 0;
  std::string kind = "village";  // kPairingKinds
  std::string name;              // the village's name
  int64_t township_code = 0;
  std::string township_name;
  std::vector<std::string> industries;       // kIndustries: derived, or set by the county
  bool derived = true;                       // read from main_industries (false: set by the county)
  std::vector<std::string> main_industries;  // the village's words, as at creation
  double priority = 0;                       // 0..100, from the needs
  std::string priority_label;  // the largest need reason in words, e.g. "软弱涣散村"
  bool included = true;        // false: dropped from the run by the county
};
// The industries of a target set by the county: kIndustries, 0..5, no repeats; errors name
// "industries[i]".
Status ValidateTargetIndustries(std::span<const std::string> industries);

// A pair of a run's result, and once confirmed a pairing with its dates.
struct Pairing {
  int64_t run_id = 0;
  int64_t enterprise_id = 0;
  int64_t division_code = 0;
  std::string kind = "village";
  double score = 0;
  std::vector<std::string> reasons;  // zh-CN sentences
  std::optional<Date> start_date;    // set when confirmed
  std::optional<Date> end_date;      // start + 2 years (first day without the pairing)
};

}  // namespace qiangji::domain

// Dispatch (双选派) as plain data: the pool of cadres who may be sent as first secretaries (and
// later instructors), each village's needs with their reasons, and dispatch rounds with their
// preferences and assignments. Invariants only; services store them, engines/match solves them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/records.h"

namespace qiangji::domain {

// Kinds of sending unit (派出单位).
inline constexpr std::string_view kUnitKinds[] = {
    "party_agency",        // 党政机关
    "public_institution",  // 事业单位
    "state_enterprise",    // 国有企业
    "university",          // 高校
    "hospital",            // 医院
    "financial",           // 金融机构
    "private_enterprise",  // 民营企业 (where many local worthies work)
    "self_employed",       // 个体经营
    "other",
};

// Kinds of people in the county's dispatch pool: cadres sent by a unit (first secretaries,
// instructors; never to their home county) and local worthies (乡贤, advisors to their home
// place). One table, one set of personal-data rules.
inline constexpr std::string_view kPoolKinds[] = {"cadre", "worthy"};

// Work types a village needs and a cadre (or worthy) brings: one vocabulary for both sides, the
// pool, the needs and the matching engine (engines/match/fit.h uses this list).
inline constexpr std::string_view kWorkSkills[] = {
    "party_building",         // 党建
    "industry",               // 产业发展
    "agronomy",               // 农业技术
    "law_petitions",          // 法治与信访
    "planning_construction",  // 规划建设
    "finance",                // 财务与集体经济管理
    "e_commerce",             // 电商
    "governance",             // 基层治理
    "health",                 // 医疗卫生
    "education",              // 教育
};

// Roles a round fills, and what its receivers are:
//   first_secretary, instructor_resident: villages, one seat each; cadres.
//   instructor_circuit: circuits, one work type in one township, several villages per instructor
//                       up to RoundRules.circuit_capacity; cadres with that skill.
//   instructor_tracking: projects (planned or underway, not yet followed), one instructor each
//                        from the round's start (or the project's, if later) to its end; cadres.
//   advisor: villages, one seat each; local worthies, who prefer their hometown.
inline constexpr std::string_view kDispatchRoles[] = {
    "first_secretary",       // 第一书记
    "instructor_resident",   // 驻村指导员
    "instructor_circuit",    // 巡回指导员
    "instructor_tracking",   // 跟踪指导员
    "advisor",               // 乡贤顾问
};
// The post a confirmed assignment of the role creates (kPostKinds).
std::string_view PostKindOfRole(std::string_view role);  // "first_secretary"|"instructor"|"advisor"
// The pool kind a role draws on: "worthy" for advisor, "cadre" otherwise.
std::string_view PoolKindOfRole(std::string_view role);

// A cadre in the county's pool (干部人才库). The ID number is personal data like a person's:
// plain only on the way in, encrypted at rest (services), masked on the way out. On
// confirmation the cadre becomes (or is found as, by ID number) a person of the village he is
// sent to, holding the first_secretary post there.
struct Cadre {
  int64_t id = 0;
  int64_t county_code = 0;  // the pool's county (12-digit value of its 6-digit prefix)
  std::string kind = "cadre";  // kPoolKinds: "cadre" or "worthy" (乡贤)
  std::string name;         // 1..40 characters
  Sex sex = Sex::kMale;
  std::optional<Date> birth_date;
  std::string id_number;    // GB 11643, required; masked in views
  std::string phone;        // optional 11-digit mobile; masked in views
  std::string sending_unit;                 // 派出单位, 1..80 characters
  std::string unit_kind = "party_agency";   // kUnitKinds
  std::vector<std::string> skills;          // kWorkSkills, 1..5, no repeats
  // Home division (12-digit value of any level; not necessarily imported): the avoidance rule
  // compares its first 6 digits with the village's county.
  int64_t home_code = 0;
  std::string residence;  // where a worthy lives now, 0..40 characters (optional)
  bool available = true;  // may be sent in the next round
  int term_months = 24;   // 6..60; the default first-secretary term is 2 years
  std::string note;
  int64_t person_id = 0;  // set once confirmed in a round
  std::string updated_at;
};
Status ValidateCadre(const Cadre& c);

// Why a village needs someone sent, with the evidence (shown to users).
struct NeedReason {
  std::string source;  // "weak_lax", "low_stars", "petitions", "key_village",
                       // "relocation_settlement", "lifted_from_poverty", "secretary_vacant"
  std::string evidence;  // zh-CN sentence, e.g. "2025年度考核被认定为软弱涣散（群众满意度52.0%）"
  double points = 0;     // its share of the priority score
};

// A post a village needs as of today (the needs list, GET /dispatch/needs), by the default round
// rules: docs/dispatch.md section 1.
struct NeededPost {
  std::string role;       // kDispatchRoles: first_secretary, instructor_circuit, instructor_tracking, advisor
  std::string work_type;  // instructors: the work type (kWorkSkills); empty otherwise
  int64_t project_id = 0;  // instructor_tracking: the project followed
  std::string project_name;
};

struct VillageNeed {
  int64_t division_code = 0;
  std::string name;
  int64_t township_code = 0;
  std::string township_name;
  double priority = 0;  // 0..100: the sum of the reasons' points, capped at 100
  std::vector<NeedReason> reasons;  // largest first
  std::vector<std::pair<std::string, double>> skills;  // kWorkSkills with weights summing to 1
  bool needs_first_secretary = false;  // priority at or above the round's threshold, or a
                                       // weak-and-lax / key village (the seed's rule)
  bool has_first_secretary = false;    // a current first_secretary post
  std::vector<NeededPost> posts;       // filled by the needs list only (not stored with rounds)
};

inline constexpr std::string_view kRoundStatuses[] = {"draft", "preferences_open", "matched",
                                                      "confirmed"};

struct RoundRules {
  bool avoid_home_county = true;  // no cadre in his home county (never applied to worthies)
  int max_per_unit_per_township = 1;  // one sending unit sends at most this many to a township; 0 = no limit
  double min_priority = 30;  // villages below this need no first secretary (unless weak-lax/key)
  int circuit_capacity = 5;  // instructor_circuit: villages one instructor covers, 1..20
};

struct DispatchRound {
  int64_t id = 0;
  std::string scope;  // county prefix (6 digits)
  std::string role = "first_secretary";  // kDispatchRoles
  std::string name;   // e.g. "2026年第一书记选派"
  std::string status = "draft";  // kRoundStatuses
  std::string mode = "stable";   // "stable" (deferred acceptance) | "optimal" (max total fit)
  std::string proposing = "people";  // "people" (cadre-optimal) | "villages" (village-optimal)
  uint64_t seed = 1;  // the tie-breaking lottery
  RoundRules rules;
  Date start_date;      // of the confirmed assignments
  std::string created_at, created_by, matched_at, confirmed_at;
};
Status ValidateRound(const DispatchRound& r);

// A ranked list submitted by (or derived for) one participant. Tiers: best first, ties inside.
struct Preference {
  int64_t round_id = 0;
  std::string side;   // "cadre" | "village"
  int64_t owner = 0;  // cadre id or village division code
  std::vector<std::vector<int64_t>> tiers;  // village codes (for a cadre) or cadre ids
  bool derived = false;  // computed from fit scores because none was submitted
  std::string updated_at;
};

struct Assignment {
  int64_t round_id = 0;
  int64_t cadre_id = 0;
  int64_t division_code = 0;  // the village; for a circuit, its township
  int64_t unit_id = 0;        // circuit (round_unit id) or project id; 0 for a village
  std::vector<int64_t> villages;  // the villages covered (a circuit's share; else the one)
  double fit = 0;
  int cadre_rank = 0;    // 1-based tier of the village in the cadre's list
  int village_rank = 0;  // 1-based tier of the cadre in the village's list
  std::optional<Date> start_date;  // set when confirmed
  std::optional<Date> end_date;    // start + term (first day without the post)
  int64_t post_id = 0;             // the (first) post created on confirmation
  std::vector<int64_t> post_ids;   // every post created (one per village covered)
};

// A village's long project (construction, industry, revitalization) that a tracking instructor
// follows from start to end. Funding sources and amounts come with the collective economy.
inline constexpr std::string_view kProjectStatuses[] = {"planned", "underway", "done", "stopped"};
struct Project {
  int64_t id = 0;
  int64_t division_code = 0;  // the village
  std::string name;           // 1..60 characters
  std::string work_type;      // kWorkSkills: the expertise it needs
  Date start_date;
  Date end_date;              // planned end, after start_date
  std::string status = "planned";  // kProjectStatuses
  std::string description;    // 0..500 characters
  std::string updated_at;
  // For display, filled by the services from the registry (not stored, not validated).
  std::string village_name;
  int64_t township_code = 0;
  std::string township_name;
};
Status ValidateProject(const Project& p);

}  // namespace qiangji::domain

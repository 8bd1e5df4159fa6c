// Indicator sets for the yearly classified assessment of village Party organizations: which
// measures are scored, under which of the seed's five dimensions, with which direction,
// normalisation and weight; how weights are derived (manual, AHP, entropy, blend); how scores
// become stars and classes; which rules veto a rating or mark an organization weak-and-lax.
// Plain data and its invariants only: the JSON form lives in services/assess_codec.h, the
// arithmetic in engines/assess/. Format and meaning: docs/indicator-sets.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace qiangji::domain {

// The seed's five dimensions, in this order everywhere (tables, charts, JSON).
inline constexpr std::string_view kAssessDimensions[] = {
    "team_operation",   // 班子运行
    "capability",       // 工作能力
    "morale",           // 精神状态
    "public_response",  // 群众反映
    "conflicts",        // 矛盾问题
};

// Where a measure's value comes from. The first four are the seed's evidence sources, entered
// per village per period; "records" are computed from the foundation's data (posts, people,
// Party organizations) as of the end of the assessment year, never typed in.
inline constexpr std::string_view kEvidenceSources[] = {
    "periodic_rating",      // 季度/定期评星: quarterly score, meetings, disclosure, petitions
    "spot_check",           // 随机抽查/督查: findings with severity
    "duty_report",          // 年度述职评议: votes 优秀/称职/基本称职/不称职, development target
    "satisfaction_survey",  // 群众满意度测评: responses and satisfied count
    "records",              // computed from posts, people and Party organizations
};

// A measure qiangji knows how to obtain for a village and a year. Indicators score measures;
// a set can only use measures from this catalogue (so every value has a known origin).
struct MeasureInfo {
  std::string_view key;
  std::string_view source;  // from kEvidenceSources
  std::string_view unit;    // "points", "share", "count", "years", "months", "flag", "times"
  std::string_view label_zh;
  std::string_view label_en;
};

// The catalogue. Definitions (what exactly is counted, for which dates) are in
// docs/indicator-sets.md; the code that computes them is services/assess_measures.cc.
inline constexpr MeasureInfo kMeasures[] = {
    // records (as of 31 December of the year, or today for the current year)
    {"two_committee_avg_age", "records", "years", "两委成员平均年龄", "Two-committee average age"},
    {"cadre_under_35", "records", "flag", "有35岁以下村干部", "Has a cadre under 35"},
    {"woman_member", "records", "flag", "两委有女性成员", "Has a woman member"},
    {"college_share", "records", "share", "两委大专以上学历占比",
     "Two-committee share with college education"},
    {"secretary_vacancy_months", "records", "months", "书记空缺月数",
     "Months the secretary post is vacant"},
    {"term_overdue", "records", "flag", "班子逾期未换届", "Term overdue"},
    {"members_under_35_share", "records", "share", "35岁以下党员占比",
     "Share of members under 35"},
    {"new_members_3y", "records", "count", "近三年发展党员数", "Members admitted in 3 years"},
    {"reserve_cadres", "records", "count", "后备干部人数", "Reserve cadres"},
    // periodic ratings (the year's quarters)
    {"periodic_score", "periodic_rating", "points", "定期评星平均分", "Mean periodic rating"},
    {"meetings_held", "periodic_rating", "count", "三会一课召开次数",
     "Meetings held (three meetings, one lesson)"},
    {"affairs_disclosures", "periodic_rating", "times", "村务公开次数",
     "Village-affairs disclosures"},
    {"finance_disclosed_quarters", "periodic_rating", "count", "财务公开季度数",
     "Quarters with finances disclosed"},
    {"petitions", "periodic_rating", "count", "信访件数", "Petitions"},
    // spot checks (dated within the year)
    {"spot_check_findings", "spot_check", "points", "抽查问题加权数",
     "Spot-check findings, severity-weighted"},
    {"serious_findings", "spot_check", "count", "严重问题数", "Serious findings"},
    // annual duty report
    {"duty_good_share", "duty_report", "share", "述职评议优秀称职率",
     "Duty report: share rated excellent or competent"},
    {"duty_excellent_share", "duty_report", "share", "述职评议优秀率",
     "Duty report: share rated excellent"},
    {"development_target", "duty_report", "flag", "有发展目标", "Has a development target"},
    // satisfaction survey
    {"satisfaction_rate", "satisfaction_survey", "share", "群众满意度", "Satisfaction rate"},
    // cultivation (issue 6, docs/cultivation.md): team health and training, from records
    {"two_committee_under_45_share", "records", "share", "两委45岁以下成员占比",
     "Two-committee share under 45"},
    {"wealth_leader_share", "records", "share", "两委中致富带头人占比",
     "Two-committee share of wealth leaders"},
    {"reserve_shortfall", "records", "count", "后备干部缺额", "Reserve cadres short of target"},
    {"training_met_share", "records", "share", "两委年度培训学时达标率",
     "Two-committee share meeting the annual training hours"},
};

const MeasureInfo* FindMeasure(std::string_view key);  // nullptr when unknown

struct IndicatorDef {
  std::string key;      // unique in the set, [a-z0-9_], e.g. "avg_age"
  std::string measure;  // from kMeasures
  std::string dimension;  // from kAssessDimensions
  std::string label_zh;
  std::string label_en;
  std::string direction = "benefit";  // "benefit" (more is better) | "cost"
  std::string unit;                   // shown beside values; defaults to the measure's unit
  // "minmax_fixed" (needs lower < upper), "minmax_data", "target" (needs target; benefit uses
  // lower as the 0 point, cost uses upper), "zscore".
  std::string normalisation = "minmax_fixed";
  double lower = 0;
  double upper = 1;
  double target = 0;
  double weight = 0;  // the indicator's weight within its dimension (manual weighting)
  // Indicators with a missing value for a village (no evidence entered) get this value, and
  // the result says so; absent = the village gets 0 on the normalised scale.
  std::optional<double> missing_value;
  std::string rationale_zh;  // why it is there (shown in the editor and docs)
};

struct DimensionDef {
  std::string key;     // from kAssessDimensions
  double weight = 0;   // the dimension's share of 100 points (manual weighting)
};

// A pairwise comparison matrix over the dimensions ("dimensions") or over the indicators of one
// dimension (its key). Row-major; a[i][j] = how much more important item i is than item j.
struct AhpMatrixDef {
  std::string name;                 // "dimensions" or a dimension key
  std::vector<std::string> items;   // dimension or indicator keys, in matrix order
  std::vector<double> a;            // items.size()^2 entries
};

struct WeightingDef {
  // "manual": dimension weight x indicator weight.
  // "ahp": dimension weights from the "dimensions" matrix, indicator weights from each
  //        dimension's matrix (a dimension with one indicator needs no matrix).
  // "entropy": objective weights from this run's data over all indicators.
  // "blend": alpha x subjective (manual or ahp, per `subjective`) + (1 - alpha) x entropy,
  //          or the multiplicative rule.
  std::string method = "manual";
  std::string subjective = "ahp";  // for blend: "manual" | "ahp"
  double alpha = 0.7;
  std::string blend_rule = "additive";  // "additive" | "multiplicative"
  std::vector<AhpMatrixDef> ahp;
};

struct ScoringDef {
  std::string method = "weighted_sum";  // "weighted_sum" | "topsis"
  std::string topsis_normalisation = "minmax";  // "minmax" | "vector"
  bool fixed_ideals = true;  // TOPSIS against the scale's 0 and 1, comparable across years
};

struct BandsDef {
  std::string method = "thresholds";  // "thresholds" | "quotas"
  std::vector<double> thresholds = {60, 70, 80, 90};  // minimum scores of 2..5 stars
  std::vector<double> top_shares;                    // quotas: 5 stars first
};

// 一票否决: when the rule fires for a village, its star is capped at max_stars.
// Rules: "serious_finding" (a serious spot-check finding in the year), "weak_lax" (any
// weak-and-lax trigger fired), "term_overdue".
struct VetoDef {
  std::string rule;
  int max_stars = 1;
};

// The weak-and-lax (软弱涣散) criteria, each one a rule with its evidence; 0 or false = off.
struct WeakLaxDef {
  int secretary_vacant_months = 3;       // secretary post vacant longer than this
  int no_development_target_years = 2;   // no development target in this many consecutive years
  bool last_in_county = true;            // the lowest score of the run
  double satisfaction_below = 0.60;      // survey satisfaction rate below this
  int petitions_at_least = 10;           // petitions in the year (concentrated petitions)
  bool not_disclosed = true;             // a quarter with no village-affairs or no financial disclosure
  int weak_lax_max_stars = 1;            // this star or fewer is weak-and-lax by itself; 0 = never
};

struct ClassesDef {
  int model_min_stars = 5;  // 示范: this star or more, no veto and no weak-and-lax trigger
};

struct WarningDef {
  double score_drop = 10;  // points against the previous period; 0 = off
  int star_drop = 1;       // stars against the previous period; 0 = off
};

struct SensitivityDef {
  uint64_t seed = 20250101;
  int draws = 1000;
  double spread = 0.10;
  double stable_threshold = 0.05;
};

struct IndicatorSet {
  int64_t id = 0;       // storage id; 0 before it is stored
  std::string key;      // e.g. "village-default"; versions share the key
  int version = 1;      // set by storage: 1, 2, ... per key
  std::string name_zh;
  std::string name_en;
  std::string note;     // what changed in this version
  std::vector<DimensionDef> dimensions;  // all five, in kAssessDimensions order
  std::vector<IndicatorDef> indicators;  // grouped by dimension, in display order
  WeightingDef weighting;
  ScoringDef scoring;
  BandsDef bands;
  std::vector<VetoDef> vetoes;
  WeakLaxDef weak_lax;
  ClassesDef classes;
  WarningDef warning;
  SensitivityDef sensitivity;
  int notice_days = 5;  // 公示 period after publishing
  std::string created_at;
  std::string created_by;
};

// Structural checks with field errors naming the JSON path ("indicators[3].measure",
// "dimensions[1].weight", "weighting.ahp[0].a[2][1]"...): known measures/dimensions/sources,
// unique keys, bounds that fit the normalisation, manual weights that sum to 1 (dimensions)
// and to 1 within each dimension (1e-6), AHP matrices square over the right items, positive,
// reciprocal (tolerance 0.02) with unit diagonal, bands ascending / shares in (0,1] summing to
// at most 1, vetoes known with max_stars in 1..MaxStars, notice_days 0..30. Consistency ratios
// (CR < 0.10) are checked by the engine, which names the matrix and its CR.
Status ValidateIndicatorSet(const IndicatorSet& set);

}  // namespace qiangji::domain

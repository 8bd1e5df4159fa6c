// One whole assessment: an indicator set applied to the villages of one county (or any group) for
// one year. Derives the weights (manual / AHP / entropy / blend), scores, bands, applies the
// weak-and-lax rules and vetoes, classes, warnings against the previous period, the both-ends
// split per township and for the whole run, each village's explanation, and the seeded weight
// sensitivity. Pure and deterministic: the same RunInput gives bit-identical output and hashes.
// Used by services (runs on the database) and by `qiangji assess solve` (a standalone file).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/indicator_set.h"
#include "engines/assess/weights.h"

namespace qiangji::engines::assess {

// Number of measures in domain::kMeasures; VillageInput::measures is indexed like it.
size_t MeasureCount();
// Index of a measure key in domain::kMeasures, or -1.
int MeasureIndex(std::string_view key);

// Facts behind the weak-and-lax rules and vetoes, gathered by services (or given in a problem
// file). Each fired rule quotes them as its evidence.
struct VillageFacts {
  std::string secretary_vacant_since;  // ISO date when vacant at the reference date, else ""
  int secretary_vacancy_months = 0;    // whole months vacant at the reference date
  int years_without_target = 0;  // consecutive years up to this one whose duty report set none
  int quarters_rated = 0;
  std::vector<std::string> quarters_without_affairs_disclosure;   // e.g. {"2025Q2"}
  std::vector<std::string> quarters_without_finance_disclosure;
  std::vector<std::string> serious_findings;  // "2025-06-03 财务管理: ..." one per finding
  std::string term_expiry;                     // ISO date when overdue at the reference date
};

struct VillageInput {
  int64_t code = 0;  // 12-digit division code
  std::string name;
  int64_t township_code = 0;  // 9 digits padded to 12 (the division's parent)
  std::string township_name;
  // One value per domain::kMeasures entry; NaN = missing (no evidence entered).
  std::vector<double> measures;
  VillageFacts facts;
  std::optional<double> previous_score;  // the previous period's final/published result
  std::optional<int> previous_stars;
};

struct RunInput {
  domain::IndicatorSet set;  // validated by the caller or by RunAssessment
  int year = 0;
  std::vector<VillageInput> villages;  // at least 1; order is kept in the output
  bool sensitivity = true;             // run the Monte Carlo (set.sensitivity)
};

struct MatrixReport {  // one AHP matrix as used
  std::string name;
  std::vector<std::string> items;
  std::vector<double> weights;
  double lambda_max = 0, ci = 0, ri = 0, cr = 0;
};

struct IndicatorLine {  // one indicator of one village
  double value = 0;      // raw (after missing_value substitution); NaN when missing and no default
  bool missing = false;  // no evidence entered
  double normalised = 0;     // 0..1, direction applied
  double contribution = 0;   // points: 100 x weight x normalised (weighted sum); 0 for TOPSIS
  double township_median = 0;  // normalised median of the village's township
};

struct RuleHit {  // a weak-and-lax trigger or a veto that fired
  std::string rule;      // "secretary_vacant", "no_development_target", "last_in_county",
                         // "low_satisfaction", "concentrated_petitions", "not_disclosed",
                         // "low_stars"; vetoes: "serious_finding", "weak_lax", "term_overdue"
  std::string evidence;  // zh-CN sentence quoting the facts, e.g. "书记岗位自2025-02-01起空缺10个月"
};

struct Gap {
  std::string indicator;  // key
  double gap = 0;         // normalised value minus township median
  double points = 0;      // in score points
};

struct Lift {
  std::string indicator;
  double value_from = 0, value_to = 0;            // in the indicator's unit
  double normalised_from = 0, normalised_to = 0;
};

struct VillageResult {
  int64_t code = 0;
  double score = 0;                     // 0..100
  std::vector<double> dimension_scores;  // 5, kAssessDimensions order: points earned per dimension
  std::vector<IndicatorLine> lines;     // one per set.indicators
  int band_stars = 0;
  int stars = 0;
  std::vector<std::string> capped_by;  // veto rules that lowered the star
  std::string rating_class;            // "model" | "ordinary" | "weak_lax"
  std::vector<RuleHit> weak_lax;       // triggers fired (each with evidence)
  std::vector<RuleHit> vetoes;         // vetoes fired
  int county_rank = 0;  double county_percentile = 0;
  int township_rank = 0; double township_percentile = 0;
  std::vector<Gap> gaps;    // up to 3 largest gaps against the township median
  std::vector<Lift> lifts;  // up to 3 smallest single-indicator changes to the next star
  std::optional<double> next_star_cut;  // the next band's minimum score; none at the top
  double points_to_next_star = 0;       // 0 at the top
  bool warning = false;  // early warning against the previous period
  double points_lost = 0;
  int stars_lost = 0;
  double change_probability = 0;  // sensitivity: share of draws in which the star changed
};

struct GroupEnds {  // both ends of one group
  int64_t code = 0;  // township code, or 0 for the whole run (county)
  std::string name;
  std::vector<int64_t> top;     // village codes
  std::vector<int64_t> bottom;
  struct Middle { int64_t code; double points_to_next_star; };
  std::vector<Middle> middle;   // nearest to the next star first
};

struct RunOutput {
  std::vector<std::string> indicator_keys;
  std::vector<double> weights;            // final, per indicator, summing to 1
  std::vector<double> dimension_weights;  // 5, sums of their indicators' weights
  std::vector<MatrixReport> ahp;          // when AHP was used
  std::vector<double> entropy_weights;    // when entropy or blend was used
  std::vector<double> cuts;               // minimum score of 2, 3, ... stars
  std::vector<VillageResult> villages;    // input order
  std::vector<int64_t> star_counts;       // index s = villages with s stars (0 unused)
  int64_t model_count = 0, weak_lax_count = 0, warning_count = 0;
  std::vector<GroupEnds> both_ends;       // county (code 0) first, then townships by code
  double stable_share = 1;                // sensitivity; 1 when not run
  double mean_unchanged_share = 1;
  std::string input_hash;   // 16 hex: set (canonical), year, every village input
  std::string output_hash;  // 16 hex: scores, stars, classes, weights
};

// InvalidArgument with field errors for a bad set or input ("villages[3].measures" length,
// non-finite values); FailedPrecondition naming the AHP matrix and its CR when CR >= 0.10.
Result<RunOutput> RunAssessment(const RunInput& input);

// The consistency of one pairwise matrix, for the editor's live CR (no rejection at CR >= 0.10:
// the result says `acceptable`). InvalidArgument for a malformed matrix.
struct AhpCheck {
  AhpResult result;
  bool acceptable = false;  // cr < kMaxConsistencyRatio
};
Result<AhpCheck> CheckAhpMatrix(const domain::AhpMatrixDef& matrix);

}  // namespace qiangji::engines::assess

// Assessment evidence from the seed's four sources, per village per period: periodic (quarterly)
// ratings, spot checks, the annual duty-report evaluation and the satisfaction survey. Plain
// structs and their invariants; services store them, engines/assess turns them into measures.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/status.h"

namespace qiangji::domain {

// One quarter's rating of a village Party organization (定期评星), with what the quarter showed.
struct PeriodicRating {
  int64_t division_code = 0;         // the village
  std::string period;                // "2025Q1" .. "2025Q4"
  double score = 0;                  // 0..100
  int64_t meetings_held = 0;         // 三会一课 and other organizational-life meetings
  int64_t affairs_disclosures = 0;   // times village affairs were disclosed (村务公开)
  bool finance_disclosed = false;    // finances disclosed this quarter (财务公开)
  int64_t petitions = 0;             // petitions (信访) received this quarter
  std::string note;
  std::string updated_at;  // set by storage
};
Status ValidatePeriodicRating(const PeriodicRating& r);  // fields: division_code, period, ...
// "2025Q3" -> {2025, 3}; InvalidArgument naming `field` otherwise.
Result<std::pair<int, int>> ParseQuarter(std::string_view period, std::string_view field = "period");

inline constexpr std::string_view kFindingSeverities[] = {"minor", "moderate", "serious"};
// Severity weights used by the spot_check_findings measure: minor 1, moderate 3, serious 10.
double SeverityWeight(std::string_view severity);

inline constexpr std::string_view kFindingCategories[] = {
    "organization_life",  // 组织生活
    "team_building",      // 班子建设
    "affairs_disclosure", // 村务公开
    "finance",            // 财务管理
    "petitions",          // 信访矛盾
    "discipline",         // 纪律作风
    "other",
};

// One finding of a spot check (随机抽查 / 督查).
struct SpotCheck {
  int64_t id = 0;
  int64_t division_code = 0;
  Date check_date;
  std::string category = "other";  // from kFindingCategories
  std::string severity = "minor";   // from kFindingSeverities
  std::string finding;              // what was found, 1..500 characters
  bool rectified = false;           // 已整改
  std::string updated_at;
};
Status ValidateSpotCheck(const SpotCheck& c);

// The annual duty-report evaluation (年度述职评议) of the village Party organization secretary:
// how the evaluators voted, and whether the report set a development target for the village.
struct DutyReport {
  int64_t division_code = 0;
  int year = 0;                 // 2000..2100
  int64_t excellent = 0;        // 优秀
  int64_t competent = 0;        // 称职
  int64_t basic = 0;            // 基本称职
  int64_t incompetent = 0;      // 不称职
  bool development_target = false;
  std::string updated_at;
};
Status ValidateDutyReport(const DutyReport& r);  // at least one vote

// The year's satisfaction survey (群众满意度测评).
struct SatisfactionSurvey {
  int64_t division_code = 0;
  int year = 0;
  int64_t responses = 0;  // > 0
  int64_t satisfied = 0;  // 0..responses (满意 + 基本满意)
  std::string updated_at;
  double Rate() const { return responses > 0 ? static_cast<double>(satisfied) / responses : 0; }
};
Status ValidateSatisfactionSurvey(const SatisfactionSurvey& s);

}  // namespace qiangji::domain

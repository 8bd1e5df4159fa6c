// Invariants of the assessment evidence. Each Validate* collects every broken rule as a field
// error named by the JSON field, like domain/records.cc.
#include "domain/evidence.h"

#include <algorithm>
#include <cmath>
#include <span>

#include <fmt/format.h>

#include "common/division_code.h"
#include "domain/text.h"

namespace qiangji::domain {
namespace {

constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;
constexpr int64_t kMaxCount = 10000;

void CheckVillageCode(FieldErrors& errors, int64_t code) {
  auto parsed = DivisionCode::FromInt(code);
  if (!parsed.ok()) {
    const auto& fe = parsed.status().field_errors();
    errors.Add("division_code", fe.empty() ? parsed.status().message() : fe[0].message);
  } else if (parsed->level() != DivisionLevel::kVillage) {
    errors.Add("division_code", "must be a village-level division (12 significant digits)");
  }
}

void CheckCount(FieldErrors& errors, const char* field, int64_t v) {
  if (v < 0 || v > kMaxCount) errors.Add(field, fmt::format("must be from 0 to {}", kMaxCount));
}

void CheckYear(FieldErrors& errors, const char* field, int year) {
  if (year < kMinYear || year > kMaxYear) {
    errors.Add(field, fmt::format("must be a year from {} to {}", kMinYear, kMaxYear));
  }
}

void CheckLength(FieldErrors& errors, const char* field, std::string_view value, int64_t min,
               int64_t max) {
  const int64_t n = TextLength(value, /*allow_line_breaks=*/true);
  if (n < 0) {
    errors.Add(field, "must be UTF-8 text without control characters");
  } else if (n < min || n > max) {
    errors.Add(field, min > 0 ? fmt::format("must be {} to {} characters", min, max)
                              : fmt::format("must be at most {} characters", max));
  }
}

bool Known(std::span<const std::string_view> vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

}  // namespace

Result<std::pair<int, int>> ParseQuarter(std::string_view period, std::string_view field) {
  const bool shape =
      period.size() == 6 && period[4] == 'Q' && period[5] >= '1' && period[5] <= '4' &&
      std::all_of(period.begin(), period.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
  if (!shape) {
    return Status::InvalidField(std::string(field),
                                "must be a quarter written like \"2025Q3\" (Q1 to Q4)");
  }
  const int year = std::stoi(std::string(period.substr(0, 4)));
  if (year < kMinYear || year > kMaxYear) {
    return Status::InvalidField(std::string(field),
                                fmt::format("the year must be from {} to {}", kMinYear, kMaxYear));
  }
  return std::pair<int, int>{year, period[5] - '0'};
}

double SeverityWeight(std::string_view severity) {
  if (severity == "minor") return 1;
  if (severity == "moderate") return 3;
  if (severity == "serious") return 10;
  return 0;
}

Status ValidatePeriodicRating(const PeriodicRating& r) {
  FieldErrors errors;
  CheckVillageCode(errors, r.division_code);
  if (auto q = ParseQuarter(r.period); !q.ok()) {
    errors.Add("period", q.status().field_errors()[0].message);
  }
  if (!std::isfinite(r.score) || r.score < 0 || r.score > 100) {
    errors.Add("score", "must be a score from 0 to 100");
  }
  CheckCount(errors, "meetings_held", r.meetings_held);
  CheckCount(errors, "affairs_disclosures", r.affairs_disclosures);
  CheckCount(errors, "petitions", r.petitions);
  CheckLength(errors, "note", r.note, 0, 500);
  return errors.ToStatus();
}

Status ValidateSpotCheck(const SpotCheck& c) {
  FieldErrors errors;
  CheckVillageCode(errors, c.division_code);
  if (c.check_date.year() < kMinYear || c.check_date.year() > kMaxYear) {
    errors.Add("check_date", fmt::format("must be a date from {} to {}", kMinYear, kMaxYear));
  }
  if (!Known(kFindingCategories, c.category)) {
    errors.Add("category", fmt::format("\"{}\" is not a finding category", c.category));
  }
  if (!Known(kFindingSeverities, c.severity)) {
    errors.Add("severity", "must be \"minor\", \"moderate\" or \"serious\"");
  }
  CheckLength(errors, "finding", c.finding, 1, 500);
  return errors.ToStatus();
}

Status ValidateDutyReport(const DutyReport& r) {
  FieldErrors errors;
  CheckVillageCode(errors, r.division_code);
  CheckYear(errors, "year", r.year);
  CheckCount(errors, "excellent", r.excellent);
  CheckCount(errors, "competent", r.competent);
  CheckCount(errors, "basic", r.basic);
  CheckCount(errors, "incompetent", r.incompetent);
  if (errors.empty() && r.excellent + r.competent + r.basic + r.incompetent == 0) {
    errors.Add("votes", "at least one vote is needed");
  }
  return errors.ToStatus();
}

Status ValidateSatisfactionSurvey(const SatisfactionSurvey& s) {
  FieldErrors errors;
  CheckVillageCode(errors, s.division_code);
  CheckYear(errors, "year", s.year);
  if (s.responses < 1 || s.responses > kMaxCount) {
    errors.Add("responses", fmt::format("must be from 1 to {}", kMaxCount));
  }
  if (s.satisfied < 0 || s.satisfied > s.responses) {
    errors.Add("satisfied", "must be from 0 to the number of responses");
  }
  return errors.ToStatus();
}

}  // namespace qiangji::domain

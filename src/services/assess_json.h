// JSON of the assessment: indicator sets, evidence, runs and results. One shape shared by the
// API, the audit log, bulk import and `qiangji assess solve`, so that a set exported from the UI
// is a valid problem-file section and vice versa. Field names are the struct field names
// (docs/glossary.md); AHP matrices are arrays of rows; NaN values are written as null.
// Parsers never throw: wrong types and unknown enum values are field errors naming the JSON path.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "common/status.h"
#include "domain/evidence.h"
#include "domain/indicator_set.h"
#include "engines/assess/pipeline.h"
#include "services/assess.h"

namespace qiangji::services {

namespace json = boost::json;

// JSON text to a value with every decimal read exactly (the nearest double, as std::from_chars
// gives it). Boost 1.81's own parser may land one unit in the last place away, so a number
// written by json::serialize would not always read back as the same double; runs read back
// from a snapshot or a problem file must see the very same inputs to reproduce their hashes.
// Malformed text, or text after the value: InvalidArgument on `field`.
Result<json::value> ParseJsonExact(std::string_view text, std::string_view field = "body");

// Indicator sets. Parsing fills defaults for absent optional sections (weighting, scoring,
// bands, weak_lax, classes, warning, sensitivity, notice_days) and then runs
// domain::ValidateIndicatorSet; id/version/created_* in the input are ignored.
Result<domain::IndicatorSet> IndicatorSetFromJson(const json::value& v);
json::object IndicatorSetJson(const domain::IndicatorSet& set);
json::object IndicatorSetSummaryJson(const IndicatorSetSummary& s);
Result<domain::AhpMatrixDef> AhpMatrixFromJson(const json::value& v);  // {name, items, a}
json::object AhpCheckJson(const engines::assess::AhpCheck& check);
// {dimensions: [{key,label_zh,label_en}], sources: [...], measures: [{key,source,unit,label_zh,label_en}]}
json::object MeasureCatalogueJson();

// Evidence. `field_prefix` is prepended to field names in errors ("rows[3]." for imports).
Result<domain::PeriodicRating> PeriodicRatingFromJson(const json::object& o,
                                                      std::string_view field_prefix = "");
json::object PeriodicRatingJson(const domain::PeriodicRating& r);
Result<domain::SpotCheck> SpotCheckFromJson(const json::object& o, std::string_view field_prefix = "");
json::object SpotCheckJson(const domain::SpotCheck& c);
Result<domain::DutyReport> DutyReportFromJson(const json::object& o, std::string_view field_prefix = "");
json::object DutyReportJson(const domain::DutyReport& r);
Result<domain::SatisfactionSurvey> SurveyFromJson(const json::object& o,
                                                  std::string_view field_prefix = "");
json::object SurveyJson(const domain::SatisfactionSurvey& s);  // includes "rate"
json::object ImportReportJson(const ImportReport& r);

// Runs and results.
json::object RunSummaryJson(const RunSummary& r);  // params_json parsed into "params"
// `detail` adds lines, gaps and lifts (the explanation); lists leave them out.
json::object RunVillageJson(const RunVillage& v, bool detail);
json::object RunExplanationJson(const RunExplanation& e);
json::object BothEndsJson(const BothEndsReport& r);
json::object TrendPointJson(const TrendPoint& p);
json::object AppealJson(const Appeal& a);

// Engine-level (for the problem file and the stored snapshot).
Result<engines::assess::VillageInput> VillageInputFromJson(const json::value& v,
                                                           std::string_view field_prefix);
json::object VillageInputJson(const engines::assess::VillageInput& in);
json::object VillageResultJson(const engines::assess::VillageResult& r, bool detail);
json::object RunOutputJson(const engines::assess::RunOutput& out);

// The standalone problem file of `qiangji assess solve` (docs/assess-solve.md):
//   {"indicator_set": {...}, "year": 2025, "sensitivity": true,
//    "villages": [{"code": "130624100201", "name": "...", "township_code": "130624100000",
//                  "township_name": "...", "measures": {"satisfaction_rate": 0.82, ...},
//                  "facts": {...}, "previous_score": 71.5, "previous_stars": 3}]}
// Measures absent from "measures" are missing (NaN). Unknown measure keys are errors.
Result<engines::assess::RunInput> ProblemFromJson(const json::value& v);
json::object ProblemJson(const engines::assess::RunInput& in);

}  // namespace qiangji::services

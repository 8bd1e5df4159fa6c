// JSON of the collective economy (issue 5): collectives, annual reports and the economy report,
// in the API's field names (docs/economy.md "API"), shared by the API, the CLI and the audit
// log. Division codes are 12-digit strings. Money is an integer count of fen in every JSON
// field, and every money field's name ends in "_fen" (docs/glossary.md), so
// AnnualReport::operating_revenue travels as "operating_revenue_fen". Parsers never throw: wrong
// types and unknown fields are field errors naming the JSON path; the domain's own rules
// (domain::ValidateCollective, domain::ValidateAnnualReport) are the services' to apply.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "common/status.h"
#include "domain/economy.h"
#include "services/economy.h"

namespace qiangji::services {

namespace json = boost::json;

// {id, division_code, name, kind, credit_code, registered_on (null or YYYY-MM-DD), member_count,
// share_classes: [{name, shares}], updated_at}.
json::object CollectiveJson(const domain::Collective& c);
// A create or update body: division_code, name, kind (default shareholding_coop), credit_code,
// registered_on, member_count (default 0), share_classes. id and updated_at are ignored (the
// path and the service set them); other unknown keys are errors.
Result<domain::Collective> CollectiveFromJson(const json::object& o,
                                              std::string_view field_prefix = "");

// One money field of the annual report: its domain name ("operating_revenue", the CSV column,
// amounts in yuan) and the member it fills. The JSON name is the domain name + "_fen".
struct ReportAmount {
  std::string_view name;
  int64_t domain::AnnualReport::*member;
};
// The 22 money fields in the order of the income-distribution table and the balance sheet.
std::span<const ReportAmount> ReportAmounts();
// "surplus" -> "surplus_fen" for a money field; any other name unchanged. Maps the field errors
// of domain::ValidateAnnualReport onto the JSON a client sent.
std::string ReportJsonField(std::string_view domain_field);

// {collective_id, division_code, year, operating_revenue_fen ... equity_fen (the 22 amounts),
// note, updated_at, and derived on output: operating_income_fen (经营性收入: revenue +
// contracting + investment income, subsidies excluded), operating_profit_fen, total_income_fen,
// total_costs_fen, band (the statistical band's key of the operating income)}.
json::object AnnualReportJson(const domain::AnnualReport& r);
// A report body: year and the amounts as integers of fen (an absent amount is 0), note;
// division_code (12 digits) optional. collective_id, updated_at and the derived fields are
// ignored, so a client may send back what it read; other unknown keys are errors.
Result<domain::AnnualReport> AnnualReportFromJson(const json::object& o,
                                                  std::string_view field_prefix = "");

// engines::economy::YearFigures: {year, villages, reported, bands: {under_50k: n, ...}, weak,
// exits, total_income_fen, median_income_fen, total_growth (null when undefined)}.
json::object YearFiguresJson(const engines::economy::YearFigures& y);
// {first_year, last_year, years: [..], weak_threshold_fen, bands: [{key, lower_fen, upper_fen}]
// (lower_fen null for the first band, upper_fen null for the last), total: [YearFigures],
// townships: [{code, name, years: [YearFigures], growth_last, rank}], villages:
// [{division_code, name, township_code, township_name, income_fen: [..], profit_fen: [..]
// (null where no report), growth: [..] (null where undefined), cagr, band (the last year's, or
// null), weak, exit_year (null: none), assisted}], assisted: {villages, mean_growth,
// weak_share}, unassisted: {...}}. Non-finite numbers are null.
json::object EconomyReportJson(const EconomyReport& r);

}  // namespace qiangji::services

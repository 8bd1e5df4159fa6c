// JSON of a dispatch problem and its result: the standalone problem file of `qiangji match solve`
// (docs/match-solve.md). People, villages and rank lists are named by their ids in the file and
// in the result; the engine (engines/match/fit.h) works on indices. Parsers never throw: every
// mistake is a field error naming the JSON path, e.g.
//   person_prefs.p3[1][0]: unknown village 'v99'
//   villages[2].seats: must not be negative
#pragma once

#include <boost/json.hpp>

#include "common/status.h"
#include "engines/match/fit.h"

namespace qiangji::services {

namespace json = boost::json;

// {"mode", "proposing", "seed", "people", "villages", "person_prefs", "village_prefs", "fit",
//  "exclusions", "rules", "note"}; unknown fields at any level are errors. Runs
// engines::match::ValidateDispatch too, so a problem that parses will solve.
Result<engines::match::DispatchProblem> MatchProblemFromJson(const json::value& v);

// The result: assignments with fit, unmatched with reasons, per-person and per-village lists
// (derived ones flagged) and explanations, exclusions with their rule, the stability
// certificate, total fit (and in optimal mode the price of stability), the lottery, hashes.
json::object MatchResultJson(const engines::match::DispatchProblem& problem,
                             const engines::match::DispatchResult& result);

}  // namespace qiangji::services

// Synthetic assessment evidence for a demo county: several years of quarterly ratings, spot-check
// findings, duty-report votes and satisfaction surveys for each committee, following a storyline
// per village so that the runs tell a story (most steady, some improving, some declining into an
// early warning, a few weak-and-lax, a handful of models). Pure computation: divisions and a
// seed in, domain evidence out, identical on every machine. Mixes and storylines: docs/demo.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/evidence.h"
#include "domain/records.h"

namespace qiangji::engines::demo {

enum class Storyline {
  kSteady,     // the same level every year, give or take
  kImproving,  // a clear rise each year
  kDeclining,  // holds, then drops sharply in the last year (an early warning)
  kWeakLax,    // slides, and in the last year shows the weak-and-lax signs: low satisfaction,
               // concentrated petitions, a serious finding, an undisclosed quarter, and no
               // development target two years running
  kModel,      // at the top every year
};
std::string_view StorylineName(Storyline s);  // "steady", "improving", ...

struct AssessSynthOptions {
  uint64_t seed = 2026;
  std::vector<int> years;  // ascending, e.g. {2023, 2024, 2025}; every day of them is past
  // Committees whose records show a secretary who has since left (DemoCounty::secretary_vacant):
  // they are given the declining storyline, the departure following the bad year.
  std::vector<int64_t> troubled;
};

struct AssessEvidence {
  std::vector<domain::PeriodicRating> ratings;            // four quarters a year per committee
  std::vector<domain::SpotCheck> spot_checks;             // findings, by village then date
  std::vector<domain::DutyReport> duty_reports;           // one a year per committee
  std::vector<domain::SatisfactionSurvey> surveys;        // one a year per committee
  std::vector<std::pair<int64_t, Storyline>> storylines;  // by division code
};

// Evidence for every residents' (001-199) and villagers' (200-399) committee among `divisions`
// (other entries are ignored), as Synthesize makes records for. Weak-and-lax and model villages
// are villagers' committees. Every record passes its domain::Validate* check.
AssessEvidence SynthesizeAssessEvidence(std::span<const domain::Division> divisions,
                                        const AssessSynthOptions& options);

}  // namespace qiangji::engines::demo

#include "engines/demo/assess_synth.h"

#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace qiangji::engines::demo {
namespace {

using domain::Division;

// A county of 6 townships with 30 villagers' committees and 2 residents' committees each, and a
// development zone (a village-level unit 400+) that gets no evidence.
std::vector<Division> County() {
  std::vector<Division> out;
  out.push_back({130624000000, DivisionLevel::kCounty, "阜平县", 130600000000});
  for (int t = 0; t < 6; ++t) {
    const int64_t town = 130624100000 + t * 1000;
    out.push_back({town, DivisionLevel::kTownship, fmt::format("镇{}", t), 130624000000});
    for (int v = 1; v <= 2; ++v)
      out.push_back({town + v, DivisionLevel::kVillage, fmt::format("社区{}", v), town});
    for (int v = 200; v < 230; ++v)
      out.push_back({town + v, DivisionLevel::kVillage, fmt::format("村{}", v), town});
  }
  out.push_back({130624100400, DivisionLevel::kVillage, "开发区", 130624100000});
  return out;
}

AssessSynthOptions Options() {
  AssessSynthOptions o;
  o.seed = 2026;
  o.years = {2023, 2024, 2025};
  return o;
}

// Everything generated, as text, to compare two runs.
std::string Dump(const AssessEvidence& e) {
  std::string s;
  for (const auto& r : e.ratings)
    s += fmt::format("R{} {} {} {} {} {} {}\n", r.division_code, r.period, r.score, r.meetings_held,
                     r.affairs_disclosures, r.finance_disclosed, r.petitions);
  for (const auto& c : e.spot_checks)
    s += fmt::format("C{} {} {} {} {} {}\n", c.division_code, c.check_date.ToString(), c.category,
                     c.severity, c.finding, c.rectified);
  for (const auto& d : e.duty_reports)
    s += fmt::format("D{} {} {} {} {} {} {}\n", d.division_code, d.year, d.excellent, d.competent,
                     d.basic, d.incompetent, d.development_target);
  for (const auto& v : e.surveys)
    s += fmt::format("S{} {} {} {}\n", v.division_code, v.year, v.responses, v.satisfied);
  for (const auto& [code, story] : e.storylines)
    s += fmt::format("L{} {}\n", code, StorylineName(story));
  return s;
}

// What one village shows in one year, folded as the default rules read it.
struct YearView {
  double mean_rating = 0;
  int64_t petitions = 0;
  int quarters = 0;
  bool undisclosed = false;  // a quarter without affairs or finance disclosure
  int serious = 0;
  bool target = true;
  double satisfaction = 1;
};

std::map<std::pair<int64_t, int>, YearView> Views(const AssessEvidence& e) {
  std::map<std::pair<int64_t, int>, YearView> out;
  for (const auto& r : e.ratings) {
    const int year = std::stoi(r.period.substr(0, 4));
    YearView& v = out[{r.division_code, year}];
    v.mean_rating += r.score / 4;
    v.petitions += r.petitions;
    ++v.quarters;
    v.undisclosed |= r.affairs_disclosures == 0 || !r.finance_disclosed;
  }
  for (const auto& c : e.spot_checks)
    out[{c.division_code, c.check_date.year()}].serious += c.severity == "serious";
  for (const auto& d : e.duty_reports) out[{d.division_code, d.year}].target = d.development_target;
  for (const auto& s : e.surveys) out[{s.division_code, s.year}].satisfaction = s.Rate();
  return out;
}

TEST(AssessSynthTest, SameSeedSameEvidenceOtherSeedOther) {
  const auto divisions = County();
  const std::string first = Dump(SynthesizeAssessEvidence(divisions, Options()));
  EXPECT_EQ(Dump(SynthesizeAssessEvidence(divisions, Options())), first);
  AssessSynthOptions other = Options();
  other.seed = 7;
  EXPECT_NE(Dump(SynthesizeAssessEvidence(divisions, other)), first);
}

TEST(AssessSynthTest, EveryRecordIsValidAndComplete) {
  const auto divisions = County();
  const AssessEvidence e = SynthesizeAssessEvidence(divisions, Options());
  const size_t committees = 6 * 32;
  EXPECT_EQ(e.storylines.size(), committees);
  EXPECT_EQ(e.ratings.size(), committees * 3 * 4);
  EXPECT_EQ(e.duty_reports.size(), committees * 3);
  EXPECT_EQ(e.surveys.size(), committees * 3);
  EXPECT_FALSE(e.spot_checks.empty());
  for (const auto& r : e.ratings) {
    EXPECT_TRUE(domain::ValidatePeriodicRating(r).ok()) << r.period;
    EXPECT_NE(r.division_code, 130624100400);
  }
  for (const auto& c : e.spot_checks) {
    EXPECT_TRUE(domain::ValidateSpotCheck(c).ok()) << c.finding;
    EXPECT_GE(c.check_date.year(), 2023);
    EXPECT_LE(c.check_date.year(), 2025);
  }
  for (const auto& d : e.duty_reports) EXPECT_TRUE(domain::ValidateDutyReport(d).ok());
  for (const auto& s : e.surveys) {
    EXPECT_TRUE(domain::ValidateSatisfactionSurvey(s).ok());
    EXPECT_GE(s.Rate(), 0.4);
    EXPECT_LE(s.Rate(), 1.0);
  }
}

TEST(AssessSynthTest, StorylinesShowInTheEvidence) {
  AssessSynthOptions options = Options();
  options.troubled = {130624102205, 130624104210};
  const AssessEvidence e = SynthesizeAssessEvidence(County(), options);
  const auto views = Views(e);
  std::map<Storyline, int> counts;
  int low_satisfaction = 0, petitions = 0, serious = 0, undisclosed = 0, no_target = 0;
  for (const auto& [code, story] : e.storylines) {
    ++counts[story];
    const YearView& y23 = views.at({code, 2023});
    const YearView& y24 = views.at({code, 2024});
    const YearView& y25 = views.at({code, 2025});
    EXPECT_EQ(y25.quarters, 4);
    if (story == Storyline::kWeakLax) {
      EXPECT_GE(code % 1000, 200) << "weak-and-lax villages are villagers' committees";
      low_satisfaction += y25.satisfaction < 0.6;
      petitions += y25.petitions >= 10;
      serious += y25.serious > 0;
      undisclosed += y25.undisclosed;
      no_target += !y24.target && !y25.target;
      EXPECT_LT(y25.mean_rating, y23.mean_rating);
      continue;
    }
    // Nobody else breaks a weak-and-lax rule of the default set, in any year.
    for (const YearView* y : {&y23, &y24, &y25}) {
      EXPECT_GE(y->satisfaction, 0.6) << code;
      EXPECT_LT(y->petitions, 10) << code;
      EXPECT_EQ(y->serious, 0) << code;
      EXPECT_FALSE(y->undisclosed) << code;
    }
    EXPECT_FALSE(!y23.target && !y24.target) << code;
    EXPECT_FALSE(!y24.target && !y25.target) << code;
    if (story == Storyline::kImproving) EXPECT_GT(y25.mean_rating, y23.mean_rating + 5) << code;
    if (story == Storyline::kDeclining) EXPECT_LT(y25.mean_rating + 5, y24.mean_rating) << code;
    if (story == Storyline::kModel) {
      EXPECT_GE(code % 1000, 200);
      EXPECT_GE(y25.mean_rating, 90) << code;
    }
  }
  EXPECT_EQ(counts[Storyline::kWeakLax], 3);
  EXPECT_GE(counts[Storyline::kModel], 3);
  EXPECT_LE(counts[Storyline::kModel], 12);
  EXPECT_GE(counts[Storyline::kDeclining], 9);  // 5% of 192, the troubled ones among them
  EXPECT_GE(counts[Storyline::kImproving], 19);
  EXPECT_GT(counts[Storyline::kSteady], static_cast<int>(e.storylines.size()) / 2);
  for (int64_t troubled : options.troubled) {
    auto it = std::find_if(e.storylines.begin(), e.storylines.end(),
                           [&](const auto& s) { return s.first == troubled; });
    ASSERT_NE(it, e.storylines.end());
    EXPECT_EQ(it->second, Storyline::kDeclining);
  }
  // Each sign shows in at least one weak village.
  EXPECT_GE(low_satisfaction, 1);
  EXPECT_GE(petitions, 1);
  EXPECT_GE(serious, 1);
  EXPECT_GE(undisclosed, 1);
  EXPECT_GE(no_target, 1);
}

TEST(AssessSynthTest, NoCommitteesNoEvidence) {
  std::vector<Division> towns = {{130624100000, DivisionLevel::kTownship, "镇", 130624000000}};
  const AssessEvidence e = SynthesizeAssessEvidence(towns, Options());
  EXPECT_TRUE(e.ratings.empty());
  EXPECT_TRUE(e.storylines.empty());
}

}  // namespace
}  // namespace qiangji::engines::demo

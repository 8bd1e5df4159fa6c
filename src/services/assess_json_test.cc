// The assessment JSON: the shipped default set, round trips (set and problem file), and bad
// input answered with field errors that name the exact JSON path.
#include "services/assess_json.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "engines/assess/pipeline.h"

namespace qiangji::services {
namespace {

namespace assess = engines::assess;

json::value Parse(std::string_view text) {
  auto v = ParseJsonExact(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString() << " in " << text;
  return v.ok() ? *v : json::value();
}

// The field errors of a failed result, as "field: message" lines.
template <typename T>
std::vector<std::string> Fields(const Result<T>& r) {
  std::vector<std::string> out;
  for (const FieldError& e : r.status().field_errors()) out.push_back(e.field);
  return out;
}

template <typename T>
bool HasField(const Result<T>& r, const std::string& field) {
  for (const FieldError& e : r.status().field_errors())
    if (e.field == field) return true;
  return false;
}

template <typename T>
std::string MessageOf(const Result<T>& r, const std::string& field) {
  for (const FieldError& e : r.status().field_errors())
    if (e.field == field) return e.message;
  return "<no error on " + field + ">";
}

domain::IndicatorSet DefaultSet() {
  auto set = DefaultIndicatorSet();
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set.ok() ? *set : domain::IndicatorSet{};
}

// The default set as JSON, without storage fields, to be edited by a test.
json::object DefaultObject() {
  json::object o = IndicatorSetJson(DefaultSet());
  o.erase("id");
  o.erase("created_at");
  o.erase("created_by");
  return o;
}

// This test protects data/indicator-sets/village-default.json: it must parse, pass the domain's
// checks, and every AHP matrix in it must be consistent (CR < 0.10), or no run could use it.
TEST(DefaultIndicatorSet, ParsesValidatesAndEveryMatrixIsConsistent) {
  auto set = DefaultIndicatorSet();
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->key, "village-default");
  EXPECT_FALSE(set->name_zh.empty());
  ASSERT_EQ(set->dimensions.size(), std::size(domain::kAssessDimensions));
  EXPECT_GE(set->indicators.size(), 10u);
  EXPECT_TRUE(domain::ValidateIndicatorSet(*set).ok());
  ASSERT_FALSE(set->weighting.ahp.empty());
  for (const auto& m : set->weighting.ahp) {
    auto check = assess::CheckAhpMatrix(m);
    ASSERT_TRUE(check.ok()) << m.name << ": " << check.status().ToString();
    EXPECT_TRUE(check->acceptable) << "matrix '" << m.name << "' has CR " << check->result.cr;
    EXPECT_LT(check->result.cr, assess::kMaxConsistencyRatio) << m.name;
  }
  // Every indicator scores a measure of the catalogue, and every dimension has one.
  for (const auto& ind : set->indicators)
    EXPECT_NE(domain::FindMeasure(ind.measure), nullptr) << ind.key;
}

TEST(IndicatorSetJson, DefaultSetRoundTripsExactly) {
  domain::IndicatorSet set = DefaultSet();
  json::object first = IndicatorSetJson(set);
  auto back = IndicatorSetFromJson(Parse(json::serialize(first)));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(IndicatorSetJson(*back), first);
  EXPECT_EQ(back->indicators.size(), set.indicators.size());
  EXPECT_EQ(back->weighting.ahp.size(), set.weighting.ahp.size());
  for (size_t i = 0; i < set.weighting.ahp.size(); ++i)
    EXPECT_EQ(back->weighting.ahp[i].a, set.weighting.ahp[i].a);
}

TEST(IndicatorSetJson, NonDefaultChoicesRoundTrip) {
  json::object o = DefaultObject();
  o["weighting"].as_object()["method"] = "blend";
  o["weighting"].as_object()["alpha"] = 0.55;
  o["weighting"].as_object()["blend_rule"] = "multiplicative";
  o["scoring"] = json::object{
      {"method", "topsis"}, {"topsis_normalisation", "vector"}, {"fixed_ideals", false}};
  o["bands"] = json::object{{"method", "quotas"}, {"top_shares", json::array{0.1, 0.2, 0.4, 0.2}}};
  o["indicators"].as_array()[0].as_object()["missing_value"] = 50.5;
  o["notice_days"] = 7;
  o["sensitivity"].as_object()["seed"] = 42;
  auto set = IndicatorSetFromJson(o);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->weighting.method, "blend");
  EXPECT_DOUBLE_EQ(set->weighting.alpha, 0.55);
  EXPECT_EQ(set->scoring.method, "topsis");
  EXPECT_FALSE(set->scoring.fixed_ideals);
  EXPECT_EQ(set->bands.top_shares, (std::vector<double>{0.1, 0.2, 0.4, 0.2}));
  EXPECT_EQ(set->indicators[0].missing_value, 50.5);
  EXPECT_EQ(set->notice_days, 7);
  EXPECT_EQ(set->sensitivity.seed, 42u);
  auto again = IndicatorSetFromJson(Parse(json::serialize(IndicatorSetJson(*set))));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(IndicatorSetJson(*again), IndicatorSetJson(*set));
}

TEST(IndicatorSetJson, AbsentSectionsTakeTheDefaults) {
  // A manual-weight set with one indicator per dimension and nothing else.
  json::array dims, inds;
  const char* measures[] = {"two_committee_avg_age", "periodic_score", "duty_good_share",
                            "satisfaction_rate", "petitions"};
  for (size_t i = 0; i < 5; ++i) {
    dims.push_back(json::object{{"key", domain::kAssessDimensions[i]}, {"weight", 0.2}});
    inds.push_back(json::object{{"key", fmt::format("i{}", i)},
                                {"measure", measures[i]},
                                {"dimension", domain::kAssessDimensions[i]},
                                {"label_zh", "指标"},
                                {"weight", 1},
                                {"lower", 0},
                                {"upper", 100}});
  }
  json::object o{
      {"key", "minimal"}, {"name_zh", "最小"}, {"dimensions", dims}, {"indicators", inds}};
  auto set = IndicatorSetFromJson(o);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const domain::IndicatorSet defaults;
  EXPECT_EQ(set->weighting.method, "manual");
  EXPECT_EQ(set->scoring.method, defaults.scoring.method);
  EXPECT_EQ(set->bands.thresholds, defaults.bands.thresholds);
  EXPECT_EQ(set->notice_days, 5);
  EXPECT_EQ(set->weak_lax.secretary_vacant_months, 3);
  EXPECT_EQ(set->sensitivity.draws, defaults.sensitivity.draws);
  EXPECT_EQ(set->indicators[0].direction, "benefit");
  EXPECT_EQ(set->indicators[0].normalisation, "minmax_fixed");
  EXPECT_EQ(set->indicators[0].unit, "years") << "the unit defaults to the measure's";
  EXPECT_FALSE(set->indicators[0].missing_value.has_value());
}

TEST(IndicatorSetJson, UnknownFieldsAreErrorsNotIgnored) {
  json::object o = DefaultObject();
  o["wieghting"] = json::object{};
  o["weighting"].as_object()["alpah"] = 0.5;
  o["indicators"].as_array()[2].as_object()["wieght"] = 0.5;
  auto set = IndicatorSetFromJson(o);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(set, "wieghting"), "unknown field");
  EXPECT_EQ(MessageOf(set, "weighting.alpah"), "unknown field");
  EXPECT_EQ(MessageOf(set, "indicators[2].wieght"), "unknown field");
  // Storage fields echoed back by a client are accepted and ignored.
  json::object echoed = IndicatorSetJson(DefaultSet());
  echoed["id"] = 77;
  echoed["version"] = 9;
  echoed["created_by"] = "someone";
  auto ok = IndicatorSetFromJson(echoed);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->id, 0);
  EXPECT_EQ(ok->version, 1);
  EXPECT_EQ(ok->created_by, "");
}

TEST(IndicatorSetJson, WrongTypesAreFieldErrorsNotZeros) {
  json::object o = DefaultObject();
  o["notice_days"] = "5";
  o["indicators"].as_array()[0].as_object()["weight"] = "0.1";
  o["indicators"].as_array()[1].as_object()["missing_value"] = true;
  o["scoring"].as_object()["fixed_ideals"] = 1;
  o["dimensions"].as_array()[4] = "conflicts";
  o["bands"].as_object()["thresholds"] = json::array{60, "70", 80, 90};
  auto set = IndicatorSetFromJson(o);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(MessageOf(set, "notice_days"), "must be an integer");
  EXPECT_EQ(MessageOf(set, "indicators[0].weight"), "must be a number");
  EXPECT_EQ(MessageOf(set, "indicators[1].missing_value"), "must be a number");
  EXPECT_EQ(MessageOf(set, "scoring.fixed_ideals"), "must be true or false");
  EXPECT_TRUE(HasField(set, "dimensions[4]")) << ::testing::PrintToString(Fields(set));
  EXPECT_TRUE(HasField(set, "bands.thresholds[1]"));

  EXPECT_EQ(IndicatorSetFromJson(json::value("a set")).status().field_errors().at(0).field, "body");
  json::object missing = DefaultObject();
  missing.erase("indicators");
  EXPECT_EQ(MessageOf(IndicatorSetFromJson(missing), "indicators"), "is required");
}

TEST(IndicatorSetJson, MalformedMatricesNameTheirCells) {
  json::object o = DefaultObject();
  json::array& ahp = o["weighting"].as_object()["ahp"].as_array();
  // "morale" is 3x3: give it two rows; "conflicts" gets a string cell.
  ahp[3].as_object()["a"] = json::array{json::array{1, 3, 3}, json::array{0.333333, 1, 1}};
  ahp[5].as_object()["a"].as_array()[0].as_array()[2] = "2";
  ahp[4].as_object()["a"].as_array()[1] = json::array{0.5, 1};
  auto set = IndicatorSetFromJson(o);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(MessageOf(set, "weighting.ahp[3].a"), "must have 3 rows, one per item");
  EXPECT_EQ(MessageOf(set, "weighting.ahp[5].a[0][2]"), "must be a finite number");
  EXPECT_EQ(MessageOf(set, "weighting.ahp[4].a[1]"), "must be an array of 3 numbers");

  // A well-formed but non-reciprocal matrix reaches the domain's checks.
  json::object o2 = DefaultObject();
  o2["weighting"].as_object()["ahp"].as_array()[3].as_object()["a"].as_array()[1].as_array()[0] = 2;
  auto set2 = IndicatorSetFromJson(o2);
  ASSERT_FALSE(set2.ok());
  EXPECT_TRUE(HasField(set2, "weighting.ahp[3].a[1][0]") ||
              HasField(set2, "weighting.ahp[3].a[0][1]"))
      << ::testing::PrintToString(Fields(set2));
}

TEST(IndicatorSetJson, DomainErrorsKeepTheirPaths) {
  json::object o = DefaultObject();
  o["indicators"].as_array()[3].as_object()["measure"] = "no_such_measure";
  auto set = IndicatorSetFromJson(o);
  ASSERT_FALSE(set.ok());
  EXPECT_TRUE(HasField(set, "indicators[3].measure")) << ::testing::PrintToString(Fields(set));
}

TEST(AhpMatrixJson, ReadsRowsAndReportsBadOnes) {
  auto m = AhpMatrixFromJson(
      Parse(R"({"name": "m", "items": ["a", "b"], "a": [[1, 3], [0.333333, 1]]})"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->a, (std::vector<double>{1, 3, 0.333333, 1}));
  auto bad = AhpMatrixFromJson(Parse(R"({"name": "m", "items": ["a", "b"], "a": [[1, 3]]})"));
  EXPECT_EQ(MessageOf(bad, "a"), "must have 2 rows, one per item");
  auto typo = AhpMatrixFromJson(Parse(R"({"name": "m", "itmes": ["a"], "a": [[1]]})"));
  EXPECT_EQ(MessageOf(typo, "itmes"), "unknown field");
  EXPECT_EQ(MessageOf(typo, "items"), "is required");
}

TEST(CatalogueJson, ListsEveryMeasureAndDimension) {
  json::object c = MeasureCatalogueJson();
  EXPECT_EQ(c.at("measures").as_array().size(), std::size(domain::kMeasures));
  EXPECT_EQ(c.at("dimensions").as_array().size(), 5u);
  EXPECT_EQ(c.at("dimensions").as_array()[0].as_object().at("label_zh"), "班子运行");
  EXPECT_EQ(c.at("sources").as_array().size(), std::size(domain::kEvidenceSources));
}

TEST(EvidenceJson, ReadsAndWritesWithPrefixedErrors) {
  auto r = PeriodicRatingFromJson(
      Parse(R"({"division_code": "130624100201", "period": "2025Q2", "score": 88.5,
                "meetings_held": 7, "finance_disclosed": true, "note": "好"})")
          .as_object());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->division_code, 130624100201);
  EXPECT_EQ(r->meetings_held, 7);
  EXPECT_TRUE(r->finance_disclosed);
  json::object out = PeriodicRatingJson(*r);
  EXPECT_EQ(out.at("division_code"), "130624100201");
  EXPECT_EQ(out.at("score").as_double(), 88.5);

  auto bad = PeriodicRatingFromJson(
      Parse(R"({"division_code": "13062410020", "period": 20252, "score": "90",
                "petitions": 1.5})")
          .as_object(),
      "rows[3].");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(MessageOf(bad, "rows[3].division_code"), "\"13062410020\" must have 12 digits");
  EXPECT_EQ(MessageOf(bad, "rows[3].period"), "must be a string");
  EXPECT_EQ(MessageOf(bad, "rows[3].score"), "must be a number");
  EXPECT_EQ(MessageOf(bad, "rows[3].petitions"), "must be an integer");

  auto check = SpotCheckFromJson(Parse(R"({"division_code": "130624100201",
      "check_date": "2025-02-30", "finding": "x"})")
                                     .as_object());
  EXPECT_EQ(MessageOf(check, "check_date"), "\"2025-02-30\" must be a date YYYY-MM-DD");
  EXPECT_EQ(MessageOf(check, "severity"), "is required");

  domain::SatisfactionSurvey s;
  s.division_code = 130624100201;
  s.year = 2025;
  s.responses = 200;
  s.satisfied = 150;
  EXPECT_DOUBLE_EQ(SurveyJson(s).at("rate").as_double(), 0.75);
  auto back = SurveyFromJson(SurveyJson(s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->satisfied, 150);

  domain::DutyReport d;
  d.division_code = 130624100201;
  d.year = 2024;
  d.excellent = 20;
  d.basic = 3;
  d.development_target = true;
  auto d2 = DutyReportFromJson(DutyReportJson(d));
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(DutyReportJson(*d2), DutyReportJson(d));
}

assess::RunInput SampleProblem() {
  assess::RunInput in;
  in.set = DefaultSet();
  in.set.created_at = "";
  in.set.created_by = "";
  in.year = 2025;
  in.sensitivity = false;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 2; ++i) {
    assess::VillageInput v;
    v.code = 130624100201 + i;
    v.name = i == 0 ? "骆驼湾村" : "顾家台村";
    v.township_code = 130624100000;
    v.township_name = "龙泉关镇";
    v.measures.assign(assess::MeasureCount(), nan);
    v.measures[assess::MeasureIndex("satisfaction_rate")] = 0.82 + i * 0.1;
    v.measures[assess::MeasureIndex("petitions")] = 3 * i;
    v.measures[assess::MeasureIndex("two_committee_avg_age")] = 47.25;
    if (i == 1) {
      v.facts.secretary_vacant_since = "2025-02-01";
      v.facts.secretary_vacancy_months = 10;
      v.facts.quarters_without_finance_disclosure = {"2025Q2", "2025Q3"};
      v.facts.serious_findings = {"2025-06-03 财务管理: 白条入账"};
      v.previous_score = 71.5;
      v.previous_stars = 3;
    }
    in.villages.push_back(std::move(v));
  }
  return in;
}

TEST(ProblemJson, RoundTripsMeasuresFactsAndMissingValues) {
  assess::RunInput in = SampleProblem();
  json::object first = ProblemJson(in);
  // Missing measures are absent, not null or 0.
  const json::object& m0 =
      first.at("villages").as_array()[0].as_object().at("measures").as_object();
  EXPECT_EQ(m0.size(), 3u);
  EXPECT_FALSE(m0.contains("periodic_score"));
  EXPECT_EQ(first.at("villages").as_array()[0].as_object().at("previous_score"), nullptr);

  auto back = ProblemFromJson(Parse(json::serialize(first)));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ProblemJson(*back), first);
  ASSERT_EQ(back->villages.size(), 2u);
  const assess::VillageInput& v = back->villages[1];
  EXPECT_EQ(v.code, 130624100202);
  EXPECT_EQ(v.township_code, 130624100000);
  EXPECT_EQ(v.facts.secretary_vacancy_months, 10);
  EXPECT_EQ(v.facts.quarters_without_finance_disclosure,
            in.villages[1].facts.quarters_without_finance_disclosure);
  EXPECT_EQ(v.previous_stars, 3);
  for (size_t k = 0; k < assess::MeasureCount(); ++k) {
    const double a = in.villages[1].measures[k], b = v.measures[k];
    EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << domain::kMeasures[k].key;
  }
  EXPECT_FALSE(back->sensitivity);
  EXPECT_EQ(back->year, 2025);
}

TEST(ProblemJson, NamesTheDefaultSetAndDerivesTheTownship) {
  auto p = ProblemFromJson(Parse(R"({"indicator_set": "village-default", "year": 2025,
      "villages": [{"code": "130624100201", "measures": {"satisfaction_rate": 0.9,
                    "petitions": null}}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->set.key, "village-default");
  EXPECT_TRUE(p->sensitivity);
  EXPECT_EQ(p->villages[0].township_code, 130624100000);
  EXPECT_TRUE(std::isnan(p->villages[0].measures[assess::MeasureIndex("petitions")]));
}

TEST(ProblemJson, BadInputNamesEveryField) {
  json::object o = ProblemJson(SampleProblem());
  json::array& villages = o["villages"].as_array();
  villages[0].as_object()["measures"].as_object()["satisfaction"] = 0.9;
  villages[0].as_object()["measures"].as_object()["petitions"] = "3";
  villages.push_back(json::object{{"code", "130624100000"}});
  villages.push_back(json::object{{"code", "130624100202"}});  // same as villages[1]
  o["indicator_set"].as_object()["indicators"].as_array()[0].as_object()["measure"] = "nope";
  o.erase("year");
  o["seed"] = 1;
  auto p = ProblemFromJson(o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(p, "villages[0].measures.satisfaction"),
            "unknown measure (see the measure catalogue)");
  EXPECT_EQ(MessageOf(p, "villages[0].measures.petitions"), "must be a finite number or null");
  EXPECT_EQ(MessageOf(p, "villages[3].code"), "duplicates villages[1]");
  EXPECT_EQ(MessageOf(p, "villages[2].code"), "130624100000 is not a village-level code");
  EXPECT_TRUE(HasField(p, "indicator_set.indicators[0].measure"))
      << ::testing::PrintToString(Fields(p));
  EXPECT_EQ(MessageOf(p, "year"), "is required");
  EXPECT_EQ(MessageOf(p, "seed"), "unknown field");

  auto empty = ProblemFromJson(Parse(R"({"indicator_set": "village-default", "year": 1999,
      "villages": []})"));
  EXPECT_EQ(MessageOf(empty, "villages"), "must hold at least one village");
  EXPECT_EQ(MessageOf(empty, "year"), "must be between 2000 and 2100");
  auto other = ProblemFromJson(Parse(R"({"indicator_set": "other", "year": 2025,
      "villages": [{"code": "130624100201"}]})"));
  EXPECT_EQ(MessageOf(other, "indicator_set"),
            "must be an indicator set object or \"village-default\"");
}

TEST(ParseJsonExact, ReadsEveryDoubleBackExactly) {
  // Boost 1.81's json::parse reads 9.199999999999999E-1 as 0.92000000000000004.
  for (double d : {0.82 + 0.1, 0.1 + 0.2, 1.0 / 3.0, 71.45000000000002, 1e-300, 123456.789e10}) {
    auto v = ParseJsonExact(json::serialize(json::array{d}));
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->as_array()[0].as_double(), d) << json::serialize(json::value(d));
  }
  auto big = ParseJsonExact(R"({"a": [1, -2, 18446744073709551615, "x", null, true]})");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->as_object().at("a").as_array()[2].as_uint64(), 18446744073709551615u);
  EXPECT_EQ(ParseJsonExact("[1] x").status().field_errors().at(0).field, "body");
  EXPECT_EQ(ParseJsonExact("{", "text").status().field_errors().at(0).field, "text");
}

TEST(ResultJson, NaNIsNullAndLinesAreNamed) {
  assess::VillageResult r;
  r.code = 130624100201;
  r.score = std::numeric_limits<double>::quiet_NaN();
  r.dimension_scores = {10, 20, 5, 15, 12};
  r.lines.resize(2);
  r.lines[0].value = std::numeric_limits<double>::quiet_NaN();
  r.lines[0].missing = true;
  r.weak_lax.push_back({"low_satisfaction", "满意度55%，低于60%"});
  json::object brief = VillageResultJson(r, false);
  EXPECT_TRUE(brief.at("score").is_null());
  EXPECT_EQ(json::serialize(brief.at("score")), "null");
  EXPECT_FALSE(brief.contains("lines"));
  EXPECT_EQ(brief.at("dimension_scores").as_object().at("morale").as_double(), 5);
  EXPECT_EQ(brief.at("weak_lax").as_array()[0].as_object().at("rule"), "low_satisfaction");
  EXPECT_TRUE(brief.at("next_star_cut").is_null());

  assess::RunOutput out;
  out.indicator_keys = {"a", "b"};
  out.villages.push_back(r);
  json::object o = RunOutputJson(out);
  const json::array& lines = o.at("villages").as_array()[0].as_object().at("lines").as_array();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].as_object().at("indicator"), "a");
  EXPECT_TRUE(lines[0].as_object().at("value").is_null());
  EXPECT_EQ(lines[1].as_object().at("indicator"), "b");
}

TEST(RunJson, SummaryParsesParamsAndWritesCodesAsStrings) {
  RunSummary s;
  s.id = 3;
  s.scope = "130624";
  s.params_json = R"({"weighting": {"method": "ahp"}})";
  s.star_counts = {0, 1, 2, 3, 4, 5};
  json::object o = RunSummaryJson(s);
  EXPECT_EQ(o.at("params").as_object().at("weighting").as_object().at("method"), "ahp");
  EXPECT_TRUE(o.at("published_at").is_null());
  EXPECT_EQ(o.at("star_counts").as_array().size(), 6u);

  BothEndsReport b;
  b.groups.push_back({0, "阜平县", {130624100201}, {130624101201}, {{130624100202, 2.5}}});
  b.names = {{130624100201, "骆驼湾村"}};
  json::object be = BothEndsJson(b);
  const json::object& g = be.at("groups").as_array()[0].as_object();
  EXPECT_TRUE(g.at("code").is_null());
  EXPECT_EQ(g.at("top").as_array()[0], "130624100201");
  EXPECT_EQ(g.at("middle").as_array()[0].as_object().at("points_to_next_star").as_double(), 2.5);
  EXPECT_EQ(be.at("names").as_object().at("130624100201"), "骆驼湾村");
}

}  // namespace
}  // namespace qiangji::services

// The dispatch problem file: ids resolved, lists derived where none was given, the result JSON,
// and bad input answered with field errors naming the exact JSON path.
#include "services/match_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/assess_json.h"

namespace qiangji::services {
namespace {

namespace match = engines::match;

json::value Parse(std::string_view text) {
  auto v = ParseJsonExact(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString() << " in " << text;
  return v.ok() ? *v : json::value();
}

std::vector<std::string> Errors(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : s.field_errors()) out.push_back(e.field + ": " + e.message);
  return out;
}

// Two cadres, two villages (one with two seats); p1 and v1 submit lists, the others do not.
constexpr std::string_view kSmall = R"({
  "mode": "stable", "proposing": "people", "seed": 7,
  "people": [
    {"id": "p1", "name": "甲", "skills": ["party_building"], "home_code": "130602", "unit": "U1"},
    {"id": "p2", "name": "乙", "skills": {"industry": 0.5}, "home_code": "130624101",
     "unit_kind": "agency"},
    {"id": "p3", "name": "丙", "skills": {"industry": 1}, "home_code": "130681"}
  ],
  "villages": [
    {"id": "v1", "code": "130624100201", "name": "东庄村", "seats": 1,
     "needs": {"party_building": 1}, "priority": 50},
    {"code": "130624101202", "name": "西沟村", "seats": 2, "needs": {"industry": 1}}
  ],
  "person_prefs": {"p1": [["v1"], "130624101202"]},
  "village_prefs": {"v1": [["p1", "p3"]]}
})";

TEST(MatchJsonTest, ParsesIdsCodesAndListsAndLeavesTheRestToBeDerived) {
  auto p = MatchProblemFromJson(Parse(kSmall));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->people.size(), 3u);
  EXPECT_EQ(p->people[0].skills,
            (std::vector<std::pair<std::string, double>>{{"party_building", 1}}));
  EXPECT_EQ(p->people[1].home_code, 130624101000);
  EXPECT_EQ(p->villages[1].id, "130624101202");  // no id: the code is the id
  EXPECT_EQ(p->seed, 7u);
  ASSERT_TRUE(p->person_prefs[0].has_value());
  EXPECT_EQ(p->person_prefs[0]->tiers, (std::vector<std::vector<int>>{{0}, {1}}));
  EXPECT_FALSE(p->person_prefs[1].has_value());
  EXPECT_EQ(p->village_prefs[0]->tiers, (std::vector<std::vector<int>>{{0, 2}}));
  EXPECT_FALSE(p->village_prefs[1].has_value());
}

TEST(MatchJsonTest, TheResultCarriesCertificateDerivedListsExplanationsAndHashes) {
  auto p = MatchProblemFromJson(Parse(kSmall));
  ASSERT_TRUE(p.ok());
  auto r = match::SolveDispatch(*p);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const json::object out = MatchResultJson(*p, *r);
  EXPECT_EQ(out.at("certificate").at("blocking_pairs").to_number<int64_t>(), 0);
  EXPECT_EQ(out.at("certificate").at("stable").as_bool(), true);
  EXPECT_GT(out.at("certificate").at("checked_pairs").to_number<int64_t>(), 0);
  // p2 (home 130624) is excluded everywhere by home-county avoidance.
  EXPECT_EQ(json::serialize(out.at("derived")),
            R"({"person_prefs":["p2","p3"],"village_prefs":["130624101202"]})");
  const json::array& unmatched = out.at("unmatched").at("people").as_array();
  ASSERT_EQ(unmatched.size(), 1u);
  EXPECT_EQ(unmatched[0].at("person").as_string(), "p2");
  EXPECT_EQ(unmatched[0].at("reason").as_string(), "no_acceptable_partner");
  // p1 takes v1 (fit 1 x 1.5); p3 takes the two-seat village (fit 1).
  const json::array& a = out.at("assignments").as_array();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].at("person").as_string(), "p1");
  EXPECT_EQ(a[0].at("village").as_string(), "v1");
  EXPECT_EQ(a[0].at("fit").as_double(), 1.5);
  EXPECT_EQ(a[0].at("person_choice").to_number<int64_t>(), 1);
  EXPECT_EQ(a[1].at("person").as_string(), "p3");
  EXPECT_EQ(a[1].at("village").as_string(), "130624101202");
  EXPECT_EQ(out.at("total_fit").as_double(), 2.5);
  const json::object& village = out.at("villages").as_array()[1].as_object();
  EXPECT_EQ(village.at("list_derived").as_bool(), true);
  EXPECT_EQ(json::serialize(village.at("list")), R"([["p3"]])");  // p2 excluded, p1 fit 0
  EXPECT_EQ(village.at("explanation").as_string(),
            "You were matched with 丙 (your choice #1). 1 seat stays empty.");
  EXPECT_NE(out.at("exclusions").as_array()[0].at("rule").as_string(), "");
  EXPECT_EQ(out.at("input_hash").as_string().size(), 16u);
  EXPECT_EQ(out.at("price_of_stability"), nullptr);
}

TEST(MatchJsonTest, OptimalModeReportsThePriceOfStability) {
  json::value v = Parse(kSmall);
  v.as_object()["mode"] = "optimal";
  auto p = MatchProblemFromJson(v);
  ASSERT_TRUE(p.ok());
  auto r = match::SolveDispatch(*p);
  ASSERT_TRUE(r.ok());
  const json::object out = MatchResultJson(*p, *r);
  EXPECT_EQ(out.at("mode").as_string(), "optimal");
  const json::object& price = out.at("price_of_stability").as_object();
  EXPECT_EQ(price.at("optimal_total_fit").as_double(), 2.5);
  EXPECT_EQ(price.at("ratio").as_double(), 1.0);
}

TEST(MatchJsonTest, BadListsNameThePathTheUserWrote) {
  json::value v = Parse(kSmall);
  json::object& o = v.as_object();
  o["person_prefs"] = Parse(R"({"p1": [["v1"], ["v99"], ["v1"]], "p9": [["v1"]], "p2": [[]]})");
  o["village_prefs"] = Parse(R"({"v1": [["p1", 3]]})");
  auto p = MatchProblemFromJson(v);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Errors(p.status()),
            (std::vector<std::string>{"person_prefs.p1[1][0]: unknown village 'v99'",
                                      "person_prefs.p1[2][0]: ranks 'v1' again (first at [0][0])",
                                      "person_prefs.p9: unknown person 'p9'",
                                      "person_prefs.p2[0]: an empty tier; leave it out",
                                      "village_prefs.v1[0][1]: must be a person id"}));
}

TEST(MatchJsonTest, BadFieldsNameTheirPaths) {
  json::value v = Parse(kSmall);
  json::object& o = v.as_object();
  o["mode"] = "best";
  o["extra"] = 1;
  json::array& villages = o["villages"].as_array();
  villages[0].as_object()["seats"] = -1;
  villages[1].as_object()["needs"] = Parse(R"({"industri": 1})");
  o["people"].as_array()[0].as_object()["home_code"] = "999";
  o["exclusions"] = Parse(R"([{"person": "p1", "village": "nowhere"}])");
  auto p = MatchProblemFromJson(v);
  ASSERT_FALSE(p.ok());
  // Every mistake at once: the reader's, then the engine's checks of what was read.
  const auto errors = Errors(p.status());
  ASSERT_EQ(errors.size(), 6u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0], "extra: unknown field");
  EXPECT_EQ(errors[1], "mode: must be \"stable\" or \"optimal\"");
  EXPECT_EQ(errors[2].rfind("people[0].home_code: \"999\": ", 0), 0u) << errors[2];
  EXPECT_EQ(errors[3], "exclusions[0].village: unknown village 'nowhere'");
  EXPECT_EQ(errors[4], "villages[0].seats: must not be negative");
  EXPECT_EQ(errors[5].rfind("villages[1].needs.industri: unknown work type", 0), 0u) << errors[5];
}

TEST(MatchJsonTest, ADuplicateIdStopsListsFromBeingResolved) {
  json::value v = Parse(kSmall);
  v.as_object()["people"].as_array()[1].as_object()["id"] = "p1";
  auto p = MatchProblemFromJson(v);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(Errors(p.status()),
            (std::vector<std::string>{"people[1].id: duplicates another person's id 'p1'"}));
}

TEST(MatchJsonTest, APersonWithSeveralSeatsOrANegativeCapacityIsRefused) {
  json::value v = Parse(kSmall);
  v.as_object()["people"].as_array()[1].as_object()["capacity"] = -1;
  v.as_object()["people"].as_array()[2].as_object()["capacity"] = 3;
  auto p = MatchProblemFromJson(v);
  ASSERT_FALSE(p.ok());
  const auto errors = Errors(p.status());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "people[1].capacity: must not be negative");
  EXPECT_EQ(errors[1].rfind("people[2].capacity: a person takes one village", 0), 0u);
}

}  // namespace
}  // namespace qiangji::services

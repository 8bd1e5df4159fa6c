// The shared strict JSON reader: numbers as JSON writes them, absent and null alike, and every
// wrong value a field error on the path the user wrote, with the target left as it was.
#include "services/json_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace qiangji::services::json_read {
namespace {

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

std::vector<std::string> Lines(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors.errors()) out.push_back(e.field + ": " + e.message);
  return out;
}

using Expected = std::vector<std::string>;

TEST(JsonReaderTest, IntegersWrittenWithAnExponentAreIntegers) {
  const json::object o = Obj(R"({"a": 1e3, "b": 1e3, "c": 1e3, "d": -2e2, "e": 5})");
  FieldErrors errors;
  Reader r(o, "", errors);
  int a = 0;
  int64_t b = 0;
  uint64_t c = 0;
  std::optional<int> d;
  double e = 0;
  r.Get("a", a);
  r.Get("b", b);
  r.Get("c", c);
  r.Get("d", d);
  r.Get("e", e);
  EXPECT_TRUE(errors.empty()) << Lines(errors)[0];
  EXPECT_EQ(a, 1000);
  EXPECT_EQ(b, 1000);
  EXPECT_EQ(c, 1000u);
  EXPECT_EQ(d, -200);
  EXPECT_EQ(e, 5.0);
  EXPECT_EQ(AsInt(json::value(1e3)), 1000);
  EXPECT_EQ(AsInt(json::value(9007199254740992.0)), 9007199254740992);
  EXPECT_EQ(AsInt(json::value(1e17)), std::nullopt);  // beyond 2^53 a double is not exact
}

TEST(JsonReaderTest, AFractionIsNotAnIntegerAndTheTargetKeepsItsValue) {
  const json::object o = Obj(R"({"a": 12.5, "b": 12.5, "c": 12.5, "d": 12.5})");
  FieldErrors errors;
  Reader r(o, "", errors);
  int a = 7;
  int64_t b = 7;
  uint64_t c = 7;
  std::optional<int> d;
  r.Get("a", a);
  r.Get("b", b);
  r.Get("c", c);
  r.Get("d", d);
  EXPECT_EQ(Lines(errors),
            (Expected{"a: must be an integer", "b: must be an integer",
                      "c: must be a non-negative integer", "d: must be an integer"}));
  EXPECT_EQ(a, 7);
  EXPECT_EQ(b, 7);
  EXPECT_EQ(c, 7u);
  EXPECT_FALSE(d.has_value());
  EXPECT_EQ(AsInt(json::value(12.5)), std::nullopt);
}

TEST(JsonReaderTest, IntegersOutOfRangeAreRefusedInEitherWording) {
  const json::object o = Obj(R"({"a": 3000000000, "b": -3e9, "c": 18446744073709551615, "d": -1})");
  int a = 1, b = 1;
  int64_t c = 1;
  uint64_t d = 1;
  FieldErrors errors;
  Reader r(o, "", errors);
  r.Get("a", a);
  r.Get("b", b);
  r.Get("c", c);
  r.Get("d", d);
  EXPECT_EQ(Lines(errors),
            (Expected{"a: is out of range", "b: is out of range", "c: must be an integer",
                      "d: must be a non-negative integer"}));
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(c, 1);
  EXPECT_EQ(d, 1u);

  FieldErrors terse;
  Reader t(o, "", terse, kTerseWording);
  t.Get("a", a);
  EXPECT_EQ(Lines(terse), (Expected{"a: must be an integer"}));
  EXPECT_EQ(a, 1);

  // The largest uint64 is a fine uint64.
  FieldErrors ok;
  Reader u(o, "", ok);
  u.Get("c", d);
  EXPECT_TRUE(ok.empty());
  EXPECT_EQ(d, std::numeric_limits<uint64_t>::max());
}

TEST(JsonReaderTest, NullIsTheSameAsAbsent) {
  const json::object o = Obj(R"({"name": null, "n": null, "x": null, "on": null, "tags": null,
                                 "day": null, "sub": null, "rows": null, "opt": null})");
  FieldErrors errors;
  Reader r(o, "", errors);
  std::string name = "kept";
  int n = 3;
  double x = 0.5;
  bool on = true;
  std::vector<std::string> tags{"a"};
  std::optional<Date> day = Date::Parse("2025-01-02").value();
  std::optional<double> opt;
  r.Get("name", name);
  r.Get("n", n);
  r.Get("x", x);
  r.Get("on", on);
  r.Get("tags", tags);
  r.GetDate("day", day);
  r.Get("opt", opt);
  EXPECT_EQ(r.Find("name"), nullptr);
  EXPECT_EQ(r.Object("sub"), nullptr);
  EXPECT_EQ(r.Array("rows"), nullptr);
  EXPECT_TRUE(errors.empty()) << Lines(errors)[0];
  EXPECT_EQ(name, "kept");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(x, 0.5);
  EXPECT_TRUE(on);
  EXPECT_EQ(tags, (std::vector<std::string>{"a"}));
  EXPECT_EQ(day->ToString(), "2025-01-02");
  EXPECT_FALSE(opt.has_value());
}

TEST(JsonReaderTest, ARequiredFieldAbsentOrNullIsRequired) {
  const json::object o = Obj(R"({"name": null, "other": 1})");
  FieldErrors errors;
  Reader r(o, "", errors);
  std::string name = "kept";
  int n = 3;
  std::optional<Date> day;
  r.Get("name", name, true);
  r.Get("n", n, true);
  r.GetDate("day", day, true);
  EXPECT_EQ(r.Array("rows", true), nullptr);
  EXPECT_EQ(Lines(errors), (Expected{"name: is required", "n: is required", "day: is required",
                                     "rows: is required"}));
  EXPECT_EQ(name, "kept");
  EXPECT_EQ(n, 3);
}

TEST(JsonReaderTest, WrongTypesAreNamedWithWhatWasExpected) {
  const json::object o = Obj(R"({"name": 5, "x": "1.5", "y": "1.5", "on": "yes", "tags": "a",
                                 "list": ["a", 2, "c", true], "nums": [1, "2"], "day": 20250102,
                                 "bad_day": "2025-02-30", "mode": "fast", "mode2": 1,
                                 "sub": [], "rows": {}})");
  FieldErrors errors;
  Reader r(o, "", errors);
  std::string name, mode = "stable", mode2;
  double x = 0;
  bool on = false;
  std::vector<std::string> tags, list{"kept"};
  std::vector<double> nums{9};
  std::optional<Date> day, bad_day;
  constexpr std::string_view kModes[] = {"stable", "optimal"};
  r.Get("name", name);
  r.Get("x", x);
  r.Get("on", on);
  r.Get("tags", tags);
  r.Get("list", list);
  r.Get("nums", nums);
  r.GetDate("day", day);
  r.GetDate("bad_day", bad_day);
  r.GetEnum("mode", mode, kModes);
  r.GetEnum("mode2", mode2, kModes);
  EXPECT_EQ(r.Object("sub"), nullptr);
  EXPECT_EQ(r.Array("rows"), nullptr);
  EXPECT_EQ(Lines(errors),
            (Expected{"name: must be a string", "x: must be a number", "on: must be true or false",
                      "tags: must be an array of strings", "list[1]: must be a string",
                      "list[3]: must be a string", "nums[1]: must be a finite number",
                      "day: must be a date YYYY-MM-DD",
                      "bad_day: \"2025-02-30\" must be a date YYYY-MM-DD",
                      "mode: \"fast\" is not one of stable, optimal", "mode2: must be a string",
                      "sub: must be an object", "rows: must be an array"}));
  // A list is taken whole or not at all.
  EXPECT_EQ(list, (std::vector<std::string>{"kept"}));
  EXPECT_EQ(nums, (std::vector<double>{9}));
  EXPECT_EQ(mode, "stable");

  FieldErrors terse;
  Reader t(o, "", terse, kTerseWording);
  t.Get("y", x);
  EXPECT_EQ(Lines(terse), (Expected{"y: must be a finite number"}));
}

TEST(JsonReaderTest, NonFiniteNumbersAreRefused) {
  json::object o;
  o["x"] = std::numeric_limits<double>::infinity();
  o["list"] = json::array{1.0, std::numeric_limits<double>::quiet_NaN()};
  FieldErrors errors;
  Reader r(o, "", errors);
  double x = 2;
  std::vector<double> list;
  r.Get("x", x);
  r.Get("list", list);
  EXPECT_EQ(Lines(errors),
            (Expected{"x: must be a finite number", "list[1]: must be a finite number"}));
  EXPECT_EQ(x, 2);
  EXPECT_TRUE(list.empty());
}

TEST(JsonReaderTest, ErrorsCarryThePrefixOfTheObject) {
  const json::object o = Obj(R"({"rules": {"min_priority": "high", "typo": 1},
                                 "rows": [{"a": 1}, {"b": 2}]})");
  FieldErrors errors;
  Reader top(o, "", errors);
  const json::object* rules = top.Object("rules");
  ASSERT_NE(rules, nullptr);
  Reader rr(*rules, "rules.", errors);
  rr.RejectUnknown({"min_priority"});
  double min_priority = 0;
  rr.Get("min_priority", min_priority);
  rr.Error("min_priority", "a message of the caller's own");
  EXPECT_EQ(rr.Path("min_priority"), "rules.min_priority");
  const json::array* rows = top.Array("rows");
  ASSERT_NE(rows, nullptr);
  Reader row(rows->at(1).as_object(), "rows[1].", errors);
  std::string a;
  row.Get("a", a, true);
  constexpr std::string_view kEchoed[] = {"b"};
  constexpr std::string_view kKnown[] = {"a"};
  row.RejectUnknown(kKnown, kEchoed);  // "b" is read-only: accepted and ignored
  EXPECT_EQ(
      Lines(errors),
      (Expected{"rules.typo: unknown field", "rules.min_priority: must be a number",
                "rules.min_priority: a message of the caller's own", "rows[1].a: is required"}));
}

TEST(JsonReaderTest, GetIntNamesWhatTheIntegerCountsForEveryWrongValue) {
  const json::object o = Obj(R"({"fen": 12.5, "months": 3000000000, "stars": "x", "big": 2e3,
                                 "cap": 1e3, "bp": -800, "tier": null})");
  FieldErrors errors;
  Reader r(o, "incentive.", errors);
  int64_t fen = 7, big = 0, tier = 7, missing = 7;
  int months = 7, stars = 7, cap = 0, bp = 0;
  r.GetInt("fen", fen, "an integer of fen");
  r.GetInt("months", months, "an integer of months");  // beyond int: the same message
  r.GetInt("stars", stars, "an integer of stars");
  r.GetInt("big", big, "an integer of fen");
  r.GetInt("cap", cap, "an integer of fen");
  r.GetInt("bp", bp, "an integer of basis points");
  r.GetInt("tier", tier, "an integer of fen", true);
  r.GetInt("missing", missing, "an integer of fen");  // absent and optional: no error
  EXPECT_EQ(Lines(errors), (Expected{"incentive.fen: must be an integer of fen",
                                     "incentive.months: must be an integer of months",
                                     "incentive.stars: must be an integer of stars",
                                     "incentive.tier: is required"}));
  EXPECT_EQ(fen, 7);
  EXPECT_EQ(months, 7);
  EXPECT_EQ(stars, 7);
  EXPECT_EQ(tier, 7);
  EXPECT_EQ(missing, 7);
  EXPECT_EQ(big, 2000);
  EXPECT_EQ(cap, 1000);
  EXPECT_EQ(bp, -800);
}

bool IsFenKey(std::string_view key) { return key.ends_with("_fen"); }

TEST(JsonReaderTest, RejectUnknownPassesAFamilyOfKeys) {
  const json::object o =
      Obj(R"({"year": 2025, "surplus_fen": 1, "band": "weak", "typo": 1, "surplus": 2})");
  FieldErrors errors;
  Reader r(o, "rows[0].", errors);
  constexpr std::string_view kKnown[] = {"year"};
  constexpr std::string_view kEchoed[] = {"band"};
  r.RejectUnknown(kKnown, kEchoed, IsFenKey);
  EXPECT_EQ(Lines(errors),
            (Expected{"rows[0].typo: unknown field", "rows[0].surplus: unknown field"}));
  FieldErrors plain;
  Reader p(o, "", plain);
  p.RejectUnknown(kKnown, kEchoed, nullptr);
  EXPECT_EQ(Lines(plain), (Expected{"surplus_fen: unknown field", "typo: unknown field",
                                    "surplus: unknown field"}));
}

TEST(JsonReaderTest, InFindsAKeyInAList) {
  constexpr std::string_view kList[] = {"id", "updated_at"};
  EXPECT_TRUE(In(kList, "id"));
  EXPECT_FALSE(In(kList, "name"));
  EXPECT_FALSE(In({}, "id"));
}

}  // namespace
}  // namespace qiangji::services::json_read

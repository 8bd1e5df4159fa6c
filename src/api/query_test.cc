#include "api/query.h"

#include <gtest/gtest.h>

namespace qiangji::api {
namespace {

std::vector<std::string> Fields(const Status& st) {
  std::vector<std::string> out;
  for (const FieldError& e : st.field_errors()) out.push_back(e.field);
  return out;
}

TEST(PercentDecodeTest, DecodesEscapesAndPlus) {
  std::string out;
  ASSERT_TRUE(PercentDecode("%E9%AA%86%E9%A9%BC+%E6%B9%BE", out, true));
  EXPECT_EQ(out, "骆驼 湾");
  ASSERT_TRUE(PercentDecode("a+b", out, false));
  EXPECT_EQ(out, "a+b");
  EXPECT_FALSE(PercentDecode("%", out, true));
  EXPECT_FALSE(PercentDecode("%4", out, true));
  EXPECT_FALSE(PercentDecode("%g0", out, true));
}

TEST(QueryParamsTest, ParsesPairsAndBareNames) {
  auto q = QueryParams::Parse("a=1&b=x%20y&flag&&c=");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->Get("a"), "1");
  EXPECT_EQ(q->Get("b"), "x y");
  EXPECT_EQ(q->Get("flag"), "");
  EXPECT_EQ(q->Get("c"), "");
  EXPECT_EQ(q->Get("d"), std::nullopt);
}

TEST(QueryParamsTest, LastValueWins) {
  auto q = QueryParams::Parse("page=1&page=3");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->Get("page"), "3");
}

TEST(QueryParamsTest, MalformedEscapeNamesTheParameter) {
  auto q = QueryParams::Parse("q=%zz");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(q.status()), std::vector<std::string>{"q"});
  EXPECT_FALSE(QueryParams::Parse("q=%00").ok());
}

TEST(QueryParamsTest, BoolAcceptsTrueFalseOneZero) {
  auto q = *QueryParams::Parse("a=true&b=0&c=yes");
  EXPECT_TRUE(*q.Bool("a", false));
  EXPECT_FALSE(*q.Bool("b", true));
  EXPECT_TRUE(*q.Bool("missing", true));
  auto bad = q.Bool("c", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.status()), std::vector<std::string>{"c"});
}

TEST(QueryParamsTest, DivisionPrefixUsesSignificantDigits) {
  auto q = *QueryParams::Parse("a=130624&b=130624000000&c=130624100201&d=1306241&e=abc");
  EXPECT_EQ(*q.DivisionPrefix("a"), "130624");
  EXPECT_EQ(*q.DivisionPrefix("b"), "130624");
  EXPECT_EQ(*q.DivisionPrefix("c"), "130624100201");
  EXPECT_EQ(*q.DivisionPrefix("missing"), "");
  EXPECT_EQ(Fields(q.DivisionPrefix("d").status()), std::vector<std::string>{"d"});
  EXPECT_EQ(Fields(q.DivisionPrefix("e").status()), std::vector<std::string>{"e"});
}

TEST(ListQueryTest, DefaultsWhenAbsent) {
  auto q = ParseListQuery(*QueryParams::Parse(""));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->page, 1);
  EXPECT_EQ(q->page_size, 50);
  EXPECT_EQ(q->under, "");
  EXPECT_EQ(q->q, "");
}

TEST(ListQueryTest, ReadsEveryParameter) {
  auto q = ParseListQuery(*QueryParams::Parse("page=3&page_size=500&under=130624100&q=%E6%9D%8E"));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->page, 3);
  EXPECT_EQ(q->page_size, 500);
  EXPECT_EQ(q->under, "130624100");
  EXPECT_EQ(q->q, "李");
}

TEST(ListQueryTest, EachBadValueNamesItsField) {
  struct Case {
    const char* query;
    const char* field;
  } cases[] = {
      {"page=0", "page"},
      {"page=-1", "page"},
      {"page=x", "page"},
      {"page=1.5", "page"},
      {"page=", "page"},
      {"page=99999999999999999999", "page"},
      {"page_size=0", "page_size"},
      {"page_size=501", "page_size"},
      {"page_size=ten", "page_size"},
      {"under=12345", "under"},
      {"under=abc", "under"},
      {"under=990000", "under"},
  };
  for (const Case& c : cases) {
    auto q = ParseListQuery(*QueryParams::Parse(c.query));
    ASSERT_FALSE(q.ok()) << c.query;
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument) << c.query;
    EXPECT_EQ(Fields(q.status()), std::vector<std::string>{c.field}) << c.query;
  }
}

TEST(ListQueryTest, CollectsAllBadFields) {
  auto q =
      ParseListQuery(*QueryParams::Parse("page=x&page_size=0&under=1&q=" + std::string(201, 'a')));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(Fields(q.status()), (std::vector<std::string>{"page", "page_size", "under", "q"}));
}

TEST(ListQueryTest, SearchTextLimitCountsCharactersNotBytes) {
  std::string han;
  for (int i = 0; i < 200; ++i) han += "%E6%9D%8E";  // 200 × 李, 600 bytes
  EXPECT_TRUE(ParseListQuery(*QueryParams::Parse("q=" + han)).ok());
}

}  // namespace
}  // namespace qiangji::api

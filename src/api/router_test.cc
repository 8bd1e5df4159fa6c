#include "api/router.h"

#include <set>

#include <gtest/gtest.h>

#include "api/api.h"

namespace qiangji::api {
namespace {

HttpResponse Dummy(RequestContext&) { return {}; }

const std::vector<Route>& TestRoutes() {
  static const std::vector<Route> routes = {
      {"GET", "/api/v1/people", Access::kSession, Dummy, "list", "t", {}, "", 200, ""},
      {"POST", "/api/v1/people", Access::kSession, Dummy, "create", "t", {}, "", 200, ""},
      {"GET", "/api/v1/people/{id}", Access::kSession, Dummy, "get", "t", {}, "", 200, ""},
      {"PUT", "/api/v1/people/{id}", Access::kSession, Dummy, "put", "t", {}, "", 200, ""},
      {"GET", "/api/v1/people/{id}/posts", Access::kSession, Dummy, "posts", "t", {}, "", 200, ""},
      {"GET", "/api/v1/people/search", Access::kSession, Dummy, "literal", "t", {}, "", 200, ""},
  };
  return routes;
}

TEST(RouterTest, MatchesLiteralPaths) {
  RouteMatch m = MatchRoute(TestRoutes(), "GET", "/api/v1/people");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->summary, "list");
  EXPECT_TRUE(m.params.empty());
  m = MatchRoute(TestRoutes(), "POST", "/api/v1/people");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->summary, "create");
}

TEST(RouterTest, CapturesAndDecodesParams) {
  RouteMatch m = MatchRoute(TestRoutes(), "GET", "/api/v1/people/42/posts");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->summary, "posts");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "42");
  m = MatchRoute(TestRoutes(), "GET", "/api/v1/people/%34%32");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params[0].second, "42");
}

TEST(RouterTest, LiteralSegmentBeatsParam) {
  RouteMatch m = MatchRoute(TestRoutes(), "GET", "/api/v1/people/search");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->summary, "literal");
}

TEST(RouterTest, IgnoresOneTrailingSlash) {
  RouteMatch m = MatchRoute(TestRoutes(), "GET", "/api/v1/people/");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->summary, "list");
}

TEST(RouterTest, UnknownPathMatchesNothing) {
  for (std::string_view path : {"/api/v1/peoples", "/api/v1", "/api/v1/people/1/posts/2", "",
                                "api/v1/people", "/api/v1/people//posts"}) {
    RouteMatch m = MatchRoute(TestRoutes(), "GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(RouterTest, WrongMethodListsAllowedMethods) {
  RouteMatch m = MatchRoute(TestRoutes(), "DELETE", "/api/v1/people/7");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string_view>{"GET", "PUT"}));
}

TEST(RouterTest, RefusesMalformedOrSneakySegments) {
  // A bad escape, an encoded slash and an encoded NUL never reach a handler.
  for (std::string_view path :
       {"/api/v1/people/%zz", "/api/v1/people/1%2F2", "/api/v1/people/%00", "/api/v1/people/%4"}) {
    RouteMatch m = MatchRoute(TestRoutes(), "GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
  }
}

TEST(RouterTest, WriteMethods) {
  EXPECT_TRUE(IsWriteMethod("POST"));
  EXPECT_TRUE(IsWriteMethod("PUT"));
  EXPECT_TRUE(IsWriteMethod("PATCH"));
  EXPECT_TRUE(IsWriteMethod("DELETE"));
  EXPECT_FALSE(IsWriteMethod("GET"));
  EXPECT_FALSE(IsWriteMethod("HEAD"));
}

// The real table: unique, complete rows; only meta, openapi.json and login are open to all.
TEST(RouteTableTest, RowsAreUniqueAndComplete) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Route& r : ApiRoutes()) {
    EXPECT_TRUE(seen.insert({r.method, r.pattern}).second) << r.method << " " << r.pattern;
    EXPECT_TRUE(r.pattern.starts_with("/api/v1/")) << r.pattern;
    EXPECT_NE(r.handler, nullptr) << r.pattern;
    EXPECT_FALSE(r.summary.empty()) << r.pattern;
    EXPECT_FALSE(r.tag.empty()) << r.pattern;
    // Every route is reachable through the matcher as itself.
    std::string concrete(r.pattern);
    for (auto [from, to] :
         {std::pair<std::string, std::string>{"{id}", "5"}, {"{code}", "130624100201"}}) {
      for (size_t at = concrete.find(from); at != std::string::npos; at = concrete.find(from))
        concrete.replace(at, from.size(), to);
    }
    RouteMatch m = MatchRoute(ApiRoutes(), r.method, concrete);
    EXPECT_EQ(m.route, &r) << r.method << " " << concrete;
  }
}

TEST(RouteTableTest, OnlyMetaOpenApiAndLoginNeedNoSession) {
  std::set<std::string_view> open;
  for (const Route& r : ApiRoutes()) {
    if (r.access != Access::kSession) open.insert(r.pattern);
  }
  EXPECT_EQ(open, (std::set<std::string_view>{"/api/v1/meta", "/api/v1/openapi.json",
                                              "/api/v1/auth/login"}));
}

}  // namespace
}  // namespace qiangji::api

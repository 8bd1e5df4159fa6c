#include "api/openapi.h"

#include <set>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "api/api.h"

namespace qiangji::api {
namespace {

namespace json = boost::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Str(const json::value& v) {
  const json::string& s = v.as_string();
  return std::string(s.data(), s.size());
}

// Every "$ref" anywhere under v.
void CollectRefs(const json::value& v, std::set<std::string>& refs) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      if (k == "$ref" && child.is_string()) refs.insert(Str(child));
      CollectRefs(child, refs);
    }
  } else if (v.is_array()) {
    for (const json::value& child : v.as_array()) CollectRefs(child, refs);
  }
}

class OpenApiTest : public ::testing::Test {
 protected:
  json::object doc_ = BuildOpenApi(ApiRoutes(), ApiVersion());
};

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
  const json::object& paths = doc_.at("paths").as_object();
  for (const Route& r : ApiRoutes()) {
    const json::value* item = paths.if_contains(r.pattern);
    ASSERT_NE(item, nullptr) << r.pattern;
    const json::value* op = item->as_object().if_contains(Lower(r.method));
    ASSERT_NE(op, nullptr) << r.method << " " << r.pattern;
    EXPECT_EQ(Str(op->at("summary")), r.summary);
    EXPECT_TRUE(op->as_object().contains("responses"));
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsRouted) {
  std::set<std::pair<std::string, std::string>> routed;
  for (const Route& r : ApiRoutes()) routed.insert({Lower(r.method), std::string(r.pattern)});
  size_t operations = 0;
  for (const auto& [path, item] : doc_.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      ++operations;
      EXPECT_TRUE(routed.count({std::string(method), std::string(path)}))
          << method << " " << std::string(path) << " is documented but not routed";
    }
  }
  EXPECT_EQ(operations, ApiRoutes().size());
}

TEST_F(OpenApiTest, EveryReferencedSchemaExists) {
  std::set<std::string> refs;
  CollectRefs(doc_, refs);
  EXPECT_FALSE(refs.empty());
  const json::object& schemas = doc_.at("components").at("schemas").as_object();
  for (const std::string& ref : refs) {
    const std::string prefix = "#/components/schemas/";
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    EXPECT_TRUE(schemas.contains(ref.substr(prefix.size()))) << ref;
  }
  // docs/api.md "Objects" are all there.
  for (std::string_view name : {"User", "Village", "VillageSummary", "VillageDetail", "PartyOrg",
                                "Person", "Post", "Overview", "AuditEntry", "Problem"})
    EXPECT_TRUE(schemas.contains(name)) << name;
}

TEST_F(OpenApiTest, PathParametersAreDeclared) {
  for (const Route& r : ApiRoutes()) {
    const json::object& op = doc_.at("paths").at(r.pattern).at(Lower(r.method)).as_object();
    std::set<std::string> declared;
    if (const json::value* params = op.if_contains("parameters")) {
      for (const json::value& p : params->as_array()) {
        if (p.at("in") == "path") declared.insert(Str(p.at("name")));
      }
    }
    std::set<std::string> in_pattern;
    for (size_t open = r.pattern.find('{'); open != std::string_view::npos;
         open = r.pattern.find('{', open + 1))
      in_pattern.insert(
          std::string(r.pattern.substr(open + 1, r.pattern.find('}', open) - open - 1)));
    EXPECT_EQ(declared, in_pattern) << r.pattern;
  }
}

TEST_F(OpenApiTest, SecurityFollowsAccess) {
  for (const Route& r : ApiRoutes()) {
    const json::object& op = doc_.at("paths").at(r.pattern).at(Lower(r.method)).as_object();
    if (r.access != Access::kSession) {
      ASSERT_TRUE(op.contains("security")) << r.pattern;
      EXPECT_TRUE(op.at("security").as_array().empty()) << r.pattern;
    } else if (IsWriteMethod(r.method)) {
      EXPECT_TRUE(op.at("security").as_array()[0].as_object().contains("csrf")) << r.pattern;
    } else {
      EXPECT_FALSE(op.contains("security")) << r.pattern;  // the document default: session
    }
  }
  EXPECT_EQ(Str(doc_.at("openapi")), "3.0.3");
  EXPECT_EQ(Str(doc_.at("info").at("version")), std::string(ApiVersion()));
}

}  // namespace
}  // namespace qiangji::api

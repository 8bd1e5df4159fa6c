// The route table's types and the matcher. Every route of the API is one Route row (handlers.cc
// holds the table); the server, the auth/CSRF checks and the OpenAPI document all read the same
// rows, so a route cannot exist without being documented and guarded.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.h"

namespace qiangji::api {

struct RequestContext;  // handlers.cc
using Handler = HttpResponse (*)(RequestContext&);

enum class Access {
  kPublic,   // no session needed (meta, openapi.json)
  kLogin,    // no session and no CSRF token (the login itself)
  kSession,  // a valid session cookie; writes also need X-CSRF-Token
};

// A query parameter, for validation messages and the OpenAPI document.
struct ParamDoc {
  std::string_view name;
  std::string_view type;  // "string", "integer" or "boolean"
  std::string_view description;
};

struct Route {
  std::string_view method;   // "GET", "POST", "PUT", "DELETE"
  std::string_view pattern;  // "/api/v1/people/{id}"; a {name} segment matches one segment
  Access access = Access::kSession;
  Handler handler = nullptr;
  std::string_view summary;
  std::string_view tag;             // OpenAPI grouping
  std::vector<ParamDoc> query;      // accepted query parameters
  std::string_view request_schema;  // component schema of the body, "" for none
  int success_status = 200;
  std::string_view response_schema;  // component schema of the answer, "" for no content
};

bool IsWriteMethod(std::string_view method);

using PathParams = std::vector<std::pair<std::string, std::string>>;

struct RouteMatch {
  const Route* route = nullptr;  // null when nothing matched
  PathParams params;             // {name} -> percent-decoded segment
  // When the path matched but the method did not: the methods it does have (for 405 + Allow).
  std::vector<std::string_view> allowed;
};

// Finds the route for method + path (the path still percent-encoded, without the query). A
// literal segment beats a {param} at the same place; one trailing slash is ignored.
RouteMatch MatchRoute(std::span<const Route> routes, std::string_view method,
                      std::string_view path);

// Splits a path into percent-decoded segments; false when a segment is malformed (bad %xx,
// an encoded '/' or NUL) so that no route sees it.
bool SplitPath(std::string_view path, std::vector<std::string>& segments);

}  // namespace qiangji::api

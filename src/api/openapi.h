// The OpenAPI 3.0 document, generated from the route table: paths, methods, path and query
// parameters, summaries, request/response schemas and the session/CSRF security of each route.
// The component schemas (openapi.cc) mirror docs/api.md "Objects"; openapi_test.cc keeps the
// document and the table in step.
#pragma once

#include <span>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/router.h"

namespace qiangji::api {

boost::json::object BuildOpenApi(std::span<const Route> routes, std::string_view version);

// The component schemas alone (name -> schema).
const boost::json::object& ComponentSchemas();

// Enterprise pairing's component schemas as JSON text (pairing_handlers.cc).
std::string_view PairingSchemasJson();

// The collective economy's component schemas as JSON text (economy_handlers.cc).
std::string_view EconomySchemasJson();

// Linkage's (双挂钩) component schemas as JSON text (linkage_handlers.cc).
std::string_view LinkageSchemasJson();

// Cultivation's (双培养) component schemas as JSON text (cultivation_handlers.cc).
std::string_view CultivationSchemasJson();

}  // namespace qiangji::api

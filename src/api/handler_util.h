// What every handler file of the api layer shares (internal to src/api): the request context a
// handler receives and the small helpers that turn a path parameter, a body or a Result into a
// value or a response. handlers.cc (the foundation's routes) and assess_handlers.cc use them.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "api/http_types.h"
#include "api/problem.h"
#include "api/query.h"
#include "api/router.h"
#include "common/division_code.h"
#include "common/status.h"
#include "services/services.h"

namespace qiangji::api {

struct RequestContext {
  services::Services& services;
  const HttpRequest& request;
  const PathParams& params;
  const QueryParams& query;
  const std::string& openapi;
  services::Caller caller;                   // the signed-in user (anonymous when public)
  std::optional<services::Session> session;  // set for Access::kSession routes

  std::string_view Param(std::string_view name) const {
    for (const auto& [k, v] : params) {
      if (k == name) return v;
    }
    return {};
  }
};

inline HttpResponse Json(int status, const boost::json::value& v) {
  HttpResponse res;
  res.status = status;
  res.body = ToJsonText(v);
  return res;
}

inline HttpResponse NoContent() {
  HttpResponse res;
  res.status = 204;
  res.content_type.clear();
  return res;
}

// Serialises a Result, or answers its error as a problem.
template <typename T, typename F>
HttpResponse Reply(const Result<T>& r, F&& to_json, int status = 200) {
  if (!r.ok()) return ProblemFromStatus(r.status());
  return Json(status, to_json(*r));
}

// A positive integer path parameter ({id} by default); anything else is a 400 naming it.
inline Result<int64_t> IdParam(const RequestContext& ctx, std::string_view name = "id") {
  std::string_view text = ctx.Param(name);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0)
    return Status::InvalidField(std::string(name), "must be a positive integer");
  return id;
}

// {code}: a division code; `village` insists on all 12 digits of a village-level unit.
inline Result<DivisionCode> CodeParam(const RequestContext& ctx, bool village) {
  std::string_view text = ctx.Param("code");
  Result<DivisionCode> code = DivisionCode::Parse(text);
  if (!code.ok())
    return Status::InvalidField("code", code.status().field_errors().empty()
                                            ? code.status().message()
                                            : code.status().field_errors().front().message);
  if (village && code->level() != DivisionLevel::kVillage)
    return Status::InvalidField("code", "must be the 12-digit code of a village-level unit");
  return code;
}

inline Result<boost::json::object> Body(const RequestContext& ctx) {
  return ParseJsonObject(ctx.request.body);
}

// The id in a PUT body must agree with the path when it is given at all.
inline Status CheckBodyId(const boost::json::object& body, std::string_view key, int64_t expected) {
  const boost::json::value* v = body.if_contains(key);
  if (!v || v->is_null()) return Status::Ok();
  if (v->is_int64() && v->get_int64() == expected) return Status::Ok();
  if (v->is_uint64() && v->get_uint64() == static_cast<uint64_t>(expected)) return Status::Ok();
  return Status::InvalidField(std::string(key), "must match the id in the path");
}

inline HttpResponse Created(boost::json::object body, std::string location) {
  HttpResponse res = Json(201, body);
  res.AddHeader("Location", std::move(location));
  return res;
}

inline HttpResponse Fail(const Status& st) { return ProblemFromStatus(st); }

// The record routes every register shares (cadres, enterprises, projects, ...). `from_json`
// parses a body object into Result<Record>; `create` / `update` are the service's calls
// (caller, record) -> Result<Record>; `to_json` serialises a Record; Records have an `id`.

// POST: 201 with the stored record and Location: `location`/{id}. An id in the body is ignored.
template <typename FromJson, typename Write, typename ToJson>
HttpResponse CreateRecord(RequestContext& ctx, FromJson&& from_json, Write&& create,
                          ToJson&& to_json, std::string_view location) {
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  auto record = from_json(*body);
  if (!record.ok()) return Fail(record.status());
  record->id = 0;
  auto created = create(ctx.caller, std::move(*record));
  if (!created.ok()) return Fail(created.status());
  return Created(to_json(*created), fmt::format("{}/{}", location, created->id));
}

// PUT /{id}: the body is the whole record; an id in it must equal the path's.
template <typename FromJson, typename Write, typename ToJson>
HttpResponse UpdateRecord(RequestContext& ctx, FromJson&& from_json, Write&& update,
                          ToJson&& to_json) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Fail(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return Fail(st);
  auto record = from_json(*body);
  if (!record.ok()) return Fail(record.status());
  record->id = *id;
  return Reply(update(ctx.caller, std::move(*record)), to_json);
}

// GET /{id}.
template <typename Read, typename ToJson>
HttpResponse GetRecord(RequestContext& ctx, Read&& get, ToJson&& to_json) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Fail(id.status());
  return Reply(get(ctx.caller, *id), to_json);
}

// A bulk import's ?format= (json, the default, or csv) and a non-empty body (the file itself).
inline Result<std::string> ImportFormat(const RequestContext& ctx) {
  std::string format = ctx.query.Get("format").value_or("json");
  if (format != "json" && format != "csv")
    return Status::InvalidField("format", "must be json or csv");
  if (ctx.request.body.empty()) return Status::InvalidField("body", "is empty");
  return format;
}

// The assessment's routes (assess_handlers.cc), appended to the table in handlers.cc.
std::vector<Route> AssessRoutes();
// Dispatch routes (dispatch_handlers.cc), appended likewise.
std::vector<Route> DispatchRoutes();
// Enterprise pairing routes (pairing_handlers.cc), appended likewise.
std::vector<Route> PairingRoutes();
// Village project routes (project_handlers.cc), appended likewise.
std::vector<Route> ProjectRoutes();
// Collective economy routes (economy_handlers.cc), appended likewise.
std::vector<Route> EconomyRoutes();
// 双挂钩 linkage and project funding routes (linkage_handlers.cc), appended likewise.
std::vector<Route> LinkageRoutes();
// Cultivation (双培养) routes (cultivation_handlers.cc), appended likewise.
std::vector<Route> CultivationRoutes();

}  // namespace qiangji::api

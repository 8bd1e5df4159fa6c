// The api layer's entry point: one Api object answers every HTTP request, whether under /api/v1
// (the route table in handlers.cc) or the built web UI (static_files.h). It never throws: a bug
// in a handler becomes a 500 problem. The socket side lives in server.h.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "api/http_types.h"
#include "api/router.h"
#include "api/static_files.h"
#include "services/services.h"

namespace qiangji::api {

inline constexpr std::string_view kSessionCookie = "qj_session";
inline constexpr std::string_view kApiPrefix = "/api/";

struct ApiOptions {
  std::string web_dir;  // the built web UI (web/dist); "" or missing serves 404s outside /api
};

// The route table: every route of /api/v1, in documentation order.
std::span<const Route> ApiRoutes();
// "0.1.0": the project version compiled in.
std::string_view ApiVersion();

class Api {
 public:
  Api(services::Services& services, ApiOptions options);

  // Thread-safe (services are; the Api holds no mutable state).
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  HttpResponse HandleApi(const HttpRequest& request) const;

  services::Services& services_;
  ApiOptions options_;
  StaticFiles static_files_;
  std::string openapi_;  // generated once from the route table
};

// The value of one cookie in a Cookie header, "" when absent.
std::string CookieValue(std::string_view header, std::string_view name);
// Set-Cookie values: the session cookie (HttpOnly, SameSite=Strict, Path=/, Max-Age) and its
// removal.
std::string SessionCookie(std::string_view token, int64_t max_age_seconds);
std::string ClearedSessionCookie();

}  // namespace qiangji::api

#include "api/problem.h"

#include <charconv>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace qiangji::api {
namespace {

struct Kind {
  std::string_view type;
  std::string_view title;
};

Kind KindFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return {"invalid-argument", "Invalid argument"};
    case StatusCode::kUnauthenticated:
      return {"unauthenticated", "Not signed in"};
    case StatusCode::kPermissionDenied:
      return {"permission-denied", "Permission denied"};
    case StatusCode::kNotFound:
      return {"not-found", "Not found"};
    case StatusCode::kAlreadyExists:
      return {"already-exists", "Already exists"};
    case StatusCode::kFailedPrecondition:
      return {"failed-precondition", "Rule broken"};
    case StatusCode::kResourceExhausted:
      return {"too-many-requests", "Too many requests"};
    case StatusCode::kOk:
    case StatusCode::kInternal:
      break;
  }
  return {"internal", "Internal error"};
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kOk:  // an ok Status never becomes a problem; treat as a bug
    case StatusCode::kInternal:
      break;
  }
  return 500;
}

HttpResponse Problem(int status, std::string_view type, std::string_view title,
                     std::string_view detail, const std::vector<FieldError>& errors) {
  boost::json::object o;
  o["type"] = std::string(kProblemBase) + std::string(type);
  o["title"] = title;
  o["status"] = status;
  o["detail"] = detail;
  boost::json::array list;
  for (const FieldError& e : errors) list.push_back({{"field", e.field}, {"message", e.message}});
  o["errors"] = std::move(list);
  HttpResponse res;
  res.status = status;
  res.content_type = "application/problem+json";
  res.body = boost::json::serialize(o);
  return res;
}

HttpResponse ProblemFromStatus(const Status& status) {
  const int http = HttpStatusFor(status.code());
  const Kind kind = KindFor(status.code());
  if (http == 500) {
    spdlog::error("internal error: {}", status.ToString());
    return Problem(500, kind.type, kind.title, "The server failed; the error has been logged.");
  }
  HttpResponse res = Problem(http, kind.type, kind.title, status.message(), status.field_errors());
  if (http == 429)
    res.AddHeader("Retry-After", std::to_string(RetryAfterSeconds(status.message())));
  return res;
}

int RetryAfterSeconds(std::string_view message) {
  std::string_view rest;
  for (std::string_view marker : {"try again in ", "retry after "}) {
    size_t at = message.find(marker);
    if (at != std::string_view::npos) {
      rest = message.substr(at + marker.size());
      break;
    }
  }
  if (rest.empty()) return 60;
  int seconds = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), seconds);
  if (ec != std::errc() || seconds <= 0) return 60;
  return seconds;
}

}  // namespace qiangji::api

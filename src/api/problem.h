// Errors as application/problem+json (RFC 7807). StatusCode knows nothing of HTTP; this is the
// one place that maps it to a status code, and the one place that decides what a client may see
// of an error: field errors and messages for the caller's own mistakes, nothing for a 500.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "common/status.h"

namespace qiangji::api {

inline constexpr std::string_view kProblemBase = "https://qiangji.dev/problems/";

// InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound 404,
// AlreadyExists/FailedPrecondition 409, ResourceExhausted 429, Internal (and anything else) 500.
int HttpStatusFor(StatusCode code);

// A problem response with an explicit type slug ("csrf", "payload-too-large", ...).
HttpResponse Problem(int status, std::string_view type, std::string_view title,
                     std::string_view detail, const std::vector<FieldError>& errors = {});

// The problem response for a failed Status. Internal errors get a generic detail (the real
// message is logged, never sent). ResourceExhausted carries Retry-After (see RetryAfterSeconds).
HttpResponse ProblemFromStatus(const Status& status);

// Seconds a client should wait after ResourceExhausted: the number after "try again in " or
// "retry after " in the message when the service gave one ("... try again in 30 seconds"),
// else 60.
int RetryAfterSeconds(std::string_view message);

}  // namespace qiangji::api

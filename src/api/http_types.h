// The HTTP request and response as the api layer sees them: plain strings, no Beast types, so
// handlers, routing and static files can be unit-tested without a socket. server.cc converts.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qiangji::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/api/v1/people?page=2"
  std::string body;
  std::string cookie;      // the Cookie header, "" when absent
  std::string csrf_token;  // the X-CSRF-Token header
  std::string client_ip;   // the peer address, for the audit log

  std::string_view Path() const;   // target up to '?', still percent-encoded
  std::string_view Query() const;  // after '?', "" when none
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra: Set-Cookie, Allow, ...

  void AddHeader(std::string_view name, std::string_view value) {
    headers.emplace_back(name, value);
  }
  // The value of an extra header, "" when absent (tests).
  std::string Header(std::string_view name) const;
};

}  // namespace qiangji::api

#include "api/router.h"

#include "api/query.h"

namespace qiangji::api {

bool IsWriteMethod(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool SplitPath(std::string_view path, std::vector<std::string>& segments) {
  segments.clear();
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return true;
  while (true) {
    size_t slash = path.find('/');
    std::string_view raw = path.substr(0, slash);
    std::string decoded;
    if (!PercentDecode(raw, decoded, /*plus_is_space=*/false)) return false;
    if (decoded.find('/') != std::string::npos || decoded.find('\0') != std::string::npos)
      return false;
    segments.push_back(std::move(decoded));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return true;
}

namespace {

// The pattern's segments, split on '/'; patterns are ours, so no decoding.
std::vector<std::string_view> PatternSegments(std::string_view pattern) {
  std::vector<std::string_view> out;
  pattern.remove_prefix(1);
  while (!pattern.empty()) {
    size_t slash = pattern.find('/');
    out.push_back(pattern.substr(0, slash));
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return out;
}

// How well `pattern` fits the segments: -1 for no match, else the number of literal segments.
int Fit(std::string_view pattern, const std::vector<std::string>& segments, PathParams* params) {
  std::vector<std::string_view> parts = PatternSegments(pattern);
  if (parts.size() != segments.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      if (segments[i].empty()) return -1;
      if (params) params->emplace_back(std::string(part.substr(1, part.size() - 2)), segments[i]);
      continue;
    }
    if (part != segments[i]) return -1;
    ++literals;
  }
  return literals;
}

}  // namespace

RouteMatch MatchRoute(std::span<const Route> routes, std::string_view method,
                      std::string_view path) {
  RouteMatch match;
  std::vector<std::string> segments;
  if (!SplitPath(path, segments)) return match;
  // The best-fitting pattern decides; methods are then looked up among routes with that pattern.
  int best = -1;
  std::string_view best_pattern;
  for (const Route& r : routes) {
    int fit = Fit(r.pattern, segments, nullptr);
    if (fit > best) {
      best = fit;
      best_pattern = r.pattern;
    }
  }
  if (best < 0) return match;
  for (const Route& r : routes) {
    if (r.pattern != best_pattern) continue;
    if (r.method == method) {
      match.route = &r;
      Fit(r.pattern, segments, &match.params);
      match.allowed.clear();
      return match;
    }
    match.allowed.push_back(r.method);
  }
  return match;
}

}  // namespace qiangji::api

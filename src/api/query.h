// Query strings: decoding, and the typed parameters the list routes take. Each bad value is an
// InvalidArgument naming the parameter, so "?page=x" answers 400 with field "page".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "services/services.h"

namespace qiangji::api {

// Decodes %xx (and '+' as space when plus_is_space). False on a malformed escape.
bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space);

class QueryParams {
 public:
  // "a=1&b=x%20y&flag" -> {a:1, b:"x y", flag:""}. A malformed escape is an InvalidArgument
  // naming the parameter. When a name repeats, the last value wins.
  static Result<QueryParams> Parse(std::string_view query);

  std::optional<std::string> Get(std::string_view name) const;
  // Typed getters: absent -> nullopt (or the default); present but bad -> InvalidArgument on name.
  Result<std::optional<int64_t>> Int(std::string_view name, int64_t min, int64_t max) const;
  Result<bool> Bool(std::string_view name, bool fallback) const;  // true/false/1/0
  // A division prefix ("130624", or a 12-digit code); "" when absent.
  Result<std::string> DivisionPrefix(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

inline constexpr int64_t kMaxPage = 1'000'000'000;
inline constexpr int64_t kMaxPageSize = 500;
inline constexpr size_t kMaxSearchLength = 200;

// page (1-based), page_size (1-500), under (division prefix), q (text, at most 200 characters).
// Collects every bad parameter into one InvalidArgument.
Result<services::ListQuery> ParseListQuery(const QueryParams& params);

}  // namespace qiangji::api

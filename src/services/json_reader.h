// Strict reading of request and file JSON, shared by the services' *_json.cc parsers; not for
// other layers. A Reader takes the typed fields of one JSON object and records a field error for
// each value it cannot take, so a form or an import sees every problem at once:
//   - absent and null are the same, "no value": the target keeps its value, or, when the field
//     is required, the error is "is required";
//   - a wrong value is "<path>: must be ..." and the target keeps its value (a list is taken
//     whole or not at all; each bad entry is named "<path>[i]");
//   - a path is the Reader's prefix + the key ("rules." + "min_priority"); the caller chooses
//     the prefix, "" at the top, "rows[3]." for an entry of an array.
// Numbers are read as JSON has them: 1e3 is the integer 1000, 12.5 is not an integer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "common/date.h"
#include "common/status.h"

namespace qiangji::services::json_read {

namespace json = boost::json;

// The integer a number stands for: any int64, and a double with no fraction within ±2^53
// (1e3 → 1000). Nothing for 12.5, 2^63 and above, or a value that is not a number.
std::optional<int64_t> AsInt(const json::value& v);
// Any JSON number as a double (it may be infinite when written like 1e999); nothing otherwise.
std::optional<double> AsNumber(const json::value& v);
// Whether `key` is one of `list`.
bool In(std::span<const std::string_view> list, std::string_view key);

// The messages on which the APIs' readers differ: dispatch, pairing and the match problem file
// have one message per type ("must be a finite number", "must be an integer"); assessment
// sets and evidence tell the cases apart.
struct Wording {
  std::string_view not_a_number;      // a number field holding a string, a bool, ...
  std::string_view int_out_of_range;  // an int field holding an integer beyond ±2^31
};
inline constexpr Wording kDefaultWording{"must be a number", "is out of range"};
inline constexpr Wording kTerseWording{"must be a finite number", "must be an integer"};

class Reader {
 public:
  // `errors` collects the field errors and must outlive the Reader, as must `o`.
  Reader(const json::object& o, std::string prefix, FieldErrors& errors,
         Wording wording = kDefaultWording)
      : o_(o), prefix_(std::move(prefix)), errors_(errors), wording_(wording) {}

  std::string Path(std::string_view key) const { return prefix_ + std::string(key); }
  const std::string& prefix() const { return prefix_; }
  FieldErrors& errors() { return errors_; }
  void Error(std::string_view key, std::string message) {
    errors_.Add(Path(key), std::move(message));
  }

  // The value under `key`, or nullptr when absent or null ("is required" when required).
  const json::value* Find(std::string_view key, bool required = false);

  void Get(std::string_view key, std::string& out, bool required = false);
  // Finite: 1e999 is "must be a finite number".
  void Get(std::string_view key, double& out, bool required = false);
  void Get(std::string_view key, std::optional<double>& out, bool required = false);
  void Get(std::string_view key, int64_t& out, bool required = false);
  void Get(std::string_view key, int& out, bool required = false);
  void Get(std::string_view key, std::optional<int>& out, bool required = false);
  void Get(std::string_view key, uint64_t& out, bool required = false);  // "non-negative"
  void Get(std::string_view key, bool& out, bool required = false);
  void Get(std::string_view key, std::vector<std::string>& out, bool required = false);
  void Get(std::string_view key, std::vector<double>& out, bool required = false);  // finite
  // A string YYYY-MM-DD that is a real day: "\"2025-02-30\" must be a date YYYY-MM-DD".
  void GetDate(std::string_view key, std::optional<Date>& out, bool required = false);
  // A string, one of `allowed`: "\"x\" is not one of a, b".
  void GetEnum(std::string_view key, std::string& out, std::span<const std::string_view> allowed,
               bool required = false);
  // An integer whose every wrong value, a fraction or beyond the target's range alike, is
  // "must be <what>": GetInt("cap_fen", cap, "an integer of fen") → "must be an integer of fen".
  void GetInt(std::string_view key, int64_t& out, std::string_view what, bool required = false);
  void GetInt(std::string_view key, int& out, std::string_view what, bool required = false);

  // The object or array under `key`; nullptr when absent, or (with an error) of another type.
  const json::object* Object(std::string_view key, bool required = false);
  const json::array* Array(std::string_view key, bool required = false);

  // "<path>: unknown field" for every key in neither list: a typo would otherwise be a silent
  // default. `ignored` are keys a client may echo back (read-only fields).
  void RejectUnknown(std::span<const std::string_view> known,
                     std::span<const std::string_view> ignored = {});
  void RejectUnknown(std::initializer_list<std::string_view> known) {
    RejectUnknown(std::span<const std::string_view>(known.begin(), known.size()));
  }
  // As above, passing also every key for which `also_known` holds (a family such as "<x>_fen").
  void RejectUnknown(std::span<const std::string_view> known,
                     std::span<const std::string_view> ignored,
                     bool (*also_known)(std::string_view));

 private:
  // Whether the calls since `before` (a size of errors().errors()) added no error.
  bool NoErrorsSince(size_t before) const { return errors_.errors().size() == before; }

  const json::object& o_;
  std::string prefix_;
  FieldErrors& errors_;
  Wording wording_;
};

}  // namespace qiangji::services::json_read

// Reading an uploaded table for an all-or-nothing bulk import: JSON (an array of objects) or CSV
// (a header row of field names, then one row per record; RFC 4180 quoting), UTF-8 or GB18030
// (Excel on Chinese Windows saves CSV as GB18030), a UTF-8 byte-order mark dropped. Rows come
// out as JSON objects shaped like the record's own JSON, for its FromJson to read with errors
// named "rows[i].field". Internal to services; the cadre pool uses it (cadre_pool_service.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "common/status.h"

namespace qiangji::services::internal {

namespace json = boost::json;

inline constexpr int64_t kMaxImportRows = 100'000;
inline constexpr size_t kMaxListedErrors = 100;

// UTF-8 text of an upload: BOM dropped; text that is not valid UTF-8 is converted from GB18030
// (InvalidArgument on "text" when it is neither).
Result<std::string> DecodeUploadText(std::string_view text);

struct TableRows {
  std::vector<json::object> rows;
  std::vector<int64_t> lines;  // CSV: the line where each row starts, for messages; empty for JSON
};

// `like` is the JSON of an empty record: its keys are the known columns, and its value types say
// how a cell converts — a bool column takes true/false, 1/0 or 是/否; a number column a number;
// an array column a list separated by ';' (or '；'); anything else stays text, so the record's
// reader names a cell that did not convert. Empty cells are absent values. Unknown or repeated
// columns are errors on "columns"; a row with the wrong number of cells on "rows[i]".
Result<TableRows> ReadCsvRows(std::string_view raw, const json::object& like);
// An array of objects; a key `like` lacks is an error on "rows[i].key".
Result<TableRows> ReadJsonRows(std::string_view raw, const json::object& like);

// The InvalidArgument of a failed import: every problem counted, the first kMaxListedErrors
// listed as field errors, the message naming the first.
Status ImportErrors(const std::vector<FieldError>& errors, size_t bad_rows, size_t rows);

}  // namespace qiangji::services::internal

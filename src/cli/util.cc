// Helpers shared by the subcommands.
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "api/codec.h"

#include "cli/commands.h"

namespace qiangji::cli {

namespace json = boost::json;

Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const GlobalOptions& global) {
  QJ_ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> db,
                      storage::OpenDatabase({.url = global.db}));
  QJ_ASSIGN_OR_RETURN(int version, storage::Migrate(*db));
  (void)version;
  return db;
}

Result<ServiceStore> OpenServices(const GlobalOptions& global) {
  { QJ_ASSIGN_OR_RETURN(auto db, OpenAndMigrate(global)); }
  ServiceStore s;
  QJ_ASSIGN_OR_RETURN(s.pool, storage::ConnectionPool::Open({.url = global.db}, 1));
  QJ_ASSIGN_OR_RETURN(services::Secrets secrets, services::Secrets::LoadOrCreate(global.KeyFile()));
  s.secrets = std::make_unique<services::Secrets>(std::move(secrets));
  s.services = std::make_unique<services::Services>(services::Env{s.pool.get(), s.secrets.get()});
  return s;
}

Result<std::string> ReadTextFile(const std::string& path, std::string_view field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidField(std::string(field), fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WritePrettyJson(std::ostream& out, const json::value& v, int indent) {
  const std::string pad(static_cast<size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<size_t>(indent + 1) * 2, ' ');
  if (v.is_object()) {
    const json::object& o = v.as_object();
    if (o.empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    size_t i = 0;
    for (const auto& [key, child] : o) {
      out << inner << json::serialize(json::string(key)) << ": ";
      WritePrettyJson(out, child, indent + 1);
      out << (++i < o.size() ? ",\n" : "\n");
    }
    out << pad << "}";
  } else if (v.is_array()) {
    const json::array& a = v.as_array();
    bool flat = true;
    for (const json::value& x : a) flat = flat && !x.is_object() && !x.is_array();
    // Rank lists (arrays of tiers of ids) stay on one line too.
    bool tiers = !a.empty();
    for (const json::value& x : a) {
      if (!x.is_array())
        tiers = false;
      else
        for (const json::value& y : x.as_array()) tiers = tiers && y.is_string();
    }
    if (flat || tiers) {
      out << "[";
      for (size_t i = 0; i < a.size(); ++i) {
        out << (i ? ", " : "");
        if (a[i].is_array())
          WritePrettyJson(out, a[i], indent + 1);
        else
          out << api::ToJsonText(a[i]);
      }
      out << "]";
      return;
    }
    out << "[\n";
    for (size_t i = 0; i < a.size(); ++i) {
      out << inner;
      WritePrettyJson(out, a[i], indent + 1);
      out << (i + 1 < a.size() ? ",\n" : "\n");
    }
    out << pad << "]";
  } else {
    out << api::ToJsonText(v);
  }
}

int Fail(const Status& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  const auto& errors = status.field_errors();
  // A single field error is already the message ("under: must be ..."); list only several.
  const bool said =
      errors.size() == 1 && status.message() == errors[0].field + ": " + errors[0].message;
  if (!said)
    for (const FieldError& e : errors) std::cerr << "  " << e.field << ": " << e.message << "\n";
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace qiangji::cli

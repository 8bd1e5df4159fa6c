// The division tree as a caller may see it: the divisions inside its scope, plus the ancestors
// of its scope root (their names are public registry data and make breadcrumbs work). Anything
// else answers NotFound.
#include <fmt/format.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

// Visible: the division's range overlaps the scope (it is inside it, or an ancestor of it).
bool Visible(const Caller& caller, const DivisionCode& code) {
  return !caller.scope.Intersect(code.Under()).empty();
}

Result<DivisionCode> ParseCode(std::string_view text, std::string_view field) {
  auto code = DivisionCode::Parse(text);
  if (!code.ok())
    return Status::InvalidField(std::string(field), code.status().field_errors()[0].message);
  return *code;
}

const std::string kNodeSelect = fmt::format(
    "SELECT d.code, d.level, d.name, d.parent_code,"
    " (SELECT COUNT(*) FROM division c WHERE c.parent_code = d.code) FROM division d");

DivisionNode NodeFromRow(const Row& r) { return {DivisionFromRow(r, 0), r.Int(4)}; }

}  // namespace

Result<std::vector<DivisionNode>> DivisionService::Children(const Caller& caller,
                                                            std::string_view parent) {
  auto db = env_.pool->Acquire();
  std::vector<DivisionNode> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    if (parent.empty()) {
      // The roots of the scope: its own division when the registry has it; for the whole
      // country the provinces; failing those (a registry loaded for one county only), the
      // top-most divisions present in the scope.
      if (!caller.scope_prefix.empty()) {
        QJ_ASSIGN_OR_RETURN(auto rows,
                            db->Query(kNodeSelect + " WHERE d.code = ?", {Value(caller.scope.lo)}));
        if (!rows.empty()) {
          out.push_back(NodeFromRow(rows[0]));
          return Status::Ok();
        }
      } else {
        QJ_ASSIGN_OR_RETURN(auto rows, db->Query(kNodeSelect + " WHERE d.parent_code IS NULL"
                                                               " ORDER BY d.code",
                                                 {}));
        for (const auto& r : rows) out.push_back(NodeFromRow(r));
        if (!out.empty()) return Status::Ok();
      }
      QJ_ASSIGN_OR_RETURN(
          auto rows,
          db->Query(kNodeSelect +
                        " WHERE d.code BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM division p"
                        " WHERE p.code = d.parent_code AND p.code BETWEEN ? AND ?) ORDER BY d.code",
                    {Value(caller.scope.lo), Value(caller.scope.hi), Value(caller.scope.lo),
                     Value(caller.scope.hi)}));
      for (const auto& r : rows) out.push_back(NodeFromRow(r));
      return Status::Ok();
    }
    QJ_ASSIGN_OR_RETURN(DivisionCode code, ParseCode(parent, "parent"));
    if (!Visible(caller, code))
      return Status::NotFound(fmt::format("division {} not found", parent));
    QJ_ASSIGN_OR_RETURN(auto found,
                        db->Query("SELECT 1 FROM division WHERE code = ?", {Value(code.value())}));
    if (found.empty()) return Status::NotFound(fmt::format("division {} not found", parent));
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query(kNodeSelect + " WHERE d.parent_code = ? AND d.code BETWEEN ? AND ?"
                                " ORDER BY d.code",
                  {Value(code.value()), Value(caller.scope.lo), Value(caller.scope.hi)}));
    for (const auto& r : rows) out.push_back(NodeFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<domain::Division> DivisionService::Get(const Caller& caller, std::string_view text) {
  QJ_ASSIGN_OR_RETURN(DivisionCode code, ParseCode(text, "code"));
  if (!Visible(caller, code)) return Status::NotFound(fmt::format("division {} not found", text));
  auto db = env_.pool->Acquire();
  std::optional<domain::Division> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, LoadDivision(*db, code.value()));
    return Status::Ok();
  }));
  return *out;
}

}  // namespace qiangji::services

#include "common/division_code.h"
#include "services/services.h"

namespace qiangji::services {

Status ValidateListQuery(const ListQuery& q) {
  FieldErrors errors;
  // The cap keeps (page - 1) * page_size far from overflow and deep scans cheap enough.
  if (q.page < 1 || q.page > 1'000'000) errors.Add("page", "must be between 1 and 1000000");
  if (q.page_size < 1 || q.page_size > 500) errors.Add("page_size", "must be between 1 and 500");
  if (!q.under.empty()) {
    auto range = ParseScopePrefix(q.under);
    if (!range.ok()) errors.Add("under", range.status().field_errors()[0].message);
  }
  if (q.q.size() > 200) errors.Add("q", "must be at most 200 bytes");
  return errors.ToStatus();
}

}  // namespace qiangji::services

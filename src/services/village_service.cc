// Villages: the registry's village-level divisions with what has been recorded about them
// (attributes, Party organizations, the current two-committee line-up).
#include <fmt/format.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

const std::string kSummarySelect = fmt::format(
    "SELECT d.code, d.level, d.name, d.parent_code, t.name,"
    " v.division_code, v.households, v.population, v.area_km2, v.main_industries, v.tags,"
    " v.updated_at,"
    " (SELECT p.name FROM post s JOIN person p ON p.id = s.person_id"
    "   WHERE s.division_code = d.code AND s.kind = 'party_secretary' AND {}"
    "   ORDER BY s.start_date DESC LIMIT 1),"
    " (SELECT COUNT(*) FROM person m WHERE m.division_code = d.code"
    "   AND m.party_status IN ('member', 'probationary_member'))"
    " FROM division d"
    " LEFT JOIN division t ON t.code = d.parent_code"
    " LEFT JOIN village v ON v.division_code = d.code",
    kCurrentPost);

domain::Village VillageFromRow(const Row& r, size_t i) {
  domain::Village v;
  v.division_code = r.Int(i);
  v.households = r.OptInt(i + 1);
  v.population = r.OptInt(i + 2);
  if (!r.IsNull(i + 3)) v.area_km2 = r.Real(i + 3);
  v.main_industries = ParseStringArray(r.Text(i + 4));
  v.tags = ParseStringArray(r.Text(i + 5));
  v.updated_at = r.Text(i + 6);
  return v;
}

VillageSummary SummaryFromRow(const Row& r) {
  VillageSummary s;
  s.division = DivisionFromRow(r, 0);
  s.township_name = r.Text(4);
  auto code = DivisionCode::FromInt(s.division.code);
  s.is_villagers_committee = code.ok() && code->IsVillagersCommittee();
  if (!r.IsNull(5)) s.village = VillageFromRow(r, 5);
  s.secretary_name = r.Text(12);
  s.member_count = r.Int(13);
  return s;
}

std::vector<Value> TodayTwice() {
  std::string today = Date::TodayInChina().ToString();
  return {Value(today), Value(today)};
}

// The village-level division `code` (text as the caller sent it), NotFound unless in scope.
Result<DivisionCode> VillageCodeInScope(const Caller& caller, std::string_view text) {
  auto code = DivisionCode::Parse(text);
  if (!code.ok()) return Status::InvalidField("code", code.status().field_errors()[0].message);
  if (code->level() != DivisionLevel::kVillage || !caller.InScope(code->value()))
    return Status::NotFound(fmt::format("village {} not found", text));
  return *code;
}

}  // namespace

Result<Page<VillageSummary>> VillageService::List(const Caller& caller, const ListQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateListQuery(q));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  Page<VillageSummary> page;
  page.page = q.page;
  page.page_size = q.page_size;
  std::string where = " WHERE d.level = 'village' AND d.code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (!q.q.empty()) {
    where += " AND d.name LIKE ? ESCAPE '\\'";
    params.emplace_back(LikePattern(q.q));
  }
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count,
                        db->QueryOne("SELECT COUNT(*) FROM division d" + where, params, "count"));
    page.total = count.Int(0);
    std::vector<Value> all = TodayTwice();
    all.insert(all.end(), params.begin(), params.end());
    all.emplace_back(q.page_size);
    all.emplace_back(Offset(q));
    QJ_ASSIGN_OR_RETURN(
        auto rows, db->Query(kSummarySelect + where + " ORDER BY d.code LIMIT ? OFFSET ?", all));
    for (const auto& r : rows) page.items.push_back(SummaryFromRow(r));
    return Status::Ok();
  }));
  return page;
}

Result<VillageDetail> VillageService::Get(const Caller& caller, std::string_view text) {
  QJ_ASSIGN_OR_RETURN(DivisionCode code, VillageCodeInScope(caller, text));
  auto db = env_.pool->Acquire();
  VillageDetail detail;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    std::vector<Value> params = TodayTwice();
    params.emplace_back(code.value());
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(kSummarySelect + " WHERE d.code = ?", params));
    if (rows.empty()) return Status::NotFound(fmt::format("village {} not found", text));
    detail.summary = SummaryFromRow(rows[0]);
    QJ_ASSIGN_OR_RETURN(detail.party_orgs, PartyOrgsOfDivision(*db, code.value()));
    QJ_ASSIGN_OR_RETURN(detail.two_committees, CurrentTwoCommittees(*db, code.value()));
    QJ_ASSIGN_OR_RETURN(detail.sent, CurrentSentPosts(*db, code.value()));
    bool has_secretary = false, has_director = false;
    for (const auto& p : detail.two_committees) {
      has_secretary |= p.post.kind == "party_secretary";
      has_director |= p.post.kind == "committee_director";
    }
    if (!has_secretary) detail.vacant_posts.push_back("party_secretary");
    if (!has_director) detail.vacant_posts.push_back("committee_director");
    return Status::Ok();
  }));
  return detail;
}

Result<domain::Village> VillageService::Put(const Caller& caller, domain::Village village) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  const std::string what = fmt::format("village {:012d}", village.division_code);
  // Scope before validation, so an out-of-scope code answers NotFound whatever the body says.
  if (!caller.InScope(village.division_code)) return Status::NotFound(what + " not found");
  QJ_RETURN_IF_ERROR(domain::ValidateVillage(village));
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::Division division,
                        DivisionInScope(*db, caller, village.division_code, what));
    if (division.level != DivisionLevel::kVillage) return Status::NotFound(what + " not found");
    QJ_ASSIGN_OR_RETURN(auto old,
                        db->Query("SELECT division_code, households, population, area_km2,"
                                  " main_industries, tags, updated_at FROM village"
                                  " WHERE division_code = ?",
                                  {Value(village.division_code)}));
    village.updated_at = NowUtc();
    QJ_RETURN_IF_ERROR(
        db->Execute("INSERT INTO village (division_code, households, population, area_km2,"
                    " main_industries, tags, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (division_code) DO UPDATE SET households = excluded.households,"
                    " population = excluded.population, area_km2 = excluded.area_km2,"
                    " main_industries = excluded.main_industries, tags = excluded.tags,"
                    " updated_at = excluded.updated_at",
                    {Value(village.division_code), storage::OrNull(village.households),
                     storage::OrNull(village.population), storage::OrNull(village.area_km2),
                     Value(StringArrayJson(village.main_industries)),
                     Value(StringArrayJson(village.tags)), Value(village.updated_at)})
            .status());
    AuditRecord a;
    a.action = "village.put";
    a.object = fmt::format("village/{:012d}", village.division_code);
    a.division_code = village.division_code;
    if (!old.empty()) a.before = VillageJson(VillageFromRow(old[0], 0));
    a.after = VillageJson(village);
    return WriteAudit(*db, caller, a);
  }));
  return village;
}

}  // namespace qiangji::services

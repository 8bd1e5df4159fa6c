// The county overview dashboard: counts in SQL (GROUP BY, so the work stays in the database at
// any scale), the banding and ordering in engines/stats.
#include <map>

#include <fmt/format.h>

#include "engines/stats/member_stats.h"
#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;
namespace stats = engines::stats;

constexpr std::string_view kIsMember = "party_status IN ('member', 'probationary_member')";

// zh-CN labels of the vocabularies; the UI may translate by key.
std::string EducationLabel(std::string_view key) {
  static const std::map<std::string_view, std::string_view> kLabels = {
      {"primary", "小学及以下"},  {"junior_secondary", "初中"}, {"senior_secondary", "高中/中专"},
      {"junior_college", "大专"}, {"bachelor", "大学本科"},     {"postgraduate", "研究生"},
      {"unknown", "未填写"}};
  auto it = kLabels.find(key);
  return std::string(it == kLabels.end() ? key : it->second);
}

std::string PostLabel(std::string_view kind) {
  if (kind == "party_secretary") return "村党组织书记";
  if (kind == "committee_director") return "村委会主任";
  return std::string(kind);
}

}  // namespace

Result<Overview> OverviewService::Get(const Caller& caller, std::string_view under) {
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  const Date today = Date::TodayInChina();
  const std::string today_text = today.ToString();
  const Value lo(range.lo), hi(range.hi);
  Overview o;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    if (!under.empty()) {
      // Like every read: a division that does not exist (in scope) is not found.
      QJ_ASSIGN_OR_RETURN(auto found, db->Query("SELECT 1 FROM division WHERE code = ?",
                                                {Value(ParseScopePrefix(under)->lo)}));
      if (found.empty()) return Status::NotFound(fmt::format("division {} not found", under));
    }
    QJ_ASSIGN_OR_RETURN(Row t, db->QueryOne("SELECT COUNT(*) FROM division WHERE level ="
                                            " 'township' AND code BETWEEN ? AND ?",
                                            {lo, hi}, "count"));
    o.townships = t.Int(0);
    QJ_ASSIGN_OR_RETURN(Row v, db->QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN code % 1000"
                                            " BETWEEN 200 AND 399 THEN 1 ELSE 0 END), 0)"
                                            " FROM division WHERE level = 'village'"
                                            " AND code BETWEEN ? AND ?",
                                            {lo, hi}, "count"));
    o.villages = v.Int(0);
    o.villagers_committees = v.Int(1);
    QJ_ASSIGN_OR_RETURN(Row p, db->QueryOne(fmt::format("SELECT COUNT(*), COALESCE(SUM(CASE WHEN"
                                                        " {} THEN 1 ELSE 0 END), 0) FROM person"
                                                        " WHERE division_code BETWEEN ? AND ?",
                                                        kIsMember),
                                            {lo, hi}, "count"));
    o.people = p.Int(0);
    o.members = p.Int(1);

    // By township: every township in range (zeros included), plus the township of a narrower
    // range (a single village's).
    std::map<int64_t, std::pair<std::string, std::pair<int64_t, int64_t>>> towns;
    QJ_ASSIGN_OR_RETURN(auto town_rows, db->Query("SELECT code, name FROM division WHERE level ="
                                                  " 'township' AND code BETWEEN ? AND ?",
                                                  {lo, hi}));
    for (const auto& r : town_rows) towns[r.Int(0)].first = r.Text(1);
    QJ_ASSIGN_OR_RETURN(auto village_counts,
                        db->Query("SELECT code / 1000 * 1000, COUNT(*) FROM division WHERE level ="
                                  " 'village' AND code BETWEEN ? AND ? GROUP BY code / 1000 * 1000",
                                  {lo, hi}));
    for (const auto& r : village_counts) towns[r.Int(0)].second.first = r.Int(1);
    QJ_ASSIGN_OR_RETURN(auto member_counts,
                        db->Query(fmt::format("SELECT division_code / 1000 * 1000, COUNT(*) FROM"
                                              " person WHERE division_code BETWEEN ? AND ? AND {}"
                                              " GROUP BY division_code / 1000 * 1000",
                                              kIsMember),
                                  {lo, hi}));
    for (const auto& r : member_counts) towns[r.Int(0)].second.second = r.Int(1);
    for (auto& [code, town] : towns) {
      if (town.first.empty()) {
        auto d = LoadDivision(*db, code);
        town.first = d.ok() ? d->name : fmt::format("{:012d}", code);
      }
      const std::string key = fmt::format("{:012d}", code);
      o.villages_by_township.push_back({key, town.first, town.second.first});
      o.members_by_township.push_back({key, town.first, town.second.second});
    }

    QJ_ASSIGN_OR_RETURN(auto births,
                        db->Query(fmt::format("SELECT birth_date, COUNT(*) FROM person WHERE"
                                              " division_code BETWEEN ? AND ? AND {} AND"
                                              " birth_date IS NOT NULL GROUP BY birth_date",
                                              kIsMember),
                                  {lo, hi}));
    std::vector<stats::BirthDateCount> birth_counts;
    for (const auto& r : births) {
      if (auto d = OptDate(r, 0)) birth_counts.push_back({*d, r.Int(1)});
    }
    auto bands = stats::CountByAgeBand(birth_counts, today);
    for (auto band : stats::kAgeBands) {
      o.members_by_age_band.push_back({std::string(stats::AgeBandKey(band)),
                                       std::string(stats::AgeBandLabel(band)),
                                       bands[static_cast<int>(band)]});
    }

    QJ_ASSIGN_OR_RETURN(auto edu, db->Query(fmt::format("SELECT education, COUNT(*) FROM person"
                                                        " WHERE division_code BETWEEN ? AND ?"
                                                        " AND {} GROUP BY education",
                                                        kIsMember),
                                            {lo, hi}));
    std::vector<stats::KeyCount> edu_counts;
    for (const auto& r : edu) edu_counts.push_back({r.Text(0), r.Int(1)});
    for (auto& kc : stats::OrderByVocabulary(edu_counts, domain::kEducationLevels)) {
      o.members_by_education.push_back({kc.key, EducationLabel(kc.key), kc.count});
    }

    // Vacancies count villagers' committees (村民委员会) only, where both posts are required.
    for (std::string_view kind : {"party_secretary", "committee_director"}) {
      QJ_ASSIGN_OR_RETURN(
          Row vac,
          db->QueryOne(fmt::format("SELECT COUNT(*) FROM division d WHERE d.level = 'village'"
                                   " AND d.code BETWEEN ? AND ? AND d.code % 1000 BETWEEN 200 AND"
                                   " 399 AND NOT EXISTS (SELECT 1 FROM post s WHERE"
                                   " s.division_code = d.code AND s.kind = ? AND {})",
                                   kCurrentPost),
                       {lo, hi, Value(std::string(kind)), Value(today_text), Value(today_text)},
                       "count"));
      o.vacant_posts.push_back({std::string(kind), PostLabel(kind), vac.Int(0)});
    }

    QJ_ASSIGN_OR_RETURN(auto expiries, db->Query("SELECT term_expiry, COUNT(*) FROM party_org"
                                                 " WHERE division_code BETWEEN ? AND ? AND"
                                                 " term_expiry IS NOT NULL GROUP BY term_expiry",
                                                 {lo, hi}));
    std::vector<stats::ExpiryCount> expiry_counts;
    for (const auto& r : expiries) {
      if (auto d = OptDate(r, 0)) expiry_counts.push_back({*d, r.Int(1)});
    }
    stats::TermCounts terms = stats::CountTerms(expiry_counts, today);
    o.terms_expiring_90d = terms.expiring;
    o.terms_expired = terms.expired;
    return Status::Ok();
  }));
  return o;
}

}  // namespace qiangji::services

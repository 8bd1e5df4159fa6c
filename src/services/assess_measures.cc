// The measures of domain::kMeasures for every village of a range and one assessment year, as
// the run service and the demo gather them. A handful of range queries (villages, posts with
// their holders, members, Party organizations, each evidence table, earlier runs), folded per
// village in memory: a province costs the same dozen statements as a county.
//
// Which villages: the village-level divisions in the range that have a Party organization, a
// post, or evidence for the year. Units with none of these (development zones, virtual areas
// the registry lists as village-level) have no Party organization to assess.
//
// Reference date: 31 December of the year, or `today` when that is earlier. Records are read as
// of it: a post is held on day d when start_date <= d < end_date (end_date is the first day
// without it); a member counts when admitted (party_join_date) on or before it; ages are whole
// years on it. Definitions of each measure: docs/indicator-sets.md. A measure is NaN when its
// source holds nothing for the village (no two-committee posts, no rating, no report, no survey),
// except spot_check_findings / serious_findings: findings are what a check records, so a year
// without findings is 0, a clean record.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "domain/evidence.h"
#include "services/assess.h"
#include "services/cultivation_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
using engines::assess::VillageInput;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Index of a measure in domain::kMeasures; an unknown key does not compile.
consteval int Measure(std::string_view key) {
  int i = 0;
  for (const auto& m : domain::kMeasures) {
    if (m.key == key) return i;
    ++i;
  }
  throw "unknown measure";
}

constexpr int kAvgAge = Measure("two_committee_avg_age");
constexpr int kCadreUnder35 = Measure("cadre_under_35");
constexpr int kWomanMember = Measure("woman_member");
constexpr int kCollegeShare = Measure("college_share");
constexpr int kSecretaryVacancy = Measure("secretary_vacancy_months");
constexpr int kTermOverdue = Measure("term_overdue");
constexpr int kMembersUnder35 = Measure("members_under_35_share");
constexpr int kNewMembers3y = Measure("new_members_3y");
constexpr int kReserveCadres = Measure("reserve_cadres");
constexpr int kPeriodicScore = Measure("periodic_score");
constexpr int kMeetingsHeld = Measure("meetings_held");
constexpr int kAffairsDisclosures = Measure("affairs_disclosures");
constexpr int kFinanceQuarters = Measure("finance_disclosed_quarters");
constexpr int kPetitions = Measure("petitions");
constexpr int kSpotCheckFindings = Measure("spot_check_findings");
constexpr int kSeriousFindings = Measure("serious_findings");
constexpr int kDutyGoodShare = Measure("duty_good_share");
constexpr int kDutyExcellentShare = Measure("duty_excellent_share");
constexpr int kDevelopmentTarget = Measure("development_target");
constexpr int kSatisfactionRate = Measure("satisfaction_rate");

// zh-CN names of the spot-check categories, for the evidence sentences.
std::string_view CategoryLabel(std::string_view category) {
  static const std::map<std::string_view, std::string_view> kLabels = {
      {"organization_life", "组织生活"},
      {"team_building", "班子建设"},
      {"affairs_disclosure", "村务公开"},
      {"finance", "财务管理"},
      {"petitions", "信访矛盾"},
      {"discipline", "纪律作风"},
      {"other", "其他"}};
  auto it = kLabels.find(category);
  return it == kLabels.end() ? category : it->second;
}

bool IsCollege(std::string_view education) {
  return education == "junior_college" || education == "bachelor" || education == "postgraduate";
}

// The same month and day `years` earlier, as ISO text; text comparison with stored dates is
// exact even when that day does not exist (29 February), which is what YearsSince needs.
std::string YearsBefore(const Date& d, int years) {
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year() - years, d.month(), d.day());
}

// Whole months from `from` to `to` (0 when `to` is earlier).
int WholeMonths(const Date& from, const Date& to) {
  int m = (to.year() - from.year()) * 12 + (to.month() - from.month());
  if (to.day() < from.day()) --m;
  return std::max(m, 0);
}

bool HeldOn(const Date& start, const std::optional<Date>& end, const Date& day) {
  return start <= day && (!end || *end > day);
}

// Village codes in ascending order, and the index of one.
class Villages {
 public:
  std::vector<VillageInput> inputs;
  // Index of `code`, or -1 for a code outside the gathered villages.
  int Find(int64_t code) const {
    auto it = std::lower_bound(inputs.begin(), inputs.end(), code,
                               [](const VillageInput& v, int64_t c) { return v.code < c; });
    return it != inputs.end() && it->code == code ? static_cast<int>(it - inputs.begin()) : -1;
  }
};

Status GatherVillages(Database& db, DivisionRange range, int year, Villages& out) {
  const Value y(int64_t{year});
  const std::string first = fmt::format("{:04d}-01-01", year);
  const std::string last = fmt::format("{:04d}-12-31", year);
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT d.code, d.name, COALESCE(d.parent_code, 0), COALESCE(t.name, '')"
               " FROM division d LEFT JOIN division t ON t.code = d.parent_code"
               " WHERE d.level = 'village' AND d.code BETWEEN ? AND ? AND ("
               " EXISTS (SELECT 1 FROM party_org o WHERE o.division_code = d.code)"
               " OR EXISTS (SELECT 1 FROM post s WHERE s.division_code = d.code)"
               " OR EXISTS (SELECT 1 FROM periodic_rating r WHERE r.division_code = d.code"
               " AND r.year = ?)"
               " OR EXISTS (SELECT 1 FROM spot_check c WHERE c.division_code = d.code"
               " AND c.check_date BETWEEN ? AND ?)"
               " OR EXISTS (SELECT 1 FROM duty_report r WHERE r.division_code = d.code"
               " AND r.year = ?)"
               " OR EXISTS (SELECT 1 FROM satisfaction_survey s WHERE s.division_code = d.code"
               " AND s.year = ?))"
               " ORDER BY d.code",
               {Value(range.lo), Value(range.hi), y, Value(first), Value(last), y, y}));
  out.inputs.reserve(rows.size());
  for (const auto& r : rows) {
    VillageInput v;
    v.code = r.Int(0);
    v.name = r.Text(1);
    v.township_code = r.Int(2);
    v.township_name = r.Text(3);
    v.measures.assign(std::size(domain::kMeasures), kNaN);
    out.inputs.push_back(std::move(v));
  }
  return Status::Ok();
}

// Two-committee line-up, the secretary post and reserve cadres, as of `ref`.
Status GatherPosts(Database& db, DivisionRange range, const Date& ref, Villages& villages) {
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT s.division_code, s.person_id, s.kind, s.start_date, s.end_date,"
               " p.birth_date, p.sex, p.education FROM post s JOIN person p ON p.id = s.person_id"
               " WHERE s.division_code BETWEEN ? AND ? AND s.start_date <= ?"
               " AND s.kind IN ('party_secretary', 'deputy_party_secretary', 'committee_director',"
               " 'two_committee_member', 'reserve_cadre')"
               " ORDER BY s.division_code, s.person_id, s.id",
               {Value(range.lo), Value(range.hi), Value(ref.ToString())}));
  struct Holder {
    std::optional<Date> birth;
    bool female = false;
    bool college = false;
  };
  struct Acc {
    std::map<int64_t, Holder> line_up;  // by person id: one person may hold several posts
    std::set<int64_t> reserves;
    bool secretary_now = false;
    bool secretary_ever = false;
    std::optional<Date> secretary_ended;  // the latest end of a secretary post before ref
  };
  std::map<int64_t, Acc> acc;
  for (const auto& r : rows) {
    const int64_t code = r.Int(0);
    if (villages.Find(code) < 0) continue;
    const std::string kind = r.Text(2);
    const Date start = RequiredDate(r, 3);
    const std::optional<Date> end = OptDate(r, 4);
    const bool held = HeldOn(start, end, ref);
    Acc& a = acc[code];
    if (kind == "party_secretary") {
      a.secretary_ever = true;
      if (held) a.secretary_now = true;
      if (end && *end <= ref && (!a.secretary_ended || *end > *a.secretary_ended))
        a.secretary_ended = end;
    }
    if (!held) continue;
    if (kind == "reserve_cadre") {
      a.reserves.insert(r.Int(1));
    } else if (domain::IsTwoCommitteePost(kind)) {
      Holder h;
      h.birth = OptDate(r, 5);
      h.female = r.Text(6) == "female";
      h.college = IsCollege(r.Text(7));
      a.line_up.emplace(r.Int(1), h);
    }
  }
  const Date year_start = *Date::FromYmd(ref.year(), 1, 1);
  for (VillageInput& v : villages.inputs) {
    auto it = acc.find(v.code);
    const Acc empty;
    const Acc& a = it == acc.end() ? empty : it->second;
    auto& m = v.measures;
    m[kReserveCadres] = static_cast<double>(a.reserves.size());
    if (!a.line_up.empty()) {
      int64_t age_sum = 0, aged = 0, college = 0;
      bool young = false, woman = false;
      for (const auto& [id, h] : a.line_up) {
        if (h.birth) {
          const int age = ref.YearsSince(*h.birth);
          age_sum += age;
          ++aged;
          young |= age < 35;
        }
        woman |= h.female;
        college += h.college;
      }
      if (aged > 0) m[kAvgAge] = static_cast<double>(age_sum) / aged;
      m[kCadreUnder35] = young ? 1 : 0;
      m[kWomanMember] = woman ? 1 : 0;
      m[kCollegeShare] = static_cast<double>(college) / a.line_up.size();
    }
    if (a.secretary_now) {
      m[kSecretaryVacancy] = 0;
    } else {
      // Vacant since the last secretary left, or since the year began when nobody held it.
      const Date since = a.secretary_ever && a.secretary_ended ? *a.secretary_ended : year_start;
      const int months = WholeMonths(since, ref);
      m[kSecretaryVacancy] = months;
      v.facts.secretary_vacancy_months = months;
      v.facts.secretary_vacant_since = since.ToString();
    }
  }
  return Status::Ok();
}

// Members under 35 and members admitted in the three years before `ref`.
Status GatherMembers(Database& db, DivisionRange range, const Date& ref, Villages& villages) {
  const std::string ref_text = ref.ToString();
  QJ_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT division_code,"
                          " SUM(CASE WHEN birth_date IS NOT NULL THEN 1 ELSE 0 END),"
                          " SUM(CASE WHEN birth_date > ? THEN 1 ELSE 0 END),"
                          " SUM(CASE WHEN party_join_date > ? THEN 1 ELSE 0 END)"
                          " FROM person WHERE division_code BETWEEN ? AND ?"
                          " AND party_status IN ('member', 'probationary_member')"
                          " AND (party_join_date IS NULL OR party_join_date <= ?)"
                          " GROUP BY division_code",
                          {Value(YearsBefore(ref, 35)), Value(YearsBefore(ref, 3)), Value(range.lo),
                           Value(range.hi), Value(ref_text)}));
  for (VillageInput& v : villages.inputs) v.measures[kNewMembers3y] = 0;
  for (const auto& r : rows) {
    const int i = villages.Find(r.Int(0));
    if (i < 0) continue;
    auto& m = villages.inputs[i].measures;
    if (r.Int(1) > 0) m[kMembersUnder35] = static_cast<double>(r.Int(2)) / r.Int(1);
    m[kNewMembers3y] = static_cast<double>(r.Int(3));
  }
  return Status::Ok();
}

// A village's organization is overdue for 换届 when any of its Party organizations' terms
// expired before `ref`.
Status GatherTerms(Database& db, DivisionRange range, const Date& ref, Villages& villages) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT division_code, term_expiry FROM party_org"
                                          " WHERE division_code BETWEEN ? AND ?"
                                          " ORDER BY division_code, term_expiry, id",
                                          {Value(range.lo), Value(range.hi)}));
  for (const auto& r : rows) {
    const int i = villages.Find(r.Int(0));
    if (i < 0) continue;
    VillageInput& v = villages.inputs[i];
    double& overdue = v.measures[kTermOverdue];
    if (std::isnan(overdue)) overdue = 0;
    const std::optional<Date> expiry = OptDate(r, 1);
    if (expiry && *expiry < ref && overdue == 0) {
      overdue = 1;
      v.facts.term_expiry = expiry->ToString();  // the earliest, since rows are in that order
    }
  }
  return Status::Ok();
}

Status GatherPeriodicRatings(Database& db, DivisionRange range, int year, Villages& villages) {
  QJ_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT division_code, period, score, meetings_held, affairs_disclosures,"
                          " finance_disclosed, petitions FROM periodic_rating"
                          " WHERE division_code BETWEEN ? AND ? AND year = ?"
                          " ORDER BY division_code, period",
                          {Value(range.lo), Value(range.hi), Value(int64_t{year})}));
  for (const auto& r : rows) {
    const int i = villages.Find(r.Int(0));
    if (i < 0) continue;
    VillageInput& v = villages.inputs[i];
    auto& m = v.measures;
    if (v.facts.quarters_rated == 0) {
      for (int k :
           {kPeriodicScore, kMeetingsHeld, kAffairsDisclosures, kFinanceQuarters, kPetitions})
        m[k] = 0;
    }
    const std::string period = r.Text(1);
    ++v.facts.quarters_rated;
    m[kPeriodicScore] += r.Real(2);  // a sum until divided below; quarters in order
    m[kMeetingsHeld] += static_cast<double>(r.Int(3));
    m[kAffairsDisclosures] += static_cast<double>(r.Int(4));
    if (r.Int(4) == 0) v.facts.quarters_without_affairs_disclosure.push_back(period);
    if (r.Int(5) != 0) {
      m[kFinanceQuarters] += 1;
    } else {
      v.facts.quarters_without_finance_disclosure.push_back(period);
    }
    m[kPetitions] += static_cast<double>(r.Int(6));
  }
  for (VillageInput& v : villages.inputs) {
    if (v.facts.quarters_rated > 0) v.measures[kPeriodicScore] /= v.facts.quarters_rated;
  }
  return Status::Ok();
}

Status GatherSpotChecks(Database& db, DivisionRange range, int year, Villages& villages) {
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT division_code, check_date, category, severity, finding FROM spot_check"
               " WHERE division_code BETWEEN ? AND ? AND check_date BETWEEN ? AND ?"
               " ORDER BY division_code, check_date, id",
               {Value(range.lo), Value(range.hi), Value(fmt::format("{:04d}-01-01", year)),
                Value(fmt::format("{:04d}-12-31", year))}));
  for (VillageInput& v : villages.inputs) {
    v.measures[kSpotCheckFindings] = 0;
    v.measures[kSeriousFindings] = 0;
  }
  for (const auto& r : rows) {
    const int i = villages.Find(r.Int(0));
    if (i < 0) continue;
    VillageInput& v = villages.inputs[i];
    const std::string severity = r.Text(3);
    v.measures[kSpotCheckFindings] += domain::SeverityWeight(severity);
    if (severity == "serious") {
      v.measures[kSeriousFindings] += 1;
      v.facts.serious_findings.push_back(
          fmt::format("{} {}: {}", r.Text(1), CategoryLabel(r.Text(2)), r.Text(4)));
    }
  }
  return Status::Ok();
}

// The year's duty report, and how many consecutive years up to it set no development target
// (a year without a report ends the run of years).
Status GatherDutyReports(Database& db, DivisionRange range, int year, Villages& villages) {
  constexpr int kLookBack = 20;
  QJ_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT division_code, year, excellent, competent, basic, incompetent,"
                          " development_target FROM duty_report"
                          " WHERE division_code BETWEEN ? AND ? AND year BETWEEN ? AND ?"
                          " ORDER BY division_code, year DESC",
                          {Value(range.lo), Value(range.hi), Value(int64_t{year - kLookBack}),
                           Value(int64_t{year})}));
  int64_t current = -1;
  int expected = 0;  // the year the next row must have for the run to go on; 0 = run ended
  for (const auto& r : rows) {
    const int64_t code = r.Int(0);
    const int i = villages.Find(code);
    if (i < 0) continue;
    VillageInput& v = villages.inputs[i];
    const int report_year = static_cast<int>(r.Int(1));
    const bool target = r.Int(6) != 0;
    if (code != current) {
      current = code;
      expected = year;
      if (report_year == year) {
        const int64_t excellent = r.Int(2), competent = r.Int(3);
        const int64_t total = excellent + competent + r.Int(4) + r.Int(5);
        if (total > 0) {
          v.measures[kDutyGoodShare] = static_cast<double>(excellent + competent) / total;
          v.measures[kDutyExcellentShare] = static_cast<double>(excellent) / total;
        }
        v.measures[kDevelopmentTarget] = target ? 1 : 0;
      }
    }
    if (expected == 0 || report_year != expected || target) {
      expected = 0;
      continue;
    }
    ++v.facts.years_without_target;
    --expected;
  }
  return Status::Ok();
}

Status GatherSurveys(Database& db, DivisionRange range, int year, Villages& villages) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query("SELECT division_code, responses, satisfied FROM"
                               " satisfaction_survey WHERE division_code BETWEEN ? AND ?"
                               " AND year = ?",
                               {Value(range.lo), Value(range.hi), Value(int64_t{year})}));
  for (const auto& r : rows) {
    const int i = villages.Find(r.Int(0));
    if (i < 0 || r.Int(1) <= 0) continue;
    villages.inputs[i].measures[kSatisfactionRate] =
        static_cast<double>(r.Int(2)) / static_cast<double>(r.Int(1));
  }
  return Status::Ok();
}

// The previous period: for each village, the latest published or final run of year - 1 whose
// scope covers it.
Status GatherPrevious(Database& db, DivisionRange range, int year, Villages& villages) {
  QJ_ASSIGN_OR_RETURN(auto runs,
                      db.Query("SELECT id, scope_lo, scope_hi FROM assess_run"
                               " WHERE year = ? AND status IN ('published', 'final')"
                               " AND scope_lo <= ? AND scope_hi >= ?"
                               " ORDER BY id DESC",
                               {Value(int64_t{year - 1}), Value(range.hi), Value(range.lo)}));
  size_t left = villages.inputs.size();
  for (const auto& run : runs) {
    if (left == 0) break;
    const DivisionRange covered = range.Intersect(DivisionRange{run.Int(1), run.Int(2)});
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db.Query("SELECT division_code, score, stars FROM assess_result"
                                 " WHERE run_id = ? AND division_code BETWEEN ? AND ?",
                                 {Value(run.Int(0)), Value(covered.lo), Value(covered.hi)}));
    for (const auto& r : rows) {
      const int i = villages.Find(r.Int(0));
      if (i < 0) continue;
      VillageInput& v = villages.inputs[i];
      if (v.previous_score) continue;  // a later run already gave it
      v.previous_score = r.Real(1);
      v.previous_stars = static_cast<int>(r.Int(2));
      --left;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<VillageInput>> GatherVillageInputs(storage::Database& db, DivisionRange range,
                                                      int year, Date today) {
  if (year < 2000 || year > 2100) return Status::InvalidField("year", "must be 2000..2100");
  Date ref = *Date::FromYmd(year, 12, 31);
  if (today < ref) ref = today;
  Villages villages;
  QJ_RETURN_IF_ERROR(GatherVillages(db, range, year, villages));
  if (villages.inputs.empty()) return std::vector<VillageInput>{};
  QJ_RETURN_IF_ERROR(GatherPosts(db, range, ref, villages));
  QJ_RETURN_IF_ERROR(GatherMembers(db, range, ref, villages));
  QJ_RETURN_IF_ERROR(GatherTerms(db, range, ref, villages));
  QJ_RETURN_IF_ERROR(GatherPeriodicRatings(db, range, year, villages));
  QJ_RETURN_IF_ERROR(GatherSpotChecks(db, range, year, villages));
  QJ_RETURN_IF_ERROR(GatherDutyReports(db, range, year, villages));
  QJ_RETURN_IF_ERROR(GatherSurveys(db, range, year, villages));
  QJ_RETURN_IF_ERROR(GatherPrevious(db, range, year, villages));
  // Team health and training (services/cultivation_internal.cc, docs/cultivation.md).
  QJ_RETURN_IF_ERROR(
      cultivation_internal::GatherCultivationMeasures(db, range, ref, villages.inputs));
  return std::move(villages.inputs);
}

}  // namespace qiangji::services

// The demo's assessment history. Evidence goes in with one transaction of prepared inserts, each
// record checked by its domain validator first, and one audit row for the lot (the per-record
// service calls would add some 4,000 transactions and audit rows to a demo build). The runs go
// through the run service's own functions (assess_internal.h) at the dates a county would have
// made them, so their audit rows, notice periods and appeals read like a real history.
#include "services/demo_assess.h"

#include <algorithm>

#include <fmt/format.h>

#include "engines/demo/assess_synth.h"
#include "services/assess.h"
#include "services/assess_internal.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
using storage::Value;

// 09:00 Beijing time on `day`, or now when `day` is today (09:00 may still be ahead).
Clock DayClock(const Date& day) {
  return day == Date::TodayInChina() ? SystemClock() : ClockAt(day);
}

// When a record of that date would have been entered: a few days later, never after today.
std::string EnteredAt(const Date& day, const Date& today) {
  return DayClock(std::min(day, today)).now;
}

Status WriteEvidence(storage::Database& db, const engines::demo::AssessEvidence& e,
                     const Date& today, int64_t county_code) {
  return storage::InTransaction(db, storage::TxMode::kWrite, [&]() -> Status {
    constexpr std::string_view kBy = "demo";
    QJ_ASSIGN_OR_RETURN(
        auto rating,
        db.Prepare("INSERT INTO periodic_rating (division_code, period, year, quarter, score,"
                   " meetings_held, affairs_disclosures, finance_disclosed, petitions, note,"
                   " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto& r : e.ratings) {
      QJ_RETURN_IF_ERROR(domain::ValidatePeriodicRating(r));
      QJ_ASSIGN_OR_RETURN(auto yq, domain::ParseQuarter(r.period));
      // Entered ten days after the quarter ends.
      const Date quarter_end =
          *Date::FromYmd(yq.first, yq.second * 3, DaysInMonth(yq.first, yq.second * 3));
      const Value row[] = {Value(r.division_code),
                           Value(r.period),
                           Value(int64_t{yq.first}),
                           Value(int64_t{yq.second}),
                           Value(r.score),
                           Value(r.meetings_held),
                           Value(r.affairs_disclosures),
                           Value(int64_t{r.finance_disclosed}),
                           Value(r.petitions),
                           Value(r.note),
                           Value(EnteredAt(quarter_end.AddDays(10), today)),
                           Value(std::string(kBy))};
      QJ_RETURN_IF_ERROR(rating->Execute(row).status());
    }
    QJ_ASSIGN_OR_RETURN(
        auto check,
        db.Prepare("INSERT INTO spot_check (division_code, check_date, category, severity,"
                   " finding, rectified, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto& c : e.spot_checks) {
      QJ_RETURN_IF_ERROR(domain::ValidateSpotCheck(c));
      const Value row[] = {Value(c.division_code),
                           Value(c.check_date.ToString()),
                           Value(c.category),
                           Value(c.severity),
                           Value(c.finding),
                           Value(int64_t{c.rectified}),
                           Value(EnteredAt(c.check_date.AddDays(2), today)),
                           Value(std::string(kBy))};
      QJ_RETURN_IF_ERROR(check->Execute(row).status());
    }
    QJ_ASSIGN_OR_RETURN(
        auto duty,
        db.Prepare("INSERT INTO duty_report (division_code, year, excellent, competent, basic,"
                   " incompetent, development_target, updated_at, updated_by)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto& d : e.duty_reports) {
      QJ_RETURN_IF_ERROR(domain::ValidateDutyReport(d));
      const Value row[] = {Value(d.division_code),
                           Value(int64_t{d.year}),
                           Value(d.excellent),
                           Value(d.competent),
                           Value(d.basic),
                           Value(d.incompetent),
                           Value(int64_t{d.development_target}),
                           Value(EnteredAt(*Date::FromYmd(d.year + 1, 1, 5), today)),
                           Value(std::string(kBy))};
      QJ_RETURN_IF_ERROR(duty->Execute(row).status());
    }
    QJ_ASSIGN_OR_RETURN(
        auto survey,
        db.Prepare("INSERT INTO satisfaction_survey (division_code, year, responses, satisfied,"
                   " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)"));
    for (const auto& s : e.surveys) {
      QJ_RETURN_IF_ERROR(domain::ValidateSatisfactionSurvey(s));
      const Value row[] = {Value(s.division_code),
                           Value(int64_t{s.year}),
                           Value(s.responses),
                           Value(s.satisfied),
                           Value(EnteredAt(*Date::FromYmd(s.year, 12, 20), today)),
                           Value(std::string(kBy))};
      QJ_RETURN_IF_ERROR(survey->Execute(row).status());
    }
    AuditRecord a;
    a.action = "demo.assess_evidence";
    a.object = fmt::format("division/{}", county_code / 1000000);
    a.division_code = county_code;
    a.after = json::object{{"periodic_ratings", e.ratings.size()},
                           {"spot_checks", e.spot_checks.size()},
                           {"duty_reports", e.duty_reports.size()},
                           {"satisfaction_surveys", e.surveys.size()}};
    return WriteAudit(db, Caller::System(), a);
  });
}

// A caller standing for a demo user (the audit rows name them), with the user's id when the
// user exists.
Result<Caller> DemoCaller(storage::Database& db, std::string username, domain::Role role,
                          std::string scope) {
  Caller c;
  c.username = std::move(username);
  c.role = role;
  QJ_ASSIGN_OR_RETURN(c.scope, ParseScopePrefix(scope));
  c.scope_prefix = std::move(scope);
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query("SELECT id FROM app_user WHERE username = ?", {Value(c.username)}));
  if (!rows.empty()) c.user_id = rows[0].Int(0);
  return c;
}

// The village of `township` whose result in `run` a village would most likely dispute: a
// warning first, then the fewest stars, then the lowest rank.
Result<int64_t> AppealingVillage(storage::Database& db, int64_t run_id, int64_t township) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query("SELECT division_code FROM assess_result WHERE run_id = ? AND"
                               " division_code BETWEEN ? AND ? AND rating_class <> 'weak_lax'"
                               " ORDER BY warning DESC, stars, county_rank DESC, division_code"
                               " LIMIT 1",
                               {Value(run_id), Value(township), Value(township + 999)}));
  if (rows.empty())
    return Status::FailedPrecondition(
        fmt::format("township {:012d} has no village in run {} to appeal", township, run_id));
  return rows[0].Int(0);
}

}  // namespace

Status BuildDemoAssessment(storage::Database& db, std::span<const domain::Division> divisions,
                           const engines::demo::DemoCounty& county, uint64_t seed,
                           const Date& today, DemoReport& report) {
  int64_t county_code = 0, first_township = 0;
  for (const auto& d : divisions) {
    if (d.level == DivisionLevel::kCounty) county_code = d.code;
    if (d.level == DivisionLevel::kTownship && (first_township == 0 || d.code < first_township))
      first_township = d.code;
  }
  if (county_code == 0 || first_township == 0)
    return Status::InvalidArgument("the demo assessment needs a county with townships");
  const std::string county_prefix = fmt::format("{:06d}", county_code / 1000000);

  QJ_RETURN_IF_ERROR(EnsureDefaultIndicatorSet(db));
  engines::demo::AssessSynthOptions options;
  options.seed = seed;
  for (int y = today.year() - 3; y < today.year(); ++y) options.years.push_back(y);
  options.troubled = county.secretary_vacant;
  const engines::demo::AssessEvidence evidence =
      engines::demo::SynthesizeAssessEvidence(divisions, options);
  QJ_RETURN_IF_ERROR(WriteEvidence(db, evidence, today, county_code));
  report.evidence_records =
      static_cast<int64_t>(evidence.ratings.size() + evidence.spot_checks.size() +
                           evidence.duty_reports.size() + evidence.surveys.size());

  QJ_ASSIGN_OR_RETURN(Caller staff,
                      DemoCaller(db, "county_admin", domain::Role::kCounty, county_prefix));
  const std::string town_prefix = fmt::format("{:09d}", first_township / 1000);
  QJ_ASSIGN_OR_RETURN(Caller town,
                      DemoCaller(db, "town_" + town_prefix, domain::Role::kTownship, town_prefix));
  RunRequest request;
  request.scope = county_prefix;
  for (size_t i = 0; i < options.years.size(); ++i) {
    const int year = options.years[i];
    const bool last = i + 1 == options.years.size();
    request.year = year;
    // Earlier years: run on 8 January, published on the 10th, final after the notice.
    const Date ran = last ? today : *Date::FromYmd(year + 1, 1, 8);
    const Date published = last ? today : ran.AddDays(2);
    QJ_ASSIGN_OR_RETURN(RunSummary run, StartRun(db, staff, request, DayClock(ran)));
    QJ_ASSIGN_OR_RETURN(run, PublishRun(db, staff, run.id, DayClock(published)));
    if (i + 2 == options.years.size() || last) {
      QJ_ASSIGN_OR_RETURN(int64_t village, AppealingVillage(db, run.id, first_township));
      const std::string reason =
          last ? fmt::format(
                     "对{}"
                     "年度评定结果有异议：本村第三季度召开支委会和党员大会的会议记录已补交镇党委，"
                     "实际召开三会一课次数多于录入数，群众满意度测评时正值秋收、到场户代表偏少，"
                     "请求复核后重新评定。",
                     year)
               : fmt::format("对{}年度评定结果有异议：抽查发现的问题已于当月整改完毕，不应再扣分。",
                             year);
      QJ_ASSIGN_OR_RETURN(Appeal appeal,
                          LodgeRunAppeal(db, town, run.id, village, reason,
                                         DayClock(last ? today : published.AddDays(2))));
      if (!last) {
        QJ_RETURN_IF_ERROR(
            DecideRunAppeal(db, staff, appeal.id, "rejected",
                            "经核查，该问题整改完成时间晚于抽查日期，评定时已按规定计入；"
                            "维持原评定结果。",
                            ClockAt(published.AddDays(4)))
                .status());
      } else {
        ++report.appeals_pending;
      }
    }
    if (!last) {
      QJ_ASSIGN_OR_RETURN(run, FinalizeRun(db, staff, run.id, ClockAt(published.AddDays(8))));
    }
    DemoReport::AssessRun figures;
    figures.id = run.id;
    figures.year = year;
    figures.status = run.status;
    figures.star_counts = run.star_counts;
    figures.model_count = run.model_count;
    figures.weak_lax_count = run.weak_lax_count;
    figures.warning_count = run.warning_count;
    report.assess_runs.push_back(std::move(figures));
  }
  return Status::Ok();
}

}  // namespace qiangji::services

// Evidence over a real SQLite file: scope (another township's village answers NotFound),
// read-only viewers, upserts with audit rows, and all-or-nothing bulk import of JSON and CSV
// (quoted fields, GB18030 from Excel, every bad row reported, nothing stored).
#include <iconv.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "services/assess_json.h"
#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

using domain::Role;

domain::PeriodicRating Rating(int64_t village, const std::string& period, double score) {
  domain::PeriodicRating r;
  r.division_code = village;
  r.period = period;
  r.score = score;
  r.meetings_held = 6;
  r.affairs_disclosures = 2;
  r.finance_disclosed = true;
  r.petitions = 1;
  return r;
}

std::string ToGb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 8, '\0');
  char* src = const_cast<char*>(utf8.data());
  size_t src_left = utf8.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

class EvidenceTest : public ServicesTest {
 protected:
  EvidenceService& ev() { return svc().assess.evidence; }

  static std::vector<std::string> Fields(const Status& s) {
    std::vector<std::string> out;
    for (const FieldError& e : s.field_errors()) out.push_back(e.field);
    return out;
  }
  static std::string MessageOf(const Status& s, const std::string& field) {
    for (const FieldError& e : s.field_errors())
      if (e.field == field) return e.message;
    return "<no error on " + field + "> in " + s.ToString();
  }
};

TEST_F(EvidenceTest, PutUpsertsAndAuditsBeforeAndAfter) {
  auto first = ev().PutPeriodicRating(town_a_, Rating(kVillageA1, "2025Q1", 82));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->updated_at.empty());
  auto second = ev().PutPeriodicRating(town_a_, Rating(kVillageA1, "2025Q1", 91.5));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->score, 91.5);
  EXPECT_EQ(Count("periodic_rating"), 1);
  EXPECT_EQ(Count("periodic_rating",
                  "year = 2025 AND quarter = 1 AND updated_by = '" + town_a_.username + "'"),
            1);

  auto audit = db_->Query(
      "SELECT object, division_code, before_json, after_json FROM audit"
      " WHERE action = 'periodic_rating.put' ORDER BY id",
      {});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].Text(0), "periodic_rating/130624100201/2025Q1");
  EXPECT_EQ((*audit)[0].Int(1), kVillageA1);
  EXPECT_TRUE((*audit)[0].IsNull(2));
  auto before = ParseJsonExact((*audit)[1].Text(2));
  auto after = ParseJsonExact((*audit)[1].Text(3));
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(before->as_object().at("score").as_double(), 82);
  EXPECT_EQ(after->as_object().at("score").as_double(), 91.5);

  domain::DutyReport d;
  d.division_code = kVillageA2;
  d.year = 2025;
  d.excellent = 12;
  d.competent = 20;
  d.development_target = true;
  ASSERT_TRUE(ev().PutDutyReport(county_, d).ok());
  d.incompetent = 4;
  auto d2 = ev().PutDutyReport(county_, d);
  ASSERT_TRUE(d2.ok()) << d2.status().ToString();
  EXPECT_EQ(d2->incompetent, 4);
  EXPECT_EQ(Count("duty_report"), 1);

  domain::SatisfactionSurvey s;
  s.division_code = kVillageB1;
  s.year = 2024;
  s.responses = 120;
  s.satisfied = 90;
  auto s1 = ev().PutSurvey(county_, s);
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  EXPECT_DOUBLE_EQ(s1->Rate(), 0.75);
  EXPECT_EQ(Count("audit", "action = 'satisfaction_survey.put'"), 1);
}

TEST_F(EvidenceTest, ScopeAndRolesAreEnforced) {
  // Township A may not write township B's village: NotFound, as if it did not exist.
  auto out = ev().PutPeriodicRating(town_a_, Rating(kVillageB1, "2025Q1", 80));
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound) << out.status().ToString();
  EXPECT_EQ(out.status().message(), "village 130624101201 not found");
  domain::SatisfactionSurvey s;
  s.division_code = kVillageB1;
  s.year = 2025;
  s.responses = 10;
  s.satisfied = 5;
  EXPECT_EQ(ev().PutSurvey(town_a_, s).status().code(), StatusCode::kNotFound);
  // The viewer may read but not write.
  EXPECT_EQ(ev().PutPeriodicRating(viewer_, Rating(kVillageA1, "2025Q1", 80)).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(ev().Import(viewer_, "periodic-ratings", "json", "[]").status().code(),
            StatusCode::kPermissionDenied);
  // Village staff do not rate their own organization, not even inside their scope.
  const Caller village = MakeCaller(domain::Role::kVillage, std::to_string(kVillageA1), 5);
  EXPECT_EQ(ev().PutPeriodicRating(village, Rating(kVillageA1, "2025Q1", 99)).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(ev().PutSurvey(village, s).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ev().Import(village, "periodic-ratings", "json", "[]").status().code(),
            StatusCode::kPermissionDenied);
  // A code that is no village.
  auto township = ev().PutPeriodicRating(county_, Rating(kTownA, "2025Q1", 80));
  EXPECT_EQ(township.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(MessageOf(township.status(), "division_code").empty());
  auto missing = ev().PutPeriodicRating(county_, Rating(130624100299, "2025Q1", 80));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("periodic_rating"), 0);
  EXPECT_EQ(Count("audit"), 0);

  // Lists hold only the caller's scope.
  ASSERT_TRUE(ev().PutPeriodicRating(county_, Rating(kVillageA1, "2025Q1", 80)).ok());
  ASSERT_TRUE(ev().PutPeriodicRating(county_, Rating(kVillageB1, "2025Q1", 70)).ok());
  ASSERT_TRUE(ev().PutPeriodicRating(county_, Rating(kVillageB1, "2024Q4", 60)).ok());
  auto a = ev().ListPeriodicRatings(town_a_, {});
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->total, 1);
  EXPECT_EQ(a->items[0].division_code, kVillageA1);
  EXPECT_EQ(ev().ListPeriodicRatings(town_a_, {.under = "130624101"}).status().code(),
            StatusCode::kNotFound);
  auto all = ev().ListPeriodicRatings(viewer_, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 3);
  auto year = ev().ListPeriodicRatings(viewer_, {.under = "130624101", .year = 2025});
  ASSERT_TRUE(year.ok());
  ASSERT_EQ(year->total, 1);
  EXPECT_EQ(year->items[0].period, "2025Q1");
  auto paged = ev().ListPeriodicRatings(county_, {.under = "", .page = 2, .page_size = 2});
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(paged->total, 3);
  EXPECT_EQ(paged->items.size(), 1u);
  auto bad = ev().ListPeriodicRatings(county_, {.under = "", .year = 1990, .page_size = 501});
  EXPECT_EQ(Fields(bad.status()), (std::vector<std::string>{"page_size", "year"}));
}

TEST_F(EvidenceTest, SpotChecksCreateUpdateDeleteInScope) {
  domain::SpotCheck c;
  c.division_code = kVillageB1;
  c.check_date = *Date::FromYmd(2025, 6, 3);
  c.category = "finance";
  c.severity = "serious";
  c.finding = "白条入账 3 笔";
  auto created = ev().CreateSpotCheck(town_b_, c);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);

  domain::SpotCheck change = *created;
  change.rectified = true;
  EXPECT_EQ(ev().UpdateSpotCheck(town_a_, change).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ev().DeleteSpotCheck(town_a_, created->id).code(), StatusCode::kNotFound);
  auto updated = ev().UpdateSpotCheck(town_b_, change);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_TRUE(updated->rectified);
  // Moving it into another township's village is out of scope.
  change.division_code = kVillageA1;
  EXPECT_EQ(ev().UpdateSpotCheck(town_b_, change).status().code(), StatusCode::kNotFound);

  auto in2025 = ev().ListSpotChecks(county_, {.under = "", .year = 2025});
  ASSERT_TRUE(in2025.ok());
  ASSERT_EQ(in2025->total, 1);
  EXPECT_EQ(in2025->items[0].finding, "白条入账 3 笔");
  EXPECT_EQ(ev().ListSpotChecks(county_, {.under = "", .year = 2024})->total, 0);
  EXPECT_EQ(ev().ListSpotChecks(town_a_, {})->total, 0);

  ASSERT_TRUE(ev().DeleteSpotCheck(town_b_, created->id).ok());
  EXPECT_EQ(Count("spot_check"), 0);
  EXPECT_EQ(Count("audit", "action LIKE 'spot_check.%'"), 3);
  EXPECT_EQ(Count("audit",
                  "action = 'spot_check.delete' AND after_json IS NULL AND"
                  " before_json LIKE '%白条%'"),
            1);
}

TEST_F(EvidenceTest, JsonImportInsertsThenUpdatesInOneAuditRow) {
  const std::string rows = R"([
    {"division_code": "130624100201", "period": "2025Q1", "score": 81, "finance_disclosed": true},
    {"division_code": "130624100202", "period": "2025Q1", "score": 77.5, "petitions": 3},
    {"division_code": "130624101201", "period": "2025Q2", "score": 90, "note": "优秀"}
  ])";
  auto report = ev().Import(county_, "periodic-ratings", "json", rows);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 3);
  EXPECT_EQ(report->inserted, 3);
  EXPECT_EQ(report->updated, 0);
  auto again = ev().Import(county_, "periodic-ratings", "json", rows);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->updated, 3);
  EXPECT_EQ(Count("periodic_rating"), 3);
  EXPECT_EQ(Count("audit", "action = 'evidence.import'"), 2);
  EXPECT_EQ(Count("audit", "action = 'periodic_rating.put'"), 0);
  auto list = ev().ListPeriodicRatings(county_, {.under = "130624101"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0].note, "优秀");

  // Exported rows (with read-only fields) import back.
  json::array exported;
  auto stored = ev().ListPeriodicRatings(county_, {});
  ASSERT_TRUE(stored.ok());
  for (const auto& r : stored->items) exported.push_back(PeriodicRatingJson(r));
  auto back = ev().Import(county_, "periodic-ratings", "json", json::serialize(exported));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->updated, 3);
}

TEST_F(EvidenceTest, BadRowsAreAllReportedAndNothingIsStored) {
  const std::string rows = R"([
    {"division_code": "130624100201", "period": "2025Q1", "score": 81},
    {"division_code": "130624100202", "period": "2025Q5", "score": "high"},
    {"division_code": "130624101201", "period": "2025Q1", "score": 70},
    {"division_code": "130624100201", "period": "2025Q1", "score": 60},
    {"division_code": "130624100202", "period": "2025Q1", "score": 101, "petiton": 2},
    "not an object"
  ])";
  // Township A's user: row 2 is township B's village.
  auto r = ev().Import(town_a_, "periodic-ratings", "json", rows);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  // Unknown fields and non-objects are found before any row is read.
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"rows[4].petiton", "rows[5]"}));

  auto r2 = ev().Import(town_a_, "periodic-ratings", "json",
                        R"([{"division_code": "130624100201", "period": "2025Q1", "score": 81},
          {"division_code": "130624100202", "period": "2025Q5", "score": "high"},
          {"division_code": "130624101201", "period": "2025Q1", "score": 70},
          {"division_code": "130624100201", "period": "2025Q1", "score": 60},
          {"division_code": "130624100202", "period": "2025Q1", "score": 101}])");
  ASSERT_EQ(r2.status().code(), StatusCode::kInvalidArgument);
  const Status& s = r2.status();
  EXPECT_EQ(MessageOf(s, "rows[1].score"), "must be a number");
  EXPECT_EQ(MessageOf(s, "rows[2].division_code"), "village 130624101201 not found");
  EXPECT_EQ(MessageOf(s, "rows[3].division_code"), "repeats rows[0] (130624100201/2025Q1)");
  EXPECT_FALSE(MessageOf(s, "rows[4].score").empty());
  EXPECT_NE(s.message().find("in 4 of 5 rows; nothing was imported"), std::string::npos)
      << s.message();
  EXPECT_EQ(Count("periodic_rating"), 0);
  EXPECT_EQ(Count("audit"), 0);

  // Domain checks on a clean parse name the row too.
  auto r3 = ev().Import(county_, "satisfaction-surveys", "json",
                        R"([{"division_code": "130624100201", "year": 2025, "responses": 10,
                             "satisfied": 11}])");
  EXPECT_FALSE(MessageOf(r3.status(), "rows[0].satisfied").empty());
  EXPECT_EQ(Count("satisfaction_survey"), 0);

  EXPECT_EQ(Fields(ev().Import(county_, "ratings", "xml", "").status()),
            (std::vector<std::string>{"kind", "format"}));
  EXPECT_EQ(Fields(ev().Import(county_, "spot-checks", "json", "{").status()),
            (std::vector<std::string>{"text"}));
  EXPECT_EQ(Fields(ev().Import(county_, "spot-checks", "json", "[]").status()),
            (std::vector<std::string>{"rows"}));
}

TEST_F(EvidenceTest, ErrorsAreCountedButOnlyTheFirstHundredListed) {
  std::string csv = "division_code,period,score\n";
  for (int i = 0; i < 150; ++i) csv += fmt::format("130624100201,2025Q{},abc\n", i % 4 + 1);
  auto r = ev().Import(county_, "periodic-ratings", "csv", csv);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field_errors().size(), 100u);
  EXPECT_NE(r.status().message().find("150 problems in 150 of 150 rows"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().field_errors()[0].field, "rows[0].score");
  EXPECT_EQ(r.status().field_errors()[0].message, "must be a number (line 2)");
}

TEST_F(EvidenceTest, CsvQuotedFieldsBooleansAndBom) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "division_code,check_date,category,severity,finding,rectified\r\n"
      "130624100201,2025-03-02,affairs_disclosure,minor,\"公开栏未更新, "
      "缺少\"\"三务\"\"内容\",是\r\n"
      "130624100202,2025-04-10,finance,moderate,\"第一行\n第二行\",false\r\n"
      "\r\n"
      "130624101201,2025-05-01,other,serious,无,0\r\n";
  auto report = ev().Import(county_, "spot-checks", "csv", csv);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 3);
  EXPECT_EQ(report->inserted, 3);
  auto list = ev().ListSpotChecks(county_, {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_EQ(list->items[0].finding, "公开栏未更新, 缺少\"三务\"内容");
  EXPECT_TRUE(list->items[0].rectified);
  EXPECT_EQ(list->items[1].finding, "第一行\n第二行");
  EXPECT_FALSE(list->items[1].rectified);
  EXPECT_EQ(list->items[2].severity, "serious");

  // Rows with an id update those findings.
  const std::string update = fmt::format(
      "id,division_code,check_date,category,severity,finding,rectified\n"
      "{},130624100201,2025-03-02,affairs_disclosure,minor,已整改,true\n",
      list->items[0].id);
  auto updated = ev().Import(county_, "spot-checks", "csv", update);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->updated, 1);
  EXPECT_EQ(Count("spot_check", "finding = '已整改'"), 1);
  EXPECT_EQ(Count("spot_check"), 3);
  auto foreign = ev().Import(town_b_, "spot-checks", "csv", update);
  EXPECT_EQ(MessageOf(foreign.status(), "rows[0].id"),
            fmt::format("spot check {} not found (line 2)", list->items[0].id));

  // Header problems and broken quoting.
  auto unknown = ev().Import(county_, "spot-checks", "csv", "division_code,findng\n1,2\n");
  EXPECT_EQ(unknown.status().field_errors().at(0).field, "columns");
  EXPECT_NE(unknown.status().field_errors().at(0).message.find("unknown column \"findng\""),
            std::string::npos);
  auto open = ev().Import(county_, "spot-checks", "csv", "finding\n\"never closed\n");
  EXPECT_EQ(MessageOf(open.status(), "text"), "line 2: a quoted field is not closed");
  auto ragged = ev().Import(county_, "duty-reports", "csv",
                            "division_code,year,excellent\n130624100201,2025\n");
  EXPECT_EQ(MessageOf(ragged.status(), "rows[0]"), "has 2 cells; the header has 3 (line 2)");
  EXPECT_EQ(Count("duty_report"), 0);
}

TEST_F(EvidenceTest, Gb18030CsvFromExcelIsConverted) {
  const std::string utf8 =
      "division_code,year,excellent,competent,basic,incompetent,development_target\r\n"
      "130624100201,2025,10,25,3,1,是\r\n"
      "130624100202,2025,2,10,8,6,否\r\n";
  const std::string gb = ToGb18030(utf8);
  ASSERT_NE(gb, utf8);
  auto report = ev().Import(town_a_, "duty-reports", "csv", gb);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->inserted, 2);
  auto list = ev().ListDutyReports(town_a_, {.under = "", .year = 2025});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->total, 2);
  EXPECT_TRUE(list->items[0].development_target);
  EXPECT_FALSE(list->items[1].development_target);
  EXPECT_EQ(list->items[1].incompetent, 6);

  // Chinese text survives the conversion.
  const std::string notes = ToGb18030(
      "division_code,period,score,note\n130624100201,2025Q3,88,三会一课按时召开，村务公开及时\n");
  ASSERT_TRUE(ev().Import(town_a_, "periodic-ratings", "csv", notes).ok());
  auto ratings = ev().ListPeriodicRatings(town_a_, {});
  ASSERT_TRUE(ratings.ok());
  ASSERT_EQ(ratings->total, 1);
  EXPECT_EQ(ratings->items[0].note, "三会一课按时召开，村务公开及时");

  // Bytes that are neither UTF-8 nor GB18030.
  auto junk = ev().Import(town_a_, "periodic-ratings", "csv", std::string("period\n\x81\x20\n"));
  EXPECT_EQ(junk.status().field_errors().at(0).field, "text");
}

TEST_F(EvidenceTest, ImportRowLimit) {
  std::string csv = "division_code,year,responses,satisfied\n";
  csv.reserve(4'000'000);
  for (int i = 0; i <= 100'000; ++i) csv += "130624100201,2025,10,5\n";
  auto r = ev().Import(county_, "satisfaction-surveys", "csv", csv);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(r.status(), "rows"), "at most 100000 rows per import");
  EXPECT_EQ(Count("satisfaction_survey"), 0);
}

}  // namespace
}  // namespace qiangji::services::testing

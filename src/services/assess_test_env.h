// Test fixture for the assessment services: the services fixture (test_env.h) plus the
// assessment services and short helpers to put records and evidence in place.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "services/assess.h"
#include "services/test_env.h"

namespace qiangji::services::testing {

class AssessTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (HasFatalFailure()) return;
    assess_ = std::make_unique<AssessServices>(Env{pool_.get(), secrets_.get()});
  }
  void TearDown() override {
    assess_.reset();
    ServicesTest::TearDown();
  }

  AssessServices& as() { return *assess_; }

  static Date D(const std::string& iso) { return Date::Parse(iso).value(); }

  // A person of `village` born on `yyyymmdd` (seq3 odd: a man, even: a woman).
  int64_t AddPerson(int64_t village, const std::string& name, const std::string& yyyymmdd,
                    const std::string& seq3, const std::string& education = "senior_secondary",
                    const std::string& status = "member",
                    const std::string& joined = "2010-07-01") {
    domain::Person p = Person(village, name, IdNumber(yyyymmdd, seq3),
                              (seq3.back() - '0') % 2 ? domain::Sex::kMale : domain::Sex::kFemale);
    p.education = education;
    p.party_status = status;
    p.party_join_date = joined.empty() ? std::nullopt : std::optional<Date>(D(joined));
    auto v = svc().people.Create(system_, p);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->person.id : 0;
  }

  void AddPost(int64_t person, int64_t village, const std::string& kind, const std::string& start,
               const std::string& end = "") {
    domain::Post post;
    post.person_id = person;
    post.division_code = village;
    post.kind = kind;
    post.start_date = D(start);
    if (!end.empty()) post.end_date = D(end);
    auto v = svc().posts.Create(system_, post);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
  }

  void AddOrg(int64_t village, const std::string& term_start, const std::string& term_expiry) {
    domain::PartyOrg o;
    o.division_code = village;
    o.kind = domain::PartyOrgKind::kBranch;
    o.name = "中共测试村支部委员会";
    o.member_count = 20;
    o.term_start = D(term_start);
    o.term_expiry = D(term_expiry);
    auto v = svc().party_orgs.Create(system_, o);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
  }

  void Rate(int64_t village, const std::string& period, double score, int64_t meetings,
            int64_t disclosures, bool finance, int64_t petitions) {
    domain::PeriodicRating r;
    r.division_code = village;
    r.period = period;
    r.score = score;
    r.meetings_held = meetings;
    r.affairs_disclosures = disclosures;
    r.finance_disclosed = finance;
    r.petitions = petitions;
    auto v = as().evidence.PutPeriodicRating(system_, r);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
  }

  void Find(int64_t village, const std::string& date, const std::string& category,
            const std::string& severity, const std::string& finding) {
    domain::SpotCheck c;
    c.division_code = village;
    c.check_date = D(date);
    c.category = category;
    c.severity = severity;
    c.finding = finding;
    auto v = as().evidence.CreateSpotCheck(system_, c);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
  }

  void Report(int64_t village, int year, int64_t excellent, int64_t competent, int64_t basic,
              int64_t incompetent, bool target) {
    domain::DutyReport r;
    r.division_code = village;
    r.year = year;
    r.excellent = excellent;
    r.competent = competent;
    r.basic = basic;
    r.incompetent = incompetent;
    r.development_target = target;
    auto v = as().evidence.PutDutyReport(system_, r);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
  }

  void Survey(int64_t village, int year, int64_t responses, int64_t satisfied) {
    domain::SatisfactionSurvey s;
    s.division_code = village;
    s.year = year;
    s.responses = responses;
    s.satisfied = satisfied;
    auto v = as().evidence.PutSurvey(system_, s);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
  }

  std::unique_ptr<AssessServices> assess_;
};

}  // namespace qiangji::services::testing

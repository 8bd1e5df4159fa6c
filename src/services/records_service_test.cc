// Services over a real SQLite file: scope isolation, read-only roles, all-or-nothing writes,
// personal data encrypted at rest and masked on the way out, and the audit trail.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "services/test_env.h"

namespace qiangji::services::testing {
namespace {

using domain::Role;

class RecordsTest : public ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    auto a =
        svc().people.Create(county_, Person(kVillageA1, "张建国", IdNumber("19850315", "003")));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    person_a_ = a->person.id;
    auto b = svc().people.Create(
        county_, Person(kVillageB1, "李秀英", IdNumber("19700802", "024"), domain::Sex::kFemale));
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    person_b_ = b->person.id;

    domain::PartyOrg org;
    org.division_code = kVillageB1;
    org.kind = domain::PartyOrgKind::kBranch;
    org.name = "中共阜平县平阳镇平阳村支部委员会";
    org.member_count = 20;
    org.secretary_person_id = person_b_;
    auto o = svc().party_orgs.Create(county_, org);
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    org_b_ = o->id;

    domain::Post post;
    post.person_id = person_b_;
    post.division_code = kVillageB1;
    post.kind = "party_secretary";
    post.start_date = *Date::FromYmd(2021, 1, 10);
    auto p = svc().posts.Create(county_, post);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    post_b_ = p->post.id;

    domain::Village v;
    v.division_code = kVillageB1;
    v.households = 300;
    v.population = 1000;
    ASSERT_TRUE(svc().villages.Put(county_, v).ok());
  }

  int64_t person_a_ = 0, person_b_ = 0, org_b_ = 0, post_b_ = 0;
};

void ExpectNotFound(const Status& s, const char* what) {
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << what << ": " << s.ToString();
}

TEST_F(RecordsTest, TownshipUserCannotReadAnotherTownshipsRecords) {
  ExpectNotFound(svc().people.Get(town_a_, person_b_).status(), "person get");
  ExpectNotFound(svc().people.PostHistory(town_a_, person_b_).status(), "post history");
  ExpectNotFound(svc().party_orgs.Get(town_a_, org_b_).status(), "org get");
  ExpectNotFound(svc().villages.Get(town_a_, "130624101201").status(), "village get");
  ExpectNotFound(svc().posts.TwoCommittees(town_a_, "130624101201").status(), "two committees");
  ExpectNotFound(svc().divisions.Get(town_a_, "130624101").status(), "division get");
  ExpectNotFound(svc().divisions.Children(town_a_, "130624101").status(), "division children");
  ExpectNotFound(svc().overview.Get(town_a_, "130624101").status(), "overview");
  ListQuery under_b;
  under_b.under = "130624101";
  ExpectNotFound(svc().people.List(town_a_, under_b).status(), "people list under B");
  ExpectNotFound(svc().villages.List(town_a_, under_b).status(), "village list under B");

  // Lists without a filter hold only the caller's township.
  auto people = svc().people.List(town_a_, {});
  ASSERT_TRUE(people.ok());
  ASSERT_EQ(people->total, 1);
  EXPECT_EQ(people->items[0].person.id, person_a_);
  auto orgs = svc().party_orgs.List(town_a_, {});
  ASSERT_TRUE(orgs.ok());
  EXPECT_EQ(orgs->total, 0);
  auto posts = svc().posts.List(town_a_, {});
  ASSERT_TRUE(posts.ok());
  EXPECT_EQ(posts->total, 0);
  auto villages = svc().villages.List(town_a_, {});
  ASSERT_TRUE(villages.ok());
  EXPECT_EQ(villages->total, 3);
  for (const auto& v : villages->items) EXPECT_EQ(v.division.parent_code, kTownA);

  // The other township sees its own.
  EXPECT_TRUE(svc().people.Get(town_b_, person_b_).ok());
  EXPECT_TRUE(svc().party_orgs.Get(town_b_, org_b_).ok());
}

TEST_F(RecordsTest, OutOfScopeAnswersExactlyLikeMissing) {
  auto out_of_scope = svc().people.Get(town_a_, person_b_).status();
  auto missing = svc().people.Get(town_a_, 999999).status();
  EXPECT_EQ(out_of_scope.code(), missing.code());
  EXPECT_EQ(out_of_scope.message(), fmt::format("person {} not found", person_b_));
  EXPECT_EQ(missing.message(), "person 999999 not found");
}

TEST_F(RecordsTest, TownshipUserCannotChangeAnotherTownshipsRecords) {
  const int64_t audits = Count("audit");
  auto person = svc().people.Get(county_, person_b_)->person;
  person.name = "改名";
  ExpectNotFound(svc().people.Update(town_a_, person).status(), "person update");

  auto org = *svc().party_orgs.Get(county_, org_b_);
  org.name = "改名";
  ExpectNotFound(svc().party_orgs.Update(town_a_, org).status(), "org update");
  ExpectNotFound(svc().party_orgs.Delete(town_a_, org_b_), "org delete");

  domain::Post post = svc().posts.List(county_, {})->items[0].post;
  post.end_date = *Date::FromYmd(2024, 1, 1);
  ExpectNotFound(svc().posts.Update(town_a_, post).status(), "post update");

  domain::Village v;
  v.division_code = kVillageB1;
  v.households = 1;
  ExpectNotFound(svc().villages.Put(town_a_, v).status(), "village put");

  // Nor create into it, nor move one of its own records there.
  ExpectNotFound(
      svc()
          .people.Create(town_a_, Person(kVillageB1, "王五", IdNumber("19800101", "011")))
          .status(),
      "person create in B");
  auto mine = svc().people.Get(town_a_, person_a_)->person;
  mine.division_code = kVillageB1;
  ExpectNotFound(svc().people.Update(town_a_, mine).status(), "person move to B");
  domain::Post into_b;
  into_b.person_id = person_a_;
  into_b.division_code = kVillageB1;
  into_b.kind = "two_committee_member";
  into_b.start_date = *Date::FromYmd(2021, 1, 10);
  ExpectNotFound(svc().posts.Create(town_a_, into_b).status(), "post create in B");
  // A post in A for a person of B: the person does not exist for this caller.
  domain::Post b_person_in_a = into_b;
  b_person_in_a.person_id = person_b_;
  b_person_in_a.division_code = kVillageA1;
  auto s = svc().posts.Create(town_a_, b_person_in_a).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field_errors().at(0).field, "person_id");

  EXPECT_EQ(svc().people.Get(county_, person_b_)->person.name, "李秀英");
  EXPECT_EQ(svc().party_orgs.Get(county_, org_b_)->name, "中共阜平县平阳镇平阳村支部委员会");
  EXPECT_EQ(Count("audit"), audits) << "refused writes leave no trace but change nothing";
  EXPECT_EQ(Count("person"), 2);
  EXPECT_EQ(Count("post"), 1);
}

TEST_F(RecordsTest, ViewerCannotWriteButCanRead) {
  const int64_t audits = Count("audit");
  auto denied = [](const Status& s, const char* what) {
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << what << ": " << s.ToString();
  };
  denied(svc()
             .people.Create(viewer_, Person(kVillageA1, "王五", IdNumber("19800101", "011")))
             .status(),
         "person create");
  auto person = svc().people.Get(viewer_, person_a_);
  ASSERT_TRUE(person.ok());
  denied(svc().people.Update(viewer_, person->person).status(), "person update");
  domain::Village v;
  v.division_code = kVillageA1;
  denied(svc().villages.Put(viewer_, v).status(), "village put");
  denied(svc().party_orgs.Delete(viewer_, org_b_), "org delete");
  denied(svc().party_orgs.Create(viewer_, *svc().party_orgs.Get(county_, org_b_)).status(),
         "org create");
  denied(svc().posts.Update(viewer_, svc().posts.List(county_, {})->items[0].post).status(),
         "post update");
  denied(svc().people.Get(viewer_, person_a_, /*reveal=*/true).status(), "reveal");
  EXPECT_EQ(Count("audit"), audits);
  EXPECT_TRUE(svc().villages.Get(viewer_, "130624101201").ok());
  EXPECT_TRUE(svc().overview.Get(viewer_, "").ok());
}

TEST_F(RecordsTest, BadInputChangesNothing) {
  auto counts = [&] {
    return std::vector<int64_t>{Count("person"), Count("party_org"), Count("post"),
                                Count("village"), Count("audit")};
  };
  const auto before = counts();

  std::string bad_check = IdNumber("19900101", "013");
  bad_check.back() = bad_check.back() == '1' ? '2' : '1';
  auto s = svc().people.Create(county_, Person(kVillageA1, "王五", bad_check)).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field_errors().at(0).field, "id_number");

  // The same ID number twice, even written with a lower-case x, is a duplicate.
  auto dup =
      svc().people.Create(county_, Person(kVillageA2, "张建国", IdNumber("19850315", "003")));
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(dup.status().message().starts_with("id_number")) << dup.status().message();

  auto village_not_in_registry = Person(130624100299, "王五", IdNumber("19900101", "013"));
  EXPECT_EQ(svc().people.Create(county_, village_not_in_registry).status().code(),
            StatusCode::kNotFound);

  domain::Village v;
  v.division_code = kVillageA1;
  v.tags = {"key_village", "rich"};
  s = svc().villages.Put(county_, v).status();
  EXPECT_EQ(s.field_errors().at(0).field, "tags[1]");

  domain::PartyOrg org;
  org.division_code = kVillageA1;
  org.name = "";
  org.secretary_person_id = person_b_;  // lives in another township
  s = svc().party_orgs.Create(county_, org).status();
  EXPECT_EQ(s.field_errors().at(0).field, "name");
  org.name = "中共骆驼湾村支部委员会";
  s = svc().party_orgs.Create(county_, org).status();
  EXPECT_EQ(s.field_errors().at(0).field, "secretary_person_id");

  // A second current party secretary for the same village.
  domain::Post post;
  post.person_id = person_a_;
  post.division_code = kVillageB1;
  post.kind = "party_secretary";
  post.start_date = *Date::FromYmd(2023, 5, 1);
  EXPECT_EQ(svc().posts.Create(county_, post).status().code(), StatusCode::kFailedPrecondition);
  post.kind = "tractor_driver";
  EXPECT_EQ(svc().posts.Create(county_, post).status().field_errors().at(0).field, "kind");

  // An update that breaks a rule leaves the old row as it was.
  auto person = svc().people.Get(county_, person_a_)->person;
  person.name = "新名字";
  person.birth_date = *Date::FromYmd(1985, 3, 16);  // the ID number says the 15th
  s = svc().people.Update(county_, person).status();
  EXPECT_EQ(s.field_errors().at(0).field, "birth_date");
  EXPECT_EQ(svc().people.Get(county_, person_a_)->person.name, "张建国");

  EXPECT_EQ(counts(), before);
}

TEST_F(RecordsTest, IdNumbersAndPhonesAreEncryptedAtRest) {
  const std::string id = IdNumber("19920229", "048");
  auto p = Person(kVillageA2, "赵桂兰", id, domain::Sex::kFemale);
  p.phone = "13987654321";
  ASSERT_TRUE(svc().people.Create(county_, p).ok());
  const std::string bytes = FileBytes();
  EXPECT_NE(bytes.find("赵桂兰"), std::string::npos) << "reading the right files";
  EXPECT_EQ(bytes.find(id), std::string::npos);
  EXPECT_EQ(bytes.find(id.substr(0, 17)), std::string::npos);
  EXPECT_EQ(bytes.find("13987654321"), std::string::npos);
  EXPECT_EQ(bytes.find(IdNumber("19850315", "003")), std::string::npos);
}

TEST_F(RecordsTest, PersonalDataIsMaskedUnlessRevealed) {
  const std::string id = IdNumber("19850315", "003");
  auto masked = svc().people.Get(county_, person_a_);
  ASSERT_TRUE(masked.ok());
  EXPECT_FALSE(masked->revealed);
  EXPECT_EQ(masked->person.id_number, id.substr(0, 3) + "***********" + id.substr(14));
  EXPECT_EQ(masked->person.phone, "138****5678");
  EXPECT_TRUE(masked->age.has_value());
  EXPECT_EQ(masked->division_name, "骆驼湾村");

  auto list = svc().people.List(county_, {});
  ASSERT_TRUE(list.ok());
  for (const auto& v : list->items) {
    EXPECT_NE(v.person.id_number.find("***"), std::string::npos);
    EXPECT_FALSE(v.revealed);
  }

  // Township staff may not reveal; county staff may, and that read is audited.
  EXPECT_EQ(svc().people.Get(town_a_, person_a_, true).status().code(),
            StatusCode::kPermissionDenied);
  const int64_t reveals = Count("audit", "action = 'person.reveal'");
  auto plain = svc().people.Get(county_, person_a_, true);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->revealed);
  EXPECT_EQ(plain->person.id_number, id);
  EXPECT_EQ(plain->person.phone, "13812345678");
  EXPECT_EQ(Count("audit", "action = 'person.reveal'"), reveals + 1);
  EXPECT_EQ(Count("audit",
                  "action = 'person.reveal' AND username = 'county_130624'"
                  " AND object = 'person/" +
                      std::to_string(person_a_) + "'"),
            1);
}

TEST_F(RecordsTest, SearchByNameOrExactIdNumber) {
  ListQuery q;
  q.q = "建国";
  auto by_name = svc().people.List(county_, q);
  ASSERT_TRUE(by_name.ok());
  ASSERT_EQ(by_name->total, 1);
  EXPECT_EQ(by_name->items[0].person.id, person_a_);

  q.q = IdNumber("19700802", "024");
  auto by_id = svc().people.List(county_, q);
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->total, 1);
  EXPECT_EQ(by_id->items[0].person.id, person_b_);
  // The same number is invisible to a caller whose scope does not hold its owner.
  EXPECT_EQ(svc().people.List(town_a_, q)->total, 0);

  q.q = q.q.substr(0, 10);  // part of an ID number is not a search key
  EXPECT_EQ(svc().people.List(county_, q)->total, 0);
  q.q = "%";
  EXPECT_EQ(svc().people.List(county_, q)->total, 0) << "LIKE wildcards are escaped";
}

TEST_F(RecordsTest, LowerCaseXIsStoredNormalised) {
  // Find a sequence whose check character is X.
  std::string id;
  for (int seq = 100; seq < 200 && id.empty(); ++seq) {
    std::string candidate = IdNumber("19800101", std::to_string(seq));
    if (candidate.back() == 'X') id = candidate;
  }
  ASSERT_FALSE(id.empty());
  std::string lower = id;
  lower.back() = 'x';
  auto p = Person(kVillageA1, "钱七", lower);
  p.sex = domain::ParseIdNumber(id)->sex;
  auto created = svc().people.Create(county_, p);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(svc().people.Get(county_, created->person.id, true)->person.id_number, id);
  ListQuery q;
  q.q = lower;
  EXPECT_EQ(svc().people.List(county_, q)->total, 1);
  auto again = Person(kVillageA2, "钱七", id);
  again.sex = p.sex;
  EXPECT_EQ(svc().people.Create(county_, again).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(RecordsTest, UpdateWithMaskedValuesKeepsThem) {
  auto view = svc().people.Get(county_, person_a_);
  ASSERT_TRUE(view.ok());
  domain::Person p = view->person;  // masked id_number and phone
  p.name = "张建军";
  auto updated = svc().people.Update(county_, p);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  auto plain = svc().people.Get(county_, person_a_, true);
  EXPECT_EQ(plain->person.name, "张建军");
  EXPECT_EQ(plain->person.id_number, IdNumber("19850315", "003"));
  EXPECT_EQ(plain->person.phone, "13812345678");
}

TEST_F(RecordsTest, EveryWriteIsAuditedWithBeforeAndAfterMasked) {
  auto p = svc().people.Get(county_, person_a_)->person;
  p.name = "张建军";
  ASSERT_TRUE(svc().people.Update(town_a_, p).ok());
  auto rows = db_->Query(
      "SELECT username, action, object, division_code, before_json, after_json,"
      " client_ip FROM audit ORDER BY id DESC LIMIT 1",
      {});
  ASSERT_TRUE(rows.ok());
  const auto& r = rows->at(0);
  EXPECT_EQ(r.Text(0), "township_130624100");
  EXPECT_EQ(r.Text(1), "person.update");
  EXPECT_EQ(r.Text(2), "person/" + std::to_string(person_a_));
  EXPECT_EQ(r.Int(3), kVillageA1);
  EXPECT_NE(r.Text(4).find("张建国"), std::string::npos);
  EXPECT_NE(r.Text(5).find("张建军"), std::string::npos);
  EXPECT_NE(r.Text(5).find("130***********"), std::string::npos);
  EXPECT_EQ(r.Text(4).find(IdNumber("19850315", "003")), std::string::npos);
  EXPECT_EQ(r.Text(5).find("13812345678"), std::string::npos);
  EXPECT_EQ(r.Text(6), "127.0.0.1");

  // One row per write, for every kind of record, each named by its action.
  for (const char* action : {"person.create", "party_org.create", "post.create", "village.put"})
    EXPECT_GE(Count("audit", std::string("action = '") + action + "'"), 1) << action;
  ASSERT_TRUE(svc().party_orgs.Delete(county_, org_b_).ok());
  EXPECT_EQ(Count("audit",
                  "action = 'party_org.delete' AND before_json IS NOT NULL"
                  " AND after_json IS NULL"),
            1);

  // Admins read the log; nobody else does.
  AuditQuery aq;
  aq.action = "person.update";
  auto log = svc().audit.List(system_, aq);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->total, 1);
  EXPECT_EQ(log->items[0].username, "township_130624100");
  EXPECT_EQ(svc().audit.List(county_, aq).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(RecordsTest, PostsHistoryLineUpAndVacancies) {
  auto detail = svc().villages.Get(county_, "130624101201");
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  EXPECT_EQ(detail->summary.secretary_name, "李秀英");
  EXPECT_EQ(detail->summary.township_name, "平阳镇");
  EXPECT_TRUE(detail->summary.is_villagers_committee);
  EXPECT_EQ(detail->summary.member_count, 1);
  ASSERT_TRUE(detail->summary.village.has_value());
  EXPECT_EQ(detail->summary.village->households, 300);
  ASSERT_EQ(detail->party_orgs.size(), 1u);
  ASSERT_EQ(detail->two_committees.size(), 1u);
  EXPECT_EQ(detail->vacant_posts, (std::vector<std::string>{"committee_director"}));

  // Hand over: the old secretary's post ends the day the new one starts.
  domain::Post old_post = svc().posts.List(county_, {})->items[0].post;
  auto newcomer =
      svc().people.Create(county_, Person(kVillageB1, "孙明", IdNumber("19880505", "015")));
  ASSERT_TRUE(newcomer.ok());
  domain::Post next;
  next.person_id = newcomer->person.id;
  next.division_code = kVillageB1;
  next.kind = "party_secretary";
  next.start_date = *Date::FromYmd(2024, 3, 1);
  EXPECT_EQ(svc().posts.Create(county_, next).status().code(), StatusCode::kFailedPrecondition);
  old_post.end_date = next.start_date;
  ASSERT_TRUE(svc().posts.Update(county_, old_post).ok());
  ASSERT_TRUE(svc().posts.Create(county_, next).ok());
  next.kind = "committee_director";
  ASSERT_TRUE(svc().posts.Create(county_, next).ok());

  auto line_up = svc().posts.TwoCommittees(county_, "130624101201");
  ASSERT_TRUE(line_up.ok());
  ASSERT_EQ(line_up->size(), 2u);
  EXPECT_EQ((*line_up)[0].post.kind, "party_secretary");
  EXPECT_EQ((*line_up)[0].person_name, "孙明");
  EXPECT_EQ((*line_up)[1].post.kind, "committee_director");
  EXPECT_TRUE(svc().villages.Get(county_, "130624101201")->vacant_posts.empty());

  auto history = svc().people.PostHistory(county_, person_b_);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].post.end_date, next.start_date);

  PostQuery current;
  current.current_only = true;
  current.kind = "party_secretary";
  auto secretaries = svc().posts.List(county_, current);
  ASSERT_TRUE(secretaries.ok());
  ASSERT_EQ(secretaries->total, 1);
  EXPECT_EQ(secretaries->items[0].person_name, "孙明");
}

TEST_F(RecordsTest, OverviewCountsWhatIsInScope) {
  domain::PartyOrg org = *svc().party_orgs.Get(county_, org_b_);
  org.term_start = Date::TodayInChina().AddMonths(-59);
  org.term_expiry = Date::TodayInChina().AddDays(30);
  ASSERT_TRUE(svc().party_orgs.Update(county_, org).ok());

  auto o = svc().overview.Get(county_, "");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->townships, 2);
  EXPECT_EQ(o->villages, 4);
  EXPECT_EQ(o->villagers_committees, 3);
  EXPECT_EQ(o->people, 2);
  EXPECT_EQ(o->members, 2);
  ASSERT_EQ(o->villages_by_township.size(), 2u);
  EXPECT_EQ(o->villages_by_township[0].label, "龙泉关镇");
  EXPECT_EQ(o->villages_by_township[0].count, 3);
  EXPECT_EQ(o->villages_by_township[1].count, 1);
  EXPECT_EQ(o->members_by_township[1].count, 1);
  ASSERT_EQ(o->members_by_age_band.size(), 5u);
  int64_t banded = 0;
  for (const auto& b : o->members_by_age_band) banded += b.count;
  EXPECT_EQ(banded, 2);
  EXPECT_EQ(o->members_by_education.size(), 6u);
  EXPECT_EQ(o->members_by_education[2].key, "senior_secondary");
  EXPECT_EQ(o->members_by_education[2].count, 2);
  // Secretaries: B1 has one; A1 and A2 do not (the community is not counted).
  ASSERT_EQ(o->vacant_posts.size(), 2u);
  EXPECT_EQ(o->vacant_posts[0].key, "party_secretary");
  EXPECT_EQ(o->vacant_posts[0].count, 2);
  EXPECT_EQ(o->vacant_posts[1].count, 3);
  EXPECT_EQ(o->terms_expiring_90d, 1);
  EXPECT_EQ(o->terms_expired, 0);

  auto a = svc().overview.Get(town_a_, "");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->townships, 1);
  EXPECT_EQ(a->people, 1);
  EXPECT_EQ(a->terms_expiring_90d, 0);
  auto one_village = svc().overview.Get(county_, "130624101201");
  ASSERT_TRUE(one_village.ok());
  ASSERT_EQ(one_village->villages_by_township.size(), 1u);
  EXPECT_EQ(one_village->villages_by_township[0].label, "平阳镇");
}

TEST_F(RecordsTest, DivisionTreeFollowsScope) {
  auto roots = svc().divisions.Children(town_a_, "");
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 1u);
  EXPECT_EQ((*roots)[0].division.code, kTownA);
  EXPECT_EQ((*roots)[0].child_count, 3);
  // Asking from the county shows only the caller's own township.
  auto from_county = svc().divisions.Children(town_a_, "130624");
  ASSERT_TRUE(from_county.ok());
  ASSERT_EQ(from_county->size(), 1u);
  EXPECT_EQ((*from_county)[0].division.name, "龙泉关镇");
  EXPECT_EQ(svc().divisions.Get(town_a_, "130624")->name, "阜平县") << "ancestors are public";
  auto everything = svc().divisions.Children(system_, "");
  ASSERT_TRUE(everything.ok());
  ASSERT_EQ(everything->size(), 1u);
  EXPECT_EQ((*everything)[0].division.name, "河北省");
  EXPECT_EQ(svc().divisions.Children(county_, "130624")->size(), 2u);
  EXPECT_EQ(svc().divisions.Children(county_, "1306241").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(RecordsTest, ListQueriesAreValidatedAndPaginated) {
  ListQuery q;
  q.page = 0;
  q.page_size = 501;
  q.under = "13062";
  Status s = ValidateListQuery(q);
  ASSERT_EQ(s.field_errors().size(), 3u);
  EXPECT_EQ(s.field_errors()[0].field, "page");
  EXPECT_EQ(s.field_errors()[1].field, "page_size");
  EXPECT_EQ(s.field_errors()[2].field, "under");
  EXPECT_EQ(svc().people.List(county_, q).status().code(), StatusCode::kInvalidArgument);

  ListQuery page;
  page.page_size = 2;
  page.page = 2;
  auto villages = svc().villages.List(county_, page);
  ASSERT_TRUE(villages.ok());
  EXPECT_EQ(villages->total, 4);
  ASSERT_EQ(villages->items.size(), 2u);
  EXPECT_EQ(villages->items[0].division.code, kVillageA2);
}

TEST_F(RecordsTest, MetaReportsDemoFlagAndSchema) {
  auto meta = svc().meta.Get();
  ASSERT_TRUE(meta.ok());
  EXPECT_FALSE(meta->demo);
  EXPECT_EQ(meta->schema_version, storage::LatestSchemaVersion());
  ASSERT_TRUE(
      db_->Execute("INSERT INTO meta (key, value) VALUES ('demo', '1'), ('demo_county', '130624')",
                   {})
          .ok());
  meta = svc().meta.Get();
  EXPECT_TRUE(meta->demo);
  EXPECT_EQ(meta->demo_county, "130624");
}

}  // namespace
}  // namespace qiangji::services::testing

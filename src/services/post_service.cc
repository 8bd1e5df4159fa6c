// Posts: a person in a post kind at a village over [start_date, end_date). A village has at
// most one party secretary and one committee director at a time, and nobody holds the same post
// twice over overlapping periods; breaking either is FailedPrecondition (end the old post first).
#include <fmt/format.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kPostViewSelect =
    "SELECT s.id, s.person_id, s.division_code, s.kind, s.start_date, s.end_date, p.name, d.name"
    " FROM post s JOIN person p ON p.id = s.person_id"
    " LEFT JOIN division d ON d.code = s.division_code";

// Orders posts by the vocabulary (secretary first), portably.
std::string KindRank() {
  std::string out = "CASE s.kind";
  int i = 0;
  for (auto kind : domain::kPostKinds) out += fmt::format(" WHEN '{}' THEN {}", kind, i++);
  return out + " ELSE 99 END";
}

bool SingleHolder(std::string_view kind) {
  return kind == "party_secretary" || kind == "committee_director";
}

PostView ViewFromRow(const Row& r) {
  PostView v;
  v.post.id = r.Int(0);
  v.post.person_id = r.Int(1);
  v.post.division_code = r.Int(2);
  v.post.kind = r.Text(3);
  v.post.start_date = RequiredDate(r, 4);
  v.post.end_date = OptDate(r, 5);
  v.person_name = r.Text(6);
  v.division_name = r.Text(7);
  return v;
}

std::vector<Value> TodayTwice() {
  std::string today = Date::TodayInChina().ToString();
  return {Value(today), Value(today)};
}

Result<PostView> LoadPost(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto views, QueryPostViews(db, " WHERE s.id = ?", {Value(id)}));
  if (views.empty() || !caller.InScope(views[0].post.division_code))
    return Status::NotFound(fmt::format("post {} not found", id));
  return views[0];
}

// References and the one-holder rules, for a post about to be written.
Status CheckPost(Database& db, const Caller& caller, const domain::Post& post) {
  QJ_ASSIGN_OR_RETURN(domain::Division d,
                      DivisionInScope(db, caller, post.division_code,
                                      fmt::format("village {:012d}", post.division_code)));
  QJ_ASSIGN_OR_RETURN(auto person, db.Query("SELECT division_code FROM person WHERE id = ?",
                                            {Value(post.person_id)}));
  if (person.empty() || !caller.InScope(person[0].Int(0)))
    return Status::InvalidField("person_id", "no such person");

  // Periods [start, end) overlap when each starts before the other ends (no end: never ends).
  std::string overlap =
      " s.division_code = ? AND s.kind = ? AND s.id <> ? AND (s.end_date IS NULL OR"
      " s.end_date > ?)";
  std::vector<Value> params = {Value(post.division_code), Value(post.kind), Value(post.id),
                               Value(post.start_date.ToString())};
  if (post.end_date) {
    overlap += " AND s.start_date < ?";
    params.emplace_back(post.end_date->ToString());
  }
  const std::string select =
      "SELECT s.id, p.name FROM post s JOIN person p ON p.id = s.person_id WHERE";
  std::vector<Value> mine = params;
  mine.emplace_back(post.person_id);
  QJ_ASSIGN_OR_RETURN(auto same_person, db.Query(select + overlap + " AND s.person_id = ?", mine));
  if (!same_person.empty())
    return Status::FailedPrecondition(
        fmt::format("{} already holds {} in {} over an overlapping period (post {})",
                    same_person[0].Text(1), post.kind, d.name, same_person[0].Int(0)));
  if (SingleHolder(post.kind)) {
    QJ_ASSIGN_OR_RETURN(auto holders, db.Query(select + overlap, params));
    if (!holders.empty())
      return Status::FailedPrecondition(fmt::format(
          "{} already has a {} ({}, post {}) in that period; set that post's end_date first",
          d.name, post.kind, holders[0].Text(1), holders[0].Int(0)));
  }
  return Status::Ok();
}

}  // namespace

namespace internal {

Result<std::vector<PostView>> QueryPostViews(Database& db, std::string_view where,
                                             const std::vector<Value>& params) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kPostViewSelect) + std::string(where), params));
  std::vector<PostView> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ViewFromRow(r));
  return out;
}

Result<std::vector<PostView>> CurrentTwoCommittees(Database& db, int64_t village_code) {
  std::vector<Value> params = {Value(village_code)};
  for (auto& v : TodayTwice()) params.push_back(std::move(v));
  return QueryPostViews(
      db,
      fmt::format(" WHERE s.division_code = ? AND s.kind IN ('party_secretary',"
                  " 'deputy_party_secretary', 'committee_director', 'two_committee_member')"
                  " AND {} ORDER BY {}, s.start_date, s.id",
                  kCurrentPost, KindRank()),
      params);
}

Result<std::vector<PostView>> CurrentSentPosts(Database& db, int64_t village_code) {
  std::vector<Value> params = {Value(village_code)};
  for (auto& v : TodayTwice()) params.push_back(std::move(v));
  return QueryPostViews(
      db,
      fmt::format(" WHERE s.division_code = ? AND s.kind IN ('first_secretary', 'instructor',"
                  " 'advisor') AND {} ORDER BY s.kind != 'first_secretary', s.start_date, s.id",
                  kCurrentPost),
      params);
}

}  // namespace internal

Result<Page<PostView>> PostService::List(const Caller& caller, const PostQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateListQuery(q.list));
  if (!q.kind.empty() && !domain::Contains(domain::kPostKinds, q.kind))
    return Status::InvalidField("kind", fmt::format("\"{}\" is not a post kind", q.kind));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.list.under));
  std::string where = " WHERE s.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (!q.kind.empty()) {
    where += " AND s.kind = ?";
    params.emplace_back(q.kind);
  }
  if (q.current_only) {
    where += fmt::format(" AND {}", kCurrentPost);
    for (auto& v : TodayTwice()) params.push_back(std::move(v));
  }
  if (!q.list.q.empty()) {
    where += " AND p.name LIKE ? ESCAPE '\\'";
    params.emplace_back(LikePattern(q.list.q));
  }
  Page<PostView> page;
  page.page = q.list.page;
  page.page_size = q.list.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count, db->QueryOne("SELECT COUNT(*) FROM post s JOIN person p ON"
                                                " p.id = s.person_id" +
                                                    where,
                                                params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.list.page_size);
    params.emplace_back(Offset(q.list));
    QJ_ASSIGN_OR_RETURN(
        page.items,
        QueryPostViews(*db,
                       where + fmt::format(" ORDER BY s.division_code, {}, s.start_date DESC, s.id"
                                           " LIMIT ? OFFSET ?",
                                           KindRank()),
                       params));
    return Status::Ok();
  }));
  return page;
}

Result<PostView> PostService::Get(const Caller& caller, int64_t id) {
  auto db = env_.pool->Acquire();
  return LoadPost(*db, caller, id);
}

Result<PostView> PostService::Create(const Caller& caller, domain::Post post) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  post.id = 0;
  if (!caller.InScope(post.division_code))
    return Status::NotFound(fmt::format("village {:012d} not found", post.division_code));
  QJ_RETURN_IF_ERROR(domain::ValidatePost(post));
  auto db = env_.pool->Acquire();
  std::optional<PostView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckPost(*db, caller, post));
    const std::string now = NowUtc();
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db->Query(
            "INSERT INTO post (person_id, division_code, kind, start_date, end_date,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {Value(post.person_id), Value(post.division_code), Value(post.kind),
             Value(post.start_date.ToString()), DateValue(post.end_date), Value(now), Value(now)}));
    post.id = rows.at(0).Int(0);
    QJ_ASSIGN_OR_RETURN(out, LoadPost(*db, caller, post.id));
    AuditRecord a;
    a.action = "post.create";
    a.object = fmt::format("post/{}", post.id);
    a.division_code = post.division_code;
    a.after = PostJson(post);
    return WriteAudit(*db, caller, a);
  }));
  return *out;
}

Result<PostView> PostService::Update(const Caller& caller, domain::Post post) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  auto db = env_.pool->Acquire();
  std::optional<PostView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(PostView before, LoadPost(*db, caller, post.id));
    // Who and where are the post's identity: a different person or village is a new post.
    FieldErrors errors;
    if (post.person_id == 0) post.person_id = before.post.person_id;
    if (post.division_code == 0) post.division_code = before.post.division_code;
    if (post.person_id != before.post.person_id)
      errors.Add("person_id", "cannot change; end this post and create a new one");
    if (post.division_code != before.post.division_code)
      errors.Add("division_code", "cannot change; end this post and create a new one");
    QJ_RETURN_IF_ERROR(errors.ToStatus());
    QJ_RETURN_IF_ERROR(domain::ValidatePost(post));
    QJ_RETURN_IF_ERROR(CheckPost(*db, caller, post));
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE post SET kind = ?, start_date = ?, end_date = ?,"
                                   " updated_at = ? WHERE id = ?",
                                   {Value(post.kind), Value(post.start_date.ToString()),
                                    DateValue(post.end_date), Value(NowUtc()), Value(post.id)})
                           .status());
    QJ_ASSIGN_OR_RETURN(out, LoadPost(*db, caller, post.id));
    AuditRecord a;
    a.action = "post.update";
    a.object = fmt::format("post/{}", post.id);
    a.division_code = post.division_code;
    a.before = PostJson(before.post);
    a.after = PostJson(post);
    return WriteAudit(*db, caller, a);
  }));
  return *out;
}

Result<std::vector<PostView>> PostService::TwoCommittees(const Caller& caller,
                                                         std::string_view village_code) {
  auto code = DivisionCode::Parse(village_code);
  if (!code.ok()) return Status::InvalidField("code", code.status().field_errors()[0].message);
  const std::string what = fmt::format("village {}", village_code);
  if (code->level() != DivisionLevel::kVillage) return Status::NotFound(what + " not found");
  auto db = env_.pool->Acquire();
  std::vector<PostView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(DivisionInScope(*db, caller, code->value(), what).status());
    QJ_ASSIGN_OR_RETURN(out, CurrentTwoCommittees(*db, code->value()));
    return Status::Ok();
  }));
  return out;
}

}  // namespace qiangji::services

// The talent pool (人才库): a row per person adding source, nomination channel and nominator,
// the 双带 ability rating, skills and status to the person record. Duplicates are the same ID
// number: the keyed hash in person is unique across the whole database, so a new talent whose
// ID number is already recorded is refused (AlreadyExists) wherever that person lives, without
// saying who it is when they are outside the caller's scope.
#include <fmt/format.h>

#include "domain/id_number.h"
#include "services/cultivation.h"
#include "services/cultivation_internal.h"
#include "services/cultivation_json.h"
#include "services/internal.h"

namespace qiangji::services {
namespace {

using namespace internal;
using cultivation_internal::LoadPerson;

constexpr std::string_view kTalentSelect =
    "SELECT t.id, t.person_id, p.division_code, t.source, t.channel, t.nominator,"
    " t.ability_rating, t.skills, t.status, t.entered_on, t.note, p.name, p.sex, p.birth_date,"
    " p.id_number_enc, p.education, p.party_status, COALESCE(d.name, '')"
    " FROM talent t JOIN person p ON p.id = t.person_id"
    " LEFT JOIN division d ON d.code = p.division_code";

Result<TalentView> ViewFromRow(const Row& r, const Secrets& secrets) {
  TalentView v;
  domain::Talent& t = v.talent;
  t.id = r.Int(0);
  t.person_id = r.Int(1);
  t.division_code = r.Int(2);
  t.source = r.Text(3);
  t.channel = r.Text(4);
  t.nominator = r.Text(5);
  t.ability_rating = static_cast<int>(r.Int(6));
  t.skills = ParseStringArray(r.Text(7));
  t.status = r.Text(8);
  t.entered_on = OptDate(r, 9);
  t.note = r.Text(10);
  v.name = r.Text(11);
  v.sex = r.Text(12);
  v.birth_date = OptDate(r, 13);
  if (v.birth_date) v.age = Date::TodayInChina().YearsSince(*v.birth_date);
  QJ_ASSIGN_OR_RETURN(std::string id_number, secrets.Decrypt(r.BlobBytes(14)));
  v.id_number = MaskIdNumber(id_number);
  v.education = r.Text(15);
  v.party_status = r.Text(16);
  v.division_name = r.Text(17);
  return v;
}

Result<TalentView> LoadTalent(Database& db, const Caller& caller, const Secrets& secrets,
                              int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kTalentSelect) + " WHERE t.id = ?", {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(2)))
    return Status::NotFound(fmt::format("talent {} not found", id));
  QJ_ASSIGN_OR_RETURN(TalentView v, ViewFromRow(rows[0], secrets));
  QJ_ASSIGN_OR_RETURN(v.current_posts, cultivation_internal::CurrentPostKinds(
                                           db, v.talent.person_id, Date::TodayInChina()));
  return v;
}

Result<const Secrets*> RequireSecrets(const Env& env) {
  if (env.secrets == nullptr) return Status::Internal("no key for personal data is loaded");
  return env.secrets;
}

// A new person for the pool, validated and inserted like PersonService::Create.
Result<int64_t> InsertPerson(Database& db, const Caller& caller, const Secrets& secrets,
                             domain::Person person) {
  if (!caller.InScope(person.division_code))
    return Status::NotFound(fmt::format("village {:012d} not found", person.division_code));
  if (person.id_number.size() == domain::kIdNumberLength && person.id_number.back() == 'x')
    person.id_number.back() = 'X';
  if (!person.birth_date) {
    auto facts = domain::ParseIdNumber(person.id_number);
    if (facts.ok()) person.birth_date = facts->birth_date;
  }
  if (person.party_status.empty()) person.party_status = "masses";
  if (Status st = domain::ValidatePerson(person); !st.ok()) {
    // The person arrived inside the talent's body: name the fields there.
    std::vector<FieldError> errors;
    for (const auto& e : st.field_errors()) errors.push_back({"person." + e.field, e.message});
    return Status::InvalidArgument(st.message(), std::move(errors));
  }
  QJ_RETURN_IF_ERROR(DivisionInScope(db, caller, person.division_code,
                                     fmt::format("village {:012d}", person.division_code))
                         .status());
  const std::string hash = secrets.LookupHash(person.id_number);
  QJ_ASSIGN_OR_RETURN(auto dup, db.Query("SELECT id, division_code FROM person"
                                         " WHERE id_number_hash = ?",
                                         {Value(hash)}));
  if (!dup.empty()) {
    if (caller.InScope(dup[0].Int(1)))
      return Status::AlreadyExists(fmt::format(
          "id_number: this person is already recorded (person {}); add them by person_id",
          dup[0].Int(0)));
    return Status::AlreadyExists(
        "id_number: a person with this ID number is already recorded outside your area");
  }
  const std::string now = NowUtc();
  QJ_ASSIGN_OR_RETURN(
      auto inserted,
      db.Query("INSERT INTO person (division_code, name, sex, ethnicity, birth_date, id_number_enc,"
               " id_number_hash, phone_enc, native_place, education, party_status,"
               " party_join_date, created_at, updated_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {Value(person.division_code), Value(person.name),
                Value(std::string(domain::SexName(person.sex))), Value(person.ethnicity),
                DateValue(person.birth_date), Value(storage::Blob{secrets.Encrypt(person.id_number)}),
                Value(hash),
                person.phone.empty() ? Value(Null{})
                                     : Value(storage::Blob{secrets.Encrypt(person.phone)}),
                Value(person.native_place), Value(person.education), Value(person.party_status),
                DateValue(person.party_join_date), Value(now), Value(now)}));
  person.id = inserted.at(0).Int(0);
  domain::Person masked = person;
  masked.id_number = MaskIdNumber(person.id_number);
  masked.phone = MaskPhone(person.phone);
  AuditRecord a;
  a.action = "person.create";
  a.object = fmt::format("person/{}", person.id);
  a.division_code = person.division_code;
  a.after = PersonJson(masked);
  QJ_RETURN_IF_ERROR(WriteAudit(db, caller, a));
  return person.id;
}

Status WriteTalent(Database& db, const domain::Talent& t, bool insert, int64_t& id) {
  const std::string now = NowUtc();
  if (insert) {
    QJ_ASSIGN_OR_RETURN(
        auto rows,
        db.Query("INSERT INTO talent (person_id, division_code, source, channel, nominator,"
                 " ability_rating, skills, status, entered_on, note, created_at, updated_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {Value(t.person_id), Value(t.division_code), Value(t.source), Value(t.channel),
                  Value(t.nominator), Value(int64_t{t.ability_rating}),
                  Value(StringArrayJson(t.skills)), Value(t.status), DateValue(t.entered_on),
                  Value(t.note), Value(now), Value(now)}));
    id = rows.at(0).Int(0);
    return Status::Ok();
  }
  return db
      .Execute("UPDATE talent SET division_code = ?, source = ?, channel = ?, nominator = ?,"
               " ability_rating = ?, skills = ?, status = ?, entered_on = ?, note = ?,"
               " updated_at = ? WHERE id = ?",
               {Value(t.division_code), Value(t.source), Value(t.channel), Value(t.nominator),
                Value(int64_t{t.ability_rating}), Value(StringArrayJson(t.skills)),
                Value(t.status), DateValue(t.entered_on), Value(t.note), Value(now), Value(t.id)})
      .status();
}

}  // namespace

Result<Page<TalentView>> TalentService::List(const Caller& caller, const TalentQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateListQuery(q.list));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  FieldErrors errors;
  if (!q.source.empty() && !domain::Contains(domain::kTalentSources, q.source))
    errors.Add("source", "is not a talent source");
  if (!q.channel.empty() && !domain::Contains(domain::kNominationChannels, q.channel))
    errors.Add("channel", "is not a nomination channel");
  if (!q.status.empty() && !domain::Contains(domain::kTalentStatuses, q.status))
    errors.Add("status", "must be active, paused or left");
  if (!q.party_status.empty() && !domain::Contains(domain::kPartyStatuses, q.party_status))
    errors.Add("party_status", "is not a Party status");
  if (q.min_rating && (*q.min_rating < 1 || *q.min_rating > 5))
    errors.Add("min_rating", "must be 1 to 5");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.list.under));
  std::string where = " WHERE p.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  auto add = [&](std::string_view column, const std::string& value) {
    if (value.empty()) return;
    where += fmt::format(" AND {} = ?", column);
    params.emplace_back(value);
  };
  add("t.source", q.source);
  add("t.channel", q.channel);
  add("t.status", q.status);
  add("p.party_status", q.party_status);
  if (q.min_rating) {
    where += " AND t.ability_rating >= ?";
    params.emplace_back(int64_t{*q.min_rating});
  }
  if (!q.list.q.empty()) {
    auto id = domain::NormalizeIdNumber(q.list.q);
    where += " AND (p.name LIKE ? ESCAPE '\\' OR p.id_number_hash = ?)";
    params.emplace_back(LikePattern(q.list.q));
    params.emplace_back(id.ok() ? secrets->LookupHash(*id) : std::string());
  }
  Page<TalentView> page;
  page.page = q.list.page;
  page.page_size = q.list.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count, db->QueryOne("SELECT COUNT(*) FROM talent t JOIN person p"
                                                " ON p.id = t.person_id" +
                                                    where,
                                                params, "count"));
    page.total = count.Int(0);
    std::vector<Value> paged = params;
    paged.emplace_back(q.list.page_size);
    paged.emplace_back(Offset(q.list));
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kTalentSelect) + where +
                                                 " ORDER BY p.division_code, p.name, t.id"
                                                 " LIMIT ? OFFSET ?",
                                             paged));
    const std::string today = Date::TodayInChina().ToString();
    for (const auto& r : rows) {
      QJ_ASSIGN_OR_RETURN(TalentView v, ViewFromRow(r, *secrets));
      page.items.push_back(std::move(v));
    }
    // Current posts of the page's people in one query.
    QJ_ASSIGN_OR_RETURN(auto posts,
                        db->Query("SELECT s.person_id, s.kind FROM post s JOIN talent t ON"
                                  " t.person_id = s.person_id WHERE s.division_code BETWEEN ? AND ?"
                                  " AND " + std::string(kCurrentPost) +
                                      " ORDER BY s.person_id, s.kind",
                                  {Value(range.lo), Value(range.hi), Value(today), Value(today)}));
    for (auto& v : page.items) {
      for (const auto& r : posts) {
        if (r.Int(0) == v.talent.person_id) v.current_posts.push_back(r.Text(1));
      }
    }
    return Status::Ok();
  }));
  return page;
}

Result<TalentView> TalentService::Get(const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  std::optional<TalentView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, LoadTalent(*db, caller, *secrets, id));
    return Status::Ok();
  }));
  return *out;
}

Result<TalentView> TalentService::Create(const Caller& caller, domain::Talent talent,
                                         std::optional<domain::Person> person) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  talent.id = 0;
  if (person && talent.person_id != 0)
    return Status::InvalidField("person_id", "give either person_id or a new person, not both");
  if (!person && talent.person_id <= 0)
    return Status::InvalidField("person_id", "is required (or give a new person)");
  {
    domain::Talent probe = talent;
    if (person) probe.person_id = 1;  // the person is created below
    QJ_RETURN_IF_ERROR(domain::ValidateTalent(probe));
  }
  if (!talent.entered_on) talent.entered_on = Date::TodayInChina();
  auto db = env_.pool->Acquire();
  std::optional<TalentView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    if (person) {
      QJ_ASSIGN_OR_RETURN(talent.person_id, InsertPerson(*db, caller, *secrets, *person));
    }
    QJ_ASSIGN_OR_RETURN(auto p, LoadPerson(*db, caller, talent.person_id));
    talent.division_code = p.division_code;
    QJ_ASSIGN_OR_RETURN(auto existing, db->Query("SELECT id FROM talent WHERE person_id = ?",
                                                 {Value(talent.person_id)}));
    if (!existing.empty())
      return Status::AlreadyExists(fmt::format(
          "person_id: this person is already in the talent pool (talent {})", existing[0].Int(0)));
    QJ_RETURN_IF_ERROR(WriteTalent(*db, talent, true, talent.id));
    AuditRecord a;
    a.action = "talent.create";
    a.object = fmt::format("talent/{}", talent.id);
    a.division_code = talent.division_code;
    a.after = TalentJson(talent);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadTalent(*db, caller, *secrets, talent.id));
    return Status::Ok();
  }));
  return *out;
}

Result<TalentView> TalentService::Update(const Caller& caller, domain::Talent talent) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  std::optional<TalentView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(TalentView before, LoadTalent(*db, caller, *secrets, talent.id));
    talent.person_id = before.talent.person_id;  // the person of a talent row never changes
    talent.division_code = before.talent.division_code;
    if (!talent.entered_on) talent.entered_on = before.talent.entered_on;
    QJ_RETURN_IF_ERROR(domain::ValidateTalent(talent));
    int64_t unused = 0;
    QJ_RETURN_IF_ERROR(WriteTalent(*db, talent, false, unused));
    AuditRecord a;
    a.action = "talent.update";
    a.object = fmt::format("talent/{}", talent.id);
    a.division_code = talent.division_code;
    a.before = TalentJson(before.talent);
    a.after = TalentJson(talent);
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadTalent(*db, caller, *secrets, talent.id));
    return Status::Ok();
  }));
  return *out;
}

Result<DuplicateCheck> TalentService::CheckDuplicate(const Caller& caller,
                                                     std::string_view id_number) {
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  QJ_ASSIGN_OR_RETURN(std::string normal, domain::NormalizeIdNumber(id_number, "id_number"));
  const std::string hash = secrets->LookupHash(normal);
  auto db = env_.pool->Acquire();
  DuplicateCheck out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto rows,
                        db->Query("SELECT p.id, p.division_code, p.name, COALESCE(t.id, 0)"
                                  " FROM person p LEFT JOIN talent t ON t.person_id = p.id"
                                  " WHERE p.id_number_hash = ?",
                                  {Value(hash)}));
    if (rows.empty()) return Status::Ok();
    out.exists = true;
    out.in_scope = caller.InScope(rows[0].Int(1));
    if (out.in_scope) {
      out.person_id = rows[0].Int(0);
      out.name = rows[0].Text(2);
      out.talent_id = rows[0].Int(3);
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace qiangji::services

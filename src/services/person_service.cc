// People: the member-record fields of villagers, members and cadres. ID numbers and phones are
// encrypted at rest (Secrets::Encrypt) with a keyed hash of the ID number beside them for exact
// search and duplicate detection; they leave this file masked unless the caller may reveal them
// and asked to, and that read is audited.
//
// On update, an id_number or phone that still carries the mask ('*') means "unchanged", so a
// form that only ever saw masked values can save the other fields.
#include <fmt/format.h>

#include "domain/id_number.h"
#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

using namespace internal;

constexpr std::string_view kPersonSelect =
    "SELECT p.id, p.division_code, p.name, p.sex, p.ethnicity, p.birth_date, p.id_number_enc,"
    " p.phone_enc, p.native_place, p.education, p.party_status, p.party_join_date, d.name"
    " FROM person p LEFT JOIN division d ON d.code = p.division_code";

constexpr std::string_view kDuplicateId =
    "id_number: a person with this ID number is already recorded";

Result<const Secrets*> RequireSecrets(const Env& env) {
  if (env.secrets == nullptr) return Status::Internal("no key for personal data is loaded");
  return env.secrets;
}

// A person with plain ID number and phone, plus the division name.
Result<std::pair<domain::Person, std::string>> PersonFromRow(const Row& r, const Secrets& secrets) {
  domain::Person p;
  p.id = r.Int(0);
  p.division_code = r.Int(1);
  p.name = r.Text(2);
  auto sex = domain::ParseSex(r.Text(3));
  p.sex = sex.ok() ? *sex : domain::Sex::kMale;
  p.ethnicity = r.Text(4);
  p.birth_date = OptDate(r, 5);
  QJ_ASSIGN_OR_RETURN(p.id_number, secrets.Decrypt(r.BlobBytes(6)));
  if (!r.IsNull(7)) {
    QJ_ASSIGN_OR_RETURN(p.phone, secrets.Decrypt(r.BlobBytes(7)));
  }
  p.native_place = r.Text(8);
  p.education = r.Text(9);
  p.party_status = r.Text(10);
  p.party_join_date = OptDate(r, 11);
  return std::make_pair(std::move(p), r.Text(12));
}

domain::Person Masked(domain::Person p) {
  p.id_number = MaskIdNumber(p.id_number);
  p.phone = MaskPhone(p.phone);
  return p;
}

PersonView View(const domain::Person& plain, std::string division_name, bool reveal) {
  PersonView v;
  v.person = reveal ? plain : Masked(plain);
  v.revealed = reveal;
  if (plain.birth_date) v.age = Date::TodayInChina().YearsSince(*plain.birth_date);
  v.division_name = std::move(division_name);
  return v;
}

// The person `id`, NotFound when missing or outside the caller's scope.
Result<std::pair<domain::Person, std::string>> LoadPerson(Database& db, const Caller& caller,
                                                          const Secrets& secrets, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query(std::string(kPersonSelect) + " WHERE p.id = ?", {Value(id)}));
  if (rows.empty() || !caller.InScope(rows[0].Int(1)))
    return Status::NotFound(fmt::format("person {} not found", id));
  return PersonFromRow(rows[0], secrets);
}

// Normalises what the ID number determines: upper-case X, and the birth date when absent.
void Normalize(domain::Person& p) {
  if (p.id_number.size() == domain::kIdNumberLength && p.id_number.back() == 'x')
    p.id_number.back() = 'X';
  if (!p.birth_date) {
    auto facts = domain::ParseIdNumber(p.id_number);
    if (facts.ok()) p.birth_date = facts->birth_date;
  }
}

bool IsMasked(std::string_view s) { return s.find('*') != std::string_view::npos; }

Status CheckUniqueId(Database& db, const std::string& hash, int64_t self_id) {
  QJ_ASSIGN_OR_RETURN(auto rows,
                      db.Query("SELECT id FROM person WHERE id_number_hash = ?", {Value(hash)}));
  if (!rows.empty() && rows[0].Int(0) != self_id)
    return Status::AlreadyExists(std::string(kDuplicateId));
  return Status::Ok();
}

// Writes through the UNIQUE index can still collide with a concurrent insert.
Status NameDuplicate(Status s) {
  if (s.code() == StatusCode::kAlreadyExists)
    return Status::AlreadyExists(std::string(kDuplicateId));
  return s;
}

}  // namespace

Result<Page<PersonView>> PersonService::List(const Caller& caller, const ListQuery& q) {
  QJ_RETURN_IF_ERROR(ValidateListQuery(q));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, q.under));
  std::string where = " WHERE p.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (!q.q.empty()) {
    // A query that is a valid ID number also finds its holder through the keyed hash.
    auto id = domain::NormalizeIdNumber(q.q);
    where += " AND (p.name LIKE ? ESCAPE '\\' OR p.id_number_hash = ?)";
    params.emplace_back(LikePattern(q.q));
    params.emplace_back(id.ok() ? secrets->LookupHash(*id) : std::string());
  }
  Page<PersonView> page;
  page.page = q.page;
  page.page_size = q.page_size;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(Row count,
                        db->QueryOne("SELECT COUNT(*) FROM person p" + where, params, "count"));
    page.total = count.Int(0);
    params.emplace_back(q.page_size);
    params.emplace_back(Offset(q));
    QJ_ASSIGN_OR_RETURN(auto rows, db->Query(std::string(kPersonSelect) + where +
                                                 " ORDER BY p.division_code, p.name, p.id"
                                                 " LIMIT ? OFFSET ?",
                                             params));
    for (const auto& r : rows) {
      QJ_ASSIGN_OR_RETURN(auto person, PersonFromRow(r, *secrets));
      page.items.push_back(View(person.first, std::move(person.second), false));
    }
    return Status::Ok();
  }));
  return page;
}

Result<PersonView> PersonService::Get(const Caller& caller, int64_t id, bool reveal) {
  if (reveal && !caller.MayReveal())
    return Status::PermissionDenied("your role may not see full ID numbers and phones");
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  std::optional<PersonView> out;
  // A reveal is a read that leaves an audit row, so it takes a write transaction.
  QJ_RETURN_IF_ERROR(storage::InTransaction(
      *db, reveal ? storage::TxMode::kWrite : storage::TxMode::kRead, [&]() -> Status {
        QJ_ASSIGN_OR_RETURN(auto person, LoadPerson(*db, caller, *secrets, id));
        out = View(person.first, std::move(person.second), reveal);
        if (!reveal) return Status::Ok();
        AuditRecord a;
        a.action = "person.reveal";
        a.object = fmt::format("person/{}", id);
        a.division_code = person.first.division_code;
        return WriteAudit(*db, caller, a);
      }));
  return *out;
}

Result<PersonView> PersonService::Create(const Caller& caller, domain::Person person) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  person.id = 0;
  if (!caller.InScope(person.division_code))
    return Status::NotFound(fmt::format("village {:012d} not found", person.division_code));
  Normalize(person);
  QJ_RETURN_IF_ERROR(domain::ValidatePerson(person));
  const std::string hash = secrets->LookupHash(person.id_number);
  auto db = env_.pool->Acquire();
  std::string division_name;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(domain::Division d,
                        DivisionInScope(*db, caller, person.division_code,
                                        fmt::format("village {:012d}", person.division_code)));
    division_name = d.name;
    QJ_RETURN_IF_ERROR(CheckUniqueId(*db, hash, 0));
    const std::string now = NowUtc();
    auto inserted = db->Query(
        "INSERT INTO person (division_code, name, sex, ethnicity, birth_date, id_number_enc,"
        " id_number_hash, phone_enc, native_place, education, party_status, party_join_date,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {Value(person.division_code), Value(person.name),
         Value(std::string(domain::SexName(person.sex))), Value(person.ethnicity),
         DateValue(person.birth_date), Value(storage::Blob{secrets->Encrypt(person.id_number)}),
         Value(hash),
         person.phone.empty() ? Value(Null{})
                              : Value(storage::Blob{secrets->Encrypt(person.phone)}),
         Value(person.native_place), Value(person.education), Value(person.party_status),
         DateValue(person.party_join_date), Value(now), Value(now)});
    if (!inserted.ok()) return NameDuplicate(inserted.status());
    person.id = inserted->at(0).Int(0);
    AuditRecord a;
    a.action = "person.create";
    a.object = fmt::format("person/{}", person.id);
    a.division_code = person.division_code;
    a.after = PersonJson(Masked(person));
    return WriteAudit(*db, caller, a);
  }));
  return View(person, division_name, false);
}

Result<PersonView> PersonService::Update(const Caller& caller, domain::Person person) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  std::string division_name;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(auto before, LoadPerson(*db, caller, *secrets, person.id));
    if (!caller.InScope(person.division_code))
      return Status::NotFound(fmt::format("village {:012d} not found", person.division_code));
    if (person.id_number.empty() || IsMasked(person.id_number))
      person.id_number = before.first.id_number;
    if (IsMasked(person.phone)) person.phone = before.first.phone;
    Normalize(person);
    QJ_RETURN_IF_ERROR(domain::ValidatePerson(person));
    QJ_ASSIGN_OR_RETURN(domain::Division d,
                        DivisionInScope(*db, caller, person.division_code,
                                        fmt::format("village {:012d}", person.division_code)));
    division_name = d.name;
    const std::string hash = secrets->LookupHash(person.id_number);
    QJ_RETURN_IF_ERROR(CheckUniqueId(*db, hash, person.id));
    auto updated = db->Execute(
        "UPDATE person SET division_code = ?, name = ?, sex = ?, ethnicity = ?, birth_date = ?,"
        " id_number_enc = ?, id_number_hash = ?, phone_enc = ?, native_place = ?, education = ?,"
        " party_status = ?, party_join_date = ?, updated_at = ? WHERE id = ?",
        {Value(person.division_code), Value(person.name),
         Value(std::string(domain::SexName(person.sex))), Value(person.ethnicity),
         DateValue(person.birth_date), Value(storage::Blob{secrets->Encrypt(person.id_number)}),
         Value(hash),
         person.phone.empty() ? Value(Null{})
                              : Value(storage::Blob{secrets->Encrypt(person.phone)}),
         Value(person.native_place), Value(person.education), Value(person.party_status),
         DateValue(person.party_join_date), Value(NowUtc()), Value(person.id)});
    if (!updated.ok()) return NameDuplicate(updated.status());
    AuditRecord a;
    a.action = "person.update";
    a.object = fmt::format("person/{}", person.id);
    a.division_code = person.division_code;
    a.before = PersonJson(Masked(before.first));
    a.after = PersonJson(Masked(person));
    return WriteAudit(*db, caller, a);
  }));
  return View(person, division_name, false);
}

Result<std::vector<PostView>> PersonService::PostHistory(const Caller& caller, int64_t person_id) {
  QJ_ASSIGN_OR_RETURN(const Secrets* secrets, RequireSecrets(env_));
  auto db = env_.pool->Acquire();
  std::vector<PostView> out;
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(LoadPerson(*db, caller, *secrets, person_id).status());
    // Posts held in villages outside the caller's scope stay hidden.
    QJ_ASSIGN_OR_RETURN(
        out, QueryPostViews(*db,
                            " WHERE s.person_id = ? AND s.division_code BETWEEN ? AND ?"
                            " ORDER BY s.start_date DESC, s.id DESC",
                            {Value(person_id), Value(caller.scope.lo), Value(caller.scope.hi)}));
    return Status::Ok();
  }));
  return out;
}

}  // namespace qiangji::services

// Cultivation (双培养, issue 6; docs/cultivation.md) routes: the talent pool, the membership and
// cadre pipelines, training, practice, team health, settings and a person's timeline.
// parse -> one CultivationServices call -> serialize (services/cultivation_json.h). A broken
// pipeline rule answers 409 with "rule <name>: ..." in detail.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/codec.h"
#include "api/handler_util.h"
#include "api/openapi.h"
#include "api/problem.h"
#include "api/query.h"
#include "domain/cultivation.h"
#include "services/cultivation.h"
#include "services/cultivation_json.h"

namespace qiangji::api {

namespace json = boost::json;

namespace {

HttpResponse Err(const Status& st) { return ProblemFromStatus(st); }

template <typename T, typename F>
json::object List(const std::vector<T>& list, F&& f) {
  return ItemsJson(list, f);
}

Result<domain::Talent> TalentFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::Talent t;
  if (auto v = r.Int("person_id")) t.person_id = *v;
  if (auto v = r.String("source", true)) t.source = *v;
  if (auto v = r.String("channel", true)) t.channel = *v;
  if (auto v = r.String("nominator")) t.nominator = *v;
  if (auto v = r.Int("ability_rating")) {
    // Out of 1..5 is domain::ValidateTalent's to say, beside the other fields.
    t.ability_rating = *v < 1 ? 0 : *v > 5 ? 6 : static_cast<int>(*v);
  }
  if (auto v = r.StringArray("skills")) t.skills = *v;
  if (auto v = r.String("status")) t.status = *v;
  t.entered_on = r.DateField("entered_on");
  if (auto v = r.String("note")) t.note = *v;
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return t;
}

HttpResponse ListTalent(RequestContext& ctx) {
  auto list = ParseListQuery(ctx.query);
  if (!list.ok()) return Err(list.status());
  services::TalentQuery q;
  q.list = *list;
  q.source = ctx.query.Get("source").value_or("");
  q.channel = ctx.query.Get("channel").value_or("");
  q.status = ctx.query.Get("status").value_or("");
  q.party_status = ctx.query.Get("party_status").value_or("");
  auto rating = ctx.query.Int("min_rating", 1, 5);
  if (!rating.ok()) return Err(rating.status());
  if (*rating) q.min_rating = static_cast<int>(**rating);
  return Reply(ctx.services.cultivation.talent.List(ctx.caller, q),
               [](const auto& page) { return PageJson(page, services::TalentViewJson); });
}

HttpResponse CreateTalent(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  auto talent = TalentFromJson(*body);
  if (!talent.ok()) return Err(talent.status());
  std::optional<domain::Person> person;
  if (const json::value* p = body->if_contains("person"); p && !p->is_null()) {
    if (!p->is_object()) return Err(Status::InvalidField("person", "must be an object"));
    auto parsed = PersonFromJson(p->as_object());
    if (!parsed.ok()) {
      // Name the fields inside "person".
      std::vector<FieldError> errors;
      for (const auto& e : parsed.status().field_errors())
        errors.push_back({"person." + e.field, e.message});
      return Err(Status::InvalidArgument(parsed.status().message(), std::move(errors)));
    }
    person = std::move(*parsed);
  }
  auto created = ctx.services.cultivation.talent.Create(ctx.caller, std::move(*talent), person);
  if (!created.ok()) return Err(created.status());
  return Created(services::TalentViewJson(*created),
                 fmt::format("/api/v1/talent/{}", created->talent.id));
}

HttpResponse GetTalent(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  return Reply(ctx.services.cultivation.talent.Get(ctx.caller, *id), services::TalentViewJson);
}

HttpResponse UpdateTalent(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return Err(st);
  auto talent = TalentFromJson(*body);
  if (!talent.ok()) return Err(talent.status());
  talent->id = *id;
  return Reply(ctx.services.cultivation.talent.Update(ctx.caller, std::move(*talent)),
               services::TalentViewJson);
}

HttpResponse CheckDuplicate(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  FieldErrors errors;
  FieldReader r(*body, errors);
  auto id_number = r.String("id_number", true);
  if (Status st = errors.ToStatus(); !st.ok()) return Err(st);
  return Reply(ctx.services.cultivation.talent.CheckDuplicate(ctx.caller, *id_number),
               services::DuplicateCheckJson);
}

// ---- membership ----

HttpResponse MembershipHistory(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  return Reply(ctx.services.cultivation.membership.History(ctx.caller, *id),
               services::MembershipHistoryJson);
}

HttpResponse AddMembershipStep(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  FieldErrors errors;
  FieldReader r(*body, errors);
  domain::MembershipStep s;
  s.person_id = *id;
  if (auto v = r.String("stage", true)) s.stage = *v;
  if (auto v = r.DateField("date", true)) s.date = *v;
  if (auto v = r.Int("months")) {
    if (*v < 0 || *v > 120) errors.Add("months", "an extension of the probation is 6 to 12 months");
    else s.months = static_cast<int>(*v);
  }
  if (auto v = r.String("note")) s.note = *v;
  if (Status st = errors.ToStatus(); !st.ok()) return Err(st);
  return Reply(ctx.services.cultivation.membership.AddStep(ctx.caller, std::move(s)),
               services::MembershipHistoryJson, 201);
}

HttpResponse GetFunnel(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  const std::string level = ctx.query.Get("level").value_or("township");
  return Reply(ctx.services.cultivation.membership.FunnelCounts(ctx.caller, *under, level),
               services::FunnelJson);
}

HttpResponse GetReminders(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  return Reply(ctx.services.cultivation.membership.Reminders(ctx.caller, *under),
               [](const auto& list) { return List(list, services::ReminderJson); });
}

// ---- cadre pipeline ----

HttpResponse CadreHistory(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  return Reply(ctx.services.cultivation.cadres.History(ctx.caller, *id),
               services::CadreHistoryJson);
}

HttpResponse AddCadreStep(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  FieldErrors errors;
  FieldReader r(*body, errors);
  domain::CadreStep s;
  s.person_id = *id;
  if (auto v = r.String("stage", true)) s.stage = *v;
  if (auto v = r.DateField("date", true)) s.date = *v;
  if (auto v = r.String("note")) s.note = *v;
  if (Status st = errors.ToStatus(); !st.ok()) return Err(st);
  return Reply(ctx.services.cultivation.cadres.AddStep(ctx.caller, std::move(s)),
               services::CadreHistoryJson, 201);
}

// ---- training ----

Result<domain::Course> CourseFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::Course c;
  if (auto v = r.String("division_code", true)) {
    auto range = ParseScopePrefix(*v);
    if (!range.ok() || (v->size() != 6 && v->size() != 9))
      errors.Add("division_code", "the organizer is a county (6 digits) or a township (9 digits)");
    else
      c.division_code = range->lo;
  }
  if (auto v = r.String("title", true)) c.title = *v;
  if (auto v = r.String("kind", true)) c.kind = *v;
  if (auto v = r.String("mode", true)) c.mode = *v;
  if (auto v = r.String("direction", true)) c.direction = *v;
  if (auto v = r.StringArray("topics", true)) c.topics = *v;
  if (auto v = r.Number("hours", true)) c.hours = *v;
  if (auto v = r.DateField("start_date", true)) c.start_date = *v;
  if (auto v = r.DateField("end_date", true)) c.end_date = *v;
  if (auto v = r.String("place")) c.place = *v;
  if (auto v = r.String("note")) c.note = *v;
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return c;
}

HttpResponse ListCourses(RequestContext& ctx) {
  services::CourseQuery q;
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  q.under = *under;
  auto year = ctx.query.Int("year", 2000, 2100);
  if (!year.ok()) return Err(year.status());
  q.year = year->value_or(0);
  q.kind = ctx.query.Get("kind").value_or("");
  q.topic = ctx.query.Get("topic").value_or("");
  return Reply(ctx.services.cultivation.training.List(ctx.caller, q),
               [](const auto& list) { return List(list, services::CourseViewJson); });
}

HttpResponse CreateCourse(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  auto course = CourseFromJson(*body);
  if (!course.ok()) return Err(course.status());
  auto created = ctx.services.cultivation.training.Create(ctx.caller, std::move(*course));
  if (!created.ok()) return Err(created.status());
  return Created(services::CourseDetailJson(*created),
                 fmt::format("/api/v1/training/courses/{}", created->view.course.id));
}

HttpResponse GetCourse(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  return Reply(ctx.services.cultivation.training.Get(ctx.caller, *id),
               services::CourseDetailJson);
}

HttpResponse UpdateCourse(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  if (Status st = CheckBodyId(*body, "id", *id); !st.ok()) return Err(st);
  auto course = CourseFromJson(*body);
  if (!course.ok()) return Err(course.status());
  course->id = *id;
  return Reply(ctx.services.cultivation.training.Update(ctx.caller, std::move(*course)),
               services::CourseDetailJson);
}

HttpResponse SetAttendance(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  const json::value* items = body->if_contains("attendance");
  if (!items || !items->is_array())
    return Err(Status::InvalidField("attendance", "must be an array of {person_id, attended,"
                                                   " completed, hours}"));
  FieldErrors errors;
  std::vector<domain::Attendance> list;
  for (size_t i = 0; i < items->as_array().size(); ++i) {
    const json::value& item = items->as_array()[i];
    const std::string at = fmt::format("attendance[{}]", i);
    if (!item.is_object()) {
      errors.Add(at, "must be an object");
      continue;
    }
    FieldErrors inner;
    FieldReader r(item.as_object(), inner);
    domain::Attendance a;
    if (auto v = r.Int("person_id", true)) a.person_id = *v;
    if (auto v = r.Bool("attended")) a.attended = *v;
    if (auto v = r.Bool("completed")) a.completed = *v;
    a.hours = r.Number("hours");
    for (const auto& e : inner.errors()) errors.Add(at + "." + e.field, e.message);
    list.push_back(a);
  }
  if (Status st = errors.ToStatus(); !st.ok()) return Err(st);
  return Reply(ctx.services.cultivation.training.SetAttendance(ctx.caller, *id, std::move(list)),
               services::CourseDetailJson);
}

HttpResponse GetCoverage(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  auto year = ctx.query.Int("year", 2000, 2100);
  if (!year.ok()) return Err(year.status());
  const int y = static_cast<int>(year->value_or(Date::TodayInChina().year()));
  return Reply(ctx.services.cultivation.training.Coverage(ctx.caller, *under, y),
               services::CoverageJson);
}

// ---- practice ----

Result<domain::Secondment> SecondmentFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::Secondment s;
  if (auto v = r.Int("person_id")) s.person_id = *v;
  if (auto v = r.String("host_kind", true)) s.host_kind = *v;
  if (auto v = r.String("host", true)) s.host = *v;
  if (auto v = r.DateField("start_date", true)) s.start_date = *v;
  s.end_date = r.DateField("end_date");
  if (auto v = r.String("goals")) s.goals = *v;
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return s;
}

Result<domain::Mentoring> MentoringFromJson(const json::object& o) {
  FieldErrors errors;
  FieldReader r(o, errors);
  domain::Mentoring m;
  if (auto v = r.Int("mentor_person_id")) m.mentor_person_id = *v;
  if (auto v = r.Int("mentee_person_id")) m.mentee_person_id = *v;
  if (auto v = r.String("goals", true)) m.goals = *v;
  if (auto v = r.DateField("start_date", true)) m.start_date = *v;
  m.end_date = r.DateField("end_date");
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  return m;
}

HttpResponse ListSecondments(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  return Reply(ctx.services.cultivation.practice.Secondments(ctx.caller, *under),
               [](const auto& list) { return List(list, services::SecondmentViewJson); });
}

HttpResponse CreateSecondment(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  auto s = SecondmentFromJson(*body);
  if (!s.ok()) return Err(s.status());
  auto created = ctx.services.cultivation.practice.CreateSecondment(ctx.caller, std::move(*s));
  if (!created.ok()) return Err(created.status());
  return Created(services::SecondmentViewJson(*created),
                 fmt::format("/api/v1/practice/secondments/{}", created->secondment.id));
}

HttpResponse UpdateSecondment(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  auto s = SecondmentFromJson(*body);
  if (!s.ok()) return Err(s.status());
  s->id = *id;
  return Reply(ctx.services.cultivation.practice.UpdateSecondment(ctx.caller, std::move(*s)),
               services::SecondmentViewJson);
}

HttpResponse ListMentoring(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  return Reply(ctx.services.cultivation.practice.MentoringPairs(ctx.caller, *under),
               [](const auto& list) { return List(list, services::MentoringViewJson); });
}

HttpResponse CreateMentoring(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  auto m = MentoringFromJson(*body);
  if (!m.ok()) return Err(m.status());
  auto created = ctx.services.cultivation.practice.CreateMentoring(ctx.caller, std::move(*m));
  if (!created.ok()) return Err(created.status());
  return Created(services::MentoringViewJson(*created),
                 fmt::format("/api/v1/practice/mentoring/{}", created->mentoring.id));
}

HttpResponse UpdateMentoring(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  auto m = MentoringFromJson(*body);
  if (!m.ok()) return Err(m.status());
  m->id = *id;
  return Reply(ctx.services.cultivation.practice.UpdateMentoring(ctx.caller, std::move(*m)),
               services::MentoringViewJson);
}

// ---- team health, settings, timeline ----

HttpResponse VillageTeamHealth(RequestContext& ctx) {
  auto code = CodeParam(ctx, true);
  if (!code.ok()) return Err(code.status());
  return Reply(ctx.services.cultivation.health.Village(ctx.caller, code->ToString()),
               services::VillageTeamHealthJson);
}

HttpResponse TeamHealthUnder(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  return Reply(ctx.services.cultivation.health.Under(ctx.caller, *under),
               services::TeamHealthReportJson);
}

HttpResponse GetSettings(RequestContext& ctx) {
  auto under = ctx.query.DivisionPrefix("under");
  if (!under.ok()) return Err(under.status());
  return Reply(ctx.services.cultivation.health.Settings(ctx.caller, *under),
               services::SettingsJson);
}

HttpResponse PutSettings(RequestContext& ctx) {
  auto body = Body(ctx);
  if (!body.ok()) return Err(body.status());
  FieldErrors errors;
  FieldReader r(*body, errors);
  services::CultivationSettings s;
  if (auto v = r.String("scope", true)) s.scope = *v;
  if (auto v = r.Int("reserve_target", true)) s.reserve_target = *v;
  if (auto v = r.Number("annual_hours", true)) s.annual_hours = *v;
  if (Status st = errors.ToStatus(); !st.ok()) return Err(st);
  return Reply(ctx.services.cultivation.health.PutSettings(ctx.caller, std::move(s)),
               services::SettingsJson);
}

HttpResponse GetTimeline(RequestContext& ctx) {
  auto id = IdParam(ctx);
  if (!id.ok()) return Err(id.status());
  return Reply(ctx.services.cultivation.health.Timeline(ctx.caller, *id), services::TimelineJson);
}

const ParamDoc kUnder{"under", "string", "division prefix to narrow to, e.g. 130624100"};
const ParamDoc kPage{"page", "integer", "1-based page"};
const ParamDoc kPageSize{"page_size", "integer", "1..500"};
const ParamDoc kText{"q", "string", "name, or an exact ID number (found through its hash)"};
const ParamDoc kSource{"source", "string", "returnee_graduate, returnee_worker, veteran, ..."};
const ParamDoc kChannel{"channel", "string", "org_nomination, mass_nomination, self_nomination"};
const ParamDoc kStatus{"status", "string", "active, paused or left"};
const ParamDoc kPartyStatus{"party_status", "string", "masses, applicant, activist, ..."};
const ParamDoc kMinRating{"min_rating", "integer", "双带 ability rating at least (1..5)"};
const ParamDoc kLevel{"level", "string", "village (branch), township (default) or county"};
const ParamDoc kYear{"year", "integer", "calendar year (default this year)"};
const ParamDoc kKind{"kind", "string", "pre_job, on_job or professional"};
const ParamDoc kTopic{"topic", "string", "market_economy, practical_technology, policy_law, ..."};

}  // namespace

std::string_view CultivationSchemasJson() {
  return R"json({
  "Talent": {"type": "object", "required": ["source", "channel"], "properties": {
    "id": {"type": "integer", "readOnly": true},
    "person_id": {"type": "integer", "description": "an existing person; or give person"},
    "person": {"$ref": "#/components/schemas/Person"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "source": {"type": "string", "enum": ["returnee_graduate", "returnee_worker", "veteran",
                                          "wealth_leader", "coop_chair"]},
    "channel": {"type": "string", "enum": ["org_nomination", "mass_nomination",
                                           "self_nomination"]},
    "nominator": {"type": "string", "maxLength": 60},
    "ability_rating": {"type": "integer", "minimum": 1, "maximum": 5},
    "skills": {"type": "array", "items": {"type": "string", "maxLength": 20}, "maxItems": 10},
    "status": {"type": "string", "enum": ["active", "paused", "left"]},
    "entered_on": {"type": "string", "format": "date", "nullable": true},
    "note": {"type": "string"},
    "name": {"type": "string", "readOnly": true}, "sex": {"type": "string", "readOnly": true},
    "birth_date": {"type": "string", "format": "date", "readOnly": true},
    "age": {"type": "integer", "nullable": true, "readOnly": true},
    "id_number": {"type": "string", "readOnly": true, "description": "masked"},
    "education": {"type": "string", "readOnly": true},
    "party_status": {"type": "string", "readOnly": true},
    "division_name": {"type": "string", "readOnly": true},
    "current_posts": {"type": "array", "items": {"type": "string"}, "readOnly": true}}},
  "TalentPage": {"type": "object", "required": ["items", "total", "page", "page_size"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Talent"}},
      "total": {"type": "integer"}, "page": {"type": "integer"}, "page_size": {"type": "integer"}}},
  "DuplicateCheckRequest": {"type": "object", "required": ["id_number"],
    "properties": {"id_number": {"type": "string"}}},
  "DuplicateCheck": {"type": "object", "properties": {
    "exists": {"type": "boolean"}, "in_scope": {"type": "boolean"},
    "person_id": {"type": "integer"}, "talent_id": {"type": "integer", "nullable": true},
    "name": {"type": "string"}}},
  "MembershipStep": {"type": "object", "required": ["stage", "date"], "properties": {
    "id": {"type": "integer", "readOnly": true},
    "stage": {"type": "string", "enum": ["applicant", "activist", "development_target",
                                         "probationary_member", "member", "probation_extended"]},
    "date": {"type": "string", "format": "date"},
    "months": {"type": "integer", "minimum": 6, "maximum": 12,
               "description": "only for probation_extended"},
    "note": {"type": "string"}}},
  "MembershipHistory": {"type": "object", "properties": {
    "person_id": {"type": "integer"}, "name": {"type": "string"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "division_name": {"type": "string"}, "current_stage": {"type": "string"},
    "next_stage": {"type": "string", "nullable": true},
    "next_eligible_on": {"type": "string", "format": "date", "nullable": true},
    "steps": {"type": "array", "items": {"$ref": "#/components/schemas/MembershipStep"}}}},
  "Funnel": {"type": "object", "properties": {
    "level": {"type": "string"}, "stages": {"type": "array", "items": {"type": "string"}},
    "groups": {"type": "array", "items": {"type": "object", "properties": {
      "code": {"type": "string"}, "name": {"type": "string"},
      "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}}},
    "totals": {"type": "object", "additionalProperties": {"type": "integer"}}}},
  "ReminderList": {"type": "object", "required": ["items"], "properties": {"items": {
    "type": "array", "items": {"type": "object", "properties": {
      "person_id": {"type": "integer"}, "name": {"type": "string"},
      "division_code": {"$ref": "#/components/schemas/DivisionCode"},
      "division_name": {"type": "string"},
      "kind": {"type": "string", "enum": ["development_target_due", "probation_ending"]},
      "stage": {"type": "string"}, "since": {"type": "string", "format": "date"},
      "due_on": {"type": "string", "format": "date"},
      "status": {"type": "string", "enum": ["upcoming", "due", "overdue"]},
      "days": {"type": "integer"}}}}}},
  "CadreStep": {"type": "object", "required": ["stage", "date"], "properties": {
    "id": {"type": "integer", "readOnly": true},
    "stage": {"type": "string", "enum": ["reserve_cadre", "two_committee_member",
                                         "party_secretary", "collective_manager"]},
    "date": {"type": "string", "format": "date"}, "note": {"type": "string"}}},
  "CadreHistory": {"type": "object", "properties": {
    "person_id": {"type": "integer"}, "name": {"type": "string"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "division_name": {"type": "string"},
    "current_posts": {"type": "array", "items": {"type": "string"}},
    "steps": {"type": "array", "items": {"$ref": "#/components/schemas/CadreStep"}}}},
  "Course": {"type": "object",
    "required": ["division_code", "title", "kind", "mode", "direction", "topics", "hours",
                 "start_date", "end_date"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "division_code": {"type": "string", "description": "organizer: county (6) or township (9)"},
    "title": {"type": "string", "maxLength": 100},
    "kind": {"type": "string", "enum": ["pre_job", "on_job", "professional"]},
    "mode": {"type": "string", "enum": ["expert_lecture", "seminar", "field_study", "online",
                                        "offline"]},
    "direction": {"type": "string", "enum": ["bring_in", "go_out"]},
    "topics": {"type": "array", "items": {"type": "string", "enum": ["market_economy",
               "practical_technology", "policy_law", "management"]}},
    "hours": {"type": "number", "minimum": 0.5, "maximum": 500, "multipleOf": 0.5},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date"},
    "place": {"type": "string"}, "note": {"type": "string"},
    "division_name": {"type": "string", "readOnly": true},
    "attendees": {"type": "integer", "readOnly": true},
    "completed": {"type": "integer", "readOnly": true},
    "attendance": {"type": "array", "readOnly": true, "items": {"type": "object"}}}},
  "CourseList": {"type": "object", "required": ["items"], "properties": {"items": {
    "type": "array", "items": {"$ref": "#/components/schemas/Course"}}}},
  "AttendanceList": {"type": "object", "required": ["attendance"], "properties": {
    "attendance": {"type": "array", "items": {"type": "object", "required": ["person_id"],
      "properties": {"person_id": {"type": "integer"}, "attended": {"type": "boolean"},
                     "completed": {"type": "boolean"},
                     "hours": {"type": "number", "nullable": true}}}}}},
  "Coverage": {"type": "object", "properties": {
    "year": {"type": "integer"}, "required_hours": {"type": "number"},
    "cadres": {"type": "integer"}, "trained": {"type": "integer"}, "met": {"type": "integer"},
    "coverage": {"type": "number"}, "met_share": {"type": "number"},
    "hours": {"type": "number"},
    "by_township": {"type": "array", "items": {"type": "object"}},
    "hours_by_kind": {"type": "object"}, "hours_by_topic": {"type": "object"},
    "people": {"type": "array", "items": {"type": "object"}}}},
  "Secondment": {"type": "object", "required": ["person_id", "host_kind", "host", "start_date"],
    "properties": {
    "id": {"type": "integer", "readOnly": true}, "person_id": {"type": "integer"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "host_kind": {"type": "string", "enum": ["enterprise", "park", "new_org"]},
    "host": {"type": "string", "maxLength": 100},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date", "nullable": true},
    "goals": {"type": "string"}, "name": {"type": "string", "readOnly": true},
    "division_name": {"type": "string", "readOnly": true}}},
  "SecondmentList": {"type": "object", "required": ["items"], "properties": {"items": {
    "type": "array", "items": {"$ref": "#/components/schemas/Secondment"}}}},
  "Mentoring": {"type": "object",
    "required": ["mentor_person_id", "mentee_person_id", "goals", "start_date"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "mentor_person_id": {"type": "integer"}, "mentee_person_id": {"type": "integer"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "goals": {"type": "string", "maxLength": 500},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date", "nullable": true},
    "mentor_name": {"type": "string", "readOnly": true},
    "mentee_name": {"type": "string", "readOnly": true}}},
  "MentoringList": {"type": "object", "required": ["items"], "properties": {"items": {
    "type": "array", "items": {"$ref": "#/components/schemas/Mentoring"}}}},
  "TeamHealth": {"type": "object", "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "township_name": {"type": "string"},
    "member_count": {"type": "integer"}, "average_age": {"type": "number", "nullable": true},
    "share_under_35": {"type": "number", "nullable": true},
    "share_under_45": {"type": "number", "nullable": true},
    "women": {"type": "integer"}, "women_share": {"type": "number", "nullable": true},
    "education": {"type": "object", "additionalProperties": {"type": "integer"}},
    "college_share": {"type": "number", "nullable": true},
    "wealth_leaders": {"type": "integer"},
    "wealth_leader_share": {"type": "number", "nullable": true},
    "reserve_count": {"type": "integer"}, "reserve_target": {"type": "integer"},
    "reserve_shortfall": {"type": "integer"},
    "secretary_vacancy_days": {"type": "integer", "nullable": true},
    "director_vacancy_days": {"type": "integer", "nullable": true},
    "term_expiry": {"type": "string", "format": "date", "nullable": true},
    "days_to_term_expiry": {"type": "integer", "nullable": true},
    "term_status": {"type": "string", "enum": ["unknown", "current", "expiring", "expired"]},
    "concurrent_posts": {"type": "string", "enum": ["full", "partial", "none", "vacant"]},
    "training_required_met": {"type": "integer"}, "annual_hours": {"type": "number"}}},
  "TeamHealthReport": {"type": "object", "properties": {
    "summary": {"type": "object"},
    "villages": {"type": "array", "items": {"$ref": "#/components/schemas/TeamHealth"}}}},
  "CultivationSettings": {"type": "object",
    "required": ["scope", "reserve_target", "annual_hours"], "properties": {
    "scope": {"type": "string", "description": "6, 9 or 12 digits; \"\" for the defaults"},
    "reserve_target": {"type": "integer", "minimum": 0, "maximum": 20},
    "annual_hours": {"type": "number", "minimum": 0, "maximum": 500}}},
  "Timeline": {"type": "object", "properties": {
    "person_id": {"type": "integer"}, "name": {"type": "string"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "division_name": {"type": "string"},
    "talent": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Talent"}]},
    "membership_stage": {"type": "string"}, "hours_this_year": {"type": "number"},
    "entries": {"type": "array", "items": {"type": "object", "properties": {
      "date": {"type": "string", "format": "date"},
      "kind": {"type": "string", "enum": ["membership", "talent", "cadre", "post_start",
                                         "post_end", "training", "secondment", "mentoring"]},
      "title": {"type": "string"}, "detail": {"type": "string"},
      "ref_id": {"type": "integer"}}}}}}
})json";
}

std::vector<Route> CultivationRoutes() {
  using A = Access;
  // clang-format off
  return {
      {"GET", "/api/v1/talent", A::kSession, ListTalent,
       "The talent pool in scope, with filters", "cultivation",
       {kPage, kPageSize, kUnder, kText, kSource, kChannel, kStatus, kPartyStatus, kMinRating},
       "", 200, "TalentPage"},
      {"POST", "/api/v1/talent", A::kSession, CreateTalent,
       "Add a person to the talent pool (person_id, or a new person); duplicates by ID number"
       " are 409", "cultivation", {}, "Talent", 201, "Talent"},
      {"POST", "/api/v1/talent/duplicate-check", A::kSession, CheckDuplicate,
       "Whether an ID number is already recorded (anywhere; details only in scope)",
       "cultivation", {}, "DuplicateCheckRequest", 200, "DuplicateCheck"},
      {"GET", "/api/v1/talent/{id}", A::kSession, GetTalent,
       "One talent record", "cultivation", {}, "", 200, "Talent"},
      {"PUT", "/api/v1/talent/{id}", A::kSession, UpdateTalent,
       "Change a talent record (source, channel, rating, skills, status)", "cultivation", {},
       "Talent", 200, "Talent"},
      {"GET", "/api/v1/membership/people/{id}", A::kSession, MembershipHistory,
       "A person's membership pipeline: stage, steps, next eligible date", "cultivation", {},
       "", 200, "MembershipHistory"},
      {"POST", "/api/v1/membership/people/{id}/steps", A::kSession, AddMembershipStep,
       "Record the next membership stage (rules checked; a broken rule is 409 naming it)",
       "cultivation", {}, "MembershipStep", 201, "MembershipHistory"},
      {"GET", "/api/v1/membership/funnel", A::kSession, GetFunnel,
       "Membership funnel per branch (village), township or county", "cultivation",
       {kUnder, kLevel}, "", 200, "Funnel"},
      {"GET", "/api/v1/membership/reminders", A::kSession, GetReminders,
       "Due and overdue membership steps (activist a year; probation ending)", "cultivation",
       {kUnder}, "", 200, "ReminderList"},
      {"GET", "/api/v1/cadre-pipeline/people/{id}", A::kSession, CadreHistory,
       "A person's cadre pipeline steps and current posts", "cultivation", {}, "", 200,
       "CadreHistory"},
      {"POST", "/api/v1/cadre-pipeline/people/{id}/steps", A::kSession, AddCadreStep,
       "Record the next cadre step and open its post (rules checked; 409 naming a broken rule)",
       "cultivation", {}, "CadreStep", 201, "CadreHistory"},
      {"GET", "/api/v1/training/courses", A::kSession, ListCourses,
       "Training courses visible in scope (the county's and townships')", "cultivation",
       {kUnder, kYear, kKind, kTopic}, "", 200, "CourseList"},
      {"POST", "/api/v1/training/courses", A::kSession, CreateCourse,
       "Add a course organized by the county or a township in scope", "cultivation", {},
       "Course", 201, "Course"},
      {"GET", "/api/v1/training/courses/{id}", A::kSession, GetCourse,
       "One course with the attendance of people in scope", "cultivation", {}, "", 200,
       "Course"},
      {"PUT", "/api/v1/training/courses/{id}", A::kSession, UpdateCourse,
       "Change a course (its organizer's side only)", "cultivation", {}, "Course", 200,
       "Course"},
      {"PUT", "/api/v1/training/courses/{id}/attendance", A::kSession, SetAttendance,
       "Record attendance and completion of listed people (all or nothing)", "cultivation",
       {}, "AttendanceList", 200, "Course"},
      {"GET", "/api/v1/training/coverage", A::kSession, GetCoverage,
       "Training coverage of cadres against the annual hours required", "cultivation",
       {kUnder, kYear}, "", 200, "Coverage"},
      {"GET", "/api/v1/practice/secondments", A::kSession, ListSecondments,
       "Secondments to enterprises, parks and new economic organizations", "cultivation",
       {kUnder}, "", 200, "SecondmentList"},
      {"POST", "/api/v1/practice/secondments", A::kSession, CreateSecondment,
       "Record a secondment", "cultivation", {}, "Secondment", 201, "Secondment"},
      {"PUT", "/api/v1/practice/secondments/{id}", A::kSession, UpdateSecondment,
       "Change a secondment (host, dates, goals)", "cultivation", {}, "Secondment", 200,
       "Secondment"},
      {"GET", "/api/v1/practice/mentoring", A::kSession, ListMentoring,
       "Mentoring pairs (resident staff with village cadres)", "cultivation", {kUnder}, "",
       200, "MentoringList"},
      {"POST", "/api/v1/practice/mentoring", A::kSession, CreateMentoring,
       "Record a mentoring pair", "cultivation", {}, "Mentoring", 201, "Mentoring"},
      {"PUT", "/api/v1/practice/mentoring/{id}", A::kSession, UpdateMentoring,
       "Change a mentoring pair (goals, dates)", "cultivation", {}, "Mentoring", 200,
       "Mentoring"},
      {"GET", "/api/v1/villages/{code}/team-health", A::kSession, VillageTeamHealth,
       "A village team's health card", "cultivation", {}, "", 200, "TeamHealth"},
      {"GET", "/api/v1/cultivation/team-health", A::kSession, TeamHealthUnder,
       "Team health of every village under a division, with a summary", "cultivation",
       {kUnder}, "", 200, "TeamHealthReport"},
      {"GET", "/api/v1/cultivation/settings", A::kSession, GetSettings,
       "Reserve target and annual training hours in force under a division", "cultivation",
       {kUnder}, "", 200, "CultivationSettings"},
      {"PUT", "/api/v1/cultivation/settings", A::kSession, PutSettings,
       "Set the reserve target and annual training hours under a division in scope",
       "cultivation", {}, "CultivationSettings", 200, "CultivationSettings"},
      {"GET", "/api/v1/cultivation/people/{id}/timeline", A::kSession, GetTimeline,
       "A person's cultivation timeline (stages, posts, training, practice)", "cultivation",
       {}, "", 200, "Timeline"},
  };
  // clang-format on
}

}  // namespace qiangji::api

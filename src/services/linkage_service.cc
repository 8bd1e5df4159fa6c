// 双挂钩 linkage (issue 5 point 4; docs/linkage.md): each county's versioned policy, the
// incentive calculator's preview, and the year's lists — managers' incentives, and the village
// Party secretary's promotion eligibility, honours nomination and adjustment ("三无") — stored
// as decisions that move proposed -> township_approved -> county_approved (or rejected).
//
// What the lists read, all from the database in a handful of range queries:
//   - operating income and profit: annual_report (derived on write, subsidies excluded);
//   - the manager: the person in the collective_manager post at the year's end; when there is
//     none and the party secretary also holds the committee_director post (一肩挑), the
//     secretary, who then heads the collective too (GLOSSARY "concurrent_posts");
//   - tenure: whole months from the start of the person's continuous spell in the post (earlier
//     posts of the same person and kind that run up to it count) to the first day of next year;
//   - stars: the village's result in the latest published or final assessment run of that year
//     (as needs_service.cc reads them);
//   - projects ("measures"): projects whose [start, end) overlaps the adjustment window (the
//     last no_growth_years years); a project still "planned" counts only once money is found for
//     it (a project_funding row);
//   - development goals ("ideas"): the duty report (述职评议) of the year; without one the item
//     is not counted against the secretary.
// Only villages that filed a report for the year are judged: no figures, no verdict.
//
// Policies are immutable versions; a county with none uses DefaultLinkagePolicy, which Propose
// saves as version 1 the first time it needs a policy id. Writes are county staff's or an
// administrator's, covering the whole county; the steps of a decision follow the village's
// township and then the county. Every write is one transaction with its audit row.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "common/money.h"
#include "domain/text.h"
#include "services/economy.h"
#include "services/economy_internal.h"
#include "services/internal.h"
#include "services/linkage_json.h"

namespace qiangji::services {
namespace {

using namespace internal;
namespace econ = engines::economy;

constexpr int64_t kMaxFen = 1'000'000'000'000'000;  // 10^13 yuan, as domain/economy.h
constexpr int kLookbackYears = 10;  // ValidateLinkageRules: growth_years, no_growth_years <= 10
constexpr std::string_view kKinds[] = {"incentive", "promotion", "honours", "adjustment"};
constexpr std::string_view kStatuses[] = {"proposed", "township_approved", "county_approved",
                                          "rejected"};

std::string Yuan(int64_t fen) { return Money::FromFen(fen).ToString() + "元"; }
Date Ymd(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// Whole months from `from` to `to` (a post that starts on 1 July has 6 months on 1 January).
int MonthsBetween(const Date& from, const Date& to) {
  if (to <= from) return 0;
  int months = (to.year() - from.year()) * 12 + (to.month() - from.month());
  if (to.day() < from.day()) --months;
  return std::max(0, months);
}

void CheckYear(int year, FieldErrors& errors) {
  if (year < 2000 || year > 2100) errors.Add("year", "must be a year from 2000 to 2100");
}

// ---- the county ----

// "130624": the county's six digits; "" is the caller's own county.
Result<std::string> CountyPrefix(const Caller& caller, std::string_view county) {
  std::string c(county);
  if (c.empty()) {
    if (caller.scope_prefix.size() < 6)
      return Status::InvalidField("county", "name the county by its 6-digit code, e.g. 130624");
    c = caller.scope_prefix.substr(0, 6);
  }
  Result<DivisionCode> code = DivisionCode::Parse(c);
  if (c.size() != 6 || !code.ok() || code->level() != DivisionLevel::kCounty)
    return Status::InvalidField(
        "county", fmt::format("\"{}\" must be the 6-digit code of a county, e.g. 130624", c));
  return c;
}

int64_t CountyCode(const std::string& prefix) { return std::stoll(prefix) * 1'000'000; }

// The part of the county the caller sees; NotFound when none of it (as for a county that does
// not exist).
Result<DivisionRange> CountyRange(const Caller& caller, const std::string& prefix) {
  return ScopedRange(caller, prefix, "county");
}

Status CheckCountyRegistered(Database& db, const std::string& prefix) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT level FROM division WHERE code = ?",
                                          {Value(CountyCode(prefix))}));
  if (rows.empty() || rows[0].Text(0) != "county")
    return Status::NotFound(fmt::format("county {} not found", prefix));
  return Status::Ok();
}

// County staff or an administrator whose scope covers the whole county.
Status RequireCountyStaff(const Caller& caller, const std::string& prefix, std::string_view what) {
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role != domain::Role::kAdmin && caller.role != domain::Role::kCounty)
    return Status::PermissionDenied(fmt::format("only county staff and administrators {}", what));
  QJ_ASSIGN_OR_RETURN(DivisionRange county, ParseScopePrefix(prefix));
  if (!caller.scope.Covers(county))
    return Status::PermissionDenied(
        fmt::format("{} is for staff whose scope covers all of county {}", what, prefix));
  return Status::Ok();
}

// ---- policies ----

constexpr std::string_view kPolicySelect =
    "SELECT id, scope, version, policy, note, created_at, created_by FROM linkage_policy";

Result<LinkagePolicy> PolicyFromRow(const Row& r) {
  boost::system::error_code ec;
  json::value doc = json::parse(r.Text(3), ec);
  if (ec || !doc.is_object())
    return Status::Internal(fmt::format("linkage policy {} is not a JSON object", r.Int(0)));
  auto p = LinkagePolicyFromJson(doc.get_object(), DefaultLinkagePolicy(r.Text(1)));
  if (!p.ok())
    return Status::Internal(
        fmt::format("linkage policy {} cannot be read: {}", r.Int(0), p.status().ToString()));
  p->id = r.Int(0);
  p->scope = r.Text(1);
  p->version = static_cast<int>(r.Int(2));
  p->note = r.Text(4);
  p->created_at = r.Text(5);
  p->created_by = r.Text(6);
  return std::move(*p);
}

Result<std::optional<LinkagePolicy>> LatestPolicy(Database& db, const std::string& prefix) {
  QJ_ASSIGN_OR_RETURN(auto rows, db.Query(std::string(kPolicySelect) +
                                              " WHERE scope = ? ORDER BY version DESC LIMIT 1",
                                          {Value(prefix)}));
  if (rows.empty()) return std::optional<LinkagePolicy>();
  QJ_ASSIGN_OR_RETURN(LinkagePolicy p, PolicyFromRow(rows[0]));
  return std::optional<LinkagePolicy>(std::move(p));
}

Result<LinkagePolicy> CurrentOrDefault(Database& db, const std::string& prefix) {
  QJ_ASSIGN_OR_RETURN(auto latest, LatestPolicy(db, prefix));
  if (latest) return std::move(*latest);
  return DefaultLinkagePolicy(prefix);
}

// The engine's field errors under `prefix` ("incentive.tiers[1].from_fen").
void AddPrefixed(FieldErrors& errors, std::string_view prefix, const Status& st) {
  if (st.ok()) return;
  if (st.field_errors().empty()) {
    errors.Add(std::string(prefix.substr(0, prefix.size() - 1)), st.message());
    return;
  }
  for (const FieldError& e : st.field_errors())
    errors.Add(fmt::format("{}{}", prefix, e.field), e.message);
}

void ValidatePolicy(const LinkagePolicy& p, FieldErrors& errors) {
  if (p.weak_threshold_fen <= 0 || p.weak_threshold_fen > kMaxFen)
    errors.Add("weak_threshold_fen", "must be above 0 and at most 10^13 yuan (in fen)");
  AddPrefixed(errors, "incentive.", econ::ValidateIncentivePolicy(p.incentive));
  AddPrefixed(errors, "rules.", econ::ValidateLinkageRules(p.rules));
  domain::CheckText(errors, "note", p.note, false, 500, true);
}

// Stores `p` as the county's next version, with its audit row.
Result<LinkagePolicy> InsertPolicy(Database& db, const Caller& caller, LinkagePolicy p,
                                   const std::string& prefix) {
  QJ_ASSIGN_OR_RETURN(Row last, db.QueryOne("SELECT COALESCE(MAX(version), 0) FROM linkage_policy"
                                            " WHERE scope = ?",
                                            {Value(prefix)}, "version"));
  p.scope = prefix;
  p.version = static_cast<int>(last.Int(0)) + 1;
  p.is_default = false;
  p.created_at = NowUtc();
  p.created_by = caller.username;
  QJ_ASSIGN_OR_RETURN(
      auto inserted,
      db.Query("INSERT INTO linkage_policy (scope, version, policy, note, created_at, created_by)"
               " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
               {Value(prefix), Value(int64_t{p.version}),
                Value(json::serialize(LinkagePolicyDocument(p))), Value(p.note),
                Value(p.created_at), Value(p.created_by)}));
  p.id = inserted.at(0).Int(0);
  AuditRecord a;
  a.action = "linkage_policy.create";
  a.object = fmt::format("linkage_policy/{}", p.id);
  a.division_code = CountyCode(prefix);
  a.after = LinkagePolicyJson(p);
  QJ_RETURN_IF_ERROR(WriteAudit(db, caller, a));
  return p;
}

// ---- what the lists read about each village ----

struct PostSpan {
  int64_t person_id = 0;
  std::string name;
  Date start;
  std::optional<Date> end;  // the first day without the post
};

struct Holder {
  int64_t person_id = 0;
  std::string name;
  Date since;               // the start of the continuous spell in post
  int tenure_months = 0;    // by the year's end
  bool concurrent = false;  // a manager who is the 一肩挑 secretary
};

struct ProjectRef {
  std::string name, status;
  Date start, end;
  int64_t funding_rows = 0, funding_fen = 0;
};

struct VillageData {
  int64_t code = 0;
  std::string name;
  std::map<int, int64_t> income, profit;  // year -> fen, years with a report
  std::optional<int> stars, stars_last;
  std::optional<bool> development_target;  // the year's duty report; nullopt: none filed
  std::vector<ProjectRef> projects;
  std::optional<Holder> manager, secretary;
};

// The holder of a post at the end of `year`, with the start of the continuous spell.
std::optional<Holder> HolderAtYearEnd(const std::vector<PostSpan>& spans, int year) {
  const Date last = Ymd(year, 12, 31);
  const PostSpan* current = nullptr;
  for (const PostSpan& s : spans)
    if (s.start <= last && (!s.end || *s.end > last) && (!current || s.start > current->start))
      current = &s;
  if (current == nullptr) return std::nullopt;
  Date since = current->start;
  for (bool extended = true; extended;) {  // re-election writes a new post row
    extended = false;
    for (const PostSpan& s : spans) {
      if (s.person_id == current->person_id && s.start < since && (!s.end || *s.end >= since)) {
        since = s.start;
        extended = true;
      }
    }
  }
  Holder h;
  h.person_id = current->person_id;
  h.name = current->name;
  h.since = since;
  h.tenure_months = MonthsBetween(since, Ymd(year + 1, 1, 1));
  return h;
}

// Every village in `range` that filed a report for `year`, with what the lists read.
Result<std::vector<VillageData>> LoadVillages(Database& db, const DivisionRange& range, int year) {
  std::map<int64_t, VillageData> villages;
  const std::vector<Value> span = {Value(range.lo), Value(range.hi)};
  QJ_ASSIGN_OR_RETURN(
      auto named, db.Query("SELECT d.code, d.name FROM division d WHERE d.level = 'village'"
                           " AND d.code BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM annual_report a"
                           " WHERE a.division_code = d.code AND a.year = ?) ORDER BY d.code",
                           {Value(range.lo), Value(range.hi), Value(int64_t{year})}));
  for (const Row& r : named) {
    VillageData& v = villages[r.Int(0)];
    v.code = r.Int(0);
    v.name = r.Text(1);
  }
  const auto find = [&](int64_t code) -> VillageData* {
    auto it = villages.find(code);
    return it == villages.end() ? nullptr : &it->second;
  };

  QJ_ASSIGN_OR_RETURN(
      auto reports,
      db.Query("SELECT division_code, year, operating_income, operating_profit FROM annual_report"
               " WHERE division_code BETWEEN ? AND ? AND year BETWEEN ? AND ?",
               {Value(range.lo), Value(range.hi), Value(int64_t{year - kLookbackYears}),
                Value(int64_t{year})}));
  for (const Row& r : reports) {
    if (VillageData* v = find(r.Int(0))) {
      v->income[static_cast<int>(r.Int(1))] = r.Int(2);
      v->profit[static_cast<int>(r.Int(1))] = r.Int(3);
    }
  }

  // Stars of this year and last: the latest published or final run of each year.
  QJ_ASSIGN_OR_RETURN(
      auto stars,
      db.Query("SELECT division_code, year, stars FROM ("
               "SELECT a.division_code, r.year, a.stars, ROW_NUMBER() OVER (PARTITION BY"
               " a.division_code, r.year ORDER BY r.id DESC) AS n"
               " FROM assess_result a JOIN assess_run r ON r.id = a.run_id"
               " WHERE a.division_code BETWEEN ? AND ? AND r.status IN ('published', 'final')"
               " AND r.year IN (?, ?)) ranked WHERE n = 1",
               {Value(range.lo), Value(range.hi), Value(int64_t{year}), Value(int64_t{year - 1})}));
  for (const Row& r : stars) {
    if (VillageData* v = find(r.Int(0)))
      (r.Int(1) == year ? v->stars : v->stars_last) = static_cast<int>(r.Int(2));
  }

  QJ_ASSIGN_OR_RETURN(auto duty,
                      db.Query("SELECT division_code, development_target FROM duty_report"
                               " WHERE division_code BETWEEN ? AND ? AND year = ?",
                               {Value(range.lo), Value(range.hi), Value(int64_t{year})}));
  for (const Row& r : duty)
    if (VillageData* v = find(r.Int(0))) v->development_target = r.Int(1) != 0;

  // Projects that may fall in any window the rules allow, with their funding.
  QJ_ASSIGN_OR_RETURN(
      auto projects,
      db.Query("SELECT p.division_code, p.name, p.status, p.start_date, p.end_date,"
               " COUNT(f.id), COALESCE(SUM(f.amount_fen), 0)"
               " FROM project p LEFT JOIN project_funding f ON f.project_id = p.id"
               " WHERE p.division_code BETWEEN ? AND ? AND p.start_date <= ? AND p.end_date > ?"
               " GROUP BY p.id, p.division_code, p.name, p.status, p.start_date, p.end_date"
               " ORDER BY p.division_code, p.start_date, p.id",
               {Value(range.lo), Value(range.hi), Value(Ymd(year, 12, 31).ToString()),
                Value(Ymd(year - kLookbackYears + 1, 1, 1).ToString())}));
  for (const Row& r : projects) {
    VillageData* v = find(r.Int(0));
    if (v == nullptr) continue;
    ProjectRef p;
    p.name = r.Text(1);
    p.status = r.Text(2);
    p.start = RequiredDate(r, 3);
    p.end = RequiredDate(r, 4);
    p.funding_rows = r.Int(5);
    p.funding_fen = r.Int(6);
    v->projects.push_back(std::move(p));
  }

  // Posts that had started by the year's end: the manager, the secretary, the director.
  QJ_ASSIGN_OR_RETURN(
      auto posts,
      db.Query("SELECT s.division_code, s.kind, s.person_id, p.name, s.start_date, s.end_date"
               " FROM post s JOIN person p ON p.id = s.person_id"
               " WHERE s.division_code BETWEEN ? AND ? AND s.start_date <= ?"
               " AND s.kind IN ('collective_manager', 'party_secretary', 'committee_director')"
               " ORDER BY s.division_code, s.kind, s.start_date, s.id",
               {Value(range.lo), Value(range.hi), Value(Ymd(year, 12, 31).ToString())}));
  std::map<std::pair<int64_t, std::string>, std::vector<PostSpan>> spans;
  for (const Row& r : posts) {
    if (find(r.Int(0)) == nullptr) continue;
    PostSpan s;
    s.person_id = r.Int(2);
    s.name = r.Text(3);
    s.start = RequiredDate(r, 4);
    s.end = OptDate(r, 5);
    spans[{r.Int(0), r.Text(1)}].push_back(std::move(s));
  }
  const std::vector<PostSpan> none;
  const auto of = [&](int64_t code, const char* kind) -> const std::vector<PostSpan>& {
    auto it = spans.find({code, kind});
    return it == spans.end() ? none : it->second;
  };

  std::vector<VillageData> out;
  out.reserve(villages.size());
  for (auto& [code, v] : villages) {
    v.secretary = HolderAtYearEnd(of(code, "party_secretary"), year);
    v.manager = HolderAtYearEnd(of(code, "collective_manager"), year);
    if (!v.manager && v.secretary) {
      std::optional<Holder> director = HolderAtYearEnd(of(code, "committee_director"), year);
      if (director && director->person_id == v.secretary->person_id) {  // 一肩挑
        Holder h = *v.secretary;
        h.since = std::max(v.secretary->since, director->since);
        h.tenure_months = MonthsBetween(h.since, Ymd(year + 1, 1, 1));
        h.concurrent = true;
        v.manager = h;
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

// ---- the rules applied to one village ----

std::optional<double> GrowthOf(const VillageData& v, int y) {
  auto now = v.income.find(y), before = v.income.find(y - 1);
  if (now == v.income.end() || before == v.income.end() || before->second <= 0) return std::nullopt;
  return static_cast<double>(now->second - before->second) / static_cast<double>(before->second);
}

std::string_view ProjectStatusName(std::string_view s) {
  if (s == "planned") return "计划中";
  if (s == "underway") return "实施中";
  if (s == "done") return "已完成";
  if (s == "stopped") return "已中止";
  return s;
}

struct Judged {
  econ::LinkageFacts facts;
  std::vector<std::string> evidence;  // where the facts came from (zh-CN)
};

Judged BuildFacts(const VillageData& v, const LinkagePolicy& p, int year) {
  Judged j;
  econ::LinkageFacts& f = j.facts;
  const int years = std::max(p.rules.growth_years, p.rules.no_growth_years);
  for (int y = year - years + 1; y <= year; ++y) f.growth.push_back(GrowthOf(v, y));
  f.stars = v.stars;
  f.stars_last = v.stars_last;
  f.tenure_months = v.secretary ? v.secretary->tenure_months : 0;
  if (v.secretary)
    j.evidence.push_back(fmt::format("村党组织书记{}，{}起任职，至{}年末{}个月", v.secretary->name,
                                     v.secretary->since.ToString(), year,
                                     v.secretary->tenure_months));

  const int first = year - p.rules.no_growth_years + 1;
  const Date from = Ymd(first, 1, 1), to = Ymd(year + 1, 1, 1);
  std::string listed;
  for (const ProjectRef& project : v.projects) {
    if (!(project.start < to && project.end > from)) continue;
    if (project.status == "planned" && project.funding_rows == 0) continue;
    ++f.projects;
    listed += fmt::format("{}{}（{}", listed.empty() ? "" : "、", project.name,
                          ProjectStatusName(project.status));
    if (project.funding_rows > 0) listed += fmt::format("，落实资金{}", Yuan(project.funding_fen));
    listed += "）";
  }
  if (f.projects > 0)
    j.evidence.push_back(
        fmt::format("考察期{}—{}年集体经济项目{}个：{}", first, year, f.projects, listed));

  f.development_goals = v.development_target.value_or(true);
  if (!v.development_target)
    j.evidence.push_back(fmt::format("{}年度无述职评议记录，“无思路”一项不计", year));

  const auto now = v.income.find(year), before = v.income.find(year - 1);
  if (now != v.income.end()) {
    f.weak_economy = domain::IsWeakEconomy(now->second, p.weak_threshold_fen);
    f.left_weak = before != v.income.end() &&
                  domain::IsWeakEconomy(before->second, p.weak_threshold_fen) && !f.weak_economy;
    j.evidence.push_back(fmt::format("{}年经营性收入{}（薄弱村标准：低于{}）{}", year,
                                     Yuan(now->second), Yuan(p.weak_threshold_fen),
                                     f.weak_economy ? "，仍为薄弱村"
                                     : f.left_weak  ? "，本年消薄"
                                                    : "，不属薄弱村"));
  }
  return j;
}

struct IncentiveCase {
  bool eligible = false;
  int64_t bonus_fen = 0;
  std::vector<std::string> lines;
};

IncentiveCase IncentiveOf(const VillageData& v, const econ::IncentivePolicy& p, int year) {
  IncentiveCase c;
  if (!v.manager) {
    c.lines.push_back(fmt::format("{}年末无集体经济组织负责人在任记录，不予奖励", year));
    return c;
  }
  const Holder& m = *v.manager;
  c.lines.push_back(fmt::format("集体经济组织负责人{}（{}{}起任职，至{}年末{}个月）", m.name,
                                m.concurrent ? "村党组织书记一肩挑，" : "", m.since.ToString(),
                                year, m.tenure_months));
  auto last = v.profit.find(year - 1), now = v.profit.find(year);
  if (now == v.profit.end()) return c;  // not judged: LoadVillages keeps reporting villages only
  if (last == v.profit.end()) {
    c.lines.push_back(fmt::format("{}年无年度报表，无法计算经营收益增量，不予奖励", year - 1));
    return c;
  }
  econ::IncentiveResult r = econ::ComputeIncentive(p, last->second, now->second, m.tenure_months);
  c.eligible = r.eligible;
  c.bonus_fen = r.eligible ? r.bonus_fen : 0;
  c.lines.insert(c.lines.end(), r.lines.begin(), r.lines.end());
  return c;
}

// ---- decisions ----

constexpr std::string_view kDecisionSelect =
    "SELECT d.id, d.policy_id, lp.version, d.year, d.kind, d.division_code, v.name,"
    " d.person_id, p.name, d.amount_fen, d.score, d.reasons, d.status"
    " FROM linkage_decision d JOIN linkage_policy lp ON lp.id = d.policy_id"
    " JOIN division v ON v.code = d.division_code LEFT JOIN person p ON p.id = d.person_id";
constexpr std::string_view kDecisionOrder =
    " ORDER BY d.year DESC, CASE d.kind WHEN 'incentive' THEN 0 WHEN 'promotion' THEN 1"
    " WHEN 'honours' THEN 2 ELSE 3 END, d.score DESC, d.amount_fen DESC, d.division_code, d.id";

// Decisions matching `where` (over alias d) with their steps, in list order.
Result<std::vector<LinkageDecision>> LoadDecisions(Database& db, const std::string& where,
                                                   const std::vector<Value>& params) {
  QJ_ASSIGN_OR_RETURN(
      auto rows,
      db.Query(std::string(kDecisionSelect) + where + std::string(kDecisionOrder), params));
  std::vector<LinkageDecision> out;
  std::map<int64_t, size_t> index;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    LinkageDecision d;
    d.id = r.Int(0);
    d.policy_id = r.Int(1);
    d.policy_version = static_cast<int>(r.Int(2));
    d.year = static_cast<int>(r.Int(3));
    d.kind = r.Text(4);
    d.division_code = r.Int(5);
    d.village_name = r.Text(6);
    d.person_id = r.IsNull(7) ? 0 : r.Int(7);
    d.person_name = r.IsNull(8) ? "" : r.Text(8);
    d.amount_fen = r.Int(9);
    d.score = r.Real(10);
    d.reasons = ParseStringArray(r.Text(11));
    d.status = r.Text(12);
    index[d.id] = out.size();
    out.push_back(std::move(d));
  }
  if (out.empty()) return out;
  QJ_ASSIGN_OR_RETURN(auto steps,
                      db.Query("SELECT s.decision_id, s.from_status, s.to_status, s.comment,"
                               " s.at, s.\"by\" FROM linkage_step s JOIN linkage_decision d"
                               " ON d.id = s.decision_id" +
                                   where + " ORDER BY s.id",
                               params));
  for (const Row& r : steps) {
    auto it = index.find(r.Int(0));
    if (it == index.end()) continue;
    out[it->second].steps.push_back({r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
  }
  return out;
}

Result<LinkageDecision> LoadDecision(Database& db, const Caller& caller, int64_t id) {
  QJ_ASSIGN_OR_RETURN(auto list, LoadDecisions(db, " WHERE d.id = ?", {Value(id)}));
  if (list.empty() || !caller.InScope(list[0].division_code))
    return Status::NotFound(fmt::format("linkage decision {} not found", id));
  return std::move(list[0]);
}

Status AddStep(Database& db, int64_t decision, int64_t division_code, std::string_view from,
               std::string_view to, std::string_view comment, const std::string& at,
               const std::string& by) {
  return db
      .Execute(
          "INSERT INTO linkage_step (decision_id, division_code, from_status, to_status,"
          " comment, at, \"by\") VALUES (?, ?, ?, ?, ?, ?, ?)",
          {Value(decision), Value(division_code), Value(std::string(from)), Value(std::string(to)),
           Value(std::string(comment)), Value(at), Value(by)})
      .status();
}

// The moves of the approval flow: from -> to, and who may make them.
struct Move {
  std::string_view from, to;
  bool township;  // township staff may make it (county staff and administrators always may)
};
constexpr Move kMoves[] = {
    {"proposed", "township_approved", true},
    {"township_approved", "county_approved", false},
    {"proposed", "rejected", true},
    {"township_approved", "rejected", false},
};

std::string_view NextSteps(std::string_view status) {
  if (status == "proposed") return "township_approved or rejected";
  if (status == "township_approved") return "county_approved or rejected";
  return "nothing: the decision is closed";
}

}  // namespace

// Modelled on 贺兰县's 经营收益增量奖励办法 (2023: rates 8/9/10/12%, the fourth tier above
// 300,000 yuan, half a year in post) with 铜陵市郊区's 超额累进 (2020); the minimum profit and
// the cap are our choices. docs/linkage.md "What the default is modelled on".
LinkagePolicy DefaultLinkagePolicy(std::string_view county) {
  LinkagePolicy p;
  p.scope = std::string(county);
  p.is_default = true;
  p.weak_threshold_fen = domain::kDefaultWeakThresholdFen;  // 100,000 yuan
  p.incentive.marginal = true;                              // 超额累进
  p.incentive.tiers = {{0, 800},             // 8% of the first 100,000 yuan of the increase
                       {10'000'000, 900},    // 9% from 100,000 to 200,000
                       {20'000'000, 1000},   // 10% from 200,000 to 300,000
                       {30'000'000, 1200}};  // 12% above 300,000
  p.incentive.min_profit_fen = 5'000'000;    // 50,000 yuan of operating profit this year
  p.incentive.min_tenure_months = 6;         // half a year in post
  p.incentive.cap_fen = 6'000'000;           // 60,000 yuan
  p.rules = econ::LinkageRules{};
  p.note = "默认政策（docs/linkage.md）";
  return p;
}

Result<LinkagePolicy> LinkageService::CurrentPolicy(const Caller& caller, std::string_view county) {
  QJ_ASSIGN_OR_RETURN(std::string prefix, CountyPrefix(caller, county));
  QJ_RETURN_IF_ERROR(CountyRange(caller, prefix).status());
  std::optional<LinkagePolicy> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckCountyRegistered(*db, prefix));
    QJ_ASSIGN_OR_RETURN(out, CurrentOrDefault(*db, prefix));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<std::vector<LinkagePolicy>> LinkageService::Policies(const Caller& caller,
                                                            std::string_view county) {
  QJ_ASSIGN_OR_RETURN(std::string prefix, CountyPrefix(caller, county));
  QJ_RETURN_IF_ERROR(CountyRange(caller, prefix).status());
  std::vector<LinkagePolicy> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckCountyRegistered(*db, prefix));
    QJ_ASSIGN_OR_RETURN(
        auto rows, db->Query(std::string(kPolicySelect) + " WHERE scope = ? ORDER BY version DESC",
                             {Value(prefix)}));
    for (const Row& r : rows) {
      QJ_ASSIGN_OR_RETURN(LinkagePolicy p, PolicyFromRow(r));
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

Result<LinkagePolicy> LinkageService::SavePolicy(const Caller& caller, LinkagePolicy policy) {
  QJ_ASSIGN_OR_RETURN(std::string prefix, CountyPrefix(caller, policy.scope));
  QJ_RETURN_IF_ERROR(CountyRange(caller, prefix).status());
  QJ_RETURN_IF_ERROR(RequireCountyStaff(caller, prefix, "save a county's linkage policy"));
  FieldErrors errors;
  ValidatePolicy(policy, errors);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  std::optional<LinkagePolicy> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckCountyRegistered(*db, prefix));
    QJ_ASSIGN_OR_RETURN(out, InsertPolicy(*db, caller, std::move(policy), prefix));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<PolicyPreview> LinkageService::Preview(const Caller& caller, const LinkagePolicy& proposed,
                                              int year) {
  QJ_ASSIGN_OR_RETURN(std::string prefix, CountyPrefix(caller, proposed.scope));
  FieldErrors errors;
  CheckYear(year, errors);
  ValidatePolicy(proposed, errors);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_ASSIGN_OR_RETURN(DivisionRange range, CountyRange(caller, prefix));
  PolicyPreview out;
  out.year = year;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckCountyRegistered(*db, prefix));
    QJ_ASSIGN_OR_RETURN(LinkagePolicy current, CurrentOrDefault(*db, prefix));
    QJ_ASSIGN_OR_RETURN(auto villages, LoadVillages(*db, range, year));
    for (const VillageData& v : villages) {
      PolicyPreview::Row row;
      row.division_code = v.code;
      row.village_name = v.name;
      row.profit_fen = v.profit.at(year);
      auto last = v.profit.find(year - 1);
      row.reported_last = last != v.profit.end();
      row.profit_last_fen = row.reported_last ? last->second : 0;
      if (v.manager) {
        row.manager_id = v.manager->person_id;
        row.manager_name = v.manager->name;
        row.tenure_months = v.manager->tenure_months;
      }
      const IncentiveCase now = IncentiveOf(v, current.incentive, year);
      IncentiveCase next = IncentiveOf(v, proposed.incentive, year);
      row.bonus_current_fen = now.bonus_fen;
      row.bonus_proposed_fen = next.bonus_fen;
      row.lines = std::move(next.lines);
      out.total_current_fen += row.bonus_current_fen;
      out.total_proposed_fen += row.bonus_proposed_fen;
      if (v.secretary) {
        const econ::LinkageVerdict a =
            econ::JudgeLinkage(current.rules, BuildFacts(v, current, year).facts);
        const econ::LinkageVerdict b =
            econ::JudgeLinkage(proposed.rules, BuildFacts(v, proposed, year).facts);
        out.promotion_current += a.promotion_eligible;
        out.promotion_proposed += b.promotion_eligible;
        out.honours_current += a.honours;
        out.honours_proposed += b.honours;
        out.adjustment_current += a.adjustment;
        out.adjustment_proposed += b.adjustment;
      }
      out.rows.push_back(std::move(row));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<LinkageDecision>> LinkageService::Propose(const Caller& caller,
                                                             std::string_view county, int year) {
  QJ_ASSIGN_OR_RETURN(std::string prefix, CountyPrefix(caller, county));
  FieldErrors errors;
  CheckYear(year, errors);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_ASSIGN_OR_RETURN(DivisionRange range, CountyRange(caller, prefix));
  QJ_RETURN_IF_ERROR(RequireCountyStaff(caller, prefix, "propose the linkage lists"));
  std::vector<LinkageDecision> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_RETURN_IF_ERROR(CheckCountyRegistered(*db, prefix));
    QJ_ASSIGN_OR_RETURN(auto latest, LatestPolicy(*db, prefix));
    LinkagePolicy policy;
    if (latest) {
      policy = std::move(*latest);
    } else {  // decisions name the version they used, so the default is saved as version 1
      LinkagePolicy first = DefaultLinkagePolicy(prefix);
      first.note = "默认政策（首次生成名单时自动保存；docs/linkage.md）";
      QJ_ASSIGN_OR_RETURN(policy, InsertPolicy(*db, caller, std::move(first), prefix));
    }
    const std::vector<Value> in_year = {Value(int64_t{year}), Value(range.lo), Value(range.hi)};
    const std::string where_year = " WHERE d.year = ? AND d.division_code BETWEEN ? AND ?";

    // Decisions already approved or rejected stay, and are not proposed again.
    std::set<std::tuple<std::string, int64_t, int64_t>> kept;
    QJ_ASSIGN_OR_RETURN(auto closed, db->Query("SELECT d.kind, d.division_code, d.person_id FROM"
                                               " linkage_decision d" +
                                                   where_year + " AND d.status <> 'proposed'",
                                               in_year));
    for (const Row& r : closed) kept.insert({r.Text(0), r.Int(1), r.IsNull(2) ? 0 : r.Int(2)});
    QJ_RETURN_IF_ERROR(db->Execute("DELETE FROM linkage_step WHERE decision_id IN (SELECT d.id"
                                   " FROM linkage_decision d" +
                                       where_year + " AND d.status = 'proposed')",
                                   in_year)
                           .status());
    QJ_ASSIGN_OR_RETURN(int64_t replaced,
                        db->Execute("DELETE FROM linkage_decision WHERE year = ? AND"
                                    " division_code BETWEEN ? AND ? AND status = 'proposed'",
                                    in_year));

    QJ_ASSIGN_OR_RETURN(auto villages, LoadVillages(*db, range, year));
    const std::string now = NowUtc();
    const std::string comment = fmt::format("按{}县双挂钩政策第{}版测算", prefix, policy.version);
    std::map<std::string, int64_t> proposed;
    int64_t skipped = 0, incentive_total = 0;
    const auto insert = [&](std::string_view kind, const VillageData& v, const Holder& who,
                            int64_t amount, double score,
                            const std::vector<std::string>& reasons) -> Status {
      if (kept.count({std::string(kind), v.code, who.person_id})) {
        ++skipped;
        return Status::Ok();
      }
      QJ_ASSIGN_OR_RETURN(
          auto inserted,
          db->Query("INSERT INTO linkage_decision (policy_id, year, kind, division_code,"
                    " person_id, amount_fen, score, reasons, status, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?) RETURNING id",
                    {Value(policy.id), Value(int64_t{year}), Value(std::string(kind)),
                     Value(v.code), Value(who.person_id), Value(amount), Value(score),
                     Value(StringArrayJson(reasons)), Value(now), Value(now)}));
      ++proposed[std::string(kind)];
      return AddStep(*db, inserted.at(0).Int(0), v.code, "", "proposed", comment, now,
                     caller.username);
    };
    for (const VillageData& v : villages) {
      IncentiveCase incentive = IncentiveOf(v, policy.incentive, year);
      if (incentive.eligible) {
        incentive_total += incentive.bonus_fen;
        QJ_RETURN_IF_ERROR(insert("incentive", v, *v.manager, incentive.bonus_fen,
                                  static_cast<double>(incentive.bonus_fen), incentive.lines));
      }
      if (!v.secretary) continue;  // the lists concern the secretary in post at the year's end
      Judged judged = BuildFacts(v, policy, year);
      const econ::LinkageVerdict verdict = econ::JudgeLinkage(policy.rules, judged.facts);
      const auto with = [&](const std::vector<std::string>& lines) {
        std::vector<std::string> all = judged.evidence;
        all.insert(all.end(), lines.begin(), lines.end());
        return all;
      };
      if (verdict.promotion_eligible)
        QJ_RETURN_IF_ERROR(
            insert("promotion", v, *v.secretary, 0, 0, with(verdict.promotion_lines)));
      if (verdict.honours)
        QJ_RETURN_IF_ERROR(insert("honours", v, *v.secretary, 0, verdict.honours_score,
                                  with(verdict.honours_lines)));
      if (verdict.adjustment)
        QJ_RETURN_IF_ERROR(
            insert("adjustment", v, *v.secretary, 0, 0, with(verdict.adjustment_lines)));
    }

    json::object counts;
    for (std::string_view kind : kKinds) counts[kind] = proposed[std::string(kind)];
    AuditRecord a;
    a.action = "linkage_decision.propose";
    a.object = fmt::format("linkage/{}/{}", prefix, year);
    a.division_code = CommonDivision(range.lo, range.hi);
    a.after = json::object{{"county", prefix},
                           {"year", year},
                           {"policy_id", policy.id},
                           {"policy_version", policy.version},
                           {"villages", static_cast<int64_t>(villages.size())},
                           {"proposed", std::move(counts)},
                           {"incentive_total_fen", incentive_total},
                           {"replaced", replaced},
                           {"kept", skipped}};
    QJ_RETURN_IF_ERROR(WriteAudit(*db, caller, a));
    QJ_ASSIGN_OR_RETURN(out, LoadDecisions(*db, where_year, in_year));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<LinkageDecision>> LinkageService::Decisions(const Caller& caller,
                                                               std::string_view under, int year,
                                                               std::string_view kind) {
  FieldErrors errors;
  if (year != 0) CheckYear(year, errors);
  if (!kind.empty() && std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds))
    errors.Add("kind",
               fmt::format("\"{}\" must be incentive, promotion, honours or adjustment", kind));
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_ASSIGN_OR_RETURN(DivisionRange range, ScopedRange(caller, under));
  std::string where = " WHERE d.division_code BETWEEN ? AND ?";
  std::vector<Value> params = {Value(range.lo), Value(range.hi)};
  if (year != 0) {
    where += " AND d.year = ?";
    params.emplace_back(int64_t{year});
  }
  if (!kind.empty()) {
    where += " AND d.kind = ?";
    params.emplace_back(std::string(kind));
  }
  std::vector<LinkageDecision> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kRead, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(out, LoadDecisions(*db, where, params));
    return Status::Ok();
  }));
  return out;
}

Result<LinkageDecision> LinkageService::Decide(const Caller& caller, int64_t id,
                                               std::string_view to_status,
                                               std::string_view comment) {
  FieldErrors errors;
  if (to_status == "proposed" ||
      std::find(std::begin(kStatuses), std::end(kStatuses), to_status) == std::end(kStatuses))
    errors.Add("to", fmt::format("\"{}\" must be township_approved, county_approved or rejected",
                                 to_status));
  domain::CheckText(errors, "comment", comment, to_status == "rejected", 500, true);
  QJ_RETURN_IF_ERROR(errors.ToStatus());
  QJ_RETURN_IF_ERROR(RequireWrite(caller));
  if (caller.role == domain::Role::kVillage)
    return Status::PermissionDenied("village staff do not approve their own village's lists");
  std::optional<LinkageDecision> out;
  auto db = env_.pool->Acquire();
  QJ_RETURN_IF_ERROR(storage::InTransaction(*db, storage::TxMode::kWrite, [&]() -> Status {
    QJ_ASSIGN_OR_RETURN(LinkageDecision before, LoadDecision(*db, caller, id));
    const Move* move = nullptr;
    for (const Move& m : kMoves)
      if (m.from == before.status && m.to == to_status) move = &m;
    if (move == nullptr)
      return Status::FailedPrecondition(
          fmt::format("linkage decision {} is {}: it can move to {}, not to {}", id, before.status,
                      NextSteps(before.status), to_status));
    if (!move->township && caller.role == domain::Role::kTownship)
      return Status::PermissionDenied(fmt::format("a {} decision is the county's to {}",
                                                  before.status,
                                                  to_status == "rejected" ? "reject" : "approve"));
    const std::string now = NowUtc();
    QJ_RETURN_IF_ERROR(db->Execute("UPDATE linkage_decision SET status = ?, updated_at = ?"
                                   " WHERE id = ?",
                                   {Value(std::string(to_status)), Value(now), Value(id)})
                           .status());
    QJ_RETURN_IF_ERROR(AddStep(*db, id, before.division_code, before.status, to_status, comment,
                               now, caller.username));
    QJ_ASSIGN_OR_RETURN(out, LoadDecision(*db, caller, id));
    AuditRecord a;
    a.action = "linkage_decision.decide";
    a.object = fmt::format("linkage_decision/{}", id);
    a.division_code = before.division_code;
    a.before = json::object{{"status", before.status}};
    a.after = json::object{{"status", std::string(to_status)},
                           {"comment", std::string(comment)},
                           {"kind", before.kind},
                           {"year", before.year}};
    return WriteAudit(*db, caller, a);
  }));
  return std::move(*out);
}

}  // namespace qiangji::services

// The foundation's records as plain structs, with the closed vocabularies they use and the
// invariants each must keep (Validate*). No I/O: storage persists these, services move them.
// Names follow docs/glossary.md: one identifier per domain word, used in tables and JSON alike.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/division_code.h"
#include "common/status.h"

namespace qiangji::domain {

// A division from the NBS registry.
struct Division {
  int64_t code = 0;  // 12-digit value
  DivisionLevel level = DivisionLevel::kVillage;
  std::string name;
  int64_t parent_code = 0;  // 0 for a province
};

// Village tags (closed vocabulary; JSON/DB use these identifiers).
inline constexpr std::string_view kVillageTags[] = {
    "key_village",            // 重点村
    "lifted_from_poverty",    // 脱贫村
    "relocation_settlement",  // 易地扶贫搬迁安置点
    "border_village",         // 边境村
    "revolutionary_base",     // 革命老区村
    "ethnic_minority",        // 少数民族村
    "traditional_village",    // 传统村落
};

// Attributes of a village-level division. The division itself comes from the registry; this
// record exists once someone (or the demo) has described the village.
struct Village {
  int64_t division_code = 0;
  std::optional<int64_t> households;
  std::optional<int64_t> population;
  std::optional<double> area_km2;
  std::vector<std::string> main_industries;  // free text, e.g. "食用菌", "核桃"
  std::vector<std::string> tags;             // from kVillageTags
  std::string updated_at;                    // UTC ISO timestamp, set by storage
};
Status ValidateVillage(const Village& v);

// 党委 / 党总支 / 党支部
enum class PartyOrgKind { kCommittee, kGeneralBranch, kBranch };
std::string_view PartyOrgKindName(PartyOrgKind k);  // "committee", "general_branch", "branch"
Result<PartyOrgKind> ParsePartyOrgKind(std::string_view s, std::string_view field = "kind");

struct PartyOrg {
  int64_t id = 0;
  int64_t division_code = 0;  // the village (or township) it belongs to
  PartyOrgKind kind = PartyOrgKind::kBranch;
  std::string name;  // full name, e.g. "中共阜平县龙泉关镇骆驼湾村支部委员会"
  std::optional<int64_t> secretary_person_id;
  int64_t member_count = 0;               // full members
  int64_t probationary_member_count = 0;  // 预备党员
  std::optional<Date> founded_on;
  std::optional<Date> term_start;
  std::optional<Date> term_expiry;  // 换届 due
};
Status ValidatePartyOrg(const PartyOrg& o);

enum class Sex { kMale, kFemale };
std::string_view SexName(Sex s);  // "male", "female"
Result<Sex> ParseSex(std::string_view s, std::string_view field = "sex");

// Education, national member-record categories, lowest first.
inline constexpr std::string_view kEducationLevels[] = {
    "primary",           // 小学及以下
    "junior_secondary",  // 初中
    "senior_secondary",  // 高中、中专、中技
    "junior_college",    // 大专
    "bachelor",          // 大学本科
    "postgraduate",      // 研究生
};

// 群众 / 入党申请人 / 入党积极分子 / 发展对象 / 预备党员 / 正式党员
inline constexpr std::string_view kPartyStatuses[] = {
    "masses", "applicant", "activist", "development_target", "probationary_member", "member",
};

struct Person {
  int64_t id = 0;
  std::string name;
  Sex sex = Sex::kMale;
  std::string ethnicity;  // 民族, e.g. "汉族"
  std::optional<Date> birth_date;
  // Plain 18-character ID number: only inside services on the way in and, for roles that may
  // see it, on the way out. Storage holds it encrypted plus a keyed hash.
  std::string id_number;
  std::string phone;                    // 11-digit mobile, or empty
  std::string native_place;             // 籍贯
  std::string education;                // from kEducationLevels, or empty
  std::string party_status;             // from kPartyStatuses
  std::optional<Date> party_join_date;  // 入党时间 (probationary admission)
  int64_t division_code = 0;            // the village the person belongs to
};
Status ValidatePerson(const Person& p);

// Post kinds (村 posts and posts sent from outside).
inline constexpr std::string_view kPostKinds[] = {
    "party_secretary",         // 村党组织书记
    "deputy_party_secretary",  // 副书记
    "committee_director",      // 村委会主任
    "two_committee_member",    // 两委委员
    "collective_manager",      // 集体经济组织负责人
    "reserve_cadre",           // 后备干部
    "first_secretary",         // 第一书记
    "instructor",              // 乡村振兴工作指导员
    "advisor",                 // 发展顾问
};
// Posts that make up the "two committees" line-up of a village.
bool IsTwoCommitteePost(std::string_view kind);

struct Post {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t division_code = 0;  // the village
  std::string kind;           // from kPostKinds
  Date start_date;
  std::optional<Date> end_date;  // empty while current
};
Status ValidatePost(const Post& p);

enum class Role { kAdmin, kCounty, kTownship, kVillage, kViewer };
std::string_view RoleName(Role r);  // "admin", "county", "township", "village", "viewer"
Result<Role> ParseRole(std::string_view s, std::string_view field = "role");

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kViewer;
  std::string scope;  // division prefix: "" (all), or 2/4/6/9/12 digits
  bool disabled = false;
  std::string created_at;
};
// Role and scope must agree: admin may have any scope; county needs a 6-digit (or shorter)
// scope, township 9 digits, village 12; viewer any.
Status ValidateUser(const User& u);

bool Contains(std::span<const std::string_view> vocabulary, std::string_view value);

}  // namespace qiangji::domain

#include "api/openapi.h"

#include <fmt/format.h>
#include <boost/json.hpp>

namespace qiangji::api {

namespace json = boost::json;

namespace {

// The objects of docs/api.md. Pages and item lists are added by code below.
constexpr std::string_view kSchemas = R"json({
  "FieldError": {"type": "object", "required": ["field", "message"], "properties": {
    "field": {"type": "string"}, "message": {"type": "string"}}},
  "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
    "detail": {"type": "string"},
    "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}}},
  "Meta": {"type": "object", "properties": {
    "name": {"type": "string"}, "version": {"type": "string"}, "demo": {"type": "boolean"},
    "demo_county": {"type": "string", "nullable": true},
    "schema_version": {"type": "integer"}}},
  "LoginRequest": {"type": "object", "required": ["username", "password"], "properties": {
    "username": {"type": "string"}, "password": {"type": "string", "format": "password"}}},
  "User": {"type": "object", "properties": {
    "id": {"type": "integer"}, "username": {"type": "string"},
    "display_name": {"type": "string"},
    "role": {"type": "string", "enum": ["admin", "county", "township", "village", "viewer"]},
    "scope": {"type": "string", "description": "division prefix; empty = everything"},
    "disabled": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time", "nullable": true}}},
  "SessionInfo": {"type": "object", "properties": {
    "user": {"$ref": "#/components/schemas/User"}, "csrf_token": {"type": "string"},
    "expires_at": {"type": "string", "format": "date-time"}}},
  "Division": {"type": "object", "properties": {
    "code": {"$ref": "#/components/schemas/DivisionCode"}, "name": {"type": "string"},
    "level": {"type": "string",
              "enum": ["province", "prefecture", "county", "township", "village"]},
    "parent_code": {"type": "string", "pattern": "^[0-9]{12}$", "nullable": true}}},
  "DivisionCode": {"type": "string", "pattern": "^[0-9]{12}$",
                   "description": "12-digit NBS statistical division code"},
  "DivisionNode": {"allOf": [{"$ref": "#/components/schemas/Division"}, {"type": "object",
    "properties": {"child_count": {"type": "integer"}}}]},
  "Village": {"type": "object", "properties": {
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "households": {"type": "integer", "nullable": true},
    "population": {"type": "integer", "nullable": true},
    "area_km2": {"type": "number", "nullable": true},
    "main_industries": {"type": "array", "items": {"type": "string"}},
    "tags": {"type": "array", "items": {"type": "string", "enum": ["key_village",
      "lifted_from_poverty", "relocation_settlement", "border_village", "revolutionary_base",
      "ethnic_minority", "traditional_village"]}},
    "updated_at": {"type": "string", "format": "date-time", "nullable": true,
                   "readOnly": true}}},
  "VillageSummary": {"allOf": [{"$ref": "#/components/schemas/Division"}, {"type": "object",
    "properties": {
      "township_name": {"type": "string", "nullable": true},
      "is_villagers_committee": {"type": "boolean"},
      "village": {"allOf": [{"$ref": "#/components/schemas/Village"}], "nullable": true},
      "secretary_name": {"type": "string", "nullable": true},
      "member_count": {"type": "integer"}}}]},
  "VillageDetail": {"allOf": [{"$ref": "#/components/schemas/VillageSummary"}, {"type": "object",
    "properties": {
      "party_orgs": {"type": "array", "items": {"$ref": "#/components/schemas/PartyOrg"}},
      "two_committees": {"type": "array", "items": {"$ref": "#/components/schemas/Post"}},
      "sent": {"type": "array", "items": {"$ref": "#/components/schemas/Post"},
               "description": "current first secretary, instructors and advisors sent to it"},
      "vacant_posts": {"type": "array", "items": {"type": "string"}}}}]},
  "PartyOrg": {"type": "object", "required": ["division_code", "kind"], "properties": {
    "id": {"type": "integer", "readOnly": true},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "kind": {"type": "string", "enum": ["committee", "general_branch", "branch"]},
    "name": {"type": "string"},
    "secretary_person_id": {"type": "integer", "nullable": true},
    "member_count": {"type": "integer"}, "probationary_member_count": {"type": "integer"},
    "founded_on": {"type": "string", "format": "date", "nullable": true},
    "term_start": {"type": "string", "format": "date", "nullable": true},
    "term_expiry": {"type": "string", "format": "date", "nullable": true}}},
  "Person": {"type": "object", "required": ["sex", "division_code"], "properties": {
    "id": {"type": "integer", "readOnly": true}, "name": {"type": "string"},
    "sex": {"type": "string", "enum": ["male", "female"]},
    "ethnicity": {"type": "string", "nullable": true},
    "birth_date": {"type": "string", "format": "date", "nullable": true},
    "age": {"type": "integer", "nullable": true, "readOnly": true},
    "id_number": {"type": "string", "nullable": true,
                  "description": "18 characters (GB 11643) in; masked out unless revealed"},
    "phone": {"type": "string", "nullable": true, "description": "masked unless revealed"},
    "revealed": {"type": "boolean", "readOnly": true},
    "native_place": {"type": "string", "nullable": true},
    "education": {"type": "string", "nullable": true, "enum": ["primary", "junior_secondary",
      "senior_secondary", "junior_college", "bachelor", "postgraduate", null]},
    "party_status": {"type": "string", "enum": ["masses", "applicant", "activist",
      "development_target", "probationary_member", "member"]},
    "party_join_date": {"type": "string", "format": "date", "nullable": true},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "division_name": {"type": "string", "nullable": true, "readOnly": true}}},
  "Post": {"type": "object", "required": ["person_id", "division_code", "kind", "start_date"],
    "properties": {
    "id": {"type": "integer", "readOnly": true}, "person_id": {"type": "integer"},
    "person_name": {"type": "string", "readOnly": true},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "division_name": {"type": "string", "nullable": true, "readOnly": true},
    "kind": {"type": "string", "enum": ["party_secretary", "deputy_party_secretary",
      "committee_director", "two_committee_member", "collective_manager", "reserve_cadre",
      "first_secretary", "instructor", "advisor"]},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date", "nullable": true}}},
  "CountBy": {"type": "object", "properties": {
    "key": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}},
  "Overview": {"type": "object", "properties": {
    "townships": {"type": "integer"}, "villages": {"type": "integer"},
    "villagers_committees": {"type": "integer"}, "people": {"type": "integer"},
    "members": {"type": "integer"},
    "villages_by_township": {"$ref": "#/components/schemas/CountByList"},
    "members_by_township": {"$ref": "#/components/schemas/CountByList"},
    "members_by_age_band": {"$ref": "#/components/schemas/CountByList"},
    "members_by_education": {"$ref": "#/components/schemas/CountByList"},
    "vacant_posts": {"$ref": "#/components/schemas/CountByList"},
    "terms_expiring_90d": {"type": "integer"}, "terms_expired": {"type": "integer"}}},
  "CountByList": {"type": "array", "items": {"$ref": "#/components/schemas/CountBy"}},
  "AuditEntry": {"type": "object", "properties": {
    "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
    "username": {"type": "string"}, "action": {"type": "string"},
    "object": {"type": "string", "nullable": true},
    "division_code": {"type": "string", "pattern": "^[0-9]{12}$", "nullable": true},
    "before": {"type": "object", "nullable": true},
    "after": {"type": "object", "nullable": true},
    "client_ip": {"type": "string", "nullable": true}}}
})json";

// The assessment's objects (docs/api.md "Assessment"; shapes from services/assess_json.h).
constexpr std::string_view kAssessSchemas = R"json({
  "MeasureCatalogue": {"type": "object", "properties": {
    "dimensions": {"type": "array", "items": {"type": "object", "properties": {
      "key": {"type": "string"}, "label_zh": {"type": "string"}, "label_en": {"type": "string"}}}},
    "sources": {"type": "array", "items": {"type": "object", "properties": {
      "key": {"type": "string"}, "label_zh": {"type": "string"}, "label_en": {"type": "string"}}}},
    "directions": {"type": "array", "items": {"type": "string"}},
    "normalisations": {"type": "array", "items": {"type": "string"}},
    "weighting_methods": {"type": "array", "items": {"type": "string"}},
    "scoring_methods": {"type": "array", "items": {"type": "string"}},
    "band_methods": {"type": "array", "items": {"type": "string"}},
    "veto_rules": {"type": "array", "items": {"type": "string"}},
    "finding_categories": {"type": "array", "items": {"type": "string"}},
    "severities": {"type": "array", "items": {"type": "string"}},
    "max_cr": {"type": "number"},
    "measures": {"type": "array", "items": {"type": "object", "properties": {
      "key": {"type": "string"}, "source": {"type": "string"}, "unit": {"type": "string"},
      "label_zh": {"type": "string"}, "label_en": {"type": "string"}}}}}},
  "AhpMatrix": {"type": "object", "required": ["name", "items", "a"], "properties": {
    "name": {"type": "string", "description": "dimensions, or a dimension key"},
    "items": {"type": "array", "items": {"type": "string"}},
    "a": {"type": "array", "description": "rows; a[i][j] = how much more important i is than j",
          "items": {"type": "array", "items": {"type": "number"}}}}},
  "AhpCheck": {"type": "object", "properties": {
    "weights": {"type": "array", "items": {"type": "number"},
                "description": "principal eigenvector, in the matrix's item order"},
    "lambda_max": {"type": "number"}, "ci": {"type": "number"},
    "ri": {"type": "number", "description": "Saaty's random index for n"},
    "cr": {"type": "number"}, "iterations": {"type": "integer"},
    "acceptable": {"type": "boolean", "description": "cr < max_cr"},
    "max_cr": {"type": "number"}}},
  "IndicatorDef": {"type": "object", "required": ["key", "measure", "dimension"], "properties": {
    "key": {"type": "string", "pattern": "^[a-z0-9_]+$"}, "measure": {"type": "string"},
    "dimension": {"type": "string", "enum": ["team_operation", "capability", "morale",
      "public_response", "conflicts"]},
    "label_zh": {"type": "string"}, "label_en": {"type": "string"},
    "direction": {"type": "string", "enum": ["benefit", "cost"]}, "unit": {"type": "string"},
    "normalisation": {"type": "string",
                      "enum": ["minmax_fixed", "minmax_data", "target", "zscore"]},
    "lower": {"type": "number"}, "upper": {"type": "number"}, "target": {"type": "number"},
    "weight": {"type": "number"}, "missing_value": {"type": "number", "nullable": true},
    "rationale_zh": {"type": "string"}}},
  "IndicatorSet": {"type": "object", "required": ["key", "dimensions", "indicators"],
    "properties": {
    "id": {"type": "integer", "readOnly": true}, "key": {"type": "string"},
    "version": {"type": "integer", "readOnly": true},
    "name_zh": {"type": "string"}, "name_en": {"type": "string"}, "note": {"type": "string"},
    "dimensions": {"type": "array", "items": {"type": "object", "properties": {
      "key": {"type": "string"}, "weight": {"type": "number"}}}},
    "indicators": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorDef"}},
    "weighting": {"type": "object", "properties": {
      "method": {"type": "string", "enum": ["manual", "ahp", "entropy", "blend"]},
      "subjective": {"type": "string", "enum": ["manual", "ahp"]},
      "alpha": {"type": "number"},
      "blend_rule": {"type": "string", "enum": ["additive", "multiplicative"]},
      "ahp": {"type": "array", "items": {"$ref": "#/components/schemas/AhpMatrix"}}}},
    "scoring": {"type": "object", "properties": {
      "method": {"type": "string", "enum": ["weighted_sum", "topsis"]},
      "topsis_normalisation": {"type": "string", "enum": ["minmax", "vector"]},
      "fixed_ideals": {"type": "boolean"}}},
    "bands": {"type": "object", "properties": {
      "method": {"type": "string", "enum": ["thresholds", "quotas"]},
      "thresholds": {"type": "array", "items": {"type": "number"}},
      "top_shares": {"type": "array", "items": {"type": "number"}}}},
    "vetoes": {"type": "array", "items": {"type": "object", "properties": {
      "rule": {"type": "string", "enum": ["serious_finding", "weak_lax", "term_overdue"]},
      "max_stars": {"type": "integer"}}}},
    "weak_lax": {"type": "object", "properties": {
      "secretary_vacant_months": {"type": "integer"},
      "no_development_target_years": {"type": "integer"},
      "last_in_county": {"type": "boolean"}, "satisfaction_below": {"type": "number"},
      "petitions_at_least": {"type": "integer"}, "not_disclosed": {"type": "boolean"},
      "weak_lax_max_stars": {"type": "integer"}}},
    "classes": {"type": "object", "properties": {"model_min_stars": {"type": "integer"}}},
    "warning": {"type": "object", "properties": {
      "score_drop": {"type": "number"}, "star_drop": {"type": "integer"}}},
    "sensitivity": {"type": "object", "properties": {
      "seed": {"type": "integer"}, "draws": {"type": "integer"}, "spread": {"type": "number"},
      "stable_threshold": {"type": "number"}}},
    "notice_days": {"type": "integer", "minimum": 0, "maximum": 30},
    "created_at": {"type": "string", "readOnly": true, "nullable": true},
    "created_by": {"type": "string", "readOnly": true, "nullable": true}}},
  "IndicatorSetSummary": {"type": "object", "properties": {
    "id": {"type": "integer"}, "key": {"type": "string"}, "version": {"type": "integer"},
    "name_zh": {"type": "string"}, "name_en": {"type": "string"}, "note": {"type": "string"},
    "created_at": {"type": "string"}, "created_by": {"type": "string"},
    "indicator_count": {"type": "integer"}, "latest": {"type": "boolean"},
    "run_count": {"type": "integer"}}},
  "PeriodicRating": {"type": "object", "required": ["score"], "properties": {
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "period": {"type": "string", "pattern": "^[0-9]{4}Q[1-4]$"},
    "score": {"type": "number", "minimum": 0, "maximum": 100},
    "meetings_held": {"type": "integer"}, "affairs_disclosures": {"type": "integer"},
    "finance_disclosed": {"type": "boolean"}, "petitions": {"type": "integer"},
    "note": {"type": "string"},
    "updated_at": {"type": "string", "readOnly": true, "nullable": true}}},
  "SpotCheck": {"type": "object", "required": ["division_code", "check_date", "finding"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "check_date": {"type": "string", "format": "date"},
    "category": {"type": "string", "enum": ["organization_life", "team_building",
      "affairs_disclosure", "finance", "petitions", "discipline", "other"]},
    "severity": {"type": "string", "enum": ["minor", "moderate", "serious"]},
    "finding": {"type": "string", "maxLength": 500}, "rectified": {"type": "boolean"},
    "updated_at": {"type": "string", "readOnly": true, "nullable": true}}},
  "DutyReport": {"type": "object", "properties": {
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "year": {"type": "integer"}, "excellent": {"type": "integer"},
    "competent": {"type": "integer"}, "basic": {"type": "integer"},
    "incompetent": {"type": "integer"}, "development_target": {"type": "boolean"},
    "updated_at": {"type": "string", "readOnly": true, "nullable": true}}},
  "SatisfactionSurvey": {"type": "object", "required": ["responses", "satisfied"],
    "properties": {
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "year": {"type": "integer"}, "responses": {"type": "integer", "minimum": 1},
    "satisfied": {"type": "integer", "minimum": 0},
    "rate": {"type": "number", "readOnly": true},
    "updated_at": {"type": "string", "readOnly": true, "nullable": true}}},
  "ImportReport": {"type": "object", "properties": {
    "kind": {"type": "string"}, "rows": {"type": "integer"}, "inserted": {"type": "integer"},
    "updated": {"type": "integer"}}},
  "RunRequest": {"type": "object", "required": ["year"], "properties": {
    "scope": {"type": "string", "description": "county code; default the caller's scope"},
    "year": {"type": "integer"},
    "indicator_set_id": {"type": "integer", "description": "0 or absent: latest village-default"},
    "sensitivity": {"type": "boolean", "default": true}}},
  "RunSummary": {"type": "object", "properties": {
    "id": {"type": "integer"}, "scope": {"type": "string"}, "scope_name": {"type": "string"},
    "year": {"type": "integer"}, "indicator_set_id": {"type": "integer"},
    "indicator_set_key": {"type": "string"}, "indicator_set_version": {"type": "integer"},
    "method": {"type": "string"}, "weighting": {"type": "string"},
    "params": {"type": "object", "nullable": true},
    "input_hash": {"type": "string"}, "output_hash": {"type": "string"},
    "status": {"type": "string", "enum": ["draft", "published", "final"]},
    "created_at": {"type": "string"}, "created_by": {"type": "string"},
    "published_at": {"type": "string", "nullable": true},
    "notice_until": {"type": "string", "nullable": true},
    "finalized_at": {"type": "string", "nullable": true},
    "village_count": {"type": "integer"},
    "star_counts": {"type": "array", "items": {"type": "integer"}},
    "model_count": {"type": "integer"}, "weak_lax_count": {"type": "integer"},
    "warning_count": {"type": "integer"}, "stable_share": {"type": "number"},
    "open_appeals": {"type": "integer"}}},
  "RuleHit": {"type": "object", "properties": {
    "rule": {"type": "string"}, "evidence": {"type": "string"}}},
  "RunVillage": {"type": "object", "properties": {
    "code": {"$ref": "#/components/schemas/DivisionCode"}, "name": {"type": "string"},
    "township_code": {"$ref": "#/components/schemas/DivisionCode"},
    "township_name": {"type": "string"},
    "score": {"type": "number"},
    "dimension_scores": {"type": "object", "description": "points per dimension",
                         "additionalProperties": {"type": "number"}},
    "band_stars": {"type": "integer"}, "stars": {"type": "integer"},
    "capped_by": {"type": "array", "items": {"type": "string"}},
    "rating_class": {"type": "string", "enum": ["model", "ordinary", "weak_lax"]},
    "weak_lax": {"type": "array", "items": {"$ref": "#/components/schemas/RuleHit"}},
    "vetoes": {"type": "array", "items": {"$ref": "#/components/schemas/RuleHit"}},
    "county_rank": {"type": "integer"}, "county_percentile": {"type": "number"},
    "township_rank": {"type": "integer"}, "township_percentile": {"type": "number"},
    "next_star_cut": {"type": "number", "nullable": true},
    "points_to_next_star": {"type": "number"},
    "warning": {"type": "boolean"}, "points_lost": {"type": "number"},
    "stars_lost": {"type": "integer"}, "change_probability": {"type": "number"},
    "lines": {"type": "array", "description": "explanation only", "items": {"type": "object"}},
    "gaps": {"type": "array", "description": "explanation only", "items": {"type": "object"}},
    "lifts": {"type": "array", "description": "explanation only",
              "items": {"type": "object"}}}},
  "RunExplanation": {"type": "object", "properties": {
    "run": {"$ref": "#/components/schemas/RunSummary"},
    "village": {"$ref": "#/components/schemas/RunVillage"},
    "indicators": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorDef"}},
    "weights": {"type": "array", "items": {"type": "number"}},
    "history": {"type": "array", "items": {"$ref": "#/components/schemas/RunVillage"}}}},
  "GroupEnds": {"type": "object", "properties": {
    "code": {"type": "string", "nullable": true, "description": "township; null = the county"},
    "name": {"type": "string"},
    "top": {"type": "array", "items": {"$ref": "#/components/schemas/DivisionCode"}},
    "bottom": {"type": "array", "items": {"$ref": "#/components/schemas/DivisionCode"}},
    "middle": {"type": "array", "items": {"type": "object", "properties": {
      "code": {"$ref": "#/components/schemas/DivisionCode"},
      "points_to_next_star": {"type": "number"}}}}}},
  "BothEnds": {"type": "object", "properties": {
    "run": {"$ref": "#/components/schemas/RunSummary"},
    "groups": {"type": "array", "items": {"$ref": "#/components/schemas/GroupEnds"}},
    "names": {"type": "object", "description": "division code -> name",
              "additionalProperties": {"type": "string"}}}},
  "TrendPoint": {"type": "object", "properties": {
    "year": {"type": "integer"}, "run_id": {"type": "integer"}, "status": {"type": "string"},
    "star_counts": {"type": "array", "items": {"type": "integer"}},
    "model_count": {"type": "integer"}, "weak_lax_count": {"type": "integer"},
    "mean_score": {"type": "number"}}},
  "Appeal": {"type": "object", "properties": {
    "id": {"type": "integer"}, "run_id": {"type": "integer"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "village_name": {"type": "string"}, "reason": {"type": "string"},
    "status": {"type": "string", "enum": ["pending", "upheld", "rejected"]},
    "decision": {"type": "string", "nullable": true},
    "lodged_by": {"type": "string"}, "lodged_at": {"type": "string"},
    "decided_by": {"type": "string", "nullable": true},
    "decided_at": {"type": "string", "nullable": true}}},
  "AppealRequest": {"type": "object", "required": ["division_code", "reason"], "properties": {
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "reason": {"type": "string", "minLength": 1, "maxLength": 2000}}},
  "AppealDecision": {"type": "object", "required": ["status"], "properties": {
    "status": {"type": "string", "enum": ["upheld", "rejected"]},
    "decision": {"type": "string"}}}
})json";

// Dispatch's objects (docs/api.md "Dispatch"; shapes from services/dispatch_json.h).
constexpr std::string_view kDispatchSchemas = R"json({
  "WorkSkill": {"type": "string", "enum": ["party_building", "industry", "agronomy",
    "law_petitions", "planning_construction", "finance", "e_commerce", "governance", "health", "education"]},
  "Cadre": {"type": "object", "required": ["name", "sex", "id_number", "sending_unit", "skills"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "county_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}], "readOnly": true},
    "kind": {"type": "string", "enum": ["cadre", "worthy"],
             "description": "cadre (干部, default) or local worthy (乡贤)"},
    "name": {"type": "string", "minLength": 1, "maxLength": 40},
    "sex": {"type": "string", "enum": ["male", "female"]},
    "birth_date": {"type": "string", "format": "date", "nullable": true},
    "id_number": {"type": "string", "description": "plain on the way in, masked on the way out"},
    "phone": {"type": "string", "description": "11-digit mobile, masked on the way out"},
    "sending_unit": {"type": "string", "minLength": 1, "maxLength": 80},
    "unit_kind": {"type": "string", "enum": ["party_agency", "public_institution",
      "state_enterprise", "university", "hospital", "financial", "private_enterprise",
      "self_employed", "other"]},
    "skills": {"type": "array", "minItems": 1, "maxItems": 5,
               "items": {"$ref": "#/components/schemas/WorkSkill"}},
    "home_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}],
                  "description": "home division; a worthy's hometown"},
    "residence": {"type": "string", "maxLength": 40,
                  "description": "where a worthy lives now, e.g. 广东省深圳市"},
    "available": {"type": "boolean"},
    "term_months": {"type": "integer", "minimum": 6, "maximum": 60},
    "note": {"type": "string"},
    "person_id": {"type": "integer", "nullable": true, "readOnly": true},
    "updated_at": {"type": "string", "readOnly": true}}},
  "CadreImportReport": {"type": "object", "properties": {"created": {"type": "integer"}}},
  "PreferenceImportReport": {"type": "object", "properties": {"lists": {"type": "integer"}, "rows": {"type": "integer"}}},
  "Project": {"type": "object",
    "required": ["division_code", "name", "work_type", "start_date", "end_date"],
    "properties": {
    "id": {"type": "integer", "readOnly": true},
    "division_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}],
                      "description": "the village (a village-level division in scope)"},
    "village_name": {"type": "string", "readOnly": true},
    "township_code": {"allOf": [{"$ref": "#/components/schemas/DivisionCode"}], "readOnly": true},
    "township_name": {"type": "string", "readOnly": true},
    "name": {"type": "string", "minLength": 1, "maxLength": 60},
    "work_type": {"$ref": "#/components/schemas/WorkSkill"},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date",
                 "description": "planned end, after start_date (the first day after the project)"},
    "status": {"type": "string", "enum": ["planned", "underway", "done", "stopped"]},
    "description": {"type": "string", "maxLength": 500},
    "updated_at": {"type": "string", "readOnly": true}}},
  "NeedReason": {"type": "object", "properties": {
    "source": {"type": "string", "enum": ["weak_lax", "low_stars", "petitions", "key_village",
      "relocation_settlement", "lifted_from_poverty", "secretary_vacant"]},
    "evidence": {"type": "string"}, "points": {"type": "number"}}},
  "VillageNeed": {"type": "object", "properties": {
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "name": {"type": "string"},
    "township_code": {"$ref": "#/components/schemas/DivisionCode"},
    "township_name": {"type": "string"},
    "priority": {"type": "number", "minimum": 0, "maximum": 100},
    "reasons": {"type": "array", "items": {"$ref": "#/components/schemas/NeedReason"}},
    "skills": {"type": "array", "items": {"type": "object", "properties": {
      "skill": {"$ref": "#/components/schemas/WorkSkill"}, "weight": {"type": "number"}}}},
    "needs_first_secretary": {"type": "boolean"},
    "has_first_secretary": {"type": "boolean"}}},
  "NeedsByTownship": {"type": "object", "properties": {
    "township_code": {"$ref": "#/components/schemas/DivisionCode"},
    "township_name": {"type": "string"}, "villages": {"type": "integer"},
    "needing": {"type": "integer"}, "covered": {"type": "integer"}}},
  "NeedsReport": {"type": "object", "properties": {
    "villages": {"type": "array", "items": {"$ref": "#/components/schemas/VillageNeed"}},
    "by_township": {"type": "array", "items": {"$ref": "#/components/schemas/NeedsByTownship"}}}},
  "RoundRules": {"type": "object", "properties": {
    "avoid_home_county": {"type": "boolean"},
    "max_per_unit_per_township": {"type": "integer", "minimum": 0},
    "min_priority": {"type": "number", "minimum": 0, "maximum": 100},
    "circuit_capacity": {"type": "integer", "minimum": 1, "maximum": 20,
      "description": "instructor_circuit: villages one instructor covers (default 5)"}}},
  "DispatchRound": {"type": "object", "required": ["name", "start_date"], "properties": {
    "id": {"type": "integer", "readOnly": true},
    "scope": {"type": "string", "pattern": "^[0-9]{6}$",
              "description": "county prefix; default the caller's county"},
    "role": {"type": "string", "enum": ["first_secretary", "instructor_resident",
      "instructor_circuit", "instructor_tracking", "advisor"]},
    "name": {"type": "string"},
    "status": {"type": "string", "readOnly": true,
               "enum": ["draft", "preferences_open", "matched", "confirmed"]},
    "mode": {"type": "string", "enum": ["stable", "optimal"]},
    "proposing": {"type": "string", "enum": ["people", "villages"]},
    "seed": {"type": "integer", "minimum": 0},
    "rules": {"$ref": "#/components/schemas/RoundRules"},
    "start_date": {"type": "string", "format": "date"},
    "created_at": {"type": "string", "readOnly": true},
    "created_by": {"type": "string", "readOnly": true},
    "matched_at": {"type": "string", "nullable": true, "readOnly": true},
    "confirmed_at": {"type": "string", "nullable": true, "readOnly": true}}},
  "PreferenceRequest": {"type": "object", "required": ["tiers"], "properties": {
    "side": {"type": "string", "enum": ["cadre", "village"], "description": "from the path"},
    "owner": {"description": "cadre id, or the receiver: a village code, a circuit id or a project id; from the path"},
    "tiers": {"type": "array", "description": "best first; ties share a tier",
              "items": {"type": "array", "items": {}}}}},
  "Preference": {"allOf": [{"$ref": "#/components/schemas/PreferenceRequest"}, {"type": "object",
    "properties": {"round_id": {"type": "integer"}, "derived": {"type": "boolean"},
                   "updated_at": {"type": "string"}}}]},
  "RoundCadre": {"allOf": [{"$ref": "#/components/schemas/Cadre"}, {"type": "object",
    "properties": {"preference": {"allOf": [{"$ref": "#/components/schemas/Preference"}],
                                  "nullable": true}}}]},
  "RoundVillage": {"allOf": [{"$ref": "#/components/schemas/VillageNeed"}, {"type": "object",
    "properties": {"seats": {"type": "integer"},
                   "preference": {"allOf": [{"$ref": "#/components/schemas/Preference"}],
                                  "nullable": true},
                   "kind": {"type": "string", "enum": ["village", "circuit", "project"]},
                   "id": {"description": "a village's 12-digit code; a circuit's or project's id (integer)"},
                   "work_type": {"allOf": [{"$ref": "#/components/schemas/WorkSkill"}], "nullable": true},
                   "villages": {"type": "array", "items": {"type": "object", "properties": {
                     "division_code": {"$ref": "#/components/schemas/DivisionCode"},
                     "name": {"type": "string"}, "priority": {"type": "number"}}}},
                   "project": {"type": "object", "nullable": true,
                               "description": "tracking rounds: the project (as GET /dispatch/projects/{id})"}}}]},
  "Assignment": {"type": "object", "properties": {
    "cadre_id": {"type": "integer"}, "cadre_name": {"type": "string"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "village_name": {"type": "string"},
    "unit_id": {"type": "integer", "nullable": true, "description": "the circuit or project"},
    "unit_name": {"type": "string", "nullable": true},
    "villages": {"type": "array", "description": "the villages covered (a circuit's share)",
      "items": {"type": "object", "properties": {
        "division_code": {"$ref": "#/components/schemas/DivisionCode"}, "name": {"type": "string"}}}},
    "fit": {"type": "number"},
    "cadre_rank": {"type": "integer"}, "village_rank": {"type": "integer"},
    "start_date": {"type": "string", "format": "date", "nullable": true},
    "end_date": {"type": "string", "format": "date", "nullable": true},
    "post_id": {"type": "integer", "nullable": true},
    "post_ids": {"type": "array", "items": {"type": "integer"}}}},
  "RoundResult": {"type": "object", "properties": {
    "round": {"$ref": "#/components/schemas/DispatchRound"},
    "assignments": {"type": "array", "items": {"$ref": "#/components/schemas/Assignment"}},
    "unmatched": {"type": "array", "items": {"type": "object", "properties": {
      "side": {"type": "string", "enum": ["cadre", "village"]}, "id": {},
      "name": {"type": "string"}, "reason": {"type": "string"}}}},
    "uncovered": {"type": "array", "description": "circuit rounds: villages no instructor covers",
      "items": {"type": "object", "properties": {
        "division_code": {"$ref": "#/components/schemas/DivisionCode"}, "name": {"type": "string"},
        "unit_id": {"type": "integer"}, "unit_name": {"type": "string"},
        "reason": {"type": "string"}}}},
    "explanations": {"type": "array", "items": {"type": "object", "properties": {
      "side": {"type": "string", "enum": ["cadre", "village"]}, "id": {},
      "lines": {"type": "array", "items": {"type": "string"}}}}},
    "certificate": {"type": "object", "properties": {
      "stable": {"type": "boolean"}, "blocking_pairs": {"type": "integer"},
      "checked_pairs": {"type": "integer"}}},
    "totals": {"type": "object", "properties": {
      "assignments": {"type": "integer"}, "total_fit": {"type": "number"},
      "optimal_fit": {"type": "number"}, "price_of_stability": {"type": "number"},
      "derived_cadre_lists": {"type": "integer"}, "derived_village_lists": {"type": "integer"}}},
    "input_hash": {"type": "string"}, "output_hash": {"type": "string"}}},
  "FirstSecretaryTerm": {"type": "object", "properties": {
    "post_kind": {"type": "string", "enum": ["first_secretary", "instructor", "advisor"]},
    "post_id": {"type": "integer"},
    "division_code": {"$ref": "#/components/schemas/DivisionCode"},
    "village_name": {"type": "string"}, "person_name": {"type": "string"},
    "round_id": {"type": "integer", "nullable": true},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date", "nullable": true},
    "current": {"type": "boolean"}, "ending_soon": {"type": "boolean"},
    "days_left": {"type": "integer"}}}
})json";

json::object Ref(std::string_view schema) {
  return {{"$ref", fmt::format("#/components/schemas/{}", schema)}};
}

json::object BuildSchemas() {
  json::object schemas = json::parse(kSchemas).as_object();
  const json::value assess = json::parse(kAssessSchemas);
  for (const auto& [name, schema] : assess.as_object()) schemas[name] = schema;
  const json::value dispatch = json::parse(kDispatchSchemas);
  for (const auto& [name, schema] : dispatch.as_object()) schemas[name] = schema;
  const json::value pairing = json::parse(PairingSchemasJson());  // pairing_handlers.cc
  for (const auto& [name, schema] : pairing.as_object()) schemas[name] = schema;
  const json::value economy = json::parse(EconomySchemasJson());  // economy_handlers.cc
  for (const auto& [name, schema] : economy.as_object()) schemas[name] = schema;
  const json::value linkage = json::parse(LinkageSchemasJson());  // linkage_handlers.cc
  for (const auto& [name, schema] : linkage.as_object()) schemas[name] = schema;
  const json::value cultivation = json::parse(CultivationSchemasJson());  // cultivation_handlers.cc
  for (const auto& [name, schema] : cultivation.as_object()) schemas[name] = schema;
  for (std::string_view item : {"VillageSummary", "PartyOrg", "Person", "Post", "AuditEntry",
                                "PeriodicRating", "SpotCheck", "DutyReport",
                                "SatisfactionSurvey", "RunVillage", "Cadre"}) {
    schemas[fmt::format("{}Page", item)] =
        json::object{{"type", "object"},
                     {"required", json::array{"items", "total", "page", "page_size"}},
                     {"properties",
                      json::object{{"items", json::object{{"type", "array"}, {"items", Ref(item)}}},
                                   {"total", json::object{{"type", "integer"}}},
                                   {"page", json::object{{"type", "integer"}}},
                                   {"page_size", json::object{{"type", "integer"}}}}}};
  }
  for (std::string_view item : {"DivisionNode", "Post", "IndicatorSetSummary", "RunSummary",
                                "TrendPoint", "Appeal", "DispatchRound", "RoundCadre",
                                "RoundVillage", "FirstSecretaryTerm", "Project"}) {
    schemas[fmt::format("{}List", item)] = json::object{
        {"type", "object"},
        {"required", json::array{"items"}},
        {"properties",
         json::object{{"items", json::object{{"type", "array"}, {"items", Ref(item)}}}}}};
  }
  return schemas;
}

std::string_view ReasonFor(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
  }
  return "Success";
}

// "get_api_v1_people_id": stable and unique per method + path.
std::string OperationId(const Route& r) {
  std::string id;
  for (char c : r.method) id.push_back(static_cast<char>(std::tolower(c)));
  for (char c : r.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id.push_back(c);
    } else if (c != '{' && c != '}' && (id.empty() || id.back() != '_')) {
      id.push_back('_');
    }
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

json::array Parameters(const Route& r) {
  json::array params;
  std::string_view p = r.pattern;
  for (size_t open = p.find('{'); open != std::string_view::npos; open = p.find('{', open + 1)) {
    size_t close = p.find('}', open);
    std::string_view name = p.substr(open + 1, close - open - 1);
    json::object schema =
        name == "id" || name == "funding_id" ? json::object{{"type", "integer"}, {"minimum", 1}}
        : name == "year" ? json::object{{"type", "integer"}, {"minimum", 2000}, {"maximum", 2100}}
        : name == "period"
            ? json::object{{"type", "string"}, {"pattern", "^[0-9]{4}Q[1-4]$"}}
        : name == "side" ? json::object{{"type", "string"}, {"enum", json::array{"cadre", "village"}}}
        : name == "owner"
            ? json::object{{"type", "string"}, {"pattern", "^[0-9]{1,12}$"},
                           {"description", "cadre id (side cadre) or 12-digit village code"}}
        : name == "kind" ? json::object{{"type", "string"},
                                        {"enum", json::array{"periodic-ratings", "spot-checks",
                                                             "duty-reports",
                                                             "satisfaction-surveys"}}}
                         : json::object{{"type", "string"}, {"pattern", "^[0-9]{2,12}$"}};
    params.push_back(json::object{
        {"name", name}, {"in", "path"}, {"required", true}, {"schema", std::move(schema)}});
  }
  for (const ParamDoc& q : r.query) {
    params.push_back(json::object{{"name", q.name},
                                  {"in", "query"},
                                  {"required", false},
                                  {"description", q.description},
                                  {"schema", json::object{{"type", q.type}}}});
  }
  return params;
}

json::object Operation(const Route& r) {
  json::object op{
      {"operationId", OperationId(r)}, {"summary", r.summary}, {"tags", json::array{r.tag}}};
  json::array params = Parameters(r);
  if (!params.empty()) op["parameters"] = std::move(params);
  if (!r.request_schema.empty()) {
    op["requestBody"] = json::object{
        {"required", true},
        {"content",
         json::object{{"application/json", json::object{{"schema", Ref(r.request_schema)}}}}}};
  }
  json::object success{{"description", ReasonFor(r.success_status)}};
  if (r.success_status != 204) {
    json::value schema = r.response_schema.empty() ? json::value(json::object{{"type", "object"}})
                                                   : json::value(Ref(r.response_schema));
    success["content"] =
        json::object{{"application/json", json::object{{"schema", std::move(schema)}}}};
  }
  json::object responses;
  responses[std::to_string(r.success_status)] = std::move(success);
  responses["default"] = json::object{
      {"description", "An error (400, 401, 403, 404, 405, 409, 413, 429, 500)"},
      {"content",
       json::object{{"application/problem+json", json::object{{"schema", Ref("Problem")}}}}}};
  op["responses"] = std::move(responses);
  switch (r.access) {
    case Access::kPublic:
    case Access::kLogin:
      op["security"] = json::array{};
      break;
    case Access::kSession:
      if (IsWriteMethod(r.method)) {
        op["security"] =
            json::array{json::object{{"session", json::array{}}, {"csrf", json::array{}}}};
      }
      break;
  }
  return op;
}

}  // namespace

const json::object& ComponentSchemas() {
  static const json::object schemas = BuildSchemas();
  return schemas;
}

json::object BuildOpenApi(std::span<const Route> routes, std::string_view version) {
  json::object paths;
  json::array tags;
  for (const Route& r : routes) {
    std::string method;
    for (char c : r.method) method.push_back(static_cast<char>(std::tolower(c)));
    json::value& item = paths[r.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[method] = Operation(r);
    bool seen = false;
    for (const json::value& t : tags) {
      const json::string& name = t.as_object().at("name").as_string();
      seen = seen || std::string_view(name.data(), name.size()) == r.tag;
    }
    if (!seen) tags.push_back(json::object{{"name", r.tag}});
  }
  return {
      {"openapi", "3.0.3"},
      {"info",
       json::object{{"title", "qiangji (强基) API"},
                    {"version", version},
                    {"description",
                     "Village Party organization building. Sign in with POST /api/v1/auth/login; "
                     "writes need the session's CSRF token in X-CSRF-Token. Errors are "
                     "application/problem+json with field-level errors."}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components",
       json::object{
           {"schemas", ComponentSchemas()},
           {"securitySchemes",
            json::object{
                {"session",
                 json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "qj_session"}}},
                {"csrf",
                 json::object{{"type", "apiKey"}, {"in", "header"}, {"name", "X-CSRF-Token"}}}}}}},
      {"security", json::array{json::object{{"session", json::array{}}}}},
  };
}

}  // namespace qiangji::api

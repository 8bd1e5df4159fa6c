// Shared helpers of the dispatch pages (双选派, issue 4): the closed vocabularies of
// domain/dispatch.h, what each round role sends and to what (villages, circuits, projects), role
// checks, and reading a round result whether its totals and certificate
// come nested ({certificate, totals}) or flat.
import { session } from '../../session.js'

// domain::kUnitKinds, kWorkSkills, kRoundStatuses, in their declared order.
export const UNIT_KINDS = ['party_agency', 'public_institution', 'state_enterprise', 'university', 'hospital', 'financial', 'private_enterprise', 'self_employed', 'other']
// domain::kPoolKinds and kProjectStatuses.
export const POOL_KINDS = ['cadre', 'worthy']
export const PROJECT_STATUSES = ['planned', 'underway', 'done', 'stopped']
export const WORK_SKILLS = ['party_building', 'industry', 'agronomy', 'law_petitions', 'planning_construction', 'finance', 'e_commerce', 'governance', 'health', 'education']
export const ROUND_STATUSES = ['draft', 'preferences_open', 'matched', 'confirmed']
// domain::kDispatchRoles, and the posts confirmed rounds create (domain::PostKindOfRole).
export const DISPATCH_ROLES = ['first_secretary', 'instructor_resident', 'instructor_circuit', 'instructor_tracking', 'advisor']
export const SENT_POST_KINDS = ['first_secretary', 'instructor', 'advisor']

// What a round's receivers are: villages, circuits (one work type in one township) or projects.
export function receiverKindOf(role) {
  return role === 'instructor_circuit' ? 'circuit' : role === 'instructor_tracking' ? 'project' : 'village'
}
// Who a round sends: cadres, or local worthies (乡贤) for advisors.
export function peopleKindOf(role) {
  return role === 'advisor' ? 'worthy' : 'cadre'
}
// Receiver ids travel as 12-digit strings for villages and as numbers for circuits and projects.
export function receiverWireId(kind, id) {
  return kind === 'village' ? String(id) : Number(id)
}

// Rounds, the pool and the cadres' own lists are county business; township users enter their
// villages' lists.
export function isCountyUser() {
  const role = session.user?.role
  return role === 'admin' || role === 'county'
}

export function mayEnterVillageLists() {
  const role = session.user?.role
  return role === 'admin' || role === 'county' || role === 'township'
}

export function statusTagType(s) {
  return s === 'confirmed' ? 'success' : s === 'matched' ? 'primary' : s === 'preferences_open' ? 'warning' : 'info'
}

// Priority 0..100 as a colour: red from 60, amber from 30.
export function priorityClass(p) {
  return p >= 60 ? 'high' : p >= 30 ? 'mid' : 'low'
}

// Skills as [{skill, weight}] (the JSON) or [[skill, weight]] (a pair list), largest first.
export function skillList(skills) {
  return (skills || []).map((s) => (Array.isArray(s) ? { skill: s[0], weight: s[1] } : s))
    .sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))
}

// The certificate and totals of a RoundResult, whichever shape the server sends.
export function resultSummary(r) {
  if (!r) return null
  const cert = r.certificate || {}
  const totals = r.totals || {}
  const pick = (k, from) => (from[k] !== undefined ? from[k] : r[k])
  const blocking = Number(pick('blocking_pairs', cert) ?? 0)
  return {
    stable: cert.stable !== undefined ? !!cert.stable && blocking === 0 : blocking === 0,
    blocking_pairs: blocking,
    checked_pairs: Number(pick('checked_pairs', cert) ?? 0),
    assignments: Number(totals.assignments ?? (r.assignments || []).length),
    total_fit: Number(pick('total_fit', totals) ?? 0),
    optimal_fit: Number(pick('optimal_fit', totals) ?? 0),
    price_of_stability: Number(pick('price_of_stability', totals) ?? 0),
    derived_cadre_lists: Number(pick('derived_cadre_lists', totals) ?? 0),
    derived_village_lists: Number(pick('derived_village_lists', totals) ?? 0),
  }
}

// Names of the assignments' cadres and villages: on each assignment, or in the pair lists
// cadre_names / village_names ([[id, name]] or [{id, name}]).
export function nameMaps(r) {
  const cadres = new Map()
  const villages = new Map()
  const fill = (map, list) => {
    for (const e of list || []) {
      if (Array.isArray(e)) map.set(String(e[0]), e[1])
      else if (e && typeof e === 'object') map.set(String(e.id ?? e.code), e.name)
    }
  }
  const units = new Map()
  fill(cadres, r?.cadre_names)
  fill(villages, r?.village_names)
  fill(units, r?.unit_names)
  for (const a of r?.assignments || []) {
    if (a.cadre_name) cadres.set(String(a.cadre_id), a.cadre_name)
    if (a.village_name) villages.set(String(a.division_code), a.village_name)
    if (a.unit_name) units.set(String(a.unit_id), a.unit_name)
    for (const v of a.villages || []) if (v?.name) villages.set(String(v.division_code), v.name)
  }
  return { cadres, villages, units }
}

// An assignment's receiver: its circuit or project (unit_id), else its village.
export function assignmentReceiverId(a) {
  return a.unit_id != null && a.unit_id !== 0 ? a.unit_id : a.division_code
}

// The key of a participant: "cadre:12" or "village:130624100201".
export function participantKey(side, id) {
  return `${side}:${String(id)}`
}

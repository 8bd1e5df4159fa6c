// Shared bits of the 双培养 cultivation pages (docs/cultivation.md): the closed vocabularies of
// domain/cultivation.h, the townships and villages of the caller's scope for the filters, and
// the rule named by a 409 answer ("rule <name>: <message>").
import { api, prefixOf } from '../../api.js'
import { session, loadRoots } from '../../session.js'

export const SOURCES = ['returnee_graduate', 'returnee_worker', 'veteran', 'wealth_leader', 'coop_chair']
export const CHANNELS = ['org_nomination', 'mass_nomination', 'self_nomination']
export const STATUSES = ['active', 'paused', 'left']
export const STAGES = ['applicant', 'activist', 'development_target', 'probationary_member', 'member']
export const CADRE_STAGES = ['talent', 'reserve_cadre', 'two_committee_member', 'party_secretary']
export const COURSE_KINDS = ['pre_job', 'on_job', 'professional']
export const TOPICS = ['market_economy', 'practical_technology', 'policy_law', 'management']
export const STAGE_COLORS = ['#93a7bf', '#4f7cac', '#e3a33b', '#c0504d', '#b3261e']

// The stage after `stage` in the membership pipeline ("" after a full member).
export function nextStage(stage) {
  const i = STAGES.indexOf(stage)
  if (stage === 'masses' || !stage) return 'applicant'
  return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1] : ''
}

// {rule, message} of a "rule <name>: <message>" detail; null for any other answer.
export function ruleOf(err) {
  const m = /^rule ([a-z0-9_]+): ([\s\S]*)$/.exec(err?.detail || '')
  return m ? { rule: m[1], message: m[2] } : null
}

// Townships of the caller's scope as {value: 9-digit prefix, label}.
export async function loadTownships() {
  try {
    const roots = session.roots.length ? session.roots : await loadRoots()
    if (roots.length === 1 && roots[0].level === 'county') {
      const answer = await api.get('/divisions', { parent: prefixOf(roots[0].code, roots[0].level) })
      return (answer.items || []).map((d) => ({ value: prefixOf(d.code, d.level), label: d.name }))
    }
    return roots.filter((d) => d.level === 'township').map((d) => ({ value: prefixOf(d.code, d.level), label: d.name }))
  } catch {
    return []
  }
}

// Villages of a township prefix as {value: 12-digit code, label}.
export async function loadVillages(township) {
  if (!township) return []
  try {
    const answer = await api.get('/divisions', { parent: township })
    return (answer.items || []).map((d) => ({ value: String(d.code), label: d.name }))
  } catch {
    return []
  }
}

// 0.1234 -> "12.3%"; null -> "—".
export function pct(x, digits = 1) {
  if (x == null || Number.isNaN(Number(x))) return '—'
  return `${(Number(x) * 100).toFixed(digits)}%`
}

// Shared helpers of the assessment pages (issue 3): the five dimensions in their fixed order,
// value formatting by unit, role checks, and the mapping of problem+json field errors onto forms.
import { session } from '../../session.js'
import { t, label, locale } from '../../i18n.js'

// domain::kAssessDimensions, in the order of every table, chart and dimension_scores array.
export const DIMENSIONS = ['team_operation', 'capability', 'morale', 'public_response', 'conflicts']
export const STAR_COLORS = ['#8c8c8c', '#c0504d', '#d19a2e', '#6f8fb5', '#28507f', '#a61b1b']

// Runs, publication, indicator sets and appeal decisions are county business.
export function isCountyUser() {
  const role = session.user?.role
  return role === 'admin' || role === 'county'
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v)

export function fixed(v, digits = 1) {
  return isNum(v) ? v.toFixed(digits) : '—'
}

// A 0..1 share as "72.5%".
export function pct(v, digits = 1) {
  return isNum(v) ? `${(v * 100).toFixed(digits)}%` : '—'
}

// A raw indicator value in its unit: shares as percentages, flags as yes/no, the rest as numbers.
export function valueText(v, unit) {
  if (!isNum(v)) return '—'
  if (unit === 'share') return pct(v)
  if (unit === 'flag') return v >= 0.5 ? t('common.yes') : t('common.no')
  const s = Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/\.?0+$/, '')
  const u = unitText(unit)
  return u ? `${s} ${u}` : s
}

// The two ends of a change in the indicator's unit, with as many decimals as it takes for them
// to differ (a lift of 89.12% -> 89.14% must not read "89.1% -> 89.1%").
export function changeText(from, to, unit) {
  if (!isNum(from) || !isNum(to) || unit === 'flag') return [valueText(from, unit), valueText(to, unit)]
  const scale = unit === 'share' ? 100 : 1
  let digits = unit === 'share' ? 1 : Number.isInteger(from) && Number.isInteger(to) ? 0 : 2
  while (digits < 4 && (from * scale).toFixed(digits) === (to * scale).toFixed(digits)) digits++
  const show = (v) => {
    if (unit === 'share') return `${(v * 100).toFixed(digits)}%`
    const u = unitText(unit)
    return u ? `${v.toFixed(digits)} ${u}` : v.toFixed(digits)
  }
  return [show(from), show(to)]
}

export function unitText(unit) {
  if (!unit || unit === 'share' || unit === 'flag') return ''
  return label('unit', unit)
}

// The label of an indicator, measure or dimension object in the current language.
export function nameOf(obj) {
  if (!obj) return ''
  if (locale.value === 'en') return obj.label_en || obj.name_en || obj.label_zh || obj.name_zh || obj.key || ''
  return obj.label_zh || obj.name_zh || obj.label_en || obj.name_en || obj.key || ''
}

export function classTagType(c) {
  return c === 'model' ? 'success' : c === 'weak_lax' ? 'danger' : 'info'
}

export function statusTagType(s) {
  return s === 'final' ? 'success' : s === 'published' ? 'warning' : 'info'
}

// Splits an ApiError's field errors into those a form shows beside its inputs (`known(field)`
// true) and the rest, and gives the sentence for the alert above the form.
export function splitErrors(e, known = () => false) {
  const byField = {}
  const others = []
  for (const err of e?.errors || []) {
    if (!err || !err.field) continue
    if (known(err.field)) byField[err.field] = byField[err.field] ? `${byField[err.field]}；${err.message}` : err.message
    else others.push(`${err.field}: ${err.message}`)
  }
  let general
  if (e?.isCsrf) general = t('errors.csrf')
  else if (e?.status === 403) general = t('errors.forbidden')
  else if (e?.status === 0) general = t('errors.network')
  else if (Object.keys(byField).length) general = [t('errors.invalid'), ...others].join(' ')
  else general = others.length ? others.join('；') : e?.detail || e?.message || t('common.error')
  return { byField, others, general }
}

export function clearObject(o) {
  for (const k of Object.keys(o)) delete o[k]
}

// "1/3" or "3" or "0.25" -> number; NaN when it is neither.
export function parseRatio(text) {
  const s = String(text ?? '').trim()
  const m = s.match(/^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/)
  if (m) return Number(m[1]) / Number(m[2])
  return s === '' ? NaN : Number(s)
}

// A pairwise comparison as people write it: 3, 1/3, 1, or 2.5 / 0.4 when it is not a whole ratio.
export function ratioText(x) {
  if (!isNum(x) || x <= 0) return ''
  // Hand-typed files hold 0.3333 for 1/3: show it as people wrote it.
  const near = (a) => Math.abs(a - Math.round(a)) < 2e-3 * Math.max(1, a)
  if (near(x)) return String(Math.round(x))
  if (x < 1 && near(1 / x)) return `1/${Math.round(1 / x)}`
  return String(Number(x.toFixed(4)))
}

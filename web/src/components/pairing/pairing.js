// Shared helpers of the enterprise pairing page (企到村 / 企到企): the closed vocabularies of
// domain/enterprise.h in their declared order, and small formatting helpers.
export { isCountyUser } from '../dispatch/dispatch.js'

// domain::kIndustries, kOwnerships, kPairingKinds, kPairingRunStatuses.
export const INDUSTRIES = ['planting_breeding', 'food_processing', 'rural_tourism', 'e_commerce_logistics',
  'construction_materials', 'manufacturing', 'energy', 'finance', 'health_care', 'culture_creative', 'trade_services']
export const OWNERSHIPS = ['state', 'private', 'collective', 'foreign']
export const PAIRING_KINDS = ['village', 'collective']

export function runStatusTagType(s) {
  return s === 'confirmed' ? 'success' : s === 'matched' ? 'primary' : 'info'
}

// Priority 0..100 as a colour class: red from 60, amber from 30 (as the needs page).
export function priorityClass(p) {
  return p >= 60 ? 'high' : p >= 30 ? 'mid' : 'low'
}

export function num(v, digits = 2) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—'
}

// The short prefix of a 12-digit code ("130624100000" -> "130624100").
export function shortCode(code) {
  const c = String(code || '')
  if (c.length !== 12) return c
  for (const n of [2, 4, 6, 9]) if (/^0+$/.test(c.slice(n))) return c.slice(0, n)
  return c
}

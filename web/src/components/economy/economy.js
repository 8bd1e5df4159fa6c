// Helpers of the collective-economy and linkage pages: money is integer fen in the API
// (docs/economy.md); the UI shows and takes yuan with two decimals, converted exactly as text,
// never through a float multiplication.

// 1234567 -> "12,345.67"; null/undefined -> "—".
export function yuan(fen, { grouping = true } = {}) {
  if (fen == null || Number.isNaN(Number(fen))) return '—'
  const n = Number(fen)
  const sign = n < 0 ? '-' : ''
  const abs = Math.abs(n)
  const whole = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  const w = grouping ? whole.toLocaleString('en-US') : String(whole)
  return `${sign}${w}.${cents}`
}

// "12345.67" (or "12,345.6", "-3") -> 1234567; null when it is not an amount of yuan with at most
// two decimals.
export function fenOf(text) {
  const s = String(text ?? '').replace(/[,，\s]/g, '')
  if (s === '') return 0
  const m = /^(-?)(\d+)(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return null
  const fen = Number(m[2]) * 100 + Number((m[3] || '').padEnd(2, '0'))
  if (!Number.isSafeInteger(fen)) return null
  return m[1] ? -fen : fen
}

// Yuan without decimals when whole: 10000000 fen -> "100,000".
export function yuanShort(fen) {
  if (fen == null) return '—'
  return fen % 100 === 0 ? (fen / 100).toLocaleString('en-US') : yuan(fen)
}

// 0.1234 -> "12.3%"; null -> "—".
export function pct(x, digits = 1) {
  if (x == null || Number.isNaN(Number(x))) return '—'
  return `${(Number(x) * 100).toFixed(digits)}%`
}

// Basis points -> percent text for an input ("800" -> "8"), and back.
export function bpToPct(bp) {
  return (Number(bp) / 100).toString()
}
export function pctToBp(text) {
  const s = String(text ?? '').trim()
  if (!/^\d+(\.\d{0,2})?$/.test(s)) return null
  const [w, f = ''] = s.split('.')
  return Number(w) * 100 + Number(f.padEnd(2, '0'))
}

export const bandKeys = ['under_50k', '50k_100k', '100k_500k', '500k_1m', 'over_1m']
export const bandColors = ['#c0504d', '#e3a33b', '#93a7bf', '#4f7cac', '#2f6b2e']

// The 22 stored amounts of a report, in the order of the two tables.
export const incomeFields = [
  'operating_revenue_fen', 'contracting_income_fen', 'investment_income_fen', 'subsidy_income_fen',
  'other_income_fen', 'operating_costs_fen', 'admin_expenses_fen', 'other_expenses_fen',
  'surplus_fen', 'opening_undistributed_fen', 'reserve_fund_fen', 'welfare_fund_fen',
  'member_distribution_fen', 'undistributed_fen',
]
export const balanceFields = [
  'current_assets_fen', 'agricultural_assets_fen', 'long_term_investments_fen', 'fixed_assets_fen',
  'other_assets_fen', 'total_assets_fen', 'liabilities_fen', 'equity_fen',
]

export const linkageKinds = ['incentive', 'promotion', 'honours', 'adjustment']

// The county (6 digits) the linkage pages work on: the user's own, or the one county among the
// roots for an administrator; '' lets the server pick the caller's county.
export function countyOf(session) {
  const scope = session.user?.scope || ''
  if (scope.length >= 6) return scope.slice(0, 6)
  const counties = (session.roots || []).filter((r) => r.level === 'county')
  return counties.length === 1 ? String(counties[0].code).slice(0, 6) : ''
}

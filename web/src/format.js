// Dates as the county sees them: the server stores UTC; the UI shows Asia/Shanghai.
const zone = 'Asia/Shanghai'
const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false })

// Today's date in Shanghai as "YYYY-MM-DD".
export function today() {
  return dayFmt.format(new Date())
}

// Whole days from today (Shanghai) to a "YYYY-MM-DD" date; negative when it has passed.
export function daysUntil(date) {
  if (!date) return null
  const ms = Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)
  return Number.isNaN(ms) ? null : Math.round(ms / 86400000)
}

// "2026-11-29T10:30:00Z" -> "2026-11-29 18:30".
export function timestamp(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${dayFmt.format(d)} ${timeFmt.format(d)}`
}

// A Party organization's term as a tag: overdue, due within 90 days, or in term.
export function termState(expiry, t) {
  const days = daysUntil(expiry)
  if (days == null) return null
  if (days < 0) return { type: 'danger', days, text: t('village.termExpired', { n: -days }) }
  if (days <= 90) return { type: 'warning', days, text: t('village.termExpiring', { n: days }) }
  return { type: 'success', days, text: t('village.termOk') }
}

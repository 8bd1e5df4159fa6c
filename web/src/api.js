// The one way the UI talks to /api/v1 (docs/api.md): same-origin cookie session, the CSRF token
// on every write, and problem+json errors turned into ApiError with a field -> message map.
const BASE = 'api/v1'

let csrfToken = ''
let onUnauthenticated = null

export function setCsrfToken(token) {
  csrfToken = token || ''
}

// Called on a 401 from any request but login/me, so the app can send the user to the login page.
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

export class ApiError extends Error {
  constructor(status, problem = {}, headers = null) {
    super(problem.detail || problem.title || `HTTP ${status}`)
    this.status = status
    this.type = problem.type || ''
    this.title = problem.title || ''
    this.detail = problem.detail || ''
    this.errors = Array.isArray(problem.errors) ? problem.errors : []
    this.retryAfter = headers ? Number(headers.get('Retry-After')) || 0 : 0
  }

  // {field: message}; a field with several messages keeps them joined.
  fieldErrors() {
    const out = {}
    for (const e of this.errors) {
      if (!e || !e.field) continue
      out[e.field] = out[e.field] ? `${out[e.field]}；${e.message}` : e.message
    }
    return out
  }

  get isCsrf() {
    return this.status === 403 && this.type.endsWith('/csrf')
  }
}

function buildUrl(path, query) {
  // Relative to the page, so the UI also works when served under a path prefix.
  const url = new URL(`${BASE}${path}`, new URL('.', window.location.href))
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue
    url.searchParams.set(k, String(v))
  }
  return url
}

// `raw` sends a text body as it is (bulk CSV/JSON imports) with `contentType`.
export async function request(method, path, { query, body, raw, contentType, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' }
  const write = method !== 'GET' && method !== 'HEAD'
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (raw !== undefined) headers['Content-Type'] = contentType || 'text/plain; charset=utf-8'
  if (write && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    })
  } catch (e) {
    throw new ApiError(0, { title: 'network', detail: e.message })
  }
  if (res.status === 204) return null
  const type = res.headers.get('Content-Type') || ''
  const data = type.includes('json') ? await res.json().catch(() => null) : null
  if (!res.ok) {
    const err = new ApiError(res.status, data || {}, res.headers)
    if (res.status === 401 && !quiet401 && onUnauthenticated) onUnauthenticated(err)
    throw err
  }
  return data
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
  postRaw: (path, query, raw, contentType) => request('POST', path, { query, raw, contentType }),
}

// Short prefix of a 12-digit code at its level ("130624000000", county -> "130624").
const levelDigits = { province: 2, prefecture: 4, county: 6, township: 9, village: 12 }
export function prefixOf(code, level) {
  const digits = levelDigits[level]
  if (digits) return String(code).slice(0, digits)
  return String(code).replace(/0+$/, '') || String(code)
}

// The level of a 12-digit code, from its trailing zeros.
export function levelOf(code) {
  const c = String(code)
  if (c.length !== 12) return ''
  if (c.slice(9) !== '000') return 'village'
  if (c.slice(6, 9) !== '000') return 'township'
  if (c.slice(4, 6) !== '00') return 'county'
  if (c.slice(2, 4) !== '00') return 'prefecture'
  return 'province'
}

// Who is signed in, what the server is (GET /meta: the demo flag), and the scope's root
// divisions. Kept in one reactive object; the router guard fills it before any page shows.
import { reactive } from 'vue'
import { api, ApiError, setCsrfToken } from './api.js'

export const session = reactive({
  user: null,
  expiresAt: '',
  meta: null,
  checked: false, // auth/me has answered once
  roots: [], // GET /divisions with no parent: the roots of the user's scope
})

let mePromise = null

export async function loadMeta() {
  try {
    session.meta = await api.get('/meta')
  } catch {
    session.meta = null
  }
  return session.meta
}

function adopt(answer) {
  session.user = answer.user
  session.expiresAt = answer.expires_at || ''
  setCsrfToken(answer.csrf_token)
}

function clear() {
  session.user = null
  session.expiresAt = ''
  session.roots = []
  setCsrfToken('')
}

export async function ensureSession() {
  if (session.checked) return session.user
  if (!mePromise) {
    mePromise = api
      .get('/auth/me', undefined, { quiet401: true })
      .then(adopt)
      .catch((e) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.warn('auth/me failed', e)
        clear()
      })
      .finally(() => {
        session.checked = true
        mePromise = null
      })
  }
  await mePromise
  return session.user
}

export async function login(username, password) {
  const answer = await api.post('/auth/login', { username, password }, { quiet401: true })
  adopt(answer)
  session.checked = true
  return answer.user
}

export async function logout() {
  try {
    await api.post('/auth/logout', undefined, { quiet401: true })
  } finally {
    clear()
    session.checked = true
  }
}

// Called when the server says the session is gone.
export function forget() {
  clear()
  session.checked = true
}

export async function loadRoots() {
  const answer = await api.get('/divisions')
  session.roots = answer.items || []
  return session.roots
}

const writers = new Set(['admin', 'county', 'township', 'village'])
export function canWrite() {
  return !!session.user && writers.has(session.user.role)
}
export function mayReveal() {
  return !!session.user && (session.user.role === 'admin' || session.user.role === 'county')
}

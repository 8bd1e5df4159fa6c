// Shared helpers of the browser tests: Debian's chromium driven by playwright-core (from the
// repository's root node_modules), a fresh profile per run, and sign-in through the login page.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'

export const chromiumPath = process.env.QJ_CHROMIUM || '/usr/bin/chromium'

// The server and the demo users come from the harness that built the demo database.
export function env() {
  const need = ['QJ_URL', 'QJ_COUNTY_USER', 'QJ_COUNTY_PASS', 'QJ_TOWNSHIP_USER', 'QJ_TOWNSHIP_PASS']
  const missing = need.filter((k) => !process.env[k])
  if (missing.length) throw new Error(`set ${missing.join(', ')} (the browser tests need a running qiangji serve)`)
  return {
    url: process.env.QJ_URL.replace(/\/+$/, ''),
    county: { username: process.env.QJ_COUNTY_USER, password: process.env.QJ_COUNTY_PASS },
    township: { username: process.env.QJ_TOWNSHIP_USER, password: process.env.QJ_TOWNSHIP_PASS },
  }
}

// A browser context on a throw-away profile; close() removes the profile too.
export async function openBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qj-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  })
  context.setDefaultTimeout(15000)
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      fs.rmSync(profile, { recursive: true, force: true })
    },
  }
}

// A new page that records uncaught errors and Content-Security-Policy violations (the server
// sends a strict CSP: no inline scripts, no eval, nothing from other origins), so a test can
// assert that the UI ran clean.
export async function newPage(context) {
  const page = await context.newPage()
  page.pageErrors = []
  page.on('pageerror', (e) => page.pageErrors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) page.pageErrors.push(m.text())
  })
  return page
}

// The text input behind a test id: Element Plus puts the attribute on the <input> of an
// el-input, and on the wrapper of most other components.
export function inputOf(scope, testId) {
  return scope.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()
}

export async function signIn(page, baseUrl, { username, password }) {
  await page.goto(`${baseUrl}/#/login`)
  await inputOf(page, 'login-username').fill(username)
  await inputOf(page, 'login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('user-name').waitFor()
}

// Calls the API with the page's session cookie (same origin), as the UI does.
export async function apiGet(page, pathAndQuery) {
  return page.evaluate(async (p) => {
    const res = await fetch(`api/v1${p}`, { credentials: 'same-origin' })
    return { status: res.status, body: await res.json().catch(() => null) }
  }, pathAndQuery)
}

// An API session outside the browser (Node's fetch with the session cookie), for looking up
// what a test needs without clicking through the UI.
export async function apiSession(baseUrl, { username, password }) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (res.status !== 200) throw new Error(`login as ${username}: HTTP ${res.status}`)
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0]
  const { csrf_token: csrf } = await res.json()
  return {
    async get(path) {
      const r = await fetch(`${baseUrl}/api/v1${path}`, { headers: { Cookie: cookie } })
      return { status: r.status, body: await r.json().catch(() => null) }
    },
    async logout() {
      await fetch(`${baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf } })
    },
  }
}

// The tree row of a division (its node content, which is what a user clicks).
export function treeNode(page, code) {
  return page.getByTestId(`tree-node-${code}`)
}

// Tags of elements that Vue left as unknown custom elements (<el-...>): a component used in a
// template but never registered.
export async function unresolvedComponents(page) {
  return page.evaluate(() => [...new Set([...document.querySelectorAll('*')]
    .map((e) => e.tagName.toLowerCase()).filter((t) => t.startsWith('el-')))])
}

// Browser tests of the web UI against a running `qiangji serve` on a demo database:
// a county user signs in, sees the demo banner, walks the division tree down to a village and
// reads its two committees and masked ID numbers, edits the village, opens the dashboard; a
// township user sees only its township and is told "not found" for a village of another one,
// which the API answered with 404.
// Run: QJ_URL=... QJ_COUNTY_USER=... QJ_COUNTY_PASS=... QJ_TOWNSHIP_USER=... QJ_TOWNSHIP_PASS=...
//      node --test tests/browser/
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { apiGet, apiSession, env, inputOf, newPage, openBrowser, signIn, treeNode, unresolvedComponents } from './lib.mjs'

const cfg = env()
const MASKED_ID = /^\d{3}\*{11}\d{3}[\dX]$/
const PLAIN_ID = /\b\d{17}[\dX]\b/

let browser

before(async () => {
  browser = await openBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

describe('county user', { timeout: 120000 }, () => {
  let page
  let root // the county: the single root of the county user's tree
  let villageCode

  before(async () => {
    page = await newPage(browser.context)
  })

  after(async () => {
    if (page) await page.close()
  })

  it('sees the demo banner on the login page and after signing in', async () => {
    await page.goto(`${cfg.url}/#/login`)
    const banner = page.getByTestId('demo-banner')
    await banner.waitFor()
    assert.match(await banner.innerText(), /演示数据/)
    await signIn(page, cfg.url, cfg.county)
    assert.ok(await page.getByTestId('demo-banner').isVisible(), 'banner stays on the signed-in layout')
    assert.match(await page.getByTestId('user-role').innerText(), /县级/)
    const me = await apiGet(page, '/auth/me')
    assert.equal(me.status, 200)
    assert.equal(me.body.user.username, cfg.county.username)
  })

  it('walks the tree county → township → village and opens the village page', async () => {
    const roots = await apiGet(page, '/divisions')
    assert.equal(roots.status, 200)
    assert.equal(roots.body.items.length, 1, 'a county user has one root: its county')
    root = roots.body.items[0]
    assert.equal(root.level, 'county')

    const county = treeNode(page, root.code)
    await county.waitFor()
    assert.equal((await county.locator('.name').innerText()).trim(), root.name)

    // The county opens by itself (single root); its townships are the tree's second level.
    const townships = page.locator('[data-testid="division-tree"] [data-level="township"]')
    await townships.first().waitFor()
    const apiTownships = await apiGet(page, `/divisions?parent=${root.code.slice(0, 6)}`)
    assert.equal(await townships.count(), apiTownships.body.items.length)

    // Open the first township that has villagers' committees under it.
    const township = apiTownships.body.items.find((t) => t.child_count > 0)
    await treeNode(page, township.code).click()
    await page.waitForURL(new RegExp(`#/divisions/${township.code}$`))
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), township.name)

    const villages = await apiGet(page, `/divisions?parent=${township.code.slice(0, 9)}`)
    const village = villages.body.items.find((v) => Number(v.code.slice(9)) >= 200) || villages.body.items[0]
    const node = treeNode(page, village.code)
    await node.waitFor()
    await node.click()
    await page.waitForURL(new RegExp(`#/villages/${village.code}$`))
    await page.getByTestId('village-page').waitFor()
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), village.name)
    assert.equal((await page.getByTestId('village-code').innerText()).trim(), village.code)
    villageCode = village.code
  })

  it('shows the village two committees, with vacancies marked, and masked ID numbers', async () => {
    const detail = await apiGet(page, `/villages/${villageCode}`)
    assert.equal(detail.status, 200)
    const lineup = page.getByTestId('two-committees')
    await lineup.waitFor()
    const names = await lineup.getByTestId('lineup-person').allInnerTexts()
    assert.deepEqual(names.map((s) => s.trim()).sort(), detail.body.two_committees.map((p) => p.person_name).sort())
    assert.equal(await lineup.getByTestId('vacancy').count(), detail.body.vacant_posts.length)
    if (detail.body.two_committees.some((p) => p.kind === 'party_secretary')) {
      assert.match(await lineup.innerText(), /村党组织书记/)
    }
    assert.equal(await page.getByTestId('party-orgs').locator('tbody tr').count(), detail.body.party_orgs.length)

    const people = await apiGet(page, `/people?under=${villageCode}&page_size=20`)
    assert.ok(people.body.total > 0, 'the demo gives a villagers\' committee some people')
    const ids = page.getByTestId('village-people').getByTestId('id-number')
    await ids.first().waitFor()
    const shown = (await ids.allInnerTexts()).map((s) => s.trim())
    assert.equal(shown.length, Math.min(people.body.total, 20))
    for (const id of shown) assert.match(id, MASKED_ID)
    assert.doesNotMatch(await page.locator('body').innerText(), PLAIN_ID, 'no full ID number on the page')
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('opens a person with the post history', async () => {
    const detail = await apiGet(page, `/villages/${villageCode}`)
    const holder = detail.body.two_committees[0]
    if (!holder) return // a village with every post vacant has nobody to open
    await page.getByTestId('two-committees').getByTestId('lineup-person').first().click()
    const drawer = page.getByTestId('person-drawer')
    await drawer.getByTestId('post-history').locator('tbody tr').first().waitFor()
    assert.match((await drawer.getByTestId('drawer-id-number').innerText()).trim(), MASKED_ID)
    const history = await apiGet(page, `/people/${holder.person_id}/posts`)
    assert.equal(await drawer.getByTestId('post-history').locator('tbody tr').count(), history.body.items.length)
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
  })

  it('edits the village attributes and shows field errors from the API', async () => {
    const before = (await apiGet(page, `/villages/${villageCode}`)).body.village
    const saveResponse = () => page.waitForResponse((r) =>
      r.url().endsWith(`/api/v1/villages/${villageCode}`) && r.request().method() === 'PUT')

    await page.getByTestId('village-edit').click()
    const dialog = page.getByTestId('village-edit-dialog')
    await dialog.waitFor()
    assert.deepEqual(await unresolvedComponents(page), [])

    // More households than people: the server refuses, and its field errors appear under the
    // matching inputs; nothing is saved.
    await inputOf(dialog, 'field-population').fill('10')
    await inputOf(dialog, 'field-households').fill('20')
    let answer = saveResponse()
    await dialog.getByTestId('village-save').click()
    let res = await answer
    assert.equal(res.status(), 400)
    const problem = await res.json()
    assert.ok(problem.errors.length > 0, 'a 400 names the fields at fault')
    await dialog.getByTestId('form-error').waitFor()
    for (const e of problem.errors) {
      const item = dialog.getByTestId(`field-${e.field}`)
      assert.equal(await item.count(), 1, `the form has an input for ${e.field}`)
      const shown = await item.locator('.el-form-item__error').innerText()
      assert.ok(shown.includes(e.message), `${e.field}: "${shown}" shows "${e.message}"`)
    }
    assert.deepEqual((await apiGet(page, `/villages/${villageCode}`)).body.village, before)

    // A valid change goes through with the CSRF token and the page shows the new value.
    const households = (before?.households ?? 100) + 1
    const population = Math.max(before?.population ?? 0, households * 3)
    await inputOf(dialog, 'field-population').fill(String(population))
    await inputOf(dialog, 'field-households').fill(String(households))
    answer = saveResponse()
    await dialog.getByTestId('village-save').click()
    res = await answer
    assert.equal(res.status(), 200)
    assert.ok(res.request().headers()['x-csrf-token'], 'writes carry the CSRF token')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await page.getByTestId('attr-households').innerText()).trim(), String(households))
    assert.equal((await page.getByTestId('attr-population').innerText()).trim(), String(population))
    const saved = (await apiGet(page, `/villages/${villageCode}`)).body.village
    assert.equal(saved.households, households)
    assert.equal(saved.population, population)
  })

  it('renders the dashboard charts with the overview figures', async () => {
    const overview = await apiGet(page, '/overview')
    assert.equal(overview.status, 200)
    await page.getByTestId('nav-overview').click()
    await page.getByTestId('dashboard').waitFor()
    assert.equal((await page.getByTestId('stat-villages').locator('.v').innerText()).trim(), String(overview.body.villages))
    assert.equal((await page.getByTestId('stat-members').locator('.v').innerText()).trim(), String(overview.body.members))
    for (const chart of ['chart-villages-by-township', 'chart-members-by-township', 'chart-members-by-age',
      'chart-members-by-education', 'chart-vacant-posts']) {
      const box = page.getByTestId(chart)
      await page.waitForSelector(`[data-testid="${chart}"][data-rendered="true"]`)
      const size = await box.locator('canvas').first().evaluate((c) => [c.width, c.height])
      assert.ok(size[0] > 100 && size[1] > 100, `${chart} draws on a canvas (${size})`)
    }
    // The township bars carry every township of the county.
    assert.equal(overview.body.villages_by_township.length, overview.body.townships)
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })

  it('switches the language to English and back, keeping the demo banner', async () => {
    await page.getByTestId('lang-switch').getByText('EN').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-overview"]')?.textContent.trim() === 'Overview')
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
    assert.match(await page.getByTestId('demo-banner').innerText(), /演示数据/)
    assert.match(await page.getByTestId('demo-banner').innerText(), /Demo data/)
    await page.getByTestId('lang-switch').getByText('中文').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-overview"]')?.textContent.trim() === '总览')
  })

  it('searches people by name and pages through them', async () => {
    await page.getByTestId('nav-people').click()
    await page.getByTestId('people-page').waitFor()
    const all = await apiGet(page, '/people?page_size=20')
    await page.getByTestId('id-number').first().waitFor()
    assert.equal(await page.getByTestId('person-link').count(), Math.min(all.body.total, 20))
    if (all.body.total > 20) {
      const second = page.waitForResponse((r) => r.url().includes('/api/v1/people?') && r.url().includes('page=2'))
      await page.getByTestId('people-pager').locator('.btn-next').click()
      assert.equal((await second).status(), 200)
      const page2 = await apiGet(page, '/people?page=2&page_size=20')
      await page.waitForFunction((name) =>
        document.querySelector('[data-testid="person-link"]')?.textContent.trim() === name, page2.body.items[0].name)
    }
    const first = all.body.items[0]
    await inputOf(page, 'people-search').fill(first.name)
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/people?') && r.url().includes('q='))
    await page.getByTestId('people-search-submit').click()
    await answered
    await page.waitForFunction((name) => {
      const rows = [...document.querySelectorAll('[data-testid="person-link"]')]
      return rows.length > 0 && rows.every((a) => a.textContent.includes(name))
    }, first.name)
    for (const id of await page.getByTestId('id-number').allInnerTexts()) assert.match(id.trim(), MASKED_ID)
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('signs out: the session ends and pages send back to the login form', async () => {
    await page.getByTestId('logout').click()
    await page.getByTestId('login-submit').waitFor()
    assert.equal((await apiGet(page, '/auth/me')).status, 401)
    await page.goto(`${cfg.url}/#/overview`)
    await page.getByTestId('login-submit').waitFor()
    assert.match(page.url(), /#\/login\?redirect=/)
    assert.deepEqual(page.pageErrors, [])
  })
})

describe('township user', { timeout: 120000 }, () => {
  let page
  let scope
  let other // a village of another township of the same county

  before(async () => {
    page = await newPage(browser.context)
    // Sign out any earlier session: one profile, one cookie.
    await page.goto(`${cfg.url}/#/login`)
    await page.evaluate(() => fetch('api/v1/auth/me').then(async (r) => {
      if (r.ok) {
        const me = await r.json()
        await fetch('api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } })
      }
    }))
    await signIn(page, cfg.url, cfg.township)
    const me = await apiGet(page, '/auth/me')
    scope = me.body.user.scope
    assert.equal(me.body.user.role, 'township')
    assert.equal(scope.length, 9)
  })

  after(async () => {
    if (page) await page.close()
  })

  it('sees only its own township in the tree', async () => {
    const roots = await apiGet(page, '/divisions')
    assert.equal(roots.body.items.length, 1)
    const own = roots.body.items[0]
    assert.equal(own.level, 'township')
    assert.ok(own.code.startsWith(scope))
    await treeNode(page, own.code).waitFor()
    assert.equal(await page.locator('[data-testid="division-tree"] [data-level="county"]').count(), 0)
    assert.equal(await page.locator('[data-testid="division-tree"] [data-level="township"]').count(), 1)
    const villages = page.locator('[data-testid="division-tree"] [data-level="village"]')
    await villages.first().waitFor()
    for (const code of await villages.evaluateAll((els) => els.map((e) => e.dataset.code))) {
      assert.ok(code.startsWith(scope), `${code} lies in ${scope}`)
    }
  })

  it('is told "not found" for a village of another township, which the API answered 404', async () => {
    // Find another township's village as the county user, through the API.
    const county = await apiSession(cfg.url, cfg.county)
    try {
      const townships = (await county.get(`/divisions?parent=${scope.slice(0, 6)}`)).body.items
      const elsewhere = townships.find((t) => !t.code.startsWith(scope) && t.child_count > 0)
      assert.ok(elsewhere, 'the county has another township')
      other = (await county.get(`/divisions?parent=${elsewhere.code.slice(0, 9)}`)).body.items[0]
      other.township = elsewhere
    } finally {
      await county.logout()
    }

    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/villages/${other.code}`))
    await page.goto(`${cfg.url}/#/villages/${other.code}`)
    const res = await answered
    assert.equal(res.status(), 404)
    await page.getByTestId('not-found').waitFor()
    assert.match(await page.getByTestId('not-found').innerText(), /未找到或无权访问/)
    assert.equal(await page.getByTestId('village-page').count(), 0)
    assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(other.name))
    assert.equal(await treeNode(page, other.township.code).count(), 0)

    // The other township's own page is refused the same way.
    const answered2 = page.waitForResponse((r) => r.url().endsWith(`/api/v1/divisions/${other.township.code}`))
    await page.goto(`${cfg.url}/#/divisions/${other.township.code}`)
    assert.equal((await answered2).status(), 404)
    await page.getByTestId('not-found').waitFor()
    assert.deepEqual(page.pageErrors, [])
  })
})

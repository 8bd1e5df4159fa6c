// Browser tests of the assessment UI (issue 3) against a running `qiangji serve` on a demo
// database, whose demo holds three years of evidence, final runs for the two earlier years and a
// published one for the latest year with a pending appeal:
// the results page shows stars, classes, the charts and the demo banner; the explanation drawer
// shows each indicator's contribution and the smallest change that lifts a star; the filters
// narrow the table as the API does; a verify recomputes the run's hashes; the indicator-set
// editor computes a live CR, refuses to save an inconsistent AHP matrix (showing the server's
// error) and saves a consistent edit as a new version; the evidence form saves a record and
// shows the field error of a bad one; the appeals queue shows the demo's pending appeal.
// Run: node tests/harness/with_server.mjs tests/browser/assess.test.mjs
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { apiGet, env, inputOf, newPage, openBrowser, signIn, unresolvedComponents } from './lib.mjs'

const cfg = env()

let browser
let page
let run // the run the results page opens by default
let results // its first page as the API answers it

before(async () => {
  browser = await openBrowser()
  page = await newPage(browser.context)
  await signIn(page, cfg.url, cfg.county)
})

after(async () => {
  if (page) await page.close()
  if (browser) await browser.close()
})

// Picks `text` from the dropdown of the Element Plus select behind `testId`.
async function choose(testId, text) {
  await page.getByTestId(testId).click()
  const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first()
  await option.waitFor()
  await option.click()
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' }).catch(() => {})
}

// Waits until the results table shows exactly these village codes, in this order.
async function tableShows(codes) {
  await page.waitForFunction((want) => {
    const got = [...document.querySelectorAll('[data-testid="results-table"] [data-testid="result-name"]')]
      .map((a) => a.dataset.code)
    return got.length === want.length && got.every((c, i) => c === want[i])
  }, codes, { timeout: 15000 })
}

describe('assessment results', { timeout: 180000 }, () => {
  it('shows the latest run with stars, classes, charts and the demo banner', async () => {
    const runs = (await apiGet(page, '/assess/runs')).body.items
    assert.ok(runs.length >= 3, `the demo has runs for three years (${runs.length})`)
    const latestYear = Math.max(...runs.map((r) => r.year))
    const ofYear = runs.filter((r) => r.year === latestYear).sort((a, b) => b.id - a.id)
    run = ofYear.find((r) => r.status !== 'draft') || ofYear[0]
    assert.equal(run.status, 'published', 'the demo publishes its latest year')
    results = (await apiGet(page, `/assess/runs/${run.id}/results?page_size=20`)).body

    await page.getByTestId('nav-assess').click()
    await page.getByTestId('assess-page').waitFor()
    await tableShows(results.items.map((v) => v.code))
    assert.match(await page.getByTestId('demo-banner').innerText(), /演示数据/)
    assert.equal(await page.getByTestId('run-status').getAttribute('data-status'), 'published')
    assert.match(await page.getByTestId('run-notice').innerText(), new RegExp(run.notice_until))
    assert.equal((await page.getByTestId('assess-stat-villages').locator('.v').innerText()).trim(), String(run.village_count))
    assert.equal((await page.getByTestId('run-input-hash').innerText()).trim(), run.input_hash)

    // Stars and classes as the API has them, row by row.
    const table = page.getByTestId('results-table')
    const stars = await table.getByTestId('stars').evaluateAll((els) => els.map((e) => Number(e.dataset.stars)))
    assert.deepEqual(stars, results.items.map((v) => v.stars))
    const classes = await table.getByTestId('rating-class').evaluateAll((els) => els.map((e) => e.dataset.class))
    assert.deepEqual(classes, results.items.map((v) => v.rating_class))
    const filled = await table.getByTestId('stars').first().locator('.on').innerText()
    assert.equal(filled, '★'.repeat(results.items[0].stars))

    for (const chart of ['chart-stars', 'chart-trend']) {
      await page.waitForSelector(`[data-testid="${chart}"][data-rendered="true"]`)
      const size = await page.getByTestId(chart).locator('canvas').first().evaluate((c) => [c.width, c.height])
      assert.ok(size[0] > 100 && size[1] > 100, `${chart} draws on a canvas`)
    }
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('opens the explanation drawer with contributions and the smallest lift', async () => {
    // A village in the middle, nearest to its next star, is the one most likely to have a lift.
    const ends = (await apiGet(page, `/assess/runs/${run.id}/both-ends`)).body
    const candidates = ends.groups.flatMap((g) => g.middle.map((m) => String(m.code)))
    let chosen = null
    for (const code of candidates.slice(0, 40)) {
      const e = (await apiGet(page, `/assess/runs/${run.id}/villages/${code}`)).body
      if (e.village.lifts.length) {
        chosen = e
        break
      }
    }
    assert.ok(chosen, 'some village in the middle can be lifted one star by one indicator')
    const v = chosen.village

    await inputOf(page, 'filter-q').fill(v.name)
    await page.getByTestId('filter-submit').click()
    const link = page.locator(`[data-testid="result-name"][data-code="${v.code}"]`)
    await link.waitFor()
    await link.click()
    const drawer = page.getByTestId('explain-drawer')
    await drawer.getByTestId('explain-lines').first().waitFor()

    assert.equal((await drawer.getByTestId('explain-score').innerText()).trim(), v.score.toFixed(2))
    const contributions = (await drawer.getByTestId('explain-contribution').allInnerTexts()).map(Number)
    assert.equal(contributions.length, chosen.indicators.length, 'one contribution per indicator')
    const sum = contributions.reduce((s, x) => s + x, 0)
    assert.ok(Math.abs(sum - v.score) < 0.05 * chosen.indicators.length, `contributions add up to the score (${sum} vs ${v.score})`)
    assert.match(await drawer.getByTestId('explain-county-rank').innerText(), new RegExp(`第 ${v.county_rank} 名`))

    const lifts = drawer.getByTestId('explain-lift')
    assert.equal(await lifts.count(), v.lifts.length)
    const first = chosen.indicators.find((d) => d.key === v.lifts[0].indicator)
    assert.match(await lifts.first().innerText(), new RegExp(first.label_zh))
    assert.match(await lifts.first().innerText(), new RegExp(`升至 ${v.stars + 1} 星`))
    assert.deepEqual(await unresolvedComponents(page), [])
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    await page.getByTestId('filter-reset').click()
    await tableShows(results.items.map((x) => x.code))
  })

  it('filters by stars, class, warnings, township and name as the API does', async () => {
    const stars = [1, 2, 3, 4, 5].find((s) => (run.star_counts[s] || 0) > 0 && run.star_counts[s] < run.village_count)
    const byStars = (await apiGet(page, `/assess/runs/${run.id}/results?stars=${stars}&page_size=20`)).body
    await choose('filter-stars', `${stars} 星`)
    await tableShows(byStars.items.map((v) => v.code))
    assert.equal(byStars.total, run.star_counts[stars])
    assert.match(await page.getByTestId('results-pager').innerText(), new RegExp(`共 ${byStars.total} 条`))
    for (const s of await page.getByTestId('results-table').getByTestId('stars').evaluateAll((els) => els.map((e) => e.dataset.stars))) {
      assert.equal(Number(s), stars)
    }
    await choose('filter-stars', '全部星级')

    const weak = (await apiGet(page, `/assess/runs/${run.id}/results?class=weak_lax&page_size=20`)).body
    assert.ok(weak.total > 0, 'the demo has weak-and-lax organizations')
    await choose('filter-class', '软弱涣散')
    await tableShows(weak.items.map((v) => v.code))
    await choose('filter-class', '全部类别')

    const warned = (await apiGet(page, `/assess/runs/${run.id}/results?warnings=true&page_size=20`)).body
    await page.getByTestId('filter-warnings').click()
    await tableShows(warned.items.map((v) => v.code))
    assert.equal(await page.getByTestId('results-table').getByTestId('result-warning').count(), warned.items.length)
    await page.getByTestId('filter-warnings').click()

    const county = (await apiGet(page, '/divisions')).body.items[0]
    const townships = (await apiGet(page, `/divisions?parent=${county.code.slice(0, 6)}`)).body.items
    const township = townships.find((t) => t.child_count > 0)
    const inTownship = (await apiGet(page, `/assess/runs/${run.id}/results?under=${township.code.slice(0, 9)}&page_size=20`)).body
    assert.ok(inTownship.total > 0 && inTownship.total < run.village_count)
    await choose('filter-township', township.name)
    await tableShows(inTownship.items.map((v) => v.code))
    for (const name of await page.getByTestId('results-table').locator('td:nth-child(3)').allInnerTexts()) {
      assert.equal(name.trim(), township.name)
    }

    // The weak-and-lax tab lists each one's triggers with evidence.
    await page.getByTestId('filter-reset').click()
    await tableShows(results.items.map((v) => v.code))
    await page.locator('#tab-weakLax').click()
    const items = page.getByTestId('weak-lax-item')
    await items.first().waitFor()
    const all = (await apiGet(page, `/assess/runs/${run.id}/results?class=weak_lax&page_size=500`)).body
    assert.equal(await items.count(), all.total)
    const evidence = all.items.flatMap((v) => v.weak_lax.map((r) => r.evidence))
    assert.deepEqual((await page.getByTestId('weak-lax-evidence').allInnerTexts()).map((s) => s.trim()).sort(), evidence.sort())

    // Both ends: one group per township and the county, with the middle's distance to the next star.
    await page.locator('#tab-ends').click()
    await page.getByTestId('both-ends-group').first().waitFor()
    const ends = (await apiGet(page, `/assess/runs/${run.id}/both-ends`)).body
    assert.equal(await page.getByTestId('both-ends-group').count(), ends.groups.length)
    await page.locator('#tab-results').click()
  })

  it('verifies the run: the recomputed hashes match the stored ones', async () => {
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/assess/runs/${run.id}/verify`))
    await page.getByTestId('run-verify').click()
    assert.equal((await answered).status(), 200)
    const box = page.getByTestId('verify-result')
    await box.waitFor()
    assert.equal(await box.getAttribute('data-ok'), 'true')
    const text = await box.innerText()
    assert.ok(text.includes(run.input_hash) && text.includes(run.output_hash), 'both hashes are shown')
    assert.deepEqual(page.pageErrors, [])
  })
})

describe('run actions', { timeout: 120000 }, () => {
  it('starts a new run as a draft, publishes it for notice, and is refused a finalize during the notice', async () => {
    const before = (await apiGet(page, '/assess/runs')).body.items
    await page.getByTestId('assess-nav-results').click()
    await page.getByTestId('run-new').click()
    const dialog = page.getByTestId('new-run-dialog')
    await dialog.waitFor()
    await inputOf(dialog, 'field-year').fill(String(run.year))
    let answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/assess/runs') && r.request().method() === 'POST')
    await dialog.getByTestId('new-run-submit').click()
    let res = await answered
    assert.equal(res.status(), 201)
    const created = await res.json()
    assert.equal(created.status, 'draft')
    assert.equal(created.year, run.year)
    assert.equal((await apiGet(page, '/assess/runs')).body.items.length, before.length + 1)
    await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.status === 'draft')
    assert.equal((await page.getByTestId('run-output-hash').innerText()).trim(), created.output_hash)
    await page.locator(`[data-testid="result-name"]`).first().waitFor()

    // Publish: the notice period starts and the run shows when it ends.
    await page.getByTestId('run-publish').click()
    answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/assess/runs/${created.id}/publish`))
    await page.locator('.el-message-box .el-button--primary').click()
    res = await answered
    assert.equal(res.status(), 200)
    const published = await res.json()
    assert.equal(published.status, 'published')
    await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.status === 'published')
    assert.match(await page.getByTestId('run-notice').innerText(), new RegExp(published.notice_until))

    // Finalizing during the notice is refused; the server's reason is shown and nothing changes.
    await page.getByTestId('run-finalize').click()
    answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/assess/runs/${created.id}/finalize`))
    await page.locator('.el-message-box .el-button--primary').click()
    res = await answered
    assert.equal(res.status(), 409)
    const problem = await res.json()
    const message = page.locator('.el-message--error')
    await message.waitFor()
    assert.ok((await message.innerText()).includes(problem.detail), `shows "${problem.detail}"`)
    assert.equal((await apiGet(page, `/assess/runs/${created.id}`)).body.status, 'published')
    assert.deepEqual(page.pageErrors, [])
  })
})

describe('indicator-set editor', { timeout: 120000 }, () => {
  it('computes a live CR, refuses an inconsistent matrix and saves a consistent edit as a new version', async () => {
    const before = (await apiGet(page, '/assess/indicator-sets')).body.items
    const latest = before.find((s) => s.latest && s.key === 'village-default') || before.find((s) => s.latest)

    await page.getByTestId('assess-nav-sets').click()
    await page.getByTestId('set-editor').waitFor()
    assert.equal(await page.getByTestId('set-list').locator('tbody tr').count(), before.length)
    const matrix = page.locator('[data-testid="ahp-matrix"][data-name="dimensions"]')
    await matrix.waitFor()
    const cr = matrix.getByTestId('ahp-cr')
    await cr.waitFor()
    assert.equal(await cr.getAttribute('data-acceptable'), 'true', 'the shipped matrix is consistent')
    const shippedCr = Number(await cr.getAttribute('data-cr'))

    // A cycle of strong preferences (1 ≫ 2 ≫ 3 ≫ 1) is as inconsistent as a matrix gets.
    const cell = (i, j) => matrix.getByTestId(`ahp-cell-${i}-${j}`)
    const original = [await cell(0, 1).inputValue(), await cell(1, 2).inputValue(), await cell(2, 0).inputValue()]
    const checked = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/assess/ahp-check') && r.status() === 200)
    for (const [i, j] of [[0, 1], [1, 2], [2, 0]]) {
      const answered = checked()
      await cell(i, j).fill('9')
      await cell(i, j).press('Tab')
      await answered
    }
    assert.equal(await cell(1, 0).inputValue(), '1/9', 'the mirror cell takes the reciprocal')
    await page.waitForFunction(() => document.querySelector('[data-testid="ahp-matrix"][data-name="dimensions"] [data-testid="ahp-cr"]')?.dataset.acceptable === 'false')
    const badCr = Number(await cr.getAttribute('data-cr'))
    assert.ok(badCr >= 0.1 && badCr > shippedCr, `CR ${badCr} is at least 0.10`)
    assert.match(await cr.innerText(), /CR = \d+\.\d{4}/)

    // The server refuses it, naming the matrix; nothing is stored.
    let saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/assess/indicator-sets') && r.request().method() === 'POST')
    await page.getByTestId('set-save').click()
    let res = await saved
    assert.ok(res.status() >= 400 && res.status() < 500, `refused with ${res.status()}`)
    const shown = page.getByTestId('set-errors')
    await shown.waitFor()
    assert.match(await shown.innerText(), /dimensions/)
    assert.match(await shown.innerText(), /CR/)
    assert.match(await matrix.getByTestId('ahp-server-error').innerText(), /CR/, 'the matrix itself shows why')
    assert.equal((await apiGet(page, '/assess/indicator-sets')).body.items.length, before.length)

    // Back to a consistent matrix, with a note: saved as the next version of the key.
    for (const [k, [i, j]] of [[0, 1], [1, 2], [2, 0]].entries()) {
      const answered = checked()
      await cell(i, j).fill(original[k] || '1')
      await cell(i, j).press('Tab')
      await answered
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="ahp-matrix"][data-name="dimensions"] [data-testid="ahp-cr"]')?.dataset.acceptable === 'true')
    await inputOf(page, 'set-note').fill('浏览器测试：恢复一致的判断矩阵')

    // Fixed bounds the wrong way round: the server's field error shows in that indicator's row.
    const row = page.getByTestId('indicator-row').filter({ has: page.locator('[data-testid="indicator-upper-1"]') })
    const upper = inputOf(page, 'indicator-upper-1')
    const lowerValue = Number(await inputOf(page, 'indicator-lower-1').inputValue())
    const upperValue = await upper.inputValue()
    await upper.fill(String(lowerValue - 1))
    await upper.press('Tab')
    saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/assess/indicator-sets') && r.request().method() === 'POST')
    await page.getByTestId('set-save').click()
    res = await saved
    assert.equal(res.status(), 400)
    const fieldError = (await res.json()).errors.find((e) => e.field.startsWith('indicators[1].'))
    assert.ok(fieldError, 'the error names that indicator')
    await row.locator('.cell-err').first().waitFor()
    assert.ok((await row.innerText()).includes(fieldError.message))
    assert.equal((await apiGet(page, '/assess/indicator-sets')).body.items.length, before.length)
    await upper.fill(upperValue)
    await upper.press('Tab')

    saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/assess/indicator-sets') && r.request().method() === 'POST')
    await page.getByTestId('set-save').click()
    res = await saved
    assert.equal(res.status(), 201)
    const created = await res.json()
    assert.equal(created.key, latest.key)
    assert.equal(created.version, latest.version + 1)
    const afterList = (await apiGet(page, '/assess/indicator-sets')).body.items
    assert.equal(afterList.length, before.length + 1)
    assert.ok(afterList.find((s) => s.id === created.id).latest)
    await page.locator(`[data-testid="set-version"][data-id="${created.id}"]`).waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="set-errors"]'))
    assert.deepEqual(page.pageErrors, [])
  })
})

describe('evidence entry', { timeout: 120000 }, () => {
  it('saves a satisfaction survey and shows the field error of a bad one', async () => {
    const village = (await apiGet(page, '/villages?page_size=1')).body.items[0]
    const year = 2021 // before the demo's three years: nothing there yet
    const existing = (await apiGet(page, `/assess/satisfaction-surveys?year=${year}&under=${village.code}`)).body
    assert.equal(existing.total, 0)

    await page.getByTestId('assess-nav-evidence').click()
    await page.getByTestId('evidence-tab-satisfaction-surveys').click()
    const panel = page.getByTestId('evidence-satisfaction-surveys')
    await panel.waitFor()
    await panel.getByTestId('field-division_code').locator('.el-select').click()
    await panel.getByTestId('field-division_code').locator('input').fill(village.name)
    const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: village.name }).first()
    await option.waitFor()
    await option.click()
    await inputOf(panel, 'field-year').fill(String(year))
    await inputOf(panel, 'field-responses').fill('100')
    await inputOf(panel, 'field-satisfied').fill('120')
    const put = () => page.waitForResponse((r) => r.url().includes(`/api/v1/villages/${village.code}/satisfaction-surveys/${year}`) && r.request().method() === 'PUT')

    // More satisfied than responses: a 400 naming "satisfied", shown under that input.
    let answered = put()
    await panel.getByTestId('evidence-save').click()
    let res = await answered
    assert.equal(res.status(), 400)
    const problem = await res.json()
    const err = problem.errors.find((e) => e.field === 'satisfied')
    assert.ok(err, `the error names "satisfied": ${JSON.stringify(problem.errors)}`)
    await panel.getByTestId('form-error').waitFor()
    assert.ok((await panel.getByTestId('field-satisfied').locator('.el-form-item__error').innerText()).includes(err.message))
    assert.equal((await apiGet(page, `/assess/satisfaction-surveys?year=${year}&under=${village.code}`)).body.total, 0)

    // A valid survey goes through and shows in the list for its year.
    await inputOf(panel, 'field-satisfied').fill('85')
    answered = put()
    await panel.getByTestId('evidence-save').click()
    res = await answered
    assert.equal(res.status(), 200)
    assert.ok(res.request().headers()['x-csrf-token'], 'writes carry the CSRF token')
    const stored = (await apiGet(page, `/assess/satisfaction-surveys?year=${year}&under=${village.code}`)).body
    assert.equal(stored.total, 1)
    assert.equal(stored.items[0].satisfied, 85)
    await inputOf(panel, 'evidence-year').fill(String(year))
    await inputOf(panel, 'evidence-year').press('Enter')
    await panel.locator('[data-testid="evidence-cell-rate"]', { hasText: '85.0%' }).first().waitFor()
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('imports CSV all or nothing: row errors, then a report', async () => {
    const village = (await apiGet(page, '/villages?page_size=2')).body.items[1]
    const panel = page.getByTestId('evidence-satisfaction-surveys')
    const importer = panel.getByTestId('import-panel')
    const bad = `division_code,year,responses,satisfied\n${village.code},2021,50,40\n${village.code},2020,0,0\n`
    await importer.locator('textarea[data-testid="import-text"]').fill(bad)
    let answered = page.waitForResponse((r) => r.url().includes('/api/v1/assess/evidence/satisfaction-surveys/import'))
    await importer.getByTestId('import-submit').click()
    assert.equal((await answered).status(), 400)
    const errors = importer.getByTestId('import-errors')
    await errors.waitFor()
    assert.match(await errors.innerText(), /responses/)
    assert.equal((await apiGet(page, `/assess/satisfaction-surveys?year=2021&under=${village.code}`)).body.total, 0)

    await importer.locator('textarea[data-testid="import-text"]').fill(`division_code,year,responses,satisfied\n${village.code},2021,50,40\n`)
    answered = page.waitForResponse((r) => r.url().includes('/api/v1/assess/evidence/satisfaction-surveys/import'))
    await importer.getByTestId('import-submit').click()
    assert.equal((await answered).status(), 200)
    const report = importer.getByTestId('import-report')
    await report.waitFor()
    assert.match(await report.innerText(), /共 1 行/)
    assert.equal((await apiGet(page, `/assess/satisfaction-surveys?year=2021&under=${village.code}`)).body.total, 1)
  })
})

describe('appeals', { timeout: 60000 }, () => {
  it('shows the demo pending appeal to the county, who may decide it', async () => {
    const pending = (await apiGet(page, '/assess/appeals?status=pending')).body.items
    assert.ok(pending.length >= 1, 'the demo has a pending appeal')
    await page.getByTestId('assess-nav-appeals').click()
    await page.getByTestId('assess-appeals-page').waitFor()
    const list = page.getByTestId('appeal-list')
    await list.getByTestId('appeal-village').first().waitFor()
    const names = (await list.getByTestId('appeal-village').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(names.sort(), pending.map((a) => a.village_name).sort())
    for (const s of await list.getByTestId('appeal-status').evaluateAll((els) => els.map((e) => e.dataset.status))) {
      assert.equal(s, 'pending')
    }
    assert.equal(await list.getByTestId('appeal-decide').count(), pending.length)
    // The run is under notice, so the form to lodge one is open.
    await page.getByTestId('appeal-lodge').getByTestId('appeal-submit').waitFor()
    assert.deepEqual(await unresolvedComponents(page), [])

    // The county rejects it with its reasons; the decision is recorded with who made it.
    await list.getByTestId('appeal-decide').first().click()
    const dialog = page.getByTestId('decide-dialog')
    await dialog.waitFor()
    await dialog.getByTestId('field-decision').locator('textarea').fill('经复核，评定依据充分，维持原评定。')
    const answered = page.waitForResponse((r) => /\/api\/v1\/assess\/appeals\/\d+\/decision$/.test(r.url()))
    await dialog.getByTestId('decide-submit').click()
    const res = await answered
    assert.equal(res.status(), 200)
    const decided = await res.json()
    assert.equal(decided.status, 'rejected')
    assert.equal(decided.decided_by, cfg.county.username)
    assert.ok(pending.some((a) => a.id === decided.id), 'one of the pending appeals was decided')
    const still = (await apiGet(page, '/assess/appeals?status=pending')).body.items
    assert.equal(still.length, pending.length - 1)
    assert.deepEqual(page.pageErrors, [])
  })
})

describe('township user', { timeout: 60000 }, () => {
  it('sees the results of its own township only, without the county\'s run actions', async () => {
    await page.getByTestId('logout').click()
    await page.getByTestId('login-submit').waitFor()
    await signIn(page, cfg.url, cfg.township)
    const scope = (await apiGet(page, '/auth/me')).body.user.scope
    await page.getByTestId('nav-assess').click()
    await page.getByTestId('assess-page').waitFor()
    await page.waitForURL(/[?&]run=\d+/)
    const runId = Number(/[?&]run=(\d+)/.exec(page.url())[1])
    const mine = (await apiGet(page, `/assess/runs/${runId}/results?page_size=20`)).body
    assert.ok(mine.total > 0)
    for (const v of mine.items) assert.ok(v.code.startsWith(scope), `${v.code} lies in ${scope}`)
    await tableShows(mine.items.map((v) => v.code))
    assert.equal(await page.getByTestId('run-new').count(), 0)
    assert.equal(await page.getByTestId('run-verify').count(), 0)
    assert.equal(await page.getByTestId('run-finalize').count(), 0)
    assert.deepEqual(page.pageErrors, [])
  })
})

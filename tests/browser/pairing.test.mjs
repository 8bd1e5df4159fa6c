// Browser tests of enterprise pairing (企到村 / 企到企, issue 4 point 6) against a running
// `qiangji serve` on a demo database, whose demo holds a register of sixteen enterprises, last
// year's confirmed pairing run and this year's draft: the register shows masked phones and a bad
// phone is refused with the server's field error beside its input; a county user creates a run,
// sees its targets with industries derived from the villages' words (labelled 推导), runs it, sees
// the pairs with their score breakdown and reasons and the unpaired with theirs, and confirms; a
// village's page lists the enterprises paired with it.
// Run: node tests/harness/with_server.mjs tests/browser/pairing.test.mjs
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { apiGet, env, inputOf, newPage, openBrowser, signIn, unresolvedComponents } from './lib.mjs'

const cfg = env()

let browser
let page
let created // the run made through the UI
let result // its result

before(async () => {
  browser = await openBrowser()
  page = await newPage(browser.context)
  await signIn(page, cfg.url, cfg.county)
})

after(async () => {
  if (page) await page.close()
  if (browser) await browser.close()
})

// Clicks the primary button of the confirmation box and waits for the API's answer.
async function confirmBox(urlEnd) {
  const answered = page.waitForResponse((r) => r.url().endsWith(urlEnd) && r.request().method() === 'POST')
  await page.locator('.el-message-box .el-button--primary').click()
  return answered
}

describe('the enterprise register', { timeout: 120000 }, () => {
  it('lists the demo\'s enterprises with masked phones', async () => {
    const list = (await apiGet(page, '/enterprises?page_size=20')).body
    assert.equal(list.total, 16)
    await page.getByTestId('nav-dispatch').click()
    await page.getByTestId('dispatch-needs-page').waitFor()
    await page.getByTestId('dispatch-nav-enterprises').click()
    await page.getByTestId('dispatch-enterprises-page').waitFor()
    await page.getByTestId('enterprise-name').first().waitFor()
    const names = (await page.getByTestId('enterprise-name').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(names, list.items.map((e) => e.name))
    const phones = (await page.getByTestId('enterprise-phone').allInnerTexts()).map((s) => s.trim())
    for (const p of phones) assert.match(p, /^\d{3}\*{4}\d{4}$/)
    assert.match(await page.getByTestId('enterprise-pager').innerText(), /共 16 条/)
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('adds an enterprise: a bad phone shows the server\'s error and stores nothing', async () => {
    await page.getByTestId('enterprise-add').click()
    const dialog = page.getByTestId('enterprise-dialog')
    await dialog.waitFor()
    await inputOf(page, 'enterprise-name-input').fill('阜平县浏览器测试食品有限公司')
    await page.getByTestId('industry-food_processing').click()
    await inputOf(page, 'enterprise-location-input').fill('130624')
    await inputOf(page, 'enterprise-phone-input').fill('1234')
    const post = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/enterprises') && r.request().method() === 'POST')
    let answered = post()
    await page.getByTestId('enterprise-submit').click()
    let res = await answered
    assert.equal(res.status(), 400)
    const problem = await res.json()
    assert.deepEqual(problem.errors.map((e) => e.field), ['contact_phone'])
    const field = dialog.getByTestId('field-contact_phone')
    await field.locator('.el-form-item__error').waitFor()
    assert.ok((await field.locator('.el-form-item__error').innerText()).includes(problem.errors[0].message))
    assert.equal((await apiGet(page, '/enterprises?page_size=1')).body.total, 16, 'nothing stored')

    await inputOf(page, 'enterprise-phone-input').fill('13900003333')
    answered = post()
    await page.getByTestId('enterprise-submit').click()
    res = await answered
    assert.equal(res.status(), 201)
    const saved = await res.json()
    assert.equal(saved.contact_phone, '139****3333')
    await dialog.waitFor({ state: 'hidden' })
    await page.locator(`[data-testid="enterprise-name"][data-id="${saved.id}"]`).waitFor()
    assert.deepEqual(page.pageErrors, [])
  })
})

describe('a pairing run end to end', { timeout: 240000 }, () => {
  it('creates a run and shows its targets with derived industries', async () => {
    await page.locator('#tab-runs').click()
    await page.getByTestId('pairing-run-list').waitFor()
    const rows = (await apiGet(page, '/pairing/runs')).body.items
    assert.ok(rows.some((r) => r.status === 'confirmed'), 'the demo confirmed last year\'s run')
    await page.getByTestId('pairing-run-link').first().waitFor()
    assert.equal(await page.getByTestId('pairing-run-link').count(), rows.length)

    await page.getByTestId('pairing-run-new').click()
    await page.getByTestId('new-pairing-run-dialog').waitFor()
    await inputOf(page, 'pairing-run-name').fill('浏览器测试结对方案')
    await inputOf(page, 'pairing-min-priority').fill('0')
    await inputOf(page, 'pairing-min-priority').press('Tab')
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/pairing/runs') && r.request().method() === 'POST')
    await page.getByTestId('new-pairing-run-submit').click()
    const res = await answered
    assert.equal(res.status(), 201)
    created = await res.json()
    assert.equal(created.params.min_priority, 0)
    const panel = page.locator(`[data-testid="pairing-run-panel"][data-run="${created.id}"]`)
    await panel.waitFor()
    await page.waitForFunction((id) => document.querySelector(`[data-testid="pairing-run-panel"][data-run="${id}"]`)?.dataset.status, created.id)
    assert.equal(await panel.getAttribute('data-status'), 'draft')
    await page.getByTestId('target-name').first().waitFor()
    const targets = (await apiGet(page, `/pairing/runs/${created.id}/targets`)).body.items
    assert.match(await page.getByTestId('target-count').innerText(), new RegExp(`${targets.length}`))
    const firstPage = targets.slice(0, 20)
    const shown = await page.getByTestId('target-name').evaluateAll((els) => els.map((e) => `${e.dataset.code}/${e.dataset.kind}`))
    assert.deepEqual(shown, firstPage.map((x) => `${x.division_code}/${x.kind}`))
    assert.equal(await page.getByTestId('target-derived').count(), firstPage.filter((x) => x.derived).length)
    assert.ok(await page.getByTestId('target-derived').count() > 0, 'derived industries are labelled 推导')
    assert.equal((await page.getByTestId('target-derived').first().innerText()).trim(), '推导')
    assert.equal(await page.getByTestId('pairing-run-confirm').count(), 0, 'nothing to confirm before a run')
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('sets a target\'s industries: the tag changes to the county\'s', async () => {
    const first = page.getByTestId('target-edit').first()
    const code = await first.getAttribute('data-code')
    const kind = await first.getAttribute('data-kind')
    await first.click()
    await page.getByTestId('target-dialog').waitFor()
    await page.getByTestId('target-industry-trade_services').click()
    const answered = page.waitForResponse((r) => r.url().includes(`/targets/${code}/${kind}`) && r.request().method() === 'PUT')
    await page.getByTestId('target-save').click()
    const res = await answered
    assert.equal(res.status(), 200)
    const saved = await res.json()
    assert.equal(saved.derived, false)
    assert.ok(saved.industries.includes('trade_services'))
    await page.getByTestId('target-set').first().waitFor()
    assert.deepEqual(page.pageErrors, [])
  })

  it('runs the pairing: pairs with score breakdown and reasons, the unpaired with theirs', async () => {
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/pairing/runs/${created.id}/run`) && r.request().method() === 'POST')
    await page.getByTestId('pairing-run-run').click()
    const res = await answered
    assert.equal(res.status(), 200)
    result = await res.json()
    assert.equal(result.run.status, 'matched')
    assert.ok(result.pairs.length > 0)
    await page.waitForFunction((id) => document.querySelector(`[data-testid="pairing-run-panel"][data-run="${id}"]`)?.dataset.status === 'matched', created.id)
    await page.getByTestId('pair-table').getByTestId('pair-village').first().waitFor()
    const firstPage = result.pairs.slice(0, 20)
    const villages = await page.getByTestId('pair-village').evaluateAll((els) => els.map((e) => `${e.dataset.code}/${e.dataset.kind}`))
    assert.deepEqual(villages, firstPage.map((p) => `${p.division_code}/${p.kind}`))
    const scores = await page.getByTestId('pair-score').evaluateAll((els) => els.map((e) => Number(e.dataset.score)))
    assert.deepEqual(scores, firstPage.map((p) => p.score))
    const reasons = (await page.getByTestId('pair-reason').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(reasons, firstPage.flatMap((p) => p.reasons))
    assert.ok(reasons.some((r) => r.startsWith('产业相符：')))
    assert.equal((await page.getByTestId('pairing-stat-covered').locator('.v').innerText()).trim(), String(result.totals.covered))
    assert.equal((await page.getByTestId('pairing-output-hash').innerText()).trim(), result.output_hash)

    // The score's breakdown on hover: three weighted terms.
    await page.getByTestId('pair-score').first().locator('.score').hover()
    const breakdown = page.locator('[data-testid="pair-breakdown"]:visible')
    await breakdown.waitFor()
    const p = firstPage[0]
    assert.match(await breakdown.innerText(), new RegExp(p.breakdown.industry_term.toFixed(3)))
    if (result.unpaired.length) {
      const texts = (await page.getByTestId('unpaired-reason').allInnerTexts()).map((s) => s.trim())
      assert.deepEqual(texts, result.unpaired.slice(0, 20).map((u) => u.text))
    }
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })

  it('confirms the run: periods of two years, and the list shows it confirmed', async () => {
    await page.getByTestId('pairing-run-confirm').click()
    const res = await confirmBox(`/api/v1/pairing/runs/${created.id}/confirm`)
    assert.equal(res.status(), 200)
    const confirmed = await res.json()
    assert.equal(confirmed.run.status, 'confirmed')
    await page.waitForFunction((id) => document.querySelector(`[data-testid="pairing-run-panel"][data-run="${id}"]`)?.dataset.status === 'confirmed', created.id)
    assert.equal(await page.getByTestId('pairing-run-run').count(), 0)
    assert.equal(await page.getByTestId('pairing-run-confirm').count(), 0)
    await page.getByTestId('pair-period').first().waitFor()
    const period = (await page.getByTestId('pair-period').first().innerText()).trim()
    const first = confirmed.pairs[0]
    assert.equal(period, `${first.start_date} ～ ${first.end_date}`)
    assert.equal(Number(first.end_date.slice(0, 4)), Number(first.start_date.slice(0, 4)) + 2)

    await page.getByTestId('pairing-run-back').click()
    await page.getByTestId('pairing-run-list').waitFor()
    await page.locator(`[data-testid="pairing-run-row-status"][data-status="confirmed"]`).first().waitFor()
    const statuses = await page.getByTestId('pairing-run-row-status').evaluateAll((els) => els.map((e) => e.dataset.status))
    assert.ok(statuses.filter((s) => s === 'confirmed').length >= 2)
    assert.deepEqual(page.pageErrors, [])
  })

  it('shows a village\'s enterprise pairings on its page', async () => {
    const current = (await apiGet(page, '/pairing/pairings')).body.items
    assert.ok(current.length > 0, 'pairings in force today')
    const one = current[0]
    await page.goto(`${cfg.url}/#/villages/${one.division_code}`)
    await page.getByTestId('village-page').waitFor()
    const section = page.getByTestId('village-pairings')
    await section.getByTestId('village-pairing-enterprise').first().waitFor()
    const mine = current.filter((x) => x.division_code === one.division_code)
    const names = (await section.getByTestId('village-pairing-enterprise').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(names, mine.map((x) => x.enterprise_name))
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })
})

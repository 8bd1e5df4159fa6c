// Browser tests of the collective economy and 双挂钩 linkage (issue 5) against a running
// `qiangji serve` on a demo database, whose demo holds five years of collective ledgers, the
// default policy as version 1 and last year's decisions, some approved: the dashboard draws the
// income bands and lists the weak villages of the chosen year against the threshold (another
// year, another list); the linkage page lists decisions with their reasons and moves them as the
// role allows (a township user cannot take the county's step); the calculator previews a tier
// change beside the current policy, stores nothing until "save", and then saves version 2; the
// village ledger shows the registration and the reports, and a report whose totals do not add up
// is refused with the server's field error beside the field and nothing stored; a shareholding
// co-op's equity incentive granted through the API is listed on its card and revoked there.
// Run: node tests/harness/with_server.mjs tests/browser/economy.test.mjs
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { apiGet, env, inputOf, newPage, openBrowser, signIn, unresolvedComponents } from './lib.mjs'

const cfg = env()

let browser
let page

before(async () => {
  browser = await openBrowser()
  page = await newPage(browser.context)
  await signIn(page, cfg.url, cfg.county)
})

after(async () => {
  if (page) await page.close()
  if (browser) await browser.close()
})

// "12,345.67" as the UI prints fen.
function yuan(fen) {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`
}

// The weak villages of year index i as the dashboard lists them.
function weakOf(report, i) {
  return report.villages
    .filter((v) => v.income_fen[i] != null && v.income_fen[i] < report.weak_threshold_fen)
    .sort((a, b) => a.income_fen[i] - b.income_fen[i] || Number(a.division_code) - Number(b.division_code))
}

async function weakCodes() {
  return page.getByTestId('weak-village').evaluateAll((els) => els.map((e) => e.dataset.code))
}

describe('the economy dashboard', { timeout: 120000 }, () => {
  let report

  it('draws the bands over five years and lists the weak villages against the threshold', async () => {
    report = (await apiGet(page, '/economy/report')).body
    assert.equal(report.years.length, 5, 'five years of demo reports')
    const last = report.years.length - 1
    assert.ok(report.total[last].weak > 0, 'the demo county has weak villages')

    await page.getByTestId('nav-economy').click()
    await page.getByTestId('economy-page').waitFor()
    await page.waitForSelector('[data-testid="chart-economy-bands"][data-rendered="true"]')
    const size = await page.getByTestId('chart-economy-bands').locator('canvas').first().evaluate((c) => [c.width, c.height])
    assert.ok(size[0] > 100 && size[1] > 100, 'the bands chart draws on a canvas')
    await page.waitForSelector('[data-testid="chart-economy-exits"][data-rendered="true"]')

    // The definitions and the threshold are stated.
    const definition = await page.getByTestId('economy-definition').innerText()
    assert.match(definition, /不含补助收入/)
    assert.equal(Number(await page.getByTestId('economy-threshold').getAttribute('data-fen')), report.weak_threshold_fen)
    assert.match(definition, /100,000/)

    // The last year's weak villages, lowest income first, with their income in yuan.
    await page.getByTestId('weak-village').first().waitFor()
    const want = weakOf(report, last)
    assert.equal(want.length, report.total[last].weak)
    assert.deepEqual(await weakCodes(), want.map((v) => String(v.division_code)))
    const incomes = (await page.getByTestId('weak-income').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(incomes, want.map((v) => yuan(v.income_fen[last])))
    assert.equal((await page.getByTestId('economy-stat-weak').locator('.v').innerText()).trim(), String(report.total[last].weak))
    // Townships ranked by growth.
    assert.ok(await page.getByTestId('township-rank').count() >= 2)
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('lists another year\'s weak villages when the year changes', async () => {
    const first = report.years[0]
    const lastList = await weakCodes()
    await page.getByTestId(`economy-year-${first}`).click()
    await page.waitForFunction((y) => document.querySelector('[data-testid="economy-weak-title"]')?.innerText.includes(String(y)), first)
    const want = weakOf(report, 0)
    assert.equal(want.length, report.total[0].weak)
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="weak-village"]').length === n, want.length)
    const got = await weakCodes()
    assert.deepEqual(got, want.map((v) => String(v.division_code)))
    assert.notDeepEqual(got, lastList, 'the first year has more weak villages than the last')
    assert.equal((await page.getByTestId('economy-stat-weak').locator('.v').innerText()).trim(), String(report.total[0].weak))
  })
})

describe('linkage decisions and the incentive calculator', { timeout: 180000 }, () => {
  it('lists the decisions by kind with their reasons, and moves one to county approval', async () => {
    const all = (await apiGet(page, '/linkage/decisions')).body.items
    const year = Math.max(...all.map((d) => d.year))
    const incentives = all.filter((d) => d.year === year && d.kind === 'incentive')
    assert.ok(incentives.length > 0)

    await page.getByTestId('nav-linkage').click()
    await page.getByTestId('linkage-page').waitFor()
    await page.getByTestId('decision-village').first().waitFor()
    const ids = await page.getByTestId('decision-village').evaluateAll((els) => els.map((e) => Number(e.dataset.id)))
    assert.deepEqual(ids, incentives.map((d) => d.id))
    const reasons = (await page.getByTestId('decision-reason').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(reasons, incentives.flatMap((d) => d.reasons))
    assert.ok(reasons.some((r) => r.includes('奖励合计')), 'incentive reasons give the amount')
    assert.match(await page.getByTestId('policy-version').innerText(), /第 1 版/)

    // A township-approved incentive: the county approves it.
    const pending = incentives.find((d) => d.status === 'township_approved')
    assert.ok(pending, 'the demo has township-approved incentives')
    const row = page.locator('.el-table__row').filter({ has: page.locator(`[data-testid="decision-village"][data-id="${pending.id}"]`) })
    const answered = page.waitForResponse((r) => r.url().endsWith(`/linkage/decisions/${pending.id}/decide`))
    await row.getByTestId('decision-county').click()
    assert.equal((await answered).status(), 200)
    await row.locator('[data-testid="decision-status"][data-status="county_approved"]').waitFor()
    const after = (await apiGet(page, `/linkage/decisions?year=${year}&kind=incentive`)).body.items.find((d) => d.id === pending.id)
    assert.equal(after.status, 'county_approved')
    assert.equal(after.steps.length, 3)

    // The other kinds are a tab away, with their reasons.
    await page.getByTestId('linkage-kind-promotion').click()
    const promotions = all.filter((d) => d.year === year && d.kind === 'promotion')
    if (promotions.length) {
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="decision-village"]').length === n, promotions.length)
      assert.ok((await page.getByTestId('decision-reason').count()) >= promotions.length)
    }
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('previews a tier change beside the current policy, stores nothing, then saves version 2', async () => {
    await page.getByTestId('linkage-nav-calculator').click()
    await page.getByTestId('linkage-calculator-page').waitFor()
    await page.waitForFunction(() => document.querySelector('[data-testid="calc-base-version"]')?.innerText.includes('1'))
    const rate = inputOf(page, 'calc-tier-rate-0')
    assert.equal(await rate.inputValue(), '8')
    assert.equal(await page.getByTestId('calc-save').isDisabled(), true, 'nothing to save before a preview')

    // The first tier from 8% to 10%: every manager with a bonus below the cap gets more.
    await rate.fill('10')
    const previewed = page.waitForResponse((r) => r.url().endsWith('/linkage/preview'))
    await page.getByTestId('calc-preview').click()
    const answer = await (await previewed).json()
    assert.ok(answer.total_proposed_fen > answer.total_current_fen)
    await page.getByTestId('calc-diff').first().waitFor()
    const diffs = await page.getByTestId('calc-diff').evaluateAll((els) => els.map((e) => Number(e.dataset.diff)))
    assert.ok(diffs.some((d) => d > 0), 'some amount changed')
    const changed = answer.rows.find((r) => r.bonus_proposed_fen !== r.bonus_current_fen)
    const cells = page.locator('.el-table__row').filter({ has: page.locator(`[data-testid="calc-village"][data-code="${changed.division_code}"]`) })
    assert.equal((await cells.getByTestId('calc-current').innerText()).trim(), yuan(changed.bonus_current_fen))
    assert.equal((await cells.getByTestId('calc-proposed').innerText()).trim(), yuan(changed.bonus_proposed_fen))

    // Nothing saved by the preview.
    let policies = (await apiGet(page, '/linkage/policies')).body.items
    assert.equal(policies.length, 1)
    assert.equal((await apiGet(page, '/linkage/policy')).body.incentive.tiers[0].rate_bp, 800)

    // Save: version 2 with the new rate becomes the current policy.
    await inputOf(page, 'calc-note').fill('首档比例调整为10%（测试）')
    // The note changed the policy: preview again before saving.
    assert.equal(await page.getByTestId('calc-save').isDisabled(), true)
    await page.getByTestId('calc-preview').click()
    await page.waitForFunction(() => !document.querySelector('[data-testid="calc-save"]')?.disabled)
    await page.getByTestId('calc-save').click()
    const saved = page.waitForResponse((r) => r.url().endsWith('/linkage/policies') && r.request().method() === 'POST')
    await page.locator('.el-message-box .el-button--primary').click()
    assert.equal((await saved).status(), 201)
    await page.locator('[data-testid="calc-saved"][data-version="2"]').waitFor()
    policies = (await apiGet(page, '/linkage/policies')).body.items
    assert.deepEqual(policies.map((p) => p.version), [2, 1])
    assert.equal(policies[0].incentive.tiers[0].rate_bp, 1000)
    assert.equal(policies[0].note, '首档比例调整为10%（测试）')

    // Re-propose: the pending decisions now name version 2; approved ones keep version 1.
    const reproposed = page.waitForResponse((r) => r.url().endsWith('/linkage/decisions/propose'))
    await page.getByTestId('calc-repropose').click()
    assert.equal((await reproposed).status(), 200)
    const decisions = (await apiGet(page, '/linkage/decisions')).body.items
    const year = Math.max(...decisions.map((d) => d.year))
    const ofYear = decisions.filter((d) => d.year === year)
    assert.ok(ofYear.filter((d) => d.status === 'proposed').every((d) => d.policy_version === 2))
    assert.ok(ofYear.filter((d) => d.status === 'county_approved').every((d) => d.policy_version === 1))
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })

  it('gives a township user the township step only', async () => {
    const other = await newPage(browser.context)
    try {
      // Same browser profile: sign out the county user in this page first.
      await other.goto(`${cfg.url}/#/overview`)
      await other.getByTestId('logout').click()
      await signIn(other, cfg.url, cfg.township)
      await other.goto(`${cfg.url}/#/linkage`)
      await other.getByTestId('linkage-page').waitFor()
      const mine = (await apiGet(other, '/linkage/decisions')).body.items
      assert.ok(mine.every((d) => String(d.division_code).startsWith(cfg.township.username.replace('town_', ''))))
      await other.waitForFunction(() => document.querySelector('[data-testid="linkage-table"]') != null)
      assert.equal(await other.getByTestId('decision-county').count(), 0, 'no county step for a township')
      assert.equal(await other.getByTestId('linkage-propose').count(), 0)
    } finally {
      await other.getByTestId('logout').click().catch(() => {})
      await other.close()
      // The first page still believes the county user is signed in: reload it before signing in.
      await page.reload()
      await page.getByTestId('login-username').first().waitFor()
      await signIn(page, cfg.url, cfg.county)
    }
  })
})

describe('the village ledger', { timeout: 120000 }, () => {
  it('shows the registration and the reports, reached from the village page', async () => {
    const report = (await apiGet(page, '/economy/report')).body
    const village = report.villages.find((v) => v.weak) || report.villages[0]
    await page.goto(`${cfg.url}/#/villages/${village.division_code}`)
    await page.getByTestId('village-ledger-link').click()
    await page.getByTestId('economy-village-page').waitFor()
    const collective = (await apiGet(page, `/villages/${village.division_code}/collective`)).body
    await page.getByTestId('collective-credit-code').waitFor()
    assert.equal((await page.getByTestId('collective-credit-code').innerText()).trim(), collective.credit_code)
    assert.equal((await page.getByTestId('collective-name').innerText()).trim(), collective.name)
    const reports = (await apiGet(page, `/collectives/${collective.id}/reports`)).body.items
    assert.ok(reports.length >= 4)
    await page.getByTestId('ledger-table').waitFor()
    for (const r of reports) {
      assert.equal((await page.getByTestId(`ledger-operating_income_fen-${r.year}`).innerText()).trim(), yuan(r.operating_income_fen))
      assert.equal((await page.getByTestId(`ledger-subsidy_income_fen-${r.year}`).innerText()).trim(), yuan(r.subsidy_income_fen))
    }
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('refuses a report whose totals do not add up, with the field error, and stores nothing', async () => {
    const code = page.url().match(/villages\/(\d{12})/)[1]
    const collective = (await apiGet(page, `/villages/${code}/collective`)).body
    const before = (await apiGet(page, `/collectives/${collective.id}/reports`)).body.items
    const last = before[before.length - 1]

    await page.getByTestId(`report-edit-${last.year}`).click()
    await page.getByTestId('report-dialog').locator('.el-dialog').waitFor().catch(() => {})
    const surplus = inputOf(page, 'report-surplus_fen')
    assert.equal(await surplus.inputValue(), yuan(last.surplus_fen).replace(/,/g, ''))
    await surplus.fill(yuan(last.surplus_fen + 100).replace(/,/g, ''))
    const answered = page.waitForResponse((r) => r.url().endsWith(`/collectives/${collective.id}/reports/${last.year}`))
    await page.getByTestId('report-save').click()
    assert.equal((await answered).status(), 400)
    await page.getByTestId('report-failed').waitFor()
    const error = page.getByTestId('report-item-surplus_fen').locator('.el-form-item__error')
    await error.waitFor()
    assert.match(await error.innerText(), /must equal/)
    const stored = (await apiGet(page, `/collectives/${collective.id}/reports`)).body.items
    assert.deepEqual(stored, before, 'nothing stored')

    // Put right, with a note: saved, and the ledger shows the note.
    await surplus.fill(yuan(last.surplus_fen).replace(/,/g, ''))
    await inputOf(page, 'report-note').fill('经乡镇农经站复核（测试）')
    const saved = page.waitForResponse((r) => r.url().endsWith(`/collectives/${collective.id}/reports/${last.year}`))
    await page.getByTestId('report-save').click()
    assert.equal((await saved).status(), 200)
    await page.getByText('经乡镇农经站复核（测试）').waitFor()
    const now = (await apiGet(page, `/collectives/${collective.id}/reports`)).body.items
    assert.equal(now[now.length - 1].note, '经乡镇农经站复核（测试）')
    assert.equal(now[now.length - 1].surplus_fen, last.surplus_fen)
    assert.deepEqual(page.pageErrors, [])
  })

  it('lists an equity incentive granted through the API on the co-op\'s card, and revokes it', async () => {
    const coops = (await apiGet(page, '/collectives?page_size=500')).body.items.filter((c) => c.kind === 'shareholding_coop')
    assert.ok(coops.length > 0, 'the demo county has shareholding co-ops')
    const coop = coops[coops.length - 1]
    const person = (await apiGet(page, `/people?under=${coop.division_code}&page_size=1`)).body.items[0]
    assert.ok(person, 'the co-op\'s village has people')
    const conditions = '经营收益达到50万元后兑现（测试）'
    const posted = await page.evaluate(async ({ id, body }) => {
      const me = await (await fetch('api/v1/auth/me', { credentials: 'same-origin' })).json()
      const res = await fetch(`api/v1/collectives/${id}/equity-incentives`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify(body),
      })
      return { status: res.status, body: await res.json().catch(() => null) }
    }, { id: coop.id, body: { person_id: person.id, shares: 12345, granted_on: '2025-03-01', conditions } })
    assert.equal(posted.status, 201, JSON.stringify(posted.body))

    await page.goto(`${cfg.url}/#/economy/villages/${coop.division_code}`)
    const card = page.getByTestId('equity-incentives')
    await card.getByText(conditions).waitFor()
    const row = card.locator('.el-table__row').filter({ hasText: conditions })
    assert.equal((await row.getByTestId('equity-person').innerText()).trim(), person.name)
    assert.equal((await row.getByTestId('equity-shares').innerText()).trim(), (12345).toLocaleString('en-US'))
    assert.match(await row.innerText(), /2025-03-01/)

    await page.getByTestId(`equity-revoke-${posted.body.id}`).click()
    const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/equity-incentives/'))
    await page.locator('.el-message-box__btns .el-button--primary').click()
    assert.equal((await deleted).status(), 204)
    await card.getByText(conditions).waitFor({ state: 'detached' })
    const left = (await apiGet(page, `/collectives/${coop.id}/equity-incentives`)).body.items
    assert.ok(!left.some((g) => g.id === posted.body.id), 'revoked')
    assert.deepEqual(await unresolvedComponents(page), [])
  })
})

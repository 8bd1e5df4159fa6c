// Browser tests of dispatch (双选派, issue 4) against a running `qiangji serve` on a demo
// database, whose demo holds a cadre pool and a first-secretary round open for preferences:
// the needs page shows each village's reasons with their evidence and the chart by township; the
// cadre pool shows masked ID numbers only; in the open round a county user enters a cadre's
// ranked list (a repeat is refused with the server's field error beside the tier), runs the
// match, sees the stability badge at 0 blocking pairs and a participant's explanation, and
// confirms; the terms page then lists the new first secretaries. A township user sees only its
// own villages and no run or confirm button. Then a circuit-instructor round end to end: created
// in the dialog (role, capacity), opened, its circuits shown with their township, work type and
// villages, run (each instructor's villages shown, the uncovered ones listed) and confirmed; the
// terms page filters the new instructors by post kind.
// Run: node tests/harness/with_server.mjs tests/browser/dispatch.test.mjs
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { apiGet, env, inputOf, newPage, openBrowser, signIn, unresolvedComponents } from './lib.mjs'

const cfg = env()

let browser
let page
let round // the demo's round open for preferences
let result // its result after the run

before(async () => {
  browser = await openBrowser()
  page = await newPage(browser.context)
  await signIn(page, cfg.url, cfg.county)
})

after(async () => {
  if (page) await page.close()
  if (browser) await browser.close()
})

// Adds the option with this text to the (multiple, filterable) select of tier `i`.
async function addToTier(i, text) {
  const select = page.getByTestId(`pref-tier-select-${i}`)
  await select.click()
  await select.locator('input').fill(text)
  const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first()
  await option.waitFor()
  await option.click()
  // A multiple select stays open after a pick: a click outside it (on the tier's label) closes it.
  await page.locator(`[data-testid="pref-tier"][data-index="${i}"] .rank`).click()
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
}

// Clicks the primary button of the confirmation box and waits for the API's answer.
async function confirmBox(urlEnd) {
  const answered = page.waitForResponse((r) => r.url().endsWith(urlEnd) && r.request().method() === 'POST')
  await page.locator('.el-message-box .el-button--primary').click()
  return answered
}

describe('needs and the pool', { timeout: 120000 }, () => {
  it('lists village needs with their reasons and evidence, and the chart by township', async () => {
    const needs = (await apiGet(page, '/dispatch/needs')).body
    assert.ok(needs.villages.length > 0, 'the demo county has villages')
    const withReasons = needs.villages.filter((v) => v.reasons.length)
    assert.ok(withReasons.length > 0, 'some villages have reasons to be sent a first secretary')
    assert.ok(needs.by_township.length > 1)

    await page.getByTestId('nav-dispatch').click()
    await page.getByTestId('dispatch-needs-page').waitFor()
    await page.getByTestId('need-name').first().waitFor()
    // Highest priority first, as the API orders them; the first page shows their evidence.
    const first = needs.villages.slice(0, 20)
    const codes = await page.getByTestId('need-name').evaluateAll((els) => els.map((e) => e.dataset.code))
    assert.deepEqual(codes, first.map((v) => v.division_code))
    const evidence = (await page.getByTestId('need-evidence').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(evidence, first.flatMap((v) => v.reasons.map((r) => r.evidence)))
    assert.ok(evidence.length > 0 && evidence.every((e) => e.length > 0))
    const priorities = await page.getByTestId('need-priority').evaluateAll((els) => els.map((e) => Number(e.dataset.priority)))
    assert.deepEqual(priorities, first.map((v) => v.priority))

    const needing = needs.villages.filter((v) => v.needs_first_secretary).length
    assert.equal((await page.getByTestId('needs-stat-needing').locator('.v').innerText()).trim(), String(needing))
    await page.waitForSelector('[data-testid="chart-needs-by-township"][data-rendered="true"]')
    const size = await page.getByTestId('chart-needs-by-township').locator('canvas').first().evaluate((c) => [c.width, c.height])
    assert.ok(size[0] > 100 && size[1] > 100, 'the chart draws on a canvas')

    // Only villages needing one: the table narrows to them.
    await page.getByTestId('needs-needing').click()
    await page.waitForFunction((n) => document.querySelector('[data-testid="needs-pager"]')?.innerText.includes(`共 ${n} 条`), needing)
    assert.equal(await page.getByTestId('need-open').count() + await page.getByTestId('need-covered').count(),
      await page.getByTestId('need-name').count())
    await page.getByTestId('needs-needing').click()
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('shows the cadre pool with masked ID numbers', async () => {
    const pool = (await apiGet(page, '/dispatch/cadres?page_size=20')).body
    assert.ok(pool.total > 0, 'the demo has a cadre pool')
    await page.getByTestId('dispatch-nav-cadres').click()
    await page.getByTestId('dispatch-cadres-page').waitFor()
    await page.getByTestId('cadre-table').getByTestId('id-number').first().waitFor()
    const ids = (await page.getByTestId('cadre-table').getByTestId('id-number').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(ids, pool.items.map((c) => c.id_number))
    for (const id of ids) {
      assert.match(id, /\*/, `${id} is masked`)
      assert.doesNotMatch(id, /^\d{17}[\dX]$/)
    }
    assert.match(await page.getByTestId('cadre-pager').innerText(), new RegExp(`共 ${pool.total} 条`))
    assert.deepEqual(await unresolvedComponents(page), [])
  })
})

describe('a first-secretary round end to end', { timeout: 240000 }, () => {
  it('enters a cadre\'s list: a repeat is refused with the field error, a good list is saved', async () => {
    const rounds = (await apiGet(page, '/dispatch/rounds')).body.items
    round = rounds.find((r) => r.status === 'preferences_open' && r.role === 'first_secretary')
    assert.ok(round, 'the demo has a first-secretary round open for preferences')
    const cadres = (await apiGet(page, `/dispatch/rounds/${round.id}/cadres`)).body.items
    const villages = (await apiGet(page, `/dispatch/rounds/${round.id}/villages`)).body.items
    assert.ok(cadres.length > 0 && villages.length > 1)
    const cadreOf = (x) => x.cadre || x
    const needOf = (x) => x.need || x
    // A cadre whose home is outside the county (no exclusion bites), with no list yet.
    const scope = round.scope
    const cadre = cadres.map((x) => ({ ...cadreOf(x), preference: x.preference }))
      .find((c) => !c.preference && !String(c.home_code || '').startsWith(scope)) || cadreOf(cadres[0])
    // Two villages whose names are unique among the round's, so picking by name is unambiguous.
    const named = villages.map(needOf)
    const unique = named.filter((v) => named.filter((w) => w.name === v.name).length === 1)
    assert.ok(unique.length >= 2)
    const [v1, v2] = unique

    await page.getByTestId('dispatch-nav-rounds').click()
    await page.getByTestId('dispatch-rounds-page').waitFor()
    await page.locator(`[data-testid="round-link"][data-id="${round.id}"]`).click()
    await page.getByTestId('dispatch-round-page').waitFor()
    assert.equal(await page.getByTestId('round-steps').getAttribute('data-status'), 'preferences_open')
    await page.getByTestId('round-run').waitFor()
    assert.equal(await page.getByTestId('round-confirm').count(), 0, 'nothing to confirm before a run')

    await inputOf(page, 'pref-search').fill(cadre.name)
    await page.locator(`[data-testid="participant-name"][data-id="${cadre.id}"]`).click()
    const editor = page.locator(`[data-testid="pref-editor"][data-owner="${cadre.id}"]`)
    await editor.waitFor()

    // The same village in two tiers: the server names tiers[1][0]; the tier shows its message.
    await addToTier(0, v1.name)
    await editor.getByTestId('pref-add-tier').click()
    await addToTier(1, v1.name)
    const put = () => page.waitForResponse((r) => r.url().includes(`/api/v1/dispatch/rounds/${round.id}/preferences/cadre/${cadre.id}`) && r.request().method() === 'PUT')
    let answered = put()
    await editor.getByTestId('pref-save').click()
    let res = await answered
    assert.equal(res.status(), 400)
    const problem = await res.json()
    const err = problem.errors.find((e) => /^tiers\[1\]/.test(e.field))
    assert.ok(err, `the error names the second tier: ${JSON.stringify(problem.errors)}`)
    const shown = editor.locator('[data-testid="pref-tier"][data-index="1"]').getByTestId('pref-tier-error')
    await shown.waitFor()
    assert.ok((await shown.innerText()).includes(err.message))
    const stored = (await apiGet(page, `/dispatch/rounds/${round.id}/cadres`)).body.items.find((x) => cadreOf(x).id === cadre.id)
    assert.equal(stored.preference, cadre.preference ?? null, 'nothing stored')

    // Second tier: another village instead. Saved; the participant shows a submitted list.
    await editor.locator('[data-testid="pref-tier"][data-index="1"] .el-tag__close').first().click()
    await addToTier(1, v2.name)
    answered = put()
    await editor.getByTestId('pref-save').click()
    res = await answered
    assert.equal(res.status(), 200)
    assert.ok(res.request().headers()['x-csrf-token'], 'writes carry the CSRF token')
    const saved = await res.json()
    assert.deepEqual(saved.tiers.map((t) => t.map(String)), [[v1.division_code], [v2.division_code]])
    assert.equal(saved.derived, false)
    await editor.getByTestId('pref-submitted').waitFor()
    await page.locator(`[data-testid="participant-table"] [data-testid="participant-submitted"]`).first().waitFor()
    assert.equal(await editor.getByTestId('pref-tier-error').count(), 0)
    assert.deepEqual(page.pageErrors, [])
  })

  it('imports lists in bulk from pasted CSV: a bad row is named and nothing stored, a good file replaces the list', async () => {
    const villages = (await apiGet(page, `/dispatch/rounds/${round.id}/villages`)).body.items.map((x) => x.need || x)
    const cadres = (await apiGet(page, `/dispatch/rounds/${round.id}/cadres`)).body.items.map((x) => x.cadre || x)
    const [a, b] = cadres.filter((c) => !String(c.home_code || '').startsWith(round.scope))
    const village = villages[villages.length - 1]
    const listOf = async () => (await apiGet(page, `/dispatch/rounds/${round.id}/villages`)).body.items
      .find((x) => (x.need || x).division_code === village.division_code).preference
    const before = await listOf()
    const panel = page.getByTestId('pref-import')
    await panel.getByTestId('pref-import-open').click()
    const text = panel.locator('textarea[data-testid="pref-import-text"]')
    await text.waitFor()
    await text.fill(`side,owner,rank,member\nvillage,${village.division_code},1,${a.id}\nvillage,${village.division_code},2,99999999\n`)
    await panel.getByTestId('pref-import-submit').click()
    const errors = panel.getByTestId('pref-import-errors')
    await errors.waitFor()
    assert.match(await errors.innerText(), /member[\s\S]*99999999/)
    assert.deepEqual(await listOf(), before, 'nothing stored')
    await text.fill(`side,owner,rank,member\nvillage,${village.division_code},1,${a.id}\nvillage,${village.division_code},1,${b.id}\n`)
    await panel.getByTestId('pref-import-submit').click()
    await panel.getByTestId('pref-import-report').waitFor()
    const stored = await listOf()
    assert.deepEqual(stored.tiers.map((t) => [...t].sort()), [[a.id, b.id].sort()])
    assert.equal(stored.derived, false)
    assert.deepEqual(page.pageErrors, [])
  })

  it('runs the match: the stability badge shows 0 blocking pairs and a participant\'s explanation opens', async () => {
    await page.getByTestId('round-run').click()
    const res = await confirmBox(`/api/v1/dispatch/rounds/${round.id}/run`)
    assert.equal(res.status(), 200)
    result = await res.json()
    assert.equal(result.round.status, 'matched')
    assert.equal(result.certificate.blocking_pairs, 0)
    assert.ok(result.assignments.length > 0)

    const badge = page.getByTestId('stability-badge')
    await badge.waitFor()
    assert.equal(await badge.getAttribute('data-blocking'), '0')
    assert.equal(await badge.getAttribute('data-stable'), 'true')
    assert.match(await badge.innerText(), /稳定性证书：0 个阻塞对/)
    assert.equal(await page.getByTestId('round-steps').getAttribute('data-status'), 'matched')
    assert.equal(await page.getByTestId('assignment-table').getByTestId('assignment-cadre').count(), result.assignments.length)
    const price = await page.getByTestId('result-stat-price').locator('.v').innerText()
    assert.equal(price.trim(), `${(result.totals.price_of_stability * 100).toFixed(1)}%`)

    // The first assignment: both ends' explanations, as the API gives them.
    const a = result.assignments[0]
    await page.locator(`[data-testid="assignment-cadre"][data-id="${a.cadre_id}"]`).click()
    const drawer = page.getByTestId('dispatch-explain-drawer')
    const cadreLines = drawer.locator(`[data-testid="explain-participant"][data-side="cadre"][data-id="${a.cadre_id}"] [data-testid="explain-line"]`)
    await cadreLines.first().waitFor()
    const want = result.explanations.find((e) => e.side === 'cadre' && String(e.id) === String(a.cadre_id)).lines
    assert.deepEqual((await cadreLines.allInnerTexts()).map((s) => s.trim()), want)
    const villageLines = drawer.locator(`[data-testid="explain-participant"][data-side="village"][data-id="${a.division_code}"] [data-testid="explain-line"]`)
    assert.ok(await villageLines.count() > 0, 'the village\'s explanation shows too')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    // Lists nobody submitted were derived and are labelled so.
    if (result.totals.derived_cadre_lists > 0) {
      await page.locator('#tab-prefs').click()
      await page.getByTestId('pref-side-cadre').click()
      await inputOf(page, 'pref-search').fill('')
      await page.getByTestId('participant-derived').first().waitFor()
      await page.locator('#tab-result').click()
    }
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })

  it('shows a township user only its villages and no run or confirm button', async () => {
    // A second browser, so the county's session in the first stays signed in.
    const second = await openBrowser()
    const other = await newPage(second.context)
    await signIn(other, cfg.url, cfg.township)
    const scope = (await apiGet(other, '/auth/me')).body.user.scope
    try {
      await other.goto(`${cfg.url}/#/dispatch`)
      await other.getByTestId('dispatch-needs-page').waitFor()
      await other.getByTestId('need-name').first().waitFor()
      const codes = await other.getByTestId('need-name').evaluateAll((els) => els.map((e) => e.dataset.code))
      assert.ok(codes.length > 0)
      for (const c of codes) assert.ok(c.startsWith(scope), `${c} is in ${scope}`)
      const needs = (await apiGet(other, '/dispatch/needs')).body
      assert.ok(needs.villages.every((v) => v.division_code.startsWith(scope)))

      await other.goto(`${cfg.url}/#/dispatch/rounds`)
      await other.getByTestId('dispatch-rounds-page').waitFor()
      assert.equal(await other.getByTestId('round-new').count(), 0)
      await other.goto(`${cfg.url}/#/dispatch/rounds/${round.id}`)
      await other.getByTestId('round-steps').waitFor()
      assert.equal(await other.getByTestId('round-steps').getAttribute('data-status'), 'matched')
      assert.equal(await other.getByTestId('round-run').count(), 0)
      assert.equal(await other.getByTestId('round-confirm').count(), 0)
      assert.equal(await other.getByTestId('round-open').count(), 0)
      await other.getByTestId('stability-badge').waitFor()
      // Its villages' side lists only its own villages.
      await other.locator('#tab-prefs').click()
      await other.getByTestId('pref-side-village').click()
      const ids = await other.getByTestId('participant-table').getByTestId('participant-name').evaluateAll((els) => els.map((e) => e.dataset.id))
      for (const c of ids) assert.ok(c.startsWith(scope), `${c} is in ${scope}`)
      assert.deepEqual(other.pageErrors, [])
    } finally {
      await second.close()
    }
  })

  it('confirms the round; the terms page lists the new first secretaries', async () => {
    await page.getByTestId('round-confirm').click()
    const res = await confirmBox(`/api/v1/dispatch/rounds/${round.id}/confirm`)
    assert.equal(res.status(), 200)
    const confirmed = await res.json()
    assert.equal(confirmed.round.status, 'confirmed')
    await page.waitForFunction(() => document.querySelector('[data-testid="round-steps"]')?.dataset.status === 'confirmed')
    assert.equal(await page.getByTestId('round-run').count(), 0)
    assert.equal(await page.getByTestId('round-confirm').count(), 0)
    assert.ok(confirmed.assignments.every((a) => a.start_date && a.end_date && a.post_id))

    await page.getByTestId('dispatch-nav-terms').click()
    await page.getByTestId('dispatch-terms-page').waitFor()
    await page.getByTestId('term-person').first().waitFor()
    const terms = (await apiGet(page, '/dispatch/terms')).body.items
    const fromRound = terms.filter((x) => x.round_id === round.id)
    assert.equal(fromRound.length, confirmed.assignments.length)
    const shownRounds = await page.getByTestId('terms-table').getByTestId('term-round').count()
    assert.ok(shownRounds >= fromRound.length)
    const people = new Set((await page.getByTestId('term-person').allInnerTexts()).map((s) => s.trim()))
    for (const a of confirmed.assignments) assert.ok(people.has(a.cadre_name), `${a.cadre_name} is listed`)
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })
})

// A synthetic GB 11643 ID number with a valid check digit (odd sequence: male).
function idNumber(birth, seq) {
  const body = `130602${birth}${seq}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

// Writes through the API in a session of its own (the page's session and CSRF token untouched).
async function apiPost(path, body) {
  const login = await fetch(`${cfg.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: cfg.county.username, password: cfg.county.password }),
  })
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0]
  const { csrf_token: csrf } = await login.json()
  const res = await fetch(`${cfg.url}/api/v1${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

describe('a circuit-instructor round end to end', { timeout: 240000 }, () => {
  let circuitRound
  let circuitResult

  before(async () => {
    // The first-secretary round above sent the demo's spare cadres: two more join the pool,
    // bringing the work types circuits need most.
    const joined = [
      { name: '巡回测试甲', skills: ['party_building', 'governance'], seq: '711', unit: '保定市委组织部' },
      { name: '巡回测试乙', skills: ['industry', 'e_commerce'], seq: '733', unit: '保定市农业农村局' },
    ]
    for (const c of joined) {
      const r = await apiPost('/dispatch/cadres', {
        name: c.name, sex: 'male', id_number: idNumber('19850615', c.seq), sending_unit: c.unit,
        unit_kind: 'party_agency', skills: c.skills, home_code: '130602000000',
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
    }
  })

  it('creates a circuit round in the dialog and opens it: circuits show their township, work type and villages', async () => {
    await page.getByTestId('dispatch-nav-rounds').click()
    await page.getByTestId('dispatch-rounds-page').waitFor()
    await page.getByTestId('round-new').click()
    const dialog = page.getByTestId('new-round-dialog')
    await dialog.getByTestId('round-role-select').click()
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '巡回指导员' }).first().click()
    assert.match(await dialog.getByTestId('round-role-hint').innerText(), /巡回指导/)
    assert.match(await inputOf(dialog, 'field-name').inputValue(), /巡回指导员选派$/)
    // No home-county rule is asked for advisors; the capacity only for circuits.
    await dialog.getByTestId('field-circuit_capacity').waitFor()
    const capacity = inputOf(dialog, 'field-circuit_capacity')
    await capacity.fill('3')
    await capacity.press('Tab')
    // Instructors may be the county's own cadres: the avoidance rule is switched off.
    await dialog.getByTestId('field-avoid_home_county').locator('.el-switch').click()
    await inputOf(dialog, 'field-max_per_unit_per_township').fill('0')
    await inputOf(dialog, 'field-max_per_unit_per_township').press('Tab')
    const start = inputOf(dialog, 'field-start_date')
    await start.fill('2030-03-01')
    await start.press('Enter')
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/dispatch/rounds') && r.request().method() === 'POST')
    await dialog.getByTestId('new-round-submit').click()
    const res = await created
    assert.equal(res.status(), 201, await res.text())
    circuitRound = await res.json()
    assert.equal(circuitRound.role, 'instructor_circuit')
    assert.equal(circuitRound.rules.circuit_capacity, 3)
    assert.equal(circuitRound.rules.avoid_home_county, false)
    assert.equal(circuitRound.rules.max_per_unit_per_township, 0)
    assert.equal(circuitRound.start_date, '2030-03-01')

    await page.getByTestId('dispatch-round-page').waitFor()
    await page.getByTestId('round-open').click()
    const opened = await confirmBox(`/api/v1/dispatch/rounds/${circuitRound.id}/open`)
    assert.equal(opened.status(), 200)
    await page.waitForFunction(() => document.querySelector('[data-testid="round-steps"]')?.dataset.status === 'preferences_open')
    assert.match(await page.getByTestId('round-circuit-capacity').innerText(), /3/)

    const circuits = (await apiGet(page, `/dispatch/rounds/${circuitRound.id}/villages`)).body.items
    assert.ok(circuits.length > 0 && circuits.every((c) => c.kind === 'circuit'))
    await page.getByTestId('pref-side-village').click()
    assert.match(await page.getByTestId('pref-side-village').innerText(), /巡回组的志愿/)
    const big = circuits.slice().sort((a, b) => b.villages.length - a.villages.length)[0]
    await inputOf(page, 'pref-search').fill(big.name)
    await page.locator(`[data-testid="participant-name"][data-id="${big.id}"]`).click()
    const detail = page.getByTestId('receiver-detail')
    await detail.waitFor()
    assert.equal(await detail.getAttribute('data-kind'), 'circuit')
    const shown = await detail.getByTestId('receiver-village').evaluateAll((els) => els.map((e) => e.dataset.code))
    assert.deepEqual(shown, big.villages.map((v) => v.division_code))
    assert.ok((await detail.innerText()).includes(big.need?.township_name || big.township_name))
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })

  it("runs it: each instructor's villages and the uncovered ones are shown", async () => {
    await page.getByTestId('round-run').click()
    const res = await confirmBox(`/api/v1/dispatch/rounds/${circuitRound.id}/run`)
    assert.equal(res.status(), 200)
    circuitResult = await res.json()
    assert.equal(circuitResult.certificate.blocking_pairs, 0)
    assert.ok(circuitResult.assignments.length > 0, 'some instructors are matched')
    await page.getByTestId('stability-badge').waitFor()
    const covers = page.getByTestId('assignment-table').getByTestId('assignment-covers')
    await covers.first().waitFor()
    assert.equal(await covers.count(), circuitResult.assignments.length)
    const counts = (await covers.evaluateAll((els) => els.map((e) => Number(e.dataset.count)))).sort()
    assert.deepEqual(counts, circuitResult.assignments.map((a) => a.villages.length).sort())
    for (const n of counts) assert.ok(n >= 1 && n <= 3)
    const receivers = await page.getByTestId('assignment-village').allInnerTexts()
    for (const name of receivers) assert.match(name, /巡回组$/)
    if (circuitResult.uncovered.length) {
      const rows = page.getByTestId('uncovered-table').getByTestId('uncovered-village')
      await rows.first().waitFor()
      assert.equal(await rows.count(), circuitResult.uncovered.length)
      assert.equal((await page.getByTestId('result-stat-uncovered').locator('.v').innerText()).trim(), String(circuitResult.uncovered.length))
    }
    // A circuit's explanation names who covers which villages.
    const a = circuitResult.assignments[0]
    await page.locator(`[data-testid="assignment-cadre"][data-id="${a.cadre_id}"]`).click()
    const drawer = page.getByTestId('dispatch-explain-drawer')
    const lines = drawer.locator(`[data-testid="explain-participant"][data-side="village"][data-id="${a.unit_id}"] [data-testid="explain-line"]`)
    await lines.first().waitFor()
    assert.match(await lines.first().innerText(), /分工：/)
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    assert.deepEqual(page.pageErrors, [])
  })

  it('confirms it; the terms page filters the new instructors by post kind', async () => {
    await page.getByTestId('round-confirm').click()
    const res = await confirmBox(`/api/v1/dispatch/rounds/${circuitRound.id}/confirm`)
    assert.equal(res.status(), 200)
    const confirmed = await res.json()
    assert.ok(confirmed.assignments.length > 0)
    assert.ok(confirmed.assignments.every((x) => x.post_ids.length === x.villages.length))
    await page.waitForFunction(() => document.querySelector('[data-testid="round-steps"]')?.dataset.status === 'confirmed')

    await page.getByTestId('dispatch-nav-terms').click()
    await page.getByTestId('dispatch-terms-page').waitFor()
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), '在岗选派人员')
    await page.getByTestId('term-person').first().waitFor()
    // Upcoming terms (2030) are listed with the current ones; narrow to instructors.
    await page.getByTestId('terms-kind-instructor').click()
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="term-kind"]')].every((e) => e.dataset.kind === 'instructor'))
    const kinds = await page.getByTestId('term-kind').evaluateAll((els) => els.map((e) => e.dataset.kind))
    assert.ok(kinds.length > 0 && kinds.every((k) => k === 'instructor'))
    const people = new Set((await page.getByTestId('term-person').allInnerTexts()).map((x) => x.trim()))
    for (const x of confirmed.assignments) assert.ok(people.has(x.cadre_name), `${x.cadre_name} is listed`)
    await page.getByTestId('terms-kind-advisor').click()
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="term-kind"]')].every((e) => e.dataset.kind === 'advisor'))
    assert.ok(await page.getByTestId('term-kind').count() > 0, 'the demo has advisors in post')
    await page.getByTestId('terms-kind-all').click()
    assert.deepEqual(await unresolvedComponents(page), [])
    assert.deepEqual(page.pageErrors, [])
  })
})

// Browser tests of 双培养 cultivation (issue 6) against a running `qiangji serve` on a demo
// database, whose demo holds talents in every village, membership pipelines at every stage with
// due and overdue reminders, reserve cadres in about half of the villages, courses with
// attendance, secondments and mentoring: the talent pool lists masked ID numbers; the funnel
// shows the API's counts and the board shows the reminders' badges; a person's timeline lists
// their steps in the API's order; a "next step" that breaks a rule shows the rule's name and
// stores nothing, and one that keeps the rules is stored; training shows the courses and the
// coverage; the village page shows the team-health card; a township user sees only their
// township's people.
// Run: node tests/harness/with_server.mjs tests/browser/cultivation.test.mjs
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { apiGet, env, newPage, openBrowser, signIn, unresolvedComponents } from './lib.mjs'

const cfg = env()
const STAGES = ['applicant', 'activist', 'development_target', 'probationary_member', 'member']

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

async function openPipeline(p) {
  await p.goto(`${cfg.url}/#/cultivation/pipeline`)
  await p.getByTestId('cultivation-pipeline-page').waitFor()
  await p.waitForFunction(() => document.querySelector('[data-testid="funnel-member"]')?.dataset.count !== '')
  await p.getByTestId('board-card').first().waitFor()
}

describe('the talent pool and the pipelines', { timeout: 180000 }, () => {
  it('lists the pool with masked ID numbers and filters by source', async () => {
    await page.getByTestId('nav-cultivation').click()
    await page.getByTestId('cultivation-talent-page').waitFor()
    await page.getByTestId('talent-name').first().waitFor()
    const api = (await apiGet(page, '/talent?page_size=20')).body
    assert.ok(api.total > 100, 'the demo county has a talent pool')
    assert.equal(Number(await page.getByTestId('talent-total').getAttribute('data-total')), api.total)
    const ids = (await page.getByTestId('talent-id-number').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(ids, api.items.map((x) => x.id_number))
    assert.ok(ids.every((s) => /^\d{3}\*+\d{3}[\dX]$/.test(s)), `masked: ${ids[0]}`)

    // Filter by source: the list and its total follow the API's.
    const veterans = (await apiGet(page, '/talent?source=veteran&page_size=20')).body
    await page.getByTestId('talent-source').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '复转军人' }).click()
    await page.waitForFunction((n) => document.querySelector('[data-testid="talent-total"]')?.dataset.total === String(n), veterans.total)
    const persons = await page.getByTestId('talent-name').evaluateAll((els) => els.map((e) => Number(e.dataset.person)))
    assert.deepEqual(persons, veterans.items.map((x) => x.person_id))
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('shows the API\'s funnel counts and the reminders on the board', async () => {
    await page.getByTestId('cultivation-nav-pipeline').click()
    await openPipeline(page)
    const funnel = (await apiGet(page, '/membership/funnel?level=township')).body
    for (const s of STAGES) {
      const shown = await page.getByTestId(`funnel-${s}`).getAttribute('data-count')
      assert.equal(Number(shown), funnel.totals[s], `funnel ${s}`)
      const text = (await page.getByTestId(`funnel-${s}`).getByTestId('funnel-count').innerText()).trim()
      assert.equal(text, String(funnel.totals[s]))
    }
    assert.ok(funnel.totals.activist > 0 && funnel.totals.probationary_member > 0)
    await page.waitForSelector('[data-testid="chart-funnel"][data-rendered="true"]')

    // Badges: every badge is the person's most urgent reminder, and overdue ones are shown.
    const reminders = (await apiGet(page, '/membership/reminders')).body.items
    const badges = await page.getByTestId('board-card').evaluateAll((els) => els
      .map((e) => ({ person: Number(e.dataset.person), status: e.querySelector('[data-testid="board-badge"]')?.dataset.status }))
      .filter((x) => x.status))
    assert.ok(badges.length > 0, 'some people on the board are due or overdue')
    assert.ok(badges.some((b) => b.status === 'overdue'))
    for (const b of badges) {
      const mine = reminders.filter((r) => r.person_id === b.person).map((r) => r.status)
      assert.ok(mine.includes(b.status), `badge of ${b.person} from the reminders`)
    }
    // The cadre pipeline and the villages short of reserves.
    const health = (await apiGet(page, '/cultivation/team-health')).body
    assert.equal((await page.getByTestId('cadre-reserve_cadre').locator('.v').innerText()).trim(), String(health.summary.reserve_count))
    assert.equal(await page.getByTestId('short-village').count(), health.villages.filter((v) => v.reserve_shortfall > 0).length)
    assert.ok(health.summary.villages_short_of_reserves > 0)
    assert.deepEqual(page.pageErrors, [])
  })

  it('refuses a step that breaks a rule, naming the rule, and stores nothing', async () => {
    // An activist on the board whose year as an activist is not over.
    const activists = (await apiGet(page, '/talent?party_status=activist&status=active&page_size=20')).body.items
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    let who = null
    let prior = null
    for (const a of activists) {
      const m = (await apiGet(page, `/membership/people/${a.person_id}`)).body
      if (m.next_stage === 'development_target' && m.next_eligible_on > today) { who = a; prior = m; break }
    }
    assert.ok(who, 'the demo has an activist of less than a year on the board')
    const funnelBefore = (await apiGet(page, '/membership/funnel?level=township')).body.totals

    const card = page.locator(`[data-testid="board-activist"] [data-testid="board-card"][data-person="${who.person_id}"]`)
    await card.getByTestId('board-next').click()
    const dialog = page.getByTestId('step-dialog')
    await dialog.waitFor()
    const answered = page.waitForResponse((r) => r.url().endsWith(`/membership/people/${who.person_id}/steps`))
    await page.getByTestId('step-save').click()
    assert.equal((await answered).status(), 409)
    const alert = page.getByTestId('step-rule')
    await alert.waitFor()
    assert.equal(await alert.getAttribute('data-rule'), 'activist_one_year')
    const text = await alert.innerText()
    assert.match(text, /activist_one_year/)
    assert.match(text, new RegExp(prior.next_eligible_on))

    // Nothing stored: the same steps, the same stage, the same funnel.
    const now = (await apiGet(page, `/membership/people/${who.person_id}`)).body
    assert.equal(now.current_stage, 'activist')
    assert.deepEqual(now.steps, prior.steps)
    assert.deepEqual((await apiGet(page, '/membership/funnel?level=township')).body.totals, funnelBefore)
    await dialog.getByRole('button', { name: '取消' }).click()
    assert.equal(await card.count(), 1, 'still an activist on the board')
  })

  it('stores a step that keeps the rules and moves the card', async () => {
    const masses = (await apiGet(page, '/talent?party_status=masses&status=active&page_size=20')).body.items
    const who = masses.find((x) => x.age >= 19)
    assert.ok(who, 'the demo has adult talents who are not yet applicants')
    const totals = (await apiGet(page, '/membership/funnel?level=township')).body.totals
    const card = page.locator(`[data-testid="board-masses"] [data-testid="board-card"][data-person="${who.person_id}"]`)
    await card.getByTestId('board-next').click()
    await page.getByTestId('step-dialog').waitFor()
    const answered = page.waitForResponse((r) => r.url().endsWith(`/membership/people/${who.person_id}/steps`))
    await page.getByTestId('step-save').click()
    assert.equal((await answered).status(), 201)
    await card.waitFor({ state: 'detached' })
    const m = (await apiGet(page, `/membership/people/${who.person_id}`)).body
    assert.equal(m.current_stage, 'applicant')
    assert.equal(m.steps.at(-1).stage, 'applicant')
    await page.waitForFunction((n) => document.querySelector('[data-testid="funnel-applicant"]')?.dataset.count === String(n), totals.applicant + 1)
  })

  it('shows a person\'s timeline in the API\'s order, reached from the board', async () => {
    // A probationary member: their membership steps lead up to probation.
    const card = page.locator('[data-testid="board-probationary_member"] [data-testid="board-card"]').first()
    const person = Number(await card.getAttribute('data-person'))
    await card.getByTestId('board-name').click()
    await page.getByTestId('cultivation-person-page').waitFor()
    await page.getByTestId('timeline-entry').first().waitFor()
    const api = (await apiGet(page, `/cultivation/people/${person}/timeline`)).body
    const shown = await page.getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => ({
      kind: e.dataset.kind, date: e.dataset.date, title: e.dataset.title,
    })))
    assert.deepEqual(shown, api.entries.map((e) => ({ kind: e.kind, date: e.date, title: e.title })))
    const dates = shown.map((e) => e.date)
    assert.deepEqual(dates, [...dates].sort(), 'in date order')
    const steps = shown.filter((e) => e.kind === 'membership').map((e) => e.title)
    assert.deepEqual(steps.slice(-2), ['development_target', 'probationary_member'])
    // The labels are the stages' names, in order.
    const titles = await page.locator('[data-testid="timeline-entry"][data-kind="membership"] [data-testid="timeline-title"]').allInnerTexts()
    assert.deepEqual(titles.slice(-2).map((s) => s.trim()), ['发展对象', '预备党员'])
    assert.equal(await page.getByTestId('person-stage').getAttribute('data-stage'), 'probationary_member')
  })

  it('reaches the timeline from the talent list', async () => {
    await page.goto(`${cfg.url}/#/cultivation`)
    const first = page.getByTestId('talent-name').first()
    await first.waitFor()
    const person = Number(await first.getAttribute('data-person'))
    await first.click()
    await page.getByTestId('timeline-entry').first().waitFor()
    const api = (await apiGet(page, `/cultivation/people/${person}/timeline`)).body
    assert.equal(await page.getByTestId('timeline-entry').count(), api.entries.length)
    assert.ok(api.entries.some((e) => e.kind === 'talent'))
  })
})

describe('training and team health', { timeout: 120000 }, () => {
  it('lists the year\'s courses, a course\'s attendance and the coverage', async () => {
    await page.goto(`${cfg.url}/#/cultivation/training`)
    await page.getByTestId('cultivation-training-page').waitFor()
    await page.getByTestId('course-title').first().waitFor()
    const year = new Date().getFullYear()
    const courses = (await apiGet(page, `/training/courses?year=${year}`)).body.items
    const ids = await page.getByTestId('course-title').evaluateAll((els) => els.map((e) => Number(e.dataset.id)))
    assert.deepEqual(ids, courses.map((c) => c.id))
    await page.getByTestId('course-title').first().click()
    const course = (await apiGet(page, `/training/courses/${courses[0].id}`)).body
    await page.getByTestId('attendance-table').locator('.el-table__row').first().waitFor()
    assert.equal(await page.getByTestId('attendance-table').locator('.el-table__row').count(), course.attendance.length)

    // The month calendar shows the first course in its month.
    await page.getByTestId('training-view-month').click()
    await page.getByTestId(`training-month-${Number(courses[0].start_date.slice(5, 7))}`).click()
    await page.locator(`[data-testid="calendar-course"][data-id="${courses[0].id}"]`).first().waitFor()

    const coverage = (await apiGet(page, `/training/coverage?year=${year}`)).body
    assert.equal((await page.getByTestId('coverage-cadres').locator('.v').innerText()).trim(), String(coverage.cadres))
    assert.equal((await page.getByTestId('coverage-met').locator('.v').innerText()).trim(), String(coverage.met))
    assert.equal(Number(await page.getByTestId('coverage-required').getAttribute('data-hours')), coverage.required_hours)
    await page.waitForSelector('[data-testid="chart-coverage"][data-rendered="true"]')
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('shows the team-health card on the village page', async () => {
    const health = (await apiGet(page, '/cultivation/team-health')).body
    const short = health.villages.find((v) => v.reserve_shortfall > 0)
    await page.goto(`${cfg.url}/#/villages/${short.code}`)
    const card = page.getByTestId('team-health')
    await card.waitFor()
    assert.equal(Number(await page.getByTestId('health-reserves').getAttribute('data-count')), short.reserve_count)
    assert.equal(Number(await page.getByTestId('health-reserves').getAttribute('data-target')), short.reserve_target)
    assert.equal(Number(await page.getByTestId('health-members').getAttribute('data-value')), short.member_count)
    assert.match(await page.getByTestId('health-reserves').innerText(), new RegExp(`缺 ${short.reserve_shortfall} 人`))
    assert.deepEqual(page.pageErrors, [])
  })
})

describe('scope', { timeout: 120000 }, () => {
  it('shows a township user only their township\'s people', async () => {
    const scope = cfg.township.username.replace('town_', '')
    const other = await openBrowser()
    try {
      const tp = await newPage(other.context)
      await signIn(tp, cfg.url, cfg.township)
      await tp.getByTestId('nav-cultivation').click()
      await tp.getByTestId('talent-name').first().waitFor()
      const mine = (await apiGet(tp, '/talent?page_size=20')).body
      const all = (await apiGet(page, '/talent?page_size=1')).body
      assert.ok(mine.total > 0 && mine.total < all.total)
      assert.equal(Number(await tp.getByTestId('talent-total').getAttribute('data-total')), mine.total)
      const codes = await tp.getByTestId('talent-village-link').evaluateAll((els) => els.map((e) => e.dataset.code))
      assert.ok(codes.length > 0 && codes.every((c) => c.startsWith(scope)), 'only the township\'s villages')

      await openPipeline(tp)
      const funnel = (await apiGet(tp, '/membership/funnel?level=village')).body
      assert.ok(funnel.groups.every((g) => String(g.code).startsWith(scope)))
      for (const s of STAGES) assert.equal(Number(await tp.getByTestId(`funnel-${s}`).getAttribute('data-count')), funnel.totals[s])
      const countyFunnel = (await apiGet(page, '/membership/funnel?level=county')).body.totals
      assert.ok(funnel.totals.activist < countyFunnel.activist)
      const villages = await tp.getByTestId('board-card').evaluateAll((els) => els.length)
      assert.ok(villages > 0)
      // Another township's person is not found.
      const outsider = (await apiGet(page, '/talent?page_size=100')).body.items.find((x) => !String(x.division_code).startsWith(scope))
      assert.ok(outsider)
      assert.equal((await apiGet(tp, `/cultivation/people/${outsider.person_id}/timeline`)).status, 404)
      await tp.goto(`${cfg.url}/#/cultivation/people/${outsider.person_id}`)
      await tp.getByText('未找到或无权访问').waitFor()
      assert.deepEqual(tp.pageErrors, [])
    } finally {
      await other.close()
    }
  })
})

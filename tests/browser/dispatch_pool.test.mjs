// Browser tests of the dispatch pool's kinds and of village projects (issue 4, points 2 and 5)
// against a running `qiangji serve` on a demo database: a county user switches the pool to local
// worthies (乡贤) and sees the demo's worthies with their residence and the count on the switch,
// adds a worthy through the dialog (home labelled 家乡, unit 现工作单位) and finds him; on the
// projects page sees the demo's projects, creates one (village picked by name, dates, status)
// and finds it under its status filter; a bad end date shows the server's field error.
// Run: node tests/harness/with_server.mjs tests/browser/dispatch_pool.test.mjs
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { apiGet, env, inputOf, newPage, openBrowser, signIn, unresolvedComponents } from './lib.mjs'
import { idNumber } from '../harness/fixtures.mjs'

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

// Types into a date picker of the dialog and confirms it.
async function pickDate(scope, testId, value) {
  const input = inputOf(scope, testId)
  await input.fill(value)
  await input.press('Enter')
}

describe('local worthies in the pool', { timeout: 120000 }, () => {
  it('switches the pool to worthies and shows them with their residence', async () => {
    const worthies = (await apiGet(page, '/dispatch/cadres?kind=worthy&page_size=20')).body
    const cadres = (await apiGet(page, '/dispatch/cadres?kind=cadre&page_size=1')).body
    assert.ok(worthies.total >= 25, 'the demo has local worthies')

    await page.getByTestId('nav-dispatch').click()
    await page.getByTestId('dispatch-nav-cadres').click()
    await page.getByTestId('dispatch-cadres-page').waitFor()
    await page.getByTestId('cadre-table').getByTestId('cadre-name').first().waitFor()
    // The switch counts each kind.
    await page.waitForFunction((n) => document.querySelector('[data-testid="pool-kind-worthy"]')?.innerText.includes(`（${n}）`), worthies.total)
    assert.match(await page.getByTestId('pool-kind-cadre').innerText(), new RegExp(`（${cadres.total}）`))

    await page.getByTestId('pool-kind-worthy').click()
    await page.waitForFunction((n) => document.querySelector('[data-testid="cadre-pager"]')?.innerText.includes(`共 ${n} 条`), worthies.total)
    const kinds = await page.getByTestId('cadre-name').evaluateAll((els) => els.map((e) => e.dataset.kind))
    assert.ok(kinds.length > 0 && kinds.every((k) => k === 'worthy'), kinds.join(','))
    const ids = await page.getByTestId('cadre-name').evaluateAll((els) => els.map((e) => Number(e.dataset.id)))
    assert.deepEqual(ids, worthies.items.map((w) => w.id))
    const residences = (await page.getByTestId('cadre-residence').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(residences, worthies.items.map((w) => w.residence || '—'))
    assert.ok(await page.getByText('家乡').first().isVisible(), 'home is labelled hometown')
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('adds a worthy through the dialog and finds him among the worthies', async () => {
    const village = (await apiGet(page, '/villages?page_size=5')).body.items.find((v) => /[23]\d\d$/.test(v.code))
    await page.getByTestId('cadre-add').click()
    const dialog = page.getByTestId('cadre-dialog')
    await dialog.waitFor()
    assert.ok(await dialog.getByTestId('field-kind-worthy').locator('input').isChecked(), 'a new one on the worthy tab is a worthy')
    assert.match(await dialog.getByTestId('field-sending_unit').innerText(), /现工作单位/)
    assert.match(await dialog.getByTestId('field-home_code').innerText(), /家乡/)
    await inputOf(dialog, 'field-name').fill('浏览器乡贤')
    await inputOf(dialog, 'field-id_number').fill(idNumber('130624', '1965-08-08', 77))
    await inputOf(dialog, 'field-sending_unit').fill('杭州绿野电子商务有限公司')
    await dialog.getByTestId('field-skills').getByText('电商').click()
    await inputOf(dialog, 'field-home_code').fill(village.code)
    await inputOf(dialog, 'field-residence').fill('浙江省杭州市')
    const saved = page.waitForResponse((r) => r.url().includes('/api/v1/dispatch/cadres') && r.request().method() === 'POST')
    await page.getByTestId('cadre-submit').click()
    const res = await saved
    assert.equal(res.status(), 201, await res.text())
    await dialog.waitFor({ state: 'hidden' })

    await inputOf(page, 'cadre-q').fill('浏览器乡贤')
    await page.getByTestId('cadre-search').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="cadre-pager"]')?.innerText.includes('共 1 条'))
    assert.equal((await page.getByTestId('cadre-name').innerText()).trim(), '浏览器乡贤')
    assert.equal(await page.getByTestId('cadre-name').getAttribute('data-kind'), 'worthy')
    assert.equal((await page.getByTestId('cadre-residence').innerText()).trim(), '浙江省杭州市')
    const stored = (await apiGet(page, `/dispatch/cadres?kind=worthy&q=${encodeURIComponent('浏览器乡贤')}`)).body
    assert.equal(stored.total, 1)
    assert.equal(stored.items[0].home_code, village.code)
    // Among cadres he is not.
    await page.getByTestId('pool-kind-cadre').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="cadre-pager"]')?.innerText.includes('共 0 条'))
  })

  it('imports worthies from pasted CSV: a bad row shows its line and field and stores nothing', async () => {
    const village = (await apiGet(page, '/villages?page_size=5')).body.items.find((v) => /[23]\d\d$/.test(v.code))
    const before = (await apiGet(page, '/dispatch/cadres?kind=worthy&page_size=1')).body.total
    await page.getByTestId('pool-kind-worthy').click()
    await page.getByTestId('cadre-import-open').click()
    const importer = page.getByTestId('cadre-import')
    await importer.waitFor()
    assert.match(await importer.getByTestId('import-kind-hint').innerText(), /乡贤/)
    const header = 'name,id_number,sending_unit,unit_kind,skills,home_code,residence\n'
    const good = `导入乡贤甲,${idNumber('130624', '1970-03-03', 81)},石家庄某农业公司,private_enterprise,agronomy,${village.code},河北省石家庄市\n`
    const bad = `导入乡贤乙,${idNumber('130624', '1971-04-04', 83)},某公司,private_enterprise,no_such_skill,${village.code},\n`
    await importer.locator('textarea[data-testid="import-text"]').fill(header + good + bad)
    await importer.getByTestId('import-submit').click()
    const errors = importer.getByTestId('import-errors')
    await errors.waitFor()
    const text = await errors.innerText()
    assert.match(text, /\b2\b/, 'the second data row is named')
    assert.match(text, /skills/)
    assert.equal((await apiGet(page, '/dispatch/cadres?kind=worthy&page_size=1')).body.total, before, 'nothing stored')

    await importer.locator('textarea[data-testid="import-text"]').fill(header + good)
    await importer.getByTestId('import-submit').click()
    await importer.getByTestId('import-report').waitFor()
    assert.match(await importer.getByTestId('import-report').innerText(), /1/)
    const stored = (await apiGet(page, `/dispatch/cadres?kind=worthy&q=${encodeURIComponent('导入乡贤甲')}`)).body
    assert.equal(stored.total, 1)
    assert.equal(stored.items[0].kind, 'worthy', 'rows without a kind take the tab\'s kind')
    assert.equal(stored.items[0].residence, '河北省石家庄市')
  })
})

describe('village projects', { timeout: 120000 }, () => {
  it('lists the demo projects with their status and dates', async () => {
    const projects = (await apiGet(page, '/projects')).body.items
    assert.ok(projects.length >= 15, 'the demo has village projects')
    await page.getByTestId('dispatch-nav-projects').click()
    await page.getByTestId('dispatch-projects-page').waitFor()
    await page.getByTestId('project-name').first().waitFor()
    await page.waitForFunction((n) => document.querySelector('[data-testid="project-pager"]')?.innerText.includes(`共 ${n} 条`), projects.length)
    const first = projects.slice(0, 20)
    const ids = await page.getByTestId('project-name').evaluateAll((els) => els.map((e) => Number(e.dataset.id)))
    assert.deepEqual(ids, first.map((p) => p.id))
    const statuses = await page.getByTestId('project-status-tag').evaluateAll((els) => els.map((e) => e.dataset.status))
    assert.deepEqual(statuses, first.map((p) => p.status))
    const starts = (await page.getByTestId('project-start').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(starts, first.map((p) => p.start_date))
    assert.deepEqual(await unresolvedComponents(page), [])
  })

  it('creates a project and sees it listed; a bad end date shows the field error', async () => {
    const village = (await apiGet(page, '/villages?page_size=5')).body.items.find((v) => /[23]\d\d$/.test(v.code))
    await page.getByTestId('project-add').click()
    const dialog = page.getByTestId('project-dialog')
    await dialog.waitFor()
    const picker = dialog.getByTestId('field-division_code')
    await picker.locator('.el-select').click()
    await picker.locator('input').fill(village.name)
    const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: village.name }).first()
    await option.waitFor()
    await option.click()
    await inputOf(dialog, 'field-name').fill('浏览器测试光伏项目')
    await pickDate(dialog, 'field-start_date', '2026-06-01')
    await pickDate(dialog, 'field-end_date', '2026-05-01')
    await dialog.getByTestId('field-status-underway').click()

    // End before start: the server's field error under the end date, nothing stored.
    let answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/projects') && r.request().method() === 'POST')
    await page.getByTestId('project-submit').click()
    let res = await answered
    assert.equal(res.status(), 400)
    await dialog.getByTestId('field-end_date').locator('.el-form-item__error').waitFor()
    assert.match(await dialog.getByTestId('field-end_date').innerText(), /after start_date/)

    await pickDate(dialog, 'field-end_date', '2028-06-01')
    answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/projects') && r.request().method() === 'POST')
    await page.getByTestId('project-submit').click()
    res = await answered
    assert.equal(res.status(), 201, await res.text())
    const created = await res.json()
    assert.equal(created.division_code, village.code)
    assert.equal(created.start_date, '2026-06-01')
    assert.equal(created.end_date, '2028-06-01')
    assert.equal(created.status, 'underway')
    await dialog.waitFor({ state: 'hidden' })

    // Listed under its status, with its village and dates.
    await page.getByTestId('project-status').click()
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '实施中' }).click()
    const underway = (await apiGet(page, '/projects?status=underway')).body.items
    await page.waitForFunction((n) => document.querySelector('[data-testid="project-pager"]')?.innerText.includes(`共 ${n} 条`), underway.length)
    const statuses = await page.getByTestId('project-status-tag').evaluateAll((els) => els.map((e) => e.dataset.status))
    assert.ok(statuses.every((s) => s === 'underway'), statuses.join(','))
    const row = page.locator('.el-table__row').filter({ has: page.locator(`[data-testid="project-name"][data-id="${created.id}"]`) })
    await row.waitFor()
    assert.match(await row.innerText(), /浏览器测试光伏项目/)
    assert.match(await row.innerText(), new RegExp(village.name))
    assert.match(await row.innerText(), /2028-06-01/)
    assert.match(await row.innerText(), /24 个月/)
    assert.deepEqual(page.pageErrors, [])
  })
})

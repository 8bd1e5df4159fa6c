// Saves PNG screenshots of the web UI for the README: the login page, the county dashboard, a
// village page, the people list, the assessment results and a village's explanation, and a
// dispatch round's result with its stability certificate, the collective-economy dashboard and
// the incentive calculator's preview, signed in as the county user. When
// the demo's first-secretary round has not been matched yet, it is run here through the UI (the
// screenshots are taken on a throw-away demo database).
// Usage: QJ_URL=... QJ_COUNTY_USER=... QJ_COUNTY_PASS=... node tests/browser/screenshot.mjs docs/screenshots
// (Chinese text needs a CJK font on the machine, e.g. Debian's fonts-noto-cjk.)
import fs from 'node:fs'
import path from 'node:path'
import { apiGet, newPage, openBrowser, signIn } from './lib.mjs'

const outDir = process.argv[2]
if (!outDir) {
  console.error('usage: node tests/browser/screenshot.mjs OUT_DIR')
  process.exit(2)
}
const url = (process.env.QJ_URL || '').replace(/\/+$/, '')
const user = { username: process.env.QJ_COUNTY_USER, password: process.env.QJ_COUNTY_PASS }
if (!url || !user.username || !user.password) {
  console.error('set QJ_URL, QJ_COUNTY_USER and QJ_COUNTY_PASS')
  process.exit(2)
}
fs.mkdirSync(outDir, { recursive: true })

const browser = await openBrowser()
try {
  const page = await newPage(browser.context)
  const shot = async (name) => {
    await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
      .some((m) => m.offsetParent !== null))
    await page.waitForTimeout(500) // let charts and transitions settle
    const file = path.join(outDir, `${name}.png`)
    await page.screenshot({ path: file })
    console.log(file)
  }

  await page.goto(`${url}/#/login`)
  await page.getByTestId('login-submit').waitFor()
  await shot('login')

  await signIn(page, url, user)
  await page.goto(`${url}/#/overview`)
  for (const c of ['chart-villages-by-township', 'chart-members-by-age', 'chart-vacant-posts']) {
    await page.waitForSelector(`[data-testid="${c}"][data-rendered="true"]`)
  }
  await shot('dashboard')

  // A villagers' committee with a Party organization and a full line-up makes the best example.
  const list = await apiGet(page, '/villages?page_size=200')
  const rural = list.body.items.filter((v) => v.is_villagers_committee && v.secretary_name && v.village)
  const village = rural[Math.floor(rural.length / 3)] || list.body.items[0]
  await page.goto(`${url}/#/villages/${village.code}`)
  await page.getByTestId('village-page').getByTestId('village-people').getByTestId('id-number').first().waitFor()
  await page.locator(`[data-testid="tree-node-${village.code}"]`).waitFor()
  await shot('village')

  await page.goto(`${url}/#/people`)
  await page.getByTestId('people-page').getByTestId('id-number').first().waitFor()
  await shot('people')

  await page.goto(`${url}/#/assess`)
  await page.getByTestId('results-table').getByTestId('result-name').first().waitFor()
  for (const c of ['chart-stars', 'chart-trend']) {
    await page.waitForSelector(`[data-testid="${c}"][data-rendered="true"]`)
  }
  await shot('assess')

  // The explanation of a village in the middle of the county, nearest to its next star, so that
  // the smallest change that lifts it shows.
  const runId = Number(/[?&]run=(\d+)/.exec(page.url())[1])
  const ends = await apiGet(page, `/assess/runs/${runId}/both-ends`)
  const middle = ends.body.groups[0].middle.filter((m) => m.points_to_next_star >= 1).map((m) => m.code)
  let code = middle[0]
  for (const c of middle.slice(0, 20)) {
    const e = await apiGet(page, `/assess/runs/${runId}/villages/${c}`)
    if (e.body.village.lifts.length && e.body.village.gaps.length) {
      code = c
      break
    }
  }
  const explained = await apiGet(page, `/assess/runs/${runId}/villages/${code}`)
  await page.locator('[data-testid="filter-q"] input, input[data-testid="filter-q"]').first().fill(explained.body.village.name)
  await page.getByTestId('filter-submit').click()
  await page.locator(`[data-testid="result-name"][data-code="${code}"]`).click()
  await page.getByTestId('explain-drawer').getByTestId('explain-lines').first().waitFor()
  await shot('assess-explain')

  // A first-secretary round's result: the stability badge, totals and assignments.
  const rounds = (await apiGet(page, '/dispatch/rounds')).body.items.filter((r) => r.role === 'first_secretary')
  const round = rounds.find((r) => r.status === 'matched' || r.status === 'confirmed') ||
    rounds.find((r) => r.status === 'preferences_open')
  await page.keyboard.press('Escape')
  await page.goto(`${url}/#/dispatch/rounds/${round.id}`)
  await page.getByTestId('round-steps').waitFor()
  if (round.status === 'preferences_open') {
    await page.getByTestId('round-run').click()
    await page.locator('.el-message-box .el-button--primary').click()
  }
  await page.getByTestId('stability-badge').waitFor()
  await page.getByTestId('assignment-cadre').first().waitFor()
  await page.waitForFunction(() => !document.querySelector('.el-message'))
  await shot('dispatch')

  // The collective economy: income bands over five years, weak villages and their exits.
  await page.goto(`${url}/#/economy`)
  for (const c of ['chart-economy-bands', 'chart-economy-exits']) {
    await page.waitForSelector(`[data-testid="${c}"][data-rendered="true"]`)
  }
  await shot('economy')

  // The incentive calculator previewing a first tier of 10% instead of 8%.
  await page.goto(`${url}/#/linkage/calculator`)
  await page.waitForFunction(() => document.querySelector('[data-testid="calc-base-version"]')?.innerText.trim())
  const rate = page.locator('[data-testid="calc-tier-rate-0"] input, input[data-testid="calc-tier-rate-0"]').first()
  await rate.fill('10')
  await page.getByTestId('calc-preview').click()
  await page.getByTestId('calc-diff').first().waitFor()
  await page.getByTestId('page-title').scrollIntoViewIfNeeded()
  await shot('linkage-calculator')
} finally {
  await browser.close()
}

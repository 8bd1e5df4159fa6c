// 双挂钩 linkage through the API (issue 5 point 4; docs/linkage.md): the default policy, a bad
// tier answered 400 naming incentive.tiers[1].from_fen with nothing stored, the calculator's
// preview storing nothing, the year's lists proposed with their reasons (the worked example's
// bonus exact to the fen), approvals township then county (a skipped step is 409), project
// funding as the "measures" evidence, and `qiangji linkage propose|list`.
//
// The suite runs on a fresh database holding only 阜平县's registry, so every collective, report,
// person and post it reads is one it filed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, addUser, run, PASSWORDS } from '../harness/server.mjs';
import { personBody } from '../harness/fixtures.mjs';

const YEAR = 2025;
let dir, db, server, county, township, admin;
let T1, V1 = [], V2 = [];  // the township user's prefix and its villages; another township's
const decisionsOf = {};

// GB 32100 check character of a unified social credit code.
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function creditCode(n) {
  const first17 = `N2130624MA1${String(n).padStart(6, '0')}`;
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) { sum += CHARS.indexOf(first17[i]) * w; w = (w * 3) % 31; }
  return first17 + CHARS[(31 - (sum % 31)) % 31];
}

function fields(r) { return (r.json?.errors ?? []).map((e) => e.field); }

// A report whose totals add up: operating income all revenue, costs = income - profit.
function reportBody(year, incomeFen, profitFen) {
  return {
    year, operating_revenue_fen: incomeFen, contracting_income_fen: 0, investment_income_fen: 0,
    subsidy_income_fen: 0, other_income_fen: 0, operating_costs_fen: incomeFen - profitFen,
    admin_expenses_fen: 0, other_expenses_fen: 0, surplus_fen: profitFen,
    opening_undistributed_fen: 0, reserve_fund_fen: 0, welfare_fund_fen: 0,
    member_distribution_fen: 0, undistributed_fen: profitFen, current_assets_fen: 0,
    agricultural_assets_fen: 0, long_term_investments_fen: 0, fixed_assets_fen: 0,
    other_assets_fen: 0, total_assets_fen: 0, liabilities_fen: 0, equity_fen: 0, note: '',
  };
}

let serial = 0;
async function fileReports(code, reports) {
  serial += 1;
  const c = await county.post('/api/v1/collectives', {
    division_code: code, name: '测试村股份经济合作社', kind: 'shareholding_coop',
    credit_code: creditCode(serial), member_count: 300,
  });
  assert.equal(c.status, 201, c.text);
  for (const [year, income, profit] of reports) {
    const r = await county.put(`/api/v1/collectives/${c.json.id}/reports/${year}`, reportBody(year, income, profit));
    assert.equal(r.status, 200, r.text);
  }
}

async function appoint(code, name, kind, start) {
  const p = await county.post('/api/v1/people', personBody(code, { name }));
  assert.equal(p.status, 201, p.text);
  const post = await county.post('/api/v1/posts', { person_id: p.json.id, division_code: code, kind, start_date: start });
  assert.equal(post.status, 201, post.text);
  return p.json.id;
}

async function villagesOf(prefix) {
  const r = await county.get(`/api/v1/villages?under=${prefix}&page_size=500`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((v) => v.is_villagers_committee).map((v) => v.code);
}

// What a read-only or refused call must leave as it was.
async function snapshot() {
  const audit = await admin.get('/api/v1/audit?page_size=1');
  assert.equal(audit.status, 200, audit.text);
  const policies = await county.get('/api/v1/linkage/policies?county=130624');
  const decisions = await county.get('/api/v1/linkage/decisions?under=130624');
  return JSON.stringify([audit.json.total, policies.json.items, decisions.json.items]);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qiangji-linkage-'));
  db = join(dir, 'qiangji.db');
  run(['--db', db, 'import', 'divisions', '--under', '130624']);
  addUser(db, 'county_link', 'county', '130624', PASSWORDS.county);
  addUser(db, 'admin_link', 'admin', '', PASSWORDS.admin);
  server = await startServer(db);
  county = await loginAs(server.url, { username: 'county_link', password: PASSWORDS.county });
  admin = await loginAs(server.url, { username: 'admin_link', password: PASSWORDS.admin });
  const towns = await county.get('/api/v1/divisions?parent=130624');
  assert.equal(towns.status, 200, towns.text);
  for (const t of towns.json.items.filter((d) => d.level === 'township')) {
    const p = t.code.slice(0, 9);
    const vs = await villagesOf(p);
    if (vs.length < 3) continue;
    if (!T1) { T1 = p; V1 = vs; } else { V2 = vs; break; }
  }
  assert.ok(V2.length, '阜平县 has two townships with villages');
  addUser(db, `town_${T1}`, 'township', T1, PASSWORDS.township);
  township = await loginAs(server.url, { username: `town_${T1}`, password: PASSWORDS.township });

  // V1[0]: profit 180,000.00 -> 536,789.45 yuan (the worked example), a manager since 2022.
  await fileReports(V1[0], [[2023, 30_000_000, 15_000_000], [2024, 32_000_000, 18_000_000],
    [YEAR, 70_000_000, 53_678_945]]);
  await appoint(V1[0], '甲经理', 'collective_manager', '2022-03-01');
  await appoint(V1[0], '甲书记', 'party_secretary', '2019-01-10');
  // V1[1]: shrinking two years running, no project, a secretary since 2020 (三无 by default:
  // no results and no measures).
  await fileReports(V1[1], [[2023, 8_000_000, 1_600_000], [2024, 7_000_000, 1_400_000],
    [YEAR, 6_000_000, 1_200_000]]);
  await appoint(V1[1], '丙书记', 'party_secretary', '2020-05-01');
  // V2[0], another township: profit up 20,000.00 yuan under a manager since 2021 -> 1,600.00.
  await fileReports(V2[0], [[2024, 20_000_000, 6_000_000], [YEAR, 22_000_000, 8_000_000]]);
  await appoint(V2[0], '丁经理', 'collective_manager', '2021-01-01');
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the default policy applies until one is saved; a bad tier is 400 naming the field and nothing is stored', async () => {
  const current = await township.get('/api/v1/linkage/policy');
  assert.equal(current.status, 200, current.text);
  assert.equal(current.json.is_default, true);
  assert.equal(current.json.county, '130624');
  assert.deepEqual(current.json.incentive.tiers, [
    { from_fen: 0, rate_bp: 800 }, { from_fen: 10_000_000, rate_bp: 900 },
    { from_fen: 20_000_000, rate_bp: 1000 }, { from_fen: 30_000_000, rate_bp: 1200 }]);
  assert.equal(current.json.incentive.min_profit_fen, 5_000_000);
  assert.equal(current.json.incentive.cap_fen, 6_000_000);

  const before = await snapshot();
  let r = await county.post('/api/v1/linkage/policies', {
    county: '130624',
    incentive: { tiers: [{ from_fen: 0, rate_bp: 800 }, { from_fen: 0, rate_bp: 900 }] },
  });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['incentive.tiers[1].from_fen']);
  r = await county.post('/api/v1/linkage/policies', { county: '130624', rules: { growth_years: 'three' } });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rules.growth_years']);
  r = await county.post('/api/v1/linkage/policies', { county: '130624', weak_threshold_fen: 0 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['weak_threshold_fen']);
  r = await township.post('/api/v1/linkage/policies', { county: '130624' });
  assert.equal(r.status, 403, r.text);
  r = await county.post('/api/v1/linkage/policies', { county: '130625' });
  assert.equal(r.status, 404, r.text);
  assert.equal(await snapshot(), before);

  r = await county.post('/api/v1/linkage/policies', { county: '130624', note: '县委组织部2025年印发' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.is_default, false);
  assert.equal(r.json.incentive.cap_fen, 6_000_000, 'absent fields take the default');
  const list = await county.get('/api/v1/linkage/policies?county=130624');
  assert.equal(list.json.items.length, 1);
  assert.equal((await county.get('/api/v1/linkage/policy?county=130624')).json.version, 1);
});

test('the calculator previews a policy change on the year and stores nothing', async () => {
  const before = await snapshot();
  const r = await township.post('/api/v1/linkage/preview', {
    county: '130624', year: YEAR, incentive: { cap_fen: 3_000_000 },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.year, YEAR);
  // The township sees its own villages only.
  assert.deepEqual(r.json.rows.map((x) => x.division_code).sort(), [V1[0], V1[1]].sort());
  const row = r.json.rows.find((x) => x.division_code === V1[0]);
  assert.equal(row.profit_last_fen, 18_000_000);
  assert.equal(row.increase_fen, 35_678_945);
  assert.equal(row.manager_name, '甲经理');
  assert.equal(row.tenure_months, 46);
  assert.equal(row.bonus_current_fen, 3_381_473, '8,000 + 9,000 + 10,000 + 6,814.73 yuan');
  assert.equal(row.bonus_proposed_fen, 3_000_000, 'capped at 30,000 yuan');
  assert.ok(row.lines.some((l) => l.includes('超过封顶30000.00元')), row.lines.join('\n'));
  assert.equal(r.json.total_current_fen, 3_381_473);
  assert.equal(r.json.adjustment_current, 1);

  // Sixty months in post required: the manager of 46 months falls out.
  const county_wide = await county.post('/api/v1/linkage/preview', {
    county: '130624', year: YEAR, incentive: { min_tenure_months: 60 },
  });
  assert.equal(county_wide.status, 200, county_wide.text);
  const other = county_wide.json.rows.find((x) => x.division_code === V2[0]);
  assert.equal(other.bonus_current_fen, 160_000);
  assert.equal(other.bonus_proposed_fen, 160_000, 'since 2021: 60 months by the end of 2025');
  assert.equal(county_wide.json.rows.find((x) => x.division_code === V1[0]).bonus_proposed_fen, 0);

  const bad = await county.post('/api/v1/linkage/preview', {
    county: '130624', incentive: { tiers: [{ from_fen: 0, rate_bp: 20000 }] },
  });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad).sort(), ['incentive.tiers[0].rate_bp', 'year']);
  assert.equal(await snapshot(), before, 'a preview stores nothing');
});

test('propose stores the year\'s lists with their reasons', async () => {
  const denied = await township.post('/api/v1/linkage/decisions/propose', { county: '130624', year: YEAR });
  assert.equal(denied.status, 403, denied.text);
  const bad = await county.post('/api/v1/linkage/decisions/propose', { county: '130624' });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad), ['year']);

  const r = await county.post('/api/v1/linkage/decisions/propose', { county: '130624', year: YEAR });
  assert.equal(r.status, 200, r.text);
  const items = r.json.items;
  assert.deepEqual(items.map((d) => [d.kind, d.division_code]), [
    ['incentive', V1[0]], ['incentive', V2[0]], ['adjustment', V1[1]]]);
  for (const d of items) {
    assert.equal(d.status, 'proposed');
    assert.equal(d.policy_version, 1);
    assert.ok(d.reasons.length > 0);
    assert.deepEqual(d.steps.map((s) => [s.from, s.to, s.by]), [[null, 'proposed', 'county_link']]);
  }
  const [a, b, c] = items;
  assert.equal(a.amount_fen, 3_381_473);
  assert.equal(a.person_name, '甲经理');
  assert.ok(a.reasons.includes('奖励合计33814.73元'), a.reasons.join('\n'));
  assert.equal(b.amount_fen, 160_000);
  assert.equal(c.person_name, '丙书记');
  assert.ok(c.reasons.some((l) => l.startsWith('无成效：近2年经营性收入均未增长（-12.5%、-14.3%）')), c.reasons.join('\n'));
  assert.ok(c.reasons.some((l) => l.startsWith('无举措')), c.reasons.join('\n'));
  Object.assign(decisionsOf, { v1Incentive: a, v2Incentive: b, adjustment: c });

  const mine = await township.get(`/api/v1/linkage/decisions?year=${YEAR}`);
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.items.map((d) => d.id).sort(), [a.id, c.id].sort());
  const incentives = await county.get(`/api/v1/linkage/decisions?year=${YEAR}&kind=incentive`);
  assert.equal(incentives.json.items.length, 2);
  const badKind = await county.get(`/api/v1/linkage/decisions?kind=bonus`);
  assert.equal(badKind.status, 400, badKind.text);
  assert.deepEqual(fields(badKind), ['kind']);
});

test('the township approves, then the county; a skipped step is 409 and changes nothing', async () => {
  const { v1Incentive, v2Incentive } = decisionsOf;
  assert.ok(v1Incentive, 'the propose test ran first');
  const before = await snapshot();
  let r = await county.post(`/api/v1/linkage/decisions/${v1Incentive.id}/decide`, { to: 'county_approved' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, /is proposed/);
  r = await township.post(`/api/v1/linkage/decisions/${v2Incentive.id}/decide`, { to: 'township_approved' });
  assert.equal(r.status, 404, r.text);
  r = await county.post(`/api/v1/linkage/decisions/${v1Incentive.id}/decide`, { to: 'approved' });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['to']);
  assert.equal(await snapshot(), before);

  r = await township.post(`/api/v1/linkage/decisions/${v1Incentive.id}/decide`, { to: 'township_approved', comment: '镇党委会研究同意' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'township_approved');
  r = await township.post(`/api/v1/linkage/decisions/${v1Incentive.id}/decide`, { to: 'county_approved' });
  assert.equal(r.status, 403, r.text);
  r = await county.post(`/api/v1/linkage/decisions/${v1Incentive.id}/decide`, { to: 'county_approved', comment: '审定' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'county_approved');
  assert.deepEqual(r.json.steps.map((s) => [s.from, s.to, s.by]), [
    [null, 'proposed', 'county_link'], ['proposed', 'township_approved', `town_${T1}`],
    ['township_approved', 'county_approved', 'county_link']]);
  r = await county.post(`/api/v1/linkage/decisions/${v1Incentive.id}/decide`, { to: 'rejected', comment: '撤回' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, /county_approved/);

  const audit = await admin.get('/api/v1/audit?action=linkage_decision.decide');
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.total, 2);
});

test('project funding is the measures evidence; proposing again keeps approved decisions', async () => {
  const p = await county.post('/api/v1/projects', {
    division_code: V1[1], name: '光伏电站收益管理', work_type: 'finance',
    start_date: '2025-03-01', end_date: '2027-03-01', status: 'planned',
  });
  assert.equal(p.status, 201, p.text);
  const base = `/api/v1/projects/${p.json.id}/funding`;
  let r = await township.post(base, { source: 'bank', amount_fen: 0 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['source', 'amount_fen']);
  assert.equal((await township.get(base)).json.items.length, 0);
  r = await township.post(base, { source: 'government', funder: '县财政衔接资金', amount_fen: 50_000_000 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.division_code, V1[1]);
  const funding = r.json;
  assert.equal((await county.get(base)).json.items.length, 1);

  // Propose from the command line: the funded project now counts, and so "no measures" is gone;
  // "no results" alone does not put the secretary on the adjustment list.
  const out = run(['--db', db, 'linkage', 'propose', '--county', '130624', '--year', String(YEAR)]);
  assert.match(out.stderr, /incentive\s+1 county_approved, 1 proposed/);
  const items = JSON.parse(out.stdout).items;
  assert.equal(items.find((d) => d.id === decisionsOf.v1Incentive.id)?.status, 'county_approved');
  assert.equal(items.filter((d) => d.kind === 'adjustment').length, 0);
  const listed = JSON.parse(run(['--db', db, 'linkage', 'list', '--year', String(YEAR), '--kind', 'incentive']).stdout);
  assert.deepEqual(listed.items.map((d) => d.amount_fen), [3_381_473, 160_000]);

  r = await township.del(`${base}/${funding.id}`);
  assert.equal(r.status, 204, r.text);
  assert.equal((await county.get(base)).json.items.length, 0);
});

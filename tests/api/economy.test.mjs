// The collective economy through the API (issue 5): collectives with their GB 32100 credit
// codes, annual reports with derived figures exact to the fen (subsidies never operating
// income), bad input (a code with a wrong check character, a negative member count, totals that
// do not add up, a village outside the caller's scope) answered with a clear 4xx and nothing
// stored, the all-or-nothing CSV import, the economy report's figures for a small hand-made set
// (bands with their boundaries, weak villages, exits), and `qiangji economy report|import`.
//
// The suite runs on a fresh database holding only 阜平县's registry (no demo data), so the
// collectives and reports it counts are exactly the ones it files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAs, addUser, run, PASSWORDS } from '../harness/server.mjs';
import { personBody } from '../harness/fixtures.mjs';

let dir, db, server, county, township, village;
let T1, T2, T3;       // three townships' 9-digit prefixes: the township user's, another, the report's
let V1 = [], V2 = [], V3 = [];  // villagers' committees of each (12-digit codes)

// ---- GB 32100-2015: the unified social credit code's check character ----
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';  // no I, O, S, V, Z
function creditCheck(first17) {
  let sum = 0;
  let w = 1;  // W_i = 3^(i-1) mod 31
  for (let i = 0; i < 17; i++) {
    sum += CHARS.indexOf(first17[i]) * w;
    w = (w * 3) % 31;
  }
  return CHARS[(31 - (sum % 31)) % 31];
}
let serial = 0;
function creditCode() {
  serial += 1;
  const first17 = `N2130624MA0${String(serial).padStart(6, '0')}`;
  return first17 + creditCheck(first17);
}
function wrongCheck(code) {
  return code.slice(0, 17) + CHARS[(CHARS.indexOf(code[17]) + 1) % 31];
}

function fields(r) { return (r.json?.errors ?? []).map((e) => e.field); }

function collectiveBody(code, over = {}) {
  return {
    division_code: code, name: '测试村股份经济合作社', kind: 'shareholding_coop',
    credit_code: creditCode(), registered_on: '2019-06-18', member_count: 612,
    share_classes: [{ name: '集体股', shares: 300 }, { name: '人口股', shares: 612 }], ...over,
  };
}

// A report whose totals add up, from its operating income (fen) split into revenue,
// contracting and investment income, with a subsidy beside it.
function reportBody(year, incomeFen, over = {}) {
  const revenue = Math.floor((incomeFen * 6) / 10);
  const contracting = Math.floor((incomeFen * 3) / 10);
  const investment = incomeFen - revenue - contracting;
  const subsidy = 2_000_000;
  const costs = Math.floor(incomeFen / 5);
  const admin = 150_000;
  const surplus = incomeFen + subsidy - costs - admin;
  return {
    year,
    operating_revenue_fen: revenue, contracting_income_fen: contracting,
    investment_income_fen: investment, subsidy_income_fen: subsidy, other_income_fen: 0,
    operating_costs_fen: costs, admin_expenses_fen: admin, other_expenses_fen: 0,
    surplus_fen: surplus, opening_undistributed_fen: 0, reserve_fund_fen: 0,
    welfare_fund_fen: 0, member_distribution_fen: 0, undistributed_fen: surplus,
    current_assets_fen: 5_000_000, agricultural_assets_fen: 0, long_term_investments_fen: 0,
    fixed_assets_fen: 3_000_000, other_assets_fen: 0, total_assets_fen: 8_000_000,
    liabilities_fen: 1_000_000, equity_fen: 7_000_000, note: '', ...over,
  };
}

async function villagesOf(prefix) {
  const r = await county.get(`/api/v1/villages?under=${prefix}&page_size=500`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((v) => v.is_villagers_committee).map((v) => v.code);
}

async function createCollective(client, code) {
  const r = await client.post('/api/v1/collectives', collectiveBody(code));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function reportCount(collectiveId) {
  const r = await county.get(`/api/v1/collectives/${collectiveId}/reports`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.length;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qiangji-economy-'));
  db = join(dir, 'qiangji.db');
  run(['--db', db, 'import', 'divisions', '--under', '130624']);
  addUser(db, 'county_econ', 'county', '130624', PASSWORDS.county);
  server = await startServer(db);
  county = await loginAs(server.url, { username: 'county_econ', password: PASSWORDS.county });
  const towns = await county.get('/api/v1/divisions?parent=130624');
  assert.equal(towns.status, 200, towns.text);
  const prefixes = towns.json.items.filter((d) => d.level === 'township').map((d) => d.code.slice(0, 9));
  for (const p of prefixes) {
    const vs = await villagesOf(p);
    if (vs.length < 4) continue;
    if (!T1) { T1 = p; V1 = vs; } else if (!T2) { T2 = p; V2 = vs; } else if (!T3) { T3 = p; V3 = vs; break; }
  }
  assert.ok(T3, '阜平县 has three townships with villages');
  addUser(db, `town_${T1}`, 'township', T1, PASSWORDS.township);
  addUser(db, 'village_econ', 'village', V1[0], PASSWORDS.village);
  township = await loginAs(server.url, { username: `town_${T1}`, password: PASSWORDS.township });
  village = await loginAs(server.url, { username: 'village_econ', password: PASSWORDS.village });
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a collective is created with a valid credit code; a bad one is 400 credit_code and nothing is stored', async () => {
  const code = V1[0];
  let r = await county.post('/api/v1/collectives', collectiveBody(code, { credit_code: wrongCheck(creditCode()) }));
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['credit_code']);
  assert.match(r.json.errors[0].message, /GB 32100/);
  r = await county.post('/api/v1/collectives', collectiveBody(code, { credit_code: 'N2130624MA0A1B2CI1' }));
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['credit_code']);
  r = await county.post('/api/v1/collectives', collectiveBody(code, { member_count: -1 }));
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['member_count']);
  assert.equal((await county.get(`/api/v1/villages/${code}/collective`)).status, 404);
  assert.equal((await county.get(`/api/v1/collectives?under=${code}`)).json.total, 0);

  const body = collectiveBody(code);
  r = await county.post('/api/v1/collectives', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `/api/v1/collectives/${r.json.id}`);
  assert.equal(r.json.credit_code, body.credit_code);
  assert.equal(r.json.division_code, code);
  assert.deepEqual(r.json.share_classes, body.share_classes);
  const byVillage = await village.get(`/api/v1/villages/${code}/collective`);
  assert.equal(byVillage.status, 200, byVillage.text);
  assert.equal(byVillage.json.id, r.json.id);

  // One per credit code (409 naming credit_code) and one per village (409 naming division_code).
  const dup = await county.post('/api/v1/collectives', collectiveBody(V1[1], { credit_code: body.credit_code }));
  assert.equal(dup.status, 409, dup.text);
  assert.match(dup.json.detail, /^credit_code:/);
  const second = await county.post('/api/v1/collectives', collectiveBody(code));
  assert.equal(second.status, 409, second.text);
  assert.match(second.json.detail, /^division_code:/);
  assert.equal((await county.get(`/api/v1/collectives?under=${T1}`)).json.total, 1);

  const put = await township.put(`/api/v1/collectives/${r.json.id}`, { ...byVillage.json, member_count: 640 });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.member_count, 640);
  const denied = await village.put(`/api/v1/collectives/${r.json.id}`, { ...byVillage.json, member_count: 1 });
  assert.equal(denied.status, 403, denied.text);
});

test('a report is read back with derived figures exact to the fen; subsidies are not operating income', async () => {
  const c = (await county.get(`/api/v1/villages/${V1[0]}/collective`)).json;
  const body = reportBody(2024, 0, {
    operating_revenue_fen: 123456789, contracting_income_fen: 23456701,
    investment_income_fen: -100055, subsidy_income_fen: 99999999, operating_costs_fen: 50000001,
    admin_expenses_fen: 0,
  });
  body.surplus_fen = 123456789 + 23456701 - 100055 + 99999999 - 50000001;
  body.undistributed_fen = body.surplus_fen;
  // The village keeps its own books.
  const r = await village.put(`/api/v1/collectives/${c.id}/reports/2024`, body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.operating_income_fen, 146813435);
  assert.equal(r.json.operating_profit_fen, 96813434);
  assert.equal(r.json.total_income_fen, 146813435 + 99999999);
  assert.equal(r.json.band, 'over_1m');
  assert.equal(r.json.division_code, V1[0]);
  const list = await county.get(`/api/v1/collectives/${c.id}/reports`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 1);
  for (const [k, v] of Object.entries(body)) assert.equal(list.json.items[0][k], v, k);
  assert.equal(list.json.items[0].operating_income_fen, 146813435);
});

test('a report whose totals do not add up is 400 naming the field, and nothing is stored', async () => {
  const c = (await county.get(`/api/v1/villages/${V1[0]}/collective`)).json;
  const n0 = await reportCount(c.id);
  const good = reportBody(2023, 8_000_000);
  let r = await county.put(`/api/v1/collectives/${c.id}/reports/2023`, { ...good, surplus_fen: good.surplus_fen + 1, undistributed_fen: good.undistributed_fen + 1 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['surplus_fen']);
  assert.match(r.json.errors[0].message, /fen/);
  r = await county.put(`/api/v1/collectives/${c.id}/reports/2023`, { ...good, undistributed_fen: 1 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['undistributed_fen']);
  r = await county.put(`/api/v1/collectives/${c.id}/reports/2023`, { ...good, total_assets_fen: good.total_assets_fen + 1 });
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('total_assets_fen'), r.text);
  r = await county.put(`/api/v1/collectives/${c.id}/reports/2023`, { ...good, operating_revenue_fen: 12.5 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['operating_revenue_fen']);
  r = await county.put(`/api/v1/collectives/${c.id}/reports/2023`, { ...good, year: 2022 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['year']);
  assert.equal(await reportCount(c.id), n0);
  r = await county.put(`/api/v1/collectives/${c.id}/reports/2023`, good);
  assert.equal(r.status, 200, r.text);
  assert.equal(await reportCount(c.id), n0 + 1);
});

test('the CSV import is all or nothing, with errors on rows[i].field; amounts in yuan are exact', async () => {
  const a = await createCollective(county, V1[1]);
  const b = await createCollective(county, V1[2]);
  const header = 'division_code,year,operating_revenue,contracting_income,investment_income,subsidy_income,operating_costs,surplus,undistributed,current_assets,total_assets,equity,note';
  const line = (code, revenue, surplus) => `${code},2024,${revenue},100.01,0.32,50000,2345.6,${surplus},${surplus},1000,1000,1000,"说明,含逗号"`;
  const bad = [header, line(V1[1], '12345.67', '60100.40'), line(V1[2], '80000', '127754.74')].join('\n');
  let r = await county.request('POST', '/api/v1/economy/reports/import?format=csv', { raw: bad, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rows[1].surplus']);
  assert.match(r.json.detail, /nothing was imported/);
  assert.equal(await reportCount(a.id), 0);
  assert.equal(await reportCount(b.id), 0);
  const threeDecimals = [header, line(V1[1], '12345.678', '60100.40')].join('\n');
  r = await county.request('POST', '/api/v1/economy/reports/import?format=csv', { raw: threeDecimals, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rows[0].operating_revenue']);
  const noCollective = [header, line(V1[3], '1', '47755.73')].join('\n');
  r = await county.request('POST', '/api/v1/economy/reports/import?format=csv', { raw: noCollective, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rows[0].division_code']);
  assert.match(r.json.errors[0].message, /no collective/);

  const good = [header, line(V1[1], '12345.67', '60100.40'), line(V1[2], '80000', '127754.73')].join('\r\n');
  r = await county.request('POST', '/api/v1/economy/reports/import?format=csv', { raw: good, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { stored: 2 });
  const got = (await county.get(`/api/v1/collectives/${a.id}/reports`)).json.items[0];
  assert.equal(got.operating_revenue_fen, 1234567);
  assert.equal(got.contracting_income_fen, 10001);
  assert.equal(got.investment_income_fen, 32);
  assert.equal(got.subsidy_income_fen, 5000000);
  assert.equal(got.surplus_fen, 6010040);
  assert.equal(got.operating_income_fen, 1234567 + 10001 + 32);
  assert.equal(got.note, '说明,含逗号');
  r = await county.request('POST', '/api/v1/economy/reports/import?format=xml', { raw: good });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['format']);
});

test('a village outside a township user\'s scope is 404, and nothing is stored', async () => {
  const other = await createCollective(county, V2[0]);
  let r = await township.put(`/api/v1/collectives/${other.id}/reports/2024`, reportBody(2024, 1_000_000));
  assert.equal(r.status, 404, r.text);
  r = await township.get(`/api/v1/collectives/${other.id}`);
  assert.equal(r.status, 404, r.text);
  r = await township.get(`/api/v1/villages/${V2[0]}/collective`);
  assert.equal(r.status, 404, r.text);
  r = await township.post('/api/v1/collectives', collectiveBody(V2[1]));
  assert.equal(r.status, 404, r.text);
  r = await village.put(`/api/v1/collectives/${other.id}/reports/2024`, reportBody(2024, 1_000_000));
  assert.equal(r.status, 404, r.text);
  const rows = [{ ...reportBody(2024, 1_000_000), division_code: V2[0] }];
  r = await township.request('POST', '/api/v1/economy/reports/import?format=json', { raw: JSON.stringify(rows) });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rows[0].division_code']);
  assert.match(r.json.errors[0].message, /not found/);
  assert.equal(await reportCount(other.id), 0);
  assert.equal((await county.get(`/api/v1/villages/${V2[1]}/collective`)).status, 404);
  const own = await township.get(`/api/v1/collectives`);
  assert.equal(own.status, 200, own.text);
  for (const c of own.json.items) assert.ok(c.division_code.startsWith(T1));
  const report = await township.get(`/api/v1/economy/report?under=${T2}`);
  assert.equal(report.status, 404, report.text);
});

// Operating income in yuan, 2021..2025, for three villages of T3: W1 leaves weak status in 2024,
// W2 ends exactly on 100,000 (not weak), W3 touches 50,000 and 1,000,000 exactly.
const SET = [
  [40_000, 60_000, 90_000, 120_000, 150_000],
  [200_000, 210_000, 190_000, 200_000, 100_000],
  [30_000, 45_000, 50_000, 99_999.99, 1_000_000],
];
const BANDS = ['under_50k', '50k_100k', '100k_500k', '500k_1m', 'over_1m'];
const bandsOf = (o) => BANDS.map((k) => o[k]);

test('the economy report of a small hand-made set: bands, weak villages and exits', async () => {
  const rows = [];
  for (let i = 0; i < 3; i++) {
    await createCollective(county, V3[i]);
    SET[i].forEach((yuan, y) => rows.push({ ...reportBody(2021 + y, Math.round(yuan * 100)), division_code: V3[i] }));
  }
  let r = await county.request('POST', '/api/v1/economy/reports/import?format=json', { raw: JSON.stringify(rows) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stored, 15);

  r = await county.get(`/api/v1/economy/report?under=${T3}`);
  assert.equal(r.status, 200, r.text);
  const rep = r.json;
  assert.equal(rep.first_year, 2021);
  assert.equal(rep.last_year, 2025);
  assert.deepEqual(rep.years, [2021, 2022, 2023, 2024, 2025]);
  assert.equal(rep.weak_threshold_fen, 10_000_000);
  assert.deepEqual(rep.total.map((y) => y.reported), [3, 3, 3, 3, 3]);
  assert.deepEqual(rep.total.map((y) => bandsOf(y.bands)), [
    [2, 0, 1, 0, 0], [1, 1, 1, 0, 0], [0, 2, 1, 0, 0], [0, 1, 2, 0, 0], [0, 0, 2, 0, 1]]);
  assert.deepEqual(rep.total.map((y) => y.weak), [2, 2, 2, 1, 0]);
  assert.deepEqual(rep.total.map((y) => y.exits), [0, 0, 0, 1, 1]);
  assert.equal(rep.total[4].total_income_fen, 125_000_000, 'subsidies never count');
  assert.equal(rep.total[0].total_growth, null);
  assert.ok(Math.abs(rep.total[4].total_growth - (1_250_000 - 419_999.99) / 419_999.99) < 1e-12);
  assert.equal(rep.townships.length, 1);
  assert.equal(rep.townships[0].code, `${T3}000`);
  assert.equal(rep.townships[0].rank, 1);
  const byCode = Object.fromEntries(rep.villages.map((v) => [v.division_code, v]));
  assert.equal(byCode[V3[0]].exit_year, 2024);
  assert.equal(byCode[V3[1]].exit_year, null);
  assert.equal(byCode[V3[2]].exit_year, 2025);
  assert.equal(byCode[V3[1]].band, '100k_500k', '100,000 yuan is the lower edge of its band');
  assert.equal(byCode[V3[1]].weak, false, 'and not weak');
  assert.equal(byCode[V3[2]].band, 'over_1m');
  assert.deepEqual(byCode[V3[2]].income_fen, [3_000_000, 4_500_000, 5_000_000, 9_999_999, 100_000_000]);
  assert.ok(Math.abs(byCode[V3[0]].cagr - ((150 / 40) ** 0.25 - 1)) < 1e-12);
  assert.equal(byCode[V3[0]].growth[0], null);
  assert.equal(rep.assisted.villages, 0);
  assert.equal(rep.unassisted.villages, 3);

  // Some provinces count weak villages below 50,000 yuan.
  r = await county.get(`/api/v1/economy/report?under=${T3}&weak_threshold_fen=5000000`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.total.map((y) => y.weak), [2, 1, 0, 0, 0]);
  assert.deepEqual(r.json.total.map((y) => y.exits), [0, 1, 1, 0, 0]);
  r = await county.get(`/api/v1/economy/report?under=${T3}&first_year=2024&last_year=2025`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.years, [2024, 2025]);
  r = await county.get(`/api/v1/economy/report?first_year=abc&weak_threshold_fen=0`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r).sort(), ['first_year', 'weak_threshold_fen']);
  r = await county.get(`/api/v1/economy/report?first_year=2025&last_year=2024`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['first_year']);
});

test('qiangji economy report prints the same JSON; economy import is all or nothing', async () => {
  const out = run(['--db', db, 'economy', 'report', '--year', '2025', '--under', T3]);
  const cli = JSON.parse(out.stdout);
  assert.equal(cli.last_year, 2025);
  assert.deepEqual(cli.total.map((y) => y.weak), [2, 2, 2, 1, 0]);
  const api = await county.get(`/api/v1/economy/report?under=${T3}&first_year=2021&last_year=2025`);
  assert.equal(api.status, 200, api.text);
  assert.deepEqual(cli, api.json);
  const three = JSON.parse(run(['--db', db, 'economy', 'report', '--year', '2025', '--years', '3', '--under', T3]).stdout);
  assert.deepEqual(three.years, [2023, 2024, 2025]);

  const header = 'division_code,year,operating_revenue,surplus,undistributed';
  const file = join(dir, 'reports.csv');
  writeFileSync(file, `${header}\n${V3[0]},2020,1234.56,1234.56,1234.56\n${V3[1]},2020,10,10,9.99\n`);
  const bad = run(['--db', db, 'economy', 'import', file], { allowFail: true });
  assert.equal(bad.status, 2, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /rows\[1\]\.undistributed/);
  writeFileSync(file, `${header}\n${V3[0]},2020,1234.56,1234.56,1234.56\n${V3[1]},2020,10,10,10\n`);
  assert.match(run(['--db', db, 'economy', 'import', file]).stdout, /imported 2 annual reports/);
  const after2020 = JSON.parse(run(['--db', db, 'economy', 'report', '--year', '2020', '--years', '1', '--under', T3]).stdout);
  assert.equal(after2020.total[0].total_income_fen, 123456 + 1000);
});

test('the OpenAPI document lists the economy routes', async () => {
  const r = await county.get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  for (const p of ['/api/v1/collectives', '/api/v1/collectives/{id}/reports/{year}',
    '/api/v1/economy/reports/import', '/api/v1/economy/report', '/api/v1/villages/{code}/collective']) {
    assert.ok(r.json.paths[p], p);
  }
  assert.ok(r.json.components.schemas.AnnualReport.properties.operating_income_fen);
});

// ---- equity incentives (股权激励) of shareholding co-ops ----

async function addPerson(code, name) {
  const p = await county.post('/api/v1/people', personBody(code, { name }));
  assert.equal(p.status, 201, p.text);
  return p.json.id;
}

async function grants(collectiveId) {
  const r = await county.get(`/api/v1/collectives/${collectiveId}/equity-incentives`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('equity incentives: granted on a shareholding co-op, bad input is 400 naming the field, other kinds 409, scope 404, revoked', async () => {
  const coop = await createCollective(county, V2[2]);
  const other = await county.post('/api/v1/collectives', collectiveBody(V2[3], { kind: 'economic_coop', name: '测试村经济合作社' }));
  assert.equal(other.status, 201, other.text);
  const manager = await addPerson(V2[2], '股权经理');
  const outsider = await addPerson(V2[3], '邻村村民');
  const path = `/api/v1/collectives/${coop.id}/equity-incentives`;
  const body = { person_id: manager, shares: 20_000, granted_on: '2025-03-01', conditions: '经营收益达到50万元后兑现' };

  let r = await county.post(path, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.person_name, '股权经理');
  assert.equal(r.json.division_code, V2[2]);
  const granted = r.json;
  let items = await grants(coop.id);
  assert.equal(items.length, 1);
  assert.deepEqual(
    { person_id: items[0].person_id, shares: items[0].shares, granted_on: items[0].granted_on, conditions: items[0].conditions },
    body);

  // Bad input names its field, and nothing is stored.
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  for (const [over, field] of [[{ shares: 0 }, 'shares'], [{ granted_on: tomorrow }, 'granted_on'],
    [{ person_id: outsider }, 'person_id'], [{ conditions: 'x'.repeat(501) }, 'conditions']]) {
    r = await county.post(path, { ...body, ...over });
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.deepEqual(fields(r), [field]);
  }
  assert.equal((await grants(coop.id)).length, 1);

  // Only a shareholding co-op takes equity incentives.
  r = await county.post(`/api/v1/collectives/${other.json.id}/equity-incentives`, { ...body, person_id: outsider });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail ?? r.text, /shareholding/);
  assert.equal((await grants(other.json.id)).length, 0);

  // A township user outside the co-op's township sees nothing and changes nothing; village
  // users read only.
  r = await township.get(path);
  assert.equal(r.status, 404, r.text);
  r = await township.post(path, body);
  assert.equal(r.status, 404, r.text);
  r = await township.request('DELETE', `${path}/${granted.id}`);
  assert.equal(r.status, 404, r.text);
  assert.equal((await grants(coop.id)).length, 1);

  r = await county.request('DELETE', `${path}/${granted.id}`);
  assert.equal(r.status, 204, r.text);
  assert.equal((await grants(coop.id)).length, 0);
  r = await county.request('DELETE', `${path}/${granted.id}`);
  assert.equal(r.status, 404, r.text);

  const doc = await county.get('/api/v1/openapi.json');
  assert.ok(doc.json.paths['/api/v1/collectives/{id}/equity-incentives']);
  assert.ok(doc.json.paths['/api/v1/collectives/{id}/equity-incentives/{grant_id}']);
});

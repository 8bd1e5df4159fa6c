// The assessment through the API (issue 3): the measure catalogue, versioned indicator sets and
// their bad input (a clear 400 or 409 and nothing stored), the AHP check, evidence writes and
// scope, all-or-nothing bulk import, reproducible runs with hashes, results, explanations, both
// ends, publication with its notice period, appeals, and `qiangji assess solve` on the example.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, startServer, loginAs, addUser, run, repoRoot, PASSWORDS } from '../harness/server.mjs';

let demo, server, county, township, viewer, otherVillage, ownVillages;
const A = '/api/v1/assess';

before(async () => {
  demo = makeDemo();
  addUser(demo.db, 'viewer1', 'viewer', '130624', PASSWORDS.viewer);
  server = await startServer(demo.db);
  county = await loginAs(server.url, demo.county);
  township = await loginAs(server.url, demo.township);
  viewer = await loginAs(server.url, { username: 'viewer1', password: PASSWORDS.viewer });
  ownVillages = (await county.get(`/api/v1/villages?under=${demo.township.scope}&page_size=5`)).json.items.map((v) => v.code);
  const all = (await county.get('/api/v1/villages?page_size=500')).json.items;
  otherVillage = all.find((v) => !v.code.startsWith(demo.township.scope)).code;
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

// The civil day in Asia/Shanghai (UTC+8, no daylight saving), plus `days`.
function chinaDay(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

async function defaultSet() {
  const r = await county.get(`${A}/default-indicator-set`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function setCount() {
  const r = await county.get(`${A}/indicator-sets`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.length;
}

function fields(r) { return (r.json?.errors ?? []).map((e) => e.field); }

test('the measure catalogue lists the dimensions, sources and measures', async () => {
  const r = await township.get(`${A}/measures`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.dimensions.map((d) => d.key),
    ['team_operation', 'capability', 'morale', 'public_response', 'conflicts']);
  assert.equal(r.json.measures.length, 24);  // 20 + the 4 of cultivation (issue 6)
  const sat = r.json.measures.find((m) => m.key === 'satisfaction_rate');
  assert.equal(sat.source, 'satisfaction_survey');
  assert.equal(sat.unit, 'share');
  assert.ok(r.json.sources.some((s) => s.key === 'records'));
});

test('a set stored again becomes the next version of its key', async () => {
  const before = (await county.get(`${A}/indicator-sets`)).json.items
    .filter((s) => s.key === 'village-default');
  assert.ok(before.length >= 1);
  const newest = Math.max(...before.map((s) => s.version));
  const body = { ...(await defaultSet()), note: 'v2: same weights, tested' };
  const created = await county.post(`${A}/indicator-sets`, body);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.key, 'village-default');
  assert.equal(created.json.version, newest + 1);
  assert.equal(created.headers.get('location'), `${A}/indicator-sets/${created.json.id}`);
  const got = await county.get(`${A}/indicator-sets/${created.json.id}`);
  assert.equal(got.json.note, 'v2: same weights, tested');
  assert.equal(got.json.indicators.length, body.indicators.length);

  const list = (await county.get(`${A}/indicator-sets`)).json.items.filter((s) => s.key === 'village-default');
  assert.equal(list.length, before.length + 1);
  assert.equal(list.find((s) => s.id === created.json.id).latest, true);
  assert.equal(list.filter((s) => s.latest).length, 1);

  const denied = await township.post(`${A}/indicator-sets`, body);
  assert.equal(denied.status, 403, denied.text);
});

test('a non-reciprocal AHP matrix is a 400 naming the entry, and nothing is stored', async () => {
  const n0 = await setCount();
  const set = await defaultSet();
  const m = set.weighting.ahp.findIndex((x) => x.name === 'dimensions');
  set.weighting.ahp[m].a[0][1] = 3;  // a[1][0] stays as it was: no longer 1/3
  set.weighting.ahp[m].a[1][0] = 2;
  const r = await county.post(`${A}/indicator-sets`, set);
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes(`weighting.ahp[${m}].a[1][0]`), r.text);
  assert.equal(await setCount(), n0);
});

test('weights that do not sum to 1 are a 400 naming dimensions or indicators', async () => {
  const n0 = await setCount();
  const set = await defaultSet();
  set.weighting.method = 'manual';
  set.dimensions[0].weight += 0.2;
  let r = await county.post(`${A}/indicator-sets`, set);
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('dimensions'), r.text);
  assert.match(r.json.detail, /sum/);

  const set2 = await defaultSet();
  set2.weighting.method = 'manual';
  set2.indicators[0].weight += 0.3;
  r = await county.post(`${A}/indicator-sets`, set2);
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).some((f) => f === 'indicators' || /^indicators\[\d+\]\.weight$/.test(f)), r.text);
  assert.equal(await setCount(), n0);
});

test('an unknown measure is a 400 naming the indicator', async () => {
  const n0 = await setCount();
  const set = await defaultSet();
  set.indicators[2].measure = 'no_such_measure';
  const r = await county.post(`${A}/indicator-sets`, set);
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('indicators[2].measure'), r.text);
  assert.equal(await setCount(), n0);
});

test('a matrix with CR >= 0.10 is a 400 naming the matrix and its CR', async () => {
  const n0 = await setCount();
  const set = await defaultSet();
  const m = set.weighting.ahp.findIndex((x) => x.name === 'dimensions');
  // Circular preferences (each dimension 9 times the next, the last 9 times the first): reciprocal
  // but wildly inconsistent.
  const n = set.weighting.ahp[m].items.length;
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, () => 1));
  for (let i = 0; i < n; i++) { a[i][(i + 1) % n] = 9; a[(i + 1) % n][i] = 1 / 9; }
  set.weighting.ahp[m].a = a;
  const r = await county.post(`${A}/indicator-sets`, set);
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes(`weighting.ahp[${m}]`), r.text);
  assert.match(r.json.detail, /dimensions/);
  assert.match(r.json.detail, /CR \d+\.\d+/);
  assert.equal(await setCount(), n0);
});

test('ahp-check answers weights, lambda_max, CI, RI and CR of hand-checked matrices', async () => {
  // Consistent: a[i][j] = w_i / w_j for w = (4, 2, 1) / 7, so lambda_max = n and CR = 0.
  let r = await township.post(`${A}/ahp-check`, { name: 'x', items: ['a', 'b', 'c'],
    a: [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]] });
  assert.equal(r.status, 200, r.text);
  const close = (x, y, eps = 1e-6) => assert.ok(Math.abs(x - y) < eps, `${x} != ${y}`);
  [4 / 7, 2 / 7, 1 / 7].forEach((w, i) => close(r.json.weights[i], w));
  close(r.json.lambda_max, 3);
  close(r.json.cr, 0);
  close(r.json.ri, 0.58);
  assert.equal(r.json.acceptable, true);
  // Circulant (1, 3, 1/3): eigenvalue 1 + 3 + 1/3 with the equal vector, so lambda_max = 13/3,
  // CI = (13/3 - 3) / 2 = 2/3, CR = (2/3) / 0.58 = 1.1494.
  r = await township.post(`${A}/ahp-check`, { name: 'x', items: ['a', 'b', 'c'],
    a: [[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]] });
  assert.equal(r.status, 200, r.text);
  [1 / 3, 1 / 3, 1 / 3].forEach((w, i) => close(r.json.weights[i], w));
  close(r.json.lambda_max, 13 / 3);
  close(r.json.ci, 2 / 3);
  close(r.json.cr, (2 / 3) / 0.58, 1e-4);
  assert.equal(r.json.acceptable, false);
  // Malformed: a row too short.
  r = await township.post(`${A}/ahp-check`, { name: 'x', items: ['a', 'b'], a: [[1, 2], [0.5]] });
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('a[1]'), r.text);
});

test('evidence: a quarter is upserted by its path and listed', async () => {
  const v = ownVillages[0];
  const path = `/api/v1/villages/${v}/periodic-ratings/2026Q1`;
  let r = await township.put(path, { score: 81.5, meetings_held: 6, affairs_disclosures: 3,
    finance_disclosed: true, petitions: 1, note: '测试' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.division_code, v);
  assert.equal(r.json.period, '2026Q1');
  assert.equal(r.json.score, 81.5);
  r = await township.put(path, { score: 77, meetings_held: 5, finance_disclosed: false });
  assert.equal(r.status, 200, r.text);
  const list = await township.get(`${A}/periodic-ratings?under=${v}&year=2026`);
  assert.equal(list.status, 200, list.text);
  const q1 = list.json.items.filter((x) => x.period === '2026Q1');
  assert.equal(q1.length, 1);
  assert.equal(q1[0].score, 77);
  assert.equal(q1[0].finance_disclosed, false);

  // The path wins: a body naming another quarter or village is a 400.
  r = await township.put(path, { period: '2026Q2', score: 70 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['period']);
  r = await township.put(path, { division_code: ownVillages[1], score: 70 });
  assert.deepEqual(fields(r), ['division_code']);
  r = await township.put(`/api/v1/villages/${v}/periodic-ratings/2026Q5`, { score: 70 });
  assert.equal(r.status, 400, r.text);

  // The annual sources.
  r = await township.put(`/api/v1/villages/${v}/satisfaction-surveys/2026`, { responses: 40, satisfied: 30 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rate, 0.75);
  r = await township.put(`/api/v1/villages/${v}/duty-reports/2026`, { excellent: 10, competent: 20,
    basic: 3, incompetent: 1, development_target: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.year, 2026);
  const duty = await township.get(`${A}/duty-reports?under=${v}&year=2026`);
  assert.equal(duty.json.total, 1);

  // Spot checks have ids: create, update, delete.
  r = await township.post(`${A}/spot-checks`, { division_code: v, check_date: '2026-03-02',
    category: 'finance', severity: 'moderate', finding: '账目公开不及时' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await township.put(`${A}/spot-checks/${id}`, { ...r.json, rectified: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rectified, true);
  assert.equal((await township.del(`${A}/spot-checks/${id}`)).status, 204);
  assert.equal((await township.get(`${A}/spot-checks?under=${v}&year=2026`)).json.items
    .filter((c) => c.id === id).length, 0);
});

test('evidence writes respect scope (404) and the viewer role (403)', async () => {
  let r = await township.put(`/api/v1/villages/${otherVillage}/periodic-ratings/2026Q1`, { score: 90 });
  assert.equal(r.status, 404, r.text);
  r = await township.post(`${A}/spot-checks`, { division_code: otherVillage, check_date: '2026-03-02',
    severity: 'minor', finding: 'x' });
  assert.equal(r.status, 404, r.text);
  r = await viewer.put(`/api/v1/villages/${ownVillages[0]}/periodic-ratings/2026Q1`, { score: 90 });
  assert.equal(r.status, 403, r.text);
  const stored = await county.get(`${A}/periodic-ratings?under=${otherVillage}&year=2026`);
  assert.equal(stored.json.total, 0);
});

test('bulk CSV import is all or nothing', async () => {
  const header = 'division_code,period,score,meetings_held,affairs_disclosures,finance_disclosed,petitions,note';
  const rows = ownVillages.slice(0, 4).map((v, i) => `${v},2026Q2,${70 + i},4,2,true,0,"备注,含逗号"`);
  const bad = [...rows];
  bad[2] = bad[2].replace(',2026Q2,72,', ',2026Q2,150,');
  const path = `${A}/evidence/periodic-ratings/import?format=csv`;
  let r = await township.request('POST', path, { raw: [header, ...bad].join('\n'), headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('rows[2].score'), r.text);
  const none = await township.get(`${A}/periodic-ratings?under=${demo.township.scope}&year=2026`);
  assert.equal(none.json.items.filter((x) => x.period === '2026Q2').length, 0);

  r = await township.request('POST', path, { raw: [header, ...rows].join('\r\n') + '\r\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { kind: 'periodic-ratings', rows: 4, inserted: 4, updated: 0 });
  const stored = await township.get(`${A}/periodic-ratings?under=${demo.township.scope}&year=2026`);
  const q2 = stored.json.items.filter((x) => x.period === '2026Q2');
  assert.equal(q2.length, 4);
  assert.equal(q2.find((x) => x.division_code === ownVillages[0]).note, '备注,含逗号');
  r = await township.request('POST', path, { raw: [header, ...rows].join('\n'), headers: { 'content-type': 'text/csv' } });
  assert.deepEqual(r.json, { kind: 'periodic-ratings', rows: 4, inserted: 0, updated: 4 });

  // JSON too; an unknown kind or format names the parameter.
  r = await township.request('POST', `${A}/evidence/satisfaction-surveys/import?format=json`,
    { raw: JSON.stringify([{ division_code: ownVillages[1], year: 2026, responses: 50, satisfied: 45 }]) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.inserted, 1);
  r = await township.request('POST', `${A}/evidence/nonsense/import`, { raw: '[]' });
  assert.deepEqual(fields(r), ['kind']);
  r = await township.request('POST', `${A}/evidence/spot-checks/import?format=xml`, { raw: '[]' });
  assert.deepEqual(fields(r), ['format']);
});

test('the import route takes a county-sized file; other routes keep the 1 MiB limit', async () => {
  const big = 'x'.repeat(1_500_000);
  let r = await township.request('POST', `${A}/evidence/spot-checks/import?format=csv`, { raw: big });
  assert.equal(r.status, 400, r.text);  // read and judged, not refused for its size
  r = await township.request('POST', `${A}/spot-checks`, { raw: big });
  assert.equal(r.status, 413, r.text);
});

let runId, runHashes;

test('a run by the county answers 201 with hashes, and verify reproduces them', async () => {
  const denied = await township.post(`${A}/runs`, { year: 2025 });
  assert.equal(denied.status, 403, denied.text);
  const bad = await county.post(`${A}/runs`, { year: 'twenty' });
  assert.deepEqual(fields(bad), ['year']);

  const r = await county.post(`${A}/runs`, { scope: '130624', year: 2025, sensitivity: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `${A}/runs/${r.json.id}`);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.year, 2025);
  // Every village-level unit with a Party organization (the demo describes 211 of 213).
  assert.ok(r.json.village_count > 200 && r.json.village_count <= 213, r.text);
  assert.match(r.json.input_hash, /^[0-9a-f]{16}$/);
  assert.match(r.json.output_hash, /^[0-9a-f]{16}$/);
  assert.equal(r.json.star_counts.reduce((a, b) => a + b, 0), r.json.village_count);
  assert.ok(r.json.stable_share > 0 && r.json.stable_share <= 1);
  runId = r.json.id;
  runHashes = [r.json.input_hash, r.json.output_hash];

  const v = await county.post(`${A}/runs/${runId}/verify`);
  assert.equal(v.status, 200, v.text);
  assert.deepEqual([v.json.input_hash, v.json.output_hash], runHashes);

  const again = await county.post(`${A}/runs`, { year: 2025 });
  assert.equal(again.status, 201, again.text);
  assert.deepEqual([again.json.input_hash, again.json.output_hash], runHashes);
  assert.equal((await county.del(`${A}/runs/${again.json.id}`)).status, 204);
  assert.equal((await county.get(`${A}/runs/${again.json.id}`)).status, 404);
  const listed = await county.get(`${A}/runs?year=2025`);
  assert.ok(listed.json.items.some((x) => x.id === runId));
});

test('results filter by stars and class; a village is explained; both ends', async () => {
  const run = (await county.get(`${A}/runs/${runId}`)).json;
  const stars = run.star_counts.findIndex((n, s) => s > 0 && n > 0);
  let r = await county.get(`${A}/runs/${runId}/results?stars=${stars}&page_size=500`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, run.star_counts[stars]);
  assert.ok(r.json.items.every((x) => x.stars === stars));

  r = await county.get(`${A}/runs/${runId}/results?class=weak_lax&page_size=500`);
  assert.equal(r.json.total, run.weak_lax_count);
  assert.ok(run.weak_lax_count > 0, 'the demo has weak-and-lax villages');
  for (const x of r.json.items) {
    assert.equal(x.rating_class, 'weak_lax');
    assert.ok(x.weak_lax.length > 0 || x.stars <= 1);
    for (const hit of x.weak_lax) assert.ok(hit.rule && hit.evidence, JSON.stringify(hit));
  }

  const ranked = (await county.get(`${A}/runs/${runId}/results?sort=rank&page_size=500`)).json.items;
  assert.equal(ranked.length, run.village_count);
  assert.deepEqual(ranked.map((x) => x.county_rank), [...ranked.map((x) => x.county_rank)].sort((a, b) => a - b));
  assert.equal((await county.get(`${A}/runs/${runId}/results?class=best`)).status, 400);
  const own = await township.get(`${A}/runs/${runId}/results?page_size=500`);
  assert.ok(own.json.total > 0 && own.json.total < run.village_count);
  assert.ok(own.json.items.every((x) => x.code.startsWith(demo.township.scope)));

  // The explanation of a village below the top star.
  const middle = ranked.filter((x) => x.stars >= 2 && x.stars < 5);
  assert.ok(middle.length > 0);
  let lifted = 0;
  for (const x of middle.slice(0, 5)) {
    const e = await county.get(`${A}/runs/${runId}/villages/${x.code}`);
    assert.equal(e.status, 200, e.text);
    assert.equal(e.json.village.code, x.code);
    assert.equal(e.json.village.lines.length, e.json.indicators.length);
    assert.ok(Array.isArray(e.json.village.gaps) && Array.isArray(e.json.village.lifts));
    const sum = e.json.village.lines.reduce((a, l) => a + l.contribution, 0);
    assert.ok(Math.abs(sum - e.json.village.score) < 1e-6, `${sum} vs ${e.json.village.score}`);
    lifted += e.json.village.lifts.length > 0 ? 1 : 0;
  }
  assert.ok(lifted > 0, 'some middle village has a single-indicator lift to the next star');
  assert.equal((await township.get(`${A}/runs/${runId}/villages/${otherVillage}`)).status, 404);

  const ends = await county.get(`${A}/runs/${runId}/both-ends`);
  assert.equal(ends.status, 200, ends.text);
  const countyEnds = ends.json.groups.find((g) => g.code === null);
  assert.ok(countyEnds.top.length > 0 && countyEnds.bottom.length > 0);
  assert.ok(ends.json.groups.length > 1, 'townships too');
  assert.ok(ends.json.names[countyEnds.top[0]]);
});

test('publish starts a 5-day notice; appeals; finalize waits for the notice', async () => {
  let r = await township.post(`${A}/runs/${runId}/publish`);
  assert.equal(r.status, 403, r.text);
  r = await county.post(`${A}/runs/${runId}/publish`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'published');
  assert.equal(r.json.notice_until, chinaDay(5));
  r = await county.post(`${A}/runs/${runId}/publish`);
  assert.equal(r.status, 409, r.text);

  const village = ownVillages[0];
  r = await township.post(`${A}/runs/${runId}/appeals`, { division_code: village, reason: '抽查问题已整改，请复核' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending');
  assert.equal(r.headers.get('location'), `${A}/appeals/${r.json.id}`);
  const appealId = r.json.id;
  r = await township.post(`${A}/runs/${runId}/appeals`, { division_code: village, reason: '再次申诉' });
  assert.equal(r.status, 409, r.text);
  r = await township.post(`${A}/runs/${runId}/appeals`, { division_code: otherVillage, reason: 'x' });
  assert.equal(r.status, 404, r.text);
  r = await township.post(`${A}/runs/${runId}/appeals`, { reason: '' });
  assert.equal(r.status, 400, r.text);

  const pending = await county.get(`${A}/appeals?run=${runId}&status=pending`);
  assert.deepEqual(pending.json.items.map((a) => a.id), [appealId]);
  r = await county.post(`${A}/runs/${runId}/finalize`);
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, /appeal/);

  r = await township.post(`${A}/appeals/${appealId}/decision`, { status: 'upheld', decision: '自己批准' });
  assert.equal(r.status, 403, r.text);
  r = await county.post(`${A}/appeals/${appealId}/decision`, { status: 'maybe', decision: 'x' });
  assert.deepEqual(fields(r), ['status']);
  r = await county.post(`${A}/appeals/${appealId}/decision`, { status: 'rejected', decision: '问题发生在考核年度内，维持原评定' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'rejected');
  assert.equal(r.json.decided_by, 'county_admin');
  assert.equal((await township.get(`${A}/appeals/${appealId}`)).json.status, 'rejected');

  // Every appeal is decided, but the notice runs for 5 more days.
  r = await county.post(`${A}/runs/${runId}/finalize`);
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, new RegExp(chinaDay(5)));
  // The CLI sees the same run on the same database.
  const listed = run(['--db', demo.db, 'assess', 'list', '--period', '2025']);
  assert.match(listed.stdout, new RegExp(`^\\s*${runId} 2025 130624\\s+published`, 'm'));
});

test('trend lists the published and final years', async () => {
  const r = await county.get(`${A}/trend`);
  assert.equal(r.status, 200, r.text);
  const years = r.json.items.map((p) => p.year);
  assert.deepEqual(years, [...years].sort());
  assert.ok(years.includes(2025));
  for (const p of r.json.items) assert.ok(p.mean_score > 0 && p.mean_score <= 100);
});

test('qiangji assess solve: the documented example, and a broken file exits 2 naming the field', () => {
  const example = join(repoRoot, 'docs', 'examples', 'assess-problem.json');
  const out = run(['assess', 'solve', example]);
  const result = JSON.parse(out.stdout);
  assert.match(result.input_hash, /^[0-9a-f]{16}$/);
  assert.match(result.output_hash, /^[0-9a-f]{16}$/);
  assert.ok(result.stable_share >= 0 && result.stable_share <= 1);
  assert.ok(result.mean_unchanged_share >= 0 && result.mean_unchanged_share <= 1);
  assert.ok(result.villages.every((v) => typeof v.change_probability === 'number'));
  assert.ok(result.weak_lax_count >= 1, 'the example has a weak-and-lax village');
  assert.ok(result.warning_count >= 1, 'the example has an early warning');
  // The committed result is what the binary gives today, bit for bit (same hashes).
  const committed = JSON.parse(readFileSync(join(repoRoot, 'docs', 'examples', 'assess-result.json'), 'utf8'));
  assert.equal(committed.input_hash, result.input_hash);
  assert.equal(committed.output_hash, result.output_hash);
  // -o writes the same result to a file.
  const written = join(demo.dir, 'result.json');
  run(['assess', 'solve', example, '-o', written]);
  assert.deepEqual(JSON.parse(readFileSync(written, 'utf8')), result);

  const broken = JSON.parse(readFileSync(example, 'utf8'));
  broken.villages[1].measures.no_such_measure = 3;
  broken.villages[2].measures.satisfaction_rate = 'high';
  const file = join(demo.dir, 'broken.json');
  writeFileSync(file, JSON.stringify(broken));
  const r = run(['assess', 'solve', file], { allowFail: true });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /villages\[1\]\.measures\.no_such_measure/);
  assert.match(r.stderr, /villages\[2\]\.measures\.satisfaction_rate/);
  writeFileSync(file, '{"year": 2025,');
  const malformed = run(['assess', 'solve', file], { allowFail: true });
  assert.equal(malformed.status, 2, malformed.stderr);
  assert.match(malformed.stderr, /not valid JSON/);
});

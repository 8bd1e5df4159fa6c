// Enterprise pairing through the API (企到村 / 企到企, issue 4 point 6): the register (masked
// phones, county-only writes, field errors with nothing stored, the all-or-nothing import), the
// demo's confirmed run of last year and its pairings on a village's page, a new run from creation
// to confirmation (targets with derived industries, the county's changes, capacities respected,
// reasons, reproducible hashes, dates), bad input (negative capacity, unknown industry, bad phone,
// a village out of scope: a 400 or 404 and nothing stored), and `qiangji pairing` on the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, startServer, loginAs, run } from '../harness/server.mjs';

let demo, server, county, township;
const E = '/api/v1/enterprises';
const P = '/api/v1/pairing';

before(async () => {
  demo = makeDemo();
  server = await startServer(demo.db);
  county = await loginAs(server.url, demo.county);
  township = await loginAs(server.url, demo.township);
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

function fields(r) { return (r.json?.errors ?? []).map((e) => e.field); }

function firm(over = {}) {
  return {
    name: '阜平县测试农产品有限公司', ownership: 'private', industries: ['food_processing', 'planting_breeding'],
    location_code: '130624', preferred_areas: [], capacity_villages: 2, capacity_firms: 1,
    contact_name: '测试经理', contact_phone: '13900001111', available: true, note: '', ...over,
  };
}

async function enterpriseTotal() {
  const r = await county.get(`${E}?page_size=1`);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

async function runCount() {
  return (await county.get(`${P}/runs`)).json.items.length;
}

test('the demo register: sixteen enterprises with masked phones, readable by a township', async () => {
  const r = await county.get(`${E}?page_size=100`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 16);
  const owners = r.json.items.map((e) => e.ownership);
  assert.ok(owners.filter((o) => o === 'state').length >= 3);
  assert.ok(owners.filter((o) => o === 'private').length > 8);
  assert.ok(r.json.items.some((e) => e.location_code === '130600000000'), 'firms of the prefecture city');
  for (const e of r.json.items) {
    assert.match(e.contact_phone, /^\d{3}\*{4}\d{4}$/, e.name);
    assert.ok(e.industries.length >= 1);
    assert.match(e.county_code, /^130624000000$/);
  }
  const energy = await county.get(`${E}?industry=energy`);
  assert.ok(energy.json.items.length > 0);
  for (const e of energy.json.items) assert.ok(e.industries.includes('energy'));
  const state = await county.get(`${E}?ownership=state`);
  for (const e of state.json.items) assert.equal(e.ownership, 'state');
  const theirs = await township.get(`${E}?page_size=1`);
  assert.equal(theirs.status, 200, theirs.text);
  assert.equal(theirs.json.total, 16);
  const bad = await county.get(`${E}?industry=mining`);
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad), ['industry']);
  const vocab = await county.get(`${P}/vocabulary`);
  assert.equal(vocab.status, 200, vocab.text);
  assert.equal(vocab.json.industries.length, 11);
  assert.ok(vocab.json.keywords.some((k) => k.word === '食用菌' && k.industry === 'food_processing'));
});

test('an enterprise is created with its phone masked; bad input stores nothing', async () => {
  const n0 = await enterpriseTotal();
  const body = firm();
  const r = await county.post(E, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `${E}/${r.json.id}`);
  assert.equal(r.json.contact_phone, '139****1111');
  assert.ok(!r.text.includes(body.contact_phone), 'the plain phone never comes back');
  assert.equal(r.json.location_code, '130624000000', 'a short location is padded');
  assert.equal(r.json.county_code, '130624000000');

  // What the UI does on an edit: send back what it was shown, the masked phone included.
  const shown = (await county.get(`${E}/${r.json.id}`)).json;
  const edit = await county.put(`${E}/${r.json.id}`, { ...shown, capacity_villages: 3 });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.json.capacity_villages, 3);
  assert.equal(edit.json.contact_phone, '139****1111', 'the stored phone is kept');
  const mismatch = await county.put(`${E}/${r.json.id}`, { ...shown, id: r.json.id + 1 });
  assert.equal(mismatch.status, 400, mismatch.text);
  assert.deepEqual(fields(mismatch), ['id']);

  const bad = await county.post(E, firm({
    name: '阜平县坏数据公司', capacity_villages: -1, capacity_firms: 30, industries: ['mining'],
    contact_phone: '12345', preferred_areas: ['130624100201'], location_code: '99',
  }));
  assert.equal(bad.status, 400, bad.text);
  for (const f of ['capacity_villages', 'capacity_firms', 'industries[0]', 'contact_phone', 'preferred_areas[0]', 'location_code'])
    assert.ok(fields(bad).includes(f), `${f} in ${bad.text}`);
  const unknown = await county.post(E, firm({ name: '阜平县多字段公司', size: 'big' }));
  assert.equal(unknown.status, 400, unknown.text);
  assert.deepEqual(fields(unknown), ['size']);
  const twice = await county.post(E, firm());
  assert.equal(twice.status, 409, twice.text);
  const denied = await township.post(E, firm({ name: '阜平县乡镇企业' }));
  assert.equal(denied.status, 403, denied.text);
  assert.equal(await enterpriseTotal(), n0 + 1);
});

test('the import is all or nothing, with errors by row', async () => {
  const n0 = await enterpriseTotal();
  const header = 'name,ownership,industries,location_code,preferred_areas,capacity_villages,capacity_firms,contact_phone\n';
  const bad = header +
    '阜平县导入一公司,private,food_processing;energy,130624100,130624100,2,1,13900002222\n' +
    '阜平县导入二公司,private,energy,130624,,-2,0,\n' +
    '阜平县导入三公司,state,mining,130624,,1,0,\n';
  const r = await county.request('POST', `${E}/import?format=csv`, { raw: bad, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('rows[1].capacity_villages'), r.text);
  assert.ok(fields(r).includes('rows[2].industries[0]'), r.text);
  assert.ok(!fields(r).some((f) => f.startsWith('rows[0]')), r.text);
  assert.equal(await enterpriseTotal(), n0);

  const good = header +
    '阜平县导入一公司,private,food_processing;energy,130624100,130624100,2,1,13900002222\n' +
    '保定市导入二公司,state,finance,1306,130624,1,1,\n';
  const ok = await county.request('POST', `${E}/import?format=csv`, { raw: good, headers: { 'content-type': 'text/csv' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.created, 2);
  assert.equal(await enterpriseTotal(), n0 + 2);
  const again = await county.request('POST', `${E}/import?format=csv`, { raw: good, headers: { 'content-type': 'text/csv' } });
  assert.equal(again.status, 400, again.text);
  assert.ok(fields(again).includes('rows[0].name'));
  assert.equal(await enterpriseTotal(), n0 + 2);
});

test('last year\'s confirmed run: dated pairings, shown on the village\'s page', async () => {
  const runs = (await county.get(`${P}/runs`)).json.items;
  const confirmed = runs.find((r) => r.status === 'confirmed');
  assert.ok(confirmed, JSON.stringify(runs));
  assert.ok(runs.some((r) => r.status === 'draft'), 'this year\'s run is drafted');
  const result = await county.get(`${P}/runs/${confirmed.id}/result`);
  assert.equal(result.status, 200, result.text);
  assert.ok(result.json.pairs.length > 0);
  for (const p of result.json.pairs) {
    assert.equal(p.start_date, confirmed.start_date);
    const end = new Date(`${p.start_date}T00:00:00Z`);
    end.setUTCFullYear(end.getUTCFullYear() + 2);
    assert.equal(p.end_date, end.toISOString().slice(0, 10));
    assert.ok(p.reasons.some((s) => s.startsWith('产业相符：')), p.reasons.join('；'));
    assert.ok(p.reasons.some((s) => /优先度\d+/.test(s)));
  }
  const current = await county.get(`${P}/pairings`);
  assert.equal(current.status, 200, current.text);
  assert.equal(current.json.items.length, result.json.pairs.length);
  const one = result.json.pairs[0];
  const page = await county.get(`${P}/pairings?under=${one.division_code}`);
  assert.ok(page.json.items.some((x) => x.enterprise_id === one.enterprise_id && x.kind === one.kind && x.current));
  for (const x of page.json.items) assert.equal(x.division_code, one.division_code);
  // A township sees its own villages' pairings only; another village's is a 404.
  const own = await township.get(`${P}/pairings`);
  assert.equal(own.status, 200, own.text);
  for (const x of own.json.items) assert.ok(x.division_code.startsWith(demo.township.scope));
  const outside = result.json.pairs.find((p) => !p.division_code.startsWith(demo.township.scope));
  if (outside) {
    const r = await township.get(`${P}/pairings?under=${outside.division_code}`);
    assert.equal(r.status, 404, r.text);
  }
});

let created; // the run made below
let firstRun;

test('a run is created with targets whose industries are read from the villages\' words', async () => {
  const n0 = await runCount();
  const bad = await county.post(`${P}/runs`, {
    name: '', start_date: '2026-13-01',
    params: { weights: { industry: 2, area: -1 }, min_priority: 120, kinds: ['firm'] },
  });
  assert.equal(bad.status, 400, bad.text);
  for (const f of ['name', 'start_date'])
    assert.ok(fields(bad).includes(f), `${f} in ${bad.text}`);
  const bad2 = await county.post(`${P}/runs`, {
    name: '坏参数', start_date: '2026-07-01',
    params: { weights: { industry: 2, area: -1 }, min_priority: 120, kinds: ['firm'] },
  });
  assert.equal(bad2.status, 400, bad2.text);
  for (const f of ['params.weights.industry', 'params.weights.area', 'params.min_priority', 'params.kinds[0]'])
    assert.ok(fields(bad2).includes(f), `${f} in ${bad2.text}`);
  const denied = await township.post(`${P}/runs`, { name: '乡镇方案', start_date: '2026-07-01' });
  assert.equal(denied.status, 403, denied.text);
  assert.equal(await runCount(), n0);

  const start = new Date(Date.now() + 8 * 3600e3);
  start.setUTCFullYear(start.getUTCFullYear() + 3);  // after last year's pairings end: all capacity free
  const r = await county.post(`${P}/runs`, {
    name: '测试结对方案', start_date: start.toISOString().slice(0, 10), params: { min_priority: 0 },
  });
  assert.equal(r.status, 201, r.text);
  created = r.json;
  assert.equal(created.status, 'draft');
  assert.ok(created.targets > 0);
  assert.equal(r.headers.get('location'), `${P}/runs/${created.id}`);
  const targets = (await county.get(`${P}/runs/${created.id}/targets`)).json.items;
  assert.equal(targets.length, created.targets);
  assert.ok(targets.some((x) => x.kind === 'village') && targets.some((x) => x.kind === 'collective'));
  for (const x of targets) {
    assert.equal(x.derived, true);
    assert.equal(x.included, true);
    // Every derived industry comes from one of the village's own words.
    for (const i of x.industries) assert.ok(x.matches.some((m) => m.industry === i && x.main_industries.includes(m.text)), JSON.stringify(x));
    if (x.kind === 'collective') assert.match(x.division_code, /[23]\d\d$/, 'only villagers\' committees have a collective');
  }
  const mushroom = targets.find((x) => x.main_industries.includes('食用菌'));
  assert.ok(mushroom, 'the demo county grows mushrooms');
  assert.ok(mushroom.industries.includes('planting_breeding') && mushroom.industries.includes('food_processing'));
  const own = (await township.get(`${P}/runs/${created.id}/targets`)).json.items;
  assert.ok(own.length > 0 && own.length < targets.length);
  for (const x of own) assert.ok(x.division_code.startsWith(demo.township.scope));
});

test('target changes: field errors, scope, and the county\'s industries', async () => {
  const targets = (await county.get(`${P}/runs/${created.id}/targets`)).json.items;
  const x = targets.find((t) => t.kind === 'village');
  const path = `${P}/runs/${created.id}/targets/${x.division_code}/village`;
  const bad = await county.put(path, { industries: ['mining', 'energy', 'energy'] });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad).sort(), ['industries[0]', 'industries[2]']);
  const kind = await county.put(`${P}/runs/${created.id}/targets/${x.division_code}/firm`, { included: false });
  assert.equal(kind.status, 400, kind.text);
  assert.deepEqual(fields(kind), ['kind']);
  const elsewhere = await county.put(`${P}/runs/${created.id}/targets/130625100201/village`, { included: false });
  assert.equal(elsewhere.status, 404, elsewhere.text);
  const denied = await township.put(path, { included: false });
  assert.ok(denied.status === 403 || denied.status === 404, denied.text);
  const unchanged = (await county.get(`${P}/runs/${created.id}/targets`)).json.items.find((t) => t.division_code === x.division_code && t.kind === 'village');
  assert.deepEqual(unchanged, x, 'nothing stored');

  const set = await county.put(path, { industries: ['trade_services'] });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.derived, false);
  assert.deepEqual(set.json.industries, ['trade_services']);
  const back = await county.put(path, { industries: null });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.derived, true);
  assert.deepEqual(back.json.industries, x.industries);
});

test('running pairs within capacities, with reasons, and reproduces its hashes', async () => {
  const r = await county.post(`${P}/runs/${created.id}/run`);
  assert.equal(r.status, 200, r.text);
  firstRun = r.json;
  assert.equal(firstRun.run.status, 'matched');
  assert.ok(firstRun.pairs.length > 0);
  assert.equal(firstRun.totals.covered, firstRun.pairs.length);
  assert.equal(firstRun.pairs.length + firstRun.unpaired.length, firstRun.totals.targets);
  const seen = new Set();
  const use = new Map();
  for (const p of firstRun.pairs) {
    const key = `${p.division_code}/${p.kind}`;
    assert.ok(!seen.has(key), `${key} paired twice`);
    seen.add(key);
    const u = use.get(p.enterprise_id) || { village: 0, collective: 0 };
    u[p.kind] += 1;
    use.set(p.enterprise_id, u);
    const b = p.breakdown;
    assert.ok(Math.abs(p.score - (b.industry_term + b.area_term + b.priority_term)) < 1e-5, JSON.stringify(p));
    assert.ok(b.common.length > 0, 'the default rule: an industry in common');
    assert.ok(p.reasons[0].startsWith('产业相符：'), p.reasons[0]);
    assert.equal(p.start_date, null);
  }
  for (const e of firstRun.enterprises) {
    const u = use.get(e.enterprise_id) || { village: 0, collective: 0 };
    assert.equal(e.used_villages, u.village);
    assert.equal(e.used_firms, u.collective);
    assert.ok(e.used_villages + e.held_villages <= e.capacity_villages, JSON.stringify(e));
    assert.ok(e.used_firms + e.held_firms <= e.capacity_firms, JSON.stringify(e));
  }
  const reasons = new Set(['no_enterprise', 'no_industry', 'no_industry_match', 'capacity_used', 'already_paired']);
  for (const u of firstRun.unpaired) {
    assert.ok(reasons.has(u.reason), u.reason);
    assert.ok(u.text.length > 0);
    if (u.reason === 'capacity_used') {
      // Every enterprise it could have had is full.
      for (const id of u.candidates) {
        const e = firstRun.enterprises.find((x) => x.enterprise_id === id);
        const left = u.kind === 'village' ? e.capacity_villages - e.held_villages - e.used_villages : e.capacity_firms - e.held_firms - e.used_firms;
        assert.equal(left, 0, `${u.name}: ${e.name} still has room`);
      }
    }
  }
  const again = await county.post(`${P}/runs/${created.id}/run`);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.input_hash, firstRun.input_hash);
  assert.equal(again.json.output_hash, firstRun.output_hash);
  const stored = await county.get(`${P}/runs/${created.id}/result`);
  assert.deepEqual(stored.json.pairs, again.json.pairs);
  // A township sees its own villages in the result, and may not run it.
  const own = await township.get(`${P}/runs/${created.id}/result`);
  assert.equal(own.status, 200, own.text);
  for (const p of own.json.pairs) assert.ok(p.division_code.startsWith(demo.township.scope));
  const denied = await township.post(`${P}/runs/${created.id}/run`);
  assert.equal(denied.status, 403, denied.text);
});

test('confirming dates the pairings for two years; a confirmed run is final', async () => {
  const before = (await county.get(`${P}/pairings?current=false`)).json.items.length;
  const r = await county.post(`${P}/runs/${created.id}/confirm`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.run.status, 'confirmed');
  assert.equal(r.json.pairs.length, firstRun.pairs.length);
  for (const p of r.json.pairs) {
    assert.equal(p.start_date, created.start_date);
    assert.equal(Number(p.end_date.slice(0, 4)), Number(p.start_date.slice(0, 4)) + 2);
  }
  const after = (await county.get(`${P}/pairings?current=false`)).json.items;
  assert.equal(after.length, before + firstRun.pairs.length);
  assert.ok(after.filter((x) => x.run_id === created.id).every((x) => !x.current), 'they start in the future');
  assert.equal((await county.post(`${P}/runs/${created.id}/confirm`)).status, 409);
  assert.equal((await county.post(`${P}/runs/${created.id}/run`)).status, 409);
  assert.equal((await county.del(`${P}/runs/${created.id}`)).status, 409);
  const x = firstRun.pairs[0];
  const late = await county.put(`${P}/runs/${created.id}/targets/${x.division_code}/${x.kind}`, { included: false });
  assert.equal(late.status, 409, late.text);
  const bad = await county.get(`${P}/pairings?current=maybe`);
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad), ['current']);
});

test('qiangji pairing list | run | import-enterprises on the database', async () => {
  const list = run(['--db', demo.db, 'pairing', 'list']).stdout;
  assert.match(list, /测试结对方案/);
  assert.match(list, /confirmed/);
  const draft = (await county.get(`${P}/runs`)).json.items.find((r) => r.status === 'draft');
  assert.ok(draft, 'the demo\'s draft is still there');
  const out = run(['--db', demo.db, 'pairing', 'run', '--run', String(draft.id), '--json']).stdout;
  const result = JSON.parse(out);
  assert.equal(result.run.status, 'matched');
  assert.equal(result.totals.targets, result.pairs.length + result.unpaired.length);
  const text = run(['--db', demo.db, 'pairing', 'run', '--run', String(draft.id)]).stdout;
  assert.match(text, new RegExp(`output hash\\s+${result.output_hash}`), 'a rerun of the same input reproduces the hash');
  const missing = run(['--db', demo.db, 'pairing', 'run', '--run', '99999'], { allowFail: true });
  assert.notEqual(missing.status, 0);

  const file = join(demo.dir, 'enterprises.json');
  writeFileSync(file, JSON.stringify([firm({ name: '阜平县命令行导入公司' })]));
  assert.match(run(['--db', demo.db, 'pairing', 'import-enterprises', file]).stdout, /imported 1 enterprises into the register of 130624/);
  writeFileSync(file, JSON.stringify([firm({ name: '阜平县命令行坏公司', capacity_villages: -5 })]));
  const refused = run(['--db', demo.db, 'pairing', 'import-enterprises', file], { allowFail: true });
  assert.equal(refused.status, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /rows\[0\]\.capacity_villages/);
});

// Dispatch through the API (issue 4): village needs with reasons and priorities, the cadre pool
// (masked ID numbers, county-only writes, all-or-nothing import), rounds with their bad input (a
// clear 400 naming the field and nothing stored), the demo's open round run with the stability
// certificate and reproducible hashes, confirmation appointing first secretaries, the terms
// list flagging terms near expiry, and `qiangji dispatch run --round` on the database. Then the
// other roles (docs/dispatch.md §4): the demo's rounds of every role, a circuit round end to
// end (circuits by township and work type, balanced shares within the capacity, one instructor
// post per village), its bad input (capacity 0, an unknown circuit id), and the tracking round's
// projects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, startServer, loginAs, run } from '../harness/server.mjs';

let demo, server, county, township, openRound, roundCadres, roundVillages;
const D = '/api/v1/dispatch';

before(async () => {
  demo = makeDemo();
  server = await startServer(demo.db);
  county = await loginAs(server.url, demo.county);
  township = await loginAs(server.url, demo.township);
  const rounds = await county.get(`${D}/rounds`);
  assert.equal(rounds.status, 200, rounds.text);
  openRound = rounds.json.items.find((r) => r.status === 'preferences_open' && r.role === 'first_secretary');
  assert.ok(openRound, `the demo has a first-secretary round open for preferences: ${rounds.text}`);
  roundCadres = (await county.get(`${D}/rounds/${openRound.id}/cadres`)).json.items;
  roundVillages = (await county.get(`${D}/rounds/${openRound.id}/villages`)).json.items;
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

function fields(r) { return (r.json?.errors ?? []).map((e) => e.field); }

// A synthetic GB 11643 ID number with a valid check digit (odd sequence = male).
let serial = 0;
function idNumber(region = '130624', birth = '19860412', male = true) {
  serial += 1;
  const seq = String((serial * 2 + (male ? 1 : 0)) % 1000).padStart(3, '0');
  const body = `${region}${birth}${seq}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function cadreBody(over = {}) {
  return {
    name: '测试干部', sex: 'male', birth_date: '1986-04-12', id_number: idNumber(),
    phone: '13800001234', sending_unit: '县农业农村局', unit_kind: 'party_agency',
    skills: ['agronomy', 'industry'], home_code: '130100000000', term_months: 24, ...over,
  };
}

async function cadreTotal() {
  const r = await county.get(`${D}/cadres?page_size=1`);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

async function roundCount() {
  return (await county.get(`${D}/rounds`)).json.items.length;
}

async function preferenceOf(side, owner) {
  const path = side === 'cadre' ? 'cadres' : 'villages';
  const items = (await county.get(`${D}/rounds/${openRound.id}/${path}`)).json.items;
  const key = side === 'cadre' ? 'id' : 'division_code';
  return items.find((x) => x[key] === owner)?.preference ?? null;
}

test('needs list every village with reasons and a priority, highest first', async () => {
  const r = await county.get(`${D}/needs`);
  assert.equal(r.status, 200, r.text);
  const v = r.json.villages;
  assert.ok(v.length > 50, `a county's villages: ${v.length}`);
  for (let i = 1; i < v.length; i++) assert.ok(v[i - 1].priority >= v[i].priority, 'sorted by priority');
  for (const n of v) {
    assert.match(n.division_code, /^130624\d{6}$/);
    assert.ok(n.priority >= 0 && n.priority <= 100);
    const sum = n.reasons.reduce((s, x) => s + x.points, 0);
    assert.ok(Math.abs(Math.min(100, sum) - n.priority) < 0.051, `${n.name}: ${sum} vs ${n.priority}`);
    for (let i = 1; i < n.reasons.length; i++) assert.ok(n.reasons[i - 1].points >= n.reasons[i].points);
    for (const x of n.reasons) assert.ok(x.evidence.length > 0 && x.source.length > 0);
  }
  const top = v[0];
  assert.ok(top.reasons.length > 0 && top.priority > 0);
  // The seed's rule: every weak-and-lax and every key village needs a first secretary.
  const ruled = v.filter((n) => n.reasons.some((x) => x.source === 'weak_lax' || x.source === 'key_village'));
  assert.ok(ruled.length > 0);
  for (const n of ruled) assert.equal(n.needs_first_secretary, true, n.name);
  const towns = r.json.by_township;
  assert.equal(towns.reduce((s, t) => s + t.villages, 0), v.length);
  assert.equal(towns.reduce((s, t) => s + t.needing, 0), v.filter((n) => n.needs_first_secretary).length);

  const filtered = await county.get(`${D}/needs?min_priority=40&without_first_secretary=true`);
  assert.equal(filtered.status, 200, filtered.text);
  for (const n of filtered.json.villages) {
    assert.ok(n.priority >= 40);
    assert.equal(n.has_first_secretary, false);
  }
  const own = await township.get(`${D}/needs`);
  assert.equal(own.status, 200, own.text);
  assert.ok(own.json.villages.length > 0);
  for (const n of own.json.villages) assert.ok(n.division_code.startsWith(demo.township.scope));

  const bad = await county.get(`${D}/needs?min_priority=abc`);
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad), ['min_priority']);
});

test('needs name the posts each village needs: first secretary, circuit instructor by work type, tracking per open project, advisor', async () => {
  const v = (await county.get(`${D}/needs`)).json.villages;
  const terms = (await county.get(`${D}/terms`)).json.items.filter((x) => x.current)
  const holding = (kind) => new Set(terms.filter((x) => x.post_kind === kind).map((x) => x.division_code))
  const instructed = holding('instructor')
  const advised = holding('advisor')
  const today = new Date().toISOString().slice(0, 10)
  const open = (await county.get('/api/v1/projects')).json.items.filter(
    (p) => (p.status === 'planned' || p.status === 'underway') && p.end_date > today)
  const roles = (n, role) => n.posts.filter((p) => p.role === role)
  let tracking = 0
  for (const n of v) {
    assert.equal(roles(n, 'first_secretary').length, n.needs_first_secretary && !n.has_first_secretary ? 1 : 0, n.name)
    const circuit = roles(n, 'instructor_circuit')
    assert.equal(circuit.length, n.priority >= 30 && !instructed.has(n.division_code) ? 1 : 0, n.name)
    if (circuit.length) {
      const most = Math.max(...n.skills.map((s) => s.weight))
      assert.ok(n.skills.some((s) => s.skill === circuit[0].work_type && s.weight === most), `${n.name}: ${circuit[0].work_type} is a most-needed work type`)
    }
    assert.equal(roles(n, 'advisor').length, n.priority >= 30 && !advised.has(n.division_code) ? 1 : 0, n.name)
    for (const p of roles(n, 'instructor_tracking')) {
      const project = open.find((x) => x.id === p.project_id)
      assert.ok(project, `project ${p.project_id} is open`)
      assert.equal(project.division_code, n.division_code)
      assert.equal(p.work_type, project.work_type)
      assert.equal(p.project_name, project.name)
      tracking++
    }
  }
  // The demo's tracking round is still open, so no open project is followed yet.
  assert.equal(tracking, open.length)
  assert.ok(v.some((n) => roles(n, 'instructor_circuit').length) && v.some((n) => roles(n, 'advisor').length))
  assert.ok(instructed.size > 0 && v.every((n) => !instructed.has(n.division_code) || !roles(n, 'instructor_circuit').length))
});

test('a cadre is created with the ID number and phone masked; a township may not', async () => {
  const n0 = await cadreTotal();
  const body = cadreBody({ name: '掩码测试' });
  const r = await county.post(`${D}/cadres`, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `${D}/cadres/${r.json.id}`);
  assert.notEqual(r.json.id_number, body.id_number);
  assert.match(r.json.id_number, /^\d{3}\*+[\dX]{4}$/);
  assert.ok(!r.text.includes(body.id_number), 'the plain ID number never comes back');
  assert.ok(!r.text.includes(body.phone), 'nor the plain phone');
  assert.equal(r.json.county_code, '130624000000');
  assert.deepEqual(r.json.skills, ['agronomy', 'industry']);
  const got = await township.get(`${D}/cadres/${r.json.id}`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.id_number, r.json.id_number);
  const found = await county.get(`${D}/cadres?q=${encodeURIComponent('掩码测试')}`);
  assert.equal(found.json.total, 1);

  const put = await county.put(`${D}/cadres/${r.json.id}`, { ...body, id: r.json.id, note: '已谈话' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.note, '已谈话');
  // What the UI does: send back the record as shown, masked ID number and phone included.
  const shown = (await county.get(`${D}/cadres/${r.json.id}`)).json;
  const edit = await county.put(`${D}/cadres/${r.json.id}`, { ...shown, term_months: 36 });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.json.term_months, 36);
  assert.equal(edit.json.id_number, r.json.id_number, 'the stored ID number is kept');

  const denied = await township.post(`${D}/cadres`, cadreBody());
  assert.equal(denied.status, 403, denied.text);
  assert.equal(await cadreTotal(), n0 + 1);
});

test('bad cadres are a 400 naming the field, and nothing is stored', async () => {
  const n0 = await cadreTotal();
  let r = await county.post(`${D}/cadres`, cadreBody({ skills: ['agronomy', 'cooking'] }));
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('skills[1]'), r.text);
  r = await county.post(`${D}/cadres`, cadreBody({ term_months: 0 }));
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('term_months'), r.text);
  r = await county.post(`${D}/cadres`, cadreBody({ id_number: '130624198604121234' }));
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('id_number'), r.text);
  r = await county.get(`${D}/cadres?skill=cooking`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['skill']);

  // Import is all or nothing: one bad row stores none.
  const header = 'name,sex,birth_date,id_number,sending_unit,unit_kind,skills,home_code,term_months';
  const row = (name, skills) =>
    `${name},male,1986-04-12,${idNumber()},县水利局,public_institution,${skills},130100000000,24`;
  const badCsv = [header, row('导入甲', 'planning_construction;finance'), row('导入乙', 'juggling')].join('\n');
  r = await county.request('POST', `${D}/cadres/import?format=csv`, { raw: badCsv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).some((f) => f.startsWith('rows[1].skills')), r.text);
  assert.equal(await cadreTotal(), n0);
  const goodCsv = [header, row('导入甲', 'planning_construction;finance'), row('导入乙', 'e_commerce')].join('\n');
  r = await county.request('POST', `${D}/cadres/import?format=csv`, { raw: goodCsv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { created: 2 });
  assert.equal(await cadreTotal(), n0 + 2);
  r = await county.request('POST', `${D}/cadres/import?format=xml`, { raw: goodCsv });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['format']);
});

test('bad round fields are a 400 naming the field; a township may not create rounds', async () => {
  const n0 = await roundCount();
  const good = { name: '测试轮次', start_date: '2027-03-01', mode: 'stable', proposing: 'people', seed: 7 };
  const cases = [
    [{ ...good, mode: 'fastest' }, 'mode'],
    [{ ...good, proposing: 'nobody' }, 'proposing'],
    [{ ...good, rules: { max_per_unit_per_township: -1 } }, 'rules.max_per_unit_per_township'],
    [{ ...good, rules: { min_priority: 120 } }, 'rules.min_priority'],
    [{ ...good, start_date: '2027-02-30' }, 'start_date'],
    [{ ...good, name: undefined }, 'name'],
    [{ ...good, scope: '1306' }, 'scope'],
  ];
  for (const [body, field] of cases) {
    const r = await county.post(`${D}/rounds`, body);
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.ok(fields(r).includes(field), `${field}: ${r.text}`);
  }
  const denied = await township.post(`${D}/rounds`, good);
  assert.equal(denied.status, 403, denied.text);
  assert.equal(await roundCount(), n0);

  // A good one is a draft, and a draft may be deleted.
  const created = await county.post(`${D}/rounds`, good);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.status, 'draft');
  assert.equal(created.json.scope, '130624');
  assert.equal(created.headers.get('location'), `${D}/rounds/${created.json.id}`);
  assert.equal((await county.del(`${D}/rounds/${created.json.id}`)).status, 204);
  assert.equal((await county.get(`${D}/rounds/${created.json.id}`)).status, 404);
  assert.equal(await roundCount(), n0);
});

test('a rank list naming an unknown person, a repeat or an excluded pair is a 400, and nothing is stored', async () => {
  assert.ok(roundCadres.length >= 2 && roundVillages.length >= 2);
  const village = roundVillages[0].division_code;
  // Two cadres from outside the county, whom the avoidance rule lets the county's villages rank.
  const [c1, c2] = roundCadres.filter((c) => !c.home_code.startsWith('130624'));
  const before = await preferenceOf('village', village);
  const put = (body, side = 'village', owner = village) =>
    county.put(`${D}/rounds/${openRound.id}/preferences/${side}/${owner}`, body);

  let r = await put({ tiers: [[c1.id, 99999999]] });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['tiers[0][1]']);
  assert.match(r.json.errors[0].message, /99999999/);

  r = await put({ tiers: [[c1.id], [c2.id, c1.id]] });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['tiers[1][1]']);
  assert.match(r.json.errors[0].message, /twice/);

  r = await put({ side: 'cadre', tiers: [[c1.id]] });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['side']);

  r = await put({ tiers: [[c1.id]] }, 'mayor', village);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['side']);

  // A cadre's list naming a village that is not in the round.
  const outsider = (await county.get('/api/v1/villages?page_size=500')).json.items
    .map((x) => x.code).find((code) => !roundVillages.some((v) => v.division_code === code));
  r = await put({ tiers: [[village], [outsider]] }, 'cadre', c1.id);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['tiers[1][0]']);

  // The avoidance rule: a cadre whose home is in this county may not be ranked by its villages
  // nor rank them. The round reads the pool as it is, so a cadre moved home counts at once.
  assert.equal(openRound.rules.avoid_home_county, true);
  let local = roundCadres.find((c) => c.home_code.startsWith('130624'));
  if (!local) {
    const other = roundCadres.find((c) => c.id !== c1.id && c.id !== c2.id);
    const moved = await county.put(`${D}/cadres/${other.id}`, { ...(await county.get(`${D}/cadres/${other.id}`)).json, home_code: '130624100000' });
    assert.equal(moved.status, 200, moved.text);
    local = moved.json;
  }
  r = await put({ tiers: [[c1.id], [local.id]] });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['tiers[1][0]']);
  assert.match(r.json.errors[0].message, /任职回避/);
  r = await put({ tiers: [[village]] }, 'cadre', local.id);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['tiers[0][0]']);
  assert.deepEqual(await preferenceOf('village', village), before);

  // Township staff enter their own villages' lists only, never a cadre's.
  r = await township.put(`${D}/rounds/${openRound.id}/preferences/cadre/${c1.id}`, { tiers: [[village]] });
  assert.equal(r.status, 403, r.text);

  // A good list is stored as submitted (not derived), ties kept in one tier.
  r = await put({ tiers: [[c2.id, c1.id]] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.tiers, [[c2.id, c1.id]]);
  assert.equal(r.json.derived, false);
  assert.equal(r.json.owner, village);
  assert.deepEqual((await preferenceOf('village', village)).tiers, [[c2.id, c1.id]]);
});

test('lists come in bulk from a CSV: ranks make tiers, each list replaces its owner\'s, and a bad row stores nothing', async () => {
  const [c1, c2, c3] = roundCadres.filter((c) => !c.home_code.startsWith('130624'));
  const [v1, v2] = roundVillages.map((v) => v.division_code);
  const path = `${D}/rounds/${openRound.id}/preferences/import?format=csv`;
  const send = (csv, who = county) => who.request('POST', path, { raw: csv, headers: { 'content-type': 'text/csv' } });
  const before1 = await preferenceOf('village', v1);
  const beforeC = await preferenceOf('cadre', c1.id);

  // An unknown member in one list and a bad rank in another: every row named, nothing stored.
  let r = await send(`side,owner,rank,member\nvillage,${v1},1,${c1.id}\nvillage,${v1},2,99999999\ncadre,${c1.id},0,${v2}\n`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rows[2].rank']);
  r = await send(`side,owner,rank,member\nvillage,${v1},1,${c1.id}\nvillage,${v1},2,99999999\ncadre,${c1.id},1,${v2}\n`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rows[1].member']);
  assert.match(r.json.errors[0].message, /99999999/);
  assert.deepEqual(await preferenceOf('village', v1), before1);
  assert.deepEqual(await preferenceOf('cadre', c1.id), beforeC, 'the good list of the same file was not stored either');
  // A repeat inside one list names the second row.
  r = await send(`side,owner,rank,member\nvillage,${v2},1,${c2.id}\nvillage,${v2},3,${c2.id}\n`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['rows[1].member']);
  assert.match(r.json.errors[0].message, /twice/);
  // Township staff may not enter a cadre's list, in bulk either.
  r = await send(`side,owner,rank,member\ncadre,${c1.id},1,${v1}\n`, township);
  assert.equal(r.status, 403, r.text);

  // A good file: equal ranks are a tie, gaps in ranks do not matter, rows in any order.
  r = await send(`side,owner,rank,member\nvillage,${v1},5,${c3.id}\nvillage,${v1},1,${c2.id}\nvillage,${v1},1,${c1.id}\ncadre,${c1.id},1,${v2}\ncadre,${c1.id},2,${v1}\n`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { lists: 2, rows: 5 });
  const stored = await preferenceOf('village', v1);
  assert.deepEqual(stored.tiers, [[c2.id, c1.id], [c3.id]]);
  assert.equal(stored.derived, false);
  assert.deepEqual((await preferenceOf('cadre', c1.id)).tiers, [[v2], [v1]]);
});

let firstRun;
test("the demo's open round runs stable, lists the unmatched with reasons, and reruns to the same hashes", async () => {
  const r = await county.post(`${D}/rounds/${openRound.id}/run`);
  assert.equal(r.status, 200, r.text);
  const res = r.json;
  firstRun = res;
  assert.equal(res.round.status, 'matched');
  assert.equal(res.certificate.blocking_pairs, 0);
  assert.equal(res.certificate.stable, true);
  assert.ok(res.certificate.checked_pairs > 0);
  assert.ok(res.assignments.length > 0);
  assert.equal(res.totals.assignments, res.assignments.length);
  // Each cadre is either sent once or listed as unmatched; each village (one seat) likewise.
  const sent = new Set(res.assignments.map((a) => a.cadre_id));
  assert.equal(sent.size, res.assignments.length);
  const unmatchedCadres = res.unmatched.filter((u) => u.side === 'cadre');
  const unmatchedVillages = res.unmatched.filter((u) => u.side === 'village');
  assert.equal(sent.size + unmatchedCadres.length, roundCadres.length);
  const filled = new Set(res.assignments.map((a) => a.division_code));
  assert.equal(filled.size + unmatchedVillages.length, roundVillages.length);
  assert.ok(res.unmatched.length > 0, 'the demo has more cadres than villages, or the reverse');
  for (const u of res.unmatched) assert.ok(u.reason.length > 0 && u.name.length > 0, JSON.stringify(u));
  for (const a of res.assignments) {
    assert.ok(a.cadre_name && a.village_name && a.cadre_rank >= 1 && a.village_rank >= 1);
    assert.equal(a.post_id ?? 0, 0);
  }
  // Derived lists: every participant that submitted none (one village list was submitted above).
  const cadres = (await county.get(`${D}/rounds/${openRound.id}/cadres`)).json.items;
  const villages = (await county.get(`${D}/rounds/${openRound.id}/villages`)).json.items;
  assert.equal(res.totals.derived_cadre_lists, cadres.filter((c) => c.preference?.derived).length);
  assert.equal(res.totals.derived_village_lists, villages.filter((v) => v.preference?.derived).length);
  assert.ok(villages.some((v) => v.preference && !v.preference.derived));
  assert.ok(res.totals.optimal_fit + 1e-9 >= res.totals.total_fit);
  const pos = res.totals.optimal_fit > 0 ? 1 - res.totals.total_fit / res.totals.optimal_fit : 0;
  assert.ok(Math.abs(pos - res.totals.price_of_stability) < 1e-3);
  assert.ok(res.explanations.some((e) => e.side === 'cadre' && e.lines.length > 0));
  assert.match(res.input_hash, /^[0-9a-f]{16,}$/);

  const again = await county.post(`${D}/rounds/${openRound.id}/run`);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.input_hash, res.input_hash);
  assert.equal(again.json.output_hash, res.output_hash);
  assert.deepEqual(again.json.assignments, res.assignments);
  const stored = await township.get(`${D}/rounds/${openRound.id}/result`);
  assert.equal(stored.status, 200, stored.text);
  for (const a of stored.json.assignments) assert.ok(a.division_code.startsWith(demo.township.scope));
  assert.equal((await township.post(`${D}/rounds/${openRound.id}/run`)).status, 403);
});

test('`qiangji dispatch run --round` prints the certificate and the same hashes', () => {
  const out = run(['--db', demo.db, 'dispatch', 'run', '--round', String(openRound.id)]).stdout;
  assert.match(out, /matched\s+\d+/);
  assert.match(out, /0 blocking pairs of \d+ checked \(stable\)/);
  assert.match(out, /price of stability/);
  assert.match(out, /unmatched \(\d+\):/);
  assert.ok(out.includes(firstRun.input_hash) && out.includes(firstRun.output_hash), out);
  const list = run(['--db', demo.db, 'dispatch', 'list']).stdout;
  assert.match(list, new RegExp(`\\b${openRound.id}\\s+130624\\s+matched`));
  const needs = run(['--db', demo.db, 'dispatch', 'needs', '--top', '3']).stdout;
  assert.match(needs, /need a first secretary/);
  assert.match(needs, /^ *1\. 130624\d{6} .* priority \d+\.\d[^\n]*\n +\+\d+\.\d \w+: /m);
  const bad = run(['--db', demo.db, 'dispatch', 'run', '--round', '999999'], { allowFail: true });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /not found/);
  const file = join(demo.dir, 'cadres.json');
  writeFileSync(file, JSON.stringify([cadreBody({ name: '命令行导入' })]));
  assert.match(run(['--db', demo.db, 'dispatch', 'import-cadres', '--file', file]).stdout, /imported 1 cadres into the pool of 130624/);
});

test('confirming appoints first secretaries: posts with start and end dates in their villages', async () => {
  const r = await county.post(`${D}/rounds/${openRound.id}/confirm`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.round.status, 'confirmed');
  assert.equal(r.json.assignments.length, firstRun.assignments.length);
  for (const a of r.json.assignments) {
    assert.ok(a.post_id > 0, JSON.stringify(a));
    assert.equal(a.start_date, openRound.start_date);
    assert.ok(a.end_date > a.start_date);
  }
  const a = r.json.assignments[0];
  const posts = await county.get(`/api/v1/posts?under=${a.division_code}&kind=first_secretary&page_size=100`);
  assert.equal(posts.status, 200, posts.text);
  const post = posts.json.items.find((p) => p.id === a.post_id);
  assert.ok(post, posts.text);
  assert.equal(post.kind, 'first_secretary');
  assert.equal(post.start_date, a.start_date);
  assert.equal(post.end_date, a.end_date);
  // The village's current posts show the first secretary once the term has begun.
  if (a.start_date <= new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)) {
    const current = await county.get(`/api/v1/posts?under=${a.division_code}&current=true&page_size=100`);
    assert.ok(current.json.items.some((p) => p.id === a.post_id && p.kind === 'first_secretary'), current.text);
  }
  const cadre = await county.get(`${D}/cadres/${a.cadre_id}`);
  assert.equal(cadre.json.available, false);
  assert.ok(cadre.json.person_id > 0);

  const twice = await county.post(`${D}/rounds/${openRound.id}/confirm`);
  assert.equal(twice.status, 409, twice.text);
  const late = await county.put(`${D}/rounds/${openRound.id}/preferences/village/${a.division_code}`, { tiers: [] });
  assert.equal(late.status, 409, late.text);
});

test('the terms list keeps the history and flags terms ending soon', async () => {
  const r = await county.get(`${D}/terms?days=90`);
  assert.equal(r.status, 200, r.text);
  const items = r.json.items;
  assert.ok(items.length >= firstRun.assignments.length);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].start_date >= items[i].start_date);
  for (const t of items) {
    assert.equal(t.ending_soon, Boolean(t.current && t.end_date && t.days_left <= 90), JSON.stringify(t));
  }
  const fromRound = items.filter((t) => t.round_id === openRound.id);
  assert.equal(fromRound.length, firstRun.assignments.length);
  // The demo's confirmed round of last term has terms ending within 90 days of today.
  const soon = items.filter((t) => t.ending_soon);
  assert.ok(soon.some((t) => t.round_id && t.round_id !== openRound.id), JSON.stringify(soon.slice(0, 3)));
  for (const t of soon) assert.ok(t.days_left >= 0 && t.days_left <= 90);
  // A first secretary in post shows on his village's page beside the two committees.
  const serving = soon[0];
  const village = await county.get(`/api/v1/villages/${serving.division_code}`);
  assert.equal(village.status, 200, village.text);
  assert.ok(village.json.sent.some((p) => p.kind === 'first_secretary' && p.id === serving.post_id),
    JSON.stringify(village.json.sent));
  assert.ok(!village.json.two_committees.some((p) => p.kind === 'first_secretary'));
  // Over ten years every current term with an end date is ending soon.
  const wide = (await county.get(`${D}/terms?days=3660`)).json.items;
  const current = wide.filter((t) => t.current && t.end_date);
  assert.ok(current.length > 0);
  for (const t of current) assert.equal(t.ending_soon, true);
  const bad = await county.get(`${D}/terms?days=-1`);
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad), ['days']);
});

// ---- rounds of the other roles (docs/dispatch.md §4) ----

async function roundsByRole() {
  const items = (await county.get(`${D}/rounds`)).json.items;
  const out = {};
  for (const r of items) (out[r.role] ||= []).push(r);
  return out;
}

test('the demo has rounds of every role, and villages with first secretaries, instructors and advisors in post', async () => {
  const by = await roundsByRole();
  for (const role of ['first_secretary', 'instructor_resident', 'instructor_circuit', 'instructor_tracking', 'advisor'])
    assert.ok(by[role]?.length > 0, `a ${role} round: ${JSON.stringify(Object.keys(by))}`);
  assert.ok(by.instructor_resident.some((r) => r.status === 'confirmed'));
  const circuit = by.instructor_circuit.find((r) => r.status === 'confirmed');
  assert.ok(circuit);
  assert.equal(circuit.rules.circuit_capacity, 4);
  assert.ok(by.instructor_tracking.some((r) => r.status === 'preferences_open'));
  const advisor = by.advisor.find((r) => r.status === 'matched');
  assert.ok(advisor, 'an advisor round matched, waiting for confirmation');

  // The advisor round sent local worthies only.
  const worthies = (await county.get(`${D}/rounds/${advisor.id}/cadres`)).json.items;
  assert.ok(worthies.length > 0 && worthies.every((c) => c.kind === 'worthy'), JSON.stringify(worthies[0]));
  const res = (await county.get(`${D}/rounds/${advisor.id}/result`)).json;
  assert.equal(res.certificate.blocking_pairs, 0);
  assert.ok(res.assignments.length > 0);
  const ids = new Set(worthies.map((c) => c.id));
  for (const a of res.assignments) assert.ok(ids.has(a.cadre_id) && a.unit_id === null);

  // The circuit round's assignments cover villages of the circuit's township, at most 4 each.
  const cres = (await county.get(`${D}/rounds/${circuit.id}/result`)).json;
  assert.ok(cres.assignments.length > 0);
  for (const a of cres.assignments) {
    assert.ok(a.unit_id > 0 && a.unit_name.includes('巡回组'), JSON.stringify(a));
    assert.ok(a.villages.length >= 1 && a.villages.length <= 4);
    for (const v of a.villages) assert.equal(v.division_code.slice(0, 9), a.division_code.slice(0, 9));
    assert.equal(a.post_ids.length, a.villages.length);
  }

  // Terms list every kind of sent post; some village shows all three in post.
  const terms = (await county.get(`${D}/terms`)).json.items;
  const kinds = new Set(terms.filter((t) => t.current).map((t) => t.post_kind));
  assert.deepEqual([...kinds].sort(), ['advisor', 'first_secretary', 'instructor']);
  const byVillage = new Map();
  for (const t of terms.filter((x) => x.current)) {
    if (!byVillage.has(t.division_code)) byVillage.set(t.division_code, new Set());
    byVillage.get(t.division_code).add(t.post_kind);
  }
  const full = [...byVillage].find(([, k]) => k.size === 3);
  assert.ok(full, 'a village with a first secretary, an instructor and an advisor in post');
  const village = await county.get(`/api/v1/villages/${full[0]}`);
  assert.equal(village.status, 200, village.text);
  assert.deepEqual([...new Set(village.json.sent.map((p) => p.kind))].sort(), ['advisor', 'first_secretary', 'instructor']);
});

test('a bad circuit capacity is a 400 naming rules.circuit_capacity, and nothing is stored', async () => {
  const n0 = await roundCount();
  const good = { name: '巡回测试', role: 'instructor_circuit', start_date: '2030-03-01', seed: 3 };
  for (const bad of [0, 21, 'four']) {
    const r = await county.post(`${D}/rounds`, { ...good, rules: { circuit_capacity: bad } });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(fields(r), ['rules.circuit_capacity'], r.text);
  }
  const role = await county.post(`${D}/rounds`, { ...good, role: 'instructor_roaming' });
  assert.equal(role.status, 400, role.text);
  assert.deepEqual(fields(role), ['role']);
  assert.equal(await roundCount(), n0);
});

test('a circuit round end to end: circuits by township and work type, balanced shares, a post per village', async () => {
  const created = await county.post(`${D}/rounds`, {
    name: '2030年巡回指导员选派', role: 'instructor_circuit', start_date: '2030-03-01', seed: 5,
    rules: { circuit_capacity: 3, min_priority: 30, max_per_unit_per_township: 0, avoid_home_county: false },
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.equal(created.json.rules.circuit_capacity, 3);
  const opened = await county.post(`${D}/rounds/${id}/open`);
  assert.equal(opened.status, 200, opened.text);

  const circuits = (await county.get(`${D}/rounds/${id}/villages`)).json.items;
  assert.ok(circuits.length > 1, 'several circuits');
  const seen = new Set();
  for (const c of circuits) {
    assert.equal(c.kind, 'circuit');
    assert.equal(typeof c.id, 'number');
    assert.ok(c.work_type && c.name.endsWith('巡回组'), c.name);
    assert.equal(c.seats, Math.ceil(c.villages.length / 3));
    assert.deepEqual(c.skills.map((s) => s.skill), [c.work_type]);
    const codes = c.villages.map((v) => v.division_code);
    assert.deepEqual(codes, [...codes].sort());
    for (const code of codes) {
      assert.equal(code.slice(0, 9), c.division_code.slice(0, 9), 'one township');
      assert.ok(!seen.has(code), 'a village is in one circuit');
      seen.add(code);
    }
    const mean = c.villages.reduce((s, v) => s + v.priority, 0) / c.villages.length;
    assert.ok(Math.abs(mean - c.priority) < 1e-6);
    assert.ok(c.villages.every((v) => v.priority >= 30));
  }
  const key = (c) => `${c.division_code}/${c.work_type}`;
  assert.equal(new Set(circuits.map(key)).size, circuits.length, 'one circuit per township and work type');

  // An unknown circuit id is a 400, as owner or in a cadre's list; nothing is stored.
  const cadres = (await county.get(`${D}/rounds/${id}/cadres`)).json.items;
  assert.ok(cadres.length > 0 && cadres.every((c) => c.kind === 'cadre'));
  let r = await county.put(`${D}/rounds/${id}/preferences/village/99999999`, { tiers: [[cadres[0].id]] });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['owner']);
  assert.match(r.json.errors[0].message, /circuit 99999999/);
  // A cadre ranking a circuit of his work type, then an unknown one.
  const [circuit, able] = circuits.map((c) => [c, cadres.find((x) => x.skills.includes(c.work_type))]).find(([, x]) => x);
  r = await county.put(`${D}/rounds/${id}/preferences/cadre/${able.id}`, { tiers: [[circuit.id], [99999999]] });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['tiers[1][0]']);
  r = await county.put(`${D}/rounds/${id}/preferences/village/${circuits[0].division_code}`, { tiers: [[cadres[0].id]] });
  assert.equal(r.status, 400, `a circuit is not named by a division code: ${r.text}`);
  const listed = (await county.get(`${D}/rounds/${id}/cadres`)).json.items;
  assert.ok(listed.every((c) => c.preference === null), 'nothing stored');

  // A good list for the biggest circuit: the cadres bringing its work type.
  const big = circuits.slice().sort((a, b) => b.villages.length - a.villages.length)[0];
  const fitting = cadres.filter((c) => c.skills.includes(big.work_type)).map((c) => c.id);
  if (fitting.length) {
    r = await county.put(`${D}/rounds/${id}/preferences/village/${big.id}`, { tiers: fitting.map((c) => [c]) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.owner, big.id);
    assert.deepEqual(r.json.tiers, fitting.map((c) => [c]));
  }
  const without = cadres.find((c) => !c.skills.includes(big.work_type));
  if (without) {
    r = await county.put(`${D}/rounds/${id}/preferences/village/${big.id}`, { tiers: [[without.id]] });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(fields(r), ['tiers[0][0]']);
    assert.match(r.json.errors[0].message, /does not bring/);
  }

  const ran = await county.post(`${D}/rounds/${id}/run`);
  assert.equal(ran.status, 200, ran.text);
  const res = ran.json;
  assert.equal(res.certificate.blocking_pairs, 0);
  assert.ok(res.assignments.length > 0, 'some instructors are matched');
  const byCircuit = new Map(circuits.map((c) => [c.id, []]));
  for (const a of res.assignments) {
    assert.ok(byCircuit.has(a.unit_id), JSON.stringify(a));
    byCircuit.get(a.unit_id).push(a);
    const c = circuits.find((x) => x.id === a.unit_id);
    assert.ok(cadres.find((x) => x.id === a.cadre_id).skills.includes(c.work_type), 'the instructor brings the work type');
    assert.equal(a.division_code, c.division_code);
    assert.equal(a.unit_name, c.name);
  }
  const uncovered = res.uncovered.map((u) => u.division_code);
  for (const [cid, list] of byCircuit) {
    const c = circuits.find((x) => x.id === cid);
    const codes = c.villages.map((v) => v.division_code);
    assert.ok(list.length <= c.seats);
    const shares = list.map((a) => a.villages.map((v) => v.division_code)).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    const sizes = shares.map((x) => x.length);
    if (sizes.length) {
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `balanced: ${sizes}`);
      assert.ok(Math.max(...sizes) <= 3, `within the capacity: ${sizes}`);
    }
    const covered = shares.flat();
    assert.deepEqual(covered, [...covered].sort(), 'contiguous chunks in code order');
    const left = codes.filter((x) => !covered.includes(x));
    assert.deepEqual(left, codes.filter((x) => uncovered.includes(x)), `${c.name}: left over = uncovered`);
    if (left.length) assert.equal(covered.length, list.length * 3, 'short circuits fill every share');
  }
  for (const u of res.uncovered) assert.ok(u.reason.length > 0 && u.unit_name.endsWith('巡回组'));
  for (const u of res.unmatched.filter((x) => x.side === 'village')) assert.equal(typeof u.id, 'number');
  assert.ok(res.explanations.some((e) => e.side === 'village' && e.lines[0].includes('分工：')));

  const confirmed = await county.post(`${D}/rounds/${id}/confirm`);
  assert.equal(confirmed.status, 200, confirmed.text);
  const a = confirmed.json.assignments[0];
  assert.equal(a.post_ids.length, a.villages.length);
  assert.equal(a.post_id, a.post_ids[0]);
  for (const [i, v] of a.villages.entries()) {
    const posts = (await county.get(`/api/v1/posts?under=${v.division_code}&kind=instructor&page_size=100`)).json.items;
    const post = posts.find((p) => p.id === a.post_ids[i]);
    assert.ok(post, `an instructor post in ${v.name}`);
    assert.equal(post.start_date, '2030-03-01');
  }
  const terms = (await county.get(`${D}/terms`)).json.items.filter((t) => t.round_id === id);
  assert.equal(terms.length, confirmed.json.assignments.reduce((s, x) => s + x.post_ids.length, 0));
  assert.ok(terms.every((t) => t.post_kind === 'instructor'));
  const cadre = await county.get(`${D}/cadres/${a.cadre_id}`);
  assert.equal(cadre.json.available, false);

  const list = run(['--db', demo.db, 'dispatch', 'list']).stdout;
  assert.match(list, new RegExp(`\\b${id}\\s+130624\\s+confirmed\\s+instructor_circuit`));
});

test("the tracking round's receivers are projects, named by id", async () => {
  const tracking = (await roundsByRole()).instructor_tracking.find((r) => r.status === 'preferences_open');
  const projects = (await county.get(`${D}/rounds/${tracking.id}/villages`)).json.items;
  assert.ok(projects.length > 0);
  for (const p of projects) {
    assert.equal(p.kind, 'project');
    assert.equal(p.id, p.project.id);
    assert.ok(['planned', 'underway'].includes(p.project.status));
    assert.ok(p.project.end_date > tracking.start_date);
    assert.equal(p.skills[0].skill, p.work_type);
    assert.ok(p.name.startsWith(p.project.name));
  }
  const cadres = (await county.get(`${D}/rounds/${tracking.id}/cadres`)).json.items
    .filter((c) => !c.home_code.startsWith('130624'));
  const p = projects[0];
  const r = await county.put(`${D}/rounds/${tracking.id}/preferences/village/${p.id}`, { tiers: [[cadres[0].id]] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.owner, p.id);
  const out = run(['--db', demo.db, 'dispatch', 'run', '--round', String(tracking.id)]).stdout;
  assert.match(out, /role instructor_tracking/);
  assert.match(out, /0 blocking pairs/);
  if (Number(/matched\s+(\d+)/.exec(out)[1]) > 0) assert.match(out, /-> project \d+ /);
});

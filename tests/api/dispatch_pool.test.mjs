// The dispatch pool's two kinds and village projects through the API (issue 4, points 2 and 5):
// local worthies (乡贤) created, listed by kind and imported with a kind column beside cadres;
// bad kinds, residences and unit kinds a 400 naming the field with nothing stored; village
// projects created, read, filtered and edited, bad input a 400 naming the field, and a project
// outside a township user's scope answering 404 like a missing one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, loginAs, addUser, PASSWORDS } from '../harness/server.mjs';
import { idNumber } from '../harness/fixtures.mjs';

let demo, server, county, township, village, viewer;
let ownVillage, otherVillage, ownTownship;
const D = '/api/v1/dispatch';
const P = '/api/v1/projects';

before(async () => {
  demo = makeDemo();
  server = await startServer(demo.db);
  county = await loginAs(server.url, demo.county);
  township = await loginAs(server.url, demo.township);
  const villages = (await county.get('/api/v1/villages?page_size=500')).json.items;
  // Villagers' committees (codes ...2xx/3xx) inside the township user's scope and outside it.
  const rural = villages.filter((v) => /[23]\d\d$/.test(v.code));
  ownVillage = rural.find((v) => v.code.startsWith(demo.township.scope));
  otherVillage = rural.find((v) => !v.code.startsWith(demo.township.scope));
  assert.ok(ownVillage && otherVillage, 'the demo county has villages in and out of the township');
  ownTownship = `${demo.township.scope}000`;
  addUser(demo.db, 'village_pool_test', 'village', ownVillage.code, PASSWORDS.village);
  addUser(demo.db, 'viewer_pool_test', 'viewer', '130624', PASSWORDS.viewer);
  village = await loginAs(server.url, { username: 'village_pool_test', password: PASSWORDS.village });
  viewer = await loginAs(server.url, { username: 'viewer_pool_test', password: PASSWORDS.viewer });
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

function fields(r) { return (r.json?.errors ?? []).map((e) => e.field); }

let seq = 100;
function worthyBody(over = {}) {
  seq += 2;
  return {
    kind: 'worthy', name: '测试乡贤', sex: 'male', id_number: idNumber('130624', '1968-03-09', seq),
    phone: '13600021234', sending_unit: '深圳市山里红电子商务有限公司', unit_kind: 'private_enterprise',
    skills: ['e_commerce', 'industry'], home_code: ownVillage.code, residence: '广东省深圳市', ...over,
  };
}

async function total(kind = '') {
  const r = await county.get(`${D}/cadres?page_size=1${kind ? `&kind=${kind}` : ''}`);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

async function projectCount() {
  const r = await county.get(P);
  assert.equal(r.status, 200, r.text);
  return r.json.items.length;
}

test('the demo pool holds cadres and local worthies, listed by kind', async () => {
  const [all, cadres, worthies] = [await total(), await total('cadre'), await total('worthy')];
  assert.ok(worthies >= 25, `the demo has about 30 worthies, not ${worthies}`);
  assert.ok(cadres >= 60);
  assert.equal(cadres + worthies, all);
  const r = await county.get(`${D}/cadres?kind=worthy&page_size=100`);
  assert.equal(r.status, 200, r.text);
  for (const w of r.json.items) {
    assert.equal(w.kind, 'worthy');
    assert.ok(w.home_code.startsWith('130624'), `${w.name}'s hometown is in the county`);
    assert.match(w.id_number, /^\d{3}\*+[\dX]{4}$/, 'masked like a cadre');
    assert.ok(w.residence.length > 0);
  }
  const c = await township.get(`${D}/cadres?kind=cadre&page_size=5`);
  assert.equal(c.status, 200, c.text);
  for (const x of c.json.items) assert.equal(x.kind, 'cadre');
});

test('a worthy is created with kind and residence and found by kind only', async () => {
  const [n0, w0] = [await total(), await total('worthy')];
  const body = worthyBody({ name: '乡贤甲' });
  const r = await county.post(`${D}/cadres`, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'worthy');
  assert.equal(r.json.residence, '广东省深圳市');
  assert.equal(r.json.unit_kind, 'private_enterprise');
  assert.equal(r.json.home_code, ownVillage.code);
  assert.ok(!r.text.includes(body.id_number));
  const q = encodeURIComponent('乡贤甲');
  assert.equal((await county.get(`${D}/cadres?kind=worthy&q=${q}`)).json.total, 1);
  assert.equal((await county.get(`${D}/cadres?kind=cadre&q=${q}`)).json.total, 0);
  assert.equal(await total('worthy'), w0 + 1);
  assert.equal(await total(), n0 + 1);

  // An edit as the UI sends it (masked values back) keeps the kind and may move him home.
  const shown = (await county.get(`${D}/cadres/${r.json.id}`)).json;
  const put = await county.put(`${D}/cadres/${r.json.id}`, { ...shown, residence: '阜平县城区', unit_kind: 'self_employed' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.kind, 'worthy');
  assert.equal(put.json.residence, '阜平县城区');
  assert.equal(put.json.unit_kind, 'self_employed');
  // A cadre without a kind is a cadre.
  const { kind, residence, ...plain } = worthyBody({ name: '无类别干部', home_code: '130100000000' });
  const c = await county.post(`${D}/cadres`, { ...plain, unit_kind: 'party_agency' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.kind, 'cadre');
  assert.equal(c.json.residence, '');
});

test('bad kind, residence or unit kind is a 400 naming the field, and nothing is stored', async () => {
  const n0 = await total();
  const cases = [
    [{ kind: 'expert' }, 'kind'],
    [{ residence: '广'.repeat(41) }, 'residence'],
    [{ unit_kind: 'ngo' }, 'unit_kind'],
    [{ kind: 7 }, 'kind'],
    [{ residence: 12 }, 'residence'],
  ];
  for (const [over, field] of cases) {
    const r = await county.post(`${D}/cadres`, worthyBody(over));
    assert.equal(r.status, 400, `${JSON.stringify(over)}: ${r.text}`);
    assert.ok(fields(r).includes(field), `${field}: ${r.text}`);
    assert.match(r.headers.get('content-type'), /problem\+json/);
  }
  let r = await county.get(`${D}/cadres?kind=expert`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['kind']);
  r = await township.post(`${D}/cadres`, worthyBody());
  assert.equal(r.status, 403, r.text);
  assert.equal(await total(), n0);
});

test('import takes a kind column, and ?kind= for rows without one; all or nothing', async () => {
  const [n0, w0] = [await total(), await total('worthy')];
  const header = 'kind,name,id_number,sending_unit,unit_kind,skills,home_code,residence';
  const row = (kind, name, unit, unitKind, residence) =>
    `${kind},${name},${idNumber('130624', '1970-05-01', (seq += 2))},${unit},${unitKind},agronomy;industry,${ownVillage.code},${residence}`;
  const mixed = [header,
    row('worthy', '导入乡贤', '阜平县惠农农资店', 'self_employed', '阜平县城区'),
    row('', '导入干部', '县农业农村局', 'party_agency', ''),
  ].join('\n');
  let r = await county.request('POST', `${D}/cadres/import?format=csv`, { raw: mixed, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { created: 2 });
  assert.equal(await total('worthy'), w0 + 1, 'a row without a kind is a cadre by default');
  assert.equal(await total(), n0 + 2);
  const found = (await county.get(`${D}/cadres?q=${encodeURIComponent('导入乡贤')}`)).json.items[0];
  assert.equal(found.kind, 'worthy');
  assert.equal(found.residence, '阜平县城区');

  // ?kind=worthy: rows without a kind are worthies.
  const json = JSON.stringify([{
    name: '导入乡贤乙', id_number: idNumber('130624', '1966-07-07', (seq += 2)), sending_unit: '北京恒泰律师事务所',
    unit_kind: 'other', skills: ['law_petitions'], home_code: ownVillage.code, residence: '北京市朝阳区',
  }]);
  r = await county.request('POST', `${D}/cadres/import?format=json&kind=worthy`, { raw: json });
  assert.equal(r.status, 200, r.text);
  assert.equal(await total('worthy'), w0 + 2);

  // A bad kind or residence in any row: 400 naming the row, nothing stored.
  const n1 = await total();
  const bad = [header,
    row('worthy', '坏行甲', '某店', 'self_employed', '阜平县城区'),
    row('sage', '坏行乙', '某店', 'self_employed', ''),
    row('worthy', '坏行丙', '某店', 'shop', 'x'.repeat(41)),
  ].join('\n');
  r = await county.request('POST', `${D}/cadres/import?format=csv`, { raw: bad, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  for (const f of ['rows[1].kind', 'rows[2].unit_kind', 'rows[2].residence']) assert.ok(fields(r).includes(f), `${f}: ${r.text}`);
  assert.ok(!fields(r).some((f) => f.startsWith('rows[0]')), r.text);
  r = await county.request('POST', `${D}/cadres/import?format=json&kind=sage`, { raw: json });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['kind']);
  assert.equal(await total(), n1);
});

test('projects are created, read, filtered and edited', async () => {
  const n0 = await projectCount();
  assert.ok(n0 >= 15, `the demo has village projects (${n0})`);
  const body = {
    division_code: ownVillage.code, name: '接口测试冷链仓储项目', work_type: 'industry',
    start_date: '2026-04-01', end_date: '2028-04-01', status: 'underway', description: '新建冷库一座',
  };
  let r = await county.post(P, body);
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.headers.get('location'), `${P}/${id}`);
  assert.equal(r.json.village_name, ownVillage.name);
  assert.equal(r.json.township_code, ownTownship);
  assert.ok(r.json.township_name);
  for (const k of Object.keys(body)) assert.equal(r.json[k], body[k], k);

  r = await township.get(`${P}/${id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, body.name);
  r = await county.get(`${P}?under=${ownVillage.code}`);
  assert.ok(r.json.items.some((p) => p.id === id));
  for (const p of r.json.items) assert.equal(p.division_code, ownVillage.code);
  r = await county.get(`${P}?status=underway&work_type=industry`);
  assert.ok(r.json.items.some((p) => p.id === id));
  for (const p of r.json.items) assert.ok(p.status === 'underway' && p.work_type === 'industry');

  r = await township.put(`${P}/${id}`, { ...body, status: 'done', end_date: '2027-12-31' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'done');
  assert.equal(r.json.end_date, '2027-12-31');
  r = await county.get(`${P}?status=done`);
  assert.ok(r.json.items.some((p) => p.id === id));
  r = await county.get(`${P}?status=underway`);
  assert.ok(!r.json.items.some((p) => p.id === id));

  // The township writes in its own villages.
  r = await township.post(P, { ...body, name: '乡镇录入项目', status: 'planned' });
  assert.equal(r.status, 201, r.text);
  assert.equal(await projectCount(), n0 + 2);
});

test('bad projects are a 400 naming the field, and nothing is stored', async () => {
  const n0 = await projectCount();
  const good = {
    division_code: ownVillage.code, name: '坏输入测试', work_type: 'agronomy',
    start_date: '2026-05-01', end_date: '2027-05-01',
  };
  const cases = [
    [{ end_date: '2026-04-01' }, 'end_date'],
    [{ end_date: '2026-05-01' }, 'end_date'],
    [{ work_type: 'tourism' }, 'work_type'],
    [{ division_code: ownTownship }, 'division_code'],
    [{ division_code: '1306241002' }, 'division_code'],
    [{ status: 'paused' }, 'status'],
    [{ name: '' }, 'name'],
    [{ name: '项'.repeat(61) }, 'name'],
    [{ start_date: '2026-02-30' }, 'start_date'],
    [{ description: 'x'.repeat(501) }, 'description'],
    [{ budget: 100 }, 'budget'],
  ];
  for (const [over, field] of cases) {
    const r = await county.post(P, { ...good, ...over });
    assert.equal(r.status, 400, `${JSON.stringify(over)}: ${r.text}`);
    assert.ok(fields(r).includes(field), `${field}: ${r.text}`);
  }
  const { end_date, ...noEnd } = good;
  let r = await county.post(P, noEnd);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['end_date']);
  r = await county.get(`${P}?status=paused`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['status']);
  r = await county.get(`${P}?work_type=tourism`);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['work_type']);
  // An edit with a bad field changes nothing.
  const made = await county.post(P, good);
  assert.equal(made.status, 201, made.text);
  r = await county.put(`${P}/${made.json.id}`, { ...good, end_date: '2025-01-01' });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['end_date']);
  assert.equal((await county.get(`${P}/${made.json.id}`)).json.end_date, '2027-05-01');
  assert.equal(await projectCount(), n0 + 1);
});

test('a project outside the caller\'s scope is a 404; village users and viewers only read', async () => {
  const body = {
    division_code: otherVillage.code, name: '他乡项目', work_type: 'planning_construction',
    start_date: '2026-03-01', end_date: '2027-09-01', status: 'planned',
  };
  const made = await county.post(P, body);
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  const n0 = await projectCount();

  let r = await township.get(`${P}/${id}`);
  assert.equal(r.status, 404, r.text);
  r = await township.put(`${P}/${id}`, { ...body, status: 'stopped' });
  assert.equal(r.status, 404, r.text);
  r = await township.post(P, { ...body, name: '越权新建' });
  assert.equal(r.status, 404, r.text);
  r = await township.get(P);
  assert.ok(!r.json.items.some((p) => p.id === id));
  for (const p of r.json.items) assert.ok(p.division_code.startsWith(demo.township.scope));
  r = await township.get(`${P}?under=${otherVillage.code}`);
  assert.equal(r.status, 404, r.text);
  assert.equal((await county.get(`${P}/${id}`)).json.status, 'planned');

  // A village user reads his village's projects only, and writes none.
  r = await village.get(P);
  assert.equal(r.status, 200, r.text);
  for (const p of r.json.items) assert.equal(p.division_code, ownVillage.code);
  r = await village.get(`${P}/${id}`);
  assert.equal(r.status, 404, r.text);
  r = await village.post(P, { ...body, division_code: ownVillage.code });
  assert.equal(r.status, 403, r.text);
  r = await viewer.get(`${P}/${id}`);
  assert.equal(r.status, 200, r.text);
  r = await viewer.post(P, body);
  assert.equal(r.status, 403, r.text);
  assert.equal(await projectCount(), n0);
});

test('the OpenAPI document describes the pool kinds and the project routes', async () => {
  const doc = (await county.get('/api/v1/openapi.json')).json;
  const list = doc.paths['/api/v1/projects'].get;
  assert.deepEqual(list.parameters.map((p) => p.name).sort(), ['status', 'under', 'work_type']);
  assert.ok(doc.paths['/api/v1/projects'].post);
  assert.ok(doc.paths['/api/v1/projects/{id}'].put);
  assert.ok(doc.components.schemas.Project.properties.work_type);
  assert.deepEqual(doc.components.schemas.Cadre.properties.kind.enum, ['cadre', 'worthy']);
  assert.ok(doc.components.schemas.Cadre.properties.residence);
  assert.ok(doc.paths['/api/v1/dispatch/cadres'].get.parameters.some((p) => p.name === 'kind'));
});

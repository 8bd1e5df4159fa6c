// The records a user relies on: masked personal data, reveal rights, post history and the
// two-committee line-up, paging and search, the overview, and the OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, loginAs } from '../harness/server.mjs';
import { personBody } from '../harness/fixtures.mjs';

let demo, server, county, township, village;
before(async () => {
  demo = makeDemo();
  server = await startServer(demo.db);
  county = await loginAs(server.url, demo.county);
  township = await loginAs(server.url, demo.township);
  village = (await county.get(`/api/v1/villages?under=${demo.township.scope}&page_size=1`)).json.items[0].code;
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

test('ID numbers and phones are masked unless revealed by a role that may', async () => {
  const body = personBody(village, { name: '王测试' });
  const created = await township.post('/api/v1/people', body);
  assert.equal(created.status, 201, created.text);
  const p = created.json;
  assert.equal(p.id_number, body.id_number.slice(0, 3) + '*'.repeat(11) + body.id_number.slice(14));
  assert.equal(p.phone, '138****1234');
  assert.equal(p.revealed, false);
  assert.equal(p.age >= 40, true);

  const denied = await township.get(`/api/v1/people/${p.id}?reveal=true`);
  assert.equal(denied.status, 403);
  const shown = await county.get(`/api/v1/people/${p.id}?reveal=true`);
  assert.equal(shown.status, 200);
  assert.equal(shown.json.id_number, body.id_number);
  assert.equal(shown.json.revealed, true);

  // Found by its exact ID number, masked in the list.
  const found = await county.get(`/api/v1/people?q=${body.id_number}`);
  assert.equal(found.json.total, 1);
  assert.equal(found.json.items[0].id, p.id);
  assert.notEqual(found.json.items[0].id_number, body.id_number);
});

test('every person in a list is masked', async () => {
  const r = await county.get('/api/v1/people?page_size=200');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length > 50);
  for (const p of r.json.items) {
    if (p.id_number) assert.match(p.id_number, /^\d{3}\*{11}[\dX]{4}$/);
    if (p.phone) assert.match(p.phone, /^\d{3}\*{4}\d{4}$/);
  }
});

test('lists paginate and report the total', async () => {
  const a = await county.get('/api/v1/people?page=1&page_size=10');
  const b = await county.get('/api/v1/people?page=2&page_size=10');
  assert.equal(a.json.items.length, 10);
  assert.equal(a.json.total, b.json.total);
  const ids = new Set([...a.json.items, ...b.json.items].map((p) => p.id));
  assert.equal(ids.size, 20);
  const villages = await county.get('/api/v1/villages?page_size=500');
  assert.equal(villages.json.total, 213);
  assert.equal(villages.json.items.filter((v) => v.is_villagers_committee).length, 195);
});

test('posts: a new secretary shows in the line-up and in the person\'s history', async () => {
  const created = await county.post('/api/v1/people', personBody(village, { name: '李书记' }));
  assert.equal(created.status, 201, created.text);
  const pid = created.json.id;
  const post = await county.post('/api/v1/posts', { person_id: pid, division_code: village,
    kind: 'two_committee_member', start_date: '2024-03-01', end_date: null });
  assert.equal(post.status, 201, post.text);
  let lineup = await county.get(`/api/v1/villages/${village}/two-committees`);
  assert.ok(lineup.json.items.some((x) => x.person_id === pid && x.kind === 'two_committee_member'));

  const ended = await county.put(`/api/v1/posts/${post.json.id}`, { ...post.json, end_date: '2025-06-30' });
  assert.equal(ended.status, 200, ended.text);
  lineup = await county.get(`/api/v1/villages/${village}/two-committees`);
  assert.ok(!lineup.json.items.some((x) => x.person_id === pid), 'ended post left the line-up');
  const history = await county.get(`/api/v1/people/${pid}/posts`);
  assert.equal(history.json.items.length, 1);
  assert.equal(history.json.items[0].end_date, '2025-06-30');

  const backwards = await county.put(`/api/v1/posts/${post.json.id}`, { ...post.json, end_date: '2020-01-01' });
  assert.equal(backwards.status, 400);
});

test('village detail shows attributes, organization and line-up', async () => {
  const r = await county.get(`/api/v1/villages/${village}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.code, village);
  assert.ok(Array.isArray(r.json.party_orgs));
  assert.ok(Array.isArray(r.json.two_committees));
  assert.ok(Array.isArray(r.json.vacant_posts));
  const put = await county.put(`/api/v1/villages/${village}`, { households: 321, population: 1002,
    area_km2: 12.5, main_industries: ['食用菌', '核桃'], tags: ['key_village', 'lifted_from_poverty'] });
  assert.equal(put.status, 200, put.text);
  const again = await county.get(`/api/v1/villages/${village}`);
  assert.equal(again.json.village.households, 321);
  assert.match(again.text, /"area_km2":12\.5[,}]/, 'decimals are written plainly');
  assert.deepEqual(again.json.village.tags, ['key_village', 'lifted_from_poverty']);
});

test('party organizations: create, update, delete', async () => {
  const body = { division_code: village, kind: 'general_branch', name: '测试党总支', member_count: 55,
    probationary_member_count: 2, founded_on: '1949-10-01', term_start: '2021-05-01', term_expiry: '2026-05-01' };
  const c = await county.post('/api/v1/party-orgs', body);
  assert.equal(c.status, 201, c.text);
  const u = await county.put(`/api/v1/party-orgs/${c.json.id}`, { ...c.json, member_count: 56 });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.member_count, 56);
  const d = await county.del(`/api/v1/party-orgs/${c.json.id}`);
  assert.equal(d.status, 204);
  assert.equal((await county.get(`/api/v1/party-orgs/${c.json.id}`)).status, 404);
});

test('the overview counts the demo county', async () => {
  const r = await county.get('/api/v1/overview');
  assert.equal(r.status, 200);
  assert.equal(r.json.townships, 14);
  assert.equal(r.json.villages, 213);
  assert.equal(r.json.villagers_committees, 195);
  assert.ok(r.json.members > 0);
  const byBand = r.json.members_by_age_band.reduce((s, x) => s + x.count, 0);
  assert.equal(byBand, r.json.members);
  const t = await township.get('/api/v1/overview');
  assert.equal(t.json.townships, 1);
  assert.ok(t.json.villages < 213);
});

test('the division tree walks county -> township -> village', async () => {
  const roots = await county.get('/api/v1/divisions');
  assert.equal(roots.json.items.length, 1);
  assert.equal(roots.json.items[0].code, '130624000000');
  const towns = await county.get('/api/v1/divisions?parent=130624');
  assert.equal(towns.json.items.length, 14);
  const vs = await county.get(`/api/v1/divisions?parent=${demo.township.scope}`);
  assert.ok(vs.json.items.length > 0);
  assert.ok(vs.json.items.every((d) => d.level === 'village'));
  const troots = await township.get('/api/v1/divisions');
  assert.equal(troots.json.items.length, 1);
  assert.equal(troots.json.items[0].code.slice(0, 9), demo.township.scope);
});

test('the OpenAPI document lists the routes', async () => {
  const r = await county.get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.json.openapi.slice(0, 2), '3.');
  for (const p of ['/api/v1/people', '/api/v1/people/{id}', '/api/v1/villages/{code}', '/api/v1/auth/login']) {
    assert.ok(r.json.paths[p], p);
  }
});

test('the web UI is served with an SPA fallback', async () => {
  const r = await county.get('/');
  assert.equal(r.status, 200);
  assert.match(r.text, /<div id="app">/);
  const deep = await county.get('/villages/130624100201');
  assert.equal(deep.status, 200);
  assert.match(deep.text, /<div id="app">/);
});

// Bad input: each gets a clear 4xx problem (with the field where there is one) and no row
// changes. "No row changed" is checked on the object, the list totals and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, loginAs } from '../harness/server.mjs';
import { personBody, withWrongCheck } from '../harness/fixtures.mjs';

let demo, server, county, village, person;

async function totals() {
  const get = async (p) => (await county.get(p)).json.total;
  return {
    people: await get('/api/v1/people?page_size=1'),
    orgs: await get('/api/v1/party-orgs?page_size=1'),
    posts: await get('/api/v1/posts?page_size=1'),
    village: (await county.get(`/api/v1/villages/${village}`)).json,
    person: (await county.get(`/api/v1/people/${person.id}`)).json,
  };
}

// Sends a bad request and checks: the status, problem+json, optionally the field, no change.
async function rejects(send, status, field) {
  const before = await totals();
  const r = await send();
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /application\/problem\+json/);
  assert.equal(r.json.status, status);
  assert.ok(r.json.title && r.json.detail, 'problem has title and detail');
  if (field) {
    assert.ok(Array.isArray(r.json.errors), 'problem lists field errors');
    assert.ok(r.json.errors.some((e) => e.field === field && e.message),
      `errors name ${field}: ${JSON.stringify(r.json.errors)}`);
  }
  assert.deepEqual(await totals(), before, 'nothing changed');
  return r;
}

before(async () => {
  demo = makeDemo();
  server = await startServer(demo.db);
  county = await loginAs(server.url, demo.county);
  village = (await county.get(`/api/v1/villages?under=${demo.township.scope}&page_size=1`)).json.items[0].code;
  person = (await county.get(`/api/v1/people?under=${village}&page_size=1`)).json.items[0];
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

test('malformed JSON is 400', async () => {
  await rejects(() => county.request('POST', '/api/v1/people', { raw: '{"name": "张三",' }), 400);
  await rejects(() => county.request('PUT', `/api/v1/villages/${village}`, { raw: 'not json' }), 400);
  await rejects(() => county.request('POST', '/api/v1/people', { raw: '[1,2,3]' }), 400);
});

test('a field of the wrong type is 400 naming the field', async () => {
  await rejects(() => county.put(`/api/v1/villages/${village}`,
    { households: 'many', population: 10, main_industries: [], tags: [] }), 400, 'households');
  await rejects(() => county.post('/api/v1/people', { ...personBody(village), name: 42 }), 400, 'name');
  await rejects(() => county.post('/api/v1/party-orgs', { division_code: village, kind: 'branch',
    name: '某村党支部', member_count: '20' }), 400, 'member_count');
});

test('an invalid division code is 400 naming division_code', async () => {
  await rejects(() => county.post('/api/v1/people', personBody(village, { division_code: '13062410020X' })),
    400, 'division_code');
  await rejects(() => county.post('/api/v1/posts', { person_id: person.id, division_code: '99',
    kind: 'reserve_cadre', start_date: '2024-01-01' }), 400, 'division_code');
  const r = await county.get('/api/v1/villages?under=12345');
  assert.equal(r.status, 400);
  assert.ok(r.json.errors.some((e) => e.field === 'under'));
});

test('an ID number with a wrong check digit is 400 naming id_number', async () => {
  const body = personBody(village);
  await rejects(() => county.post('/api/v1/people', { ...body, id_number: withWrongCheck(body.id_number) }),
    400, 'id_number');
  await rejects(() => county.post('/api/v1/people', { ...body, id_number: '12345' }), 400, 'id_number');
});

test('other invalid values name their fields', async () => {
  await rejects(() => county.post('/api/v1/people', personBody(village, { sex: 'unknown' })), 400, 'sex');
  await rejects(() => county.post('/api/v1/people', personBody(village, { birth_date: '1985-02-30' })),
    400, 'birth_date');
  await rejects(() => county.post('/api/v1/people', personBody(village, { name: '' })), 400, 'name');
  await rejects(() => county.put(`/api/v1/villages/${village}`,
    { households: -3, population: 10, main_industries: [], tags: ['not_a_tag'] }), 400, 'households');
  await rejects(() => county.post('/api/v1/posts', { person_id: person.id, division_code: village,
    kind: 'emperor', start_date: '2024-01-01' }), 400, 'kind');
  const list = await county.get('/api/v1/people?page_size=100000');
  assert.equal(list.status, 400);
  assert.ok(list.json.errors.some((e) => e.field === 'page_size'));
});

test('a duplicate ID number is 409 and the first record stays', async () => {
  const body = personBody(village);
  const first = await county.post('/api/v1/people', body);
  assert.equal(first.status, 201, first.text);
  await rejects(() => county.post('/api/v1/people', { ...body, name: '另一人' }), 409);
});

test('an oversized body is 413', async () => {
  const huge = JSON.stringify({ ...personBody(village), native_place: 'x'.repeat(2 * 1024 * 1024) });
  await rejects(() => county.request('POST', '/api/v1/people', { raw: huge }), 413);
});

test('a write without the CSRF token is 403', async () => {
  await rejects(() => county.post('/api/v1/people', personBody(village), { csrf: false }), 403);
});

test('unknown routes are 404 problems; wrong methods 405', async () => {
  const r = await county.get('/api/v1/no-such-thing');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /problem\+json/);
  const m = await county.request('PATCH', '/api/v1/overview', { body: {} });
  assert.equal(m.status, 405);
});

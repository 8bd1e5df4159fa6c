// Sessions, CSRF and throttling, through the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, Client, loginAs } from '../harness/server.mjs';

let demo, server;
before(async () => {
  demo = makeDemo();
  server = await startServer(demo.db);
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

test('meta is public and says the database is a demo', async () => {
  const r = await new Client(server.url).get('/api/v1/meta');
  assert.equal(r.status, 200);
  assert.equal(r.json.demo, true);
  assert.equal(r.json.demo_county, '130624');
});

test('data routes need a session', async () => {
  for (const path of ['/api/v1/villages', '/api/v1/people', '/api/v1/auth/me', '/api/v1/overview']) {
    const r = await new Client(server.url).get(path);
    assert.equal(r.status, 401, path);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  }
});

test('login sets an HttpOnly SameSite=Strict cookie and returns a CSRF token', async () => {
  const c = new Client(server.url);
  const r = await c.login(demo.county.username, demo.county.password);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /qj_session=/);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Strict/i);
  assert.match(r.json.csrf_token, /^[0-9a-f]{32,}$/);
  assert.equal(r.json.user.role, 'county');
  assert.equal(r.json.user.scope, '130624');
  const me = await c.get('/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.username, demo.county.username);
  assert.equal(me.json.csrf_token, r.json.csrf_token);
});

test('a wrong password and an unknown user get the same 401', async () => {
  const a = await new Client(server.url).post('/api/v1/auth/login',
    { username: demo.county.username, password: 'not-the-password' });
  const b = await new Client(server.url).post('/api/v1/auth/login',
    { username: 'nobody_here', password: 'not-the-password' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.json.detail, b.json.detail);
});

test('logout ends the session', async () => {
  const c = await loginAs(server.url, demo.county);
  const saved = c.cookie;
  const r = await c.post('/api/v1/auth/logout');
  assert.equal(r.status, 204);
  c.cookie = saved;  // replaying the old cookie must not work
  assert.equal((await c.get('/api/v1/auth/me')).status, 401);
});

test('a write without the CSRF token is refused and changes nothing', async () => {
  const c = await loginAs(server.url, demo.county);
  const list = await c.get('/api/v1/villages?page_size=1');
  const code = list.json.items[0].code;
  const before = await c.get(`/api/v1/villages/${code}`);
  const r = await c.put(`/api/v1/villages/${code}`,
    { households: 999, population: 2999, main_industries: [], tags: [] }, { csrf: false });
  assert.equal(r.status, 403);
  const wrong = await c.request('PUT', `/api/v1/villages/${code}`,
    { body: { households: 999 }, csrf: false, headers: { 'x-csrf-token': 'f'.repeat(64) } });
  assert.equal(wrong.status, 403);
  const afterward = await c.get(`/api/v1/villages/${code}`);
  assert.deepEqual(afterward.json, before.json);
});

test('repeated failed logins are slowed down with 429 and Retry-After', async () => {
  const c = new Client(server.url);
  let last;
  for (let i = 0; i < 8; i++) {
    last = await c.post('/api/v1/auth/login', { username: demo.township.username, password: 'wrong' });
  }
  assert.equal(last.status, 429);
  assert.ok(Number(last.headers.get('retry-after')) > 0);
  // Even the right password is refused while locked out.
  const right = await c.post('/api/v1/auth/login',
    { username: demo.township.username, password: demo.township.password });
  assert.equal(right.status, 429);
  // Other users are not affected.
  await loginAs(server.url, demo.county);
});

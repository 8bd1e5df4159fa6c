// The scope matrix: every role × objects inside and outside its scope × read and write.
// Out-of-scope objects answer 404 (existence does not leak); writes out of scope change nothing;
// the viewer role reads but never writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, loginAs, addUser, run, PASSWORDS } from '../harness/server.mjs';
import { personBody } from '../harness/fixtures.mjs';

let demo, server, admin, ownVillageCode;
const users = {};
// objects[place][kind] = path of one object; place is where it lives relative to the scopes.
const objects = {};
const writeBodies = {};

async function firstItem(client, path) {
  const r = await client.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  assert.ok(r.json.items.length > 0, `${path} is empty`);
  return r.json.items[0];
}

// Finds one object of each kind under a division prefix, as the admin.
async function objectsUnder(prefix, villageCode) {
  const village = villageCode || (await firstItem(admin, `/api/v1/villages?under=${prefix}&page_size=1`)).code;
  const org = await firstItem(admin, `/api/v1/party-orgs?under=${village}`);
  const person = await firstItem(admin, `/api/v1/people?under=${village}`);
  const post = await firstItem(admin, `/api/v1/posts?under=${village}`);
  return {
    village: `/api/v1/villages/${village}`,
    party_org: `/api/v1/party-orgs/${org.id}`,
    person: `/api/v1/people/${person.id}`,
    post: `/api/v1/posts/${post.id}`,
  };
}

// A body that rewrites the object as it is (a real write, audited, changing nothing visible).
async function bodyFor(kind, path) {
  const cur = (await admin.get(path)).json;
  switch (kind) {
    case 'village': return {
      households: cur.village?.households ?? 100, population: cur.village?.population ?? 300,
      area_km2: cur.village?.area_km2 ?? null, main_industries: cur.village?.main_industries ?? [],
      tags: cur.village?.tags ?? [] };
    case 'person': {
      const { revealed, age, division_name, ...rest } = cur;
      return rest;  // masked id_number and phone come back as they were shown: kept as stored
    }
    case 'party_org': return cur;
    case 'post': { const { person_name, division_name, ...rest } = cur; return rest; }
  }
}

before(async () => {
  demo = makeDemo();
  // A second county, so that even the county user has something out of scope.
  run(['--db', demo.db, 'import', 'divisions', '--under', '130623']);
  addUser(demo.db, 'root', 'admin', '', PASSWORDS.admin);
  addUser(demo.db, 'viewer1', 'viewer', '130624', PASSWORDS.viewer);
  server = await startServer(demo.db);
  admin = await loginAs(server.url, { username: 'root', password: PASSWORDS.admin });

  const township = demo.township.scope;
  const villages = (await admin.get(`/api/v1/villages?under=${township}&page_size=500`)).json.items
    .filter((v) => v.is_villagers_committee);
  const withPosts = [];
  for (const v of villages) {
    const posts = (await admin.get(`/api/v1/posts?under=${v.code}`)).json;
    const orgs = (await admin.get(`/api/v1/party-orgs?under=${v.code}`)).json;
    if (posts.total > 0 && orgs.total > 0) withPosts.push(v.code);
    if (withPosts.length === 2) break;
  }
  assert.equal(withPosts.length, 2, 'demo township needs two villages with posts');
  const [ownVillage, siblingVillage] = withPosts;
  ownVillageCode = ownVillage;
  addUser(demo.db, 'village1', 'village', ownVillage, PASSWORDS.village);

  const counties = (await admin.get('/api/v1/villages?under=130624&page_size=500')).json.items;
  const otherTownship = counties.find((v) => !v.code.startsWith(township) && v.is_villagers_committee
    && v.secretary_name).code;

  // Records in the other county, made by the admin.
  const farVillage = (await firstItem(admin, '/api/v1/villages?under=130623&page_size=1')).code;
  let r = await admin.put(`/api/v1/villages/${farVillage}`, { households: 120, population: 400, main_industries: ['苹果'], tags: [] });
  assert.equal(r.status, 200, r.text);
  r = await admin.post('/api/v1/party-orgs', { division_code: farVillage, kind: 'branch',
    name: '测试村党支部', member_count: 20, probationary_member_count: 1, founded_on: '1950-01-01',
    term_start: '2021-03-01', term_expiry: '2026-03-01' });
  assert.equal(r.status, 201, r.text);
  r = await admin.post('/api/v1/people', personBody(farVillage));
  assert.equal(r.status, 201, r.text);
  r = await admin.post('/api/v1/posts', { person_id: r.json.id, division_code: farVillage,
    kind: 'party_secretary', start_date: '2021-03-01', end_date: null });
  assert.equal(r.status, 201, r.text);

  objects.ownVillage = await objectsUnder(ownVillage, ownVillage);
  objects.sameTownship = await objectsUnder(siblingVillage, siblingVillage);
  objects.otherTownship = await objectsUnder(otherTownship, otherTownship);
  objects.otherCounty = await objectsUnder('130623', farVillage);
  for (const [place, kinds] of Object.entries(objects)) {
    writeBodies[place] = {};
    for (const [kind, path] of Object.entries(kinds)) writeBodies[place][kind] = await bodyFor(kind, path);
  }

  users.admin = admin;
  users.county = await loginAs(server.url, demo.county);
  users.township = await loginAs(server.url, demo.township);
  users.village = await loginAs(server.url, { username: 'village1', password: PASSWORDS.village });
  users.viewer = await loginAs(server.url, { username: 'viewer1', password: PASSWORDS.viewer });
});

after(async () => {
  await server?.stop();
  demo?.cleanup();
});

// Which places each role may see.
const visible = {
  admin: ['ownVillage', 'sameTownship', 'otherTownship', 'otherCounty'],
  county: ['ownVillage', 'sameTownship', 'otherTownship'],
  township: ['ownVillage', 'sameTownship'],
  village: ['ownVillage'],
  viewer: ['ownVillage', 'sameTownship', 'otherTownship'],
};
const places = ['ownVillage', 'sameTownship', 'otherTownship', 'otherCounty'];
const kinds = ['village', 'party_org', 'person', 'post'];

for (const role of Object.keys(visible)) {
  for (const place of places) {
    const inScope = visible[role].includes(place);
    test(`${role} reads ${place}: ${inScope ? '200' : '404'}`, async () => {
      for (const kind of kinds) {
        const r = await users[role].get(objects[place][kind]);
        assert.equal(r.status, inScope ? 200 : 404, `${role} GET ${kind} in ${place}: ${r.text}`);
      }
    });

    const canWrite = inScope && role !== 'viewer';
    const expected = canWrite ? 200 : role === 'viewer' ? 403 : 404;
    test(`${role} writes ${place}: ${expected}`, async () => {
      for (const kind of kinds) {
        const path = objects[place][kind];
        const before = await admin.get(path);
        const auditBefore = (await admin.get('/api/v1/audit?page_size=1')).json.total;
        const r = await users[role].put(path, writeBodies[place][kind]);
        assert.equal(r.status, expected, `${role} PUT ${kind} in ${place}: ${r.text}`);
        const afterward = await admin.get(path);
        const strip = (j) => { const { updated_at, village, ...rest } = j; return { ...rest, v: village && { ...village, updated_at: 0 } }; };
        assert.deepEqual(strip(afterward.json), strip(before.json), `${kind} changed`);
        const auditAfter = (await admin.get('/api/v1/audit?page_size=1')).json.total;
        assert.equal(auditAfter - auditBefore, canWrite ? 1 : 0, `audit rows for ${role} ${kind}`);
      }
    });
  }

  test(`${role} lists only its scope`, async () => {
    const scope = { admin: '', county: '130624', township: demo.township.scope,
      village: ownVillageCode, viewer: '130624' }[role];
    const people = (await users[role].get('/api/v1/people?page_size=500')).json;
    assert.ok(people.total > 0);
    for (const p of people.items) {
      assert.ok(p.division_code.startsWith(scope), `${role} sees ${p.division_code}`);
    }
    const outside = await users[role].get('/api/v1/people?under=130623');
    if (role === 'admin') assert.equal(outside.json.total, 1);
    else assert.ok(outside.status === 404 || outside.json.total === 0, `${role} under another county`);
  });
}

test('audit log is for admins only', async () => {
  assert.equal((await users.admin.get('/api/v1/audit')).status, 200);
  for (const role of ['county', 'township', 'village', 'viewer']) {
    assert.equal((await users[role].get('/api/v1/audit')).status, 403, role);
  }
});

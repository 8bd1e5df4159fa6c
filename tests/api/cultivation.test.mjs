// Cultivation (双培养, issue 6) through the API on the demo county: the demo's talent pool,
// pipelines, reminders, courses and practice; the talent pool on person records with duplicates
// refused by ID number; every membership and cadre rule broken answering 409 with the rule's
// name and nothing stored, and kept answering 201; bad input a 400 naming the field; a township
// user neither seeing nor writing another township's people; the CLI printing the same funnel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, loginAs, run } from '../harness/server.mjs';
import { idNumber, personBody } from '../harness/fixtures.mjs';

let demo, server, county, township;
let ownVillage, otherVillage;

// Today in Asia/Shanghai, and date arithmetic on ISO dates.
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
function addMonths(iso, n) {
  const [y, m, day] = iso.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${ny}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

before(async () => {
  demo = makeDemo();
  server = await startServer(demo.db);
  county = await loginAs(server.url, demo.county);
  township = await loginAs(server.url, demo.township);
  const villages = (await county.get('/api/v1/villages?page_size=500')).json.items;
  const rural = villages.filter((v) => /[23]\d\d$/.test(v.code));
  ownVillage = rural.find((v) => v.code.startsWith(demo.township.scope));
  otherVillage = rural.find((v) => !v.code.startsWith(demo.township.scope));
  assert.ok(ownVillage && otherVillage);
});
after(async () => {
  await server?.stop();
  demo?.cleanup();
});

function fields(r) { return (r.json?.errors ?? []).map((e) => e.field); }

let seq = 300;
function newPerson(village, over = {}) {
  seq += 2;
  const birth = over.birth_date ?? '1990-04-12';
  return personBody(village, {
    name: '测试人才', birth_date: birth, party_status: 'masses', party_join_date: null,
    id_number: idNumber('130624', birth, seq, over.sex ?? 'male'), ...over,
  });
}

async function addTalent(client, village, over = {}, person = {}) {
  const r = await client.post('/api/v1/talent', {
    source: 'wealth_leader', channel: 'mass_nomination', nominator: '村民代表会议',
    ability_rating: 4, skills: ['食用菌种植'], person: newPerson(village, person), ...over,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function peopleTotal() {
  const r = await county.get('/api/v1/people?page_size=1');
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

function step(client, person, stage, date, extra = {}) {
  return client.post(`/api/v1/membership/people/${person}/steps`, { stage, date, ...extra });
}

async function history(person) {
  const r = await county.get(`/api/v1/membership/people/${person}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// A broken rule: 409 naming it, and the person's history and status unchanged.
async function refused(r, rule, person) {
  const before = person ? await history(person) : null;
  const res = await r();
  assert.equal(res.status, 409, res.text);
  assert.match(res.json.detail, new RegExp(`rule ${rule}:`));
  if (person) assert.deepEqual(await history(person), before);
}

test('the demo county has talent, pipelines at every stage, reminders and training', async () => {
  const talent = await county.get('/api/v1/talent?page_size=500');
  assert.equal(talent.status, 200, talent.text);
  assert.ok(talent.json.total >= 100, `talent: ${talent.json.total}`);
  const sources = new Set(talent.json.items.map((t) => t.source));
  const channels = new Set(talent.json.items.map((t) => t.channel));
  assert.equal(sources.size, 5);
  assert.equal(channels.size, 3);
  for (const t of talent.json.items) assert.match(t.id_number, /^\d{3}\*+\w{4}$/);

  const funnel = await county.get('/api/v1/membership/funnel?level=township');
  assert.equal(funnel.status, 200, funnel.text);
  for (const stage of funnel.json.stages) assert.ok(funnel.json.totals[stage] > 0, stage);
  assert.ok(funnel.json.groups.length > 5);
  const byCounty = await county.get('/api/v1/membership/funnel?level=county');
  assert.deepEqual(byCounty.json.groups[0].counts, funnel.json.totals);

  const reminders = await county.get('/api/v1/membership/reminders');
  assert.equal(reminders.status, 200, reminders.text);
  const statuses = new Set(reminders.json.items.map((r) => r.status));
  assert.ok(statuses.has('due') && statuses.has('overdue'), [...statuses].join());
  const kinds = new Set(reminders.json.items.map((r) => r.kind));
  assert.ok(kinds.has('development_target_due') && kinds.has('probation_ending'));

  const health = await county.get('/api/v1/cultivation/team-health');
  assert.equal(health.status, 200, health.text);
  const short = health.json.villages.filter((v) => v.reserve_shortfall > 0).length;
  assert.ok(short > 0 && short < health.json.villages.length, `short: ${short}`);
  assert.equal(health.json.summary.villages_short_of_reserves, short);

  const courses = await county.get(`/api/v1/training/courses?year=${today.slice(0, 4) - 1}`);
  assert.equal(courses.status, 200, courses.text);
  assert.ok(courses.json.items.length >= 6);
  assert.ok(courses.json.items.some((c) => c.attendees > 0));
  const coverage = await county.get(`/api/v1/training/coverage?year=${today.slice(0, 4) - 1}`);
  assert.equal(coverage.status, 200, coverage.text);
  assert.ok(coverage.json.cadres > 0 && coverage.json.trained > 0);
  assert.ok(coverage.json.met < coverage.json.cadres);
  assert.equal(coverage.json.coverage, coverage.json.trained / coverage.json.cadres);

  assert.ok((await county.get('/api/v1/practice/secondments')).json.items.length > 5);
  assert.ok((await county.get('/api/v1/practice/mentoring')).json.items.length > 5);
});

test('the talent pool builds on person records and refuses duplicates by ID number', async () => {
  const people = await peopleTotal();
  const t = await addTalent(township, ownVillage.code);
  assert.equal(await peopleTotal(), people + 1);
  assert.equal(t.division_code, ownVillage.code);
  assert.match(t.id_number, /\*/);
  // The same person again, by person_id.
  const again = await county.post('/api/v1/talent', {
    person_id: t.person_id, source: 'veteran', channel: 'self_nomination' });
  assert.equal(again.status, 409, again.text);
  // Someone recorded in another township, entered again by this township: 409, nothing stored,
  // and the holder's name not told.
  const other = await addTalent(county, otherVillage.code, {}, { name: '外镇能人' });
  const full = await county.get(`/api/v1/people/${other.person_id}?reveal=true`);
  assert.equal(full.status, 200, full.text);
  const before = await peopleTotal();
  const dup = await township.post('/api/v1/talent', {
    source: 'veteran', channel: 'self_nomination',
    person: newPerson(ownVillage.code, { id_number: full.json.id_number, name: '冒名' }) });
  assert.equal(dup.status, 409, dup.text);
  assert.doesNotMatch(dup.text, /外镇能人/);
  assert.equal(await peopleTotal(), before);
  const check = await township.post('/api/v1/talent/duplicate-check', { id_number: full.json.id_number });
  assert.equal(check.status, 200, check.text);
  assert.deepEqual(check.json, { exists: true, in_scope: false });
  const mine = await county.post('/api/v1/talent/duplicate-check', { id_number: full.json.id_number });
  assert.equal(mine.json.person_id, other.person_id);
  assert.equal(mine.json.talent_id, other.id);
});

test('bad input is a 400 naming the field, with nothing stored', async () => {
  const before = await peopleTotal();
  let r = await township.post('/api/v1/talent', {
    source: 'tycoon', channel: 'mass_nomination', nominator: '', ability_rating: 7,
    person: newPerson(ownVillage.code) });
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).includes('source') && fields(r).includes('ability_rating'), r.text);
  r = await township.post('/api/v1/talent', { source: 'veteran', channel: 'self_nomination',
    person: newPerson(ownVillage.code, { id_number: '130624199001011235' }) });
  assert.equal(r.status, 400, r.text);
  assert.ok(fields(r).some((f) => f.startsWith('person.')), r.text);
  assert.equal(await peopleTotal(), before);

  const t = await addTalent(township, ownVillage.code);
  r = await step(township, t.person_id, 'founder', today);
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['stage']);
  r = await step(township, t.person_id, 'applicant', '2025-02-30');
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r), ['date']);

  r = await county.post('/api/v1/training/courses', {
    division_code: '130624', title: '培训', kind: 'on_job', mode: 'offline', direction: 'sideways',
    topics: ['cooking'], hours: 2.25, start_date: '2026-05-02', end_date: '2026-05-01' });
  assert.equal(r.status, 400, r.text);
  for (const f of ['direction', 'topics[0]', 'hours', 'end_date']) assert.ok(fields(r).includes(f), r.text);

  r = await county.put('/api/v1/cultivation/settings', { scope: '1306', reserve_target: 50, annual_hours: 32 });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(fields(r).sort(), ['reserve_target', 'scope']);
});

test('every membership rule: broken is a 409 naming it with nothing changed, kept is 201', async () => {
  // Under 18 on the application date.
  const young = await addTalent(township, ownVillage.code, {},
    { birth_date: addMonths(today, -12 * 18 + 1) });
  await refused(() => step(township, young.person_id, 'applicant', today), 'applicant_age_18',
    young.person_id);

  const t = await addTalent(township, ownVillage.code);
  const p = t.person_id;
  const applied = addMonths(today, -40);
  await refused(() => step(township, p, 'activist', applied), 'no_skipping', p);
  assert.equal((await step(township, p, 'applicant', applied)).status, 201);
  await refused(() => step(township, p, 'development_target', addDays(applied, 30)), 'no_skipping', p);
  await refused(() => step(township, p, 'activist', addDays(today, 1)), 'date_not_future', p);
  await refused(() => step(township, p, 'activist', addDays(applied, -1)), 'date_order', p);
  const activist = addDays(applied, 30);
  assert.equal((await step(township, p, 'activist', activist)).status, 201);
  await refused(() => step(township, p, 'development_target', addDays(addMonths(activist, 12), -1)),
    'activist_one_year', p);
  const target = addMonths(activist, 12);
  let r = await step(township, p, 'development_target', target);
  assert.equal(r.status, 201, r.text);
  const probation = addMonths(target, 2);
  r = await step(township, p, 'probationary_member', probation);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.next_eligible_on, addMonths(probation, 12));
  await refused(() => step(township, p, 'member', addDays(addMonths(probation, 12), -1)),
    'probation_one_year', p);
  r = await step(township, p, 'probation_extended', addMonths(probation, 12), { months: 6 });
  assert.equal(r.status, 201, r.text);
  await refused(() => step(township, p, 'probation_extended', addMonths(probation, 12), { months: 6 }),
    'probation_extend_once', p);
  await refused(() => step(township, p, 'member', addDays(addMonths(probation, 18), -1)),
    'probation_one_year', p);
  r = await step(township, p, 'member', addMonths(probation, 18));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.current_stage, 'member');
  const person = await county.get(`/api/v1/people/${p}`);
  assert.equal(person.json.party_status, 'member');
  assert.equal(person.json.party_join_date, probation);
  const timeline = await county.get(`/api/v1/cultivation/people/${p}/timeline`);
  assert.equal(timeline.status, 200, timeline.text);
  assert.equal(timeline.json.entries.filter((e) => e.kind === 'membership').length, 6);
  assert.equal(timeline.json.talent.id, t.id);
});

test('every cadre rule: broken is a 409 naming it, kept opens the post', async () => {
  const cadre = (person, stage, date = addMonths(today, -6)) =>
    township.post(`/api/v1/cadre-pipeline/people/${person}/steps`, { stage, date });
  const posts = async (person) => (await county.get(`/api/v1/cadre-pipeline/people/${person}`)).json;
  // Someone outside the talent pool.
  const plain = await township.post('/api/v1/people', newPerson(ownVillage.code));
  assert.equal(plain.status, 201, plain.text);
  await refused(() => cadre(plain.json.id, 'reserve_cadre'), 'cadre_order');
  const t = await addTalent(township, ownVillage.code, { source: 'veteran' });
  await refused(() => cadre(t.person_id, 'two_committee_member'), 'cadre_order');
  await refused(() => cadre(t.person_id, 'collective_manager'), 'manager_member_wealth_leader');
  let r = await cadre(t.person_id, 'reserve_cadre', addMonths(today, -12));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.current_posts, ['reserve_cadre']);
  await refused(() => cadre(t.person_id, 'reserve_cadre'), 'already_held');
  await refused(() => cadre(t.person_id, 'party_secretary'), 'cadre_order');
  await refused(() => cadre(t.person_id, 'two_committee_member', addMonths(today, -13)), 'date_order');
  r = await cadre(t.person_id, 'two_committee_member');
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.current_posts, ['two_committee_member']);
  const card = await county.get(`/api/v1/villages/${ownVillage.code}/team-health`);
  assert.equal(card.status, 200, card.text);
  if (card.json.secretary_vacancy_days === null) {
    await refused(() => cadre(t.person_id, 'party_secretary', today), 'one_secretary');
    assert.deepEqual((await posts(t.person_id)).current_posts, ['two_committee_member']);
  }
});

test('a township user neither sees nor writes another township\'s people', async () => {
  const other = await addTalent(county, otherVillage.code);
  assert.equal((await township.get(`/api/v1/talent/${other.id}`)).status, 404);
  assert.equal((await township.get(`/api/v1/membership/people/${other.person_id}`)).status, 404);
  assert.equal((await township.get(`/api/v1/cultivation/people/${other.person_id}/timeline`)).status, 404);
  const r = await step(township, other.person_id, 'applicant', addMonths(today, -1));
  assert.equal(r.status, 404, r.text);
  assert.equal((await history(other.person_id)).steps.length, 0);
  assert.equal((await township.put(`/api/v1/talent/${other.id}`, {
    source: 'veteran', channel: 'self_nomination' })).status, 404);
  assert.equal((await township.get(`/api/v1/villages/${otherVillage.code}/team-health`)).status, 404);
  const list = await township.get('/api/v1/talent?page_size=500');
  assert.ok(list.json.items.every((t) => t.division_code.startsWith(demo.township.scope)));
  const funnel = await township.get('/api/v1/membership/funnel?level=village');
  assert.ok(funnel.json.groups.every((g) => g.code.startsWith(demo.township.scope)));
  // A course organized by the county is visible; its attendance only for own people.
  const courses = await township.get('/api/v1/training/courses');
  const countyCourse = courses.json.items.find((c) => c.division_code === '130624');
  assert.ok(countyCourse);
  const detail = await township.get(`/api/v1/training/courses/${countyCourse.id}`);
  assert.ok(detail.json.attendance.every((a) => a.division_code.startsWith(demo.township.scope)));
  const att = await township.put(`/api/v1/training/courses/${countyCourse.id}/attendance`,
    { attendance: [{ person_id: other.person_id, attended: true, completed: true }] });
  assert.equal(att.status, 404, att.text);
  assert.equal((await township.put(`/api/v1/training/courses/${countyCourse.id}`, {
    ...countyCourse })).status, 403);
});

test('attendance counts towards coverage; the CLI prints the same funnel', async () => {
  const t = await addTalent(township, ownVillage.code, { source: 'returnee_graduate' });
  const year = Number(today.slice(0, 4));
  const course = await township.post('/api/v1/training/courses', {
    division_code: demo.township.scope, title: '后备干部集中培训', kind: 'on_job', mode: 'offline',
    direction: 'bring_in', topics: ['management'], hours: 8, start_date: `${year}-01-05`,
    end_date: `${year}-01-05`, place: '镇党校' });
  assert.equal(course.status, 201, course.text);
  const r = await township.put(`/api/v1/training/courses/${course.json.id}/attendance`,
    { attendance: [{ person_id: t.person_id, attended: true, completed: true }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.attendance[0].credited_hours, 8);
  const timeline = await township.get(`/api/v1/cultivation/people/${t.person_id}/timeline`);
  assert.equal(timeline.json.hours_this_year, 8);
  const bad = await township.put(`/api/v1/training/courses/${course.json.id}/attendance`,
    { attendance: [{ person_id: t.person_id, attended: false, completed: true, hours: 9 }] });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fields(bad).sort(), ['attendance[0].completed', 'attendance[0].hours']);

  const api = await county.get('/api/v1/membership/funnel?under=130624&level=township');
  const cli = run(['--db', demo.db, 'cultivation', 'funnel', '--division', '130624']);
  assert.deepEqual(JSON.parse(cli.stdout), api.json);
  const health = run(['--db', demo.db, 'cultivation', 'health', '--village', ownVillage.code]);
  const card = await county.get(`/api/v1/villages/${ownVillage.code}/team-health`);
  assert.deepEqual(JSON.parse(health.stdout), card.json);
});

// `qiangji match solve` (issue 4) on the documented example, black-box: the certificate shows 0
// blocking pairs, the committed result is what the binary gives today (same hashes), the rules
// hold in the output, and bad input exits 2 naming the JSON path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, repoRoot } from '../harness/server.mjs';

const example = join(repoRoot, 'docs', 'examples', 'match-problem.json');
let dir;

before(() => { dir = mkdtempSync(join(tmpdir(), 'qiangji-match-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

function solve(problem) {
  const file = join(dir, 'problem.json');
  writeFileSync(file, typeof problem === 'string' ? problem : JSON.stringify(problem));
  return run(['match', 'solve', file], { allowFail: true });
}

function exampleProblem() {
  return JSON.parse(readFileSync(example, 'utf8'));
}

test('the documented example: stable, certified, and the committed result bit for bit', () => {
  const result = JSON.parse(run(['match', 'solve', example]).stdout);
  assert.equal(result.certificate.blocking_pairs, 0);
  assert.equal(result.certificate.violations, 0);
  assert.equal(result.certificate.stable, true);
  assert.ok(result.certificate.checked_pairs > 0);
  assert.match(result.input_hash, /^[0-9a-f]{16}$/);
  assert.match(result.output_hash, /^[0-9a-f]{16}$/);

  const committed = JSON.parse(readFileSync(join(repoRoot, 'docs', 'examples', 'match-result.json'), 'utf8'));
  assert.equal(result.input_hash, committed.input_hash);
  assert.equal(result.output_hash, committed.output_hash);
  assert.deepEqual(result.assignments, committed.assignments);

  // -o writes the same result to a file.
  const written = join(dir, 'result.json');
  run(['match', 'solve', example, '-o', written]);
  assert.deepEqual(JSON.parse(readFileSync(written, 'utf8')), result);
});

test('the example obeys its rules: home county, seats, derived lists, reasons', () => {
  const problem = exampleProblem();
  const result = JSON.parse(run(['match', 'solve', example]).stdout);
  // 赵志刚 (p04) is from 阜平县 itself: excluded from every village, so unmatched with a reason.
  const homeCounty = result.exclusions.filter((e) => e.rule === 'home_county');
  assert.deepEqual([...new Set(homeCounty.map((e) => e.person))], ['p04']);
  assert.equal(homeCounty.length, problem.villages.length);
  const p04 = result.unmatched.people.find((u) => u.person === 'p04');
  assert.equal(p04.reason, 'no_acceptable_partner');
  assert.match(result.people.find((p) => p.id === 'p04').explanation, /home county/);
  assert.ok(!result.assignments.some((a) => a.person === 'p04'));

  // Seats respected; the two-seat village may hold two.
  const seats = Object.fromEntries(problem.villages.map((v) => [v.id, v.seats]));
  for (const v of result.villages) assert.ok(v.matched.length <= seats[v.id], v.id);
  assert.equal(seats.v06, 2);

  // Lists missing from the file are derived and labelled; submitted ones are not.
  const submittedPeople = Object.keys(problem.person_prefs);
  const derivedPeople = problem.people.map((p) => p.id).filter((id) => !submittedPeople.includes(id));
  assert.deepEqual(result.derived.person_prefs, derivedPeople);
  const submittedVillages = Object.keys(problem.village_prefs);
  assert.deepEqual(result.derived.village_prefs,
    problem.villages.map((v) => v.id).filter((id) => !submittedVillages.includes(id)));
  for (const p of result.people) assert.equal(p.list_derived, derivedPeople.includes(p.id));

  // Every person and village gets an explanation; the excluded pair never appears.
  assert.ok(result.people.every((p) => p.explanation.length > 0));
  assert.ok(result.villages.every((v) => v.explanation.length > 0));
  assert.ok(!result.assignments.some((a) => a.person === 'p10' && a.village === 'v09'));
  // No sending unit has two people in one township (max_per_unit_per_township: 1).
  const perTownship = new Map();
  const unitOf = Object.fromEntries(problem.people.map((p) => [p.id, p.unit]));
  const codeOf = Object.fromEntries(problem.villages.map((v) => [v.id, v.code]));
  for (const a of result.assignments) {
    const key = `${unitOf[a.person]}|${codeOf[a.village].slice(0, 9)}`;
    perTownship.set(key, (perTownship.get(key) ?? 0) + 1);
  }
  assert.ok([...perTownship.values()].every((n) => n <= 1));
});

test('optimal mode reports the price of stability', () => {
  const problem = { ...exampleProblem(), mode: 'optimal' };
  const r = solve(problem);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  const price = result.price_of_stability;
  assert.ok(price.optimal_total_fit >= price.stable_total_fit);
  assert.ok(price.ratio > 0 && price.ratio <= 1);
  assert.equal(result.total_fit, price.optimal_total_fit);
  assert.equal(result.certificate.violations, 0);
});

test('bad input exits 2 naming the JSON path', () => {
  let problem = exampleProblem();
  problem.person_prefs.p01 = [['v01'], ['v99']];
  let r = solve(problem);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /person_prefs\.p01\[1\]\[0\]: unknown village 'v99'/);

  problem = exampleProblem();
  problem.village_prefs.v03 = [['p09'], ['p77']];
  r = solve(problem);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /village_prefs\.v03\[1\]\[0\]: unknown person 'p77'/);

  problem = exampleProblem();
  problem.person_prefs.p02 = [['v02', 'v07'], ['v02']];
  r = solve(problem);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /person_prefs\.p02\[1\]\[0\]: ranks 'v02' again/);

  problem = exampleProblem();
  problem.villages[5].seats = -1;
  r = solve(problem);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /villages\[5\]\.seats: must not be negative/);

  r = solve('{"people": [');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /not valid JSON/);
});

// Runs a test file against a live server on a fresh demo database:
//   node tests/harness/with_server.mjs tests/browser/foo.test.mjs
// It passes the server's URL and the demo users to the test through QJ_URL, QJ_COUNTY_USER,
// QJ_COUNTY_PASS, QJ_TOWNSHIP_USER and QJ_TOWNSHIP_PASS, and stops the server afterwards.
import { spawnSync } from 'node:child_process';
import { makeDemo, startServer } from './server.mjs';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: with_server.mjs TEST_FILE...');
  process.exit(2);
}
const demo = makeDemo();
const server = await startServer(demo.db);
let status = 1;
try {
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: {
      ...process.env,
      QJ_URL: server.url,
      QJ_COUNTY_USER: demo.county.username,
      QJ_COUNTY_PASS: demo.county.password,
      QJ_TOWNSHIP_USER: demo.township.username,
      QJ_TOWNSHIP_PASS: demo.township.password,
    },
  });
  status = r.status ?? 1;
} finally {
  await server.stop();
  demo.cleanup();
}
process.exit(status);

// Test harness: builds a demo database in a temp folder with the real binary, starts
// `qiangji serve` on a free port, and gives tests a small HTTP client that keeps cookies and the
// CSRF token like a browser would. Used by the black-box API tests and the browser tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const bin = process.env.QJ_BIN || join(repoRoot, 'build', 'qiangji');

export const PASSWORDS = {
  county: 'county-pass-2026',
  township: 'township-pass-2026',
  admin: 'admin-pass-2026!',
  village: 'village-pass-2026',
  viewer: 'viewer-pass-2026',
};

// Runs the binary synchronously; throws with its output when it fails (unless allowFail).
export function run(args, { allowFail = false, input } = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', input, timeout: 300_000 });
  if (!allowFail && r.status !== 0) {
    throw new Error(`qiangji ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

// Creates a temp folder with a demo database of 阜平县 and returns its paths and demo users.
export function makeDemo() {
  const dir = mkdtempSync(join(tmpdir(), 'qiangji-test-'));
  const db = join(dir, 'qiangji.db');
  const out = run(['--db', db, 'demo', '--county', '130624',
    '--county-password', PASSWORDS.county, '--township-password', PASSWORDS.township]);
  const m = /town_(\d{9})/.exec(out.stdout);
  if (!m) throw new Error(`demo output names no township user:\n${out.stdout}`);
  return {
    dir, db,
    county: { username: 'county_admin', password: PASSWORDS.county, scope: '130624' },
    township: { username: `town_${m[1]}`, password: PASSWORDS.township, scope: m[1] },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}

export function addUser(db, username, role, scope, password) {
  return run(['--db', db, 'user', 'add', username, '--role', role, '--scope', scope,
    '--password', password]);
}

// Starts `qiangji serve` on a free port; resolves once it prints its URL.
export async function startServer(db, { web } = {}) {
  const args = ['--db', db, 'serve', '--host', '127.0.0.1', '--port', '0', '--threads', '4'];
  const webDir = web || process.env.QJ_WEB_DIR || join(repoRoot, 'web', 'dist');
  if (existsSync(webDir)) args.push('--web', webDir);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const onData = (chunk) => {
      log += chunk;
      const m = /qiangji serving (http:\/\/[^\s]+)/.exec(log);
      if (m) { clearTimeout(timer); resolveUrl(m[1].replace(/\/$/, '')); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  child.removeAllListeners('exit');
  return {
    url,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// A client that keeps the session cookie and sends the CSRF token on writes.
export class Client {
  constructor(url) { this.url = url; this.cookie = ''; this.csrf = ''; }

  async request(method, path, { body, raw, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (csrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let payload;
    if (raw !== undefined) { payload = raw; h['content-type'] ??= 'application/json'; }
    else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /qj_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `qj_session=${m[1]}` : '';
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, json, text };
  }

  get(path, o) { return this.request('GET', path, o); }
  post(path, body, o = {}) { return this.request('POST', path, { ...o, body }); }
  put(path, body, o = {}) { return this.request('PUT', path, { ...o, body }); }
  del(path, o) { return this.request('DELETE', path, o); }

  async login(username, password) {
    const r = await this.post('/api/v1/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    this.csrf = r.json.csrf_token;
    return r;
  }
}

export async function loginAs(url, user) {
  const c = new Client(url);
  await c.login(user.username, user.password);
  return c;
}

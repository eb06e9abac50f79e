// Smoke test of the single executable (dist/habar): built fresh, run from a temp dir with an
// empty environment (no node on PATH), as an operator would on a bare server.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CookieJar, csrfFrom } from './testing/test-app.ts';
import { startS3StandIn } from './testing/s3-stand-in.ts';
import { openSqlite } from './db/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const test = suite('single executable');
const NEW_PASSWORD = 'steppe eagle 2026';

let bin = '';
let work = '';

test.before(() => {
  execFileSync(path.join(root, 'node_modules/.bin/node'), ['--import', 'tsx', 'scripts/build-sea.ts', '--out', path.join(os.tmpdir(), `habar-bin-${process.pid}`)], { cwd: root, stdio: 'pipe' });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'habar-smoke-'));
  bin = path.join(work, 'habar');
  fs.renameSync(path.join(os.tmpdir(), `habar-bin-${process.pid}`), bin);
});
test.after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function run(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(bin, args, { cwd: work, env: {}, input, stdio: 'pipe' }).toString();
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: Buffer; stderr: Buffer };
    return { code: e.status, stdout: e.stdout.toString(), stderr: e.stderr.toString() };
  }
}

/** Like run(), but this process keeps serving meanwhile (a stand-in the binary talks to). */
function runAsync(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(bin, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function start(dataDir: string): Promise<{ proc: ChildProcess; url: string; lines: string[] }> {
  const proc = spawn(bin, ['serve', '--data-dir', dataDir, '--port', '0'], { cwd: work, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no listening line within 20 s')), 20_000);
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const l of parts) {
        lines.push(l);
        const m = l.match(/^listening: (\S+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { proc, url, lines };
}

async function stop(proc: ChildProcess): Promise<number | null> {
  const done = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.kill('SIGTERM');
  return done;
}

async function login(url: string, email: string, password: string): Promise<{ jar: CookieJar; status: number }> {
  const jar = new CookieJar();
  const page = await fetch(`${url}/login`);
  jar.store(page);
  const res = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ _csrf: csrfFrom(await page.text()), email, password }),
  });
  jar.store(res);
  return { jar, status: res.status };
}

test('the binary serves, backs up while serving, restores into a fresh data dir and finds the client', async () => {
  assert.match(run(['version']).stdout, /^habar \d+\.\d+\.\d+/);
  // The WhatsApp connector (Baileys, bundled without its optional extras) loads and works inside the binary.
  assert.match(run(['doctor', '--data-dir', path.join(work, 'none')]).stdout, /ok {4}whatsapp {4}Baileys loaded \(protobuf and signal keys work\)/);
  const dataA = path.join(work, 'a');
  const first = await start(dataA);
  try {
    const ready = await fetch(`${first.url}/readyz`);
    assert.is(ready.status, 200);
    const htmx = await fetch(`${first.url}/public/htmx.min.js`);
    assert.is(htmx.status, 200);
    // The WAL checkpointer thread runs inside the binary too (its own embedded bundle).
    let metrics = '';
    for (let i = 0; i < 50 && !/habar_wal_checkpointer_active 1/.test(metrics); i++) {
      metrics = await (await fetch(`${first.url}/metrics`)).text();
      if (!/habar_wal_checkpointer_active 1/.test(metrics)) await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(metrics, /habar_wal_checkpointer_active 1/);
    const pw = first.lines.find((l) => l.startsWith('admin password: '))!.slice('admin password: '.length);
    const { jar: j1, status } = await login(first.url, 'admin@habar.local', pw);
    assert.is(status, 303);
    const form = await fetch(`${first.url}/account/password`, { headers: { cookie: j1.header() } });
    const changed = await fetch(`${first.url}/account/password`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: j1.header() },
      body: new URLSearchParams({ _csrf: csrfFrom(await form.text()), current: pw, password: NEW_PASSWORD, repeat: NEW_PASSWORD }),
    });
    assert.is(changed.status, 303);
    const created = run(['client', 'create', '--data-dir', dataA, '--slug', 'kaspi-flowers', '--name', 'Kaspi Flowers LLP']);
    assert.is(created.code, 0, created.stderr);
    const backup = run(['backup', '--data-dir', dataA, '--out', path.join(work, 'copy.db')]);
    assert.is(backup.code, 0, backup.stderr);
    assert.is(await stop(first.proc), 0);

    const dataB = path.join(work, 'b');
    fs.mkdirSync(dataB);
    fs.copyFileSync(path.join(dataA, 'master.key'), path.join(dataB, 'master.key'));
    const restored = run(['restore', '--data-dir', dataB, path.join(work, 'copy.db')]);
    assert.is(restored.code, 0, restored.stderr);

    const second = await start(dataB);
    try {
      assert.not.ok(second.lines.some((l) => l.startsWith('admin password')), 'a restored data dir prints no new password');
      const { jar, status: s2 } = await login(second.url, 'admin@habar.local', NEW_PASSWORD);
      assert.is(s2, 303);
      const page = await fetch(`${second.url}/clients/kaspi-flowers`, { headers: { cookie: jar.header() }, redirect: 'manual' });
      assert.is(page.status, 200);
      assert.match(await page.text(), /Kaspi Flowers LLP/);
    } finally {
      await stop(second.proc);
    }
  } finally {
    if (first.proc.exitCode === null) first.proc.kill('SIGKILL');
  }
});

test('the binary uploads an encrypted backup off-site (its threads embedded) and restores it onto an empty data dir', async () => {
  const s3 = await startS3StandIn();
  try {
    const dataA = path.join(work, 'a');
    const set = await runAsync(['settings', 'set', '--data-dir', dataA, `backup.remote.endpoint=${s3.endpoint}`, 'backup.remote.bucket=habar-backups',
      `backup.remote.access_key=${s3.accessKey}`, `backup.remote.secret_key=${s3.secretKey}`, 'backup.remote.in_kazakhstan=true', 'backup.remote.enabled=true']);
    assert.is(set.code, 0, set.stderr);
    const up = await runAsync(['backup', '--data-dir', dataA, '--to', 'remote']);
    assert.is(up.code, 0, up.stderr);
    assert.match(up.stdout, /^backup: habar-\d{8}T\d{6}Z\.db\.enc \(\d+ bytes, schema \d+\)$/m);
    const dataC = path.join(work, 'c');
    const env = {
      HABAR_MASTER_KEY: fs.readFileSync(path.join(dataA, 'master.key'), 'utf8').trim(),
      HABAR_BACKUP_REMOTE_ACCESS_KEY: s3.accessKey, HABAR_BACKUP_REMOTE_SECRET_KEY: s3.secretKey,
    };
    const restored = await runAsync(['restore', '--data-dir', dataC, '--from', 'remote', '--remote-endpoint', s3.endpoint, '--remote-bucket', 'habar-backups'], env);
    assert.is(restored.code, 0, restored.stderr);
    const db = openSqlite(path.join(dataC, 'habar.db'), { readonly: true });
    assert.ok(db.prepare("SELECT 1 FROM clients WHERE slug = 'kaspi-flowers'").get());
    db.close();
  } finally {
    await s3.close();
  }
});

test.run();

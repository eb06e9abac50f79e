import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { openSqlite, verifyDataFile } from '../db/index.ts';
import { runHabar, startHabar } from '../testing/cli.ts';
import { httpLogin, httpRequest } from '../testing/http-client.ts';
import { tempDirs } from '../testing/test-app.ts';

const test = suite('habar serve (real process)');
const dirs = tempDirs();
const fresh = dirs.fresh;
test.after(dirs.cleanup);

test('serve prints the URL and a one-time password on stdout, logs JSON without secrets on stderr, and stops cleanly on SIGTERM', async () => {
  const dir = fresh();
  const server = await startHabar(['--data-dir', dir], { env: { HABAR_LOG_LEVEL: 'debug' } });
  assert.ok(server.adminPassword, 'the one-time admin password is printed');
  const chat = server.stdout().match(/^customer chat: (\S+)$/m)?.[1];
  assert.equal(server.stdout().trim().split('\n'), [`listening: ${server.url}`, `admin password: ${server.adminPassword}`, `customer chat: ${chat}`]);
  assert.match(chat ?? '', new RegExp(`^${server.url}/c/[A-Za-z0-9_-]{8,}$`), 'the demo client\'s customer chat link');
  const chatPage = await httpRequest(chat!);
  assert.is(chatPage.status, 200, 'the printed link opens the customer chat');
  assert.is((await httpRequest(`${server.url}/readyz`)).status, 200);
  const { res } = await httpLogin(server.url, 'admin@habar.local', server.adminPassword!);
  assert.is(res.status, 303, 'the printed password logs in');
  await httpLogin(server.url, 'admin@habar.local', 'a wrong password here');

  // A customer writes personal data: none of it may reach a log line, even at debug level.
  const key1 = await runHabar(['api-key', 'create', '--data-dir', dir, '--client', 'demo']);
  assert.is(key1.code, 0, key1.stderr);
  const channels = JSON.parse((await httpRequest(`${server.url}/api/v1/channels`, { headers: { authorization: `Bearer ${key1.stdout.trim()}` } })).body);
  const customerUrl = channels.data.find((ch: { kind: string }) => ch.kind === 'sandbox').customer_url as string;
  const sent = await httpRequest(`${customerUrl}/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Мой номер +7 701 555 12 34, почта aigerim.nurlanova@example.kz', customer: 'cust-log-check' }),
  });
  assert.is(sent.status, 201);

  assert.is(await server.stop('SIGTERM'), 0);
  const key = fs.readFileSync(path.join(dir, 'master.key'), 'utf8').trim();
  const lines = server.stderr().trim().split('\n');
  assert.ok(lines.length >= 3);
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.ok(entry.category && entry.level && entry.msg, line);
  }
  for (const secret of [server.adminPassword!, key, key1.stdout.trim(), '555 12 34', 'aigerim.nurlanova', 'Мой номер', customerUrl.split('/c/')[1]]) {
    assert.not.ok(server.stderr().includes(secret), `no secret or personal data in the logs (${secret.slice(0, 4)}…)`);
  }
  assert.ok(lines.some((l) => JSON.parse(l).request_id), 'request lines carry a request id');
  assert.not.ok(server.stdout().includes(key));

  // Clean shutdown: WAL folded in, pid file gone; a copy of habar.db alone is complete.
  const wal = path.join(dir, 'habar.db-wal');
  assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'no WAL content left');
  assert.not.ok(fs.existsSync(path.join(dir, 'habar.pid')));
  const copyDir = fresh();
  fs.copyFileSync(path.join(dir, 'habar.db'), path.join(copyDir, 'habar.db'));
  verifyDataFile(path.join(copyDir, 'habar.db'));
  const copy = openSqlite(path.join(copyDir, 'habar.db'));
  assert.equal(copy.prepare("SELECT slug FROM clients WHERE slug = 'demo'").get(), { slug: 'demo' });
  assert.is((copy.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.signed_in'").get() as { n: number }).n, 1, 'the login made just before the stop is in the file');
  copy.close();

  // A second start on the same data prints no password.
  const again = await startHabar(['--data-dir', dir]);
  assert.is(again.adminPassword, undefined);
  assert.is(again.stdout().trim(), `listening: ${again.url}`);
  assert.is(await again.stop(), 0);
});

test('a first start on a port in use still shows the one-time password and says how to fix the port', async () => {
  const busy = await startHabar(['--data-dir', fresh()]);
  try {
    const port = new URL(busy.url).port;
    const res = await runHabar(['serve', '--data-dir', fresh(), '--port', port]);
    assert.is.not(res.code, 0);
    assert.match(res.stdout, /^admin password: \S+/m);
    assert.match(res.stderr, /in use: choose another with --port/);
  } finally {
    await busy.stop();
  }
});

test('a backup taken while serving restores into a fresh data dir with the client; restore refuses the live data dir', async () => {
  const dir = fresh();
  const server = await startHabar(['--data-dir', dir]);
  try {
    const created = await runHabar(['client', 'create', '--data-dir', dir, '--slug', 'acme', '--name', 'Acme LLP', '--phone', '+7 701 234 56 78']);
    assert.is(created.code, 0, created.stderr);
    assert.match(created.stdout, /client created: acme/);
    const out = path.join(fresh(), 'nightly.db');
    const backup = await runHabar(['backup', '--data-dir', dir, '--out', out]);
    assert.is(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /^backup: .*nightly\.db/m);

    const refused = await runHabar(['restore', '--data-dir', dir, out]);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /is serving .*stop it before you restore/);
    assert.not.ok(fs.existsSync(path.join(dir, 'backups')), 'nothing was touched');
    assert.is((await httpRequest(`${server.url}/readyz`)).status, 200, 'the server still runs');

    const target = fresh();
    const restored = await runHabar(['restore', '--data-dir', target, out], { env: { HABAR_MASTER_KEY_FILE: path.join(dir, 'master.key') } });
    assert.is(restored.code, 0, restored.stderr);
    assert.is(restored.stderr, '', 'the key matches: no warning');
    const db = openSqlite(path.join(target, 'habar.db'));
    assert.equal(db.prepare("SELECT name, phone FROM clients WHERE slug = 'acme'").get(), { name: 'Acme LLP', phone: '+7 701 234 56 78' });
    db.close();
  } finally {
    await server.stop();
  }
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { generateKey } from '../vault/index.ts';
import { getSetting } from '../settings/index.ts';
import { runHabar, runHabarInProcess } from '../testing/cli.ts';
import { loginAs, makeTestApp, type TestApp } from '../testing/test-app.ts';

const test = suite('habar user / client / settings / doctor (real process)');

/** A data dir made by the real app, closed so the CLI works on it alone; reopen() gives the app back. */
async function dataDir(env: Record<string, string> = {}) {
  const first = await makeTestApp({ env });
  await first.close();
  let app: TestApp | undefined;
  return {
    dir: first.dir,
    async reopen() {
      app = await makeTestApp({ dir: first.dir, env, seed: false });
      return app;
    },
    async cleanup() {
      if (app) await app.close();
      fs.rmSync(first.dir, { recursive: true, force: true });
    },
  };
}

test('user create with --password-stdin makes a user who can log in; reset-password prints a one-time password and ends sessions', async () => {
  const d = await dataDir();
  try {
    const created = await runHabar(['user', 'create', '--data-dir', d.dir, '--email', 'Ops@Example.kz', '--role', 'support', '--name', 'Ops', '--password-stdin'], { stdin: 'a long enough pass\n' });
    assert.is(created.code, 0, created.stderr);
    assert.match(created.stdout, /^user created: ops@example\.kz \(support, id \w+\)$/m);
    assert.not.match(created.stdout, /a long enough pass/);
    let app = await d.reopen();
    const jar = await loginAs(app, 'ops@example.kz', 'a long enough pass');
    assert.is((await app.request('/', { jar })).status, 200);
    await app.close();

    const reset = await runHabar(['user', 'reset-password', '--data-dir', d.dir, '--email', 'ops@example.kz']);
    assert.is(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /1 session ended/);
    const oneTime = reset.stdout.match(/^one-time password: (\S+)$/m)?.[1];
    assert.ok(oneTime);
    app = await d.reopen();
    assert.is((await app.request('/', { jar })).status, 303, 'the old session is gone');
    const again = await loginAs(app, 'ops@example.kz', oneTime!);
    assert.is((await app.request('/', { jar: again })).headers.get('location'), '/account/password', 'the one-time password must be changed');
  } finally {
    await d.cleanup();
  }
});

test('client create and user create --client make a client with its owner; a member role without --client or a weak password is refused', async () => {
  const d = await dataDir();
  try {
    const client = await runHabarInProcess(['client', 'create', '--data-dir', d.dir, '--slug', 'altyn', '--name', 'ТОО Алтын Сауда', '--contact-email', 'info@altyn.kz']);
    assert.is(client.code, 0, client.stderr);
    const owner = await runHabarInProcess(['user', 'create', '--data-dir', d.dir, '--client', 'altyn', '--email', 'boss@altyn.kz', '--role', 'owner']);
    assert.is(owner.code, 0, owner.stderr);
    assert.match(owner.stdout, /^user created: boss@altyn\.kz \(owner of altyn, id \w+\)\none-time password: \S+\n$/);
    const unknown = await runHabarInProcess(['user', 'create', '--data-dir', d.dir, '--client', 'nope', '--email', 'x@altyn.kz', '--role', 'agent']);
    assert.is(unknown.code, 1);
    assert.match(unknown.stderr, /No client with the slug "nope"/);
    const noClient = await runHabarInProcess(['user', 'create', '--data-dir', d.dir, '--email', 'o@example.kz', '--role', 'owner', '--password-stdin'], { stdin: 'a long enough pass' });
    assert.is(noClient.code, 2);
    assert.match(noClient.stderr, /add --client SLUG/);
    const weak = await runHabarInProcess(['user', 'create', '--data-dir', d.dir, '--email', 'w@example.kz', '--role', 'admin', '--password-stdin'], { stdin: 'short' });
    assert.is(weak.code, 1);
    assert.match(weak.stderr, /at least 10 characters/);
  } finally {
    await d.cleanup();
  }
});

test('settings set key=- reads a secret from stdin and stores it sealed, seen at once by the open app; a bad value changes nothing', async () => {
  const d = await dataDir();
  try {
    // The app stays open meanwhile, as a running server would.
    const app = await d.reopen();
    const r = await runHabar(['settings', 'set', '--data-dir', d.dir, 'smtp.host=mail.example.kz', 'smtp.password=-'], { stdin: 'smtp-secret-value-42\n' });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /smtp\.password: set \(sealed\)/);
    assert.not.match(r.stdout + r.stderr, /smtp-secret-value-42/);
    const bad = await runHabarInProcess(['settings', 'set', '--data-dir', d.dir, 'smtp.host=other.example.kz', 'smtp.port=99999']);
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /smtp\.port: Expected a whole number from 1 to 65535/);
    const row = app.ctx.sqlite.prepare("SELECT value, sealed FROM settings WHERE key = 'smtp.password'").get() as { value: string; sealed: number };
    assert.is(row.sealed, 1);
    assert.ok(row.value.startsWith('hv1.') && !row.value.includes('smtp-secret-value-42'));
    assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'smtp.password'), 'smtp-secret-value-42');
    assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'smtp.host'), 'mail.example.kz', 'the failed call changed nothing');
  } finally {
    await d.cleanup();
  }
});

test('an unknown command or option exits 2 with a message', async () => {
  const cmd = await runHabar(['frobnicate']);
  assert.is(cmd.code, 2);
  assert.match(cmd.stderr, /unknown command "frobnicate"/);
  const opt = await runHabarInProcess(['backup', '--outfile', 'x.db']);
  assert.is(opt.code, 2);
  assert.match(opt.stderr, /unknown option --outfile/);
});

test('doctor shows the effective config with the key masked, and fails on a wrong key', async () => {
  const key = generateKey();
  const d = await dataDir({ HABAR_MASTER_KEY: key.toString('hex') });
  try {
    const ok = await runHabar(['doctor', '--data-dir', d.dir], { env: { HABAR_MASTER_KEY: key.toString('hex') } });
    assert.is(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /master_key\s+from HABAR_MASTER_KEY \(\*\*\*\*\)/);
    assert.match(ok.stdout, /ok\s+master key\s+HABAR_MASTER_KEY, key id \w+, opens this data file/);
    assert.match(ok.stdout, /ok\s+integrity/);
    assert.match(ok.stdout, /ok\s+schema\s+version \d+ \(current\)/);
    for (const form of [key.toString('hex'), key.toString('base64')]) assert.not.ok((ok.stdout + ok.stderr).includes(form), 'the key is never printed');

    const wrong = await runHabar(['doctor', '--data-dir', d.dir], { env: { HABAR_MASTER_KEY: generateKey().toString('hex') } });
    assert.is(wrong.code, 1);
    assert.match(wrong.stdout, /FAIL\s+master key\s+HABAR_MASTER_KEY .*does not open this data file/);
  } finally {
    await d.cleanup();
  }
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DEFAULT_ADMIN_EMAIL } from '../tenants/index.ts';
import { httpLogin } from '../testing/http-client.ts';
import { makeTestApp, tempDir } from '../testing/test-app.ts';

const test = suite('HTTPS and reverse proxies');

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI, or undefined when it is not installed. */
function selfSigned(): { cert: string; key: string; dir: string } | undefined {
  const dir = tempDir('habar-tls-');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), dir };
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const cookieNamed = (cookies: string[], name: string) => cookies.find((c) => c.startsWith(`${name}=`));

test('with --tls-cert and --tls-key Habar serves HTTPS itself and its cookies are Secure', async () => {
  const tls = selfSigned();
  if (!tls) {
    console.log('  skipped: the openssl CLI is not installed, so no test certificate can be made');
    return;
  }
  const app = await makeTestApp({ flags: { 'tls-cert': tls.cert, 'tls-key': tls.key, host: '127.0.0.1' } });
  try {
    const url = await app.listen();
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const { res, cookies } = await httpLogin(url, DEFAULT_ADMIN_EMAIL, app.adminPassword!, { ca: fs.readFileSync(tls.cert) });
    assert.is(res.status, 303);
    assert.match(res.headers['strict-transport-security'] as string, /max-age=\d+/);
    for (const name of ['habar_session', 'habar_csrf']) {
      const cookie = cookieNamed(cookies, name);
      assert.ok(cookie, `${name} is set`);
      assert.match(cookie!, /;\s*Secure/i, `${name} is Secure`);
      assert.match(cookie!, /;\s*HttpOnly/i);
    }
  } finally {
    await app.cleanup();
    fs.rmSync(tls.dir, { recursive: true, force: true });
  }
});

test('over plain HTTP the session cookie is not marked Secure (so the browser keeps it)', async () => {
  const app = await makeTestApp({ flags: { host: '127.0.0.1' } });
  try {
    const { res, cookies } = await httpLogin(await app.listen(), DEFAULT_ADMIN_EMAIL, app.adminPassword!);
    assert.is(res.status, 303);
    assert.not.match(cookieNamed(cookies, 'habar_session')!, /Secure/i);
  } finally {
    await app.cleanup();
  }
});

async function failedLoginIp(flags: Record<string, string>, headers: Record<string, string>): Promise<string> {
  const app = await makeTestApp({ flags: { host: '127.0.0.1', ...flags } });
  try {
    const { res } = await httpLogin(await app.listen(), DEFAULT_ADMIN_EMAIL, 'not the password at all', { headers });
    assert.is(res.status, 401);
    const row = await app.ctx.db.selectFrom('audit_log').select('ip').where('action', '=', 'auth.sign_in_failed').executeTakeFirstOrThrow();
    return row.ip;
  } finally {
    await app.cleanup();
  }
}

test('behind --trust-proxy the audit log records the address the proxy saw (the last X-Forwarded-For entry)', async () => {
  const forged = { 'x-forwarded-for': '198.51.100.66, 203.0.113.7' };
  assert.is(await failedLoginIp({ 'trust-proxy': 'true' }, forged), '203.0.113.7');
  assert.is(await failedLoginIp({}, forged), '127.0.0.1', 'without --trust-proxy the header is ignored');
});

test.run();

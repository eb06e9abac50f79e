import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { BOOT_OPTIONS, loadBootConfig } from './boot-config.ts';
import { ROOT, runHabar, runHabarInProcess } from '../testing/cli.ts';
import { tempDir } from '../testing/test-app.ts';

const test = suite('boot configuration');

test("every boot option is in the README's configuration table, with its flag and its HABAR_* variable", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const tableRows = readme.split('\n').filter((l) => l.trim().startsWith('|'));
  const missing: string[] = [];
  for (const o of BOOT_OPTIONS) {
    const row = tableRows.find((l) => l.includes(o.env));
    if (!row) missing.push(o.env);
    // The master key is accepted from the environment only, so it has no flag to document.
    else if (o.flagAllowed !== false && !row.includes(`--${o.flag}`)) missing.push(`--${o.flag} (in the ${o.env} row)`);
  }
  assert.equal(missing, [], `README.md's configuration table lacks: ${missing.join(', ')}`);
});

test('flags win over HABAR_* variables, which win over the defaults', () => {
  const env = { HABAR_PORT: '9000', HABAR_HOST: '0.0.0.0', HABAR_LOG_LEVEL: 'warn' };
  const cfg = loadBootConfig({ port: '9100' }, env);
  assert.is(cfg.port, 9100);
  assert.is(cfg.host, '0.0.0.0');
  assert.is(cfg.logLevel, 'warn');
  assert.is(cfg.dataDir, path.resolve('./data'));
  assert.is(cfg.masterKeyFile, path.resolve('./data/master.key'));
  assert.ok(Object.isFrozen(cfg));
});

test('a bad port exits non-zero (real process) with a message that says what is allowed', async () => {
  const r = await runHabar(['serve', '--port', '99999']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--port must be a whole number from 0 to 65535 \(got "99999"\)/);
  assert.is(r.stdout, '');
});

test('other bad boot values exit non-zero with a message saying how to fix them', async () => {
  const dir = tempDir();
  try {
    const cert = path.join(dir, 'cert.pem');
    fs.writeFileSync(cert, '');
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--tls-cert', cert], {}, /--tls-cert and --tls-key go together: give both files or neither/],
      [['--tls-cert', cert, '--tls-key', path.join(dir, 'nope.pem')], {}, /--tls-key: there is no file .*nope\.pem/],
      [['--public-url', 'habar.example.kz'], {}, /--public-url must be an http\(s\) URL such as https:\/\/habar\.example\.kz \(got "habar\.example\.kz"\)/],
      [[], { HABAR_PUBLIC_URL: 'ftp://x.kz' }, /HABAR_PUBLIC_URL must be an http\(s\) URL/],
      [[], { HABAR_PORT: 'abc' }, /HABAR_PORT must be a whole number from 0 to 65535 \(got "abc"\)/],
      [['--trust-proxy', 'maybe'], {}, /--trust-proxy must be true or false/],
      [['--log-level', 'loud'], {}, /--log-level must be debug, info, warn or error/],
      [['--master-key', 'abc'], {}, /not accepted on the command line .*set HABAR_MASTER_KEY instead/],
    ];
    for (const [args, env, message] of cases) {
      const r = await runHabarInProcess(['serve', '--data-dir', dir, ...args], { env });
      assert.is(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    assert.not.ok(fs.existsSync(path.join(dir, 'habar.db')), 'nothing was started');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

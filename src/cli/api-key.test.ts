import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { runHabar, runHabarInProcess } from '../testing/cli.ts';
import { makeTestApp } from '../testing/test-app.ts';
import { apiClient } from '../testing/api-client.ts';

const test = suite('habar api-key create');

test('prints the new key alone on stdout, and the API takes it as a bearer key', async () => {
  const first = await makeTestApp();
  await first.close();
  try {
    const out = await runHabar(['api-key', 'create', '--data-dir', first.dir, '--client', 'demo', '--label', 'ci script']);
    assert.is(out.code, 0, out.stderr);
    assert.match(out.stdout, /^hbr_[A-Za-z0-9_-]{43}\n$/);
    const key = out.stdout.trim();
    const app = await makeTestApp({ dir: first.dir, seed: false });
    try {
      const channels = await apiClient(app, key)('GET', '/api/v1/channels');
      assert.is(channels.status, 200);
      const keys = await apiClient(app, key)('GET', '/api/v1/api-keys');
      assert.equal([keys.body.data[0].label, keys.body.data[0].created_by], ['ci script', 'cli']);
      const audit = await app.ctx.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'api_key.created').execute();
      assert.equal(audit, [{ action: 'api_key.created', actor_label: 'cli' }]);
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(first.dir, { recursive: true, force: true });
  }
});

test('an unknown client or a missing --client is refused with a message and no key', async () => {
  const first = await makeTestApp();
  await first.close();
  try {
    const unknown = await runHabarInProcess(['api-key', 'create', '--data-dir', first.dir, '--client', 'nobody']);
    assert.is(unknown.code, 1);
    assert.is(unknown.stdout, '');
    assert.match(unknown.stderr, /No client with the slug "nobody"/);
    const missing = await runHabarInProcess(['api-key', 'create', '--data-dir', first.dir]);
    assert.is(missing.code, 2);
    assert.match(missing.stderr, /--client is required/);
  } finally {
    fs.rmSync(first.dir, { recursive: true, force: true });
  }
});

test.run();

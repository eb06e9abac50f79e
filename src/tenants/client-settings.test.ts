import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { postForm, type TestApp } from '../testing/test-app.ts';
import { auditRowsOf, twoEdges, type TwoEdges } from '../testing/api-client.ts';
import { runHabarInProcess } from '../testing/cli.ts';
import { getSetting } from '../settings/index.ts';

// A client's settings change through one command (updateClientSettings) from the settings screen,
// PUT /api/v1/settings/{area} and `habar settings set --client`: the same validation and audit row.

const test = suite<TwoEdges>('client settings: one command from the UI, the API and the CLI');

test.before.each((ctx) => twoEdges(ctx));
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const audits = (app: TestApp) => auditRowsOf(app, 'settings.updated');
const KEY = 'auto_reply.online_minutes';

test('the screen, the API and the CLI store the value and leave the same settings.updated row', async ({ app, t, owner, ownerEmail }) => {
  assert.is((await postForm(app, owner, '/clients/acme/settings', { [KEY]: '15' })).status, 303);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, KEY, t.client.id), '15');
  assert.is((await t.api('PUT', '/api/v1/settings/auto-reply', { online_minutes: 20 })).status, 200);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, KEY, t.client.id), '20');
  const cli = await runHabarInProcess(['settings', 'set', '--data-dir', app.dir, '--client', 'acme', `${KEY}=25`]);
  assert.is(cli.code, 0, cli.stderr);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, KEY, t.client.id), '25');
  const rows = await audits(app);
  assert.equal(rows.map((r) => r.actor_label.replace(/^api-key:.*/, 'api-key')), [ownerEmail, 'api-key', 'cli']);
  for (const r of rows) {
    assert.equal({ ...r, actor_label: '' }, { action: 'settings.updated', actor_label: '', client_id: t.client.id, target_type: 'client', target_id: t.client.id, details: JSON.stringify({ keys: [KEY] }) });
  }
});

test('an out-of-range value is refused by all three, and nothing is stored or audited', async ({ app, t, owner }) => {
  assert.is((await postForm(app, owner, '/clients/acme/settings', { [KEY]: '0' })).status, 422);
  const api = await t.api('PUT', '/api/v1/settings/auto-reply', { online_minutes: 0 });
  assert.is(api.status, 400);
  assert.is(api.body.error.field, 'online_minutes');
  const cli = await runHabarInProcess(['settings', 'set', '--data-dir', app.dir, '--client', 'acme', `${KEY}=0`]);
  assert.is(cli.code, 1);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, KEY, t.client.id), undefined);
  assert.is((await audits(app)).length, 0);
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { listAudit, recordAudit, SYSTEM_ACTOR, type AuditAction } from '../../audit/index.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { Client } from '../../tenants/index.ts';

const test = suite<{ app: TestApp; client: Client; owner: CookieJar; support: CookieJar }>('support access');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ clock: new ManualClock('2026-03-02T06:00:00.000Z') });
  ctx.client = await buildClient(ctx.app, { slug: 'acme' });
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  const support = await buildUser(ctx.app, 'support', null, 'helper@operator.kz');
  ctx.support = await loginAs(ctx.app, support.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('support staff are blocked without a grant, allowed while one is active, and each access is audited', async ({ app, client, owner, support }) => {
  assert.is((await app.request('/clients/acme', { jar: support })).status, 403);
  assert.is((await app.request('/clients/acme/members', { jar: support })).status, 403);
  assert.not.match(await (await app.request('/clients', { jar: support })).text(), /href="\/clients\/acme"/);

  const granted = await postForm(app, owner, '/clients/acme/support', { hours: '2', reason: 'Настроить канал' });
  assert.is(granted.status, 303);
  const page = await (await app.request('/clients/acme/support', { jar: owner })).text();
  assert.match(page, /Настроить канал/);
  assert.match(page, /Действует/);

  assert.is((await app.request('/clients/acme', { jar: support })).status, 200);
  assert.is((await app.request('/clients/acme/members', { jar: support })).status, 200);
  assert.match(await (await app.request('/clients', { jar: support })).text(), /href="\/clients\/acme"/);
  const accesses = await listAudit(app.ctx.db, { action: 'support_access.used', clientId: client.id });
  assert.is(accesses.length, 2);
  assert.is(accesses[0].actorLabel, 'helper@operator.kz');
  assert.equal(accesses.map((a) => JSON.parse(a.details).what), ['members.list', 'client.view']);
  // The owner sees the support user's accesses in the client's own audit log.
  assert.match(await (await app.request('/audit?action=support_access.used', { jar: owner })).text(), /helper@operator\.kz/);

  // Support staff look; they do not change the client or its members.
  assert.is((await postForm(app, support, '/clients/acme/edit', { name: 'Support was here' })).status, 403);
  assert.is((await postForm(app, support, '/clients/acme/members', { email: 'x@acme.kz', role: 'owner' })).status, 403);
  assert.is((await postForm(app, support, '/clients/acme/support', { hours: '300' })).status, 403, 'support cannot extend its own access');

  (app.clock as ManualClock).advance(2 * 3600_000 + 1000);
  assert.is((await app.request('/clients/acme', { jar: support })).status, 403, 'the grant has expired');
  assert.match(await (await app.request('/clients/acme/support', { jar: owner })).text(), /Истёк/);
});

test('the owner revokes a grant and support access ends at once', async ({ app, owner, support }) => {
  await postForm(app, owner, '/clients/acme/support', { hours: '24', reason: '' });
  assert.is((await app.request('/clients/acme', { jar: support })).status, 200);
  const page = await (await app.request('/clients/acme/support', { jar: owner })).text();
  const action = page.match(/action="(\/clients\/acme\/support\/[^"]+\/revoke)"/)![1];
  assert.is((await postForm(app, owner, action, {})).status, 303);
  assert.is((await app.request('/clients/acme', { jar: support })).status, 403);
  assert.equal((await listAudit(app.ctx.db, { action: 'support_access.' })).map((e) => e.action).filter((a) => a !== 'support_access.used'), ['support_access.revoked', 'support_access.granted']);
});

test('a grant for more than two weeks or of no hours is refused inline and grants nothing', async ({ app, owner, support }) => {
  for (const hours of ['0', '337', 'soon']) {
    const res = await postForm(app, owner, '/clients/acme/support', { hours, reason: '' });
    assert.is(res.status, 422, hours);
    assert.match(await res.text(), /от 1 до 336/);
  }
  assert.is((await app.request('/clients/acme', { jar: support })).status, 403);
});

test('a grant for one client does not open another', async ({ app, owner, support }) => {
  const other = await buildClient(app, { slug: 'other' });
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'probe.other_client' as AuditAction, clientId: other.id });
  await postForm(app, owner, '/clients/acme/support', { hours: '1' });
  assert.is((await app.request(`/clients/${other.slug}`, { jar: support })).status, 403);
  const audit = await (await app.request('/audit', { jar: support })).text();
  assert.match(audit, /support_access\.granted/);
  assert.not.match(audit, /probe\.other_client/);
  assert.match(await (await app.request('/audit', { jar: owner })).text(), /support_access\.granted/);
  assert.not.match(await (await app.request('/audit', { jar: owner })).text(), /probe\.other_client/);
});

test.run();

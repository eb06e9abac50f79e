import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { createRequest, updateRequest } from './index.ts';

// The request register: each request's due date counts from its receipt in the client's time
// zone (30 days, or the client's setting), and the API lists and shows exactly the contract's fields.
const test = suite<{ app: TestApp; clock: ManualClock; t: ApiTenant; other: ApiTenant }>('privacy request register');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock('2026-01-15T20:30:00.000Z');
  ctx.app = await makeTestApp({ seed: false, clock: ctx.clock });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  ctx.other = await buildApiTenant(ctx.app, 'other');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const member = { kind: 'member' as const, id: 'u1' };

test('the due date is 30 days after receipt counted in the client’s time zone, or the days the client set', async ({ app, clock, t }) => {
  const { db } = app.ctx;
  await db.updateTable('clients').set({ timezone: 'Asia/Almaty' }).where('id', '=', t.client.id).execute();
  // 20:30 UTC on 15 January is already 16 January in Almaty (UTC+5).
  const r = await createRequest(db, clock, { clientId: t.client.id, kind: 'client_export', requester: member });
  assert.is(r.dueDate, '2026-02-15');
  await db.updateTable('clients').set({ timezone: 'UTC' }).where('id', '=', t.client.id).execute();
  assert.is((await createRequest(db, clock, { clientId: t.client.id, kind: 'client_export', requester: member })).dueDate, '2026-02-14');
  await setSetting(db, app.ctx.vault, clock, 'privacy.request_due_days', '10', t.client.id);
  assert.is((await createRequest(db, clock, { clientId: t.client.id, kind: 'client_export', requester: member })).dueDate, '2026-01-25');
  try {
    await setSetting(db, app.ctx.vault, clock, 'privacy.request_due_days', '0', t.client.id);
    assert.unreachable('0 days accepted');
  } catch (err) {
    assert.match(String(err), /privacy\.request_due_days/);
  }
});

test('GET /api/v1/requests lists newest first with a cursor, filters by contact and kind, and one request has exactly the contract’s fields', async ({ app, clock, t, other }) => {
  const { db } = app.ctx;
  const made = [];
  for (const [kind, contactId] of [['restriction', 'c1'], ['objection', 'c1'], ['erasure', 'c2'], ['client_export', null]] as const) {
    made.push(await createRequest(db, clock, { clientId: t.client.id, contactId, kind, requester: member, status: kind === 'erasure' ? 'running' : undefined }));
    clock.advance(1000);
  }
  await createRequest(db, clock, { clientId: other.client.id, contactId: 'c1', kind: 'restriction', requester: member });
  await updateRequest(db, clock, made[2].id, { status: 'done', backupsExpireAt: '2026-01-23T00:00:00.000Z', evidence: { messages: 3 } });

  const first = await t.api('GET', '/api/v1/requests?limit=3');
  assert.is(first.status, 200);
  assert.equal(first.body.data.map((r: { kind: string }) => r.kind), ['client_export', 'erasure', 'objection']);
  const rest = await t.api('GET', `/api/v1/requests?limit=3&cursor=${first.body.next_cursor}`);
  assert.equal(rest.body.data.map((r: { kind: string }) => r.kind), ['restriction']);
  assert.is(rest.body.next_cursor, null);
  assert.equal((await t.api('GET', '/api/v1/requests?contact_id=c1')).body.data.map((r: { kind: string }) => r.kind), ['objection', 'restriction']);
  assert.equal((await t.api('GET', '/api/v1/requests?contact_id=c1&kind=restriction')).body.data.length, 1);
  assert.is((await t.api('GET', '/api/v1/requests?kind=deletion')).status, 400);

  const erasure = await t.api('GET', `/api/v1/requests/${made[2].id}`);
  assert.equal(erasure.body, {
    id: made[2].id, kind: 'erasure', status: 'done', progress: 100, due_date: '2026-02-15', download_url: null, expires_at: null, backups_expire_at: '2026-01-23T00:00:00.000Z',
  });
  assert.is((await other.api('GET', `/api/v1/requests/${made[2].id}`)).status, 404, 'another client’s request is not found');
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { breachDeadlines } from './index.ts';

// The breach register: deadlines in the operator's time zone (the Kazakh authority by the end of
// the next working day, weekends skipped; 72 hours under GDPR), recorded on the operator's
// screen, exported as CSV, and read by each affected client through the API.
type Ctx = { app: TestApp; clock: ManualClock; a: ApiTenant; b: ApiTenant; admin: CookieJar };
const test = suite<Ctx>('breach register');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock('2026-01-20T06:00:00.000Z');
  ctx.app = await makeTestApp({ seed: false, clock: ctx.clock });
  ctx.a = await buildApiTenant(ctx.app, 'acme');
  ctx.b = await buildApiTenant(ctx.app, 'beta');
  const admin = await buildUser(ctx.app, 'admin', null, 'admin@operator.kz');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const iso = (d: Date) => d.toISOString();

test('deadlines across a weekend: Friday’s and Saturday’s breaches are due to the Kazakh authority at the end of Monday, GDPR’s 72 hours run on', () => {
  // Friday 16 January 2026, 15:00 in Almaty (UTC+5).
  const friday = breachDeadlines(new Date('2026-01-16T10:00:00Z'), 'Asia/Almaty');
  assert.is(iso(friday.kzAuthority), '2026-01-19T19:00:00.000Z', 'Monday 24:00 in Almaty');
  assert.is(iso(friday.gdpr), '2026-01-19T10:00:00.000Z');
  const saturday = breachDeadlines(new Date('2026-01-17T04:00:00Z'), 'Asia/Almaty');
  assert.is(iso(saturday.kzAuthority), '2026-01-19T19:00:00.000Z');
  assert.is(iso(saturday.gdpr), '2026-01-20T04:00:00.000Z');
  // Thursday 23:30 in Almaty: due at the end of Friday.
  assert.is(iso(breachDeadlines(new Date('2026-01-15T18:30:00Z'), 'Asia/Almaty').kzAuthority), '2026-01-16T19:00:00.000Z');
  // Friday 21:00 UTC is already Saturday in Almaty, still Friday in UTC: the zone decides the day, the end is Monday in both.
  assert.is(iso(breachDeadlines(new Date('2026-01-16T21:00:00Z'), 'Asia/Almaty').kzAuthority), '2026-01-19T19:00:00.000Z');
  assert.is(iso(breachDeadlines(new Date('2026-01-16T21:00:00Z'), 'UTC').kzAuthority), '2026-01-20T00:00:00.000Z');
  // Sunday 20:00 UTC is Monday 01:00 in Almaty: due at the end of Tuesday there, of Monday in UTC.
  assert.is(iso(breachDeadlines(new Date('2026-01-18T20:00:00Z'), 'Asia/Almaty').kzAuthority), '2026-01-20T19:00:00.000Z');
  assert.is(iso(breachDeadlines(new Date('2026-01-18T20:00:00Z'), 'UTC').kzAuthority), '2026-01-20T00:00:00.000Z');
});

async function recordOnScreen(ctx: Ctx, fields: Array<[string, string]>): Promise<Response> {
  const page = await ctx.app.request('/operator/breaches', { jar: ctx.admin });
  assert.is(page.status, 200);
  const body = new URLSearchParams([['_csrf', csrfFrom(await page.text())], ...fields]);
  return ctx.app.request('/operator/breaches', { method: 'POST', jar: ctx.admin, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

test('the operator records a breach detected on a Friday in operator.timezone; the affected client reads it and its deadlines through GET /api/v1/breaches, the other does not', async (ctx) => {
  const res = await recordOnScreen(ctx, [['detected_at', '2026-01-16T15:00'], ['description', 'A laptop with a backup was stolen'], ['client_ids', ctx.a.client.id]]);
  assert.is(res.status, 303);
  const notices = await (await ctx.app.request(res.headers.get('location')!, { jar: ctx.admin })).text();
  assert.match(notices, /94-V/, 'the authority notice cites the law');
  assert.match(notices, /A laptop with a backup was stolen/);

  const list = (await ctx.a.api('GET', '/api/v1/breaches')).body;
  assert.is(list.data.length, 1);
  assert.equal(list.data[0], {
    id: list.data[0].id, detected_at: '2026-01-16T10:00:00.000Z', description: 'A laptop with a backup was stolen',
    authority_deadline: '2026-01-19T19:00:00.000Z', gdpr_deadline: '2026-01-19T10:00:00.000Z', authority_notified_at: null, clients_notified_at: null,
  });
  assert.equal((await ctx.b.api('GET', '/api/v1/breaches')).body, { data: [], next_cursor: null });

  // In another operator time zone the same typed time is another instant.
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.clock, 'operator.timezone', 'UTC');
  assert.is((await recordOnScreen(ctx, [['detected_at', '2026-01-16T15:00'], ['description', 'Second'], ['client_ids', ctx.a.client.id], ['client_ids', ctx.b.client.id]])).status, 303);
  const both = (await ctx.a.api('GET', '/api/v1/breaches?limit=1')).body;
  assert.is(both.data[0].detected_at, '2026-01-16T15:00:00.000Z');
  assert.is(both.data[0].authority_deadline, '2026-01-20T00:00:00.000Z');
  assert.ok(both.next_cursor);
  const rest = (await ctx.a.api('GET', `/api/v1/breaches?limit=1&cursor=${both.next_cursor}`)).body;
  assert.is(rest.data[0].description, 'A laptop with a backup was stolen');
  assert.is(rest.next_cursor, null);
  assert.is((await ctx.b.api('GET', '/api/v1/breaches')).body.data.length, 1);
  assert.is((await ctx.a.api('GET', '/api/v1/breaches?cursor=nope')).status, 400);

  // Marking the authority notified, and the CSV export.
  const id = list.data[0].id;
  const page = await (await ctx.app.request('/operator/breaches', { jar: ctx.admin })).text();
  const mark = await ctx.app.request(`/operator/breaches/${id}/notified/authority`, {
    method: 'POST', jar: ctx.admin, body: new URLSearchParams({ _csrf: csrfFrom(page) }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.is(mark.status, 303);
  assert.is((await ctx.a.api('GET', `/api/v1/breaches?cursor=${both.next_cursor}`)).body.data[0].authority_notified_at, ctx.clock.now().toISOString());
  const csv = await ctx.app.request('/operator/breaches.csv', { jar: ctx.admin });
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  const text = await csv.text();
  assert.match(text, /detected_at,description,clients,authority_deadline,gdpr_deadline/);
  assert.match(text, /A laptop with a backup was stolen,Client acme,2026-01-20T00:00:00.000Z,2026-01-19T10:00:00.000Z/);
});

test('bad input is refused with the field named and nothing stored; only admins see the register', async (ctx) => {
  const future = await recordOnScreen(ctx, [['detected_at', '2027-01-01T10:00'], ['description', 'x']]);
  assert.is(future.status, 422);
  assert.is((await recordOnScreen(ctx, [['detected_at', 'yesterday'], ['description', 'x']])).status, 422);
  assert.is((await recordOnScreen(ctx, [['detected_at', '2026-01-19T10:00'], ['description', ' ']])).status, 422);
  assert.is((await recordOnScreen(ctx, [['detected_at', '2026-01-19T10:00'], ['description', 'x'], ['client_ids', 'not-a-client']])).status, 422);
  assert.is((await ctx.app.ctx.db.selectFrom('breaches').select('id').execute()).length, 0);
  const support = await loginAs(ctx.app, (await buildUser(ctx.app, 'support', null, 'support@operator.kz')).email, TEST_PASSWORD);
  const owner = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', ctx.a.client.id, 'owner@acme.kz')).email, TEST_PASSWORD);
  for (const jar of [support, owner]) {
    for (const path of ['/operator/breaches', '/operator/breaches.csv', '/operator/consents', '/operator/consents.csv', '/operator/records', '/operator/records.csv']) {
      assert.is((await ctx.app.request(path, { jar })).status, 403, path);
    }
  }
});

test.run();

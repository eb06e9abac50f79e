import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../testing/test-app.ts';
import { buildApiTenant, auditRowsOf } from '../testing/api-client.ts';
import { createChannelAccount } from '../channels/index.ts';

// The record of processing activities (GDPR Art. 30): Habar's rows come from the personal-data
// categories and what the clients configured; the operator adds its processing outside Habar.
type Ctx = { app: TestApp; admin: CookieJar };
const test = suite<Ctx>('record of processing activities');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  const admin = await buildUser(ctx.app, 'admin', null, 'admin@operator.kz');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('the record lists each category with the recipients the clients configured and the operator’s own activities; the CSV holds both', async (ctx) => {
  const { db, clock, vault } = ctx.app.ctx;
  const t = await buildApiTenant(ctx.app, 'acme');
  await createChannelAccount(db, clock, vault, { clientId: t.client.id, kind: 'whatsapp', name: 'Phone' });
  const page = await (await ctx.app.request('/operator/records', { jar: ctx.admin })).text();
  assert.match(page, /История переписки[\s\S]*?whatsapp \(abroad\)/, 'chat history goes to WhatsApp, abroad');

  const refused = await postForm(ctx.app, ctx.admin, '/operator/records', { name: ' ', purpose: 'Payroll' }, csrfFrom(page));
  assert.is(refused.status, 422);
  assert.match(await refused.text(), /Назовите операцию/);
  assert.is((await db.selectFrom('processing_activities').select('id').execute()).length, 0);
  const added = await postForm(ctx.app, ctx.admin, '/operator/records', { name: 'Payroll', purpose: 'Paying the staff', data_subjects: 'employees', retention: '5 years' }, csrfFrom(page));
  assert.is(added.status, 303);
  const csv = await (await ctx.app.request('/operator/records.csv', { jar: ctx.admin })).text();
  assert.match(csv, /^\ufeff?source,name,purpose,data_categories,data_subjects,recipients,transfers,retention,security\r\n/);
  assert.match(csv, /\r\nhabar,История переписки,[^\r]*whatsapp \(abroad\),yes,/);
  assert.match(csv, /\r\noperator,Payroll,Paying the staff,,employees,,,5 years,\r\n/);

  const id = (await db.selectFrom('processing_activities').select('id').executeTakeFirstOrThrow()).id;
  const del = await postForm(ctx.app, ctx.admin, `/operator/records/${id}/delete`, {}, csrfFrom(await (await ctx.app.request('/operator/records', { jar: ctx.admin })).text()));
  assert.is(del.status, 303);
  assert.is((await db.selectFrom('processing_activities').select('id').execute()).length, 0);
  assert.equal((await auditRowsOf(ctx.app, 'processing_activity.created')).length, 1);
  assert.equal((await auditRowsOf(ctx.app, 'processing_activity.deleted')).length, 1);
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { enqueueJob, getJob } from '../../jobs/index.ts';
import { DEMO_SLUG, findClient, type Client } from '../../tenants/index.ts';

interface Ctx { app: TestApp; demo: Client; admin: CookieJar; owner: CookieJar; outsider: CookieJar }
const test = suite<Ctx>('jobs screen: dead jobs and retry');

/** A job that gave up, as the runner leaves one. */
async function deadJob(app: TestApp, clientId: string, error: string): Promise<string> {
  const { id } = await enqueueJob(app.ctx.db, app.ctx.clock, { kind: 'test.never-registered', clientId, payload: {} });
  await app.ctx.db.updateTable('jobs').set({ status: 'dead', attempts: 8, last_error: error, finished_at: app.ctx.clock.now().toISOString() }).where('id', '=', id).execute();
  return id;
}

test.before(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  ctx.admin = await loginAs(ctx.app, (await buildUser(ctx.app, 'admin')).email, TEST_PASSWORD);
  ctx.owner = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', ctx.demo.id)).email, TEST_PASSWORD);
  const other = await buildClient(ctx.app);
  ctx.outsider = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', other.id)).email, TEST_PASSWORD);
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

test('an admin sees every dead job with its last error and runs one again', async ({ app, admin, demo }) => {
  const id = await deadJob(app, demo.id, 'connect ECONNREFUSED 10.0.0.5:443');
  const html = await (await app.request('/jobs', { jar: admin })).text();
  assert.match(html, `id="job-${id}"`);
  assert.match(html, 'connect ECONNREFUSED 10.0.0.5:443');
  assert.match(html, `href="/clients/${demo.slug}"`);
  const res = await postForm(app, admin, `/jobs/${id}/retry`, {}, csrfFrom(html));
  assert.is(res.status, 303);
  const job = await getJob(app.ctx.db, id);
  assert.is(job?.status, 'pending');
  assert.is(job?.attempts, 0);
  assert.ok((await app.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'job.retried').where('target_id', '=', id).executeTakeFirst()), 'audited');
  // Retrying what is not dead (any more) is "not found".
  assert.is((await postForm(app, admin, `/jobs/${id}/retry`, {}, csrfFrom(html))).status, 404);
});

test('a client’s owner sees and retries its own dead jobs only; members cannot open /jobs', async ({ app, owner, outsider, demo }) => {
  const mine = await deadJob(app, demo.id, 'The channel no longer exists');
  const theirs = await deadJob(app, (await buildClient(app)).id, 'Somebody else’s failure');
  const page = await app.request(`/clients/${demo.slug}/jobs`, { jar: owner });
  assert.is(page.status, 200);
  const html = await page.text();
  assert.match(html, `id="job-${mine}"`);
  assert.not.match(html, theirs);
  const csrf = csrfFrom(html);
  assert.is((await postForm(app, owner, `/clients/${demo.slug}/jobs/${theirs}/retry`, {}, csrf)).status, 404, 'another client’s job through my tab');
  assert.is((await getJob(app.ctx.db, theirs))?.status, 'dead');
  assert.is((await postForm(app, owner, `/clients/${demo.slug}/jobs/${mine}/retry`, {}, csrf)).status, 303);
  assert.is((await getJob(app.ctx.db, mine))?.status, 'pending');
  assert.is((await app.request('/jobs', { jar: owner })).status, 403);
  assert.is((await app.request(`/clients/${demo.slug}/jobs`, { jar: outsider })).status, 404);
});

test.run();

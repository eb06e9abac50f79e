import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { makeTestApp, buildClient, buildUser, loginAs, postForm, csrfFrom, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';
import { eraseMember, scrubDeletedData } from './index.ts';

// A member's erasure keeps the audit trail whole but pseudonymised: their entries stay, with
// "erased-member:<id>" instead of their e-mail, and the audit log still refuses any other change.
const test = suite<{ app: TestApp }>('privacy: a member’s erasure');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('erasing a member pseudonymises their audit entries (kept, same count) and leaves their e-mail nowhere in the data file', async ({ app }) => {
  const { db } = app.ctx;
  const client = await buildClient(app);
  const owner = await buildUser(app, 'owner', client.id, 'owner@shop.kz');
  const agent = await buildUser(app, 'agent', client.id, 'dana.unique.agent@shop.kz');
  await loginAs(app, agent.email, TEST_PASSWORD);
  await loginAs(app, agent.email, 'wrong password, twice').catch(() => undefined);
  const entries = await db.selectFrom('audit_log').select(['id', 'action']).where('actor_id', '=', agent.id).orderBy('id').execute();
  assert.ok(entries.length >= 1, 'control: the agent has audit entries');

  const r = await eraseMember(app.ctx, client.id, agent.id, { requester: { kind: 'member', id: owner.id }, audit: { id: owner.id, label: owner.email } });
  assert.is(r.auditEntries, entries.length);
  const after = await db.selectFrom('audit_log').select(['id', 'action', 'actor_label']).where('actor_id', '=', agent.id).orderBy('id').execute();
  assert.equal(after.map((e) => [e.id, e.action]), entries.map((e) => [e.id, e.action]), 'the entries stay');
  assert.ok(after.every((e) => e.actor_label === `erased-member:${agent.id}`));
  assert.is(await db.selectFrom('users').select('id').where('id', '=', agent.id).executeTakeFirst(), undefined);
  const erased = await db.selectFrom('audit_log').select(['actor_label', 'target_id']).where('action', '=', 'user.erased').executeTakeFirstOrThrow();
  assert.equal(erased, { actor_label: owner.email, target_id: agent.id });

  // Still append-only: no other change, no deletion.
  for (const stmt of [sql`update audit_log set action = 'x' where actor_id = ${agent.id}`, sql`update audit_log set actor_label = 'someone' where actor_id = ${owner.id}`, sql`delete from audit_log`]) {
    try {
      await stmt.execute(db);
      assert.unreachable('the audit log accepted a change');
    } catch (err) {
      assert.match(String(err), /append-only/);
    }
  }
  await scrubDeletedData(db);
  const file = path.join(app.dir, 'habar.db');
  const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
  assert.not.ok(bytes.includes('dana.unique.agent'), 'their e-mail lingers in the data file');
});

test('a member of another client cannot be erased, nor oneself', async ({ app }) => {
  const a = await buildClient(app);
  const b = await buildClient(app);
  const owner = await buildUser(app, 'owner', a.id, 'owner@a.kz');
  const theirs = await buildUser(app, 'agent', b.id, 'agent@b.kz');
  const by = { requester: { kind: 'member' as const, id: owner.id }, audit: { id: owner.id, label: owner.email } };
  await eraseMember(app.ctx, a.id, theirs.id, by).then(() => assert.unreachable('erased'), (err) => assert.is(err.status, 404));
  await eraseMember(app.ctx, a.id, owner.id, by).then(() => assert.unreachable('erased'), (err) => assert.is(err.status, 400));
  assert.ok(await app.ctx.db.selectFrom('users').select('id').where('id', '=', theirs.id).executeTakeFirst());
});

test('an owner erases an agent from the members screen (CSRF-protected); a representative may not erase an owner', async ({ app }) => {
  const client = await buildClient(app, { slug: 'shop' });
  const owner = await buildUser(app, 'owner', client.id, 'boss@shop.kz');
  const rep = await buildUser(app, 'representative', client.id, 'rep@shop.kz');
  const agent = await buildUser(app, 'agent', client.id, 'leaving.agent@shop.kz');
  await loginAs(app, agent.email, TEST_PASSWORD);
  const repJar = await loginAs(app, rep.email, TEST_PASSWORD);
  const repPage = await (await app.request('/clients/shop/members', { jar: repJar })).text();
  assert.is((await postForm(app, repJar, `/clients/shop/members/${owner.id}/erase`, {}, csrfFrom(repPage))).status, 403);
  const jar = await loginAs(app, owner.email, TEST_PASSWORD);
  const page = await (await app.request('/clients/shop/members', { jar })).text();
  assert.match(page, new RegExp(`/clients/shop/members/${agent.id}/erase`));
  const res = await postForm(app, jar, `/clients/shop/members/${agent.id}/erase`, {}, csrfFrom(page));
  assert.is(res.status, 303);
  assert.is(await app.ctx.db.selectFrom('users').select('id').where('id', '=', agent.id).executeTakeFirst(), undefined);
  const labels = await app.ctx.db.selectFrom('audit_log').select('actor_label').where('actor_id', '=', agent.id).execute();
  assert.ok(labels.length >= 1 && labels.every((l) => l.actor_label === `erased-member:${agent.id}`));
  assert.not.match(await (await app.request('/clients/shop/members', { jar })).text(), /leaving\.agent/);
});

test.run();

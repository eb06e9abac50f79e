import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import type { GraphStandIn } from '../testing/graph-stand-in.ts';
import { buildInstagramAccount, deliverToApp, igDelivery, igMessage, startMeta } from '../testing/instagram-fixture.ts';

// Erasure of an Instagram customer (policy 7.3): their Instagram id, username, name, words and the
// photo they sent are nowhere in the data file, its WAL or the attachments folder afterwards.
const test = suite<{ app: TestApp; graph: GraphStandIn; t: ApiTenant }>('privacy: erasing an Instagram customer');

const IGSID = '5559876012345';
const USERNAME = 'qarlygash.unique';
const NAME = 'Qarlygash Instabekova';
const WORDS = 'Please reserve the turquoise scarf';
const PHOTO = new Uint8Array(Buffer.from('instagram-photo-of-qarlygash-'.repeat(6)));

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  ctx.t = await buildApiTenant(ctx.app, 'ig-shop');
  await buildInstagramAccount(ctx.app, ctx.t.client.id);
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

const everything = (dir: string) => {
  const db = path.join(dir, 'habar.db');
  const files = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : [path.join(d, e.name)])) : []);
  return Buffer.concat([fs.readFileSync(db), fs.existsSync(`${db}-wal`) ? fs.readFileSync(`${db}-wal`) : Buffer.alloc(0), ...files(path.join(dir, 'attachments')).map((f) => fs.readFileSync(f))]);
};

test('their Instagram id, username, name, words and photo leave the data file, its WAL and the disk', async ({ app, graph, t }) => {
  graph.profiles.set(IGSID, { name: NAME, username: USERNAME });
  graph.files.set('scarf.png', { mime: 'image/png', bytes: PHOTO });
  const raw = igDelivery([igMessage(IGSID, WORDS), igMessage(IGSID, '', { attachments: [{ type: 'image', payload: { url: `${graph.url}/cdn/scarf.png` } }] })]);
  assert.is((await deliverToApp(app, raw)).status, 200);
  await app.ctx.jobs.drain();
  const [contact] = (await t.api('GET', '/api/v1/contacts')).body.data;
  const before = everything(app.dir);
  for (const s of [IGSID, WORDS, 'Instabekova']) assert.ok(before.includes(s), `control: ${s} is stored`);
  assert.ok(before.includes(Buffer.from(PHOTO)), 'control: the photo is on disk');

  const erased = await t.api('POST', `/api/v1/contacts/${contact.id}/erase`);
  assert.is(erased.status, 202);
  await app.ctx.jobs.drain();
  assert.is((await t.api('GET', `/api/v1/requests/${erased.body.id}`)).body.status, 'done');
  const after = everything(app.dir);
  for (const s of [IGSID, USERNAME, NAME, 'Instabekova', WORDS, 'turquoise']) assert.not.ok(after.includes(s), `"${s}" lingers`);
  assert.not.ok(after.includes(Buffer.from(PHOTO)), 'the photo lingers');
});

test.run();

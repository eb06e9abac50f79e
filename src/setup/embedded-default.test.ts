import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, tempDir } from '../testing/test-app.ts';
import { DEMO_FAQ, getAiSettings, updateAiSettings } from '../ai/index.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { listChannelAccounts } from '../channels/index.ts';
import { DEFAULT_ADMIN_EMAIL, DEMO_SLUG, getClient } from '../tenants/index.ts';
import { findUserByEmail } from '../auth/index.ts';
import { setSetting } from '../settings/index.ts';

// The embedded default, composed in one place: an admin, the demo client with a sandbox channel,
// and the demo client's AI answering from the demo FAQ (stored settings, no special case by slug).

const test = suite('the embedded default');

test('a fresh install has the demo client with one sandbox channel and stored FAQ settings; another client starts with the AI off', async () => {
  const app = await makeTestApp();
  try {
    const demo = await getClient(app.ctx.db, DEMO_SLUG);
    assert.equal((await listChannelAccounts(app.ctx.db, demo.id)).map((a) => [a.kind, a.status]), [['sandbox', 'connected']]);
    const ai = await getAiSettings(app.ctx.db, demo.id);
    assert.equal([ai.enabled, ai.provider, ai.faq.length, ai.updatedAt !== null], [true, 'faq', DEMO_FAQ.length, true]);
    const other = await buildClient(app, { slug: 'demo-like' });
    assert.equal([(await getAiSettings(app.ctx.db, other.id)).enabled, (await getAiSettings(app.ctx.db, other.id)).faq], [false, []]);
  } finally {
    await app.cleanup();
  }
});

test('a data file whose demo client has no stored AI settings (made before they were stored) answers from the demo FAQ after a restart; a person\'s choice stands', async () => {
  const dir = tempDir();
  const first = await makeTestApp({ dir });
  const demo = await getClient(first.ctx.db, DEMO_SLUG);
  await first.ctx.db.deleteFrom('ai_settings').execute(); // as an older version left it
  assert.is((await getAiSettings(first.ctx.db, demo.id)).enabled, false);
  await first.close();

  const second = await makeTestApp({ dir });
  const restored = await getAiSettings(second.ctx.db, demo.id);
  assert.equal([restored.enabled, restored.provider, restored.faq], [true, 'faq', DEMO_FAQ]);
  assert.is((await listChannelAccounts(second.ctx.db, demo.id)).length, 1, 'no second sandbox');
  await updateAiSettings(second.ctx.db, second.ctx.vault, second.ctx.clock, demo.id, { enabled: false }, SYSTEM_ACTOR);
  await second.close();

  const third = await makeTestApp({ dir });
  try {
    assert.is((await getAiSettings(third.ctx.db, demo.id)).enabled, false, 'turned off stays off');
  } finally {
    await third.cleanup();
  }
});

test('the first start names the admin, the demo client, its address and its chat in the install\'s language (Russian unless set)', async () => {
  const names = async (app: Awaited<ReturnType<typeof makeTestApp>>) => {
    const demo = await getClient(app.ctx.db, DEMO_SLUG);
    const admin = await findUserByEmail(app.ctx.db, DEFAULT_ADMIN_EMAIL);
    return [admin?.name, demo.name, demo.invoiceAddress, (await listChannelAccounts(app.ctx.db, demo.id))[0].name];
  };
  const ru = await makeTestApp();
  try {
    assert.equal(await names(ru), ['Администратор', 'Демо-компания', 'Алматы, пр. Абая, 1', 'Чат для клиента']);
    assert.ok(ru.demoChatToken, 'the first start knows the demo chat link');
  } finally {
    await ru.cleanup();
  }
  const dir = tempDir();
  const bare = await makeTestApp({ dir, seed: false });
  await setSetting(bare.ctx.db, bare.ctx.vault, bare.ctx.clock, 'ui.default_language', 'kk');
  await bare.close();
  const kk = await makeTestApp({ dir });
  try {
    assert.equal(await names(kk), ['Әкімші', 'Демо компания', 'Алматы, Абай даңғылы, 1', 'Клиент чаты']);
  } finally {
    await kk.cleanup();
  }
});

test.run();

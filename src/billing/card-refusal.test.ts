import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { customerSays, demoSandbox } from '../testing/messaging-fixtures.ts';
import { setSetting } from '../settings/index.ts';
import { updateAiSettings } from '../ai/index.ts';
import { DEMO_SLUG, findClient, rectifyClient } from '../tenants/index.ts';
import { createPlan } from './index.ts';

// Habar never stores payment card numbers typed by owners or the operator, wherever they type
// free text; customers' messages are never refused for one.

const test = suite<{ app: TestApp; clientId: string }>('card numbers in owner and operator text');
const BY = { id: null, label: 'test' };
const CARD = 'оплата на карту 4400 4301 2345 6789';

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.clientId = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!.id;
});
test.after.each((ctx) => ctx.app.cleanup());

async function refused(work: Promise<unknown>, field?: string): Promise<void> {
  try {
    await work;
  } catch (err) {
    // Settings keep the code invalid_setting (their API contract) and name the reason.
    const e = err as { code: string; params?: { reason?: string } };
    assert.is(e.code === 'invalid_setting' ? e.params?.reason : e.code, 'card_number');
    if (field) assert.is((err as { field: string }).field, field);
    assert.match((err as Error).message, /card number/);
    return;
  }
  assert.unreachable('a card number was accepted');
}

test('company details, the auto-reply, the AI’s texts, plans and the operator’s settings refuse a card number', async ({ app, clientId }) => {
  const { db, vault, clock } = app.ctx;
  await refused(rectifyClient(db, clock, clientId, { invoiceAddress: CARD }, BY), 'invoice_address');
  await refused(rectifyClient(db, clock, clientId, { contactPersons: [{ name: 'Dana', role: CARD }] }, BY), 'contact_persons');
  await refused(setSetting(db, vault, clock, 'auto_reply.text', CARD, clientId));
  await refused(setSetting(db, vault, clock, 'billing.operator_bank', CARD));
  await refused(updateAiSettings(db, vault, clock, clientId, { fallbackText: CARD }, BY), 'fallback_text');
  await refused(createPlan(db, clock, {
    name: CARD, currency: 'KZT', monthlyPriceMinor: 0, included: { messages: null, ai_replies: null, ai_tokens: null, api_calls: null, channels: null },
    overageMinor: { messages: 0, ai_replies: 0, ai_tokens: 0, api_calls: 0, channels: 0 }, onLimit: 'bill',
  }, BY), 'name');
  // A BIN and phone numbers are no card numbers.
  await setSetting(db, vault, clock, 'billing.operator_bin', '123456789012');
  await rectifyClient(db, clock, clientId, { invoiceAddress: 'Алматы, БИН 123456789012, тел. +7 701 234 56 78' }, BY);
});

test('a customer’s message with a card number is stored as sent', async ({ app }) => {
  const channel = await demoSandbox(app);
  const r = await customerSays(app, channel.id, 'buyer', CARD);
  const row = await app.ctx.db.selectFrom('messages').select('text').where('id', '=', r.messageId).executeTakeFirstOrThrow();
  assert.is(row.text, CARD);
});

test.run();

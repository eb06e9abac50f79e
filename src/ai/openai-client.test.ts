import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startOpenAiStandIn, type OpenAiStandIn } from '../testing/openai-stand-in.ts';
import { AiProviderError, chatComplete, transcribeAudio, type ProviderTarget } from './openai-client.ts';

const test = suite<{ stub: OpenAiStandIn; target: ProviderTarget }>('openai client (real SDK against a local stand-in)');

test.before.each(async (ctx) => {
  ctx.stub = await startOpenAiStandIn();
  ctx.target = { provider: 'compatible', baseUrl: ctx.stub.url, apiKey: 'sk-test', model: 'local-model' };
});
test.after.each(async (ctx) => {
  await ctx.stub.stop();
});

const ask = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Hello?' }];
const quick = { backoffMs: 5, deadlineMs: 3000, attemptTimeoutMs: 1000 };

test('a reply carries the text and the provider\'s own token counts', async ({ stub, target }) => {
  stub.next({ text: 'Hi!', usage: { prompt_tokens: 123, completion_tokens: 7 } });
  const r = await chatComplete(target, ask, 200, quick);
  assert.is(r.text, 'Hi!');
  assert.is(r.tokensIn, 123);
  assert.is(r.tokensOut, 7);
  assert.ok(r.usageFromProvider);
  const sent = stub.chatRequests[0];
  assert.is(sent.headers.authorization, 'Bearer sk-test');
  assert.is(sent.json!.model, 'local-model');
  assert.is(sent.json!.max_tokens, 200);
  assert.ok(Array.isArray(sent.json!.tools));
});

test('the model calling the handoff tool is a handoff, not a reply', async ({ stub, target }) => {
  stub.next({ toolCall: { name: 'handoff_to_human', arguments: { reason: 'customer is upset' } } });
  const r = await chatComplete(target, ask, 200, quick);
  assert.is(r.text, null);
  assert.equal(r.handoff, { reason: 'customer is upset' });
});

test('a 429 with Retry-After is waited out and retried', async ({ stub, target }) => {
  stub.next({ status: 429, retryAfter: '1' }, { text: 'After the wait' });
  const started = Date.now();
  const r = await chatComplete(target, ask, 200, quick);
  assert.is(r.text, 'After the wait');
  assert.is(r.attempts, 2);
  assert.ok(Date.now() - started >= 950, 'waited about the Retry-After second');
});

test('500s are retried; persistent ones end as a server error after the attempts', async ({ stub, target }) => {
  stub.next({ status: 500 }, { text: 'recovered' });
  assert.is((await chatComplete(target, ask, 200, quick)).text, 'recovered');
  stub.always({ status: 503 });
  try {
    await chatComplete(target, ask, 200, { ...quick, maxAttempts: 3 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, AiProviderError);
    assert.is((err as AiProviderError).code, 'server');
    assert.is((err as AiProviderError).attempts, 3);
  }
  assert.is(stub.chatRequests.length, 2 + 3);
});

test('a server slower than the timeout is a timeout, retried within the deadline', async ({ stub, target }) => {
  stub.next({ hang: true }, { text: 'second try' });
  const r = await chatComplete(target, ask, 200, { ...quick, attemptTimeoutMs: 200 });
  assert.is(r.text, 'second try');
  stub.always({ hang: true });
  try {
    await chatComplete(target, ask, 200, { backoffMs: 5, attemptTimeoutMs: 150, deadlineMs: 600 });
    assert.unreachable();
  } catch (err) {
    assert.is((err as AiProviderError).code, 'timeout');
  }
});

test('a wrong key and an exhausted quota need a person; they are not retried', async ({ stub, target }) => {
  stub.next({ status: 401 });
  try { await chatComplete(target, ask, 200, quick); assert.unreachable(); } catch (err) {
    assert.is((err as AiProviderError).code, 'auth');
    assert.ok((err as AiProviderError).needsAttention);
  }
  stub.next({ status: 429, code: 'insufficient_quota' });
  try { await chatComplete(target, ask, 200, quick); assert.unreachable(); } catch (err) {
    assert.is((err as AiProviderError).code, 'quota');
  }
  assert.is(stub.chatRequests.length, 2);
});

test('nothing listening is a connection error', async ({ target }) => {
  try {
    await chatComplete({ ...target, baseUrl: 'http://127.0.0.1:9/v1' }, ask, 200, { ...quick, maxAttempts: 1 });
    assert.unreachable();
  } catch (err) {
    assert.is((err as AiProviderError).code, 'connection');
  }
});

test('a voice note is transcribed through the audio endpoint', async ({ stub, target }) => {
  stub.transcript = 'Сколько стоит доставка?';
  const r = await transcribeAudio(target, { data: new Uint8Array([1, 2, 3]), fileName: 'voice.ogg', mime: 'audio/ogg' }, 'whisper-1', quick);
  assert.is(r.text, 'Сколько стоит доставка?');
  assert.match(stub.requests[0].path, /\/audio\/transcriptions$/);
  assert.match(stub.requests[0].raw, /whisper-1/);
});

test.run();

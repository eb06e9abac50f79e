import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EXPIRED_TOKEN, GraphStandIn, OUTSIDE_WINDOW, RATE_LIMITED } from '../../testing/graph-stand-in.ts';
import { appSecretProof, channelStatusFor, GraphClient, GraphError } from './graph-client.ts';
import type { MetaConfig } from './meta-config.ts';

const test = suite<{ graph: GraphStandIn; client: GraphClient }>('the Graph client against a local Graph stand-in');

const config = (url: string): MetaConfig => ({
  appId: '1234', appSecret: 'app-secret', graphUrl: url, instagramUrl: url, oauthUrl: url, instagramOauthUrl: url, instagramTokenUrl: url, graphVersion: 'v21.0',
});

test.before.each(async (ctx) => {
  ctx.graph = new GraphStandIn().addAccount({ igId: '17841400000000001', username: 'coffee.kz', token: 'good-token' });
  await ctx.graph.start();
  ctx.client = new GraphClient(config(ctx.graph.url), { timeoutMs: 300, sleep: async () => {} });
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
});

async function failure(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, GraphError);
    return err as GraphError;
  }
  throw new Error('expected the call to fail');
}

test('a call goes to the configured host and version with the token and its appsecret_proof', async ({ graph, client }) => {
  const me = await client.get<{ username: string }>('/17841400000000001', { token: 'good-token', query: { fields: 'id,username' } });
  assert.is(me.username, 'coffee.kz');
  const r = graph.requests[0];
  assert.is(r.path, '/17841400000000001');
  assert.is(r.query.fields, 'id,username');
  assert.is(r.query.appsecret_proof, appSecretProof('good-token', 'app-secret'));
});

test('an expired token is a token error that turns the channel to reconnect needed, with Meta\'s message', async ({ graph, client }) => {
  graph.fail(/^\/17841400000000001$/, EXPIRED_TOKEN);
  const err = await failure(client.get('/17841400000000001', { token: 'good-token' }));
  assert.is(err.kind, 'token');
  assert.is(err.message, EXPIRED_TOKEN.message);
  assert.is(channelStatusFor(err), 'reconnect_needed');
  assert.is(graph.requests.length, 1, 'not retried');
});

test('5xx and rate-limit answers are tried again; a persistent one ends as a transient error', async ({ graph, client }) => {
  graph.fail(/messages$/, { status: 500 }).fail(/messages$/, RATE_LIMITED);
  const sent = await client.post<{ message_id: string }>('/17841400000000001/messages', { token: 'good-token', body: { recipient: { id: '42' }, message: { text: 'hi' } } });
  assert.ok(sent.message_id);
  assert.is(graph.requests.length, 3);
  for (let i = 0; i < 3; i++) graph.fail(/messages$/, { status: 503 });
  const err = await failure(client.post('/17841400000000001/messages', { token: 'good-token', body: { recipient: { id: '42' } } }));
  assert.is(err.kind, 'server');
  assert.ok(err.transient);
  assert.is(channelStatusFor(err), undefined);
});

test('outside the messaging window is its own kind, not retried', async ({ graph, client }) => {
  graph.fail(/messages$/, OUTSIDE_WINDOW);
  const err = await failure(client.post('/17841400000000001/messages', { token: 'good-token', body: { recipient: { id: '42' } } }));
  assert.is(err.kind, 'window');
  assert.not.ok(err.transient);
  assert.is(graph.requests.length, 1);
});

test('a Graph that does not answer ends in a timeout, never retried (the outcome is unknown)', async ({ graph, client }) => {
  graph.fail(/messages$/, { status: 0, hang: true });
  const started = Date.now();
  const err = await failure(client.post('/17841400000000001/messages', { token: 'good-token', body: { recipient: { id: '42' } } }));
  assert.is(err.kind, 'timeout');
  assert.ok(Date.now() - started < 2000);
  assert.is(graph.requests.length, 1);
});

test('an unreachable host is a network error that names the host, never the token', async () => {
  const client = new GraphClient(config('http://127.0.0.1:9'), { timeoutMs: 500 });
  const err = await failure(client.get('/me', { token: 'secret-token-value' }));
  assert.is(err.kind, 'network');
  assert.not.ok(err.message.includes('secret-token-value'));
});

test.run();

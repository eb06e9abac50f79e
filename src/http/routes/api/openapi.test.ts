import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, TEST_PASSWORD, type TestApp } from '../../../testing/test-app.ts';
import { findClient } from '../../../tenants/index.ts';

const test = suite<{ app: TestApp }>('OpenAPI document and API docs page');

test.before(async (ctx) => {
  ctx.app = await makeTestApp();
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { scheme: string }> } };
const docOf = async (app: TestApp) => (await (await app.request('/api/v1/openapi.json')).json()) as Doc;

test('every /api/v1 route of the app is documented, and the document lists no route the app lacks', async ({ app }) => {
  const served = new Set(app.http.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1'))
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
  const doc = await docOf(app);
  const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
  assert.equal([...served].filter((r) => !documented.has(r)), [], 'served but not documented');
  assert.equal([...documented].filter((r) => !served.has(r)), [], 'documented but not served');
  assert.ok(served.size >= 20);
});

test('the document is OpenAPI 3.1 with a bearer scheme, and every $ref resolves', async ({ app }) => {
  const doc = await docOf(app);
  assert.is(doc.openapi, '3.1.0');
  assert.is(doc.components.securitySchemes.bearer.scheme, 'bearer');
  const text = JSON.stringify(doc);
  for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(doc.components.schemas[name], `schema ${name}`);
  assert.not.match(text, /#\/\$defs\//);
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${m} ${p} documents its success`);
      if (p !== '/api/v1/openapi.json') assert.ok(op.responses['401'], `${m} ${p} documents 401`);
    }
  }
  for (const name of ['Message', 'Conversation', 'Contact', 'Channel', 'Webhook', 'WebhookDelivery', 'ApiKey', 'Error']) assert.ok(doc.components.schemas[name], name);
});

test('the docs page renders every operation from the same document, in the user’s language', async ({ app }) => {
  const demo = (await findClient(app.ctx.db, 'demo'))!;
  const owner = await buildUser(app, 'owner', demo.id);
  const jar = await loginAs(app, owner.email, TEST_PASSWORD);
  const res = await app.request('/api-docs', { jar });
  assert.is(res.status, 200);
  const html = await res.text();
  assert.match(html, /Аутентификация/);
  assert.match(html, /X-Habar-Signature/);
  assert.match(html, /href="\/clients\/demo\/api-keys"/);
  assert.not.match(html, /<script[^>]+src="http/, 'no CDN');
  const doc = await docOf(app);
  for (const p of Object.keys(doc.paths)) assert.ok(html.includes(p), p);
  assert.is((await app.request('/api-docs')).status, 303, 'signed-in users only');
});

test.run();

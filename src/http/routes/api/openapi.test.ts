import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, tempDir, TEST_PASSWORD, type TestApp } from '../../../testing/test-app.ts';
import { findClient } from '../../../tenants/index.ts';

const test = suite<{ app: TestApp }>('OpenAPI document and API docs page');

test.before(async (ctx) => {
  ctx.app = await makeTestApp();
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

type Json = Record<string, any>;
type Doc = {
  openapi: string; info: Json; tags: Array<{ name: string }>; webhooks: Record<string, Json>;
  paths: Record<string, Record<string, { operationId: string; tags: string[]; parameters?: Json[]; requestBody?: Json; responses: Record<string, Json>; security?: unknown[] }>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, { scheme: string }> };
};
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
  assert.match(html, /href="#schema-ConversationUpdatedEvent"/, 'each webhook event links its body schema');
  assert.match(html, /href="\/clients\/demo\/api-keys"/);
  assert.not.match(html, /<script[^>]+src="http/, 'no CDN');
  const doc = await docOf(app);
  for (const p of Object.keys(doc.paths)) assert.ok(html.includes(p), p);
  assert.is((await app.request('/api-docs')).status, 303, 'signed-in users only');
});

const operations = (doc: Doc) => Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));
const errorRef = (r: Json | undefined) => r?.content?.['application/json']?.schema?.$ref;

test('every status the server can answer is documented with its body: 413 on each body-taking route, 401/403/404 on each keyed one, 409s', async ({ app }) => {
  const doc = await docOf(app);
  for (const { key, op } of operations(doc)) {
    if (op.requestBody) assert.is(errorRef(op.responses['413']), '#/components/schemas/Error', `${key} documents 413 with the Error body`);
    if (key.endsWith('/openapi.json')) continue;
    for (const s of ['401', '403', '404', '500']) assert.is(errorRef(op.responses[s]), '#/components/schemas/Error', `${key} documents ${s} with the Error body`);
  }
  const redeliver = doc.paths['/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver'].post;
  assert.is(errorRef(redeliver.responses['409']), '#/components/schemas/Error');
  assert.match(redeliver.responses['409'].description, /delivery_in_progress/);
  assert.is(errorRef(doc.paths['/api/v1/settings/ai'].put.responses['409']), '#/components/schemas/Error');
  assert.is(errorRef(doc.paths['/api/v1/settings/security'].put.responses['403']), '#/components/schemas/Error');
  assert.match(doc.components.schemas.Error.properties.error.properties.code.description, /delivery_in_progress.*method_not_allowed|method_not_allowed.*delivery_in_progress/);
});

test('a wrong method on a known path answers 405 with an Allow header, not 404', async ({ app }) => {
  const res = await app.request('/api/v1/openapi.json', { method: 'DELETE' });
  assert.is(res.status, 405);
  assert.is(res.headers.get('allow'), 'GET, HEAD');
  assert.is(((await res.json()) as Json).error.code, 'method_not_allowed');
  assert.is((await app.request('/api/v1/nothing-here', { method: 'DELETE' })).status, 401, 'an unknown path still asks for the key first');
});

test('outgoing webhooks are documented: one payload schema per event, conversation.updated’s data carries change', async ({ app }) => {
  const doc = await docOf(app);
  assert.equal(Object.keys(doc.webhooks).sort(), ['channel.status', 'conversation.updated', 'message.failed', 'message.received', 'message.sent']);
  const payload = (event: string) => {
    const ref: string = doc.webhooks[event].post.requestBody.content['application/json'].schema.$ref;
    return doc.components.schemas[ref.split('/').pop()!];
  };
  for (const event of Object.keys(doc.webhooks)) {
    const p = payload(event);
    assert.equal(p.required, ['id', 'event', 'created_at', 'data'], event);
    assert.is(p.properties.event.const, event);
    assert.equal(doc.webhooks[event].post.parameters.map((h: Json) => h.name), ['X-Habar-Delivery', 'X-Habar-Timestamp', 'X-Habar-Signature']);
  }
  const update = doc.components.schemas[payload('conversation.updated').properties.data.$ref.split('/').pop()];
  assert.ok(update.properties.change, 'change is a documented field');
  assert.ok(update.required.includes('change'));
  assert.ok(update.properties.change.enum.includes('created'));
});

test('the schema is as strict as the server: bounds, enums, date-time, required ids, times, info, tags, readable operationIds', async ({ app }) => {
  const doc = await docOf(app);
  const s = doc.components.schemas;
  assert.equal([s.AiSettings.properties.debounce_seconds.minimum, s.AiSettings.properties.debounce_seconds.maximum], [0, 120]);
  assert.equal([s.AiSettingsPatch.properties.resume_after_minutes.minimum, s.AiSettingsPatch.properties.resume_after_minutes.maximum], [0, 10080]);
  assert.equal(s.AiSettings.properties.reply_length.enum, ['short', 'medium', 'long']);
  assert.ok(s.Attachment.required.includes('id'));
  assert.is(s.Attachment.properties.url, undefined, 'no url that is never returned');
  for (const name of ['Attachment', 'Channel', 'Contact', 'Conversation', 'Webhook']) {
    for (const f of ['created_at', 'updated_at']) {
      assert.ok(s[name].required.includes(f), `${name}.${f} required`);
      assert.is(s[name].properties[f].format, 'date-time', `${name}.${f} is date-time`);
    }
  }
  // Every time anywhere in the document (named schemas, inline bodies, webhook payloads) says date-time.
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${where}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === 'properties') {
        for (const [f, p] of Object.entries(v as Record<string, Json>)) {
          if (!f.endsWith('_at') && f !== 'updated_since') continue;
          const formats = [p.format, ...((p.anyOf ?? []) as Json[]).map((x) => x.format)].filter(Boolean);
          assert.equal(formats, ['date-time'], `${where}/${f} is a date-time`);
        }
      }
      walk(v, `${where}/${k}`);
    }
  };
  walk(doc, '#');
  const since = doc.paths['/api/v1/conversations'].get.parameters!.find((p: Json) => p.name === 'updated_since');
  assert.is(since?.schema.format, 'date-time');
  assert.equal(doc.paths['/api/v1/conversations/{conversation_id}/messages'].post.requestBody!.content['application/json'].schema.properties.text.maxLength, 4096);
  assert.is(doc.info.license.identifier, 'MIT');
  assert.ok(doc.info.contact.url.endsWith('/api-docs'));
  const tagNames = doc.tags.map((t) => t.name);
  const ids = operations(doc).map(({ op }) => op.operationId);
  assert.is(new Set(ids).size, ids.length, 'operationIds are unique');
  for (const { key, op } of operations(doc)) {
    assert.match(op.operationId, /^[a-z]+[A-Z][A-Za-z]+$/, key);
    assert.ok(op.tags.every((t) => tagNames.includes(t)), `${key}: its tag is listed`);
  }
  assert.is(doc.paths['/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver'].post.operationId, 'redeliverWebhookDelivery');
});

test('the served document passes Redocly’s recommended lint rules with no error', async ({ app }) => {
  const dir = tempDir('habar-openapi-');
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, await (await app.request('/api/v1/openapi.json')).text());
  fs.writeFileSync(path.join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
  const run = await promisify(execFile)(process.execPath, [cli, 'lint', '--config', path.join(dir, 'redocly.yaml'), '--format', 'json', file], {
    cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' }, timeout: 20_000,
  }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
  const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }> };
  const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
  assert.equal(errors, [], 'lint errors');
  assert.is(report.totals.errors, 0);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();

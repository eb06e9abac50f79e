import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../testing/test-app.ts';

const test = suite<{ app: TestApp }>('operations endpoints');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('/healthz answers while the process is up; /readyz is 503 until the app is ready, then 200', async ({ app }) => {
  assert.is((await app.request('/healthz')).status, 200);
  const starting = await app.request('/readyz');
  assert.is(starting.status, 503);
  assert.equal(await starting.json(), { status: 'unavailable', reason: 'starting' });
  const url = await app.listen();
  const ready = await fetch(`${url}/readyz`);
  assert.is(ready.status, 200);
  assert.equal(await ready.json(), { status: 'ready' });
  await app.close();
  assert.is((await app.request('/readyz')).status, 503, 'not ready once closing');
});

test('/metrics is Prometheus text with requests by route and status, a latency histogram and process memory', async ({ app }) => {
  await app.request('/healthz');
  await app.request('/healthz');
  await app.request('/login');
  await app.request('/no-such-page');
  const res = await app.request('/metrics');
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, /^# TYPE habar_http_requests_total counter$/m);
  assert.match(text, /^habar_http_requests_total\{method="GET",route="\/healthz",status="200"\} 2$/m);
  assert.match(text, /^habar_http_requests_total\{method="GET",route="\/login",status="200"\} 1$/m);
  assert.match(text, /^habar_http_requests_total\{method="GET",route="[^"]*",status="404"\} 1$/m);
  assert.match(text, /^# TYPE habar_http_request_duration_seconds histogram$/m);
  assert.match(text, /^habar_http_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} 2$/m);
  assert.match(text, /^habar_http_request_duration_seconds_count\{route="\/healthz"\} 2$/m);
  const rss = Number(text.match(/^process_resident_memory_bytes (\d+)$/m)?.[1]);
  assert.ok(rss > 1_000_000, 'resident memory is reported');
  assert.match(text, /^nodejs_heap_used_bytes \d+$/m);
  // Raw paths would let ids (or tokens) into labels: unknown pages share one label.
  assert.not.match(text, /no-such-page/);
});

test.run();

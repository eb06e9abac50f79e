import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../testing/test-app.ts';
import { staticRoutes } from './static.ts';

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

test('/readyz answers 503 when the job runner could not start', async () => {
  const app = await makeTestApp({ flags: { workers: 'true' } });
  try {
    // The database refuses every write to the jobs table, as under a lasting lock.
    app.ctx.sqlite.exec(`CREATE TRIGGER jobs_locked_i BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'database is locked'); END;
      CREATE TRIGGER jobs_locked_u BEFORE UPDATE ON jobs BEGIN SELECT RAISE(ABORT, 'database is locked'); END;`);
    const url = await app.listen();
    let res = await fetch(`${url}/readyz`);
    for (let i = 0; i < 100 && res.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      res = await fetch(`${url}/readyz`);
    }
    assert.is(res.status, 503);
    assert.equal(await res.json(), { status: 'unavailable', reason: 'jobs' });
    assert.ok(app.logs.some((l) => l.includes('job runner failed to start')), 'the failure is logged too');
  } finally {
    await app.cleanup();
  }
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

test('public files are served; requests for made-up names answer 404 and leave nothing behind in memory', async ({ app }) => {
  const css = await app.request('/public/app.css');
  assert.is(css.status, 200);
  assert.match(css.headers.get('content-type')!, /^text\/css/);
  assert.is((await app.request('/public/no-such-file.js')).status, 404);
  const cache = new Map<string, Buffer>();
  const routes = staticRoutes(cache);
  assert.is((await routes.request('/public/app.css')).status, 200);
  for (let i = 0; i < 500; i++) assert.is((await routes.request(`/public/missing-${i}.js`)).status, 404);
  assert.equal([...cache.keys()], ['app.css']);
});

test.run();

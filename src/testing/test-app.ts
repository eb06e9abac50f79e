import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBootConfig, type BootConfig } from '../config/boot-config.ts';
import { openHabar, type Habar } from '../app.ts';
import { ManualClock, type Clock } from '../lib/clock.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { createUser, type Role } from '../auth/index.ts';
import { createClient, type Client } from '../tenants/index.ts';
import type { ChannelDriver } from '../channels/index.ts';

export function tempDir(prefix = 'habar-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Temp dirs a suite makes and removes at its end: `const dirs = tempDirs(); test.after(dirs.cleanup)`. */
export function tempDirs(): { fresh(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    fresh: () => {
      const d = tempDir();
      made.push(d);
      return d;
    },
    cleanup: () => {
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** A log sink tests can read (to prove no secret reaches a log line). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = createLogger('debug', (l) => lines.push(l));
  return Object.assign(log, { lines });
}

export interface TestApp extends Habar {
  dir: string;
  clock: Clock;
  logs: string[];
  /** Sends a request to the real app (no port), with an optional cookie jar. */
  request(pathOrUrl: string, init?: RequestInit & { jar?: CookieJar }): Promise<Response>;
  cleanup(): Promise<void>;
}

/** A fresh data dir and the real app over a real SQLite file. */
export async function makeTestApp(opts: { clock?: Clock; flags?: Record<string, string>; env?: Record<string, string>; seed?: boolean; dir?: string; channelDrivers?: readonly ChannelDriver[] } = {}): Promise<TestApp> {
  const dir = opts.dir ?? tempDir();
  const config: Readonly<BootConfig> = loadBootConfig({ 'data-dir': dir, port: '0', 'backup-interval-hours': '0', workers: 'false', ...opts.flags }, opts.env ?? {});
  const clock = opts.clock ?? new ManualClock(new Date());
  const log = memoryLogger();
  const app = await openHabar(config, { clock, log, createKey: true, seed: opts.seed ?? true, channelDrivers: opts.channelDrivers });
  return Object.assign(app, {
    dir,
    clock,
    logs: log.lines,
    async request(p: string, init: RequestInit & { jar?: CookieJar } = {}) {
      const headers = new Headers(init.headers);
      if (init.jar) {
        const cookie = init.jar.header();
        if (cookie) headers.set('cookie', cookie);
      }
      const res = await app.http.request(p.startsWith('http') ? p : `http://localhost${p}`, { ...init, headers });
      init.jar?.store(res);
      return res;
    },
    async cleanup() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A minimal cookie jar for app.request(). */
export class CookieJar {
  cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** Pulls the CSRF token out of a page (the hidden `_csrf` field). */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error('No CSRF token in the page');
  return m[1];
}

/** Posts a form the way a browser does, with the page's CSRF token. */
export async function postForm(app: TestApp, jar: CookieJar, p: string, fields: Record<string, string>, csrf?: string): Promise<Response> {
  const token = csrf ?? csrfFrom(await (await app.request(p.startsWith('/login') ? '/login' : '/', { jar })).text());
  return app.request(p, { method: 'POST', jar, body: new URLSearchParams({ _csrf: token, ...fields }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** Logs in through the real login form; returns the jar holding the session. */
export async function loginAs(app: TestApp, email: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const page = await app.request('/login', { jar });
  const res = await postForm(app, jar, '/login', { email, password }, csrfFrom(await page.text()));
  if (res.status !== 303) throw new Error(`login failed for ${email}: ${res.status}`);
  return jar;
}

export const TEST_PASSWORD = 'correct horse battery';

/** Fixture builders over the real domain functions. */
export async function buildClient(app: Habar, overrides: Partial<{ slug: string; name: string }> = {}): Promise<Client> {
  const slug = overrides.slug ?? `c-${Math.random().toString(36).slice(2, 8)}`;
  return createClient(app.ctx.db, app.ctx.clock, { slug, name: overrides.name ?? `Client ${slug}` });
}

export async function buildUser(app: Habar, role: Role, clientId: string | null = null, email?: string) {
  return createUser(app.ctx.db, app.ctx.clock, { email: email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@example.kz`, role, clientId, password: TEST_PASSWORD });
}

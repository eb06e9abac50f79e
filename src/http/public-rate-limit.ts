import type { AppContext } from './env.ts';
import { getSetting } from '../settings/index.ts';
import { RateLimiter } from '../lib/token-bucket.ts';
import { tooMany } from '../lib/errors.ts';

const SETTING = 'sandbox.rate_limit_per_minute';
const DEFAULT_PER_MINUTE = 60;
const REREAD_MS = 5_000;

/**
 * Rate limits of the public sandbox endpoints (no session, no key): per IP address, per link
 * (ten times the IP limit), and for unknown links per IP (slows token guessing). The per-minute
 * figure is the `sandbox.rate_limit_per_minute` setting, re-read every few seconds.
 */
export class PublicRateLimits {
  private perMinute = DEFAULT_PER_MINUTE;
  private readAt = -Infinity;
  private limiter = this.makeLimiter();

  private makeLimiter(): RateLimiter {
    const n = this.perMinute;
    return new RateLimiter((key) => {
      if (key.startsWith('miss:')) return { capacity: 20, perSecond: 20 / 60 };
      const scale = key.startsWith('link:') ? 10 : 1;
      return { capacity: n * scale, perSecond: (n * scale) / 60 };
    });
  }

  private async refresh(ctx: AppContext): Promise<void> {
    const now = ctx.clock.now().getTime();
    if (now - this.readAt < REREAD_MS) return;
    this.readAt = now;
    const n = Number((await getSetting(ctx.db, ctx.vault, SETTING)) ?? DEFAULT_PER_MINUTE);
    if (n !== this.perMinute) {
      this.perMinute = n;
      this.limiter = this.makeLimiter();
    }
  }

  /** Throws 429 (with Retry-After) when this IP or this link has sent too much. */
  async checkPost(ctx: AppContext, ip: string, token: string): Promise<void> {
    await this.refresh(ctx);
    const now = ctx.clock.now().getTime();
    for (const key of [`ip:${ip}`, `link:${token}`]) {
      if (!this.limiter.take(key, now)) throw tooMany('Too many messages; wait a little and try again', Math.ceil(this.limiter.waitMs(key, now) / 1000));
    }
  }

  /** Counts a request for an unknown link; throws 429 when this IP guesses too much. */
  checkMiss(ctx: AppContext, ip: string): void {
    const now = ctx.clock.now().getTime();
    if (!this.limiter.take(`miss:${ip}`, now)) throw tooMany('Too many requests', Math.ceil(this.limiter.waitMs(`miss:${ip}`, now) / 1000));
  }
}

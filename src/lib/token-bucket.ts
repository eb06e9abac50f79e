/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`. Time is passed in (ms), so a
 * ManualClock drives it in tests. Generic: the jobs runner limits sends per channel account
 * with it, the HTTP edge limits public endpoints per IP.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(readonly capacity: number, readonly perSecond: number, nowMs: number) {
    this.tokens = capacity;
    this.last = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.last) / 1000) * this.perSecond);
      this.last = nowMs;
    }
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whether the bucket has refilled completely (an idle key). */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.capacity;
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

/** Buckets by key, with idle ones forgotten so the map stays small. */
export class RateLimiter {
  private buckets = new Map<string, TokenBucket>();

  constructor(private readonly limit: (key: string) => { capacity: number; perSecond: number } | undefined) {}

  private bucket(key: string, nowMs: number): TokenBucket | undefined {
    let b = this.buckets.get(key);
    if (!b) {
      const l = this.limit(key);
      if (!l) return undefined;
      if (this.buckets.size > 10_000) this.prune(nowMs);
      b = new TokenBucket(l.capacity, l.perSecond, nowMs);
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Takes a token for `key`; true when allowed (keys without a limit are always allowed). */
  take(key: string, nowMs: number): boolean {
    return this.bucket(key, nowMs)?.take(nowMs) ?? true;
  }

  waitMs(key: string, nowMs: number): number {
    return this.bucket(key, nowMs)?.waitMs(nowMs) ?? 0;
  }

  /** Forgets the limits (e.g. after a setting changed). */
  reset(): void {
    this.buckets.clear();
  }

  private prune(nowMs: number): void {
    for (const [k, b] of this.buckets) if (b.isFull(nowMs)) this.buckets.delete(k);
  }
}

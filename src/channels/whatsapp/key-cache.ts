import type { CacheStore } from '@whiskeysockets/baileys';

/**
 * The in-memory cache in front of a number's sealed keys (Baileys' cacheable key store takes it):
 * entries expire after `ttlMs`, checked on read and swept every `sweepEvery` writes. Unlike the
 * default cache it starts no interval timer, so the cache of a dropped socket is simply collected
 * (each connection attempt makes a new one; a timer would keep every old one alive).
 */
export class KeyCache implements CacheStore {
  private readonly entries = new Map<string, { value: unknown; until: number }>();
  private writes = 0;

  constructor(private readonly now: () => number, private readonly ttlMs = 300_000, private readonly sweepEvery = 500) {}

  get<T>(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until < this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value as T;
  }

  set<T>(key: string, value: T): void {
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
    if (++this.writes % this.sweepEvery === 0) this.sweep();
  }

  del(key: string): void {
    this.entries.delete(key);
  }

  flushAll(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.until < now) this.entries.delete(k);
  }
}

/** Time only through a clock, so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-01-15T09:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
  set(at: Date | string) {
    this.t = new Date(at).getTime();
  }
}

/** The schema's one timestamp form: ISO 8601 UTC with milliseconds (sorts as text). */
export const iso = (d: Date) => d.toISOString();
export const nowIso = (clock: Clock) => clock.now().toISOString();

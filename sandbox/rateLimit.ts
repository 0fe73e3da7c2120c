// ServiceTitan's gateway limit, enforced like the real service when `rateLimitPerSecond` is set:
// at most N accepted calls per app key and tenant in any rolling second, 429 with Retry-After
// (and an ApiErrorResponse body) for the rest, which are not processed at all.
import type { RateLimitStats, SandboxRateLimit } from './types';

/** The highest `rateLimitPerSecond` (and `--rate-limit`) the sandbox accepts. */
export const MAX_RATE_LIMIT_PER_SECOND = 10_000;
export const RATE_WINDOW_MS = 1000;
/** How many accepted call times `acceptedTimes()` keeps (the newest). */
const LOG_CAPACITY = 100_000;

/** `rateLimitPerSecond` as given: undefined or 0 is off; otherwise a whole number 1..10000. */
export function checkRateLimit(value: number | undefined): number | undefined {
  if (value === undefined || value === 0) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_RATE_LIMIT_PER_SECOND) {
    throw new Error(
      `rateLimitPerSecond must be a whole number of calls per second between 1 and ${MAX_RATE_LIMIT_PER_SECOND} (0 or unset: off), got ${String(value)}`,
    );
  }
  return value;
}

/** A FIFO of times with O(1) push and pop at either end; grows by doubling, never shrinks. */
class TimeQueue {
  private buf: Float64Array;
  private head = 0;
  size = 0;

  constructor(capacity: number) {
    this.buf = new Float64Array(Math.max(1, capacity));
  }

  get oldest(): number {
    return this.buf[this.head] ?? 0;
  }

  push(t: number): void {
    if (this.size === this.buf.length) {
      const bigger = new Float64Array(this.buf.length * 2);
      for (let i = 0; i < this.size; i++) bigger[i] = this.buf[(this.head + i) % this.buf.length] ?? 0;
      this.buf = bigger;
      this.head = 0;
    }
    this.buf[(this.head + this.size) % this.buf.length] = t;
    this.size++;
  }

  shift(): void {
    this.head = (this.head + 1) % this.buf.length;
    this.size--;
  }

  /** Drops every time at or before `cutoff`. */
  dropUntil(cutoff: number): void {
    while (this.size > 0 && this.oldest <= cutoff) this.shift();
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  toArray(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.buf[(this.head + i) % this.buf.length] ?? 0);
    return out;
  }
}

interface KeyWindow {
  /** Accepted calls of the last second: never more than the limit, so a fixed ring. */
  accepted: TimeQueue;
  /** Every call of the last second, rejected ones too (for `maxInAnyWindow`). */
  arrivals: TimeQueue;
  last: number;
}

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A sliding one-second keyWindow per app key and tenant. A call is accepted when fewer than `limit`
 * calls were accepted in the second before it (`(now - 1000 ms, now]`), so no rolling second ever
 * holds more than `limit` accepted calls. Rejected calls do not use the quota: they are not
 * processed, so a client that retries too early is told to wait again but not locked out for
 * longer (how ServiceTitan's gateway is taken to behave; an Azure API Management rate-limit
 * policy counts the calls its increment condition selects).
 * Cost per call is O(1) amortized; keys idle for a second are forgotten in amortized O(1) sweeps.
 */
export class SandboxRateLimiter implements SandboxRateLimit {
  private readonly windows = new Map<string, KeyWindow>();
  private sweepAt = 64;
  private accepted = 0;
  private rejected = 0;
  private maxInAnyWindow = 0;
  /** Accepted call times for tests and the bench, the newest LOG_CAPACITY. */
  private readonly log = new TimeQueue(1024);

  constructor(
    readonly limit: number,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {}

  /** Counts one API call of `appKey` (as sent; '' when missing) at `tenant` and says whether it may run. */
  admit(appKey: string, tenant: string): Admission {
    const now = this.now();
    const key = `${tenant}\u0000${appKey}`;
    let keyWindow = this.windows.get(key);
    if (!keyWindow) {
      if (this.windows.size >= this.sweepAt) this.sweep(now);
      keyWindow = { accepted: new TimeQueue(this.limit), arrivals: new TimeQueue(Math.min(this.limit * 2, 1024)), last: now };
      this.windows.set(key, keyWindow);
    }
    const cutoff = now - RATE_WINDOW_MS;
    keyWindow.last = now;
    keyWindow.accepted.dropUntil(cutoff);
    keyWindow.arrivals.dropUntil(cutoff);
    keyWindow.arrivals.push(now);
    this.maxInAnyWindow = Math.max(this.maxInAnyWindow, keyWindow.arrivals.size);
    if (keyWindow.accepted.size >= this.limit) {
      this.rejected++;
      // Room again once the oldest accepted call of the window is a full second old.
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((keyWindow.accepted.oldest + RATE_WINDOW_MS - now) / 1000)) };
    }
    keyWindow.accepted.push(now);
    this.accepted++;
    if (this.log.size >= LOG_CAPACITY) this.log.shift();
    this.log.push(now);
    return { ok: true };
  }

  stats(): RateLimitStats {
    return { limit: this.limit, accepted: this.accepted, rejected: this.rejected, maxInAnyWindow: this.maxInAnyWindow, keys: this.windows.size };
  }

  /** When the accepted calls arrived (ms since the epoch, sub-millisecond), oldest first, all keys, the newest 100,000. */
  acceptedTimes(): number[] {
    return this.log.toArray();
  }

  /** Forgets the counters, the log and every window (the next calls start from an empty second). */
  reset(): void {
    this.windows.clear();
    this.sweepAt = 64;
    this.accepted = 0;
    this.rejected = 0;
    this.maxInAnyWindow = 0;
    this.log.clear();
  }

  /** Drops keys without a call in the last second; runs when the map has doubled since the last sweep. */
  private sweep(now: number): void {
    const cutoff = now - RATE_WINDOW_MS;
    for (const [key, keyWindow] of this.windows) {
      if (keyWindow.last <= cutoff) this.windows.delete(key);
    }
    this.sweepAt = Math.max(64, this.windows.size * 2);
  }
}

/** The most times of `times` (sorted) inside any rolling window of `windowMs`, open at its start. */
export function maxInWindow(times: readonly number[], windowMs = RATE_WINDOW_MS): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] ?? 0) <= (times[end] ?? 0) - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

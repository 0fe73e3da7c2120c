import { createHash } from 'node:crypto';
import { CancelledError } from './errors';

/** What the limiter schedules with; tests pass a virtual clock. */
export interface LimiterClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: LimiterClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The rolling window, plus a margin for requests that arrive a little closer together than they left. */
export const WINDOW_MS = 1000;
export const ARRIVAL_MARGIN_MS = 25;
/** How early a paced call may go (timers fire late; this keeps the lateness from adding up). */
export const PACING_SLACK_MS = 5;

/** A call's place in the limiter's window. */
export interface LimiterSlot {
  /** The send time it counts as (the limiter's clock, epoch ms for the real one). */
  readonly at: number;
  /** How long the caller waited for it, in ms. */
  readonly waitedMs: number;
}

/**
 * ServiceTitan allows 60 calls per second per app and tenant, whatever process or window makes
 * them. This limiter never lets more than `rate` calls leave in any rolling second (it keeps
 * the send times of the last second, plus a small margin for network jitter), and it spaces
 * them evenly, (1000 + margin) / rate ms apart: a burst of 60 that leaves within 10 ms reaches
 * the server spread over a few hundred, and the next burst would then land in the same server
 * second. In steady load it uses about 97 % of the budget. A token bucket that starts full lets a full second's
 * worth through at once and then a second's more in the next 1000 ms: up to twice the rate.
 * All transports of this process that share an app key and tenant share one limiter, found in
 * a module-level registry under a hash (the raw app key is never a map key).
 */
export class RateLimiter {
  /** Send times of the current window, oldest first. */
  private readonly sent: number[] = [];
  private pausedUntil = 0;
  /** When the next call may go (against a schedule, so late timers do not add up). */
  private nextAt = 0;
  /** FIFO, so a burst of callers is served in arrival order. */
  private readonly waiters: { resolve: (at: number) => void; reject: (error: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  private timer: unknown;

  constructor(
    private ratePerSecond: number,
    private readonly clock: LimiterClock = realClock,
  ) {}

  get rate(): number {
    return this.ratePerSecond;
  }

  /** Calls allowed in one window: whole calls only, so 2.5/s allows 2 in any second. */
  private get limit(): number {
    return Math.max(1, Math.floor(this.ratePerSecond));
  }

  setRate(ratePerSecond: number): void {
    if (ratePerSecond === this.ratePerSecond) return;
    this.ratePerSecond = ratePerSecond;
    this.wake();
  }

  /** The server said 429 with Retry-After: every caller of this limiter holds off until then. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** Takes a slot if one is free now and nobody waits for one; `acquire` without waiting. */
  tryAcquire(): LimiterSlot | undefined {
    const at = this.waiters.length === 0 ? this.tryTake() : undefined;
    return at === undefined ? undefined : { at, waitedMs: 0 };
  }

  /** Waits for a slot (callers in arrival order). Rejects with CancelledError on abort. */
  async acquire(signal?: AbortSignal): Promise<LimiterSlot> {
    if (signal?.aborted) throw new CancelledError();
    const started = this.clock.now();
    const free = this.tryAcquire();
    if (free) return free;
    const at = await new Promise<number>((resolve, reject) => {
      const waiter: (typeof this.waiters)[number] = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new CancelledError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.wake();
    });
    return { at, waitedMs: at - started };
  }

  /** The time of the slot it took, or undefined when none is free now. */
  private tryTake(): number | undefined {
    const now = this.clock.now();
    if (now < this.pausedUntil) return undefined;
    const windowStart = now - WINDOW_MS - ARRIVAL_MARGIN_MS;
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= windowStart) this.sent.shift();
    if (this.sent.length >= this.limit || now < this.nextAt - PACING_SLACK_MS) return undefined;
    this.nextAt = Math.max(this.nextAt, now) + (WINDOW_MS + ARRIVAL_MARGIN_MS) / this.limit;
    this.sent.push(now);
    return now;
  }

  /** Lets waiters go while there is room, then sleeps until the oldest send leaves the window. */
  private wake(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiters.length > 0) {
      const at = this.tryTake();
      if (at === undefined) break;
      const waiter = this.waiters.shift();
      if (waiter?.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter?.resolve(at);
    }
    if (this.waiters.length === 0) return;
    const now = this.clock.now();
    // Full: the oldest send has to leave the window. Not full, so only a 429 pause holds it.
    const full = this.sent.length >= this.limit;
    const free = Math.max(full ? (this.sent[0] ?? now) + WINDOW_MS + ARRIVAL_MARGIN_MS + 1 : now, this.nextAt - PACING_SLACK_MS, this.pausedUntil);
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.wake();
      },
      Math.max(1, free - now),
    );
  }
}

const buckets = new Map<string, RateLimiter>();

/** The key a limiter is registered under: a hash of app key and tenant, never the key itself. */
export function bucketKey(appKey: string, tenant: string): string {
  return createHash('sha256').update(`${appKey.trim()}\u0000${tenant.trim()}`).digest('hex').slice(0, 32);
}

/**
 * The process-wide limiter for an app key and tenant. A later transport with another rate
 * changes the shared rate (settings changed), it does not get a second limiter.
 */
export function sharedBucket(appKey: string, tenant: string, ratePerSecond: number): RateLimiter {
  const key = bucketKey(appKey, tenant);
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new RateLimiter(ratePerSecond);
    buckets.set(key, bucket);
  } else {
    bucket.setRate(ratePerSecond);
  }
  return bucket;
}

/** For tests: forget every shared limiter. */
export function resetSharedBuckets(): void {
  buckets.clear();
}

import { createHash } from 'node:crypto';
import { CancelledError } from './errors';

/**
 * ServiceTitan allows 60 calls per second per app and tenant, whatever process or window makes
 * them. All transports of this process that share an app key and tenant therefore share one
 * bucket, found in a module-level registry under a hash (the raw app key is never a map key,
 * so it cannot show up in a heap snapshot label or a debug print of the registry).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  /** FIFO, so a burst of callers is served in arrival order. */
  private readonly waiters: { resolve: () => void; reject: (error: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private ratePerSecond: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = ratePerSecond;
    this.last = clock();
  }

  get rate(): number {
    return this.ratePerSecond;
  }

  setRate(ratePerSecond: number): void {
    if (ratePerSecond === this.ratePerSecond) return;
    this.refill();
    this.ratePerSecond = ratePerSecond;
    this.tokens = Math.min(this.tokens, this.capacity);
    this.schedule();
  }

  /** One second's worth of calls may go out at once. */
  private get capacity(): number {
    return Math.max(1, this.ratePerSecond);
  }

  /** The server said 429 with Retry-After: every caller of this bucket holds off until then. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
  }

  /** Waits for a slot; resolves with how long it waited. Rejects with CancelledError on abort. */
  async acquire(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) throw new CancelledError();
    const started = this.clock();
    if (this.waiters.length === 0 && this.tryTake()) return 0;
    await new Promise<void>((resolve, reject) => {
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
      this.schedule();
    });
    return this.clock() - started;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }

  private tryTake(): boolean {
    if (this.clock() < this.pausedUntil) return false;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0) return;
    while (this.waiters.length > 0 && this.tryTake()) {
      const waiter = this.waiters.shift();
      if (waiter?.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter?.resolve();
    }
    if (this.waiters.length === 0) return;
    const now = this.clock();
    const untilToken = ((1 - this.tokens) / this.ratePerSecond) * 1000;
    const delay = Math.max(1, Math.ceil(Math.max(untilToken, this.pausedUntil - now)));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, delay);
  }
}

const buckets = new Map<string, TokenBucket>();

/** The key a bucket is registered under: a hash of app key and tenant, never the key itself. */
export function bucketKey(appKey: string, tenant: string): string {
  return createHash('sha256').update(`${appKey.trim()}\u0000${tenant.trim()}`).digest('hex').slice(0, 32);
}

/**
 * The process-wide bucket for an app key and tenant. A later transport with another rate
 * changes the shared rate (settings changed), it does not get a second bucket.
 */
export function sharedBucket(appKey: string, tenant: string, ratePerSecond: number): TokenBucket {
  const key = bucketKey(appKey, tenant);
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new TokenBucket(ratePerSecond);
    buckets.set(key, bucket);
  } else {
    bucket.setRate(ratePerSecond);
  }
  return bucket;
}

/** For tests: forget every shared bucket. */
export function resetSharedBuckets(): void {
  buckets.clear();
}

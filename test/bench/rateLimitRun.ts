/**
 * The client's limiter against the sandbox enforcing ServiceTitan's limit (`rateLimitPerSecond`
 * 60 on both sides): 600 concurrent calls from a fresh transport, about 10 s. Measured: calls per
 * second over the run (client's view, start to last answer), the most calls the server saw in
 * any rolling second, and the 429s (which must be 0).
 */
import { CrmClient } from '../../src/api/client';
import { sandboxConnectionOptions } from '../../src/suites/freshSandbox';
import { createTransport } from '../../src/api/transport';
import { maxInWindow, startSandbox } from '../../sandbox';

export interface RateLimitRun {
  /** The limit both sides were given, calls per second. */
  limit: number;
  calls: number;
  /** Calls that failed for any reason (a 429 beyond the client's retries, or anything else). */
  failed: number;
  elapsedMs: number;
  /** calls / elapsed: the rate a user gets. */
  callsPerSecond: number;
  /** The busiest rolling second of the accepted calls as the server timed them. */
  maxInAnyWindow: number;
  /** The busiest rolling second of everything that arrived, rejected calls included. */
  maxArrivalsInAnyWindow: number;
  /** 429s the server answered (each one the client then waited for and retried). */
  rejected: number;
  /** 429s the client saw; the same number unless something is badly wrong. */
  clientSaw429: number;
}

export async function measureRateLimit(calls = 600, limit = 60): Promise<RateLimitRun> {
  // Its own app key: transports share a limiter per app key and tenant across the process, and
  // the other rows use the sandbox's default credentials at other rates.
  const sandbox = await startSandbox({ port: 0, customers: 100, appKey: 'bench-rate-limit-app-key', rateLimitPerSecond: limit });
  let clientSaw429 = 0;
  const transport = createTransport({
    ...sandboxConnectionOptions(sandbox),
    rateLimitPerSecond: limit,
    onEvent: (event) => {
      if (event.type === 'response' && event.status === 429) clientSaw429++;
    },
  });
  const client = new CrmClient(transport);
  try {
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: calls }, (_, i) => client.listCustomers({ page: 1 + (i % 10), pageSize: 10 })));
    const elapsedMs = performance.now() - started;
    const stats = sandbox.rateLimit?.stats();
    if (!stats) throw new Error('the sandbox was started without its rate limit');
    return {
      limit,
      calls,
      failed: results.filter((r) => r.status === 'rejected').length,
      elapsedMs,
      callsPerSecond: (calls / elapsedMs) * 1000,
      maxInAnyWindow: maxInWindow(sandbox.rateLimit?.acceptedTimes() ?? []),
      maxArrivalsInAnyWindow: stats.maxInAnyWindow,
      rejected: stats.rejected,
      clientSaw429,
    };
  } finally {
    await transport.close();
    await sandbox.close();
  }
}

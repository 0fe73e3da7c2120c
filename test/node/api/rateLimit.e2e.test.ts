// The client's limiter against the sandbox enforcing ServiceTitan's 60 calls/s, over real
// loopback HTTP: 300 concurrent calls, no 429, never more than 60 in a rolling second as the
// server counts them, and the budget used. Takes about 5 s (300 calls at 60/s).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maxInWindow, startSandbox, type RunningSandbox } from '../../../sandbox/index';
import { CrmClient } from '../../../src/api/client';
import { customEnvironment } from '../../../src/api/environments';
import type { CrmEvent } from '../../../src/api/events';
import { resetSharedBuckets } from '../../../src/api/rateLimit';
import { createTransport, type CrmTransport } from '../../../src/api/transport';

const RATE = 60;
const CALLS = 300;

void describe('client limiter against the sandbox enforcing 60 calls/s', () => {
  let sb: RunningSandbox;
  let transport: CrmTransport;
  const statuses: number[] = [];

  before(async () => {
    resetSharedBuckets();
    sb = await startSandbox({ port: 0, customers: 30, rateLimitPerSecond: RATE });
    const { clientId, clientSecret, appKey } = sb.credentials;
    transport = createTransport({
      environment: customEnvironment(sb.url, `${sb.url}/connect/token`), tenant: sb.tenant, clientId, clientSecret, appKey,
      rateLimitPerSecond: RATE,
      onEvent: (event: CrmEvent) => { if (event.type === 'response') statuses.push(event.status); },
    });
  });
  after(async () => {
    await transport.close();
    await sb.close();
    resetSharedBuckets();
  });

  void it(`${CALLS} concurrent listCustomers: all succeed, no 429, no rolling second over ${RATE}, the budget used`, async () => {
    const client = new CrmClient(transport);
    const results = await Promise.allSettled(Array.from({ length: CALLS }, (_, i) => client.listCustomers({ page: 1 + (i % 3), pageSize: 5 })));
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    assert.deepEqual(failed, []);

    // Neither side saw a 429: the client got none, the server answered none.
    assert.deepEqual(statuses.filter((s) => s !== 200), []);
    assert.equal(statuses.length, CALLS);
    const stats = sb.rateLimit?.stats();
    assert.ok(stats);
    assert.equal(stats.rejected, 0, JSON.stringify(stats));
    assert.equal(stats.accepted, CALLS);
    // What the client sent, as the server counts it (rejected calls would be included here).
    assert.ok(stats.maxInAnyWindow <= RATE, JSON.stringify(stats));

    const times = sb.rateLimit?.acceptedTimes() ?? [];
    assert.equal(times.length, CALLS);
    assert.ok(maxInWindow(times) <= RATE, `max in a rolling second ${maxInWindow(times)}`);

    // The budget is used: over the run, at least 95 % of the most the limit allows. A limiter
    // that sends 60 at once and the next 60 a second later finishes 300 calls ~4.1 s after the
    // first, so this leaves over a second of slack for a slow machine.
    const first = times[0] ?? 0;
    const last = times[times.length - 1] ?? 0;
    const rate = (CALLS / (last - first)) * 1000;
    assert.ok(rate >= 0.95 * RATE * ((CALLS - 1) / CALLS), `${rate.toFixed(1)} calls/s from the first to the last accepted call`);
    // And counted the way the server sees it: each whole second from the first call on (the
    // last, partial one aside) holds nearly a full budget.
    for (let start = first; start + 1000 <= last; start += 1000) {
      const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
      assert.ok(inWindow >= Math.floor(0.95 * RATE), `${inWindow} calls in the second from +${(start - first).toFixed(0)} ms`);
    }
  });
});

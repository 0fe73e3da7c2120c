// The client's limiter against the sandbox enforcing ServiceTitan's 60 calls/s, over real
// loopback HTTP: 300 concurrent calls, no 429, never more than 60 in a rolling second as the
// server counts them. Takes about 5 s (300 calls at 60/s). How much of the budget is used is a
// rate, measured by `npm run bench` (its rate-limit row), not asserted here: a wall-clock figure
// fails on a loaded machine while the limiter is right.
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
      environment: customEnvironment(sb.url, `${sb.url}/connect/token`),
      tenant: sb.tenant,
      clientId,
      clientSecret,
      appKey,
      rateLimitPerSecond: RATE,
      onEvent: (event: CrmEvent) => {
        if (event.type === 'response') statuses.push(event.status);
      },
    });
  });
  after(async () => {
    await transport.close();
    await sb.close();
    resetSharedBuckets();
  });

  void it(`${CALLS} concurrent listCustomers: all succeed, no 429, no rolling second over ${RATE}`, async () => {
    const client = new CrmClient(transport);
    const results = await Promise.allSettled(Array.from({ length: CALLS }, (_, i) => client.listCustomers({ page: 1 + (i % 3), pageSize: 5 })));
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    assert.deepEqual(failed, []);

    // Neither side saw a 429: the client got none, the server answered none.
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
    );
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
  });
});

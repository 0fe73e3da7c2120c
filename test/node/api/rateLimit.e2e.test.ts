// The client's limiter against the sandbox enforcing ServiceTitan's 60 calls/s, over real
// loopback HTTP: 300 concurrent calls all succeed, and never more than 60 leave the client in a
// rolling second plus the limiter's arrival margin. Takes about 5 s (300 calls at 60/s).
// Whether the server then saw a 429 depends on how late each call arrived after it left: on a
// quiet machine never (`npm run bench` shows 0 and fails its row otherwise), on a loaded one a
// call delayed by more than the margin may be, and the transport retries it. So this test
// asserts what the limiter decides, not what the scheduler of a busy machine adds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maxInWindow, startSandbox, type RunningSandbox } from '../../../sandbox/index';
import { CrmClient } from '../../../src/api/client';
import { customEnvironment } from '../../../src/api/environments';
import type { CrmEvent } from '../../../src/api/events';
import { ARRIVAL_MARGIN_MS, resetSharedBuckets, WINDOW_MS } from '../../../src/api/rateLimit';
import { createTransport, type CrmTransport } from '../../../src/api/transport';

const RATE = 60;
const CALLS = 300;

void describe('client limiter against the sandbox enforcing 60 calls/s', () => {
  let sb: RunningSandbox;
  let transport: CrmTransport;
  const statuses: number[] = [];
  /** The send time of each attempt, as the client's limiter counted it. */
  const sentAt: number[] = [];

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
        if (event.type === 'request') sentAt.push(event.sentAt);
        if (event.type === 'response') statuses.push(event.status);
      },
    });
  });
  after(async () => {
    await transport.close();
    await sb.close();
    resetSharedBuckets();
  });

  void it(`${CALLS} concurrent listCustomers: all succeed, never more than ${RATE} leave in a rolling second plus the margin`, async (t) => {
    const client = new CrmClient(transport);
    const results = await Promise.allSettled(Array.from({ length: CALLS }, (_, i) => client.listCustomers({ page: 1 + (i % 3), pageSize: 5 })));
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    assert.deepEqual(failed, []);

    // What the limiter decided: every attempt (a retried 429 included) at the time it counted it.
    assert.ok(sentAt.length >= CALLS, `${sentAt.length} attempts`);
    const busiest = maxInWindow(
      [...sentAt].sort((a, b) => a - b),
      WINDOW_MS + ARRIVAL_MARGIN_MS,
    );
    assert.ok(busiest <= RATE, `${busiest} attempts left within ${WINDOW_MS + ARRIVAL_MARGIN_MS} ms`);

    // What the server saw: every call accepted once, never more than 60 accepted in a second.
    const stats = sb.rateLimit?.stats();
    assert.ok(stats);
    assert.equal(stats.accepted, CALLS, JSON.stringify(stats));
    const times = sb.rateLimit?.acceptedTimes() ?? [];
    assert.equal(times.length, CALLS);
    assert.ok(maxInWindow(times) <= RATE, `max accepted in a rolling second ${maxInWindow(times)}`);
    // Only a call that arrived later than the margin after it left can have met a 429 (retried).
    assert.deepEqual(
      statuses.filter((s) => s !== 200 && s !== 429),
      [],
    );
    assert.equal(statuses.filter((s) => s === 429).length, stats.rejected);
    t.diagnostic(`429s retried: ${stats.rejected} (0 on a quiet machine; npm run bench requires 0)`);
  });
});

import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as z from 'zod';
import { customEnvironment } from '../../../src/api/environments';
import {
  CancelledError,
  ForbiddenError,
  HttpError,
  NetworkError,
  ProblemError,
  RateLimitError,
  ResponseShapeError,
  TimeoutError,
} from '../../../src/api/errors';
import { ARRIVAL_MARGIN_MS, bucketKey, RateLimiter, resetSharedBuckets, sharedBucket, WINDOW_MS, type LimiterClock } from '../../../src/api/rateLimit';
import { buildUrl, createTransport } from '../../../src/api/transport';
import { maxInWindow } from '../../../sandbox';
import {
  caught,
  connect,
  createContact,
  customerPage,
  fakeApi,
  fakeTransport,
  listCustomers,
  loopback,
  ofType,
  sandbox,
  type Sandbox,
} from './transportHarness';

void describe('transport: URLs and requests', () => {
  void it('builds tenant URLs with query rules (drop undefined/null, arrays comma-joined, booleans)', () => {
    const env = customEnvironment('https://api.example.com/', 'https://auth.example.com/connect/token');
    const url = buildUrl(env, '1000', '/customers', {
      page: 2,
      name: 'A & B',
      ids: [1, 2, 3],
      active: true,
      includeTotal: false,
      skip: undefined,
      none: null,
    });
    assert.equal(url, 'https://api.example.com/crm/v2/tenant/1000/customers?page=2&name=A%20%26%20B&ids=1,2,3&active=true&includeTotal=false');
    assert.equal(buildUrl(env, '10 00', '/x'), 'https://api.example.com/crm/v2/tenant/10%2000/x');
  });

  void it('sends Bearer token and ST-App-Key on every API call, tenant only in the path', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ page: 1, pageSize: 5, hasMore: false, data: [] }));
    });
    try {
      const { transport } = fakeTransport(api.environment, { clientSecret: '  fake-secret\n', appKey: ' fake-app-key ' });
      await transport.send(listCustomers());
      await transport.send(listCustomers({ page: 2, pageSize: 5 }));
      const [token, first, second] = api.requests;
      assert.equal(token?.url, '/connect/token');
      assert.equal(token?.headers['content-type'], 'application/x-www-form-urlencoded');
      const form = new URLSearchParams(token?.body);
      assert.equal(form.get('grant_type'), 'client_credentials');
      assert.equal(form.get('client_id'), 'fake-client');
      assert.equal(form.get('client_secret'), 'fake-secret', 'secrets are trimmed');
      for (const call of [first, second]) {
        assert.equal(call?.headers.authorization, 'Bearer fake-token-abc123');
        assert.equal(call?.headers['st-app-key'], 'fake-app-key');
        assert.ok(!('tenant' in (call?.headers ?? {})));
      }
      assert.equal(first?.url, '/crm/v2/tenant/1000/customers?page=1&pageSize=5');
      assert.equal(api.requests.length, 3, 'one token request for two calls');
      await transport.close();
    } finally {
      await api.close();
    }
  });
});

void describe('transport against the sandbox', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox({ customers: 40 });
  });
  after(async () => {
    await sb.close();
  });
  beforeEach(() => {
    // A Retry-After from one test must not pause the shared bucket of the next.
    resetSharedBuckets();
    sb.faults.clear();
    sb.resetStats();
  });

  void it('reads a customer page and reports request, response and token events', async () => {
    const { transport, events } = connect(sb);
    const page = await transport.send(listCustomers({ page: 1, pageSize: 5, includeTotal: true }));
    assert.equal(page.data.length, 5);
    assert.ok(typeof page.totalCount === 'number' && page.totalCount > 5);
    const types = events.map((event) => event.type);
    assert.deepEqual(types, ['token', 'token', 'request', 'response']);
    const response = ofType(events, 'response')[0];
    assert.equal(response?.status, 200);
    assert.equal(response?.operationId, 'Customers_GetList');
    assert.equal(response?.attempt, 1);
    assert.match(response?.url ?? '', /\/crm\/v2\/tenant\/1000\/customers\?page=1&pageSize=5&includeTotal=true$/);
    assert.ok((response?.durationMs ?? -1) >= 0);
    await transport.close();
  });

  void it('100 concurrent calls share exactly one token request', async () => {
    const { transport } = connect(sb);
    const pages = await Promise.all(Array.from({ length: 100 }, (_, i) => transport.send(listCustomers({ page: (i % 8) + 1, pageSize: 5 }))));
    assert.equal(pages.length, 100);
    assert.equal(sb.stats().tokenRequests, 1);
    assert.equal(sb.stats().apiRequests, 100);
    assert.equal(transport.tokenRequests, 1);
    await transport.close();
  });

  void it('caches the token until shortly before expiry (injected clock)', async () => {
    let clock = Date.now();
    const { transport } = connect(sb, { now: () => clock });
    await transport.send(listCustomers());
    await transport.send(listCustomers());
    assert.equal(sb.stats().tokenRequests, 1);
    // Sandbox tokens live 900 s by default; the margin is 60 s, so 830 s later the token is still used.
    clock += 830_000;
    await transport.send(listCustomers());
    assert.equal(sb.stats().tokenRequests, 1);
    clock += 20_000;
    await transport.send(listCustomers());
    assert.equal(sb.stats().tokenRequests, 2, 'renewed within the last 60 s of its life');
    await transport.close();
  });

  void it('renews short-lived tokens with a margin scaled to their lifetime (real clock)', async () => {
    const short = await sandbox({ tokenLifetimeSeconds: 2 });
    try {
      const { transport } = connect(short);
      await transport.send(listCustomers());
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await transport.send(listCustomers());
      assert.equal(short.stats().tokenRequests, 1, '10% margin (0.2 s) keeps a 2 s token for 1.8 s');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await transport.send(listCustomers());
      assert.equal(short.stats().tokenRequests, 2);
      await transport.close();
    } finally {
      await short.close();
    }
  });

  void it('on 401 refreshes the token once and retries once', async () => {
    const { transport } = connect(sb);
    await transport.send(listCustomers());
    assert.equal(sb.stats().tokenRequests, 1);
    sb.revokeTokens();
    const page = await transport.send(listCustomers());
    assert.equal(page.data.length, 5);
    assert.equal(sb.stats().tokenRequests, 2, 'exactly one extra token request');
    assert.equal(sb.stats().apiRequests, 3);
    await transport.close();
  });

  void it('429 with Retry-After in seconds waits that long, then succeeds', async () => {
    sb.faults.add({ kind: 'rateLimit', path: '/customers', count: 1, retryAfter: 1 });
    const { transport, events } = connect(sb);
    const started = Date.now();
    await transport.send(listCustomers());
    assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
    const retries = ofType(events, 'retry');
    assert.equal(retries.length, 1);
    assert.equal(retries[0]?.status, 429);
    assert.equal(retries[0]?.delayMs, 1000);
    await transport.close();
  });

  void it('429 with Retry-After as an HTTP date is honoured', async () => {
    sb.faults.add({ kind: 'rateLimit', path: '/customers', count: 1, retryAfter: 'http-date' });
    const { transport, events } = connect(sb);
    await transport.send(listCustomers());
    const retries = ofType(events, 'retry');
    assert.equal(retries.length, 1);
    assert.ok((retries[0]?.delayMs ?? -1) >= 0 && (retries[0]?.delayMs ?? 99_999) <= 60_000, `delay ${retries[0]?.delayMs}`);
    await transport.close();
  });

  void it('429 without Retry-After backs off exponentially with jitter, then gives RateLimitError', async () => {
    sb.faults.add({ kind: 'rateLimit', path: '/customers', retryAfter: 'none' });
    const { transport, events } = connect(sb, { maxRetries: 3, retryBaseDelayMs: 40 });
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof RateLimitError, error.message);
    assert.match(error.message, /429/);
    assert.match(error.message, /rateLimitPerSecond/);
    const delays = ofType(events, 'retry').map((event) => event.delayMs);
    assert.equal(delays.length, 3);
    // Equal jitter: retry n waits between half and all of base * 2^n.
    delays.forEach((delay, n) => {
      assert.ok(delay >= 20 * 2 ** n - 1 && delay <= 40 * 2 ** n + 1, `retry ${n} waited ${delay}`);
    });
    assert.equal(sb.stats().apiRequests, 4);
    await transport.close();
  });

  void it('never repeats a POST after 503, but repeats it after 429', async () => {
    const { transport } = connect(sb);
    sb.faults.add({ kind: 'error5xx', method: 'POST', path: '/contacts', count: 1, status: 503 });
    const error = await caught(() => transport.send(createContact('Once Only')));
    assert.ok(error instanceof ProblemError || error instanceof HttpError, error.message);
    assert.equal(error.status, 503);
    assert.match(error.message, /503/);
    assert.equal(sb.stats().apiRequests, 1, 'the POST went out exactly once');

    sb.resetStats();
    sb.faults.add({ kind: 'rateLimit', method: 'POST', path: '/contacts', count: 1, retryAfter: 0 });
    const contact = await transport.send(createContact('After 429'));
    assert.equal(contact.name, 'After 429');
    assert.equal(sb.stats().apiRequests, 2, 'retried once after 429');
    await transport.close();
  });

  void it('retries GET on 502/503/504', async () => {
    const { transport, events } = connect(sb);
    sb.faults.add({ kind: 'error5xx', path: '/customers', count: 1, status: 502 });
    sb.faults.add({ kind: 'error5xx', path: '/customers', count: 1, status: 503 });
    sb.faults.add({ kind: 'error5xx', path: '/customers', count: 1, status: 504 });
    const page = await transport.send(listCustomers());
    assert.equal(page.data.length, 5);
    assert.deepEqual(
      ofType(events, 'retry').map((event) => event.status),
      [502, 503, 504],
    );
    await transport.close();
  });

  void it('gives up on a persistent 5xx after maxRetries with the status in the message', async () => {
    sb.faults.add({ kind: 'error5xx', path: '/customers', status: 500 });
    const { transport } = connect(sb);
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof ProblemError || error instanceof HttpError, error.message);
    assert.match(error.message, /500/);
    assert.equal(sb.stats().apiRequests, 1, '500 is not in the retry list');
    await transport.close();
  });

  void it('retries a GET after a connection reset; a POST reset is a NetworkError and not repeated', async () => {
    const { transport, events } = connect(sb);
    sb.faults.add({ kind: 'reset', method: 'GET', path: '/customers', count: 1 });
    const page = await transport.send(listCustomers());
    assert.equal(page.data.length, 5);
    assert.equal(ofType(events, 'retry').length, 1);

    sb.resetStats();
    sb.faults.add({ kind: 'reset', method: 'POST', path: '/contacts', count: 1 });
    const error = await caught(() => transport.send(createContact('Reset')));
    assert.ok(error instanceof NetworkError, error.message);
    assert.ok(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(error.code ?? ''), String(error.code));
    assert.match(error.message, /closed before a complete answer/);
    assert.equal(sb.stats().apiRequests, 1);
    await transport.close();
  });

  void it('a truncated body is retried for GET and reported clearly when it persists', async () => {
    const { transport } = connect(sb);
    sb.faults.add({ kind: 'truncate', path: '/customers', count: 1 });
    const page = await transport.send(listCustomers());
    assert.equal(page.data.length, 5);

    sb.faults.add({ kind: 'truncate', path: '/customers' });
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof NetworkError || error instanceof ResponseShapeError, `${error.name}: ${error.message}`);
    assert.match(error.message, /cut off|closed before a complete answer/);
    await transport.close();
  });

  void it('latency beyond the timeout gives TimeoutError; per-request timeout overrides', async () => {
    sb.faults.add({ kind: 'latency', path: '/customers', latencyMs: 1500, count: 2 });
    const { transport } = connect(sb, { timeoutMs: 300 });
    const started = Date.now();
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof TimeoutError, `${error.name}: ${error.message}`);
    assert.equal(error.timeoutMs, 300);
    assert.match(error.message, /did not answer within 0\.3 s/);
    assert.ok(Date.now() - started < 1400);
    const page = await transport.send(listCustomers(undefined, { timeoutMs: 5000 }));
    assert.equal(page.data.length, 5);
    await transport.close();
  });

  void it('caller abort gives CancelledError: before sending, in flight, and during backoff', async () => {
    const { transport } = connect(sb);
    const pre = new AbortController();
    pre.abort();
    assert.ok((await caught(() => transport.send(listCustomers(undefined, { signal: pre.signal })))) instanceof CancelledError);

    sb.faults.add({ kind: 'latency', path: '/customers', latencyMs: 2000, count: 1 });
    const inFlight = new AbortController();
    setTimeout(() => inFlight.abort(), 100);
    let started = Date.now();
    assert.ok((await caught(() => transport.send(listCustomers(undefined, { signal: inFlight.signal })))) instanceof CancelledError);
    assert.ok(Date.now() - started < 1000);

    sb.faults.clear();
    sb.faults.add({ kind: 'rateLimit', path: '/customers', count: 1, retryAfter: 30 });
    const sleeping = new AbortController();
    setTimeout(() => sleeping.abort(), 200);
    started = Date.now();
    assert.ok((await caught(() => transport.send(listCustomers(undefined, { signal: sleeping.signal })))) instanceof CancelledError);
    assert.ok(Date.now() - started < 2000, 'the 30 s Retry-After sleep was interrupted');
    await transport.close();
  });

  void it('close() cancels calls in flight and refuses new ones', async () => {
    sb.faults.add({ kind: 'latency', path: '/customers', latencyMs: 2000, count: 1 });
    const { transport } = connect(sb);
    const pending = caught(() => transport.send(listCustomers()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await transport.close();
    const error = await pending;
    assert.ok(error instanceof CancelledError, error.message);
    assert.ok((await caught(() => transport.send(listCustomers()))) instanceof CancelledError);
  });

  void it("a caller's signal: many calls leave no listener on it, a timeout is still a timeout, close() still cancels", async () => {
    const { transport } = connect(sb, { timeoutMs: 300 });
    const shared = new AbortController();
    for (let i = 0; i < 20; i++) await transport.send(listCustomers(undefined, { signal: shared.signal }));
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0, 'every call unhooked itself');

    sb.faults.add({ kind: 'latency', path: '/customers', latencyMs: 1500, count: 1 });
    const late = await caught(() => transport.send(listCustomers(undefined, { signal: shared.signal })));
    assert.ok(late instanceof TimeoutError, `${late.name}: ${late.message}`);

    sb.faults.add({ kind: 'latency', path: '/customers', latencyMs: 2000, count: 1 });
    const pending = caught(() => transport.send(listCustomers(undefined, { signal: shared.signal, timeoutMs: 5000 })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await transport.close();
    const closed = await pending;
    assert.ok(closed instanceof CancelledError, closed.message);
    assert.match(closed.message, /connection was closed/);
    assert.equal(shared.signal.aborted, false, "closing the transport does not abort the caller's own signal");
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0);
  });

  void it('a 2xx body that fails the schema gives ResponseShapeError naming the field path', async () => {
    const { transport } = connect(sb);
    const wrong = listCustomers();
    const error = await caught(() => transport.send({ ...wrong, response: z.object({ data: z.array(z.object({ id: z.number(), name: z.number() })) }) }));
    assert.ok(error instanceof ResponseShapeError, error.message);
    assert.match(error.message, /data\[0\]\.name: expected number, received string/);
    assert.equal(error.issues[0]?.field, 'data[0].name');
    assert.equal(error.operationId, 'Customers_GetList');
    await transport.close();
  });

  void it('403 gives ForbiddenError naming the scope', async () => {
    const { transport } = connect(sb, { clientId: sb.credentials.readOnlyClientId, clientSecret: sb.credentials.readOnlyClientSecret });
    const error = await caught(() => transport.send(createContact('Nope')));
    assert.ok(error instanceof ForbiddenError, error.message);
    assert.equal(error.requiredScope, 'tn.crm.contacts:w');
    assert.match(error.message, /403/);
    assert.match(error.message, /"tn\.crm\.contacts:w" scope/);
    assert.match(error.message, /developer portal/);
    await transport.close();
  });
});

void describe('transport: network failures', () => {
  void it('ECONNREFUSED has its own message', async () => {
    const closed = await loopback(() => undefined);
    await closed.close();
    const { transport } = fakeTransport(customEnvironment(closed.url, `${closed.url}/connect/token`));
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof NetworkError, error.message);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, /connection was refused \(ECONNREFUSED\)/);
    assert.match(error.message, /token endpoint/);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${closed.port}`));
    await transport.close();
  });

  // A server that takes the connection and never says a word: the TLS handshake hangs. The
  // timeout ends the call then, and close() too, not undici's connect timeout 10 s later.
  void it('a hanging TLS handshake ends with the timeout, and close() cancels it at once', { timeout: 5000 }, async () => {
    const sockets = new Set<Socket>();
    const silent = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const base = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const { transport } = fakeTransport(customEnvironment(base, `${base}/connect/token`), { timeoutMs: 300 });
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof TimeoutError, `${error.name}: ${error.message}`);
      assert.match(error.message, /token endpoint did not answer within 0\.3 s/);
      await transport.close();

      const patient = fakeTransport(customEnvironment(base, `${base}/connect/token`), { timeoutMs: 60_000 });
      const pending = caught(() => patient.transport.send(listCustomers()));
      while (sockets.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await patient.transport.close();
      assert.ok((await pending) instanceof CancelledError);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  void it('ENOTFOUND says the host could not be found', async () => {
    const env = customEnvironment('http://no-such-host.invalid', 'http://no-such-host.invalid/connect/token');
    const { transport } = fakeTransport(env);
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof NetworkError, error.message);
    assert.ok(['ENOTFOUND', 'EAI_AGAIN'].includes(error.code ?? ''), error.code);
    assert.match(error.message, /Could not find the host no-such-host\.invalid/);
    await transport.close();
  });

  void it('an HTML page on 200 is a ResponseShapeError that points at the base URL', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><head><title>Welcome</title></head><body>hi</body></html>');
    });
    try {
      const { transport } = fakeTransport(api.environment);
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof ResponseShapeError, error.message);
      assert.match(error.message, /HTML page instead of JSON/);
      await transport.close();
    } finally {
      await api.close();
    }
  });

  void it('invalid JSON on 200 is a ResponseShapeError with a clear text', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"page":1,"data":[{"id":1,');
    });
    try {
      const { transport } = fakeTransport(api.environment);
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof ResponseShapeError, error.message);
      assert.match(error.message, /not valid JSON \(it may have been cut off/);
      await transport.close();
    } finally {
      await api.close();
    }
  });

  void it('an empty 2xx body is parsed as undefined', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    try {
      const { transport } = fakeTransport(api.environment);
      const result = await transport.send({ operationId: 'Contacts_Delete', method: 'DELETE', path: '/contacts/x', response: z.undefined() });
      assert.equal(result, undefined);
      await transport.close();
    } finally {
      await api.close();
    }
  });
});

void describe('rate limiting', () => {
  void it('shares one bucket per app key and tenant, keyed by a hash', () => {
    const a = sharedBucket('key-1', '1000', 60);
    const b = sharedBucket('key-1', '1000', 60);
    const c = sharedBucket('key-1', '2000', 60);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.doesNotMatch(bucketKey('key-1', '1000'), /key-1/);
    assert.match(bucketKey('key-1', '1000'), /^[0-9a-f]{32}$/);
  });

  void it('never lets more than the rate leave in any rolling second, and uses at least 95 % of the budget', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(60, clock);
    const sent: number[] = [];
    const calls = Array.from({ length: 600 }, () => limiter.acquire().then(() => sent.push(clock.now())));
    await clock.runUntilSettled(calls);
    assert.equal(sent.length, 600);
    const busiest = busiestSecond(sent);
    assert.ok(busiest <= 60 && busiest >= 57, `the busiest rolling second holds ${busiest}, at most the rate and close to it`);
    // 600 calls at 60/s, evenly spaced: 599 gaps of about 17 ms.
    const perSecond = (sent.length - 1) / ((Math.max(...sent) - Math.min(...sent)) / 1000);
    assert.ok(perSecond >= 0.95 * 60, `${perSecond.toFixed(1)} calls per second`);
  });

  void it('keeps the limit when calls keep arriving, and when the rate changes', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(10, clock);
    const sent: number[] = [];
    // 100 calls per second for 3 s, then the setting drops to 5 per second.
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) clock.at(i * 10, () => calls.push(limiter.acquire().then(() => sent.push(clock.now()))));
    clock.at(3000, () => limiter.setRate(5));
    await clock.runUntil(3000);
    await clock.runUntilSettled(calls);
    assert.ok(busiestSecond(sent) <= 10);
    assert.ok(busiestSecond(sent.filter((time) => time > 3000 + 1025)) <= 5, 'the lower rate holds once the window has moved on');
  });

  void it('a waiting caller can abort, and its slot goes to the next one; a 429 pause holds everyone', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(1, clock);
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = caught(() => limiter.acquire(controller.signal));
    let next: number | undefined;
    const following = limiter.acquire().then(() => (next = clock.now()));
    clock.at(50, () => controller.abort());
    await clock.runUntilSettled([aborted, following]);
    assert.ok((await aborted) instanceof CancelledError);
    assert.equal(next, 1026, 'the next caller goes once the first send has left the window');
    limiter.pauseFor(5_000);
    let paused: number | undefined;
    await clock.runUntilSettled([limiter.acquire().then(() => (paused = clock.now()))]);
    assert.ok(paused !== undefined && paused >= 1026 + 5_000);
  });

  void it('transports with the same app key and tenant share the rate across the process', async () => {
    // A sandbox that enforces 20/s tells one shared limiter from two: two would send 40 a second.
    const sb = await sandbox({ rateLimitPerSecond: 20 });
    try {
      const one = connect(sb, { rateLimitPerSecond: 20 });
      const two = connect(sb, { rateLimitPerSecond: 20 });
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).transport.send(listCustomers())));
      // The slots both gave out, in one window: never more than 20 (separate limiters give about 40).
      const sentAt = ofType([...one.events, ...two.events], 'request')
        .map((event) => event.sentAt)
        .sort((a, b) => a - b);
      assert.ok(sentAt.length >= 50);
      assert.ok(maxInWindow(sentAt, WINDOW_MS + ARRIVAL_MARGIN_MS) <= 20, `${maxInWindow(sentAt, WINDOW_MS + ARRIVAL_MARGIN_MS)} calls left in one window`);
      // The server accepted each call once, never more than 20 in a second (a late arrival it refused was retried).
      const stats = sb.rateLimit?.stats();
      assert.equal(stats?.accepted, 50);
      assert.ok(maxInWindow(sb.rateLimit?.acceptedTimes() ?? []) <= 20);
      await Promise.all([one.transport.close(), two.transport.close()]);
    } finally {
      await sb.close();
    }
  });

  void it('works with only the required options (defaults: 60/s, 30 s timeout)', async () => {
    const sb = await sandbox();
    try {
      const transport = createTransport({
        environment: customEnvironment(sb.url, `${sb.url}/connect/token`),
        tenant: sb.tenant,
        clientId: sb.credentials.clientId,
        clientSecret: sb.credentials.clientSecret,
        appKey: sb.credentials.appKey,
      });
      const page = await transport.send({
        operationId: 'Customers_GetList',
        method: 'GET',
        path: '/customers',
        query: { pageSize: 2 },
        response: customerPage,
      });
      assert.equal(page.data.length, 2);
      await transport.close();
    } finally {
      await sb.close();
    }
  });
});

/** The most send times in any window [t, t + 1000 ms). */
function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] ?? 0) < (sorted[start] ?? 0) + 1000) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

/** A clock whose time moves only when the test runs its timers, so limiter tests need no real waiting. */
class VirtualClock implements LimiterClock {
  private time = 0;
  private sequence = 0;
  private timers: { at: number; id: number; callback: () => void }[] = [];

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): number {
    const id = ++this.sequence;
    this.timers.push({ at: this.time + ms, id, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  /** Runs `callback` at virtual time `at`. */
  at(at: number, callback: () => void): void {
    this.timers.push({ at, id: ++this.sequence, callback });
  }
  /** Runs the timers due up to `until`, in time order, letting promises settle after each. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = Math.max(this.time, until);
  }
  /** Runs timers until every promise has settled. */
  async runUntilSettled(promises: readonly Promise<unknown>[]): Promise<void> {
    let done = false;
    const all = Promise.allSettled(promises).then(() => (done = true));
    for (let guard = 0; !done && guard < 100_000; guard++) {
      await settle();
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers.shift();
      if (!next) break;
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    await all;
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { createTokenProvider, expiryMarginMs, retryAfterMs } from '../../../src/api/auth';
import { customEnvironment } from '../../../src/api/environments';
import { AuthError, CancelledError } from '../../../src/api/errors';
import { caught, connect, fakeApi, fakeTransport, listCustomers, loopback, ofType, sandbox, type Sandbox } from './transportHarness';

/** A loopback token endpoint that answers every token request with `status` and `body`. */
async function tokenServer(status: number, body: string, contentType = 'application/json') {
  return loopback((req, res) => {
    if (req.url === '/connect/token') {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
      return;
    }
    res.writeHead(500);
    res.end();
  });
}

void describe('auth: token endpoint errors each say what to fix', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.close();
  });

  void it('wrong client secret → invalid_client, "check them in the profile"', async () => {
    const { transport, events } = connect(sb, { clientSecret: 'wrong-secret-value' });
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof AuthError, error.message);
    assert.equal(error.reason, 'invalid_client');
    assert.match(error.message, /The client ID or client secret was rejected \(invalid_client\)\. Check them in the profile/);
    assert.doesNotMatch(error.message, /wrong-secret-value/);
    const tokenEvents = ofType(events, 'token');
    assert.deepEqual(
      tokenEvents.map((event) => event.phase),
      ['request', 'error'],
    );
    assert.equal(ofType(events, 'error')[0]?.kind, 'auth');
    await transport.close();
  });

  void it('wrong app key → app_key reason, no token refresh loop', async () => {
    sb.resetStats();
    const { transport } = connect(sb, { appKey: 'not-the-app-key' });
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof AuthError, error.message);
    assert.equal(error.reason, 'app_key');
    assert.equal(error.status, 401);
    assert.match(error.message, /The app key was rejected/);
    assert.match(error.message, /Check the app key in the profile/);
    assert.doesNotMatch(error.message, /not-the-app-key/);
    assert.equal(sb.stats().tokenRequests, 1);
    assert.equal(sb.stats().apiRequests, 1);
    await transport.close();
  });

  void it('missing app key → app_key reason', async () => {
    const { transport } = connect(sb, { appKey: '   ' });
    const error = await caught(() => transport.send(listCustomers()));
    assert.ok(error instanceof AuthError, error.message);
    assert.equal(error.reason, 'app_key');
    assert.match(error.message, /Missing application key/);
    await transport.close();
  });

  void it('the gateway\'s "invalid subscription key" 401 is an app key error too', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          statusCode: 401,
          message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
        }),
      );
    });
    try {
      const { transport } = fakeTransport(api.environment);
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof AuthError, error.message);
      assert.equal(error.reason, 'app_key');
      assert.match(error.message, /The app key was rejected \(HTTP 401 Unauthorized: Access denied due to invalid subscription key/);
      assert.equal(api.requests.length, 2, 'no token refresh for an app key problem');
      await transport.close();
    } finally {
      await api.close();
    }
  });

  void it('wrong tenant → the server says so (404), credentials are fine', async () => {
    const { transport } = connect(sb, { tenant: '999' });
    const error = await caught(() => transport.send(listCustomers()));
    assert.match(error.message, /Tenant 999 not found/);
    assert.match(error.message, /HTTP 404/);
    await transport.close();
  });

  for (const [code, reason, text] of [
    ['invalid_grant', 'invalid_grant', /refused the grant \(invalid_grant\)/],
    ['unauthorized_client', 'unauthorized_client', /may not request tokens with client credentials \(unauthorized_client\)/],
    ['invalid_scope', 'invalid_scope', /rejected the requested scopes \(invalid_scope\)/],
    ['unsupported_grant_type', 'token_endpoint', /does not accept the client credentials grant \(unsupported_grant_type\)\. Check the token URL/],
    ['server_error', 'token_endpoint', /refused the request \(server_error, HTTP 400\)/],
  ] as const) {
    void it(`${code} → ${reason}`, async () => {
      const server = await tokenServer(400, JSON.stringify({ error: code, error_description: 'details here' }));
      try {
        const { transport } = fakeTransport(customEnvironment(server.url, `${server.url}/connect/token`));
        const error = await caught(() => transport.send(listCustomers()));
        assert.ok(error instanceof AuthError, error.message);
        assert.equal(error.reason, reason);
        assert.match(error.message, text);
        assert.match(error.message, /The server said: "details here"/);
        await transport.close();
      } finally {
        await server.close();
      }
    });
  }

  void it('a token endpoint that answers HTML says to check the token URL, with the status', async () => {
    const server = await tokenServer(404, '<html><head><title>Not Found</title></head></html>', 'text/html');
    try {
      const { transport } = fakeTransport(customEnvironment(server.url, `${server.url}/connect/token`));
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof AuthError, error.message);
      assert.equal(error.reason, 'token_endpoint');
      assert.match(error.message, /did not answer with an OAuth token: HTTP 404 Not Found: the server sent an HTML page/);
      assert.match(error.message, /Check the token URL in the profile/);
    } finally {
      await server.close();
    }
  });

  void it('a 200 without access_token is a token_endpoint error', async () => {
    const server = await tokenServer(200, '{"hello":"world"}');
    try {
      const { transport } = fakeTransport(customEnvironment(server.url, `${server.url}/connect/token`));
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof AuthError);
      assert.equal(error.reason, 'token_endpoint');
      assert.match(error.message, /without an access token/);
    } finally {
      await server.close();
    }
  });

  void it('a token the API keeps rejecting after one refresh → token_rejected', async () => {
    const server = await loopback((req, res) => {
      if (req.url === '/connect/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'always-bad-token', expires_in: 900 }));
        return;
      }
      res.writeHead(401, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'x', title: 'Invalid access token', status: 401, traceId: 't-1', errors: {}, data: {} }));
    });
    try {
      const { transport } = fakeTransport(customEnvironment(server.url, `${server.url}/connect/token`));
      const error = await caught(() => transport.send(listCustomers()));
      assert.ok(error instanceof AuthError, error.message);
      assert.equal(error.reason, 'token_rejected');
      assert.match(error.message, /rejected a freshly issued access token \(HTTP 401 Unauthorized: Invalid access token\)/);
      const tokenCalls = server.requests.filter((request) => request.url === '/connect/token').length;
      assert.equal(tokenCalls, 2, 'one refresh');
      assert.equal(server.requests.length, 4, 'two tokens, two API calls');
      await transport.close();
    } finally {
      await server.close();
    }
  });
});

void describe('auth: token provider', () => {
  void it('expiry margin is 60 s, scaled down to 10% for short lifetimes', () => {
    assert.equal(expiryMarginMs(900), 60_000);
    assert.equal(expiryMarginMs(600), 60_000);
    assert.equal(expiryMarginMs(300), 30_000);
    assert.equal(expiryMarginMs(2), 200);
  });

  void it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(
      retryAfterMs('3', () => now),
      3000,
    );
    assert.equal(
      retryAfterMs('0', () => now),
      0,
    );
    assert.equal(
      retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', () => now),
      5000,
    );
    assert.equal(
      retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', () => now),
      0,
    );
    assert.equal(
      retryAfterMs('soon', () => now),
      undefined,
    );
    assert.equal(retryAfterMs(undefined), undefined);
  });

  void it('one caller aborting does not cancel the shared token request for the others', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await loopback((_req, res) => {
      void gate.then(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'shared-token-xyz', expires_in: 60 }));
      });
    });
    const dispatcher = new Agent();
    try {
      const provider = createTokenProvider({ tokenUrl: `${server.url}/connect/token`, clientId: 'c', clientSecret: 's', dispatcher, timeoutMs: 5000 });
      const impatient = new AbortController();
      const first = caught(() => provider.getToken(impatient.signal));
      const second = provider.getToken();
      const third = provider.getToken();
      impatient.abort();
      assert.ok((await first) instanceof CancelledError);
      release();
      assert.equal(await second, 'shared-token-xyz');
      assert.equal(await third, 'shared-token-xyz');
      assert.equal(provider.requestCount, 1);
      assert.equal(server.requests.length, 1);
      // Cached now, and invalidate() forces a new request.
      assert.equal(await provider.getToken(), 'shared-token-xyz');
      assert.equal(server.requests.length, 1);
      provider.invalidate('some-other-token');
      await provider.getToken();
      assert.equal(server.requests.length, 1, 'invalidating a token that is no longer current does nothing');
      provider.invalidate('shared-token-xyz');
      await provider.getToken();
      assert.equal(server.requests.length, 2);
    } finally {
      await dispatcher.close();
      await server.close();
    }
  });

  void it('retries the token request after a token-endpoint 503', async () => {
    const sb = await sandbox();
    try {
      sb.faults.add({ kind: 'error5xx', path: '/connect/token', count: 1, status: 503 });
      const { transport } = connect(sb);
      const page = await transport.send(listCustomers());
      assert.equal(page.data.length, 5);
      assert.equal(sb.stats().tokenRequests, 2);
      await transport.close();
    } finally {
      await sb.close();
    }
  });
});

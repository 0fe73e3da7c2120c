/* eslint-disable @typescript-eslint/no-unsafe-member-access -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../../sandbox/index';
import { assertProblem, rawRequest, send, withSandbox, type Client } from './helpers';

const basic = (idAndSecret: string): string => `Basic ${Buffer.from(idAndSecret, 'utf8').toString('base64')}`;

void describe('sandbox auth', () => {
  let sb: RunningSandbox;
  let c: Client;
  before(async () => {
    ({ sb, c } = await withSandbox());
  });
  after(async () => {
    await sb.close();
  });

  void test('token endpoint issues a Bearer token with all granted scopes', async () => {
    const r = await c.tokenReply({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 900);
    assert.equal(typeof r.body.access_token, 'string');
    // Every scope of the 2026 document's operations.
    assert.deepEqual((r.body.scope as string).split(' ').sort(), [
      'tn.crm.bookingprovidertags:r',
      'tn.crm.bookingprovidertags:w',
      'tn.crm.bookings:r',
      'tn.crm.bookings:w',
      'tn.crm.contacts:r',
      'tn.crm.contacts:w',
      'tn.crm.customers:r',
      'tn.crm.customers:w',
      'tn.crm.leads:r',
      'tn.crm.leads:w',
      'tn.crm.locations:r',
      'tn.crm.locations:w',
      'tn.crm.tags:w',
    ]);
  });

  void test('read-only client only gets :r scopes; client_secret_basic works', async () => {
    const basic = Buffer.from('sandbox-readonly-client:sandbox-readonly-secret').toString('base64');
    const r = await c.tokenReply({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.scope, 'tn.crm.customers:r tn.crm.contacts:r tn.crm.locations:r tn.crm.bookingprovidertags:r tn.crm.bookings:r tn.crm.leads:r');
  });

  void test('OAuth errors: invalid_client, unsupported_grant_type, invalid_request, invalid_scope', async () => {
    const bad = await c.tokenReply({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'nope' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { error: 'invalid_client' });
    const unknown = await c.tokenReply({ grant_type: 'client_credentials', client_id: 'who', client_secret: 'sandbox-secret' });
    assert.deepEqual([unknown.status, unknown.body], [400, { error: 'invalid_client' }]);
    const grant = await c.tokenReply({ grant_type: 'password', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
    assert.deepEqual([grant.status, grant.body], [400, { error: 'unsupported_grant_type' }]);
    const missing = await c.tokenReply({ grant_type: 'client_credentials', client_id: 'sandbox-client' });
    assert.deepEqual([missing.status, missing.body], [400, { error: 'invalid_request' }]);
    const noGrant = await c.tokenReply({ client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
    assert.deepEqual([noGrant.status, noGrant.body], [400, { error: 'invalid_request' }]);
    const json = await send(`${sb.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' }),
    });
    assert.deepEqual([json.status, json.body], [400, { error: 'invalid_request' }]);
    const scope = await c.tokenReply({
      grant_type: 'client_credentials',
      client_id: 'sandbox-readonly-client',
      client_secret: 'sandbox-readonly-secret',
      scope: 'tn.crm.customers:w',
    });
    assert.deepEqual([scope.status, scope.body], [400, { error: 'invalid_scope' }]);
  });

  void test('401 for missing, bogus and tampered tokens; distinct titles from app key problems', async () => {
    const none = assertProblem(await c.get('/customers', { token: null }), 401);
    assert.deepEqual(none, {});
    const noneReply = await c.get('/customers', { token: null });
    assert.equal(noneReply.body.title, 'Missing access token (Authorization header)');
    // RFC 6750 3.1: a request without credentials gets the scheme and no error code (sandbox/README.md says so).
    assert.equal(noneReply.headers.get('www-authenticate'), 'Bearer');
    const bogus = await c.get('/customers', { token: 'not-a-token' });
    assertProblem(bogus, 401);
    assert.equal(bogus.body.title, 'Invalid access token');
    assert.equal(bogus.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    const real = await c.token();
    const tampered = real.slice(0, -2) + (real.endsWith('AA') ? 'BB' : 'AA');
    assert.equal((await c.get('/customers', { token: tampered })).status, 401);

    const noKey = await c.get('/customers', { appKey: null });
    assertProblem(noKey, 401);
    assert.match(noKey.body.title as string, /application key/i);
    assert.equal(noKey.headers.get('www-authenticate'), null);
    const wrongKey = await c.get('/customers', { appKey: 'wrong' });
    assertProblem(wrongKey, 401);
    assert.equal(wrongKey.body.title, 'Invalid application key');
    assert.notEqual(wrongKey.body.title, bogus.body.title);
  });

  void test('bare token (no Bearer scheme) and the servicetitanapplicationkey query parameter are accepted', async () => {
    const token = await c.token();
    const bare = await send(`${c.base}/customers?pageSize=1`, { headers: { authorization: token, 'st-app-key': 'sandbox-app-key' } });
    assert.equal(bare.status, 200, bare.text);
    const q = await send(`${c.base}/customers?pageSize=1&servicetitanapplicationkey=sandbox-app-key`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(q.status, 200, q.text);
  });

  void test('revokeTokens() and the admin route invalidate every issued token', async () => {
    const token = await c.token();
    assert.equal((await c.get('/customers?pageSize=1', { token })).status, 200);
    sb.revokeTokens();
    const revoked = await c.get('/customers?pageSize=1', { token });
    assertProblem(revoked, 401);
    assert.match(revoked.body.title as string, /revoked/);
    const fresh = await c.token();
    assert.equal((await c.get('/customers?pageSize=1', { token: fresh })).status, 200);
    const admin = await send(`${sb.url}/__sandbox/revoke-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(admin.status, 200);
    assert.equal((await c.get('/customers?pageSize=1', { token: fresh })).status, 401);
    c.forgetToken();
  });

  void test('expired tokens get 401', async () => {
    const short = await withSandbox({ tokenLifetimeSeconds: 0.3 });
    try {
      const token = await short.c.token();
      assert.equal((await short.c.get('/customers?pageSize=1', { token })).status, 200);
      await new Promise((r) => setTimeout(r, 400));
      const expired = await short.c.get('/customers?pageSize=1', { token });
      assertProblem(expired, 401);
      assert.match(expired.body.title as string, /expired/);
    } finally {
      await short.sb.close();
    }
  });

  void test('read-only client: reads work, writes are 403 naming the scope', async () => {
    const token = await c.readOnlyToken();
    assert.equal((await c.get('/customers?pageSize=1', { token })).status, 200);
    const w = await c.post('/contacts', { name: 'Nope' }, { token });
    assertProblem(w, 403);
    assert.match(w.body.title as string, /tn\.crm\.contacts:w/);
    const cw = await c.patch('/customers/10000000', { name: 'X' }, { token });
    assertProblem(cw, 403);
    assert.match(cw.body.title as string, /tn\.crm\.customers:w/);
  });

  void test('extra clients get exactly their scopes: a client without tn.crm.customers:r is 403 on /customers', async () => {
    const scoped = await withSandbox({ clients: [{ clientId: 'contacts-only', clientSecret: 'contacts-secret', scopes: ['tn.crm.contacts:r'] }] });
    try {
      const r = await scoped.c.tokenReply({ grant_type: 'client_credentials', client_id: 'contacts-only', client_secret: 'contacts-secret' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.scope, 'tn.crm.contacts:r');
      const wrong = await scoped.c.tokenReply({ grant_type: 'client_credentials', client_id: 'contacts-only', client_secret: 'sandbox-secret' });
      assert.deepEqual([wrong.status, wrong.body], [400, { error: 'invalid_client' }]);
      const token = r.body.access_token as string;
      assert.equal((await scoped.c.get('/contacts?pageSize=1', { token })).status, 200);
      const customers = await scoped.c.get('/customers?pageSize=1', { token });
      assertProblem(customers, 403);
      assert.match(customers.body.title as string, /tn\.crm\.customers:r/);
    } finally {
      await scoped.sb.close();
    }
    await assert.rejects(withSandbox({ clients: [{ clientId: 'x', clientSecret: 'y', scopes: ['tn.crm.everything'] }] }), /unknown scopes tn\.crm\.everything/);
  });

  void test('unknown tenant is 404 after authentication; unknown routes and admin routes are 404', async () => {
    const other = await c.get(`${sb.url}/crm/v2/tenant/999/customers`);
    assertProblem(other, 404);
    assert.match(other.body.title as string, /Tenant 999 not found/);
    assertProblem(await c.get('/no-such-thing'), 404);
    assertProblem(await c.get(`${sb.url}/crm/v2/tenant/abc/customers`), 404);
    assertProblem(await c.get(`${sb.url}/__sandbox/nothing`), 404);
    assertProblem(await c.get(`${sb.url}/whatever`), 404);
    const method = await c.call('PUT', '/customers');
    assertProblem(method, 405);
    assert.match(method.headers.get('allow') ?? '', /GET/);
  });
  void test('Basic client authentication with a malformed %-escape is invalid_client, never a 500', async () => {
    for (const creds of ['a%zz:b', 'sandbox-client:sandbox%-secret', 'sandbox-client:%', '%E0%A4%A:x', 'a:%ff']) {
      const r = await c.tokenReply({ grant_type: 'client_credentials' }, { authorization: basic(creds) });
      assert.deepEqual([r.status, r.body], [400, { error: 'invalid_client' }], `${creds}: ${r.text}`);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    }
    // The grant is still checked first, as for any other client error.
    const noGrant = await c.tokenReply({}, { authorization: basic('a%zz:b') });
    assert.deepEqual([noGrant.status, noGrant.body], [400, { error: 'invalid_request' }]);
    // Well-formed escapes decode (RFC 6749 2.3.1).
    const encoded = await c.tokenReply({ grant_type: 'client_credentials' }, { authorization: basic('sandbox%2Dclient:sandbox%2dsecret') });
    assert.equal(encoded.status, 200, encoded.text);
  });

  void test('a correctly signed token with malformed claims is 401 Invalid access token, never a 500', async () => {
    // The signing key is derived from the (default, public) tenant and secrets.
    const key = createHash('sha256')
      .update('stcrm-sandbox\0' + `${sb.tenant}\0sandbox-secret\0sandbox-readonly-secret`)
      .digest();
    const forge = (claims: unknown): string => {
      const head = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
    };
    const genuine = JSON.parse(Buffer.from((await c.token()).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal((await c.get('/customers?pageSize=1', { token: forge(genuine) })).status, 200, 'the forging matches the sandbox');
    for (const claims of [null, 5, 'x', [], {}, { ...genuine, scope: 'tn.crm.customers:r' }, { ...genuine, gen: '1' }, { ...genuine, tenant: 1000 }]) {
      const r = await c.get('/customers?pageSize=1', { token: forge(claims) });
      assertProblem(r, 401);
      assert.equal(r.body.title, 'Invalid access token', JSON.stringify(claims));
    }
  });

  void test('every route requires a loopback Host header (DNS rebinding); nothing runs for another Host', async () => {
    const token = await c.token();
    const api = { authorization: `Bearer ${token}`, 'st-app-key': 'sandbox-app-key' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const tokenBody = 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret';
    const total = async (): Promise<number> => (await c.get('/contacts?includeTotal=true&pageSize=1')).body.totalCount as number;
    const contacts = await total();
    sb.resetStats();
    // A rebinding page's Host is a name of its own: none of these is a loopback name.
    const foreign = [
      'evil.example',
      `evil.example:${sb.port}`,
      `127.0.0.1.nip.io:${sb.port}`,
      `127.0.0.1.evil.example:${sb.port}`,
      'localhost.evil.example',
      `localhost.:${sb.port}`,
      `evil.localhost:${sb.port}`,
      `128.0.0.1:${sb.port}`,
      `127.0.0.256:${sb.port}`,
      `127.0.0:${sb.port}`,
      `[::2]:${sb.port}`,
      `[::1].evil.example:${sb.port}`,
      `localhost:${sb.port}@evil.example`,
      `localhost:${sb.port}x`,
      null,
    ];
    for (const host of foreign) {
      const replies = [
        await rawRequest(`${sb.url}/connect/token`, { method: 'POST', host, headers: form, body: tokenBody }),
        await rawRequest(`${c.base}/customers?pageSize=1`, { host, headers: api }),
        await rawRequest(`${c.base}/contacts`, { method: 'POST', host, headers: { ...api, 'content-type': 'application/json' }, body: '{"name":"Rebound"}' }),
        await rawRequest(`${sb.url}/__sandbox/stats`, { host }),
        await rawRequest(`${sb.url}/nothing-here`, { host }),
      ];
      for (const r of replies) {
        const errors = assertProblem(r, 403);
        assert.deepEqual(errors, {});
        assert.match(
          r.body.title as string,
          /the Host header must name this computer's loopback address: localhost, 127\.0\.0\.1 \(any 127\.x\.y\.z\) or \[::1\], with any port/,
          String(host),
        );
        assert.ok((r.body.title as string).includes(`such as 127.0.0.1:${sb.port} (got '${host ?? ''}')`), `${String(host)}: ${r.body.title as string}`);
      }
    }
    assert.deepEqual(sb.stats(), { tokenRequests: 0, apiRequests: 0 }, 'no token was issued, no API call counted');
    sb.resetStats();
    assert.equal(await total(), contacts, 'no contact was created');
    for (const host of [`127.0.0.1:${sb.port}`, `localhost:${sb.port}`, `LOCALHOST:${sb.port}`, `[::1]:${sb.port}`]) {
      assert.equal((await rawRequest(`${sb.url}/connect/token`, { method: 'POST', host, headers: form, body: tokenBody })).status, 200, host);
      assert.equal((await rawRequest(`${c.base}/customers?pageSize=1`, { host, headers: api })).status, 200, host);
      assert.equal((await rawRequest(`${sb.url}/__sandbox/stats`, { host })).status, 200, host);
    }
  });

  void test("a loopback Host with any port is accepted, as port forwarding sends it (VS Code Remote, ssh -L, a container's -p)", async () => {
    const api = { authorization: `Bearer ${await c.token()}`, 'st-app-key': 'sandbox-app-key' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const tokenBody = 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret';
    const forwarded = ['localhost:1', `127.0.0.1:${sb.port + 1}`, 'LocalHost:9000', '[::1]:8080', '127.1.2.3:443', 'localhost', '127.0.0.1', '[::1]'];
    for (const host of forwarded) {
      assert.equal((await rawRequest(`${sb.url}/connect/token`, { method: 'POST', host, headers: form, body: tokenBody })).status, 200, host);
      assert.equal((await rawRequest(`${c.base}/customers?pageSize=1`, { host, headers: api })).status, 200, host);
      assert.equal((await rawRequest(`${sb.url}/__sandbox/stats`, { host })).status, 200, host);
    }
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { compilePathPattern, matchPath } from '../../../sandbox/faults';
import type { RunningSandbox } from '../../../sandbox/index';
import { assertProblem, send, withSandbox, type Client } from './helpers';

/** Raw request that reports what actually came over the socket (fetch hides truncation details). */
function raw(url: string, headers: Record<string, string>): Promise<{ status?: number; length?: number; received: number; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      let received = 0;
      res.on('data', (c: Buffer) => {
        received += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode, length: Number(res.headers['content-length']), received }));
      res.on('error', (e) => resolve({ status: res.statusCode, length: Number(res.headers['content-length']), received, error: e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode, length: Number(res.headers['content-length']), received, error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ received: 0, error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });
}

void describe('sandbox fault injection', () => {
  let sb: RunningSandbox;
  let c: Client;
  let headers: Record<string, string>;
  before(async () => {
    ({ sb, c } = await withSandbox());
    headers = { authorization: `Bearer ${await c.token()}`, 'st-app-key': 'sandbox-app-key' };
  });
  beforeEach(() => {
    sb.faults.clear();
  });
  after(async () => {
    await sb.close();
  });

  void test('latency delays matching requests only', async () => {
    sb.faults.add({ kind: 'latency', latencyMs: 300, path: '/customers', count: 1 });
    let t = Date.now();
    assert.equal((await c.get('/locations?pageSize=1')).status, 200);
    assert.ok(Date.now() - t < 250);
    t = Date.now();
    assert.equal((await c.get('/customers?pageSize=1')).status, 200);
    assert.ok(Date.now() - t >= 290);
    assert.deepEqual(sb.faults.list(), [], 'count expired the rule');
  });

  void test('error5xx returns an ApiErrorResponse with the chosen status, count limits it', async () => {
    sb.faults.add({ kind: 'error5xx', count: 2 });
    assert.equal(assertProblem(await c.get('/customers'), 503) !== undefined, true);
    sb.faults.add({ kind: 'error5xx', status: 500, method: 'POST', count: 1 });
    assertProblem(await c.get('/contacts'), 503);
    assertProblem(await c.post('/contacts', { name: 'x' }), 500);
    assert.equal((await c.get('/customers?pageSize=1')).status, 200);
  });

  void test('rateLimit: 429 with Retry-After seconds, HTTP date, or none', async () => {
    sb.faults.add({ kind: 'rateLimit', count: 1, retryAfter: 3 });
    let r = await c.get('/customers');
    assertProblem(r, 429);
    assert.equal(r.headers.get('retry-after'), '3');
    sb.faults.add({ kind: 'rateLimit', count: 1, retryAfter: 'http-date' });
    r = await c.get('/customers');
    const date = Date.parse(r.headers.get('retry-after') ?? '');
    assert.ok(date > Date.now() - 1000 && date < Date.now() + 5000);
    sb.faults.add({ kind: 'rateLimit', count: 1, retryAfter: 'none' });
    r = await c.get('/customers');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), null);
    sb.faults.add({ kind: 'rateLimit', count: 1 });
    assert.equal((await c.get('/customers')).headers.get('retry-after'), '1');
  });

  void test('reset destroys the connection; truncate sends fewer bytes than Content-Length', async () => {
    sb.faults.add({ kind: 'reset', count: 1, path: '^/customers/\\d+$' });
    const reset = await raw(`${c.base}/customers/10000000`, headers);
    assert.ok(reset.error, 'connection reset');
    assert.equal(reset.status, undefined);
    sb.faults.add({ kind: 'truncate', count: 1 });
    const cut = await raw(`${c.base}/customers?pageSize=10`, headers);
    assert.equal(cut.status, 200);
    assert.ok(cut.error, 'body incomplete');
    assert.ok((cut.length ?? 0) > cut.received);
    await assert.rejects(async () => {
      sb.faults.add({ kind: 'truncate', count: 1 });
      await (await fetch(`${c.base}/customers`, { headers })).text();
    });
    assert.equal((await c.get('/customers?pageSize=1')).status, 200);
  });

  void test('token route faults and rate filters', async () => {
    sb.faults.add({ kind: 'error5xx', path: '/connect/token', count: 1, status: 502 });
    const r = await c.tokenReply({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
    assert.equal(r.status, 502);
    sb.faults.add({ kind: 'error5xx', rate: 0 });
    assert.equal((await c.get('/customers?pageSize=1')).status, 200);
  });

  void test('a rule without a path hits API calls only; a path that matches /connect/token faults the token endpoint', async () => {
    const form = { grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' };
    sb.faults.add({ kind: 'error5xx', status: 502 });
    sb.faults.add({ kind: 'latency', latencyMs: 400 });
    const started = Date.now();
    assert.equal((await c.tokenReply(form)).status, 200);
    assert.ok(Date.now() - started < 400, 'the token endpoint got the latency of a rule without a path');
    assertProblem(await c.get('/customers?pageSize=1'), 502);
    sb.faults.clear();
    sb.faults.add({ kind: 'rateLimit', path: '/connect', count: 1 });
    assert.equal((await c.tokenReply(form)).status, 429);
    assert.equal((await c.tokenReply(form)).status, 200);
  });

  void test('admin routes: faults, stats, revoke; invalid rules rejected; loopback Host only', async () => {
    const admin = `${sb.url}/__sandbox`;
    const json = { 'content-type': 'application/json' };
    const added = await send(`${admin}/faults`, { method: 'POST', headers: json, body: JSON.stringify({ kind: 'rateLimit', path: '/contacts', count: 1 }) });
    assert.equal(added.status, 200, added.text);
    assert.equal(added.body.length, 1);
    assert.equal((await send(`${admin}/faults`, {})).body[0].kind, 'rateLimit');
    assert.equal((await c.get('/contacts')).status, 429);
    const invalid = await send(`${admin}/faults`, { method: 'POST', headers: json, body: JSON.stringify({ kind: 'explode' }) });
    assert.equal(invalid.status, 400);
    assert.ok(invalid.body.errors.kind);
    assert.equal((await send(`${admin}/faults`, { method: 'POST', body: '{"kind":"reset"}' })).status, 415);
    await send(`${admin}/faults`, { method: 'POST', headers: json, body: JSON.stringify({ kind: 'error5xx' }) });
    assert.deepEqual((await send(`${admin}/faults`, { method: 'DELETE' })).body, []);

    sb.resetStats();
    await c.get('/customers?pageSize=1');
    await c.tokenReply({ grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'sandbox-secret' });
    assert.deepEqual(sb.stats(), { tokenRequests: 1, apiRequests: 1 });
    assert.deepEqual((await send(`${admin}/stats`, {})).body, { tokenRequests: 1, apiRequests: 1 });
    assert.deepEqual((await send(`${admin}/stats`, { method: 'DELETE' })).body, { tokenRequests: 0, apiRequests: 0 });

    const rebound = await new Promise<number | undefined>((resolve) => {
      http
        .get(`${admin}/stats`, { headers: { host: 'evil.example:80' }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on('error', () => resolve(undefined));
    });
    assert.equal(rebound, 403);
  });

  void test('options.faults apply from the start', async () => {
    const x = await withSandbox({ faults: [{ kind: 'error5xx', status: 504, count: 1, path: '/customers' }] });
    try {
      assertProblem(await x.c.get('/customers'), 504);
      assert.equal((await x.c.get('/customers?pageSize=1')).status, 200);
    } finally {
      await x.sb.close();
    }
  });
  void test('fault paths: prefixes and linear-time patterns; regex features that can backtrack are refused', async () => {
    const matches = (pattern: string, p: string): boolean => matchPath(compilePathPattern(pattern), p);
    // The README's examples.
    assert.ok(matches('/customers', '/customers'));
    assert.ok(matches('/customers', '/customers/10000000/contacts'));
    assert.ok(!matches('/customers', '/contacts'));
    assert.ok(matches('^/customers/\\d+$', '/customers/10000000'));
    assert.ok(!matches('^/customers/\\d+$', '/customers/10000000/contacts'));
    assert.ok(!matches('^/customers/\\d+$', '/customers/abc'));
    assert.ok(matches('^/contacts/[^/]+/relationships/', '/contacts/6f1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b/relationships/1/customer'));
    assert.ok(!matches('^/contacts/[^/]+/relationships/', '/contacts/a/b/relationships/1'));
    assert.ok(matches('/connect/token', '/connect/token'));
    // Other pieces: classes, ranges, ?, *, ., escapes; anchored at the start.
    assert.ok(matches('^/contacts/[0-9a-f-]+/contact-methods$', '/contacts/6f1d2c3b-4a59/contact-methods'));
    assert.ok(matches('/locations/\\d*/?contacts', '/locations//contacts'));
    assert.ok(matches('/cust.mers\\.?', '/customers'));
    assert.ok(!matches('customers', '/customers'), 'patterns match from the start of the path');

    for (const bad of ['^(a+)+$', '(a|aa)+', 'a{1,5}', '/x++', '*x', '[a-', '[z-a]', '\\b', '/a$b', 'x^', '']) {
      assert.throws(
        () => {
          sb.faults.add({ kind: 'error5xx', path: bad });
        },
        /fault rule path .* is not valid: .*Use a path prefix such as \/customers/,
        bad,
      );
    }
    assert.deepEqual(sb.faults.list(), []);
    const admin = await send(`${sb.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'reset', path: '^(a+)+$' }),
    });
    const errors = assertProblem(admin, 400);
    assert.match(errors.path?.[0] ?? '', /'\(' at position 1 is not supported/);
    assert.deepEqual(sb.faults.list(), [], 'an invalid rule adds nothing');
    const many = await send(`${sb.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { kind: 'reset', path: '/ok' },
        { kind: 'reset', path: '(x)' },
      ]),
    });
    assert.ok(assertProblem(many, 400)['1.path']);
    assert.deepEqual(sb.faults.list(), [], 'an array with one invalid rule adds nothing');

    // Matching is linear: a long hostile path against a pattern a regex would backtrack on.
    sb.faults.add({ kind: 'error5xx', path: '^/\\w*\\w*\\w*\\w*\\w*!$' });
    const started = Date.now();
    const r = await c.get(`/${'a'.repeat(8000)}`);
    assert.equal(r.status, 404);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.ok(matches('^/\\w*\\w*\\w*!$', `/${'a'.repeat(50)}!`));
  });
});

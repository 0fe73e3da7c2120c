import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCurl } from '../../../src/api/curl';
import { customEnvironment } from '../../../src/api/environments';
import type { CrmEvent } from '../../../src/api/events';
import fc from 'fast-check';
import { PATTERNS, redact, redactDeep, redactSecrets, REDACTED } from '../../../src/api/redact';
import { createTransport, type TransportOptions } from '../../../src/api/transport';
import { caught, createContact, everythingAbout, listCustomers, loopback, sandbox, sandboxEnvironment } from './transportHarness';
import { CANARY, CANARY_SECRETS, canaryLeaks, dotnetEscaped, everyCanaryForm, startHostileCrm } from '../../canarySecrets';

void describe('redact', () => {
  void it('skips the patterns only for text none of them can match (fast path = every pattern applied)', () => {
    const fragment = fc.constantFrom(
      'Bearer ',
      'basic ',
      'Authorization: ',
      'ST-App-Key=',
      'st-app-key: ',
      '"access_token":"',
      'client_secret=',
      '"appKey": "',
      'password',
      'https://',
      'user:pw@',
      '@',
      'servicetitanapplicationkey=',
      '/crm/v2/tenant/1000/customers?page=2',
      'abc.DEF-123_~+/=',
      ' ',
      '"',
      "'",
      ',',
      '}',
      '\n',
    );
    const text = fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (value) => {
        let everyPattern = value;
        for (const [pattern, replacement] of PATTERNS) everyPattern = everyPattern.replace(pattern, replacement);
        assert.equal(redact(value), everyPattern);
      }),
      { numRuns: 2000 },
    );
  });

  void it('removes known secrets, also URL- and JSON-encoded', () => {
    const secret = 'p@ss word/+"x';
    const text = `a ${secret} b ${encodeURIComponent(secret)} c ${new URLSearchParams({ v: secret }).toString()} d ${JSON.stringify(secret)}`;
    const out = redact(text, [secret]);
    assert.doesNotMatch(out, /p@ss/);
    assert.doesNotMatch(out, /p%40ss/);
    assert.equal(out.split(REDACTED).length - 1, 4);
  });

  void it('removes the longer of overlapping secrets whole', () => {
    assert.equal(redact('key abcdef', ['abc', 'abcdef']), `key ${REDACTED}`);
  });

  void it('ignores empty and tiny secrets instead of shredding the text', () => {
    assert.equal(redact('a b c', ['', ' ', 'a', undefined]), 'a b c');
  });

  void it('removes credential patterns it was not told about', () => {
    const samples: [string, RegExp][] = [
      ['Authorization: Bearer eyJhbGciOi.abc-def_ghi', /eyJ/],
      ['authorization=Basic dXNlcjpwYXNz', /dXNlcjpwYXNz/],
      ['{"access_token":"tok-123","expires_in":900}', /tok-123/],
      ['grant_type=client_credentials&client_id=x&client_secret=s3cr3t!&scope=y', /s3cr3t/],
      ['ST-App-Key: ak_live_999', /ak_live_999/],
      ['{"ST-App-Key":"ak_live_999"}', /ak_live_999/],
      ['GET /x?servicetitanapplicationkey=ak_live_999&page=1', /ak_live_999/],
      ['proxy http://bob:hunter2@proxy.local:8080', /hunter2/],
      ['{"clientSecret": "very-secret"}', /very-secret/],
    ];
    for (const [text, leaked] of samples) {
      const out = redact(text);
      assert.doesNotMatch(out, leaked, `${text} → ${out}`);
      assert.match(out, /\[REDACTED\]/, out);
    }
    // Ordinary prose and URLs survive.
    assert.equal(
      redact('GET https://api.servicetitan.io/crm/v2/tenant/1000/customers?page=2 → 200'),
      'GET https://api.servicetitan.io/crm/v2/tenant/1000/customers?page=2 → 200',
    );
    assert.equal(redact('The app key was rejected. Check the app key in the profile.'), 'The app key was rejected. Check the app key in the profile.');
  });

  void it('leaves CRM prose alone: a pattern takes a credential, never an ordinary word', () => {
    for (const text of [
      'Customer wants the Basic maintenance plan. Authorization: pending',
      'Bearer of bad news: the basic idea is a Basic 12-month plan.',
      'authorization: not-required; ST-App-Key: unknown; Authorization=PowerPoint',
      'Basic self-service and/or Bearer McDonald',
    ]) {
      assert.equal(redact(text), text);
    }
  });

  void it('still removes credentials of every common shape after those words', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';
    const basic = Buffer.from('someone:pa55word').toString('base64');
    const samples: [string, string][] = [
      [`Authorization: Bearer ${jwt}`, `Authorization: Bearer ${REDACTED}`],
      [`"Authorization": "Bearer ${jwt}"`, `"Authorization": "Bearer ${REDACTED}"`],
      [`Authorization: Basic ${basic}`, `Authorization: Basic ${REDACTED}`],
      ['Authorization: Bearer abcdef0123456789ghijkl', `Authorization: Bearer ${REDACTED}`],
      ['Authorization: Token 9f86d081884c7d659a2feaa0c55ad015', `Authorization: Token ${REDACTED}`],
      ['Authorization: dXNlcjpwYXNz next', `Authorization: ${REDACTED} next`],
      ['note: Bearer abc.def.ghi', `note: Bearer ${REDACTED}`],
      [`a token ${jwt} after bearer ${jwt}`, `a token ${jwt} after bearer ${REDACTED}`],
    ];
    for (const [text, expected] of samples) assert.equal(redact(text), expected, text);
  });

  void it('redactSecrets masks the known secrets only: text that shows what is sent keeps every other word', () => {
    const text = 'Authorization: Bearer abcdef0123456789ghijkl, key s3cr3t-value';
    assert.equal(redactSecrets(text, ['s3cr3t-value']), `Authorization: Bearer abcdef0123456789ghijkl, key ${REDACTED}`);
  });

  void it('redactDeep walks plain objects and arrays', () => {
    const out = redactDeep({ a: 'x tok-1 y', b: ['tok-1'], c: { d: 'tok-1', n: 5 } }, ['tok-1']);
    assert.deepEqual(out, { a: `x ${REDACTED} y`, b: [REDACTED], c: { d: REDACTED, n: 5 } });
  });

  void it('finds the canaries in every form a server echoes them in, inside any text', () => {
    // The scanner itself must see every form, or the assertions below would prove nothing.
    for (const [label, text] of everyCanaryForm()) assert.notDeepEqual(canaryLeaks(`x ${text} y`), [], `the scanner misses ${label}`);
    for (const [label, text] of everyCanaryForm()) {
      for (const wrapped of [text, `a ${text} b`, `"${text}"`, `{"${text}":1}`, `<p>${text}</p>`, `k=${text}&m=1`, `${text}${text}`]) {
        const out = redact(wrapped, CANARY_SECRETS);
        assert.deepEqual(canaryLeaks(out), [], `${label} in ${JSON.stringify(wrapped).slice(0, 40)}… → ${out}`);
        assert.match(out, /\[REDACTED\]/, label);
      }
    }
  });

  void it('keeps the text around a redacted base64 or .NET-escaped secret', () => {
    const basic = Buffer.from(`${CANARY.clientId}:${CANARY.clientSecret}`).toString('base64');
    assert.equal(redact(`{"auth":"${basic}","n":1}`, CANARY_SECRETS), `{"auth":"${REDACTED}","n":1}`);
    assert.equal(redact(`key=${dotnetEscaped(CANARY.appKey)}; next`, CANARY_SECRETS), `key=${REDACTED}; next`);
    // Mixed escapes in one secret (one character percent-encoded, the next JSON-escaped).
    assert.equal(redact('id cnryIdent4Hq8%2bWz7Jx\\u0026Rt5Lk&lt;Vp3 end', CANARY_SECRETS), `id ${REDACTED} end`);
    // Ordinary base64 and text that merely shares letters stay.
    assert.equal(redact('etag "Y25yeUlkZW50" cnryIdent', CANARY_SECRETS), 'etag "Y25yeUlkZW50" cnryIdent');
  });

  void it('redactDeep renames keys that hold a secret, in any form, and keeps every key apart', () => {
    const body: Record<string, unknown> = { [REDACTED]: 'a key that was already there', [CANARY.clientSecret]: 1, name: 'kept' };
    for (const [label, text] of everyCanaryForm()) body[`field ${text}`] = label;
    const problem = {
      title: 'Bad',
      errors: Object.fromEntries(everyCanaryForm().map(([label, text]) => [text, [`${label} is wrong`]])),
      data: [{ [CANARY.appKey]: { [CANARY.token]: CANARY.token } }],
    };
    const withProto = JSON.parse(`{"__proto__":{"${CANARY.token}":1}}`) as unknown;
    const out = redactDeep({ body, problem, withProto }, CANARY_SECRETS);
    const text = JSON.stringify(out);
    assert.deepEqual(canaryLeaks(text), [], text);
    assert.equal(Object.keys(out.body).length, Object.keys(body).length, 'no two keys merged');
    assert.equal(out.body[REDACTED], 'a key that was already there');
    assert.equal(out.body.name, 'kept');
    assert.equal(Object.keys(out.problem.errors).length, Object.keys(problem.errors).length);
    assert.ok(
      Object.keys(out.problem.errors).every((key) => key.includes(REDACTED)),
      Object.keys(out.problem.errors).join(', '),
    );
    assert.deepEqual(out.problem.data, [{ [REDACTED]: { [REDACTED]: REDACTED } }]);
    assert.ok(Object.hasOwn(out.withProto as object, '__proto__'), '__proto__ stays an own key');
    assert.equal(Object.getPrototypeOf(out.withProto), Object.prototype);
  });

  void it('redactDeep with no secret in a key returns the same keys and values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.deepEqual(redactDeep(value, CANARY_SECRETS), value);
      }),
      { numRuns: 300 },
    );
  });

  void it('removes any secret of safe and escaped characters in every form', () => {
    const character = fc.constantFrom(...'abcXYZ0189+&<>\'"/ \\é😀%!*~.-_=');
    const secret = fc.array(character, { minLength: 4, maxLength: 16 }).map((chars) => `Qz${chars.join('')}Qz`);
    const form = fc.constantFrom<(s: string) => string>(
      (s) => s,
      (s) => encodeURIComponent(s),
      (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      (s) => new URLSearchParams({ v: s }).toString().slice(2),
      (s) => JSON.stringify(s).slice(1, -1),
      (s) => dotnetEscaped(s),
      (s) => dotnetEscaped(s, true),
      (s) => encodeURIComponent(encodeURIComponent(s)),
    );
    fc.assert(
      fc.property(secret, form, (value, encode) => {
        assert.equal(redact(`(${encode(value)})`, [value]), `(${REDACTED})`);
      }),
      { numRuns: 2000 },
    );
  });
});

void describe('canary secrets never leak', () => {
  void it('from a CRM that echoes them as keys, escaped, base64 and in headers: in no raw exchange, error or event', async () => {
    const crm = await startHostileCrm();
    const events: CrmEvent[] = [];
    const seen: string[] = [];
    const transport = createTransport({
      environment: customEnvironment(crm.url, `${crm.url}/connect/token`),
      tenant: '1000',
      clientId: CANARY.clientId,
      clientSecret: CANARY.clientSecret,
      appKey: CANARY.appKey,
      rateLimitPerSecond: 1000,
      maxRetries: 0,
      onEvent: (event) => events.push(event),
    });
    try {
      for (const path of ['/customers', '/contacts', '/locations', '/bookings']) {
        // The caller's own query carries a secret too, which the server echoes back URL-encoded.
        const request = listCustomers({ name: CANARY.clientSecret }, { path });
        const raw = await transport.sendRaw(request);
        seen.push(JSON.stringify(raw));
        seen.push(everythingAbout(await caught(() => transport.send(request))));
      }
    } finally {
      await transport.close();
      await crm.close();
    }
    assert.equal(crm.seen.filter((line) => !line.includes('/connect/token')).length, 8, crm.seen.join('\n'));
    const haystack = [...events.map((event) => JSON.stringify(event)), ...seen].join('\n');
    assert.match(haystack, /\[REDACTED\]/, 'the server did echo');
    assert.deepEqual(canaryLeaks(haystack), []);
  });

  const CLIENT_ID = 'canary-client-id-5501';
  const SECRET = 'CANARY-SECRET-z9Q!x';
  const APP_KEY = 'CANARY-APPKEY-k2P7';
  const WRONG_SECRET = 'CANARY-WRONG-SECRET-44';
  const WRONG_APP_KEY = 'CANARY-WRONG-APPKEY-55';
  const ECHO_TOKEN = 'CANARY-ECHO-TOKEN-66';

  void it('not even in part where a message quotes the start of a body (redacted before it is cut short)', async () => {
    // Each body puts the secret just where the message's excerpt ends.
    const start = CANARY.clientSecret.slice(0, 9);
    const tokenError = await loopback((req, res) => {
      const cut = req.url?.includes('/plain') ? 290 : 190;
      res.writeHead(req.url?.includes('/plain') ? 500 : 400, { 'content-type': req.url?.includes('/plain') ? 'text/plain' : 'application/json' });
      res.end(
        req.url?.includes('/plain')
          ? `${'x'.repeat(cut)}${CANARY.clientSecret}`
          : JSON.stringify({ error: 'invalid_client', error_description: `${'x'.repeat(cut)}${CANARY.clientSecret}` }),
      );
    });
    const api = await loopback((req, res) => {
      if (req.url === '/connect/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: CANARY.token, expires_in: 900 }));
      } else if (req.url?.includes('/forbidden-text')) {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end(`${'x'.repeat(150)}${CANARY.clientSecret}`);
      } else if (req.url?.includes('/forbidden')) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `${'x'.repeat(150)}${CANARY.clientSecret}` }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{${'x'.repeat(110)}${CANARY.clientSecret}`);
      }
    });
    const seen: string[] = [];
    const options = {
      tenant: '1000',
      clientId: CANARY.clientId,
      clientSecret: CANARY.clientSecret,
      appKey: CANARY.appKey,
      rateLimitPerSecond: 1000,
      maxRetries: 0,
    };
    try {
      for (const path of ['/json', '/plain']) {
        const transport = createTransport({ ...options, environment: customEnvironment(api.url, `${tokenError.url}${path}`) });
        seen.push(everythingAbout(await caught(() => transport.send(listCustomers()))));
        await transport.close();
      }
      const transport = createTransport({ ...options, environment: customEnvironment(api.url, `${api.url}/connect/token`) });
      for (const path of ['/forbidden', '/forbidden-text', '/broken'])
        seen.push(everythingAbout(await caught(() => transport.send(listCustomers(undefined, { path })))));
      await transport.close();
    } finally {
      await api.close();
      await tokenError.close();
    }
    assert.equal(seen.length, 5);
    for (const text of seen) {
      assert.match(text, /x{100}/, 'the message quotes the body');
      assert.ok(!text.includes(start), text.slice(0, 600));
    }
  });

  void it('in no event, error message, stack, cause, log line or copied request', async () => {
    const sb = await sandbox({ clientId: CLIENT_ID, clientSecret: SECRET, appKey: APP_KEY });
    const events: CrmEvent[] = [];
    const seen: string[] = [];
    const tokens = new Set<string>();
    const make = (overrides: Partial<TransportOptions> = {}) => {
      const transport = createTransport({
        environment: sandboxEnvironment(sb),
        tenant: sb.tenant,
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        appKey: APP_KEY,
        rateLimitPerSecond: 1000,
        retryBaseDelayMs: 5,
        timeoutMs: 2000,
        onEvent: (event) => events.push(event),
        ...overrides,
      });
      return transport;
    };
    const expectFailure = async (fn: () => Promise<unknown>) => {
      const error = await caught(fn);
      seen.push(everythingAbout(error));
    };
    // A server that echoes every credential it receives back in its error bodies.
    const echo = await loopback((req, res, body) => {
      if (req.url === '/connect/token') {
        if (body.includes('client_secret=')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: ECHO_TOKEN, expires_in: 900 }));
        }
        return;
      }
      const echoed = `${req.headers.authorization ?? ''} ${String(req.headers['st-app-key'])}`;
      if (req.url?.includes('/problem')) {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ title: `Bad ${echoed}`, status: 400, errors: { Auth: [echoed] }, traceId: echoed }));
      } else if (req.url?.includes('/html')) {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end(`<html><head><title>${echoed}</title></head><body>${echoed}</body></html>`);
      } else if (req.url?.includes('/shape')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ page: 1, pageSize: 1, hasMore: false, data: [{ id: 1, name: 5, token: echoed }] }));
      } else {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `Forbidden for ${echoed}` }));
      }
    });

    try {
      const good = make();
      await good.send(listCustomers());
      await Promise.all(Array.from({ length: 10 }, () => good.send(listCustomers())));
      sb.revokeTokens();
      await good.send(listCustomers());
      for (const rule of [
        { kind: 'rateLimit', count: 1, retryAfter: 0 },
        { kind: 'error5xx', count: 1, status: 503 },
        { kind: 'reset', count: 1 },
        { kind: 'truncate', count: 1 },
      ] as const) {
        sb.faults.add({ ...rule, path: '/customers' });
        await good.send(listCustomers());
      }
      sb.faults.add({ kind: 'latency', path: '/customers', latencyMs: 3000, count: 1 });
      await expectFailure(() => good.send(listCustomers()));
      sb.faults.add({ kind: 'error5xx', path: '/contacts', count: 1, status: 503 });
      await expectFailure(() => good.send(createContact(SECRET)));
      await expectFailure(() => good.send(createContact('x', { body: { name: 42, note: SECRET } })));
      const aborted = new AbortController();
      aborted.abort();
      await expectFailure(() => good.send(listCustomers(undefined, { signal: aborted.signal })));
      for (const secret of good.secrets()) tokens.add(secret);
      seen.push(toCurl(good.describe(createContact(`hello ${SECRET}`))));
      seen.push(good.redact(`log line with ${APP_KEY} and ${[...tokens].join(' ')}`));
      await good.close();

      const wrongSecret = make({ clientSecret: WRONG_SECRET });
      await expectFailure(() => wrongSecret.send(listCustomers()));
      await wrongSecret.close();
      const wrongKey = make({ appKey: WRONG_APP_KEY });
      await expectFailure(() => wrongKey.send(listCustomers()));
      await wrongKey.close();

      const echoing = make({ environment: customEnvironment(echo.url, `${echo.url}/connect/token`) });
      for (const path of ['/problem', '/html', '/forbidden', '/shape']) {
        await expectFailure(() => echoing.send(listCustomers(undefined, { path })));
      }
      for (const secret of echoing.secrets()) tokens.add(secret);
      await echoing.close();

      const refused = await loopback(() => undefined);
      await refused.close();
      const nowhere = make({ environment: customEnvironment(refused.url, `${refused.url}/connect/token`) });
      await expectFailure(() => nowhere.send(listCustomers()));
      await nowhere.close();
    } finally {
      await echo.close();
      await sb.close();
    }

    assert.ok(tokens.has(ECHO_TOKEN), 'transport.secrets() lists the tokens it received');
    const sandboxTokens = [...tokens].filter((value) => value.split('.').length === 3);
    assert.ok(sandboxTokens.length >= 2, 'sandbox tokens were issued (before and after revocation)');
    const haystack = [...events.map((event) => JSON.stringify(event)), ...seen].join('\n');
    assert.ok(events.length > 40, `collected ${events.length} events`);
    assert.match(haystack, /\[REDACTED\]/, 'the echo server did try to leak');
    for (const canary of [SECRET, encodeURIComponent(SECRET), APP_KEY, WRONG_SECRET, WRONG_APP_KEY, ECHO_TOKEN, CLIENT_ID, ...sandboxTokens]) {
      assert.ok(!haystack.includes(canary), `leaked ${canary.slice(0, 12)}…`);
    }
    for (const part of sandboxTokens.flatMap((token) => token.split('.'))) {
      assert.ok(!haystack.includes(part), 'no part of a JWT leaked');
    }
  });
});

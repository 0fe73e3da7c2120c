// The response document's text: the status line, the headers worth seeing, a schema warning, and
// the body as it came (pretty JSON, or the text as a JSON string so the document still parses).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawExchange } from '../../../src/api/request';
import { responseText, summarize } from '../../../src/requests/responseText';

function raw(overrides: Partial<RawExchange<unknown>>): RawExchange<unknown> {
  return {
    operationId: 'Customers_Get',
    method: 'GET',
    url: 'https://api.example/crm/v2/tenant/1/customers/5',
    status: 200,
    headers: { 'content-type': 'application/json', connection: 'keep-alive', 'retry-after': '2', 'x-ratelimit-remaining': '59' },
    text: '{"id":5}',
    json: { id: 5 },
    check: { ok: true, value: { id: 5 } },
    timings: { totalMs: 12.4, responseMs: 10.2, attempts: 2, throttledMs: 3 },
    ...overrides,
  };
}

void describe('responseText', () => {
  const at = new Date('2026-12-01T10:00:00Z');

  void it('starts with the status, operation and duration, lists useful headers only, then the pretty body', () => {
    const text = responseText(raw({}), at);
    const lines = text.split('\n');
    assert.equal(lines[0], '// 200 OK · Customers_Get · 12 ms');
    assert.equal(lines[1], '// GET https://api.example/crm/v2/tenant/1/customers/5');
    assert.match(lines[2] ?? '', /Received 2026-12-01T10:00:00.000Z \(last attempt 10 ms, 2 attempts, 3 ms waiting for the rate limit\)/);
    assert.ok(text.includes('// retry-after: 2') && text.includes('// x-ratelimit-remaining: 59'));
    assert.equal(text.includes('keep-alive'), false);
    assert.ok(text.endsWith('{\n  "id": 5\n}\n'));
  });

  void it('warns about an answer of the wrong shape, naming the field, and shows it as it came', () => {
    const value = raw({
      check: { ok: false, issues: [{ field: 'name', message: 'expected string, received number', location: 'body', path: ['name'] }] },
      json: { id: 5, name: 7 },
      text: '{"id":5,"name":7}',
    });
    assert.deepEqual(summarize(value).schemaIssues, ['name: expected string, received number']);
    const text = responseText(value, at);
    assert.match(text, /\/\/ Warning: the answer does not match the document's response schema: name: expected string/);
    assert.match(text, /"name": 7/);
  });

  void it('keeps a body that is not JSON as a JSON string, and says so', () => {
    const text = responseText(
      raw({ status: 502, text: '<html>Bad gateway</html>', json: undefined, jsonError: 'The body is not valid JSON: <html>…', check: undefined }),
      at,
    );
    assert.match(text, /^\/\/ 502 Bad Gateway/);
    assert.match(text, /\/\/ Warning: The body is not valid JSON/);
    const body = text
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n');
    assert.equal(JSON.parse(body), '<html>Bad gateway</html>');
  });

  void it('shows the URL the call went to, as the HTTP client read it (dot segments folded), not the one built', () => {
    const line = (url: string, method: RawExchange<unknown>['method'] = 'PATCH'): string => responseText(raw({ method, url }), at).split('\n')[1] ?? '';
    const base = 'https://api.example/crm/v2/tenant/1/contacts/a/contact-methods/b';
    assert.equal(line(`${base}/preferences/..`), `// PATCH ${base}/`);
    assert.equal(line(`${base}/preferences/%2e%2E?x=1`), `// PATCH ${base}/?x=1`);
    assert.equal(line(`${base}/preferences/%252e%252e`), `// PATCH ${base}/preferences/%252e%252e`);
    assert.equal(line(`${base}?appKey=[REDACTED]`, 'GET'), `// GET ${base}?appKey=[REDACTED]`, 'redaction survives');
    assert.equal(line('not a url', 'GET'), '// GET not a url');
  });

  void it('shows the trace ID of a problem', () => {
    const text = responseText(
      raw({ status: 400, problem: { type: 'x', title: 'Bad', status: 400, traceId: '00-abc-01-00', errors: {} }, check: undefined }),
      at,
    );
    assert.match(text, /\/\/ Trace ID: 00-abc-01-00/);
  });
});

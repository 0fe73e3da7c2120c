// `{{name}}` in request files (src/requests/requestVariables.ts): resolved as suite steps resolve
// them (a whole-string reference keeps its type), unknown names reported at their place with where
// to define them, the rule checks run on the resolved values, and the response shows the body sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawExchange } from '../../../src/api/request';
import { parseRequestFile, ruleProblems, type RequestFileRequest } from '../../../src/requests/requestFile';
import { holdsReferences, resolveRequestVariables } from '../../../src/requests/requestVariables';
import { responseText } from '../../../src/requests/responseText';
import { fixedBuiltIns } from '../suites/harness';

function requestOf(doc: unknown): RequestFileRequest {
  const parsed = parseRequestFile(JSON.stringify(doc));
  assert.ok(parsed.ok);
  return parsed.request;
}

void describe('request file variables', () => {
  const variables = new Map<string, unknown>([
    ['customerId', 42],
    ['email', 'kim@example.com'],
  ]);

  void it('resolves path, query and body, keeping the type of a whole-string reference', () => {
    const request = requestOf({
      operation: 'Customers_CreateContact',
      path: { id: '{{customerId}}' },
      body: { type: 'Email', value: '{{email}}', memo: 'for {{customerId}} at {{$isoTimestamp}}' },
    });
    const resolved = resolveRequestVariables(request, variables, 'Integration', fixedBuiltIns());
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.input, {
      path: { id: 42 },
      query: {},
      body: { type: 'Email', value: 'kim@example.com', memo: 'for 42 at 2026-03-04T05:06:07.000Z' },
    });
    assert.deepEqual(requestOf({ operation: 'Customers_Get', path: { id: 1 } }), { operation: 'Customers_Get', path: { id: 1 }, query: {} });
    assert.equal(holdsReferences(request), true);
    assert.equal(holdsReferences(requestOf({ operation: 'Customers_Get', path: { id: 1 } })), false);
  });

  void it('reports every unknown name at its place, saying where to define it, and a bad reference as it is', () => {
    const request = requestOf({ operation: 'Customers_GetList', query: { name: '{{who}}', page: '{{$randomInt 9 1}}' } });
    const resolved = resolveRequestVariables(request, variables, 'Integration', fixedBuiltIns());
    assert.ok(!resolved.ok);
    assert.deepEqual(
      resolved.errors.map((error) => [error.path.join('.'), error.message]),
      [
        ['query.name', 'Unknown variable {{who}}: give it in stcrm.env.json at the workspace root, under "Integration" or "$shared".'],
        ['query.page', '{{$randomInt 9 1}}: $randomInt takes two whole numbers, the smallest and the largest value, like {{$randomInt 1 100}}.'],
      ],
    );
    const none = resolveRequestVariables(requestOf({ operation: 'Customers_Get', path: { id: '{{x}}' } }), variables, undefined);
    assert.ok(!none.ok);
    assert.match(none.errors[0]?.message ?? '', /under "\$shared"\.$/);
  });

  void it('checks the rules on the values the references stand for', () => {
    const text = JSON.stringify({ operation: 'Customers_CreateContact', path: { id: 1 }, body: { type: 'Email', value: '{{email}}' } });
    assert.match(ruleProblems(text)[0]?.message ?? '', /email address/, 'as written, the reference is no email');
    assert.deepEqual(
      ruleProblems(text, (request) => resolveRequestVariables(request, variables, undefined)),
      [],
    );
    const bad = new Map([['email', 'not-an-email']]);
    assert.match(ruleProblems(text, (request) => resolveRequestVariables(request, bad, undefined))[0]?.message ?? '', /email address/);
  });

  void it('shows the body sent on one line under the URL, cut short', () => {
    const raw: RawExchange<unknown> = {
      operationId: 'Contacts_Create',
      method: 'POST',
      url: 'https://api.example/crm/v2/tenant/1/contacts',
      status: 200,
      headers: {},
      text: '{"id":"a"}',
      json: { id: 'a' },
      timings: { totalMs: 1, responseMs: 1, attempts: 1, throttledMs: 0 },
    };
    const lines = responseText(raw, new Date(0), '{"name":"Kim\u2028// x"}').split('\n');
    assert.equal(lines[2], '// Sent: {"name":"Kim // x"}');
    const long = responseText(raw, new Date(0), JSON.stringify({ memo: 'x'.repeat(3_000) })).split('\n')[2] ?? '';
    assert.match(long, /… \(1011 more characters\)$/);
    assert.equal(responseText(raw, new Date(0)).split('\n')[2]?.startsWith('// Received'), true, 'nothing sent, no line');
  });
});

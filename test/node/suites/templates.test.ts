// `{{name}}` references (src/suites/templates.ts) and stcrm.env.json (src/suites/environment.ts):
// types kept, text written in, built-ins, unknown names, bounded and never recursive, no
// prototype keys, and no credentials in an environment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { environmentFor, parseEnvironmentFile } from '../../../src/suites/environment';
import { MAX_TEMPLATE_RESULT, parseTemplate, resolveValue, type Scope } from '../../../src/suites/templates';
import { fixedBuiltIns } from './harness';

function scopeOf(values: Record<string, unknown>, env: Record<string, string> = {}): Scope {
  const map = new Map(Object.entries(values));
  return { lookup: (name) => (map.has(name) ? { value: map.get(name) } : undefined), builtIns: fixedBuiltIns(env) };
}

void describe('references', () => {
  const scope = scopeOf({ id: 42, ok: true, none: null, list: [1, 'a'], record: { a: { b: 1 } }, text: 'kim' }, { BUILD: '77' });

  void it('keep the JSON type of a whole-string reference, and write values into longer text', () => {
    const resolved = resolveValue(
      {
        id: '{{id}}',
        spaced: '{{ id }}',
        ok: '{{ok}}',
        none: '{{none}}',
        list: '{{list}}',
        record: '{{record}}',
        text: 'id={{id}} ok={{ok}} {{list}} {{record}} {{none}} {{text}}!',
        nested: [{ deep: '{{text}}' }],
        key: { '{{id}}': 1 },
      },
      scope,
    );
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.value, {
      id: 42,
      spaced: 42,
      ok: true,
      none: null,
      list: [1, 'a'],
      record: { a: { b: 1 } },
      text: 'id=42 ok=true [1,"a"] {"a":{"b":1}} null kim!',
      nested: [{ deep: 'kim' }],
      key: { '{{id}}': 1 },
    });
  });

  void it('give the built-ins: uuid, timestamp (seconds, a number), ISO time, random whole numbers, environment variables', () => {
    const resolved = resolveValue(
      {
        uuid: '{{$uuid}}',
        ts: '{{$timestamp}}',
        iso: '{{$isoTimestamp}}',
        int: '{{$randomInt 5 9}}',
        any: '{{$randomInt}}',
        env: '{{$env BUILD}}',
        text: 'b{{$env BUILD}}-{{$uuid}}',
      },
      scope,
    );
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.value, {
      uuid: '00000000-0000-4000-8000-000000000001',
      ts: 1772600767,
      iso: '2026-03-04T05:06:07.000Z',
      int: 5,
      any: 0,
      env: '77',
      text: 'b77-00000000-0000-4000-8000-000000000002',
    });
  });

  void it('report an unknown name, an unset environment variable and a bad reference, each at its path', () => {
    const resolved = resolveValue({ a: ['x', '{{nobody}}'], b: { c: 'v={{$env NOPE}}' }, d: '{{$uuid 1}}', e: '{{constructor}}', f: '{{__proto__}}' }, scope);
    assert.ok(!resolved.ok);
    assert.deepEqual(
      resolved.problems.map((problem) => `${problem.path.join('.')}: ${problem.message.slice(0, 60)}`),
      [
        'a.1: Unknown variable {{nobody}}: define it in "variables", captu',
        'b.c: {{$env NOPE}}: the environment variable NOPE is not set.',
        'd: {{$uuid}} takes no arguments.',
        'e: {{constructor}} is not a variable name: names start with a l',
        'f: {{__proto__}} is not a variable name: names start with a let',
      ],
    );
    assert.equal(resolved.problems[0]?.missing, 'nobody');
  });

  void it('never read a value put in for references again, and refuse text that grows past the limit', () => {
    const once = resolveValue('{{a}}', scopeOf({ a: '{{a}}{{a}}' }));
    assert.deepEqual(once, { ok: true, value: '{{a}}{{a}}' });
    const big = 'x'.repeat(MAX_TEMPLATE_RESULT / 2 + 1);
    const grown = resolveValue('{{big}}{{big}}', scopeOf({ big }));
    assert.ok(!grown.ok);
    assert.match(grown.problems[0]?.message ?? '', /grows past 100,000 characters/);
  });

  void it('in a preview, write in the variables known and keep every other reference as written', () => {
    const resolved = resolveValue({ id: '{{id}}', later: '{{contactId}}', text: '{{text}}-{{$uuid}}-{{contactId}}' }, scope, { partial: true });
    assert.deepEqual(resolved, { ok: true, value: { id: 42, later: '{{contactId}}', text: 'kim-{{$uuid}}-{{contactId}}' } });
  });

  void it('split any text in linear time, and never give an object a prototype of its own (property)', () => {
    assert.deepEqual(parseTemplate(`${'{{'.repeat(50_000)}x`), { ok: true, parts: [{ text: `${'{{'.repeat(50_000)}x` }] });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('__proto__', 'constructor', 'a', '{{id}}'), (value, key) => {
        const input: Record<string, unknown> = {};
        Object.defineProperty(input, key, { value, enumerable: true });
        const resolved = resolveValue(input, scope);
        if (!resolved.ok) return;
        const out = resolved.value as Record<string, unknown>;
        assert.equal(Object.getPrototypeOf(out), Object.prototype);
        assert.ok(Object.prototype.hasOwnProperty.call(out, key));
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      }),
      { numRuns: 300 },
    );
  });
});

void describe('stcrm.env.json', () => {
  void it("gives a profile's variables over $shared", () => {
    const parsed = parseEnvironmentFile(JSON.stringify({ $shared: { customerId: 1, region: 'west' }, Integration: { customerId: 42 } }), 'stcrm.env.json');
    assert.ok(parsed.ok);
    const integration = environmentFor(parsed.environment, 'Integration');
    assert.ok(integration.ok);
    assert.deepEqual(Object.fromEntries(integration.values), { customerId: 42, region: 'west' });
    const shared = environmentFor(parsed.environment, undefined);
    assert.ok(shared.ok);
    assert.deepEqual(Object.fromEntries(shared.values), { customerId: 1, region: 'west' });
    assert.deepEqual(environmentFor(parsed.environment, 'Production'), {
      ok: false,
      message: 'No environment "Production": stcrm.env.json has "Integration".',
    });
    assert.deepEqual(environmentFor(undefined, 'Production'), { ok: false, message: 'No environment "Production": there is no stcrm.env.json.' });
  });

  void it('refuses names and values that look like credentials, at their place', () => {
    const text = JSON.stringify({ $shared: { clientSecret: 'x', appKey: 'y', note: 'Bearer abc.def.ghi', fine: 1 }, Integration: [] }, null, 2);
    const parsed = parseEnvironmentFile(text, 'stcrm.env.json');
    assert.ok(!parsed.ok);
    assert.deepEqual(
      parsed.problems.map((problem) => `${problem.location.line}:${problem.location.column} ${problem.message.slice(0, 50)}`),
      [
        '3:5 "clientSecret" looks like a credential. stcrm.env.',
        '4:5 "appKey" looks like a credential. stcrm.env.json h',
        '5:13 This value looks like a credential (a token or key',
        '8:18 The variables of "Integration" must be an object, ',
      ],
    );
    for (const problem of parsed.problems) assert.ok(!problem.message.includes('abc.def.ghi'), 'a refused value is not repeated');
  });
});

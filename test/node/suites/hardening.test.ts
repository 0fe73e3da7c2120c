// Hostile input to the suite engine: `{{$randomInt}}` arguments crypto.randomInt cannot draw from
// (refused when the file is read), a built-in that throws (that step's error: the run goes on and
// the teardown runs), files nested thousands of levels deep (the depth message, not a stack
// overflow), and answers over real loopback HTTP nested 50,000 deep or of 10 MB (a clear step
// result, no "Maximum call stack size exceeded").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CrmClient } from '../../../src/api/client';
import { parseEnvironmentFile } from '../../../src/suites/environment';
import { runSuite, type SuiteRunOptions } from '../../../src/suites/runner';
import { SuiteSource } from '../../../src/suites/source';
import { parseSuite } from '../../../src/suites/suiteFile';
import { defaultBuiltIns, parseTemplate } from '../../../src/suites/templates';
import type { WriteConnection } from '../../../src/writes/engine';
import { fakeApi, fakeTransport, sandbox, type Sandbox } from '../api/transportHarness';
import { fixedBuiltIns, lineColumnOf, sandboxConnection, suiteOf, type Connected } from './harness';

const never = (): Promise<boolean> => Promise.reject(new Error('nothing should ask'));
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function problemsOf(text: string): string[] {
  const parsed = parseSuite(text, 'h.stcrm-suite.json');
  return parsed.ok ? [] : parsed.problems.map((problem) => `${problem.location.line}:${problem.location.column} ${problem.message}`);
}

void describe('{{$randomInt min max}}', () => {
  void it('refuses, when the file is read, arguments crypto.randomInt cannot draw from', () => {
    for (const [min, max] of [
      [MAX_SAFE - 10, MAX_SAFE],
      [0, 2 ** 48 - 1],
      [-MAX_SAFE, -MAX_SAFE + 2 ** 48 - 1],
    ]) {
      const parsed = parseTemplate(`{{$randomInt ${min} ${max}}}`);
      assert.equal(parsed.ok, false, `${min} ${max}`);
      assert.match(
        parsed.ok ? '' : parsed.message,
        /\$randomInt takes values from -9007199254740991 to 9007199254740990, the largest at most 281474976710654 above/,
      );
    }
    const doc = { name: 'R', steps: [{ operation: 'Customers_GetList', query: { page: `{{$randomInt ${MAX_SAFE - 2} ${MAX_SAFE}}}` } }] };
    assert.match(problemsOf(JSON.stringify(doc))[0] ?? '', /\$randomInt takes values from/);
  });

  void it('draws from every pair it accepts, the extremes included (property)', () => {
    const builtIns = defaultBuiltIns({});
    const draw = (min: number, max: number): number => builtIns.randomInt(min, max);
    const edges = [
      [MAX_SAFE - 2, MAX_SAFE - 1],
      [-MAX_SAFE, -MAX_SAFE + 2 ** 48 - 2],
      [0, 2 ** 48 - 2],
      [5, 5],
    ];
    for (const [min = 0, max = 0] of edges) {
      const parsed = parseTemplate(`{{$randomInt ${min} ${max}}}`);
      assert.ok(parsed.ok, `${min} ${max}`);
      const value = draw(min, max);
      assert.ok(value >= min && value <= max);
    }
    fc.assert(
      fc.property(fc.integer({ min: -MAX_SAFE, max: MAX_SAFE }), fc.integer({ min: 0, max: 2 ** 48 }), (min, span) => {
        const max = Math.min(MAX_SAFE, min + span);
        const parsed = parseTemplate(`{{$randomInt ${min} ${max}}}`);
        const [part] = parsed.ok ? parsed.parts : [];
        if (!part || !('reference' in part) || part.reference.kind !== 'randomInt') return;
        const value = draw(part.reference.min, part.reference.max);
        assert.ok(value >= min && value <= max);
      }),
      { numRuns: 500 },
    );
  });
});

void describe('a file nested thousands of levels deep', () => {
  void it('gets the depth message, at the first level too deep, for a suite and for stcrm.env.json', () => {
    const deep = '['.repeat(8_000) + ']'.repeat(8_000);
    assert.doesNotThrow(() => new SuiteSource('deep.json', deep));
    const suite = problemsOf(`{"name": "S", "steps": [{"operation": "Customers_GetList", "body": ${deep}}]}`);
    assert.equal(suite.length, 1);
    assert.match(suite[0] ?? '', /^1:\d+ objects and arrays nest more than 64 levels deep here; a suite file may nest 64 at most/);
    const environment = parseEnvironmentFile(`{"$shared": {"a": ${deep}}}`, 'stcrm.env.json');
    assert.equal(environment.ok, false);
    assert.match(environment.ok ? '' : (environment.problems[0]?.message ?? ''), /nest more than 64 levels deep here; a environment file may nest 64/);
  });
});

void describe('reserved names', () => {
  void it('say that __proto__, constructor and prototype are reserved as variable, capture and profile names', () => {
    const reserved = (name: string, role: string): RegExp =>
      new RegExp(`^"${name}" is a reserved name \\(JavaScript gives it a meaning\\), so it cannot be ${role}: choose another\\.$`);
    const suite = (variables: string, capture: string): string =>
      `{"name": "R", "variables": {${variables}}, "steps": [{"operation": "Customers_GetList", "capture": {${capture}}}]}`;
    assert.match(problemsOf(suite('"__proto__": 1', '"a": "$.page"'))[0]?.replace(/^\d+:\d+ /, '') ?? '', reserved('__proto__', 'a variable name'));
    assert.match(problemsOf(suite('"a": 1', '"constructor": "$.page"'))[0]?.replace(/^\d+:\d+ /, '') ?? '', reserved('constructor', 'a capture name'));
    // A body key stays a CRM field that cannot be sent.
    assert.match(
      problemsOf('{"name": "R", "steps": [{"operation": "Contacts_Create", "body": {"prototype": 1}}]}')[0] ?? '',
      /"prototype" cannot be a key: no CRM v2 field has this name/,
    );
    const messages = (text: string): string[] => {
      const parsed = parseEnvironmentFile(text, 'stcrm.env.json');
      return parsed.ok ? [] : parsed.problems.map((problem) => problem.message);
    };
    assert.match(messages('{"$shared": {"constructor": 1}}')[0] ?? '', reserved('constructor', 'a variable name'));
    assert.match(messages('{"__proto__": {}}')[0] ?? '', reserved('__proto__', 'a profile name'));
  });
});

void describe('a step whose built-in throws', () => {
  let sb: Sandbox;
  let c: Connected;
  before(async () => {
    sb = await sandbox({ customers: 2 });
    c = sandboxConnection(sb);
  });
  after(async () => {
    await c.transport.close();
    await sb.close();
  });

  void it("is that step's error: the next steps and the teardown run, and the run answers", async () => {
    const builtIns = {
      ...fixedBuiltIns(),
      uuid: (): string => {
        throw new RangeError('no randomness today');
      },
    };
    const suite = suiteOf({
      name: 'Throws',
      steps: [
        { name: 'unlucky', operation: 'Customers_GetList', query: { name: 'x-{{$uuid}}' } },
        { name: 'next', operation: 'Customers_GetList', query: { pageSize: 1 } },
      ],
      teardown: [{ name: 'clean', operation: 'Customers_GetList' }],
    });
    const result = await runSuite(suite, c.connection, { confirm: never, builtIns });
    assert.deepEqual(
      [...result.steps, ...result.teardown].map((step) => [step.name, step.status]),
      [
        ['unlucky', 'errored'],
        ['next', 'passed'],
        ['clean', 'passed'],
      ],
    );
    assert.equal(result.steps[0]?.errors[0]?.message, 'Unexpected error in this step: no randomness today');
    assert.equal(result.steps[0]?.errors[0]?.location.line, suite.steps[0]?.location.line);
  });

  void it('says an unset {{$env}} used twice in a step once, at its first place', async () => {
    const suite = suiteOf({
      name: 'Env twice',
      steps: [{ name: 'twice', operation: 'Customers_GetList', query: { name: '{{$env NOPE_UNSET}}', city: 'in {{$env NOPE_UNSET}}' } }],
    });
    const result = await runSuite(suite, c.connection, { confirm: never, builtIns: fixedBuiltIns({}) });
    assert.deepEqual(
      result.steps[0]?.errors.map((error) => [error.message, error.location.line]),
      [['{{$env NOPE_UNSET}}: the environment variable NOPE_UNSET is not set.', lineColumnOf(suite, '{{$env NOPE_UNSET}}').line]],
    );
  });

  void it('in a suite variable breaks that variable only', async () => {
    const builtIns = {
      ...fixedBuiltIns(),
      uuid: (): string => {
        throw new Error('boom');
      },
    };
    const suite = suiteOf({
      name: 'Variable throws',
      variables: { label: '{{$uuid}}' },
      steps: [
        { name: 'uses it', operation: 'Customers_GetList', query: { name: '{{label}}' } },
        { name: 'does not', operation: 'Customers_GetList', query: { pageSize: 1 } },
      ],
    });
    const result = await runSuite(suite, c.connection, { confirm: never, builtIns });
    assert.deepEqual(
      result.steps.map((step) => step.status),
      ['errored', 'passed'],
    );
    assert.equal(result.steps[0]?.errors[0]?.message, '{{label}} could not be set: unexpected error: boom');
  });
});

void describe('an answer nested 50,000 deep or of 10 MB', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let connection: WriteConnection;
  let close: () => Promise<void>;
  let body = '';
  before(async () => {
    api = await fakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const { transport } = fakeTransport(api.environment);
    connection = {
      profile: { id: 'f', name: 'Fake', tenant: '1000', production: false },
      client: new CrmClient(transport),
      describe: (r) => transport.describe(r),
    };
    close = async () => {
      await transport.close();
      await api.close();
    };
  });
  after(async () => {
    await close();
  });
  const options: SuiteRunOptions = { confirm: never, builtIns: fixedBuiltIns() };
  const step = { name: 'read', operation: 'Customers_GetList', expect: { schema: false, paths: { '$.page': 1 } }, capture: { page: '$.page' } };

  void it('nested too deep: the step says so, once, without overflowing the stack', async () => {
    body = `{"page": 1, "data": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const result = await runSuite(suiteOf({ name: 'Deep', steps: [step] }), connection, options);
    const [read] = result.steps;
    assert.equal(read?.status, 'errored', JSON.stringify(read));
    assert.deepEqual(
      read.errors.map((error) => error.message),
      [
        'The answer cannot be checked: The body is JSON whose objects and arrays nest more than 1,000 levels deep in it, so it was not read (a CRM answer nests fewer than 10).',
      ],
    );
    assert.deepEqual(read.failures, []);
  });

  void it('of 10 MB: checked and captured like any other', async () => {
    const data = Array.from({ length: 40_000 }, (_, id) => ({ id, name: 'x'.repeat(250) }));
    body = JSON.stringify({ page: 1, pageSize: 50, hasMore: false, data });
    assert.ok(body.length > 10_000_000);
    const result = await runSuite(suiteOf({ name: 'Big', steps: [step] }), connection, options);
    const [read] = result.steps;
    assert.equal(read?.status, 'passed', JSON.stringify({ errors: read?.errors, failures: read?.failures }));
    assert.match(read.exchange?.responseText ?? '', /more characters\)$/);
  });
});

// Suite files (src/suites/suiteFile.ts): a bad file is a list of problems, each at its line and
// column, never an exception; limits and hostile keys are refused in bounded time.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_STEPS, MAX_SUITE_LENGTH, parseSuite, unknownNames, type SuiteProblem } from '../../../src/suites/suiteFile';

const ROOT = path.resolve(__dirname, '../../../..');

/** `line:column message` of each problem of `text`. */
function problemsOf(text: string): string[] {
  const parsed = parseSuite(text, 'x.stcrm-suite.json');
  assert.ok(!parsed.ok, 'the suite has problems');
  return parsed.problems.map((problem: SuiteProblem) => `${problem.location.line}:${problem.location.column} ${problem.message}`);
}

const suite = (steps: unknown[], more: Record<string, unknown> = {}): string => JSON.stringify({ name: 'S', ...more, steps }, null, 2);

void describe('suite files', () => {
  void it('read the examples, with defaults filled in', () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'examples')).filter((name) => name.endsWith('.stcrm-suite.json'))) {
      const parsed = parseSuite(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), file);
      assert.ok(parsed.ok, `${file}: ${parsed.ok ? '' : JSON.stringify(parsed.problems)}`);
    }
    const parsed = parseSuite(
      suite([{ operation: 'Customers_Get', path: { id: '{{id}}' }, capture: { name: '$.name' } }], { variables: { id: 1 } }),
      'a.stcrm-suite.json',
    );
    assert.ok(parsed.ok);
    const [step] = parsed.suite.steps;
    assert.equal(step?.name, 'Customers_Get');
    assert.equal(step?.check, true);
    assert.equal(step?.expect.schema, true);
    assert.equal(step?.expect.status, undefined);
    assert.equal(step?.body, undefined);
    assert.deepEqual([...(step?.uses ?? [])], ['id']);
    assert.deepEqual(step?.location, { file: 'a.stcrm-suite.json', line: 7, column: 5, offset: 68, length: step?.location.length });
  });

  void it('place syntax errors, duplicate and reserved keys at their line and column', () => {
    assert.deepEqual(problemsOf('{\n  "name": "S",\n  "steps": [,]\n}'), ['3:13 Expected a value; found ",".']);
    assert.deepEqual(problemsOf('{"name": "S", "name": "T", "steps": []}'), [
      '1:15 Duplicate key "name": JSON keeps only the last one, so the other value would be lost. Remove one of them.',
    ]);
    const reserved = problemsOf('{"name": "S", "steps": [{"operation": "Customers_GetList", "query": {"__proto__": {"x": 1}}}]}');
    assert.equal(reserved.length, 1);
    assert.match(reserved[0] ?? '', /^1:70 "__proto__" cannot be a key/);
    assert.deepEqual(problemsOf(''), ['1:1 The suite file is empty. Start with {"name": "…", "steps": [{"operation": "…"}]}.']);
  });

  void it('name unknown keys, missing keys, wrong types and unknown operations, with what to write instead', () => {
    assert.deepEqual(
      problemsOf(
        suite([{ operation: 'Customers_Gett' }, { operation: 'Customers_Get', path: { id: 1 }, expect: { status: '200', bogus: 1 }, capture: { x: 1 } }], {
          extra: true,
        }),
      ),
      ['3:3 Unknown key "extra": a suite has name, variables, sandbox, steps and teardown.'],
    );
    assert.deepEqual(
      problemsOf(
        suite([
          { operation: 'Customers_Gett' },
          { operation: 'Customers_Get', path: { id: 1 }, expect: { status: '200', bogus: 1 }, capture: { x: 1 } },
          { name: 'no op' },
        ]),
      ),
      [
        '5:20 Unknown operation "Customers_Gett". Did you mean Customers_Get (GET /customers/{id})?',
        '13:19 status must be a number such as 200 or a list of numbers such as [200, 201].',
        '14:9 Unknown key "bogus": expect has status, schema, body, paths and problem.',
        '17:14 Expected text.',
        '20:5 Add "operation": it is required.',
      ],
    );
    assert.deepEqual(
      problemsOf(
        suite([
          { operation: 'Contacts_CreateContactRelationship', path: { contactId: 'a', typo: 1 } },
          { operation: 'Contacts_Create' },
          { operation: 'Customers_Get', path: { id: 1 }, query: { pageSize: 1 }, body: {} },
        ]),
      ),
      [
        '8:9 Contacts_CreateContactRelationship has no path parameter "typo"; its path is /contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}.',
        '6:15 Contacts_CreateContactRelationship needs the path value relatedEntityId (its path is /contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}).',
        '6:15 Contacts_CreateContactRelationship needs the path value typeSlug (its path is /contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}).',
        '11:5 Contacts_Create needs a "body" (or "check": false to send it without one).',
        '20:9 Customers_Get takes no query parameters.',
        '22:7 Customers_Get takes no request body (or "check": false to send one anyway).',
      ],
    );
    // Without the check, a step may send anything (but still needs its path values for the URL).
    const unchecked = parseSuite(suite([{ operation: 'Customers_Get', check: false, path: { id: 1 }, query: { zz: 1 }, body: { a: 1 } }]), 'u.json');
    assert.ok(unchecked.ok);
  });

  void it('check names, JSONPaths and references, and the order of captures and variables', () => {
    assert.deepEqual(
      problemsOf(suite([{ operation: 'Customers_Get', path: { id: 1 }, capture: { 'bad name': '$.id', ok: 'id', re: '$[?match(@.a, "(a+)+$")]' } }])),
      [
        '10:9 "bad name" cannot be a capture name: names start with a letter or _ and hold letters, digits, _ and - (at most 100 characters).',
        '11:15 Not a JSONPath (RFC 9535), like $.id or $.data[0].id: unexpected "i" at character 1 (a JSONPath starts with $).',
        '12:15 match() is not supported here: its regular expression could take unbounded time. Compare with == instead, or check the value in "paths".',
      ],
    );
    assert.deepEqual(
      problemsOf(
        suite([
          {
            operation: 'Customers_Get',
            path: { id: '{{ no such thing }}' },
            expect: { paths: { '$.a': '{{$randomInt 5 1}}', '$.b': '{{$env ST_CLIENT_SECRET}}' } },
          },
        ]),
      ),
      [
        '7:15 {{no such thing}} is not a variable name: names start with a letter or _ and hold letters, digits, _ and - (or use a built-in: {{$uuid}}, {{$timestamp}}, {{$isoTimestamp}}, {{$randomInt min max}}, {{$env NAME}}).',
        '11:18 {{$randomInt 5 1}}: $randomInt takes two whole numbers, the smallest and the largest value, like {{$randomInt 1 100}}.',
        '12:18 {{$env ST_CLIENT_SECRET}} looks like a credential: a suite never reads credentials (they come from the profile, or ST_* for the CLI).',
      ],
    );
    assert.deepEqual(
      problemsOf(
        suite(
          [
            { operation: 'Contacts_Get', path: { id: '{{later}}' } },
            { operation: 'Contacts_Create', body: {}, capture: { later: '$.id', a: '$.id' } },
          ],
          { variables: { a: '{{b}}', b: '{{later}}' } },
        ),
      ),
      [
        '4:10 {{b}} is defined after "a" (or is "a" itself): a variable may use the variables before it.',
        '5:10 Variables are set before the first step, so {{later}}, a capture, is not known yet. Use it in the steps instead.',
        '11:15 {{later}} is captured by a later step ("Contacts_Create"): a step can use captures of the steps before it.',
        '19:9 The capture "a" has the name of a variable: rename one of them.',
      ],
    );
  });

  void it('report names nothing defines, with the environment given', () => {
    const parsed = parseSuite(suite([{ operation: 'Customers_Get', path: { id: '{{customerId}}' } }], { variables: { x: 1 } }), 'n.json');
    assert.ok(parsed.ok);
    assert.deepEqual(unknownNames(parsed.suite, new Set(['customerId'])), []);
    assert.deepEqual(
      unknownNames(parsed.suite, new Set()).map((problem) => `${problem.location.line}:${problem.location.column} ${problem.message}`),
      ['10:15 Unknown variable {{customerId}}: define it in "variables", capture it in an earlier step, or give it in stcrm.env.json.'],
    );
  });

  void it('keep the steps that parse of a suite with problems, so its unknown names can still be checked', () => {
    /** The unknown names of a suite that does not parse, as the editor checks them. */
    const names = (text: string, environment: string[] = []): string[] => {
      const parsed = parseSuite(text, 'p.json');
      assert.ok(!parsed.ok, 'the suite has problems');
      const { partial } = parsed;
      if (!partial) return [];
      return unknownNames(partial.suite, new Set([...environment, ...partial.captured])).map(
        (problem) => `${problem.location.line} ${/^Unknown variable \{\{([^}]+)\}\}/.exec(problem.message)?.[1]}`,
      );
    };
    const steps = [
      { operation: 'Customers_Get', path: { id: '{{customerId}}' } },
      // Refused (an unknown operation), but its capture still counts as defined.
      { operation: 'Customers_Gett', capture: { made: '$.id' } },
      { operation: 'Contacts_Get', path: { id: '{{made}}' }, query: { nope: '{{x}}' } },
    ];
    assert.deepEqual(names(suite(steps)), ['7 customerId', '22 x']);
    assert.deepEqual(names(suite(steps), ['customerId', 'x']), []);
    // The outline refused (an unknown key beside "steps"): the steps are still read.
    assert.deepEqual(names(suite(steps.slice(0, 1), { nmae: 1 })), ['8 customerId']);
    assert.deepEqual(names(suite(steps.slice(0, 1), { nmae: 1, variables: { customerId: 1 } })), []);
    // Variables that are not an object: which names they define is unknown, so none is reported.
    const parsed = parseSuite(suite(steps.slice(0, 1), { variables: [] }), 'p.json');
    assert.ok(!parsed.ok && parsed.partial === undefined);
    // A problem of order: the suite parsed whole, the capture is known.
    const order = [
      { operation: 'Customers_Get', path: { id: '{{later}}' } },
      { operation: 'Customers_Get', path: { id: 1 }, capture: { later: '$.id' } },
    ];
    assert.deepEqual(names(suite(order)), []);
  });

  void it('refuse a file past the limits before parsing it', () => {
    assert.match(problemsOf(' '.repeat(MAX_SUITE_LENGTH + 1))[0] ?? '', /^1:1 This file has 2,000,001 characters; a suite file may have 2,000,000/);
    assert.match(problemsOf(`{"name": "S", "steps": [${'['.repeat(100)}]}`)[0] ?? '', /nest more than 64 levels/);
    const many = Array.from({ length: MAX_STEPS + 1 }, () => ({ operation: 'Customers_GetList' }));
    assert.match(problemsOf(JSON.stringify({ name: 'S', steps: many }))[0] ?? '', /has 2001 steps and teardown steps; a suite may have 2000/);
  });

  void it('never throw, whatever the text (property)', () => {
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"name"',
      '"steps"',
      '"operation"',
      '"Customers_Get"',
      ':',
      ',',
      '"{{x}}"',
      '"$.id"',
      '"capture"',
      '"__proto__"',
      '1',
      'null',
      '"\\ud800"',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (tokens) => {
        const parsed = parseSuite(tokens.join(''), 'p.json');
        if (!parsed.ok) for (const problem of parsed.problems) assert.ok(problem.location.line >= 1 && problem.message.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});

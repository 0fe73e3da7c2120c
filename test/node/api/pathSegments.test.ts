// Path parameter values can never move a call to another route: every value is one encoded URL
// segment, and the values a URL parser would fold away (".", "..", "") or cannot encode (a lone
// surrogate), or that no path should hold (control characters), are refused on their parameter.
// The property sends hostile values through the real client and transport to the sandbox over
// loopback HTTP, for all 86 operations, and routes the path the sandbox received with the
// sandbox's own router: it must be the operation that was called, with the value as given.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Router } from '../../../sandbox/http';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import { buildRequest, pathSegment } from '../../../src/api/client';
import { RequestValidationError } from '../../../src/api/errors';
import { buildUrl } from '../../../src/api/transport';
import { PRODUCTION } from '../../../src/api/environments';
import { CRM_OPERATION_LIST, CRM_OPERATIONS, type CrmOperation, type CrmOperationId } from '../../../src/api/schemas/operations';
import { parseTemplates, TEMPLATES_FILE } from '../../../src/requests/templates';
import { startClientFixture, type ClientFixture } from './operationsHarness';

const ROOT = path.resolve(__dirname, '../../../..');
const TEMPLATES = parseTemplates(fs.readFileSync(path.join(ROOT, TEMPLATES_FILE), 'utf8'));
const API_PREFIX = /^\/crm\/v2\/tenant\/[^/]+(\/.*)?$/i;
const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const PREFERENCE = CRM_OPERATIONS.ContactPreferences_UpdateContactMethodPreference;
const DISMISS = CRM_OPERATIONS.Bookings_DismissBooking;

/** Pieces of hostile path values: dot segments spelled every way WHATWG URLs read them, separators, escapes, controls, half characters. */
const PIECES = [
  '.',
  '..',
  '%2e',
  '%2E',
  '%2e%2e',
  '.%2e',
  '%2E.',
  '',
  '/',
  '\\',
  '?',
  '#',
  '%',
  '%2f',
  '%5C',
  '%00',
  '\u0000',
  '\n',
  '\t',
  '\u007f',
  ' ',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'x',
  '1',
  ';',
  '&',
  '=',
  '+',
  GUID,
  'customer',
] as const;
const hostile = fc.oneof(
  fc.constantFrom(...PIECES),
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
);

/** The template's valid input for an operation, with some path values replaced. */
function inputOf(op: CrmOperation, replaced: Record<string, string>): { path: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown } {
  const template = TEMPLATES[op.operationId as CrmOperationId];
  assert.ok(template, `a template for ${op.operationId}`);
  return { path: { ...template.path, ...replaced }, query: template.query, body: template.body };
}

/** The path a built request goes to once a URL parser (undici's, the sandbox's) has read it: dot segments folded. */
function parsedPath(op: CrmOperation, input: ReturnType<typeof inputOf>): string {
  return new URL(buildUrl(PRODUCTION, '1', buildRequest(op, input).path)).pathname;
}

void describe('path parameter values', () => {
  void it('refuses dot segments, the empty value, lone surrogates and control characters, naming the parameter', () => {
    for (const [op, name, value, message] of [
      [PREFERENCE, 'preferenceName', '..', /"\.\." cannot be a path value: a URL reads it as the folder above/],
      [PREFERENCE, 'preferenceName', '.', /"\." cannot be a path value: a URL reads it as the current folder/],
      [DISMISS, 'booking_provider', '..', /folder above/],
      [DISMISS, 'booking_provider', '', /Enter a value/],
      [PREFERENCE, 'preferenceName', 'a\ud800', /lone UTF-16 surrogate, U\+D800\)/],
      [PREFERENCE, 'preferenceName', '\udc00b', /U\+DC00/],
      [PREFERENCE, 'preferenceName', 'a\nb', /control character \(U\+000A\)/],
      [PREFERENCE, 'preferenceName', '\u0000', /U\+0000/],
    ] as const) {
      const input = inputOf(op, { [name]: value });
      const error = (() => {
        try {
          buildRequest(op, input);
        } catch (e) {
          return e;
        }
        return assert.fail(`${JSON.stringify(value)} was accepted`);
      })();
      assert.ok(error instanceof RequestValidationError, String(error));
      assert.deepEqual(
        error.issues.map((i) => [i.location, i.path, i.field]),
        [['path', [name], name]],
        JSON.stringify(value),
      );
      assert.match(error.issues[0]?.message ?? '', message);
      assert.match(error.message, new RegExp(`was not sent\\. ${name}: `));
    }
  });

  void it('encodes every other value as one segment: escapes stay escapes, separators stay inside', () => {
    const last = (value: string): string =>
      parsedPath(PREFERENCE, inputOf(PREFERENCE, { preferenceName: value }))
        .split('/')
        .at(-1) ?? '';
    assert.equal(last('%2e%2e'), '%252e%252e');
    assert.equal(last('.%2E'), '.%252E');
    assert.equal(last('...'), '...');
    assert.equal(last('a/../b'), 'a%2F..%2Fb');
    assert.equal(last('..\\'), '..%5C');
    assert.equal(last('?x=1#y'), '%3Fx%3D1%23y');
    assert.equal(last(' '), '%20');
    assert.equal(last('\ud83d\ude00'), '%F0%9F%98%80');
    assert.equal(last("$&'"), "%24%26'", 'replacement patterns are not expanded');
    assert.deepEqual(pathSegment('ok'), { ok: true, segment: 'ok' });
  });
});

void describe('hostile path values against the sandbox, all 86 operations (property)', () => {
  let fx: ClientFixture;
  const lines: string[] = [];
  const router = new Router(CRM_SPEC.operations);
  before(async () => {
    fx = await startClientFixture(5, { log: (line) => lines.push(line) });
  });
  after(async () => {
    await fx.close();
  });

  void it('either refuses the value on its parameter, or the sandbox routes the call to the same operation with the value as given', async () => {
    assert.equal(CRM_OPERATION_LIST.length, 86);
    // Half the runs go to the operations with a free-text path parameter, the ones a string can reach.
    const textual = CRM_OPERATION_LIST.filter((op) => Object.values(op.pathParams).some((schema) => schema.safeParse('x').success));
    assert.deepEqual(textual.map((op) => op.operationId).sort(), [
      'Bookings_DismissBooking',
      'ContactPreferences_GetContactMethodPreference',
      'ContactPreferences_UpdateContactMethodPreference',
    ]);
    // Operation ids, not the table's objects, so that a counterexample reads well.
    const ids = (ops: readonly CrmOperation[]): CrmOperationId[] => ops.map((op) => op.operationId as CrmOperationId);
    const operations = fc.oneof(fc.constantFrom(...ids(CRM_OPERATION_LIST)), fc.constantFrom(...ids(textual)));
    const cases = operations.chain((id) => {
      const op: CrmOperation = CRM_OPERATIONS[id];
      // Each parameter keeps its template value or gets a hostile one (a free-text one mostly does),
      // so that one value refused does not hide what another would do.
      const values = Object.entries(op.pathParams).map(([name, schema]) => {
        const text = schema.safeParse('x').success;
        return fc.oneof(
          { arbitrary: fc.constant(undefined), weight: text ? 1 : 3 },
          { arbitrary: hostile.map((value) => [name, value] as const), weight: text ? 4 : 1 },
        );
      });
      return fc.tuple(fc.constant(id), fc.tuple(...values));
    });
    await fc.assert(
      fc.asyncProperty(cases, async ([id, picked]) => {
        const op: CrmOperation = CRM_OPERATIONS[id];
        const replaced = Object.fromEntries(picked.filter((entry) => entry !== undefined));
        const input = inputOf(op, replaced);
        lines.length = 0;
        try {
          await fx.client.callRaw(id, input as never);
        } catch (error) {
          assert.ok(error instanceof RequestValidationError, `${op.operationId} ${JSON.stringify(replaced)}: ${String(error)}`);
          assert.ok(
            error.issues.length > 0 && error.issues.every((issue) => issue.location === 'path' && Object.hasOwn(replaced, String(issue.path[0]))),
            `${op.operationId}: refused on the wrong field: ${error.message}`,
          );
          return;
        }
        const line = lines.filter((l) => / \/crm\/v2\//.test(l)).at(-1) ?? '';
        const [, method = '', target = ''] = /^(\S+) (\S+) -> /.exec(line) ?? [];
        const sub = API_PREFIX.exec(target.split('?')[0] ?? '')?.[1] ?? '/';
        const match = router.match(method, sub);
        const got = match.kind === 'found' ? match.operation.operationId : `${match.kind} (${line})`;
        assert.equal(got, op.operationId, `${op.operationId} with ${JSON.stringify(replaced)} reached ${line}`);
        if (match.kind === 'found') for (const [name, value] of Object.entries(replaced)) assert.equal(match.params[name], value, `${op.operationId}: ${name}`);
      }),
      { numRuns: 400 },
    );
  });
});

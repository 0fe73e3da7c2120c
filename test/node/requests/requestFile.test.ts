// The request file model: parsing (syntax errors placed, unknown keys and operations named),
// the client's checks at their place in the file, only the overlay's rules for the editor, and one
// mapping from field errors (the client's or a server's problem details) to paths of the file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { operationParams } from '../../../src/api/client';
import { problemFieldErrors, type FieldError } from '../../../src/api/errors';
import { CRM_OPERATIONS } from '../../../src/api/schemas/operations';
import {
  checkRequestFile,
  closestOperationId,
  fieldErrorsToPathErrors,
  jsonProblem,
  MAX_REQUEST_FILE_DEPTH,
  MAX_REQUEST_FILE_LENGTH,
  operationKeyOffset,
  parseRequestFile,
  requestFileText,
  ruleProblems,
  type RequestFileError,
} from '../../../src/requests/requestFile';

const file = (value: unknown): string => JSON.stringify(value, null, 2);
/** The paths of some errors, in a fixed order (zod reports nested refinements first). */
const pathsOf = (errors: readonly { path: readonly (string | number)[] }[]): string[] => errors.map((e) => JSON.stringify(e.path)).sort();

function errorsOf(text: string): RequestFileError[] {
  const parsed = parseRequestFile(text);
  assert.equal(parsed.ok, false, 'expected the file to be refused');
  return parsed.ok ? [] : parsed.errors;
}

void describe('parseRequestFile', () => {
  void it('reads operation, path, query and body, and gives the client input', () => {
    const parsed = parseRequestFile(
      file({ operation: 'Customers_CreateContact', path: { id: 5 }, body: { type: 'Phone', value: '5551234567' }, optional: { 'body.memo': 'string' } }),
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request, { operation: 'Customers_CreateContact', path: { id: 5 }, query: {}, body: { type: 'Phone', value: '5551234567' } });
    assert.deepEqual(parsed.input, { path: { id: 5 }, query: {}, body: { type: 'Phone', value: '5551234567' } });
    const list = parseRequestFile('\uFEFF{"operation": "Customers_GetList", "query": {"pageSize": 5}, "$schema": "x"}');
    assert.ok(list.ok);
    assert.deepEqual(list.request, { operation: 'Customers_GetList', path: {}, query: { pageSize: 5 } });
    assert.equal('body' in list.input, false, 'no body key, no body');
  });

  void it('places JSON syntax errors by line and column, with the offset for the editor', () => {
    const text = '{\n  "operation": "Customers_Get",\n  "path": {"id": 1,}\n}';
    const [error] = errorsOf(text);
    assert.equal(error?.message, 'Line 3, column 19: Remove this comma: JSON allows no comma before }.');
    assert.equal(error?.offset, text.indexOf(',}'));
    assert.deepEqual(error?.path, []);
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['{"operation": "Customers_Get"', /Line 1, column 30: Expected ',' or '}' after a property value; found the end of the file/],
      ['{"operation": \'Customers_Get\'}', /Line 1, column 15: Expected JSON here \(names and strings in double quotes/],
      ['{operation: 1}', /Line 1, column 2: Expected JSON here.*found "operation"/],
      ['{"a": "b\nc"}', /Line 1, column 7: This string has no closing quote/],
      ['{"a": tru}', /Line 1, column 7: Expected JSON here.*found "tru"/],
      ['{"a": 1} x', /Line 1, column 10: Expected JSON here.*found "x"/],
      ['{"a": "\\x"}', /Invalid escape character/],
      ['{"a": "open', /Line 1, column 7: This string has no closing quote/],
      ['[1, 2', /Expected ',' or '\]' after an array item; found the end of the file/],
      ['{"a": 01}', /Line 1, column 8: Expected ',' between values/],
      ['// comment\n{}', /Line 1, column 1: JSON allows no comments/],
    ];
    for (const [bad, message] of cases) assert.match(errorsOf(bad)[0]?.message ?? '', message, JSON.stringify(bad));
    assert.equal(jsonProblem('{"a": [1, 2]}'), undefined);
  });

  void it('refuses what is not a request: not an object, no or an unknown operation (naming the closest), unknown keys', () => {
    assert.match(errorsOf('[]')[0]?.message ?? '', /is a JSON object/);
    assert.deepEqual(
      errorsOf('{}').map((e) => e.path),
      [['operation']],
    );
    assert.match(errorsOf('{"operation": 42}')[0]?.message ?? '', /must be a string/);
    const [unknown] = errorsOf('{"operation": "Customer_CreateContact"}');
    assert.deepEqual(unknown?.path, ['operation']);
    assert.match(
      unknown?.message ?? '',
      /Unknown operation "Customer_CreateContact"\. Did you mean Customers_CreateContact \(POST \/customers\/\{id\}\/contacts\)\?/,
    );
    assert.equal(closestOperationId('contacts_get'), 'Contacts_Get');
    assert.equal(closestOperationId('locations_createcontact'), 'Locations_CreateContact');
    const keys = errorsOf(file({ operation: 'Customers_Get', path: { id: 1 }, Body: {}, headers: {} }));
    assert.deepEqual(
      keys.map((e) => e.path),
      [['Body'], ['headers']],
    );
    assert.match(keys[0]?.message ?? '', /did you mean "body"/);
    assert.deepEqual(
      errorsOf(file({ operation: 'Customers_Get', path: [1], query: 'a=1' })).map((e) => e.path),
      [['path'], ['query']],
    );
  });

  void it('never throws, whatever the text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ operation: 'Customers_Update', path: v, body: v })),
        ),
        (text) => {
          const parsed = parseRequestFile(text);
          if (!parsed.ok) assert.ok(parsed.errors.length > 0);
          checkRequestFile(text);
          ruleProblems(text);
        },
      ),
      { numRuns: 500 },
    );
  });
});

void describe('parseRequestFile on hostile text', () => {
  /** The text an error's offset and length point at. */
  const marked = (text: string, error: RequestFileError | undefined): string => text.slice(error?.offset ?? -1, (error?.offset ?? -1) + (error?.length ?? 0));

  void it('refuses a duplicate key anywhere, on the duplicate, instead of keeping the last value silently', () => {
    const top = '{"operation": "Customers_Get", "path": {"id": 1}, "operation": "Customers_Delete"}';
    const [error, ...rest] = errorsOf(top);
    assert.deepEqual(rest, []);
    assert.equal(error?.offset, top.lastIndexOf('"operation"'));
    assert.equal(marked(top, error), '"operation"');
    assert.deepEqual(error?.path, ['operation']);
    assert.match(error?.message ?? '', /^Line 1, column 51: Duplicate key "operation": JSON keeps only the last one/);
    const nested =
      '\uFEFF{"operation": "Customers_CreateContact", "path": {"id": 1},\n "body": {"type": "Email", "value": "a@b.co", "contacts": [{"x": 1, "x": 2}], "value": "c@d.co"}}';
    const errors = errorsOf(nested);
    assert.deepEqual(
      errors.map((e) => [e.path, marked(nested, e)]),
      [
        [['body', 'contacts', 0, 'x'], '"x"'],
        [['body', 'value'], '"value"'],
      ],
    );
    assert.equal(errors[1]?.offset, nested.lastIndexOf('"value"'), 'the offset counts the byte-order mark');
    assert.ok(
      errors[1]?.message.startsWith(`Line 2, column ${nested.lastIndexOf('"value"') - nested.indexOf('\n')}: Duplicate key "value"`),
      errors[1]?.message,
    );
    // Equal keys in different objects are fine.
    assert.ok(parseRequestFile('{"operation": "Customers_Get", "path": {"id": 1}, "query": {"id": 1}}').ok);
  });

  void it('refuses __proto__, constructor and prototype as keys: they never change the request', () => {
    const query = '{"operation": "Customers_GetList", "query": {"__proto__": {"pageSize": 3}}}';
    const [error] = errorsOf(query);
    assert.deepEqual(error?.path, ['query', '__proto__']);
    assert.equal(marked(query, error), '"__proto__"');
    assert.match(error?.message ?? '', /"__proto__" cannot be a key: no CRM v2 field has this name/);
    assert.deepEqual(
      checkRequestFile(query).map((e) => e.path),
      [['query', '__proto__']],
      'nothing sent, and not a pageSize of 3',
    );
    for (const key of ['constructor', 'prototype', '__proto__']) {
      const text = `{"operation": "Contacts_Create", "body": {"name": "A", "phones": [{"${key}": {"polluted": true}}]}}`;
      assert.deepEqual(
        errorsOf(text).map((e) => [e.path, marked(text, e)]),
        [[['body', 'phones', 0, key], `"${key}"`]],
      );
      assert.deepEqual(
        ruleProblems(text).map((e) => e.path),
        [['body', 'phones', 0, key]],
        'shown while typing',
      );
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  void it('refuses half characters (lone surrogates) in any key or string, escaped or not, on that string', () => {
    for (const [text, found] of [
      ['{"operation": "Customers_Get", "path": {"id": "\\ud800"}}', '"\\ud800"'],
      ['{"operation": "Contacts_Create", "body": {"name": "ab\\udc00"}}', '"ab\\udc00"'],
      ['{"operation": "Contacts_Create", "body": {"name": "x\ud800y"}}', '"x\ud800y"'],
      ['{"operation": "Customers_GetList", "query": {"\\udfff": 1}}', '"\\udfff"'],
    ] as const) {
      const [error, ...rest] = errorsOf(text);
      assert.deepEqual(rest, [], text);
      assert.equal(marked(text, error), found);
      assert.match(error?.message ?? '', /Half of a character \(a lone UTF-16 surrogate, U\+D[8-F][0-9A-F]{2}\) cannot be sent/);
      assert.equal(ruleProblems(text).length, 1, 'shown while typing');
    }
    // A whole character written as its two halves is fine.
    assert.ok(parseRequestFile('{"operation": "Contacts_Create", "body": {"name": "\\ud83d\\ude00"}}').ok);
  });

  void it(`refuses nesting deeper than ${MAX_REQUEST_FILE_DEPTH} levels with one error at the first level too deep, JSON or not, without overflowing the stack`, () => {
    const limit = MAX_REQUEST_FILE_DEPTH;
    const fits = `{"operation": "Contacts_Create", "body": {"name": "A", "x": ${'['.repeat(limit - 2)}${']'.repeat(limit - 2)}}}`;
    assert.ok(parseRequestFile(fits).ok, `${limit} levels are fine`);
    const arrays = `{"operation": "Contacts_Create", "body": {"name": "A", "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    const mixed = `{"operation": "Contacts_Create", "body": {"name": "[[[[", "x": ${'[{"a": '.repeat(5_000)}`;
    // The root and body objects are levels 1 and 2: the 63rd bracket after "x" is level 65.
    for (const [text, offset] of [
      [arrays, arrays.indexOf('[') + limit - 2],
      [mixed, mixed.indexOf('[{') + 31 * '[{"a": '.length],
    ] as const) {
      const errors = errorsOf(text);
      assert.equal(errors.length, 1);
      assert.match(
        errors[0]?.message ?? '',
        new RegExp(`^Line 1, column ${offset + 1}: objects and arrays nest more than ${limit} levels deep here; a request file may nest ${limit} at most`),
      );
      assert.equal(errors[0]?.offset, offset);
      assert.deepEqual(ruleProblems(text), errors, 'shown while typing');
      assert.deepEqual(checkRequestFile(text), errors);
      assert.equal(jsonProblem(text), errors[0]?.message);
    }
  });

  void it(`refuses a file longer than ${MAX_REQUEST_FILE_LENGTH.toLocaleString('en-US')} characters before reading it`, () => {
    const text = file({ operation: 'Contacts_Create', body: { name: 'A', memo: 'm'.repeat(MAX_REQUEST_FILE_LENGTH) } });
    const [error, ...rest] = errorsOf(text);
    assert.deepEqual(rest, []);
    assert.equal(
      error?.message,
      `This file has ${text.length.toLocaleString('en-US')} characters; a request file may have 250,000 (a CRM request needs a few thousand).`,
    );
    assert.deepEqual([error.offset, error.length], [0, 0]);
    assert.deepEqual(ruleProblems(text), [error], 'shown while typing');
    assert.equal(operationKeyOffset(text), undefined, 'not scanned for the CodeLens either');
  });

  void it('names the closest operation to a huge unknown name, comparing and quoting only its start', () => {
    const name = `Customers_Get${'x'.repeat(200_000)}`;
    const [error] = errorsOf(file({ operation: name }));
    assert.ok((error?.message.length ?? Infinity) < 300, `a short message, not ${error?.message.length ?? 0} characters`);
    assert.match(error?.message ?? '', /^Unknown operation "Customers_Getx+…"\. Did you mean /);
    assert.equal(closestOperationId(`Contacts_Get${'x'.repeat(100_000)}`), closestOperationId(`Contacts_Get${'x'.repeat(52)}`));
  });

  void it('reads any JSON object of hostile keys either as it is, or refuses it on the key at fault (property)', () => {
    const keys = fc.constantFrom('a', 'b', 'A', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '\ud800', '\udc00x', '\ud83d\ude00', '');
    const entries = fc.array(fc.tuple(keys, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 });
    fc.assert(
      fc.property(entries, fc.constantFrom('query', 'body'), (pairs, where) => {
        const inner = `{${pairs.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')}}`;
        const text = `{"operation": "Contacts_Create", "${where}": ${inner}}`;
        const parsed = parseRequestFile(text);
        const names = pairs.map(([key]) => key);
        const hostile =
          names.some((key, i) => names.indexOf(key) !== i || ['__proto__', 'constructor', 'prototype'].includes(key)) ||
          pairs.some(([key, value]) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(key + JSON.stringify(value)));
        if (!parsed.ok) {
          assert.ok(hostile, `refused: ${parsed.errors[0]?.message ?? ''}`);
          for (const error of parsed.errors) assert.ok(error.offset !== undefined && text.slice(error.offset).startsWith('"'), error.message);
          return;
        }
        assert.equal(hostile, false, 'a hostile file was read');
        const value = where === 'query' ? parsed.request.query : parsed.request.body;
        assert.deepEqual(value, JSON.parse(inner));
        assert.equal(Object.getPrototypeOf(value), Object.prototype);
      }),
      { numRuns: 500 },
    );
  });
});

void describe('operationKeyOffset', () => {
  void it('finds the top-level "operation" key (the last, as JSON reads it), not a nested key or a string', () => {
    const text = '{\n  "body": {"operation": "Contacts_Delete", "note": "\\"operation\\": x"},\n  "operation": "Contacts_Create"\n}';
    assert.equal(operationKeyOffset(text), text.lastIndexOf('"operation": "Contacts_Create"'));
    const twice = '{"operation": "Customers_Get", "path": {"id": 1}, "operation": "Customers_GetList"}';
    assert.equal(operationKeyOffset(twice), twice.lastIndexOf('"operation"'));
    assert.equal(operationKeyOffset('\uFEFF{"operation": "Customers_Get"'), 2, 'a broken file still has it');
    assert.equal(operationKeyOffset('{"body": {"operation": 1}}'), undefined);
    assert.equal(operationKeyOffset('["operation"]'), undefined);
    assert.equal(operationKeyOffset(`${'['.repeat(100_000)}`), undefined);
  });
});

void describe('checkRequestFile', () => {
  void it("puts the client's path, query and body errors where they are in the file", () => {
    const errors = checkRequestFile(
      file({ operation: 'Customers_CreateContact', path: { id: 0 }, body: { type: 'Email', value: 'not an email', extra: true } }),
    );
    assert.deepEqual(
      errors.map((e) => e.path),
      [
        ['path', 'id'],
        ['body', 'extra'],
        ['body', 'value'],
      ],
    );
    assert.match(errors[2]?.message ?? '', /email address like name@example.com/);
    const query = checkRequestFile(file({ operation: 'Customers_GetList', query: { pageSize: 0, sizes: 1 } }));
    assert.deepEqual(
      query.map((e) => e.path),
      [
        ['query', 'pageSize'],
        ['query', 'sizes'],
      ],
    );
    const nested = checkRequestFile(
      file({
        operation: 'Customers_Create',
        body: {
          name: 'A',
          address: { street: 's', city: 'c', state: 's', zip: 'z', country: 'c' },
          locations: [{ name: ' ', address: { street: 's', city: 'c', state: 's', zip: 'z', country: 'c' }, contacts: [{ type: 'MobilePhone', value: '12' }] }],
        },
      }),
    );
    assert.deepEqual(pathsOf(nested), pathsOf([{ path: ['body', 'locations', 0, 'name'] }, { path: ['body', 'locations', 0, 'contacts', 0, 'value'] }]));
  });

  void it('names a missing body or path parameter, a body where none is taken, and path keys the operation does not have', () => {
    assert.deepEqual(
      checkRequestFile(file({ operation: 'Customers_CreateContact', path: { id: 1 } })).map((e) => e.path),
      [['body']],
    );
    assert.deepEqual(
      checkRequestFile(file({ operation: 'Customers_Get' })).map((e) => e.path),
      [['path', 'id']],
    );
    assert.deepEqual(
      checkRequestFile(file({ operation: 'Customers_Get', path: { id: 1 }, body: {} })).map((e) => e.path),
      [['body']],
    );
    const extra = checkRequestFile(file({ operation: 'Customers_Get', path: { id: 1, customerId: 2 } }));
    assert.deepEqual(
      extra.map((e) => e.path),
      [['path', 'customerId']],
    );
    assert.match(extra[0]?.message ?? '', /no path parameter "customerId"; its path is \/customers\/\{id\}/);
    assert.match(checkRequestFile(file({ operation: 'Customers_GetList', path: { id: 1 } }))[0]?.message ?? '', /has no path parameters/);
    assert.deepEqual(checkRequestFile(file({ operation: 'Customers_Get', path: { id: 1 } })), []);
    // The file's own problems come first, and alone.
    assert.deepEqual(
      checkRequestFile('{"operation": "Nope"}').map((e) => e.path),
      [['operation']],
    );
  });
});

void describe('ruleProblems', () => {
  void it("reports only the overlay's rules, which the JSON Schema cannot express", () => {
    const text = file({ operation: 'Customers_CreateContact', path: { id: 0 }, body: { type: 'Email', value: 'not an email', extra: true } });
    assert.deepEqual(ruleProblems(text), [{ path: ['body', 'value'], message: 'Enter an email address like name@example.com' }]);
    const blank = ruleProblems(file({ operation: 'Contacts_Create', body: { name: '   ' } }));
    assert.deepEqual(
      blank.map((e) => e.path),
      [['body', 'name']],
    );
    const nested = ruleProblems(
      file({ operation: 'Customers_Create', body: { name: '', locations: [{ name: 'L', address: {}, contacts: [{ type: 'Phone', value: 'abc' }] }] } }),
    );
    assert.deepEqual(pathsOf(nested), pathsOf([{ path: ['body', 'locations', 0, 'contacts', 0, 'value'] }, { path: ['body', 'name'] }]));
    // A path value the schema takes but no URL can carry as one segment: the client refuses it, the schema cannot say so.
    const dots = file({ operation: 'Bookings_DismissBooking', path: { booking_provider: '..', id: 1 }, body: {} });
    assert.deepEqual(
      ruleProblems(dots).map((e) => e.path),
      [['path', 'booking_provider']],
    );
    assert.deepEqual(
      checkRequestFile(dots).map((e) => e.path),
      [['path', 'booking_provider']],
    );
    for (const quiet of [
      file({ operation: 'Customers_Get', path: { id: 'x' } }),
      file({ operation: 'Customers_CreateContact', path: { id: 1 } }),
      '{',
      file({ operation: 'Customers_CreateContact', path: { id: 1 }, body: { type: 'Fax', value: 5 } }),
    ]) {
      assert.deepEqual(ruleProblems(quiet), [], quiet);
    }
  });
});

void describe('fieldErrorsToPathErrors', () => {
  void it('maps path, query and body errors to the paths of the file', () => {
    const errors: FieldError[] = [
      { field: 'id', message: 'bad id', location: 'path', path: ['id'] },
      { field: 'pageSize', message: 'too big', location: 'query', path: ['pageSize'] },
      { field: '', message: 'no query', location: 'query', path: [] },
      { field: 'contacts[1].value', message: 'bad', location: 'body', path: ['contacts', 1, 'value'] },
    ];
    assert.deepEqual(fieldErrorsToPathErrors(errors), [
      { path: ['path', 'id'], message: 'bad id' },
      { path: ['query', 'pageSize'], message: 'too big' },
      { path: ['query'], message: 'no query' },
      { path: ['body', 'contacts', 1, 'value'], message: 'bad' },
    ]);
  });

  void it("places a server's problem details the way ProblemError does (one mapping)", () => {
    const problem = {
      errors: { Id: ['No customer 5.'], PageSize: ['Too many.'], 'request.Contacts[1].Value': ['Invalid phone.'], '$.type': ['Unknown type.'] },
    };
    const op = CRM_OPERATIONS.Customers_GetContactList;
    assert.deepEqual(fieldErrorsToPathErrors(problemFieldErrors(problem, operationParams(op))), [
      { path: ['path', 'Id'], message: 'No customer 5.' },
      { path: ['query', 'PageSize'], message: 'Too many.' },
      { path: ['body', 'Contacts', 1, 'Value'], message: 'Invalid phone.' },
      { path: ['body', 'type'], message: 'Unknown type.' },
    ]);
  });
});

void describe('requestFileText', () => {
  void it('prints a request in key order without empty path or query, and parses back to it', () => {
    const request = { operation: 'Customers_CreateContact' as const, path: { id: 5 }, query: {}, body: { type: 'Phone', value: '5551234567' } };
    const text = requestFileText(request);
    assert.equal(
      text,
      '{\n  "operation": "Customers_CreateContact",\n  "path": {\n    "id": 5\n  },\n  "body": {\n    "type": "Phone",\n    "value": "5551234567"\n  }\n}\n',
    );
    const parsed = parseRequestFile(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request, request);
    assert.equal(requestFileText({ operation: 'Customers_GetList', path: {}, query: {} }), '{\n  "operation": "Customers_GetList"\n}\n');
  });
});

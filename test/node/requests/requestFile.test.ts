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
    const parsed = parseRequestFile(file({ operation: 'Customers_CreateContact', path: { id: 5 }, body: { type: 'Phone', value: '5551234567' }, optional: { 'body.memo': 'string' } }));
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
    assert.deepEqual(errorsOf('{}').map((e) => e.path), [['operation']]);
    assert.match(errorsOf('{"operation": 42}')[0]?.message ?? '', /must be a string/);
    const [unknown] = errorsOf('{"operation": "Customer_CreateContact"}');
    assert.deepEqual(unknown?.path, ['operation']);
    assert.match(unknown?.message ?? '', /Unknown operation "Customer_CreateContact"\. Did you mean Customers_CreateContact \(POST \/customers\/\{id\}\/contacts\)\?/);
    assert.equal(closestOperationId('contacts_get'), 'Contacts_Get');
    assert.equal(closestOperationId('locations_createcontact'), 'Locations_CreateContact');
    const keys = errorsOf(file({ operation: 'Customers_Get', path: { id: 1 }, Body: {}, headers: {} }));
    assert.deepEqual(keys.map((e) => e.path), [['Body'], ['headers']]);
    assert.match(keys[0]?.message ?? '', /did you mean "body"/);
    assert.deepEqual(errorsOf(file({ operation: 'Customers_Get', path: [1], query: 'a=1' })).map((e) => e.path), [['path'], ['query']]);
  });

  void it('never throws, whatever the text (property)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ operation: 'Customers_Update', path: v, body: v }))), (text) => {
      const parsed = parseRequestFile(text);
      if (!parsed.ok) assert.ok(parsed.errors.length > 0);
      checkRequestFile(text);
      ruleProblems(text);
    }), { numRuns: 500 });
  });
});

void describe('checkRequestFile', () => {
  void it("puts the client's path, query and body errors where they are in the file", () => {
    const errors = checkRequestFile(file({ operation: 'Customers_CreateContact', path: { id: 0 }, body: { type: 'Email', value: 'not an email', extra: true } }));
    assert.deepEqual(errors.map((e) => e.path), [['path', 'id'], ['body', 'extra'], ['body', 'value']]);
    assert.match(errors[2]?.message ?? '', /email address like name@example.com/);
    const query = checkRequestFile(file({ operation: 'Customers_GetList', query: { pageSize: 0, sizes: 1 } }));
    assert.deepEqual(query.map((e) => e.path), [['query', 'pageSize'], ['query', 'sizes']]);
    const nested = checkRequestFile(file({
      operation: 'Customers_Create',
      body: { name: 'A', address: { street: 's', city: 'c', state: 's', zip: 'z', country: 'c' }, locations: [{ name: ' ', address: { street: 's', city: 'c', state: 's', zip: 'z', country: 'c' }, contacts: [{ type: 'MobilePhone', value: '12' }] }] },
    }));
    assert.deepEqual(pathsOf(nested), pathsOf([{ path: ['body', 'locations', 0, 'name'] }, { path: ['body', 'locations', 0, 'contacts', 0, 'value'] }]));
  });

  void it('names a missing body or path parameter, a body where none is taken, and path keys the operation does not have', () => {
    assert.deepEqual(checkRequestFile(file({ operation: 'Customers_CreateContact', path: { id: 1 } })).map((e) => e.path), [['body']]);
    assert.deepEqual(checkRequestFile(file({ operation: 'Customers_Get' })).map((e) => e.path), [['path', 'id']]);
    assert.deepEqual(checkRequestFile(file({ operation: 'Customers_Get', path: { id: 1 }, body: {} })).map((e) => e.path), [['body']]);
    const extra = checkRequestFile(file({ operation: 'Customers_Get', path: { id: 1, customerId: 2 } }));
    assert.deepEqual(extra.map((e) => e.path), [['path', 'customerId']]);
    assert.match(extra[0]?.message ?? '', /no path parameter "customerId"; its path is \/customers\/\{id\}/);
    assert.match(checkRequestFile(file({ operation: 'Customers_GetList', path: { id: 1 } }))[0]?.message ?? '', /has no path parameters/);
    assert.deepEqual(checkRequestFile(file({ operation: 'Customers_Get', path: { id: 1 } })), []);
    // The file's own problems come first, and alone.
    assert.deepEqual(checkRequestFile('{"operation": "Nope"}').map((e) => e.path), [['operation']]);
  });
});

void describe('ruleProblems', () => {
  void it("reports only the overlay's rules, which the JSON Schema cannot express", () => {
    const text = file({ operation: 'Customers_CreateContact', path: { id: 0 }, body: { type: 'Email', value: 'not an email', extra: true } });
    assert.deepEqual(ruleProblems(text), [{ path: ['body', 'value'], message: 'Enter an email address like name@example.com' }]);
    const blank = ruleProblems(file({ operation: 'Contacts_Create', body: { name: '   ' } }));
    assert.deepEqual(blank.map((e) => e.path), [['body', 'name']]);
    const nested = ruleProblems(file({ operation: 'Customers_Create', body: { name: '', locations: [{ name: 'L', address: {}, contacts: [{ type: 'Phone', value: 'abc' }] }] } }));
    assert.deepEqual(pathsOf(nested), pathsOf([{ path: ['body', 'locations', 0, 'contacts', 0, 'value'] }, { path: ['body', 'name'] }]));
    for (const quiet of [file({ operation: 'Customers_Get', path: { id: 'x' } }), file({ operation: 'Customers_CreateContact', path: { id: 1 } }), '{', file({ operation: 'Customers_CreateContact', path: { id: 1 }, body: { type: 'Fax', value: 5 } })]) {
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
    const problem = { errors: { Id: ['No customer 5.'], PageSize: ['Too many.'], 'request.Contacts[1].Value': ['Invalid phone.'], '$.type': ['Unknown type.'] } };
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
    assert.equal(text, '{\n  "operation": "Customers_CreateContact",\n  "path": {\n    "id": 5\n  },\n  "body": {\n    "type": "Phone",\n    "value": "5551234567"\n  }\n}\n');
    const parsed = parseRequestFile(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request, request);
    assert.equal(requestFileText({ operation: 'Customers_GetList', path: {}, query: {} }), '{\n  "operation": "Customers_GetList"\n}\n');
  });
});

// Every way servers and schemas spell a field, down to one list of segments.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { formatFieldPath, parseFieldPath, sameSegments, type OperationParams, type PathSegment } from '../../../src/api/fieldPath';

const SPELLINGS: [string, string | PropertyKey[], PathSegment[]][] = [
  // ASP.NET data annotations (C# property paths)
  ['ASP.NET property', 'Value', ['Value']],
  ['ASP.NET nested with index', 'Locations[0].Address.Street', ['Locations', 0, 'Address', 'Street']],
  ['ASP.NET array row', 'Contacts[1].Value', ['Contacts', 1, 'Value']],
  ['ASP.NET dictionary key', 'Data[key].X', ['Data', 'key', 'X']],
  // a leading model/binder name, stripped only when more follows
  ['binder request.', 'request.Value', ['Value']],
  ['binder model.', 'model.Name', ['Name']],
  ['binder body.', 'body.value', ['value']],
  ['binder dto.', 'dto.x', ['x']],
  ['binder input.', 'input.x', ['x']],
  ['binder before an index', 'request[0].Name', [0, 'Name']],
  ['binder before a JSON path', 'request.$.type', ['type']],
  ['a lone binder name is a field', 'request', ['request']],
  ['binder-like prefix of a longer name', 'requestId', ['requestId']],
  ['binder-like name deeper down', 'Contact.Body', ['Contact', 'Body']],
  // System.Text.Json
  ['JSON path root', '$', []],
  ['JSON path property', '$.type', ['type']],
  ['JSON path nested', '$.locations[0].address.zip', ['locations', 0, 'address', 'zip']],
  ['JSON path single-quoted', "$['odd key']", ['odd key']],
  ['JSON path double-quoted', '$["x"]', ['x']],
  ['JSON path quoted with escapes', "$['it\\'s'].a", ["it's", 'a']],
  ['JSON path root index', '$[2].name', [2, 'name']],
  ['JSON path does not strip binder names', '$.body.value', ['body', 'value']],
  // JSON Pointer (RFC 9457 errors[].pointer)
  ['pointer', '/value', ['value']],
  ['pointer with index', '/contactMethods/1/value', ['contactMethods', 1, 'value']],
  ['pointer escapes', '/a~1b/c~0d/~01', ['a/b', 'c~d', '~1']],
  ['pointer leading zero is a name', '/list/01', ['list', '01']],
  ['pointer empty key', '/', ['']],
  ['pointer fragment', '#/name', ['name']],
  ['pointer fragment with index and percent-encoding', '#/contacts/2/first%20name', ['contacts', 2, 'first name']],
  ['pointer fragment root', '#', []],
  // invalid-params[].name, dotted or pointer
  ['invalid-params dotted', 'address.zip', ['address', 'zip']],
  ['invalid-params pointer', '/address/zip', ['address', 'zip']],
  // zod
  ['zod path', ['contacts', 1, 'value'], ['contacts', 1, 'value']],
  ['zod keeps numeric strings as names', ['data', '1'], ['data', '1']],
  ['zod empty path', [], []],
  // root
  ['empty string', '', []],
];

void describe('parseFieldPath', () => {
  for (const [label, raw, segments] of SPELLINGS) {
    void it(`${label}: ${JSON.stringify(raw)}`, () => {
      assert.deepEqual(parseFieldPath(raw), { location: 'body', segments });
    });
  }

  const params: OperationParams = { path: ['id', 'contactId'], query: ['page', 'pageSize', 'sort'] };
  const LOCATIONS: [string | PropertyKey[], OperationParams | undefined, 'body' | 'path' | 'query'][] = [
    ['id', params, 'path'],
    ['ContactId', params, 'path'],
    ['/contactId', params, 'path'],
    ['Page', params, 'query'],
    ['PageSize', params, 'query'],
    ['Sort', params, 'query'],
    [['pageSize'], params, 'query'],
    ['page', { query: ['page'] }, 'query'],
    ['Value', params, 'body'],
    ['id', undefined, 'body'],
    ['id', {}, 'body'],
    // Only a single segment names a parameter; deeper paths are inside the body.
    ['Contacts[0].Id', params, 'body'],
    ['id.x', params, 'body'],
    // System.Text.Json only ever describes the body.
    ['$.id', params, 'body'],
    ['', params, 'body'],
  ];
  for (const [raw, given, location] of LOCATIONS) {
    void it(`${JSON.stringify(raw)} with ${JSON.stringify(given)} is in the ${location}`, () => {
      assert.equal(parseFieldPath(raw, given).location, location);
    });
  }

  void it('keeps the spelling as given', () => {
    assert.deepEqual(parseFieldPath('PageSize', params).segments, ['PageSize']);
  });
});

void describe('formatFieldPath and sameSegments', () => {
  const FORMATS: [PathSegment[], string][] = [
    [[], ''],
    [['contactMethods', 1, 'value'], 'contactMethods[1].value'],
    [[0, 'name'], '[0].name'],
    [['odd key', "it's"], "['odd key']['it\\'s']"],
    [['data', '1'], "data['1']"],
    [['request', 'x'], "['request'].x"],
    [['request'], 'request'],
  ];
  for (const [segments, text] of FORMATS) {
    void it(`formats ${JSON.stringify(segments)} as ${text}`, () => {
      assert.equal(formatFieldPath(segments), text);
      assert.deepEqual(parseFieldPath(text).segments, segments);
    });
  }

  void it('compares names case-insensitively and indexes exactly', () => {
    assert.ok(sameSegments(['Contacts', 1, 'Value'], ['contacts', 1, 'value']));
    assert.ok(sameSegments([], []));
    assert.ok(sameSegments(['list', 1], ['list', '1']), 'a pointer cannot tell an index from its decimal name');
    assert.ok(!sameSegments(['contacts', 1, 'value'], ['contacts', 0, 'value']));
    assert.ok(!sameSegments(['contacts'], ['contacts', 0]));
    assert.ok(!sameSegments(['value'], ['values']));
  });
});

void describe('field path properties', () => {
  const BINDERS = new Set(['request', 'model', 'body', 'dto', 'input']);
  // Binder names are ambiguous at the start of an ASP.NET key, so the generator leaves them out.
  const name = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/).filter((n) => !BINDERS.has(n.toLowerCase()));
  const segments = fc.array(fc.oneof(name, fc.nat({ max: 20 })), { maxLength: 6 });

  const pascal = (n: string): string => n[0]?.toUpperCase() + n.slice(1);
  const aspNet = (path: readonly PathSegment[]): string =>
    path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${pascal(s)}`)).join('');
  const jsonPath = (path: readonly PathSegment[]): string => `$${path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
  const pointer = (path: readonly PathSegment[]): string => path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

  void it('every spelling of a path parses to the same segments', () => {
    fc.assert(
      fc.property(segments, (path) => {
        for (const raw of [aspNet(path), jsonPath(path), pointer(path), `#${pointer(path)}`, path]) {
          const parsed = parseFieldPath(raw).segments;
          assert.ok(sameSegments(parsed, path), `${JSON.stringify(raw)} gave ${JSON.stringify(parsed)}`);
        }
      }),
    );
  });

  void it('formatFieldPath round-trips through parseFieldPath, whatever the names', () => {
    const anyName = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.oneof(anyName, fc.nat({ max: 1000 })), { maxLength: 6 }), (path) => {
        assert.deepEqual(parseFieldPath(formatFieldPath(path)).segments, path);
      }),
    );
  });

  void it('pointers round-trip any name that is not an index', () => {
    const notIndex = fc.string({ maxLength: 8 }).filter((s) => !/^(?:0|[1-9]\d*)$/.test(s));
    fc.assert(
      fc.property(fc.array(fc.oneof(notIndex, fc.nat({ max: 1000 })), { maxLength: 6 }), (path) => {
        assert.deepEqual(parseFieldPath(pointer(path)).segments, path);
      }),
    );
  });
});

// Field paths to character ranges of a JSON (with comments) document.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import type { PathSegment } from '../../../src/api/fieldPath';
import { locateJsonPath, type JsonRange } from '../../../src/diagnostics/jsonLocation';

const BODY = {
  name: 'Kelly',
  address: { street: '1 Main St', zip: '62701' },
  contactMethods: [
    { type: 'Email', value: 'a@example.com' },
    { type: 'Phone', value: '555' },
  ],
};
const PRETTY = JSON.stringify(BODY, null, 2);
const COMPACT = JSON.stringify(BODY);

function slice(text: string, range: JsonRange | undefined): string | undefined {
  return range && text.slice(range.offset, range.offset + range.length);
}

function at(
  text: string,
  segments: readonly PathSegment[],
  root?: readonly PathSegment[],
): { value?: string; target?: string; exact?: boolean; matched?: number } {
  const found = locateJsonPath(text, segments, root ? { root } : undefined);
  return { value: slice(text, found?.value), target: slice(text, found?.target), exact: found?.exact, matched: found?.matched };
}

void describe('locateJsonPath', () => {
  for (const [label, text] of [
    ['pretty', PRETTY],
    ['compact', COMPACT],
  ] as const) {
    void it(`finds values in ${label} JSON`, () => {
      assert.deepEqual(at(text, ['name']), { value: '"Kelly"', target: '"Kelly"', exact: true, matched: 1 });
      assert.equal(at(text, ['address', 'zip']).value, '"62701"');
      assert.deepEqual(JSON.parse(at(text, ['address']).value ?? ''), BODY.address);
      assert.deepEqual(JSON.parse(at(text, []).value ?? ''), BODY);
    });

    void it(`keeps array rows apart in ${label} JSON`, () => {
      assert.deepEqual(at(text, ['contactMethods', 1, 'value']), { value: '"555"', target: '"555"', exact: true, matched: 3 });
      assert.equal(at(text, ['contactMethods', 0, 'value']).value, '"a@example.com"');
      assert.equal(at(text, ['contactMethods', '1', 'type']).value, '"Phone"', 'a pointer index arrives as a number or a string');
    });

    void it(`puts a missing property on its parent's key in ${label} JSON`, () => {
      assert.deepEqual(at(text, ['address', 'city']), { value: undefined, target: '"address"', exact: false, matched: 1 });
      assert.deepEqual(at(text, ['address', 'city', 'x']).target, '"address"');
      // Below a scalar there is nothing: the scalar's key is the spot.
      assert.deepEqual(at(text, ['name', 'first']), { value: undefined, target: '"name"', exact: false, matched: 1 });
    });
  }

  void it('marks a missing field of an array row on that row, not on row 0', () => {
    const found = locateJsonPath(PRETTY, ['contactMethods', 1, 'memo']);
    assert.ok(found);
    assert.equal(found.exact, false);
    assert.equal(found.matched, 2);
    const row1 = locateJsonPath(PRETTY, ['contactMethods', 1])?.value;
    assert.ok(row1);
    assert.deepEqual(found.target, { offset: row1.offset, length: 1 });
    assert.equal(slice(PRETTY, found.target), '{');
    assert.ok(found.target.offset > PRETTY.indexOf('a@example.com'));
    // A row that does not exist: the list's key.
    assert.deepEqual(at(PRETTY, ['contactMethods', 5, 'value']), { value: undefined, target: '"contactMethods"', exact: false, matched: 1 });
  });

  void it('marks the root value when not even the first segment exists', () => {
    assert.deepEqual(at(COMPACT, ['nope']), { value: undefined, target: COMPACT, exact: false, matched: 0 });
    assert.deepEqual(at('[1, 2]', ['x']), { value: undefined, target: '[1, 2]', exact: false, matched: 0 });
  });

  void it('matches names case-insensitively, preferring the exact case', () => {
    assert.equal(at(COMPACT, ['Name']).value, '"Kelly"');
    assert.equal(at(COMPACT, ['ContactMethods', 1, 'Value']).value, '"555"');
    const both = '{"value": 1, "Value": 2}';
    assert.equal(at(both, ['Value']).value, '2');
    assert.equal(at(both, ['value']).value, '1');
    assert.equal(at(both, ['VALUE']).value, '2', 'without an exact match the last loose one wins, as JSON.parse would keep');
  });

  void it('reads JSON with comments and trailing commas', () => {
    const text = `{
  // the contact
  "name": "Kelly", /* inline */
  "contactMethods": [
    { "type": "Email", "value": "a@example.com", },
    // second row
    { "type": "Phone", "value": "555", },
  ],
}`;
    assert.equal(at(text, ['contactMethods', 1, 'value']).value, '"555"');
    assert.equal(at(text, ['name']).value, '"Kelly"');
    assert.equal(at(text, ['contactMethods', 1, 'memo']).target, '{');
  });

  void it('walks the root prefix first', () => {
    const file = JSON.stringify({ method: 'POST', url: '/contacts', body: { Name: 'x', name: 'y', contacts: [{ value: 'a' }] } }, null, 2);
    assert.deepEqual(at(file, ['contacts', 0, 'value'], ['body']), { value: '"a"', target: '"a"', exact: true, matched: 3 });
    assert.equal(at(file, ['name'], ['body']).value, '"y"');
    assert.deepEqual(JSON.parse(at(file, [], ['body']).value ?? ''), { Name: 'x', name: 'y', contacts: [{ value: 'a' }] });
    // A missing top-level field of the body is reported on the body's key.
    assert.deepEqual(at(file, ['title'], ['body']), { value: undefined, target: '"body"', exact: false, matched: 0 });
    // No body at all: the whole document.
    assert.deepEqual(at('{"method": "GET"}', ['name'], ['body']), { value: undefined, target: '{"method": "GET"}', exact: false, matched: 0 });
  });

  void it('reports a key without a value on the key', () => {
    assert.deepEqual(at('{"a": {"b": }}', ['a', 'b']), { value: undefined, target: '"b"', exact: false, matched: 1 });
  });

  void it('gives undefined only when there is no JSON value at all', () => {
    assert.equal(locateJsonPath('', ['a']), undefined);
    assert.equal(locateJsonPath('  // only a comment\n', []), undefined);
    assert.ok(locateJsonPath('{', ['a']));
  });

  void it('the value range of any existing path parses back to the value there', () => {
    const valueAndPath = fc
      .jsonValue({ maxDepth: 4 })
      .chain((value) => fc.array(fc.nat(), { maxLength: 5 }).map((picks) => ({ value, ...walk(value, picks) })));
    fc.assert(
      fc.property(valueAndPath, ({ value, path, expected }) => {
        const text = JSON.stringify(value, null, 2);
        const found = locateJsonPath(text, path);
        assert.ok(found?.value, `no value at ${JSON.stringify(path)}`);
        assert.equal(found.exact, true);
        assert.equal(found.matched, path.length);
        const parsed: unknown = JSON.parse(slice(text, found.value) ?? '');
        // Through JSON once, as -0 comes back as 0.
        assert.deepEqual(parsed, JSON.parse(JSON.stringify(expected)));
      }),
    );
  });
});

/** A path into `value` chosen by `picks` (each picks a child, modulo the number of children). */
function walk(value: unknown, picks: readonly number[]): { path: PathSegment[]; expected: unknown } {
  const path: PathSegment[] = [];
  let here = value;
  for (const pick of picks) {
    if (Array.isArray(here)) {
      if (here.length === 0) break;
      const index = pick % here.length;
      path.push(index);
      here = (here as unknown[])[index];
    } else if (typeof here === 'object' && here !== null) {
      const entries = Object.entries(here);
      const entry = entries[pick % Math.max(1, entries.length)];
      if (!entry) break;
      // Exact case wins, so a twin key spelled in another case does not get in the way.
      path.push(entry[0]);
      here = entry[1];
    } else {
      break;
    }
  }
  return { path, expected: here };
}

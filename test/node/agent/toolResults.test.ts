// Tool results (src/agent/toolResults.ts): any JSON comes back bounded (clipped texts, cut lists
// and nesting, each cut said with its path), keys such as `__proto__` stay data, and the texts are
// redacted with the connection's secrets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { boundJson, inputField, problemResult, resultTexts } from '../../../src/agent/toolResults';

void describe('tool results', () => {
  void it('any JSON value comes back as valid JSON within the bound', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 200, max: 5_000 }), (value, max) => {
        const { json } = boundJson(value, max);
        assert.ok(json.length <= max, `${json.length} > ${max}`);
        JSON.parse(json);
      }),
      { numRuns: 300 },
    );
  });

  void it('a long page is cut to fit, with a note naming the list and how many were kept', () => {
    const page = { page: 1, hasMore: true, data: Array.from({ length: 500 }, (_, id) => ({ id, name: `Customer ${id}`, notes: 'x'.repeat(100) })) };
    const { json, notes } = boundJson(page, 10_000);
    const parsed = JSON.parse(json) as { data: { id: number }[]; hasMore: boolean };
    assert.ok(json.length <= 10_000);
    assert.equal(parsed.hasMore, true);
    assert.deepEqual(
      parsed.data.map((row) => row.id),
      Array.from({ length: parsed.data.length }, (_, id) => id),
      'the first rows, in order',
    );
    assert.deepEqual(notes, [`$.data: showing the first ${parsed.data.length} of 500 items (cut to fit); ask for fewer, e.g. a smaller pageSize.`]);
  });

  void it('clips long texts, cuts deep nesting, and keeps __proto__ and constructor keys as data', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const value = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "long": "' + 'y'.repeat(5_000) + '"}') as Record<string, unknown>;
    value.deep = deep;
    const { json, notes } = boundJson(value);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(parsed, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(parsed.constructor, 1);
    assert.match(String(parsed.long), /^y{2000}… \(3000 more characters\)$/);
    assert.ok(notes.some((note) => note.endsWith('nested too deep to show.')));
  });

  void it('names fields as the tool input does', () => {
    assert.equal(inputField({ field: 'value', message: '', location: 'body', path: ['value'] }), 'body.value');
    assert.equal(inputField({ field: 'id', message: '', location: 'path', path: ['id'] }), 'path.id');
    assert.equal(inputField({ field: 'page', message: '', location: 'query', path: ['page'] }), 'query.page');
    assert.equal(inputField({ field: 'value', message: '', location: 'body', path: ['value'] }, ['contactMethods', 1]), 'contactMethods[1].value');
    assert.equal(inputField({ field: 'name', message: '', location: 'body', path: ['name'] }, []), 'name');
  });

  void it('ends a problem title with one period', () => {
    const result = problemResult('POST Contacts_Create', 400, { title: 'One or more validation errors occurred.', status: 400, errors: {} });
    assert.match(result.text, /: One or more validation errors occurred\.$/m);
    assert.match(problemResult('GET X', 404, { title: 'Not found', status: 404, errors: {} }).text, /: Not found\.$/m);
  });

  void it('redacts the secrets from both texts', () => {
    const texts = resultTexts({ text: 'token s3cr3t-token', data: { echo: 's3cr3t-token' } }, ['s3cr3t-token']);
    assert.deepEqual(texts, ['token [REDACTED]', '{"echo":"[REDACTED]"}']);
  });
});

// The form protocol's schemas as the page's keys reach them: row ids named like Object.prototype
// members are plain data (kept, or refused with what to fix, never looked up on the prototype),
// and the page's saved state names its form by the host's id, never a record.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  createdMethodId,
  EMPTY_PROGRESS,
  fromWebviewSchema,
  pageStateSchema,
  parseMessage,
  progressSchema,
  toWebviewSchema,
} from '../../../src/forms/page/protocol';

/** Every name Object.prototype has, `__proto__` and `constructor` among them. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
/** Those a row id may be (a letter first, as every key the protocol takes). */
const ROW_ID = /^[A-Za-z][\w-]{0,63}$/;
const ROW_NAMES = PROTOTYPE_NAMES.filter((name) => ROW_ID.test(name));

/** A message as it arrives from a page: JSON, so `__proto__` is an own key like any other. */
const fromJson = (text: string): unknown => JSON.parse(text);
const row = (id: string): { id: string; fields: Record<string, string> } => ({ id, fields: { type: 'Email', value: `${id}@example.com`, memo: '' } });
const FORM_ID = 'AbCdEfGhIjKlMnOpQrStUvWx';

void describe('form protocol: keys a page chooses', () => {
  void test('the names tried include constructor, toString and __proto__', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) assert.ok(ROW_NAMES.includes(name), name);
    assert.ok(PROTOTYPE_NAMES.includes('__proto__'));
  });

  void test('rows named after Object.prototype members are kept as sent; `__proto__` and the like are refused with what to fix', () => {
    for (const name of PROTOTYPE_NAMES) {
      const raw = fromJson(JSON.stringify({ type: 'changed', values: { fields: { name: 'Proto' }, rows: [row(name)] } }));
      const parsed = parseMessage(fromWebviewSchema, raw);
      if (ROW_ID.test(name)) {
        assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.why}`);
        assert.equal(parsed.message.type, 'changed');
        if (parsed.message.type === 'changed') assert.deepEqual(parsed.message.values.rows, [row(name)]);
      } else {
        assert.deepEqual(parsed, { ok: false, why: 'values.rows.0.id: a field key' }, name);
      }
    }
  });

  void test('no row has a contact method because of its name: only the progress the host sent counts', () => {
    for (const name of ROW_NAMES) assert.equal(createdMethodId(EMPTY_PROGRESS, name), undefined, name);
    const init = fromJson(
      JSON.stringify({
        type: 'init',
        form: { kind: 'createContact', formId: FORM_ID, title: 'New Contact', profile: 'Profile test', production: false },
        values: { fields: { name: 'Proto' }, rows: ROW_NAMES.map(row) },
        progress: { linked: true, methods: { toString: 'method-1', constructor: 'method-2' } },
      }),
    );
    const parsed = parseMessage(toWebviewSchema, init);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.why);
    assert.equal(parsed.message.type, 'init');
    if (parsed.message.type !== 'init') return;
    const { progress } = parsed.message;
    const created = Object.fromEntries(
      ROW_NAMES.flatMap((name): [string, string][] => {
        const id = createdMethodId(progress, name);
        return id === undefined ? [] : [[name, id]];
      }),
    );
    assert.deepEqual(created, { toString: 'method-1', constructor: 'method-2' });
  });

  void test('a row has exactly the contact method the progress names for it (property)', () => {
    const rowId = fc.oneof(fc.constantFrom(...ROW_NAMES), fc.stringMatching(/^[A-Za-z][\w-]{0,10}$/));
    fc.assert(
      fc.property(fc.array(fc.tuple(rowId, fc.stringMatching(/^[a-f0-9-]{1,36}$/)), { maxLength: 8 }), rowId, (entries, probe) => {
        // Through JSON and the schema, as a draft or an init brings it.
        const progress = progressSchema.parse(fromJson(JSON.stringify({ linked: false, methods: Object.fromEntries(entries) })));
        const expected = entries.filter(([id]) => id === probe).at(-1)?.[1];
        assert.equal(createdMethodId(progress, probe), expected);
      }),
      { numRuns: 300 },
    );
  });

  void test('a `__proto__` key among the fields is dropped as data: nothing is polluted', () => {
    const parsed = parseMessage(fromWebviewSchema, fromJson('{"type":"changed","values":{"fields":{"__proto__":{"polluted":"yes"},"name":"x"},"rows":[]}}'));
    assert.ok(parsed.ok);
    if (parsed.message.type !== 'changed') return assert.fail('a changed message');
    assert.deepEqual(Object.keys(parsed.message.values.fields), ['name']);
    assert.equal(Object.getPrototypeOf(parsed.message.values.fields), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

void describe('form protocol: the page state', () => {
  const values = { fields: { value: 'typed' }, rows: [] };

  void test('names the form by the id the host gave it, with what was typed', () => {
    assert.deepEqual(pageStateSchema.parse({ formId: FORM_ID, values }), { formId: FORM_ID, values });
  });

  void test('a state that names a record (as older pages saved it), or no usable id, is refused', () => {
    const target = { kind: 'editContact', profileId: 'p1', contactId: '3f2b6c1e-8a4d-4e7b-9c0a-1d2e3f4a5b6c' };
    for (const state of [
      { target, values },
      { formId: FORM_ID, target, values },
      { formId: 'short', values },
      { formId: '../../../etc/passwd-xxxxxxxxx', values },
      { values },
      undefined,
    ]) {
      assert.equal(pageStateSchema.safeParse(state).success, false, JSON.stringify(state));
    }
  });

  void test('the page is never told which record it is for, so it cannot save one', () => {
    const init = {
      type: 'init',
      form: { kind: 'editContact', formId: FORM_ID, title: 't', profile: 'p', production: false, target: {} },
      values,
      progress: EMPTY_PROGRESS,
    };
    const parsed = parseMessage(toWebviewSchema, init);
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.why, /form/);
  });
});

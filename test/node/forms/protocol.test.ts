// The form protocol's schemas: the page's saved state names its form by the host's id, never a record.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMPTY_PROGRESS, pageStateSchema, parseMessage, toWebviewSchema } from '../../../src/forms/protocol';

const FORM_ID = 'AbCdEfGhIjKlMnOpQrStUvWx';

void describe('form protocol: the page state', () => {
  const values = { fields: { value: 'typed' }, rows: [] };

  void test('names the form by the id the host gave it, with what was typed', () => {
    assert.deepEqual(pageStateSchema.parse({ formId: FORM_ID, values }), { formId: FORM_ID, values });
  });

  void test('a state that names a record (as older pages saved it), or no usable id, is refused', () => {
    const target = { kind: 'editContact', profileId: 'p1', contactId: '3f2b6c1e-8a4d-4e7b-9c0a-1d2e3f4a5b6c' };
    for (const state of [{ target, values }, { formId: FORM_ID, target, values }, { formId: 'short', values }, { formId: '../../../etc/passwd-xxxxxxxxx', values }, { values }, undefined]) {
      assert.equal(pageStateSchema.safeParse(state).success, false, JSON.stringify(state));
    }
  });

  void test('the page is never told which record it is for, so it cannot save one', () => {
    const init = { type: 'init', form: { kind: 'editContact', formId: FORM_ID, title: 't', profile: 'p', production: false, target: {} }, values, progress: EMPTY_PROGRESS };
    const parsed = parseMessage(toWebviewSchema, init);
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.why, /form/);
  });
});

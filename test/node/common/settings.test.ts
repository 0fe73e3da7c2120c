// The settings table in src/common/settings.ts against package.json `contributes.configuration`:
// every key, type, default, minimum, maximum and choice list must be the same in both.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { choiceSetting, numberSetting, SETTINGS, settingKey, type SettingName } from '../../../src/common/settings';

const ROOT = path.resolve(__dirname, '../../../..');
const FIELDS = ['type', 'default', 'minimum', 'maximum', 'enum'] as const;

interface Contributed {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
}

function contributed(): Record<string, Record<string, unknown>> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Contributed;
  return manifest.contributes.configuration.properties;
}

/** The fields both sides must agree on; a field one side leaves out is undefined. */
function declared(spec: object): Record<string, unknown> {
  const fields = new Map(Object.entries(spec));
  return Object.fromEntries(FIELDS.map((field) => [field, fields.get(field)]));
}

void describe('settings', () => {
  void test('package.json declares exactly the table: same keys, types, defaults, ranges and choices', () => {
    const properties = contributed();
    const names = Object.keys(SETTINGS) as SettingName[];
    assert.deepEqual(Object.keys(properties).sort(), names.map(settingKey).sort(), 'the same setting keys');
    for (const name of names) {
      const property = properties[settingKey(name)];
      assert.ok(property, settingKey(name));
      assert.deepEqual(declared(property), declared(SETTINGS[name]), settingKey(name));
    }
  });

  void test('numbers: the default when unset or not a number, whole and within range otherwise', () => {
    assert.equal(numberSetting('pageSize', undefined), 50);
    assert.equal(numberSetting('pageSize', 250), 250);
    assert.equal(numberSetting('pageSize', 0), 1);
    assert.equal(numberSetting('pageSize', 10_000), 5000);
    assert.equal(numberSetting('pageSize', 12.6), 13);
    assert.equal(numberSetting('requestTimeoutSeconds', 601), 600);
    assert.equal(numberSetting('rateLimitPerSecond', 120), 60);
    for (const junk of [Number.NaN, Number.POSITIVE_INFINITY, '100', null, {}]) assert.equal(numberSetting('pageSize', junk), 50, JSON.stringify(junk));
  });

  void test('choices: one of them, else the default', () => {
    assert.equal(choiceSetting('createWith', 'quickInput'), 'quickInput');
    assert.equal(choiceSetting('createWith', 'form'), 'form');
    for (const junk of [undefined, 'QuickInput', 'constructor', '__proto__', 1, null]) assert.equal(choiceSetting('createWith', junk), 'form', String(junk));
  });
});

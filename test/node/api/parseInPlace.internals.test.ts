// parseInPlace reads zod's internals (`_zod.def`, `_zod.traits`, `_zod.optin`, check objects),
// which zod does not promise to keep. This walks every schema the operation table can hand it
// (responses, items, queries, bodies, path values) and fails on anything it was not written for:
// a zod version other than the pinned one, an internal it reads that is missing or changed, or a
// kind of schema it has never met. The upgrade steps are in src/api/parseInPlace.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type * as z from 'zod';
import { CRM_OPERATION_LIST } from '../../../src/api/schemas/operations';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Kinds parseInPlace checks itself (src/api/parseInPlace.ts: baseTest, build, array, object). */
const MODELLED = new Set(['string', 'number', 'boolean', 'null', 'undefined', 'unknown', 'any', 'enum', 'literal', 'optional', 'nullable', 'array', 'object']);
/**
 * Kinds the table holds that parseInPlace hands to zod as they are (viaZod): safe whatever they
 * do, but a new kind here means a look at whether it should be modelled (and at its cost).
 */
const HANDED_TO_ZOD = new Set([
  'union',
  'pipe',
  'transform',
  'default',
  'record',
  'int',
  'date',
  'custom',
  'never',
  'lazy',
  'intersection',
  'catch',
  'prefault',
]);

type Internal = z.core.$ZodType & {
  _zod: { def: Record<string, unknown> & { type: string; checks?: unknown[] }; traits: unknown; optin?: unknown; optout?: unknown; values?: unknown };
};

function isSchema(value: unknown): value is Internal {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof value._zod === 'object';
}

/** Every schema reachable from `roots`, each once. */
function reachable(roots: readonly unknown[]): Internal[] {
  const seen = new Set<Internal>();
  const stack = roots.filter(isSchema);
  for (let schema = stack.pop(); schema !== undefined; schema = stack.pop()) {
    if (seen.has(schema)) continue;
    seen.add(schema);
    const def = schema._zod.def;
    const children: unknown[] = [def.innerType, def.element, def.catchall, def.in, def.out, def.keyType, def.valueType, def.left, def.right];
    const options: unknown = def.options;
    if (Array.isArray(options)) for (const option of options as unknown[]) children.push(option);
    const shape: unknown = def.shape;
    if (typeof shape === 'object' && shape !== null) for (const field of Object.values(shape as Record<string, unknown>)) children.push(field);
    if (typeof def.getter === 'function') children.push((def.getter as () => unknown)());
    for (const child of children) if (isSchema(child)) stack.push(child);
  }
  return [...seen];
}

const schemas = reachable(
  CRM_OPERATION_LIST.flatMap((op) => {
    const withItem = op as { item?: { schema: unknown }; body?: { schema: unknown } };
    return [op.response.schema, withItem.item?.schema, withItem.body?.schema, op.query, ...Object.values(op.pathParams)];
  }),
);

void describe('parseInPlace and the zod internals it reads', () => {
  void it('runs on exactly the zod version package.json pins (no range: an upgrade is a decision)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const pinned = manifest.dependencies.zod ?? '';
    assert.match(pinned, /^\d+\.\d+\.\d+$/, `zod is "${pinned}" in package.json: pin it exactly (see src/api/parseInPlace.ts)`);
    const installed = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'zod', 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(installed, pinned, 'the installed zod is the pinned one');
  });

  void it('meets only kinds of schema it models or knowingly hands to zod', () => {
    assert.ok(schemas.length > 300, `walked ${schemas.length} schemas`);
    const kinds = new Set<string>(schemas.map((schema) => schema._zod.def.type));
    const unknown = [...kinds].filter((kind) => !MODELLED.has(kind) && !HANDED_TO_ZOD.has(kind));
    assert.deepEqual(unknown, [], 'a kind of schema parseInPlace has never met: decide whether to model it, then list it above');
    for (const kind of ['object', 'array', 'string', 'number', 'optional', 'nullable', 'enum']) assert.ok(kinds.has(kind), `the table has ${kind} schemas`);
  });

  void it('finds every internal it reads, in the shape it reads it', () => {
    for (const schema of schemas) {
      const { def, traits, optin, optout, values } = schema._zod;
      const where = `a ${def.type} schema`;
      assert.equal(typeof def.type, 'string', where);
      assert.ok(traits instanceof Set, `${where}: _zod.traits is a Set`);
      assert.ok(optin === undefined || optin === 'optional' || optin === 'defaulted', `${where}: _zod.optin ${String(optin)}`);
      assert.ok(optout === undefined || optout === 'optional', `${where}: _zod.optout ${String(optout)}`);
      for (const check of def.checks ?? []) {
        const internals = (check as { _zod?: { def?: { check?: unknown; when?: unknown }; check?: unknown } })._zod;
        assert.equal(typeof internals?.def?.check, 'string', `${where}: a check names its kind in _zod.def.check`);
        assert.equal(typeof internals?.check, 'function', `${where}: a check runs through _zod.check`);
        assert.ok(internals?.def?.when === undefined || typeof internals.def.when === 'function', `${where}: _zod.def.when`);
      }
      switch (def.type) {
        case 'optional':
        case 'nullable':
          assert.ok(isSchema(def.innerType), `${where}: def.innerType`);
          break;
        case 'array':
          assert.ok(isSchema(def.element), `${where}: def.element`);
          break;
        case 'object':
          assert.ok(typeof def.shape === 'object' && def.shape !== null, `${where}: def.shape`);
          assert.ok(def.catchall === undefined || isSchema(def.catchall), `${where}: def.catchall`);
          break;
        case 'enum':
        case 'literal':
          assert.ok(values instanceof Set, `${where}: _zod.values is a Set`);
          break;
        case 'string':
        case 'number':
        case 'boolean':
          assert.ok(def.coerce === undefined || typeof def.coerce === 'boolean', `${where}: def.coerce`);
          break;
      }
    }
  });
});

// parseInPlace against zod itself: on the sandbox's real answers (over loopback HTTP) and
// thousands of broken variants of them, and on schemas built to hit every kind it hands to zod.
// Each case must give zod's verdict, zod's value when it passes, and zod's issues when it fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as z from 'zod';
import { validateQuery, type CallInput } from '../../../src/api/client';
import { parseInPlace } from '../../../src/api/parseInPlace';
import { CRM_OPERATIONS, type CrmOperationId } from '../../../src/api/schemas';
import { validateRequest } from '../../../src/api/schemas/common';
import { startClientFixture, type ClientFixture } from './operationsHarness';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Both ways on copies of `value` (parseInPlace may write into its own). */
function assertSameAsZod(schema: z.ZodType, value: unknown, label: string): boolean {
  const expected = schema.safeParse(structuredClone(value));
  const input = structuredClone(value);
  const untouched = structuredClone(value);
  const actual = parseInPlace(schema, input);
  assert.equal(actual.success, expected.success, `${label}: verdict`);
  if (actual.success && expected.success) {
    assert.deepStrictEqual(actual.data, expected.data, `${label}: value`);
  } else {
    assert.deepStrictEqual(actual.error?.issues, expected.error?.issues, `${label}: issues`);
    assert.deepStrictEqual(input, untouched, `${label}: a failed check leaves the value as it was`);
  }
  return expected.success;
}

/** Every place in a JSON value, as the path of keys and indexes that leads there. */
function placesOf(value: Json, path: (string | number)[] = []): (string | number)[][] {
  const out = [path];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...placesOf(item, [...path, index])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...placesOf(item, [...path, key]));
  return out;
}

const REPLACEMENTS: Json[] = [null, '', 'text', 0, 1.5, -3, 2 ** 60, true, {}, [], '2024-13-45T00:00:00Z', '2024-05-01T09:00:00.1234567', 'Residential'];

/** `value` with one change at `path`: replaced, removed, or with an extra key beside it. */
function variants(value: Json, path: (string | number)[]): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = [];
  const at = (root: Json): { parent: Json; key: string | number } | undefined => {
    if (path.length === 0) return undefined;
    let parent = root;
    for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step] as Json;
    return { parent, key: path[path.length - 1] as string | number };
  };
  for (const replacement of REPLACEMENTS) {
    const copy = structuredClone(value);
    const place = at(copy);
    if (!place) out.push({ label: `whole → ${JSON.stringify(replacement)}`, value: replacement });
    else (place.parent as Record<string | number, Json>)[place.key] = replacement;
    if (place) out.push({ label: `${path.join('.')} → ${JSON.stringify(replacement)}`, value: copy });
  }
  const removed = structuredClone(value);
  const place = at(removed);
  if (place && Array.isArray(place.parent)) place.parent.splice(Number(place.key), 1);
  else if (place) delete (place.parent as Record<string, Json>)[place.key];
  if (place) out.push({ label: `${path.join('.')} removed`, value: removed });
  const target = path.reduce<Json>((node, step) => (node as Record<string | number, Json>)[step] as Json, value);
  if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
    // JSON.parse, like a server's answer, makes "__proto__" an own key.
    const text = JSON.stringify(value);
    const withExtra = JSON.parse(text) as Json;
    const node = path.reduce<Json>((n, step) => (n as Record<string | number, Json>)[step] as Json, withExtra) as Record<string, Json>;
    node.addedLater = 'x';
    out.push({ label: `${path.join('.')} + addedLater`, value: withExtra });
    const json = JSON.stringify(target);
    const proto = JSON.parse(json === '{}' ? '{"__proto__":{"x":1}}' : json.replace(/^\{/, '{"__proto__":{"x":1},')) as Json;
    const withProto = structuredClone(value);
    const protoPlace = at(withProto);
    if (protoPlace) (protoPlace.parent as Record<string | number, Json>)[protoPlace.key] = proto;
    out.push({ label: `${path.join('.')} + own __proto__`, value: protoPlace ? withProto : proto });
  }
  return out;
}

void describe('parseInPlace gives what zod gives', () => {
  let fx: ClientFixture;
  const answers: { operationId: CrmOperationId; json: Json }[] = [];

  before(async () => {
    fx = await startClientFixture(12);
    const customer = (await fx.client.listCustomers({ page: 1, pageSize: 1 })).data[0];
    assert.ok(customer);
    const location = (await fx.client.listLocations({ customerId: customer.id, pageSize: 1 })).data[0];
    assert.ok(location);
    const person = await fx.client.createContact({ name: 'Pat In Place' });
    await fx.client.createContactMethod(person.id, { type: 'Email', value: 'pat@example.com' });
    const calls: { [K in CrmOperationId]?: CallInput<K> } = {
      Customers_GetList: { query: { page: 1, pageSize: 2, includeTotal: true } },
      Customers_Get: { path: { id: customer.id } },
      Customers_GetContactList: { path: { id: customer.id } },
      Locations_GetList: { query: { pageSize: 2 } },
      Locations_Get: { path: { id: location.id } },
      Locations_GetContactList: { path: { id: location.id } },
      Contacts_GetList: { query: { pageSize: 2 } },
      ContactMethods_GetContactMethods: { path: { contactId: person.id } },
    };
    for (const [operationId, input] of Object.entries(calls) as [CrmOperationId, CallInput<CrmOperationId>][]) {
      const raw = await fx.client.callRaw(operationId, input);
      assert.equal(raw.status, 200, `${operationId}: ${raw.text}`);
      answers.push({ operationId, json: raw.json as Json });
    }
  });
  after(() => fx.close());

  void it("on the sandbox's answers, and on every one-change variant of them", () => {
    let passed = 0;
    let failed = 0;
    for (const { operationId, json } of answers) {
      const schema = CRM_OPERATIONS[operationId].response.schema as z.ZodType;
      assert.ok(assertSameAsZod(schema, json, `${operationId} as sent`), `${operationId}: the sandbox's answer fits`);
      for (const path of placesOf(json)) {
        for (const variant of variants(json, path)) {
          if (assertSameAsZod(schema, variant.value, `${operationId} ${variant.label}`)) passed++;
          else failed++;
        }
      }
    }
    // Both verdicts were exercised, many times.
    assert.ok(passed > 100 && failed > 1000, `${passed} passed, ${failed} failed`);
  });

  void it("a query is checked on a copy: the caller's object and its lists are left alone", async () => {
    const [first, second] = (await fx.client.listCustomers({ pageSize: 2 })).data;
    assert.ok(first && second);
    const ids = [second.id, first.id];
    const query = { ids, pageSize: 5 };
    const page = await fx.client.listCustomers(query);
    assert.deepEqual(page.data.map((customer) => customer.id).sort(), [first.id, second.id].sort());
    assert.deepStrictEqual(query, { ids: [second.id, first.id], pageSize: 5 });
    assert.equal(query.ids, ids);
  });

  void it('a query that does not fit gets the same field errors as validateRequest gives', () => {
    const schema = CRM_OPERATIONS.Customers_GetList.query;
    for (const query of [
      { page: 0 },
      { pageSize: 6000, bogus: 1 },
      { ids: 'a,b' },
      { ids: [], sort: 'Name' },
      { createdBefore: 'yesterday', active: 'Maybe' },
    ]) {
      const checked = validateQuery(schema, query);
      assert.equal(checked.ok, false, JSON.stringify(query));
      assert.deepStrictEqual(checked, validateRequest(schema, query), JSON.stringify(query));
    }
    assert.deepStrictEqual(validateQuery(schema, { ids: '1, 2', page: 2 }), validateRequest(schema, { ids: '1, 2', page: 2 }));
  });

  void it('checks in place: for every answer the value that passed is the value returned', () => {
    for (const { operationId, json } of answers) {
      const value = structuredClone(json);
      const result = parseInPlace(CRM_OPERATIONS[operationId].response.schema as z.ZodType, value);
      assert.ok(result.success, operationId);
      assert.equal(result.data, value, `${operationId}: not copied`);
    }
  });
});

void describe('parseInPlace hands zod what it does not model', () => {
  const cases: [string, z.ZodType, unknown[]][] = [
    [
      'a transform inside (null total → undefined)',
      z.looseObject({
        total: z
          .number()
          .nullish()
          .transform((v) => v ?? undefined),
        n: z.number(),
      }),
      [{ total: null, n: 1 }, { n: 1 }, { total: 3, n: 'x' }],
    ],
    ['a default for an absent key', z.looseObject({ a: z.string().default('d'), b: z.number().optional() }), [{}, { a: 'x' }, { b: 'no' }]],
    [
      'a prefault and an optional-in, required-out key',
      z.object({
        a: z.string().prefault('p'),
        b: z
          .string()
          .optional()
          .transform((v) => v ?? 'none'),
      }),
      [{}, { a: 1 }, { b: 'b' }],
    ],
    ['a strict object', z.strictObject({ a: z.number() }), [{ a: 1 }, { a: 1, b: 2 }, { a: 'x', b: 2 }]],
    ['an object that strips unknown keys', z.object({ a: z.number() }), [{ a: 1 }, { a: 1, b: 2 }]],
    [
      'a union and a discriminated union',
      z.looseObject({
        u: z.union([z.string(), z.number().int()]),
        d: z.discriminatedUnion('k', [z.object({ k: z.literal('a') }), z.object({ k: z.literal('b'), n: z.number() })]),
      }),
      [
        { u: 'x', d: { k: 'a' } },
        { u: 1.5, d: { k: 'b', n: 1 } },
        { u: 2, d: { k: 'b' } },
      ],
    ],
    [
      'a refine on an object and on a string',
      z.looseObject({ s: z.string().refine((v) => v !== 'bad', 'not bad') }).refine((v) => Object.keys(v).length < 3),
      [{ s: 'ok' }, { s: 'bad' }, { s: 'ok', x: 1, y: 2 }],
    ],
    ['a check that rewrites the value (trim)', z.looseObject({ s: z.string().trim().min(1) }), [{ s: '  x ' }, { s: '   ' }]],
    [
      'lengths, ranges and formats',
      z.looseObject({ ids: z.array(z.number().int().positive()).min(1).max(2), at: z.iso.datetime({ offset: true }), id: z.guid(), mail: z.email() }),
      [
        { ids: [1], at: '2024-05-01T00:00:00Z', id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', mail: 'a@b.co' },
        { ids: [], at: '2024-05-01T00:00:00Z', id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', mail: 'a@b.co' },
        { ids: [1, 2, 3], at: '2024-05-01', id: 'nope', mail: 'nope' },
        { ids: [0], at: '2024-05-01T00:00:00Z', id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', mail: 'a@b.co' },
      ],
    ],
    [
      'enums, literals, nullables and unknowns',
      z.looseObject({ e: z.enum(['A', 'B']), l: z.literal(3), n: z.string().nullable(), u: z.unknown(), o: z.number().optional() }),
      [
        { e: 'A', l: 3, n: null, u: { any: 1 } },
        { e: 'C', l: 3, n: 'x' },
        { e: 'B', l: 4, n: 1, o: null },
      ],
    ],
    [
      'coercion, records, tuples and dates',
      z.looseObject({ c: z.coerce.number(), r: z.record(z.string(), z.number()), t: z.tuple([z.string(), z.number()]), d: z.date().optional() }),
      [
        { c: '5', r: { a: 1 }, t: ['a', 1] },
        { c: 'x', r: { a: 'b' }, t: ['a'] },
      ],
    ],
    [
      'numbers zod refuses',
      z.looseObject({ n: z.number(), i: z.int() }),
      [
        { n: Number.NaN, i: 1 },
        { n: Number.POSITIVE_INFINITY, i: 1 },
        { n: 1, i: 2 ** 60 },
        { n: 1, i: 1.5 },
      ],
    ],
    ['keys from the prototype', z.looseObject({ constructor: z.string().optional(), toString: z.unknown() }), [{}, { constructor: 'c' }]],
    ['not an object at all', z.looseObject({ a: z.number() }), [null, [], 'x', 1, undefined]],
    [
      'an array of objects with transforms',
      z.array(z.looseObject({ v: z.string().transform((s) => s.length) })),
      [
        [{ v: 'ab' }, { v: 'c' }],
        [{ v: 'ab' }, { v: 1 }],
      ],
    ],
  ];
  for (const [label, schema, values] of cases) {
    void it(label, () => {
      for (const value of values) assertSameAsZod(schema, value, `${label}: ${JSON.stringify(value)}`);
    });
  }

  void it('a schema that contains itself', () => {
    interface Node {
      name: string;
      children: Node[];
    }
    const node: z.ZodType<Node> = z.looseObject({
      name: z.string(),
      get children() {
        return z.array(node);
      },
    });
    assertSameAsZod(node, { name: 'a', children: [{ name: 'b', children: [] }] }, 'tree');
    assertSameAsZod(node, { name: 'a', children: [{ name: 1, children: [] }] }, 'broken tree');
  });

  void it('a failure leaves values zod would have replaced as they were', () => {
    const schema = z.looseObject({
      total: z
        .number()
        .nullish()
        .transform((v) => v ?? 0),
      n: z.number(),
    });
    const value = { total: null, n: 'x' };
    assert.equal(parseInPlace(schema, value).success, false);
    assert.deepStrictEqual(value, { total: null, n: 'x' });
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access -- assertions walk parsed JSON bodies */
// What the sandbox checks beyond the document's types: the overlay's lists (read from CRM_SPEC, the
// same the client is generated from), strict query dates, known tag type ids, and contacts that
// repeat within one body.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import type { RunningSandbox } from '../../../sandbox/index';
import { TAG_TYPE_IDS } from '../../../sandbox/seed';
import { bodySchema } from '../../../sandbox/specSchemas';
import { CONTACT_TYPES } from '../../../sandbox/types';
import { contactValueError, type FieldSpec, type ObjectSchema } from '../../../sandbox/validation';
import { CRM_OPERATIONS } from '../../../src/api/generated/operations.gen';
import { contactValueProblem } from '../../../src/api/schemas/rules';
import { assertProblem, assertRejected, withSandbox, type Client, type Json, type Reply } from './helpers';

/** Every object schema reachable from the request bodies, by type name. */
function requestObjects(): Map<string, ObjectSchema> {
  const out = new Map<string, ObjectSchema>();
  const walk = (spec: FieldSpec): void => {
    if (spec.kind === 'object') visit(spec.schema);
    else if (spec.kind === 'array') walk(spec.items);
    else if (spec.kind === 'map') walk(spec.values);
  };
  const visit = (schema: ObjectSchema): void => {
    if (out.has(schema.typeName)) return;
    out.set(schema.typeName, schema);
    for (const f of Object.values(schema.fields)) walk(f);
  };
  for (const op of CRM_SPEC.operations) {
    const s = bodySchema(op);
    if (s) visit(s);
  }
  return out;
}

const address = { street: '1 Test Way', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' };
const newCustomer = (over: Json = {}, location: Json = {}): Json => ({
  name: 'Validation Co',
  address,
  locations: [{ name: 'HQ', address, ...location }],
  ...over,
});

void describe('sandbox validation beyond the document', () => {
  void test("the overlay's lists are the sandbox's: not-blank fields, typed contact values and minItems come from CRM_SPEC only", () => {
    const objects = requestObjects();
    const notBlank = new Set<string>();
    const typed = new Set<string>();
    const minItems: Record<string, number> = {};
    for (const [name, schema] of objects) {
      if (schema.check) typed.add(name);
      for (const [prop, f] of Object.entries(schema.fields)) {
        if (f.kind === 'string' && f.notBlank) notBlank.add(`${name}.${prop}`);
        if (f.kind === 'array' && f.minItems !== undefined) minItems[`${name}.${prop}`] = f.minItems;
      }
    }
    const rules = Object.entries(CRM_SPEC.overlay.rules);
    assert.deepEqual([...notBlank].sort(), rules.flatMap(([n, rs]) => rs.filter(([r]) => r === 'notBlank').map(([, p]) => `${n}.${p ?? ''}`)).sort());
    assert.deepEqual(
      [...typed].sort(),
      rules
        .filter(([, rs]) => rs.some(([r]) => r === 'contactValue'))
        .map(([n]) => n)
        .sort(),
    );
    assert.deepEqual(minItems, CRM_SPEC.overlay.minItems);
  });

  void test('the client rejects a blank value wherever the sandbox does (the update requests included)', () => {
    for (const op of Object.values(CRM_OPERATIONS)) {
      if (!('body' in op)) continue;
      const rules = CRM_SPEC.overlay.rules[op.body.definition] ?? [];
      for (const [rule, prop] of rules) {
        if (rule !== 'notBlank' || prop === undefined) continue;
        const issues = op.body.schema.safeParse({ [prop]: '   ' }).error?.issues ?? [];
        assert.ok(
          issues.some((i) => i.path.join('.') === prop),
          `${op.operationId}: the client takes a blank ${prop}`,
        );
      }
    }
  });

  void test("the sandbox's contact value check agrees with the client's on every kind of value", () => {
    const values = [
      'a@b.co',
      'A@B.CO',
      'a@b',
      'a b@c.co',
      '@b.co',
      'a@@b.co',
      'name+tag@example.com',
      '5125550100',
      '(512) 555-0100',
      '+1 512 555 0199',
      '512.555.0100',
      '555-0100',
      '123456789012345',
      '1234567890123456',
      '512/555/0100',
      'abc',
      ' 5125550100 ',
      '+44 20 7946 0958',
      '١٢٣٤٥٦٧٨٩٠',
    ];
    for (const type of CONTACT_TYPES) {
      for (const value of values) {
        assert.equal(contactValueError(type, value) === undefined, contactValueProblem(type, value) === undefined, `${type} ${JSON.stringify(value)}`);
      }
    }
  });

  void describe('over HTTP', () => {
    let sb: RunningSandbox;
    let c: Client;
    before(async () => {
      ({ sb, c } = await withSandbox({ customers: 10 }));
    });
    after(async () => {
      await sb.close();
    });

    /** A 4xx write that must leave the state as it was. */
    const rejected = (status: number, call: Promise<Reply>): Promise<Record<string, string[]>> => assertRejected(sb, status, call);

    void test('query dates are strict ISO 8601, as in bodies: 400 keyed by the parameter', async () => {
      for (const bad of ['5', '2020', 'Tue, 01 Jan 2030', '2020-13-01', '01/02/2020', 'yesterday', '2020-01-01 10:00']) {
        for (const [p, key] of [
          ['/customers?createdBefore=', 'CreatedBefore'],
          ['/leads?modifiedOnOrAfter=', 'ModifiedOnOrAfter'],
          ['/contacts?createdOnOrAfter=', 'CreatedOnOrAfter'],
        ] as const) {
          const errors = assertProblem(await c.get(`${p}${encodeURIComponent(bad)}`), 400);
          assert.deepEqual(Object.keys(errors), [key], `${p}${bad}`);
        }
      }
      for (const good of ['2020-01-01', '2020-01-01T10:00:00Z', '2020-01-01T10:00:00.1234567+02:00', '2020-01-01T10:00']) {
        assert.equal((await c.get(`/customers?createdBefore=${encodeURIComponent(good)}`)).status, 200, good);
      }
      // The filter still works: nothing was created before 2000.
      assert.deepEqual((await c.get('/customers?createdBefore=2000-01-01')).body.data, []);
    });

    void test('unknown tag type ids are a 400 keyed TagTypeIds on every write that takes them, and nothing is stored', async () => {
      const unknown = TAG_TYPE_IDS.last + 1;
      const known = TAG_TYPE_IDS.first;
      const customer = 10_000_001;
      const location = ((await c.get('/locations?pageSize=1')).body.data as Json[])[0]?.id as number;
      assert.deepEqual(Object.keys(await rejected(400, c.post('/customers', newCustomer({ tagTypeIds: [known, unknown] })))), ['TagTypeIds']);
      assert.deepEqual(Object.keys(await rejected(400, c.post('/customers', newCustomer({}, { tagTypeIds: [unknown] })))), ['Locations[0].TagTypeIds']);
      assert.deepEqual(Object.keys(await rejected(400, c.patch(`/customers/${customer}`, { tagTypeIds: [unknown] }))), ['TagTypeIds']);
      assert.deepEqual(
        Object.keys(
          await rejected(400, c.post('/locations', { customerId: customer, name: 'X', address: { ...address, street: '9 Tag Rd' }, tagTypeIds: [unknown] })),
        ),
        ['TagTypeIds'],
      );
      assert.deepEqual(Object.keys(await rejected(400, c.patch(`/locations/${location}`, { tagTypeIds: [0] }))), ['TagTypeIds']);
      assert.deepEqual(Object.keys(await rejected(400, c.post('/leads', { campaignId: 2001, summary: 'Tags', tagTypeIds: [unknown] }))), ['TagTypeIds']);
      // The same ids as the tag operations: CreateTag 404, the bulk operations 400 keyed TagTypeIds.
      await rejected(404, c.post(`/customers/${customer}/tags/${unknown}`));
      assert.deepEqual(Object.keys(await rejected(400, c.put('/tags', { customerIds: [customer], tagTypeIds: [unknown] }))), ['TagTypeIds']);
      // Known ones are stored.
      const ok = await c.post('/customers', newCustomer({ tagTypeIds: [known] }, { tagTypeIds: [TAG_TYPE_IDS.last] }));
      assert.equal(ok.status, 200, ok.text);
      assert.deepEqual([ok.body.tagTypeIds, ok.body.locations[0].tagTypeIds], [[known], [TAG_TYPE_IDS.last]]);
    });

    void test('Customers_Create and Locations_Create refuse a contact that repeats another of the same body (400: the document lists no 409 for Customers_Create)', async () => {
      const dup = [
        { type: 'Email', value: 'a@b.co' },
        { type: 'Email', value: ' A@B.CO ' },
      ];
      assert.deepEqual(await rejected(400, c.post('/customers', newCustomer({ contacts: dup }))), {
        'Contacts[1].Value': ['A Email contact with this value is already in the request.'],
      });
      const phones = [
        { type: 'Phone', value: '(512) 555-0100' },
        { type: 'Phone', value: '1 512 555 0100' },
        { type: 'MobilePhone', value: '5125550100' },
      ];
      assert.deepEqual(Object.keys(await rejected(400, c.post('/customers', newCustomer({}, { contacts: phones })))), ['Locations[0].Contacts[1].Value']);
      assert.deepEqual(
        Object.keys(
          await rejected(400, c.post('/locations', { customerId: 10_000_002, name: 'Dup', address: { ...address, street: '7 Dup Ln' }, contacts: dup })),
        ),
        ['Contacts[1].Value'],
      );
      // The same value under another type, and the same contact at the customer and its location, are fine.
      const ok = await c.post(
        '/customers',
        newCustomer(
          {
            contacts: [
              { type: 'Phone', value: '5125550100' },
              { type: 'MobilePhone', value: '5125550100' },
            ],
          },
          { contacts: [{ type: 'Phone', value: '5125550100' }] },
        ),
      );
      assert.equal(ok.status, 200, ok.text);
    });
  });
});

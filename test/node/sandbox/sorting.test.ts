/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- assertions walk parsed JSON bodies */
// `sort` on every operation that takes one: the fields come from CRM_SPEC (the document's
// descriptions, or the overlay where the document says nothing), every field sorts in both
// directions, and anything else is one 400 keyed `Sort` from the one binding rule.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import type { RunningSandbox } from '../../../sandbox/index';
import { assertProblem, withSandbox, type Client, type Json } from './helpers';

/** The row's value for a sort field (relationships have no modifiedOn: their createdOn stands in). */
function keyOf(row: Json, field: string): number | string {
  switch (field.toLowerCase()) {
    case 'id':
      return row.id as number | string;
    case 'createdon':
      return Date.parse(row.createdOn as string);
    default:
      return Date.parse((row.modifiedOn ?? row.createdOn) as string);
  }
}

function assertOrdered(rows: Json[], field: string, descending: boolean, what: string): void {
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [keyOf(rows[i - 1], field), keyOf(rows[i], field)];
    assert.ok(descending ? a >= b : a <= b, `${what}: row ${i} (${String(b)}) is out of order after ${String(a)}`);
  }
}

void describe('sandbox sort', () => {
  let sb: RunningSandbox;
  let c: Client;
  const paths = new Map<string, string>();
  before(async () => {
    ({ sb, c } = await withSandbox({ customers: 40, seed: 3 }));
    // A contact with methods and relationships, so every list has rows to order.
    const person = (await c.post('/contacts', { name: 'Sort Person' })).body.id as string;
    for (const value of ['a@example.com', 'b@example.com', 'c@example.com']) {
      assert.equal((await c.post(`/contacts/${person}/contact-methods`, { type: 'Email', value })).status, 200);
    }
    // Touch the first method so ModifiedOn and CreatedOn order differently.
    const methods = (await c.get(`/contacts/${person}/contact-methods`)).body.data as Json[];
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await c.patch(`/contacts/${person}/contact-methods/${String(methods[0].id)}`, { memo: 'touched' })).status, 200);
    for (const id of [10_000_001, 10_000_002, 10_000_003]) assert.equal((await c.post(`/contacts/${person}/relationships/${id}/customer`)).status, 200);
    const provider = ((await c.get('/bookings?pageSize=1')).body.data as Json[])[0]?.bookingProviderId as number;
    paths.set('contactId', person).set('relationshipId', '10000001').set('booking_provider', String(provider));
  });
  after(async () => {
    await sb.close();
  });

  const sortable = CRM_SPEC.operations.filter((op) => op.sortFields !== null);

  void test('the document gives every sort parameter its fields; the two custom-field lists get theirs from the overlay', () => {
    assert.equal(sortable.length, 13);
    for (const op of sortable) assert.deepEqual(op.sortFields?.map((f) => f.toLowerCase()).sort(), ['createdon', 'id', 'modifiedon'], op.operationId);
  });

  void test('every field of every operation sorts both ways; an unknown field is a 400 keyed Sort', async () => {
    for (const op of sortable) {
      const p = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => paths.get(name) ?? assert.fail(`${op.operationId}: no value for {${name}}`));
      for (const field of op.sortFields ?? []) {
        for (const [prefix, descending] of [
          ['-', true],
          ['+', false],
          ['', false],
        ] as const) {
          const sort = `${prefix}${field}`;
          const r = await c.get(`${p}?pageSize=5000&sort=${encodeURIComponent(sort)}`);
          assert.equal(r.status, 200, `${op.operationId} sort=${sort}: ${r.text}`);
          const rows = (r.body.data ?? []) as Json[];
          assert.ok(rows.length > 1, `${op.operationId}: too few rows (${rows.length}) to see an order`);
          assertOrdered(rows, field, descending, `${op.operationId} sort=${sort}`);
        }
      }
      const bad = assertProblem(await c.get(`${p}?sort=-Name`), 400);
      assert.deepEqual(Object.keys(bad), ['Sort'], op.operationId);
      assert.match(bad.Sort?.[0] ?? '', /Available fields are: /, op.operationId);
    }
  });

  void test('after writes, the pages of every sort of the large lists are slices of their records sorted by (field, id)', async () => {
    // A created customer and location, a seeded customer touched: changed records among seeded ones.
    const created = await c.post('/customers', {
      name: 'Sorted Newcomer',
      address: { street: '1 Sort St', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
      locations: [{ name: 'Sorted Newcomer', address: { street: '1 Sort St', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' } }],
    });
    assert.equal(created.status, 200, created.text);
    assert.equal((await c.patch('/customers/10000007', { name: 'Touched Customer' })).status, 200);
    for (const list of ['/customers?active=Any', '/locations?active=Any', '/contacts?', '/contacts/contact-methods?']) {
      const all = (await c.get(`${list}&pageSize=5000`)).body.data as Json[];
      for (const field of ['Id', 'CreatedOn', 'ModifiedOn']) {
        const byId = (a: Json, b: Json): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        const ascending =
          field === 'Id' ? [...all].sort(byId) : [...all].sort((a, b) => (keyOf(a, field) as number) - (keyOf(b, field) as number) || byId(a, b));
        for (const descending of [false, true]) {
          const rows: Json[] = [];
          for (let page = 1; ; page++) {
            const r = await c.get(`${list}&sort=${descending ? '-' : ''}${field}&pageSize=7&page=${page}&includeTotal=true`);
            assert.equal(r.body.totalCount, all.length, `${list} sort=${field}`);
            for (const x of r.body.data as Json[]) rows.push(x);
            if (!r.body.hasMore) break;
          }
          const expected = descending ? [...ascending].reverse() : ascending;
          assert.deepEqual(
            rows.map((x): unknown => x.id),
            expected.map((x): unknown => x.id),
            `${list} sort=${descending ? '-' : ''}${field}`,
          );
        }
      }
    }
  });

  void test('a date sort orders by the date, not by id (Locations_GetList, Contacts_GetList and the lead list once sorted by id only)', async () => {
    const locations = (await c.get('/locations?pageSize=5000&sort=-ModifiedOn')).body.data as Json[];
    const touched = locations[locations.length - 1];
    assert.equal((await c.patch(`/locations/${String(touched.id)}`, { name: 'Touched Last' })).status, 200);
    const after = (await c.get('/locations?pageSize=5000&sort=-ModifiedOn')).body.data as Json[];
    assert.equal(after[0].id, touched.id, 'the location modified last comes first');
    assert.equal((await c.get('/locations?pageSize=1&sort=+modifiedon')).body.data[0].id === touched.id, false);

    const people = (await c.get('/contacts?pageSize=5000&sort=-CreatedOn')).body.data as Json[];
    assert.equal(people[0].name, 'Sort Person', 'the contact created last comes first');
    const leads = (await c.get('/leads?pageSize=5000&sort=-ModifiedOn')).body.data as Json[];
    assertOrdered(leads, 'ModifiedOn', true, 'leads');
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../../sandbox/index';
import { assertProblem, assertSpec, withSandbox, type Client, type Json } from './helpers';

void describe('sandbox locations and location contacts', () => {
  let sb: RunningSandbox;
  let c: Client;
  before(async () => {
    ({ sb, c } = await withSandbox());
  });
  after(async () => {
    await sb.close();
  });

  void test('list with filters, get by id, 404/400', async () => {
    const r = await c.get('/locations?includeTotal=true&active=Any');
    assert.equal(r.status, 200);
    assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.Locations.LocationResponse');
    assert.ok(r.body.totalCount >= 40 && r.body.totalCount <= 80, String(r.body.totalCount));
    const byCustomer = await c.get('/locations?customerId=10000001&active=Any');
    assert.ok(byCustomer.body.data.length >= 1 && byCustomer.body.data.length <= 2);
    assert.ok((byCustomer.body.data as Json[]).every((l: Json) => l.customerId === 10000001));
    const inactive = await c.get('/locations?active=False&pageSize=500');
    assert.ok((inactive.body.data as Json[]).every((l: Json) => l.active === false));
    const first = r.body.data[0];
    const city = await c.get(`/locations?city=${encodeURIComponent((first.address.city as string).toUpperCase())}&active=Any`);
    assert.ok((city.body.data as Json[]).some((l: Json) => l.id === first.id));
    const one = await c.get(`/locations/${first.id as number}`);
    assertSpec(one.body, 'Crm.V2.Locations.LocationResponse');
    assert.deepEqual(one.body, first);
    assertProblem(await c.get('/locations/77'), 404);
    assertProblem(await c.get('/locations/x'), 400);
    assert.ok(assertProblem(await c.get('/locations?customerId=x'), 400).CustomerId);
    const ids = await c.get(`/locations?ids=${first.id as number}&active=Any`);
    assert.deepEqual(
      (ids.body.data as Json[]).map((l: Json) => l.id),
      [first.id],
    );
  });

  void test('location contacts: list, create, patch, delete, 400/404/409', async () => {
    const loc = (await c.get('/locations?pageSize=1')).body.data[0];
    const base = `/locations/${loc.id as number}/contacts`;
    const list = await c.get(base);
    assertSpec(list.body, 'PaginatedResponse_Of_Crm.V2.LocationContactResponse');
    const created = await c.post(base, { type: 'Phone', value: '303-555-0142', memo: 'Gate' });
    assert.equal(created.status, 200, created.text);
    assertSpec(created.body, 'Crm.V2.LocationContactResponse');
    const id = created.body.id as number;
    assertProblem(await c.post(base, { type: 'Phone', value: '3035550142' }), 409);
    assert.deepEqual(Object.keys(assertProblem(await c.post(base, { type: 'Phone', value: 3035550142 }), 400)), ['$.value']);
    assertProblem(await c.post('/locations/5/contacts', { type: 'Email', value: 'a@example.com' }), 404);
    const patched = await c.patch(`${base}/${id}`, { type: 'Email', value: 'gate@example.com' });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([patched.body.type, patched.body.value, patched.body.memo], ['Email', 'gate@example.com', 'Gate']);
    assertProblem(await c.patch(`${base}/1`, { memo: 'x' }), 404);
    assert.equal((await c.del(`${base}/${id}`)).status, 200);
    assertProblem(await c.del(`${base}/${id}`), 404);
    assert.equal((await c.get(`${base}?includeTotal=true`)).body.totalCount, list.body.data.length);
  });

  void test('literal spec paths are not mistaken for ids', async () => {
    assertSpec((await c.get('/customers/contacts')).body, 'PaginatedResponse_Of_Crm.V2.Customers.CustomerContactWithModifiedOnAndCustomerIdResponse');
    assertSpec((await c.get('/locations/custom-fields')).body, 'PaginatedResponse_Of_Crm.V2.Locations.CustomFieldTypeResponse');
  });
});

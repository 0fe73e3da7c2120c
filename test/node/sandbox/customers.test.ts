/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../../sandbox/index';
import { assertProblem, assertSpec, withSandbox, type Client, type Json } from './helpers';

const newCustomer = (name: string): Json => ({
  name,
  type: 'Commercial',
  address: { street: '1 Test Way', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
  locations: [
    {
      name: `${name} HQ`,
      address: { street: '1 Test Way', unit: 'Suite 5', city: 'Austin', state: 'TX', zip: '78701', country: 'USA', latitude: 30.1, longitude: -97.7 },
      contacts: [{ type: 'Phone', value: '(512) 555-0100', memo: 'front desk' }],
    },
  ],
  contacts: [
    { type: 'Email', value: 'ops@example.com' },
    { type: 'MobilePhone', value: '+1 512 555 0199' },
  ],
  externalData: { applicationGuid: '11111111-2222-3333-4444-555555555555', externalData: [{ key: 'crmId', value: `ext-${name}` }] },
});

void describe('sandbox customers', () => {
  let sb: RunningSandbox;
  let c: Client;
  before(async () => {
    ({ sb, c } = await withSandbox({ customers: 120 }));
  });
  after(async () => {
    await sb.close();
  });

  void test('list: envelope, default page size 50, includeTotal only on request, spec shape', async () => {
    const r = await c.get('/customers');
    assert.equal(r.status, 200);
    assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.Customers.CustomerResponse');
    assert.equal(r.body.page, 1);
    assert.equal(r.body.pageSize, 50);
    assert.equal(r.body.data.length, 50);
    assert.equal(r.body.hasMore, true);
    assert.equal(r.body.totalCount, null);
    assert.ok(
      (r.body.data as Json[]).every((x: Json) => x.active === true),
      'active=True is the default',
    );
    const withTotal = await c.get('/customers?includeTotal=true&pageSize=5000');
    assert.equal(withTotal.body.hasMore, false);
    assert.equal(withTotal.body.totalCount, withTotal.body.data.length);
  });

  void test('paging walks every active customer exactly once', async () => {
    const seen: number[] = [];
    for (let page = 1; ; page++) {
      const r = await c.get(`/customers?page=${page}&pageSize=17`);
      seen.push(...(r.body.data as Json[]).map((x: Json) => x.id as number));
      if (!r.body.hasMore) break;
    }
    const total = (await c.get('/customers?includeTotal=true&pageSize=1')).body.totalCount as number;
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    const beyond = await c.get('/customers?page=999&pageSize=50');
    assert.deepEqual([beyond.body.data.length, beyond.body.hasMore], [0, false]);
  });

  void test('paging limits: pageSize 1..5000, page >= 1, typed values', async () => {
    const errs = assertProblem(await c.get('/customers?pageSize=5001'), 400);
    assert.ok(errs.PageSize, JSON.stringify(errs));
    assert.ok(assertProblem(await c.get('/customers?pageSize=0'), 400).PageSize);
    assert.ok(assertProblem(await c.get('/customers?page=0'), 400).Page);
    assert.ok(assertProblem(await c.get('/customers?page=abc'), 400).Page);
    assert.ok(assertProblem(await c.get('/customers?includeTotal=maybe'), 400).IncludeTotal);
    assert.equal((await c.get('/customers?pageSize=5000')).status, 200);
  });

  void test('filters: active True/False/Any, name contains (case-insensitive), ids, dates, sort', async () => {
    const any = (await c.get('/customers?active=Any&includeTotal=true&pageSize=1')).body.totalCount as number;
    const act = (await c.get('/customers?active=True&includeTotal=true&pageSize=1')).body.totalCount as number;
    const inact = await c.get('/customers?active=false&includeTotal=true&pageSize=500');
    assert.equal(any, 120);
    assert.equal(act + (inact.body.totalCount as number), any);
    assert.ok(inact.body.totalCount > 0);
    assert.ok((inact.body.data as Json[]).every((x: Json) => x.active === false));
    assert.ok(assertProblem(await c.get('/customers?active=Maybe'), 400).Active);

    const first = (await c.get('/customers?pageSize=1')).body.data[0];
    const word = (first.name as string).split(' ')[0]!.toLowerCase().slice(1, 4);
    const byName = await c.get(`/customers?name=${encodeURIComponent(word.toUpperCase())}&active=Any&pageSize=500`);
    assert.ok(byName.body.data.length >= 1);
    assert.ok((byName.body.data as Json[]).every((x: Json) => (x.name as string).toLowerCase().includes(word)));

    const ids = await c.get(`/customers?ids=${first.id},10000003,99999&active=Any`);
    assert.ok((ids.body.data as Json[]).map((x: Json) => x.id).includes(first.id));
    assert.ok(assertProblem(await c.get('/customers?ids=1,x'), 400).Ids);

    const desc = await c.get('/customers?sort=-Id&pageSize=3&active=Any');
    assert.equal(desc.body.data[0].id, 10000119);
    const plus = await c.get('/customers?sort=+Id&pageSize=3&active=Any'); // '+' decodes to a space
    assert.equal(plus.body.data[0].id, 10000000);
    const mod = (await c.get('/customers?sort=-ModifiedOn&pageSize=20&active=Any')).body.data as Json[];
    for (let i = 1; i < mod.length; i++) assert.ok(Date.parse(mod[i - 1].modifiedOn as string) >= Date.parse(mod[i].modifiedOn as string));
    assert.ok(assertProblem(await c.get('/customers?sort=Name'), 400).Sort);

    const cutoff = first.createdOn as string;
    const before = await c.get(`/customers?createdBefore=${encodeURIComponent(cutoff)}&active=Any`);
    assert.equal(before.body.data.length, 0);
    assert.ok(assertProblem(await c.get('/customers?createdBefore=yesterday'), 400).CreatedBefore);
    const state = await c.get(`/customers?state=${first.address.state as string}&active=Any&pageSize=500`);
    assert.ok((state.body.data as Json[]).every((x: Json) => x.address.state === first.address.state));
  });

  void test('latitude and longitude filters match the address coordinates exactly, seeded and created alike', async () => {
    const all = (await c.get('/customers?active=Any&pageSize=5000')).body.data as Json[];
    const seeded: Json = all.find((x) => typeof x.address.latitude === 'number');
    const lat = seeded.address.latitude as number;
    const byLat = await c.get(`/customers?active=Any&includeTotal=true&latitude=${lat.toFixed(8)}`);
    const byLatRows = byLat.body.data as Json[];
    assert.deepEqual(
      byLatRows.map((x) => x.id),
      all.filter((x) => x.address.latitude === lat).map((x) => x.id),
    );
    assert.ok(byLatRows.some((x) => x.id === seeded.id));
    assert.equal(byLat.body.totalCount, byLat.body.data.length);
    const both = await c.get(`/customers?active=Any&latitude=${lat}&longitude=${(seeded.address.longitude as number) + 0.5}`);
    assert.deepEqual(both.body.data, []);
    const created = await c.post('/customers', {
      ...newCustomer('Coordinates Co'),
      contacts: [{ type: 'Email', value: 'grid@example.com' }],
      address: { street: '9 Grid Rd', city: 'Austin', state: 'TX', zip: '78701', country: 'USA', latitude: 12.5, longitude: -45.25 },
    });
    assert.equal(created.status, 200);
    const byBoth = (await c.get('/customers?latitude=12.50&longitude=-45.25')).body.data as Json[];
    assert.deepEqual(
      byBoth.map((x) => x.id),
      [created.body.id],
    );
    const located = (await c.get(`/locations?customerId=${created.body.id as number}`)).body.data as Json[];
    const locations = (await c.get('/locations?latitude=30.1&longitude=-97.7')).body.data as Json[];
    assert.equal(located[0]?.address.latitude, 30.1);
    assert.deepEqual(
      locations.map((l: Json) => l.customerId),
      [created.body.id],
    );
  });

  void test('phone filter matches customer contacts by digits', async () => {
    const created = await c.post('/customers', newCustomer('Phone Filter Co'));
    assert.equal(created.status, 200, created.text);
    const r = await c.get('/customers?phone=5125550199');
    assert.deepEqual(
      (r.body.data as Json[]).map((x: Json) => x.id),
      [created.body.id],
    );
  });

  void test('get by id, 404 unknown, 400 malformed int64', async () => {
    const r = await c.get('/customers/10000002');
    assert.equal(r.status, 200);
    assertSpec(r.body, 'Crm.V2.Customers.CustomerResponse');
    assert.equal(r.body.id, 10000002);
    assertProblem(await c.get('/customers/42'), 404);
    const bad = assertProblem(await c.get('/customers/abc'), 400);
    assert.deepEqual(Object.keys(bad), ['id']);
    assertProblem(await c.get('/customers/99999999999999999999'), 400);
  });

  void test('create returns CreatedCustomerResponse with locations and contacts; readable afterwards', async () => {
    const r = await c.post('/customers', newCustomer('Created Corp'));
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.Customers.CreatedCustomerResponse');
    assert.equal(r.body.name, 'Created Corp');
    assert.equal(r.body.locations.length, 1);
    assert.equal(r.body.locations[0].contacts[0].value, '(512) 555-0100');
    assert.equal(r.body.contacts.length, 2);
    assert.deepEqual(r.body.externalData, [{ key: 'crmId', value: 'ext-Created Corp' }]);
    const id = r.body.id as number;
    const got = await c.get(`/customers/${id}`);
    assertSpec(got.body, 'Crm.V2.Customers.CustomerResponse');
    const locs = await c.get(`/locations?customerId=${id}`);
    assert.deepEqual(
      (locs.body.data as Json[]).map((l: Json) => l.id),
      [r.body.locations[0].id],
    );
    const contacts = await c.get(`/customers/${id}/contacts`);
    assert.equal(contacts.body.data.length, 2);
    const ext = await c.get(
      '/customers?externalDataApplicationGuid=11111111-2222-3333-4444-555555555555&externalDataKey=crmId&externalDataValues=ext-Created%20Corp',
    );
    assert.deepEqual(
      (ext.body.data as Json[]).map((x: Json) => x.id),
      [id],
    );
    assert.deepEqual(ext.body.data[0].externalData, [{ key: 'crmId', value: 'ext-Created Corp' }]);
  });

  void test('create validation: ASP.NET-style keys for missing, nested and conversion errors', async () => {
    const missing = assertProblem(await c.post('/customers', {}), 400);
    assert.deepEqual(missing.Name, ['The Name field is required.']);
    assert.ok(missing.Locations);
    assert.ok(missing.Address);
    const nested = newCustomer('Nested');
    nested.locations[0].address.street = '';
    nested.contacts[0].value = 'not-an-email';
    nested.locations[0].contacts[0].value = '12-34';
    const e = assertProblem(await c.post('/customers', nested), 400);
    assert.deepEqual(e['Locations[0].Address.Street'], ['The Street field is required.']);
    assert.deepEqual(e['Contacts[0].Value'], ['The Value field is not a valid e-mail address.']);
    assert.deepEqual(e['Locations[0].Contacts[0].Value'], ['The Value field is not a valid phone number.']);
    const pager = newCustomer('Pager');
    pager.contacts[0].type = 'Pager';
    const conv = assertProblem(await c.post('/customers', pager), 400);
    assert.deepEqual(Object.keys(conv), ['$.contacts[0].type']);
    // The 2026 document added taxExempt (accepted now); a member no version has is still refused.
    const extra = newCustomer('Extra');
    extra.taxExemptReason = 'church';
    assert.deepEqual(Object.keys(assertProblem(await c.post('/customers', extra), 400)), ['$.taxExemptReason']);
    const noLoc = newCustomer('NoLoc');
    noLoc.locations = [];
    assert.ok(assertProblem(await c.post('/customers', noLoc), 400).Locations);
    assert.deepEqual(Object.keys(assertProblem(await c.post('/customers', undefined, { rawBody: '{"name":' }), 400)), ['$']);
    assert.deepEqual(Object.keys(assertProblem(await c.post('/customers', undefined, { rawBody: '[1]' }), 400)), ['$']);
    assert.ok('' in assertProblem(await c.post('/customers', undefined, { rawBody: '' }), 400));
    assertProblem(await c.post('/customers', undefined, { rawBody: 'name=x', contentType: 'text/plain' }), 415);
  });

  void test('PATCH updates fields and modifiedOn; validates; 404', async () => {
    const before = (await c.get('/customers/10000004')).body;
    const r = await c.patch('/customers/10000004', { name: 'Renamed Customer', doNotMail: true, active: false });
    assert.equal(r.status, 200, r.text);
    assertSpec(r.body, 'Crm.V2.Customers.CustomerResponse');
    assert.equal(r.body.name, 'Renamed Customer');
    assert.equal(r.body.active, false);
    assert.equal(r.body.address.street, before.address.street);
    assert.ok(Date.parse(r.body.modifiedOn as string) > Date.parse(before.modifiedOn as string));
    assert.equal((await c.get('/customers/10000004')).body.name, 'Renamed Customer');
    const addr = assertProblem(await c.patch('/customers/10000004', { address: { street: 'x' } }), 400);
    assert.ok(addr['Address.City'] && addr['Address.Latitude'], JSON.stringify(addr));
    assert.ok(assertProblem(await c.patch('/customers/10000004', { active: 'yes' }), 400)['$.active']);
    assertProblem(await c.patch('/customers/1', { name: 'x' }), 404);
    const both = assertProblem(await c.patch('/customers/abc', { name: 5 }), 400);
    assert.deepEqual(Object.keys(both).sort(), ['$.name', 'id']);
  });

  void test('customer contacts: list, create, patch, delete, 400/404/409', async () => {
    const id = 10000005;
    const list = await c.get(`/customers/${id}/contacts`);
    assertSpec(list.body, 'PaginatedResponse_Of_Crm.V2.Customers.CustomerContactWithModifiedOnResponse');
    const created = await c.post(`/customers/${id}/contacts`, { type: 'MobilePhone', value: '555-867-5309', memo: 'Jenny' });
    assert.equal(created.status, 200, created.text);
    assertSpec(created.body, 'Crm.V2.Customers.CustomerContactWithModifiedOnResponse');
    assert.equal(created.body.phoneSettings.phoneNumber, '5558675309');
    const cid = created.body.id as number;
    assertProblem(await c.post(`/customers/${id}/contacts`, { type: 'MobilePhone', value: '(555) 867 5309' }), 409);
    const typeErr = assertProblem(await c.post(`/customers/${id}/contacts`, { type: 5, value: '5558675309' }), 400);
    assert.deepEqual(Object.keys(typeErr), ['$.type']);
    const landline = assertProblem(await c.post(`/customers/${id}/contacts`, { type: 'LandlinePhone', value: '5558675309' }), 400);
    assert.ok(landline['$.type']);
    assert.deepEqual(assertProblem(await c.post(`/customers/${id}/contacts`, { type: 'Fax' }), 400).Value, ['The Value field is required.']);
    assert.ok(assertProblem(await c.post(`/customers/${id}/contacts`, { type: 'Fax', value: '123456789' }), 400).Value);
    assert.ok(assertProblem(await c.post(`/customers/${id}/contacts`, { type: 'Phone', value: '555-867-530x9' }), 400).Value);
    assertProblem(await c.post('/customers/1/contacts', { type: 'Email', value: 'a@example.com' }), 404);

    const patched = await c.patch(`/customers/${id}/contacts/${cid}`, { memo: 'Jenny (cell)' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.memo, 'Jenny (cell)');
    assert.equal(patched.body.value, '555-867-5309');
    // Changing the type re-validates the stored value against the new type.
    assert.ok(assertProblem(await c.patch(`/customers/${id}/contacts/${cid}`, { type: 'Email' }), 400).Value);
    assertProblem(await c.patch(`/customers/${id}/contacts/1`, { memo: 'x' }), 404);

    const del = await c.del(`/customers/${id}/contacts/${cid}`);
    assert.equal(del.status, 200);
    assert.equal(del.text, '');
    assertProblem(await c.del(`/customers/${id}/contacts/${cid}`), 404);
    assertProblem(await c.del(`/customers/${id}/contacts/abc`), 400);
    const after = await c.get(`/customers/${id}/contacts?includeTotal=true`);
    assert.equal(after.body.totalCount, list.body.data.length);
  });
  void test('numbers out of range for a double or int64 are 400 at their JSON path and store nothing', async () => {
    const total = async (): Promise<number> => (await c.get('/customers?includeTotal=true&pageSize=1&active=Any')).body.totalCount as number;
    const count = await total();
    const message = (type: string, at: string): string[] => [`The JSON value could not be converted to ${type}. Path: ${at}.`];
    // JSON.stringify cannot write 1e400, so the body is raw text.
    const body = JSON.stringify(newCustomer('Too Far North')).replace('"latitude":30.1', '"latitude":1e400');
    assert.match(body, /1e400/);
    const huge = assertProblem(await c.call('POST', '/customers', { rawBody: body }), 400);
    assert.deepEqual(huge, { '$.locations[0].address.latitude': message('System.Double', '$.locations[0].address.latitude') });
    const negative = assertProblem(await c.call('POST', '/customers', { rawBody: body.replace('1e400', '-1e400') }), 400);
    assert.ok(negative['$.locations[0].address.latitude']);
    assert.equal(await total(), count, 'nothing was created');

    const before = (await c.get('/customers/10000001')).body;
    const address = { street: '1 Main St', unit: 'Apt 1', city: 'Austin', state: 'TX', zip: '78701', country: 'USA', latitude: 30.2, longitude: -97.7 };
    for (const [field, value] of [
      ['latitude', '1e400'],
      ['longitude', '-1E+999'],
      ['latitude', '0x1F'],
      ['longitude', 'Infinity'],
      ['latitude', '1_0'],
    ] as const) {
      const errs = assertProblem(await c.patch('/customers/10000001', { address: { ...address, [field]: value } }), 400);
      assert.deepEqual(errs, { [`$.address.${field}`]: message('System.Double', `$.address.${field}`) }, `${field}: ${value}`);
    }
    const rawPatch = `{"address":${JSON.stringify(address).replace('-97.7', '1e400')}}`;
    assert.ok(assertProblem(await c.call('PATCH', '/customers/10000001', { rawBody: rawPatch }), 400)['$.address.longitude']);
    // int64 values must round-trip exactly: 2^63-1 as text would come back as 9223372036854776000.
    assert.deepEqual(assertProblem(await c.patch('/customers/10000001', { tagTypeIds: ['9223372036854775807'] }), 400), {
      '$.tagTypeIds[0]': message('System.Int64', '$.tagTypeIds[0]'),
    });
    assert.ok(
      assertProblem(await c.call('PATCH', '/customers/10000001', { rawBody: '{"customFields":[{"typeId":1e400,"value":"x"}]}' }), 400)[
        '$.customFields[0].typeId'
      ],
    );
    assert.deepEqual((await c.get('/customers/10000001')).body, before, 'nothing was changed');

    // Decimal text is still accepted and stored as a number.
    const ok = await c.patch('/customers/10000001', { address: { ...address, latitude: '30.25', longitude: '-9.77e1' }, tagTypeIds: ['112'] });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual([ok.body.address.latitude, ok.body.address.longitude, ok.body.tagTypeIds], [30.25, -97.7, [112]]);
    assert.ok(assertProblem(await c.get('/customers?latitude=0x10'), 400).Latitude);
    assert.ok(assertProblem(await c.get('/customers?longitude=1e400'), 400).Longitude);
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies */
// The route table from CRM_SPEC (precedence, 404 with the closest operation, 405, every operation
// has a handler) and the customer/location/contact operations added with the 2026 document.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CRM_SPEC } from '../../../sandbox/generated/spec.gen';
import { CLOSEST_LIMITS, closestInput, Router } from '../../../sandbox/http';
import type { RunningSandbox } from '../../../sandbox/index';
import { SalesStore } from '../../../sandbox/salesStore';
import { SeedData } from '../../../sandbox/seed';
import { operationRoutes } from '../../../sandbox/server';
import { Store } from '../../../sandbox/store';
import { assertProblem, assertRejected, assertSpec, specProblems, withSandbox, type Client, type Json, type Reply } from './helpers';

const CUSTOMER = 10_000_001;
const LOCATION = 30_000_002;
const address = { street: '12 New Rd', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' };

void describe('sandbox operations from CRM_SPEC', () => {
  let sb: RunningSandbox;
  let c: Client;
  before(async () => {
    ({ sb, c } = await withSandbox());
  });
  after(async () => {
    await sb.close();
  });

  /** A 4xx write that must leave the state as it was. */
  const rejected = (status: number, call: Promise<Reply>): Promise<Record<string, string[]>> => assertRejected(sb, status, call);

  void test('every operation of CRM_SPEC has a handler (startSandbox refuses to start otherwise)', async () => {
    const router = new Router(CRM_SPEC.operations);
    assert.equal(router.missing().length, CRM_SPEC.operations.length, 'a router without routes misses every operation');
    for (const r of operationRoutes({ store: new Store(1, 3), sales: SalesStore.seeded(new SeedData(1, 3)), commit: () => undefined })) router.add(r);
    assert.deepEqual(router.missing(), []);
    // Every operation answers from its handler: nothing is 5xx, whatever the ids.
    for (const op of CRM_SPEC.operations) {
      const r = await c.call(op.method, op.path.replace(/\{[^}]+\}/g, '1'), op.body ? { body: {} } : {});
      assert.ok(r.status < 500, `${op.operationId}: ${r.status} ${r.text}`);
    }
  });

  void test('a long unknown path is a cheap 404: only the first segments and characters are compared', async () => {
    const long = `/${Array.from({ length: 6200 }, () => 'a').join('/')}`;
    assert.ok(long.length > 12_000, `${long.length} characters`);
    const input = closestInput(long.split('/').filter((s) => s !== ''));
    assert.ok(input.length <= CLOSEST_LIMITS.segments, `${input.length} segments compared`);
    const wide = closestInput([`${'x'.repeat(12_000)}`, 'Contacts']);
    assert.deepEqual(
      wide.map((s) => s.length),
      [CLOSEST_LIMITS.chars, 'contacts'.length],
    );
    for (const p of [long, `/customers/${'9'.repeat(12_000)}/contactz`, `/${'q'.repeat(12_000)}`]) {
      const r = await c.get(p);
      assertProblem(r, 404);
      assert.match(r.body.title as string, /Did you mean/);
    }
    // Cutting the input short keeps the hints of ordinary paths.
    assert.match((await c.get(`/customers/${'9'.repeat(200)}/contactz`)).body.title as string, /Customers_GetContactList/);
  });

  void test('literal segments beat {param}; wrong method 405 with Allow; unknown path 404 names the closest operation', async () => {
    for (const [p, def] of [
      ['/customers/contacts', 'PaginatedResponse_Of_Crm.V2.Customers.CustomerContactWithModifiedOnAndCustomerIdResponse'],
      ['/customers/custom-fields', 'PaginatedResponse_Of_Crm.V2.Customers.CustomFieldTypeResponse'],
      ['/locations/contacts', 'PaginatedResponse_Of_Crm.V2.LocationsContactResponse'],
      ['/locations/custom-fields', 'PaginatedResponse_Of_Crm.V2.Locations.CustomFieldTypeResponse'],
      ['/contacts/contact-methods', 'PaginatedResponse_Of_Crm.V2.ContactMethodResponse'],
    ] as const) {
      const r = await c.get(p);
      assert.equal(r.status, 200, `${p}: ${r.text}`);
      assertSpec(r.body, def);
    }
    const prefs = await c.get('/contacts/preferences');
    assert.equal(prefs.status, 200);
    for (const p of prefs.body as Json[]) assertSpec(p, 'Crm.V2.ContactPreferenceTypeResponse');
    // /leads/form is POST only: a GET is 405, not Leads_Get with id "form".
    const form = assertProblem(await c.get('/leads/form'), 405);
    assert.deepEqual(form, {});
    assert.equal((await c.get('/leads/form')).headers.get('allow'), 'POST');
    const wrong = await c.del('/customers/contacts');
    assertProblem(wrong, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.equal((await c.call('PUT', `/customers/${CUSTOMER}`)).headers.get('allow'), 'GET, PATCH');
    // Literal segments match case-insensitively.
    assert.equal((await c.get('/Customers/Contacts?pageSize=1')).status, 200);

    const near = await c.get('/customer/5/contacts');
    assertProblem(near, 404);
    assert.match(near.body.title as string, /no CRM v2 operation has the method and path GET \/customer\/5\/contacts/);
    assert.match(near.body.title as string, /Did you mean GET \/customers\/\{id\}\/contacts \(Customers_GetContactList\)\?/);
    assert.match((await c.get('/locaitons/7')).body.title as string, /GET \/locations\/\{id\} \(Locations_Get\)/);
    assert.match((await c.post('/customer')).body.title as string, /POST \/customers \(Customers_Create\)/);
    assert.match((await c.get('/export/customer')).body.title as string, /GET \/export\/customers \(ExportCustomers_GetCustomers\)/);
    // Unknown paths are 404 before auth.
    assertProblem(await c.get('/no/such/thing', { token: null }), 404);
  });

  void test('path and query binding from the spec: int64, guid, int32 ranges, id lists, enums, sort', async () => {
    assert.deepEqual(assertProblem(await c.get('/customers/abc/notes?page=x'), 400), {
      id: ["The value 'abc' is not valid."],
      Page: ["The value 'x' is not valid for Page."],
    });
    assert.deepEqual(assertProblem(await c.get('/customers/contacts?customerIds=1,x'), 400), {
      CustomerIds: ["The value '1,x' is not valid for CustomerIds."],
    });
    assert.deepEqual(assertProblem(await c.get('/locations/contacts?pageSize=5001'), 400), { PageSize: ['The field PageSize must be between 1 and 5000.'] });
    assert.deepEqual(assertProblem(await c.get('/contacts/contact-methods?type=Pager&contactId=nope'), 400), {
      ContactId: ["The value 'nope' is not valid for ContactId."],
      Type: ["The value 'Pager' is not valid for Type."],
    });
    assert.ok(assertProblem(await c.get('/customers/custom-fields?sort=Name'), 400).Sort);
    assertProblem(await c.get('/export/customers?includeRecentChanges=maybe'), 400);
    assert.equal((await c.get('/export/customers?includeRecentChanges=true')).status, 200);
    assert.deepEqual(assertProblem(await c.post(`/locations/${LOCATION}/preferredtechnician/x`), 400), {
      preferredTechnicianId: ["The value 'x' is not valid."],
    });
  });

  void test('customer and location notes: seeded, create (pinned, copied), delete, 404, 400', async () => {
    // Some seeded customer has notes.
    let seeded: Json;
    for (let i = 0; i < 40 && !seeded; i++) {
      const r = await c.get(`/customers/${10_000_000 + i}/notes`);
      assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.NoteResponse');
      if (r.body.data.length > 0) seeded = r.body.data[0];
    }
    assert.ok(seeded, 'some seeded customer has notes');
    const created = await c.post(`/customers/${CUSTOMER}/notes`, { text: '  Called about the invoice.  ', pinToTop: true, addToLocations: true });
    assert.equal(created.status, 200, created.text);
    assertSpec(created.body, 'Crm.V2.NoteResponse');
    assert.deepEqual([created.body.text, created.body.isPinned], ['Called about the invoice.', true]);
    const notes = (await c.get(`/customers/${CUSTOMER}/notes`)).body.data as Json[];
    assert.equal(notes[0].id, created.body.id, 'pinned notes come first');
    const locs = (await c.get(`/locations?customerId=${CUSTOMER}&active=Any`)).body.data as Json[];
    for (const l of locs) assert.ok(((await c.get(`/locations/${l.id}/notes`)).body.data as Json[]).some((n: Json) => n.text === 'Called about the invoice.'));
    const lnote = await c.post(`/locations/${LOCATION}/notes`, { text: 'Side gate', addToCustomer: true });
    assertSpec(lnote.body, 'Crm.V2.NoteResponse');
    assert.ok(((await c.get(`/customers/${CUSTOMER}/notes`)).body.data as Json[]).some((n: Json) => n.text === 'Side gate'));
    assert.equal((await c.del(`/customers/${CUSTOMER}/notes/${created.body.id}`)).status, 200);
    assert.ok(!((await c.get(`/customers/${CUSTOMER}/notes`)).body.data as Json[]).some((n: Json) => n.id === created.body.id));
    await rejected(404, c.del(`/customers/${CUSTOMER}/notes/${created.body.id}`));
    await rejected(404, c.post('/customers/42/notes', { text: 'x' }));
    await rejected(404, c.del(`/locations/77/notes/1`));
    assert.deepEqual(await rejected(400, c.post(`/locations/${LOCATION}/notes`, { text: ' ' })), { Text: ['The Text field is required.'] });
    assert.deepEqual(Object.keys(await rejected(400, c.post(`/locations/${LOCATION}/notes`, { text: 'x', pinToTop: 'yes' }))), ['$.pinToTop']);
  });

  void test('tags: create/delete on customers and locations, 409 duplicate, 404 unknown tag type; bulk add/remove', async () => {
    const tag = await c.post(`/customers/${CUSTOMER}/tags/110`);
    assert.equal(tag.status, 200, tag.text);
    assertSpec(tag.body, 'Crm.V2.Customers.CreateCustomerTagResponse');
    assert.ok(tag.body.tagTypeIds.includes(110));
    assert.ok((await c.get(`/customers/${CUSTOMER}`)).body.tagTypeIds.includes(110));
    await rejected(409, c.post(`/customers/${CUSTOMER}/tags/110`));
    await rejected(404, c.post(`/customers/${CUSTOMER}/tags/9999`));
    await rejected(404, c.post('/customers/42/tags/110'));
    assert.equal((await c.del(`/customers/${CUSTOMER}/tags/110`)).status, 200);
    await rejected(404, c.del(`/customers/${CUSTOMER}/tags/110`));

    const ltag = await c.post(`/locations/${LOCATION}/tags/111`);
    assertSpec(ltag.body, 'Crm.V2.Locations.CreateLocationTagResponse');
    assert.deepEqual(ltag.body, { locationId: LOCATION, tagTypeIds: [111] });
    await rejected(409, c.post(`/locations/${LOCATION}/tags/111`));
    assert.equal((await c.del(`/locations/${LOCATION}/tags/111`)).status, 200);

    const ids = [10_000_003, 10_000_004];
    const add = await c.put('/tags', { customerIds: ids, tagTypeIds: [112, 113] });
    assert.equal(add.status, 200, add.text);
    assert.equal(add.text, '');
    for (const id of ids) {
      const tags = (await c.get(`/customers/${id}`)).body.tagTypeIds as number[];
      assert.ok(tags.includes(112) && tags.includes(113), `${id}: ${tags.join(',')}`);
    }
    await rejected(409, c.put('/tags', { customerIds: ids, tagTypeIds: [112] }));
    assert.ok((await rejected(400, c.put('/tags', { customerIds: [ids[0], 42], tagTypeIds: [112, 5] }))).CustomerIds);
    assert.ok((await rejected(400, c.put('/tags', { customerIds: [], tagTypeIds: [] }))).TagTypeIds);
    assert.deepEqual(Object.keys(await rejected(400, c.put('/tags', { customerIds: ids }))), ['TagTypeIds']);
    assert.equal((await c.call('DELETE', '/tags', { body: { customerIds: ids, tagTypeIds: [112] } })).status, 200);
    assert.ok(!((await c.get(`/customers/${ids[0]}`)).body.tagTypeIds as number[]).includes(112));
    await rejected(409, c.call('DELETE', '/tags', { body: { customerIds: ids, tagTypeIds: [112] } }));
    await rejected(415, c.call('DELETE', '/tags'));
    // tn.crm.tags:w is its own scope; the read-only client lacks it.
    assertProblem(await c.put('/tags', { customerIds: ids, tagTypeIds: [114] }, { token: await c.readOnlyToken() }), 403);
  });

  void test('custom field types of customers and locations', async () => {
    const r = await c.get('/customers/custom-fields?sort=-Id&includeTotal=true');
    assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.Customers.CustomFieldTypeResponse');
    assert.deepEqual(
      (r.body.data as Json[]).map((t: Json) => t.id),
      [9003, 9002, 9001],
    );
    assert.equal(r.body.totalCount, 3);
    const l = await c.get('/locations/custom-fields?modifiedOnOrAfter=2022-01-01');
    assertSpec(l.body, 'PaginatedResponse_Of_Crm.V2.Locations.CustomFieldTypeResponse');
    assert.deepEqual(
      (l.body.data as Json[]).map((t: Json) => t.id),
      [9102],
    );
    assertProblem(await c.get('/locations/custom-fields?createdBefore=soon'), 400);
  });

  void test('GET /customers/contacts and /locations/contacts: every contact with its parent id', async () => {
    const all = await c.get('/customers/contacts?includeTotal=true&pageSize=5');
    assertSpec(all.body, 'PaginatedResponse_Of_Crm.V2.Customers.CustomerContactWithModifiedOnAndCustomerIdResponse');
    assert.ok(all.body.totalCount > 5 && all.body.hasMore);
    const one = await c.get(`/customers/contacts?customerIds=${CUSTOMER},42`);
    const direct = (await c.get(`/customers/${CUSTOMER}/contacts`)).body.data as Json[];
    assert.deepEqual(
      (one.body.data as Json[]).map((x: Json) => [x.customerId, x.id]),
      direct.map((x: Json) => [CUSTOMER, x.id]),
    );
    const recent = await c.get('/customers/contacts?modifiedOnOrAfter=2100-01-01');
    assert.deepEqual(recent.body.data, []);
    const loc = await c.get(`/locations/contacts?locationIds=${LOCATION}`);
    assertSpec(loc.body, 'PaginatedResponse_Of_Crm.V2.LocationsContactResponse');
    for (const x of loc.body.data as Json[]) assert.equal(x.locationId, LOCATION);
    assertProblem(await c.get(`/locations/contacts?locationIds=${Array.from({ length: 51 }, (_, i) => i + 1).join(',')}`), 400);
  });

  void test('POST /locations and PATCH /locations/{id}: create with contacts, update, 400/404/409', async () => {
    const created = await c.post('/locations', {
      customerId: CUSTOMER,
      name: ' Warehouse ',
      address,
      contacts: [{ type: 'Email', value: 'dock@example.com', memo: 'dock' }],
      tagTypeIds: [101],
      externalData: { applicationGuid: '11111111-2222-3333-4444-555555555555', externalData: [{ key: 'k', value: 'v' }] },
      coordinatesSource: 'User',
    });
    assert.equal(created.status, 200, created.text);
    assertSpec(created.body, 'Crm.V2.Locations.CreateLocationResponse');
    assert.deepEqual(
      [created.body.name, created.body.customerId, created.body.contacts[0].value, created.body.externalData],
      ['Warehouse', CUSTOMER, 'dock@example.com', [{ key: 'k', value: 'v' }]],
    );
    const id = created.body.id as number;
    assert.ok(((await c.get(`/locations?customerId=${CUSTOMER}`)).body.data as Json[]).some((l: Json) => l.id === id));
    assert.equal((await c.get(`/locations/${id}/contacts`)).body.data.length, 1);
    await rejected(409, c.post('/locations', { customerId: CUSTOMER, name: 'Again', address: { ...address, street: '12 NEW RD' } }));
    assert.deepEqual(await rejected(400, c.post('/locations', { customerId: 42, name: 'x', address })), { CustomerId: ['Customer 42 not found.'] });
    const missing = await rejected(400, c.post('/locations', { name: '', address: { ...address, zip: undefined } }));
    assert.deepEqual(Object.keys(missing).sort(), ['Address.Zip', 'CustomerId', 'Name']);

    const patched = await c.patch(`/locations/${id}`, {
      name: 'Warehouse 2',
      address: { ...address, unit: 'B', street: '14 New Rd' },
      taxZoneId: 501,
      active: true,
      customFields: [{ typeId: 9101, value: 'code 4' }],
    });
    assert.equal(patched.status, 200, patched.text);
    assertSpec(patched.body, 'Crm.V2.Locations.LocationResponse');
    assert.deepEqual(
      [patched.body.name, patched.body.address.unit, patched.body.taxZoneId, patched.body.customFields],
      ['Warehouse 2', 'B', 501, [{ typeId: 9101, name: 'Access Notes', value: 'code 4' }]],
    );
    assert.ok(Date.parse(patched.body.modifiedOn) >= Date.parse(created.body.modifiedOn));
    await rejected(404, c.patch('/locations/77', { name: 'x' }));
    assert.deepEqual(await rejected(400, c.patch(`/locations/${id}`, { name: ' ' })), { Name: ['The Name field must not be empty.'] });
    assert.ok((await rejected(400, c.patch(`/locations/${id}`, { address: { street: 'x' } })))['Address.Unit']);
    await rejected(409, c.patch(`/locations/${id}`, { customerId: 10_000_005 }));
    assert.equal((await c.patch(`/locations/${id}`, { customerId: CUSTOMER })).status, 200);
  });

  void test('preferred technician: null, set, read back; 404 unknown location or technician', async () => {
    const locs = (await c.get('/locations?pageSize=40&active=Any')).body.data as Json[];
    const values: unknown[] = [];
    for (const l of locs.slice(0, 20)) {
      const r = await c.get(`/locations/${l.id}/preferredtechnician`);
      assert.equal(r.status, 200);
      assert.deepEqual(specProblems(r.body, { type: 'integer', format: 'int64', nullable: true }), []);
      values.push(r.body);
    }
    assert.ok(values.includes(null) && values.some((v) => typeof v === 'number'), 'seeded locations with and without one');
    assert.equal((await c.post(`/locations/${LOCATION}/preferredtechnician/2007`)).status, 200);
    assert.equal((await c.get(`/locations/${LOCATION}/preferredtechnician`)).body, 2007);
    await rejected(404, c.post(`/locations/${LOCATION}/preferredtechnician/5`));
    await rejected(404, c.post('/locations/77/preferredtechnician/2007'));
    assertProblem(await c.get('/locations/77/preferredtechnician'), 404);
  });

  void test('contact method preferences and the search across contact methods', async () => {
    const person = ((await c.get('/contacts?pageSize=1')).body.data as Json[])[0];
    const methods = (await c.get(`/contacts/${person.id}/contact-methods`)).body.data as Json[];
    const base = `/contacts/${person.id}/contact-methods/${methods[0].id}/preferences`;
    const list = await c.get(base);
    assert.equal(list.status, 200, list.text);
    const types = (await c.get('/contacts/preferences')).body as Json[];
    assert.deepEqual(
      (list.body as Json[]).map((p: Json) => p.name),
      types.map((t: Json) => t.name),
    );
    for (const p of list.body as Json[]) assertSpec(p, 'Crm.V2.ContactPreferenceResponse');
    const set = await c.patch(`${base}/marketingupdates`, { value: 'False' });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body, { name: 'MarketingUpdates', dataType: 'Boolean', value: 'false' });
    assert.deepEqual((await c.get(`${base}/MarketingUpdates`)).body, set.body);
    assert.deepEqual(await rejected(400, c.patch(`${base}/MarketingUpdates`, { value: 'sometimes' })), {
      Value: ["The Value field must be 'true' or 'false' for the Boolean preference MarketingUpdates."],
    });
    await rejected(404, c.patch(`${base}/Nope`, { value: 'true' }));
    await rejected(404, c.patch(`/contacts/${person.id}/contact-methods/00000000-0000-4000-8000-000000000000/preferences/MarketingUpdates`, { value: 'true' }));
    assert.deepEqual((await c.patch(`${base}/MarketingUpdates`, {})).body, { name: 'MarketingUpdates', dataType: 'Boolean', value: null });

    const search = await c.get('/contacts/contact-methods?type=email&pageSize=3&includeTotal=true');
    assertSpec(search.body, 'PaginatedResponse_Of_Crm.V2.ContactMethodResponse');
    assert.ok(search.body.totalCount > 3);
    for (const m of search.body.data as Json[]) assert.equal(m.type, 'Email');
    const mine = await c.get(`/contacts/contact-methods?contactId=${(person.id as string).toUpperCase()}&sort=-Id`);
    assert.deepEqual(
      (mine.body.data as Json[]).map((m: Json) => m.id),
      methods
        .map((m: Json) => m.id)
        .sort()
        .reverse(),
    );
    assert.deepEqual((await c.get('/contacts/contact-methods?contactId=00000000-0000-4000-8000-000000000000')).body.data, []);
  });

  void test('responses carry the 2026 fields: taxExempt, nationalAccount; requests accept them', async () => {
    const cust = await c.get(`/customers/${CUSTOMER}`);
    assert.equal(typeof cust.body.taxExempt, 'boolean');
    assert.equal(typeof cust.body.nationalAccount, 'boolean');
    assert.equal(typeof (await c.get(`/locations/${LOCATION}`)).body.taxExempt, 'boolean');
    const patched = await c.patch(`/customers/${CUSTOMER}`, { taxExempt: true, nationalAccount: true, creditLimit: 2500.5, paymentTermId: 3 });
    assertSpec(patched.body, 'Crm.V2.Customers.CustomerResponse');
    assert.deepEqual([patched.body.taxExempt, patched.body.nationalAccount, patched.body.creditLimit, patched.body.paymentTermId], [true, true, 2500.5, 3]);
    // 2026 contact preferences on a customer contact.
    const contact = await c.post(`/customers/${CUSTOMER}/contacts`, { type: 'MobilePhone', value: '5125550177' });
    const withPrefs = await c.patch(`/customers/${CUSTOMER}/contacts/${contact.body.id}`, {
      preferences: { jobRemindersEnabled: true, marketingUpdatesEnabled: false, invoiceStatementNotification: true },
    });
    assertSpec(withPrefs.body, 'Crm.V2.Customers.CustomerContactWithModifiedOnResponse');
    assert.deepEqual(withPrefs.body.preferences, { jobRemindersEnabled: true, marketingUpdatesEnabled: false, invoiceStatementNotification: true });
    assert.ok(
      (await rejected(400, c.patch(`/customers/${CUSTOMER}/contacts/${contact.body.id}`, { preferences: { jobRemindersEnabled: true } })))[
        'Preferences.MarketingUpdatesEnabled'
      ],
    );
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../../sandbox/index';
import { assertProblem, assertSpec, withSandbox, type Client, type Json } from './helpers';

const MISSING_GUID = '00000000-0000-4000-8000-000000000000';

void describe('sandbox contacts, relationships and contact methods', () => {
  let sb: RunningSandbox;
  let c: Client;
  before(async () => {
    ({ sb, c } = await withSandbox());
  });
  after(async () => {
    await sb.close();
  });

  void test('list and get people contacts; filters; GUID validation', async () => {
    const r = await c.get('/contacts?includeTotal=true');
    assert.equal(r.status, 200);
    assertSpec(r.body, 'PaginatedResponse_Of_Crm.V2.ContactResponse');
    assert.ok(r.body.totalCount >= 40);
    const first = r.body.data[0];
    const one = await c.get(`/contacts/${first.id as string}`);
    assertSpec(one.body, 'Crm.V2.ContactResponse');
    assert.deepEqual(one.body, first);
    // .NET accepts the N and B GUID formats too.
    const n = await c.get(`/contacts/${(first.id as string).replace(/-/g, '').toUpperCase()}`);
    assert.equal(n.body.id, first.id);
    const word = (first.name as string).split(' ')[1]!.toLowerCase();
    const byName = await c.get(`/contacts?name=${word}&pageSize=500`);
    assert.ok((byName.body.data as Json[]).every((x: Json) => (x.name as string).toLowerCase().includes(word)));
    const archived = await c.get('/contacts?isArchived=true&pageSize=500');
    assert.ok((archived.body.data as Json[]).every((x: Json) => x.isArchived === true));
    assert.ok(assertProblem(await c.get('/contacts?isArchived=perhaps'), 400).IsArchived);
    const sorted = (await c.get('/contacts?sort=-Id&pageSize=10')).body.data as Json[];
    assert.deepEqual(
      sorted.map((x: Json) => x.id),
      sorted
        .map((x: Json) => x.id as string)
        .sort()
        .reverse(),
    );
    assert.deepEqual(Object.keys(assertProblem(await c.get('/contacts/not-a-guid'), 400)), ['id']);
    assertProblem(await c.get(`/contacts/${MISSING_GUID}`), 404);
  });

  void test('create, patch (isArchived required), put (replace), delete', async () => {
    const created = await c.post('/contacts', { name: 'Ada Lovelace', title: 'Engineer', referenceId: 'REF-1' });
    assert.equal(created.status, 200, created.text);
    assertSpec(created.body, 'Crm.V2.ContactResponse');
    const id = created.body.id as string;
    assert.equal(created.body.isArchived, false);
    const emptyCreate = await c.post('/contacts', {});
    assert.equal(emptyCreate.status, 200);
    assert.equal(emptyCreate.body.name, null);
    assert.ok(assertProblem(await c.post('/contacts', { name: '   ' }), 400).Name);
    assert.ok(assertProblem(await c.post('/contacts', { name: 'x'.repeat(256) }), 400).Name);
    assert.deepEqual(Object.keys(assertProblem(await c.post('/contacts', { name: 7 }), 400)), ['$.name']);
    assert.deepEqual(Object.keys(assertProblem(await c.post('/contacts', { nickname: 'x' }), 400)), ['$.nickname']);

    const noArch = assertProblem(await c.patch(`/contacts/${id}`, { title: 'CTO' }), 400);
    assert.deepEqual(noArch.IsArchived, ['The IsArchived field is required.']);
    const patched = await c.patch(`/contacts/${id}`, { title: 'CTO', isArchived: true });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([patched.body.name, patched.body.title, patched.body.referenceId, patched.body.isArchived], ['Ada Lovelace', 'CTO', 'REF-1', true]);
    assertProblem(await c.patch(`/contacts/${MISSING_GUID}`, { isArchived: false }), 404);

    const replaced = await c.put(`/contacts/${id}`, { name: 'Ada King', isArchived: false });
    assert.equal(replaced.status, 200, replaced.text);
    assertSpec(replaced.body, 'Crm.V2.ContactResponse');
    assert.equal(replaced.body.name, 'Ada King');
    assert.equal(replaced.body.title, null, 'PUT replaces: omitted fields are cleared');
    assert.ok(assertProblem(await c.put(`/contacts/${id}`, { name: 'x', isArchived: null }), 400)['$.isArchived']);

    const del = await c.del(`/contacts/${id}`);
    assert.deepEqual([del.status, del.text], [200, '']);
    assertProblem(await c.get(`/contacts/${id}`), 404);
    assertProblem(await c.del(`/contacts/${id}`), 404);
  });

  void test('relationships: list, create, duplicate 409, unknown entity/type 404, unknown contact 409, delete', async () => {
    const person = (await c.post('/contacts', { name: 'Rel Person' })).body;
    const pid = person.id as string;
    const empty = await c.get(`/contacts/${pid}/relationships`);
    assertSpec(empty.body, 'PaginatedResponse_Of_Crm.V2.ContactRelationshipResponse');
    assert.equal(empty.body.data.length, 0);

    const created = await c.post(`/contacts/${pid}/relationships/10000003/customer`);
    assert.deepEqual([created.status, created.text], [200, '']);
    assertProblem(await c.post(`/contacts/${pid}/relationships/10000003/customer`), 409);
    assertProblem(await c.post(`/contacts/${pid}/relationships/123/customer`), 404);
    assertProblem(await c.post(`/contacts/${pid}/relationships/10000003/booking`), 404);
    assertProblem(await c.post(`/contacts/${pid}/relationships/10000003/vendor`), 404);
    assertProblem(await c.post(`/contacts/${MISSING_GUID}/relationships/10000003/customer`), 409);
    const bad = assertProblem(await c.post('/contacts/xyz/relationships/abc/customer'), 400);
    assert.deepEqual(Object.keys(bad).sort(), ['contactId', 'relatedEntityId']);
    const loc = (await c.get('/locations?customerId=10000003')).body.data[0];
    assert.equal((await c.post(`/contacts/${pid}/relationships/${loc.id as number}/location`)).status, 200);

    const list = await c.get(`/contacts/${pid}/relationships`);
    assertSpec(list.body, 'PaginatedResponse_Of_Crm.V2.ContactRelationshipResponse');
    assert.deepEqual(
      (list.body.data as Json[]).map((r: Json) => [r.relatedEntityId, r.typeSlug, r.typeName]),
      [
        [10000003, 'customer', 'Customer'],
        [loc.id, 'location', 'Location'],
      ],
    );
    const filtered = await c.get(`/contacts/${pid}/relationships?typeSlug=location`);
    assert.equal(filtered.body.data.length, 1);
    assertProblem(await c.get(`/contacts/${MISSING_GUID}/relationships`), 409);

    const related = await c.get('/contacts/relationships/10000003');
    assertSpec(related.body, 'PaginatedResponse_Of_Crm.V2.ContactResponse');
    assert.ok((related.body.data as Json[]).some((p: Json) => p.id === pid));
    assertProblem(await c.get('/contacts/relationships/5'), 404);

    // A contact with relationships cannot be deleted (409) until they are removed.
    const conflict = assertProblem(await c.del(`/contacts/${pid}`), 409);
    assert.ok(conflict.relationships);
    assert.deepEqual((await c.del(`/contacts/${pid}/relationships/10000003/customer`)).status, 200);
    assertProblem(await c.del(`/contacts/${pid}/relationships/10000003/customer`), 409);
    assert.equal((await c.del(`/contacts/${pid}/relationships/${loc.id as number}/location`)).status, 200);
    assert.ok(!((await c.get('/contacts/relationships/10000003')).body.data as Json[]).some((p: Json) => p.id === pid));
    assert.equal((await c.del(`/contacts/${pid}`)).status, 200);
  });

  void test('seeded people are related to their customers and some to locations', async () => {
    const related = await c.get('/contacts/relationships/10000000');
    assert.ok(related.body.data.length >= 1);
    const rels = await c.get(`/contacts/${related.body.data[0].id as string}/relationships`);
    assert.ok((rels.body.data as Json[]).some((r: Json) => r.relatedEntityId === 10000000 && r.typeSlug === 'customer'));
    let locationLinks = 0;
    for (let i = 0; i < 40; i++) {
      const loc = (await c.get(`/locations?customerId=${10000000 + i}&active=Any`)).body.data[0];
      locationLinks += ((await c.get(`/contacts/relationships/${loc.id as number}`)).body.data as Json[]).length;
    }
    assert.ok(locationLinks > 0);
  });

  void test('contact methods: list, get, create, upsert, patch, delete with validation', async () => {
    const seeded = (await c.get('/contacts?pageSize=1')).body.data[0];
    const seededMethods = await c.get(`/contacts/${seeded.id as string}/contact-methods`);
    assertSpec(seededMethods.body, 'PaginatedResponse_Of_Crm.V2.ContactMethodResponse');
    assert.ok(seededMethods.body.data.length >= 1 && seededMethods.body.data.length <= 3);

    const pid = (await c.post('/contacts', { name: 'Method Person' })).body.id as string;
    const base = `/contacts/${pid}/contact-methods`;
    const created = await c.post(base, { type: 'Email', value: 'method@example.com', memo: 'work', referenceId: 'm-1' });
    assert.equal(created.status, 200, created.text);
    assertSpec(created.body, 'Crm.V2.ContactMethodResponse');
    const mid = created.body.id as string;
    assert.equal(created.body.contactId, pid);
    const got = await c.get(`${base}/${mid}`);
    assert.deepEqual(got.body, created.body);

    assert.deepEqual(Object.keys(assertProblem(await c.post(base, { type: 'Pager', value: 'x' }), 400)), ['$.type']);
    assert.deepEqual(assertProblem(await c.post(base, { type: 'Email', value: 'nope' }), 400).Value, ['The Value field is not a valid e-mail address.']);
    assert.deepEqual(assertProblem(await c.post(base, { type: 'Fax', value: '555-0100' }), 400).Value, ['The Value field is not a valid phone number.']);
    assert.deepEqual(assertProblem(await c.post(base, { value: '5550100000' }), 400).Type, ['The Type field is required.']);
    assertProblem(await c.post(`/contacts/${MISSING_GUID}/contact-methods`, { type: 'Email', value: 'a@example.com' }), 404);

    const patched = await c.patch(`${base}/${mid}`, { value: 'other@example.com' });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([patched.body.value, patched.body.memo], ['other@example.com', 'work']);
    assert.ok(assertProblem(await c.patch(`${base}/${mid}`, { value: '5551234567' }), 400).Value, 'type is fixed on PATCH');
    assert.deepEqual(Object.keys(assertProblem(await c.patch(`${base}/${mid}`, { type: 'Phone' }), 400)), ['$.type']);

    const upNew = '6f1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
    const up = await c.put(`${base}/${upNew}`, { type: 'MobilePhone', value: '+1 (415) 555-2671' });
    assert.equal(up.status, 200, up.text);
    assertSpec(up.body, 'Crm.V2.ContactMethodResponse');
    assert.equal(up.body.id, upNew);
    const upAgain = await c.put(`${base}/${upNew}`, { type: 'Phone', value: '4155552672' });
    assert.deepEqual([upAgain.body.type, upAgain.body.value, upAgain.body.createdOn], ['Phone', '4155552672', up.body.createdOn]);
    const byType = await c.get(`${base}?type=Phone&includeTotal=true`);
    assert.equal(byType.body.totalCount, 1);
    assert.ok(assertProblem(await c.get(`${base}?type=Pager`), 400).Type);

    assert.deepEqual([(await c.del(`${base}/${mid}`)).status, (await c.get(`${base}/${mid}`)).status], [200, 404]);
    assertProblem(await c.del(`${base}/${mid}`), 404);
    assertProblem(await c.get(`${base}/bad`), 400);
    const remaining = await c.get(`${base}?includeTotal=true`);
    assert.equal(remaining.body.totalCount, 1);
  });
  void test('PUT of a contact method under an id another contact uses is 400 and changes nothing', async () => {
    const owner = (await c.get('/contacts?pageSize=1')).body.data[0];
    const ownerBase = `/contacts/${owner.id as string}/contact-methods`;
    const ownerMethods = (await c.get(ownerBase)).body.data as Json[];
    const seededId = ownerMethods[0].id as string;
    const other = (await c.post('/contacts', { name: 'Id Thief' })).body.id as string;
    const otherBase = `/contacts/${other}/contact-methods`;

    // A seeded method id, in any GUID format, and a method created through the API.
    const created = (await c.post(ownerBase, { type: 'Email', value: 'owner@example.com' })).body;
    const ids = [seededId, `{${seededId.toUpperCase()}}`, seededId.replace(/-/g, ''), created.id as string];
    for (const id of ids) {
      const errors = assertProblem(await c.put(`${otherBase}/${id}`, { type: 'Phone', value: '4155550100' }), 400);
      assert.deepEqual(Object.keys(errors), ['contactMethodId'], id);
      assert.match(errors.contactMethodId![0]!, new RegExp(`belongs to another contact \\(${owner.id as string}\\)`));
    }
    assert.deepEqual((await c.get(otherBase)).body.data, [], 'nothing was created under the other contact');
    assert.deepEqual((await c.get(ownerBase)).body.data, [...ownerMethods, created], "the owner's methods are unchanged");

    // Still an upsert for its own contact, and a new id still creates.
    const own = await c.put(`${ownerBase}/${seededId}`, { type: 'MobilePhone', value: '4155550101' });
    assert.equal(own.status, 200, own.text);
    const fresh = await c.put(`${otherBase}/7a1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b`, { type: 'Phone', value: '4155550102' });
    assert.equal(fresh.status, 200, fresh.text);
    assertProblem(await c.put(`${ownerBase}/7a1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b`, { type: 'Phone', value: '4155550102' }), 400);
    // Once its contact is deleted, a method id is free again.
    assert.equal((await c.del(`/contacts/${other}`)).status, 200);
    assert.equal((await c.put(`${ownerBase}/7a1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b`, { type: 'Phone', value: '4155550102' })).status, 200);
  });
});

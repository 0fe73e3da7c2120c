// Every CrmClient operation's happy path against the real sandbox, through the real transport.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ProblemError } from '../../../src/api/errors';
import { ADDRESS, startClientFixture, type ClientFixture } from './operationsHarness';

let fx: ClientFixture;
before(async () => {
  fx = await startClientFixture(30);
});
after(async () => {
  await fx.close();
});

async function isProblem(promise: Promise<unknown>, status: number): Promise<ProblemError> {
  let thrown: unknown;
  await assert.rejects(promise, (error: unknown) => {
    thrown = error;
    return error instanceof ProblemError && error.status === status;
  });
  return thrown as ProblemError;
}

void describe('customers', () => {
  void it('lists a page with its total, and gets one customer', async () => {
    const page = await fx.client.listCustomers({ pageSize: 5, includeTotal: true, sort: '+Id' });
    assert.equal(page.page, 1);
    assert.equal(page.pageSize, 5);
    assert.equal(page.data.length, 5);
    assert.equal(page.hasMore, true);
    assert.ok(page.totalCount !== undefined && page.totalCount > 5);
    const ids = page.data.map((c) => c.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );

    const first = page.data[0];
    assert.ok(first);
    const customer = await fx.client.getCustomer(first.id);
    assert.equal(customer.id, first.id);
    assert.equal(customer.name, first.name);
    assert.ok(['Residential', 'Commercial'].includes(customer.type));
    assert.equal(typeof customer.address.street, 'string');
  });

  void it('applies list filters: ids, name, active and dates', async () => {
    const all = await fx.client.listCustomers({ pageSize: 50, active: 'Any' });
    const [a, b] = all.data;
    assert.ok(a && b);
    const byIds = await fx.client.listCustomers({ ids: [a.id, b.id], active: 'Any' });
    assert.deepEqual(byIds.data.map((c) => c.id).sort(), [a.id, b.id].sort());
    const byName = await fx.client.listCustomers({ name: a.name, active: 'Any' });
    assert.ok(byName.data.some((c) => c.id === a.id));
    const inactive = await fx.client.listCustomers({ active: 'False', pageSize: 50 });
    assert.ok(inactive.data.every((c) => !c.active));
    const future = await fx.client.listCustomers({ createdOnOrAfter: '2999-01-01T00:00:00Z' });
    assert.deepEqual(future.data, []);
  });

  void it('creates a customer with a location and contacts, then updates it', async () => {
    const created = await fx.client.createCustomer({
      name: 'Ada Lovelace',
      type: 'Residential',
      address: ADDRESS,
      contacts: [{ type: 'Email', value: 'ada@example.com', memo: 'billing' }],
      locations: [{ name: 'Home', address: { ...ADDRESS, unit: '4B' }, contacts: [{ type: 'MobilePhone', value: '(555) 123-4567' }] }],
    });
    assert.ok(created.id > 0);
    assert.equal(created.name, 'Ada Lovelace');
    assert.equal(created.contacts[0]?.value, 'ada@example.com');
    assert.equal(created.locations.length, 1);
    assert.equal(created.locations[0]?.customerId, created.id);
    assert.equal(created.locations[0]?.contacts[0]?.type, 'MobilePhone');

    const updated = await fx.client.updateCustomer(created.id, { name: 'Ada King', doNotMail: true, type: 'Commercial' });
    assert.equal(updated.name, 'Ada King');
    assert.equal(updated.doNotMail, true);
    assert.equal(updated.type, 'Commercial');
    assert.equal((await fx.client.getCustomer(created.id)).name, 'Ada King');
  });
});

void describe('customer contacts', () => {
  void it('lists, creates, updates and deletes', async () => {
    const customer = (await fx.client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(customer);
    const before = await fx.client.allCustomerContacts(customer.id, { pageSize: 2 });

    const created = await fx.client.createCustomerContact(customer.id, { type: 'Email', value: 'owner@example.com', memo: 'Owner' });
    assert.equal(created.type, 'Email');
    assert.equal(created.value, 'owner@example.com');
    assert.equal(created.memo, 'Owner');

    const listed = await fx.client.listCustomerContacts(customer.id, { includeTotal: true });
    assert.equal(listed.totalCount, before.length + 1);
    assert.ok(listed.data.some((c) => c.id === created.id));

    const updated = await fx.client.updateCustomerContact(customer.id, created.id, { memo: 'Owner (work)' });
    assert.equal(updated.memo, 'Owner (work)');
    assert.equal(updated.value, 'owner@example.com');

    const phone = await fx.client.createCustomerContact(customer.id, { type: 'Phone', value: '555-010-2030' });
    assert.equal(phone.phoneSettings?.doNotText, false);

    await fx.client.deleteCustomerContact(customer.id, created.id);
    await fx.client.deleteCustomerContact(customer.id, phone.id);
    assert.deepEqual(
      (await fx.client.allCustomerContacts(customer.id)).map((c) => c.id),
      before.map((c) => c.id),
    );
  });
});

void describe('contacts and relationships', () => {
  void it('creates, gets, lists, updates, replaces and deletes a contact', async () => {
    const referenceId = `ref-${randomUUID()}`;
    const created = await fx.client.createContact({ name: 'Grace Hopper', title: 'Rear Admiral', referenceId });
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.isArchived, false);

    const got = await fx.client.getContact(created.id);
    assert.equal(got.name, 'Grace Hopper');

    const byRef = await fx.client.listContacts({ referenceId, includeTotal: true });
    assert.equal(byRef.totalCount, 1);
    assert.equal(byRef.data[0]?.id, created.id);
    const byName = await fx.client.allContacts({ name: 'grace hopper' });
    assert.ok(byName.some((c) => c.id === created.id));

    const patched = await fx.client.updateContact(created.id, { title: 'Admiral', isArchived: false });
    assert.equal(patched.title, 'Admiral');
    assert.equal(patched.name, 'Grace Hopper');

    const replaced = await fx.client.replaceContact(created.id, { name: 'G. Hopper', isArchived: true });
    assert.equal(replaced.name, 'G. Hopper');
    assert.equal(replaced.title ?? undefined, undefined, 'PUT clears fields left out');
    assert.equal(replaced.isArchived, true);
    assert.ok((await fx.client.allContacts({ isArchived: true })).some((c) => c.id === created.id));

    await fx.client.deleteContact(created.id);
    await isProblem(fx.client.getContact(created.id), 404);
  });

  void it('relates a contact to a customer and a location, finds it by related entity, and unrelates it', async () => {
    const customer = (await fx.client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(customer);
    const location = (await fx.client.listLocations({ customerId: customer.id })).data[0];
    assert.ok(location);
    const contact = await fx.client.createContact({ name: 'Kelly' });

    await fx.client.createContactRelationship(contact.id, customer.id, 'customer');
    await fx.client.createContactRelationship(contact.id, location.id, 'location');

    const relationships = await fx.client.listContactRelationships(contact.id, { includeTotal: true });
    assert.equal(relationships.totalCount, 2);
    assert.deepEqual(relationships.data.map((r) => `${r.typeSlug}:${r.relatedEntityId}`).sort(), [`customer:${customer.id}`, `location:${location.id}`].sort());
    const onlyCustomer = await fx.client.allContactRelationships(contact.id, { typeSlug: 'customer' });
    assert.equal(onlyCustomer.length, 1);
    assert.equal(onlyCustomer[0]?.typeName, 'Customer');

    const related = await fx.client.allContactsByRelatedEntity(customer.id, {}, { pageSize: 1 });
    assert.ok(related.some((c) => c.id === contact.id));
    const relatedPage = await fx.client.listContactsByRelatedEntity(location.id, { name: 'Kelly' });
    assert.ok(relatedPage.data.some((c) => c.id === contact.id));

    // ServiceTitan refuses to delete a contact that still has relationships.
    const conflict = await isProblem(fx.client.deleteContact(contact.id), 409);
    assert.ok(conflict.traceId);

    await fx.client.deleteContactRelationship(contact.id, customer.id, 'customer');
    await fx.client.deleteContactRelationship(contact.id, location.id, 'location');
    assert.deepEqual((await fx.client.listContactRelationships(contact.id)).data, []);
    await fx.client.deleteContact(contact.id);
  });
});

void describe('contact methods', () => {
  void it('creates, gets, lists, upserts, updates and deletes', async () => {
    const contact = await fx.client.createContact({ name: 'Method Test' });
    const email = await fx.client.createContactMethod(contact.id, { type: 'Email', value: 'mt@example.com', memo: 'work', referenceId: 'cm-1' });
    assert.equal(email.contactId, contact.id);
    assert.equal(email.type, 'Email');

    const got = await fx.client.getContactMethod(contact.id, email.id);
    assert.equal(got.value, 'mt@example.com');

    const newId = randomUUID();
    const upserted = await fx.client.upsertContactMethod(contact.id, newId, { type: 'MobilePhone', value: '+1 (555) 987-6543' });
    assert.equal(upserted.id, newId);
    const replaced = await fx.client.upsertContactMethod(contact.id, newId, { type: 'MobilePhone', value: '+1 (555) 987-0000', memo: 'cell' });
    assert.equal(replaced.memo, 'cell');

    const listed = await fx.client.listContactMethods(contact.id, { includeTotal: true });
    assert.equal(listed.totalCount, 2);
    assert.deepEqual(
      (await fx.client.allContactMethods(contact.id, { type: 'Email' })).map((m) => m.id),
      [email.id],
    );
    assert.deepEqual(
      (await fx.client.allContactMethods(contact.id, { referenceId: 'cm-1' })).map((m) => m.id),
      [email.id],
    );

    const updated = await fx.client.updateContactMethod(contact.id, email.id, { value: 'mt2@example.com' });
    assert.equal(updated.value, 'mt2@example.com');
    assert.equal(updated.memo, 'work');

    await fx.client.deleteContactMethod(contact.id, email.id);
    await fx.client.deleteContactMethod(contact.id, newId);
    assert.deepEqual((await fx.client.listContactMethods(contact.id)).data, []);
    await isProblem(fx.client.getContactMethod(contact.id, email.id), 404);
    await fx.client.deleteContact(contact.id);
  });
});

void describe('locations and location contacts', () => {
  void it('lists and gets locations', async () => {
    const page = await fx.client.listLocations({ pageSize: 3, includeTotal: true });
    assert.equal(page.data.length, 3);
    assert.ok((page.totalCount ?? 0) >= 30);
    const first = page.data[0];
    assert.ok(first);
    const location = await fx.client.getLocation(first.id);
    assert.equal(location.customerId, first.customerId);
    const ofCustomer = await fx.client.allLocations({ customerId: first.customerId, active: 'Any' });
    assert.ok(ofCustomer.every((l) => l.customerId === first.customerId));
    assert.ok(ofCustomer.some((l) => l.id === first.id));
  });

  void it('lists, creates, updates and deletes location contacts', async () => {
    const location = (await fx.client.listLocations({ pageSize: 1 })).data[0];
    assert.ok(location);
    const before = await fx.client.allLocationContacts(location.id);
    const created = await fx.client.createLocationContact(location.id, { type: 'Fax', value: '555-222-3333', memo: 'office fax' });
    assert.equal(created.type, 'Fax');
    const listed = await fx.client.listLocationContacts(location.id, { includeTotal: true });
    assert.equal(listed.totalCount, before.length + 1);
    const updated = await fx.client.updateLocationContact(location.id, created.id, { type: 'Email', value: 'site@example.com' });
    assert.equal(updated.type, 'Email');
    assert.equal(updated.value, 'site@example.com');
    await fx.client.deleteLocationContact(location.id, created.id);
    assert.equal((await fx.client.allLocationContacts(location.id)).length, before.length);
  });
});

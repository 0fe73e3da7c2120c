// The sandbox's list answers at 100,000 customers (issue 13): totals, the document's filters and
// sorts, deep pages and hasMore, compared page by page with an independent count of the seeded data
// (scale/seededModel.ts builds it from SeedData's per-record definition, scale/filters.ts filters it
// with plain arrays). Then writes through the API, applied to the model the same way, and the same
// questions again: indexes and cached columns usually break on updates. No time is asserted (that is
// the bench's business). Queries are kept few: one query often combines filters that each narrow
// what the others select, so a filter that is ignored still changes the answer.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../../sandbox/index';
import { withSandbox, type Client, type Reply } from './helpers';
import {
  customerContactsFor,
  customersFor,
  locationContactsFor,
  locationsFor,
  methodsFor,
  peopleFor,
  peopleRelatedFor,
  phoneDigits,
  type Params,
} from './scale/filters';
import {
  assertPage,
  customerContactShown,
  customerShown,
  lastPage,
  locationContactShown,
  locationShown,
  methodShown,
  pageHolding,
  personShown,
  phoneShown,
  type Checked,
} from './scale/pageCheck';
import {
  customerRow,
  locationRow,
  methodRow,
  personRow,
  phoneRow,
  SeededModel,
  type CustomerBody,
  type CustomerRow,
  type LocationBody,
  type LocationRow,
  type MethodBody,
  type MethodRow,
  type PersonBody,
  type PersonRow,
  type PhoneBody,
  type PhoneRow,
} from './scale/seededModel';

const SEED = 13;
const CUSTOMERS = 100_000;
/** The application whose external data the writes set (the customer list filters by it). */
const APP = '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5';
const EVER = '2000-01-01T00:00:00.000Z';

const iso = (ms: number): string => new Date(ms).toISOString();
/** "Garcia" -> "gARCIA": text filters ignore case. */
const swapCase = (s: string): string => [...s].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
/** 2015550123 -> "+1 (201) 555-0123": phone filters compare numbers, not spellings. */
const spelled = (digits: string): string => `+1 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
const address = (street: string, city: string, state: string, zip: string): Record<string, string | number> => ({
  street,
  unit: 'Suite 9',
  city,
  state,
  zip,
  country: 'USA',
  latitude: 30.27,
  longitude: -97.74,
});
const firstPhone = (list: readonly PhoneRow[]): PhoneRow | undefined => list.find((k) => k.type !== 'Email');

async function ok<T>(reply: Promise<Reply>, what: string): Promise<T> {
  const r = await reply;
  assert.equal(r.status, 200, `${what}: ${r.text.slice(0, 500)}`);
  return r.body as T;
}

/** The page asked for shows rows: a check on nothing proves little. */
function shows<T>(checked: Checked<T>): Checked<T> {
  assert.ok(checked.rows.length > 0, `GET ${checked.query} was meant to show rows`);
  return checked;
}
const idsOf = (checked: Checked<{ id: number | string }>): Array<number | string> => checked.rows.map((x) => x.id);

void describe(`sandbox list answers at ${CUSTOMERS.toLocaleString('en-US')} customers`, { timeout: 600_000 }, () => {
  let sb: RunningSandbox;
  let c: Client;
  let m: SeededModel;
  before(async () => {
    ({ sb, c } = await withSandbox({ customers: CUSTOMERS, seed: SEED }));
    m = SeededModel.build(SEED, CUSTOMERS);
  });
  after(async () => {
    await sb.close();
  });

  const customers = (p: Params): Promise<Checked<CustomerRow>> => assertPage(c, '/customers', p, customersFor(m, p), customerShown);
  const locations = (p: Params): Promise<Checked<LocationRow>> => assertPage(c, '/locations', p, locationsFor(m, p), locationShown);
  const people = (p: Params): Promise<Checked<PersonRow>> => assertPage(c, '/contacts', p, peopleFor(m, p), personShown);
  const related = (entityId: number): Promise<Checked<PersonRow>> =>
    assertPage(c, `/contacts/relationships/${entityId}`, { includeTotal: true }, peopleRelatedFor(m, entityId, {}), personShown);
  const methods = (p: Params): Promise<Checked<MethodRow>> => assertPage(c, '/contacts/contact-methods', p, methodsFor(m, p), methodShown);
  const customerContacts = (p: Params): Promise<Checked<PhoneRow>> => assertPage(c, '/customers/contacts', p, customerContactsFor(m, p), customerContactShown);
  const locationContacts = (p: Params): Promise<Checked<PhoneRow>> => assertPage(c, '/locations/contacts', p, locationContactsFor(m, p), locationContactShown);
  const contactsOfCustomer = (id: number): Promise<Checked<PhoneRow>> =>
    assertPage(c, `/customers/${id}/contacts`, { includeTotal: true }, m.customerContactsOf(id), phoneShown);
  const contactsOfLocation = (id: number): Promise<Checked<PhoneRow>> =>
    assertPage(c, `/locations/${id}/contacts`, { includeTotal: true }, m.locationContactsOf(id), phoneShown);

  /** The first customer from index `from` on that passes `pick`. */
  const customerFrom = (from: number, pick: (x: CustomerRow) => boolean): CustomerRow => {
    const found = m.customers.slice(from).find(pick);
    assert.ok(found, `no customer from index ${from} fits`);
    return found;
  };

  void test('customers: totals for active True, False and Any; every sort; deep pages, the last and one past it', async () => {
    assert.equal(m.customers.length, CUSTOMERS);
    shows(await customers({ includeTotal: true, page: 1500 }));
    shows(await customers({ active: 'False', sort: 'ModifiedOn', includeTotal: true, pageSize: 200, page: 20 }));
    // 100,000 customers are exactly 2,000 pages of 50: the last is full and has no more; one past it is empty.
    assert.equal(shows(await customers({ active: 'Any', includeTotal: true, page: 2000 })).total, CUSTOMERS);
    assert.equal((await customers({ active: 'any', page: 2001 })).rows.length, 0); // (values ignore case)
    assert.equal(shows(await customers({ active: 'Any', sort: '-Id', pageSize: 1 })).rows[0]?.id, 10_000_000 + CUSTOMERS - 1);
    shows(await customers({ sort: '-Id', page: 300 }));
    shows(await customers({ sort: '+Id', page: 3, pageSize: 7 }));
    shows(await customers({ sort: 'CreatedOn', page: 1190, pageSize: 75 }));
    shows(await customers({ sort: '-ModifiedOn', includeTotal: true, pageSize: 500, page: 3 }));
  });

  void test('customers: each filter of Customers_GetList, with sorts and deep pages', async () => {
    const lastName = m.customers[4242]?.name.split(' ').pop() ?? '';
    assert.ok(shows(await customers({ name: swapCase(lastName), city: 'salt lake', sort: '-CreatedOn', includeTotal: true })).total > 1);
    shows(await customers({ street: 'HILLCREST', state: 'tx', modifiedBefore: '2024-01-01T00:00:00Z', sort: '-ModifiedOn', includeTotal: true, page: 2 }));
    const withUnit = customerFrom(777, (x) => x.address.unit !== undefined);
    shows(await customers({ unit: (withUnit.address.unit ?? '').toLowerCase(), zip: withUnit.address.zip, active: 'Any', includeTotal: true }));
    // Every seeded customer is in the USA; the largest page size, on the last (partial) page.
    const usa = shows(await customers({ country: 'usa', includeTotal: true, pageSize: 5000, page: 18 }));
    assert.ok(usa.rows.length < 5000 && usa.total > 85_000, `${usa.rows.length} of ${usa.total}`);
    const withPhone = customerFrom(55_555, (x) => firstPhone(m.customerContactsOf(x.id)) !== undefined);
    const phone = phoneDigits(firstPhone(m.customerContactsOf(withPhone.id))?.value ?? '');
    assert.ok(idsOf(await customers({ phone: spelled(phone), active: 'Any', includeTotal: true })).includes(withPhone.id));

    const inactive = customerFrom(100, (x) => !x.active).id;
    const ids = [10_000_000 + 99_998, 10_000_000 + 5, inactive, 10_000_000 + 5, 10_000_000 + CUSTOMERS, 10_000_000 + 61_234, 10_000_000].join(',');
    shows(await customers({ ids, includeTotal: true }));
    shows(await customers({ ids, active: 'Any', sort: '-ModifiedOn' }));

    // Date bounds exactly on a record: Before excludes it, OnOrAfter includes it.
    const middle = m.customers[50_000] as CustomerRow;
    const older = shows(await customers({ createdBefore: iso(middle.createdMs), active: 'Any', sort: '-Id', includeTotal: true }));
    assert.deepEqual([older.total, older.rows[0]?.id], [50_000, middle.id - 1]);
    const touched = customerFrom(70_000, (x) => x.modifiedMs > x.createdMs);
    const later = {
      createdOnOrAfter: iso(middle.createdMs),
      modifiedOnOrAfter: iso(touched.modifiedMs),
      active: 'Any',
      sort: 'ModifiedOn',
      includeTotal: true,
    };
    assert.equal(shows(await customers(later)).rows[0]?.id, touched.id);
    // No seeded customer has external data.
    assert.equal(
      (await customers({ externalDataApplicationGuid: APP, externalDataKey: 'scaleRef', externalDataValues: 'Q-1,W-2', active: 'Any', includeTotal: true }))
        .total,
      0,
    );
  });

  void test('locations: totals, filters, sorts and deep pages', async () => {
    const all = m.locations();
    assert.ok(all.length > CUSTOMERS);
    shows(await locations({ includeTotal: true, page: 1900 }));
    shows(
      await locations({
        active: 'False',
        sort: '-ModifiedOn',
        includeTotal: true,
        pageSize: 100,
        page: lastPage(locationsFor(m, { active: 'False' }).length, 100),
      }),
    );
    shows(await locations({ name: 'BRANCH', state: 'tx', sort: 'CreatedOn', includeTotal: true, page: 3 }));
    shows(
      await locations({
        street: 'orchard',
        city: 'las',
        createdOnOrAfter: '2020-01-01T00:00:00Z',
        modifiedBefore: '2025-01-01T00:00:00Z',
        active: 'Any',
        sort: '-Id',
        includeTotal: true,
      }),
    );
    const withUnit = all.slice(5000).find((l) => l.address.unit?.startsWith('Suite') === true) as LocationRow;
    shows(await locations({ unit: (withUnit.address.unit ?? '').toUpperCase(), zip: withUnit.address.zip, country: 'usa', active: 'Any', includeTotal: true }));
    const branch = customerFrom(9_000, (x) => m.locationsOf(x.id).length === 2);
    assert.equal(shows(await locations({ customerId: branch.id, active: 'Any', includeTotal: true })).total, 2);
    shows(await locations({ ids: [all[10]?.id, all[60_000]?.id, all[60_001]?.id, 30_000_001, all[10]?.id].join(','), active: 'Any' }));
  });

  void test('people contacts: totals, filters, sorts and deep pages; contacts by relationship', async () => {
    const an = peopleFor(m, { name: 'AN' }).length;
    assert.ok(an > 10_000, `${an}`);
    shows(await people({ name: 'AN', includeTotal: true, page: lastPage(an) - 3 }));
    shows(await people({ sort: '-ModifiedOn', includeTotal: true, page: 4 }));
    shows(
      await people({
        title: 'manager',
        isArchived: false,
        createdBefore: '2021-01-01T00:00:00Z',
        modifiedOnOrAfter: '2024-01-01T00:00:00Z',
        sort: '-Id',
        includeTotal: true,
        page: 3,
      }),
    );
    shows(
      await people({ referenceId: m.people.slice(33_333).find((p) => p.referenceId !== undefined)?.referenceId ?? '', sort: 'CreatedOn', includeTotal: true }),
    );
    const couple = customerFrom(77_777, (x) => m.peopleRelatedTo(x.id).length === 2);
    assert.equal(shows(await related(couple.id)).total, 2);
    shows(
      await related(
        m
          .locations()
          .slice(40_000)
          .find((l) => m.peopleRelatedTo(l.id).length > 0)?.id ?? 0,
      ),
    );
  });

  // The value filter and the sort by -ModifiedOn of the whole list are checked after the writes.
  void test("contact methods across all people: type filter; one person's methods by value", async () => {
    const all = m.methods();
    shows(await methods({ type: 'Fax', sort: 'CreatedOn', includeTotal: true, page: 150 }));
    // One person's methods (cheap): phones match as numbers, emails ignoring case and surrounding spaces.
    const phone = all.slice(123_456).find((x) => x.type !== 'Email') as MethodRow;
    assert.deepEqual(idsOf(shows(await methods({ contactId: phone.contactId, value: spelled(phoneDigits(phone.value)) }))), [phone.id]);
    const email = all.slice(200_000).find((x) => x.type === 'Email') as MethodRow;
    assert.deepEqual(idsOf(shows(await methods({ contactId: email.contactId, value: ` ${email.value.toUpperCase()} ` }))), [email.id]);
    shows(await methods({ contactId: m.people[99_999]?.id ?? '', sort: '-Id', includeTotal: true }));
  });

  void test('customer and location contacts across all parents, with totals', async () => {
    const cut = { createdBefore: iso((m.customers[60_000] as CustomerRow).createdMs), modifiedOnOrAfter: '2020-01-01T00:00:00Z' };
    shows(await customerContacts({ ...cut, includeTotal: true, pageSize: 500, page: lastPage(customerContactsFor(m, cut).length, 500) }));
    shows(await customerContacts({ customerIds: [10_077_777, 10_000_003, 10_099_999, 10_050_000].join(','), modifiedOnOrAfter: EVER, includeTotal: true }));
    shows(await locationContacts({ modifiedBefore: '2100-01-01T00:00:00Z', includeTotal: true, page: 2400 }));
    const locs = m.locations();
    shows(
      await locationContacts({
        locationIds: [locs[5]?.id, locs[70_000]?.id, locs[70_001]?.id, locs[120_000]?.id].join(','),
        modifiedOnOrAfter: EVER,
        includeTotal: true,
      }),
    );
    shows(await contactsOfCustomer(customerFrom(77_777, (x) => m.customerContactsOf(x.id).length > 2).id));
  });

  // ---- writes, then the same questions again ---------------------------------------------------
  let writesFrom = '';
  /** What the writes touched, for the checks after them. */
  const w = {
    created: [] as CustomerBody[],
    renamed: 0,
    deactivated: 0,
    reactivated: 0,
    phoneAdded: 0,
    phoneRemoved: { customer: 0, value: '' },
    phoneChanged: 0,
    annex: 0,
    renamedLocation: 0,
    closedLocation: 0,
    trimmedLocation: 0,
    person: '',
    archived: '',
    changedMethod: { id: '', value: '(720) 555-0111' },
    deleted: { person: '', customer: 0 },
  };

  void test('writes through the API: customers created, renamed, deactivated and reactivated; contacts, locations, people and methods', async () => {
    writesFrom = new Date().toISOString();
    assert.ok(writesFrom > '2025-05-01', 'the clock is past every seeded date, so "modified since the writes" means the writes');
    for (const [name, type, ref, phone, hqContacts] of [
      ['Scaletest Quokka Ltd', 'Commercial', 'Q-1', '+1 512 555 0142', [{ type: 'Phone', value: '(512) 555-0177' }]],
      ['Scaletest Wombat', 'Residential', 'W-2', '(415) 555-0199', []],
    ] as const) {
      const at = address(`${ref} ${name.split(' ')[1] ?? ''} Way`, 'Austin', 'TX', '78701');
      const created = await ok<CustomerBody & { locations: LocationBody[] }>(
        c.post('/customers', {
          name,
          type,
          address: at,
          locations: [{ name: `${name} HQ`, address: at, contacts: hqContacts }],
          contacts: [
            { type: 'MobilePhone', value: phone },
            { type: 'Email', value: `${ref.toLowerCase()}@example.com` },
          ],
          externalData: { applicationGuid: APP, externalData: [{ key: 'scaleRef', value: ref }] },
        }),
        `create ${name}`,
      );
      w.created.push(created);
      m.putCustomer(customerRow(created, [{ applicationGuid: APP, key: 'scaleRef', value: ref }]));
      // The new contacts' dates are the server's: read them from the parent's own list.
      const own = await ok<{ data: PhoneBody[] }>(c.get(`/customers/${created.id}/contacts`), 'customer contacts');
      assert.equal(own.data.length, 2);
      for (const k of own.data) m.putCustomerContact(phoneRow(k, created.id));
      for (const l of created.locations) {
        m.putLocation(locationRow(l));
        for (const k of (await ok<{ data: PhoneBody[] }>(c.get(`/locations/${l.id}/contacts`), 'location contacts')).data)
          m.putLocationContact(phoneRow(k, l.id));
      }
    }
    const patchCustomer = async (x: CustomerRow, body: Record<string, unknown>): Promise<number> => {
      m.putCustomer(customerRow(await ok<CustomerBody>(c.patch(`/customers/${x.id}`, body), `patch customer ${x.id}`), x.external));
      return x.id;
    };
    w.renamed = await patchCustomer(
      customerFrom(12_345, (x) => x.active),
      { name: 'Scaletest Renamed Customer', address: address('9 Renamed Rd', 'Boise', 'ID', '83702') },
    );
    w.deactivated = await patchCustomer(
      customerFrom(23_456, (x) => x.active),
      { active: false },
    );
    w.reactivated = await patchCustomer(
      customerFrom(34_567, (x) => !x.active),
      { active: true },
    );

    // Customer contacts: one added, one removed, one changed.
    w.phoneAdded = customerFrom(45_678, (x) => x.active).id;
    m.putCustomerContact(
      phoneRow(await ok<PhoneBody>(c.post(`/customers/${w.phoneAdded}/contacts`, { type: 'Phone', value: '(303) 555-0123' }), 'add contact'), w.phoneAdded),
    );
    const removedFrom = customerFrom(56_789, (x) => x.active && firstPhone(m.customerContactsOf(x.id)) !== undefined);
    const removed = firstPhone(m.customerContactsOf(removedFrom.id)) as PhoneRow;
    w.phoneRemoved = { customer: removedFrom.id, value: removed.value };
    await ok(c.del(`/customers/${removedFrom.id}/contacts/${removed.id}`), 'remove contact');
    m.removeCustomerContact(removedFrom.id, removed.id);
    const changedOn = customerFrom(67_890, (x) => x.active && firstPhone(m.customerContactsOf(x.id)) !== undefined);
    const changed = firstPhone(m.customerContactsOf(changedOn.id)) as PhoneRow;
    w.phoneChanged = changedOn.id;
    m.putCustomerContact(
      phoneRow(await ok<PhoneBody>(c.patch(`/customers/${changedOn.id}/contacts/${changed.id}`, { value: '(303) 555-0124' }), 'change contact'), changedOn.id),
    );

    // Locations: one added to a seeded customer, one renamed, one deactivated; a contact added, one removed.
    const annexOf = customerFrom(11_111, (x) => x.active && m.locationsOf(x.id).length === 1);
    const annex = await ok<LocationBody>(
      c.post('/locations', { customerId: annexOf.id, name: 'Scaletest Annex', address: address('5 Annex Ave', 'Denver', 'CO', '80202') }),
      'add location',
    );
    w.annex = annex.id;
    m.putLocation(locationRow(annex));
    const seeded = m.locations().filter((l) => l.id < 100_000_000 && l.active);
    const patchLocation = async (l: LocationRow, body: Record<string, unknown>): Promise<number> => {
      m.putLocation(locationRow(await ok<LocationBody>(c.patch(`/locations/${l.id}`, body), `patch location ${l.id}`), l.external));
      return l.id;
    };
    w.renamedLocation = await patchLocation(seeded[22_222] as LocationRow, { name: 'Scaletest Renamed Location' });
    w.closedLocation = await patchLocation(seeded[33_333] as LocationRow, { active: false });
    m.putLocationContact(
      phoneRow(
        await ok<PhoneBody>(c.post(`/locations/${w.renamedLocation}/contacts`, { type: 'Email', value: 'annex@example.com' }), 'add location contact'),
        w.renamedLocation,
      ),
    );
    const trimmed = seeded.slice(44_444).find((l) => m.locationContactsOf(l.id).length > 0) as LocationRow;
    const gone = m.locationContactsOf(trimmed.id)[0] as PhoneRow;
    w.trimmedLocation = trimmed.id;
    await ok(c.del(`/locations/${trimmed.id}/contacts/${gone.id}`), 'remove location contact');
    m.removeLocationContact(trimmed.id, gone.id);

    // People: one created with a method and a relationship, one archived, a method changed, one removed, a person deleted.
    const person = await ok<PersonBody>(c.post('/contacts', { name: 'Scaletest Person', title: 'Site Manager' }), 'create person');
    w.person = person.id;
    m.putPerson(personRow(person));
    m.putMethod(
      methodRow(await ok<MethodBody>(c.post(`/contacts/${person.id}/contact-methods`, { type: 'MobilePhone', value: '(720) 555-0100' }), 'add method')),
    );
    const firstCreated = (w.created[0] as CustomerBody).id;
    await ok(c.post(`/contacts/${person.id}/relationships/${firstCreated}/customer`), 'relate person');
    m.relate(person.id, firstCreated);
    const archived = m.people[20_000] as PersonRow;
    w.archived = archived.id;
    m.putPerson(personRow(await ok<PersonBody>(c.patch(`/contacts/${archived.id}`, { isArchived: true, title: 'Scaletest Title' }), 'archive person')));
    const owner = m.people[40_000] as PersonRow;
    const method = m.methodsOf(owner.id).find((x) => x.type === 'MobilePhone') as MethodRow;
    w.changedMethod.id = method.id;
    m.putMethod(
      methodRow(await ok<MethodBody>(c.patch(`/contacts/${owner.id}/contact-methods/${method.id}`, { value: w.changedMethod.value }), 'change method')),
    );
    const trimmedPerson = m.people[80_000] as PersonRow;
    const dropped = m.methodsOf(trimmedPerson.id)[0] as MethodRow;
    await ok(c.del(`/contacts/${trimmedPerson.id}/contact-methods/${dropped.id}`), 'remove method');
    m.removeMethod(trimmedPerson.id, dropped.id);
    // A person with relationships cannot be deleted (409): remove them first, as the extension does.
    const doomed = m.people[60_000] as PersonRow;
    const rels = await ok<{ data: Array<{ relatedEntityId: number; typeSlug: string }> }>(c.get(`/contacts/${doomed.id}/relationships`), 'relationships');
    assert.ok(rels.data.length > 0);
    w.deleted = { person: doomed.id, customer: rels.data.find((r) => r.typeSlug === 'customer')?.relatedEntityId ?? 0 };
    for (const r of rels.data) {
      await ok(c.del(`/contacts/${doomed.id}/relationships/${r.relatedEntityId}/${r.typeSlug}`), 'unrelate person');
      m.unrelate(doomed.id, r.relatedEntityId);
    }
    await ok(c.del(`/contacts/${doomed.id}`), 'delete person');
    m.removePerson(doomed.id);
  });

  // (Writes a millisecond apart may share a date; ties go by id, which the page comparison checks,
  // so the checks below only say which rows must lead, not in which order.)
  const leading = (checked: Checked<{ id: number | string }>, n: number): Array<number | string> => idsOf(checked).slice(0, n).sort();
  const sortedIds = (...ids: Array<number | string>): Array<number | string> => ids.sort();

  void test('after the writes: customer totals, sorts, filters and deep pages', async () => {
    const [a, b] = (w.created as [CustomerBody, CustomerBody]).map((x) => x.id) as [number, number];
    const tail = shows(await customers({ includeTotal: true, page: lastPage(customersFor(m, {}).length) }));
    assert.deepEqual(idsOf(tail).slice(-2), [a, b]);
    assert.equal(shows(await customers({ active: 'False', sort: '-ModifiedOn', includeTotal: true })).rows[0]?.id, w.deactivated);
    assert.deepEqual(leading(shows(await customers({ sort: '-ModifiedOn', includeTotal: true, page: 1 })), 4), sortedIds(a, b, w.renamed, w.reactivated));
    assert.equal(shows(await customers({ modifiedOnOrAfter: writesFrom, active: 'Any', sort: '-CreatedOn', includeTotal: true })).total, 5);
    assert.deepEqual(idsOf(shows(await customers({ name: 'scaletest', active: 'Any', includeTotal: true }))), [w.renamed, a, b]);
    assert.equal(shows(await customers({ city: 'boise', state: 'ID', sort: '-ModifiedOn', includeTotal: true })).rows[0]?.id, w.renamed);
    assert.deepEqual(idsOf(shows(await customers({ phone: '303.555.0123', active: 'Any' }))), [w.phoneAdded]);
    assert.ok(!idsOf(await customers({ phone: w.phoneRemoved.value, active: 'Any', includeTotal: true })).includes(w.phoneRemoved.customer));
    assert.deepEqual(
      idsOf(shows(await customers({ externalDataApplicationGuid: APP, externalDataKey: 'scaleRef', externalDataValues: 'Q-1, W-2', includeTotal: true }))),
      [a, b],
    );
    const ids = [w.renamed, w.deactivated, w.reactivated, a, b, 99].join(',');
    shows(await customers({ ids, includeTotal: true }));
    shows(await customers({ ids, active: 'Any', sort: '-CreatedOn', includeTotal: true }));
  });

  void test('after the writes: locations', async () => {
    shows(await locations({ includeTotal: true, page: pageHolding(locationsFor(m, {}), w.annex) }));
    assert.equal(shows(await locations({ name: 'scaletest', active: 'Any', includeTotal: true })).total, 4);
    // The two new customers' locations, the annex, the renamed and the deactivated one.
    const changed = shows(await locations({ modifiedOnOrAfter: writesFrom, active: 'Any', sort: '-ModifiedOn', includeTotal: true }));
    assert.deepEqual([changed.total, changed.rows[0]?.id], [5, w.closedLocation]);
    shows(await locations({ customerId: m.location(w.annex).customerId, active: 'Any', includeTotal: true }));
    shows(await locations({ ids: [w.annex, w.renamedLocation, w.closedLocation].join(','), active: 'Any' }));
  });

  void test('after the writes: locations sorted by Id put a location added to a seeded customer after every seeded id', async () => {
    await locations({ sort: '-Id', active: 'Any', pageSize: 5 });
    await locations({ sort: 'Id', active: 'Any', pageSize: 5000, page: lastPage(locationsFor(m, { active: 'Any' }).length, 5000) });
  });

  void test('after the writes: people, contacts by relationship, contact methods', async () => {
    assert.equal(idsOf(shows(await people({ includeTotal: true, page: lastPage(m.people.length) }))).at(-1), w.person);
    assert.deepEqual(
      leading(shows(await people({ modifiedOnOrAfter: writesFrom, sort: '-ModifiedOn', includeTotal: true })), 3),
      sortedIds(w.archived, w.person),
    );
    assert.ok(!idsOf(await related(w.deleted.customer)).includes(w.deleted.person));
    assert.deepEqual(idsOf(shows(await related((w.created[0] as CustomerBody).id))), [w.person]);
    // Every person's first method is a mobile phone: the one changed, the one removed, the deleted person's and the new one.
    assert.ok(
      idsOf(shows(await methods({ type: 'MobilePhone', sort: '-ModifiedOn', includeTotal: true, pageSize: 1000 })))
        .slice(0, 2)
        .includes(w.changedMethod.id),
    );
    assert.deepEqual(idsOf(shows(await methods({ value: '720.555.0111', includeTotal: true }))), [w.changedMethod.id]);
    shows(await methods({ contactId: w.person, includeTotal: true }));
    assert.equal((await methods({ contactId: w.deleted.person, includeTotal: true })).total, 0);
  });

  void test('after the writes: customer and location contacts across all parents', async () => {
    assert.equal(shows(await customerContacts({ modifiedOnOrAfter: writesFrom, includeTotal: true })).total, 6);
    const all = customerContactsFor(m, { modifiedOnOrAfter: EVER });
    const added = m.customerContactsOf(w.phoneAdded).at(-1)?.id ?? 0;
    shows(await customerContacts({ modifiedOnOrAfter: EVER, includeTotal: true, page: pageHolding(all, added) }));
    shows(
      await customerContacts({
        customerIds: [w.phoneAdded, w.phoneRemoved.customer, w.phoneChanged, ...w.created.map((x) => x.id)].join(','),
        modifiedOnOrAfter: EVER,
        includeTotal: true,
      }),
    );
    assert.equal(shows(await locationContacts({ modifiedOnOrAfter: writesFrom, includeTotal: true })).total, 2);
    const touched = [w.renamedLocation, w.trimmedLocation, ...w.created.flatMap((x) => m.locationsOf(x.id).map((l) => l.id))];
    shows(await locationContacts({ locationIds: touched.join(','), modifiedBefore: '2100-01-01T00:00:00Z', includeTotal: true }));
    for (const id of [w.phoneAdded, w.phoneRemoved.customer, w.phoneChanged]) await contactsOfCustomer(id);
    await contactsOfLocation(w.trimmedLocation);
  });
});

// The store's lists (columns, sorted permutations, changes merged in) against a naive model of
// the same store: every current record walked in order, filtered and sorted in memory, sliced.
// fast-check drives random creates, updates and deletes through the store's mutators, with
// times that tie with seeded ones, and compares every kind of page after each step.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Store } from '../../../../sandbox/store';
import type { Sort } from '../../../../sandbox/query/sorting';
import type { ContactType, CustomerRec, LocationRec, MethodRec, PersonRec, PhoneContactRec } from '../../../../sandbox/types';

// ---- the naive model: walk everything, filter, sort, slice ------------------------------------
interface Paging {
  page: number;
  pageSize: number;
  includeTotal: boolean;
}
interface Row {
  id: number | string;
  createdOn: string;
  modifiedOn?: string;
}

function naivePage<T>(rows: readonly T[], paging: Paging): { page: number; pageSize: number; hasMore: boolean; totalCount?: number; data: T[] } {
  const from = (paging.page - 1) * paging.pageSize;
  const data = rows.slice(from, from + paging.pageSize);
  const hasMore = rows.length > from + paging.pageSize;
  return paging.includeTotal
    ? { page: paging.page, pageSize: paging.pageSize, hasMore, totalCount: rows.length, data }
    : { page: paging.page, pageSize: paging.pageSize, hasMore, data };
}

/** `sort` as the API defines it: by the field, ties by id; descending is the exact reverse. */
function naiveSort<T extends Row>(rows: readonly T[], sort: Sort | undefined): T[] {
  if (!sort) return [...rows];
  const f = sort.field.toLowerCase();
  const key = (r: T): number => (f === 'createdon' ? Date.parse(r.createdOn) : Date.parse(r.modifiedOn ?? r.createdOn));
  const byId = (a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const out = f === 'id' ? [...rows].sort(byId) : [...rows].sort((a, b) => key(a) - key(b) || byId(a, b));
  return sort.descending ? out.reverse() : out;
}

function walkCustomers(st: Store): CustomerRec[] {
  const out: CustomerRec[] = [];
  for (let i = 0; i < st.seedData.count; i++) out.push(st.getCustomer(st.seedData.customerId(i)) as CustomerRec);
  for (const id of st.snapshot().createdCustomerIds) {
    const c = st.getCustomer(id);
    if (c) out.push(c);
  }
  return out;
}
const walkLocations = (st: Store): LocationRec[] =>
  walkCustomers(st).flatMap((c) =>
    st
      .locationIdsOfCustomer(c.id)
      .map((id) => st.getLocation(id))
      .filter((l): l is LocationRec => l !== undefined),
  );
function walkPeople(st: Store): PersonRec[] {
  const ids: string[] = [];
  for (let i = 0; i < st.seedData.count; i++) for (let s = 0; s < st.seedData.peopleCount(i); s++) ids.push(st.seedData.personGuid(i, s));
  ids.push(...st.snapshot().createdPeople);
  return ids.map((id) => st.getPerson(id)).filter((p): p is PersonRec => p !== undefined);
}
const walkMethods = (st: Store): MethodRec[] => walkPeople(st).flatMap((p) => st.methods(p.id));

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();
const inRange = (ms: number, from: number | undefined, before: number | undefined): boolean =>
  (from === undefined || ms >= from) && (before === undefined || ms < before);
interface Dates {
  createdOnOrAfter?: number;
  createdBefore?: number;
  modifiedOnOrAfter?: number;
  modifiedBefore?: number;
}
const inDates = (r: Row, d: Dates): boolean =>
  inRange(Date.parse(r.createdOn), d.createdOnOrAfter, d.createdBefore) &&
  inRange(Date.parse(r.modifiedOn ?? r.createdOn), d.modifiedOnOrAfter, d.modifiedBefore);
const digits = (s: string): string => {
  const d = s.replace(/\D/g, '');
  return d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
};

// ---- random writes through the mutators ---------------------------------------------------------
const FROM = Date.UTC(2017, 11, 1),
  TO = Date.UTC(2025, 5, 1);
const CITIES = ['Glendale', 'Austin', 'Portland', 'Springfield'];
const NAMES = ['Ann Smith', 'Bob Garcia', 'Dana Lee', 'Evan Smithers', 'Dental Group'];
const TYPES: ContactType[] = ['Phone', 'Email', 'MobilePhone', 'Fax'];

type Write =
  | { kind: 'customer'; pick: number | undefined; name: number; city: number; active: boolean; at: number }
  | { kind: 'location'; pick: number; create: boolean; name: number; active: boolean; at: number }
  | { kind: 'customerContacts' | 'locationContacts'; pick: number; contacts: Array<{ type: number; n: number; at: number }> }
  | { kind: 'person'; pick: number | undefined; name: number; archived: boolean; at: number }
  | { kind: 'deletePerson'; pick: number }
  | { kind: 'methods'; pick: number; methods: Array<{ id: string; type: number; n: number; at: number }> };

/** A time: random, or the createdOn / modifiedOn of a seeded record (ties with seeded rows). */
const time = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc.integer({ min: 0, max: 400 }).map((n) => -1 - n),
);
const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({
    kind: fc.constant('customer' as const),
    pick: fc.option(fc.nat(), { nil: undefined }),
    name: fc.nat(),
    city: fc.nat(),
    active: fc.boolean(),
    at: time,
  }),
  fc.record({ kind: fc.constant('location' as const), pick: fc.nat(), create: fc.boolean(), name: fc.nat(), active: fc.boolean(), at: time }),
  fc.record({
    kind: fc.constantFrom('customerContacts' as const, 'locationContacts' as const),
    pick: fc.nat(),
    contacts: fc.array(fc.record({ type: fc.nat(), n: fc.integer({ min: 0, max: 3 }), at: time }), { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('person' as const), pick: fc.option(fc.nat(), { nil: undefined }), name: fc.nat(), archived: fc.boolean(), at: time }),
  fc.record({ kind: fc.constant('deletePerson' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('methods' as const),
    pick: fc.nat(),
    methods: fc.array(fc.record({ id: fc.uuid(), type: fc.nat(), n: fc.integer({ min: 0, max: 3 }), at: time }), { maxLength: 3 }),
  }),
);

/** Applies a write; a negative time stands for a seeded record's time. */
function apply(st: Store, w: Write): void {
  const seededTimes = walkMethods(st)
    .map((m) => m.modifiedOn)
    .concat(walkCustomers(st).map((c) => c.createdOn));
  const iso = (at: number): string => (at >= 0 ? new Date(at).toISOString() : (seededTimes[(-1 - at) % seededTimes.length] as string));
  const pickOf = <T>(list: readonly T[], n: number): T | undefined => list[n % Math.max(1, list.length)];
  const contact = (c: { type: number; n: number; at: number }): PhoneContactRec => {
    const type = TYPES[c.type % TYPES.length] as ContactType;
    return {
      id: st.nextId(),
      type,
      value: type === 'Email' ? `x${c.n}@example.com` : `(201) 555-010${c.n}`,
      doNotText: false,
      createdOn: iso(c.at),
      modifiedOn: iso(c.at),
    };
  };
  switch (w.kind) {
    case 'customer': {
      const base = w.pick === undefined ? undefined : pickOf(walkCustomers(st), w.pick);
      const rec: CustomerRec = base
        ? { ...base }
        : {
            id: st.nextId(),
            active: true,
            name: '',
            type: 'Residential',
            address: { street: '1 Main St', city: '', state: 'TX', zip: '78701', country: 'USA' },
            customFields: [],
            balance: 0,
            taxExempt: false,
            tagTypeIds: [],
            doNotMail: false,
            doNotService: false,
            nationalAccount: false,
            createdOn: iso(w.at),
            createdById: 1,
            modifiedOn: iso(w.at),
            externalData: [],
          };
      rec.name = NAMES[w.name % NAMES.length] as string;
      rec.address = { ...rec.address, city: CITIES[w.city % CITIES.length] as string };
      rec.active = w.active;
      rec.modifiedOn = iso(w.at);
      st.putCustomer(rec, !base);
      if (!base) st.setCustomerContacts(rec.id, []);
      return;
    }
    case 'location': {
      if (w.create) {
        const c = pickOf(walkCustomers(st), w.pick) as CustomerRec;
        st.putLocation(
          {
            id: st.nextId(),
            customerId: c.id,
            active: w.active,
            name: `${NAMES[w.name % NAMES.length] as string} - Branch`,
            address: { ...c.address },
            customFields: [],
            createdOn: iso(w.at),
            createdById: 1,
            modifiedOn: iso(w.at),
            taxExempt: false,
            tagTypeIds: [],
            externalData: [],
          },
          true,
        );
      } else {
        const l = pickOf(walkLocations(st), w.pick) as LocationRec;
        st.putLocation({ ...l, active: w.active, name: NAMES[w.name % NAMES.length] as string, modifiedOn: iso(w.at) }, false);
      }
      return;
    }
    case 'customerContacts':
      st.setCustomerContacts((pickOf(walkCustomers(st), w.pick) as CustomerRec).id, w.contacts.map(contact));
      return;
    case 'locationContacts':
      st.setLocationContacts((pickOf(walkLocations(st), w.pick) as LocationRec).id, w.contacts.map(contact));
      return;
    case 'person': {
      const base = w.pick === undefined ? undefined : pickOf(walkPeople(st), w.pick);
      const rec: PersonRec = base
        ? { ...base }
        : { id: randomUUID(), isArchived: false, createdOn: iso(w.at), createdBy: 1, modifiedOn: iso(w.at), modifiedBy: 1 };
      rec.name = NAMES[w.name % NAMES.length];
      rec.isArchived = w.archived;
      rec.modifiedOn = iso(w.at);
      st.putPerson(rec, !base);
      return;
    }
    case 'deletePerson': {
      const p = pickOf(walkPeople(st), w.pick);
      if (p) st.deletePerson(p.id);
      return;
    }
    case 'methods': {
      const p = pickOf(walkPeople(st), w.pick);
      if (!p) return;
      st.setMethods(
        p.id,
        w.methods.map((m) => {
          const type = TYPES[m.type % TYPES.length] as ContactType;
          return {
            id: m.id,
            contactId: p.id,
            type,
            value: type === 'Email' ? `X${m.n}@Example.com` : `201555010${m.n}`,
            createdOn: iso(m.at),
            createdBy: 1,
            modifiedOn: iso(m.at),
            modifiedBy: 1,
            ...(m.n === 0 ? { referenceId: 'CM-1' } : {}),
          };
        }),
      );
      return;
    }
  }
}

// ---- random queries -----------------------------------------------------------------------------
const paging = fc.record({ page: fc.integer({ min: 1, max: 12 }), pageSize: fc.integer({ min: 1, max: 9 }), includeTotal: fc.boolean() });
const sort = fc.option(fc.record({ field: fc.constantFrom('Id', 'CreatedOn', 'ModifiedOn'), descending: fc.boolean() }), { nil: undefined });
const dates = fc
  .record({
    createdOnOrAfter: fc.option(fc.integer({ min: FROM, max: TO }), { nil: undefined }),
    modifiedBefore: fc.option(fc.integer({ min: FROM, max: TO }), { nil: undefined }),
  })
  .map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as Dates);
const text = (values: readonly string[]): fc.Arbitrary<string | undefined> => fc.option(fc.constantFrom(...values), { nil: undefined, freq: 2 });

const query = fc.record({
  paging,
  sort,
  dates,
  active: fc.constantFrom('True', 'False', 'Any'),
  name: text(['an', 'SMITH', 'dental', 'e']),
  city: text(['glen', 'AUS', 'o']),
  state: text(['tx', 'CA']),
  title: text(['manager', 'home']),
  isArchived: fc.option(fc.boolean(), { nil: undefined }),
  type: text(['Email', 'Fax', 'MobilePhone']),
  referenceId: text(['CM-1']),
  phone: text(['2015550101', '+1 (201) 555-0102']),
  value: text(['x1@example.com', '2015550100', '(201) 555-0103']),
});
type Query = typeof query extends fc.Arbitrary<infer Q> ? Q : never;

function check(st: Store, q: Query): void {
  const lists = st.lists;
  const id = <T>(x: T): T => x;
  const { paging: pg, sort: so, dates: d } = q;
  const place = (r: CustomerRec | LocationRec): boolean =>
    !(q.active === 'True' && !r.active) &&
    !(q.active === 'False' && r.active) &&
    (q.name === undefined || lower(r.name).includes(lower(q.name))) &&
    (q.city === undefined || lower(r.address.city).includes(lower(q.city))) &&
    (q.state === undefined || lower(r.address.state) === lower(q.state)) &&
    inDates(r, d);

  const phones = (c: CustomerRec): boolean =>
    q.phone === undefined || st.customerContacts(c.id).some((k) => k.type !== 'Email' && digits(k.value) !== '' && digits(k.value) === digits(q.phone ?? ''));
  assert.deepEqual(
    lists.customers.page({ ...q, dates: d }, so, pg, id),
    naivePage(
      naiveSort(
        walkCustomers(st).filter((c) => place(c) && phones(c)),
        so,
      ),
      pg,
    ),
    'customers',
  );
  assert.deepEqual(lists.locations.page({ ...q, dates: d }, so, pg, id), naivePage(naiveSort(walkLocations(st).filter(place), so), pg), 'locations');

  const person = (p: PersonRec): boolean =>
    (q.name === undefined || lower(p.name).includes(lower(q.name))) &&
    (q.title === undefined || lower(p.title).includes(lower(q.title))) &&
    (q.isArchived === undefined || p.isArchived === q.isArchived) &&
    inDates(p, d);
  const personQuery = {
    dates: d,
    ...(q.name === undefined ? {} : { name: q.name }),
    ...(q.title === undefined ? {} : { title: q.title }),
    ...(q.isArchived === undefined ? {} : { isArchived: q.isArchived }),
  };
  assert.deepEqual(lists.people.page(personQuery, so, pg, id), naivePage(naiveSort(walkPeople(st).filter(person), so), pg), 'people');

  const sameValue = (m: MethodRec, v: string): boolean =>
    m.type === 'Email' ? m.value.trim().toLowerCase() === v.trim().toLowerCase() : digits(m.value) !== '' && digits(m.value) === digits(v);
  const method = (m: MethodRec): boolean =>
    (q.type === undefined || m.type === q.type) &&
    (q.referenceId === undefined || m.referenceId === q.referenceId) &&
    (q.value === undefined || sameValue(m, q.value)) &&
    inDates(m, d);
  const methodQuery = {
    dates: d,
    ...(q.type === undefined ? {} : { type: q.type }),
    ...(q.referenceId === undefined ? {} : { referenceId: q.referenceId }),
    ...(q.value === undefined ? {} : { value: q.value }),
  };
  assert.deepEqual(lists.methods.page(methodQuery, so, pg, id), naivePage(naiveSort(walkMethods(st).filter(method), so), pg), 'methods');

  const across = <P extends { id: number }>(parents: P[], contacts: (id: number) => PhoneContactRec[]): Array<{ parentId: number; rec: PhoneContactRec }> =>
    parents.flatMap((p) => contacts(p.id).map((rec) => ({ parentId: p.id, rec }))).filter((c) => inDates(c.rec, d));
  assert.deepEqual(
    lists.customerContacts.page(d, pg, id),
    naivePage(
      across(walkCustomers(st), (x) => st.customerContacts(x)),
      pg,
    ),
    'customer contacts',
  );
  assert.deepEqual(
    lists.locationContacts.page(d, pg, id),
    naivePage(
      across(walkLocations(st), (x) => st.locationContacts(x)),
      pg,
    ),
    'location contacts',
  );
}

void describe('store lists: columns and changes against a naive walk of the same store', () => {
  for (const [customers, seed] of [
    [24, 5],
    [3, 11],
  ] as const) {
    void test(`${customers} seeded customers (seed ${seed}): random writes, every list after each one`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(write, query), { maxLength: 14 }), fc.array(query, { minLength: 1, maxLength: 4 }), (steps, queries) => {
          const st = new Store(seed, customers);
          for (const q of queries) check(st, q);
          for (const [w, q] of steps) {
            apply(st, w);
            check(st, q);
          }
          for (const q of queries) check(st, q);
        }),
        { seed: 20260513, numRuns: 80 },
      );
    });
  }

  void test("a location created for a customer walks after its seeded locations and before the next customer's; by id it comes after every seeded one", () => {
    const st = new Store(7, 6);
    const all = { page: 1, pageSize: 5000, includeTotal: true };
    const first = st.getCustomer(10_000_000) as CustomerRec;
    const next = st.getLocation(st.locationIdsOfCustomer(10_000_001)[0] as number) as LocationRec;
    st.putLocation({ ...next, name: 'Changed', modifiedOn: '2025-01-01T00:00:00.000Z' }, false);
    st.setLocationContacts(next.id, [
      { id: st.nextId(), type: 'Phone', value: '2015550100', doNotText: false, createdOn: next.createdOn, modifiedOn: next.createdOn },
    ]);
    const created = st.nextId();
    st.putLocation({ ...next, id: created, customerId: first.id, name: 'Created' }, true);
    st.setLocationContacts(created, [
      { id: st.nextId(), type: 'Phone', value: '2015550101', doNotText: false, createdOn: next.createdOn, modifiedOn: next.createdOn },
    ]);
    const walk = walkLocations(st).map((l) => l.id);
    assert.deepEqual(walk.slice(walk.indexOf(created) - 1, walk.indexOf(created) + 2), [...st.locationIdsOfCustomer(first.id).slice(-2), next.id]);
    assert.deepEqual(st.lists.locations.page({ active: 'Any', dates: {} }, undefined, all, (l) => l.id).data, walk);
    for (const descending of [false, true]) {
      const sorted = naiveSort(walkLocations(st), { field: 'Id', descending }).map((l) => l.id);
      assert.deepEqual(st.lists.locations.page({ active: 'Any', dates: {} }, { field: 'Id', descending }, all, (l) => l.id).data, sorted);
    }
    const contacts = st.lists.locationContacts.page({}, all, (c) => c.parentId).data;
    assert.deepEqual(
      contacts,
      walkLocations(st).flatMap((l) => st.locationContacts(l.id).map(() => l.id)),
    );
  });

  void test('a fixed story: a created customer sorts among seeded ones by its times, a deleted person leaves every list', () => {
    const st = new Store(7, 30);
    const all = { page: 1, pageSize: 5000, includeTotal: true };
    const seeded = st.getCustomer(10_000_004) as CustomerRec;
    st.putCustomer({ ...seeded, id: st.nextId(), createdOn: seeded.createdOn, modifiedOn: '2017-01-01T00:00:00.000Z' }, true);
    const ids = (sortField: string, descending: boolean): number[] =>
      st.lists.customers.page({ active: 'Any', dates: {} }, { field: sortField, descending }, all, (c) => c.id).data;
    // Same createdOn as customer 10000004: right after it (ties by id); the oldest modifiedOn: first.
    const byCreated = ids('CreatedOn', false);
    assert.equal(byCreated[byCreated.indexOf(10_000_004) + 1], 100_000_000);
    assert.equal(ids('ModifiedOn', false)[0], 100_000_000);
    assert.deepEqual(ids('ModifiedOn', true), [...ids('ModifiedOn', false)].reverse());
    const person = st.seedData.personGuid(3, 0);
    const before = st.lists.methods.page({ dates: {} }, undefined, all, (m) => m.contactId).totalCount ?? 0;
    const own = st.methods(person).length;
    st.deletePerson(person);
    assert.equal(st.lists.people.page({ dates: {} }, { field: 'Id', descending: false }, all, (p) => p.id).data.includes(person), false);
    assert.equal(st.lists.methods.page({ dates: {} }, { field: 'ModifiedOn', descending: true }, all, (m) => m.contactId).totalCount, before - own);
  });
});

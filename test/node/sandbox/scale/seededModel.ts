// The CRM state the sandbox should hold, built in the test from the seeded data's per-record
// definition (SeedData's customer(i), location(i, k), person(i, s), …) and changed by the test as it
// writes through the API. Nothing here goes through the store or its list code, so the list answers
// can be checked against it.
import { SeedData } from '../../../../sandbox/seed';
import type { Address, ContactType } from '../../../../sandbox/types';

/** What every list can sort by: an id (number or GUID) and its two dates, in ms. */
export interface Row {
  id: number | string;
  createdMs: number;
  modifiedMs: number;
}

export interface External {
  applicationGuid: string;
  key: string;
  value: string;
}
export interface CustomerRow extends Row {
  id: number;
  active: boolean;
  name: string;
  address: Address;
  external: External[];
}
export interface LocationRow extends Row {
  id: number;
  customerId: number;
  active: boolean;
  name: string;
  address: Address;
  external: External[];
}
/** A customer's or location's phone/email contact; `parentId` is the customer or location id. */
export interface PhoneRow extends Row {
  id: number;
  parentId: number;
  type: ContactType;
  value: string;
}
export interface PersonRow extends Row {
  id: string;
  name?: string;
  title?: string;
  referenceId?: string;
  isArchived: boolean;
}
export interface MethodRow extends Row {
  id: string;
  contactId: string;
  type: ContactType;
  value: string;
  referenceId?: string;
}

// ---- the API's bodies, as far as the model reads them ------------------------------------------
interface Dated {
  createdOn: string;
  modifiedOn: string;
}
export interface CustomerBody extends Dated {
  id: number;
  active: boolean;
  name: string;
  address: Address;
}
export interface LocationBody extends Dated {
  id: number;
  customerId: number;
  active: boolean;
  name: string;
  address: Address;
}
export interface PhoneBody extends Dated {
  id: number;
  type: ContactType;
  value: string;
}
export interface PersonBody extends Dated {
  id: string;
  name?: string;
  title?: string;
  referenceId?: string;
  isArchived: boolean;
}
export interface MethodBody extends Dated {
  id: string;
  contactId: string;
  type: ContactType;
  value: string;
  referenceId?: string;
}

const dates = (b: Dated): { createdMs: number; modifiedMs: number } => ({ createdMs: Date.parse(b.createdOn), modifiedMs: Date.parse(b.modifiedOn) });

export const customerRow = (b: CustomerBody, external: External[] = []): CustomerRow => ({
  id: b.id,
  active: b.active,
  name: b.name,
  address: b.address,
  external,
  ...dates(b),
});
export const locationRow = (b: LocationBody, external: External[] = []): LocationRow => ({
  id: b.id,
  customerId: b.customerId,
  active: b.active,
  name: b.name,
  address: b.address,
  external,
  ...dates(b),
});
export const phoneRow = (b: PhoneBody, parentId: number): PhoneRow => ({ id: b.id, parentId, type: b.type, value: b.value, ...dates(b) });
export function personRow(b: PersonBody): PersonRow {
  const row: PersonRow = { id: b.id, isArchived: b.isArchived, ...dates(b) };
  if (b.name !== undefined) row.name = b.name;
  if (b.title !== undefined) row.title = b.title;
  if (b.referenceId !== undefined) row.referenceId = b.referenceId;
  return row;
}
export function methodRow(b: MethodBody): MethodRow {
  const row: MethodRow = { id: b.id, contactId: b.contactId, type: b.type, value: b.value, ...dates(b) };
  if (b.referenceId !== undefined) row.referenceId = b.referenceId;
  return row;
}

/** Replaces the row with the same id, or appends it. */
function upsert<T extends Row>(list: T[], row: T): void {
  const at = list.findIndex((x) => x.id === row.id);
  if (at >= 0) list[at] = row;
  else list.push(row);
}

/** Seeded records have no external data; one shared empty list keeps 100,000 of them cheap. */
const NO_EXTERNAL: External[] = [];

/**
 * The expected state. Lists are kept in the order the sandbox walks them when no sort is asked:
 * customers by id (seeded, then created); each customer's locations and contacts in id order;
 * people by seed index then in creation order; each person's methods in the order they were added.
 */
export class SeededModel {
  readonly customers: CustomerRow[] = [];
  private readonly customerIndex = new Map<number, number>();
  private readonly locationsByCustomer = new Map<number, LocationRow[]>();
  private readonly customerContactsByCustomer = new Map<number, PhoneRow[]>();
  private readonly locationContactsByLocation = new Map<number, PhoneRow[]>();
  people: PersonRow[] = [];
  private readonly methodsByPerson = new Map<string, MethodRow[]>();
  /** person id -> the customer and location ids it has relationships with. */
  private readonly related = new Map<string, number[]>();
  /** The flattened lists, built once per state (every write clears them). */
  private readonly views = new Map<string, readonly Row[]>();
  /** entity id -> people related to it, in people order (built on first use; relationship writes clear it). */
  private relatedTo: Map<number, PersonRow[]> | undefined;

  /** Every seeded record of `count` customers, from a SeedData of its own (no cache shared with the store). */
  static build(seed: number, count: number): SeededModel {
    const sd = new SeedData(seed, count);
    const m = new SeededModel();
    const ms = (iso: string): number => Date.parse(iso);
    const phones = (list: ReturnType<SeedData['customerContacts']>, parentId: number): PhoneRow[] =>
      list.map((x) => ({ id: x.id, parentId, type: x.type, value: x.value, createdMs: ms(x.createdOn), modifiedMs: ms(x.modifiedOn) }));
    for (let i = 0; i < count; i++) {
      const c = sd.customer(i);
      m.addCustomer({
        id: c.id,
        active: c.active,
        name: c.name,
        address: c.address,
        external: NO_EXTERNAL,
        createdMs: ms(c.createdOn),
        modifiedMs: ms(c.modifiedOn),
      });
      m.customerContactsByCustomer.set(c.id, phones(sd.customerContacts(i), c.id));
      const locations: LocationRow[] = [];
      for (let k = 0; k < sd.locationCount(i); k++) {
        const l = sd.location(i, k);
        locations.push({
          id: l.id,
          customerId: l.customerId,
          active: l.active,
          name: l.name,
          address: l.address,
          external: NO_EXTERNAL,
          createdMs: ms(l.createdOn),
          modifiedMs: ms(l.modifiedOn),
        });
        m.locationContactsByLocation.set(l.id, phones(sd.locationContacts(i, k), l.id));
      }
      m.locationsByCustomer.set(c.id, locations);
      for (let s = 0; s < sd.peopleCount(i); s++) {
        const p = sd.person(i, s);
        m.people.push(personRow(p));
        m.methodsByPerson.set(p.id, sd.methods(i, s).map(methodRow));
        m.related.set(
          p.id,
          sd.relationships(i, s).map((r) => r.relatedEntityId),
        );
      }
    }
    return m;
  }

  // ---- reading ---------------------------------------------------------------------------------
  findCustomer(id: number): CustomerRow | undefined {
    const at = this.customerIndex.get(id);
    return at === undefined ? undefined : this.customers[at];
  }
  customer(id: number): CustomerRow {
    const c = this.findCustomer(id);
    if (!c) throw new Error(`the model has no customer ${id}`);
    return c;
  }
  locationsOf(customerId: number): readonly LocationRow[] {
    return this.locationsByCustomer.get(customerId) ?? [];
  }
  location(id: number): LocationRow {
    const l = this.locations().find((x) => x.id === id);
    if (!l) throw new Error(`the model has no location ${id}`);
    return l;
  }
  customerContactsOf(customerId: number): readonly PhoneRow[] {
    return this.customerContactsByCustomer.get(customerId) ?? [];
  }
  locationContactsOf(locationId: number): readonly PhoneRow[] {
    return this.locationContactsByLocation.get(locationId) ?? [];
  }
  methodsOf(personId: string): readonly MethodRow[] {
    return this.methodsByPerson.get(personId) ?? [];
  }
  person(id: string): PersonRow {
    const p = this.people.find((x) => x.id === id);
    if (!p) throw new Error(`the model has no person ${id}`);
    return p;
  }

  /** Every location: customer by customer, each customer's in id order. */
  locations(): readonly LocationRow[] {
    return this.view('locations', () => this.customers.flatMap((c) => this.locationsOf(c.id)));
  }
  customerContacts(): readonly PhoneRow[] {
    return this.view('customerContacts', () => this.customers.flatMap((c) => this.customerContactsOf(c.id)));
  }
  locationContacts(): readonly PhoneRow[] {
    return this.view('locationContacts', () => this.locations().flatMap((l) => this.locationContactsOf(l.id)));
  }
  methods(): readonly MethodRow[] {
    return this.view('methods', () => this.people.flatMap((p) => this.methodsOf(p.id)));
  }
  private view<T extends Row>(name: string, build: () => T[]): readonly T[] {
    const cached = this.views.get(name) as readonly T[] | undefined;
    if (cached) return cached;
    const built = build();
    this.views.set(name, built);
    return built;
  }
  /** People with a relationship to a customer or location id, in people order. */
  peopleRelatedTo(entityId: number): PersonRow[] {
    if (!this.relatedTo) {
      this.relatedTo = new Map();
      for (const p of this.people) {
        for (const e of this.related.get(p.id) ?? []) this.relatedTo.set(e, [...(this.relatedTo.get(e) ?? []), p]);
      }
    }
    return this.relatedTo.get(entityId) ?? [];
  }

  // ---- what a write through the API changed (each clears the flattened lists) --------------------
  putCustomer(row: CustomerRow): void {
    this.views.clear();
    const at = this.customerIndex.get(row.id);
    if (at === undefined) this.addCustomer(row);
    else this.customers[at] = row;
  }
  putLocation(row: LocationRow): void {
    const list = this.listIn(this.locationsByCustomer, row.customerId);
    upsert(list, row);
    list.sort((a, b) => a.id - b.id);
  }
  putCustomerContact(row: PhoneRow): void {
    upsert(this.listIn(this.customerContactsByCustomer, row.parentId), row);
  }
  removeCustomerContact(customerId: number, id: number): void {
    this.removeFrom(this.customerContactsByCustomer, customerId, id);
  }
  putLocationContact(row: PhoneRow): void {
    upsert(this.listIn(this.locationContactsByLocation, row.parentId), row);
  }
  removeLocationContact(locationId: number, id: number): void {
    this.removeFrom(this.locationContactsByLocation, locationId, id);
  }
  putPerson(row: PersonRow): void {
    this.views.clear();
    this.relatedTo = undefined;
    upsert(this.people, row);
  }
  removePerson(id: string): void {
    this.views.clear();
    this.relatedTo = undefined;
    this.people = this.people.filter((p) => p.id !== id);
    this.methodsByPerson.delete(id);
    this.related.delete(id);
  }
  putMethod(row: MethodRow): void {
    upsert(this.listIn(this.methodsByPerson, row.contactId), row);
  }
  removeMethod(personId: string, id: string): void {
    this.removeFrom(this.methodsByPerson, personId, id);
  }
  relate(personId: string, entityId: number): void {
    this.relatedTo = undefined;
    this.related.set(personId, [...(this.related.get(personId) ?? []), entityId]);
  }
  unrelate(personId: string, entityId: number): void {
    this.relatedTo = undefined;
    this.related.set(
      personId,
      (this.related.get(personId) ?? []).filter((e) => e !== entityId),
    );
  }

  private addCustomer(row: CustomerRow): void {
    this.customerIndex.set(row.id, this.customers.length);
    this.customers.push(row);
  }
  /** The list under `key`, created when missing, about to change. */
  private listIn<K, T>(lists: Map<K, T[]>, key: K): T[] {
    this.views.clear();
    const list = lists.get(key) ?? [];
    lists.set(key, list);
    return list;
  }
  private removeFrom<K, T extends Row>(lists: Map<K, T[]>, key: K, id: number | string): void {
    this.views.clear();
    lists.set(
      key,
      (lists.get(key) ?? []).filter((x) => x.id !== id),
    );
  }
}

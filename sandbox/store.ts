// In-memory CRM state: seeded entities are derived from SeedData on demand; the store only keeps
// what the API changed (overrides, created entities, deletions, materialised child lists).
import { CREATED_ID_BASE, SeedData } from './seed';
import type { CustomerRec, LocationRec, MethodRec, PersonRec, PhoneContactRec, RelationshipRec } from './types';

export interface StoreSnapshot {
  format: 'stcrm-sandbox';
  version: 1;
  seed: number;
  customers: number;
  nextId: number;
  customerRecords: CustomerRec[];
  createdCustomerIds: number[];
  locationRecords: LocationRec[];
  createdLocations: Array<[number, number[]]>;
  customerContacts: Array<[number, PhoneContactRec[]]>;
  locationContacts: Array<[number, PhoneContactRec[]]>;
  people: PersonRec[];
  createdPeople: string[];
  deletedPeople: string[];
  methods: Array<[string, MethodRec[]]>;
  relationships: Array<[string, RelationshipRec[]]>;
}

export class Store {
  readonly seedData: SeedData;
  private nextIdValue = CREATED_ID_BASE;
  private readonly customerRecords = new Map<number, CustomerRec>();
  private createdCustomerIds: number[] = [];
  private readonly locationRecords = new Map<number, LocationRec>();
  private readonly createdLocations = new Map<number, number[]>();
  private readonly customerContactLists = new Map<number, PhoneContactRec[]>();
  private readonly locationContactLists = new Map<number, PhoneContactRec[]>();
  private readonly people = new Map<string, PersonRec>();
  private createdPeople: string[] = [];
  private readonly deletedPeople = new Set<string>();
  private readonly methodLists = new Map<string, MethodRec[]>();
  private readonly relationshipLists = new Map<string, RelationshipRec[]>();
  /** entity id -> people whose materialised relationship list mentions it (may be stale; re-checked). */
  private readonly relationshipIndex = new Map<number, Set<string>>();
  /** contact method id -> people whose materialised method list holds it (may be stale; re-checked). */
  private readonly methodIndex = new Map<string, Set<string>>();

  constructor(readonly seed: number, readonly customerCount: number) {
    this.seedData = new SeedData(seed, customerCount);
  }

  nextId(): number { return this.nextIdValue++; }

  // ---- customers ---------------------------------------------------------------------------
  getCustomer(id: number): CustomerRec | undefined {
    const rec = this.customerRecords.get(id);
    if (rec) return rec;
    const i = this.seedData.customerIndex(id);
    return i === undefined ? undefined : this.seedData.customer(i);
  }
  /** Customers in id order; created ones have ids above every seeded id. */
  *customers(descending = false): Generator<CustomerRec> {
    const n = this.seedData.count;
    if (!descending) {
      for (let i = 0; i < n; i++) yield this.customerRecords.get(this.seedData.customerId(i)) ?? this.seedData.customer(i);
      for (const id of this.createdCustomerIds) { const c = this.customerRecords.get(id); if (c) yield c; }
    } else {
      for (let j = this.createdCustomerIds.length - 1; j >= 0; j--) {
        const c = this.customerRecords.get(this.createdCustomerIds[j] as number); if (c) yield c;
      }
      for (let i = n - 1; i >= 0; i--) yield this.customerRecords.get(this.seedData.customerId(i)) ?? this.seedData.customer(i);
    }
  }
  putCustomer(rec: CustomerRec, created: boolean): void {
    this.customerRecords.set(rec.id, rec);
    if (created) this.createdCustomerIds.push(rec.id);
  }
  customerContacts(customerId: number): PhoneContactRec[] {
    const list = this.customerContactLists.get(customerId);
    if (list) return list;
    const i = this.seedData.customerIndex(customerId);
    return i === undefined ? [] : this.seedData.customerContacts(i);
  }
  setCustomerContacts(customerId: number, list: PhoneContactRec[]): void { this.customerContactLists.set(customerId, list); }

  // ---- locations ---------------------------------------------------------------------------
  getLocation(id: number): LocationRec | undefined {
    const rec = this.locationRecords.get(id);
    if (rec) return rec;
    const ix = this.seedData.locationIndex(id);
    return ix === undefined ? undefined : this.seedData.location(ix.i, ix.k);
  }
  locationIdsOfCustomer(customerId: number): number[] {
    const created = this.createdLocations.get(customerId);
    if (created) return created;
    const i = this.seedData.customerIndex(customerId);
    if (i === undefined) return [];
    const ids: number[] = [];
    for (let k = 0; k < this.seedData.locationCount(i); k++) ids.push(this.seedData.locationId(i, k));
    return ids;
  }
  *locations(descending = false): Generator<LocationRec> {
    for (const c of this.customers(descending)) {
      const ids = this.locationIdsOfCustomer(c.id);
      const ordered = descending ? [...ids].reverse() : ids;
      for (const id of ordered) { const l = this.getLocation(id); if (l) yield l; }
    }
  }
  putLocation(rec: LocationRec, created: boolean): void {
    this.locationRecords.set(rec.id, rec);
    if (created) {
      const list = this.createdLocations.get(rec.customerId) ?? [];
      list.push(rec.id);
      this.createdLocations.set(rec.customerId, list);
    }
  }
  locationContacts(locationId: number): PhoneContactRec[] {
    const list = this.locationContactLists.get(locationId);
    if (list) return list;
    const ix = this.seedData.locationIndex(locationId);
    return ix === undefined ? [] : this.seedData.locationContacts(ix.i, ix.k);
  }
  setLocationContacts(locationId: number, list: PhoneContactRec[]): void { this.locationContactLists.set(locationId, list); }

  // ---- people contacts ---------------------------------------------------------------------
  getPerson(id: string): PersonRec | undefined {
    if (this.deletedPeople.has(id)) return undefined;
    const rec = this.people.get(id);
    if (rec) return rec;
    const key = this.seedData.personIndex(id);
    return key === undefined ? undefined : this.seedData.person(key.i, key.s);
  }
  *allPeople(): Generator<PersonRec> {
    const sd = this.seedData;
    for (let i = 0; i < sd.count; i++) {
      for (let s = 0; s < sd.peopleCount(i); s++) {
        const id = sd.personGuid(i, s);
        if (this.deletedPeople.has(id)) continue;
        yield this.people.get(id) ?? sd.person(i, s);
      }
    }
    for (const id of this.createdPeople) { const p = this.people.get(id); if (p && !this.deletedPeople.has(id)) yield p; }
  }
  putPerson(rec: PersonRec, created: boolean): void {
    this.people.set(rec.id, rec);
    if (created) this.createdPeople.push(rec.id);
  }
  deletePerson(id: string): void {
    this.deletedPeople.add(id);
    this.people.delete(id);
    this.methodLists.delete(id);
    this.relationshipLists.set(id, []);
    this.createdPeople = this.createdPeople.filter((p) => p !== id);
  }
  methods(personId: string): MethodRec[] {
    const list = this.methodLists.get(personId);
    if (list) return list;
    const key = this.seedData.personIndex(personId);
    return key === undefined ? [] : this.seedData.methods(key.i, key.s);
  }
  setMethods(personId: string, list: MethodRec[]): void {
    this.methodLists.set(personId, list);
    for (const m of list) {
      const set = this.methodIndex.get(m.id) ?? new Set<string>();
      set.add(personId);
      this.methodIndex.set(m.id, set);
    }
  }
  /** The existing person contact that currently has this contact method id, if any. */
  methodOwner(methodId: string): string | undefined {
    const seeded = this.seedData.methodOwner(methodId);
    const candidates = seeded ? [this.seedData.personGuid(seeded.i, seeded.s)] : [];
    for (const id of this.methodIndex.get(methodId) ?? []) candidates.push(id);
    return candidates.find((id) => this.getPerson(id) !== undefined && this.methods(id).some((m) => m.id === methodId));
  }
  relationships(personId: string): RelationshipRec[] {
    const list = this.relationshipLists.get(personId);
    if (list) return list;
    const key = this.seedData.personIndex(personId);
    return key === undefined ? [] : this.seedData.relationships(key.i, key.s);
  }
  setRelationships(personId: string, list: RelationshipRec[]): void {
    this.relationshipLists.set(personId, list);
    for (const r of list) this.indexRelationship(r.relatedEntityId, personId);
  }
  private indexRelationship(entityId: number, personId: string): void {
    const set = this.relationshipIndex.get(entityId) ?? new Set<string>();
    set.add(personId);
    this.relationshipIndex.set(entityId, set);
  }
  /** People that currently have a relationship with this entity id, in a stable order. */
  peopleRelatedTo(entityId: number): PersonRec[] {
    const ids: string[] = this.seedData.seededPeopleFor(entityId).map((k) => this.seedData.personGuid(k.i, k.s));
    for (const id of this.relationshipIndex.get(entityId) ?? []) if (!ids.includes(id)) ids.push(id);
    const out: PersonRec[] = [];
    for (const id of ids) {
      const p = this.getPerson(id);
      if (p && this.relationships(id).some((r) => r.relatedEntityId === entityId)) out.push(p);
    }
    return out;
  }

  /** Whether an int64 id names an existing entity of the relationship type. Bookings do not exist here. */
  entityExists(slug: string, id: number): boolean {
    if (slug === 'customer') return this.getCustomer(id) !== undefined;
    if (slug === 'location') return this.getLocation(id) !== undefined;
    return false;
  }

  // ---- persistence -------------------------------------------------------------------------
  snapshot(): StoreSnapshot {
    return {
      format: 'stcrm-sandbox',
      version: 1,
      seed: this.seed,
      customers: this.customerCount,
      nextId: this.nextIdValue,
      customerRecords: [...this.customerRecords.values()],
      createdCustomerIds: this.createdCustomerIds,
      locationRecords: [...this.locationRecords.values()],
      createdLocations: [...this.createdLocations.entries()],
      customerContacts: [...this.customerContactLists.entries()],
      locationContacts: [...this.locationContactLists.entries()],
      people: [...this.people.values()],
      createdPeople: this.createdPeople,
      deletedPeople: [...this.deletedPeople],
      methods: [...this.methodLists.entries()],
      relationships: [...this.relationshipLists.entries()],
    };
  }

  static fromSnapshot(s: StoreSnapshot): Store {
    const st = new Store(s.seed, s.customers);
    st.nextIdValue = s.nextId;
    for (const c of s.customerRecords) st.customerRecords.set(c.id, c);
    st.createdCustomerIds = [...s.createdCustomerIds];
    for (const l of s.locationRecords) st.locationRecords.set(l.id, l);
    for (const [k, v] of s.createdLocations) st.createdLocations.set(k, v);
    for (const [k, v] of s.customerContacts) st.customerContactLists.set(k, v);
    for (const [k, v] of s.locationContacts) st.locationContactLists.set(k, v);
    for (const p of s.people) st.people.set(p.id, p);
    st.createdPeople = [...s.createdPeople];
    for (const d of s.deletedPeople) st.deletedPeople.add(d);
    for (const [k, v] of s.methods) st.setMethods(k, v);
    for (const [k, v] of s.relationships) st.setRelationships(k, v);
    return st;
  }
}

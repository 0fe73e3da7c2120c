// In-memory CRM state: seeded entities are derived from SeedData on demand; the store only keeps
// what the API changed (overrides, created entities, deletions, materialised child lists). The
// large lists (lists/) read those changes and cache what they derive until the next mutator runs.
import { ChangeFeed, ChangeLog, Revisions } from './changeFeed';
import type { StoreChanges } from './lists/storeChanges';
import { StoreLists } from './lists/storeLists';
import { CREATED_ID_BASE, SeedData } from './seed';
import type { CustomerRec, LocationRec, MethodRec, NoteRec, PersonRec, PhoneContactRec, RelationshipRec } from './types';

/** A customer or location contact as the export feeds see it (deleted ones stay, inactive). */
export interface FeedContact { parentId: number; rec: PhoneContactRec; active: boolean }

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
  // Added with the 2026 document; absent in older files.
  /** The store-wide change revision (export feeds). */
  revision?: number;
  /** [id, revision] of every record changed through the API, per export feed. */
  changes?: { customers: Array<[number, number]>; locations: Array<[number, number]>; customerContacts: Array<[number, number]>; locationContacts: Array<[number, number]> };
  /** Deleted customer / location contacts: [customer or location id, last record]; the export feeds report them inactive. */
  deletedCustomerContacts?: Array<[number, PhoneContactRec]>;
  deletedLocationContacts?: Array<[number, PhoneContactRec]>;
  customerNotes?: Array<[number, NoteRec[]]>;
  locationNotes?: Array<[number, NoteRec[]]>;
  /** Contact method GUID -> [preference name, value] pairs set through the API. */
  methodPreferences?: Array<[string, Array<[string, string]>]>;
}

export class Store {
  readonly seedData: SeedData;
  private nextIdValue = CREATED_ID_BASE;
  private readonly customerRecords = new Map<number, CustomerRec>();
  private readonly createdCustomerIds: number[] = [];
  private readonly locationRecords = new Map<number, LocationRec>();
  private readonly createdLocations = new Map<number, number[]>();
  private readonly customerContactLists = new Map<number, PhoneContactRec[]>();
  private readonly locationContactLists = new Map<number, PhoneContactRec[]>();
  private readonly people = new Map<string, PersonRec>();
  private readonly createdPeople: string[] = [];
  private readonly deletedPeople = new Set<string>();
  private readonly methodLists = new Map<string, MethodRec[]>();
  private readonly relationshipLists = new Map<string, RelationshipRec[]>();
  /** entity id -> people whose materialised relationship list mentions it (may be stale; re-checked). */
  private readonly relationshipIndex = new Map<number, Set<string>>();
  /** contact method id -> people whose materialised method list holds it (may be stale; re-checked). */
  private readonly methodIndex = new Map<string, Set<string>>();
  private readonly customerNoteLists = new Map<number, NoteRec[]>();
  private readonly locationNoteLists = new Map<number, NoteRec[]>();
  private readonly methodPrefs = new Map<string, Map<string, string>>();
  /** Created (non-seeded) contact id -> its customer / location (stale entries are re-checked). */
  private readonly customerContactOwner = new Map<number, number>();
  private readonly locationContactOwner = new Map<number, number>();
  private readonly deletedCustomerContacts = new Map<number, { parentId: number; rec: PhoneContactRec }>();
  private readonly deletedLocationContacts = new Map<number, { parentId: number; rec: PhoneContactRec }>();
  readonly revisions = new Revisions();
  readonly customerLog = new ChangeLog<number>(this.revisions);
  readonly locationLog = new ChangeLog<number>(this.revisions);
  readonly customerContactLog = new ChangeLog<number>(this.revisions);
  readonly locationContactLog = new ChangeLog<number>(this.revisions);
  private feeds: {
    customers?: ChangeFeed<number, CustomerRec>; locations?: ChangeFeed<number, LocationRec>;
    customerContacts?: ChangeFeed<number, FeedContact>; locationContacts?: ChangeFeed<number, FeedContact>;
  } = {};

  /** Moves on every change the lists read (see lists/storeChanges.ts). */
  private version = 0;
  private listsValue: StoreLists | undefined;

  constructor(readonly seed: number, readonly customerCount: number) {
    this.seedData = new SeedData(seed, customerCount);
  }

  /** The large lists (customers, locations, people, contact methods, contacts across parents), indexed on first use. */
  get lists(): StoreLists {
    return (this.listsValue ??= new StoreLists(this.seedData, this.changes(), this));
  }
  private changes(): StoreChanges {
    return {
      version: () => this.version,
      customers: this.customerRecords, createdCustomerIds: this.createdCustomerIds,
      locations: this.locationRecords, createdLocations: this.createdLocations,
      customerContacts: this.customerContactLists, locationContacts: this.locationContactLists,
      people: this.people, createdPeople: this.createdPeople, deletedPeople: this.deletedPeople,
      methods: this.methodLists,
    };
  }

  nextId(): number { return this.nextIdValue++; }

  // ---- customers ---------------------------------------------------------------------------
  getCustomer(id: number): CustomerRec | undefined {
    const rec = this.customerRecords.get(id);
    if (rec) return rec;
    const i = this.seedData.customerIndex(id);
    return i === undefined ? undefined : this.seedData.customer(i);
  }
  putCustomer(rec: CustomerRec, created: boolean): void {
    this.version++;
    this.customerRecords.set(rec.id, rec);
    if (created) this.createdCustomerIds.push(rec.id);
    this.customerLog.touch(rec.id);
  }
  customerContacts(customerId: number): PhoneContactRec[] {
    const list = this.customerContactLists.get(customerId);
    if (list) return list;
    const i = this.seedData.customerIndex(customerId);
    return i === undefined ? [] : this.seedData.customerContacts(i);
  }
  setCustomerContacts(customerId: number, list: PhoneContactRec[]): void {
    this.version++;
    this.diffContacts(this.customerContacts(customerId), list, customerId, this.customerContactLog, this.deletedCustomerContacts, this.customerContactOwner);
    this.customerContactLists.set(customerId, list);
  }
  /** Stamps added, changed and removed contacts for the export feed; removed ones are kept as tombstones. */
  private diffContacts(before: PhoneContactRec[], after: PhoneContactRec[], parentId: number, log: ChangeLog<number>,
    deleted: Map<number, { parentId: number; rec: PhoneContactRec }>, owners: Map<number, number>): void {
    const old = new Map(before.map((c) => [c.id, JSON.stringify(c)]));
    for (const c of after) {
      owners.set(c.id, parentId);
      deleted.delete(c.id);
      if (old.get(c.id) !== JSON.stringify(c)) log.touch(c.id);
      old.delete(c.id);
    }
    for (const id of old.keys()) {
      const rec = before.find((c) => c.id === id);
      if (rec) { deleted.set(id, { parentId, rec }); log.touch(id); }
    }
  }
  customerNotes(customerId: number): NoteRec[] {
    const list = this.customerNoteLists.get(customerId);
    if (list) return list;
    const i = this.seedData.customerIndex(customerId);
    return i === undefined ? [] : this.seedData.customerNotes(i);
  }
  setCustomerNotes(customerId: number, list: NoteRec[]): void { this.customerNoteLists.set(customerId, list); }

  // ---- locations ---------------------------------------------------------------------------
  getLocation(id: number): LocationRec | undefined {
    const rec = this.locationRecords.get(id);
    if (rec) return rec;
    const ix = this.seedData.locationIndex(id);
    return ix === undefined ? undefined : this.seedData.location(ix.i, ix.k);
  }
  /** Seeded locations of the customer, then the ones created through the API. */
  locationIdsOfCustomer(customerId: number): number[] {
    const created = this.createdLocations.get(customerId) ?? [];
    const i = this.seedData.customerIndex(customerId);
    if (i === undefined) return created;
    const ids: number[] = [];
    for (let k = 0; k < this.seedData.locationCount(i); k++) ids.push(this.seedData.locationId(i, k));
    return created.length > 0 ? [...ids, ...created] : ids;
  }
  putLocation(rec: LocationRec, created: boolean): void {
    this.version++;
    this.locationRecords.set(rec.id, rec);
    if (created) {
      const list = this.createdLocations.get(rec.customerId) ?? [];
      list.push(rec.id);
      this.createdLocations.set(rec.customerId, list);
    }
    this.locationLog.touch(rec.id);
  }
  locationContacts(locationId: number): PhoneContactRec[] {
    const list = this.locationContactLists.get(locationId);
    if (list) return list;
    const ix = this.seedData.locationIndex(locationId);
    return ix === undefined ? [] : this.seedData.locationContacts(ix.i, ix.k);
  }
  setLocationContacts(locationId: number, list: PhoneContactRec[]): void {
    this.version++;
    this.diffContacts(this.locationContacts(locationId), list, locationId, this.locationContactLog, this.deletedLocationContacts, this.locationContactOwner);
    this.locationContactLists.set(locationId, list);
  }
  locationNotes(locationId: number): NoteRec[] {
    const list = this.locationNoteLists.get(locationId);
    if (list) return list;
    const ix = this.seedData.locationIndex(locationId);
    return ix === undefined ? [] : this.seedData.locationNotes(ix.i, ix.k);
  }
  setLocationNotes(locationId: number, list: NoteRec[]): void { this.locationNoteLists.set(locationId, list); }

  // ---- customer and location contacts by id (export feeds) ---------------------------------
  private findContact(id: number, seededParent: number | undefined, owners: Map<number, number>, list: (parent: number) => PhoneContactRec[],
    deleted: Map<number, { parentId: number; rec: PhoneContactRec }>): FeedContact | undefined {
    const parent = seededParent ?? owners.get(id);
    const rec = parent === undefined ? undefined : list(parent).find((c) => c.id === id);
    if (rec && parent !== undefined) return { parentId: parent, rec, active: true };
    const gone = deleted.get(id);
    return gone ? { parentId: gone.parentId, rec: gone.rec, active: false } : undefined;
  }
  findCustomerContact(id: number): FeedContact | undefined {
    const ix = id < CREATED_ID_BASE ? this.seedData.customerContactIndex(id) : undefined;
    return this.findContact(id, ix ? this.seedData.customerId(ix.i) : undefined, this.customerContactOwner, (p) => this.customerContacts(p), this.deletedCustomerContacts);
  }
  findLocationContact(id: number): FeedContact | undefined {
    const ix = id < CREATED_ID_BASE ? this.seedData.locationContactIndex(id) : undefined;
    return this.findContact(id, ix ? this.seedData.locationId(ix.i, ix.k) : undefined, this.locationContactOwner, (p) => this.locationContacts(p), this.deletedLocationContacts);
  }

  // ---- export feeds ------------------------------------------------------------------------
  // The seeded part of each feed is the lists' seeded rows sorted by (modifiedOn, id).
  customerFeed(): ChangeFeed<number, CustomerRec> {
    return this.feeds.customers ??= new ChangeFeed<number, CustomerRec>({
      log: this.customerLog,
      seeded: () => this.lists.customers.seededByModified(),
      resolve: (id) => this.getCustomer(id),
      modifiedMs: (c) => Date.parse(c.modifiedOn),
    });
  }
  locationFeed(): ChangeFeed<number, LocationRec> {
    return this.feeds.locations ??= new ChangeFeed<number, LocationRec>({
      log: this.locationLog,
      seeded: () => this.lists.locations.seededByModified(),
      resolve: (id) => this.getLocation(id),
      modifiedMs: (l) => Date.parse(l.modifiedOn),
    });
  }
  customerContactFeed(): ChangeFeed<number, FeedContact> {
    return this.feeds.customerContacts ??= new ChangeFeed<number, FeedContact>({
      log: this.customerContactLog,
      seeded: () => this.lists.customerContacts.seededByModified(),
      resolve: (id) => this.findCustomerContact(id),
      modifiedMs: (c) => Date.parse(c.rec.modifiedOn),
    });
  }
  locationContactFeed(): ChangeFeed<number, FeedContact> {
    return this.feeds.locationContacts ??= new ChangeFeed<number, FeedContact>({
      log: this.locationContactLog,
      seeded: () => this.lists.locationContacts.seededByModified(),
      resolve: (id) => this.findLocationContact(id),
      modifiedMs: (c) => Date.parse(c.rec.modifiedOn),
    });
  }

  // ---- people contacts ---------------------------------------------------------------------
  getPerson(id: string): PersonRec | undefined {
    if (this.deletedPeople.has(id)) return undefined;
    const rec = this.people.get(id);
    if (rec) return rec;
    const key = this.seedData.personIndex(id);
    return key === undefined ? undefined : this.seedData.person(key.i, key.s);
  }
  putPerson(rec: PersonRec, created: boolean): void {
    this.version++;
    this.people.set(rec.id, rec);
    if (created) this.createdPeople.push(rec.id);
  }
  deletePerson(id: string): void {
    this.version++;
    for (const m of this.methods(id)) this.methodPrefs.delete(m.id);
    this.deletedPeople.add(id);
    this.people.delete(id);
    this.methodLists.delete(id);
    this.relationshipLists.set(id, []);
    const created = this.createdPeople.indexOf(id);
    if (created >= 0) this.createdPeople.splice(created, 1);
  }
  methods(personId: string): MethodRec[] {
    const list = this.methodLists.get(personId);
    if (list) return list;
    const key = this.seedData.personIndex(personId);
    return key === undefined ? [] : this.seedData.methods(key.i, key.s);
  }
  setMethods(personId: string, list: MethodRec[]): void {
    this.version++;
    const kept = new Set(list.map((m) => m.id));
    for (const m of this.methods(personId)) if (!kept.has(m.id)) this.methodPrefs.delete(m.id);
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
  /** Preference values set on a contact method (name -> value); unset ones are absent. */
  methodPreferences(methodId: string): ReadonlyMap<string, string> { return this.methodPrefs.get(methodId) ?? new Map<string, string>(); }
  setMethodPreference(methodId: string, name: string, value: string | undefined): void {
    const prefs = new Map(this.methodPrefs.get(methodId) ?? []);
    if (value === undefined) prefs.delete(name); else prefs.set(name, value);
    if (prefs.size === 0) this.methodPrefs.delete(methodId); else this.methodPrefs.set(methodId, prefs);
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
      revision: this.revisions.value,
      changes: {
        customers: this.customerLog.entries(), locations: this.locationLog.entries(),
        customerContacts: this.customerContactLog.entries(), locationContacts: this.locationContactLog.entries(),
      },
      deletedCustomerContacts: [...this.deletedCustomerContacts.values()].map((d) => [d.parentId, d.rec]),
      deletedLocationContacts: [...this.deletedLocationContacts.values()].map((d) => [d.parentId, d.rec]),
      customerNotes: [...this.customerNoteLists.entries()],
      locationNotes: [...this.locationNoteLists.entries()],
      methodPreferences: [...this.methodPrefs.entries()].map(([id, prefs]) => [id, [...prefs.entries()]]),
    };
  }

  static fromSnapshot(s: StoreSnapshot): Store {
    const st = new Store(s.seed, s.customers);
    st.nextIdValue = s.nextId;
    for (const c of s.customerRecords) st.customerRecords.set(c.id, c);
    st.createdCustomerIds.push(...s.createdCustomerIds);
    for (const l of s.locationRecords) st.locationRecords.set(l.id, l);
    for (const [k, v] of s.createdLocations) st.createdLocations.set(k, v);
    for (const [k, v] of s.customerContacts) { st.customerContactLists.set(k, v); for (const c of v) st.customerContactOwner.set(c.id, k); }
    for (const [k, v] of s.locationContacts) { st.locationContactLists.set(k, v); for (const c of v) st.locationContactOwner.set(c.id, k); }
    for (const p of s.people) st.people.set(p.id, p);
    st.createdPeople.push(...s.createdPeople);
    for (const d of s.deletedPeople) st.deletedPeople.add(d);
    for (const [k, v] of s.methods) st.setMethods(k, v);
    for (const [k, v] of s.relationships) st.setRelationships(k, v);
    st.revisions.value = s.revision ?? 0;
    if (s.changes === undefined) {
      // A file from before the export feeds: everything it changed counts as changed once, in file order.
      for (const c of s.customerRecords) st.customerLog.touch(c.id);
      for (const l of s.locationRecords) st.locationLog.touch(l.id);
      for (const [, v] of s.customerContacts) for (const c of v) st.customerContactLog.touch(c.id);
      for (const [, v] of s.locationContacts) for (const c of v) st.locationContactLog.touch(c.id);
    }
    st.customerLog.load(s.changes?.customers ?? []);
    st.locationLog.load(s.changes?.locations ?? []);
    st.customerContactLog.load(s.changes?.customerContacts ?? []);
    st.locationContactLog.load(s.changes?.locationContacts ?? []);
    for (const [parentId, rec] of s.deletedCustomerContacts ?? []) st.deletedCustomerContacts.set(rec.id, { parentId, rec });
    for (const [parentId, rec] of s.deletedLocationContacts ?? []) st.deletedLocationContacts.set(rec.id, { parentId, rec });
    for (const [k, v] of s.customerNotes ?? []) st.customerNoteLists.set(k, v);
    for (const [k, v] of s.locationNotes ?? []) st.locationNoteLists.set(k, v);
    for (const [id, prefs] of s.methodPreferences ?? []) st.methodPrefs.set(id, new Map(prefs));
    st.version++;
    return st;
  }
}

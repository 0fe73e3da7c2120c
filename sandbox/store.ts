// In-memory CRM state: seeded entities are derived from SeedData on demand; the store only keeps
// what the API changed (overrides, created entities, deletions, materialised child lists). The
// large lists (lists/) read those changes and cache what they derive until the next mutator runs.
import { ChangeFeed, ChangeLog, Revisions } from './changeFeed';
import type { StoreChanges } from './lists/storeChanges';
import { StoreLists } from './lists/storeLists';
import { CREATED_ID_BASE, SeedData } from './seed';
import type { CustomerRec, LocationRec, MethodRec, NoteRec, PersonRec, PhoneContactRec, RelationshipRec } from './types';

/** A customer or location contact as the export feeds see it (deleted ones stay, inactive). */
export interface FeedContact {
  parentId: number;
  rec: PhoneContactRec;
  active: boolean;
}

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
  changes?: {
    customers: Array<[number, number]>;
    locations: Array<[number, number]>;
    customerContacts: Array<[number, number]>;
    locationContacts: Array<[number, number]>;
  };
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
    customers?: ChangeFeed<number, CustomerRec>;
    locations?: ChangeFeed<number, LocationRec>;
    customerContacts?: ChangeFeed<number, FeedContact>;
    locationContacts?: ChangeFeed<number, FeedContact>;
  } = {};

  /** Moves on every change the lists read (see lists/storeChanges.ts). */
  private version = 0;
  private listsValue: StoreLists | undefined;

  constructor(
    readonly seed: number,
    readonly customerCount: number,
  ) {
    this.seedData = new SeedData(seed, customerCount);
  }

  /** The large lists (customers, locations, people, contact methods, contacts across parents), indexed on first use. */
  get lists(): StoreLists {
    return (this.listsValue ??= new StoreLists(this.seedData, this.changes(), this));
  }
  private changes(): StoreChanges {
    return {
      version: () => this.version,
      customers: this.customerRecords,
      createdCustomerIds: this.createdCustomerIds,
      locations: this.locationRecords,
      createdLocations: this.createdLocations,
      customerContacts: this.customerContactLists,
      locationContacts: this.locationContactLists,
      people: this.people,
      createdPeople: this.createdPeople,
      deletedPeople: this.deletedPeople,
      methods: this.methodLists,
    };
  }

  nextId(): number {
    return this.nextIdValue++;
  }

  // ---- customers ---------------------------------------------------------------------------
  getCustomer(id: number): CustomerRec | undefined {
    const rec = this.customerRecords.get(id);
    if (rec) return rec;
    const index = this.seedData.customerIndex(id);
    return index === undefined ? undefined : this.seedData.customer(index);
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
    const index = this.seedData.customerIndex(customerId);
    return index === undefined ? [] : this.seedData.customerContacts(index);
  }
  setCustomerContacts(customerId: number, list: PhoneContactRec[]): void {
    this.version++;
    this.diffContacts(this.customerContacts(customerId), list, customerId, this.customerContactLog, this.deletedCustomerContacts, this.customerContactOwner);
    this.customerContactLists.set(customerId, list);
  }
  /** Stamps added, changed and removed contacts for the export feed; removed ones are kept as tombstones. */
  private diffContacts(
    before: PhoneContactRec[],
    after: PhoneContactRec[],
    parentId: number,
    log: ChangeLog<number>,
    deleted: Map<number, { parentId: number; rec: PhoneContactRec }>,
    owners: Map<number, number>,
  ): void {
    const previous = new Map(before.map((contact) => [contact.id, JSON.stringify(contact)]));
    for (const contact of after) {
      owners.set(contact.id, parentId);
      deleted.delete(contact.id);
      if (previous.get(contact.id) !== JSON.stringify(contact)) log.touch(contact.id);
      previous.delete(contact.id);
    }
    for (const id of previous.keys()) {
      const rec = before.find((contact) => contact.id === id);
      if (rec) {
        deleted.set(id, { parentId, rec });
        log.touch(id);
      }
    }
  }
  customerNotes(customerId: number): NoteRec[] {
    const list = this.customerNoteLists.get(customerId);
    if (list) return list;
    const index = this.seedData.customerIndex(customerId);
    return index === undefined ? [] : this.seedData.customerNotes(index);
  }
  setCustomerNotes(customerId: number, list: NoteRec[]): void {
    this.customerNoteLists.set(customerId, list);
  }

  // ---- locations ---------------------------------------------------------------------------
  getLocation(id: number): LocationRec | undefined {
    const rec = this.locationRecords.get(id);
    if (rec) return rec;
    const key = this.seedData.locationIndex(id);
    return key === undefined ? undefined : this.seedData.location(key.i, key.k);
  }
  /** Seeded locations of the customer, then the ones created through the API. */
  locationIdsOfCustomer(customerId: number): number[] {
    const created = this.createdLocations.get(customerId) ?? [];
    const index = this.seedData.customerIndex(customerId);
    if (index === undefined) return created;
    const ids: number[] = [];
    for (let slot = 0; slot < this.seedData.locationCount(index); slot++) ids.push(this.seedData.locationId(index, slot));
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
    const key = this.seedData.locationIndex(locationId);
    return key === undefined ? [] : this.seedData.locationContacts(key.i, key.k);
  }
  setLocationContacts(locationId: number, list: PhoneContactRec[]): void {
    this.version++;
    this.diffContacts(this.locationContacts(locationId), list, locationId, this.locationContactLog, this.deletedLocationContacts, this.locationContactOwner);
    this.locationContactLists.set(locationId, list);
  }
  locationNotes(locationId: number): NoteRec[] {
    const list = this.locationNoteLists.get(locationId);
    if (list) return list;
    const key = this.seedData.locationIndex(locationId);
    return key === undefined ? [] : this.seedData.locationNotes(key.i, key.k);
  }
  setLocationNotes(locationId: number, list: NoteRec[]): void {
    this.locationNoteLists.set(locationId, list);
  }

  // ---- customer and location contacts by id (export feeds) ---------------------------------
  private findContact(
    id: number,
    seededParent: number | undefined,
    owners: Map<number, number>,
    list: (parent: number) => PhoneContactRec[],
    deleted: Map<number, { parentId: number; rec: PhoneContactRec }>,
  ): FeedContact | undefined {
    const parent = seededParent ?? owners.get(id);
    const rec = parent === undefined ? undefined : list(parent).find((contact) => contact.id === id);
    if (rec && parent !== undefined) return { parentId: parent, rec, active: true };
    const gone = deleted.get(id);
    return gone ? { parentId: gone.parentId, rec: gone.rec, active: false } : undefined;
  }
  findCustomerContact(id: number): FeedContact | undefined {
    const key = id < CREATED_ID_BASE ? this.seedData.customerContactIndex(id) : undefined;
    const seededParent = key ? this.seedData.customerId(key.i) : undefined;
    return this.findContact(id, seededParent, this.customerContactOwner, (parent) => this.customerContacts(parent), this.deletedCustomerContacts);
  }
  findLocationContact(id: number): FeedContact | undefined {
    const key = id < CREATED_ID_BASE ? this.seedData.locationContactIndex(id) : undefined;
    const seededParent = key ? this.seedData.locationId(key.i, key.k) : undefined;
    return this.findContact(id, seededParent, this.locationContactOwner, (parent) => this.locationContacts(parent), this.deletedLocationContacts);
  }

  // ---- export feeds ------------------------------------------------------------------------
  // The seeded part of each feed is the lists' seeded rows sorted by (modifiedOn, id).
  customerFeed(): ChangeFeed<number, CustomerRec> {
    return (this.feeds.customers ??= new ChangeFeed<number, CustomerRec>({
      log: this.customerLog,
      seeded: () => this.lists.customers.seededByModified(),
      resolve: (id) => this.getCustomer(id),
      modifiedMs: (customer) => Date.parse(customer.modifiedOn),
    }));
  }
  locationFeed(): ChangeFeed<number, LocationRec> {
    return (this.feeds.locations ??= new ChangeFeed<number, LocationRec>({
      log: this.locationLog,
      seeded: () => this.lists.locations.seededByModified(),
      resolve: (id) => this.getLocation(id),
      modifiedMs: (location) => Date.parse(location.modifiedOn),
    }));
  }
  customerContactFeed(): ChangeFeed<number, FeedContact> {
    return (this.feeds.customerContacts ??= new ChangeFeed<number, FeedContact>({
      log: this.customerContactLog,
      seeded: () => this.lists.customerContacts.seededByModified(),
      resolve: (id) => this.findCustomerContact(id),
      modifiedMs: (contact) => Date.parse(contact.rec.modifiedOn),
    }));
  }
  locationContactFeed(): ChangeFeed<number, FeedContact> {
    return (this.feeds.locationContacts ??= new ChangeFeed<number, FeedContact>({
      log: this.locationContactLog,
      seeded: () => this.lists.locationContacts.seededByModified(),
      resolve: (id) => this.findLocationContact(id),
      modifiedMs: (contact) => Date.parse(contact.rec.modifiedOn),
    }));
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
    for (const method of this.methods(id)) this.methodPrefs.delete(method.id);
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
    const kept = new Set(list.map((method) => method.id));
    for (const method of this.methods(personId)) {
      if (!kept.has(method.id)) this.methodPrefs.delete(method.id);
    }
    this.methodLists.set(personId, list);
    for (const method of list) {
      const owners = this.methodIndex.get(method.id) ?? new Set<string>();
      owners.add(personId);
      this.methodIndex.set(method.id, owners);
    }
  }
  /** The existing person contact that currently has this contact method id, if any. */
  methodOwner(methodId: string): string | undefined {
    const seeded = this.seedData.methodOwner(methodId);
    const candidates = seeded ? [this.seedData.personGuid(seeded.i, seeded.s)] : [];
    for (const id of this.methodIndex.get(methodId) ?? []) candidates.push(id);
    return candidates.find((id) => this.getPerson(id) !== undefined && this.methods(id).some((method) => method.id === methodId));
  }
  /** Preference values set on a contact method (name -> value); unset ones are absent. */
  methodPreferences(methodId: string): ReadonlyMap<string, string> {
    return this.methodPrefs.get(methodId) ?? new Map<string, string>();
  }
  setMethodPreference(methodId: string, name: string, value: string | undefined): void {
    const preferences = new Map(this.methodPrefs.get(methodId) ?? []);
    if (value === undefined) preferences.delete(name);
    else preferences.set(name, value);
    if (preferences.size === 0) this.methodPrefs.delete(methodId);
    else this.methodPrefs.set(methodId, preferences);
  }
  relationships(personId: string): RelationshipRec[] {
    const list = this.relationshipLists.get(personId);
    if (list) return list;
    const key = this.seedData.personIndex(personId);
    return key === undefined ? [] : this.seedData.relationships(key.i, key.s);
  }
  setRelationships(personId: string, list: RelationshipRec[]): void {
    this.relationshipLists.set(personId, list);
    for (const relationship of list) this.indexRelationship(relationship.relatedEntityId, personId);
  }
  private indexRelationship(entityId: number, personId: string): void {
    const people = this.relationshipIndex.get(entityId) ?? new Set<string>();
    people.add(personId);
    this.relationshipIndex.set(entityId, people);
  }
  /** People that currently have a relationship with this entity id, in a stable order. */
  peopleRelatedTo(entityId: number): PersonRec[] {
    const ids: string[] = this.seedData.seededPeopleFor(entityId).map((key) => this.seedData.personGuid(key.i, key.s));
    for (const id of this.relationshipIndex.get(entityId) ?? []) {
      if (!ids.includes(id)) ids.push(id);
    }
    const out: PersonRec[] = [];
    for (const id of ids) {
      const person = this.getPerson(id);
      if (person && this.relationships(id).some((relationship) => relationship.relatedEntityId === entityId)) out.push(person);
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
        customers: this.customerLog.entries(),
        locations: this.locationLog.entries(),
        customerContacts: this.customerContactLog.entries(),
        locationContacts: this.locationContactLog.entries(),
      },
      deletedCustomerContacts: [...this.deletedCustomerContacts.values()].map((deleted) => [deleted.parentId, deleted.rec]),
      deletedLocationContacts: [...this.deletedLocationContacts.values()].map((deleted) => [deleted.parentId, deleted.rec]),
      customerNotes: [...this.customerNoteLists.entries()],
      locationNotes: [...this.locationNoteLists.entries()],
      methodPreferences: [...this.methodPrefs.entries()].map(([id, prefs]) => [id, [...prefs.entries()]]),
    };
  }

  static fromSnapshot(snapshot: StoreSnapshot): Store {
    const store = new Store(snapshot.seed, snapshot.customers);
    store.nextIdValue = snapshot.nextId;
    for (const customer of snapshot.customerRecords) store.customerRecords.set(customer.id, customer);
    store.createdCustomerIds.push(...snapshot.createdCustomerIds);
    for (const location of snapshot.locationRecords) store.locationRecords.set(location.id, location);
    for (const [customerId, ids] of snapshot.createdLocations) store.createdLocations.set(customerId, ids);
    for (const [customerId, contacts] of snapshot.customerContacts) {
      store.customerContactLists.set(customerId, contacts);
      for (const contact of contacts) store.customerContactOwner.set(contact.id, customerId);
    }
    for (const [locationId, contacts] of snapshot.locationContacts) {
      store.locationContactLists.set(locationId, contacts);
      for (const contact of contacts) store.locationContactOwner.set(contact.id, locationId);
    }
    for (const person of snapshot.people) store.people.set(person.id, person);
    store.createdPeople.push(...snapshot.createdPeople);
    for (const id of snapshot.deletedPeople) store.deletedPeople.add(id);
    for (const [personId, methods] of snapshot.methods) store.setMethods(personId, methods);
    for (const [personId, relationships] of snapshot.relationships) store.setRelationships(personId, relationships);
    store.revisions.value = snapshot.revision ?? 0;
    if (snapshot.changes === undefined) {
      // A file from before the export feeds: everything it changed counts as changed once, in file order.
      for (const customer of snapshot.customerRecords) store.customerLog.touch(customer.id);
      for (const location of snapshot.locationRecords) store.locationLog.touch(location.id);
      for (const [, contacts] of snapshot.customerContacts) {
        for (const contact of contacts) store.customerContactLog.touch(contact.id);
      }
      for (const [, contacts] of snapshot.locationContacts) {
        for (const contact of contacts) store.locationContactLog.touch(contact.id);
      }
    }
    store.customerLog.load(snapshot.changes?.customers ?? []);
    store.locationLog.load(snapshot.changes?.locations ?? []);
    store.customerContactLog.load(snapshot.changes?.customerContacts ?? []);
    store.locationContactLog.load(snapshot.changes?.locationContacts ?? []);
    for (const [parentId, rec] of snapshot.deletedCustomerContacts ?? []) store.deletedCustomerContacts.set(rec.id, { parentId, rec });
    for (const [parentId, rec] of snapshot.deletedLocationContacts ?? []) store.deletedLocationContacts.set(rec.id, { parentId, rec });
    for (const [customerId, notes] of snapshot.customerNotes ?? []) store.customerNoteLists.set(customerId, notes);
    for (const [locationId, notes] of snapshot.locationNotes ?? []) store.locationNoteLists.set(locationId, notes);
    for (const [methodId, preferences] of snapshot.methodPreferences ?? []) store.methodPrefs.set(methodId, new Map(preferences));
    store.version++;
    return store;
  }
}

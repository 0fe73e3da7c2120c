// What a --data file may hold: FILE (a whole snapshot) and FILE.journal (the changes since, see
// persistence.ts). FILE is checked as a whole before anything is loaded: a file with settings the
// flags would refuse, wrong types or colliding ids is refused, never half-loaded (and, being
// refused, never overwritten). Each journal call is checked against the method it names.
import * as z from 'zod';
import { MAX_TOKEN_GENERATION } from './tokenGeneration';
import { CREATED_ID_BASE, MAX_CUSTOMERS, MAX_SEED, SeedData } from './seed';
import { salesProblems, salesSnapshotSchema } from './salesSnapshotSchema';
import type { SalesSnapshot, SalesStore } from './salesStore';
import type { Store, StoreSnapshot } from './store';
import { CONTACT_TYPES, CUSTOMER_TYPES, RELATIONSHIP_TYPES } from './types';

/** The data file: the store's snapshot plus the token revocation generation. */
export interface DataFileContent extends StoreSnapshot {
  /** Absent in files written before revocations were persisted (then 0). */
  tokenGeneration?: number;
  /** Leads, bookings and booking provider tags (SalesStore); absent in files written before them (then seeded). */
  sales?: SalesSnapshot;
  /** The last FILE.journal record this snapshot includes; absent in files written before the journal (then 0). */
  journalSeq?: number;
}

const id = z.int().min(1);
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
const date = z.iso.datetime();
const userId = z.int();

const address = z.strictObject({
  street: z.string(), unit: z.string().optional(), city: z.string(), state: z.string(), zip: z.string(), country: z.string(),
  latitude: z.number().optional(), longitude: z.number().optional(),
});
const customField = z.strictObject({ typeId: z.int(), name: z.string().optional(), value: z.string().optional() });
const externalData = z.strictObject({ applicationGuid: guid, key: z.string(), value: z.string() });

// taxExempt and nationalAccount came with the 2026 document: files written before default to false.
const customer = z.strictObject({
  id, active: z.boolean(), name: z.string(), type: z.enum(CUSTOMER_TYPES), address, customFields: z.array(customField),
  balance: z.number(), taxExempt: z.boolean().default(false), tagTypeIds: z.array(z.int()), doNotMail: z.boolean(),
  doNotService: z.boolean(), nationalAccount: z.boolean().default(false), createdOn: date, createdById: userId, modifiedOn: date,
  mergedToId: id.optional(), paymentTermId: z.int().optional(), creditLimit: z.number().optional(), creditLimitBalance: z.number().optional(),
  externalData: z.array(externalData),
});
const location = z.strictObject({
  id, customerId: id, active: z.boolean(), name: z.string(), address, customFields: z.array(customField), createdOn: date,
  createdById: userId, modifiedOn: date, mergedToId: id.optional(), zoneId: z.int().optional(), taxExempt: z.boolean().default(false),
  tagTypeIds: z.array(z.int()), externalData: z.array(externalData), taxZoneId: z.int().optional(), preferredTechnicianId: id.optional(),
});
const preferences = z.strictObject({
  jobRemindersEnabled: z.boolean(), marketingUpdatesEnabled: z.boolean(), invoiceStatementNotification: z.boolean(),
});
const phoneContact = z.strictObject({
  id, type: z.enum(CONTACT_TYPES), value: z.string().min(1), memo: z.string().optional(), doNotText: z.boolean(),
  createdOn: date, modifiedOn: date, preferences: preferences.optional(),
});
const note = z.strictObject({
  id, text: z.string(), isPinned: z.boolean(), createdById: userId, createdOn: date, modifiedOn: date,
});
const change = z.tuple([id, z.int().min(1)]);
const person = z.strictObject({
  id: guid, referenceId: z.string().optional(), name: z.string().optional(), title: z.string().optional(), isArchived: z.boolean(),
  createdOn: date, createdBy: userId, modifiedOn: date, modifiedBy: userId,
});
const method = z.strictObject({
  id: guid, contactId: guid, referenceId: z.string().optional(), type: z.enum(CONTACT_TYPES), value: z.string().min(1),
  memo: z.string().optional(), createdOn: date, createdBy: userId, modifiedOn: date, modifiedBy: userId,
});
const relationship = z.strictObject({
  id: guid, relatedEntityId: id, typeSlug: z.enum(RELATIONSHIP_TYPES), createdOn: date, createdBy: userId,
});

const dataFileSchema = z.strictObject({
  format: z.literal('stcrm-sandbox'),
  version: z.literal(1),
  seed: z.int().min(0, `must be between 0 and ${MAX_SEED} (the --seed limits)`).max(MAX_SEED, `must be between 0 and ${MAX_SEED} (the --seed limits)`),
  customers: z.int().min(0, `must be between 0 and ${MAX_CUSTOMERS} (the --customers limits)`).max(MAX_CUSTOMERS, `must be between 0 and ${MAX_CUSTOMERS} (the --customers limits)`),
  nextId: z.int().min(CREATED_ID_BASE),
  customerRecords: z.array(customer),
  createdCustomerIds: z.array(id),
  locationRecords: z.array(location),
  createdLocations: z.array(z.tuple([id, z.array(id)])),
  customerContacts: z.array(z.tuple([id, z.array(phoneContact)])),
  locationContacts: z.array(z.tuple([id, z.array(phoneContact)])),
  people: z.array(person),
  createdPeople: z.array(guid),
  deletedPeople: z.array(guid),
  methods: z.array(z.tuple([guid, z.array(method)])),
  relationships: z.array(z.tuple([guid, z.array(relationship)])),
  // Added with the 2026 document (export feeds, notes, contact method preferences); optional.
  revision: z.int().min(0).optional(),
  changes: z.strictObject({
    customers: z.array(change), locations: z.array(change), customerContacts: z.array(change), locationContacts: z.array(change),
  }).optional(),
  deletedCustomerContacts: z.array(z.tuple([id, phoneContact])).optional(),
  deletedLocationContacts: z.array(z.tuple([id, phoneContact])).optional(),
  customerNotes: z.array(z.tuple([id, z.array(note)])).optional(),
  locationNotes: z.array(z.tuple([id, z.array(note)])).optional(),
  methodPreferences: z.array(z.tuple([guid, z.array(z.tuple([z.string().min(1), z.string()]))])).optional(),
  tokenGeneration: z.int().min(0).max(MAX_TOKEN_GENERATION).optional(),
  sales: salesSnapshotSchema.optional(),
  journalSeq: z.int().min(0).optional(),
});

const MAX_REPORTED = 10;

/**
 * Checks the ids and references the store relies on: unique ids, overrides of seeded entities
 * that really are seeded, created ids below `nextId`, children under the parent they belong to.
 * Also run on a state rebuilt from FILE and FILE.journal (whose calls were checked by STORE_CALLS…).
 */
export function referenceProblems(d: DataFileContent): string[] {
  const problems: string[] = [];
  const report = (at: string, message: string): void => { problems.push(`${at}: ${message}`); };
  const sd = new SeedData(d.seed, d.customers);
  const createdIds = new Map<number, string>();
  const created = (value: number, at: string): void => {
    if (value >= d.nextId) report(at, `id ${value} is not below nextId (${d.nextId}), so the next create would reuse it`);
    const other = createdIds.get(value);
    if (other !== undefined) report(at, `id ${value} is also used at ${other}`);
    else createdIds.set(value, at);
  };
  const uniqueKeys = <K>(entries: Array<[K, unknown]>, name: string): void => {
    const seen = new Set<K>();
    entries.forEach(([k], i) => { if (seen.has(k)) report(`${name}[${i}][0]`, `${String(k)} is listed twice`); seen.add(k); });
  };

  // Customers.
  const createdCustomers = new Set<number>();
  d.createdCustomerIds.forEach((cid, i) => {
    if (createdCustomers.has(cid)) { report(`createdCustomerIds[${i}]`, `${cid} is listed twice`); return; }
    createdCustomers.add(cid);
    created(cid, `createdCustomerIds[${i}]`);
  });
  const customerRecords = new Set<number>();
  d.customerRecords.forEach((c, i) => {
    if (customerRecords.has(c.id)) report(`customerRecords[${i}].id`, `customer ${c.id} is stored twice`);
    customerRecords.add(c.id);
    if (sd.customerIndex(c.id) === undefined && !createdCustomers.has(c.id)) {
      report(`customerRecords[${i}].id`, `${c.id} is neither a seeded customer nor in createdCustomerIds`);
    }
  });
  for (const cid of createdCustomers) if (!customerRecords.has(cid)) report('createdCustomerIds', `customer ${cid} has no record in customerRecords`);
  const customerExists = (cid: number): boolean => sd.customerIndex(cid) !== undefined || createdCustomers.has(cid);

  // Locations.
  uniqueKeys(d.createdLocations, 'createdLocations');
  const createdLocationOwner = new Map<number, number>();
  d.createdLocations.forEach(([cid, ids], i) => {
    if (!customerExists(cid)) report(`createdLocations[${i}][0]`, `customer ${cid} does not exist`);
    ids.forEach((lid, j) => {
      if (createdLocationOwner.has(lid)) { report(`createdLocations[${i}][1][${j}]`, `location ${lid} is listed twice`); return; }
      createdLocationOwner.set(lid, cid);
      created(lid, `createdLocations[${i}][1][${j}]`);
    });
  });
  const locationRecords = new Map<number, number>();
  d.locationRecords.forEach((l, i) => {
    if (locationRecords.has(l.id)) report(`locationRecords[${i}].id`, `location ${l.id} is stored twice`);
    locationRecords.set(l.id, l.customerId);
    const seeded = sd.locationIndex(l.id);
    const owner = seeded ? sd.customerId(seeded.i) : createdLocationOwner.get(l.id);
    if (owner === undefined) report(`locationRecords[${i}].id`, `${l.id} is neither a seeded location nor in createdLocations`);
    else if (owner !== l.customerId) report(`locationRecords[${i}].customerId`, `location ${l.id} belongs to customer ${owner}, not ${l.customerId}`);
  });
  for (const lid of createdLocationOwner.keys()) if (!locationRecords.has(lid)) report('createdLocations', `location ${lid} has no record in locationRecords`);
  const locationExists = (lid: number): boolean => sd.locationIndex(lid) !== undefined || createdLocationOwner.has(lid);

  // Customer and location contacts (int64 ids, unique across both kinds).
  const contactIds = new Map<number, string>();
  const contactLists = (name: 'customerContacts' | 'locationContacts'): void => {
    uniqueKeys(d[name], name);
    d[name].forEach(([parent, list], i) => {
      const isCustomer = name === 'customerContacts';
      if (!(isCustomer ? customerExists(parent) : locationExists(parent))) report(`${name}[${i}][0]`, `${isCustomer ? 'customer' : 'location'} ${parent} does not exist`);
      list.forEach((c, j) => {
        const at = `${name}[${i}][1][${j}].id`;
        const other = contactIds.get(c.id);
        if (other !== undefined) { report(at, `contact ${c.id} is also at ${other}`); return; }
        contactIds.set(c.id, at);
        if (c.id >= CREATED_ID_BASE) { created(c.id, at); return; }
        // A seeded id may only appear under its own parent, or it would exist twice.
        let own: boolean;
        if (isCustomer) {
          own = sd.customerContactIndex(c.id)?.i === sd.customerIndex(parent);
        } else {
          const ix = sd.locationContactIndex(c.id), lx = sd.locationIndex(parent);
          own = ix !== undefined && lx !== undefined && ix.i === lx.i && ix.k === lx.k;
        }
        if (!own) report(at, `${c.id} is not a seeded contact of ${isCustomer ? 'customer' : 'location'} ${parent}`);
      });
    });
  };
  contactLists('customerContacts');
  contactLists('locationContacts');

  // People.
  const deleted = new Set<string>();
  d.deletedPeople.forEach((p, i) => { if (deleted.has(p)) report(`deletedPeople[${i}]`, `${p} is listed twice`); deleted.add(p); });
  const createdPeople = new Set<string>();
  d.createdPeople.forEach((p, i) => {
    if (createdPeople.has(p)) report(`createdPeople[${i}]`, `${p} is listed twice`);
    createdPeople.add(p);
    if (deleted.has(p)) report(`createdPeople[${i}]`, `${p} is also in deletedPeople`);
    if (sd.personIndex(p) !== undefined) report(`createdPeople[${i}]`, `${p} is a seeded contact`);
  });
  const people = new Set<string>();
  d.people.forEach((p, i) => {
    if (people.has(p.id)) report(`people[${i}].id`, `contact ${p.id} is stored twice`);
    people.add(p.id);
    if (deleted.has(p.id)) report(`people[${i}].id`, `${p.id} is also in deletedPeople`);
    else if (sd.personIndex(p.id) === undefined && !createdPeople.has(p.id)) report(`people[${i}].id`, `${p.id} is neither a seeded contact nor in createdPeople`);
  });
  for (const p of createdPeople) if (!people.has(p)) report('createdPeople', `contact ${p} has no record in people`);
  const personExists = (p: string): boolean => !deleted.has(p) && (sd.personIndex(p) !== undefined || createdPeople.has(p));

  // Contact methods (GUID ids, unique across all contacts).
  uniqueKeys(d.methods, 'methods');
  const methodIds = new Map<string, string>();
  const materialised = new Set(d.methods.map(([p]) => p));
  d.methods.forEach(([p, list], i) => {
    if (!personExists(p)) report(`methods[${i}][0]`, `contact ${p} does not exist`);
    list.forEach((m, j) => {
      const at = `methods[${i}][1][${j}]`;
      if (m.contactId !== p) report(`${at}.contactId`, `is ${m.contactId} but the method is listed under contact ${p}`);
      const other = methodIds.get(m.id);
      if (other !== undefined) report(`${at}.id`, `contact method ${m.id} is also at ${other}`);
      methodIds.set(m.id, at);
      // A seeded id elsewhere collides only while its own contact still derives it from the seed.
      const seeded = sd.methodOwner(m.id);
      const owner = seeded ? sd.personGuid(seeded.i, seeded.s) : undefined;
      if (owner !== undefined && owner !== p && !deleted.has(owner) && !materialised.has(owner)) {
        report(`${at}.id`, `${m.id} is a seeded method of contact ${owner}`);
      }
    });
  });

  // Deleted customer and location contacts (tombstones for the export feeds).
  for (const name of ['deletedCustomerContacts', 'deletedLocationContacts'] as const) {
    (d[name] ?? []).forEach(([parent, c], i) => {
      const isCustomer = name === 'deletedCustomerContacts';
      if (!(isCustomer ? customerExists(parent) : locationExists(parent))) report(`${name}[${i}][0]`, `${isCustomer ? 'customer' : 'location'} ${parent} does not exist`);
      const other = contactIds.get(c.id);
      if (other !== undefined) report(`${name}[${i}][1].id`, `contact ${c.id} is also at ${other}`);
      else contactIds.set(c.id, `${name}[${i}]`);
      if (c.id >= d.nextId) report(`${name}[${i}][1].id`, `id ${c.id} is not below nextId (${d.nextId})`);
    });
  }

  // Notes (int64 ids, unique across customers and locations).
  const noteIds = new Map<number, string>();
  for (const name of ['customerNotes', 'locationNotes'] as const) {
    const lists = d[name] ?? [];
    uniqueKeys(lists, name);
    lists.forEach(([parent, list], i) => {
      const isCustomer = name === 'customerNotes';
      if (!(isCustomer ? customerExists(parent) : locationExists(parent))) report(`${name}[${i}][0]`, `${isCustomer ? 'customer' : 'location'} ${parent} does not exist`);
      list.forEach((n, j) => {
        const at = `${name}[${i}][1][${j}].id`;
        const other = noteIds.get(n.id);
        if (other !== undefined) { report(at, `note ${n.id} is also at ${other}`); return; }
        noteIds.set(n.id, at);
        if (n.id >= CREATED_ID_BASE) created(n.id, at);
      });
    });
  }

  // Export feed stamps.
  const revision = d.revision ?? 0;
  for (const [feed, list] of Object.entries(d.changes ?? {})) {
    const keys = new Set<number>();
    list.forEach(([key, rev], i) => {
      if (rev > revision) report(`changes.${feed}[${i}][1]`, `revision ${rev} is above revision (${revision})`);
      if (keys.has(key)) report(`changes.${feed}[${i}][0]`, `${key} is listed twice`);
      keys.add(key);
    });
  }

  // Relationships.
  uniqueKeys(d.relationships, 'relationships');
  const relationshipIds = new Map<string, string>();
  d.relationships.forEach(([p, list], i) => {
    if (!personExists(p) && !(deleted.has(p) && list.length === 0)) report(`relationships[${i}][0]`, `contact ${p} does not exist`);
    const pairs = new Set<string>();
    list.forEach((r, j) => {
      const at = `relationships[${i}][1][${j}]`;
      const other = relationshipIds.get(r.id);
      if (other !== undefined) report(`${at}.id`, `relationship ${r.id} is also at ${other}`);
      relationshipIds.set(r.id, at);
      const pair = `${r.typeSlug}:${r.relatedEntityId}`;
      if (pairs.has(pair)) report(at, `the relationship to ${pair} is listed twice`);
      pairs.add(pair);
      const exists = r.typeSlug === 'customer' ? customerExists(r.relatedEntityId) : r.typeSlug === 'location' ? locationExists(r.relatedEntityId) : false;
      if (!exists) report(`${at}.relatedEntityId`, `${r.typeSlug} ${r.relatedEntityId} does not exist`);
    });
  });
  // Leads, bookings and booking provider tags.
  if (d.sales) {
    const locationOwner = (lid: number): number | undefined => {
      const seeded = sd.locationIndex(lid);
      return seeded ? sd.customerId(seeded.i) : createdLocationOwner.get(lid);
    };
    problems.push(...salesProblems(d.sales, { nextId: d.nextId, customerExists, locationOwner }));
  }
  return problems;
}

function refuse(file: string, problems: string[]): never {
  const shown = problems.slice(0, MAX_REPORTED).map((p) => `\n  - ${p}`).join('');
  const more = problems.length > MAX_REPORTED ? `\n  - … and ${problems.length - MAX_REPORTED} more` : '';
  throw new Error(`${file} is not a valid CRM sandbox data file, so it was not loaded (and will not be overwritten). `
    + `Fix or remove it, or pass another --data file:${shown}${more}`);
}

/** Returns the validated content, or throws an Error that lists what is wrong (and where). */
export function parseDataFile(data: unknown, file: string): DataFileContent {
  const header = z.object({ format: z.literal('stcrm-sandbox'), version: z.literal(1) }).safeParse(data);
  if (!header.success) {
    throw new Error(`${file} is not a CRM sandbox data file (no "format": "stcrm-sandbox", "version": 1), so it was not loaded `
      + '(and will not be overwritten). Pass another --data file or remove it.');
  }
  const parsed = dataFileSchema.safeParse(data);
  if (!parsed.success) refuse(file, parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`));
  const problems = referenceProblems(parsed.data);
  if (problems.length > 0) refuse(file, problems);
  return parsed.data;
}

// ---- FILE.journal ---------------------------------------------------------------------------------
type ArgsOf<T, M extends keyof T> = T[M] extends (...args: infer A) => unknown ? A : never;
type CallSchemas<T> = { [M in keyof T]?: z.ZodType<ArgsOf<T, M>> };

/**
 * The Store methods that change its state, with their arguments as the journal holds them: every
 * change goes through one of these (routes replace records, they never edit them in place), so
 * replaying the calls rebuilds the state, its indexes and its change-feed revisions exactly.
 * Trailing undefined arguments are left out (JSON has no undefined).
 */
export const STORE_CALLS = {
  nextId: z.tuple([]),
  putCustomer: z.tuple([customer, z.boolean()]),
  setCustomerContacts: z.tuple([id, z.array(phoneContact)]),
  setCustomerNotes: z.tuple([id, z.array(note)]),
  putLocation: z.tuple([location, z.boolean()]),
  setLocationContacts: z.tuple([id, z.array(phoneContact)]),
  setLocationNotes: z.tuple([id, z.array(note)]),
  putPerson: z.tuple([person, z.boolean()]),
  deletePerson: z.tuple([guid]),
  setMethods: z.tuple([guid, z.array(method)]),
  // Clearing a preference passes undefined, which the journal leaves out (the transform only gives
  // the schema the method's three-argument type).
  setMethodPreference: z.tuple([guid, z.string().min(1), z.string().optional()])
    .transform(([methodId, name, value]): [string, string, string | undefined] => [methodId, name, value]),
  setRelationships: z.tuple([guid, z.array(relationship)]),
} satisfies CallSchemas<Store>;

const sales = salesSnapshotSchema.shape;
/** The same for SalesStore. */
export const SALES_CALLS = {
  putLead: z.tuple([sales.leads.element, z.boolean().optional()]),
  putBooking: z.tuple([sales.bookings.element, z.boolean().optional()]),
  putProviderTag: z.tuple([sales.providerTags.element]),
} satisfies CallSchemas<SalesStore>;

/** Token revocation: the generation tokens must carry from then on (the one after the current, checked at replay). */
export const AUTH_CALLS = {
  revoke: z.tuple([z.int().min(1).max(MAX_TOKEN_GENERATION)]),
};

type StoreCall = { target: 'store'; method: keyof typeof STORE_CALLS; args: unknown[] };
type SalesCall = { target: 'sales'; method: keyof typeof SALES_CALLS; args: unknown[] };
type AuthCall = { target: 'auth'; method: keyof typeof AUTH_CALLS; args: [number] };
/** One journaled call; `args` were checked against the method's schema. */
export type JournalCall = StoreCall | SalesCall | AuthCall;

const callShape = z.tuple([z.enum(['store', 'sales', 'auth']), z.string(), z.array(z.unknown())]);
const issuesOf = (error: z.ZodError): string => error.issues.slice(0, MAX_REPORTED)
  .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');

/**
 * Checks the `calls` of one journal record ([target, method, args] triples) against the methods'
 * schemas and returns them; throws an Error naming the call and what is wrong. The arguments are
 * returned as they were parsed, not as the schemas rebuild them: a replay must pass records with
 * their keys in the original order (the store compares contact records as JSON text).
 */
export function parseJournalCalls(calls: unknown): JournalCall[] {
  if (!Array.isArray(calls)) throw new Error('"calls" is not a list');
  return calls.map((raw: unknown, i): JournalCall => {
    const shape = callShape.safeParse(raw);
    if (!shape.success) throw new Error(`call ${i} is not a [target, method, arguments] triple (${issuesOf(shape.error)})`);
    const [target, name, args] = shape.data;
    const check = <S extends Record<string, z.ZodType>>(schemas: S): keyof S & string => {
      if (!Object.hasOwn(schemas, name)) throw new Error(`call ${i}: ${target}.${name} is not a journaled method (known: ${Object.keys(schemas).join(', ')})`);
      const parsed = (schemas[name] as z.ZodType).safeParse(args);
      if (!parsed.success) throw new Error(`call ${i} (${target}.${name}): ${issuesOf(parsed.error)}`);
      return name;
    };
    if (target === 'store') return { target, method: check(STORE_CALLS), args };
    if (target === 'sales') return { target, method: check(SALES_CALLS), args };
    return { target, method: check(AUTH_CALLS), args: args as [number] };
  });
}


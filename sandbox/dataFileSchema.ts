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
const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
const date = z.iso.datetime();
const userId = z.int();

const addressSchema = z.strictObject({
  street: z.string(),
  unit: z.string().optional(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});
const customFieldSchema = z.strictObject({ typeId: z.int(), name: z.string().optional(), value: z.string().optional() });
const externalDataSchema = z.strictObject({ applicationGuid: guid, key: z.string(), value: z.string() });

// taxExempt and nationalAccount came with the 2026 document: files written before default to false.
const customerSchema = z.strictObject({
  id,
  active: z.boolean(),
  name: z.string(),
  type: z.enum(CUSTOMER_TYPES),
  address: addressSchema,
  customFields: z.array(customFieldSchema),
  balance: z.number(),
  taxExempt: z.boolean().default(false),
  tagTypeIds: z.array(z.int()),
  doNotMail: z.boolean(),
  doNotService: z.boolean(),
  nationalAccount: z.boolean().default(false),
  createdOn: date,
  createdById: userId,
  modifiedOn: date,
  mergedToId: id.optional(),
  paymentTermId: z.int().optional(),
  creditLimit: z.number().optional(),
  creditLimitBalance: z.number().optional(),
  externalData: z.array(externalDataSchema),
});
const locationSchema = z.strictObject({
  id,
  customerId: id,
  active: z.boolean(),
  name: z.string(),
  address: addressSchema,
  customFields: z.array(customFieldSchema),
  createdOn: date,
  createdById: userId,
  modifiedOn: date,
  mergedToId: id.optional(),
  zoneId: z.int().optional(),
  taxExempt: z.boolean().default(false),
  tagTypeIds: z.array(z.int()),
  externalData: z.array(externalDataSchema),
  taxZoneId: z.int().optional(),
  preferredTechnicianId: id.optional(),
});
const preferencesSchema = z.strictObject({
  jobRemindersEnabled: z.boolean(),
  marketingUpdatesEnabled: z.boolean(),
  invoiceStatementNotification: z.boolean(),
});
const phoneContactSchema = z.strictObject({
  id,
  type: z.enum(CONTACT_TYPES),
  value: z.string().min(1),
  memo: z.string().optional(),
  doNotText: z.boolean(),
  createdOn: date,
  modifiedOn: date,
  preferences: preferencesSchema.optional(),
});
const noteSchema = z.strictObject({
  id,
  text: z.string(),
  isPinned: z.boolean(),
  createdById: userId,
  createdOn: date,
  modifiedOn: date,
});
const changeSchema = z.tuple([id, z.int().min(1)]);
const personSchema = z.strictObject({
  id: guid,
  referenceId: z.string().optional(),
  name: z.string().optional(),
  title: z.string().optional(),
  isArchived: z.boolean(),
  createdOn: date,
  createdBy: userId,
  modifiedOn: date,
  modifiedBy: userId,
});
const methodSchema = z.strictObject({
  id: guid,
  contactId: guid,
  referenceId: z.string().optional(),
  type: z.enum(CONTACT_TYPES),
  value: z.string().min(1),
  memo: z.string().optional(),
  createdOn: date,
  createdBy: userId,
  modifiedOn: date,
  modifiedBy: userId,
});
const relationshipSchema = z.strictObject({
  id: guid,
  relatedEntityId: id,
  typeSlug: z.enum(RELATIONSHIP_TYPES),
  createdOn: date,
  createdBy: userId,
});

const dataFileSchema = z.strictObject({
  format: z.literal('stcrm-sandbox'),
  version: z.literal(1),
  seed: z.int().min(0, `must be between 0 and ${MAX_SEED} (the --seed limits)`).max(MAX_SEED, `must be between 0 and ${MAX_SEED} (the --seed limits)`),
  customers: z
    .int()
    .min(0, `must be between 0 and ${MAX_CUSTOMERS} (the --customers limits)`)
    .max(MAX_CUSTOMERS, `must be between 0 and ${MAX_CUSTOMERS} (the --customers limits)`),
  nextId: z.int().min(CREATED_ID_BASE),
  customerRecords: z.array(customerSchema),
  createdCustomerIds: z.array(id),
  locationRecords: z.array(locationSchema),
  createdLocations: z.array(z.tuple([id, z.array(id)])),
  customerContacts: z.array(z.tuple([id, z.array(phoneContactSchema)])),
  locationContacts: z.array(z.tuple([id, z.array(phoneContactSchema)])),
  people: z.array(personSchema),
  createdPeople: z.array(guid),
  deletedPeople: z.array(guid),
  methods: z.array(z.tuple([guid, z.array(methodSchema)])),
  relationships: z.array(z.tuple([guid, z.array(relationshipSchema)])),
  // Added with the 2026 document (export feeds, notes, contact method preferences); optional.
  revision: z.int().min(0).optional(),
  changes: z
    .strictObject({
      customers: z.array(changeSchema),
      locations: z.array(changeSchema),
      customerContacts: z.array(changeSchema),
      locationContacts: z.array(changeSchema),
    })
    .optional(),
  deletedCustomerContacts: z.array(z.tuple([id, phoneContactSchema])).optional(),
  deletedLocationContacts: z.array(z.tuple([id, phoneContactSchema])).optional(),
  customerNotes: z.array(z.tuple([id, z.array(noteSchema)])).optional(),
  locationNotes: z.array(z.tuple([id, z.array(noteSchema)])).optional(),
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
export function referenceProblems(content: DataFileContent): string[] {
  const problems: string[] = [];
  const report = (at: string, message: string): void => {
    problems.push(`${at}: ${message}`);
  };
  const seedData = new SeedData(content.seed, content.customers);
  const createdIds = new Map<number, string>();
  const created = (value: number, at: string): void => {
    if (value >= content.nextId) report(at, `id ${value} is not below nextId (${content.nextId}), so the next create would reuse it`);
    const other = createdIds.get(value);
    if (other !== undefined) report(at, `id ${value} is also used at ${other}`);
    else createdIds.set(value, at);
  };
  const uniqueKeys = <K>(entries: Array<[K, unknown]>, name: string): void => {
    const seen = new Set<K>();
    entries.forEach(([key], i) => {
      if (seen.has(key)) report(`${name}[${i}][0]`, `${String(key)} is listed twice`);
      seen.add(key);
    });
  };

  // Customers.
  const createdCustomers = new Set<number>();
  content.createdCustomerIds.forEach((customerId, i) => {
    if (createdCustomers.has(customerId)) {
      report(`createdCustomerIds[${i}]`, `${customerId} is listed twice`);
      return;
    }
    createdCustomers.add(customerId);
    created(customerId, `createdCustomerIds[${i}]`);
  });
  const customerRecords = new Set<number>();
  content.customerRecords.forEach((customer, i) => {
    if (customerRecords.has(customer.id)) report(`customerRecords[${i}].id`, `customer ${customer.id} is stored twice`);
    customerRecords.add(customer.id);
    if (seedData.customerIndex(customer.id) === undefined && !createdCustomers.has(customer.id)) {
      report(`customerRecords[${i}].id`, `${customer.id} is neither a seeded customer nor in createdCustomerIds`);
    }
  });
  for (const customerId of createdCustomers) {
    if (!customerRecords.has(customerId)) report('createdCustomerIds', `customer ${customerId} has no record in customerRecords`);
  }
  const customerExists = (customerId: number): boolean => seedData.customerIndex(customerId) !== undefined || createdCustomers.has(customerId);

  // Locations.
  uniqueKeys(content.createdLocations, 'createdLocations');
  const createdLocationOwner = new Map<number, number>();
  content.createdLocations.forEach(([customerId, locationIds], i) => {
    if (!customerExists(customerId)) report(`createdLocations[${i}][0]`, `customer ${customerId} does not exist`);
    locationIds.forEach((locationId, j) => {
      if (createdLocationOwner.has(locationId)) {
        report(`createdLocations[${i}][1][${j}]`, `location ${locationId} is listed twice`);
        return;
      }
      createdLocationOwner.set(locationId, customerId);
      created(locationId, `createdLocations[${i}][1][${j}]`);
    });
  });
  const locationRecords = new Map<number, number>();
  content.locationRecords.forEach((location, i) => {
    if (locationRecords.has(location.id)) report(`locationRecords[${i}].id`, `location ${location.id} is stored twice`);
    locationRecords.set(location.id, location.customerId);
    const seeded = seedData.locationIndex(location.id);
    const owner = seeded ? seedData.customerId(seeded.i) : createdLocationOwner.get(location.id);
    if (owner === undefined) {
      report(`locationRecords[${i}].id`, `${location.id} is neither a seeded location nor in createdLocations`);
    } else if (owner !== location.customerId) {
      report(`locationRecords[${i}].customerId`, `location ${location.id} belongs to customer ${owner}, not ${location.customerId}`);
    }
  });
  for (const locationId of createdLocationOwner.keys()) {
    if (!locationRecords.has(locationId)) report('createdLocations', `location ${locationId} has no record in locationRecords`);
  }
  const locationExists = (locationId: number): boolean => seedData.locationIndex(locationId) !== undefined || createdLocationOwner.has(locationId);
  const parentExists = (isCustomer: boolean, parent: number): boolean => (isCustomer ? customerExists(parent) : locationExists(parent));
  const parentKind = (isCustomer: boolean): string => (isCustomer ? 'customer' : 'location');

  // Customer and location contacts (int64 ids, unique across both kinds).
  const contactIds = new Map<number, string>();
  const contactLists = (name: 'customerContacts' | 'locationContacts'): void => {
    uniqueKeys(content[name], name);
    const isCustomer = name === 'customerContacts';
    content[name].forEach(([parent, list], i) => {
      if (!parentExists(isCustomer, parent)) report(`${name}[${i}][0]`, `${parentKind(isCustomer)} ${parent} does not exist`);
      list.forEach((contact, j) => {
        const at = `${name}[${i}][1][${j}].id`;
        const other = contactIds.get(contact.id);
        if (other !== undefined) {
          report(at, `contact ${contact.id} is also at ${other}`);
          return;
        }
        contactIds.set(contact.id, at);
        if (contact.id >= CREATED_ID_BASE) {
          created(contact.id, at);
          return;
        }
        // A seeded id may only appear under its own parent, or it would exist twice.
        let own: boolean;
        if (isCustomer) {
          own = seedData.customerContactIndex(contact.id)?.i === seedData.customerIndex(parent);
        } else {
          const contactKey = seedData.locationContactIndex(contact.id);
          const locationKey = seedData.locationIndex(parent);
          own = contactKey !== undefined && locationKey !== undefined && contactKey.i === locationKey.i && contactKey.k === locationKey.k;
        }
        if (!own) report(at, `${contact.id} is not a seeded contact of ${parentKind(isCustomer)} ${parent}`);
      });
    });
  };
  contactLists('customerContacts');
  contactLists('locationContacts');

  // People.
  const deleted = new Set<string>();
  content.deletedPeople.forEach((personId, i) => {
    if (deleted.has(personId)) report(`deletedPeople[${i}]`, `${personId} is listed twice`);
    deleted.add(personId);
  });
  const createdPeople = new Set<string>();
  content.createdPeople.forEach((personId, i) => {
    if (createdPeople.has(personId)) report(`createdPeople[${i}]`, `${personId} is listed twice`);
    createdPeople.add(personId);
    if (deleted.has(personId)) report(`createdPeople[${i}]`, `${personId} is also in deletedPeople`);
    if (seedData.personIndex(personId) !== undefined) report(`createdPeople[${i}]`, `${personId} is a seeded contact`);
  });
  const people = new Set<string>();
  content.people.forEach((person, i) => {
    if (people.has(person.id)) report(`people[${i}].id`, `contact ${person.id} is stored twice`);
    people.add(person.id);
    if (deleted.has(person.id)) {
      report(`people[${i}].id`, `${person.id} is also in deletedPeople`);
    } else if (seedData.personIndex(person.id) === undefined && !createdPeople.has(person.id)) {
      report(`people[${i}].id`, `${person.id} is neither a seeded contact nor in createdPeople`);
    }
  });
  for (const personId of createdPeople) {
    if (!people.has(personId)) report('createdPeople', `contact ${personId} has no record in people`);
  }
  const personExists = (personId: string): boolean => !deleted.has(personId) && (seedData.personIndex(personId) !== undefined || createdPeople.has(personId));

  // Contact methods (GUID ids, unique across all contacts).
  uniqueKeys(content.methods, 'methods');
  const methodIds = new Map<string, string>();
  const materialised = new Set(content.methods.map(([personId]) => personId));
  content.methods.forEach(([personId, list], i) => {
    if (!personExists(personId)) report(`methods[${i}][0]`, `contact ${personId} does not exist`);
    list.forEach((method, j) => {
      const at = `methods[${i}][1][${j}]`;
      if (method.contactId !== personId) report(`${at}.contactId`, `is ${method.contactId} but the method is listed under contact ${personId}`);
      const other = methodIds.get(method.id);
      if (other !== undefined) report(`${at}.id`, `contact method ${method.id} is also at ${other}`);
      methodIds.set(method.id, at);
      // A seeded id elsewhere collides only while its own contact still derives it from the seed.
      const seeded = seedData.methodOwner(method.id);
      const owner = seeded ? seedData.personGuid(seeded.i, seeded.s) : undefined;
      if (owner !== undefined && owner !== personId && !deleted.has(owner) && !materialised.has(owner)) {
        report(`${at}.id`, `${method.id} is a seeded method of contact ${owner}`);
      }
    });
  });

  // Deleted customer and location contacts (tombstones for the export feeds).
  for (const name of ['deletedCustomerContacts', 'deletedLocationContacts'] as const) {
    const isCustomer = name === 'deletedCustomerContacts';
    (content[name] ?? []).forEach(([parent, contact], i) => {
      if (!parentExists(isCustomer, parent)) report(`${name}[${i}][0]`, `${parentKind(isCustomer)} ${parent} does not exist`);
      const other = contactIds.get(contact.id);
      if (other !== undefined) report(`${name}[${i}][1].id`, `contact ${contact.id} is also at ${other}`);
      else contactIds.set(contact.id, `${name}[${i}]`);
      if (contact.id >= content.nextId) report(`${name}[${i}][1].id`, `id ${contact.id} is not below nextId (${content.nextId})`);
    });
  }

  // Notes (int64 ids, unique across customers and locations).
  const noteIds = new Map<number, string>();
  for (const name of ['customerNotes', 'locationNotes'] as const) {
    const lists = content[name] ?? [];
    uniqueKeys(lists, name);
    const isCustomer = name === 'customerNotes';
    lists.forEach(([parent, list], i) => {
      if (!parentExists(isCustomer, parent)) report(`${name}[${i}][0]`, `${parentKind(isCustomer)} ${parent} does not exist`);
      list.forEach((note, j) => {
        const at = `${name}[${i}][1][${j}].id`;
        const other = noteIds.get(note.id);
        if (other !== undefined) {
          report(at, `note ${note.id} is also at ${other}`);
          return;
        }
        noteIds.set(note.id, at);
        if (note.id >= CREATED_ID_BASE) created(note.id, at);
      });
    });
  }

  // Export feed stamps.
  const revision = content.revision ?? 0;
  for (const [feed, list] of Object.entries(content.changes ?? {})) {
    const keys = new Set<number>();
    list.forEach(([key, rev], i) => {
      if (rev > revision) report(`changes.${feed}[${i}][1]`, `revision ${rev} is above revision (${revision})`);
      if (keys.has(key)) report(`changes.${feed}[${i}][0]`, `${key} is listed twice`);
      keys.add(key);
    });
  }

  // Relationships.
  uniqueKeys(content.relationships, 'relationships');
  const relationshipIds = new Map<string, string>();
  content.relationships.forEach(([personId, list], i) => {
    if (!personExists(personId) && !(deleted.has(personId) && list.length === 0)) report(`relationships[${i}][0]`, `contact ${personId} does not exist`);
    const pairs = new Set<string>();
    list.forEach((relationship, j) => {
      const at = `relationships[${i}][1][${j}]`;
      const other = relationshipIds.get(relationship.id);
      if (other !== undefined) report(`${at}.id`, `relationship ${relationship.id} is also at ${other}`);
      relationshipIds.set(relationship.id, at);
      const pair = `${relationship.typeSlug}:${relationship.relatedEntityId}`;
      if (pairs.has(pair)) report(at, `the relationship to ${pair} is listed twice`);
      pairs.add(pair);
      const entityId = relationship.relatedEntityId;
      const exists = relationship.typeSlug === 'customer' ? customerExists(entityId) : relationship.typeSlug === 'location' ? locationExists(entityId) : false;
      if (!exists) report(`${at}.relatedEntityId`, `${relationship.typeSlug} ${entityId} does not exist`);
    });
  });
  // Leads, bookings and booking provider tags.
  if (content.sales) {
    const locationOwner = (locationId: number): number | undefined => {
      const seeded = seedData.locationIndex(locationId);
      return seeded ? seedData.customerId(seeded.i) : createdLocationOwner.get(locationId);
    };
    problems.push(...salesProblems(content.sales, { nextId: content.nextId, customerExists, locationOwner }));
  }
  return problems;
}

function refuse(file: string, problems: string[]): never {
  const shown = problems
    .slice(0, MAX_REPORTED)
    .map((problem) => `\n  - ${problem}`)
    .join('');
  const more = problems.length > MAX_REPORTED ? `\n  - … and ${problems.length - MAX_REPORTED} more` : '';
  throw new Error(
    `${file} is not a valid CRM sandbox data file, so it was not loaded (and will not be overwritten). ` +
      `Fix or remove it, or pass another --data file:${shown}${more}`,
  );
}

/** Returns the validated content, or throws an Error that lists what is wrong (and where). */
export function parseDataFile(data: unknown, file: string): DataFileContent {
  const header = z.object({ format: z.literal('stcrm-sandbox'), version: z.literal(1) }).safeParse(data);
  if (!header.success) {
    throw new Error(
      `${file} is not a CRM sandbox data file (no "format": "stcrm-sandbox", "version": 1), so it was not loaded ` +
        '(and will not be overwritten). Pass another --data file or remove it.',
    );
  }
  const parsed = dataFileSchema.safeParse(data);
  if (!parsed.success)
    refuse(
      file,
      parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`),
    );
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
  putCustomer: z.tuple([customerSchema, z.boolean()]),
  setCustomerContacts: z.tuple([id, z.array(phoneContactSchema)]),
  setCustomerNotes: z.tuple([id, z.array(noteSchema)]),
  putLocation: z.tuple([locationSchema, z.boolean()]),
  setLocationContacts: z.tuple([id, z.array(phoneContactSchema)]),
  setLocationNotes: z.tuple([id, z.array(noteSchema)]),
  putPerson: z.tuple([personSchema, z.boolean()]),
  deletePerson: z.tuple([guid]),
  setMethods: z.tuple([guid, z.array(methodSchema)]),
  // Clearing a preference passes undefined, which the journal leaves out (the transform only gives
  // the schema the method's three-argument type).
  setMethodPreference: z
    .tuple([guid, z.string().min(1), z.string().optional()])
    .transform(([methodId, name, value]): [string, string, string | undefined] => [methodId, name, value]),
  setRelationships: z.tuple([guid, z.array(relationshipSchema)]),
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
const issuesOf = (error: z.ZodError): string =>
  error.issues
    .slice(0, MAX_REPORTED)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');

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

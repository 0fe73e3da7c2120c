// The `sales` key of a --data file (SalesStore.snapshot()): leads, bookings and booking provider
// tags. Checked whole with the rest of the file, so a bad file is refused, never half-loaded.
import * as z from 'zod';
import { BOOKING_STATUSES, LEAD_STATUSES, PRIORITIES, TAG_TYPES, type SalesSnapshot } from './salesStore';
import { CREATED_ID_BASE } from './seed';
import { CONTACT_TYPES, CUSTOMER_TYPES } from './types';

const id = z.int().min(1);
const date = z.iso.datetime();
const userId = z.int();
const change = z.tuple([id, z.int().min(1)]);

const note = z.strictObject({
  id,
  text: z.string(),
  isPinned: z.boolean(),
  createdById: userId,
  createdOn: date,
  modifiedOn: date,
});

const lead = z.strictObject({
  id,
  status: z.enum(LEAD_STATUSES),
  priority: z.enum(PRIORITIES),
  customerId: id.optional(),
  locationId: id.optional(),
  businessUnitId: z.int().optional(),
  jobTypeId: z.int().optional(),
  campaignId: z.int(),
  followUpDate: date.optional(),
  createdById: userId,
  createdOn: date,
  modifiedOn: date,
  tagTypeIds: z.array(z.int()),
  dismissingReasonId: z.int().optional(),
  summary: z.string().optional(),
  callReasonId: z.int().optional(),
  callId: z.int().optional(),
  bookingId: id.optional(),
  manualCallId: z.int().optional(),
  leadCustomerName: z.string().optional(),
  leadPhone: z.string().optional(),
  leadEmail: z.string().optional(),
  leadStreet: z.string().optional(),
  leadUnit: z.string().optional(),
  leadCity: z.string().optional(),
  leadState: z.string().optional(),
  leadZip: z.string().optional(),
  leadCountry: z.string().optional(),
  captureSource: z.string().optional(),
  hasJob: z.boolean(),
  notes: z.array(note),
});

const bookingAddress = z.strictObject({
  street: z.string(),
  unit: z.string().optional(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
});
const bookingContact = z.strictObject({
  id,
  type: z.enum(CONTACT_TYPES),
  value: z.string().min(1),
  memo: z.string().optional(),
  modifiedOn: date,
});
const booking = z.strictObject({
  id,
  bookingProviderId: id,
  source: z.string(),
  createdOn: date,
  name: z.string(),
  address: bookingAddress.optional(),
  customerType: z.enum(CUSTOMER_TYPES).optional(),
  start: date,
  campaignId: z.int().optional(),
  businessUnitId: z.int().optional(),
  isFirstTimeClient: z.boolean().optional(),
  uploadedImages: z.array(z.string()).optional(),
  isSendConfirmationEmail: z.boolean().optional(),
  status: z.enum(BOOKING_STATUSES),
  dismissingReasonId: z.int().optional(),
  callReasonId: z.int().optional(),
  dismissingMemo: z.string().optional(),
  jobId: z.int().optional(),
  externalId: z.string(),
  priority: z.enum(PRIORITIES).optional(),
  jobTypeId: z.int().optional(),
  modifiedOn: date,
  summary: z.string().optional(),
  contacts: z.array(bookingContact),
});

const providerTag = z.strictObject({
  id,
  tagName: z.string().min(1),
  description: z.string(),
  type: z.enum(TAG_TYPES),
  createdOn: date,
  modifiedOn: date,
  active: z.boolean(),
});

export const salesSnapshotSchema = z.strictObject({
  revision: z.int().min(0),
  leads: z.array(lead),
  bookings: z.array(booking),
  providerTags: z.array(providerTag),
  leadChanges: z.array(change),
  bookingChanges: z.array(change),
});

// The schema and the store's type must describe the same thing.
type Parsed = z.infer<typeof salesSnapshotSchema>;
const sameShape: (parsed: Parsed) => SalesSnapshot = (parsed) => parsed;
void sameShape;

export interface SalesReferences {
  /** The store's next id: ids handed out through the API must be below it. */
  nextId: number;
  customerExists(id: number): boolean;
  /** The customer a location belongs to, or undefined when there is no such location. */
  locationOwner(id: number): number | undefined;
}

/**
 * What zod cannot check: unique ids (created ones below nextId), change revisions not above the counter and unique,
 * references to customers, locations, bookings and providers that exist, one externalId per provider,
 * one tag name per tag. `at` prefixes the reported paths (e.g. "sales").
 */
export function salesProblems(snapshot: SalesSnapshot, refs: SalesReferences, at = 'sales'): string[] {
  const problems: string[] = [];
  const report = (where: string, message: string): void => {
    problems.push(`${at}.${where}: ${message}`);
  };
  const ids = new Map<string, string>();
  const unique = (kind: string, value: number, where: string): void => {
    if (value >= CREATED_ID_BASE && value >= refs.nextId) report(where, `id ${value} is not below nextId (${refs.nextId}), so the next create would reuse it`);
    const key = `${kind}:${value}`;
    const other = ids.get(key);
    if (other !== undefined) report(where, `${kind} id ${value} is also used at ${at}.${other}`);
    else ids.set(key, where);
  };
  const revisions = new Map<number, string>();
  const changes = (name: 'leadChanges' | 'bookingChanges', exists: (id: number) => boolean): void => {
    const keys = new Set<number>();
    snapshot[name].forEach(([key, value], i) => {
      const where = `${name}[${i}]`;
      if (keys.has(key)) report(where, `${key} is listed twice`);
      keys.add(key);
      if (!exists(key)) report(where, `${name === 'leadChanges' ? 'lead' : 'booking'} ${key} does not exist`);
      if (value > snapshot.revision) report(where, `revision ${value} is above the counter (${snapshot.revision}), so a later change would reuse it`);
      const other = revisions.get(value);
      if (other !== undefined) report(where, `revision ${value} is also used at ${at}.${other}`);
      else revisions.set(value, where);
    });
  };

  const tags = new Set<number>();
  const tagNames = new Map<string, number>();
  snapshot.providerTags.forEach((tag, i) => {
    unique('tag', tag.id, `providerTags[${i}].id`);
    tags.add(tag.id);
    const name = tag.tagName.trim().toLowerCase();
    if (tagNames.has(name)) report(`providerTags[${i}].tagName`, `'${tag.tagName}' is also the name of tag ${tagNames.get(name) ?? ''}`);
    else tagNames.set(name, tag.id);
  });

  const bookingIds = new Set<number>();
  const externalIds = new Set<string>();
  snapshot.bookings.forEach((booking, i) => {
    unique('booking', booking.id, `bookings[${i}].id`);
    bookingIds.add(booking.id);
    if (!tags.has(booking.bookingProviderId)) report(`bookings[${i}].bookingProviderId`, `booking provider ${booking.bookingProviderId} does not exist`);
    const providerAndExternalId = `${booking.bookingProviderId}:${booking.externalId}`;
    if (externalIds.has(providerAndExternalId)) {
      report(`bookings[${i}].externalId`, `'${booking.externalId}' is used twice by booking provider ${booking.bookingProviderId}`);
    }
    externalIds.add(providerAndExternalId);
    booking.contacts.forEach((contact, j) => unique('booking contact', contact.id, `bookings[${i}].contacts[${j}].id`));
  });

  snapshot.leads.forEach((lead, i) => {
    unique('lead', lead.id, `leads[${i}].id`);
    if (lead.customerId !== undefined && !refs.customerExists(lead.customerId)) report(`leads[${i}].customerId`, `customer ${lead.customerId} does not exist`);
    if (lead.locationId !== undefined) {
      const owner = refs.locationOwner(lead.locationId);
      if (owner === undefined) {
        report(`leads[${i}].locationId`, `location ${lead.locationId} does not exist`);
      } else if (owner !== lead.customerId) {
        report(`leads[${i}].locationId`, `location ${lead.locationId} belongs to customer ${owner}, not ${String(lead.customerId)}`);
      }
    }
    if (lead.bookingId !== undefined && !bookingIds.has(lead.bookingId)) report(`leads[${i}].bookingId`, `booking ${lead.bookingId} does not exist`);
    lead.notes.forEach((note, j) => unique('note', note.id, `leads[${i}].notes[${j}].id`));
  });
  const leadIds = new Set(snapshot.leads.map((lead) => lead.id));
  changes('leadChanges', (key) => leadIds.has(key));
  changes('bookingChanges', (key) => bookingIds.has(key));
  return problems;
}

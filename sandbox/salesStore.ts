// Leads (with notes), bookings (with contacts) and booking provider tags: the CRM v2 "sales"
// entities. A bounded, deterministic set is seeded from (seed, customers) at start, so the cost
// does not grow with the number of customers; everything lives in memory and is saved whole.
// Changes of leads and bookings are stamped in change logs, which the export feeds read.
import { ChangeFeed, ChangeLog, Revisions, seededOrder } from './changeFeed';
import { CREATED_ID_BASE, type SeedData } from './seed';
import type { Address, ContactType, CustomerType, NoteRec } from './types';

export const LEAD_STATUSES = ['Open', 'Dismissed', 'Converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const BOOKING_STATUSES = ['New', 'Converted', 'Dismissed', 'Accepted'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const PRIORITIES = ['Low', 'Normal', 'High', 'Urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const TAG_TYPES = ['V1Api', 'V2Api'] as const;
export type TagType = (typeof TAG_TYPES)[number];

/** Seeded ids; entities created through the API take ids from the Store's shared counter. */
export const LEAD_BASE = 60_000_000;
export const NOTE_BASE = 61_000_000;
export const BOOKING_BASE = 70_000_000;
export const BOOKING_CONTACT_BASE = 71_000_000;
export const PROVIDER_TAG_BASE = 80_000_000;

export interface LeadRec {
  id: number;
  status: LeadStatus;
  priority: Priority;
  customerId?: number;
  locationId?: number;
  businessUnitId?: number;
  jobTypeId?: number;
  campaignId: number;
  followUpDate?: string;
  createdById: number;
  createdOn: string;
  modifiedOn: string;
  tagTypeIds: number[];
  dismissingReasonId?: number;
  summary?: string;
  callReasonId?: number;
  callId?: number;
  bookingId?: number;
  manualCallId?: number;
  leadCustomerName?: string;
  leadPhone?: string;
  leadEmail?: string;
  leadStreet?: string;
  leadUnit?: string;
  leadCity?: string;
  leadState?: string;
  leadZip?: string;
  leadCountry?: string;
  captureSource?: string;
  /** Whether a job was booked from the lead (isProspect=false needs a customer and a job). */
  hasJob: boolean;
  notes: NoteRec[];
}

/** `Crm.V2.AddressModel`: an address without coordinates. */
export type BookingAddress = Omit<Address, 'latitude' | 'longitude'>;

export interface BookingContactRec {
  id: number;
  type: ContactType;
  value: string;
  memo?: string;
  modifiedOn: string;
}

export interface BookingRec {
  id: number;
  bookingProviderId: number;
  source: string;
  createdOn: string;
  name: string;
  address?: BookingAddress;
  customerType?: CustomerType;
  start: string;
  campaignId?: number;
  businessUnitId?: number;
  isFirstTimeClient?: boolean;
  uploadedImages?: string[];
  isSendConfirmationEmail?: boolean;
  status: BookingStatus;
  dismissingReasonId?: number;
  /** DismissBookingModel fields; kept, though no response definition shows them. */
  callReasonId?: number;
  dismissingMemo?: string;
  jobId?: number;
  externalId: string;
  priority?: Priority;
  jobTypeId?: number;
  modifiedOn: string;
  summary?: string;
  contacts: BookingContactRec[];
}

export interface ProviderTagRec {
  id: number;
  tagName: string;
  description: string;
  type: TagType;
  createdOn: string;
  modifiedOn: string;
  active: boolean;
}

export interface SalesSnapshot {
  /** The revision counter both change logs stamp from. */
  revision: number;
  leads: LeadRec[];
  bookings: BookingRec[];
  providerTags: ProviderTagRec[];
  /** [lead id, revision of its latest change through the API], for the leads export. */
  leadChanges: Array<[number, number]>;
  bookingChanges: Array<[number, number]>;
}

// ---- seeding ------------------------------------------------------------------------------------
const SEEDED_LEAD_CUSTOMERS = 24;
const SEEDED_PROSPECTS = 6;
const SEEDED_BOOKINGS = 20;
const SEEDED_END = Date.UTC(2025, 4, 1);
const BOOKINGS_START = Date.UTC(2023, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const LEAD_SUMMARIES = ['AC not cooling upstairs', 'Water heater replacement quote', 'Annual furnace tune-up',
  'Leaking kitchen faucet', 'Duct cleaning estimate', 'Thermostat upgrade', 'Sump pump making noise',
  'New construction bid', 'Breaker keeps tripping', 'Second opinion on compressor'];
const NOTE_TEXTS = ['Left voicemail, will call back tomorrow.', 'Customer prefers morning appointments.',
  'Sent estimate by e-mail.', 'Asked about financing options.', 'Gate code needed on arrival.'];
const BOOKING_SUMMARIES = ['Schedule AC maintenance', 'No hot water since Monday', 'Install smart thermostat',
  'Furnace makes a rattling noise', 'Quote for a new heat pump', 'Clogged drain in basement'];
const FIRST = ['Avery', 'Jordan', 'Riley', 'Morgan', 'Casey', 'Quinn', 'Taylor', 'Jamie', 'Drew', 'Skyler', 'Reese', 'Rowan'];
const LAST = ['Bennett', 'Castillo', 'Dawson', 'Ellis', 'Fischer', 'Guerrero', 'Hayes', 'Iverson', 'Jensen', 'Kaur', 'Lindqvist', 'Moreau'];
const PLACES: ReadonlyArray<readonly [string, string, string]> = [
  ['Glendale', 'CA', '91203'], ['Phoenix', 'AZ', '85004'], ['Austin', 'TX', '78702'], ['Denver', 'CO', '80203'],
  ['Portland', 'OR', '97205'], ['Atlanta', 'GA', '30305'], ['Chicago', 'IL', '60605'], ['Tampa', 'FL', '33606'],
];
const STREETS = ['Birch St', 'Harbor Way', 'Summit Ave', 'Quail Run', 'Aspen Ct', 'Lakeshore Dr'];
const SEEDED_TAGS: ReadonlyArray<readonly [string, string, TagType, boolean]> = [
  ['Website Booking Widget', 'Bookings made on the company website', 'V2Api', true],
  ['Local Services Ads', 'Bookings from the local services marketplace', 'V2Api', true],
  ['Legacy Call Center', 'The old call-center integration, no longer used', 'V1Api', false],
];
const SEEDED_USERS = 40;

const iso = (ms: number): string => new Date(ms).toISOString();
function pick<T>(list: readonly T[], n: number): T { return list[n % list.length] as T; }

/** Seeded records from the customer seed: bounded in number whatever the customer count. */
function seededContent(sd: SeedData): SalesSnapshot {
  const h = (salt: number, a: number, b = 0): number => sd.h(300 + salt, a, b);
  const r = (salt: number, a: number, b = 0): number => sd.r(300 + salt, a, b);

  const providerTags: ProviderTagRec[] = SEEDED_TAGS.map(([tagName, description, type, active], k) => {
    const created = Date.UTC(2019, 2 + k * 5, 1 + (h(1, k) % 27), 15);
    return {
      id: PROVIDER_TAG_BASE + k + 1, tagName, description, type, active,
      createdOn: iso(created), modifiedOn: iso(created + (h(2, k) % 400) * DAY),
    };
  });

  const leads: LeadRec[] = [];
  let noteId = NOTE_BASE;
  const addNotes = (lead: LeadRec, k: number): void => {
    const count = h(10, k) % 3;
    const created = Date.parse(lead.createdOn);
    for (let n = 0; n < count; n++) {
      const at = Math.min(SEEDED_END, created + (n + 1) * (1 + (h(11, k, n) % 48)) * HOUR);
      lead.notes.push({
        id: ++noteId, text: pick(NOTE_TEXTS, h(12, k, n)), isPinned: n === 0 && r(13, k) < 0.3,
        createdById: 10_000 + (h(14, k, n) % SEEDED_USERS), createdOn: iso(at), modifiedOn: iso(at),
      });
    }
  };
  const baseLead = (k: number, created: number): LeadRec => {
    const roll = r(20, k);
    const status: LeadStatus = roll < 0.6 ? 'Open' : roll < 0.8 ? 'Converted' : 'Dismissed';
    const modified = r(21, k) < 0.4 ? created : Math.min(SEEDED_END, created + (1 + (h(22, k) % 60)) * DAY);
    const lead: LeadRec = {
      id: LEAD_BASE + k + 1, status, priority: pick(PRIORITIES, h(23, k)), campaignId: 2001 + (h(24, k) % 8),
      createdById: 10_000 + (h(25, k) % SEEDED_USERS), createdOn: iso(created), modifiedOn: iso(Math.max(created, modified)),
      tagTypeIds: r(26, k) < 0.25 ? [201 + (h(27, k) % 4)] : [], summary: pick(LEAD_SUMMARIES, h(28, k)),
      hasJob: status === 'Converted', notes: [],
    };
    if (r(29, k) < 0.7) lead.businessUnitId = 3001 + (h(30, k) % 5);
    if (r(31, k) < 0.6) lead.jobTypeId = 4001 + (h(32, k) % 6);
    if (status === 'Dismissed') lead.dismissingReasonId = 5001 + (h(33, k) % 4);
    if (status === 'Open' && r(34, k) < 0.5) lead.followUpDate = iso(Math.min(SEEDED_END, created + (2 + (h(35, k) % 20)) * DAY));
    if (r(36, k) < 0.3) lead.callReasonId = 6001 + (h(37, k) % 5);
    return lead;
  };

  // Leads of a few customers spread over the seeded range.
  const n = Math.min(sd.count, SEEDED_LEAD_CUSTOMERS);
  for (let c = 0; c < n; c++) {
    const i = Math.floor((c * sd.count) / n);
    const customer = sd.customer(i);
    const perCustomer = 1 + (h(40, i) % 2);
    for (let j = 0; j < perCustomer; j++) {
      const k = leads.length;
      const created = Math.min(SEEDED_END, Date.parse(customer.createdOn) + (1 + (h(41, i, j) % 200)) * DAY);
      const lead = baseLead(k, created);
      lead.customerId = customer.id;
      lead.locationId = sd.locationId(i, 0);
      lead.leadCustomerName = customer.name;
      const phone = sd.customerContacts(i).find((x) => x.type !== 'Email');
      if (phone) lead.leadPhone = phone.value;
      lead.captureSource = r(42, k) < 0.5 ? 'Phone' : 'Web';
      addNotes(lead, k);
      leads.push(lead);
    }
  }
  // Prospects: leads without a customer, some of them from the web lead form.
  for (let p = 0; p < SEEDED_PROSPECTS; p++) {
    const k = leads.length;
    const created = Date.UTC(2024, 0, 1) + (h(50, p) % 480) * DAY + (h(51, p) % 24) * HOUR;
    const lead = baseLead(k, created);
    lead.status = p % 3 === 2 ? 'Dismissed' : 'Open';
    lead.hasJob = false;
    if (lead.status === 'Dismissed') lead.dismissingReasonId = 5001 + (h(33, k) % 4); else delete lead.dismissingReasonId;
    const first = pick(FIRST, h(52, p)), last = pick(LAST, h(53, p));
    const place = pick(PLACES, h(54, p));
    lead.leadCustomerName = `${first} ${last}`;
    lead.leadPhone = `${201 + (h(55, p) % 780)}${200 + (h(56, p) % 790)}${String(h(57, p) % 10000).padStart(4, '0')}`;
    lead.leadEmail = `${first}.${last}`.toLowerCase() + '@example.com';
    lead.leadStreet = `${100 + (h(58, p) % 9000)} ${pick(STREETS, h(59, p))}`;
    lead.leadCity = place[0];
    lead.leadState = place[1];
    lead.leadZip = place[2];
    lead.leadCountry = 'USA';
    lead.captureSource = p % 2 === 0 ? 'Form' : 'Phone';
    addNotes(lead, k);
    leads.push(lead);
  }

  // Bookings from the two active providers (and one from the retired one).
  const bookings: BookingRec[] = [];
  let contactId = BOOKING_CONTACT_BASE;
  for (let b = 0; b < SEEDED_BOOKINGS; b++) {
    const created = BOOKINGS_START + (h(60, b) % 840) * DAY + (h(61, b) % 24) * HOUR;
    const modified = r(62, b) < 0.4 ? created : Math.min(SEEDED_END, created + (1 + (h(63, b) % 30)) * DAY);
    const provider = b === SEEDED_BOOKINGS - 1 ? PROVIDER_TAG_BASE + 3 : PROVIDER_TAG_BASE + 1 + (h(64, b) % 2);
    const roll = r(65, b);
    const status: BookingStatus = roll < 0.45 ? 'New' : roll < 0.65 ? 'Accepted' : roll < 0.85 ? 'Converted' : 'Dismissed';
    const first = pick(FIRST, h(66, b)), last = pick(LAST, h(67, b));
    const place = pick(PLACES, h(68, b));
    const booking: BookingRec = {
      id: BOOKING_BASE + b + 1, bookingProviderId: provider, source: provider === PROVIDER_TAG_BASE + 1 ? 'Website' : 'Marketplace',
      createdOn: iso(created), name: `${first} ${last}`,
      address: { street: `${100 + (h(69, b) % 9000)} ${pick(STREETS, h(70, b))}`, city: place[0], state: place[1], zip: place[2], country: 'USA' },
      customerType: r(71, b) < 0.8 ? 'Residential' : 'Commercial',
      start: iso(Math.min(SEEDED_END + 30 * DAY, created + (1 + (h(72, b) % 14)) * DAY)),
      isFirstTimeClient: r(73, b) < 0.5, status, externalId: `BK-${String(100000 + (h(74, b) % 900000))}-${b + 1}`,
      modifiedOn: iso(Math.max(created, modified)), summary: pick(BOOKING_SUMMARIES, h(75, b)), contacts: [],
    };
    if (r(76, b) < 0.6) booking.campaignId = 2001 + (h(77, b) % 8);
    if (r(78, b) < 0.5) booking.businessUnitId = 3001 + (h(79, b) % 5);
    if (r(80, b) < 0.5) booking.jobTypeId = 4001 + (h(81, b) % 6);
    if (r(82, b) < 0.7) booking.priority = pick(PRIORITIES, h(83, b));
    if (status === 'Converted') booking.jobId = 9_000_000 + b + 1;
    if (status === 'Dismissed') booking.dismissingReasonId = 5001 + (h(84, b) % 4);
    const contacts = 1 + (h(85, b) % 2);
    for (let j = 0; j < contacts; j++) {
      const email = j === 1;
      const rec: BookingContactRec = {
        id: ++contactId, type: email ? 'Email' : 'MobilePhone',
        value: email ? `${first}.${last}`.toLowerCase() + '@example.net'
          : `${201 + (h(86, b) % 780)}${200 + (h(87, b) % 790)}${String(h(88, b) % 10000).padStart(4, '0')}`,
        modifiedOn: booking.createdOn,
      };
      if (!email && r(89, b) < 0.5) rec.memo = 'Cell';
      booking.contacts.push(rec);
    }
    bookings.push(booking);
  }
  return { revision: 0, leads, bookings, providerTags, leadChanges: [], bookingChanges: [] };
}

// ---- the store ------------------------------------------------------------------------------------
const seededKey = (id: number): boolean => id < CREATED_ID_BASE;

export class SalesStore {
  private readonly revisions: Revisions;
  private readonly leadLog: ChangeLog<number>;
  private readonly bookingLog: ChangeLog<number>;
  private readonly leadMap = new Map<number, LeadRec>();
  private readonly bookingMap = new Map<number, BookingRec>();
  private readonly tagMap = new Map<number, ProviderTagRec>();
  private leadFeedValue: ChangeFeed<number, LeadRec> | undefined;
  private bookingFeedValue: ChangeFeed<number, BookingRec> | undefined;

  private constructor(content: SalesSnapshot) {
    this.revisions = new Revisions(content.revision);
    this.leadLog = new ChangeLog<number>(this.revisions);
    this.bookingLog = new ChangeLog<number>(this.revisions);
    for (const l of content.leads) this.leadMap.set(l.id, l);
    for (const b of content.bookings) this.bookingMap.set(b.id, b);
    for (const t of content.providerTags) this.tagMap.set(t.id, t);
    this.leadLog.load(content.leadChanges);
    this.bookingLog.load(content.bookingChanges);
  }

  /** The seeded state for a customer seed (a bounded number of records). */
  static seeded(seedData: SeedData): SalesStore { return new SalesStore(seededContent(seedData)); }

  static fromSnapshot(s: SalesSnapshot): SalesStore { return new SalesStore(structuredClone(s)); }

  snapshot(): SalesSnapshot {
    return {
      revision: this.revisions.value,
      leads: [...this.leadMap.values()],
      bookings: [...this.bookingMap.values()],
      providerTags: [...this.tagMap.values()],
      leadChanges: this.leadLog.entries(),
      bookingChanges: this.bookingLog.entries(),
    };
  }

  // ---- leads ------------------------------------------------------------------------------------
  getLead(id: number): LeadRec | undefined { return this.leadMap.get(id); }
  /** In id order (seeded ids are below created ones and a Map keeps insertion order). */
  leads(): LeadRec[] { return [...this.leadMap.values()]; }
  /** Stores a lead; `changed` records it for the export (a note alone does not change a lead). */
  putLead(rec: LeadRec, changed = true): void {
    this.leadMap.set(rec.id, rec);
    if (changed) this.leadLog.touch(rec.id);
  }
  /** The leads export: seeded leads by modifiedOn, then changes in revision order. */
  leadFeed(): ChangeFeed<number, LeadRec> {
    this.leadFeedValue ??= new ChangeFeed<number, LeadRec>({
      log: this.leadLog,
      seeded: () => seededOrder(this.leads().filter((l) => seededKey(l.id)).map((l) => [l.id, Date.parse(l.modifiedOn)] as const)),
      resolve: (id) => this.leadMap.get(id),
      modifiedMs: (l) => Date.parse(l.modifiedOn),
    });
    return this.leadFeedValue;
  }

  // ---- bookings ---------------------------------------------------------------------------------
  getBooking(id: number): BookingRec | undefined { return this.bookingMap.get(id); }
  bookings(): BookingRec[] { return [...this.bookingMap.values()]; }
  /** Stores a booking; `changed` records it for the export (its contacts are not part of it there). */
  putBooking(rec: BookingRec, changed = true): void {
    this.bookingMap.set(rec.id, rec);
    if (changed) this.bookingLog.touch(rec.id);
  }
  bookingFeed(): ChangeFeed<number, BookingRec> {
    this.bookingFeedValue ??= new ChangeFeed<number, BookingRec>({
      log: this.bookingLog,
      seeded: () => seededOrder(this.bookings().filter((b) => seededKey(b.id)).map((b) => [b.id, Date.parse(b.modifiedOn)] as const)),
      resolve: (id) => this.bookingMap.get(id),
      modifiedMs: (b) => Date.parse(b.modifiedOn),
    });
    return this.bookingFeedValue;
  }

  // ---- booking provider tags --------------------------------------------------------------------
  getProviderTag(id: number): ProviderTagRec | undefined { return this.tagMap.get(id); }
  providerTags(): ProviderTagRec[] { return [...this.tagMap.values()]; }
  putProviderTag(rec: ProviderTagRec): void { this.tagMap.set(rec.id, rec); }
}

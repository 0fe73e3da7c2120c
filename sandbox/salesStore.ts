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

const LEAD_SUMMARIES = [
  'AC not cooling upstairs',
  'Water heater replacement quote',
  'Annual furnace tune-up',
  'Leaking kitchen faucet',
  'Duct cleaning estimate',
  'Thermostat upgrade',
  'Sump pump making noise',
  'New construction bid',
  'Breaker keeps tripping',
  'Second opinion on compressor',
];
const NOTE_TEXTS = [
  'Left voicemail, will call back tomorrow.',
  'Customer prefers morning appointments.',
  'Sent estimate by e-mail.',
  'Asked about financing options.',
  'Gate code needed on arrival.',
];
const BOOKING_SUMMARIES = [
  'Schedule AC maintenance',
  'No hot water since Monday',
  'Install smart thermostat',
  'Furnace makes a rattling noise',
  'Quote for a new heat pump',
  'Clogged drain in basement',
];
const FIRST = ['Avery', 'Jordan', 'Riley', 'Morgan', 'Casey', 'Quinn', 'Taylor', 'Jamie', 'Drew', 'Skyler', 'Reese', 'Rowan'];
const LAST = ['Bennett', 'Castillo', 'Dawson', 'Ellis', 'Fischer', 'Guerrero', 'Hayes', 'Iverson', 'Jensen', 'Kaur', 'Lindqvist', 'Moreau'];
const PLACES: ReadonlyArray<readonly [string, string, string]> = [
  ['Glendale', 'CA', '91203'],
  ['Phoenix', 'AZ', '85004'],
  ['Austin', 'TX', '78702'],
  ['Denver', 'CO', '80203'],
  ['Portland', 'OR', '97205'],
  ['Atlanta', 'GA', '30305'],
  ['Chicago', 'IL', '60605'],
  ['Tampa', 'FL', '33606'],
];
const STREETS = ['Birch St', 'Harbor Way', 'Summit Ave', 'Quail Run', 'Aspen Ct', 'Lakeshore Dr'];
const SEEDED_TAGS: ReadonlyArray<readonly [string, string, TagType, boolean]> = [
  ['Website Booking Widget', 'Bookings made on the company website', 'V2Api', true],
  ['Local Services Ads', 'Bookings from the local services marketplace', 'V2Api', true],
  ['Legacy Call Center', 'The old call-center integration, no longer used', 'V1Api', false],
];
const SEEDED_USERS = 40;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
function pick<T>(list: readonly T[], hashValue: number): T {
  return list[hashValue % list.length] as T;
}

/** Seeded records from the customer seed: bounded in number whatever the customer count. */
function seededContent(seedData: SeedData): SalesSnapshot {
  // The sales records' salts start at 300, clear of the customers'.
  const hash = (salt: number, a: number, b = 0): number => seedData.hash(300 + salt, a, b);
  const fraction = (salt: number, a: number, b = 0): number => seedData.fraction(300 + salt, a, b);

  const providerTags: ProviderTagRec[] = SEEDED_TAGS.map(([tagName, description, type, active], tagIndex) => {
    const created = Date.UTC(2019, 2 + tagIndex * 5, 1 + (hash(1, tagIndex) % 27), 15);
    return {
      id: PROVIDER_TAG_BASE + tagIndex + 1,
      tagName,
      description,
      type,
      active,
      createdOn: iso(created),
      modifiedOn: iso(created + (hash(2, tagIndex) % 400) * DAY),
    };
  });

  const leads: LeadRec[] = [];
  let noteId = NOTE_BASE;
  const addNotes = (lead: LeadRec, leadIndex: number): void => {
    const count = hash(10, leadIndex) % 3;
    const created = Date.parse(lead.createdOn);
    for (let noteIndex = 0; noteIndex < count; noteIndex++) {
      const at = Math.min(SEEDED_END, created + (noteIndex + 1) * (1 + (hash(11, leadIndex, noteIndex) % 48)) * HOUR);
      lead.notes.push({
        id: ++noteId,
        text: pick(NOTE_TEXTS, hash(12, leadIndex, noteIndex)),
        isPinned: noteIndex === 0 && fraction(13, leadIndex) < 0.3,
        createdById: 10_000 + (hash(14, leadIndex, noteIndex) % SEEDED_USERS),
        createdOn: iso(at),
        modifiedOn: iso(at),
      });
    }
  };
  const baseLead = (leadIndex: number, created: number): LeadRec => {
    const roll = fraction(20, leadIndex);
    const status: LeadStatus = roll < 0.6 ? 'Open' : roll < 0.8 ? 'Converted' : 'Dismissed';
    const modified = fraction(21, leadIndex) < 0.4 ? created : Math.min(SEEDED_END, created + (1 + (hash(22, leadIndex) % 60)) * DAY);
    const lead: LeadRec = {
      id: LEAD_BASE + leadIndex + 1,
      status,
      priority: pick(PRIORITIES, hash(23, leadIndex)),
      campaignId: 2001 + (hash(24, leadIndex) % 8),
      createdById: 10_000 + (hash(25, leadIndex) % SEEDED_USERS),
      createdOn: iso(created),
      modifiedOn: iso(Math.max(created, modified)),
      tagTypeIds: fraction(26, leadIndex) < 0.25 ? [201 + (hash(27, leadIndex) % 4)] : [],
      summary: pick(LEAD_SUMMARIES, hash(28, leadIndex)),
      hasJob: status === 'Converted',
      notes: [],
    };
    if (fraction(29, leadIndex) < 0.7) lead.businessUnitId = 3001 + (hash(30, leadIndex) % 5);
    if (fraction(31, leadIndex) < 0.6) lead.jobTypeId = 4001 + (hash(32, leadIndex) % 6);
    if (status === 'Dismissed') lead.dismissingReasonId = 5001 + (hash(33, leadIndex) % 4);
    if (status === 'Open' && fraction(34, leadIndex) < 0.5) {
      lead.followUpDate = iso(Math.min(SEEDED_END, created + (2 + (hash(35, leadIndex) % 20)) * DAY));
    }
    if (fraction(36, leadIndex) < 0.3) lead.callReasonId = 6001 + (hash(37, leadIndex) % 5);
    return lead;
  };

  // Leads of a few customers spread over the seeded range.
  const leadCustomers = Math.min(seedData.count, SEEDED_LEAD_CUSTOMERS);
  for (let slot = 0; slot < leadCustomers; slot++) {
    const i = Math.floor((slot * seedData.count) / leadCustomers);
    const customer = seedData.customer(i);
    const perCustomer = 1 + (hash(40, i) % 2);
    for (let j = 0; j < perCustomer; j++) {
      const leadIndex = leads.length;
      const created = Math.min(SEEDED_END, Date.parse(customer.createdOn) + (1 + (hash(41, i, j) % 200)) * DAY);
      const lead = baseLead(leadIndex, created);
      lead.customerId = customer.id;
      lead.locationId = seedData.locationId(i, 0);
      lead.leadCustomerName = customer.name;
      const phone = seedData.customerContacts(i).find((contact) => contact.type !== 'Email');
      if (phone) lead.leadPhone = phone.value;
      lead.captureSource = fraction(42, leadIndex) < 0.5 ? 'Phone' : 'Web';
      addNotes(lead, leadIndex);
      leads.push(lead);
    }
  }
  // Prospects: leads without a customer, some of them from the web lead form.
  for (let prospect = 0; prospect < SEEDED_PROSPECTS; prospect++) {
    const leadIndex = leads.length;
    const created = Date.UTC(2024, 0, 1) + (hash(50, prospect) % 480) * DAY + (hash(51, prospect) % 24) * HOUR;
    const lead = baseLead(leadIndex, created);
    lead.status = prospect % 3 === 2 ? 'Dismissed' : 'Open';
    lead.hasJob = false;
    if (lead.status === 'Dismissed') lead.dismissingReasonId = 5001 + (hash(33, leadIndex) % 4);
    else delete lead.dismissingReasonId;
    const first = pick(FIRST, hash(52, prospect));
    const last = pick(LAST, hash(53, prospect));
    const place = pick(PLACES, hash(54, prospect));
    lead.leadCustomerName = `${first} ${last}`;
    lead.leadPhone = `${201 + (hash(55, prospect) % 780)}${200 + (hash(56, prospect) % 790)}${String(hash(57, prospect) % 10000).padStart(4, '0')}`;
    lead.leadEmail = `${first}.${last}`.toLowerCase() + '@example.com';
    lead.leadStreet = `${100 + (hash(58, prospect) % 9000)} ${pick(STREETS, hash(59, prospect))}`;
    lead.leadCity = place[0];
    lead.leadState = place[1];
    lead.leadZip = place[2];
    lead.leadCountry = 'USA';
    lead.captureSource = prospect % 2 === 0 ? 'Form' : 'Phone';
    addNotes(lead, leadIndex);
    leads.push(lead);
  }

  // Bookings from the two active providers (and one from the retired one).
  const bookings: BookingRec[] = [];
  let contactId = BOOKING_CONTACT_BASE;
  for (let bookingIndex = 0; bookingIndex < SEEDED_BOOKINGS; bookingIndex++) {
    const created = BOOKINGS_START + (hash(60, bookingIndex) % 840) * DAY + (hash(61, bookingIndex) % 24) * HOUR;
    const modified = fraction(62, bookingIndex) < 0.4 ? created : Math.min(SEEDED_END, created + (1 + (hash(63, bookingIndex) % 30)) * DAY);
    const provider = bookingIndex === SEEDED_BOOKINGS - 1 ? PROVIDER_TAG_BASE + 3 : PROVIDER_TAG_BASE + 1 + (hash(64, bookingIndex) % 2);
    const roll = fraction(65, bookingIndex);
    const status: BookingStatus = roll < 0.45 ? 'New' : roll < 0.65 ? 'Accepted' : roll < 0.85 ? 'Converted' : 'Dismissed';
    const first = pick(FIRST, hash(66, bookingIndex));
    const last = pick(LAST, hash(67, bookingIndex));
    const place = pick(PLACES, hash(68, bookingIndex));
    const booking: BookingRec = {
      id: BOOKING_BASE + bookingIndex + 1,
      bookingProviderId: provider,
      source: provider === PROVIDER_TAG_BASE + 1 ? 'Website' : 'Marketplace',
      createdOn: iso(created),
      name: `${first} ${last}`,
      address: {
        street: `${100 + (hash(69, bookingIndex) % 9000)} ${pick(STREETS, hash(70, bookingIndex))}`,
        city: place[0],
        state: place[1],
        zip: place[2],
        country: 'USA',
      },
      customerType: fraction(71, bookingIndex) < 0.8 ? 'Residential' : 'Commercial',
      start: iso(Math.min(SEEDED_END + 30 * DAY, created + (1 + (hash(72, bookingIndex) % 14)) * DAY)),
      isFirstTimeClient: fraction(73, bookingIndex) < 0.5,
      status,
      externalId: `BK-${String(100000 + (hash(74, bookingIndex) % 900000))}-${bookingIndex + 1}`,
      modifiedOn: iso(Math.max(created, modified)),
      summary: pick(BOOKING_SUMMARIES, hash(75, bookingIndex)),
      contacts: [],
    };
    if (fraction(76, bookingIndex) < 0.6) booking.campaignId = 2001 + (hash(77, bookingIndex) % 8);
    if (fraction(78, bookingIndex) < 0.5) booking.businessUnitId = 3001 + (hash(79, bookingIndex) % 5);
    if (fraction(80, bookingIndex) < 0.5) booking.jobTypeId = 4001 + (hash(81, bookingIndex) % 6);
    if (fraction(82, bookingIndex) < 0.7) booking.priority = pick(PRIORITIES, hash(83, bookingIndex));
    if (status === 'Converted') booking.jobId = 9_000_000 + bookingIndex + 1;
    if (status === 'Dismissed') booking.dismissingReasonId = 5001 + (hash(84, bookingIndex) % 4);
    const contacts = 1 + (hash(85, bookingIndex) % 2);
    for (let j = 0; j < contacts; j++) {
      const email = j === 1;
      const rec: BookingContactRec = {
        id: ++contactId,
        type: email ? 'Email' : 'MobilePhone',
        value: email
          ? `${first}.${last}`.toLowerCase() + '@example.net'
          : `${201 + (hash(86, bookingIndex) % 780)}${200 + (hash(87, bookingIndex) % 790)}${String(hash(88, bookingIndex) % 10000).padStart(4, '0')}`,
        modifiedOn: booking.createdOn,
      };
      if (!email && fraction(89, bookingIndex) < 0.5) rec.memo = 'Cell';
      booking.contacts.push(rec);
    }
    bookings.push(booking);
  }
  return { revision: 0, leads, bookings, providerTags, leadChanges: [], bookingChanges: [] };
}

// ---- the store ------------------------------------------------------------------------------------
/** Whether an id is a seeded record's (created ones take ids from CREATED_ID_BASE up). */
function seededKey(id: number): boolean {
  return id < CREATED_ID_BASE;
}

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
    for (const lead of content.leads) this.leadMap.set(lead.id, lead);
    for (const booking of content.bookings) this.bookingMap.set(booking.id, booking);
    for (const tag of content.providerTags) this.tagMap.set(tag.id, tag);
    this.leadLog.load(content.leadChanges);
    this.bookingLog.load(content.bookingChanges);
  }

  /** The seeded state for a customer seed (a bounded number of records). */
  static seeded(seedData: SeedData): SalesStore {
    return new SalesStore(seededContent(seedData));
  }

  static fromSnapshot(snapshot: SalesSnapshot): SalesStore {
    return new SalesStore(structuredClone(snapshot));
  }

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
  getLead(id: number): LeadRec | undefined {
    return this.leadMap.get(id);
  }
  /** In id order (seeded ids are below created ones and a Map keeps insertion order). */
  leads(): LeadRec[] {
    return [...this.leadMap.values()];
  }
  /** Stores a lead; `changed` records it for the export (a note alone does not change a lead). */
  putLead(rec: LeadRec, changed = true): void {
    this.leadMap.set(rec.id, rec);
    if (changed) this.leadLog.touch(rec.id);
  }
  /** The leads export: seeded leads by modifiedOn, then changes in revision order. */
  leadFeed(): ChangeFeed<number, LeadRec> {
    this.leadFeedValue ??= new ChangeFeed<number, LeadRec>({
      log: this.leadLog,
      seeded: () =>
        seededOrder(
          this.leads()
            .filter((lead) => seededKey(lead.id))
            .map((lead) => [lead.id, Date.parse(lead.modifiedOn)] as const),
        ),
      resolve: (id) => this.leadMap.get(id),
      modifiedMs: (lead) => Date.parse(lead.modifiedOn),
    });
    return this.leadFeedValue;
  }

  // ---- bookings ---------------------------------------------------------------------------------
  getBooking(id: number): BookingRec | undefined {
    return this.bookingMap.get(id);
  }
  bookings(): BookingRec[] {
    return [...this.bookingMap.values()];
  }
  /** Stores a booking; `changed` records it for the export (its contacts are not part of it there). */
  putBooking(rec: BookingRec, changed = true): void {
    this.bookingMap.set(rec.id, rec);
    if (changed) this.bookingLog.touch(rec.id);
  }
  bookingFeed(): ChangeFeed<number, BookingRec> {
    this.bookingFeedValue ??= new ChangeFeed<number, BookingRec>({
      log: this.bookingLog,
      seeded: () =>
        seededOrder(
          this.bookings()
            .filter((booking) => seededKey(booking.id))
            .map((booking) => [booking.id, Date.parse(booking.modifiedOn)] as const),
        ),
      resolve: (id) => this.bookingMap.get(id),
      modifiedMs: (booking) => Date.parse(booking.modifiedOn),
    });
    return this.bookingFeedValue;
  }

  // ---- booking provider tags --------------------------------------------------------------------
  getProviderTag(id: number): ProviderTagRec | undefined {
    return this.tagMap.get(id);
  }
  providerTags(): ProviderTagRec[] {
    return [...this.tagMap.values()];
  }
  putProviderTag(rec: ProviderTagRec): void {
    this.tagMap.set(rec.id, rec);
  }
}

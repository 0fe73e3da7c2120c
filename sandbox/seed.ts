// Deterministic seeded data, derived on demand from (seed, index) so that 100 000 customers cost
// no memory until something is changed. Every id encodes the index it was derived from, so any
// seeded entity can be rebuilt from its id alone.
import type { Address, ContactType, CustomerRec, LocationRec, MethodRec, NoteRec, PersonRec, PhoneContactRec, RelationshipRec } from './types';

export const CUSTOMER_BASE = 10_000_000;
export const LOCATION_BASE = 30_000_000;
export const CUSTOMER_CONTACT_BASE = 40_000_000;
export const LOCATION_CONTACT_BASE = 50_000_000;
export const CUSTOMER_NOTE_BASE = 60_000_000;
export const LOCATION_NOTE_BASE = 70_000_000;
/** Technician ids that exist in the sandbox (preferred technicians). */
export const TECHNICIAN_IDS = { first: 2001, last: 2040 } as const;
/** Tag type ids that exist in the sandbox. */
export const TAG_TYPE_IDS = { first: 101, last: 120 } as const;
/** First id handed out to entities created through the API (shared counter, all int64 types). */
export const CREATED_ID_BASE = 100_000_000;
export const MAX_CUSTOMERS = 1_000_000;
/** Seeds are non-negative int32 values (SeedData mixes them as 32-bit integers). */
export const MAX_SEED = 2_147_483_647;

const SEEDED_EPOCH = Date.UTC(2018, 0, 1);
const SEEDED_END = Date.UTC(2025, 4, 1);
const SEEDED_USERS = 40;

const FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Daniel',
  'Lisa',
  'Matthew',
  'Nancy',
  'Anthony',
  'Betty',
  'Mark',
  'Sandra',
  'Steven',
  'Ashley',
  'Paul',
  'Emily',
  'Andrew',
  'Donna',
  'Joshua',
  'Michelle',
  'Kevin',
  'Carol',
  'Brian',
  'Amanda',
  'Wei',
  'Priya',
  'Luis',
  'Fatima',
  'Hiroshi',
  'Olga',
  'Ahmed',
  'Sofia',
  'Jamal',
  'Grace',
  'Diego',
  'Mei',
  'Tyrone',
  'Ingrid',
  'Raj',
  'Chloe',
  'Omar',
  'Nina',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Patel',
  'Kim',
  'Okafor',
  'Novak',
  'Schmidt',
  'Kowalski',
  'Yamamoto',
  'Ivanova',
  'Haddad',
  'Oconnor',
];
const COMPANY_HEAD = [
  'Summit',
  'Oak Ridge',
  'Harbor',
  'Evergreen',
  'Pioneer',
  'Lakeside',
  'Redwood',
  'Cornerstone',
  'Blue Sky',
  'Riverside',
  'Golden Gate',
  'Maple',
  'Silver Creek',
  'Keystone',
  'Northwind',
  'Sunrise',
  'Granite',
  'Cypress',
  'Horizon',
  'Liberty',
];
const COMPANY_TAIL = [
  'Dental Group',
  'Property Management',
  'Bakery',
  'Auto Repair',
  'Family Church',
  'Apartments',
  'Veterinary Clinic',
  'Fitness Center',
  'Elementary School',
  'Medical Plaza',
  'Hotel',
  'Storage',
  'Cafe',
  'Law Offices',
  'Office Park',
  'Brewing Co.',
  'Car Wash',
  'Pharmacy',
  'Senior Living',
  'Restaurant',
];
const STREETS = [
  'Main St',
  'Oak Ave',
  'Maple Dr',
  'Cedar Ln',
  'Pine St',
  'Elm St',
  'Washington Blvd',
  'Lake View Rd',
  'Hillcrest Dr',
  'Park Ave',
  'Sunset Blvd',
  'River Rd',
  'Highland Ave',
  'Church St',
  'Meadow Ln',
  'Forest Dr',
  'Willow Way',
  'Broadway',
  'Jefferson St',
  'Valley Rd',
  'Spring St',
  'Mill Rd',
  'Orchard Ct',
  'Franklin Ave',
];
// city, state, zip base, latitude, longitude
const CITIES: ReadonlyArray<readonly [string, string, number, number, number]> = [
  ['Glendale', 'CA', 91201, 34.1425, -118.2551],
  ['Pasadena', 'CA', 91101, 34.1478, -118.1445],
  ['Sacramento', 'CA', 95814, 38.5816, -121.4944],
  ['Phoenix', 'AZ', 85003, 33.4484, -112.074],
  ['Mesa', 'AZ', 85201, 33.4152, -111.8315],
  ['Austin', 'TX', 78701, 30.2672, -97.7431],
  ['Dallas', 'TX', 75201, 32.7767, -96.797],
  ['Houston', 'TX', 77002, 29.7604, -95.3698],
  ['Denver', 'CO', 80202, 39.7392, -104.9903],
  ['Boise', 'ID', 83702, 43.615, -116.2023],
  ['Portland', 'OR', 97201, 45.5152, -122.6784],
  ['Seattle', 'WA', 98101, 47.6062, -122.3321],
  ['Las Vegas', 'NV', 89101, 36.1699, -115.1398],
  ['Salt Lake City', 'UT', 84101, 40.7608, -111.891],
  ['Atlanta', 'GA', 30303, 33.749, -84.388],
  ['Orlando', 'FL', 32801, 28.5383, -81.3792],
  ['Tampa', 'FL', 33602, 27.9506, -82.4572],
  ['Charlotte', 'NC', 28202, 35.2271, -80.8431],
  ['Nashville', 'TN', 37201, 36.1627, -86.7816],
  ['Columbus', 'OH', 43215, 39.9612, -82.9988],
  ['Chicago', 'IL', 60601, 41.8781, -87.6298],
  ['Minneapolis', 'MN', 55401, 44.9778, -93.265],
  ['Kansas City', 'MO', 64105, 39.0997, -94.5786],
  ['Albany', 'NY', 12207, 42.6526, -73.7562],
];
const RES_TITLES = ['Homeowner', 'Spouse', 'Tenant', 'Property Manager', 'Landlord'];
const COM_TITLES = ['Office Manager', 'Facilities Manager', 'Owner', 'Accounts Payable', 'Operations Director', 'Maintenance Supervisor', 'General Manager'];
const MEMOS = ['Cell', 'Work', 'Home', 'Billing', 'Owner\u2019s daughter - Kelly', 'After hours', 'Front desk'];
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];
const NOTES = [
  'Gate code is 1234#.',
  'Prefers morning appointments.',
  'Dog in the backyard - call before entering.',
  'Annual maintenance agreement renewed.',
  'Water heater replaced in 2021.',
  'Ask for the facilities manager at the front desk.',
  'Pay by check only.',
  'Parking in the rear lot.',
  'Customer referred by a neighbor.',
  'Attic access through the garage.',
];

/** 32-bit avalanche mix (murmur3 finaliser style). */
function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0').slice(-width);

export interface PersonKey {
  i: number;
  s: number;
}

/** The seeded cities' names and states, by the index `SeedData.cityIndex` gives. */
export const SEEDED_CITIES: ReadonlyArray<{ city: string; state: string }> = CITIES.map(([city, state]) => ({ city, state }));
/** Seeded contact methods: the first is a mobile phone, the second an e-mail, the third a phone or fax. */
const METHOD_TYPES_BY_SLOT = ['MobilePhone', 'Email'] as const;
/** Salts of customer and location contacts (their fields derive from them). */
const CUSTOMER_CONTACT_SALT = 41;
const LOCATION_CONTACT_SALT = 60;

export class SeedData {
  private readonly base: number;
  private readonly step: number;

  constructor(
    readonly seed: number,
    readonly count: number,
  ) {
    this.base = mix(0x9e3779b9, seed | 0);
    this.step = count > 0 ? (SEEDED_END - SEEDED_EPOCH) / count : 0;
  }

  /** A uniform uint32 from a salt and up to three integers: every seeded value derives from one. */
  hash(salt: number, a: number, b = 0, c = 0): number {
    return mix(mix(mix(mix(this.base, salt), a), b), c);
  }
  /** A uniform number in [0, 1) from a salt and up to three integers. */
  fraction(salt: number, a: number, b = 0, c = 0): number {
    return this.hash(salt, a, b, c) / 4294967296;
  }
  private pick<T>(list: readonly T[], salt: number, a: number, b = 0, c = 0): T {
    return list[this.hash(salt, a, b, c) % list.length] as T;
  }

  // ---- customers --------------------------------------------------------------------------
  customerId(i: number): number {
    return CUSTOMER_BASE + i;
  }
  customerIndex(id: number): number | undefined {
    const i = id - CUSTOMER_BASE;
    return Number.isInteger(i) && i >= 0 && i < this.count ? i : undefined;
  }
  isCommercial(i: number): boolean {
    return this.fraction(1, i) < 0.25;
  }
  isActive(i: number): boolean {
    return this.fraction(2, i) >= 0.1;
  }
  /** Seeded createdOn of customer i in ms (increasing with i). */
  customerCreatedMs(i: number): number {
    return Math.floor(SEEDED_EPOCH + i * this.step + this.fraction(3, i) * this.step * 0.9);
  }
  /** Seeded modifiedOn of customer i in ms, without building the record (export order). */
  customerModifiedMs(i: number): number {
    return this.modifiedMs(i, 29);
  }
  locationCreatedMs(i: number, k: number): number {
    return this.customerCreatedMs(i) + k * 3_600_000;
  }
  locationModifiedMs(i: number, k: number): number {
    return Math.max(this.locationCreatedMs(i, k), this.modifiedMs(i, 53));
  }
  private modifiedMs(i: number, salt: number): number {
    const created = this.customerCreatedMs(i);
    const roll = this.fraction(salt, i);
    return roll < 0.4 ? created : Math.floor(created + (SEEDED_END - created) * roll);
  }
  private firstName(i: number, s = 0): string {
    return this.pick(FIRST, 5, i, s);
  }
  private lastName(i: number): string {
    return this.pick(LAST, 6, i);
  }

  customerName(i: number): string {
    if (this.isCommercial(i)) {
      return this.fraction(7, i) < 0.5
        ? `${this.pick(COMPANY_HEAD, 8, i)} ${this.pick(COMPANY_TAIL, 9, i)}`
        : `${this.lastName(i)} ${this.pick(COMPANY_TAIL, 9, i)}`;
    }
    return `${this.firstName(i)} ${this.lastName(i)}`;
  }

  // Address k of customer i (k = 0 is the customer's and its first location's), field by field
  // so that list columns can derive one field without building the record.
  /** Index into SEEDED_CITIES. */
  cityIndex(i: number, k: number): number {
    return this.hash(10, i, k) % CITIES.length;
  }
  street(i: number, k: number): string {
    return `${100 + (this.hash(11, i, k) % 9800)} ${this.pick(STREETS, 12, i, k)}`;
  }
  zip(i: number, k: number): string {
    const city = CITIES[this.cityIndex(i, k)] as (typeof CITIES)[number];
    return String(city[2] + (this.hash(13, i, k) % 40)).padStart(5, '0');
  }
  unit(i: number, k: number): string | undefined {
    if (this.fraction(16, i, k) >= 0.12) return undefined;
    return this.isCommercial(i)
      ? `Suite ${100 + (this.hash(17, i, k) % 400)}`
      : `Apt ${1 + (this.hash(17, i, k) % 30)}${'ABCD'[this.hash(18, i, k) % 4] ?? 'A'}`;
  }
  latitude(i: number, k: number): number {
    const city = CITIES[this.cityIndex(i, k)] as (typeof CITIES)[number];
    return Math.round((city[3] + (this.fraction(14, i, k) - 0.5) * 0.2) * 1e6) / 1e6;
  }
  longitude(i: number, k: number): number {
    const city = CITIES[this.cityIndex(i, k)] as (typeof CITIES)[number];
    return Math.round((city[4] + (this.fraction(15, i, k) - 0.5) * 0.2) * 1e6) / 1e6;
  }
  private address(i: number, k: number): Address {
    const city = CITIES[this.cityIndex(i, k)] as (typeof CITIES)[number];
    const a: Address = {
      street: this.street(i, k),
      city: city[0],
      state: city[1],
      zip: this.zip(i, k),
      country: 'USA',
      latitude: this.latitude(i, k),
      longitude: this.longitude(i, k),
    };
    const unit = this.unit(i, k);
    if (unit !== undefined) a.unit = unit;
    return a;
  }

  customer(i: number): CustomerRec {
    const active = this.isActive(i);
    const created = this.customerCreatedMs(i);
    const balanceRoll = this.fraction(20, i);
    const c: CustomerRec = {
      id: this.customerId(i),
      active,
      name: this.customerName(i),
      type: this.isCommercial(i) ? 'Commercial' : 'Residential',
      address: this.address(i, 0),
      customFields:
        this.fraction(21, i) < 0.3
          ? [{ typeId: 9001, name: 'Referral Source', value: this.pick(['Google', 'Yelp', 'Neighbor', 'Mailer', 'Repeat'], 22, i) }]
          : [],
      balance: balanceRoll < 0.7 ? 0 : Math.round((this.fraction(23, i) * 2600 - 100) * 100) / 100,
      taxExempt: this.isCommercial(i) && this.fraction(31, i) < 0.15,
      tagTypeIds: this.fraction(24, i) < 0.2 ? [101 + (this.hash(25, i) % 5)] : [],
      doNotMail: this.fraction(26, i) < 0.05,
      doNotService: this.fraction(27, i) < 0.02,
      nationalAccount: this.isCommercial(i) && this.fraction(32, i) < 0.1,
      createdOn: new Date(created).toISOString(),
      createdById: 10_000 + (this.hash(28, i) % SEEDED_USERS),
      modifiedOn: new Date(this.modifiedMs(i, 29)).toISOString(),
      externalData: [],
    };
    if (!active && this.count > 1 && this.fraction(30, i) < 0.5) c.mergedToId = this.customerId((i + 1) % this.count);
    return c;
  }

  /** Customer contacts (legacy phones/emails) of customer i: 0..4. */
  customerContactCount(i: number): number {
    const roll = this.fraction(40, i);
    return roll < 0.1 ? 0 : roll < 0.4 ? 1 : roll < 0.7 ? 2 : roll < 0.9 ? 3 : 4;
  }
  customerContactIndex(id: number): { i: number; k: number } | undefined {
    const n = id - CUSTOMER_CONTACT_BASE;
    if (!Number.isInteger(n) || n < 0) return undefined;
    const i = Math.floor(n / 4);
    const k = n % 4;
    return i < this.count && k < this.customerContactCount(i) ? { i, k } : undefined;
  }
  customerContacts(i: number): PhoneContactRec[] {
    const out: PhoneContactRec[] = [];
    for (let k = 0; k < this.customerContactCount(i); k++) out.push(this.customerContact(i, k));
    return out;
  }
  customerContactId(i: number, k: number): number {
    return CUSTOMER_CONTACT_BASE + i * 4 + k;
  }
  customerContact(i: number, k: number): PhoneContactRec {
    return this.phoneContact(this.customerContactId(i, k), i, k, CUSTOMER_CONTACT_SALT, this.firstName(i), this.lastName(i));
  }
  customerContactType(i: number, k: number): ContactType {
    return this.contactType(CUSTOMER_CONTACT_SALT, i, k);
  }
  /** The value of a seeded customer contact that is not an e-mail (phones and faxes). */
  customerContactPhone(i: number, k: number): string {
    return this.phoneValue(CUSTOMER_CONTACT_SALT + 4, i, k);
  }
  customerContactCreatedMs(i: number, k: number): number {
    return this.phoneContactCreatedMs(i, k);
  }
  customerContactModifiedMs(i: number, k: number): number {
    return this.phoneContactModifiedMs(CUSTOMER_CONTACT_SALT, i, k);
  }

  private phoneValue(salt: number, a: number, b: number, c = 0): string {
    const area = 201 + (this.hash(salt, a, b, c) % 780);
    const exch = 200 + (this.hash(salt + 1, a, b, c) % 790);
    const line = this.hash(salt + 2, a, b, c) % 10000;
    return `${area}${exch}${String(line).padStart(4, '0')}`;
  }
  private emailValue(salt: number, first: string, last: string, a: number, b: number, c = 0): string {
    const suffix = this.hash(salt, a, b, c) % 100;
    return `${first}.${last}${suffix}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@' + this.pick(EMAIL_DOMAINS, salt + 1, a, b, c);
  }
  private contactType(salt: number, a: number, b: number, c = 0): ContactType {
    const roll = this.fraction(salt, a, b, c);
    return roll < 0.4 ? 'MobilePhone' : roll < 0.65 ? 'Phone' : roll < 0.93 ? 'Email' : 'Fax';
  }

  private phoneContactCreatedMs(i: number, k: number): number {
    return this.customerCreatedMs(i) + (k + 1) * 60_000;
  }
  private phoneContactModifiedMs(salt: number, i: number, k: number): number {
    const created = this.phoneContactCreatedMs(i, k);
    return this.fraction(salt + 9, i, k) < 0.7 ? created : Math.max(created, this.modifiedMs(i, salt + 10));
  }
  private phoneContact(id: number, i: number, k: number, salt: number, first: string, last: string): PhoneContactRec {
    const type = this.contactType(salt, i, k);
    const rec: PhoneContactRec = {
      id,
      type,
      value: type === 'Email' ? this.emailValue(salt + 2, first, last, i, k) : this.phoneValue(salt + 4, i, k),
      doNotText: this.fraction(salt + 8, i, k) < 0.1,
      createdOn: new Date(this.phoneContactCreatedMs(i, k)).toISOString(),
      modifiedOn: new Date(this.phoneContactModifiedMs(salt, i, k)).toISOString(),
    };
    if (this.fraction(salt + 11, i, k) < 0.35) rec.memo = this.pick(MEMOS, salt + 12, i, k);
    return rec;
  }

  // ---- locations --------------------------------------------------------------------------
  locationCount(i: number): number {
    return this.fraction(50, i) < (this.isCommercial(i) ? 0.5 : 0.15) ? 2 : 1;
  }
  locationId(i: number, k: number): number {
    return LOCATION_BASE + i * 2 + k;
  }
  locationIndex(id: number): { i: number; k: number } | undefined {
    const n = id - LOCATION_BASE;
    if (!Number.isInteger(n) || n < 0) return undefined;
    const i = Math.floor(n / 2);
    const k = n % 2;
    return i < this.count && k < this.locationCount(i) ? { i, k } : undefined;
  }
  locationActive(i: number, k: number): boolean {
    return this.isActive(i) && this.fraction(51, i, k) >= 0.03;
  }
  locationName(i: number, k: number): string {
    const cust = this.customerName(i);
    if (k === 0) return cust;
    return this.isCommercial(i) ? `${cust} - ${SEEDED_CITIES[this.cityIndex(i, k)]?.city ?? ''} Branch` : `${cust} - Rental`;
  }
  location(i: number, k: number): LocationRec {
    const loc: LocationRec = {
      id: this.locationId(i, k),
      customerId: this.customerId(i),
      active: this.locationActive(i, k),
      name: this.locationName(i, k),
      address: this.address(i, k),
      customFields: [],
      createdOn: new Date(this.locationCreatedMs(i, k)).toISOString(),
      createdById: 10_000 + (this.hash(52, i, k) % SEEDED_USERS),
      modifiedOn: new Date(this.locationModifiedMs(i, k)).toISOString(),
      zoneId: 1 + (this.hash(54, i, k) % 20),
      taxExempt: this.isCommercial(i) && this.fraction(31, i) < 0.15,
      tagTypeIds: [],
      externalData: [],
    };
    if (this.fraction(55, i, k) < 0.5) loc.taxZoneId = 500 + (this.hash(56, i, k) % 12);
    if (this.fraction(58, i, k) < 0.3)
      loc.preferredTechnicianId = TECHNICIAN_IDS.first + (this.hash(59, i, k) % (TECHNICIAN_IDS.last - TECHNICIAN_IDS.first + 1));
    return loc;
  }

  // ---- notes ------------------------------------------------------------------------------
  customerNoteCount(i: number): number {
    return this.hash(100, i) % 3;
  }
  customerNotes(i: number): NoteRec[] {
    const out: NoteRec[] = [];
    for (let k = 0; k < this.customerNoteCount(i); k++) out.push(this.note(CUSTOMER_NOTE_BASE + i * 4 + k, i, k, 101));
    return out;
  }
  locationNoteCount(i: number, k: number): number {
    return this.hash(110, i, k) % 2;
  }
  locationNotes(i: number, k: number): NoteRec[] {
    const out: NoteRec[] = [];
    for (let j = 0; j < this.locationNoteCount(i, k); j++) out.push(this.note(LOCATION_NOTE_BASE + (i * 2 + k) * 4 + j, i, k * 4 + j, 111));
    return out;
  }
  private note(id: number, i: number, k: number, salt: number): NoteRec {
    const created = this.customerCreatedMs(i) + (k + 1) * 86_400_000;
    return {
      id,
      text: this.pick(NOTES, salt, i, k),
      isPinned: k === 0 && this.fraction(salt + 1, i) < 0.3,
      createdById: 10_000 + (this.hash(salt + 2, i, k) % SEEDED_USERS),
      createdOn: new Date(created).toISOString(),
      modifiedOn: new Date(created).toISOString(),
    };
  }
  locationContactCount(i: number, k: number): number {
    return this.hash(57, i, k) % 3;
  }
  locationContactIndex(id: number): { i: number; k: number; j: number } | undefined {
    const n = id - LOCATION_CONTACT_BASE;
    if (!Number.isInteger(n) || n < 0) return undefined;
    const locationRow = Math.floor(n / 4);
    const j = n % 4;
    const i = Math.floor(locationRow / 2);
    const k = locationRow % 2;
    return i < this.count && k < this.locationCount(i) && j < this.locationContactCount(i, k) ? { i, k, j } : undefined;
  }
  locationContacts(i: number, k: number): PhoneContactRec[] {
    const out: PhoneContactRec[] = [];
    for (let j = 0; j < this.locationContactCount(i, k); j++) out.push(this.locationContact(i, k, j));
    return out;
  }
  locationContactId(i: number, k: number, j: number): number {
    return LOCATION_CONTACT_BASE + (i * 2 + k) * 4 + j;
  }
  locationContact(i: number, k: number, j: number): PhoneContactRec {
    return this.phoneContact(this.locationContactId(i, k, j), i, k * 4 + j, LOCATION_CONTACT_SALT, this.firstName(i), this.lastName(i));
  }
  locationContactCreatedMs(i: number, k: number, j: number): number {
    return this.phoneContactCreatedMs(i, k * 4 + j);
  }
  locationContactModifiedMs(i: number, k: number, j: number): number {
    return this.phoneContactModifiedMs(LOCATION_CONTACT_SALT, i, k * 4 + j);
  }

  // ---- people contacts, methods, relationships (GUID ids) ----------------------------------
  peopleCount(i: number): number {
    return this.isCommercial(i) ? 2 : this.fraction(70, i) < 0.8 ? 1 : 2;
  }
  /** GUID whose first 8 hex digits hash n and whose last 12 are n XOR a mask derived from those 8. */
  private guid(kind: number, n: number): string {
    const head = this.guidHead(kind, n);
    const middle = this.hash(93, kind, n);
    const variant = this.hash(94, kind, n);
    const maskHigh = this.hash(90, kind, head) & 0xffff;
    const maskLow = this.hash(91, kind, head);
    const high = Math.floor(n / 4294967296) ^ maskHigh;
    const low = ((n >>> 0) ^ maskLow) >>> 0;
    return `${hex(head, 8)}-${hex(middle >>> 16, 4)}-4${hex(middle & 0xfff, 3)}-${hex(8 | (variant >>> 30), 1)}${hex(variant & 0xfff, 3)}-${hex(high & 0xffff, 4)}${hex(low, 8)}`;
  }
  private guidIndex(kind: number, guid: string): number | undefined {
    if (guid.length !== 36) return undefined;
    const head = parseInt(guid.slice(0, 8), 16);
    const tail = guid.slice(24);
    const high = parseInt(tail.slice(0, 4), 16) ^ (this.hash(90, kind, head) & 0xffff);
    const low = (parseInt(tail.slice(4), 16) ^ this.hash(91, kind, head)) >>> 0;
    const n = high * 4294967296 + low;
    return Number.isNaN(n) || this.guid(kind, n) !== guid ? undefined : n;
  }
  /** A GUID's first 8 hex digits as a number: ordering by it orders seeded GUIDs as text, up to ties. */
  private guidHead(kind: number, n: number): number {
    return this.hash(92, kind, n);
  }
  personGuid(i: number, s: number): string {
    return this.guid(1, i * 4 + s);
  }
  personGuidHead(i: number, s: number): number {
    return this.guidHead(1, i * 4 + s);
  }
  personIndex(guid: string): PersonKey | undefined {
    const n = this.guidIndex(1, guid);
    if (n === undefined) return undefined;
    const i = Math.floor(n / 4);
    const s = n % 4;
    return i < this.count && s < this.peopleCount(i) ? { i, s } : undefined;
  }
  personCreatedMs(i: number, s: number): number {
    return this.customerCreatedMs(i) + (s + 1) * 120_000;
  }
  personModifiedMs(i: number, s: number): number {
    return Math.max(this.personCreatedMs(i, s), this.modifiedMs(i, 75));
  }
  personName(i: number, s: number): string {
    if (this.isCommercial(i)) return `${this.firstName(i, s + 10)} ${this.pick(LAST, 71, i, s)}`;
    return s === 0 ? this.customerName(i) : `${this.firstName(i, s + 10)} ${this.lastName(i)}`;
  }
  personTitle(i: number, s: number): string {
    return this.isCommercial(i) ? this.pick(COM_TITLES, 72, i, s) : s === 0 ? 'Homeowner' : this.pick(RES_TITLES, 72, i, s);
  }
  personArchived(i: number, s: number): boolean {
    return this.fraction(73, i, s) < 0.05;
  }
  personReferenceId(i: number, s: number): string | undefined {
    return this.fraction(77, i, s) < 0.3 ? `EXT-${100000 + (this.hash(78, i, s) % 900000)}` : undefined;
  }
  person(i: number, s: number): PersonRec {
    const p: PersonRec = {
      id: this.personGuid(i, s),
      name: this.personName(i, s),
      title: this.personTitle(i, s),
      isArchived: this.personArchived(i, s),
      createdOn: new Date(this.personCreatedMs(i, s)).toISOString(),
      createdBy: 10_000 + (this.hash(74, i, s) % SEEDED_USERS),
      modifiedOn: new Date(this.personModifiedMs(i, s)).toISOString(),
      modifiedBy: 10_000 + (this.hash(76, i, s) % SEEDED_USERS),
    };
    const ref = this.personReferenceId(i, s);
    if (ref !== undefined) p.referenceId = ref;
    return p;
  }
  methodCount(i: number, s: number): number {
    return 1 + (this.hash(80, i, s) % 3);
  }
  methodGuid(i: number, s: number, m: number): string {
    return this.guid(2, (i * 4 + s) * 4 + m);
  }
  methodGuidHead(i: number, s: number, m: number): number {
    return this.guidHead(2, (i * 4 + s) * 4 + m);
  }
  methodType(i: number, s: number, m: number): ContactType {
    return METHOD_TYPES_BY_SLOT[m] ?? (this.fraction(81, i, s) < 0.8 ? 'Phone' : 'Fax');
  }
  /** The value of method m of person (i, s); `name` is the person's seeded name (e-mails derive from it). */
  methodValue(i: number, s: number, m: number, name = this.personName(i, s)): string {
    if (this.methodType(i, s, m) !== 'Email') return this.phoneValue(84, i, s, m);
    const [first = 'contact', last = 'person'] = name.split(' ');
    return this.emailValue(82, first, last, i, s, m);
  }
  methodReferenceId(i: number, s: number, m: number): string | undefined {
    return this.fraction(89, i, s, m) < 0.2 ? `CM-${this.hash(95, i, s, m) % 1000000}` : undefined;
  }
  methods(i: number, s: number): MethodRec[] {
    const person = this.person(i, s);
    const out: MethodRec[] = [];
    for (let m = 0; m < this.methodCount(i, s); m++) {
      const rec: MethodRec = {
        id: this.methodGuid(i, s, m),
        contactId: person.id,
        type: this.methodType(i, s, m),
        value: this.methodValue(i, s, m, person.name ?? ''),
        createdOn: person.createdOn,
        createdBy: person.createdBy,
        modifiedOn: person.modifiedOn,
        modifiedBy: person.modifiedBy,
      };
      if (this.fraction(87, i, s, m) < 0.3) rec.memo = this.pick(MEMOS, 88, i, s, m);
      const ref = this.methodReferenceId(i, s, m);
      if (ref !== undefined) rec.referenceId = ref;
      out.push(rec);
    }
    return out;
  }
  /** The seeded person a contact method GUID was derived for, if it is a seeded method id. */
  methodOwner(guid: string): PersonKey | undefined {
    const n = this.guidIndex(2, guid);
    if (n === undefined) return undefined;
    const m = n % 4;
    const personRow = Math.floor(n / 4);
    const i = Math.floor(personRow / 4);
    const s = personRow % 4;
    return i < this.count && s < this.peopleCount(i) && m < this.methodCount(i, s) ? { i, s } : undefined;
  }
  relationships(i: number, s: number): RelationshipRec[] {
    const person = this.person(i, s);
    const out: RelationshipRec[] = [
      {
        id: this.guid(3, (i * 4 + s) * 4),
        relatedEntityId: this.customerId(i),
        typeSlug: 'customer',
        createdOn: person.createdOn,
        createdBy: person.createdBy,
      },
    ];
    if (s === 0 && this.fraction(96, i) < 0.5) {
      out.push({
        id: this.guid(3, (i * 4 + s) * 4 + 1),
        relatedEntityId: this.locationId(i, 0),
        typeSlug: 'location',
        createdOn: person.createdOn,
        createdBy: person.createdBy,
      });
    }
    return out;
  }
  /** Seeded people whose seeded relationships point at this entity id (candidates only). */
  seededPeopleFor(entityId: number): PersonKey[] {
    const ci = this.customerIndex(entityId);
    if (ci !== undefined) {
      const out: PersonKey[] = [];
      for (let s = 0; s < this.peopleCount(ci); s++) out.push({ i: ci, s });
      return out;
    }
    const li = this.locationIndex(entityId);
    if (li !== undefined && li.k === 0) return [{ i: li.i, s: 0 }];
    return [];
  }
}

// What each list operation should answer for a query, computed from the model with plain array
// filters: the document's filters, written out again in the test rather than taken from the sandbox.
// Each returns the matching rows in the order the list walks them without a sort (pageCheck.ts sorts).
import type { CustomerRow, LocationRow, MethodRow, PersonRow, PhoneRow, Row, SeededModel } from './seededModel';

/** Query parameters as a test sends them. */
export type Params = Readonly<Record<string, string | number | boolean>>;

const text = (p: Params, name: string): string | undefined => (p[name] === undefined ? undefined : String(p[name]));
/** A case-insensitive "contains" test for one parameter (always true when it is absent). */
function contains(p: Params, name: string): (value: string | undefined) => boolean {
  const needle = text(p, name)?.toLowerCase();
  return needle === undefined ? () => true : (value) => (value ?? '').toLowerCase().includes(needle);
}
/** A case-insensitive equality test for one parameter (always true when it is absent). */
function equals(p: Params, name: string): (value: string | undefined) => boolean {
  const wanted = text(p, name)?.toLowerCase();
  return wanted === undefined ? () => true : (value) => (value ?? '').toLowerCase() === wanted;
}
const idList = (p: Params, name: string): number[] | undefined => text(p, name)?.split(',').map(Number);

/** A US phone number as digits, without a leading country code 1. */
export function phoneDigits(value: string): string {
  const d = value.replace(/\D/g, '');
  return d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
}
/** Whether a phone value is the same number as `wanted`. */
function phoneIs(wanted: string): (value: string) => boolean {
  const digits = phoneDigits(wanted);
  return (value) => digits !== '' && phoneDigits(value) === digits;
}

/** createdBefore (exclusive), createdOnOrAfter, modifiedBefore (exclusive), modifiedOnOrAfter. */
function inDates(p: Params): (r: Row) => boolean {
  const at = (name: string): number | undefined => (p[name] === undefined ? undefined : Date.parse(String(p[name])));
  const cb = at('createdBefore') ?? Infinity,
    ca = at('createdOnOrAfter') ?? -Infinity;
  const mb = at('modifiedBefore') ?? Infinity,
    ma = at('modifiedOnOrAfter') ?? -Infinity;
  return (r) => r.createdMs < cb && r.createdMs >= ca && r.modifiedMs < mb && r.modifiedMs >= ma;
}

/** active=True (the default), False or Any. */
function activeIs(p: Params): (active: boolean) => boolean {
  const wanted = (text(p, 'active') ?? 'True').toLowerCase();
  return (active) => wanted === 'any' || (wanted === 'true') === active;
}

/** The filters customers and locations share: active, name, the address (street and city contain, the rest equal), dates, external data. */
function placeMatches(p: Params): (r: CustomerRow | LocationRow) => boolean {
  const active = activeIs(p),
    name = contains(p, 'name'),
    street = contains(p, 'street'),
    city = contains(p, 'city');
  const unit = equals(p, 'unit'),
    state = equals(p, 'state'),
    zip = equals(p, 'zip'),
    country = equals(p, 'country');
  const dates = inDates(p);
  const key = text(p, 'externalDataKey'),
    guid = text(p, 'externalDataApplicationGuid');
  const values = (text(p, 'externalDataValues') ?? '').split(',').map((v) => v.trim());
  const external = (r: CustomerRow | LocationRow): boolean =>
    key === undefined || r.external.some((e) => (guid === undefined || e.applicationGuid === guid) && e.key === key && values.includes(e.value));
  return (r) =>
    active(r.active) &&
    name(r.name) &&
    street(r.address.street) &&
    city(r.address.city) &&
    unit(r.address.unit) &&
    state(r.address.state) &&
    zip(r.address.zip) &&
    country(r.address.country) &&
    dates(r) &&
    external(r);
}

/** id order, for lists asked for by ids: the sandbox looks those up rather than walking. */
const byId = <T extends { id: number }>(rows: T[]): T[] => rows.sort((a, b) => a.id - b.id);

/** GET /customers (Customers_GetList). */
export function customersFor(m: SeededModel, p: Params): CustomerRow[] {
  const ids = idList(p, 'ids');
  const phone = text(p, 'phone');
  const samePhone = phoneIs(phone ?? '');
  const place = placeMatches(p);
  const rows = ids ? byId([...new Set(ids)].flatMap((id) => m.findCustomer(id) ?? [])) : m.customers;
  return rows.filter((c) => place(c) && (phone === undefined || m.customerContactsOf(c.id).some((k) => k.type !== 'Email' && samePhone(k.value))));
}

/** GET /locations (Locations_GetList). */
export function locationsFor(m: SeededModel, p: Params): LocationRow[] {
  const ids = idList(p, 'ids');
  const customerId = p.customerId === undefined ? undefined : Number(p.customerId);
  const all = m.locations();
  const rows = ids ? byId(all.filter((l) => ids.includes(l.id))) : customerId !== undefined ? byId(all.filter((l) => l.customerId === customerId)) : all;
  const place = placeMatches(p);
  return rows.filter((l) => (customerId === undefined || l.customerId === customerId) && place(l));
}

function personMatches(p: Params): (r: PersonRow) => boolean {
  const name = contains(p, 'name'),
    title = contains(p, 'title'),
    dates = inDates(p);
  const ref = text(p, 'referenceId');
  const archived = text(p, 'isArchived')?.toLowerCase();
  return (r) =>
    name(r.name) && title(r.title) && (ref === undefined || r.referenceId === ref) && (archived === undefined || String(r.isArchived) === archived) && dates(r);
}

/** GET /contacts (Contacts_GetList). */
export const peopleFor = (m: SeededModel, p: Params): PersonRow[] => m.people.filter(personMatches(p));
/** GET /contacts/relationships/{entityId} (Contacts_GetByRelationshipId). */
export const peopleRelatedFor = (m: SeededModel, entityId: number, p: Params): PersonRow[] => m.peopleRelatedTo(entityId).filter(personMatches(p));

/** GET /contacts/contact-methods (Contacts_SearchContactMethods): phones compare as numbers, emails ignoring case. */
export function methodsFor(m: SeededModel, p: Params): MethodRow[] {
  const contactId = text(p, 'contactId');
  const ref = text(p, 'referenceId'),
    type = text(p, 'type'),
    value = text(p, 'value');
  const dates = inDates(p);
  const email = value?.trim().toLowerCase(),
    samePhone = phoneIs(value ?? '');
  const rows = contactId === undefined ? m.methods() : m.methodsOf(contactId);
  return rows.filter(
    (r) =>
      (ref === undefined || r.referenceId === ref) &&
      (type === undefined || r.type === type) &&
      (value === undefined || (r.type === 'Email' ? r.value.trim().toLowerCase() === email : samePhone(r.value))) &&
      dates(r),
  );
}

/** GET /customers/contacts (Customers_GetModifiedContactsList). */
export function customerContactsFor(m: SeededModel, p: Params): PhoneRow[] {
  const ids = idList(p, 'customerIds');
  const rows = ids ? [...new Set(ids)].sort((a, b) => a - b).flatMap((id) => m.customerContactsOf(id)) : m.customerContacts();
  return rows.filter(inDates(p));
}

/** GET /locations/contacts (Locations_GetLocationsContactsList). */
export function locationContactsFor(m: SeededModel, p: Params): PhoneRow[] {
  const ids = idList(p, 'locationIds');
  const rows = ids ? [...new Set(ids)].sort((a, b) => a - b).flatMap((id) => m.locationContactsOf(id)) : m.locationContacts();
  return rows.filter(inDates(p));
}

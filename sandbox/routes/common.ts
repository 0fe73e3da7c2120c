// Shared route helpers: paging envelope, date ranges, response mappers.
import type { Bound, Sort } from '../binding';
import { addError, type ErrorMap } from '../errors';
import { TAG_TYPE_IDS } from '../seed';
import type { SalesStore } from '../salesStore';
import type { FeedContact, Store } from '../store';
import type {
  CustomerRec, LocationRec, MethodRec, NoteRec, PersonRec, PhoneContactRec, RelationshipRec, StoredExternalData,
} from '../types';

/** Route dependencies. `commit` persists after a successful mutation (no-op without --data). */
export interface RouteDeps {
  store: Store;
  /** Leads, bookings and booking provider tags. */
  sales: SalesStore;
  commit(): void;
}

/** User id recorded as createdBy/modifiedBy for writes made through the API. */
export const API_USER_ID = 1;
export const MAX_PAGE_SIZE = 5000;
export const nowIso = (): string => new Date().toISOString();

export interface Paging { page: number; pageSize: number; includeTotal: boolean }

/** page (default 1), pageSize (default 50; the 1..5000 range is checked by binding) and includeTotal. */
export function readPaging(q: Bound): Paging {
  return { page: q.num('page') ?? 1, pageSize: q.num('pageSize') ?? 50, includeTotal: q.bool('includeTotal') ?? false };
}

export type { Sort };

export interface Page<R> { page: number; pageSize: number; hasMore: boolean; totalCount?: number; data: R[] }

/** Lazily walks `items`: stops one item past the page unless a total count is wanted. */
export function paginate<T, R>(items: Iterable<T>, paging: Paging, map: (item: T) => R, filter: (item: T) => boolean = () => true): Page<R> {
  const skip = (paging.page - 1) * paging.pageSize;
  const data: R[] = [];
  let matched = 0;
  let hasMore = false;
  for (const item of items) {
    if (!filter(item)) continue;
    matched++;
    if (matched <= skip) continue;
    if (data.length < paging.pageSize) { data.push(map(item)); continue; }
    hasMore = true;
    if (!paging.includeTotal) break;
  }
  const page: Page<R> = { page: paging.page, pageSize: paging.pageSize, hasMore, data };
  if (paging.includeTotal) {
    const { data: d, ...rest } = page;
    return { ...rest, totalCount: matched, data: d };
  }
  return page;
}

// ---- tag types -------------------------------------------------------------------------------
/** Whether a tag type exists: the one check behind every operation that takes tag type ids. */
export const knownTagType = (id: number): boolean => id >= TAG_TYPE_IDS.first && id <= TAG_TYPE_IDS.last;

/**
 * Adds a 400 entry at `key` (`TagTypeIds`, `Locations[0].TagTypeIds`) when a body's tag type ids
 * name tag types that do not exist, so no write stores an id Customers_CreateTag would answer 404 for.
 */
export function checkTagTypeIds(errors: ErrorMap, key: string, ids: unknown): void {
  if (!Array.isArray(ids)) return;
  const unknown = [...new Set(ids.filter((t): t is number => typeof t === 'number' && !knownTagType(t)))];
  if (unknown.length > 0) addError(errors, key, `Tag types not found: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ', …' : ''}.`);
}

export const digitsOf = (s: string): string => s.replace(/\D/g, '');
/** What phone equality compares: the digits without a leading US country code ('' when there are none). */
export function phoneKey(s: string): string {
  const d = digitsOf(s);
  return d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
}
/** Phone equality on digits, ignoring a leading US country code. */
export function samePhone(a: string, b: string): boolean {
  const x = phoneKey(a);
  return x.length > 0 && x === phoneKey(b);
}
export const isPhoneType = (t: string): boolean => t !== 'Email';
/**
 * What contact value equality compares, for exact-match indexes: the phone key of a phone (undefined
 * without digits, which equals nothing), the trimmed lower-case text of an e-mail.
 */
export function contactValueKey(type: string, value: string): string | undefined {
  if (!isPhoneType(type)) return value.trim().toLowerCase();
  const k = phoneKey(value);
  return k.length > 0 ? k : undefined;
}
export function sameContactValue(type: string, a: string, b: string): boolean {
  const k = contactValueKey(type, a);
  return k !== undefined && k === contactValueKey(type, b);
}

// ---- response mappers (exactly the fields of the spec's response definitions) ---------------
function externalFor(list: StoredExternalData[], appGuid: string | undefined): Array<{ key: string; value: string }> {
  if (!appGuid) return [];
  return list.filter((e) => e.applicationGuid === appGuid).map((e) => ({ key: e.key, value: e.value }));
}

/** Crm.V2.Customers.CustomerResponse (and Crm.V2.ExportCustomerResponse, the same fields). */
export function customerResponse(c: CustomerRec, appGuid?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id, active: c.active, name: c.name, type: c.type, address: { ...c.address },
    customFields: c.customFields.map((f) => ({ ...f })), balance: c.balance, taxExempt: c.taxExempt, tagTypeIds: [...c.tagTypeIds],
    doNotMail: c.doNotMail, doNotService: c.doNotService, nationalAccount: c.nationalAccount, createdOn: c.createdOn,
    createdById: c.createdById, modifiedOn: c.modifiedOn,
  };
  if (c.mergedToId !== undefined) out.mergedToId = c.mergedToId;
  if (c.paymentTermId !== undefined) out.paymentTermId = c.paymentTermId;
  if (c.creditLimit !== undefined) out.creditLimit = c.creditLimit;
  if (c.creditLimitBalance !== undefined) out.creditLimitBalance = c.creditLimitBalance;
  out.externalData = externalFor(c.externalData, appGuid);
  return out;
}

/** Crm.V2.Locations.LocationResponse (and Crm.V2.ExportLocationsResponse, the same fields). */
export function locationResponse(l: LocationRec, appGuid?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: l.id, customerId: l.customerId, active: l.active, name: l.name, address: { ...l.address },
    customFields: l.customFields.map((f) => ({ ...f })), createdOn: l.createdOn, createdById: l.createdById,
    modifiedOn: l.modifiedOn,
  };
  if (l.mergedToId !== undefined) out.mergedToId = l.mergedToId;
  if (l.zoneId !== undefined) out.zoneId = l.zoneId;
  out.taxExempt = l.taxExempt;
  out.tagTypeIds = [...l.tagTypeIds];
  out.externalData = externalFor(l.externalData, appGuid);
  if (l.taxZoneId !== undefined) out.taxZoneId = l.taxZoneId;
  return out;
}

function phoneSettings(c: PhoneContactRec): { phoneNumber: string; doNotText: boolean } {
  return { phoneNumber: isPhoneType(c.type) ? digitsOf(c.value) : '', doNotText: c.doNotText };
}

/** The fields Crm.V2.Customers.CustomerContactWithModifiedOnResponse and its export/list variants share. */
function contactFields(c: PhoneContactRec, out: Record<string, unknown>): Record<string, unknown> {
  out.modifiedOn = c.modifiedOn;
  out.phoneSettings = phoneSettings(c);
  out.createdOn = c.createdOn;
  if (c.preferences) out.preferences = { ...c.preferences };
  out.id = c.id;
  out.type = c.type;
  out.value = c.value;
  if (c.memo !== undefined) out.memo = c.memo;
  return out;
}

/** Crm.V2.Customers.CustomerContactWithModifiedOnResponse */
export function customerContactResponse(c: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, type: c.type, value: c.value };
  if (c.memo !== undefined) out.memo = c.memo;
  out.modifiedOn = c.modifiedOn;
  out.phoneSettings = phoneSettings(c);
  out.createdOn = c.createdOn;
  if (c.preferences) out.preferences = { ...c.preferences };
  return out;
}

/** Crm.V2.Customers.CustomerContactWithModifiedOnAndCustomerIdResponse (GET /customers/contacts). */
export function customerContactWithCustomerIdResponse(customerId: number, c: PhoneContactRec): Record<string, unknown> {
  return { ...contactFields(c, {}), customerId };
}

/** Crm.V2.ExportCustomerContactResponse */
export function exportCustomerContactResponse(f: FeedContact): Record<string, unknown> {
  return { ...contactFields(f.rec, {}), customerId: f.parentId, active: f.active };
}

/** Crm.V2.LocationContactResponse */
export function locationContactResponse(c: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, type: c.type, value: c.value };
  if (c.memo !== undefined) out.memo = c.memo;
  out.phoneSettings = phoneSettings(c);
  out.modifiedOn = c.modifiedOn;
  out.createdOn = c.createdOn;
  if (c.preferences) out.preferences = { ...c.preferences };
  return out;
}

/** Crm.V2.LocationsContactResponse (GET /locations/contacts). */
export function locationsContactResponse(locationId: number, c: PhoneContactRec): Record<string, unknown> {
  return { ...locationContactResponse(c), locationId };
}

/** Crm.V2.ExportLocationContactResponse */
export function exportLocationContactResponse(f: FeedContact): Record<string, unknown> {
  return { ...locationContactResponse(f.rec), locationId: f.parentId, active: f.active };
}

/** Crm.V2.NoteResponse */
export function noteResponse(n: NoteRec): Record<string, unknown> {
  return { id: n.id, text: n.text, isPinned: n.isPinned, createdById: n.createdById, createdOn: n.createdOn, modifiedOn: n.modifiedOn };
}

/** Crm.V2.Customers.CustomerContact / Crm.V2.Locations.LocationContact (inside CreatedCustomerResponse). */
export function briefContactResponse(c: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, type: c.type, value: c.value };
  if (c.memo !== undefined) out.memo = c.memo;
  return out;
}

export function personResponse(p: PersonRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: p.id };
  if (p.referenceId !== undefined) out.referenceId = p.referenceId;
  if (p.name !== undefined) out.name = p.name;
  if (p.title !== undefined) out.title = p.title;
  out.isArchived = p.isArchived;
  out.createdOn = p.createdOn;
  out.createdBy = p.createdBy;
  out.modifiedOn = p.modifiedOn;
  out.modifiedBy = p.modifiedBy;
  return out;
}

export function methodResponse(m: MethodRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: m.id, contactId: m.contactId };
  if (m.referenceId !== undefined) out.referenceId = m.referenceId;
  out.type = m.type;
  out.value = m.value;
  if (m.memo !== undefined) out.memo = m.memo;
  out.createdOn = m.createdOn;
  out.createdBy = m.createdBy;
  out.modifiedOn = m.modifiedOn;
  out.modifiedBy = m.modifiedBy;
  return out;
}

const TYPE_NAMES: Record<string, string> = { customer: 'Customer', location: 'Location', booking: 'Booking' };
export function relationshipResponse(r: RelationshipRec): Record<string, unknown> {
  return {
    id: r.id, relatedEntityId: r.relatedEntityId, typeName: TYPE_NAMES[r.typeSlug] ?? r.typeSlug, typeSlug: r.typeSlug,
    createdOn: r.createdOn, createdBy: r.createdBy,
  };
}
export const relationshipTypeName = (slug: string): string => TYPE_NAMES[slug] ?? slug;

/** Optional string from a validated body: null/absent -> undefined, else trimmed-as-given. */
export function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Date-range filter shared by list endpoints. */
export interface DateRange { createdBefore?: number; createdOnOrAfter?: number; modifiedBefore?: number; modifiedOnOrAfter?: number }
/** The bound date-range parameters (binding turns date-time query values into ms). */
export function readDateRange(q: Bound): DateRange {
  const r: DateRange = {};
  const cb = q.num('createdBefore'); if (cb !== undefined) r.createdBefore = cb;
  const ca = q.num('createdOnOrAfter'); if (ca !== undefined) r.createdOnOrAfter = ca;
  const mb = q.num('modifiedBefore'); if (mb !== undefined) r.modifiedBefore = mb;
  const ma = q.num('modifiedOnOrAfter'); if (ma !== undefined) r.modifiedOnOrAfter = ma;
  return r;
}
/** Whether a time (ms) is on or after `from` and before `before`; absent bounds hold, and NaN is in no bounded range. */
export const inRange = (ms: number, from: number | undefined, before: number | undefined): boolean =>
  (from === undefined || ms >= from) && (before === undefined || ms < before);
export function inDateRange(r: DateRange, createdOn: string, modifiedOn: string): boolean {
  // Dates are parsed only for a bound that is set.
  return (r.createdOnOrAfter === undefined && r.createdBefore === undefined || inRange(Date.parse(createdOn), r.createdOnOrAfter, r.createdBefore))
    && (r.modifiedOnOrAfter === undefined && r.modifiedBefore === undefined || inRange(Date.parse(modifiedOn), r.modifiedOnOrAfter, r.modifiedBefore));
}

/** What `sort` can order: an id (number or GUID) and its dates; rows without `modifiedOn` use `createdOn`. */
export interface Sortable { id: number | string; createdOn: string; modifiedOn?: string }

/** The date fields `sort` orders by (lower-case), besides the id. */
export type DateSortField = 'createdon' | 'modifiedon';
/** The lower-case date field of a sort, or undefined for a sort by id; throws for any other field. */
export function dateSortField(sort: Sort): DateSortField | undefined {
  const field = sort.field.toLowerCase();
  if (field === 'id') return undefined;
  if (field !== 'createdon' && field !== 'modifiedon') throw new Error(`no sort by ${sort.field}`);
  return field;
}
/** A row's sort key in ms for a date field. */
export const dateSortKey = (r: Sortable, field: DateSortField): number => Date.parse(field === 'createdon' ? r.createdOn : r.modifiedOn ?? r.createdOn);
/** Id order (numbers, or GUID text as JavaScript compares strings): the tie-break of every sort. */
export const compareIds = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The one sort of every list: `sort` over `rows` (stable, ties in id order), or the rows as they
 * are without a sort. Field names compare case-insensitively (the document spells `ID` once;
 * specSchemas.ts checks at startup that every operation's fields are among these). Dates are
 * parsed once per row, not in the comparator.
 */
export function sortRows<T extends Sortable>(rows: readonly T[], sort: Sort | undefined): readonly T[] {
  if (!sort) return rows;
  const dir = sort.descending ? -1 : 1;
  const field = dateSortField(sort);
  if (field === undefined) return [...rows].sort((a, b) => compareIds(a.id, b.id) * dir);
  const keyed = rows.map((r) => ({ r, k: dateSortKey(r, field) }));
  keyed.sort((a, b) => ((a.k - b.k) || compareIds(a.r.id, b.r.id)) * dir);
  return keyed.map((x) => x.r);
}

/** Id order, ascending: how the stores walk their rows. */
export const ID_ORDER: Sort = { field: 'Id', descending: false };

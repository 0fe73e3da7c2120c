// Shared route helpers: paging envelope, sort parsing, path parameter binding, response mappers.
import { addError, badRequest, type ErrorMap } from '../errors';
import type { Store } from '../store';
import type {
  CustomerRec, LocationRec, MethodRec, PersonRec, PhoneContactRec, RelationshipRec, StoredExternalData,
} from '../types';
import { parseGuid, parseInt64, type QueryReader } from '../validation';

/** Route dependencies. `commit` persists after a successful mutation (no-op without --data). */
export interface RouteDeps {
  store: Store;
  commit(): void;
}

/** User id recorded as createdBy/modifiedBy for writes made through the API. */
export const API_USER_ID = 1;
export const MAX_PAGE_SIZE = 5000;
export const nowIso = (): string => new Date().toISOString();

export interface Paging { page: number; pageSize: number; includeTotal: boolean }

export function readPaging(q: QueryReader): Paging {
  return {
    page: q.int('page', 1, 2147483647) ?? 1,
    pageSize: q.int('pageSize', 1, MAX_PAGE_SIZE) ?? 50,
    includeTotal: q.bool('includeTotal') ?? false,
  };
}

export interface Sort { field: string; descending: boolean }

/** "?sort=+Id" arrives as " Id" (a '+' in a query string is a space), so a bare name is ascending. */
export function readSort(q: QueryReader, fields: string[]): Sort | undefined {
  const raw = q.raw('sort');
  if (raw === undefined) return undefined;
  let t = raw.trim();
  let descending = false;
  if (t.startsWith('-')) { descending = true; t = t.slice(1); } else if (t.startsWith('+')) t = t.slice(1);
  const field = fields.find((f) => f.toLowerCase() === t.trim().toLowerCase());
  if (!field) {
    q.addError('sort', `The sort field '${raw.trim()}' is not supported. Available fields are: ${fields.join(', ')}.`);
    return undefined;
  }
  return { field, descending };
}

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

/** Path parameter binding errors, keyed by the parameter name like ASP.NET Core. */
export class PathParams {
  readonly errors: ErrorMap = {};
  constructor(private readonly params: Record<string, string>) {}
  int64(name: string): number {
    const raw = this.params[name] ?? '';
    const n = parseInt64(raw);
    if (n === undefined) { addError(this.errors, name, `The value '${raw}' is not valid.`); return 0; }
    return n;
  }
  guid(name: string): string {
    const raw = this.params[name] ?? '';
    const g = parseGuid(raw);
    if (g === undefined) { addError(this.errors, name, `The value '${raw}' is not valid.`); return ''; }
    return g;
  }
  string(name: string): string { return this.params[name] ?? ''; }
  throwIfInvalid(extra: ErrorMap = {}): void {
    const all = { ...this.errors, ...extra };
    if (Object.keys(all).length > 0) throw badRequest(all);
  }
}

export const digitsOf = (s: string): string => s.replace(/\D/g, '');
/** Phone equality on digits, ignoring a leading US country code. */
export function samePhone(a: string, b: string): boolean {
  const strip = (d: string): string => (d.length === 11 && d.startsWith('1') ? d.slice(1) : d);
  const x = strip(digitsOf(a)), y = strip(digitsOf(b));
  return x.length > 0 && x === y;
}
export const isPhoneType = (t: string): boolean => t !== 'Email';
export function sameContactValue(type: string, a: string, b: string): boolean {
  return isPhoneType(type) ? samePhone(a, b) : a.trim().toLowerCase() === b.trim().toLowerCase();
}

const contains = (hay: string | undefined, needle: string): boolean => (hay ?? '').toLowerCase().includes(needle.toLowerCase());
export { contains };

// ---- response mappers (exactly the fields of the spec's response definitions) ---------------
function externalFor(list: StoredExternalData[], appGuid: string | undefined): Array<{ key: string; value: string }> {
  if (!appGuid) return [];
  return list.filter((e) => e.applicationGuid === appGuid).map((e) => ({ key: e.key, value: e.value }));
}

export function customerResponse(c: CustomerRec, appGuid?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id, active: c.active, name: c.name, type: c.type, address: { ...c.address },
    customFields: c.customFields.map((f) => ({ ...f })), balance: c.balance, tagTypeIds: [...c.tagTypeIds],
    doNotMail: c.doNotMail, doNotService: c.doNotService, createdOn: c.createdOn, createdById: c.createdById,
    modifiedOn: c.modifiedOn,
  };
  if (c.mergedToId !== undefined) out.mergedToId = c.mergedToId;
  out.externalData = externalFor(c.externalData, appGuid);
  return out;
}

export function locationResponse(l: LocationRec, appGuid?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: l.id, customerId: l.customerId, active: l.active, name: l.name, address: { ...l.address },
    customFields: l.customFields.map((f) => ({ ...f })), createdOn: l.createdOn, createdById: l.createdById,
    modifiedOn: l.modifiedOn,
  };
  if (l.mergedToId !== undefined) out.mergedToId = l.mergedToId;
  if (l.zoneId !== undefined) out.zoneId = l.zoneId;
  out.tagTypeIds = [...l.tagTypeIds];
  out.externalData = externalFor(l.externalData, appGuid);
  if (l.taxZoneId !== undefined) out.taxZoneId = l.taxZoneId;
  return out;
}

function phoneSettings(c: PhoneContactRec): { phoneNumber: string; doNotText: boolean } {
  return { phoneNumber: isPhoneType(c.type) ? digitsOf(c.value) : '', doNotText: c.doNotText };
}

/** Crm.V2.Customers.CustomerContactWithModifiedOnResponse */
export function customerContactResponse(c: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, type: c.type, value: c.value };
  if (c.memo !== undefined) out.memo = c.memo;
  out.modifiedOn = c.modifiedOn;
  out.phoneSettings = phoneSettings(c);
  out.createdOn = c.createdOn;
  return out;
}

/** Crm.V2.LocationContactResponse */
export function locationContactResponse(c: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, type: c.type, value: c.value };
  if (c.memo !== undefined) out.memo = c.memo;
  out.phoneSettings = phoneSettings(c);
  out.modifiedOn = c.modifiedOn;
  out.createdOn = c.createdOn;
  return out;
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
export function readDateRange(q: QueryReader): DateRange {
  const r: DateRange = {};
  const cb = q.date('createdBefore'); if (cb !== undefined) r.createdBefore = cb;
  const ca = q.date('createdOnOrAfter'); if (ca !== undefined) r.createdOnOrAfter = ca;
  const mb = q.date('modifiedBefore'); if (mb !== undefined) r.modifiedBefore = mb;
  const ma = q.date('modifiedOnOrAfter'); if (ma !== undefined) r.modifiedOnOrAfter = ma;
  return r;
}
export function inDateRange(r: DateRange, createdOn: string, modifiedOn: string): boolean {
  if (r.createdBefore === undefined && r.createdOnOrAfter === undefined && r.modifiedBefore === undefined && r.modifiedOnOrAfter === undefined) return true;
  const c = Date.parse(createdOn), m = Date.parse(modifiedOn);
  if (r.createdBefore !== undefined && !(c < r.createdBefore)) return false;
  if (r.createdOnOrAfter !== undefined && !(c >= r.createdOnOrAfter)) return false;
  if (r.modifiedBefore !== undefined && !(m < r.modifiedBefore)) return false;
  if (r.modifiedOnOrAfter !== undefined && !(m >= r.modifiedOnOrAfter)) return false;
  return true;
}

/** Sorts materialised rows by a date field (stable, id as tie-breaker already implied by input order). */
export function sortByDate<T extends { createdOn: string; modifiedOn: string }>(rows: T[], field: 'CreatedOn' | 'ModifiedOn', descending: boolean): T[] {
  const key = field === 'CreatedOn' ? 'createdOn' : 'modifiedOn';
  const withKey = rows.map((r, i) => ({ r, i, k: Date.parse(r[key]) }));
  withKey.sort((a, b) => (a.k - b.k || a.i - b.i) * (descending ? -1 : 1));
  return withKey.map((x) => x.r);
}

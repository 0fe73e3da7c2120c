// One list request checked against the model: the sort applied to the expected rows, the page cut
// out of them, and the whole answer compared (page, pageSize, hasMore, totalCount, the rows in order).
import * as assert from 'node:assert/strict';
import type { Client } from '../helpers';
import type { Params } from './filters';
import type { CustomerRow, LocationRow, MethodRow, PersonRow, PhoneRow, Row } from './seededModel';

const compareIds = (a: number | string, b: number | string): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a),
    y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * `sort=Field`, `+Field` or `-Field` over rows in their unsorted order: by the field, ties by id;
 * descending is the exact reverse of ascending. No sort keeps the rows as they are.
 */
export function ordered<T extends Row>(rows: readonly T[], sort: string | undefined): readonly T[] {
  if (sort === undefined) return rows;
  const descending = sort.startsWith('-');
  const field = sort.replace(/^[-+ ]/, '').toLowerCase();
  const key =
    field === 'id'
      ? undefined
      : field === 'createdon'
        ? (r: T) => r.createdMs
        : field === 'modifiedon'
          ? (r: T) => r.modifiedMs
          : assert.fail(`no sort by ${sort}`);
  const asc = [...rows].sort((a, b) => (key ? key(a) - key(b) : 0) || compareIds(a.id, b.id));
  return descending ? asc.reverse() : asc;
}

/** How a list shows a model row: the response fields the model knows, by their response names. */
export type Shown<T> = (row: T) => Record<string, unknown>;

const iso = (ms: number): string => new Date(ms).toISOString();
const dated = (r: Row): Record<string, unknown> => ({ createdOn: iso(r.createdMs), modifiedOn: iso(r.modifiedMs) });
export const customerShown: Shown<CustomerRow> = (r) => ({ id: r.id, active: r.active, name: r.name, address: r.address, ...dated(r) });
export const locationShown: Shown<LocationRow> = (r) => ({
  id: r.id,
  customerId: r.customerId,
  active: r.active,
  name: r.name,
  address: r.address,
  ...dated(r),
});
/** A phone/email contact in its parent's own list (/customers/{id}/contacts, /locations/{id}/contacts). */
export const phoneShown: Shown<PhoneRow> = (r) => ({ id: r.id, type: r.type, value: r.value, ...dated(r) });
export const customerContactShown: Shown<PhoneRow> = (r) => ({ id: r.id, customerId: r.parentId, type: r.type, value: r.value, ...dated(r) });
export const locationContactShown: Shown<PhoneRow> = (r) => ({ id: r.id, locationId: r.parentId, type: r.type, value: r.value, ...dated(r) });
export const personShown: Shown<PersonRow> = (r) => ({
  id: r.id,
  name: r.name,
  title: r.title,
  referenceId: r.referenceId,
  isArchived: r.isArchived,
  ...dated(r),
});
export const methodShown: Shown<MethodRow> = (r) => ({
  id: r.id,
  contactId: r.contactId,
  type: r.type,
  value: r.value,
  referenceId: r.referenceId,
  ...dated(r),
});

/** `value` without its null and undefined fields, at any depth: the live API's nulls (the sandbox's default) compare as absent. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
  return out;
}

/** The fields of `shown` taken from a response row; fields either side leaves out or sends as null compare as absent. */
function defined(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = withoutNulls(o[k]);
  return out;
}

interface PageBody {
  page: number;
  pageSize: number;
  hasMore: boolean;
  totalCount?: number | null;
  data: Array<Record<string, unknown>>;
}

export interface Checked<T> {
  query: string;
  /** Rows the query selects. */ total: number;
  /** The page's rows. */ rows: readonly T[];
}

/**
 * GETs `path` with `params` and asserts the answer is exactly the page of `matching` (the rows the
 * query selects, unsorted) that the sort and paging ask for.
 */
export async function assertPage<T extends Row>(c: Client, path: string, params: Params, matching: readonly T[], shown: Shown<T>): Promise<Checked<T>> {
  const page = Number(params.page ?? 1),
    pageSize = Number(params.pageSize ?? 50);
  const all = ordered(matching, params.sort === undefined ? undefined : String(params.sort));
  const rows = all.slice((page - 1) * pageSize, page * pageSize);
  const query = `${path}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
  const r = await c.get(query);
  assert.equal(r.status, 200, `GET ${query}: ${r.text.slice(0, 500)}`);
  const body = r.body as PageBody;
  const envelope = (b: Omit<PageBody, 'data'>): Record<string, unknown> => ({
    page: b.page,
    pageSize: b.pageSize,
    hasMore: b.hasMore,
    ...(b.totalCount !== undefined && b.totalCount !== null ? { totalCount: b.totalCount } : {}),
  });
  const want = envelope({ page, pageSize, hasMore: all.length > page * pageSize, ...(params.includeTotal === true ? { totalCount: all.length } : {}) });
  assert.deepEqual(envelope(body), want, `GET ${query}: the envelope`);
  const gotIds = body.data.map((x) => x.id),
    wantIds = rows.map((x) => x.id);
  const first = wantIds.findIndex((id, i) => gotIds[i] !== id);
  assert.ok(
    gotIds.length === wantIds.length && first < 0,
    `GET ${query}: expected ${wantIds.length} rows, got ${gotIds.length}` +
      (first >= 0 ? `; row ${first} is ${String(gotIds[first])}, expected ${String(wantIds[first])}` : '') +
      ` (expected ids ${JSON.stringify(wantIds.slice(Math.max(0, first), Math.max(0, first) + 5))}…, got ${JSON.stringify(gotIds.slice(Math.max(0, first), Math.max(0, first) + 5))}…)`,
  );
  rows.forEach((row, i) => {
    const want = shown(row);
    const keys = Object.keys(want);
    assert.deepEqual(defined(body.data[i] ?? {}, keys), defined(want, keys), `GET ${query}: row ${i} (${String(row.id)})`);
  });
  return { query, total: all.length, rows };
}

/** The page (of `pageSize`) on which the row with `id` appears in `rows`, 1-based. */
export function pageHolding(rows: readonly Row[], id: number | string, pageSize = 50): number {
  const at = rows.findIndex((r) => r.id === id);
  assert.ok(at >= 0, `no row ${String(id)}`);
  return Math.floor(at / pageSize) + 1;
}
export const lastPage = (total: number, pageSize = 50): number => Math.max(1, Math.ceil(total / pageSize));

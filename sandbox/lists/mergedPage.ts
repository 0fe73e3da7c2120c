// The one walk behind the large lists: the seeded rows in one order (a permutation built once, or
// the rows as they are), with the records the API changed or created merged in at their place.
// Seeded rows are tested on cached columns; only the rows of the page become records.
import type { Page, Paging } from '../query/paging';
import { compareIds } from '../query/sorting';
import { firstNotBefore } from './columns';

/** A changed or created record, placed before the seeded position `at` (the seeded count: at the end). */
export interface DeltaItem<R> { at: number; rec: R }

/** One order of a list: seeded rows plus the changes, merged by position. */
export interface MergedRows<R> {
  /** Seeded rows in this order; undefined: rows 0..count-1 as they are. */
  order: Int32Array | undefined;
  count: number;
  /** 1 for a seeded row whose current state is in `delta`, or that is gone: the walk skips it. */
  changed: Uint8Array;
  /** The current records of changed and created rows, in this order (`at` never decreases). */
  delta: ReadonlyArray<DeltaItem<R>>;
}

export interface MergedQuery<R, O> {
  /** 1 for each seeded row that matches; undefined: every one does, 'none': none does. */
  mask: Uint8Array | undefined | 'none';
  /** Whether a changed or created record matches. */
  recMatch: (rec: R) => boolean;
  mapRow: (row: number) => O;
  mapRec: (rec: R) => O;
  /** Visit only these seeded positions (ascending), e.g. the candidates of an exact-match index. */
  positions?: Int32Array;
}

/** One page of `rows` walked forwards or backwards (a descending sort is the exact reverse). */
export function mergedPage<R, O>(rows: MergedRows<R>, q: MergedQuery<R, O>, paging: Paging, descending: boolean): Page<O> {
  const { order, changed, delta } = rows;
  const { positions } = q;
  const mask = q.mask === 'none' ? undefined : q.mask;
  // No seeded row can match: walk the changes alone.
  const count = q.mask === 'none' ? 0 : positions ? positions.length : rows.count;
  const skip = (paging.page - 1) * paging.pageSize;
  const data: O[] = [];
  let matched = 0;
  /** Seeded rows among `matched`. */
  let seededMatched = 0;
  // Walk to the end of the page, merging the changes in: a change placed before seeded position p
  // comes before it (after it, walking backwards). Written out inline: this loop is the hot path.
  const step = descending ? -1 : 1;
  let n = descending ? count - 1 : 0;
  let d = descending ? delta.length - 1 : 0;
  let full = paging.pageSize === 0;
  while (!full) {
    const item = delta[d];
    const inside = n >= 0 && n < count;
    const p = inside ? (positions === undefined ? n : positions[n] as number) : 0;
    if (item !== undefined && (!inside || (descending ? item.at > p : item.at <= p))) {
      d += step;
      if (q.recMatch(item.rec) && ++matched > skip) { data.push(q.mapRec(item.rec)); full = data.length >= paging.pageSize; }
      continue;
    }
    if (!inside) break;
    n += step;
    const row = order === undefined ? p : order[p] as number;
    if (changed[row] !== 1 && (mask === undefined || mask[row] === 1)) {
      seededMatched++;
      if (++matched > skip) { data.push(q.mapRow(row)); full = data.length >= paging.pageSize; }
    }
  }
  // The page is done: is there more, and how much? The rest need only be counted, in any order.
  let more = 0;
  const all = paging.includeTotal;
  for (; d >= 0 && d < delta.length && (all || more === 0); d += step) if (q.recMatch((delta[d] as DeltaItem<R>).rec)) more++;
  if (all && positions === undefined && n >= 0 && n < count) {
    // Every seeded match, counted in row order (a sorted order visits the same rows, scattered), less those seen.
    let seeded = 0;
    for (let row = 0; row < count; row++) if (changed[row] !== 1 && (mask === undefined || mask[row] === 1)) seeded++;
    more += seeded - seededMatched;
  } else {
    for (; n >= 0 && n < count && (all || more === 0); n += step) {
      const p = positions === undefined ? n : positions[n] as number;
      const row = order === undefined ? p : order[p] as number;
      if (changed[row] !== 1 && (mask === undefined || mask[row] === 1)) more++;
    }
  }
  const { page, pageSize, includeTotal } = paging;
  return includeTotal
    ? { page, pageSize, hasMore: more > 0, totalCount: matched + more, data }
    : { page, pageSize, hasMore: more > 0, data };
}

/** How one order compares: a number key (a time, or 0 for id order), then the id. */
export interface OrderKeys<R> {
  recKey(rec: R): number;
  recId(rec: R): number | string;
  rowKey(row: number): number;
  rowId(row: number): number | string;
}

/**
 * The changes of a sorted order: `recs` sorted by (key, id), each placed before the first seeded
 * row of `order` that sorts after it (binary search, so O(d log n) for d changes).
 */
export function sortedDelta<R>(order: Int32Array, recs: readonly R[], keys: OrderKeys<R>): Array<DeltaItem<R>> {
  const keyed = recs.map((rec) => ({ rec, k: keys.recKey(rec), id: keys.recId(rec) }));
  keyed.sort((a, b) => a.k - b.k || compareIds(a.id, b.id));
  return keyed.map(({ rec, k, id }) => ({
    rec,
    at: firstNotBefore(order.length, (p) => {
      const row = order[p] as number;
      const rk = keys.rowKey(row);
      return rk < k || (rk === k && compareIds(keys.rowId(row), id) < 0);
    }),
  }));
}

/** 1 for each of `rows` (seeded rows that changed or are gone). */
export function changedFlags(count: number, rows: Iterable<number>): Uint8Array {
  const out = new Uint8Array(count);
  for (const row of rows) out[row] = 1;
  return out;
}

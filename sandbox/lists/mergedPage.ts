// The one walk behind the large lists: the seeded rows in one order (a permutation built once, or
// the rows as they are), with the records the API changed or created merged in at their place.
// Seeded rows are tested on cached columns; only the rows of the page become records.
import type { Page, Paging } from '../query/paging';
import { compareIds } from '../query/sorting';
import { firstNotBefore } from './columns';

/** A changed or created record, placed before the seeded position `at` (the seeded count: at the end). */
export interface DeltaItem<R> {
  at: number;
  rec: R;
}

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
export function mergedPage<R, O>(rows: MergedRows<R>, query: MergedQuery<R, O>, paging: Paging, descending: boolean): Page<O> {
  const { order, changed, delta } = rows;
  const { positions } = query;
  const mask = query.mask === 'none' ? undefined : query.mask;
  // No seeded row can match: walk the changes alone.
  const count = query.mask === 'none' ? 0 : positions ? positions.length : rows.count;
  const skip = (paging.page - 1) * paging.pageSize;
  const data: O[] = [];
  let matched = 0;
  /** Seeded rows among `matched`. */
  let seededMatched = 0;
  // Walk to the end of the page, merging the changes in: a change placed before seeded position p
  // comes before it (after it, walking backwards). Written out inline: this loop is the hot path.
  const step = descending ? -1 : 1;
  /** The next seeded position to visit (an index into `positions` when given). */
  let next = descending ? count - 1 : 0;
  /** The next change to visit. */
  let nextChange = descending ? delta.length - 1 : 0;
  let full = paging.pageSize === 0;
  while (!full) {
    const change = delta[nextChange];
    const inside = next >= 0 && next < count;
    const position = inside ? (positions === undefined ? next : (positions[next] as number)) : 0;
    if (change !== undefined && (!inside || (descending ? change.at > position : change.at <= position))) {
      nextChange += step;
      if (query.recMatch(change.rec) && ++matched > skip) {
        data.push(query.mapRec(change.rec));
        full = data.length >= paging.pageSize;
      }
      continue;
    }
    if (!inside) break;
    next += step;
    const row = order === undefined ? position : (order[position] as number);
    if (changed[row] !== 1 && (mask === undefined || mask[row] === 1)) {
      seededMatched++;
      if (++matched > skip) {
        data.push(query.mapRow(row));
        full = data.length >= paging.pageSize;
      }
    }
  }
  // The page is done: is there more, and how much? The rest need only be counted, in any order.
  let more = 0;
  const countAll = paging.includeTotal;
  for (; nextChange >= 0 && nextChange < delta.length && (countAll || more === 0); nextChange += step) {
    if (query.recMatch((delta[nextChange] as DeltaItem<R>).rec)) more++;
  }
  if (countAll && positions === undefined && next >= 0 && next < count) {
    // Every seeded match, counted in row order (a sorted order visits the same rows, scattered), less those seen.
    let seeded = 0;
    for (let row = 0; row < count; row++) {
      if (changed[row] !== 1 && (mask === undefined || mask[row] === 1)) seeded++;
    }
    more += seeded - seededMatched;
  } else {
    for (; next >= 0 && next < count && (countAll || more === 0); next += step) {
      const position = positions === undefined ? next : (positions[next] as number);
      const row = order === undefined ? position : (order[position] as number);
      if (changed[row] !== 1 && (mask === undefined || mask[row] === 1)) more++;
    }
  }
  const { page, pageSize, includeTotal } = paging;
  return includeTotal ? { page, pageSize, hasMore: more > 0, totalCount: matched + more, data } : { page, pageSize, hasMore: more > 0, data };
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
  const keyed = recs.map((rec) => ({ rec, key: keys.recKey(rec), id: keys.recId(rec) }));
  keyed.sort((a, b) => a.key - b.key || compareIds(a.id, b.id));
  return keyed.map(({ rec, key, id }) => ({
    rec,
    at: firstNotBefore(order.length, (position) => {
      const row = order[position] as number;
      const rowKey = keys.rowKey(row);
      return rowKey < key || (rowKey === key && compareIds(keys.rowId(row), id) < 0);
    }),
  }));
}

/** 1 for each of `rows` (seeded rows that changed or are gone). */
export function changedFlags(count: number, rows: Iterable<number>): Uint8Array {
  const out = new Uint8Array(count);
  for (const row of rows) out[row] = 1;
  return out;
}

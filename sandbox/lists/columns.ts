// Building blocks of the list columns: lazily built values, text columns, sorted permutations,
// binary searches and an exact-match hash index. All of them hold seeded rows only, so they are
// built once per sandbox and never change.
import { compareIds } from '../query/sorting';

/** A value built on first use. */
export class Lazy<T> {
  private value: T | undefined;
  constructor(private readonly make: () => T) {}
  get(): T {
    return (this.value ??= this.make());
  }
}

/**
 * Visits every seeded row of one kind in row order with its key: (i) for customers, (i, k) for
 * locations and customer contacts, (i, s) for people, (i, s, m) for methods, (i, k, j) for
 * location contacts (unused parts are 0). No object per row: columns are built in one pass.
 */
export type RowVisitor = (visit: (row: number, a: number, b: number, c: number) => void) => void;
export type KeyFn<T> = (a: number, b: number, c: number) => T;

/**
 * The text of every seeded row: row r's is `values[codes[r]]`, or `values[r]` without codes. A
 * dictionary (codes) suits text that repeats a lot (names, titles, cities): filters test each
 * distinct value once, and every row costs 4 bytes.
 */
export interface TextColumn {
  values: ReadonlyArray<string | undefined>;
  codes: Int32Array | undefined;
}

export function texts(count: number, rows: RowVisitor, at: KeyFn<string | undefined>, dictionary = false): TextColumn {
  if (!dictionary) {
    const values = new Array<string | undefined>(count);
    rows((row, a, b, c) => {
      values[row] = at(a, b, c);
    });
    return { values, codes: undefined };
  }
  const values: Array<string | undefined> = [];
  const codeOf = new Map<string | undefined, number>();
  const codes = new Int32Array(count);
  rows((row, a, b, c) => {
    const value = at(a, b, c);
    let code = codeOf.get(value);
    if (code === undefined) {
      code = values.length;
      values.push(value);
      codeOf.set(value, code);
    }
    codes[row] = code;
  });
  return { values, codes };
}

/** A column read through another row numbering: row r's text is `col`'s at `via[r]`. */
export function textsVia(column: TextColumn, via: Int32Array, count: number): TextColumn {
  const rows = via.subarray(0, count);
  return { values: column.values, codes: column.codes ? rows.map((row) => column.codes?.[row] as number) : rows };
}

/** One number per row. */
export function numbers(count: number, rows: RowVisitor, at: KeyFn<number>): Float64Array {
  const out = new Float64Array(count);
  rows((row, a, b, c) => {
    out[row] = at(a, b, c);
  });
  return out;
}

/** 1/0 per row. */
export function flags(count: number, rows: RowVisitor, at: KeyFn<boolean>): Uint8Array {
  const out = new Uint8Array(count);
  rows((row, a, b, c) => {
    out[row] = at(a, b, c) ? 1 : 0;
  });
  return out;
}

/** Rows 0..count-1 ordered by `compare` (a total order: ties are broken inside it). */
function sortedRows(count: number, compare: (a: number, b: number) => number): Int32Array {
  const order = new Int32Array(count);
  for (let row = 0; row < count; row++) order[row] = row;
  return order.sort(compare);
}

const TIE_BITS = 23n;
const TIE_MASK = (1n << TIE_BITS) - 1n;
const MAX_TIE = 2 ** 23;
const MAX_KEY = 2 ** 41;

/** A tie-break by rank: `rank[row]` (below 2^23, distinct) and the row of each rank. */
export interface Ranks {
  rank: Int32Array;
  rowOf: Int32Array;
}

/**
 * Rows 0..count-1 ordered by an integer key (a time in ms, the head of a GUID), ties by rank, or
 * by row without ranks. Key and tie are packed into one 64-bit integer, so one native sort does
 * it, several times faster than a comparator; keys outside 0..2^41 (none seeded) use one.
 */
export function rowsByKey(count: number, key: (row: number) => number, ranks?: Ranks): Int32Array {
  const tie = (row: number): number => (ranks ? (ranks.rank[row] as number) : row);
  const packed = new BigUint64Array(count);
  for (let row = 0; row < count; row++) {
    const rowKey = key(row);
    if (!Number.isInteger(rowKey) || rowKey < 0 || rowKey >= MAX_KEY || count > MAX_TIE) {
      return sortedRows(count, (a, b) => key(a) - key(b) || tie(a) - tie(b));
    }
    packed[row] = (BigInt(rowKey) << TIE_BITS) | BigInt(tie(row));
  }
  packed.sort();
  const order = new Int32Array(count);
  for (let position = 0; position < count; position++) {
    const rowTie = Number((packed[position] as bigint) & TIE_MASK);
    order[position] = ranks ? (ranks.rowOf[rowTie] as number) : rowTie;
  }
  return order;
}

/** Rows by a time column, ties in row order (int64 ids grow with the row). */
export function rowsByTime(ms: Float64Array, ranks?: Ranks): Int32Array {
  return rowsByKey(ms.length, (row) => ms[row] as number, ranks);
}

/**
 * Seeded rows in GUID text order: by the GUID's first 8 hex digits as a number, which orders the
 * seeded (lower-case) GUIDs as text up to ties; tied runs are sorted by the whole text.
 */
export function rowsByGuid(count: number, head: (row: number) => number, guid: (row: number) => string): Ranks {
  const rowOf = rowsByKey(count, head);
  for (let start = 0; start < count;) {
    let end = start + 1;
    while (end < count && head(rowOf[end] as number) === head(rowOf[start] as number)) end++;
    if (end - start > 1) rowOf.subarray(start, end).sort((a, b) => compareIds(guid(a), guid(b)));
    start = end;
  }
  const rank = new Int32Array(count);
  for (let position = 0; position < count; position++) rank[rowOf[position] as number] = position;
  return { rank, rowOf };
}

/** The first position in 0..count at which `before(position)` is false (`before` must be true, then false). */
export function firstNotBefore(count: number, before: (position: number) => boolean): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Where each of `parents` parents' children start, parent by parent (`countOf(i)` each); the last entry is the total. */
export function childStarts(parents: number, countOf: (i: number) => number): Int32Array {
  const starts = new Int32Array(parents + 1);
  for (let i = 0; i < parents; i++) starts[i + 1] = (starts[i] as number) + countOf(i);
  return starts;
}

/** FNV-1a, 32 bits. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const ROW_BITS = 2 ** 26;

function hash24(key: string): number {
  return hash32(key) >>> 8;
}

/**
 * Rows by a string key, for exact-match filters: `candidates(key)` finds the rows whose key may
 * equal it in O(log n) (24-bit hashes, so callers check each candidate). Hash and row are packed
 * into one double, so a native numeric sort builds it.
 */
export class HashIndex {
  private readonly packed: Float64Array;

  constructor(count: number, rows: RowVisitor, keyOf: KeyFn<string | undefined>) {
    if (count > ROW_BITS) throw new Error(`HashIndex: at most ${ROW_BITS} rows`);
    const packed = new Float64Array(count);
    let filled = 0;
    rows((row, a, b, c) => {
      const key = keyOf(a, b, c);
      if (key !== undefined) packed[filled++] = hash24(key) * ROW_BITS + row;
    });
    this.packed = packed.slice(0, filled).sort();
  }

  /** Rows whose key hashes like `key`, ascending. */
  candidates(key: string): number[] {
    const low = hash24(key) * ROW_BITS;
    const out: number[] = [];
    const first = firstNotBefore(this.packed.length, (position) => (this.packed[position] as number) < low);
    for (let position = first; position < this.packed.length; position++) {
      const entry = this.packed[position] as number;
      if (entry >= low + ROW_BITS) break;
      out.push(entry - low);
    }
    return out;
  }
}

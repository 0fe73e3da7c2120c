// A list filter as data: terms on named fields, tested two ways with the same comparisons: on a
// record (changed and created rows), or on cached columns of every seeded row at once, as a row
// mask built with one tight loop per term.
import { inRange, type DateRange } from '../query/dateRange';
import type { TextColumn } from './columns';

export type TimeField = 'created' | 'modified';

/** `contains` and `equals` compare text as the fields give it (lower-case where a filter ignores case). */
export type Term<T extends string, B extends string> =
  | { kind: 'contains'; field: T; value: string }
  | { kind: 'equals'; field: T; value: string }
  | { kind: 'flag'; field: B; value: boolean }
  | { kind: 'time'; field: TimeField; from: number | undefined; before: number | undefined };

/** A record's fields. */
export interface RecordFields<X, T extends string, B extends string> {
  text(x: X, field: T): string | undefined;
  flag(x: X, field: B): boolean;
  time(x: X, field: TimeField): number;
}

/** Seeded rows' fields, one array per field, built on first use. */
export interface RowColumns<T extends string, B extends string> {
  text(field: T): TextColumn;
  flag(field: B): Uint8Array;
  time(field: TimeField): Float64Array;
  /** When set, times belong to another kind of row: row r's time is time(field)[timeOf()[r]] (a method's are its person's). */
  timeOf?: () => Int32Array;
}

/** The terms of a date range (createdOn/modifiedOn: on or after `from`, before `before`). */
export function dateTerms(r: DateRange): Array<Term<never, never>> {
  const out: Array<Term<never, never>> = [];
  if (r.createdOnOrAfter !== undefined || r.createdBefore !== undefined) out.push({ kind: 'time', field: 'created', from: r.createdOnOrAfter, before: r.createdBefore });
  if (r.modifiedOnOrAfter !== undefined || r.modifiedBefore !== undefined) out.push({ kind: 'time', field: 'modified', from: r.modifiedOnOrAfter, before: r.modifiedBefore });
  return out;
}

// The comparisons, shared by both ways of testing.
const contains = (v: string | undefined, needle: string): boolean => (v ?? '').includes(needle);

export function recordMatch<X, T extends string, B extends string>(terms: ReadonlyArray<Term<T, B>>, f: RecordFields<X, T, B>): (x: X) => boolean {
  return (x) => terms.every((t) => {
    switch (t.kind) {
      case 'contains': return contains(f.text(x, t.field), t.value);
      case 'equals': return f.text(x, t.field) === t.value;
      case 'flag': return f.flag(x, t.field) === t.value;
      case 'time': return inRange(f.time(x, t.field), t.from, t.before);
    }
  });
}

/** Clears the rows whose text fails `test`: once per distinct value for a dictionary column. */
function textMask(mask: Uint8Array, col: TextColumn, test: (text: string | undefined) => boolean): void {
  const { values, codes } = col;
  if (codes) {
    const hit = new Uint8Array(values.length);
    for (let v = 0; v < values.length; v++) if (test(values[v])) hit[v] = 1;
    for (let r = 0; r < mask.length; r++) if (hit[codes[r] as number] !== 1) mask[r] = 0;
  } else {
    for (let r = 0; r < mask.length; r++) if (mask[r] === 1 && !test(values[r])) mask[r] = 0;
  }
}

/** 1 for each of `count` seeded rows that matches every term; undefined when there are no terms (all match). */
export function rowMask<T extends string, B extends string>(count: number, terms: ReadonlyArray<Term<T, B>>, cols: RowColumns<T, B>): Uint8Array | undefined {
  if (terms.length === 0) return undefined;
  const mask = new Uint8Array(count).fill(1);
  // Substring tests last: they only look at rows the cheaper tests kept.
  for (const t of [...terms].sort((a, b) => Number(a.kind === 'contains') - Number(b.kind === 'contains'))) {
    switch (t.kind) {
      case 'contains': { const v = t.value; textMask(mask, cols.text(t.field), (x) => contains(x, v)); break; }
      case 'equals': { const v = t.value; textMask(mask, cols.text(t.field), (x) => x === v); break; }
      case 'flag': { const col = cols.flag(t.field), want = t.value ? 1 : 0; for (let r = 0; r < count; r++) if (col[r] !== want) mask[r] = 0; break; }
      case 'time': {
        const col = cols.time(t.field), via = cols.timeOf?.();
        if (via) { for (let r = 0; r < count; r++) if (!inRange(col[via[r] as number] as number, t.from, t.before)) mask[r] = 0; }
        else for (let r = 0; r < count; r++) if (!inRange(col[r] as number, t.from, t.before)) mask[r] = 0;
        break;
      }
    }
  }
  return mask;
}

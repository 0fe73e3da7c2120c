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
export function dateTerms(range: DateRange): Array<Term<never, never>> {
  const out: Array<Term<never, never>> = [];
  if (range.createdOnOrAfter !== undefined || range.createdBefore !== undefined) {
    out.push({ kind: 'time', field: 'created', from: range.createdOnOrAfter, before: range.createdBefore });
  }
  if (range.modifiedOnOrAfter !== undefined || range.modifiedBefore !== undefined) {
    out.push({ kind: 'time', field: 'modified', from: range.modifiedOnOrAfter, before: range.modifiedBefore });
  }
  return out;
}

// The comparisons, shared by both ways of testing.
function contains(text: string | undefined, needle: string): boolean {
  return (text ?? '').includes(needle);
}

export function recordMatch<X, T extends string, B extends string>(terms: ReadonlyArray<Term<T, B>>, fields: RecordFields<X, T, B>): (record: X) => boolean {
  return (record) =>
    terms.every((term) => {
      switch (term.kind) {
        case 'contains':
          return contains(fields.text(record, term.field), term.value);
        case 'equals':
          return fields.text(record, term.field) === term.value;
        case 'flag':
          return fields.flag(record, term.field) === term.value;
        case 'time':
          return inRange(fields.time(record, term.field), term.from, term.before);
      }
    });
}

/** Clears the rows whose text fails `test`: once per distinct value for a dictionary column. */
function textMask(mask: Uint8Array, column: TextColumn, test: (text: string | undefined) => boolean): void {
  const { values, codes } = column;
  if (codes) {
    const hit = new Uint8Array(values.length);
    for (let code = 0; code < values.length; code++) {
      if (test(values[code])) hit[code] = 1;
    }
    for (let row = 0; row < mask.length; row++) {
      if (hit[codes[row] as number] !== 1) mask[row] = 0;
    }
  } else {
    for (let row = 0; row < mask.length; row++) {
      if (mask[row] === 1 && !test(values[row])) mask[row] = 0;
    }
  }
}

/** 1 for each of `count` seeded rows that matches every term; undefined when there are no terms (all match). */
export function rowMask<T extends string, B extends string>(
  count: number,
  terms: ReadonlyArray<Term<T, B>>,
  columns: RowColumns<T, B>,
): Uint8Array | undefined {
  if (terms.length === 0) return undefined;
  const mask = new Uint8Array(count).fill(1);
  // Substring tests last: they only look at rows the cheaper tests kept.
  for (const term of [...terms].sort((a, b) => Number(a.kind === 'contains') - Number(b.kind === 'contains'))) {
    switch (term.kind) {
      case 'contains': {
        const needle = term.value;
        textMask(mask, columns.text(term.field), (text) => contains(text, needle));
        break;
      }
      case 'equals': {
        const wanted = term.value;
        textMask(mask, columns.text(term.field), (text) => text === wanted);
        break;
      }
      case 'flag': {
        const column = columns.flag(term.field);
        const wanted = term.value ? 1 : 0;
        for (let row = 0; row < count; row++) {
          if (column[row] !== wanted) mask[row] = 0;
        }
        break;
      }
      case 'time': {
        const column = columns.time(term.field);
        const via = columns.timeOf?.();
        if (via) {
          for (let row = 0; row < count; row++) {
            if (!inRange(column[via[row] as number] as number, term.from, term.before)) mask[row] = 0;
          }
        } else {
          for (let row = 0; row < count; row++) {
            if (!inRange(column[row] as number, term.from, term.before)) mask[row] = 0;
          }
        }
        break;
      }
    }
  }
  return mask;
}

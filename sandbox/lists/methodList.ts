// GET /contacts/contact-methods at any size: every living person's contact methods, person by
// person (the walk), or sorted by GUID or a date. Seeded methods are filtered on cached columns
// (a `value` goes through an exact-match index); methods of people whose list was set through the
// API, or who are gone, are merged in or left out.
import type { SeedData } from '../seed';
import { contactValueKey, sameContactValue } from '../query/contactValues';
import type { DateRange } from '../query/dateRange';
import { paginate, type Page, type Paging } from '../query/paging';
import { dateSortField, sortRows, type DateSortField, type Sort } from '../query/sorting';
import type { ContactType, MethodRec } from '../types';
import { HashIndex, Lazy, numbers, rowsByGuid, rowsByKey, texts, type RowVisitor } from './columns';
import { changedFlags, mergedPage, sortedDelta, type DeltaItem, type MergedRows } from './mergedPage';
import type { PeopleList } from './peopleList';
import type { SeedShape } from './seedShape';
import { PerVersion, type StoreChanges } from './storeChanges';
import { dateTerms, recordMatch, rowMask, type RecordFields, type RowColumns, type Term } from './terms';

export interface MethodQuery { referenceId?: string; type?: string; value?: string; dates: DateRange }

type MethodText = 'referenceId' | 'type';

/** The filters of both contact method lists but `value`: reference id and type equal, and the dates. */
function methodTerms(q: MethodQuery): Array<Term<MethodText, never>> {
  const out: Array<Term<MethodText, never>> = [];
  if (q.referenceId !== undefined) out.push({ kind: 'equals', field: 'referenceId', value: q.referenceId });
  if (q.type !== undefined) out.push({ kind: 'equals', field: 'type', value: q.type });
  return [...out, ...dateTerms(q.dates)];
}

const methodRecordFields: RecordFields<MethodRec, MethodText, never> = {
  text: (m, field) => m[field],
  flag: () => false,
  time: (m, field) => Date.parse(field === 'created' ? m.createdOn : m.modifiedOn),
};

/** Whether a method record matches the query; `value` equals as a phone or an e-mail, by the method's type. */
export function methodMatch(q: MethodQuery): (m: MethodRec) => boolean {
  const terms = recordMatch(methodTerms(q), methodRecordFields);
  const { value } = q;
  return (m) => terms(m) && (value === undefined || sameContactValue(m.type, m.value, value));
}

/** Index keys of a value: phones and e-mails compare differently, so each kind has its own. */
const valueKeys = (value: string): string[] => {
  const phone = contactValueKey('Phone', value);
  return [...(phone === undefined ? [] : [`p${phone}`]), `e${contactValueKey('Email', value) ?? ''}`];
};
const indexKey = (type: ContactType, value: string): string | undefined => {
  const key = contactValueKey(type, value);
  return key === undefined ? undefined : `${type === 'Email' ? 'e' : 'p'}${key}`;
};

type MethodOrder = 'id' | DateSortField;

export class MethodList {
  constructor(private readonly sd: SeedData, private readonly shape: SeedShape, private readonly people: PeopleList,
    private readonly changes: StoreChanges) {}

  private count(): number { return this.shape.methods.get().count; }
  /** Person (i, s) and slot m of a method row. */
  private key(row: number): { i: number; s: number; m: number } {
    const { p, m } = this.shape.methodKey(row);
    return { ...this.shape.personKey(p), m };
  }
  /** A column over every seeded row, built on first use. */
  private build<C>(make: (count: number, rows: RowVisitor) => C): Lazy<C> {
    return new Lazy(() => make(this.count(), this.shape.eachMethod));
  }
  private readonly types = this.build((n, rows) => texts(n, rows, (i, s, m) => this.sd.methodType(i, s, m), true));
  private readonly referenceIds = this.build((n, rows) => texts(n, rows, (i, s, m) => this.sd.methodReferenceId(i, s, m), true));
  private readonly values = new Lazy(() => new HashIndex(this.count(), this.shape.eachMethod,
    (i, s, m) => indexKey(this.sd.methodType(i, s, m), this.sd.methodValue(i, s, m))));
  /** A seeded method's times are its person's. */
  private time(field: DateSortField, row: number): number {
    return this.people.times[field].get()[this.shape.methods.get().owners[row] as number] as number;
  }
  private guid(row: number): string { const { i, s, m } = this.key(row); return this.sd.methodGuid(i, s, m); }
  /** Seeded methods in GUID order; their rank there breaks ties of the date orders. */
  private readonly byGuid = new Lazy(() => {
    const heads = numbers(this.count(), this.shape.eachMethod, (i, s, m) => this.sd.methodGuidHead(i, s, m));
    return rowsByGuid(this.count(), (r) => heads[r] as number, (r) => this.guid(r));
  });
  private readonly orders: Record<MethodOrder, Lazy<Int32Array>> = {
    id: new Lazy(() => this.byGuid.get().rowOf),
    createdon: this.byTime('createdon'),
    modifiedon: this.byTime('modifiedon'),
  };
  private byTime(field: DateSortField): Lazy<Int32Array> {
    return new Lazy(() => rowsByKey(this.count(), (r) => this.time(field, r), this.byGuid.get()));
  }
  private readonly columns: RowColumns<MethodText, never> = {
    text: (field) => (field === 'type' ? this.types : this.referenceIds).get(),
    flag: () => new Uint8Array(0),
    time: (field) => this.people.times[field === 'created' ? 'createdon' : 'modifiedon'].get(),
    timeOf: () => this.shape.methods.get().owners,
  };
  private record(row: number): MethodRec {
    const { i, s, m } = this.key(row);
    return this.sd.methods(i, s)[m] as MethodRec;
  }

  // ---- changes -------------------------------------------------------------------------------
  /**
   * The walk's changes: the lists of living seeded people set through the API (by person row),
   * then every living created person's list; the seeded methods of those people and of deleted
   * ones are skipped.
   */
  private readonly walk = new PerVersion(() => this.changes, (): MergedRows<MethodRec> => {
    const { starts, count } = this.shape.methods.get();
    const { methods, deletedPeople, createdPeople, people } = this.changes;
    const seeded: Array<{ p: number; list: readonly MethodRec[] }> = [];
    const skipped: number[] = [];
    for (const [id, list] of methods) {
      const p = this.people.seededRow(id);
      if (p !== undefined && !deletedPeople.has(id)) { seeded.push({ p, list }); skipped.push(p); }
    }
    for (const id of deletedPeople) { const p = this.people.seededRow(id); if (p !== undefined) skipped.push(p); }
    seeded.sort((a, b) => a.p - b.p);
    const delta: Array<DeltaItem<MethodRec>> = seeded.flatMap(({ p, list }) => list.map((rec) => ({ at: starts[p] as number, rec })));
    for (const id of createdPeople) {
      if (!people.has(id) || deletedPeople.has(id)) continue;
      for (const rec of methods.get(id) ?? []) delta.push({ at: count, rec });
    }
    const rows = skipped.flatMap((p) => Array.from({ length: (starts[p + 1] as number) - (starts[p] as number) }, (_, m) => (starts[p] as number) + m));
    return { order: undefined, count, changed: changedFlags(count, rows), delta };
  });
  private readonly sorted: Record<MethodOrder, PerVersion<MergedRows<MethodRec>>> = {
    id: this.sortedRows('id'),
    createdon: this.sortedRows('createdon'),
    modifiedon: this.sortedRows('modifiedon'),
  };
  private sortedRows(by: MethodOrder): PerVersion<MergedRows<MethodRec>> {
    return new PerVersion(() => this.changes, () => {
      const { changed, delta: walked, count } = this.walk.get();
      const order = this.orders[by].get();
      const delta = sortedDelta(order, walked.map((d) => d.rec), {
        recKey: (m) => (by === 'id' ? 0 : Date.parse(by === 'createdon' ? m.createdOn : m.modifiedOn)), recId: (m) => m.id,
        rowKey: (r) => (by === 'id' ? 0 : this.time(by, r)), rowId: (r) => this.guid(r),
      });
      return { order, count, changed, delta };
    });
  }

  page<O>(q: MethodQuery, sort: Sort | undefined, paging: Paging, map: (m: MethodRec) => O): Page<O> {
    const by: MethodOrder | undefined = sort ? dateSortField(sort) ?? 'id' : undefined;
    const descending = sort?.descending ?? false;
    const recMatch = methodMatch(q);
    const mapRow = (r: number): O => map(this.record(r));
    if (q.value === undefined) {
      const mask = rowMask(this.count(), methodTerms(q), this.columns);
      return mergedPage(by ? this.sorted[by].get() : this.walk.get(), { mask, recMatch, mapRow, mapRec: map }, paging, descending);
    }
    // A value names few methods: the index's candidates, each checked on its record, and the changes.
    const walk = this.walk.get();
    const seeded = [...new Set(valueKeys(q.value).flatMap((k) => this.values.get().candidates(k)))].sort((a, b) => a - b)
      .filter((r) => walk.changed[r] !== 1).map((r) => ({ r, rec: this.record(r) })).filter((x) => recMatch(x.rec));
    if (!by) return mergedPage(walk, { mask: undefined, positions: Int32Array.from(seeded, (x) => x.r), recMatch, mapRow, mapRec: map }, paging, descending);
    const few = [...seeded.map((x) => x.rec), ...walk.delta.map((d) => d.rec).filter(recMatch)];
    return paginate(sortRows(few, sort), paging, map);
  }
}

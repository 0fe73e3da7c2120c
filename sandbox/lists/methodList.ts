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

export interface MethodQuery {
  referenceId?: string;
  type?: string;
  value?: string;
  dates: DateRange;
}

type MethodText = 'referenceId' | 'type';

/** The filters of both contact method lists but `value`: reference id and type equal, and the dates. */
function methodTerms(query: MethodQuery): Array<Term<MethodText, never>> {
  const out: Array<Term<MethodText, never>> = [];
  if (query.referenceId !== undefined) out.push({ kind: 'equals', field: 'referenceId', value: query.referenceId });
  if (query.type !== undefined) out.push({ kind: 'equals', field: 'type', value: query.type });
  return [...out, ...dateTerms(query.dates)];
}

const methodRecordFields: RecordFields<MethodRec, MethodText, never> = {
  text: (method, field) => method[field],
  flag: () => false,
  time: (method, field) => Date.parse(field === 'created' ? method.createdOn : method.modifiedOn),
};

/** Whether a method record matches the query; `value` equals as a phone or an e-mail, by the method's type. */
export function methodMatch(query: MethodQuery): (method: MethodRec) => boolean {
  const terms = recordMatch(methodTerms(query), methodRecordFields);
  const { value } = query;
  return (method) => terms(method) && (value === undefined || sameContactValue(method.type, method.value, value));
}

/** Index keys of a value: phones and e-mails compare differently, so each kind has its own. */
function valueKeys(value: string): string[] {
  const phone = contactValueKey('Phone', value);
  return [...(phone === undefined ? [] : [`p${phone}`]), `e${contactValueKey('Email', value) ?? ''}`];
}
/** A seeded method's index key: its kind (p or e) and its contact-value key. */
function indexKey(type: ContactType, value: string): string | undefined {
  const key = contactValueKey(type, value);
  return key === undefined ? undefined : `${type === 'Email' ? 'e' : 'p'}${key}`;
}

type MethodOrder = 'id' | DateSortField;

export class MethodList {
  constructor(
    private readonly seedData: SeedData,
    private readonly shape: SeedShape,
    private readonly people: PeopleList,
    private readonly changes: StoreChanges,
  ) {}

  private count(): number {
    return this.shape.methods.get().count;
  }
  /** Person (i, s) and slot m of a method row. */
  private key(row: number): { i: number; s: number; m: number } {
    const { personRow, m } = this.shape.methodKey(row);
    return { ...this.shape.personKey(personRow), m };
  }
  /** A column over every seeded row, built on first use. */
  private build<C>(make: (count: number, rows: RowVisitor) => C): Lazy<C> {
    return new Lazy(() => make(this.count(), this.shape.eachMethod));
  }
  private readonly types = this.build((n, rows) => texts(n, rows, (i, s, m) => this.seedData.methodType(i, s, m), true));
  private readonly referenceIds = this.build((n, rows) => texts(n, rows, (i, s, m) => this.seedData.methodReferenceId(i, s, m), true));
  private readonly values = new Lazy(
    () => new HashIndex(this.count(), this.shape.eachMethod, (i, s, m) => indexKey(this.seedData.methodType(i, s, m), this.seedData.methodValue(i, s, m))),
  );
  /** A seeded method's times are its person's. */
  private time(field: DateSortField, row: number): number {
    return this.people.times[field].get()[this.shape.methods.get().owners[row] as number] as number;
  }
  private guid(row: number): string {
    const { i, s, m } = this.key(row);
    return this.seedData.methodGuid(i, s, m);
  }
  /** Seeded methods in GUID order; their rank there breaks ties of the date orders. */
  private readonly byGuid = new Lazy(() => {
    const heads = numbers(this.count(), this.shape.eachMethod, (i, s, m) => this.seedData.methodGuidHead(i, s, m));
    return rowsByGuid(
      this.count(),
      (row) => heads[row] as number,
      (row) => this.guid(row),
    );
  });
  private readonly orders: Record<MethodOrder, Lazy<Int32Array>> = {
    id: new Lazy(() => this.byGuid.get().rowOf),
    createdon: this.byTime('createdon'),
    modifiedon: this.byTime('modifiedon'),
  };
  private byTime(field: DateSortField): Lazy<Int32Array> {
    return new Lazy(() => rowsByKey(this.count(), (row) => this.time(field, row), this.byGuid.get()));
  }
  private readonly columns: RowColumns<MethodText, never> = {
    text: (field) => (field === 'type' ? this.types : this.referenceIds).get(),
    flag: () => new Uint8Array(0),
    time: (field) => this.people.times[field === 'created' ? 'createdon' : 'modifiedon'].get(),
    timeOf: () => this.shape.methods.get().owners,
  };
  private record(row: number): MethodRec {
    const { i, s, m } = this.key(row);
    return this.seedData.methods(i, s)[m] as MethodRec;
  }

  // ---- changes -------------------------------------------------------------------------------
  /**
   * The walk's changes: the lists of living seeded people set through the API (by person row),
   * then every living created person's list; the seeded methods of those people and of deleted
   * ones are skipped.
   */
  private readonly walk = new PerVersion(
    () => this.changes,
    (): MergedRows<MethodRec> => {
      const { starts, count } = this.shape.methods.get();
      const { methods, deletedPeople, createdPeople, people } = this.changes;
      /** Living seeded people whose method list was set through the API, by person row. */
      const seeded: Array<{ personRow: number; list: readonly MethodRec[] }> = [];
      /** Person rows whose seeded methods the walk skips. */
      const skipped: number[] = [];
      for (const [id, list] of methods) {
        const personRow = this.people.seededRow(id);
        if (personRow !== undefined && !deletedPeople.has(id)) {
          seeded.push({ personRow, list });
          skipped.push(personRow);
        }
      }
      for (const id of deletedPeople) {
        const personRow = this.people.seededRow(id);
        if (personRow !== undefined) skipped.push(personRow);
      }
      seeded.sort((a, b) => a.personRow - b.personRow);
      const delta: Array<DeltaItem<MethodRec>> = seeded.flatMap(({ personRow, list }) => list.map((rec) => ({ at: starts[personRow] as number, rec })));
      for (const id of createdPeople) {
        if (!people.has(id) || deletedPeople.has(id)) continue;
        for (const rec of methods.get(id) ?? []) delta.push({ at: count, rec });
      }
      const methodRowsOf = (personRow: number): number[] => {
        const first = starts[personRow] as number;
        return Array.from({ length: (starts[personRow + 1] as number) - first }, (_, slot) => first + slot);
      };
      const rows = skipped.flatMap(methodRowsOf);
      return { order: undefined, count, changed: changedFlags(count, rows), delta };
    },
  );
  private readonly sorted: Record<MethodOrder, PerVersion<MergedRows<MethodRec>>> = {
    id: this.sortedRows('id'),
    createdon: this.sortedRows('createdon'),
    modifiedon: this.sortedRows('modifiedon'),
  };
  private sortedRows(by: MethodOrder): PerVersion<MergedRows<MethodRec>> {
    return new PerVersion(
      () => this.changes,
      () => {
        const { changed, delta: walked, count } = this.walk.get();
        const order = this.orders[by].get();
        const delta = sortedDelta(
          order,
          walked.map((change) => change.rec),
          {
            recKey: (method) => (by === 'id' ? 0 : Date.parse(by === 'createdon' ? method.createdOn : method.modifiedOn)),
            recId: (method) => method.id,
            rowKey: (row) => (by === 'id' ? 0 : this.time(by, row)),
            rowId: (row) => this.guid(row),
          },
        );
        return { order, count, changed, delta };
      },
    );
  }

  page<O>(query: MethodQuery, sort: Sort | undefined, paging: Paging, map: (method: MethodRec) => O): Page<O> {
    const by: MethodOrder | undefined = sort ? (dateSortField(sort) ?? 'id') : undefined;
    const descending = sort?.descending ?? false;
    const recMatch = methodMatch(query);
    const mapRow = (row: number): O => map(this.record(row));
    if (query.value === undefined) {
      const mask = rowMask(this.count(), methodTerms(query), this.columns);
      return mergedPage(by ? this.sorted[by].get() : this.walk.get(), { mask, recMatch, mapRow, mapRec: map }, paging, descending);
    }
    // A value names few methods: the index's candidates, each checked on its record, and the changes.
    const walk = this.walk.get();
    const candidates = [...new Set(valueKeys(query.value).flatMap((key) => this.values.get().candidates(key)))].sort((a, b) => a - b);
    const seeded = candidates
      .filter((row) => walk.changed[row] !== 1)
      .map((row) => ({ row, rec: this.record(row) }))
      .filter((candidate) => recMatch(candidate.rec));
    if (!by) {
      const positions = Int32Array.from(seeded, (candidate) => candidate.row);
      return mergedPage(walk, { mask: undefined, positions, recMatch, mapRow, mapRec: map }, paging, descending);
    }
    const few = [...seeded.map((candidate) => candidate.rec), ...walk.delta.map((change) => change.rec).filter(recMatch)];
    return paginate(sortRows(few, sort), paging, map);
  }
}

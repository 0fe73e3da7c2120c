// GET /contacts at any size. People walk customer by customer, then the created ones; a sort by
// id orders GUIDs as text. Seeded people are filtered on cached columns and sorted through
// permutations built once; changed, created and deleted people are merged in.
import type { SeedData } from '../seed';
import type { DateRange } from '../query/dateRange';
import type { Page, Paging } from '../query/paging';
import { dateSortField, type DateSortField, type Sort } from '../query/sorting';
import type { PersonRec } from '../types';
import { flags, Lazy, numbers, rowsByGuid, rowsByTime, texts, type RowVisitor } from './columns';
import { changedFlags, mergedPage, sortedDelta, type DeltaItem, type MergedRows } from './mergedPage';
import type { SeedShape } from './seedShape';
import { PerVersion, type StoreChanges } from './storeChanges';
import { dateTerms, recordMatch, rowMask, type RecordFields, type RowColumns, type Term } from './terms';

export interface PersonQuery {
  name?: string;
  title?: string;
  referenceId?: string;
  isArchived?: boolean;
  dates: DateRange;
}

type PersonText = 'name' | 'title' | 'referenceId';

/** The filters of GET /contacts and GET /contacts/relationships/{id}: name and title contain (ignoring case), the rest are equal. */
function personTerms(query: PersonQuery): Array<Term<PersonText, 'archived'>> {
  const out: Array<Term<PersonText, 'archived'>> = [];
  if (query.name !== undefined) out.push({ kind: 'contains', field: 'name', value: query.name.toLowerCase() });
  if (query.title !== undefined) out.push({ kind: 'contains', field: 'title', value: query.title.toLowerCase() });
  if (query.referenceId !== undefined) out.push({ kind: 'equals', field: 'referenceId', value: query.referenceId });
  if (query.isArchived !== undefined) out.push({ kind: 'flag', field: 'archived', value: query.isArchived });
  return [...out, ...dateTerms(query.dates)];
}

const personRecordFields: RecordFields<PersonRec, PersonText, 'archived'> = {
  text: (person, field) => (field === 'referenceId' ? person.referenceId : (person[field] ?? '').toLowerCase()),
  flag: (person) => person.isArchived,
  time: (person, field) => Date.parse(field === 'created' ? person.createdOn : person.modifiedOn),
};

/** Whether a person record matches the query. */
export function personMatch(query: PersonQuery): (person: PersonRec) => boolean {
  return recordMatch(personTerms(query), personRecordFields);
}

type PersonOrder = 'id' | DateSortField;

export class PeopleList {
  constructor(
    private readonly seedData: SeedData,
    private readonly shape: SeedShape,
    private readonly changes: StoreChanges,
  ) {}

  private count(): number {
    return this.shape.people.get().count;
  }
  /** A column over every seeded row, built on first use. */
  private build<C>(make: (count: number, rows: RowVisitor) => C): Lazy<C> {
    return new Lazy(() => make(this.count(), this.shape.eachPerson));
  }
  private readonly names = this.build((n, rows) => texts(n, rows, (i, s) => this.seedData.personName(i, s).toLowerCase(), true));
  private readonly titles = this.build((n, rows) => texts(n, rows, (i, s) => this.seedData.personTitle(i, s).toLowerCase(), true));
  private readonly referenceIds = this.build((n, rows) => texts(n, rows, (i, s) => this.seedData.personReferenceId(i, s), true));
  private readonly archived = this.build((n, rows) => flags(n, rows, (i, s) => this.seedData.personArchived(i, s)));
  /** createdOn / modifiedOn of each seeded person in ms (their contact methods share them). */
  readonly times: Record<DateSortField, Lazy<Float64Array>> = {
    createdon: this.build((n, rows) => numbers(n, rows, (i, s) => this.seedData.personCreatedMs(i, s))),
    modifiedon: this.build((n, rows) => numbers(n, rows, (i, s) => this.seedData.personModifiedMs(i, s))),
  };
  guid(row: number): string {
    const { i, s } = this.shape.personKey(row);
    return this.seedData.personGuid(i, s);
  }
  /** Seeded people in GUID order; their rank there breaks ties of the date orders. */
  private readonly byGuid = new Lazy(() => {
    const heads = numbers(this.count(), this.shape.eachPerson, (i, s) => this.seedData.personGuidHead(i, s));
    return rowsByGuid(
      this.count(),
      (row) => heads[row] as number,
      (row) => this.guid(row),
    );
  });
  private readonly orders: Record<PersonOrder, Lazy<Int32Array>> = {
    id: new Lazy(() => this.byGuid.get().rowOf),
    createdon: new Lazy(() => rowsByTime(this.times.createdon.get(), this.byGuid.get())),
    modifiedon: new Lazy(() => rowsByTime(this.times.modifiedon.get(), this.byGuid.get())),
  };
  private readonly columns: RowColumns<PersonText, 'archived'> = {
    text: (field) => (field === 'name' ? this.names : field === 'title' ? this.titles : this.referenceIds).get(),
    flag: () => this.archived.get(),
    time: (field) => this.times[field === 'created' ? 'createdon' : 'modifiedon'].get(),
  };

  // ---- changes -------------------------------------------------------------------------------
  /** The seeded row of a GUID, if it names a seeded person. */
  seededRow(id: string): number | undefined {
    const key = this.seedData.personIndex(id);
    return key === undefined ? undefined : this.shape.personRow(key.i, key.s);
  }
  /** Changed seeded people (by row) and created ones (in creation order), deleted ones left out. */
  private readonly changed = new PerVersion(
    () => this.changes,
    () => {
      const seeded: Array<{ row: number; rec: PersonRec }> = [];
      const gone: number[] = [];
      for (const [id, rec] of this.changes.people) {
        const row = this.seededRow(id);
        if (row !== undefined && !this.changes.deletedPeople.has(id)) seeded.push({ row, rec });
      }
      for (const id of this.changes.deletedPeople) {
        const row = this.seededRow(id);
        if (row !== undefined) gone.push(row);
      }
      seeded.sort((a, b) => a.row - b.row);
      const created: PersonRec[] = [];
      for (const id of this.changes.createdPeople) {
        const person = this.changes.people.get(id);
        if (person && !this.changes.deletedPeople.has(id)) created.push(person);
      }
      return { seeded, created, flags: changedFlags(this.count(), [...seeded.map((changed) => changed.row), ...gone]) };
    },
  );
  private readonly walk = new PerVersion(
    () => this.changes,
    (): MergedRows<PersonRec> => {
      const { seeded, created, flags: changed } = this.changed.get();
      const delta: Array<DeltaItem<PersonRec>> = [...seeded.map(({ row, rec }) => ({ at: row, rec })), ...created.map((rec) => ({ at: this.count(), rec }))];
      return { order: undefined, count: this.count(), changed, delta };
    },
  );
  private readonly sorted: Record<PersonOrder, PerVersion<MergedRows<PersonRec>>> = {
    id: this.sortedRows('id'),
    createdon: this.sortedRows('createdon'),
    modifiedon: this.sortedRows('modifiedon'),
  };
  private sortedRows(by: PersonOrder): PerVersion<MergedRows<PersonRec>> {
    return new PerVersion(
      () => this.changes,
      () => {
        const { seeded, created, flags: changed } = this.changed.get();
        const order = this.orders[by].get();
        const ms = by === 'id' ? undefined : this.times[by].get();
        const delta = sortedDelta(order, [...seeded.map((changed) => changed.rec), ...created], {
          recKey: (person) => (by === 'id' ? 0 : Date.parse(by === 'createdon' ? person.createdOn : person.modifiedOn)),
          recId: (person) => person.id,
          rowKey: (row) => (ms ? (ms[row] as number) : 0),
          rowId: (row) => this.guid(row),
        });
        return { order, count: this.count(), changed, delta };
      },
    );
  }

  page<O>(query: PersonQuery, sort: Sort | undefined, paging: Paging, map: (person: PersonRec) => O): Page<O> {
    const by: PersonOrder | undefined = sort ? (dateSortField(sort) ?? 'id') : undefined;
    return mergedPage(
      by ? this.sorted[by].get() : this.walk.get(),
      {
        mask: rowMask(this.count(), personTerms(query), this.columns),
        recMatch: personMatch(query),
        mapRow: (row) => {
          const { i, s } = this.shape.personKey(row);
          return map(this.seedData.person(i, s));
        },
        mapRec: map,
      },
      paging,
      sort?.descending ?? false,
    );
  }
}

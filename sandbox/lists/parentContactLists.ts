// GET /customers/contacts and GET /locations/contacts at any size: every parent's contacts, parent
// by parent in the walk order of customers / locations. Seeded contacts are filtered on cached
// times; the lists set through the API (and those of created parents) are merged in.
import type { SeededOrder } from '../changeFeed';
import { CUSTOMER_BASE, type SeedData } from '../seed';
import type { DateRange } from '../query/dateRange';
import type { Page, Paging } from '../query/paging';
import type { PhoneContactRec } from '../types';
import { Lazy, numbers, rowsByTime, type KeyFn, type RowVisitor } from './columns';
import type { LocationList } from './locationList';
import { changedFlags, mergedPage, type DeltaItem, type MergedRows } from './mergedPage';
import type { ChildRows, SeedShape } from './seedShape';
import { PerVersion, type StoreChanges } from './storeChanges';
import { dateTerms, recordMatch, rowMask, type RecordFields, type RowColumns } from './terms';

/** A customer or location contact with its parent's id. */
export interface ParentContact {
  parentId: number;
  rec: PhoneContactRec;
}

interface ParentContactSource {
  /** Seeded contacts, parent (customer or location row) by parent. */
  rows(): ChildRows;
  /** Visits the seeded contacts with their keys (see RowVisitor). */
  each: RowVisitor;
  createdMs: KeyFn<number>;
  modifiedMs: KeyFn<number>;
  contact(parent: number, slot: number): ParentContact;
  /** The id of a seeded contact (ids grow with the row). */
  id(parent: number, slot: number): number;
  /** The changes in walk order, and the parents whose seeded contacts they replace. */
  changes(): { delta: Array<DeltaItem<ParentContact>>; replaced: number[] };
}

const contactFields: RecordFields<ParentContact, never, never> = {
  text: () => undefined,
  flag: () => false,
  time: (contact, field) => Date.parse(field === 'created' ? contact.rec.createdOn : contact.rec.modifiedOn),
};

class ParentContactList {
  constructor(
    private readonly source: ParentContactSource,
    private readonly changes: StoreChanges,
  ) {}

  private readonly created = new Lazy(() => numbers(this.source.rows().count, this.source.each, this.source.createdMs));
  private readonly modified = new Lazy(() => numbers(this.source.rows().count, this.source.each, this.source.modifiedMs));
  private readonly byModified = new Lazy(() => rowsByTime(this.modified.get()));
  /** The parent (customer index or location row) and the slot of a contact row. */
  private slot(row: number): { parent: number; slot: number } {
    const { owners, starts } = this.source.rows();
    const parent = owners[row] as number;
    return { parent, slot: row - (starts[parent] as number) };
  }
  private readonly walk = new PerVersion(
    () => this.changes,
    (): MergedRows<ParentContact> => {
      const { count, starts } = this.source.rows();
      const { delta, replaced } = this.source.changes();
      const contactRowsOf = (parent: number): number[] => {
        const first = starts[parent] as number;
        return Array.from({ length: (starts[parent + 1] as number) - first }, (_, slot) => first + slot);
      };
      return { order: undefined, count, changed: changedFlags(count, replaced.flatMap(contactRowsOf)), delta };
    },
  );

  private readonly columns: RowColumns<never, never> = {
    text: () => ({ values: [], codes: undefined }),
    flag: () => new Uint8Array(0),
    time: (field) => (field === 'created' ? this.created : this.modified).get(),
  };

  page<O>(dates: DateRange, paging: Paging, map: (contact: ParentContact) => O): Page<O> {
    const terms = dateTerms(dates);
    return mergedPage(
      this.walk.get(),
      {
        mask: rowMask(this.source.rows().count, terms, this.columns),
        recMatch: recordMatch(terms, contactFields),
        mapRow: (row) => {
          const { parent, slot } = this.slot(row);
          return map(this.source.contact(parent, slot));
        },
        mapRec: map,
      },
      paging,
      false,
    );
  }

  /** Seeded contacts by (modifiedOn, id): the seeded part of the contacts export. */
  seededByModified(): SeededOrder<number> {
    const order = this.byModified.get();
    const ms = this.modified.get();
    return {
      count: order.length,
      key: (position) => {
        const { parent, slot } = this.slot(order[position] as number);
        return this.source.id(parent, slot);
      },
      modifiedMs: (position) => ms[order[position] as number] as number,
    };
  }
}

/** Contacts of every customer: seeded customers in id order, then the created ones. */
export function customerContactList(seedData: SeedData, shape: SeedShape, changes: StoreChanges): ParentContactList {
  return new ParentContactList(
    {
      rows: () => shape.customerContacts.get(),
      each: shape.eachCustomerContact,
      createdMs: (i, k) => seedData.customerContactCreatedMs(i, k),
      modifiedMs: (i, k) => seedData.customerContactModifiedMs(i, k),
      contact: (i, k) => ({ parentId: seedData.customerId(i), rec: seedData.customerContact(i, k) }),
      id: (i, k) => seedData.customerContactId(i, k),
      changes: () => {
        const { starts, count } = shape.customerContacts.get();
        const replaced: number[] = [];
        for (const id of changes.customerContacts.keys()) {
          const i = seedData.customerIndex(id);
          if (i !== undefined) replaced.push(i);
        }
        replaced.sort((a, b) => a - b);
        const delta = replaced.flatMap((i) =>
          (changes.customerContacts.get(CUSTOMER_BASE + i) ?? []).map((rec) => ({ at: starts[i] as number, rec: { parentId: CUSTOMER_BASE + i, rec } })),
        );
        for (const id of changes.createdCustomerIds) {
          if (!changes.customers.has(id)) continue;
          for (const rec of changes.customerContacts.get(id) ?? []) delta.push({ at: count, rec: { parentId: id, rec } });
        }
        return { delta, replaced };
      },
    },
    changes,
  );
}

/** Contacts of every location, in the walk order of locations (see LocationList). */
export function locationContactList(seedData: SeedData, shape: SeedShape, locations: LocationList, changes: StoreChanges): ParentContactList {
  return new ParentContactList(
    {
      rows: () => shape.locationContacts.get(),
      each: shape.eachLocationContact,
      createdMs: (i, k, j) => seedData.locationContactCreatedMs(i, k, j),
      modifiedMs: (i, k, j) => seedData.locationContactModifiedMs(i, k, j),
      contact: (locationRow, j) => {
        const { i, k } = shape.locationKey(locationRow);
        return { parentId: seedData.locationId(i, k), rec: seedData.locationContact(i, k, j) };
      },
      id: (locationRow, j) => {
        const { i, k } = shape.locationKey(locationRow);
        return seedData.locationContactId(i, k, j);
      },
      changes: () => {
        const { starts } = shape.locationContacts.get();
        // Keyed like the walk of locations: a seeded location by its row, a created one half a row
        // before the row it goes before (LocationList.walked); the sort is stable, so created
        // locations keep their walk order.
        const keyed: Array<{ key: number; at: number; parentId: number; list: readonly PhoneContactRec[] }> = [];
        const replaced: number[] = [];
        for (const [id, list] of changes.locationContacts) {
          const ix = seedData.locationIndex(id);
          if (ix === undefined) continue;
          const row = shape.locationRow(ix.i, ix.k);
          replaced.push(row);
          keyed.push({ key: row, at: starts[row] as number, parentId: id, list });
        }
        for (const walked of locations.walked.get()) {
          if (walked.row !== undefined) continue;
          const list = changes.locationContacts.get(walked.rec.id) ?? [];
          keyed.push({ key: walked.at - 0.5, at: starts[walked.at] as number, parentId: walked.rec.id, list });
        }
        keyed.sort((a, b) => a.key - b.key);
        const delta = keyed.flatMap((entry) => entry.list.map((rec) => ({ at: entry.at, rec: { parentId: entry.parentId, rec } })));
        return { delta, replaced };
      },
    },
    changes,
  );
}

export type { ParentContactList };

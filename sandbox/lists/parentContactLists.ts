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
export interface ParentContact { parentId: number; rec: PhoneContactRec }

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
  text: () => undefined, flag: () => false,
  time: (c, field) => Date.parse(field === 'created' ? c.rec.createdOn : c.rec.modifiedOn),
};

class ParentContactList {
  constructor(private readonly source: ParentContactSource, private readonly changes: StoreChanges) {}

  private readonly created = new Lazy(() => numbers(this.source.rows().count, this.source.each, this.source.createdMs));
  private readonly modified = new Lazy(() => numbers(this.source.rows().count, this.source.each, this.source.modifiedMs));
  private readonly byModified = new Lazy(() => rowsByTime(this.modified.get()));
  private slot(row: number): { p: number; k: number } {
    const { owners, starts } = this.source.rows();
    const p = owners[row] as number;
    return { p, k: row - (starts[p] as number) };
  }
  private readonly walk = new PerVersion(() => this.changes, (): MergedRows<ParentContact> => {
    const { count, starts } = this.source.rows();
    const { delta, replaced } = this.source.changes();
    const rows = replaced.flatMap((p) => Array.from({ length: (starts[p + 1] as number) - (starts[p] as number) }, (_, k) => (starts[p] as number) + k));
    return { order: undefined, count, changed: changedFlags(count, rows), delta };
  });

  private readonly columns: RowColumns<never, never> = {
    text: () => ({ values: [], codes: undefined }), flag: () => new Uint8Array(0),
    time: (field) => (field === 'created' ? this.created : this.modified).get(),
  };

  page<O>(dates: DateRange, paging: Paging, map: (c: ParentContact) => O): Page<O> {
    const terms = dateTerms(dates);
    return mergedPage(this.walk.get(), {
      mask: rowMask(this.source.rows().count, terms, this.columns),
      recMatch: recordMatch(terms, contactFields),
      mapRow: (r) => { const { p, k } = this.slot(r); return map(this.source.contact(p, k)); },
      mapRec: map,
    }, paging, false);
  }

  /** Seeded contacts by (modifiedOn, id): the seeded part of the contacts export. */
  seededByModified(): SeededOrder<number> {
    const order = this.byModified.get(), ms = this.modified.get();
    return {
      count: order.length,
      key: (pos) => { const { p, k } = this.slot(order[pos] as number); return this.source.id(p, k); },
      modifiedMs: (pos) => ms[order[pos] as number] as number,
    };
  }
}

/** Contacts of every customer: seeded customers in id order, then the created ones. */
export function customerContactList(sd: SeedData, shape: SeedShape, changes: StoreChanges): ParentContactList {
  return new ParentContactList({
    rows: () => shape.customerContacts.get(),
    each: shape.eachCustomerContact,
    createdMs: (i, k) => sd.customerContactCreatedMs(i, k),
    modifiedMs: (i, k) => sd.customerContactModifiedMs(i, k),
    contact: (i, k) => ({ parentId: sd.customerId(i), rec: sd.customerContact(i, k) }),
    id: (i, k) => sd.customerContactId(i, k),
    changes: () => {
      const { starts, count } = shape.customerContacts.get();
      const replaced: number[] = [];
      for (const id of changes.customerContacts.keys()) { const i = sd.customerIndex(id); if (i !== undefined) replaced.push(i); }
      replaced.sort((a, b) => a - b);
      const delta = replaced.flatMap((i) => (changes.customerContacts.get(CUSTOMER_BASE + i) ?? [])
        .map((rec) => ({ at: starts[i] as number, rec: { parentId: CUSTOMER_BASE + i, rec } })));
      for (const id of changes.createdCustomerIds) {
        if (!changes.customers.has(id)) continue;
        for (const rec of changes.customerContacts.get(id) ?? []) delta.push({ at: count, rec: { parentId: id, rec } });
      }
      return { delta, replaced };
    },
  }, changes);
}

/** Contacts of every location, in the walk order of locations (see LocationList). */
export function locationContactList(sd: SeedData, shape: SeedShape, locations: LocationList, changes: StoreChanges): ParentContactList {
  const slot = (row: number): { i: number; k: number } => shape.locationKey(row);
  return new ParentContactList({
    rows: () => shape.locationContacts.get(),
    each: shape.eachLocationContact,
    createdMs: (i, k, j) => sd.locationContactCreatedMs(i, k, j),
    modifiedMs: (i, k, j) => sd.locationContactModifiedMs(i, k, j),
    contact: (r, j) => { const { i, k } = slot(r); return { parentId: sd.locationId(i, k), rec: sd.locationContact(i, k, j) }; },
    id: (r, j) => { const { i, k } = slot(r); return sd.locationContactId(i, k, j); },
    changes: () => {
      const { starts } = shape.locationContacts.get();
      // Keyed like the walk of locations: a seeded location by its row, a created one half a row
      // before the row it goes before (LocationList.walked); the sort is stable, so created
      // locations keep their walk order.
      const keyed: Array<{ key: number; at: number; parentId: number; list: readonly PhoneContactRec[] }> = [];
      const replaced: number[] = [];
      for (const [id, list] of changes.locationContacts) {
        const ix = sd.locationIndex(id);
        if (ix === undefined) continue;
        const row = shape.locationRow(ix.i, ix.k);
        replaced.push(row);
        keyed.push({ key: row, at: starts[row] as number, parentId: id, list });
      }
      for (const w of locations.walked.get()) {
        if (w.row === undefined) keyed.push({ key: w.at - 0.5, at: starts[w.at] as number, parentId: w.rec.id, list: changes.locationContacts.get(w.rec.id) ?? [] });
      }
      keyed.sort((a, b) => a.key - b.key);
      const delta = keyed.flatMap((x) => x.list.map((rec) => ({ at: x.at, rec: { parentId: x.parentId, rec } })));
      return { delta, replaced };
    },
  }, changes);
}

export type { ParentContactList };

// GET /locations at any size. Without a sort, locations walk customer by customer (a customer's
// seeded locations, then the ones created for it); a sort by id is id order (seeded ids grow with
// the row, created ones come after them). Seeded locations are filtered on cached columns;
// changed and created ones are merged in.
import type { SeededOrder } from '../changeFeed';
import type { SeedData } from '../seed';
import { paginate, type Page, type Paging } from '../query/paging';
import { dateSortField, ID_ORDER, sortRows, type DateSortField, type Sort } from '../query/sorting';
import type { LocationRec } from '../types';
import type { AddressColumns } from './addressColumns';
import { flags, Lazy, numbers, rowsByTime, texts, type RowVisitor } from './columns';
import { changedFlags, mergedPage, sortedDelta, type DeltaItem, type MergedRows } from './mergedPage';
import { externalMatch, placeRecordFields, placeTerms, type ExternalDataQuery, type PlaceQuery, type PlaceText } from './placeFilter';
import { recordMatch, rowMask, type RowColumns } from './terms';
import type { SeedShape } from './seedShape';
import { PerVersion, type StoreChanges } from './storeChanges';

export interface LocationQuery extends PlaceQuery {
  ids?: readonly number[] | undefined;
  customerId?: number | undefined;
  external?: ExternalDataQuery | undefined;
}

export interface LocationReads {
  getLocation(id: number): LocationRec | undefined;
  locationIdsOfCustomer(customerId: number): number[];
}

/** A location in the walk that is not an unchanged seeded one: `at` is the seeded row it goes before. */
export interface WalkedLocation {
  at: number;
  rec: LocationRec;
  /** Its seeded row, for a changed seeded location. */ row: number | undefined;
}

export class LocationList {
  constructor(
    private readonly seedData: SeedData,
    private readonly shape: SeedShape,
    private readonly address: AddressColumns,
    private readonly changes: StoreChanges,
    private readonly reads: LocationReads,
  ) {}

  private count(): number {
    return this.shape.locations.get().count;
  }
  /** A column over every seeded row, built on first use. */
  private build<C>(make: (count: number, rows: RowVisitor) => C): Lazy<C> {
    return new Lazy(() => make(this.count(), this.shape.eachLocation));
  }
  private readonly active = this.build((n, rows) => flags(n, rows, (i, k) => this.seedData.locationActive(i, k)));
  private readonly names = this.build((n, rows) => texts(n, rows, (i, k) => this.seedData.locationName(i, k).toLowerCase(), true));
  private readonly created = this.build((n, rows) => numbers(n, rows, (i, k) => this.seedData.locationCreatedMs(i, k)));
  private readonly modified = this.build((n, rows) => numbers(n, rows, (i, k) => this.seedData.locationModifiedMs(i, k)));
  private readonly orders: Record<DateSortField, Lazy<Int32Array>> = {
    createdon: new Lazy(() => rowsByTime(this.created.get())),
    modifiedon: new Lazy(() => rowsByTime(this.modified.get())),
  };
  private readonly columns: RowColumns<PlaceText, 'active'> = {
    text: (field) => (field === 'name' ? this.names.get() : this.address.location(field)),
    flag: () => this.active.get(),
    time: (field) => (field === 'created' ? this.created : this.modified).get(),
  };
  private locationId(row: number): number {
    const { i, k } = this.shape.locationKey(row);
    return this.seedData.locationId(i, k);
  }

  // ---- changes -------------------------------------------------------------------------------
  /**
   * Changed seeded locations and created ones in walk order. A location created for seeded
   * customer i goes after i's seeded locations (before row starts[i+1]); one of a created customer
   * goes at the end, in the order of the created customers.
   */
  readonly walked = new PerVersion(
    () => this.changes,
    (): WalkedLocation[] => {
      const { starts, count } = this.shape.locations.get();
      const keyed: Array<WalkedLocation & { key: number }> = [];
      for (const [id, rec] of this.changes.locations) {
        const key = this.seedData.locationIndex(id);
        if (key === undefined) continue;
        const row = this.shape.locationRow(key.i, key.k);
        keyed.push({ key: row, at: row, rec, row });
      }
      const createdOrder = new Map(this.changes.createdCustomerIds.map((id, position) => [id, position]));
      for (const [customerId, ids] of this.changes.createdLocations) {
        const index = this.seedData.customerIndex(customerId);
        const createdPosition = createdOrder.get(customerId);
        // Half a row before the next customer's first row: after this customer's seeded locations and their changes.
        const place =
          index !== undefined
            ? { key: (starts[index + 1] as number) - 0.5, at: starts[index + 1] as number }
            : createdPosition !== undefined && this.changes.customers.has(customerId)
              ? { key: count + createdPosition, at: count }
              : undefined;
        if (!place) continue;
        for (const id of ids) {
          const rec = this.changes.locations.get(id);
          if (rec) keyed.push({ ...place, rec, row: undefined });
        }
      }
      // Stable: a customer's created locations keep their creation order.
      keyed.sort((a, b) => a.key - b.key);
      return keyed.map(({ at, rec, row }) => ({ at, rec, row }));
    },
  );
  private readonly changedRows = new PerVersion(
    () => this.changes,
    () =>
      changedFlags(
        this.count(),
        this.walked.get().flatMap((walked) => (walked.row === undefined ? [] : [walked.row])),
      ),
  );
  private readonly walk = new PerVersion(
    () => this.changes,
    (): MergedRows<LocationRec> => ({
      order: undefined,
      count: this.count(),
      changed: this.changedRows.get(),
      delta: this.walked.get().map(({ at, rec }): DeltaItem<LocationRec> => ({ at, rec })),
    }),
  );
  /** Id order: changed seeded locations in their place, created ones after every seeded id, by id. */
  private readonly byId = new PerVersion(
    () => this.changes,
    (): MergedRows<LocationRec> => {
      const walked = this.walked.get();
      const seeded = walked.filter((location) => location.row !== undefined).map(({ at, rec }) => ({ at, rec }));
      const created = walked
        .filter((location) => location.row === undefined)
        .map((location) => location.rec)
        .sort((a, b) => a.id - b.id);
      const delta = [...seeded, ...created.map((rec) => ({ at: this.count(), rec }))];
      return { order: undefined, count: this.count(), changed: this.changedRows.get(), delta };
    },
  );
  private readonly sorted: Record<DateSortField, PerVersion<MergedRows<LocationRec>>> = {
    createdon: this.sortedRows('createdon', () => this.created.get()),
    modifiedon: this.sortedRows('modifiedon', () => this.modified.get()),
  };
  private sortedRows(field: DateSortField, times: () => Float64Array): PerVersion<MergedRows<LocationRec>> {
    return new PerVersion(
      () => this.changes,
      () => {
        const order = this.orders[field].get();
        const ms = times();
        const delta = sortedDelta(
          order,
          this.walked.get().map((walked) => walked.rec),
          {
            recKey: (location) => Date.parse(field === 'createdon' ? location.createdOn : location.modifiedOn),
            recId: (location) => location.id,
            rowKey: (row) => ms[row] as number,
            rowId: (row) => this.locationId(row),
          },
        );
        return { order, count: this.count(), changed: this.changedRows.get(), delta };
      },
    );
  }

  /** Seeded locations by (modifiedOn, id): the seeded part of the locations export. */
  seededByModified(): SeededOrder<number> {
    const order = this.orders.modifiedon.get();
    const ms = this.modified.get();
    return {
      count: this.count(),
      key: (position) => this.locationId(order[position] as number),
      modifiedMs: (position) => ms[order[position] as number] as number,
    };
  }

  // ---- the list ------------------------------------------------------------------------------
  private recordMatch(query: LocationQuery): (location: LocationRec) => boolean {
    const place = recordMatch(placeTerms(query), placeRecordFields);
    const { external, customerId } = query;
    return (location) =>
      place(location) &&
      (customerId === undefined || location.customerId === customerId) &&
      (external === undefined || externalMatch(external, location.externalData));
  }

  page<O>(query: LocationQuery, sort: Sort | undefined, paging: Paging, map: (location: LocationRec) => O): Page<O> {
    const match = this.recordMatch(query);
    // An id list or one customer names few locations: filter and sort their records.
    const ids = query.ids ? [...new Set(query.ids)] : query.customerId !== undefined ? this.reads.locationIdsOfCustomer(query.customerId) : undefined;
    if (ids) {
      const few = ids.map((id) => this.reads.getLocation(id)).filter((location): location is LocationRec => location !== undefined);
      return paginate(sortRows(few.filter(match), sort ?? ID_ORDER), paging, map);
    }
    const field = sort ? dateSortField(sort) : undefined;
    const rows = field ? this.sorted[field].get() : sort ? this.byId.get() : this.walk.get();
    return mergedPage(
      rows,
      {
        // Seeded locations have no external data.
        mask: query.external ? 'none' : rowMask(this.count(), placeTerms(query), this.columns),
        recMatch: match,
        mapRow: (row) => {
          const { i, k } = this.shape.locationKey(row);
          return map(this.seedData.location(i, k));
        },
        mapRec: map,
      },
      paging,
      sort?.descending ?? false,
    );
  }
}

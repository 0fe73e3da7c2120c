// GET /customers at any size: seeded customers are filtered on cached columns and sorted through
// permutations built once; customers changed or created through the API are merged in.
import type { SeededOrder } from '../changeFeed';
import { CUSTOMER_BASE, type SeedData } from '../seed';
import { phoneKey, samePhone } from '../query/contactValues';
import { paginate, type Page, type Paging } from '../query/paging';
import { dateSortField, ID_ORDER, sortRows, type DateSortField, type Sort } from '../query/sorting';
import type { CustomerRec, PhoneContactRec } from '../types';
import type { AddressColumns } from './addressColumns';
import { flags, HashIndex, Lazy, numbers, rowsByTime, texts } from './columns';
import { changedFlags, mergedPage, sortedDelta, type DeltaItem, type MergedRows } from './mergedPage';
import { externalMatch, placeRecordFields, placeTerms, type ExternalDataQuery, type PlaceQuery, type PlaceText } from './placeFilter';
import { recordMatch, rowMask, type RowColumns } from './terms';
import type { SeedShape } from './seedShape';
import { PerVersion, type StoreChanges } from './storeChanges';

export interface CustomerQuery extends PlaceQuery {
  ids?: readonly number[] | undefined;
  /** Customers with a phone contact (not an e-mail) equal to this one, on digits. */
  phone?: string | undefined;
  external?: ExternalDataQuery | undefined;
}

/** What the customer list reads of the store. */
export interface CustomerReads {
  getCustomer(id: number): CustomerRec | undefined;
  customerContacts(customerId: number): readonly PhoneContactRec[];
}

export class CustomerList {
  /** Seeded customers. */
  private readonly count: number;
  constructor(
    private readonly seedData: SeedData,
    private readonly shape: SeedShape,
    private readonly address: AddressColumns,
    private readonly changes: StoreChanges,
    private readonly reads: CustomerReads,
  ) {
    this.count = seedData.count;
  }

  // ---- seeded columns ------------------------------------------------------------------------
  private readonly active = new Lazy(() => flags(this.count, this.shape.eachCustomer, (i) => this.seedData.isActive(i)));
  private readonly names = new Lazy(() => texts(this.count, this.shape.eachCustomer, (i) => this.seedData.customerName(i).toLowerCase(), true));
  private readonly created = new Lazy(() => numbers(this.count, this.shape.eachCustomer, (i) => this.seedData.customerCreatedMs(i)));
  private readonly modified = new Lazy(() => numbers(this.count, this.shape.eachCustomer, (i) => this.seedData.customerModifiedMs(i)));
  private readonly orders: Record<DateSortField, Lazy<Int32Array>> = {
    createdon: new Lazy(() => rowsByTime(this.created.get())),
    modifiedon: new Lazy(() => rowsByTime(this.modified.get())),
  };
  /** Seeded customer contacts that are phones, by phone key. */
  private readonly phones = new Lazy(
    () =>
      new HashIndex(this.shape.customerContacts.get().count, this.shape.eachCustomerContact, (i, k) =>
        this.seedData.customerContactType(i, k) === 'Email' ? undefined : phoneKey(this.seedData.customerContactPhone(i, k)),
      ),
  );
  private readonly columns: RowColumns<PlaceText, 'active'> = {
    text: (field) => (field === 'name' ? this.names.get() : this.address.customer(field)),
    flag: () => this.active.get(),
    time: (field) => (field === 'created' ? this.created : this.modified).get(),
  };

  // ---- changes -------------------------------------------------------------------------------
  /** Changed seeded customers (ascending) and created ones (in creation order), as the walk meets them. */
  private readonly changed = new PerVersion(
    () => this.changes,
    () => {
      const seeded: CustomerRec[] = [];
      for (const [id, rec] of this.changes.customers) if (this.seedData.customerIndex(id) !== undefined) seeded.push(rec);
      seeded.sort((a, b) => a.id - b.id);
      const created: CustomerRec[] = [];
      for (const id of this.changes.createdCustomerIds) {
        const customer = this.changes.customers.get(id);
        if (customer) created.push(customer);
      }
      return {
        seeded,
        created,
        flags: changedFlags(
          this.count,
          seeded.map((customer) => customer.id - CUSTOMER_BASE),
        ),
      };
    },
  );
  private readonly walk = new PerVersion(
    () => this.changes,
    (): MergedRows<CustomerRec> => {
      const { seeded, created, flags: changed } = this.changed.get();
      const delta: Array<DeltaItem<CustomerRec>> = [
        ...seeded.map((rec) => ({ at: rec.id - CUSTOMER_BASE, rec })),
        ...created.map((rec) => ({ at: this.count, rec })),
      ];
      return { order: undefined, count: this.count, changed, delta };
    },
  );
  private readonly sorted: Record<DateSortField, PerVersion<MergedRows<CustomerRec>>> = {
    createdon: this.sortedRows('createdon', () => this.created.get()),
    modifiedon: this.sortedRows('modifiedon', () => this.modified.get()),
  };
  private sortedRows(field: DateSortField, times: () => Float64Array): PerVersion<MergedRows<CustomerRec>> {
    return new PerVersion(
      () => this.changes,
      () => {
        const { seeded, created, flags: changed } = this.changed.get();
        const order = this.orders[field].get();
        const ms = times();
        const delta = sortedDelta(order, [...seeded, ...created], {
          recKey: (customer) => Date.parse(field === 'createdon' ? customer.createdOn : customer.modifiedOn),
          recId: (customer) => customer.id,
          rowKey: (i) => ms[i] as number,
          rowId: (i) => CUSTOMER_BASE + i,
        });
        return { order, count: this.count, changed, delta };
      },
    );
  }

  /** Seeded customers by (modifiedOn, id): the seeded part of the customers export. */
  seededByModified(): SeededOrder<number> {
    const order = this.orders.modifiedon.get();
    const ms = this.modified.get();
    return {
      count: this.count,
      key: (position) => CUSTOMER_BASE + (order[position] as number),
      modifiedMs: (position) => ms[order[position] as number] as number,
    };
  }

  // ---- the list ------------------------------------------------------------------------------
  /** Whether a customer record matches (changed and created customers, and the small-set paths). */
  private recordMatch(query: CustomerQuery): (customer: CustomerRec) => boolean {
    const place = recordMatch(placeTerms(query), placeRecordFields);
    const { external, phone } = query;
    return (customer) =>
      place(customer) &&
      (external === undefined || externalMatch(external, customer.externalData)) &&
      (phone === undefined || this.reads.customerContacts(customer.id).some((contact) => contact.type !== 'Email' && samePhone(contact.value, phone)));
  }

  /** Customers whose contacts may hold `phone`: seeded ones from the phone index, and every customer whose contacts were set through the API. */
  private phoneCandidates(phone: string): CustomerRec[] {
    const key = phoneKey(phone);
    const ids = new Set<number>();
    if (key !== '') {
      const { owners } = this.shape.customerContacts.get();
      for (const row of this.phones.get().candidates(key)) {
        const id = CUSTOMER_BASE + (owners[row] as number);
        if (!this.changes.customerContacts.has(id)) ids.add(id);
      }
    }
    for (const id of this.changes.customerContacts.keys()) ids.add(id);
    return [...ids].map((id) => this.reads.getCustomer(id)).filter((customer): customer is CustomerRec => customer !== undefined);
  }

  page<O>(query: CustomerQuery, sort: Sort | undefined, paging: Paging, map: (customer: CustomerRec) => O): Page<O> {
    const match = this.recordMatch(query);
    // An id list or a phone names few customers: filter and sort their records.
    const few = query.ids
      ? [...new Set(query.ids)].map((id) => this.reads.getCustomer(id)).filter((customer): customer is CustomerRec => customer !== undefined)
      : query.phone !== undefined
        ? this.phoneCandidates(query.phone)
        : undefined;
    if (few) return paginate(sortRows(few.filter(match), sort ?? ID_ORDER), paging, map);
    const field = sort ? dateSortField(sort) : undefined;
    // Customers walk in id order, so a sort by id is the walk.
    const rows = field ? this.sorted[field].get() : this.walk.get();
    return mergedPage(
      rows,
      {
        // Seeded customers have no external data.
        mask: query.external ? 'none' : rowMask(this.count, placeTerms(query), this.columns),
        recMatch: match,
        mapRow: (i) => map(this.seedData.customer(i)),
        mapRec: map,
      },
      paging,
      sort?.descending ?? false,
    );
  }
}

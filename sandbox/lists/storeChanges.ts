// What the lists read of the store's changes: the records the API changed or created, as the
// store keeps them (live, read-only). `version()` moves on every change, so anything derived
// from the rest can be cached until it does.
import type { CustomerRec, LocationRec, MethodRec, PersonRec, PhoneContactRec } from '../types';

export interface StoreChanges {
  /** Moves on every change of what follows. */
  version(): number;
  /** Changed seeded customers and created ones, by id. */
  readonly customers: ReadonlyMap<number, CustomerRec>;
  /** Created customers in creation (= id) order. */
  readonly createdCustomerIds: readonly number[];
  /** Changed seeded locations and created ones, by id. */
  readonly locations: ReadonlyMap<number, LocationRec>;
  /** Created locations by customer id, in creation order. */
  readonly createdLocations: ReadonlyMap<number, readonly number[]>;
  /** Contact lists set through the API, by customer / location id (they replace the seeded ones). */
  readonly customerContacts: ReadonlyMap<number, readonly PhoneContactRec[]>;
  readonly locationContacts: ReadonlyMap<number, readonly PhoneContactRec[]>;
  /** Changed seeded people and created ones (deleted ones are not here), by GUID. */
  readonly people: ReadonlyMap<string, PersonRec>;
  /** Created people in creation order (deleted ones removed). */
  readonly createdPeople: readonly string[];
  readonly deletedPeople: ReadonlySet<string>;
  /** Contact method lists set through the API, by person GUID (they replace the seeded ones). */
  readonly methods: ReadonlyMap<string, readonly MethodRec[]>;
}

/** A value derived from the changes, rebuilt when their version moves. */
export class PerVersion<T> {
  private version = -1;
  private value: T | undefined;
  constructor(
    private readonly changes: () => StoreChanges,
    private readonly make: () => T,
  ) {}
  get(): T {
    const version = this.changes().version();
    if (this.value === undefined || this.version !== version) {
      this.value = this.make();
      this.version = version;
    }
    return this.value;
  }
}

// How the seeded rows of each kind are numbered: children parent by parent (customer i's
// locations, then customer i+1's; person (i, s)'s methods, then the next person's), so that row
// order is id order for int64 ids and walk order for everything. Built on first use.
import type { SeedData } from '../seed';
import { childStarts, Lazy, type RowVisitor } from './columns';

/** Rows of one kind: `starts[p]` is parent p's first row, `owners[row]` the row's parent. */
export interface ChildRows {
  starts: Int32Array;
  owners: Int32Array;
  count: number;
}

function childRows(parents: number, countOf: (parent: number) => number): ChildRows {
  const starts = childStarts(parents, countOf);
  const count = starts[parents] as number;
  const owners = new Int32Array(count);
  for (let parent = 0; parent < parents; parent++) owners.fill(parent, starts[parent], starts[parent + 1]);
  return { starts, owners, count };
}

/** Visits the rows of `rows` parent by parent, with each row's parent and its slot there. */
function eachChild(rows: ChildRows, parents: number, visit: (row: number, parent: number, slot: number) => void): void {
  const { starts } = rows;
  for (let parent = 0; parent < parents; parent++) {
    const first = starts[parent] as number;
    const end = starts[parent + 1] as number;
    for (let row = first; row < end; row++) visit(row, parent, row - first);
  }
}

export class SeedShape {
  constructor(readonly seedData: SeedData) {}
  /** Locations by customer. */
  readonly locations = new Lazy(() => childRows(this.seedData.count, (i) => this.seedData.locationCount(i)));
  /** People by customer. */
  readonly people = new Lazy(() => childRows(this.seedData.count, (i) => this.seedData.peopleCount(i)));
  /** Contact methods by person row. */
  readonly methods = new Lazy(() => {
    const people = this.people.get();
    return childRows(people.count, (personRow) => {
      const i = people.owners[personRow] as number;
      return this.seedData.methodCount(i, personRow - (people.starts[i] as number));
    });
  });
  /** Customer contacts by customer. */
  readonly customerContacts = new Lazy(() => childRows(this.seedData.count, (i) => this.seedData.customerContactCount(i)));
  /** Location contacts by location row. */
  readonly locationContacts = new Lazy(() => {
    const locations = this.locations.get();
    return childRows(locations.count, (locationRow) => {
      const i = locations.owners[locationRow] as number;
      return this.seedData.locationContactCount(i, locationRow - (locations.starts[i] as number));
    });
  });

  // Row visitors (see RowVisitor): every seeded row of a kind, in row order, with its key.
  readonly eachCustomer: RowVisitor = (visit) => {
    for (let i = 0; i < this.seedData.count; i++) visit(i, i, 0, 0);
  };
  readonly eachLocation: RowVisitor = (visit) => eachChild(this.locations.get(), this.seedData.count, (row, i, k) => visit(row, i, k, 0));
  readonly eachPerson: RowVisitor = (visit) => eachChild(this.people.get(), this.seedData.count, (row, i, s) => visit(row, i, s, 0));
  readonly eachCustomerContact: RowVisitor = (visit) => eachChild(this.customerContacts.get(), this.seedData.count, (row, i, k) => visit(row, i, k, 0));
  readonly eachMethod: RowVisitor = (visit) => {
    const methods = this.methods.get();
    this.eachPerson((personRow, i, s) => {
      const first = methods.starts[personRow] as number;
      const end = methods.starts[personRow + 1] as number;
      for (let row = first; row < end; row++) visit(row, i, s, row - first);
    });
  };
  readonly eachLocationContact: RowVisitor = (visit) => {
    const contacts = this.locationContacts.get();
    this.eachLocation((locationRow, i, k) => {
      const first = contacts.starts[locationRow] as number;
      const end = contacts.starts[locationRow + 1] as number;
      for (let row = first; row < end; row++) visit(row, i, k, row - first);
    });
  };

  /** Customer index and location slot of a location row. */
  locationKey(row: number): { i: number; k: number } {
    const { starts, owners } = this.locations.get();
    const i = owners[row] as number;
    return { i, k: row - (starts[i] as number) };
  }
  personKey(row: number): { i: number; s: number } {
    const { starts, owners } = this.people.get();
    const i = owners[row] as number;
    return { i, s: row - (starts[i] as number) };
  }
  /** Person row and method slot of a method row. */
  methodKey(row: number): { personRow: number; m: number } {
    const { starts, owners } = this.methods.get();
    const personRow = owners[row] as number;
    return { personRow, m: row - (starts[personRow] as number) };
  }
  personRow(i: number, s: number): number {
    return (this.people.get().starts[i] as number) + s;
  }
  locationRow(i: number, k: number): number {
    return (this.locations.get().starts[i] as number) + k;
  }
}

// How the seeded rows of each kind are numbered: children parent by parent (customer i's
// locations, then customer i+1's; person (i, s)'s methods, then the next person's), so that row
// order is id order for int64 ids and walk order for everything. Built on first use.
import type { SeedData } from '../seed';
import { childStarts, Lazy, type RowVisitor } from './columns';

/** Rows of one kind: `starts[p]` is parent p's first row, `owners[row]` the row's parent. */
export interface ChildRows { starts: Int32Array; owners: Int32Array; count: number }

function childRows(parents: number, countOf: (p: number) => number): ChildRows {
  const starts = childStarts(parents, countOf);
  const count = starts[parents] as number;
  const owners = new Int32Array(count);
  for (let p = 0; p < parents; p++) owners.fill(p, starts[p], starts[p + 1]);
  return { starts, owners, count };
}

function eachChild(rows: ChildRows, parents: number, visit: (row: number, parent: number, slot: number) => void): void {
  const { starts } = rows;
  for (let p = 0; p < parents; p++) for (let row = starts[p] as number; row < (starts[p + 1] as number); row++) visit(row, p, row - (starts[p] as number));
}

export class SeedShape {
  constructor(readonly sd: SeedData) {}
  /** Locations by customer. */
  readonly locations = new Lazy(() => childRows(this.sd.count, (i) => this.sd.locationCount(i)));
  /** People by customer. */
  readonly people = new Lazy(() => childRows(this.sd.count, (i) => this.sd.peopleCount(i)));
  /** Contact methods by person row. */
  readonly methods = new Lazy(() => {
    const people = this.people.get();
    return childRows(people.count, (p) => { const i = people.owners[p] as number; return this.sd.methodCount(i, p - (people.starts[i] as number)); });
  });
  /** Customer contacts by customer. */
  readonly customerContacts = new Lazy(() => childRows(this.sd.count, (i) => this.sd.customerContactCount(i)));
  /** Location contacts by location row. */
  readonly locationContacts = new Lazy(() => {
    const locations = this.locations.get();
    return childRows(locations.count, (r) => { const i = locations.owners[r] as number; return this.sd.locationContactCount(i, r - (locations.starts[i] as number)); });
  });

  // Row visitors (see RowVisitor): every seeded row of a kind, in row order, with its key.
  readonly eachCustomer: RowVisitor = (visit) => { for (let i = 0; i < this.sd.count; i++) visit(i, i, 0, 0); };
  readonly eachLocation: RowVisitor = (visit) => eachChild(this.locations.get(), this.sd.count, (row, i, k) => visit(row, i, k, 0));
  readonly eachPerson: RowVisitor = (visit) => eachChild(this.people.get(), this.sd.count, (row, i, s) => visit(row, i, s, 0));
  readonly eachCustomerContact: RowVisitor = (visit) => eachChild(this.customerContacts.get(), this.sd.count, (row, i, k) => visit(row, i, k, 0));
  readonly eachMethod: RowVisitor = (visit) => {
    const methods = this.methods.get();
    this.eachPerson((p, i, s) => { for (let row = methods.starts[p] as number; row < (methods.starts[p + 1] as number); row++) visit(row, i, s, row - (methods.starts[p] as number)); });
  };
  readonly eachLocationContact: RowVisitor = (visit) => {
    const contacts = this.locationContacts.get();
    this.eachLocation((l, i, k) => { for (let row = contacts.starts[l] as number; row < (contacts.starts[l + 1] as number); row++) visit(row, i, k, row - (contacts.starts[l] as number)); });
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
  methodKey(row: number): { p: number; m: number } {
    const { starts, owners } = this.methods.get();
    const p = owners[row] as number;
    return { p, m: row - (starts[p] as number) };
  }
  personRow(i: number, s: number): number { return (this.people.get().starts[i] as number) + s; }
  locationRow(i: number, k: number): number { return (this.locations.get().starts[i] as number) + k; }
}

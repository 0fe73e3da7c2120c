// The store's large lists, built over one SeedShape so that they share its row numbering and
// the address columns customers and locations have in common.
import type { SeedData } from '../seed';
import { AddressColumns } from './addressColumns';
import { CustomerList, type CustomerReads } from './customerList';
import { LocationList, type LocationReads } from './locationList';
import { MethodList } from './methodList';
import { customerContactList, locationContactList, type ParentContactList } from './parentContactLists';
import { PeopleList } from './peopleList';
import { SeedShape } from './seedShape';
import type { StoreChanges } from './storeChanges';

export class StoreLists {
  readonly customers: CustomerList;
  readonly locations: LocationList;
  readonly people: PeopleList;
  readonly methods: MethodList;
  readonly customerContacts: ParentContactList;
  readonly locationContacts: ParentContactList;

  constructor(seedData: SeedData, changes: StoreChanges, reads: CustomerReads & LocationReads) {
    const shape = new SeedShape(seedData);
    const address = new AddressColumns(seedData, shape);
    this.customers = new CustomerList(seedData, shape, address, changes, reads);
    this.locations = new LocationList(seedData, shape, address, changes, reads);
    this.people = new PeopleList(seedData, shape, changes);
    this.methods = new MethodList(seedData, shape, this.people, changes);
    this.customerContacts = customerContactList(seedData, shape, changes);
    this.locationContacts = locationContactList(seedData, shape, this.locations, changes);
  }
}

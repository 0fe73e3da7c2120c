// Lower-case address fields of every seeded address, by location row. Customer i's address is
// its first location's (row starts[i]), so the customer columns read the location columns.
import { SEEDED_CITIES, type SeedData } from '../seed';
import { Lazy, texts, textsVia, type TextColumn } from './columns';
import type { PlaceText } from './placeFilter';
import type { SeedShape } from './seedShape';

export type AddressText = Exclude<PlaceText, 'name'>;

const CITY = SEEDED_CITIES.map((place) => place.city.toLowerCase());
const STATE = SEEDED_CITIES.map((place) => place.state.toLowerCase());

export class AddressColumns {
  constructor(
    private readonly seedData: SeedData,
    private readonly shape: SeedShape,
  ) {}

  private byLocation(at: (i: number, k: number) => string, dictionary = true): Lazy<TextColumn> {
    return new Lazy(() => texts(this.shape.locations.get().count, this.shape.eachLocation, at, dictionary));
  }
  private readonly locationColumns: Record<AddressText, Lazy<TextColumn>> = {
    // Streets hardly repeat: a dictionary would cost more than it saves.
    street: this.byLocation((i, k) => this.seedData.street(i, k).toLowerCase(), false),
    unit: this.byLocation((i, k) => (this.seedData.unit(i, k) ?? '').toLowerCase()),
    city: this.byLocation((i, k) => CITY[this.seedData.cityIndex(i, k)] as string),
    state: this.byLocation((i, k) => STATE[this.seedData.cityIndex(i, k)] as string),
    zip: this.byLocation((i, k) => this.seedData.zip(i, k)),
    country: this.byLocation(() => 'usa'),
    latitude: this.byLocation((i, k) => String(this.seedData.latitude(i, k)), false),
    longitude: this.byLocation((i, k) => String(this.seedData.longitude(i, k)), false),
  };
  private readonly customerColumns = Object.fromEntries(
    (Object.keys(this.locationColumns) as AddressText[]).map((field) => [
      field,
      new Lazy(() => textsVia(this.locationColumns[field].get(), this.shape.locations.get().starts, this.seedData.count)),
    ]),
  ) as Record<AddressText, Lazy<TextColumn>>;

  /** A field of every seeded location, by location row. */
  location(field: AddressText): TextColumn {
    return this.locationColumns[field].get();
  }
  /** A field of every seeded customer, by customer index (customer i's address is its first location's). */
  customer(field: AddressText): TextColumn {
    return this.customerColumns[field].get();
  }
}

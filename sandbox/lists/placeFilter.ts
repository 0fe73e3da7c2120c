// The filters customers and locations share (active, name, address, dates) as terms, and how a
// customer or location record reads its fields. Text is read lower-case: `name`, `street` and
// `city` match substrings, the other address fields whole values, ignoring case.
import type { DateRange } from '../query/dateRange';
import type { Address, StoredExternalData } from '../types';
import { dateTerms, type RecordFields, type Term } from './terms';

export type PlaceText = 'name' | 'street' | 'unit' | 'city' | 'state' | 'zip' | 'country' | 'latitude' | 'longitude';
export type PlaceTerm = Term<PlaceText, 'active'>;

export interface PlaceQuery {
  /** 'True' (the default), 'False' or 'Any'. */
  active: string;
  name?: string | undefined;
  street?: string | undefined;
  unit?: string | undefined;
  city?: string | undefined;
  state?: string | undefined;
  zip?: string | undefined;
  country?: string | undefined;
  /** Coordinates match exactly, compared as the numbers' shortest text (34.1425 = 34.14250). */
  latitude?: number | undefined;
  longitude?: number | undefined;
  dates: DateRange;
}

const CONTAINS = ['name', 'street', 'city'] as const;
const EQUALS = ['unit', 'state', 'zip', 'country'] as const;
const COORDINATES = ['latitude', 'longitude'] as const;

export function placeTerms(query: PlaceQuery): PlaceTerm[] {
  const out: PlaceTerm[] = [];
  if (query.active === 'True' || query.active === 'False') out.push({ kind: 'flag', field: 'active', value: query.active === 'True' });
  for (const field of CONTAINS) {
    const value = query[field];
    if (value !== undefined) out.push({ kind: 'contains', field, value: value.toLowerCase() });
  }
  for (const field of EQUALS) {
    const value = query[field];
    if (value !== undefined) out.push({ kind: 'equals', field, value: value.toLowerCase() });
  }
  for (const field of COORDINATES) {
    const value = query[field];
    if (value !== undefined) out.push({ kind: 'equals', field, value: String(value) });
  }
  out.push(...dateTerms(query.dates));
  return out;
}

type PlaceRec = { active: boolean; name: string; address: Address; createdOn: string; modifiedOn: string };
export const placeRecordFields: RecordFields<PlaceRec, PlaceText, 'active'> = {
  text: (place, field) => String(field === 'name' ? place.name : (place.address[field] ?? '')).toLowerCase(),
  flag: (place) => place.active,
  time: (place, field) => Date.parse(field === 'created' ? place.createdOn : place.modifiedOn),
};

/** The external data filter of customers and locations (customers must name the application). */
export interface ExternalDataQuery {
  appGuid: string | undefined;
  key: string;
  values: readonly string[];
}

/** An entry under the key with one of the values, written by the application when one is given. */
export function externalMatch(query: ExternalDataQuery, data: readonly StoredExternalData[]): boolean {
  return data.some(
    (entry) => (query.appGuid === undefined || entry.applicationGuid === query.appGuid) && entry.key === query.key && query.values.includes(entry.value),
  );
}

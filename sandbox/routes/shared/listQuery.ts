// Readers of the bound query values the lists share: paging, the date range, the external data
// filter and the place filter of customers and locations.
import type { Bound } from '../../binding';
import { addError, badRequest, type ErrorMap } from '../../errors';
import type { ExternalDataQuery, PlaceQuery } from '../../lists/placeFilter';
import type { DateRange } from '../../query/dateRange';
import type { Paging } from '../../query/paging';

/** page (default 1), pageSize (default 50; the 1..5000 range is checked by binding) and includeTotal. */
export function readPaging(query: Bound): Paging {
  return { page: query.num('page') ?? 1, pageSize: query.num('pageSize') ?? 50, includeTotal: query.bool('includeTotal') ?? false };
}

/** The bound date-range parameters (binding turns date-time query values into ms). */
export function readDateRange(query: Bound): DateRange {
  const range: DateRange = {};
  const createdBefore = query.num('createdBefore');
  if (createdBefore !== undefined) range.createdBefore = createdBefore;
  const createdOnOrAfter = query.num('createdOnOrAfter');
  if (createdOnOrAfter !== undefined) range.createdOnOrAfter = createdOnOrAfter;
  const modifiedBefore = query.num('modifiedBefore');
  if (modifiedBefore !== undefined) range.modifiedBefore = modifiedBefore;
  const modifiedOnOrAfter = query.num('modifiedOnOrAfter');
  if (modifiedOnOrAfter !== undefined) range.modifiedOnOrAfter = modifiedOnOrAfter;
  return range;
}

/** The name, address, coordinates, active state (default 'True') and date range customers and locations are filtered by. */
export function readPlaceQuery(query: Bound): PlaceQuery {
  return {
    name: query.str('name'),
    street: query.str('street'),
    unit: query.str('unit'),
    city: query.str('city'),
    state: query.str('state'),
    zip: query.str('zip'),
    country: query.str('country'),
    latitude: query.num('latitude'),
    longitude: query.num('longitude'),
    active: query.str('active') ?? 'True',
    dates: readDateRange(query),
  };
}

/** The external data filter of a customer or location list, and the application GUID the response shows external data of. */
export interface ExternalDataFilter {
  appGuid: string | undefined;
  external: ExternalDataQuery | undefined;
}

/**
 * Reads externalDataApplicationGuid, externalDataKey and externalDataValues, with the rules across
 * them reported under the document's keys (a 400). Customers must name the application when
 * they filter (`requireGuid`); locations need not.
 */
export function readExternalDataFilter(query: Bound, requireGuid: boolean): ExternalDataFilter {
  const appGuid = query.str('externalDataApplicationGuid');
  const key = query.str('externalDataKey');
  const values = query
    .str('externalDataValues')
    ?.split(',')
    .map((value) => value.trim());
  const errors: ErrorMap = {};
  if ((key === undefined) !== (values === undefined)) {
    addError(errors, 'ExternalDataKey', "'externalDataKey' and 'externalDataValues' must be provided together.");
  }
  if (requireGuid && key !== undefined && appGuid === undefined) {
    addError(errors, 'ExternalDataApplicationGuid', "'externalDataApplicationGuid' is required when filtering by external data.");
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  const external = key !== undefined && values !== undefined ? { appGuid, key, values } : undefined;
  return { appGuid, external };
}

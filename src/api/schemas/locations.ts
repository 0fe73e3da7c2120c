/** Locations (read only here) and location contacts (`Crm.V2.Locations.*`, `Crm.V2.LocationContact*`). */
import * as z from 'zod';
import {
  activeFilter,
  addressResponse,
    contactType,
  customFieldModel,
  dateTime,
  dateTimeFilter,
  externalDataModel,
  guid,
  idListQuery,
  int64,
  int64Id,
  optionalField,
  pageQueryFields,
  phoneSettings,
  SORT_FIELDS,
  sortQuery,
  stringListQuery,
  withContactValueCheck,
} from './common';

/** `Crm.V2.Locations.LocationResponse`. */
export const locationResponse = z.looseObject({
  id: int64,
  customerId: int64,
  active: z.boolean(),
  name: z.string(),
  address: addressResponse,
  customFields: z.array(customFieldModel),
  createdOn: dateTime,
  createdById: int64,
  modifiedOn: dateTime,
  mergedToId: optionalField(int64),
  zoneId: optionalField(int64),
  tagTypeIds: z.array(int64),
  // Required in the spec, but the live API sends null unless the query names an application GUID.
  externalData: optionalField(z.array(externalDataModel)),
  taxZoneId: optionalField(int64),
});
export type Location = z.infer<typeof locationResponse>;

/** Query of `Locations_GetList` (GET /locations). */
export const listLocationsQuery = z.strictObject({
  ids: idListQuery(50),
  name: z.string().optional(),
  customerId: int64Id.optional(),
  street: z.string().optional(),
  unit: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  active: activeFilter.optional(),
  ...pageQueryFields,
  sort: sortQuery(SORT_FIELDS),
  createdBefore: dateTimeFilter.optional(),
  createdOnOrAfter: dateTimeFilter.optional(),
  modifiedBefore: dateTimeFilter.optional(),
  modifiedOnOrAfter: dateTimeFilter.optional(),
  externalDataApplicationGuid: guid.optional(),
  externalDataKey: z.string().optional(),
  externalDataValues: stringListQuery,
});
export type ListLocationsQuery = z.input<typeof listLocationsQuery>;

/** `Crm.V2.Locations.LocationContact` (inside a created customer's locations). */
export const locationContactItem = z.looseObject({
  id: int64,
  type: contactType,
  value: z.string(),
  memo: optionalField(z.string()),
});

/** `Crm.V2.LocationContactResponse`. */
export const locationContactResponse = z.looseObject({
  id: int64,
  type: contactType,
  value: z.string(),
  memo: optionalField(z.string()),
  // Required in the spec, but only phone-like contacts have phone settings; e-mail ones get null.
  phoneSettings: optionalField(phoneSettings),
  modifiedOn: dateTime,
  createdOn: dateTime,
});
export type LocationContact = z.infer<typeof locationContactResponse>;

/** `Crm.V2.LocationContactCreateRequest` (Locations_CreateContact). */
export const createLocationContactRequest = z.strictObject({
  type: contactType,
  value: z.string({ error: 'Enter the phone number, email address or fax number.' }),
  memo: z.string().optional(),
});
export type CreateLocationContactRequest = z.infer<typeof createLocationContactRequest>;

export const createLocationContactRequestChecked = withContactValueCheck(createLocationContactRequest);

/** `Crm.V2.LocationContactUpdateRequest` (PATCH). */
export const updateLocationContactRequest = z.strictObject({
  type: contactType.optional(),
  value: z.string().optional(),
  memo: z.string().optional(),
});
export type UpdateLocationContactRequest = z.infer<typeof updateLocationContactRequest>;

export const updateLocationContactRequestChecked = withContactValueCheck(updateLocationContactRequest);

/** Query of `Locations_GetContactList`. */
export const listLocationContactsQuery = z.strictObject({ ...pageQueryFields });
export type ListLocationContactsQuery = z.input<typeof listLocationContactsQuery>;

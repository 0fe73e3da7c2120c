/** Customers and customer contacts (`Crm.V2.Customers.*`). */
import * as z from 'zod';
import {
  activeFilter,
  addressResponse,
  checkNotBlank,
  checkTypedValue,
    contactType,
  customerType,
  customFieldModel,
  dateTime,
  dateTimeFilter,
  externalDataModel,
  externalDataPatchMode,
  guid,
  idListQuery,
  int64,
  int64Id,
  optionalField,
  runEvenIfInvalid,
  pageQueryFields,
  phoneSettings,
  SORT_FIELDS,
  sortQuery,
  stringListQuery,
  withContactValueCheck,
} from './common';
import { locationContactItem } from './locations';

// ---- request pieces ------------------------------------------------------------------------------

/** `Crm.V2.Customers.CustomerAddress` in a request (create customer, new location). */
export const customerAddressRequest = z.strictObject({
  street: z.string(),
  unit: z.string().optional(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});
export type CustomerAddressRequest = z.infer<typeof customerAddressRequest>;

/** `Crm.V2.Customers.UpdateCustomerAddress`: PATCH replaces the whole address, so all eight are required. */
export const updateCustomerAddressRequest = z.strictObject({
  street: z.string(),
  unit: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  latitude: z.number(),
  longitude: z.number(),
});
export type UpdateCustomerAddressRequest = z.infer<typeof updateCustomerAddressRequest>;

/** `Crm.V2.Customers.NewCustomerContact`. */
export const newCustomerContactRequest = z.strictObject({
  type: contactType,
  value: z.string({ error: 'Enter the phone number, email address or fax number.' }),
  memo: z.string().optional(),
});
export type NewCustomerContactRequest = z.infer<typeof newCustomerContactRequest>;

/** `Crm.V2.Customers.CustomFieldUpdateModel`. */
export const customFieldUpdateRequest = z.strictObject({
  typeId: int64Id,
  value: z.string(),
});

/** `Crm.V2.ExternalDataModel` in a create request. */
export const externalDataItemRequest = z.strictObject({
  key: z.string(),
  value: z.string(),
});

/** `Crm.V2.ExternalDataCreateRequest`. */
export const externalDataCreateRequest = z.strictObject({
  applicationGuid: guid,
  externalData: z.array(externalDataItemRequest),
});

/** `Crm.V2.ExternalDataUpdateModel`: a key without a value deletes it in Merge mode. */
export const externalDataUpdateItemRequest = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
});

/** `Crm.V2.ExternalDataUpdateRequest`. */
export const externalDataUpdateRequest = z.strictObject({
  patchMode: externalDataPatchMode.optional(),
  applicationGuid: guid,
  externalData: z.array(externalDataUpdateItemRequest),
});

/** `Crm.V2.Customers.NewLocation`. */
export const newLocationRequest = z.strictObject({
  name: z.string({ error: 'Enter a name for the location.' }),
  address: customerAddressRequest,
  contacts: z.array(newCustomerContactRequest).optional(),
  customFields: z.array(customFieldUpdateRequest).optional(),
  tagTypeIds: z.array(int64Id).optional(),
  externalData: externalDataCreateRequest.optional(),
});
export type NewLocationRequest = z.infer<typeof newLocationRequest>;

// ---- customers -----------------------------------------------------------------------------------

/** `Crm.V2.Customers.CreateCustomerRequest` (POST /customers). */
export const createCustomerRequest = z.strictObject({
  name: z.string({ error: 'Enter the customer name.' }),
  type: customerType.optional(),
  doNotMail: z.boolean().optional(),
  doNotService: z.boolean().optional(),
  locations: z.array(newLocationRequest, { error: 'Add at least one service location.' }),
  address: customerAddressRequest,
  contacts: z.array(newCustomerContactRequest).optional(),
  customFields: z.array(customFieldUpdateRequest).optional(),
  tagTypeIds: z.array(int64Id).optional(),
  externalData: externalDataCreateRequest.optional(),
});
export type CreateCustomerRequest = z.infer<typeof createCustomerRequest>;

/** createCustomerRequest plus the checks ServiceTitan applies to values (names, contact values, one location). */
export const createCustomerRequestChecked = createCustomerRequest.superRefine((body, ctx) => {
  // Runs on invalid input too (runEvenIfInvalid), so every access is guarded.
  checkNotBlank(body.name, ctx, ['name'], 'Enter the customer name.');
  const contacts: unknown = body.contacts;
  const locations: unknown = body.locations;
  if (Array.isArray(contacts)) contacts.forEach((contact, i) => checkTypedValue(contact, ctx, ['contacts', i]));
  if (!Array.isArray(locations)) return;
  if (locations.length === 0) ctx.addIssue({ code: 'custom', message: 'Add at least one service location.', path: ['locations'], input: locations });
  locations.forEach((location: unknown, i) => {
    if (typeof location !== 'object' || location === null) return;
    const { name, contacts: locationContacts } = location as { name?: unknown; contacts?: unknown };
    checkNotBlank(name, ctx, ['locations', i, 'name'], 'Enter a name for the location.');
    if (Array.isArray(locationContacts)) locationContacts.forEach((contact, j) => checkTypedValue(contact, ctx, ['locations', i, 'contacts', j]));
  });
}, runEvenIfInvalid);

/** `Crm.V2.Customers.UpdateCustomerRequest` (PATCH /customers/{id}). */
export const updateCustomerRequest = z.strictObject({
  name: z.string().optional(),
  type: customerType.optional(),
  address: updateCustomerAddressRequest.optional(),
  customFields: z.array(customFieldUpdateRequest).optional(),
  externalData: externalDataUpdateRequest.optional(),
  doNotMail: z.boolean().optional(),
  doNotService: z.boolean().optional(),
  active: z.boolean().optional(),
  tagTypeIds: z.array(int64Id).optional(),
});
export type UpdateCustomerRequest = z.infer<typeof updateCustomerRequest>;

export const updateCustomerRequestChecked = updateCustomerRequest.superRefine((body, ctx) => {
  checkNotBlank(body.name, ctx, ['name'], 'The customer name cannot be blank.');
}, runEvenIfInvalid);

/** Query of `Customers_GetList` (GET /customers). */
export const listCustomersQuery = z.strictObject({
  ...pageQueryFields,
  sort: sortQuery(SORT_FIELDS),
  ids: idListQuery(50),
  createdBefore: dateTimeFilter.optional(),
  createdOnOrAfter: dateTimeFilter.optional(),
  modifiedBefore: dateTimeFilter.optional(),
  modifiedOnOrAfter: dateTimeFilter.optional(),
  excludeAccountingChangesFromModifiedDateRange: z.boolean().optional(),
  name: z.string().optional(),
  street: z.string().optional(),
  unit: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  phone: z.string().optional(),
  active: activeFilter.optional(),
  externalDataApplicationGuid: guid.optional(),
  externalDataKey: z.string().optional(),
  externalDataValues: stringListQuery,
});
export type ListCustomersQuery = z.input<typeof listCustomersQuery>;

/** `Crm.V2.Customers.CustomerResponse`. */
export const customerResponse = z.looseObject({
  id: int64,
  active: z.boolean(),
  name: z.string(),
  type: customerType,
  address: addressResponse,
  customFields: z.array(customFieldModel),
  balance: z.number(),
  tagTypeIds: z.array(int64),
  doNotMail: z.boolean(),
  doNotService: z.boolean(),
  createdOn: dateTime,
  createdById: int64,
  modifiedOn: dateTime,
  mergedToId: optionalField(int64),
  // Required in the spec, but the live API sends null unless the query names an application GUID.
  externalData: optionalField(z.array(externalDataModel)),
});
export type Customer = z.infer<typeof customerResponse>;

/** `Crm.V2.Customers.CustomerContact` (inside CreatedCustomerResponse). */
export const customerContactItem = z.looseObject({
  id: int64,
  type: contactType,
  value: z.string(),
  memo: optionalField(z.string()),
});

/** `Crm.V2.Locations.CreateLocationResponse` (inside CreatedCustomerResponse). */
export const createdLocationResponse = z.looseObject({
  taxZoneId: optionalField(int64),
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
  externalData: optionalField(z.array(externalDataModel)),
  contacts: z.array(locationContactItem),
});
export type CreatedLocation = z.infer<typeof createdLocationResponse>;

/** `Crm.V2.Customers.CreatedCustomerResponse` (answer to POST /customers). */
export const createdCustomerResponse = z.looseObject({
  ...customerResponse.shape,
  locations: z.array(createdLocationResponse),
  contacts: z.array(customerContactItem),
});
export type CreatedCustomer = z.infer<typeof createdCustomerResponse>;

// ---- customer contacts ---------------------------------------------------------------------------

/** `Crm.V2.Customers.CreateCustomerContactRequest` (Customers_CreateContact). */
export const createCustomerContactRequest = z.strictObject({
  type: contactType,
  value: z.string({ error: 'Enter the phone number, email address or fax number.' }),
  memo: z.string().optional(),
});
export type CreateCustomerContactRequest = z.infer<typeof createCustomerContactRequest>;

/** createCustomerContactRequest plus "the value suits the type" (email address, 10–15 digit phone). */
export const createCustomerContactRequestChecked = withContactValueCheck(createCustomerContactRequest);

/** `Crm.V2.Customers.UpdateCustomerContactRequest` (PATCH). */
export const updateCustomerContactRequest = z.strictObject({
  type: contactType.optional(),
  value: z.string().optional(),
  memo: z.string().optional(),
});
export type UpdateCustomerContactRequest = z.infer<typeof updateCustomerContactRequest>;

/** Checks the value only when the type is sent too; otherwise the server checks it against the stored type. */
export const updateCustomerContactRequestChecked = withContactValueCheck(updateCustomerContactRequest);

/** `Crm.V2.Customers.CustomerContactWithModifiedOnResponse`. */
export const customerContactResponse = z.looseObject({
  id: int64,
  type: contactType,
  value: z.string(),
  memo: optionalField(z.string()),
  modifiedOn: dateTime,
  // Required in the spec, but only phone-like contacts have phone settings; e-mail ones get null.
  phoneSettings: optionalField(phoneSettings),
  createdOn: dateTime,
});
export type CustomerContact = z.infer<typeof customerContactResponse>;

/** Query of `Customers_GetContactList`. */
export const listCustomerContactsQuery = z.strictObject({ ...pageQueryFields });
export type ListCustomerContactsQuery = z.input<typeof listCustomerContactsQuery>;

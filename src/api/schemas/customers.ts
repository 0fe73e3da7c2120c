/**
 * Customers and customer contacts (`Crm.V2.Customers.*`): the generated schemas under the names the
 * rest of the extension uses. Shapes come from the document; the overlay adds the value checks.
 */
import type * as z from 'zod';
import { CRM_OPERATIONS } from '../generated/operations.gen';
import * as S from '../generated/schemas.gen';

// ---- request pieces ------------------------------------------------------------------------------

export const customerAddressRequest = S.CrmV2CustomersCustomerAddressInput;
export type CustomerAddressRequest = S.CrmV2CustomersCustomerAddressInput;
/** PATCH replaces the whole address, so all eight fields are required. */
export const updateCustomerAddressRequest = S.CrmV2CustomersUpdateCustomerAddress;
export type UpdateCustomerAddressRequest = S.CrmV2CustomersUpdateCustomerAddress;
export const newCustomerContactRequest = S.CrmV2CustomersNewCustomerContact;
export type NewCustomerContactRequest = S.CrmV2CustomersNewCustomerContact;
export const customFieldUpdateRequest = S.CrmV2CustomersCustomFieldUpdateModel;
export const externalDataItemRequest = S.CrmV2ExternalDataModelInput;
export const externalDataCreateRequest = S.CrmV2ExternalDataCreateRequest;
/** A key without a value deletes it in Merge mode. */
export const externalDataUpdateItemRequest = S.CrmV2ExternalDataUpdateModel;
export const externalDataUpdateRequest = S.CrmV2ExternalDataUpdateRequest;
export const newLocationRequest = S.CrmV2CustomersNewLocation;
export type NewLocationRequest = S.CrmV2CustomersNewLocation;

// ---- customers -----------------------------------------------------------------------------------

/** POST /customers: names not blank, at least one location, contact values that suit their type. */
export const createCustomerRequest = S.CrmV2CustomersCreateCustomerRequest;
export type CreateCustomerRequest = S.CrmV2CustomersCreateCustomerRequest;
export const updateCustomerRequest = S.CrmV2CustomersUpdateCustomerRequest;
export type UpdateCustomerRequest = S.CrmV2CustomersUpdateCustomerRequest;

export const listCustomersQuery = CRM_OPERATIONS.Customers_GetList.query;
export type ListCustomersQuery = z.input<typeof listCustomersQuery>;

export const customerResponse = S.CrmV2CustomersCustomerResponse;
export type Customer = S.CrmV2CustomersCustomerResponse;
export const customerContactItem = S.CrmV2CustomersCustomerContact;
export const createdLocationResponse = S.CrmV2LocationsCreateLocationResponse;
export type CreatedLocation = S.CrmV2LocationsCreateLocationResponse;
export const createdCustomerResponse = S.CrmV2CustomersCreatedCustomerResponse;
export type CreatedCustomer = S.CrmV2CustomersCreatedCustomerResponse;

// ---- customer contacts ---------------------------------------------------------------------------

export const createCustomerContactRequest = S.CrmV2CustomersCreateCustomerContactRequest;
export type CreateCustomerContactRequest = S.CrmV2CustomersCreateCustomerContactRequest;
/** The value is checked only when the type is sent too; otherwise the server checks it against the stored type. */
export const updateCustomerContactRequest = S.CrmV2CustomersUpdateCustomerContactRequest;
export type UpdateCustomerContactRequest = S.CrmV2CustomersUpdateCustomerContactRequest;
/** `phoneSettings` is null for e-mail contacts, though the document requires it (overlay). */
export const customerContactResponse = S.CrmV2CustomersCustomerContactWithModifiedOnResponse;
export type CustomerContact = S.CrmV2CustomersCustomerContactWithModifiedOnResponse;
export const listCustomerContactsQuery = CRM_OPERATIONS.Customers_GetContactList.query;
export type ListCustomerContactsQuery = z.input<typeof listCustomerContactsQuery>;

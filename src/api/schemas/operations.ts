/**
 * The CRM v2 operations this client implements, keyed by the spec's operationId: HTTP method,
 * path template below `/tenant/{tenant}`, OAuth scope (from the 2026 document's per-operation
 * `security`), path parameter schemas, and the schemas for query, body and response together with
 * the spec definition each one mirrors. The client sends from this table and the conformance test
 * compares it with tenant-crm-v2.json, so the two cannot drift apart silently.
 */
import type * as z from 'zod';
import { pageSchema } from '../paging';
import type { HttpMethod } from '../request';
import { guid, int64Id, noContent } from './common';
import {
  contactMethodResponse,
  createContactMethodRequest,
  createContactMethodRequestChecked,
  listContactMethodsQuery,
  updateContactMethodRequest,
  upsertContactMethodRequest,
  upsertContactMethodRequestChecked,
} from './contactMethods';
import {
  contactRelationshipResponse,
  contactResponse,
  createContactRequest,
  createContactRequestChecked,
  listContactRelationshipsQuery,
  listContactsByRelatedEntityQuery,
  listContactsQuery,
  relationshipTypeSlug,
  replaceContactRequest,
  replaceContactRequestChecked,
  updateContactRequest,
  updateContactRequestChecked,
} from './contacts';
import {
  createCustomerContactRequest,
  createCustomerContactRequestChecked,
  createCustomerRequest,
  createCustomerRequestChecked,
  createdCustomerResponse,
  customerContactResponse,
  customerResponse,
  listCustomerContactsQuery,
  listCustomersQuery,
  updateCustomerContactRequest,
  updateCustomerContactRequestChecked,
  updateCustomerRequest,
  updateCustomerRequestChecked,
} from './customers';
import {
  createLocationContactRequest,
  createLocationContactRequestChecked,
  listLocationContactsQuery,
  listLocationsQuery,
  locationContactResponse,
  locationResponse,
  updateLocationContactRequest,
  updateLocationContactRequestChecked,
} from './locations';

export const CUSTOMERS_READ = 'tn.crm.customers:r';
export const CUSTOMERS_WRITE = 'tn.crm.customers:w';
export const CONTACTS_READ = 'tn.crm.contacts:r';
export const CONTACTS_WRITE = 'tn.crm.contacts:w';
export const LOCATIONS_READ = 'tn.crm.locations:r';
export const LOCATIONS_WRITE = 'tn.crm.locations:w';

/** A schema paired with the name of the spec definition it mirrors. */
export interface DefinedSchema<S extends z.ZodType = z.ZodType> {
  schema: S;
  definition: string;
}

export interface CrmOperation {
  operationId: string;
  /** The CrmClient method that calls it. */
  clientMethod: string;
  method: HttpMethod;
  /** Below the tenant root, with `{name}` placeholders: `/customers/{id}/contacts`. */
  path: string;
  scope: string;
  /** One schema per `{name}` in `path`. */
  pathParams: Record<string, z.ZodType>;
  query?: z.ZodObject;
  /** Exactly the spec's request definition. */
  body?: DefinedSchema;
  /** `body` plus value checks (email/phone format, non-blank names); what the client sends with. */
  checkedBody?: z.ZodType;
  /** `definition` is null where the spec documents `200` with no schema. */
  response: { schema: z.ZodType; definition: string | null };
  /** For lists: the page item and its definition (the response is `pageSchema(item)`). */
  item?: DefinedSchema;
}

function paged<S extends z.ZodType>(item: S, definition: string) {
  return {
    response: { schema: pageSchema(item), definition: `PaginatedResponse_Of_${definition}` },
    item: { schema: item, definition },
  };
}

const customerId = { id: int64Id };
const contactId = { id: guid };

export const CRM_OPERATIONS = {
  // ---- customers ----
  Customers_GetList: {
    operationId: 'Customers_GetList', clientMethod: 'listCustomers', method: 'GET', path: '/customers', scope: CUSTOMERS_READ,
    pathParams: {}, query: listCustomersQuery, ...paged(customerResponse, 'Crm.V2.Customers.CustomerResponse'),
  },
  Customers_Get: {
    operationId: 'Customers_Get', clientMethod: 'getCustomer', method: 'GET', path: '/customers/{id}', scope: CUSTOMERS_READ,
    pathParams: customerId, response: { schema: customerResponse, definition: 'Crm.V2.Customers.CustomerResponse' },
  },
  Customers_Create: {
    operationId: 'Customers_Create', clientMethod: 'createCustomer', method: 'POST', path: '/customers', scope: CUSTOMERS_WRITE,
    pathParams: {}, body: { schema: createCustomerRequest, definition: 'Crm.V2.Customers.CreateCustomerRequest' }, checkedBody: createCustomerRequestChecked,
    response: { schema: createdCustomerResponse, definition: 'Crm.V2.Customers.CreatedCustomerResponse' },
  },
  Customers_Update: {
    operationId: 'Customers_Update', clientMethod: 'updateCustomer', method: 'PATCH', path: '/customers/{id}', scope: CUSTOMERS_WRITE,
    pathParams: customerId, body: { schema: updateCustomerRequest, definition: 'Crm.V2.Customers.UpdateCustomerRequest' }, checkedBody: updateCustomerRequestChecked,
    response: { schema: customerResponse, definition: 'Crm.V2.Customers.CustomerResponse' },
  },
  // ---- customer contacts ----
  Customers_GetContactList: {
    operationId: 'Customers_GetContactList', clientMethod: 'listCustomerContacts', method: 'GET', path: '/customers/{id}/contacts', scope: CUSTOMERS_READ,
    pathParams: customerId, query: listCustomerContactsQuery, ...paged(customerContactResponse, 'Crm.V2.Customers.CustomerContactWithModifiedOnResponse'),
  },
  Customers_CreateContact: {
    operationId: 'Customers_CreateContact', clientMethod: 'createCustomerContact', method: 'POST', path: '/customers/{id}/contacts', scope: CUSTOMERS_WRITE,
    pathParams: customerId, body: { schema: createCustomerContactRequest, definition: 'Crm.V2.Customers.CreateCustomerContactRequest' }, checkedBody: createCustomerContactRequestChecked,
    response: { schema: customerContactResponse, definition: 'Crm.V2.Customers.CustomerContactWithModifiedOnResponse' },
  },
  Customers_UpdateContact: {
    operationId: 'Customers_UpdateContact', clientMethod: 'updateCustomerContact', method: 'PATCH', path: '/customers/{id}/contacts/{contactId}', scope: CUSTOMERS_WRITE,
    pathParams: { id: int64Id, contactId: int64Id }, body: { schema: updateCustomerContactRequest, definition: 'Crm.V2.Customers.UpdateCustomerContactRequest' }, checkedBody: updateCustomerContactRequestChecked,
    response: { schema: customerContactResponse, definition: 'Crm.V2.Customers.CustomerContactWithModifiedOnResponse' },
  },
  Customers_DeleteContact: {
    operationId: 'Customers_DeleteContact', clientMethod: 'deleteCustomerContact', method: 'DELETE', path: '/customers/{id}/contacts/{contactId}', scope: CUSTOMERS_WRITE,
    pathParams: { id: int64Id, contactId: int64Id }, response: { schema: noContent, definition: null },
  },
  // ---- contacts ----
  Contacts_GetList: {
    operationId: 'Contacts_GetList', clientMethod: 'listContacts', method: 'GET', path: '/contacts', scope: CONTACTS_READ,
    pathParams: {}, query: listContactsQuery, ...paged(contactResponse, 'Crm.V2.ContactResponse'),
  },
  Contacts_Get: {
    operationId: 'Contacts_Get', clientMethod: 'getContact', method: 'GET', path: '/contacts/{id}', scope: CONTACTS_READ,
    pathParams: contactId, response: { schema: contactResponse, definition: 'Crm.V2.ContactResponse' },
  },
  Contacts_Create: {
    operationId: 'Contacts_Create', clientMethod: 'createContact', method: 'POST', path: '/contacts', scope: CONTACTS_WRITE,
    pathParams: {}, body: { schema: createContactRequest, definition: 'Crm.V2.CreateContactRequest' }, checkedBody: createContactRequestChecked,
    response: { schema: contactResponse, definition: 'Crm.V2.ContactResponse' },
  },
  Contacts_Update: {
    operationId: 'Contacts_Update', clientMethod: 'updateContact', method: 'PATCH', path: '/contacts/{id}', scope: CONTACTS_WRITE,
    pathParams: contactId, body: { schema: updateContactRequest, definition: 'Crm.V2.UpdateContactRequest' }, checkedBody: updateContactRequestChecked,
    response: { schema: contactResponse, definition: 'Crm.V2.ContactResponse' },
  },
  Contacts_Replace: {
    operationId: 'Contacts_Replace', clientMethod: 'replaceContact', method: 'PUT', path: '/contacts/{id}', scope: CONTACTS_WRITE,
    pathParams: contactId, body: { schema: replaceContactRequest, definition: 'Crm.V2.ReplaceContactRequest' }, checkedBody: replaceContactRequestChecked,
    response: { schema: contactResponse, definition: 'Crm.V2.ContactResponse' },
  },
  Contacts_DeleteContact: {
    operationId: 'Contacts_DeleteContact', clientMethod: 'deleteContact', method: 'DELETE', path: '/contacts/{id}', scope: CONTACTS_WRITE,
    pathParams: contactId, response: { schema: noContent, definition: null },
  },
  // ---- contact relationships ----
  Contacts_GetContactRelationshipList: {
    operationId: 'Contacts_GetContactRelationshipList', clientMethod: 'listContactRelationships', method: 'GET', path: '/contacts/{contactId}/relationships', scope: CONTACTS_READ,
    pathParams: { contactId: guid }, query: listContactRelationshipsQuery, ...paged(contactRelationshipResponse, 'Crm.V2.ContactRelationshipResponse'),
  },
  Contacts_CreateContactRelationship: {
    operationId: 'Contacts_CreateContactRelationship', clientMethod: 'createContactRelationship', method: 'POST',
    path: '/contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}', scope: CONTACTS_WRITE,
    pathParams: { contactId: guid, relatedEntityId: int64Id, typeSlug: relationshipTypeSlug }, response: { schema: noContent, definition: null },
  },
  Contacts_DeleteContactRelationship: {
    operationId: 'Contacts_DeleteContactRelationship', clientMethod: 'deleteContactRelationship', method: 'DELETE',
    path: '/contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}', scope: CONTACTS_WRITE,
    pathParams: { contactId: guid, relatedEntityId: int64Id, typeSlug: relationshipTypeSlug }, response: { schema: noContent, definition: null },
  },
  // The spec calls the parameter relationshipId, but it is the related customer's or location's id.
  Contacts_GetByRelationshipId: {
    operationId: 'Contacts_GetByRelationshipId', clientMethod: 'listContactsByRelatedEntity', method: 'GET', path: '/contacts/relationships/{relationshipId}', scope: CONTACTS_READ,
    pathParams: { relationshipId: int64Id }, query: listContactsByRelatedEntityQuery, ...paged(contactResponse, 'Crm.V2.ContactResponse'),
  },
  // ---- contact methods ----
  ContactMethods_GetContactMethods: {
    operationId: 'ContactMethods_GetContactMethods', clientMethod: 'listContactMethods', method: 'GET', path: '/contacts/{contactId}/contact-methods', scope: CONTACTS_READ,
    pathParams: { contactId: guid }, query: listContactMethodsQuery, ...paged(contactMethodResponse, 'Crm.V2.ContactMethodResponse'),
  },
  ContactMethods_GetContactMethod: {
    operationId: 'ContactMethods_GetContactMethod', clientMethod: 'getContactMethod', method: 'GET', path: '/contacts/{contactId}/contact-methods/{contactMethodId}', scope: CONTACTS_READ,
    pathParams: { contactId: guid, contactMethodId: guid }, response: { schema: contactMethodResponse, definition: 'Crm.V2.ContactMethodResponse' },
  },
  ContactMethods_CreateContactMethod: {
    operationId: 'ContactMethods_CreateContactMethod', clientMethod: 'createContactMethod', method: 'POST', path: '/contacts/{contactId}/contact-methods', scope: CONTACTS_WRITE,
    pathParams: { contactId: guid }, body: { schema: createContactMethodRequest, definition: 'Crm.V2.CreateContactMethodRequest' }, checkedBody: createContactMethodRequestChecked,
    response: { schema: contactMethodResponse, definition: 'Crm.V2.ContactMethodResponse' },
  },
  ContactMethods_UpsertContactMethod: {
    operationId: 'ContactMethods_UpsertContactMethod', clientMethod: 'upsertContactMethod', method: 'PUT', path: '/contacts/{contactId}/contact-methods/{contactMethodId}', scope: CONTACTS_WRITE,
    pathParams: { contactId: guid, contactMethodId: guid }, body: { schema: upsertContactMethodRequest, definition: 'Crm.V2.UpsertContactMethodRequest' }, checkedBody: upsertContactMethodRequestChecked,
    response: { schema: contactMethodResponse, definition: 'Crm.V2.ContactMethodResponse' },
  },
  ContactMethods_UpdateContactMethod: {
    operationId: 'ContactMethods_UpdateContactMethod', clientMethod: 'updateContactMethod', method: 'PATCH', path: '/contacts/{contactId}/contact-methods/{contactMethodId}', scope: CONTACTS_WRITE,
    pathParams: { contactId: guid, contactMethodId: guid }, body: { schema: updateContactMethodRequest, definition: 'Crm.V2.UpdateContactMethodRequest' },
    response: { schema: contactMethodResponse, definition: 'Crm.V2.ContactMethodResponse' },
  },
  ContactMethods_DeleteContactMethod: {
    operationId: 'ContactMethods_DeleteContactMethod', clientMethod: 'deleteContactMethod', method: 'DELETE', path: '/contacts/{contactId}/contact-methods/{contactMethodId}', scope: CONTACTS_WRITE,
    pathParams: { contactId: guid, contactMethodId: guid }, response: { schema: noContent, definition: null },
  },
  // ---- locations ----
  Locations_GetList: {
    operationId: 'Locations_GetList', clientMethod: 'listLocations', method: 'GET', path: '/locations', scope: LOCATIONS_READ,
    pathParams: {}, query: listLocationsQuery, ...paged(locationResponse, 'Crm.V2.Locations.LocationResponse'),
  },
  Locations_Get: {
    operationId: 'Locations_Get', clientMethod: 'getLocation', method: 'GET', path: '/locations/{id}', scope: LOCATIONS_READ,
    pathParams: { id: int64Id }, response: { schema: locationResponse, definition: 'Crm.V2.Locations.LocationResponse' },
  },
  // ---- location contacts ----
  Locations_GetContactList: {
    operationId: 'Locations_GetContactList', clientMethod: 'listLocationContacts', method: 'GET', path: '/locations/{id}/contacts', scope: LOCATIONS_READ,
    pathParams: { id: int64Id }, query: listLocationContactsQuery, ...paged(locationContactResponse, 'Crm.V2.LocationContactResponse'),
  },
  Locations_CreateContact: {
    operationId: 'Locations_CreateContact', clientMethod: 'createLocationContact', method: 'POST', path: '/locations/{id}/contacts', scope: LOCATIONS_WRITE,
    pathParams: { id: int64Id }, body: { schema: createLocationContactRequest, definition: 'Crm.V2.LocationContactCreateRequest' }, checkedBody: createLocationContactRequestChecked,
    response: { schema: locationContactResponse, definition: 'Crm.V2.LocationContactResponse' },
  },
  Locations_UpdateContact: {
    operationId: 'Locations_UpdateContact', clientMethod: 'updateLocationContact', method: 'PATCH', path: '/locations/{id}/contacts/{contactId}', scope: LOCATIONS_WRITE,
    pathParams: { id: int64Id, contactId: int64Id }, body: { schema: updateLocationContactRequest, definition: 'Crm.V2.LocationContactUpdateRequest' }, checkedBody: updateLocationContactRequestChecked,
    response: { schema: locationContactResponse, definition: 'Crm.V2.LocationContactResponse' },
  },
  Locations_DeleteContact: {
    operationId: 'Locations_DeleteContact', clientMethod: 'deleteLocationContact', method: 'DELETE', path: '/locations/{id}/contacts/{contactId}', scope: LOCATIONS_WRITE,
    pathParams: { id: int64Id, contactId: int64Id }, response: { schema: noContent, definition: null },
  },
} as const satisfies Record<string, CrmOperation>;

export type CrmOperationId = keyof typeof CRM_OPERATIONS;

/** The table as a plain list, for tests and tooling. */
export const CRM_OPERATION_LIST: readonly CrmOperation[] = Object.values(CRM_OPERATIONS);

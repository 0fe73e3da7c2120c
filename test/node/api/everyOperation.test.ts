// Every one of the 86 CRM v2 operations, called on the sandbox through client.call (via callRaw,
// so a wrong answer is shown rather than thrown): its happy path, with the answer checked by the
// client's generated schema AND by an independent validator over the official document, then one
// error (a 404, or a 400 with the right field key). Real loopback HTTP; the table below must name
// every operation of the document, so a new one cannot go untested.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallInput } from '../../../src/api/client';
import { customEnvironment } from '../../../src/api/environments';
import { createTransport, type CrmTransport } from '../../../src/api/transport';
import type { RawExchange } from '../../../src/api/request';
import { CRM_OPERATION_LIST, type CrmOperationId } from '../../../src/api/schemas';
import { TAG_TYPE_IDS, TECHNICIAN_IDS } from '../../../sandbox/seed';
import { specProblems } from '../sandbox/helpers';
import { startClientFixture, ADDRESS, type ClientFixture } from './operationsHarness';

const ROOT = path.resolve(__dirname, '../../../..');
interface DocOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'openapi/tenant-crm-v2.2026-05.json'), 'utf8')) as {
  paths: Record<string, Record<string, DocOperation>>;
};
const documentResponse = new Map<string, object | undefined>(
  Object.values(doc.paths)
    .flatMap((item) => Object.values(item))
    .map((op) => [op.operationId, op.responses['200']?.content?.['application/json']?.schema]),
);

/** Ids made in `before`, for the steps to use. */
interface Ctx {
  customerId: number;
  locationId: number;
  customerContactId: number;
  locationContactId: number;
  spareCustomerContactId: number;
  spareLocationContactId: number;
  personId: string;
  sparePersonId: string;
  methodId: string;
  spareMethodId: string;
  customerNoteId: number;
  locationNoteId: number;
  leadId: number;
  providerId: number;
  bookingId: number;
  bookingContactId: number;
  preferenceName: string;
}

const MISSING_ID = 999_999_999;
const MISSING_GUID = '00000000-0000-4000-8000-000000000000';
const TAG = TAG_TYPE_IDS.first + 7;

/** An error step: the input (valid for the client) and what the server must answer. */
interface ErrorCase<K extends CrmOperationId> {
  input: (c: Ctx) => CallInput<K>;
  status: 400 | 403 | 404 | 409;
  /** Sent by a client granted only `tn.crm.customers:r`. */
  narrow?: true;
  /** For 400: the key the problem's `errors` must have (case-insensitive, as ASP.NET's are). */
  key?: string;
  /** Sent as the query instead of the validated one: a value only the server can refuse. */
  rawQuery?: Record<string, string>;
}

interface Step<K extends CrmOperationId> {
  happy: (c: Ctx) => CallInput<K>;
  error: ErrorCase<K>;
}

type Steps = { [K in CrmOperationId]: Step<K> };

const page = { page: 1, pageSize: 5 };
const badPage = { pageSize: '0' };

const STEPS: Steps = {
  // ---- customers -------------------------------------------------------------------------------
  Customers_GetList: {
    happy: () => ({ query: { ...page, includeTotal: true } }),
    error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' },
  },
  Customers_Get: { happy: (c) => ({ path: { id: c.customerId } }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Customers_Create: {
    happy: () => ({ body: { name: 'Every Op Customer', address: ADDRESS, locations: [{ name: 'Main', address: ADDRESS }] } }),
    error: {
      input: () => ({ body: { name: 'No Address', address: { ...ADDRESS, zip: '' }, locations: [{ name: 'Main', address: ADDRESS }] } }),
      status: 400,
      key: 'Address.Zip',
    },
  },
  Customers_Update: {
    happy: (c) => ({ path: { id: c.customerId }, body: { doNotMail: true } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { doNotMail: true } }), status: 404 },
  },
  Customers_GetNotes: { happy: (c) => ({ path: { id: c.customerId }, query: page }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Customers_CreateNote: {
    happy: (c) => ({ path: { id: c.customerId }, body: { text: 'Called back', pinToTop: true } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { text: 'x' } }), status: 404 },
  },
  Customers_DeleteNote: {
    happy: (c) => ({ path: { id: c.customerId, noteId: c.customerNoteId } }),
    error: { input: (c) => ({ path: { id: c.customerId, noteId: MISSING_ID } }), status: 404 },
  },
  Customers_GetContactList: {
    happy: (c) => ({ path: { id: c.customerId }, query: page }),
    error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 },
  },
  Customers_CreateContact: {
    happy: (c) => ({ path: { id: c.customerId }, body: { type: 'Email', value: 'every@example.com' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { type: 'Email', value: 'x@example.com' } }), status: 404 },
  },
  Customers_UpdateContact: {
    happy: (c) => ({ path: { id: c.customerId, contactId: c.customerContactId }, body: { memo: 'office' } }),
    error: { input: (c) => ({ path: { id: c.customerId, contactId: MISSING_ID }, body: { memo: 'x' } }), status: 404 },
  },
  Customers_DeleteContact: {
    happy: (c) => ({ path: { id: c.customerId, contactId: c.spareCustomerContactId } }),
    error: { input: (c) => ({ path: { id: c.customerId, contactId: MISSING_ID } }), status: 404 },
  },
  Customers_GetModifiedContactsList: {
    happy: (c) => ({ query: { ...page, customerIds: String(c.customerId) } }),
    error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' },
  },
  Customers_CreateTag: {
    happy: (c) => ({ path: { id: c.customerId, tagTypeId: TAG } }),
    error: { input: () => ({ path: { id: MISSING_ID, tagTypeId: TAG } }), status: 404 },
  },
  Customers_DeleteTag: {
    happy: (c) => ({ path: { id: c.customerId, tagTypeId: TAG } }),
    error: { input: () => ({ path: { id: MISSING_ID, tagTypeId: TAG } }), status: 404 },
  },
  Customers_GetCustomFieldTypes: { happy: () => ({ query: page }), error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' } },
  BulkTags_AddTags: {
    happy: (c) => ({ body: { customerIds: [c.customerId], tagTypeIds: [TAG + 1] } }),
    error: { input: () => ({ body: { customerIds: [MISSING_ID], tagTypeIds: [TAG + 1] } }), status: 400, key: 'customerIds' },
  },
  BulkTags_RemoveTags: {
    happy: (c) => ({ body: { customerIds: [c.customerId], tagTypeIds: [TAG + 1] } }),
    error: { input: () => ({ body: { customerIds: [MISSING_ID], tagTypeIds: [TAG + 1] } }), status: 400, key: 'customerIds' },
  },
  // ---- locations -------------------------------------------------------------------------------
  Locations_GetList: {
    happy: (c) => ({ query: { ...page, customerId: c.customerId } }),
    error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' },
  },
  Locations_Get: { happy: (c) => ({ path: { id: c.locationId } }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Locations_Create: {
    happy: (c) => ({ body: { name: 'Second Site', address: { ...ADDRESS, street: '77 Second St' }, customerId: c.customerId } }),
    error: { input: () => ({ body: { name: 'Orphan', address: ADDRESS, customerId: MISSING_ID } }), status: 400, key: 'customerId' },
  },
  Locations_Update: {
    happy: (c) => ({ path: { id: c.locationId }, body: { name: 'Main (renamed)' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { name: 'x' } }), status: 404 },
  },
  Locations_GetNotes: { happy: (c) => ({ path: { id: c.locationId }, query: page }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Locations_CreateNote: {
    happy: (c) => ({ path: { id: c.locationId }, body: { text: 'Gate code 1234' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { text: 'x' } }), status: 404 },
  },
  Locations_DeleteNote: {
    happy: (c) => ({ path: { id: c.locationId, noteId: c.locationNoteId } }),
    error: { input: (c) => ({ path: { id: c.locationId, noteId: MISSING_ID } }), status: 404 },
  },
  Locations_GetContactList: {
    happy: (c) => ({ path: { id: c.locationId }, query: page }),
    error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 },
  },
  Locations_CreateContact: {
    happy: (c) => ({ path: { id: c.locationId }, body: { type: 'Phone', value: '(555) 123-9876' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { type: 'Phone', value: '(555) 123-9876' } }), status: 404 },
  },
  Locations_UpdateContact: {
    happy: (c) => ({ path: { id: c.locationId, contactId: c.locationContactId }, body: { memo: 'gate' } }),
    error: { input: (c) => ({ path: { id: c.locationId, contactId: MISSING_ID }, body: { memo: 'x' } }), status: 404 },
  },
  Locations_DeleteContact: {
    happy: (c) => ({ path: { id: c.locationId, contactId: c.spareLocationContactId } }),
    error: { input: (c) => ({ path: { id: c.locationId, contactId: MISSING_ID } }), status: 404 },
  },
  Locations_GetLocationsContactsList: {
    happy: (c) => ({ query: { ...page, locationIds: String(c.locationId) } }),
    error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' },
  },
  Locations_CreateTag: {
    happy: (c) => ({ path: { id: c.locationId, tagTypeId: TAG } }),
    error: { input: () => ({ path: { id: MISSING_ID, tagTypeId: TAG } }), status: 404 },
  },
  Locations_DeleteTag: {
    happy: (c) => ({ path: { id: c.locationId, tagTypeId: TAG } }),
    error: { input: () => ({ path: { id: MISSING_ID, tagTypeId: TAG } }), status: 404 },
  },
  Locations_GetCustomFieldTypes: { happy: () => ({ query: page }), error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' } },
  Locations_UpdatePreferredTechnician: {
    happy: (c) => ({ path: { id: c.locationId, preferredTechnicianId: TECHNICIAN_IDS.first } }),
    error: { input: () => ({ path: { id: MISSING_ID, preferredTechnicianId: TECHNICIAN_IDS.first } }), status: 404 },
  },
  Locations_GetPreferredTechnician: { happy: (c) => ({ path: { id: c.locationId } }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  // ---- contacts (people), their methods and preferences ----------------------------------------
  Contacts_GetList: { happy: () => ({ query: page }), error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' } },
  Contacts_Get: { happy: (c) => ({ path: { id: c.personId } }), error: { input: () => ({ path: { id: MISSING_GUID } }), status: 404 } },
  // The sandbox's own length limit (the document sets none): a name of 300 characters.
  Contacts_Create: {
    happy: () => ({ body: { name: 'Every Op Person', title: 'Owner' } }),
    error: { input: () => ({ body: { name: 'n'.repeat(300) } }), status: 400, key: 'Name' },
  },
  Contacts_Update: {
    happy: (c) => ({ path: { id: c.personId }, body: { title: 'Manager', isArchived: false } }),
    error: { input: () => ({ path: { id: MISSING_GUID }, body: { isArchived: false } }), status: 404 },
  },
  Contacts_Replace: {
    happy: (c) => ({ path: { id: c.personId }, body: { name: 'Every Op Person', isArchived: false } }),
    error: { input: () => ({ path: { id: MISSING_GUID }, body: { isArchived: false } }), status: 404 },
  },
  Contacts_DeleteContact: { happy: (c) => ({ path: { id: c.sparePersonId } }), error: { input: () => ({ path: { id: MISSING_GUID } }), status: 404 } },
  // Relationship operations answer 409 for an unknown contact, as the document lists (README, "Status rules").
  Contacts_GetContactRelationshipList: {
    happy: (c) => ({ path: { contactId: c.personId }, query: page }),
    error: { input: () => ({ path: { contactId: MISSING_GUID } }), status: 409 },
  },
  Contacts_CreateContactRelationship: {
    happy: (c) => ({ path: { contactId: c.personId, relatedEntityId: c.locationId, typeSlug: 'location' } }),
    error: { input: (c) => ({ path: { contactId: c.personId, relatedEntityId: MISSING_ID, typeSlug: 'location' } }), status: 404 },
  },
  Contacts_DeleteContactRelationship: {
    happy: (c) => ({ path: { contactId: c.personId, relatedEntityId: c.locationId, typeSlug: 'location' } }),
    error: { input: (c) => ({ path: { contactId: c.personId, relatedEntityId: MISSING_ID, typeSlug: 'location' } }), status: 409 },
  },
  Contacts_GetByRelationshipId: {
    happy: (c) => ({ path: { relationshipId: c.customerId }, query: page }),
    error: { input: (c) => ({ path: { relationshipId: c.customerId } }), rawQuery: badPage, status: 400, key: 'pageSize' },
  },
  // No parameters, no body: the one error left is a client without the contacts scope.
  Contacts_GetPreferenceMetadataList: { happy: () => ({}), error: { input: () => ({}), narrow: true, status: 403 } },
  Contacts_SearchContactMethods: {
    happy: (c) => ({ query: { ...page, contactId: c.personId } }),
    error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' },
  },
  ContactMethods_GetContactMethods: {
    happy: (c) => ({ path: { contactId: c.personId }, query: page }),
    error: { input: () => ({ path: { contactId: MISSING_GUID } }), status: 404 },
  },
  ContactMethods_GetContactMethod: {
    happy: (c) => ({ path: { contactId: c.personId, contactMethodId: c.methodId } }),
    error: { input: (c) => ({ path: { contactId: c.personId, contactMethodId: MISSING_GUID } }), status: 404 },
  },
  ContactMethods_CreateContactMethod: {
    happy: (c) => ({ path: { contactId: c.personId }, body: { type: 'MobilePhone', value: '(555) 222-3333' } }),
    error: { input: () => ({ path: { contactId: MISSING_GUID }, body: { type: 'Email', value: 'x@example.com' } }), status: 404 },
  },
  ContactMethods_UpsertContactMethod: {
    happy: (c) => ({ path: { contactId: c.personId, contactMethodId: c.methodId }, body: { type: 'Email', value: 'replaced@example.com' } }),
    error: {
      input: () => ({ path: { contactId: MISSING_GUID, contactMethodId: MISSING_GUID }, body: { type: 'Email', value: 'x@example.com' } }),
      status: 404,
    },
  },
  ContactMethods_UpdateContactMethod: {
    happy: (c) => ({ path: { contactId: c.personId, contactMethodId: c.methodId }, body: { memo: 'work' } }),
    error: { input: (c) => ({ path: { contactId: c.personId, contactMethodId: MISSING_GUID }, body: { memo: 'x' } }), status: 404 },
  },
  ContactMethods_DeleteContactMethod: {
    happy: (c) => ({ path: { contactId: c.personId, contactMethodId: c.spareMethodId } }),
    error: { input: (c) => ({ path: { contactId: c.personId, contactMethodId: MISSING_GUID } }), status: 404 },
  },
  ContactPreferences_GetContactMethodPreferences: {
    happy: (c) => ({ path: { contactId: c.personId, contactMethodId: c.methodId } }),
    error: { input: (c) => ({ path: { contactId: c.personId, contactMethodId: MISSING_GUID } }), status: 404 },
  },
  ContactPreferences_GetContactMethodPreference: {
    happy: (c) => ({ path: { contactId: c.personId, contactMethodId: c.methodId, preferenceName: c.preferenceName } }),
    error: { input: (c) => ({ path: { contactId: c.personId, contactMethodId: c.methodId, preferenceName: 'NoSuchPreference' } }), status: 404 },
  },
  ContactPreferences_UpdateContactMethodPreference: {
    happy: (c) => ({ path: { contactId: c.personId, contactMethodId: c.methodId, preferenceName: c.preferenceName }, body: { value: 'false' } }),
    error: {
      input: (c) => ({ path: { contactId: c.personId, contactMethodId: MISSING_GUID, preferenceName: c.preferenceName }, body: { value: 'true' } }),
      status: 404,
    },
  },
  // ---- leads -----------------------------------------------------------------------------------
  Leads_GetList: { happy: () => ({ query: page }), error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' } },
  Leads_Get: { happy: (c) => ({ path: { id: c.leadId } }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Leads_Create: {
    happy: (c) => ({ body: { campaignId: 2001, summary: 'Water heater quote', customerId: c.customerId } }),
    error: { input: () => ({ body: { campaignId: 2001, summary: 'x', customerId: MISSING_ID } }), status: 400, key: 'customerId' },
  },
  Leads_Update: {
    happy: (c) => ({ path: { id: c.leadId }, body: { priority: 'High' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { priority: 'High' } }), status: 404 },
  },
  Leads_CreateFollowUp: {
    happy: (c) => ({ path: { id: c.leadId }, body: { followUpDate: '2030-01-15T09:00:00Z', text: 'Call again' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { followUpDate: '2030-01-15T09:00:00Z' } }), status: 404 },
  },
  Leads_GetNotes: { happy: (c) => ({ path: { id: c.leadId }, query: page }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Leads_CreateNote: {
    happy: (c) => ({ path: { id: c.leadId }, body: { text: 'Sent brochure' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { text: 'x' } }), status: 404 },
  },
  Leads_Dismiss: {
    happy: (c) => ({ path: { id: c.leadId }, body: { dismissingReasonId: 5 } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { dismissingReasonId: 5 } }), status: 404 },
  },
  Leads_SubmitLeadForm: {
    happy: () => ({ body: { name: 'Web Visitor', email: 'visitor@example.com', summary: 'Need a plumber' } }),
    error: { input: () => ({ query: { id: MISSING_ID }, body: { name: 'x' } }), status: 400, key: 'id' },
  },
  // ---- booking provider tags and bookings ------------------------------------------------------
  BookingProviderTags_GetList: { happy: () => ({ query: page }), error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' } },
  BookingProviderTags_Get: { happy: (c) => ({ path: { id: c.providerId } }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  BookingProviderTags_Create: {
    happy: () => ({ body: { tagName: 'Every Op Widget', description: 'from the test' } }),
    error: { input: () => ({ body: { tagName: 'Every Op Provider', description: 'duplicate' } }), status: 409 },
  },
  BookingProviderTags_Update: {
    happy: (c) => ({ path: { id: c.providerId }, body: { description: 'updated' } }),
    error: { input: () => ({ path: { id: MISSING_ID }, body: { description: 'x' } }), status: 404 },
  },
  Bookings_GetList: { happy: () => ({ query: page }), error: { input: () => ({}), rawQuery: badPage, status: 400, key: 'pageSize' } },
  Bookings_Get: { happy: (c) => ({ path: { id: c.bookingId } }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Bookings_GetContactList: { happy: (c) => ({ path: { id: c.bookingId }, query: page }), error: { input: () => ({ path: { id: MISSING_ID } }), status: 404 } },
  Bookings_GetList2: {
    happy: (c) => ({ path: { booking_provider: c.providerId }, query: page }),
    error: { input: (c) => ({ path: { booking_provider: c.providerId } }), rawQuery: badPage, status: 400, key: 'pageSize' },
  },
  Bookings_GetForProvider: {
    happy: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId } }),
    error: { input: (c) => ({ path: { booking_provider: c.providerId, id: MISSING_ID } }), status: 404 },
  },
  Bookings_Create: {
    happy: (c) => ({
      path: { booking_provider: c.providerId },
      body: { source: 'web', name: 'Every Op Booking', summary: 'AC service', isFirstTimeClient: true, externalId: 'every-op-2' },
    }),
    error: {
      input: (c) => ({
        path: { booking_provider: c.providerId },
        body: { source: 'web', name: 'Again', summary: 'x', isFirstTimeClient: false, externalId: 'every-op-1' },
      }),
      status: 400,
      key: 'externalId',
    },
  },
  Bookings_Update: {
    happy: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId }, body: { priority: 'Urgent' } }),
    error: { input: (c) => ({ path: { booking_provider: c.providerId, id: MISSING_ID }, body: { priority: 'Low' } }), status: 404 },
  },
  Bookings_CreateContact: {
    happy: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId }, body: { type: 'Email', value: 'booker@example.com' } }),
    error: { input: (c) => ({ path: { booking_provider: c.providerId, id: MISSING_ID }, body: { type: 'Email', value: 'x@example.com' } }), status: 404 },
  },
  Bookings_GetContactList2: {
    happy: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId }, query: page }),
    error: { input: (c) => ({ path: { booking_provider: c.providerId, id: MISSING_ID } }), status: 404 },
  },
  Bookings_UpdateBookingContact: {
    happy: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId, contactId: c.bookingContactId }, body: { memo: 'evenings' } }),
    error: { input: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId, contactId: MISSING_ID }, body: { memo: 'x' } }), status: 404 },
  },
  Bookings_DeleteContact: {
    happy: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId, contactId: c.bookingContactId } }),
    error: { input: (c) => ({ path: { booking_provider: c.providerId, id: c.bookingId, contactId: MISSING_ID } }), status: 404 },
  },
  // The document types this {booking_provider} as a string.
  Bookings_DismissBooking: {
    happy: (c) => ({ path: { booking_provider: String(c.providerId), id: c.bookingId }, body: { dismissingMemo: 'duplicate' } }),
    error: { input: (c) => ({ path: { booking_provider: String(c.providerId), id: MISSING_ID }, body: {} }), status: 404 },
  },
  // ---- export feeds ----------------------------------------------------------------------------
  ExportCustomers_GetCustomers: {
    happy: () => ({ query: { includeRecentChanges: true } }),
    error: { input: () => ({ query: { from: 'not-a-token' } }), status: 400, key: 'from' },
  },
  ExportLocations_Locations: { happy: () => ({}), error: { input: () => ({ query: { from: 'not-a-token' } }), status: 400, key: 'from' } },
  ExportContacts_CustomersContacts: { happy: () => ({}), error: { input: () => ({ query: { from: 'not-a-token' } }), status: 400, key: 'from' } },
  ExportContacts_LocationsContacts: { happy: () => ({}), error: { input: () => ({ query: { from: 'not-a-token' } }), status: 400, key: 'from' } },
  ExportLeads_Leads: {
    happy: () => ({ query: { from: '2020-01-01' } }),
    error: { input: () => ({ query: { from: 'not-a-token' } }), status: 400, key: 'from' },
  },
  ExportBookings_Get: { happy: () => ({}), error: { input: () => ({ query: { from: 'not-a-token' } }), status: 400, key: 'from' } },
};

/**
 * The order the happy paths run in: reads and updates before the deletes and dismissals that
 * retire a record, tag creation before its removal. Everything else keeps the table's order.
 */
const LAST = [
  'Customers_DeleteTag',
  'Locations_DeleteTag',
  'BulkTags_RemoveTags',
  'Contacts_DeleteContactRelationship',
  'Customers_DeleteNote',
  'Locations_DeleteNote',
  'Customers_DeleteContact',
  'Locations_DeleteContact',
  'ContactMethods_DeleteContactMethod',
  'Contacts_DeleteContact',
  'Bookings_DeleteContact',
  'Bookings_DismissBooking',
  'Leads_Dismiss',
];

void describe('every CRM v2 operation through client.call on the sandbox', () => {
  let fx: ClientFixture;
  let narrow: CrmTransport;
  const ctx = {} as Ctx;

  before(async () => {
    fx = await startClientFixture(30, { clients: [{ clientId: 'narrow-client', clientSecret: 'narrow-secret', scopes: ['tn.crm.customers:r'] }] });
    narrow = createTransport({
      environment: customEnvironment(fx.sb.url, `${fx.sb.url}/connect/token`),
      tenant: fx.sb.tenant,
      clientId: 'narrow-client',
      clientSecret: 'narrow-secret',
      appKey: fx.sb.credentials.appKey,
      rateLimitPerSecond: 1000,
    });
    const call = fx.client.call.bind(fx.client);
    const customer = await call('Customers_Create', {
      body: {
        name: 'Every Op Fixture',
        address: ADDRESS,
        contacts: [
          { type: 'Email', value: 'one@example.com' },
          { type: 'Phone', value: '(555) 111-2222' },
        ],
        locations: [
          {
            name: 'Main',
            address: ADDRESS,
            contacts: [
              { type: 'Email', value: 'loc@example.com' },
              { type: 'Phone', value: '(555) 333-4444' },
            ],
          },
        ],
      },
    });
    const location = customer.locations[0];
    assert.ok(location && customer.contacts.length === 2 && location.contacts.length === 2);
    Object.assign(ctx, {
      customerId: customer.id,
      locationId: location.id,
      customerContactId: customer.contacts[0]?.id,
      spareCustomerContactId: customer.contacts[1]?.id,
      locationContactId: location.contacts[0]?.id,
      spareLocationContactId: location.contacts[1]?.id,
    });
    ctx.personId = (await call('Contacts_Create', { body: { name: 'Fixture Person' } })).id;
    ctx.sparePersonId = (await call('Contacts_Create', { body: { name: 'Spare Person' } })).id;
    ctx.methodId = (
      await call('ContactMethods_CreateContactMethod', { path: { contactId: ctx.personId }, body: { type: 'Email', value: 'person@example.com' } })
    ).id;
    ctx.spareMethodId = (
      await call('ContactMethods_CreateContactMethod', { path: { contactId: ctx.personId }, body: { type: 'Fax', value: '(555) 999-0000' } })
    ).id;
    ctx.customerNoteId = (await call('Customers_CreateNote', { path: { id: ctx.customerId }, body: { text: 'Fixture note' } })).id;
    ctx.locationNoteId = (await call('Locations_CreateNote', { path: { id: ctx.locationId }, body: { text: 'Fixture note' } })).id;
    ctx.leadId = (await call('Leads_Create', { body: { campaignId: 2001, summary: 'Fixture lead', customerId: ctx.customerId } })).id;
    ctx.providerId = (await call('BookingProviderTags_Create', { body: { tagName: 'Every Op Provider', description: 'fixture' } })).id;
    ctx.bookingId = (
      await call('Bookings_Create', {
        path: { booking_provider: ctx.providerId },
        body: { source: 'web', name: 'Fixture Booking', summary: 'Fixture', isFirstTimeClient: false, externalId: 'every-op-1' },
      })
    ).id;
    ctx.bookingContactId = (
      await call('Bookings_CreateContact', { path: { booking_provider: ctx.providerId, id: ctx.bookingId }, body: { type: 'Phone', value: '(555) 444-5555' } })
    ).id;
    const preferences = await call('Contacts_GetPreferenceMetadataList', {});
    ctx.preferenceName = preferences[0]?.name ?? '';
    assert.ok(ctx.preferenceName, 'the sandbox has preference types');
  });
  after(async () => {
    await narrow.close();
    await fx.close();
  });

  void it('names every operation of the document, each once', () => {
    assert.deepEqual(Object.keys(STEPS).sort(), CRM_OPERATION_LIST.map((op) => op.operationId).sort());
  });

  const ordered = (Object.keys(STEPS) as CrmOperationId[]).sort((a, b) => LAST.indexOf(a) - LAST.indexOf(b));
  for (const id of ordered) {
    void it(`${id}: happy path, checked by the client's schema and the document's`, async () => {
      const step = STEPS[id] as Step<typeof id>;
      const raw: RawExchange<unknown> = await fx.client.callRaw(id, step.happy(ctx));
      assert.equal(raw.status, 200, `${raw.status} ${raw.text.slice(0, 400)}`);
      assert.ok(raw.check?.ok, `the client's response schema refused it: ${JSON.stringify(raw.check)}`);
      const schema = documentResponse.get(id);
      if (schema) assert.deepEqual(specProblems(raw.json, schema), [], raw.text.slice(0, 400));
      else assert.equal(raw.text.trim(), '', 'the document gives this 200 no body');
    });
  }

  for (const id of ordered) {
    void it(`${id}: one error`, async () => {
      const { error } = STEPS[id] as Step<typeof id>;
      const request = fx.client.prepare(id, error.input(ctx));
      if (error.rawQuery) request.query = { ...request.query, ...error.rawQuery };
      const raw = await (error.narrow ? narrow : fx.transport).sendRaw(request);
      assert.equal(raw.status, error.status, `${raw.status} ${raw.text.slice(0, 400)}`);
      assert.ok(raw.problem, 'an ApiErrorResponse');
      assert.deepEqual(specProblems(raw.json, { $ref: '#/components/schemas/ApiErrorResponse' }), []);
      if (error.key) {
        const keys = Object.keys(raw.problem.errors ?? {}).map((k) => k.toLowerCase());
        assert.ok(keys.includes(error.key.toLowerCase()), `expected an error on ${error.key}, got ${JSON.stringify(raw.problem.errors)}`);
      }
    });
  }
});

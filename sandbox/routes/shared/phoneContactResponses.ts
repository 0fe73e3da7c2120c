// Customer and location contacts (phones and e-mails with int64 ids) as the API answers them, on
// their own, across parents and in the export feeds: exactly the fields of the document's
// response definitions, in its order.
import { nullOnTheLiveApi } from '../../liveNulls';
import { digitsOf, isPhoneType } from '../../query/contactValues';
import type { FeedContact } from '../../store';
import type { PhoneContactRec } from '../../types';

/** An e-mail contact has no phone settings: the live API sends null (liveNulls.ts), the document an object. */
function phoneSettings(contact: PhoneContactRec): { phoneNumber: string; doNotText: boolean } {
  if (!isPhoneType(contact.type)) return nullOnTheLiveApi({ phoneNumber: '', doNotText: contact.doNotText });
  return { phoneNumber: digitsOf(contact.value), doNotText: contact.doNotText };
}

/** The fields Crm.V2.Customers.CustomerContactWithModifiedOnResponse and its export/list variants share. */
function contactFields(contact: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  out.modifiedOn = contact.modifiedOn;
  out.phoneSettings = phoneSettings(contact);
  out.createdOn = contact.createdOn;
  if (contact.preferences) out.preferences = { ...contact.preferences };
  out.id = contact.id;
  out.type = contact.type;
  out.value = contact.value;
  if (contact.memo !== undefined) out.memo = contact.memo;
  return out;
}

/** Crm.V2.Customers.CustomerContactWithModifiedOnResponse */
export function customerContactResponse(contact: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: contact.id, type: contact.type, value: contact.value };
  if (contact.memo !== undefined) out.memo = contact.memo;
  out.modifiedOn = contact.modifiedOn;
  out.phoneSettings = phoneSettings(contact);
  out.createdOn = contact.createdOn;
  if (contact.preferences) out.preferences = { ...contact.preferences };
  return out;
}

/** Crm.V2.Customers.CustomerContactWithModifiedOnAndCustomerIdResponse (GET /customers/contacts). */
export function customerContactWithCustomerIdResponse(customerId: number, contact: PhoneContactRec): Record<string, unknown> {
  return { ...contactFields(contact), customerId };
}

/** Crm.V2.ExportCustomerContactResponse */
export function exportCustomerContactResponse(feed: FeedContact): Record<string, unknown> {
  return { ...contactFields(feed.rec), customerId: feed.parentId, active: feed.active };
}

/** Crm.V2.LocationContactResponse */
export function locationContactResponse(contact: PhoneContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: contact.id, type: contact.type, value: contact.value };
  if (contact.memo !== undefined) out.memo = contact.memo;
  out.phoneSettings = phoneSettings(contact);
  out.modifiedOn = contact.modifiedOn;
  out.createdOn = contact.createdOn;
  if (contact.preferences) out.preferences = { ...contact.preferences };
  return out;
}

/** Crm.V2.LocationsContactResponse (GET /locations/contacts). */
export function locationsContactResponse(locationId: number, contact: PhoneContactRec): Record<string, unknown> {
  return { ...locationContactResponse(contact), locationId };
}

/** Crm.V2.ExportLocationContactResponse */
export function exportLocationContactResponse(feed: FeedContact): Record<string, unknown> {
  return { ...locationContactResponse(feed.rec), locationId: feed.parentId, active: feed.active };
}

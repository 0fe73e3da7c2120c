/** Contact methods of a people contact (`Crm.V2.*ContactMethod*`). */
import * as z from 'zod';
import { contactType, dateTime, dateTimeFilter, guid, int64, optionalField, pageQueryFields, SORT_FIELDS, sortQuery, withContactValueCheck } from './common';

/** `Crm.V2.ContactMethodResponse`. */
export const contactMethodResponse = z.looseObject({
  id: guid,
  contactId: guid,
  referenceId: optionalField(z.string()),
  type: contactType,
  value: z.string(),
  memo: optionalField(z.string()),
  createdOn: dateTime,
  createdBy: int64,
  modifiedOn: dateTime,
  modifiedBy: int64,
});
export type ContactMethod = z.infer<typeof contactMethodResponse>;

/** `Crm.V2.CreateContactMethodRequest` (POST /contacts/{contactId}/contact-methods). */
export const createContactMethodRequest = z.strictObject({
  referenceId: z.string().optional(),
  type: contactType,
  value: z.string({ error: 'Enter the phone number, email address or fax number.' }),
  memo: z.string().optional(),
});
export type CreateContactMethodRequest = z.infer<typeof createContactMethodRequest>;

/** createContactMethodRequest plus "the value suits the type" (email address, 10–15 digit phone). */
export const createContactMethodRequestChecked = withContactValueCheck(createContactMethodRequest);

/** `Crm.V2.UpsertContactMethodRequest` (PUT …/contact-methods/{contactMethodId}): creates the method when it is missing. */
export const upsertContactMethodRequest = z.strictObject({
  referenceId: z.string().optional(),
  type: contactType,
  value: z.string({ error: 'Enter the phone number, email address or fax number.' }),
  memo: z.string().optional(),
});
export type UpsertContactMethodRequest = z.infer<typeof upsertContactMethodRequest>;

export const upsertContactMethodRequestChecked = withContactValueCheck(upsertContactMethodRequest);

/** `Crm.V2.UpdateContactMethodRequest` (PATCH): the type cannot change, so the server checks the value. */
export const updateContactMethodRequest = z.strictObject({
  value: z.string().optional(),
  memo: z.string().optional(),
});
export type UpdateContactMethodRequest = z.infer<typeof updateContactMethodRequest>;

/** Query of `ContactMethods_GetContactMethods`. */
export const listContactMethodsQuery = z.strictObject({
  referenceId: z.string().optional(),
  type: contactType.optional(),
  value: z.string().optional(),
  createdBefore: dateTimeFilter.optional(),
  createdOnOrAfter: dateTimeFilter.optional(),
  modifiedBefore: dateTimeFilter.optional(),
  modifiedOnOrAfter: dateTimeFilter.optional(),
  ...pageQueryFields,
  sort: sortQuery(SORT_FIELDS),
});
export type ListContactMethodsQuery = z.input<typeof listContactMethodsQuery>;

/** People contacts (`Crm.V2.*Contact*Request`, `Crm.V2.ContactResponse`) and their relationships. */
import * as z from 'zod';
import { checkNotBlank, dateTime, dateTimeFilter, guid, int64, int64Id, optionalField, pageQueryFields, runEvenIfInvalid, SORT_FIELDS, sortQuery } from './common';

/** `Crm.V2.ContactResponse`. */
export const contactResponse = z.looseObject({
  id: guid,
  referenceId: optionalField(z.string()),
  name: optionalField(z.string()),
  title: optionalField(z.string()),
  isArchived: z.boolean(),
  createdOn: dateTime,
  createdBy: int64,
  modifiedOn: dateTime,
  modifiedBy: int64,
});
export type Contact = z.infer<typeof contactResponse>;

/** `Crm.V2.CreateContactRequest` (Contacts_Create): every field is optional. */
export const createContactRequest = z.strictObject({
  name: z.string().optional(),
  title: z.string().optional(),
  referenceId: z.string().optional(),
});
export type CreateContactRequest = z.infer<typeof createContactRequest>;

export const createContactRequestChecked = createContactRequest.superRefine((body, ctx) => {
  checkNotBlank(body.name, ctx, ['name'], 'Enter a name, or leave the field out.');
}, runEvenIfInvalid);

/** `Crm.V2.UpdateContactRequest` (PATCH /contacts/{id}). The spec requires `isArchived` even on PATCH. */
export const updateContactRequest = z.strictObject({
  name: z.string().optional(),
  title: z.string().optional(),
  referenceId: z.string().optional(),
  isArchived: z.boolean({ error: 'Say whether the contact is archived (true or false).' }),
});
export type UpdateContactRequest = z.infer<typeof updateContactRequest>;

export const updateContactRequestChecked = updateContactRequest.superRefine((body, ctx) => {
  checkNotBlank(body.name, ctx, ['name'], 'Enter a name, or leave the field out.');
}, runEvenIfInvalid);

/** `Crm.V2.ReplaceContactRequest` (PUT /contacts/{id}): omitted fields are cleared. */
export const replaceContactRequest = z.strictObject({
  name: z.string().optional(),
  title: z.string().optional(),
  referenceId: z.string().optional(),
  isArchived: z.boolean({ error: 'Say whether the contact is archived (true or false).' }),
});
export type ReplaceContactRequest = z.infer<typeof replaceContactRequest>;

export const replaceContactRequestChecked = replaceContactRequest.superRefine((body, ctx) => {
  checkNotBlank(body.name, ctx, ['name'], 'Enter a name, or leave the field out.');
}, runEvenIfInvalid);

const contactFilterFields = {
  name: z.string().optional(),
  title: z.string().optional(),
  referenceId: z.string().optional(),
  // A string in the spec ("Filters by contact archive status"); ServiceTitan binds it as a bool.
  isArchived: z.boolean().optional(),
  createdBefore: dateTimeFilter.optional(),
  createdOnOrAfter: dateTimeFilter.optional(),
  modifiedBefore: dateTimeFilter.optional(),
  modifiedOnOrAfter: dateTimeFilter.optional(),
  ...pageQueryFields,
  sort: sortQuery(SORT_FIELDS),
};

/** Query of `Contacts_GetList` (GET /contacts). */
export const listContactsQuery = z.strictObject(contactFilterFields);
export type ListContactsQuery = z.input<typeof listContactsQuery>;

/** Query of `Contacts_GetByRelationshipId` (GET /contacts/relationships/{relationshipId}). */
export const listContactsByRelatedEntityQuery = z.strictObject(contactFilterFields);
export type ListContactsByRelatedEntityQuery = z.input<typeof listContactsByRelatedEntityQuery>;

// ---- relationships -------------------------------------------------------------------------------

/** Relationship type slugs the spec names ("customer, location, booking"). */
export const RELATIONSHIP_TYPE_SLUGS = ['customer', 'location', 'booking'] as const;
export const relationshipTypeSlug = z.enum(RELATIONSHIP_TYPE_SLUGS, { error: 'Choose customer, location or booking.' });
export type RelationshipTypeSlug = z.infer<typeof relationshipTypeSlug>;

/** `Crm.V2.ContactRelationshipResponse`. */
export const contactRelationshipResponse = z.looseObject({
  id: guid,
  relatedEntityId: int64,
  typeName: z.string(),
  typeSlug: z.string(),
  createdOn: dateTime,
  createdBy: int64,
});
export type ContactRelationship = z.infer<typeof contactRelationshipResponse>;

/** Query of `Contacts_GetContactRelationshipList` (GET /contacts/{contactId}/relationships). */
export const listContactRelationshipsQuery = z.strictObject({
  relatedEntityId: int64Id.optional(),
  typeSlug: relationshipTypeSlug.optional(),
  typeName: z.string().optional(),
  createdBefore: dateTimeFilter.optional(),
  createdOnOrAfter: dateTimeFilter.optional(),
  ...pageQueryFields,
  sort: sortQuery(SORT_FIELDS),
});
export type ListContactRelationshipsQuery = z.input<typeof listContactRelationshipsQuery>;

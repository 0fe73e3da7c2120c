/** People contacts (`Crm.V2.*Contact*Request`, `Crm.V2.ContactResponse`) and their relationships, from the generated schemas. */
import type * as z from 'zod';
import { CRM_OPERATIONS } from '../generated/operations.gen';
import * as S from '../generated/schemas.gen';

export const contactResponse = S.CrmV2ContactResponse;
export type Contact = S.CrmV2ContactResponse;

/** Every field is optional; a name, when given, must not be blank. */
export const createContactRequest = S.CrmV2CreateContactRequest;
export type CreateContactRequest = S.CrmV2CreateContactRequest;
/** PATCH: the document requires `isArchived` even here. */
export const updateContactRequest = S.CrmV2UpdateContactRequest;
export type UpdateContactRequest = S.CrmV2UpdateContactRequest;
/** PUT: omitted fields are cleared. */
export const replaceContactRequest = S.CrmV2ReplaceContactRequest;
export type ReplaceContactRequest = S.CrmV2ReplaceContactRequest;

export const listContactsQuery = CRM_OPERATIONS.Contacts_GetList.query;
export type ListContactsQuery = z.input<typeof listContactsQuery>;
export const listContactsByRelatedEntityQuery = CRM_OPERATIONS.Contacts_GetByRelationshipId.query;
export type ListContactsByRelatedEntityQuery = z.input<typeof listContactsByRelatedEntityQuery>;

export { RELATIONSHIP_TYPE_SLUGS, relationshipTypeSlug, type RelationshipTypeSlug } from './primitives';
export const contactRelationshipResponse = S.CrmV2ContactRelationshipResponse;
export type ContactRelationship = S.CrmV2ContactRelationshipResponse;
export const listContactRelationshipsQuery = CRM_OPERATIONS.Contacts_GetContactRelationshipList.query;
export type ListContactRelationshipsQuery = z.input<typeof listContactRelationshipsQuery>;

/** Contact methods of a people contact (`Crm.V2.*ContactMethod*`), from the generated schemas. */
import type * as z from 'zod';
import { CRM_OPERATIONS } from '../generated/operations.gen';
import * as S from '../generated/schemas.gen';

export const contactMethodResponse = S.CrmV2ContactMethodResponse;
export type ContactMethod = S.CrmV2ContactMethodResponse;
/** The value must suit the type (e-mail address, 10–15 digit phone). */
export const createContactMethodRequest = S.CrmV2CreateContactMethodRequest;
export type CreateContactMethodRequest = S.CrmV2CreateContactMethodRequest;
/** PUT: replaces the method, or creates it under the given id. */
export const upsertContactMethodRequest = S.CrmV2UpsertContactMethodRequest;
export type UpsertContactMethodRequest = S.CrmV2UpsertContactMethodRequest;
/** PATCH: the type cannot change, so the server checks the value against the stored type. */
export const updateContactMethodRequest = S.CrmV2UpdateContactMethodRequest;
export type UpdateContactMethodRequest = S.CrmV2UpdateContactMethodRequest;
export const listContactMethodsQuery = CRM_OPERATIONS.ContactMethods_GetContactMethods.query;
export type ListContactMethodsQuery = z.input<typeof listContactMethodsQuery>;

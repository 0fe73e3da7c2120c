/** Locations and location contacts (`Crm.V2.Locations.*`, `Crm.V2.LocationContact*`), from the generated schemas. */
import type * as z from 'zod';
import { CRM_OPERATIONS } from '../generated/operations.gen';
import * as S from '../generated/schemas.gen';

/** `externalData` is null unless the query names an application GUID (overlay). */
export const locationResponse = S.CrmV2LocationsLocationResponse;
export type Location = S.CrmV2LocationsLocationResponse;
export const listLocationsQuery = CRM_OPERATIONS.Locations_GetList.query;
export type ListLocationsQuery = z.input<typeof listLocationsQuery>;
export const createLocationRequest = S.CrmV2LocationsCreateLocationRequest;
export type CreateLocationRequest = S.CrmV2LocationsCreateLocationRequest;
export const updateLocationRequest = S.CrmV2LocationsUpdateLocationRequest;
export type UpdateLocationRequest = S.CrmV2LocationsUpdateLocationRequest;

export const locationContactItem = S.CrmV2LocationsLocationContact;
export const locationContactResponse = S.CrmV2LocationContactResponse;
export type LocationContact = S.CrmV2LocationContactResponse;
export const createLocationContactRequest = S.CrmV2LocationContactCreateRequest;
export type CreateLocationContactRequest = S.CrmV2LocationContactCreateRequest;
export const updateLocationContactRequest = S.CrmV2LocationContactUpdateRequest;
export type UpdateLocationContactRequest = S.CrmV2LocationContactUpdateRequest;
export const listLocationContactsQuery = CRM_OPERATIONS.Locations_GetContactList.query;
export type ListLocationContactsQuery = z.input<typeof listLocationContactsQuery>;

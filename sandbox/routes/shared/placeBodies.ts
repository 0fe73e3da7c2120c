// Request bodies of customers and locations: addresses, custom fields and external data, as the
// create and update operations of both store them.
import { CUSTOM_FIELD_NAMES } from '../../customFieldTypes';
import type { Address, CustomField, StoredExternalData } from '../../types';
import type { JsonObject } from '../../validation';
import { optString } from './bodyFields';

/** An AddressModel (or AddressPatchModel) of a validated body. */
export function toAddress(body: JsonObject): Address {
  const address: Address = {
    street: body.street as string,
    city: body.city as string,
    state: body.state as string,
    zip: body.zip as string,
    country: body.country as string,
  };
  const unit = optString(body.unit);
  if (unit !== undefined) address.unit = unit;
  if (typeof body.latitude === 'number') address.latitude = body.latitude;
  if (typeof body.longitude === 'number') address.longitude = body.longitude;
  return address;
}

/** CustomFieldModel items, with the name of each field's type. */
export function toCustomFields(list: unknown): CustomField[] {
  if (!Array.isArray(list)) return [];
  return (list as JsonObject[]).map((item) => {
    const typeId = item.typeId as number;
    const field: CustomField = { typeId };
    const name = CUSTOM_FIELD_NAMES[typeId];
    if (name) field.name = name;
    field.value = item.value as string;
    return field;
  });
}

/** An ExternalDataCreateRequest: its items, stored under its application GUID. */
export function toExternal(request: unknown): StoredExternalData[] {
  if (!request || typeof request !== 'object') return [];
  const body = request as JsonObject;
  const items = (body.externalData as JsonObject[] | null) ?? [];
  return items.map((item) => ({ applicationGuid: body.applicationGuid as string, key: item.key as string, value: item.value as string }));
}

/** The application GUID of a body's ExternalDataCreateRequest: the response shows the external data of that application. */
export function appGuidOf(externalData: unknown): string | undefined {
  return (externalData as JsonObject | null)?.applicationGuid as string | undefined;
}

/** Applies an ExternalDataUpdateRequest (Replace or Merge) to stored external data. */
export function patchExternal(current: StoredExternalData[], request: JsonObject): StoredExternalData[] {
  const appGuid = request.applicationGuid as string;
  const items = request.externalData as JsonObject[];
  let next = [...current];
  if ((request.patchMode as string | null) === 'Merge') {
    for (const item of items) {
      next = next.filter((entry) => !(entry.applicationGuid === appGuid && entry.key === item.key));
      if (typeof item.value === 'string') next.push({ applicationGuid: appGuid, key: item.key as string, value: item.value });
    }
  } else {
    next = next.filter((entry) => entry.applicationGuid !== appGuid);
    for (const item of items) {
      if (typeof item.value === 'string') next.push({ applicationGuid: appGuid, key: item.key as string, value: item.value });
    }
  }
  return next;
}

/** Merges CustomFieldUpdateModel items into stored custom fields by typeId. */
export function mergeCustomFields(current: CustomField[], list: unknown): CustomField[] {
  const next = [...current];
  for (const field of toCustomFields(list)) {
    const i = next.findIndex((existing) => existing.typeId === field.typeId);
    if (i >= 0) next[i] = field;
    else next.push(field);
  }
  return next;
}

// Customers and customer contacts (Crm.V2.Customers.*).
import { addError, badRequest, notFound, type ErrorMap } from '../errors';
import { json, type OperationRoute, type RequestContext } from '../http';
import { checkDuplicateContacts, newPhoneContact, phoneContactRoutes } from './phoneContacts';
import type { ParentContact } from '../lists/parentContactLists';
import type { Address, CustomField, CustomerRec, CustomerType, LocationRec, PhoneContactRec, StoredExternalData } from '../types';
import type { JsonObject } from '../validation';
import { CUSTOM_FIELD_NAMES } from './customFields';
import {
  API_USER_ID, briefContactResponse, checkTagTypeIds, customerContactResponse, customerContactWithCustomerIdResponse, customerResponse,
  inDateRange, locationResponse, nowIso, optString, paginate, readDateRange, readPaging, type RouteDeps,
} from './common';

export function toAddress(o: JsonObject): Address {
  const a: Address = {
    street: o.street as string, city: o.city as string, state: o.state as string, zip: o.zip as string, country: o.country as string,
  };
  const unit = optString(o.unit); if (unit !== undefined) a.unit = unit;
  if (typeof o.latitude === 'number') a.latitude = o.latitude;
  if (typeof o.longitude === 'number') a.longitude = o.longitude;
  return a;
}

export function toCustomFields(list: unknown): CustomField[] {
  if (!Array.isArray(list)) return [];
  return (list as JsonObject[]).map((f) => {
    const typeId = f.typeId as number;
    const out: CustomField = { typeId };
    const name = CUSTOM_FIELD_NAMES[typeId]; if (name) out.name = name;
    out.value = f.value as string;
    return out;
  });
}

export function toExternal(o: unknown): StoredExternalData[] {
  if (!o || typeof o !== 'object') return [];
  const req = o as JsonObject;
  return ((req.externalData as JsonObject[] | null) ?? []).map((e) => ({
    applicationGuid: req.applicationGuid as string, key: e.key as string, value: e.value as string,
  }));
}

/** Applies an ExternalDataUpdateRequest (Replace or Merge) to stored external data. */
export function patchExternal(current: StoredExternalData[], ex: JsonObject): StoredExternalData[] {
  const guid = ex.applicationGuid as string;
  const items = ex.externalData as JsonObject[];
  let next = [...current];
  if ((ex.patchMode as string | null) === 'Merge') {
    for (const it of items) {
      next = next.filter((e) => !(e.applicationGuid === guid && e.key === it.key));
      if (typeof it.value === 'string') next.push({ applicationGuid: guid, key: it.key as string, value: it.value });
    }
  } else {
    next = next.filter((e) => e.applicationGuid !== guid);
    for (const it of items) if (typeof it.value === 'string') next.push({ applicationGuid: guid, key: it.key as string, value: it.value });
  }
  return next;
}

/** Merges CustomFieldUpdateModel items into stored custom fields by typeId. */
export function mergeCustomFields(current: CustomField[], list: unknown): CustomField[] {
  const next = [...current];
  for (const f of toCustomFields(list)) {
    const i = next.findIndex((x) => x.typeId === f.typeId);
    if (i >= 0) next[i] = f; else next.push(f);
  }
  return next;
}

/** Cross-parameter query rules of the customer and location lists (reported with the spec's keys). */
export function externalDataFilterErrors(exKey: string | undefined, exValues: string[] | undefined, appGuid: string | undefined, needGuid: boolean): ErrorMap {
  const errors: ErrorMap = {};
  if ((exKey === undefined) !== (exValues === undefined)) addError(errors, 'ExternalDataKey', "'externalDataKey' and 'externalDataValues' must be provided together.");
  if (needGuid && exKey !== undefined && appGuid === undefined) addError(errors, 'ExternalDataApplicationGuid', "'externalDataApplicationGuid' is required when filtering by external data.");
  return errors;
}

export function customerRoutes(deps: RouteDeps): OperationRoute[] {
  const requireCustomer = (id: number): CustomerRec => {
    const c = deps.store.getCustomer(id);
    if (!c) throw notFound('Customer not found');
    return c;
  };

  const list = (ctx: RequestContext) => {
    const q = ctx.q;
    const paging = readPaging(q);
    const sort = q.sort();
    const ids = q.ids('ids');
    const dates = readDateRange(q);
    const f = {
      name: q.str('name'), street: q.str('street'), unit: q.str('unit'), city: q.str('city'), state: q.str('state'),
      zip: q.str('zip'), country: q.str('country'), latitude: q.num('latitude'), longitude: q.num('longitude'), phone: q.str('phone'),
    };
    const active = q.str('active') ?? 'True';
    const appGuid = q.str('externalDataApplicationGuid');
    const exKey = q.str('externalDataKey');
    const exValues = q.str('externalDataValues')?.split(',').map((v) => v.trim());
    const errors = externalDataFilterErrors(exKey, exValues, appGuid, true);
    if (Object.keys(errors).length > 0) throw badRequest(errors);

    const external = exKey !== undefined && exValues !== undefined ? { appGuid, key: exKey, values: exValues } : undefined;
    return json(deps.store.lists.customers.page({ ...f, active, dates, ids, external }, sort, paging, (c) => customerResponse(c, appGuid)));
  };

  const get = (ctx: RequestContext) => json(customerResponse(requireCustomer(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
    const st = deps.store;
    const errors: ErrorMap = {};
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    checkDuplicateContacts(errors, '', body.contacts);
    (body.locations as JsonObject[]).forEach((l, i) => {
      checkTagTypeIds(errors, `Locations[${i}].TagTypeIds`, l.tagTypeIds);
      checkDuplicateContacts(errors, `Locations[${i}].`, l.contacts);
    });
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const now = nowIso();
    const customerId = st.nextId();
    const customer: CustomerRec = {
      id: customerId, active: true, name: (body.name as string).trim(), type: (body.type as CustomerType | null) ?? 'Residential',
      address: toAddress(body.address as JsonObject), customFields: toCustomFields(body.customFields), balance: 0,
      taxExempt: (body.taxExempt as boolean | null) ?? false,
      tagTypeIds: (body.tagTypeIds as number[] | null) ?? [], doNotMail: (body.doNotMail as boolean | null) ?? false,
      doNotService: (body.doNotService as boolean | null) ?? false, nationalAccount: (body.nationalAccount as boolean | null) ?? false,
      createdOn: now, createdById: API_USER_ID, modifiedOn: now,
      externalData: toExternal(body.externalData),
    };
    for (const k of ['paymentTermId', 'creditLimit', 'creditLimitBalance'] as const) {
      const v = body[k];
      if (typeof v === 'number') customer[k] = v;
    }
    const appGuid = (body.externalData as JsonObject | null)?.applicationGuid as string | undefined;
    const contacts = ((body.contacts as JsonObject[] | null) ?? []).map((c) => newPhoneContact(st.nextId(), c, now));
    const locations: Array<{ loc: LocationRec; contacts: PhoneContactRec[] }> = (body.locations as JsonObject[]).map((l) => {
      const loc: LocationRec = {
        id: st.nextId(), customerId, active: true, name: (l.name as string).trim(), address: toAddress(l.address as JsonObject),
        customFields: toCustomFields(l.customFields), createdOn: now, createdById: API_USER_ID, modifiedOn: now,
        taxExempt: customer.taxExempt, tagTypeIds: (l.tagTypeIds as number[] | null) ?? [], externalData: toExternal(l.externalData),
      };
      return { loc, contacts: ((l.contacts as JsonObject[] | null) ?? []).map((c) => newPhoneContact(st.nextId(), c, now)) };
    });
    st.putCustomer(customer, true);
    st.setCustomerContacts(customerId, contacts);
    for (const { loc, contacts: lc } of locations) { st.putLocation(loc, true); st.setLocationContacts(loc.id, lc); }
    deps.commit();
    return json({
      ...customerResponse(customer, appGuid),
      locations: locations.map(({ loc, contacts: lc }, i) => {
        const lg = ((body.locations as JsonObject[])[i]?.externalData as JsonObject | null)?.applicationGuid as string | undefined;
        return { ...locationResponse(loc, lg), contacts: lc.map(briefContactResponse) };
      }),
      contacts: contacts.map(briefContactResponse),
    });
  };

  const update = (ctx: RequestContext) => {
    const body = ctx.json;
    const st = deps.store;
    const existing = requireCustomer(ctx.path.id('id'));
    const errors: ErrorMap = {};
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const next: CustomerRec = { ...existing, address: { ...existing.address }, customFields: [...existing.customFields], externalData: [...existing.externalData] };
    if (typeof body.name === 'string') next.name = body.name.trim();
    if (typeof body.type === 'string') next.type = body.type as CustomerType;
    if (body.address) next.address = toAddress(body.address as JsonObject);
    if (Array.isArray(body.customFields)) next.customFields = mergeCustomFields(next.customFields, body.customFields);
    if (body.externalData) next.externalData = patchExternal(next.externalData, body.externalData as JsonObject);
    for (const k of ['doNotMail', 'doNotService', 'active', 'taxExempt', 'nationalAccount'] as const) {
      const v = body[k];
      if (typeof v === 'boolean') next[k] = v;
    }
    for (const k of ['paymentTermId', 'creditLimit', 'creditLimitBalance'] as const) {
      const v = body[k];
      if (typeof v === 'number') next[k] = v;
    }
    if (Array.isArray(body.tagTypeIds)) next.tagTypeIds = body.tagTypeIds as number[];
    next.modifiedOn = nowIso();
    st.putCustomer(next, false);
    deps.commit();
    return json(customerResponse(next));
  };

  /** GET /customers/contacts: contacts of every customer (or of `customerIds`), with their customer id. */
  const modifiedContacts = (ctx: RequestContext) => {
    const q = ctx.q;
    const paging = readPaging(q);
    const dates = readDateRange(q);
    const ids = q.ids('customerIds');
    const st = deps.store;
    const map = (r: ParentContact): Record<string, unknown> => customerContactWithCustomerIdResponse(r.parentId, r.rec);
    if (!ids) return json(st.lists.customerContacts.page(dates, paging, map));
    const rows = [...new Set(ids)].sort((a, b) => a - b)
      .flatMap((id) => (st.getCustomer(id) ? st.customerContacts(id).map((rec) => ({ parentId: id, rec })) : []));
    return json(paginate(rows, paging, map, (r) => inDateRange(dates, r.rec.createdOn, r.rec.modifiedOn)));
  };

  return [
    { operationId: 'Customers_GetList', handler: list },
    { operationId: 'Customers_Create', handler: create },
    { operationId: 'Customers_Get', handler: get },
    { operationId: 'Customers_Update', handler: update },
    { operationId: 'Customers_GetModifiedContactsList', handler: modifiedContacts },
    ...phoneContactRoutes(deps, {
      operations: { list: 'Customers_GetContactList', create: 'Customers_CreateContact', update: 'Customers_UpdateContact', remove: 'Customers_DeleteContact' },
      requireParent: (id) => { requireCustomer(id); },
      contacts: (id) => deps.store.customerContacts(id),
      setContacts: (id, contacts) => deps.store.setCustomerContacts(id, contacts),
      toResponse: customerContactResponse,
    }),
  ];
}

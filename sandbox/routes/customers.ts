// Customers and customer contacts (Crm.V2.Customers.*).
import { notFound } from '../errors';
import { json, type Route, type RequestContext } from '../http';
import * as S from '../schemas';
import { newPhoneContact, phoneContactRoutes } from './phoneContacts';
import type { Address, CustomField, CustomerRec, CustomerType, LocationRec, PhoneContactRec, StoredExternalData } from '../types';
import { parseBody, QueryReader, type JsonObject } from '../validation';
import {
  API_USER_ID, PathParams, briefContactResponse, contains, customerContactResponse, customerResponse, inDateRange, locationResponse,
  nowIso, optString, paginate, readDateRange, readPaging, readSort, samePhone, sortByDate,
  type RouteDeps,
} from './common';

const CUSTOM_FIELD_NAMES: Record<number, string> = { 9001: 'Referral Source', 9002: 'Gate Code', 9003: 'Preferred Technician' };

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

function toExternal(o: unknown): StoredExternalData[] {
  if (!o || typeof o !== 'object') return [];
  const req = o as JsonObject;
  return ((req.externalData as JsonObject[] | null) ?? []).map((e) => ({
    applicationGuid: req.applicationGuid as string, key: e.key as string, value: e.value as string,
  }));
}


export function customerRoutes(deps: RouteDeps): Route[] {
  const R = 'tn.crm.customers:r', W = 'tn.crm.customers:w';

  const list = (ctx: RequestContext) => {
    const q = new QueryReader(ctx.query);
    const paging = readPaging(q);
    const sort = readSort(q, ['Id', 'ModifiedOn', 'CreatedOn']);
    const ids = q.int64List('ids', 50);
    const dates = readDateRange(q);
    q.bool('excludeAccountingChangesFromModifiedDateRange');
    const f = {
      name: q.string('name'), street: q.string('street'), unit: q.string('unit'), city: q.string('city'), state: q.string('state'),
      zip: q.string('zip'), country: q.string('country'), phone: q.string('phone'),
    };
    q.double('latitude'); q.double('longitude');
    const active = q.enumOf('active', ['True', 'Any', 'False'] as const) ?? 'True';
    const appGuid = q.guid('externalDataApplicationGuid');
    const exKey = q.string('externalDataKey');
    const exValues = q.string('externalDataValues')?.split(',').map((v) => v.trim());
    if ((exKey === undefined) !== (exValues === undefined)) q.addError('externalDataKey', "'externalDataKey' and 'externalDataValues' must be provided together.");
    if (exKey !== undefined && appGuid === undefined) q.addError('externalDataApplicationGuid', "'externalDataApplicationGuid' is required when filtering by external data.");
    q.throwIfInvalid();

    const st = deps.store;
    const eq = (a: string | undefined, b: string): boolean => (a ?? '').toLowerCase() === b.toLowerCase();
    const filter = (c: CustomerRec): boolean => {
      if (active === 'True' && !c.active) return false;
      if (active === 'False' && c.active) return false;
      if (f.name !== undefined && !contains(c.name, f.name)) return false;
      if (f.street !== undefined && !contains(c.address.street, f.street)) return false;
      if (f.city !== undefined && !contains(c.address.city, f.city)) return false;
      if (f.unit !== undefined && !eq(c.address.unit, f.unit)) return false;
      if (f.state !== undefined && !eq(c.address.state, f.state)) return false;
      if (f.zip !== undefined && !eq(c.address.zip, f.zip)) return false;
      if (f.country !== undefined && !eq(c.address.country, f.country)) return false;
      if (!inDateRange(dates, c.createdOn, c.modifiedOn)) return false;
      if (exKey !== undefined && exValues !== undefined
        && !c.externalData.some((e) => e.applicationGuid === appGuid && e.key === exKey && exValues.includes(e.value))) return false;
      if (f.phone !== undefined) {
        const phone = f.phone;
        if (!st.customerContacts(c.id).some((k) => k.type !== 'Email' && samePhone(k.value, phone))) return false;
      }
      return true;
    };
    const map = (c: CustomerRec) => customerResponse(c, appGuid);
    const desc = sort?.descending ?? false;
    let source: Iterable<CustomerRec>;
    if (ids) {
      const rows = [...new Set(ids)].sort((a, b) => a - b).map((id) => st.getCustomer(id)).filter((c): c is CustomerRec => c !== undefined);
      source = desc ? rows.reverse() : rows;
    } else source = st.customers(sort?.field === 'Id' ? desc : false);
    if (sort && sort.field !== 'Id') {
      const rows = sortByDate([...source].filter(filter), sort.field as 'CreatedOn' | 'ModifiedOn', desc);
      return json(paginate(rows, paging, map));
    }
    return json(paginate(source, paging, map, filter));
  };

  const get = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.int64('id');
    p.throwIfInvalid();
    const c = deps.store.getCustomer(id);
    if (!c) throw notFound('Customer not found');
    return json(customerResponse(c));
  };

  const create = (ctx: RequestContext) => {
    const body = parseBody(ctx, S.CreateCustomerRequest);
    const st = deps.store;
    const now = nowIso();
    const customerId = st.nextId();
    const customer: CustomerRec = {
      id: customerId, active: true, name: (body.name as string).trim(), type: (body.type as CustomerType | null) ?? 'Residential',
      address: toAddress(body.address as JsonObject), customFields: toCustomFields(body.customFields), balance: 0,
      tagTypeIds: (body.tagTypeIds as number[] | null) ?? [], doNotMail: (body.doNotMail as boolean | null) ?? false,
      doNotService: (body.doNotService as boolean | null) ?? false, createdOn: now, createdById: API_USER_ID, modifiedOn: now,
      externalData: toExternal(body.externalData),
    };
    const appGuid = (body.externalData as JsonObject | null)?.applicationGuid as string | undefined;
    const contacts = ((body.contacts as JsonObject[] | null) ?? []).map((c) => newPhoneContact(st.nextId(), c, now));
    const locations: Array<{ loc: LocationRec; contacts: PhoneContactRec[] }> = (body.locations as JsonObject[]).map((l) => {
      const loc: LocationRec = {
        id: st.nextId(), customerId, active: true, name: (l.name as string).trim(), address: toAddress(l.address as JsonObject),
        customFields: toCustomFields(l.customFields), createdOn: now, createdById: API_USER_ID, modifiedOn: now,
        tagTypeIds: (l.tagTypeIds as number[] | null) ?? [], externalData: toExternal(l.externalData),
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
    const p = new PathParams(ctx.params);
    const id = p.int64('id');
    const body = parseBody(ctx, S.UpdateCustomerRequest, p.errors);
    const st = deps.store;
    const existing = st.getCustomer(id);
    if (!existing) throw notFound('Customer not found');
    const next: CustomerRec = { ...existing, address: { ...existing.address }, customFields: [...existing.customFields], externalData: [...existing.externalData] };
    if (typeof body.name === 'string') next.name = body.name.trim();
    if (typeof body.type === 'string') next.type = body.type as CustomerType;
    if (body.address) next.address = toAddress(body.address as JsonObject);
    if (Array.isArray(body.customFields)) {
      for (const f of toCustomFields(body.customFields)) {
        const i = next.customFields.findIndex((x) => x.typeId === f.typeId);
        if (i >= 0) next.customFields[i] = f; else next.customFields.push(f);
      }
    }
    if (body.externalData) {
      const ex = body.externalData as JsonObject;
      const guid = ex.applicationGuid as string;
      const items = ex.externalData as JsonObject[];
      if ((ex.patchMode as string | null) === 'Merge') {
        for (const it of items) {
          next.externalData = next.externalData.filter((e) => !(e.applicationGuid === guid && e.key === it.key));
          if (typeof it.value === 'string') next.externalData.push({ applicationGuid: guid, key: it.key as string, value: it.value });
        }
      } else {
        next.externalData = next.externalData.filter((e) => e.applicationGuid !== guid);
        for (const it of items) if (typeof it.value === 'string') next.externalData.push({ applicationGuid: guid, key: it.key as string, value: it.value });
      }
    }
    if (typeof body.doNotMail === 'boolean') next.doNotMail = body.doNotMail;
    if (typeof body.doNotService === 'boolean') next.doNotService = body.doNotService;
    if (typeof body.active === 'boolean') next.active = body.active;
    if (Array.isArray(body.tagTypeIds)) next.tagTypeIds = body.tagTypeIds as number[];
    next.modifiedOn = nowIso();
    st.putCustomer(next, false);
    deps.commit();
    return json(customerResponse(next));
  };

  return [
    { method: 'GET', pattern: '/customers', scope: R, handler: list },
    { method: 'POST', pattern: '/customers', scope: W, handler: create },
    { method: 'GET', pattern: '/customers/{id}', scope: R, handler: get },
    { method: 'PATCH', pattern: '/customers/{id}', scope: W, handler: update },
    ...phoneContactRoutes(deps, {
      base: '/customers',
      readScope: R,
      writeScope: W,
      requireParent: (id) => {
        if (!deps.store.getCustomer(id)) throw notFound('Customer not found');
      },
      contacts: (id) => deps.store.customerContacts(id),
      setContacts: (id, contacts) => deps.store.setCustomerContacts(id, contacts),
      createSchema: S.CreateCustomerContactRequest,
      updateSchema: S.UpdateCustomerContactRequest,
      toResponse: customerContactResponse,
    }),
  ];
}

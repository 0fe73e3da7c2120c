// Locations (Crm.V2.Locations.*), location contacts (Crm.V2.Location*) and preferred technicians.
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { ParentContact } from '../lists/parentContactLists';
import { TECHNICIAN_IDS } from '../seed';
import type { Address, LocationRec, PhoneContactRec } from '../types';
import type { JsonObject } from '../validation';
import {
  API_USER_ID, briefContactResponse, checkTagTypeIds, inDateRange, locationContactResponse, locationResponse, locationsContactResponse,
  nowIso, optString, paginate, readDateRange, readPaging, type RouteDeps,
} from './common';
import { externalDataFilterErrors, mergeCustomFields, patchExternal, toAddress, toCustomFields, toExternal } from './customers';
import { checkDuplicateContacts, newPhoneContact, phoneContactRoutes } from './phoneContacts';

const sameText = (a: string | undefined, b: string | undefined): boolean => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
function sameAddress(a: Address, b: Address): boolean {
  return sameText(a.street, b.street) && sameText(a.unit, b.unit) && sameText(a.city, b.city) && sameText(a.state, b.state)
    && sameText(a.zip, b.zip) && sameText(a.country, b.country);
}

export function locationRoutes(deps: RouteDeps): OperationRoute[] {
  const requireLocation = (id: number): LocationRec => {
    const l = deps.store.getLocation(id);
    if (!l) throw notFound('Location not found');
    return l;
  };
  /** 409 when the customer already has another active location at this address. */
  const assertNoDuplicateAddress = (customerId: number, address: Address, exceptId?: number): void => {
    const st = deps.store;
    const other = st.locationIdsOfCustomer(customerId).map((id) => st.getLocation(id))
      .find((l) => l !== undefined && l.id !== exceptId && l.active && sameAddress(l.address, address));
    if (other) throw conflict(`Customer ${customerId} already has a location at this address (${other.id})`);
  };

  const list = (ctx: RequestContext) => {
    const q = ctx.q;
    const paging = readPaging(q);
    const sort = q.sort();
    const ids = q.ids('ids');
    const customerId = q.num('customerId');
    const dates = readDateRange(q);
    const f = {
      name: q.str('name'), street: q.str('street'), unit: q.str('unit'), city: q.str('city'),
      state: q.str('state'), zip: q.str('zip'), country: q.str('country'), latitude: q.num('latitude'), longitude: q.num('longitude'),
    };
    const active = q.str('active') ?? 'True';
    const appGuid = q.str('externalDataApplicationGuid');
    const exKey = q.str('externalDataKey');
    const exValues = q.str('externalDataValues')?.split(',').map((v) => v.trim());
    const errors = externalDataFilterErrors(exKey, exValues, appGuid, false);
    if (Object.keys(errors).length > 0) throw badRequest(errors);

    const external = exKey !== undefined && exValues !== undefined ? { appGuid, key: exKey, values: exValues } : undefined;
    return json(deps.store.lists.locations.page({ ...f, active, dates, ids, customerId, external }, sort, paging, (l) => locationResponse(l, appGuid)));
  };

  const get = (ctx: RequestContext) => json(locationResponse(requireLocation(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
    const st = deps.store;
    const customerId = body.customerId as number;
    const customer = st.getCustomer(customerId);
    const errors: ErrorMap = {};
    if (!customer) addError(errors, 'CustomerId', `Customer ${customerId} not found.`);
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    checkDuplicateContacts(errors, '', body.contacts);
    if (!customer || Object.keys(errors).length > 0) throw badRequest(errors);
    const address = toAddress(body.address as JsonObject);
    assertNoDuplicateAddress(customerId, address);
    const now = nowIso();
    const loc: LocationRec = {
      id: st.nextId(), customerId, active: true, name: (body.name as string).trim(), address,
      customFields: toCustomFields(body.customFields), createdOn: now, createdById: API_USER_ID, modifiedOn: now,
      taxExempt: customer.taxExempt, tagTypeIds: (body.tagTypeIds as number[] | null) ?? [], externalData: toExternal(body.externalData),
    };
    const contacts: PhoneContactRec[] = ((body.contacts as JsonObject[] | null) ?? []).map((c) => newPhoneContact(st.nextId(), c, now));
    st.putLocation(loc, true);
    st.setLocationContacts(loc.id, contacts);
    deps.commit();
    const appGuid = (body.externalData as JsonObject | null)?.applicationGuid as string | undefined;
    const { taxZoneId, ...rest } = locationResponse(loc, appGuid);
    // Crm.V2.Locations.CreateLocationResponse lists taxZoneId first.
    return json({ ...(taxZoneId === undefined ? {} : { taxZoneId }), ...rest, contacts: contacts.map(briefContactResponse) });
  };

  const update = (ctx: RequestContext) => {
    const body = ctx.json;
    const st = deps.store;
    const existing = requireLocation(ctx.path.id('id'));
    const errors: ErrorMap = {};
    const moves = typeof body.customerId === 'number' && body.customerId !== existing.customerId;
    if (moves && !st.getCustomer(body.customerId as number)) addError(errors, 'CustomerId', `Customer ${String(body.customerId)} not found.`);
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    if (moves) throw conflict('The sandbox cannot move a location to another customer');
    const next: LocationRec = { ...existing, address: { ...existing.address }, customFields: [...existing.customFields], externalData: [...existing.externalData] };
    if (typeof body.name === 'string') next.name = body.name.trim();
    if (body.address) {
      const a = body.address as JsonObject;
      const address = toAddress(a);
      // AddressPatchModel: latitude/longitude are optional; absent keeps the stored ones.
      if (a.latitude === undefined && existing.address.latitude !== undefined) address.latitude = existing.address.latitude;
      if (a.longitude === undefined && existing.address.longitude !== undefined) address.longitude = existing.address.longitude;
      if (optString(a.unit) === undefined) delete address.unit;
      next.address = address;
    }
    if (typeof body.active === 'boolean') next.active = body.active;
    if (typeof body.taxZoneId === 'number') next.taxZoneId = body.taxZoneId;
    if (Array.isArray(body.customFields)) next.customFields = mergeCustomFields(next.customFields, body.customFields);
    if (Array.isArray(body.tagTypeIds)) next.tagTypeIds = body.tagTypeIds as number[];
    if (body.externalData) next.externalData = patchExternal(next.externalData, body.externalData as JsonObject);
    if (next.active && (body.address || body.active === true)) assertNoDuplicateAddress(next.customerId, next.address, next.id);
    next.modifiedOn = nowIso();
    st.putLocation(next, false);
    deps.commit();
    return json(locationResponse(next));
  };

  /** GET /locations/contacts: contacts of every location (or of `locationIds`), with their location id. */
  const allContacts = (ctx: RequestContext) => {
    const q = ctx.q;
    const paging = readPaging(q);
    const dates = readDateRange(q);
    const ids = q.ids('locationIds');
    const st = deps.store;
    const map = (r: ParentContact): Record<string, unknown> => locationsContactResponse(r.parentId, r.rec);
    if (!ids) return json(st.lists.locationContacts.page(dates, paging, map));
    const rows = [...new Set(ids)].sort((a, b) => a - b)
      .flatMap((id) => (st.getLocation(id) ? st.locationContacts(id).map((rec) => ({ parentId: id, rec })) : []));
    return json(paginate(rows, paging, map, (r) => inDateRange(dates, r.rec.createdOn, r.rec.modifiedOn)));
  };

  /** The bare technician id, or null (the response schema is a nullable int64). */
  const getTechnician = (ctx: RequestContext) => json(requireLocation(ctx.path.id('id')).preferredTechnicianId ?? null);

  const setTechnician = (ctx: RequestContext) => {
    const st = deps.store;
    const existing = requireLocation(ctx.path.id('id'));
    const tech = ctx.path.id('preferredTechnicianId');
    if (tech < TECHNICIAN_IDS.first || tech > TECHNICIAN_IDS.last) throw notFound(`Technician ${tech} not found`);
    st.putLocation({ ...existing, preferredTechnicianId: tech, modifiedOn: nowIso() }, false);
    deps.commit();
    return empty();
  };

  return [
    { operationId: 'Locations_GetList', handler: list },
    { operationId: 'Locations_Get', handler: get },
    { operationId: 'Locations_Create', handler: create },
    { operationId: 'Locations_Update', handler: update },
    { operationId: 'Locations_GetLocationsContactsList', handler: allContacts },
    { operationId: 'Locations_GetPreferredTechnician', handler: getTechnician },
    { operationId: 'Locations_UpdatePreferredTechnician', handler: setTechnician },
    ...phoneContactRoutes(deps, {
      operations: { list: 'Locations_GetContactList', create: 'Locations_CreateContact', update: 'Locations_UpdateContact', remove: 'Locations_DeleteContact' },
      requireParent: (id) => { requireLocation(id); },
      contacts: (id) => deps.store.locationContacts(id),
      setContacts: (id, contacts) => deps.store.setLocationContacts(id, contacts),
      toResponse: locationContactResponse,
    }),
  ];
}

// Locations (Crm.V2.Locations.*), location contacts (Crm.V2.Location*) and preferred technicians.
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { ParentContact } from '../lists/parentContactLists';
import { inDateRange } from '../query/dateRange';
import { paginate } from '../query/paging';
import { TECHNICIAN_IDS } from '../seed';
import type { Address, LocationRec, PhoneContactRec } from '../types';
import type { JsonObject } from '../validation';
import { optString } from './shared/bodyFields';
import { readDateRange, readExternalDataFilter, readPaging, readPlaceQuery } from './shared/listQuery';
import { locationContactResponse, locationsContactResponse } from './shared/phoneContactResponses';
import { checkDuplicateContacts, newPhoneContact, phoneContactRoutes } from './shared/phoneContactRoutes';
import { appGuidOf, mergeCustomFields, patchExternal, toAddress, toCustomFields, toExternal } from './shared/placeBodies';
import { briefContactResponse, locationResponse } from './shared/placeResponses';
import { API_USER_ID, nowIso, type RouteDeps } from './shared/routeDeps';
import { checkTagTypeIds } from './shared/tagTypes';

function sameText(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
}

/** Two addresses are the same place when their text fields are, ignoring case and outer spaces (coordinates aside). */
function sameAddress(a: Address, b: Address): boolean {
  return (
    sameText(a.street, b.street) &&
    sameText(a.unit, b.unit) &&
    sameText(a.city, b.city) &&
    sameText(a.state, b.state) &&
    sameText(a.zip, b.zip) &&
    sameText(a.country, b.country)
  );
}

export function locationRoutes(deps: RouteDeps): OperationRoute[] {
  const requireLocation = (id: number): LocationRec => {
    const location = deps.store.getLocation(id);
    if (!location) throw notFound('Location not found');
    return location;
  };
  /** 409 when the customer already has another active location at this address. */
  const assertNoDuplicateAddress = (customerId: number, address: Address, exceptId?: number): void => {
    const store = deps.store;
    const other = store
      .locationIdsOfCustomer(customerId)
      .map((id) => store.getLocation(id))
      .find((location) => location !== undefined && location.id !== exceptId && location.active && sameAddress(location.address, address));
    if (other) throw conflict(`Customer ${customerId} already has a location at this address (${other.id})`);
  };

  const list = (ctx: RequestContext) => {
    const query = ctx.q;
    const paging = readPaging(query);
    const sort = query.sort();
    const filter = { ...readPlaceQuery(query), ids: query.ids('ids'), customerId: query.num('customerId') };
    const { appGuid, external } = readExternalDataFilter(query, false);
    return json(deps.store.lists.locations.page({ ...filter, external }, sort, paging, (location) => locationResponse(location, appGuid)));
  };

  const get = (ctx: RequestContext) => json(locationResponse(requireLocation(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
    const store = deps.store;
    const customerId = body.customerId as number;
    const customer = store.getCustomer(customerId);
    const errors: ErrorMap = {};
    if (!customer) addError(errors, 'CustomerId', `Customer ${customerId} not found.`);
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    checkDuplicateContacts(errors, '', body.contacts);
    if (!customer || Object.keys(errors).length > 0) throw badRequest(errors);
    const address = toAddress(body.address as JsonObject);
    assertNoDuplicateAddress(customerId, address);
    const now = nowIso();
    const location: LocationRec = {
      id: store.nextId(),
      customerId,
      active: true,
      name: (body.name as string).trim(),
      address,
      customFields: toCustomFields(body.customFields),
      createdOn: now,
      createdById: API_USER_ID,
      modifiedOn: now,
      taxExempt: customer.taxExempt,
      tagTypeIds: (body.tagTypeIds as number[] | null) ?? [],
      externalData: toExternal(body.externalData),
    };
    const contactBodies = (body.contacts as JsonObject[] | null) ?? [];
    const contacts: PhoneContactRec[] = contactBodies.map((contactBody) => newPhoneContact(store.nextId(), contactBody, now));
    store.putLocation(location, true);
    store.setLocationContacts(location.id, contacts);
    deps.commit();
    const { taxZoneId, ...rest } = locationResponse(location, appGuidOf(body.externalData));
    // Crm.V2.Locations.CreateLocationResponse lists taxZoneId first.
    return json({ ...(taxZoneId === undefined ? {} : { taxZoneId }), ...rest, contacts: contacts.map(briefContactResponse) });
  };

  const update = (ctx: RequestContext) => {
    const body = ctx.json;
    const store = deps.store;
    const existing = requireLocation(ctx.path.id('id'));
    const errors: ErrorMap = {};
    const moves = typeof body.customerId === 'number' && body.customerId !== existing.customerId;
    if (moves && !store.getCustomer(body.customerId as number)) addError(errors, 'CustomerId', `Customer ${String(body.customerId)} not found.`);
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    if (moves) throw conflict('The sandbox cannot move a location to another customer');
    const next: LocationRec = {
      ...existing,
      address: { ...existing.address },
      customFields: [...existing.customFields],
      externalData: [...existing.externalData],
    };
    if (typeof body.name === 'string') next.name = body.name.trim();
    if (body.address) {
      const addressBody = body.address as JsonObject;
      const address = toAddress(addressBody);
      // AddressPatchModel: latitude/longitude are optional; absent keeps the stored ones.
      if (addressBody.latitude === undefined && existing.address.latitude !== undefined) address.latitude = existing.address.latitude;
      if (addressBody.longitude === undefined && existing.address.longitude !== undefined) address.longitude = existing.address.longitude;
      if (optString(addressBody.unit) === undefined) delete address.unit;
      next.address = address;
    }
    if (typeof body.active === 'boolean') next.active = body.active;
    if (typeof body.taxZoneId === 'number') next.taxZoneId = body.taxZoneId;
    if (Array.isArray(body.customFields)) next.customFields = mergeCustomFields(next.customFields, body.customFields);
    if (Array.isArray(body.tagTypeIds)) next.tagTypeIds = body.tagTypeIds as number[];
    if (body.externalData) next.externalData = patchExternal(next.externalData, body.externalData as JsonObject);
    if (next.active && (body.address || body.active === true)) assertNoDuplicateAddress(next.customerId, next.address, next.id);
    next.modifiedOn = nowIso();
    store.putLocation(next, false);
    deps.commit();
    return json(locationResponse(next));
  };

  /** GET /locations/contacts: contacts of every location (or of `locationIds`), with their location id. */
  const allContacts = (ctx: RequestContext) => {
    const query = ctx.q;
    const paging = readPaging(query);
    const dates = readDateRange(query);
    const ids = query.ids('locationIds');
    const store = deps.store;
    const map = (row: ParentContact): Record<string, unknown> => locationsContactResponse(row.parentId, row.rec);
    if (!ids) return json(store.lists.locationContacts.page(dates, paging, map));
    const rows = [...new Set(ids)]
      .sort((a, b) => a - b)
      .flatMap((id) => (store.getLocation(id) ? store.locationContacts(id).map((rec) => ({ parentId: id, rec })) : []));
    return json(paginate(rows, paging, map, (row) => inDateRange(dates, row.rec.createdOn, row.rec.modifiedOn)));
  };

  /** The bare technician id, or null (the response schema is a nullable int64). */
  const getTechnician = (ctx: RequestContext) => json(requireLocation(ctx.path.id('id')).preferredTechnicianId ?? null);

  const setTechnician = (ctx: RequestContext) => {
    const existing = requireLocation(ctx.path.id('id'));
    const technicianId = ctx.path.id('preferredTechnicianId');
    if (technicianId < TECHNICIAN_IDS.first || technicianId > TECHNICIAN_IDS.last) throw notFound(`Technician ${technicianId} not found`);
    deps.store.putLocation({ ...existing, preferredTechnicianId: technicianId, modifiedOn: nowIso() }, false);
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
      requireParent: (id) => {
        requireLocation(id);
      },
      contacts: (id) => deps.store.locationContacts(id),
      setContacts: (id, contacts) => deps.store.setLocationContacts(id, contacts),
      toResponse: locationContactResponse,
    }),
  ];
}

// Locations (read) and location contacts (Crm.V2.Location*).
import { notFound } from '../errors';
import { empty, json, type RequestContext, type Route } from '../http';
import * as S from '../schemas';
import type { ContactType, LocationRec } from '../types';
import { parseBody, QueryReader } from '../validation';
import {
  PathParams, contains, inDateRange, locationContactResponse, locationResponse, nowIso, paginate, readDateRange, readPaging,
  readSort, type RouteDeps,
} from './common';
import { assertNoDuplicate, newPhoneContact, patchPhoneContact } from './customers';

export function locationRoutes(deps: RouteDeps): Route[] {
  const R = 'tn.crm.locations:r', W = 'tn.crm.locations:w';

  const list = (ctx: RequestContext) => {
    const q = new QueryReader(ctx.query);
    const paging = readPaging(q);
    const sort = readSort(q, ['Id']);
    const ids = q.int64List('ids', 50);
    const customerId = q.int64('customerId');
    const dates = readDateRange(q);
    const f = {
      name: q.string('name'), street: q.string('street'), unit: q.string('unit'), city: q.string('city'),
      state: q.string('state'), zip: q.string('zip'), country: q.string('country'),
    };
    q.double('latitude'); q.double('longitude');
    const active = q.enumOf('active', ['True', 'Any', 'False'] as const) ?? 'True';
    const appGuid = q.guid('externalDataApplicationGuid');
    const exKey = q.string('externalDataKey');
    const exValues = q.string('externalDataValues')?.split(',').map((v) => v.trim());
    if ((exKey === undefined) !== (exValues === undefined)) q.addError('externalDataKey', "'externalDataKey' and 'externalDataValues' must be provided together.");
    q.throwIfInvalid();

    const st = deps.store;
    const eq = (a: string | undefined, b: string): boolean => (a ?? '').toLowerCase() === b.toLowerCase();
    const filter = (l: LocationRec): boolean => {
      if (active === 'True' && !l.active) return false;
      if (active === 'False' && l.active) return false;
      if (customerId !== undefined && l.customerId !== customerId) return false;
      if (f.name !== undefined && !contains(l.name, f.name)) return false;
      if (f.street !== undefined && !contains(l.address.street, f.street)) return false;
      if (f.city !== undefined && !contains(l.address.city, f.city)) return false;
      if (f.unit !== undefined && !eq(l.address.unit, f.unit)) return false;
      if (f.state !== undefined && !eq(l.address.state, f.state)) return false;
      if (f.zip !== undefined && !eq(l.address.zip, f.zip)) return false;
      if (f.country !== undefined && !eq(l.address.country, f.country)) return false;
      if (exKey !== undefined && exValues !== undefined
        && !l.externalData.some((e) => (appGuid === undefined || e.applicationGuid === appGuid) && e.key === exKey && exValues.includes(e.value))) return false;
      return inDateRange(dates, l.createdOn, l.modifiedOn);
    };
    const desc = sort?.descending ?? false;
    let source: Iterable<LocationRec>;
    if (ids) {
      const rows = [...new Set(ids)].sort((a, b) => a - b).map((id) => st.getLocation(id)).filter((l): l is LocationRec => l !== undefined);
      source = desc ? rows.reverse() : rows;
    } else if (customerId !== undefined) {
      // Direct lookup keeps "locations of one customer" cheap with 100 000 customers.
      const rows = st.locationIdsOfCustomer(customerId).map((id) => st.getLocation(id)).filter((l): l is LocationRec => l !== undefined);
      source = desc ? rows.reverse() : rows;
    } else {
      source = st.locations(desc);
    }
    return json(paginate(source, paging, (l) => locationResponse(l, appGuid), filter));
  };

  const get = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.int64('id');
    p.throwIfInvalid();
    const l = deps.store.getLocation(id);
    if (!l) throw notFound('Location not found');
    return json(locationResponse(l));
  };

  const requireLocation = (id: number): void => {
    if (!deps.store.getLocation(id)) throw notFound('Location not found');
  };

  const listContacts = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.int64('id');
    const q = new QueryReader(ctx.query);
    const paging = readPaging(q);
    q.throwIfInvalid(p.errors);
    requireLocation(id);
    return json(paginate(deps.store.locationContacts(id), paging, locationContactResponse));
  };

  const createContact = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.int64('id');
    const body = parseBody(ctx, S.LocationContactCreateRequest, p.errors);
    requireLocation(id);
    const st = deps.store;
    const list = st.locationContacts(id);
    assertNoDuplicate(list, body.type as ContactType, body.value as string);
    const rec = newPhoneContact(st.nextId(), body, nowIso());
    st.setLocationContacts(id, [...list, rec]);
    deps.commit();
    return json(locationContactResponse(rec));
  };

  const updateContact = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.int64('id');
    const contactId = p.int64('contactId');
    const body = parseBody(ctx, S.LocationContactUpdateRequest, p.errors);
    requireLocation(id);
    const st = deps.store;
    const list = st.locationContacts(id);
    const existing = list.find((c) => c.id === contactId);
    if (!existing) throw notFound('Contact not found');
    const next = patchPhoneContact(existing, body, {});
    assertNoDuplicate(list, next.type, next.value, contactId);
    st.setLocationContacts(id, list.map((c) => (c.id === contactId ? next : c)));
    deps.commit();
    return json(locationContactResponse(next));
  };

  const deleteContact = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.int64('id');
    const contactId = p.int64('contactId');
    p.throwIfInvalid();
    requireLocation(id);
    const st = deps.store;
    const list = st.locationContacts(id);
    if (!list.some((c) => c.id === contactId)) throw notFound('Contact not found');
    st.setLocationContacts(id, list.filter((c) => c.id !== contactId));
    deps.commit();
    return empty();
  };

  return [
    { method: 'GET', pattern: '/locations', scope: R, handler: list },
    { method: 'GET', pattern: '/locations/{id}', scope: R, handler: get },
    { method: 'GET', pattern: '/locations/{id}/contacts', scope: R, handler: listContacts },
    { method: 'POST', pattern: '/locations/{id}/contacts', scope: W, handler: createContact },
    { method: 'PATCH', pattern: '/locations/{id}/contacts/{contactId}', scope: W, handler: updateContact },
    { method: 'DELETE', pattern: '/locations/{id}/contacts/{contactId}', scope: W, handler: deleteContact },
  ];
}

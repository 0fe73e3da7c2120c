// Locations (read) and location contacts (Crm.V2.Location*).
import { notFound } from '../errors';
import { json, type RequestContext, type Route } from '../http';
import * as S from '../schemas';
import type { LocationRec } from '../types';
import { QueryReader } from '../validation';
import {
  PathParams, contains, inDateRange, locationContactResponse, locationResponse, paginate, readDateRange, readPaging,
  readSort, type RouteDeps,
} from './common';
import { phoneContactRoutes } from './phoneContacts';

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

  return [
    { method: 'GET', pattern: '/locations', scope: R, handler: list },
    { method: 'GET', pattern: '/locations/{id}', scope: R, handler: get },
    ...phoneContactRoutes(deps, {
      base: '/locations',
      readScope: R,
      writeScope: W,
      requireParent: (id) => {
        if (!deps.store.getLocation(id)) throw notFound('Location not found');
      },
      contacts: (id) => deps.store.locationContacts(id),
      setContacts: (id, contacts) => deps.store.setLocationContacts(id, contacts),
      createSchema: S.LocationContactCreateRequest,
      updateSchema: S.LocationContactUpdateRequest,
      toResponse: locationContactResponse,
    }),
  ];
}

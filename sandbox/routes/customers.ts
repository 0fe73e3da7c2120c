// Customers and customer contacts (Crm.V2.Customers.*).
import { badRequest, notFound, type ErrorMap } from '../errors';
import { json, type OperationRoute, type RequestContext } from '../http';
import type { ParentContact } from '../lists/parentContactLists';
import { inDateRange } from '../query/dateRange';
import { paginate } from '../query/paging';
import type { CustomerRec, CustomerType, LocationRec, PhoneContactRec } from '../types';
import type { JsonObject } from '../validation';
import { readDateRange, readExternalDataFilter, readPaging, readPlaceQuery } from './shared/listQuery';
import { customerContactResponse, customerContactWithCustomerIdResponse } from './shared/phoneContactResponses';
import { checkDuplicateContacts, newPhoneContact, phoneContactRoutes } from './shared/phoneContactRoutes';
import { appGuidOf, mergeCustomFields, patchExternal, toAddress, toCustomFields, toExternal } from './shared/placeBodies';
import { briefContactResponse, customerResponse, locationResponse } from './shared/placeResponses';
import { API_USER_ID, nowIso, type RouteDeps } from './shared/routeDeps';
import { checkTagTypeIds } from './shared/tagTypes';

export function customerRoutes(deps: RouteDeps): OperationRoute[] {
  const requireCustomer = (id: number): CustomerRec => {
    const customer = deps.store.getCustomer(id);
    if (!customer) throw notFound('Customer not found');
    return customer;
  };

  const list = (ctx: RequestContext) => {
    const query = ctx.q;
    const paging = readPaging(query);
    const sort = query.sort();
    const filter = { ...readPlaceQuery(query), phone: query.str('phone'), ids: query.ids('ids') };
    const { appGuid, external } = readExternalDataFilter(query, true);
    return json(deps.store.lists.customers.page({ ...filter, external }, sort, paging, (customer) => customerResponse(customer, appGuid)));
  };

  const get = (ctx: RequestContext) => json(customerResponse(requireCustomer(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
    const store = deps.store;
    const locationBodies = body.locations as JsonObject[];
    const errors: ErrorMap = {};
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    checkDuplicateContacts(errors, '', body.contacts);
    locationBodies.forEach((locationBody, i) => {
      checkTagTypeIds(errors, `Locations[${i}].TagTypeIds`, locationBody.tagTypeIds);
      checkDuplicateContacts(errors, `Locations[${i}].`, locationBody.contacts);
    });
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const now = nowIso();
    const customerId = store.nextId();
    const customer: CustomerRec = {
      id: customerId,
      active: true,
      name: (body.name as string).trim(),
      type: (body.type as CustomerType | null) ?? 'Residential',
      address: toAddress(body.address as JsonObject),
      customFields: toCustomFields(body.customFields),
      balance: 0,
      taxExempt: (body.taxExempt as boolean | null) ?? false,
      tagTypeIds: (body.tagTypeIds as number[] | null) ?? [],
      doNotMail: (body.doNotMail as boolean | null) ?? false,
      doNotService: (body.doNotService as boolean | null) ?? false,
      nationalAccount: (body.nationalAccount as boolean | null) ?? false,
      createdOn: now,
      createdById: API_USER_ID,
      modifiedOn: now,
      externalData: toExternal(body.externalData),
    };
    for (const key of ['paymentTermId', 'creditLimit', 'creditLimitBalance'] as const) {
      const value = body[key];
      if (typeof value === 'number') customer[key] = value;
    }
    const contactBodies = (body.contacts as JsonObject[] | null) ?? [];
    const contacts = contactBodies.map((contactBody) => newPhoneContact(store.nextId(), contactBody, now));
    const locations: Array<{ location: LocationRec; contacts: PhoneContactRec[] }> = locationBodies.map((locationBody) => {
      const location: LocationRec = {
        id: store.nextId(),
        customerId,
        active: true,
        name: (locationBody.name as string).trim(),
        address: toAddress(locationBody.address as JsonObject),
        customFields: toCustomFields(locationBody.customFields),
        createdOn: now,
        createdById: API_USER_ID,
        modifiedOn: now,
        taxExempt: customer.taxExempt,
        tagTypeIds: (locationBody.tagTypeIds as number[] | null) ?? [],
        externalData: toExternal(locationBody.externalData),
      };
      const locationContactBodies = (locationBody.contacts as JsonObject[] | null) ?? [];
      return { location, contacts: locationContactBodies.map((contactBody) => newPhoneContact(store.nextId(), contactBody, now)) };
    });
    store.putCustomer(customer, true);
    store.setCustomerContacts(customerId, contacts);
    for (const created of locations) {
      store.putLocation(created.location, true);
      store.setLocationContacts(created.location.id, created.contacts);
    }
    deps.commit();
    return json({
      ...customerResponse(customer, appGuidOf(body.externalData)),
      locations: locations.map((created, i) => ({
        ...locationResponse(created.location, appGuidOf(locationBodies[i]?.externalData)),
        contacts: created.contacts.map(briefContactResponse),
      })),
      contacts: contacts.map(briefContactResponse),
    });
  };

  const update = (ctx: RequestContext) => {
    const body = ctx.json;
    const existing = requireCustomer(ctx.path.id('id'));
    const errors: ErrorMap = {};
    checkTagTypeIds(errors, 'TagTypeIds', body.tagTypeIds);
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const next: CustomerRec = {
      ...existing,
      address: { ...existing.address },
      customFields: [...existing.customFields],
      externalData: [...existing.externalData],
    };
    if (typeof body.name === 'string') next.name = body.name.trim();
    if (typeof body.type === 'string') next.type = body.type as CustomerType;
    if (body.address) next.address = toAddress(body.address as JsonObject);
    if (Array.isArray(body.customFields)) next.customFields = mergeCustomFields(next.customFields, body.customFields);
    if (body.externalData) next.externalData = patchExternal(next.externalData, body.externalData as JsonObject);
    for (const key of ['doNotMail', 'doNotService', 'active', 'taxExempt', 'nationalAccount'] as const) {
      const value = body[key];
      if (typeof value === 'boolean') next[key] = value;
    }
    for (const key of ['paymentTermId', 'creditLimit', 'creditLimitBalance'] as const) {
      const value = body[key];
      if (typeof value === 'number') next[key] = value;
    }
    if (Array.isArray(body.tagTypeIds)) next.tagTypeIds = body.tagTypeIds as number[];
    next.modifiedOn = nowIso();
    deps.store.putCustomer(next, false);
    deps.commit();
    return json(customerResponse(next));
  };

  /** GET /customers/contacts: contacts of every customer (or of `customerIds`), with their customer id. */
  const modifiedContacts = (ctx: RequestContext) => {
    const query = ctx.q;
    const paging = readPaging(query);
    const dates = readDateRange(query);
    const ids = query.ids('customerIds');
    const store = deps.store;
    const map = (row: ParentContact): Record<string, unknown> => customerContactWithCustomerIdResponse(row.parentId, row.rec);
    if (!ids) return json(store.lists.customerContacts.page(dates, paging, map));
    const rows = [...new Set(ids)]
      .sort((a, b) => a - b)
      .flatMap((id) => (store.getCustomer(id) ? store.customerContacts(id).map((rec) => ({ parentId: id, rec })) : []));
    return json(paginate(rows, paging, map, (row) => inDateRange(dates, row.rec.createdOn, row.rec.modifiedOn)));
  };

  return [
    { operationId: 'Customers_GetList', handler: list },
    { operationId: 'Customers_Create', handler: create },
    { operationId: 'Customers_Get', handler: get },
    { operationId: 'Customers_Update', handler: update },
    { operationId: 'Customers_GetModifiedContactsList', handler: modifiedContacts },
    ...phoneContactRoutes(deps, {
      operations: { list: 'Customers_GetContactList', create: 'Customers_CreateContact', update: 'Customers_UpdateContact', remove: 'Customers_DeleteContact' },
      requireParent: (id) => {
        requireCustomer(id);
      },
      contacts: (id) => deps.store.customerContacts(id),
      setContacts: (id, contacts) => deps.store.setCustomerContacts(id, contacts),
      toResponse: customerContactResponse,
    }),
  ];
}

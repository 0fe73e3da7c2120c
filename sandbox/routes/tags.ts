// Tags on customers and locations (tagTypeIds): one at a time, or in bulk on many customers.
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { CustomerRec, LocationRec } from '../types';
import { nowIso, type RouteDeps } from './shared/routeDeps';
import { checkTagTypeIds, knownTagType } from './shared/tagTypes';

/** At most this many customers in one bulk request. */
export const BULK_TAG_MAX_CUSTOMERS = 500;

export function tagRoutes(deps: RouteDeps): OperationRoute[] {
  const requireCustomer = (id: number): CustomerRec => {
    const customer = deps.store.getCustomer(id);
    if (!customer) throw notFound('Customer not found');
    return customer;
  };
  const requireLocation = (id: number): LocationRec => {
    const location = deps.store.getLocation(id);
    if (!location) throw notFound('Location not found');
    return location;
  };
  const requireTagType = (ctx: RequestContext): number => {
    const tagTypeId = ctx.path.id('tagTypeId');
    if (!knownTagType(tagTypeId)) throw notFound(`Tag type ${tagTypeId} not found`);
    return tagTypeId;
  };

  const createCustomerTag = (ctx: RequestContext) => {
    const customer = requireCustomer(ctx.path.id('id'));
    const tagTypeId = requireTagType(ctx);
    if (customer.tagTypeIds.includes(tagTypeId)) throw conflict(`Customer ${customer.id} already has tag type ${tagTypeId}`);
    const next = { ...customer, tagTypeIds: [...customer.tagTypeIds, tagTypeId], modifiedOn: nowIso() };
    deps.store.putCustomer(next, false);
    deps.commit();
    return json({ customerId: customer.id, tagTypeIds: [...next.tagTypeIds] });
  };
  const deleteCustomerTag = (ctx: RequestContext) => {
    const customer = requireCustomer(ctx.path.id('id'));
    const tagTypeId = ctx.path.id('tagTypeId');
    if (!customer.tagTypeIds.includes(tagTypeId)) throw notFound(`Customer ${customer.id} has no tag type ${tagTypeId}`);
    const tagTypeIds = customer.tagTypeIds.filter((id) => id !== tagTypeId);
    deps.store.putCustomer({ ...customer, tagTypeIds, modifiedOn: nowIso() }, false);
    deps.commit();
    return empty();
  };
  const createLocationTag = (ctx: RequestContext) => {
    const location = requireLocation(ctx.path.id('id'));
    const tagTypeId = requireTagType(ctx);
    if (location.tagTypeIds.includes(tagTypeId)) throw conflict(`Location ${location.id} already has tag type ${tagTypeId}`);
    const next = { ...location, tagTypeIds: [...location.tagTypeIds, tagTypeId], modifiedOn: nowIso() };
    deps.store.putLocation(next, false);
    deps.commit();
    return json({ locationId: location.id, tagTypeIds: [...next.tagTypeIds] });
  };
  const deleteLocationTag = (ctx: RequestContext) => {
    const location = requireLocation(ctx.path.id('id'));
    const tagTypeId = ctx.path.id('tagTypeId');
    if (!location.tagTypeIds.includes(tagTypeId)) throw notFound(`Location ${location.id} has no tag type ${tagTypeId}`);
    const tagTypeIds = location.tagTypeIds.filter((id) => id !== tagTypeId);
    deps.store.putLocation({ ...location, tagTypeIds, modifiedOn: nowIso() }, false);
    deps.commit();
    return empty();
  };

  /** Checks the whole bulk request before anything changes; returns the customers. */
  const bulkTargets = (ctx: RequestContext): { customers: CustomerRec[]; tags: number[] } => {
    const ids = [...new Set(ctx.json.customerIds as number[])];
    const tags = [...new Set(ctx.json.tagTypeIds as number[])];
    const errors: ErrorMap = {};
    if (ids.length === 0) addError(errors, 'CustomerIds', 'The CustomerIds field must list at least one customer.');
    if (ids.length > BULK_TAG_MAX_CUSTOMERS) addError(errors, 'CustomerIds', `The CustomerIds field must list at most ${BULK_TAG_MAX_CUSTOMERS} customers.`);
    if (tags.length === 0) addError(errors, 'TagTypeIds', 'The TagTypeIds field must list at least one tag type.');
    checkTagTypeIds(errors, 'TagTypeIds', tags);
    const customers: CustomerRec[] = [];
    const missing: number[] = [];
    for (const id of ids.slice(0, BULK_TAG_MAX_CUSTOMERS)) {
      const customer = deps.store.getCustomer(id);
      if (customer) customers.push(customer);
      else missing.push(id);
    }
    if (missing.length > 0) {
      addError(errors, 'CustomerIds', `Customers not found: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}.`);
    }
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    return { customers, tags };
  };

  const bulkAdd = (ctx: RequestContext) => {
    const { customers, tags } = bulkTargets(ctx);
    const changed = customers.filter((customer) => tags.some((tag) => !customer.tagTypeIds.includes(tag)));
    if (changed.length === 0) throw conflict('Every customer already has these tags');
    const now = nowIso();
    for (const customer of changed) {
      const added = tags.filter((tag) => !customer.tagTypeIds.includes(tag));
      deps.store.putCustomer({ ...customer, tagTypeIds: [...customer.tagTypeIds, ...added], modifiedOn: now }, false);
    }
    deps.commit();
    return empty();
  };
  const bulkRemove = (ctx: RequestContext) => {
    const { customers, tags } = bulkTargets(ctx);
    const changed = customers.filter((customer) => tags.some((tag) => customer.tagTypeIds.includes(tag)));
    if (changed.length === 0) throw conflict('None of the customers has any of these tags');
    const now = nowIso();
    for (const customer of changed) {
      const kept = customer.tagTypeIds.filter((tag) => !tags.includes(tag));
      deps.store.putCustomer({ ...customer, tagTypeIds: kept, modifiedOn: now }, false);
    }
    deps.commit();
    return empty();
  };

  return [
    { operationId: 'Customers_CreateTag', handler: createCustomerTag },
    { operationId: 'Customers_DeleteTag', handler: deleteCustomerTag },
    { operationId: 'Locations_CreateTag', handler: createLocationTag },
    { operationId: 'Locations_DeleteTag', handler: deleteLocationTag },
    { operationId: 'BulkTags_AddTags', handler: bulkAdd },
    { operationId: 'BulkTags_RemoveTags', handler: bulkRemove },
  ];
}

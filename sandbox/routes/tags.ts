// Tags on customers and locations (tagTypeIds): one at a time, or in bulk on many customers.
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { CustomerRec, LocationRec } from '../types';
import { checkTagTypeIds, knownTagType, nowIso, type RouteDeps } from './common';

/** At most this many customers in one bulk request. */
export const BULK_TAG_MAX_CUSTOMERS = 500;

export function tagRoutes(deps: RouteDeps): OperationRoute[] {
  const customer = (id: number): CustomerRec => {
    const c = deps.store.getCustomer(id);
    if (!c) throw notFound('Customer not found');
    return c;
  };
  const location = (id: number): LocationRec => {
    const l = deps.store.getLocation(id);
    if (!l) throw notFound('Location not found');
    return l;
  };
  const tagType = (ctx: RequestContext): number => {
    const t = ctx.path.id('tagTypeId');
    if (!knownTagType(t)) throw notFound(`Tag type ${t} not found`);
    return t;
  };

  const createCustomerTag = (ctx: RequestContext) => {
    const c = customer(ctx.path.id('id'));
    const t = tagType(ctx);
    if (c.tagTypeIds.includes(t)) throw conflict(`Customer ${c.id} already has tag type ${t}`);
    const next = { ...c, tagTypeIds: [...c.tagTypeIds, t], modifiedOn: nowIso() };
    deps.store.putCustomer(next, false);
    deps.commit();
    return json({ customerId: c.id, tagTypeIds: [...next.tagTypeIds] });
  };
  const deleteCustomerTag = (ctx: RequestContext) => {
    const c = customer(ctx.path.id('id'));
    const t = ctx.path.id('tagTypeId');
    if (!c.tagTypeIds.includes(t)) throw notFound(`Customer ${c.id} has no tag type ${t}`);
    deps.store.putCustomer({ ...c, tagTypeIds: c.tagTypeIds.filter((x) => x !== t), modifiedOn: nowIso() }, false);
    deps.commit();
    return empty();
  };
  const createLocationTag = (ctx: RequestContext) => {
    const l = location(ctx.path.id('id'));
    const t = tagType(ctx);
    if (l.tagTypeIds.includes(t)) throw conflict(`Location ${l.id} already has tag type ${t}`);
    const next = { ...l, tagTypeIds: [...l.tagTypeIds, t], modifiedOn: nowIso() };
    deps.store.putLocation(next, false);
    deps.commit();
    return json({ locationId: l.id, tagTypeIds: [...next.tagTypeIds] });
  };
  const deleteLocationTag = (ctx: RequestContext) => {
    const l = location(ctx.path.id('id'));
    const t = ctx.path.id('tagTypeId');
    if (!l.tagTypeIds.includes(t)) throw notFound(`Location ${l.id} has no tag type ${t}`);
    deps.store.putLocation({ ...l, tagTypeIds: l.tagTypeIds.filter((x) => x !== t), modifiedOn: nowIso() }, false);
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
    for (const id of ids.slice(0, BULK_TAG_MAX_CUSTOMERS)) { const c = deps.store.getCustomer(id); if (c) customers.push(c); else missing.push(id); }
    if (missing.length > 0) addError(errors, 'CustomerIds', `Customers not found: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}.`);
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    return { customers, tags };
  };

  const bulkAdd = (ctx: RequestContext) => {
    const { customers, tags } = bulkTargets(ctx);
    const changed = customers.filter((c) => tags.some((t) => !c.tagTypeIds.includes(t)));
    if (changed.length === 0) throw conflict('Every customer already has these tags');
    const now = nowIso();
    for (const c of changed) deps.store.putCustomer({ ...c, tagTypeIds: [...c.tagTypeIds, ...tags.filter((t) => !c.tagTypeIds.includes(t))], modifiedOn: now }, false);
    deps.commit();
    return empty();
  };
  const bulkRemove = (ctx: RequestContext) => {
    const { customers, tags } = bulkTargets(ctx);
    const changed = customers.filter((c) => tags.some((t) => c.tagTypeIds.includes(t)));
    if (changed.length === 0) throw conflict('None of the customers has any of these tags');
    const now = nowIso();
    for (const c of changed) deps.store.putCustomer({ ...c, tagTypeIds: c.tagTypeIds.filter((t) => !tags.includes(t)), modifiedOn: now }, false);
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

// Booking provider tags (Crm.V2.*BookingProviderTag*). A tag's id is what the booking routes take
// as {booking_provider}. Tag names are unique (case-insensitive): 409 on create, 400 on update
// (the document lists no 409 there).
import { badRequest, conflict, notFound } from '../errors';
import { json, type OperationRoute, type RequestContext } from '../http';
import type { ProviderTagRec } from '../salesStore';
import { inDateRange, nowIso, paginate, readDateRange, readPaging, sortRows, type RouteDeps } from './common';
import { strOf } from './leads';

/** Crm.V2.BookingProviderTagResponse and Crm.V2.CreateBookingProviderTagResponse */
export function tagResponse(t: ProviderTagRec): Record<string, unknown> {
  return { id: t.id, tagName: t.tagName, description: t.description, type: t.type, createdOn: t.createdOn, modifiedOn: t.modifiedOn };
}

/** Crm.V2.GetBookingProviderTagResponse */
export function getTagResponse(t: ProviderTagRec): Record<string, unknown> {
  return { ...tagResponse(t), active: t.active };
}

export function bookingProviderTagRoutes(deps: RouteDeps): OperationRoute[] {
  const sales = (): RouteDeps['sales'] => deps.sales;
  const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
  const nameTaken = (name: string, exceptId?: number): boolean => sales().providerTags().some((t) => t.id !== exceptId && sameName(t.tagName, name));
  const requireTag = (id: number): ProviderTagRec => {
    const t = sales().getProviderTag(id);
    if (!t) throw notFound('Booking provider tag not found');
    return t;
  };

  const list = (ctx: RequestContext) => {
    const q = ctx.q;
    const paging = readPaging(q);
    const sort = q.sort();
    const ids = q.ids('ids');
    const idSet = ids ? new Set(ids) : undefined;
    const name = q.str('name')?.trim().toLowerCase();
    const dates = readDateRange(q);
    const rows = sales().providerTags().filter((t) => (!idSet || idSet.has(t.id))
      && (name === undefined || t.tagName.toLowerCase().includes(name))
      && inDateRange(dates, t.createdOn, t.modifiedOn));
    return json(paginate(sortRows(rows, sort), paging, getTagResponse));
  };

  const get = (ctx: RequestContext) => json(getTagResponse(requireTag(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const b = ctx.json;
    const tagName = (strOf(b, 'tagName') ?? '').trim();
    if (tagName === '') throw badRequest({ TagName: ['The TagName field is required.'] });
    if (nameTaken(tagName)) throw conflict(`A booking provider tag named '${tagName}' already exists`);
    const now = nowIso();
    const rec: ProviderTagRec = {
      id: deps.store.nextId(), tagName, description: strOf(b, 'description') ?? '', type: 'V2Api', createdOn: now, modifiedOn: now, active: true,
    };
    sales().putProviderTag(rec);
    deps.commit();
    return json(tagResponse(rec));
  };

  const update = (ctx: RequestContext) => {
    // The document lists only 400 here; an unknown tag is answered like BookingProviderTags_Get does.
    const current = requireTag(ctx.path.id('id'));
    const b = ctx.json;
    const tagName = strOf(b, 'tagName')?.trim();
    if (tagName !== undefined) {
      if (tagName === '') throw badRequest({ TagName: ['The TagName field cannot be blank.'] });
      if (nameTaken(tagName, current.id)) throw badRequest({ TagName: [`A booking provider tag named '${tagName}' already exists.`] });
    }
    const next: ProviderTagRec = { ...current, modifiedOn: nowIso() };
    if (tagName !== undefined) next.tagName = tagName;
    const description = strOf(b, 'description'); if (description !== undefined) next.description = description;
    sales().putProviderTag(next);
    deps.commit();
    return json(tagResponse(next));
  };

  return [
    { operationId: 'BookingProviderTags_GetList', handler: list },
    { operationId: 'BookingProviderTags_Create', handler: create },
    { operationId: 'BookingProviderTags_Get', handler: get },
    { operationId: 'BookingProviderTags_Update', handler: update },
  ];
}

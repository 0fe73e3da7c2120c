// Booking provider tags (Crm.V2.*BookingProviderTag*). A tag's id is what the booking routes take
// as {booking_provider}. Tag names are unique (case-insensitive): 409 on create, 400 on update
// (the document lists no 409 there).
import { badRequest, conflict, notFound } from '../errors';
import { json, type OperationRoute, type RequestContext } from '../http';
import { inDateRange } from '../query/dateRange';
import { paginate } from '../query/paging';
import { sortRows } from '../query/sorting';
import type { ProviderTagRec } from '../salesStore';
import { strOf } from './shared/bodyFields';
import { readDateRange, readPaging } from './shared/listQuery';
import { nowIso, type RouteDeps } from './shared/routeDeps';

/** Crm.V2.BookingProviderTagResponse and Crm.V2.CreateBookingProviderTagResponse */
export function tagResponse(tag: ProviderTagRec): Record<string, unknown> {
  return { id: tag.id, tagName: tag.tagName, description: tag.description, type: tag.type, createdOn: tag.createdOn, modifiedOn: tag.modifiedOn };
}

/** Crm.V2.GetBookingProviderTagResponse */
export function getTagResponse(tag: ProviderTagRec): Record<string, unknown> {
  return { ...tagResponse(tag), active: tag.active };
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function bookingProviderTagRoutes(deps: RouteDeps): OperationRoute[] {
  const sales = (): RouteDeps['sales'] => deps.sales;
  const nameTaken = (name: string, exceptId?: number): boolean =>
    sales()
      .providerTags()
      .some((tag) => tag.id !== exceptId && sameName(tag.tagName, name));
  const requireTag = (id: number): ProviderTagRec => {
    const tag = sales().getProviderTag(id);
    if (!tag) throw notFound('Booking provider tag not found');
    return tag;
  };

  const list = (ctx: RequestContext) => {
    const query = ctx.q;
    const paging = readPaging(query);
    const sort = query.sort();
    const ids = query.ids('ids');
    const idSet = ids ? new Set(ids) : undefined;
    const name = query.str('name')?.trim().toLowerCase();
    const dates = readDateRange(query);
    const rows = sales()
      .providerTags()
      .filter(
        (tag) =>
          (!idSet || idSet.has(tag.id)) &&
          (name === undefined || tag.tagName.toLowerCase().includes(name)) &&
          inDateRange(dates, tag.createdOn, tag.modifiedOn),
      );
    return json(paginate(sortRows(rows, sort), paging, getTagResponse));
  };

  const get = (ctx: RequestContext) => json(getTagResponse(requireTag(ctx.path.id('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
    const tagName = (strOf(body, 'tagName') ?? '').trim();
    if (tagName === '') throw badRequest({ TagName: ['The TagName field is required.'] });
    if (nameTaken(tagName)) throw conflict(`A booking provider tag named '${tagName}' already exists`);
    const now = nowIso();
    const tag: ProviderTagRec = {
      id: deps.store.nextId(),
      tagName,
      description: strOf(body, 'description') ?? '',
      type: 'V2Api',
      createdOn: now,
      modifiedOn: now,
      active: true,
    };
    sales().putProviderTag(tag);
    deps.commit();
    return json(tagResponse(tag));
  };

  const update = (ctx: RequestContext) => {
    // The document lists only 400 here; an unknown tag is answered like BookingProviderTags_Get does.
    const current = requireTag(ctx.path.id('id'));
    const body = ctx.json;
    const tagName = strOf(body, 'tagName')?.trim();
    if (tagName !== undefined) {
      if (tagName === '') throw badRequest({ TagName: ['The TagName field cannot be blank.'] });
      if (nameTaken(tagName, current.id)) throw badRequest({ TagName: [`A booking provider tag named '${tagName}' already exists.`] });
    }
    const next: ProviderTagRec = { ...current, modifiedOn: nowIso() };
    if (tagName !== undefined) next.tagName = tagName;
    const description = strOf(body, 'description');
    if (description !== undefined) next.description = description;
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

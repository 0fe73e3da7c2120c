// Contact methods of a person contact: /contacts/{contactId}/contact-methods[/{contactMethodId}].
import { randomUUID } from 'node:crypto';
import { addError, badRequest, notFound } from '../errors';
import { empty, json, type RequestContext, type Route } from '../http';
import * as S from '../schemas';
import { CONTACT_TYPES, type ContactType, type MethodRec } from '../types';
import { contactValueError, parseBody, QueryReader, type JsonObject } from '../validation';
import {
  API_USER_ID, PathParams, inDateRange, methodResponse, nowIso, optString, paginate, readDateRange, readPaging, readSort,
  sameContactValue, type RouteDeps,
} from './common';

function fillMethod(rec: MethodRec, body: JsonObject): MethodRec {
  const next: MethodRec = { ...rec, type: body.type as ContactType, value: (body.value as string).trim() };
  delete next.referenceId; delete next.memo;
  const ref = optString(body.referenceId); if (ref !== undefined) next.referenceId = ref;
  const memo = optString(body.memo); if (memo !== undefined) next.memo = memo;
  return next;
}

export function contactMethodRoutes(deps: RouteDeps): Route[] {
  const R = 'tn.crm.contacts:r', W = 'tn.crm.contacts:w';

  const requirePerson = (id: string): void => {
    if (!deps.store.getPerson(id)) throw notFound('Contact not found');
  };
  const find = (contactId: string, methodId: string): MethodRec => {
    requirePerson(contactId);
    const m = deps.store.methods(contactId).find((x) => x.id === methodId);
    if (!m) throw notFound('Contact Method not found');
    return m;
  };

  const list = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const q = new QueryReader(ctx.query);
    const paging = readPaging(q);
    const sort = readSort(q, ['Id']);
    const ref = q.string('referenceId');
    const type = q.enumOf('type', CONTACT_TYPES);
    const value = q.string('value');
    const dates = readDateRange(q);
    q.throwIfInvalid(p.errors);
    requirePerson(contactId);
    let rows = deps.store.methods(contactId).filter((m) =>
      (ref === undefined || m.referenceId === ref)
      && (type === undefined || m.type === type)
      && (value === undefined || sameContactValue(m.type, m.value, value))
      && inDateRange(dates, m.createdOn, m.modifiedOn));
    if (sort) rows = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * (sort.descending ? -1 : 1));
    return json(paginate(rows, paging, methodResponse));
  };

  const get = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const methodId = p.guid('contactMethodId');
    p.throwIfInvalid();
    return json(methodResponse(find(contactId, methodId)));
  };

  const create = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const body = parseBody(ctx, S.CreateContactMethodRequest, p.errors);
    requirePerson(contactId);
    const now = nowIso();
    const rec = fillMethod({
      id: randomUUID(), contactId, type: 'Phone', value: '', createdOn: now, createdBy: API_USER_ID, modifiedOn: now, modifiedBy: API_USER_ID,
    }, body);
    deps.store.setMethods(contactId, [...deps.store.methods(contactId), rec]);
    deps.commit();
    return json(methodResponse(rec));
  };

  /** PUT: replaces the method, or creates it under the given id. */
  const upsert = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const methodId = p.guid('contactMethodId');
    const body = parseBody(ctx, S.UpsertContactMethodRequest, p.errors);
    requirePerson(contactId);
    // An upsert must not create a second method under an id another contact already uses. The
    // spec lists no 409 here, so this is a 400 on the route parameter.
    const owner = deps.store.methodOwner(methodId);
    if (owner !== undefined && owner !== contactId) {
      const errors = {};
      addError(errors, 'contactMethodId', `The contact method ${methodId} belongs to another contact (${owner}). Use a new id to create a method, or PUT it under /contacts/${owner}/contact-methods/${methodId}.`);
      throw badRequest(errors);
    }
    const list = deps.store.methods(contactId);
    const existing = list.find((m) => m.id === methodId);
    const now = nowIso();
    const rec = fillMethod(existing ?? {
      id: methodId, contactId, type: 'Phone', value: '', createdOn: now, createdBy: API_USER_ID, modifiedOn: now, modifiedBy: API_USER_ID,
    }, body);
    rec.modifiedOn = now; rec.modifiedBy = API_USER_ID;
    deps.store.setMethods(contactId, existing ? list.map((m) => (m.id === methodId ? rec : m)) : [...list, rec]);
    deps.commit();
    return json(methodResponse(rec));
  };

  const update = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const methodId = p.guid('contactMethodId');
    const body = parseBody(ctx, S.UpdateContactMethodRequest, p.errors);
    const existing = find(contactId, methodId);
    const next: MethodRec = { ...existing, modifiedOn: nowIso(), modifiedBy: API_USER_ID };
    if (typeof body.value === 'string') {
      // The type is fixed on PATCH, so the new value must suit the stored type.
      const msg = contactValueError(existing.type, body.value);
      if (msg) { const errors = {}; addError(errors, 'Value', msg); throw badRequest(errors); }
      next.value = body.value.trim();
    }
    if (body.memo !== undefined) { const memo = optString(body.memo); if (memo === undefined) delete next.memo; else next.memo = memo; }
    deps.store.setMethods(contactId, deps.store.methods(contactId).map((m) => (m.id === methodId ? next : m)));
    deps.commit();
    return json(methodResponse(next));
  };

  const remove = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const methodId = p.guid('contactMethodId');
    p.throwIfInvalid();
    find(contactId, methodId);
    deps.store.setMethods(contactId, deps.store.methods(contactId).filter((m) => m.id !== methodId));
    deps.commit();
    return empty();
  };

  const base = '/contacts/{contactId}/contact-methods';
  return [
    { method: 'GET', pattern: base, scope: R, handler: list },
    { method: 'POST', pattern: base, scope: W, handler: create },
    { method: 'GET', pattern: `${base}/{contactMethodId}`, scope: R, handler: get },
    { method: 'PUT', pattern: `${base}/{contactMethodId}`, scope: W, handler: upsert },
    { method: 'PATCH', pattern: `${base}/{contactMethodId}`, scope: W, handler: update },
    { method: 'DELETE', pattern: `${base}/{contactMethodId}`, scope: W, handler: remove },
  ];
}

// Contact methods of a person contact (/contacts/{contactId}/contact-methods[/{contactMethodId}]),
// their preferences, the preference types, and the search across all contacts' methods.
import { randomUUID } from 'node:crypto';
import { addError, badRequest, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import { methodMatch, type MethodQuery } from '../lists/methodList';
import { paginate } from '../query/paging';
import { sortRows } from '../query/sorting';
import type { ContactType, MethodRec } from '../types';
import { contactValueError, type JsonObject } from '../validation';
import { optString } from './shared/bodyFields';
import { readDateRange, readPaging } from './shared/listQuery';
import { API_USER_ID, nowIso, type RouteDeps } from './shared/routeDeps';

/** Crm.V2.ContactPreferenceTypeResponse: the preferences every contact method has. */
export const PREFERENCE_TYPES = [
  { id: '5f0c6a1e-3b2d-4c1a-9e47-0a1b2c3d4e01', name: 'JobReminders', dataType: 'Boolean' },
  { id: '5f0c6a1e-3b2d-4c1a-9e47-0a1b2c3d4e02', name: 'MarketingUpdates', dataType: 'Boolean' },
  { id: '5f0c6a1e-3b2d-4c1a-9e47-0a1b2c3d4e03', name: 'InvoiceStatements', dataType: 'Boolean' },
] as const;
type PreferenceType = (typeof PREFERENCE_TYPES)[number];

/** Crm.V2.ContactMethodResponse */
function methodResponse(method: MethodRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: method.id, contactId: method.contactId };
  if (method.referenceId !== undefined) out.referenceId = method.referenceId;
  out.type = method.type;
  out.value = method.value;
  if (method.memo !== undefined) out.memo = method.memo;
  out.createdOn = method.createdOn;
  out.createdBy = method.createdBy;
  out.modifiedOn = method.modifiedOn;
  out.modifiedBy = method.modifiedBy;
  return out;
}

/** A method with the type, value, reference id and memo of a create or upsert body (absent optional fields cleared). */
function fillMethod(method: MethodRec, body: JsonObject): MethodRec {
  const next: MethodRec = { ...method, type: body.type as ContactType, value: (body.value as string).trim() };
  delete next.referenceId;
  delete next.memo;
  const referenceId = optString(body.referenceId);
  if (referenceId !== undefined) next.referenceId = referenceId;
  const memo = optString(body.memo);
  if (memo !== undefined) next.memo = memo;
  return next;
}

export function contactMethodRoutes(deps: RouteDeps): OperationRoute[] {
  const requirePerson = (id: string): void => {
    if (!deps.store.getPerson(id)) throw notFound('Contact not found');
  };
  const find = (contactId: string, methodId: string): MethodRec => {
    requirePerson(contactId);
    const method = deps.store.methods(contactId).find((candidate) => candidate.id === methodId);
    if (!method) throw notFound('Contact Method not found');
    return method;
  };
  const target = (ctx: RequestContext): MethodRec => find(ctx.path.text('contactId'), ctx.path.text('contactMethodId'));
  /** A method as stored for a create or upsert, before its body is applied. */
  const blankMethod = (id: string, contactId: string, now: string): MethodRec => ({
    id,
    contactId,
    type: 'Phone',
    value: '',
    createdOn: now,
    createdBy: API_USER_ID,
    modifiedOn: now,
    modifiedBy: API_USER_ID,
  });

  /** The filters of GET …/contact-methods and GET /contacts/contact-methods. */
  const methodQuery = (ctx: RequestContext): MethodQuery => {
    const query = ctx.q;
    const out: MethodQuery = { dates: readDateRange(query) };
    const referenceId = query.str('referenceId');
    if (referenceId !== undefined) out.referenceId = referenceId;
    const type = query.str('type');
    if (type !== undefined) out.type = type;
    const value = query.str('value');
    if (value !== undefined) out.value = value;
    return out;
  };
  /** One person's methods are few: filter and sort their records. */
  const pageOfOne = (ctx: RequestContext, contactId: string) => {
    const rows = deps.store.methods(contactId).filter(methodMatch(methodQuery(ctx)));
    return json(paginate(sortRows(rows, ctx.q.sort()), readPaging(ctx.q), methodResponse));
  };

  const list = (ctx: RequestContext) => {
    const contactId = ctx.path.text('contactId');
    requirePerson(contactId);
    return pageOfOne(ctx, contactId);
  };

  /** GET /contacts/contact-methods: every contact's methods (or one contact's, with contactId). */
  const search = (ctx: RequestContext) => {
    const store = deps.store;
    const contactId = ctx.q.str('contactId');
    if (contactId !== undefined) {
      return store.getPerson(contactId) ? pageOfOne(ctx, contactId) : json(paginate([], readPaging(ctx.q), methodResponse));
    }
    return json(store.lists.methods.page(methodQuery(ctx), ctx.q.sort(), readPaging(ctx.q), methodResponse));
  };

  const get = (ctx: RequestContext) => json(methodResponse(target(ctx)));

  const create = (ctx: RequestContext) => {
    const contactId = ctx.path.text('contactId');
    requirePerson(contactId);
    const method = fillMethod(blankMethod(randomUUID(), contactId, nowIso()), ctx.json);
    deps.store.setMethods(contactId, [...deps.store.methods(contactId), method]);
    deps.commit();
    return json(methodResponse(method));
  };

  /** PUT: replaces the method, or creates it under the given id. */
  const upsert = (ctx: RequestContext) => {
    const contactId = ctx.path.text('contactId');
    const methodId = ctx.path.text('contactMethodId');
    requirePerson(contactId);
    // An upsert must not create a second method under an id another contact already uses. The
    // spec lists no 409 here, so this is a 400 on the route parameter.
    const owner = deps.store.methodOwner(methodId);
    if (owner !== undefined && owner !== contactId) {
      const errors: ErrorMap = {};
      addError(
        errors,
        'contactMethodId',
        `The contact method ${methodId} belongs to another contact (${owner}). ` +
          `Use a new id to create a method, or PUT it under /contacts/${owner}/contact-methods/${methodId}.`,
      );
      throw badRequest(errors);
    }
    const methods = deps.store.methods(contactId);
    const existing = methods.find((method) => method.id === methodId);
    const now = nowIso();
    const method = fillMethod(existing ?? blankMethod(methodId, contactId, now), ctx.json);
    method.modifiedOn = now;
    method.modifiedBy = API_USER_ID;
    const next = existing ? methods.map((candidate) => (candidate.id === methodId ? method : candidate)) : [...methods, method];
    deps.store.setMethods(contactId, next);
    deps.commit();
    return json(methodResponse(method));
  };

  const update = (ctx: RequestContext) => {
    const body = ctx.json;
    const existing = target(ctx);
    const next: MethodRec = { ...existing, modifiedOn: nowIso(), modifiedBy: API_USER_ID };
    if (typeof body.value === 'string') {
      // The type is fixed on PATCH, so the new value must suit the stored type.
      const message = contactValueError(existing.type, body.value);
      if (message) {
        const errors: ErrorMap = {};
        addError(errors, 'Value', message);
        throw badRequest(errors);
      }
      next.value = body.value.trim();
    }
    if (body.memo !== undefined) {
      const memo = optString(body.memo);
      if (memo === undefined) delete next.memo;
      else next.memo = memo;
    }
    const methods = deps.store.methods(existing.contactId);
    deps.store.setMethods(
      existing.contactId,
      methods.map((method) => (method.id === existing.id ? next : method)),
    );
    deps.commit();
    return json(methodResponse(next));
  };

  const remove = (ctx: RequestContext) => {
    const existing = target(ctx);
    const methods = deps.store.methods(existing.contactId);
    deps.store.setMethods(
      existing.contactId,
      methods.filter((method) => method.id !== existing.id),
    );
    deps.commit();
    return empty();
  };

  // ---- preferences ---------------------------------------------------------------------------
  const preferenceResponse = (method: MethodRec, type: PreferenceType): Record<string, unknown> => {
    const out: Record<string, unknown> = { name: type.name, dataType: type.dataType };
    const value = deps.store.methodPreferences(method.id).get(type.name);
    if (value !== undefined) out.value = value;
    return out;
  };
  const preferenceType = (ctx: RequestContext): PreferenceType => {
    const name = ctx.path.text('preferenceName').trim().toLowerCase();
    const type = PREFERENCE_TYPES.find((candidate) => candidate.name.toLowerCase() === name);
    if (!type) throw notFound('Contact preference not found');
    return type;
  };
  const listPreferences = (ctx: RequestContext) => {
    const method = target(ctx);
    return json(PREFERENCE_TYPES.map((type) => preferenceResponse(method, type)));
  };
  const getPreference = (ctx: RequestContext) => {
    const method = target(ctx);
    return json(preferenceResponse(method, preferenceType(ctx)));
  };
  const updatePreference = (ctx: RequestContext) => {
    const method = target(ctx);
    const type = preferenceType(ctx);
    const given = ctx.json.value;
    let value: string | undefined;
    if (typeof given === 'string') {
      const normalized = given.trim().toLowerCase();
      if (normalized !== 'true' && normalized !== 'false') {
        const errors: ErrorMap = {};
        addError(errors, 'Value', `The Value field must be 'true' or 'false' for the ${type.dataType} preference ${type.name}.`);
        throw badRequest(errors);
      }
      value = normalized;
    }
    deps.store.setMethodPreference(method.id, type.name, value);
    deps.commit();
    return json(preferenceResponse(method, type));
  };

  return [
    { operationId: 'ContactMethods_GetContactMethods', handler: list },
    { operationId: 'ContactMethods_CreateContactMethod', handler: create },
    { operationId: 'ContactMethods_GetContactMethod', handler: get },
    { operationId: 'ContactMethods_UpsertContactMethod', handler: upsert },
    { operationId: 'ContactMethods_UpdateContactMethod', handler: update },
    { operationId: 'ContactMethods_DeleteContactMethod', handler: remove },
    { operationId: 'Contacts_SearchContactMethods', handler: search },
    { operationId: 'Contacts_GetPreferenceMetadataList', handler: () => json(PREFERENCE_TYPES.map((type) => ({ ...type }))) },
    { operationId: 'ContactPreferences_GetContactMethodPreferences', handler: listPreferences },
    { operationId: 'ContactPreferences_GetContactMethodPreference', handler: getPreference },
    { operationId: 'ContactPreferences_UpdateContactMethodPreference', handler: updatePreference },
  ];
}

// Contact methods of a person contact (/contacts/{contactId}/contact-methods[/{contactMethodId}]),
// their preferences, the preference types, and the search across all contacts' methods.
import { randomUUID } from 'node:crypto';
import { addError, badRequest, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { ContactType, MethodRec } from '../types';
import { contactValueError, type JsonObject } from '../validation';
import { methodMatch, type MethodQuery } from '../lists/methodList';
import {
  API_USER_ID, methodResponse, nowIso, optString, paginate, readDateRange, readPaging, sortRows, type RouteDeps,
} from './common';

/** Crm.V2.ContactPreferenceTypeResponse: the preferences every contact method has. */
export const PREFERENCE_TYPES = [
  { id: '5f0c6a1e-3b2d-4c1a-9e47-0a1b2c3d4e01', name: 'JobReminders', dataType: 'Boolean' },
  { id: '5f0c6a1e-3b2d-4c1a-9e47-0a1b2c3d4e02', name: 'MarketingUpdates', dataType: 'Boolean' },
  { id: '5f0c6a1e-3b2d-4c1a-9e47-0a1b2c3d4e03', name: 'InvoiceStatements', dataType: 'Boolean' },
] as const;
type PreferenceType = (typeof PREFERENCE_TYPES)[number];

function fillMethod(rec: MethodRec, body: JsonObject): MethodRec {
  const next: MethodRec = { ...rec, type: body.type as ContactType, value: (body.value as string).trim() };
  delete next.referenceId; delete next.memo;
  const ref = optString(body.referenceId); if (ref !== undefined) next.referenceId = ref;
  const memo = optString(body.memo); if (memo !== undefined) next.memo = memo;
  return next;
}

export function contactMethodRoutes(deps: RouteDeps): OperationRoute[] {
  const requirePerson = (id: string): void => {
    if (!deps.store.getPerson(id)) throw notFound('Contact not found');
  };
  const find = (contactId: string, methodId: string): MethodRec => {
    requirePerson(contactId);
    const m = deps.store.methods(contactId).find((x) => x.id === methodId);
    if (!m) throw notFound('Contact Method not found');
    return m;
  };
  const target = (ctx: RequestContext): MethodRec => find(ctx.path.text('contactId'), ctx.path.text('contactMethodId'));

  /** The filters of GET …/contact-methods and GET /contacts/contact-methods. */
  const methodQuery = (ctx: RequestContext): MethodQuery => {
    const q = ctx.q;
    const out: MethodQuery = { dates: readDateRange(q) };
    const ref = q.str('referenceId'); if (ref !== undefined) out.referenceId = ref;
    const type = q.str('type'); if (type !== undefined) out.type = type;
    const value = q.str('value'); if (value !== undefined) out.value = value;
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
    const st = deps.store;
    const contactId = ctx.q.str('contactId');
    if (contactId !== undefined) return st.getPerson(contactId) ? pageOfOne(ctx, contactId) : json(paginate([], readPaging(ctx.q), methodResponse));
    return json(st.lists.methods.page(methodQuery(ctx), ctx.q.sort(), readPaging(ctx.q), methodResponse));
  };

  const get = (ctx: RequestContext) => json(methodResponse(target(ctx)));

  const create = (ctx: RequestContext) => {
    const contactId = ctx.path.text('contactId');
    requirePerson(contactId);
    const now = nowIso();
    const rec = fillMethod({
      id: randomUUID(), contactId, type: 'Phone', value: '', createdOn: now, createdBy: API_USER_ID, modifiedOn: now, modifiedBy: API_USER_ID,
    }, ctx.json);
    deps.store.setMethods(contactId, [...deps.store.methods(contactId), rec]);
    deps.commit();
    return json(methodResponse(rec));
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
      addError(errors, 'contactMethodId', `The contact method ${methodId} belongs to another contact (${owner}). Use a new id to create a method, or PUT it under /contacts/${owner}/contact-methods/${methodId}.`);
      throw badRequest(errors);
    }
    const list = deps.store.methods(contactId);
    const existing = list.find((m) => m.id === methodId);
    const now = nowIso();
    const rec = fillMethod(existing ?? {
      id: methodId, contactId, type: 'Phone', value: '', createdOn: now, createdBy: API_USER_ID, modifiedOn: now, modifiedBy: API_USER_ID,
    }, ctx.json);
    rec.modifiedOn = now; rec.modifiedBy = API_USER_ID;
    deps.store.setMethods(contactId, existing ? list.map((m) => (m.id === methodId ? rec : m)) : [...list, rec]);
    deps.commit();
    return json(methodResponse(rec));
  };

  const update = (ctx: RequestContext) => {
    const body = ctx.json;
    const existing = target(ctx);
    const next: MethodRec = { ...existing, modifiedOn: nowIso(), modifiedBy: API_USER_ID };
    if (typeof body.value === 'string') {
      // The type is fixed on PATCH, so the new value must suit the stored type.
      const msg = contactValueError(existing.type, body.value);
      if (msg) { const errors: ErrorMap = {}; addError(errors, 'Value', msg); throw badRequest(errors); }
      next.value = body.value.trim();
    }
    if (body.memo !== undefined) { const memo = optString(body.memo); if (memo === undefined) delete next.memo; else next.memo = memo; }
    deps.store.setMethods(existing.contactId, deps.store.methods(existing.contactId).map((m) => (m.id === existing.id ? next : m)));
    deps.commit();
    return json(methodResponse(next));
  };

  const remove = (ctx: RequestContext) => {
    const existing = target(ctx);
    deps.store.setMethods(existing.contactId, deps.store.methods(existing.contactId).filter((m) => m.id !== existing.id));
    deps.commit();
    return empty();
  };

  // ---- preferences ---------------------------------------------------------------------------
  const preferenceResponse = (m: MethodRec, t: PreferenceType): Record<string, unknown> => {
    const out: Record<string, unknown> = { name: t.name, dataType: t.dataType };
    const v = deps.store.methodPreferences(m.id).get(t.name);
    if (v !== undefined) out.value = v;
    return out;
  };
  const preferenceType = (ctx: RequestContext): PreferenceType => {
    const name = ctx.path.text('preferenceName').trim().toLowerCase();
    const t = PREFERENCE_TYPES.find((x) => x.name.toLowerCase() === name);
    if (!t) throw notFound('Contact preference not found');
    return t;
  };
  const listPreferences = (ctx: RequestContext) => {
    const m = target(ctx);
    return json(PREFERENCE_TYPES.map((t) => preferenceResponse(m, t)));
  };
  const getPreference = (ctx: RequestContext) => {
    const m = target(ctx);
    return json(preferenceResponse(m, preferenceType(ctx)));
  };
  const updatePreference = (ctx: RequestContext) => {
    const m = target(ctx);
    const t = preferenceType(ctx);
    const raw = ctx.json.value;
    let value: string | undefined;
    if (typeof raw === 'string') {
      const v = raw.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') {
        const errors: ErrorMap = {};
        addError(errors, 'Value', `The Value field must be 'true' or 'false' for the ${t.dataType} preference ${t.name}.`);
        throw badRequest(errors);
      }
      value = v;
    }
    deps.store.setMethodPreference(m.id, t.name, value);
    deps.commit();
    return json(preferenceResponse(m, t));
  };

  return [
    { operationId: 'ContactMethods_GetContactMethods', handler: list },
    { operationId: 'ContactMethods_CreateContactMethod', handler: create },
    { operationId: 'ContactMethods_GetContactMethod', handler: get },
    { operationId: 'ContactMethods_UpsertContactMethod', handler: upsert },
    { operationId: 'ContactMethods_UpdateContactMethod', handler: update },
    { operationId: 'ContactMethods_DeleteContactMethod', handler: remove },
    { operationId: 'Contacts_SearchContactMethods', handler: search },
    { operationId: 'Contacts_GetPreferenceMetadataList', handler: () => json(PREFERENCE_TYPES.map((t) => ({ ...t }))) },
    { operationId: 'ContactPreferences_GetContactMethodPreferences', handler: listPreferences },
    { operationId: 'ContactPreferences_GetContactMethodPreference', handler: getPreference },
    { operationId: 'ContactPreferences_UpdateContactMethodPreference', handler: updatePreference },
  ];
}

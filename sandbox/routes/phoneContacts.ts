// The four routes of a parent's legacy phone/email contacts. Customers and locations have the
// same contract (list, create, update, delete under /{parent}/{id}/contacts), so one factory
// serves both.
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { ContactType, PhoneContactRec, PhonePreferences } from '../types';
import { contactValueError, type JsonObject } from '../validation';
import { nowIso, optString, paginate, readPaging, sameContactValue, type RouteDeps } from './common';

export function newPhoneContact(id: number, o: JsonObject, now: string): PhoneContactRec {
  const rec: PhoneContactRec = { id, type: o.type as ContactType, value: (o.value as string).trim(), doNotText: false, createdOn: now, modifiedOn: now };
  const memo = optString(o.memo); if (memo !== undefined) rec.memo = memo;
  return rec;
}

/** Rejects a second contact with the same type and value on one parent (409). */
export function assertNoDuplicate(list: PhoneContactRec[], type: ContactType, value: string, exceptId?: number): void {
  if (list.some((c) => c.id !== exceptId && c.type === type && sameContactValue(type, c.value, value))) {
    throw conflict(`A ${type} contact with this value already exists`);
  }
}

/**
 * Adds a 400 entry at `${prefix}Contacts[i].Value` for each contact of one body that repeats an
 * earlier one (same type and value, as assertNoDuplicate compares): what CreateContact would answer
 * 409 for, in an operation whose document lists no 409.
 */
export function checkDuplicateContacts(errors: ErrorMap, prefix: string, contacts: unknown): void {
  if (!Array.isArray(contacts)) return;
  const seen: Array<{ type: ContactType; value: string }> = [];
  contacts.forEach((c: unknown, i) => {
    if (c === null || typeof c !== 'object') return;
    const { type, value } = c as JsonObject;
    if (typeof type !== 'string' || typeof value !== 'string') return;
    const t = type as ContactType;
    if (seen.some((s) => s.type === t && sameContactValue(t, s.value, value))) {
      addError(errors, `${prefix}Contacts[${i}].Value`, `A ${t} contact with this value is already in the request.`);
    } else seen.push({ type: t, value });
  });
}

/** Applies Update*ContactRequest fields to a contact, re-validating value against the resulting type. */
export function patchPhoneContact(existing: PhoneContactRec, body: JsonObject, pathErrors: Record<string, string[]>): PhoneContactRec {
  const type = (body.type as ContactType | null | undefined) ?? existing.type;
  const value = typeof body.value === 'string' ? body.value.trim() : existing.value;
  const msg = contactValueError(type, value);
  if (msg) {
    const errors = { ...pathErrors };
    addError(errors, 'Value', msg);
    throw badRequest(errors);
  }
  const next: PhoneContactRec = { ...existing, type, value, modifiedOn: nowIso() };
  if (body.memo !== undefined) { const memo = optString(body.memo); if (memo === undefined) delete next.memo; else next.memo = memo; }
  const prefs = body.preferences;
  if (prefs && typeof prefs === 'object') {
    const p = prefs as JsonObject;
    const value: PhonePreferences = {
      jobRemindersEnabled: p.jobRemindersEnabled === true, marketingUpdatesEnabled: p.marketingUpdatesEnabled === true,
      invoiceStatementNotification: p.invoiceStatementNotification === true,
    };
    next.preferences = value;
  }
  return next;
}

export interface PhoneContactParent {
  operations: { list: string; create: string; update: string; remove: string };
  /** Throws 404 when the parent does not exist. */
  requireParent: (id: number) => void;
  contacts: (id: number) => PhoneContactRec[];
  setContacts: (id: number, list: PhoneContactRec[]) => void;
  toResponse: (rec: PhoneContactRec) => Record<string, unknown>;
}

export function phoneContactRoutes(deps: RouteDeps, parent: PhoneContactParent): OperationRoute[] {
  const list = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    parent.requireParent(id);
    return json(paginate(parent.contacts(id), readPaging(ctx.q), parent.toResponse));
  };

  const create = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const body = ctx.json;
    parent.requireParent(id);
    const existing = parent.contacts(id);
    assertNoDuplicate(existing, body.type as ContactType, body.value as string);
    const rec = newPhoneContact(deps.store.nextId(), body, nowIso());
    parent.setContacts(id, [...existing, rec]);
    deps.commit();
    return json(parent.toResponse(rec));
  };

  const update = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const contactId = ctx.path.id('contactId');
    parent.requireParent(id);
    const existing = parent.contacts(id);
    const current = existing.find((c) => c.id === contactId);
    if (!current) throw notFound('Contact not found');
    const next = patchPhoneContact(current, ctx.json, {});
    assertNoDuplicate(existing, next.type, next.value, contactId);
    parent.setContacts(id, existing.map((c) => (c.id === contactId ? next : c)));
    deps.commit();
    return json(parent.toResponse(next));
  };

  const remove = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const contactId = ctx.path.id('contactId');
    parent.requireParent(id);
    const existing = parent.contacts(id);
    if (!existing.some((c) => c.id === contactId)) throw notFound('Contact not found');
    parent.setContacts(id, existing.filter((c) => c.id !== contactId));
    deps.commit();
    return empty();
  };

  const ops = parent.operations;
  return [
    { operationId: ops.list, handler: list },
    { operationId: ops.create, handler: create },
    { operationId: ops.update, handler: update },
    { operationId: ops.remove, handler: remove },
  ];
}

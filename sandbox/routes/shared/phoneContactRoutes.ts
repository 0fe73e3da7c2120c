// The four routes of a parent's phone and e-mail contacts. Customers and locations have the same
// contract (list, create, update, delete under /{parent}/{id}/contacts), so one factory serves
// both; the body checks here are also used when a customer or location is created with contacts.
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../../http';
import { sameContactValue } from '../../query/contactValues';
import { paginate } from '../../query/paging';
import type { ContactType, PhoneContactRec, PhonePreferences } from '../../types';
import { contactValueError, type JsonObject } from '../../validation';
import { optString } from './bodyFields';
import { readPaging } from './listQuery';
import { nowIso, type RouteDeps } from './routeDeps';

/** A contact from a validated CreateContactRequest (or a contact of a new customer or location). */
export function newPhoneContact(id: number, body: JsonObject, now: string): PhoneContactRec {
  const contact: PhoneContactRec = {
    id,
    type: body.type as ContactType,
    value: (body.value as string).trim(),
    doNotText: false,
    createdOn: now,
    modifiedOn: now,
  };
  const memo = optString(body.memo);
  if (memo !== undefined) contact.memo = memo;
  return contact;
}

/** Rejects a second contact with the same type and value on one parent (409). */
export function assertNoDuplicate(list: PhoneContactRec[], type: ContactType, value: string, exceptId?: number): void {
  if (list.some((contact) => contact.id !== exceptId && contact.type === type && sameContactValue(type, contact.value, value))) {
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
  contacts.forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object') return;
    const { type, value } = item as JsonObject;
    if (typeof type !== 'string' || typeof value !== 'string') return;
    const contactType = type as ContactType;
    if (seen.some((earlier) => earlier.type === contactType && sameContactValue(contactType, earlier.value, value))) {
      addError(errors, `${prefix}Contacts[${i}].Value`, `A ${contactType} contact with this value is already in the request.`);
    } else {
      seen.push({ type: contactType, value });
    }
  });
}

/** Applies Update*ContactRequest fields to a contact, re-validating value against the resulting type. */
export function patchPhoneContact(existing: PhoneContactRec, body: JsonObject, pathErrors: ErrorMap): PhoneContactRec {
  const type = (body.type as ContactType | null | undefined) ?? existing.type;
  const value = typeof body.value === 'string' ? body.value.trim() : existing.value;
  const message = contactValueError(type, value);
  if (message) {
    const errors = { ...pathErrors };
    addError(errors, 'Value', message);
    throw badRequest(errors);
  }
  const next: PhoneContactRec = { ...existing, type, value, modifiedOn: nowIso() };
  if (body.memo !== undefined) {
    const memo = optString(body.memo);
    if (memo === undefined) delete next.memo;
    else next.memo = memo;
  }
  const preferences = body.preferences;
  if (preferences && typeof preferences === 'object') {
    const given = preferences as JsonObject;
    const stored: PhonePreferences = {
      jobRemindersEnabled: given.jobRemindersEnabled === true,
      marketingUpdatesEnabled: given.marketingUpdatesEnabled === true,
      invoiceStatementNotification: given.invoiceStatementNotification === true,
    };
    next.preferences = stored;
  }
  return next;
}

/** What the routes need to know of the parent kind. */
export interface PhoneContactParent {
  operations: { list: string; create: string; update: string; remove: string };
  /** Throws 404 when the parent does not exist. */
  requireParent: (id: number) => void;
  contacts: (id: number) => PhoneContactRec[];
  setContacts: (id: number, list: PhoneContactRec[]) => void;
  toResponse: (contact: PhoneContactRec) => Record<string, unknown>;
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
    const contact = newPhoneContact(deps.store.nextId(), body, nowIso());
    parent.setContacts(id, [...existing, contact]);
    deps.commit();
    return json(parent.toResponse(contact));
  };

  const update = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const contactId = ctx.path.id('contactId');
    parent.requireParent(id);
    const existing = parent.contacts(id);
    const current = existing.find((contact) => contact.id === contactId);
    if (!current) throw notFound('Contact not found');
    const next = patchPhoneContact(current, ctx.json, {});
    assertNoDuplicate(existing, next.type, next.value, contactId);
    parent.setContacts(
      id,
      existing.map((contact) => (contact.id === contactId ? next : contact)),
    );
    deps.commit();
    return json(parent.toResponse(next));
  };

  const remove = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const contactId = ctx.path.id('contactId');
    parent.requireParent(id);
    const existing = parent.contacts(id);
    if (!existing.some((contact) => contact.id === contactId)) throw notFound('Contact not found');
    parent.setContacts(
      id,
      existing.filter((contact) => contact.id !== contactId),
    );
    deps.commit();
    return empty();
  };

  const operations = parent.operations;
  return [
    { operationId: operations.list, handler: list },
    { operationId: operations.create, handler: create },
    { operationId: operations.update, handler: update },
    { operationId: operations.remove, handler: remove },
  ];
}

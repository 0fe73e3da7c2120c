// Bookings (Crm.V2.Booking*) for the tenant and for a booking provider, their contacts, and the
// bookings export feed. `{booking_provider}` is a booking provider tag id: a provider sees, changes
// and dismisses only its own bookings; any other booking is 404 to it.
import { EXPORT_PAGE_SIZE } from '../changeFeed';
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { BookingAddress, BookingContactRec, BookingRec, Priority } from '../salesStore';
import { CONTACT_TYPES, CUSTOMER_TYPES, type ContactType, type CustomerType } from '../types';
import { contactValueError, parseInt64, type JsonObject } from '../validation';
import { inDateRange, nowIso, paginate, readDateRange, readPaging, sameContactValue, sortRows, type RouteDeps } from './common';
import { boolOf, numOf, optText, strOf } from './leads';

// ---- response mappers ---------------------------------------------------------------------------
function addressResponse(a: BookingAddress): Record<string, unknown> {
  const out: Record<string, unknown> = { street: a.street };
  if (a.unit !== undefined) out.unit = a.unit;
  out.city = a.city;
  out.state = a.state;
  out.zip = a.zip;
  out.country = a.country;
  return out;
}

function bookingFields(b: BookingRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: b.id, source: b.source, createdOn: b.createdOn, name: b.name };
  if (b.address !== undefined) out.address = addressResponse(b.address);
  if (b.customerType !== undefined) out.customerType = b.customerType;
  out.start = b.start;
  if (b.campaignId !== undefined) out.campaignId = b.campaignId;
  if (b.businessUnitId !== undefined) out.businessUnitId = b.businessUnitId;
  if (b.isFirstTimeClient !== undefined) out.isFirstTimeClient = b.isFirstTimeClient;
  if (b.uploadedImages !== undefined) out.uploadedImages = [...b.uploadedImages];
  if (b.isSendConfirmationEmail !== undefined) out.isSendConfirmationEmail = b.isSendConfirmationEmail;
  out.status = b.status;
  if (b.dismissingReasonId !== undefined) out.dismissingReasonId = b.dismissingReasonId;
  if (b.jobId !== undefined) out.jobId = b.jobId;
  out.externalId = b.externalId;
  if (b.priority !== undefined) out.priority = b.priority;
  if (b.jobTypeId !== undefined) out.jobTypeId = b.jobTypeId;
  out.bookingProviderId = b.bookingProviderId;
  out.modifiedOn = b.modifiedOn;
  return out;
}

/** Crm.V2.BookingResponse */
export function bookingResponse(b: BookingRec): Record<string, unknown> {
  const out = bookingFields(b);
  if (b.summary !== undefined) out.summary = b.summary;
  return out;
}

/** Crm.V2.ExportBookingResponse: summary first, as the document lists it, and `active` (never deleted). */
export function exportBookingResponse(b: BookingRec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (b.summary !== undefined) out.summary = b.summary;
  return { ...out, ...bookingFields(b), active: true };
}

/** Crm.V2.BookingContactResponse: memo is a required, non-null string there, so "" when none. */
export function bookingContactResponse(c: BookingContactRec): Record<string, unknown> {
  return { id: c.id, type: c.type, value: c.value, memo: c.memo ?? '', modifiedOn: c.modifiedOn };
}

function toAddress(o: JsonObject): BookingAddress {
  const a: BookingAddress = {
    street: (o.street as string).trim(), city: (o.city as string).trim(), state: (o.state as string).trim(),
    zip: (o.zip as string).trim(), country: (o.country as string).trim(),
  };
  const unit = optText(o.unit); if (unit !== undefined) a.unit = unit.trim();
  return a;
}

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** ContactCreateRequest.type and CreateBookingRequest.customerType are plain strings in the document. */
function enumValue<T extends string>(raw: unknown, values: readonly T[], prop: string, errors: ErrorMap): T | undefined {
  if (typeof raw !== 'string') return undefined;
  const hit = values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
  if (hit === undefined) addError(errors, pascal(prop), `The value '${raw}' is not valid for ${pascal(prop)}. Use ${values.join(', ')}.`);
  return hit;
}

// ---- handlers ------------------------------------------------------------------------------------
export function bookingRoutes(deps: RouteDeps): OperationRoute[] {
  const sales = (): RouteDeps['sales'] => deps.sales;

  const requireBooking = (id: number, provider?: number): BookingRec => {
    const b = sales().getBooking(id);
    if (!b || (provider !== undefined && b.bookingProviderId !== provider)) throw notFound('Booking not found');
    return b;
  };
  /** Bookings_DismissBooking types {booking_provider} as a string: a value that is no id names no provider. */
  const providerFromText = (raw: string): number => {
    const n = parseInt64(raw);
    if (n === undefined) throw notFound('Booking not found');
    return n;
  };
  const requireContact = (b: BookingRec, contactId: number): BookingContactRec => {
    const c = b.contacts.find((x) => x.id === contactId);
    if (!c) throw notFound('Contact not found');
    return c;
  };

  const list = (provider: boolean) => (ctx: RequestContext) => {
    const q = ctx.q;
    const providerId = provider ? ctx.path.id('booking_provider') : undefined;
    const paging = readPaging(q);
    const sort = q.sort();
    const ids = q.ids('ids');
    const idSet = ids ? new Set(ids) : undefined;
    const dates = readDateRange(q);
    const externalId = q.str('externalId');
    const rows = sales().bookings().filter((b) => (providerId === undefined || b.bookingProviderId === providerId)
      && (!idSet || idSet.has(b.id))
      && (externalId === undefined || b.externalId === externalId)
      && inDateRange(dates, b.createdOn, b.modifiedOn));
    return json(paginate(sortRows(rows, sort), paging, bookingResponse));
  };

  const get = (ctx: RequestContext) => json(bookingResponse(requireBooking(ctx.path.id('id'))));
  const getForProvider = (ctx: RequestContext) =>
    json(bookingResponse(requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'))));

  const contactList = (provider: boolean) => (ctx: RequestContext) => {
    const b = requireBooking(ctx.path.id('id'), provider ? ctx.path.id('booking_provider') : undefined);
    return json(paginate(b.contacts, readPaging(ctx.q), bookingContactResponse));
  };

  const externalIdTaken = (providerId: number, externalId: string, exceptId?: number): boolean =>
    sales().bookings().some((b) => b.bookingProviderId === providerId && b.id !== exceptId && b.externalId === externalId);

  const create = (ctx: RequestContext) => {
    const providerId = ctx.path.id('booking_provider');
    const b = ctx.json;
    const errors: ErrorMap = {};
    const tag = sales().getProviderTag(providerId);
    if (!tag) addError(errors, 'booking_provider', `Booking provider ${providerId} does not exist.`);
    else if (!tag.active) addError(errors, 'booking_provider', `Booking provider ${providerId} is not active.`);
    const customerType: CustomerType | undefined = enumValue(b.customerType, CUSTOMER_TYPES, 'customerType', errors);
    const externalId = (strOf(b, 'externalId') ?? '').trim();
    // The document lists no 409 for this operation, so a second booking with the externalId is a bad value.
    if (tag && externalIdTaken(providerId, externalId)) addError(errors, 'ExternalId', `Booking provider ${providerId} already has a booking with externalId '${externalId}'.`);
    if (Object.keys(errors).length > 0) throw badRequest(errors);

    const now = nowIso();
    const contacts = Array.isArray(b.contacts) ? (b.contacts as JsonObject[]) : [];
    const rec: BookingRec = {
      id: deps.store.nextId(), bookingProviderId: providerId, source: (strOf(b, 'source') ?? '').trim(), createdOn: now,
      name: (strOf(b, 'name') ?? '').trim(), start: strOf(b, 'start') ?? now, status: 'New', externalId, modifiedOn: now,
      isFirstTimeClient: boolOf(b, 'isFirstTimeClient') ?? false,
      contacts: contacts.map((c) => {
        const rec: BookingContactRec = { id: deps.store.nextId(), type: c.type as ContactType, value: (c.value as string).trim(), modifiedOn: now };
        const memo = optText(c.memo); if (memo !== undefined) rec.memo = memo;
        return rec;
      }),
    };
    if (b.address && typeof b.address === 'object') rec.address = toAddress(b.address as JsonObject);
    if (customerType !== undefined) rec.customerType = customerType;
    for (const k of ['campaignId', 'businessUnitId', 'jobTypeId'] as const) { const v = numOf(b, k); if (v !== undefined) rec[k] = v; }
    const priority = strOf(b, 'priority'); if (priority !== undefined) rec.priority = priority as Priority;
    const send = boolOf(b, 'isSendConfirmationEmail'); if (send !== undefined) rec.isSendConfirmationEmail = send;
    if (Array.isArray(b.uploadedImages)) rec.uploadedImages = (b.uploadedImages as string[]).filter((x) => typeof x === 'string');
    const summary = optText(b.summary); if (summary !== undefined) rec.summary = summary;
    sales().putBooking(rec);
    deps.commit();
    return json(bookingResponse(rec));
  };

  const update = (ctx: RequestContext) => {
    const providerId = ctx.path.id('booking_provider');
    const current = requireBooking(ctx.path.id('id'), providerId);
    const b = ctx.json;
    const errors: ErrorMap = {};
    // What is required when creating may not be blanked by a patch.
    for (const k of ['source', 'name', 'externalId'] as const) {
      if (typeof b[k] === 'string' && b[k].trim() === '') addError(errors, pascal(k), `The ${pascal(k)} field cannot be blank.`);
    }
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const externalId = strOf(b, 'externalId')?.trim();
    if (externalId !== undefined && externalIdTaken(providerId, externalId, current.id)) {
      throw conflict(`Booking provider ${providerId} already has a booking with externalId '${externalId}'`);
    }
    const next: BookingRec = { ...current, modifiedOn: nowIso() };
    for (const k of ['source', 'name'] as const) { const v = strOf(b, k); if (v !== undefined) next[k] = v.trim(); }
    if (externalId !== undefined) next.externalId = externalId;
    if (b.address && typeof b.address === 'object') next.address = toAddress(b.address as JsonObject);
    const customerType = strOf(b, 'customerType'); if (customerType !== undefined) next.customerType = customerType as CustomerType;
    const start = strOf(b, 'start'); if (start !== undefined) next.start = start;
    if (typeof b.summary === 'string') { const s = optText(b.summary); if (s === undefined) delete next.summary; else next.summary = s; }
    for (const k of ['campaignId', 'businessUnitId', 'jobTypeId'] as const) { const v = numOf(b, k); if (v !== undefined) next[k] = v; }
    const priority = strOf(b, 'priority'); if (priority !== undefined) next.priority = priority as Priority;
    const first = boolOf(b, 'isFirstTimeClient'); if (first !== undefined) next.isFirstTimeClient = first;
    if (Array.isArray(b.uploadedImages)) next.uploadedImages = [...(b.uploadedImages as string[])];
    sales().putBooking(next);
    deps.commit();
    return json(bookingResponse(next));
  };

  const hasDuplicate = (b: BookingRec, type: ContactType, value: string, exceptId?: number): boolean =>
    b.contacts.some((c) => c.id !== exceptId && c.type === type && sameContactValue(type, c.value, value));

  const createContact = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'));
    const b = ctx.json;
    const errors: ErrorMap = {};
    const type = enumValue(b.type, CONTACT_TYPES, 'type', errors);
    const value = (strOf(b, 'value') ?? '').trim();
    if (type !== undefined) {
      const msg = contactValueError(type, value);
      if (msg) addError(errors, 'Value', msg);
      // The document lists no 409 here: a second contact with the same value is a bad value.
      else if (hasDuplicate(current, type, value)) addError(errors, 'Value', `The booking already has a ${type} contact with this value.`);
    }
    if (Object.keys(errors).length > 0 || type === undefined) throw badRequest(errors);
    const rec: BookingContactRec = { id: deps.store.nextId(), type, value, modifiedOn: nowIso() };
    const memo = optText(b.memo); if (memo !== undefined) rec.memo = memo;
    sales().putBooking({ ...current, contacts: [...current.contacts, rec] }, false);
    deps.commit();
    return json(bookingContactResponse(rec));
  };

  const updateContact = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'));
    const contact = requireContact(current, ctx.path.id('contactId'));
    const b = ctx.json;
    const type = (strOf(b, 'type') as ContactType | undefined) ?? contact.type;
    const value = strOf(b, 'value')?.trim() ?? contact.value;
    const msg = contactValueError(type, value);
    if (msg) throw badRequest({ Value: [msg] });
    if (hasDuplicate(current, type, value, contact.id)) throw conflict(`The booking already has a ${type} contact with this value`);
    const next: BookingContactRec = { ...contact, type, value, modifiedOn: nowIso() };
    if (typeof b.memo === 'string') { const memo = optText(b.memo); if (memo === undefined) delete next.memo; else next.memo = memo; }
    sales().putBooking({ ...current, contacts: current.contacts.map((c) => (c.id === next.id ? next : c)) }, false);
    deps.commit();
    // The document answers with Crm.V2.UpdateBookingContactRequest: type, value and memo.
    const out: Record<string, unknown> = { type: next.type, value: next.value };
    if (next.memo !== undefined) out.memo = next.memo;
    return json(out);
  };

  const deleteContact = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'));
    const contact = requireContact(current, ctx.path.id('contactId'));
    sales().putBooking({ ...current, contacts: current.contacts.filter((c) => c.id !== contact.id) }, false);
    deps.commit();
    return empty();
  };

  const dismiss = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), providerFromText(ctx.path.text('booking_provider')));
    const b = ctx.json;
    const next: BookingRec = { ...current, status: 'Dismissed', modifiedOn: nowIso() };
    const reason = numOf(b, 'callReasonId'); if (reason !== undefined) next.callReasonId = reason;
    const memo = optText(b.dismissingMemo); if (memo !== undefined) next.dismissingMemo = memo;
    sales().putBooking(next);
    deps.commit();
    return empty();
  };

  const exportBookings = (ctx: RequestContext) =>
    json(sales().bookingFeed().read(ctx.q.str('from'), EXPORT_PAGE_SIZE, exportBookingResponse));

  return [
    { operationId: 'Bookings_GetList', handler: list(false) },
    { operationId: 'Bookings_Get', handler: get },
    { operationId: 'Bookings_GetContactList', handler: contactList(false) },
    { operationId: 'Bookings_GetList2', handler: list(true) },
    { operationId: 'Bookings_GetForProvider', handler: getForProvider },
    { operationId: 'Bookings_Create', handler: create },
    { operationId: 'Bookings_Update', handler: update },
    { operationId: 'Bookings_GetContactList2', handler: contactList(true) },
    { operationId: 'Bookings_CreateContact', handler: createContact },
    { operationId: 'Bookings_UpdateBookingContact', handler: updateContact },
    { operationId: 'Bookings_DeleteContact', handler: deleteContact },
    { operationId: 'Bookings_DismissBooking', handler: dismiss },
    { operationId: 'ExportBookings_Get', handler: exportBookings },
  ];
}

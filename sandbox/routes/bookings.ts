// Bookings (Crm.V2.Booking*) for the tenant and for a booking provider, their contacts, and the
// bookings export feed. `{booking_provider}` is a booking provider tag id: a provider sees, changes
// and dismisses only its own bookings; any other booking is 404 to it.
import { EXPORT_PAGE_SIZE } from '../changeFeed';
import { addError, badRequest, conflict, notFound, type ErrorMap } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import { sameContactValue } from '../query/contactValues';
import { inDateRange } from '../query/dateRange';
import { paginate } from '../query/paging';
import { sortRows } from '../query/sorting';
import type { BookingAddress, BookingContactRec, BookingRec, Priority } from '../salesStore';
import { CONTACT_TYPES, CUSTOMER_TYPES, type ContactType, type CustomerType } from '../types';
import { contactValueError, parseInt64, type JsonObject } from '../validation';
import { boolOf, numOf, optText, strOf } from './shared/bodyFields';
import { readDateRange, readPaging } from './shared/listQuery';
import { nowIso, type RouteDeps } from './shared/routeDeps';

// ---- response mappers ---------------------------------------------------------------------------
function addressResponse(address: BookingAddress): Record<string, unknown> {
  const out: Record<string, unknown> = { street: address.street };
  if (address.unit !== undefined) out.unit = address.unit;
  out.city = address.city;
  out.state = address.state;
  out.zip = address.zip;
  out.country = address.country;
  return out;
}

function bookingFields(booking: BookingRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: booking.id, source: booking.source, createdOn: booking.createdOn, name: booking.name };
  if (booking.address !== undefined) out.address = addressResponse(booking.address);
  if (booking.customerType !== undefined) out.customerType = booking.customerType;
  out.start = booking.start;
  if (booking.campaignId !== undefined) out.campaignId = booking.campaignId;
  if (booking.businessUnitId !== undefined) out.businessUnitId = booking.businessUnitId;
  if (booking.isFirstTimeClient !== undefined) out.isFirstTimeClient = booking.isFirstTimeClient;
  if (booking.uploadedImages !== undefined) out.uploadedImages = [...booking.uploadedImages];
  if (booking.isSendConfirmationEmail !== undefined) out.isSendConfirmationEmail = booking.isSendConfirmationEmail;
  out.status = booking.status;
  if (booking.dismissingReasonId !== undefined) out.dismissingReasonId = booking.dismissingReasonId;
  if (booking.jobId !== undefined) out.jobId = booking.jobId;
  out.externalId = booking.externalId;
  if (booking.priority !== undefined) out.priority = booking.priority;
  if (booking.jobTypeId !== undefined) out.jobTypeId = booking.jobTypeId;
  out.bookingProviderId = booking.bookingProviderId;
  out.modifiedOn = booking.modifiedOn;
  return out;
}

/** Crm.V2.BookingResponse */
export function bookingResponse(booking: BookingRec): Record<string, unknown> {
  const out = bookingFields(booking);
  if (booking.summary !== undefined) out.summary = booking.summary;
  return out;
}

/** Crm.V2.ExportBookingResponse: summary first, as the document lists it, and `active` (never deleted). */
export function exportBookingResponse(booking: BookingRec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (booking.summary !== undefined) out.summary = booking.summary;
  return { ...out, ...bookingFields(booking), active: true };
}

/** Crm.V2.BookingContactResponse: memo is a required, non-null string there, so "" when none. */
export function bookingContactResponse(contact: BookingContactRec): Record<string, unknown> {
  return { id: contact.id, type: contact.type, value: contact.value, memo: contact.memo ?? '', modifiedOn: contact.modifiedOn };
}

// ---- request bodies -----------------------------------------------------------------------------
/** A validated Crm.V2.AddressModel, trimmed. */
function toAddress(body: JsonObject): BookingAddress {
  const address: BookingAddress = {
    street: (body.street as string).trim(),
    city: (body.city as string).trim(),
    state: (body.state as string).trim(),
    zip: (body.zip as string).trim(),
    country: (body.country as string).trim(),
  };
  const unit = optText(body.unit);
  if (unit !== undefined) address.unit = unit.trim();
  return address;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** ContactCreateRequest.type and CreateBookingRequest.customerType are plain strings in the document. */
function enumValue<T extends string>(given: unknown, values: readonly T[], property: string, errors: ErrorMap): T | undefined {
  if (typeof given !== 'string') return undefined;
  const hit = values.find((value) => value.toLowerCase() === given.trim().toLowerCase());
  if (hit === undefined) addError(errors, pascal(property), `The value '${given}' is not valid for ${pascal(property)}. Use ${values.join(', ')}.`);
  return hit;
}

/** A booking contact from a validated body entry of a new booking. */
function newContact(id: number, body: JsonObject, now: string): BookingContactRec {
  const contact: BookingContactRec = { id, type: body.type as ContactType, value: (body.value as string).trim(), modifiedOn: now };
  const memo = optText(body.memo);
  if (memo !== undefined) contact.memo = memo;
  return contact;
}

// ---- handlers ------------------------------------------------------------------------------------
export function bookingRoutes(deps: RouteDeps): OperationRoute[] {
  const sales = (): RouteDeps['sales'] => deps.sales;

  const requireBooking = (id: number, provider?: number): BookingRec => {
    const booking = sales().getBooking(id);
    if (!booking || (provider !== undefined && booking.bookingProviderId !== provider)) throw notFound('Booking not found');
    return booking;
  };
  /** Bookings_DismissBooking types {booking_provider} as a string: a value that is no id names no provider. */
  const providerFromText = (text: string): number => {
    const id = parseInt64(text);
    if (id === undefined) throw notFound('Booking not found');
    return id;
  };
  const requireContact = (booking: BookingRec, contactId: number): BookingContactRec => {
    const contact = booking.contacts.find((candidate) => candidate.id === contactId);
    if (!contact) throw notFound('Contact not found');
    return contact;
  };

  const list = (forProvider: boolean) => (ctx: RequestContext) => {
    const query = ctx.q;
    const providerId = forProvider ? ctx.path.id('booking_provider') : undefined;
    const paging = readPaging(query);
    const sort = query.sort();
    const ids = query.ids('ids');
    const idSet = ids ? new Set(ids) : undefined;
    const dates = readDateRange(query);
    const externalId = query.str('externalId');
    const rows = sales()
      .bookings()
      .filter(
        (booking) =>
          (providerId === undefined || booking.bookingProviderId === providerId) &&
          (!idSet || idSet.has(booking.id)) &&
          (externalId === undefined || booking.externalId === externalId) &&
          inDateRange(dates, booking.createdOn, booking.modifiedOn),
      );
    return json(paginate(sortRows(rows, sort), paging, bookingResponse));
  };

  const get = (ctx: RequestContext) => json(bookingResponse(requireBooking(ctx.path.id('id'))));
  const getForProvider = (ctx: RequestContext) => json(bookingResponse(requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'))));

  const contactList = (forProvider: boolean) => (ctx: RequestContext) => {
    const booking = requireBooking(ctx.path.id('id'), forProvider ? ctx.path.id('booking_provider') : undefined);
    return json(paginate(booking.contacts, readPaging(ctx.q), bookingContactResponse));
  };

  const externalIdTaken = (providerId: number, externalId: string, exceptId?: number): boolean =>
    sales()
      .bookings()
      .some((booking) => booking.bookingProviderId === providerId && booking.id !== exceptId && booking.externalId === externalId);

  const create = (ctx: RequestContext) => {
    const providerId = ctx.path.id('booking_provider');
    const body = ctx.json;
    const errors: ErrorMap = {};
    const tag = sales().getProviderTag(providerId);
    if (!tag) addError(errors, 'booking_provider', `Booking provider ${providerId} does not exist.`);
    else if (!tag.active) addError(errors, 'booking_provider', `Booking provider ${providerId} is not active.`);
    const customerType: CustomerType | undefined = enumValue(body.customerType, CUSTOMER_TYPES, 'customerType', errors);
    const externalId = (strOf(body, 'externalId') ?? '').trim();
    // The document lists no 409 for this operation, so a second booking with the externalId is a bad value.
    if (tag && externalIdTaken(providerId, externalId)) {
      addError(errors, 'ExternalId', `Booking provider ${providerId} already has a booking with externalId '${externalId}'.`);
    }
    if (Object.keys(errors).length > 0) throw badRequest(errors);

    const now = nowIso();
    const contactBodies = Array.isArray(body.contacts) ? (body.contacts as JsonObject[]) : [];
    const booking: BookingRec = {
      id: deps.store.nextId(),
      bookingProviderId: providerId,
      source: (strOf(body, 'source') ?? '').trim(),
      createdOn: now,
      name: (strOf(body, 'name') ?? '').trim(),
      start: strOf(body, 'start') ?? now,
      status: 'New',
      externalId,
      modifiedOn: now,
      isFirstTimeClient: boolOf(body, 'isFirstTimeClient') ?? false,
      contacts: contactBodies.map((contactBody) => newContact(deps.store.nextId(), contactBody, now)),
    };
    if (body.address && typeof body.address === 'object') booking.address = toAddress(body.address as JsonObject);
    if (customerType !== undefined) booking.customerType = customerType;
    for (const key of ['campaignId', 'businessUnitId', 'jobTypeId'] as const) {
      const value = numOf(body, key);
      if (value !== undefined) booking[key] = value;
    }
    const priority = strOf(body, 'priority');
    if (priority !== undefined) booking.priority = priority as Priority;
    const sendConfirmation = boolOf(body, 'isSendConfirmationEmail');
    if (sendConfirmation !== undefined) booking.isSendConfirmationEmail = sendConfirmation;
    if (Array.isArray(body.uploadedImages)) booking.uploadedImages = (body.uploadedImages as string[]).filter((image) => typeof image === 'string');
    const summary = optText(body.summary);
    if (summary !== undefined) booking.summary = summary;
    sales().putBooking(booking);
    deps.commit();
    return json(bookingResponse(booking));
  };

  const update = (ctx: RequestContext) => {
    const providerId = ctx.path.id('booking_provider');
    const current = requireBooking(ctx.path.id('id'), providerId);
    const body = ctx.json;
    const errors: ErrorMap = {};
    // What is required when creating may not be blanked by a patch.
    for (const key of ['source', 'name', 'externalId'] as const) {
      const value = body[key];
      if (typeof value === 'string' && value.trim() === '') addError(errors, pascal(key), `The ${pascal(key)} field cannot be blank.`);
    }
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const externalId = strOf(body, 'externalId')?.trim();
    if (externalId !== undefined && externalIdTaken(providerId, externalId, current.id)) {
      throw conflict(`Booking provider ${providerId} already has a booking with externalId '${externalId}'`);
    }
    const next: BookingRec = { ...current, modifiedOn: nowIso() };
    for (const key of ['source', 'name'] as const) {
      const value = strOf(body, key);
      if (value !== undefined) next[key] = value.trim();
    }
    if (externalId !== undefined) next.externalId = externalId;
    if (body.address && typeof body.address === 'object') next.address = toAddress(body.address as JsonObject);
    const customerType = strOf(body, 'customerType');
    if (customerType !== undefined) next.customerType = customerType as CustomerType;
    const start = strOf(body, 'start');
    if (start !== undefined) next.start = start;
    if (typeof body.summary === 'string') {
      const summary = optText(body.summary);
      if (summary === undefined) delete next.summary;
      else next.summary = summary;
    }
    for (const key of ['campaignId', 'businessUnitId', 'jobTypeId'] as const) {
      const value = numOf(body, key);
      if (value !== undefined) next[key] = value;
    }
    const priority = strOf(body, 'priority');
    if (priority !== undefined) next.priority = priority as Priority;
    const isFirstTimeClient = boolOf(body, 'isFirstTimeClient');
    if (isFirstTimeClient !== undefined) next.isFirstTimeClient = isFirstTimeClient;
    if (Array.isArray(body.uploadedImages)) next.uploadedImages = [...(body.uploadedImages as string[])];
    sales().putBooking(next);
    deps.commit();
    return json(bookingResponse(next));
  };

  const hasDuplicate = (booking: BookingRec, type: ContactType, value: string, exceptId?: number): boolean =>
    booking.contacts.some((contact) => contact.id !== exceptId && contact.type === type && sameContactValue(type, contact.value, value));

  const createContact = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'));
    const body = ctx.json;
    const errors: ErrorMap = {};
    const type = enumValue(body.type, CONTACT_TYPES, 'type', errors);
    const value = (strOf(body, 'value') ?? '').trim();
    if (type !== undefined) {
      const message = contactValueError(type, value);
      if (message) addError(errors, 'Value', message);
      // The document lists no 409 here: a second contact with the same value is a bad value.
      else if (hasDuplicate(current, type, value)) addError(errors, 'Value', `The booking already has a ${type} contact with this value.`);
    }
    if (Object.keys(errors).length > 0 || type === undefined) throw badRequest(errors);
    const contact: BookingContactRec = { id: deps.store.nextId(), type, value, modifiedOn: nowIso() };
    const memo = optText(body.memo);
    if (memo !== undefined) contact.memo = memo;
    sales().putBooking({ ...current, contacts: [...current.contacts, contact] }, false);
    deps.commit();
    return json(bookingContactResponse(contact));
  };

  const updateContact = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'));
    const contact = requireContact(current, ctx.path.id('contactId'));
    const body = ctx.json;
    const type = (strOf(body, 'type') as ContactType | undefined) ?? contact.type;
    const value = strOf(body, 'value')?.trim() ?? contact.value;
    const message = contactValueError(type, value);
    if (message) throw badRequest({ Value: [message] });
    if (hasDuplicate(current, type, value, contact.id)) throw conflict(`The booking already has a ${type} contact with this value`);
    const next: BookingContactRec = { ...contact, type, value, modifiedOn: nowIso() };
    if (typeof body.memo === 'string') {
      const memo = optText(body.memo);
      if (memo === undefined) delete next.memo;
      else next.memo = memo;
    }
    const contacts = current.contacts.map((candidate) => (candidate.id === next.id ? next : candidate));
    sales().putBooking({ ...current, contacts }, false);
    deps.commit();
    // The document answers with Crm.V2.UpdateBookingContactRequest: type, value and memo.
    const out: Record<string, unknown> = { type: next.type, value: next.value };
    if (next.memo !== undefined) out.memo = next.memo;
    return json(out);
  };

  const deleteContact = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), ctx.path.id('booking_provider'));
    const contact = requireContact(current, ctx.path.id('contactId'));
    sales().putBooking({ ...current, contacts: current.contacts.filter((candidate) => candidate.id !== contact.id) }, false);
    deps.commit();
    return empty();
  };

  const dismiss = (ctx: RequestContext) => {
    const current = requireBooking(ctx.path.id('id'), providerFromText(ctx.path.text('booking_provider')));
    const body = ctx.json;
    const next: BookingRec = { ...current, status: 'Dismissed', modifiedOn: nowIso() };
    const callReasonId = numOf(body, 'callReasonId');
    if (callReasonId !== undefined) next.callReasonId = callReasonId;
    const memo = optText(body.dismissingMemo);
    if (memo !== undefined) next.dismissingMemo = memo;
    sales().putBooking(next);
    deps.commit();
    return empty();
  };

  const exportBookings = (ctx: RequestContext) => json(sales().bookingFeed().read(ctx.q.str('from'), EXPORT_PAGE_SIZE, exportBookingResponse));

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

// Customer and location notes (Crm.V2.NoteResponse): list, create (optionally copied to the
// customer's locations or the location's customer), delete.
import { notFound } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import type { NoteRec } from '../types';
import { API_USER_ID, inDateRange, noteResponse, nowIso, paginate, readDateRange, readPaging, type RouteDeps } from './common';

/** Pinned notes first, then newest first (the order ServiceTitan shows them in). */
function ordered(notes: NoteRec[]): NoteRec[] {
  return notes.map((n, i) => ({ n, i })).sort((a, b) => Number(b.n.isPinned) - Number(a.n.isPinned) || b.i - a.i).map((x) => x.n);
}

export function noteRoutes(deps: RouteDeps): OperationRoute[] {
  const st = (): RouteDeps['store'] => deps.store;
  const requireCustomer = (id: number): void => { if (!st().getCustomer(id)) throw notFound('Customer not found'); };
  const requireLocation = (id: number): number => {
    const l = st().getLocation(id);
    if (!l) throw notFound('Location not found');
    return l.customerId;
  };
  const newNote = (text: string, pinned: boolean, now: string): NoteRec => ({
    id: st().nextId(), text: text.trim(), isPinned: pinned, createdById: API_USER_ID, createdOn: now, modifiedOn: now,
  });

  const list = (notes: (id: number) => NoteRec[], require: (id: number) => unknown) => (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    require(id);
    const dates = readDateRange(ctx.q);
    return json(paginate(ordered(notes(id)), readPaging(ctx.q), noteResponse, (n) => inDateRange(dates, n.createdOn, n.modifiedOn)));
  };

  const createCustomerNote = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    requireCustomer(id);
    const b = ctx.json;
    const now = nowIso();
    const pinned = b.pinToTop === true;
    const note = newNote(b.text as string, pinned, now);
    st().setCustomerNotes(id, [...st().customerNotes(id), note]);
    if (b.addToLocations === true) {
      for (const lid of st().locationIdsOfCustomer(id)) st().setLocationNotes(lid, [...st().locationNotes(lid), newNote(b.text as string, pinned, now)]);
    }
    deps.commit();
    return json(noteResponse(note));
  };

  const createLocationNote = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const customerId = requireLocation(id);
    const b = ctx.json;
    const now = nowIso();
    const pinned = b.pinToTop === true;
    const note = newNote(b.text as string, pinned, now);
    st().setLocationNotes(id, [...st().locationNotes(id), note]);
    if (b.addToCustomer === true) st().setCustomerNotes(customerId, [...st().customerNotes(customerId), newNote(b.text as string, pinned, now)]);
    deps.commit();
    return json(noteResponse(note));
  };

  const remove = (notes: (id: number) => NoteRec[], set: (id: number, list: NoteRec[]) => void, require: (id: number) => unknown) => (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const noteId = ctx.path.id('noteId');
    require(id);
    const current = notes(id);
    if (!current.some((n) => n.id === noteId)) throw notFound('Note not found');
    set(id, current.filter((n) => n.id !== noteId));
    deps.commit();
    return empty();
  };

  const customerNotes = (id: number): NoteRec[] => st().customerNotes(id);
  const locationNotes = (id: number): NoteRec[] => st().locationNotes(id);
  return [
    { operationId: 'Customers_GetNotes', handler: list(customerNotes, requireCustomer) },
    { operationId: 'Customers_CreateNote', handler: createCustomerNote },
    { operationId: 'Customers_DeleteNote', handler: remove(customerNotes, (id, l) => st().setCustomerNotes(id, l), requireCustomer) },
    { operationId: 'Locations_GetNotes', handler: list(locationNotes, requireLocation) },
    { operationId: 'Locations_CreateNote', handler: createLocationNote },
    { operationId: 'Locations_DeleteNote', handler: remove(locationNotes, (id, l) => st().setLocationNotes(id, l), requireLocation) },
  ];
}

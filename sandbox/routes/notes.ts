// Customer and location notes (Crm.V2.NoteResponse): list, create (optionally copied to the
// customer's locations or the location's customer), delete.
import { notFound } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import { inDateRange } from '../query/dateRange';
import { paginate } from '../query/paging';
import type { NoteRec } from '../types';
import { readDateRange, readPaging } from './shared/listQuery';
import { noteResponse } from './shared/noteResponse';
import { API_USER_ID, nowIso, type RouteDeps } from './shared/routeDeps';

/** Pinned notes first, then newest first (the order ServiceTitan shows them in). */
function ordered(notes: NoteRec[]): NoteRec[] {
  return notes
    .map((note, position) => ({ note, position }))
    .sort((a, b) => Number(b.note.isPinned) - Number(a.note.isPinned) || b.position - a.position)
    .map((entry) => entry.note);
}

export function noteRoutes(deps: RouteDeps): OperationRoute[] {
  const store = (): RouteDeps['store'] => deps.store;
  const requireCustomer = (id: number): void => {
    if (!store().getCustomer(id)) throw notFound('Customer not found');
  };
  /** Throws 404 for an unknown location; returns its customer's id. */
  const requireLocation = (id: number): number => {
    const location = store().getLocation(id);
    if (!location) throw notFound('Location not found');
    return location.customerId;
  };
  const newNote = (text: string, pinned: boolean, now: string): NoteRec => ({
    id: store().nextId(),
    text: text.trim(),
    isPinned: pinned,
    createdById: API_USER_ID,
    createdOn: now,
    modifiedOn: now,
  });

  const list = (notes: (id: number) => NoteRec[], require: (id: number) => unknown) => (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    require(id);
    const dates = readDateRange(ctx.q);
    return json(paginate(ordered(notes(id)), readPaging(ctx.q), noteResponse, (note) => inDateRange(dates, note.createdOn, note.modifiedOn)));
  };

  const createCustomerNote = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    requireCustomer(id);
    const body = ctx.json;
    const now = nowIso();
    const pinned = body.pinToTop === true;
    const note = newNote(body.text as string, pinned, now);
    store().setCustomerNotes(id, [...store().customerNotes(id), note]);
    if (body.addToLocations === true) {
      for (const locationId of store().locationIdsOfCustomer(id)) {
        store().setLocationNotes(locationId, [...store().locationNotes(locationId), newNote(body.text as string, pinned, now)]);
      }
    }
    deps.commit();
    return json(noteResponse(note));
  };

  const createLocationNote = (ctx: RequestContext) => {
    const id = ctx.path.id('id');
    const customerId = requireLocation(id);
    const body = ctx.json;
    const now = nowIso();
    const pinned = body.pinToTop === true;
    const note = newNote(body.text as string, pinned, now);
    store().setLocationNotes(id, [...store().locationNotes(id), note]);
    if (body.addToCustomer === true) {
      store().setCustomerNotes(customerId, [...store().customerNotes(customerId), newNote(body.text as string, pinned, now)]);
    }
    deps.commit();
    return json(noteResponse(note));
  };

  const remove =
    (notes: (id: number) => NoteRec[], setNotes: (id: number, list: NoteRec[]) => void, require: (id: number) => unknown) => (ctx: RequestContext) => {
      const id = ctx.path.id('id');
      const noteId = ctx.path.id('noteId');
      require(id);
      const current = notes(id);
      if (!current.some((note) => note.id === noteId)) throw notFound('Note not found');
      setNotes(
        id,
        current.filter((note) => note.id !== noteId),
      );
      deps.commit();
      return empty();
    };

  const customerNotes = (id: number): NoteRec[] => store().customerNotes(id);
  const locationNotes = (id: number): NoteRec[] => store().locationNotes(id);
  const setCustomerNotes = (id: number, list: NoteRec[]): void => store().setCustomerNotes(id, list);
  const setLocationNotes = (id: number, list: NoteRec[]): void => store().setLocationNotes(id, list);
  return [
    { operationId: 'Customers_GetNotes', handler: list(customerNotes, requireCustomer) },
    { operationId: 'Customers_CreateNote', handler: createCustomerNote },
    { operationId: 'Customers_DeleteNote', handler: remove(customerNotes, setCustomerNotes, requireCustomer) },
    { operationId: 'Locations_GetNotes', handler: list(locationNotes, requireLocation) },
    { operationId: 'Locations_CreateNote', handler: createLocationNote },
    { operationId: 'Locations_DeleteNote', handler: remove(locationNotes, setLocationNotes, requireLocation) },
  ];
}

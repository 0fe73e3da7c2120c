// People contacts (Crm.V2.Contact*) and their relationships to customers/locations/bookings.
import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../errors';
import { empty, json, type RequestContext, type Route } from '../http';
import * as S from '../schemas';
import { RELATIONSHIP_TYPES, type PersonRec, type RelationshipRec } from '../types';
import { parseBody, QueryReader, type JsonObject } from '../validation';
import {
  API_USER_ID, PathParams, contains, inDateRange, nowIso, optString, paginate, personResponse, readDateRange, readPaging,
  readSort, relationshipResponse, relationshipTypeName, type DateRange, type Paging, type RouteDeps, type Sort,
} from './common';

interface PersonFilter { name?: string; title?: string; referenceId?: string; isArchived?: boolean; dates: DateRange }

function readPersonQuery(q: QueryReader): { paging: Paging; sort: Sort | undefined; filter: PersonFilter } {
  const paging = readPaging(q);
  const sort = readSort(q, ['Id']);
  const filter: PersonFilter = { dates: readDateRange(q) };
  const name = q.string('name'); if (name !== undefined) filter.name = name;
  const title = q.string('title'); if (title !== undefined) filter.title = title;
  const ref = q.string('referenceId'); if (ref !== undefined) filter.referenceId = ref;
  const arch = q.bool('isArchived'); if (arch !== undefined) filter.isArchived = arch;
  return { paging, sort, filter };
}

function matchPerson(f: PersonFilter): (p: PersonRec) => boolean {
  return (p) => {
    if (f.name !== undefined && !contains(p.name, f.name)) return false;
    if (f.title !== undefined && !contains(p.title, f.title)) return false;
    if (f.referenceId !== undefined && p.referenceId !== f.referenceId) return false;
    if (f.isArchived !== undefined && p.isArchived !== f.isArchived) return false;
    return inDateRange(f.dates, p.createdOn, p.modifiedOn);
  };
}

/** GUID order for "sort=Id" (materialises the filtered rows). */
function sortedById(rows: Iterable<PersonRec>, filter: (p: PersonRec) => boolean, sort: Sort | undefined): Iterable<PersonRec> {
  if (!sort) return rows;
  const out = [...rows].filter(filter);
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * (sort.descending ? -1 : 1));
  return out;
}

function applyPerson(base: PersonRec, body: JsonObject, replace: boolean): PersonRec {
  const next: PersonRec = { ...base, isArchived: body.isArchived as boolean, modifiedOn: nowIso(), modifiedBy: API_USER_ID };
  for (const key of ['name', 'title', 'referenceId'] as const) {
    if (!replace && body[key] === undefined) continue;
    const v = optString(body[key]);
    if (v === undefined) delete next[key]; else next[key] = key === 'name' ? v.trim() : v;
  }
  return next;
}

export function contactRoutes(deps: RouteDeps): Route[] {
  const R = 'tn.crm.contacts:r', W = 'tn.crm.contacts:w';

  const list = (ctx: RequestContext) => {
    const q = new QueryReader(ctx.query);
    const { paging, sort, filter } = readPersonQuery(q);
    q.throwIfInvalid();
    const f = matchPerson(filter);
    return json(paginate(sortedById(deps.store.allPeople(), f, sort), paging, personResponse, f));
  };

  const requirePerson = (id: string): PersonRec => {
    const p = deps.store.getPerson(id);
    if (!p) throw notFound('Contact not found');
    return p;
  };

  const get = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.guid('id');
    p.throwIfInvalid();
    return json(personResponse(requirePerson(id)));
  };

  const create = (ctx: RequestContext) => {
    const body = parseBody(ctx, S.CreateContactRequest);
    const now = nowIso();
    const rec: PersonRec = { id: randomUUID(), isArchived: false, createdOn: now, createdBy: API_USER_ID, modifiedOn: now, modifiedBy: API_USER_ID };
    const name = optString(body.name); if (name !== undefined) rec.name = name.trim();
    const title = optString(body.title); if (title !== undefined) rec.title = title;
    const ref = optString(body.referenceId); if (ref !== undefined) rec.referenceId = ref;
    deps.store.putPerson(rec, true);
    deps.commit();
    return json(personResponse(rec));
  };

  const update = (replace: boolean) => (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.guid('id');
    const body = parseBody(ctx, replace ? S.ReplaceContactRequest : S.UpdateContactRequest, p.errors);
    const next = applyPerson(requirePerson(id), body, replace);
    deps.store.putPerson(next, false);
    deps.commit();
    return json(personResponse(next));
  };

  const remove = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const id = p.guid('id');
    p.throwIfInvalid();
    requirePerson(id);
    const rels = deps.store.relationships(id);
    if (rels.length > 0) {
      throw conflict('Contact still has relationships; remove them before deleting the contact', {
        relationships: rels.map((r) => `${r.typeSlug}:${r.relatedEntityId}`),
      });
    }
    deps.store.deletePerson(id);
    deps.commit();
    return empty();
  };

  // ---- relationships -------------------------------------------------------------------------
  /** Relationship operations report an unknown contact as 409 "Contact not found" (per the spec). */
  const requirePersonForRelationship = (id: string): void => {
    if (!deps.store.getPerson(id)) throw conflict('Contact not found');
  };

  const listRelationships = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const q = new QueryReader(ctx.query);
    const paging = readPaging(q);
    const sort = readSort(q, ['Id']);
    const relatedEntityId = q.int64('relatedEntityId');
    const typeSlug = q.string('typeSlug')?.toLowerCase();
    const typeName = q.string('typeName')?.toLowerCase();
    q.throwIfInvalid(p.errors);
    requirePersonForRelationship(contactId);
    let rows = deps.store.relationships(contactId).filter((r) =>
      (relatedEntityId === undefined || r.relatedEntityId === relatedEntityId)
      && (typeSlug === undefined || r.typeSlug === typeSlug)
      && (typeName === undefined || relationshipTypeName(r.typeSlug).toLowerCase() === typeName));
    if (sort) rows = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * (sort.descending ? -1 : 1));
    return json(paginate(rows, paging, relationshipResponse));
  };

  const relationshipTarget = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const contactId = p.guid('contactId');
    const relatedEntityId = p.int64('relatedEntityId');
    const slug = p.string('typeSlug').toLowerCase();
    p.throwIfInvalid();
    if (!(RELATIONSHIP_TYPES as readonly string[]).includes(slug)) throw notFound('Contact Relationship Type not found');
    requirePersonForRelationship(contactId);
    return { contactId, relatedEntityId, slug: slug as RelationshipRec['typeSlug'] };
  };

  const createRelationship = (ctx: RequestContext) => {
    const { contactId, relatedEntityId, slug } = relationshipTarget(ctx);
    const st = deps.store;
    if (!st.entityExists(slug, relatedEntityId)) throw notFound(`External entity not found: ${relationshipTypeName(slug)} ${relatedEntityId}`);
    const rels = st.relationships(contactId);
    if (rels.some((r) => r.relatedEntityId === relatedEntityId && r.typeSlug === slug)) throw conflict('Contact relationship already exists');
    st.setRelationships(contactId, [...rels, { id: randomUUID(), relatedEntityId, typeSlug: slug, createdOn: nowIso(), createdBy: API_USER_ID }]);
    deps.commit();
    return empty();
  };

  const deleteRelationship = (ctx: RequestContext) => {
    const { contactId, relatedEntityId, slug } = relationshipTarget(ctx);
    const st = deps.store;
    const rels = st.relationships(contactId);
    if (!rels.some((r) => r.relatedEntityId === relatedEntityId && r.typeSlug === slug)) throw conflict('Contact Relationship not found');
    st.setRelationships(contactId, rels.filter((r) => !(r.relatedEntityId === relatedEntityId && r.typeSlug === slug)));
    deps.commit();
    return empty();
  };

  /** Contacts related to an entity id (customer or location). */
  const byRelationship = (ctx: RequestContext) => {
    const p = new PathParams(ctx.params);
    const entityId = p.int64('relationshipId');
    const q = new QueryReader(ctx.query);
    const { paging, sort, filter } = readPersonQuery(q);
    q.throwIfInvalid(p.errors);
    const st = deps.store;
    if (!st.entityExists('customer', entityId) && !st.entityExists('location', entityId)) throw notFound('Related entity not found');
    const f = matchPerson(filter);
    return json(paginate(sortedById(st.peopleRelatedTo(entityId), f, sort), paging, personResponse, f));
  };

  return [
    { method: 'GET', pattern: '/contacts', scope: R, handler: list },
    { method: 'POST', pattern: '/contacts', scope: W, handler: create },
    { method: 'GET', pattern: '/contacts/{id}', scope: R, handler: get },
    { method: 'PATCH', pattern: '/contacts/{id}', scope: W, handler: update(false) },
    { method: 'PUT', pattern: '/contacts/{id}', scope: W, handler: update(true) },
    { method: 'DELETE', pattern: '/contacts/{id}', scope: W, handler: remove },
    { method: 'GET', pattern: '/contacts/relationships/{relationshipId}', scope: R, handler: byRelationship },
    { method: 'GET', pattern: '/contacts/{contactId}/relationships', scope: R, handler: listRelationships },
    { method: 'POST', pattern: '/contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}', scope: W, handler: createRelationship },
    { method: 'DELETE', pattern: '/contacts/{contactId}/relationships/{relatedEntityId}/{typeSlug}', scope: W, handler: deleteRelationship },
  ];
}

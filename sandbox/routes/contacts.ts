// People contacts (Crm.V2.Contact*) and their relationships to customers/locations/bookings.
import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../errors';
import type { Bound } from '../binding';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import { RELATIONSHIP_TYPES, type PersonRec, type RelationshipRec } from '../types';
import type { JsonObject } from '../validation';
import { personMatch, type PersonQuery } from '../lists/peopleList';
import {
  API_USER_ID, inDateRange, nowIso, optString, paginate, personResponse, readDateRange, readPaging,
  relationshipResponse, relationshipTypeName, sortRows, type Paging, type RouteDeps, type Sort,
} from './common';

function readPersonQuery(q: Bound): { paging: Paging; sort: Sort | undefined; filter: PersonQuery } {
  const paging = readPaging(q);
  const sort = q.sort();
  const filter: PersonQuery = { dates: readDateRange(q) };
  const name = q.str('name'); if (name !== undefined) filter.name = name;
  const title = q.str('title'); if (title !== undefined) filter.title = title;
  const ref = q.str('referenceId'); if (ref !== undefined) filter.referenceId = ref;
  const arch = q.bool('isArchived'); if (arch !== undefined) filter.isArchived = arch;
  return { paging, sort, filter };
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

export function contactRoutes(deps: RouteDeps): OperationRoute[] {
  const list = (ctx: RequestContext) => {
    const { paging, sort, filter } = readPersonQuery(ctx.q);
    return json(deps.store.lists.people.page(filter, sort, paging, personResponse));
  };

  const requirePerson = (id: string): PersonRec => {
    const p = deps.store.getPerson(id);
    if (!p) throw notFound('Contact not found');
    return p;
  };

  const get = (ctx: RequestContext) => json(personResponse(requirePerson(ctx.path.text('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
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
    const next = applyPerson(requirePerson(ctx.path.text('id')), ctx.json, replace);
    deps.store.putPerson(next, false);
    deps.commit();
    return json(personResponse(next));
  };

  const remove = (ctx: RequestContext) => {
    const id = ctx.path.text('id');
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
    const contactId = ctx.path.text('contactId');
    const q = ctx.q;
    const paging = readPaging(q);
    const sort = q.sort();
    const relatedEntityId = q.num('relatedEntityId');
    const typeSlug = q.str('typeSlug')?.toLowerCase();
    const typeName = q.str('typeName')?.toLowerCase();
    const dates = readDateRange(q);
    requirePersonForRelationship(contactId);
    const rows = deps.store.relationships(contactId).filter((r) =>
      (relatedEntityId === undefined || r.relatedEntityId === relatedEntityId)
      && (typeSlug === undefined || r.typeSlug === typeSlug)
      && (typeName === undefined || relationshipTypeName(r.typeSlug).toLowerCase() === typeName)
      && inDateRange(dates, r.createdOn, r.createdOn));
    return json(paginate(sortRows(rows, sort), paging, relationshipResponse));
  };

  const relationshipTarget = (ctx: RequestContext) => {
    const contactId = ctx.path.text('contactId');
    const relatedEntityId = ctx.path.id('relatedEntityId');
    const slug = ctx.path.text('typeSlug').toLowerCase();
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
    const entityId = ctx.path.id('relationshipId');
    const { paging, sort, filter } = readPersonQuery(ctx.q);
    const st = deps.store;
    if (!st.entityExists('customer', entityId) && !st.entityExists('location', entityId)) throw notFound('Related entity not found');
    // An entity has few people: filter and sort their records.
    const rows = st.peopleRelatedTo(entityId).filter(personMatch(filter));
    return json(paginate(sortRows(rows, sort), paging, personResponse));
  };

  return [
    { operationId: 'Contacts_GetList', handler: list },
    { operationId: 'Contacts_Create', handler: create },
    { operationId: 'Contacts_Get', handler: get },
    { operationId: 'Contacts_Update', handler: update(false) },
    { operationId: 'Contacts_Replace', handler: update(true) },
    { operationId: 'Contacts_DeleteContact', handler: remove },
    { operationId: 'Contacts_GetByRelationshipId', handler: byRelationship },
    { operationId: 'Contacts_GetContactRelationshipList', handler: listRelationships },
    { operationId: 'Contacts_CreateContactRelationship', handler: createRelationship },
    { operationId: 'Contacts_DeleteContactRelationship', handler: deleteRelationship },
  ];
}

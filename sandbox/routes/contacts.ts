// People contacts (Crm.V2.Contact*) and their relationships to customers/locations/bookings.
import { randomUUID } from 'node:crypto';
import type { Bound } from '../binding';
import { conflict, notFound } from '../errors';
import { empty, json, type OperationRoute, type RequestContext } from '../http';
import { personMatch, type PersonQuery } from '../lists/peopleList';
import { inDateRange } from '../query/dateRange';
import { paginate, type Paging } from '../query/paging';
import { sortRows, type Sort } from '../query/sorting';
import { RELATIONSHIP_TYPES, type PersonRec, type RelationshipRec } from '../types';
import type { JsonObject } from '../validation';
import { optString } from './shared/bodyFields';
import { readDateRange, readPaging } from './shared/listQuery';
import { API_USER_ID, nowIso, type RouteDeps } from './shared/routeDeps';

/** Crm.V2.ContactResponse */
function personResponse(person: PersonRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: person.id };
  if (person.referenceId !== undefined) out.referenceId = person.referenceId;
  if (person.name !== undefined) out.name = person.name;
  if (person.title !== undefined) out.title = person.title;
  out.isArchived = person.isArchived;
  out.createdOn = person.createdOn;
  out.createdBy = person.createdBy;
  out.modifiedOn = person.modifiedOn;
  out.modifiedBy = person.modifiedBy;
  return out;
}

const TYPE_NAMES: Record<string, string> = { customer: 'Customer', location: 'Location', booking: 'Booking' };

function relationshipTypeName(slug: string): string {
  return TYPE_NAMES[slug] ?? slug;
}

/** Crm.V2.ContactRelationshipResponse */
function relationshipResponse(relationship: RelationshipRec): Record<string, unknown> {
  return {
    id: relationship.id,
    relatedEntityId: relationship.relatedEntityId,
    typeName: relationshipTypeName(relationship.typeSlug),
    typeSlug: relationship.typeSlug,
    createdOn: relationship.createdOn,
    createdBy: relationship.createdBy,
  };
}

/** The query of GET /contacts and GET /contacts/relationships/{id}. */
function readPersonQuery(query: Bound): { paging: Paging; sort: Sort | undefined; filter: PersonQuery } {
  const paging = readPaging(query);
  const sort = query.sort();
  const filter: PersonQuery = { dates: readDateRange(query) };
  const name = query.str('name');
  if (name !== undefined) filter.name = name;
  const title = query.str('title');
  if (title !== undefined) filter.title = title;
  const referenceId = query.str('referenceId');
  if (referenceId !== undefined) filter.referenceId = referenceId;
  const isArchived = query.bool('isArchived');
  if (isArchived !== undefined) filter.isArchived = isArchived;
  return { paging, sort, filter };
}

/** An update (absent fields kept) or a replace (absent fields cleared) of a person. */
function applyPerson(base: PersonRec, body: JsonObject, replace: boolean): PersonRec {
  const next: PersonRec = { ...base, isArchived: body.isArchived as boolean, modifiedOn: nowIso(), modifiedBy: API_USER_ID };
  for (const key of ['name', 'title', 'referenceId'] as const) {
    if (!replace && body[key] === undefined) continue;
    const value = optString(body[key]);
    if (value === undefined) delete next[key];
    else next[key] = key === 'name' ? value.trim() : value;
  }
  return next;
}

export function contactRoutes(deps: RouteDeps): OperationRoute[] {
  const list = (ctx: RequestContext) => {
    const { paging, sort, filter } = readPersonQuery(ctx.q);
    return json(deps.store.lists.people.page(filter, sort, paging, personResponse));
  };

  const requirePerson = (id: string): PersonRec => {
    const person = deps.store.getPerson(id);
    if (!person) throw notFound('Contact not found');
    return person;
  };

  const get = (ctx: RequestContext) => json(personResponse(requirePerson(ctx.path.text('id'))));

  const create = (ctx: RequestContext) => {
    const body = ctx.json;
    const now = nowIso();
    const person: PersonRec = { id: randomUUID(), isArchived: false, createdOn: now, createdBy: API_USER_ID, modifiedOn: now, modifiedBy: API_USER_ID };
    const name = optString(body.name);
    if (name !== undefined) person.name = name.trim();
    const title = optString(body.title);
    if (title !== undefined) person.title = title;
    const referenceId = optString(body.referenceId);
    if (referenceId !== undefined) person.referenceId = referenceId;
    deps.store.putPerson(person, true);
    deps.commit();
    return json(personResponse(person));
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
    const relationships = deps.store.relationships(id);
    if (relationships.length > 0) {
      throw conflict('Contact still has relationships; remove them before deleting the contact', {
        relationships: relationships.map((relationship) => `${relationship.typeSlug}:${relationship.relatedEntityId}`),
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
    const query = ctx.q;
    const paging = readPaging(query);
    const sort = query.sort();
    const relatedEntityId = query.num('relatedEntityId');
    const typeSlug = query.str('typeSlug')?.toLowerCase();
    const typeName = query.str('typeName')?.toLowerCase();
    const dates = readDateRange(query);
    requirePersonForRelationship(contactId);
    const rows = deps.store
      .relationships(contactId)
      .filter(
        (relationship) =>
          (relatedEntityId === undefined || relationship.relatedEntityId === relatedEntityId) &&
          (typeSlug === undefined || relationship.typeSlug === typeSlug) &&
          (typeName === undefined || relationshipTypeName(relationship.typeSlug).toLowerCase() === typeName) &&
          inDateRange(dates, relationship.createdOn, relationship.createdOn),
      );
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
    const store = deps.store;
    if (!store.entityExists(slug, relatedEntityId)) throw notFound(`External entity not found: ${relationshipTypeName(slug)} ${relatedEntityId}`);
    const relationships = store.relationships(contactId);
    if (relationships.some((relationship) => relationship.relatedEntityId === relatedEntityId && relationship.typeSlug === slug)) {
      throw conflict('Contact relationship already exists');
    }
    const created: RelationshipRec = { id: randomUUID(), relatedEntityId, typeSlug: slug, createdOn: nowIso(), createdBy: API_USER_ID };
    store.setRelationships(contactId, [...relationships, created]);
    deps.commit();
    return empty();
  };

  const deleteRelationship = (ctx: RequestContext) => {
    const { contactId, relatedEntityId, slug } = relationshipTarget(ctx);
    const store = deps.store;
    const relationships = store.relationships(contactId);
    const isTarget = (relationship: RelationshipRec): boolean => relationship.relatedEntityId === relatedEntityId && relationship.typeSlug === slug;
    if (!relationships.some(isTarget)) throw conflict('Contact Relationship not found');
    store.setRelationships(
      contactId,
      relationships.filter((relationship) => !isTarget(relationship)),
    );
    deps.commit();
    return empty();
  };

  /** Contacts related to an entity id (customer or location). */
  const byRelationship = (ctx: RequestContext) => {
    const entityId = ctx.path.id('relationshipId');
    const { paging, sort, filter } = readPersonQuery(ctx.q);
    const store = deps.store;
    if (!store.entityExists('customer', entityId) && !store.entityExists('location', entityId)) throw notFound('Related entity not found');
    // An entity has few people: filter and sort their records.
    const rows = store.peopleRelatedTo(entityId).filter(personMatch(filter));
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

/**
 * The operations a record of the tree can be the subject of, with its ids filled in: a
 * customer's update, notes and tags, a person's contact methods, a method's preferences, … Pure.
 */
import { CRM_OPERATION_LIST, type CrmOperationId } from '../api/schemas/operations';
import type { Entity } from '../model/entities';

interface Binding {
  /** A path prefix (`/customers/{id}`); an operation matches when its path starts with it. */
  prefix: string;
  values: Record<string, number | string>;
}

/** Query or body fields that name the record (`customerId` of `GET /locations`, `POST /leads`). */
interface Reference {
  field: string;
  value: number;
}

function bindingsOf(entity: Entity): { bindings: Binding[]; reference?: Reference } {
  switch (entity.kind) {
    case 'customer': {
      const id = entity.customer.id;
      return {
        bindings: [
          { prefix: '/customers/{id}', values: { id } },
          { prefix: '/contacts/relationships/{relationshipId}', values: { relationshipId: id } },
        ],
        reference: { field: 'customerId', value: id },
      };
    }
    case 'location': {
      const id = entity.location.id;
      return {
        bindings: [
          { prefix: '/locations/{id}', values: { id } },
          { prefix: '/contacts/relationships/{relationshipId}', values: { relationshipId: id } },
        ],
        reference: { field: 'locationId', value: id },
      };
    }
    case 'person':
      return {
        bindings: [
          { prefix: '/contacts/{id}', values: { id: entity.contact.id } },
          { prefix: '/contacts/{contactId}', values: { contactId: entity.contact.id } },
        ],
      };
    case 'contactMethod':
      return {
        bindings: [
          {
            prefix: '/contacts/{contactId}/contact-methods/{contactMethodId}',
            values: { contactId: entity.method.contactId, contactMethodId: entity.method.id },
          },
        ],
      };
    case 'customerContact':
      return { bindings: [{ prefix: '/customers/{id}/contacts/{contactId}', values: { id: entity.customerId, contactId: entity.contact.id } }] };
    case 'locationContact':
      return { bindings: [{ prefix: '/locations/{id}/contacts/{contactId}', values: { id: entity.locationId, contactId: entity.contact.id } }] };
  }
}

function startsWith(path: string, prefix: string): boolean {
  const a = path.split('/');
  const b = prefix.split('/');
  return b.length <= a.length && b.every((segment, i) => segment === a[i]);
}

export interface RecordRequest {
  operationId: CrmOperationId;
  /** Path values taken from the record (other placeholders keep the template's). */
  path: Record<string, number | string>;
  /** Query or body fields to set to the record's id. */
  query?: Record<string, number>;
  body?: Record<string, number>;
}

/** Every operation about `entity`, most specific first (those that take all of its ids). */
export function recordRequests(entity: Entity): RecordRequest[] {
  const { bindings, reference } = bindingsOf(entity);
  const out: RecordRequest[] = [];
  for (const op of CRM_OPERATION_LIST) {
    const id = op.operationId as CrmOperationId;
    const binding = bindings.find((b) => startsWith(op.path, b.prefix));
    if (binding) {
      const path = Object.fromEntries(
        Object.keys(op.pathParams)
          .filter((name) => name in binding.values)
          .map((name) => [name, binding.values[name] as number | string]),
      );
      out.push({ operationId: id, path });
      continue;
    }
    if (!reference) continue;
    // Lists filtered by the record (`GET /locations?customerId=`) and creates that name it (`POST /leads`).
    if (Object.keys(op.pathParams).length === 0 && reference.field in op.query.shape)
      out.push({ operationId: id, path: {}, query: { [reference.field]: reference.value } });
    else if (Object.keys(op.pathParams).length === 0 && op.method === 'POST' && bodyHas(op.body?.schema, reference.field))
      out.push({ operationId: id, path: {}, body: { [reference.field]: reference.value } });
  }
  return out;
}

function bodyHas(schema: unknown, field: string): boolean {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape !== undefined && field in shape;
}

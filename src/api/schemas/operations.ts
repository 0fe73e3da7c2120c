/**
 * The CRM v2 operations, keyed by the document's operationId: all 86 of them, generated from the
 * 2026 OpenAPI document (src/api/generated/operations.gen.ts). This module gives the table its
 * types; the client sends from it and the conformance test compares it with the document.
 */
import type * as z from 'zod';
import { CRM_OPERATIONS as GENERATED } from '../generated/operations.gen';
import type { HttpMethod } from '../request';

export const CUSTOMERS_READ = 'tn.crm.customers:r';
export const CUSTOMERS_WRITE = 'tn.crm.customers:w';
export const CONTACTS_READ = 'tn.crm.contacts:r';
export const CONTACTS_WRITE = 'tn.crm.contacts:w';
export const LOCATIONS_READ = 'tn.crm.locations:r';
export const LOCATIONS_WRITE = 'tn.crm.locations:w';

/** A schema paired with the name of the document's component it was generated from. */
export interface DefinedSchema<S extends z.ZodType = z.ZodType> {
  schema: S;
  definition: string;
}

export interface CrmOperation {
  operationId: string;
  /** The document's tag: `Customers`, `Bookings`, … */
  tag: string;
  method: HttpMethod;
  /** Below the tenant root, with `{name}` placeholders: `/customers/{id}/contacts`. */
  path: string;
  /** The OAuth scope the document's `security` names. */
  scope: string;
  summary: string;
  /** One schema per `{name}` in `path`. */
  pathParams: Readonly<Record<string, z.ZodType>>;
  /** Strict: a query key the operation does not take is an error. */
  query: z.ZodObject;
  /** The request body: the document's component plus the overlay's value checks. */
  body?: DefinedSchema & { required: boolean };
  /** `definition` is null where the document gives 200 no schema, or an inline one. */
  response: { schema: z.ZodType; definition: string | null };
  /** For lists: the page item and its component (the response is its `PaginatedResponse_Of_…`). */
  item?: DefinedSchema;
  /** The error statuses the document lists besides 200. */
  errorStatuses: readonly number[];
}

export const CRM_OPERATIONS = GENERATED;
// The generated table must fit the interface the client and tests rely on.
const _typed: Readonly<Record<string, CrmOperation>> = CRM_OPERATIONS;
void _typed;

export type CrmOperationId = keyof typeof CRM_OPERATIONS;

/** The table as a plain list, for tests and tooling. */
export const CRM_OPERATION_LIST: readonly CrmOperation[] = Object.values(CRM_OPERATIONS);

export function isCrmOperationId(id: string): id is CrmOperationId {
  return Object.prototype.hasOwnProperty.call(CRM_OPERATIONS, id);
}

import type * as z from 'zod';
import type { OperationParams } from './fieldPath';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

/** One CRM v2 call, described independently of how it is sent. */
export interface CrmRequest<T> {
  /** The spec's operationId (`Contacts_Create`), used in logs, events and error messages. */
  operationId: string;
  method: HttpMethod;
  /** Path below the tenant root, starting with '/', path parameters already encoded: '/customers/12'. */
  path: string;
  /** Undefined/null values are dropped; arrays are sent comma-separated (as `ids=1,2,3`). */
  query?: Record<string, QueryValue>;
  /** JSON body, already validated by the caller's strict request schema. */
  body?: unknown;
  /** Schema for the 2xx body; an empty body is parsed as `undefined`. */
  response: z.ZodType<T>;
  /** OAuth scope the operation needs (`tn.crm.contacts:w`), named in 403 messages. */
  scope?: string;
  /** Names of the operation's path and query parameters, to tell them from body fields in server errors. */
  params?: OperationParams;
  signal?: AbortSignal;
  /** Overrides the transport's default timeout for this call. */
  timeoutMs?: number;
}

/** Anything that can send a CrmRequest: the real transport, or a recorder in the workbench. */
export interface CrmRequester {
  send<T>(request: CrmRequest<T>): Promise<T>;
}

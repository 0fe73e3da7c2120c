import type * as z from 'zod';
import type { FieldError, ProblemDetails } from './errors';
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
  /** Sends and returns whatever came back, any status, without throwing for it (see RawExchange). */
  sendRaw?<T>(request: CrmRequest<T>): Promise<RawExchange<T>>;
}

/** A 2xx body checked against the operation's response schema. */
export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; issues: FieldError[] };

/**
 * One call as it happened, for tools that must show a wrong answer rather than throw: request
 * files, the payload workbench. Secrets are redacted from the URL, headers and body text.
 * Only failures without an answer (network, timeout, cancel) still throw.
 */
export interface RawExchange<T> {
  operationId: string;
  method: HttpMethod;
  url: string;
  status: number;
  headers: Record<string, string>;
  /** The body as received (redacted). */
  text: string;
  /** The body parsed as JSON; undefined when empty or not JSON (then `jsonError` says why). */
  json: unknown;
  jsonError?: string;
  /** For 2xx answers: the body checked against the operation's response schema. */
  check?: SchemaCheck<T>;
  /** For error answers in the ServiceTitan/RFC 9457 shape. */
  problem?: ProblemDetails;
  timings: {
    /** From the first attempt to the last byte, waits and retries included. */
    totalMs: number;
    /** Of the final attempt. */
    responseMs: number;
    attempts: number;
    /** Spent waiting for the rate limiter. */
    throttledMs: number;
  };
}

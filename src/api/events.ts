import type { CrmErrorKind } from './errors';
import { redactDeep } from './redact';

/**
 * What the transport reports while it works, for the request log and tests. No event ever
 * carries a token, client secret or app key: URLs and messages pass through `redact` first,
 * and headers and bodies are never part of an event.
 */
export type CrmEvent = RequestEvent | ResponseEvent | RetryEvent | ThrottleEvent | TokenEvent | ErrorEvent;

interface CallInfo {
  /** Identifies one `send` across its attempts (`r1`, `r2` …). */
  requestId: string;
  operationId: string;
  method: string;
  /** Full URL including the query string. */
  url: string;
  /** 1 for the first try, 2 for the first retry … */
  attempt: number;
}

export interface RequestEvent extends CallInfo {
  type: 'request';
  /** The send time the rate limiter counts it at (epoch ms). */
  sentAt: number;
}

export interface ResponseEvent extends CallInfo {
  type: 'response';
  status: number;
  durationMs: number;
  traceId?: string;
}

export interface RetryEvent extends CallInfo {
  type: 'retry';
  /** Why: `HTTP 429`, `HTTP 503`, `ECONNRESET` … */
  reason: string;
  status?: number;
  delayMs: number;
}

/** The local rate limiter made a call wait for a free slot. */
export interface ThrottleEvent {
  type: 'throttle';
  requestId: string;
  operationId: string;
  waitMs: number;
}

export interface TokenEvent {
  type: 'token';
  phase: 'request' | 'response' | 'error';
  /** The token endpoint URL. */
  url: string;
  status?: number;
  durationMs?: number;
  /** Lifetime of the new token (never the token). */
  expiresInSeconds?: number;
  message?: string;
}

export interface ErrorEvent {
  type: 'error';
  requestId: string;
  operationId: string;
  method: string;
  url: string;
  attempt: number;
  kind: CrmErrorKind;
  message: string;
  status?: number;
  traceId?: string;
  durationMs: number;
}

export type CrmEventListener = (event: CrmEvent) => void;

/** Wraps a listener so it only ever sees redacted events and can never break a request by throwing. */
export function safeEmitter(listener: CrmEventListener | undefined, secrets: () => readonly string[]): (event: CrmEvent) => void {
  if (!listener) return () => undefined;
  return (event) => {
    try {
      listener(redactDeep(event, secrets()));
    } catch {
      // A faulty log sink must not turn a successful call into a failure.
    }
  };
}

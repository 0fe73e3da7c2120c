// ApiErrorResponse (RFC 7807 problem details) exactly as the CRM v2 spec defines it, with the
// type URIs and media type ASP.NET Core uses for its default client error mapping.
import { randomBytes } from 'node:crypto';

export type ErrorMap = Record<string, string[]>;

export interface ApiErrorResponse {
  type: string;
  title: string;
  status: number;
  traceId: string;
  errors: ErrorMap;
  data: Record<string, unknown>;
}

const TYPE_URIS: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
  401: 'https://tools.ietf.org/html/rfc7235#section-3.1',
  403: 'https://tools.ietf.org/html/rfc7231#section-6.5.3',
  404: 'https://tools.ietf.org/html/rfc7231#section-6.5.4',
  405: 'https://tools.ietf.org/html/rfc7231#section-6.5.5',
  409: 'https://tools.ietf.org/html/rfc7231#section-6.5.8',
  413: 'https://tools.ietf.org/html/rfc7231#section-6.5.11',
  415: 'https://tools.ietf.org/html/rfc7231#section-6.5.13',
  429: 'https://tools.ietf.org/html/rfc6585#section-4',
  431: 'https://tools.ietf.org/html/rfc6585#section-5',
  500: 'https://tools.ietf.org/html/rfc7231#section-6.6.1',
  502: 'https://tools.ietf.org/html/rfc7231#section-6.6.3',
  503: 'https://tools.ietf.org/html/rfc7231#section-6.6.4',
  504: 'https://tools.ietf.org/html/rfc7231#section-6.6.5',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const VALIDATION_TITLE = 'One or more validation errors occurred.';

/** W3C trace-context id, the format ASP.NET Core puts in `traceId`. */
export function newTraceId(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
}

export function problem(status: number, title: string, errors: ErrorMap = {}): ApiErrorResponse {
  return {
    type: TYPE_URIS[status] ?? (status >= 500 ? (TYPE_URIS[500] as string) : (TYPE_URIS[400] as string)),
    title,
    status,
    traceId: newTraceId(),
    errors,
    data: {},
  };
}

/** Thrown by handlers; the server turns it into an ApiErrorResponse. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly errors: ErrorMap = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }
}

export const badRequest = (errors: ErrorMap): HttpError => new HttpError(400, VALIDATION_TITLE, errors);
export const notFound = (title: string): HttpError => new HttpError(404, title);
export const conflict = (title: string, errors: ErrorMap = {}): HttpError => new HttpError(409, title, errors);

export function addError(errors: ErrorMap, key: string, message: string): void {
  (errors[key] ??= []).push(message);
}

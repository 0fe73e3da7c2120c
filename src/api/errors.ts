/**
 * The one typed error hierarchy of the CRM client. Every failure the client reports is a
 * CrmError subclass whose `message` says what happened and what to do, and never contains a
 * secret (messages pass through `redact` before they are built).
 */
import { parseFieldPath, type FieldLocation, type OperationParams, type PathSegment } from './fieldPath';

/** A field-level problem, from a server problem-details body or from our own request schema. */
export interface FieldError {
  /** Field as the server or schema spelled it (`Value`, `$.type`, `/value`, `contacts[1].value`), for messages. */
  field: string;
  message: string;
  /** Whether the field is a path parameter, a query parameter or part of the body. */
  location: FieldLocation;
  /** `field` as segments (`['Contacts', 1, 'Value']`); empty for the body (or parameters) as a whole. */
  path: PathSegment[];
}

export abstract class CrmError extends Error {
  abstract readonly kind: CrmErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type CrmErrorKind =
  'problem' | 'http' | 'auth' | 'forbidden' | 'rateLimit' | 'network' | 'timeout' | 'cancelled' | 'responseShape' | 'requestValidation';

/** Normalised problem details: ServiceTitan's ApiErrorResponse or RFC 9457 problem+json. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  instance?: string;
  traceId?: string;
  /** ServiceTitan/ASP.NET shape: field → messages. RFC 9457 `errors`/`invalid-params` are folded in here too. */
  errors: Record<string, string[]>;
  data?: Record<string, unknown>;
}

/** A non-2xx answer whose body is a problem-details document (400, 404, 409, 5xx …). */
export class ProblemError extends CrmError {
  readonly kind = 'problem' as const;
  /** The operation's parameter names, so that `id` or `Page` are not taken for body fields. */
  readonly params?: OperationParams;
  constructor(
    message: string,
    readonly status: number,
    readonly problem: ProblemDetails,
    readonly request: { method: string; url: string },
    options?: { params?: OperationParams },
  ) {
    super(message);
    this.params = options?.params;
  }
  get traceId(): string | undefined {
    return this.problem.traceId;
  }
  /** Flattened field errors, in the order the server sent them. */
  get fieldErrors(): FieldError[] {
    return problemFieldErrors(this.problem, this.params);
  }
}

/**
 * The field errors of a problem, flattened in the server's order, each placed in the path, query
 * or body by the operation's parameter names (so `id` or `Page` are not taken for body fields).
 */
export function problemFieldErrors(problem: Pick<ProblemDetails, 'errors'>, params?: OperationParams): FieldError[] {
  return Object.entries(problem.errors).flatMap(([field, messages]) => {
    const { location, segments } = parseFieldPath(field, params);
    return messages.map((message) => ({ field, message, location, path: [...segments] }));
  });
}

/** A non-2xx answer whose body is not problem details (gateway `{message}`, HTML, empty). */
export class HttpError extends CrmError {
  readonly kind = 'http' as const;
  constructor(
    message: string,
    readonly status: number,
    readonly request: { method: string; url: string },
    readonly bodySnippet?: string,
  ) {
    super(message);
  }
}

/** Why authentication failed; each reason has its own actionable message. */
export type AuthFailure = 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'invalid_scope' | 'token_endpoint' | 'app_key' | 'token_rejected';

/** Token endpoint refused us, or the API answered 401 even after one token refresh. */
export class AuthError extends CrmError {
  readonly kind = 'auth' as const;
  constructor(
    message: string,
    readonly reason: AuthFailure,
    readonly status?: number,
    readonly problem?: ProblemDetails,
  ) {
    super(message);
  }
}

/** 403: the credentials are valid but lack a scope or permission. */
export class ForbiddenError extends CrmError {
  readonly kind = 'forbidden' as const;
  constructor(
    message: string,
    readonly problem: ProblemDetails | undefined,
    /** The OAuth scope the operation needs (e.g. `tn.crm.contacts:w`), when known. */
    readonly requiredScope?: string,
  ) {
    super(message);
  }
}

/** 429 after the retries the policy allows. */
export class RateLimitError extends CrmError {
  readonly kind = 'rateLimit' as const;
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/** The request never got an HTTP answer: DNS, refused, reset, TLS, proxy. */
export class NetworkError extends CrmError {
  readonly kind = 'network' as const;
  /**
   * True when a create (POST) may have reached the server before the connection broke, so the
   * record may exist: check (see `findPossiblyCreated`) before sending it again.
   */
  readonly outcomeUnknown: boolean;
  constructor(
    message: string,
    /** Node/undici error code such as ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, CERT_HAS_EXPIRED. */
    readonly code: string | undefined,
    options?: { cause?: unknown; outcomeUnknown?: boolean },
  ) {
    super(message, options);
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
}

export class TimeoutError extends CrmError {
  readonly kind = 'timeout' as const;
  /** True when a create (POST) timed out after it was sent: the record may exist (see NetworkError). */
  readonly outcomeUnknown: boolean;
  constructor(
    message: string,
    readonly timeoutMs: number,
    options?: { outcomeUnknown?: boolean },
  ) {
    super(message);
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
}

/** The caller aborted (user cancelled). UIs stay silent on this one. */
export class CancelledError extends CrmError {
  readonly kind = 'cancelled' as const;
  constructor(message = 'The request was cancelled.') {
    super(message);
  }
}

/** A 2xx body that does not match the schema we read it with. */
export class ResponseShapeError extends CrmError {
  readonly kind = 'responseShape' as const;
  constructor(
    message: string,
    readonly issues: FieldError[],
    readonly operationId: string,
  ) {
    super(message);
  }
}

/** Our own strict request schema rejected the input before anything was sent. */
export class RequestValidationError extends CrmError {
  readonly kind = 'requestValidation' as const;
  constructor(
    message: string,
    readonly issues: FieldError[],
    readonly operationId: string,
  ) {
    super(message);
  }
}

export function isCrmError(value: unknown): value is CrmError {
  return value instanceof CrmError;
}

/** A write that may have reached the server although its answer was lost: check before sending it again. */
export function isOutcomeUnknown(error: unknown): error is NetworkError | TimeoutError {
  return (error instanceof NetworkError || error instanceof TimeoutError) && error.outcomeUnknown;
}

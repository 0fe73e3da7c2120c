import { STATUS_CODES } from 'node:http';
import type { ProblemDetails } from './errors';
import { MAX_WALK_DEPTH, tooDeepAt } from './jsonDepth';

/**
 * Reads non-2xx bodies. ServiceTitan answers with its `ApiErrorResponse` (ASP.NET problem details:
 * `errors` is field → messages); other servers and gateways use RFC 9457 `application/problem+json`
 * with `errors: [{pointer, detail}]` or `invalid-params: [{name, reason}]`. Both end up as one
 * `ProblemDetails`. Anything else (gateway `{message}`, OAuth `{error}`, HTML, empty) is not a
 * problem document and gets a plain description with the status instead.
 */

const MAX_SNIPPET = 300;
const MAX_FIELD_ERRORS_IN_MESSAGE = 3;
const KNOWN_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'traceId', 'errors', 'invalid-params', 'data']);

/** The JSON value of a body, or undefined when it is empty, not JSON, or nested too deep to walk (see `tooDeepBody`). */
export function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  // JSON.parse takes any depth, but every walk after it (redaction, the schema check) recurses.
  if (tooDeepAt(text, MAX_WALK_DEPTH) >= 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Why parseJson gave nothing for a body that may be JSON: it nests too deep. Undefined otherwise. */
export function tooDeepBody(text: string): string | undefined {
  if (tooDeepAt(text, MAX_WALK_DEPTH) < 0) return undefined;
  return `objects and arrays nest more than ${MAX_WALK_DEPTH.toLocaleString('en-US')} levels deep in it, so it was not read (a CRM answer nests fewer than 10)`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** The problem details in a body, or undefined when the body is not a problem document. */
export function parseProblem(status: number, contentType: string | undefined, text: string, headerTraceId?: string): ProblemDetails | undefined {
  const body = parseJson(text);
  if (!isRecord(body)) return undefined;
  const declared = /application\/problem\+json/i.test(contentType ?? '');
  const looksLikeProblem =
    str(body.title) !== undefined ||
    str(body.detail) !== undefined ||
    (str(body.type) !== undefined && (typeof body.status === 'number' || 'errors' in body)) ||
    isRecord(body.errors) ||
    Array.isArray(body.errors) ||
    Array.isArray(body['invalid-params']);
  // An OAuth `{error, error_description}` or a gateway `{message}` is not problem details.
  if (!declared && !looksLikeProblem) return undefined;

  const errors: Record<string, string[]> = {};
  const add = (field: unknown, message: unknown): void => {
    const text = str(message) ?? (message === undefined ? undefined : JSON.stringify(message));
    if (text === undefined) return;
    const key = typeof field === 'string' ? field : '';
    // An own property even for `__proto__` or `constructor` (a server's keys are not ours to trust).
    if (!Object.hasOwn(errors, key)) Object.defineProperty(errors, key, { value: [], enumerable: true, writable: true, configurable: true });
    errors[key]?.push(text);
  };
  foldErrors(body.errors, add);
  if (Array.isArray(body['invalid-params'])) {
    for (const item of body['invalid-params']) {
      if (isRecord(item)) add(item.name ?? item.pointer, item.reason ?? item.detail ?? item.message);
      else add('', item);
    }
  }

  const problem: ProblemDetails = { status: typeof body.status === 'number' ? body.status : status, errors };
  const type = str(body.type);
  const title = str(body.title);
  const detail = str(body.detail);
  const instance = str(body.instance);
  const traceId = str(body.traceId) ?? str(body['trace-id']) ?? str(body.traceid) ?? headerTraceId;
  if (type !== undefined) problem.type = type;
  if (title !== undefined) problem.title = title;
  if (detail !== undefined) problem.detail = detail;
  if (instance !== undefined) problem.instance = instance;
  if (traceId !== undefined) problem.traceId = traceId;
  if (isRecord(body.data)) {
    problem.data = body.data;
  } else {
    // RFC 9457 extension members have no fixed home; keep them where ServiceTitan keeps its extras.
    const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !KNOWN_MEMBERS.has(key)));
    if (Object.keys(extensions).length > 0) problem.data = extensions;
  }
  return problem;
}

function foldErrors(errors: unknown, add: (field: unknown, message: unknown) => void): void {
  if (isRecord(errors)) {
    // ServiceTitan / ASP.NET: { "Name": ["…", "…"] }
    for (const [field, messages] of Object.entries(errors)) {
      if (Array.isArray(messages)) for (const message of messages) add(field, message);
      else add(field, messages);
    }
  } else if (Array.isArray(errors)) {
    // RFC 9457 style: [{ pointer, detail }] (also tolerate { field, message } and plain strings).
    for (const item of errors) {
      if (isRecord(item)) add(item.pointer ?? item.field ?? item.name ?? item.parameter ?? '', item.detail ?? item.message ?? item.reason);
      else add('', item);
    }
  }
}

export function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** "title — detail: Field: message; Other: message (and 2 more) (HTTP 400, trace ID …)" */
export function problemMessage(problem: ProblemDetails, httpStatus = problem.status): string {
  const head = problem.title ?? statusLine(httpStatus);
  const detail = problem.detail && problem.detail !== problem.title ? ` ${ensurePeriod(problem.detail)}` : '';
  const fieldErrors = Object.entries(problem.errors).flatMap(([field, messages]) => messages.map((message) => (field ? `${field}: ${message}` : message)));
  let fields = '';
  if (fieldErrors.length > 0) {
    const shown = fieldErrors.slice(0, MAX_FIELD_ERRORS_IN_MESSAGE).map(stripPeriod).join('; ');
    const more = fieldErrors.length - MAX_FIELD_ERRORS_IN_MESSAGE;
    fields = ` ${shown}${more > 0 ? ` (and ${more} more)` : ''}.`;
  }
  const trace = problem.traceId ? `, trace ID ${problem.traceId}` : '';
  return `${ensurePeriod(head)}${detail}${fields} (HTTP ${httpStatus}${trace})`;
}

function ensurePeriod(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function stripPeriod(text: string): string {
  return text.trim().replace(/\.$/, '');
}

/** A hint for statuses whose cause is usually on our side of the wire. */
function hintFor(status: number): string {
  if (status === 404) return ' Check the API base URL and the tenant ID.';
  if (status === 405) return ' The server does not allow this method here; check the API base URL.';
  if (status === 407) return ' The proxy wants credentials; put them in the proxy URL (http.proxy) or ask your IT team.';
  if (status === 413) return ' The request body is too large.';
  if (status >= 500) return ' The server had a problem; try again in a moment.';
  return '';
}

/**
 * A clear message for a non-2xx body that is not problem details. It always names the status,
 * and says what the body was (gateway message, OAuth error, HTML page, empty).
 */
export function describeNonProblem(status: number, contentType: string | undefined, text: string): string {
  const head = statusLine(status);
  const hint = hintFor(status);
  const trimmed = text.trim();
  if (!trimmed) return `${head} with an empty body.${hint}`;
  const json = parseJson(trimmed);
  if (isRecord(json)) {
    const message = str(json.message) ?? str(json.Message) ?? str(json.error_description) ?? str(json.errorMessage);
    const error = str(json.error);
    if (error && message) return `${head}: ${error}: ${ensurePeriod(snippet(message))}${hint}`;
    if (message) return `${head}: ${ensurePeriod(snippet(message))}${hint}`;
    if (error) return `${head}: ${ensurePeriod(snippet(error))}${hint}`;
    return `${head} with an unexpected JSON body: ${snippet(trimmed)}${hint}`;
  }
  if (/text\/html/i.test(contentType ?? '') || /^<(!doctype|html|head|body)/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return (
      `${head}: the server sent an HTML page${title ? ` ("${snippet(title)}")` : ''} instead of JSON. ` +
      `This usually comes from a proxy, a gateway or a wrong API base URL.${hint}`
    );
  }
  return `${head}: ${snippet(trimmed)}${hint}`;
}

/** The start of a body, on one line, for messages and `HttpError.bodySnippet`. */
export function snippet(text: string, max = MAX_SNIPPET): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

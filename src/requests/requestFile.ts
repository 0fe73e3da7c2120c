/**
 * The request file model: a `*.stcrm.json` file holds one CRM v2 request,
 * `{ "operation": "Contacts_Create", "path": {…}, "query": {…}, "body": {…} }` (the tenant comes
 * from the profile; `optional`, the template's list of fields it left out, and `$schema` are
 * ignored). This module parses such a file, checks it the way the client would before sending,
 * and turns field errors (the client's or a server's) into paths of the file's JSON, for
 * `diagnosticsFor`. Plain Node: no vscode.
 */
import { buildRequest, type OperationInput } from '../api/client';
import { RequestValidationError, type FieldError } from '../api/errors';
import { parseFieldPath, type PathSegment } from '../api/fieldPath';
import { requestErrorMap } from '../api/schemas/common';
import { CRM_OPERATION_LIST, CRM_OPERATIONS, isCrmOperationId, type CrmOperation, type CrmOperationId } from '../api/schemas/operations';
import type { PathError } from '../diagnostics/problemDiagnostics';

/** One request, as a request file holds it. */
export interface RequestFileRequest {
  operation: CrmOperationId;
  /** Values for the `{name}` placeholders of the operation's path; `{}` when it has none. */
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Absent when the file has no `body` key. */
  body?: unknown;
}

/** A problem of a request file: a path into its JSON; a syntax error also says where in the text. */
export interface RequestFileError extends PathError {
  /** For JSON syntax errors: the offset (UTF-16 code units) and length of the offending text. */
  offset?: number;
  length?: number;
}

export type ParsedRequestFile = { ok: true; request: RequestFileRequest; input: OperationInput } | { ok: false; errors: RequestFileError[] };

/** The top-level keys a request file may have. `optional` and `$schema` are ignored when sending. */
export const REQUEST_FILE_KEYS = ['operation', 'path', 'query', 'body', 'optional', '$schema'] as const;

/** Parses a request file: JSON syntax, an object, a known operation, object-valued path and query, no unknown keys. */
export function parseRequestFile(text: string): ParsedRequestFile {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, errors: [json.error] };
  const doc = json.value;
  if (!isRecord(doc)) {
    return { ok: false, errors: [{ path: [], message: 'A request file is a JSON object, like {"operation": "Customers_Get", "path": {"id": 1}}.' }] };
  }
  const errors: RequestFileError[] = [];
  for (const key of Object.keys(doc)) {
    if ((REQUEST_FILE_KEYS as readonly string[]).includes(key)) continue;
    const meant = REQUEST_FILE_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    errors.push({
      path: [key],
      message: meant
        ? `Unknown key "${key}": did you mean "${meant}"? (keys are case-sensitive)`
        : `Unknown key "${key}": a request file has operation, path, query and body (and optional, which is ignored).`,
    });
  }

  const operation = operationOf(doc, errors);
  const path = objectAt(doc, 'path', 'path must be an object of path parameters, like {"id": 1}.', errors);
  const query = objectAt(doc, 'query', 'query must be an object of query parameters, like {"pageSize": 50}.', errors);
  if (errors.length > 0 || operation === undefined || path === undefined || query === undefined) return { ok: false, errors };

  const request: RequestFileRequest = { operation, path, query };
  const input: OperationInput = { path, query };
  if (Object.prototype.hasOwnProperty.call(doc, 'body')) {
    request.body = doc.body;
    input.body = doc.body;
  }
  return { ok: true, request, input };
}

/**
 * Everything the client would refuse before sending, at its place in the file: the file's own
 * problems, then the operation's path, query and body checks (`buildRequest`), including the
 * overlay's rules. Path keys the operation does not have are reported too (the client ignores them).
 */
export function checkRequestFile(text: string): PathError[] {
  const parsed = parseRequestFile(text);
  if (!parsed.ok) return parsed.errors;
  const op: CrmOperation = CRM_OPERATIONS[parsed.request.operation];
  const errors: PathError[] = [];
  const names = Object.keys(op.pathParams);
  for (const key of Object.keys(parsed.request.path)) {
    if (names.includes(key)) continue;
    const message = names.length === 0
      ? `${op.operationId} has no path parameters (its path is ${op.path}).`
      : `${op.operationId} has no path parameter "${key}"; its path is ${op.path}.`;
    errors.push({ path: ['path', key], message });
  }
  try {
    buildRequest(op, parsed.input);
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    errors.push(...fieldErrorsToPathErrors(error.issues));
  }
  return errors;
}

/**
 * Only the problems the request-file JSON Schema cannot express: the overlay's rules on the body
 * (a contact's value must suit its type, names must not be blank), i.e. the body schema's `custom`
 * issues. The editor shows the JSON Schema's own errors; this adds what it misses, without
 * repeating them. A file that does not parse, or has no body, has none.
 */
export function ruleProblems(text: string): PathError[] {
  const parsed = parseRequestFile(text);
  if (!parsed.ok) return [];
  const op: CrmOperation = CRM_OPERATIONS[parsed.request.operation];
  const body: unknown = parsed.request.body;
  if (!op.body || body === undefined || body === null) return [];
  const result = op.body.schema.safeParse(body, { error: requestErrorMap });
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => issue.code === 'custom')
    .map((issue) => ({ path: ['body', ...parseFieldPath(issue.path).segments], message: issue.message }));
}

/**
 * Field errors (the client's RequestValidationError issues, or a server's problem details through
 * `problemFieldErrors`) as paths of the request file: `['path', name]`, `['query', name]`,
 * `['body', …segments]`. The one mapping from a field's location to the file.
 */
export function fieldErrorsToPathErrors(errors: readonly FieldError[]): PathError[] {
  return errors.map((error) => ({ path: [error.location, ...error.path] satisfies PathSegment[], message: error.message }));
}

/** A request as the text of a request file: pretty JSON, keys operation, path, query, body; empty path and query left out. */
export function requestFileText(request: RequestFileRequest): string {
  const ordered: Record<string, unknown> = { operation: request.operation };
  if (Object.keys(request.path).length > 0) ordered.path = request.path;
  if (Object.keys(request.query).length > 0) ordered.query = request.query;
  if (request.body !== undefined) ordered.body = request.body;
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** The operationId closest to `name` (case-insensitive edit distance), for "did you mean". */
export function closestOperationId(name: string): CrmOperationId {
  const wanted = name.toLowerCase();
  let best: CrmOperationId = 'Customers_Get';
  let bestDistance = Infinity;
  for (const op of CRM_OPERATION_LIST) {
    const distance = editDistance(wanted, op.operationId.toLowerCase());
    if (distance < bestDistance && isCrmOperationId(op.operationId)) {
      best = op.operationId;
      bestDistance = distance;
    }
  }
  return best;
}

// ---- plumbing ------------------------------------------------------------------------------------

function operationOf(doc: Record<string, unknown>, errors: RequestFileError[]): CrmOperationId | undefined {
  const value = doc.operation;
  if (value === undefined) {
    errors.push({ path: ['operation'], message: 'Name the operation, like "operation": "Customers_Get".' });
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push({ path: ['operation'], message: 'operation must be a string: an operationId like "Customers_Get".' });
    return undefined;
  }
  if (isCrmOperationId(value)) return value;
  const closest = closestOperationId(value);
  const op: CrmOperation = CRM_OPERATIONS[closest];
  errors.push({ path: ['operation'], message: `Unknown operation "${value}". Did you mean ${closest} (${op.method} ${op.path})?` });
  return undefined;
}

function objectAt(doc: Record<string, unknown>, key: 'path' | 'query', message: string, errors: RequestFileError[]): Record<string, unknown> | undefined {
  const value = doc[key];
  if (value === undefined) return {};
  if (isRecord(value)) return value;
  errors.push({ path: [key], message });
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

type JsonResult = { ok: true; value: unknown } | { ok: false; error: RequestFileError };

/** Why `text` is not JSON, with line and column (`Line 2, column 5: Expected ',' or '}' …`); undefined when it is JSON. */
export function jsonProblem(text: string): string | undefined {
  const parsed = parseJson(text);
  return parsed.ok ? undefined : parsed.error.message;
}

/** JSON.parse, with a syntax error placed (line, column, offset) and worded the same on every Node version. */
function parseJson(text: string): JsonResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const shift = text.length - source.length;
  if (source.trim() === '') {
    return { ok: false, error: { path: [], message: 'The request file is empty. Start with {"operation": "…"}: the completion lists the 86 operations.', offset: 0, length: 0 } };
  }
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch (error) {
    const found = syntaxError(source) ?? { offset: source.length, message: error instanceof Error ? error.message.replace(/, ".*" is not valid JSON$/s, '.') : 'Not valid JSON.' };
    const offset = found.offset + shift;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return { ok: false, error: { path: [], message: `Line ${line}, column ${column}: ${found.message}`, offset, length: offset < text.length ? 1 : 0 } };
  }
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Where and why `text` is not JSON (RFC 8259), or undefined when it is. Only run after JSON.parse failed. */
function syntaxError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const found = (at: number): string => (at >= text.length ? 'the end of the file' : JSON.stringify(text[at]));
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): void => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('A \\u escape needs four hex digits, like \\u00e9.');
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
          i += 2;
        } else {
          fail(`Invalid escape \\${escape ?? ''} in a string: use \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX.`);
        }
        continue;
      }
      if (c < 0x20) fail('A line break or control character inside a string must be escaped (\\n, \\t).');
      i++;
    }
    fail('This string has no closing double quote.', start);
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`Expected a property name in double quotes, found ${found(i)}.`);
        string();
        space();
        if (text[i] !== ':') fail(`Expected ':' after the property name, found ${found(i)}.`);
        i++;
        value();
        space();
        if (text[i] === ',') {
          const comma = i;
          i++;
          space();
          if (text[i] === '}') fail('Remove this comma: JSON allows no comma before }.', comma);
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`Expected ',' or '}' after a property value, found ${found(i)}.`);
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ',') {
          const comma = i;
          i++;
          space();
          if (text[i] === ']') fail('Remove this comma: JSON allows no comma before ].', comma);
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`Expected ',' or ']' after an array item, found ${found(i)}.`);
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) fail('Invalid number.');
      i += match?.[0].length ?? 0;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(i >= text.length ? 'The file ends where a value should be.' : `Expected a value (object, array, string, number, true, false or null), found ${found(i)}.`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`Unexpected ${found(i)} after the end of the JSON value.`);
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    // Nesting deep enough to exhaust the stack: JSON.parse's own message is all there is.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

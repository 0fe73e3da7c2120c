/**
 * The request file model: a `*.stcrm.json` file holds one CRM v2 request,
 * `{ "operation": "Contacts_Create", "path": {…}, "query": {…}, "body": {…} }` (the tenant comes
 * from the profile; `optional`, the template's list of fields it left out, and `$schema` are
 * ignored). This module parses such a file, checks it the way the client would before sending,
 * and turns field errors (the client's or a server's) into paths of the file's JSON, for
 * `diagnosticsFor`. Plain Node: no vscode.
 */
import { parseTree, ParseErrorCode, printParseErrorCode, type ParseError } from 'jsonc-parser';
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

/** jsonc-parser's reasons, worded for someone editing a request file. */
const PARSE_ERRORS: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'Expected JSON here (names and strings in double quotes, a number, true, false or null).',
  [ParseErrorCode.InvalidNumberFormat]: 'Invalid number.',
  [ParseErrorCode.PropertyNameExpected]: 'Expected a property name in double quotes.',
  [ParseErrorCode.ValueExpected]: 'Expected a value.',
  [ParseErrorCode.ColonExpected]: "Expected ':' after the property name.",
  [ParseErrorCode.CommaExpected]: "Expected ',' between values.",
  [ParseErrorCode.CloseBraceExpected]: "Expected ',' or '}' after a property value.",
  [ParseErrorCode.CloseBracketExpected]: "Expected ',' or ']' after an array item.",
  [ParseErrorCode.EndOfFileExpected]: 'Unexpected text after the end of the JSON value.',
  [ParseErrorCode.InvalidCommentToken]: 'JSON allows no comments.',
  [ParseErrorCode.UnexpectedEndOfComment]: 'JSON allows no comments.',
  [ParseErrorCode.UnexpectedEndOfString]: 'This string has no closing quote.',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'Invalid number.',
  [ParseErrorCode.InvalidUnicode]: 'Invalid \\u escape.',
  [ParseErrorCode.InvalidEscapeCharacter]: 'Invalid escape character.',
  [ParseErrorCode.InvalidCharacter]: 'Invalid character in a string.',
};

/** Where and why `text` is not JSON (RFC 8259: no comments, no trailing commas), by jsonc-parser. Only run after JSON.parse failed. */
function syntaxError(text: string): { offset: number; message: string } | undefined {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  // A trailing comma shows up as "value expected" (or a property name) right after a comma.
  const before = text.slice(0, first.offset).trimEnd();
  const next = text[first.offset];
  if (before.endsWith(',') && (next === '}' || next === ']')) return { offset: before.length - 1, message: `Remove this comma: JSON allows no comma before ${next}.` };
  const what = PARSE_ERRORS[first.error] ?? printParseErrorCode(first.error);
  const found = first.offset < text.length ? JSON.stringify(text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 12)))) : 'the end of the file';
  return { offset: first.offset, message: `${what.replace(/\.$/, '')}; found ${found}.` };
}

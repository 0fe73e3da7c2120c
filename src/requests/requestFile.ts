/**
 * The request file model: a `*.stcrm.json` file holds one CRM v2 request,
 * `{ "operation": "Contacts_Create", "path": {…}, "query": {…}, "body": {…} }` (the tenant comes
 * from the profile; `optional`, the template's list of fields it left out, and `$schema` are
 * ignored). This module parses such a file, checks it the way the client would before sending,
 * and turns field errors (the client's or a server's) into paths of the file's JSON, for
 * `diagnosticsFor`. Plain Node: no vscode.
 */
import { createScanner, parseTree, ParseErrorCode, printParseErrorCode, SyntaxKind, type ParseError } from 'jsonc-parser';
import { buildRequest, halfCharacterProblem, pathSegment, type OperationInput } from '../api/client';
import { RequestValidationError, type FieldError } from '../api/errors';
import { parseFieldPath, type PathSegment } from '../api/fieldPath';
import { tooDeepAt } from '../api/jsonDepth';
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

/** A problem of a request file: a path into its JSON; a problem of the text itself also says where it is. */
export interface RequestFileError extends PathError {
  /** For problems of the text (syntax, a duplicate key, …): the offset (UTF-16 code units) and length of the offending text. */
  offset?: number;
  length?: number;
  /** VS Code's JSON support reports it too while typing (syntax, duplicate keys, the request-file JSON Schema); `ruleProblems` leaves it out. */
  editorReports?: true;
}

export type ParsedRequestFile = { ok: true; request: RequestFileRequest; input: OperationInput } | { ok: false; errors: RequestFileError[] };

/** The top-level keys a request file may have. `optional` and `$schema` are ignored when sending. */
export const REQUEST_FILE_KEYS = ['operation', 'path', 'query', 'body', 'optional', '$schema'] as const;

/** A CRM request is a few KB. A longer file is refused before it is parsed, so the check that runs while typing stays quick. */
export const MAX_REQUEST_FILE_LENGTH = 250_000;
/** Objects and arrays nested deeper are refused (a CRM request needs fewer than 10 levels), so no walk of the value can exhaust the stack. */
export const MAX_REQUEST_FILE_DEPTH = 64;
/** Keys JavaScript gives a meaning to. No CRM v2 field has these names, and as keys they could change the request's shape instead of being sent. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** How many problems of the text itself (duplicate keys, …) are reported: placing each costs a pass over the text. */
const MAX_TEXT_PROBLEMS = 20;
/** How much of an unknown name "did you mean" compares, and a message quotes: the longest operationId has 48 characters. */
const NAME_LIMIT = 64;

/**
 * Parses a request file: at most MAX_REQUEST_FILE_LENGTH characters and MAX_REQUEST_FILE_DEPTH
 * levels, JSON syntax, no duplicate or reserved keys and no half characters anywhere, an object,
 * a known operation, object-valued path and query, no unknown keys. Costs time linear in the
 * text, whatever it holds.
 */
export function parseRequestFile(text: string): ParsedRequestFile {
  const json = parseStrictJson(text);
  if (!json.ok) return json;
  const doc = json.value;
  if (!isRecord(doc)) {
    return {
      ok: false,
      errors: [{ path: [], message: 'A request file is a JSON object, like {"operation": "Customers_Get", "path": {"id": 1}}.', editorReports: true }],
    };
  }
  const errors: RequestFileError[] = [];
  for (const key of Object.keys(doc)) {
    if ((REQUEST_FILE_KEYS as readonly string[]).includes(key)) continue;
    const meant = REQUEST_FILE_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    errors.push({
      path: [key],
      message: meant
        ? `Unknown key "${key}": did you mean "${meant}"? (keys are case-sensitive)`
        : `Unknown key ${quoted(key)}: a request file has operation, path, query and body (and optional, which is ignored).`,
      editorReports: true,
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
    const message =
      names.length === 0
        ? `${op.operationId} has no path parameters (its path is ${op.path}).`
        : `${op.operationId} has no path parameter ${quoted(key)}; its path is ${op.path}.`;
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
 * Only the problems VS Code's JSON support and the request-file JSON Schema cannot show: the
 * overlay's rules on the body (a contact's value must suit its type, names must not be blank),
 * i.e. the body schema's `custom` issues; path values no URL can carry as one segment; and the
 * file's own problems the editor misses (too long, too deep, reserved keys, half characters).
 * The editor shows syntax errors, duplicate keys and the JSON Schema's errors; this adds what it
 * misses (an unknown operation, with the closest id), without repeating them. With `resolve`, `{{name}}` references that cannot be resolved
 * (an unknown name) are the problems, else the values they stand for are checked.
 */
export function ruleProblems(text: string, resolve?: RequestResolver): RequestFileError[] {
  const parsed = parseRequestFile(text);
  if (!parsed.ok) return parsed.errors.filter((error) => !error.editorReports);
  // With `{{name}}` references: the values they stand for are what is checked (and sent).
  const resolved = resolve ? resolve(parsed.request) : { ok: true as const, request: parsed.request };
  if (!resolved.ok) return resolved.errors;
  const { request } = resolved;
  const op: CrmOperation = CRM_OPERATIONS[request.operation];
  const errors: RequestFileError[] = [];
  // A path value the schema takes but a URL cannot carry as one segment (`..`): the client refuses it.
  for (const [name, schema] of Object.entries(op.pathParams)) {
    const value: unknown = request.path[name];
    if (typeof value !== 'string' || !schema.safeParse(value).success) continue;
    const segment = pathSegment(value);
    if (!segment.ok) errors.push({ path: ['path', name], message: segment.message });
  }
  const body: unknown = request.body;
  if (!op.body || body === undefined || body === null) return errors;
  const result = op.body.schema.safeParse(body, { error: requestErrorMap });
  if (result.success) return errors;
  return [
    ...errors,
    ...result.error.issues
      .filter((issue) => issue.code === 'custom')
      .map((issue) => ({ path: ['body', ...parseFieldPath(issue.path).segments], message: issue.message })),
  ];
}

/** A request with its `{{name}}` references resolved, or where they cannot be (src/requests/requestVariables.ts). */
export type RequestResolver = (request: RequestFileRequest) => { ok: true; request: RequestFileRequest } | { ok: false; errors: RequestFileError[] };

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

/**
 * The operationId closest to `name` (case-insensitive edit distance), for "did you mean". Only the
 * first NAME_LIMIT characters are compared, so a name of any length costs what a short one does.
 */
export function closestOperationId(name: string): CrmOperationId {
  const wanted = name.slice(0, NAME_LIMIT).toLowerCase();
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
    errors.push({ path: ['operation'], message: 'Name the operation, like "operation": "Customers_Get".', editorReports: true });
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push({ path: ['operation'], message: 'operation must be a string: an operationId like "Customers_Get".', editorReports: true });
    return undefined;
  }
  if (isCrmOperationId(value)) return value;
  const closest = closestOperationId(value);
  const op: CrmOperation = CRM_OPERATIONS[closest];
  // Said here, not by the editor: the schema offers the ids but takes any string (see scripts/generate-crm.mjs).
  errors.push({ path: ['operation'], message: `Unknown operation ${quoted(value)}. Did you mean ${closest} (${op.method} ${op.path})?` });
  return undefined;
}

function objectAt(doc: Record<string, unknown>, key: 'path' | 'query', message: string, errors: RequestFileError[]): Record<string, unknown> | undefined {
  const value = doc[key];
  if (value === undefined) return {};
  if (isRecord(value)) return value;
  errors.push({ path: [key], message, editorReports: true });
  return undefined;
}

/** A name from the file, in double quotes, cut short: a message never repeats a huge key. */
function quoted(name: string): string {
  return JSON.stringify(name.length > NAME_LIMIT ? `${name.slice(0, NAME_LIMIT)}…` : name);
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

type JsonResult = { ok: true; value: unknown; source: string; shift: number } | { ok: false; error: RequestFileError };

/** What the strict JSON reader says about a kind of file: its limit and the words of its messages. */
export interface StrictJsonKind {
  /** "request file". */
  noun: string;
  maxLength: number;
  /** How long such a file usually is: "a CRM request needs a few thousand". */
  usualLength: string;
  /** How deep such a file usually nests: "a CRM request needs fewer than 10". */
  usualDepth: string;
  /** The message for an empty file. */
  empty: string;
  /**
   * What a reserved key (`__proto__`, `constructor`, `prototype`) at `path` (the key last) is in this
   * kind of file, when it names something of the file's own (`a variable name`); undefined for a
   * key that would be sent (a CRM field).
   */
  reservedKeyRole?: (path: readonly PathSegment[]) => string | undefined;
}

const REQUEST_FILE_KIND: StrictJsonKind = {
  noun: 'request file',
  maxLength: MAX_REQUEST_FILE_LENGTH,
  usualLength: 'a CRM request needs a few thousand',
  usualDepth: 'a CRM request needs fewer than 10',
  empty: 'The request file is empty. Start with {"operation": "…"}: the completion lists the 86 operations.',
};

/**
 * The strict JSON reading of request files, for any file of ours (test suites, environments): the
 * length limit of `kind`, MAX_REQUEST_FILE_DEPTH levels, JSON syntax, no duplicate or reserved keys
 * and no half characters anywhere, each problem placed (offset, line and column). Linear in the text.
 */
export function parseStrictJson(
  text: string,
  kind: StrictJsonKind = REQUEST_FILE_KIND,
): { ok: true; value: unknown } | { ok: false; errors: RequestFileError[] } {
  const json = readJson(text, kind);
  if (!json.ok) return { ok: false, errors: [json.error] };
  const textErrors = keyAndStringProblems(json.source, json.shift, kind);
  if (textErrors.length > 0) return { ok: false, errors: textErrors };
  return { ok: true, value: json.value };
}

/** Why `text` is not JSON we read (too long, too deep, a syntax error), with line and column (`Line 2, column 5: Expected ',' or '}' …`); undefined when it is. */
export function jsonProblem(text: string): string | undefined {
  const parsed = readJson(text);
  return parsed.ok ? undefined : parsed.error.message;
}

/**
 * JSON.parse, after the limits (length, then depth: JSON.parse itself copes with any depth, but the
 * syntax-error lookup and every later walk recurse), with a syntax error placed (line, column,
 * offset) and worded the same on every Node version.
 */
function readJson(text: string, kind: StrictJsonKind = REQUEST_FILE_KIND): JsonResult {
  if (text.length > kind.maxLength) {
    const message = `This file has ${text.length.toLocaleString('en-US')} characters; a ${kind.noun} may have ${kind.maxLength.toLocaleString('en-US')} (${kind.usualLength}).`;
    return { ok: false, error: { path: [], message, offset: 0, length: 0 } };
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const shift = text.length - source.length;
  if (source.trim() === '') {
    return { ok: false, error: { path: [], message: kind.empty, offset: 0, length: 0, editorReports: true } };
  }
  const deep = tooDeepAt(source, MAX_REQUEST_FILE_DEPTH);
  if (deep >= 0) {
    const message = `${lineColumn(text, deep + shift)}: objects and arrays nest more than ${MAX_REQUEST_FILE_DEPTH} levels deep here; a ${kind.noun} may nest ${MAX_REQUEST_FILE_DEPTH} at most (${kind.usualDepth}).`;
    return { ok: false, error: { path: [], message, offset: deep + shift, length: 1 } };
  }
  try {
    return { ok: true, value: JSON.parse(source) as unknown, source, shift };
  } catch (error) {
    const found = syntaxError(source) ?? {
      offset: source.length,
      message: error instanceof Error ? error.message.replace(/, ".*" is not valid JSON$/s, '.') : 'Not valid JSON.',
    };
    const offset = found.offset + shift;
    return {
      ok: false,
      error: { path: [], message: `${lineColumn(text, offset)}: ${found.message}`, offset, length: offset < text.length ? 1 : 0, editorReports: true },
    };
  }
}

/** `Line 3, column 19`, as an editor counts (from 1; columns in UTF-16 code units). */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `Line ${line}, column ${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

/** One object or array on the way down while scanning: its keys so far (objects), and where in it the scan is. */
interface Level {
  keys?: Set<string>;
  /** The current key (objects) or index (arrays). */
  at: string | number;
  /** Objects: the next string is a key. */
  expectKey: boolean;
}

/**
 * The tokens of `source` (JSON or not) in one iterative pass, telling each string whether it is a
 * key, and the objects and arrays it sits in (the outermost first).
 */
function scanStrings(source: string, visit: (value: string, isKey: boolean, offset: number, length: number, levels: readonly Level[]) => void): void {
  const scanner = createScanner(source, true);
  const levels: Level[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const level = levels[levels.length - 1];
    switch (kind) {
      case SyntaxKind.OpenBraceToken:
        levels.push({ keys: new Set(), at: '', expectKey: true });
        break;
      case SyntaxKind.OpenBracketToken:
        levels.push({ at: 0, expectKey: false });
        break;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        levels.pop();
        break;
      case SyntaxKind.CommaToken:
        if (level?.keys) level.expectKey = true;
        else if (level) level.at = Number(level.at) + 1;
        break;
      case SyntaxKind.StringLiteral: {
        const isKey = level?.keys !== undefined && level.expectKey;
        if (level && isKey) {
          level.at = scanner.getTokenValue();
          level.expectKey = false;
        }
        visit(scanner.getTokenValue(), isKey, scanner.getTokenOffset(), scanner.getTokenLength(), levels);
        break;
      }
      default:
        break;
    }
  }
}

/** Where a string sits: the keys and indexes of the levels around it (its own key included). */
const pathOf = (levels: readonly Level[]): PathSegment[] => levels.map((level) => level.at);

/**
 * Problems of a request file's keys and strings, anywhere in it, on their place in the text:
 * duplicate keys (JSON.parse would keep the last one silently), reserved keys (`__proto__`,
 * `constructor`, `prototype`) and half characters (lone UTF-16 surrogates, which no encoder can
 * send). `source` is JSON within the limits; `shift` is where it starts in the file (after a BOM).
 * The first MAX_TEXT_PROBLEMS are reported: placing each costs a pass over the text.
 */
function keyAndStringProblems(source: string, shift: number, kind: StrictJsonKind): RequestFileError[] {
  const errors: RequestFileError[] = [];
  const text = (shift > 0 ? '\uFEFF' : '') + source;
  scanStrings(source, (value, isKey, start, length, levels) => {
    const keys = isKey ? levels[levels.length - 1]?.keys : undefined;
    const duplicate = keys?.has(value) === true;
    keys?.add(value);
    if (errors.length >= MAX_TEXT_PROBLEMS) return;
    const half = halfCharacterProblem(value);
    let problem: { message: string; editorReports?: true } | undefined;
    if (half !== undefined) problem = { message: half };
    else if (isKey && RESERVED_KEYS.has(value)) {
      const role = kind.reservedKeyRole?.(pathOf(levels));
      problem = {
        message: role
          ? `"${value}" is a reserved name (JavaScript gives it a meaning), so it cannot be ${role}: choose another.`
          : `"${value}" cannot be a key: no CRM v2 field has this name, and JavaScript gives it a meaning that would change the request instead of sending it.`,
      };
    } else if (duplicate)
      problem = {
        message: `Duplicate key ${quoted(value)}: JSON keeps only the last one, so the other value would be lost. Remove one of them.`,
        editorReports: true,
      };
    if (!problem) return;
    const offset = start + shift;
    errors.push({ ...problem, path: pathOf(levels), message: `${lineColumn(text, offset)}: ${problem.message}`, offset, length });
  });
  return errors;
}

/** True when `text` is within a request file's length and nesting limits, so a walk of its JSON tree is safe (it may still have syntax errors). */
export function withinRequestFileLimits(text: string): boolean {
  return text.length <= MAX_REQUEST_FILE_LENGTH && tooDeepAt(text, MAX_REQUEST_FILE_DEPTH) < 0;
}

/** The offset of the top-level `"operation"` key (the last one, as JSON.parse reads it), if there is one. Any text, JSON or not. */
export function operationKeyOffset(text: string): number | undefined {
  if (text.length > MAX_REQUEST_FILE_LENGTH) return undefined;
  let offset: number | undefined;
  scanStrings(text, (value, isKey, start, _length, levels) => {
    if (isKey && levels.length === 1 && value === 'operation') offset = start;
  });
  return offset;
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
  if (before.endsWith(',') && (next === '}' || next === ']'))
    return { offset: before.length - 1, message: `Remove this comma: JSON allows no comma before ${next}.` };
  const what = PARSE_ERRORS[first.error] ?? printParseErrorCode(first.error);
  const found =
    first.offset < text.length ? JSON.stringify(text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 12)))) : 'the end of the file';
  return { offset: first.offset, message: `${what.replace(/\.$/, '')}; found ${found}.` };
}

/**
 * A step's expectations against the answer it got: status, the document's response schema, a
 * partial match of the body, JSONPath values, problem details. Every unmet expectation is one
 * failure with what was expected, what came, and where the expectation is in the suite file.
 * Plain Node.
 */
import { parseFieldPath, sameSegments, type OperationParams, type PathSegment } from '../api/fieldPath';
import type { RawExchange } from '../api/request';
import { selectAll } from './jsonPath';

export type ExpectationKind = 'status' | 'schema' | 'body' | 'paths' | 'problem';

export interface ExpectationFailure {
  expectation: ExpectationKind;
  /** What is wrong, in a sentence. */
  message: string;
  expected: unknown;
  actual: unknown;
  /** Where the expectation is, inside its step: `['expect', 'body', 'name']`. */
  path: PathSegment[];
}

/** A step's expectations with their templates resolved. */
export interface ResolvedExpectations {
  status?: readonly number[];
  schema: boolean;
  body?: { value: unknown };
  paths: readonly { expression: string; expected: unknown }[];
  problem?: {
    errors?: { kind: 'keys'; keys: readonly string[] } | { kind: 'messages'; messages: readonly { key: string; contains: unknown }[] };
    title?: unknown;
  };
}

/** Each check reports at most this many mismatches, so a wrong list of thousands stays readable. */
const MAX_FAILURES = 20;
/** Values are compared this deep at most. */
const MAX_DEPTH = 100;

/** Where the default expectation (any 2xx) is reported: on the step's operation. */
const DEFAULT_STATUS_AT: PathSegment[] = ['operation'];

/** `definition` names the document's response schema (`Crm.V2.ContactResponse`), for the message. */
export function checkAnswer(expect: ResolvedExpectations, exchange: RawExchange<unknown>, params: OperationParams, definition: string): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  const { status } = exchange;
  const ok = status >= 200 && status < 300;
  if (expect.status ? !expect.status.includes(status) : !ok) {
    const wanted = expect.status ? (expect.status.length === 1 ? expect.status[0] : [...expect.status]) : '2xx';
    const said = exchange.problem
      ? `: ${[exchange.problem.title, ...Object.entries(exchange.problem.errors).map(([key, messages]) => `${key}: ${messages.join(' ')}`)].filter(Boolean).join(' ')}`
      : '';
    failures.push({
      expectation: 'status',
      message: `Expected status ${Array.isArray(wanted) ? wanted.join(' or ') : String(wanted)}, got ${status}${said}`,
      expected: wanted,
      actual: status,
      path: expect.status ? ['expect', 'status'] : DEFAULT_STATUS_AT,
    });
  }
  if (ok && expect.schema && exchange.check && !exchange.check.ok) {
    const issues = exchange.check.issues.slice(0, 10).map((issue) => `${issue.field || '(body)'}: ${issue.message}`);
    failures.push({
      expectation: 'schema',
      message: `The answer does not match the document's response schema ${definition}.`,
      expected: definition,
      actual: issues,
      path: ['expect', 'schema'],
    });
  }
  if (expect.body) {
    for (const mismatch of partialMismatches(expect.body.value, exchange.json)) {
      failures.push({
        expectation: 'body',
        message: mismatch.message,
        expected: mismatch.expected,
        actual: mismatch.actual,
        path: ['expect', 'body', ...mismatch.path],
      });
    }
  }
  for (const { expression, expected } of expect.paths) {
    const found = selectAll(exchange.json, expression);
    const actual = found.length === 1 ? found[0] : found;
    if (found.length === 0)
      failures.push({
        expectation: 'paths',
        message: `${expression} selects nothing in the answer.`,
        expected,
        actual: undefined,
        path: ['expect', 'paths', expression],
      });
    else if (!deepEqual(expected, actual, 0))
      failures.push({ expectation: 'paths', message: `${expression} is not the expected value.`, expected, actual, path: ['expect', 'paths', expression] });
  }
  if (expect.problem) failures.push(...problemFailures(expect.problem, exchange, params));
  return failures;
}

function problemFailures(expect: NonNullable<ResolvedExpectations['problem']>, exchange: RawExchange<unknown>, params: OperationParams): ExpectationFailure[] {
  const problem = exchange.problem;
  if (!problem) {
    return [
      {
        expectation: 'problem',
        message: `Expected problem details (an error answer), got status ${exchange.status} without them.`,
        expected: 'problem details',
        actual: exchange.json ?? exchange.text,
        path: ['expect', 'problem'],
      },
    ];
  }
  const failures: ExpectationFailure[] = [];
  const keys = Object.keys(problem.errors);
  const messagesOf = (key: string): string[] =>
    keys.filter((serverKey) => sameField(key, serverKey, params)).flatMap((serverKey) => problem.errors[serverKey] ?? []);
  const errors = expect.errors;
  if (errors?.kind === 'keys') {
    errors.keys.forEach((key, index) => {
      if (!keys.some((serverKey) => sameField(key, serverKey, params))) {
        failures.push({
          expectation: 'problem',
          message: `No error for the field ${key}.`,
          expected: key,
          actual: keys,
          path: ['expect', 'problem', 'errors', index],
        });
      }
    });
  } else if (errors?.kind === 'messages') {
    for (const { key, contains } of errors.messages) {
      const messages = messagesOf(key);
      const text = asText(contains);
      if (!messages.some((message) => message.toLowerCase().includes(text.toLowerCase()))) {
        const message = messages.length === 0 ? `No error for the field ${key}.` : `No error message of ${key} contains "${text}".`;
        failures.push({
          expectation: 'problem',
          message,
          expected: text,
          actual: messages.length > 0 ? messages : keys,
          path: ['expect', 'problem', 'errors', key],
        });
      }
    }
  }
  if (expect.title !== undefined) {
    const text = asText(expect.title);
    if (!(problem.title ?? '').toLowerCase().includes(text.toLowerCase())) {
      failures.push({
        expectation: 'problem',
        message: `The problem's title does not contain "${text}".`,
        expected: text,
        actual: problem.title,
        path: ['expect', 'problem', 'title'],
      });
    }
  }
  return failures.slice(0, MAX_FAILURES);
}

/** An expected field key (`Value`, `contacts[0].value`) and a server's (`$.value`, `Contacts[0].Value`) name the same field. */
function sameField(expected: string, server: string, params: OperationParams): boolean {
  const a = parseFieldPath(expected, params);
  const b = parseFieldPath(server, params);
  return a.location === b.location && sameSegments(a.segments, b.segments);
}

interface Mismatch {
  path: PathSegment[];
  message: string;
  expected: unknown;
  actual: unknown;
}

/**
 * Where `actual` does not have what `expected` has: every key of an expected object must be there
 * and match (other keys may be there too); an expected list must have as many items, each matching.
 */
export function partialMismatches(expected: unknown, actual: unknown): Mismatch[] {
  const out: Mismatch[] = [];
  const path: PathSegment[] = [];
  const visit = (want: unknown, got: unknown, depth: number): void => {
    if (out.length >= MAX_FAILURES) return;
    if (depth > MAX_DEPTH) {
      out.push({ path: [...path], message: `Nested more than ${MAX_DEPTH} levels: not compared.`, expected: want, actual: got });
      return;
    }
    if (isRecord(want)) {
      if (!isRecord(got)) {
        out.push({ path: [...path], message: `Expected an object${where(path)}, got ${kind(got)}.`, expected: want, actual: got });
        return;
      }
      for (const key of Object.keys(want)) {
        path.push(key);
        if (!Object.prototype.hasOwnProperty.call(got, key))
          out.push({ path: [...path], message: `The answer has no ${label(path)}.`, expected: want[key], actual: undefined });
        else visit(want[key], got[key], depth + 1);
        path.pop();
      }
      return;
    }
    if (Array.isArray(want)) {
      if (!Array.isArray(got) || got.length !== want.length) {
        out.push({
          path: [...path],
          message: `Expected a list of ${want.length}${where(path)}, got ${Array.isArray(got) ? `a list of ${got.length}` : kind(got)}.`,
          expected: want,
          actual: got,
        });
        return;
      }
      want.forEach((item: unknown, index) => {
        path.push(index);
        visit(item, got[index], depth + 1);
        path.pop();
      });
      return;
    }
    if (!Object.is(want, got) && !(want === 0 && got === 0))
      out.push({ path: [...path], message: `${path.length > 0 ? label(path) : 'The answer'} is not the expected value.`, expected: want, actual: got });
  };
  visit(expected, actual, 0);
  return out;
}

/** Exact structural equality of JSON values (key order aside). */
export function deepEqual(a: unknown, b: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item: unknown, index) => deepEqual(item, b[index], depth + 1));
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key], depth + 1));
  }
  return a === b;
}

/** An expected text as the file gave it; a non-text value (a number from a variable) as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

const label = (path: readonly PathSegment[]): string =>
  path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
const where = (path: readonly PathSegment[]): string => (path.length > 0 ? ` at ${label(path)}` : '');

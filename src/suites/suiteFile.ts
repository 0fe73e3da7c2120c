/**
 * Test suite files (`*.stcrm-suite.json`): a name, variables, an optional fresh-sandbox setup,
 * steps and teardown steps, each step a CRM request (`operation`, `path`, `query`, `body`) with
 * expectations and captures. `parseSuite` reads one strictly (the request files' JSON reader:
 * limits, duplicate and reserved keys) and answers with the suite, or with every problem at its
 * line and column, ready for the Problems panel or a CLI message; it never throws for bad input.
 * Plain Node.
 */
import * as z from 'zod';
import type { FaultRule } from '../../sandbox/types';
import type { PathSegment } from '../api/fieldPath';
import { CRM_OPERATIONS, isCrmOperationId, type CrmOperation, type CrmOperationId } from '../api/schemas/operations';
import { closestOperationId, parseStrictJson, type RequestFileError, type StrictJsonKind } from '../requests/requestFile';
import { jsonPathProblem } from './jsonPath';
import { SuiteSource, type SourceLocation } from './source';
import { NAME_PATTERN, RESERVED_NAMES, templateSyntaxProblems, variableReferences } from './templates';

/** Files the suite engine reads. */
export const SUITE_FILE = /\.stcrm-suite\.json$/i;

/** A suite of 2,000 steps is about 400 KB; 2 MB leaves room and still parses in milliseconds. */
export const MAX_SUITE_LENGTH = 2_000_000;
/** Steps and teardown steps together. */
export const MAX_STEPS = 2_000;
/** How many problems one file reports. */
const MAX_PROBLEMS = 50;

const SUITE_KIND: StrictJsonKind = {
  noun: 'suite file',
  maxLength: MAX_SUITE_LENGTH,
  usualLength: 'a suite of 2,000 steps needs about 400,000',
  usualDepth: 'a CRM request needs fewer than 10',
  empty: 'The suite file is empty. Start with {"name": "…", "steps": [{"operation": "…"}]}.',
  reservedKeyRole: (path) => {
    if (path.length === 2 && path[0] === 'variables') return 'a variable name';
    if (path.length === 4 && (path[0] === 'steps' || path[0] === 'teardown') && path[2] === 'capture') return 'a capture name';
    return undefined;
  },
};

export interface SuiteProblem {
  message: string;
  /** Where in the file's JSON. */
  path: PathSegment[];
  location: SourceLocation;
  /** VS Code's JSON support marks it too while typing (a syntax error): the editor's diagnostics leave it out. */
  editorReports?: true;
}

export type StepPhase = 'steps' | 'teardown';

/** What a step expects of its answer. */
export interface StepExpectations {
  /** Allowed statuses; undefined means any 2xx. */
  status?: readonly number[];
  /** Check a 2xx answer against the document's response schema; default true. */
  schema: boolean;
  /** Partial deep match of the answer's JSON (templates resolved when the step runs). */
  body?: { value: unknown };
  /** JSONPath → the value it must select. */
  paths: readonly { expression: string; expected: unknown }[];
  problem?: {
    /** Field keys that must have errors, or key → text one of its messages contains. */
    errors?: { kind: 'keys'; keys: readonly string[] } | { kind: 'messages'; messages: readonly { key: string; contains: string }[] };
    title?: string;
  };
}

export interface SuiteStep {
  phase: StepPhase;
  index: number;
  /** The step's `name`, else its operation. */
  name: string;
  operation: CrmOperationId;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Absent when the step has no `body` key. */
  body?: { value: unknown };
  /** Checked by the client's request schemas before it is sent (default); false sends it as written. */
  check: boolean;
  expect: StepExpectations;
  /** Capture name → JSONPath into the answer, in file order. */
  capture: readonly { name: string; expression: string }[];
  /** `['steps', 2]`: where the step is in the file's JSON. */
  at: PathSegment[];
  location: SourceLocation;
  /** Variable names its path, query, body and expectations use. */
  uses: ReadonlySet<string>;
}

/** How a fresh sandbox for this suite starts. */
export interface SuiteSandbox {
  seed?: number;
  customers?: number;
  faults: FaultRule[];
}

export interface Suite {
  file: string;
  source: SuiteSource;
  name: string;
  /** In file order: a variable may use the ones before it. */
  variables: readonly { name: string; value: unknown }[];
  sandbox?: SuiteSandbox;
  steps: readonly SuiteStep[];
  teardown: readonly SuiteStep[];
  location: SourceLocation;
}

/**
 * What still parsed of a suite with problems: its steps that did, for the checks that need no
 * whole suite (the editor's unknown `{{names}}`). Never run.
 */
export interface PartialSuite {
  suite: Suite;
  /** Names captured by the steps left out of `suite` (they did not parse): they count as defined. */
  captured: ReadonlySet<string>;
}

export type ParsedSuite = { ok: true; suite: Suite } | { ok: false; problems: SuiteProblem[]; partial?: PartialSuite };

// ---- the shape, as zod checks it -------------------------------------------------------------------

const status = z.number().int().min(100).max(599);
const objectOf = <T extends z.ZodType>(item: T) => z.record(z.string(), item);

const expectSchema = z.strictObject({
  status: z.union([status, z.array(status).min(1).max(50)]).optional(),
  schema: z.boolean().optional(),
  body: z.unknown().optional(),
  paths: objectOf(z.unknown()).optional(),
  problem: z
    .strictObject({
      errors: z.union([z.array(z.string().min(1)).max(100), objectOf(z.string())]).optional(),
      title: z.string().optional(),
    })
    .optional(),
});

const stepSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  operation: z.string(),
  path: objectOf(z.unknown()).optional(),
  query: objectOf(z.unknown()).optional(),
  body: z.unknown().optional(),
  check: z.boolean().optional(),
  expect: expectSchema.optional(),
  capture: objectOf(z.string()).optional(),
});

const faultSchema = z.strictObject({
  kind: z.enum(['latency', 'error5xx', 'rateLimit', 'reset', 'truncate']),
  method: z.string().min(1).optional(),
  path: z.string().max(256).optional(),
  rate: z.number().min(0).max(1).optional(),
  count: z.number().int().min(1).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(500).max(599).optional(),
  retryAfter: z.union([z.number().int().min(0), z.literal('http-date'), z.literal('none')]).optional(),
});

const suiteSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).max(200),
  variables: objectOf(z.unknown()).optional(),
  sandbox: z
    .strictObject({
      seed: z.number().int().min(0).max(2_147_483_647).optional(),
      customers: z.number().int().min(0).max(1_000_000).optional(),
      faults: z.array(faultSchema).max(50).optional(),
    })
    .optional(),
  steps: z.array(z.unknown()).min(1),
  teardown: z.array(z.unknown()).optional(),
});

const KEYS: Record<string, string> = {
  suite: 'a suite has name, variables, sandbox, steps and teardown',
  step: 'a step has name, operation, path, query, body, check, expect and capture',
  expect: 'expect has status, schema, body, paths and problem',
  problem: 'expect.problem has errors and title',
  sandbox: 'sandbox has seed, customers and faults',
  fault: 'a fault rule has kind, method, path, rate, count, latencyMs, status and retryAfter',
};

// ---- parsing -----------------------------------------------------------------------------------------

/** What parseStrictJson refused in a suite or environment file, as problems placed in `source`. */
export function strictJsonProblems(errors: readonly RequestFileError[], source: SuiteSource): SuiteProblem[] {
  return errors.map((error) => ({
    // The location carries the line and column.
    message: error.message.replace(/^Line \d+, column \d+: /, ''),
    path: [...error.path],
    location: error.offset !== undefined ? source.at(error.offset, error.length) : source.locate(error.path),
    ...(error.editorReports ? { editorReports: true as const } : {}),
  }));
}

/** Reads a suite file: the suite, or every problem (the first 50) with its place. */
export function parseSuite(text: string, file: string): ParsedSuite {
  const source = new SuiteSource(file, text);
  const json = parseStrictJson(text, SUITE_KIND);
  if (!json.ok) return { ok: false, problems: strictJsonProblems(json.errors, source) };
  const problems = new Problems(source);
  const shape = suiteSchema.safeParse(json.value, { error: suiteErrorMap });
  if (!shape.success) {
    problems.addZod(shape.error, [], 'suite');
    const partial = partialOf(json.value, file, source);
    return { ok: false, problems: problems.list, ...(partial ? { partial } : {}) };
  }
  const doc = shape.data;
  const variables = Object.entries(doc.variables ?? {}).map(([name, value]) => ({ name, value }));
  for (const { name, value } of variables) {
    if (!isName(name)) problems.add(['variables', name], `${quoted(name)} cannot be a variable name: ${NAME_RULE}`, { key: true });
    problems.addTemplates(['variables', name], value);
  }
  const sandbox = doc.sandbox ? { seed: doc.sandbox.seed, customers: doc.sandbox.customers, faults: doc.sandbox.faults ?? [] } : undefined;
  const { steps, teardown, captured } = parseSteps(doc.steps, doc.teardown ?? [], problems);
  const suite: Suite = { file, source, name: doc.name, variables, sandbox, steps, teardown, location: source.locate(['name']) };
  if (problems.list.length > 0) return { ok: false, problems: problems.list, partial: { suite, captured } };
  const order = orderProblems(suite);
  if (order.length > 0) return { ok: false, problems: order, partial: { suite, captured } };
  return { ok: true, suite };
}

/** The steps and teardown steps that parse (their problems go to `problems`), and the names the others capture. */
function parseSteps(
  rawSteps: readonly unknown[],
  rawTeardown: readonly unknown[],
  problems: Problems,
): { steps: SuiteStep[]; teardown: SuiteStep[]; captured: Set<string> } {
  const all = [...rawSteps.map((step) => ['steps', step] as const), ...rawTeardown.map((step) => ['teardown', step] as const)];
  if (all.length > MAX_STEPS)
    problems.add(['steps'], `This suite has ${all.length} steps and teardown steps; a suite may have ${MAX_STEPS}. Split it into several files.`);
  const steps: SuiteStep[] = [];
  const teardown: SuiteStep[] = [];
  const captured = new Set<string>();
  const counters = { steps: 0, teardown: 0 };
  for (const [phase, raw] of all.slice(0, MAX_STEPS)) {
    const index = counters[phase]++;
    const step = parseStep(raw, phase, index, problems);
    if (step) (phase === 'steps' ? steps : teardown).push(step);
    else if (isRecord(raw) && isRecord(raw.capture)) for (const name of Object.keys(raw.capture)) captured.add(name);
  }
  return { steps, teardown, captured };
}

/**
 * The steps of a file whose outline is refused (an unknown key beside "steps", a missing name), as
 * far as they parse; none when its variables are not an object (which names they define is unknown).
 */
function partialOf(value: unknown, file: string, source: SuiteSource): PartialSuite | undefined {
  if (!isRecord(value)) return undefined;
  const variables = value.variables ?? {};
  if (!isRecord(variables)) return undefined;
  const list = (raw: unknown): unknown[] => (Array.isArray(raw) ? raw : []);
  // Their problems are not reported: the outline's come first.
  const { steps, teardown, captured } = parseSteps(list(value.steps), list(value.teardown), new Problems(source));
  const name = typeof value.name === 'string' ? value.name : '';
  const suite: Suite = {
    file,
    source,
    name,
    variables: Object.entries(variables).map(([key, variable]) => ({ name: key, value: variable })),
    steps,
    teardown,
    location: source.locate([]),
  };
  return { suite, captured };
}

/**
 * Names the suite uses that nothing defines: neither its variables, nor a capture of an earlier
 * step, nor `environment` (the names of stcrm.env.json for the profile). For the editor and the
 * CLI's check before a run; at run time such a step is an error and is not sent.
 */
export function unknownNames(suite: Suite, environment: ReadonlySet<string>): SuiteProblem[] {
  const defined = new Set([...suite.variables.map((variable) => variable.name), ...environment]);
  for (const step of [...suite.steps, ...suite.teardown]) for (const { name } of step.capture) defined.add(name);
  const out: SuiteProblem[] = [];
  for (const step of [...suite.steps, ...suite.teardown]) {
    for (const part of stepParts(step)) {
      for (const reference of variableReferences(part.value)) {
        if (defined.has(reference.name)) continue;
        const path = [...step.at, ...part.at, ...reference.path];
        out.push({
          path,
          location: suite.source.locate(path),
          message: `Unknown variable {{${reference.name}}}: define it in "variables", capture it in an earlier step, or give it in stcrm.env.json.`,
        });
      }
    }
  }
  return out.slice(0, MAX_PROBLEMS);
}

/** The parts of a step that may hold references, with where they sit in the step. */
export function stepParts(step: SuiteStep): { at: PathSegment[]; value: unknown }[] {
  const parts: { at: PathSegment[]; value: unknown }[] = [
    { at: ['path'], value: step.path },
    { at: ['query'], value: step.query },
  ];
  if (step.body) parts.push({ at: ['body'], value: step.body.value });
  if (step.expect.body) parts.push({ at: ['expect', 'body'], value: step.expect.body.value });
  for (const { expression, expected } of step.expect.paths) parts.push({ at: ['expect', 'paths', expression], value: expected });
  const errors = step.expect.problem?.errors;
  if (errors?.kind === 'messages') for (const { key, contains } of errors.messages) parts.push({ at: ['expect', 'problem', 'errors', key], value: contains });
  if (step.expect.problem?.title !== undefined) parts.push({ at: ['expect', 'problem', 'title'], value: step.expect.problem.title });
  return parts;
}

function parseStep(raw: unknown, phase: StepPhase, index: number, problems: Problems): SuiteStep | undefined {
  const at: PathSegment[] = [phase, index];
  const shape = stepSchema.safeParse(raw, { error: suiteErrorMap });
  if (!shape.success) {
    problems.addZod(shape.error, at, 'step');
    return undefined;
  }
  const step = shape.data;
  if (!isCrmOperationId(step.operation)) {
    const closest = closestOperationId(step.operation);
    const op: CrmOperation = CRM_OPERATIONS[closest];
    problems.add([...at, 'operation'], `Unknown operation ${quoted(step.operation)}. Did you mean ${closest} (${op.method} ${op.path})?`);
    return undefined;
  }
  const op: CrmOperation = CRM_OPERATIONS[step.operation];
  const check = step.check ?? true;
  const path = step.path ?? {};
  const query = step.query ?? {};
  const names = Object.keys(op.pathParams);
  for (const key of Object.keys(path)) {
    if (!names.includes(key))
      problems.add(
        [...at, 'path', key],
        names.length === 0
          ? `${op.operationId} has no path parameters (its path is ${op.path}).`
          : `${op.operationId} has no path parameter ${quoted(key)}; its path is ${op.path}.`,
        { key: true },
      );
  }
  for (const name of names)
    if (!(name in path)) problems.add([...at, 'path'], `${op.operationId} needs the path value ${name} (its path is ${op.path}).`, { key: !step.path });
  if (check) {
    const queryNames = Object.keys(op.query.shape);
    for (const key of Object.keys(query)) {
      if (!queryNames.includes(key))
        problems.add(
          [...at, 'query', key],
          queryNames.length === 0
            ? `${op.operationId} takes no query parameters.`
            : `${op.operationId} has no query parameter ${quoted(key)}: it takes ${queryNames.join(', ')}.`,
          { key: true },
        );
    }
    if (op.body && step.body === undefined) problems.add(at, `${op.operationId} needs a "body" (or "check": false to send it without one).`);
    if (!op.body && step.body !== undefined)
      problems.add([...at, 'body'], `${op.operationId} takes no request body (or "check": false to send one anyway).`, { key: true });
  }
  const expectRaw = step.expect ?? {};
  const expect: StepExpectations = {
    status: expectRaw.status === undefined ? undefined : Array.isArray(expectRaw.status) ? expectRaw.status : [expectRaw.status],
    schema: expectRaw.schema ?? true,
    body: 'body' in expectRaw ? { value: expectRaw.body } : undefined,
    paths: Object.entries(expectRaw.paths ?? {}).map(([expression, expected]) => ({ expression, expected })),
  };
  for (const { expression } of expect.paths) {
    const problem = jsonPathProblem(expression);
    if (problem) problems.add([...at, 'expect', 'paths', expression], problem, { key: true });
  }
  if (expectRaw.problem) {
    const errors = expectRaw.problem.errors;
    expect.problem = {
      title: expectRaw.problem.title,
      errors:
        errors === undefined
          ? undefined
          : Array.isArray(errors)
            ? { kind: 'keys', keys: errors }
            : { kind: 'messages', messages: Object.entries(errors).map(([key, contains]) => ({ key, contains })) },
    };
  }
  const capture = Object.entries(step.capture ?? {}).map(([name, expression]) => ({ name, expression }));
  for (const { name, expression } of capture) {
    if (!isName(name)) problems.add([...at, 'capture', name], `${quoted(name)} cannot be a capture name: ${NAME_RULE}`, { key: true });
    const problem = jsonPathProblem(expression);
    if (problem) problems.add([...at, 'capture', name], problem);
  }
  const parsed: SuiteStep = {
    phase,
    index,
    name: step.name ?? step.operation,
    operation: step.operation,
    path,
    query,
    body: 'body' in step ? { value: step.body } : undefined,
    check,
    expect,
    capture,
    at,
    location: problems.source.locate(at),
    uses: new Set(),
  };
  const uses = new Set<string>();
  for (const part of stepParts(parsed)) {
    problems.addTemplates([...at, ...part.at], part.value);
    for (const reference of variableReferences(part.value)) uses.add(reference.name);
  }
  parsed.uses = uses;
  return parsed;
}

/**
 * Problems of order: a capture named like a variable (which would it be?), a step that uses a
 * capture only a later step makes, a suite variable that uses a capture or a later variable.
 */
function orderProblems(suite: Suite): SuiteProblem[] {
  const problems = new Problems(suite.source);
  const variables = new Set(suite.variables.map((variable) => variable.name));
  const captured = new Map<string, SuiteStep>();
  for (const step of [...suite.steps, ...suite.teardown]) for (const { name } of step.capture) if (!captured.has(name)) captured.set(name, step);
  const seen = new Set<string>();
  for (const { name, value } of suite.variables) {
    for (const reference of variableReferences(value)) {
      const path: PathSegment[] = ['variables', name, ...reference.path];
      if (captured.has(reference.name) && !variables.has(reference.name))
        problems.add(path, `Variables are set before the first step, so {{${reference.name}}}, a capture, is not known yet. Use it in the steps instead.`);
      else if (variables.has(reference.name) && !seen.has(reference.name))
        problems.add(
          path,
          `{{${reference.name}}} is defined after ${quoted(name)} (or is ${quoted(name)} itself): a variable may use the variables before it.`,
        );
    }
    seen.add(name);
  }
  const before = new Set<string>();
  for (const step of [...suite.steps, ...suite.teardown]) {
    for (const { name } of step.capture) {
      if (variables.has(name))
        problems.add([...step.at, 'capture', name], `The capture ${quoted(name)} has the name of a variable: rename one of them.`, { key: true });
    }
    for (const part of stepParts(step)) {
      for (const reference of variableReferences(part.value)) {
        const maker = captured.get(reference.name);
        if (variables.has(reference.name) || before.has(reference.name) || !maker) continue;
        problems.add(
          [...step.at, ...part.at, ...reference.path],
          `{{${reference.name}}} is captured by a later step (${maker.phase === 'teardown' ? 'teardown ' : ''}"${maker.name}"): a step can use captures of the steps before it.`,
        );
      }
    }
    for (const { name } of step.capture) before.add(name);
  }
  return problems.list;
}

// ---- problems and their places -------------------------------------------------------------------

const NAME_RULE = 'names start with a letter or _ and hold letters, digits, _ and - (at most 100 characters).';

const isName = (name: string): boolean => NAME_PATTERN.test(name) && !RESERVED_NAMES.has(name);

class Problems {
  readonly list: SuiteProblem[] = [];
  constructor(readonly source: SuiteSource) {}

  add(path: PathSegment[], message: string, options: { key?: boolean } = {}): void {
    if (this.list.length >= MAX_PROBLEMS) return;
    this.list.push({ message, path, location: this.source.locate(path, options) });
  }

  addTemplates(at: PathSegment[], value: unknown): void {
    for (const problem of templateSyntaxProblems(value)) this.add([...at, ...problem.path], problem.message);
  }

  /** zod's issues of the object at `at`, an unknown key on the key itself. */
  addZod(error: z.ZodError, at: PathSegment[], what: keyof typeof KEYS): void {
    for (const issue of error.issues) {
      const path = [...at, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))];
      if (issue.code === 'unrecognized_keys') {
        const where = keysOf(path, what);
        for (const key of issue.keys) this.add([...path, key], `Unknown key ${quoted(key)}: ${where}.`, { key: true });
      } else if (issue.code === 'invalid_union') {
        // The error map does not see where a union is; its key says which one it is.
        this.add(path, UNION_MESSAGES[String(path[path.length - 1])] ?? issue.message);
      } else {
        // A missing key has no place of its own: the object that lacks it is found instead.
        this.add(path, issue.message);
      }
    }
  }
}

/** The unions of a suite file, by their key. */
const UNION_MESSAGES: Record<string, string> = {
  status: 'status must be a number such as 200 or a list of numbers such as [200, 201].',
  errors: 'errors must be a list of field keys such as ["Name"], or an object of field key → text its message contains.',
  retryAfter: 'retryAfter must be a whole number of seconds, "http-date" or "none".',
};

/** The sentence that lists the keys of the object an unknown key was found in. */
function keysOf(path: readonly PathSegment[], what: keyof typeof KEYS): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'expect') return KEYS.expect ?? '';
  if (last === 'problem') return KEYS.problem ?? '';
  if (last === 'sandbox') return KEYS.sandbox ?? '';
  if (parent === 'faults') return KEYS.fault ?? '';
  return KEYS[what] ?? '';
}

const suiteErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `Add ${quoted(String(issue.path?.[issue.path.length - 1] ?? 'this'))}: it is required.`;
      return `Expected ${expected(issue.expected)}.`;
    case 'invalid_value':
      return `Choose one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_union':
      return 'Expected a status code (like 200) or a list of them; a list of field keys or an object of key → text.';
    case 'too_small':
      return issue.origin === 'array'
        ? `List at least ${String(issue.minimum)}.`
        : issue.origin === 'string'
          ? 'This cannot be empty.'
          : `Enter at least ${String(issue.minimum)}.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Enter at most ${String(issue.maximum)} characters.`
        : issue.origin === 'array'
          ? `List at most ${String(issue.maximum)}.`
          : `Enter at most ${String(issue.maximum)}.`;
    default:
      return undefined;
  }
};

function expected(type: string): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'an object';
    default:
      return type;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name from the file, in double quotes, cut short. */
function quoted(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}

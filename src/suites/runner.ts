/**
 * The suite engine: runs the steps of suites in order through the one write pipeline (each step is
 * an `operationPlan`, so a write to production is guarded and a lost answer is never sent twice),
 * checks each answer against the step's expectations, takes its captures, and always runs the
 * teardown (after a failure or a cancel too) with what was captured. On a production connection it
 * asks once, listing every write of the run, before anything is sent.
 *
 * It tells what happens as events (suite and step started, passed, failed, skipped, errored, with
 * timings) and answers with a results object; the CLI, the Testing view and `stcrm.runTests` only
 * render them. Plain Node: no vscode.
 */
import { performance } from 'node:perf_hooks';
import { operationParams, pathSegment } from '../api/client';
import { RequestValidationError } from '../api/errors';
import type { PathSegment } from '../api/fieldPath';
import type { RawExchange } from '../api/request';
import { CRM_OPERATIONS, type CrmOperation } from '../api/schemas/operations';
import type { RecordChange } from '../model/recordChanges';
import { runWrite, type PlannedCall, type WriteConfirmation, type WriteConnection, type WriteOutcome } from '../writes/engine';
import { operationPlan } from '../writes/recordPlans';
import { checkAnswer, type ExpectationKind, type ResolvedExpectations } from './expectations';
import { selectAll } from './jsonPath';
import type { SourceLocation } from './source';
import { stepParts, type ParsedSuite, type StepPhase, type Suite, type SuiteProblem, type SuiteStep } from './suiteFile';
import { defaultBuiltIns, resolveValue, type BuiltIns, type Scope, type TemplateProblem } from './templates';

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'errored';
export type SuiteStatus = 'passed' | 'failed' | 'errored' | 'skipped';

/** A step as the views name it. `id` is stable while the file's steps keep their order: `steps/2`, `teardown/0`. */
export interface StepInfo {
  id: string;
  phase: StepPhase;
  index: number;
  name: string;
  operation: string;
  location: SourceLocation;
}

export interface SuiteInfo {
  file: string;
  name: string;
}

/** An unmet expectation, at the expectation's place in the suite file. */
export interface StepFailure {
  expectation: ExpectationKind;
  message: string;
  expected: unknown;
  actual: unknown;
  location: SourceLocation;
}

/** Why a step could not be sent or finished: a bad value, a network error, an unmet capture. */
export interface StepError {
  message: string;
  location: SourceLocation;
}

/** The call a step made, as it went and came (redacted by the transport), for output. */
export interface StepExchange {
  method: string;
  url: string;
  status: number;
  /** The body sent, as JSON text, cut at 2,000 characters. */
  requestBody?: string;
  /** The answer's body, cut at 4,000 characters. */
  responseText: string;
  traceId?: string;
}

export interface StepResult extends StepInfo {
  status: StepStatus;
  durationMs: number;
  failures: StepFailure[];
  errors: StepError[];
  /** Why a skipped step did not run. */
  skipReason?: string;
  exchange?: StepExchange;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  errored: number;
}

export interface SuiteResult extends SuiteInfo, Counts {
  status: SuiteStatus;
  durationMs: number;
  location?: SourceLocation;
  steps: StepResult[];
  teardown: StepResult[];
  /** Problems of the file or of its setup (a sandbox that did not start): nothing of it ran. */
  problems: SuiteProblem[];
}

/** What a run answers: totals over every step of every suite (teardown steps included). */
export interface RunResults extends Counts {
  suites: SuiteResult[];
  /** The run was cancelled: the steps after the cancel were skipped, the teardown ran. */
  cancelled: boolean;
  /** The teardown was cancelled too (a second Ctrl-C): its steps from then on were skipped. */
  teardownCancelled: boolean;
  /** A production confirmation was declined: nothing was sent. */
  declined: boolean;
  durationMs: number;
}

export type SuiteEvent =
  | { type: 'suiteStarted'; suite: SuiteInfo; steps: StepInfo[]; teardown: StepInfo[] }
  | { type: 'suitePassed' | 'suiteFailed' | 'suiteErrored' | 'suiteSkipped'; suite: SuiteInfo; result: SuiteResult }
  | { type: 'stepStarted'; suite: SuiteInfo; step: StepInfo }
  | { type: 'stepPassed' | 'stepFailed' | 'stepSkipped' | 'stepErrored'; suite: SuiteInfo; step: StepInfo; result: StepResult };

export interface SuiteRunOptions {
  /** Variables of stcrm.env.json for the profile (see environmentFor); they win over the suite's `variables`. */
  environment?: ReadonlyMap<string, unknown>;
  /** Sources of `{{$env}}`, `{{$uuid}}`, the clock; tests replace them. */
  builtIns?: BuiltIns;
  /** Cancels the run: the step in flight is abandoned, the rest are skipped, the teardown still runs. */
  signal?: AbortSignal;
  /** Cancels the teardown too (a second Ctrl-C). */
  teardownSignal?: AbortSignal;
  /** Stop at the first failed or errored step: the rest of the run is skipped (teardown still runs). */
  bail?: boolean;
  /** Run only these indexes of `steps`, with the earlier steps whose captures they need (a CodeLens "Run Step"). */
  only?: ReadonlySet<number>;
  onEvent?(event: SuiteEvent): void;
  /** Asked once before anything is sent on a production connection, listing every write of the run. */
  confirm(confirmation: WriteConfirmation): Promise<boolean>;
  /** Record changes of the writes (the operation plans make none today); ignored by default. */
  publish?(change: RecordChange): Promise<void>;
  /** The caller has the user's yes to production writes already (the CLI's --allow-production-writes). */
  productionConfirmed?: boolean;
}

/** Where each suite's calls go: one connection for all, or one opened per suite (a fresh sandbox) and closed after it. */
export type SuiteConnections =
  { kind: 'shared'; connection: WriteConnection } | { kind: 'perSuite'; open(suite: Suite, signal?: AbortSignal): Promise<LeasedConnection> };

export interface LeasedConnection {
  connection: WriteConnection;
  close(): Promise<void>;
}

export interface SuiteInput {
  file: string;
  parsed: ParsedSuite;
  /** This suite's `only` (the Testing view runs one step of one suite and all of another); `options.only` otherwise. */
  only?: ReadonlySet<number>;
}

const REQUEST_BODY_SHOWN = 2_000;
const RESPONSE_SHOWN = 4_000;

/** The id of a step for the views: `steps/2`, `teardown/0`. */
export const stepId = (phase: StepPhase, index: number): string => `${phase}/${index}`;

/** Runs suites in order and answers with every result. Never throws for what a suite or the server does. */
export async function runSuites(inputs: readonly SuiteInput[], connections: SuiteConnections, options: SuiteRunOptions): Promise<RunResults> {
  const started = performance.now();
  const results: SuiteResult[] = [];
  const prepared = inputs.map((input) => (input.parsed.ok ? prepareSuite(input.parsed.suite, options) : undefined));
  const optionsOf = (input: SuiteInput): SuiteRunOptions => (input.only ? { ...options, only: input.only } : options);
  let confirmed = options.productionConfirmed === true;
  let declined = false;
  if (connections.kind === 'shared' && connections.connection.profile.production && !confirmed) {
    const calls = prepared.flatMap((suite, index) => {
      const input = inputs[index];
      return suite && input ? plannedWrites(suite, connections.connection, optionsOf(input).only) : [];
    });
    if (calls.length > 0) {
      const title = inputs.length === 1 && prepared[0] ? `Test suite "${prepared[0].suite.name}"` : `${inputs.length} test suites`;
      declined = !(await options.confirm({ title, profile: connections.connection.profile, calls }));
    }
    confirmed = !declined;
  }
  const state: RunState = { bailed: false };
  for (const [index, input] of inputs.entries()) {
    const suite = prepared[index];
    const suiteOptions = optionsOf(input);
    if (!input.parsed.ok || !suite) {
      results.push(invalidSuite(input.file, input.parsed.ok ? [] : input.parsed.problems, options));
      continue;
    }
    if (declined || state.bailed || options.signal?.aborted) {
      const why = declined
        ? 'The production confirmation was declined: nothing was sent.'
        : state.bailed
          ? 'Skipped: --bail stopped the run at the first failure.'
          : 'Skipped: the run was cancelled.';
      results.push(skippedSuite(suite, why, suiteOptions));
      continue;
    }
    if (connections.kind === 'shared') {
      results.push(await runPrepared(suite, connections.connection, { ...suiteOptions, productionConfirmed: confirmed }, state));
      continue;
    }
    let lease: LeasedConnection;
    try {
      lease = await connections.open(suite.suite, options.signal);
    } catch (error) {
      const location = suite.suite.sandbox ? suite.suite.source.locate(['sandbox']) : suite.suite.location;
      results.push(
        invalidSuite(
          suite.suite.file,
          [{ message: `Could not start its sandbox: ${messageOf(error)}`, path: ['sandbox'], location }],
          options,
          suite.suite.name,
        ),
      );
      continue;
    }
    try {
      results.push(await runPrepared(suite, lease.connection, suiteOptions, state));
    } finally {
      await lease.close().catch(() => undefined);
    }
  }
  return {
    ...total(results),
    suites: results,
    cancelled: options.signal?.aborted === true,
    teardownCancelled: options.teardownSignal?.aborted === true,
    declined,
    durationMs: performance.now() - started,
  };
}

/** Runs one suite on `connection`: asks first on production (unless `productionConfirmed`). */
export async function runSuite(suite: Suite, connection: WriteConnection, options: SuiteRunOptions): Promise<SuiteResult> {
  const results = await runSuites([{ file: suite.file, parsed: { ok: true, suite } }], { kind: 'shared', connection }, options);
  const [result] = results.suites;
  if (!result) throw new Error('runSuites answered without the suite.');
  return result;
}

/**
 * Every write the suites would send (GETs never ask), as the production confirmation lists them:
 * the URL and body with the variables known before the run written in, and the values only a
 * capture or a built-in gives shown as `{{name}}` / `{name}`.
 */
export function suiteWrites(
  suites: readonly Suite[],
  connection: WriteConnection,
  options: Pick<SuiteRunOptions, 'environment' | 'builtIns' | 'only'> = {},
): PlannedCall[] {
  return suites.flatMap((suite) => plannedWrites(prepareSuite(suite, options), connection, options.only));
}

// ---- one suite -------------------------------------------------------------------------------------

/** A suite with its variables set (once per run, so `{{$uuid}}` in a variable is one value throughout). */
interface PreparedSuite {
  suite: Suite;
  variables: Map<string, unknown>;
  /** Variables that could not be set, and why. */
  broken: Map<string, StepError>;
  environment: ReadonlyMap<string, unknown>;
  builtIns: BuiltIns;
}

interface RunState {
  bailed: boolean;
}

/** A capture's value and the step that took it. */
interface Captured {
  value: unknown;
  from: SuiteStep;
}

function prepareSuite(suite: Suite, options: Pick<SuiteRunOptions, 'environment' | 'builtIns'>): PreparedSuite {
  const environment = options.environment ?? new Map<string, unknown>();
  const builtIns = options.builtIns ?? defaultBuiltIns();
  const variables = new Map<string, unknown>();
  const broken = new Map<string, StepError>();
  for (const { name, value } of suite.variables) {
    // The environment's value wins: this one is not even worked out.
    if (environment.has(name)) continue;
    const scope: Scope = { lookup: (key) => lookupIn(key, environment, variables), builtIns };
    let resolved: ReturnType<typeof resolveValue>;
    try {
      resolved = resolveValue(value, scope);
    } catch (error) {
      // A built-in that throws breaks this variable (the steps using it error), not the run.
      resolved = { ok: false, problems: [{ path: [], message: `unexpected error: ${messageOf(error)}` }] };
    }
    if (resolved.ok) variables.set(name, resolved.value);
    else {
      const [problem] = resolved.problems;
      const path = ['variables', name, ...(problem?.path ?? [])];
      broken.set(name, { message: `{{${name}}} could not be set: ${problem?.message ?? 'unknown problem'}`, location: suite.source.locate(path) });
    }
  }
  return { suite, variables, broken, environment, builtIns };
}

function lookupIn(
  name: string,
  environment: ReadonlyMap<string, unknown>,
  variables: ReadonlyMap<string, unknown>,
  captures?: ReadonlyMap<string, Captured>,
): { value: unknown } | undefined {
  const captured = captures?.get(name);
  if (captured) return { value: captured.value };
  if (environment.has(name)) return { value: environment.get(name) };
  if (variables.has(name)) return { value: variables.get(name) };
  return undefined;
}

async function runPrepared(prepared: PreparedSuite, connection: WriteConnection, options: SuiteRunOptions, state: RunState): Promise<SuiteResult> {
  const { suite } = prepared;
  const started = performance.now();
  const info: SuiteInfo = { file: suite.file, name: suite.name };
  const selected = selectedSteps(suite, options.only);
  emit(options, { type: 'suiteStarted', suite: info, steps: selected.map(stepInfo), teardown: suite.teardown.map(stepInfo) });

  let productionConfirmed = options.productionConfirmed === true;
  let declined = false;
  if (connection.profile.production && !productionConfirmed) {
    const calls = plannedWrites(prepared, connection, options.only);
    if (calls.length > 0) declined = !(await options.confirm({ title: `Test suite "${suite.name}"`, profile: connection.profile, calls }));
    productionConfirmed = !declined;
  }

  const context: StepContext = { prepared, connection, options, captures: new Map(), productionConfirmed, suite: info };
  /** The step that last captured each name so far: whether it passed decides whether a later step can run. */
  const capturedBy = new Map<string, StepResult>();
  const steps: StepResult[] = [];
  for (const step of selected) {
    let skip: string | undefined;
    if (declined) skip = 'The production confirmation was declined: nothing was sent.';
    else if (options.signal?.aborted) skip = 'Skipped: the run was cancelled.';
    else if (state.bailed) skip = 'Skipped: --bail stopped the run at the first failure.';
    else skip = missingCapture(step, capturedBy);
    const result = skip !== undefined ? skipped(context, step, skip) : await runStep(context, step, options.signal);
    steps.push(result);
    for (const { name } of step.capture) capturedBy.set(name, result);
    if (options.bail && (result.status === 'failed' || result.status === 'errored')) state.bailed = true;
  }

  // The teardown always runs (a cancel or a bail included), with whatever was captured.
  const teardown: StepResult[] = [];
  for (const step of suite.teardown) {
    const missing = [...step.uses].find(
      (name) => !context.captures.has(name) && isCaptureName(suite, name) && lookupIn(name, prepared.environment, prepared.variables) === undefined,
    );
    let skip: string | undefined;
    if (declined) skip = 'The production confirmation was declined: nothing was sent.';
    else if (options.teardownSignal?.aborted) skip = 'Skipped: the teardown was cancelled.';
    else if (missing !== undefined) skip = `Skipped: needs {{${missing}}}, which was not captured.`;
    teardown.push(skip !== undefined ? skipped(context, step, skip) : await runStep(context, step, options.teardownSignal));
  }

  const counts = total([{ steps, teardown }]);
  const status: SuiteStatus = counts.failed > 0 ? 'failed' : counts.errored > 0 ? 'errored' : counts.passed > 0 ? 'passed' : 'skipped';
  const result: SuiteResult = { ...info, ...counts, status, location: suite.location, durationMs: performance.now() - started, steps, teardown, problems: [] };
  emit(options, { type: suiteEventType(status), suite: info, result });
  return result;
}

/** The steps a run takes: all, or those of `only` with the earlier steps whose captures they need. */
function selectedSteps(suite: Suite, only: ReadonlySet<number> | undefined): SuiteStep[] {
  if (!only) return [...suite.steps];
  const wanted = new Set<number>();
  const need = (index: number): void => {
    const step = suite.steps[index];
    if (!step || wanted.has(index)) return;
    wanted.add(index);
    for (const name of step.uses) {
      for (let i = index - 1; i >= 0; i--) {
        if (suite.steps[i]?.capture.some((capture) => capture.name === name)) {
          need(i);
          break;
        }
      }
    }
  };
  for (const index of only) need(index);
  return suite.steps.filter((step) => wanted.has(step.index));
}

/** Why `step` cannot run: a name it uses was last captured by a step that did not pass. */
function missingCapture(step: SuiteStep, capturedBy: ReadonlyMap<string, StepResult>): string | undefined {
  for (const name of step.uses) {
    const maker = capturedBy.get(name);
    if (!maker || maker.status === 'passed') continue;
    const how = maker.status === 'skipped' ? 'was skipped' : maker.status === 'failed' ? 'failed' : 'had an error';
    return `Skipped: needs {{${name}}}, captured by "${maker.name}", which ${how}.`;
  }
  return undefined;
}

function isCaptureName(suite: Suite, name: string): boolean {
  return [...suite.steps, ...suite.teardown].some((step) => step.capture.some((capture) => capture.name === name));
}

// ---- one step --------------------------------------------------------------------------------------

interface StepContext {
  prepared: PreparedSuite;
  connection: WriteConnection;
  options: SuiteRunOptions;
  captures: Map<string, Captured>;
  productionConfirmed: boolean;
  suite: SuiteInfo;
}

/**
 * Runs one step. Whatever goes wrong inside it (a built-in, a check, a bug) is that step's error:
 * never an exception out of the run, so the teardown, the summary and the JUnit report still come.
 */
async function runStep(context: StepContext, step: SuiteStep, signal: AbortSignal | undefined): Promise<StepResult> {
  const info = stepInfo(step);
  emit(context.options, { type: 'stepStarted', suite: context.suite, step: info });
  const started = performance.now();
  const finish = (status: StepStatus, rest: Partial<StepResult> = {}): StepResult => {
    const result: StepResult = { ...info, status, durationMs: performance.now() - started, failures: [], errors: [], ...rest };
    emit(context.options, { type: stepEventType(status), suite: context.suite, step: info, result });
    return result;
  };
  try {
    return await stepOutcome(context, step, signal, finish);
  } catch (error) {
    return finish('errored', { errors: [{ message: `Unexpected error in this step: ${messageOf(error)}`, location: step.location }] });
  }
}

async function stepOutcome(
  context: StepContext,
  step: SuiteStep,
  signal: AbortSignal | undefined,
  finish: (status: StepStatus, rest?: Partial<StepResult>) => StepResult,
): Promise<StepResult> {
  const { prepared, options } = context;
  const source = prepared.suite.source;
  const at = (path: readonly PathSegment[]): SourceLocation => source.locate([...step.at, ...path]);

  // Every reference first: a step with an unknown name is not sent.
  const scope: Scope = { lookup: (name) => lookupIn(name, prepared.environment, prepared.variables, context.captures), builtIns: prepared.builtIns };
  const errors: StepError[] = [];
  const resolved = new Map<string, unknown>();
  for (const part of stepParts(step)) {
    const value = resolveValue(part.value, scope);
    if (value.ok) resolved.set(part.at.join('\u0000'), value.value);
    else errors.push(...value.problems.map((problem) => templateError(problem, [...part.at, ...problem.path], prepared, at)));
  }
  // The same problem twice in a step ({{$env X}} in two places) is said once, at its first place.
  if (errors.length > 0)
    return finish('errored', { errors: errors.filter((error, index) => errors.findIndex((other) => other.message === error.message) === index) });
  const get = (...path: PathSegment[]): unknown => resolved.get(path.join('\u0000'));

  const op: CrmOperation = CRM_OPERATIONS[step.operation];
  const input = { path: get('path') as Record<string, unknown>, query: get('query') as Record<string, unknown>, ...(step.body ? { body: get('body') } : {}) };
  const outcome: WriteOutcome<RawExchange<unknown>> = await runWrite(
    context.connection,
    operationPlan(step.operation, input, { unchecked: !step.check }),
    {
      // Asked only when a write reaches production without the run's yes: runSuites asked already.
      confirm: (confirmation) => options.confirm(confirmation),
      publish: (change) => options.publish?.(change) ?? Promise.resolve(),
    },
    { productionConfirmed: context.productionConfirmed, signal },
  );
  if (outcome.status !== 'done') return finish('errored', { errors: outcomeErrors(outcome, at) });

  const exchange = outcome.result;
  const errorsOf = step.expect.problem?.errors;
  const expect: ResolvedExpectations = {
    status: step.expect.status,
    schema: step.expect.schema,
    body: step.expect.body ? { value: get('expect', 'body') } : undefined,
    paths: step.expect.paths.map(({ expression }) => ({ expression, expected: get('expect', 'paths', expression) })),
    problem: step.expect.problem && {
      title: step.expect.problem.title === undefined ? undefined : get('expect', 'problem', 'title'),
      errors:
        errorsOf?.kind === 'messages'
          ? { kind: 'messages', messages: errorsOf.messages.map(({ key }) => ({ key, contains: get('expect', 'problem', 'errors', key) })) }
          : errorsOf,
    },
  };
  // An answer that could not be read (not JSON, nested too deep) is said once, as the step's error,
  // instead of as a mismatch of every body expectation and capture.
  const unreadable = exchange.jsonError !== undefined && (expect.body !== undefined || expect.paths.length > 0 || step.capture.length > 0);
  if (unreadable) {
    errors.push({ message: `The answer cannot be checked: ${exchange.jsonError ?? ''}`, location: at([]) });
    expect.body = undefined;
    expect.paths = [];
  }
  const failures = checkAnswer(expect, exchange, operationParams(op), op.response.definition ?? `of ${op.operationId}`).map((failure) => ({
    expectation: failure.expectation,
    message: failure.message,
    expected: failure.expected,
    actual: failure.actual,
    location: at(failure.path),
  }));

  for (const { name, expression } of unreadable ? [] : step.capture) {
    const found = selectAll(exchange.json, expression);
    const [value] = found;
    if (found.length === 1) context.captures.set(name, { value, from: step });
    else {
      const why =
        found.length === 0
          ? `${expression} selects nothing in the answer (status ${exchange.status})`
          : `${expression} selects ${found.length} values; make it select one, like $.data[0].id`;
      errors.push({ message: `Capture ${name}: ${why}.`, location: at(['capture', name]) });
    }
  }
  const summary: StepExchange = {
    method: exchange.method,
    url: exchange.url,
    status: exchange.status,
    responseText: clip(exchange.text, RESPONSE_SHOWN),
    ...(input.body !== undefined ? { requestBody: clip(JSON.stringify(input.body) ?? '', REQUEST_BODY_SHOWN) } : {}),
    ...(exchange.problem?.traceId ? { traceId: exchange.problem.traceId } : {}),
  };
  // An unmet expectation is a failure; a capture that found nothing after a good answer is an error.
  const status: StepStatus = failures.length > 0 ? 'failed' : errors.length > 0 ? 'errored' : 'passed';
  return finish(status, { failures, errors, exchange: summary });
}

/** A reference that could not be resolved; a variable that could not be set says why, at its own place. */
function templateError(
  problem: TemplateProblem,
  path: PathSegment[],
  prepared: PreparedSuite,
  at: (path: readonly PathSegment[]) => SourceLocation,
): StepError {
  const broken = problem.missing !== undefined ? prepared.broken.get(problem.missing) : undefined;
  return broken ?? { message: problem.message, location: at(path) };
}

/** Why a step's write did not answer: the client's refusal on each field, or the failure. */
function outcomeErrors(outcome: Exclude<WriteOutcome<unknown>, { status: 'done' }>, at: (path: readonly PathSegment[]) => SourceLocation): StepError[] {
  switch (outcome.status) {
    case 'declined':
      return [{ message: 'The production confirmation was declined: the step was not sent.', location: at([]) }];
    case 'maybeCreated': {
      const found = outcome.candidates.length;
      const lookup = outcome.lookupError
        ? ` Looking for it failed: ${outcome.lookupError}`
        : found > 0
          ? ` ${found} record${found === 1 ? '' : 's'} that may be it exist now; check before running again.`
          : '';
      return [
        {
          message: `The answer was lost (${outcome.lost.reason}): the record may have been created, so the step is not sent again.${lookup}`,
          location: at([]),
        },
      ];
    }
    case 'failed':
      if (outcome.error instanceof RequestValidationError) {
        return outcome.error.issues.map((issue) => ({
          message: `Not sent: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`,
          location: at([issue.location, ...issue.path]),
        }));
      }
      return [{ message: messageOf(outcome.error), location: at([]) }];
  }
}

function skipped(context: StepContext, step: SuiteStep, reason: string): StepResult {
  const info = stepInfo(step);
  const result: StepResult = { ...info, status: 'skipped', durationMs: 0, failures: [], errors: [], skipReason: reason };
  emit(context.options, { type: 'stepSkipped', suite: context.suite, step: info, result });
  return result;
}

// ---- the confirmation's list -----------------------------------------------------------------------

function plannedWrites(prepared: PreparedSuite, connection: WriteConnection, only: ReadonlySet<number> | undefined): PlannedCall[] {
  const { suite } = prepared;
  const scope: Scope = { lookup: (name) => lookupIn(name, prepared.environment, prepared.variables), builtIns: prepared.builtIns };
  const calls: PlannedCall[] = [];
  for (const step of [...selectedSteps(suite, only), ...suite.teardown]) {
    const op: CrmOperation = CRM_OPERATIONS[step.operation];
    if (op.method === 'GET') continue;
    const preview = (value: unknown): unknown => {
      const resolved = resolveValue(value, scope, { partial: true });
      return resolved.ok ? resolved.value : value;
    };
    let path = op.path;
    for (const name of Object.keys(op.pathParams)) {
      const value = preview(step.path[name]);
      const segment = typeof value === 'string' || typeof value === 'number' ? pathSegment(String(value)) : undefined;
      // A value only a capture gives (or one no URL can carry) stays the placeholder.
      if (segment?.ok && !String(value).includes('{{')) path = path.replace(`{${name}}`, () => segment.segment);
    }
    const body = step.body ? preview(step.body.value) : undefined;
    const query = preview(step.query) as Record<string, never>;
    const wire = connection.describe({ operationId: op.operationId, method: op.method, path, query, body, response: op.response.schema });
    const label = `${suite.name}: ${step.phase === 'teardown' ? 'teardown: ' : ''}${step.name}`;
    calls.push({
      label,
      operationId: op.operationId,
      method: wire.method,
      url: wire.url.replace(/%7B%7B(.*?)%7D%7D/g, (_, inner: string) => `{{${safeDecode(inner)}}}`),
      body: wire.body,
    });
  }
  return calls;
}

// ---- plumbing ------------------------------------------------------------------------------------

function stepInfo(step: SuiteStep): StepInfo {
  return { id: stepId(step.phase, step.index), phase: step.phase, index: step.index, name: step.name, operation: step.operation, location: step.location };
}

function invalidSuite(file: string, problems: SuiteProblem[], options: SuiteRunOptions, name = file): SuiteResult {
  const result: SuiteResult = {
    file,
    name,
    status: 'errored',
    durationMs: 0,
    steps: [],
    teardown: [],
    problems,
    passed: 0,
    failed: 0,
    skipped: 0,
    errored: 0,
    location: problems[0]?.location,
  };
  emit(options, { type: 'suiteErrored', suite: { file, name }, result });
  return result;
}

function skippedSuite(prepared: PreparedSuite, reason: string, options: SuiteRunOptions): SuiteResult {
  const { suite } = prepared;
  const info: SuiteInfo = { file: suite.file, name: suite.name };
  const skip = (step: SuiteStep): StepResult => ({ ...stepInfo(step), status: 'skipped', durationMs: 0, failures: [], errors: [], skipReason: reason });
  const steps = selectedSteps(suite, options.only).map(skip);
  const teardown = suite.teardown.map(skip);
  const result: SuiteResult = {
    ...info,
    ...total([{ steps, teardown }]),
    status: 'skipped',
    durationMs: 0,
    location: suite.location,
    steps,
    teardown,
    problems: [],
  };
  emit(options, { type: 'suiteSkipped', suite: info, result });
  return result;
}

function total(suites: readonly { steps: readonly StepResult[]; teardown: readonly StepResult[] }[]): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, errored: 0 };
  for (const suite of suites) for (const step of [...suite.steps, ...suite.teardown]) counts[step.status]++;
  return counts;
}

function emit(options: SuiteRunOptions, event: SuiteEvent): void {
  try {
    options.onEvent?.(event);
  } catch {
    // A listener that throws must not stop the run (nor skip its teardown).
  }
}

const stepEventType = (status: StepStatus): 'stepPassed' | 'stepFailed' | 'stepSkipped' | 'stepErrored' =>
  status === 'passed' ? 'stepPassed' : status === 'failed' ? 'stepFailed' : status === 'skipped' ? 'stepSkipped' : 'stepErrored';

const suiteEventType = (status: SuiteStatus): 'suitePassed' | 'suiteFailed' | 'suiteErrored' | 'suiteSkipped' =>
  status === 'passed' ? 'suitePassed' : status === 'failed' ? 'suiteFailed' : status === 'skipped' ? 'suiteSkipped' : 'suiteErrored';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

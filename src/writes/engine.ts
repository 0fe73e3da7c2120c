/**
 * The one write pipeline. Every change to CRM records, from any surface, runs here:
 *
 *   validate every pending step → confirm (production, or the caller's own question) → send the
 *   steps in order, skipping those already done → after a lost answer, look for what the create
 *   made → publish each record change.
 *
 * The surfaces only collect values and build a plan (plan.ts); how a yes is asked for and where
 * record changes go are hooks, so this module runs in plain Node (tests, the CLI, agent tools).
 */
import type { CrmClient, OperationInput } from '../api/client';
import type { RequestDescription } from '../api/curl';
import { isOutcomeUnknown } from '../api/errors';
import { findPossiblyCreated, isRecoverable, type RecoverableOperationId, type RecoveryCandidate } from '../api/recovery';
import type { CrmRequest } from '../api/request';
import type { RecordChange } from '../model/recordChanges';
import { isStepRef, type AnyWriteStep, type DoneStep, type StepInput, type WritePlan, type WriteProgress } from './plan';

/** The profile a write goes to, as the confirmation names it. */
export interface WriteProfile {
  id: string;
  name: string;
  tenant: string;
  /** Production, or a Custom URL profile marked as production: every write asks first. */
  production: boolean;
}

/**
 * The profile and the client of one write, read once: the guard decides on the very profile
 * whose client sends.
 */
export interface WriteConnection {
  profile: WriteProfile;
  client: CrmClient;
  /** The request as it goes on the wire (full URL, body), redacted: what a confirmation shows. */
  describe(request: CrmRequest<unknown>): RequestDescription;
}

/** A question the caller wants asked before anything is sent (Delete asks even off production). */
export interface WriteQuestion {
  message: string;
  detail?: string;
  /** The button that means yes: "Delete". */
  button: string;
}

/** One call a confirmation lists. */
export interface PlannedCall {
  label: string;
  operationId: string;
  method: string;
  /** The full URL as it will be sent; ids an earlier step makes show as `{name}`. */
  url: string;
  body?: string;
}

export interface WriteConfirmation {
  title: string;
  profile: WriteProfile;
  question?: WriteQuestion;
  calls: PlannedCall[];
}

export interface WriteHooks {
  /** Asked once before anything is sent, when the profile is production or the caller has a question. */
  confirm(confirmation: WriteConfirmation): Promise<boolean>;
  publish(change: RecordChange): Promise<void>;
  /** Told which step is being sent now (progress text). */
  onStep?(label: string): void;
  /** A done step's record change could not be made or shown. */
  onChangeError?(error: unknown): void;
}

/** After "may have been created": take a record found instead of sending the step, or send it anyway. */
export type Resolution = { use: unknown } | { createAnyway: true };

export interface RunOptions {
  /** What earlier runs of this write did; updated in place as steps finish. */
  progress?: WriteProgress;
  /** Applies to the first step not done yet. */
  resolution?: Resolution;
  /** A script said yes to production writes in its argument object. */
  productionConfirmed?: boolean;
  question?: WriteQuestion;
  signal?: AbortSignal;
}

/** The step a write stopped at. */
export interface StoppedAt {
  key: string;
  label: string;
  operationId: string;
  base: readonly (string | number)[];
}

/** A create that was sent but whose answer never came: what to look for. */
export interface LostCreate {
  step: StoppedAt;
  operationId: RecoverableOperationId;
  input: OperationInput;
  since: Date;
  /** Why the answer was lost, in words. */
  reason: string;
}

export type WriteOutcome<R> =
  | { status: 'done'; result: R; progress: WriteProgress }
  /** The confirmation was declined: nothing was sent. */
  | { status: 'declined'; progress: WriteProgress }
  | { status: 'failed'; step: StoppedAt; error: unknown; progress: WriteProgress; done?: string }
  | {
      status: 'maybeCreated';
      step: StoppedAt;
      lost: LostCreate;
      candidates: RecoveryCandidate<unknown>[];
      /** Set when looking failed: that found nothing because it could not look. */
      lookupError?: string;
      progress: WriteProgress;
      done?: string;
    };

/** Runs a write plan; see the module comment for the order of things. */
export async function runWrite<R>(connection: WriteConnection, plan: WritePlan<R>, hooks: WriteHooks, options: RunOptions = {}): Promise<WriteOutcome<R>> {
  const progress = options.progress ?? new Map<string, DoneStep>();
  const pending = plan.steps.filter((step) => !progress.has(step.key));
  let resolution = options.resolution;
  const using = resolution !== undefined && 'use' in resolution ? pending[0] : undefined;

  // Validate every call before the first is sent, so a bad row stops the write before it starts.
  const planned = plannedCalls(connection, plan, progress, using);
  if (!planned.ok) return { status: 'failed', step: planned.step, error: planned.error, progress, done: plan.describeDone?.(progress) };
  const calls = planned.calls;

  // Reads never ask (a request file may GET); a caller's own question always does.
  const changes = calls.some((call) => call.method !== 'GET');
  const mustAsk = options.question !== undefined || (changes && connection.profile.production && options.productionConfirmed !== true);
  if (mustAsk && calls.length > 0) {
    const yes = await hooks.confirm({ title: plan.title, profile: connection.profile, question: options.question, calls });
    if (!yes) return { status: 'declined', progress };
  }

  const results = new Map<string, unknown>();
  for (const step of pending) {
    hooks.onStep?.(step.label);
    const input = resolveInput(step.input, progress);
    let result: unknown;
    if (resolution !== undefined && 'use' in resolution) {
      result = resolution.use;
    } else {
      const since = new Date();
      try {
        result = await send(connection.client, step, input, options.signal);
      } catch (error) {
        const done = plan.describeDone?.(progress);
        if (isOutcomeUnknown(error) && isRecoverable(step.operationId)) {
          const lost: LostCreate = { step: stoppedAt(step), operationId: step.operationId, input, since, reason: error.message };
          return { status: 'maybeCreated', ...(await lookForLostCreate(connection.client, lost, options.signal)), step: lost.step, lost, progress, done };
        }
        return { status: 'failed', step: stoppedAt(step), error, progress, done };
      }
    }
    resolution = undefined;
    progress.set(step.key, doneOf(step, result));
    results.set(step.key, result);
    try {
      const change = await step.change?.({ result: result, progress, results, client: connection.client, signal: options.signal });
      if (change) await hooks.publish(change);
    } catch (error) {
      // The step is done: failing to show it (a read for the tree) must not fail the write.
      hooks.onChangeError?.(error);
    }
  }
  return { status: 'done', result: plan.finish({ progress, results }), progress };
}

/**
 * The calls a plan sends now (steps done in `progress` left out, and `skip`), each checked and as
 * it goes on the wire, or the first step whose input does not fit: what the confirmation lists.
 * For surfaces that ask in their own way before running the plan (an agent tool's confirmation).
 */
export function plannedCalls<R>(
  connection: WriteConnection,
  plan: WritePlan<R>,
  progress: ReadonlyMap<string, DoneStep> = new Map(),
  skip?: AnyWriteStep,
): { ok: true; calls: PlannedCall[] } | { ok: false; step: StoppedAt; error: unknown } {
  const calls: PlannedCall[] = [];
  for (const step of plan.steps) {
    if (progress.has(step.key) || step === skip) continue;
    try {
      calls.push(plannedCall(connection, step, progress));
    } catch (error) {
      return { ok: false, step: stoppedAt(step), error };
    }
  }
  return { ok: true, calls };
}

/**
 * What a create with a lost answer may have made. Until the user picks one or says "create it
 * anyway", a surface looks again rather than sending the create a second time.
 */
export async function lookForLostCreate(
  client: CrmClient,
  lost: LostCreate,
  signal?: AbortSignal,
): Promise<{ candidates: RecoveryCandidate<unknown>[]; lookupError?: string }> {
  try {
    return { candidates: await findPossiblyCreated(client, lost.operationId, lost.input, { since: lost.since, signal }) };
  } catch (error) {
    return { candidates: [], lookupError: error instanceof Error ? error.message : String(error) };
  }
}

function send(client: CrmClient, step: AnyWriteStep, input: OperationInput, signal: AbortSignal | undefined): Promise<unknown> {
  // The plan's input is checked against the operation's schemas by the client before it is sent.
  if (step.unchecked) return client.callUnchecked(step.operationId, input, { signal });
  if (step.raw) return client.callRaw(step.operationId, input as never, { signal });
  return client.call(step.operationId, input as never, { signal });
}

/** The call as it will go out, checked; path values an earlier step makes stay `{name}`. */
function plannedCall(connection: WriteConnection, step: AnyWriteStep, progress: ReadonlyMap<string, DoneStep>): PlannedCall {
  const unknown = new Set<string>();
  const path: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(step.input.path ?? {})) {
    if (isStepRef(value) && !progress.has(value.ref)) unknown.add(name);
    else path[name] = isStepRef(value) ? progress.get(value.ref)?.id : value;
  }
  const input = { ...step.input, path };
  const request = step.unchecked
    ? connection.client.previewUnchecked(step.operationId, input, unknown)
    : connection.client.preview(step.operationId, input, unknown);
  const wire = connection.describe(request);
  return { label: step.label, operationId: step.operationId, method: wire.method, url: wire.url, body: wire.body };
}

function resolveInput(input: StepInput, progress: ReadonlyMap<string, DoneStep>): OperationInput {
  if (!input.path) return input;
  const path: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.path)) {
    if (!isStepRef(value)) {
      path[name] = value;
      continue;
    }
    const done = progress.get(value.ref);
    // A plan whose steps refer forward is a bug in the plan, not bad input.
    if (!done) throw new Error(`Step input refers to "${value.ref}", which is not done yet.`);
    path[name] = done.id;
  }
  return { ...input, path };
}

function doneOf(step: AnyWriteStep, result: unknown): DoneStep {
  if (step.done) return step.done(result);
  const id = typeof result === 'object' && result !== null && 'id' in result ? String(result.id) : '';
  return { id, label: step.label };
}

function stoppedAt(step: AnyWriteStep): StoppedAt {
  return { key: step.key, label: step.label, operationId: step.operationId, base: step.base ?? [] };
}

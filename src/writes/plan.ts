/**
 * A write as data: the CRM calls it makes, in order, each a named step. Every surface that
 * changes records (forms, quick inputs, argument objects, deletes, request files) builds one of
 * these and hands it to the engine (engine.ts), which validates, asks, sends, resumes and
 * publishes the same way for all of them. No vscode import.
 */
import type { CrmClient, OperationResult } from '../api/client';
import type { PathSegment } from '../api/fieldPath';
import type { CrmOperationId } from '../api/schemas/operations';
import type { RecordChange } from '../model/recordChanges';

/** A path value an earlier step of the same write makes: the new contact's id for its methods. */
export interface StepRef {
  readonly ref: string;
}

/** The id of what step `key` made (or found), once it is done. */
export const idOf = (key: string): StepRef => ({ ref: key });

export function isStepRef(value: unknown): value is StepRef {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { ref?: unknown }).ref === 'string';
}

/** Path values (some possibly from earlier steps), query and body of one call. */
export interface StepInput {
  path?: Record<string, unknown>;
  query?: object;
  body?: unknown;
}

/** What a finished step leaves behind: enough to resume a write and to refer to its record. */
export interface DoneStep {
  id: string;
  /** The record in a few words ("Kim Lee", "Email kim@example.com"), for messages. */
  label: string;
}

/** Steps done so far, by key. A Map, so no key a page or a file chose can meet a prototype member. */
export type WriteProgress = Map<string, DoneStep>;

/** What a step's hooks may look at once it is done. */
export interface StepContext<R> {
  /** The answer (or the record found after a lost answer and chosen by the user). */
  result: R;
  progress: ReadonlyMap<string, DoneStep>;
  /** Answers of the steps sent in this run (a resumed write has not all of them). */
  results: ReadonlyMap<string, unknown>;
  client: CrmClient;
  signal?: AbortSignal;
}

export interface WriteStep<K extends CrmOperationId = CrmOperationId> {
  /** Unique within the plan and stable across runs: resuming skips the keys in the progress. */
  key: string;
  /** What the step does, in the present tense: "Creating the contact". */
  label: string;
  operationId: K;
  input: StepInput;
  /** Where the step's body sits in the caller's payload, for field errors (`['contactMethods', 1]`). */
  base?: PathSegment[];
  /** The answer as it is: any status, a wrong shape shown rather than thrown (request files). */
  raw?: boolean;
  /** Sent as written, not checked by the request schemas (a suite step's `"check": false`); implies `raw`. */
  unchecked?: boolean;
  /** What the step made; by default the answer's `id` and the step's label. */
  done?(result: OperationResult<K>): DoneStep;
  /** The record change to publish once the step is done, so the views show it. */
  change?(context: StepContext<OperationResult<K>>): RecordChange | undefined | Promise<RecordChange | undefined>;
}

/** A step with its types erased, as the engine holds it. */
export type AnyWriteStep = WriteStep<CrmOperationId>;

/** Declares a step with its result typed from the operation table. */
export function writeStep<K extends CrmOperationId>(step: WriteStep<K>): AnyWriteStep {
  return step;
}

export interface WritePlan<R> {
  /** What the write is called in confirmations and messages: "New Contact", "Delete Contact". */
  title: string;
  steps: readonly AnyWriteStep[];
  /** The write's result once every step is done. */
  finish(context: { progress: ReadonlyMap<string, DoneStep>; results: ReadonlyMap<string, unknown> }): R;
  /** What is done already, in words, after a step failed ("created Kim Lee, linked it to customer #3"). */
  describeDone?(progress: ReadonlyMap<string, DoneStep>): string | undefined;
}

/** The same plan with its result turned into another (a surface's own wording of it). */
export function mapResult<R, S>(plan: WritePlan<R>, map: (result: R) => S): WritePlan<S> {
  return { ...plan, finish: (context) => map(plan.finish(context)) };
}

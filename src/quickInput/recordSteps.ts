import * as vscode from 'vscode';
import type * as z from 'zod';
import { ProblemError } from '../api/errors';
import { UserCancelled } from '../common/commands';
import { sameSegments } from '../api/fieldPath';
import { CONTACT_TYPES, validateRequest, type ContactType } from '../api/schemas';
import type { Log } from '../common/log';
import { notifyProblem } from '../common/notifications';
import { MultiStepInput, type Step } from './multiStepInput';
import { CONTACT_TYPE_LABELS } from '../model/entities';
import { describeCandidates } from '../writes/candidates';
import type { Resolution, WriteOutcome } from '../writes/engine';
import type { WritePlan, WriteProgress } from '../writes/plan';
import { resultOf, type WritePipeline } from '../records/writePipeline';

/** A server complaint about one field, shown on that field when the form reopens. */
export interface FieldNotice {
  /** The top-level body field as the server spelled it (`Value`); matched case-insensitively. */
  field: string;
  message: string;
}

/** Text fields of a quick form; every value is kept as typed, so a reopened form shows it again. */
export type Draft = Record<string, string | undefined>;

export interface TextField {
  key: string;
  prompt: string;
  placeholder?: string;
  optional?: boolean;
}

/**
 * The problem the request schema finds with one field of the body this draft would send, so
 * the input validates while typing with the client's own rules (nothing hand-written twice).
 */
export function schemaProblem(schema: z.ZodType, body: object, field: string): string | undefined {
  const result = validateRequest(schema, body);
  if (result.ok) return undefined;
  return result.issues.find((issue) => issue.path.length > 0 && sameSegments(issue.path.slice(0, 1), [field]))?.message;
}

/** Drops empty optional text fields, as the API wants them left out rather than sent empty. */
export function bodyOf(draft: Draft, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = draft[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/** Steps for text fields, each validated against the whole body the draft would make. */
export function textSteps(title: string, fields: readonly TextField[], draft: Draft, problem: (draft: Draft, key: string) => string | undefined, notice?: FieldNotice): Step[] {
  const steps: Step[] = [];
  fields.forEach((field, index) => {
    steps.push(async (input: MultiStepInput) => {
      const value = await input.showText({
        title,
        prompt: field.optional ? `${field.prompt} (optional: press Enter to leave it out)` : field.prompt,
        placeholder: field.placeholder,
        value: draft[field.key],
        notice: notice && sameSegments([notice.field], [field.key]) ? notice.message : undefined,
        validate: (text) => problem({ ...draft, [field.key]: text }, field.key),
      });
      draft[field.key] = value;
      return steps[index + 1];
    });
  });
  return steps;
}

interface TypeItem extends vscode.QuickPickItem {
  type: ContactType;
}

/** A step that picks Phone / MobilePhone / Email / Fax. */
export function contactTypeStep(title: string, draft: Draft, next: () => Step | undefined): Step {
  return async (input) => {
    const items: TypeItem[] = CONTACT_TYPES.map((type) => ({ type, label: CONTACT_TYPE_LABELS[type], description: type }));
    const chosen = await input.showPick({ title, placeholder: 'What kind of contact?', items, active: items.find((item) => item.type === draft.type) });
    draft.type = chosen.type;
    return next();
  };
}

/**
 * Collects, writes through the pipeline, and when the server rejects the input (400/409/422
 * problem details) says which field, what and the trace ID, then reopens the input with
 * everything typed so far. Steps already done are not sent again (a New Contact whose link
 * failed continues with the link), and a lost answer is looked for instead of sent twice.
 */
export async function collectAndSubmit<R>(options: {
  noun: string;
  draft: Draft;
  log: Log;
  writes: WritePipeline;
  /** The profile the input was opened for: a write never goes to another one. */
  profileId: string;
  collect: (draft: Draft, notice: FieldNotice | undefined) => Promise<void>;
  plan: (draft: Draft) => WritePlan<R>;
  progressTitle: (draft: Draft) => string;
}): Promise<R> {
  let notice: FieldNotice | undefined;
  let collect = true;
  let resolution: Resolution | undefined;
  const progress: WriteProgress = new Map();
  for (;;) {
    if (collect) await options.collect(options.draft, notice);
    collect = true;
    const connection = await options.writes.connection(options.profileId);
    const outcome = await options.writes.runWithProgress(options.plan(options.draft), { connection, progress, resolution, progressTitle: options.progressTitle(options.draft) });
    resolution = undefined;
    if (outcome.status === 'maybeCreated') {
      resolution = await askAboutLostAnswer(options.noun, outcome, options.log);
      collect = false;
      continue;
    }
    if (outcome.status !== 'failed') return resultOf(outcome);
    const error = outcome.error;
    if (!(error instanceof ProblemError) || (error.status !== 400 && error.status !== 409 && error.status !== 422)) return resultOf(outcome);
    const first = error.fieldErrors[0];
    // A field of the input is a top-level body property; `Contacts[1].Value` belongs to `Contacts`.
    const top = first?.location === 'body' ? first.path[0] : undefined;
    notice = first && typeof top === 'string' ? { field: top, message: `ServiceTitan: ${first.message}` } : undefined;
    const what = first ? `${first.field}: ${first.message}` : error.message;
    const trace = error.traceId ? ` (trace ID ${error.traceId})` : '';
    const done = outcome.done ? ` ${outcome.done}` : '';
    options.log.warn(`ServiceTitan rejected the ${options.noun}: ${what}${trace}`);
    void notifyProblem(options.log, 'error', `ServiceTitan rejected the ${options.noun}. ${what}${trace}. The input is open again with what you typed.${done}`);
  }
}

/**
 * The create was sent but its answer was lost: say what it may have made and ask, rather than
 * sending it a second time. Cancel (or Escape) keeps nothing open; the record may exist.
 */
async function askAboutLostAnswer(noun: string, outcome: Extract<WriteOutcome<unknown>, { status: 'maybeCreated' }>, log: Log): Promise<Resolution> {
  log.warn(`The answer to the new ${noun} was lost: ${outcome.lost.reason}`);
  if (outcome.lookupError) log.warn(`Looking for the ${noun} that may have been created failed: ${outcome.lookupError}`);
  const found = describeCandidates(outcome.candidates);
  const first = found[0];
  // A lookup that failed found nothing because it could not look: that is not "nothing made".
  const detail = first
    ? `Found ${found.length === 1 ? 'one that matches' : `${found.length} that match`}: ${first.label} (${first.detail}).`
    : outcome.lookupError
      ? `Could not check whether it was created (${outcome.lookupError}). Check ServiceTitan before you create it again.`
      : 'Nothing matching was found (yet). Check ServiceTitan before you create it again.';
  const buttons = first ? ['Use It', 'Create Another'] : ['Create It Anyway'];
  const choice = await vscode.window.showWarningMessage(`The ${noun} may have been created: ${outcome.lost.reason}`, { modal: true, detail: log.clean(detail) }, ...buttons);
  if (choice === 'Use It' && first) return { use: first.record };
  if (choice === 'Create Another' || choice === 'Create It Anyway') return { createAnyway: true };
  throw new UserCancelled();
}

/** Runs steps in order with Back support. */
export function runSteps(first: Step | undefined, total: number): Promise<void> {
  return first ? MultiStepInput.run(first, () => total) : Promise.resolve();
}

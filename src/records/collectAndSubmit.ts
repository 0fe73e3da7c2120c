/**
 * A create asked for with quick inputs: collect the values (src/quickInput/recordSteps.ts), write
 * them through the one write pipeline, and reopen the steps on the field the server rejected.
 */
import * as vscode from 'vscode';
import { ProblemError } from '../api/errors';
import { UserCancelled } from '../common/commands';
import type { Log } from '../common/log';
import { notifyProblem } from '../common/notifications';
import type { Draft, FieldNotice } from '../quickInput/recordSteps';
import { describeCandidates } from '../writes/candidates';
import type { Resolution, WriteOutcome } from '../writes/engine';
import type { WritePlan, WriteProgress } from '../writes/plan';
import { resultOf, type WritePipeline } from './writePipeline';

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
    const outcome = await options.writes.runWithProgress(options.plan(options.draft), {
      connection,
      progress,
      resolution,
      progressTitle: options.progressTitle(options.draft),
    });
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
  const choice = await vscode.window.showWarningMessage(
    `The ${noun} may have been created: ${outcome.lost.reason}`,
    { modal: true, detail: log.clean(detail) },
    ...buttons,
  );
  if (choice === 'Use It' && first) return { use: first.record };
  if (choice === 'Create Another' || choice === 'Create It Anyway') return { createAnyway: true };
  throw new UserCancelled();
}

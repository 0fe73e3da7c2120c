import * as vscode from 'vscode';
import * as z from 'zod';
import { CancelledError, isCrmError } from '../api/errors';
import { isPlainObject } from './commandArgs';
import type { Log } from './log';
import { notifyProblem } from './notifications';

/** Thrown by UI flows when the user dismisses an input; the wrapper stays silent on it. */
export class UserCancelled extends Error {
  constructor() {
    super('Cancelled by the user.');
    this.name = 'UserCancelled';
  }
}

export function isCancellation(error: unknown): boolean {
  return (
    error instanceof UserCancelled ||
    error instanceof CancelledError ||
    error instanceof vscode.CancellationError ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/**
 * How a failure is reported, said by whoever runs the code (as azuretools' `errorHandling`):
 * the wrapper logs every failure and, unless told otherwise, shows one notification and
 * resolves `undefined`. Scripts and tests that want the error itself ask for `rethrow`.
 */
export interface ErrorHandling {
  /** Reject with the error (after logging and showing it) instead of resolving `undefined`. */
  rethrow?: boolean;
  /** Log only: no notification. */
  suppressDisplay?: boolean;
}

/** `errorHandling` in a command's argument object: `{ …, errorHandling: { rethrow: true } }`. */
const errorHandlingSchema = z.strictObject({ rethrow: z.boolean().optional(), suppressDisplay: z.boolean().optional() });

/** Failures already shown, so a failure passing through nested calls is reported once, not twice. */
const reported = new WeakSet<object>();

/**
 * Runs `work`, logging its start, end and failure (redacted). A cancellation is silent; any other
 * failure is shown once with "Show Log" unless `suppressDisplay`, then rethrown when `rethrow`.
 */
export async function callWithErrorHandling<R>(log: Log, context: string, errorHandling: ErrorHandling, work: () => Promise<R> | R): Promise<R | undefined> {
  const started = Date.now();
  log.trace(`${context}: started`);
  try {
    const result = await work();
    log.trace(`${context}: done in ${Date.now() - started} ms`);
    return result;
  } catch (error) {
    if (isCancellation(error)) {
      log.trace(`${context}: cancelled`);
      return undefined;
    }
    const object = typeof error === 'object' && error !== null ? error : undefined;
    if (!object || !reported.has(object)) {
      log.error(context, error);
      if (!errorHandling.suppressDisplay) void notifyProblem(log, 'error', errorMessage(error));
    }
    if (object) reported.add(object);
    if (errorHandling.rethrow) throw error;
    return undefined;
  }
}

/**
 * Registers a command through the one wrapper every command uses (`callWithErrorHandling`).
 * Commands return their result, so scripts and tests can use it. The workbench (palette, menus,
 * keybindings) gets no rejection, which it would report a second time, unredacted; a caller that
 * wants one says so in the argument object: `{ …, errorHandling: { rethrow: true } }`. The key
 * is removed before the handler sees the object (an object left empty becomes `undefined`).
 */
export function registerCrmCommand<A extends unknown[], R>(log: Log, id: string, handler: (...args: A) => Promise<R> | R): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...args: A): Promise<R | undefined> => {
    const [first, ...rest] = args;
    if (!isPlainObject(first) || !('errorHandling' in first)) return callWithErrorHandling(log, id, {}, () => handler(...args));
    const { errorHandling, ...remaining } = first;
    const parsed = errorHandlingSchema.safeParse(errorHandling);
    const options = parsed.success ? parsed.data : { rethrow: true };
    const argument = Object.keys(remaining).length > 0 ? remaining : undefined;
    return callWithErrorHandling(log, id, options, () => {
      if (!parsed.success) throw new Error(`Invalid argument for ${id}: errorHandling takes { rethrow?: boolean, suppressDisplay?: boolean }.`);
      return handler(...([argument, ...rest] as A));
    });
  });
}

export function errorMessage(error: unknown): string {
  if (isCrmError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs network work with a notification progress that can be cancelled. */
export function withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve<T>(
    vscode.window.withProgress<T>({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      return work(controller.signal).finally(() => {
        subscription.dispose();
      });
    }),
  );
}

import * as vscode from 'vscode';
import { CancelledError, isCrmError } from '../api/errors';
import type { Log } from './log';

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
 * Registers a command through the one wrapper every command uses: it logs start, end and
 * failure (redacted), shows one error notification with "Show Log", and stays silent when the
 * user cancels. Commands return their result so tests and scripts can use it.
 */
export function registerCrmCommand<A extends unknown[], R>(
  log: Log,
  id: string,
  handler: (...args: A) => Promise<R> | R,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
    const started = Date.now();
    log.trace(`${id}: started`);
    try {
      const result = await handler(...args);
      log.trace(`${id}: done in ${Date.now() - started} ms`);
      return result;
    } catch (error) {
      if (isCancellation(error)) {
        log.trace(`${id}: cancelled`);
        return undefined;
      }
      reportError(log, id, error);
      // Re-throw so callers (tests, scripts, other commands) can see the failure too.
      throw error;
    }
  });
}

/** Logs an error and shows one notification with a "Show Log" action. */
export function reportError(log: Log, context: string, error: unknown): void {
  const message = errorMessage(error);
  log.error(context, error);
  void vscode.window.showErrorMessage(log.clean(message), 'Show Log').then((choice) => {
    if (choice === 'Show Log') log.show();
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

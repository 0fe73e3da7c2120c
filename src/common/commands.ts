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

/** Failures already shown, so a command run by another command is reported once, not twice. */
const reported = new WeakSet<object>();

/**
 * Registers a command through the one wrapper every command uses: it logs start, end and
 * failure (redacted), shows one error notification with "Show Log", and stays silent when the
 * user cancels. Commands return their result so tests and scripts can use it; a failure is
 * rethrown to them, but not to the workbench (see `invokedByWorkbench`).
 */
export function registerCrmCommand<A extends unknown[], R>(
  log: Log,
  id: string,
  handler: (...args: A) => Promise<R> | R,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
    // Before the first await: only the synchronous stack shows who called.
    const byWorkbench = invokedByWorkbench();
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
      const object = typeof error === 'object' && error !== null ? error : undefined;
      if (!object || !reported.has(object)) reportError(log, id, error);
      if (object) reported.add(object);
      // The workbench would report a rethrown failure a second time, unredacted: the palette
      // as a modal "Command … resulted in an error" dialog, a keybinding as a warning. Our
      // notification is the report there; extensions, scripts and tests get the error.
      if (byWorkbench) return undefined;
      throw error;
    }
  });
}

/**
 * True when the workbench (palette, keybinding, menu, status bar, welcome or walkthrough link)
 * runs the command: the extension host dispatches those through its RPC entry point
 * `$executeContributedCommand`, right below the command's callback (frames: this function,
 * the callback, the host's dispatcher, the RPC entry). A call from an extension or a test goes
 * through `vscode.commands.executeCommand` instead, and keeps getting the error.
 */
function invokedByWorkbench(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1, 6);
  return frames.some((frame) => frame.includes('$executeContributedCommand'));
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

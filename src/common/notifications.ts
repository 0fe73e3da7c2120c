import * as vscode from 'vscode';
import type { Log } from './log';

const SHOW_LOG = 'Show Log';

/**
 * The one way the extension shows a problem: a notification, redacted, whose last button is
 * "Show Log" (which opens the log). Resolves with the other button the user chose, if any.
 */
export async function notifyProblem(log: Log, severity: 'error' | 'warning', message: string, buttons: readonly string[] = []): Promise<string | undefined> {
  const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const choice = await show(log.clean(message), ...buttons, SHOW_LOG);
  if (choice === SHOW_LOG) {
    log.show();
    return undefined;
  }
  return choice;
}

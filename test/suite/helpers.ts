import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StcrmApi } from '../../src/extension';

export const EXTENSION_ID = 'stcrm-dev.servicetitan-crm';

export async function activateExtension(): Promise<StcrmApi> {
  const extension = vscode.extensions.getExtension<StcrmApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
  return extension.activate();
}

/** Removes every profile so each test starts from a fresh install's state. */
export async function removeAllProfiles(api: StcrmApi): Promise<void> {
  for (const profile of api.store.list()) await api.store.remove(profile.id);
  await api.store.setActive(undefined);
}

/** The argument object with `errorHandling: { rethrow: true }`, so the command rejects with its error. */
export function rethrowing(arg?: Record<string, unknown>): Record<string, unknown> {
  return { ...arg, errorHandling: { rethrow: true } };
}

/** Rejects with the error a command threw, so tests can assert on its message. */
export async function commandError(command: string, arg?: Record<string, unknown>): Promise<Error> {
  try {
    await vscode.commands.executeCommand(command, rethrowing(arg));
  } catch (error) {
    assert.ok(error instanceof Error, `${command} threw a non-Error: ${String(error)}`);
    return error;
  }
  assert.fail(`${command} was expected to fail but succeeded`);
}

/** Waits until `probe` returns a truthy value (no fixed sleeps in tests). */
export async function eventually<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`Timed out waiting for ${what} (last value: ${String(last)})`);
}

/**
 * The extension's log as written to its log files, up to a fresh marker line (so every line
 * logged before the call is in). With `since`, only what follows that earlier marker.
 */
export async function logText(api: StcrmApi, since?: string): Promise<string> {
  const marker = markLog(api);
  const text = await eventually(async () => {
    const contents = await readLogFiles(api.logUri);
    return contents.includes(marker) ? contents : undefined;
  }, 'the log file to be written');
  if (since === undefined) return text;
  const start = text.indexOf(since);
  assert.ok(start >= 0, `the log has no marker ${since}`);
  return text.slice(start, text.indexOf(marker));
}

/** Logs a unique marker line and returns it, for `logText(api, since)`. */
export function markLog(api: StcrmApi): string {
  const marker = `log-marker-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  api.log.info(marker);
  return marker;
}

async function readLogFiles(folder: vscode.Uri): Promise<string> {
  let text = '';
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return '';
  }
  for (const [name, type] of entries) {
    if (type === vscode.FileType.File) text += new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name)));
  }
  return text;
}

/** The workspace folder the test host opens. */
export function workspaceFolder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(first, 'the test host opens a workspace folder');
  return first;
}

/** Writes a file below the workspace folder: text as it is, anything else as pretty JSON. */
export async function writeWorkspaceFile(relative: string, content: unknown): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), relative);
  const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Deletes a file or folder of the workspace, if it is there. */
export async function removeWorkspaceFile(uri: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
}

/**
 * Files of the workspace as the editor has them: a suite file's or `stcrm.env.json`'s text is its
 * editor's text when it is open (unsaved edits count: a suite runs as shown), else the file on
 * disk, read only when its size is within bounds. And the variables of `stcrm.env.json` (at the
 * root of a file's workspace folder) that a profile sees, for suites and request files alike.
 */
import * as vscode from 'vscode';
import { ENVIRONMENT_FILE, environmentFor, parseEnvironmentFile, type EnvironmentFile } from '../suites/environment';
import type { SuiteProblem } from '../suites/suiteFile';

/** A UTF-16 code unit is at most 3 bytes of UTF-8: a file larger than this cannot be within `maxLength` characters. */
const BYTES_PER_CHARACTER = 3;
/** The environment file's own limit (src/suites/environment.ts): variables need a few hundred characters. */
const MAX_ENVIRONMENT_LENGTH = 250_000;

/** `missing`: there is no such file (it was moved or deleted), as opposed to one that cannot be read. */
export type WorkspaceText = { ok: true; text: string } | { ok: false; message: string; missing?: true };

/** The open document of `uri`, if any. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
}

/** The text of `uri`: its editor's when open, else the file's when it has at most `maxLength` characters' worth of bytes. */
export async function workspaceText(uri: vscode.Uri, maxLength: number): Promise<WorkspaceText> {
  const document = openDocument(uri);
  if (document) return { ok: true, text: document.getText() };
  try {
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > maxLength * BYTES_PER_CHARACTER) {
      return { ok: false, message: `This file has ${size.toLocaleString('en-US')} bytes; it may have ${maxLength.toLocaleString('en-US')} characters.` };
    }
    return { ok: true, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
      return { ok: false, missing: true, message: 'This file no longer exists: it was moved or deleted.' };
    }
    return { ok: false, message: `It cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** `stcrm.env.json` at the root of `uri`'s workspace folder (of the first folder when `uri` is in none). */
export function environmentUri(uri: vscode.Uri | undefined): vscode.Uri | undefined {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, ENVIRONMENT_FILE) : undefined;
}

export function isEnvironmentUri(uri: vscode.Uri): boolean {
  return uri.path.endsWith(`/${ENVIRONMENT_FILE}`) && environmentUri(uri)?.toString() === uri.toString();
}

export type WorkspaceEnvironment =
  { ok: true; environment?: EnvironmentFile; uri?: vscode.Uri } | { ok: false; uri: vscode.Uri; problems: SuiteProblem[]; message: string };

/** The `stcrm.env.json` that `uri` uses: none when there is no such file, its problems when it does not parse. */
export async function workspaceEnvironment(uri: vscode.Uri | undefined): Promise<WorkspaceEnvironment> {
  const file = environmentUri(uri);
  if (!file) return { ok: true };
  if (!openDocument(file)) {
    try {
      await vscode.workspace.fs.stat(file);
    } catch {
      return { ok: true };
    }
  }
  const text = await workspaceText(file, MAX_ENVIRONMENT_LENGTH);
  const name = vscode.workspace.asRelativePath(file);
  if (!text.ok) return { ok: false, uri: file, problems: [], message: `${name}: ${text.message}` };
  const parsed = parseEnvironmentFile(text.text, name);
  if (!parsed.ok) {
    const [first] = parsed.problems;
    const where = first ? `${name}:${first.location.line}:${first.location.column}` : name;
    return { ok: false, uri: file, problems: parsed.problems, message: `${where}: ${first?.message ?? 'it cannot be read'}` };
  }
  return { ok: true, environment: parsed.environment, uri: file };
}

/**
 * The variables `profile` sees: `$shared`, with the section named like the profile over it. A
 * file without a section for the profile gives `$shared` alone: a name only another section
 * defines is then an unknown name (a diagnostic), not a reason to refuse the whole run.
 */
export function profileVariables(environment: EnvironmentFile | undefined, profile: string | undefined): ReadonlyMap<string, unknown> {
  const own = profile !== undefined && environment?.sections.has(profile) ? profile : undefined;
  const variables = environmentFor(environment, own);
  return variables.ok ? variables.values : new Map();
}

/**
 * Suite files as the Testing view, CodeLens and diagnostics read them: the editor's text when the
 * file is open (so a dirty suite runs as shown), parsed by the engine, with the text kept to turn
 * the engine's places (offsets) into editor ranges.
 */
import * as vscode from 'vscode';
import { MAX_SUITE_LENGTH, parseSuite, SuiteSource, type ParsedSuite, type SourceLocation } from '../suites';
import { workspaceText } from './workspaceFiles';

export interface SuiteFile {
  uri: vscode.Uri;
  /** What messages call it: its path in the workspace, as `stcrm test` prints it. */
  name: string;
  parsed: ParsedSuite;
  /** The text it was parsed from, for ranges (the suite's own when it parsed). */
  source: SuiteSource;
  /** There is no such file any more (moved or deleted): its item goes rather than showing an error. */
  missing?: true;
}

/** The suites `*.stcrm-suite.json` (the engine's SUITE_FILE), as a glob. */
export const SUITE_GLOB = '**/*.stcrm-suite.json';
/** Never searched for suites: dependencies hold none of the user's. */
export const SUITE_EXCLUDE = '**/node_modules/**';

/** What messages call `uri`. */
export function suiteName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

export function parseSuiteText(uri: vscode.Uri, text: string): SuiteFile {
  const name = suiteName(uri);
  const parsed = parseSuite(text, name);
  return { uri, name, parsed, source: parsed.ok ? parsed.suite.source : new SuiteSource(name, text) };
}

/** Reads and parses a suite file; a file that cannot be read is a suite with that problem. */
export async function readSuiteFile(uri: vscode.Uri): Promise<SuiteFile> {
  const text = await workspaceText(uri, MAX_SUITE_LENGTH);
  if (text.ok) return parseSuiteText(uri, text.text);
  const name = suiteName(uri);
  const source = new SuiteSource(name, '');
  const parsed: ParsedSuite = { ok: false, problems: [{ message: text.message, path: [], location: source.at(0) }] };
  return { uri, name, source, parsed, ...(text.missing ? { missing: true as const } : {}) };
}

/** The editor range of an engine place in `source`'s text. */
export function rangeOf(source: SuiteSource, location: SourceLocation): vscode.Range {
  const end = source.at(location.offset + location.length);
  return new vscode.Range(location.line - 1, location.column - 1, end.line - 1, end.column - 1);
}

/**
 * The Testing view's items: one per suite file of the workspace (found with `findFiles` and kept
 * up to date by a file watcher), its steps and teardown steps as children, each with the range of
 * its object in the file. Children are made when VS Code asks for them (`resolve`) or when the
 * file is parsed anyway (an open editor, a run).
 */
import * as vscode from 'vscode';
import { stepId, type StepPhase } from '../suites';
import { Disposable } from '../common/lifecycle';
import { rangeOf, readSuiteFile, SUITE_EXCLUDE, SUITE_GLOB, suiteName, type SuiteFile } from './suiteFiles';

/** More suite files than anyone keeps in one workspace; the search stops there. */
const MAX_SUITE_FILES = 5_000;

/** What a step item stands for. */
export interface StepOfItem {
  uri: vscode.Uri;
  phase: StepPhase;
  index: number;
}

export class SuiteItems extends Disposable {
  private discovery: Promise<void> | undefined;

  constructor(private readonly controller: vscode.TestController) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(SUITE_GLOB));
    this.register(
      watcher.onDidCreate((uri) => {
        if (!isDependency(uri)) void this.refreshFile(uri);
      }),
    );
    // An open document is followed as it is typed (`update`); the file on disk matters when it is not open.
    this.register(
      watcher.onDidChange((uri) => {
        const item = this.controller.items.get(uri.toString());
        if (item && item.children.size > 0) void this.refreshFile(uri);
      }),
    );
    this.register(watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.discover(true)));
  }

  /** Finds every suite file of the workspace (once, unless `again`) and lists each, its steps not yet read. */
  discover(again = false): Promise<void> {
    if (this.discovery && !again) return this.discovery;
    this.discovery = (async () => {
      const uris = await vscode.workspace.findFiles(SUITE_GLOB, SUITE_EXCLUDE, MAX_SUITE_FILES);
      const found = new Set(uris.map((uri) => uri.toString()));
      const gone: string[] = [];
      this.controller.items.forEach((item) => {
        if (!found.has(item.id)) gone.push(item.id);
      });
      for (const id of gone) this.controller.items.delete(id);
      for (const uri of uris) this.fileItem(uri);
    })();
    return this.discovery;
  }

  /** VS Code asks for an item's children (or, with none, for the files). */
  async resolve(item: vscode.TestItem | undefined): Promise<void> {
    if (!item) return this.discover();
    if (item.parent) return;
    this.update(await readSuiteFile(itemUri(item)));
  }

  /** The file's item, made when missing. */
  fileItem(uri: vscode.Uri): vscode.TestItem {
    const id = uri.toString();
    const existing = this.controller.items.get(id);
    if (existing) return existing;
    const item = this.controller.createTestItem(id, suiteName(uri), uri);
    item.canResolveChildren = true;
    this.controller.items.add(item);
    return item;
  }

  /**
   * The file's item after a parse: the suite's name as its description and a child per step. A
   * file that does not parse shows why (`error`) and keeps the children it had, so a moment of
   * broken JSON while typing does not empty the view.
   */
  update(file: SuiteFile): vscode.TestItem {
    const item = this.fileItem(file.uri);
    if (!file.parsed.ok) {
      const [first] = file.parsed.problems;
      const more = file.parsed.problems.length > 1 ? ` (and ${file.parsed.problems.length - 1} more problems)` : '';
      item.error = first ? `Line ${first.location.line}: ${first.message}${more}` : 'This suite file cannot be read.';
      return item;
    }
    const { suite } = file.parsed;
    item.error = undefined;
    item.description = suite.name;
    item.range = rangeOf(file.source, suite.location);
    const children = [...suite.steps, ...suite.teardown].map((step) => {
      const id = stepItemId(file.uri, step.phase, step.index);
      const label = step.phase === 'teardown' ? `teardown: ${step.name}` : step.name;
      const child = item.children.get(id) ?? this.controller.createTestItem(id, label, file.uri);
      child.label = label;
      child.description = step.name === step.operation ? undefined : step.operation;
      child.range = rangeOf(file.source, step.location);
      // In file order under "Sort by Name" too.
      child.sortText = `${step.phase === 'steps' ? 0 : 1}${String(step.index).padStart(5, '0')}`;
      return child;
    });
    item.children.replace(children);
    return item;
  }

  /** Reads a file again (it was made or changed on disk) and updates its item. */
  private async refreshFile(uri: vscode.Uri): Promise<void> {
    this.update(await readSuiteFile(uri));
  }
}

/** A file below node_modules: the search leaves those out (SUITE_EXCLUDE), so the watcher does too. */
function isDependency(uri: vscode.Uri): boolean {
  return uri.path.includes('/node_modules/');
}

export function stepItemId(uri: vscode.Uri, phase: StepPhase, index: number): string {
  return `${uri.toString()}#${stepId(phase, index)}`;
}

/** The step a step item stands for; undefined for a file item. */
export function stepOfItem(item: vscode.TestItem): StepOfItem | undefined {
  if (!item.parent) return undefined;
  const match = /#(steps|teardown)\/(\d+)$/.exec(item.id);
  if (!match) return undefined;
  return { uri: itemUri(item), phase: match[1] === 'teardown' ? 'teardown' : 'steps', index: Number(match[2]) };
}

/** The suite file an item belongs to. */
export function itemUri(item: vscode.TestItem): vscode.Uri {
  if (!item.uri) throw new Error(`The test item ${item.id} has no file.`);
  return item.uri;
}

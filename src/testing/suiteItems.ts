/**
 * The Testing view's items: one per suite file of the workspace (found with `findFiles` and kept
 * up to date by file watchers), its steps and teardown steps as children, each with the range of
 * its object in the file. Children are made when VS Code asks for them (`resolve`) or when the
 * file is parsed anyway (an open editor, a run, a file that appears after discovery).
 *
 * A folder that is renamed, moved or deleted comes as one event for the folder, and a folder made
 * with files already in it as one create: so every create and delete of the workspace is watched,
 * a delete drops the items at or under it and a created folder is searched for suites.
 */
import * as vscode from 'vscode';
import { SUITE_FILE, stepId, type StepPhase } from '../suites';
import { Disposable } from '../common/lifecycle';
import { rangeOf, readSuiteFile, SUITE_EXCLUDE, SUITE_GLOB, suiteName, type SuiteFile } from './suiteFiles';

/** More suite files than anyone keeps in one workspace; the search stops there. */
const MAX_SUITE_FILES = 5_000;
/** Newly listed suite files are parsed at once (for their suites' names) up to this many per search; the rest when expanded. */
const MAX_PARSED_AT_ONCE = 200;
/** Files read, or created paths checked (one `stat` each, to tell a folder from a file), at a time. */
const STAT_CONCURRENCY = 8;

/** What a step item stands for. */
export interface StepOfItem {
  uri: vscode.Uri;
  phase: StepPhase;
  index: number;
}

export class SuiteItems extends Disposable {
  private discovery: Promise<void> | undefined;
  /** Creates and deletes not handled yet, in the order they came (a rename is a delete and a create). */
  private pending: { kind: 'created' | 'deleted'; uri: vscode.Uri }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly controller: vscode.TestController) {
    super();
    // An open document is followed as it is typed (`update`); the file on disk matters when it is not open.
    const suites = this.register(vscode.workspace.createFileSystemWatcher(SUITE_GLOB, true, false, true));
    this.register(
      suites.onDidChange((uri) => {
        const item = this.controller.items.get(uri.toString());
        if (item && item.children.size > 0) void this.refreshFile(uri);
      }),
    );
    // Every path, suite or folder (a folder's event names only the folder).
    const paths = this.register(vscode.workspace.createFileSystemWatcher('**', false, true, false));
    this.register(paths.onDidCreate((uri) => this.queue('created', uri)));
    this.register(paths.onDidDelete((uri) => this.queue('deleted', uri)));
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
      const listed = uris.filter((uri) => !this.controller.items.get(uri.toString()));
      for (const uri of uris) this.fileItem(uri);
      // Not awaited: a run reads its files itself.
      void this.readNames(listed);
    })();
    return this.discovery;
  }

  /** VS Code asks for an item's children (or, with none, for the files). */
  async resolve(item: vscode.TestItem | undefined): Promise<void> {
    if (!item) return this.discover();
    if (item.parent) return;
    await this.refreshFile(itemUri(item));
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

  /**
   * `update` for a file the view lists already. An editor's checks use it: a document VS Code still
   * holds after its file was deleted (closed editors linger a while) must not list it again.
   */
  updateListed(file: SuiteFile): void {
    if (this.controller.items.get(file.uri.toString())) this.update(file);
  }

  /** Drops the item of a file that is gone. */
  remove(uri: vscode.Uri): void {
    this.controller.items.delete(uri.toString());
  }

  /** Reads a file again (it was made or changed on disk) and updates its item; a file that is gone loses it. */
  private async refreshFile(uri: vscode.Uri): Promise<void> {
    const file = await readSuiteFile(uri);
    if (file.missing) this.remove(uri);
    else this.update(file);
  }

  private queue(kind: 'created' | 'deleted', uri: vscode.Uri): void {
    if (isDependency(uri)) return;
    this.pending.push({ kind, uri });
    this.flushSoon();
  }

  /** The events of one change come together: they are handled after the last of them, one batch at a time. */
  private flushSoon(): void {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => this.flush())
      // A failed search leaves the view as it was; Refresh Tests searches again.
      .catch(() => undefined)
      .finally(() => {
        this.flushing = undefined;
        this.flushSoon();
      });
  }

  /** Handles the queued events: the deletes first (a rename deletes before it creates), then the new files and folders. */
  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    const deleted = new Set(batch.filter((event) => event.kind === 'deleted').map((event) => pathKey(event.uri)));
    if (deleted.size > 0) {
      const gone: string[] = [];
      this.controller.items.forEach((item) => {
        if (item.uri && atOrUnder(item.uri, deleted)) gone.push(item.id);
      });
      for (const id of gone) this.controller.items.delete(id);
    }
    // Paths created and not deleted again later in the batch; one under another created path is found with it.
    const created = new Map<string, vscode.Uri>();
    for (const event of batch) {
      const key = pathKey(event.uri);
      if (event.kind === 'created') created.set(key, event.uri);
      else created.delete(key);
    }
    const keys = new Set(created.keys());
    const roots = [...created.values()].filter((uri) => !atOrUnder(uri, keys, false));
    const suites: vscode.Uri[] = [];
    await inBatches(roots, STAT_CONCURRENCY, async (uri) => {
      if (SUITE_FILE.test(uri.path)) {
        suites.push(uri);
        return;
      }
      let folder = false;
      try {
        folder = ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
      } catch {
        return; // Gone again already: its delete follows.
      }
      if (folder) suites.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(uri, SUITE_GLOB), SUITE_EXCLUDE, MAX_SUITE_FILES)));
    });
    for (const uri of suites) this.fileItem(uri);
    await this.readNames(suites);
  }

  /** Parses the first files of `uris` so their items show their suites' names (the rest when expanded). */
  private readNames(uris: readonly vscode.Uri[]): Promise<void> {
    return inBatches(uris.slice(0, MAX_PARSED_AT_ONCE), STAT_CONCURRENCY, (uri) => this.refreshFile(uri));
  }
}

/** `uri` by its path alone (a watcher's and an item's URI may differ in query or fragment). */
function pathKey(uri: vscode.Uri): string {
  return `${uri.scheme}://${uri.authority}${uri.path}`;
}

/** Whether `uri` (with `self`) or a folder above it is in `keys`. */
function atOrUnder(uri: vscode.Uri, keys: ReadonlySet<string>, self = true): boolean {
  let path = uri.path;
  if (self && keys.has(pathKey(uri))) return true;
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/')) {
    path = path.slice(0, slash);
    if (keys.has(`${uri.scheme}://${uri.authority}${path}`)) return true;
  }
  return false;
}

/** Runs `each` over `values`, `size` at a time. */
async function inBatches<T>(values: readonly T[], size: number, each: (value: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < values.length; start += size) await Promise.all(values.slice(start, start + size).map(each));
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

/**
 * Test suites in the editor, loaded on first use (dist/suite-testing.js, see scripts/build.mjs):
 * the Testing view's items and runs, the CodeLens, the diagnostics while a suite or
 * `stcrm.env.json` is typed (debounced), and `stcrm.runTests`. src/testing/suiteTesting.ts makes
 * the test controller, its run profiles and the providers on activation and hands them here.
 */
import * as vscode from 'vscode';
import * as z from 'zod';
import { KeyedDebouncer } from '../common/debounce';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import type { RecordChanges } from '../model/recordChanges';
import type { ConnectionManager } from '../profiles/connection';
import type { ProfileStore } from '../profiles/profiles';
import type { WritePipeline } from '../records/writePipeline';
import { MAX_STEPS, SUITE_FILE } from '../suites';
import { environmentNames, SuiteDiagnostics } from './suiteDiagnostics';
import { parseSuiteText, readSuiteFile } from './suiteFiles';
import { SuiteItems, stepItemId } from './suiteItems';
import { suiteLenses } from './suiteLenses';
import { SuiteRunner, type RunTarget, type RunTestsResults } from './suiteRun';
import { isEnvironmentUri, openDocument, workspaceEnvironment } from './workspaceFiles';

export interface SuiteExplorerServices {
  controller: vscode.TestController;
  /** The run profiles, by what they run on. */
  profiles: Record<RunTarget, vscode.TestRunProfile>;
  connections: ConnectionManager;
  store: ProfileStore;
  writes: WritePipeline;
  records: RecordChanges;
  log: Log;
}

/** Checks run this long after the last keystroke. */
const CHECK_DELAY_MS = 300;

const runTestsArgs = z.strictObject({
  uris: z
    .array(z.union([z.string().min(1).max(4_000), z.custom<vscode.Uri>((value) => value instanceof vscode.Uri, 'a vscode.Uri')]))
    .max(5_000)
    .optional(),
  sandbox: z.boolean().optional(),
  steps: z.array(z.number().int().min(0).max(MAX_STEPS)).min(1).max(MAX_STEPS).optional(),
  productionConfirmed: z.boolean().optional(),
});
const RUN_TESTS_USAGE =
  'stcrm.runTests takes { uris?: [URIs of *.stcrm-suite.json files; all of the workspace by default], sandbox?: true to run against a fresh sandbox, steps?: [indexes of "steps", with one URI], productionConfirmed?: true to skip the production confirmation }.';

export class SuiteExplorer extends Disposable {
  readonly items: SuiteItems;
  private readonly runner: SuiteRunner;
  private readonly diagnostics = this.register(new SuiteDiagnostics());
  private readonly checks = this.register(new KeyedDebouncer(CHECK_DELAY_MS));

  constructor(private readonly services: SuiteExplorerServices) {
    super();
    this.items = this.register(new SuiteItems(services.controller));
    this.runner = new SuiteRunner({ ...services, items: this.items });
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.checkSoon(document)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.checkSoon(event.document);
      }),
    );
    this.register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (isSuiteDocument(document) || isEnvironmentUri(document.uri)) this.diagnostics.delete(document.uri);
      }),
    );
    // Another profile (or its name) means other variables.
    this.register(services.store.onDidChange(() => this.checkOpenSuites()));
    for (const document of vscode.workspace.textDocuments) this.checkSoon(document);
  }

  /** A run from the Testing view: its items show the outcome, so a failure to start is only logged. */
  async run(request: vscode.TestRunRequest, target: RunTarget, token: vscode.CancellationToken): Promise<void> {
    try {
      await this.runner.run(request, target, { token });
    } catch (error) {
      this.services.log.error('Running test suites failed', error);
    }
  }

  codeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return isSuiteDocument(document) ? suiteLenses(document) : [];
  }

  /** `stcrm.runTests`: runs suites (all of the workspace by default) in the Testing view and answers with the results. */
  async runTests(arg: unknown): Promise<RunTestsResults> {
    const parsed = runTestsArgs.safeParse(arg ?? {});
    if (!parsed.success) throw new Error(`${RUN_TESTS_USAGE} ${parsed.error.issues[0]?.message ?? ''}`.trim());
    const { uris, sandbox, steps, productionConfirmed } = parsed.data;
    const target: RunTarget = sandbox ? 'freshSandbox' : 'profile';
    if (steps && uris?.length !== 1) throw new Error(`${RUN_TESTS_USAGE} "steps" needs exactly one URI.`);
    let include: vscode.TestItem[] | undefined;
    if (uris) {
      const files = uris.map(toUri);
      include = [];
      for (const uri of files) {
        if (!SUITE_FILE.test(uri.path)) throw new Error(`${uri.toString(true)} is not a suite file (*.stcrm-suite.json).`);
        if (!(await exists(uri))) throw new Error(`${uri.toString(true)} does not exist.`);
        if (!steps) {
          include.push(this.items.fileItem(uri));
          continue;
        }
        const item = this.items.update(await readSuiteFile(uri));
        for (const index of steps) {
          const child = item.children.get(stepItemId(uri, 'steps', index));
          if (!child) throw new Error(`${vscode.workspace.asRelativePath(uri)} has no step ${index} (steps count from 0), or it does not parse.`);
          include.push(child);
        }
      }
    } else {
      await this.items.discover();
      if (this.services.controller.items.size === 0) throw new Error('There are no test suites (*.stcrm-suite.json) in this workspace.');
    }
    const request = new vscode.TestRunRequest(include, undefined, this.services.profiles[target]);
    return this.runner.run(request, target, { productionConfirmed });
  }

  /** Checks a suite or environment document a moment after its last change. */
  private checkSoon(document: vscode.TextDocument): void {
    const environment = isEnvironmentUri(document.uri);
    if (!environment && !isSuiteDocument(document)) return;
    this.checks.schedule(document.uri.toString(), () => {
      const check = environment ? this.checkEnvironment(document) : this.checkSuite(document);
      check.catch((error: unknown) => this.services.log.error('Checking a test suite failed', error));
    });
  }

  private async checkSuite(document: vscode.TextDocument): Promise<void> {
    const environment = await workspaceEnvironment(document.uri);
    // A broken environment file has diagnostics of its own; its names count as none here.
    const names = environmentNames(environment.ok ? environment.environment : undefined, this.services.store.active()?.name);
    if (document.isClosed) return;
    // Parsed and placed in one turn: the ranges are of this text.
    const file = parseSuiteText(document.uri, document.getText());
    this.items.updateListed(file);
    this.diagnostics.setSuite(file, names);
  }

  private async checkEnvironment(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    this.diagnostics.setEnvironment(document.uri, document.getText());
    await this.checkOpenSuites();
  }

  private checkOpenSuites(): Promise<void> {
    return Promise.all(vscode.workspace.textDocuments.filter(isSuiteDocument).map((document) => this.checkSuite(document))).then(() => undefined);
  }
}

export function isSuiteDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && SUITE_FILE.test(document.uri.path);
}

/** Whether `uri` is open in an editor or is a file on disk (a URI that names nothing gets no item). */
async function exists(uri: vscode.Uri): Promise<boolean> {
  if (openDocument(uri)) return true;
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (error) {
    // Another failure (no permission, …) is the run's to report, on the item.
    return !(error instanceof vscode.FileSystemError && error.code === 'FileNotFound');
  }
}

/** A URI given as a string: an absolute path, or a URI with its scheme. */
function toUri(value: string | vscode.Uri): vscode.Uri {
  if (typeof value !== 'string') return value;
  if (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value)) return vscode.Uri.file(value);
  try {
    return vscode.Uri.parse(value, true);
  } catch {
    throw new Error(`${JSON.stringify(value.slice(0, 200))} is neither a URI nor an absolute path of a suite file.`);
  }
}

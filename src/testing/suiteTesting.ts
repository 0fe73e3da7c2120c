/**
 * Test suites (`*.stcrm-suite.json`) as activation sees them: the test controller "ServiceTitan
 * CRM suites" with its run profiles "Run" (the active profile) and "Run against a Fresh Sandbox",
 * and the CodeLens provider, made at once so the Testing view and the editor know them. The rest
 * (src/testing/suiteExplorer.ts with the engine: dist/suite-testing.js) loads on first use: the
 * Testing view asks for items, a run starts, `stcrm.runTests` runs, or a suite file or
 * `stcrm.env.json` is open in an editor (its checks run then).
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { OnFirstUse } from '../common/onFirstUse';
import type { SuiteExplorer, SuiteExplorerServices } from './suiteExplorer';
import type { RunTarget, RunTestsResults } from './suiteRun';

/** Suite files and the environment file, by name (the engine's SUITE_FILE and ENVIRONMENT_FILE, kept out of activation). */
const SUITE_OR_ENVIRONMENT = /(\.stcrm-suite\.json|\/stcrm\.env\.json)$/i;

export class SuiteTesting extends Disposable {
  /** The Testing view's controller: tests read its items. */
  readonly controller: vscode.TestController;
  /** "Run" (the active profile) and "Run against a Fresh Sandbox". */
  readonly profiles: Readonly<Record<RunTarget, vscode.TestRunProfile>>;
  private readonly explorer: OnFirstUse<SuiteExplorer>;

  constructor(private readonly services: Omit<SuiteExplorerServices, 'controller' | 'profiles'> & { log: Log }) {
    super();
    const controller = vscode.tests.createTestController('stcrm.suites', 'ServiceTitan CRM suites');
    const { Run } = vscode.TestRunProfileKind;
    const profiles = (this.profiles = {
      profile: controller.createRunProfile('Run', Run, async (request, token) => (await this.load()).run(request, 'profile', token), true),
      freshSandbox: controller.createRunProfile('Run against a Fresh Sandbox', Run, async (request, token) =>
        (await this.load()).run(request, 'freshSandbox', token),
      ),
    });
    this.explorer = this.register(new OnFirstUse(async () => new (await import('./suiteExplorer.js')).SuiteExplorer({ ...services, controller, profiles })));
    controller.resolveHandler = async (item) => (await this.load()).items.resolve(item);
    controller.refreshHandler = async () => (await this.load()).items.discover(true);
    this.controller = this.register(controller);
    this.register(
      vscode.languages.registerCodeLensProvider(
        { pattern: '**/*.stcrm-suite.json' },
        { provideCodeLenses: async (document) => (await this.load()).codeLenses(document) },
      ),
    );
    this.register(
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (SUITE_OR_ENVIRONMENT.test(document.uri.path)) this.loadSoon();
      }),
    );
    if (vscode.workspace.textDocuments.some((document) => SUITE_OR_ENVIRONMENT.test(document.uri.path))) this.loadSoon();
  }

  /** `stcrm.runTests`. */
  async runTests(arg: unknown): Promise<RunTestsResults> {
    return (await this.load()).runTests(arg);
  }

  private load(): Promise<SuiteExplorer> {
    return this.explorer.get();
  }

  /** Loads the rest without waiting (after activation returned), logging a failure. */
  private loadSoon(): void {
    if (this.explorer.loaded) return;
    this.load().catch((error: unknown) => this.services.log.error('Loading the test suites failed', error));
  }
}

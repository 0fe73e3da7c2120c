/**
 * One run of the Testing view (or of a CodeLens, or of `stcrm.runTests`): the suites and steps a
 * `TestRunRequest` names, run by the engine on the active profile's connection (one production
 * confirmation for the whole run, through the write pipeline's UI) or on a fresh sandbox per
 * suite; each engine event becomes the step item's state, with unmet expectations as
 * expected/actual diffs at the expectation's place; the text report (as `stcrm test` prints it)
 * goes to the run's output. Cancel stops the steps and runs the teardown.
 */
import * as vscode from 'vscode';
import { redact } from '../api/redact';
import type { CrmTransport } from '../api/transport';
import { readSettings, REQUEST_TIMEOUT_HINT } from '../common/config';
import type { Log } from '../common/log';
import { formatEvent } from '../common/requestLog';
import type { RecordChanges } from '../model/recordChanges';
import type { ConnectionManager } from '../profiles/connection';
import { writeConnectionOf, type WritePipeline } from '../records/writePipeline';
import {
  FRESH_SANDBOX_PROFILE,
  freshSandboxPerSuite,
  runSuites,
  TextReport,
  type RunResults,
  type SourceLocation,
  type StepResult,
  type SuiteConnections,
  type SuiteEvent,
  type SuiteInput,
  type SuiteResult,
} from '../suites';
import { rangeOf, readSuiteFile, type SuiteFile } from './suiteFiles';
import { itemUri, stepItemId, stepOfItem, type SuiteItems } from './suiteItems';
import { environmentUri, profileVariables, workspaceEnvironment } from './workspaceFiles';

/** On what a run's suites run. */
export type RunTarget = 'profile' | 'freshSandbox';

/** What `stcrm.runTests` answers: the engine's results, each suite with its file's URI. */
export interface RunTestsResults extends Omit<RunResults, 'suites'> {
  suites: (SuiteResult & { uri: string })[];
}

export interface SuiteRunServices {
  controller: vscode.TestController;
  items: SuiteItems;
  connections: ConnectionManager;
  writes: WritePipeline;
  records: RecordChanges;
  log: Log;
}

export interface RunOptions {
  /** The Testing view's cancel (a run has its own token besides). */
  token?: vscode.CancellationToken;
  /** The caller has the user's yes to production writes (`stcrm.runTests`' argument, as every write command's). */
  productionConfirmed?: boolean;
}

/** How much of an expected or actual value a diff shows. */
const VALUE_SHOWN = 20_000;

/** A file of the run and what of it runs. */
interface Target {
  uri: vscode.Uri;
  /** Every step (less `excluded`); else only `steps`. */
  whole: boolean;
  steps: Set<number>;
  excluded: Set<number>;
}

export class SuiteRunner {
  constructor(private readonly services: SuiteRunServices) {}

  /**
   * Runs what `request` names and answers with the results. Problems that stop the whole run (no
   * active profile, an environment file that does not parse) mark its items errored, then throw.
   */
  async run(request: vscode.TestRunRequest, target: RunTarget, options: RunOptions = {}): Promise<RunTestsResults> {
    const { token } = options;
    const { controller, items, log } = this.services;
    const run = controller.createTestRun(request, target === 'profile' ? 'Run' : 'Run against a Fresh Sandbox');
    const aborter = new AbortController();
    const cancel = (): void => aborter.abort();
    const subscriptions = [run.token.onCancellationRequested(cancel), ...(token ? [token.onCancellationRequested(cancel)] : [])];
    const transports: CrmTransport[] = [];
    const clean = (text: string): string =>
      log.clean(
        redact(
          text,
          transports.flatMap((transport) => transport.secrets()),
        ),
      );
    const write = (text: string): void => run.appendOutput(text.replace(/\r?\n/g, '\r\n'));
    const report = new TextReport(write, clean);
    const enqueued: vscode.TestItem[] = [];
    try {
      const read = await Promise.all((await this.targets(request)).map(async (t) => ({ target: t, file: await readSuiteFile(t.uri) })));
      // A file moved or deleted since it was listed: its item goes, and the output says so.
      for (const { file } of read.filter((entry) => entry.file.missing)) {
        items.remove(file.uri);
        report.line(`Not run: ${file.name} no longer exists (it was moved or deleted); it is no longer listed.`);
      }
      const files = read.filter((entry) => !entry.file.missing);
      for (const { target: t, file } of files) {
        const item = items.update(file);
        // A file that does not parse runs nothing: the file itself shows why.
        const queued = file.parsed.ok ? childrenOf(item).filter((child) => runsIn(t, child)) : [item];
        for (const each of queued) run.enqueued(each);
        enqueued.push(...queued);
      }

      let connections: SuiteConnections;
      let profileName: string;
      if (target === 'profile') {
        const active = await this.services.connections.require();
        transports.push(active.transport);
        connections = { kind: 'shared', connection: writeConnectionOf(active) };
        profileName = active.profile.name;
        const production = connections.connection.profile.production ? ' (PRODUCTION)' : '';
        report.line(`Profile "${profileName}", tenant ${active.profile.tenant}${production}`);
      } else {
        const settings = readSettings();
        connections = freshSandboxPerSuite({
          rateLimitPerSecond: settings.rateLimitPerSecond,
          timeoutMs: settings.requestTimeoutMs,
          timeoutHint: REQUEST_TIMEOUT_HINT,
          onTransport: (transport) => transports.push(transport),
          onEvent: (event) => {
            const line = formatEvent(event);
            if (line) log[line.level](clean(line.text));
          },
        });
        profileName = FRESH_SANDBOX_PROFILE;
        report.line('A fresh sandbox for each suite');
      }

      // One engine run per environment file (one per workspace folder), so each suite gets its own folder's variables.
      const groups = new Map<string, SuiteFile[]>();
      for (const { file } of files) {
        const key = environmentUri(file.uri)?.toString() ?? '';
        groups.set(key, [...(groups.get(key) ?? []), file]);
      }
      const all: RunTestsResults[] = [];
      for (const group of groups.values()) {
        const environment = await workspaceEnvironment(group[0]?.uri);
        if (!environment.ok) throw new EnvironmentError(environment.message, environment.uri, environment.problems[0]?.location);
        const variables = profileVariables(environment.environment, profileName);
        if (environment.uri) {
          const own = environment.environment?.sections.has(profileName) ? ` and "${profileName}"` : '';
          report.line(`Variables: ${vscode.workspace.asRelativePath(environment.uri)} ("$shared"${own})`);
        }
        report.line();
        const byName = new Map(group.map((file) => [file.name, file]));
        const inputs: SuiteInput[] = group.map((file) => {
          const t = files.find((entry) => entry.file === file)?.target;
          return { file: file.name, parsed: file.parsed, ...(t ? onlyOf(t, file) : {}) };
        });
        const results = await runSuites(inputs, connections, {
          environment: variables,
          signal: aborter.signal,
          confirm: (confirmation) => this.services.writes.ui.confirm(confirmation),
          productionConfirmed: options.productionConfirmed === true,
          publish: (change) => this.services.records.publish(change),
          onEvent: (event) => {
            report.onEvent(event);
            this.show(run, event, byName, clean);
          },
        });
        if (results.declined) report.line('The production confirmation was declined: nothing was sent.');
        all.push({ ...results, suites: results.suites.map((suite) => ({ ...suite, uri: byName.get(suite.file)?.uri.toString() ?? '' })) });
      }
      const results = combined(all);
      report.summary({ ...results, suites: results.suites });
      return results;
    } catch (error) {
      const message = new vscode.TestMessage(clean(error instanceof Error ? error.message : String(error)));
      if (error instanceof EnvironmentError && error.location) {
        const start = new vscode.Position(error.location.line - 1, error.location.column - 1);
        message.location = new vscode.Location(error.uri, start);
      }
      report.line(`Not run: ${typeof message.message === 'string' ? message.message : message.message.value}`);
      for (const item of enqueued) run.errored(item, message);
      throw error;
    } finally {
      for (const subscription of subscriptions) subscription.dispose();
      run.end();
    }
  }

  /** The files of the request and what of each runs (every file when it names none). */
  private async targets(request: vscode.TestRunRequest): Promise<Target[]> {
    const { controller, items } = this.services;
    const targets = new Map<string, Target>();
    const targetOf = (uri: vscode.Uri): Target => {
      const key = uri.toString();
      let found = targets.get(key);
      if (!found) targets.set(key, (found = { uri, whole: false, steps: new Set(), excluded: new Set() }));
      return found;
    };
    let include = request.include;
    if (!include) {
      await items.discover();
      const all: vscode.TestItem[] = [];
      controller.items.forEach((item) => all.push(item));
      include = all;
    }
    for (const item of include) {
      const step = stepOfItem(item);
      const t = targetOf(itemUri(item));
      // A teardown step runs only with its suite's steps: running it asks for the suite.
      if (!step || step.phase === 'teardown') t.whole = true;
      else t.steps.add(step.index);
    }
    for (const item of request.exclude ?? []) {
      const step = stepOfItem(item);
      if (!step) targets.delete(itemUri(item).toString());
      else if (step.phase === 'steps') targets.get(step.uri.toString())?.excluded.add(step.index);
    }
    return [...targets.values()];
  }

  /** An engine event as the state of its item. */
  private show(run: vscode.TestRun, event: SuiteEvent, byName: ReadonlyMap<string, SuiteFile>, clean: (text: string) => string): void {
    const file = byName.get(event.suite.file);
    if (!file) return;
    const fileItem = this.services.controller.items.get(file.uri.toString());
    if (!fileItem) return;
    if (event.type === 'suiteErrored' && event.result.problems.length > 0) {
      run.errored(
        fileItem,
        event.result.problems.map((problem) => messageAt(clean(problem.message), file, problem.location)),
      );
      return;
    }
    if (event.type === 'suiteSkipped') {
      // A suite skipped whole (a declined confirmation, a cancel before it began) tells no step.
      for (const step of [...event.result.steps, ...event.result.teardown]) {
        const item = fileItem.children.get(stepItemId(file.uri, step.phase, step.index));
        if (item) run.skipped(item);
      }
      return;
    }
    if (!('step' in event)) return;
    const item = fileItem.children.get(stepItemId(file.uri, event.step.phase, event.step.index));
    if (!item) return;
    switch (event.type) {
      case 'stepStarted':
        run.started(item);
        return;
      case 'stepPassed':
        run.passed(item, event.result.durationMs);
        return;
      case 'stepSkipped':
        run.skipped(item);
        return;
      case 'stepFailed':
        run.failed(item, stepMessages(event.result, file, clean), event.result.durationMs);
        return;
      case 'stepErrored':
        run.errored(item, stepMessages(event.result, file, clean), event.result.durationMs);
        return;
    }
  }
}

function childrenOf(item: vscode.TestItem): vscode.TestItem[] {
  const children: vscode.TestItem[] = [];
  item.children.forEach((child) => children.push(child));
  return children;
}

/** Whether a step item runs in the target (earlier steps a step needs run too, but are not queued). */
function runsIn(target: Target, item: vscode.TestItem): boolean {
  const step = stepOfItem(item);
  if (!step) return false;
  if (step.phase === 'teardown') return true;
  return target.whole ? !target.excluded.has(step.index) : target.steps.has(step.index);
}

/** The suite's `only`: the steps asked for, or all less the ones left out. */
function onlyOf(target: Target, file: SuiteFile): { only?: ReadonlySet<number> } {
  if (!file.parsed.ok) return {};
  const indexes = file.parsed.suite.steps.map((step) => step.index);
  if (target.whole) return target.excluded.size === 0 ? {} : { only: new Set(indexes.filter((index) => !target.excluded.has(index))) };
  return { only: new Set([...target.steps].filter((index) => !target.excluded.has(index))) };
}

/** Each unmet expectation as a diff of expected and actual, each error as text, at its place in the file. */
function stepMessages(result: StepResult, file: SuiteFile, clean: (text: string) => string): vscode.TestMessage[] {
  const exchange = result.exchange ? `\n${result.exchange.method} ${result.exchange.url} → ${result.exchange.status}` : '';
  const failures = result.failures.map((failure) => {
    const message = vscode.TestMessage.diff(clean(`${failure.message}${exchange}`), clean(valueText(failure.expected)), clean(valueText(failure.actual)));
    message.location = new vscode.Location(file.uri, rangeOf(file.source, failure.location));
    return message;
  });
  return [...failures, ...result.errors.map((error) => messageAt(clean(`${error.message}${exchange}`), file, error.location))];
}

function messageAt(text: string, file: SuiteFile, location: SourceLocation): vscode.TestMessage {
  const message = new vscode.TestMessage(text);
  message.location = new vscode.Location(file.uri, rangeOf(file.source, location));
  return message;
}

/** A value as the diff shows it: pretty JSON, cut short; `(nothing)` for a value that is not there. */
function valueText(value: unknown): string {
  if (value === undefined) return '(nothing)';
  const text = JSON.stringify(value, null, 2) ?? typeof value;
  return text.length > VALUE_SHOWN ? `${text.slice(0, VALUE_SHOWN)}\n… (${text.length - VALUE_SHOWN} more characters)` : text;
}

function combined(runs: readonly RunTestsResults[]): RunTestsResults {
  const out: RunTestsResults = {
    passed: 0,
    failed: 0,
    skipped: 0,
    errored: 0,
    cancelled: false,
    teardownCancelled: false,
    declined: false,
    durationMs: 0,
    suites: [],
  };
  for (const run of runs) {
    out.passed += run.passed;
    out.failed += run.failed;
    out.skipped += run.skipped;
    out.errored += run.errored;
    out.cancelled ||= run.cancelled;
    out.teardownCancelled ||= run.teardownCancelled;
    out.declined ||= run.declined;
    out.durationMs += run.durationMs;
    out.suites.push(...run.suites);
  }
  return out;
}

/** The environment file keeps the run from starting. */
class EnvironmentError extends Error {
  constructor(
    message: string,
    readonly uri: vscode.Uri,
    readonly location: SourceLocation | undefined,
  ) {
    super(`${message} Fix it to run suites.`);
    this.name = 'EnvironmentError';
  }
}

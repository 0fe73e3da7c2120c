// Test suites in a real VS Code: the Testing view's controller lists every suite file of the
// workspace with its steps (ranges at each step's object), "Run" runs on the active profile and
// "Run against a Fresh Sandbox" on a new sandbox per suite, a failed step carries expected and
// actual at the expectation's place, a capture that finds nothing is an error (not a failure),
// cancel still runs the teardown, a production profile asks once and sends nothing on Cancel,
// stcrm.runTests answers with the results, and suites are checked while typing. The view follows
// folders renamed, deleted or made with suites in them, and a run drops a suite whose file is gone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WriteUi } from '../../src/records/writePipeline';
import type { RunTestsResults } from '../../src/testing/suiteRun';
import type { WriteConfirmation } from '../../src/writes/engine';
import { commandError, eventually, removeWorkspaceFile as remove, rethrowing, workspaceFolder as folder, writeWorkspaceFile as writeFile } from './helpers';
import { sandboxProfileFixture } from './sandboxFixture';

/** What a test run was told, call by call, and its output. */
interface RecordedRun {
  name: string | undefined;
  calls: { state: string; id: string; messages: vscode.TestMessage[]; duration?: number }[];
  output: string;
  ended: boolean;
}

const STATES = new Set(['enqueued', 'started', 'passed', 'failed', 'errored', 'skipped']);

/** Records every run the controller makes (the real TestRun still gets each call). */
function recordRuns(controller: vscode.TestController): { runs: RecordedRun[]; restore(): void } {
  const original = controller.createTestRun.bind(controller);
  const runs: RecordedRun[] = [];
  const patched = controller as { createTestRun: vscode.TestController['createTestRun'] };
  patched.createTestRun = (request, name, persist) => {
    const run = original(request, name, persist);
    const recorded: RecordedRun = { name, calls: [], output: '', ended: false };
    runs.push(recorded);
    return new Proxy(run, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const [first, second, third] = args;
          if (typeof property === 'string' && STATES.has(property) && first && typeof first === 'object' && 'id' in first) {
            const messages = second instanceof vscode.TestMessage ? [second] : Array.isArray(second) ? (second as vscode.TestMessage[]) : [];
            const duration = typeof second === 'number' ? second : typeof third === 'number' ? third : undefined;
            recorded.calls.push({ state: property, id: String(first.id), messages, duration });
          }
          if (property === 'appendOutput' && typeof first === 'string') recorded.output += first;
          if (property === 'end') recorded.ended = true;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  return { runs, restore: () => (patched.createTestRun = original) };
}

/** The last state each item was given in a run, by the item's label. */
function finalStates(run: RecordedRun, items: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const call of run.calls) {
    const label = items.get(call.id);
    if (label !== undefined && call.state !== 'enqueued' && call.state !== 'started') out[label] = call.state;
  }
  return out;
}

function textOf(message: vscode.TestMessage | undefined): string {
  const text = message?.message;
  return typeof text === 'string' ? text : (text?.value ?? '');
}

/** The 0-based line of the first `needle` in `text` (after `after`, when given). */
function lineOf(text: string, needle: string, after = ''): number {
  const start = after ? text.indexOf(after) : 0;
  const at = text.indexOf(needle, start);
  assert.ok(at >= 0, `${needle} is in the text`);
  return text.slice(0, at).split('\n').length - 1;
}

async function fileText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Labels of the items of a file item's children, by id. */
function labelsById(file: vscode.TestItem): Map<string, string> {
  const out = new Map<string, string>([[file.id, file.label]]);
  file.children.forEach((child) => out.set(child.id, child.label));
  return out;
}

async function runTests(arg: Record<string, unknown>): Promise<RunTestsResults> {
  const results = await vscode.commands.executeCommand<RunTestsResults>('stcrm.runTests', rethrowing(arg));
  assert.ok(results, 'stcrm.runTests answered with results');
  return results;
}

const PASSING = {
  name: 'Person round trip',
  steps: [
    {
      name: 'create person',
      operation: 'Contacts_Create',
      body: { name: 'Kim' },
      expect: { status: 200, body: { name: 'Kim' } },
      capture: { contactId: '$.id' },
    },
    { name: 'read it back', operation: 'Contacts_Get', path: { id: '{{contactId}}' }, expect: { paths: { '$.name': 'Kim' } } },
    { operation: 'Customers_GetList', query: { pageSize: 1 } },
  ],
  teardown: [{ name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } }],
};

/** Its second step fails (expects 404), its third errors (a capture that finds nothing), its fourth needs that capture. */
const FAILING = {
  name: 'Second step fails',
  sandbox: { seed: 3, customers: 3 },
  steps: [
    { name: 'first page', operation: 'Customers_GetList', query: { pageSize: 2 }, expect: { paths: { '$.page': 1 } } },
    { name: 'wrong status', operation: 'Customers_GetList', query: { pageSize: 1 }, expect: { status: 404 } },
    { name: 'capture nothing', operation: 'Customers_GetList', query: { pageSize: 1 }, capture: { missing: '$.nope' } },
    { name: 'needs the capture', operation: 'Customers_Get', path: { id: '{{missing}}' } },
  ],
};

suite('Testing view', () => {
  const fx = sandboxProfileFixture('Suites', { customers: 5 });
  let passing: vscode.Uri;
  let failing: vscode.Uri;
  let recorder: ReturnType<typeof recordRuns>;

  suiteSetup(async () => {
    passing = await writeFile('suites/passing.stcrm-suite.json', PASSING);
    failing = await writeFile('suites/failing.stcrm-suite.json', FAILING);
  });
  suiteTeardown(async () => {
    await remove(vscode.Uri.joinPath(folder(), 'suites'));
  });
  setup(() => {
    recorder = recordRuns(fx.api.suites.controller);
  });
  teardown(async () => {
    recorder.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The controller's item for a file, with its children resolved. */
  async function resolved(uri: vscode.Uri): Promise<vscode.TestItem> {
    const { controller } = fx.api.suites;
    await controller.resolveHandler?.(undefined);
    const item = await eventually(() => controller.items.get(uri.toString()), `the item of ${uri.path}`);
    await controller.resolveHandler?.(item);
    return item;
  }

  test('lists every suite file of the workspace, and its steps and teardown steps at their objects', async () => {
    const { controller } = fx.api.suites;
    assert.equal(controller.id, 'stcrm.suites');
    assert.equal(controller.label, 'ServiceTitan CRM suites');
    const item = await resolved(passing);
    assert.ok(controller.items.get(failing.toString()), 'the other suite file is listed too');
    assert.equal(item.label, 'suites/passing.stcrm-suite.json');
    assert.equal(item.description, 'Person round trip');
    const text = await fileText(passing);
    const children: [string, string | undefined, number | undefined][] = [];
    item.children.forEach((child) => children.push([child.label, child.description, child.range?.start.line]));
    children.sort((a, b) => (a[2] ?? 0) - (b[2] ?? 0));
    // Each step's range starts at the `{` of its object: one line above its first key.
    assert.deepEqual(children, [
      ['create person', 'Contacts_Create', lineOf(text, '"name": "create person"') - 1],
      ['read it back', 'Contacts_Get', lineOf(text, '"name": "read it back"') - 1],
      ['Customers_GetList', undefined, lineOf(text, '"operation": "Customers_GetList"') - 1],
      ['teardown: delete', 'Contacts_DeleteContact', lineOf(text, '"name": "delete"') - 1],
    ]);
    assert.deepEqual(fx.api.suites.profiles.profile.label, 'Run', 'the default profile runs on the active profile');
    assert.equal(fx.api.suites.profiles.freshSandbox.label, 'Run against a Fresh Sandbox');
  });

  test('"Run" runs a suite on the active profile: each step passes, the teardown runs, the output has each step', async () => {
    const item = await resolved(passing);
    const { profile } = fx.api.suites.profiles;
    const tokens = new vscode.CancellationTokenSource();
    await profile.runHandler(new vscode.TestRunRequest([item], undefined, profile), tokens.token);
    const [run] = recorder.runs;
    assert.ok(run?.ended, 'one run, ended');
    assert.deepEqual(finalStates(run, labelsById(item)), {
      'create person': 'passed',
      'read it back': 'passed',
      Customers_GetList: 'passed',
      'teardown: delete': 'passed',
    });
    assert.match(run.output, /Profile "Suites", tenant \d+/);
    assert.match(run.output, /✓ create person \([\d.]+ ms\)\r\n/);
    assert.match(run.output, /teardown\r\n {4}✓ delete/);
    assert.match(run.output, /4 passed, 0 failed, 0 skipped/);
  });

  test('"Run against a Fresh Sandbox": a failed step shows expected and actual at the expectation, a capture that finds nothing is an error', async () => {
    const item = await resolved(failing);
    const { freshSandbox } = fx.api.suites.profiles;
    await freshSandbox.runHandler(new vscode.TestRunRequest([item], undefined, freshSandbox), new vscode.CancellationTokenSource().token);
    const [run] = recorder.runs;
    assert.ok(run);
    assert.deepEqual(finalStates(run, labelsById(item)), {
      'first page': 'passed',
      'wrong status': 'failed',
      'capture nothing': 'errored',
      'needs the capture': 'skipped',
    });
    const text = await fileText(failing);
    const failed = run.calls.find((call) => call.state === 'failed');
    const [message] = failed?.messages ?? [];
    assert.ok(message, 'the failed step has a message');
    assert.match(textOf(message), /^Expected status 404, got 200/);
    assert.equal(message.expectedOutput, '404');
    assert.equal(message.actualOutput, '200');
    assert.equal(message.location?.uri.toString(), failing.toString());
    assert.equal(message.location?.range.start.line, lineOf(text, '"status": 404'), 'at the line of the expectation');
    const errored = run.calls.find((call) => call.state === 'errored');
    assert.match(textOf(errored?.messages[0]), /^Capture missing: \$\.nope selects nothing/);
    assert.equal(errored?.messages[0]?.location?.range.start.line, lineOf(text, '"missing": "$.nope"'));
    assert.match(run.output, /A fresh sandbox for each suite/);
    assert.match(run.output, /✗ wrong status/);
    assert.match(run.output, /1 passed, 1 failed, 1 skipped, 1 errored/);
  });

  test('Run Step runs the earlier steps it needs; cancel abandons the step in flight and still runs the teardown', async () => {
    const item = await resolved(passing);
    const { profile } = fx.api.suites.profiles;
    // One step of the suite: it needs the capture of the first.
    const read = item.children.get(`${passing.toString()}#steps/1`);
    assert.ok(read);
    await profile.runHandler(new vscode.TestRunRequest([read], undefined, profile), new vscode.CancellationTokenSource().token);
    assert.deepEqual(finalStates(recorder.runs[0] ?? ({} as RecordedRun), labelsById(item)), {
      'create person': 'passed',
      'read it back': 'passed',
      'teardown: delete': 'passed',
    });

    // A slow read, cancelled while it waits for its answer.
    fx.sandbox.faults.add({ kind: 'latency', method: 'GET', path: '^/contacts/[^/]+$', latencyMs: 20_000 });
    const tokens = new vscode.CancellationTokenSource();
    const running = profile.runHandler(new vscode.TestRunRequest([item], undefined, profile), tokens.token);
    const run = await eventually(() => recorder.runs[1], 'the second run');
    await eventually(() => run.calls.some((call) => call.state === 'started' && call.id.endsWith('#steps/1')), 'the slow step to start');
    tokens.cancel();
    await running;
    assert.deepEqual(finalStates(run, labelsById(item)), {
      'create person': 'passed',
      'read it back': 'errored',
      Customers_GetList: 'skipped',
      'teardown: delete': 'passed',
    });
    assert.match(run.output, /Cancelled: the steps after the cancel were skipped; the teardown ran\./);
  });

  test('stcrm.runTests answers with the results of every step, and runs one step with `steps`', async () => {
    const results = await runTests({ uris: [passing.toString(), failing.fsPath], sandbox: true });
    assert.deepEqual(
      { passed: results.passed, failed: results.failed, skipped: results.skipped, errored: results.errored },
      { passed: 5, failed: 1, skipped: 1, errored: 1 },
    );
    assert.deepEqual(
      results.suites.map((suite) => [suite.uri, suite.name, suite.status]),
      [
        [passing.toString(), 'Person round trip', 'passed'],
        [failing.toString(), 'Second step fails', 'failed'],
      ],
    );
    const wrong = results.suites[1]?.steps[1];
    assert.deepEqual([wrong?.id, wrong?.status, wrong?.failures[0]?.expected, wrong?.failures[0]?.actual], ['steps/1', 'failed', 404, 200]);

    const one = await runTests({ uris: [passing.toString()], steps: [1] });
    assert.deepEqual(one.suites[0] && [...one.suites[0].steps, ...one.suites[0].teardown].map((step) => `${step.status} ${step.name}`), [
      'passed create person',
      'passed read it back',
      'passed delete',
    ]);
    assert.match((await commandError('stcrm.runTests', { uris: [passing.toString()], steps: [9] })).message, /has no step 9/);
    assert.match((await commandError('stcrm.runTests', { uris: ['/tmp/x.json'] })).message, /is not a suite file/);
    assert.match((await commandError('stcrm.runTests', { files: [] })).message, /^stcrm\.runTests takes/);
    // No active profile: the run's items say what to do.
    await fx.api.store.setActive(undefined);
    const { message } = await commandError('stcrm.runTests', { uris: [passing.toString()] });
    assert.match(message, /^No ServiceTitan profile is active/);
    const errored = recorder.runs.at(-1)?.calls.filter((call) => call.state === 'errored') ?? [];
    assert.deepEqual(
      errored.map((call) => textOf(call.messages[0])),
      [message, message, message, message],
      'every step and the teardown',
    );
  });

  test('a dirty suite runs as its editor shows it, and problems and unknown {{names}} are marked while typing', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(passing));
    const text = editor.document.getText();
    const start = editor.document.positionAt(text.indexOf('"read it back"'));
    await editor.edit((edit) => edit.replace(new vscode.Range(start, start.translate(0, '"read it back"'.length)), '"read it again"'));
    assert.ok(editor.document.isDirty);
    const results = await runTests({ uris: [passing.toString()] });
    assert.equal(results.suites[0]?.steps[1]?.name, 'read it again', 'the unsaved name');

    // An unknown name, marked on its value.
    const path = editor.document.positionAt(editor.document.getText().indexOf('"{{contactId}}"'));
    await editor.edit((edit) => edit.replace(new vscode.Range(path, path.translate(0, '"{{contactId}}"'.length)), '"{{personId}}"'));
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(passing).filter((d) => d.source === 'ServiceTitan CRM');
    const unknown = await eventually(() => ours().find((d) => d.message.startsWith('Unknown variable {{personId}}')), 'the unknown name');
    assert.equal(editor.document.getText(unknown.range), '"{{personId}}"');
    // stcrm.env.json defines it for this profile: the diagnostic goes.
    const environment = await writeFile('stcrm.env.json', { $shared: { other: 1 }, Suites: { personId: 'x' } });
    try {
      const envEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(environment), { preview: false });
      await envEditor.edit((edit) => edit.insert(new vscode.Position(0, 1), ' '));
      await eventually(() => ours().length === 0, 'the unknown name to be known');
      // A credential in the environment file is a problem of that file.
      await envEditor.edit((edit) => edit.insert(new vscode.Position(0, 1), '"Other": {"clientSecret": "x"},'));
      await eventually(
        () => vscode.languages.getDiagnostics(environment).find((d) => d.source === 'ServiceTitan CRM' && /looks like a credential/.test(d.message)),
        'the credential in stcrm.env.json',
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await remove(environment);
    }
    // A problem of the suite itself (an unknown key), at its key.
    const shown = await vscode.window.showTextDocument(editor.document);
    const head = shown.document.positionAt(shown.document.getText().indexOf('"name": "Person round trip"'));
    await shown.edit((edit) => edit.insert(head, '"nmae": 1, '));
    const unknownKey = await eventually(() => ours().find((d) => d.message.startsWith('Unknown key "nmae"')), 'the unknown key');
    assert.equal(shown.document.getText(unknownKey.range), '"nmae"');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('CodeLens: Run Suite and a fresh-sandbox run above "steps", Run Step above each step', async () => {
    const document = await vscode.workspace.openTextDocument(failing);
    await vscode.window.showTextDocument(document);
    const lenses = await eventually(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', failing);
      return found.filter((lens) => lens.command?.command === 'stcrm.runTests').length >= 6 ? found : undefined;
    }, 'the suite lenses');
    const ours = lenses.filter((lens) => lens.command?.command === 'stcrm.runTests');
    const text = document.getText();
    const uris = [failing.toString()];
    const stepsLine = lineOf(text, '"steps"');
    // A step's lens sits on its object's `{`, the line above its name.
    const stepLine = (name: string): number => lineOf(text, `"name": "${name}"`) - 1;
    assert.deepEqual(
      ours.map((lens): unknown[] => [lens.range.start.line, lens.command?.title, lens.command?.arguments?.[0] as unknown]),
      [
        [stepsLine, '$(run-all) Run Suite', { uris }],
        [stepsLine, 'Run against a Fresh Sandbox', { uris, sandbox: true }],
        ...FAILING.steps.map((step, index) => [stepLine(step.name), '$(play) Run Step', { uris, steps: [index] }]),
      ],
    );
  });
});

suite('Testing view on a production profile', () => {
  /** Write requests the sandbox received. */
  const sent: string[] = [];
  const fx = sandboxProfileFixture(
    'Live suites',
    { customers: 5, log: (line) => void (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line) && sent.push(line)) },
    { production: true },
  );
  let original: WriteUi;
  const asked: WriteConfirmation[] = [];
  let suiteUri: vscode.Uri;

  suiteSetup(async () => {
    original = fx.api.writes.ui;
    suiteUri = await writeFile('live/live.stcrm-suite.json', PASSING);
  });
  suiteTeardown(async () => {
    fx.api.writes.ui = original;
    await remove(vscode.Uri.joinPath(folder(), 'live'));
  });

  test('asks once, listing every write of the run, and sends nothing on Cancel', async () => {
    fx.api.writes.ui = { confirm: (confirmation) => (asked.push(confirmation), Promise.resolve(false)) };
    const recorder = recordRuns(fx.api.suites.controller);
    let results: RunTestsResults;
    try {
      results = await runTests({ uris: [suiteUri.toString()] });
    } finally {
      recorder.restore();
    }
    assert.equal(asked.length, 1, 'one question for the run');
    const root = `${fx.sandbox.url}/crm/v2/tenant/${fx.sandbox.tenant}`;
    assert.deepEqual(
      asked[0]?.calls.map((call) => `${call.label}: ${call.method} ${call.url}`),
      [`Person round trip: create person: POST ${root}/contacts`, `Person round trip: teardown: delete: DELETE ${root}/contacts/{id}`],
    );
    assert.equal(asked[0]?.profile.production, true);
    assert.equal(results.declined, true);
    assert.deepEqual([results.passed, results.skipped], [0, 4]);
    assert.deepEqual(sent, [], 'nothing was sent');
    const item = fx.api.suites.controller.items.get(suiteUri.toString());
    assert.ok(item && recorder.runs[0]);
    assert.deepEqual(finalStates(recorder.runs[0], labelsById(item)), {
      'create person': 'skipped',
      'read it back': 'skipped',
      Customers_GetList: 'skipped',
      'teardown: delete': 'skipped',
    });
    assert.match(
      recorder.runs[0].output,
      /Profile "Live suites", tenant \d+ \(PRODUCTION\)[\s\S]*The production confirmation was declined: nothing was sent\./,
    );

    // A script that has the user's yes says so, as with every write command.
    asked.length = 0;
    const confirmed = await runTests({ uris: [suiteUri.toString()], productionConfirmed: true });
    assert.equal(asked.length, 0);
    assert.deepEqual([confirmed.passed, confirmed.declined], [4, false]);
    assert.equal(sent.length, 2, 'the create and the delete');
  });
});

suite('Testing view follows folders', () => {
  const fx = sandboxProfileFixture('Folders', { customers: 2 });
  const one = (name: string): Record<string, unknown> => ({ name, steps: [{ operation: 'Customers_GetList', query: { pageSize: 1 } }] });
  const at = (relative: string): vscode.Uri => vscode.Uri.joinPath(folder(), relative);
  const item = (uri: vscode.Uri): vscode.TestItem | undefined => fx.api.suites.controller.items.get(uri.toString());

  suiteSetup(async () => {
    // The view lists the workspace once; the watchers keep it up to date from then on.
    await fx.api.suites.controller.resolveHandler?.(undefined);
  });
  suiteTeardown(async () => {
    for (const name of ['dirA', 'dirB', 'made', 'gone', 'kept', 'checked']) await remove(at(name));
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a renamed folder takes its suites along (listed under the new name, with their names); a deleted folder removes them', async () => {
    const a = await writeFile('dirA/a.stcrm-suite.json', one('Suite A'));
    const deep = await writeFile('dirA/sub/deep.stcrm-suite.json', one('Deep suite'));
    await eventually(() => item(a) && item(deep), 'the suites of dirA');

    await vscode.workspace.fs.rename(at('dirA'), at('dirB'));
    const movedA = at('dirB/a.stcrm-suite.json');
    const movedDeep = at('dirB/sub/deep.stcrm-suite.json');
    await eventually(() => !item(a) && !item(deep) && item(movedA)?.description && item(movedDeep)?.description, 'the suites under dirB');
    assert.equal(item(movedA)?.label, 'dirB/a.stcrm-suite.json');
    assert.equal(item(movedA)?.description, 'Suite A');
    assert.equal(item(movedDeep)?.description, 'Deep suite');

    await vscode.workspace.fs.delete(at('dirB'), { recursive: true });
    await eventually(() => !item(movedA) && !item(movedDeep), 'the suites of the deleted folder to go');
  });

  test('a folder made with a suite already in it is listed, with the suite name', async () => {
    // Made in one go, as a `git checkout` or an unzip does: the watcher tells only of the folder.
    const made = at('made/one/two');
    fs.mkdirSync(made.fsPath, { recursive: true });
    fs.writeFileSync(path.join(made.fsPath, 'c.stcrm-suite.json'), JSON.stringify(one('Made at once')));
    const uri = vscode.Uri.joinPath(made, 'c.stcrm-suite.json');
    const listed = await eventually(() => (item(uri)?.description ? item(uri) : undefined), 'the suite of the new folder, named');
    assert.equal(listed.description, 'Made at once');
  });

  test('stcrm.runTests after a folder is deleted runs no stale suite', async () => {
    const gone = await writeFile('gone/g.stcrm-suite.json', one('Gone'));
    const kept = await writeFile('kept/k.stcrm-suite.json', one('Kept'));
    await eventually(() => item(gone) && item(kept), 'both suites');
    fs.rmSync(at('gone').fsPath, { recursive: true });
    const results = await runTests({});
    // Every suite of the workspace runs (those of the tests before too), the deleted one not.
    assert.ok(!results.suites.some((suite) => suite.uri === gone.toString()), 'the deleted suite did not run');
    assert.deepEqual(
      results.suites.map((suite) => `${suite.uri} ${suite.status}`),
      results.suites.map((suite) => `${suite.uri} passed`),
      'no suite could not run',
    );
    assert.ok(results.suites.some((suite) => suite.uri === kept.toString()));
    assert.equal(item(gone), undefined, 'the deleted suite is not listed');
  });

  test('a listed suite whose file is gone is dropped when run, with a message that says so', async () => {
    const { controller, profiles } = fx.api.suites;
    // Listed, then gone without a word from the watcher (an item left from before).
    const uri = at('kept/never.stcrm-suite.json');
    controller.items.add(controller.createTestItem(uri.toString(), 'kept/never.stcrm-suite.json', uri));
    const recorder = recordRuns(controller);
    try {
      await profiles.profile.runHandler(new vscode.TestRunRequest([item(uri)!]), new vscode.CancellationTokenSource().token);
    } finally {
      recorder.restore();
    }
    const output = recorder.runs[0]?.output ?? '';
    assert.match(output, /Not run: kept\/never\.stcrm-suite\.json no longer exists \(it was moved or deleted\); it is no longer listed\./);
    assert.doesNotMatch(output, /ENOENT|cannot be read/);
    assert.equal(item(uri), undefined, 'no longer listed');
    // Named by a script: refused, and not listed either.
    assert.match((await commandError('stcrm.runTests', { uris: [uri.toString()] })).message, /never\.stcrm-suite\.json does not exist\.$/);
    assert.equal(item(uri), undefined);
  });

  test('unknown {{names}} are marked while the suite has another problem (an unknown operation)', async () => {
    const uri = await writeFile('checked/c.stcrm-suite.json', {
      name: 'Two problems',
      steps: [{ operation: 'Customers_Gett' }, { operation: 'Customers_Get', path: { id: '{{nobody}}' } }],
    });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const ours = (): string[] =>
      vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.source === 'ServiceTitan CRM')
        .map((d) => d.message.slice(0, 40));
    await eventually(() => ours().length === 2 || undefined, 'both problems');
    assert.deepEqual(ours(), ['Unknown operation "Customers_Gett". Did ', 'Unknown variable {{nobody}}: define it i']);
  });
});

// Canary credentials inside a real VS Code: a hostile CRM on loopback echoes a profile's client
// id, client secret, app key and access token back in every form (JSON keys and values, problem
// `errors` keys, .NET \uXXXX escapes in a body that is not JSON, URL-encoded, HTML, base64 of
// `clientId:clientSecret`, response headers), and none of them reaches the response history on
// disk, a response or diff document, the Problems panel, the log, a notification, a command's
// error, a copied cURL command or the tree.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import * as vscode from 'vscode';
import type { StcrmApi } from '../../src/extension';
import type { SendResult } from '../../src/requests/requestCommands';
import { CANARY, canaryLeaks, startHostileCrm, type HostileCrm } from '../canarySecrets';
import { activateExtension, eventually, logText, removeAllProfiles } from './helpers';
import { records } from './treeHelpers';

const PROFILE = 'Canary';
/** Reject with the error, show nothing: the test reads errors itself. */
const quiet = { errorHandling: { rethrow: true, suppressDisplay: true } };

/** One request file per kind of hostile answer (see startHostileCrm). */
const REQUESTS: Record<string, unknown> = {
  // 400 problem; the query carries the secret, which the server echoes URL-encoded.
  problem: { operation: 'Customers_GetList', query: { name: CANARY.clientSecret, pageSize: 5 } },
  // 200 whose record has secret keys and values.
  records: { operation: 'Contacts_GetList', query: { pageSize: 5 } },
  // 200 that is not JSON, with .NET escapes.
  broken: { operation: 'Locations_GetList', query: { pageSize: 5 } },
  // 502 HTML page.
  gateway: { operation: 'Leads_GetList', query: { pageSize: 5 } },
  // A write: 400 problem on a body that holds the app key.
  write: { operation: 'Contacts_Create', body: { name: `Canary ${CANARY.appKey}` } },
};

function textOf(value: string | vscode.MarkdownString | vscode.TreeItemLabel | undefined): string {
  if (value === undefined || typeof value === 'string') return value ?? '';
  return 'value' in value ? value.value : value.label;
}

suite('Secret canaries', () => {
  let api: StcrmApi;
  let crm: HostileCrm;
  let folder: vscode.Uri;
  const notifications: string[] = [];
  const restore: (() => void)[] = [];

  suiteSetup(async () => {
    api = await activateExtension();
    await removeAllProfiles(api);
    crm = await startHostileCrm();
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(workspace, 'the test host opens a workspace folder');
    folder = vscode.Uri.joinPath(workspace, 'secret-canary');
    // Every notification the extension shows is recorded here instead of shown (the extension
    // and this suite share one `vscode` API object).
    const window = vscode.window as unknown as Record<string, unknown>;
    for (const name of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage']) {
      const original = window[name];
      window[name] = (message: unknown, ...rest: unknown[]) => {
        notifications.push(`${String(message)} ${JSON.stringify(rest)}`);
        return Promise.resolve(undefined);
      };
      restore.push(() => {
        window[name] = original;
      });
    }
  });

  suiteTeardown(async () => {
    for (const undo of restore) undo();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await removeAllProfiles(api);
    await crm.close();
  });

  test('never reach history, documents, diagnostics, log, notifications, errors, cURL or the tree', async function () {
    this.timeout(180_000);
    const errors: string[] = [];
    const curls: string[] = [];
    const attempt = async <T>(work: () => Thenable<T>): Promise<T | undefined> => {
      try {
        return await work();
      } catch (error) {
        errors.push(`${inspect(error, { depth: 8 })}\n${error instanceof Error ? (error.stack ?? '') : ''}`);
        return undefined;
      }
    };

    await vscode.commands.executeCommand('stcrm.addProfile', {
      name: PROFILE,
      environment: 'custom',
      apiBaseUrl: crm.url,
      tokenUrl: `${crm.url}/connect/token`,
      tenant: '1000',
      clientId: CANARY.clientId,
      clientSecret: CANARY.clientSecret,
      appKey: CANARY.appKey,
      check: false,
      activate: true,
      ...quiet,
    });
    assert.equal(api.store.active()?.name, PROFILE);

    // Record commands on the tree's one customer, whose name holds the app key; Open as JSON meets the 502 page.
    const customer = await eventually(async () => (await records(api))[0], 'the canary customer in the tree');
    curls.push((await vscode.commands.executeCommand<string>('stcrm.copyAsCurl', customer)) ?? '');
    const copiedJson = (await vscode.commands.executeCommand<string>('stcrm.copyAsJson', customer)) ?? '';
    assert.match(copiedJson, /"name": "Canary Customer \[REDACTED\]"/);
    await vscode.commands.executeCommand('stcrm.openAsJson', customer);
    // A command that fails with the server's problem, shown as a notification and rethrown.
    await attempt(() => vscode.commands.executeCommand('stcrm.createContact', { name: 'Canary Contact', errorHandling: { rethrow: true } }));

    const files: Record<string, vscode.Uri> = {};
    for (const [name, request] of Object.entries(REQUESTS)) {
      const uri = vscode.Uri.joinPath(folder, `${name}.stcrm.json`);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(request, null, 2)}\n`));
      files[name] = uri;
      const arg = { uri: uri.toString(), ...quiet };
      for (let i = 0; i < 2; i++) {
        const result = await attempt(() => vscode.commands.executeCommand<SendResult>('stcrm.sendRequest', arg));
        assert.ok(result, `${name} was sent: ${errors.at(-1) ?? ''}`);
      }
      await attempt(() => vscode.commands.executeCommand('stcrm.compareWithPreviousResponse', arg));
      curls.push((await attempt(() => vscode.commands.executeCommand<string>('stcrm.copyRequestAsCurl', arg))) ?? '');
      curls.push(await vscode.env.clipboard.readText());
    }
    const problemFile = files.problem;
    assert.ok(problemFile);
    const requests = await api.requests.load();
    await eventually(() => (requests.serverDiagnostics.get(problemFile) ?? []).length > 0 || undefined, 'server diagnostics on the problem request');

    // Every call reached the hostile server, so every surface below had the chance to leak.
    const calls = crm.seen.join('\n');
    for (const expected of [
      /GET \/crm\/v2\/tenant\/1000\/customers\?name=/,
      /GET .*\/contacts\?/,
      /GET .*\/locations\?/,
      /GET .*\/leads\?/,
      /POST .*\/contacts/,
      /GET .*\/customers\/7/,
    ]) {
      assert.match(calls, expected);
    }

    const requestFiles = new Set(Object.values(files).map((uri) => uri.toString()));
    const historyFolder = vscode.Uri.joinPath(requests.responses.storage, 'responses');
    let history = '';
    for (const [name] of await vscode.workspace.fs.readDirectory(historyFolder)) {
      history += new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(historyFolder, name)));
    }
    const documents = vscode.workspace.textDocuments.filter((document) => !requestFiles.has(document.uri.toString()));
    const responseDocuments = documents.filter((document) => document.uri.scheme === 'stcrm-response');
    const diffTabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff);
    const diagnostics = vscode.languages.getDiagnostics().flatMap(([uri, list]) =>
      list.map((d) => {
        const code = typeof d.code === 'object' ? `${String(d.code.value)} ${d.code.target.toString()}` : String(d.code ?? '');
        const related = (d.relatedInformation ?? []).map((info) => `${info.location.uri.toString()} ${info.message}`).join(' ');
        return `${uri.toString()} ${d.source ?? ''} ${code} ${d.message} ${related}`;
      }),
    );
    const tree = (await api.tree.getChildren()).map((node) => {
      const item = api.tree.getTreeItem(node);
      return `${textOf(item.label)} ${textOf(typeof item.description === 'string' ? item.description : undefined)} ${textOf(item.tooltip)}`;
    });

    // Not vacuous: each surface holds what the server sent, redacted.
    assert.match(history, /\[REDACTED\]/, 'the history holds the echoes, redacted');
    assert.ok(responseDocuments.length >= Object.keys(REQUESTS).length, `response documents: ${responseDocuments.map((d) => d.uri.toString()).join(', ')}`);
    assert.ok(diffTabs.length >= 1, 'Compare with Previous opened a diff');
    assert.ok(
      diagnostics.some((line) => line.includes('[REDACTED]')),
      diagnostics.join('\n'),
    );
    assert.ok(notifications.length > 0, 'the failing commands showed notifications');
    assert.ok(errors.length > 0, 'createContact failed with the server problem');
    assert.ok(
      curls.every((curl) => curl.startsWith('curl ')),
      curls.join('\n'),
    );

    const surfaces: [string, string][] = [
      ['history files on disk', history],
      ['response and diff documents', responseDocuments.map((document) => document.getText()).join('\n')],
      [
        'other open documents',
        documents
          .filter((document) => document.uri.scheme !== 'stcrm-response')
          .map((document) => `${document.uri.toString()}\n${document.getText()}`)
          .join('\n'),
      ],
      ['diagnostics', diagnostics.join('\n')],
      ['log', await logText(api)],
      ['notifications', notifications.join('\n')],
      ['command errors', errors.join('\n')],
      ['cURL copies', curls.join('\n')],
      ['Copy as JSON', copiedJson],
      ['tree', tree.join('\n')],
    ];
    const leaks = surfaces.flatMap(([surface, text]) => canaryLeaks(text).map((leak) => `${surface}: ${leak}`));
    assert.deepEqual(leaks, []);
  });
});

// What the bundle loads when (scripts/build.mjs): activation loads dist/extension.js alone; the
// forms' host, request files, suites in the editor and the write engine load on first use, from files that take the
// core's modules from the extension module VS Code loaded (Node's require cache), never copies.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SendResult } from '../../src/requests/requestCommands';
import { EXTENSION_ID, eventually, rethrowing } from './helpers';
import { customerOf, records } from './treeHelpers';
import { sandboxProfileFixture } from './sandboxFixture';

function distFolder(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return path.join(extension.extensionPath, 'dist');
}

/** The module of `dist/<name>` in Node's require cache, if it was loaded. */
function loadedModule(name: string): NodeJS.Module | undefined {
  return require.cache[path.join(distFolder(), name)];
}

/** Asserts that `dist/<name>` was loaded and took its core modules from the loaded extension.js. */
function assertLoadedSharingTheCore(name: string): void {
  const lazy = loadedModule(name);
  assert.ok(lazy, `dist/${name} is loaded`);
  const core = loadedModule('extension.js');
  assert.ok(core, 'dist/extension.js is in the require cache');
  assert.ok(lazy.children.includes(core), `dist/${name} required the extension module VS Code loaded (not a copy)`);
  const copies = Object.keys(require.cache).filter((file) => path.dirname(file) === distFolder() && path.basename(file) === 'extension.js');
  assert.equal(copies.length, 1, 'one extension module');
}

suite('Lazy loading', () => {
  const fx = sandboxProfileFixture('Lazy loading');

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('activation loads dist/extension.js and no other file of the bundle', () => {
    assert.deepEqual(fx.api.loadedOnActivation, ['extension.js']);
  });

  test('a request file opened in an editor loads the request files, and their checks run on it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test host has a workspace folder');
    const uri = vscode.Uri.joinPath(folder, 'lazy-check.stcrm.json');
    const request = { operation: 'Customers_CreateContact', path: { id: 1 }, body: { type: 'Email', value: 'not-an-email' } };
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(request, null, 2)}\n`));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const diagnostics = await eventually(() => {
        const found = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'ServiceTitan CRM');
        return found.length > 0 ? found : undefined;
      }, 'the rule check on the opened request file');
      assert.match(diagnostics[0]?.message ?? '', /email address/);
      assertLoadedSharingTheCore('request-files.js');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('a suite file opened in an editor loads the Testing view side of suites, and its checks run on it', async () => {
    assert.ok(!fx.api.loadedOnActivation.includes('suite-testing.js'));
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test host has a workspace folder');
    const uri = vscode.Uri.joinPath(folder, 'lazy-check.stcrm-suite.json');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify({ name: 'Lazy', steps: [{ operation: 'Customers_Gett' }] }, null, 2)));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const diagnostics = await eventually(() => {
        const found = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'ServiceTitan CRM');
        return found.length > 0 ? found : undefined;
      }, 'the check of the opened suite file');
      assert.match(diagnostics[0]?.message ?? '', /Unknown operation "Customers_Gett"\. Did you mean Customers_Get/);
      assertLoadedSharingTheCore('suite-testing.js');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('opening a form loads the forms host; sending a request loads the write engine', async () => {
    assert.ok(!fx.api.loadedOnActivation.includes('forms-host.js'));
    const customer = customerOf((await records(fx.api))[0]);
    assert.ok(customer, 'the tree shows a customer');
    const session = await fx.api.forms.open({ kind: 'createCustomerContact', profileId: fx.profileId, customerId: customer.id });
    try {
      assertLoadedSharingTheCore('forms-host.js');
    } finally {
      session.panel.dispose();
    }

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('stcrm.newRequest', rethrowing({ operation: 'Customers_GetList' }));
    assert.ok(editor);
    const result = await vscode.commands.executeCommand<SendResult>('stcrm.sendRequest', rethrowing({ uri: editor.document.uri.toString() }));
    assert.equal(result?.status, 200);
    assertLoadedSharingTheCore('write-engine.js');
  });

  test('an agent tool call loads the agent tools, which share the core', async () => {
    const result = await vscode.lm.invokeTool('stcrm_findCustomers', { input: { pageSize: 1 }, toolInvocationToken: undefined });
    assert.ok(result.content.length > 0);
    assertLoadedSharingTheCore('agent-tools.js');
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StcrmApi } from '../../src/extension';
import { activateExtension, removeAllProfiles } from './helpers';

suite('Embedded sandbox', () => {
  let api: StcrmApi;

  suiteSetup(async () => {
    api = await activateExtension();
    await removeAllProfiles(api);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('stcrm.stopSandbox');
    await removeAllProfiles(api);
  });

  test('start → active "Local sandbox" profile → a real call succeeds', async () => {
    const started = await vscode.commands.executeCommand<{ url: string; profileId: string }>('stcrm.startSandbox');
    assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const profile = api.store.active();
    assert.equal(profile?.id, started.profileId);
    assert.equal(profile?.environment, 'sandbox');
    assert.equal(profile?.name, 'Local sandbox');
    assert.match(api.statusBar.item.text, /Local sandbox · tenant 1000/);

    const connection = await api.connections.active();
    assert.ok(connection, 'the sandbox profile has a connection');
    assert.equal(connection.environment.apiBaseUrl, started.url);
    const page = await connection.client.listCustomers({ page: 1, pageSize: 5, includeTotal: true });
    assert.equal(page.data.length, 5);
    assert.ok((page.totalCount ?? 0) >= 5);

    // Starting again reuses the same sandbox and profile.
    const again = await vscode.commands.executeCommand<{ url: string; profileId: string }>('stcrm.startSandbox');
    assert.deepEqual(again, started);
    assert.equal(api.store.list().filter((p) => p.environment === 'sandbox').length, 1);
  });

  test('after Stop the tree offers to start the sandbox instead of starting it again', async () => {
    await vscode.commands.executeCommand('stcrm.startSandbox');
    assert.ok(
      (await api.tree.getChildren()).some((node) => node.entity?.kind === 'customer'),
      'customers show',
    );
    await vscode.commands.executeCommand('stcrm.stopSandbox');
    const nodes = await api.tree.getChildren();
    assert.equal(nodes.length, 1);
    assert.ok(nodes[0]);
    const item = api.tree.getTreeItem(nodes[0]);
    assert.equal(typeof item.label === 'string' ? item.label : item.label?.label, 'The local sandbox is stopped · click to start it');
    assert.equal(api.sandbox.running, undefined, 'drawing the tree did not start it');
    assert.equal(item.command?.command, 'stcrm.startSandbox');
    await vscode.commands.executeCommand('stcrm.startSandbox');
    assert.ok(api.sandbox.running);
    assert.ok(
      (await api.tree.getChildren()).some((node) => node.entity?.kind === 'customer'),
      'customers show again',
    );
  });

  test('stop closes the port; the sandbox profile brings it back on next use', async () => {
    const { url } = await vscode.commands.executeCommand<{ url: string }>('stcrm.startSandbox');
    assert.equal(await vscode.commands.executeCommand('stcrm.stopSandbox'), true);
    assert.equal(api.sandbox.running, undefined);
    await assert.rejects(fetch(`${url}/connect/token`, { method: 'POST' }), 'the old port no longer answers');

    const connection = await api.connections.active();
    assert.ok(connection);
    const page = await connection.client.listCustomers({ page: 1, pageSize: 1 });
    assert.equal(page.data.length, 1);
    assert.ok(api.sandbox.running, 'the sandbox started itself for the active sandbox profile');
  });
});

// Request files take the variables of stcrm.env.json (at the workspace root) for the active
// profile: `{{name}}` is resolved before sending (the profile's section over "$shared"), the
// response document shows the body as sent, and an unknown name is marked while typing and
// stops the send.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SendResult } from '../../src/requests/requestCommands';
import { commandError, eventually, removeWorkspaceFile as remove, rethrowing, writeWorkspaceFile as writeFile } from './helpers';
import { sandboxProfileFixture } from './sandboxFixture';

suite('Request file variables', () => {
  const fx = sandboxProfileFixture('Variables', { customers: 3 });
  let environment: vscode.Uri;

  suiteSetup(async () => {
    environment = await writeFile('stcrm.env.json', { $shared: { person: 'Kim' }, Variables: { person: 'Lee', suffix: 7 } });
  });
  suiteTeardown(async () => {
    await remove(environment);
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('{{name}} resolves from stcrm.env.json for the active profile; the response shows the request as sent', async () => {
    const uri = await writeFile('person.stcrm.json', { operation: 'Contacts_Create', body: { name: '{{person}} {{suffix}}', referenceId: 'r-{{$uuid}}' } });
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const result = await vscode.commands.executeCommand<SendResult>('stcrm.sendRequest', rethrowing({ uri: uri.toString() }));
      assert.equal(result?.status, 200);
      const response = await vscode.workspace.openTextDocument(result.response);
      assert.match(response.getText(), /^\/\/ Sent: \{"name":"Lee 7","referenceId":"r-[0-9a-f-]{36}"\}$/m);
      const made = JSON.parse(response.getText().replace(/^\/\/.*$/gm, '')) as { id: string; name: string };
      assert.equal(made.name, 'Lee 7', 'the profile section wins over $shared');
      assert.equal((await fx.client.getContact(made.id)).name, 'Lee 7');
    } finally {
      await remove(uri);
    }
  });

  test('an unknown {{name}} is a diagnostic at its value, and nothing is sent', async () => {
    const uri = await writeFile('unknown.stcrm.json', { operation: 'Contacts_Create', body: { name: '{{nobody}}' } });
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ServiceTitan CRM');
      const marked = await eventually(() => ours().find((d) => d.message.startsWith('Unknown variable {{nobody}}')), 'the unknown name while typing');
      assert.equal(editor.document.getText(marked.range), '"{{nobody}}"');
      assert.match(marked.message, /under "Variables" or "\$shared"/);
      const before = (await fx.client.listContacts({ pageSize: 1, includeTotal: true })).totalCount;
      assert.match((await commandError('stcrm.sendRequest', { uri: uri.toString() })).message, /^Not sent: Unknown variable \{\{nobody\}\}/);
      assert.equal((await fx.client.listContacts({ pageSize: 1, includeTotal: true })).totalCount, before, 'nothing was created');
    } finally {
      await remove(uri);
    }
  });
});

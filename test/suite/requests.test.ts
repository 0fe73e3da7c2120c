// CRM request files inside a real VS Code: templates for all 86 operations, Send through the
// active profile, the response beside the request, server errors and rule checks as diagnostics
// on the exact JSON property, cURL out (run for real) and in, the history, and Production.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { CRM_OPERATION_LIST, type CrmOperationId } from '../../src/api/schemas/operations';
import { buildRequest } from '../../src/api/client';
import type { SendResult } from '../../src/requests/requestCommands';
import { loadTemplates } from '../../src/requests/templates';
import { commandError, eventually, rethrowing } from './helpers';
import { customerOf, records } from './treeHelpers';
import { sandboxProfileFixture } from './sandboxFixture';

const run = promisify(execFile);

async function newRequest(operation: string): Promise<vscode.TextEditor> {
  const editor = await vscode.commands.executeCommand<vscode.TextEditor>('stcrm.newRequest', rethrowing({ operation }));
  assert.ok(editor, `a request editor for ${operation}`);
  return editor;
}

async function setText(editor: vscode.TextEditor, value: unknown): Promise<void> {
  const text = typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`;
  const whole = new vscode.Range(new vscode.Position(0, 0), editor.document.lineAt(editor.document.lineCount - 1).range.end);
  await editor.edit((edit) => edit.replace(whole, text));
}

async function send(editor: vscode.TextEditor): Promise<SendResult> {
  const result = await vscode.commands.executeCommand<SendResult>('stcrm.sendRequest', rethrowing({ uri: editor.document.uri.toString() }));
  assert.ok(result, 'sendRequest returned its result');
  return result;
}

/** The text at a diagnostic's range. */
const at = (document: vscode.TextDocument, diagnostic: vscode.Diagnostic): string => document.getText(diagnostic.range);

suite('Request files', () => {
  const fx = sandboxProfileFixture('Requests');

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('every one of the 86 operations gets a template that passes its own schema', async () => {
    const templates = await loadTemplates(vscode.extensions.getExtension('stcrm-dev.servicetitan-crm')?.extensionPath ?? '');
    assert.equal(Object.keys(templates).length, 86);
    for (const op of CRM_OPERATION_LIST) {
      const template = templates[op.operationId as CrmOperationId];
      assert.ok(template, `a template for ${op.operationId}`);
      assert.equal(template.operation, op.operationId);
      assert.doesNotThrow(
        () => buildRequest(op, { path: template.path, query: template.query, body: template.body }),
        `${op.operationId}'s template fits its schema`,
      );
    }
    // And through the command: the editor holds the template, with no rule problems.
    const editor = await newRequest('Customers_CreateContact');
    assert.match(editor.document.uri.path, /Customers_CreateContact\.stcrm\.json$/);
    assert.equal(editor.document.languageId, 'json');
    const request = JSON.parse(editor.document.getText()) as { operation: string; path: { id: unknown }; body: { type: string; value: string } };
    assert.equal(request.operation, 'Customers_CreateContact');
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual((await fx.api.requests.load()).ruleDiagnostics.get(editor.document.uri) ?? [], []);
  });

  test("the request-file JSON Schema completes the body's properties and marks schema errors while typing", async () => {
    const editor = await newRequest('Customers_CreateContact');
    const document = editor.document;
    const line = document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('"value"'));
    await editor.edit((edit) => edit.insert(document.lineAt(line).range.end, ',\n      '));
    const position = document.lineAt(line + 1).range.end;
    const labels = await eventually(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
        const found = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
        return found.some((label) => label.includes('memo')) ? found : undefined;
      },
      'a completion for memo',
      20_000,
    );
    assert.ok(
      labels.some((label) => label.includes('memo')),
      labels.join(', '),
    );
    // Hovering a body property shows the document's description of it.
    const valueAt = document.lineAt(line).text.indexOf('"value"') + 2;
    const hovers = await eventually(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, valueAt));
        return list.length > 0 ? list : undefined;
      },
      'a hover on "value"',
      20_000,
    );
    const hoverText = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join(' ');
    assert.match(hoverText, /email, phone number, or fax number/, hoverText);
    await setText(editor, { operation: 'Customers_CreateContact', path: { id: 'abc' }, body: { type: 'Email', value: 'a@example.com', color: 'red' } });
    const schemaErrors = await eventually(
      () => {
        const list = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source !== 'ServiceTitan CRM');
        return list.length >= 2 ? list : undefined;
      },
      'JSON Schema diagnostics from the JSON language service',
      20_000,
    );
    assert.ok(
      schemaErrors.some((d) => at(document, d).includes('abc')),
      schemaErrors.map((d) => `${at(document, d)}: ${d.message}`).join('; '),
    );
    assert.ok(
      schemaErrors.some((d) => at(document, d).includes('color')),
      schemaErrors.map((d) => `${at(document, d)}: ${d.message}`).join('; '),
    );
  });

  test('sending a Contacts_Create request creates the contact, and the response opens beside it', async () => {
    const editor = await newRequest('Contacts_Create');
    const name = `Request File ${Date.now()}`;
    await setText(editor, { operation: 'Contacts_Create', body: { name, title: 'Buyer' } });
    const result = await send(editor);
    assert.equal(result.status, 200);
    assert.deepEqual(result.schemaIssues, []);
    const found = (await fx.client.listContacts({ name })).data;
    assert.equal(found.length, 1, 'the sandbox has the new contact');
    const response = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.response.toString());
    assert.ok(response, 'the response document is open');
    assert.match(response.getText(), /^\/\/ 200 OK · Contacts_Create · \d+ ms/);
    assert.equal(response.getText().split('\n')[1], `// POST ${fx.sandbox.url}/crm/v2/tenant/${fx.sandbox.tenant}/contacts`, 'the URL that went out');
    assert.match(response.getText(), new RegExp(`"name": "${name}"`));
    assert.ok(
      vscode.window.visibleTextEditors.some((e) => e.document === response),
      'shown beside the request',
    );
  });

  test('a 400 puts diagnostics on the exact JSON properties of the request', async () => {
    const customer = (await fx.client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(customer);
    const editor = await newRequest('Customers_CreateContact');
    // The client lets a 300-character memo through; the sandbox allows 255.
    await setText(editor, {
      operation: 'Customers_CreateContact',
      path: { id: customer.id },
      body: { type: 'Email', value: 'long.memo@example.com', memo: 'm'.repeat(300) },
    });
    const result = await send(editor);
    assert.equal(result.status, 400);
    const requests = await fx.api.requests.load();
    const diagnostics = await eventually(() => {
      const list = requests.serverDiagnostics.get(editor.document.uri) ?? [];
      return list.length > 0 ? list : undefined;
    }, 'server diagnostics on the request');
    assert.equal(diagnostics.length, 1);
    assert.equal(at(editor.document, diagnostics[0] as vscode.Diagnostic), `"${'m'.repeat(300)}"`);
    assert.match(diagnostics[0]?.message ?? '', /trace ID/);
    // Editing the request clears them (they would point at moved text).
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), ' '));
    await eventually(() => (requests.serverDiagnostics.get(editor.document.uri) ?? []).length === 0 || undefined, 'cleared on edit');
  });

  test('the checks the JSON Schema cannot express show while typing, before any send', async () => {
    const editor = await newRequest('Customers_CreateContact');
    const requests = await fx.api.requests.load();
    const before = (await requests.responses.entries(editor.document.uri)).length;
    await setText(editor, { operation: 'Customers_CreateContact', path: { id: 1 }, body: { type: 'Email', value: 'not-an-email' } });
    const diagnostics = await eventually(() => {
      const list = requests.ruleDiagnostics.get(editor.document.uri) ?? [];
      return list.length > 0 ? list : undefined;
    }, 'rule diagnostics while typing');
    assert.equal(at(editor.document, diagnostics[0] as vscode.Diagnostic), '"not-an-email"');
    assert.match(diagnostics[0]?.message ?? '', /email address/);
    // (The tree loads in the background, so the sandbox's request count says nothing here.)
    assert.equal((await requests.responses.entries(editor.document.uri)).length, before, 'nothing was sent');
  });

  test('one finding, one Problems entry: Send does not repeat what the check while typing already shows', async () => {
    const editor = await newRequest('Customers_CreateContact');
    const uri = editor.document.uri;
    await setText(editor, { operation: 'Customers_CreateContact', path: { id: 1 }, body: { type: 'Email', value: 'not-an-email' } });
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ServiceTitan CRM');
    await eventually(() => ours().length > 0 || undefined, 'the rule check while typing');
    const error = await commandError('stcrm.sendRequest', { uri: uri.toString() });
    assert.match(error.message, /was not sent\. value: Enter an email address/);
    const entries = ours();
    assert.deepEqual(
      entries.map((d) => [at(editor.document, d), d.message]),
      [['"not-an-email"', 'Enter an email address like name@example.com']],
    );
  });

  test('a path value that a URL would fold away is refused on its property, and nothing is sent', async () => {
    const contact = await fx.client.createContact({ name: `Dots ${Date.now()}` });
    const method = await fx.client.createContactMethod(contact.id, { type: 'Email', value: 'before@example.com' });
    const editor = await newRequest('ContactPreferences_UpdateContactMethodPreference');
    await setText(editor, {
      operation: 'ContactPreferences_UpdateContactMethodPreference',
      path: { contactId: contact.id, contactMethodId: method.id, preferenceName: '..' },
      body: { value: 'after@example.com' },
    });
    const error = await commandError('stcrm.sendRequest', { uri: editor.document.uri.toString() });
    assert.match(error.message, /was not sent\. preferenceName: "\.\." cannot be a path value: a URL reads it as the folder above/);
    const entries = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'ServiceTitan CRM');
    assert.deepEqual(
      entries.map((d) => at(editor.document, d)),
      ['".."'],
    );
    assert.equal((await fx.client.getContactMethod(contact.id, method.id)).value, 'before@example.com', 'the contact method is unchanged');
    assert.equal((await (await fx.api.requests.load()).responses.entries(editor.document.uri)).length, 0, 'nothing was sent');
  });

  test('the Send CodeLens sits on the top-level "operation" key, not on a nested one or inside a string', async () => {
    const editor = await newRequest('Contacts_Create');
    await setText(editor, '{\n  "body": {\n    "name": "\\"operation\\": no",\n    "operation": "nested"\n  },\n  "operation": "Contacts_Create"\n}\n');
    const lenses = await eventually(async () => {
      const list = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return list.some((lens) => lens.command?.command === 'stcrm.sendRequest' && lens.range.start.line === 5) ? list : undefined;
    }, 'a Send lens on line 6');
    const send = lenses.find((lens) => lens.command?.command === 'stcrm.sendRequest');
    assert.deepEqual([send?.range.start.line, send?.range.start.character], [5, 2]);
  });

  test('a copied cURL runs against the sandbox, and an imported one round-trips to the same request', async () => {
    const editor = await newRequest('Customers_GetList');
    const request = { operation: 'Customers_GetList', query: { pageSize: 3, active: 'Any' } };
    await setText(editor, request);
    const curl = await vscode.commands.executeCommand<string>('stcrm.copyRequestAsCurl', rethrowing({ uri: editor.document.uri.toString() }));
    assert.equal(await vscode.env.clipboard.readText(), curl);
    for (const secret of [fx.sandbox.credentials.clientSecret, fx.sandbox.credentials.appKey]) assert.equal(curl.includes(secret), false);
    const token = await fx.client.call('Customers_GetList', { query: { pageSize: 1 } }).then(() => tokenOf(fx.sandbox.url, fx.sandbox.credentials));
    const { stdout } = await run('sh', ['-c', curl], { env: { ...process.env, ST_TOKEN: token, ST_APP_KEY: fx.sandbox.credentials.appKey } });
    const page = JSON.parse(stdout) as { data: unknown[] };
    assert.equal(page.data.length, 3);

    const imported = await vscode.commands.executeCommand<vscode.TextEditor>('stcrm.importCurl', rethrowing({ curl }));
    assert.ok(imported);
    assert.deepEqual(JSON.parse(imported.document.getText()), request);
  });

  test('keeps the last responses and compares the latest with the previous one', async () => {
    const editor = await newRequest('Customers_GetList');
    await setText(editor, { operation: 'Customers_GetList', query: { pageSize: 1 } });
    for (let i = 0; i < 21; i++) await send(editor);
    const entries = await (await fx.api.requests.load()).responses.entries(editor.document.uri);
    assert.equal(entries.length, 20, 'the last 20 are kept');
    assert.ok(entries.every((entry) => entry.status === 200));
    await vscode.commands.executeCommand('stcrm.compareWithPreviousResponse', rethrowing({ uri: editor.document.uri.toString() }));
    await eventually(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((tab) => tab.input instanceof vscode.TabInputTextDiff) || undefined,
      'a diff tab',
    );
  });

  test('Open as Request on a record offers its operations with its ids filled in', async () => {
    const customer = (await records(fx.api))[0];
    assert.ok(customer);
    const id = customerOf(customer)?.id;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('stcrm.openAsRequest', customer, { operation: 'Customers_CreateNote' });
    assert.ok(editor);
    const request = JSON.parse(editor.document.getText()) as { operation: string; path: { id: number }; body: { text: string } };
    assert.equal(request.operation, 'Customers_CreateNote');
    assert.equal(request.path.id, id);
    const leads = await vscode.commands.executeCommand<vscode.TextEditor>('stcrm.openAsRequest', customer, { operation: 'Leads_Create' });
    assert.ok(leads);
    assert.equal((JSON.parse(leads.document.getText()) as { body: { customerId: number } }).body.customerId, id);
    const error = await commandError('stcrm.openAsRequest', { operation: 'Bookings_Get' }).catch((e: unknown) => e);
    assert.match(String(error), /Select a customer|not an operation/);
    assert.equal((await send(editor)).status, 200);
    const notes = await fx.client.call('Customers_GetNotes', { path: { id: id ?? 0 } });
    assert.ok(notes.data.length > 0);
  });
});

async function tokenOf(base: string, credentials: { clientId: string; clientSecret: string }): Promise<string> {
  const response = await fetch(`${base}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret }).toString(),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

// The CRM's language-model tools inside a real VS Code: `vscode.lm.tools` lists them,
// `vscode.lm.invokeTool` runs each read tool against the sandbox fixture, a write tool's
// confirmation (prepareInvocation) names profile, tenant, operation, method, URL and body with
// Production called out, an approved write is sent once without a second question and the tree
// shows it, `stcrm.agentTools.writes: off` hides the writes, `stcrm.addMcpServer` writes an entry
// without a secret, and a hostile CRM's echoes of the credentials never reach a tool result.
// (This host answers every tool confirmation "yes"; test/e2e/agentTools.test.ts clicks Cancel.)
import * as assert from 'node:assert/strict';
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { Customer } from '../../src/api';
import { CANARY, canaryLeaks, startHostileCrm } from '../canarySecrets';
import { activateExtension, eventually, removeAllProfiles } from './helpers';
import { sandboxProfileFixture } from './sandboxFixture';
import { child, customerOf, labelOf, records } from './treeHelpers';

const TOOLS = ['stcrm_findCustomers', 'stcrm_getCustomer', 'stcrm_callOperation', 'stcrm_createContact'];

interface ToolAnswer {
  text: string;
  data: Record<string, unknown>;
  /** Every text part, for leak checks. */
  all: string;
}

async function invoke(tool: string, input: object): Promise<ToolAnswer> {
  const result = await vscode.lm.invokeTool(tool, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  const texts = result.content.map((part) => {
    assert.ok(part instanceof vscode.LanguageModelTextPart, 'every part is text');
    return part.value;
  });
  return { text: texts[0] ?? '', data: texts[1] === undefined ? {} : (JSON.parse(texts[1]) as Record<string, unknown>), all: texts.join('\n') };
}

/** Writes the sandbox received, as `POST /crm/v2/…` lines. */
const writes: string[] = [];
const logWrites = (line: string): void => {
  if (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line)) writes.push(line);
};

async function setWrites(value: 'confirm' | 'off' | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('stcrm').update('agentTools.writes', value, vscode.ConfigurationTarget.Global);
}

suite('Agent tools', () => {
  const fx = sandboxProfileFixture('Agent tools', { customers: 20, log: logWrites });
  let customer: Customer;

  suiteSetup(async () => {
    const page = await fx.client.listCustomers({ pageSize: 20 });
    // A customer with a phone, a location and a person (seeded ones mostly have them all).
    for (const candidate of page.data) {
      const phones = await fx.client.allCustomerContacts(candidate.id);
      if (candidate.active && phones.some((contact) => contact.type !== 'Email')) {
        customer = candidate;
        return;
      }
    }
    assert.fail('no seeded customer with a phone');
  });

  test('vscode.lm.tools lists the four tools, each with an input schema', () => {
    for (const name of TOOLS) {
      const tool = vscode.lm.tools.find((item) => item.name === name);
      assert.ok(tool, `${name} is listed`);
      assert.ok(tool.description.length > 100, `${name} has a model description`);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object');
    }
  });

  test('stcrm_findCustomers finds by name words and by a phone in another format: compact rows with ids, paged', async () => {
    const word = customer.name.split(' ')[0] ?? customer.name;
    const byName = await invoke('stcrm_findCustomers', { name: word, pageSize: 50 });
    const rows = byName.data.customers as { id: number; name: string; address: string }[];
    assert.ok(
      rows.some((row) => row.id === customer.id),
      byName.text,
    );
    assert.ok(rows.every((row) => row.name.toLowerCase().includes(word.toLowerCase())));
    assert.deepEqual(Object.keys(rows[0] ?? {}).slice(0, 5), ['id', 'name', 'type', 'active', 'address']);
    const expected = await fx.client.listCustomers({ name: word, pageSize: 50, includeTotal: true });
    assert.equal(byName.data.totalCount, expected.totalCount);

    const phone = (await fx.client.allCustomerContacts(customer.id)).find((contact) => contact.type !== 'Email');
    assert.ok(phone);
    const digits = phone.value.replace(/\D/g, '');
    const formatted = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    const byPhone = await invoke('stcrm_findCustomers', { phone: formatted });
    assert.ok(
      (byPhone.data.customers as { id: number }[]).some((row) => row.id === customer.id),
      byPhone.text,
    );

    const paged = await invoke('stcrm_findCustomers', { pageSize: 2 });
    assert.equal((paged.data.customers as unknown[]).length, 2);
    assert.equal(paged.data.hasMore, true);
    assert.match(paged.text, /call again with page 2/);
  });

  test('stcrm_getCustomer answers the customer with its phones, locations and people, as the API has them', async () => {
    const answer = await invoke('stcrm_getCustomer', { customerId: customer.id });
    const data = answer.data as {
      customer: { id: number; name: string };
      phonesAndEmails: unknown[];
      locations: { id: number }[];
      people: { id: string; contactMethods: unknown[] }[];
    };
    assert.equal(data.customer.id, customer.id);
    assert.equal(data.customer.name, customer.name);
    const phones = await fx.client.allCustomerContacts(customer.id);
    const locations = await fx.client.allLocations({ customerId: customer.id, active: 'Any' });
    const people = await fx.client.allContactsByRelatedEntity(customer.id);
    assert.equal(data.phonesAndEmails.length, phones.length);
    assert.deepEqual(data.locations.map((location) => location.id).sort(), locations.map((location) => location.id).sort());
    assert.deepEqual(data.people.map((person) => person.id).sort(), people.map((person) => person.id).sort());
    const first = people[0];
    assert.ok(first);
    assert.equal(data.people.find((person) => person.id === first.id)?.contactMethods.length, (await fx.client.allContactMethods(first.id)).length);

    const missing = await invoke('stcrm_getCustomer', { customerId: 99_999_999 });
    assert.match(missing.text, /HTTP 404/);
  });

  test('stcrm_callOperation runs a GET; input that does not fit comes back field by field and nothing is sent', async () => {
    const answer = await invoke('stcrm_callOperation', { operation: 'Customers_Get', path: { id: customer.id } });
    assert.match(answer.text, /GET Customers_Get: HTTP 200 OK/);
    assert.equal(answer.data.name, customer.name);

    const before = writes.length;
    const bad = await invoke('stcrm_callOperation', {
      operation: 'Customers_CreateContact',
      path: { id: customer.id },
      body: { type: 'Email', value: 'not-an-email' },
    });
    assert.match(bad.text, /nothing was sent/);
    assert.deepEqual(bad.data.fieldErrors, [{ field: 'body.value', message: 'Enter an email address like name@example.com' }]);
    const unknown = await invoke('stcrm_callOperation', { operation: 'Customers_Gett' });
    assert.match(unknown.text, /stcrm_callOperation was not run: its input does not fit/);
    assert.deepEqual(writes.slice(before), [], 'nothing was sent');
  });

  test("a write tool's confirmation names the profile, tenant, operation, method, exact URL and body", async () => {
    const tools = await fx.api.agentTools.load();
    const input = { name: 'Quinn Agent', customerId: customer.id, contactMethods: [{ type: 'Email', value: 'quinn@example.com' }] };
    const prepared = await tools.prepare('stcrm_createContact', input, new vscode.CancellationTokenSource().token);
    const confirmation = prepared.confirmationMessages;
    assert.ok(confirmation, 'a write asks first');
    assert.equal(confirmation.title, `Send "New Contact" to tenant ${fx.sandbox.tenant}?`);
    const message = typeof confirmation.message === 'string' ? confirmation.message : confirmation.message.value;
    const base = `${fx.sandbox.url}/crm/v2/tenant/${fx.sandbox.tenant}`;
    assert.equal(
      message,
      [
        '```text',
        `Profile "Agent tools" · tenant ${fx.sandbox.tenant}`,
        '',
        'Call 1 of 3 · Contacts_Create',
        `POST ${base}/contacts`,
        '{"name":"Quinn Agent"}',
        '',
        'Call 2 of 3 · Contacts_CreateContactRelationship',
        `POST ${base}/contacts/{contactId}/relationships/${customer.id}/customer`,
        '',
        'Call 3 of 3 · ContactMethods_CreateContactMethod',
        `POST ${base}/contacts/{contactId}/contact-methods`,
        '{"type":"Email","value":"quinn@example.com"}',
        '```',
      ].join('\n'),
    );
    assert.doesNotMatch(message, /Production/);
    const read = await tools.prepare('stcrm_findCustomers', { name: 'x' }, new vscode.CancellationTokenSource().token);
    assert.equal(read.confirmationMessages, undefined, 'a read does not ask');
  });

  test('an approved stcrm_createContact is sent once through the write pipeline, and the tree shows the person', async () => {
    const before = writes.length;
    const answer = await invoke('stcrm_createContact', {
      name: 'Robin Agent',
      title: 'Owner',
      customerId: customer.id,
      contactMethods: [{ type: 'MobilePhone', value: '555-010-4242', memo: 'cell' }],
    });
    assert.match(answer.text, /^Created Robin Agent for customer #\d+ with 1 contact method\. The new contact's id is [0-9a-f-]{36}\.$/);
    const id = String(answer.data.contactId);
    assert.equal((await fx.client.getContact(id)).title, 'Owner');
    assert.deepEqual(
      (await fx.client.allContactRelationships(id)).map((link) => link.relatedEntityId),
      [customer.id],
    );
    assert.deepEqual(
      (await fx.client.allContactMethods(id)).map((method) => method.value),
      ['555-010-4242'],
    );
    assert.equal(writes.length - before, 3, writes.slice(before).join('\n'));
    const customerNode = (await records(fx.api)).find((node) => customerOf(node)?.id === customer.id);
    assert.ok(customerNode, 'the customer is in the tree');
    await eventually(
      async () => (await records(fx.api, await child(fx.api, customerNode, 'People'))).some((node) => labelOf(fx.api, node) === 'Robin Agent'),
      'the new person in the tree',
    );
  });

  test('stcrm.agentTools.writes off: the write tools leave vscode.lm.tools, and stcrm_callOperation only reads', async () => {
    await setWrites('off');
    try {
      await eventually(() => !vscode.lm.tools.some((tool) => tool.name === 'stcrm_createContact'), 'stcrm_createContact to leave vscode.lm.tools');
      assert.ok(vscode.lm.tools.some((tool) => tool.name === 'stcrm_callOperation'));
      const before = writes.length;
      // Hidden, but VS Code still lets an extension invoke it by name: it refuses.
      const hidden = await invoke('stcrm_createContact', { name: 'Nobody' });
      assert.match(hidden.text, /^stcrm_createContact was not run, and nothing was sent: agents may not write/);
      const refused = await invoke('stcrm_callOperation', { operation: 'Contacts_Create', body: { name: 'Nobody' } });
      assert.match(refused.text, /Contacts_Create changes data, and agents may not write: the setting stcrm.agentTools.writes is "off"/);
      assert.deepEqual(writes.slice(before), []);
      assert.match((await invoke('stcrm_callOperation', { operation: 'Customers_Get', path: { id: customer.id } })).text, /HTTP 200/);
    } finally {
      await setWrites(undefined);
    }
    await eventually(() => vscode.lm.tools.some((tool) => tool.name === 'stcrm_createContact'), 'stcrm_createContact back in vscode.lm.tools');
    const back = await invoke('stcrm_createContact', { name: 'Back Again' });
    assert.match(back.text, /^Created Back Again\./);
  });

  test('stcrm.addMcpServer writes the profile entry with ${input:…} prompts and no secret, keeping the other entries', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const file = vscode.Uri.joinPath(folder, '.vscode', 'mcp.json');
    const existing = '{\n  // mine\n  "servers": {\n    "other": { "type": "stdio", "command": "other-server" }\n  }\n}\n';
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(existing));
    try {
      await vscode.commands.executeCommand('stcrm.addMcpServer', { errorHandling: { rethrow: true } });
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      for (const secret of Object.values(fx.sandbox.credentials) as string[]) assert.ok(!text.includes(secret), `the file holds no ${secret}`);
      assert.match(text, /\/\/ mine/);
      const json = parseJsonc(text) as {
        servers: Record<string, { type: string; command: string; args: string[]; env: Record<string, string> }>;
        inputs: { id: string; password: boolean }[];
      };
      assert.deepEqual(json.servers.other, { type: 'stdio', command: 'other-server' });
      const entry = json.servers['servicetitan-crm-agent-tools'];
      assert.ok(entry, Object.keys(json.servers).join(', '));
      assert.equal(entry.command, 'node');
      assert.match(entry.args[0] ?? '', /[/\\]dist[/\\]cli\.js$/);
      assert.deepEqual(entry.args.slice(1), ['mcp']);
      assert.deepEqual(entry.env, {
        ST_API_BASE_URL: fx.sandbox.url,
        ST_TOKEN_URL: `${fx.sandbox.url}/connect/token`,
        ST_TENANT: fx.sandbox.tenant,
        ST_CLIENT_ID: '${input:servicetitan-crm-agent-tools-client-id}',
        ST_CLIENT_SECRET: '${input:servicetitan-crm-agent-tools-client-secret}',
        ST_APP_KEY: '${input:servicetitan-crm-agent-tools-app-key}',
      });
      assert.deepEqual(
        json.inputs.map((input) => [input.id, input.password]),
        [
          ['servicetitan-crm-agent-tools-client-id', true],
          ['servicetitan-crm-agent-tools-client-secret', true],
          ['servicetitan-crm-agent-tools-app-key', true],
        ],
      );
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), file.toString(), 'the file is shown');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file, { useTrash: false });
    }
  });
});

suite('Agent tools on production', () => {
  const fx = sandboxProfileFixture('Agent tools production', { customers: 5, log: logWrites }, { production: true });

  test('the confirmation calls out Production, and the approved write is sent without a second question', async () => {
    const tools = await fx.api.agentTools.load();
    const input = { operation: 'Contacts_Create', body: { name: 'Prod Agent' } };
    const prepared = await tools.prepare('stcrm_callOperation', input, new vscode.CancellationTokenSource().token);
    assert.equal(prepared.confirmationMessages?.title, `Send "Contacts_Create" to the PRODUCTION tenant ${fx.sandbox.tenant}?`);
    const message = prepared.confirmationMessages.message;
    assert.match(typeof message === 'string' ? message : message.value, /^\*\*Production\*\*: this changes real customer data/);

    const original = fx.api.writes.ui;
    const asked: string[] = [];
    fx.api.writes.ui = { confirm: (confirmation) => (asked.push(confirmation.title), Promise.resolve(false)) };
    try {
      const before = writes.length;
      const answer = await invoke('stcrm_callOperation', input);
      assert.match(answer.text, /POST Contacts_Create: HTTP 200 OK/);
      assert.deepEqual(asked, [], 'the modal did not ask again');
      assert.equal(writes.length - before, 1);
    } finally {
      fx.api.writes.ui = original;
    }
  });
});

suite('Agent tools and secret canaries', () => {
  test("a hostile CRM's echoes of the credentials never reach a tool result or the mcp.json entry", async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    await removeAllProfiles(api);
    const crm = await startHostileCrm();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    try {
      await vscode.commands.executeCommand('stcrm.addProfile', {
        name: 'Agent canary',
        environment: 'custom',
        apiBaseUrl: crm.url,
        tokenUrl: `${crm.url}/connect/token`,
        tenant: '1000',
        clientId: CANARY.clientId,
        clientSecret: CANARY.clientSecret,
        appKey: CANARY.appKey,
        check: false,
        activate: true,
        errorHandling: { rethrow: true, suppressDisplay: true },
      });
      const answers = [
        await invoke('stcrm_findCustomers', { name: 'Canary' }),
        await invoke('stcrm_findCustomers', {}),
        await invoke('stcrm_getCustomer', { customerId: 7 }),
        await invoke('stcrm_callOperation', { operation: 'Contacts_GetList', query: { pageSize: 5 } }),
        await invoke('stcrm_callOperation', { operation: 'Locations_GetList' }),
        await invoke('stcrm_callOperation', { operation: 'Leads_GetList' }),
        await invoke('stcrm_createContact', { name: 'Canary Agent', contactMethods: [{ type: 'Email', value: 'canary@example.com' }] }),
      ];
      assert.ok(
        crm.seen.some((line) => line.startsWith('POST ')),
        'the write reached the hostile server',
      );
      assert.ok(
        answers.some((answer) => answer.all.includes('[REDACTED]')),
        'the echoes came back, redacted',
      );
      await vscode.commands.executeCommand('stcrm.addMcpServer', { errorHandling: { rethrow: true, suppressDisplay: true } });
      const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.vscode', 'mcp.json')));
      const leaks = [...answers.flatMap((answer) => canaryLeaks(answer.all)), ...canaryLeaks(file).map((leak) => `mcp.json: ${leak}`)];
      assert.deepEqual(leaks, []);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode', 'mcp.json'), { useTrash: false }).then(undefined, () => undefined);
      await removeAllProfiles(api);
      await crm.close();
    }
  });
});

/// <reference lib="dom" />
// (DOM types for the code passed to page.evaluate, which runs in the browser.)
/**
 * A write tool in the real workbench: a keybinding runs `stcrm.runAgentTool`, which invokes
 * `stcrm_createContact` through VS Code's own `vscode.lm.invokeTool`, as an agent would; VS Code
 * shows the tool's confirmation as a modal with the exact calls. Cancel sends nothing (the
 * sandbox is unchanged); Yes creates the person, linked to the customer with its e-mail, sent
 * once, and the tree shows them. The modal's screenshot is docs/screenshots/agent-tool-confirmation.png.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { CrmClient, createTransport, customEnvironment, type CrmTransport, type Customer } from '../../src/api';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { ROOT, screenshotStep, Workbench } from './driver';

const VIEW = 'Customers';
const PROFILE = 'Agent journey';
const PERSON = 'Ellis Agent';
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

void describe('an agent tool that writes, in the workbench', { timeout: 240_000 }, () => {
  let wb: Workbench;
  let sandbox: RunningSandbox;
  let transport: CrmTransport;
  let client: CrmClient;
  let customer: Customer;
  /** Writes the sandbox received, as `POST /crm/v2/…`. */
  const writes: string[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0, customers: 10, log: (line) => (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line) ? writes.push(line) : undefined) });
    const { clientId, clientSecret, appKey } = sandbox.credentials;
    transport = createTransport({
      environment: customEnvironment(sandbox.url, `${sandbox.url}/connect/token`),
      tenant: sandbox.tenant,
      clientId,
      clientSecret,
      appKey,
    });
    client = new CrmClient(transport);
    const first = (await client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(first);
    customer = first;
    const profile = {
      name: PROFILE,
      environment: 'custom',
      tenant: sandbox.tenant,
      apiBaseUrl: sandbox.url,
      tokenUrl: `${sandbox.url}/connect/token`,
      clientId,
      clientSecret,
      appKey,
      check: false,
    };
    const tool = {
      tool: 'stcrm_createContact',
      input: { name: PERSON, customerId: customer.id, contactMethods: [{ type: 'Email', value: 'ellis@example.com' }] },
    };
    wb = await Workbench.start({
      keybindings: [
        { key: 'ctrl+shift+alt+f9', command: 'stcrm.addProfile', args: profile },
        { key: 'ctrl+shift+alt+f10', command: 'stcrm.runAgentTool', args: tool },
      ],
    });
  });
  after(async () => {
    await wb?.close();
    await transport?.close();
    await sandbox?.close();
  });

  const step = screenshotStep('agent-tools', () => wb);
  const dialog = () => wb.page.locator('.monaco-dialog-box');
  const people = async (): Promise<string[]> => (await client.allContactsByRelatedEntity(customer.id)).map((person) => person.name ?? '');

  step('the profile is active and the tree shows the customer', async () => {
    await wb.openViewContainer('ServiceTitan CRM');
    await wb.page.keyboard.press('Control+Shift+Alt+F9');
    await wb.treeRow(VIEW, customer.name).waitFor({ state: 'visible', timeout: 30_000 });
  });

  step("the tool's confirmation shows the exact calls; Cancel sends nothing", async () => {
    await wb.page.keyboard.press('Control+Shift+Alt+F10');
    await dialog().waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await dialog().innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`Send "New Contact" to tenant ${sandbox.tenant}\\?`));
    // The tool's Markdown as VS Code's modal shows it: plain text, one line each.
    const lines = (await dialog().locator('.dialog-message-detail').innerText()).split('\n').filter((line) => line.trim() !== '');
    const base = `${sandbox.url}/crm/v2/tenant/${sandbox.tenant}`;
    assert.deepEqual(lines, [
      `Profile "${PROFILE}" · tenant ${sandbox.tenant}`,
      'Call 1 of 3 · Contacts_Create',
      `POST ${base}/contacts`,
      `{"name":"${PERSON}"}`,
      'Call 2 of 3 · Contacts_CreateContactRelationship',
      `POST ${base}/contacts/{contactId}/relationships/${customer.id}/customer`,
      'Call 3 of 3 · ContactMethods_CreateContactMethod',
      `POST ${base}/contacts/{contactId}/contact-methods`,
      '{"type":"Email","value":"ellis@example.com"}',
    ]);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await wb.page.screenshot({ path: path.join(SCREENSHOTS, 'agent-tool-confirmation.png') });
    await dialog()
      .locator('.monaco-button', { hasText: /^Cancel$/ })
      .click();
    await dialog().waitFor({ state: 'hidden' });
    assert.deepEqual(writes, [], 'nothing was sent');
    assert.ok(!(await people()).includes(PERSON));
    // A cancel is silent: no error notification.
    assert.equal(await wb.page.locator('.notifications-toasts .notification-toast', { hasText: /Canceled|failed/ }).count(), 0);
  });

  step('Yes sends the calls once, and the tree shows the new person', async () => {
    await wb.page.keyboard.press('Control+Shift+Alt+F10');
    await dialog().waitFor({ state: 'visible', timeout: 15_000 });
    await dialog().locator('.monaco-button', { hasText: /^Yes$/ }).click();
    await wb.treeRow(VIEW, PERSON).waitFor({ state: 'visible', timeout: 15_000 });
    assert.deepEqual(
      writes.map((line) => line.replace(/ -> .*$/, '').replace(/[0-9a-f-]{36}/g, '{id}')),
      [
        `POST /crm/v2/tenant/${sandbox.tenant}/contacts`,
        `POST /crm/v2/tenant/${sandbox.tenant}/contacts/{id}/relationships/${customer.id}/customer`,
        `POST /crm/v2/tenant/${sandbox.tenant}/contacts/{id}/contact-methods`,
      ],
    );
    assert.equal((await people()).filter((name) => name === PERSON).length, 1);
  });
});

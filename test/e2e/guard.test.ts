/// <reference lib="dom" />
// (DOM types for the code passed to page.evaluate, which runs in the browser.)
/**
 * The production guard in the real workbench, on a Custom URL profile marked Production that
 * points at a sandbox of the test's own: a quick-input create and a Delete from the tree each show
 * one modal naming the profile, tenant, method, exact URL and body; Cancel sends nothing, the yes
 * button sends exactly that. The modal's screenshot is docs/screenshots/production-guard.png.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { CrmClient, createTransport, customEnvironment, type Customer } from '../../src/api';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { ROOT, screenshotStep, Workbench } from './driver';

const VIEW = 'Customers';
const PROFILE = 'Staging copy';
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

void describe('the production guard in the workbench', { timeout: 240_000 }, () => {
  let wb: Workbench;
  let sandbox: RunningSandbox;
  let client: CrmClient;
  let customer: Customer;
  /** Writes the sandbox received, as `POST /crm/v2/…`. */
  const writes: string[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0, customers: 30, log: (line) => (/^(POST|PUT|PATCH|DELETE) \/crm\//.test(line) ? writes.push(line) : undefined) });
    const { clientId, clientSecret, appKey } = sandbox.credentials;
    client = new CrmClient(
      createTransport({ environment: customEnvironment(sandbox.url, `${sandbox.url}/connect/token`), tenant: sandbox.tenant, clientId, clientSecret, appKey }),
    );
    const first = (await client.listCustomers({ pageSize: 1 })).data[0];
    assert.ok(first);
    customer = first;
    const profile = {
      name: PROFILE,
      environment: 'custom',
      production: true,
      tenant: sandbox.tenant,
      apiBaseUrl: sandbox.url,
      tokenUrl: `${sandbox.url}/connect/token`,
      clientId,
      clientSecret,
      appKey,
      check: false,
    };
    wb = await Workbench.start({
      settings: { 'stcrm.createWith': 'quickInput' },
      keybindings: [{ key: 'ctrl+shift+alt+f9', command: 'stcrm.addProfile', args: profile }],
    });
  });
  after(async () => {
    await wb?.close();
    await sandbox?.close();
  });

  const step = screenshotStep('guard', () => wb);
  const dialog = () => wb.page.locator('.monaco-dialog-box');

  step('a Custom URL profile marked Production shows as PRODUCTION', async () => {
    await wb.openViewContainer('ServiceTitan CRM');
    await wb.page.keyboard.press('Control+Shift+Alt+F9');
    await wb
      .statusBarItems(new RegExp(`${PROFILE} · PRODUCTION · tenant ${sandbox.tenant}`))
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await wb.treeRow(VIEW, customer.name).waitFor({ state: 'visible', timeout: 30_000 });
  });

  async function newEmailThroughQuickInput(value: string): Promise<void> {
    await wb.runCommand('ServiceTitan CRM: New Phone or Email…');
    await wb.waitForQuickInput('New phone or email: for which customer?');
    await wb.typeInQuickInput(customer.name);
    await wb.quickPickRows(customer.name).first().waitFor({ state: 'visible' });
    await wb.quickPickRows(customer.name).first().click();
    await wb.waitForQuickInput(`New phone or email for ${customer.name} (1/3)`);
    await wb.answerQuickInput('Email');
    await wb.waitForQuickInput(`New phone or email for ${customer.name} (2/3)`);
    await wb.answerQuickInput(value);
    await wb.waitForQuickInput(`New phone or email for ${customer.name} (3/3)`);
    await wb.answerQuickInput('guarded');
  }

  step('a quick-input create asks in one modal with the exact call; Cancel sends nothing', async () => {
    const before = writes.length;
    await newEmailThroughQuickInput('cancelled@example.com');
    await dialog().waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await dialog().innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`Send "New Phone or Email" to the PRODUCTION tenant ${sandbox.tenant}\\?`));
    assert.match(text, new RegExp(`Profile "${PROFILE}" · tenant ${sandbox.tenant} · PRODUCTION`));
    assert.ok(text.includes(`POST ${sandbox.url}/crm/v2/tenant/${sandbox.tenant}/customers/${customer.id}/contacts`), text);
    assert.ok(text.includes('{"type":"Email","value":"cancelled@example.com","memo":"guarded"}'), text);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await wb.page.screenshot({ path: path.join(SCREENSHOTS, 'production-guard.png') });
    await dialog()
      .locator('.monaco-button', { hasText: /^Cancel$/ })
      .click();
    await dialog().waitFor({ state: 'hidden' });
    assert.deepEqual(writes.slice(before), [], 'nothing was sent');
    assert.ok(!(await client.allCustomerContacts(customer.id)).some((contact) => contact.value === 'cancelled@example.com'));
  });

  step('the yes button sends exactly that call, and the tree shows the record', async () => {
    const before = writes.length;
    await newEmailThroughQuickInput('confirmed@example.com');
    await dialog().waitFor({ state: 'visible', timeout: 15_000 });
    await dialog()
      .locator('.monaco-button', { hasText: /^Send to Production$/ })
      .click();
    await wb.treeRow(VIEW, 'confirmed@example.com').waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(writes.length - before, 1);
    assert.match(writes.at(-1) ?? '', new RegExp(`^POST /crm/v2/tenant/${sandbox.tenant}/customers/${customer.id}/contacts -> 200`));
  });

  step('Delete from the tree asks once, as a delete and as production; Cancel keeps the record', async () => {
    const before = writes.length;
    const row = wb.treeRow(VIEW, 'confirmed@example.com');
    await row.click({ button: 'right' });
    const menu = wb.page.locator('.context-view .monaco-menu');
    await menu.getByRole('menuitem', { name: /Delete Phone or Email/ }).waitFor({ state: 'visible' });
    // The workbench ignores a click that comes right after the menu opened: choose with the keyboard (the last item).
    await wb.page.keyboard.press('ArrowUp');
    await menu.locator('.action-item.focused', { hasText: 'Delete Phone or Email…' }).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'visible' });
    const text = (await dialog().innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`Delete Email confirmed@example.com from this customer\\? \\(the PRODUCTION tenant ${sandbox.tenant}\\)`));
    assert.match(text, /DELETE http:\/\/127\.0\.0\.1:\d+\/crm\/v2\/tenant\/\d+\/customers\/\d+\/contacts\/\d+/);
    await dialog()
      .locator('.monaco-button', { hasText: /^Cancel$/ })
      .click();
    await dialog().waitFor({ state: 'hidden' });
    assert.deepEqual(writes.slice(before), []);
    assert.ok(
      (await client.allCustomerContacts(customer.id)).some((contact) => contact.value === 'confirmed@example.com'),
      'still there',
    );
    assert.equal(await dialog().count(), 0, 'one modal, not a second one');
  });
});

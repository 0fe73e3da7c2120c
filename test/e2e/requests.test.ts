/**
 * Request files in the real workbench: New Request → Customers_CreateContact → the body completed
 * with the JSON Schema's suggestions → Send (its keybinding) → the response beside the request;
 * then an invalid value → Send → the diagnostic in the Problems panel. Screenshots in
 * docs/screenshots/, shown in the README.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { ROOT, screenshotStep, Workbench } from './driver';

const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

void describe('request files', { timeout: 300_000 }, () => {
  let wb: Workbench;
  let customerId = '';

  before(async () => {
    wb = await Workbench.start();
    const row = await wb.openSandboxCustomers();
    customerId = /#(\d+)/.exec(await row.innerText())?.[1] ?? '';
    assert.ok(customerId, 'a customer id from the tree');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await wb?.close();
  });

  const step = screenshotStep('requests', () => wb);
  const editor = (): ReturnType<Workbench['page']['locator']> => wb.page.locator('.editor-group-container.active .monaco-editor').first();

  /** Puts the cursor at the end of line `line` of the active editor. */
  async function endOfLine(line: number): Promise<void> {
    await wb.page.keyboard.press('Control+g');
    await wb.page.keyboard.type(String(line));
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('End');
  }

  step('New Request, a completed body, Send: the response opens beside the request', async () => {
    await wb.runCommand('ServiceTitan CRM: New Request…');
    await wb.waitForQuickInput(/New CRM Request/);
    await wb.page.keyboard.type('Customers_CreateContact');
    await wb.quickPickActiveRow().filter({ hasText: 'Customers_CreateContact' }).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'Customers_CreateContact.stcrm.json' }).waitFor({ state: 'visible', timeout: 15_000 });
    await editor().click();
    // The template's "id": 1 becomes the customer from the tree.
    await endOfLine(4);
    await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type(customerId);
    // After the value, ask for suggestions: the schema offers the body's other property, memo.
    await endOfLine(8);
    await wb.page.keyboard.type(',');
    await wb.page.keyboard.press('Enter');
    // A quote opens the suggestions (the JSON language's trigger character).
    await wb.page.keyboard.type('"m');
    const suggestion = wb.page.locator('.suggest-widget .monaco-list-row', { hasText: 'memo' });
    await suggestion.first().waitFor({ state: 'visible', timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('front desk');
    await wb.page.keyboard.press('Escape');
    // The CodeLens above "operation" offers Send; the keybinding sends.
    await wb.page.locator('.codelens-decoration', { hasText: 'Send' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await wb.page.keyboard.press('Control+Alt+Enter');
    const response = wb.page.locator('.tabs-container .tab', { hasText: 'Customers_CreateContact.response.jsonc' });
    await response.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page
      .locator('.monaco-editor .view-line', { hasText: '// 200 OK · Customers_CreateContact' })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await wb.page.locator('.monaco-editor .view-line', { hasText: '"memo": "front desk"' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await wb.page.screenshot({ path: path.join(SCREENSHOTS, 'request-sent.png') });
  });

  step('an invalid value is marked while typing, and Send puts it in the Problems panel', async () => {
    await wb.page.locator('.tabs-container .tab', { hasText: 'Customers_CreateContact.stcrm.json' }).click();
    await editor().click();
    // "type": "Phone" becomes "Email": the phone number is no e-mail address.
    await endOfLine(7);
    for (let i = 0; i < '"Phone",'.length; i++) await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type('"Email",');
    await wb.page.keyboard.press('Control+Alt+Enter');
    await wb
      .errorNotifications(/was not sent/)
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await wb.page.keyboard.press('Control+Shift+M');
    const marker = wb.page.locator('[id="workbench.panel.markers"] .monaco-list-row[aria-level="2"]').filter({ hasText: /email address/ });
    await marker.first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await marker.first().getAttribute('aria-label')) ?? '', /ServiceTitan CRM/);
    await wb.page.screenshot({ path: path.join(SCREENSHOTS, 'request-problem.png') });
  });
});

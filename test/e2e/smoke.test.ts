/// <reference lib="dom" />
// (DOM types for the code passed to page.evaluate, which runs in the browser.)
/**
 * Smoke test of the real workbench: code-server + headless Chromium with the extension loaded.
 * `npm run test:e2e` (after `npm run compile && npm run build`).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { screenshotStep, Workbench } from './driver';

void describe('workbench smoke', { timeout: 180_000 }, () => {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.start();
  });
  after(async () => {
    await wb?.close();
  });

  const step = screenshotStep('smoke', () => wb);

  step('the activity bar shows the ServiceTitan CRM container', async () => {
    await wb.activityBarItem('ServiceTitan CRM').waitFor({ state: 'visible' });
  });

  step('the Customers view opens with its welcome actions', async () => {
    await wb.openViewContainer('ServiceTitan CRM');
    const customers = wb.viewPane('Customers');
    await customers.waitFor({ state: 'visible' });
    await customers.getByRole('button', { name: 'Try the Local Sandbox' }).waitFor({ state: 'visible' });
    await customers.getByRole('button', { name: 'Connect to ServiceTitan' }).waitFor({ state: 'visible' });
  });

  step('the command palette lists the extension commands by their exact titles', async () => {
    for (const title of ['ServiceTitan CRM: Show Log', 'ServiceTitan CRM: Start Local Sandbox', 'ServiceTitan CRM: Add Profile…']) {
      const rows = await wb.paletteRows(title);
      await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await rows.count(), 1, `exactly one palette row "${title}"`);
    }
    await wb.page.keyboard.press('Escape');
  });

  step('Show Log runs from the palette and shows the extension log in the Output panel', async () => {
    await wb.runCommand('ServiceTitan CRM: Show Log');
    const panel = wb.page.locator('.part.panel');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
    // The Output view's channel picker shows the extension's channel, and its text the activation line.
    await wb.page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll<HTMLSelectElement>('.part.panel select.monaco-select-box')).some(
          (s) => s.selectedOptions[0]?.textContent === 'ServiceTitan CRM',
        ),
      undefined,
      { timeout: 10_000 },
    );
    await panel
      .locator('.view-lines')
      .filter({ hasText: /activated/ })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    await wb.page.keyboard.press('Escape');
  });

  step('a misspelt command fails with what the palette offered instead', async () => {
    await assert.rejects(wb.runCommand('ServiceTitan CRM: No Such Command', 2_000), /has no command "ServiceTitan CRM: No Such Command"/);
  });

  step('one click on "Try the Local Sandbox" activates a sandbox profile shown in the status bar', async () => {
    await wb.openViewContainer('ServiceTitan CRM');
    const customers = wb.viewPane('Customers');
    await customers.getByRole('button', { name: 'Try the Local Sandbox' }).click();
    const status = wb.page.locator('.statusbar-item').filter({ hasText: /Local sandbox · tenant 1000/ });
    await status.first().waitFor({ state: 'visible', timeout: 20_000 });
    // The welcome content gives way to the sandbox's customers.
    await customers.getByRole('button', { name: 'Try the Local Sandbox' }).waitFor({ state: 'hidden', timeout: 20_000 });
    await customers.getByRole('treeitem').first().waitFor({ state: 'visible', timeout: 20_000 });
  });

  step('no page or webview reported a CSP violation', async () => {
    wb.assertNoCspViolations();
    return Promise.resolve();
  });
});

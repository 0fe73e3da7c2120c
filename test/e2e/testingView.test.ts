/**
 * Test suites in the real workbench: a workspace with a suite file whose second step fails →
 * the Testing view lists it (the extension activates on the file) → the suite runs with the
 * "Run against a Fresh Sandbox" profile → the steps are marked in the view, the failed step's
 * message shows in the editor at the line of its expectation, and its peek shows expected 404 and
 * actual 200 side by side. Screenshot in docs/screenshots/testing-view.png, shown in the README.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { ROOT, screenshotStep, Workbench } from './driver';

const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

const SUITE = {
  name: 'Look up a customer',
  sandbox: { seed: 7, customers: 20 },
  steps: [
    { name: 'first page', operation: 'Customers_GetList', query: { pageSize: 1 }, expect: { status: 200 }, capture: { customerId: '$.data[0].id' } },
    { name: 'customer is gone', operation: 'Customers_Get', path: { id: '{{customerId}}' }, expect: { status: 404 } },
    { name: 'its locations', operation: 'Locations_GetList', query: { customerId: '{{customerId}}' } },
  ],
};

void describe('the Testing view', { timeout: 300_000 }, () => {
  let wb: Workbench;
  let workspace: string;
  const text = `${JSON.stringify(SUITE, null, 2)}\n`;
  /** 1-based line of the failing expectation. */
  const expectationLine = text.slice(0, text.indexOf('"status": 404')).split('\n').length;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-suites-'));
    fs.writeFileSync(path.join(workspace, 'lookup.stcrm-suite.json'), text);
    wb = await Workbench.start({ workspace });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await wb?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const step = screenshotStep('testing-view', () => wb);
  const testRow = (label: string | RegExp): ReturnType<Workbench['page']['locator']> =>
    wb.page.locator('.part.sidebar .test-explorer .monaco-list-row').filter({ hasText: label }).first();

  step('the Testing view lists the suite and its steps', async () => {
    await wb.openViewContainer('Testing');
    const file = testRow('lookup.stcrm-suite.json');
    await file.waitFor({ state: 'visible', timeout: 30_000 });
    // Expand the file: its steps are read when the view asks for them.
    if ((await file.getAttribute('aria-expanded')) !== 'true') await file.locator('.monaco-tl-twistie').click();
    await testRow('customer is gone').waitFor({ state: 'visible', timeout: 15_000 });
    await testRow('its locations').waitFor({ state: 'visible' });
  });

  step('Run against a Fresh Sandbox: the failed step shows expected and actual at the line of its expectation', async () => {
    // The suite open in an editor, so the failure's message shows in it.
    await wb.page.keyboard.press('Control+p');
    await wb.page.keyboard.type('lookup.stcrm-suite.json');
    await wb.quickPickRows('lookup.stcrm-suite.json').first().waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'lookup.stcrm-suite.json' }).waitFor({ state: 'visible', timeout: 15_000 });
    await wb.runContextMenuItem(testRow('lookup.stcrm-suite.json'), /Execute Using Profile/);
    await wb.waitForQuickInput(/./);
    await wb.quickPickRows('Run against a Fresh Sandbox').first().click();
    // The view marks the steps.
    const failed = testRow('customer is gone');
    await failed.locator('.codicon-testing-failed-icon').waitFor({ state: 'visible', timeout: 60_000 });
    await testRow('first page').locator('.codicon-testing-passed-icon').waitFor({ state: 'visible' });
    await testRow('its locations').locator('.codicon-testing-passed-icon').waitFor({ state: 'visible' });
    // The message in the editor, at the expectation's line (scrolled into view).
    await wb.page.locator('.editor-group-container.active .monaco-editor').first().click();
    await wb.page.keyboard.press('Control+g');
    await wb.page.keyboard.type(String(expectationLine));
    await wb.page.keyboard.press('Enter');
    // VS Code shows a diff message as `actual != expected` beside its line.
    const widget = wb.page.locator('.monaco-editor .test-error-content-widget', { hasText: '200 != 404' }).first();
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    const line = wb.page.locator('.monaco-editor .view-line', { hasText: '"status": 404' }).first();
    const number = wb.page.locator('.monaco-editor .line-numbers', { hasText: new RegExp(`^${expectationLine}$`) }).first();
    const middle = async (locator: typeof line): Promise<number> => {
      const box = await locator.boundingBox();
      assert.ok(box, 'it is on screen');
      return box.y + box.height / 2;
    };
    const at = await middle(line);
    assert.ok(Math.abs((await middle(widget)) - at) < 6, 'the message is on the line of the expectation');
    assert.ok(Math.abs((await middle(number)) - at) < 6, `which is line ${expectationLine}`);
    // Clicked, it opens the peek: the message, with expected and actual side by side.
    await widget.click();
    const peek = wb.page.locator('.monaco-editor .peekview-widget', { hasText: 'Expected status 404, got 200' });
    await peek.waitFor({ state: 'visible', timeout: 15_000 });
    await peek.getByText('Actual').waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await peek.innerText(), /Expected status 404, got 200[\s\S]*customer is gone[\s\S]*404[\s\S]*Expected[\s\S]*200[\s\S]*Actual/);
    await wb.page.screenshot({ path: path.join(SCREENSHOTS, 'testing-view.png') });
  });
});

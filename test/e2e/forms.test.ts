/// <reference lib="dom" />
// (DOM types for the code passed to page.evaluate, which runs in the browser.)
/**
 * The webview forms in the real workbench: filled and submitted by keyboard only, an invalid
 * email under its field and in the Problems panel (whose entry reveals the value in the payload)
 * and announced on the input a screen reader is on, a draft that survives closing the tab, no
 * form taking the keyboard when it comes back to the front, and the form in a dark and a
 * high-contrast theme (screenshots in docs/screenshots/, shown in the README, with a contrast check).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { ROOT, screenshotStep, Workbench } from './driver';

const VIEW = 'Customers';
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

void describe('webview forms', { timeout: 300_000 }, () => {
  let wb: Workbench;
  let customer = '';

  before(async () => {
    wb = await Workbench.start();
    const row = await wb.openSandboxCustomers();
    customer = (await row.locator('.label-name').innerText()).trim();
  });
  after(async () => {
    await wb?.close();
  });

  const step = screenshotStep('forms', () => wb);

  /** The webview of the form whose tab title starts with `title`. */
  async function form(title: string): Promise<FrameLocator> {
    const frame = await wb.webview(title, 20_000);
    await frame.locator('#form').waitFor({ state: 'visible' });
    return frame;
  }

  step('New Contact is filled and submitted with the keyboard only', async () => {
    // The palette, the customer picker and the form: no mouse.
    await wb.runCommandWithKeyboard('ServiceTitan CRM: New Contact…');
    await wb.waitForQuickInput(/link to which customer/);
    await wb.page.keyboard.type(customer);
    await wb.quickPickActiveRow().filter({ hasText: customer }).waitFor({ state: 'visible', timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    const frame = await form(`New Contact · ${customer}`);
    // The form puts the keyboard in its first field.
    await expectFocus(frame, 'field-name');
    await wb.page.keyboard.type('Keyboard Kim');
    await wb.page.keyboard.press('Tab');
    await wb.page.keyboard.type('Dispatcher');
    await wb.page.keyboard.press('Tab'); // reference ID
    await wb.page.keyboard.press('Tab'); // Add Contact Method
    await wb.page.keyboard.press('Enter');
    await frame.locator('.row').first().waitFor({ state: 'visible' });
    await wb.page.keyboard.type('(555) 010-0142'); // its type is Mobile phone already
    await wb.page.keyboard.press('Enter');
    const done = frame.locator('#done');
    await done.filter({ hasText: `Created Keyboard Kim for ${customer} with 1 contact method.` }).waitFor({ state: 'visible', timeout: 20_000 });
    // The tree selects the new person under the customer.
    await wb.treeRow(VIEW, 'Keyboard Kim').waitFor({ state: 'visible', timeout: 15_000 });
    // "Create Another" has the keyboard now; Escape closes the form (nothing typed since).
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.tabs-container .tab', { hasText: `New Contact · ${customer}` }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  step('a form that comes back to the front does not take the keyboard: the command palette stays open and gets what is typed', async () => {
    // A New Contact form, saved: it shows "Create Another", which used to take the keyboard whenever the form was drawn again.
    await wb.runContextMenuItem(wb.treeRow(VIEW, customer), 'New Contact…');
    const newContact = await form(`New Contact · ${customer}`);
    await newContact.getByRole('textbox', { name: 'Name' }).fill('Focus Fay');
    await newContact.getByRole('textbox', { name: 'Name' }).press('Enter');
    const created = `Created Focus Fay for ${customer}`;
    await newContact.locator('#done').filter({ hasText: created }).waitFor({ state: 'visible', timeout: 20_000 });
    // An Edit form in front of it, saved: it closes itself and New Contact comes back (rebuilt, as webviews are).
    await wb.runContextMenuItem(wb.treeRow(VIEW, 'Keyboard Kim'), 'Edit Contact…');
    const edit = await form('Edit Contact · Keyboard Kim');
    await edit.getByRole('textbox', { name: 'Job title' }).fill('Lead dispatcher');
    await edit.getByRole('textbox', { name: 'Job title' }).press('Enter');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Edit Contact · Keyboard Kim' }).waitFor({ state: 'detached', timeout: 20_000 });
    // The user opens the command palette while New Contact is drawn again behind it.
    await wb.page.keyboard.press('F1');
    const palette = wb.quickInput().locator('.quick-input-box input');
    await palette.waitFor({ state: 'visible' });
    const back = await wb.webview(`New Contact · ${customer}`, 20_000);
    await back.locator('#done').filter({ hasText: created }).waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.waitForTimeout(1_500); // room for a late focus (it came 0 to 2 s after the page was drawn)
    assert.ok(await palette.isVisible(), 'the command palette is still open');
    assert.ok(await palette.evaluate((input) => document.activeElement === input), 'the keyboard is still in the command palette');
    assert.equal(
      await back.locator('#create-another').evaluate((button) => button.matches(':focus-within')),
      false,
      '"Create Another" did not take the keyboard',
    );
    await wb.page.keyboard.type('Reload Win');
    assert.equal(await palette.inputValue(), '>Reload Win', 'what was typed went to the palette');
    assert.equal(await back.locator('#form').isVisible(), false, 'no space pressed "Create Another"');
    await wb.page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden' });
  });

  step('contact-method rows named like Object.prototype members are rows like any other', async () => {
    // The page takes rows as the host sends them (its draft, its saved state); a row called
    // "constructor" has no contact method created for it just because of its name.
    await wb.runContextMenuItem(wb.treeRow(VIEW, customer), 'New Contact…');
    const frame = await wb.webview(`New Contact · ${customer}`, 20_000);
    await frame.locator('h1').filter({ hasText: 'New Contact' }).waitFor({ state: 'visible' }); // its own init came first
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    await frame.locator('body').evaluate((_body, rowIds) => {
      const init = {
        type: 'init',
        form: { kind: 'createContact', formId: 'e2e-rows-0123456789abcdef', title: 'New Contact', profile: 'Profile e2e', production: false },
        values: {
          fields: { name: 'Row Names', title: '', referenceId: '' },
          rows: rowIds.map((id) => ({ id, fields: { type: 'Email', value: `${id}@example.com`, memo: '' } })),
        },
        progress: { linked: false, methods: {} },
      };
      window.dispatchEvent(new MessageEvent('message', { data: init }));
    }, names);
    await frame
      .locator('.row')
      .nth(names.length - 1)
      .waitFor({ state: 'visible' });
    assert.equal(await frame.locator('.row.created').count(), 0, 'no row shows as created');
    assert.equal(await frame.locator('.row .remove').count(), names.length, 'each row can be removed');
    for (const id of names) {
      assert.equal(
        await frame.locator(`#row-${id}-value`).evaluate((field) => (field as HTMLInputElement & { readonly: boolean }).readonly),
        false,
        `row ${id} can be edited`,
      );
    }
    // Close it (its tab's close button does not ask); the tree's contacts are untouched.
    const tab = wb.page.locator('.tabs-container .tab', { hasText: `New Contact · ${customer}` });
    await tab.hover();
    await tab.locator('.codicon-close').click();
    await tab.waitFor({ state: 'detached' });
  });

  step('an invalid email shows under its field and in the Problems panel, whose entry reveals it in the payload', async () => {
    await wb.runContextMenuItem(wb.treeRow(VIEW, customer), 'New Phone or Email…');
    const frame = await form(`New Phone or Email · ${customer}`);
    await frame.locator('#field-type').click();
    await frame.getByRole('option', { name: 'Email' }).click();
    await frame.getByLabel('Phone, email or fax').fill('kim@');
    await frame.getByLabel('Phone, email or fax').press('Enter');
    const error = frame.locator('#field-value-error');
    await error.filter({ hasText: /email address/ }).waitFor({ state: 'visible', timeout: 10_000 });
    await frame
      .locator('#banner')
      .filter({ hasText: /nothing was sent/ })
      .waitFor({ state: 'visible' });

    await wb.page.keyboard.press('Control+Shift+M');
    const marker = wb.page.locator('[id="workbench.panel.markers"] .monaco-list-row[aria-level="2"]').filter({ hasText: /email address/ });
    await marker.first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await marker.first().getAttribute('aria-label')) ?? '', /generated by ServiceTitan CRM/);
    await marker.first().click();
    // The payload document is active with the bad value selected: "kim@" with its quotes.
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'createCustomerContact.json' }).waitFor({ state: 'visible', timeout: 10_000 });
    await wb
      .statusBarItems(/Ln 3, Col \d+ \(6 selected\)/)
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
  });

  step('an invalid field is announced where the keyboard is: aria-invalid and its message on the inner input', async () => {
    const frame = await form(`New Phone or Email · ${customer}`);
    // The textbox a screen reader lands on is the <input> inside vscode-textfield's shadow root.
    const value = frame.getByRole('textbox', { name: 'Phone, email or fax' });
    await value.press('Enter');
    const error = frame.locator('#field-value-error');
    await error.filter({ hasText: /email address/ }).waitFor({ state: 'visible', timeout: 10_000 });
    const message = ((await error.textContent()) ?? '').trim();
    assert.equal(await value.evaluate((input) => input.tagName), 'INPUT');
    assert.equal(await value.getAttribute('aria-invalid'), 'true');
    const references = await value.evaluate((input) => ({
      describedBy: (input.ariaDescribedByElements ?? []).map((element) => element.id),
      errorMessage: (input.ariaErrorMessageElements ?? []).map((element) => element.id),
    }));
    assert.deepEqual(references, { describedBy: ['field-value-error'], errorMessage: ['field-value-error'] });
    // What Chromium gives a screen reader for that input.
    const node = await wb.accessibleNode(value);
    assert.deepEqual([node.role, node.name, node.invalid], ['textbox', 'Phone, email or fax', 'true']);
    assert.equal(node.description, message, "the message is the input's accessible description");
    // A valid field says nothing of the kind.
    const memo = frame.getByRole('textbox', { name: 'Memo' });
    assert.equal(await memo.getAttribute('aria-invalid'), null);
    const memoNode = await wb.accessibleNode(memo);
    assert.ok(memoNode.invalid === '' || memoNode.invalid === 'false', `Memo is not invalid (${memoNode.invalid})`);
    assert.doesNotMatch(memoNode.description, /email address/);
  });

  step('a draft survives closing and reopening the form', async () => {
    const frame = await form(`New Phone or Email · ${customer}`);
    await frame.getByLabel('Memo').fill('typed before closing');
    // Close the tab with its close button, as a user would.
    const tab = wb.page.locator('.tabs-container .tab', { hasText: `New Phone or Email · ${customer}` });
    await tab.hover();
    await tab.locator('.codicon-close').click();
    await tab.waitFor({ state: 'detached' });
    await wb.runContextMenuItem(wb.treeRow(VIEW, customer), 'New Phone or Email…');
    const reopened = await form(`New Phone or Email · ${customer}`);
    await reopened.locator('#field-memo input').waitFor({ state: 'visible' });
    assert.equal(await reopened.locator('#field-memo').evaluate((field) => (field as HTMLInputElement).value), 'typed before closing');
    assert.equal(await reopened.locator('#field-value').evaluate((field) => (field as HTMLInputElement).value), 'kim@');
  });

  step('Escape on a form with changes asks before discarding them; Cancel keeps the form', async () => {
    const frame = await form(`New Phone or Email · ${customer}`);
    await frame.getByLabel('Memo').click();
    await wb.page.keyboard.press('Escape');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: /Discard what you typed/ }).waitFor({ state: 'visible' });
    await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await frame.locator('#field-memo').evaluate((field) => (field as HTMLInputElement).value), 'typed before closing');
  });

  step('the form is readable in the dark and the high-contrast theme', async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const frame = await form(`New Phone or Email · ${customer}`);
    // Submitting the bad email again shows the banner and the field's error, to be seen in each theme.
    await frame.getByLabel('Phone, email or fax').press('Enter');
    await frame
      .locator('#field-value-error')
      .filter({ hasText: /email address/ })
      .waitFor({ state: 'visible' });
    await frame.locator('#banner').waitFor({ state: 'visible' });
    for (const [theme, className, file] of [
      ['Default Dark Modern', 'vs-dark', 'form-dark.png'],
      ['Default High Contrast', 'hc-black', 'form-high-contrast.png'],
      ['Default Light Modern', 'vs', 'form-light.png'],
    ] as const) {
      await wb.setColorTheme(theme);
      await wb.page.locator(`.monaco-workbench.${className}`).waitFor({ state: 'attached', timeout: 15_000 });
      await frame
        .locator(`body.vscode-${className === 'vs' ? 'light' : className === 'vs-dark' ? 'dark' : 'high-contrast'}`)
        .waitFor({ state: 'attached', timeout: 15_000 });
      await wb.page.mouse.move(900, 800);
      await wb.page.waitForTimeout(300); // the theme's transition
      await wb.page.screenshot({ path: path.join(SCREENSHOTS, file) });
      for (const selector of ['h1', 'vscode-label', '#field-value-error', '#banner p']) {
        const ratio = await frame.locator(selector).first().evaluate(contrastWithBackground);
        assert.ok(ratio >= 4.5, `${theme}: ${selector} has a contrast of ${ratio.toFixed(2)}:1 (at least 4.5:1 needed)`);
      }
      const input = await frame.locator('#field-value input').evaluate(contrastWithBackground);
      assert.ok(input >= 4.5, `${theme}: the text field's text has a contrast of ${input.toFixed(2)}:1`);
    }
  });

  step('after Reload Window the form comes back with what was typed', async () => {
    await wb.runCommand('Developer: Reload Window');
    await wb.waitReady();
    const frame = await form(`New Phone or Email · ${customer}`);
    await frame.locator('#field-memo input').waitFor({ state: 'visible' });
    assert.equal(await frame.locator('#field-memo').evaluate((field) => (field as HTMLInputElement).value), 'typed before closing');
    assert.equal(await frame.locator('#field-value').evaluate((field) => (field as HTMLInputElement).value), 'kim@');
  });

  step('no page or webview reported a CSP violation', () => {
    wb.assertNoCspViolations();
    return Promise.resolve();
  });

  async function expectFocus(frame: FrameLocator, id: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (await frame.locator(`#${id}`).evaluate((field) => field.matches(':focus-within') || document.activeElement === field)) return;
      await wb.page.waitForTimeout(100);
    }
    assert.fail(`#${id} did not get the keyboard focus`);
  }
});

/** WCAG contrast ratio of an element's text against the first opaque background behind it (runs in the page). */
function contrastWithBackground(element: Element): number {
  const parse = (color: string): [number, number, number, number] => {
    const match = /rgba?\(([^)]+)\)/.exec(color);
    const parts = (match?.[1] ?? '0,0,0,0')
      .split(/[,\s/]+/)
      .filter(Boolean)
      .map(Number);
    return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
  };
  const luminance = ([r, g, b]: [number, number, number, number]): number => {
    const channel = (value: number): number => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const foreground = parse(getComputedStyle(element).color);
  let background: [number, number, number, number] = [255, 255, 255, 1];
  for (let node: Element | null = element; node; node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host ?? null) {
    const color = parse(getComputedStyle(node).backgroundColor);
    if (color[3] > 0.5) {
      background = color;
      break;
    }
  }
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/// <reference lib="dom" />
// (DOM types for the code passed to page.evaluate, which runs in the browser.)
/**
 * The interactive Add Profile form in the real workbench: the multi-step quick input with its
 * Back button, a failed credential check with "Edit Again", silence on Escape, and the one error
 * notification (with "Show Log") of a failing command. The CRM here is a sandbox started inside
 * this test process; the extension reaches it over loopback HTTP through a Custom URL profile.
 * `node --test out/test/e2e/profileForm.test.js` (after `npm run compile && npm run build`).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { screenshotStep, Workbench } from './driver';

const FORM = 'Add ServiceTitan CRM Profile';
// A keybinding with an argument object, as the README offers: it selects a profile that does not exist.
const FAILING_KEY = 'Control+Shift+Alt+F9';
const MISSING_PROFILE = 'Renamed Long Ago';

void describe('profile form', { timeout: 150_000 }, () => {
  let wb: Workbench;
  let sandbox: RunningSandbox;

  before(async () => {
    sandbox = await startSandbox({ port: 0, customers: 5 });
    wb = await Workbench.start({
      keybindings: [{ key: 'ctrl+shift+alt+f9', command: 'stcrm.selectProfile', args: { profile: MISSING_PROFILE } }],
    });
  });
  after(async () => {
    await wb?.close();
    await sandbox?.close();
  });

  const step = screenshotStep('profileForm', () => wb);

  const noProfile = () => wb.statusBarItems(/ServiceTitan: no profile/);

  /** Answers the current input box of the form: waits for step `n`/`total`, types `value` (if given), Enter. */
  const answer = async (stepOf: string, value?: string): Promise<void> => {
    await wb.waitForQuickInput(`${FORM} (${stepOf})`);
    if (value !== undefined) await wb.typeInQuickInput(value);
    await wb.acceptQuickInput();
  };

  step('Escape in the middle of the form closes it without any notification', async () => {
    await wb.runCommand('ServiceTitan CRM: Add Profile…');
    await wb.waitForQuickInput(`${FORM} (1/6)`);
    await wb.quickPickRows('Custom URL').click();
    const apiStep = await wb.waitForQuickInput(`${FORM} (2/9)`);
    assert.match(apiStep.message, /API base URL/);
    await wb.typeInQuickInput('https://half-typed.example');
    await wb.page.keyboard.press('Escape');
    await wb.quickInput().waitFor({ state: 'hidden' });
    // The proof that the cancel reported nothing is in the next step: the failing command's
    // notification is then the only error notification on screen.
    await noProfile().waitFor({ state: 'visible' });
  });

  step('a failing command shows exactly one error notification, whose Show Log opens the log', async () => {
    await wb.page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await wb.page.keyboard.press(FAILING_KEY);
    const toast = wb.errorNotifications(/no profile matches/);
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await wb.errorNotifications().count(), 1, 'one error notification, none from the cancelled form');
    assert.equal(await wb.notifications(/no profile matches/).count(), 1, 'the workbench does not report the failure a second time');
    const text = await toast.locator('.notification-list-item-message').innerText();
    assert.equal(text, `stcrm.selectProfile: no profile matches {"profile":"${MISSING_PROFILE}"}.`);
    assert.deepEqual(await wb.notificationButtons(toast), ['Show Log']);

    await wb.clickNotificationButton(toast, 'Show Log');
    await toast.waitFor({ state: 'hidden' });
    const panel = wb.page.locator('.part.panel');
    await panel
      .locator('.view-lines')
      .filter({ hasText: /\[error\]\s+stcrm\.selectProfile/ })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    await wb.page.keyboard.press('Escape');
  });

  step('Add Profile: Back keeps what was typed; a wrong secret fails the check; Edit Again reopens it filled in; fixed, it saves', async () => {
    const url = sandbox.url;
    const tokenUrl = `${url}/connect/token`;
    await wb.runCommand('ServiceTitan CRM: Add Profile…');
    await wb.waitForQuickInput(`${FORM} (1/6)`);
    await wb.quickPickRows('Custom URL').click();
    await answer('2/9', url);
    const tokenStep = await wb.waitForQuickInput(`${FORM} (3/9)`);
    assert.equal(tokenStep.value, tokenUrl, 'the token URL is suggested from the API URL');
    await wb.acceptQuickInput();
    // A Custom URL profile says what data its tenant holds: production data is guarded.
    await wb.waitForQuickInput(`${FORM} (4/9)`);
    assert.deepEqual(await wb.quickPickLabels(), ['Test data', 'Production data']);
    await wb.acceptQuickInput();
    await answer('5/9', sandbox.tenant);

    // Back three times from the client ID: the tenant, the data question and the token URL are still there.
    const clientIdStep = await wb.waitForQuickInput(`${FORM} (6/9)`);
    assert.match(clientIdStep.message, /Client ID/);
    assert.equal(clientIdStep.password, true, 'secrets are typed into a password input');
    await wb.quickInputBack();
    assert.equal((await wb.waitForQuickInput(`${FORM} (5/9)`)).value, sandbox.tenant);
    await wb.quickInputBack();
    await wb.quickPickActiveRow().filter({ hasText: 'Test data' }).waitFor({ state: 'visible' });
    await wb.quickInputBack();
    assert.equal((await wb.waitForQuickInput(`${FORM} (3/9)`)).value, tokenUrl);
    await wb.acceptQuickInput();
    await answer('4/9');
    await answer('5/9');

    await answer('6/9', sandbox.credentials.clientId);
    await answer('7/9', 'not-the-secret');
    await answer('8/9', sandbox.credentials.appKey);
    const nameStep = await wb.waitForQuickInput(`${FORM} (9/9)`);
    assert.equal(nameStep.value, `Custom URL ${sandbox.tenant}`, 'a name is suggested');
    const tokensBefore = sandbox.stats().tokenRequests;
    await answer('9/9', 'E2E Custom');

    // The check fails with its own message and offers the three ways on.
    const failed = wb.errorNotifications(/Profile "E2E Custom" was not saved/);
    await failed.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await failed.innerText(), /The client ID or client secret was rejected \(invalid_client\)/);
    assert.ok(!(await failed.innerText()).includes('not-the-secret'), 'the notification does not show the secret');
    assert.deepEqual(await wb.notificationButtons(failed), ['Edit Again', 'Save Anyway', 'Show Log']);
    assert.ok(sandbox.stats().tokenRequests > tokensBefore, 'the check asked the sandbox for a token');
    await noProfile().waitFor({ state: 'visible' });
    await wb.clickNotificationButton(failed, 'Edit Again');
    await failed.waitFor({ state: 'hidden' });

    // The form reopens with everything that was typed, secrets included.
    await wb.waitForQuickInput(`${FORM} (1/9)`);
    await wb.quickPickActiveRow().filter({ hasText: 'Custom URL' }).waitFor({ state: 'visible' });
    await wb.acceptQuickInput();
    const expected: [string, string][] = [
      ['2/9', url],
      ['3/9', tokenUrl],
      ['4/9', ''],
      ['5/9', sandbox.tenant],
      ['6/9', sandbox.credentials.clientId],
      ['7/9', 'not-the-secret'],
    ];
    for (const [stepOf, value] of expected) {
      assert.equal((await wb.waitForQuickInput(`${FORM} (${stepOf})`)).value, value, `step ${stepOf} keeps what was typed`);
      if (stepOf !== '7/9') await wb.acceptQuickInput();
    }
    await wb.typeInQuickInput(sandbox.credentials.clientSecret);
    await wb.acceptQuickInput();
    assert.equal((await wb.waitForQuickInput(`${FORM} (8/9)`)).value, sandbox.credentials.appKey);
    await wb.acceptQuickInput();
    assert.equal((await wb.waitForQuickInput(`${FORM} (9/9)`)).value, 'E2E Custom');
    await wb.acceptQuickInput();

    await wb
      .statusBarItems(/E2E Custom · tenant 1000/)
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await wb.errorNotifications().count(), 0, 'no error notification after the save');
  });

  step('a name another profile has is refused while typing; Escape then leaves everything as it was', async () => {
    await wb.runCommand('ServiceTitan CRM: Add Profile…');
    await wb.waitForQuickInput(`${FORM} (1/6)`);
    await wb.quickPickRows('Custom URL').click();
    await answer('2/9', sandbox.url);
    await answer('3/9');
    await answer('4/9');
    await answer('5/9', sandbox.tenant);
    await answer('6/9', sandbox.credentials.clientId);
    await answer('7/9', sandbox.credentials.clientSecret);
    await answer('8/9', sandbox.credentials.appKey);
    await answer('9/9', 'e2e custom');
    // Enter did not accept it: the name step stays, with the reason under the input.
    await wb
      .quickInput()
      .locator('.quick-input-message', { hasText: 'A profile named "E2E Custom" already exists. Choose another name.' })
      .waitFor({ state: 'visible' });
    assert.equal((await wb.waitForQuickInput(`${FORM} (9/9)`)).value, 'e2e custom');
    await wb.page.keyboard.press('Escape');
    await wb.quickInput().waitFor({ state: 'hidden' });
    await wb
      .statusBarItems(/E2E Custom · tenant 1000/)
      .first()
      .waitFor({ state: 'visible' });
  });

  step('Edit Profile does not offer to turn a Custom URL profile into the local sandbox', async () => {
    await wb.runCommand('ServiceTitan CRM: Edit Profile…');
    // One profile, and it is active: the form opens on it directly.
    await wb.waitForQuickInput('Edit Profile "E2E Custom" (1/9)');
    await wb.quickPickActiveRow().filter({ hasText: 'Custom URL' }).waitFor({ state: 'visible' });
    assert.deepEqual(await wb.quickPickLabels(), ['Production', 'Integration', 'Custom URL']);
    await wb.page.keyboard.press('Escape');
    await wb.quickInput().waitFor({ state: 'hidden' });
    assert.equal(await wb.errorNotifications().count(), 0, 'cancelling the edit is silent too');
  });

  step('no page or webview reported a CSP violation', async () => {
    wb.assertNoCspViolations();
    return Promise.resolve();
  });
});

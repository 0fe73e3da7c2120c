/**
 * The VSIX as a user gets it: installed into the test VS Code with `code-server
 * --install-extension` (no development path), it activates and works against the local sandbox.
 * The host runs with UNDICI_NO_WASM_SIMD=1, so the HTTP calls also prove that undici's fallback
 * parser, which ships as its own file, loads on demand (the development tests use the SIMD one).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe } from 'node:test';
import { EXTENSION_ID, screenshotStep, Workbench } from '../e2e/driver';
import { MANIFEST, VSIX } from './vsix';

void describe('the installed VSIX', { timeout: 240_000 }, () => {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.start({ vsix: VSIX, env: { UNDICI_NO_WASM_SIMD: '1' } });
  });
  after(async () => {
    await wb?.close();
  });

  const step = screenshotStep('vsix', () => wb);

  step('is installed in the extensions folder, and is the only copy VS Code runs', async () => {
    const installed = fs.readdirSync(wb.server.extensionsDir).filter((name) => name.startsWith(EXTENSION_ID));
    assert.deepEqual(installed, [`${EXTENSION_ID}-${MANIFEST.version}`]);
    assert.ok(fs.existsSync(`${wb.server.extensionsDir}/${installed[0]}/dist/extension.js`));
    assert.ok(!fs.existsSync(`${wb.server.extensionsDir}/${installed[0]}/src`), 'no sources were installed');
    await wb.activityBarItem('ServiceTitan CRM').waitFor({ state: 'visible' });
  });

  step('activates and shows the sandbox customers after one click on "Try the Local Sandbox"', async () => {
    await wb.openViewContainer('ServiceTitan CRM');
    const customers = wb.viewPane('Customers');
    await customers.getByRole('button', { name: 'Try the Local Sandbox' }).click();
    await wb
      .statusBarItems(/Local sandbox · tenant 1000/)
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    // A customer row: the token and list calls went through the packaged client and sandbox.
    await wb.treeRow('Customers', /#\d+ · (Residential|Commercial)/).waitFor({ state: 'visible', timeout: 30_000 });
  });

  step('a customer expands into its groups, loaded over HTTP', async () => {
    await wb.treeRow('Customers', /#\d+ · (Residential|Commercial)/).click();
    await wb.treeRow('Customers', /^Phones & emails/).waitFor({ state: 'visible', timeout: 15_000 });
    await wb.treeRow('Customers', /^People/).click();
    await wb.treeRow('Customers', /^People\s*\d+/).waitFor({ state: 'visible', timeout: 15_000 });
  });
});

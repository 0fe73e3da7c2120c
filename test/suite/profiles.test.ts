import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import type { StcrmApi } from '../../src/extension';
import { activateExtension, commandError, logText, removeAllProfiles } from './helpers';

// Canary credentials: unique strings that must never show up outside SecretStorage.
const CANARY_SECRET = 'canary-secret-7f3a9c2e51';
const CANARY_APP_KEY = 'canary-appkey-5b8d0e4f19';
const CANARY_CLIENT_ID = 'canary-client-c41e77a0';

suite('Profiles', () => {
  let api: StcrmApi;
  let sandbox: RunningSandbox;

  suiteSetup(async () => {
    api = await activateExtension();
    sandbox = await startSandbox({ port: 0, customers: 30, clientId: CANARY_CLIENT_ID, clientSecret: CANARY_SECRET, appKey: CANARY_APP_KEY });
  });
  suiteTeardown(async () => {
    await removeAllProfiles(api);
    await sandbox.close();
  });
  setup(() => removeAllProfiles(api));

  const customProfile = (overrides: Record<string, unknown> = {}) => ({
    name: 'Canary',
    environment: 'custom',
    tenant: sandbox.tenant,
    apiBaseUrl: sandbox.url,
    tokenUrl: `${sandbox.url}/connect/token`,
    clientId: CANARY_CLIENT_ID,
    clientSecret: CANARY_SECRET,
    appKey: CANARY_APP_KEY,
    ...overrides,
  });

  test('add profile without prompts: checked, saved, active, secrets only in SecretStorage', async () => {
    const tokensBefore = sandbox.stats().tokenRequests;
    const saved = await vscode.commands.executeCommand<{ id: string; name: string }>(
      'stcrm.addProfile',
      customProfile({ clientSecret: `  ${CANARY_SECRET}  ` }),
    );
    assert.equal(saved.name, 'Canary');
    assert.ok(sandbox.stats().tokenRequests > tokensBefore, 'the check asked for a token');
    assert.equal(api.store.active()?.id, saved.id);
    const secrets = await api.store.secrets(saved.id);
    assert.deepEqual(secrets, { clientId: CANARY_CLIENT_ID, clientSecret: CANARY_SECRET, appKey: CANARY_APP_KEY }, 'secrets are stored trimmed');
    const profileJson = JSON.stringify(api.store.list());
    for (const canary of [CANARY_SECRET, CANARY_APP_KEY, CANARY_CLIENT_ID]) {
      assert.ok(!profileJson.includes(canary), 'no secret in the profile records');
    }
    const settings = JSON.stringify([vscode.workspace.getConfiguration('stcrm'), vscode.workspace.getConfiguration('http')]);
    assert.ok(!settings.includes(CANARY_SECRET) && !settings.includes(CANARY_APP_KEY), 'no secret in settings');
  });

  test('status bar shows the active profile and tenant, and marks production', async () => {
    await vscode.commands.executeCommand('stcrm.addProfile', customProfile({ name: 'Staging copy' }));
    assert.match(api.statusBar.item.text, /Staging copy/);
    assert.match(api.statusBar.item.text, new RegExp(`tenant ${sandbox.tenant}`));
    assert.equal(api.statusBar.item.command, 'stcrm.selectProfile');
    assert.equal(api.statusBar.item.backgroundColor, undefined);

    // Production cannot be reached here, so it is saved without the check.
    await vscode.commands.executeCommand('stcrm.addProfile', {
      ...customProfile({ name: 'Live', environment: 'production', tenant: '4242' }),
      apiBaseUrl: undefined,
      tokenUrl: undefined,
      check: false,
    });
    assert.match(api.statusBar.item.text, /Live · PRODUCTION · tenant 4242/);
    assert.ok(api.statusBar.item.backgroundColor, 'production is marked with a background colour');

    await vscode.commands.executeCommand('stcrm.selectProfile', { profile: 'Staging copy' });
    assert.match(api.statusBar.item.text, /Staging copy/);
    assert.equal(api.statusBar.item.backgroundColor, undefined);
  });

  test('edit, select and remove without prompts', async () => {
    const first = await vscode.commands.executeCommand<{ id: string }>('stcrm.addProfile', customProfile({ name: 'One' }));
    const second = await vscode.commands.executeCommand<{ id: string }>('stcrm.addProfile', customProfile({ name: 'Two' }));
    assert.equal(api.store.active()?.id, second.id);

    await vscode.commands.executeCommand('stcrm.editProfile', { id: first.id, name: 'One renamed' });
    assert.equal(api.store.get(first.id)?.name, 'One renamed');
    assert.equal((await api.store.secrets(first.id))?.clientSecret, CANARY_SECRET, 'editing keeps the secrets');

    await vscode.commands.executeCommand('stcrm.selectProfile', { id: first.id });
    assert.equal(api.store.active()?.id, first.id);

    await vscode.commands.executeCommand('stcrm.removeProfile', { profile: 'One renamed' });
    assert.equal(api.store.get(first.id), undefined);
    assert.equal(await api.store.secrets(first.id), undefined, 'secrets are deleted with the profile');
    assert.equal(api.store.active(), undefined, 'the removed active profile is no longer active');
    assert.match(api.statusBar.item.text, /no profile/);
  });

  test('invalid argument objects say what to fix', async () => {
    const error = await commandError('stcrm.addProfile', customProfile({ tenant: 'abc', clientSecret: '' }));
    assert.match(error.message, /tenant: tenant must be digits only/);
    assert.match(error.message, /clientSecret: clientSecret must not be empty/);
    assert.equal(api.store.list().length, 0, 'nothing was saved');
    const duplicate = await vscode.commands.executeCommand('stcrm.addProfile', customProfile({ name: 'Dup' }));
    assert.ok(duplicate);
    assert.match((await commandError('stcrm.addProfile', customProfile({ name: 'dup' }))).message, /already exists/);
  });

  test('credential failures each give their own message and save nothing', async () => {
    const messages = {
      secret: (await commandError('stcrm.addProfile', customProfile({ clientSecret: 'wrong-secret' }))).message,
      appKey: (await commandError('stcrm.addProfile', customProfile({ appKey: 'wrong-app-key' }))).message,
      tenant: (await commandError('stcrm.addProfile', customProfile({ tenant: '999999' }))).message,
      network: (await commandError('stcrm.addProfile', customProfile({ apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/connect/token' })))
        .message,
    };
    assert.match(messages.secret, /client (ID|secret)/i);
    assert.match(messages.appKey, /app key/i);
    assert.match(messages.tenant, /tenant/i);
    assert.match(messages.network, /refused|reach/i);
    assert.equal(new Set(Object.values(messages)).size, 4, 'four distinct messages');
    for (const message of Object.values(messages)) {
      assert.ok(!message.includes(CANARY_SECRET) && !message.includes(CANARY_APP_KEY), `no secret in: ${message}`);
    }
    assert.equal(api.store.list().length, 0);
  });

  test('the log never contains a secret', async () => {
    await vscode.commands.executeCommand('stcrm.addProfile', customProfile({ name: 'Logged' }));
    await commandError('stcrm.addProfile', customProfile({ name: 'Bad', clientSecret: `${CANARY_SECRET}-x` }));
    const connection = await api.connections.active();
    assert.ok(connection);
    await connection.client.listCustomers({ page: 1, pageSize: 3 });
    const text = await logText(api);
    assert.match(text, /GET .*\/customers/, 'requests are logged');
    for (const canary of [CANARY_SECRET, CANARY_APP_KEY, CANARY_CLIENT_ID]) {
      assert.ok(!text.includes(canary), `the log contains ${canary}`);
    }
  });
});

/**
 * Profiles and the command wrapper beyond the happy path: secrets changed in another window,
 * the missing-scope message of the credential check, and what the one command wrapper does with
 * failures (logged redacted, rethrown) and cancellations (silent, undefined).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { secretKey } from '../../src/profiles/profiles';
import { registerCrmCommand, UserCancelled } from '../../src/common/commands';
import type { StcrmApi } from '../../src/extension';
import { activateExtension, commandError, eventually, logText, markLog, removeAllProfiles, rethrowing } from './helpers';

const CLIENT_ID = 'shell-client-3d91c0';
const SECRET = 'shell-secret-a61f4e2b90';
const APP_KEY = 'shell-appkey-7c0d5e31';
const ROTATED_SECRET = 'rotated-secret-e58b2c7d14';
// An app whose client may read contacts but not customers: the check's customer call is 403.
const NO_CUSTOMERS_CLIENT = 'contacts-only-client';
const NO_CUSTOMERS_SECRET = 'contacts-only-secret-42f1';

suite('Profile shell', () => {
  let api: StcrmApi;
  let sandbox: RunningSandbox;

  suiteSetup(async () => {
    api = await activateExtension();
    sandbox = await startSandbox({
      port: 0,
      customers: 12,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      appKey: APP_KEY,
      clients: [{ clientId: NO_CUSTOMERS_CLIENT, clientSecret: NO_CUSTOMERS_SECRET, scopes: ['tn.crm.contacts:r', 'tn.crm.locations:r'] }],
    });
  });
  suiteTeardown(async () => {
    await removeAllProfiles(api);
    await sandbox.close();
  });
  setup(() => removeAllProfiles(api));

  const customProfile = (overrides: Record<string, unknown> = {}) => ({
    name: 'Shell',
    environment: 'custom',
    tenant: sandbox.tenant,
    apiBaseUrl: sandbox.url,
    tokenUrl: `${sandbox.url}/connect/token`,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    appKey: APP_KEY,
    ...overrides,
  });

  test('a secret changed in another window rebuilds the connection, which then uses it', async () => {
    const saved = await vscode.commands.executeCommand<{ id: string }>('stcrm.addProfile', customProfile());
    const first = await api.connections.active();
    assert.ok(first, 'the new profile is active');
    await first.client.listCustomers({ page: 1, pageSize: 1 });

    // Another window writes the shared SecretStorage entry; this window's ProfileStore is not told.
    const otherWindowWrites = (clientSecret: string) =>
      api.store.secretStorage.store(secretKey(saved.id), JSON.stringify({ clientId: CLIENT_ID, clientSecret, appKey: APP_KEY }));
    const connectionWith = (clientSecret: string) =>
      eventually(async () => {
        const connection = await api.connections.active();
        return connection?.secrets.clientSecret === clientSecret ? connection : undefined;
      }, `the active connection to use the client secret written by the other window`);

    await otherWindowWrites(ROTATED_SECRET);
    const rotated = await connectionWith(ROTATED_SECRET);
    assert.notEqual(rotated, first, 'a new connection, not the old one with its cached token');
    const tokensBefore = sandbox.stats().tokenRequests;
    await assert.rejects(rotated.client.listCustomers({ page: 1, pageSize: 1 }), /client ID or client secret was rejected \(invalid_client\)/);
    assert.ok(sandbox.stats().tokenRequests > tokensBefore, 'the rebuilt connection asked for a token with the new secret');

    await otherWindowWrites(SECRET);
    const restored = await connectionWith(SECRET);
    const page = await restored.client.listCustomers({ page: 1, pageSize: 2 });
    assert.equal(page.data.length, 2, 'the secret written back works again without a reload');
    assert.equal((await api.store.secrets(saved.id))?.clientSecret, SECRET);
  });

  test('credentials without the customers scope fail the check with a message naming the scope', async () => {
    const error = await commandError('stcrm.addProfile', customProfile({ clientId: NO_CUSTOMERS_CLIENT, clientSecret: NO_CUSTOMERS_SECRET }));
    assert.match(error.message, /credentials were accepted, but this app may not read customers in tenant 1000/);
    assert.match(error.message, /"tn\.crm\.customers:r" scope/);
    assert.ok(!error.message.includes(NO_CUSTOMERS_SECRET) && !error.message.includes(APP_KEY), `no secret in: ${error.message}`);
    assert.equal(api.store.list().length, 0, 'nothing was saved');

    // The read-only client (only :r scopes) can read customers, so the check passes for it.
    const readOnly = await vscode.commands.executeCommand<{ id: string }>(
      'stcrm.addProfile',
      customProfile({ name: 'Read only', clientId: 'sandbox-readonly-client', clientSecret: 'sandbox-readonly-secret' }),
    );
    assert.equal(api.store.active()?.id, readOnly.id);
  });

  test("profile names stay unique: renaming onto another profile's name is refused", async () => {
    await vscode.commands.executeCommand('stcrm.addProfile', customProfile({ name: 'First', check: false }));
    const second = await vscode.commands.executeCommand<{ id: string }>('stcrm.addProfile', customProfile({ name: 'Second', check: false }));
    const error = await commandError('stcrm.editProfile', { id: second.id, name: 'first' });
    assert.equal(error.message, 'stcrm.editProfile: A profile named "First" already exists. Choose another name.');
    assert.equal(api.store.get(second.id)?.name, 'Second');
    // Renaming a profile to its own name in other letter case is fine.
    await vscode.commands.executeCommand('stcrm.editProfile', { id: second.id, name: 'SECOND', check: false });
    assert.equal(api.store.get(second.id)?.name, 'SECOND');
  });

  test('an interactive command the user dismisses resolves undefined, logs no error and saves nothing', async () => {
    const since = markLog(api);
    let settled = false;
    const pending = Promise.resolve(vscode.commands.executeCommand('stcrm.addProfile')).finally(() => (settled = true));
    // Close the quick input as Escape does; repeat until the command has seen it (no fixed sleep).
    await eventually(async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return settled;
    }, 'stcrm.addProfile to end after its quick input was closed');
    assert.equal(await pending, undefined);
    assert.equal(api.store.list().length, 0);
    const log = await logText(api, since);
    assert.doesNotMatch(log, /\[error\]/, 'a cancellation is not an error');
  });

  test('a failing command is logged redacted and rethrown to its caller', async () => {
    await vscode.commands.executeCommand('stcrm.addProfile', customProfile());
    const since = markLog(api);
    // A secret pasted where a profile name belongs: the error names the argument back.
    const error = await commandError('stcrm.selectProfile', { profile: SECRET });
    assert.match(error.message, /stcrm\.selectProfile: no profile matches/);
    const log = await logText(api, since);
    assert.match(log, /\[error\] stcrm\.selectProfile: Error: stcrm\.selectProfile: no profile matches \{"profile":"\[REDACTED\]"\}/);
    assert.ok(!log.includes(SECRET), 'the secret is not in the log');
  });

  test('the wrapper: results pass through, every kind of cancellation is silent, a failure is reported once and rethrown only when asked', async () => {
    const outcomes: (() => unknown)[] = [
      () => 'done',
      () => {
        throw new UserCancelled();
      },
      () => {
        throw new vscode.CancellationError();
      },
      () => {
        throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
      },
      () => {
        throw new Error(`boom with ${APP_KEY}`);
      },
    ];
    let next = 0;
    const received: unknown[] = [];
    const id = 'stcrm.test.wrapper';
    const outer = 'stcrm.test.outer';
    const registrations = [
      registerCrmCommand(api.log, id, (arg?: unknown) => {
        received.push(arg);
        return outcomes[next++]?.();
      }),
      // A command that runs another one and wants its error.
      registerCrmCommand(api.log, outer, () => vscode.commands.executeCommand(id, rethrowing())),
    ];
    try {
      api.log.addSecrets([APP_KEY]);
      const since = markLog(api);
      assert.equal(await vscode.commands.executeCommand(id, { value: 1, errorHandling: { rethrow: true } }), 'done');
      assert.deepEqual(received, [{ value: 1 }], 'the handler sees the argument object without errorHandling');
      for (let i = 0; i < 3; i++) assert.equal(await vscode.commands.executeCommand(id, rethrowing()), undefined, `cancellation ${i + 1} resolves undefined`);
      assert.deepEqual(received.slice(1), [undefined, undefined, undefined], 'an argument object left empty becomes undefined');
      next = outcomes.length - 1;
      assert.equal(await vscode.commands.executeCommand(id), undefined, 'without errorHandling (the workbench) a failure resolves undefined');
      next = outcomes.length - 1;
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(id, rethrowing())), new RegExp(`boom with ${APP_KEY}`));
      next = outcomes.length - 1;
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(outer, rethrowing())), new RegExp(`boom with ${APP_KEY}`));
      next = outcomes.length - 1;
      assert.equal(await vscode.commands.executeCommand(id, { errorHandling: { suppressDisplay: true } }), undefined);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand(id, { errorHandling: { rethrow: 'yes' } })),
        /errorHandling takes \{ rethrow\?: boolean, suppressDisplay\?: boolean \}/,
      );
      const log = await logText(api, since);
      const errors = log.split('\n').filter((line) => line.includes('[error]'));
      assert.equal(errors.length, 5, `one error line per failure, none from the outer command:\n${errors.join('\n')}`);
      for (const line of errors.slice(0, 4)) assert.match(line, /\[error\] stcrm\.test\.wrapper: Error: boom with \[REDACTED\]$/);
      assert.ok(!log.includes(APP_KEY));
    } finally {
      for (const registration of registrations) registration.dispose();
    }
  });
});

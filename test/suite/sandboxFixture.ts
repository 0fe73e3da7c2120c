/**
 * The one test sandbox fixture of the extension-host suites: a sandbox on loopback, a client of
 * the test's own to check what the extension did, and a fresh profile for it before each test
 * (a Custom URL profile; `profileOverrides` such as `{ production: true }` change it). Call it
 * at the top of a `suite`; it registers the hooks.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CrmClient, CrmTransport } from '../../src/api';
import type { StcrmApi } from '../../src/extension';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox';
import { activateExtension, removeAllProfiles } from './helpers';
import { directClient, profileFor } from './treeHelpers';

export interface SandboxFixture {
  api: StcrmApi;
  sandbox: RunningSandbox;
  client: CrmClient;
  /** The id of the profile made for the current test. */
  profileId: string;
}

export function sandboxProfileFixture(
  profileName: string,
  options: Omit<SandboxOptions, 'port'> = {},
  profileOverrides: Record<string, unknown> = {},
): SandboxFixture {
  const fixture = {} as SandboxFixture;
  let transport: CrmTransport | undefined;
  suiteSetup(async () => {
    fixture.api = await activateExtension();
    await removeAllProfiles(fixture.api);
    fixture.sandbox = await startSandbox({ port: 0, ...options });
    ({ client: fixture.client, transport } = directClient(fixture.sandbox));
  });
  suiteTeardown(async () => {
    await removeAllProfiles(fixture.api);
    await transport?.close();
    await fixture.sandbox.close();
  });
  setup(async () => {
    fixture.sandbox.faults.clear();
    await removeAllProfiles(fixture.api);
    await vscode.commands.executeCommand('stcrm.addProfile', {
      ...profileFor(fixture.sandbox, profileName, profileOverrides),
      errorHandling: { rethrow: true },
    });
    const profile = fixture.api.store.list().find((item) => item.name === profileName);
    assert.ok(profile, `the profile "${profileName}" was added`);
    fixture.profileId = profile.id;
  });
  return fixture;
}

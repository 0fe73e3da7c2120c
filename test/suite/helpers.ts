import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StcrmApi } from '../../src/extension';

export const EXTENSION_ID = 'stcrm-dev.servicetitan-crm';

export async function activateExtension(): Promise<StcrmApi> {
  const extension = vscode.extensions.getExtension<StcrmApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
  return extension.activate();
}

/** Removes every profile so each test starts from a fresh install's state. */
export async function removeAllProfiles(api: StcrmApi): Promise<void> {
  for (const profile of api.store.list()) await api.store.remove(profile.id);
  await api.store.setActive(undefined);
}

/** Rejects with the error a command threw, so tests can assert on its message. */
export async function commandError(command: string, arg: unknown): Promise<Error> {
  try {
    await vscode.commands.executeCommand(command, arg);
  } catch (error) {
    assert.ok(error instanceof Error, `${command} threw a non-Error: ${String(error)}`);
    return error;
  }
  assert.fail(`${command} was expected to fail but succeeded`);
}

/** Waits until `probe` returns a truthy value (no fixed sleeps in tests). */
export async function eventually<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`Timed out waiting for ${what} (last value: ${String(last)})`);
}

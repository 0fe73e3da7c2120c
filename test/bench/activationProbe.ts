/**
 * Runs inside the VS Code extension host as `extensionTestsPath` (the same `run()` contract as the
 * test suite) and times the activation of the ServiceTitan CRM extension: loading its bundle and
 * running `activate`. Prints one `stcrm-bench {json}` line for `npm run bench` to read.
 */
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('stcrm-dev.servicetitan-crm');
  if (!extension) throw new Error('The ServiceTitan CRM extension is not installed in this host.');
  if (extension.isActive) throw new Error('The extension was already active: nothing to time.');
  const started = performance.now();
  await extension.activate();
  const activationMs = performance.now() - started;
  console.log(`stcrm-bench ${JSON.stringify({ activationMs, extensionPath: extension.extensionPath })}`);
}

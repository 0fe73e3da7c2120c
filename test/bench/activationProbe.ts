/**
 * Runs inside the VS Code extension host as `extensionTestsPath` (the same `run()` contract as the
 * test suite) and times the activation of the ServiceTitan CRM extension: loading its bundle and
 * running `activate`. Then it records which files of the bundle (dist/) Node loaded: when
 * `activate` returned, and once the customers tree drew its first page from the sandbox named by
 * STCRM_BENCH_SANDBOX (a profile made through the extension's store, as a user's saved one).
 * Prints one `stcrm-bench {json}` line for `npm run bench` to read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** What the probe needs of the extension's API (older builds have it too: the bench measures them). */
interface ProbedApi {
  store: {
    save(profile: Record<string, unknown>, secrets: { clientId: string; clientSecret: string; appKey: string }): Promise<void>;
    setActive(id: string | undefined): Promise<void>;
  };
  tree: { getChildren(): Promise<unknown[]> };
}

export interface BenchSandbox {
  url: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
}

/** The files of `dist/` in Node's require cache, with their sizes in bytes. */
function loadedFiles(dist: string): Record<string, number> {
  const files = Object.keys(require.cache)
    .filter((file) => path.dirname(file) === dist)
    .sort();
  return Object.fromEntries(files.map((file) => [path.basename(file), fs.statSync(file).size]));
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<ProbedApi>('stcrm-dev.servicetitan-crm');
  if (!extension) throw new Error('The ServiceTitan CRM extension is not installed in this host.');
  if (extension.isActive) throw new Error('The extension was already active: nothing to time.');
  const dist = path.join(extension.extensionPath, 'dist');
  const started = performance.now();
  const api = await extension.activate();
  const activationMs = performance.now() - started;
  const onActivation = loadedFiles(dist);

  const sandbox = JSON.parse(process.env.STCRM_BENCH_SANDBOX ?? 'null') as BenchSandbox | null;
  if (!sandbox) throw new Error('STCRM_BENCH_SANDBOX names no sandbox for the first tree page.');
  const { clientId, clientSecret, appKey } = sandbox;
  await api.store.save(
    { id: 'bench', name: 'Bench sandbox', environment: 'custom', tenant: sandbox.tenant, apiBaseUrl: sandbox.url, tokenUrl: `${sandbox.url}/connect/token` },
    { clientId, clientSecret, appKey },
  );
  await api.store.setActive('bench');
  const firstPage = await api.tree.getChildren();
  if (firstPage.length < 2) throw new Error(`The tree's first page has ${firstPage.length} nodes: it did not load.`);
  const onFirstPage = loadedFiles(dist);
  console.log(`stcrm-bench ${JSON.stringify({ activationMs, extensionPath: extension.extensionPath, onActivation, onFirstPage })}`);
}

/**
 * Activation of the extension inside the real VS Code host (code-server 4.100.3, VS Code 1.100.3,
 * Node extension host): each run starts a fresh host, times `activate()` from
 * test/bench/activationProbe.ts and records which bundle files were loaded then and once the
 * tree drew its first page (from a sandbox child process), once for the installed VSIX and once
 * for the development build of the checkout measured (BENCH_ROOT).
 */
import * as path from 'node:path';
import * as util from 'node:util';
import { launchBrowser, makeRunDir, prepareWorkspace, removeRunDir, ROOT, startCodeServer } from '../host/codeServer';
import type { BenchSandbox } from './activationProbe';
import { BENCH_ROOT, vsixOf } from './benchRoot';
import { startSandboxProcess } from './sandboxProcess';

const PROBE = path.join(ROOT, 'out', 'test', 'bench', 'activationProbe.js');
const PROBE_EXTENSION = path.join(ROOT, 'test', 'bench', 'probe');

export interface ActivationRun {
  activationMs: number;
  /** Bundle files in Node's require cache when `activate` returned, with their bytes. */
  onActivation: Record<string, number>;
  /** The same once the customers tree drew its first page. */
  onFirstPage: Record<string, number>;
}

async function activateOnce(build: 'vsix' | 'development', sandbox: BenchSandbox): Promise<ActivationRun> {
  const runDir = makeRunDir('stcrm-bench-activation');
  const server = await startCodeServer({
    runDir,
    workspace: prepareWorkspace(runDir),
    install: build === 'vsix' ? [vsixOf(BENCH_ROOT)] : [],
    env: { STCRM_BENCH_SANDBOX: JSON.stringify(sandbox) },
  });
  const browser = await launchBrowser(runDir);
  try {
    let done: (value: ActivationRun | Error) => void = () => undefined;
    const result = new Promise<ActivationRun | Error>((resolve) => (done = resolve));
    await browser.page.exposeFunction('codeAutomationLog', (_type: unknown, args: unknown) => {
      const text = util.format(...(Array.isArray(args) ? (args as unknown[]) : [args]));
      const line = /stcrm-bench (\{.*\})/.exec(text)?.[1];
      if (line) done(JSON.parse(line) as ActivationRun);
    });
    await browser.page.exposeFunction('codeAutomationExit', (code: unknown) => {
      if (code !== 0) done(new Error(`the activation probe failed (exit code ${String(code)})`));
    });
    const developmentPath = build === 'vsix' ? PROBE_EXTENSION : BENCH_ROOT;
    await browser.page.goto(server.url({ extensionDevelopmentPath: developmentPath, extensionTestsPath: PROBE }), { waitUntil: 'domcontentloaded' });
    const timeout = new Promise<Error>((resolve) => setTimeout(() => resolve(new Error('no activation time within 120 s')), 120_000).unref());
    const outcome = await Promise.race([result, timeout]);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  } finally {
    await browser.close();
    await server.stop();
    removeRunDir(runDir);
  }
}

export interface ActivationTimes {
  vsix: ActivationRun[];
  development: ActivationRun[];
}

export async function measureActivation(runs: number): Promise<ActivationTimes> {
  const sandbox = await startSandboxProcess(['--customers', '200']);
  try {
    const benchSandbox: BenchSandbox = { url: sandbox.url, tenant: sandbox.tenant, ...sandbox.credentials };
    const times: ActivationTimes = { vsix: [], development: [] };
    for (let i = 0; i < runs; i++) {
      times.vsix.push(await activateOnce('vsix', benchSandbox));
      times.development.push(await activateOnce('development', benchSandbox));
    }
    return times;
  } finally {
    await sandbox.close();
  }
}

/**
 * Activation time of the extension inside the real VS Code host (code-server 4.100.3, VS Code
 * 1.100.3, Node extension host): each run starts a fresh host and times `activate()` from
 * test/bench/activationProbe.ts, once for the installed VSIX and once for the development build.
 */
import * as path from 'node:path';
import * as util from 'node:util';
import { launchBrowser, makeRunDir, prepareWorkspace, removeRunDir, ROOT, startCodeServer } from '../host/codeServer';
import { VSIX } from '../package/vsix';

const PROBE = path.join(ROOT, 'out', 'test', 'bench', 'activationProbe.js');
const PROBE_EXTENSION = path.join(ROOT, 'test', 'bench', 'probe');

async function activateOnce(build: 'vsix' | 'development'): Promise<number> {
  const runDir = makeRunDir('stcrm-bench-activation');
  const server = await startCodeServer({ runDir, workspace: prepareWorkspace(runDir), install: build === 'vsix' ? [VSIX] : [] });
  const browser = await launchBrowser(runDir);
  try {
    let done: (value: number | Error) => void = () => undefined;
    const result = new Promise<number | Error>((resolve) => (done = resolve));
    await browser.page.exposeFunction('codeAutomationLog', (_type: unknown, args: unknown) => {
      const text = util.format(...(Array.isArray(args) ? (args as unknown[]) : [args]));
      const line = /stcrm-bench (\{.*\})/.exec(text)?.[1];
      if (line) done((JSON.parse(line) as { activationMs: number }).activationMs);
    });
    await browser.page.exposeFunction('codeAutomationExit', (code: unknown) => {
      if (code !== 0) done(new Error(`the activation probe failed (exit code ${String(code)})`));
    });
    const developmentPath = build === 'vsix' ? PROBE_EXTENSION : ROOT;
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
  vsix: number[];
  development: number[];
}

export async function measureActivation(runs: number): Promise<ActivationTimes> {
  const times: ActivationTimes = { vsix: [], development: [] };
  for (let i = 0; i < runs; i++) {
    times.vsix.push(await activateOnce('vsix'));
    times.development.push(await activateOnce('development'));
  }
  return times;
}

/**
 * Runs the extension-host test suite (out/test/suite/index.js, the same `run()` that
 * @vscode/test-electron uses) inside code-server's Node extension host, with the workbench
 * opened in headless Debian Chromium. `npm run test:host`; build first (`npm run compile && npm run build`).
 *
 * Environment:
 *   STCRM_TEST_GREP        only run tests whose full title matches (Mocha --grep)
 *   STCRM_TEST_TIMEOUT_MS  overall time limit (default 600000 = 10 min)
 *   STCRM_TEST_WORKSPACE   folder copied into the temp dir and opened (default test/fixtures/workspace, else empty)
 *   STCRM_TEST_VERBOSE=1   also print code-server's own output and the workbench's console
 *   STCRM_KEEP_TMP=1       keep the temp dir (user data, logs) after the run
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import {
  HostSetupError,
  RESULTS_DIR,
  ROOT,
  checkPrerequisites,
  collectLogs,
  launchBrowser,
  makeRunDir,
  prepareWorkspace,
  removeRunDir,
  startCodeServer,
  type BrowserSession,
  type CodeServer,
} from './codeServer';

const TESTS_PATH = path.join(ROOT, 'out', 'test', 'suite', 'index.js');
const TIMEOUT_MS = Number(process.env.STCRM_TEST_TIMEOUT_MS ?? 600_000);
const VERBOSE = process.env.STCRM_TEST_VERBOSE === '1';

/** Workbench log lines that are not the tests' own output: only shown with STCRM_TEST_VERBOSE=1. */
const NOISE = [/open-vsx\.org/, /Failed to load resource/, /service worker/i, /\[lifecycle\]/];
const SUMMARY = /^host: \d+ passed, \d+ failed/;

async function main(): Promise<number> {
  const started = Date.now();
  checkPrerequisites([
    { path: TESTS_PATH, fix: 'run `npm run compile` first' },
    { path: path.join(ROOT, 'dist', 'extension.js'), fix: 'run `npm run build` first' },
  ]);

  const runDir = makeRunDir('stcrm-host');
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  const errors: string[] = [];
  let sawSummary = false;
  try {
    const workspace = prepareWorkspace(runDir, process.env.STCRM_TEST_WORKSPACE ?? path.join(ROOT, 'test', 'fixtures', 'workspace'));
    const env: NodeJS.ProcessEnv = { STCRM_TEST_HOST: 'code-server' };
    if (process.env.STCRM_TEST_GREP) env.STCRM_TEST_GREP = process.env.STCRM_TEST_GREP;
    server = await startCodeServer({
      runDir,
      workspace,
      env,
      onOutput: (line) => {
        if (VERBOSE) console.log(`[code-server] ${line}`);
        if (/\berror\b/i.test(line) && !NOISE.some((pattern) => pattern.test(line))) errors.push(line);
      },
    });
    console.log(`code-server ${server.origin} started in ${((Date.now() - started) / 1000).toFixed(1)} s; temp dir ${runDir}`);

    browser = await launchBrowser(runDir);
    const { page } = browser;

    let resolveExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
      const parts = Array.isArray(args) ? (args as unknown[]) : [args];
      const text = util.format(...parts);
      if (!VERBOSE && NOISE.some((pattern) => pattern.test(text))) return;
      if (type === 'error') errors.push(text);
      if (SUMMARY.test(text)) sawSummary = true;
      console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
      if (code !== 0) saveWorkbenchLogs(logs);
      resolveExit(typeof code === 'number' ? code : 1);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    if (VERBOSE) page.on('console', (message) => console.log(`[browser ${message.type()}] ${message.text()}`));

    const url = server.url({ extensionDevelopmentPath: ROOT, extensionTestsPath: TESTS_PATH });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
    const serverGone = server.exited.then((code) => `server-exit:${String(code)}` as const);
    const outcome = await Promise.race([exitCode, timedOut, serverGone]);
    clearTimeout(timer);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (outcome === 0 && sawSummary) {
      console.log(`Extension-host tests passed in code-server (${seconds} s).`);
      return 0;
    }
    if (outcome === 0) {
      // Seen here: an extension host that dies mid-run (process.exit in the extension) still
      // ends the run with code 0. Only the suite's own closing line counts as a pass.
      console.error(
        `\nExtension-host tests FAILED in code-server: the run ended (code 0) without the suite's "host: N passed, N failed" line, so the extension host died or was cut off mid-run (${seconds} s).`,
      );
      reportHostErrors(server, errors);
      return 1;
    }
    if (typeof outcome === 'number') {
      console.error(`\nExtension-host tests FAILED in code-server: exit code ${outcome} (${seconds} s).`);
      // Failed assertions speak for themselves; a suite that never ran needs the host's side.
      if (!sawSummary) {
        console.error('The suite did not run to its end: the extension host could not load or run out/test/suite/index.js.');
        reportHostErrors(server, errors);
      }
      return outcome;
    }
    console.error(
      outcome === 'timeout'
        ? `\nExtension-host tests TIMED OUT after ${TIMEOUT_MS / 1000} s: the suite never reported its end (activation hang, a test waiting forever, or the workbench never loaded).`
        : `\ncode-server stopped unexpectedly (${outcome}) before the tests ended.`,
    );
    await screenshot(browser, 'host-timeout');
    reportHostErrors(server, errors);
    return 1;
  } finally {
    await browser?.close();
    await server?.stop();
    removeRunDir(runDir);
  }
}

function reportHostErrors(server: CodeServer, errors: string[]): void {
  if (errors.length > 0) {
    console.error('--- errors reported by the workbench / extension host ---');
    console.error(errors.slice(-40).join('\n'));
  }
  const hostLogs = collectLogs(server.userDataDir, /(exthost|remoteexthost|remoteagent)\d*\.log$/);
  if (hostLogs) {
    console.error('--- extension host logs ---');
    console.error(hostLogs);
  }
  console.error('--- code-server output (last lines) ---');
  console.error(server.tail(40));
}

/** codeAutomationExit's second argument: the workbench's own log files on a failed run. */
function saveWorkbenchLogs(logs: unknown): void {
  if (!Array.isArray(logs)) return;
  const dir = path.join(RESULTS_DIR, 'host-logs');
  for (const entry of logs as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { relativePath, contents } = entry as { relativePath?: unknown; contents?: unknown };
    if (typeof relativePath !== 'string' || typeof contents !== 'string') continue;
    const file = path.join(dir, path.normalize(relativePath).replace(/^(\.\.[/\\])+/, ''));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
  console.error(`Workbench logs saved to ${path.relative(ROOT, dir)}/`);
}

async function screenshot(browser: BrowserSession, name: string): Promise<void> {
  try {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await browser.page.screenshot({ path: file, timeout: 10_000 });
    console.error(`Screenshot: ${path.relative(ROOT, file)}`);
  } catch {
    // the page may be gone
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof HostSetupError) console.error(`Cannot run the extension-host tests:\n${error.message}`);
    else console.error('The code-server test runner failed:', error);
    process.exit(1);
  },
);

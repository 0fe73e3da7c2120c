/**
 * Starts code-server (VS Code 1.100.3's server and web workbench, installed by
 * `scripts/setup.mjs` into .test-host/code-server) and headless Debian Chromium driven by
 * playwright-core. Shared by the extension-host test runner (runInCodeServer.ts) and the
 * end-to-end driver (test/e2e/driver.ts).
 *
 * Everything the host writes stays in one temp dir: code-server's user data, extensions dir and
 * --config, Chromium's profile, and HOME/XDG dirs for both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Repository root (this file runs as out/test/host/codeServer.js). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_ENTRY = path.join(ROOT, '.test-host', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.STCRM_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.join(ROOT, 'test-results');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export class HostSetupError extends Error {}

/** What the process 'exit' handler below still has to clean up. */
const livePgids = new Set<number>();
const liveMarkers = new Set<string>();
const liveRunDirs = new Set<string>();

/** Fails early, with the command that fixes it, when the host or the build is missing. */
export function checkPrerequisites(files: { path: string; fix: string }[] = [], { browser = true } = {}): void {
  const problems: string[] = [];
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    problems.push(
      `code-server ${CODE_SERVER_VERSION} is not installed in .test-host/code-server: run \`npm run setup\` (or any of \`npm start\` / \`npm test\`, which install it).`,
    );
  }
  if (browser && !fs.existsSync(CHROMIUM)) {
    problems.push(`Chromium is missing at ${CHROMIUM}: run \`npm run setup\` (it installs the Debian package chromium, or says how).`);
  }
  for (const file of files) {
    if (!fs.existsSync(file.path)) problems.push(`${path.relative(ROOT, file.path)} is missing: ${file.fix}`);
  }
  if (problems.length > 0) throw new HostSetupError(problems.join('\n'));
}

/** A fresh temp dir for one run; `STCRM_KEEP_TMP=1` keeps it for inspection. */
export function makeRunDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  liveRunDirs.add(dir);
  return dir;
}

export function removeRunDir(dir: string): void {
  liveRunDirs.delete(dir);
  if (process.env.STCRM_KEEP_TMP === '1') {
    console.log(`Kept the run's temp dir: ${dir}`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Copies `source` (for example test/fixtures/workspace) into the run dir, or makes an empty workspace. */
export function prepareWorkspace(runDir: string, source?: string): string {
  const workspace = path.join(runDir, 'workspace');
  if (source && fs.existsSync(source)) {
    fs.cpSync(source, workspace, { recursive: true });
  } else {
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'README.md'), '# ServiceTitan CRM test workspace\n');
  }
  return workspace;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function isolatedEnv(runDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = path.join(runDir, 'home');
  const dirs = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: path.join(runDir, 'runtime'),
    TMPDIR: path.join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, ...dirs, ...extra };
  // Never inherit a VS Code / Electron session of the developer's (F5 in a terminal of VS Code).
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  }
  return env;
}

export interface CodeServerOptions {
  runDir: string;
  workspace: string;
  /** Extra environment for the server and so for the extension host (e.g. STCRM_TEST_GREP). */
  env?: NodeJS.ProcessEnv;
  /** Called with every line code-server prints (it is also kept in `logFile`). */
  onOutput?: (line: string) => void;
  /** VSIX files installed into the run's extensions dir (`code-server --install-extension`) before it starts. */
  install?: string[];
}

export interface CodeServer {
  port: number;
  origin: string;
  pid: number;
  /** code-server's own stdout/stderr. */
  logFile: string;
  /** Its --user-data-dir: logs/<date>/exthost*, remoteexthost.log and friends are in there. */
  userDataDir: string;
  extensionsDir: string;
  /** The workbench URL for `folder`, with `extensionDevelopmentPath` and `extensionTestsPath` when given. */
  url(payload?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  /** Resolves with the exit code when code-server's own process ends. */
  exited: Promise<number | null>;
  /** The last `lines` lines code-server printed. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { runDir, workspace } = options;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const configFile = path.join(runDir, 'code-server.yaml');
  const logFile = path.join(runDir, 'code-server.log');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(configFile, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  // No welcome page, no release notes, no extension recommendations, no telemetry pop-ups.
  const settingsDir = path.join(userDataDir, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.writeFileSync(
    path.join(settingsDir, 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'update.showReleaseNotes': false,
        'extensions.ignoreRecommendations': true,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'git.enabled': false,
      },
      null,
      2,
    ),
  );

  const env = isolatedEnv(runDir, options.env);
  for (const vsix of options.install ?? []) {
    const installed = spawnSync(
      process.execPath,
      [CODE_SERVER_ENTRY, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { env, encoding: 'utf8' },
    );
    if (installed.status !== 0)
      throw new Error(`code-server --install-extension ${vsix} failed (exit code ${String(installed.status)}):\n${installed.stdout}${installed.stderr}`);
  }

  const args = [
    CODE_SERVER_ENTRY,
    '--config',
    configFile,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--log',
    'info',
    workspace,
  ];
  const log = fs.createWriteStream(logFile);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: workspace,
    // Own process group: stop() kills the whole group, extension hosts included.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  livePgids.add(pid);

  const recent: string[] = [];
  const onChunk = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 400) recent.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const server: CodeServer = {
    port,
    origin,
    pid,
    logFile,
    userDataDir,
    extensionsDir,
    url(payload = {}) {
      const entries: [string, string][] = [];
      if (payload.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remoteUri(port, payload.extensionDevelopmentPath)]);
      if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remoteUri(port, payload.extensionTestsPath)]);
      const folder = `${origin}/?folder=${encodeURIComponent(workspace)}`;
      return entries.length > 0 ? `${folder}&payload=${encodeURIComponent(JSON.stringify(entries))}` : folder;
    },
    exited,
    tail: (lines = 60) => recent.slice(-lines).join('\n'),
    async stop() {
      await killProcessGroup(pid);
      livePgids.delete(pid);
      killByCommandLine(runDir);
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };

  try {
    await waitForHealth(origin, exited, 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n--- code-server output ---\n${server.tail()}`);
  }
  return server;
}

function remoteUri(port: number, absolutePath: string): string {
  return `vscode-remote://127.0.0.1:${port}${absolutePath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

async function waitForHealth(origin: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`code-server exited with code ${String(exitCode)} before it answered`);
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get(`${origin}/healthz`, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('error', () => resolve(false));
      request.setTimeout(2_000, () => request.destroy());
    });
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs / 1000} s`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM the group, then SIGKILL it until it is empty: an extension host that starts while the
 * page is still connecting can appear after the first signal and would wait for hours.
 */
export async function killProcessGroup(pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(100);
  for (let i = 0; i < 100 && groupAlive(pgid); i++) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      break;
    }
    await sleep(100);
  }
  if (groupAlive(pgid)) console.error(`warning: process group ${pgid} is still alive after SIGKILL`);
}

/** SIGKILLs every process of ours whose command line names `marker` (the run's temp dir). */
export function killByCommandLine(marker: string): number {
  let killed = 0;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) {
        process.kill(pid, 'SIGKILL');
        killed++;
      }
    } catch {
      // gone already, or not ours
    }
  }
  return killed;
}

// Last-resort cleanup when the runner itself exits early (uncaught error, signal).
process.on('exit', () => {
  for (const pgid of livePgids) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const marker of liveMarkers) killByCommandLine(marker);
  for (const dir of liveRunDirs) {
    if (process.env.STCRM_KEEP_TMP === '1') continue;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\nReceived ${signal}: stopping code-server and Chromium.`);
    process.exit(130);
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with its profile in the run dir (Playwright never downloads a
 * browser here: playwright-core has none, and executablePath points at /usr/bin/chromium).
 */
export async function launchBrowser(runDir: string, options: { permissions?: string[] } = {}): Promise<BrowserSession> {
  const profileDir = path.join(runDir, 'chromium-profile');
  liveMarkers.add(profileDir);
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: isolatedEnv(runDir),
    viewport: { width: 1440, height: 900 },
    permissions: options.permissions ?? [],
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      // context.close() can hang for a minute once the workbench is gone: give it 3 s.
      await Promise.race([context.close().catch(() => undefined), sleep(3_000)]);
      killByCommandLine(profileDir);
      liveMarkers.delete(profileDir);
    },
  };
}

/** Tail of every log file under `dir` whose name matches `pattern` (exthost logs after a failure). */
export function collectLogs(dir: string, pattern: RegExp, maxChars = 6_000): string {
  const out: string[] = [];
  const walk = (current: string) => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (pattern.test(full)) {
        const text = fs.readFileSync(full, 'utf8').trim();
        if (text) out.push(`--- ${path.relative(dir, full)} ---\n${text.length > maxChars ? `…${text.slice(-maxChars)}` : text}`);
      }
    }
  };
  walk(dir);
  return out.join('\n');
}

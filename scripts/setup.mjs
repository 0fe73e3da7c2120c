// Installs what `npm start` or `npm test` needs, and nothing when it is already there. Plain Node
// with no dependencies, because it runs before any npm package is installed:
//   node scripts/setup.mjs start   npm packages, the local VS Code (code-server) for `npm start`
//   node scripts/setup.mjs test    the same, plus Chromium and curl for the tests
//
// 1. Debian packages, only those missing: installed with apt-get when running as root; otherwise
//    the exact `sudo apt-get install` line is printed and setup stops.
// 2. npm packages: `npm ci` when node_modules is missing or older than package-lock.json.
// 3. code-server 4.100.3 (VS Code 1.100.3) in the git-ignored .test-host/, when it is missing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER_VERSION = '4.100.3';
const HOST_DIR = path.join(ROOT, '.test-host', 'code-server');
const HOST_SOURCE = path.join(ROOT, 'test', 'host', 'code-server');
const CODE_SERVER = path.join(HOST_DIR, 'node_modules', 'code-server');
const HOST_MARKER = path.join(HOST_DIR, `.installed-${CODE_SERVER_VERSION}`);
const RIPGREP_IN_HOST = path.join(CODE_SERVER, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');

/** What code-server's native modules build with (node-gyp, g++) and the rg it ships instead of downloading one. */
const HOST_BUILD_PACKAGES = ['g++', 'make', 'python3', 'pkg-config', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'ripgrep'];
/** The tests drive the workbench in Debian's Chromium and run copied cURL commands. */
const TEST_PACKAGES = ['chromium', 'curl'];

class SetupError extends Error {}

const say = (text) => console.log(`setup: ${text}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new SetupError(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`\`${[command, ...args].join(' ')}\` failed with exit code ${result.status}`);
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) throw new SetupError(`Node ${process.versions.node} is too old: this project needs Node 20.19 or newer.`);
}

function hostInstalled() {
  return fs.existsSync(HOST_MARKER) && fs.existsSync(path.join(CODE_SERVER, 'out', 'node', 'entry.js')) && fs.existsSync(RIPGREP_IN_HOST);
}

/** Debian packages among `wanted` that are not installed; undefined where there is no dpkg to ask. */
function missingDebianPackages(wanted) {
  const probe = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...wanted], { encoding: 'utf8' });
  if (probe.error) return undefined;
  const installed = new Set(
    probe.stdout
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0]),
  );
  return wanted.filter((name) => !installed.has(name));
}

function ensureDebianPackages(wanted) {
  if (wanted.length === 0) return;
  const missing = missingDebianPackages(wanted);
  if (missing === undefined) {
    say(`no dpkg here: make sure these (Debian names) are installed: ${wanted.join(' ')}`);
    return;
  }
  if (missing.length === 0) return;
  const line = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new SetupError(`missing Debian packages: ${missing.join(' ')}\nInstall them, then run the command again:\n  sudo apt-get update && sudo ${line}`);
  }
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

function ensureNpmPackages() {
  const installed = mtime(path.join(ROOT, 'node_modules', '.package-lock.json'));
  const lock = mtime(path.join(ROOT, 'package-lock.json'));
  if (installed !== undefined && lock !== undefined && installed >= lock) return;
  say(installed === undefined ? 'installing npm packages (npm ci)' : 'package-lock.json changed: reinstalling npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT });
}

/**
 * code-server from test/host/code-server/package-lock.json. Its install needs, on a root machine
 * with only the npm registry: unsafe-perm (its postinstall refuses root otherwise), yes=true (a
 * postinstall runs `npx node-gyp`), and Debian's rg packed where @vscode/ripgrep looks for a
 * cached download before it tries GitHub.
 */
function ensureTestHost() {
  if (hostInstalled()) return;
  const started = Date.now();
  say(`installing code-server ${CODE_SERVER_VERSION} into .test-host/code-server (about 1-2 minutes, once)`);
  fs.rmSync(HOST_DIR, { recursive: true, force: true });
  fs.mkdirSync(HOST_DIR, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(HOST_SOURCE, file), path.join(HOST_DIR, file));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-host-install-'));
  try {
    const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
    if (!rg) throw new SetupError('ripgrep (rg) is not on PATH: install the Debian package ripgrep.');
    const cache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
    const stage = path.join(tmp, 'rg-stage');
    fs.mkdirSync(cache, { recursive: true });
    fs.mkdirSync(stage, { recursive: true });
    fs.copyFileSync(rg, path.join(stage, 'rg'));
    fs.chmodSync(path.join(stage, 'rg'), 0o755);
    for (const triple of ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-gnu', 'aarch64-unknown-linux-musl']) {
      run('tar', ['-czf', path.join(cache, `ripgrep-v13.0.0-10-${triple}.tar.gz`), '-C', stage, 'rg']);
    }
    const env = {
      ...process.env,
      TMPDIR: tmp,
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: HOST_DIR, env });
    if (!fs.existsSync(RIPGREP_IN_HOST)) throw new SetupError('code-server installed, but its ripgrep binary is missing.');
    // Proves it starts; --config keeps it from writing a config with a password under $HOME.
    run(process.execPath, [path.join(CODE_SERVER, 'out', 'node', 'entry.js'), '--version', '--config', path.join(tmp, 'config.yaml')], {
      env: { ...env, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    fs.writeFileSync(HOST_MARKER, `${new Date().toISOString()}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  say(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

function main() {
  const purpose = process.argv[2];
  if (purpose !== 'start' && purpose !== 'test') {
    console.error('usage: node scripts/setup.mjs start|test');
    process.exit(2);
  }
  checkNode();
  const debian = [...(hostInstalled() ? [] : HOST_BUILD_PACKAGES), ...(purpose === 'test' ? TEST_PACKAGES : [])];
  ensureDebianPackages(debian);
  ensureNpmPackages();
  ensureTestHost();
}

try {
  main();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`setup: ${error.message}`);
  process.exit(1);
}

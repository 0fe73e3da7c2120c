/**
 * Runs the extension-host test suite (out/test/suite/index.js) in desktop VS Code downloaded by
 * @vscode/test-electron: `npm run test:electron`, after `npm run compile && npm run build`.
 * Needs internet access to Microsoft's update service (not available on the project's CI
 * machines, which use test/host/runInCodeServer.ts with the same suite).
 *
 * Environment: STCRM_VSCODE_VERSION (default 1.100.3, the oldest version engines.vscode allows;
 * 'stable' or 'insiders' work too), STCRM_TEST_GREP (passed to the suite).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const extensionTestsPath = path.join(ROOT, 'out', 'test', 'suite', 'index.js');
  for (const [file, fix] of [
    [extensionTestsPath, 'npm run compile'],
    [path.join(ROOT, 'dist', 'extension.js'), 'npm run build'],
  ] as const) {
    if (!fs.existsSync(file)) {
      console.error(`${path.relative(ROOT, file)} is missing: run \`${fix}\` first.`);
      return 1;
    }
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-electron-'));
  const workspace = path.join(runDir, 'workspace');
  const fixture = path.join(ROOT, 'test', 'fixtures', 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, workspace, { recursive: true });
  else fs.mkdirSync(workspace, { recursive: true });

  const extensionTestsEnv: Record<string, string | undefined> = { STCRM_TEST_HOST: 'electron' };
  if (process.env.STCRM_TEST_GREP) extensionTestsEnv.STCRM_TEST_GREP = process.env.STCRM_TEST_GREP;
  try {
    return await runTests({
      version: process.env.STCRM_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath,
      extensionTestsEnv,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
        `--extensions-dir=${path.join(runDir, 'extensions')}`,
      ],
    });
  } catch (error) {
    console.error('Extension-host tests failed in VS Code (Electron):', error instanceof Error ? error.message : error);
    return 1;
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

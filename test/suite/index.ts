/**
 * Entry point of the extension-host test suite: the `run()` contract that both hosts call,
 * code-server (test/host/runInCodeServer.ts) and @vscode/test-electron (test/host/runInElectron.ts).
 * Loads every out/test/suite/**\/*.test.js into Mocha (TDD ui: suite/test/setup/suiteSetup).
 *
 * STCRM_TEST_GREP (in the host's environment) runs only the tests whose full title matches.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    // Tests talk to the sandbox over real HTTP and drive the UI: be generous.
    timeout: 60_000,
    slow: 5_000,
    color: process.env.STCRM_TEST_COLOR === '1',
    reporter: 'spec',
  });
  const grep = process.env.STCRM_TEST_GREP;
  if (grep) mocha.grep(grep);

  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`No *.test.js files under ${__dirname}: run \`npm run compile\` first.`);
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  await mocha.loadFilesAsync();
  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  // One plain closing line that CI logs can read.
  console.log(`host: ${stats.passes} passed, ${stats.failures} failed${stats.pending ? `, ${stats.pending} skipped` : ''}`);
  if (stats.failures > 0) throw new Error(`${stats.failures} extension-host test(s) failed.`);
  if (stats.passes === 0) throw new Error(grep ? `No extension-host test matches STCRM_TEST_GREP=${grep}.` : 'No extension-host test ran.');
}

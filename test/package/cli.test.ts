/**
 * `stcrm` as a CI user gets it from the VSIX (docs/test-suites.md, "The command line"): only the
 * VSIX's `extension/dist/` files, unpacked into an empty folder, run the example suites against
 * fresh sandboxes with plain Node, no node_modules and no VS Code.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../host/codeServer';
import { readVsix } from './vsix';

void describe('stcrm from the VSIX', () => {
  let dir = '';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-vsix-cli-'));
    for (const [name, content] of await readVsix()) {
      if (!name.startsWith('extension/dist/')) continue;
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    fs.cpSync(path.join(ROOT, 'examples'), path.join(dir, 'suites'), { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('runs the example suites with `node extension/dist/cli.js test --sandbox suites/`', async () => {
    const child = spawn(process.execPath, ['extension/dist/cli.js', 'test', '--sandbox', 'suites/'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout.trimEnd().split('\n').pop() ?? '', /^[1-9]\d* passed, 0 failed, 0 skipped$/);
  });
});

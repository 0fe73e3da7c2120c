// sandbox/README.md against the code, so that the reference cannot rot: its cURL walkthrough runs
// against a real sandbox, its --help block is what the CLI prints, and it names exactly the flags
// of the CLI's option table.
import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CLI_OPTIONS, HELP } from '../../../sandbox/cliOptions';
import { startSandbox } from '../../../sandbox/index';
import { CLI_ARGS, REPO_ROOT } from './helpers';

const README = fs.readFileSync(path.join(REPO_ROOT, 'sandbox', 'README.md'), 'utf8');
/** The URL the walkthrough tells the reader to replace with the one their sandbox printed. */
const README_BASE = 'http://127.0.0.1:8080';

interface FencedBlock {
  /** The info string after the opening fence (`sh`, `text`, …). */
  info: string;
  body: string;
}

function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  for (const match of markdown.matchAll(/^```([^\n`]*)\n([\s\S]*?)^```$/gm)) {
    blocks.push({ info: (match[1] ?? '').trim(), body: match[2] ?? '' });
  }
  return blocks;
}

/** Runs a shell script; resolves with its stdout, rejects with its stderr. Async: the sandbox answers in this process. */
function runShell(script: string): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-readme-')), 'walkthrough.sh');
  fs.writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    execFile('sh', ['-e', file], { timeout: 60_000 }, (error, stdout, stderr) => {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      if (error) reject(new Error(`the walkthrough failed (${error.message}):\n${stderr}\nstdout:\n${stdout}`));
      else resolve(stdout);
    });
  });
}

void describe('sandbox/README.md', () => {
  void test('the cURL walkthrough (its sh blocks, in order) runs against a sandbox with the default flags', async () => {
    const script = fencedBlocks(README)
      .filter((block) => block.info === 'sh')
      .map((block) => block.body)
      .join('\n');
    assert.ok(script.includes(`BASE=${README_BASE}\n`), `the walkthrough sets BASE=${README_BASE}, which the reader (and this test) replaces`);
    const sandbox = await startSandbox();
    try {
      const stdout = await runShell(script.replace(`BASE=${README_BASE}\n`, `BASE=${sandbox.url}\n`));
      const tokenLength = Number(/^token: (\d+) characters$/m.exec(stdout)?.[1] ?? 0);
      assert.ok(tokenLength > 100, `a token was read from the token endpoint's answer:\n${stdout}`);
      assert.match(stdout, /^\{"page":1,"pageSize":2,"hasMore":true,"totalCount":\d+,"data":\[\{"id":10000000,/m);
      // With the live API's nulls (the default), the referenceId left out comes as null.
      assert.match(stdout, /^\{"id":"[0-9a-f-]{36}","referenceId":null,"name":"Ada Lovelace","title":"Owner","isArchived":false,/m);
      assert.match(stdout, /^revoke-tokens: 200$/m);
      assert.match(stdout, /^the revoked token: 401$/m);
      assert.deepEqual(sandbox.stats(), { tokenRequests: 1, apiRequests: 3 });
      assert.ok(sandbox.snapshot().includes('"name":"Ada Lovelace"'), 'the contact was created');
    } finally {
      await sandbox.close();
    }
  });

  void test('its --help block is what `npm run sandbox -- --help` prints', async () => {
    const block = fencedBlocks(README).find((candidate) => candidate.body.startsWith('Usage: npm run sandbox'));
    assert.ok(block, 'the README shows the --help output');
    assert.equal(block.body, HELP);
    const help = spawn(process.execPath, [...CLI_ARGS, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    help.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => help.once('exit', resolve));
    assert.equal(code, 0);
    assert.equal(printed, HELP);
  });

  void test('it names every flag of the CLI, and no flag the CLI does not have', () => {
    // The sh blocks are cURL's, not the sandbox's.
    const prose = fencedBlocks(README)
      .filter((block) => block.info === 'sh')
      .reduce((text, block) => text.replace(block.body, ''), README);
    const named = new Set(prose.match(/(?<![\w-])--[a-z0-9][a-z0-9-]*/g) ?? []);
    const table = new Set(CLI_OPTIONS.map((option) => option.flag));
    assert.deepEqual([...named].filter((flag) => !table.has(flag)).sort(), [], 'flags the README names that the CLI does not have');
    assert.deepEqual([...table].filter((flag) => !named.has(flag)).sort(), [], 'flags of the CLI the README does not name');
  });
});

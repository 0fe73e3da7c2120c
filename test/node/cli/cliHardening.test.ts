// `stcrm test` with hostile or mistaken input, spawned as a child process against fresh sandboxes,
// a sandbox of its own or a loopback server: a JUnit path that cannot be written (refused before
// anything is sent, never a hang), a report that fails after the run (the run's exit code stands),
// broken suite files among good ones (run the good ones, report the broken in the XML), globs that
// take suite files only, ST_API_BASE_URL set to a tenant root, --timeout and its message, the
// teardown stopped by a second Ctrl-C, and control characters from a file or a server escaped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { fakeApi } from '../api/transportHarness';
import { lastLine, runCli } from './runCli';
import { childrenNamed, parseXml } from './xml';

void describe('stcrm test, hardened', () => {
  let dir: string;
  const write = (name: string, doc: unknown): string => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof doc === 'string' ? doc : `${JSON.stringify(doc, null, 2)}\n`);
    return name;
  };
  const oneStep = (name: string): unknown => ({ name, sandbox: { customers: 1 }, steps: [{ name: 'list', operation: 'Customers_GetList' }] });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-cli-hard-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void describe('with a sandbox of its own', () => {
    let sb: RunningSandbox;
    const env = (more: Record<string, string> = {}): Record<string, string> => ({
      ST_CLIENT_ID: 'hard-client',
      ST_CLIENT_SECRET: 'hard-secret-5150',
      ST_APP_KEY: 'hard-app-key-5150',
      ST_TENANT: sb.tenant,
      ST_API_BASE_URL: sb.url,
      ST_TOKEN_URL: `${sb.url}/connect/token`,
      ST_ENVIRONMENT: 'integration',
      ...more,
    });
    before(async () => {
      sb = await startSandbox({ port: 0, customers: 2, clientId: 'hard-client', clientSecret: 'hard-secret-5150', appKey: 'hard-app-key-5150' });
    });
    after(async () => {
      await sb.close();
    });

    void it('refuses a --junit path it cannot write before anything is sent (exit 2), and never hangs', async () => {
      const file = write('junit-path/ok.stcrm-suite.json', oneStep('Ok'));
      write('junit-path/taken/keep.txt', 'a folder');
      const places = [path.join(dir, 'junit-path/taken'), path.join(dir, 'junit-path/taken/keep.txt/x.xml')];
      if (process.platform === 'linux') places.unshift('/proc/nope/x.xml');
      for (const place of places) {
        sb.resetStats();
        const run = await runCli(['test', file, '--junit', place], { cwd: dir, env: env() });
        assert.equal(run.code, 2, `${place}: ${run.stdout}${run.stderr}`);
        assert.match(
          run.stderr,
          new RegExp(`^--junit ${place.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .+\\. Name a file in a folder you can write to\\.\\n$`),
        );
        assert.equal(run.stdout, '');
        assert.deepEqual(sb.stats(), { tokenRequests: 0, apiRequests: 0 }, place);
      }
    });

    void it('refuses ST_API_BASE_URL set to a tenant root (exit 2), naming the root to set', async () => {
      const file = write('base/ok.stcrm-suite.json', oneStep('Ok'));
      sb.resetStats();
      const run = await runCli(['test', file], { cwd: dir, env: env({ ST_API_BASE_URL: `${sb.url}/crm/v2/tenant/${sb.tenant}` }) });
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.equal(
        run.stderr,
        `ST_API_BASE_URL is the root the CRM paths (/crm/v2/tenant/{tenant}/…) are added to, but it has /crm/v2/tenant/${sb.tenant} in it already: set ST_API_BASE_URL=${sb.url} (the tenant comes from ST_TENANT).\n`,
      );
      assert.deepEqual(sb.stats(), { tokenRequests: 0, apiRequests: 0 });
      // A gateway's prefix is still a root.
      const prefixed = await runCli(['test', file], { cwd: dir, env: env({ ST_API_BASE_URL: `${sb.url}/gateway` }) });
      assert.doesNotMatch(prefixed.stderr, /ST_API_BASE_URL is the root/);
    });

    void it('waits --timeout seconds for an answer, and its message names --timeout, not a VS Code setting', async () => {
      const file = write('timeout/slow.stcrm-suite.json', {
        name: 'Slow',
        steps: [{ name: 'slow read', operation: 'Customers_GetList' }],
      });
      sb.faults.add({ kind: 'latency', method: 'GET', path: '^/customers', latencyMs: 5_000 });
      try {
        const run = await runCli(['test', file, '--timeout', '1'], { cwd: dir, env: env() });
        assert.equal(run.code, 1, run.stdout + run.stderr);
        assert.match(
          run.stdout,
          /did not answer within 1 s\. The server may be slow or unreachable; try again, or pass a longer --timeout SECONDS to stcrm test\./,
        );
        assert.doesNotMatch(run.stdout, /requestTimeoutSeconds/);
      } finally {
        sb.faults.clear();
      }
      for (const bad of ['0', '601', '1.5', 'soon']) {
        const run = await runCli(['test', file, `--timeout=${bad}`], { cwd: dir, env: env() });
        assert.equal(run.code, 2);
        assert.match(run.stderr, /^--timeout takes a whole number of seconds from 1 to 600, like --timeout 60\.\n/);
      }
    });

    void it('after a second Ctrl-C says the teardown was stopped, not that it ran', async () => {
      const file = write('twice/twice.stcrm-suite.json', {
        name: 'Twice',
        steps: [
          { name: 'first', operation: 'Contacts_GetList' },
          { name: 'slow', operation: 'Customers_GetList' },
        ],
        teardown: [{ name: 'slow clean', operation: 'Customers_GetList' }],
      });
      sb.faults.add({ kind: 'latency', method: 'GET', path: '^/customers', latencyMs: 20_000 });
      let presses = 0;
      try {
        const run = await runCli(['test', file], {
          cwd: dir,
          env: env(),
          onStdout: (text, child) => {
            if (presses > 0 || !text.includes('✓ first')) return;
            presses = 1;
            // The slow step is on its way; the first Ctrl-C starts the slow teardown, the second stops it.
            setTimeout(() => child.kill('SIGINT'), 300);
            setTimeout(() => child.kill('SIGINT'), 1_500);
          },
        });
        assert.equal(run.code, 130, run.stdout + run.stderr);
        assert.match(
          run.stdout,
          /^Cancelled: the steps after the cancel were skipped, and the teardown was stopped too: what it did not undo is still there\.$/m,
        );
        assert.doesNotMatch(run.stdout, /the teardown ran/);
        assert.match(run.stdout, /^ {4}! slow clean \(/m);
      } finally {
        sb.faults.clear();
      }
    });
  });

  void it('keeps the run exit code when the JUnit report cannot be written after the run: 1 after a failure, 3 after a pass', async () => {
    const slowSandbox = { customers: 1, faults: [{ kind: 'latency', method: 'GET', path: '^/customers$', latencyMs: 1_500 }] };
    const passing = write('late/pass.stcrm-suite.json', {
      name: 'Late pass',
      sandbox: slowSandbox,
      steps: [
        { name: 'first', operation: 'Contacts_GetList' },
        { name: 'slow', operation: 'Customers_GetList' },
      ],
    });
    const failing = write('late/fail.stcrm-suite.json', {
      name: 'Late fail',
      sandbox: slowSandbox,
      steps: [
        { name: 'first', operation: 'Contacts_GetList' },
        { name: 'slow', operation: 'Customers_GetList', expect: { status: 201 } },
      ],
    });
    for (const [file, code, report] of [
      [passing, 3, 'late-pass/junit.xml'],
      [failing, 1, 'late-fail/junit.xml'],
    ] as const) {
      // The report's path becomes a folder while the slow step runs: the write after the run fails.
      const run = await runCli(['test', '--sandbox', file, '--junit', report], {
        cwd: dir,
        onStdout: (text) => {
          if (text.includes('✓ first') && !fs.existsSync(path.join(dir, report))) fs.mkdirSync(path.join(dir, report));
        },
      });
      assert.equal(run.code, code, run.stdout + run.stderr);
      assert.match(lastLine(run.stdout), /^\d passed, \d failed, 0 skipped$/);
      assert.match(run.stderr, new RegExp(`^The JUnit report could not be written to ${report.replace('.', '\\.')}: EISDIR`));
    }
  });

  void it('runs the good suite files when one is broken, reports the broken one (exit 1), and writes it into the JUnit XML', async () => {
    const good = write('mixed/good.stcrm-suite.json', oneStep('Good'));
    const broken = write('mixed/broken.stcrm-suite.json', '{"name": "Broken", "steps": [{"operation": "Customers_Gett"}]}');
    const run = await runCli(['test', '--sandbox', 'mixed', '--junit', 'mixed.xml'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^Good {2}\(mixed\/good\.stcrm-suite\.json\)\n {2}✓ list/m);
    assert.match(run.stdout, new RegExp(`^ {2}${broken.replace(/[./]/g, '\\$&')}:1:44: Unknown operation "Customers_Gett"`, 'm'));
    assert.equal(lastLine(run.stdout), '1 passed, 0 failed, 0 skipped, 1 suite could not run');
    const xml = parseXml(fs.readFileSync(path.join(dir, 'mixed.xml'), 'utf8'));
    const suites = childrenNamed(xml, 'testsuite');
    assert.deepEqual(
      suites.map((suite) => suite.attributes.name),
      [broken, 'Good'],
    );
    const [brokenCase] = childrenNamed(suites[0] ?? xml, 'testcase');
    assert.equal(brokenCase?.attributes.name, 'suite file');
    assert.equal(brokenCase?.children[0]?.name, 'error');
    assert.equal(brokenCase?.children[0]?.attributes.type, 'SuiteError');
    assert.match(brokenCase?.children[0]?.attributes.message ?? '', /^Unknown operation "Customers_Gett"/);
    assert.equal(good, 'mixed/good.stcrm-suite.json');
  });

  void it('takes only suite files from a glob; a file named outright is read whatever its name', async () => {
    write('g/one.stcrm-suite.json', oneStep('One'));
    write('g/README.md', '# Suites\n');
    write('g/deeper/package.json', '{"name": "not-a-suite"}');
    const run = await runCli(['test', '--sandbox', 'g/**'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(lastLine(run.stdout), '1 passed, 0 failed, 0 skipped');
    assert.doesNotMatch(run.stdout, /README|package\.json/);
    const none = await runCli(['test', '--sandbox', 'g/*.md'], { cwd: dir });
    assert.deepEqual([none.code, none.stderr], [2, 'g/*.md: no suite files (*.stcrm-suite.json) there.\n']);
    const named = await runCli(['test', '--sandbox', 'g/README.md'], { cwd: dir });
    assert.equal(named.code, 1);
    assert.match(named.stdout, /^ {2}g\/README\.md:1:1: /m);
  });

  void it('escapes control characters from a suite file and from a server in everything it prints', async () => {
    const api = await fakeApi((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Bad \u001b[31mred\u001b[0m \u009b2J title', status: 400, errors: { 'Name\u0007': ['rings \u001b]0;owned\u0007'] } }));
    });
    try {
      const file = write('escape/escape.stcrm-suite.json', {
        name: 'Evil \u001b]0;title\u0007 suite',
        steps: [{ name: 'clear \u001b[2J\u001b[H screen\nfake line', operation: 'Customers_GetList' }],
      });
      const run = await runCli(['test', file], {
        cwd: dir,
        env: {
          ST_CLIENT_ID: 'c',
          ST_CLIENT_SECRET: 'fake-secret',
          ST_APP_KEY: 'fake-app-key',
          ST_TENANT: '1000',
          ST_API_BASE_URL: api.url,
          ST_TOKEN_URL: `${api.url}/connect/token`,
          ST_ENVIRONMENT: 'integration',
        },
      });
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/; // eslint-disable-line no-control-regex
      assert.doesNotMatch(run.stdout + run.stderr, controls);
      assert.match(run.stdout, /^Evil \\x1b\]0;title\\x07 suite {2}\(escape\/escape\.stcrm-suite\.json\)$/m);
      assert.match(run.stdout, /^ {2}✗ clear \\x1b\[2J\\x1b\[H screen\\x0afake line \(/m);
      assert.match(run.stdout, /Bad \\x1b\[31mred\\x1b\[0m \\x9b2J title/);
      assert.match(run.stdout, /rings \\x1b\]0;owned\\x07/);
    } finally {
      await api.close();
    }
  });
});

// `stcrm test` spawned as a child process (out/src/cli/main.js, plain Node), against fresh
// sandboxes (--sandbox) or a sandbox this test runs (ST_API_BASE_URL): exit codes 0, 1, 2 and 130,
// the lines it prints, the JUnit XML parsed and checked, Ctrl-C running the teardown, production
// writes refused without --allow-production-writes, and secrets never printed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { CrmClient } from '../../../src/api/client';
import { customEnvironment } from '../../../src/api/environments';
import { createTransport } from '../../../src/api/transport';
import { lastLine, runCli } from './runCli';
import { childrenNamed, parseXml, type XmlElement } from './xml';

const ROOT = path.resolve(__dirname, '../../../..');

void describe('stcrm test', () => {
  let dir: string;
  const write = (name: string, doc: unknown): string => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof doc === 'string' ? doc : `${JSON.stringify(doc, null, 2)}\n`);
    return name;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-cli-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void it('runs the examples against fresh sandboxes: every step ✓, exit 0, the totals last', async () => {
    const run = await runCli(['test', '--sandbox', 'examples'], { cwd: ROOT });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^Onboard a customer with a contact person {2}\(examples\/onboarding\.stcrm-suite\.json\)$/m);
    assert.match(run.stdout, /^ {2}✓ create the customer with a location \(\d+(\.\d)? ms\)$/m);
    assert.match(run.stdout, /^ {2}teardown\n {4}✓ unlink the person \(/m);
    assert.doesNotMatch(run.stdout, /✗|^ *! /m);
    assert.equal(lastLine(run.stdout), '20 passed, 0 failed, 0 skipped');
  });

  void it('turns exactly the step a fault rule hits red, printing expected, actual and file:line:col, exit 1', async () => {
    const file = write('faults/one-red.stcrm-suite.json', {
      name: 'One red step',
      sandbox: { customers: 2, faults: [{ kind: 'error5xx', method: 'POST', path: '^/contacts$', status: 500, count: 1 }] },
      steps: [
        { name: 'list', operation: 'Customers_GetList' },
        { name: 'first create', operation: 'Contacts_Create', body: { name: 'A' }, expect: { status: 200 } },
        { name: 'second create', operation: 'Contacts_Create', body: { name: 'B' }, expect: { status: 200 } },
      ],
    });
    const run = await runCli(['test', '--sandbox', file], { cwd: dir });
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    assert.equal(run.stdout.match(/✗/g)?.length, 1);
    const lines = run.stdout.split('\n');
    const red = lines.findIndex((line) => line.startsWith('  ✗ first create ('));
    assert.ok(red > 0, run.stdout);
    // The expectation is the first `"status": 200` of the file, its value after `"status": `.
    const source = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    const line = source.findIndex((text) => text.includes('"status": 200'));
    const column = (source[line] ?? '').indexOf('"status": 200') + '"status": '.length + 1;
    assert.deepEqual(
      lines.slice(red + 1, red + 5).map((text) => text.trim()),
      ['Expected status 200, got 500: Internal Server Error', 'expected: 200', 'actual:   500', `at ${file}:${line + 1}:${column}`],
    );
    assert.equal(lastLine(run.stdout), '2 passed, 1 failed, 0 skipped');
  });

  void it('exits 2 with what to fix, sending nothing, for a usage or configuration problem', async () => {
    const usage = await runCli(['test', '--frobnicate'], { cwd: dir });
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^Unknown option --frobnicate\.\n\nUsage: stcrm test/);
    assert.equal((await runCli(['lint'], { cwd: dir })).code, 2);
    const none = await runCli(['test', 'nothing-here'], { cwd: dir });
    assert.deepEqual([none.code, none.stderr], [2, 'nothing-here: no such file or folder.\n']);
    const broken = write('broken/broken.stcrm-suite.json', '{\n  "name": "Broken",\n  "steps": [\n    { "operation": "Customers_Gett" }\n  ]\n}\n');
    // A broken suite file is a suite in error of the run (exit 1), not a usage problem.
    const bad = await runCli(['test', '--sandbox', 'broken'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stdout,
      `${broken}\n  ${broken}:4:20: Unknown operation "Customers_Gett". Did you mean Customers_Get (GET /customers/{id})?\n\n0 passed, 0 failed, 0 skipped, 1 suite could not run\n`,
    );
    assert.equal(bad.stderr, '');
    const secret = 'never-print-this-secret-1234';
    const credentials = await runCli(['test', 'faults'], { cwd: dir, env: { ST_CLIENT_SECRET: secret, ST_TENANT: '1000' } });
    assert.equal(credentials.code, 2);
    assert.match(credentials.stderr, /^Set ST_CLIENT_ID, ST_APP_KEY \(the app's credentials and the tenant ID\), or pass --sandbox/);
    assert.match(credentials.stderr, /Set ST_ENVIRONMENT \(integration or production\), or ST_API_BASE_URL and ST_TOKEN_URL\./);
    assert.ok(!credentials.stderr.includes(secret) && !credentials.stdout.includes(secret));
    const environment = await runCli(['test', '--sandbox', '--env', 'Staging', 'faults'], { cwd: dir });
    assert.deepEqual([environment.code, environment.stderr], [2, 'No environment "Staging": there is no stcrm.env.json.\n']);
  });

  void it('writes JUnit XML: a testsuite per file, a testcase per step, failures with expected, actual and place, skips, safe for any text', async () => {
    const file = write('junit/report.stcrm-suite.json', {
      name: 'Report <&"\'>',
      sandbox: { customers: 1 },
      steps: [
        { name: 'passes', operation: 'Customers_GetList' },
        { name: 'fails <here>\u0007', operation: 'Customers_GetList', expect: { status: 201, paths: { '$.page': 'a ]]> b ]]> c' } } },
        { name: 'capture missing', operation: 'Customers_GetList', capture: { id: '$.nope' } },
        { name: 'skipped', operation: 'Customers_Get', path: { id: '{{id}}' } },
      ],
    });
    const other = write('junit/other.stcrm-suite.json', {
      name: 'Other',
      sandbox: { customers: 1 },
      steps: [{ operation: 'Customers_GetList' }],
      teardown: [{ name: 'clean', operation: 'Customers_GetList' }],
    });
    const run = await runCli(['test', '--sandbox', 'junit/*.stcrm-suite.json', '--junit', 'reports/junit.xml'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const xml = parseXml(fs.readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8'));
    assert.equal(xml.name, 'testsuites');
    assert.deepEqual(pick(xml.attributes, ['tests', 'failures', 'errors', 'skipped']), { tests: '6', failures: '1', errors: '1', skipped: '1' });
    const suites = childrenNamed(xml, 'testsuite');
    assert.deepEqual(
      suites.map((suite) => suite.attributes.name),
      ['Other', 'Report <&"\'>'],
    );
    const fileOf = (suite: XmlElement | undefined): string | undefined =>
      childrenNamed(childrenNamed(suite ?? xml, 'properties')[0] ?? xml, 'property').find((p) => p.attributes.name === 'file')?.attributes.value;
    assert.deepEqual(suites.map(fileOf), [other, file]);
    const [otherSuite, report] = suites;
    assert.deepEqual(
      childrenNamed(otherSuite ?? xml, 'testcase').map((test) => test.attributes.name),
      ['Customers_GetList', 'teardown: clean'],
    );
    const cases = childrenNamed(report ?? xml, 'testcase');
    assert.deepEqual(
      cases.map((test) => [test.attributes.name, test.attributes.classname, test.children.map((child) => child.name).join(',')]),
      [
        ['passes', 'Report <&"\'>', ''],
        ['fails <here>\uFFFD', 'Report <&"\'>', 'failure'],
        ['capture missing', 'Report <&"\'>', 'error'],
        ['skipped', 'Report <&"\'>', 'skipped,system-out'],
      ],
    );
    for (const test of cases) assert.match(test.attributes.time ?? '', /^\d+(\.\d+)?$/);
    const failure = cases[1]?.children[0];
    assert.equal(failure?.attributes.message, 'Expected status 201, got 200');
    assert.equal(failure?.attributes.type, 'ExpectationFailed');
    const text = failure?.text ?? '';
    assert.match(text, /^Expected status 201, got 200\n {2}expected: 201\n {2}actual: {3}200\n {2}at junit\/report\.stcrm-suite\.json:\d+:\d+\n/);
    assert.ok(text.includes('expected: "a ]] > b ]] > c"'), text);
    assert.match(cases[2]?.children[0]?.attributes.message ?? '', /^Capture id: \$\.nope selects nothing/);
    assert.equal(cases[3]?.children[1]?.text, 'Skipped: needs {{id}}, captured by "capture missing", which had an error.');
  });

  void it('starts the sandbox with its own flags (stcrm sandbox), until Ctrl-C', async () => {
    let url = '';
    const run = await runCli(['sandbox', '--quiet', '--customers', '2', '--tenant', '4242'], {
      cwd: dir,
      onStdout: (text, child) => {
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (!found || url) return;
        url = found[1] ?? '';
        void fetch(`${url}/connect/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret',
        }).then(
          (response) => {
            assert.equal(response.status, 200);
            child.kill('SIGINT');
          },
          () => child.kill('SIGINT'),
        );
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /API base URL: +http:\/\/127\.0\.0\.1:\d+\/crm\/v2\/tenant\/4242/);
    assert.match(run.stderr, /SIGINT: stopping CRM sandbox/);
    const bad = await runCli(['sandbox', '--customers'], { cwd: dir });
    assert.deepEqual([bad.code, bad.stderr], [2, '--customers needs a value (see --help)\n']);
    const outOfRange = await runCli(['sandbox', '--seed', '-1'], { cwd: dir });
    assert.deepEqual([outOfRange.code, outOfRange.stderr], [2, 'seed must be an integer between 0 and 2147483647, got -1 (see --help)\n']);
    const help = await runCli(['sandbox', '--help'], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: stcrm sandbox \[options\]\n/);
  });

  void describe('against a sandbox of its own (ST_API_BASE_URL)', () => {
    let sb: RunningSandbox;
    let client: CrmClient;
    let close: () => Promise<void>;
    const secret = 'cli-test-secret-4242';
    const appKey = 'cli-test-app-key-9191';
    const env = (more: Record<string, string> = {}): Record<string, string> => ({
      ST_CLIENT_ID: 'cli-test-client',
      ST_CLIENT_SECRET: secret,
      ST_APP_KEY: appKey,
      ST_TENANT: sb.tenant,
      ST_API_BASE_URL: sb.url,
      ST_TOKEN_URL: `${sb.url}/connect/token`,
      ...more,
    });

    before(async () => {
      sb = await startSandbox({ port: 0, customers: 3, clientId: 'cli-test-client', clientSecret: secret, appKey });
      const transport = createTransport({
        environment: customEnvironment(sb.url, `${sb.url}/connect/token`),
        tenant: sb.tenant,
        clientId: 'cli-test-client',
        clientSecret: secret,
        appKey,
        rateLimitPerSecond: 1000,
      });
      client = new CrmClient(transport);
      close = async () => {
        await transport.close();
        await sb.close();
      };
    });
    after(async () => {
      await close();
    });

    const lifecycle = (referenceId: string): unknown => ({
      name: 'Lifecycle',
      steps: [
        { name: 'create', operation: 'Contacts_Create', body: { name: 'Kim', referenceId }, capture: { contactId: '$.id' } },
        { name: 'slow read', operation: 'Customers_GetList', query: { pageSize: 1 } },
        { name: 'read', operation: 'Contacts_Get', path: { id: '{{contactId}}' } },
      ],
      teardown: [{ name: 'delete', operation: 'Contacts_DeleteContact', path: { id: '{{contactId}}' } }],
    });

    void it('refuses production writes without --allow-production-writes (exit 2, nothing sent, secrets not printed), and sends them with it', async () => {
      const file = write('live/live.stcrm-suite.json', lifecycle(`live-${Date.now()}`));
      sb.resetStats();
      const refused = await runCli(['test', file], { cwd: dir, env: env({ ST_ENVIRONMENT: 'production' }) });
      assert.equal(refused.code, 2, refused.stdout + refused.stderr);
      assert.match(refused.stderr, /^These suites would send 2 writes to the PRODUCTION tenant 1000, and nothing was sent\.\n/);
      assert.ok(refused.stderr.includes(`POST ${sb.url}/crm/v2/tenant/${sb.tenant}/contacts`), refused.stderr);
      assert.ok(refused.stderr.includes(`DELETE ${sb.url}/crm/v2/tenant/${sb.tenant}/contacts/{id}`));
      assert.match(lastLine(refused.stderr), /^Pass --allow-production-writes to send them\.$/);
      assert.deepEqual(sb.stats(), { tokenRequests: 0, apiRequests: 0 });
      const allowed = await runCli(['test', file, '--allow-production-writes'], { cwd: dir, env: env({ ST_ENVIRONMENT: 'production' }) });
      assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
      assert.equal(lastLine(allowed.stdout), '4 passed, 0 failed, 0 skipped');
      for (const run of [refused, allowed]) for (const value of [secret, appKey]) assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value));
    });

    void it('never prints a secret, even one a suite writes itself', async () => {
      const file = write('secret/secret.stcrm-suite.json', {
        name: 'Secret',
        steps: [{ name: 'leak', operation: 'Customers_GetList', expect: { paths: { '$.page': secret } } }],
      });
      const run = await runCli(['test', file, '--junit', 'secret.xml'], { cwd: dir, env: env({ ST_ENVIRONMENT: 'integration' }) });
      assert.equal(run.code, 1);
      assert.match(run.stdout, /expected: "\[REDACTED\]"/);
      const xml = fs.readFileSync(path.join(dir, 'secret.xml'), 'utf8');
      assert.ok(xml.includes('[REDACTED]'));
      for (const text of [run.stdout, run.stderr, xml]) assert.ok(!text.includes(secret));
    });

    void it('names the ST_* variable to check when the credentials are refused, not a profile', async () => {
      const file = write('refused/refused.stcrm-suite.json', { name: 'Refused', steps: [{ name: 'list', operation: 'Customers_GetList' }] });
      const run = await runCli(['test', file], { cwd: dir, env: env({ ST_ENVIRONMENT: 'integration', ST_CLIENT_SECRET: 'not-the-secret' }) });
      assert.notEqual(run.code, 0);
      assert.match(run.stdout + run.stderr, /invalid_client\)\. Check them in ST_CLIENT_ID and ST_CLIENT_SECRET:/);
      assert.doesNotMatch(run.stdout + run.stderr, /profile/);
    });

    void it('on Ctrl-C abandons the step in flight, skips the rest, runs the teardown, and exits 130', async () => {
      const referenceId = `sigint-${Date.now()}`;
      const file = write('sigint/sigint.stcrm-suite.json', lifecycle(referenceId));
      sb.faults.add({ kind: 'latency', method: 'GET', path: '^/customers', latencyMs: 20_000 });
      let signalled = false;
      const run = await runCli(['test', file], {
        cwd: dir,
        env: env({ ST_ENVIRONMENT: 'integration' }),
        onStdout: (text, child) => {
          if (signalled || !text.includes('✓ create')) return;
          signalled = true;
          // The slow read is on its way once the create is printed.
          setTimeout(() => child.kill('SIGINT'), 500);
        },
      });
      sb.faults.clear();
      assert.equal(run.code, 130, run.stdout + run.stderr);
      assert.match(run.stderr, /Cancelling: running the teardown/);
      assert.match(run.stdout, /^ {2}! slow read \(/m);
      assert.match(run.stdout, /^ {2}- read\n {6}Skipped: the run was cancelled\.$/m);
      assert.match(run.stdout, /^ {2}teardown\n {4}✓ delete \(/m);
      assert.equal(lastLine(run.stdout), '2 passed, 0 failed, 1 skipped, 1 errored');
      assert.deepEqual((await client.listContacts({ referenceId })).data, [], 'the teardown deleted the contact');
    });
  });
});

function pick(record: Record<string, string>, keys: string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}

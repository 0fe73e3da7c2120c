/**
 * The suite engine's cost and its manners, measured in one run:
 * - overhead: a 500-step suite (lists, reads, creates; captures, `{{name}}` references, status,
 *   body and JSONPath expectations) run by the engine against an in-process sandbox, vs the same
 *   500 calls through CrmClient directly, limiter out of the way; rounds alternate the two sides
 *   and the round with the median ratio is kept;
 * - rate limit: a suite run by the CLI (dist/cli.js, a child process) against a sandbox enforcing
 *   60 calls/s per app key and tenant (`--rate-limit 60`): the 429s, which must be 0.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CrmClient } from '../../src/api/client';
import { sandboxConnectionOptions } from '../../src/suites/freshSandbox';
import { createTransport } from '../../src/api/transport';
import { runSuite } from '../../src/suites/runner';
import { parseSuite, type Suite } from '../../src/suites/suiteFile';
import type { WriteConnection } from '../../src/writes/engine';
import { startSandbox } from '../../sandbox';

const ROOT = path.resolve(__dirname, '../../..');

export interface SuiteOverhead {
  steps: number;
  /** The round with the median engine/client ratio. */
  suiteMs: number;
  clientMs: number;
  ratio: number;
  rounds: { suiteMs: number; clientMs: number }[];
}

/** Four kinds of step, repeated: what a CRM suite does. */
function benchSuite(steps: number): Suite {
  const kinds = [
    {
      name: 'list',
      operation: 'Customers_GetList',
      query: { pageSize: 10 },
      expect: { status: 200, paths: { '$.page': 1 } },
      capture: { first: '$.data[0].id' },
    },
    { name: 'read', operation: 'Customers_Get', path: { id: '{{first}}' }, expect: { body: { id: '{{first}}' } } },
    { name: 'create', operation: 'Contacts_Create', body: { name: 'Bench {{$uuid}}' }, expect: { status: 200 }, capture: { contactId: '$.id' } },
    { name: 'read back', operation: 'Contacts_Get', path: { id: '{{contactId}}' }, expect: { paths: { '$.id': '{{contactId}}' } } },
  ];
  const doc = {
    name: `${steps} steps`,
    steps: Array.from({ length: steps }, (_, i) => ({ ...kinds[i % kinds.length], name: `${kinds[i % kinds.length]?.name ?? ''} ${i}` })),
  };
  const parsed = parseSuite(JSON.stringify(doc, null, 2), 'bench.stcrm-suite.json');
  if (!parsed.ok) throw new Error(`the bench suite does not parse: ${parsed.problems[0]?.message ?? ''}`);
  return parsed.suite;
}

export async function measureSuiteOverhead(steps = 500, roundCount = 5): Promise<SuiteOverhead> {
  const sandbox = await startSandbox({ port: 0, customers: 100 });
  // The limiter is what ServiceTitan demands, not overhead: both sides run without waiting on it.
  const transport = createTransport({
    ...sandboxConnectionOptions(sandbox),
    rateLimitPerSecond: 1_000_000,
  });
  const client = new CrmClient(transport);
  const connection: WriteConnection = {
    profile: { id: 'bench', name: 'Bench', tenant: sandbox.tenant, production: false },
    client,
    describe: (request) => transport.describe(request),
  };
  const suite = benchSuite(steps);
  try {
    const viaSuite = async (): Promise<number> => {
      const started = performance.now();
      const result = await runSuite(suite, connection, { confirm: () => Promise.resolve(true) });
      if (result.passed !== steps) throw new Error(`the bench suite did not pass: ${result.failed} failed, ${result.errored} errored`);
      return performance.now() - started;
    };
    const viaClient = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      let contactId = '';
      for (let i = 0; i < steps; i++) {
        switch (i % 4) {
          case 0:
            first = (await client.call('Customers_GetList', { query: { pageSize: 10 } })).data[0]?.id ?? 0;
            break;
          case 1:
            await client.call('Customers_Get', { path: { id: first } });
            break;
          case 2:
            contactId = (await client.call('Contacts_Create', { body: { name: `Bench ${crypto.randomUUID()}` } })).id;
            break;
          default:
            await client.call('Contacts_Get', { path: { id: contactId } });
        }
      }
      return performance.now() - started;
    };
    await viaSuite();
    await viaClient();
    const rounds: { suiteMs: number; clientMs: number }[] = [];
    for (let r = 0; r < roundCount; r++) {
      // Whichever side went first in one round goes second in the next.
      if (r % 2 === 0) rounds.push({ suiteMs: await viaSuite(), clientMs: await viaClient() });
      else {
        const clientMs = await viaClient();
        rounds.push({ clientMs, suiteMs: await viaSuite() });
      }
    }
    const middle = [...rounds].sort((a, b) => a.suiteMs / a.clientMs - b.suiteMs / b.clientMs)[Math.floor(rounds.length / 2)] ?? { suiteMs: 0, clientMs: 1 };
    return { steps, suiteMs: middle.suiteMs, clientMs: middle.clientMs, ratio: middle.suiteMs / middle.clientMs, rounds };
  } finally {
    await transport.close();
    await sandbox.close();
  }
}

export interface SuiteRateLimit {
  limit: number;
  steps: number;
  elapsedMs: number;
  callsPerSecond: number;
  /** 429s the sandbox answered: must be 0. */
  rejected: number;
  /** The busiest rolling second of everything that arrived. */
  maxArrivalsInAnyWindow: number;
  exitCode: number | null;
  lastLine: string;
}

/** `stcrm test` (dist/cli.js) against a sandbox enforcing `limit` calls/s: the CLI's limiter must keep it from a single 429. */
export async function measureSuiteUnderRateLimit(steps = 360, limit = 60): Promise<SuiteRateLimit> {
  // Its own app key: the server counts per app key and tenant.
  const sandbox = await startSandbox({ port: 0, customers: 100, appKey: 'bench-suite-rate-limit-app-key', rateLimitPerSecond: limit });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-bench-suite-'));
  try {
    const file = path.join(dir, 'rate.stcrm-suite.json');
    const steps4 = benchSuite(steps);
    fs.writeFileSync(file, steps4.source.text);
    const { clientId, clientSecret, appKey } = sandbox.credentials;
    const env = {
      ...process.env,
      ST_CLIENT_ID: clientId,
      ST_CLIENT_SECRET: clientSecret,
      ST_APP_KEY: appKey,
      ST_TENANT: sandbox.tenant,
      ST_API_BASE_URL: sandbox.url,
      ST_TOKEN_URL: `${sandbox.url}/connect/token`,
      ST_ENVIRONMENT: 'integration',
    };
    const started = performance.now();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'test', file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out }));
    });
    const elapsedMs = performance.now() - started;
    const stats = sandbox.rateLimit?.stats();
    if (!stats) throw new Error('the sandbox was started without its rate limit');
    return {
      limit,
      steps,
      elapsedMs,
      callsPerSecond: (stats.accepted / elapsedMs) * 1000,
      rejected: stats.rejected,
      maxArrivalsInAnyWindow: stats.maxInAnyWindow,
      exitCode: code,
      lastLine: stdout.trimEnd().split('\n').pop() ?? '',
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  }
}
